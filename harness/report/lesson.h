/*
 * lesson.h - the figures behind REPORT.md's lessons, computed from a run's cells: totals for q
 * numbers, the crossover query count, the Pareto frontier, and a claimed big-O set against a
 * fitted one. Pure functions over rows already read; no I/O, no text. Cost: O(rows) per
 * question (the frontier O(n^2) in its points). Lesson: a sentence about the data is only as
 * right as the rule that computed it, so the rules live here, one function each, unit-tested.
 */
#ifndef ROUTEBENCH_LESSON_H
#define ROUTEBENCH_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "cell.h"

/* The implementation name of the stream strategy's rows: measured, but not a route table. */
#define LESSON_STREAM "stream"

/* c is an ok row for impl (NULL: any) under allocator alloc with k carriers. */
int lesson_usable(const struct bench_cell *c, const char *impl, const char *alloc, uint64_t k);

/* The first ok row of impl under alloc with n_routes routes and k carriers, or NULL. */
const struct bench_cell *lesson_find(const struct bench_cell *rows, size_t n, const char *impl,
				     const char *alloc, uint64_t n_routes, uint64_t k);

/*
 * Seconds to price q numbers from the route files, end to end, as the crossover charts count
 * them: the row's own parse + build + q x lookup. A figure not measured (NaN) counts as 0.
 */
double lesson_index_total_s(const struct bench_cell *c, double q);

/*
 * The same with one parse time for everyone, parse_s: parsing is the same work whatever comes
 * next. The scan counts its build too, the copy of the routes into its array, as the charts do.
 */
double lesson_shared_total_s(const struct bench_cell *c, double parse_s, double q);

/*
 * The median parse_s of the ok one-carrier rows of n_routes routes under alloc, stream rows
 * aside (each cell parses the same file: their spread is noise, and the first cell of a size
 * may read it cold). *count gets how many rows that is (may be NULL). NaN when none.
 */
double lesson_median_parse_s(const struct bench_cell *rows, size_t n, const char *alloc,
			     uint64_t n_routes, size_t *count);

/* Is c a row of the stream strategy (impl "stream": no table, times in stream_points)? */
int lesson_is_stream(const struct bench_cell *c);

/*
 * The one-carrier crossover chart's size N* (plots/cells.awk, cross_n): over the rows with one
 * carrier and status ok or mismatch, any allocator, the largest n_routes where both the stream
 * strategy and an index were measured, else the largest n_routes; 0 when there is none.
 */
uint64_t lesson_cross_size(const struct bench_cell *rows, size_t n);

enum lesson_cross_kind {
	LESSON_CROSS_FROM,   /* the index wins from first_q numbers on */
	LESSON_CROSS_ALWAYS, /* builds no slower, looks up faster: it wins from q = 1 */
	LESSON_CROSS_NEVER,  /* lookups no faster than the scan's: the scan wins for large q */
};

struct lesson_cross {
	enum lesson_cross_kind kind;
	double q;         /* break-even (FROM): (build - lin build) / (lin lookup - lookup) */
	uint64_t first_q; /* the first whole q the index is strictly cheaper: floor(q) + 1 */
};

/*
 * When does the index idx pay for its build against the scan lin? Both cost parse + build +
 * q x lookup (the scan's build is its copy of the routes into an array), with one parse time
 * for both, so it cancels: the index wins once q x (lin lookup - lookup) > build - lin build.
 * That is the crossover chart's rule with the parse noise taken out.
 */
void lesson_crossover(const struct bench_cell *lin, const struct bench_cell *idx,
		      struct lesson_cross *out);
/* Does the index win against the scan at q numbers, by the same rule? */
int lesson_cross_wins(const struct lesson_cross *c, uint64_t q);

/*
 * A stream row's stream_points ("q:seconds;q:seconds;..."): its end-to-end seconds t[i] for
 * q[i] numbers, in the order written, at most cap. Returns how many; malformed items skipped.
 */
size_t lesson_stream_points(const char *points, double *q, double *t, size_t cap);

/*
 * The Pareto frontier of points (x[i], y[i]), smaller is better on both: point i is dominated
 * when some j has x[j] <= x[i] and y[j] <= y[i], one of them strictly. on[i] is 1 for the
 * points no one dominates. beats[i] (may be NULL) counts the points i dominates. Returns how
 * many are on the frontier. O(n^2).
 */
size_t lesson_frontier(const double *x, const double *y, size_t n, int *on, size_t *beats);

/*
 * How a cost grows in n (the routes): n^deg, times log n when log is 1. deg -1: unknown.
 * O(L), O(1) and a fixed count ("2-3 loads") are n^0; O(L log n) is n^0 log n; O(n L),
 * O(n + 10^k) are n^1; O(n log n) is n^1 log n.
 */
struct lesson_order {
	int deg;
	int log;
};

/*
 * The order of part ("lookup" or "build") in a claimed complexity such as "build O(n log n),
 * lookup O(L log n), space O(n)": the clause after the word up to the next top-level comma.
 * A clause without "O(" is a fixed count (n^0). 0, or -1 when part is not there.
 */
int lesson_claimed_order(const char *complexity, const char *part, struct lesson_order *out);
/* That clause itself ("O(L log n)"), into buf[cap]. 0, or -1 when part is not there. */
int lesson_claim_clause(const char *complexity, const char *part, char *buf, size_t cap);
/* The order of a Google Benchmark fit: "(1)", "lgN", "N", "NlgN", "N^2", "N^3". 0 or -1. */
int lesson_fitted_order(const char *big_o, struct lesson_order *out);

enum lesson_verdict {
	LESSON_AGREES,  /* same power of n */
	LESSON_CACHE,   /* claimed n^0, fitted lgN: the operation count holds, the caches don't */
	LESSON_FLAG,    /* the powers of n differ */
	LESSON_UNKNOWN, /* one of the two could not be read */
};

/*
 * The rule: reduce both to their power of n, log factors aside (three or four sizes cannot
 * tell N from NlgN, nor (1) from lgN, reliably). Different powers: flag. A claim constant in n
 * fitted lgN: LESSON_CACHE, marked but not flagged.
 */
enum lesson_verdict lesson_verdict(const struct lesson_order *claimed,
				   const struct lesson_order *fitted);

#endif
