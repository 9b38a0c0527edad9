/*
 * hash.c - every prefix in one open-addressing hash table (linear probing, power-of-two size).
 *
 * Build O(n) expected, doubling with a full rehash past 3/4 load (old and new tables live at once:
 * the memory spikes are deliberate); lookup O(L) expected, one probe per length present, longest
 * first; 16 bytes per slot, 1.33-2.67 slots per prefix. Lesson: exact match, asked once per length.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define HASH_MIN_BITS 3
#define HASH_EMPTY UINT64_MAX /* no prefix packs to this key: its length byte would be 255 */

extern const struct route_table_ops hash_ops;

/* A prefix packed by rt_key_pack, (len << 56) | decimal value, and its lowest cost. */
struct hash_slot {
	uint64_t key;
	uint64_t cost;
};

struct hash_table {
	struct route_table base;
	struct hash_slot *slots; /* 1 << bits of them, NULL while empty */
	unsigned bits;
	size_t used;
	uint32_t len_mask; /* bit l set: some prefix has length l */
};

/* Fibonacci hashing: the top bits of key * 2^64/phi. */
static inline size_t hash_home(uint64_t key, unsigned bits)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

static int hash_create(struct route_table **out)
{
	struct hash_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &hash_ops;
	*out = &t->base;
	return 0;
}

static struct hash_slot *hash_alloc(unsigned bits)
{
	size_t n = (size_t)1 << bits;
	struct hash_slot *s = malloc(n * sizeof(*s));

	if (s)
		for (size_t i = 0; i < n; i++)
			s[i].key = HASH_EMPTY;
	return s;
}

/* Double the table and move every slot; on -ENOMEM the old table is untouched. */
static int hash_grow(struct hash_table *t)
{
	unsigned bits = t->slots ? t->bits + 1 : HASH_MIN_BITS;
	struct hash_slot *s = hash_alloc(bits);
	size_t mask = ((size_t)1 << bits) - 1;

	if (!s)
		return -ENOMEM;
	if (t->slots) {
		for (size_t i = 0, n = (size_t)1 << t->bits; i < n; i++) {
			if (t->slots[i].key == HASH_EMPTY)
				continue;
			size_t h = hash_home(t->slots[i].key, bits);

			while (s[h].key != HASH_EMPTY)
				h = (h + 1) & mask;
			s[h] = t->slots[i];
		}
		free(t->slots);
	}
	t->slots = s;
	t->bits = bits;
	return 0;
}

/* The slot holding key, or the empty slot where it would go; NULL while the table is empty. */
static struct hash_slot *hash_probe(const struct hash_table *t, uint64_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1;

	if (!t->slots)
		return NULL;
	for (size_t h = hash_home(key, t->bits);; h = (h + 1) & mask)
		if (t->slots[h].key == key || t->slots[h].key == HASH_EMPTY)
			return &t->slots[h];
}

static int hash_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct hash_table *t = (struct hash_table *)rt;

	if (rt_key_check(digits, len))
		return -EINVAL;
	uint64_t key = rt_key_pack(digits, len);
	struct hash_slot *s = hash_probe(t, key);

	if (s && s->key == key) {
		if (cost < s->cost)
			s->cost = cost;
		return 0;
	}
	if (!s || (t->used + 1) * 4 > ((size_t)3 << t->bits)) {
		int rc = hash_grow(t);

		if (rc)
			return rc;
		s = hash_probe(t, key);
	}
	s->key = key;
	s->cost = cost;
	t->used++;
	t->len_mask |= 1u << len;
	return 0;
}

static uint64_t hash_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	uint64_t value;

	if (!t->slots)
		return RT_NO_ROUTE;
	value = rt_key_value(digits, len);
	for (unsigned l = len + 1; l-- > 0; value /= 10) {
		if (!(t->len_mask & (1u << l)))
			continue;
		const struct hash_slot *s = hash_probe(t, rt_key_make(l, value));

		if (s->key != HASH_EMPTY)
			return s->cost;
	}
	return RT_NO_ROUTE;
}

