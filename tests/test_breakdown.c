/*
 * test_breakdown.c - the per-component memory breakdown: trie against lazytrie on a tiny route
 * set names each structure's components, the lines add up to total_bytes, and bytes per route
 * is bytes / routes; a table with more components than rt_stats holds shows "(other)".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "breakdown.h"
#include "registry.h"

static const char *const routes[] = { "1", "1415", "14152", "1415234", "44", "4420", "86" };
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

static void build(const char *name, struct rt_stats *s)
{
	const struct route_table_ops *ops = rt_find(name);
	struct route_table *t = NULL;

	assert_non_null(ops);
	assert_int_equal(rt_create(ops, &t), 0);
	for (size_t i = 0; i < N_ROUTES; i++)
		assert_int_equal(rt_insert(t, routes[i], (unsigned)strlen(routes[i]), 1000 + i), 0);
	assert_int_equal(rt_finalize(t), 0);
	rt_stats(t, s);
	rt_destroy(t);
}

/* Print with bench_breakdown_print (csv: bench_breakdown_csv) into a string (free it). */
static char *render(const char *impl, const struct rt_stats *s, size_t n, int csv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (csv)
		bench_breakdown_csv(f, impl, s, n, 1);
	else
		bench_breakdown_print(f, impl, s, n);
	fclose(f);
	return buf;
}

/* The number in the bytes column of the line starting with "  label" (after the count). */
static size_t bytes_of(const char *text, const char *label)
{
	char want[64];
	const char *line;
	size_t count, bytes;

	snprintf(want, sizeof(want), "\n  %s ", label);
	line = strstr(text, want);
	if (!line)
		fail_msg("no line '%s' in:\n%s", label, text);
	line += strlen(want);
	if (strcmp(label, "total") == 0 || strcmp(label, "(other)") == 0) {
		assert_int_equal(sscanf(line, "%zu", &bytes), 1);
		return bytes;
	}
	assert_int_equal(sscanf(line, "%zu %zu", &count, &bytes), 2);
	return bytes;
}

static void test_components_sum_to_total(void **state)
{
	static const char *const impls[] = { "trie", "lazytrie" };
	struct rt_stats s;

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t sum = 0;
		char *text;

		build(impls[k], &s);
		text = render(impls[k], &s, N_ROUTES, 0);
		assert_true(s.n_components >= 1);
		for (size_t i = 0; i < s.n_components; i++)
			sum += bytes_of(text, s.comp[i].name);
		assert_int_equal(sum, s.total_bytes);
		assert_int_equal(bytes_of(text, "total"), s.total_bytes);
		assert_null(strstr(text, "(other)"));
		assert_non_null(strstr(text, impls[k]));
		free(text);
	}
}

static void test_trie_against_lazytrie(void **state)
{
	struct rt_stats trie, lazy;
	char *t_text, *l_text, per_route[32];

	(void)state;
	build("trie", &trie);
	build("lazytrie", &lazy);
	t_text = render("trie", &trie, N_ROUTES, 0);
	l_text = render("lazytrie", &lazy, N_ROUTES, 0);
	/* the same trie shape: same nodes and prefixes */
	assert_int_equal(trie.nodes, lazy.nodes);
	assert_int_equal(trie.prefixes, N_ROUTES);
	assert_int_equal(lazy.prefixes, N_ROUTES);
	/* trie is nodes only; lazytrie splits nodes and child tables */
	assert_non_null(strstr(t_text, "  nodes "));
	assert_null(strstr(t_text, "child tables"));
	assert_non_null(strstr(l_text, "  nodes "));
	assert_non_null(strstr(l_text, "  child tables "));
	assert_true(bytes_of(l_text, "nodes") < bytes_of(t_text, "nodes"));
	assert_true(lazy.total_bytes * 10 < trie.total_bytes);
	/* bytes per route is bytes / routes, two decimals */
	snprintf(per_route, sizeof(per_route), " %.2f ", (double)trie.total_bytes / N_ROUTES);
	assert_non_null(strstr(t_text, per_route));
	free(t_text);
	free(l_text);
}

static void test_csv(void **state)
{
	struct rt_stats s;
	char *text, line[128];

	(void)state;
	build("lazytrie", &s);
	text = render("lazytrie", &s, N_ROUTES, 1);
	assert_memory_equal(text, "impl,component,count,bytes,bytes_per_route\n", 43);
	snprintf(line, sizeof(line), "lazytrie,child tables,%zu,%zu,", s.comp[1].count,
		 s.comp[1].bytes);
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof(line), "lazytrie,total,%zu,%zu,%.4f\n", s.nodes, s.total_bytes,
		 (double)s.total_bytes / N_ROUTES);
	assert_non_null(strstr(text, line));
	free(text);
}

static void test_other_and_no_routes(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
	struct rt_stats s = { 0 };
	char *text;

	(void)state;
	for (size_t i = 0; i < 10; i++)
		rt_stats_add(&s, names[i], i, 100 * (i + 1));
	assert_int_equal(s.n_components, RT_MAX_COMPONENTS);
	text = render("many", &s, 0, 0);
	/* i and j (900 + 1000 bytes) did not fit: they are "(other)", and the total holds */
	assert_int_equal(bytes_of(text, "(other)"), 1900);
	assert_int_equal(bytes_of(text, "total"), 5500);
	free(text);
}

static void test_compare(void **state)
{
	const char *names[] = { "trie", "lazytrie" };
	struct rt_stats s[2];
	char *buf = NULL, want[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	build("trie", &s[0]);
	build("lazytrie", &s[1]);
	bench_breakdown_compare(f, names, s, 2, N_ROUTES);
	fclose(f);
	assert_non_null(strstr(buf, "vs trie"));
	assert_non_null(strstr(buf, "100.00%"));
	snprintf(want, sizeof(want), "%.2f%%",
		 100.0 * (double)s[1].total_bytes / (double)s[0].total_bytes);
	assert_non_null(strstr(buf, want));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_components_sum_to_total),
		cmocka_unit_test(test_trie_against_lazytrie),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_other_and_no_routes),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
