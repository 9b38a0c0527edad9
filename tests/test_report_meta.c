/*
 * test_report_meta.c - the meta.json reader of the report (harness/report/run.h): fields read
 * where bench writes them, not where their name first appears; numbers and booleans as text;
 * "complete": false and its reason; the user's files of a `bench --routes` run; a buffer
 * without a terminating NUL; and, through the libFuzzer entry, every prefix of a real
 * meta.json and some garbage, which must not crash.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "run.h"

static const char meta[] =
	"{\n"
	"  \"started\": \"2025-01-15T10:00:00Z\",\n"
	"  \"finished\": null,\n"
	"  \"command\": \"routebench bench\\n--sizes 10\",\n"
	"  \"columns\": {\"cpu_model\": \"a decoy\"},\n"
	"  \"machine\": {\"cpu_model\": \"Fixture CPU\", \"cores\": 4,\n"
	"              \"mem_total_bytes\": 17179869184, \"kernel\": \"Linux\"},\n"
	"  \"build\": {\"git_commit\": \"0123abc\", \"git_dirty\": true, \"c_flags\": [\"-O2\"]},\n"
	"  \"libraries\": {\"glibc\": \"2.36\"}\n"
	"}\n";

static struct report_meta m;

static void test_fields(void **state)
{
	(void)state;
	assert_int_equal(report_meta_read(meta, strlen(meta), &m), 0);
	assert_string_equal(m.text[REPORT_META_CPU], "Fixture CPU"); /* not the decoy */
	assert_string_equal(m.text[REPORT_META_CORES], "4");
	assert_string_equal(m.text[REPORT_META_MEM], "17179869184");
	assert_string_equal(m.text[REPORT_META_COMMIT], "0123abc");
	assert_string_equal(m.text[REPORT_META_GLIBC], "2.36");
	assert_string_equal(m.text[REPORT_META_COMMAND], "routebench bench --sizes 10");
	assert_string_equal(m.text[REPORT_META_FINISHED], ""); /* null: not recorded */
	assert_string_equal(m.text[REPORT_META_FLAGS], "");    /* not a scalar */
	assert_string_equal(m.text[REPORT_META_JEMALLOC], ""); /* missing */
	assert_true(m.git_dirty);
	assert_true(m.complete); /* no "complete" key: an older, complete run */
	assert_string_equal(report_meta_path(REPORT_META_CPU), "machine.cpu_model");
}

static void test_incomplete(void **state)
{
	static const char part[] = "{\"complete\": false, \"incomplete_reason\": "
				   "\"interrupted at cell 12 of 120 (SIGINT)\"}";
	static const char done[] = "{\"complete\": true, \"incomplete_reason\": \"stale\"}";

	(void)state;
	assert_int_equal(report_meta_read(part, strlen(part), &m), 0);
	assert_false(m.complete);
	assert_string_equal(m.incomplete_reason, "interrupted at cell 12 of 120 (SIGINT)");
	assert_int_equal(report_meta_read(done, strlen(done), &m), 0);
	assert_true(m.complete);
	assert_string_equal(m.incomplete_reason, "");
}

/* The user's files: datasets with "source": "user", the samples and generated ones aside. */
static void test_user_data(void **state)
{
	static const char user[] =
		"{\"source\": \"user\", \"arguments\": {\"seed\": 9, \"shape\": \"makeschool\"},\n"
		" \"datasets\": [\n"
		"  {\"kind\": \"routes\", \"count\": 1200, \"carrier\": 0, \"source\": \"user\",\n"
		"   \"path\": \"/data/carrier-a.txt\"},\n"
		"  {\"kind\": \"routes\", \"count\": 34, \"carrier\": 1, \"source\": \"user\",\n"
		"   \"path\": \"b.txt\"},\n"
		"  {\"kind\": \"numbers\", \"count\": 500, \"source\": \"user\",\n"
		"   \"path\": \"/n.txt\"},\n"
		"  {\"kind\": \"routes\", \"count\": 10, \"source\": \"sample\",\n"
		"   \"path\": \"s.txt\"},\n"
		"  {\"kind\": \"routes\", \"count\": 10, \"path\": \"gen.txt\"},\n"
		"  7, {\"source\": 1}]}";

	(void)state;
	assert_int_equal(report_meta_read(user, strlen(user), &m), 0);
	assert_string_equal(m.text[REPORT_META_SOURCE], "user");
	assert_string_equal(m.text[REPORT_META_SEED], "9");
	assert_int_equal(m.user_carriers, 2);
	assert_int_equal(m.user_routes, 1234);
	assert_string_equal(m.user_route_files[0], "carrier-a.txt");
	assert_string_equal(m.user_route_files[1], "b.txt");
	assert_int_equal(m.user_route_counts[1], 34);
	assert_string_equal(m.user_numbers_file, "n.txt");
	assert_int_equal(m.user_numbers, 500);
	assert_int_equal(report_meta_read(meta, strlen(meta), &m), 0);
	assert_int_equal(m.user_carriers, 0); /* an older run: no source, no user files */
	assert_string_equal(m.text[REPORT_META_SOURCE], "");
}

static void test_bad_input(void **state)
{
	char *copy = malloc(sizeof(meta) - 2); /* no NUL after the closing brace */

	(void)state;
	assert_non_null(copy);
	memcpy(copy, meta, sizeof(meta) - 2);
	assert_int_equal(report_meta_read(copy, sizeof(meta) - 2, &m), 0);
	assert_string_equal(m.text[REPORT_META_STARTED], "2025-01-15T10:00:00Z");
	free(copy);
	m.text[REPORT_META_CPU][0] = 'x';
	assert_int_equal(report_meta_read("[1, 2]", 6, &m), -EINVAL);
	assert_int_equal(m.text[REPORT_META_CPU][0], 'x'); /* untouched on failure */
	assert_int_equal(report_meta_read("{\"a\": 1", 7, &m), -EINVAL);
	assert_int_equal(report_meta_read("", 0, &m), -EINVAL);
	assert_int_equal(report_meta_read(NULL, 0, &m), -EINVAL);
	assert_int_equal(report_meta_read("{\"started\": \"\\u0000\"}", 22, &m), -EINVAL);
}

static void test_fuzz_entry(void **state)
{
	static const char alphabet[] = "{}[]\":,\\ 0aetrufnl"; /* its NUL too */
	uint8_t junk[256];
	uint32_t x = 1;

	(void)state;
	for (size_t len = 0; len <= strlen(meta); len++)
		assert_int_equal(report_fuzz_meta((const uint8_t *)meta, len), 0);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(junk); i++) {
			x = x * 1103515245u + 12345u;
			junk[i] = (uint8_t)alphabet[(x >> 16) % sizeof(alphabet)];
		}
		assert_int_equal(report_fuzz_meta(junk, sizeof(junk)), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_user_data),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_fuzz_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
