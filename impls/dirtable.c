/*
 * dirtable.c - a direct table on the first k digits (k from the data, pages with no routes not
 * stored), leaf-pushed, over short buckets of suffixes indexed by their first digit. Built in
 * finalize O(n + 10^k); lookup: 2-3 dependent loads and a scan of 1-2 keys; ~5-6 bytes per route
 * (makeschool shape). The lesson versus the tries: index by value, don't walk digit by digit.
 */
#include "dirtable.h"
#include "route_table.h"
#include "static_build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int dt_create(struct route_table **out)
{
	struct dt_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &dirtable_ops;
	*out = &t->base;
	return 0;
}

static int dt_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct dt_table *t = (struct dt_table *)rt;
	uint64_t key;

	if (t->built || sb_key(digits, len, &key))
		return -EINVAL;
	return sb_routes_add(&t->in, key, cost);
}

/* --- build ------------------------------------------------------------------------------------ */

/* p with room for need elements of elem bytes (*cap updated), or NULL with p still valid. */
static void *dt_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	q = realloc(p, c * elem);
	if (q)
		*cap = c;
	return q;
}

/* Digits [from, to) of key as a decimal number. */
static inline uint64_t dt_value(uint64_t key, unsigned from, unsigned to)
{
	uint64_t v = 0;

	for (unsigned i = from; i < to; i++)
		v = v * 10 + sb_key_digit(key, i);
	return v;
}

/*
 * Choose k: one pass over the sorted routes counts, for each candidate, the groups of routes
 * below k (one bucket each), the routes in groups too big for a bucket, the pages, the routes
 * too sparse for a page and the short routes; the smallest estimated layout that keeps at most
 * DT_BIG_SHARE of the routes below k out of plain buckets wins.
 */
static void dt_choose_k(struct dt_table *t)
{
	const struct sb_route *r = t->in.v;
	size_t n = t->in.n, groups[DT_MAX_K + 1] = {0}, size[DT_MAX_K + 1] = {0};
	size_t pages[DT_MAX_K + 1] = {0}, longer[DT_MAX_K + 1] = {0};
	size_t big[DT_MAX_K + 1] = {0}, shorter[DT_MAX_K + 2] = {0};
	size_t paged[DT_MAX_K + 1] = {0};
	unsigned runmin[DT_MAX_K + 1] = {0}, maxlen = 1, best_k = 0;
	double best = 0, best_share = 2;
	const size_t page_min = dt_pow10[DT_PAGE_DIGITS] / 4;

	for (size_t i = 0; i <= n; i++) {
		unsigned len = i < n ? sb_key_len(r[i].key) : 0;
		unsigned lcp = i && i < n ? sb_lcp(r[i - 1].key, r[i].key) : 0;

		if (len > maxlen)
			maxlen = len;
		if (i < n && len + 1 <= DT_MAX_K + 1)
			shorter[len + 1]++;
		for (unsigned d = 1; d <= DT_MAX_K; d++) {
			if (runmin[d] > lcp)
				runmin[d] = lcp;
			if (i < n && d >= len)
				continue;
			if (i < n && size[d] && runmin[d] >= d) {
				size[d]++;
			} else {
				/* the group so far ends: count it */
				pages[d] += size[d] >= page_min;
				paged[d] += size[d] >= page_min ? size[d] : 0;
				big[d] += size[d] > DT_BUCKET_MAX ? size[d] : 0;
				groups[d] += i < n;
				size[d] = 1;
			}
			longer[d] += i < n;
			runmin[d] = RT_MAX_DIGITS;
		}
	}
	for (unsigned d = 1; d <= DT_MAX_K + 1; d++)
		shorter[d] += shorter[d - 1]; /* shorter[d]: routes of length < d */
	for (unsigned k = 1; k <= DT_MAX_K && k <= maxlen; k++) {
		unsigned p = k < DT_PAGE_DIGITS ? k : DT_PAGE_DIGITS, j = k - p;
		size_t n_pages = j ? pages[j] : n > shorter[1];
		size_t sparse = j ? longer[j] - paged[j] : 0; /* in sub-tables from depth j */
		double kb = (maxlen - k + 2) / 2;
		double share = longer[k] ? (double)big[k] / (double)longer[k] : 0;
		double bytes = 4.0 * (double)dt_pow10[j] +
			       4.0 * (double)dt_pow10[p] * (double)n_pages +
			       (DT_HEAD + 1.0) * (double)groups[k] + (kb + 1) * (double)longer[k] +
			       60.0 * (double)big[k] / DT_BUCKET_MAX + 12.0 * (double)shorter[k] +
			       10.0 * (double)sparse;
		int ok = share <= DT_BIG_SHARE, best_ok = best_share <= DT_BIG_SHARE;

		/* within the share beats outside it; then fewer bytes, or else a lower share */
		if (!best_k || (ok && !best_ok) || (ok && bytes < best) ||
		    (!ok && !best_ok && share < best_share)) {
			best = bytes;
			best_share = share;
			best_k = k;
		}
	}
	t->k = best_k ? best_k : 1;
	t->p = t->k < DT_PAGE_DIGITS ? t->k : DT_PAGE_DIGITS;
	t->j = t->k - t->p;
}

