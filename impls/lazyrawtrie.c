/*
 * lazyrawtrie.c - the naive trie with the other single change: child tables made on the first
 * child, still 256 raw-byte slots (no mapper). Build O(n L), lookup O(L): two dependent loads per
 * digit. Space: 16 bytes per node + 2 KB per inner node. The lesson, measured alone: leaves stop
 * paying, inner nodes still pay 2 KB; only with the mapper too (lazytrie) does a table cost 80.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

#define RAW_FANOUT 256

extern const struct route_table_ops lazyrawtrie_ops;

struct raw_node {
	struct raw_node **kids; /* RAW_FANOUT children, NULL until the first child */
	uint64_t cost;		/* RT_NO_ROUTE: no route ends here */
};

struct raw_table {
	struct route_table base;
	struct raw_node *root;
	size_t n_nodes;
	size_t n_tables;
	size_t n_prefixes;
};

static struct raw_node *raw_node_new(void)
{
	struct raw_node *n = malloc(sizeof(*n));

	if (n) {
		n->kids = NULL;
		n->cost = RT_NO_ROUTE;
	}
	return n;
}

static int raw_create(struct route_table **out)
{
	struct raw_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->root = raw_node_new();
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	t->base.ops = &lazyrawtrie_ops;
	t->n_nodes = 1;
	*out = &t->base;
	return 0;
}

/* Nodes and tables made before an allocation fails stay, without a route: still valid. */
static int raw_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct raw_table *t = (struct raw_table *)rt;
	struct raw_node *n = t->root;

	if (rt_key_check(digits, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		unsigned char c = (unsigned char)digits[i];

		if (!n->kids) {
			n->kids = calloc(RAW_FANOUT, sizeof(*n->kids));
			if (!n->kids)
				return -ENOMEM;
			t->n_tables++;
		}
		if (!n->kids[c]) {
			n->kids[c] = raw_node_new();
			if (!n->kids[c])
				return -ENOMEM;
			t->n_nodes++;
		}
		n = n->kids[c];
	}
	if (n->cost == RT_NO_ROUTE)
		t->n_prefixes++;
	if (cost < n->cost)
		n->cost = cost;
	return 0;
}

/* Any byte indexes a 256-slot table safely; bytes that are not digits simply have no child. */
static uint64_t raw_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct raw_table *t = (const struct raw_table *)rt;
	const struct raw_node *n = t->root;
	uint64_t best = n->cost;

	for (unsigned i = 0; i < len && n->kids; i++) {
		n = n->kids[(unsigned char)digits[i]];
		if (!n)
			break;
		if (n->cost != RT_NO_ROUTE)
			best = n->cost;
	}
	return best;
}

static void raw_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct raw_table *t = (const struct raw_table *)rt;

	out->prefixes = t->n_prefixes;
	out->nodes = t->n_nodes;
	rt_stats_add(out, "nodes", t->n_nodes, t->n_nodes * sizeof(struct raw_node));
	rt_stats_add(out, "child tables", t->n_tables,
		     t->n_tables * RAW_FANOUT * sizeof(struct raw_node *));
}

/* Only the ten digit slots can be set: insert refuses every other byte. */
static void raw_free(struct raw_node *n)
{
	if (n->kids) {
		for (unsigned c = '0'; c <= '9'; c++)
			if (n->kids[c])
				raw_free(n->kids[c]);
		free(n->kids);
	}
	free(n);
}

static void raw_destroy(struct route_table *rt)
{
	struct raw_table *t = (struct raw_table *)rt;

	raw_free(t->root);
	free(t);
}

const struct route_table_ops lazyrawtrie_ops = {
	.name = "lazyrawtrie",
	.summary =
		"byte trie: 16-byte nodes, 256-slot child tables made on first child (no mapper)",
	.complexity = "build O(n L), lookup O(L), space 16 B per node + 2 KB per inner node",
	.flags = RT_F_NODE_HEAVY,
	.ladder = 3,
	.create = raw_create,
	.insert = raw_insert,
	.finalize = NULL,
	.lookup = raw_lookup,
	.stats = raw_stats,
	.destroy = raw_destroy,
};
