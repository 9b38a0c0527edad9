/*
 * test_lesson_api.c - the rules behind the service lessons (harness/report/lesson_api.h): the
 * spike's rate as the files round it, the lookup's share, the knee of the hockey stick, the
 * median, and each of the targets at and around its limit, with a figure missing.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lesson.h"
#include "lesson_api.h"

static void test_spike_and_share(void **state)
{
	(void)state;
	assert_true(lesson_is_spike(166.7));
	assert_true(lesson_is_spike(10000.0 / 60));
	assert_false(lesson_is_spike(165.8)); /* 50% of a 331.6/s maximum: not the spike */
	assert_false(lesson_is_spike(NAN));
	assert_float_equal(lesson_lookup_share(16000, 20000), 0.2, 1e-12);
	assert_true(lesson_lookup_share(21000, 20000) < 0); /* noise: faster than HTTP alone */
	assert_true(isnan(lesson_lookup_share(0, 20000)));
	assert_true(isnan(lesson_lookup_share(16000, NAN)));
}

static void test_knee(void **state)
{
	double p99[] = { 250, 300, 500, 1000, 3000 };
	double flat[] = { 300, 320, 400, 700, 1200 };
	double nan_mid[] = { 250, NAN, 500 };

	(void)state;
	assert_int_equal(lesson_knee(p99, 5, 250, 5), 4);  /* 3000 > 1250: knee at the 4th */
	assert_int_equal(lesson_knee(flat, 5, 300, 5), 5); /* never past it */
	assert_int_equal(lesson_knee(p99, 5, 250, 1), 1);  /* only the spike itself */
	assert_int_equal(lesson_knee(p99, 5, 0, 5), 0);    /* no spike figure: no knee */
	assert_int_equal(lesson_knee(nan_mid, 3, 250, 5), 1); /* a point not measured stops it */
	assert_int_equal(lesson_knee(p99, 0, 250, 5), 0);
}

static void test_median(void **state)
{
	double odd[] = { 40, 20, 250, NAN, 30 }, even[] = { 3, 1 }, none[] = { NAN };

	(void)state;
	assert_float_equal(lesson_median(odd, 5), 35, 1e-12); /* NaN dropped: 20 30 40 250 */
	assert_float_equal(lesson_median(even, 2), 2, 1e-12);
	assert_true(isnan(lesson_median(none, 1)));
	assert_true(isnan(lesson_median(none, 0)));
}

static void test_targets(void **state)
{
	(void)state;
	assert_int_equal(lesson_spike_target(999.9), LESSON_MET);
	assert_int_equal(lesson_spike_target(1000), LESSON_NOT_MET); /* "under 1 ms" */
	assert_int_equal(lesson_spike_target(NAN), LESSON_UNJUDGED);
	assert_int_equal(lesson_base_target(14000, 20000), LESSON_MET); /* exactly 70% */
	assert_int_equal(lesson_base_target(13999, 20000), LESSON_NOT_MET);
	assert_int_equal(lesson_base_target(14000, 0), LESSON_UNJUDGED);
	assert_int_equal(lesson_visible_target(1, 199, NAN), LESSON_MET);
	assert_int_equal(lesson_visible_target(1, 250, 800), LESSON_NOT_MET);
	assert_int_equal(lesson_visible_target(0, 1100, 800), LESSON_MET);  /* < 1200 */
	assert_int_equal(lesson_visible_target(0, 1200, 800), LESSON_NOT_MET);
	assert_int_equal(lesson_visible_target(0, 1100, NAN), LESSON_UNJUDGED);
	assert_int_equal(lesson_rss_target(76.8e6, 64e6), LESSON_MET); /* at most 1.2x */
	assert_int_equal(lesson_rss_target(80e6, 64e6), LESSON_NOT_MET);
	assert_int_equal(lesson_rss_target(80e6, NAN), LESSON_UNJUDGED);
	assert_int_equal(lesson_tail_target(1200, 400), LESSON_MET); /* at most 3x */
	assert_int_equal(lesson_tail_target(1600, 400), LESSON_NOT_MET);
	assert_int_equal(lesson_tail_target(1600, 0), LESSON_UNJUDGED);
	assert_true(lesson_at_target_size(10000000, 5));
	assert_false(lesson_at_target_size(1000000, 5));
	assert_false(lesson_at_target_size(10000000, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spike_and_share),
		cmocka_unit_test(test_knee),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
