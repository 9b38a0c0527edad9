/*
 * sorted_plugin.c - an example plugin: a structure built outside routebench's tree, loaded
 * with --plugin. One sorted array per prefix length, sorted with qsort, searched with bsearch.
 *
 * Build O(n log n), lookup O(L log n) (one bsearch per length, longest first), 16 bytes per
 * distinct prefix. Lesson: a plugin needs only impls/route_table.h and one exported ops table:
 *   cc -shared -fPIC -I impls -o myplugin.so examples/plugin/sorted_plugin.c
 *   build/routebench check --plugin ./myplugin.so
 */
#include <errno.h>
#include <stdlib.h>

#include "route_table.h"

extern const struct route_table_ops routebench_plugin_ops;

struct bs_entry {
	uint64_t value; /* the prefix's digits as a decimal number (< 10^15) */
	uint64_t cost;
};

/* Prefixes of length l are by_len[l].v[0..n), sorted by value after finalize. */
struct bs_table {
	struct route_table base;
	struct {
		struct bs_entry *v;
		size_t n, cap;
	} by_len[RT_MAX_DIGITS + 1];
};

static int bs_create(struct route_table **out)
{
	struct bs_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &routebench_plugin_ops;
	*out = &t->base;
	return 0;
}

static int bs_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct bs_table *t = (struct bs_table *)rt;
	uint64_t value = 0;

	if (len > RT_MAX_DIGITS)
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -EINVAL;
		value = value * 10 + (uint64_t)(digits[i] - '0');
	}
	if (t->by_len[len].n == t->by_len[len].cap) {
		size_t cap = t->by_len[len].cap ? 2 * t->by_len[len].cap : 8;
		struct bs_entry *v = realloc(t->by_len[len].v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->by_len[len].v = v;
		t->by_len[len].cap = cap;
	}
	t->by_len[len].v[t->by_len[len].n++] = (struct bs_entry){ value, cost };
	return 0;
}

static int bs_compare_value(const void *a, const void *b)
{
	const struct bs_entry *x = a, *y = b;

	return (x->value > y->value) - (x->value < y->value);
}

/* By value, then cost: the cheapest listing of a prefix comes first. */
static int bs_compare(const void *a, const void *b)
{
	const struct bs_entry *x = a, *y = b;

	if (x->value != y->value)
		return bs_compare_value(a, b);
	return (x->cost > y->cost) - (x->cost < y->cost);
}

/* Sort each length and keep the first (cheapest) entry of each prefix. */
static int bs_finalize(struct route_table *rt)
{
	struct bs_table *t = (struct bs_table *)rt;

	for (unsigned l = 0; l <= RT_MAX_DIGITS; l++) {
		struct bs_entry *v = t->by_len[l].v;
		size_t n = t->by_len[l].n, kept = 0;

		if (n == 0)
			continue;
		qsort(v, n, sizeof(*v), bs_compare);
		for (size_t i = 0; i < n; i++)
			if (kept == 0 || v[i].value != v[kept - 1].value)
				v[kept++] = v[i];
		t->by_len[l].n = kept;
	}
	return 0;
}

static uint64_t bs_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct bs_table *t = (const struct bs_table *)rt;
	uint64_t prefix[RT_MAX_DIGITS + 1] = { 0 };

	for (unsigned i = 0; i < len; i++)
		prefix[i + 1] = prefix[i] * 10 + (uint64_t)(digits[i] - '0');
	for (unsigned l = len + 1; l-- > 0;) {
		struct bs_entry key = { prefix[l], 0 };
		const struct bs_entry *e;

		if (t->by_len[l].n == 0)
			continue;
		e = bsearch(&key, t->by_len[l].v, t->by_len[l].n, sizeof(key), bs_compare_value);
		if (e)
			return e->cost;
	}
	return RT_NO_ROUTE;
}

static void bs_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct bs_table *t = (const struct bs_table *)rt;
	size_t n = 0, cap = 0;

	for (unsigned l = 0; l <= RT_MAX_DIGITS; l++) {
		n += t->by_len[l].n;
		cap += t->by_len[l].cap;
	}
	out->prefixes = n;
	out->nodes = n;
	rt_stats_add(out, "table", 1, sizeof(*t));
	rt_stats_add(out, "entries", n, cap * sizeof(struct bs_entry));
}

static void bs_destroy(struct route_table *rt)
{
	struct bs_table *t = (struct bs_table *)rt;

	for (unsigned l = 0; l <= RT_MAX_DIGITS; l++)
		free(t->by_len[l].v);
	free(t);
}

const struct route_table_ops routebench_plugin_ops = {
	.name = "bsearch",
	.summary = "example plugin: a sorted array per prefix length, qsort and bsearch",
	.complexity = "build O(n log n), lookup O(L log n)",
	.create = bs_create,
	.insert = bs_insert,
	.finalize = bs_finalize,
	.lookup = bs_lookup,
	.stats = bs_stats,
	.destroy = bs_destroy,
};
