/*
 * bench_progress.h - what a person watching `routebench bench` sees: a line per cell as it
 * finishes, a summary table at the end, and the charts, drawn by gnuplot from the run's
 * cells.csv.
 */
#ifndef ROUTEBENCH_BENCH_PROGRESS_H
#define ROUTEBENCH_BENCH_PROGRESS_H

#include <stddef.h>

#include "cell.h"

/* "[ 3/30] impl alloc n=... k=... build ... lookup ... peak ... status" on stderr. */
void bench_report_cell(size_t done, size_t total, const struct bench_cell *c);
/* The table of every row, on stderr. */
void bench_report_summary(const struct bench_cell *rows, size_t n);
/*
 * Where the bytes go, on stderr: for each implementation and allocator, its ok row at the
 * largest size (fewest carriers first), in bytes per route: struct, allocated, active,
 * resident, peak RSS - RSS before the build. The alloc_overhead chart draws the same rows.
 */
void bench_report_memory(const struct bench_cell *rows, size_t n);
/* Run plots/all.gp on dir. 0, -ENOENT without gnuplot or the scripts, or -1. */
int bench_draw_charts(const char *dir);

#endif
