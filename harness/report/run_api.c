/*
 * run_api.c - the scenario run's files (run_api.h): api.csv, update.csv and update_windows.csv
 * through one reader driven by a column table per file (name, type, where in the row), so a
 * column added later, or one an older run lacks, breaks nothing; and the servers' logs for the
 * updated carrier's table bytes and build time. Cost: one pass per file. Lesson: three files,
 * one reader: the columns are data, not code.
 */
#include "run_api.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define MAX_FIELDS 64

enum col_type { COL_STR, COL_U64, COL_UNS, COL_DBL, COL_INT };

struct col {
	const char *name;
	enum col_type type;
	size_t off, size; /* size: a string's buffer */
};

#define S(T, f) { #f, COL_STR, offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define N(T, f, t) { #f, t, offsetof(struct T, f), 0 }
#define C(T, name, f, t) { name, t, offsetof(struct T, f), 0 }

static const struct col api_cols[] = {
	S(report_api_row, impl), S(report_api_row, mode), S(report_api_row, status),
	S(report_api_row, detail), N(report_api_row, routes, COL_U64),
	N(report_api_row, carriers, COL_U64), N(report_api_row, requests, COL_U64),
	N(report_api_row, errors, COL_U64), N(report_api_row, mismatches, COL_U64),
	N(report_api_row, unsent, COL_U64), N(report_api_row, threads, COL_UNS),
	N(report_api_row, connections, COL_UNS),
	C(report_api_row, "offered_rate", offered, COL_DBL),
	C(report_api_row, "achieved_rate", achieved, COL_DBL),
	C(report_api_row, "p50_us", p50, COL_DBL), C(report_api_row, "p90_us", p90, COL_DBL),
	C(report_api_row, "p99_us", p99, COL_DBL), C(report_api_row, "p999_us", p999, COL_DBL),
	C(report_api_row, "p9999_us", p9999, COL_DBL), C(report_api_row, "max_us", max, COL_DBL),
	C(report_api_row, "server_peak_rss_bytes", peak_rss, COL_U64),
	C(report_api_row, "server_idle_rss_bytes", idle_rss, COL_U64),
};

static const struct col upd_cols[] = {
	S(report_update_row, impl), S(report_update_row, way), S(report_update_row, status),
	S(report_update_row, detail), N(report_update_row, routes, COL_U64),
	N(report_update_row, carriers, COL_U64), N(report_update_row, lines, COL_U64),
	C(report_update_row, "idle_rss_bytes", idle_rss, COL_U64),
	C(report_update_row, "peak_rss_bytes", peak_rss, COL_U64),
	N(report_update_row, update, COL_UNS), N(report_update_row, visible_ms, COL_DBL),
	N(report_update_row, post_ms, COL_DBL), N(report_update_row, http_status, COL_INT),
};

