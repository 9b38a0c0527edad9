/*
 * test_cachesim.c - the callgrind output parser on a real callgrind file (tests/data/
 * callgrind.out.sample: `routebench cachesim --impls lazytrie --size 100 --numbers 100`, the
 * machine's 32 KiB L1s and 32 MiB LL), the errors it reports with file and line, every prefix
 * of the sample and some garbage through the libFuzzer entry. No valgrind runs here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cachesim.h"

#ifndef RB_TEST_DATA
#define RB_TEST_DATA "tests/data"
#endif
#define SAMPLE RB_TEST_DATA "/callgrind.out.sample"

static void test_sample_totals(void **state)
{
	static const uint64_t want[CS_N_EVENTS] = { 9757, 2808, 107, 0, 17, 0, 0, 0, 0 };
	struct cachesim_counts c;
	struct ds_error err;

	(void)state;
	assert_int_equal(cachesim_load(SAMPLE, &c, &err), 0);
	for (int e = 0; e < CS_N_EVENTS; e++)
		assert_int_equal(c.ev[e], want[e]);
	assert_int_equal(c.have, (1u << CS_N_EVENTS) - 1);
	/* the file says summary: 0 (collection was off at the start); the totals are the figures */
	assert_int_equal(c.from_summary, 0);
	assert_int_equal(c.parts, 1);
	assert_int_equal(c.d1.bytes, 32768);
	assert_int_equal(c.d1.ways, 8);
	assert_int_equal(c.d1.line, 64);
	assert_int_equal(c.i1.bytes, 32768);
	assert_int_equal(c.ll.bytes, 33554432);
	assert_int_equal(c.ll.ways, 16);
	assert_string_equal(cachesim_event_name(CS_DLMR), "DLmr");
}

/* Parse text; expect failure at line with a message containing what. */
static void bad(const char *text, size_t line, const char *what)
{
	struct cachesim_counts c;
	struct ds_error err;

	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(cachesim_parse(text, strlen(text), "x.out", &c, &err), -1);
	assert_string_equal(err.path, "x.out");
	assert_int_equal(err.line, line);
	if (!strstr(err.what, what))
		fail_msg("'%s' is not about '%s'", err.what, what);
	assert_int_equal(c.ev[0], 0x5a5a5a5a5a5a5a5aULL); /* *out untouched */
}

static void test_errors(void **state)
{
	(void)state;
	bad("", 0, "no events");
	bad("# callgrind format\nversion: 1\n", 0, "no events");
	bad("events: Ir Dr\n", 0, "no summary");
	bad("totals: 1 2\nevents: Ir Dr\n", 1, "before the events");
	bad("events: Dr Dw\ntotals: 1 2\n", 1, "without Ir");
	bad("events: Ir Ir\ntotals: 1\n", 1, "named twice");
	bad("events: Ir Dr\ntotals: 1 2 3\n", 2, "more figures");
	bad("events: Ir Dr\ntotals: 1 x2\n", 2, "not a count");
	bad("events: Ir\ntotals: -1\n", 2, "not a count");
	bad("events: Ir\ntotals: 99999999999999999999999\n", 2, "not a count");
	bad("events: Ir\ntotals: 18446744073709551615\ntotals: 1\n", 3, "overflows");
	bad("events: Ir Dr\ntotals: 1 2\nevents: Ir\n", 3, "events change");
}

static void test_variants(void **state)
{
	static const char two_parts[] = "events: Ir Dr Dw\nsummary: 10 2 1\ntotals: 10 2 1\n"
					"part: 2\nevents: Ir Dr Dw\ntotals: 5 1\n";
	static const char summary_only[] = "events: Dr Ir\r\nsummary: 7 30\r\n";
	static const char unknown[] = "events: Ir Bc Bcm\ntotals: 4 3 2\n";
	static const char odd_desc[] = "desc: D1 cache: big\nevents: Ir\ntotals: 1\n";
	struct cachesim_counts c;
	struct ds_error err;

	(void)state;
	assert_int_equal(cachesim_parse(two_parts, strlen(two_parts), "t", &c, &err), 0);
	assert_int_equal(c.ev[CS_IR], 15);
	assert_int_equal(c.ev[CS_DR], 3);
	assert_int_equal(c.ev[CS_DW], 1);
	assert_int_equal(c.parts, 2);
	assert_int_equal(cachesim_parse(summary_only, strlen(summary_only), "t", &c, &err), 0);
	assert_int_equal(c.ev[CS_IR], 30);
	assert_int_equal(c.ev[CS_DR], 7);
	assert_int_equal(c.from_summary, 1);
	assert_int_equal(c.have, (1u << CS_IR) | (1u << CS_DR));
	assert_int_equal(cachesim_parse(unknown, strlen(unknown), "t", &c, &err), 0);
	assert_int_equal(c.ev[CS_IR], 4);
	assert_int_equal(c.have, 1u << CS_IR);
	assert_int_equal(c.d1.bytes, 0);
	/* a desc line that says something else is no cache size, and no error */
	assert_int_equal(cachesim_parse(odd_desc, strlen(odd_desc), "t", &c, &err), 0);
	assert_int_equal(c.d1.bytes, 0);
}

/* Every prefix of the sample, and the sample with bytes flipped, through the fuzz entry: under
 * ASan a read past the buffer would end the test. */
static void test_fuzz_entry(void **state)
{
	FILE *f = fopen(SAMPLE, "rb");
	static uint8_t buf[1 << 14];
	size_t n;

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 100);
	for (size_t len = 0; len <= n; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, buf, len);
		assert_int_equal(cachesim_fuzz_parse(copy, len), 0);
		free(copy);
	}
	for (size_t i = 0; i < n; i += 7) {
		uint8_t *copy = malloc(n);

		memcpy(copy, buf, n);
		copy[i] ^= (uint8_t)(i * 31 + 1);
		assert_int_equal(cachesim_fuzz_parse(copy, n), 0);
		free(copy);
	}
	assert_int_equal(cachesim_fuzz_parse(NULL, 0), 0);
}

static void test_missing_file(void **state)
{
	struct cachesim_counts c;
	struct ds_error err;

	(void)state;
	assert_int_equal(cachesim_load(RB_TEST_DATA "/no-such-callgrind.out", &c, &err), -1);
	assert_non_null(strstr(err.path, "no-such-callgrind.out"));
	assert_true(err.what[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_totals),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_fuzz_entry),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
