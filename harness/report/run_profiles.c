/*
 * run_profiles.c - the profiling runs a report sets beside a run: routebench-micro's
 * micro-fit.csv (the big-O Google Benchmark fitted per family, with its error) and micro.csv
 * (the sizes each fit had, their cv, the sizes skipped and why), for the run and for its second
 * run in run-2/, and routebench massif's massif.csv (heap figures per implementation). Columns
 * are found by name. When a file is missing or empty, the reason is kept (micro_why,
 * massif_why) for the report to say.
 */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

static const char *const massif_cols[] = { "impl", "n_routes", "massif_peak_heap",
					   "massif_built_heap", "massif_built_extra",
					   "baseline_heap", "baseline_extra", "heap_bytes",
					   "struct_bytes" };
#define N_MASSIF_COLS (sizeof(massif_cols) / sizeof(massif_cols[0]))

/* Keep one micro-fit.csv row into *fits (n of them). 0 or -ENOMEM. */
static int add_fit(struct report_fit **fits, size_t *n, char **f, const int *c, size_t nf)
{
	struct report_fit *g = realloc(*fits, (*n + 1) * sizeof(*g));

	if (!g)
		return -ENOMEM;
	*fits = g;
	g = &g[(*n)++];
	memset(g, 0, sizeof(*g));
	snprintf(g->impl, sizeof(g->impl), "%s", f[c[0]]);
	snprintf(g->bench, sizeof(g->bench), "%s", f[c[1]]);
	snprintf(g->mode, sizeof(g->mode), "%s", f[c[2]]);
	snprintf(g->big_o, sizeof(g->big_o), "%s", f[c[3]]);
	g->rms = report_csv_num(f, nf, c[4]);
	g->max_cv = NAN;
	return 0;
}

/* What a skipped row's error says: which budget, or a failure. */
static const char *skip_kind(const char *error)
{
	if (strstr(error, "--mem-budget"))
		return "memory budget";
	if (strstr(error, "--max-build-s"))
		return "time budget";
	return strstr(error, "answers differ") ? "wrong answers" : "failed";
}

/*
 * Fold dir/micro.csv into fits[0..n): each family's sizes with a median, their largest cv, and
 * its sizes skipped with why. A missing micro.csv leaves n_sizes 0 (not recorded).
 */
static void read_micro_rows(const char *dir, struct report_fit *fits, size_t n)
{
	static const char *const want[] = { "impl", "bench", "mode", "n_routes",
					    "cpu_ns_median", "cv", "error" };
	char path[REPORT_PATH_MAX + 32], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS];
	size_t cap = 0, nn;
	int c[7];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/micro.csv", dir);
	fp = fopen(path, "r");
	if (!fp)
		return;
	if (getline(&line, &cap, fp) < 0)
		goto out;
	nn = report_csv_split(line, names, MAX_FIELDS);
	for (size_t i = 0; i < 7; i++)
		if ((c[i] = report_csv_col(names, nn, want[i])) < 0)
			goto out;
	while (getline(&line, &cap, fp) >= 0) {
		size_t k = report_csv_split(line, f, MAX_FIELDS);
		struct report_fit *g = NULL;
		uint64_t size;

		if (k != nn)
			continue;
		for (size_t i = 0; i < n && !g; i++)
			if (!strcmp(fits[i].impl, f[c[0]]) && !strcmp(fits[i].bench, f[c[1]]) &&
			    !strcmp(fits[i].mode, f[c[2]]))
				g = &fits[i];
		if (!g)
			continue;
		size = strtoull(f[c[3]], NULL, 10);
		if (*f[c[6]] && g->n_skipped < 4) {
			g->skipped_n[g->n_skipped] = size;
			snprintf(g->skipped_why[g->n_skipped++], sizeof(g->skipped_why[0]), "%s",
				 skip_kind(f[c[6]]));
		} else if (*f[c[4]]) {
			double cv = *f[c[5]] ? strtod(f[c[5]], NULL) : NAN;

			g->lo = !g->n_sizes++ || size < g->lo ? size : g->lo;
			g->hi = size > g->hi ? size : g->hi;
			if (isfinite(cv) && !(cv <= g->max_cv))
				g->max_cv = cv;
		}
	}
out:
	free(line);
	fclose(fp);
}

/*
 * Read dir/micro-fit.csv into *fits (*n of them), then its micro.csv. 0, or -1 with why (may be
 * NULL) saying what is missing.
 */
