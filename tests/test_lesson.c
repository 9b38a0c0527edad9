/*
 * test_lesson.c - the rules behind the report's computed sentences and the charts' derived
 * figures (harness/report/lesson.h): totals with one parse figure, the crossover and its size,
 * stream points and the stream curve, the Pareto frontier and its allocator and size, the
 * allocator comparison, and claimed against fitted big-O, including every registered
 * implementation's own claim.
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

/* The scan is the registry's RT_F_SCAN implementation; every other table is an index. */
static void test_scan_and_index(void **state)
{
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);

	(void)state;
	assert_non_null(scan);
	assert_string_equal(lesson_scan_name(), scan->name);
	assert_false(lesson_is_index(scan->name));
	assert_false(lesson_is_index(LESSON_STREAM));
	for (size_t i = 0; i < rt_registry_count; i++)
		if (rt_registry[i] != scan)
			assert_true(lesson_is_index(rt_registry[i]->name));
}

static void test_bytes_per_route(void **state)
{
	struct bench_cell c = cell("trie", "glibc", 100000, 1, 0, 0, 1);

	(void)state;
	c.struct_bytes = 423700000;
	assert_float_equal(lesson_bytes_per_route(&c), 4237.0, 1e-9);
	c.n_carriers = 5; /* per route of every carrier */
	assert_float_equal(lesson_bytes_per_route(&c), 847.4, 1e-9);
	c.n_routes = 0;
	assert_true(isnan(lesson_bytes_per_route(&c)));
}

static void test_common_size(void **state)
{
	struct bench_cell rows[] = {
		cell("trie", "glibc", 1000, 1, 0, 0, 1),
		cell("trie", "glibc", 100000, 1, 0, 0, 1),
		cell("louds", "glibc", 1000, 1, 0, 0, 1),
		cell("louds", "glibc", 100000, 1, 0, 0, 1),
		cell("louds", "jemalloc", 1000000, 1, 0, 0, 1),
	};

	(void)state;
	assert_int_equal(lesson_common_size(rows, 5, "trie", "louds", "glibc"), 100000);
	rows[1].status = BENCH_OOM; /* the largest both ran ok */
	assert_int_equal(lesson_common_size(rows, 5, "trie", "louds", "glibc"), 1000);
	assert_int_equal(lesson_common_size(rows, 5, "trie", "louds", "jemalloc"), 0);
	assert_int_equal(lesson_common_size(rows, 5, "trie", "hash", "glibc"), 0);
}

static void test_quickest_index(void **state)
{
	const char *scan = lesson_scan_name();
	struct bench_cell rows[] = {
		cell(scan, "glibc", 1000, 1, 0.5, 0.00002, 500),        /* the scan: not an index */
		cell("hash", "glibc", 1000, 1, 0.5, 0.00007, 70),
		cell("compacttrie", "glibc", 1000, 1, 0.5, 0.00005, 20),
		cell("trie", "glibc", 1000, 1, 0.5, 0.00003, 20000000), /* cheapest build, slow */
		cell(LESSON_STREAM, "glibc", 1000, 1, NAN, NAN, NAN),
		cell("louds", "glibc", 2000, 1, 0.5, 0.000001, 1),      /* another size */
	};
	const struct bench_cell *q;

	(void)state;
	q = lesson_quickest_index(rows, 6, "glibc", 1000, 0.00005, 1);
	assert_non_null(q);
	assert_string_equal(q->impl, "compacttrie");
	q = lesson_cheapest_build(rows, 6, "glibc", 1000);
	assert_string_equal(q->impl, "trie");
	assert_null(lesson_quickest_index(rows, 6, "jemalloc", 1000, 0, 1));
	assert_null(lesson_cheapest_build(rows, 1, "glibc", 1000)); /* the scan alone */
}

static void test_break_even(void **state)
{
	struct bench_cell lin = cell("linear", "glibc", 100000, 1, 0.0025, 0.0015, 30000);
	struct bench_cell h = cell("hash", "glibc", 100000, 1, 0.0026, 0.0046, 130);
	struct lesson_cross a, b;

	(void)state;
	/* the report's rule is the break-even with the builds as bases */
	lesson_crossover(&lin, &h, &a);
	lesson_break_even(0.0015, 30000, 0.0046, 130, &b);
	assert_int_equal(a.kind, b.kind);
	assert_float_equal(a.q, b.q, 0);
	/* the chart's: each cell's own parse + build, so hash's extra 0.1 ms of parse counts */
	lesson_break_even(lesson_index_total_s(&lin, 0), 30000, lesson_index_total_s(&h, 0), 130,
			  &b);
	assert_int_equal(b.kind, LESSON_CROSS_FROM);
	assert_float_equal(b.q, 0.0032 / 29870e-9, 1e-6); /* 107.13 */
	lesson_break_even(1, 100, 2, 100, &b); /* lookups no faster: never */
	assert_int_equal(b.kind, LESSON_CROSS_NEVER);
	lesson_break_even(1, 100, 1, 50, &b); /* no dearer to build: from the first number */
	assert_int_equal(b.kind, LESSON_CROSS_ALWAYS);
	assert_int_equal(b.first_q, 1);
}

