/*
 * micro.c - `routebench-micro`: Google Benchmark over every registered implementation: lookups
 * (hits, misses, mixed) and builds at each size, repeated, with median, cv and a fitted big-O in
 * the number of routes per family. Tables are built once per size, untimed, and kept while their
 * implementation runs; a size predicted past the memory budget is skipped, saying so. Lesson: a
 * benchmark states what it measured (sizes, answers, spread, fit), not just how fast it went.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "allocator.h"
#include "cli.h"
#include "gbench_shim.h"
#include "dataset.h"
#include "gen.h"
#include "build.h"
#include "load.h"
#include "outfile.h"
#include "registry.h"

#define MAX_SIZES 12
#define MAX_IMPLS 64
#define N_MODES 3
#define DEFAULT_QUERIES 65536
#define CHECK_QUERIES 1000     /* answers hashed once per table and compared across tables */
#define BATCH_NS 20000.0       /* a keep-running batch lasts about this long */
#define MAX_BATCH 4096
#define SEED 1
#define FIT_POINTS_PER_DECADE 8
#define DEFAULT_MAX_BUILD_S 4.0 /* a build predicted slower than this is skipped, saying so */
#define DEFAULT_CV_MAX 0.05    /* a family with a noisier size is run again, longer */
#define RERUN_ROUNDS 2         /* at most this many more runs of a noisy family */
#define RERUN_BUDGET_S 60.0    /* predicted seconds of reruns per round, at most */

static const char *const prog = "routebench-micro";

/* What a lookup family asks for: numbers drawn with this share of hits. */
static const struct mode {
	const char *name;
	double hit_ratio;
} modes[N_MODES] = { { "hit", 1.0 }, { "miss", 0.0 }, { "mixed", 0.5 } };

/* One size of the ladder: its routes and, per mode, its numbers; loaded on first use. */
struct size_data {
	uint64_t n;
	int loaded, failed;
	char why[160];
	char routes_path[4096];
	struct ds_routes routes;
	struct ds_numbers numbers[N_MODES];
	uint64_t check[N_MODES];     /* hash of the first answers, from the first table measured */
	const char *check_impl[N_MODES];
};

/* A table built for lookups, kept while its implementation is being measured. */
struct cached_table {
	uint64_t n;
	struct route_table *t;
	int64_t batch;               /* lookups per keep-running batch */
	int checked[N_MODES];        /* 0 not yet, 1 answers agree, -1 they differ */
};

/* One registered family. */
struct family {
	char name[96];
	const struct route_table_ops *ops;
	int mode;                    /* index into modes[], or -1 for BM_Build */
	/* from the results */
	char big_o[16];
	double coef_ns, rms;
	int have_fit;
};

/* One measured instance (a family at one size), gathered from the reported runs. */
struct row {
	char name[128];
	struct family *fam;
	uint64_t n;
	double median_ns, mean_ns, stddev_ns, cv, real_median_ns;
	int64_t repetitions;
	double hit_ratio, bytes_per_route;
	char error[256];
};

struct micro {
	struct size_data sizes[MAX_SIZES];
	size_t n_sizes;
	const struct route_table_ops *impls[MAX_IMPLS];
	size_t n_impls;
	uint64_t queries, budget;
	double max_build_s, cv_max;
	const char *cache_dir, *out_dir;
	/* the table cache: tables of one implementation */
	const struct route_table_ops *cached_ops;
	struct cached_table cache[MAX_SIZES];
	/* bytes per route seen per implementation and size, for the budget */
	double bpr[MAX_IMPLS][MAX_SIZES];
	struct family fams[MAX_IMPLS * (N_MODES + 1)];
	size_t n_fams;
	struct row *rows;
	size_t n_rows, cap_rows;
	unsigned char warned[MAX_IMPLS][MAX_SIZES]; /* a skip is reported once per table */
	unsigned mismatches, skips, failures;
};

static volatile uint64_t sink; /* every answer is folded in: the lookups cannot be elided */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t hash_step(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
}

static size_t impl_index(const struct micro *m, const struct route_table_ops *ops)
{
	for (size_t i = 0; i < m->n_impls; i++)
		if (m->impls[i] == ops)
			return i;
	return 0;
}

static struct size_data *find_size(struct micro *m, uint64_t n, size_t *idx)
{
	for (size_t i = 0; i < m->n_sizes; i++)
		if (m->sizes[i].n == n) {
			*idx = i;
			return &m->sizes[i];
		}
	return NULL;
}

/* Generate (or find in the cache) and parse the routes and the three number sets of d. */
static int load_size(struct micro *m, struct size_data *d)
{
	struct ds_gen_routes gr = { .count = d->n, .seed = SEED, .shape = DS_SHAPE_MAKESCHOOL };
	struct ds_error err = { .what = "" };
	char path[4096];
	int rc;

	if (d->loaded || d->failed)
		return d->failed ? -1 : 0;
	rc = ds_gen_cached_routes(&gr, m->cache_dir, d->routes_path, sizeof(d->routes_path));
	if (rc == 0 && ds_load_routes(d->routes_path, 0, &d->routes, &err) != 0)
		rc = -EINVAL;
	for (int k = 0; rc == 0 && k < N_MODES; k++) {
		struct ds_gen_numbers gn = { .count = m->queries, .seed = SEED + 1,
					     .hit_ratio = modes[k].hit_ratio,
					     .routes_path = d->routes_path };

		rc = ds_gen_cached_numbers(&gn, m->cache_dir, path, sizeof(path));
		if (rc == 0 && ds_load_numbers(path, 0, &d->numbers[k], &err) != 0)
			rc = -EINVAL;
	}
	if (rc != 0) {
		d->failed = 1;
		snprintf(d->why, sizeof(d->why), "no dataset of %" PRIu64 " routes: %s", d->n,
			 err.what[0] ? err.what : strerror(-rc));
		fprintf(stderr, "%s: %s\n", prog, d->why);
		return -1;
	}
	d->loaded = 1;
	return 0;
}

