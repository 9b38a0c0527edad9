/*
 * bench_opts.h - `routebench bench`'s options as one struct: what to measure (implementations,
 * strategies, sizes, carriers, allocators, query sets), on what data (generated, or the user's
 * decks), and how (reps, budget, memory limit). Parsed once, exactly (sys/cli.h), and checked
 * whole before a run folder exists, so a bad option creates nothing.
 */
#ifndef ROUTEBENCH_BENCH_OPTS_H
#define ROUTEBENCH_BENCH_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "allocator.h"
#include "gen.h"
#include "route_table.h"

struct bench_solvers;
struct bench_decks;

#define MAX_SIZES 32
#define MAX_KS 8
#define MAX_IMPLS 64
#define MAX_ALLOCS 2

struct bench_opts {
	const struct route_table_ops *impls[MAX_IMPLS];
	size_t n_impls;
	int index, stream; /* --strategies */
	uint64_t sizes[MAX_SIZES], ks[MAX_KS];
	size_t n_sizes, n_ks;
	enum bench_allocator allocs[MAX_ALLOCS];
	size_t n_allocs;
	const struct route_table_ops *alloc_impls[MAX_IMPLS]; /* --allocator-impls */
	size_t n_alloc_impls;
	int have_alloc_impls;       /* 0: every implementation under every allocator */
	const char *plugin;         /* --plugin FILE.so, its cells' children load it too */
	const struct route_table_ops *plugin_ops;
	int every_alloc[MAX_IMPLS]; /* impls[i] runs under every allocator, not just the first */
	uint64_t queries, reps, seed, mem_limit;
	double budget_s, hit_ratio;
	enum ds_shape shape;
	const char *out, *cache;
	int plots;
	int machine_limits;
	int hot, cold;             /* --query-set: hot and/or cold */
	uint64_t cold_queries;     /* --cold-queries */
	struct bench_solvers *solvers; /* --solver, --solvers */
	struct bench_decks *decks;     /* --routes, --numbers, --skip-invalid */
};

/* argv into *o (defaults first). 0, -1 after --help (printed), or CLI_USAGE after a message. */
int bench_parse_args(int argc, char **argv, struct bench_opts *o);

#endif
