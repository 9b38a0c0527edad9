/*
 * bench_solver.h - `bench --solver NAME=COMMAND` and `--solvers FILE`: the list of solver
 * commands a run measures (cell/solver.h does the measuring), their names checked against the
 * registry, one cell per solver and size, and what failed at a size skipped at the larger ones.
 * Also the text of `bench --help` (bench_help.c).
 */
#ifndef ROUTEBENCH_BENCH_SOLVER_H
#define ROUTEBENCH_BENCH_SOLVER_H

#include <stddef.h>
#include <stdint.h>

#include "checksum.h"
#include "cli.h"
#include "solver.h"

#define BENCH_MAX_SOLVERS 32
#define BENCH_FAILED_MAX 96

extern const char bench_help[];

struct bench_solvers {
	struct bench_solver v[BENCH_MAX_SOLVERS];
	size_t n;
	char failed[BENCH_MAX_SOLVERS][BENCH_FAILED_MAX]; /* "after oom at n=...": skip larger */
	char tmp[4096];  /* RUN/tmp, made at the first solver cell */
};

/* --solver NAME=COMMAND (file 0) or --solvers FILE (file 1). 0, or CLI_USAGE after the
 * message (a bad line of FILE named as FILE:LINE). */
int bench_solvers_option(const struct cli_parser *p, int file, struct bench_solvers *s);
/* Names that clash with a registered implementation, the stream strategy or each other:
 * 0, or CLI_USAGE after the message. */
int bench_solvers_check(const struct bench_solvers *s);
/* Forget failures (a new carrier count starts at the smallest size again). */
void bench_solvers_reset(struct bench_solvers *s);

/*
 * Solver i's cell at one size into *row: skipped after a failure at a smaller size, else run
 * in RUN/tmp (dir: the run folder), checked against ref (a mismatch names the first number
 * that differs and both answers) and its files removed. 0, -EINTR, or -errno (printed).
 */
int bench_solvers_cell(struct bench_solvers *s, size_t i, const struct bench_cell_args *a,
		       uint64_t size, const char *dir, struct bench_answers *ref,
		       struct bench_cell *row);
/* Remove RUN/tmp and free the commands. */
void bench_solvers_done(struct bench_solvers *s);

#endif
