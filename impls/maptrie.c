/*
 * maptrie.c - the naive trie with one change: a digit mapper, so a node holds 10 children, not 256.
 * Build O(n L), lookup O(L): one dependent load per digit. Space: 88 bytes per node (a cost and
 * ten inline child pointers, made eagerly, one malloc each). The lesson, measured alone: the
 * mapper shrinks nodes 24x, yet leaves (most nodes) still carry ten NULLs: next, lazy tables.
 */
#include "route_table.h"
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
	struct route_table base;
	struct map_node *root;
	size_t n_nodes;
	size_t n_prefixes;
};

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
	t->base.ops = &maptrie_ops;
	t->n_nodes = 1;
	*out = &t->base;
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

static void map_destroy(struct route_table *rt)
{
	struct map_table *t = (struct map_table *)rt;

	map_free(t->root);
	free(t);
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
};
