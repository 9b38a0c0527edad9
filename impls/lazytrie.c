/*
 * lazytrie.c - a digit trie: a mapper sends '0'..'9' to ten slots, child tables made on demand.
 *
 * Build O(n L), lookup O(L). Space: a 16-byte node per trie node and an 80-byte table of ten
 * children per node that has any (one malloc each). Lesson: the same trie, the same answers, in
 * a small fraction of the memory once nodes hold only what they need.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define LAZY_FANOUT 10

extern const struct route_table_ops lazytrie_ops;

struct lazy_node {
	struct lazy_node **kids; /* LAZY_FANOUT children, NULL until the first child */
	uint64_t cost;           /* RT_NO_ROUTE: no route ends here */
};

struct lazy_table {
	struct route_table base;
	struct lazy_node *root;
	size_t n_nodes;
	size_t n_tables;
	size_t n_prefixes;
};

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
	t->base.ops = &lazytrie_ops;
	t->n_nodes = 1;
	*out = &t->base;
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

static void lazy_destroy(struct route_table *rt)
{
	struct lazy_table *t = (struct lazy_table *)rt;

	lazy_free(t->root);
	free(t);
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
};
