/*
 * check.c - `routebench check`: the auto-grader. An implementation, a plugin or a solver
 * command faces the conformance cases, then N random cases against the reference scan; at
 * the first wrong answer the case is shrunk to a minimal one and printed, ready to paste.
 *
 * The logic lives in harness/grade/; this file parses options, loops and reports. Cost: one
 * child per case (and per shrinking step). Exit status: 0 all correct, 1 a wrong answer (or
 * a crash, a timeout, an error), 2 usage error.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmdwords.h"
#include "commands.h"
#include "grade.h"
#include "plugin_arg.h"
#include "registry.h"
#include "signals.h"

#define CHECK_DEFAULT_CASES 1000

static const char check_help[] =
	"usage: routebench check --impl NAME | --plugin FILE.so | --solver COMMAND\n"
	"                        [--seed S] [--cases N] [--timeout-s S]\n"
	"\n"
	"Grade a solution of the call-routing problem: the conformance cases (the README\n"
	"example, nested prefixes, a route equal to the number, numbers shorter than every\n"
	"prefix, the catch-all '+', duplicates with other costs, 15-digit keys, an empty table,\n"
	"several carriers), then N random cases whose answers come from the reference scan.\n"
	"At the first wrong answer, the case is shrunk (delta debugging: fewer numbers,\n"
	"carriers, routes and digits while the answer stays wrong) and printed: each carrier's\n"
	"route lines, the number lines, the expected and your answers, and a shell line that\n"
	"writes the files.\n"
	"\n"
	"  --impl NAME        a registered implementation (see 'routebench list')\n"
	"  --plugin FILE.so   a shared object exporting 'const struct route_table_ops\n"
	"                     routebench_plugin_ops' (impls/route_table.h), loaded with dlopen\n"
	"  --solver COMMAND   a program, run once per case on small files: COMMAND is split\n"
	"                     into words (no shell; '...' and \"...\" group); a word with\n"
	"                     {routes} is repeated once per carrier file, {numbers} is the\n"
	"                     numbers file, {out} an output path (without {out}, the answers\n"
	"                     are read from stdout: one '+NUMBER,COST' line per number, as\n"
	"                     'routebench price' prints them)\n"
	"  --seed S           the random cases' seed (default 1): the same seed, the same cases\n"
	"  --cases N          random cases after the conformance ones (default 1000; 0: none)\n"
	"  --timeout-s S      time budget per run, in seconds (default 10; 0: none)\n"
	"  -h, --help         this help\n"
	"\n"
	"Example:\n"
	"  routebench check --solver 'python3 impls/python/7_trie_mapper.py {numbers} {routes}'\n"
	"\n"
	"Exit status: 0 every answer right, 1 a wrong answer (or a crash or timeout, shown as the\n"
	"minimal case), 2 usage error.\n";

struct check_args {
	const char *impl, *plugin, *solver;
	uint64_t seed, cases;
	double timeout_s;
	struct rb_cmd cmd; /* the solver's command split into words */
};

/* The solver's command into a->cmd. 0 or a usage error. */
static int split_words(struct check_args *a)
{
	const char *why = "";
	int rc = rb_cmd_split(a->solver, &a->cmd, &why);

	if (rc == -ENOMEM)
		return 1;
	return rc ? cli_usage_error("check", "--solver: %s", why) : 0;
}

enum { OPT_IMPL = 1, OPT_PLUGIN, OPT_SOLVER, OPT_SEED, OPT_CASES, OPT_TIMEOUT, OPT_HELP };

