/*
 * louds.h - the succinct trie's layout and its bit-level reads, shared by louds.c (build,
 * lookups) and louds_image.c (its route image: written as is, checked when opened).
 * Private to those two files: the rest of routebench sees only louds_ops.
 */
#ifndef ROUTEBENCH_LOUDS_H
#define ROUTEBENCH_LOUDS_H

#include <stddef.h>
#include <stdint.h>
#ifdef __BMI2__
#include <immintrin.h>
#endif

#include "route_table.h"
#include "static_build.h"

#define LO_SAMPLE 64		  /* a select sample per this many ones (tails) */
#define LO_LINE_NODES 96	  /* node fields per 64-byte line, after its 32-bit header */
#define LO_LINE_WORDS 8		  /* a line: 8 words, 512 bits */
#define LO_BASE_LINES 32	  /* an absolute LOUDS position and rank per 32 lines */
#define LO_PAD_WORDS SB_PAD_WORDS /* arrays are read 64 bits at any bit offset */
#define LO_NONE UINT32_MAX	  /* no node (ids are below 2^31): no route seen, or no child */
#define LO_TOP_MAX 5		  /* the root table covers at most the first 5 digits */
#define LO_TOP_SHARE 16		  /* and takes at most 1/16 of the structure's bytes */
#define LO_TAIL_MAX 14		  /* digits in one tail: nibbles of one 64-bit read */
#define LO_LAYOUT 3		  /* image param: 5-bit node fields in lines, tails */

extern const struct route_table_ops louds_ops;

/* Where the first top_digits digits of a number lead: a shortcut past the cache-hot levels. */
struct lo_top {
	uint32_t node; /* the node at that depth, or LO_NONE if the path leaves the trie earlier */
	uint32_t best; /* the deepest node with a route above that depth, or LO_NONE */
};

/* Where line group g (LO_BASE_LINES lines) starts: its first node's LOUDS run, routes before. */
struct lo_base {
	uint32_t louds, rank;
};

/*
 * Node ids are breadth-first, root 0. louds holds, for each node in id order, one 1 per child
 * and a 0: the children of node k are the ones after the (k-1)-th zero, and the c-th one overall
 * is node c + 1. Node k's field, 5 bits in 64-byte line k / 96: the digit on the edge into k (low
 * 4 bits; siblings in digit order) and a route bit (bit 4), so the child found carries its route
 * bit along. The line's first 32 bits say where its first node's LOUDS run starts (low 16) and
 * how many routes come before it (high 16), both relative to its group's lo_base: the line that
 * gave a node's field also gives the start of the select for its children and its rank, so a
 * digit costs two cache lines (the line, the LOUDS word), not three (sample, word, fields).
 * A chain of single children down to one route (a leaf) is cut at its head, at depth
 * LO_TOP_MAX or more: the head is a leaf with a route bit, its remaining digits a tail. Tails are
 * numbered by route rank (every route has one, mostly empty): tbits holds, per route, a 1 and
 * one 0 per tail digit; tail i's digits are at nibble select1(i) - i of tdig.
 */
struct lo_table {
	struct route_table base;
	struct sb_routes in; /* routes collected until finalize */
	struct sb_dict dict;
	uint64_t *louds;	/* 2 n_nodes - 1 bits */
	uint64_t *line;		/* n_lines lines: header, then 96 5-bit fields (digit, route) */
	struct lo_base *lbase;/* per LO_BASE_LINES lines */
	uint64_t *cost;	    /* cost_bits per route, in id order */
	struct lo_top *top; /* 10^top_digits entries, or NULL */
	uint64_t *tbits;    /* tails: n_prefixes + 1 ones (the last a sentinel), a 0 per digit */
	uint32_t *tsample;  /* position of one number i * LO_SAMPLE in tbits */
	uint64_t *tdig;	    /* tail digits, 4 bits each */
	unsigned cost_bits, top_digits, tails;
	size_t n_nodes, n_louds_words, n_lines, n_line_words, n_bases, n_cost_words;
	size_t n_prefixes, n_tail_digits, n_tbits_words, n_tsamples, n_tdig_words;
	int built;
	int mapped; /* opened from an image: every array is one of its sections */
};

/* The array lengths that n_nodes, n_prefixes, cost_bits and n_tail_digits (tails) imply. */
static inline void lo_sizes(struct lo_table *t)
{
	uint64_t n = t->n_nodes, ones = t->n_prefixes + 1;

	t->n_louds_words = (2 * n - 1 + 63) / 64 + LO_PAD_WORDS;
	t->n_lines = (n + LO_LINE_NODES - 1) / LO_LINE_NODES;
	t->n_line_words = t->n_lines * LO_LINE_WORDS + LO_PAD_WORDS;
	t->n_bases = (t->n_lines + LO_BASE_LINES - 1) / LO_BASE_LINES;
	t->n_cost_words = (t->n_prefixes * t->cost_bits + 63) / 64 + LO_PAD_WORDS;
	t->n_tbits_words = t->tails ? (ones + t->n_tail_digits + 63) / 64 + LO_PAD_WORDS : 0;
	t->n_tsamples = t->tails ? (ones + LO_SAMPLE - 1) / LO_SAMPLE : 0;
	t->n_tdig_words = t->tails ? (4 * t->n_tail_digits + 63) / 64 + LO_PAD_WORDS : 0;
}

