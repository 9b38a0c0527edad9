/*
 * section_common.c - what the report's sections share: a chart linked relative to the report,
 * the paragraph of a lesson with nothing to show (saying so when the run is incomplete), lists
 * of names and sizes in a sentence, and the small selections several lessons make.
 */
#include "sections.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fig.h"
#include "lesson.h"

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

void section_chart(const struct report_run *run, struct rdoc *doc, const char *dir,
		   const char *name, const char *caption)
{
	char png[REPORT_PATH_MAX + 200], svg[REPORT_PATH_MAX + 200], link[REPORT_PATH_MAX + 200];

	snprintf(png, sizeof(png), "%s/%s.png", dir, name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", dir, name);
	if (strcmp(dir, run->dir) == 0)
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
