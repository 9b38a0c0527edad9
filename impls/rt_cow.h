/*
 * rt_cow.h - the driver of a copy-on-write update, for a table whose versions share what a
 * change does not touch: check every change, copy the header, apply the changes to the copy
 * (undone whole on a failure), and retire the superseded version's own nodes. O(n) calls into
 * the table's own set/remove. Header-only (static inline). Lesson: the lineage rules of
 * route_table.h kept once; each table keeps only its node walks, which differ by node type.
 */
#ifndef ROUTEBENCH_RT_COW_H
#define ROUTEBENCH_RT_COW_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"
#include "rt_key.h"

/* The first member of a table that updates this way (as route_table is of every table). */
struct rt_cow {
	struct route_table base;
	struct rt_cow *prev; /* the version this one superseded, until retire; else NULL */
};

/* What the driver needs of one table type; next is a version made by rt_cow_update. */
struct rt_cow_ops {
	size_t size; /* of the table struct, which starts with struct rt_cow */
	/* Apply c to next (copying what it shares with next->prev). 0 or -ENOMEM. */
	int (*set)(struct rt_cow *next, const struct rt_change *c);
	/* The same for a removal; a prefix without a route counts in *n_absent. 0 or -ENOMEM. */
	int (*remove)(struct rt_cow *next, const struct rt_change *c, size_t *n_absent);
	/* Free the nodes of version a that version b does not share. */
	void (*free_diff)(struct rt_cow *a, const struct rt_cow *b);
};

/* route_table_ops.update for a table of type k: its contract, in route_table.h. */
static inline int rt_cow_update(const struct rt_cow_ops *k, const struct route_table *rt,
				const struct rt_change *changes, size_t n,
				struct route_table **out, size_t *n_absent)
{
	struct rt_cow *next;
	size_t absent = 0;

	for (size_t i = 0; i < n; i++)
		if (rt_change_check(&changes[i]))
			return -EINVAL;
	next = malloc(k->size);
	if (!next)
		return -ENOMEM;
	memcpy(next, rt, k->size);
	next->prev = (struct rt_cow *)(uintptr_t)rt;
	for (size_t i = 0; i < n; i++) {
		int rc = changes[i].kind == RT_SET ? k->set(next, &changes[i])
						   : k->remove(next, &changes[i], &absent);

		if (rc) {
			rt->ops->destroy(&next->base);
			return rc;
		}
	}
	*out = &next->base;
	*n_absent = absent;
	return 0;
}

/* route_table_ops.retire: prev's header and the nodes only prev has (prev retired already). */
static inline void rt_cow_retire(const struct rt_cow_ops *k, struct route_table *rt)
{
	struct rt_cow *t = (struct rt_cow *)rt;

	if (!t->prev)
		return;
	k->free_diff(t->prev, t);
	free(t->prev);
	t->prev = NULL;
}

#endif
