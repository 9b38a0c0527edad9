/*
 * trie.c - the naive generic-keys trie: one node per character, 256 child pointers per node.
 *
 * Build O(n L), lookup O(L). Space: 2064 bytes per node (one calloc each), of which ten child
 * pointers can ever be used. Lesson: the textbook trie is fast and runs out of memory between
 * one and ten million routes.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>

extern const struct route_table_ops trie_ops;

struct trie_node {
	uint64_t cost;
	unsigned char has_route;
	struct trie_node *child[256];
};

struct trie_table {
	struct route_table base;
	struct trie_node *root;
	size_t n_nodes;
	size_t n_prefixes;
};

static int trie_create(struct route_table **out)
{
	struct trie_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->root = calloc(1, sizeof(*t->root));
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	t->base.ops = &trie_ops;
	t->n_nodes = 1;
	*out = &t->base;
	return 0;
}

/* Nodes made before an allocation fails stay in the trie without a route: still valid. */
static int trie_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct trie_table *t = (struct trie_table *)rt;
	struct trie_node *n = t->root;

	if (rt_key_check(digits, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		unsigned char c = (unsigned char)digits[i];

		if (!n->child[c]) {
			n->child[c] = calloc(1, sizeof(*n));
			if (!n->child[c])
				return -ENOMEM;
			t->n_nodes++;
		}
		n = n->child[c];
	}
	if (!n->has_route) {
		n->has_route = 1;
		n->cost = cost;
		t->n_prefixes++;
	} else if (cost < n->cost) {
		n->cost = cost;
	}
	return 0;
}

static uint64_t trie_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct trie_table *t = (const struct trie_table *)rt;
	const struct trie_node *n = t->root;
	uint64_t best = n->has_route ? n->cost : RT_NO_ROUTE;

	for (unsigned i = 0; i < len; i++) {
		n = n->child[(unsigned char)digits[i]];
		if (!n)
			break;
		if (n->has_route)
			best = n->cost;
	}
	return best;
}

static void trie_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct trie_table *t = (const struct trie_table *)rt;

	out->prefixes = t->n_prefixes;
	out->nodes = t->n_nodes;
	rt_stats_add(out, "nodes", t->n_nodes, t->n_nodes * sizeof(struct trie_node));
}

/* Recursion depth is at most RT_MAX_DIGITS + 1. Like any generic trie, it visits all 256 slots. */
static void trie_free(struct trie_node *n)
{
	for (unsigned c = 0; c < 256; c++)
		if (n->child[c])
			trie_free(n->child[c]);
	free(n);
}

static void trie_destroy(struct route_table *rt)
{
	struct trie_table *t = (struct trie_table *)rt;

	trie_free(t->root);
	free(t);
}

const struct route_table_ops trie_ops = {
	.name = "trie",
	.summary = "naive trie: one node per digit, 256 child pointers each (~2 KB per node)",
	.complexity = "build O(n L), lookup O(L), space O(n L * 256 pointers)",
	.flags = RT_F_NODE_HEAVY,
	.ladder = 1,
	.create = trie_create,
	.insert = trie_insert,
	.finalize = NULL,
	.lookup = trie_lookup,
	.stats = trie_stats,
	.destroy = trie_destroy,
};
