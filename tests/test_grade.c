/*
 * test_grade.c - the grader's logic (harness/grade/): the conformance cases mean what their
 * names say (answers worked out by hand), random cases are valid and reproducible, every
 * registered implementation passes them, and a structure that is wrong on purpose is caught
 * and shrunk to a case of a route or two.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grade.h"
#include "registry.h"

static char dir[4096];

/* The answers of each conformance case, in order, worked out by hand. */
static const char *const hand[][8] = {
	{ "+15124156620,0.04", "+14152345678,0.03", "+19876543210,0" },
	{ "+1,0.10", "+14,0.90", "+149,0.90", "+1419,0.05", "+141599,0.60", "+14152999,0.02",
	  "+2,0" },
	{ "+14155550123,0.07", "+1415555012,0.02", "+141555501234,0.07" },
	{ "+1,0", "+14,0", "+1415,0", "+4420,0" },
	{ "+1,0.50", "+4420,0.20", "+9,0.50", "+4,0.50" },
	{ "+14151,0.01", "+9,1.50", "+44,0.30", "+1415,0.01" },
	{ "+123456789012345,0.15", "+123456789012346,0.14",
	  "+999999999999999,999999999999.999999", "+99999999999999,0" },
	{ "+1,0", "+14152345678,0" },
	{ "+14152,0.05", "+141523,0.08", "+2,0.01", "+3,0", "+1,0.10" },
};

static void test_conformance_answers(void **state)
{
	static struct grade_case c;
	struct grade_answers a;

	(void)state;
	assert_int_equal(grade_conformance_count(), sizeof(hand) / sizeof(hand[0]));
	for (size_t i = 0; i < grade_conformance_count(); i++) {
		grade_conformance_case(i, &c);
		assert_int_equal(grade_expected(&c, &a), 0);
		for (size_t j = 0; j < a.n; j++)
			if (!hand[i][j] || strcmp(a.line[j], hand[i][j]) != 0)
				fail_msg("%s: line %zu is %s, by hand %s", c.name, j + 1, a.line[j],
					 hand[i][j] ? hand[i][j] : "(none)");
		if (a.n < 8 && hand[i][a.n])
			fail_msg("%s: %zu answers, by hand more", c.name, a.n);
	}
}

static void test_random_cases_valid_and_reproducible(void **state)
{
	static struct grade_case a, b;
	size_t empty = 0, catch_all = 0, multi = 0, dup = 0;

	(void)state;
	for (uint64_t i = 0; i < 2000; i++) {
		grade_random_case(7, i, &a);
		grade_random_case(7, i, &b);
		assert_memory_equal(&a, &b, sizeof(a));
		assert_true(a.n_carriers >= 1 && a.n_carriers <= 3);
		assert_true(a.n_numbers >= 1 && a.n_numbers <= GRADE_MAX_NUMBERS);
		assert_true(a.n_routes <= GRADE_MAX_ROUTES);
		empty += a.n_routes == 0;
		multi += a.n_carriers > 1;
		for (size_t r = 0; r < a.n_routes; r++) {
			assert_true(a.routes[r].carrier < a.n_carriers);
			assert_true(a.routes[r].r.len <= RT_MAX_DIGITS);
			assert_true(a.routes[r].r.cost <= RT_COST_MAX);
			catch_all += a.routes[r].r.len == 0;
			for (size_t q = 0; q < r; q++)
				dup += a.routes[q].r.len == a.routes[r].r.len &&
				       memcmp(a.routes[q].r.digits, a.routes[r].r.digits,
					      a.routes[r].r.len) == 0;
		}
		for (size_t n = 0; n < a.n_numbers; n++)
			assert_true(a.numbers[n].len >= 1 && a.numbers[n].len <= RT_MAX_DIGITS);
	}
	grade_random_case(8, 0, &b);
	assert_memory_not_equal(&a, &b, sizeof(a));
	assert_true(empty > 0 && catch_all > 100 && multi > 500 && dup > 500);
}

