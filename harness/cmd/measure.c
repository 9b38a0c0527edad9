/*
 * measure.c - `routebench measure`: measure one cell and print the cells.csv header and row,
 * an implementation's (--impl) or the stream strategy's (--strategy stream).
 *
 * By default the cell runs in a re-executed child (spawn.c) and this process only reports; with
 * --in-process it runs here (cellrun.c), which is what the child does and what valgrind
 * --tool=massif wants.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "allocator.h"
#include "cli.h"
#include "commands.h"
#include "measure.h"
#include "plugin_arg.h"
#include "protocol.h"
#include "registry.h"


static const char measure_help[] =
	"usage: routebench measure --impl NAME|--plugin FILE.so --routes FILE [--routes FILE ...]\n"
	"                          --numbers FILE\n"
	"                          [--queries N] [--reps R] [--budget-s S] [--mem-limit SIZE]\n"
	"                          [--allocator glibc|jemalloc] [--query-set hot|cold]\n"
	"                          [--in-process]\n"
	"       routebench measure --strategy stream --routes FILE [...] --numbers FILE [...]\n"
	"\n"
	"Measure one cell and print the cells.csv header and its row. The cell runs in a child\n"
	"process (routebench re-executed, with jemalloc preloaded for --allocator jemalloc): the\n"
	"route files are parsed, one table per carrier is built, the numbers are priced (min over\n"
	"carriers) in reps timed passes, and the tables are destroyed, each step timed apart.\n"
	"With --strategy stream there is no table: the row's impl is 'stream', and each\n"
	"checkpoint q = 1, 10, 100, ... of the numbers is timed end to end (index the first q\n"
	"numbers, read every route file once, answer) in reps runs, medians in stream_points.\n"
	"Peak RSS is that child's ru_maxrss (wait4). A cell that runs out of memory, time or luck\n"
	"still prints a row, with status oom, timeout or crash; a file with a bad line is a\n"
	"crash row whose detail names the file and line.\n"
	"\n"
	"  --impl NAME          implementation (see 'routebench list'); --strategy index only\n"
	"  --plugin FILE.so     a structure from a shared object (README \"Plugins\"); the\n"
	"                       default --impl is then its name\n"
	"  --strategy S         index (default): a table per carrier; stream: the numbers\n"
	"                       indexed, each route file streamed past them (as 'price\n"
	"                       --strategy stream')\n"
	"  --routes FILE        a carrier's route list (repeat per carrier, at most 64)\n"
	"  --numbers FILE       phone numbers to price\n"
	"  --queries N          price the first N numbers (default: all); slow cells time only\n"
	"                       the first 1, 10, 100, ... of them, shown by n_queries\n"
	"  --reps R             timed repetitions, median reported (default 5, at most 1000)\n"
	"  --budget-s S         wall-clock budget for the cell; killed after it (default 60, 0 =\n"
	"                       none)\n"
	"  --mem-limit SIZE     RLIMIT_AS for the child, e.g. 512M or 8G (default min(16G, 70% of\n"
	"                       RAM); 0 = none). Not applied under AddressSanitizer.\n"
	"  --allocator NAME     glibc (default) or jemalloc (LD_PRELOAD of libjemalloc.so.2;\n"
	"                       $RB_JEMALLOC overrides where it is found)\n"
	"  --query-set S        hot (default): timed passes repeat over the numbers, each rep\n"
	"                       as many passes as last about 50 ms; cold: each rep is one pass,\n"
	"                       every number once (give a large file of distinct numbers, as\n"
	"                       bench's cold set: 'numbers-...-distinct-...' in the cache)\n"
	"  --breakdown          also print each table's memory by component (nodes, child\n"
	"                       tables, slots...) with bytes per route, on stderr\n"
	"  --in-process         run the cell in this process (for valgrind); no memory limit\n"
	"                       unless --mem-limit is given, and no budget is enforced\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit status: 0 a row was printed (whatever its status), 1 the cell could not be run\n"
	"(unreadable input, no child process), 2 usage error.\n";

struct measure_opts {
	struct bench_cell_args cell;
	int in_process, phases, have_mem_limit;
	const char *plugin_impl; /* the --plugin's name */
};

