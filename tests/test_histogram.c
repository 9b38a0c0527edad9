/*
 * test_histogram.c - the latency histogram counts exactly, keeps the max exact, stays within
 * 0.1% on the percentiles of known distributions, and merges as if recorded in one.
 *
 * Percentiles are checked against the exact order statistic of the same samples, sorted, with
 * the histogram's own rank rule (the round(p% of n)-th smallest, at least the first).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "histogram.h"

#define US_HOUR 3600000000LL
#define US_2DAYS (48 * US_HOUR)

static const double percentiles[] = { 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999 };

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t exact_percentile(const int64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.5);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* Record v[0..n), then check every percentile against the sorted samples within 0.1%. */
static void check_distribution(int64_t *v, size_t n)
{
	struct net_hist h;

	assert_int_equal(net_hist_init(&h, 1, US_2DAYS, 3), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(net_hist_record(&h, v[i]), 0);
	qsort(v, n, sizeof(*v), cmp_i64);
	assert_true(h.total == n);
	for (size_t k = 0; k < sizeof(percentiles) / sizeof(percentiles[0]); k++) {
		double want = (double)exact_percentile(v, n, percentiles[k]);
		double got = (double)net_hist_percentile(&h, percentiles[k]);

		if (fabs(got - want) > 0.001 * want)
			fail_msg("p%g: histogram %.0f, exact %.0f", percentiles[k], got, want);
	}
	assert_true(net_hist_percentile(&h, 100) == v[n - 1]);
	assert_true(h.max == v[n - 1] && h.min == v[0]);
	net_hist_free(&h);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) / 9007199254740992.0; /* [0, 1) */
}

static void test_exact_counts(void **state)
{
	struct net_hist h;

	(void)state;
	assert_int_equal(net_hist_init(&h, 1, US_HOUR, 3), 0);
	assert_true(net_hist_percentile(&h, 50) == 0 && net_hist_mean(&h) == 0);
	assert_int_equal(net_hist_record_n(&h, 1000, 3), 0);
	assert_int_equal(net_hist_record_n(&h, 5000, 2), 0);
	assert_int_equal(net_hist_record(&h, 0), 0);
	assert_true(h.total == 6);
	assert_true(h.min == 0 && h.max == 5000);
	assert_true(net_hist_percentile(&h, 10) == 0);     /* rank 1 */
	assert_true(net_hist_percentile(&h, 50) == 1000);  /* rank 3 */
	assert_true(net_hist_percentile(&h, 67) == 1000);  /* rank 4 */
	assert_true(net_hist_percentile(&h, 75) == 5000);  /* rank 5: 5000..5003, clamped */
	assert_true(net_hist_percentile(&h, 100) == 5000);
	/* below 2048 every value has a bucket of its own: counts are exact value by value */
	net_hist_reset(&h);
	assert_true(h.total == 0 && h.max == 0);
	for (int64_t v = 0; v < 2048; v++)
		assert_int_equal(net_hist_record_n(&h, v, (uint64_t)v % 3 + 1), 0);
	for (int64_t v = 0; v < 2048; v++)
		assert_true(net_hist_lowest_equivalent(&h, v) == v &&
			    net_hist_highest_equivalent(&h, v) == v);
	assert_true(h.total == 2048 / 3 * 6 + 1 + 2); /* 682 cycles of 1+2+3, then 1 and 2 */
	net_hist_free(&h);
}

static void test_buckets_within_a_thousandth(void **state)
{
	struct net_hist h;

	(void)state;
	assert_int_equal(net_hist_init(&h, 1, US_2DAYS, 3), 0);
	for (int64_t v = 1; v <= US_2DAYS; v = v + v / 7 + 1) {
		int64_t lo = net_hist_lowest_equivalent(&h, v);
		int64_t hi = net_hist_highest_equivalent(&h, v);

		assert_true(lo <= v && v <= hi);
		assert_true((double)(hi - lo) <= (double)lo / 1000.0);
		assert_true(net_hist_lowest_equivalent(&h, hi + 1) == hi + 1);
	}
	net_hist_free(&h);
}

static void test_uniform(void **state)
{
	size_t n = 1000000;
	int64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = (int64_t)((i * 7919) % n) + 1; /* 1..n, each once, shuffled */
	check_distribution(v, n);
	free(v);
}

/* Exponential latencies (mean 200 us) plus a 0.5% tail spread up to one second. */
static void test_exponential_with_tail(void **state)
{
	size_t n = 400000;
	int64_t *v = malloc(n * sizeof(*v));
	uint64_t s = 42;

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		double x = -200.0 * log(1.0 - rng_unit(&s));

		if (rng_unit(&s) < 0.005)
			x = 1000000.0 * rng_unit(&s);
		v[i] = (int64_t)x + 1;
	}
	check_distribution(v, n);
	free(v);
}

