/*
 * derived.h - the figures the charts draw that a rule computes, written once, in C, beside the
 * run's cells.csv: crossover.csv (each crossover chart's lines, the stream strategy's points
 * and extrapolation, the crossings, the scenarios' winners) and pareto.csv (the Pareto chart's
 * points and frontier). plots/ draws them and computes nothing. Lesson: a chart and a sentence
 * that apply one rule cannot disagree.
 */
#ifndef ROUTEBENCH_REPORT_DERIVED_H
#define ROUTEBENCH_REPORT_DERIVED_H

#include "run.h"

/* Write run->dir/crossover.csv and run->dir/pareto.csv atomically. 0, or -errno (printed). */
int report_derived_write(const struct report_run *run);

#endif
