/*
 * build.c - the index strategy's first step: one carrier's parsed routes into a table.
 *
 * create, insert every route, finalize, through the rt_* wrappers; a failure destroys the
 * half-built table; and the lookups of one carrier into the running cheapest answers. Cost:
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

int pricing_price_carrier(const struct route_table_ops *ops, const struct ds_routes *routes,
			  const struct ds_number *numbers, size_t n, uint64_t *best)
{
	struct route_table *t;
	int rc = pricing_build_table(ops, routes, &t);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		uint64_t c = rt_lookup(t, numbers[i].digits, numbers[i].len);

		if (c < best[i])
			best[i] = c;
	}
	rt_destroy(t);
	return 0;
}
