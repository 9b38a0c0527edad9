/*
 * section_ladder.c - the lesson of the optimisation ladder: the registry's ladder steps
 * (rt_ladder: the naive trie, then one change per step) that ran ok, each compared with the
 * step before by the structure's own bytes per route at the largest size both ran. Lesson:
 * measure each change alone; one of them may cost what the others save.
 */
#include <math.h>
#include <stdint.h>

#include "fig.h"
#include "lesson.h"
#include "registry.h"
#include "sections.h"

#define LADDER_MAX 16

/* One step: the structure before and after, at the size both ran ok (n 0: none). */
struct ladder_step {
	uint64_t n;
	double before, after, first; /* bytes per route; first: the first step's (NaN: not ok) */
	double change;               /* percent, after against before */
};

struct ladder_pick {
	const struct route_table_ops *steps[LADDER_MAX]; /* the ladder's steps with an ok row */
	size_t ns;
	struct ladder_step st[LADDER_MAX]; /* st[s]: steps[s - 1] -> steps[s], s >= 1 */
	size_t best;                        /* the step that saved the most, or 0 */
	double best_saved;
};

/* The bytes per route of impl's ok one-carrier row of n routes, or NaN. */
static double bpr_at(const struct report_run *run, const char *impl, uint64_t n)
{
	const struct bench_cell *c = lesson_find(run->rows, run->n, impl, run->alloc, n, 1);

	return c ? lesson_bytes_per_route(c) : NAN;
}

static void ladder_select(const struct report_run *run, struct ladder_pick *p)
{
	const struct route_table_ops *all[LADDER_MAX];
	size_t n = rt_ladder(all, LADDER_MAX);
	uint64_t one;

	p->best_saved = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (section_sizes_of(run, all[i]->name, &one, 1))
			p->steps[p->ns++] = all[i];
	for (size_t s = 1; s < p->ns; s++) {
		struct ladder_step *st = &p->st[s];

		st->n = lesson_common_size(run->rows, run->n, p->steps[s - 1]->name,
					   p->steps[s]->name, run->alloc);
		if (!st->n)
			continue;
		st->before = bpr_at(run, p->steps[s - 1]->name, st->n);
		st->after = bpr_at(run, p->steps[s]->name, st->n);
		st->first = bpr_at(run, p->steps[0]->name, st->n);
		st->change = 100 * (st->after - st->before) / st->before;
		if (-st->change > p->best_saved) {
			p->best_saved = -st->change;
			p->best = s;
		}
	}
}

static void ladder_table(struct rdoc *doc, const struct ladder_pick *p)
{
	rdoc_table(doc, "step|the new structure|>routes|>bytes/route before|>after|>change|"
			">saved against the first step");
	for (size_t s = 1; s < p->ns; s++) {
		const struct ladder_step *st = &p->st[s];

		rdoc_cell(doc, "%s → %s", p->steps[s - 1]->name, p->steps[s]->name);
		rdoc_cell(doc, "%s", p->steps[s]->summary);
		if (!st->n) {
			rdoc_cell(doc, "-");
			rdoc_cell(doc, "never ok at the same size");
			for (int k = 0; k < 3; k++)
				rdoc_cell(doc, "-");
			continue;
		}
		rdoc_cell(doc, "%s", fig_count(st->n).s);
		rdoc_cell(doc, "%s", fig_fix(st->before, 1).s);
		rdoc_cell(doc, "%s", fig_fix(st->after, 1).s);
		rdoc_cell(doc, "%s%s%%", st->change > 0 ? "+" : "", fig_fix(st->change, 1).s);
		if (s == 1)
			rdoc_cell(doc, "%s%%", fig_fix(-st->change, 1).s);
		else if (!isnan(st->first))
			rdoc_cell(doc, "%s%%",
				  fig_fix(100 * (st->first - st->after) / st->first, 1).s);
		else
			rdoc_cell(doc, "-");
	}
}

