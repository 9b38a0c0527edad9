/*
 * stream.c - price by indexing the numbers and streaming each carrier's routes past them.
 *
 * Every prefix of every number (the empty one too) is one slot of an open-addressing table
 * keyed by its digits as nibbles and its length (no decimal conversion), fronted by a one-hash
 * bit filter of ~32 bits per prefix; route lines are parsed in place in the loader's read
 * buffer (its fast path, in batches whose filter and slot misses overlap; a cost is converted
 * only for a route that passes the filter), and only such a route probes the table and lowers
 * that slot's cost. After each carrier every number walks its prefixes longest first.
 * Carriers are read in parallel, each cut into as many parts as there are workers (so the
 * last carrier keeps them all busy), every worker with its own copy of the slots; a carrier's
 * parts meet, lowest cost per slot, before its fold. Cost: O(bytes) per carrier,
 * O(numbers x digits) memory per worker. The lesson: when routes outnumber numbers a thousand
 * to one, the table belongs on the small side.
 */
#include "stream.h"
#include "load_fast.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STREAM_EMPTY UINT64_MAX	  /* no key: its 15th digit would be 0xf */
#define STREAM_FILTER_BITS_PER 32 /* filter bits per distinct prefix (false hits ~3%) */
#define STREAM_FILTER_MAX_LOG 27  /* at most 16 MiB of filter */
#define STREAM_BATCH 32		  /* routes looked up together, their misses overlapped */
#define STREAM_SAFE DS_FAST_SAFE	  /* the fast path reads less than this past a line start */

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

/*
 * The key of the prefix d[0..len) (len <= 15; d[0..16) readable): its digits as 4-bit nibbles
 * in bits 0..59 and len in bits 60..63, no multiply (a digit is its byte's low nibble). Any
 * one-to-one packing would do: routes and numbers go through this same function.
 */
static inline uint64_t stream_key(const char *d, unsigned len)
{
#if defined(__SSE2__)
	const __m128i idx = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)d);

	v = _mm_and_si128(v, _mm_cmpgt_epi8(_mm_set1_epi8((char)len), idx));
	v = _mm_and_si128(v, _mm_set1_epi8(0x0f));
	v = _mm_and_si128(_mm_or_si128(v, _mm_srli_epi16(v, 4)), _mm_set1_epi16(0xff));
	return (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(v, v)) | (uint64_t)len << 60;
#else
	uint64_t key = 0;

	for (unsigned half = 0; half < 2; half++) {
		unsigned k = len > 8 * half ? len - 8 * half : 0;
		uint64_t x = ds_fast_load64(d + 8 * half) & 0x0f0f0f0f0f0f0f0fULL;

		x &= k >= 8 ? ~0ULL : (1ULL << (8 * k)) - 1;
		x = (x | x >> 4) & 0x00ff00ff00ff00ffULL;
		x = (x | x >> 8) & 0x0000ffff0000ffffULL;
		key |= ((x | x >> 16) & 0xffffffffULL) << (32 * half);
	}
	return key | (uint64_t)len << 60;
#endif
}

/* The key of digits[0..len) from a record, not 16 bytes readable: through a padded copy. */
static uint64_t stream_key_copy(const char *digits, unsigned len)
{
	char d[16] = { 0 };

	memcpy(d, digits, len);
	return stream_key(d, len);
}

static inline uint64_t stream_hash(uint64_t key)
{
	return key * 0x9E3779B97F4A7C15ULL;
}

static inline const uint64_t *stream_filter_word(const struct stream_index *ix, uint64_t h)
{
	return &ix->filter[(h >> (64 - ix->filter_log)) >> 6];
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

static void stream_index_free(struct stream_index *ix)
{
	free(ix->slot);
	free(ix->filter);
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
		stream_index_free(ix);
		return -ENOMEM;
	}
	for (size_t i = 0; i < slots; i++)
		ix->slot[i].key = STREAM_EMPTY;
	stream_index_add(ix, stream_key_copy("", 0));
	for (size_t i = 0; i < numbers->n; i++) {
		const struct ds_number *num = &numbers->v[i];

		for (unsigned l = num->len; l > 0; l--)
			stream_index_add(ix, stream_key_copy(num->digits, l));
	}
	return 0;
}

