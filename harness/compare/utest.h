/*
 * utest.h - the two-sided Mann-Whitney U test on two samples of repetition times, as Google
 * Benchmark's tools/compare.py applies it (scipy.stats.mannwhitneyu). Cost: a sort of both
 * samples, plus an O(n1 * n2 * n1) table for the exact distribution of small samples. Lesson:
 * a ratio of medians says how much, the rank test says whether it is more than noise.
 */
#ifndef ROUTEBENCH_UTEST_H
#define ROUTEBENCH_UTEST_H

#include <stddef.h>

#define UTEST_MIN_REPS 2     /* below this on a side, no test at all */
#define UTEST_GOOD_REPS 9    /* below this on a side, the test has little power */
#define UTEST_EXACT_MAX 8    /* exact distribution when the smaller side has at most this */
#define UTEST_MAX_N 1024     /* the longest sample taken */
#define UTEST_EXACT_CELLS 400 /* and n1 * n2 at most this (the table is n1 n2 (n1 n2 + 1)) */

struct utest {
	double u;     /* U of the first sample: pairs (a, b) with a > b, ties counting 1/2 */
	double p;     /* two-sided p-value */
	int exact;    /* 1: exact distribution (no ties, a small side), 0: normal approximation */
};

/*
 * Test a[0..na) against b[0..nb). Exact when min(na, nb) <= UTEST_EXACT_MAX, na * nb <=
 * UTEST_EXACT_CELLS and no value is tied (scipy's method="auto", bounded); otherwise the
 * normal approximation with the tie correction of the variance and a continuity correction of
 * 0.5. 0, or -EINVAL when a side has fewer than
 * UTEST_MIN_REPS or more than UTEST_MAX_N values or a value is not finite.
 */
int utest_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct utest *out);

/* The exact two-sided p-value of U = u for sizes n1, n2 without ties: 2 min(P(U<=u),
 * P(U>=u)), at most 1. NaN when n1 * n2 is over UTEST_EXACT_CELLS. */
double utest_exact_p(double u, size_t n1, size_t n2);

/*
 * The normal approximation's two-sided p-value of U = u for sizes n1, n2, ties the sum of
 * t^3 - t over the groups of t tied values: mean n1 n2 / 2, variance n1 n2 / 12 ((n + 1) -
 * ties / (n (n - 1))), |U - mean| less 0.5 (continuity), as scipy's use_continuity=True.
 */
double utest_normal_p(double u, size_t n1, size_t n2, double ties);

#endif
