/*
 * test_proc.c - the one child-process API (proc.h): output and exit codes come back, extra
 * environment reaches the child, stderr goes where it is told, a function runs in a forked
 * copy, the deadline kills the child's whole process group (a grandchild too), lines reach the
 * callback whole, and an argument vector that would not fit is an error. No timing asserted.
 */
#include <errno.h>
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

#include "proc.h"

static void test_output_and_exit_code(void **state)
{
	char *const argv[] = { "sh", "-c", "echo hello; echo world; exit 3", NULL };
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE };
	char out[64];

	(void)state;
	assert_int_equal(rb_child_run(&c, out, sizeof(out)), -ECHILD);
	assert_string_equal(out, "hello\nworld\n");
	assert_true(rb_child_exited(&c, 3));
	assert_int_equal(c.pid, -1);
	assert_false(c.timed_out);
}

static void test_output_cut_to_cap(void **state)
{
	char *const argv[] = { "sh", "-c", "seq 1 10000", NULL };
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE };
	char out[8];

	(void)state;
	assert_int_equal(rb_child_run(&c, out, sizeof(out)), 0); /* drained: no SIGPIPE */
	assert_string_equal(out, "1\n2\n3\n4");
}

static void test_env_and_stderr_file(void **state)
{
	char path[] = "/tmp/test_proc.XXXXXX", text[256] = "";
	char *const argv[] = { "sh", "-c", "echo \"$RB_TEST_A-$RB_TEST_B\" >&2", NULL };
	const char *env[] = { "RB_TEST_A=one", "RB_TEST_B=two", NULL };
	struct rb_child c = { .argv = argv, .env = env, .err = RB_IO_FILE, .err_path = path };
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	setenv("RB_TEST_A", "replaced", 1);
	assert_int_equal(rb_child_run(&c, NULL, 0), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	unlink(path);
	assert_string_equal(text, "one-two\n");
	unsetenv("RB_TEST_A");
}

static int child_fn(void *arg)
{
	printf("from fn %s\n", (const char *)arg);
	return 7;
}

static void test_function_child(void **state)
{
	struct rb_child c = { .fn = child_fn, .fn_arg = "x", .out = RB_IO_PIPE };
	char out[64];

	(void)state;
	assert_int_equal(rb_child_run(&c, out, sizeof(out)), -ECHILD);
	assert_string_equal(out, "from fn x\n");
	assert_true(rb_child_exited(&c, 7));
}

static void test_missing_program(void **state)
{
	char *const argv[] = { "routebench-no-such-program", NULL };
	struct rb_child c = { .argv = argv, .err = RB_IO_NULL };

	(void)state;
	assert_int_equal(rb_child_run(&c, NULL, 0), -ECHILD);
	assert_true(rb_child_exited(&c, 127));
}

/* pid is gone, or dead and waiting for its new parent to reap it (state Z). */
static int dead(pid_t pid)
{
	char path[64], stat[256] = "";
	const char *paren;
	FILE *f;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* The deadline kills the group: the shell and the sleep it started, which prints its pid. */
static void test_deadline_kills_the_group(void **state)
{
	char *const argv[] = { "sh", "-c", "sleep 30 & echo $!; wait", NULL };
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE, .timeout_s = 0.2 };
	char out[64];
	pid_t grandchild;
	int gone = 0;

	(void)state;
	assert_int_equal(rb_child_run(&c, out, sizeof(out)), -ETIMEDOUT);
	assert_true(c.timed_out);
	assert_true(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGKILL);
	grandchild = (pid_t)atol(out);
	assert_true(grandchild > 0);
	/* SIGKILL is delivered to the group at once, but dying may take a moment */
	for (int i = 0; i < 5000 && !gone; i++) {
		gone = dead(grandchild);
		if (!gone)
			usleep(1000);
	}
	assert_true(gone);
}

struct lines {
	int n;
	char last[64];
};

static void on_line(const char *line, size_t len, struct rb_child *c, void *ctx)
{
	struct lines *l = ctx;

	(void)c;
	assert_int_equal(strlen(line), len);
	l->n++;
	snprintf(l->last, sizeof(l->last), "%s", line);
}

static void test_lines(void **state)
{
	char *const argv[] = { "sh", "-c", "seq 1 5000; printf tail", NULL };
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE };
	struct lines l = { 0, "" };

	(void)state;
	assert_int_equal(rb_child_start(&c), 0);
	assert_int_equal(rb_child_read(&c, NULL, 0, on_line, &l), 0);
	assert_int_equal(rb_child_wait(&c), 0);
	assert_int_equal(l.n, 5000); /* "tail" has no newline: not a whole line */
	assert_string_equal(l.last, "5000");
}

static void test_argv_bound(void **state)
{
	static struct rb_argv a;
	int rc = 0;

	(void)state;
	rb_argv_init(&a);
	assert_int_equal(rb_argv_pushf(&a, "--n=%d", 5), 0);
	assert_string_equal(a.v[0], "--n=5");
	assert_null(a.v[1]);
	for (int i = 1; i < RB_ARGV_MAX; i++)
		assert_int_equal(rb_argv_push(&a, "x"), 0);
	rc = rb_argv_push(&a, "one too many");
	assert_int_equal(rc, -E2BIG);
	assert_true(a.overflow);
	assert_null(a.v[RB_ARGV_MAX]);
	rb_argv_init(&a);
	assert_int_equal(rb_argv_pushf(&a, "%*s", (int)sizeof(a.buf), "big"), -E2BIG);
	assert_true(a.overflow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_exit_code),
		cmocka_unit_test(test_output_cut_to_cap),
		cmocka_unit_test(test_env_and_stderr_file),
		cmocka_unit_test(test_function_child),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_deadline_kills_the_group),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_argv_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
