/*
 * bench.c - `routebench bench`: the ladder. For each carrier count and size (ascending), make
 * or reuse the datasets, then measure every implementation under the first allocator (and the
 * chosen ones under the others too), then the stream strategy, one cell at a time in its own
 * child, appending each row to cells.csv as it finishes. An implementation (or the stream
 * strategy) that failed (oom, timeout, crash) under an allocator is skipped there at larger
 * sizes, as rows with status skipped.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "allocator.h"
#include "checksum.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "measure.h"
#include "plugin_arg.h"
#include "proc.h"
#include "registry.h"
#include "bench_decks.h"
#include "bench_help.h"
#include "bench_opts.h"
#include "bench_progress.h"
#include "bench_solver.h"
#include "report.h"
#include "results.h"
#include "signals.h"

#define FAILED_MAX 96 /* "after oom at n=..." */
#define BENCH_EXIT_INTERRUPTED 130 /* as a shell reports a Ctrl-C */

/* A run's state: where rows go, what meta.json says, and what every cell ended as. */
struct run {
	struct bench_results res;
	struct bench_meta meta;
	struct bench_cell *rows;
	size_t n_rows, cap_rows, total;
	char at[128];  /* what the run is doing: "lazytrie 1M glibc", "the datasets of 1M routes" */
	char why[192]; /* why it could not go on, when it could not */
};

/*
 * Cells per size and carrier count: hot, every implementation once, the chosen ones again,
 * one stream cell and the solvers; cold, every implementation once.
 */
static size_t cells_per_size(const struct bench_opts *o)
{
	size_t n = o->index ? o->n_impls : 0;

	for (size_t i = 0; o->index && i < o->n_impls; i++)
		n += o->every_alloc[i] ? o->n_allocs - 1 : 0;
	n = o->hot ? n + (o->stream ? 1 : 0) + o->solvers->n : 0;
	return n + (o->cold && o->index ? o->n_impls : 0);
}

/* What the dataset child makes: one size, k carriers. */
struct gen_job {
	const struct bench_opts *o;
	uint64_t size, k;
	int cold; /* the cold query set's numbers: distinct, cold_queries of them */
};

/* In the child: the route files of carriers 0..k-1, then the numbers, one path a line. */
static int gen_datasets(void *arg)
{
	const struct gen_job *j = arg;
	const struct bench_opts *o = j->o;
	char first[4096], path[4096];
	int rc = 0;

	for (uint64_t c = 0; rc == 0 && c < j->k; c++) {
		struct ds_gen_routes r = { j->size, o->seed, o->shape, (unsigned)c };

		rc = ds_gen_cached_routes(&r, o->cache, c ? path : first, sizeof(path));
		if (rc == 0)
			printf("%s\n", c ? path : first);
	}
	if (rc == 0) {
		struct ds_gen_numbers q = { j->cold ? o->cold_queries : o->queries, o->seed,
					    o->hit_ratio, first };

		rc = j->cold ? ds_gen_cached_distinct_numbers(&q, o->cache, path, sizeof(path))
			     : ds_gen_cached_numbers(&q, o->cache, path, sizeof(path));
		if (rc == 0)
			printf("%s\n", path);
	}
	if (rc != 0)
		fprintf(stderr, "routebench bench: cannot generate the datasets of %" PRIu64
				" routes: %s\n", j->size, strerror(-rc));
	if (fflush(stdout) != 0 && rc == 0)
		rc = -EIO;
	return rc == 0 ? 0 : 1;
}

/*
 * Generate (or find in the cache) the route files of carriers 0..k-1 and the numbers for one
 * size, in a forked child: generating numbers loads the routes, and the driver must stay small
 * (its RSS at fork is the floor of every cell's peak). paths gets k+1 lines, numbers last.
 * 0, or -1 after the child printed why.
 */
static int make_datasets(const struct bench_opts *o, uint64_t size, uint64_t k, int cold,
			 char *paths, size_t cap)
{
	struct gen_job job = { o, size, k, cold };
	struct rb_child c = { .fn = gen_datasets, .fn_arg = &job, .out = RB_IO_PIPE };

	return rb_child_run(&c, paths, cap) == 0 ? 0 : -1;
}

/* Record a dataset file in meta.json (size and sha256), once per path. */
static void note_dataset(struct run *run, const struct bench_opts *o, const char *kind,
			 uint64_t count, unsigned carrier, const char *path)
{
	bench_meta_add_dataset(&run->meta, kind, count, o->seed, carrier, o->hit_ratio, path);
}