static const struct col win_cols[] = {
	S(report_window_row, impl), S(report_window_row, way), S(report_window_row, window),
	S(report_window_row, status), S(report_window_row, detail),
	N(report_window_row, routes, COL_U64), N(report_window_row, carriers, COL_U64),
	N(report_window_row, requests, COL_U64), N(report_window_row, errors, COL_U64),
	N(report_window_row, mismatches, COL_U64), N(report_window_row, unsent, COL_U64),
	N(report_window_row, updates, COL_UNS),
	C(report_window_row, "offered_rate", offered, COL_DBL),
	C(report_window_row, "achieved_rate", achieved, COL_DBL),
	C(report_window_row, "p50_us", p50, COL_DBL), C(report_window_row, "p90_us", p90, COL_DBL),
	C(report_window_row, "p99_us", p99, COL_DBL),
	C(report_window_row, "p999_us", p999, COL_DBL),
	C(report_window_row, "p9999_us", p9999, COL_DBL),
	C(report_window_row, "max_us", max, COL_DBL),
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* Store the text s into row's field c: an empty number is 0 (NaN for a double). */
static int store(void *row, const struct col *c, const char *s)
{
	char *p = (char *)row + c->off, *end = NULL;

	if (c->type == COL_STR) {
		snprintf(p, c->size, "%s", s);
		return 0;
	}
	if (c->type == COL_DBL) {
		double v = *s ? strtod(s, &end) : NAN;

		memcpy(p, &v, sizeof(v));
		return *s && *end ? -1 : 0;
	}
	unsigned long long v = *s ? strtoull(s, &end, 10) : 0;

	if (*s && *end)
		return -1;
	if (c->type == COL_U64) {
		uint64_t u = v;

		memcpy(p, &u, sizeof(u));
	} else if (c->type == COL_UNS) {
		unsigned u = (unsigned)v;

		memcpy(p, &u, sizeof(u));
	} else {
		int i = (int)v;

		memcpy(p, &i, sizeof(i));
	}
	return 0;
}

struct table {
	const struct col *cols;
	size_t ncols, size; /* size: one row's bytes */
	char *rows;         /* n rows of size bytes */
	size_t n, bad;
};

/*
 * Read dir/name into t's rows. 0; -ENOENT when there is no such file; -EINVAL when its header
 * has no impl column; -ENOMEM (the rows read so far kept).
 */
static int read_table(const char *dir, const char *name, struct table *t)
{
	char path[4200], *line = NULL, *hdr = NULL, *names[MAX_FIELDS], *f[MAX_FIELDS];
	size_t cap = 0, hcap = 0, nn = 0;
	int at[MAX_FIELDS], rc = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "r");
	if (!fp)
		return -errno;
	if (getline(&hdr, &hcap, fp) >= 0)
		nn = report_csv_split(hdr, names, MAX_FIELDS);
	for (size_t i = 0; i < t->ncols; i++)
		at[i] = report_csv_col(names, nn, t->cols[i].name);
	if (at[0] < 0)
		rc = -EINVAL;
	while (rc == 0 && getline(&line, &cap, fp) >= 0) {
		size_t k;
		char *row;
		int bad = 0;

		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		k = report_csv_split(line, f, MAX_FIELDS);
		row = realloc(t->rows, (t->n + 1) * t->size);
		if (!row) {
			rc = -ENOMEM;
			break;
		}
		t->rows = row;
		row += t->n * t->size;
		memset(row, 0, t->size);
		for (size_t i = 0; i < t->ncols; i++)
			bad |= store(row, &t->cols[i], at[i] >= 0 && (size_t)at[i] < k ? f[at[i]]
										: "");
		if (k != nn || bad)
			t->bad++;
		else
			t->n++;
	}
	free(line);
	free(hdr);
	fclose(fp);
	return rc;
}

/* Find "key" followed by a number in s: its value, or NaN. */
static double after(const char *s, const char *key, const char *end)
{
	const char *p = strstr(s, key);

	return p && (!end || p < end) ? strtod(p + strlen(key), NULL) : NAN;
}

int report_api_parse_start(const char *log, struct report_serve_start *out)
{
	static const char key[] = "serve: carrier 1: ";

	for (const char *p = strstr(log, key); p; p = strstr(p, key)) {
		const char *eol, *mb;

		p += strlen(key);
		eol = strchr(p, '\n');
		eol = eol ? eol : p + strlen(p);
		mb = strstr(p, " MB table");
		if (!mb || mb > eol)
			continue; /* "carrier 1: loading FILE" */
		while (mb > p && mb[-1] != ' ')
			mb--;
		out->routes = strtod(p, NULL);
		out->table_bytes = strtod(mb, NULL) * 1e6;
		out->parse_ms = after(p, "parsed in ", eol);
		out->build_ms = after(p, "built in ", eol);
		return 0;
	}
	return -1;
}

