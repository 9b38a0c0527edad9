/*
 * gen.c - deterministic synthetic route lists and phone numbers, and their on-disk cache.
 *
 * Routes are drawn into 16-byte records (a hash set of packed prefixes rejects repeats), shuffled
 * by Fisher-Yates and formatted by hand into a large buffer: O(n) time, about 30 bytes per route
 * at 10M. Lesson: a benchmark's input is part of the experiment; it must be reproducible to the
 * byte and shaped like the real data, or the figures measure the generator.
 */
#include "gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"

#define MAX_LEN 12              /* digits of the longest generated route */
#define ROUTES_PER_AREA 128     /* areas grow with the count until their digits run out */
#define DUP_EVERY 20            /* makeschool: 1 line in 20 lists an earlier prefix again */
#define SHARED_FIFTHS 3         /* 3/5 of a carrier's distinct prefixes are common to all */
#define EXTEND_FIFTHS 1         /* 1/5 of drawn routes extend an earlier one by 1-2 digits */
#define TRIES_PER_AREA 16       /* collisions in one area before another area is drawn */
#define OUT_BUF (1 << 20)

#define TAG_WORLD 0x776f726c64ULL  /* what every carrier of a seed shares */
#define TAG_CARRIER 0x6361727200ULL /* + carrier: one carrier's own draws and costs */
#define TAG_NUMBERS 0x6e756d6273ULL

static const uint64_t pow10[MAX_LEN + 1] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
};

/* --- the PRNG: xoshiro256** seeded by splitmix64, integer-only and the same everywhere ------ */

struct rng {
	uint64_t s[4];
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ mix64(stream);

	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = mix64(x);
	}
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n), n >= 1, without modulo bias. */
static uint64_t below(struct rng *r, uint64_t n)
{
	uint64_t floor = -n % n, x;

	do
		x = rng_next(r);
	while (x < floor);
	return x % n;
}

/* --- the makeschool world: countries, and the areas every carrier of a seed shares ---------- */

struct country {
	uint16_t cc;
	uint8_t cc_len;
	uint8_t weight;           /* share of the routes, in twelfths (the US has a quarter) */
	uint8_t area_lo, area_hi; /* digits of an area route at the real data's scale */
	uint8_t cost_lo, cost_hi; /* cents, the real data's band */
	uint8_t len_w[MAX_LEN + 1]; /* weights (sum 100) of a drawn route's total length */
};

static const struct country countries[] = {
	{ 1, 1, 3, 4, 4, 1, 11, { [7] = 70, [8] = 20, [9] = 10 } },
	{ 33, 2, 1, 5, 5, 18, 48, { [7] = 60, [8] = 25, [9] = 15 } },
	{ 34, 2, 1, 5, 5, 17, 51, { [8] = 70, [9] = 20, [10] = 10 } },
	{ 44, 2, 1, 5, 5, 22, 65, { [8] = 15, [9] = 65, [10] = 20 } },
	{ 49, 2, 1, 4, 6, 26, 72, { [7] = 10, [8] = 20, [9] = 30, [10] = 40 } },
	{ 61, 2, 1, 5, 5, 30, 92, { [8] = 70, [9] = 20, [10] = 10 } },
	{ 64, 2, 1, 5, 5, 31, 97, { [8] = 70, [9] = 20, [10] = 10 } },
	{ 81, 2, 1, 4, 4, 41, 121, { [7] = 60, [8] = 25, [9] = 15 } },
	{ 82, 2, 1, 4, 4, 41, 124, { [8] = 70, [9] = 20, [10] = 10 } },
	{ 86, 2, 1, 5, 5, 40, 130, { [9] = 70, [10] = 20, [11] = 10 } },
};
#define N_COUNTRIES (sizeof(countries) / sizeof(countries[0]))
#define US_AREAS 720 /* area codes [2-9][0-8][0-9] */

struct area {
	uint64_t value; /* the area's digits as a number (no leading zero) */
	uint8_t len;
	uint8_t country;
};

/* A route in the making: its digits packed as value * 16 + length, and its cost. */
struct rec {
	uint64_t key;
	uint32_t area;
	uint32_t cost; /* ten-thousandths */
};

static uint64_t pack(uint64_t value, unsigned len)
{
	return value << 4 | len;
}

