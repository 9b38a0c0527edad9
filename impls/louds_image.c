/*
 * louds_image.c - the succinct trie's route image: its arrays written as they are, and on open
 * one pass over each to check every position a lookup can compute (select, rank, tails) stays
 * inside its section: O(n) word operations, no build. The lesson: a succinct structure's
 * invariants are counts (zeros, ones, runs), so they are checked a word at a time.
 */
#include "louds.h"

#include "image.h"

#include <errno.h>
#include <stdlib.h>

enum { LO_P_NODES, LO_P_COST_BITS, LO_P_TOP_DIGITS, LO_P_COSTS, LO_P_LAYOUT, LO_P_TAIL_DIGITS };
enum { LO_S_LOUDS, LO_S_LINE, LO_S_BASE, LO_S_COST, LO_S_TOP, LO_S_DICT, LO_S_TBITS,
       LO_S_TSAMPLE, LO_S_TDIG, LO_N_SECTIONS };

static size_t lo_image_top_entries(unsigned digits)
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

int lo_image_write(const struct route_table *rt, struct rt_image_out *o)
{
	const struct lo_table *t = (const struct lo_table *)rt;

	if (!t->built)
		return -EINVAL;
	o->param[LO_P_NODES] = t->n_nodes;
	o->param[LO_P_COST_BITS] = t->cost_bits;
	o->param[LO_P_TOP_DIGITS] = t->top_digits;
	o->param[LO_P_COSTS] = t->dict.n;
	o->param[LO_P_LAYOUT] = LO_LAYOUT;
	o->param[LO_P_TAIL_DIGITS] = t->tails ? t->n_tail_digits : 0;
	rt_image_add(o, t->louds, t->n_louds_words * sizeof(*t->louds));
	rt_image_add(o, t->line, t->n_line_words * sizeof(*t->line));
	rt_image_add(o, t->lbase, t->n_bases * sizeof(*t->lbase));
	rt_image_add(o, t->cost, t->n_cost_words * sizeof(*t->cost));
	rt_image_add(o, t->top,
		     t->top ? lo_image_top_entries(t->top_digits) * sizeof(*t->top) : 0);
	rt_image_add(o, t->dict.cost, t->dict.n * sizeof(*t->dict.cost));
	rt_image_add(o, t->tbits, t->n_tbits_words * 8);
	rt_image_add(o, t->tsample, t->n_tsamples * 4);
	rt_image_add(o, t->tdig, t->n_tdig_words * 8);
	return 0;
}

/*
 * Bit vector v of n_words words: exactly `ones` set bits (of the complement if flip) in its
 * first `bits` bits and none after, sample[i] at set bit number i * LO_SAMPLE. NULL or why.
 */
static const char *lo_check_select(const uint64_t *v, size_t n_words, uint64_t bits,
				   uint64_t ones, const uint32_t *sample, size_t n_samples,
				   uint64_t flip)
{
	uint64_t seen = 0, want = 0;

	for (uint64_t w = 0; w < n_words; w++) {
		uint64_t valid = lo_valid_bits(w, bits), x = (v[w] ^ flip) & valid;
		unsigned c = sb_popcount64(x);

		if ((v[w] ^ (flip & valid)) & ~valid)
			return "bits past the end of a bit vector";
		for (; want < n_samples && want * LO_SAMPLE < seen + c; want++)
			if (sample[want] !=
			    w * 64 + sb_select64(x, (unsigned)(want * LO_SAMPLE - seen)))
				return "a select sample is wrong";
		seen += c;
	}
	return seen != ones || want != n_samples ? "a bit vector holds the wrong count" : NULL;
}

/* No run of ones (a degree) above 10 in the LOUDS bits; no zero run (a tail) above the max. */
static const char *lo_check_runs(const struct lo_table *t)
{
	uint64_t bits = 2 * t->n_nodes - 1, ones = t->n_prefixes + 1 + t->n_tail_digits, last = 0;

	for (uint64_t p = 0; p < bits; p += 54) {
		uint64_t v = sb_bits64(t->louds, p), x = v & v >> 1;

		x &= x >> 2;
		x &= x >> 4;
		if (x & v >> 8 & v >> 9 & v >> 10)
			return "a node with more than 10 children";
	}
	if (!t->tails)
		return NULL;
	if (!(t->tbits[0] & 1) || !(t->tbits[(ones - 1) / 64] >> ((ones - 1) % 64) & 1))
		return "the tail bits do not start and end with a route";
	for (uint64_t w = 0; w < t->n_tbits_words; w++)
		for (uint64_t x = t->tbits[w]; x; x &= x - 1) {
			uint64_t p = w * 64 + (unsigned)__builtin_ctzll(x);

			if (p - last > LO_TAIL_MAX + 1)
				return "a tail longer than the longest number";
			last = p;
		}
	return NULL;
}

/* Bits of line word w (of a line holding `nodes` fields) its header or fields may set. */
static uint64_t lo_line_valid(unsigned w, uint64_t nodes)
{
	return lo_valid_bits(w, 32 + 5 * nodes);
}

/*
 * Each line's header and each group's base against a walk of the LOUDS zeros and route bits
 * (the zero count is checked first, so every select stops inside the bits); no field bits past
 * the last node. NULL or why.
 */
