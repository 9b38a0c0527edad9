/*
 * bench_api.c - `routebench bench --scenario api|update`: the pricing service measured as a
 * service (harness/scenario/ does the work). Only the options live here: which
 * implementations, how big, how long each point, and where the run goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "cli.h"
#include "commands.h"
#include "dataset.h"
#include "registry.h"
#include "results.h"
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
	"  --impls LIST        api: implementations or groups (all, ladder, peers, node-heavy;\n"
	"                      default: every registered one but the scan)\n"
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
	"                      results/latest-api points at it once it completes)\n"
	"  --no-plots          do not call gnuplot at the end\n"
	"\n"
	"Exit status: 0 the run went through (failed points are rows), 1 it could not go on, 2\n"
	"usage error.\n";

enum {
	OPT_SCENARIO = 1, OPT_IMPLS, OPT_UPDATE_IMPLS, OPT_SIZE, OPT_CARRIERS, OPT_QUERIES,
	OPT_DURATION, OPT_CLOSED, OPT_WINDOW, OPT_FRACTION, OPT_THREADS, OPT_CONNECTIONS,
	OPT_BATCH, OPT_TIMEOUT, OPT_MEM_LIMIT, OPT_START_TIMEOUT, OPT_ANSWERS, OPT_NO_BASELINE,
	OPT_SHAPE, OPT_SEED, OPT_HIT_RATIO, OPT_OUT, OPT_CACHE, OPT_NO_PLOTS, OPT_HELP,
};

static const struct cli_option scenario_options[] = {
	{ "scenario", CLI_VALUE, OPT_SCENARIO },
	{ "impls", CLI_VALUE, OPT_IMPLS },
	{ "update-impls", CLI_VALUE, OPT_UPDATE_IMPLS },
	{ "size", CLI_VALUE, OPT_SIZE },
	{ "carriers", CLI_VALUE, OPT_CARRIERS },
	{ "queries", CLI_VALUE, OPT_QUERIES },
	{ "duration", CLI_VALUE, OPT_DURATION },
	{ "closed-duration", CLI_VALUE, OPT_CLOSED },
	{ "window", CLI_VALUE, OPT_WINDOW },
	{ "fraction", CLI_VALUE, OPT_FRACTION },
	{ "threads", CLI_VALUE, OPT_THREADS },
	{ "connections", CLI_VALUE, OPT_CONNECTIONS },
	{ "batch", CLI_VALUE, OPT_BATCH },
	{ "timeout", CLI_VALUE, OPT_TIMEOUT },
	{ "mem-limit", CLI_VALUE, OPT_MEM_LIMIT },
	{ "start-timeout", CLI_VALUE, OPT_START_TIMEOUT },
	{ "answers", CLI_VALUE, OPT_ANSWERS },
	{ "no-baseline", CLI_NONE, OPT_NO_BASELINE },
	{ "shape", CLI_VALUE, OPT_SHAPE },
	{ "seed", CLI_VALUE, OPT_SEED },
	{ "hit-ratio", CLI_VALUE, OPT_HIT_RATIO },
	{ "out", CLI_VALUE, OPT_OUT },
	{ "cache", CLI_VALUE, OPT_CACHE },
	{ "no-plots", CLI_NONE, OPT_NO_PLOTS },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

/* --scenario: api and/or update (added to those given before). */
static int parse_scenario(const struct cli_parser *p, struct sc_config *c)
{
	static const char *const names[] = { "api", "update" };
	unsigned set = 0;
	int rc = cli_words(p, names, 2, &set);

	c->api |= set & 1;
	c->update |= set >> 1 & 1;
	return rc;
}

/* A count from lo to hi into an unsigned. */
static int parse_unsigned(const struct cli_parser *p, uint64_t lo, uint64_t hi, unsigned *out)
{
	uint64_t v;
	int rc = cli_count(p, lo, hi, &v);

	if (rc == 0)
		*out = (unsigned)v;
	return rc;
}

/* Seconds above 0 (at most a day). */
static int parse_seconds(const struct cli_parser *p, double *out)
{
	int rc = cli_real(p, 0, 86400, out);

	return rc == 0 && *out <= 0 ? cli_bad(p, "more than 0 seconds, not '%s'", p->arg) : rc;
}

