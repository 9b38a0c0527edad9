/*
 * hash.c - every prefix in one open-addressing hash table (linear probing, power-of-two size).
 *
 * Build O(n) expected, doubling with a full rehash past 3/4 load (old and new tables live at once:
 * the memory spikes are deliberate); lookup O(L) expected, one probe per length present, longest
 * first, skipping lengths a filter on the first 5 digits (200 KB, from 2^16 slots on) or 6 (2 MB,
 * from 2^20) rules out; 16 bytes per slot, 1.33-2.67 slots per prefix. Lesson: exact match,
 * asked once per length.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HASH_MIN_BITS 3
#define HASH_EMPTY UINT64_MAX /* no prefix packs to this key: its length byte would be 255 */
#define HASH_FD 5		 /* the length filter is indexed by a number's first HASH_FD digits */
#define HASH_FILTER_BITS 16	 /* it exists from 2^16 slots on (200 KB against 1 MB of slots) */
#define HASH_FINE_BITS 20	 /* from 2^20 slots on, by the first 6 (2 MB against 16 MB) */
#define HASH_HUGE_BYTES ((size_t)2 << 20)
#define HASH_VALUE_MASK ((1ULL << 56) - 1)

static const uint64_t hash_pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

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
	uint16_t *filter;  /* 10^fd of them, or NULL: hash_filter_add */
	unsigned fd;	   /* the digits indexing the filter: 0 (none), HASH_FD or HASH_FD + 1 */
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

/*
 * 1 << bits empty slots, line-aligned; from HASH_HUGE_BYTES on, 2 MiB-aligned with transparent
 * huge pages asked for (advice only): a probe lands anywhere, and with 4 KiB pages nearly every
 * probe of a large table would also miss the TLB.
 */
static struct hash_slot *hash_alloc(unsigned bits)
{
	size_t n = (size_t)1 << bits, bytes = n * sizeof(struct hash_slot);
	struct hash_slot *s = aligned_alloc(bytes >= HASH_HUGE_BYTES ? HASH_HUGE_BYTES : 64, bytes);

#ifdef MADV_HUGEPAGE
	if (s && bytes >= HASH_HUGE_BYTES)
		madvise(s, bytes, MADV_HUGEPAGE);
#endif
	if (s)
		for (size_t i = 0; i < n; i++)
			s[i].key = HASH_EMPTY;
	return s;
}

/*
 * Record prefix key in the length filter f: entry x (an fd-digit value) has bit l set when
 * some prefix of length l <= fd is x's first l digits, or one of length l > fd begins
 * with x. So a number starting with x need probe only the lengths its entry names.
 */
static void hash_filter_add(uint16_t *f, unsigned fd, uint64_t key)
{
	unsigned l = rt_key_len(key);
	uint64_t v = key & HASH_VALUE_MASK, span;

	if (l > fd) {
		for (unsigned d = l; d > fd; d--)
			v /= 10;
		f[v] |= (uint16_t)(1u << l);
		return;
	}
	span = hash_pow10[fd - l];
	for (uint64_t x = v * span; x < (v + 1) * span; x++)
		f[x] |= (uint16_t)(1u << l);
}

/*
 * Double the table and move every slot; reaching 2^HASH_FILTER_BITS slots (then
 * 2^HASH_FINE_BITS), also build a (finer) length filter from them, the old one freed. On -ENOMEM
 * the old table and filter are untouched.
 */
static int hash_grow(struct hash_table *t)
{
	unsigned bits = t->slots ? t->bits + 1 : HASH_MIN_BITS;
	unsigned fd = bits >= HASH_FINE_BITS ? HASH_FD + 1 : bits >= HASH_FILTER_BITS ? HASH_FD : 0;
	struct hash_slot *s = hash_alloc(bits);
	size_t mask = ((size_t)1 << bits) - 1;
	uint16_t *f = NULL;

	if (s && fd != t->fd && !(f = calloc(hash_pow10[fd], sizeof(*f)))) {
		free(s);
		s = NULL;
	}
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
			if (f)
				hash_filter_add(f, fd, s[h].key);
		}
		free(t->slots);
	}
	t->slots = s;
	t->bits = bits;
	if (f) {
		free(t->filter);
		t->filter = f;
		t->fd = fd;
	}
	return 0;
}

/* The slot holding key, or the empty slot where it would go, scanning from slot h (its home). */
static inline struct hash_slot *hash_probe_from(const struct hash_table *t, uint64_t key, size_t h)
{
	size_t mask = ((size_t)1 << t->bits) - 1;

	for (;; h = (h + 1) & mask)
		if (t->slots[h].key == key || t->slots[h].key == HASH_EMPTY)
			return &t->slots[h];
}

/* The slot holding key, or the empty slot where it would go; NULL while the table is empty. */
static struct hash_slot *hash_probe(const struct hash_table *t, uint64_t key)
{
	if (!t->slots)
		return NULL;
	return hash_probe_from(t, key, hash_home(key, t->bits));
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
	if (t->filter)
		hash_filter_add(t->filter, t->fd, key);
	return 0;
}

/* The length filter's entry for a number digits[0..len): NULL if there is no filter, the number
 * is shorter than t->fd digits, or they do not make an index. */
static inline const uint16_t *hash_filter_entry(const struct hash_table *t, const char *digits,
						unsigned len)
{
	uint64_t x;

	if (!t->filter || len < t->fd || (x = rt_key_value(digits, t->fd)) >= hash_pow10[t->fd])
		return NULL;
	return &t->filter[x];
}

