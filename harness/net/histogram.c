/*
 * histogram.c - the log-linear histogram: bucket b holds values in [2^b, 2^(b+1)) x sub_half
 * scaled by the unit, cut into sub_half linear sub-buckets, so the width of a sub-bucket is
 * always less than 1/sub_half of its values (1/1024 for 3 digits). The layout follows
 * HdrHistogram's (Gil Tene), whose index arithmetic this reproduces.
 */
#include "histogram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int bucket_index(const struct net_hist *h, int64_t v)
{
	int pow2ceiling = 64 - __builtin_clzll((unsigned long long)(v | h->sub_mask));

	return pow2ceiling - h->unit_magnitude - (h->sub_half_magnitude + 1);
}

static int32_t sub_index(const struct net_hist *h, int64_t v, int b)
{
	return (int32_t)(v >> (b + h->unit_magnitude));
}

static int32_t counts_index(const struct net_hist *h, int b, int32_t s)
{
	return ((b + 1) << h->sub_half_magnitude) + (s - h->sub_half);
}

static int64_t value_from(const struct net_hist *h, int b, int32_t s)
{
	return (int64_t)s << (b + h->unit_magnitude);
}

/* The lowest value counted at counts[i]. */
static int64_t value_at_index(const struct net_hist *h, int32_t i)
{
	int b = (i >> h->sub_half_magnitude) - 1;
	int32_t s = (i & (h->sub_half - 1)) + h->sub_half;

	if (b < 0) {
		s -= h->sub_half;
		b = 0;
	}
	return value_from(h, b, s);
}

static int64_t equivalent_range(const struct net_hist *h, int64_t v)
{
	int b = bucket_index(h, v);
	int32_t s = sub_index(h, v, b);

	return (int64_t)1 << (h->unit_magnitude + (s >= h->sub_count ? b + 1 : b));
}

int64_t net_hist_lowest_equivalent(const struct net_hist *h, int64_t v)
{
	int b = bucket_index(h, v);

	return value_from(h, b, sub_index(h, v, b));
}

int64_t net_hist_highest_equivalent(const struct net_hist *h, int64_t v)
{
	return net_hist_lowest_equivalent(h, v) + equivalent_range(h, v) - 1;
}

static int32_t buckets_to_cover(int64_t highest, int32_t sub_count, int unit_magnitude)
{
	int64_t untrackable = (int64_t)sub_count << unit_magnitude;
	int32_t n = 1;

	while (untrackable <= highest) {
		if (untrackable > INT64_MAX / 2)
			return n + 1;
		untrackable <<= 1;
		n++;
	}
	return n;
}

int net_hist_init(struct net_hist *h, int64_t lowest, int64_t highest, int sigfigs)
{
	struct net_hist t = { 0 };
	int64_t largest_unit;
	int mag = 0;

	if (lowest < 1 || highest < 2 * lowest || sigfigs < 1 || sigfigs > 5)
		return -EINVAL;
	largest_unit = 2;
	for (int i = 0; i < sigfigs; i++)
		largest_unit *= 10;
	while (((int64_t)1 << mag) < largest_unit)
		mag++;
	t.lowest = lowest;
	t.highest = highest;
	t.sigfigs = sigfigs;
	t.unit_magnitude = 63 - __builtin_clzll((unsigned long long)lowest);
	t.sub_half_magnitude = mag - 1;
	t.sub_count = (int32_t)1 << mag;
	t.sub_half = t.sub_count / 2;
	if (t.unit_magnitude + mag > 61)
		return -EINVAL;
	t.sub_mask = (int64_t)(t.sub_count - 1) << t.unit_magnitude;
	t.bucket_count = buckets_to_cover(highest, t.sub_count, t.unit_magnitude);
	t.counts_len = (t.bucket_count + 1) * t.sub_half;
	t.counts = calloc((size_t)t.counts_len, sizeof(*t.counts));
	if (!t.counts)
		return -ENOMEM;
	t.min = INT64_MAX;
	*h = t;
	return 0;
}

void net_hist_free(struct net_hist *h)
{
	free(h->counts);
	h->counts = NULL;
	h->total = 0;
}

void net_hist_reset(struct net_hist *h)
{
	memset(h->counts, 0, (size_t)h->counts_len * sizeof(*h->counts));
	h->total = 0;
	h->min = INT64_MAX;
	h->max = 0;
}

int net_hist_record_n(struct net_hist *h, int64_t v, uint64_t n)
{
	int32_t i;
	int b;

	if (v < 0 || v > h->highest)
		return -ERANGE;
	b = bucket_index(h, v);
	i = counts_index(h, b, sub_index(h, v, b));
	if (i < 0 || i >= h->counts_len)
		return -ERANGE;
	h->counts[i] += n;
	h->total += n;
	if (n && v < h->min)
		h->min = v;
	if (n && v > h->max)
		h->max = v;
	return 0;
}

int net_hist_record(struct net_hist *h, int64_t v)
{
	return net_hist_record_n(h, v, 1);
}

int net_hist_merge(struct net_hist *dst, const struct net_hist *src)
{
	if (dst->lowest != src->lowest || dst->highest != src->highest ||
	    dst->sigfigs != src->sigfigs || dst->counts_len != src->counts_len)
		return -EINVAL;
	for (int32_t i = 0; i < src->counts_len; i++)
		dst->counts[i] += src->counts[i];
	dst->total += src->total;
	if (src->total && src->min < dst->min)
		dst->min = src->min;
	if (src->total && src->max > dst->max)
		dst->max = src->max;
	return 0;
}

int64_t net_hist_percentile(const struct net_hist *h, double p)
{
	uint64_t want, seen = 0;

	if (h->total == 0)
		return 0;
	if (p <= 0)
		return h->min;
	if (p >= 100)
		return h->max;
	want = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
	if (want < 1)
		want = 1;
	for (int32_t i = 0; i < h->counts_len; i++) {
		seen += h->counts[i];
		if (seen >= want) {
			int64_t v = net_hist_highest_equivalent(h, value_at_index(h, i));

			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

double net_hist_mean(const struct net_hist *h)
{
	double sum = 0;

	if (h->total == 0)
		return 0;
	for (int32_t i = 0; i < h->counts_len; i++) {
		if (h->counts[i]) {
			int64_t v = value_at_index(h, i);
			double mid = (double)v + (double)(equivalent_range(h, v) >> 1);

			sum += mid * (double)h->counts[i];
		}
	}
	return sum / (double)h->total;
}
