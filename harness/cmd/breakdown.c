/*
 * breakdown.c - `routebench breakdown`: build one or more implementations in this process
 * over one route list (a file, or a generated one) and print each one's memory by component,
 * then the totals side by side.
 *
 * Cost: one build per implementation, one at a time, so the peak is the largest table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "gen.h"
#include "build.h"
#include "load.h"
#include "registry.h"

#define MAX_TABLES 32

static const char breakdown_help[] =
	"usage: routebench breakdown (--impl NAME | --impls A,B,...) (--routes FILE | --size N)\n"
	"                            [--csv]\n"
	"\n"
	"Build each implementation in this process over one route list and print its memory as\n"
	"the table accounts for it (rt_stats): every component (nodes, child tables, arrays, hash\n"
	"slots...) with its count, bytes, bytes per route and share; then, for several\n"
	"implementations, their totals side by side, as a share of the first one's.\n"
	"\n"
	"  --impl NAME      one implementation (see 'routebench list')\n"
	"  --impls LIST     several, comma-separated, e.g. trie,lazytrie ('all': every one)\n"
	"  --routes FILE    the route list, lines '+DIGITS,COST'\n"
	"  --size N         instead, a generated makeschool-shaped list of N routes, 1 to 100M\n"
	"                   (seed 1, from the dataset cache; 'routebench gen' describes it)\n"
	"  --csv            print impl,component,count,bytes,bytes_per_route rows instead (the\n"
	"                   total row's count is the table's nodes)\n"
	"  -h, --help       this help\n"
	"\n"
	"Exit status: 0 success, 1 bad input or a failed build, 2 usage error.\n";

struct breakdown_args {
	const struct route_table_ops *ops[MAX_TABLES];
	size_t k;
	const char *routes;
	uint64_t size;
	int csv;
};

enum { OPT_IMPLS = 1, OPT_ROUTES, OPT_SIZE, OPT_CSV, OPT_HELP };

static const struct cli_option breakdown_options[] = {
	{ "impl", CLI_VALUE, OPT_IMPLS },
	{ "impls", CLI_VALUE, OPT_IMPLS },
	{ "routes", CLI_VALUE, OPT_ROUTES },
	{ "size", CLI_VALUE, OPT_SIZE },
	{ "csv", CLI_NONE, OPT_CSV },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* The value of one option into *a. 0, or CLI_USAGE after the message. */
static int breakdown_option(const struct cli_parser *p, int id, void *ctx)
{
	struct breakdown_args *a = ctx;
	size_t n;
	int rc;

	switch (id) {
	case OPT_IMPLS:
		rc = cli_impls(p, a->ops + a->k, MAX_TABLES - a->k, &n);
		a->k += rc == 0 ? n : 0;
		return rc;
	case OPT_ROUTES: a->routes = p->arg; return 0;
	case OPT_SIZE: return cli_count(p, 1, DS_MAX_COUNT, &a->size);
	case OPT_CSV: a->csv = 1; return 0;
	default: return 0;
	}
}

/* Options into *a. 0, -1 after --help, or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct breakdown_args *a)
{
	struct cli_parser p;
	int rc;

	cli_init(&p, "routebench breakdown", argc, argv, breakdown_options);
	rc = cli_parse_all(&p, breakdown_help, breakdown_option, a);
	if (rc != 0)
		return rc;
	if (a->k == 0)
		return cli_usage_error("breakdown", "--impl NAME or --impls LIST is required");
	if (!a->routes == !a->size)
		return cli_usage_error("breakdown", "give one of --routes FILE or --size N");
	return 0;
}

int cmd_breakdown(int argc, char **argv)
{
	struct breakdown_args a = { 0 };
	struct ds_routes routes = { 0 };
	struct rt_stats stats[MAX_TABLES];
	const char *names[MAX_TABLES];
	struct ds_error err;
	char path[4096];
	int rc = parse_args(argc, argv, &a), status = 0;

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (a.size) {
		struct ds_gen_routes g = { .count = a.size, .seed = 1,
					   .shape = DS_SHAPE_MAKESCHOOL };

		rc = ds_gen_cached_routes(&g, NULL, path, sizeof(path));
		if (rc != 0) {
			fprintf(stderr, "routebench breakdown: cannot generate %" PRIu64
					" routes in %s: %s\n",
				a.size, ds_cache_dir(), strerror(-rc));
			return 1;
		}
		a.routes = path;
	}
	if (ds_load_routes(a.routes, 0, &routes, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	for (size_t i = 0; i < a.k; i++) {
		struct route_table *t;

		rc = pricing_build_table(a.ops[i], &routes, &t);
		if (rc != 0) {
			fprintf(stderr, "routebench breakdown: %s: building %zu routes of %s "
					"failed: %s\n",
				a.ops[i]->name, routes.n, a.routes, strerror(-rc));
			status = 1;
			break;
		}
		rt_stats(t, &stats[i]);
		rt_destroy(t);
		names[i] = a.ops[i]->name;
		if (a.csv) {
			bench_breakdown_csv(stdout, names[i], &stats[i], routes.n, i == 0);
		} else {
			bench_breakdown_print(stdout, names[i], &stats[i], routes.n);
			putchar('\n');
		}
	}
	if (status == 0 && !a.csv && a.k > 1) {
		printf("%zu routes from %s:\n", routes.n, a.routes);
		bench_breakdown_compare(stdout, names, stats, a.k, routes.n);
	}
	ds_routes_free(&routes);
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
