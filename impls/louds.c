/*
 * louds.c - a succinct decimal trie: LOUDS bits (degrees in unary, breadth-first), a 4-bit label
 * and a route bit per node, ceil(log2 distinct costs) bits per route: ~7.6 bits/node + costs.
 * Built in finalize O(n L); lookup O(L): a sampled select0 per digit past a small root table,
 * one rank at the end. The lesson versus compacttrie: a node's 8 bytes become under 8 bits once
 * positions are computed (rank/select) instead of stored; each digit costs more work for it.
 */
#include "route_table.h"
#include "static_build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LO_SAMPLE 64	 /* a select sample per this many zeros of the LOUDS bits */
#define LO_BLOCK_WORDS 8 /* rank directory: one count per 512 bits */
#define LO_PAD_WORDS SB_PAD_WORDS /* arrays are read 64 bits at any bit offset */
#define LO_NONE UINT32_MAX /* no node (ids are below 2^31): no route seen, or no child */
#define LO_TOP_MAX 5	/* the root table covers at most the first 5 digits */
#define LO_TOP_SHARE 16 /* and takes at most 1/16 of the structure's bytes */

extern const struct route_table_ops louds_ops;

/* Where the first top_digits digits of a number lead: a shortcut past the cache-hot levels. */
struct lo_top {
	uint32_t node; /* the node at that depth, or LO_NONE if the path leaves the trie earlier */
	uint32_t best; /* the deepest node with a route on the way (root included), or LO_NONE */
};

/*
 * Node ids are breadth-first, root 0. louds holds, for each node in id order, one 1 per child
 * and a 0: the children of node k are the ones after the (k-1)-th zero, and the c-th one overall
 * is node c + 1. label[k] is the digit on the edge into node k; siblings are in digit order.
 */
struct lo_table {
	struct route_table base;
	struct sb_routes in; /* routes collected until finalize */
	struct sb_dict dict;
	uint64_t *louds;    /* 2 n_nodes - 1 bits */
	uint32_t *sample;   /* position of zero number i * LO_SAMPLE */
	uint64_t *label;    /* 4 bits per node */
	uint64_t *route;    /* 1 bit per node: a route ends here */
	uint32_t *rank;	    /* set route bits before each 512-bit block */
	uint64_t *cost;	    /* cost_bits per route, in id order */
	struct lo_top *top; /* 10^top_digits entries, or NULL */
	unsigned cost_bits, top_digits;
	size_t n_nodes, n_samples, n_louds_words, n_node_words, n_label_words, n_blocks;
	size_t n_cost_words, n_prefixes;
	int built;
};

static int lo_create(struct route_table **out)
{
	struct lo_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &louds_ops;
	*out = &t->base;
	return 0;
}

static int lo_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct lo_table *t = (struct lo_table *)rt;
	uint64_t key;

	if (t->built || sb_key(digits, len, &key))
		return -EINVAL;
	return sb_routes_add(&t->in, key, cost);
}

/* --- bit access ------------------------------------------------------------------------------- */

/* Position of zero number z (from 0) in the LOUDS bits. */
static inline uint64_t lo_select0(const struct lo_table *t, uint64_t z)
{
	uint64_t p = t->sample[z / LO_SAMPLE], w = p / 64;
	unsigned r = (unsigned)(z % LO_SAMPLE);
	uint64_t x = ~t->louds[w] & (UINT64_MAX << (p % 64));

	for (;;) {
		unsigned c = sb_popcount64(x);

		if (r < c)
			return w * 64 + sb_select64(x, r);
		r -= c;
		x = ~t->louds[++w];
	}
}

/* Set route bits before node k. */
static inline uint64_t lo_rank1(const struct lo_table *t, uint64_t k)
{
	uint64_t w = k / 64, b = w / LO_BLOCK_WORDS, r = t->rank[b];

	for (uint64_t i = b * LO_BLOCK_WORDS; i < w; i++)
		r += sb_popcount64(t->route[i]);
	return r + sb_popcount64(t->route[w] & ((1ULL << (k % 64)) - 1));
}