/* The cost of the longest prefix of value (len digits) among the lengths in m, probed in turn. */
static inline uint64_t hash_resolve(const struct hash_table *t, uint64_t value, unsigned len,
				    uint32_t m)
{
	for (unsigned l = len; m; l--, value /= 10) {
		if (!(m & (1u << l)))
			continue;
		m &= ~(1u << l);
		const struct hash_slot *s = hash_probe(t, rt_key_make(l, value));

		if (s->key != HASH_EMPTY)
			return s->cost;
	}
	return RT_NO_ROUTE;
}

static uint64_t hash_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	const uint16_t *f = hash_filter_entry(t, digits, len);
	uint32_t m = t->len_mask & ((2u << len) - 1);

	if (!t->slots)
		return RT_NO_ROUTE;
	return hash_resolve(t, rt_key_value(digits, len), len, f ? m & *f : m);
}

#define HASH_AHEAD 8 /* numbers a stage ahead: their filter entries, then their probes in flight */
#define HASH_RUN 4   /* slots a probe is expected to read (a miss at 3/4 load reads ~4.5) */
#define HASH_LINE_SLOTS 4 /* slots in a 64-byte line (the array is line-aligned) */

/* A number in the pipeline: its prefixes' values, length, lengths to probe, filter entry. */
struct hash_ahead {
	uint64_t pv[RT_MAX_DIGITS + 1]; /* pv[l]: the value of its first l digits */
	size_t home[RT_MAX_DIGITS + 1]; /* home[l]: where the probe for length l starts (stage 2) */
	const char *digits;		/* longer than RT_MAX_DIGITS: hash_lookup answers */
	const uint16_t *f;		/* NULL: no entry applies */
	uint32_t m;
	unsigned len;
};

/* Stage 1: read digits[0..len) into a (every prefix's value in one pass, no division later),
 * prefetching its length filter entry. */
static inline void hash_ahead_read(const struct hash_table *t, struct hash_ahead *a,
				   const char *digits, unsigned len)
{
	uint64_t v = 0;

	a->digits = digits;
	a->len = len;
	a->m = 0;
	a->f = NULL;
	if (len > RT_MAX_DIGITS)
		return;
	a->pv[0] = 0;
	for (unsigned l = 0; l < len; l++)
		a->pv[l + 1] = v = v * 10 + (uint64_t)(digits[l] - '0');
	a->m = t->len_mask & ((2u << len) - 1);
	if (t->filter && len >= t->fd && a->pv[t->fd] < hash_pow10[t->fd]) { /* no re-read */
		a->f = &t->filter[a->pv[t->fd]];
		__builtin_prefetch(a->f);
	}
}

/* Stage 2: narrow a's lengths by its filter entry, and prefetch every probe they leave (a second
 * line only where the probe's expected run reaches it), noting where each starts for stage 3. */
static inline void hash_ahead_probe(const struct hash_table *t, struct hash_ahead *a)
{
	size_t mask = ((size_t)1 << t->bits) - 1, h, last;

	if (a->f)
		a->m &= *a->f;
	for (uint32_t m = a->m; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctz(m);

		a->home[l] = h = hash_home(rt_key_make(l, a->pv[l]), t->bits);
		last = (h + HASH_RUN - 1) & mask;
		__builtin_prefetch(&t->slots[h]);
		if (last / HASH_LINE_SLOTS != h / HASH_LINE_SLOTS)
			__builtin_prefetch(&t->slots[last]);
	}
}

/* Stage 3: a's answer, its lengths probed longest first as hash_lookup does. */
static inline uint64_t hash_ahead_resolve(const struct hash_table *t, const struct hash_ahead *a)
{
	if (a->len > RT_MAX_DIGITS)
		return hash_lookup(&t->base, a->digits, a->len);
	for (uint32_t m = a->m; m;) {
		unsigned l = 31 - (unsigned)__builtin_clz(m);
		const struct hash_slot *s = hash_probe_from(t, rt_key_make(l, a->pv[l]), a->home[l]);

		if (s->key != HASH_EMPTY)
			return s->cost;
		m &= ~(1u << l);
	}
	return RT_NO_ROUTE;
}

/*
 * Software pipelining, three stages HASH_AHEAD numbers apart: read a number and prefetch its
 * filter entry; narrow its lengths and prefetch all their probes at once (they do not depend
 * on each other); resolve it, longest first as hash_lookup does, in lines that have arrived.
 * A lookup costs its probes' share of the memory system's throughput, not a latency a probe.
 */
static void hash_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			      const unsigned *len, uint64_t *out)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	struct hash_ahead ring[2 * HASH_AHEAD];

	if (!t->slots) {
		for (size_t i = 0; i < n; i++)
			out[i] = RT_NO_ROUTE;
		return;
	}
	for (size_t i = 0; i < n + 2 * HASH_AHEAD; i++) {
		struct hash_ahead *a = &ring[i % (2 * HASH_AHEAD)];

		if (i >= 2 * HASH_AHEAD)
			out[i - 2 * HASH_AHEAD] = hash_ahead_resolve(t, a);
		if (i >= HASH_AHEAD && i < n + HASH_AHEAD)
			hash_ahead_probe(t, &ring[(i - HASH_AHEAD) % (2 * HASH_AHEAD)]);
		if (i < n)
			hash_ahead_read(t, a, digits[i], len[i]);
	}
}

static void hash_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct hash_table *t = (const struct hash_table *)rt;
	size_t n = t->slots ? (size_t)1 << t->bits : 0;

	out->prefixes = t->used;
	out->nodes = n;
	rt_stats_add(out, "slots", n, n * sizeof(*t->slots));
	if (t->filter)
		rt_stats_add(out, "length filter", hash_pow10[t->fd],
			     hash_pow10[t->fd] * sizeof(*t->filter));
}

static void hash_destroy(struct route_table *rt)
{
	struct hash_table *t = (struct hash_table *)rt;

	free(t->slots);
	free(t->filter);
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
