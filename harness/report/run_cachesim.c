/*
 * run_cachesim.c - the cachesim.csv a report sets beside a run (routebench cachesim: misses
 * per lookup under valgrind's cache simulator), columns found by name, its ok rows kept, and
 * meta.json's numeric figures; a row of the cold query set says so (query_set, optional: an
 * older file's rows are hot). Cost: one pass over a small file. Lesson: a measured time is
 * explained by a count that does not vary, or it is not explained.
 */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FIELDS 64

static const char *const cs_cols[] = { "impl", "n_routes", "lookups", "instr_per_lookup",
				       "d1_misses_per_lookup", "ll_misses_per_lookup",
				       "ll_bytes", "status", "query_set" };
#define N_CS_COLS (sizeof(cs_cols) / sizeof(cs_cols[0]))

/* Keep one ok row. 0 or -ENOMEM. */
static int add_cs(struct report_run *run, char **f, size_t nf, const int *c)
{
	struct report_cachesim *g = realloc(run->cs, (run->n_cs + 1) * sizeof(*g));

	if (!g)
		return -ENOMEM;
	run->cs = g;
	g = &g[run->n_cs++];
	memset(g, 0, sizeof(*g));
	snprintf(g->impl, sizeof(g->impl), "%s", f[c[0]]);
	g->n_routes = strtoull(f[c[1]], NULL, 10);
	g->lookups = (uint64_t)report_csv_num(f, nf, c[2]);
	g->instr = report_csv_num(f, nf, c[3]);
	g->d1 = report_csv_num(f, nf, c[4]);
	g->ll = report_csv_num(f, nf, c[5]);
	g->ll_bytes = isfinite(report_csv_num(f, nf, c[6])) ? (uint64_t)report_csv_num(f, nf, c[6]) : 0;
	g->cold = c[8] >= 0 && (size_t)c[8] < nf && strcmp(f[c[8]], "cold") == 0;
	return 0;
}

/* Read path's rows into run. 0, or -1 with cachesim_why set. */
static int read_cs(struct report_run *run, const char *path)
{
	char *line = NULL, *f[MAX_FIELDS];
	size_t cap = 0, nf;
	int c[N_CS_COLS], rc = 0;
	FILE *fp = fopen(path, "r");

	if (!fp || getline(&line, &cap, fp) < 0) {
		snprintf(run->cachesim_why, sizeof(run->cachesim_why), "no %.150s", path);
		free(line);
		if (fp)
			fclose(fp);
		return -1;
	}
	nf = report_csv_split(line, f, MAX_FIELDS);
	for (size_t i = 0; i < N_CS_COLS; i++)
		c[i] = report_csv_col(f, nf, cs_cols[i]);
	if (c[0] < 0 || c[1] < 0 || c[5] < 0 || c[7] < 0) {
		snprintf(run->cachesim_why, sizeof(run->cachesim_why), "%.80s lacks impl, n_routes, "
			 "ll_misses_per_lookup or status", path);
		rc = -1;
	}
	while (rc == 0 && getline(&line, &cap, fp) >= 0) {
		nf = report_csv_split(line, f, MAX_FIELDS);
		if ((size_t)c[7] < nf && (size_t)c[1] < nf && strcmp(f[c[7]], "ok") == 0 &&
		    add_cs(run, f, nf, c) != 0)
			rc = -1;
	}
	free(line);
	fclose(fp);
	return rc;
}

void report_read_cachesim(struct report_run *run)
{
	char path[REPORT_PATH_MAX + 32];
	const char *slash = strrchr(run->dir, '/');
	struct stat st;

	snprintf(run->cachesim_dir, sizeof(run->cachesim_dir), "%s", run->dir);
	snprintf(path, sizeof(path), "%s/cachesim.csv", run->dir);
	if (stat(path, &st) != 0) {
		if (slash)
			snprintf(run->cachesim_dir, sizeof(run->cachesim_dir), "%.*s/latest-cachesim",
				 (int)(slash - run->dir), run->dir);
		else
			snprintf(run->cachesim_dir, sizeof(run->cachesim_dir), "latest-cachesim");
		snprintf(path, sizeof(path), "%s/cachesim.csv", run->cachesim_dir);
	}
	run->have_cachesim = read_cs(run, path) == 0 && run->n_cs > 0;
	if (!run->have_cachesim && !run->cachesim_why[0])
		snprintf(run->cachesim_why, sizeof(run->cachesim_why), "no ok row in %.140s", path);
}

const struct report_cachesim *report_cachesim_find(const struct report_run *run,
						   const char *impl, uint64_t n_routes, int cold)
{
	for (size_t i = 0; i < run->n_cs; i++)
		if (strcmp(run->cs[i].impl, impl) == 0 && run->cs[i].n_routes == n_routes &&
		    run->cs[i].cold == !!cold)
			return &run->cs[i];
	return NULL;
}
