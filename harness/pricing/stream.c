/*
 * stream.c - price by indexing the numbers and streaming each carrier's routes past them.
 *
 * Every prefix of every number (the empty one too) is one slot of an open-addressing table
 * keyed by (length << 56 | value), fronted by a one-hash bit filter of ~32 bits per prefix;
 * a route line is parsed in place in the loader's read buffer, and only a route whose key
 * passes the filter probes the table and lowers that slot's cost. After each carrier every
 * number walks its prefixes longest first. Cost: O(bytes) per carrier, O(numbers x digits)
 * memory. The lesson: when routes outnumber numbers a thousand to one, the table belongs on
 * the small side.
 */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_EMPTY UINT64_MAX	  /* no key has length 255 */
#define STREAM_FILTER_BITS_PER 32 /* filter bits per distinct prefix (false hits ~3%) */
#define STREAM_FILTER_MAX_LOG 27  /* at most 16 MiB of filter */
#define STREAM_SAFE 48		  /* the fast path reads at most this far past a line start */

/* One prefix of some number and, during a carrier, the lowest cost that carrier gives it. */
struct stream_slot {
	uint64_t key;
	uint64_t cost;
};

struct stream_index {
	struct stream_slot *slot;
	unsigned slot_log;
	uint64_t *filter;
	unsigned filter_log;
};

/* One carrier's pass: what it found and how the file went. */
struct stream_pass {
	const char *path;
	int skip_invalid;
	size_t routes;	      /* valid route lines */
	size_t skipped;	      /* invalid lines skipped */
	const char *name;     /* path as messages say it ("stdin" for "-") */
	size_t lineno;	      /* lines read so far */
	struct ds_routes one; /* a one-route buffer for lines left to the loader */
};

static const uint64_t stream_pow10[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};

static inline uint64_t stream_key(unsigned len, uint64_t value)
{
	return ((uint64_t)len << 56) | value;
}

static inline uint64_t stream_hash(uint64_t key)
{
	return key * 0x9E3779B97F4A7C15ULL;
}

static inline int stream_filter_test(const struct stream_index *ix, uint64_t h)
{
	uint64_t bit = h >> (64 - ix->filter_log);

	return (int)((ix->filter[bit >> 6] >> (bit & 63)) & 1);
}

/* The slot holding key, or NULL. */
static inline struct stream_slot *stream_find(const struct stream_index *ix, uint64_t key,
					      uint64_t h)
{
	size_t mask = ((size_t)1 << ix->slot_log) - 1;

	for (size_t i = (size_t)(h >> (64 - ix->slot_log));; i = (i + 1) & mask) {
		if (ix->slot[i].key == key)
			return &ix->slot[i];
		if (ix->slot[i].key == STREAM_EMPTY)
			return NULL;
	}
}

static void stream_index_add(struct stream_index *ix, uint64_t key)
{
	uint64_t h = stream_hash(key), bit = h >> (64 - ix->filter_log);
	size_t mask = ((size_t)1 << ix->slot_log) - 1;
	size_t i = (size_t)(h >> (64 - ix->slot_log));

	ix->filter[bit >> 6] |= 1ULL << (bit & 63);
	for (; ix->slot[i].key != STREAM_EMPTY; i = (i + 1) & mask)
		if (ix->slot[i].key == key)
			return;
	ix->slot[i].key = key;
	ix->slot[i].cost = RT_NO_ROUTE;
}

static uint64_t stream_value(const char *digits, unsigned len)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(digits[i] - '0');
	return v;
}

/*
 * Size the table for every prefix of every number and fill it. At most two thirds full: only
 * filter false hits ever probe for a missing key, so long unsuccessful probes are rare.
 */
