/*
 * test_deck.c - the user's files as datasets (harness/data/deck.h): the checking pass counts
 * what the loader loads and fails where and how the loader fails (the real data's quirks, a
 * bad line, an over-long one, skipping), and a sample is n of the valid lines in file order, a
 * pure function of the seed, the whole file's valid lines when n is all of them.
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

#include "deck.h"
#include "load.h"

static char dir[64];

/* dir/name holding text; its path into path[] (returned). */
static const char *file_with(const char *name, const char *text, size_t len, char *path)
{
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* The whole of path, NUL-terminated, in a new buffer. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = calloc(1, 1 << 16);
	size_t n;

	assert_non_null(f);
	n = fread(s, 1, (1 << 16) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static const char quirks[] = "\xef\xbb\xbf+1,0.5\r\n\n+12,0.25  \n   \n+123,1\t\n+1,0.1";

static void test_scan_counts_what_the_loader_loads(void **state)
{
	struct ds_routes r = { 0 };
	struct ds_deck_scan s;
	struct ds_error err;
	char path[128];

	(void)state;
	file_with("quirks.txt", quirks, sizeof(quirks) - 1, path);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), 0);
	assert_int_equal(ds_deck_scan(path, DS_DECK_ROUTES, 0, &s, &err), 0);
	assert_int_equal(s.records, r.n);
	assert_int_equal(s.records, 4);
	assert_int_equal(s.lines, 6); /* blank lines count as lines, not records */
	assert_int_equal(s.skipped, 0);
	assert_int_equal(s.bytes, sizeof(quirks) - 1);
	ds_routes_free(&r);
}

/* The scan's error is the loader's, field by field. */
static void same_error(const char *name, const char *text, size_t len, enum ds_deck_kind kind)
{
	struct ds_error want, got;
	struct ds_routes r = { 0 };
	struct ds_numbers n = { 0 };
	struct ds_deck_scan s;
	char path[128];
	int rc;

	file_with(name, text, len, path);
	rc = kind == DS_DECK_ROUTES ? ds_load_routes(path, 0, &r, &want)
				    : ds_load_numbers(path, 0, &n, &want);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(ds_deck_scan(path, kind, 0, &s, &got), -EINVAL);
	assert_int_equal(got.err, want.err);
	assert_string_equal(got.path, want.path);
	assert_int_equal(got.line, want.line);
	assert_string_equal(got.what, want.what);
	assert_string_equal(got.text, want.text);
	ds_routes_free(&r);
	ds_numbers_free(&n);
}

static void test_bad_lines_fail_as_the_loader_fails(void **state)
{
	static const char bad_cost[] = "+1,0.5\n\n+12,x\n+13,1\n";
	static const char bad_number[] = "+1\n+12\n1234\n";
	static const char no_plus[] = "+1,1\r\n 1,2\r\n";
	char *long_line = malloc(DS_MAX_LINE + 64);
	size_t n = 0;

	(void)state;
	same_error("cost.txt", bad_cost, sizeof(bad_cost) - 1, DS_DECK_ROUTES);
	same_error("number.txt", bad_number, sizeof(bad_number) - 1, DS_DECK_NUMBERS);
	same_error("plus.txt", no_plus, sizeof(no_plus) - 1, DS_DECK_ROUTES);
	n += (size_t)sprintf(long_line, "+1,1\n+2,");
	while (n < DS_MAX_LINE + 20)
		long_line[n++] = '1';
	long_line[n++] = '\n';
	same_error("long.txt", long_line, n, DS_DECK_ROUTES);
	free(long_line);
}

static void test_skip_invalid_counts_and_numbers_them(void **state)
{
	static const char text[] = "+1,1\n+x,1\n\n+12,2\n+13,\n+14,3\n";
	struct ds_routes r = { 0 };
	struct ds_deck_scan s;
	struct ds_error err;
	char path[128];

	(void)state;
	file_with("skip.txt", text, sizeof(text) - 1, path);
	assert_int_equal(ds_load_routes(path, 1, &r, &err), 0);
	assert_int_equal(ds_deck_scan(path, DS_DECK_ROUTES, 1, &s, &err), 0);
	assert_int_equal(s.records, r.n);
	assert_int_equal(s.skipped, r.skipped);
	assert_int_equal(s.skipped, 2);
	assert_int_equal(s.skip_at[0], 2);
	assert_int_equal(s.skip_at[1], 5);
	assert_int_equal(s.lines, 6);
	ds_routes_free(&r);
}

/* Every line of sample is a line of whole, in whole's order; the number of lines. */
static size_t in_order(const char *sample, const char *whole)
{
	const char *w = whole;
	size_t n = 0;

	for (const char *l = sample; *l; n++) {
		size_t len = strcspn(l, "\n");
		int found = 0;

		while (*w && !found) {
			size_t wl = strcspn(w, "\n");

			found = wl == len && memcmp(w, l, len) == 0;
			w += wl + (w[wl] == '\n');
		}
		assert_true(found);
		l += len + (l[len] == '\n');
	}
	return n;
}

static void test_samples(void **state)
{
	char text[4096], path[128], out[4][128], *got[4], *all;
	struct ds_deck_scan s;
	struct ds_error err;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 200; i++) /* duplicates on purpose: +1..+50 four times */
		n += (size_t)sprintf(text + n, "+%d,%d.%02d\n", 1 + i % 50, i / 50, i % 100);
	file_with("deck.txt", text, n, path);
	assert_int_equal(ds_deck_scan(path, DS_DECK_ROUTES, 0, &s, &err), 0);
	assert_int_equal(s.records, 200);
	for (int k = 0; k < 4; k++)
		sprintf(out[k], "%s/sample-%d.txt", dir, k);
	assert_int_equal(ds_deck_sample(path, DS_DECK_ROUTES, &s, 30, 7, 0, out[0], &err), 0);
	assert_int_equal(ds_deck_sample(path, DS_DECK_ROUTES, &s, 30, 7, 0, out[1], &err), 0);
	assert_int_equal(ds_deck_sample(path, DS_DECK_ROUTES, &s, 30, 8, 0, out[2], &err), 0);
	assert_int_equal(ds_deck_sample(path, DS_DECK_ROUTES, &s, 200, 8, 0, out[3], &err), 0);
	for (int k = 0; k < 4; k++)
		got[k] = slurp(out[k]);
	all = slurp(path);
	assert_int_equal(in_order(got[0], all), 30);
	assert_string_equal(got[0], got[1]);          /* the same seed, the same lines */
	assert_string_not_equal(got[0], got[2]);      /* another seed, others */
	assert_string_equal(got[3], all);             /* all of them: the file */
	assert_int_equal(ds_deck_sample(path, DS_DECK_ROUTES, &s, 201, 8, 0, out[3], &err),
			 -EINVAL);
	for (int k = 0; k < 4; k++)
		free(got[k]);
	free(all);
}

static void test_stdin_is_refused(void **state)
{
	struct ds_deck_scan s;
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_deck_scan("-", DS_DECK_ROUTES, 0, &s, &err), -EINVAL);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_deck.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_counts_what_the_loader_loads),
		cmocka_unit_test(test_bad_lines_fail_as_the_loader_fails),
		cmocka_unit_test(test_skip_invalid_counts_and_numbers_them),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_stdin_is_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