/* Keep the row for the summary, append it to cells.csv, count it, and print its line. */
static int record(struct run *run, const struct bench_cell *c)
{
	int rc;

	if (run->n_rows == run->cap_rows) {
		size_t cap = run->cap_rows ? run->cap_rows * 2 : 64;
		struct bench_cell *v = realloc(run->rows, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		run->rows = v;
		run->cap_rows = cap;
	}
	run->rows[run->n_rows++] = *c;
	run->meta.counts[c->status]++;
	bench_report_cell(run->n_rows, run->total, c);
	rc = bench_results_append(&run->res, c);
	if (rc != 0) {
		fprintf(stderr, "routebench bench: %s/cells.csv: %s\n", run->res.dir,
			strerror(-rc));
		snprintf(run->why, sizeof(run->why), "cells.csv: %s", strerror(-rc));
	}
	return rc;
}

/* Say in meta.json where the run is, so a run that dies unannounced still says how far it got. */
static void progress(struct run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(struct run *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->at, sizeof(run->at), fmt, ap);
	va_end(ap);
	snprintf(run->meta.incomplete_reason, sizeof(run->meta.incomplete_reason),
		 "running: at cell %zu of %zu (%s)", run->n_rows + 1, run->total, run->at);
	bench_meta_write(run->res.dir, &run->meta);
}

/* "IMPL SIZE ALLOCATOR[, K carriers]": a cell as a person names it. */
static void cell_progress(struct run *run, const struct bench_cell_args *a, uint64_t size)
{
	char n[24], k[32] = "";

	if (a->n_carriers > 1)
		snprintf(k, sizeof(k), ", %zu carriers", a->n_carriers);
	progress(run, "%s %s %s%s", a->impl, cli_format_count(size, 0, n),
		 bench_allocator_name(a->allocator), k);
}

/*
 * One cell: skipped, or measured in a child and checked against the dataset's answers as they
 * arrive. The first rows of a dataset fix the hash at each checkpoint (linear, the oracle,
 * comes first in the registry; the stream cell comes last); a later row that disagrees at a
 * shared one is a mismatch. 0, or -1 when the run cannot go on (interrupted: no row).
 */
static int run_cell(struct run *run, const struct bench_cell_args *a, uint64_t size,
		    char failed[FAILED_MAX], struct bench_answers *ref)
{
	struct bench_cell c;
	uint64_t at;
	int rc;

	if (rb_signals_caught())
		return -1;
	if (*failed) {
		bench_cell_init(&c, a->impl, bench_allocator_name(a->allocator));
		if (a->strategy == BENCH_STREAM)
			snprintf(c.strategy, sizeof(c.strategy), "stream");
		c.n_routes = size;
		c.n_carriers = a->n_carriers;
		c.status = BENCH_SKIPPED;
		bench_cell_detail(&c, "%s", failed);
		return record(run, &c);
	}
	cell_progress(run, a, size);
	rc = bench_cell_spawn(a, size, &c);
	if (rc != 0) {
		if (rc != -EINTR)
			snprintf(run->why, sizeof(run->why), "no child for the cell: %s",
				 strerror(-rc));
		return -1;
	}
	if (c.status == BENCH_OK && bench_answers_check(ref, c.checkpoints, &at) != 0) {
		c.status = BENCH_MISMATCH;
		bench_cell_detail(&c, "checksum differs from earlier rows at the first %" PRIu64
				      " numbers", at);
	}
	if (c.status == BENCH_OOM || c.status == BENCH_TIMEOUT || c.status == BENCH_CRASH)
		snprintf(failed, FAILED_MAX, "after %s at n=%" PRIu64, bench_status_name(c.status),
			 size);
	return record(run, &c);
}

/*
 * The datasets of one size and k carriers: generated (or found), recorded in meta.json, and
 * their paths (in paths[cap]) set in *a. 0, or -1 with run->why set.
 */
static int size_datasets(struct run *run, const struct bench_opts *o, uint64_t size, uint64_t k,
			 char *paths, size_t cap, struct bench_cell_args *a)
{
	char *line = paths, n[24];

	progress(run, "the datasets of %s routes", cli_format_count(size, 0, n));
	if (make_datasets(o, size, k, a->query_set == BENCH_QS_COLD, paths, cap) != 0) {
		snprintf(run->why, sizeof(run->why), "cannot generate the datasets of %s routes",
			 n);
		return -1;
	}
	for (uint64_t c = 0; c <= k; c++) {
		char *nl = strchr(line, '\n');

		if (!nl) {
			fprintf(stderr, "routebench bench: the dataset generator named no file\n");
			snprintf(run->why, sizeof(run->why), "the dataset generator named no file");
			return -1;
		}
		*nl = '\0';
		if (c < k)
			a->routes[c] = line;
		else
			a->numbers = line;
		note_dataset(run, o, c < k ? "routes" : "numbers", c < k ? size
						 : a->query_set == BENCH_QS_COLD ? o->cold_queries : o->queries,
			     (unsigned)c, line);
		line = nl + 1;
	}
	bench_meta_write(run->res.dir, &run->meta);
	return 0;
}

/*
 * Every cell of one size: each implementation under each allocator it runs under, then stream
 * and the solvers; of the cold query set, each implementation under the first allocator.
 */
static int run_size(struct run *run, const struct bench_opts *o, uint64_t size,
		    struct bench_cell_args *a, char failed[][MAX_ALLOCS][FAILED_MAX],
		    char stream_failed[FAILED_MAX])
{
	struct bench_answers ref = { 0 };
	int rc = 0, hot = a->query_set == BENCH_QS_HOT;

	a->strategy = BENCH_INDEX;
	for (size_t al = 0; o->index && rc == 0 && al < o->n_allocs; al++)
		for (size_t i = 0; rc == 0 && i < o->n_impls; i++) {
			if (al > 0 && (!o->every_alloc[i] || !hot))
				continue;
			a->impl = o->impls[i]->name;
			a->plugin = o->impls[i] == o->plugin_ops ? o->plugin : NULL;
			a->allocator = o->allocs[al];
			rc = run_cell(run, a, size, failed[i][al], &ref);
		}
	if (o->stream && rc == 0 && hot) {
		a->strategy = BENCH_STREAM;
		a->impl = BENCH_STREAM_IMPL;
		a->plugin = NULL;
		a->allocator = o->allocs[0];
		rc = run_cell(run, a, size, stream_failed, &ref);
	}
	a->allocator = o->allocs[0]; /* the label of solver rows; the solver brings its own */
	for (size_t i = 0; rc == 0 && hot && i < o->solvers->n; i++) {
		struct bench_cell c;

		progress(run, "solver %s, %" PRIu64 " routes", o->solvers->v[i].name, size);
		rc = rb_signals_caught() ? -EINTR : bench_solvers_cell(o->solvers, i, a, size,
								      run->res.dir, &ref, &c);
		if (rc != 0 && rc != -EINTR)
			snprintf(run->why, sizeof(run->why), "solver %s: %s",
				 o->solvers->v[i].name, strerror(-rc));
		rc = rc == 0 ? record(run, &c) : -1;
	}
	return rc;
}

/* All cells of one carrier count, sizes ascending. 0, or -1 when the run cannot go on. */
static int run_ladder(struct run *run, const struct bench_opts *o, uint64_t k)
{
	static char failed[2][MAX_IMPLS][MAX_ALLOCS][FAILED_MAX]; /* [query set] */
	char stream_failed[FAILED_MAX] = "";
	size_t cap = (k + 1) * 4096;
	char *paths = malloc(cap);
	int rc = 0;

	bench_solvers_reset(o->solvers);
	memset(failed, 0, sizeof(failed));
	if (!paths) {
		snprintf(run->why, sizeof(run->why), "out of memory");
		return -1;
	}
	for (size_t s = 0; rc == 0 && s < o->n_sizes && !rb_signals_caught(); s++) {
		for (int q = 0; rc == 0 && q < 2 && !rb_signals_caught(); q++) {
			struct bench_cell_args a = { .n_carriers = k, .reps = o->reps,
						     .budget_s = o->budget_s,
						     .mem_limit = o->mem_limit,
						     .query_set = q ? BENCH_QS_COLD : BENCH_QS_HOT };
			uint64_t n = o->sizes[s];

			if (!(q ? o->cold && o->index : o->hot))
				continue;
			a.queries = q ? 0 : o->queries;
			if (o->decks->n) /* samples of the user's files (hot only) */
				rc = bench_decks_datasets(o->decks, run->res.dir, n, o->seed,
							  &run->meta, &a, &n, run->why,
							  sizeof(run->why));
			else
				rc = size_datasets(run, o, n, k, paths, cap, &a);
			if (rc == 0)
				rc = run_size(run, o, n, &a, failed[q], stream_failed);
		}
	}
	free(paths);
	return rc;
}

/* The arguments as meta.json records them. */
static void describe(struct bench_meta *m, const struct bench_opts *o, int argc, char **argv)
{
	size_t n = 0;

	n += (size_t)snprintf(m->command, sizeof(m->command), "routebench");
	for (int i = 0; i < argc && n < sizeof(m->command); i++)
		n += (size_t)snprintf(m->command + n, sizeof(m->command) - n, " %s", argv[i]);
	n = 0;
	for (size_t i = 0; i < o->n_impls && n < sizeof(m->impls); i++)
		n += (size_t)snprintf(m->impls + n, sizeof(m->impls) - n, "%s%s", i ? "," : "",
				      o->impls[i]->name);
	snprintf(m->strategies, sizeof(m->strategies), "%s%s%s", o->index ? "index" : "",
		 o->index && o->stream ? "," : "", o->stream ? "stream" : "");
	snprintf(m->query_sets, sizeof(m->query_sets), "%s%s%s", o->hot ? BENCH_QUERY_HOT : "",
		 o->hot && o->cold ? "," : "", o->cold ? BENCH_QUERY_COLD : "");
	m->cold_queries = o->cold_queries;
	n = 0;
	for (size_t i = 0; i < o->n_sizes && n < sizeof(m->sizes); i++)
		n += o->sizes[i] == BENCH_DECK_ALL /* --sizes all, with --routes */
			     ? (size_t)snprintf(m->sizes + n, sizeof(m->sizes) - n, "%sall",
						i ? "," : "")
			     : (size_t)snprintf(m->sizes + n, sizeof(m->sizes) - n, "%s%" PRIu64,
						i ? "," : "", o->sizes[i]);
	n = 0;
	for (size_t i = 0; i < o->n_ks && n < sizeof(m->carriers); i++)
		n += (size_t)snprintf(m->carriers + n, sizeof(m->carriers) - n, "%s%" PRIu64,
				      i ? "," : "", o->ks[i]);
	snprintf(m->allocators, sizeof(m->allocators), "%s%s%s",
		 bench_allocator_name(o->allocs[0]), o->n_allocs > 1 ? "," : "",
		 o->n_allocs > 1 ? bench_allocator_name(o->allocs[1]) : "");
	n = 0;
	for (size_t i = 0; i < o->n_impls && n < sizeof(m->allocator_impls); i++) {
		size_t room = sizeof(m->allocator_impls) - n;

		if (o->every_alloc[i])
			n += (size_t)snprintf(m->allocator_impls + n, room, "%s%s", n ? "," : "",
					      o->impls[i]->name);
	}
	snprintf(m->shape, sizeof(m->shape), "%s",
		 o->shape == DS_SHAPE_UNIFORM ? "uniform" : "makeschool");
	m->queries = o->queries;
	m->reps = o->reps;
	m->seed = o->seed;
	m->mem_limit = o->mem_limit;
	m->budget_s = o->budget_s;
	m->hit_ratio = o->hit_ratio;
	snprintf(m->cache_dir, sizeof(m->cache_dir), "%s", o->cache ? o->cache : ds_cache_dir());
}

/* SIGINT, SIGTERM, SIGHUP by name. */
static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP"
									: "a signal";
}

