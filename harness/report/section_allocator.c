/*
 * section_allocator.c - the lesson of what the allocator adds per node: each structure's own
 * bytes per node against what the allocator handed out for it, under every allocator it ran
 * with (lesson_alloc_compare), then the heap over time under massif (section_massif.c).
 * Lesson: a node of 16 bytes costs what malloc makes of it: headers, rounding, size classes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

#define ALLOC_MAX 4

/* The lesson's rows: per structure its row under the run's allocator, and the second's. */
struct alloc_pick {
	const char *both[REPORT_MAX_IMPLS]; /* measured under two allocators at a common size */
	size_t nboth;
	const char *a2; /* the second allocator */
	struct alloc_pair {
		const struct bench_cell *c[2];
	} rows[REPORT_MAX_IMPLS];
	size_t nrows;
	/* two allocators: how many hand out fewer (cheaper) or more (dearer) bytes under a2 */
	size_t cheaper, dearer;
	const struct bench_cell *worst1[2], *worst2[2]; /* the biggest gap either way */
	double gap1, gap2;
	/* one allocator: the most and least overhead, and those under LESSON_SAME_SHARE */
	const char *slim[REPORT_MAX_IMPLS];
	size_t nslim, ncompared;
};

static int in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(list[k], name) == 0)
			return 1;
	return 0;
}

/* The structures measured ok under the run's allocator and a second at one size. */
static void alloc_both(const struct report_run *run, struct alloc_pick *p)
{
	for (size_t i = 0; i < run->n_impls; i++) {
		const char *allocs[ALLOC_MAX];

		if (strcmp(run->impls[i], LESSON_STREAM) != 0 &&
		    lesson_allocs_of(run->rows, run->n, run->impls[i], run->alloc, allocs,
				     ALLOC_MAX) >= 2 &&
		    strcmp(allocs[0], run->alloc) == 0 &&
		    lesson_alloc_size(run->rows, run->n, run->impls[i], run->alloc, allocs + 1,
				      1)) {
			p->both[p->nboth++] = run->impls[i];
			p->a2 = p->a2 ? p->a2 : allocs[1];
		}
	}
}

/* impl's rows to show: at its common size under both allocators, else at its largest. */
static void alloc_pair_of(const struct report_run *run, const struct alloc_pick *p,
			  const char *impl, struct alloc_pair *out)
{
	const char *allocs[ALLOC_MAX];
	size_t na = lesson_allocs_of(run->rows, run->n, impl, run->alloc, allocs, ALLOC_MAX);
	uint64_t n;

	memset(out, 0, sizeof(*out));
	if (p->nboth) {
		n = lesson_alloc_size(run->rows, run->n, impl, run->alloc, allocs + 1, 1);
		na = 2;
		allocs[1] = p->a2;
	} else {
		uint64_t sz[64];
		size_t m = section_sizes_of(run, impl, sz, 64);

		n = m ? sz[m - 1] : 0;
		na = 1;
	}
	for (size_t a = 0; a < na && n; a++)
		out->c[a] = lesson_find(run->rows, run->n, impl, allocs[a], n, 1);
}

/* Tally one structure's rows into the comparison. */
static void alloc_tally(struct alloc_pick *p, const struct alloc_pair *r)
{
	const struct bench_cell *c1 = r->c[0], *c2 = r->c[1];
	double d;

	if (!c1 || !c1->nodes || !c1->struct_bytes)
		return;
	if (p->nboth && c2) {
		int v = lesson_alloc_compare(c1, c2, &d);

		p->cheaper += v > 0;
		p->dearer += v < 0;
		if (v > 0 && d > p->gap1) {
			p->gap1 = d;
			p->worst1[0] = c1;
			p->worst1[1] = c2;
		}
		if (v < 0 && -d > p->gap2) {
			p->gap2 = -d;
			p->worst2[0] = c1;
			p->worst2[1] = c2;
		}
	} else if (!p->nboth) {
		d = lesson_alloc_overhead(c1);
		if (!p->worst1[0] || d > lesson_alloc_overhead(p->worst1[0]))
			p->worst1[0] = c1;
		if (!p->worst2[0] || d < lesson_alloc_overhead(p->worst2[0]))
			p->worst2[0] = c1;
		p->ncompared++;
		if (lesson_alloc_slim(c1))
			p->slim[p->nslim++] = c1->impl;
	}
}