static void dt_put_cost(uint8_t *at, uint32_t code, unsigned cw)
{
	for (unsigned b = 0; b < cw; b++)
		at[b] = (uint8_t)(code >> (8 * b));
}

/* The cost code of a collected route (its cost is a dictionary index by now). */
static inline uint32_t dt_code(const struct sb_route *r)
{
	return (uint32_t)r->cost + 1;
}

/*
 * A bucket at depth D for routes r[lo..hi), each longer than D; def: the slot's own answer.
 * Header: ten 4-bit counts (keys whose first digit is <= 0, <= 1, ..., <= 9), the key width w;
 * then def, the keys (suffix digits left-aligned in w nibbles, then the suffix length, in
 * (w + 2) / 2 bytes), their costs. A lookup scans only the keys sharing its next digit.
 */
static int dt_bucket(struct dt_table *t, unsigned D, size_t lo, size_t hi, uint32_t def,
		     uint32_t *out)
{
	const struct sb_route *r = t->in.v;
	unsigned w = 1, kb, cw = t->cw;
	size_t m = hi - lo, at = t->n_bkt, need;
	uint64_t counts = 0;
	uint8_t *b;

	for (size_t i = lo; i < hi; i++) {
		if (sb_key_len(r[i].key) - D > w)
			w = sb_key_len(r[i].key) - D;
		for (unsigned d = sb_key_digit(r[i].key, D); d < 10; d++)
			counts += 1ULL << (4 * d);
	}
	kb = (w + 2) / 2;
	need = at + DT_HEAD + cw + m * (kb + cw);
	if (need > DT_MAX_VAL || !(b = dt_grow(t->bkt, &t->cap_bkt, need + DT_PAD, 1)))
		return -ENOMEM;
	t->bkt = b;
	b += at;
	for (unsigned x = 0; x < 5; x++)
		b[x] = (uint8_t)(counts >> (8 * x));
	b[5] = (uint8_t)w;
	dt_put_cost(b + DT_HEAD, def, cw);
	b += DT_HEAD + cw;
	for (size_t i = lo; i < hi; i++, b += kb) {
		unsigned l = sb_key_len(r[i].key) - D;
		/* the suffix's l digits, left-aligned in w nibbles, then its length */
		uint64_t sfx = (r[i].key << (4 * D)) >> (64 - 4 * l);
		uint64_t e = (sfx << (4 * (w - l))) << 4 | l;

		for (unsigned x = 0; x < kb; x++)
			b[x] = (uint8_t)(e >> (8 * x));
	}
	for (size_t i = lo; i < hi; i++, b += cw)
		dt_put_cost(b, dt_code(&r[i]), cw);
	memset(b, 0, DT_PAD);
	t->n_bkt = need;
	t->n_buckets++;
	t->n_in_buckets += m;
	*out = DT_MAKE(DT_BUCKET, at);
	return 0;
}

static int dt_fill(struct dt_table *t, uint32_t *tbl, size_t base, unsigned D, unsigned s,
		   size_t lo, size_t hi, uint32_t def);