/* Index (from 0) of the nibble equal to d among the low deg nibbles of y, or deg if none. */
static inline unsigned lo_find_nibble(uint64_t y, unsigned d, unsigned deg)
{
	const uint64_t ones = 0x1111111111111111ULL, highs = 0x8888888888888888ULL;
	uint64_t x = y ^ (ones * d), hit = (x - ones) & ~x & highs;
	unsigned j = hit ? (unsigned)__builtin_ctzll(hit) / 4 : 16;

	return j < deg ? j : deg;
}

/* The child of node k along digit d, or LO_NONE. */
static inline uint64_t lo_child(const struct lo_table *t, uint64_t k, unsigned d)
{
	uint64_t start = k ? lo_select0(t, k - 1) + 1 : 0, first;
	unsigned deg = (unsigned)__builtin_ctzll(~sb_bits64(t->louds, start)), j;

	first = start - k + 1;
	j = lo_find_nibble(sb_bits64(t->label, 4 * first), d, deg);
	return j == deg ? LO_NONE : first + j;
}

static inline int lo_has_route(const struct lo_table *t, uint64_t k)
{
	return (int)(t->route[k / 64] >> (k % 64) & 1);
}

/* --- build ------------------------------------------------------------------------------------ */

static void lo_free_built(struct lo_table *t)
{
	free(t->louds);
	free(t->sample);
	free(t->label);
	free(t->route);
	free(t->rank);
	free(t->cost);
	free(t->top);
	t->top = NULL;
	t->top_digits = 0;
	t->louds = t->label = t->route = t->cost = NULL;
	t->sample = t->rank = NULL;
	t->n_nodes = t->n_samples = t->n_louds_words = t->n_node_words = 0;
	t->n_label_words = t->n_blocks = t->n_cost_words = 0;
}

/* Bytes of the succinct arrays (what the root table is measured against). */
static size_t lo_bytes(const struct lo_table *t)
{
	return (t->n_louds_words + t->n_label_words + t->n_node_words + t->n_cost_words) * 8 +
	       t->n_samples * sizeof(*t->sample) + t->n_blocks * sizeof(*t->rank);
}

/* Walk every string of top_digits digits once. 0 or -ENOMEM. */
static int lo_build_top(struct lo_table *t)
{
	size_t n = 1;
	unsigned d = 0;

	while (d < LO_TOP_MAX && n * 10 * sizeof(*t->top) * LO_TOP_SHARE <= lo_bytes(t)) {
		n *= 10;
		d++;
	}
	if (d == 0)
		return 0;
	t->top = malloc(n * sizeof(*t->top));
	if (!t->top)
		return -ENOMEM;
	t->top_digits = d;
	for (size_t x = 0; x < n; x++) {
		uint64_t k = 0, best = lo_has_route(t, 0) ? 0 : LO_NONE;
		size_t div = n / 10;

		for (unsigned i = 0; i < d && k != LO_NONE; i++, div /= 10) {
			k = lo_child(t, k, (unsigned)(x / div % 10));
			if (k != LO_NONE && lo_has_route(t, k))
				best = k;
		}
		t->top[x].node = (uint32_t)k;
		t->top[x].best = (uint32_t)best;
	}
	return 0;
}

/*
 * Sorted, merged routes -> ids level by level (route i adds the levels below what it shares
 * with route i-1; in key order each level's nodes come in id order), then the bit vectors.
 */