static void alloc_select(const struct report_run *run, struct alloc_pick *p)
{
	alloc_both(run, p);
	for (size_t i = 0; i < run->n_impls; i++) {
		const char *allocs[ALLOC_MAX];
		struct alloc_pair *r = &p->rows[p->nrows];

		if ((p->nboth && !in_list(p->both, p->nboth, run->impls[i])) ||
		    strcmp(run->impls[i], LESSON_STREAM) == 0 ||
		    !lesson_allocs_of(run->rows, run->n, run->impls[i], run->alloc, allocs,
				      ALLOC_MAX))
			continue;
		alloc_pair_of(run, p, run->impls[i], r);
		alloc_tally(p, r);
		p->nrows++;
	}
}

static double per_node(int64_t bytes, const struct bench_cell *c)
{
	return c->nodes && bytes != BENCH_UNMEASURED ? (double)bytes / (double)c->nodes : NAN;
}

static struct fig per_route(int64_t bytes, const struct bench_cell *c)
{
	if (bytes == BENCH_UNMEASURED)
		return (struct fig){ "-" };
	return fig_fix((double)bytes / (double)c->n_routes, 1);
}

static void alloc_table(const struct report_run *run, struct rdoc *doc,
			const struct alloc_pick *p)
{
	rdoc_table(doc, run->have_active
				? "impl|allocator|>routes|>nodes|>struct B/node|>heap B/node|"
				  ">added B/node|>heap B/route|>active B/route|>resident B/route"
				: "impl|allocator|>routes|>nodes|>struct B/node|>heap B/node|"
				  ">added B/node|>heap B/route");
	for (size_t i = 0; i < p->nrows; i++)
		for (size_t a = 0; a < 2; a++) {
			const struct bench_cell *c = p->rows[i].c[a];

			if (!c)
				continue;
			rdoc_cell(doc, "%s", c->impl);
			rdoc_cell(doc, "%s", c->allocator);
			rdoc_cell(doc, "%s", fig_count(c->n_routes).s);
			rdoc_cell(doc, "%s", fig_count(c->nodes).s);
			rdoc_cell(doc, "%s", fig_fix(per_node((int64_t)c->struct_bytes, c), 1).s);
			rdoc_cell(doc, "%s", fig_fix(per_node(c->heap_bytes, c), 1).s);
			rdoc_cell(doc, "%s", fig_fix(per_node(c->heap_bytes -
								(int64_t)c->struct_bytes, c), 1).s);
			rdoc_cell(doc, "%s", per_route(c->heap_bytes, c).s);
			if (run->have_active) {
				rdoc_cell(doc, "%s", per_route(c->heap_active_bytes, c).s);
				rdoc_cell(doc, "%s", per_route(c->heap_resident_bytes, c).s);
			}
		}
}

/* "its nodes average S bytes ..., take H under A (+D B per node, +P%)[ but H2 under A2 (...)]." */
static void node_compare(struct rdoc_buf *b, const struct bench_cell *c1,
			 const struct bench_cell *c2)
{
	rdoc_buf_printf(b, "its nodes average %s bytes in the structure's own accounting and "
			   "take ",
			fig_fix(per_node((int64_t)c1->struct_bytes, c1), 1).s);
	for (int k = 0; k < 2; k++) {
		const struct bench_cell *c = k ? c2 : c1;
		double d, pct;

		if (!c)
			break;
		d = per_node(c->heap_bytes - (int64_t)c->struct_bytes, c);
		pct = 100.0 * (double)(c->heap_bytes - (int64_t)c->struct_bytes) /
		      (double)c->struct_bytes;
		rdoc_buf_printf(b, "%s%s under %s (%s%s B per node, %s%s%%)", k ? " but " : "",
				fig_fix(per_node(c->heap_bytes, c), 1).s, c->allocator,
				d >= 0 ? "+" : "", fig_fix(d, 1).s, pct >= 0 ? "+" : "",
				fig_fix(pct, 1).s);
	}
	rdoc_buf_printf(b, ". ");
}

