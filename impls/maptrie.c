/*
 * maptrie.c - the naive trie with one change: a digit mapper, so a node holds 10 children, not 256.
 * Build O(n L), lookup O(L): one dependent load per digit. Space: 88 bytes per node (a cost and
 * ten inline child pointers, made eagerly, one malloc each). The lesson, measured alone: the
 * mapper shrinks nodes 24x, yet leaves (most nodes) still carry ten NULLs: next, lazy tables.
 * Update copies the nodes on each change's path (one 88-byte node per level) and shares the rest.
 */
#include "route_table.h"
#include "rt_cow.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define MAP_FANOUT 10

extern const struct route_table_ops maptrie_ops;

struct map_node {
	uint64_t cost; /* RT_NO_ROUTE: no route ends here */
	struct map_node *kids[MAP_FANOUT];
};

struct map_table {
	struct rt_cow cow; /* its base, and prev: the version this one superseded */
	struct map_node *root;
	size_t n_nodes;
	size_t n_prefixes;
};

/* The version t superseded (t->cow.prev), or NULL. */
static inline struct map_table *map_prev(const struct map_table *t)
{
	return (struct map_table *)t->cow.prev;
}

/* The mapper: a digit's slot, or MAP_FANOUT or more for anything that is not a digit. */
static inline unsigned map_slot(char c)
{
	return (unsigned)(unsigned char)c - '0';
}

static struct map_node *map_node_new(void)
{
	struct map_node *n = calloc(1, sizeof(*n));

	if (n)
		n->cost = RT_NO_ROUTE;
	return n;
}

static int map_create(struct route_table **out)
{
	struct map_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->root = map_node_new();
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	t->cow.base.ops = &maptrie_ops;
	t->n_nodes = 1;
	*out = &t->cow.base;
	return 0;
}

/* Nodes made before an allocation fails stay, without a route: the trie is still valid. */
static int map_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct map_table *t = (struct map_table *)rt;
	struct map_node *n = t->root;

	if (rt_key_check(digits, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		struct map_node **k = &n->kids[map_slot(digits[i])];

		if (!*k) {
			*k = map_node_new();
			if (!*k)
				return -ENOMEM;
			t->n_nodes++;
		}
		n = *k;
	}
	if (n->cost == RT_NO_ROUTE)
		t->n_prefixes++;
	if (cost < n->cost)
		n->cost = cost;
	return 0;
}

static uint64_t map_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct map_table *t = (const struct map_table *)rt;
	const struct map_node *n = t->root;
	uint64_t best = n->cost;

	for (unsigned i = 0; i < len; i++) {
		unsigned s = map_slot(digits[i]);

		if (s >= MAP_FANOUT || !(n = n->kids[s]))
			break;
		if (n->cost != RT_NO_ROUTE)
			best = n->cost;
	}
	return best;
}

static void map_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct map_table *t = (const struct map_table *)rt;

	out->prefixes = t->n_prefixes;
	out->nodes = t->n_nodes;
	rt_stats_add(out, "nodes", t->n_nodes, t->n_nodes * sizeof(struct map_node));
}

/* Recursion depth is at most RT_MAX_DIGITS + 1. */
static void map_free(struct map_node *n)
{
	for (unsigned s = 0; s < MAP_FANOUT; s++)
		if (n->kids[s])
			map_free(n->kids[s]);
	free(n);
}

/*
 * Free the nodes of a's subtree that b, the node at the same path in another version (or
 * NULL), does not share. A shared node sits at the same path in both and shares its whole
 * subtree, so the walk stops there: O(what differs).
 */
static void map_free_diff(struct map_node *a, const struct map_node *b)
{
	if (!a || a == b)
		return;
	for (unsigned s = 0; s < MAP_FANOUT; s++)
		map_free_diff(a->kids[s], b ? b->kids[s] : NULL);
	free(a);
}

static void map_destroy(struct route_table *rt)
{
	struct map_table *t = (struct map_table *)rt;

	if (t->cow.prev)
		map_free_diff(t->root, map_prev(t)->root); /* unpublished: prev has the rest */
	else
		map_free(t->root);
	free(t);
}

/* --- copy-on-write update ------------------------------------------------------------------ */

static unsigned map_n_kids(const struct map_node *n)
{
	unsigned k = 0;

	for (unsigned s = 0; s < MAP_FANOUT; s++)
		k += n->kids[s] != NULL;
	return k;
}

