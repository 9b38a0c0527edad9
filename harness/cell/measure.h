/*
 * measure.h - run one cell: in this process (the child's side), or in a fresh child process
 * that re-executes routebench (the parent's side).
 *
 * The parent never loads a dataset: ru_maxrss survives exec, so whatever the forking process
 * holds becomes the child's floor. It forks, the child execs `routebench measure --in-process`
 * (with jemalloc preloaded when asked), and the parent reads the row from a pipe, enforces the
 * time budget, and takes the peak RSS of that one child from wait4().
 */
#ifndef ROUTEBENCH_MEASURE_H
#define ROUTEBENCH_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "allocator.h"
#include "cell.h"

#define BENCH_MAX_CARRIERS 64
#define BENCH_DEFAULT_REPS 5
#define BENCH_MAX_REPS 1000
#define BENCH_DEFAULT_BUDGET_S 60.0

/* How a cell prices the numbers: the strategy column. */
enum bench_strategy {
	BENCH_INDEX,  /* parse the routes, build impl's table per carrier, look every number up */
	BENCH_STREAM, /* no table: index the numbers, stream each carrier file past them once */
};

#define BENCH_STREAM_IMPL "stream" /* the impl column of stream rows; not in the registry */

/*
 * Which numbers, and how they are looked up: the query_set column. Hot: timed passes repeat
 * over the same few thousand numbers (sampled down to a checkpoint for slow cells), so their
 * paths through the table stay cached. Cold: the numbers file is a large distinct set (bench
 * makes 1M), and every timed rep is one pass over all of them, no number twice in a pass.
 */
enum bench_query_set { BENCH_QS_HOT, BENCH_QS_COLD };

struct bench_cell_args {
	enum bench_strategy strategy;
	const char *impl;    /* BENCH_STREAM_IMPL for stream cells */
	const char *plugin;  /* the shared object impl comes from (the child loads it), or NULL */
	const char *routes[BENCH_MAX_CARRIERS]; /* one route file per carrier */
	size_t n_carriers;
	const char *numbers;
	uint64_t queries;    /* price the first this many numbers; 0 = all */
	uint64_t reps;
	double budget_s;     /* wall-clock budget for the whole cell; 0 = none */
	uint64_t mem_limit;  /* RLIMIT_AS in bytes; 0 = none */
	enum bench_allocator allocator; /* what the child is to run under */
	int breakdown;       /* print each table's rt_stats components to stderr */
	enum bench_query_set query_set;
};

/*
 * Measure the cell in this process (cellrun.c) and fill *row: status ok, oom, crash or
 * mismatch; a route or number file that fails to load is a crash row whose detail names the
 * file and line. Phase names go to phase_fd as "#phase NAME" lines when it is >= 0, so a
 * parent can say where a child died. 0, or -errno when the arguments or the numbers cannot
 * make a cell (the message is printed).
 */
int bench_cell_run(const struct bench_cell_args *a, struct bench_cell *row, int phase_fd);

/*
 * Measure the cell in a child process (spawn.c) and fill *row, whatever becomes of the
 * child. n_routes is written into the row if the child dies before reporting its own. 0;
 * -EINTR when this process trapped an interrupt (signals.h) while the child ran, which stopped
 * it: no row; or -errno when no child could be started (the message is printed).
 */
int bench_cell_spawn(const struct bench_cell_args *a, uint64_t n_routes, struct bench_cell *row);

/* The default memory limit: min(16 GiB, 70% of MemTotal), or 0 when MemTotal is unknown. */
uint64_t bench_default_mem_limit(void);

#endif
