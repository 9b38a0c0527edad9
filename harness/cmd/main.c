/*
 * main.c - `routebench`: dispatch to a subcommand, and the `list` subcommand.
 *
 * Every subcommand is one function in commands.h; this file only routes to it and prints the
 * overall help. Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "registry.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list the implementations with a one-line summary each" },
	{ "price", cmd_price, "price phone numbers against carrier route lists" },
	{ "gen", cmd_gen, "generate synthetic route lists and phone numbers" },
	{ "bench", cmd_bench, "run the benchmark ladder: implementations x sizes x allocators" },
	{ "measure", cmd_measure, "measure one cell (implementation x dataset) in a child" },
	{ "breakdown", cmd_breakdown, "a table's memory, component by component (rt_stats)" },
	{ "massif", cmd_massif, "heap over time under valgrind massif, against the harness" },
	{ "report", cmd_report, "REPORT.md and REPORT.html: what a run teaches, from its figures" },
	{ "serve", cmd_serve, "price numbers over HTTP, from tables updated while they serve" },
	{ "load", cmd_load, "open-loop HTTP load on a price server: latency percentiles, errors" },
	{ "check", cmd_check, "grade a solution: conformance and random cases, a minimal failure" },
	{ "cachesim", cmd_cachesim, "cache misses per lookup, simulated by valgrind's callgrind" },
	{ "machine", cmd_machine, "the machine's limits: cache and DRAM latency, bandwidth, MLP" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: routebench COMMAND [OPTIONS]\n\n"
		   "Longest-prefix-match call routing, benchmarked and memory-profiled.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'routebench COMMAND --help' for a command's options.\n");
}

/* One implementation: its name and summary, then its claimed costs and its groups. */
static void list_one(const struct route_table_ops *o)
{
	printf("%-12s %s\n%12s (%s)", o->name, o->summary, "", o->complexity);
	if (o->ladder)
		printf(" [ladder step %u]", o->ladder);
	if (o->flags & RT_F_PEER)
		printf(" [peer]");
	if (o->flags & RT_F_NODE_HEAVY)
		printf(" [node-heavy]");
	if (o->flags & RT_F_SCAN)
		printf(" [the scan baseline]");
	if (o->flags & RT_F_DEFAULT)
		printf(" [default]");
	if (rt_can_update(o))
		printf(" [updates in place]");
	printf("\n");
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: routebench list\n\nList every registered implementation: name, "
		       "summary, claimed complexity, and the\ngroups it is in ([ladder step N], "
		       "[peer], [node-heavy], ...), which --impls takes as\nall, ladder, peers, "
		       "node-heavy.\n");
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("list", "unexpected argument '%s'", argv[1]);
	for (size_t i = 0; i < rt_registry_count; i++)
		list_one(rt_registry[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "routebench: unknown command '%s'\nTry 'routebench --help'.\n", argv[1]);
	return CLI_USAGE;
}