/* Open addressing over packed keys (never 0: a key has at least one digit). */
struct keyset {
	uint64_t *slot;
	size_t mask;
};

static int keyset_init(struct keyset *s, size_t n)
{
	size_t cap = 64;

	while (cap < n + n / 3 + 64)
		cap *= 2;
	s->slot = calloc(cap, sizeof(*s->slot));
	s->mask = cap - 1;
	return s->slot ? 0 : -ENOMEM;
}

/* 1 if key was added, 0 if it was there already. */
static int keyset_add(struct keyset *s, uint64_t key)
{
	for (size_t i = mix64(key) & s->mask;; i = (i + 1) & s->mask) {
		if (s->slot[i] == key)
			return 0;
		if (s->slot[i] == 0) {
			s->slot[i] = key;
			return 1;
		}
	}
}

struct gen {
	const struct ds_gen_routes *a;
	struct rng world, own; /* shared draws, this carrier's draws */
	uint64_t salt;         /* this carrier's costs */
	struct keyset set;
	struct rec *recs;
	struct area *areas;
	size_t n_areas, first[N_COUNTRIES], count[N_COUNTRIES];
	unsigned uniform_min;  /* uniform: shortest length drawn */
};

/* Areas of a country at this scale: their length range and how many. */
static void area_plan(const struct country *c, uint64_t routes, unsigned *lo, unsigned *hi,
		      size_t *n)
{
	uint64_t want = (routes * c->weight / 12 + ROUTES_PER_AREA - 1) / ROUTES_PER_AREA;
	uint64_t avail = 0;
	unsigned len;

	if (want < 2)
		want = 2;
	if (c->cc == 1) {
		*lo = *hi = 4;
		*n = want < US_AREAS * 3 / 4 ? want : US_AREAS * 3 / 4;
		return;
	}
	for (len = c->area_lo; len <= 6; len++) {
		avail = 9 * pow10[len - c->cc_len - 1] * 3 / 4;
		if (avail >= want || len == 6)
			break;
	}
	*lo = len;
	*hi = c->area_hi > len ? c->area_hi : len;
	*n = want < avail ? want : avail;
}

/* Draw the areas (world stream) into g->areas and the key set. 0 or -ENOMEM. */
static int make_areas(struct gen *g, uint64_t routes)
{
	unsigned lo[N_COUNTRIES], hi[N_COUNTRIES];
	size_t total = 0;

	for (size_t c = 0; c < N_COUNTRIES; c++) {
		area_plan(&countries[c], routes, &lo[c], &hi[c], &g->count[c]);
		g->first[c] = total;
		total += g->count[c];
	}
	g->areas = malloc(total * sizeof(*g->areas));
	if (!g->areas || keyset_init(&g->set, routes + total) != 0)
		return -ENOMEM;
	for (size_t c = 0; c < N_COUNTRIES; c++) {
		const struct country *k = &countries[c];

		for (size_t i = 0; i < g->count[c];) {
			struct area *ar = &g->areas[g->first[c] + i];
			unsigned len = lo[c] + (unsigned)below(&g->world, hi[c] - lo[c] + 1), rest;

			if (k->cc == 1) {
				len = 4;
				ar->value = 1000 + (2 + below(&g->world, 8)) * 100 +
					    below(&g->world, 9) * 10 + below(&g->world, 10);
			} else {
				rest = len - k->cc_len - 1;
				ar->value = (k->cc * 10 + 1 + below(&g->world, 9)) * pow10[rest] +
					    below(&g->world, pow10[rest]);
			}
			ar->len = (uint8_t)len;
			ar->country = (uint8_t)c;
			i += keyset_add(&g->set, pack(ar->value, len));
		}
	}
	g->n_areas = total;
	return 0;
}

static unsigned pick_country(struct rng *r)
{
	unsigned x = (unsigned)below(r, 12), c = 0;

	while (x >= countries[c].weight)
		x -= countries[c++].weight;
	return c;
}

static unsigned pick_len(struct rng *r, const uint8_t *w)
{
	unsigned x = (unsigned)below(r, 100), len = 0;

	while (x >= w[len])
		x -= w[len++];
	return len;
}

