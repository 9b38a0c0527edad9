/*
 * test_stream.c - the streaming strategy gives the indexed strategy's answers and errors.
 *
 * The oracle is what `price` does: ds_load_routes per carrier, a "hash" table each, the lowest
 * carrier answer per number. Random carriers (nested and duplicated prefixes, catch-alls, CRLF
 * and blank lines, no final newline) must price identically; bad lines must fail with the
 * loader's exact file, line, reason and text, or be counted the same under skip_invalid.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"
#include "registry.h"
#include "stream.h"

#define MAX_CARRIERS 4

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct text {
	char *p;
	size_t n, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

static void text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

/* A temp file holding text; returns its malloc'd path. */
static char *write_temp(const struct text *t)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = malloc(strlen(dir) + 32);
	int fd;

	assert_non_null(path);
	sprintf(path, "%s/rb_stream_XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, t->p, t->n), (ssize_t)t->n);
	close(fd);
	return path;
}

static void random_digits(char *out, unsigned len, unsigned alphabet)
{
	for (unsigned i = 0; i < len; i++)
		out[i] = (char)('0' + rng() % alphabet);
	out[len] = '\0';
}

static const char *const good_costs[] = {
	"0.5", "1", "007.10", "0.000001", "999999999999.999999", "12.34", "0", "0.04", "3.1",
};

static const char *const bad_lines[] = {
	"+12x,0.5",
	"12,0.5",
	"+1234567890123456,1",
	"+1,",
	"+1",
	"+1,1.2345678",
	"+1,.5",
	"+1,1e3",
	" +1,0.5",
	"+1;0.5",
	"+1,0.5 x",
	"+",
	"+1,1234567890123",
	"+1,5.",
};

/*
 * A random carrier file: valid routes over a small alphabet so numbers hit them, some lines
 * decorated the way real files are, and with bad_every > 0 roughly one bad line in that many.
 */
static void random_carrier(struct text *t, size_t lines, unsigned alphabet, unsigned bad_every)
{
	char line[2048], digits[RT_MAX_DIGITS + 1];

	t->n = 0;
	text_puts(t, "");
	for (size_t i = 0; i < lines; i++) {
		unsigned kind = (unsigned)(rng() % 100);

		if (bad_every && rng() % bad_every == 0) {
			if (rng() % 8 == 0) { /* over DS_MAX_LINE */
				memset(line, '1', 1100);
				line[0] = '+';
				strcpy(line + 1100, ",0.5");
			} else {
				strcpy(line, bad_lines[rng() %
						       (sizeof(bad_lines) / sizeof(bad_lines[0]))]);
			}
		} else if (kind < 3) {
			strcpy(line, kind == 0 ? "" : kind == 1 ? "  \t" : "\r");
		} else {
			unsigned len = kind < 5 ? 0 : (unsigned)(rng() % (RT_MAX_DIGITS + 1));

			random_digits(digits, len, alphabet);
			snprintf(line, sizeof(line), "+%s,%s%s", digits,
				 good_costs[rng() % (sizeof(good_costs) / sizeof(good_costs[0]))],
				 kind < 10   ? "\r"
				 : kind < 13 ? "  "
				 : kind < 15 ? "\t"
					     : "");
		}
		text_puts(t, line);
		if (i + 1 < lines || rng() % 2)
			text_puts(t, "\n");
	}
}

static void random_numbers(struct ds_numbers *nums, size_t n, unsigned alphabet)
{
	memset(nums, 0, sizeof(*nums));
	nums->v = calloc(n ? n : 1, sizeof(*nums->v));
	assert_non_null(nums->v);
	nums->cap = n;
	for (size_t i = 0; i < n; i++) {
		char d[RT_MAX_DIGITS + 1];
		unsigned len = 1 + (unsigned)(rng() % RT_MAX_DIGITS);

		random_digits(d, len, alphabet);
		memcpy(nums->v[i].digits, d, len);
		nums->v[i].len = (uint8_t)len;
	}
	nums->n = n;
}

