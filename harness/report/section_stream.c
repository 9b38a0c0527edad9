/*
 * section_stream.c - the lesson of streaming the routes instead of indexing them: each ok
 * stream row's measured end-to-end seconds per q numbers against the fastest table on the same
 * routes, carriers and allocator (lesson_fastest_table), and where the stream strategy wins.
 * Lesson: with few numbers and many routes, the cheapest index is the one never built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "lesson.h"
#include "sections.h"

#define MAX_POINTS 32

/* A stream row against the tables (the scan too) on the same routes, carriers, allocator. */
struct stream_cmp {
	const struct bench_cell *s, *best; /* best: the fastest table at the largest q */
	double q[MAX_POINTS], t[MAX_POINTS], tb[MAX_POINTS];
	int win[MAX_POINTS];
	size_t n, nwin;
};

struct stream_pick {
	struct stream_cmp *rows; /* the comparable stream rows, as they came; cap of them */
	size_t cap, nrows, head; /* head: the one with the most carriers, then routes */
	size_t kmax;          /* the most carriers of an ok stream row */
	int any;              /* the run has stream rows at all */
};

/* Fill x for stream row s; 0, or -1 when it has no point or no table to compare with. */
static int stream_compare(const struct report_run *run, const struct bench_cell *s,
			  struct stream_cmp *x)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
	if (s->status != BENCH_OK || !s->stream_points[0])
		return -1;
	x->n = lesson_stream_points(s->stream_points, x->q, x->t, MAX_POINTS);
	for (size_t k = 0; k < x->n; k++) {
		const struct bench_cell *b = lesson_fastest_table(run->rows, run->n, s, x->q[k]);

		if (!b)
			return -1;
		x->tb[k] = lesson_index_total_s(b, x->q[k]);
		x->win[k] = lesson_stream_wins(x->t[k], x->tb[k]);
		x->nwin += (size_t)x->win[k];
		if (k + 1 == x->n)
			x->best = b;
	}
	return x->n ? 0 : -1;
}

static void stream_select(const struct report_run *run, struct stream_pick *p)
{
	for (size_t i = 0; i < run->n; i++)
		p->cap += (size_t)lesson_is_stream(&run->rows[i]);
	p->any = p->cap > 0;
	p->rows = calloc(p->cap ? p->cap : 1, sizeof(*p->rows));
	for (size_t i = 0; p->rows && i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];
		struct stream_cmp *x = &p->rows[p->nrows], *h = &p->rows[p->head];

		if (!lesson_is_stream(c))
			continue;
		if (c->n_carriers > p->kmax && c->status == BENCH_OK)
			p->kmax = c->n_carriers;
		if (p->nrows == p->cap || stream_compare(run, c, x) != 0)
			continue;
		if (!p->nrows || x->s->n_carriers > h->s->n_carriers ||
		    (x->s->n_carriers == h->s->n_carriers && x->s->n_routes > h->s->n_routes))
			p->head = p->nrows;
		p->nrows++;
	}
}

/* Where stream wins among the points: "every q measured", "q ≤ 100", "q ≥ 1,000", "none". */
static void stream_where(struct rdoc_buf *b, const struct stream_cmp *x)
{
	size_t k = 0, first_loss, start = b->len;

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
		rdoc_buf_printf(b, "q ≤ %s", fig_count((uint64_t)x->q[first_loss - 1]).s);
		return;
	}
	if (first_loss == 0) {
		size_t w = k;

		while (k < x->n && x->win[k])
			k++;
		if (k == x->n) {
			rdoc_buf_printf(b, "q ≥ %s", fig_count((uint64_t)x->q[w]).s);
			return;
		}
	}
	for (k = 0; k < x->n; k++)
		if (x->win[k])
			rdoc_buf_printf(b, "%sq = %s", b->len > start ? ", " : "",
					fig_count((uint64_t)x->q[k]).s);
}

static void stream_table(struct rdoc *doc, const struct stream_pick *p)
{
	rdoc_table(doc, ">routes per carrier|>carriers|>numbers|>stream|fastest index|"
			">its parse + build + lookups|faster|>by|stream faster at");
	for (size_t i = 0; i < p->nrows; i++) {
		const struct stream_cmp *x = &p->rows[i];
		size_t last = x->n - 1;
		struct rdoc_buf where = { 0 };

		stream_where(&where, x);
		rdoc_cell(doc, "%s", fig_count(x->s->n_routes).s);
		rdoc_cell(doc, "%s", fig_count(x->s->n_carriers).s);
		rdoc_cell(doc, "%s", fig_count((uint64_t)x->q[last]).s);
		rdoc_cell(doc, "%s", fig_time(x->t[last]).s);
		rdoc_cell(doc, "%s", x->best->impl);
		rdoc_cell(doc, "%s", fig_time(x->tb[last]).s);
		rdoc_cell(doc, "%s", x->win[last] ? "stream" : x->best->impl);
		rdoc_cell(doc, "%s×", fig_ratio(x->win[last] ? x->tb[last] / x->t[last]
							    : x->t[last] / x->tb[last]).s);
		rdoc_cell(doc, "%s", where.s);
		rdoc_buf_free(&where);
	}
}

