/*
 * micro.c - `routebench-micro`: Google Benchmark over every registered implementation: lookups
 * (hits, misses, mixed) and builds at each size, repeated, with median, cv and a fitted big-O in
 * the number of routes per family. Tables are built once per size, untimed, and kept while their
 * implementation runs; a size predicted past the memory budget is skipped, saying so. This
 * file measures (datasets, tables, the benchmarks, the command line); micro_out.c writes the
 * results. Lesson: a benchmark states what it measured (sizes, answers, spread, fit), not
 * just how fast it went.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "allocator.h"
#include "cli.h"
#include "clock.h"
#include "gbench_shim.h"
#include "dataset.h"
#include "gen.h"
#include "build.h"
#include "load.h"
#include "outfile.h"
#include "micro.h"
#include "registry.h"

#define DEFAULT_QUERIES 65536
#define CHECK_QUERIES 1000     /* answers hashed once per table and compared across tables */
#define BATCH_NS 20000.0       /* a keep-running batch lasts about this long */
#define MAX_BATCH 4096
#define SEED 1
#define DEFAULT_MAX_BUILD_S 4.0 /* a build predicted slower than this is skipped, saying so */
#define DEFAULT_CV_MAX 0.05    /* a family with a noisier size is run again, longer */
#define RERUN_ROUNDS 1         /* at most this many more runs of a noisy family */
#define RERUN_BUDGET_S 30.0    /* predicted seconds of reruns per round, at most */

const char *const prog = "routebench-micro";

const struct mode modes[N_MODES] = { { "hit", 1.0 }, { "miss", 0.0 }, { "mixed", 0.5 } };

static volatile uint64_t sink; /* every answer is folded in: the lookups cannot be elided */

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