static void flush_cache(struct micro *m)
{
	for (size_t i = 0; i < m->n_sizes; i++) {
		rt_destroy(m->cache[i].t);
		memset(&m->cache[i], 0, sizeof(m->cache[i]));
	}
	m->cached_ops = NULL;
}

static struct row *row_named(struct micro *m, const char *name, struct family *f);

/* A run that cannot be measured: GB is told (gb_skip_with_error) and its CSV row says why. */
static void skip_run(struct micro *m, struct gb_state *st, const struct family *f, uint64_t n,
		     const char *why)
{
	char name[160];
	struct row *r;

	gb_skip_with_error(st, why);
	snprintf(name, sizeof(name), "%s/%" PRIu64, f->name, n);
	r = row_named(m, name, (struct family *)f);
	if (r) {
		r->n = n;
		snprintf(r->error, sizeof(r->error), "%s", why);
	}
}

/* Bytes as "512 B", "1.5 MB", "2.1 GB" into buf[16]. */
static const char *human(double bytes, char *buf)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	size_t u = 0;

	while (bytes >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1000;
		u++;
	}
	snprintf(buf, 16, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
	return buf;
}

/*
 * Would building ops at size index si fit the memory budget? Predicts from the bytes per route
 * measured at the largest smaller size (an over-estimate for tries, whose prefixes share more
 * as they grow). 0, or -1 with the reason in why.
 */
static int within_budget(struct micro *m, const struct route_table_ops *ops, size_t si,
			 char *why, size_t cap)
{
	size_t ii = impl_index(m, ops);
	uint64_t n = m->sizes[si].n, best_n = 0;
	double bpr = 0;
	char need[16], budget[16];

	for (size_t j = 0; j < m->n_sizes; j++)
		if (m->sizes[j].n < n && m->sizes[j].n > best_n && m->bpr[ii][j] > 0) {
			best_n = m->sizes[j].n;
			bpr = m->bpr[ii][j];
		}
	if (!best_n || bpr * (double)n <= (double)m->budget)
		return 0;
	snprintf(why, cap,
		 "skipped: %s at %" PRIu64 " routes would need about %s (%.0f B/route at %" PRIu64
		 ") > memory budget %s (--mem-budget)",
		 ops->name, n, human(bpr * (double)n, need), bpr, best_n,
		 human((double)m->budget, budget));
	return -1;
}

/* Build ops at size index si and record its bytes per route (the larger of the table's own
 * accounting and the allocator's count). 0 or -errno. */
static int build_measured(struct micro *m, const struct route_table_ops *ops, size_t si,
			  struct route_table **out)
{
	struct size_data *d = &m->sizes[si];
	uint64_t heap0 = bench_alloc_heap_bytes(), heap1;
	struct rt_stats s;
	double bytes;
	int rc = pricing_build_table(ops, &d->routes, out);

	if (rc != 0)
		return rc;
	heap1 = bench_alloc_heap_bytes();
	rt_stats(*out, &s);
	bytes = (double)s.total_bytes;
	if (heap1 > heap0 && (double)(heap1 - heap0) > bytes)
		bytes = (double)(heap1 - heap0);
	m->bpr[impl_index(m, ops)][si] = d->routes.n ? bytes / (double)d->routes.n : 0;
	return 0;
}

/*
 * Would one build of f (a BM_Build family) at size index si take longer than --max-build-s?
 * Predicted from the two largest smaller sizes it was measured at, t = t1 (n / n1)^k with k
 * their slope, between 1 and 2 (one size: k = 1). 0, or -1 with the reason in why.
 */
static int within_time(struct micro *m, const struct family *f, size_t si, char *why,
		       size_t cap)
{
	const struct row *r0 = NULL, *r1 = NULL;
	uint64_t n = m->sizes[si].n;
	double k = 1, t;

	if (f->mode >= 0 || m->max_build_s <= 0)
		return 0;
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct row *r = &m->rows[i];

		if (r->fam != f || r->n >= n || !isfinite(r->median_ns) || r->median_ns <= 0)
			continue;
		if (!r1 || r->n > r1->n) {
			r0 = r1;
			r1 = r;
		} else if (!r0 || r->n > r0->n) {
			r0 = r;
		}
	}
	if (!r1)
		return 0;
	if (r0 && r1->median_ns > r0->median_ns)
		k = log(r1->median_ns / r0->median_ns) / log((double)r1->n / (double)r0->n);
	k = k < 1 ? 1 : k > 2 ? 2 : k;
	t = r1->median_ns * 1e-9 * pow((double)n / (double)r1->n, k);
	if (t <= m->max_build_s)
		return 0;
	snprintf(why, cap, "skipped: %s build at %" PRIu64 " routes predicted %.2f s (from %.3f s "
		 "at %" PRIu64 ") > %.1f s per build (--max-build-s)", f->ops->name, n, t,
		 r1->median_ns * 1e-9, r1->n, m->max_build_s);
	return -1;
}