/* A new route under a random area of a random country. */
static void draw_area_route(struct gen *g, struct rng *r, struct rec *out)
{
	for (;;) {
		unsigned c = pick_country(r);
		uint32_t ai = (uint32_t)(g->first[c] + below(r, g->count[c]));
		const struct area *ar = &g->areas[ai];

		for (int t = 0; t < TRIES_PER_AREA; t++) {
			unsigned len = pick_len(r, countries[c].len_w), k;
			uint64_t key;

			if (len <= ar->len)
				len = ar->len + 1u;
			k = len - ar->len;
			key = pack(ar->value * pow10[k] + below(r, pow10[k]), len);
			if (keyset_add(&g->set, key)) {
				out->key = key;
				out->area = ai;
				return;
			}
		}
	}
}

/* A new route one or two digits below one of the first n routes. 1, or 0 if none was made. */
static int draw_extension(struct gen *g, struct rng *r, size_t n, struct rec *out)
{
	const struct rec *p = &g->recs[below(r, n)];
	unsigned len = p->key & 15, k = 1 + (unsigned)below(r, 2);
	uint64_t key;

	if (len >= MAX_LEN)
		return 0;
	if (len + k > MAX_LEN)
		k = MAX_LEN - len;
	key = pack((p->key >> 4) * pow10[k] + below(r, pow10[k]), len + k);
	if (!keyset_add(&g->set, key))
		return 0;
	out->key = key;
	out->area = p->area;
	return 1;
}

/*
 * Cost in ten-thousandths, a function of (seed, carrier, prefix) only. makeschool: the sum of an
 * area offset and a route offset (each up to half the country's band), so costs pile up in the
 * middle of the band like the real ones; uniform: 0.0001-2.0000 with up to 4 decimals.
 */
static uint32_t route_cost(const struct gen *g, const struct rec *rec)
{
	uint64_t h = mix64(g->salt ^ mix64(rec->key));
	const struct country *c;
	uint32_t span, half;

	if (g->a->shape == DS_SHAPE_UNIFORM)
		return (uint32_t)(1 + h % 20000);
	c = &countries[g->areas[rec->area].country];
	span = c->cost_hi - c->cost_lo;
	half = span / 2;
	return (uint32_t)(c->cost_lo + mix64(g->salt ^ mix64(~(uint64_t)rec->area)) % (half + 1) +
			  h % (span - half + 1)) * 100;
}

/* The cost of the j-th extra listing of *rec: 1-5 cents away from the first, inside the band. */
static uint32_t relisted_cost(const struct gen *g, const struct rec *rec, uint64_t j)
{
	const struct country *c = &countries[g->areas[rec->area].country];
	uint64_t h = mix64(g->salt ^ mix64(rec->key ^ (j + 1) << 44));
	uint32_t cents = rec->cost / 100, d = 1 + (uint32_t)(h % 5);
	int up = (h >> 32) & 1;

	if (up ? cents + d > c->cost_hi : cents < c->cost_lo + d)
		up = !up;
	return (up ? cents + d : cents - d) * 100;
}

/* Fill g->recs[0..count): distinct routes, then relistings, then shuffle. */
static void draw_routes(struct gen *g, uint64_t count)
{
	int ms = g->a->shape == DS_SHAPE_MAKESCHOOL;
	uint64_t distinct = ms ? count - count / DUP_EVERY : count;
	uint64_t shared = distinct * SHARED_FIFTHS / 5;
	uint64_t listed = ms ? (g->n_areas < shared / 8 ? g->n_areas : shared / 8) : 0;

	for (uint64_t i = 0; i < distinct; i++) {
		struct rng *r = i < shared ? &g->world : &g->own;
		struct rec *rec = &g->recs[i];

		if (!ms) {
			unsigned len = g->uniform_min +
				       (unsigned)below(r, MAX_LEN - g->uniform_min + 1);

			rec->key = pack(below(r, pow10[len]), len);
			rec->area = 0;
		} else if (i < listed) {
			rec->key = pack(g->areas[i].value, g->areas[i].len);
			rec->area = (uint32_t)i;
		} else if (i == 0 || below(r, 5) >= EXTEND_FIFTHS ||
			   !draw_extension(g, r, (size_t)i, rec)) {
			draw_area_route(g, r, rec);
		}
		rec->cost = route_cost(g, rec);
	}
	for (uint64_t j = distinct; j < count; j++) {
		g->recs[j] = g->recs[below(&g->own, distinct)];
		g->recs[j].cost = relisted_cost(g, &g->recs[j], j);
	}
	for (uint64_t i = count; i > 1; i--) {
		uint64_t j = below(&g->own, i);
		struct rec t = g->recs[i - 1];

		g->recs[i - 1] = g->recs[j];
		g->recs[j] = t;
	}
}