/* What `price` does with impl: 0 with best[], skipped[] and routes[], or -1 with *err. */
static int indexed_price(const char *impl, char *const *paths, size_t n_paths, int skip,
			 const struct ds_numbers *nums, uint64_t *best, size_t *skipped,
			 size_t *routes, struct ds_error *err)
{
	const struct route_table_ops *ops = rt_find(impl);

	assert_non_null(ops);
	for (size_t i = 0; i < nums->n; i++)
		best[i] = RT_NO_ROUTE;
	for (size_t k = 0; k < n_paths; k++) {
		struct ds_routes r = {0};
		struct route_table *t;

		if (ds_load_routes(paths[k], skip, &r, err) != 0) {
			ds_routes_free(&r); /* a failed load may leave a grown, empty buffer */
			return -1;
		}
		skipped[k] = r.skipped;
		routes[k] = r.n;
		if (r.n == 0) {
			ds_routes_free(&r);
			snprintf(err->path, sizeof(err->path), "%s", paths[k]);
			err->line = 0;
			snprintf(err->what, sizeof(err->what), "no routes in the file");
			err->text[0] = '\0';
			return -1;
		}
		assert_int_equal(rt_create(ops, &t), 0);
		for (size_t i = 0; i < r.n; i++)
			assert_int_equal(rt_insert(t, r.v[i].digits, r.v[i].len, r.v[i].cost), 0);
		assert_int_equal(rt_finalize(t), 0);
		for (size_t i = 0; i < nums->n; i++) {
			uint64_t c = rt_lookup(t, nums->v[i].digits, nums->v[i].len);

			if (c < best[i])
				best[i] = c;
		}
		rt_destroy(t);
		ds_routes_free(&r);
	}
	return 0;
}

/* Run both strategies and require the same outcome, answer for answer or error for error. */
static void expect_same(const char *impl, char *const *paths, size_t n_paths, int skip,
			const struct ds_numbers *nums, const char *what)
{
	uint64_t *want = malloc((nums->n + 1) * sizeof(*want));
	uint64_t *got = malloc((nums->n + 1) * sizeof(*got));
	size_t want_skipped[MAX_CARRIERS] = {0}, got_skipped[MAX_CARRIERS] = {0};
	size_t want_routes[MAX_CARRIERS] = {0}, got_routes[MAX_CARRIERS] = {0};
	struct ds_error want_err, got_err;
	int want_rc, got_rc;

	assert_non_null(want);
	assert_non_null(got);
	memset(&want_err, 0, sizeof(want_err));
	memset(&got_err, 0, sizeof(got_err));
	want_rc = indexed_price(impl, paths, n_paths, skip, nums, want, want_skipped, want_routes,
				&want_err);
	got_rc = stream_price((const char *const *)paths, n_paths, skip, nums, got, got_skipped,
			      got_routes, &got_err);
	if (want_rc != got_rc)
		fail_msg("%s: indexed returned %d (%s:%zu: %s), stream %d (%s:%zu: %s)", what,
			 want_rc, want_err.path, want_err.line, want_err.what, got_rc, got_err.path,
			 got_err.line, got_err.what);
	if (want_rc != 0) {
		assert_string_equal(got_err.path, want_err.path);
		assert_int_equal(got_err.line, want_err.line);
		assert_string_equal(got_err.what, want_err.what);
		if (want_err.line)
			assert_string_equal(got_err.text, want_err.text);
	} else {
		for (size_t k = 0; k < n_paths; k++) {
			assert_int_equal(got_skipped[k], want_skipped[k]);
			assert_int_equal(got_routes[k], want_routes[k]);
		}
		for (size_t i = 0; i < nums->n; i++)
			if (got[i] != want[i])
				fail_msg("%s: number %zu \"%.*s\": stream %llu, indexed %llu", what,
					 i, nums->v[i].len, nums->v[i].digits,
					 (unsigned long long)got[i], (unsigned long long)want[i]);
	}
	free(want);
	free(got);
}

static void free_paths(char **paths, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unlink(paths[k]);
		free(paths[k]);
	}
}