/* The head row: the most carriers, the most routes. */
static void stream_head(struct rdoc_buf *b, const struct stream_cmp *h)
{
	size_t last = h->n - 1;
	struct rdoc_buf where = { 0 };

	rdoc_buf_printf(b, "With %s carrier%s of %s routes and %s numbers, the stream strategy "
			   "(the numbers' prefixes indexed, each route file read once past them) "
			   "takes %s end to end; the fastest index, %s, takes %s (parse + build + "
			   "%s lookups): **%s wins, %s times faster**. ",
			fig_count(h->s->n_carriers).s, h->s->n_carriers == 1 ? "" : "s",
			fig_count(h->s->n_routes).s, fig_count((uint64_t)h->q[last]).s,
			fig_time(h->t[last]).s, h->best->impl, fig_time(h->tb[last]).s,
			fig_count((uint64_t)h->q[last]).s,
			h->win[last] ? "the stream strategy" : h->best->impl,
			fig_ratio(h->win[last] ? h->tb[last] / h->t[last]
					       : h->t[last] / h->tb[last]).s);
	stream_where(&where, h);
	rdoc_buf_printf(b, "Over the %zu values of q measured there (%s to %s), the stream "
			   "strategy is faster at %s. ",
			h->n, fig_count((uint64_t)h->q[0]).s, fig_count((uint64_t)h->q[last]).s,
			where.s);
	rdoc_buf_free(&where);
}

/* Across the rows: how many the stream strategy wins at their largest q. */
static void stream_across(struct rdoc_buf *b, const struct stream_pick *p)
{
	struct rdoc_buf won = { 0 }, lost = { 0 };
	size_t nwin = 0;

	for (size_t i = 0; i < p->nrows; i++) {
		const struct stream_cmp *x = &p->rows[i];
		int w = x->win[x->n - 1];
		struct rdoc_buf *to = w ? &won : &lost;

		nwin += (size_t)w;
		rdoc_buf_printf(to, "%s%s × %s routes", to->len ? ", " : "",
				fig_count(x->s->n_carriers).s, fig_count(x->s->n_routes).s);
	}
	rdoc_buf_printf(b, "Across the %zu stream rows, at each one's largest q it wins %zu",
			p->nrows, nwin);
	if (won.len)
		rdoc_buf_printf(b, " (%s)", won.s);
	if (lost.len)
		rdoc_buf_printf(b, " and loses %zu (%s)", p->nrows - nwin, lost.s);
	rdoc_buf_printf(b, ".");
	rdoc_buf_free(&won);
	rdoc_buf_free(&lost);
}

static void stream_prose(struct rdoc *doc, const struct stream_pick *p)
{
	struct rdoc_buf b = { 0 };

	stream_head(&b, &p->rows[p->head]);
	if (p->nrows > 1)
		stream_across(&b, p);
	if (p->kmax < 2)
		rdoc_buf_printf(&b, " The course's scenario 3 has 5 carriers; this run measured "
				    "the stream strategy with one (`routebench bench --carriers "
				    "1,5` adds 5).");
	rdoc_para(doc, "%s", b.s ? b.s : "");
	rdoc_mark_summary(doc, "stream");
	rdoc_note(doc, "Rule: a stream row's seconds for q numbers are its measured stream_points "
		       "(end to end: index the first q numbers' prefixes, read and parse every "
		       "route file, answer); an index's (every table, the linear scan's included) "
		       "are parse + build + q × lookup from its own cell, on the same routes, "
		       "carriers and allocator, as the crossover charts draw them; at each q the "
		       "fastest index is the one compared. Stream rows are not route tables: no "
		       "other lesson uses them.");
	rdoc_buf_free(&b);
}

void section_stream(const struct report_run *run, struct rdoc *doc)
{
	struct stream_pick p = { 0 };
	char name[64];

	stream_select(run, &p);
	if (p.kmax > 1) {
		snprintf(name, sizeof(name), "crossover_%zucarriers", p.kmax);
		section_chart(run, doc, run->dir, name, "end to end against q with several "
							"carriers: the stream strategy's "
							"measured points against every index");
		rdoc_mark_summary(doc, "stream");
	}
	if (!p.any) {
		section_nothing(run, doc, "This run has no row of the stream strategy.");
	} else if (!p.nrows) {
		section_nothing(run, doc, "This run has stream rows, but none `ok` with its "
					  "measured points and an index measured on the same "
					  "routes: nothing to compare.");
	} else {
		stream_table(doc, &p);
		stream_prose(doc, &p);
	}
	free(p.rows);
}
