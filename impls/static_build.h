/*
 * static_build.h - shared by the structures built in finalize: packed keys, a radix sort that
 * merges duplicates, a dictionary of distinct costs, popcount/select. A key is the prefix in BCD,
 * left-aligned, length in the low nibble: sorted as integers, prefixes precede their extensions
 * and two keys' common prefix is one XOR and a clz. Sort O(n) in at most 8 byte passes, 16 bytes
 * per route plus as much scratch. Header-only (static inline): implementations stay one file;
 * valid C and C++ (hence the casts on allocations): the peers collect their routes with it too.
 */
#ifndef ROUTEBENCH_STATIC_BUILD_H
#define ROUTEBENCH_STATIC_BUILD_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"
#include "rt_key.h"

#define SB_MIN_CAP 64
#define SB_DICT_MIN_SLOTS 256

/* A collected route: its packed key, and its cost (a dictionary index after sb_dict_build). */
struct sb_route {
	uint64_t key;
	uint64_t cost;
};

struct sb_routes {
	struct sb_route *v;
	size_t n, cap;
};

/* The distinct costs, in order of first appearance in the sorted routes. */
struct sb_dict {
	uint64_t *cost;
	size_t n;
};

static inline unsigned sb_key_len(uint64_t key)
{
	return (unsigned)(key & 15);
}

static inline unsigned sb_key_digit(uint64_t key, unsigned i)
{
	return (unsigned)(key >> (60 - 4 * i)) & 15;
}

/* Pack digits[0..len) into *key. 0, or -EINVAL for a bad key (rt_key_check). */
static inline int sb_key(const char *digits, unsigned len, uint64_t *key)
{
	uint64_t k = len;

	if (rt_key_check(digits, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++)
		k |= (uint64_t)(digits[i] - '0') << (60 - 4 * i);
	*key = k;
	return 0;
}

/* The inverse of sb_key: write the key's digits to digits[0..len) (no NUL); returns len. */
static inline unsigned sb_key_unpack(uint64_t key, char *digits)
{
	unsigned len = sb_key_len(key);

	for (unsigned i = 0; i < len; i++)
		digits[i] = (char)('0' + sb_key_digit(key, i));
	return len;
}

/*
 * The digits of a number to look up, packed like a key but without its length: digits past the
 * first non-digit are dropped (no stored prefix can reach past it). Returns the usable length.
 */
static inline unsigned sb_number(const char *digits, unsigned len, uint64_t *bcd)
{
	uint64_t k = 0;
	unsigned i;

	if (len > RT_MAX_DIGITS)
		len = RT_MAX_DIGITS;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)digits[i] - '0';

		if (d > 9)
			break;
		k |= (uint64_t)d << (60 - 4 * i);
	}
	*bcd = k;
	return i;
}

/* Digits two keys share at their start, at most the shorter length. */
static inline unsigned sb_lcp(uint64_t a, uint64_t b)
{
	unsigned la = sb_key_len(a), lb = sb_key_len(b), m = la < lb ? la : lb;
	uint64_t x = (a ^ b) & ~(uint64_t)15;
	unsigned l = x ? (unsigned)__builtin_clzll(x) / 4 : RT_MAX_DIGITS;

	return l < m ? l : m;
}

static inline int sb_routes_add(struct sb_routes *r, uint64_t key, uint64_t cost)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : SB_MIN_CAP;
		struct sb_route *v = (struct sb_route *)realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].key = key;
	r->v[r->n].cost = cost;
	r->n++;
	return 0;
}

/*
 * Insert for a library that cannot store the empty key (darts, marisa): the catch-all's lowest
 * cost stays in *catch_all, every other route is collected. 0, -EINVAL or -ENOMEM.
 */
static inline int sb_routes_add_outside_empty(struct sb_routes *r, uint64_t *catch_all,
					      const char *digits, unsigned len, uint64_t cost)
{
	uint64_t key;

	if (sb_key(digits, len, &key))
		return -EINVAL;
	if (len == 0) {
		if (cost < *catch_all)
			*catch_all = cost;
		return 0;
	}
	return sb_routes_add(r, key, cost);
}

