/*
 * bench_api.c - `routebench bench --scenario api|update`: the pricing service measured as a
 * service (harness/scenario/ does the work). Only the options live here: which
 * implementations, how big, how long each point, and where the run goes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "registry.h"
#include "scenario.h"

static const char scenario_help[] =
	"usage: routebench bench --scenario api|update|api,update [--impls a,b,...]\n"
	"                        [--update-impls a,b,...] [--size N] [--carriers K]\n"
	"                        [--queries N] [--duration S] [--closed-duration S] [--window S]\n"
	"                        [--fraction F] [--threads N] [--connections C] [--batch N]\n"
	"                        [--timeout S]\n"
	"                        [--mem-limit SIZE] [--start-timeout S] [--answers FILE]\n"
	"                        [--no-baseline] [--shape makeschool|uniform] [--seed S]\n"
	"                        [--hit-ratio R] [--out DIR] [--cache DIR] [--no-plots]\n"
	"\n"
	"The pricing service under load (api: scenario 4) and under route updates (update:\n"
	"scenario 5). Each point is one 'routebench serve' child and one 'routebench load'\n"
	"child, pinned to a core each when the machine has two. The numbers' answers come from\n"
	"'routebench price' (computed once per dataset, cached) and every answer is checked.\n"
	"\n"
	"api: per implementation, one server: a closed loop (--rate 0) for the maximum, then\n"
	"open loops at the course's spike (10,000 requests/min = 166.7/s) and at 25, 50, 80 and\n"
	"95% of the maximum; then the same for the no-lookup baseline ('serve --no-lookup': an\n"
	"answer without a table, what HTTP alone costs). One row per point in DIR/api.csv.\n"
	"update: per implementation of --update-impls and update way (rebuild; inplace where the\n"
	"implementation has copy-on-write updates), one server under an open loop at 50% of its\n"
	"maximum: a quiet window, then a window with deltas posted back to back (each --fraction\n"
	"of carrier 0's prefixes: changed costs, removals, new prefixes; alternating between two\n"
	"states A and B, so every answer is checked against A or B by the parity of the carrier's\n"
	"version). DIR/update.csv: one row per update (visible time, peak RSS against idle);\n"
	"DIR/update_windows.csv: latency and errors of each window; DIR/update_rss.csv: the\n"
	"server's RSS every 20 ms. Charts: api_latency.png, update_rss.png (and .svg).\n"
	"\n"
	"  --scenario LIST     api and/or update\n"
	"  --impls LIST        api: implementations (default: every registered one but the scan)\n"
	"  --update-impls LIST update: implementations (default: the default one, as 'price')\n"
	"  --size N            routes per carrier (default 1M)\n"
	"  --carriers K        carriers (default 5)\n"
	"  --queries N         distinct numbers the load cycles through (default 10000)\n"
	"  --duration S        seconds per open-loop point (default 3)\n"
	"  --closed-duration S seconds of the closed loop (default 3)\n"
	"  --window S          seconds of each update window (default 8)\n"
	"  --fraction F        share of carrier 0's prefixes per delta (default 0.01)\n"
	"  --threads N         server threads (default 1: its core)\n"
	"  --connections C     load connections (default 4)\n"
	"  --batch N           numbers per request (default 1: GET /price)\n"
	"  --timeout S         a request unanswered after S seconds is an error (default 5)\n"
	"  --mem-limit SIZE    RLIMIT_AS per server (default 4G; 0 = none): what does not fit\n"
	"                      is a row with status failed\n"
	"  --start-timeout S   seconds for a server to load and listen (default 300)\n"
	"  --answers FILE      check the answers against FILE instead of price's (a test's hook)\n"
	"  --no-baseline       api: skip the no-lookup baseline\n"
	"  --shape, --seed, --hit-ratio, --cache   the datasets, as 'routebench bench'\n"
	"  --out DIR           run folder (default results/<UTC timestamp>-api, and\n"
	"                      results/latest-api points at it)\n"
	"  --no-plots          do not call gnuplot at the end\n"
	"\n"
	"Exit status: 0 the run went through (failed points are rows), 1 it could not go on, 2\n"
	"usage error.\n";

static int parse_list(const char *opt, const char *list, const struct route_table_ops **v,
		      size_t *n)
{
	char buf[1024];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("bench", "%s: list too long", opt);
	strcpy(buf, list);
	*n = 0;
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		const struct route_table_ops *ops = rt_find(tok);

		if (!ops)
			return cli_usage_error("bench", "%s: no implementation named '%s' (see "
							"'routebench list')", opt, tok);
		if (*n == SC_MAX_IMPLS)
			return cli_usage_error("bench", "%s: at most %d", opt, SC_MAX_IMPLS);
		v[(*n)++] = ops;
	}
	return *n ? 0 : cli_usage_error("bench", "%s: empty list", opt);
}

static int parse_scenario(const char *list, struct sc_config *c)
{
	char buf[64];

	if (strlen(list) >= sizeof(buf))
		return cli_usage_error("bench", "--scenario: api and/or update");
	strcpy(buf, list);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		if (strcmp(tok, "api") == 0)
			c->api = 1;
		else if (strcmp(tok, "update") == 0)
			c->update = 1;
		else
			return cli_usage_error("bench", "--scenario: api or update, not '%s'", tok);
	}
	return c->api || c->update ? 0 : cli_usage_error("bench", "--scenario: empty list");
}

static int parse_seconds(const char *opt, const char *s, double *out)
{
	if (cli_parse_double(s, out) != 0 || *out <= 0 || *out > 86400)
		return cli_usage_error("bench", "%s: bad seconds '%s'", opt, s);
	return 0;
}

static int parse_count(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (cli_parse_u64(s, 0, out) != 0 || *out < lo || *out > hi)
		return cli_usage_error("bench", "%s: want %llu to %llu, got '%s'", opt,
				       (unsigned long long)lo, (unsigned long long)hi, s);
	return 0;
}

static void defaults(struct sc_config *c)
{
	c->routes = 1000000;
	c->carriers = 5;
	c->queries = 10000;
	c->seed = 1;
	c->hit_ratio = 0.5;
	c->point_s = 3;
	c->closed_s = 3;
	c->window_s = 8;
	c->fraction = 0.01;
	c->threads = 1;
	c->connections = 4;
	c->batch = 1;
	c->timeout_s = 5;
	c->mem_limit = 4ULL << 30;
	c->start_timeout_s = 300;
	c->baseline = 1;
	c->plots = 1;
}

/* The default lists: every implementation but the scan; the default implementation. */
static void default_impls(struct sc_config *c)
{
	const struct route_table_ops *def = rt_find_flag(RT_F_DEFAULT);
	size_t given = c->n_impls;

	for (size_t i = 0; !given && i < rt_registry_count; i++)
		if (!(rt_registry[i]->flags & RT_F_SCAN) && i < SC_MAX_IMPLS)
			c->impls[c->n_impls++] = rt_registry[i];
	if (c->n_update_impls == 0 && def)
		c->update_impls[c->n_update_impls++] = def;
}