/* The whole ladder, first step to last, in one figure. */
static void ladder_whole(const struct report_run *run, struct rdoc_buf *b,
			 const struct ladder_pick *p)
{
	const char *a = p->steps[0]->name, *z = p->steps[p->ns - 1]->name;
	uint64_t n = lesson_common_size(run->rows, run->n, a, z, run->alloc);
	double p0, p1;

	if (!n) {
		rdoc_buf_printf(b, "%s and %s never ran ok at the same size, so the ladder as a "
				   "whole has no single figure. ", a, z);
		return;
	}
	p0 = bpr_at(run, a, n);
	p1 = bpr_at(run, z, n);
	rdoc_buf_printf(b, "Along the whole ladder, %s → %s, the bytes per route at %s routes "
			   "**%s from %s to %s**: %s times %s (%s%% %s). ",
			a, z, fig_count(n).s, p1 <= p0 ? "fell" : "rose", fig_fix(p0, 1).s,
			fig_fix(p1, 1).s, fig_ratio(p1 <= p0 ? p0 / p1 : p1 / p0).s,
			p1 <= p0 ? "fewer" : "more", fig_fix(fabs(100 * (p0 - p1) / p0), 1).s,
			p1 <= p0 ? "saved" : "added");
}

/* The steps that added bytes: "a → b added X% (...), though b still saves Y% against t". */
static size_t ladder_up(struct rdoc_buf *up, const struct ladder_pick *p)
{
	size_t nup = 0;

	for (size_t s = 1; s < p->ns; s++) {
		const struct ladder_step *st = &p->st[s];

		if (!st->n || !(st->change > 0))
			continue;
		rdoc_buf_printf(up, "%s%s → %s added %s%% (%s → %s bytes per route)",
				nup ? "; " : "", p->steps[s - 1]->name, p->steps[s]->name,
				fig_fix(st->change, 1).s, fig_fix(st->before, 1).s,
				fig_fix(st->after, 1).s);
		if (s > 1 && !isnan(st->first))
			rdoc_buf_printf(up, ", though %s still saves %s%% against %s",
					p->steps[s]->name,
					fig_fix(100 * (st->first - st->after) / st->first, 1).s,
					p->steps[0]->name);
		nup++;
	}
	return nup;
}

static void ladder_prose(const struct report_run *run, struct rdoc *doc,
			 const struct ladder_pick *p)
{
	struct rdoc_buf b = { 0 }, up = { 0 };
	size_t nup;

	ladder_whole(run, &b, p);
	if (p->best && p->best_saved > 0) {
		const struct ladder_step *st = &p->st[p->best];

		rdoc_buf_printf(&b, "The biggest single step is %s → %s: **%s%% saved** (%s → "
				    "%s bytes per route at %s routes). ",
				p->steps[p->best - 1]->name, p->steps[p->best]->name,
				fig_fix(p->best_saved, 1).s, fig_fix(st->before, 1).s,
				fig_fix(st->after, 1).s, fig_count(st->n).s);
	}
	nup = ladder_up(&up, p);
	if (nup == 1)
		rdoc_buf_printf(&b, "One step went the other way: %s.", up.s);
	else if (nup)
		rdoc_buf_printf(&b, "%zu steps went the other way: %s.", nup, up.s);
	else
		rdoc_buf_printf(&b, "Every step saved bytes.");
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "ladder");
	rdoc_note(doc, "Rule: the ladder's steps in the registry's order, those with no `ok` "
		       "row left out; each step compares struct_bytes / routes (the "
		       "structure's own accounting, allocator overhead excluded) at the "
		       "largest size where both of its structures ran ok with one carrier.");
	rdoc_buf_free(&b);
	rdoc_buf_free(&up);
}

/* "This run has none of the ladder's steps (trie, ...)": the names from the registry. */
static void ladder_nothing(const struct report_run *run, struct rdoc *doc, size_t ns)
{
	const struct route_table_ops *all[LADDER_MAX];
	size_t n = rt_ladder(all, LADDER_MAX);
	struct rdoc_buf names = { 0 };

	for (size_t i = 0; i < n; i++)
		rdoc_buf_printf(&names, "%s%s", i ? ", " : "", all[i]->name);
	section_nothing(run, doc, "This run has %s of the ladder's steps (%s) with an `ok` row: "
				  "no step to measure.",
			ns ? "only one" : "none", names.s ? names.s : "none registered");
	rdoc_buf_free(&names);
}

void section_ladder(const struct report_run *run, struct rdoc *doc)
{
	struct ladder_pick p = { 0 };

	section_chart(run, doc, run->dir, "bytes_per_route", "the structure's own bytes per "
							     "route against routes");
	rdoc_mark_summary(doc, "ladder");
	ladder_select(run, &p);
	if (p.ns < 2) {
		ladder_nothing(run, doc, p.ns);
		return;
	}
	ladder_table(doc, &p);
	rdoc_mark_summary(doc, "ladder");
	ladder_prose(run, doc, &p);
	section_chart(run, doc, run->dir, "peak_rss", "what the process needs from the OS: each "
						      "cell's peak RSS against routes");
}