/* Reserve n slots at the end of the pool; their index in *at. */
static int dt_slots(struct dt_table *t, size_t n, size_t *at)
{
	uint32_t *slot;

	if (t->n_slots + n > DT_MAX_VAL ||
	    !(slot = dt_grow(t->slot, &t->cap_slots, t->n_slots + n, sizeof(*t->slot))))
		return -ENOMEM;
	t->slot = slot;
	*at = t->n_slots;
	t->n_slots += n;
	return 0;
}

/* The entry for routes r[lo..hi) below depth D (all longer than D): a bucket or a sub-table. */
static int dt_tail(struct dt_table *t, unsigned D, size_t lo, size_t hi, uint32_t def,
		   uint32_t *out)
{
	size_t at;
	int rc;

	if (hi - lo <= DT_BUCKET_MAX)
		return dt_bucket(t, D, lo, hi, def, out);
	if ((rc = dt_slots(t, DT_TABLE_SLOTS, &at)))
		return rc;
	t->n_tables++;
	t->slot[at + 10] = DT_MAKE(DT_LEAF, def);
	if ((rc = dt_fill(t, NULL, at, D, 1, lo, hi, def)))
		return rc;
	*out = DT_MAKE(DT_TABLE, at);
	return 0;
}

/* A page on digits D..D+p-1 (D = j) for routes r[lo..hi), all longer than D. */
static int dt_page(struct dt_table *t, size_t lo, size_t hi, uint32_t def, uint32_t *out)
{
	size_t at;
	int rc;

	if ((rc = dt_slots(t, dt_pow10[t->p], &at)))
		return rc;
	t->n_pages++;
	if ((rc = dt_fill(t, NULL, at, t->j, t->p, lo, hi, def)))
		return rc;
	*out = DT_MAKE(DT_PAGE, at);
	return 0;
}

/*
 * Fill the 10^s slots of a table on digits D..D+s-1 (tbl, or the pool at base when tbl is NULL:
 * the pool may move while it is filled) from routes r[lo..hi), all longer than D, in key order.
 * A route ending within the table covers its range of slots (in preorder, longer routes come
 * later and overwrite); routes reaching past it are grouped by slot into a tail (or a page).
 */
static int dt_fill(struct dt_table *t, uint32_t *tbl, size_t base, unsigned D, unsigned s,
		   size_t lo, size_t hi, uint32_t def)
{
	const unsigned E = D + s;
	size_t i = lo;

#define DT_SLOT(x) (*(tbl ? &tbl[x] : &t->slot[base + (x)]))
	for (size_t x = 0; x < dt_pow10[s]; x++)
		DT_SLOT(x) = DT_MAKE(DT_LEAF, def);
	while (i < hi) {
		uint64_t key = t->in.v[i].key;
		unsigned len = sb_key_len(key);

		if (len <= E) {
			uint64_t x0 = dt_value(key, D, len) * dt_pow10[E - len];

			for (uint64_t x = x0; x < x0 + dt_pow10[E - len]; x++)
				DT_SLOT(x) = DT_MAKE(DT_LEAF, dt_code(&t->in.v[i]));
			i++;
			continue;
		}
		size_t g = i + 1, x = dt_value(key, D, E);
		uint32_t e, sub = DT_VAL(DT_SLOT(x));
		int rc;

		while (g < hi && sb_lcp(key, t->in.v[g].key) >= E)
			g++;
		if (tbl && g - i >= dt_pow10[DT_PAGE_DIGITS] / 4)
			rc = dt_page(t, i, g, sub, &e);
		else
			rc = dt_tail(t, E, i, g, sub, &e);
		if (rc)
			return rc;
		DT_SLOT(x) = e;
		i = g;
	}
#undef DT_SLOT
	return 0;
}

static void dt_free_built(struct dt_table *t)
{
	free(t->top);
	free(t->slot);
	free(t->bkt);
	free(t->short_key);
	free(t->short_cost);
	free(t->answer);
	t->answer = NULL;
	t->top = t->slot = NULL;
	t->bkt = NULL;
	t->short_key = NULL;
	t->short_cost = NULL;
	t->n_slots = t->cap_slots = t->n_bkt = t->cap_bkt = t->n_short = 0;
	t->n_pages = t->n_tables = t->n_buckets = t->n_in_buckets = 0;
}

