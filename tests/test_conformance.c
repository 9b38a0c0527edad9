/*
 * test_conformance.c - every registered implementation against the same hand-made cases.
 *
 * Each test walks rt_registry, so a structure registered later faces every case at once. A case
 * is a list of routes, a list of numbers with the cost each must get, and the number of distinct
 * prefixes the table must report; failures name the implementation, the case and the number.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "registry.h"
#include "route_table.h"

#include "cases.h"

/* Run one case against every registered implementation. */
static void run_case(const char *what, const struct route_spec *routes, size_t n_routes,
		     const struct probe *probes, size_t n_probes, size_t want_prefixes)
{
	assert_true(rt_registry_count > 0);
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t = build(rt_registry[r], what, routes, n_routes);

		for (size_t i = 0; i < n_probes; i++)
			expect_lookup(t, what, probes[i].number, (unsigned)strlen(probes[i].number),
				      probes[i].want);
		expect_stats(t, what, want_prefixes);
		rt_destroy(t);
	}
}

static void test_registry(void **state)
{
	(void)state;
	assert_true(rt_registry_count > 0);
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];

		assert_non_null(ops);
		assert_non_null(ops->name);
		if (!*ops->name || strpbrk(ops->name, " \tABCDEFGHIJKLMNOPQRSTUVWXYZ"))
			fail_msg("implementation %zu: bad name \"%s\"", r, ops->name);
		if (!ops->summary || !*ops->summary || !ops->complexity || !*ops->complexity)
			fail_msg("%s: summary and complexity are required", ops->name);
		if (!ops->create || !ops->insert || !ops->lookup || !ops->stats || !ops->destroy)
			fail_msg("%s: a required method is NULL", ops->name);
		if (rt_find(ops->name) != ops)
			fail_msg("%s: rt_find does not return it (duplicate name?)", ops->name);
	}
	assert_null(rt_find("no-such-implementation"));
	assert_non_null(rt_find("linear"));
}

static void test_readme_example(void **state)
{
	static const struct route_spec routes[] = {
		{"1512", 40000}, {"1415", 20000}, {"1415234", 30000}, {"1415246", 10000},
	};
	static const struct probe probes[] = {
		{"15124156620", 40000}, {"14152345678", 30000}, {"19876543210", NONE},
		{"14152465555", 10000}, {"14159999999", 20000}, {"1415", 20000},
		{"141", NONE},          {"1512", 40000},        {"151", NONE},
	};

	(void)state;
	run_case("readme example", routes, N(routes), probes, N(probes), 4);
}

/* 1, 14, 141, ... 141592653589793: at every depth the deepest matching prefix must win. */
static void test_nested_prefixes(void **state)
{
	static const char pi[] = "141592653589793";
	char prefixes[RT_MAX_DIGITS][RT_MAX_DIGITS + 1];
	char numbers[RT_MAX_DIGITS + 1][RT_MAX_DIGITS + 1];
	struct route_spec routes[RT_MAX_DIGITS];
	struct probe probes[RT_MAX_DIGITS + 3];
	size_t np = 0;

	(void)state;
	for (unsigned d = 1; d <= RT_MAX_DIGITS; d++) {
		memcpy(prefixes[d - 1], pi, d);
		prefixes[d - 1][d] = '\0';
		/* alternate the insertion order so no structure can rely on it */
		routes[d % 2 ? (d - 1) / 2 : RT_MAX_DIGITS - d / 2] =
			(struct route_spec){prefixes[d - 1], 100 * d};
	}
	for (unsigned d = 1; d <= RT_MAX_DIGITS; d++) {
		/* the first d digits, then a digit that leaves the chain (if there is room) */
		memcpy(numbers[d], pi, d);
		if (d < RT_MAX_DIGITS) {
			numbers[d][d] = pi[d] == '0' ? '1' : '0';
			numbers[d][d + 1] = '\0';
		} else {
			numbers[d][d] = '\0';
		}
		probes[np++] = (struct probe){numbers[d], 100 * d};
	}
	probes[np++] = (struct probe){"2", NONE};
	probes[np++] = (struct probe){"1", 100};
	probes[np++] = (struct probe){"15", 100};
	run_case("nested prefixes", routes, N(routes), probes, np, RT_MAX_DIGITS);
}

static void test_route_is_whole_number(void **state)
{
	static const struct route_spec routes[] = {{"14155550123", 7}};
	static const struct probe probes[] = {
		{"14155550123", 7}, {"1415555012", NONE},
		{"141555501234", 7}, {"14155550124", NONE},
	};

	(void)state;
	run_case("route equal to the number", routes, N(routes), probes, N(probes), 1);
}

