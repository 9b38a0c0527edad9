/*
 * registry.h - every implementation routebench knows, by name.
 *
 * The harness, the tests and the CLI find implementations only here, so registering one line in
 * registry.c puts a new structure into every benchmark and every conformance test at once.
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

#endif
