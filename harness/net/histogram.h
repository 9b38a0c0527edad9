/*
 * histogram.h - a log-linear latency histogram in the manner of HdrHistogram.
 *
 * Values are bucketed so that every recorded value is known to a fixed number of significant
 * digits (3: within 0.1%) from the lowest to the highest trackable value, in a flat array of
 * counters: recording is O(1) (a count-leading-zeros and a shift), a percentile is one pass
 * over about 28,000 counters, and 1 us to 2 days at 3 digits costs about 230 KB. The lesson:
 * keep every sample's magnitude, not an average, or the tail you are looking for is gone.
 */
#ifndef ROUTEBENCH_HISTOGRAM_H
#define ROUTEBENCH_HISTOGRAM_H

#include <stdint.h>

struct net_hist {
	int64_t lowest;      /* lowest discernible value (>= 1) */
	int64_t highest;     /* highest trackable value */
	int sigfigs;         /* 1 to 5 significant decimal digits */
	int unit_magnitude;  /* floor(log2(lowest)) */
	int sub_half_magnitude;
	int32_t sub_count;   /* sub-buckets per bucket: a power of two >= 2 * 10^sigfigs */
	int32_t sub_half;
	int64_t sub_mask;
	int32_t bucket_count;
	int32_t counts_len;
	uint64_t total;      /* values recorded */
	int64_t min, max;    /* the exact extremes (INT64_MAX, 0 while empty) */
	uint64_t *counts;
};

/*
 * Make an empty histogram for values 0..highest, each known to sigfigs digits above lowest.
 * 0, -EINVAL (lowest < 1, highest < 2 * lowest, sigfigs outside 1..5) or -ENOMEM.
 */
int net_hist_init(struct net_hist *h, int64_t lowest, int64_t highest, int sigfigs);

/* Free the counters; h may be zeroed or already freed. */
void net_hist_free(struct net_hist *h);

/* Forget every value, keep the shape. */
void net_hist_reset(struct net_hist *h);

/* Count value v n times. 0, or -ERANGE when v < 0 or v > highest (nothing is counted). */
int net_hist_record_n(struct net_hist *h, int64_t v, uint64_t n);
int net_hist_record(struct net_hist *h, int64_t v);

/* Add every count of src to dst. 0, or -EINVAL when their shapes differ (dst unchanged). */
int net_hist_merge(struct net_hist *dst, const struct net_hist *src);

/*
 * The value at percentile p (0..100): the smallest recorded value v such that at least
 * round(p% of total) values (at least one) are <= v, reported as the highest value of v's
 * bucket and never above the exact max. 0 when empty. p = 100 is the exact max.
 */
int64_t net_hist_percentile(const struct net_hist *h, double p);

/* Mean of the recorded values (each at its bucket's midpoint); 0 when empty. */
double net_hist_mean(const struct net_hist *h);

/* The lowest and highest values that share v's bucket (values known to be equivalent). */
int64_t net_hist_lowest_equivalent(const struct net_hist *h, int64_t v);
int64_t net_hist_highest_equivalent(const struct net_hist *h, int64_t v);

#endif
