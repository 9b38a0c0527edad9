/*
 * report_md.c - `routebench report [RUN_DIR] [--micro DIR] [--massif DIR]`: REPORT.md and
 * REPORT.html in a run folder, teaching the tradeoffs from that run's own figures: the machine,
 * each implementation's claimed big-O against Google Benchmark's fit, then one section per
 * lesson with its chart, a table and sentences computed from the rows (lesson.h holds the
 * rules). Cost: every row and every inlined chart in memory (a few MB). Lesson: prose
 * generated from the data cannot contradict it, and says "not measured" instead of a blank.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cell.h"
#include "cli.h"
#include "lesson.h"
#include "outfile.h"
#include "registry.h"
#include "report.h"
#include "report_doc.h"

#define MAX_IMPLS 64
#define MAX_FIELDS 64
#define MAX_LIST 16 /* names listed in a sentence before "and N more" */
#define SAME_SHARE 0.01 /* two allocators within 1% of the structure's bytes: about the same */

/* One fitted family of micro-fit.csv. */
struct micro_fit {
	char impl[32], bench[16], mode[16], big_o[16];
};

/* One row of massif.csv. */
struct massif_row {
	char impl[32];
	uint64_t n_routes;
	double peak, built, extra, base, base_extra, heap_bytes, struct_bytes;
	int ok, have_built;
};

struct report {
	char dir[4096];
	struct bench_cell *rows;
	char **points;        /* per row: its stream_points field, or NULL */
	size_t n, bad_rows;
	char missing_cols[512];
	size_t n_missing;     /* columns of this build that cells.csv lacks */
	char alloc[16];       /* the first row's allocator: every implementation ran under it */
	int have_active;      /* some row has heap_active_bytes / heap_resident_bytes */
	char *meta;           /* meta.json, or NULL */
	char impls[MAX_IMPLS][32]; /* every implementation in the rows, registry order first */
	size_t n_impls;
	char micro_dir[4096], micro_why[160];
	struct micro_fit *fits;
	size_t n_fits;
	int have_micro;
	char massif_dir[4096], massif_why[160];
	struct massif_row *massif;
	size_t n_massif;
	int have_massif;
	struct rdoc doc;
};

/* --- figures as text ------------------------------------------------------------------------ */

/* One of a ring of buffers: formatted figures live until 48 more are made. */
static char *ring(void)
{
	static char bufs[48][96];
	static unsigned next;

	return bufs[next++ % 48];
}

/* s with its leading run of digits grouped by thousands: "4237.0" -> "4,237.0". */
static const char *grouped(const char *s)
{
	char *out = ring();
	size_t lead = 0, o = 0, i = 0;

	if (*s == '-' || *s == '+')
		out[o++] = s[i++];
	while (s[i + lead] >= '0' && s[i + lead] <= '9')
		lead++;
	for (size_t k = 0; k < lead; k++) {
		out[o++] = s[i + k];
		if ((lead - k - 1) % 3 == 0 && k + 1 < lead)
			out[o++] = ',';
	}
	snprintf(out + o, 96 - o, "%s", s + i + lead);
	return out;
}

static const char *f_count(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return grouped(buf);
}

static const char *f_fix(double v, int decimals)
{
	char buf[64];

	if (!isfinite(v))
		return "-";
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return grouped(buf);
}

/* Seconds in the unit that keeps 3 significant digits: "2.57 ms", "33.6 µs", "322 ms". */
static const char *f_time(double s)
{
	static const char *const units[] = { "s", "ms", "µs", "ns" };
	char *out = ring();
	int u = 0;

	if (!isfinite(s))
		return "-";
	while (u < 3 && fabs(s) < 1 && s != 0) {
		s *= 1000;
		u++;
	}
	snprintf(out, 96, fabs(s) >= 100 ? "%.0f %s" : fabs(s) >= 10 ? "%.1f %s" : "%.2f %s", s,
		 units[u]);
	return out;
}

static const char *f_ns(double ns)
{
	char *out = ring();

	snprintf(out, 96, "%s ns", f_fix(ns, 1));
	return isfinite(ns) ? out : "-";
}

/* A ratio: "2.81", "12.9", "153". */
static const char *f_ratio(double r)
{
	return f_fix(r, r < 10 ? 2 : r < 100 ? 1 : 0);
}

static const char *f_gib(uint64_t b)
{
	char *out = ring();

	snprintf(out, 96, "%.1f GiB", (double)b / (1024.0 * 1024 * 1024));
	return out;
}

/* "a", "a and b", "a, b and c", at most MAX_LIST names then "and N more". */
static void join_names(struct rdoc_buf *b, const char *const *names, size_t n)
{
	size_t shown = n > MAX_LIST ? MAX_LIST : n;

	for (size_t i = 0; i < shown; i++)
		rdoc_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
	if (shown < n)
		rdoc_buf_printf(b, " and %zu more", n - shown);
}

/* --- reading the run -------------------------------------------------------------------------- */

/* Split line (modified in place) at commas into f[cap]; "..." fields may hold commas. */
static size_t split_csv(char *line, char **f, size_t cap)
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

static int col_index(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* The registry position of impl, or past the registry by first appearance. */
static void note_impl(struct report *r, const char *impl)
{
	for (size_t i = 0; i < r->n_impls; i++)
		if (strcmp(r->impls[i], impl) == 0)
			return;
	if (r->n_impls < MAX_IMPLS)
		snprintf(r->impls[r->n_impls++], sizeof(r->impls[0]), "%s", impl);
}

static size_t registry_rank(const char *impl, size_t fallback)
{
	for (size_t i = 0; i < rt_registry_count; i++)
		if (strcmp(rt_registry[i]->name, impl) == 0)
			return i;
	return rt_registry_count + fallback;
}

static void order_impls(struct report *r)
{
	size_t rank[MAX_IMPLS];

	for (size_t i = 0; i < r->n_impls; i++)
		rank[i] = registry_rank(r->impls[i], i);
	for (size_t i = 1; i < r->n_impls; i++)
		for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			char tmp[32];
			size_t t = rank[j];

			memcpy(tmp, r->impls[j], sizeof(tmp));
			memcpy(r->impls[j], r->impls[j - 1], sizeof(tmp));
			memcpy(r->impls[j - 1], tmp, sizeof(tmp));
			rank[j] = rank[j - 1];
			rank[j - 1] = t;
		}
}

/*
 * Read dir/cells.csv with the cell reader (cell.h). A header that differs from this build's
 * (an older or newer run) is mapped by column name: missing columns read as not measured.
 * The stream_points column is kept aside by name, so this file depends on no field of it.
 */
static int load_cells(struct report *r)
{
	char path[4200], *line = NULL, *hdr = NULL, *names[MAX_FIELDS];
	char want[BENCH_ROW_MAX];
	int map[MAX_FIELDS], same, sp;
	size_t cap = 0, hcap = 0, nnames, ncols = 0;
	const char *name;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/cells.csv", r->dir);
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		fprintf(stderr, "routebench report: %s: %s\n", path, strerror(errno));
		return rc;
	}
	if (getline(&hdr, &hcap, f) < 0) {
		fprintf(stderr, "routebench report: %s: empty file\n", path);
		free(hdr);
		fclose(f);
		return -EINVAL;
	}
	bench_cell_header(want, sizeof(want));
	same = strcmp(hdr, want) == 0;
	nnames = split_csv(hdr, names, MAX_FIELDS);
	sp = col_index(names, nnames, "stream_points");
	for (; (name = bench_column_name(ncols, NULL)) && ncols < MAX_FIELDS; ncols++) {
		size_t used = strlen(r->missing_cols);

		map[ncols] = col_index(names, nnames, name);
		if (map[ncols] < 0 && used + strlen(name) + 5 < sizeof(r->missing_cols))
			used += (size_t)snprintf(r->missing_cols + used,
						 sizeof(r->missing_cols) - used, "%s`%s`",
						 used ? ", " : "", name);
		r->n_missing += map[ncols] < 0;
	}
	if (col_index(names, nnames, "impl") < 0 || col_index(names, nnames, "status") < 0) {
		fprintf(stderr, "routebench report: %s: not a cells.csv (no impl or status "
				"column)\n", path);
		rc = -EINVAL;
	}
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		char row[BENCH_ROW_MAX * 2], copy[BENCH_ROW_MAX * 2], *fields[MAX_FIELDS];
		struct bench_cell c, *grown;
		char **points;
		size_t len = 0, nf;

		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		snprintf(copy, sizeof(copy), "%s", line);
		nf = split_csv(copy, fields, MAX_FIELDS);
		if (same)
			len = (size_t)snprintf(row, sizeof(row), "%s", line);
		else
			for (size_t i = 0; i < ncols && len < sizeof(row); i++)
				len += (size_t)snprintf(row + len, sizeof(row) - len, "%s%s",
							i ? "," : "",
							map[i] >= 0 && (size_t)map[i] < nf
								? fields[map[i]] : "");
		if (nf != nnames || len >= sizeof(row) || bench_cell_parse(row, &c) != 0) {
			r->bad_rows++;
			continue;
		}
		grown = realloc(r->rows, (r->n + 1) * sizeof(*grown));
		if (grown)
			r->rows = grown;
		points = realloc(r->points, (r->n + 1) * sizeof(*points));
		if (points)
			r->points = points;
		if (!grown || !points) {
			rc = -ENOMEM;
			break;
		}
		r->points[r->n] = sp >= 0 && *fields[sp] ? strdup(fields[sp]) : NULL;
		r->rows[r->n++] = c;
		if (r->n == 1)
			snprintf(r->alloc, sizeof(r->alloc), "%s", c.allocator);
		r->have_active |= c.heap_active_bytes != BENCH_UNMEASURED ||
				  c.heap_resident_bytes != BENCH_UNMEASURED;
		note_impl(r, c.impl);
	}
	free(line);
	free(hdr);
	fclose(f);
	order_impls(r);
	return rc;
}

