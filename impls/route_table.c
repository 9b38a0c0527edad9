/*
 * route_table.c - the thin wrappers through which the harness calls every implementation.
 *
 * Nothing here knows a particular structure: each call forwards to the ops table, filling in
 * the behaviour the contract allows an implementation to leave out (a NULL finalize, a NULL
 * lookup_batch).
 */
#include "route_table.h"

#include <errno.h>
#include <string.h>

int rt_create(const struct route_table_ops *ops, struct route_table **out)
{
	struct route_table *t = NULL;
	int rc = ops->create(&t);

	if (rc == 0)
		*out = t;
	return rc;
}

int rt_insert(struct route_table *t, const char *digits, unsigned len, uint64_t cost)
{
	return t->ops->insert(t, digits, len, cost);
}

int rt_finalize(struct route_table *t)
{
	return t->ops->finalize ? t->ops->finalize(t) : 0;
}

uint64_t rt_lookup(const struct route_table *t, const char *digits, unsigned len)
{
	return t->ops->lookup(t, digits, len);
}

void rt_lookup_batch(const struct route_table *t, size_t n, const char *const *digits,
		     const unsigned *len, uint64_t *out)
{
	if (t->ops->lookup_batch) {
		t->ops->lookup_batch(t, n, digits, len, out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = t->ops->lookup(t, digits[i], len[i]);
}

void rt_stats(const struct route_table *t, struct rt_stats *out)
{
	memset(out, 0, sizeof(*out));
	t->ops->stats(t, out);
}

void rt_destroy(struct route_table *t)
{
	if (t)
		t->ops->destroy(t);
}

int rt_can_update(const struct route_table_ops *ops)
{
	return ops->update && ops->retire;
}

int rt_update(const struct route_table *t, const struct rt_change *changes, size_t n,
	      struct route_table **out, size_t *n_absent)
{
	if (!rt_can_update(t->ops))
		return -ENOTSUP;
	return t->ops->update(t, changes, n, out, n_absent);
}

void rt_retire(struct route_table *next)
{
	next->ops->retire(next);
}

void rt_stats_add(struct rt_stats *s, const char *name, size_t count, size_t bytes)
{
	if (s->n_components < RT_MAX_COMPONENTS) {
		s->comp[s->n_components].name = name;
		s->comp[s->n_components].count = count;
		s->comp[s->n_components].bytes = bytes;
		s->n_components++;
	}
	s->total_bytes += bytes;
}