static void test_cross_size_k(void **state)
{
	struct bench_cell rows[] = {
		cell("hash", "glibc", 1000000, 5, 0, 0, 1),
		cell("hash", "glibc", 100000, 5, 0, 0, 1),
		cell("stream", "glibc", 100000, 5, NAN, NAN, NAN),
		cell("hash", "glibc", 10000000, 1, 0, 0, 1),
	};

	(void)state;
	assert_int_equal(lesson_cross_size_k(rows, 4, 5), 100000);
	assert_int_equal(lesson_cross_size_k(rows, 4, 1), 10000000);
	assert_int_equal(lesson_cross_size_k(rows, 4, 2), 0);
	assert_int_equal(lesson_cross_size(rows, 4), lesson_cross_size_k(rows, 4, 1));
	assert_true(lesson_measured(&rows[0]));
	rows[0].status = BENCH_MISMATCH;
	assert_true(lesson_measured(&rows[0]));
	rows[0].status = BENCH_TIMEOUT;
	assert_false(lesson_measured(&rows[0]));
}

static void test_cheapest(void **state)
{
	struct bench_cell a = cell("linear", "glibc", 1000, 1, 0.001, 0.001, 500);
	struct bench_cell b = cell("hash", "glibc", 1000, 1, 0.001, 0.005, 50);
	struct bench_cell c = cell("trie", "glibc", 1000, 1, 0.001, 0.005, 50);
	const struct bench_cell *rows[] = { &a, &b, &c };

	(void)state;
	assert_int_equal(lesson_cheapest(rows, 3, 1), 0);
	assert_int_equal(lesson_cheapest(rows, 3, 1000000), 1); /* the first on ties */
	assert_int_equal(lesson_cheapest(rows, 0, 1), 0);
}

static void test_fastest_table(void **state)
{
	struct bench_cell rows[] = {
		cell("linear", "glibc", 1000, 1, 0.001, 0.001, 500),
		cell("hash", "glibc", 1000, 1, 0.001, 0.005, 50),
		cell("hash", "jemalloc", 1000, 1, 0, 0, 1),         /* another allocator */
		cell("louds", "glibc", 1000, 5, 0, 0, 1),           /* other carriers */
		cell("stream", "glibc", 1000, 1, NAN, NAN, NAN),
	};

	(void)state;
	assert_string_equal(lesson_fastest_table(rows, 5, &rows[4], 1)->impl, "linear");
	assert_string_equal(lesson_fastest_table(rows, 5, &rows[4], 100000)->impl, "hash");
	rows[1].status = BENCH_CRASH;
	assert_string_equal(lesson_fastest_table(rows, 5, &rows[4], 100000)->impl, "linear");
	assert_null(lesson_fastest_table(rows + 2, 3, &rows[4], 1));
	assert_true(lesson_stream_wins(0.5, 1));
	assert_false(lesson_stream_wins(1, 1));    /* a tie is not a win */
	assert_true(lesson_stream_wins(1, NAN));   /* no index to beat */
	assert_false(lesson_stream_wins(-1, NAN)); /* no stream figure */
}

static void test_stream_time(void **state)
{
	double q[] = { 1, 10, 100 }, t[] = { 1, 2, 12 }, fall[] = { 1, 2, 1.5 };

	(void)state;
	assert_float_equal(lesson_stream_time(q, t, 3, 10), 2, 1e-12);    /* measured */
	assert_float_equal(lesson_stream_time(q, t, 3, 55), 7, 1e-12);    /* between */
	assert_float_equal(lesson_stream_time(q, t, 3, 0.5), 1, 1e-12);   /* before the first */
	assert_float_equal(lesson_stream_time(q, t, 3, 1000), 112, 1e-9); /* the last slope */
	assert_float_equal(lesson_stream_time(q, fall, 3, 1000), 1.5, 0);  /* never falling */
	assert_float_equal(lesson_stream_time(q, t, 1, 1000), 1, 0);       /* one point: flat */
	assert_float_equal(lesson_stream_time(q, t, 0, 10), -1, 0);
}