/* Common set-up of a run: the size's data, and the budgets. NULL after skip_run. */
static struct size_data *setup(struct micro *m, struct gb_state *st, const struct family *f,
			       size_t *si)
{
	uint64_t n = (uint64_t)gb_state_arg(st, 0);
	struct size_data *d = find_size(m, n, si);
	char why[256];

	if (!d || load_size(m, d) != 0) {
		skip_run(m, st, f, n, d ? d->why : "unknown size");
		m->failures++;
		return NULL;
	}
	if (within_budget(m, f->ops, *si, why, sizeof(why)) != 0 ||
	    within_time(m, f, *si, why, sizeof(why)) != 0) {
		if (!m->warned[impl_index(m, f->ops)][*si]++) {
			fprintf(stderr, "%s: %s\n", prog, why);
			m->skips++;
		}
		skip_run(m, st, f, n, why);
		return NULL;
	}
	return d;
}

/* The cached table of f's implementation at size index si, built if needed; NULL on error. */
static struct cached_table *table_for(struct micro *m, struct gb_state *st,
				      const struct family *f, size_t si)
{
	struct cached_table *c = &m->cache[si];
	const struct ds_numbers *q = &m->sizes[si].numbers[0];
	char why[160];
	double t0, dt;
	uint64_t h = 0;
	size_t k = q->n < 256 ? q->n : 256;
	int rc;

	if (m->cached_ops != f->ops) {
		flush_cache(m);
		m->cached_ops = f->ops;
	}
	if (c->t)
		return c;
	rc = build_measured(m, f->ops, si, &c->t);
	if (rc != 0) {
		snprintf(why, sizeof(why), "build of %" PRIu64 " routes failed: %s", m->sizes[si].n,
			 strerror(-rc));
		skip_run(m, st, f, m->sizes[si].n, why);
		m->failures++;
		return NULL;
	}
	c->n = m->sizes[si].n;
	t0 = now_s();
	for (size_t i = 0; i < k; i++)
		h ^= rt_lookup(c->t, q->v[i].digits, q->v[i].len);
	dt = (now_s() - t0) / (double)(k ? k : 1);
	sink ^= h;
	c->batch = dt > 0 ? (int64_t)(BATCH_NS * 1e-9 / dt) : MAX_BATCH;
	c->batch = c->batch < 1 ? 1 : c->batch > MAX_BATCH ? MAX_BATCH : c->batch;
	return c;
}

/* Hash the answers to the first numbers; the first table to do so sets the reference. */
static int check_answers(struct micro *m, struct gb_state *st, const struct family *f,
			 size_t si, struct cached_table *c)
{
	struct size_data *d = &m->sizes[si];
	const struct ds_numbers *q = &d->numbers[f->mode];
	size_t k = q->n < CHECK_QUERIES ? q->n : CHECK_QUERIES;
	uint64_t h = 0;
	char why[200];

	snprintf(why, sizeof(why), "answers differ from %s on the first %zu numbers",
		 d->check_impl[f->mode] ? d->check_impl[f->mode] : "?", k);
	if (c->checked[f->mode] < 0)
		skip_run(m, st, f, d->n, why);
	if (c->checked[f->mode])
		return c->checked[f->mode] < 0 ? -1 : 0;
	for (size_t i = 0; i < k; i++)
		h = hash_step(h, rt_lookup(c->t, q->v[i].digits, q->v[i].len));
	c->checked[f->mode] = 1;
	if (!d->check_impl[f->mode]) {
		d->check[f->mode] = h;
		d->check_impl[f->mode] = f->ops->name;
		return 0;
	}
	if (h == d->check[f->mode])
		return 0;
	c->checked[f->mode] = -1;
	snprintf(why, sizeof(why), "answers differ from %s on the first %zu numbers",
		 d->check_impl[f->mode], k);
	fprintf(stderr, "%s: %s/%" PRIu64 ": %s\n", prog, f->name, d->n, why);
	skip_run(m, st, f, d->n, why);
	m->mismatches++;
	return -1;
}

static struct micro M;

/* BM_Lookup/IMPL/MODE/N: one lookup per iteration, cycling through the mode's numbers. */
static void bm_lookup(struct gb_state *st, void *ctx)
{
	const struct family *f = ctx;
	struct cached_table *c;
	const struct ds_numbers *q;
	uint64_t h = 0, hits = 0;
	size_t si, i = 0;

	if (!setup(&M, st, f, &si) || !(c = table_for(&M, st, f, si)) ||
	    check_answers(&M, st, f, si, c) != 0)
		return;
	q = &M.sizes[si].numbers[f->mode];
	while (gb_keep_running_batch(st, c->batch)) {
		for (int64_t b = 0; b < c->batch; b++) {
			uint64_t cost = rt_lookup(c->t, q->v[i].digits, q->v[i].len);

			h ^= cost;
			hits += cost != RT_NO_ROUTE;
			if (++i == q->n)
				i = 0;
		}
	}
	sink ^= h;
	gb_set_items_processed(st, gb_state_iterations(st));
	gb_set_complexity_n(st, (int64_t)M.sizes[si].n);
	gb_set_counter(st, "hit_ratio", (double)hits, GB_COUNTER_AVG_ITERATIONS);
}

