/*
 * bench.c - `routebench bench`: the ladder. For each carrier count and size (ascending), make
 * or reuse the datasets, then measure every implementation under the first allocator (and the
 * chosen ones under the others too), then the stream strategy, one cell at a time in its own
 * child, appending each row to cells.csv as it finishes. An implementation (or the stream
 * strategy) that failed (oom, timeout, crash) under an allocator is skipped there at larger
 * sizes, as rows with status skipped.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocator.h"
#include "checksum.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "measure.h"
#include "registry.h"
#include "bench_progress.h"
#include "results.h"

#define MAX_SIZES 32
#define MAX_KS 8
#define MAX_IMPLS 64
#define MAX_ALLOCS 2
#define FAILED_MAX 96 /* "after oom at n=..." */
#define DEFAULT_SIZES "10,100,1000,10000,100000,1000000"
#define DEFAULT_QUERIES 10000
#define DEFAULT_SEED 1
#define DEFAULT_HIT_RATIO 0.5 /* as `routebench gen numbers` */

static const char bench_help[] =
	"usage: routebench bench [--impls a,b,...] [--strategies index,stream]\n"
	"                        [--sizes 10,100,...] [--carriers K[,K...]]\n"
	"                        [--queries N] [--reps R] [--budget-s S] [--mem-limit SIZE]\n"
	"                        [--allocators glibc,jemalloc] [--allocator-impls a,b,...]\n"
	"                        [--shape makeschool|uniform] [--seed S] [--hit-ratio R]\n"
	"                        [--out DIR] [--cache DIR] [--no-plots]\n"
	"\n"
	"Run the benchmark ladder: for every carrier count K and size n (routes per carrier),\n"
	"generate the datasets once (cached), then measure each implementation under each\n"
	"allocator (see --allocator-impls) in its own child process (see 'routebench measure\n"
	"--help'), one cell at a time, then the stream strategy once under the first allocator\n"
	"(impl 'stream': no table, the numbers indexed and every route file read once past\n"
	"them, timed end to end on the first q = 1, 10, 100, ... numbers; its answers are\n"
	"checked against the indexed rows'). An implementation that fails at one size under an\n"
	"allocator is skipped at the larger ones under it (rows with status skipped). Writes\n"
	"DIR/cells.csv (one row per cell, appended as it finishes), DIR/meta.json (machine,\n"
	"build, arguments, dataset sha256) and charts (gnuplot, if installed), among them\n"
	"alloc_overhead.png: per route, the structure's bytes, then what the allocator adds\n"
	"(heap_bytes, heap_active_bytes, heap_resident_bytes), crossover.png: end-to-end time\n"
	"against the numbers priced, index against stream, and pareto.png: bytes per route\n"
	"against ns per lookup at the largest size, and points DIR/../latest at DIR.\n"
	"\n"
	"  --impls LIST        implementations (default: all registered, see 'routebench list')\n"
	"  --strategies LIST   index (a table per implementation and carrier) and/or stream\n"
	"                      (one cell per size and carrier count; default index,stream)\n"
	"  --sizes LIST        routes per carrier (default " DEFAULT_SIZES ")\n"
	"  --carriers LIST     carrier counts, each run over all sizes (default 1)\n"
	"  --queries N         numbers to price per cell (default 10000; drawn against carrier 0)\n"
	"  --reps R            timed repetitions per cell, median reported (default 5)\n"
	"  --budget-s S        seconds per cell before it is killed (default 60; 0 = none)\n"
	"  --mem-limit SIZE    RLIMIT_AS per cell (default min(16G, 70% of RAM); 0 = none)\n"
	"  --allocators LIST   glibc and/or jemalloc, in this order (default glibc)\n"
	"  --allocator-impls LIST\n"
	"                      only these implementations also run under the allocators after\n"
	"                      the first; the others run under the first alone (default: every\n"
	"                      implementation under every allocator). Names that --impls leaves\n"
	"                      out are ignored\n"
	"  --shape NAME        makeschool (default) or uniform datasets\n"
	"  --seed S            dataset seed (default 1)\n"
	"  --hit-ratio R       share of numbers that match a route (default 0.5)\n"
	"  --out DIR           run folder (default results/<UTC timestamp>); must not hold a run\n"
	"  --cache DIR         dataset cache (default $RB_CACHE_DIR, else " DS_DEFAULT_CACHE_DIR
	")\n"
	"  --no-plots          do not call gnuplot at the end\n"
	"  -h, --help          this help\n"
	"\n"
	"Exit status: 0 the ladder ran (failed cells are rows, not errors), 1 the run could not\n"
	"go on (no dataset, no results folder), 2 usage error.\n";

