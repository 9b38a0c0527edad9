/*
 * derived.c - crossover.csv and pareto.csv (derived.h): plain CSV with a header, one row per
 * figure, every figure computed by lesson.h's rules. crossover.csv has, per carrier count K
 * with measured rows (status ok or mismatch), at the chart's size N* (lesson_cross_size_k):
 *   chart            one per K: its N*
 *   index            a table at N*: base_s = parse_s + build_s, lookup_ns (its line)
 *   stream           a measured point of the stream strategy: q, seconds
 *   extrapolated     its curve past the last point to q = 2e7 (lesson_stream_time)
 *   overtakes_scan   where an index's line crosses the scan's (same allocator): q, seconds
 *   overtakes_stream the first index to overtake the stream strategy: q, seconds
 *   winner, runner_up  the cheapest at each scenario's q (1, 1,000, 10,000) and the other side
 * extrapolated is 1 on a row whose stream figure lies past the last measured point.
 * Also allocator.csv (each structure's figures under a second allocator over the run's own,
 * size by size), parse.csv (the median parse speed per size) and, from panels.c and
 * palette.c, panels.csv and the palette.
 */
#include "derived.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "outfile.h"
#include "palette.h"
#include "sections.h"

#define MAX_POINTS 64
#define Q_MAX 2e7 /* the crossover charts' right edge */

static const uint64_t scenario_q[] = { 1, 1000, 10000 };

/* What one crossover chart draws: the tables at N*, and the stream strategy's points. */
struct cross_chart {
	uint64_t k, nstar;
	const struct bench_cell **idx; /* the measured tables at N*, as they came */
	size_t nidx;
	const struct bench_cell *stream; /* the first measured stream row at N*, or NULL */
	double q[MAX_POINTS], t[MAX_POINTS];
	size_t ns;
};

static double or0(double v)
{
	return isfinite(v) ? v : 0;
}

static void cross_chart_select(const struct report_run *run, uint64_t k,
			       const struct bench_cell **idx, struct cross_chart *x)
{
	memset(x, 0, sizeof(*x));
	x->k = k;
	x->nstar = lesson_cross_size_k(run->rows, run->n, k);
	x->idx = idx;
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (!lesson_measured(c) || c->n_carriers != k || c->n_routes != x->nstar)
			continue;
		if (!lesson_is_stream(c))
			x->idx[x->nidx++] = c;
		else if (!x->stream)
			x->stream = c;
	}
	if (x->stream)
		x->ns = lesson_stream_points(x->stream->stream_points, x->q, x->t, MAX_POINTS);
}

/* One row: carriers,n_routes,kind,impl,allocator,q,seconds,base_s,lookup_ns,extrapolated */
static void cross_row(FILE *f, const struct cross_chart *x, const char *kind,
		      const struct bench_cell *c, const char *q, double seconds, int ext)
{
	fprintf(f, "%" PRIu64 ",%" PRIu64 ",%s,%s,%s,%s,", x->k, x->nstar, kind,
		c ? c->impl : LESSON_STREAM, c ? c->allocator : x->stream->allocator, q);
	if (isfinite(seconds))
		fprintf(f, "%.9f", seconds);
	fprintf(f, ",,,%d\n", ext);
}

static void cross_lines(FILE *f, const struct cross_chart *x)
{
	fprintf(f, "%" PRIu64 ",%" PRIu64 ",chart,,,,,,,0\n", x->k, x->nstar);
	for (size_t i = 0; i < x->nidx; i++) {
		const struct bench_cell *c = x->idx[i];

		fprintf(f, "%" PRIu64 ",%" PRIu64 ",index,%s,%s,,,%.9f,%.4f,0\n", x->k, x->nstar,
			c->impl, c->allocator, lesson_index_total_s(c, 0),
			or0(c->lookup_ns));
	}
	for (size_t j = 0; j < x->ns; j++) {
		char q[32];

		snprintf(q, sizeof(q), "%.0f", x->q[j]);
		cross_row(f, x, "stream", NULL, q, x->t[j], 0);
	}
	if (x->ns && x->q[x->ns - 1] < Q_MAX)
		for (int j = 0; j <= 40; j++) {
			double last = x->q[x->ns - 1], at = last * pow(Q_MAX / last, j / 40.0);
			char q[32];

			snprintf(q, sizeof(q), "%.3f", at);
			cross_row(f, x, "extrapolated", NULL, q,
				  lesson_stream_time(x->q, x->t, x->ns, at), 1);
		}
}

/* Where each index's line crosses the scan's of its allocator (lesson_break_even). */
static void cross_scan(FILE *f, const struct cross_chart *x)
{
	const char *scan = lesson_scan_name();

	for (size_t i = 0; scan && i < x->nidx; i++) {
		const struct bench_cell *c = x->idx[i];

		if (strcmp(c->impl, scan) == 0)
			continue;
		for (size_t j = 0; j < x->nidx; j++) {
			const struct bench_cell *s = x->idx[j];
			struct lesson_cross b;
			char q[32];

			if (strcmp(s->impl, scan) != 0 || strcmp(s->allocator, c->allocator) != 0)
				continue;
			lesson_break_even(lesson_index_total_s(s, 0), or0(s->lookup_ns),
					  lesson_index_total_s(c, 0), or0(c->lookup_ns), &b);
			if (b.kind != LESSON_CROSS_FROM)
				continue;
			snprintf(q, sizeof(q), "%.6f", b.q);
			cross_row(f, x, "overtakes_scan", c, q, lesson_index_total_s(s, b.q), 0);
		}
	}
}

