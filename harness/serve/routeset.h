/*
 * routeset.h - one carrier's routes as the rebuild path keeps them: sorted by packed key,
 * one cost per prefix, so a delta merges in O(n + d log d) and a new table is built from it.
 * 16 bytes per route; the table itself is built beside it (pricing_build_table).
 */
#ifndef ROUTEBENCH_SERVE_ROUTESET_H
#define ROUTEBENCH_SERVE_ROUTESET_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"
#include "route_table.h"

struct serve_route {
	uint64_t key;  /* rt_key_pack(digits, len) */
	uint64_t cost; /* micro-units */
};

/* Sorted by key, keys unique. */
struct serve_routeset {
	struct serve_route *v;
	size_t n;
};

/*
 * The set of r's routes: sorted, a prefix listed twice keeping its lowest cost (what a table
 * built from r holds). 0 with *out set, or -ENOMEM. O(n log n).
 */
int serve_routeset_from(const struct ds_routes *r, struct serve_routeset *out);

/*
 * base with changes[0..n) applied in order (RT_SET replaces the cost, RT_REMOVE drops the
 * prefix; removing an absent one is a no-op counted in *n_absent). base is unchanged. 0 with
 * *out and *n_absent set, or -ENOMEM. O(base->n + n log n).
 */
int serve_routeset_merge(const struct serve_routeset *base, const struct rt_change *changes,
			 size_t n, struct serve_routeset *out, size_t *n_absent);

/* The set as parsed routes, for pricing_build_table. 0 with *out set, or -ENOMEM. */
int serve_routeset_routes(const struct serve_routeset *s, struct ds_routes *out);

void serve_routeset_free(struct serve_routeset *s);

#endif