/* The whole of a small text file, or NULL. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *g = realloc(s, cap = cap ? 2 * cap : 8192);

			if (!g || cap > (64u << 20)) {
				free(g ? g : s);
				fclose(f);
				return NULL;
			}
			s = g;
		}
		got = fread(s + len, 1, 4096, f);
		len += got;
		if (got < 4096)
			break;
	}
	s[len] = '\0';
	fclose(f);
	return s;
}

/*
 * meta.json's value for key: the first "key" (not inside a string escape) followed by ':'.
 * Strings are unescaped (\uXXXX beyond ASCII becomes '?'), numbers and true/false as written;
 * null, objects and arrays count as absent. Nesting is ignored, so a key must be unique in the
 * file to be found reliably: true of the machine, build and library fields read here.
 */
static int meta_get(const char *json, const char *key, char *buf, size_t cap)
{
	char pat[80];
	const char *p = json;
	size_t o = 0;

	if (!json)
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	for (; (p = strstr(p, pat)); p++) {
		const char *v = p + strlen(pat);

		if (p > json && p[-1] == '\\')
			continue;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v != ':')
			continue;
		v++;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v == '"') {
			for (v++; *v && *v != '"' && o + 1 < cap; v++) {
				char c = *v;

				if (c == '\\' && v[1]) {
					v++;
					c = *v == 'n' ? ' ' : *v == 't' ? ' ' : *v;
					if (*v == 'u') {
						char hex[5] = { v[1], v[2], v[3], v[4], 0 };
						unsigned long u = strtoul(hex, NULL, 16);

						c = u >= 0x20 && u < 0x80 ? (char)u : '?';
						v += v[1] && v[2] && v[3] && v[4] ? 4 : 0;
					}
				}
				buf[o++] = c;
			}
			buf[o] = '\0';
			return 0;
		}
		if (*v == '{' || *v == '[' || strncmp(v, "null", 4) == 0)
			return -1;
		while (*v && *v != ',' && *v != '}' && *v != ']' && *v != '\n' && o + 1 < cap)
			buf[o++] = *v++;
		while (o > 0 && buf[o - 1] == ' ')
			o--;
		buf[o] = '\0';
		return 0;
	}
	return -1;
}

/* dir's parent folder joined with name: "results/latest" + "latest-micro". */
static void beside(const char *dir, const char *name, char *out, size_t cap)
{
	const char *slash = strrchr(dir, '/');

	if (slash && slash[1] == '\0') {
		char trimmed[4096];

		snprintf(trimmed, sizeof(trimmed), "%.*s", (int)(slash - dir), dir);
		beside(trimmed, name, out, cap);
		return;
	}
	if (!slash)
		snprintf(out, cap, "%s", name);
	else
		snprintf(out, cap, "%.*s/%s", (int)(slash - dir), dir, name);
}

static void load_micro(struct report *r)
{
	char path[4200], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS], *hdr = NULL;
	size_t cap = 0, hcap = 0, nn;
	int ci, cb, cm, co;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/micro-fit.csv", r->micro_dir);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(r->micro_why, sizeof(r->micro_why), "%s", strerror(errno));
		return;
	}
	if (getline(&hdr, &hcap, fp) < 0) {
		snprintf(r->micro_why, sizeof(r->micro_why), "an empty micro-fit.csv");
		goto out;
	}
	nn = split_csv(hdr, names, MAX_FIELDS);
	ci = col_index(names, nn, "impl");
	cb = col_index(names, nn, "bench");
	cm = col_index(names, nn, "mode");
	co = col_index(names, nn, "big_o");
	if (ci < 0 || cb < 0 || cm < 0 || co < 0) {
		snprintf(r->micro_why, sizeof(r->micro_why),
			 "micro-fit.csv lacks impl, bench, mode or big_o");
		goto out;
	}
	while (getline(&line, &cap, fp) >= 0) {
		size_t n = split_csv(line, f, MAX_FIELDS);
		struct micro_fit *g;

		if (n != nn)
			continue;
		g = realloc(r->fits, (r->n_fits + 1) * sizeof(*g));
		if (!g)
			break;
		r->fits = g;
		g = &r->fits[r->n_fits++];
		snprintf(g->impl, sizeof(g->impl), "%s", f[ci]);
		snprintf(g->bench, sizeof(g->bench), "%s", f[cb]);
		snprintf(g->mode, sizeof(g->mode), "%s", f[cm]);
		snprintf(g->big_o, sizeof(g->big_o), "%s", f[co]);
	}
	r->have_micro = r->n_fits > 0;
	if (!r->have_micro)
		snprintf(r->micro_why, sizeof(r->micro_why), "micro-fit.csv holds no fit");
out:
	free(line);
	free(hdr);
	fclose(fp);
}

static double num_field(char **f, size_t n, int i)
{
	return i >= 0 && (size_t)i < n && *f[i] ? strtod(f[i], NULL) : NAN;
}

static void load_massif(struct report *r)
{
	static const char *const want[] = { "impl", "n_routes", "massif_peak_heap",
					    "massif_built_heap", "massif_built_extra",
					    "baseline_heap", "baseline_extra", "heap_bytes",
					    "struct_bytes" };
	char path[4200], *line = NULL, *f[MAX_FIELDS], *names[MAX_FIELDS], *hdr = NULL;
	int c[sizeof(want) / sizeof(want[0])];
	size_t cap = 0, hcap = 0, nn;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/massif.csv", r->massif_dir);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(r->massif_why, sizeof(r->massif_why), "%s", strerror(errno));
		return;
	}
	if (getline(&hdr, &hcap, fp) < 0)
		goto out;
	nn = split_csv(hdr, names, MAX_FIELDS);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if ((c[i] = col_index(names, nn, want[i])) < 0) {
			snprintf(r->massif_why, sizeof(r->massif_why), "massif.csv lacks %s",
				 want[i]);
			goto out;
		}
	while (getline(&line, &cap, fp) >= 0) {
		size_t n = split_csv(line, f, MAX_FIELDS);
		struct massif_row *m;

		if (n < 2)
			continue;
		m = realloc(r->massif, (r->n_massif + 1) * sizeof(*m));
		if (!m)
			break;
		r->massif = m;
		m = &r->massif[r->n_massif++];
		snprintf(m->impl, sizeof(m->impl), "%s", f[c[0]]);
		m->n_routes = strtoull(f[c[1]], NULL, 10);
		m->peak = num_field(f, n, c[2]);
		m->built = num_field(f, n, c[3]);
		m->extra = num_field(f, n, c[4]);
		m->base = num_field(f, n, c[5]);
		m->base_extra = num_field(f, n, c[6]);
		m->heap_bytes = num_field(f, n, c[7]);
		m->struct_bytes = num_field(f, n, c[8]);
		m->ok = isfinite(m->peak);
		m->have_built = m->ok && isfinite(m->built);
	}
	r->have_massif = r->n_massif > 0;
out:
	if (!r->have_massif && !r->massif_why[0])
		snprintf(r->massif_why, sizeof(r->massif_why), "massif.csv holds no row");
	free(line);
	free(hdr);
	fclose(fp);
}

/* --- charts ----------------------------------------------------------------------------------- */

/* The path of target relative to the folder from (both resolved), into out; else target. */
static void relative_to(const char *from, const char *target, char *out, size_t cap)
{
	char a[PATH_MAX], b[PATH_MAX];
	size_t common = 0, ups = 0, la;

	if (!realpath(from, a) || !realpath(target, b)) {
		snprintf(out, cap, "%s", target);
		return;
	}
	la = strlen(a);
	if (strncmp(a, b, la) == 0 && b[la] == '/') {
		common = la + 1; /* target inside from */
	} else {
		for (size_t i = 0; a[i] && a[i] == b[i]; i++)
			if (a[i] == '/')
				common = i + 1;
		ups = 1; /* from's components after the common folder, each a "../" */
		for (const char *s = a + common; *s; s++)
			ups += *s == '/';
	}
	out[0] = '\0';
	for (size_t i = 0; i < ups; i++)
		snprintf(out + strlen(out), cap - strlen(out), "../");
	snprintf(out + strlen(out), cap - strlen(out), "%s", b + common);
}

/* A chart of folder dir (name.png linked, name.svg inlined), whichever of the two exists. */
static void chart(struct report *r, const char *dir, const char *name, const char *caption)
{
	char png[4300], svg[4300], link[4300];

	snprintf(png, sizeof(png), "%s/%s.png", dir, name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", dir, name);
	if (strcmp(dir, r->dir) == 0)
		snprintf(link, sizeof(link), "%s.png", name);
	else
		relative_to(r->dir, png, link, sizeof(link));
	rdoc_chart(&r->doc, name, access(png, R_OK) == 0 ? link : NULL,
		   access(svg, R_OK) == 0 ? svg : NULL, caption);
}

/* --- the sections ----------------------------------------------------------------------------- */

static int is_index(const char *impl)
{
	return strcmp(impl, "linear") != 0 && strcmp(impl, LESSON_STREAM) != 0;
}

static const char *summary_of(const char *impl)
{
	const struct route_table_ops *ops = rt_find(impl);

	return ops ? ops->summary : "(not in this build's registry)";
}

static int any_ok(const struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->rows[i].status == BENCH_OK)
			return 1;
	return 0;
}

static void section_intro(struct report *r)
{
	size_t counts[BENCH_N_STATUS] = { 0 };
	struct rdoc_buf b = { 0 };
	char real[PATH_MAX];
	const char *base = r->dir;

	if (realpath(r->dir, real))
		base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	for (size_t i = 0; i < r->n; i++)
		counts[r->rows[i].status]++;
	rdoc_heading(&r->doc, 1, "What run %s teaches", base);
	rdoc_buf_printf(&b, "Generated by `routebench report` from this run's `cells.csv` (");
	if (!r->n)
		rdoc_buf_printf(&b, "no rows");
	else
		rdoc_buf_printf(&b, "%zu rows:", r->n);
	for (int s = 0, first = 1; s < BENCH_N_STATUS; s++)
		if (counts[s]) {
			rdoc_buf_printf(&b, "%s %zu %s", first ? "" : ",", counts[s],
					bench_status_name(s));
			first = 0;
		}
	rdoc_buf_printf(&b, ")%s. Every figure and every sentence below is computed from %s, "
			    "and from the micro and massif runs where named",
			r->meta ? " and `meta.json`" : "", r->meta ? "those files" : "it");
	if (counts[BENCH_OK])
		rdoc_buf_printf(&b, "; the timing lessons use one-carrier `ok` rows under %s, "
				    "the allocator every implementation ran under.",
				r->alloc);
	else
		rdoc_buf_printf(&b, ". **No cell of this run ran ok**, so it has no lesson to "
				    "teach yet.");
	if (r->bad_rows)
		rdoc_buf_printf(&b, " %zu rows of cells.csv could not be read and are left out.",
				r->bad_rows);
	if (r->missing_cols[0])
		rdoc_buf_printf(&b, " This cells.csv lacks the column%s %s (a run from another "
				    "version): those figures read as not measured.",
				r->n_missing == 1 ? "" : "s", r->missing_cols);
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
}

