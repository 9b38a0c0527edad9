/*
 * lesson.h - the rules behind REPORT.md's lessons and the charts, computed from a run's cells:
 * totals for q numbers, the crossover and its size, the stream strategy's curve, the allocator
 * comparison, the Pareto frontier and its size, a claimed big-O against a fitted one. Pure
 * functions over rows already read; no I/O, no text. Cost: O(rows) per question (the frontier
 * O(n^2) in its points). Lesson: a sentence or a chart is only as right as the rule that
 * computed it, so every rule lives here, once, one function each, unit-tested.
 */
#ifndef ROUTEBENCH_LESSON_H
#define ROUTEBENCH_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "cell.h"

/* The implementation name of the stream strategy's rows: measured, but not a route table. */
#define LESSON_STREAM "stream"

/* c is an ok row for impl (NULL: any but a solver row) under allocator alloc with k carriers,
 * of the hot query set: every lesson but the cold one (lesson_cold_*) reads hot rows only. */
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

/* The median of v[0..n) (sorted in place; NaN values dropped first); NaN when none. */
double lesson_median(double *v, size_t n);

/*
 * The median parse_s of the ok one-carrier rows of n_routes routes under alloc, stream rows
 * aside (each cell parses the same file: their spread is noise, and the first cell of a size
 * may read it cold). *count gets how many rows that is (may be NULL). NaN when none.
 */
double lesson_median_parse_s(const struct bench_cell *rows, size_t n, const char *alloc,
			     uint64_t n_routes, size_t *count);

/*
 * The same rows' median parse speed, parse_mb_s (route text parsed per second, 10^6 bytes):
 * at the largest file it is the parser's steady state, the parse_speed chart's reference line.
 */
double lesson_median_parse_mb_s(const struct bench_cell *rows, size_t n, const char *alloc,
				uint64_t n_routes, size_t *count);

/* Is c a row of the stream strategy (impl "stream": no table, times in stream_points)? */
int lesson_is_stream(const struct bench_cell *c);

/* The scan every index is compared with: the registry's RT_F_SCAN implementation, or NULL. */
const char *lesson_scan_name(void);
/* Is impl an index: a route table that is not the scan (stream rows are no table at all)? */
int lesson_is_index(const char *impl);
/* Was c measured, as the charts count it: status ok or mismatch (the figures are there), a
 * table or stream row (a solver row has its own lesson), of the hot query set? */
int lesson_measured(const struct bench_cell *c);

/* The structure's own bytes per route: struct_bytes / (n_routes x n_carriers); NaN if none. */
double lesson_bytes_per_route(const struct bench_cell *c);

/*
 * The largest size where impls a and b both have an ok one-carrier row under alloc, or 0: the
 * size at which two structures are compared (a ladder step, the whole ladder).
 */
uint64_t lesson_common_size(const struct bench_cell *rows, size_t n, const char *a,
			    const char *b, const char *alloc);

/*
 * One number to price: among the indexes' ok one-carrier rows of n_routes routes under alloc,
 * the one with the lowest lesson_shared_total_s at q (the first on ties), or NULL.
 */
const struct bench_cell *lesson_quickest_index(const struct bench_cell *rows, size_t n,
					       const char *alloc, uint64_t n_routes,
					       double parse_s, double q);
/* The same rows' cheapest build (the first on ties), or NULL. */
const struct bench_cell *lesson_cheapest_build(const struct bench_cell *rows, size_t n,
					       const char *alloc, uint64_t n_routes);

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
 * The break-even of an index against the scan, each costing base + q x lookup: the index wins
 * once q x (scan lookup - lookup) > base - scan base. lesson_crossover is this rule with the
 * builds as bases (one parse for both: it cancels); the crossover chart's crossings are it
 * with each cell's own parse + build (lesson_index_total_s at q = 0).
 */
void lesson_break_even(double scan_base_s, double scan_lookup_ns, double base_s,
		       double lookup_ns, struct lesson_cross *out);

/* The crossover chart's size for k carriers: lesson_cross_size over the k-carrier rows. */
uint64_t lesson_cross_size_k(const struct bench_cell *rows, size_t n, uint64_t k);

/*
 * Of rows[0..n), the one cheapest end to end at q by lesson_index_total_s (the first on ties):
 * its position, or n when n is 0.
 */
