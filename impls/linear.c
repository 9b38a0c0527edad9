/*
 * linear.c - every route in one unsorted growable array; a lookup scans all of them.
 *
 * Build O(n) amortised (append only, duplicates kept), lookup O(n), 16 bytes per route plus up
 * to 2x growth slack. Lesson: the baseline is obviously correct, the oracle the others are
 * checked against, and unusable long before memory runs out.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define LINEAR_MIN_CAP 16
#define LINEAR_SCRATCH_MAX ((size_t)1 << 20) /* slots of the set that counts prefixes */

/* A prefix packed by rt_key_pack: (len << 56) | decimal value. */
struct linear_entry {
	uint64_t key;
	uint64_t cost;
};

extern const struct route_table_ops linear_ops;

struct linear_table {
	struct route_table base;
	struct linear_entry *v;
	size_t n, cap;
};

static int linear_create(struct route_table **out)
{
	struct linear_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &linear_ops;
	*out = &t->base;
	return 0;
}

static int linear_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct linear_table *t = (struct linear_table *)rt;

	if (rt_key_check(digits, len))
		return -EINVAL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : LINEAR_MIN_CAP;
		struct linear_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].key = rt_key_pack(digits, len);
	t->v[t->n].cost = cost;
	t->n++;
	return 0;
}

static uint64_t linear_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct linear_table *t = (const struct linear_table *)rt;
	uint64_t want[RT_MAX_DIGITS + 1];
	uint64_t best = RT_NO_ROUTE;
	uint64_t value = 0;
	unsigned best_len = 0;

	want[0] = rt_key_make(0, 0);
	for (unsigned i = 0; i < RT_MAX_DIGITS; i++) {
		if (i < len)
			value = value * 10 + (uint64_t)(digits[i] - '0');
		/* lengths past the number get a key no stored prefix can have */
		want[i + 1] = i < len ? rt_key_make(i + 1, value) : UINT64_MAX;
	}
	for (size_t i = 0; i < t->n; i++) {
		uint64_t key = t->v[i].key;
		unsigned l = rt_key_len(key);

		if (key != want[l])
			continue;
		if (l > best_len || (l == best_len && t->v[i].cost < best)) {
			best = t->v[i].cost;
			best_len = l;
		}
	}
	return best;
}

static inline uint64_t linear_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/*
 * Distinct keys among t->v, counted in a scratch hash set of cap slots (a power of two): the
 * keys are split by hash into passes of at most about cap / 4 distinct keys, and each pass
 * counts its own. A pass that fills 3/4 of the set doubles the number of passes and starts over.
 */
static size_t linear_count_distinct(const struct linear_table *t, uint64_t *set, size_t cap)
{
	size_t passes = t->n / (cap / 4) + 1, mask = cap - 1, limit = cap / 4 * 3;

restart:
	for (size_t total = 0, p = 0;; p++) {
		size_t used = 0;

		if (p == passes)
			return total;
		for (size_t i = 0; i < cap; i++)
			set[i] = UINT64_MAX;
		for (size_t i = 0; i < t->n; i++) {
			uint64_t key = t->v[i].key, h = linear_mix(key);

			if (h % passes != p)
				continue;
			for (h = (h / passes) & mask; set[h] != key; h = (h + 1) & mask) {
				if (set[h] != UINT64_MAX)
					continue;
				if (used == limit) {
					passes *= 2;
					goto restart;
				}
				set[h] = key;
				used++;
				break;
			}
		}
		total += used;
	}
}

/*
 * Duplicates are kept in the array, so the distinct count is computed here: O(n) per pass over a
 * bounded scratch set of up to 8 MiB (one pass up to ~260K routes, n / 2^18 + 1 passes above),
 * halved while the allocator refuses, 64 KiB on the stack as the last resort (then many passes:
 * slow, but stats never fails).
 */
static void linear_stats(const struct route_table *rt, struct rt_stats *out)
{
	enum { SMALL = 8192 };
	const struct linear_table *t = (const struct linear_table *)rt;
	uint64_t small[SMALL];
	uint64_t *set = NULL;
	size_t cap = SMALL;

	while (cap < LINEAR_SCRATCH_MAX && cap < 4 * t->n)
		cap *= 2;
	while (cap > SMALL && !(set = malloc(cap * sizeof(*set))))
		cap /= 2;
	out->prefixes = t->n ? linear_count_distinct(t, set ? set : small, cap) : 0;
	out->nodes = t->n;
	rt_stats_add(out, "entries", t->n, t->cap * sizeof(*t->v));
	free(set);
}

static void linear_destroy(struct route_table *rt)
{
	struct linear_table *t = (struct linear_table *)rt;

	free(t->v);
	free(t);
}

const struct route_table_ops linear_ops = {
	.name = "linear",
	.summary = "unsorted array of routes; every lookup scans them all",
	.complexity = "build O(n), lookup O(n), space O(n)",
	.flags = RT_F_SCAN,
	.create = linear_create,
	.insert = linear_insert,
	.finalize = NULL,
	.lookup = linear_lookup,
	.stats = linear_stats,
	.destroy = linear_destroy,
};
