/*
 * test_cli_parse.c - cli_parse_all's contract (cli.h), the loop every command's options go
 * through: each option reaches the option function in order with its value, --help prints and
 * stops, an operand is refused unless asked for, an unknown option or the option function's
 * first non-zero stops the parse and comes back as it is; cli_words, the word-list reader.
 * Lesson: one loop, tested once.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

enum { OPT_SIZE = 1, OPT_QUIET, OPT_HELP, OPT_STOP };

static const struct cli_option opts[] = {
	{ "size", CLI_VALUE, OPT_SIZE },
	{ "quiet", CLI_NONE, OPT_QUIET },
	{ "stop", CLI_NONE, OPT_STOP },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* What the option function saw: "ID=VALUE" per call, space-separated. */
struct seen {
	char log[256];
	int calls;
};

static int record(const struct cli_parser *p, int id, void *ctx)
{
	struct seen *s = ctx;
	size_t used = strlen(s->log);

	snprintf(s->log + used, sizeof(s->log) - used, "%s%d=%s", used ? " " : "", id,
		 p->arg ? p->arg : "-");
	s->calls++;
	return id == OPT_STOP ? 7 : 0;
}

/* Run cli_parse_all over the words of args; stdout and stderr into out and err. */
static int parse(const char *args, const char *help, int operands, struct seen *s,
		 char *out, char *err)
{
	char buf[256], *argv[32] = { "prog" }, *w;
	int argc = 1, rc, fd1 = dup(1), fd2 = dup(2);
	FILE *fo = tmpfile(), *fe = tmpfile();
	struct cli_parser p;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", args);
	for (w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	memset(s, 0, sizeof(*s));
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	cli_init(&p, "routebench test", argc, argv, opts);
	p.operands = operands;
	rc = cli_parse_all(&p, help, record, s);
	fflush(stdout);
	fflush(stderr);
	dup2(fd1, 1);
	dup2(fd2, 2);
	close(fd1);
	close(fd2);
	rewind(fo);
	rewind(fe);
	n = fread(out, 1, 511, fo);
	out[n] = '\0';
	n = fread(err, 1, 511, fe);
	err[n] = '\0';
	fclose(fo);
	fclose(fe);
	return rc;
}

static void test_every_option_in_order(void **state)
{
	struct seen s;
	char out[512], err[512];

	(void)state;
	/* help NULL: --help is an option like any other */
	assert_int_equal(parse("--size 10 --quiet --size=20 -h", NULL, 0, &s, out, err), 0);
	assert_string_equal(s.log, "1=10 2=- 1=20 3=-");
	assert_int_equal(parse("", "HELP\n", 0, &s, out, err), 0);
	assert_int_equal(s.calls, 0);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
}

static void test_help_prints_and_stops(void **state)
{
	struct seen s;
	char out[512], err[512];

	(void)state;
	assert_int_equal(parse("--quiet --help --size 1", "HELP TEXT\n", 0, &s, out, err),
			 CLI_HELP);
	assert_string_equal(s.log, "2=-");
	assert_string_equal(out, "HELP TEXT\n");
	assert_int_equal(parse("-h --frob", "H\n", 0, &s, out, err), CLI_HELP);
	assert_int_equal(s.calls, 0);
	assert_string_equal(out, "H\n");
	assert_string_equal(err, "");
}

static void test_operands(void **state)
{
	struct seen s;
	char out[512], err[512];

	(void)state;
	assert_int_equal(parse("--quiet dir --size 1", "H\n", 0, &s, out, err), CLI_USAGE);
	assert_string_equal(s.log, "2=-");
	assert_string_equal(err, "routebench test: unexpected argument 'dir'\n"
				 "Try 'routebench test --help'.\n");
	assert_int_equal(parse("a --size 1 -- --quiet", "H\n", 1, &s, out, err), 0);
	assert_string_equal(s.log, "-2=a 1=1 -2=--quiet");
	assert_string_equal(out, "");
}

static void test_stops_at_the_first_failure(void **state)
{
	struct seen s;
	char out[512], err[512];

	(void)state;
	assert_int_equal(parse("--quiet --stop --size 1", "H\n", 0, &s, out, err), 7);
	assert_string_equal(s.log, "2=- 4=-");
	assert_int_equal(parse("--quiet --siz 1 --size 2", "H\n", 0, &s, out, err), CLI_USAGE);
	assert_string_equal(s.log, "2=-");
	assert_string_equal(err, "routebench test: unknown option '--siz' (did you mean "
				 "'--size'?)\nTry 'routebench test --help'.\n");
	assert_int_equal(parse("--size", "H\n", 0, &s, out, err), CLI_USAGE);
	assert_int_equal(s.calls, 0);
	assert_int_equal(parse("--quiet=1 --size 2", "H\n", 0, &s, out, err), CLI_USAGE);
	assert_int_equal(s.calls, 0);
	assert_string_equal(out, "");
}

static void test_words(void **state)
{
	static const char *const names[] = { "index", "stream" };
	struct cli_parser p = { .prog = "routebench test", .name = "--strategies" };
	unsigned set = 99;
	int fd2 = dup(2), null = open("/dev/null", O_WRONLY);

	(void)state;
	p.arg = "stream";
	assert_int_equal(cli_words(&p, names, 2, &set), 0);
	assert_int_equal(set, 2);
	p.arg = "stream,index,stream";
	assert_int_equal(cli_words(&p, names, 2, &set), 0);
	assert_int_equal(set, 3);
	dup2(null, 2);
	set = 99;
	p.arg = "index,frob";
	assert_int_equal(cli_words(&p, names, 2, &set), CLI_USAGE);
	p.arg = "index,";
	assert_int_equal(cli_words(&p, names, 2, &set), CLI_USAGE);
	p.arg = "index,index,index,index,index"; /* at most 2n items */
	assert_int_equal(cli_words(&p, names, 2, &set), CLI_USAGE);
	dup2(fd2, 2);
	close(fd2);
	close(null);
	assert_int_equal(set, 99); /* written only on success */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_option_in_order),
		cmocka_unit_test(test_help_prints_and_stops),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_stops_at_the_first_failure),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
