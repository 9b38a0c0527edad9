/*
 * load_fast.h - the loaders' fast path: a plain route or number line checked and converted
 * 16 bytes at a time (SSE2 on x86-64, an 8-byte SWAR fallback elsewhere), digits to integers
 * 8 at a time. It takes only lines it is sure of and says 0 for anything else, which then
 * goes to the careful per-line parser, so errors and quirks (CRLF, blanks, BOM) stay its own.
 * Cost: a few dozen instructions per line, no branch per digit. Lesson: the common case can
 * be fast and the rare case exact when the fast path is a strict subset of the slow one.
 */
#ifndef ROUTEBENCH_LOAD_FAST_H
#define ROUTEBENCH_LOAD_FAST_H

#include <stdint.h>
#include <string.h>

#include "load.h"
#include "route_table.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DS_FAST_SAFE 48 /* the fast path reads less than this far past a line's start */

static inline uint64_t ds_fast_load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#if defined(__SSE2__)
/* 0xff in each byte of v that is an ASCII digit: '0'..'9' moved to -128..-119, one compare. */
static inline __m128i ds_fast_digit16(__m128i v)
{
	__m128i t = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));

	return _mm_cmplt_epi8(t, _mm_set1_epi8(-128 + 10));
}
#endif

/* How many of p[0..16) are ASCII digits before the first that is not (16: all of them). */
static inline unsigned ds_fast_digit_run(const char *p)
{
#if defined(__SSE2__)
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	unsigned digit = (unsigned)_mm_movemask_epi8(ds_fast_digit16(v));

	return (unsigned)__builtin_ctz(~digit | 0x10000u);
#else
	for (unsigned half = 0; half < 2; half++) {
		uint64_t x = ds_fast_load64(p + 8 * half);
		const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL, hi = 0x8080808080808080ULL;
		/* a byte of y is zero iff that byte of x is a digit: 0x3_ with low nibble <= 9 */
		uint64_t y = ((x & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL) |
			     (((x & 0x0f0f0f0f0f0f0f0fULL) + 0x0606060606060606ULL) &
			      0xf0f0f0f0f0f0f0f0ULL);
		uint64_t nonzero = (((y & lo7) + lo7) | y) & hi;

		if (nonzero)
			return 8 * half + (unsigned)__builtin_ctzll(nonzero) / 8;
	}
	return 16;
#endif
}

/* The 8-digit number whose digit values (0..9) are v's bytes, the first in its lowest byte. */
static inline uint64_t ds_fast_digits8(uint64_t v)
{
	v = v * 10 + (v >> 8);
	return (((v & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
		(((v >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >> 32;
}

/* The value of the k (0..8) ASCII digits at p, without a branch; p[0..8) must be readable. */
static inline uint64_t ds_fast_value8(const char *p, unsigned k)
{
	unsigned half = 4 * (8 - k); /* two shifts of half: k = 0 shifts all 64 bits out */

	/* bytes past the digits may borrow, but only upwards, into bytes the shift drops */
	return ds_fast_digits8(((ds_fast_load64(p) - 0x3030303030303030ULL) << half) << half);
}

/*
 * The value of the k (0..16) ASCII digits at p, without a branch on k (prefix lengths vary
 * line to line, and a mispredicted branch costs more than the second half); p[0..16) must be
 * readable.
 */
static inline uint64_t ds_fast_value(const char *p, unsigned k)
{
	unsigned lo = k < 8 ? k : 8, hi = k - lo;

	return ds_fast_value8(p, hi) * 100000000ULL + ds_fast_value8(p + hi, lo);
}

/*
 * ds_fast_cost's other costs (not "d" or "d." and up to 4 decimals): out of line, so that the
 * registers it needs do not spill the window loop's. When the cost fits in 8 bytes the '.' is
 * squeezed out and all its digits convert at once. c[0..16) must be readable.
 */
__attribute__((noinline, unused)) static uint64_t ds_fast_cost_long(const char *c, unsigned ci,
								      unsigned cf)
{
	static const uint32_t scale[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };

	if (ci + cf < 8) {
		uint64_t x = ds_fast_load64(c), lo = (1ULL << (8 * ci)) - 1;

		x = (x & lo) | ((x >> 8) & ~lo);
		return ds_fast_value8((const char *)&x, ci + cf) * scale[cf];
	}
	return ds_fast_value(c, ci) * 1000000 + ds_fast_value8(c + ci + 1, cf) * scale[cf];
}

/*
 * The cost whose ci integer digits start at c, then '.' and cf decimals if cf > 0, in
 * micro-units. "d" to "d.dddd" (most costs) inline, without a branch on cf; the rest by
 * ds_fast_cost_long. c[0..16) must be readable.
 */
static inline uint64_t ds_fast_cost(const char *c, unsigned ci, unsigned cf)
{
	if (ci == 1 && cf <= 4) {
		/* the decimals as 4 digits, the bytes past them zeroed (ten-thousandths) */
		static const uint32_t keep[5] = { 0, 0xff, 0xffff, 0xffffff, 0xffffffff };
		uint32_t f;

		memcpy(&f, c + 2, sizeof(f));
		f = (f ^ 0x30303030u) & keep[cf];
		f = (f * 10 + (f >> 8)) & 0x00ff00ffu; /* two 2-digit lanes, then one multiply: */
		f = (f * (1 + (100u << 16))) >> 16;   /* bits 16..31 hold lane 0 * 100 + lane 2 */
		return (uint64_t)(unsigned char)c[0] * 1000000 - '0' * 1000000ULL + f * 100;
	}
	return ds_fast_cost_long(c, ci, cf);
}

/*
 * A route line "+DIGITS,COST\n" at p with nothing else on it: 0 to 15 digits, a cost of 1 to
 * 12 integer digits and optionally '.' and 1 to 6 decimals. The bytes it takes (its '\n'
 * included), with *len and *micros set; 0 for any other line (the careful parser decides).
 * p[0..DS_FAST_SAFE) must be readable.
 */
static inline size_t ds_fast_route(const char *p, unsigned *len, uint64_t *micros)
{
	const char *c, *e;
	unsigned n, ci, cf = 0;

	if (p[0] != '+')
		return 0;
	n = ds_fast_digit_run(p + 1);
	if (n > RT_MAX_DIGITS || p[1 + n] != ',')
		return 0;
	c = p + 2 + n;
	ci = ds_fast_digit_run(c);
	if (ci == 0 || ci > 12)
		return 0;
	e = c + ci;
	if (*e == '.') {
		cf = ds_fast_digit_run(e + 1);
		if (cf == 0 || cf > 6)
			return 0;
		e += 1 + cf;
	}
	if (*e != '\n')
		return 0;
	*len = n;
	*micros = ds_fast_cost(c, ci, cf);
	return (size_t)(e + 1 - p);
}

/* --- 64 bytes at a time: line ends from a bit mask, so lines parse independently ---------- */

#define DS_FAST_WINDOW 64 /* bytes a window's masks cover */
#define DS_FAST_BLOCK_SAFE (DS_FAST_WINDOW + 32) /* readable from a window's start */
#define DS_FAST_MAX_LINES (DS_FAST_WINDOW / 4)  /* a plain route line has 4 bytes or more */

#if !defined(__SSE2__)
/* The high bit of each byte of x, gathered into bits 0..7. */
static inline uint64_t ds_fast_gather8(uint64_t hi)
{
	uint64_t t = hi >> 7;

	t |= t >> 7;
	t |= t >> 14;
	t |= t >> 28;
	return t & 0xff;
}

/* The high bit of each byte of x set iff that byte is not zero. */
static inline uint64_t ds_fast_nonzero8(uint64_t y)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;

	return (((y & lo7) + lo7) | y) & 0x8080808080808080ULL;
}
#endif

/* Bit i set iff p[i] == ch, for p[0..64). */
static inline uint64_t ds_fast_eq64(const char *p, char ch)
{
	uint64_t m = 0;
#if defined(__SSE2__)
	__m128i c = _mm_set1_epi8(ch);

	for (unsigned i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));

		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * i);
	}
#else
	for (unsigned i = 0; i < 8; i++) {
		uint64_t y = ds_fast_load64(p + 8 * i) ^ (0x0101010101010101ULL * (uint8_t)ch);

		m |= ds_fast_gather8(~ds_fast_nonzero8(y) & 0x8080808080808080ULL) << (8 * i);
	}
#endif
	return m;
}

/* Bit i set iff p[i] is not an ASCII digit, for p[0..64). */
static inline uint64_t ds_fast_nondigit64(const char *p)
{
	uint64_t m = 0;
#if defined(__SSE2__)
	for (unsigned i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));

		m |= (uint64_t)(unsigned)_mm_movemask_epi8(ds_fast_digit16(v)) << (16 * i);
	}
	return ~m;
#else
	for (unsigned i = 0; i < 8; i++) {
		uint64_t x = ds_fast_load64(p + 8 * i);
		uint64_t y = ((x & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL) |
			     (((x & 0x0f0f0f0f0f0f0f0fULL) + 0x0606060606060606ULL) &
			      0xf0f0f0f0f0f0f0f0ULL);

		m |= ds_fast_gather8(ds_fast_nonzero8(y)) << (8 * i);
	}
	return m;
#endif
}

/* Where a plain line's parts are, in a window: its '+', its digits and its cost's text. */
struct ds_fast_span {
	unsigned off, len; /* the '+' at p[off], len digits after it */
	unsigned c, ci, cf; /* the cost at p[c]: ci integer digits, '.' and cf decimals if cf */
};

/*
 * Whether the line p[a..z] of a window (z its '\n', nd the window's non-digit mask) is plain;
 * if so where its parts are, in *s (nothing converted). Every shift is by at most z < 64, and
 * bit z of nd (the '\n') is set, so every count stops inside the line.
 */
static inline int ds_fast_line_check(const char *p, unsigned a, unsigned z, uint64_t nd,
				     struct ds_fast_span *s)
{
	unsigned n, c, ci, e, cf = 0;

	if (p[a] != '+')
		return 0;
	n = (unsigned)__builtin_ctzll(nd >> (a + 1));
	c = a + 1 + n;
	if (n > RT_MAX_DIGITS || p[c] != ',')
		return 0;
	ci = (unsigned)__builtin_ctzll(nd >> ++c);
	e = c + ci;
	if (__builtin_expect(p[e] == '.', 1)) { /* most costs have decimals */
		cf = (unsigned)__builtin_ctzll(nd >> (e + 1));
		if (cf - 1 > 5) /* "1." or more than 6 decimals */
			return 0;
		e += 1 + cf;
	}
	if (e != z || ci - 1 > 11)
		return 0;
	s->off = a;
	s->len = n;
	s->c = c;
	s->ci = ci;
	s->cf = cf;
	return 1;
}

/* The same, the cost converted: its prefix length in *len and its cost in *cost. */
static inline int ds_fast_line_at(const char *p, unsigned a, unsigned z, uint64_t nd,
				  unsigned *len, uint64_t *cost)
{
	struct ds_fast_span s;

	if (!ds_fast_line_check(p, a, z, nd, &s))
		return 0;
	*len = s.len;
	*cost = ds_fast_cost(p + s.c, s.ci, s.cf);
	return 1;
}

/*
 * The plain route lines wholly inside p[0..DS_FAST_WINDOW), from p[0] on, up to the first
 * that is not plain or not wholly inside, as spans into out[DS_FAST_MAX_LINES] (their costs
 * left as text, for a caller that converts only the few it needs); their count returned, *used
 * the bytes they take. p[0..DS_FAST_BLOCK_SAFE) must be readable.
 */
static inline unsigned ds_fast_spans64(const char *p, struct ds_fast_span *out, size_t *used)
{
	uint64_t nl = ds_fast_eq64(p, '\n'), nd = ds_fast_nondigit64(p);
	unsigned a = 0, k = 0;

	for (; nl; nl &= nl - 1, k++) {
		unsigned z = (unsigned)__builtin_ctzll(nl);

		if (!ds_fast_line_check(p, a, z, nd, &out[k]))
			break;
		a = z + 1;
	}
	*used = a;
	return k;
}

/* One plain route line of a window: where its '+' is, its prefix length and cost. */
struct ds_fast_line {
	uint64_t cost;
	unsigned off, len;
};

/*
 * The plain route lines (as ds_fast_route takes them) wholly inside p[0..DS_FAST_WINDOW),
 * from p[0] on, up to the first line that is not plain or not wholly inside: each into
 * out[DS_FAST_MAX_LINES], their count returned, *used the bytes they take. Each line's end
 * comes from the window's '\n' mask, not from parsing the line before it, so the processor
 * overlaps the lines. p[0..DS_FAST_BLOCK_SAFE) must be readable.
 */
static inline unsigned ds_fast_routes64(const char *p, struct ds_fast_line *out, size_t *used)
{
	uint64_t nl = ds_fast_eq64(p, '\n'), nd = ds_fast_nondigit64(p);
	unsigned a = 0, k = 0;

	for (; nl; nl &= nl - 1, k++) {
		unsigned z = (unsigned)__builtin_ctzll(nl);

		if (!ds_fast_line_at(p, a, z, nd, &out[k].len, &out[k].cost))
			break;
		out[k].off = a;
		a = z + 1;
	}
	*used = a;
	return k;
}

/* The same, straight into route records out[DS_FAST_MAX_LINES] (the loader's array). */
static inline unsigned ds_fast_records64(const char *p, struct ds_route *out, size_t *used)
{
	uint64_t nl = ds_fast_eq64(p, '\n'), nd = ds_fast_nondigit64(p);
	unsigned a = 0, k = 0, len;

	for (; nl; nl &= nl - 1, k++) {
		unsigned z = (unsigned)__builtin_ctzll(nl);

		if (!ds_fast_line_at(p, a, z, nd, &len, &out[k].cost))
			break;
		out[k].len = (uint8_t)len;
		memcpy(out[k].digits, p + a + 1, RT_MAX_DIGITS);
		a = z + 1;
	}
	*used = a;
	return k;
}

/*
 * A number line "+DIGITS\n" at p, 1 to 15 digits and nothing else: the bytes it takes, with
 * *len set, or 0 (the careful parser decides). p[0..DS_FAST_SAFE) must be readable.
 */
static inline size_t ds_fast_number(const char *p, unsigned *len)
{
	unsigned n;

	if (p[0] != '+')
		return 0;
	n = ds_fast_digit_run(p + 1);
	if (n == 0 || n > RT_MAX_DIGITS || p[1 + n] != '\n')
		return 0;
	*len = n;
	return n + 2;
}

#endif