static int dt_build(struct dt_table *t)
{
	const struct sb_route *r = t->in.v;
	size_t n = t->in.n, lo = 0;
	uint32_t def = DT_NONE;
	void *q;
	int rc;

	if (t->dict.n >= DT_MAX_VAL)
		return -ENOMEM;
	t->cw = t->dict.n <= 0xff ? 1 : t->dict.n <= 0xffff ? 2 : 4;
	t->cmask = t->cw == 4 ? UINT32_MAX : (1u << (8 * t->cw)) - 1;
	t->answer = malloc((t->dict.n + 1) * sizeof(*t->answer));
	if (!t->answer)
		return -ENOMEM;
	t->answer[0] = RT_NO_ROUTE;
	memcpy(t->answer + 1, t->dict.cost, t->dict.n * sizeof(*t->answer));
	dt_choose_k(t);
	t->div_k = (uint32_t)dt_pow10[8 - t->k];
	t->div_j = (uint32_t)dt_pow10[8 - t->j];
	for (size_t i = 0; i < n; i++)
		t->n_short += sb_key_len(r[i].key) < t->k;
	t->short_key = malloc((t->n_short + 1) * sizeof(*t->short_key));
	t->short_cost = malloc((t->n_short + 1) * sizeof(*t->short_cost));
	t->top = malloc(dt_pow10[t->j] * sizeof(*t->top));
	if (!t->short_key || !t->short_cost || !t->top)
		return -ENOMEM;
	for (size_t i = 0, m = 0; i < n; i++) {
		if (sb_key_len(r[i].key) < t->k) {
			t->short_key[m] = r[i].key;
			t->short_cost[m++] = dt_code(&r[i]);
		}
	}
	if (n && sb_key_len(r[0].key) == 0) {
		def = dt_code(&r[0]); /* the catch-all */
		lo = 1;
	}
	if (t->j == 0 && n > lo)
		rc = dt_page(t, lo, n, def, &t->top[0]); /* the whole table is one page */
	else
		rc = dt_fill(t, t->top, 0, 0, t->j, lo, n, def);
	if (rc)
		return rc;
	if (t->n_slots && t->n_slots < t->cap_slots &&
	    (q = realloc(t->slot, t->n_slots * sizeof(*t->slot)))) {
		t->slot = q;
		t->cap_slots = t->n_slots;
	}
	if (t->n_bkt && (q = realloc(t->bkt, t->n_bkt + DT_PAD))) {
		t->bkt = q;
		t->cap_bkt = t->n_bkt + DT_PAD;
	}
	return 0;
}

/* On failure the collected routes stay and lookups answer RT_NO_ROUTE. */
static int dt_finalize(struct route_table *rt)
{
	struct dt_table *t = (struct dt_table *)rt;
	int rc;

	if (t->built)
		return 0;
	rc = sb_routes_sort_unique(&t->in);
	if (rc == 0)
		rc = sb_dict_build(&t->in, &t->dict);
	if (rc == 0)
		rc = dt_build(t);
	if (rc != 0) {
		dt_free_built(t);
		sb_dict_undo(&t->in, &t->dict);
		return rc;
	}
	t->n_prefixes = t->in.n;
	sb_routes_free(&t->in);
	free(t->dict.cost); /* answer[] has it */
	t->dict.cost = NULL;
	t->built = 1;
	return 0;
}

/* --- lookup ----------------------------------------------------------------------------------- */

static inline uint64_t dt_cost(const struct dt_table *t, uint32_t code)
{
	return t->answer[code];
}