/* BM_Build/IMPL/N: create + insert every route + finalize; the teardown is not timed. */
static void bm_build(struct gb_state *st, void *ctx)
{
	const struct family *f = ctx;
	struct size_data *d;
	struct rt_stats s = { 0 };
	size_t si;
	int rc = 0;

	flush_cache(&M); /* the lookups' tables would only add to this one's peak */
	if (!(d = setup(&M, st, f, &si)))
		return;
	while (gb_keep_running(st)) {
		struct route_table *t = NULL;

		rc = pricing_build_table(f->ops, &d->routes, &t);
		gb_pause_timing(st);
		if (rc == 0) {
			rt_stats(t, &s);
			gb_do_not_optimize(t);
			rt_destroy(t);
		}
		gb_resume_timing(st);
		if (rc != 0)
			break;
	}
	if (rc != 0) {
		char why[160];

		snprintf(why, sizeof(why), "build of %" PRIu64 " routes failed: %s", d->n,
			 strerror(-rc));
		skip_run(&M, st, f, d->n, why);
		M.failures++;
		return;
	}
	if (d->routes.n) {
		double *bpr = &M.bpr[impl_index(&M, f->ops)][si];

		if ((double)s.total_bytes / (double)d->routes.n > *bpr)
			*bpr = (double)s.total_bytes / (double)d->routes.n;
	}
	gb_set_items_processed(st, gb_state_iterations(st) * (int64_t)d->routes.n);
	gb_set_complexity_n(st, (int64_t)d->n);
	gb_set_counter(st, "bytes_per_route",
		       d->routes.n ? (double)s.total_bytes / (double)d->routes.n : 0, 0);
}

/* --- results -------------------------------------------------------------------------------- */

static struct family *family_named(struct micro *m, const char *name)
{
	for (size_t i = 0; i < m->n_fams; i++)
		if (strcmp(m->fams[i].name, name) == 0)
			return &m->fams[i];
	return NULL;
}

static struct row *row_named(struct micro *m, const char *name, struct family *f)
{
	struct row *r;

	for (size_t i = 0; i < m->n_rows; i++)
		if (strcmp(m->rows[i].name, name) == 0)
			return &m->rows[i];
	if (m->n_rows == m->cap_rows) {
		size_t cap = m->cap_rows ? 2 * m->cap_rows : 64;
		struct row *v = realloc(m->rows, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->rows = v;
		m->cap_rows = cap;
	}
	r = &m->rows[m->n_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->fam = f;
	r->median_ns = r->mean_ns = r->stddev_ns = r->cv = r->real_median_ns = NAN;
	r->hit_ratio = r->bytes_per_route = NAN;
	return r;
}

static double counter(const struct gb_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counter_names[i], name) == 0)
			return r->counter_values[i];
	return NAN;
}

/* The result hook: fold each reported run into its row or its family's fit. */
static void on_result(const struct gb_result *res, void *ctx)
{
	struct micro *m = ctx;
	struct family *f = family_named(m, res->family);
	struct row *r;

	if (!f)
		return;
	if (res->kind == GB_RUN_BIG_O) {
		snprintf(f->big_o, sizeof(f->big_o), "%s", res->big_o);
		f->coef_ns = res->cpu_ns;
		f->have_fit = 1;
		return;
	}
	if (res->kind == GB_RUN_RMS) {
		f->rms = res->cpu_ns;
		return;
	}
	r = row_named(m, res->name, f);
	if (!r)
		return;
	r->n = strtoull(res->args, NULL, 10);
	r->repetitions = res->repetitions;
	if (res->error) {
		snprintf(r->error, sizeof(r->error), "%s", res->error);
		return;
	}
	r->error[0] = '\0';
	if (res->kind == GB_RUN_ITERATION || strcmp(res->aggregate, "median") == 0) {
		r->median_ns = res->cpu_ns;
		r->real_median_ns = res->real_ns;
		r->hit_ratio = counter(res, "hit_ratio");
		r->bytes_per_route = counter(res, "bytes_per_route");
	}
	if (res->kind == GB_RUN_ITERATION || strcmp(res->aggregate, "mean") == 0)
		r->mean_ns = res->cpu_ns;
	if (res->kind == GB_RUN_AGGREGATE && strcmp(res->aggregate, "stddev") == 0)
		r->stddev_ns = res->cpu_ns;
	if (res->kind == GB_RUN_AGGREGATE && strcmp(res->aggregate, "cv") == 0)
		r->cv = res->cpu_ns;
}

/* coef * big_o(n), with GB's meaning of each name (lg is log2); NaN for an unknown name. */
static double fit_at(const struct family *f, double n)
{
	const char *o = f->big_o;

	if (strcmp(o, "(1)") == 0)
		return f->coef_ns;
	if (strcmp(o, "N") == 0)
		return f->coef_ns * n;
	if (strcmp(o, "lgN") == 0)
		return f->coef_ns * log2(n);
	if (strcmp(o, "NlgN") == 0)
		return f->coef_ns * n * log2(n);
	if (strcmp(o, "N^2") == 0)
		return f->coef_ns * n * n;
	if (strcmp(o, "N^3") == 0)
		return f->coef_ns * n * n * n;
	return NAN;
}

static const char *bench_of(const struct family *f)
{
	return f->mode < 0 ? "build" : "lookup";
}

static const char *mode_of(const struct family *f)
{
	return f->mode < 0 ? "" : modes[f->mode].name;
}

static void put_num(FILE *f, double v, const char *fmt)
{
	if (isfinite(v))
		fprintf(f, fmt, v);
}

static int write_rows_csv(struct micro *m, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);

	if (rc != 0)
		return rc;
	fprintf(o.f, "name,bench,impl,mode,n_routes,cpu_ns_median,cpu_ns_mean,cpu_ns_stddev,cv,"
		     "real_ns_median,repetitions,hit_ratio,bytes_per_route,error\n");
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct row *r = &m->rows[i];

		fprintf(o.f, "%s,%s,%s,%s,%" PRIu64 ",", r->name, bench_of(r->fam),
			r->fam->ops->name, mode_of(r->fam), r->n);
		put_num(o.f, r->median_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->mean_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->stddev_ns, "%.3f");
		fputc(',', o.f);
		put_num(o.f, r->cv, "%.5f");
		fputc(',', o.f);
		put_num(o.f, r->real_median_ns, "%.3f");
		fprintf(o.f, ",%" PRId64 ",", r->repetitions);
		put_num(o.f, r->hit_ratio, "%.4f");
		fputc(',', o.f);
		put_num(o.f, r->bytes_per_route, "%.2f");
		fputc(',', o.f);
		for (const char *s = r->error; *s; s++)
			fputc(*s == ',' ? ';' : *s, o.f);
		fputc('\n', o.f);
	}
	return rb_outfile_commit(&o);
}

