/*
 * prep.c - what a scenario run needs before its first server: the run folder (results/latest-api
 * beside it moves only once the run completes, so `latest` stays the ladder's), the datasets
 * (generated in a forked child and cached, as bench's), price's answers for the numbers (one
 * `routebench price` child per dataset, cached) and meta.json (harness/data/results.c writes it).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "dataset.h"
#include "outfile.h"
#include "scenario.h"
#include "sysinfo.h"

/* results/<UTC>-api (-2, -3... on a clash); latest-api moves only once it completes. */
static int make_run_dir(char *dir, size_t cap)
{
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc = rb_mkdir_p("results");

	if (rc != 0)
		return rc;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 1; i < 100; i++) {
		if (i == 1)
			snprintf(dir, cap, "results/%s-api", stamp);
		else
			snprintf(dir, cap, "results/%s-api-%d", stamp, i);
		if (mkdir(dir, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

void sc_note_dataset(struct sc_run *run, const char *kind, uint64_t count, unsigned carrier,
		     const char *path)
{
	bench_meta_add_dataset(&run->meta, kind, count, run->cfg->seed, carrier,
			       run->cfg->hit_ratio, path);
}

/* In a forked child: generate whatever of the datasets the cache lacks. */
static int gen_datasets(void *arg)
{
	struct sc_run *run = arg;
	const struct sc_config *c = run->cfg;
	char path[4096];
	int rc = 0;

	for (uint64_t k = 0; rc == 0 && k < c->carriers; k++) {
		struct ds_gen_routes r = { c->routes, c->seed, c->shape, (unsigned)k };

		rc = ds_gen_cached_routes(&r, c->cache, path, sizeof(path));
	}
	if (rc == 0) {
		struct ds_gen_numbers q = { c->queries, c->seed, c->hit_ratio, run->routes[0] };

		rc = ds_gen_cached_numbers(&q, c->cache, path, sizeof(path));
	}
	if (rc != 0)
		fprintf(stderr, "routebench bench: cannot generate the datasets: %s\n",
			strerror(-rc));
	return rc;
}

/* The cached paths (generating in a child first, so the driver never loads a route file). */
static int datasets(struct sc_run *run)
{
	const struct sc_config *c = run->cfg;
	struct ds_gen_routes r0 = { c->routes, c->seed, c->shape, 0 };
	struct ds_gen_numbers q = { c->queries, c->seed, c->hit_ratio, NULL };

	if (ds_gen_cached_routes(&r0, c->cache, run->routes[0], sizeof(run->routes[0])) != 0)
		return -1;
	if (sc_in_child(gen_datasets, run) != 0)
		return -1;
	for (uint64_t k = 0; k < c->carriers; k++) {
		struct ds_gen_routes r = { c->routes, c->seed, c->shape, (unsigned)k };

		if (ds_gen_cached_routes(&r, c->cache, run->routes[k], sizeof(run->routes[k])))
			return -1;
		run->route_ptrs[k] = run->routes[k];
		sc_note_dataset(run, "routes", c->routes, (unsigned)k, run->routes[k]);
	}
	q.routes_path = run->routes[0];
	if (ds_gen_cached_numbers(&q, c->cache, run->numbers, sizeof(run->numbers)) != 0)
		return -1;
	sc_note_dataset(run, "numbers", c->queries, 0, run->numbers);
	return 0;
}

int sc_answers(struct sc_run *run, const char *const *routes, size_t k, const char *tag,
	       char *out, size_t cap)
{
	const char *slash = strrchr(run->numbers, '/');
	const char *base = slash ? slash + 1 : run->numbers;
	size_t dir = slash ? (size_t)(slash - run->numbers) : 1, blen = strlen(base), n = 0;
	char *argv[2 * SC_MAX_CARRIERS + 8], log[4200];
	struct sc_spawn sp = { argv, -1, NULL, log, 0 };
	struct sc_child c;
	struct stat st;

	if (blen > 4 && strcmp(base + blen - 4, ".txt") == 0)
		blen -= 4;
	snprintf(out, cap, "%.*s/answers-%.*s-k%zu%s.txt", (int)dir, slash ? run->numbers : ".",
		 (int)blen, base, k, tag);
	if (stat(out, &st) == 0)
		return 0;
	snprintf(log, sizeof(log), "%s/raw/price.log", run->dir);
	argv[n++] = "routebench";
	argv[n++] = "price";
	for (size_t i = 0; i < k; i++) {
		argv[n++] = "--routes";
		argv[n++] = (char *)routes[i];
	}
	argv[n++] = "--numbers";
	argv[n++] = run->numbers;
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n] = NULL;
	fprintf(stderr, "routebench bench: pricing the numbers once for the answers: %s\n", out);
	if (sc_child_start(&sp, &c) != 0 || !sc_child_wait(&c, 0) || !WIFEXITED(c.status) ||
	    WEXITSTATUS(c.status) != 0) {
		fprintf(stderr, "routebench bench: routebench price failed (see %s)\n", log);
		return -1;
	}
	return 0;
}

void sc_csv_clean(char *s)
{
	for (; *s; s++)
		if (*s == ',' || *s == '\n' || *s == '\r')
			*s = ' ';
		else if (*s == '"')
			*s = '\'';
}

FILE *sc_csv_open(const struct sc_run *run, const char *name, const char *header)
{
	char path[4200];
	struct stat st;
	int fresh;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", run->dir, name);
	fresh = stat(path, &st) != 0 || st.st_size == 0;
	f = fopen(path, "a");
	if (!f) {
		fprintf(stderr, "routebench bench: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fresh) {
		fprintf(f, "%s\n", header);
		fflush(f);
	}
	return f;
}

/* meta.json's description of the arguments. */
static void describe(struct sc_run *run, int argc, char **argv)
{
	const struct sc_config *c = run->cfg;
	struct bench_meta *m = &run->meta;
	size_t n = 0;

	bench_utc_now(m->started);
	bench_sysinfo_collect(&m->sys);
	n += (size_t)snprintf(m->command, sizeof(m->command), "routebench");
	for (int i = 0; i < argc && n < sizeof(m->command); i++)
		n += (size_t)snprintf(m->command + n, sizeof(m->command) - n, " %s", argv[i]);
	n = 0;
	for (size_t i = 0; i < c->n_impls && n < sizeof(m->impls); i++)
		n += (size_t)snprintf(m->impls + n, sizeof(m->impls) - n, "%s%s", i ? "," : "",
				      c->impls[i]->name);
	snprintf(m->strategies, sizeof(m->strategies), "%s%s%s", c->api ? "api" : "",
		 c->api && c->update ? "," : "", c->update ? "update" : "");
	snprintf(m->sizes, sizeof(m->sizes), "%" PRIu64, c->routes);
	snprintf(m->carriers, sizeof(m->carriers), "%" PRIu64, c->carriers);
	snprintf(m->allocators, sizeof(m->allocators), "glibc");
	snprintf(m->shape, sizeof(m->shape), "%s",
		 c->shape == DS_SHAPE_UNIFORM ? "uniform" : "makeschool");
	m->queries = c->queries;
	m->seed = c->seed;
	m->mem_limit = c->mem_limit;
	m->budget_s = c->start_timeout_s;
	m->hit_ratio = c->hit_ratio;
	snprintf(m->cache_dir, sizeof(m->cache_dir), "%s", c->cache ? c->cache : ds_cache_dir());
}

int sc_run_open(struct sc_run *run, const struct sc_config *cfg, int argc, char **argv)
{
	char probe[4200];
	struct stat st;
	int rc;

	memset(run, 0, sizeof(*run));
	run->cfg = cfg;
	describe(run, argc, argv);
	if (cfg->out) {
		snprintf(run->dir, sizeof(run->dir), "%s", cfg->out);
		rc = rb_mkdir_p(run->dir);
	} else {
		rc = make_run_dir(run->dir, sizeof(run->dir));
	}
	if (rc != 0) {
		fprintf(stderr, "routebench bench: cannot create %s: %s\n",
			cfg->out ? cfg->out : "results/", strerror(-rc));
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/meta.json", run->dir);
	if (stat(probe, &st) == 0) {
		fprintf(stderr, "routebench bench: %s holds a run already; choose another --out\n",
			run->dir);
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/raw", run->dir);
	if (rb_mkdir_p(probe) != 0) {
		fprintf(stderr, "routebench bench: cannot create %s\n", probe);
		return -1;
	}
	run->n_cpus = sc_pick_cpus(run->cpus);
	if (datasets(run) != 0)
		return -1;
	if (cfg->answers)
		snprintf(run->answers, sizeof(run->answers), "%s", cfg->answers);
	else if (sc_answers(run, run->route_ptrs, cfg->carriers, "", run->answers,
			    sizeof(run->answers)) != 0)
		return -1;
	sc_note_dataset(run, "answers", cfg->queries, 0, run->answers);
	if (bench_meta_write(run->dir, &run->meta) != 0) {
		fprintf(stderr, "routebench bench: cannot write %s/meta.json\n", run->dir);
		return -1;
	}
	return 0;
}

/* gnuplot -e "dir='DIR'" plots/api.gp: 0, -ENOENT (no gnuplot or script), or -1. */
static int draw_charts(const char *dir)
{
	char script[4200], arg[4200];
	struct sc_child c;
	char *argv[] = { "gnuplot", "-e", arg, script, NULL };
	pid_t pid;

	snprintf(script, sizeof(script), "%s/plots/api.gp", bench_source_dir());
	if (access(script, R_OK) != 0)
		snprintf(script, sizeof(script), "plots/api.gp");
	if (access(script, R_OK) != 0)
		return -ENOENT;
	if (strchr(dir, '\'') || strchr(dir, '\\'))
		return -1;
	snprintf(arg, sizeof(arg), "dir='%s'", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp("gnuplot", argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.pid = pid;
	sc_child_wait(&c, 0);
	if (WIFEXITED(c.status) && WEXITSTATUS(c.status) == 127)
		return -ENOENT;
	return WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0 ? 0 : -1;
}

int sc_run_close(struct sc_run *run)
{
	int rc = 0, drawn;

	bench_utc_now(run->meta.finished);
	bench_self_rss(&run->meta.driver_rss, &run->meta.driver_hwm);
	if (bench_meta_write(run->dir, &run->meta) != 0) {
		fprintf(stderr, "routebench bench: cannot write %s/meta.json\n", run->dir);
		rc = -1;
	}
	if (run->cfg->plots) {
		drawn = draw_charts(run->dir);
		if (drawn == -ENOENT)
			fprintf(stderr, "charts:  skipped (gnuplot or plots/api.gp not found)\n");
		else if (drawn != 0)
			fprintf(stderr, "charts:  gnuplot failed\n");
	}
	free(run->meta.datasets);
	run->meta.datasets = NULL;
	return rc;
}