/* The value of one option into *c. 0, or CLI_USAGE after the message. */
static int scenario_option(const struct cli_parser *p, int id, struct sc_config *c)
{
	static const char *const shapes[] = { "makeschool", "uniform" }; /* enum ds_shape order */
	int k, rc;

	switch (id) {
	case OPT_SCENARIO: return parse_scenario(p, c);
	case OPT_IMPLS: return cli_impls(p, c->impls, SC_MAX_IMPLS, &c->n_impls);
	case OPT_UPDATE_IMPLS:
		return cli_impls(p, c->update_impls, SC_MAX_IMPLS, &c->n_update_impls);
	case OPT_SIZE: return cli_count(p, 1, DS_MAX_COUNT, &c->routes);
	case OPT_CARRIERS: return cli_count(p, 1, SC_MAX_CARRIERS, &c->carriers);
	case OPT_QUERIES: return cli_count(p, 1, DS_MAX_COUNT, &c->queries);
	case OPT_DURATION: return parse_seconds(p, &c->point_s);
	case OPT_CLOSED: return parse_seconds(p, &c->closed_s);
	case OPT_WINDOW: return parse_seconds(p, &c->window_s);
	case OPT_START_TIMEOUT: return parse_seconds(p, &c->start_timeout_s);
	case OPT_TIMEOUT: return parse_seconds(p, &c->timeout_s);
	case OPT_FRACTION:
		rc = cli_real(p, 0, 0.3, &c->fraction);
		return rc == 0 && c->fraction <= 0 ? cli_bad(p, "above 0, not '%s'", p->arg) : rc;
	case OPT_THREADS: return parse_unsigned(p, 1, 256, &c->threads);
	case OPT_CONNECTIONS: return parse_unsigned(p, 1, 1024, &c->connections);
	case OPT_BATCH: return parse_unsigned(p, 1, 100000, &c->batch);
	case OPT_MEM_LIMIT: return cli_bytes(p, 0, UINT64_MAX, &c->mem_limit);
	case OPT_SHAPE:
		rc = cli_choice(p, shapes, 2, &k);
		c->shape = rc == 0 ? (enum ds_shape)k : c->shape;
		return rc;
	case OPT_SEED: return cli_count(p, 0, UINT64_MAX, &c->seed);
	case OPT_HIT_RATIO: return cli_real(p, 0, 1, &c->hit_ratio);
	case OPT_ANSWERS: c->answers = p->arg; return 0;
	case OPT_NO_BASELINE: c->baseline = 0; return 0;
	case OPT_OUT: c->out = p->arg; return 0;
	case OPT_CACHE: c->cache = p->arg; return 0;
	case OPT_NO_PLOTS: c->plots = 0; return 0;
	default: return 0;
	}
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

/* scenario_option for cli_parse_all. */
static int scenario_option_any(const struct cli_parser *p, int id, void *ctx)
{
	return scenario_option(p, id, ctx);
}

/* Options into *c. 0, -1 after --help, or CLI_USAGE. */
static int parse_scenario_args(int argc, char **argv, struct sc_config *c)
{
	struct cli_parser p;
	int rc;

	defaults(c);
	cli_init(&p, "routebench bench", argc, argv, scenario_options);
	rc = cli_parse_all(&p, scenario_help, scenario_option_any, c);
	if (rc != 0)
		return rc;
	default_impls(c);
	if (c->update && !c->n_update_impls)
		return cli_usage_error("bench", "--update-impls: no default implementation");
	return 0;
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
	run.meta.complete = rc == 0; /* meta.json says so, and the report reads it */
	if (rc != 0)
		snprintf(run.meta.incomplete_reason, sizeof(run.meta.incomplete_reason),
			 "a scenario could not go on (see the log above)");
	if (sc_run_close(&run) != 0)
		rc = -1;
	if (rc == 0 && !cfg.out && bench_link_beside(run.dir, "latest-api") != 0) /* complete */
		fprintf(stderr, "routebench bench: warning: cannot point results/latest-api at %s\n",
			run.dir);
	fprintf(stderr, "\nresults: %s/ (%s%smeta.json)\n", run.dir, cfg.api ? "api.csv, " : "",
		cfg.update ? "update.csv, update_windows.csv, update_rss.csv, " : "");
	return rc == 0 ? 0 : 1;
}
