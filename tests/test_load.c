/*
 * test_load.c - the loaders accept exactly the documented format and name every bad line.
 *
 * Costs must come out as exact micro-units, the real data's quirks (CRLF, trailing blanks, no
 * final newline, blank lines) must load, and each kind of bad line must fail with its line
 * number and a reason, or be counted when skipping was asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"

static void parse_ok(const char *text, struct ds_routes *r)
{
	struct ds_error err;

	memset(r, 0, sizeof(*r));
	if (ds_parse_routes(text, strlen(text), "t.txt", 0, r, &err) != 0)
		fail_msg("unexpected error: %s:%zu: %s", err.path, err.line, err.what);
}

static void test_costs_are_exact(void **state)
{
	static const struct {
		const char *text;
		uint64_t micros;
	} cases[] = {
		{ "0.04", 40000 },     { "1", 1000000 },   { "1.5", 1500000 },
		{ "0.0125", 12500 },   { "0", 0 },         { "0.000001", 1 },
		{ "007.10", 7100000 }, { "999999999999.999999", 999999999999999999ULL },
		{ "0.29", 290000 },    { "1.30", 1300000 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		uint64_t v = 0;

		assert_int_equal(ds_parse_cost(cases[i].text, strlen(cases[i].text), &v, &why), 0);
		assert_true(v == cases[i].micros);
	}
}

static void test_bad_costs(void **state)
{
	static const char *const bad[] = { "", "x", ".5", "1.", "1.1234567", "-1", "1e3",
					   "1,5", "0x10", "1234567890123", "1.2.3", " 1" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		uint64_t v = 77;

		assert_int_equal(ds_parse_cost(bad[i], strlen(bad[i]), &v, &why), -1);
		assert_non_null(why);
		assert_true(v == 77);
	}
}

static void test_format(void **state)
{
	static const struct {
		uint64_t micros;
		const char *text;
	} cases[] = {
		{ 400000, "0.40" }, { 125000, "0.125" }, { 2000000, "2.00" }, { 40000, "0.04" },
		{ 0, "0.00" },      { 1, "0.000001" },   { 12500, "0.0125" }, { RT_NO_ROUTE, "0" },
		{ 999999999999999999ULL, "999999999999.999999" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];
		size_t n = ds_format_cost(cases[i].micros, buf);

		assert_string_equal(buf, cases[i].text);
		assert_int_equal(n, strlen(cases[i].text));
	}
}

static void test_real_quirks_load(void **state)
{
	struct ds_routes r;

	(void)state;
	parse_ok("+1512,0.04\r\n\n+1415,0.02  \t\n   \n+,0.5\n+123456789012345,1", &r);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.v[0].len, 4);
	assert_memory_equal(r.v[0].digits, "1512", 4);
	assert_true(r.v[0].cost == 40000);
	assert_true(r.v[1].cost == 20000);
	assert_int_equal(r.v[2].len, 0); /* the catch-all */
	assert_int_equal(r.v[3].len, 15);
	assert_true(r.v[3].cost == 1000000);
	ds_routes_free(&r);
}

/* Each bad line fails with its own line number and a reason naming the problem. */
static void test_bad_route_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{ "1512,0.04", "prefix must start with '+'" },
		{ "+1234567890123456,1", "prefix longer than 15 digits" },
		{ "+1512", "missing ',' and cost" },
		{ "+15a2,0.04", "prefix has a character that is not a digit" },
		{ "+1512,", "cost is missing" },
		{ "+1512,abc", "cost is not a number" },
		{ "+1512,0.1234567", "cost has more than 6 decimal places" },
		{ "+1512,0.04,7", "cost is not a number" },
		{ " +1512,0.04", "prefix must start with '+'" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		struct ds_routes r = { 0 };
		struct ds_error err;

		snprintf(text, sizeof(text), "+1,0.01\n\n%s\n+2,0.02\n", cases[i].line);
		assert_int_equal(ds_parse_routes(text, strlen(text), "r.txt", 0, &r, &err), -EINVAL);
		assert_int_equal(err.err, -EINVAL);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.path, "r.txt");
		assert_string_equal(err.what, cases[i].why);
		assert_string_equal(err.text, cases[i].line);
		assert_int_equal(r.n, 0); /* nothing appended on failure */
		ds_routes_free(&r);
	}
}

static void test_skip_invalid_counts(void **state)
{
	const char *text = "+1,0.01\nbad\n+2,x\n+3,0.03\n";
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_parse_routes(text, strlen(text), "r.txt", 1, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.skipped, 2);
	ds_routes_free(&r);
}

