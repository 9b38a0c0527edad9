/*
 * louds.c - a succinct decimal trie: LOUDS bits (degrees in unary, breadth-first), a 4-bit label
 * and a route bit per node, ceil(log2 distinct costs) bits per route: ~7.6 bits/node + costs.
 * Built in finalize O(n L); lookup O(L): a sampled select0 per digit past a small root table,
 * one rank at the end. The lesson versus compacttrie: a node's 8 bytes become under 8 bits once
 * positions are computed (rank/select) instead of stored; each digit costs more work for it.
 */
#include "image.h"
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
	int mapped; /* opened from an image: every array is one of its sections */
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

/* Position of zero number z (from 0) in the LOUDS bits, p = its sample's position. */
static inline uint64_t lo_select0_from(const struct lo_table *t, uint64_t p, uint64_t z)
{
	uint64_t w = p / 64;
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

/* Position of zero number z (from 0) in the LOUDS bits. */
static inline uint64_t lo_select0(const struct lo_table *t, uint64_t z)
{
	return lo_select0_from(t, t->sample[z / LO_SAMPLE], z);
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

/* --- batched lookup --------------------------------------------------------------------------- */

#define LO_LANES 16		/* lookups in flight */
#define LO_LANE_NONE UINT32_MAX /* no node: the root table's and lo_child's sentinel */

/* What a lane does next; each step reads only lines the step before prefetched. */
enum lo_step {
	LO_IDLE,  /* no lookup */
	LO_TOP,	  /* read the root table entry */
	LO_NODE,  /* node k reached: its route bit, then the sample to find its children */
	LO_KIDS,  /* the LOUDS word at the sample: where k's children start, how many */
	LO_LABEL, /* their labels: the child along the next digit */
	LO_COST,  /* the deepest route's packed cost */
};

struct lo_lane {
	const char *digits;
	size_t q;
	uint64_t p, first; /* LO_KIDS: sample position; LO_LABEL: first child */
	uint32_t k, best;
	unsigned i, len, deg;
	enum lo_step step;
};

/* The digit a lane follows next, or 10 when its walk is over. */
static inline unsigned lo_lane_digit(const struct lo_lane *l)
{
	unsigned d = l->i < l->len ? (unsigned)(unsigned char)l->digits[l->i] - '0' : 10;

	return d > 9 ? 10 : d;
}

static void lo_lane_start(const struct lo_table *t, struct lo_lane *l, size_t q,
			  const char *digits, unsigned len)
{
	l->digits = digits;
	l->q = q;
	l->len = len > RT_MAX_DIGITS ? RT_MAX_DIGITS : len;
	l->k = 0;
	l->i = 0;
	l->best = lo_has_route(t, 0) ? 0 : LO_LANE_NONE;
	l->step = LO_NODE;
	if (t->top && l->len >= t->top_digits) {
		uint32_t x = 0;
		unsigned i = 0;

		for (; i < t->top_digits; i++) {
			unsigned d = (unsigned)(unsigned char)digits[i] - '0';

			if (d > 9)
				break;
			x = x * 10 + d;
		}
		if (i == t->top_digits) {
			l->p = x;
			l->step = LO_TOP;
			__builtin_prefetch(&t->top[x]);
		}
	}
}

/* The lookup's walk is over: prefetch its cost, or answer now. 1 if answered. */
static int lo_lane_finish(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	if (l->best == LO_LANE_NONE || !t->cost_bits) {
		out[l->q] = l->best == LO_LANE_NONE ? RT_NO_ROUTE : t->dict.cost[0];
		return 1;
	}
	l->p = lo_rank1(t, l->best) * t->cost_bits;
	__builtin_prefetch(&t->cost[l->p / 64]);
	l->step = LO_COST;
	return 0;
}

/* One step of lane l; 1 when its answer is in out. */
static int lo_lane_step(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	unsigned d, j;

	switch (l->step) {
	case LO_TOP:
		if (t->top[l->p].best != LO_LANE_NONE)
			l->best = t->top[l->p].best;
		l->k = t->top[l->p].node;
		l->i = t->top_digits;
		if (l->k == LO_LANE_NONE)
			return lo_lane_finish(t, l, out);
		break;
	case LO_NODE:
		if (l->i && lo_has_route(t, l->k))
			l->best = l->k;
		break;
	case LO_KIDS:
		if (l->k)
			l->p = lo_select0_from(t, l->p, l->k - 1) + 1;
		l->deg = (unsigned)__builtin_ctzll(~sb_bits64(t->louds, l->p));
		l->first = l->p - l->k + 1;
		__builtin_prefetch(&t->label[4 * l->first / 64]);
		l->step = LO_LABEL;
		return 0;
	case LO_LABEL:
		j = lo_find_nibble(sb_bits64(t->label, 4 * l->first), lo_lane_digit(l), l->deg);
		if (j == l->deg)
			return lo_lane_finish(t, l, out);
		l->k = (uint32_t)(l->first + j);
		l->i++;
		__builtin_prefetch(&t->route[l->k / 64]);
		__builtin_prefetch(&t->sample[(l->k - 1) / LO_SAMPLE]);
		l->step = LO_NODE;
		return 0;
	case LO_COST:
		out[l->q] = t->dict.cost[sb_bits64(t->cost, l->p) & ((1ULL << t->cost_bits) - 1)];
		return 1;
	case LO_IDLE:
		return 0;
	}
	/* node k is reached (LO_TOP, LO_NODE): go on to its children, or stop */
	if ((d = lo_lane_digit(l)) > 9)
		return lo_lane_finish(t, l, out);
	l->p = l->k ? t->sample[(l->k - 1) / LO_SAMPLE] : 0;
	__builtin_prefetch(&t->louds[l->p / 64]);
	l->step = LO_KIDS;
	return 0;
}

/*
 * AMAC (Kocberber et al.): LO_LANES lookups in flight, each a small state machine whose every
 * step reads only what its previous step prefetched: a level of the trie is three dependent
 * loads (the select sample and LOUDS word, the labels, the route bit), so a lane takes three
 * rounds per digit while the other lanes' loads are in flight. Same walk as lo_lookup.
 */
static void lo_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			    const unsigned *len, uint64_t *out)
{
	const struct lo_table *t = (const struct lo_table *)rt;
	struct lo_lane lane[LO_LANES];
	size_t next = 0, live = 0;

	if (!t->built) {
		for (size_t i = 0; i < n; i++)
			out[i] = RT_NO_ROUTE;
		return;
	}
	for (size_t s = 0; s < LO_LANES; s++) {
		lane[s].step = LO_IDLE;
		if (next < n) {
			lo_lane_start(t, &lane[s], next, digits[next], len[next]);
			next++;
			live++;
		}
	}
	while (live) {
		for (size_t s = 0; s < LO_LANES; s++) {
			if (lane[s].step == LO_IDLE || !lo_lane_step(t, &lane[s], out))
				continue;
			lane[s].step = LO_IDLE;
			live--;
			if (next < n) {
				lo_lane_start(t, &lane[s], next, digits[next], len[next]);
				next++;
				live++;
			}
		}
	}
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

	if (t->mapped) {
		free(t);
		return;
	}
	sb_routes_free(&t->in);
	lo_free_built(t);
	free(t->dict.cost);
	free(t);
}

/* --- route images ----------------------------------------------------------------------------- */

enum { LO_P_NODES, LO_P_COST_BITS, LO_P_TOP_DIGITS, LO_P_COSTS }; /* image params */
enum { LO_S_LOUDS, LO_S_SAMPLE, LO_S_LABEL, LO_S_ROUTE, LO_S_RANK, LO_S_COST, LO_S_TOP, LO_S_DICT,
       LO_N_SECTIONS };

static size_t lo_top_entries(unsigned digits)
{
	size_t n = 1;

	while (digits--)
		n *= 10;
	return n;
}

/* The bits of word w that lie within a bit vector of n bits. */
static uint64_t lo_valid_bits(uint64_t w, uint64_t n)
{
	if (w * 64 >= n)
		return 0;
	return n - w * 64 >= 64 ? UINT64_MAX : (1ULL << (n - w * 64)) - 1;
}

static int lo_image_write(const struct route_table *rt, struct rt_image_out *o)
{
	const struct lo_table *t = (const struct lo_table *)rt;

	if (!t->built)
		return -EINVAL;
	o->param[LO_P_NODES] = t->n_nodes;
	o->param[LO_P_COST_BITS] = t->cost_bits;
	o->param[LO_P_TOP_DIGITS] = t->top_digits;
	o->param[LO_P_COSTS] = t->dict.n;
	rt_image_add(o, t->louds, t->n_louds_words * sizeof(*t->louds));
	rt_image_add(o, t->sample, t->n_samples * sizeof(*t->sample));
	rt_image_add(o, t->label, t->n_label_words * sizeof(*t->label));
	rt_image_add(o, t->route, t->n_node_words * sizeof(*t->route));
	rt_image_add(o, t->rank, t->n_blocks * sizeof(*t->rank));
	rt_image_add(o, t->cost, t->n_cost_words * sizeof(*t->cost));
	rt_image_add(o, t->top, t->top ? lo_top_entries(t->top_digits) * sizeof(*t->top) : 0);
	rt_image_add(o, t->dict.cost, t->dict.n * sizeof(*t->dict.cost));
	return 0;
}

/*
 * The LOUDS bits: n zeros in the first 2n - 1 bits and nothing after them, every select
 * sample where its zero is, no run of ones (a degree) above 10, so every select stays in the
 * bits and every child id below n. One pass, a word at a time.
 */
static const char *lo_image_check_louds(const struct lo_table *t)
{
	uint64_t bits = 2 * t->n_nodes - 1, zeros = 0, want = 0;

	for (uint64_t w = 0; w < t->n_louds_words; w++) {
		uint64_t valid = lo_valid_bits(w, bits), z = ~t->louds[w] & valid;
		unsigned c = sb_popcount64(z);

		if (t->louds[w] & ~valid)
			return "bits past the end of the LOUDS bits";
		for (; want < t->n_samples && want * LO_SAMPLE < zeros + c; want++)
			if (t->sample[want] != w * 64 + sb_select64(z, (unsigned)(want * LO_SAMPLE -
									 zeros)))
				return "a select sample is wrong";
		zeros += c;
	}
	if (zeros != t->n_nodes || want != t->n_samples)
		return "the LOUDS bits do not hold one zero per node";
	for (uint64_t p = 0; p < bits; p += 54) {
		uint64_t v = sb_bits64(t->louds, p), x = v & v >> 1;

		x &= x >> 2;
		x &= x >> 4;
		if (x & v >> 8 & v >> 9 & v >> 10)
			return "a node with more than 10 children";
	}
	return NULL;
}

/* The route bits, their rank directory, the packed costs and the root table. */
static const char *lo_image_check_routes(const struct lo_table *t)
{
	uint64_t routes = 0, mask = (1ULL << t->cost_bits) - 1;

	for (size_t w = 0; w < t->n_node_words; w++) {
		if (w % LO_BLOCK_WORDS == 0 && t->rank[w / LO_BLOCK_WORDS] != routes)
			return "the rank directory is wrong";
		if (t->route[w] & ~lo_valid_bits(w, t->n_nodes))
			return "route bits past the last node";
		routes += sb_popcount64(t->route[w]);
	}
	if (t->n_node_words % LO_BLOCK_WORDS == 0 && t->rank[t->n_blocks - 1] != routes)
		return "the rank directory is wrong";
	if (routes != t->n_prefixes || (routes && !t->dict.n))
		return "the route count differs from the header's";
	for (uint64_t i = 0; t->cost_bits && i < routes; i++)
		if ((sb_bits64(t->cost, i * t->cost_bits) & mask) >= t->dict.n)
			return "a route's cost is not in the dictionary";
	for (size_t x = 0; t->top && x < lo_top_entries(t->top_digits); x++)
		if ((t->top[x].node != LO_LANE_NONE && t->top[x].node >= t->n_nodes) ||
		    (t->top[x].best != LO_LANE_NONE &&
		     (t->top[x].best >= t->n_nodes || !lo_has_route(t, t->top[x].best))))
			return "a root table entry is not a node";
	return NULL;
}

/* Point t's arrays at in's sections, each of exactly the size its counts give. */
static const char *lo_image_map(const struct rt_image_in *in, struct lo_table *t)
{
	uint64_t n = in->param[LO_P_NODES], d = in->param[LO_P_TOP_DIGITS];

	if (in->n_sections != LO_N_SECTIONS || n < 1 || n >= (uint64_t)1 << 31 ||
	    d > LO_TOP_MAX || in->param[LO_P_COSTS] > in->prefixes || in->prefixes > n ||
	    in->param[LO_P_COST_BITS] != sb_bits_for(in->param[LO_P_COSTS]))
		return "bad louds parameters";
	t->n_nodes = n;
	t->n_prefixes = in->prefixes;
	t->cost_bits = (unsigned)in->param[LO_P_COST_BITS];
	t->top_digits = (unsigned)d;
	t->dict.n = in->param[LO_P_COSTS];
	t->n_louds_words = (2 * n - 1 + 63) / 64 + LO_PAD_WORDS;
	t->n_node_words = (n + 63) / 64 + LO_PAD_WORDS;
	t->n_label_words = (n + 15) / 16 + LO_PAD_WORDS;
	t->n_blocks = t->n_node_words / LO_BLOCK_WORDS + 1;
	t->n_samples = (n + LO_SAMPLE - 1) / LO_SAMPLE;
	t->n_cost_words = (t->n_prefixes * t->cost_bits + 63) / 64 + LO_PAD_WORDS;
	if (in->size[LO_S_LOUDS] != t->n_louds_words * 8 ||
	    in->size[LO_S_SAMPLE] != t->n_samples * 4 || in->size[LO_S_LABEL] != t->n_label_words * 8 ||
	    in->size[LO_S_ROUTE] != t->n_node_words * 8 || in->size[LO_S_RANK] != t->n_blocks * 4 ||
	    in->size[LO_S_COST] != t->n_cost_words * 8 ||
	    in->size[LO_S_TOP] != (d ? lo_top_entries(t->top_digits) * sizeof(struct lo_top) : 0) ||
	    in->size[LO_S_DICT] != t->dict.n * 8)
		return "a louds section has the wrong size";
	t->louds = (uint64_t *)in->data[LO_S_LOUDS];
	t->sample = (uint32_t *)in->data[LO_S_SAMPLE];
	t->label = (uint64_t *)in->data[LO_S_LABEL];
	t->route = (uint64_t *)in->data[LO_S_ROUTE];
	t->rank = (uint32_t *)in->data[LO_S_RANK];
	t->cost = (uint64_t *)in->data[LO_S_COST];
	t->top = d ? (struct lo_top *)in->data[LO_S_TOP] : NULL;
	t->dict.cost = (uint64_t *)in->data[LO_S_DICT];
	return NULL;
}

static int lo_image_open(const struct rt_image_in *in, struct route_table **out, const char **why)
{
	struct lo_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	if ((*why = lo_image_map(in, t)) || (*why = lo_image_check_louds(t)) ||
	    (*why = lo_image_check_routes(t))) {
		free(t);
		return -EINVAL;
	}
	t->base.ops = &louds_ops;
	t->built = t->mapped = 1;
	*out = &t->base;
	return 0;
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
	.lookup_batch = lo_lookup_batch,
	.image_write = lo_image_write,
	.image_open = lo_image_open,
};
