/*
 * compare.h - run against run: the cells of two run folders matched by what they measured,
 * their ratios B/A, a rank test on the per-repetition lookup samples, and the two runs' meta
 * side by side. Cost: both runs' rows in memory, one U test per matched cell. Lesson: "B is
 * 7% slower" means nothing until the reps say it is more than the noise between runs.
 */
#ifndef ROUTEBENCH_COMPARE_H
#define ROUTEBENCH_COMPARE_H

#include <stdio.h>

#include "run.h"
#include "utest.h"

struct compare_opts {
	double threshold_pct; /* a significant lookup slowdown over this % regresses; NaN: none */
	double alpha;         /* significance level of the U test */
	int csv;              /* CSV for machines instead of Markdown */
	int allow_incomplete; /* compare runs whose meta.json says "complete": false */
};

/* One matched (both set) or unmatched (one NULL) cell, and what was found. */
struct compare_cell {
	const struct bench_cell *a, *b;
	double build, lookup, rss, bpr; /* ratios B/A; NaN when a side lacks the figure */
	size_t na, nb;                  /* lookup samples on each side */
	int tested;                     /* the U test ran: ut holds it */
	struct utest ut;
	int significant, regressed;
	char verdict[64];
};

struct compare_result {
	struct report_run a, b;
	struct compare_cell *cells; /* matched first, in A's order, then A's only, then B's only */
	size_t n, n_matched, n_only_a, n_only_b;
	size_t n_regressed, n_few; /* regressions; tested cells with under UTEST_GOOD_REPS a side */
};

/*
 * Read both run folders and compare them into *r (freed with compare_free, whatever the
 * return). 0; -EINVAL for an unreadable run or, without allow_incomplete, an incomplete one
 * (the reason printed to stderr); -ENOMEM.
 */
int compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		 struct compare_result *r);
void compare_free(struct compare_result *r);

/* Print r as Markdown (or CSV with o->csv) to out; meta warnings in CSV mode go to warn. */
void compare_print(const struct compare_result *r, const struct compare_opts *o, FILE *out,
		   FILE *warn);

#endif
