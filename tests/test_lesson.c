/*
 * test_lesson.c - the rules behind the report's computed sentences (harness/lesson.h): totals
 * with one parse figure, the crossover and its size, stream points, the Pareto frontier, and
 * claimed against fitted big-O, including every registered implementation's own claim.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"
#include "lesson.h"
#include "registry.h"

static struct bench_cell cell(const char *impl, const char *alloc, uint64_t n, uint64_t k,
			      double parse, double build, double lookup_ns)
{
	struct bench_cell c;

	bench_cell_init(&c, impl, alloc);
	c.status = BENCH_OK;
	c.n_routes = n;
	c.n_carriers = k;
	c.parse_s = parse;
	c.build_s = build;
	c.lookup_ns = lookup_ns;
	return c;
}

static void test_totals(void **state)
{
	struct bench_cell lin = cell("linear", "glibc", 100000, 1, 0.0025, 0.0015, 30000);
	struct bench_cell h = cell("hash", "glibc", 100000, 1, 0.0026, 0.0046, 130);
	struct bench_cell s = cell("stream", "glibc", 100000, 1, NAN, NAN, NAN);

	(void)state;
	assert_float_equal(lesson_index_total_s(&lin, 1), 0.00403, 1e-12);
	assert_float_equal(lesson_index_total_s(&h, 1000), 0.0072 + 130e-6, 1e-12);
	assert_float_equal(lesson_index_total_s(&s, 10), 0, 0); /* not measured counts as 0 */
	/* one parse figure for all; the scan's build is its copy */
	assert_float_equal(lesson_shared_total_s(&lin, 0.002, 1), 0.002 + 0.0015 + 30e-6, 1e-12);
	assert_float_equal(lesson_shared_total_s(&h, 0.002, 1), 0.002 + 0.0046 + 130e-9, 1e-12);
}

static void test_median_parse(void **state)
{
	struct bench_cell rows[] = {
		cell("linear", "glibc", 1000, 1, 0.5, 0, 1),     /* a cold first read */
		cell("hash", "glibc", 1000, 1, 0.1, 0, 1),
		cell("trie", "glibc", 1000, 1, 0.3, 0, 1),
		cell("trie", "jemalloc", 1000, 1, 9, 0, 1),     /* another allocator */
		cell("hash", "glibc", 1000, 5, 9, 0, 1),        /* another carrier count */
		cell("stream", "glibc", 1000, 1, 9, NAN, NAN),  /* no table */
		cell("sorted", "glibc", 2000, 1, 9, 0, 1),      /* another size */
	};
	size_t k = 0;

	(void)state;
	assert_float_equal(lesson_median_parse_s(rows, 7, "glibc", 1000, &k), 0.3, 1e-12);
	assert_int_equal(k, 3);
	rows[3] = cell("sorted", "glibc", 1000, 1, 0.2, 0, 1);
	assert_float_equal(lesson_median_parse_s(rows, 7, "glibc", 1000, &k), 0.25, 1e-12);
	assert_int_equal(k, 4);
	assert_true(isnan(lesson_median_parse_s(rows, 7, "glibc", 5, &k)));
	assert_int_equal(k, 0);
}

static void test_crossover(void **state)
{
	struct bench_cell lin = cell("linear", "glibc", 100000, 1, 0.0025, 0.0015, 30000);
	struct bench_cell h = cell("hash", "glibc", 100000, 1, 0.0026, 0.0046, 130);
	struct bench_cell cheap = cell("hash", "glibc", 100000, 1, 0.0026, 0.00001, 130);
	struct bench_cell slow = cell("sqlite", "glibc", 100000, 1, 0.0025, 0.04, 40000);
	struct lesson_cross x;

	(void)state;
	lesson_crossover(&lin, &h, &x); /* parse cancels: (4.6 - 1.5) ms / 29,870 ns */
	assert_int_equal(x.kind, LESSON_CROSS_FROM);
	assert_float_equal(x.q, 0.0031 / 29870e-9, 1e-6); /* 103.78 */
	assert_int_equal(x.first_q, 104);
	assert_false(lesson_cross_wins(&x, 103));
	assert_true(lesson_cross_wins(&x, 104));
	lesson_crossover(&lin, &cheap, &x);
	assert_int_equal(x.kind, LESSON_CROSS_ALWAYS);
	assert_true(lesson_cross_wins(&x, 1));
	lesson_crossover(&lin, &slow, &x);
	assert_int_equal(x.kind, LESSON_CROSS_NEVER);
	assert_false(lesson_cross_wins(&x, 1000000));
}