static int write_fits_csv(struct micro *m, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);

	if (rc != 0)
		return rc;
	fprintf(o.f, "family,bench,impl,mode,big_o,coef_ns,rms,claimed\n");
	for (size_t i = 0; i < m->n_fams; i++) {
		const struct family *f = &m->fams[i];

		if (!f->have_fit)
			continue;
		fprintf(o.f, "%s,%s,%s,%s,%s,%.6g,%.4f,\"%s\"\n", f->name, bench_of(f),
			f->ops->name, mode_of(f), f->big_o, f->coef_ns, f->rms, f->ops->complexity);
	}
	return rb_outfile_commit(&o);
}

/*
 * One gnuplot data file per chart panel (lookup-hit, lookup-miss, lookup-mixed, build): for
 * each implementation two blocks (separated by two blank lines, so `index` picks them): the
 * measured medians, then its fitted curve sampled between the smallest and largest size it was
 * measured at. The first line of each block is its title, for `title columnheader(1)`.
 */
static int write_dat(struct micro *m, int mode, const char *path)
{
	struct rb_outfile o;
	int rc = rb_outfile_open(&o, path);
	uint64_t lo, hi;

	if (rc != 0)
		return rc;
	fprintf(o.f, "# %s: per implementation, a block of measured medians (n_routes cpu_ns cv) "
		     "and a block of its fitted curve (n_routes ns)\n",
		mode < 0 ? "build" : modes[mode].name);
	for (size_t i = 0; i < m->n_fams; i++) {
		const struct family *f = &m->fams[i];
		int any = 0;

		if (f->mode != mode)
			continue;
		for (size_t j = 0; j < m->n_rows; j++)
			any |= m->rows[j].fam == f && isfinite(m->rows[j].median_ns);
		if (!any)
			continue;
		/* the fit is drawn over the sizes it was fitted to, not past a skipped one */
		lo = UINT64_MAX;
		hi = 0;
		for (size_t j = 0; j < m->n_rows; j++)
			if (m->rows[j].fam == f && isfinite(m->rows[j].median_ns)) {
				lo = m->rows[j].n < lo ? m->rows[j].n : lo;
				hi = m->rows[j].n > hi ? m->rows[j].n : hi;
			}
		if (f->have_fit)
			fprintf(o.f, "\"%s  %.3g %s\"\n", f->ops->name, f->coef_ns, f->big_o);
		else
			fprintf(o.f, "\"%s\"\n", f->ops->name);
		for (size_t j = 0; j < m->n_rows; j++) {
			const struct row *r = &m->rows[j];

			if (r->fam != f || !isfinite(r->median_ns))
				continue;
			fprintf(o.f, "%" PRIu64 " %.3f %.5f\n", r->n, r->median_ns,
				isfinite(r->cv) ? r->cv : 0.0);
		}
		fprintf(o.f, "\n\n\"%s fit\"\n", f->ops->name);
		if (f->have_fit && lo < hi)
			for (double e = log10((double)lo); e <= log10((double)hi) + 1e-9;
			     e += 1.0 / FIT_POINTS_PER_DECADE)
				fprintf(o.f, "%.0f %.4g\n", pow(10, e), fit_at(f, pow(10, e)));
		else
			fprintf(o.f, "%" PRIu64 " NaN\n", lo);
		fprintf(o.f, "\n\n");
	}
	return rb_outfile_commit(&o);
}

static int write_outputs(struct micro *m)
{
	char path[4200];
	int rc;

	snprintf(path, sizeof(path), "%s/micro.csv", m->out_dir);
	rc = write_rows_csv(m, path);
	snprintf(path, sizeof(path), "%s/micro-fit.csv", m->out_dir);
	if (rc == 0)
		rc = write_fits_csv(m, path);
	for (int k = -1; rc == 0 && k < N_MODES; k++) {
		snprintf(path, sizeof(path), "%s/micro-%s.dat", m->out_dir,
			 k < 0 ? "build" : modes[k].name);
		rc = write_dat(m, k, path);
	}
	if (rc != 0)
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(-rc));
	return rc;
}

/* The fitted big-O of every family, one line per implementation, to f. */
static void print_fits(struct micro *m, FILE *f)
{
	fprintf(f, "\nFitted complexity (GB least squares on cpu time; coefficient in ns, rms "
		   "error of the fit):\n");
	fprintf(f, "%-12s", "impl");
	for (int k = 0; k < N_MODES; k++)
		fprintf(f, " lookup/%-16s", modes[k].name);
	fprintf(f, " %-22s claimed\n", "build");
	for (size_t i = 0; i < m->n_impls; i++) {
		int any = 0;

		for (size_t j = 0; j < m->n_fams; j++)
			any |= m->fams[j].ops == m->impls[i] && m->fams[j].have_fit;
		if (!any)
			continue;
		fprintf(f, "%-12s", m->impls[i]->name);
		for (int k = 0; k <= N_MODES; k++) {
			int mode = k < N_MODES ? k : -1;
			char cell[64] = "-";

			for (size_t j = 0; j < m->n_fams; j++) {
				const struct family *fa = &m->fams[j];

				if (fa->ops != m->impls[i] || fa->mode != mode || !fa->have_fit)
					continue;
				snprintf(cell, sizeof(cell), "%.3g %s (%.0f%%)", fa->coef_ns,
					 fa->big_o, 100 * fa->rms);
			}
			fprintf(f, " %-*s", k < N_MODES ? 23 : 22, cell);
		}
		fprintf(f, " %s\n", m->impls[i]->complexity);
	}
}