/* Log-uniform from 1 us to one hour: every bucket of the range is used. */
static void test_log_uniform(void **state)
{
	size_t n = 300000;
	int64_t *v = malloc(n * sizeof(*v));
	uint64_t s = 7;

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = (int64_t)exp(rng_unit(&s) * log((double)US_HOUR)) + 1;
	check_distribution(v, n);
	free(v);
}

static void test_max_is_exact(void **state)
{
	struct net_hist h;
	int64_t big = US_HOUR - 1; /* in a bucket 2^21 wide */

	(void)state;
	assert_int_equal(net_hist_init(&h, 1, US_2DAYS, 3), 0);
	for (int i = 0; i < 999; i++)
		assert_int_equal(net_hist_record(&h, 100), 0);
	assert_int_equal(net_hist_record(&h, big), 0);
	assert_true(net_hist_highest_equivalent(&h, big) > big);
	assert_true(h.max == big);
	assert_true(net_hist_percentile(&h, 100) == big);
	assert_true(net_hist_percentile(&h, 99.99) == big); /* clamped to the max, not its bucket */
	assert_true(net_hist_percentile(&h, 99.9) == 100);
	net_hist_free(&h);
}

static void test_out_of_range(void **state)
{
	struct net_hist h;

	(void)state;
	assert_int_equal(net_hist_init(&h, 1, US_HOUR, 3), 0);
	assert_int_equal(net_hist_record(&h, -1), -ERANGE);
	assert_int_equal(net_hist_record(&h, US_HOUR + 1), -ERANGE);
	assert_int_equal(net_hist_record(&h, US_HOUR), 0);
	assert_true(h.total == 1 && h.max == US_HOUR);
	net_hist_free(&h);
	assert_int_equal(net_hist_init(&h, 0, US_HOUR, 3), -EINVAL);
	assert_int_equal(net_hist_init(&h, 1, US_HOUR, 6), -EINVAL);
	assert_int_equal(net_hist_init(&h, 10, 15, 3), -EINVAL);
}

static void test_merge(void **state)
{
	struct net_hist a, b, all, other;
	uint64_t s = 99;

	(void)state;
	assert_int_equal(net_hist_init(&a, 1, US_HOUR, 3), 0);
	assert_int_equal(net_hist_init(&b, 1, US_HOUR, 3), 0);
	assert_int_equal(net_hist_init(&all, 1, US_HOUR, 3), 0);
	for (int i = 0; i < 50000; i++) {
		int64_t v = (int64_t)(rng_next(&s) % 10000000);

		assert_int_equal(net_hist_record(i % 3 ? &a : &b, v), 0);
		assert_int_equal(net_hist_record(&all, v), 0);
	}
	assert_int_equal(net_hist_merge(&a, &b), 0);
	assert_true(a.total == all.total && a.min == all.min && a.max == all.max);
	assert_memory_equal(a.counts, all.counts, (size_t)all.counts_len * sizeof(*all.counts));
	for (size_t k = 0; k < sizeof(percentiles) / sizeof(percentiles[0]); k++)
		assert_true(net_hist_percentile(&a, percentiles[k]) ==
			    net_hist_percentile(&all, percentiles[k]));
	/* merging an empty histogram changes nothing; different shapes do not merge */
	net_hist_reset(&b);
	assert_int_equal(net_hist_merge(&a, &b), 0);
	assert_true(a.total == all.total && a.min == all.min);
	assert_int_equal(net_hist_init(&other, 1, US_HOUR, 2), 0);
	assert_int_equal(net_hist_merge(&a, &other), -EINVAL);
	assert_true(a.total == all.total);
	net_hist_free(&a);
	net_hist_free(&b);
	net_hist_free(&all);
	net_hist_free(&other);
}

static void test_mean(void **state)
{
	struct net_hist h;

	(void)state;
	assert_int_equal(net_hist_init(&h, 1, US_HOUR, 3), 0);
	for (int64_t v = 1; v <= 1000; v++)
		assert_int_equal(net_hist_record(&h, v), 0);
	assert_true(fabs(net_hist_mean(&h) - 500.5) < 0.01); /* below 2048: exact buckets */
	assert_int_equal(net_hist_record_n(&h, 1000000, 1000), 0);
	assert_true(fabs(net_hist_mean(&h) - 500250.25) < 500250.25 * 0.001);
	net_hist_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_counts),
		cmocka_unit_test(test_buckets_within_a_thousandth),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_exponential_with_tail),
		cmocka_unit_test(test_log_uniform),
		cmocka_unit_test(test_max_is_exact),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_mean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
