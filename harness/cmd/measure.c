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
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "allocator.h"
#include "cli.h"
#include "commands.h"
#include "measure.h"
#include "plugin_arg.h"
#include "registry.h"


static const char measure_help[] =
	"usage: routebench measure --impl NAME|--plugin FILE.so --routes FILE [--routes FILE ...]\n"
	"                          --numbers FILE\n"
	"                          [--queries N] [--reps R] [--budget-s S] [--mem-limit SIZE]\n"
	"                          [--allocator glibc|jemalloc] [--in-process]\n"
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

static int parse_measure_args(int argc, char **argv, struct measure_opts *o)
{
	static const struct option opts[] = {
		{ "impl", required_argument, NULL, 'i' },
		{ "plugin", required_argument, NULL, 'L' },
		{ "strategy", required_argument, NULL, 's' },
		{ "routes", required_argument, NULL, 'r' },
		{ "numbers", required_argument, NULL, 'n' },
		{ "queries", required_argument, NULL, 'q' },
		{ "reps", required_argument, NULL, 'R' },
		{ "budget-s", required_argument, NULL, 'b' },
		{ "mem-limit", required_argument, NULL, 'm' },
		{ "allocator", required_argument, NULL, 'a' },
		{ "in-process", no_argument, NULL, 'p' },
		{ "breakdown", no_argument, NULL, 'B' },
		{ "phases", no_argument, NULL, 'P' }, /* hidden: report phases on stdout */
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_cell_args *a = &o->cell;
	int c;

	a->reps = BENCH_DEFAULT_REPS;
	a->budget_s = BENCH_DEFAULT_BUDGET_S;
	a->allocator = "glibc";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': a->impl = optarg; break;
		case 'L':
			if (cmd_plugin_arg("measure", optarg, &o->plugin_impl) != 0)
				return 1;
			a->plugin = optarg;
			break;
		case 's':
			if (strcmp(optarg, "index") != 0 && strcmp(optarg, "stream") != 0)
				return cli_usage_error("measure", "--strategy is index or stream, "
								  "not '%s'", optarg);
			a->strategy = strcmp(optarg, "stream") == 0 ? BENCH_STREAM : BENCH_INDEX;
			break;
		case 'r':
			if (a->n_carriers == BENCH_MAX_CARRIERS)
				return cli_usage_error("measure", "at most %d --routes files",
						       BENCH_MAX_CARRIERS);
			a->routes[a->n_carriers++] = optarg;
			break;
		case 'n': a->numbers = optarg; break;
		case 'q':
			if (cli_parse_u64(optarg, 0, &a->queries) != 0 || a->queries == 0)
				return cli_usage_error("measure", "--queries: bad count '%s'",
						       optarg);
			break;
		case 'R':
			if (cli_parse_u64(optarg, 0, &a->reps) != 0 || !a->reps ||
			    a->reps > BENCH_MAX_REPS)
				return cli_usage_error("measure", "--reps: want 1 to %d, got '%s'",
						       BENCH_MAX_REPS, optarg);
			break;
		case 'b':
			if (cli_parse_double(optarg, &a->budget_s) != 0)
				return cli_usage_error("measure", "--budget-s: bad seconds '%s'",
						       optarg);
			break;
		case 'm':
			if (cli_parse_u64(optarg, 1, &a->mem_limit) != 0)
				return cli_usage_error("measure", "--mem-limit: bad size '%s'",
						       optarg);
			o->have_mem_limit = 1;
			break;
		case 'a':
			if (strcmp(optarg, "glibc") != 0 && strcmp(optarg, "jemalloc") != 0)
				return cli_usage_error("measure", "--allocator: glibc or jemalloc, "
								  "not '%s'", optarg);
			a->allocator = optarg;
			break;
		case 'p': o->in_process = 1; break;
		case 'B': a->breakdown = 1; break;
		case 'P': o->phases = 1; break;
		case 'h': fputs(measure_help, stdout); return -1;
		case ':': return cli_usage_error("measure", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("measure", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("measure", "unexpected argument '%s'", argv[optind]);
	if (!a->impl && a->strategy == BENCH_INDEX)
		a->impl = o->plugin_impl;
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
		return cli_usage_error("measure", "no implementation named '%s' (see 'routebench "
						  "list')", a->impl);
	}
	if (a->n_carriers == 0)
		return cli_usage_error("measure", "at least one --routes FILE is required");
	if (!a->numbers)
		return cli_usage_error("measure", "--numbers FILE is required");
	return 0;
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

		int want_je = strcmp(o.cell.allocator, "jemalloc") == 0;

		if (want_je != (strcmp(served, "jemalloc") == 0)) {
			fprintf(stderr, "routebench measure: asked for %s, but %s serves this "
					"process (drop --in-process, or preload the allocator)\n",
				o.cell.allocator, served);
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
