/*
 * test_gbench.c - the Google Benchmark shim from C: a registered callback runs its keep-running
 * loop, its counters, aggregates and complexity fit reach the result hook and the JSON file,
 * errors are reported as errors, and a flag GB does not know is refused. Very short runs; no
 * timing is asserted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gbench_shim.h"

struct seen {
	long calls, iterations;      /* from the callback */
	int medians, cvs, big_o, rms, errors, counter_ok;
	char big_o_name[16];
	char error[128];
	double cv;
};

static void bm_sum(struct gb_state *st, void *ctx)
{
	struct seen *s = ctx;
	int64_t n = gb_state_arg(st, 0);
	uint64_t h = 0;

	s->calls++;
	while (gb_keep_running_batch(st, 8))
		for (int b = 0; b < 8; b++) {
			for (int64_t i = 0; i < n; i++)
				h += (uint64_t)(i ^ b);
			gb_do_not_optimize_u64(h);
		}
	s->iterations += (long)gb_state_iterations(st);
	gb_set_items_processed(st, gb_state_iterations(st));
	gb_set_complexity_n(st, n);
	gb_set_counter(st, "widgets", 7.0, GB_COUNTER_DEFAULT);
}

static void bm_fails(struct gb_state *st, void *ctx)
{
	struct seen *s = ctx;

	s->calls++;
	gb_skip_with_error(st, "no table today");
}

static double counter_of(const struct gb_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_counters; i++)
		if (strcmp(r->counter_names[i], name) == 0)
			return r->counter_values[i];
	return -1;
}

static void hook(const struct gb_result *r, void *ctx)
{
	struct seen *s = ctx;

	if (r->error) {
		s->errors++;
		snprintf(s->error, sizeof(s->error), "%s", r->error);
		return;
	}
	switch (r->kind) {
	case GB_RUN_AGGREGATE:
		assert_string_equal(r->family, "BM_Test/sum");
		if (strcmp(r->aggregate, "median") == 0) {
			s->medians++;
			assert_false(r->aggregate_is_ratio);
			assert_true(r->cpu_ns > 0);
			assert_true(strcmp(r->args, "16") == 0 || strcmp(r->args, "64") == 0 ||
				    strcmp(r->args, "256") == 0);
			if (counter_of(r, "widgets") == 7.0 &&
			    counter_of(r, "items_per_second") > 0)
				s->counter_ok++;
		}
		if (strcmp(r->aggregate, "cv") == 0) {
			s->cvs++;
			assert_true(r->aggregate_is_ratio);
			s->cv = r->cpu_ns;
		}
		break;
	case GB_RUN_BIG_O:
		s->big_o++;
		snprintf(s->big_o_name, sizeof(s->big_o_name), "%s", r->big_o);
		assert_true(r->cpu_ns > 0);
		break;
	case GB_RUN_RMS:
		s->rms++;
		break;
	default:
		break;
	}
}

/* The whole file at path, NUL-terminated (free it). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_registered_benchmark_runs_and_reports(void **state)
{
	struct seen s = { 0 };
	char json[] = "/tmp/test_gbench.XXXXXX", out_flag[64], *text;
	char *argv[] = { "test_gbench", "--benchmark_min_time=0.001", "--benchmark_repetitions=3",
			 out_flag, "--benchmark_out_format=json", "--benchmark_filter=BM_Test/sum",
			 NULL };
	struct gb_bench *b;
	int fd = mkstemp(json);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(out_flag, sizeof(out_flag), "--benchmark_out=%s", json);
	b = gb_register("BM_Test/sum", bm_sum, &s);
	assert_non_null(b);
	assert_ptr_equal(gb_bench_arg(gb_bench_arg(gb_bench_arg(b, 16), 64), 256), b);
	gb_bench_aggregates_only(b);
	gb_bench_complexity(b, GB_O_N);
	gb_add_context("routebench_test", "shim");
	gb_set_result_hook(hook, &s);
	assert_int_equal(gb_run(6, argv), 3);
	assert_true(s.calls >= 9); /* each size at least once per repetition */
	assert_true(s.iterations >= 9 * 8);
	assert_int_equal(s.medians, 3);
	assert_int_equal(s.cvs, 3);
	assert_true(s.cv >= 0);
	assert_int_equal(s.counter_ok, 3);
	assert_int_equal(s.big_o, 1);
	assert_string_equal(s.big_o_name, "N");
	assert_int_equal(s.rms, 1);
	text = slurp(json);
	assert_non_null(strstr(text, "\"routebench_test\": \"shim\""));
	assert_non_null(strstr(text, "\"BM_Test/sum/64_median\""));
	assert_non_null(strstr(text, "\"widgets\": 7"));
	assert_non_null(strstr(text, "\"aggregate_name\": \"cv\""));
	assert_non_null(strstr(text, "\"big_o\": \"N\""));
	free(text);
	unlink(json);
	gb_set_result_hook(NULL, NULL);
	gb_clear();
}

static void test_error_is_reported(void **state)
{
	struct seen s = { 0 };
	char *argv[] = { "test_gbench", "--benchmark_min_time=0.001", "--benchmark_repetitions=1",
			 "--benchmark_out=", "--benchmark_filter=BM_Test/fails", NULL };

	(void)state;
	gb_bench_arg(gb_register("BM_Test/fails", bm_fails, &s), 1);
	gb_set_result_hook(hook, &s);
	assert_int_equal(gb_run(5, argv), 1);
	assert_true(s.calls >= 1);
	assert_int_equal(s.errors, 1);
	assert_string_equal(s.error, "no table today");
	gb_set_result_hook(NULL, NULL);
	gb_clear();
}

static void test_unknown_flag_is_refused(void **state)
{
	char *argv[] = { "test_gbench", "--benchmark_min_time=0.001", "--not-a-gb-flag", NULL };

	(void)state;
	assert_int_equal(gb_run(3, argv), -EINVAL);
	/* a NULL handle is a no-op, not a crash */
	assert_null(gb_bench_repetitions(gb_bench_arg(NULL, 1), 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered_benchmark_runs_and_reports),
		cmocka_unit_test(test_error_is_reported),
		cmocka_unit_test(test_unknown_flag_is_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	gb_shutdown();
	return rc;
}