/* --- repetitions until the cv is small --------------------------------------------------- */

/* The value of the last "--NAME=VALUE" among argv[0..argc) as a number, or def. */
static double last_flag(char **argv, int argc, const char *name, double def)
{
	size_t len = strlen(name);

	for (int i = argc - 1; i > 0; i--)
		if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=')
			return strtod(argv[i] + len + 1, NULL);
	return def;
}

/*
 * Families with a size whose cv is above --cv-max go into filter ("^(A|B)/", GB's regex), each
 * predicted to take reps runs of at least min_s, while the total stays under RERUN_BUDGET_S;
 * their rows and fit are reset. Returns how many; *left counts the noisy ones left out.
 */
static size_t pick_noisy(struct micro *m, int reps, double min_s, char *filter, size_t cap,
			 size_t *left)
{
	double cost = 0;
	size_t n = 0, len = 0;

	*left = 0;
	for (size_t i = 0; i < m->n_fams; i++) {
		struct family *f = &m->fams[i];
		double cv = 0, t = 0;

		for (size_t j = 0; j < m->n_rows; j++)
			if (m->rows[j].fam == f && isfinite(m->rows[j].cv)) {
				cv = m->rows[j].cv > cv ? m->rows[j].cv : cv;
				t += reps * (m->rows[j].median_ns * 1e-9 > min_s
						     ? m->rows[j].median_ns * 1e-9 : min_s);
			}
		if (cv <= m->cv_max)
			continue;
		if (cost + t > RERUN_BUDGET_S || len + strlen(f->name) + 8 > cap) {
			(*left)++;
			continue;
		}
		cost += t;
		len += (size_t)snprintf(filter + len, cap - len, "%s%s", n++ ? "|" : "^(", f->name);
		f->have_fit = 0;
		for (size_t j = 0; j < m->n_rows; j++)
			if (m->rows[j].fam == f)
				m->rows[j].median_ns = m->rows[j].cv = NAN;
	}
	if (n)
		snprintf(filter + len, cap - len, ")/");
	return n;
}

/*
 * Run the noisy families again, each round with twice the repetitions, each four times as long,
 * at most RERUN_ROUNDS rounds: their rows and fits are replaced, and each round's JSON goes to
 * DIR/micro-rerun-K.json. 0, or gb_run's error.
 */
static int rerun_noisy(struct micro *m, char **gb_argv, int gb_argc)
{
	int reps = (int)last_flag(gb_argv, gb_argc, "--benchmark_repetitions", 1);
	double min_s = last_flag(gb_argv, gb_argc, "--benchmark_min_time", 0.5);
	static char filter[8192], a_reps[64], a_min[64], a_out[4200];

	for (int round = 1; m->cv_max > 0 && round <= RERUN_ROUNDS; round++) {
		char *argv2[256];
		int argc2 = 0, ran;
		size_t left, n;

		reps *= 2;
		min_s *= 4;
		n = pick_noisy(m, reps, min_s, filter + strlen("--benchmark_filter="),
			       sizeof(filter) - strlen("--benchmark_filter="), &left);
		if (left)
			fprintf(stderr, "%s: %zu noisy famil%s left as measured (rerun budget %.0f s)\n",
				prog, left, left == 1 ? "y" : "ies", RERUN_BUDGET_S);
		if (!n || gb_argc + 4 > 256)
			return 0;
		memcpy(filter, "--benchmark_filter=", strlen("--benchmark_filter="));
		fprintf(stderr, "%s: %zu famil%s with a cv above %.0f%%: again, %d repetitions of "
			"%g s at least\n", prog, n, n == 1 ? "y" : "ies", 100 * m->cv_max, reps,
			min_s);
		memcpy(argv2, gb_argv, (size_t)gb_argc * sizeof(*argv2));
		argc2 = gb_argc;
		snprintf(a_reps, sizeof(a_reps), "--benchmark_repetitions=%d", reps);
		snprintf(a_min, sizeof(a_min), "--benchmark_min_time=%g", min_s);
		argv2[argc2++] = a_reps;
		argv2[argc2++] = a_min;
		argv2[argc2++] = filter;
		if (m->out_dir) {
			snprintf(a_out, sizeof(a_out), "--benchmark_out=%s/micro-rerun-%d.json",
				 m->out_dir, round);
			argv2[argc2++] = a_out;
		}
		ran = gb_run(argc2, argv2);
		flush_cache(m);
		if (ran < 0)
			return ran;
	}
	return 0;
}

/* --- the command line --------------------------------------------------------------------- */