static void test_cross_size(void **state)
{
	struct bench_cell rows[] = {
		cell("linear", "glibc", 1000, 1, 0, 0, 1),
		cell("stream", "glibc", 1000, 1, NAN, NAN, NAN),
		cell("hash", "glibc", 100000, 1, 0, 0, 1),
		cell("hash", "glibc", 1000000, 5, 0, 0, 1),
	};

	(void)state;
	/* stream and an index both ran at 1,000 only: that is N* */
	assert_int_equal(lesson_cross_size(rows, 4), 1000);
	/* without stream: the largest one-carrier size */
	assert_int_equal(lesson_cross_size(rows + 2, 2), 100000);
	rows[1].status = BENCH_OOM;
	assert_int_equal(lesson_cross_size(rows, 4), 100000);
	rows[1].status = BENCH_MISMATCH; /* counted, as the chart does */
	assert_int_equal(lesson_cross_size(rows, 4), 1000);
	assert_int_equal(lesson_cross_size(rows, 0), 0);
}

static void test_stream_points(void **state)
{
	double q[8], t[8];

	(void)state;
	assert_int_equal(lesson_stream_points("1:0.003;10:0.0031;10000:0.1", q, t, 8), 3);
	assert_float_equal(q[2], 10000, 0);
	assert_float_equal(t[1], 0.0031, 1e-15);
	/* malformed items are skipped, cap respected */
	assert_int_equal(lesson_stream_points("1:0.5;x:1;5;7:;100:2", q, t, 8), 2);
	assert_float_equal(q[1], 100, 0);
	assert_int_equal(lesson_stream_points("1:1;2:2;3:3", q, t, 2), 2);
	assert_int_equal(lesson_stream_points("", q, t, 8), 0);
}

static void test_frontier(void **state)
{
	/* bytes/route, ns: louds, compacttrie, maptrie on the frontier; hash beaten */
	double x[] = { 20.97, 20.97, 4237, 180.6, 136.2, 16.4, 2.9 };
	double y[] = { 30000, 130, 36, 22, 31, 26, 104 };
	int on[7];
	size_t beats[7];

	(void)state;
	assert_int_equal(lesson_frontier(x, y, 7, on, beats), 3);
	assert_int_equal(on[0] + on[1] + on[2] + on[4], 0);
	assert_true(on[3] && on[5] && on[6]);
	assert_int_equal(beats[5], 4); /* linear, hash, trie, lazytrie */
	assert_int_equal(beats[6], 2); /* linear, hash */
	assert_int_equal(beats[3], 1); /* trie */
	/* equal points dominate neither each other; one better on one axis dominates both */
	{
		double a[] = { 1, 1, 1 }, b[] = { 5, 5, 4 };

		assert_int_equal(lesson_frontier(a, b, 2, on, NULL), 2);
		assert_int_equal(lesson_frontier(a, b, 3, on, beats), 1);
		assert_true(on[2] && beats[2] == 2);
	}
}

static void order(const char *claim, const char *part, int deg, int log)
{
	struct lesson_order o;

	assert_int_equal(lesson_claimed_order(claim, part, &o), 0);
	assert_int_equal(o.deg, deg);
	assert_int_equal(o.log, log);
}

