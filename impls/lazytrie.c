/*
 * lazytrie.c - a digit trie: a mapper sends '0'..'9' to ten slots, child tables made on demand.
 *
 * Build O(n L), lookup O(L). Space: a 16-byte node per trie node and an 80-byte table of ten
 * children per node that has any (one malloc each). Lesson: the same trie, the same answers, in
 * a small fraction of the memory once nodes hold only what they need. Update copies each
 * change's path (a node and a table per level) and shares the rest with the old version.
 */
#include "route_table.h"
#include "rt_cow.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LAZY_FANOUT 10

extern const struct route_table_ops lazytrie_ops;

struct lazy_node {
	struct lazy_node **kids; /* LAZY_FANOUT children, NULL until the first child */
	uint64_t cost;           /* RT_NO_ROUTE: no route ends here */
};

struct lazy_table {
	struct rt_cow cow; /* its base, and prev: the version this one superseded */
	struct lazy_node *root;
	size_t n_nodes;
	size_t n_tables;
	size_t n_prefixes;
};

/* The version t superseded (t->cow.prev), or NULL. */
static inline struct lazy_table *lazy_prev(const struct lazy_table *t)
{
	return (struct lazy_table *)t->cow.prev;
}

/* The mapper: a digit's slot in a child table. */
static inline unsigned lazy_slot(char digit)
{
	return (unsigned)(digit - '0');
}

static struct lazy_node *lazy_node_new(void)
{
	struct lazy_node *n = malloc(sizeof(*n));

	if (n) {
		n->kids = NULL;
		n->cost = RT_NO_ROUTE;
	}
	return n;
}

static int lazy_create(struct route_table **out)
{
	struct lazy_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->root = lazy_node_new();
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	t->cow.base.ops = &lazytrie_ops;
	t->n_nodes = 1;
	*out = &t->cow.base;
	return 0;
}

/* Nodes and tables made before an allocation fails stay, without a route: still valid. */
static int lazy_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct lazy_table *t = (struct lazy_table *)rt;
	struct lazy_node *n = t->root;

	if (rt_key_check(digits, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		unsigned s = lazy_slot(digits[i]);

		if (!n->kids) {
			n->kids = calloc(LAZY_FANOUT, sizeof(*n->kids));
			if (!n->kids)
				return -ENOMEM;
			t->n_tables++;
		}
		if (!n->kids[s]) {
			n->kids[s] = lazy_node_new();
			if (!n->kids[s])
				return -ENOMEM;
			t->n_nodes++;
		}
		n = n->kids[s];
	}
	if (n->cost == RT_NO_ROUTE)
		t->n_prefixes++;
	if (cost < n->cost)
		n->cost = cost;
	return 0;
}

static uint64_t lazy_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct lazy_table *t = (const struct lazy_table *)rt;
	const struct lazy_node *n = t->root;
	uint64_t best = n->cost;

	for (unsigned i = 0; i < len && n->kids; i++) {
		n = n->kids[lazy_slot(digits[i])];
		if (!n)
			break;
		if (n->cost != RT_NO_ROUTE)
			best = n->cost;
	}
	return best;
}

static void lazy_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct lazy_table *t = (const struct lazy_table *)rt;

	out->prefixes = t->n_prefixes;
	out->nodes = t->n_nodes;
	rt_stats_add(out, "nodes", t->n_nodes, t->n_nodes * sizeof(struct lazy_node));
	rt_stats_add(out, "child tables", t->n_tables,
		     t->n_tables * LAZY_FANOUT * sizeof(struct lazy_node *));
}

/* Recursion depth is at most RT_MAX_DIGITS + 1. */
static void lazy_free(struct lazy_node *n)
{
	if (n->kids) {
		for (unsigned s = 0; s < LAZY_FANOUT; s++)
			if (n->kids[s])
				lazy_free(n->kids[s]);
		free(n->kids);
	}
	free(n);
}

/*
 * Free the nodes and child tables of a's subtree that b, the node at the same path in another
 * version (or NULL), does not share. Shared ones sit at the same path in both, and below a
 * shared node or table everything is shared, so the walk stops there: O(what differs).
 */
static void lazy_free_diff(struct lazy_node *a, const struct lazy_node *b)
{
	if (!a || a == b)
		return;
	if (a->kids && (!b || a->kids != b->kids)) {
		for (unsigned s = 0; s < LAZY_FANOUT; s++)
			lazy_free_diff(a->kids[s], b && b->kids ? b->kids[s] : NULL);
		free(a->kids);
	}
	free(a);
}

static void lazy_destroy(struct route_table *rt)
{
	struct lazy_table *t = (struct lazy_table *)rt;

	if (t->cow.prev)
		lazy_free_diff(t->root, lazy_prev(t)->root); /* unpublished: prev has the rest */
	else
		lazy_free(t->root);
	free(t);
}

/* --- copy-on-write update ------------------------------------------------------------------ */

static unsigned lazy_n_kids(const struct lazy_node *n)
{
	unsigned k = 0;

	if (n->kids)
		for (unsigned s = 0; s < LAZY_FANOUT; s++)
			k += n->kids[s] != NULL;
	return k;
}

/*
 * Make *link, the node of version t where t->prev has old, writable: one that differs from
 * old was made by this update and is written in place; one equal to old is shared, so it is
 * copied; a missing one is made. NULL on -ENOMEM (*link unchanged).
 */