/*
 * Make the nodes of version t on the path digits[0..depth) writable, the one at depth last:
 * a node that differs from its counterpart in t->prev was made by this update and is written
 * in place, one equal to it is shared and copied, a missing one is made. *n is the node at
 * depth, *old its counterpart (or NULL). 0 or -ENOMEM (what was made stays linked into t).
 */
static int map_own_path(struct map_table *t, const char *digits, unsigned depth,
			struct map_node **n, const struct map_node **old)
{
	struct map_node **link = &t->root;
	const struct map_node *o = map_prev(t)->root;

	for (unsigned i = 0;; i++) {
		struct map_node *w = *link;

		if (!w || w == o) {
			w = w ? malloc(sizeof(*w)) : map_node_new();
			if (!w)
				return -ENOMEM;
			if (*link)
				*w = **link;
			else
				t->n_nodes++;
			*link = w;
		}
		if (i == depth) {
			*n = w;
			*old = o;
			return 0;
		}
		link = &w->kids[map_slot(digits[i])];
		o = o ? o->kids[map_slot(digits[i])] : NULL;
	}
}

static int map_set(struct rt_cow *next, const struct rt_change *c)
{
	struct map_table *t = (struct map_table *)next;
	struct map_node *n;
	const struct map_node *old;
	int rc = map_own_path(t, c->digits, c->len, &n, &old);

	if (rc)
		return rc;
	if (n->cost == RT_NO_ROUTE)
		t->n_prefixes++;
	n->cost = c->cost;
	return 0;
}

/*
 * Remove c's route and the nodes that then lead to no route: the chain from depth cut to the
 * route's node, each with one child and no route of its own (cut > len: only the cost goes).
 */
static int map_remove(struct rt_cow *next, const struct rt_change *c, size_t *n_absent)
{
	struct map_table *t = (struct map_table *)next;
	const struct map_node *path[RT_MAX_DIGITS + 1];
	const struct map_node *old;
	struct map_node *n, *gone;
	unsigned len = c->len, cut = len + 1, s;
	int rc;

	path[0] = t->root;
	for (unsigned i = 0; i < len; i++) {
		path[i + 1] = path[i]->kids[map_slot(c->digits[i])];
		if (!path[i + 1]) {
			(*n_absent)++;
			return 0;
		}
	}
	if (path[len]->cost == RT_NO_ROUTE) {
		(*n_absent)++;
		return 0;
	}
	if (len > 0 && map_n_kids(path[len]) == 0)
		for (cut = len; cut > 1 && path[cut - 1]->cost == RT_NO_ROUTE &&
				map_n_kids(path[cut - 1]) == 1;)
			cut--;
	rc = map_own_path(t, c->digits, cut > len ? len : cut - 1, &n, &old);
	if (rc)
		return rc;
	t->n_prefixes--;
	if (cut > len) {
		n->cost = RT_NO_ROUTE;
		return 0;
	}
	s = map_slot(c->digits[cut - 1]);
	gone = n->kids[s];
	n->kids[s] = NULL;
	t->n_nodes -= len - cut + 1;
	map_free_diff(gone, old ? old->kids[s] : NULL);
	return 0;
}

/* Free the nodes of version a that version b does not share. */
static void map_free_versions(struct rt_cow *a, const struct rt_cow *b)
{
	map_free_diff(((struct map_table *)a)->root, ((const struct map_table *)b)->root);
}

static const struct rt_cow_ops map_cow = {
	sizeof(struct map_table), map_set, map_remove, map_free_versions,
};

static int map_update(const struct route_table *rt, const struct rt_change *changes, size_t n,
		      struct route_table **out, size_t *n_absent)
{
	return rt_cow_update(&map_cow, rt, changes, n, out, n_absent);
}

static void map_retire(struct route_table *rt)
{
	rt_cow_retire(&map_cow, rt);
}

const struct route_table_ops maptrie_ops = {
	.name = "maptrie",
	.summary = "digit trie: 88-byte nodes with ten inline children (the mapper, tables eager)",
	.complexity = "build O(n L), lookup O(L), space 88 B per node",
	.flags = RT_F_NODE_HEAVY,
	.ladder = 2,
	.create = map_create,
	.insert = map_insert,
	.finalize = NULL,
	.lookup = map_lookup,
	.stats = map_stats,
	.destroy = map_destroy,
	.update = map_update,
	.retire = map_retire,
};
