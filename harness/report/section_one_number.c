/*
 * section_one_number.c - the lesson of one number to price: at q = 1, does the scan (the
 * registry's RT_F_SCAN implementation) beat every index, size by size? Each costs parse +
 * build + 1 lookup with one parse figure for all (lesson_shared_total_s). Lesson: an index is
 * an investment; with one number to price there is nothing to earn it back.
 */
#include <math.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

#define ONE_MAX_SIZES 64

/* The lesson's rows: per size the scan, the quickest index and the cheapest build. */
struct one_pick {
	struct one_size {
		const struct bench_cell *scan, *quick, *cheap;
		double parse;  /* the median parse time of the size */
		size_t nparse; /* of that many cells */
	} at[ONE_MAX_SIZES];
	size_t n_at;
	uint64_t won[ONE_MAX_SIZES], lost[ONE_MAX_SIZES]; /* the scan's sizes, the indexes' */
	size_t nw, nl;
};

static void one_select(const struct report_run *run, struct one_pick *p)
{
	const char *scan = lesson_scan_name();
	uint64_t sizes[ONE_MAX_SIZES];
	size_t ns = scan ? section_sizes_of(run, scan, sizes, ONE_MAX_SIZES) : 0;

	for (size_t s = 0; s < ns; s++) {
		struct one_size *a = &p->at[p->n_at];
		double tl, tb;

		a->scan = lesson_find(run->rows, run->n, scan, run->alloc, sizes[s], 1);
		a->parse = lesson_median_parse_s(run->rows, run->n, run->alloc, sizes[s],
						 &a->nparse);
		a->quick = lesson_quickest_index(run->rows, run->n, run->alloc, sizes[s],
						 a->parse, 1);
		a->cheap = lesson_cheapest_build(run->rows, run->n, run->alloc, sizes[s]);
		if (!a->quick)
			continue;
		tl = lesson_shared_total_s(a->scan, a->parse, 1);
		tb = lesson_shared_total_s(a->quick, a->parse, 1);
		if (tl < tb)
			p->won[p->nw++] = sizes[s];
		else
			p->lost[p->nl++] = sizes[s];
		p->n_at++;
	}
}

static void one_table(struct rdoc *doc, const struct one_pick *p)
{
	rdoc_table(doc, ">routes|>parse (median)|>the scan: + copy + 1 scan|quickest index|"
			">+ build + 1 lookup|faster at q = 1|>by");
	for (size_t s = 0; s < p->n_at; s++) {
		const struct one_size *a = &p->at[s];
		double tl = lesson_shared_total_s(a->scan, a->parse, 1);
		double tb = lesson_shared_total_s(a->quick, a->parse, 1);

		rdoc_cell(doc, "%s", fig_count(a->scan->n_routes).s);
		rdoc_cell(doc, "%s", fig_time(a->parse).s);
		rdoc_cell(doc, "%s", fig_time(tl).s);
		rdoc_cell(doc, "%s", a->quick->impl);
		rdoc_cell(doc, "%s", fig_time(tb).s);
		rdoc_cell(doc, "%s", tl < tb ? "the scan" : a->quick->impl);
		rdoc_cell(doc, "%s×", fig_ratio(tl < tb ? tb / tl : tl / tb).s);
	}
}

/* Who wins at q = 1, over the sizes. */
static void one_verdict(struct rdoc_buf *b, const struct one_pick *p)
{
	rdoc_buf_printf(b, "With one number to price (q = 1), ");
	if (!p->nl && p->nw == 1) {
		rdoc_buf_printf(b, "**the linear scan beats every index** at the one size "
				   "measured, %s routes. ", fig_count(p->won[0]).s);
	} else if (!p->nl) {
		rdoc_buf_printf(b, "**the linear scan beats every index at all %zu sizes "
				   "measured**, from %s to %s routes. ",
				p->nw, fig_count(p->won[0]).s, fig_count(p->won[p->nw - 1]).s);
	} else if (!p->nw) {
		rdoc_buf_printf(b, "**an index beats the linear scan at %s size measured**. ",
				p->nl == 1 ? "the one" : "every");
	} else {
		rdoc_buf_printf(b, "**the linear scan beats every index at ");
		section_join_sizes(b, p->won, p->nw);
		rdoc_buf_printf(b, ", but not at ");
		section_join_sizes(b, p->lost, p->nl);
		rdoc_buf_printf(b, "**. ");
	}
}