/* Little-endian 64-bit load from a byte array (the pool is padded for it). */
static inline uint64_t dt_load64(const uint8_t *at)
{
	uint64_t v;

	memcpy(&v, at, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/*
 * Scan a bucket: rest holds the number's digits from the bucket's depth on (BCD, left-aligned),
 * left of them remain. Only the keys sharing the next digit can match; they are in preorder, so
 * matches come shortest first and the scan stops at the first key past the number.
 */
static uint64_t dt_scan(const struct dt_table *t, size_t at, uint64_t rest, unsigned left)
{
	const uint8_t *b = t->bkt + at;
	uint64_t head = dt_load64(b);
	unsigned w = (unsigned)(head >> 40) & 255, cw = t->cw, kb = (w + 2) / 2;
	unsigned d = (unsigned)(rest >> 60), m = (unsigned)(head >> 36) & 15;
	unsigned e = (unsigned)((head << 4) >> (4 * d)) & 15,
		 end = (unsigned)(head >> (4 * d)) & 15;
	uint64_t want = rest >> (64 - 4 * w), kmask = kb == 8 ? UINT64_MAX : (1ULL << (8 * kb)) - 1;
	const uint8_t *keys = b + DT_HEAD + cw, *hit = b + DT_HEAD;

	for (; e < end; e++) {
		uint64_t key = dt_load64(keys + e * kb) & kmask;
		unsigned l = (unsigned)(key & 15);
		uint64_t v = key >> 4;

		if (v > want)
			break;
		if (l <= left && l <= w && ((v ^ want) >> (4 * (w - l))) == 0)
			hit = keys + m * kb + e * cw;
	}
	return dt_cost(t, (uint32_t)dt_load64(hit) & t->cmask);
}

/* Numbers shorter than k: the longest short route that is a prefix, by binary search per length. */
static uint64_t dt_short(const struct dt_table *t, uint64_t num, unsigned len)
{
	for (unsigned l = len + 1; l-- > 0;) {
		uint64_t key = (l ? num & ~(UINT64_MAX >> (4 * l)) : 0) | l;
		size_t a = 0, b = t->n_short;

		while (a < b) {
			size_t mid = a + (b - a) / 2;

			if (t->short_key[mid] < key)
				a = mid + 1;
			else
				b = mid;
		}
		if (a < t->n_short && t->short_key[a] == key)
			return dt_cost(t, t->short_cost[a]);
	}
	return RT_NO_ROUTE;
}

/* Nonzero unless all 16 bytes of lo and hi are ASCII digits. */
static inline uint64_t dt_non_digits(uint64_t lo, uint64_t hi)
{
	const uint64_t top = 0xf0f0f0f0f0f0f0f0ULL, zeros = 0x3030303030303030ULL;
	const uint64_t six = 0x0606060606060606ULL;

	/* a digit is 0x30..0x39: high nibble 3, and adding 6 does not carry out of the low one */
	return ((lo & top) ^ zeros) | (((lo + six) & top) ^ zeros) | ((hi & top) ^ zeros) |
	       (((hi + six) & top) ^ zeros);
}

/* Eight ASCII digits (the first in the low byte) as BCD, the first in the top nibble. */
static inline uint32_t dt_bcd8(uint64_t w)
{
	uint64_t v = __builtin_bswap64(w) & 0x0f0f0f0f0f0f0f0fULL;

	v = (v | v >> 4) & 0x00ff00ff00ff00ffULL;
	v = (v | v >> 8) & 0x0000ffff0000ffffULL;
	return (uint32_t)(v | v >> 16);
}

/* Eight ASCII digits (the first in the low byte) as a number. */
static inline uint32_t dt_ascii8(uint64_t w)
{
	uint64_t v = w - 0x3030303030303030ULL;

	v = (v * 10 + (v >> 8)) & 0x00ff00ff00ff00ffULL;
	v = (v * 100 + (v >> 16)) & 0x0000ffff0000ffffULL;
	return (uint32_t)(v * 10000 + (v >> 32));
}

/* Eight BCD digits as a number. */
static inline uint32_t dt_value8(uint32_t x)
{
	x = (x >> 4 & 0x0f0f0f0fu) * 10 + (x & 0x0f0f0f0fu);
	x = (x >> 8 & 0x00ff00ffu) * 100 + (x & 0x00ff00ffu);
	return (x >> 16) * 10000 + (x & 0xffffu);
}

/*
 * Read a number: its digits as BCD (*num), the value of its first 8 (*v8, when it has k digits
 * or more), its usable length returned. 8 to 15 digits are read without a loop: two overlapping
 * 8-byte loads (never past len), checked and packed eight bytes at a time; anything else goes
 * digit by digit (sb_number).
 */
static inline unsigned dt_read(const char *digits, unsigned len, uint64_t *num, uint32_t *v8)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len >= 8 && len <= RT_MAX_DIGITS) {
		const uint64_t zeros = 0x3030303030303030ULL;
		uint64_t lo, hi = zeros;

		memcpy(&lo, digits, sizeof(lo));
		if (len > 8) {
			memcpy(&hi, digits + len - 8, sizeof(hi));
			hi = hi >> (8 * (16 - len)) | zeros << (8 * (len - 8));
		}
		if (!dt_non_digits(lo, hi)) {
			*num = (uint64_t)dt_bcd8(lo) << 32 | dt_bcd8(hi);
			*v8 = dt_ascii8(lo);
			return len; /* len >= 8 >= k */
		}
	}
#endif
	len = sb_number(digits, len, num);
	*v8 = dt_value8((uint32_t)(*num >> 32));
	return len;
}