static inline void stream_route_key(const struct stream_index *ix, uint64_t key, uint64_t cost)
{
	uint64_t h = stream_hash(key);
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

		stream_route_key(ix, stream_key_copy(r->digits, r->len), r->cost);
		ps->routes++;
	}
	return 0;
}

/*
 * Routes parsed but not yet looked up: their keys, and their costs still as text (only the few
 * whose key passes the filter are converted).
 */
struct stream_batch {
	uint64_t key[STREAM_BATCH + DS_FAST_MAX_LINES];
	const char *cost[STREAM_BATCH + DS_FAST_MAX_LINES];
	uint8_t ci[STREAM_BATCH + DS_FAST_MAX_LINES], cf[STREAM_BATCH + DS_FAST_MAX_LINES];
	size_t routes; /* routes the last stream_windows took */
};

/*
 * Look up a batch of n routes in three passes, each prefetching for the next: the filter
 * words, then the slots of the few that pass it, then the probes. With 10,000 numbers the
 * slots are megabytes, so a probe is a cache miss; a batch has dozens of them in flight.
 */
static void stream_flush(const struct stream_index *ix, struct stream_batch *b, unsigned n)
{
	uint64_t h[STREAM_BATCH + DS_FAST_MAX_LINES];
	unsigned pass[STREAM_BATCH + DS_FAST_MAX_LINES], np = 0;

	for (unsigned i = 0; i < n; i++) {
		h[i] = stream_hash(b->key[i]);
		__builtin_prefetch(stream_filter_word(ix, h[i]));
	}
	for (unsigned i = 0; i < n; i++) {
		if (stream_filter_test(ix, h[i])) {
			__builtin_prefetch(&ix->slot[h[i] >> (64 - ix->slot_log)]);
			pass[np++] = i;
		}
	}
	for (unsigned j = 0; j < np; j++) {
		unsigned i = pass[j];
		struct stream_slot *s = stream_find(ix, b->key[i], h[i]);
		uint64_t cost;

		if (s && (cost = ds_fast_cost(b->cost[i], b->ci[i], b->cf[i])) < s->cost)
			s->cost = cost;
	}
}

/*
 * Parse windows of plain lines from p on (while p + DS_FAST_BLOCK_SAFE <= limit) into batches
 * and look them up; b->routes gets how many. Returns the bytes taken; at the first line a
 * window does not take, the caller's line at a time path goes on.
 */
static size_t stream_windows(const struct stream_index *ix, struct stream_batch *b,
			     const char *p, const char *limit)
{
	const char *start = p;
	unsigned n = 0;
	size_t used = 1;

	b->routes = 0;
	while (used && limit - p >= DS_FAST_BLOCK_SAFE) {
		struct ds_fast_span f[DS_FAST_MAX_LINES];
		unsigned k = ds_fast_spans64(p, f, &used);

		for (unsigned i = 0; i < k; i++, n++) {
			b->key[n] = stream_key(p + f[i].off + 1, f[i].len);
			b->cost[n] = p + f[i].c;
			b->ci[n] = (uint8_t)f[i].ci;
			b->cf[n] = (uint8_t)f[i].cf;
		}
		p += used;
		b->routes += k;
		if (n >= STREAM_BATCH) {
			stream_flush(ix, b, n);
			n = 0;
		}
	}
	stream_flush(ix, b, n);
	return (size_t)(p - start);
}

/*
 * Parse the lines of buf[0..size) that start before stop, numbering them from *lineno + 1:
 * plain lines by the loader's fast path (load_fast.h), any other by the loader itself.
 * Reading up to STREAM_SAFE bytes past any line start before stop must be safe. Returns the
 * offset of the first line not parsed, or (size_t)-1 with *err filled.
 */
