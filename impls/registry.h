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

/* The implementation called name, or NULL. */
const struct route_table_ops *rt_find(const char *name);
/* The first registered implementation with flag (RT_F_*) set, or NULL. */
const struct route_table_ops *rt_find_flag(unsigned flag);
/* The optimisation ladder's steps that are registered, in step order, into out[0..cap).
 * Returns how many. */
size_t rt_ladder(const struct route_table_ops **out, size_t cap);

#endif
