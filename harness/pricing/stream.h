/*
 * stream.h - the "index the numbers, stream the routes" pricing strategy.
 *
 * Instead of building a table per carrier, every prefix of every number goes into one table,
 * and each carrier file is read once, route by route, updating the numbers it is a prefix of.
 * Cost: O(numbers x digits) memory, one pass over each carrier; it wins when routes are many
 * and numbers few (the course's scenario 3). It cannot fit the route-table vtable.
 */
#ifndef ROUTEBENCH_STREAM_H
#define ROUTEBENCH_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"

/*
 * Price numbers against the carriers in paths[0..n_paths): best[i] gets the lowest carrier
 * answer for numbers->v[i] (each carrier's answer being its longest matching prefix, a prefix
 * listed twice keeping its lowest cost), or RT_NO_ROUTE. skipped[k] gets the invalid lines
 * skipped in paths[k] under skip_invalid, and routes[k] (when routes is not NULL) its valid
 * route lines. A carrier file with no valid route is an error, as in the indexed strategy.
 * 0, or -1 with *err filled.
 */
int stream_price(const char *const *paths, size_t n_paths, int skip_invalid,
		 const struct ds_numbers *numbers, uint64_t *best, size_t *skipped,
		 size_t *routes, struct ds_error *err);

#endif
