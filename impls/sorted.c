/*
 * sorted.c - routes in one array sorted by (length, value), searched by bisection.
 *
 * Build O(n log n) (append, one in-place sort, duplicates merged), lookup O(L log n): one binary
 * search per length, longest first, within that length's block (absent lengths cost nothing);
 * 16 bytes per route plus growth slack. Lesson: nested prefixes need a search per length.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define SORTED_MIN_CAP 16
#define SORTED_SMALL 16 /* ranges this short are finished by insertion sort */

extern const struct route_table_ops sorted_ops;

/* A prefix packed by rt_key_pack: (len << 56) | decimal value, so keys sort by length first. */
struct sorted_entry {
	uint64_t key;
	uint64_t cost;
};

struct sorted_table {
	struct route_table base;
	struct sorted_entry *v;
	size_t n, cap;
	size_t first[RT_MAX_DIGITS + 2]; /* prefixes of length l are v[first[l] .. first[l + 1]) */
	int finalized;
};

static int sorted_create(struct route_table **out)
{
	struct sorted_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &sorted_ops;
	*out = &t->base;
	return 0;
}

static int sorted_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct sorted_table *t = (struct sorted_table *)rt;

	if (rt_key_check(digits, len))
		return -EINVAL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : SORTED_MIN_CAP;
		struct sorted_entry *v = realloc(t->v, cap * sizeof(*v));

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

static inline void sorted_swap(struct sorted_entry *a, struct sorted_entry *b)
{
	struct sorted_entry x = *a;

	*a = *b;
	*b = x;
}

static void sorted_sift_down(struct sorted_entry *v, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && v[child + 1].key > v[child].key)
			child++;
		if (v[root].key >= v[child].key)
			return;
		sorted_swap(&v[root], &v[child]);
	}
}

static void sorted_heapsort(struct sorted_entry *v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sorted_sift_down(v, i, n);
	for (size_t end = n; end-- > 1;) {
		sorted_swap(&v[0], &v[end]);
		sorted_sift_down(v, 0, end);
	}
}

/*
 * Introsort by key, in place: no scratch memory, so the sort never raises the peak the memory
 * benchmark sees (glibc's qsort may malloc a copy of the whole array).
 */
static void sorted_sort(struct sorted_entry *v, size_t n, unsigned depth)
{
	while (n > SORTED_SMALL) {
		if (depth-- == 0) {
			sorted_heapsort(v, n);
			return;
		}
		size_t mid = n / 2, i = 0, j = n - 1;

		if (v[mid].key < v[0].key)
			sorted_swap(&v[mid], &v[0]);
		if (v[n - 1].key < v[0].key)
			sorted_swap(&v[n - 1], &v[0]);
		if (v[n - 1].key < v[mid].key)
			sorted_swap(&v[n - 1], &v[mid]);
		uint64_t pivot = v[mid].key;

		for (;;) {
			while (v[i].key < pivot)
				i++;
			while (v[j].key > pivot)
				j--;
			if (i >= j)
				break;
			sorted_swap(&v[i], &v[j]);
			i++;
			j--;
		}
		/* v[0..j] <= pivot <= v[j+1..n); recurse on the smaller side */
		size_t left = j + 1;

		if (left < n - left) {
			sorted_sort(v, left, depth);
			v += left;
			n -= left;
		} else {
			sorted_sort(v + left, n - left, depth);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct sorted_entry x = v[i];
		size_t k = i;

		for (; k > 0 && v[k - 1].key > x.key; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

/* Sort, merge duplicate prefixes keeping the lowest cost, and index the blocks of each length. */
static int sorted_finalize(struct route_table *rt)
{
	struct sorted_table *t = (struct sorted_table *)rt;
	size_t u = 0;
	unsigned depth = 0;

	for (size_t n = t->n; n > 1; n >>= 1)
		depth += 2;
	sorted_sort(t->v, t->n, depth);
	for (size_t i = 0; i < t->n; i++) {
		if (u > 0 && t->v[u - 1].key == t->v[i].key) {
			if (t->v[i].cost < t->v[u - 1].cost)
				t->v[u - 1].cost = t->v[i].cost;
		} else {
			t->v[u++] = t->v[i];
		}
	}
	t->n = u;
	for (unsigned l = 0, i = 0; l <= RT_MAX_DIGITS + 1; l++) {
		while (i < u && rt_key_len(t->v[i].key) < l)
			i++;
		t->first[l] = i;
	}
	t->finalized = 1;
	return 0;
}

static uint64_t sorted_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct sorted_table *t = (const struct sorted_table *)rt;
	uint64_t value[RT_MAX_DIGITS + 1];

	value[0] = 0;
	for (unsigned i = 0; i < len; i++)
		value[i + 1] = value[i] * 10 + (uint64_t)(digits[i] - '0');
	for (unsigned l = len + 1; l-- > 0;) {
		size_t lo = t->first[l], hi = t->first[l + 1];
		uint64_t want = rt_key_make(l, value[l]);

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (t->v[mid].key < want)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < t->first[l + 1] && t->v[lo].key == want)
			return t->v[lo].cost;
	}
	return RT_NO_ROUTE;
}

/* Exact after finalize; before it, duplicates are still counted. */
static void sorted_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct sorted_table *t = (const struct sorted_table *)rt;

	out->prefixes = t->n;
	out->nodes = t->n;
	rt_stats_add(out, "entries", t->n, t->cap * sizeof(*t->v));
}

static void sorted_destroy(struct route_table *rt)
{
	struct sorted_table *t = (struct sorted_table *)rt;

	free(t->v);
	free(t);
}

const struct route_table_ops sorted_ops = {
	.name = "sorted",
	.summary = "array sorted by prefix; one binary search per candidate length",
	.complexity = "build O(n log n), lookup O(L log n), space O(n)",
	.create = sorted_create,
	.insert = sorted_insert,
	.finalize = sorted_finalize,
	.lookup = sorted_lookup,
	.stats = sorted_stats,
	.destroy = sorted_destroy,
};