/* Every registered implementation passes the conformance and 100 random cases. */
static void test_every_implementation_passes(void **state)
{
	static struct grade_case c;
	static struct grade_result r;

	(void)state;
	for (size_t i = 0; i < rt_registry_count; i++) {
		struct grade_subject s = { .ops = rt_registry[i], .timeout_s = 30, .dir = dir };

		for (size_t k = 0; k < grade_conformance_count() + 100; k++) {
			if (k < grade_conformance_count())
				grade_conformance_case(k, &c);
			else
				grade_random_case(1, k, &c);
			assert_int_equal(grade_run(&s, &c, &r), 0);
			if (r.verdict != GRADE_OK)
				fail_msg("%s: %s: verdict %d", s.ops->name, c.name, r.verdict);
		}
	}
}

/* A linear scan that keeps the first listing of a prefix instead of the cheapest. */
struct first_table {
	struct route_table base;
	struct route_table *inner;
	char seen[64][RT_MAX_DIGITS + 1];
	size_t n;
};

static const struct route_table_ops first_ops;

static int first_create(struct route_table **out)
{
	static struct first_table t; /* one at a time: the grader's child builds one per carrier */
	int rc = rt_create(rt_find_flag(RT_F_SCAN), &t.inner);

	if (rc != 0)
		return rc;
	t.base.ops = &first_ops;
	t.n = 0;
	*out = &t.base;
	return 0;
}

static int first_insert(struct route_table *rt, const char *d, unsigned len, uint64_t cost)
{
	struct first_table *t = (struct first_table *)rt;
	char key[RT_MAX_DIGITS + 1];

	snprintf(key, sizeof(key), "%.*s", (int)len, d);
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->seen[i], key) == 0)
			return 0;
	if (t->n < 64)
		strcpy(t->seen[t->n++], key);
	return rt_insert(t->inner, d, len, cost);
}

static uint64_t first_lookup(const struct route_table *rt, const char *d, unsigned len)
{
	return rt_lookup(((const struct first_table *)rt)->inner, d, len);
}

static void first_stats(const struct route_table *rt, struct rt_stats *out)
{
	rt_stats(((const struct first_table *)rt)->inner, out);
}

static void first_destroy(struct route_table *rt)
{
	rt_destroy(((struct first_table *)rt)->inner);
}

static const struct route_table_ops first_ops = {
	.name = "first", .summary = "wrong", .complexity = "-", .create = first_create,
	.insert = first_insert, .lookup = first_lookup, .stats = first_stats,
	.destroy = first_destroy,
};

static void test_wrong_structure_is_shrunk(void **state)
{
	static struct grade_case c;
	static struct grade_result r;
	struct grade_subject s = { .ops = &first_ops, .timeout_s = 30, .dir = dir };
	uint64_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		grade_random_case(3, i, &c);
		assert_int_equal(grade_run(&s, &c, &r), 0);
		if (r.verdict != GRADE_OK)
			break;
	}
	assert_true(i < 1000);
	assert_int_equal(r.verdict, GRADE_WRONG);
	assert_int_equal(grade_shrink(&s, &c, &r), 0);
	assert_int_equal(r.verdict, GRADE_WRONG);
	/* Minimal: one number, one carrier, the prefix listed twice, each a single digit. */
	assert_int_equal(c.n_numbers, 1);
	assert_int_equal(c.n_carriers, 1);
	assert_int_equal(c.n_routes, 2);
	assert_true(c.routes[0].r.len == c.routes[1].r.len && c.routes[0].r.len <= 1);
	assert_true(c.routes[0].r.cost > c.routes[1].r.cost);
	assert_int_equal(c.numbers[0].len, 1);
	assert_int_equal(grade_run(&s, &c, &r), 0);
	assert_int_equal(r.verdict, GRADE_WRONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_answers),
		cmocka_unit_test(test_random_cases_valid_and_reproducible),
		cmocka_unit_test(test_every_implementation_passes),
		cmocka_unit_test(test_wrong_structure_is_shrunk),
	};
	int rc;

	if (grade_dir_make(dir, sizeof(dir)) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	grade_dir_remove(dir);
	return rc;
}