/*
 * The end of a run, however it ended (rc: what the ladder returned): cells.csv closed,
 * meta.json saying whether the run is complete (every cell has its row) and, if not, why and
 * how far it got; `latest` moved only to a complete run. The exit status: 130 after an
 * interrupt, else 0 complete or 1 failed.
 */
static int finish_run(struct run *run, int rc)
{
	struct bench_meta *m = &run->meta;
	int sig = rb_signals_caught();

	if (bench_results_close(&run->res) != 0 && rc == 0) {
		rc = -1;
		snprintf(run->why, sizeof(run->why), "cannot close cells.csv");
	}
	m->complete = rc == 0 && run->n_rows == run->total;
	if (!m->complete && sig)
		snprintf(m->incomplete_reason, sizeof(m->incomplete_reason),
			 "interrupted at cell %zu of %zu (%s) by %s", run->n_rows + 1, run->total,
			 run->at, signal_name(sig));
	else if (!m->complete)
		snprintf(m->incomplete_reason, sizeof(m->incomplete_reason),
			 "failed at cell %zu of %zu (%s): %s", run->n_rows + 1, run->total, run->at,
			 run->why[0] ? run->why : "see the messages above");
	bench_utc_now(m->finished);
	bench_self_rss(&m->driver_rss, &m->driver_hwm);
	if (bench_meta_write(run->res.dir, m) != 0) {
		fprintf(stderr, "routebench bench: cannot write %s/meta.json\n", run->res.dir);
		m->complete = 0;
		snprintf(m->incomplete_reason, sizeof(m->incomplete_reason),
			 "its meta.json could not be written");
	}
	if (m->complete)
		bench_results_link_latest(&run->res);
	else
		fprintf(stderr, "routebench bench: incomplete run, %s; 'latest' not moved\n",
			m->incomplete_reason);
	return sig ? BENCH_EXIT_INTERRUPTED : m->complete ? 0 : 1;
}