static void test_long_line(void **state)
{
	size_t n = DS_MAX_LINE + 10;
	char *text = malloc(n + 1);
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	memset(text, '1', n);
	text[0] = '+';
	text[n] = '\0';
	assert_int_equal(ds_parse_routes(text, n, "r.txt", 0, &r, &err), -EINVAL);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.what, "line too long (over 1024 bytes)");
	assert_true(strlen(err.text) < sizeof(err.text)); /* truncated, with "..." */
	assert_non_null(strstr(err.text, "..."));
	ds_routes_free(&r);
	free(text);
}

static void test_numbers(void **state)
{
	const char *good = "+15124156620\r\n+1\n\n+123456789012345  ";
	static const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{ "+", "number has no digits" },
		{ "15124156620", "number must start with '+'" },
		{ "+1234567890123456", "number longer than 15 digits" },
		{ "+1512-415", "number has a character that is not a digit" },
		{ "+1512,0.04", "number has a character that is not a digit" },
	};
	struct ds_numbers n = { 0 };
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_parse_numbers(good, strlen(good), "n.txt", 0, &n, &err), 0);
	assert_int_equal(n.n, 3);
	assert_int_equal(n.v[0].len, 11);
	assert_int_equal(n.v[1].len, 1);
	assert_int_equal(n.v[2].len, 15);
	ds_numbers_free(&n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64];

		snprintf(text, sizeof(text), "+1\n%s\n", bad[i].line);
		assert_int_equal(ds_parse_numbers(text, strlen(text), "n.txt", 0, &n, &err), -EINVAL);
		assert_int_equal(err.line, 2);
		assert_string_equal(err.what, bad[i].why);
		ds_numbers_free(&n);
	}
}

static void test_files(void **state)
{
	char path[] = "/tmp/rb_test_load_XXXXXX";
	int fd = mkstemp(path);
	const char *text = "+1415,0.02\n+1415234,0.03";
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.bytes, strlen(text));
	ds_routes_free(&r);
	unlink(path);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -ENOENT);
	assert_int_equal(err.err, -ENOENT);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.what, "No such file or directory");
	assert_int_equal(ds_load_routes("/tmp", 0, &r, &err), -EISDIR);
	assert_string_equal(err.what, "is a directory");
}

/* A temporary file holding text[0..len); its path in path (at least 32 bytes). */
static void temp_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/rb_test_load_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* n route lines of varied length, with bad, every seventh one bad; malloc'd, size in *len. */
static char *many_lines(size_t n, int bad, size_t *len)
{
	char *text = malloc(n * 40 + 1);
	size_t at = 0;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++) {
		if (bad && i % 7 == 3)
			at += (size_t)sprintf(text + at, "bad line %zu\n", i);
		else
			at += (size_t)sprintf(text + at, "+%zu,0.%02zu%s\n", i * 7919 % 100000000000,
					      i % 100, i % 5 ? "" : "\r");
	}
	*len = at;
	return text;
}

/* Reading in buffer-sized pieces gives what parsing the whole text at once gives. */
static void test_file_equals_buffer(void **state)
{
	size_t len;
	char *text = many_lines(150000, 1, &len), path[32];
	struct ds_routes a = { 0 }, b = { 0 };
	struct ds_error err;

	(void)state;
	assert_true(len > 4 * 256 * 1024); /* lines cross several read buffers */
	temp_file(path, text, len);
	assert_int_equal(ds_parse_routes(text, len, "t", 1, &a, &err), 0);
	assert_int_equal(ds_load_routes(path, 1, &b, &err), 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.skipped, b.skipped);
	assert_true(a.skipped > 0);
	assert_int_equal(b.bytes, len);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.v[i].len, b.v[i].len);
		assert_memory_equal(a.v[i].digits, b.v[i].digits, a.v[i].len);
		assert_true(a.v[i].cost == b.v[i].cost);
	}
	assert_int_equal(ds_load_routes(path, 0, &b, &err), -EINVAL);
	assert_int_equal(err.line, 4);
	assert_int_equal(b.n, a.n); /* nothing appended on failure */
	ds_routes_free(&a);
	ds_routes_free(&b);
	unlink(path);
	free(text);
}