size_t lesson_cheapest(const struct bench_cell *const *rows, size_t n, double q);

/*
 * The table (any route table, the scan too) cheapest end to end at q with like's routes,
 * carriers and allocator, among the ok rows; NULL when there is none.
 */
const struct bench_cell *lesson_fastest_table(const struct bench_cell *rows, size_t n,
					      const struct bench_cell *like, double q);

/* Does the stream strategy, stream_s (< 0: not measured), beat an index's index_s (NaN: none)? */
int lesson_stream_wins(double stream_s, double index_s);

/*
 * A stream row's stream_points ("q:seconds;q:seconds;..."): its end-to-end seconds t[i] for
 * q[i] numbers, in the order written, at most cap. Returns how many; malformed items skipped.
 */
size_t lesson_stream_points(const char *points, double *q, double *t, size_t cap);

/*
 * The stream strategy's seconds for x numbers from its points (q[i], t[i]), q ascending: the
 * measured figure, on the line between the points around x (before the first: the first), or
 * past the last on the line through the last two, never falling ("extrapolated"). -1 if n is 0.
 */
double lesson_stream_time(const double *q, const double *t, size_t n, double x);

/*
 * The first q in [1, 2e7] where the index row idx, dearer than the stream strategy at q = 1,
 * becomes cheaper (lesson_index_total_s against lesson_stream_time): scanned 20 steps a decade,
 * then bisected to within 0.01%. 0 when it is cheaper from the start or never is; 0 when n is 0.
 */
double lesson_overtakes(const struct bench_cell *idx, const double *q, const double *t,
			size_t n);

/*
 * The Pareto chart's allocator: among one-carrier rows of a table (any status), glibc if the
 * run has it, else the first row's; NULL when there is none. Its size: the largest n_routes of
 * such rows under that allocator (0 if none).
 */
const char *lesson_pareto_alloc(const struct bench_cell *rows, size_t n);
uint64_t lesson_pareto_size(const struct bench_cell *rows, size_t n, const char *alloc);

/*
 * The Pareto frontier of points (x[i], y[i]), smaller is better on both: point i is dominated
 * when some j has x[j] <= x[i] and y[j] <= y[i], one of them strictly. on[i] is 1 for the
 * points no one dominates. beats[i] (may be NULL) counts the points i dominates. Returns how
 * many are on the frontier. O(n^2).
 */
size_t lesson_frontier(const double *x, const double *y, size_t n, int *on, size_t *beats);

/* Two figures within this share of the structure's bytes are "about the same". */
#define LESSON_SAME_SHARE 0.01

/*
 * The allocators impl has ok one-carrier rows under, into out[cap] (pointers into rows): first
 * first when it is among them, the others in the order of the rows. Returns how many.
 */
size_t lesson_allocs_of(const struct bench_cell *rows, size_t n, const char *impl,
			const char *first, const char **out, size_t cap);
/*
 * The size at which impl is compared across allocators: the largest n_routes where it has an
 * ok one-carrier row under alloc and under every one of others[0..nothers); 0 if none.
 */
uint64_t lesson_alloc_size(const struct bench_cell *rows, size_t n, const char *impl,
			   const char *alloc, const char *const *others, size_t nothers);
/* What the allocator adds, as a share of the structure's bytes: (heap - struct) / struct. */
double lesson_alloc_overhead(const struct bench_cell *c);
/* Does the allocator add no more than LESSON_SAME_SHARE to the structure's bytes? */
int lesson_alloc_slim(const struct bench_cell *c);
/*
 * Two allocators' heaps for one structure: (a heap - b heap) / a's struct bytes. Above
 * LESSON_SAME_SHARE b hands out fewer bytes (1), below its negative more (-1), else about as
 * many (0); *share (may be NULL) gets the figure.
 */
int lesson_alloc_compare(const struct bench_cell *a, const struct bench_cell *b, double *share);
/* Is got within share x want of want (both finite)? */
int lesson_within(double got, double want, double share);

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

/* --- the Python ladder (section_python.c) -------------------------------------------------- */
#define LESSON_PY_STEPS 7
/*
 * The step (1..7) of impls/python/ a row measures: a solver row (strategy solver) named
 * "py" + the step file's name (py4_trie_objects), as `make bench-python` names them; else 0.
 */