static void section_machine(struct report *r)
{
	static const struct {
		const char *label, *key;
	} rows[] = {
		{ "CPU", "cpu_model" },   { "cores", "cores" },
		{ "memory", "mem_total_bytes" }, { "kernel", "kernel" },
		{ "compiler", "compiler" }, { "flags", "c_flags" },
		{ "build type", "build_type" }, { "commit", "git_commit" },
		{ "glibc", "glibc" },     { "jemalloc", "libjemalloc2_package" },
		{ "started", "started" }, { "finished", "finished" },
		{ "command", "command" },
	};

	rdoc_heading(&r->doc, 2, "The machine");
	if (!r->meta) {
		rdoc_para(&r->doc, "This run has no readable `meta.json`: the machine, the build "
				   "and the date are unknown, so these figures cannot be compared "
				   "with another machine's.");
		return;
	}
	rdoc_table(&r->doc, "what|value");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char v[2048], dirty[16];

		if (meta_get(r->meta, rows[i].key, v, sizeof(v)) != 0 || !v[0])
			snprintf(v, sizeof(v), "not recorded");
		else if (strcmp(rows[i].key, "mem_total_bytes") == 0)
			snprintf(v, sizeof(v), "%s", f_gib(strtoull(v, NULL, 10)));
		else if (strcmp(rows[i].key, "git_commit") == 0 &&
			 meta_get(r->meta, "git_dirty", dirty, sizeof(dirty)) == 0 &&
			 strcmp(dirty, "true") == 0)
			snprintf(v + strlen(v), sizeof(v) - strlen(v),
				 " (with uncommitted changes)");
		rdoc_cell(&r->doc, "%s", rows[i].label);
		rdoc_cell(&r->doc, strcmp(rows[i].key, "command") == 0 ? "`%s`" : "%s", v);
	}
}

/* The fit of impl's family (bench, mode), or NULL. */
static const struct micro_fit *fit_of(const struct report *r, const char *impl,
				      const char *bench, const char *mode)
{
	for (size_t i = 0; i < r->n_fits; i++)
		if (strcmp(r->fits[i].impl, impl) == 0 && strcmp(r->fits[i].bench, bench) == 0 &&
		    strcmp(r->fits[i].mode, mode) == 0)
			return &r->fits[i];
	return NULL;
}

static const char *const lookup_modes[] = { "hit", "miss", "mixed" };

/*
 * The verdict on one family of impl: lookup (mode hit, miss or mixed) or build (mode ""), and
 * "lookup/miss fitted N, claimed O(L)" into what when it is flagged. LESSON_UNKNOWN without a fit.
 */
static enum lesson_verdict family_verdict(const struct report *r,
					  const struct route_table_ops *ops, const char *bench,
					  const char *mode, char *fit, size_t fcap, char *what,
					  size_t wcap)
{
	const struct micro_fit *g = fit_of(r, ops->name, bench, mode);
	struct lesson_order claimed, got;
	enum lesson_verdict v;
	char clause[96];

	snprintf(fit, fcap, "%s", g ? g->big_o : "no fit");
	what[0] = '\0';
	if (!g)
		return LESSON_UNKNOWN;
	if (lesson_claimed_order(ops->complexity, bench, &claimed) != 0)
		claimed.deg = -1;
	if (lesson_fitted_order(g->big_o, &got) != 0)
		got.deg = -1;
	v = lesson_verdict(&claimed, &got);
	if (lesson_claim_clause(ops->complexity, bench, clause, sizeof(clause)) != 0)
		snprintf(clause, sizeof(clause), "nothing");
	if (v == LESSON_FLAG)
		snprintf(what, wcap, "%s%s%s fitted %s, claimed %s", bench, *mode ? "/" : "", mode,
			 g->big_o, clause);
	return v;
}

static void section_impls(struct report *r)
{
	const char *cached[MAX_IMPLS];
	size_t nf = 0, nc = 0, nfit = 0;
	struct rdoc_buf flags = { 0 }, b = { 0 };

	rdoc_heading(&r->doc, 2, "The implementations: claimed and fitted complexity");
	if (!r->have_micro) {
		rdoc_para(&r->doc, "**No Google Benchmark run was found** in `%s` (%s), so the "
				   "fitted complexities are not shown: `make micro` writes one "
				   "(results/latest-micro), or pass `--micro DIR`. The claims, as "
				   "each implementation states them:",
			  r->micro_dir, r->micro_why);
		rdoc_table(&r->doc, "impl|what it is|claimed (n routes, L digits)");
		for (size_t i = 0; i < rt_registry_count; i++) {
			rdoc_cell(&r->doc, "%s", rt_registry[i]->name);
			rdoc_cell(&r->doc, "%s", rt_registry[i]->summary);
			rdoc_cell(&r->doc, "%s", rt_registry[i]->complexity);
		}
		return;
	}
	rdoc_table(&r->doc, "impl|claimed (n routes, L digits)|fitted lookup: hit, miss, mixed|"
			    "fitted build|verdict");
	for (size_t i = 0; i < rt_registry_count; i++) {
		const struct route_table_ops *ops = rt_registry[i];
		struct rdoc_buf fits = { 0 }, verdict = { 0 };
		enum lesson_verdict worst = LESSON_AGREES;
		char build_fit[32] = "";
		int any = 0;

		for (size_t m = 0; m < 4; m++) {
			char fit[32], what[160];
			enum lesson_verdict v = family_verdict(
				r, ops, m < 3 ? "lookup" : "build", m < 3 ? lookup_modes[m] : "",
				fit, sizeof(fit), what, sizeof(what));

			if (m < 3)
				rdoc_buf_printf(&fits, "%s%s", m ? ", " : "", fit);
			else
				snprintf(build_fit, sizeof(build_fit), "%s", fit);
			any |= v != LESSON_UNKNOWN;
			if (v == LESSON_FLAG) {
				rdoc_buf_printf(&verdict, "%s%s", verdict.len ? "; " : "", what);
				worst = LESSON_FLAG;
			} else if (v == LESSON_CACHE && worst == LESSON_AGREES) {
				worst = LESSON_CACHE;
			}
		}
		rdoc_cell(&r->doc, "%s", ops->name);
		rdoc_cell(&r->doc, "%s", ops->complexity);
		rdoc_cell(&r->doc, "%s", fits.s ? fits.s : "no fit");
		rdoc_cell(&r->doc, "%s", build_fit);
		if (!any)
			rdoc_cell(&r->doc, "not in the micro run");
		else if (worst == LESSON_FLAG)
			rdoc_cell(&r->doc, "**flag**: %s", verdict.s);
		else if (worst == LESSON_CACHE)
			rdoc_cell(&r->doc, "agrees (≈: lookup grows like lg n)");
		else
			rdoc_cell(&r->doc, "agrees");
		if (any) {
			nfit++;
			if (worst == LESSON_FLAG) {
				nf++;
				rdoc_buf_printf(&flags, "%s%s (%s)", flags.len ? "; " : "",
						ops->name, verdict.s);
			} else if (worst == LESSON_CACHE) {
				cached[nc++] = ops->name;
			}
		}
		rdoc_buf_free(&fits);
		rdoc_buf_free(&verdict);
	}
	rdoc_buf_printf(&b, "The fits come from `%s/micro-fit.csv`. ", r->micro_dir);
	if (!nfit) {
		rdoc_buf_printf(&b, "It fits none of this build's implementations.");
	} else {
		rdoc_buf_printf(&b, "Of the %zu implementations it fits, **%zu agree with their "
				    "claims** in every family (hit, miss and mixed lookups, build)",
				nfit, nfit - nf);
		if (nc) {
			rdoc_buf_printf(&b, ", %zu of them with lookups claimed constant in n that "
					    "grow like lg n (marked ≈: ",
					nc);
			join_names(&b, cached, nc);
			rdoc_buf_printf(&b, ")");
		}
		if (nf)
			rdoc_buf_printf(&b, ". **%zu %s flagged**, the power of n fitted differing "
					    "from the one claimed: %s.",
					nf, nf == 1 ? "is" : "are", flags.s);
		else
			rdoc_buf_printf(&b, ". None is flagged.");
	}
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: a claim and a fit are each reduced to a power of n, log factors "
			   "aside: O(L), O(1), a fixed count of loads and lgN are n^0; O(n), "
			   "O(n L), O(n log n), N and NlgN are n^1. A family whose fitted power "
			   "differs from the claimed one is flagged: a lookup claimed O(L) that "
			   "fits N, or one claimed O(n) that fits lgN. A claim constant in n that "
			   "fits lgN is marked ≈, not flagged: three or four sizes cannot tell N "
			   "from NlgN, nor a constant from lgN, reliably.");
	if (nc)
		rdoc_note(&r->doc, "Why an O(L) lookup grows with n: O(L) counts the steps, one "
				   "per digit, not what each step costs. Each step of a pointer "
				   "trie is a dependent load from a node somewhere in the heap; a "
				   "small table's nodes all sit in the CPU caches, a large one's "
				   "do "
				   "not, so each step waits longer for memory as n grows, and the "
				   "fit sees lg n. Compact layouts (arrays, breadth-first nodes) "
				   "grow less for the same reason.");
	chart(r, r->micro_dir, "micro", "Google Benchmark: time per lookup and per build against "
					"routes, with each fitted big-O (dashed)");
	rdoc_buf_free(&b);
	rdoc_buf_free(&flags);
}

