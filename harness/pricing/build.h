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

#endif