static void test_overtakes(void **state)
{
	/* stream: 1 ms + 1 µs per number; the index: 11 ms + 0.1 µs: equal at q = 11,111.1 */
	double q[] = { 1, 1000000 }, t[] = { 0.001001, 1.001 };
	struct bench_cell idx = cell("hash", "glibc", 1000, 1, 0.001, 0.01, 100);
	struct bench_cell fast = cell("hash", "glibc", 1000, 1, 0, 0, 1);
	struct bench_cell slow = cell("hash", "glibc", 1000, 1, 0.001, 0.01, 2000);
	double at = lesson_overtakes(&idx, q, t, 2);

	(void)state;
	assert_true(at > 0.01 / 0.9e-6 && at < 0.01 / 0.9e-6 * 1.0002);
	assert_float_equal(lesson_overtakes(&fast, q, t, 2), 0, 0); /* cheaper from the start */
	assert_float_equal(lesson_overtakes(&slow, q, t, 2), 0, 0); /* never */
	assert_float_equal(lesson_overtakes(&idx, q, t, 0), 0, 0);  /* no stream points */
}

static void test_pareto_choice(void **state)
{
	struct bench_cell rows[] = {
		cell("asan_first", "asan", 1000, 1, 0, 0, 1),
		cell("hash", "glibc", 1000, 1, 0, 0, 1),
		cell("hash", "glibc", 100000, 1, 0, 0, 1),
		cell("trie", "glibc", 1000000, 1, 0, 0, 1),
		cell("stream", "glibc", 10000000, 1, NAN, NAN, NAN), /* no table */
		cell("hash", "glibc", 10000000, 5, 0, 0, 1),         /* five carriers */
	};

	(void)state;
	rows[3].status = BENCH_OOM; /* a failed row still sets the size: the chart says why */
	assert_string_equal(lesson_pareto_alloc(rows, 6), "glibc");
	assert_int_equal(lesson_pareto_size(rows, 6, "glibc"), 1000000);
	assert_string_equal(lesson_pareto_alloc(rows, 1), "asan"); /* no glibc: the first */
	assert_int_equal(lesson_pareto_size(rows, 6, "asan"), 1000);
	assert_null(lesson_pareto_alloc(rows + 4, 2));
	assert_int_equal(lesson_pareto_size(rows, 6, NULL), 0);
}