/* The figures at the largest size: the sums, then the cheapest build counted in scans. */
static void one_figures(struct rdoc_buf *b, const struct one_size *a)
{
	const struct bench_cell *lin = a->scan, *best = a->quick, *cheap = a->cheap;
	double tl = lesson_shared_total_s(lin, a->parse, 1);
	double tb = lesson_shared_total_s(best, a->parse, 1);
	double extra = cheap->build_s - lin->build_s, scan_s = lin->lookup_ns * 1e-9;

	rdoc_buf_printf(b, "At %s routes, parsing the routes takes %s whatever comes next (the "
			   "median of the %zu cells of that size); the scan then copies them into "
			   "its array in %s and answers in %s, %s in all, while the quickest "
			   "index, %s, needs a %s build and a %s lookup, %s in all: %s is %s "
			   "times faster. ",
			fig_count(lin->n_routes).s, fig_time(a->parse).s, a->nparse,
			fig_time(lin->build_s).s, fig_time(scan_s).s, fig_time(tl).s, best->impl,
			fig_time(best->build_s).s, fig_time(best->lookup_ns * 1e-9).s,
			fig_time(tb).s, tl < tb ? "the scan" : best->impl,
			fig_ratio(tl < tb ? tb / tl : tl / tb).s);
	if (extra > 0)
		rdoc_buf_printf(b, "The cheapest build there, %s's %s, costs %s more than the "
				   "scan's copy: as much as %s scans of %s each.",
				cheap->impl, fig_time(cheap->build_s).s, fig_time(extra).s,
				fig_ratio(extra / scan_s).s, fig_time(scan_s).s);
	else
		rdoc_buf_printf(b, "The cheapest build there, %s's %s, costs no more than the "
				   "scan's own copy of the routes (%s): with faster lookups, such "
				   "an index is ahead from the first number.",
				cheap->impl, fig_time(cheap->build_s).s, fig_time(lin->build_s).s);
}

static void one_prose(struct rdoc *doc, const struct one_pick *p)
{
	struct rdoc_buf b = { 0 };

	one_verdict(&b, p);
	one_figures(&b, &p->at[p->n_at - 1]);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "one-number");
	rdoc_note(doc, "Rule: at q = 1, every structure costs parse + build + q × lookup, the "
		       "scan's build being its copy of the routes into an array (as the crossover "
		       "chart counts it). Parsing is the same work for all, so one figure stands "
		       "for it: the median parse time of the size's one-carrier cells (each "
		       "cell's own differs by noise, and the first cell of a size may read the "
		       "file cold). Builds and lookups come from each implementation's own cell.");
	rdoc_buf_free(&b);
}

/*
 * Parsing, the part every structure pays alike: the median parse speed at the largest and the
 * smallest file (lesson_median_parse_mb_s), the parse_speed chart's reference line and its far
 * end, after the chart.
 */
static void one_parse(const struct report_run *run, struct rdoc *doc)
{
	uint64_t lo = 0, hi = 0, blo = 0, bhi = 0;
	double mlo, mhi;
	size_t klo, khi;

	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (!lesson_usable(c, NULL, run->alloc, 1) || lesson_is_stream(c) ||
		    !(c->parse_mb_s > 0))
			continue;
		if (!lo || c->n_routes < lo) {
			lo = c->n_routes;
			blo = c->route_bytes_parsed;
		}
		if (c->n_routes > hi) {
			hi = c->n_routes;
			bhi = c->route_bytes_parsed;
		}
	}
	if (!hi)
		return;
	mhi = lesson_median_parse_mb_s(run->rows, run->n, run->alloc, hi, &khi);
	mlo = lesson_median_parse_mb_s(run->rows, run->n, run->alloc, lo, &klo);
	section_chart(run, doc, run->dir, "parse_speed", "route text parsed per second against "
							 "the file's size: the dashed line is the "
							 "parser's steady state");
	rdoc_para(doc, "Parsing is the same work whatever comes next. On the largest file, "
		       "%s routes (%s bytes), the parser reads **%s MB/s**: the median of its %zu "
		       "cells, the dashed line of the parse speed chart, the parser's steady state. "
		       "On the smallest, %s routes (%s bytes), it manages %s MB/s: there a file's "
		       "fixed costs (opening and mapping it, the first growth of the arrays) "
		       "outweigh its lines.",
		  fig_count(hi).s, fig_count(bhi).s, fig_fix(mhi, 0).s, khi, fig_count(lo).s,
		  fig_count(blo).s, fig_fix(mlo, 1).s);
	(void)klo;
}

void section_one_number(const struct report_run *run, struct rdoc *doc)
{
	struct one_pick p = { 0 };
	const char *scan = lesson_scan_name();

	section_chart(run, doc, run->dir, "build_time", "build time against routes: what an "
							"index costs before its first answer");
	rdoc_mark_summary(doc, "one-number");
	one_select(run, &p);
	if (!p.n_at) {
		section_nothing(run, doc, "This run has no one-carrier `ok` row of `%s` with an "
					  "index measured at the same size: nothing to compare.",
				scan ? scan : "the scan");
		return;
	}
	one_table(doc, &p);
	one_prose(doc, &p);
	one_parse(run, doc);
}