/* Many random valid carrier sets, small files (all in the tail copy) to thousands of lines. */
static void test_random_valid(void **state)
{
	static const size_t sizes[] = {1, 2, 5, 30, 200, 3000};
	struct text t = {0};

	(void)state;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (int round = 0; round < 60; round++) {
		size_t n_paths = 1 + (size_t)(rng() % MAX_CARRIERS);
		unsigned alphabet = 2 + (unsigned)(rng() % 9);
		char *paths[MAX_CARRIERS];
		struct ds_numbers nums;
		char what[64];

		for (size_t k = 0; k < n_paths; k++) {
			do
				random_carrier(&t,
					       sizes[rng() % (sizeof(sizes) / sizeof(sizes[0]))],
					       alphabet, 0);
			while (!strchr(t.p, ','));
			paths[k] = write_temp(&t);
		}
		random_numbers(&nums, (size_t)(rng() % 500), alphabet);
		snprintf(what, sizeof(what), "round %d", round);
		expect_same(round % 2 ? "hash" : "linear", paths, n_paths, 0, &nums, what);
		ds_numbers_free(&nums);
		free_paths(paths, n_paths);
	}
	free(t.p);
}

/* Bad lines: the first one fails with the loader's words; skipped, they count the same. */
static void test_random_invalid(void **state)
{
	static const size_t sizes[] = {1, 3, 40, 400, 2000};
	struct text t = {0};

	(void)state;
	rng_state = 0xD1B54A32D192ED03ULL;
	for (int round = 0; round < 80; round++) {
		size_t n_paths = 1 + (size_t)(rng() % MAX_CARRIERS);
		char *paths[MAX_CARRIERS];
		struct ds_numbers nums;
		char what[64];

		for (size_t k = 0; k < n_paths; k++) {
			random_carrier(&t, sizes[rng() % (sizeof(sizes) / sizeof(sizes[0]))], 3,
				       1 + (unsigned)(rng() % 50));
			paths[k] = write_temp(&t);
		}
		random_numbers(&nums, (size_t)(rng() % 100), 3);
		snprintf(what, sizeof(what), "round %d, failing", round);
		expect_same("hash", paths, n_paths, 0, &nums, what);
		snprintf(what, sizeof(what), "round %d, skipping", round);
		expect_same("hash", paths, n_paths, 1, &nums, what);
		ds_numbers_free(&nums);
		free_paths(paths, n_paths);
	}
	free(t.p);
}

static void price_texts(const char *const *texts, size_t n, int skip, const char *what)
{
	char *paths[MAX_CARRIERS];
	struct ds_numbers nums;

	for (size_t k = 0; k < n; k++) {
		struct text t = {0};

		text_puts(&t, texts[k]);
		paths[k] = write_temp(&t);
		free(t.p);
	}
	random_numbers(&nums, 50, 3);
	expect_same("hash", paths, n, skip, &nums, what);
	ds_numbers_free(&nums);
	free_paths(paths, n);
}

/* Hand-made answers: longest prefix per carrier, lowest duplicate, cheapest carrier. */
static void test_known_answers(void **state)
{
	struct text a = {0}, b = {0};
	char *paths[2];
	struct ds_numbers nums = {0};
	uint64_t best[5];
	size_t skipped[2];
	struct ds_error err;
	static const char *const numbers[] = {"14155550100", "4420", "999", "1", "44"};
	static const uint64_t want[] = {10000, 30000, 500000, 70000, 60000};

	(void)state;
	text_puts(&a, "+1,0.09\n+1415,0.02\n+1415,0.01\n+44,0.07\n+442,0.05\n+,0.9\n");
	text_puts(&b, "+1,0.07\r\n+14155,0.03\n+44,0.06\n+4420,0.03\n+,0.5");
	paths[0] = write_temp(&a);
	paths[1] = write_temp(&b);
	nums.v = calloc(5, sizeof(*nums.v));
	assert_non_null(nums.v);
	for (size_t i = 0; i < 5; i++) {
		nums.v[i].len = (uint8_t)strlen(numbers[i]);
		memcpy(nums.v[i].digits, numbers[i], nums.v[i].len);
	}
	nums.n = nums.cap = 5;
	assert_int_equal(stream_price((const char *const *)paths, 2, 0, &nums, best, skipped,
				      NULL, &err),
			 0);
	for (size_t i = 0; i < 5; i++)
		assert_true(best[i] == want[i]);
	assert_int_equal(skipped[0] + skipped[1], 0);
	ds_numbers_free(&nums);
	free_paths(paths, 2);
	free(a.p);
	free(b.p);
}