static void test_claimed_order(void **state)
{
	struct lesson_order o;
	char clause[64];

	(void)state;
	order("build O(n log n), lookup O(L log n), space O(n)", "lookup", 0, 1);
	order("build O(n log n), lookup O(L log n), space O(n)", "build", 1, 1);
	order("build O(n), lookup O(n), space O(n)", "lookup", 1, 0);
	order("build O(n L) (radix sort), lookup O(L), space 8 B per node", "build", 1, 0);
	order("build O(n + 10^k), lookup 2-3 loads + a 1-2 key scan, space ~5-6 B/route",
	      "build", 1, 0);
	order("build O(n + 10^k), lookup 2-3 loads + a 1-2 key scan, space ~5-6 B/route",
	      "lookup", 0, 0);
	order("lookup O(n^2)", "lookup", 2, 0);
	assert_int_equal(lesson_claimed_order("build O(n)", "lookup", &o), -1);
	assert_int_equal(lesson_claimed_order("lookups O(1)", "lookup", &o), -1);
	assert_int_equal(lesson_claim_clause("build O(n L) (radix sort), lookup O(L), space 8 B",
					     "build", clause, sizeof(clause)), 0);
	assert_string_equal(clause, "O(n L) (radix sort)");
	assert_int_equal(lesson_claim_clause("build O(n), lookup O(L log n) B-tree probes, x",
					     "lookup", clause, sizeof(clause)), 0);
	assert_string_equal(clause, "O(L log n) B-tree probes");
}

/* Every registered implementation states a lookup and a build the rule can read. */
static void test_registry_claims(void **state)
{
	(void)state;
	for (size_t i = 0; i < rt_registry_count; i++) {
		struct lesson_order o;

		if (lesson_claimed_order(rt_registry[i]->complexity, "lookup", &o) != 0 ||
		    lesson_claimed_order(rt_registry[i]->complexity, "build", &o) != 0)
			fail_msg("%s: cannot read its claim '%s'", rt_registry[i]->name,
				 rt_registry[i]->complexity);
		assert_true(o.deg == 1); /* every build reads every route */
	}
}

static enum lesson_verdict verdict(int deg, int log, const char *fit)
{
	struct lesson_order c = { deg, log }, f;

	if (lesson_fitted_order(fit, &f) != 0)
		f.deg = -1;
	return lesson_verdict(&c, &f);
}

static void test_verdict(void **state)
{
	(void)state;
	assert_int_equal(verdict(0, 0, "(1)"), LESSON_AGREES);
	assert_int_equal(verdict(0, 0, "lgN"), LESSON_CACHE);   /* O(L): caches */
	assert_int_equal(verdict(0, 0, "N"), LESSON_FLAG);      /* O(L) fitted N */
	assert_int_equal(verdict(0, 0, "NlgN"), LESSON_FLAG);
	assert_int_equal(verdict(0, 1, "lgN"), LESSON_AGREES);  /* O(L log n) */
	assert_int_equal(verdict(0, 1, "(1)"), LESSON_AGREES);
	assert_int_equal(verdict(1, 0, "lgN"), LESSON_FLAG);    /* O(n) fitted lgN */
	assert_int_equal(verdict(1, 0, "N"), LESSON_AGREES);
	assert_int_equal(verdict(1, 0, "NlgN"), LESSON_AGREES);
	assert_int_equal(verdict(1, 1, "N"), LESSON_AGREES);
	assert_int_equal(verdict(1, 0, "N^2"), LESSON_FLAG);
	assert_int_equal(verdict(1, 0, "N^3"), LESSON_FLAG);
	assert_int_equal(verdict(1, 0, "auto"), LESSON_UNKNOWN);
	assert_int_equal(verdict(-1, 0, "N"), LESSON_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals),        cmocka_unit_test(test_median_parse),
		cmocka_unit_test(test_crossover),     cmocka_unit_test(test_cross_size),
		cmocka_unit_test(test_stream_points), cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_claimed_order), cmocka_unit_test(test_registry_claims),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
