/*
 * lesson_cold.c - the rules of the hot-and-cold lesson: which rows compare, and the machine's
 * limits as yardsticks (a lookup in DRAM misses' worth, the bound its cache misses imply, the
 * parser against read bandwidth). Pure arithmetic over rows and meta.json's figures. Lesson:
 * a time per lookup means little until it is set against what one trip to memory costs.
 */
#include "lesson.h"

#include <math.h>
#include <string.h>

#include "registry.h"

const struct bench_cell *lesson_find_qs(const struct bench_cell *rows, size_t n,
					const char *impl, const char *alloc, uint64_t n_routes,
					int cold)
{
	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];

		if (c->status == BENCH_OK && strcmp(c->impl, impl) == 0 &&
		    strcmp(c->allocator, alloc) == 0 && c->n_carriers == 1 &&
		    c->n_routes == n_routes && bench_cell_is_cold(c) == !!cold)
			return c;
	}
	return NULL;
}

uint64_t lesson_cold_size(const struct bench_cell *rows, size_t n, const char *alloc)
{
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bench_cell *c = &rows[i];

		if (c->status == BENCH_OK && bench_cell_is_cold(c) && c->n_carriers == 1 &&
		    strcmp(c->allocator, alloc) == 0 && !lesson_is_stream(c) &&
		    strcmp(c->strategy, "solver") != 0 && c->n_routes > best)
			best = c->n_routes;
	}
	return best;
}

int lesson_is_peer(const char *impl)
{
	const struct route_table_ops *ops = rt_find(impl);

	return ops && (ops->flags & RT_F_PEER);
}

double lesson_dram_misses(double ns, double dram_ns)
{
	return ns > 0 && dram_ns > 0 && isfinite(ns) && isfinite(dram_ns) ? ns / dram_ns : NAN;
}

double lesson_miss_bound_ns(double ll_misses, double dram_ns)
{
	if (!(ll_misses >= 0) || !(dram_ns > 0) || !isfinite(ll_misses) || !isfinite(dram_ns))
		return NAN;
	return ll_misses * dram_ns;
}

double lesson_bound_ratio(double ns, double bound_ns)
{
	return bound_ns > 0 && isfinite(bound_ns) && ns > 0 && isfinite(ns) ? ns / bound_ns : NAN;
}

enum lesson_bound_why lesson_bound_why(double cold_ns, double ll_misses, double dram_ns,
				       double hot_ns, int hot_set_misses, double few_misses,
				       double target)
{
	double bound = lesson_miss_bound_ns(ll_misses, dram_ns), q;

	if (!(cold_ns > 0) || !isfinite(cold_ns) || !isfinite(bound))
		return LESSON_BOUND_UNKNOWN;
	if (hot_set_misses)
		return LESSON_BOUND_HOT_SET;
	if (ll_misses < few_misses)
		return LESSON_BOUND_FITS;
	q = lesson_bound_ratio(cold_ns, bound);
	if (q < 1)
		return LESSON_BOUND_OVERLAPPED;
	if (q <= target)
		return LESSON_BOUND_WITHIN;
	if (!(hot_ns > 0) || !isfinite(hot_ns))
		return LESSON_BOUND_UNEXPLAINED;
	if (hot_ns >= bound)
		return LESSON_BOUND_WORK;
	return cold_ns <= target * (bound + hot_ns) ? LESSON_BOUND_ADDED : LESSON_BOUND_UNEXPLAINED;
}

double lesson_parse_share(double parse_mb_s, double seq_read_gb_s)
{
	if (!(parse_mb_s > 0) || !(seq_read_gb_s > 0) || !isfinite(parse_mb_s) ||
	    !isfinite(seq_read_gb_s))
		return NAN;
	return parse_mb_s / (seq_read_gb_s * 1000);
}