struct bench_opts {
	const struct route_table_ops *impls[MAX_IMPLS];
	size_t n_impls;
	int index, stream; /* --strategies */
	uint64_t sizes[MAX_SIZES], ks[MAX_KS];
	size_t n_sizes, n_ks;
	const char *allocs[MAX_ALLOCS];
	size_t n_allocs;
	const char *alloc_impls;    /* --allocator-impls as given; NULL = every one */
	int every_alloc[MAX_IMPLS]; /* impls[i] runs under every allocator, not just the first */
	uint64_t queries, reps, seed, mem_limit;
	double budget_s, hit_ratio;
	enum ds_shape shape;
	const char *out, *cache;
	int plots;
};

/* A run's state: where rows go, what meta.json says, and what every cell ended as. */
struct run {
	struct bench_results res;
	struct bench_meta meta;
	struct bench_cell *rows;
	size_t n_rows, cap_rows, total;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sort ascending and drop repeats; returns the new count. */
static size_t sort_unique(uint64_t *v, size_t n)
{
	size_t u = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

static int parse_impls(const char *list, struct bench_opts *o)
{
	char buf[1024];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("bench", "--impls: list too long");
	strcpy(buf, list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		const struct route_table_ops *ops = rt_find(tok);

		if (!ops && strcmp(tok, BENCH_STREAM_IMPL) == 0)
			return cli_usage_error("bench", "'%s' is a strategy, not an implementation "
							"(--strategies)", tok);
		if (!ops)
			return cli_usage_error("bench", "no implementation named '%s' (see "
							"'routebench list')", tok);
		if (o->n_impls == MAX_IMPLS)
			return cli_usage_error("bench", "--impls: at most %d", MAX_IMPLS);
		o->impls[o->n_impls++] = ops;
	}
	return o->n_impls ? 0 : cli_usage_error("bench", "--impls: empty list");
}

/* --strategies: index and/or stream, each at most once. */
static int parse_strategies(const char *list, struct bench_opts *o)
{
	char buf[64];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("bench", "--strategies: index and/or stream");
	strcpy(buf, list);
	o->index = o->stream = 0;
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (strcmp(tok, "index") == 0)
			o->index = 1;
		else if (strcmp(tok, "stream") == 0)
			o->stream = 1;
		else
			return cli_usage_error("bench", "--strategies: index or stream, not '%s'",
					       tok);
	}
	return o->index || o->stream ? 0 : cli_usage_error("bench", "--strategies: empty list");
}

/* Keep the allocators in the order given: the first one measures every implementation. */
static int parse_allocators(const char *list, struct bench_opts *o)
{
	static const char *const known[MAX_ALLOCS] = { "glibc", "jemalloc" };
	char buf[64];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("bench", "--allocators: glibc and/or jemalloc");
	strcpy(buf, list);
	o->n_allocs = 0;
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		size_t k = 0, i = 0;

		while (k < MAX_ALLOCS && strcmp(tok, known[k]) != 0)
			k++;
		if (k == MAX_ALLOCS)
			return cli_usage_error("bench", "--allocators: glibc or jemalloc, not '%s'",
					       tok);
		while (i < o->n_allocs && o->allocs[i] != known[k])
			i++;
		if (i == o->n_allocs)
			o->allocs[o->n_allocs++] = known[k];
	}
	return o->n_allocs ? 0 : cli_usage_error("bench", "--allocators: empty list");
}

/*
 * Check every name of --allocator-impls against the registry, then mark the chosen ones among
 * o->impls. 0, or a usage error.
 */