static int parse_shape(const char *s, struct sc_config *c)
{
	if (strcmp(s, "makeschool") == 0)
		c->shape = DS_SHAPE_MAKESCHOOL;
	else if (strcmp(s, "uniform") == 0)
		c->shape = DS_SHAPE_UNIFORM;
	else
		return cli_usage_error("bench", "--shape: makeschool or uniform, not '%s'", s);
	return 0;
}

/* One option (getopt code c, its argument a) into the config. 0, or a usage error. */
static int parse_one(int ch, const char *a, struct sc_config *c)
{
	uint64_t v;
	int rc;

	switch (ch) {
	case 'Z': return parse_scenario(a, c);
	case 'i': return parse_list("--impls", a, c->impls, &c->n_impls);
	case 'u': return parse_list("--update-impls", a, c->update_impls, &c->n_update_impls);
	case 's': return parse_count("--size", a, 1, DS_MAX_COUNT, &c->routes);
	case 'k': return parse_count("--carriers", a, 1, SC_MAX_CARRIERS, &c->carriers);
	case 'q': return parse_count("--queries", a, 1, DS_MAX_COUNT, &c->queries);
	case 'd': return parse_seconds("--duration", a, &c->point_s);
	case 'D': return parse_seconds("--closed-duration", a, &c->closed_s);
	case 'w': return parse_seconds("--window", a, &c->window_s);
	case 'T': return parse_seconds("--start-timeout", a, &c->start_timeout_s);
	case 'O': return parse_seconds("--timeout", a, &c->timeout_s);
	case 'f':
		if (cli_parse_double(a, &c->fraction) != 0 || c->fraction <= 0 || c->fraction > 0.3)
			return cli_usage_error("bench", "--fraction: above 0, at most 0.3, "
							"not '%s'", a);
		return 0;
	case 't': rc = parse_count("--threads", a, 1, 256, &v); c->threads = (unsigned)v; return rc;
	case 'C':
		rc = parse_count("--connections", a, 1, 1024, &v);
		c->connections = (unsigned)v;
		return rc;
	case 'b': rc = parse_count("--batch", a, 1, 100000, &v); c->batch = (unsigned)v; return rc;
	case 'm':
		if (cli_parse_u64(a, 1, &c->mem_limit) != 0)
			return cli_usage_error("bench", "--mem-limit: bad size '%s'", a);
		return 0;
	case 'S': return parse_shape(a, c);
	case 'e': return parse_count("--seed", a, 0, UINT64_MAX, &c->seed);
	case 'H':
		if (cli_parse_double(a, &c->hit_ratio) != 0 || c->hit_ratio > 1)
			return cli_usage_error("bench", "--hit-ratio: 0 to 1, not '%s'", a);
		return 0;
	case 'A': c->answers = a; return 0;
	case 'B': c->baseline = 0; return 0;
	case 'o': c->out = a; return 0;
	case 'c': c->cache = a; return 0;
	case 'P': c->plots = 0; return 0;
	}
	return cli_usage_error("bench", "unknown option");
}

