/*
 * section_pareto.c - the lesson of small against fast: one point per structure at the run's
 * largest size (bytes per route, ns per lookup), the Pareto frontier of those no other beats
 * on both (lesson_frontier), and what each frontier point dominates. pareto_select is shared
 * with the Pareto chart's figures (derived.c). Lesson: "best" needs a second axis.
 */
#include <math.h>
#include <string.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

/* Does impl have any one-carrier row under alloc (at any size)? */
static int has_rows(const struct report_run *run, const char *impl, const char *alloc)
{
	for (size_t k = 0; k < run->n; k++)
		if (strcmp(run->rows[k].impl, impl) == 0 && run->rows[k].n_carriers == 1 &&
		    strcmp(run->rows[k].allocator, alloc) == 0)
			return 1;
	return 0;
}

/* The frontier's points in order of bytes per route (a stable insertion sort). */
static void frontier_order(struct pareto_pick *p)
{
	size_t no = 0;

	for (size_t i = 0; i < p->np; i++)
		if (p->on[i])
			p->order[no++] = i;
	for (size_t i = 1; i < no; i++)
		for (size_t j = i; j > 0 && p->x[p->order[j - 1]] > p->x[p->order[j]]; j--) {
			size_t t = p->order[j];

			p->order[j] = p->order[j - 1];
			p->order[j - 1] = t;
		}
}

void pareto_select(const struct report_run *run, struct pareto_pick *p)
{
	memset(p, 0, sizeof(*p));
	p->alloc = lesson_pareto_alloc(run->rows, run->n);
	p->n = lesson_pareto_size(run->rows, run->n, p->alloc);
	for (size_t i = 0; i < run->n_impls && p->n; i++) {
		const struct bench_cell *c;

		if (strcmp(run->impls[i], LESSON_STREAM) == 0)
			continue;
		c = lesson_find(run->rows, run->n, run->impls[i], p->alloc, p->n, 1);
		if (!c) {
			if (has_rows(run, run->impls[i], p->alloc))
				p->absent[p->nabsent++] = run->impls[i];
			continue;
		}
		p->pts[p->np] = c;
		p->x[p->np] = lesson_bytes_per_route(c);
		p->y[p->np] = isfinite(c->lookup_ns) ? c->lookup_ns : 0;
		p->np++;
	}
	if (!p->np)
		return;
	p->nfront = lesson_frontier(p->x, p->y, p->np, p->on, p->beats);
	frontier_order(p);
}

static void pareto_table(struct rdoc *doc, const struct pareto_pick *p)
{
	rdoc_table(doc, "impl|>bytes/route|>lookup|on the frontier|beaten on both by");
	for (size_t i = 0; i < p->np; i++) {
		struct rdoc_buf by = { 0 };

		for (size_t k = 0; k < p->nfront && !p->on[i]; k++) {
			size_t j = p->order[k];

			if (p->x[j] <= p->x[i] && p->y[j] <= p->y[i])
				rdoc_buf_printf(&by, "%s%s", by.len ? ", " : "", p->pts[j]->impl);
		}
		rdoc_cell(doc, "%s", p->pts[i]->impl);
		rdoc_cell(doc, "%s", fig_fix(p->x[i], 1).s);
		rdoc_cell(doc, "%s", fig_ns(p->y[i]).s);
		rdoc_cell(doc, "%s", p->on[i] ? "**yes**" : "no");
		rdoc_cell(doc, "%s", p->on[i] ? "-" : by.s ? by.s : "-");
		rdoc_buf_free(&by);
	}
}