static int resolve_alloc_impls(struct bench_opts *o)
{
	char buf[1024];
	size_t n = 0;

	for (size_t i = 0; i < o->n_impls; i++)
		o->every_alloc[i] = !o->alloc_impls;
	if (!o->alloc_impls)
		return 0;
	if (strlen(o->alloc_impls) >= sizeof(buf))
		return cli_usage_error("bench", "--allocator-impls: list too long");
	strcpy(buf, o->alloc_impls);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","), n++) {
		const struct route_table_ops *ops = rt_find(tok);

		if (!ops)
			return cli_usage_error("bench", "--allocator-impls: no implementation named "
							"'%s' (see 'routebench list')", tok);
		for (size_t i = 0; i < o->n_impls; i++)
			o->every_alloc[i] |= o->impls[i] == ops;
	}
	return n ? 0 : cli_usage_error("bench", "--allocator-impls: empty list");
}

/* Parse a list of counts with cli_parse_u64_list; sort, de-duplicate, refuse 0. */
static int parse_counts(const char *opt, const char *s, uint64_t *v, size_t cap, size_t *n)
{
	int got = cli_parse_u64_list(s, v, cap);

	if (got <= 0)
		return cli_usage_error("bench", "%s: bad list '%s' (at most %zu counts)", opt, s,
				       cap);
	*n = sort_unique(v, (size_t)got);
	if (v[0] == 0)
		return cli_usage_error("bench", "%s: counts must be positive", opt);
	return 0;
}