/* Below a top slot or a page slot e at digit pos: sub-tables take a digit each, then a bucket
 * or a leaf answers. */
static inline uint64_t dt_below(const struct dt_table *t, uint32_t e, unsigned pos, uint64_t num,
				unsigned len)
{
	while (DT_TAG(e) == DT_TABLE) {
		if (pos == len)
			return dt_cost(t, DT_VAL(t->slot[DT_VAL(e) + 10]));
		e = t->slot[DT_VAL(e) + sb_key_digit(num, pos++)];
	}
	if (DT_TAG(e) == DT_BUCKET)
		return dt_scan(t, DT_VAL(e), num << (4 * pos), len - pos);
	return dt_cost(t, DT_VAL(e));
}

/* Where in the pool the page under top slot top (entry e) keeps the number's slot. */
static inline size_t dt_page_slot(const struct dt_table *t, uint32_t e, uint32_t top, uint32_t v8)
{
	return DT_VAL(e) + v8 / t->div_k - top * (uint32_t)dt_pow10[t->p];
}

/*
 * The first j digits pick a top slot; a page there is indexed by the next p; then dt_below.
 * Numbers shorter than k go to the short routes.
 */
static uint64_t dt_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct dt_table *t = (const struct dt_table *)rt;
	uint32_t e, v8, top;
	uint64_t num;

	if (!t->built)
		return RT_NO_ROUTE;
	if (t->checked)
		return dt_lookup_checked(t, digits, len);
	len = dt_read(digits, len, &num, &v8);
	if (len < t->k)
		return dt_short(t, num, len);
	top = v8 / t->div_j;
	e = t->top[top];
	if (DT_TAG(e) == DT_PAGE)
		return dt_below(t, t->slot[dt_page_slot(t, e, top, v8)], t->k, num, len);
	return dt_below(t, e, t->j, num, len);
}

/*
 * Whether the bucket at byte v lies in the pool with a key width of 1-15 digits, every digit's
 * key count at most its m keys, and (4-byte codes) every code an answer: what dt_scan assumes.
 */
static int dt_bucket_ok(const struct dt_table *t, size_t v)
{
	const uint64_t lanes = 0x0101010101ULL, nib = 0x0f0f0f0f0fULL, bit4 = 0x1010101010ULL;
	uint64_t head, guard;
	unsigned m, w, kb;

	if (v > t->n_bkt || t->n_bkt - v < DT_HEAD + t->cw)
		return 0;
	head = dt_load64(t->bkt + v);
	m = (unsigned)(head >> 36) & 15;
	w = (unsigned)(head >> 40) & 255;
	kb = (w + 2) / 2;
	guard = (uint64_t)m * lanes | bit4;
	if (w - 1 >= RT_MAX_DIGITS || t->n_bkt - v < DT_HEAD + t->cw + m * (kb + t->cw) ||
	    ((guard - (head & nib)) & (guard - ((head >> 4) & nib)) & bit4) != bit4)
		return 0;
	for (unsigned i = 0; t->cw == 4 && i <= m; i++) {
		uint32_t code = (uint32_t)dt_load64(t->bkt + v + DT_HEAD +
						    (i ? t->cw + m * kb + (i - 1) * 4 : 0));

		if (code > t->dict.n)
			return 0;
	}
	return 1;
}