static void test_number_shorter_than_prefixes(void **state)
{
	static const struct route_spec routes[] = {{"12345", 5}, {"123456789", 9}, {"99", 2}};
	static const struct probe probes[] = {
		{"1", NONE},    {"12", NONE},   {"1234", NONE}, {"9", NONE},
		{"12345", 5},   {"12346", NONE}, {"1234567", 5}, {"123456789123", 9},
	};

	(void)state;
	run_case("numbers shorter than every prefix", routes, N(routes), probes, N(probes), 3);
}

static void test_catch_all_alone(void **state)
{
	static const struct route_spec routes[] = {{"", 5}};
	static const struct probe probes[] = {
		{"1", 5}, {"0", 5}, {"999999999999999", 5}, {"000000000000000", 5}, {"4412", 5},
	};

	(void)state;
	run_case("catch-all alone", routes, N(routes), probes, N(probes), 1);
}

static void test_catch_all_under_routes(void **state)
{
	static const struct route_spec routes[] = {{"44", 7}, {"", 5}, {"441", 3}, {"0", 9}};
	static const struct probe probes[] = {
		{"4", 5},  {"44", 7}, {"4419", 3}, {"45", 5},  {"1", 5},
		{"0", 9},  {"00", 9}, {"9", 5},    {"440", 7}, {"999999999999999", 5},
	};

	(void)state;
	run_case("catch-all under deeper routes", routes, N(routes), probes, N(probes), 4);
}

static void test_duplicates(void **state)
{
	static const struct route_spec routes[] = {
		{"33", 900}, {"33", 100},             /* higher first */
		{"34", 100}, {"34", 900},             /* lower first */
		{"35", 50},  {"35", 50},  {"35", 50}, /* the same route three times */
		{"3", 0},    {"3", 10},               /* zero then higher */
		{"", 8},     {"", 4},     {"", 6},    /* the catch-all, lowest in the middle */
		{"123456789012345", 3}, {"123456789012345", 2},
	};
	static const struct probe probes[] = {
		{"331", 100}, {"341", 100}, {"35", 50}, {"3", 0}, {"39", 0},
		{"7", 4},     {"123456789012345", 2},
	};

	(void)state;
	run_case("duplicates", routes, N(routes), probes, N(probes), 6);
}

static void test_fifteen_digits(void **state)
{
	static const struct route_spec routes[] = {
		{"123456789012345", 11}, {"12345678901234", 22},
		{"999999999999999", 33}, {"000000000000000", 44},
	};
	static const struct probe probes[] = {
		{"123456789012345", 11}, {"123456789012344", 22}, {"12345678901234", 22},
		{"1234567890123", NONE}, {"999999999999999", 33}, {"999999999999998", NONE},
		{"000000000000000", 44}, {"000000000000001", NONE}, {"00000000000000", NONE},
	};

	(void)state;
	run_case("15-digit keys", routes, N(routes), probes, N(probes), 4);
}

/* Leading zeros are digits: "0", "00" and "000" are three different prefixes. */
static void test_leading_zeros(void **state)
{
	static const struct route_spec routes[] = {{"0", 1}, {"00", 2}, {"000", 3}, {"10", 4}};
	static const struct probe probes[] = {
		{"0", 1}, {"01", 1}, {"00", 2}, {"001", 2}, {"0000", 3}, {"1", NONE}, {"10", 4},
		{"100", 4},
	};

	(void)state;
	run_case("leading zeros", routes, N(routes), probes, N(probes), 4);
}

static void test_cost_zero_and_extremes(void **state)
{
	static const struct route_spec routes[] = {
		{"7", 0}, {"9", RT_NO_ROUTE - 1}, {"5", RT_COST_MAX}, {"71", 1},
	};
	static const struct probe probes[] = {
		{"7", 0},           {"7023", 0},           {"8", NONE},
		{"9", RT_NO_ROUTE - 1}, {"55", RT_COST_MAX}, {"712", 1},
	};

	(void)state;
	run_case("cost 0 and extreme costs", routes, N(routes), probes, N(probes), 4);
}

static void test_empty_table(void **state)
{
	static const struct probe probes[] = {{"1", NONE}, {"0", NONE}, {"999999999999999", NONE}};

	(void)state;
	run_case("empty table", NULL, 0, probes, N(probes), 0);
}