/* Sizes with a usable row of impl, ascending, into out[cap]; returns how many. */
static size_t sizes_of(const struct report *r, const char *impl, uint64_t *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++) {
		size_t j;

		if (!lesson_usable(&r->rows[i], impl, r->alloc, 1))
			continue;
		for (j = 0; j < k && out[j] != r->rows[i].n_routes; j++)
			;
		if (j < k || k == cap)
			continue;
		out[k++] = r->rows[i].n_routes;
		for (j = k - 1; j > 0 && out[j - 1] > out[j]; j--) {
			uint64_t t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	return k;
}

/* "1,000, 10,000 and 100,000 routes" */
static void join_sizes(struct rdoc_buf *b, const uint64_t *sizes, size_t n)
{
	const char *names[64];

	for (size_t i = 0; i < n && i < 64; i++)
		names[i] = f_count(sizes[i]);
	join_names(b, names, n < 64 ? n : 64);
	rdoc_buf_printf(b, " routes");
}

static void lesson_one_number(struct report *r)
{
	uint64_t sizes[64], won[64], lost[64];
	size_t ns = sizes_of(r, "linear", sizes, 64), nw = 0, nl = 0, nparse = 0;
	const struct bench_cell *lin = NULL, *best = NULL, *cheap = NULL;
	double parse = NAN;
	struct rdoc_buf b = { 0 };

	rdoc_heading(&r->doc, 2, "Lesson 1: one number to price: scan, or build an index?");
	chart(r, r->dir, "build_time", "build time against routes: what an index costs before "
				       "its first answer");
	for (size_t s = 0; s < ns; s++) {
		const struct bench_cell *l = lesson_find(r->rows, r->n, "linear", r->alloc,
							 sizes[s], 1);
		const struct bench_cell *q = NULL, *c1 = NULL;
		size_t np;
		double p = lesson_median_parse_s(r->rows, r->n, r->alloc, sizes[s], &np);
		double tl = lesson_shared_total_s(l, p, 1), tb;

		for (size_t i = 0; i < r->n; i++) {
			const struct bench_cell *c = &r->rows[i];

			if (!lesson_usable(c, NULL, r->alloc, 1) || c->n_routes != sizes[s] ||
			    !is_index(c->impl))
				continue;
			if (!q || lesson_shared_total_s(c, p, 1) < lesson_shared_total_s(q, p, 1))
				q = c;
			if (!c1 || c->build_s < c1->build_s)
				c1 = c;
		}
		if (!q)
			continue;
		if (!lin)
			rdoc_table(&r->doc, ">routes|>parse (median)|>the scan: + copy + 1 "
					    "scan|quickest index|>+ build + 1 lookup|faster at "
					    "q = 1|>by");
		tb = lesson_shared_total_s(q, p, 1);
		rdoc_cell(&r->doc, "%s", f_count(sizes[s]));
		rdoc_cell(&r->doc, "%s", f_time(p));
		rdoc_cell(&r->doc, "%s", f_time(tl));
		rdoc_cell(&r->doc, "%s", q->impl);
		rdoc_cell(&r->doc, "%s", f_time(tb));
		rdoc_cell(&r->doc, "%s", tl < tb ? "the scan" : q->impl);
		rdoc_cell(&r->doc, "%s×", f_ratio(tl < tb ? tb / tl : tl / tb));
		if (tl < tb)
			won[nw++] = sizes[s];
		else
			lost[nl++] = sizes[s];
		lin = l;
		best = q;
		cheap = c1;
		parse = p;
		nparse = np;
	}
	if (!lin) {
		rdoc_para(&r->doc, "This run has no one-carrier `ok` row of `linear` with an index "
				   "measured at the same size: nothing to compare.");
		return;
	}
	rdoc_buf_printf(&b, "With one number to price (q = 1), ");
	if (!nl && nw == 1)
		rdoc_buf_printf(&b, "**the linear scan beats every index** at the one size "
				    "measured, %s routes. ", f_count(won[0]));
	else if (!nl)
		rdoc_buf_printf(&b, "**the linear scan beats every index at all %zu sizes "
				    "measured**, from %s to %s routes. ",
				nw, f_count(won[0]), f_count(won[nw - 1]));
	else if (!nw)
		rdoc_buf_printf(&b, "**an index beats the linear scan at %s size measured**. ",
				nl == 1 ? "the one" : "every");
	else {
		rdoc_buf_printf(&b, "**the linear scan beats every index at ");
		join_sizes(&b, won, nw);
		rdoc_buf_printf(&b, ", but not at ");
		join_sizes(&b, lost, nl);
		rdoc_buf_printf(&b, "**. ");
	}
	{
		double tl = lesson_shared_total_s(lin, parse, 1);
		double tb = lesson_shared_total_s(best, parse, 1);
		double extra = cheap->build_s - lin->build_s;

		rdoc_buf_printf(&b, "At %s routes, parsing the routes takes %s whatever comes next "
				    "(the median of the %zu cells of that size); the scan then "
				    "copies them into its array in %s and answers in %s, %s in "
				    "all, while the quickest index, %s, needs a %s build and a %s "
				    "lookup, %s in all: %s is %s times faster. ",
				f_count(lin->n_routes), f_time(parse), nparse, f_time(lin->build_s),
				f_time(lin->lookup_ns * 1e-9), f_time(tl), best->impl,
				f_time(best->build_s), f_time(best->lookup_ns * 1e-9), f_time(tb),
				tl < tb ? "the scan" : best->impl,
				f_ratio(tl < tb ? tb / tl : tl / tb));
		if (extra > 0)
			rdoc_buf_printf(&b, "The cheapest build there, %s's %s, costs %s more than "
					    "the scan's copy: as much as %s scans of %s each.",
					cheap->impl, f_time(cheap->build_s), f_time(extra),
					f_ratio(extra / (lin->lookup_ns * 1e-9)),
					f_time(lin->lookup_ns * 1e-9));
		else
			rdoc_buf_printf(&b, "The cheapest build there, %s's %s, costs no more "
					    "than the scan's own copy of the routes (%s): with "
					    "faster lookups, such an index is ahead from the first "
					    "number.",
					cheap->impl, f_time(cheap->build_s),
					f_time(lin->build_s));
	}
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: at q = 1, every structure costs parse + build + q × lookup, "
			   "the scan's build being its copy of the routes into an array (as the "
			   "crossover chart counts it). Parsing is the same work for all, so one "
			   "figure stands for it: the median parse time of the size's one-carrier "
			   "cells (each cell's own differs by noise, and the first cell of a size "
			   "may read the file cold). Builds and lookups come from each "
			   "implementation's own cell.");
	rdoc_buf_free(&b);
}

static void lesson_crossover_section(struct report *r)
{
	static const uint64_t scenario_q[] = { 1, 1000, 10000 };
	uint64_t nstar = lesson_cross_size(r->rows, r->n);
	const struct bench_cell *lin = lesson_find(r->rows, r->n, "linear", r->alloc, nstar, 1);
	const struct bench_cell *first = NULL, *last = NULL;
	struct lesson_cross cf = { 0 }, cl = { 0 };
	const char *never[MAX_IMPLS];
	size_t nnever = 0, nidx = 0, wins[3] = { 0 };
	struct rdoc_buf b = { 0 };

	rdoc_heading(&r->doc, 2, "Lesson 2: when does building an index pay off?");
	chart(r, r->dir, "crossover", "end to end, parse + build + q lookups against q, one "
				      "carrier: where a line crosses the scan's, that index has "
				      "paid for itself");
	if (!lin) {
		rdoc_para(&r->doc, "This run has no one-carrier `ok` row of `linear` under %s at "
				   "the crossover chart's size%s%s: no crossover to compute.",
			  r->alloc, nstar ? " " : "", nstar ? f_count(nstar) : "");
		return;
	}
	rdoc_table(&r->doc, "impl|>build|>lookup|pays off|1 number|1,000 numbers|10,000 numbers");
	rdoc_cell(&r->doc, "linear (the scan: its copy)");
	rdoc_cell(&r->doc, "%s", f_time(lin->build_s));
	rdoc_cell(&r->doc, "%s", f_ns(lin->lookup_ns));
	for (size_t k = 0; k < 4; k++)
		rdoc_cell(&r->doc, "-");
	for (size_t i = 0; i < r->n_impls; i++) {
		const struct bench_cell *c;
		struct lesson_cross x;

		if (!is_index(r->impls[i]))
			continue;
		c = lesson_find(r->rows, r->n, r->impls[i], r->alloc, nstar, 1);
		if (!c)
			continue;
		nidx++;
		lesson_crossover(lin, c, &x);
		rdoc_cell(&r->doc, "%s", c->impl);
		rdoc_cell(&r->doc, "%s", f_time(c->build_s));
		rdoc_cell(&r->doc, "%s", f_ns(c->lookup_ns));
		if (x.kind == LESSON_CROSS_FROM)
			rdoc_cell(&r->doc, "from %s numbers", f_count(x.first_q));
		else if (x.kind == LESSON_CROSS_ALWAYS)
			rdoc_cell(&r->doc, "from the first number");
		else
			rdoc_cell(&r->doc, "never: lookups no faster");
		for (size_t k = 0; k < 3; k++) {
			int w = lesson_cross_wins(&x, scenario_q[k]);

			wins[k] += (size_t)w;
			rdoc_cell(&r->doc, "%s", w ? "index" : "scan");
		}
		if (x.kind == LESSON_CROSS_NEVER) {
			never[nnever++] = c->impl;
			continue;
		}
		if (!first || x.first_q < cf.first_q) {
			first = c;
			cf = x;
		}
		if (x.kind == LESSON_CROSS_FROM && (!last || x.first_q > cl.first_q)) {
			last = c;
			cl = x;
		}
	}
	if (!first)
		rdoc_buf_printf(&b, "At %s routes (the size the crossover chart uses), **no index "
				    "ever pays off**: none looks up faster than the scan's %s per "
				    "number. ",
				f_count(nstar), f_ns(lin->lookup_ns));
	else if (cf.kind == LESSON_CROSS_ALWAYS)
		rdoc_buf_printf(&b, "At %s routes (the size the crossover chart uses), **%s wins "
				    "from the very first number**: its build (%s) is no slower "
				    "than the scan's copy of the routes (%s) and each lookup is "
				    "faster (%s against %s). ",
				f_count(nstar), first->impl, f_time(first->build_s),
				f_time(lin->build_s), f_ns(first->lookup_ns),
				f_ns(lin->lookup_ns));
	else
		rdoc_buf_printf(&b, "At %s routes (the size the crossover chart uses), the first "
				    "index to pay for its build is %s: **from %s numbers on**, its "
				    "%s build plus %s per lookup cost less than the scan's %s copy "
				    "plus %s per number. ",
				f_count(nstar), first->impl, f_count(cf.first_q),
				f_time(first->build_s), f_ns(first->lookup_ns),
				f_time(lin->build_s), f_ns(lin->lookup_ns));
	if (last && last != first)
		rdoc_buf_printf(&b, "The last to pay off is %s, after %s numbers. ", last->impl,
				f_count(cl.first_q));
	if (nnever) {
		rdoc_buf_printf(&b, "%zu never %s, %s lookups being no faster than a scan: ",
				nnever, nnever == 1 ? "does" : "do", nnever == 1 ? "its" : "their");
		join_names(&b, never, nnever);
		rdoc_buf_printf(&b, ". ");
	}
	rdoc_buf_printf(&b, "For the course's scenarios: with one number %zu of the %zu indexes "
			    "beat the scan, with 1,000 numbers %zu do, with 10,000 numbers %zu.",
			wins[0], nidx, wins[1], wins[2]);
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: every structure costs parse + build + q × lookup, the scan's "
			   "build being its copy of the routes into an array, at the crossover "
			   "chart's size (the largest where the stream strategy and an index both "
			   "ran with one carrier, else the largest). Parsing is the same work for "
			   "all and cancels (the chart draws each cell's own parse time, so its "
			   "crossings may differ by that noise). An index pays off from the first "
			   "whole q at which it is cheaper: (its build - the scan's copy) / (the "
			   "scan's lookup - its lookup), rounded down, plus one. Lesson 1 is this "
			   "rule at q = 1.");
	rdoc_buf_free(&b);
}

