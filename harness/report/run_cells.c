/*
 * run_cells.c - a run folder's cells.csv, read with the cell reader (cell.h), and the run's
 * lifetime (open, free). A header that differs from this build's (an older or newer run) is
 * mapped by column name: a column this build has and the file lacks reads as not measured.
 * Cost: one pass over the file, every row kept. Lesson: old results stay readable.
 */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define MAX_FIELDS 64

/* How the file's columns map onto this build's: map[i] is the file's column of column i. */
struct cells_map {
	int same; /* the header is this build's: rows are read as they are */
	int map[MAX_FIELDS];
	size_t ncols, nnames; /* this build's columns; the file's */
};

size_t report_csv_split(char *line, char **f, size_t cap)
{
	size_t n = 0;
	char *s = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < cap) {
		if (*s == '"') {
			char *w = ++s;

			f[n++] = w;
			while (*s && !(*s == '"' && s[1] != '"'))
				*w++ = *s == '"' ? (s += 2, '"') : *s++;
			if (*s == '"')
				s++;
			*w = '\0';
			if (*s != ',')
				break;
			s++;
			continue;
		}
		f[n++] = s;
		s = strchr(s, ',');
		if (!s)
			break;
		*s++ = '\0';
	}
	return n;
}

int report_csv_col(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *report_csv_str(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : "";
}

double report_csv_num(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n && *f[col] ? strtod(f[col], NULL) : NAN;
}

/* Note impl among the run's implementations, once, in order of first appearance. */
static void note_impl(struct report_run *run, const char *impl)
{
	for (size_t i = 0; i < run->n_impls; i++)
		if (strcmp(run->impls[i], impl) == 0)
			return;
	if (run->n_impls < REPORT_MAX_IMPLS)
		snprintf(run->impls[run->n_impls++], sizeof(run->impls[0]), "%s", impl);
}

/* The registry position of impl, or past the registry by first appearance. */
static size_t registry_rank(const char *impl, size_t fallback)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (strcmp(rt_registry[i]->name, impl) == 0)
			return i;
	return rt_registry_count + fallback;
}

/* The run's implementations in registry order, the unregistered ones after, as they came. */
static void order_impls(struct report_run *run)
{
	size_t rank[REPORT_MAX_IMPLS];

	for (size_t i = 0; i < run->n_impls; i++)
		rank[i] = registry_rank(run->impls[i], i);
	for (size_t i = 1; i < run->n_impls; i++)
		for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			char tmp[32];
			size_t t = rank[j];

			memcpy(tmp, run->impls[j], sizeof(tmp));
			memcpy(run->impls[j], run->impls[j - 1], sizeof(tmp));
			memcpy(run->impls[j - 1], tmp, sizeof(tmp));
			rank[j] = rank[j - 1];
			rank[j - 1] = t;
		}
}

/* Map the header hdr (modified) onto this build's columns; note the ones it lacks. 0/-EINVAL */
static int map_header(struct report_run *run, char *hdr, struct cells_map *m)
{
	char want[BENCH_ROW_MAX], *names[MAX_FIELDS];
	const char *name;

	bench_cell_header(want, sizeof(want));
	m->same = strcmp(hdr, want) == 0;
	m->nnames = report_csv_split(hdr, names, MAX_FIELDS);
	for (m->ncols = 0; (name = bench_column_name(m->ncols, NULL)) && m->ncols < MAX_FIELDS;
	     m->ncols++) {
		size_t used = strlen(run->missing_cols);
		int at = report_csv_col(names, m->nnames, name);

		m->map[m->ncols] = at;
		if (at < 0 && bench_column_optional(m->ncols))
			continue; /* newer and optional (lookup_samples): not worth a word */
		if (at < 0 && used + strlen(name) + 5 < sizeof(run->missing_cols))
			snprintf(run->missing_cols + used, sizeof(run->missing_cols) - used,
				 "%s`%s`", used ? ", " : "", name);
		run->n_missing += at < 0;
	}
	if (report_csv_col(names, m->nnames, "impl") < 0 ||
	    report_csv_col(names, m->nnames, "status") < 0)
		return -EINVAL;
	return 0;
}