/* The first index to become cheaper than the stream strategy (lesson_overtakes). */
static void cross_stream(FILE *f, const struct cross_chart *x)
{
	size_t first = x->nidx;
	double fq = 0;

	for (size_t i = 0; x->ns && i < x->nidx; i++) {
		double q = lesson_overtakes(x->idx[i], x->q, x->t, x->ns);

		if (q > 0 && (first == x->nidx || q < fq)) {
			first = i;
			fq = q;
		}
	}
	if (first < x->nidx) {
		char q[32];

		snprintf(q, sizeof(q), "%.3f", fq);
		cross_row(f, x, "overtakes_stream", x->idx[first], q,
			  lesson_stream_time(x->q, x->t, x->ns, fq), fq > x->q[x->ns - 1]);
	}
}

/* Who is cheapest at each scenario's q: the winner, then the other side (runner_up). */
static void cross_winners(FILE *f, const struct cross_chart *x)
{
	for (size_t k = 0; k < sizeof(scenario_q) / sizeof(scenario_q[0]); k++) {
		double q = (double)scenario_q[k], ts = lesson_stream_time(x->q, x->t, x->ns, q);
		size_t b = lesson_cheapest(x->idx, x->nidx, q);
		double tb = b < x->nidx ? lesson_index_total_s(x->idx[b], q) : NAN;
		int ext = x->ns && q > x->q[x->ns - 1];
		char qs[32];

		snprintf(qs, sizeof(qs), "%" PRIu64, scenario_q[k]);
		if (lesson_stream_wins(ts, tb)) {
			cross_row(f, x, "winner", NULL, qs, ts, ext);
			if (b < x->nidx)
				cross_row(f, x, "runner_up", x->idx[b], qs, tb, 0);
		} else if (b < x->nidx) {
			cross_row(f, x, "winner", x->idx[b], qs, tb, 0);
			if (x->ns)
				cross_row(f, x, "runner_up", NULL, qs, ts, ext);
		}
	}
}

/* The carrier counts with measured rows, ascending, into out[cap]; how many. */
static size_t carrier_counts(const struct report_run *run, uint64_t *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n; i++) {
		uint64_t k = run->rows[i].n_carriers;
		size_t j;

		if (!lesson_measured(&run->rows[i]))
			continue;
		for (j = 0; j < n && out[j] != k; j++)
			;
		if (j < n || n == cap)
			continue;
		for (j = n++; j > 0 && out[j - 1] > k; j--)
			out[j] = out[j - 1];
		out[j] = k;
	}
	return n;
}

static int write_crossover(const struct report_run *run, FILE *f)
{
	const struct bench_cell **idx = malloc((run->n ? run->n : 1) * sizeof(*idx));
	uint64_t ks[64];
	size_t nk = carrier_counts(run, ks, 64);

	if (!idx)
		return -ENOMEM;
	fputs("n_carriers,n_routes,kind,impl,allocator,q,seconds,base_s,lookup_ns,extrapolated\n",
	      f);
	for (size_t i = 0; i < nk; i++) {
		struct cross_chart x;

		cross_chart_select(run, ks[i], idx, &x);
		cross_lines(f, &x);
		cross_scan(f, &x);
		cross_stream(f, &x);
		cross_winners(f, &x);
	}
	free(idx);
	return 0;
}

/*
 * pareto.csv: the points in the run's order of implementations, each with its place along the
 * frontier by bytes per route (frontier_rank, 0 when dominated), then the structures not ok at
 * the size, with their status and detail.
 */
static int write_pareto(const struct report_run *run, FILE *f)
{
	struct pareto_pick *p = malloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	pareto_select(run, p);
	fputs("impl,allocator,n_routes,bytes_per_route,lookup_ns,on_frontier,frontier_rank,status,"
	      "detail\n", f);
	for (size_t i = 0; i < p->np; i++) {
		size_t rank = 0;

		for (size_t k = 0; k < p->nfront && !rank; k++)
			rank = p->order[k] == i ? k + 1 : 0;
		fprintf(f, "%s,%s,%" PRIu64 ",%.4f,%.4f,%d,%zu,ok,\n", p->pts[i]->impl, p->alloc,
			p->n, p->x[i], p->y[i], p->on[i], rank);
	}
	for (size_t k = 0; k < p->nabsent; k++) {
		const struct bench_cell *c = NULL;

		for (size_t i = 0; i < run->n && !c; i++)
			if (strcmp(run->rows[i].impl, p->absent[k]) == 0 &&
			    run->rows[i].n_routes == p->n && run->rows[i].n_carriers == 1 &&
			    strcmp(run->rows[i].allocator, p->alloc) == 0)
				c = &run->rows[i];
		fprintf(f, "%s,%s,%" PRIu64 ",,,0,0,%s,%s\n", p->absent[k], p->alloc, p->n,
			c ? bench_status_name(c->status) : "not run", c ? c->detail : "");
	}
	free(p);
	return 0;
}