/* The frontier: who is on it, and the trade along it. */
static void pareto_front_prose(struct rdoc_buf *b, const struct pareto_pick *p)
{
	size_t no = p->nfront, lo = p->order[0], hi = p->order[no - 1];

	if (p->np == 1) {
		rdoc_buf_printf(b, "At %s routes only %s ran ok (%s B/route, %s per lookup): "
				   "alone, it is the frontier. ",
				fig_count(p->n).s, p->pts[0]->impl, fig_fix(p->x[0], 1).s,
				fig_ns(p->y[0]).s);
		return;
	}
	if (no == 1) {
		rdoc_buf_printf(b, "At %s routes, **only %s is on the Pareto frontier**: at %s "
				   "bytes per route and %s per lookup it is both the smallest and "
				   "the fastest of the %zu structures measured. ",
				fig_count(p->n).s, p->pts[lo]->impl, fig_fix(p->x[lo], 1).s,
				fig_ns(p->y[lo]).s, p->np);
		return;
	}
	rdoc_buf_printf(b, "At %s routes, **%zu of the %zu structures are on the Pareto "
			   "frontier**, where no other structure is both smaller and faster: ",
			fig_count(p->n).s, no, p->np);
	for (size_t k = 0; k < no; k++) {
		size_t j = p->order[k];

		rdoc_buf_printf(b, "%s%s (%s B/route, %s)",
				k == 0 ? "" : k + 1 == no ? " and " : ", ", p->pts[j]->impl,
				fig_fix(p->x[j], 1).s, fig_ns(p->y[j]).s);
	}
	rdoc_buf_printf(b, ", from the smallest to the fastest. ");
	rdoc_buf_printf(b, "Along it, moving from %s to %s buys %s times faster lookups for %s "
			   "times the bytes. ",
			p->pts[lo]->impl, p->pts[hi]->impl, fig_ratio(p->y[lo] / p->y[hi]).s,
			fig_ratio(p->x[hi] / p->x[lo]).s);
}

static void pareto_prose(const struct report_run *run, struct rdoc *doc,
			 const struct pareto_pick *p)
{
	struct rdoc_buf b = { 0 };

	pareto_front_prose(&b, p);
	if (p->nfront < p->np) {
		rdoc_buf_printf(&b, "Every other structure is beaten on both counts: ");
		for (size_t k = 0, first = 1; k < p->nfront; k++) {
			size_t j = p->order[k];

			if (!p->beats[j])
				continue;
			rdoc_buf_printf(&b, "%s%s is smaller and faster than %zu of them",
					first ? "" : "; ", p->pts[j]->impl, p->beats[j]);
			first = 0;
		}
		rdoc_buf_printf(&b, ".");
	}
	if (p->nabsent) {
		rdoc_buf_printf(&b, " Not on the chart at this size:");
		for (size_t k = 0; k < p->nabsent; k++)
			rdoc_buf_printf(&b, "%s %s (%s)", k ? "," : "", p->absent[k],
					section_status_at(run, p->absent[k], p->alloc, p->n));
		rdoc_buf_printf(&b, ".");
	}
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "pareto");
	rdoc_buf_free(&b);
}

void section_pareto(const struct report_run *run, struct rdoc *doc)
{
	struct pareto_pick p;

	section_chart(run, doc, run->dir, "pareto", "bytes per route against ns per lookup at "
						    "the largest size: the frontier joins the "
						    "structures no other beats on both");
	rdoc_mark_summary(doc, "pareto");
	pareto_select(run, &p);
	if (p.np < 1) {
		section_nothing(run, doc, "This run has no structure measured ok with one carrier "
					  "at its largest size: no frontier to draw.");
		return;
	}
	pareto_table(doc, &p);
	pareto_prose(run, doc, &p);
	rdoc_note(doc, "Rule: as the chart, one point per structure that ran ok with one carrier "
		       "at the run's largest size, under glibc when the run has it: struct_bytes / "
		       "routes against the median ns per lookup. A structure is on the frontier "
		       "when no other is at least as small and at least as fast, and strictly "
		       "better in one of the two.");
	section_chart(run, doc, run->dir, "lookup_time", "the speed axis at every size: time per "
							 "number priced against routes");
}