/* Two allocators: how many hand out fewer, more, about as many bytes; the biggest gaps. */
static void alloc_prose_both(const struct report_run *run, struct rdoc_buf *b,
			     const struct alloc_pick *p)
{
	size_t same = p->nboth - p->cheaper - p->dearer, np = 0;
	char parts[3][96];

	if (p->cheaper)
		snprintf(parts[np++], sizeof(parts[0]), "fewer bytes than %s for %zu", run->alloc,
			 p->cheaper);
	if (p->dearer && np)
		snprintf(parts[np++], sizeof(parts[0]), "more for %zu", p->dearer);
	else if (p->dearer)
		snprintf(parts[np++], sizeof(parts[0]), "more bytes than %s for %zu", run->alloc,
			 p->dearer);
	if (same && np)
		snprintf(parts[np++], sizeof(parts[0]), "about as many (within 1%%) for %zu",
			 same);
	else if (same)
		snprintf(parts[np++], sizeof(parts[0]),
			 "about as many bytes as %s (within 1%%) for %zu", run->alloc, same);
	rdoc_buf_printf(b, "At their largest common size, of the %zu implementation%s measured "
			   "under both allocators, **%s hands out ",
			p->nboth, p->nboth == 1 ? "" : "s", p->a2);
	for (size_t k = 0; k < np; k++)
		rdoc_buf_printf(b, "%s%s", k == 0 ? "" : k + 1 == np ? " and " : ", ", parts[k]);
	rdoc_buf_printf(b, "**. ");
	if (p->worst1[0]) {
		rdoc_buf_printf(b, "The biggest gap against %s is %s's: ", run->alloc,
				p->worst1[0]->impl);
		node_compare(b, p->worst1[0], p->worst1[1]);
	}
	if (p->worst2[0]) {
		rdoc_buf_printf(b, "Against %s it is %s's: ", p->a2, p->worst2[0]->impl);
		node_compare(b, p->worst2[0], p->worst2[1]);
	}
}

/* One allocator: who pays the most for its allocations, and for whom it adds under 1%. */
static void alloc_prose_one(const struct report_run *run, struct rdoc_buf *b,
			    const struct alloc_pick *p)
{
	rdoc_buf_printf(b, "This run measured no implementation under two allocators: every "
			   "figure here is %s's (`make bench` also runs the node-heavy "
			   "implementations under jemalloc). ",
			run->alloc);
	if (p->worst1[0]) {
		rdoc_buf_printf(b, "Relative to its size, %s pays the most for its allocations: ",
				p->worst1[0]->impl);
		node_compare(b, p->worst1[0], NULL);
	}
	if (p->nslim) {
		rdoc_buf_printf(b, "%s adds less than 1%% for %zu of the %zu: ", run->alloc,
				p->nslim, p->ncompared);
		section_join_names(b, p->slim, p->nslim);
		rdoc_buf_printf(b, ".");
	} else if (p->worst2[0] && p->worst2[0] != p->worst1[0]) {
		rdoc_buf_printf(b, "%s pays the least: ", p->worst2[0]->impl);
		node_compare(b, p->worst2[0], NULL);
	}
}

static int has_table_row(const struct report_run *run)
{
	for (size_t i = 0; i < run->n; i++)
		if (lesson_usable(&run->rows[i], NULL, run->alloc, 1) &&
		    !lesson_is_stream(&run->rows[i]))
			return 1;
	return 0;
}

void section_allocator(const struct report_run *run, struct rdoc *doc)
{
	struct alloc_pick p = { 0 };
	struct rdoc_buf b = { 0 };

	section_chart(run, doc, run->dir, "alloc_overhead", "per route: the structure's bytes, "
							    "then what the allocator adds, at "
							    "the largest size each ran ok");
	rdoc_mark_summary(doc, "allocator");
	if (!has_table_row(run)) {
		section_nothing(run, doc, "This run has no one-carrier `ok` row of a table under "
					  "%s: nothing to set against the structures' own bytes.",
				section_alloc(run));
		section_massif(run, doc);
		return;
	}
	alloc_select(run, &p);
	alloc_table(run, doc, &p);
	if (p.nboth)
		alloc_prose_both(run, &b, &p);
	else
		alloc_prose_one(run, &b, &p);
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "allocator");
	rdoc_note(doc, "Rule: per node is struct_bytes / nodes (the structure's own bytes, child "
		       "tables included, over its unit of storage) against heap_bytes / nodes "
		       "(what the allocator handed out for the build: headers, rounding, size "
		       "classes). Each implementation is shown at the largest size where it ran "
		       "ok under every allocator it was measured with, one carrier. Active and "
		       "resident bytes, when measured, add the pages behind the objects and what "
		       "the allocator keeps from the OS.");
	rdoc_buf_free(&b);
	if (p.nboth)
		section_chart(run, doc, run->dir, "allocator", "the second allocator's heap bytes, "
							       "build, lookup and peak RSS over "
							       "the first's, size by size");
	section_massif(run, doc);
}