static const struct cli_option check_options[] = {
	{ "impl", CLI_VALUE, OPT_IMPL },
	{ "plugin", CLI_VALUE, OPT_PLUGIN },
	{ "solver", CLI_VALUE, OPT_SOLVER },
	{ "seed", CLI_VALUE, OPT_SEED },
	{ "cases", CLI_VALUE, OPT_CASES },
	{ "timeout-s", CLI_VALUE, OPT_TIMEOUT },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* The value of one option into *a. 0, or CLI_USAGE after the message. */
static int check_option(const struct cli_parser *p, int id, void *ctx)
{
	struct check_args *a = ctx;
	switch (id) {
	case OPT_IMPL: a->impl = p->arg; return 0;
	case OPT_PLUGIN: a->plugin = p->arg; return 0;
	case OPT_SOLVER: a->solver = p->arg; return 0;
	case OPT_SEED: return cli_count(p, 0, UINT64_MAX, &a->seed);
	case OPT_CASES: return cli_count(p, 0, UINT64_MAX, &a->cases);
	case OPT_TIMEOUT: return cli_real(p, 0, HUGE_VAL, &a->timeout_s);
	default: return 0;
	}
}

/* Options into *a. 0, -1 after --help, or CLI_USAGE. */
static int parse_check_args(int argc, char **argv, struct check_args *a)
{
	struct cli_parser p;
	int rc;

	a->seed = 1;
	a->cases = CHECK_DEFAULT_CASES;
	a->timeout_s = GRADE_DEFAULT_TIMEOUT_S;
	cli_init(&p, "routebench check", argc, argv, check_options);
	rc = cli_parse_all(&p, check_help, check_option, a);
	if (rc != 0)
		return rc;
	if (!!a->impl + !!a->plugin + !!a->solver != 1)
		return cli_usage_error("check", "give one of --impl NAME, --plugin FILE.so and "
						"--solver COMMAND");
	if (a->impl && !rt_find(a->impl))
		return cli_usage_error("check", "--impl: no implementation named '%s' (see "
						"'routebench list')", a->impl);
	return a->solver ? split_words(a) : 0;
}

static const char *verdict_text(enum grade_verdict v)
{
	switch (v) {
	case GRADE_WRONG: return "a wrong answer";
	case GRADE_CRASH: return "a failed run";
	case GRADE_TIMEOUT: return "a run over its time budget";
	default: return "all correct";
	}
}

/* Shrink the failing case c and print it. Returns 1 (the exit status) or a negative errno. */
static int report_failure(const char *who, struct grade_subject *s, struct grade_case *c,
			  struct grade_result *r)
{
	size_t carriers = c->n_carriers, routes = c->n_routes, numbers = c->n_numbers;
	size_t runs = s->runs;
	int rc;

	printf("routebench check: %s: %s on %s\n", who, verdict_text(r->verdict), c->name);
	fflush(stdout);
	rc = grade_shrink(s, c, r);
	if (rc != 0)
		printf("shrinking stopped (%s); the smallest failing case so far:\n\n",
		       strerror(-rc));
	else if (r->verdict == GRADE_TIMEOUT)
		printf("not shrunk (each try could take the whole budget): %zu carrier(s), %zu "
		       "route(s), %zu number(s)\n\n", carriers, routes, numbers);
	else
		printf("shrunk to %zu carrier(s), %zu route(s), %zu number(s), from %zu, %zu and "
		       "%zu, in %zu runs\n\n", c->n_carriers, c->n_routes, c->n_numbers, carriers,
		       routes, numbers, s->runs - runs);
	grade_print(stdout, c, r);
	return 1;
}

/* Every conformance case, then the random ones. 0 all correct, 1 a failure, or -errno. */
static int check_all(const char *who, const struct check_args *a, struct grade_subject *s)
{
	static struct grade_case c;
	static struct grade_result r;
	size_t n_conf = grade_conformance_count();
	int rc;

	for (uint64_t i = 0; i < n_conf + a->cases; i++) {
		if (i < n_conf)
			grade_conformance_case((size_t)i, &c);
		else
			grade_random_case(a->seed, i - n_conf, &c);
		rc = grade_run(s, &c, &r);
		if (rc != 0)
			return rc;
		if (r.verdict != GRADE_OK)
			return report_failure(who, s, &c, &r);
	}
	printf("routebench check: %s: all correct: %zu conformance cases and %llu random cases "
	       "(seed %llu)\n", who, n_conf, (unsigned long long)a->cases,
	       (unsigned long long)a->seed);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { 0 };
	struct grade_subject s = { 0 };
	char dir[PATH_MAX];
	int rc = parse_check_args(argc, argv, &a);

	if (rc != 0) {
		rb_cmd_free(&a.cmd);
		return rc < 0 ? 0 : rc;
	}
	if (a.plugin && (rc = cmd_plugin_arg("check", a.plugin, &a.impl)) != 0) {
		rb_cmd_free(&a.cmd);
		return rc;
	}
	if (a.impl)
		s.ops = rt_find(a.impl);
	s.cmd = &a.cmd;
	s.timeout_s = a.timeout_s;
	rc = grade_dir_make(dir, sizeof(dir));
	if (rc != 0) {
		fprintf(stderr, "routebench check: cannot make a temporary folder: %s\n",
			strerror(-rc));
		rb_cmd_free(&a.cmd);
		return 1;
	}
	s.dir = dir;
	rb_signals_trap();
	rc = check_all(s.ops ? s.ops->name : a.solver, &a, &s);
	grade_dir_remove(dir);
	rb_cmd_free(&a.cmd);
	if (rc == -EINTR) {
		fprintf(stderr, "routebench check: interrupted\n");
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, "routebench check: %s\n", strerror(-rc));
		return 1;
	}
	return rc;
}