/* ratio of b's figure over a's: NaN when either is missing or a's is 0. */
static double ratio(double b, double a)
{
	return isfinite(a) && isfinite(b) && a > 0 ? b / a : NAN;
}

static void put_ratio(FILE *f, double r)
{
	if (isfinite(r))
		fprintf(f, ",%.4f", r);
	else
		fputs(",", f);
}

/*
 * allocator.csv: for each structure measured under the run's allocator and another one at the
 * same size (one carrier, both ok), the other's figures over the run's allocator's: heap bytes,
 * build time, lookup time, peak RSS above the RSS before the build. 1 is no change.
 */
static int write_allocator(const struct report_run *run, FILE *f)
{
	fputs("impl,allocator,base_allocator,n_routes,heap_ratio,build_ratio,lookup_ratio,"
	      "rss_ratio\n", f);
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *b = &run->rows[i], *a;

		if (b->status != BENCH_OK || b->n_carriers != 1 || lesson_is_stream(b) ||
		    strcmp(b->allocator, run->alloc) == 0)
			continue;
		a = lesson_find(run->rows, run->n, b->impl, run->alloc, b->n_routes, 1);
		if (!a)
			continue;
		fprintf(f, "%s,%s,%s,%" PRIu64, b->impl, b->allocator, run->alloc, b->n_routes);
		put_ratio(f, ratio((double)b->heap_bytes, (double)a->heap_bytes));
		put_ratio(f, ratio(b->build_s, a->build_s));
		put_ratio(f, ratio(b->lookup_ns, a->lookup_ns));
		put_ratio(f, ratio((double)b->peak_rss_bytes - (double)b->baseline_rss_bytes,
				   (double)a->peak_rss_bytes - (double)a->baseline_rss_bytes));
		fputc('\n', f);
	}
	return 0;
}

/*
 * parse.csv: per size (one carrier, the run's allocator), the route file's bytes and the median
 * parse speed over its cells (lesson_median_parse_mb_s); the largest size's is the parse_speed
 * chart's reference line, the parser's steady state.
 */
static int write_parse(const struct report_run *run, FILE *f)
{
	uint64_t sizes[64];
	size_t ns = 0;

	fputs("n_routes,route_bytes_parsed,cells,median_mb_s\n", f);
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];
		size_t j;

		if (!lesson_usable(c, NULL, run->alloc, 1) || lesson_is_stream(c))
			continue;
		for (j = 0; j < ns && sizes[j] != c->n_routes; j++)
			;
		if (j < ns || ns == 64)
			continue;
		for (j = ns++; j > 0 && sizes[j - 1] > c->n_routes; j--)
			sizes[j] = sizes[j - 1];
		sizes[j] = c->n_routes;
	}
	for (size_t j = 0; j < ns; j++) {
		const struct bench_cell *c = NULL;
		size_t k;
		double mb = lesson_median_parse_mb_s(run->rows, run->n, run->alloc, sizes[j], &k);

		for (size_t i = 0; i < run->n && !c; i++)
			if (lesson_usable(&run->rows[i], NULL, run->alloc, 1) &&
			    run->rows[i].n_routes == sizes[j] && run->rows[i].route_bytes_parsed)
				c = &run->rows[i];
		if (c && k && isfinite(mb))
			fprintf(f, "%" PRIu64 ",%" PRIu64 ",%zu,%.2f\n", sizes[j],
				c->route_bytes_parsed, k, mb);
	}
	return 0;
}

/* Write run->dir/name with fill, atomically. 0, or -errno (printed). */
static int write_one(const struct report_run *run, const char *name,
		     int (*fill)(const struct report_run *, FILE *))
{
	char path[REPORT_PATH_MAX + 32];
	struct rb_outfile o;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", run->dir, name);
	rc = rb_outfile_open(&o, path);
	if (rc == 0) {
		rc = fill(run, o.f);
		if (rc == 0 && ferror(o.f))
			rc = -EIO;
		if (rc == 0)
			rc = rb_outfile_commit(&o);
		else
			rb_outfile_abort(&o);
	}
	if (rc != 0)
		fprintf(stderr, "routebench report: cannot write %s: %s\n", path, strerror(-rc));
	return rc;
}

int report_derived_write(const struct report_run *run)
{
	int rc = write_one(run, "crossover.csv", write_crossover);

	if (rc == 0)
		rc = write_one(run, "pareto.csv", write_pareto);
	if (rc == 0)
		rc = write_one(run, "panels.csv", report_panels_fill);
	if (rc == 0)
		rc = write_one(run, "allocator.csv", write_allocator);
	if (rc == 0)
		rc = write_one(run, "parse.csv", write_parse);
	return rc == 0 ? report_palette_write(run->dir) : rc;
}