/* "+DIGITS,COST\n" into p; returns the bytes written (at most 1 + 12 + 1 + 7 + 1). */
static size_t format_route(const struct rec *rec, char *p)
{
	unsigned len = rec->key & 15, n = 0, frac = rec->cost % 10000, fl = 4;
	uint64_t v = rec->key >> 4;
	uint32_t whole = rec->cost / 10000;

	p[n++] = '+';
	for (unsigned i = len; i > 0; i--, v /= 10)
		p[n + i - 1] = (char)('0' + v % 10);
	n += len;
	p[n++] = ',';
	if (whole >= 10)
		p[n++] = (char)('0' + whole / 10);
	p[n++] = (char)('0' + whole % 10);
	p[n++] = '.';
	while (fl > 2 && frac % 10 == 0) {
		frac /= 10;
		fl--;
	}
	for (unsigned i = fl; i > 0; i--, frac /= 10)
		p[n + i - 1] = (char)('0' + frac % 10);
	n += fl;
	p[n++] = '\n';
	return n;
}

/* Buffered writing: fill buf, fwrite it whole. */
struct out {
	FILE *f;
	char *buf;
	size_t n;
	int err;
};

static void out_flush(struct out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->err = -EIO;
	o->n = 0;
}

/* Room for one more line (at most 64 bytes). */
static char *out_reserve(struct out *o)
{
	if (o->n > OUT_BUF - 64)
		out_flush(o);
	return o->buf + o->n;
}

int ds_gen_routes_write(const struct ds_gen_routes *a, FILE *f)
{
	struct gen g = { .a = a };
	struct out o = { .f = f };
	int rc = -ENOMEM;

	if (a->count > DS_MAX_COUNT ||
	    (a->shape != DS_SHAPE_MAKESCHOOL && a->shape != DS_SHAPE_UNIFORM))
		return -EINVAL;
	rng_seed(&g.world, a->seed, TAG_WORLD);
	rng_seed(&g.own, a->seed, TAG_CARRIER + a->carrier);
	g.salt = mix64(a->seed ^ mix64(TAG_CARRIER + a->carrier + 1));
	g.recs = malloc((a->count ? a->count : 1) * sizeof(*g.recs));
	o.buf = malloc(OUT_BUF);
	if (!g.recs || !o.buf)
		goto out_free;
	if (a->shape == DS_SHAPE_MAKESCHOOL) {
		rc = make_areas(&g, a->count);
		if (rc != 0)
			goto out_free;
	} else {
		g.uniform_min = 1;
		while (g.uniform_min < MAX_LEN && pow10[g.uniform_min - 1] < a->count)
			g.uniform_min++;
	}
	draw_routes(&g, a->count);
	for (uint64_t i = 0; i < a->count && !o.err; i++)
		o.n += format_route(&g.recs[i], out_reserve(&o));
	out_flush(&o);
	rc = o.err;
out_free:
	free(o.buf);
	free(g.set.slot);
	free(g.areas);
	free(g.recs);
	return rc;
}

/* --- phone numbers ---------------------------------------------------------------------------- */

static const uint8_t number_len_w[15] = { [11] = 42, [12] = 33, [13] = 19, [14] = 6 };

/* hit_ratio as a threshold on 32 random bits: r * 2^32 is exact, its truncation the same
 * everywhere. NaN and values outside [0, 1] are refused. */
static const uint8_t *prefix_len(const struct ds_gen_prefixes *p, size_t i)
{
	return p->len + i * p->stride;
}

static const char *prefix_digits(const struct ds_gen_prefixes *p, size_t i)
{
	return p->digits + i * p->stride;
}

static int hit_threshold(double r, uint64_t *out)
{
	if (!(r >= 0 && r <= 1))
		return -EINVAL;
	*out = r == 1 ? 1ULL << 32 : (uint64_t)(r * 4294967296.0);
	return 0;
}

/* The numbers' draw: the routes by length, the hit threshold, the PRNG. */
struct numgen {
	const struct ds_gen_prefixes *routes;
	size_t start[RT_MAX_DIGITS + 2];
	unsigned lens[RT_MAX_DIGITS + 1], n_lens;
	uint32_t *by_len;
	uint64_t threshold;
	struct rng r;
};

