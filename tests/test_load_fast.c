/*
 * test_load_fast.c - the loader's fast path (load_fast.h) is a strict subset of the careful
 * parser: every line it takes, the careful one takes with the same prefix and cost, and it
 * takes every plain line. Built twice: with SSE2, and with it undefined (the SWAR fallback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load.h"
#include "load_fast.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A line near the format: plain most of the time, else one byte changed or added. */
static size_t random_line(char *dst)
{
	static const char noise[] = "+,.0 9\r\t-x\n\x80";
	size_t n = 0, nd = rnd(18), ci = rnd(15), cf = rnd(9);

	dst[n++] = '+';
	for (size_t i = 0; i < nd; i++)
		dst[n++] = (char)('0' + rnd(10));
	dst[n++] = ',';
	for (size_t i = 0; i < ci; i++)
		dst[n++] = (char)('0' + rnd(10));
	if (cf) {
		dst[n++] = '.';
		for (size_t i = 1; i < cf; i++)
			dst[n++] = (char)('0' + rnd(10));
	}
	if (rnd(4) == 0)
		dst[rnd((unsigned)n)] = noise[rnd(sizeof(noise) - 1)];
	dst[n++] = '\n';
	return n;
}

/* The careful parser's verdict on one line (shorter than DS_FAST_SAFE: no fast path). */
static int careful(const char *line, size_t len, struct ds_route *r)
{
	struct ds_routes out = { 0 };
	struct ds_error err;
	int ok = ds_parse_routes(line, len, "t", 0, &out, &err) == 0 && out.n == 1;

	if (ok)
		*r = out.v[0];
	ds_routes_free(&out);
	return ok;
}

/* The plain grammar, byte by byte: '+' D{0,15} ',' D{1,12} ('.' D{1,6})? '\n'. */
static int is_plain(const char *p)
{
	size_t n = 0, ci = 0, cf = 0;

	if (*p++ != '+')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++, n++;
	if (n > 15 || *p++ != ',')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++, ci++;
	if (ci < 1 || ci > 12)
		return 0;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			cf++;
		if (cf < 1 || cf > 6)
			return 0;
	}
	return *p == '\n';
}

static void test_route_line_subset(void **state)
{
	char buf[128];

	(void)state;
	for (int iter = 0; iter < 200000; iter++) {
		size_t len = random_line(buf), used, first;
		struct ds_route want;
		unsigned plen;
		uint64_t cost;

		memset(buf + len, iter & 1 ? 0 : '7', sizeof(buf) - len); /* what follows the line */
		first = (size_t)((char *)memchr(buf, '\n', len) - buf) + 1;
		used = ds_fast_route(buf, &plen, &cost);
		assert_int_equal(used != 0, is_plain(buf));
		if (used) {
			assert_int_equal(used, first);
			assert_true(careful(buf, first - 1, &want));
			assert_int_equal(plen, want.len);
			assert_memory_equal(buf + 1, want.digits, plen);
			assert_int_equal(cost, want.cost);
		}
	}
}

/* A window takes the same lines as ds_fast_route one at a time, and stops where it stops. */
static void test_window_matches_lines(void **state)
{
	char buf[256];

	(void)state;
	for (int iter = 0; iter < 100000; iter++) {
		struct ds_fast_line f[DS_FAST_MAX_LINES];
		size_t len = 0, used, pos = 0;
		unsigned k, i = 0;

		while (len < 120)
			len += random_line(buf + len);
		memset(buf + len, '\n', sizeof(buf) - len);
		k = ds_fast_routes64(buf, f, &used);
		for (; i < k; i++) {
			unsigned plen;
			uint64_t cost;
			size_t u = ds_fast_route(buf + pos, &plen, &cost);

			assert_int_equal(f[i].off, pos);
			assert_int_not_equal(u, 0);
			assert_int_equal(f[i].len, plen);
			assert_int_equal(f[i].cost, cost);
			pos += u;
		}
		assert_int_equal(used, pos);
		if (memchr(buf + pos, '\n', DS_FAST_WINDOW - pos)) { /* inside: not plain */
			unsigned plen;
			uint64_t cost;

			assert_int_equal(ds_fast_route(buf + pos, &plen, &cost), 0);
		}
	}
}

static void test_values(void **state)
{
	static const char digits[] = "1234567890123456";
	char window[64 + 32];

	(void)state;
	for (unsigned k = 0; k <= 16; k++) {
		uint64_t want = 0;

		for (unsigned i = 0; i < k; i++)
			want = want * 10 + (uint64_t)(digits[i] - '0');
		assert_int_equal(ds_fast_value(digits, k), want);
		if (k <= 8)
			assert_int_equal(ds_fast_value8(digits, k), want);
		assert_int_equal(ds_fast_digit_run(digits), 16);
	}
	assert_int_equal(ds_fast_digit_run("12/4567890123456"), 2);
	assert_int_equal(ds_fast_digit_run("1234567890:23456"), 10);
	memset(window, '.', sizeof(window));
	window[0] = window[63] = '\n';
	window[9] = 'x';
	assert_true(ds_fast_eq64(window, '\n') == (1ULL | 1ULL << 63));
	assert_true(ds_fast_nondigit64(window) == ~0ULL);
	memset(window + 10, '5', 40);
	assert_true(ds_fast_nondigit64(window) == ~(((1ULL << 40) - 1) << 10));
}

/*
 * Every cost shape the fast conversion takes, 1 to 12 integer digits and 0 to 6 decimals, each
 * digit place 0 to 9, against the careful ds_parse_cost.
 */
static void test_costs(void **state)
{
	(void)state;
	for (unsigned ci = 1; ci <= 12; ci++) {
		for (unsigned cf = 0; cf <= 6; cf++) {
			for (unsigned d = 0; d < 20; d++) {
				char c[32];
				size_t n = 0;
				uint64_t want;
				const char *why;

				memset(c, '\n', sizeof(c));
				for (unsigned i = 0; i < ci; i++)
					c[n++] = (char)('0' + (d + 7 * i) % 10);
				if (cf)
					c[n++] = '.';
				for (unsigned i = 0; i < cf; i++)
					c[n++] = (char)('0' + (d + 3 * i + 1) % 10);
				assert_int_equal(ds_parse_cost(c, n, &want, &why), 0);
				assert_int_equal(ds_fast_cost(c, ci, cf), want);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_costs),
		cmocka_unit_test(test_route_line_subset),
		cmocka_unit_test(test_window_matches_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