/* Bytes per route of a row, from struct_bytes (the exact figure). */
static double bpr(const struct bench_cell *c)
{
	double routes = (double)c->n_routes * (double)c->n_carriers;

	return routes > 0 ? (double)c->struct_bytes / routes : NAN;
}

/* The largest size where both a and b have a usable row, or 0. */
static uint64_t common_size(const struct report *r, const char *a, const char *b)
{
	uint64_t best = 0;

	for (size_t i = 0; i < r->n; i++)
		if (lesson_usable(&r->rows[i], a, r->alloc, 1) && r->rows[i].n_routes > best &&
		    lesson_find(r->rows, r->n, b, r->alloc, r->rows[i].n_routes, 1))
			best = r->rows[i].n_routes;
	return best;
}

static void lesson_ladder(struct report *r)
{
	static const char *const ladder[] = { "trie",     "maptrie",     "lazyrawtrie",
					      "lazytrie", "arenatrie",   "compacttrie",
					      "dirtable", "louds" };
	const char *steps[16];
	size_t ns = 0, best = SIZE_MAX, nup = 0;
	double best_saved = -INFINITY;
	struct rdoc_buf b = { 0 }, up = { 0 };

	rdoc_heading(&r->doc, 2, "Lesson 3: what each trie optimisation saved");
	chart(r, r->dir, "bytes_per_route", "the structure's own bytes per route against routes");
	for (size_t i = 0; i < rt_registry_count; i++)
		for (size_t j = 0; j < sizeof(ladder) / sizeof(ladder[0]); j++)
			if (strcmp(rt_registry[i]->name, ladder[j]) == 0 &&
			    sizes_of(r, ladder[j], (uint64_t[1]){ 0 }, 1) && ns < 16)
				steps[ns++] = ladder[j];
	if (ns < 2) {
		rdoc_para(&r->doc, "This run has %s of the ladder's steps (trie, maptrie, "
				   "lazyrawtrie, lazytrie, arenatrie, compacttrie, dirtable, "
				   "louds) "
				   "with an `ok` row: no step to measure.",
			  ns ? "only one" : "none");
		return;
	}
	rdoc_table(&r->doc, "step|the new structure|>routes|>bytes/route before|>after|>change|"
			    ">saved against the first step");
	for (size_t s = 1; s < ns; s++) {
		uint64_t n = common_size(r, steps[s - 1], steps[s]);
		const struct bench_cell *a, *c, *f;
		double pa, pc, change;

		rdoc_cell(&r->doc, "%s → %s", steps[s - 1], steps[s]);
		rdoc_cell(&r->doc, "%s", summary_of(steps[s]));
		if (!n) {
			rdoc_cell(&r->doc, "-");
			rdoc_cell(&r->doc, "never ok at the same size");
			for (int k = 0; k < 3; k++)
				rdoc_cell(&r->doc, "-");
			continue;
		}
		a = lesson_find(r->rows, r->n, steps[s - 1], r->alloc, n, 1);
		c = lesson_find(r->rows, r->n, steps[s], r->alloc, n, 1);
		f = lesson_find(r->rows, r->n, steps[0], r->alloc, n, 1);
		pa = bpr(a);
		pc = bpr(c);
		change = 100 * (pc - pa) / pa;
		rdoc_cell(&r->doc, "%s", f_count(n));
		rdoc_cell(&r->doc, "%s", f_fix(pa, 1));
		rdoc_cell(&r->doc, "%s", f_fix(pc, 1));
		rdoc_cell(&r->doc, "%s%s%%", change > 0 ? "+" : "", f_fix(change, 1));
		if (f && s > 1)
			rdoc_cell(&r->doc, "%s%%", f_fix(100 * (bpr(f) - pc) / bpr(f), 1));
		else
			rdoc_cell(&r->doc, s > 1 ? "-" : "%s%%", f_fix(-change, 1));
		if (-change > best_saved) {
			best_saved = -change;
			best = s;
		}
		if (change > 0) {
			rdoc_buf_printf(&up, "%s%s → %s added %s%% (%s → %s bytes per route)",
					nup ? "; " : "", steps[s - 1], steps[s], f_fix(change, 1),
					f_fix(pa, 1), f_fix(pc, 1));
			if (f && s > 1)
				rdoc_buf_printf(&up, ", though %s still saves %s%% against %s",
						steps[s], f_fix(100 * (bpr(f) - pc) / bpr(f), 1),
						steps[0]);
			nup++;
		}
	}
	{
		uint64_t n = common_size(r, steps[0], steps[ns - 1]);

		if (n) {
			double p0 = bpr(lesson_find(r->rows, r->n, steps[0], r->alloc, n, 1));
			double p1 = bpr(lesson_find(r->rows, r->n, steps[ns - 1], r->alloc, n, 1));

			rdoc_buf_printf(&b, "Along the whole ladder, %s → %s, the bytes per "
					    "route at %s routes **%s from %s to %s**: %s times %s "
					    "(%s%% %s). ",
					steps[0], steps[ns - 1], f_count(n),
					p1 <= p0 ? "fell" : "rose", f_fix(p0, 1), f_fix(p1, 1),
					f_ratio(p1 <= p0 ? p0 / p1 : p1 / p0),
					p1 <= p0 ? "fewer" : "more",
					f_fix(fabs(100 * (p0 - p1) / p0), 1),
					p1 <= p0 ? "saved" : "added");
		} else {
			rdoc_buf_printf(&b, "%s and %s never ran ok at the same size, so the "
					    "ladder as a whole has no single figure. ",
					steps[0], steps[ns - 1]);
		}
	}
	if (best != SIZE_MAX && best_saved > 0) {
		uint64_t n = common_size(r, steps[best - 1], steps[best]);

		rdoc_buf_printf(&b, "The biggest single step is %s → %s: **%s%% saved** (%s → "
				    "%s bytes per route at %s routes). ",
				steps[best - 1], steps[best], f_fix(best_saved, 1),
				f_fix(bpr(lesson_find(r->rows, r->n, steps[best - 1], r->alloc, n,
						      1)), 1),
				f_fix(bpr(lesson_find(r->rows, r->n, steps[best], r->alloc, n, 1)),
				      1),
				f_count(n));
	}
	if (nup == 1)
		rdoc_buf_printf(&b, "One step went the other way: %s.", up.s);
	else if (nup)
		rdoc_buf_printf(&b, "%zu steps went the other way: %s.", nup, up.s);
	else
		rdoc_buf_printf(&b, "Every step saved bytes.");
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: the ladder's steps in the registry's order, those with no `ok` "
			   "row left out; each step compares struct_bytes / routes (the "
			   "structure's own accounting, allocator overhead excluded) at the "
			   "largest size where both of its structures ran ok with one carrier.");
	rdoc_buf_free(&b);
	rdoc_buf_free(&up);
}

/* The size for impl under every allocator it has rows under: the largest where all are ok. */
static uint64_t alloc_size(const struct report *r, const char *impl, const char **allocs,
			   size_t na)
{
	uint64_t best = 0;

	for (size_t i = 0; i < r->n; i++) {
		int all = lesson_usable(&r->rows[i], impl, r->alloc, 1);

		for (size_t a = 0; a < na && all; a++)
			all = lesson_find(r->rows, r->n, impl, allocs[a], r->rows[i].n_routes,
					  1) != NULL;
		if (all && r->rows[i].n_routes > best)
			best = r->rows[i].n_routes;
	}
	return best;
}

/* The allocators impl has ok one-carrier rows under, the run's first allocator first. */
static size_t allocs_of(const struct report *r, const char *impl, const char **out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct bench_cell *c = &r->rows[i];
		size_t j;

		if (c->status != BENCH_OK || c->n_carriers != 1 || strcmp(c->impl, impl) != 0)
			continue;
		for (j = 0; j < k && strcmp(out[j], c->allocator) != 0; j++)
			;
		if (j == k && k < cap)
			out[k++] = c->allocator;
	}
	for (size_t j = 1; j < k; j++)
		if (strcmp(out[j], r->alloc) == 0) {
			const char *t = out[0];

			out[0] = out[j];
			out[j] = t;
		}
	return k;
}

static double per_node(int64_t bytes, const struct bench_cell *c)
{
	return c->nodes && bytes != BENCH_UNMEASURED ? (double)bytes / (double)c->nodes : NAN;
}

static const char *per_route_i64(int64_t bytes, const struct bench_cell *c)
{
	return bytes == BENCH_UNMEASURED ? "-" : f_fix((double)bytes / (double)c->n_routes, 1);
}