/* Parse one line of the file into *c through the map. 0, or -EINVAL for a bad row. */
static int read_row(const struct cells_map *m, const char *line, struct bench_cell *c)
{
	char row[BENCH_ROW_MAX * 2], copy[BENCH_ROW_MAX * 2], *fields[MAX_FIELDS];
	size_t len = 0, nf;

	snprintf(copy, sizeof(copy), "%s", line);
	nf = report_csv_split(copy, fields, MAX_FIELDS);
	if (m->same)
		len = (size_t)snprintf(row, sizeof(row), "%s", line);
	else
		for (size_t i = 0; i < m->ncols && len < sizeof(row); i++)
			len += (size_t)snprintf(row + len, sizeof(row) - len, "%s%s", i ? "," : "",
						m->map[i] >= 0 && (size_t)m->map[i] < nf
							? fields[m->map[i]] : "");
	if (nf != m->nnames || len >= sizeof(row) || bench_cell_parse(row, c) != 0)
		return -EINVAL;
	return 0;
}

/* Keep row c. 0 or -ENOMEM. */
static int add_row(struct report_run *run, const struct bench_cell *c)
{
	struct bench_cell *grown = realloc(run->rows, (run->n + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	run->rows = grown;
	run->rows[run->n++] = *c;
	if (run->n == 1)
		snprintf(run->alloc, sizeof(run->alloc), "%s", c->allocator);
	run->have_active |= c->heap_active_bytes != BENCH_UNMEASURED ||
			    c->heap_resident_bytes != BENCH_UNMEASURED;
	if (strcmp(c->strategy, "solver") != 0) /* a program, not a structure: its own lesson */
		note_impl(run, c->impl);
	return 0;
}

/* Read run->dir/cells.csv into run. 0, or -errno with the reason printed. */
static int read_cells(struct report_run *run)
{
	char path[REPORT_PATH_MAX + 16], *line = NULL, *hdr = NULL;
	size_t cap = 0, hcap = 0;
	struct cells_map m;
	struct bench_cell c;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/cells.csv", run->dir);
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		fprintf(stderr, "routebench report: %s: %s\n", path, strerror(errno));
		return rc;
	}
	if (getline(&hdr, &hcap, f) < 0) {
		fprintf(stderr, "routebench report: %s: empty file\n", path);
		rc = -EINVAL;
	} else if (map_header(run, hdr, &m) != 0) {
		fprintf(stderr, "routebench report: %s: not a cells.csv (no impl or status "
				"column)\n", path);
		rc = -EINVAL;
	}
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (read_row(&m, line, &c) != 0)
			run->bad_rows++;
		else
			rc = add_row(run, &c);
	}
	free(line);
	free(hdr);
	fclose(f);
	order_impls(run);
	return rc;
}

/* dir's parent folder joined with name: "results/latest" + "latest-micro". */
static void beside(const char *dir, const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(dir, '/');

	if (slash && slash[1] == '\0') {
		char trimmed[REPORT_PATH_MAX];

		snprintf(trimmed, sizeof(trimmed), "%.*s", (int)(slash - dir), dir);
		beside(trimmed, name, out, cap);
		return;
	}
	if (!slash)
		snprintf(out, cap, "%s", name);
	else
		snprintf(out, cap, "%.*s/%s", (int)(slash - dir), dir, name);
}

int report_run_open(struct report_run *run, const char *dir, const char *micro,
		    const char *massif)
{
	memset(run, 0, sizeof(*run));
	snprintf(run->dir, sizeof(run->dir), "%s", dir);
	for (size_t len = strlen(run->dir); len > 1 && run->dir[len - 1] == '/'; len--)
		run->dir[len - 1] = '\0';
	if (micro)
		snprintf(run->micro_dir, sizeof(run->micro_dir), "%s", micro);
	else
		beside(run->dir, "latest-micro", run->micro_dir, sizeof(run->micro_dir));
	if (massif)
		snprintf(run->massif_dir, sizeof(run->massif_dir), "%s", massif);
	else
		beside(run->dir, "latest-massif", run->massif_dir, sizeof(run->massif_dir));
	beside(run->dir, "latest-api", run->api_dir, sizeof(run->api_dir));
	run->meta.complete = 1;
	return read_cells(run);
}

void report_run_read_profiles(struct report_run *run)
{
	report_read_meta(run);
	report_read_micro(run);
	report_read_massif(run);
	report_api_read(run->api_dir, &run->api);
	report_read_cachesim(run);
}

int report_run_complete(const struct report_run *run)
{
	return !run->have_meta || run->meta.complete;
}

void report_run_free(struct report_run *run)
{
	free(run->rows);
	free(run->fits);
	free(run->fits2);
	free(run->massif);
	report_api_free(&run->api);
	free(run->cs);
	run->cs = NULL;
	run->n_cs = 0;
	run->rows = NULL;
	run->fits = run->fits2 = NULL;
	run->massif = NULL;
	run->n = run->n_fits = run->n_fits2 = run->n_massif = 0;
}