#define HASH_LANES 16 /* lookups in flight */
#define HASH_RUN 4     /* slots a probe is expected to read (a miss at 3/4 load reads ~4.5) */

/* One lookup in flight: the prefix of length l (value) is probed next; its lines prefetched. */
struct hash_lane {
	size_t q;
	uint64_t value;
	int l; /* -1: idle */
};

/* Move lane x to the longest present length <= l, prefetching its probe; 0 if there is none. */
static inline int hash_lane_seek(const struct hash_table *t, struct hash_lane *x, int l)
{
	size_t mask = ((size_t)1 << t->bits) - 1, h;

	for (; l >= 0 && !(t->len_mask & (1u << l)); l--)
		x->value /= 10;
	x->l = l;
	if (l < 0)
		return 0;
	h = hash_home(rt_key_make((unsigned)l, x->value), t->bits);
	__builtin_prefetch(&t->slots[h]);
	__builtin_prefetch(&t->slots[(h + HASH_RUN - 1) & mask]);
	return 1;
}

/* Start lane x on number q; 0 if it is answered already (no length to probe). */
static inline int hash_lane_start(const struct hash_table *t, struct hash_lane *x, size_t q,
				  const char *digits, unsigned len)
{
	x->q = q;
	x->value = rt_key_value(digits, len);
	return hash_lane_seek(t, x, (int)len);
}

/*
 * AMAC lanes (Kocberber et al.): HASH_LANES lookups in flight, each probing one length per
 * round into lines prefetched the round before, longest first as hash_lookup does; a lookup
 * that hits or runs out of lengths hands its lane to the next number. Only the probes a
 * lookup needs are fetched, and the lanes keep that many misses overlapping.
 */
static void hash_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			      const unsigned *len, uint64_t *out)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	struct hash_lane lane[HASH_LANES];
	size_t next = 0, live = 0;

	if (!t->slots) {
		for (size_t i = 0; i < n; i++)
			out[i] = RT_NO_ROUTE;
		return;
	}
	for (size_t s = 0; s < HASH_LANES; s++) {
		lane[s].l = -1;
		while (next < n && !hash_lane_start(t, &lane[s], next, digits[next], len[next]))
			out[next++] = RT_NO_ROUTE;
		if (next < n) {
			next++;
			live++;
		}
	}
	while (live) {
		for (size_t s = 0; s < HASH_LANES; s++) {
			struct hash_lane *x = &lane[s];
			const struct hash_slot *hit;

			if (x->l < 0)
				continue;
			hit = hash_probe(t, rt_key_make((unsigned)x->l, x->value));
			if (hit->key == HASH_EMPTY) {
				x->value /= 10;
				if (hash_lane_seek(t, x, x->l - 1))
					continue;
				out[x->q] = RT_NO_ROUTE;
			} else {
				out[x->q] = hit->cost;
			}
			x->l = -1;
			live--;
			while (next < n && !hash_lane_start(t, x, next, digits[next], len[next]))
				out[next++] = RT_NO_ROUTE;
			if (next < n) {
				next++;
				live++;
			}
		}
	}
}

static void hash_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	size_t n = t->slots ? (size_t)1 << t->bits : 0;

	out->prefixes = t->used;
	out->nodes = n;
	rt_stats_add(out, "slots", n, n * sizeof(*t->slots));
}

static void hash_destroy(struct route_table *rt)
{
	struct hash_table *t = (struct hash_table *)rt;

	free(t->slots);
	free(t);
}

const struct route_table_ops hash_ops = {
	.name = "hash",
	.summary = "open-addressing hash of prefixes; probe once per length, longest first",
	.complexity = "build O(n) expected, lookup O(L) expected, space O(n)",
	.create = hash_create,
	.insert = hash_insert,
	.finalize = NULL,
	.lookup = hash_lookup,
	.stats = hash_stats,
	.destroy = hash_destroy,
	.lookup_batch = hash_lookup_batch,
};