static void massif_part(struct report *r)
{
	const struct massif_row *worst = NULL;
	struct rdoc_buf b = { 0 };
	size_t close = 0, compared = 0;

	rdoc_heading(&r->doc, 3, "The heap over time (valgrind massif)");
	if (!r->have_massif) {
		rdoc_para(&r->doc, "**No massif run was found** in `%s` (%s): `make massif` "
				   "records each implementation's heap over time (or pass "
				   "`--massif DIR`).",
			  r->massif_dir, r->massif_why);
		return;
	}
	chart(r, r->massif_dir, "massif", "heap over time under valgrind massif: the build's "
					  "growth, its spikes, the plateau of the finished table");
	rdoc_table(&r->doc, "impl|>routes|>peak heap|>finished heap + extra|>heap_bytes|"
			    ">struct_bytes|>peak / finished");
	for (size_t i = 0; i < r->n_massif; i++) {
		const struct massif_row *m = &r->massif[i];
		double peak = m->peak - m->base, built = m->built - m->base;
		double total = built + m->extra - m->base_extra;

		rdoc_cell(&r->doc, "%s", m->impl);
		rdoc_cell(&r->doc, "%s", f_count(m->n_routes));
		if (!m->ok) {
			rdoc_cell(&r->doc, "failed");
			for (int k = 0; k < 4; k++)
				rdoc_cell(&r->doc, "-");
			continue;
		}
		rdoc_cell(&r->doc, "%s", f_fix(peak, 0));
		rdoc_cell(&r->doc, "%s", m->have_built ? f_fix(total, 0) : "-");
		rdoc_cell(&r->doc, "%s", f_fix(m->heap_bytes, 0));
		rdoc_cell(&r->doc, "%s", f_fix(m->struct_bytes, 0));
		rdoc_cell(&r->doc, "%s", m->have_built && built > 0 ? f_ratio(peak / built) : "-");
		if (!m->have_built || built <= 0)
			continue;
		if (!worst || peak / built > (worst->peak - worst->base) /
						     (worst->built - worst->base))
			worst = m;
		if (m->heap_bytes > 0) {
			compared++;
			close += fabs(total - m->heap_bytes) <= 0.10 * m->heap_bytes;
		}
	}
	if (worst)
		rdoc_buf_printf(&b, "Massif (`%s`) sees the largest build transient in %s: its "
				    "heap peaks at %s times the finished table. ",
				r->massif_dir, worst->impl,
				f_ratio((worst->peak - worst->base) /
					(worst->built - worst->base)));
	if (compared)
		rdoc_buf_printf(&b, "For %zu of %zu implementations, massif's finished heap "
				    "(with its per-block extra) is within 10%% of the harness's "
				    "heap_bytes.",
				close, compared);
	if (b.s)
		rdoc_para(&r->doc, "%s", b.s);
	rdoc_buf_free(&b);
}

/* "its nodes average S bytes ..., take H under A (+D B per node, +P%)[ but H2 under A2 (...)]." */
static void node_compare(struct rdoc_buf *b, const struct bench_cell *c1,
			 const struct bench_cell *c2)
{
	rdoc_buf_printf(b, "its nodes average %s bytes in the structure's own accounting and "
			   "take ",
			f_fix(per_node((int64_t)c1->struct_bytes, c1), 1));
	for (int k = 0; k < 2; k++) {
		const struct bench_cell *c = k ? c2 : c1;
		double d, p;

		if (!c)
			break;
		d = per_node(c->heap_bytes - (int64_t)c->struct_bytes, c);
		p = 100.0 * (double)(c->heap_bytes - (int64_t)c->struct_bytes) /
		    (double)c->struct_bytes;
		rdoc_buf_printf(b, "%s%s under %s (%s%s B per node, %s%s%%)", k ? " but " : "",
				f_fix(per_node(c->heap_bytes, c), 1), c->allocator,
				d >= 0 ? "+" : "", f_fix(d, 1), p >= 0 ? "+" : "", f_fix(p, 1));
	}
	rdoc_buf_printf(b, ". ");
}

static void lesson_allocator(struct report *r)
{
	const char *both[MAX_IMPLS];
	const char *slim[MAX_IMPLS]; /* one allocator: those it adds under 1% to */
	size_t nboth = 0, cheaper = 0, dearer = 0, nslim = 0, ncompared = 0;
	const char *a2 = NULL;
	const struct bench_cell *worst1[2] = { 0 }, *worst2[2] = { 0 };
	double gap1 = 0, gap2 = 0;
	struct rdoc_buf b = { 0 };

	rdoc_heading(&r->doc, 2, "Lesson 4: what the allocator adds per node");
	chart(r, r->dir, "alloc_overhead", "per route: the structure's bytes, then what the "
					   "allocator adds, at the largest size each ran ok");
	for (size_t i = 0; i < r->n && !nslim; i++)
		nslim = lesson_usable(&r->rows[i], NULL, r->alloc, 1) &&
			!lesson_is_stream(&r->rows[i]);
	if (!nslim) {
		rdoc_para(&r->doc, "This run has no one-carrier `ok` row of a table under %s: "
				   "nothing to set against the structures' own bytes.", r->alloc);
		massif_part(r);
		return;
	}
	nslim = 0;
	for (size_t i = 0; i < r->n_impls; i++) {
		const char *allocs[4];

		if (strcmp(r->impls[i], LESSON_STREAM) != 0 &&
		    allocs_of(r, r->impls[i], allocs, 4) >= 2 &&
		    strcmp(allocs[0], r->alloc) == 0 &&
		    alloc_size(r, r->impls[i], allocs + 1, 1)) {
			both[nboth++] = r->impls[i];
			a2 = a2 ? a2 : allocs[1];
		}
	}
	rdoc_table(&r->doc, r->have_active
				    ? "impl|allocator|>routes|>nodes|>struct B/node|>heap B/node|"
				      ">added B/node|>heap B/route|>active B/route|"
				      ">resident B/route"
				    : "impl|allocator|>routes|>nodes|>struct B/node|>heap B/node|"
				      ">added B/node|>heap B/route");
	for (size_t i = 0; i < r->n_impls; i++) {
		const char *allocs[4];
		size_t na = allocs_of(r, r->impls[i], allocs, 4), k;
		uint64_t n;
		const struct bench_cell *c1 = NULL, *c2 = NULL;

		for (k = 0; k < nboth && strcmp(both[k], r->impls[i]) != 0; k++)
			;
		if ((nboth && k == nboth) || !na || strcmp(r->impls[i], LESSON_STREAM) == 0)
			continue;
		if (nboth) {
			n = alloc_size(r, r->impls[i], allocs + 1, 1);
			na = 2;
			allocs[1] = a2;
		} else {
			uint64_t sz[64];
			size_t m = sizes_of(r, r->impls[i], sz, 64);

			n = m ? sz[m - 1] : 0;
			na = 1;
		}
		for (size_t a = 0; a < na && n; a++) {
			const struct bench_cell *c = lesson_find(r->rows, r->n, r->impls[i],
								 allocs[a], n, 1);

			if (!c)
				continue;
			rdoc_cell(&r->doc, "%s", c->impl);
			rdoc_cell(&r->doc, "%s", c->allocator);
			rdoc_cell(&r->doc, "%s", f_count(n));
			rdoc_cell(&r->doc, "%s", f_count(c->nodes));
			rdoc_cell(&r->doc, "%s", f_fix(per_node((int64_t)c->struct_bytes, c), 1));
			rdoc_cell(&r->doc, "%s", f_fix(per_node(c->heap_bytes, c), 1));
			rdoc_cell(&r->doc, "%s", f_fix(per_node(c->heap_bytes -
								(int64_t)c->struct_bytes, c), 1));
			rdoc_cell(&r->doc, "%s", per_route_i64(c->heap_bytes, c));
			if (r->have_active) {
				rdoc_cell(&r->doc, "%s", per_route_i64(c->heap_active_bytes, c));
				rdoc_cell(&r->doc, "%s", per_route_i64(c->heap_resident_bytes, c));
			}
			if (a == 0)
				c1 = c;
			else
				c2 = c;
		}
		if (nboth && c1 && c2 && c1->nodes && c1->struct_bytes) {
			/* the gap between the allocators, as a share of the structure's bytes */
			double d = (double)(c1->heap_bytes - c2->heap_bytes) /
				   (double)c1->struct_bytes;

			cheaper += d > SAME_SHARE;
			dearer += d < -SAME_SHARE;
			if (d > SAME_SHARE && d > gap1) {
				gap1 = d;
				worst1[0] = c1;
				worst1[1] = c2;
			}
			if (-d > SAME_SHARE && -d > gap2) {
				gap2 = -d;
				worst2[0] = c1;
				worst2[1] = c2;
			}
		}
		if (!nboth && c1 && c1->nodes && c1->struct_bytes) {
			double rel = (double)(c1->heap_bytes - (int64_t)c1->struct_bytes) /
				     (double)c1->struct_bytes;

			if (!worst1[0] || rel > (double)(worst1[0]->heap_bytes -
							  (int64_t)worst1[0]->struct_bytes) /
							 (double)worst1[0]->struct_bytes)
				worst1[0] = c1;
			if (!worst2[0] || rel < (double)(worst2[0]->heap_bytes -
							  (int64_t)worst2[0]->struct_bytes) /
							 (double)worst2[0]->struct_bytes)
				worst2[0] = c1;
			ncompared++;
			if (fabs(rel) <= SAME_SHARE)
				slim[nslim++] = c1->impl;
		}
	}
	if (nboth) {
		size_t same = nboth - cheaper - dearer, np = 0;
		char parts[3][96];

		if (cheaper)
			snprintf(parts[np++], sizeof(parts[0]), "fewer bytes than %s for %zu",
				 r->alloc, cheaper);
		if (dearer && np)
			snprintf(parts[np++], sizeof(parts[0]), "more for %zu", dearer);
		else if (dearer)
			snprintf(parts[np++], sizeof(parts[0]), "more bytes than %s for %zu",
				 r->alloc, dearer);
		if (same && np)
			snprintf(parts[np++], sizeof(parts[0]),
				 "about as many (within 1%%) for %zu", same);
		else if (same)
			snprintf(parts[np++], sizeof(parts[0]),
				 "about as many bytes as %s (within 1%%) for %zu", r->alloc, same);
		rdoc_buf_printf(&b, "At their largest common size, of the %zu implementation%s "
				    "measured under both allocators, **%s hands out ",
				nboth, nboth == 1 ? "" : "s", a2);
		for (size_t k = 0; k < np; k++)
			rdoc_buf_printf(&b, "%s%s", k == 0 ? "" : k + 1 == np ? " and " : ", ",
					parts[k]);
		rdoc_buf_printf(&b, "**. ");
		if (worst1[0]) {
			rdoc_buf_printf(&b, "The biggest gap against %s is %s's: ", r->alloc,
					worst1[0]->impl);
			node_compare(&b, worst1[0], worst1[1]);
		}
		if (worst2[0]) {
			rdoc_buf_printf(&b, "Against %s it is %s's: ", a2, worst2[0]->impl);
			node_compare(&b, worst2[0], worst2[1]);
		}
	} else {
		rdoc_buf_printf(&b, "This run measured no implementation under two allocators: "
				    "every figure here is %s's (`make bench` also runs the "
				    "node-heavy implementations under jemalloc). ",
				r->alloc);
		if (worst1[0]) {
			rdoc_buf_printf(&b, "Relative to its size, %s pays the most for its "
					    "allocations: ",
					worst1[0]->impl);
			node_compare(&b, worst1[0], NULL);
		}
		if (nslim) {
			rdoc_buf_printf(&b, "%s adds less than 1%% for %zu of the %zu: ", r->alloc,
					nslim, ncompared);
			join_names(&b, slim, nslim);
			rdoc_buf_printf(&b, ".");
		} else if (worst2[0] && worst2[0] != worst1[0]) {
			rdoc_buf_printf(&b, "%s pays the least: ", worst2[0]->impl);
			node_compare(&b, worst2[0], NULL);
		}
	}
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: per node is struct_bytes / nodes (the structure's own bytes, "
			   "child tables included, over its unit of storage) against heap_bytes / "
			   "nodes (what the allocator handed out for the build: headers, rounding, "
			   "size classes). Each implementation is shown at the largest size where "
			   "it ran ok under every allocator it was measured with, one carrier. "
			   "Active and resident bytes, when measured, add the pages behind the "
			   "objects and what the allocator keeps from the OS.");
	rdoc_buf_free(&b);
	massif_part(r);
}