/* Lines at the very end of a file: long, bad, unterminated, blank. */
static void test_file_edges(void **state)
{
	static char long_tail[1200 + 64];
	const char *cases[][2] = {
		{"+1,0.5\n", "+1,0.5"},
		{"+1,0.5\n+12345678901234567", "+,1\n\n\n"},
		{"+1,0.5\r\n+2,0.25 \t", "+123456789012345,999999999999.999999"},
		{"+1,0.5\n", long_tail},
		{"+1,0.5\n+1,0.4\n+1,0.6", "+1,0.5\n+,\n"},
	};

	(void)state;
	memset(long_tail, '2', 1200);
	memcpy(long_tail, "+1,0.5\n+", 8);
	strcpy(long_tail + 1200, ",0.5\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[32];

		snprintf(what, sizeof(what), "edge case %zu", i);
		price_texts(cases[i], 2, 0, what);
		price_texts(cases[i], 2, 1, what);
	}
}

/* A carrier with no valid route is an error; so is a file that cannot be read. */
static void test_no_routes_and_io(void **state)
{
	static const char *const empty[] = {"+1,0.5\n", ""};
	static const char *const blank[] = {"\n  \n\r\n", "+1,0.5"};
	static const char *const all_bad[] = {"+1,0.5", "x\ny\n"};
	char *missing[1] = {(char *)"/nonexistent/rb_stream_routes.txt"};
	char *dir[1] = {(char *)"/"};
	struct ds_numbers nums;

	(void)state;
	price_texts(empty, 2, 0, "empty file");
	price_texts(blank, 2, 0, "blank lines only");
	price_texts(all_bad, 2, 1, "every line skipped");
	price_texts(all_bad, 2, 0, "every line bad");
	random_numbers(&nums, 3, 3);
	expect_same("hash", missing, 1, 0, &nums, "missing file");
	expect_same("hash", dir, 1, 0, &nums, "a directory");
	ds_numbers_free(&nums);
}

/* No numbers at all: every carrier file is still read and checked. */
static void test_no_numbers(void **state)
{
	static const char *const texts[] = {"+1,0.5\n", "+2,0.5\n+3,bad\n"};
	struct ds_numbers none = {0};
	char *paths[2];
	size_t skipped[2];
	struct ds_error err;
	uint64_t best[1];

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct text t = {0};

		text_puts(&t, texts[k]);
		paths[k] = write_temp(&t);
		free(t.p);
	}
	assert_int_equal(stream_price((const char *const *)paths, 2, 0, &none, best, skipped,
				      NULL, &err),
			 -1);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.what, "cost is not a number");
	assert_int_equal(stream_price((const char *const *)paths, 2, 1, &none, best, skipped,
				      NULL, &err),
			 0);
	assert_int_equal(skipped[0], 0);
	assert_int_equal(skipped[1], 1);
	free_paths(paths, 2);
}

/* A pipe cannot be mapped: the file is read instead, with the same answers. */
static void test_pipe(void **state)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	static const char text[] = "+1,0.5\n+12,0.25\r\n\n+,2\n+123,bad\n+9";
	char fifo[256];
	char *paths[1] = {fifo};
	struct ds_numbers nums;
	uint64_t best[200];
	size_t skipped[1];
	struct ds_error err;
	pid_t pid;
	int status;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/rb_stream_fifo_%d", dir, (int)getpid());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(fifo, O_WRONLY);

		_exit(fd >= 0 && write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1
			      ? 0
			      : 1);
	}
	rng_state = 42;
	random_numbers(&nums, 200, 3);
	assert_int_equal(stream_price((const char *const *)paths, 1, 1, &nums, best, skipped,
				      NULL, &err),
			 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(skipped[0], 2);
	for (size_t i = 0; i < nums.n; i++) {
		const char *d = nums.v[i].digits;
		uint64_t want = d[0] != '1'			   ? 2000000
				: nums.v[i].len > 1 && d[1] == '2' ? 250000
								   : 500000;

		assert_true(best[i] == want);
	}
	ds_numbers_free(&nums);
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_random_valid),
		cmocka_unit_test(test_random_invalid),
		cmocka_unit_test(test_file_edges),
		cmocka_unit_test(test_no_routes_and_io),
		cmocka_unit_test(test_no_numbers),
		cmocka_unit_test(test_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
