/*
 * test_massif.c - the massif parser on a real, trimmed massif output (tests/data/
 * massif.sample.out: linear over 1,000 routes under valgrind, --max-snapshots=10), its CSV, and
 * the errors it reports with file and line. No valgrind runs here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "massif.h"

#ifndef RB_TEST_DATA
#define RB_TEST_DATA "tests/data"
#endif

static void test_sample_snapshots(void **state)
{
	struct massif_run r;
	struct ds_error err;

	(void)state;
	assert_int_equal(massif_load(RB_TEST_DATA "/massif.sample.out", &r, &err), 0);
	assert_int_equal(r.n, 7);
	assert_string_equal(r.time_unit, "B");
	assert_non_null(strstr(r.cmd, "measure --in-process --impl linear"));
	assert_int_equal(r.v[0].time, 0);
	assert_int_equal(r.v[0].heap, 0);
	assert_int_equal(r.v[1].time, 72720);
	assert_int_equal(r.v[1].heap, 72704);
	assert_int_equal(r.v[1].extra, 16);
	assert_int_equal(r.v[2].kind, MASSIF_DETAILED);
	assert_int_equal(r.v[6].time, 183216);
	assert_int_equal(r.v[6].heap, 4179);
	assert_int_equal(r.v[6].extra, 61);
	/* the peak is the snapshot massif marked heap_tree=peak */
	assert_int_equal(r.peak, 3);
	assert_int_equal(r.v[3].kind, MASSIF_PEAK);
	assert_int_equal(r.v[3].heap, 89203);
	assert_int_equal(r.v[3].extra, 93);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i].time >= r.v[i - 1].time);
	massif_free(&r);
}

static void test_sample_csv(void **state)
{
	static const char want[] = "snapshot,time,time_frac,heap_bytes,extra_bytes,peak\n"
				   "0,0,0.000000,0,0,0\n"
				   "1,72720,0.396909,72704,16,0\n"
				   "2,81584,0.445289,81011,93,0\n"
				   "3,89776,0.490001,89203,93,1\n"
				   "4,89936,0.490874,89203,93,0\n"
				   "5,106336,0.580386,72819,77,0\n"
				   "6,183216,1.000000,4179,61,0\n";
	struct massif_run r;
	struct ds_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(massif_load(RB_TEST_DATA "/massif.sample.out", &r, &err), 0);
	assert_int_equal(massif_write_csv(&r, f), 0);
	fclose(f);
	assert_string_equal(buf, want);
	free(buf);
	massif_free(&r);
}

/* Parse text; expect failure at line with a message containing what. */
static void expect_error(const char *text, size_t line, const char *what)
{
	struct massif_run r;
	struct ds_error err;

	assert_int_equal(massif_parse(text, strlen(text), "t.out", &r, &err), -1);
	assert_string_equal(err.path, "t.out");
	assert_int_equal(err.line, line);
	if (!strstr(err.what, what))
		fail_msg("error '%s' does not mention '%s'", err.what, what);
	assert_null(r.v);
	assert_int_equal(r.n, 0);
}

#define HEAD "desc: x\ncmd: ./a\ntime_unit: ms\n"
#define SNAP(n, t, h) "#-----------\nsnapshot=" #n "\n#-----------\ntime=" #t "\nmem_heap_B=" #h \
		      "\nmem_heap_extra_B=8\nmem_stacks_B=0\nheap_tree=empty\n"

static void test_minimal_and_largest_heap(void **state)
{
	static const char text[] = HEAD SNAP(0, 0, 0) SNAP(1, 5, 300) SNAP(2, 9, 100);
	struct massif_run r;
	struct ds_error err;

	(void)state;
	assert_int_equal(massif_parse(text, strlen(text), "t.out", &r, &err), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.time_unit, "ms");
	assert_string_equal(r.cmd, "./a");
	assert_int_equal(r.peak, 1); /* no heap_tree=peak: the largest heap */
	massif_free(&r);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("hello\n", 1, "not massif output");
	expect_error(HEAD, 0, "no snapshots");
	expect_error("desc: x\n" SNAP(0, 0, 0), 0, "no time_unit");
	expect_error(HEAD SNAP(1, 0, 0), 5, "numbered");
	expect_error(HEAD SNAP(0, 0, 0) SNAP(2, 1, 1), 13, "numbered");
	expect_error(HEAD "snapshot=0\ntime=0\nmem_heap_B=x\n", 6, "not a byte count");
	expect_error(HEAD "snapshot=0\ntime=0\nheap_tree=empty\n", 6, "heap_tree before");
	expect_error(HEAD "snapshot=0\ntime=0\ntime=1\n", 6, "twice");
	expect_error(HEAD "snapshot=0\ntime=0\nmem_heap_B=1\n", 0, "incomplete");
	expect_error(HEAD SNAP(0, 9, 0) SNAP(1, 5, 0), 0, "backwards");
	expect_error(HEAD SNAP(0, 0, 0) "bogus=1\n", 12, "unexpected line");
	expect_error(HEAD "snapshot=0\ntime=0\nmem_heap_B=1\nmem_heap_extra_B=0\nmem_stacks_B=0\n"
		     "heap_tree=sideways\n", 9, "heap_tree kind");
}

static void test_missing_file(void **state)
{
	struct massif_run r;
	struct ds_error err;

	(void)state;
	assert_int_equal(massif_load(RB_TEST_DATA "/no-such-massif.out", &r, &err), -1);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.path, "no-such-massif.out"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_snapshots),
		cmocka_unit_test(test_sample_csv),
		cmocka_unit_test(test_minimal_and_largest_heap),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