/* Position of the r-th (from 0) set bit of x (r < its popcount); pdep where BMI2 is on. */
static inline unsigned lo_select64(uint64_t x, unsigned r)
{
#ifdef __BMI2__
	return (unsigned)__builtin_ctzll(_pdep_u64(1ULL << r, x));
#else
	return sb_select64(x, r);
#endif
}

/* Position of the r-th (from 0) set bit of v at or after bit p (word-aligned scan). */
static inline uint64_t lo_select_from(const uint64_t *v, uint64_t p, unsigned r, uint64_t flip)
{
	uint64_t w = p / 64, x = (v[w] ^ flip) & (UINT64_MAX << (p % 64));

	for (;;) {
		unsigned c = sb_popcount64(x);

		if (r < c)
			return w * 64 + lo_select64(x, r);
		r -= c;
		x = v[++w] ^ flip;
	}
}

/* Bit of line array where node k's field starts. */
static inline uint64_t lo_field_bit(uint64_t k)
{
	return k / LO_LINE_NODES * 512 + 32 + 5 * (k % LO_LINE_NODES);
}

static inline int lo_has_route(const struct lo_table *t, uint64_t k)
{
	uint64_t b = lo_field_bit(k) + 4;

	return (int)(t->line[b / 64] >> (b % 64) & 1);
}

/* Where node k's run of ones (one per child) starts in the LOUDS bits: its line, one select. */
static inline uint64_t lo_run(const struct lo_table *t, uint64_t k)
{
	uint64_t l = k / LO_LINE_NODES, r = k % LO_LINE_NODES, s;

	s = t->lbase[l / LO_BASE_LINES].louds + (t->line[l * LO_LINE_WORDS] & 0xffff);
	return r ? lo_select_from(t->louds, s, (unsigned)(r - 1), UINT64_MAX) + 1 : s;
}

/* The route bits (bit 4 of each field) within word i of a line. */
static inline uint64_t lo_line_routes(uint64_t i)
{
	static const uint64_t mask[LO_LINE_WORDS] = {
		0x2108421000000000ULL, 0x4210842108421084ULL, 0x8421084210842108ULL,
		0x0842108421084210ULL, 0x1084210842108421ULL, 0x2108421084210842ULL,
		0x4210842108421084ULL, 0x8421084210842108ULL,
	};

	return mask[i];
}

/* Set route bits before node k: its line's count, the route bits before k in that line. */
static inline uint64_t lo_rank1(const struct lo_table *t, uint64_t k)
{
	const uint64_t *w = t->line + k / LO_LINE_NODES * LO_LINE_WORDS;
	uint64_t p = 32 + 5 * (k % LO_LINE_NODES), r;

	r = t->lbase[k / LO_LINE_NODES / LO_BASE_LINES].rank + (w[0] >> 16 & 0xffff);
	for (uint64_t i = 0; i < p / 64; i++)
		r += sb_popcount64(w[i] & lo_line_routes(i));
	return r + sb_popcount64(w[p / 64] & lo_line_routes(p / 64) & ((1ULL << (p % 64)) - 1));
}

/* The fields of nodes first.. (at least deg of them, deg <= 10), 5 bits each from bit 0. */
static inline uint64_t lo_fields(const struct lo_table *t, uint64_t first, unsigned deg)
{
	const uint64_t *w = t->line + first / LO_LINE_NODES * LO_LINE_WORDS;
	unsigned o = (unsigned)(first % LO_LINE_NODES), n1 = LO_LINE_NODES - o;
	uint64_t y = sb_bits64(w, 32 + 5 * o);

	if (deg > n1) /* the siblings go on in the next line, past its header */
		y = (y & ((1ULL << (5 * n1)) - 1)) | sb_bits64(w + LO_LINE_WORDS, 32) << (5 * n1);
	return y;
}

/* Index (from 0) of the field whose digit is d among the low deg 5-bit fields of y, or deg. */
static inline unsigned lo_find_field(uint64_t y, unsigned d, unsigned deg)
{
	const uint64_t ones = 0x0084210842108421ULL, low4 = 0x07bdef7bdef7bdefULL;
	const uint64_t guard = 0x0842108421084210ULL;
	uint64_t x = (y ^ (ones * d)) & low4, hit = ~((x | guard) - ones) & guard;
	unsigned j = hit ? (unsigned)__builtin_ctzll(hit) / 5 : 16;

	return j < deg ? j : deg;
}

/* The child of node k along digit d, or LO_NONE. */
static inline uint64_t lo_child(const struct lo_table *t, uint64_t k, unsigned d)
{
	uint64_t start = lo_run(t, k), first;
	unsigned deg = (unsigned)__builtin_ctzll(~sb_bits64(t->louds, start)), j;

	first = start - k + 1;
	j = lo_find_field(lo_fields(t, first, deg), d, deg);
	return j == deg ? LO_NONE : first + j;
}

