/*
 * test_load.c - the loaders accept exactly the documented format and name every bad line.
 *
 * Costs must come out as exact micro-units, the real data's quirks (CRLF, trailing blanks, no
 * final newline, blank lines) must load, and each kind of bad line must fail with its line
 * number and a reason, or be counted when skipping was asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"

static void parse_ok(const char *text, struct ds_routes *r)
{
	struct ds_error err;

	memset(r, 0, sizeof(*r));
	if (ds_parse_routes(text, strlen(text), "t.txt", 0, r, &err) != 0)
		fail_msg("unexpected error: %s:%zu: %s", err.path, err.line, err.what);
}

static void test_costs_are_exact(void **state)
{
	static const struct {
		const char *text;
		uint64_t micros;
	} cases[] = {
		{ "0.04", 40000 },     { "1", 1000000 },   { "1.5", 1500000 },
		{ "0.0125", 12500 },   { "0", 0 },         { "0.000001", 1 },
		{ "007.10", 7100000 }, { "999999999999.999999", 999999999999999999ULL },
		{ "0.29", 290000 },    { "1.30", 1300000 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		uint64_t v = 0;

		assert_int_equal(ds_parse_cost(cases[i].text, strlen(cases[i].text), &v, &why), 0);
		assert_true(v == cases[i].micros);
	}
}

static void test_bad_costs(void **state)
{
	static const char *const bad[] = { "", "x", ".5", "1.", "1.1234567", "-1", "1e3",
					   "1,5", "0x10", "1234567890123", "1.2.3", " 1" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		uint64_t v = 77;

		assert_int_equal(ds_parse_cost(bad[i], strlen(bad[i]), &v, &why), -1);
		assert_non_null(why);
		assert_true(v == 77);
	}
}

static void test_format(void **state)
{
	static const struct {
		uint64_t micros;
		const char *text;
	} cases[] = {
		{ 400000, "0.40" }, { 125000, "0.125" }, { 2000000, "2.00" }, { 40000, "0.04" },
		{ 0, "0.00" },      { 1, "0.000001" },   { 12500, "0.0125" }, { RT_NO_ROUTE, "0" },
		{ 999999999999999999ULL, "999999999999.999999" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];
		size_t n = ds_format_cost(cases[i].micros, buf);

		assert_string_equal(buf, cases[i].text);
		assert_int_equal(n, strlen(cases[i].text));
	}
}

static void test_real_quirks_load(void **state)
{
	struct ds_routes r;

	(void)state;
	parse_ok("+1512,0.04\r\n\n+1415,0.02  \t\n   \n+,0.5\n+123456789012345,1", &r);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.v[0].len, 4);
	assert_memory_equal(r.v[0].digits, "1512", 4);
	assert_true(r.v[0].cost == 40000);
	assert_true(r.v[1].cost == 20000);
	assert_int_equal(r.v[2].len, 0); /* the catch-all */
	assert_int_equal(r.v[3].len, 15);
	assert_true(r.v[3].cost == 1000000);
	ds_routes_free(&r);
}

/* Each bad line fails with its own line number and a reason naming the problem. */
static void test_bad_route_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{ "1512,0.04", "prefix must start with '+'" },
		{ "+1234567890123456,1", "prefix longer than 15 digits" },
		{ "+1512", "missing ',' and cost" },
		{ "+15a2,0.04", "prefix has a character that is not a digit" },
		{ "+1512,", "cost is missing" },
		{ "+1512,abc", "cost is not a number" },
		{ "+1512,0.1234567", "cost has more than 6 decimal places" },
		{ "+1512,0.04,7", "cost is not a number" },
		{ " +1512,0.04", "prefix must start with '+'" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		struct ds_routes r = { 0 };
		struct ds_error err;

		snprintf(text, sizeof(text), "+1,0.01\n\n%s\n+2,0.02\n", cases[i].line);
		assert_int_equal(ds_parse_routes(text, strlen(text), "r.txt", 0, &r, &err), -1);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.path, "r.txt");
		assert_string_equal(err.what, cases[i].why);
		assert_string_equal(err.text, cases[i].line);
		assert_int_equal(r.n, 0); /* nothing appended on failure */
		ds_routes_free(&r);
	}
}

static void test_skip_invalid_counts(void **state)
{
	const char *text = "+1,0.01\nbad\n+2,x\n+3,0.03\n";
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_parse_routes(text, strlen(text), "r.txt", 1, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.skipped, 2);
	ds_routes_free(&r);
}

static void test_long_line(void **state)
{
	size_t n = DS_MAX_LINE + 10;
	char *text = malloc(n + 1);
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	memset(text, '1', n);
	text[0] = '+';
	text[n] = '\0';
	assert_int_equal(ds_parse_routes(text, n, "r.txt", 0, &r, &err), -1);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.what, "line too long (over 1024 bytes)");
	assert_true(strlen(err.text) < sizeof(err.text)); /* truncated, with "..." */
	assert_non_null(strstr(err.text, "..."));
	ds_routes_free(&r);
	free(text);
}

static void test_numbers(void **state)
{
	const char *good = "+15124156620\r\n+1\n\n+123456789012345  ";
	static const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{ "+", "number has no digits" },
		{ "15124156620", "number must start with '+'" },
		{ "+1234567890123456", "number longer than 15 digits" },
		{ "+1512-415", "number has a character that is not a digit" },
		{ "+1512,0.04", "number has a character that is not a digit" },
	};
	struct ds_numbers n = { 0 };
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_parse_numbers(good, strlen(good), "n.txt", 0, &n, &err), 0);
	assert_int_equal(n.n, 3);
	assert_int_equal(n.v[0].len, 11);
	assert_int_equal(n.v[1].len, 1);
	assert_int_equal(n.v[2].len, 15);
	ds_numbers_free(&n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64];

		snprintf(text, sizeof(text), "+1\n%s\n", bad[i].line);
		assert_int_equal(ds_parse_numbers(text, strlen(text), "n.txt", 0, &n, &err), -1);
		assert_int_equal(err.line, 2);
		assert_string_equal(err.what, bad[i].why);
		ds_numbers_free(&n);
	}
}

static void test_files(void **state)
{
	char path[] = "/tmp/rb_test_load_XXXXXX";
	int fd = mkstemp(path);
	const char *text = "+1415,0.02\n+1415234,0.03";
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.bytes, strlen(text));
	ds_routes_free(&r);
	unlink(path);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -1);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.what, "No such file or directory");
	assert_int_equal(ds_load_routes("/tmp", 0, &r, &err), -1);
	assert_string_equal(err.what, "is a directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_costs_are_exact),
		cmocka_unit_test(test_bad_costs),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_real_quirks_load),
		cmocka_unit_test(test_bad_route_lines),
		cmocka_unit_test(test_skip_invalid_counts),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
