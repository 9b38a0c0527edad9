/*
 * bench_progress.c - progress lines, the summary table and the charts of a bench run. Figures that
 * were not measured (a skipped or failed cell) print as "-", never as 0 or nan; every line says
 * its query set (hot or cold), since the same cell of the two sets differs several times over.
 */
#include "bench_progress.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "sysinfo.h"

static const char *human_bytes(uint64_t b, char *buf, size_t cap)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;

	if (!b)
		return "-";
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/* v with the given decimals, or "-" when it was not measured. */
static const char *fig(double v, int decimals, char *buf, size_t cap)
{
	if (!isfinite(v))
		return "-";
	snprintf(buf, cap, "%.*f", decimals, v);
	return buf;
}

/* A stream or solver row's end-to-end seconds at n_queries (its last point), or NaN. */
static double stream_seconds(const struct bench_cell *c)
{
	const char *last = strrchr(c->stream_points, ':');

	return last ? strtod(last + 1, NULL) : NAN;
}

void bench_report_cell(size_t done, size_t total, const struct bench_cell *c)
{
	char rss[32], b[32], l[32];

	fprintf(stderr, "[%3zu/%zu] %-12s %-8s n=%-9" PRIu64 " k=%-2" PRIu64 " %-4s", done, total,
		c->impl, c->allocator, c->n_routes, c->n_carriers, c->query_set);
	if (c->status == BENCH_SKIPPED) {
		fprintf(stderr, " skipped (%s)\n", c->detail);
		return;
	}
	if (strcmp(c->strategy, "index") != 0) {
		fprintf(stderr, " end to end %10s s (q=%-6" PRIu64 ")%17s peak %10s  %s",
			fig(stream_seconds(c), 4, b, sizeof(b)), c->n_queries, "",
			human_bytes(c->peak_rss_bytes, rss, sizeof(rss)),
			bench_status_name(c->status));
		fprintf(stderr, c->detail[0] ? " (%s)\n" : "\n", c->detail);
		return;
	}
	fprintf(stderr, " build %10s s  lookup %10s ns (q=%-6" PRIu64 ") peak %10s  %s",
		fig(c->build_s, 4, b, sizeof(b)), fig(c->lookup_ns, 1, l, sizeof(l)), c->n_queries,
		human_bytes(c->peak_rss_bytes, rss, sizeof(rss)), bench_status_name(c->status));
	fprintf(stderr, c->detail[0] ? " (%s)\n" : "\n", c->detail);
}

void bench_report_summary(const struct bench_cell *rows, size_t n)
{
	char rss[32], p[32], b[32], l[32], r[32];

	fprintf(stderr, "\n%-12s %-8s %9s %2s %-4s %7s %10s %10s %11s %10s %9s  %s\n", "impl",
		"alloc", "routes", "k", "set", "q", "parse MB/s", "build s", "lookup ns",
		"peak RSS", "B/route", "status");
	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];

		fprintf(stderr, "%-12s %-8s %9" PRIu64 " %2" PRIu64 " %-4s %7" PRIu64, c->impl,
			c->allocator, c->n_routes, c->n_carriers, c->query_set, c->n_queries);
		fprintf(stderr, " %10s %10s %11s %10s %9s  %s",
			fig(c->parse_mb_s, 1, p, sizeof(p)), fig(c->build_s, 4, b, sizeof(b)),
			fig(c->lookup_ns, 1, l, sizeof(l)),
			human_bytes(c->peak_rss_bytes, rss, sizeof(rss)),
			fig(c->bytes_per_route, 1, r, sizeof(r)), bench_status_name(c->status));
		if (strcmp(c->strategy, "index") != 0 && c->status != BENCH_SKIPPED)
			fprintf(stderr, "  (end to end %s s)",
				fig(stream_seconds(c), 4, b, sizeof(b)));
		fputc('\n', stderr);
	}
}

/*
 * Row b is a better pick than row a for the memory table: fewer carriers, then more routes, then
 * a hot row before a cold one (the same table built again: one line for both).
 */
static int better_pick(const struct bench_cell *a, const struct bench_cell *b)
{
	if (a->n_carriers != b->n_carriers)
		return b->n_carriers < a->n_carriers;
	if (a->n_routes != b->n_routes)
		return b->n_routes > a->n_routes;
	return bench_cell_is_cold(a) && !bench_cell_is_cold(b);
}

/* A heap figure per route, or "-" when it was not measured. */
static const char *per_route(int64_t bytes, double routes, char *buf, size_t cap)
{
	return bytes == BENCH_UNMEASURED ? "-" : fig((double)bytes / routes, 1, buf, cap);
}

void bench_report_memory(const struct bench_cell *rows, size_t n)
{
	char s[32], h[32], a[32], r[32], p[32];
	int header = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];
		double routes = (double)c->n_routes * (double)c->n_carriers;
		int best = c->status == BENCH_OK && routes > 0 && strcmp(c->strategy, "index") == 0;

		for (size_t j = 0; j < n && best; j++)
			best = rows[j].status != BENCH_OK || strcmp(rows[j].impl, c->impl) != 0 ||
			       strcmp(rows[j].allocator, c->allocator) != 0 ||
			       !better_pick(c, &rows[j]);
		if (!best)
			continue;
		if (!header++)
			fprintf(stderr, "\nbytes per route at the largest size: the structure, "
					"then the allocator's view (see the alloc_overhead chart)\n"
					"%-12s %-8s %9s %2s %9s %9s %9s %9s %9s\n", "impl", "alloc",
				"routes", "k", "struct", "allocated", "active", "resident",
				"peak-base");
		fprintf(stderr, "%-12s %-8s %9" PRIu64 " %2" PRIu64 " %9s %9s %9s %9s %9s\n",
			c->impl, c->allocator, c->n_routes, c->n_carriers,
			fig((double)c->struct_bytes / routes, 1, s, sizeof(s)),
			fig((double)c->heap_bytes / routes, 1, h, sizeof(h)),
			per_route(c->heap_active_bytes, routes, a, sizeof(a)),
			per_route(c->heap_resident_bytes, routes, r, sizeof(r)),
			fig(((double)c->peak_rss_bytes - (double)c->baseline_rss_bytes) / routes, 1,
			    p, sizeof(p)));
	}
}

int bench_draw_charts(const char *dir)
{
	char script[4200], arg[4200];
	char *const argv[] = { "gnuplot", "-e", arg, script, NULL };
	struct rb_child c = { .argv = argv };
	int rc;

	snprintf(script, sizeof(script), "%s/plots/all.gp", bench_source_dir());
	if (access(script, R_OK) != 0) {
		if (access("plots/all.gp", R_OK) != 0)
			return -ENOENT;
		snprintf(script, sizeof(script), "plots/all.gp");
	}
	if (strchr(dir, '\'') || strchr(dir, '\\'))
		return -1;
	snprintf(arg, sizeof(arg), "dir='%s'", dir);
	rc = rb_child_run(&c, NULL, 0);
	if (rc == -ECHILD && rb_child_exited(&c, 127))
		return -ENOENT;
	return rc == 0 ? 0 : -1;
}
