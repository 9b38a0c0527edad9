/*
 * section_python.c - the lesson "the seed's story, in Python and in C": the seven Python steps
 * (solver rows of `make bench-python`, lesson_python_step) beside the seed's claims (3 GB at
 * 10M, __slots__ halving it, the mapper 3 GB -> 1.5 GB) and beside the C ladder step built the
 * same way (lesson_python_c_step: a property, not a name), in bytes per route. Lesson: a
 * claim about memory is a claim about one interpreter; measure it where you run.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "fig.h"
#include "lesson.h"
#include "registry.h"
#include "sections.h"

#define PY_N (LESSON_PY_STEPS + 1) /* indexed by step, 0 unused */

struct py_pick {
	uint64_t n;                           /* the size most steps ran ok at (0: none) */
	const struct bench_cell *py[PY_N];    /* each step's ok row there, or NULL */
	const struct route_table_ops *c[PY_N]; /* its C counterpart, or NULL */
	double py_bpr[PY_N], c_bpr[PY_N];     /* NaN: not measured */
	size_t n_steps;                       /* steps with a row at n */
};

/* Step py's ok one-carrier row with heap_bytes at n routes, or NULL. */
static const struct bench_cell *py_row(const struct report_run *run, int py, uint64_t n)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (lesson_python_step(c) == py && c->status == BENCH_OK && c->n_carriers == 1 &&
		    c->n_routes == n && c->heap_bytes > 0)
			return c;
	}
	return NULL;
}

/* The C implementation built like Python step py, or NULL. */
static const struct route_table_ops *c_like(int py)
{
	const struct route_table_ops *all[32];
	size_t n = rt_ladder(all, 32);
	int step = lesson_python_c_step(py);

	if (step == LESSON_PY_SCAN)
		return rt_find_flag(RT_F_SCAN);
	for (size_t i = 0; step > 0 && i < n; i++)
		if ((int)all[i]->ladder == step)
			return all[i];
	return NULL;
}

static void py_select(const struct report_run *run, struct py_pick *p)
{
	size_t best = 0;

	for (size_t i = 0; i < run->n; i++) { /* the size with the most steps, larger on a tie */
		uint64_t n = run->rows[i].n_routes;
		size_t k = 0;

		if (!lesson_python_step(&run->rows[i]))
			continue;
		for (int s = 1; s < PY_N; s++)
			k += py_row(run, s, n) != NULL;
		if (k > best || (k == best && k && n > p->n)) {
			best = k;
			p->n = n;
		}
	}
	p->n_steps = best;
	for (int s = 1; s < PY_N; s++) {
		const struct bench_cell *c;

		p->py[s] = p->n ? py_row(run, s, p->n) : NULL;
		p->py_bpr[s] = p->py[s] ? lesson_python_bytes_per_route(p->py[s]) : NAN;
		p->c[s] = c_like(s);
		c = p->c[s] ? lesson_find(run->rows, run->n, p->c[s]->name, run->alloc, p->n, 1)
			    : NULL;
		p->c_bpr[s] = c ? lesson_bytes_per_route(c) : NAN;
	}
}

/* Percent change from a to b, as "+12.3%" or "-45.6%"; "-" when either is missing. */
static struct fig pct(double a, double b)
{
	struct fig f;
	double v = 100 * (b - a) / a;

	if (isnan(a) || isnan(b) || a <= 0 || fabs(v) > 1e9)
		snprintf(f.s, sizeof(f.s), "-");
	else
		snprintf(f.s, sizeof(f.s), "%s%.1f%%", v > 0 ? "+" : "", v);
	return f;
}

/* The seed's claim about step s and what this run measured against it, into two cells. */
static void claim_cells(struct rdoc *doc, const struct py_pick *p, int s)
{
	double bpr, change;
	int against;
	const char *text;

	if (lesson_python_claim(s, &bpr, &against, &change, &text) != 0) {
		rdoc_cell(doc, "-");
		rdoc_cell(doc, "-");
		return;
	}
	rdoc_cell(doc, "%s", text);
	if (against)
		rdoc_cell(doc, "%s against step %d (claimed %s%%)",
			  pct(p->py_bpr[against], p->py_bpr[s]).s, against, fig_fix(change, 0).s);
	else
		rdoc_cell(doc, "%s B/route (claimed %s)", fig_fix(p->py_bpr[s], 1).s,
			  fig_fix(bpr, 0).s);
}