/* The summary tables, where the results are, and the charts of a complete run. */
static void report_run(const struct run *run, const struct bench_opts *o)
{
	bench_report_summary(run->rows, run->n_rows);
	bench_report_memory(run->rows, run->n_rows);
	fprintf(stderr, "\nresults: %s/cells.csv, %s/meta.json\n", run->res.dir, run->res.dir);
	if (run->n_rows)
		report_write_derived(run->res.dir); /* crossover.csv, pareto.csv: what charts draw */
	if (o->plots && run->n_rows && run->meta.complete && !rb_signals_caught()) {
		int drawn = bench_draw_charts(run->res.dir);

		if (drawn == 0)
			fprintf(stderr, "charts:  %s/*.png and *.svg\n", run->res.dir);
		else if (drawn == -ENOENT)
			fprintf(stderr, "charts:  skipped (gnuplot or plots/all.gp not found)\n");
		else
			fprintf(stderr, "charts:  gnuplot failed; run 'make plots' to retry\n");
	}
}

int cmd_bench(int argc, char **argv)
{
	if (bench_wants_scenario(argc, argv)) /* scenarios 4 and 5: harness/cmd/bench_api.c */
		return bench_decks_scenario_check(argc, argv) ? CLI_USAGE
							       : cmd_bench_scenario(argc, argv);

	static struct run run; /* large: meta holds paths */
	static struct bench_solvers solvers;
	static struct bench_decks decks; /* large: a path per carrier */
	struct bench_opts o = { .solvers = &solvers, .decks = &decks };
	char preload[BENCH_PRELOAD_MAX];
	int rc = bench_parse_args(argc, argv, &o);

	if (rc != 0) {
		bench_solvers_done(&solvers);
		return rc < 0 ? 0 : rc;
	}
	for (size_t i = 0; i < o.n_allocs; i++) {
		rc = bench_allocator_preload(o.allocs[i], preload, sizeof(preload));
		if (rc != 0) {
			bench_allocator_preload_error("routebench bench: --allocators", o.allocs[i],
						      rc);
			return 1;
		}
	}
	rb_signals_trap(); /* a Ctrl-C stops the cell's child, then the run, which says so */
	memset(&run, 0, sizeof(run));
	bench_utc_now(run.meta.started);
	bench_sysinfo_collect(&run.meta.sys);
	if (o.machine_limits)
		run.meta.have_limits = membench_run(&(struct membench_opts){ .quick = 1 },
						    &run.meta.limits) == 0;
	describe(&run.meta, &o, argc, argv);
	if (decks.n)
		bench_decks_note(&decks, &run.meta);
	if (bench_results_open(&run.res, o.out) != 0)
		return 1;
	run.total = o.n_ks * o.n_sizes * cells_per_size(&o);
	fprintf(stderr, "routebench bench: %zu cells -> %s/cells.csv\n", run.total, run.res.dir);
	snprintf(run.at, sizeof(run.at), "not started");
	snprintf(run.meta.incomplete_reason, sizeof(run.meta.incomplete_reason), "running: no "
		 "cell measured yet");
	bench_meta_write(run.res.dir, &run.meta);
	for (size_t i = 0; rc == 0 && i < o.n_ks && !rb_signals_caught(); i++)
		rc = run_ladder(&run, &o, o.ks[i]);
	rc = finish_run(&run, rc);
	report_run(&run, &o);
	free(run.rows);
	free(run.meta.datasets);
	bench_solvers_done(&solvers);
	return rc;
}
