/*
 * wrong_plugin.c - a plugin that is wrong on purpose, for test_check: a list scanned for the
 * longest prefix, except that a prefix of exactly 8 digits never wins (the bug a grader has to
 * find and shrink). No conformance case decides on an 8-digit prefix, so the random cases must.
 * O(n) per lookup, 24 bytes per route.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"

#define WRONG_SKIPPED_LEN 8

extern const struct route_table_ops routebench_plugin_ops;

struct wrong_route {
	char digits[RT_MAX_DIGITS];
	unsigned len;
	uint64_t cost;
};

struct wrong_table {
	struct route_table base;
	struct wrong_route *v;
	size_t n, cap;
};

static int wrong_create(struct route_table **out)
{
	struct wrong_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &routebench_plugin_ops;
	*out = &t->base;
	return 0;
}

static int wrong_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct wrong_table *t = (struct wrong_table *)rt;

	if (len > RT_MAX_DIGITS)
		return -EINVAL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct wrong_route *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	memcpy(t->v[t->n].digits, digits, len);
	t->v[t->n].len = len;
	t->v[t->n].cost = cost;
	t->n++;
	return 0;
}

static uint64_t wrong_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct wrong_table *t = (const struct wrong_table *)rt;
	uint64_t best = RT_NO_ROUTE;
	int best_len = -1;

	for (size_t i = 0; i < t->n; i++) {
		const struct wrong_route *r = &t->v[i];

		if (r->len > len || r->len == WRONG_SKIPPED_LEN || (int)r->len < best_len ||
		    memcmp(r->digits, digits, r->len) != 0)
			continue;
		if ((int)r->len > best_len || r->cost < best)
			best = r->cost;
		best_len = (int)r->len;
	}
	return best;
}

static void wrong_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct wrong_table *t = (const struct wrong_table *)rt;

	out->prefixes = t->n;
	out->total_bytes = sizeof(*t) + t->cap * sizeof(struct wrong_route);
}

static void wrong_destroy(struct route_table *rt)
{
	struct wrong_table *t = (struct wrong_table *)rt;

	free(t->v);
	free(t);
}

const struct route_table_ops routebench_plugin_ops = {
	.name = "wrong8",
	.summary = "wrong on purpose: a list scan where 8-digit prefixes never win",
	.complexity = "build O(1) per route, lookup O(n)",
	.create = wrong_create,
	.insert = wrong_insert,
	.lookup = wrong_lookup,
	.stats = wrong_stats,
	.destroy = wrong_destroy,
};
