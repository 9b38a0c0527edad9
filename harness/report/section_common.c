/*
 * section_common.c - what the report's sections share: a chart linked relative to the report
 * (copied into the run folder when it lives in a sibling folder), the paragraph of a lesson
 * with nothing to show (saying so when the run is incomplete), lists of names and sizes in a
 * sentence, and the small selections several lessons make.
 */
#include "sections.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fig.h"
#include "lesson.h"
#include "outfile.h"

int section_lessons_apply(const struct report_run *run)
{
	for (size_t i = 0; i < run->n; i++)
		if (run->rows[i].status == BENCH_OK)
			return 1;
	return !report_run_complete(run);
}

int section_stream_applies(const struct report_run *run)
{
	if (!section_lessons_apply(run))
		return 0;
	for (size_t i = 0; i < run->n; i++)
		if (lesson_is_stream(&run->rows[i]))
			return 1;
	return !report_run_complete(run);
}

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

/* Copy the file src to dst, atomically (dst replaced whole or not at all). 0 or -errno. */
static int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	struct rb_outfile o;
	FILE *in = fopen(src, "rb");
	size_t got;
	int rc;

	if (!in)
		return -errno;
	rc = rb_outfile_open(&o, dst);
	if (rc != 0) {
		fclose(in);
		return rc;
	}
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, got, o.f) != got)
			break;
	rc = ferror(in) || ferror(o.f) ? -EIO : 0;
	fclose(in);
	if (rc == 0)
		return rb_outfile_commit(&o);
	rb_outfile_abort(&o);
	return rc;
}

/*
 * A chart of another folder (a micro or massif run) outside the run folder is copied into it,
 * PNG and SVG, so the report links only to what the folder holds: a copied run folder keeps
 * its charts. The folder to draw the chart from, into out.
 */
static void chart_home(const struct report_run *run, const char *dir, const char *name,
		       char *out, size_t cap)
{
	char link[REPORT_PATH_MAX + 200], src[REPORT_PATH_MAX + 200], dst[REPORT_PATH_MAX + 200];
	int ok = 1;

	snprintf(out, cap, "%s", dir);
	snprintf(src, sizeof(src), "%s/%s.png", dir, name);
	if (strcmp(dir, run->dir) == 0 || access(src, R_OK) != 0)
		return;
	relative_to(run->dir, src, link, sizeof(link));
	if (strncmp(link, "../", 3) != 0 && link[0] != '/')
		return; /* inside the run folder already */
	for (int k = 0; k < 2 && ok; k++) {
		snprintf(src, sizeof(src), "%s/%s.%s", dir, name, k ? "svg" : "png");
		snprintf(dst, sizeof(dst), "%s/%s.%s", run->dir, name, k ? "svg" : "png");
		ok = access(src, R_OK) != 0 || copy_file(src, dst) == 0;
	}
	if (ok)
		snprintf(out, cap, "%s", run->dir);
	else
		fprintf(stderr, "routebench report: cannot copy %s into %s: %s\n", src, run->dir,
			strerror(errno));
}

void section_chart(const struct report_run *run, struct rdoc *doc, const char *dir,
		   const char *name, const char *caption)
{
	char png[REPORT_PATH_MAX + 200], svg[REPORT_PATH_MAX + 200], link[REPORT_PATH_MAX + 200];
	char home[REPORT_PATH_MAX];

	chart_home(run, dir, name, home, sizeof(home));
	snprintf(png, sizeof(png), "%s/%s.png", home, name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", home, name);
	if (strcmp(home, run->dir) == 0)
		snprintf(link, sizeof(link), "%s.png", name);
	else
		relative_to(run->dir, png, link, sizeof(link));
	rdoc_chart(doc, name, access(png, R_OK) == 0 ? link : NULL,
		   access(svg, R_OK) == 0 ? svg : NULL, caption);
}

void section_nothing(const struct report_run *run, struct rdoc *doc, const char *fmt, ...)
{
	struct rdoc_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	rdoc_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!report_run_complete(run))
		rdoc_buf_printf(&b, " This run is incomplete: it may have stopped before measuring "
				    "the cells this lesson needs.");
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_buf_free(&b);
}

void section_join_names(struct rdoc_buf *b, const char *const *names, size_t n)
{
	size_t shown = n > SECTION_MAX_LIST ? SECTION_MAX_LIST : n;

	for (size_t i = 0; i < shown; i++)
		rdoc_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
	if (shown < n)
		rdoc_buf_printf(b, " and %zu more", n - shown);
}

void section_join_sizes(struct rdoc_buf *b, const uint64_t *sizes, size_t n)
{
	size_t shown = n > SECTION_MAX_LIST ? SECTION_MAX_LIST : n;

	for (size_t i = 0; i < shown; i++)
		rdoc_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
				fig_count(sizes[i]).s);
	if (shown < n)
		rdoc_buf_printf(b, " and %zu more", n - shown);
	rdoc_buf_printf(b, " routes");
}

size_t section_sizes_of(const struct report_run *run, const char *impl, uint64_t *out,
			size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < run->n; i++) {
		size_t j;

		if (!lesson_usable(&run->rows[i], impl, run->alloc, 1))
			continue;
		for (j = 0; j < k && out[j] != run->rows[i].n_routes; j++)
			;
		if (j < k || k == cap)
			continue;
		out[k++] = run->rows[i].n_routes;
		for (j = k - 1; j > 0 && out[j - 1] > out[j]; j--) {
			uint64_t t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	return k;
}

const char *section_alloc(const struct report_run *run)
{
	return run->alloc[0] ? run->alloc : "any allocator";
}

const char *section_status_at(const struct report_run *run, const char *impl,
			      const char *alloc, uint64_t n)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (strcmp(c->impl, impl) == 0 && c->n_routes == n && c->n_carriers == 1 &&
		    strcmp(c->allocator, alloc) == 0)
			return bench_status_name(c->status);
	}
	return "not run";
}
