/*
 * build.c - the index strategy's first step: one carrier's parsed routes into a table.
 *
 * create, insert every route, finalize, through the rt_* wrappers; a failure destroys the
 * half-built table; then one carrier's lookups, batched, into the running cheapest answers. Cost:
 * whatever the implementation's build costs, nothing on top.
 */
#include "build.h"

int pricing_build_table(const struct route_table_ops *ops, const struct ds_routes *r,
			struct route_table **out)
{
	struct route_table *t;
	int rc = rt_create(ops, &t);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < r->n && rc == 0; i++)
		rc = rt_insert(t, r->v[i].digits, r->v[i].len, r->v[i].cost);
	if (rc == 0)
		rc = rt_finalize(t);
	if (rc != 0) {
		rt_destroy(t);
		return rc;
	}
	*out = t;
	return 0;
}

void pricing_price_table(const struct route_table *t, const struct ds_number *numbers, size_t n,
			 uint64_t *best)
{
	const char *digits[PRICING_BLOCK];
	unsigned len[PRICING_BLOCK];
	uint64_t cost[PRICING_BLOCK];

	for (size_t i = 0; i < n; i += PRICING_BLOCK) {
		size_t m = n - i < PRICING_BLOCK ? n - i : PRICING_BLOCK;

		for (size_t j = 0; j < m; j++) {
			digits[j] = numbers[i + j].digits;
			len[j] = numbers[i + j].len;
		}
		rt_lookup_batch(t, m, digits, len, cost);
		for (size_t j = 0; j < m; j++)
			if (cost[j] < best[i + j])
				best[i + j] = cost[j];
	}
}

int pricing_price_carrier(const struct route_table_ops *ops, const struct ds_routes *routes,
			  const struct ds_number *numbers, size_t n, uint64_t *best)
{
	struct route_table *t;
	int rc = pricing_build_table(ops, routes, &t);

	if (rc != 0)
		return rc;
	pricing_price_table(t, numbers, n, best);
	rt_destroy(t);
	return 0;
}