static inline void sb_routes_free(struct sb_routes *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* Sort r by key, merging equal keys into one route with the lowest cost. 0 or -ENOMEM. */
static inline int sb_routes_sort_unique(struct sb_routes *r)
{
	size_t n = r->n, m = 0;
	struct sb_route *src = r->v, *dst;
	size_t(*hist)[256];

	if (n >= 2) {
		hist = (size_t(*)[256])calloc(8, sizeof(*hist));
		dst = (struct sb_route *)malloc(n * sizeof(*dst));
		if (!hist || !dst) {
			free(hist);
			free(dst);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			for (unsigned b = 0; b < 8; b++)
				hist[b][(src[i].key >> (8 * b)) & 255]++;
		for (unsigned b = 0; b < 8; b++) {
			unsigned shift = 8 * b;
			size_t sum = 0;

			if (hist[b][(src[0].key >> shift) & 255] == n)
				continue;
			for (unsigned x = 0; x < 256; x++) {
				size_t c = hist[b][x];

				hist[b][x] = sum;
				sum += c;
			}
			for (size_t i = 0; i < n; i++)
				dst[hist[b][(src[i].key >> shift) & 255]++] = src[i];
			struct sb_route *t = src;

			src = dst;
			dst = t;
		}
		free(hist);
		/* keep whichever buffer holds the result; the other one goes */
		free(dst);
		r->v = src;
		r->cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		if (m && r->v[m - 1].key == r->v[i].key) {
			if (r->v[i].cost < r->v[m - 1].cost)
				r->v[m - 1].cost = r->v[i].cost;
		} else {
			r->v[m++] = r->v[i];
		}
	}
	r->n = m;
	return 0;
}

static inline uint64_t sb_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* Slot of cost c in an open-addressing table of cap (a power of two) slots. */
static inline size_t sb_dict_slot(const uint64_t *slot, size_t cap, uint64_t c)
{
	size_t h = sb_mix(c) & (cap - 1);

	while (slot[h] != c && slot[h] != RT_NO_ROUTE)
		h = (h + 1) & (cap - 1);
	return h;
}

/*
 * Replace every route's cost by its index in a new dictionary *d of the distinct costs (d->cost
 * is exactly d->n long). O(n) with an open-addressing hash of the distinct costs. 0 or -ENOMEM
 * (then r is unchanged and *d untouched).
 */
static inline int sb_dict_build(struct sb_routes *r, struct sb_dict *d)
{
	size_t cap = SB_DICT_MIN_SLOTS, n = 0;
	uint64_t *slot = (uint64_t *)malloc(cap * sizeof(*slot)), *cost = NULL;
	uint32_t *idx = (uint32_t *)malloc(cap * sizeof(*idx));

	if (!slot || !idx)
		goto fail;
	memset(slot, 0xff, cap * sizeof(*slot)); /* RT_NO_ROUTE: never a cost */
	for (size_t i = 0; i < r->n; i++) {
		uint64_t c = r->v[i].cost;
		size_t h = sb_dict_slot(slot, cap, c);

		if (slot[h] != RT_NO_ROUTE)
			continue;
		slot[h] = c;
		idx[h] = (uint32_t)n++;
		if (2 * n <= cap)
			continue;
		size_t ncap = cap * 4;
		uint64_t *ns = (uint64_t *)malloc(ncap * sizeof(*ns));
		uint32_t *ni = (uint32_t *)malloc(ncap * sizeof(*ni));

		if (!ns || !ni) {
			free(ns);
			free(ni);
			goto fail;
		}
		memset(ns, 0xff, ncap * sizeof(*ns));
		for (size_t j = 0; j < cap; j++) {
			if (slot[j] == RT_NO_ROUTE)
				continue;
			size_t g = sb_dict_slot(ns, ncap, slot[j]);

			ns[g] = slot[j];
			ni[g] = idx[j];
		}
		free(slot);
		free(idx);
		slot = ns;
		idx = ni;
		cap = ncap;
	}
	cost = (uint64_t *)malloc((n ? n : 1) * sizeof(*cost));
	if (!cost)
		goto fail;
	for (size_t j = 0; j < cap; j++)
		if (slot[j] != RT_NO_ROUTE)
			cost[idx[j]] = slot[j];
	for (size_t i = 0; i < r->n; i++)
		r->v[i].cost = idx[sb_dict_slot(slot, cap, r->v[i].cost)];
	free(slot);
	free(idx);
	d->cost = cost;
	d->n = n;
	return 0;
fail:
	free(slot);
	free(idx);
	free(cost);
	return -ENOMEM;
}

/* Undo sb_dict_build: give the routes their costs back and free the dictionary. */
static inline void sb_dict_undo(struct sb_routes *r, struct sb_dict *d)
{
	if (d->cost)
		for (size_t i = 0; i < r->n; i++)
			r->v[i].cost = d->cost[r->v[i].cost];
	free(d->cost);
	d->cost = NULL;
	d->n = 0;
}

#define SB_PAD_WORDS 2 /* packed arrays carry this slack: sb_bits64 reads 64 bits anywhere */

/* 64 bits of the packed array v starting at bit p. */
static inline uint64_t sb_bits64(const uint64_t *v, uint64_t p)
{
	uint64_t w = p / 64;
	unsigned s = (unsigned)(p % 64);

	return s ? v[w] >> s | v[w + 1] << (64 - s) : v[w];
}

/* OR the n low bits of x into the packed array v at bit p (v starts zeroed). */
static inline void sb_put_bits(uint64_t *v, uint64_t p, uint64_t x, unsigned n)
{
	uint64_t w = p / 64;
	unsigned s = (unsigned)(p % 64);

	v[w] |= x << s;
	if (s && s + n > 64)
		v[w + 1] |= x >> (64 - s);
}

/* Bits needed to tell n values apart (0 for n <= 1). */
static inline unsigned sb_bits_for(size_t n)
{
	unsigned b = 0;

	while (b < 64 && ((size_t)1 << b) < n)
		b++;
	return b;
}

static inline unsigned sb_popcount64(uint64_t x)
{
#if defined(__POPCNT__) || (defined(__GNUC__) && !defined(__x86_64__) && !defined(__i386__))
	return (unsigned)__builtin_popcountll(x);
#else
	/* without -mpopcnt GCC calls a library routine; this stays inline */
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
#endif
}

/* Position of the r-th (from 0) set bit of x; r < popcount(x). Broadword, after Vigna. */
static inline unsigned sb_select64(uint64_t x, unsigned r)
{
	const uint64_t l8 = 0x0101010101010101ULL, h8 = 0x8080808080808080ULL;
	uint64_t s = x - ((x >> 1) & 0x5555555555555555ULL);

	s = (s & 0x3333333333333333ULL) + ((s >> 2) & 0x3333333333333333ULL);
	s = (s + (s >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	uint64_t sums = s * l8; /* byte i: set bits in bytes 0..i */
	uint64_t le = (((uint64_t)r * l8 | h8) - sums) & h8;
	unsigned place = (unsigned)(((le >> 7) * l8) >> 56) * 8;
	unsigned before = place ? (unsigned)(sums >> (place - 8)) & 255 : 0;
	uint64_t b = (x >> place) & 255;

	for (r -= before; r; r--)
		b &= b - 1;
	return place + (unsigned)__builtin_ctzll(b);
}

#endif