/* A byte order mark at the start is skipped; anywhere else, or any other non-ASCII, fails. */
static void test_byte_order_mark(void **state)
{
	static const char bom_first[] = "\xef\xbb\xbf+1,0.5\n+2,0.25\n";
	static const char bom_later[] = "+1,0.5\n\xef\xbb\xbf+2,0.25\n";
	static const char latin[] = "\xe9+1,0.5\n";
	static const char bom_only[] = "\xef\xbb\xbf";
	struct ds_routes r = { 0 };
	struct ds_numbers n = { 0 };
	struct ds_error err;
	char path[32];

	(void)state;
	temp_file(path, bom_first, strlen(bom_first));
	assert_int_equal(ds_load_routes(path, 0, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_memory_equal(r.v[0].digits, "1", 1);
	ds_routes_free(&r);
	unlink(path);
	temp_file(path, bom_later, strlen(bom_later));
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.what, "prefix must start with '+'");
	unlink(path);
	temp_file(path, latin, strlen(latin));
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -EINVAL);
	assert_int_equal(err.line, 1);
	unlink(path);
	temp_file(path, bom_only, strlen(bom_only));
	assert_int_equal(ds_load_numbers(path, 0, &n, &err), 0);
	assert_int_equal(n.n, 0);
	unlink(path);
	ds_routes_free(&r);
	ds_numbers_free(&n);
}

/* Over-long lines are errors, or skipped without being kept, even far longer than a buffer. */
static void test_long_line_in_file(void **state)
{
	size_t n = 600 * 1024, len;
	char *text = malloc(n + 64), path[32];
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	len = (size_t)sprintf(text, "+1,0.5\n+");
	memset(text + len, '7', n);
	len += n;
	len += (size_t)sprintf(text + len, ",0.1\n+2,0.25");
	temp_file(path, text, len);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.what, "line too long (over 1024 bytes)");
	assert_int_equal(ds_load_routes(path, 1, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.skipped, 1);
	assert_memory_equal(r.v[1].digits, "2", 1);
	ds_routes_free(&r);
	unlink(path);
	free(text);
}

/* A device that never ends (no newline, ever) fails on its first line, at once. */
static void test_dev_zero(void **state)
{
	struct ds_routes r = { 0 };
	struct ds_numbers n = { 0 };
	struct ds_error err;

	(void)state;
	assert_int_equal(ds_load_routes("/dev/zero", 0, &r, &err), -EINVAL);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.path, "/dev/zero");
	assert_string_equal(err.what, "line too long (over 1024 bytes)");
	assert_int_equal(ds_load_numbers("/dev/zero", 0, &n, &err), -EINVAL);
	assert_int_equal(err.line, 1);
	ds_routes_free(&r);
	ds_numbers_free(&n);
}

/*
 * Standard input ("-") is read like a file. A writer child feeds it 100 MB of one line; the
 * load must fail on line 1 while the writer is still blocked, i.e. without draining the pipe
 * (the child exits 3 when a write fails with EPIPE, 0 if it wrote everything).
 */
static void test_stdin_pipe(void **state)
{
	static char chunk[65536];
	int fds[2], saved = dup(STDIN_FILENO), status;
	struct ds_routes r = { 0 };
	struct ds_error err;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		close(fds[0]);
		memset(chunk, 'a', sizeof(chunk));
		for (int i = 0; i < 1600; i++)
			if (write(fds[1], chunk, sizeof(chunk)) < 0)
				_exit(errno == EPIPE ? 3 : 4);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	assert_int_equal(ds_load_routes("-", 0, &r, &err), -EINVAL);
	assert_string_equal(err.path, "stdin");
	assert_int_equal(err.line, 1);
	assert_string_equal(err.what, "line too long (over 1024 bytes)");
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO); /* closes the pipe's read end */
	close(saved);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	ds_routes_free(&r);
}

/* Valid lines on standard input load, and "-" is named "stdin". */
static void test_stdin_file(void **state)
{
	static const char text[] = "+15124156620\n+1415\n";
	int saved = dup(STDIN_FILENO), fd;
	struct ds_numbers n = { 0 };
	struct ds_error err;
	char path[32];

	(void)state;
	temp_file(path, text, strlen(text));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(ds_load_numbers("-", 0, &n, &err), 0);
	assert_int_equal(n.n, 2);
	assert_int_equal(n.v[1].len, 4);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	unlink(path);
	ds_numbers_free(&n);
}

/* A file truncated mid-read (the RB_TEST_TRUNCATE_AT hook) is an error, not a crash. */
static void test_truncated_while_read(void **state)
{
	size_t len;
	char *text = many_lines(60000, 0, &len), path[32];
	struct ds_routes r = { 0 };
	struct ds_error err;

	(void)state;
	temp_file(path, text, len);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), 0);
	assert_int_equal(setenv("RB_TEST_TRUNCATE_AT", "300000", 1), 0);
	assert_int_equal(ds_load_routes(path, 0, &r, &err), -EIO);
	unsetenv("RB_TEST_TRUNCATE_AT");
	assert_int_equal(err.err, -EIO);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.path, path);
	assert_string_equal(err.what, "changed while being read");
	ds_routes_free(&r);
	unlink(path);
	free(text);
}