/* Where tail number i starts in tbits (its 1), and its length. */
static inline uint64_t lo_tail_at(const struct lo_table *t, uint64_t i, unsigned *len)
{
	uint64_t p = lo_select_from(t->tbits, t->tsample[i / LO_SAMPLE], (unsigned)(i % LO_SAMPLE),
				    0);

	*len = (unsigned)__builtin_ctzll(sb_bits64(t->tbits, p + 1) | 1ULL << 63);
	return p;
}

/* Whether the n digits at s start with the tail of leaf k (route rank idx). */
static inline int lo_tail_match(const struct lo_table *t, uint64_t idx, const char *s, unsigned n)
{
	unsigned len;
	uint64_t p = lo_tail_at(t, idx, &len), v = 0, want;

	if (len == 0)
		return 1;
	if (len > n || len > LO_TAIL_MAX)
		return 0;
	want = sb_bits64(t->tdig, 4 * (p - idx)) & ((1ULL << (4 * len)) - 1);
	for (unsigned q = 0; q < len; q++) {
		unsigned c = (unsigned)(unsigned char)s[q] - '0';

		if (c > 9)
			return 0;
		v |= (uint64_t)c << (4 * q);
	}
	return v == want;
}

/* The cost of route node k, or RT_NO_ROUTE for LO_NONE. */
static inline uint64_t lo_cost_of(const struct lo_table *t, uint64_t k)
{
	if (k == LO_NONE)
		return RT_NO_ROUTE;
	if (!t->cost_bits)
		return t->dict.cost[0];
	return t->dict.cost[sb_bits64(t->cost, lo_rank1(t, k) * t->cost_bits) &
			    ((1ULL << t->cost_bits) - 1)];
}

/* The node the root table's first digits lead to (LO_NONE: *best is the answer), or the root. */
static inline uint64_t lo_start(const struct lo_table *t, const char *digits, unsigned len,
				unsigned *i, uint64_t *best)
{
	uint32_t x = 0;
	unsigned j = 0;

	*best = LO_NONE;
	*i = 0;
	if (!t->top || len < t->top_digits)
		return 0;
	for (; j < t->top_digits; j++) {
		unsigned d = (unsigned)(unsigned char)digits[j] - '0';

		if (d > 9)
			return 0;
		x = x * 10 + d;
	}
	*best = t->top[x].best;
	*i = t->top_digits;
	return t->top[x].node;
}

/*
 * Past the root table, per node reached: its line's header and a select0 in the LOUDS word it
 * points to find its children; their fields give the child along the next digit, its route bit
 * and its own line's header at once. A leaf's route counts only if its tail matches the digits
 * left. The cost is at the route's rank, from the route node's line.
 */
static inline uint64_t lo_walk(const struct lo_table *t, const char *digits, unsigned len)
{
	uint64_t k, best, start, y;
	unsigned i, r, d, deg, j;

	if (!t->built)
		return RT_NO_ROUTE;
	if (len > RT_MAX_DIGITS)
		len = RT_MAX_DIGITS;
	if ((k = lo_start(t, digits, len, &i, &best)) == LO_NONE)
		return lo_cost_of(t, best);
	r = (unsigned)lo_has_route(t, k);
	for (;;) {
		d = i < len ? (unsigned)(unsigned char)digits[i] - '0' : 10;
		if (d > 9 && !(r && t->tails)) {
			best = r ? k : best;
			break;
		}
		start = lo_run(t, k);
		deg = (unsigned)__builtin_ctzll(~sb_bits64(t->louds, start));
		if (deg == 0) {
			uint64_t q = r && t->tails ? lo_rank1(t, k) : 0;

			if (q && t->cost_bits) /* its cost's miss under the tail's three */
				__builtin_prefetch(&t->cost[q * t->cost_bits / 64]);
			if (r && (!t->tails || lo_tail_match(t, q, digits + i, len - i)))
				best = k;
			break;
		}
		if (r && d <= 9 && t->cost_bits) /* overlap the cost's miss with the walk below */
			__builtin_prefetch(&t->cost[lo_rank1(t, k) * t->cost_bits / 64]);
		best = r ? k : best;
		if (d > 9)
			break;
		start = start - k + 1; /* the first child */
		y = lo_fields(t, start, deg);
		if ((j = lo_find_field(y, d, deg)) == deg)
			break;
		r = (unsigned)(y >> (5 * j + 4)) & 1;
		k = start + j;
		i++;
	}
	return lo_cost_of(t, best);
}

struct rt_image_in;
struct rt_image_out;

/* lo_walk built for popcnt and BMI2 (louds_fast.c), on x86-64 with GCC or clang. */
#if defined(__x86_64__) && defined(__GNUC__)
#define LO_HAVE_FAST 1
uint64_t lo_lookup_fast(const struct lo_table *t, const char *digits, unsigned len);
#else
#define LO_HAVE_FAST 0
#endif

/* ops->image_write and ops->image_open (louds_image.c). */
int lo_image_write(const struct route_table *rt, struct rt_image_out *o);
int lo_image_open(const struct rt_image_in *in, struct route_table **out, const char **why);

#endif
