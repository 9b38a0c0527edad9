/*
 * registry.c - the list of implementations, in the order the course story teaches them.
 *
 * Adding an implementation: one file under impls/, one extern and one array line here, one
 * source line in CMakeLists.txt. Peers that need an optional library are guarded by the
 * RB_HAVE_<LIB> macro CMake defines when the library is found.
 */
#include "registry.h"

#include <string.h>

extern const struct route_table_ops linear_ops;
extern const struct route_table_ops sorted_ops;
extern const struct route_table_ops hash_ops;
extern const struct route_table_ops trie_ops;
extern const struct route_table_ops maptrie_ops;
extern const struct route_table_ops lazyrawtrie_ops;
extern const struct route_table_ops lazytrie_ops;
extern const struct route_table_ops arenatrie_ops;
extern const struct route_table_ops compacttrie_ops;
extern const struct route_table_ops dirtable_ops;
extern const struct route_table_ops louds_ops;
#ifdef RB_HAVE_JUDY
extern const struct route_table_ops judy_ops;
#endif
#ifdef RB_HAVE_MARISA
extern const struct route_table_ops marisa_ops;
#endif
#ifdef RB_HAVE_DARTS
extern const struct route_table_ops darts_ops;
#endif
#ifdef RB_HAVE_SQLITE
extern const struct route_table_ops sqlite_ops;
#endif

const struct route_table_ops *const rt_registry[] = {
	&linear_ops,
	&sorted_ops,
	&hash_ops,
	&trie_ops,
	&maptrie_ops,
	&lazyrawtrie_ops,
	&lazytrie_ops,
	&arenatrie_ops,
	&compacttrie_ops,
	&dirtable_ops,
	&louds_ops,
#ifdef RB_HAVE_JUDY
	&judy_ops,
#endif
#ifdef RB_HAVE_MARISA
	&marisa_ops,
#endif
#ifdef RB_HAVE_DARTS
	&darts_ops,
#endif
#ifdef RB_HAVE_SQLITE
	&sqlite_ops,
#endif
};

const size_t rt_registry_count = sizeof(rt_registry) / sizeof(rt_registry[0]);

const struct route_table_ops *rt_find(const char *name)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (strcmp(rt_registry[i]->name, name) == 0)
			return rt_registry[i];
	return NULL;
}
