/*
 * panels.c - panels.csv: which series each panel of the size charts (build_time, lookup_time,
 * peak_rss, bytes_per_route) and of the crossover charts draws. One panel per group of
 * palette.h (the course's baselines, the ladder, the peers), only the run's allocator and one
 * carrier (jemalloc has its own chart, several carriers their own crossover), so no panel holds
 * more than a group; the peers' panel adds the best of ours on that chart's measure. Columns:
 * chart,panel,group,series,role: group is 1 + palette.h's, role member, best (ours, beside
 * the peers), scan (the scan as a grey reference) or stream (the stream strategy). Lesson: a
 * chart answers one question per panel when the rule that fills its panels is written down.
 */
#include "derived.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "palette.h"
#include "registry.h"

#define MAX_ORDER 256
#define CROSS_BEST_Q 10000.0 /* the peers' crossover panel: ours cheapest at 10,000 numbers */

enum measure { M_BUILD, M_LOOKUP, M_RSS, M_BPR, M_N };

static const char *const chart_names[M_N] = { "build_time", "lookup_time", "peak_rss",
					      "bytes_per_route" };

static double measure_of(const struct bench_cell *c, enum measure m)
{
	switch (m) {
	case M_BUILD: return lesson_is_stream(c) ? NAN : c->build_s;
	case M_LOOKUP: return lesson_is_stream(c) ? NAN : c->lookup_ns;
	case M_RSS: return c->peak_rss_bytes ? (double)c->peak_rss_bytes : NAN;
	default: return lesson_is_stream(c) ? NAN : lesson_bytes_per_route(c);
	}
}

/* The series name plots/series.awk gives c: impl, /ALLOCATOR unless glibc, /kK for K > 1. */
static void series_key(const char *impl, const char *alloc, uint64_t k, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s", impl);

	if (strcmp(alloc, "glibc") != 0 && n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, "/%s", alloc);
	if (k > 1 && n > 0 && (size_t)n < cap)
		snprintf(out + n, cap - (size_t)n, "/k%" PRIu64, k);
}

static int ours(const char *impl)
{
	return lesson_is_index(impl) && report_group_of(impl) != REPORT_GROUP_PEER &&
	       rt_find(impl);
}

/* A measured one-carrier row of impl under alloc with the measure, at size n (0: any). */
static const struct bench_cell *row_of(const struct report_run *run, const char *impl,
				       enum measure m, uint64_t n)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (lesson_measured(c) && c->n_carriers == 1 && strcmp(c->impl, impl) == 0 &&
		    strcmp(c->allocator, run->alloc) == 0 && (!n || c->n_routes == n) &&
		    isfinite(measure_of(c, m)))
			return c;
	}
	return NULL;
}

/* Ours with the lowest measure at the largest size a peer was measured; NULL without peers. */
static const char *best_of_ours(const struct report_run *run, enum measure m)
{
	const struct bench_cell *best = NULL;
	uint64_t n = 0;

	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (report_group_of(c->impl) == REPORT_GROUP_PEER && rt_find(c->impl) &&
		    row_of(run, c->impl, m, c->n_routes) && c->n_routes > n)
			n = c->n_routes;
	}
	for (size_t i = 0; n && i < run->n_impls; i++) {
		const struct bench_cell *c = ours(run->impls[i]) ? row_of(run, run->impls[i], m, n)
								  : NULL;

		if (c && (!best || measure_of(c, m) < measure_of(best, m)))
			best = c;
	}
	return best ? best->impl : NULL;
}

