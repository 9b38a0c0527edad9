/*
 * breakdown.h - a table's memory, component by component (nodes, child tables, arrays, hash
 * slots...), from its own rt_stats accounting: count, bytes and bytes per route of each.
 *
 * Printing costs O(components). Lesson: a total says one structure is smaller; the breakdown
 * says which of its parts made it so (lazytrie's child tables against trie's 256-pointer nodes).
 */
#ifndef ROUTEBENCH_BREAKDOWN_H
#define ROUTEBENCH_BREAKDOWN_H

#include <stddef.h>
#include <stdio.h>

#include "route_table.h"

/*
 * Print impl's components from *s: one line each with count, bytes, bytes per route (n_routes:
 * the routes inserted; 0 leaves the column empty) and share of the total, then a total line equal
 * to s->total_bytes (bytes the table counted beyond RT_MAX_COMPONENTS show as "(other)").
 */
void bench_breakdown_print(FILE *f, const char *impl, const struct rt_stats *s, size_t n_routes);

/* The same as CSV rows `impl,component,count,bytes,bytes_per_route` (header: header != 0). */
void bench_breakdown_csv(FILE *f, const char *impl, const struct rt_stats *s, size_t n_routes,
			 int header);

/* One line per table: total bytes, bytes per route, and the share of the first table's total. */
void bench_breakdown_compare(FILE *f, const char *const *impls, const struct rt_stats *s, size_t k,
			     size_t n_routes);

#endif