/* Only digits[0..len) may be read: the bytes after them are neither digits nor a NUL. */
static void test_length_not_terminator(void **state)
{
	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];
		const char *what = "length, not terminator";
		struct route_table *t = NULL;

		assert_int_equal(rt_create(ops, &t), 0);
		if (rt_insert(t, "12xx", 2, 2) != 0 || rt_insert(t, "1234", 4, 4) != 0 ||
		    rt_insert(t, "5#", 0, 1) != 0)
			fail_msg("%s: %s: insert with trailing bytes failed", ops->name, what);
		assert_int_equal(rt_finalize(t), 0);
		expect_lookup(t, what, "12345", 2, 2);
		expect_lookup(t, what, "12345", 3, 2);
		expect_lookup(t, what, "12345", 4, 4);
		expect_lookup(t, what, "1234+", 4, 4);
		expect_lookup(t, what, "7", 1, 1);
		expect_stats(t, what, 3);
		rt_destroy(t);
	}
}

/* Bad keys are refused with -EINVAL and leave no trace; the table stays usable. */
static void test_invalid_insert(void **state)
{
	static const char *const bad[] = {
		"1234567890123456", "12a4", "+1", "1/", "1:", "1 2", "\xb1" "1",
	};

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];
		const char *what = "invalid insert";
		struct route_table *t = NULL;
		int rc;

		assert_int_equal(rt_create(ops, &t), 0);
		for (size_t i = 0; i < N(bad); i++) {
			rc = rt_insert(t, bad[i], (unsigned)strlen(bad[i]), 1);
			if (rc != -EINVAL)
				fail_msg("%s: insert(\"%s\") returned %d, want -EINVAL", ops->name,
					 bad[i], rc);
		}
		rc = rt_insert(t, "1\0" "2", 3, 1);
		if (rc != -EINVAL)
			fail_msg("%s: insert of a NUL byte returned %d, want -EINVAL", ops->name,
				 rc);
		rc = rt_insert(t, "12345678901234567890", 20, 1);
		if (rc != -EINVAL)
			fail_msg("%s: insert of 20 digits returned %d, want -EINVAL", ops->name,
				 rc);
		if (rt_insert(t, "55", 2, 3) != 0)
			fail_msg("%s: a valid insert after refused ones failed", ops->name);
		assert_int_equal(rt_finalize(t), 0);
		expect_lookup(t, what, "123456789012345", 15, NONE);
		expect_lookup(t, what, "12", 2, NONE);
		expect_lookup(t, what, "1", 1, NONE);
		expect_lookup(t, what, "551", 3, 3);
		expect_stats(t, what, 1);
		rt_destroy(t);
	}
}

/* Lookups may come in any order and repeat: a table is not changed by being read. */
static void test_lookup_is_pure(void **state)
{
	static const struct route_spec routes[] = {{"2", 1}, {"21", 2}, {"213", 3}};
	static const char *const numbers[] = {"2139", "219", "29", "3", "213", "21", "2"};
	static const uint64_t want[] = {3, 2, 1, NONE, 3, 2, 1};

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t = build(rt_registry[r], "pure lookup", routes, N(routes));

		for (int round = 0; round < 3; round++)
			for (size_t i = 0; i < N(numbers); i++)
				expect_lookup(t, "pure lookup", numbers[i],
					      (unsigned)strlen(numbers[i]), want[i]);
		expect_stats(t, "pure lookup", 3);
		rt_destroy(t);
	}
}

/* Every 1- and 2-digit prefix and every 3-digit one under "5": 1110 distinct prefixes. */
static void test_dense_prefixes(void **state)
{
	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];
		const char *what = "dense prefixes";
		struct route_table *t = NULL;
		char k[4];

		assert_int_equal(rt_create(ops, &t), 0);
		for (int v = 0; v < 10 + 100 + 1000; v++) {
			int len = v < 10 ? 1 : v < 110 ? 2 : 3;
			int x = v < 10 ? v : v < 110 ? v - 10 : v - 110;

			snprintf(k, sizeof(k), "%0*d", len, x);
			if (rt_insert(t, k, (unsigned)len, (uint64_t)v) != 0)
				fail_msg("%s: %s: insert(\"%s\") failed", ops->name, what, k);
		}
		assert_int_equal(rt_finalize(t), 0);
		expect_lookup(t, what, "5", 1, 5);
		expect_lookup(t, what, "50", 2, 10 + 50);
		expect_lookup(t, what, "5123", 4, 110 + 512);
		expect_lookup(t, what, "0000000", 7, 110);
		expect_lookup(t, what, "999999999999999", 15, 110 + 999);
		expect_stats(t, what, 1110);
		rt_destroy(t);
	}
}

#if defined(__SANITIZE_ADDRESS__)
#define RB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RB_ASAN 1
#endif
#endif