/* Draw one number into p ('+', digits, '\n'); its length with the newline, and its packed key. */
static unsigned draw_number(struct numgen *g, char *p, uint64_t *key)
{
	unsigned len = pick_len(&g->r, number_len_w), n = 1;
	uint64_t v = 0;

	p[0] = '+';
	if ((rng_next(&g->r) >> 32) < g->threshold) {
		size_t k, rt;
		unsigned rt_len;

		if (below(&g->r, 2)) {
			rt = below(&g->r, g->routes->n);
		} else {
			unsigned l = g->lens[below(&g->r, g->n_lens)];

			k = g->start[l] + below(&g->r, g->start[l + 1] - g->start[l]);
			rt = g->by_len[k];
		}
		rt_len = *prefix_len(g->routes, rt);
		memcpy(p + 1, prefix_digits(g->routes, rt), rt_len);
		n += rt_len;
		if (len < rt_len)
			len = rt_len;
	} else {
		p[n++] = (char)('1' + below(&g->r, 9));
	}
	while (n < len + 1)
		p[n++] = (char)('0' + below(&g->r, 10));
	for (unsigned i = 1; i < n; i++)
		v = v * 10 + (uint64_t)(p[i] - '0');
	*key = pack(v, n - 1);
	p[n++] = '\n';
	return n;
}

/* Index the routes by length for draw_number. 0 or -ENOMEM. */
static int numgen_init(struct numgen *g, const struct ds_gen_prefixes *routes, uint64_t seed)
{
	size_t fill[RT_MAX_DIGITS + 1];

	g->routes = routes;
	g->by_len = malloc((routes->n ? routes->n : 1) * sizeof(*g->by_len));
	if (!g->by_len)
		return -ENOMEM;
	for (size_t i = 0; i < routes->n; i++)
		g->start[*prefix_len(routes, i) + 1]++;
	for (unsigned l = 0; l <= RT_MAX_DIGITS; l++) {
		if (g->start[l + 1])
			g->lens[g->n_lens++] = l;
		g->start[l + 1] += g->start[l];
		fill[l] = g->start[l];
	}
	for (size_t i = 0; i < routes->n; i++)
		g->by_len[fill[*prefix_len(routes, i)]++] = (uint32_t)i;
	rng_seed(&g->r, seed, TAG_NUMBERS);
	return 0;
}

/* ds_gen_numbers_from, or with distinct its cold set (gen.h). */
static int gen_numbers(const struct ds_gen_numbers *a, const struct ds_gen_prefixes *routes,
		       int distinct, FILE *f)
{
	struct numgen g = { 0 };
	struct keyset seen = { 0 };
	struct out o = { .f = f };
	uint64_t tries = 0, max_tries;

	if (a->count > DS_MAX_COUNT || hit_threshold(a->hit_ratio, &g.threshold) != 0 ||
	    routes->n > UINT32_MAX || (g.threshold && routes->n == 0))
		return -EINVAL;
	max_tries = a->count * DS_DISTINCT_TRIES + 1024;
	o.buf = malloc(OUT_BUF);
	if (!o.buf || numgen_init(&g, routes, a->seed) != 0 ||
	    (distinct && keyset_init(&seen, a->count) != 0)) {
		o.err = -ENOMEM;
		goto out_free;
	}
	for (uint64_t i = 0; i < a->count && !o.err;) {
		char *p = out_reserve(&o);
		uint64_t key;
		unsigned n = draw_number(&g, p, &key);

		if (distinct && !keyset_add(&seen, key)) {
			if (++tries > max_tries)
				o.err = -ERANGE;
			continue;
		}
		o.n += n;
		i++;
	}
	out_flush(&o);
out_free:
	free(seen.slot);
	free(o.buf);
	free(g.by_len);
	return o.err;
}

int ds_gen_numbers_from(const struct ds_gen_numbers *a, const struct ds_gen_prefixes *routes,
			FILE *f)
{
	return gen_numbers(a, routes, 0, f);
}

int ds_gen_distinct_numbers_from(const struct ds_gen_numbers *a,
				 const struct ds_gen_prefixes *routes, FILE *f)
{
	return gen_numbers(a, routes, 1, f);
}
