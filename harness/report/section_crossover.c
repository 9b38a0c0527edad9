/*
 * section_crossover.c - the lesson of when building an index pays off: at the crossover
 * chart's size, each index's break-even q against the scan (lesson_crossover), and who wins
 * the course's scenarios (1, 1,000 and 10,000 numbers). Lesson: an index is paid for once,
 * then saves a little on every number; the break-even is the build over the saving.
 */
#include "fig.h"
#include "lesson.h"
#include "sections.h"

static const uint64_t scenario_q[] = { 1, 1000, 10000 };
#define N_SCENARIOS (sizeof(scenario_q) / sizeof(scenario_q[0]))

/* The lesson's rows: the scan and every index at N*, with each one's break-even. */
struct cross_pick {
	uint64_t nstar;
	const struct bench_cell *scan;
	const struct bench_cell *idx[REPORT_MAX_IMPLS];
	struct lesson_cross x[REPORT_MAX_IMPLS];
	size_t nidx;
};

static void cross_select(const struct report_run *run, struct cross_pick *p)
{
	const char *scan = lesson_scan_name();

	p->nstar = lesson_cross_size(run->rows, run->n);
	p->scan = scan ? lesson_find(run->rows, run->n, scan, run->alloc, p->nstar, 1) : NULL;
	for (size_t i = 0; p->scan && i < run->n_impls; i++) {
		const struct bench_cell *c;

		if (!lesson_is_index(run->impls[i]))
			continue;
		c = lesson_find(run->rows, run->n, run->impls[i], run->alloc, p->nstar, 1);
		if (!c)
			continue;
		p->idx[p->nidx] = c;
		lesson_crossover(p->scan, c, &p->x[p->nidx++]);
	}
}

static void cross_table(struct rdoc *doc, const struct cross_pick *p)
{
	rdoc_table(doc, "impl|>build|>lookup|pays off|1 number|1,000 numbers|10,000 numbers");
	rdoc_cell(doc, "%s (the scan: its copy)", p->scan->impl);
	rdoc_cell(doc, "%s", fig_time(p->scan->build_s).s);
	rdoc_cell(doc, "%s", fig_ns(p->scan->lookup_ns).s);
	for (size_t k = 0; k < 1 + N_SCENARIOS; k++)
		rdoc_cell(doc, "-");
	for (size_t i = 0; i < p->nidx; i++) {
		const struct lesson_cross *x = &p->x[i];

		rdoc_cell(doc, "%s", p->idx[i]->impl);
		rdoc_cell(doc, "%s", fig_time(p->idx[i]->build_s).s);
		rdoc_cell(doc, "%s", fig_ns(p->idx[i]->lookup_ns).s);
		if (x->kind == LESSON_CROSS_FROM)
			rdoc_cell(doc, "from %s numbers", fig_count(x->first_q).s);
		else if (x->kind == LESSON_CROSS_ALWAYS)
			rdoc_cell(doc, "from the first number");
		else
			rdoc_cell(doc, "never: lookups no faster");
		for (size_t k = 0; k < N_SCENARIOS; k++)
			rdoc_cell(doc, "%s",
				  lesson_cross_wins(x, scenario_q[k]) ? "index" : "scan");
	}
}

/* The first index to pay off (from the fewest numbers), or NULL: none ever does. */
static size_t cross_first(const struct cross_pick *p)
{
	size_t first = p->nidx;

	for (size_t i = 0; i < p->nidx; i++)
		if (p->x[i].kind != LESSON_CROSS_NEVER &&
		    (first == p->nidx || p->x[i].first_q < p->x[first].first_q))
			first = i;
	return first;
}

/* The last index to pay off (from the most numbers), or nidx. */
static size_t cross_last(const struct cross_pick *p)
{
	size_t last = p->nidx;

	for (size_t i = 0; i < p->nidx; i++)
		if (p->x[i].kind == LESSON_CROSS_FROM &&
		    (last == p->nidx || p->x[i].first_q > p->x[last].first_q))
			last = i;
	return last;
}

