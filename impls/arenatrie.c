/*
 * arenatrie.c - lazytrie with its pointers replaced by 32-bit offsets into one arena of words
 * (nodes and ten-slot child tables side by side, in allocation order) and its 8-byte costs by
 * 4-byte indices into a dictionary of costs. Build O(n L) amortised, lookup O(L): two dependent
 * loads per digit, as in lazytrie. Space: 8 bytes per node, 40 per inner node, no malloc per
 * object. The lesson: pointers were most of what a trie stored; half the bytes, same shape.
 */
#include "route_table.h"
#include "rt_key.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FANOUT 10
#define ARENA_NODE 2	      /* words: child table offset (0: none), cost index */
#define ARENA_NONE UINT32_MAX /* cost index: no route ends here; dictionary slot: empty */
#define ARENA_MIN_CAP 64

extern const struct route_table_ops arenatrie_ops;

/*
 * The root node is at offset 0 and never anyone's child, so a child offset of 0 means "no
 * child"; no table can start at 0 either. Nodes and tables made by one insert are adjacent, so a
 * lookup along a path finds each parent's table next to the child it leads to, as malloc did.
 */
struct arena_table {
	struct route_table base;
	uint32_t *w; /* the arena */
	uint64_t *costs;
	uint32_t *slot; /* open addressing over costs: index into costs, or ARENA_NONE */
	size_t n_words, cap_words;
	size_t n_costs, cap_costs, cap_slots;
	size_t n_nodes, n_tables, n_prefixes;
};

static inline unsigned arena_slot(char c)
{
	return (unsigned)(unsigned char)c - '0';
}

static inline size_t arena_hash(uint64_t c, size_t cap)
{
	c ^= c >> 33;
	c *= 0xff51afd7ed558ccdULL;
	c ^= c >> 33;
	return (size_t)c & (cap - 1);
}

/*
 * Grow p (elem bytes each, *cap of them) to hold at least need, need < 2^32: the block to use
 * from now on (p itself when it already fits), or NULL with p and *cap untouched. A returned
 * pointer, not a void ** to the caller's typed one (that cast breaks strict aliasing).
 */
static void *arena_reserve(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : ARENA_MIN_CAP;
	void *q;

	if (need <= *cap)
		return p;
	if (need > UINT32_MAX)
		return NULL;
	while (c < need)
		c *= 2;
	if (c > UINT32_MAX)
		c = UINT32_MAX;
	q = realloc(p, c * elem);
	if (q)
		*cap = c;
	return q;
}

/* The words array with room for need words. 0 or -ENOMEM (t unchanged). */
static int arena_reserve_words(struct arena_table *t, size_t need)
{
	uint32_t *w = arena_reserve(t->w, &t->cap_words, need, sizeof(*t->w));

	if (!w)
		return -ENOMEM;
	t->w = w;
	return 0;
}

/* Dictionary slot holding cost c, or the empty slot where it would go. */
static size_t arena_find(const struct arena_table *t, uint64_t c)
{
	size_t h = arena_hash(c, t->cap_slots);

	while (t->slot[h] != ARENA_NONE && t->costs[t->slot[h]] != c)
		h = (h + 1) & (t->cap_slots - 1);
	return h;
}

/*
 * Make room for one more distinct cost, keeping the hash index at most half full; the index is
 * rebuilt from the costs when it grows (or after finalize dropped it). 0 or -ENOMEM.
 */