/*
 * dt_lookup for an image opened without its walk: each slot index, table, page and bucket is
 * checked against its section before it is read, each leaf code against answer[] (sized by
 * dt_image_open for any code of cw bytes). A damaged image answers RT_NO_ROUTE or a wrong
 * cost, never reads outside. Costs a few compares per step.
 */
uint64_t dt_lookup_checked(const struct dt_table *t, const char *digits, unsigned len)
{
	size_t n_answer = t->cw == 4 ? t->dict.n + 1 : (size_t)t->cmask + 1, at;
	uint32_t e, v8, top;
	uint64_t num;
	unsigned pos;

	len = dt_read(digits, len, &num, &v8);
	if (len < t->k)
		return dt_short(t, num, len);
	top = v8 / t->div_j;
	e = t->top[top];
	pos = t->j;
	if (DT_TAG(e) == DT_PAGE) {
		if (DT_VAL(e) > t->n_slots || t->n_slots - DT_VAL(e) < dt_pow10[t->p])
			return RT_NO_ROUTE;
		e = t->slot[dt_page_slot(t, e, top, v8)];
		pos = t->k;
	}
	while (DT_TAG(e) == DT_TABLE) {
		if (DT_VAL(e) > t->n_slots || t->n_slots - DT_VAL(e) < DT_TABLE_SLOTS)
			return RT_NO_ROUTE;
		at = DT_VAL(e) + (pos == len ? 10 : sb_key_digit(num, pos));
		e = t->slot[at];
		if (pos++ == len && DT_TAG(e) != DT_LEAF)
			return RT_NO_ROUTE;
	}
	if (DT_TAG(e) == DT_BUCKET)
		return dt_bucket_ok(t, DT_VAL(e)) ? dt_scan(t, DT_VAL(e), num << (4 * pos),
							     len - pos) :
						      RT_NO_ROUTE;
	return DT_TAG(e) == DT_LEAF && DT_VAL(e) < n_answer ? dt_cost(t, DT_VAL(e)) : RT_NO_ROUTE;
}

/* --- batched lookup --------------------------------------------------------------------------- */

#define DT_LANES 20 /* lookups in flight: about the misses the core keeps outstanding */

/* One lookup in flight: it reads slot[at] (DT_TABLE) or scans the bucket at at next. */
struct dt_lane {
	uint64_t num;
	size_t q;
	uint32_t at;
	uint8_t kind, pos, len;
};

/* Lane x holds entry e at digit pos: 1 if that answers it (*out), else 0 with the lane set on
 * what e reads next, prefetched (a bucket's second line only if the bucket may reach it). */
static inline int dt_lane_next(const struct dt_table *t, struct dt_lane *x, uint32_t e,
			       unsigned pos, uint64_t *out)
{
	if (DT_TAG(e) == DT_LEAF) {
		*out = dt_cost(t, DT_VAL(e));
		return 1;
	}
	x->at = DT_VAL(e);
	x->kind = (uint8_t)DT_TAG(e);
	if (x->kind == DT_TABLE) {
		x->at += pos == x->len ? 10 : sb_key_digit(x->num, pos++);
		__builtin_prefetch(&t->slot[x->at]);
	} else {
		__builtin_prefetch(t->bkt + x->at);
		if (((uintptr_t)(t->bkt + x->at) & 63) > 64 - 24) /* 24: a bucket's mean size */
			__builtin_prefetch(t->bkt + x->at + 64);
	}
	x->pos = (uint8_t)pos;
	return 0;
}

/* Start lane x on the next number needing a memory step, answering those before it; 0: none. */
static inline int dt_lane_start(const struct dt_table *t, struct dt_lane *x, size_t *next,
				size_t n, const char *const *digits, const unsigned *len,
				uint64_t *out)
{
	uint32_t v8, top, e;

	while (*next < n) {
		size_t i = (*next)++;
		unsigned l = dt_read(digits[i], len[i], &x->num, &v8);

		if (l < t->k) {
			out[i] = dt_short(t, x->num, l);
			continue;
		}
		x->q = i;
		x->len = (uint8_t)l;
		top = v8 / t->div_j;
		e = t->top[top]; /* cache-hot; a page slot is prefetched, a step of its own */
		if (DT_TAG(e) == DT_PAGE) {
			x->at = (uint32_t)dt_page_slot(t, e, top, v8);
			x->kind = DT_TABLE;
			x->pos = (uint8_t)t->k;
			__builtin_prefetch(&t->slot[x->at]);
			return 1;
		}
		if (!dt_lane_next(t, x, e, t->j, &out[i]))
			return 1;
	}
	return 0;
}