/* The panels of one size chart: each group's measured implementations, in palette order. */
static void size_chart(const struct report_run *run, FILE *f, enum measure m,
		       const char *const *order, size_t no)
{
	const char *best = best_of_ours(run, m);
	char key[96];
	int panel = 0;

	for (int g = 0; g < REPORT_N_GROUPS; g++) {
		int any = 0;

		for (size_t i = 0; i <= no; i++) {
			const char *impl = i < no ? order[i] : LESSON_STREAM;

			if ((int)report_group_of(impl) != g || !row_of(run, impl, m, 0))
				continue;
			panel += !any++;
			series_key(impl, run->alloc, 1, key, sizeof(key));
			fprintf(f, "%s,%d,%d,%s,%s\n", chart_names[m], panel, g + 1, key,
				strcmp(impl, LESSON_STREAM) == 0 ? "stream" : "member");
		}
		if (any && g == REPORT_GROUP_PEER && best) {
			series_key(best, run->alloc, 1, key, sizeof(key));
			fprintf(f, "%s,%d,%d,%s,best\n", chart_names[m], panel, g + 1, key);
		}
	}
}

/* The index row of impl at the crossover chart's size for k carriers, or NULL. */
static const struct bench_cell *cross_row(const struct report_run *run, const char *impl,
					  uint64_t k, uint64_t nstar)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct bench_cell *c = &run->rows[i];

		if (lesson_measured(c) && c->n_carriers == k && c->n_routes == nstar &&
		    strcmp(c->impl, impl) == 0 && strcmp(c->allocator, run->alloc) == 0)
			return c;
	}
	return NULL;
}

/* One crossover chart's panels: the scan and the stream strategy beside the baselines. */
static void cross_chart(const struct report_run *run, FILE *f, uint64_t k, const char *chart,
			const char *const *order, size_t no)
{
	uint64_t nstar = lesson_cross_size_k(run->rows, run->n, k);
	const char *scan = lesson_scan_name(), *best = NULL;
	int have_scan = scan && cross_row(run, scan, k, nstar), panel = 0;
	char key[96];

	for (size_t i = 0; i < no; i++) {
		const struct bench_cell *c = cross_row(run, order[i], k, nstar), *b;

		b = best ? cross_row(run, best, k, nstar) : NULL;
		if (c && ours(order[i]) && (!b || lesson_index_total_s(c, CROSS_BEST_Q) <
							lesson_index_total_s(b, CROSS_BEST_Q)))
			best = order[i];
	}
	for (int g = 0; g < REPORT_N_GROUPS; g++) {
		int any = 0;

		for (size_t i = 0; i < no; i++) {
			if ((int)report_group_of(order[i]) != g || !cross_row(run, order[i], k, nstar))
				continue;
			panel += !any++;
			series_key(order[i], run->alloc, k, key, sizeof(key));
			fprintf(f, "%s,%d,%d,%s,member\n", chart, panel, g + 1, key);
		}
		if (!any)
			continue;
		if (g == REPORT_GROUP_BASE && cross_row(run, LESSON_STREAM, k, nstar))
			fprintf(f, "%s,%d,%d,%s,stream\n", chart, panel, g + 1,
				LESSON_STREAM);
		if (g == REPORT_GROUP_PEER && best) {
			series_key(best, run->alloc, k, key, sizeof(key));
			fprintf(f, "%s,%d,%d,%s,best\n", chart, panel, g + 1, key);
		}
		if (g != REPORT_GROUP_BASE && have_scan) {
			series_key(scan, run->alloc, k, key, sizeof(key));
			fprintf(f, "%s,%d,%d,%s,scan\n", chart, panel, g + 1, key);
		}
	}
}

int report_panels_fill(const struct report_run *run, FILE *f)
{
	const char *order[MAX_ORDER];
	size_t no = report_palette_order(order, MAX_ORDER);
	uint64_t kmax = 1;
	char chart[64];

	fputs("chart,panel,group,series,role\n", f);
	for (int m = 0; m < M_N; m++)
		size_chart(run, f, (enum measure)m, order, no);
	cross_chart(run, f, 1, "crossover", order, no);
	for (size_t i = 0; i < run->n; i++)
		if (lesson_measured(&run->rows[i]) && run->rows[i].n_carriers > kmax)
			kmax = run->rows[i].n_carriers;
	if (kmax > 1) {
		snprintf(chart, sizeof(chart), "crossover_%" PRIu64 "carriers", kmax);
		cross_chart(run, f, kmax, chart, order, no);
	}
	return 0;
}