static int arena_reserve_cost(struct arena_table *t)
{
	size_t ncap = t->cap_slots ? t->cap_slots : ARENA_MIN_CAP;
	uint64_t *costs = arena_reserve(t->costs, &t->cap_costs, t->n_costs + 1, sizeof(*costs));
	uint32_t *ns;

	if (!costs)
		return -ENOMEM;
	t->costs = costs;
	while (2 * (t->n_costs + 1) > ncap)
		ncap *= 2;
	if (ncap == t->cap_slots)
		return 0;
	ns = malloc(ncap * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	memset(ns, 0xff, ncap * sizeof(*ns));
	free(t->slot);
	t->slot = ns;
	t->cap_slots = ncap;
	for (size_t i = 0; i < t->n_costs; i++)
		t->slot[arena_find(t, t->costs[i])] = (uint32_t)i;
	return 0;
}

static void arena_destroy(struct route_table *rt)
{
	struct arena_table *t = (struct arena_table *)rt;

	free(t->w);
	free(t->costs);
	free(t->slot);
	free(t);
}

static int arena_create(struct route_table **out)
{
	struct arena_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &arenatrie_ops;
	if (arena_reserve_words(t, ARENA_NODE) || arena_reserve_cost(t)) {
		arena_destroy(&t->base);
		return -ENOMEM;
	}
	t->w[0] = 0;
	t->w[1] = ARENA_NONE;
	t->n_words = ARENA_NODE;
	t->n_nodes = 1;
	*out = &t->base;
	return 0;
}

/* All the room an insert can need is reserved first, so a failed insert changes nothing. */
static int arena_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct arena_table *t = (struct arena_table *)rt;
	uint32_t n = 0, *w;
	size_t h;

	if (rt_key_check(digits, len))
		return -EINVAL;
	if (arena_reserve_words(t, t->n_words + (size_t)len * (ARENA_FANOUT + ARENA_NODE)) ||
	    arena_reserve_cost(t))
		return -ENOMEM;
	w = t->w;
	for (unsigned i = 0; i < len; i++) {
		if (w[n] == 0) {
			w[n] = (uint32_t)t->n_words;
			memset(&w[t->n_words], 0, ARENA_FANOUT * sizeof(*w));
			t->n_words += ARENA_FANOUT;
			t->n_tables++;
		}
		uint32_t *k = &w[w[n] + arena_slot(digits[i])];

		if (*k == 0) {
			*k = (uint32_t)t->n_words;
			w[t->n_words] = 0;
			w[t->n_words + 1] = ARENA_NONE;
			t->n_words += ARENA_NODE;
			t->n_nodes++;
		}
		n = *k;
	}
	h = arena_find(t, cost);
	if (t->slot[h] == ARENA_NONE) {
		t->slot[h] = (uint32_t)t->n_costs;
		t->costs[t->n_costs++] = cost;
	}
	if (w[n + 1] == ARENA_NONE) {
		t->n_prefixes++;
		w[n + 1] = t->slot[h];
	} else if (cost < t->costs[w[n + 1]]) {
		w[n + 1] = t->slot[h];
	}
	return 0;
}

/*
 * Trim the arena and the costs to what they hold and drop the cost index (lookups never hash a
 * cost). A failed trim keeps the larger block. Never fails.
 */
static int arena_finalize(struct route_table *rt)
{
	struct arena_table *t = (struct arena_table *)rt;
	void *p;

	free(t->slot);
	t->slot = NULL;
	t->cap_slots = 0;
	if ((p = realloc(t->w, t->n_words * sizeof(*t->w)))) {
		t->w = p;
		t->cap_words = t->n_words;
	}
	if (t->n_costs && (p = realloc(t->costs, t->n_costs * sizeof(*t->costs)))) {
		t->costs = p;
		t->cap_costs = t->n_costs;
	}
	return 0;
}

static uint64_t arena_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct arena_table *t = (const struct arena_table *)rt;
	const uint32_t *w = t->w;
	uint32_t best = w[1], n = 0;

	for (unsigned i = 0; i < len; i++) {
		unsigned s = arena_slot(digits[i]);

		if (s >= ARENA_FANOUT || w[n] == 0 || (n = w[w[n] + s]) == 0)
			break;
		if (w[n + 1] != ARENA_NONE)
			best = w[n + 1];
	}
	return best == ARENA_NONE ? RT_NO_ROUTE : t->costs[best];
}

/* Room the arena holds beyond its nodes and tables (growth slack) is shown as its own line. */
static void arena_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct arena_table *t = (const struct arena_table *)rt;
	size_t node_bytes = t->n_nodes * ARENA_NODE * sizeof(*t->w);
	size_t table_bytes = t->n_tables * ARENA_FANOUT * sizeof(*t->w);

	out->prefixes = t->n_prefixes;
	out->nodes = t->n_nodes;
	rt_stats_add(out, "nodes", t->n_nodes, node_bytes);
	rt_stats_add(out, "child tables", t->n_tables, table_bytes);
	if (t->cap_words > t->n_words)
		rt_stats_add(out, "arena slack", t->cap_words - t->n_words,
			     (t->cap_words - t->n_words) * sizeof(*t->w));
	rt_stats_add(out, "cost dictionary", t->n_costs,
		     t->cap_costs * sizeof(*t->costs) + t->cap_slots * sizeof(*t->slot));
}

const struct route_table_ops arenatrie_ops = {
	.name = "arenatrie",
	.summary = "digit trie in one arena: 8-byte nodes, 40-byte lazy tables, 32-bit offsets",
	.complexity = "build O(n L), lookup O(L), space 8 B per node + 40 B per inner node",
	.ladder = 5,
	.create = arena_create,
	.insert = arena_insert,
	.finalize = arena_finalize,
	.lookup = arena_lookup,
	.stats = arena_stats,
	.destroy = arena_destroy,
};