/* What became of impl at n routes (one carrier, allocator alloc): its status, or not run. */
static const char *status_at(const struct report *r, const char *impl, const char *alloc,
			     uint64_t n)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_cell *c = &r->rows[i];

		if (strcmp(c->impl, impl) == 0 && c->n_routes == n && c->n_carriers == 1 &&
		    strcmp(c->allocator, alloc) == 0)
			return bench_status_name(c->status);
	}
	return "not run";
}

static void lesson_pareto(struct report *r)
{
	const struct bench_cell *pts[MAX_IMPLS];
	double x[MAX_IMPLS], y[MAX_IMPLS];
	int on[MAX_IMPLS];
	size_t beats[MAX_IMPLS], np = 0, nfront, order[MAX_IMPLS], no = 0;
	uint64_t n = 0;
	struct rdoc_buf b = { 0 };
	const char *absent[MAX_IMPLS], *alloc = NULL;
	size_t nabsent = 0;

	rdoc_heading(&r->doc, 2, "Lesson 5: small or fast? The Pareto frontier");
	chart(r, r->dir, "pareto", "bytes per route against ns per lookup at the largest size: "
				   "the frontier joins the structures no other beats on both");
	/* as the chart: glibc if the run has it, else its first allocator; the largest size */
	for (size_t i = 0; i < r->n; i++) {
		const struct bench_cell *c = &r->rows[i];

		if (c->n_carriers == 1 && !lesson_is_stream(c) &&
		    (!alloc || strcmp(c->allocator, "glibc") == 0))
			alloc = c->allocator;
	}
	for (size_t i = 0; i < r->n && alloc; i++) {
		const struct bench_cell *c = &r->rows[i];

		if (c->n_carriers == 1 && !lesson_is_stream(c) &&
		    strcmp(c->allocator, alloc) == 0 && c->n_routes > n)
			n = c->n_routes;
	}
	for (size_t i = 0; i < r->n_impls && n; i++) {
		const struct bench_cell *c;

		if (strcmp(r->impls[i], LESSON_STREAM) == 0)
			continue;
		c = lesson_find(r->rows, r->n, r->impls[i], alloc, n, 1);
		if (!c) {
			for (size_t k = 0; k < r->n; k++)
				if (strcmp(r->rows[k].impl, r->impls[i]) == 0 &&
				    r->rows[k].n_carriers == 1 &&
				    strcmp(r->rows[k].allocator, alloc) == 0) {
					absent[nabsent++] = r->impls[i];
					break;
				}
			continue;
		}
		pts[np] = c;
		x[np] = bpr(c);
		y[np] = isfinite(c->lookup_ns) ? c->lookup_ns : 0;
		np++;
	}
	if (np < 1) {
		rdoc_para(&r->doc, "This run has no structure measured ok with one carrier at its "
				   "largest size: no frontier to draw.");
		return;
	}
	nfront = lesson_frontier(x, y, np, on, beats);
	for (size_t i = 0; i < np; i++)
		if (on[i])
			order[no++] = i;
	for (size_t i = 1; i < no; i++)
		for (size_t j = i; j > 0 && x[order[j - 1]] > x[order[j]]; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	rdoc_table(&r->doc, "impl|>bytes/route|>lookup|on the frontier|beaten on both by");
	for (size_t i = 0; i < np; i++) {
		struct rdoc_buf by = { 0 };

		for (size_t k = 0; k < no && !on[i]; k++) {
			size_t j = order[k];

			if (x[j] <= x[i] && y[j] <= y[i])
				rdoc_buf_printf(&by, "%s%s", by.len ? ", " : "", pts[j]->impl);
		}
		rdoc_cell(&r->doc, "%s", pts[i]->impl);
		rdoc_cell(&r->doc, "%s", f_fix(x[i], 1));
		rdoc_cell(&r->doc, "%s", f_ns(y[i]));
		rdoc_cell(&r->doc, "%s", on[i] ? "**yes**" : "no");
		rdoc_cell(&r->doc, "%s", on[i] ? "-" : by.s ? by.s : "-");
		rdoc_buf_free(&by);
	}
	if (np == 1) {
		rdoc_buf_printf(&b, "At %s routes only %s ran ok (%s B/route, %s per lookup): "
				    "alone, it is the frontier. ",
				f_count(n), pts[0]->impl, f_fix(x[0], 1), f_ns(y[0]));
	} else if (nfront == 1) {
		size_t f = order[0];

		rdoc_buf_printf(&b, "At %s routes, **only %s is on the Pareto frontier**: at %s "
				    "bytes per route and %s per lookup it is both the smallest and "
				    "the fastest of the %zu structures measured. ",
				f_count(n), pts[f]->impl, f_fix(x[f], 1), f_ns(y[f]), np);
	} else {
		size_t lo = order[0], hi = order[no - 1];

		rdoc_buf_printf(&b, "At %s routes, **%zu of the %zu structures are on the Pareto "
				    "frontier**, where no other structure is both smaller and "
				    "faster: ",
				f_count(n), nfront, np);
		for (size_t k = 0; k < no; k++) {
			size_t j = order[k];

			rdoc_buf_printf(&b, "%s%s (%s B/route, %s)",
					k == 0 ? "" : k + 1 == no ? " and " : ", ", pts[j]->impl,
					f_fix(x[j], 1), f_ns(y[j]));
		}
		rdoc_buf_printf(&b, ", from the smallest to the fastest. ");
		rdoc_buf_printf(&b, "Along it, moving from %s to %s buys %s times faster lookups "
				    "for %s times the bytes. ",
				pts[lo]->impl, pts[hi]->impl, f_ratio(y[lo] / y[hi]),
				f_ratio(x[hi] / x[lo]));
	}
	if (nfront < np) {
		rdoc_buf_printf(&b, "Every other structure is beaten on both counts: ");
		for (size_t k = 0, first = 1; k < no; k++) {
			size_t j = order[k];

			if (!beats[j])
				continue;
			rdoc_buf_printf(&b, "%s%s is smaller and faster than %zu of them",
					first ? "" : "; ", pts[j]->impl, beats[j]);
			first = 0;
		}
		rdoc_buf_printf(&b, ".");
	}
	if (nabsent) {
		rdoc_buf_printf(&b, " Not on the chart at this size:");
		for (size_t k = 0; k < nabsent; k++)
			rdoc_buf_printf(&b, "%s %s (%s)", k ? "," : "", absent[k],
					status_at(r, absent[k], alloc, n));
		rdoc_buf_printf(&b, ".");
	}
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: as the chart, one point per structure that ran ok with one "
			   "carrier at the run's largest size, under glibc when the run has it: "
			   "struct_bytes / routes against the median ns per lookup. A structure is "
			   "on the "
			   "frontier when no other is at least as small and at least as fast, and "
			   "strictly better in one of the two.");
	rdoc_buf_free(&b);
}

#define MAX_POINTS 32

/* A stream row against the tables (the scan too) on the same routes, carriers, allocator. */
struct stream_cmp {
	const struct bench_cell *s, *best; /* best: the fastest index at the largest q */
	double q[MAX_POINTS], t[MAX_POINTS], tb[MAX_POINTS];
	int win[MAX_POINTS];
	size_t n, nwin;
};

/* The fastest table (the scan's too) for s's routes, carriers, allocator at q, or NULL. */
static const struct bench_cell *fastest_index(const struct report *r,
					      const struct bench_cell *s, double q)
{
	const struct bench_cell *best = NULL;

	for (size_t j = 0; j < r->n; j++) {
		const struct bench_cell *c = &r->rows[j];

		if (c->status != BENCH_OK || lesson_is_stream(c) || c->n_routes != s->n_routes ||
		    c->n_carriers != s->n_carriers || strcmp(c->allocator, s->allocator) != 0)
			continue;
		if (!best || lesson_index_total_s(c, q) < lesson_index_total_s(best, q))
			best = c;
	}
	return best;
}