static const char *lo_check_lines(const struct lo_table *t)
{
	uint64_t p = 0, c = 0;
	struct lo_base b = { 0, 0 };

	for (uint64_t l = 0; l < t->n_lines; l++) {
		const uint64_t *w = t->line + l * LO_LINE_WORDS;
		uint64_t nodes = t->n_nodes - l * LO_LINE_NODES;

		if (l)
			p = lo_select_from(t->louds, p, LO_LINE_NODES - 1, UINT64_MAX) + 1;
		if (l % LO_BASE_LINES == 0) {
			b = t->lbase[l / LO_BASE_LINES];
			if (b.louds != p || b.rank != c)
				return "a line group base is wrong";
		}
		if ((w[0] & 0xffffffffULL) != ((p - b.louds) | (c - b.rank) << 16))
			return "a line header is wrong";
		nodes = nodes < LO_LINE_NODES ? nodes : LO_LINE_NODES;
		for (unsigned i = 0; i < LO_LINE_WORDS; i++) {
			if (w[i] & ~lo_line_valid(i, nodes))
				return "node fields past the last node";
			c += sb_popcount64(w[i] & lo_line_routes(i));
		}
	}
	for (size_t i = t->n_lines * LO_LINE_WORDS; i < t->n_line_words; i++)
		if (t->line[i])
			return "node fields past the last node";
	return c == t->n_prefixes ? NULL : "the route count differs from the header's";
}

/* The packed costs and the root table. */
static const char *lo_check_routes(const struct lo_table *t)
{
	uint64_t mask = (1ULL << t->cost_bits) - 1, routes = t->n_prefixes;

	if (routes && !t->dict.n)
		return "the route count differs from the header's";
	for (uint64_t i = 0; t->cost_bits && i < routes; i++)
		if ((sb_bits64(t->cost, i * t->cost_bits) & mask) >= t->dict.n)
			return "a route's cost is not in the dictionary";
	for (size_t x = 0; t->top && x < lo_image_top_entries(t->top_digits); x++)
		if ((t->top[x].node != LO_NONE && t->top[x].node >= t->n_nodes) ||
		    (t->top[x].best != LO_NONE &&
		     (t->top[x].best >= t->n_nodes || !lo_has_route(t, t->top[x].best))))
			return "a root table entry is not a node";
	return NULL;
}

/* Point t's arrays at in's sections, each of exactly the size its counts give. */
static const char *lo_image_map(const struct rt_image_in *in, struct lo_table *t)
{
	uint64_t n = in->param[LO_P_NODES], d = in->param[LO_P_TOP_DIGITS];
	uint64_t digits = in->param[LO_P_TAIL_DIGITS], top;

	if (in->param[LO_P_LAYOUT] != LO_LAYOUT)
		return "a louds image of another layout (rebuild it)";
	if (in->n_sections != LO_N_SECTIONS || n < 1 || n >= (uint64_t)1 << 31 ||
	    d > LO_TOP_MAX || in->param[LO_P_COSTS] > in->prefixes || in->prefixes > n ||
	    digits > (uint64_t)LO_TAIL_MAX * in->prefixes ||
	    in->param[LO_P_COST_BITS] != sb_bits_for(in->param[LO_P_COSTS]))
		return "bad louds parameters";
	t->n_nodes = n;
	t->n_prefixes = in->prefixes;
	t->cost_bits = (unsigned)in->param[LO_P_COST_BITS];
	t->top_digits = (unsigned)d;
	t->dict.n = in->param[LO_P_COSTS];
	t->n_tail_digits = digits;
	t->tails = digits > 0;
	lo_sizes(t);
	top = d ? lo_image_top_entries(t->top_digits) * sizeof(struct lo_top) : 0;
	if (in->size[LO_S_LOUDS] != t->n_louds_words * 8 ||
	    in->size[LO_S_LINE] != t->n_line_words * 8 ||
	    in->size[LO_S_BASE] != t->n_bases * sizeof(struct lo_base) ||
	    in->size[LO_S_COST] != t->n_cost_words * 8 || in->size[LO_S_TOP] != top ||
	    in->size[LO_S_DICT] != t->dict.n * 8 || in->size[LO_S_TBITS] != t->n_tbits_words * 8 ||
	    in->size[LO_S_TSAMPLE] != t->n_tsamples * 4 ||
	    in->size[LO_S_TDIG] != t->n_tdig_words * 8)
		return "a louds section has the wrong size";
	t->louds = (uint64_t *)in->data[LO_S_LOUDS];
	t->line = (uint64_t *)in->data[LO_S_LINE];
	t->lbase = (struct lo_base *)in->data[LO_S_BASE];
	t->cost = (uint64_t *)in->data[LO_S_COST];
	t->top = d ? (struct lo_top *)in->data[LO_S_TOP] : NULL;
	t->dict.cost = (uint64_t *)in->data[LO_S_DICT];
	t->tbits = t->tails ? (uint64_t *)in->data[LO_S_TBITS] : NULL;
	t->tsample = t->tails ? (uint32_t *)in->data[LO_S_TSAMPLE] : NULL;
	t->tdig = t->tails ? (uint64_t *)in->data[LO_S_TDIG] : NULL;
	return NULL;
}

int lo_image_open(const struct rt_image_in *in, struct route_table **out, const char **why)
{
	struct lo_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	if ((*why = lo_image_map(in, t)) ||
	    (*why = lo_check_select(t->louds, t->n_louds_words, 2 * t->n_nodes - 1, t->n_nodes,
				    NULL, 0, UINT64_MAX)) ||
	    (t->tails &&
	     (*why = lo_check_select(t->tbits, t->n_tbits_words,
				     t->n_prefixes + 1 + t->n_tail_digits, t->n_prefixes + 1,
				     t->tsample, t->n_tsamples, 0))) ||
	    (*why = lo_check_runs(t)) || (*why = lo_check_lines(t)) ||
	    (*why = lo_check_routes(t))) {
		free(t);
		return -EINVAL;
	}
	t->base.ops = &louds_ops;
	t->built = t->mapped = 1;
	*out = &t->base;
	return 0;
}