int lesson_python_step(const struct bench_cell *c);
/*
 * The C ladder step (rt_ladder) built like Python step py: 3-5 (a node per digit, children
 * found through a dict) ~ 1 (the naive trie, a node per digit); 6 (children made lazily) ~ 3
 * (lazy child tables); 7 (lazy ten-slot lists, the mapper) ~ 4 (lazy ten-slot tables). 1 (the
 * list scan) ~ LESSON_PY_SCAN: the RT_F_SCAN implementation. 0: no C counterpart (2, a dict).
 */
#define LESSON_PY_SCAN (-1)
int lesson_python_c_step(int py);
/* A Python row's bytes per route: heap_bytes (tracemalloc's peak) / routes; NaN if none. */
double lesson_python_bytes_per_route(const struct bench_cell *c);
/* The seed's claim about step py: its bytes per route at 10M routes (NaN: none) and the
 * change it claims against step *against (0: none) in percent. 0, or -1 when it has none. */
int lesson_python_claim(int py, double *bpr, int *against, double *change, const char **text);
/*
 * One heap under massif against the harness's figures, every figure in bytes above what the
 * process held before the table (massif's baseline run): massif's peak and finished heap (its
 * mem_heap_B: what was asked for), massif's extra at the finished heap (mem_heap_extra_B: its
 * per-block admin charge and alignment), the harness's heap_bytes (what glibc handed out:
 * requests plus headers and rounding) and struct_bytes (the structure's own accounting).
 */
struct lesson_heap {
	double peak, finished, extra, heap_bytes, struct_bytes;
};

/* Two heap figures further apart than this share are a difference the report explains. */
#define LESSON_HEAP_SHARE 0.05
/*
 * massif charges a block 16 bytes (--heap-admin) plus its alignment, glibc 8 plus its rounding:
 * at most about 3 times as much. An extra more than this many times glibc's overhead is no
 * admin charge but slack: a block shrunk by realloc, which under valgrind keeps its old size.
 */
#define LESSON_SLACK_RATIO 4.0

/* Why a massif row's figures differ by more than LESSON_HEAP_SHARE (bits of a mask). */
enum lesson_heap_reason {
	LESSON_HEAP_TRANSIENT = 1,   /* peak above the finished heap: the build's temporaries */
	LESSON_HEAP_PEAK_LATE = 2,   /* massif's peak snapshot below the finished heap */
	LESSON_HEAP_ADMIN = 4,       /* massif's finished heap + extra above heap_bytes: admin */
	LESSON_HEAP_SLACK = 8,       /* the same, by far more than admin: a shrinking realloc */
	LESSON_HEAP_ROUNDING = 16,   /* below heap_bytes: glibc's rounding costs more */
	LESSON_HEAP_ACCOUNTING = 32, /* the finished heap against struct_bytes */
};

/*
 * The reasons for h's differences: TRANSIENT when the peak is more than LESSON_HEAP_SHARE above
 * the finished heap, PEAK_LATE when it is below it (massif keeps a peak snapshot only when the
 * heap passes the last by --peak-inaccuracy); finished + extra against heap_bytes beyond the
 * share: above it SLACK when the extra is over LESSON_SLACK_RATIO times glibc's own overhead
 * (heap_bytes - finished), else ADMIN, below it ROUNDING; ACCOUNTING when the finished heap and
 * struct_bytes differ by more than the share. Figures that are not finite are left out.
 */
unsigned lesson_heap_reasons(const struct lesson_heap *h);

/* A fit is judged only over at least this many sizes... */
#define LESSON_FIT_MIN_SIZES 6
/* ...with a normalised RMS error below this share in each run... */
#define LESSON_FIT_RMS_MAX 0.10
/* ...and only when a second run fits the same power of n (make micro runs two). */

/* One run's fit of one family, as lesson_fit_state needs it. */
struct lesson_fit {
	const char *big_o; /* GB's class ("NlgN"); NULL: no fit in this run */
	double rms;        /* GB's normalised RMS error; NaN: not recorded */
	unsigned n_sizes;  /* sizes fitted; 0: not recorded */
};

