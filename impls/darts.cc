/*
 * darts.cc - a peer: Taku Kudo's darts double-array trie (header-only Darts::DoubleArray), built
 * once from the sorted distinct prefixes; a leaf's int value is an index into an array of costs.
 *
 * Build: static_build.h's radix sort and merge, then darts' first-fit placement; lookup one
 * common-prefix search, O(L) array probes with no branching on node kinds. Space: 8 bytes per
 * double-array unit as total_size() reports, plus 8 bytes per prefix for costs. The lesson: a
 * trie flattened into two arrays is as fast as a hash and much smaller, once you can afford to
 * build it all at once. Caveats: darts cannot hold the empty key, so the catch-all route is kept
 * outside it.
 */
/* route_table.h has no C++ guards of its own: first, in C linkage; static_build.h then finds it */
extern "C" {
#include "route_table.h"
}

#include <cerrno>
#include <cstdlib>
#include <new>

#include <darts.h>

#include "static_build.h"

extern "C" const struct route_table_ops darts_ops;

struct darts_rt {
	struct route_table base;
	struct sb_routes in;	/* inserts (sb_key keys sort like their strings), until finalize */
	uint64_t catch_all;	/* cost of the empty prefix, or RT_NO_ROUTE */
	Darts::DoubleArray *da; /* NULL until finalize succeeds */
	uint64_t *costs;	/* costs[leaf value] */
	size_t n_keys;
};

typedef Darts::DoubleArray::result_pair_type darts_result;

static int darts_rt_create(struct route_table **out)
{
	struct darts_rt *t =
		static_cast<struct darts_rt *>(std::calloc(1, sizeof(struct darts_rt)));

	if (!t)
		return -ENOMEM;
	t->base.ops = &darts_ops;
	t->catch_all = RT_NO_ROUTE;
	*out = &t->base;
	return 0;
}

static int darts_rt_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct darts_rt *t = reinterpret_cast<struct darts_rt *>(rt);

	return sb_routes_add_outside_empty(&t->in, &t->catch_all, digits, len, cost);
}

/* Build the double array over rec[0..n) (sorted, distinct); leaf i's value is i. */
static Darts::DoubleArray *darts_build(const struct sb_route *rec, size_t n)
{
	Darts::DoubleArray *da = NULL;
	char *text = NULL;
	const char **keys = NULL;
	size_t *lens = NULL;
	int *values = NULL;
	int rc;

	try {
		da = new Darts::DoubleArray();
		text = new char[n * RT_MAX_DIGITS];
		keys = new const char *[n];
		lens = new size_t[n];
		values = new int[n];
		for (size_t i = 0; i < n; i++) {
			keys[i] = text + i * RT_MAX_DIGITS;
			lens[i] = sb_key_unpack(rec[i].key, text + i * RT_MAX_DIGITS);
			values[i] = (int)i;
		}
		rc = da->build(n, keys, lens, values);
	} catch (...) {
		rc = -1;
	}
	delete[] values;
	delete[] lens;
	delete[] keys;
	delete[] text;
	if (rc != 0) {
		delete da;
		return NULL;
	}
	return da;
}

static int darts_rt_finalize(struct route_table *rt)
{
	struct darts_rt *t = reinterpret_cast<struct darts_rt *>(rt);
	Darts::DoubleArray *da = NULL;
	uint64_t *costs;
	size_t n;

	if (sb_routes_sort_unique(&t->in))
		return -ENOMEM;
	n = t->in.n;
	if (n > (size_t)INT32_MAX)
		return -ENOMEM; /* leaf values are ints */
	costs = static_cast<uint64_t *>(std::malloc((n ? n : 1) * sizeof(*costs)));
	if (!costs)
		return -ENOMEM;
	if (n) {
		da = darts_build(t->in.v, n);
		if (!da) {
			std::free(costs);
			return -ENOMEM; /* darts fails only by throwing std::bad_alloc */
		}
	}
	for (size_t i = 0; i < n; i++)
		costs[i] = t->in.v[i].cost;
	sb_routes_free(&t->in);
	t->da = da;
	t->costs = costs;
	t->n_keys = n;
	return 0;
}

static uint64_t darts_rt_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct darts_rt *t = reinterpret_cast<const struct darts_rt *>(rt);
	darts_result hits[RT_MAX_DIGITS + 1];
	size_t n;

	if (!t->da)
		return t->catch_all;
	/* len >= 1, so darts never falls back to strlen; matches come shortest first */
	n = t->da->commonPrefixSearch(digits, hits, RT_MAX_DIGITS + 1, len);
	return n ? t->costs[hits[n - 1].value] : t->catch_all;
}

static void darts_rt_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct darts_rt *t = reinterpret_cast<const struct darts_rt *>(rt);

	out->prefixes = t->n_keys + t->in.n + (t->catch_all != RT_NO_ROUTE);
	rt_stats_add(out, "table (with the catch-all)", 1, sizeof(*t));
	if (t->da) {
		out->nodes = t->da->size();
		rt_stats_add(out, "double array (total_size)", t->da->size(), t->da->total_size());
		rt_stats_add(out, "costs", t->n_keys, t->n_keys * sizeof(*t->costs));
	} else if (t->in.n) {
		rt_stats_add(out, "pending records", t->in.n, t->in.cap * sizeof(*t->in.v));
	}
}

static void darts_rt_destroy(struct route_table *rt)
{
	struct darts_rt *t = reinterpret_cast<struct darts_rt *>(rt);

	sb_routes_free(&t->in);
	std::free(t->costs);
	delete t->da;
	std::free(t);
}

extern "C" const struct route_table_ops darts_ops = {
	.name = "darts",
	.summary = "peer: darts double-array trie (static), common-prefix search",
	.complexity = "build O(n log n), lookup O(L), space ~8 bytes per trie node",
	.flags = RT_F_PEER,
	.ladder = 0,
	.create = darts_rt_create,
	.insert = darts_rt_insert,
	.finalize = darts_rt_finalize,
	.lookup = darts_rt_lookup,
	.stats = darts_rt_stats,
	.destroy = darts_rt_destroy,
	.update = nullptr,
	.retire = nullptr,
	.lookup_batch = nullptr,
	.image_write = nullptr,
	.image_open = nullptr,
};