static size_t stream_lines(const struct stream_index *ix, struct stream_pass *ps, const char *buf,
			   size_t size, size_t stop, size_t *lineno, struct ds_error *err)
{
	const char *p = buf, *end = buf + size, *limit = buf + stop;
	size_t lines = *lineno, routes = 0;
	struct stream_batch b;

	while (p < limit) {
		const char *line = p, *nl;
		uint64_t cost;
		unsigned n;
		size_t used;

		if (limit - p >= DS_FAST_BLOCK_SAFE) { /* windows of plain lines, batched */
			used = stream_windows(ix, &b, p, limit);
			lines += b.routes;
			routes += b.routes;
			p += used;
			if (used)
				continue;
		}
		used = ds_fast_route(p, &n, &cost);
		lines++;
		if (used) {
			stream_route_key(ix, stream_key(p + 1, n), cost);
			p += used;
			routes++;
			continue;
		}
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

/*
 * Read and stream part `part` of `parts` of one carrier file through the loader's bounded
 * reader (ds_read_part: the whole file when parts is 1), its lines numbered from 1. 0, or -1
 * with *err.
 */
static int stream_file(const struct stream_index *ix, struct stream_pass *ps, unsigned part,
		       unsigned parts, struct ds_error *err)
{
	struct stream_file_ctx c = { ix, ps };

	ps->lineno = 0;
	return ds_read_part(ps->path, part, parts, stream_piece, &c, err) != 0 ? -1 : 0;
}

/* This carrier's answer for each number lowers best[i]; then the slots are cleared. */
static void stream_fold(const struct stream_index *ix, const struct ds_numbers *numbers,
			uint64_t *best)
{
	size_t slots = (size_t)1 << ix->slot_log;

	for (size_t i = 0; i < numbers->n; i++) {
		const struct ds_number *num = &numbers->v[i];

		for (unsigned l = num->len + 1; l-- > 0;) {
			uint64_t key = stream_key_copy(num->digits, l);
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

/* --- the carriers on several threads ------------------------------------------------------ */

#define STREAM_MAX_THREADS 8
#define STREAM_COPY_MAX ((size_t)64 << 20) /* slot bytes up to which workers get a copy */

/* One part of one carrier, as a worker read it. */
struct stream_item {
	struct ds_error err;
	int failed;
	size_t lines, routes, skipped;
};

/*
 * The carriers' run: what every worker shares. Each carrier is read in `parts` parts (items
 * k * parts + j), so that the last carriers keep every worker busy; a part's costs wait in
 * its carrier's pending[] until the last part to finish folds them with its own.
 */
struct stream_run {
	const char *const *paths;
	size_t n_paths;
	int skip_invalid;
	const struct ds_numbers *numbers;
	const struct stream_index *ix;  /* the filter and the keys; each worker has its own slots */
	uint64_t *best;
	size_t *skipped, *routes;       /* per carrier */
	unsigned parts;                 /* parts per carrier */
	size_t n_items;                 /* n_paths * parts */
	struct stream_item *item;       /* per part */
	unsigned *done;                 /* per carrier: parts finished */
	uint64_t **pending;             /* per carrier: the finished parts' costs, per slot */
	pthread_mutex_t lock;           /* best[], next, first_failed, done[], pending[] */
	size_t next;                    /* the next item to take */
	size_t first_failed;            /* the lowest item that failed (n_items: none) */
};

/* One worker: its own slots (the costs of the carrier it is reading). */
struct stream_worker {
	struct stream_run *run;
	struct stream_index ix;
	int own_slots;
};

/* The next item for a worker, or n_items when none is left worth reading. */
static size_t stream_take(struct stream_run *r)
{
	size_t k;

	pthread_mutex_lock(&r->lock);
	k = r->next < r->first_failed ? r->next++ : r->n_items;
	pthread_mutex_unlock(&r->lock);
	return k;
}

/* Item i failed: later items need not be read (the first error in order is kept). */
static void stream_failed(struct stream_run *r, size_t i)
{
	pthread_mutex_lock(&r->lock);
	r->item[i].failed = 1;
	if (i < r->first_failed)
		r->first_failed = i;
	pthread_mutex_unlock(&r->lock);
}

/*
 * A part of carrier k is read into w's slots: unless it is the carrier's last part to finish,
 * its costs go into the carrier's pending costs (the lowest per slot) and its slots are
 * cleared; the last folds the pending costs with its own into best[]. 0, or -ENOMEM.
 */
static int stream_part_done(struct stream_run *r, struct stream_worker *w, size_t k)
{
	size_t slots = (size_t)1 << w->ix.slot_log;
	struct stream_slot *s = w->ix.slot;
	uint64_t *p;
	int rc = 0;

	pthread_mutex_lock(&r->lock);
	p = r->pending[k];
	if (r->parts > 1 && !p && (p = r->pending[k] = malloc(slots * sizeof(*p))) != NULL)
		for (size_t i = 0; i < slots; i++)
			p[i] = RT_NO_ROUTE;
	if (r->parts > 1 && !p) {
		rc = -ENOMEM;
	} else if (++r->done[k] < r->parts) {
		for (size_t i = 0; i < slots; i++) {
			p[i] = s[i].cost < p[i] ? s[i].cost : p[i];
			s[i].cost = RT_NO_ROUTE;
		}
	} else {
		for (size_t i = 0; p && i < slots; i++)
			s[i].cost = p[i] < s[i].cost ? p[i] : s[i].cost;
		free(p);
		r->pending[k] = NULL;
		stream_fold(&w->ix, r->numbers, r->best);
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* Read carriers' parts, and fold each carrier once all its parts are read, until none is left. */
static void *stream_work(void *arg)
{
	struct stream_worker *w = arg;
	struct stream_run *r = w->run;
	struct stream_pass ps = {0};
	size_t k;

	ps.one.v = malloc(sizeof(*ps.one.v));
	ps.one.cap = 1;
	if (!ps.one.v)
		return NULL; /* the others read the carriers, or stream_workers says why not */
	while ((k = stream_take(r)) < r->n_items) {
		struct stream_item *it = &r->item[k];

		ps.path = r->paths[k / r->parts];
		ps.skip_invalid = r->skip_invalid;
		ps.routes = 0;
		ps.skipped = 0;
		if (stream_file(&w->ix, &ps, (unsigned)(k % r->parts), r->parts, &it->err) != 0) {
			stream_failed(r, k);
			continue;
		}
		it->lines = ps.lineno;
		it->routes = ps.routes;
		it->skipped = ps.skipped;
		if (stream_part_done(r, w, k / r->parts) != 0) {
			ds_error_set(&it->err, -ENOMEM, ps.path, 0,
				     "out of memory reading carriers", NULL, 0);
			stream_failed(r, k);
		}
	}
	free(ps.one.v);
	return NULL;
}

/*
 * How many workers read carriers: the cores this process may run on (ds_usable_cores; at
 * most STREAM_MAX_THREADS); RB_PARSE_THREADS=N in the environment sets N (tests force 1 and
 * 2). Each carrier is read in that many parts.
 */
static size_t stream_threads(void)
{
	const char *env = getenv("RB_PARSE_THREADS");
	long t = env && *env ? strtol(env, NULL, 10) : (long)ds_usable_cores();

	if (t < 1)
		t = 1;
	if (t > STREAM_MAX_THREADS)
		t = STREAM_MAX_THREADS;
	return (size_t)t;
}

/* Worker i's index: the shared one for worker 0, else a copy of its slots. 0 or -ENOMEM. */
static int stream_worker_init(struct stream_worker *w, struct stream_run *r, size_t i)
{
	size_t bytes = ((size_t)1 << r->ix->slot_log) * sizeof(*r->ix->slot);

	memset(w, 0, sizeof(*w));
	w->run = r;
	w->ix = *r->ix;
	if (i == 0)
		return 0;
	w->ix.slot = malloc(bytes);
	if (!w->ix.slot)
		return -ENOMEM;
	memcpy(w->ix.slot, r->ix->slot, bytes);
	w->own_slots = 1;
	return 0;
}

/*
 * The carriers' counts from their parts, and the first failure in carrier order as one
 * thread reading the files in turn would see it: a part's bad line numbered after the lines
 * of the parts before it, a carrier without a route. 0, or -1 with *err filled.
 */
static int stream_outcome(struct stream_run *r, struct ds_error *err)
{
	for (size_t k = 0; k < r->n_paths; k++) {
		struct stream_item *it = &r->item[k * r->parts];
		size_t lines = 0, routes = 0, skipped = 0;

		for (unsigned j = 0; j < r->parts; j++) {
			if (it[j].failed) {
				*err = it[j].err;
				if (err->line)
					err->line += lines;
				return -1;
			}
			lines += it[j].lines;
			routes += it[j].routes;
			skipped += it[j].skipped;
		}
		if (k * r->parts >= r->next)
			return 0; /* not read: every worker ran out of memory */
		r->skipped[k] = skipped;
		if (r->routes)
			r->routes[k] = routes;
		if (routes == 0) {
			ds_error_set(err, -EINVAL, r->paths[k], 0, "no routes in the file", NULL,
				     0);
			return -1;
		}
	}
	return 0;
}

/*
 * Run the workers over every carrier, worker 0 on this thread. 0, or -1 with *err the first
 * failure in carrier order (or running out of memory).
 */
static int stream_workers(struct stream_run *r, size_t threads, struct ds_error *err)
{
	struct stream_worker w[STREAM_MAX_THREADS];
	pthread_t tid[STREAM_MAX_THREADS];
	int started[STREAM_MAX_THREADS] = {0};
	size_t t = 0;

	for (; t < threads; t++)
		if (stream_worker_init(&w[t], r, t) != 0)
			break;
	for (size_t i = 1; i < t; i++)
		started[i] = pthread_create(&tid[i], NULL, stream_work, &w[i]) == 0;
	stream_work(&w[0]);
	for (size_t i = 1; i < t; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		if (w[i].own_slots)
			free(w[i].ix.slot);
	}
	if (stream_outcome(r, err) != 0)
		return -1;
	if (r->next < r->n_items) { /* every worker was out of memory */
		ds_error_set(err, -ENOMEM, r->n_paths ? r->paths[0] : "stream", 0,
			     "out of memory reading carriers", NULL, 0);
		return -1;
	}
	return 0;
}

/* The run's per-part and per-carrier arrays, for parts parts per carrier. 0 or -ENOMEM. */
static int stream_run_alloc(struct stream_run *r, unsigned parts)
{
	size_t n = r->n_paths ? r->n_paths : 1;

	r->parts = parts;
	r->n_items = r->first_failed = r->n_paths * parts;
	r->item = calloc(n * parts, sizeof(*r->item));
	r->done = calloc(n, sizeof(*r->done));
	r->pending = calloc(n, sizeof(*r->pending));
	return r->item && r->done && r->pending ? 0 : -ENOMEM;
}

static void stream_run_free(struct stream_run *r)
{
	for (size_t k = 0; r->pending && k < r->n_paths; k++)
		free(r->pending[k]);
	free(r->item);
	free(r->done);
	free(r->pending);
}

int stream_price(const char *const *paths, size_t n_paths, int skip_invalid,
		 const struct ds_numbers *numbers, uint64_t *best, size_t *skipped,
		 size_t *routes, struct ds_error *err)
{
	struct stream_index ix;
	struct stream_run r = {paths, n_paths, skip_invalid, numbers, &ix, best, skipped, routes,
			       0, 0, NULL, NULL, NULL, PTHREAD_MUTEX_INITIALIZER, 0, 0};
	size_t threads;
	int rc = -1;

	for (size_t k = 0; k < n_paths; k++) {
		skipped[k] = 0;
		if (routes)
			routes[k] = 0;
	}
	for (size_t i = 0; i < numbers->n; i++)
		best[i] = RT_NO_ROUTE;
	if (stream_index_build(&ix, numbers) != 0) {
		ds_error_set(err, -ENOMEM, n_paths ? paths[0] : "stream",
			     0, "out of memory indexing numbers", NULL, 0);
		return -1;
	}
	/* a worker past the first copies the slots: not when they are large (memory is measured) */
	threads = ((size_t)1 << ix.slot_log) * sizeof(*ix.slot) > STREAM_COPY_MAX
			  ? 1 : stream_threads();
	if (stream_run_alloc(&r, (unsigned)threads) != 0)
		ds_error_set(err, -ENOMEM, n_paths ? paths[0] : "stream", 0,
			     "out of memory reading carriers", NULL, 0);
	else
		rc = stream_workers(&r, threads, err);
	stream_run_free(&r);
	stream_index_free(&ix);
	return rc;
}