/* The start lines of every impl and way of the update rows, from raw/serve-update-*.log. */
static void read_starts(struct report_api_run *r)
{
	for (size_t i = 0; i < r->n_upd; i++) {
		const struct report_update_row *u = &r->upd[i];
		struct report_serve_start s = { .routes = NAN, .table_bytes = NAN };
		char path[4300], buf[8192];
		size_t j, got;
		FILE *f;

		for (j = 0; j < r->n_start; j++)
			if (!strcmp(r->start[j].impl, u->impl) && !strcmp(r->start[j].way, u->way))
				break;
		if (j < r->n_start)
			continue;
		snprintf(s.impl, sizeof(s.impl), "%s", u->impl);
		snprintf(s.way, sizeof(s.way), "%s", u->way);
		s.build_ms = s.parse_ms = NAN;
		snprintf(path, sizeof(path), "%s/raw/serve-update-%s-%s.log", r->dir, u->impl,
			 u->way);
		f = fopen(path, "r");
		got = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f)
			fclose(f);
		buf[got] = '\0';
		report_api_parse_start(buf, &s);
		struct report_serve_start *g = realloc(r->start, (r->n_start + 1) * sizeof(*g));

		if (!g)
			return;
		r->start = g;
		r->start[r->n_start++] = s;
	}
}

/* meta.json's "complete": false, found as text (the report's meta reader wants cells). */
static int read_complete(const char *dir)
{
	char path[4200], buf[65536];
	FILE *f;
	size_t got;
	const char *p;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "r");
	if (!f)
		return 1;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	p = strstr(buf, "\"complete\"");
	if (!p)
		return 1;
	p += strlen("\"complete\"");
	p += strspn(p, " \t\r\n:");
	return strncmp(p, "false", 5) != 0;
}

void report_api_read(const char *dir, struct report_api_run *out)
{
	struct table api = { .cols = api_cols, .ncols = NCOLS(api_cols),
			     .size = sizeof(struct report_api_row) };
	struct table upd = { .cols = upd_cols, .ncols = NCOLS(upd_cols),
			     .size = sizeof(struct report_update_row) };
	struct table win = { .cols = win_cols, .ncols = NCOLS(win_cols),
			     .size = sizeof(struct report_window_row) };
	int ra, ru;

	memset(out, 0, sizeof(*out));
	snprintf(out->dir, sizeof(out->dir), "%s", dir);
	ra = read_table(dir, "api.csv", &api);
	ru = read_table(dir, "update.csv", &upd);
	if (ru == 0)
		read_table(dir, "update_windows.csv", &win);
	out->api = (struct report_api_row *)(void *)api.rows;
	out->n_api = api.n;
	out->bad_api = api.bad;
	out->upd = (struct report_update_row *)(void *)upd.rows;
	out->n_upd = upd.n;
	out->bad_upd = upd.bad;
	out->win = (struct report_window_row *)(void *)win.rows;
	out->n_win = win.n;
	out->bad_win = win.bad;
	out->have_api = ra == 0 || ra == -ENOMEM;
	out->have_update = ru == 0 || ru == -ENOMEM;
	for (size_t i = 0; i < out->n_api; i++)
		out->api[i].measured = isfinite(out->api[i].achieved) &&
				       isfinite(out->api[i].p99);
	for (size_t i = 0; i < out->n_win; i++)
		out->win[i].measured = isfinite(out->win[i].achieved) &&
				       isfinite(out->win[i].p999);
	read_starts(out);
	out->complete = read_complete(dir);
	if (!out->have_api && !out->have_update)
		snprintf(out->why, sizeof(out->why), "no api.csv or update.csv in `%s`", dir);
	else if (!out->have_api)
		snprintf(out->why, sizeof(out->why), "no api.csv in `%s`", dir);
	else if (!out->have_update)
		snprintf(out->why, sizeof(out->why), "no update.csv in `%s`", dir);
}

void report_api_free(struct report_api_run *r)
{
	free(r->api);
	free(r->upd);
	free(r->win);
	free(r->start);
	r->api = NULL;
	r->upd = NULL;
	r->win = NULL;
	r->start = NULL;
	r->n_api = r->n_upd = r->n_win = r->n_start = 0;
}