static int read_fits(const char *dir, struct report_fit **fits, size_t *n, char *why,
		     size_t wcap)
{
	static const char *const want[] = { "impl", "bench", "mode", "big_o", "rms" };
	char path[REPORT_PATH_MAX + 16], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS];
	char *hdr = NULL;
	size_t cap = 0, hcap = 0, nn;
	int c[5], rc = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/micro-fit.csv", dir);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(why, wcap, "%s", strerror(errno));
		return -1;
	}
	if (getline(&hdr, &hcap, fp) < 0) {
		snprintf(why, wcap, "an empty micro-fit.csv");
		goto out;
	}
	nn = report_csv_split(hdr, names, MAX_FIELDS);
	for (size_t i = 0; i < 5; i++)
		if ((c[i] = report_csv_col(names, nn, want[i])) < 0 && i < 4) {
			snprintf(why, wcap, "micro-fit.csv lacks impl, bench, mode or big_o");
			goto out;
		}
	while (getline(&line, &cap, fp) >= 0)
		if (report_csv_split(line, f, MAX_FIELDS) == nn && add_fit(fits, n, f, c, nn) != 0)
			break;
	rc = *n > 0 ? 0 : -1;
	if (rc)
		snprintf(why, wcap, "micro-fit.csv holds no fit");
	else
		read_micro_rows(dir, *fits, *n);
out:
	free(line);
	free(hdr);
	fclose(fp);
	return rc;
}

void report_read_micro(struct report_run *run)
{
	char dir2[REPORT_PATH_MAX + 16], why2[160];

	run->have_micro = read_fits(run->micro_dir, &run->fits, &run->n_fits, run->micro_why,
				    sizeof(run->micro_why)) == 0;
	snprintf(dir2, sizeof(dir2), "%s/%s", run->micro_dir, REPORT_MICRO_RUN2);
	run->have_micro2 = run->have_micro &&
			   read_fits(dir2, &run->fits2, &run->n_fits2, why2, sizeof(why2)) == 0;
}

/* Keep one massif.csv row of n fields. 0 or -ENOMEM. */
static int add_massif(struct report_run *run, char **f, size_t n, const int *c)
{
	struct report_massif *m = realloc(run->massif, (run->n_massif + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	run->massif = m;
	m = &run->massif[run->n_massif++];
	snprintf(m->impl, sizeof(m->impl), "%s", report_csv_str(f, n, c[0]));
	m->n_routes = strtoull(report_csv_str(f, n, c[1]), NULL, 10);
	m->peak = report_csv_num(f, n, c[2]);
	m->built = report_csv_num(f, n, c[3]);
	m->extra = report_csv_num(f, n, c[4]);
	m->base = report_csv_num(f, n, c[5]);
	m->base_extra = report_csv_num(f, n, c[6]);
	m->heap_bytes = report_csv_num(f, n, c[7]);
	m->struct_bytes = report_csv_num(f, n, c[8]);
	m->ok = isfinite(m->peak);
	m->have_built = m->ok && isfinite(m->built);
	return 0;
}

void report_read_massif(struct report_run *run)
{
	char path[REPORT_PATH_MAX + 16], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS];
	char *hdr = NULL;
	int c[N_MASSIF_COLS];
	size_t cap = 0, hcap = 0, nn;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/massif.csv", run->massif_dir);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(run->massif_why, sizeof(run->massif_why), "%s", strerror(errno));
		return;
	}
	if (getline(&hdr, &hcap, fp) < 0)
		goto out;
	nn = report_csv_split(hdr, names, MAX_FIELDS);
	for (size_t i = 0; i < N_MASSIF_COLS; i++)
		if ((c[i] = report_csv_col(names, nn, massif_cols[i])) < 0) {
			snprintf(run->massif_why, sizeof(run->massif_why), "massif.csv lacks %s",
				 massif_cols[i]);
			goto out;
		}
	while (getline(&line, &cap, fp) >= 0) {
		size_t n = report_csv_split(line, f, MAX_FIELDS);

		if (n >= 2 && add_massif(run, f, n, c) != 0)
			break;
	}
	run->have_massif = run->n_massif > 0;
out:
	if (!run->have_massif && !run->massif_why[0])
		snprintf(run->massif_why, sizeof(run->massif_why), "massif.csv holds no row");
	free(line);
	free(hdr);
	fclose(fp);
}
