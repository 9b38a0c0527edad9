/*
 * bench_opts.c - `routebench bench`'s option table and its parser: each value checked for its
 * range as it is read, then the whole set checked together (solvers, query sets, the user's
 * decks), all before anything is created. O(options); the lesson: strict options are what
 * keep a typo from becoming a half-hour run of the wrong thing.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_decks.h"
#include "bench_help.h"
#include "bench_opts.h"
#include "bench_solver.h"
#include "cli.h"
#include "measure.h"
#include "plugin_arg.h"
#include "registry.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sort ascending and drop repeats; returns the new count. */
static size_t sort_unique(uint64_t *v, size_t n)
{
	size_t u = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

enum {
	OPT_IMPLS = 1, OPT_STRATEGIES, OPT_SIZES, OPT_CARRIERS, OPT_QUERIES, OPT_REPS, OPT_BUDGET,
	OPT_MEM_LIMIT, OPT_ALLOCATORS, OPT_ALLOC_IMPLS, OPT_SHAPE, OPT_SEED, OPT_HIT_RATIO,
	OPT_OUT, OPT_CACHE, OPT_NO_PLOTS, OPT_PLUGIN, OPT_MACHINE_LIMITS, OPT_SOLVER, OPT_SOLVERS,
	OPT_ROUTES, OPT_NUMBERS, OPT_SKIP_INVALID, OPT_QUERY_SET, OPT_COLD_QUERIES, OPT_HELP,
};

static const struct cli_option bench_options[] = {
	{ "impls", CLI_VALUE, OPT_IMPLS },
	{ "strategies", CLI_VALUE, OPT_STRATEGIES },
	{ "sizes", CLI_VALUE, OPT_SIZES },
	{ "carriers", CLI_VALUE, OPT_CARRIERS },
	{ "queries", CLI_VALUE, OPT_QUERIES },
	{ "reps", CLI_VALUE, OPT_REPS },
	{ "budget-s", CLI_VALUE, OPT_BUDGET },
	{ "mem-limit", CLI_VALUE, OPT_MEM_LIMIT },
	{ "allocators", CLI_VALUE, OPT_ALLOCATORS },
	{ "allocator-impls", CLI_VALUE, OPT_ALLOC_IMPLS },
	{ "shape", CLI_VALUE, OPT_SHAPE },
	{ "seed", CLI_VALUE, OPT_SEED },
	{ "hit-ratio", CLI_VALUE, OPT_HIT_RATIO },
	{ "out", CLI_VALUE, OPT_OUT },
	{ "cache", CLI_VALUE, OPT_CACHE },
	{ "no-plots", CLI_NONE, OPT_NO_PLOTS },
	{ "plugin", CLI_VALUE, OPT_PLUGIN },
	{ "machine-limits", CLI_NONE, OPT_MACHINE_LIMITS },
	{ "solver", CLI_VALUE, OPT_SOLVER },
	{ "solvers", CLI_VALUE, OPT_SOLVERS },
	{ "routes", CLI_VALUE, OPT_ROUTES },
	{ "numbers", CLI_VALUE, OPT_NUMBERS },
	{ "skip-invalid", CLI_NONE, OPT_SKIP_INVALID },
	{ "query-set", CLI_VALUE, OPT_QUERY_SET },
	{ "cold-queries", CLI_VALUE, OPT_COLD_QUERIES },
	{ "help", CLI_NONE, OPT_HELP },
	{ "h", CLI_NONE, OPT_HELP },
	{ NULL, 0, 0 },
};

static const char *const shape_names[] = { "makeschool", "uniform" }; /* enum ds_shape order */

/* --impls: appended to those given before; 'stream' is a strategy, not an implementation. */
static int parse_impls(const struct cli_parser *p, struct bench_opts *o)
{
	size_t n;
	int rc;

	if (cli_list_has(p->arg, BENCH_STREAM_IMPL))
		return cli_bad(p, "'%s' is a strategy, not an implementation (--strategies)",
			       BENCH_STREAM_IMPL);
	rc = cli_impls(p, o->impls + o->n_impls, MAX_IMPLS - o->n_impls, &n);
	if (rc == 0)
		o->n_impls += n;
	return rc;
}

/* A list of the two words names[0] and names[1]: which were given, into *first and *second. */
static int parse_two_words(const struct cli_parser *p, const char *const names[2], int *first,
			   int *second)
{
	unsigned set = 0;
	int rc = cli_words(p, names, 2, &set);

	*first = set & 1;
	*second = set >> 1 & 1;
	return rc;
}

/* --strategies: index and/or stream. */
static int parse_strategies(const struct cli_parser *p, struct bench_opts *o)
{
	static const char *const names[] = { "index", "stream" };

	return parse_two_words(p, names, &o->index, &o->stream);
}

/* --query-set: hot and/or cold. */
static int parse_query_sets(const struct cli_parser *p, struct bench_opts *o)
{
	static const char *const names[] = { BENCH_QUERY_HOT, BENCH_QUERY_COLD };

	return parse_two_words(p, names, &o->hot, &o->cold);
}

/* Keep the allocators in the order given: the first one measures every implementation. */
static int parse_allocators(const struct cli_parser *p, struct bench_opts *o)
{
	const char *items[8];
	char buf[64];
	size_t n;
	int rc = cli_list(p, buf, sizeof(buf), items, 8, &n);

	o->n_allocs = 0;
	for (size_t t = 0; rc == 0 && t < n; t++) {
		enum bench_allocator al;
		size_t i = 0;

		if (bench_allocator_parse(items[t], &al) != 0)
			return cli_bad(p, "glibc or jemalloc, not '%s'", items[t]);
		while (i < o->n_allocs && o->allocs[i] != al)
			i++;
		if (i == o->n_allocs)
			o->allocs[o->n_allocs++] = al;
	}
	return rc;
}

/* Mark the implementations of --allocator-impls among o->impls (others are ignored). */
static void resolve_alloc_impls(struct bench_opts *o)
{
	for (size_t i = 0; i < o->n_impls; i++) {
		o->every_alloc[i] = !o->have_alloc_impls;
		for (size_t j = 0; j < o->n_alloc_impls; j++)
			o->every_alloc[i] |= o->impls[i] == o->alloc_impls[j];
	}
}

/* A list of counts from lo to hi, sorted and de-duplicated. */
static int parse_counts(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *v,
			size_t cap, size_t *n)
{
	int rc = cli_counts(p, lo, hi, v, cap, n);

	if (rc == 0)
		*n = sort_unique(v, *n);
	return rc;
}

/* --plugin FILE.so: load it now, so a later --impls may name it. 0 or 1. */
static int add_plugin(const char *path, struct bench_opts *o)
{
	const char *name;

	if (cmd_plugin_arg("bench", path, &name) != 0)
		return 1;
	o->plugin = path;
	o->plugin_ops = rt_find(name);
	return 0;
}

/* The value of one option into *o. 0, or CLI_USAGE after the message. */
static int bench_option(const struct cli_parser *p, int id, struct bench_opts *o)
{
	int k, rc = 0;

	if ((id == OPT_CARRIERS || id == OPT_SHAPE || id == OPT_HIT_RATIO || id == OPT_CACHE ||
	     id == OPT_QUERY_SET || id == OPT_COLD_QUERIES) && !o->decks->gen_only[0]) /* generator-only: refused with --routes */
		snprintf(o->decks->gen_only, sizeof(o->decks->gen_only), "%s", p->name);
	o->decks->queries_given |= id == OPT_QUERIES;
	switch (id) {
	case OPT_IMPLS: return parse_impls(p, o);
	case OPT_STRATEGIES: return parse_strategies(p, o);
	case OPT_SIZES: /* counts, and all with --routes */
		rc = bench_decks_sizes(p, o->decks, o->sizes, MAX_SIZES, &o->n_sizes);
		o->n_sizes = rc == 0 ? sort_unique(o->sizes, o->n_sizes) : o->n_sizes;
		return rc;
	case OPT_ROUTES:
	case OPT_NUMBERS: return bench_decks_file(p, id == OPT_NUMBERS, o->decks);
	case OPT_SKIP_INVALID: o->decks->skip_invalid = 1; return 0;
	case OPT_CARRIERS:
		return parse_counts(p, 1, BENCH_MAX_CARRIERS, o->ks, MAX_KS, &o->n_ks);
	case OPT_QUERIES: return cli_count(p, 1, DS_MAX_COUNT, &o->queries);
	case OPT_REPS: return cli_count(p, 1, BENCH_MAX_REPS, &o->reps);
	case OPT_BUDGET: return cli_real(p, 0, HUGE_VAL, &o->budget_s);
	case OPT_MEM_LIMIT: return cli_bytes(p, 0, UINT64_MAX, &o->mem_limit);
	case OPT_ALLOCATORS: return parse_allocators(p, o);
	case OPT_ALLOC_IMPLS:
		o->have_alloc_impls = 1;
		return cli_impls(p, o->alloc_impls, MAX_IMPLS, &o->n_alloc_impls);
	case OPT_SHAPE:
		rc = cli_choice(p, shape_names, 2, &k);
		o->shape = rc == 0 ? (enum ds_shape)k : o->shape;
		return rc;
	case OPT_SEED: return cli_count(p, 0, UINT64_MAX, &o->seed);
	case OPT_HIT_RATIO: return cli_real(p, 0, 1, &o->hit_ratio);
	case OPT_OUT: o->out = p->arg; return 0;
	case OPT_CACHE: o->cache = p->arg; return 0;
	case OPT_NO_PLOTS: o->plots = 0; return 0;
	case OPT_PLUGIN: return add_plugin(p->arg, o);
	case OPT_MACHINE_LIMITS: o->machine_limits = 1; return 0;
	case OPT_SOLVER:
	case OPT_SOLVERS: return bench_solvers_option(p, id == OPT_SOLVERS, o->solvers);
	case OPT_QUERY_SET: return parse_query_sets(p, o);
	case OPT_COLD_QUERIES: return cli_count(p, 1, DS_MAX_COUNT, &o->cold_queries);
	default: return 0;
	}
}

/* The defaults, before any option. */
static void bench_defaults(struct bench_opts *o)
{
	static const uint64_t sizes[] = { DEFAULT_SIZES };

	o->queries = DEFAULT_QUERIES;
	o->hot = 1;
	o->cold_queries = BENCH_COLD_MIN;
	o->reps = BENCH_DEFAULT_REPS;
	o->budget_s = BENCH_DEFAULT_BUDGET_S;
	o->seed = DEFAULT_SEED;
	o->hit_ratio = DEFAULT_HIT_RATIO;
	o->mem_limit = bench_default_mem_limit();
	o->plots = 1;
	o->index = o->stream = 1;
	o->ks[0] = 1;
	o->n_ks = 1;
	o->allocs[0] = BENCH_GLIBC;
	o->n_allocs = 1;
	o->n_sizes = sizeof(sizes) / sizeof(sizes[0]);
	memcpy(o->sizes, sizes, sizeof(sizes));
}

/* bench_option for cli_parse_all. */
static int bench_option_any(const struct cli_parser *p, int id, void *ctx)
{
	return bench_option(p, id, ctx);
}

int bench_parse_args(int argc, char **argv, struct bench_opts *o)
{
	struct cli_parser p;
	int rc;

	bench_defaults(o);
	cli_init(&p, "routebench bench", argc, argv, bench_options);
	rc = cli_parse_all(&p, bench_help, bench_option_any, o);
	if (rc == 0)
		rc = bench_solvers_check(o->solvers);
	if (rc == 0 && !o->hot && !o->index)
		rc = cli_usage_error("bench", "--query-set cold measures index cells only: add "
					      "index to --strategies");
	if (rc == 0) /* the user's files: checked now, before anything is created */
		rc = bench_decks_check(o->decks, o->sizes, &o->n_sizes, o->ks, &o->n_ks,
				       &o->queries);
	if (rc != 0)
		return rc;
	for (size_t i = 0; !o->n_impls && i < rt_registry_count && i < MAX_IMPLS; i++)
		o->impls[i] = rt_registry[i];
	if (!o->n_impls)
		o->n_impls = rt_registry_count < MAX_IMPLS ? rt_registry_count : MAX_IMPLS;
	for (size_t i = 0; o->plugin_ops && i <= o->n_impls && i < MAX_IMPLS; i++)
		if (i == o->n_impls || o->impls[i] == o->plugin_ops) {
			o->impls[i] = o->plugin_ops; /* appended, unless --impls named it */
			o->n_impls += i == o->n_impls;
			break;
		}
	resolve_alloc_impls(o);
	return 0;
}