static int stream_index_build(struct stream_index *ix, const struct ds_numbers *numbers)
{
	size_t keys = 1, slots;

	memset(ix, 0, sizeof(*ix));
	for (size_t i = 0; i < numbers->n; i++)
		keys += numbers->v[i].len;
	for (ix->slot_log = 4; ((size_t)1 << ix->slot_log) < keys + keys / 2; ix->slot_log++)
		;
	for (ix->filter_log = 12; ix->filter_log < STREAM_FILTER_MAX_LOG &&
				  ((size_t)1 << ix->filter_log) < keys * STREAM_FILTER_BITS_PER;
	     ix->filter_log++)
		;
	slots = (size_t)1 << ix->slot_log;
	ix->slot = malloc(slots * sizeof(*ix->slot));
	ix->filter = calloc(((size_t)1 << ix->filter_log) / 64, sizeof(*ix->filter));
	if (!ix->slot || !ix->filter) {
		free(ix->slot);
		free(ix->filter);
		return -ENOMEM;
	}
	for (size_t i = 0; i < slots; i++)
		ix->slot[i].key = STREAM_EMPTY;
	stream_index_add(ix, stream_key(0, 0));
	for (size_t i = 0; i < numbers->n; i++) {
		const struct ds_number *num = &numbers->v[i];
		uint64_t v = stream_value(num->digits, num->len);

		for (unsigned l = num->len; l > 0; l--, v /= 10)
			stream_index_add(ix, stream_key(l, v));
	}
	return 0;
}

static void stream_index_free(struct stream_index *ix)
{
	free(ix->slot);
	free(ix->filter);
}

static inline void stream_route(const struct stream_index *ix, unsigned len, uint64_t value,
				uint64_t cost)
{
	uint64_t key = stream_key(len, value), h = stream_hash(key);
	struct stream_slot *s;

	if (!stream_filter_test(ix, h))
		return;
	s = stream_find(ix, key, h);
	if (s && cost < s->cost)
		s->cost = cost;
}

/*
 * A line the fast path did not take (anything but "+DIGITS,COST" with nothing around it) goes
 * to the loader itself, so both strategies accept, reject and word errors identically.
 * line[0..len) is the line without its '\n'. 0, or -1 with *err filled.
 */
static int stream_slow_line(const struct stream_index *ix, struct stream_pass *ps, const char *line,
			    size_t len, size_t lineno, struct ds_error *err)
{
	size_t skipped = ps->one.skipped;

	ps->one.n = 0;
	if (ds_parse_routes(line, len, ps->name, ps->skip_invalid, &ps->one, err) != 0) {
		err->line = lineno;
		return -1;
	}
	ps->skipped += ps->one.skipped - skipped;
	if (ps->one.n == 1) {
		const struct ds_route *r = &ps->one.v[0];

		stream_route(ix, r->len, stream_value(r->digits, r->len), r->cost);
		ps->routes++;
	}
	return 0;
}

#define STREAM_DIGIT(c) ((unsigned)(unsigned char)(c) - '0' < 10)

/*
 * Parse the lines of buf[0..size) that start before stop, numbering them from *lineno + 1.
 * Reading up to STREAM_SAFE bytes past any line start before stop must be safe. Returns the
 * offset of the first line not parsed, or (size_t)-1 with *err filled.
 */
static size_t stream_lines(const struct stream_index *ix, struct stream_pass *ps, const char *buf,
			   size_t size, size_t stop, size_t *lineno, struct ds_error *err)
{
	const char *p = buf, *end = buf + size, *limit = buf + stop;
	size_t lines = *lineno, routes = 0;

	while (p < limit) {
		const char *line = p, *nl;
		uint64_t v = 0, c = 0;
		unsigned n = 0, ci = 0, cf = 0;

		lines++;
		if (*p++ != '+')
			goto slow;
		while (STREAM_DIGIT(*p) && n <= RT_MAX_DIGITS)
			v = v * 10 + (uint64_t)(*p++ - '0'), n++;
		if (n > RT_MAX_DIGITS || *p++ != ',')
			goto slow;
		while (STREAM_DIGIT(*p) && ci <= 12)
			c = c * 10 + (uint64_t)(*p++ - '0'), ci++;
		if (ci == 0 || ci > 12)
			goto slow;
		if (*p == '.') {
			p++;
			while (STREAM_DIGIT(*p) && cf <= 6)
				c = c * 10 + (uint64_t)(*p++ - '0'), cf++;
			if (cf == 0 || cf > 6)
				goto slow;
		}
		if (p != end && *p != '\n')
			goto slow;
		p += p != end;
		stream_route(ix, n, v, c * stream_pow10[cf]);
		routes++;
		continue;
	slow:
		nl = memchr(line, '\n', (size_t)(end - line));
		p = nl ? nl + 1 : end;
		if (stream_slow_line(ix, ps, line, (size_t)((nl ? nl : end) - line), lines, err) !=
		    0)
			return (size_t)-1;
	}
	*lineno = lines;
	ps->routes += routes;
	return (size_t)(p - buf);
}