#ifndef RB_ASAN
#define OOM_HEADROOM (32u << 20) /* address space the child may add before allocations fail */
#define OOM_MAX_ROUTES 4000000

/* Route i of the out-of-memory test: 12 distinct digits (i times an odd multiplier, mod 10^12). */
static void oom_key(size_t i, char k[13])
{
	uint64_t v = ((uint64_t)i * 2654435761u + 12345) % 1000000000000ULL;

	for (int d = 11; d >= 0; d--, v /= 10)
		k[d] = (char)('0' + v % 10);
	k[12] = '5'; /* numbers are the key and one more digit */
}

/*
 * In a forked child: cap the address space, insert distinct routes until one fails, then lift
 * the cap and check that the table still answers for every route it accepted and frees cleanly.
 * The exit status says how it went (0 fine, 10 never ran out, other values: which check broke).
 */
static int oom_child(const struct route_table_ops *ops)
{
	struct route_table *t = NULL;
	struct rlimit old, lim;
	unsigned long pages = 0;
	size_t k, step;
	FILE *f = fopen("/proc/self/statm", "r");
	char key[13];
	int rc = 0;

	if (!f || fscanf(f, "%lu", &pages) != 1 || getrlimit(RLIMIT_AS, &old) != 0)
		return 20;
	fclose(f);
	if (rt_create(ops, &t) != 0)
		return 2;
	lim = old;
	lim.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + OOM_HEADROOM;
	if (old.rlim_max != RLIM_INFINITY && lim.rlim_cur > old.rlim_max)
		return 20;
	if (setrlimit(RLIMIT_AS, &lim) != 0)
		return 20;
	for (k = 0; k < OOM_MAX_ROUTES; k++) {
		oom_key(k, key);
		rc = rt_insert(t, key, 12, k);
		if (rc != 0)
			break;
	}
	setrlimit(RLIMIT_AS, &old);
	if (rc == 0)
		return 10;
	if (rc != -ENOMEM)
		return 3;
	if (rt_finalize(t) != 0)
		return 4;
	step = k / 64 + 1;
	for (size_t i = 0; i < k; i += step) {
		oom_key(i, key);
		if (rt_lookup(t, key, 13) != i)
			return 5;
	}
	if (k > 0) {
		oom_key(k - 1, key); /* the last route accepted */
		if (rt_lookup(t, key, 13) != k - 1)
			return 5;
	}
	oom_key(k, key);
	uint64_t failed = rt_lookup(t, key, 13);
	struct rt_stats st;

	if (failed != RT_NO_ROUTE && failed != k)
		return 6; /* the refused route may be absent or whole, never half there */
	rt_stats(t, &st);
	if (st.prefixes != k + (failed == k))
		return 7;
	rt_destroy(t);
	return 0;
}
#endif

/* Allocation failure is an answer (-ENOMEM), never a crash: the harness measures under a cap. */
static void test_out_of_memory(void **state)
{
	(void)state;
#ifdef RB_ASAN
	skip(); /* the sanitizer's shadow memory cannot live under an address-space cap */
#else
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];
		int status = 0;
		pid_t pid;

		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(oom_child(ops));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFSIGNALED(status))
			fail_msg("%s: out of memory: killed by signal %d", ops->name,
				 WTERMSIG(status));
		switch (WEXITSTATUS(status)) {
		case 0:
			break;
		case 10:
			print_message("%s: out of memory: %d routes fit in %u MiB, not tested\n",
				      ops->name, OOM_MAX_ROUTES, OOM_HEADROOM >> 20);
			break;
		case 20:
			print_message("%s: out of memory: cannot cap the address space, "
				      "not tested\n", ops->name);
			break;
		default:
			fail_msg("%s: out of memory: check %d failed (2 create, 3 not -ENOMEM, "
				 "4 finalize, 5 lost a route, 6 half-inserted route, 7 stats)",
				 ops->name, WEXITSTATUS(status));
		}
	}
#endif
}

static void test_destroy_null(void **state)
{
	(void)state;
	rt_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_readme_example),
		cmocka_unit_test(test_nested_prefixes),
		cmocka_unit_test(test_route_is_whole_number),
		cmocka_unit_test(test_number_shorter_than_prefixes),
		cmocka_unit_test(test_catch_all_alone),
		cmocka_unit_test(test_catch_all_under_routes),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_fifteen_digits),
		cmocka_unit_test(test_leading_zeros),
		cmocka_unit_test(test_cost_zero_and_extremes),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_length_not_terminator),
		cmocka_unit_test(test_invalid_insert),
		cmocka_unit_test(test_lookup_is_pure),
		cmocka_unit_test(test_dense_prefixes),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_destroy_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
