/*
 * registry.c - the list of implementations, in the order the course story teaches them.
 *
 * The list itself is impls/impls.def (one line per implementation); this file expands it
 * twice, into declarations and into the array, so the two cannot disagree. Lookups by name
 * and by property are linear: the registry has a few dozen entries at most. Plugins are
 * added at run time (rt_register), beside the array, never into it.
 */
#include "registry.h"

#include <errno.h>
#include <string.h>

#define RT_IMPL(name) extern const struct route_table_ops name##_ops;
#include "impls.def"
#undef RT_IMPL

const struct route_table_ops *const rt_registry[] = {
#define RT_IMPL(name) &name##_ops,
#include "impls.def"
#undef RT_IMPL
};

const size_t rt_registry_count = sizeof(rt_registry) / sizeof(rt_registry[0]);

static const struct route_table_ops *added[RT_REGISTER_MAX];
static size_t n_added;

const struct route_table_ops *rt_find(const char *name)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (strcmp(rt_registry[i]->name, name) == 0)
			return rt_registry[i];
	for (size_t i = 0; i < n_added; i++)
		if (strcmp(added[i]->name, name) == 0)
			return added[i];
	return NULL;
}

int rt_register(const struct route_table_ops *ops)
{
	if (rt_find(ops->name))
		return -EEXIST;
	if (n_added == RT_REGISTER_MAX)
		return -ENOSPC;
	added[n_added++] = ops;
	return 0;
}

const struct route_table_ops *rt_find_flag(unsigned flag)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (rt_registry[i]->flags & flag)
			return rt_registry[i];
	return NULL;
}

size_t rt_ladder(const struct route_table_ops **out, size_t cap)
{
	size_t n = 0;

	for (unsigned step = 1; step <= rt_registry_count; step++)
		for (size_t i = 0; i < rt_registry_count; i++)
			if (rt_registry[i]->ladder == step && n < cap)
				out[n++] = rt_registry[i];
	return n;
}
