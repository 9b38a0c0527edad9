/*
 * registry.h - every implementation routebench knows, by name.
 *
 * The harness, the tests and the CLI find implementations only here, so one line in impls.def
 * puts a new structure into every benchmark and every conformance test at once. What the rest
 * of routebench needs to know about one (the scan baseline, the default, its ladder step, a
 * peer) are fields and flags of its ops table, never its name.
 */
#ifndef ROUTEBENCH_REGISTRY_H
#define ROUTEBENCH_REGISTRY_H

#include <stddef.h>

#include "route_table.h"

/* The registered implementations, in teaching order; rt_registry_count entries. */
extern const struct route_table_ops *const rt_registry[];
extern const size_t rt_registry_count;

/* The implementation called name (registered or added by rt_register), or NULL. */
const struct route_table_ops *rt_find(const char *name);
/* The first registered implementation with flag (RT_F_*) set, or NULL. */
const struct route_table_ops *rt_find_flag(unsigned flag);
/* The optimisation ladder's steps that are registered, in step order, into out[0..cap).
 * Returns how many. */
size_t rt_ladder(const struct route_table_ops **out, size_t cap);

#define RT_REGISTER_MAX 8 /* implementations rt_register can add */

/*
 * Add ops (a plugin: plugin.h) after the registered ones, for the rest of the process:
 * rt_find finds it; rt_registry[], rt_find_flag and rt_ladder (what list, bench and the tests
 * walk) do not see it. ops must outlive the process's use of it. 0, -EEXIST when rt_find
 * already knows its name, -ENOSPC when RT_REGISTER_MAX are added.
 */
int rt_register(const struct route_table_ops *ops);

#endif