/* Fill x for row i; 0, or -1 when it has no point or no index to compare with. */
static int stream_compare(const struct report *r, size_t i, struct stream_cmp *x)
{
	memset(x, 0, sizeof(*x));
	x->s = &r->rows[i];
	if (x->s->status != BENCH_OK || !r->points[i])
		return -1;
	x->n = lesson_stream_points(r->points[i], x->q, x->t, MAX_POINTS);
	for (size_t k = 0; k < x->n; k++) {
		const struct bench_cell *b = fastest_index(r, x->s, x->q[k]);

		if (!b)
			return -1;
		x->tb[k] = lesson_index_total_s(b, x->q[k]);
		x->win[k] = x->t[k] < x->tb[k];
		x->nwin += (size_t)x->win[k];
		if (k + 1 == x->n)
			x->best = b;
	}
	return x->n ? 0 : -1;
}

/* Where stream wins among the points: "every q measured", "q ≤ 100", "q ≥ 1,000", "none". */
static void stream_where(struct rdoc_buf *b, const struct stream_cmp *x)
{
	size_t k = 0, first_loss;

	if (x->nwin == x->n) {
		rdoc_buf_printf(b, "every q measured");
		return;
	}
	if (!x->nwin) {
		rdoc_buf_printf(b, "no q measured");
		return;
	}
	while (k < x->n && x->win[k])
		k++;
	first_loss = k;
	while (k < x->n && !x->win[k])
		k++;
	if (first_loss > 0 && k == x->n) {
		rdoc_buf_printf(b, "q ≤ %s", f_count((uint64_t)x->q[first_loss - 1]));
		return;
	}
	if (first_loss == 0) {
		size_t w = k;

		while (k < x->n && x->win[k])
			k++;
		if (k == x->n) {
			rdoc_buf_printf(b, "q ≥ %s", f_count((uint64_t)x->q[w]));
			return;
		}
	}
	for (k = 0; k < x->n; k++)
		if (x->win[k])
			rdoc_buf_printf(b, "%sq = %s", b->len ? ", " : "",
					f_count((uint64_t)x->q[k]));
}

static void lesson_stream(struct report *r)
{
	struct stream_cmp head = { 0 }, x;
	size_t nrows = 0, nwin = 0, kmax = 0;
	struct rdoc_buf b = { 0 }, won = { 0 }, lost = { 0 };
	int any = 0;
	char name[64];

	for (size_t i = 0; i < r->n; i++)
		if (lesson_is_stream(&r->rows[i])) {
			any = 1;
			if (r->rows[i].n_carriers > kmax && r->rows[i].status == BENCH_OK)
				kmax = r->rows[i].n_carriers;
		}
	if (!any)
		return;
	rdoc_heading(&r->doc, 2, "Lesson 6: stream the routes, or index them?");
	if (kmax > 1) {
		snprintf(name, sizeof(name), "crossover_%zucarriers", kmax);
		chart(r, r->dir, name, "end to end against q with several carriers: the stream "
				       "strategy's measured points against every index");
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct stream_cmp *h = head.s ? &head : NULL;
		struct rdoc_buf where = { 0 };
		size_t last;

		if (!lesson_is_stream(&r->rows[i]) || stream_compare(r, i, &x) != 0)
			continue;
		last = x.n - 1;
		if (!nrows++)
			rdoc_table(&r->doc, ">routes per carrier|>carriers|>numbers|>stream|"
					    "fastest index|>its parse + build + lookups|faster|>by|"
					    "stream faster at");
		stream_where(&where, &x);
		rdoc_cell(&r->doc, "%s", f_count(x.s->n_routes));
		rdoc_cell(&r->doc, "%s", f_count(x.s->n_carriers));
		rdoc_cell(&r->doc, "%s", f_count((uint64_t)x.q[last]));
		rdoc_cell(&r->doc, "%s", f_time(x.t[last]));
		rdoc_cell(&r->doc, "%s", x.best->impl);
		rdoc_cell(&r->doc, "%s", f_time(x.tb[last]));
		rdoc_cell(&r->doc, "%s", x.win[last] ? "stream" : x.best->impl);
		rdoc_cell(&r->doc, "%s×", f_ratio(x.win[last] ? x.tb[last] / x.t[last]
							     : x.t[last] / x.tb[last]));
		rdoc_cell(&r->doc, "%s", where.s);
		rdoc_buf_free(&where);
		nwin += (size_t)x.win[last];
		rdoc_buf_printf(x.win[last] ? &won : &lost, "%s%s × %s routes",
				(x.win[last] ? won.len : lost.len) ? ", " : "",
				f_count(x.s->n_carriers), f_count(x.s->n_routes));
		if (!h || x.s->n_carriers > h->s->n_carriers ||
		    (x.s->n_carriers == h->s->n_carriers && x.s->n_routes > h->s->n_routes))
			head = x;
	}
	if (!nrows) {
		rdoc_para(&r->doc, "This run has stream rows, but none `ok` with its measured "
				   "points and an index measured on the same routes: nothing to "
				   "compare.");
		goto out;
	}
	{
		size_t last = head.n - 1;
		struct rdoc_buf where = { 0 };

		rdoc_buf_printf(&b, "With %s carrier%s of %s routes and %s numbers, the stream "
				    "strategy (the numbers' prefixes indexed, each route file read "
				    "once past them) takes %s end to end; the fastest index, %s, "
				    "takes %s (parse + build + %s lookups): **%s wins, %s times "
				    "faster**. ",
				f_count(head.s->n_carriers), head.s->n_carriers == 1 ? "" : "s",
				f_count(head.s->n_routes), f_count((uint64_t)head.q[last]),
				f_time(head.t[last]), head.best->impl, f_time(head.tb[last]),
				f_count((uint64_t)head.q[last]),
				head.win[last] ? "the stream strategy" : head.best->impl,
				f_ratio(head.win[last] ? head.tb[last] / head.t[last]
						       : head.t[last] / head.tb[last]));
		stream_where(&where, &head);
		rdoc_buf_printf(&b, "Over the %zu values of q measured there (%s to %s), the "
				    "stream strategy is faster at %s. ",
				head.n, f_count((uint64_t)head.q[0]),
				f_count((uint64_t)head.q[last]),
				where.s);
		rdoc_buf_free(&where);
	}
	if (nrows > 1) {
		rdoc_buf_printf(&b, "Across the %zu stream rows, at each one's largest q it wins "
				    "%zu", nrows, nwin);
		if (won.len)
			rdoc_buf_printf(&b, " (%s)", won.s);
		if (lost.len)
			rdoc_buf_printf(&b, " and loses %zu (%s)", nrows - nwin, lost.s);
		rdoc_buf_printf(&b, ".");
	}
	if (kmax < 2)
		rdoc_buf_printf(&b, " The course's scenario 3 has 5 carriers; this run measured "
				    "the stream strategy with one (`routebench bench --carriers "
				    "1,5` "
				    "adds 5).");
	rdoc_para(&r->doc, "%s", b.s ? b.s : "");
	rdoc_note(&r->doc, "Rule: a stream row's seconds for q numbers are its measured "
			   "stream_points (end to end: index the first q numbers' prefixes, read "
			   "and parse every route file, answer); an index's (every table, the "
			   "linear scan's included) are parse + build + q × lookup from its own "
			   "cell, on the same routes, carriers and allocator, as the crossover "
			   "charts draw them; at each q the fastest index is the one compared. "
			   "Stream rows are not route tables: no other lesson uses them.");
out:
	rdoc_buf_free(&b);
	rdoc_buf_free(&won);
	rdoc_buf_free(&lost);
}

/* --- the command ------------------------------------------------------------------------------ */

static int write_report(struct report *r)
{
	struct rb_outfile md, html;
	char path[4200], title[4300];
	int rc;

	snprintf(path, sizeof(path), "%s/REPORT.md", r->dir);
	rc = rb_outfile_open(&md, path);
	if (rc != 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/REPORT.html", r->dir);
	rc = rb_outfile_open(&html, path);
	if (rc != 0) {
		rb_outfile_abort(&md);
		goto fail;
	}
	snprintf(title, sizeof(title), "routebench: %s", r->doc.n ? r->doc.b[0].text : r->dir);
	rc = rdoc_write_md(&r->doc, md.f);
	if (rc == 0)
		rc = rdoc_write_html(&r->doc, html.f, title);
	if (rc != 0) {
		rb_outfile_abort(&md);
		rb_outfile_abort(&html);
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/REPORT.md", r->dir);
	rc = rb_outfile_commit(&md);
	if (rc != 0) {
		rb_outfile_abort(&html);
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/REPORT.html", r->dir);
	rc = rb_outfile_commit(&html);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "routebench report: cannot write %s: %s\n", path, strerror(-rc));
	return rc;
}

int report_write(const char *run_dir, const char *micro, const char *massif)
{
	struct report *r = calloc(1, sizeof(*r));
	char path[4200];
	int rc = 1;

	if (!r) {
		fprintf(stderr, "routebench report: out of memory\n");
		return 1;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", run_dir);
	for (size_t len = strlen(r->dir); len > 1 && r->dir[len - 1] == '/'; len--)
		r->dir[len - 1] = '\0';
	if (micro)
		snprintf(r->micro_dir, sizeof(r->micro_dir), "%s", micro);
	else
		beside(r->dir, "latest-micro", r->micro_dir, sizeof(r->micro_dir));
	if (massif)
		snprintf(r->massif_dir, sizeof(r->massif_dir), "%s", massif);
	else
		beside(r->dir, "latest-massif", r->massif_dir, sizeof(r->massif_dir));
	rdoc_init(&r->doc);
	if (load_cells(r) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/meta.json", r->dir);
	r->meta = read_text(path);
	load_micro(r);
	load_massif(r);
	section_intro(r);
	section_machine(r);
	section_impls(r);
	if (any_ok(r)) {
		lesson_one_number(r);
		lesson_crossover_section(r);
		lesson_ladder(r);
		lesson_allocator(r);
		lesson_pareto(r);
		lesson_stream(r);
	}
	if (write_report(r) == 0) {
		fprintf(stderr,
			"report:  %s/REPORT.md, %s/REPORT.html (charts: %zu, tables: %zu)\n",
			r->dir, r->dir, rdoc_html_charts(&r->doc), rdoc_tables(&r->doc));
		rc = 0;
	}
out:
	rdoc_free(&r->doc);
	for (size_t i = 0; i < r->n; i++)
		free(r->points[i]);
	free(r->points);
	free(r->rows);
	free(r->meta);
	free(r->fits);
	free(r->massif);
	free(r);
	return rc;
}