enum {
	OPT_IMPL = 1, OPT_PLUGIN, OPT_STRATEGY, OPT_ROUTES, OPT_NUMBERS, OPT_QUERIES, OPT_REPS,
	OPT_BUDGET, OPT_MEM_LIMIT, OPT_ALLOCATOR, OPT_IN_PROCESS, OPT_BREAKDOWN, OPT_PHASES,
	OPT_QUERY_SET, OPT_HELP,
};

static const struct cli_option measure_options[] = {
	{ "impl", CLI_VALUE, OPT_IMPL },
	{ "plugin", CLI_VALUE, OPT_PLUGIN },
	{ "strategy", CLI_VALUE, OPT_STRATEGY },
	{ "routes", CLI_VALUE, OPT_ROUTES },
	{ "numbers", CLI_VALUE, OPT_NUMBERS },
	{ "queries", CLI_VALUE, OPT_QUERIES },
	{ "reps", CLI_VALUE, OPT_REPS },
	{ "budget-s", CLI_VALUE, OPT_BUDGET },
	{ "mem-limit", CLI_VALUE, OPT_MEM_LIMIT },
	{ "allocator", CLI_VALUE, OPT_ALLOCATOR },
	{ "in-process", CLI_NONE, OPT_IN_PROCESS },
	{ "breakdown", CLI_NONE, OPT_BREAKDOWN },
	{ "query-set", CLI_VALUE, OPT_QUERY_SET },
	{ BENCH_PROTO_PHASES_OPT, CLI_NONE, OPT_PHASES }, /* hidden: protocol.h */
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* The value of one option into *o. 0, or CLI_USAGE after the message. */
static int measure_option(const struct cli_parser *p, int id, void *ctx)
{
	static const char *const strategies[] = { "index", "stream" };
	static const char *const query_sets[] = { BENCH_QUERY_HOT, BENCH_QUERY_COLD };
	const char *allocators[BENCH_N_ALLOCATORS];
	struct measure_opts *o = ctx;
	struct bench_cell_args *a = &o->cell;
	int k, rc;

	for (k = 0; k < BENCH_N_ALLOCATORS; k++)
		allocators[k] = bench_allocator_name(k);

	switch (id) {
	case OPT_IMPL: a->impl = p->arg; return 0;
	case OPT_PLUGIN:
		a->plugin = p->arg;
		return cmd_plugin_arg("measure", p->arg, &o->plugin_impl); /* 0, or 1: bad input */
	case OPT_STRATEGY:
		rc = cli_choice(p, strategies, 2, &k);
		a->strategy = rc == 0 && k ? BENCH_STREAM : BENCH_INDEX;
		return rc;
	case OPT_ROUTES:
		if (a->n_carriers == BENCH_MAX_CARRIERS)
			return cli_bad(p, "at most %d route files", BENCH_MAX_CARRIERS);
		a->routes[a->n_carriers++] = p->arg;
		return 0;
	case OPT_NUMBERS: a->numbers = p->arg; return 0;
	case OPT_QUERIES: return cli_count(p, 1, UINT64_MAX, &a->queries);
	case OPT_REPS: return cli_count(p, 1, BENCH_MAX_REPS, &a->reps);
	case OPT_BUDGET: return cli_real(p, 0, HUGE_VAL, &a->budget_s);
	case OPT_MEM_LIMIT:
		o->have_mem_limit = 1;
		return cli_bytes(p, 0, UINT64_MAX, &a->mem_limit);
	case OPT_ALLOCATOR:
		rc = cli_choice(p, allocators, BENCH_N_ALLOCATORS, &k);
		a->allocator = rc == 0 ? (enum bench_allocator)k : a->allocator;
		return rc;
	case OPT_IN_PROCESS: o->in_process = 1; return 0;
	case OPT_BREAKDOWN: a->breakdown = 1; return 0;
	case OPT_QUERY_SET:
		rc = cli_choice(p, query_sets, 2, &k);
		a->query_set = rc == 0 && k ? BENCH_QS_COLD : BENCH_QS_HOT;
		return rc;
	case OPT_PHASES: o->phases = 1; return 0;
	default: return 0;
	}
}

/* What the options say together: a strategy with what it needs. 0 or CLI_USAGE. */
static int measure_check(struct bench_cell_args *a)
{
	if (a->strategy == BENCH_STREAM) {
		if (a->impl)
			return cli_usage_error("measure", "--strategy stream builds no table: drop "
							  "--impl");
		if (a->breakdown)
			return cli_usage_error("measure", "--breakdown needs a table (--strategy "
							  "index)");
		a->impl = BENCH_STREAM_IMPL;
	} else if (!a->impl) {
		return cli_usage_error("measure", "--impl NAME is required");
	} else if (!rt_find(a->impl)) {
		return cli_usage_error("measure", "--impl: no implementation named '%s' (see "
						  "'routebench list')", a->impl);
	}
	if (a->n_carriers == 0)
		return cli_usage_error("measure", "at least one --routes FILE is required");
	if (!a->numbers)
		return cli_usage_error("measure", "--numbers FILE is required");
	return 0;
}

/* Options into *o. 0, -1 after --help, or CLI_USAGE. */
static int parse_measure_args(int argc, char **argv, struct measure_opts *o)
{
	struct cli_parser p;
	int rc;

	o->cell.reps = BENCH_DEFAULT_REPS;
	o->cell.budget_s = BENCH_DEFAULT_BUDGET_S;
	o->cell.allocator = BENCH_GLIBC;
	cli_init(&p, "routebench measure", argc, argv, measure_options);
	rc = cli_parse_all(&p, measure_help, measure_option, o);
	if (!o->cell.impl && o->cell.strategy == BENCH_INDEX)
		o->cell.impl = o->plugin_impl;
	return rc ? rc : measure_check(&o->cell);
}

/* Lines in path (a last line without '\n' counts), read in small blocks; 0 if unreadable. */
static uint64_t count_lines(const char *path)
{
	char buf[65536];
	uint64_t lines = 0;
	ssize_t n;
	char last = '\n';
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
			lines++;
		last = buf[n - 1];
	}
	close(fd);
	return lines + (last != '\n');
}

