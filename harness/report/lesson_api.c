/*
 * lesson_api.c - the service lessons' rules (lesson_api.h): the lookup's share of a request,
 * the knee of the hockey stick, and the targets as comparisons. Pure; O(n) each (the
 * median sorts). Lesson: "met" is a comparison of two figures, never an adjective.
 */
#include "lesson_api.h"

#include <math.h>
#include <stdlib.h>

int lesson_is_spike(double rate)
{
	return isfinite(rate) && fabs(rate - LESSON_SPIKE_RATE) <= 0.001 * LESSON_SPIKE_RATE;
}

double lesson_lookup_share(double impl_max, double base_max)
{
	if (!(impl_max > 0) || !(base_max > 0))
		return NAN;
	return 1.0 - impl_max / base_max;
}

size_t lesson_knee(const double *p99, size_t n, double ref_p99, double mult)
{
	size_t k = 0;

	if (!(ref_p99 > 0))
		return 0;
	while (k < n && isfinite(p99[k]) && p99[k] <= mult * ref_p99)
		k++;
	return k;
}

static enum lesson_target verdict(double got, double limit, int strict)
{
	if (!isfinite(got) || !isfinite(limit))
		return LESSON_UNJUDGED;
	return (strict ? got < limit : got <= limit) ? LESSON_MET : LESSON_NOT_MET;
}

enum lesson_target lesson_spike_target(double p999_us)
{
	return verdict(p999_us, LESSON_SPIKE_P999_US, 1);
}

enum lesson_target lesson_base_target(double impl_max, double base_max)
{
	if (!(impl_max > 0) || !(base_max > 0))
		return LESSON_UNJUDGED;
	return impl_max >= LESSON_BASE_SHARE * base_max ? LESSON_MET : LESSON_NOT_MET;
}

enum lesson_target lesson_visible_target(int inplace, double visible_ms, double build_ms)
{
	if (inplace)
		return verdict(visible_ms, LESSON_INPLACE_MS, 1);
	if (!(build_ms > 0))
		return LESSON_UNJUDGED;
	return verdict(visible_ms, LESSON_REBUILD_X * build_ms, 1);
}

enum lesson_target lesson_rss_target(double above_idle, double table_bytes)
{
	if (!(table_bytes > 0))
		return LESSON_UNJUDGED;
	return verdict(above_idle, LESSON_UPDATE_RSS_X * table_bytes, 0);
}

enum lesson_target lesson_tail_target(double p999_updates, double p999_quiet)
{
	if (!(p999_quiet > 0))
		return LESSON_UNJUDGED;
	return verdict(p999_updates, LESSON_UPDATE_TAIL_X * p999_quiet, 0);
}

int lesson_at_target_size(uint64_t routes, uint64_t carriers)
{
	return routes >= LESSON_TARGET_ROUTES && carriers >= LESSON_TARGET_CARRIERS;
}

int lesson_fell_behind(double offered, double achieved)
{
	return offered > 0 && isfinite(achieved) && achieved < LESSON_KEPT_UP * offered;
}