static int parse_bench_args(int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		{ "impls", required_argument, NULL, 'i' },
		{ "strategies", required_argument, NULL, 'T' },
		{ "sizes", required_argument, NULL, 's' },
		{ "carriers", required_argument, NULL, 'k' },
		{ "queries", required_argument, NULL, 'q' },
		{ "reps", required_argument, NULL, 'R' },
		{ "budget-s", required_argument, NULL, 'b' },
		{ "mem-limit", required_argument, NULL, 'm' },
		{ "allocators", required_argument, NULL, 'a' },
		{ "allocator-impls", required_argument, NULL, 'A' },
		{ "shape", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'e' },
		{ "hit-ratio", required_argument, NULL, 'H' },
		{ "out", required_argument, NULL, 'o' },
		{ "cache", required_argument, NULL, 'c' },
		{ "no-plots", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	o->queries = DEFAULT_QUERIES;
	o->reps = BENCH_DEFAULT_REPS;
	o->budget_s = BENCH_DEFAULT_BUDGET_S;
	o->seed = DEFAULT_SEED;
	o->hit_ratio = DEFAULT_HIT_RATIO;
	o->mem_limit = bench_default_mem_limit();
	o->plots = 1;
	o->index = o->stream = 1;
	o->ks[0] = 1;
	o->n_ks = 1;
	o->allocs[0] = "glibc";
	o->n_allocs = 1;
	optind = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': rc = parse_impls(optarg, o); break;
		case 'T': rc = parse_strategies(optarg, o); break;
		case 's':
			rc = parse_counts("--sizes", optarg, o->sizes, MAX_SIZES, &o->n_sizes);
			break;
		case 'k': rc = parse_counts("--carriers", optarg, o->ks, MAX_KS, &o->n_ks); break;
		case 'q':
			if (cli_parse_u64(optarg, 0, &o->queries) != 0 || o->queries == 0)
				rc = cli_usage_error("bench", "--queries: bad count '%s'", optarg);
			break;
		case 'R':
			if (cli_parse_u64(optarg, 0, &o->reps) != 0 || !o->reps ||
			    o->reps > BENCH_MAX_REPS)
				rc = cli_usage_error("bench", "--reps: want 1 to %d, got '%s'",
						     BENCH_MAX_REPS, optarg);
			break;
		case 'b':
			if (cli_parse_double(optarg, &o->budget_s) != 0)
				rc = cli_usage_error("bench", "--budget-s: bad seconds '%s'",
						     optarg);
			break;
		case 'm':
			if (cli_parse_u64(optarg, 1, &o->mem_limit) != 0)
				rc = cli_usage_error("bench", "--mem-limit: bad size '%s'", optarg);
			break;
		case 'a': rc = parse_allocators(optarg, o); break;
		case 'A': o->alloc_impls = optarg; break;
		case 'S':
			if (strcmp(optarg, "makeschool") == 0)
				o->shape = DS_SHAPE_MAKESCHOOL;
			else if (strcmp(optarg, "uniform") == 0)
				o->shape = DS_SHAPE_UNIFORM;
			else
				rc = cli_usage_error("bench", "--shape: makeschool or uniform, not "
							      "'%s'", optarg);
			break;
		case 'e':
			if (cli_parse_u64(optarg, 0, &o->seed) != 0)
				rc = cli_usage_error("bench", "--seed: bad integer '%s'", optarg);
			break;
		case 'H':
			if (cli_parse_double(optarg, &o->hit_ratio) != 0 || o->hit_ratio > 1)
				rc = cli_usage_error("bench", "--hit-ratio: 0 to 1, not '%s'",
						     optarg);
			break;
		case 'o': o->out = optarg; break;
		case 'c': o->cache = optarg; break;
		case 'P': o->plots = 0; break;
		case 'h': fputs(bench_help, stdout); return -1;
		case ':': return cli_usage_error("bench", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("bench", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc != 0)
		return rc;
	if (optind < argc)
		return cli_usage_error("bench", "unexpected argument '%s'", argv[optind]);
	if (o->ks[o->n_ks - 1] > BENCH_MAX_CARRIERS)
		return cli_usage_error("bench", "--carriers: at most %d", BENCH_MAX_CARRIERS);
	if (!o->n_sizes)
		parse_counts("--sizes", DEFAULT_SIZES, o->sizes, MAX_SIZES, &o->n_sizes);
	for (size_t i = 0; !o->n_impls && i < rt_registry_count && i < MAX_IMPLS; i++)
		o->impls[i] = rt_registry[i];
	if (!o->n_impls)
		o->n_impls = rt_registry_count < MAX_IMPLS ? rt_registry_count : MAX_IMPLS;
	return resolve_alloc_impls(o);
}

/*
 * Cells per size and carrier count: every implementation once, the chosen ones again, and
 * one stream cell.
 */
static size_t cells_per_size(const struct bench_opts *o)
{
	size_t n = o->index ? o->n_impls : 0;

	for (size_t i = 0; o->index && i < o->n_impls; i++)
		n += o->every_alloc[i] ? o->n_allocs - 1 : 0;
	return n + (o->stream ? 1 : 0);
}

/* Read all of fd into buf[cap] (NUL-terminated, excess dropped). */
static void read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	char sink[1024];
	ssize_t n;

	while ((n = read(fd, len + 1 < cap ? buf + len : sink,
			 len + 1 < cap ? cap - 1 - len : sizeof(sink))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (len + 1 < cap)
			len += (size_t)n;
	}
	buf[len] = '\0';
}

/*
 * Generate (or find in the cache) the route files of carriers 0..k-1 and the numbers for one
 * size, in a forked child: generating numbers loads the routes, and the driver must stay small
 * (its RSS at fork is the floor of every cell's peak). paths gets k+1 lines, numbers last.
 * 0, or -1 after the child printed why.
 */
static int make_datasets(const struct bench_opts *o, uint64_t size, uint64_t k, char *paths,
			 size_t cap)
{
	int fds[2], status = 0;
	pid_t pid, got;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char first[4096], path[4096];
		FILE *f = fdopen(fds[1], "w");
		int rc = f ? 0 : -ENOMEM;

		close(fds[0]);
		for (uint64_t c = 0; rc == 0 && c < k; c++) {
			struct ds_gen_routes r = { size, o->seed, o->shape, (unsigned)c };

			rc = ds_gen_cached_routes(&r, o->cache, c ? path : first, sizeof(path));
			if (rc == 0)
				fprintf(f, "%s\n", c ? path : first);
		}
		if (rc == 0) {
			struct ds_gen_numbers q = { o->queries, o->seed, o->hit_ratio, first };

			rc = ds_gen_cached_numbers(&q, o->cache, path, sizeof(path));
			if (rc == 0)
				fprintf(f, "%s\n", path);
		}
		if (rc != 0)
			fprintf(stderr, "routebench bench: cannot generate the datasets of %" PRIu64
					" routes: %s\n", size, strerror(-rc));
		if (f && fclose(f) != 0 && rc == 0)
			rc = -EIO;
		fflush(stderr);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	read_all(fds[0], paths, cap);
	close(fds[0]);
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Record a dataset file in meta.json (size and sha256), once per path. */
static void note_dataset(struct run *run, const struct bench_opts *o, const char *kind,
			 uint64_t count, unsigned carrier, const char *path)
{
	struct bench_meta *m = &run->meta;
	struct bench_dataset *d, *v;
	struct stat st;

	for (size_t i = 0; i < m->n_datasets; i++)
		if (strcmp(m->datasets[i].path, path) == 0)
			return;
	v = realloc(m->datasets, (m->n_datasets + 1) * sizeof(*v));
	if (!v)
		return;
	m->datasets = v;
	d = &v[m->n_datasets++];
	memset(d, 0, sizeof(*d));
	snprintf(d->kind, sizeof(d->kind), "%s", kind);
	d->count = count;
	d->seed = o->seed;
	d->carrier = carrier;
	snprintf(d->shape, sizeof(d->shape), "%s", m->shape);
	d->hit_ratio = o->hit_ratio;
	snprintf(d->path, sizeof(d->path), "%s", path);
	if (stat(path, &st) == 0)
		d->bytes = (uint64_t)st.st_size;
	if (bench_sha256(path, d->sha256) != 0)
		d->sha256[0] = '\0';
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
	if (rc != 0)
		fprintf(stderr, "routebench bench: %s/cells.csv: %s\n", run->res.dir,
			strerror(-rc));
	return rc;
}

/*
 * One cell: skipped, or measured in a child and checked against the dataset's answers as they
 * arrive. The first rows of a dataset fix the hash at each checkpoint (linear, the oracle,
 * comes first in the registry; the stream cell comes last); a later row that disagrees at a
 * shared one is a mismatch.
 */
static int run_cell(struct run *run, const struct bench_cell_args *a, uint64_t size,
		    char failed[FAILED_MAX], struct bench_answers *ref)
{
	struct bench_cell c;
	uint64_t at;

	if (*failed) {
		bench_cell_init(&c, a->impl, a->allocator);
		if (a->strategy == BENCH_STREAM)
			snprintf(c.strategy, sizeof(c.strategy), "stream");
		c.n_routes = size;
		c.n_carriers = a->n_carriers;
		c.status = BENCH_SKIPPED;
		bench_cell_detail(&c, "%s", failed);
		return record(run, &c);
	}
	if (bench_cell_spawn(a, size, &c) != 0)
		return -1;
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

/* All cells of one carrier count, sizes ascending. 0, or -1 when the run cannot go on. */
static int run_ladder(struct run *run, const struct bench_opts *o, uint64_t k)
{
	char failed[MAX_IMPLS][MAX_ALLOCS][FAILED_MAX] = { { { 0 } } };
	char stream_failed[FAILED_MAX] = "";
	size_t cap = (k + 1) * 4096;
	char *paths = malloc(cap);
	int rc = 0;

	if (!paths)
		return -1;
	for (size_t s = 0; rc == 0 && s < o->n_sizes; s++) {
		struct bench_cell_args a = { 0 };
		struct bench_answers ref = { 0 };
		char *line = paths;

		if (make_datasets(o, o->sizes[s], k, paths, cap) != 0) {
			rc = -1;
			break;
		}
		for (uint64_t c = 0; c <= k; c++) {
			char *nl = strchr(line, '\n');

			if (!nl) {
				fprintf(stderr, "routebench bench: the dataset generator named no "
						"file\n");
				rc = -1;
				break;
			}
			*nl = '\0';
			if (c < k)
				a.routes[c] = line;
			else
				a.numbers = line;
			note_dataset(run, o, c < k ? "routes" : "numbers",
				     c < k ? o->sizes[s] : o->queries, (unsigned)c, line);
			line = nl + 1;
		}
		bench_meta_write(run->res.dir, &run->meta);
		a.n_carriers = k;
		a.queries = o->queries;
		a.reps = o->reps;
		a.budget_s = o->budget_s;
		a.mem_limit = o->mem_limit;
		a.strategy = BENCH_INDEX;
		for (size_t al = 0; o->index && rc == 0 && al < o->n_allocs; al++)
			for (size_t i = 0; rc == 0 && i < o->n_impls; i++) {
				if (al > 0 && !o->every_alloc[i])
					continue;
				a.impl = o->impls[i]->name;
				a.allocator = o->allocs[al];
				rc = run_cell(run, &a, o->sizes[s], failed[i][al], &ref);
			}
		if (o->stream && rc == 0) {
			a.strategy = BENCH_STREAM;
			a.impl = BENCH_STREAM_IMPL;
			a.allocator = o->allocs[0];
			rc = run_cell(run, &a, o->sizes[s], stream_failed, &ref);
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
	n = 0;
	for (size_t i = 0; i < o->n_sizes && n < sizeof(m->sizes); i++)
		n += (size_t)snprintf(m->sizes + n, sizeof(m->sizes) - n, "%s%" PRIu64,
				      i ? "," : "", o->sizes[i]);
	n = 0;
	for (size_t i = 0; i < o->n_ks && n < sizeof(m->carriers); i++)
		n += (size_t)snprintf(m->carriers + n, sizeof(m->carriers) - n, "%s%" PRIu64,
				      i ? "," : "", o->ks[i]);
	snprintf(m->allocators, sizeof(m->allocators), "%s%s%s", o->allocs[0],
		 o->n_allocs > 1 ? "," : "", o->n_allocs > 1 ? o->allocs[1] : "");
	n = 0;
	for (size_t i = 0; i < o->n_impls && n < sizeof(m->allocator_impls); i++)
		if (o->every_alloc[i])
			n += (size_t)snprintf(m->allocator_impls + n, sizeof(m->allocator_impls) - n,
					      "%s%s", n ? "," : "", o->impls[i]->name);
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

int cmd_bench(int argc, char **argv)
{
	if (bench_wants_scenario(argc, argv)) /* scenarios 4 and 5: harness/cmd/bench_api.c */
		return cmd_bench_scenario(argc, argv);

	static struct run run; /* large: meta holds paths */
	struct bench_opts o = { 0 };
	char je[4096];
	int rc = parse_bench_args(argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (o.n_allocs == 2 || strcmp(o.allocs[0], "jemalloc") == 0) {
		if (bench_jemalloc_path(je, sizeof(je)) != 0) {
			fprintf(stderr, "routebench bench: --allocators jemalloc: libjemalloc.so.2 "
					"not found (install libjemalloc2, or set RB_JEMALLOC)\n");
			return 1;
		}
	}
	memset(&run, 0, sizeof(run));
	bench_utc_now(run.meta.started);
	bench_sysinfo_collect(&run.meta.sys);
	describe(&run.meta, &o, argc, argv);
	if (bench_results_open(&run.res, o.out) != 0)
		return 1;
	run.total = o.n_ks * o.n_sizes * cells_per_size(&o);
	fprintf(stderr, "routebench bench: %zu cells -> %s/cells.csv\n", run.total, run.res.dir);
	bench_meta_write(run.res.dir, &run.meta);
	for (size_t i = 0; rc == 0 && i < o.n_ks; i++)
		rc = run_ladder(&run, &o, o.ks[i]);
	if (bench_results_close(&run.res) != 0 && rc == 0)
		rc = -1;
	bench_utc_now(run.meta.finished);
	bench_self_rss(&run.meta.driver_rss, &run.meta.driver_hwm);
	if (bench_meta_write(run.res.dir, &run.meta) != 0) {
		fprintf(stderr, "routebench bench: cannot write %s/meta.json\n", run.res.dir);
		rc = -1;
	}
	bench_report_summary(run.rows, run.n_rows);
	bench_report_memory(run.rows, run.n_rows);
	fprintf(stderr, "\nresults: %s/cells.csv, %s/meta.json\n", run.res.dir, run.res.dir);
	if (o.plots && run.n_rows) {
		int drawn = bench_draw_charts(run.res.dir);

		if (drawn == 0)
			fprintf(stderr, "charts:  %s/*.png and *.svg\n", run.res.dir);
		else if (drawn == -ENOENT)
			fprintf(stderr, "charts:  skipped (gnuplot or plots/all.gp not found)\n");
		else
			fprintf(stderr, "charts:  gnuplot failed; run 'make plots' to retry\n");
	}
	free(run.rows);
	free(run.meta.datasets);
	return rc == 0 ? 0 : 1;
}