/*
 * AMAC lanes (Kocberber et al.): DT_LANES lookups in flight; a round steps each lane once,
 * reading what it prefetched a round ago and prefetching its next read; a finished lane takes
 * the next number at once, so none waits on the slowest of a group, as group prefetching did.
 */
static void dt_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			    const unsigned *len, uint64_t *out)
{
	const struct dt_table *t = (const struct dt_table *)rt;
	struct dt_lane lane[DT_LANES];
	size_t next = 0, live = 0;

	if (!t->built || t->checked) {
		for (size_t i = 0; i < n; i++)
			out[i] = t->built ? dt_lookup_checked(t, digits[i], len[i]) : RT_NO_ROUTE;
		return;
	}
	while (live < DT_LANES && dt_lane_start(t, &lane[live], &next, n, digits, len, out))
		live++;
	while (live) {
		for (size_t s = live; s-- > 0;) {
			struct dt_lane *x = &lane[s];

			if (x->kind == DT_BUCKET)
				out[x->q] = dt_scan(t, x->at, x->num << (4 * x->pos), x->len - x->pos);
			else if (!dt_lane_next(t, x, t->slot[x->at], x->pos, &out[x->q]))
				continue;
			if (!dt_lane_start(t, x, &next, n, digits, len, out))
				*x = lane[--live]; /* the last lane, stepped already, moves here */
		}
	}
}

/* --- accounting ------------------------------------------------------------------------------- */

/* Before finalize, prefixes counts collected routes, duplicates included. */
static void dt_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct dt_table *t = (const struct dt_table *)rt;
	size_t page_bytes = t->n_pages * dt_pow10[t->p] * sizeof(*t->slot);

	out->prefixes = t->built ? t->n_prefixes : t->in.n;
	if (!t->built) {
		rt_stats_add(out, "collected routes", t->in.n, t->in.cap * sizeof(*t->in.v));
		return;
	}
	out->nodes = dt_pow10[t->j] + t->n_pages * dt_pow10[t->p] + t->n_tables * DT_TABLE_SLOTS +
		     t->n_in_buckets;
	rt_stats_add(out, "top table", dt_pow10[t->j], dt_pow10[t->j] * sizeof(*t->top));
	rt_stats_add(out, "pages", t->n_pages, page_bytes);
	rt_stats_add(out, "sub-tables", t->n_tables, t->cap_slots * sizeof(*t->slot) - page_bytes);
	rt_stats_add(out, "buckets", t->n_buckets, t->cap_bkt);
	rt_stats_add(out, "short routes", t->n_short,
		     (t->n_short + 1) * (sizeof(*t->short_key) + sizeof(*t->short_cost)));
	rt_stats_add(out, "cost dictionary", t->dict.n, (t->dict.n + 1) * sizeof(*t->answer));
}

static void dt_destroy(struct route_table *rt)
{
	struct dt_table *t = (struct dt_table *)rt;

	if (t->mapped) { /* the arrays are the image's, answer[] excepted */
		free(t->answer);
		free(t);
		return;
	}
	sb_routes_free(&t->in);
	dt_free_built(t);
	free(t->dict.cost);
	free(t);
}

const struct route_table_ops dirtable_ops = {
	.name = "dirtable",
	.summary = "direct table on the first k digits (pages only where routes are) + buckets",
	.complexity = "build O(n + 10^k), lookup 2-3 loads + a 1-2 key scan, space ~5-6 B/route",
	.ladder = 7,
	.create = dt_create,
	.insert = dt_insert,
	.finalize = dt_finalize,
	.lookup = dt_lookup,
	.stats = dt_stats,
	.destroy = dt_destroy,
	.lookup_batch = dt_lookup_batch,
	.image_write = dt_image_write,
	.image_open = dt_image_open,
};
