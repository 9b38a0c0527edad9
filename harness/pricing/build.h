/*
 * build.h - build a route table from parsed routes (the index strategy's first step).
 */
#ifndef ROUTEBENCH_BUILD_H
#define ROUTEBENCH_BUILD_H

#include "load.h"
#include "route_table.h"

/*
 * Build a table of ops from every route in r: create, insert each, finalize. 0 with *out set,
 * or -errno (the half-built table destroyed, *out untouched).
 */
int pricing_build_table(const struct route_table_ops *ops, const struct ds_routes *r,
			struct route_table **out);

/*
 * The least-cost-over-carriers rule of `price`, one carrier at a time: build a table of ops
 * from routes, look up numbers[0..n), and lower best[i] wherever this carrier is cheaper
 * (start best[] at RT_NO_ROUTE, call once per carrier). 0, or -errno with best[] untouched.
 */
int pricing_price_carrier(const struct route_table_ops *ops, const struct ds_routes *routes,
			  const struct ds_number *numbers, size_t n, uint64_t *best);

#endif
