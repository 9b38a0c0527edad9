/*
 * bad_plugin.c - plugins that break the contract or misbehave, one per BAD_* definition, for
 * test_check: BAD_NO_SYMBOL exports nothing, BAD_CLASH takes a registered name, BAD_NO_LOOKUP
 * leaves lookup NULL, BAD_CRASH aborts on numbers of 12 digits or more, BAD_HANG never answers
 * a number of 12 digits or more. Otherwise a correct list scan. O(n) per lookup.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "route_table.h"

#ifdef BAD_NO_SYMBOL
#define BAD_OPS bad_ops /* exported under another name */
#else
#define BAD_OPS routebench_plugin_ops
#endif
extern const struct route_table_ops BAD_OPS;

struct bad_table {
	struct route_table base;
	struct {
		char d[RT_MAX_DIGITS];
		unsigned len;
		uint64_t cost;
	} v[512];
	size_t n;
};

static int bad_create(struct route_table **out)
{
	struct bad_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &BAD_OPS;
	*out = &t->base;
	return 0;
}

static int bad_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct bad_table *t = (struct bad_table *)rt;

	if (t->n == 512 || len > RT_MAX_DIGITS)
		return -ENOMEM;
	memcpy(t->v[t->n].d, digits, len);
	t->v[t->n].len = len;
	t->v[t->n++].cost = cost;
	return 0;
}

__attribute__((unused)) /* BAD_NO_LOOKUP leaves it out */
static uint64_t bad_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct bad_table *t = (const struct bad_table *)rt;
	uint64_t best = RT_NO_ROUTE;
	int best_len = -1;

#if defined(BAD_CRASH)
	if (len >= 12)
		abort(); /* as a failed assert; a SIGSEGV would be caught by ASan, not a signal */
#elif defined(BAD_HANG)
	while (len >= 12)
		pause();
#endif
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].len > len || (int)t->v[i].len < best_len ||
		    memcmp(t->v[i].d, digits, t->v[i].len) != 0)
			continue;
		if ((int)t->v[i].len > best_len || t->v[i].cost < best)
			best = t->v[i].cost;
		best_len = (int)t->v[i].len;
	}
	return best;
}

static void bad_stats(const struct route_table *rt, struct rt_stats *out)
{
	out->prefixes = ((const struct bad_table *)rt)->n;
	out->total_bytes = sizeof(struct bad_table);
}

static void bad_destroy(struct route_table *rt)
{
	free(rt);
}

const struct route_table_ops BAD_OPS = {
#ifdef BAD_CLASH
	.name = "lazytrie",
#else
	.name = "bad",
#endif
	.create = bad_create,
	.insert = bad_insert,
#ifndef BAD_NO_LOOKUP
	.lookup = bad_lookup,
#endif
	.stats = bad_stats,
	.destroy = bad_destroy,
};