static void print_row(const struct bench_cell *row)
{
	char line[BENCH_ROW_MAX];

	bench_cell_header(line, sizeof(line));
	fputs(line, stdout);
	bench_cell_format(row, line, sizeof(line));
	fputs(line, stdout);
	fflush(stdout);
}

int cmd_measure(int argc, char **argv)
{
	struct measure_opts o = { 0 };
	struct bench_cell row;
	uint64_t lines = 0;
	int rc = parse_measure_args(argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	for (size_t k = 0; k <= o.cell.n_carriers; k++) {
		const char *path = k < o.cell.n_carriers ? o.cell.routes[k] : o.cell.numbers;

		if (access(path, R_OK) != 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	if (o.in_process) {
		const char *served = bench_alloc_name();

		if (!bench_allocator_serves(o.cell.allocator, served)) {
			fprintf(stderr, "routebench measure: asked for %s, but %s serves this "
					"process (drop --in-process, or preload the allocator)\n",
				bench_allocator_name(o.cell.allocator), served);
			return 1;
		}
		if (bench_cell_run(&o.cell, &row, o.phases ? STDOUT_FILENO : -1) != 0)
			return 1;
		print_row(&row);
		return 0;
	}
	if (!o.have_mem_limit)
		o.cell.mem_limit = bench_default_mem_limit();
	for (size_t k = 0; k < o.cell.n_carriers; k++)
		lines += count_lines(o.cell.routes[k]);
	if (bench_cell_spawn(&o.cell, lines / o.cell.n_carriers, &row) != 0)
		return 1;
	print_row(&row);
	return 0;
}
