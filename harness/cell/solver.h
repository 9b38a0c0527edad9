/*
 * solver.h - a solver cell: someone else's program (`bench --solver NAME=COMMAND`) measured
 * like any cell. The command is the direct child of the measuring parent (no shell, no
 * re-exec), so its peak RSS from wait4() is its own; RLIMIT_AS and the time budget apply as
 * to every cell. Cost: one exec per checkpoint q = 1, 10, 100, ..., each on a numbers file cut
 * to its first q lines. Lesson: a program in any language is a row beside the C ones, checked
 * by the same answer hash.
 */
#ifndef ROUTEBENCH_SOLVER_H
#define ROUTEBENCH_SOLVER_H

#include <stdint.h>

#include "cell.h"
#include "cmdwords.h"
#include "measure.h"

#define BENCH_SOLVER_STRATEGY "solver" /* the strategy column of solver rows */
#define BENCH_SOLVER_NAME_MAX 31       /* the impl column holds the name */

struct bench_solver {
	char name[BENCH_SOLVER_NAME_MAX + 1];
	char command[1024]; /* as given, for meta.json */
	struct rb_cmd cmd;
};

/*
 * Parse "NAME=COMMAND" into *s. 0, or -EINVAL with *why set (no '=', a bad or long name, a
 * bad command); s->cmd is freed with rb_cmd_free either way.
 */
int bench_solver_parse(const char *spec, struct bench_solver *s, const char **why);

/*
 * Measure solver s on a's files (routes, numbers, queries, budget_s, mem_limit) into *row:
 * status ok, oom, timeout or crash (mismatch is the caller's, against the other rows).
 * tmp is a folder for the cut numbers files, stderr and answers; each checkpoint's answers
 * stay in tmp/answers-Q.txt for bench_solver_explain. 0, or -EINTR (interrupted: no row), or
 * -errno when the temp files cannot be written (the message is printed).
 */
int bench_solver_run(const struct bench_solver *s, const struct bench_cell_args *a,
		     uint64_t n_routes, const char *tmp, struct bench_cell *row);

/*
 * A mismatch at checkpoint q named: the reference answers to tmp/numbers-Q.txt from
 * `routebench price` (self, a child), compared line by line with tmp/answers-Q.txt, the
 * first difference written to row->detail ("+NUMBER: solver 0.40, expected 0.25").
 */
void bench_solver_explain(const struct bench_cell_args *a, const char *tmp, uint64_t q,
			  struct bench_cell *row);

/* Remove every file in tmp, a folder of the solver cells' own (not tmp itself). */
void bench_solver_clean(const char *tmp);

#endif