static int lo_build(struct lo_table *t)
{
	const struct sb_route *r = t->in.v;
	size_t n = t->in.n, start[RT_MAX_DIGITS + 2] = {0}, next[RT_MAX_DIGITS + 1];
	uint32_t path[RT_MAX_DIGITS + 1] = {0}, *at = NULL;
	uint8_t *deg = NULL;
	uint64_t bits, z = 0;
	int rc = -ENOMEM;

	start[1] = 1;
	for (size_t i = 0; i < n; i++)
		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1;
		     d <= sb_key_len(r[i].key); d++)
			start[d + 1]++;
	for (unsigned d = 1; d <= RT_MAX_DIGITS + 1; d++)
		start[d] += start[d - 1];
	t->n_nodes = start[RT_MAX_DIGITS + 1];
	if (t->n_nodes >= (size_t)1 << 31) /* 2 bits per node must fit a uint32 position */
		return -ENOMEM;
	bits = 2 * t->n_nodes - 1;
	t->n_louds_words = (bits + 63) / 64 + LO_PAD_WORDS;
	t->n_node_words = (t->n_nodes + 63) / 64 + LO_PAD_WORDS;
	t->n_label_words = (t->n_nodes + 15) / 16 + LO_PAD_WORDS;
	t->n_blocks = t->n_node_words / LO_BLOCK_WORDS + 1;
	t->n_samples = (t->n_nodes + LO_SAMPLE - 1) / LO_SAMPLE;
	t->cost_bits = sb_bits_for(t->dict.n);
	t->n_cost_words = (n * t->cost_bits + 63) / 64 + LO_PAD_WORDS;
	t->louds = calloc(t->n_louds_words, sizeof(*t->louds));
	t->sample = malloc(t->n_samples * sizeof(*t->sample));
	t->label = calloc(t->n_label_words, sizeof(*t->label));
	t->route = calloc(t->n_node_words, sizeof(*t->route));
	t->rank = malloc(t->n_blocks * sizeof(*t->rank));
	t->cost = calloc(t->n_cost_words, sizeof(*t->cost));
	deg = calloc(t->n_nodes, sizeof(*deg));
	at = malloc((n ? n : 1) * sizeof(*at));
	if (!t->louds || !t->sample || !t->label || !t->route || !t->rank || !t->cost || !deg ||
	    !at)
		goto out;
	for (unsigned d = 0; d <= RT_MAX_DIGITS; d++)
		next[d] = start[d];
	for (size_t i = 0; i < n; i++) {
		unsigned len = sb_key_len(r[i].key);

		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1; d <= len; d++) {
			uint32_t id = (uint32_t)next[d]++;

			deg[path[d - 1]]++;
			t->label[id / 16] |= (uint64_t)sb_key_digit(r[i].key, d - 1)
					     << (4 * (id % 16));
			path[d] = id;
		}
		at[i] = path[len];
		t->route[at[i] / 64] |= 1ULL << (at[i] % 64);
	}
	/* LOUDS bits and their select samples */
	for (uint64_t k = 0, p = 0; k < t->n_nodes; k++) {
		sb_put_bits(t->louds, p, (1ULL << deg[k]) - 1, deg[k]);
		p += deg[k];
		if (z % LO_SAMPLE == 0)
			t->sample[z / LO_SAMPLE] = (uint32_t)p;
		z++;
		p++;
	}
	for (size_t b = 0, c = 0; b < t->n_blocks; b++) {
		t->rank[b] = (uint32_t)c;
		for (size_t w = b * LO_BLOCK_WORDS; w < (b + 1) * LO_BLOCK_WORDS; w++)
			if (w < t->n_node_words)
				c += sb_popcount64(t->route[w]);
	}
	/* a route's cost goes to its rank among the route nodes */
	if (t->cost_bits)
		for (size_t i = 0; i < n; i++)
			sb_put_bits(t->cost, lo_rank1(t, at[i]) * t->cost_bits, r[i].cost,
				    t->cost_bits);
	rc = lo_build_top(t);
out:
	free(deg);
	free(at);
	return rc;
}

/* On failure the collected routes stay and lookups answer RT_NO_ROUTE. */
static int lo_finalize(struct route_table *rt)
{
	struct lo_table *t = (struct lo_table *)rt;
	int rc;

	if (t->built)
		return 0;
	rc = sb_routes_sort_unique(&t->in);
	if (rc == 0)
		rc = sb_dict_build(&t->in, &t->dict);
	if (rc == 0)
		rc = lo_build(t);
	if (rc != 0) {
		lo_free_built(t);
		sb_dict_undo(&t->in, &t->dict);
		return rc;
	}
	t->n_prefixes = t->in.n;
	sb_routes_free(&t->in);
	t->built = 1;
	return 0;
}