/*
 * Stream one carrier's text: the bulk in place, the last few lines from a zero-padded copy so
 * the fast path never needs a bounds check. 0, or -1 with *err filled.
 */
static int stream_text(const struct stream_index *ix, struct stream_pass *ps, const char *buf,
		       size_t size, struct ds_error *err)
{
	char tail[4 * STREAM_SAFE];
	size_t done = 0, rest;

	if (size > 2 * STREAM_SAFE) {
		done = stream_lines(ix, ps, buf, size, size - 2 * STREAM_SAFE, &ps->lineno, err);
		if (done == (size_t)-1)
			return -1;
	}
	/* every line left starts at or after size - 2 * STREAM_SAFE: the copy holds them all */
	rest = size - done;
	memset(tail, 0, sizeof(tail));
	memcpy(tail, buf + done, rest);
	if (stream_lines(ix, ps, tail, rest, rest, &ps->lineno, err) == (size_t)-1)
		return -1;
	return 0;
}

/* One carrier's text, a piece of whole lines at a time (ds_read_lines calls this). */
struct stream_file_ctx {
	const struct stream_index *ix;
	struct stream_pass *ps;
};

static int stream_piece(void *ctx, const char *name, const char *buf, size_t len,
			struct ds_error *err)
{
	struct stream_file_ctx *c = ctx;

	c->ps->name = name;
	return stream_text(c->ix, c->ps, buf, len, err) != 0 ? err->err : 0;
}

/* Read and stream one carrier file through the loader's bounded reader. 0, or -1 with *err. */
static int stream_file(const struct stream_index *ix, struct stream_pass *ps, struct ds_error *err)
{
	struct stream_file_ctx c = { ix, ps };

	ps->lineno = 0;
	return ds_read_lines(ps->path, stream_piece, &c, NULL, err) != 0 ? -1 : 0;
}

/* This carrier's answer for each number lowers best[i]; then the slots are cleared. */
static void stream_fold(const struct stream_index *ix, const struct ds_numbers *numbers,
			uint64_t *best)
{
	size_t slots = (size_t)1 << ix->slot_log;

	for (size_t i = 0; i < numbers->n; i++) {
		const struct ds_number *num = &numbers->v[i];
		uint64_t v = stream_value(num->digits, num->len);

		for (unsigned l = num->len + 1; l-- > 0; v /= 10) {
			uint64_t key = stream_key(l, v);
			const struct stream_slot *s = stream_find(ix, key, stream_hash(key));

			if (s->cost != RT_NO_ROUTE) {
				if (s->cost < best[i])
					best[i] = s->cost;
				break;
			}
		}
	}
	for (size_t i = 0; i < slots; i++)
		ix->slot[i].cost = RT_NO_ROUTE;
}

int stream_price(const char *const *paths, size_t n_paths, int skip_invalid,
		 const struct ds_numbers *numbers, uint64_t *best, size_t *skipped,
		 size_t *routes, struct ds_error *err)
{
	struct stream_index ix;
	struct stream_pass ps = {0};
	int rc = -1;

	for (size_t k = 0; k < n_paths; k++) {
		skipped[k] = 0;
		if (routes)
			routes[k] = 0;
	}
	for (size_t i = 0; i < numbers->n; i++)
		best[i] = RT_NO_ROUTE;
	ps.one.v = malloc(sizeof(*ps.one.v));
	ps.one.cap = 1;
	if (!ps.one.v || stream_index_build(&ix, numbers) != 0) {
		ds_error_set(err, -ENOMEM, n_paths ? paths[0] : "stream",
			     0, "out of memory indexing numbers", NULL, 0);
		free(ps.one.v);
		return -1;
	}
	for (size_t k = 0; k < n_paths; k++) {
		ps.path = paths[k];
		ps.skip_invalid = skip_invalid;
		ps.routes = 0;
		ps.skipped = 0;
		if (stream_file(&ix, &ps, err) != 0)
			goto out;
		skipped[k] = ps.skipped;
		if (routes)
			routes[k] = ps.routes;
		if (ps.routes == 0) {
			ds_error_set(err, -EINVAL, paths[k], 0, "no routes in the file", NULL, 0);
			goto out;
		}
		stream_fold(&ix, numbers, best);
	}
	rc = 0;
out:
	free(ps.one.v);
	stream_index_free(&ix);
	return rc;
}