/* --- the fast path and the threads agree with the careful parser -------------------------- */

/* Line i of a varied valid file: prefixes of 0 to 15 digits, costs of 1 to 12 integer digits
 * (leading zeros too) and 0 to 6 decimals, every 11th line CRLF, every 13th with a blank. */
static size_t varied_line(char *dst, size_t i)
{
	static const char *const costs[] = { "0", "0.4", "12.345678", "999999999999.999999",
					      "000000000000001.5", "7.000001", "10", "0.50" };
	char digits[16] = "123456789012345";
	unsigned nd = (unsigned)(i * 7 % 16);

	digits[nd] = '\0';
	return (size_t)sprintf(dst, "+%s,%s%s\n", digits, costs[i % 8],
			       i % 11 == 0 ? "\r" : i % 13 == 0 ? " " : "");
}

static char *varied_text(size_t n, size_t *len)
{
	char *text = malloc(n * 48 + 1);
	size_t at = 0;

	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		at += varied_line(text + at, i);
	*len = at;
	return text;
}

static void same_route(const struct ds_route *a, const struct ds_route *b, size_t i)
{
	if (a->len != b->len || a->cost != b->cost || memcmp(a->digits, b->digits, a->len) != 0)
		fail_msg("route %zu differs", i);
}

/* Each line parsed alone (too short for the fast path) gives what the whole text gives. */
static void test_fast_path_matches_careful(void **state)
{
	size_t len, n = 5000;
	char *text = varied_text(n, &len), line[64];
	struct ds_routes all, one;

	(void)state;
	parse_ok(text, &all);
	assert_int_equal(all.n, n);
	for (size_t i = 0; i < n; i++) {
		varied_line(line, i);
		parse_ok(line, &one);
		assert_int_equal(one.n, 1);
		same_route(&all.v[i], &one.v[0], i);
		ds_routes_free(&one);
	}
	ds_routes_free(&all);
	free(text);
}

/* Lines the fast path must leave to the careful one, in the middle of a long plain run. */
static void test_fast_path_errors_in_a_run(void **state)
{
	static const struct {
		const char *line, *what;
	} bad[] = {
		{ "+1234567890123456,1.0", "prefix longer than 15 digits" },
		{ "+12,1.1234567", "cost has more than 6 decimal places" },
		{ "+12,1234567890123.0", "cost is too large (at most 12 integer digits)" },
		{ "+12,1.", "cost is not a number" },
		{ "+12,", "cost is missing" },
		{ "+12x,1", "prefix has a character that is not a digit" },
		{ "12,1", "prefix must start with '+'" },
	};
	size_t len;
	char *text = varied_text(20000, &len), *buf = malloc(len + 64);

	(void)state;
	assert_non_null(buf);
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		size_t cut = 0, lines = 0;
		struct ds_routes r = { 0 };
		struct ds_error err;
		int n;

		while (lines < 12345) /* the start of line 12346 */
			cut += (size_t)(strchr(text + cut, '\n') - (text + cut)) + 1, lines++;
		memcpy(buf, text, cut);
		n = sprintf(buf + cut, "%s\n", bad[b].line);
		memcpy(buf + cut + (size_t)n, text + cut, len - cut);
		assert_int_equal(ds_parse_routes(buf, len + (size_t)n, "t.txt", 0, &r, &err), -EINVAL);
		assert_int_equal(err.line, 12346);
		assert_string_equal(err.what, bad[b].what);
		assert_string_equal(err.text, bad[b].line);
		ds_routes_free(&r);
	}
	free(buf);
	free(text);
}

/* Load path with RB_PARSE_THREADS=threads: its return, with *r and *err. */
static int load_threads(const char *path, const char *threads, int skip, struct ds_routes *r,
			struct ds_error *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	assert_int_equal(setenv("RB_PARSE_THREADS", threads, 1), 0);
	rc = ds_load_routes(path, skip, r, err);
	unsetenv("RB_PARSE_THREADS");
	return rc;
}