/* --- lookup ----------------------------------------------------------------------------------- */

/*
 * The root table takes the first top_digits digits at once; then, per digit, a select0 finds
 * the node's children, their labels are searched, and the route bit is tested. The cost of the
 * deepest route seen is at its rank among the route bits.
 */
static uint64_t lo_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct lo_table *t = (const struct lo_table *)rt;
	uint64_t k = 0, best;
	unsigned i = 0;

	if (!t->built)
		return RT_NO_ROUTE;
	if (len > RT_MAX_DIGITS)
		len = RT_MAX_DIGITS;
	best = lo_has_route(t, 0) ? 0 : LO_NONE;
	if (t->top && len >= t->top_digits) {
		uint32_t x = 0;

		for (; i < t->top_digits; i++) {
			unsigned d = (unsigned)(unsigned char)digits[i] - '0';

			if (d > 9)
				break;
			x = x * 10 + d;
		}
		if (i == t->top_digits) {
			const struct lo_top *e = &t->top[x];

			if (e->best != LO_NONE)
				best = e->best;
			if (e->node == LO_NONE)
				i = len;
			k = e->node;
		} else {
			i = 0;
		}
	}
	for (; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)digits[i] - '0';

		if (d > 9 || (k = lo_child(t, k, d)) == LO_NONE)
			break;
		if (lo_has_route(t, k))
			best = k;
	}
	if (best == LO_NONE)
		return RT_NO_ROUTE;
	if (!t->cost_bits)
		return t->dict.cost[0];
	uint64_t idx = sb_bits64(t->cost, lo_rank1(t, best) * t->cost_bits);

	return t->dict.cost[idx & ((1ULL << t->cost_bits) - 1)];
}

/* --- accounting ------------------------------------------------------------------------------- */

/* Before finalize, prefixes counts collected routes, duplicates included. */
static void lo_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct lo_table *t = (const struct lo_table *)rt;

	out->prefixes = t->built ? t->n_prefixes : t->in.n;
	if (!t->built) {
		rt_stats_add(out, "collected routes", t->in.n, t->in.cap * sizeof(*t->in.v));
		return;
	}
	out->nodes = t->n_nodes;
	rt_stats_add(out, "louds bits", t->n_nodes, t->n_louds_words * sizeof(*t->louds));
	rt_stats_add(out, "select samples", t->n_samples, t->n_samples * sizeof(*t->sample));
	rt_stats_add(out, "labels", t->n_nodes, t->n_label_words * sizeof(*t->label));
	rt_stats_add(out, "route bits", t->n_nodes, t->n_node_words * sizeof(*t->route));
	rt_stats_add(out, "rank directory", t->n_blocks, t->n_blocks * sizeof(*t->rank));
	rt_stats_add(out, "costs", t->n_prefixes, t->n_cost_words * sizeof(*t->cost));
	if (t->top) {
		size_t n = 1;

		for (unsigned d = 0; d < t->top_digits; d++)
			n *= 10;
		rt_stats_add(out, "root table", n, n * sizeof(*t->top));
	}
	rt_stats_add(out, "cost dictionary", t->dict.n, t->dict.n * sizeof(*t->dict.cost));
}

static void lo_destroy(struct route_table *rt)
{
	struct lo_table *t = (struct lo_table *)rt;

	sb_routes_free(&t->in);
	lo_free_built(t);
	free(t->dict.cost);
	free(t);
}

const struct route_table_ops louds_ops = {
	.name = "louds",
	.summary = "succinct LOUDS trie: 2 bits + 4-bit label + route bit per node, packed costs",
	.complexity =
		"build O(n L), lookup O(L) rank/select, space ~7 bits/node + log2(costs)/route",
	.ladder = 8,
	.create = lo_create,
	.insert = lo_insert,
	.finalize = lo_finalize,
	.lookup = lo_lookup,
	.stats = lo_stats,
	.destroy = lo_destroy,
};