/* Who pays off first, and how. */
static void cross_first_prose(struct rdoc_buf *b, const struct cross_pick *p, size_t f)
{
	const struct bench_cell *lin = p->scan;

	if (f == p->nidx)
		rdoc_buf_printf(b, "At %s routes (the size the crossover chart uses), **no index "
				   "ever pays off**: none looks up faster than the scan's %s per "
				   "number. ",
				fig_count(p->nstar).s, fig_ns(lin->lookup_ns).s);
	else if (p->x[f].kind == LESSON_CROSS_ALWAYS)
		rdoc_buf_printf(b, "At %s routes (the size the crossover chart uses), **%s "
				   "wins from the very first number**: its build (%s) is no slower "
				   "than the scan's copy of the routes (%s) and each lookup is "
				   "faster (%s against %s). ",
				fig_count(p->nstar).s, p->idx[f]->impl,
				fig_time(p->idx[f]->build_s).s, fig_time(lin->build_s).s,
				fig_ns(p->idx[f]->lookup_ns).s, fig_ns(lin->lookup_ns).s);
	else
		rdoc_buf_printf(b, "At %s routes (the size the crossover chart uses), the "
				   "first index to pay for its build is %s: **from %s numbers "
				   "on**, its %s build plus %s per lookup cost less than the scan's "
				   "%s copy plus %s per number. ",
				fig_count(p->nstar).s, p->idx[f]->impl,
				fig_count(p->x[f].first_q).s, fig_time(p->idx[f]->build_s).s,
				fig_ns(p->idx[f]->lookup_ns).s, fig_time(lin->build_s).s,
				fig_ns(lin->lookup_ns).s);
}

static void cross_prose(struct rdoc *doc, const struct cross_pick *p)
{
	const char *never[REPORT_MAX_IMPLS];
	size_t f = cross_first(p), l = cross_last(p), nnever = 0, wins[N_SCENARIOS] = { 0 };
	struct rdoc_buf b = { 0 };

	for (size_t i = 0; i < p->nidx; i++) {
		if (p->x[i].kind == LESSON_CROSS_NEVER)
			never[nnever++] = p->idx[i]->impl;
		for (size_t k = 0; k < N_SCENARIOS; k++)
			wins[k] += (size_t)lesson_cross_wins(&p->x[i], scenario_q[k]);
	}
	cross_first_prose(&b, p, f);
	if (l != p->nidx && l != f)
		rdoc_buf_printf(&b, "The last to pay off is %s, after %s numbers. ",
				p->idx[l]->impl, fig_count(p->x[l].first_q).s);
	if (nnever) {
		rdoc_buf_printf(&b, "%zu never %s, %s lookups being no faster than a scan: ",
				nnever, nnever == 1 ? "does" : "do", nnever == 1 ? "its" : "their");
		section_join_names(&b, never, nnever);
		rdoc_buf_printf(&b, ". ");
	}
	rdoc_buf_printf(&b, "For the course's scenarios: with one number %zu of the %zu indexes "
			    "beat the scan, with 1,000 numbers %zu do, with 10,000 numbers %zu.",
			wins[0], p->nidx, wins[1], wins[2]);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "crossover");
	rdoc_buf_free(&b);
}

static void cross_note(struct rdoc *doc)
{
	rdoc_note(doc, "Rule: every structure costs parse + build + q × lookup, the scan's "
		       "build being its copy of the routes into an array, at the crossover "
		       "chart's size (the largest where the stream strategy and an index both "
		       "ran with one carrier, else the largest). Parsing is the same work for "
		       "all and cancels (the chart draws each cell's own parse time, so its "
		       "crossings may differ by that noise). An index pays off from the first "
		       "whole q at which it is cheaper: (its build - the scan's copy) / (the "
		       "scan's lookup - its lookup), rounded down, plus one. Lesson %d is this "
		       "rule at q = 1.",
		  report_lesson_number("one-number"));
}

void section_crossover(const struct report_run *run, struct rdoc *doc)
{
	struct cross_pick p = { 0 };
	const char *scan = lesson_scan_name();

	section_chart(run, doc, run->dir, "crossover", "end to end, parse + build + q lookups "
						       "against q, one carrier: where a line "
						       "crosses the scan's, that index has "
						       "paid for itself");
	rdoc_mark_summary(doc, "crossover");
	cross_select(run, &p);
	if (!p.scan) {
		section_nothing(run, doc, "This run has no one-carrier `ok` row of `%s` under %s "
					  "at the crossover chart's size%s%s: no crossover to "
					  "compute.",
				scan ? scan : "the scan", section_alloc(run), p.nstar ? " " : "",
				p.nstar ? fig_count(p.nstar).s : "");
		return;
	}
	cross_table(doc, &p);
	cross_prose(doc, &p);
	cross_note(doc);
}
