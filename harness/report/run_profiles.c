/*
 * run_profiles.c - the profiling runs a report sets beside a run: routebench-micro's
 * micro-fit.csv (the big-O Google Benchmark fitted per family) and routebench massif's
 * massif.csv (heap figures per implementation). Columns are found by name. When a file is
 * missing or empty, the reason is kept (micro_why, massif_why) for the report to say.
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

/* Keep one micro-fit.csv row. 0 or -ENOMEM. */
static int add_fit(struct report_run *run, char **f, const int *c)
{
	struct report_fit *g = realloc(run->fits, (run->n_fits + 1) * sizeof(*g));

	if (!g)
		return -ENOMEM;
	run->fits = g;
	g = &run->fits[run->n_fits++];
	snprintf(g->impl, sizeof(g->impl), "%s", f[c[0]]);
	snprintf(g->bench, sizeof(g->bench), "%s", f[c[1]]);
	snprintf(g->mode, sizeof(g->mode), "%s", f[c[2]]);
	snprintf(g->big_o, sizeof(g->big_o), "%s", f[c[3]]);
	return 0;
}

void report_read_micro(struct report_run *run)
{
	static const char *const want[] = { "impl", "bench", "mode", "big_o" };
	char path[REPORT_PATH_MAX + 16], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS];
	char *hdr = NULL;
	size_t cap = 0, hcap = 0, nn;
	int c[4];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/micro-fit.csv", run->micro_dir);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(run->micro_why, sizeof(run->micro_why), "%s", strerror(errno));
		return;
	}
	if (getline(&hdr, &hcap, fp) < 0) {
		snprintf(run->micro_why, sizeof(run->micro_why), "an empty micro-fit.csv");
		goto out;
	}
	nn = report_csv_split(hdr, names, MAX_FIELDS);
	for (size_t i = 0; i < 4; i++)
		if ((c[i] = report_csv_col(names, nn, want[i])) < 0) {
			snprintf(run->micro_why, sizeof(run->micro_why),
				 "micro-fit.csv lacks impl, bench, mode or big_o");
			goto out;
		}
	while (getline(&line, &cap, fp) >= 0)
		if (report_csv_split(line, f, MAX_FIELDS) == nn && add_fit(run, f, c) != 0)
			break;
	run->have_micro = run->n_fits > 0;
	if (!run->have_micro)
		snprintf(run->micro_why, sizeof(run->micro_why), "micro-fit.csv holds no fit");
out:
	free(line);
	free(hdr);
	fclose(fp);
}

/* Field i of a row of n fields: "" (or NaN) when the row is too short. */
static const char *str_field(char **f, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? f[i] : "";
}

static double num_field(char **f, size_t n, int i)
{
	return i >= 0 && (size_t)i < n && *f[i] ? strtod(f[i], NULL) : NAN;
}

/* Keep one massif.csv row of n fields. 0 or -ENOMEM. */
static int add_massif(struct report_run *run, char **f, size_t n, const int *c)
{
	struct report_massif *m = realloc(run->massif, (run->n_massif + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	run->massif = m;
	m = &run->massif[run->n_massif++];
	snprintf(m->impl, sizeof(m->impl), "%s", str_field(f, n, c[0]));
	m->n_routes = strtoull(str_field(f, n, c[1]), NULL, 10);
	m->peak = num_field(f, n, c[2]);
	m->built = num_field(f, n, c[3]);
	m->extra = num_field(f, n, c[4]);
	m->base = num_field(f, n, c[5]);
	m->base_extra = num_field(f, n, c[6]);
	m->heap_bytes = num_field(f, n, c[7]);
	m->struct_bytes = num_field(f, n, c[8]);
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