static int parse_scenario_args(int argc, char **argv, struct sc_config *c)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 'Z' },
		{ "impls", required_argument, NULL, 'i' },
		{ "update-impls", required_argument, NULL, 'u' },
		{ "size", required_argument, NULL, 's' },
		{ "carriers", required_argument, NULL, 'k' },
		{ "queries", required_argument, NULL, 'q' },
		{ "duration", required_argument, NULL, 'd' },
		{ "closed-duration", required_argument, NULL, 'D' },
		{ "window", required_argument, NULL, 'w' },
		{ "fraction", required_argument, NULL, 'f' },
		{ "threads", required_argument, NULL, 't' },
		{ "connections", required_argument, NULL, 'C' },
		{ "batch", required_argument, NULL, 'b' },
		{ "mem-limit", required_argument, NULL, 'm' },
		{ "start-timeout", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 'O' },
		{ "answers", required_argument, NULL, 'A' },
		{ "no-baseline", no_argument, NULL, 'B' },
		{ "shape", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 'e' },
		{ "hit-ratio", required_argument, NULL, 'H' },
		{ "out", required_argument, NULL, 'o' },
		{ "cache", required_argument, NULL, 'c' },
		{ "no-plots", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = 0;

	defaults(c);
	optind = 1;
	opterr = 0;
	while (rc == 0 && (ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(scenario_help, stdout);
			return -1;
		}
		if (ch == ':')
			return cli_usage_error("bench", "%s needs a value", argv[optind - 1]);
		if (ch == '?')
			return cli_usage_error("bench", "--scenario: unknown option '%s'",
					       argv[optind - 1]);
		rc = parse_one(ch, optarg, c);
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage_error("bench", "unexpected argument '%s'", argv[optind]);
	if (rc == 0)
		default_impls(c);
	if (rc == 0 && c->update && !c->n_update_impls)
		rc = cli_usage_error("bench", "--update-impls: no default implementation");
	return rc;
}

int bench_wants_scenario(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--scenario") == 0 || strncmp(argv[i], "--scenario=", 11) == 0)
			return 1;
	return 0;
}

int cmd_bench_scenario(int argc, char **argv)
{
	static struct sc_config cfg;
	static struct sc_run run; /* large: paths and meta */
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = parse_scenario_args(argc, argv, &cfg);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	sc_child_guard();
	if (sc_run_open(&run, &cfg, argc, argv) != 0)
		return 1;
	if (cfg.api)
		rc = sc_api(&run);
	if (rc == 0 && cfg.update)
		rc = sc_update(&run);
	if (sc_run_close(&run) != 0)
		rc = -1;
	fprintf(stderr, "\nresults: %s/ (%s%smeta.json)\n", run.dir, cfg.api ? "api.csv, " : "",
		cfg.update ? "update.csv, update_windows.csv, update_rss.csv, " : "");
	return rc == 0 ? 0 : 1;
}