static const char micro_help[] =
	"usage: routebench-micro [--sizes LIST] [--impls LIST] [--queries N] [--mem-budget SIZE]\n"
	"                        [--out DIR] [--cache-dir DIR] [--benchmark_* ...]\n"
	"\n"
	"Google Benchmark micro-benchmarks of every registered implementation over makeschool-\n"
	"shaped route lists (generated once into the dataset cache):\n"
	"  BM_Lookup/IMPL/MODE/N   one lookup, MODE hit, miss or mixed numbers, N routes\n"
	"  BM_Build/IMPL/N         create + insert N routes + finalize (teardown untimed)\n"
	"Each family is fitted to a big-O in N (Complexity(oAuto)); repetitions report the mean,\n"
	"median, stddev and coefficient of variation. Every table's answers to the first 1000\n"
	"numbers are checked against the first table measured. A size whose predicted memory\n"
	"exceeds the budget is skipped with a message.\n"
	"\n"
	"  --sizes LIST         route counts (default 1K,3K,10K,30K,100K,300K,1M: half decades,\n"
	"                       so a fit has seven sizes)\n"
	"  --impls LIST         implementations, comma-separated (default: all; routebench list)\n"
	"  --queries N          numbers per lookup set (default 65536)\n"
	"  --mem-budget SIZE    largest predicted table, e.g. 8G (default: 40% of RAM, at most\n"
	"                       2G: the naive trie's ~2 KB nodes are skipped at 1M routes)\n"
	"  --max-build-s S      skip a build predicted slower than S seconds (default 4; 0: none)\n"
	"  --cv-max X           run a family again, with twice the repetitions of four times\n"
	"                       the length, while one of its sizes has a cv above X (default\n"
	"                       0.05; at most 2 more runs, about 60 s each; 0: never)\n"
	"  --out DIR            also write DIR/micro.json (GB's JSON), micro.csv (one row per\n"
	"                       benchmark), micro-fit.csv (the fits) and micro-*.dat (for\n"
	"                       plots/micro.gp); DIR is created\n"
	"  --cache-dir DIR      dataset cache (default $RB_CACHE_DIR or datasets/cache)\n"
	"  -h, --help           this help, then Google Benchmark's flags\n"
	"\n"
	"Defaults passed to Google Benchmark (yours come after and win):\n"
	"  --benchmark_repetitions=5 --benchmark_min_time=0.02\n"
	"A rerun of noisy families writes its own JSON, DIR/micro-rerun-K.json; micro.csv and\n"
	"micro-fit.csv hold the last measurement of every family.\n"
	"\n"
	"Exit status: 0 ran, 1 a table gave wrong answers or a run failed, 2 usage error.\n";

static uint64_t default_budget(void)
{
	const uint64_t cap = (uint64_t)2 << 30;
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	uint64_t total = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;

	return total && total / 10 * 4 < cap ? total / 10 * 4 : cap;
}

static int parse_impls(struct micro *m, const char *list)
{
	char buf[1024];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error_prog(prog, "--impls: list too long");
	strcpy(buf, list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		const struct route_table_ops *ops = rt_find(tok);

		if (!ops)
			return cli_usage_error_prog(prog, "--impls: no implementation named '%s' "
							  "(see 'routebench list')", tok);
		if (m->n_impls == MAX_IMPLS)
			return cli_usage_error_prog(prog, "--impls: at most %d", MAX_IMPLS);
		m->impls[m->n_impls++] = ops;
	}
	return m->n_impls ? 0 : cli_usage_error_prog(prog, "--impls: empty list");
}

/* "--name=value" or "--name value": the value, advancing *i; NULL if this is not --name. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

/* Our options out of argv; GB's (and only GB's) appended to gb_argv. 0, -1 (help) or 2. */
static int parse_args(struct micro *m, int argc, char **argv, char **gb_argv, int *gb_argc)
{
	uint64_t sizes[MAX_SIZES];
	int n_sizes = 0;

	for (int i = 1; i < argc; i++) {
		int missing = 0;
		const char *v;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(micro_help, stdout);
			printf("\nGoogle Benchmark's flags:\n");
			gb_print_flags();
			return -1;
		} else if ((v = opt_value(argc, argv, &i, "--sizes", &missing))) {
			n_sizes = cli_parse_u64_list(v, sizes, MAX_SIZES);
			if (n_sizes < 0)
				return cli_usage_error_prog(
					prog, "--sizes: want counts like 1K,10K (at most %d), "
					      "not '%s'", MAX_SIZES, v);
			for (int k = 0; k < n_sizes; k++)
				if (sizes[k] == 0 || sizes[k] > DS_MAX_COUNT ||
				    (k && sizes[k] <= sizes[k - 1]))
					return cli_usage_error_prog(
						prog, "--sizes: want increasing counts from 1 to "
						      "100M, not '%s'", v);
		} else if ((v = opt_value(argc, argv, &i, "--impls", &missing))) {
			int rc = parse_impls(m, v);

			if (rc)
				return rc;
		} else if ((v = opt_value(argc, argv, &i, "--queries", &missing))) {
			if (cli_parse_u64(v, 0, &m->queries) != 0 || !m->queries ||
			    m->queries > DS_MAX_COUNT)
				return cli_usage_error_prog(prog, "--queries: bad count '%s'", v);
		} else if ((v = opt_value(argc, argv, &i, "--mem-budget", &missing))) {
			if (cli_parse_u64(v, 1, &m->budget) != 0 || !m->budget)
				return cli_usage_error_prog(prog, "--mem-budget: bad size '%s'", v);
		} else if ((v = opt_value(argc, argv, &i, "--max-build-s", &missing))) {
			char *end;

			m->max_build_s = strtod(v, &end);
			if (*end || !(m->max_build_s >= 0))
				return cli_usage_error_prog(prog, "--max-build-s: bad seconds '%s'", v);
		} else if ((v = opt_value(argc, argv, &i, "--cv-max", &missing))) {
			char *end;

			m->cv_max = strtod(v, &end);
			if (*end || !(m->cv_max >= 0))
				return cli_usage_error_prog(prog, "--cv-max: bad share '%s'", v);
		} else if ((v = opt_value(argc, argv, &i, "--out", &missing))) {
			m->out_dir = v;
		} else if ((v = opt_value(argc, argv, &i, "--cache-dir", &missing))) {
			m->cache_dir = v;
		} else if (missing) {
			return cli_usage_error_prog(prog, "%s needs a value", argv[i]);
		} else if (strncmp(argv[i], "--benchmark_", 12) == 0 ||
			   strncmp(argv[i], "--v=", 4) == 0) {
			gb_argv[(*gb_argc)++] = argv[i];
		} else {
			return cli_usage_error_prog(prog, "unknown option '%s'", argv[i]);
		}
	}
	if (!n_sizes) {
		static const uint64_t def[] = { 1000, 3000, 10000, 30000, 100000, 300000, 1000000 };

		n_sizes = 7;
		memcpy(sizes, def, sizeof(def));
	}
	for (int k = 0; k < n_sizes; k++)
		m->sizes[k].n = sizes[k];
	m->n_sizes = (size_t)n_sizes;
	if (!m->n_impls)
		for (size_t i = 0; i < rt_registry_count && i < MAX_IMPLS; i++)
			m->impls[m->n_impls++] = rt_registry[i];
	return 0;
}