/* A file (a BOM, CRLF, no final newline, lines across the 256 KiB reads) on 1 to 5 threads. */
static void test_threads_same_routes(void **state)
{
	static const char *const threads[] = { "2", "3", "5" };
	size_t len;
	char *text = varied_text(150000, &len), *bom = malloc(len + 3), path[32];
	struct ds_routes one, many;
	struct ds_error err;

	(void)state;
	assert_non_null(bom);
	memcpy(bom, "\xef\xbb\xbf", 3);
	memcpy(bom + 3, text, len);
	temp_file(path, bom, len + 3 - 1); /* the last '\n' dropped */
	assert_int_equal(load_threads(path, "1", 0, &one, &err), 0);
	assert_int_equal(one.n, 150000);
	for (size_t t = 0; t < 3; t++) {
		assert_int_equal(load_threads(path, threads[t], 0, &many, &err), 0);
		assert_int_equal(many.n, one.n);
		assert_int_equal(many.bytes, one.bytes);
		for (size_t i = 0; i < one.n; i++)
			same_route(&one.v[i], &many.v[i], i);
		ds_routes_free(&many);
	}
	ds_routes_free(&one);
	unlink(path);
	free(bom);
	free(text);
}

/* The first bad line (lowest line number) wins whichever thread finds it; skipping counts. */
static void test_threads_first_error(void **state)
{
	size_t len;
	char *text = many_lines(200000, 0, &len), path[32];
	struct ds_routes r;
	struct ds_error e1, e2;

	(void)state;
	memcpy(strstr(text + len * 3 / 4, "\n+") + 1, "x", 1); /* in the last thread's range */
	temp_file(path, text, len);
	assert_int_equal(load_threads(path, "1", 0, &r, &e1), -EINVAL);
	ds_routes_free(&r);
	assert_int_equal(load_threads(path, "2", 0, &r, &e2), -EINVAL);
	ds_routes_free(&r);
	assert_int_equal(e1.line, e2.line);
	assert_string_equal(e1.what, e2.what);
	assert_string_equal(e1.text, e2.text);
	memcpy(strstr(text + len / 5, "\n+") + 1, "y", 1); /* and one in the first range */
	temp_file(path, text, len);
	assert_int_equal(load_threads(path, "3", 0, &r, &e2), -EINVAL);
	ds_routes_free(&r);
	assert_true(e2.line < e1.line);
	assert_int_equal(load_threads(path, "1", 0, &r, &e1), -EINVAL);
	ds_routes_free(&r);
	assert_int_equal(e1.line, e2.line);
	assert_int_equal(load_threads(path, "4", 1, &r, &e2), 0);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.n, 200000 - 2);
	ds_routes_free(&r);
	unlink(path);
	free(text);
}

/* Lines ending exactly at the 256 KiB read's end, and lines across it, on 1 and 2 threads. */
static void test_read_boundaries(void **state)
{
	static const char *const line[2] = { "+1234567890,1.5\n", "+123456789012345,0.125000\r\n" };

	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		size_t len = strlen(line[kind]), n = 3 * 262144 / len + 7, at = 0;
		char *text = malloc(n * len + 1), path[32];
		struct ds_routes mem, one, two;
		struct ds_error err;

		assert_non_null(text);
		for (size_t i = 0; i < n; i++, at += len)
			memcpy(text + at, line[kind], len);
		text[at] = '\0';
		parse_ok(text, &mem);
		assert_int_equal(mem.n, n);
		temp_file(path, text, at);
		assert_int_equal(load_threads(path, "1", 0, &one, &err), 0);
		assert_int_equal(load_threads(path, "2", 0, &two, &err), 0);
		assert_int_equal(one.n, n);
		assert_int_equal(two.n, n);
		for (size_t i = 0; i < n; i++) {
			same_route(&mem.v[i], &one.v[i], i);
			same_route(&mem.v[i], &two.v[i], i);
		}
		assert_int_equal(mem.v[n - 1].cost, kind ? 125000 : 1500000);
		assert_int_equal(mem.v[n - 1].len, kind ? 15 : 10);
		ds_routes_free(&mem);
		ds_routes_free(&one);
		ds_routes_free(&two);
		unlink(path);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_costs_are_exact),
		cmocka_unit_test(test_bad_costs),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_real_quirks_load),
		cmocka_unit_test(test_bad_route_lines),
		cmocka_unit_test(test_skip_invalid_counts),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_file_equals_buffer),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_long_line_in_file),
		cmocka_unit_test(test_dev_zero),
		cmocka_unit_test(test_stdin_pipe),
		cmocka_unit_test(test_stdin_file),
		cmocka_unit_test(test_truncated_while_read),
		cmocka_unit_test(test_fast_path_matches_careful),
		cmocka_unit_test(test_fast_path_errors_in_a_run),
		cmocka_unit_test(test_threads_same_routes),
		cmocka_unit_test(test_threads_first_error),
		cmocka_unit_test(test_read_boundaries),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
