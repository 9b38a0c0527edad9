/*
 * derived.h - the figures the charts draw that a rule computes, written once, in C, beside the
 * run's cells.csv: crossover.csv (each crossover chart's lines, the stream strategy's points
 * and extrapolation, the crossings, the scenarios' winners) and pareto.csv (the Pareto chart's
 * points and frontier). plots/ draws them and computes nothing. Lesson: a chart and a sentence
 * that apply one rule cannot disagree.
 */
#ifndef ROUTEBENCH_REPORT_DERIVED_H
#define ROUTEBENCH_REPORT_DERIVED_H

#include <stdio.h>

#include "run.h"

/*
 * Write run->dir/crossover.csv, pareto.csv, panels.csv, allocator.csv and the palette
 * (palette.h) atomically.
 * 0, or -errno (printed).
 */
int report_derived_write(const struct report_run *run);

/* panels.csv's text (panels.c): which series each panel of the size and crossover charts draws. */
int report_panels_fill(const struct report_run *run, FILE *f);

#endif
