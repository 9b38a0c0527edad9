/*
 * report.h - `routebench report`'s engine: REPORT.md and REPORT.html for one run folder, and
 * the derived figures its charts draw (crossover.csv, pareto.csv).
 *
 * The command line lives in harness/cmd/report.c; this layer reads a run's files and writes
 * the documents, every sentence computed from the run's figures.
 */
#ifndef ROUTEBENCH_REPORT_REPORT_H
#define ROUTEBENCH_REPORT_REPORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write run_dir/REPORT.md and run_dir/REPORT.html atomically, and the derived figures
 * (report_write_derived). micro and massif name the profiling runs to use (NULL: latest-micro
 * and latest-massif beside run_dir), api the scenario run of the service lessons (NULL:
 * latest-api beside run_dir). Returns the exit status: 0, or 1 when cells.csv cannot be read
 * or a file cannot be written (the reason is printed).
 */
int report_write(const char *run_dir, const char *micro, const char *massif, const char *api);

/*
 * Write run_dir/crossover.csv and run_dir/pareto.csv from its cells.csv: the figures of the
 * crossover and Pareto charts, computed by the report's rules (lesson.h), so plots/ draws and
 * never recomputes them. 0, or -errno with the reason printed.
 */
int report_write_derived(const char *run_dir);

/*
 * Write dir/palette.csv and dir/palette.gp: each implementation's colour and panel group, from
 * the registry, for the charts of a micro or massif run (a run folder gets them with its
 * derived figures). 0, or -errno with the reason printed.
 */
int report_write_palette(const char *dir);

/* A libFuzzer entry (fuzz_meta.c): data as a meta.json, through the meta.json reader. */
int report_fuzz_meta(const uint8_t *data, size_t size);

#endif