static void test_allocator(void **state)
{
	struct bench_cell rows[] = {
		cell("trie", "jemalloc", 1000, 1, 0, 0, 1),
		cell("trie", "glibc", 1000, 1, 0, 0, 1),
		cell("trie", "glibc", 100000, 1, 0, 0, 1),
		cell("trie", "jemalloc", 100000, 1, 0, 0, 1),
		cell("trie", "glibc", 1000000, 1, 0, 0, 1), /* glibc alone */
	};
	const char *allocs[4];
	const char *others[] = { "jemalloc" };

	(void)state;
	assert_int_equal(lesson_allocs_of(rows, 5, "trie", "glibc", allocs, 4), 2);
	assert_string_equal(allocs[0], "glibc"); /* the run's first, first */
	assert_string_equal(allocs[1], "jemalloc");
	assert_int_equal(lesson_alloc_size(rows, 5, "trie", "glibc", others, 1), 100000);
	assert_int_equal(lesson_alloc_size(rows, 5, "trie", "glibc", NULL, 0), 1000000);
	rows[3].status = BENCH_OOM;
	assert_int_equal(lesson_alloc_size(rows, 5, "trie", "glibc", others, 1), 1000);
	/* 2,064 B per node: glibc adds 16 (+0.8%), jemalloc 496 (+24.0%) */
	rows[1].struct_bytes = rows[0].struct_bytes = 2064000;
	rows[1].heap_bytes = 2080000;
	rows[0].heap_bytes = 2560000;
	assert_float_equal(lesson_alloc_overhead(&rows[1]), 16.0 / 2064, 1e-12);
	assert_true(lesson_alloc_slim(&rows[1]));
	assert_false(lesson_alloc_slim(&rows[0]));
	assert_int_equal(lesson_alloc_compare(&rows[1], &rows[0], NULL), -1); /* more bytes */
	{
		double share;

		assert_int_equal(lesson_alloc_compare(&rows[0], &rows[1], &share), 1);
		assert_float_equal(share, 480000.0 / 2064000, 1e-12);
	}
	rows[0].heap_bytes = 2090000; /* 10 KB of 2 MB: within 1% */
	assert_int_equal(lesson_alloc_compare(&rows[1], &rows[0], NULL), 0);
	assert_true(lesson_within(105, 100, LESSON_HEAP_SHARE));
	assert_false(lesson_within(111, 100, LESSON_HEAP_SHARE));
	assert_false(lesson_within(NAN, 100, LESSON_HEAP_SHARE));
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

/* The Python ladder: steps named by their solver rows, their C counterparts, the seed's claims. */
static void test_python(void **state)
{
	struct bench_cell c;
	double bpr, change;
	int against;
	const char *text;

	(void)state;
	bench_cell_init(&c, "py4_trie_objects", "glibc");
	assert_int_equal(lesson_python_step(&c), 0); /* an index row, whatever its name */
	snprintf(c.strategy, sizeof(c.strategy), "solver");
	assert_int_equal(lesson_python_step(&c), 4);
	snprintf(c.impl, sizeof(c.impl), "py8_more");
	assert_int_equal(lesson_python_step(&c), 0);
	snprintf(c.impl, sizeof(c.impl), "py4trie");
	assert_int_equal(lesson_python_step(&c), 0);
	snprintf(c.impl, sizeof(c.impl), "mine");
	assert_int_equal(lesson_python_step(&c), 0);
	assert_int_equal(lesson_python_c_step(1), LESSON_PY_SCAN);
	assert_int_equal(lesson_python_c_step(2), 0);
	for (int s = 3; s <= 5; s++)
		assert_int_equal(lesson_python_c_step(s), 1);
	assert_int_equal(lesson_python_c_step(6), 3);
	assert_int_equal(lesson_python_c_step(7), 4);
	assert_int_equal(lesson_python_c_step(0), 0);
	assert_int_equal(lesson_python_c_step(8), 0);
	c.n_routes = 10;
	c.n_carriers = 1;
	c.heap_bytes = 3000;
	assert_true(fabs(lesson_python_bytes_per_route(&c) - 300) < 1e-9);
	c.heap_bytes = 0;
	assert_true(isnan(lesson_python_bytes_per_route(&c)));
	assert_int_equal(lesson_python_claim(4, &bpr, &against, &change, &text), 0);
	assert_true(fabs(bpr - 300) < 1e-9);
	assert_int_equal(against, 0);
	assert_int_equal(lesson_python_claim(5, &bpr, &against, &change, &text), 0);
	assert_int_equal(against, 4);
	assert_true(fabs(change + 50) < 1e-9);
	assert_int_equal(lesson_python_claim(7, &bpr, &against, &change, &text), 0);
	assert_true(fabs(bpr - 150) < 1e-9);
	assert_int_equal(lesson_python_claim(1, &bpr, &against, &change, &text), -1);
}

/* A fit with a class, an error and a size count. */
static struct lesson_fit fit(const char *big_o, double rms, unsigned sizes)
{
	struct lesson_fit f = { big_o, rms, sizes };

	return f;
}

static void test_fit_state(void **state)
{
	struct lesson_fit good = fit("N^2", 0.03, 7), also = fit("N^2", 0.05, 7);
	struct lesson_fit none = fit(NULL, NAN, 0), nlgn = fit("NlgN", 0.02, 7);
	struct lesson_fit few = fit("N^2", 0.01, 5), poor = fit("N^2", 0.10, 7);
	struct lesson_fit unknown = fit("N^2", NAN, 7), n = fit("N", 0.02, 6);

	(void)state;
	assert_int_equal(lesson_fit_state(&good, &also), LESSON_FIT_REPEATS);
	assert_int_equal(lesson_fit_state(&nlgn, &n), LESSON_FIT_REPEATS); /* log aside */
	assert_int_equal(lesson_fit_state(&good, &nlgn), LESSON_FIT_DIFFER);
	assert_int_equal(lesson_fit_state(&good, NULL), LESSON_FIT_ONCE);
	assert_int_equal(lesson_fit_state(&good, &none), LESSON_FIT_ONCE);
	assert_int_equal(lesson_fit_state(&none, &good), LESSON_FIT_NONE);
	assert_int_equal(lesson_fit_state(NULL, &good), LESSON_FIT_NONE);
	/* the threshold is strict; a missing error or size count is not good enough */
	assert_int_equal(lesson_fit_state(&poor, &good), LESSON_FIT_POOR);
	assert_int_equal(lesson_fit_state(&good, &poor), LESSON_FIT_POOR);
	assert_int_equal(lesson_fit_state(&unknown, &good), LESSON_FIT_POOR);
	assert_int_equal(lesson_fit_state(&poor, NULL), LESSON_FIT_POOR);
	/* too few sizes comes first, even when the other run is poor */
	assert_int_equal(lesson_fit_state(&few, &good), LESSON_FIT_FEW);
	assert_int_equal(lesson_fit_state(&poor, &few), LESSON_FIT_FEW);
	assert_int_equal(lesson_fit_state(&few, NULL), LESSON_FIT_FEW);
	assert_int_equal(LESSON_FIT_MIN_SIZES, 6);
}

/* A massif row, in bytes above the baseline. */
static unsigned heap(double peak, double fin, double extra, double heap_bytes, double st)
{
	struct lesson_heap h = { peak, fin, extra, heap_bytes, st };

	return lesson_heap_reasons(&h);
}

static void test_heap_reasons(void **state)
{
	(void)state;
	/* the reference run's figures: each difference over 5% has its reason */
	assert_int_equal(heap(6291568, 2097264, 80, 2101296, 2097152), LESSON_HEAP_TRANSIENT);
	assert_int_equal(heap(13622536, 13622536, 5352184, 18974544, 13622416), 0); /* lazytrie */
	assert_int_equal(heap(18064840, 18064840, 4926808, 19707024, 18064728),
			 LESSON_HEAP_ADMIN); /* maptrie: 24 B per 88-byte node against 8 */
	assert_int_equal(heap(3713832, 1190603, 919397, 1192672, 1190307),
			 LESSON_HEAP_TRANSIENT | LESSON_HEAP_SLACK); /* dirtable: realloc to fit */
	assert_int_equal(heap(1960112, 1960480, 452016, 2142848, 1960376),
			 LESSON_HEAP_PEAK_LATE | LESSON_HEAP_ADMIN); /* judy */
	/* within the share: nothing; just past it: said */
	assert_int_equal(heap(104, 100, 0, 100, 100), 0);
	assert_int_equal(heap(106, 100, 0, 100, 100), LESSON_HEAP_TRANSIENT);
	assert_int_equal(heap(100, 100, 0, 120, 100), LESSON_HEAP_ROUNDING);
	assert_int_equal(heap(100, 100, 0, 100, 80), LESSON_HEAP_ACCOUNTING);
	/* slack: the extra far above glibc's own overhead (none at all here) */
	assert_int_equal(heap(100, 100, 30, 100, 100), LESSON_HEAP_SLACK);
	assert_int_equal(heap(100, 100, 30, 110, 100), LESSON_HEAP_ADMIN); /* 30 <= 4 x 10 */
	assert_int_equal(heap(NAN, NAN, NAN, 100, 100), 0);
}

/* The DRAM bound's rule, each branch once, worked by hand (bound = misses x 100 ns). */
static void test_bound_why(void **state)
{
#define WHY(cold, ll, dram, hot, hs) lesson_bound_why(cold, ll, dram, hot, hs, 0.05, 1.5)
	(void)state;
	assert_int_equal(WHY(NAN, 2, 100, 50, 0), LESSON_BOUND_UNKNOWN);
	assert_int_equal(WHY(300, NAN, 100, 50, 0), LESSON_BOUND_UNKNOWN);
	assert_int_equal(WHY(300, 2, NAN, 50, 0), LESSON_BOUND_UNKNOWN);
	assert_int_equal(WHY(300, 0.01, 100, 50, 0), LESSON_BOUND_FITS);
	assert_int_equal(WHY(300, 2, 100, 50, 0), LESSON_BOUND_WITHIN);  /* 1.50x */
	assert_int_equal(WHY(200, 2, 100, 50, 0), LESSON_BOUND_WITHIN);  /* 1.00x */
	assert_int_equal(WHY(150, 2, 100, 50, 0), LESSON_BOUND_OVERLAPPED);
	assert_int_equal(WHY(301, 2, 100, 50, 1), LESSON_BOUND_HOT_SET); /* before the others */
	assert_int_equal(WHY(300, 0, 100, 50, 1), LESSON_BOUND_HOT_SET); /* even "fits" */
	assert_int_equal(WHY(400, 2, 100, 200, 0), LESSON_BOUND_WORK);   /* hot 200 >= 200 */
	assert_int_equal(WHY(375, 2, 100, 50, 0), LESSON_BOUND_ADDED);   /* 1.5 x 250 */
	assert_int_equal(WHY(376, 2, 100, 50, 0), LESSON_BOUND_UNEXPLAINED);
	assert_int_equal(WHY(301, 2, 100, NAN, 0), LESSON_BOUND_UNEXPLAINED); /* no hot row */
#undef WHY
}

/* Hot and cold rows: each finder keeps to its set; the machine's yardsticks. */
static void test_cold(void **state)
{
	struct bench_cell rows[4];
	const char *peer = NULL;

	(void)state;
	rows[0] = cell("hash", "glibc", 1000, 1, 0.1, 0.2, 50);
	rows[1] = cell("hash", "glibc", 1000, 1, 0.1, 0.2, 200);
	snprintf(rows[1].query_set, sizeof(rows[1].query_set), BENCH_QUERY_COLD);
	rows[2] = cell("hash", "glibc", 100000, 1, 0.1, 0.2, 300);
	snprintf(rows[2].query_set, sizeof(rows[2].query_set), BENCH_QUERY_COLD);
	rows[3] = cell("hash", "glibc", 10000000, 1, 0.1, 0.2, 9); /* an old row: "" is hot */
	rows[3].query_set[0] = '\0';
	assert_false(bench_cell_is_cold(&rows[0]));
	assert_true(bench_cell_is_cold(&rows[1]));
	assert_false(bench_cell_is_cold(&rows[3]));
	assert_ptr_equal(lesson_find(rows, 4, "hash", "glibc", 1000, 1), &rows[0]);
	assert_null(lesson_find(rows, 4, "hash", "glibc", 100000, 1)); /* hot lessons: hot only */
	assert_false(lesson_measured(&rows[2]));
	assert_ptr_equal(lesson_find_qs(rows, 4, "hash", "glibc", 1000, 1), &rows[1]);
	assert_ptr_equal(lesson_find_qs(rows, 4, "hash", "glibc", 1000, 0), &rows[0]);
	assert_ptr_equal(lesson_find_qs(rows, 4, "hash", "glibc", 10000000, 0), &rows[3]);
	assert_int_equal(lesson_cold_size(rows, 4, "glibc"), 100000);
	assert_int_equal(lesson_cold_size(rows, 4, "jemalloc"), 0);
	assert_true(lesson_dram_misses(300, 100) == 3);
	assert_true(isnan(lesson_dram_misses(300, 0)));
	assert_true(isnan(lesson_dram_misses(NAN, 100)));
	assert_true(lesson_miss_bound_ns(2.5, 100) == 250);
	assert_true(lesson_miss_bound_ns(0, 100) == 0);
	assert_true(isnan(lesson_miss_bound_ns(NAN, 100)));
	assert_true(lesson_bound_ratio(375, 250) == 1.5);
	assert_true(isnan(lesson_bound_ratio(375, 0))); /* no misses: nothing to bound by */
	assert_true(lesson_parse_share(500, 10) == 0.05);
	assert_true(isnan(lesson_parse_share(500, NAN)));
	for (size_t i = 0; i < rt_registry_count; i++)
		if (rt_registry[i]->flags & RT_F_PEER)
			peer = rt_registry[i]->name;
	if (peer)
		assert_true(lesson_is_peer(peer));
	assert_false(lesson_is_peer("hash"));
	assert_false(lesson_is_peer("nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals),        cmocka_unit_test(test_median_parse),
		cmocka_unit_test(test_crossover),     cmocka_unit_test(test_cross_size),
		cmocka_unit_test(test_stream_points), cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_claimed_order), cmocka_unit_test(test_registry_claims),
		cmocka_unit_test(test_verdict),       cmocka_unit_test(test_scan_and_index),
		cmocka_unit_test(test_bytes_per_route), cmocka_unit_test(test_common_size),
		cmocka_unit_test(test_quickest_index), cmocka_unit_test(test_break_even),
		cmocka_unit_test(test_cross_size_k),  cmocka_unit_test(test_cheapest),
		cmocka_unit_test(test_fastest_table), cmocka_unit_test(test_stream_time),
		cmocka_unit_test(test_overtakes),     cmocka_unit_test(test_pareto_choice),
		cmocka_unit_test(test_allocator),     cmocka_unit_test(test_python),
		cmocka_unit_test(test_fit_state),     cmocka_unit_test(test_heap_reasons),
		cmocka_unit_test(test_cold),
		cmocka_unit_test(test_bound_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