static struct lazy_node *lazy_own(struct lazy_table *t, struct lazy_node **link,
				  const struct lazy_node *old)
{
	struct lazy_node *n = *link;

	if (n && n != old)
		return n;
	if (n) {
		struct lazy_node *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		*c = *n;
		n = c;
	} else {
		n = lazy_node_new();
		if (!n)
			return NULL;
		t->n_nodes++;
	}
	*link = n;
	return n;
}

/* The same for n's child table (n writable, old its counterpart in t->prev). 0 or -ENOMEM. */
static int lazy_own_kids(struct lazy_table *t, struct lazy_node *n, const struct lazy_node *old)
{
	struct lazy_node **k;

	if (n->kids && (!old || n->kids != old->kids))
		return 0;
	k = malloc(LAZY_FANOUT * sizeof(*k));
	if (!k)
		return -ENOMEM;
	if (n->kids) {
		memcpy(k, n->kids, LAZY_FANOUT * sizeof(*k));
	} else {
		memset(k, 0, LAZY_FANOUT * sizeof(*k));
		t->n_tables++;
	}
	n->kids = k;
	return 0;
}

/*
 * Make the nodes of version t on the path digits[0..depth) writable, the one at depth last,
 * creating missing ones: *n is that node and *old its counterpart in t->prev (or NULL).
 * 0 or -ENOMEM (what was made stays linked into t, for lazy_destroy to free).
 */
static int lazy_own_path(struct lazy_table *t, const char *digits, unsigned depth,
			 struct lazy_node **n, const struct lazy_node **old)
{
	struct lazy_node **link = &t->root;
	const struct lazy_node *o = lazy_prev(t)->root;
	struct lazy_node *w;

	for (unsigned i = 0;; i++) {
		w = lazy_own(t, link, o);
		if (!w)
			return -ENOMEM;
		if (i == depth)
			break;
		if (lazy_own_kids(t, w, o))
			return -ENOMEM;
		link = &w->kids[lazy_slot(digits[i])];
		o = o && o->kids ? o->kids[lazy_slot(digits[i])] : NULL;
	}
	*n = w;
	*old = o;
	return 0;
}

static int lazy_set(struct rt_cow *next, const struct rt_change *c)
{
	struct lazy_table *t = (struct lazy_table *)next;
	struct lazy_node *n;
	const struct lazy_node *old;
	int rc = lazy_own_path(t, c->digits, c->len, &n, &old);

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
static int lazy_remove(struct rt_cow *next, const struct rt_change *c, size_t *n_absent)
{
	struct lazy_table *t = (struct lazy_table *)next;
	const struct lazy_node *path[RT_MAX_DIGITS + 1];
	const struct lazy_node *old;
	struct lazy_node *n, *gone;
	unsigned len = c->len, cut = len + 1, s;
	int rc;

	path[0] = t->root;
	for (unsigned i = 0; i < len; i++) {
		path[i + 1] = path[i]->kids ? path[i]->kids[lazy_slot(c->digits[i])] : NULL;
		if (!path[i + 1]) {
			(*n_absent)++;
			return 0;
		}
	}
	if (path[len]->cost == RT_NO_ROUTE) {
		(*n_absent)++;
		return 0;
	}
	if (len > 0 && lazy_n_kids(path[len]) == 0)
		for (cut = len; cut > 1 && path[cut - 1]->cost == RT_NO_ROUTE &&
				lazy_n_kids(path[cut - 1]) == 1;)
			cut--;
	rc = lazy_own_path(t, c->digits, cut > len ? len : cut - 1, &n, &old);
	if (rc)
		return rc;
	if (cut > len) {
		n->cost = RT_NO_ROUTE;
		t->n_prefixes--;
		return 0;
	}
	s = lazy_slot(c->digits[cut - 1]);
	gone = n->kids[s];
	if (lazy_n_kids(n) == 1) {
		if (!old || n->kids != old->kids)
			free(n->kids); /* made by this update: no other version has it */
		n->kids = NULL;
		t->n_tables--;
	} else {
		if (lazy_own_kids(t, n, old))
			return -ENOMEM;
		n->kids[s] = NULL;
	}
	t->n_prefixes--;
	for (unsigned j = cut; j <= len; j++) {
		t->n_nodes--;
		t->n_tables -= path[j]->kids != NULL;
	}
	lazy_free_diff(gone, old && old->kids ? old->kids[s] : NULL);
	return 0;
}

/* Free the nodes of version a that version b does not share. */
static void lazy_free_versions(struct rt_cow *a, const struct rt_cow *b)
{
	lazy_free_diff(((struct lazy_table *)a)->root, ((const struct lazy_table *)b)->root);
}

static const struct rt_cow_ops lazy_cow = {
	sizeof(struct lazy_table), lazy_set, lazy_remove, lazy_free_versions,
};

static int lazy_update(const struct route_table *rt, const struct rt_change *changes, size_t n,
		       struct route_table **out, size_t *n_absent)
{
	return rt_cow_update(&lazy_cow, rt, changes, n, out, n_absent);
}

static void lazy_retire(struct route_table *rt)
{
	rt_cow_retire(&lazy_cow, rt);
}

const struct route_table_ops lazytrie_ops = {
	.name = "lazytrie",
	.summary = "digit trie: 16-byte nodes, ten-slot child tables made on first child",
	.complexity = "build O(n L), lookup O(L), space O(n L)",
	.flags = RT_F_DEFAULT | RT_F_NODE_HEAVY,
	.ladder = 4,
	.create = lazy_create,
	.insert = lazy_insert,
	.finalize = NULL,
	.lookup = lazy_lookup,
	.stats = lazy_stats,
	.destroy = lazy_destroy,
	.update = lazy_update,
	.retire = lazy_retire,
};