/* Register the families: per implementation, the lookups (hit, miss, mixed), then the build. */
static int register_all(struct micro *m)
{
	for (size_t i = 0; i < m->n_impls; i++) {
		for (int k = 0; k <= N_MODES; k++) {
			struct family *f = &m->fams[m->n_fams++];
			struct gb_bench *b;

			f->ops = m->impls[i];
			f->mode = k < N_MODES ? k : -1;
			if (f->mode >= 0)
				snprintf(f->name, sizeof(f->name), "BM_Lookup/%s/%s", f->ops->name,
					 modes[k].name);
			else
				snprintf(f->name, sizeof(f->name), "BM_Build/%s", f->ops->name);
			b = gb_register(f->name, f->mode >= 0 ? bm_lookup : bm_build, f);
			for (size_t s = 0; s < m->n_sizes; s++)
				gb_bench_arg(b, (int64_t)m->sizes[s].n);
			gb_bench_display_aggregates_only(b);
			gb_bench_complexity(b, GB_O_AUTO);
			if (f->mode < 0)
				gb_bench_unit(b, GB_MS);
			if (!b)
				return -ENOMEM;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct micro *m = &M;
	char **gb_argv = calloc((size_t)argc + 8, sizeof(*gb_argv));
	char **gb_keep = calloc((size_t)argc + 8, sizeof(*gb_keep));
	char out_json[4200], ctx[64];
	int gb_argc = 0, rc = 0, ran;

	if (!gb_argv || !gb_keep) {
		fprintf(stderr, "%s: out of memory\n", prog);
		free(gb_argv);
		free(gb_keep);
		return 1;
	}
	m->queries = DEFAULT_QUERIES;
	m->budget = default_budget();
	m->max_build_s = DEFAULT_MAX_BUILD_S;
	m->cv_max = DEFAULT_CV_MAX;
	gb_argv[gb_argc++] = argv[0];
	gb_argv[gb_argc++] = "--benchmark_repetitions=5";
	gb_argv[gb_argc++] = "--benchmark_min_time=0.02";
	rc = parse_args(m, argc, argv, gb_argv, &gb_argc);
	if (rc != 0)
		goto out;
	if (m->out_dir) {
		rc = rb_mkdir_p(m->out_dir);
		if (rc != 0) {
			fprintf(stderr, "%s: cannot create %s: %s\n", prog, m->out_dir,
				strerror(-rc));
			rc = 1;
			goto out;
		}
		/* before the user's flags, so an explicit --benchmark_out wins */
		snprintf(out_json, sizeof(out_json), "--benchmark_out=%s/micro.json", m->out_dir);
		memmove(gb_argv + 5, gb_argv + 3, (size_t)(gb_argc - 3) * sizeof(*gb_argv));
		gb_argv[3] = out_json;
		gb_argv[4] = "--benchmark_out_format=json";
		gb_argc += 2;
	}
	if (register_all(m) != 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		rc = 1;
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "%" PRIu64, m->queries);
	gb_add_context("routebench_queries_per_set", ctx);
	gb_add_context("routebench_allocator", bench_alloc_name());
	gb_add_context("routebench_dataset", "makeschool shape, seed 1; numbers seed 2");
	gb_set_result_hook(on_result, m);
	/* GB's Initialize consumes the flags it parses from the array: the reruns get a copy */
	memcpy(gb_keep, gb_argv, (size_t)gb_argc * sizeof(*gb_argv));
	ran = gb_run(gb_argc, gb_argv);
	flush_cache(m);
	if (ran >= 0)
		ran = rerun_noisy(m, gb_keep, gb_argc) < 0 ? -EIO : ran;
	if (ran < 0) {
		rc = ran == -EINVAL ? cli_usage_error_prog(prog, "not a Google Benchmark flag "
								  "(see --help)")
				    : 1;
		goto out;
	}
	print_fits(m, stderr);
	if (m->skips)
		fprintf(stderr, "%s: %u run(s) skipped for the memory or time budget\n", prog,
			m->skips);
	if (m->out_dir && write_outputs(m) != 0)
		rc = 1;
	if (m->mismatches || m->failures) {
		fprintf(stderr, "%s: %u run(s) with wrong answers, %u failed\n", prog,
			m->mismatches, m->failures);
		rc = 1;
	}
out:
	gb_shutdown();
	for (size_t i = 0; i < m->n_sizes; i++) {
		ds_routes_free(&m->sizes[i].routes);
		for (int k = 0; k < N_MODES; k++)
			ds_numbers_free(&m->sizes[i].numbers[k]);
	}
	free(m->rows);
	free(gb_argv);
	free(gb_keep);
	return rc < 0 ? 0 : rc;
}