enum lesson_fit_state {
	LESSON_FIT_NONE,    /* no fit in the first run */
	LESSON_FIT_FEW,     /* a run fitted fewer than LESSON_FIT_MIN_SIZES sizes (or unknown) */
	LESSON_FIT_POOR,    /* a run's RMS error is LESSON_FIT_RMS_MAX or more (or unknown) */
	LESSON_FIT_ONCE,    /* a good fit, but no second run to repeat it */
	LESSON_FIT_DIFFER,  /* both runs fit well, to different powers of n */
	LESSON_FIT_REPEATS, /* both runs fit well, to the same power of n: judged */
};

/*
 * May a family's fit be compared with its claim? a is the first run's fit, b the second's (NULL
 * or b->big_o NULL: no second run). The first reason that applies, in the enum's order; only
 * LESSON_FIT_REPEATS is judged by lesson_verdict (log factors aside, as it compares).
 */
enum lesson_fit_state lesson_fit_state(const struct lesson_fit *a, const struct lesson_fit *b);

/* --- hot and cold numbers (lesson_cold.c) ------------------------------------------------- */

/* The first ok one-carrier row of impl at n_routes under alloc of the cold query set (cold 1)
 * or the hot one (cold 0), or NULL. */
const struct bench_cell *lesson_find_qs(const struct bench_cell *rows, size_t n,
					const char *impl, const char *alloc, uint64_t n_routes,
					int cold);
/* The largest n_routes with an ok one-carrier cold row of an index under alloc, or 0. */
uint64_t lesson_cold_size(const struct bench_cell *rows, size_t n, const char *alloc);
/* Is impl another project's library (RT_F_PEER)? Unregistered names are not. */
int lesson_is_peer(const char *impl);
/*
 * A lookup in DRAM misses' worth: ns / dram_ns, the time of that many dependent loads from
 * memory (membench's plateau beyond the LLC). NaN when either is not a positive figure.
 */
double lesson_dram_misses(double ns, double dram_ns);
/*
 * The time the cache misses of one lookup imply: ll_misses x dram_ns, each last-level miss
 * paid at the measured latency of one dependent load from DRAM (no overlap). NaN when either
 * figure is missing; 0 misses is a bound of 0.
 */
double lesson_miss_bound_ns(double ll_misses, double dram_ns);
/*
 * How close a lookup is to the bound its misses imply: ns / bound (1.5 or less is the issue's
 * target). NaN when the bound is not positive (no misses: nothing to bound it by).
 */
double lesson_bound_ratio(double ns, double bound_ns);
/* Why a cold lookup is where it is against its DRAM bound (lesson_bound_why). */
enum lesson_bound_why {
	LESSON_BOUND_UNKNOWN,    /* no cold time, no miss count or no DRAM latency */
	LESSON_BOUND_HOT_SET,    /* the misses are the hot set's, not the cold's: not judged */
	LESSON_BOUND_FITS,       /* under few_misses LL misses: the LL holds the table */
	LESSON_BOUND_WITHIN,     /* cold / bound in [1, target] */
	LESSON_BOUND_OVERLAPPED, /* under 1: misses overlapped (out-of-order execution) */
	LESSON_BOUND_WORK,       /* over target: its hot lookup (its own work) alone >= the bound */
	LESSON_BOUND_ADDED,      /* over target, within it of bound + hot: work added to misses */
	LESSON_BOUND_UNEXPLAINED /* over target even against bound + hot */
};
/*
 * The rule of the DRAM-bound column, first that applies: UNKNOWN when cold_ns, ll_misses or
 * dram_ns is not a figure; HOT_SET when hot_set_misses (the count is of the hot set, which
 * misses less: neither fitting nor a ratio can be judged by it); FITS when ll_misses <
 * few_misses; WITHIN when cold / bound is in [1, target]; OVERLAPPED under 1; then (over
 * target) WORK when hot_ns (NaN: none) >= the bound; ADDED when cold <= target x (bound +
 * hot_ns); UNEXPLAINED otherwise (or with no hot_ns).
 */
enum lesson_bound_why lesson_bound_why(double cold_ns, double ll_misses, double dram_ns,
				       double hot_ns, int hot_set_misses, double few_misses,
				       double target);
/* The parser's speed as a share of sequential read bandwidth: mb_s / (gb_s x 1000). NaN
 * when either is not a positive figure. */
double lesson_parse_share(double parse_mb_s, double seq_read_gb_s);

#endif