static void py_table(struct rdoc *doc, const struct py_pick *p)
{
	rdoc_table(doc, "step|>Python bytes/route|>change|the seed's claim|measured here|"
			"C built alike|>C bytes/route|>C change");
	for (int s = 1; s < PY_N; s++) {
		const struct route_table_ops *prev = s > 1 ? p->c[s - 1] : NULL;

		rdoc_cell(doc, "%s", p->py[s] ? p->py[s]->impl : "(not ok at this size)");
		rdoc_cell(doc, "%s", isnan(p->py_bpr[s]) ? "-" : fig_fix(p->py_bpr[s], 1).s);
		rdoc_cell(doc, "%s", s > 1 ? pct(p->py_bpr[s - 1], p->py_bpr[s]).s : "-");
		claim_cells(doc, p, s);
		rdoc_cell(doc, "%s", p->c[s] ? p->c[s]->name : "none");
		rdoc_cell(doc, "%s", isnan(p->c_bpr[s]) ? "-" : fig_fix(p->c_bpr[s], 1).s);
		rdoc_cell(doc, "%s", prev && p->c[s] && prev != p->c[s]
					     ? pct(p->c_bpr[s - 1], p->c_bpr[s]).s : "-");
	}
}

/* "a → b: Python X%, C Y%" for one trick, when both sides have figures. */
static void trick(struct rdoc_buf *b, const struct py_pick *p, int from, int to, const char *what)
{
	rdoc_buf_printf(b, "%s (step %d → %d): Python %s", what, from, to,
			pct(p->py_bpr[from], p->py_bpr[to]).s);
	if (p->c[from] && p->c[to] && p->c[from] != p->c[to])
		rdoc_buf_printf(b, ", C (%s → %s) %s; ", p->c[from]->name, p->c[to]->name,
				pct(p->c_bpr[from], p->c_bpr[to]).s);
	else if (p->c[to])
		rdoc_buf_printf(b, ", C nothing to save (%s has no such overhead); ",
				p->c[to]->name);
	else
		rdoc_buf_printf(b, "; ");
}

static void py_prose(struct rdoc *doc, const struct py_pick *p)
{
	struct rdoc_buf b = { 0 };

	rdoc_buf_printf(&b, "At %s routes, %zu of the seven Python steps ran ok. ",
			fig_count(p->n).s, p->n_steps);
	if (!isnan(p->py_bpr[4]))
		rdoc_buf_printf(&b, "The seed's object trie (step 4) takes **%s bytes per route** "
				    "here, %s GB at 10M routes if it stayed so, against the 3 GB "
				    "the seed reports. ", fig_fix(p->py_bpr[4], 1).s,
				fig_fix(p->py_bpr[4] * 1e7 / 1e9, 1).s);
	if (!isnan(p->py_bpr[7]) && !isnan(p->c_bpr[7]) && p->c_bpr[7] > 0)
		rdoc_buf_printf(&b, "The mapper in Python takes %s bytes per route, in C (%s) %s: "
				    "**%s times** less. ", fig_fix(p->py_bpr[7], 1).s,
				p->c[7]->name, fig_fix(p->c_bpr[7], 1).s,
				fig_ratio(p->py_bpr[7] / p->c_bpr[7]).s);
	rdoc_buf_printf(&b, "What each trick saved: ");
	trick(&b, p, 4, 5, "__slots__");
	trick(&b, p, 5, 6, "lazy children");
	trick(&b, p, 6, 7, "the mapper");
	rdoc_buf_printf(&b, "a claim about bytes holds for the interpreter it was made on.");
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_note(doc, "Rule: Python rows are solver rows named py1_... to py7_... after their "
		       "file in impls/python/ (`make bench-python`); their bytes per route are "
		       "tracemalloc's peak (heap_bytes, the parsed route list included) over "
		       "routes, at the size where the most steps ran ok. The C side is the ladder "
		       "step built alike (steps 3-5 ~ ladder step 1, 6 ~ 3, 7 ~ 4; step 1 ~ the "
		       "scan), by struct_bytes over routes at the same size.");
	rdoc_buf_free(&b);
}

int section_python_applies(const struct report_run *run)
{
	for (size_t i = 0; i < run->n; i++)
		if (lesson_python_step(&run->rows[i]))
			return 1;
	return 0;
}

void section_python(const struct report_run *run, struct rdoc *doc)
{
	struct py_pick p = { 0 };

	py_select(run, &p);
	if (!p.n) {
		section_nothing(run, doc, "This run has Python steps, but none ran ok with its "
					  "heap_bytes (RB_TRACEMALLOC=1).");
		return;
	}
	py_table(doc, &p);
	py_prose(doc, &p);
}