/* A run that cannot be measured: GB is told (gb_skip_with_error) and its CSV row says why. */
static void skip_run(struct micro *m, struct gb_state *st, const struct family *f, uint64_t n,
		     const char *why)
{
	char name[160];
	struct row *r;

	gb_skip_with_error(st, why);
	snprintf(name, sizeof(name), "%s/%" PRIu64, f->name, n);
	r = micro_row_named(m, name, (struct family *)f);
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
		 "at %" PRIu64 ") > %.2f s per build (--max-build-s)", f->ops->name, n, t,
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
	t0 = rb_now_s();
	for (size_t i = 0; i < k; i++)
		h ^= rt_lookup(c->t, q->v[i].digits, q->v[i].len);
	dt = (rb_now_s() - t0) / (double)(k ? k : 1);
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

/* The largest cv among f's sizes, and the predicted time of reps runs of at least min_s. */
static double family_cv(const struct micro *m, const struct family *f, int reps, double min_s,
			double *t)
{
	double cv = 0;

	*t = 0;
	for (size_t j = 0; j < m->n_rows; j++)
		if (m->rows[j].fam == f && isfinite(m->rows[j].cv)) {
			cv = m->rows[j].cv > cv ? m->rows[j].cv : cv;
			*t += reps * (m->rows[j].median_ns * 1e-9 > min_s ? m->rows[j].median_ns * 1e-9
									   : min_s);
		}
	return cv;
}

/*
 * Families with a size whose cv is above --cv-max go into filter ("^(A|B)/", GB's regex), the
 * noisiest first, each predicted to take reps runs of at least min_s, while the total stays
 * under RERUN_BUDGET_S; their rows and fit are reset. Returns how many; *left counts the
 * noisy ones left out.
 */
static size_t pick_noisy(struct micro *m, int reps, double min_s, char *filter, size_t cap,
			 size_t *left)
{
	size_t order[MAX_IMPLS * (N_MODES + 1)], no = 0, n = 0, len = 0;
	double cv[MAX_IMPLS * (N_MODES + 1)], t[MAX_IMPLS * (N_MODES + 1)], cost = 0;

	*left = 0;
	for (size_t i = 0; i < m->n_fams; i++) {
		size_t j;

		cv[i] = family_cv(m, &m->fams[i], reps, min_s, &t[i]);
		if (cv[i] <= m->cv_max)
			continue;
		for (j = no++; j > 0 && cv[order[j - 1]] < cv[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t k = 0; k < no; k++) {
		struct family *f = &m->fams[order[k]];

		if (cost + t[order[k]] > RERUN_BUDGET_S || len + strlen(f->name) + 8 > cap) {
			(*left)++;
			continue;
		}
		cost += t[order[k]];
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
 * DIR/micro-rerun-K.json. gb_argv is the arguments of the first run, before Google Benchmark
 * consumed them. 0, or gb_run's error.
 */
static int rerun_noisy(struct micro *m, char **gb_argv, int gb_argc)
{
	int reps = (int)last_flag(gb_argv, gb_argc, "--benchmark_repetitions", 1);
	double min_s = last_flag(gb_argv, gb_argc, "--benchmark_min_time", 0.5);
	static char filter[8192], a_reps[64], a_min[64], a_out[4200];
	const size_t pre = strlen("--benchmark_filter=");

	for (int round = 1; m->cv_max > 0 && round <= RERUN_ROUNDS; round++) {
		char *argv2[256];
		int argc2 = gb_argc, ran;
		size_t left, n;

		reps *= 2;
		min_s *= 4;
		n = pick_noisy(m, reps, min_s, filter + pre, sizeof(filter) - pre, &left);
		if (left)
			fprintf(stderr, "%s: %zu noisy famil%s left as measured (rerun budget %.0f s)\n",
				prog, left, left == 1 ? "y" : "ies", RERUN_BUDGET_S);
		if (!n || gb_argc + 4 > 256)
			return 0;
		memcpy(filter, "--benchmark_filter=", pre);
		fprintf(stderr, "%s: %zu famil%s with a cv above %.0f%%: again, %d repetitions of "
			"%g s at least\n", prog, n, n == 1 ? "y" : "ies", 100 * m->cv_max, reps, min_s);
		memcpy(argv2, gb_argv, (size_t)gb_argc * sizeof(*argv2));
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
	"  --impls LIST         implementations, comma-separated, or all (the default; see\n"
	"                       'routebench list')\n"
	"  --queries N          numbers per lookup set (default 65536)\n"
	"  --mem-budget SIZE    largest predicted table, e.g. 8G (default: 40% of RAM, at most\n"
	"                       2G: the naive trie's ~2 KB nodes are skipped at 1M routes)\n"
	"  --max-build-s S      skip a build predicted slower than S seconds (default 4; 0: none)\n"
	"  --cv-max X           run a family again, with twice the repetitions of four times\n"
	"                       the length, when one of its sizes has a cv above X (default\n"
	"                       0.05; the noisiest first, once, about 30 s of them; 0: never)\n"
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

enum {
	OPT_SIZES = 1, OPT_IMPLS, OPT_QUERIES, OPT_MEM_BUDGET, OPT_OUT, OPT_CACHE_DIR, OPT_GB,
	OPT_HELP, OPT_MAX_BUILD, OPT_CV_MAX,
};

static const struct cli_option micro_options[] = {
	{ "sizes", CLI_VALUE, OPT_SIZES },
	{ "impls", CLI_VALUE, OPT_IMPLS },
	{ "queries", CLI_VALUE, OPT_QUERIES },
	{ "mem-budget", CLI_VALUE, OPT_MEM_BUDGET },
	{ "max-build-s", CLI_VALUE, OPT_MAX_BUILD },
	{ "cv-max", CLI_VALUE, OPT_CV_MAX },
	{ "out", CLI_VALUE, OPT_OUT },
	{ "cache-dir", CLI_VALUE, OPT_CACHE_DIR },
	{ "benchmark_", CLI_PASS, OPT_GB }, /* Google Benchmark's own flags */
	{ "v=", CLI_PASS, OPT_GB },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* --sizes: increasing counts the generator can make. 0 or CLI_USAGE. */
static int parse_sizes(const struct cli_parser *p, uint64_t *sizes, size_t *n)
{
	int rc = cli_counts(p, 1, DS_MAX_COUNT, sizes, MAX_SIZES, n);

	for (size_t k = 1; rc == 0 && k < *n; k++)
		if (sizes[k] <= sizes[k - 1])
			rc = cli_bad(p, "want increasing counts, not '%s'", p->arg);
	return rc;
}

/* What the options fill: *m, the --sizes, and Google Benchmark's own flags. */
struct micro_parse {
	struct micro *m;
	uint64_t sizes[MAX_SIZES];
	size_t n_sizes;
	char **gb_argv;
	int *gb_argc;
};

/* The value of one option into *ctx, a micro_parse. 0, -1 after --help, or CLI_USAGE. */
static int micro_option(const struct cli_parser *p, int id, void *ctx)
{
	struct micro_parse *s = ctx;
	struct micro *m = s->m;
	size_t n;
	int rc;

	switch (id) {
	case OPT_SIZES: return parse_sizes(p, s->sizes, &s->n_sizes);
	case OPT_IMPLS:
		rc = cli_impls(p, m->impls + m->n_impls, MAX_IMPLS - m->n_impls, &n);
		m->n_impls += rc == 0 ? n : 0;
		return rc;
	case OPT_QUERIES: return cli_count(p, 1, DS_MAX_COUNT, &m->queries);
	case OPT_MEM_BUDGET: return cli_bytes(p, 1, UINT64_MAX, &m->budget);
	case OPT_MAX_BUILD: return cli_real(p, 0, 1e6, &m->max_build_s);
	case OPT_CV_MAX: return cli_real(p, 0, 100, &m->cv_max);
	case OPT_OUT: m->out_dir = p->arg; return 0;
	case OPT_CACHE_DIR: m->cache_dir = p->arg; return 0;
	case OPT_GB: s->gb_argv[(*s->gb_argc)++] = (char *)p->arg; return 0;
	case OPT_HELP:
		fputs(micro_help, stdout);
		printf("\nGoogle Benchmark's flags:\n");
		gb_print_flags();
		return CLI_HELP;
	default: return 0;
	}
}

/* Our options out of argv; GB's (and only GB's) appended to gb_argv. 0, -1 (help) or 2. */
static int parse_args(struct micro *m, int argc, char **argv, char **gb_argv, int *gb_argc)
{
	static const uint64_t def[] = { 1000, 3000, 10000, 30000, 100000, 300000, 1000000 };
	struct micro_parse s = { .m = m, .gb_argv = gb_argv, .gb_argc = gb_argc };
	uint64_t *sizes = s.sizes;
	struct cli_parser p;
	int rc;

	cli_init(&p, prog, argc, argv, micro_options);
	rc = cli_parse_all(&p, NULL, micro_option, &s);
	if (rc != 0)
		return rc;
	if (!s.n_sizes) {
		s.n_sizes = sizeof(def) / sizeof(def[0]);
		memcpy(sizes, def, sizeof(def));
	}
	for (size_t k = 0; k < s.n_sizes; k++)
		m->sizes[k].n = sizes[k];
	m->n_sizes = s.n_sizes;
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

/* What the JSON's context block says of the run: numbers per set, allocator, dataset. */
static void add_context(const struct micro *m)
{
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "%" PRIu64, m->queries);
	gb_add_context("routebench_queries_per_set", ctx);
	gb_add_context("routebench_allocator", bench_alloc_name());
	gb_add_context("routebench_dataset", "makeschool shape, seed 1; numbers seed 2");
}

int main(int argc, char **argv)
{
	struct micro *m = &M;
	char **gb_argv = calloc((size_t)argc + 8, sizeof(*gb_argv));
	char **gb_keep = calloc((size_t)argc + 8, sizeof(*gb_keep));
	char out_json[4200];
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
	add_context(m);
	gb_set_result_hook(micro_on_result, m);
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
	micro_print_fits(m, stderr);
	if (m->skips)
		fprintf(stderr, "%s: %u run(s) skipped for the memory or time budget\n", prog,
			m->skips);
	if (m->out_dir && micro_write_outputs(m) != 0)
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
