/*
 * gbench_shim.h - Google Benchmark from C: register named benchmarks with a C callback and a
 * context pointer, drive the keep-running loop from C, and read every result back.
 *
 * One C++ file (gbench_shim.cc) wraps benchmark::State and internal::Benchmark behind opaque
 * handles; a call costs one non-inlined function call, so timed loops should use the batched
 * gb_keep_running_batch(). Lesson: a C harness can borrow a C++ measuring tool without itself
 * becoming C++, as long as the boundary is thin, exception-free and owns no C memory.
 */
#ifndef ROUTEBENCH_GBENCH_SHIM_H
#define ROUTEBENCH_GBENCH_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gb_state; /* a running benchmark: benchmark::State */
struct gb_bench; /* a registered family: benchmark::internal::Benchmark */

/* The benchmark body: set up (untimed), then `while (gb_keep_running(st)) { ... }`. */
typedef void (*gb_fn)(struct gb_state *st, void *ctx);

/* Asymptotic complexity for gb_bench_complexity (GB's BigO, same order). */
enum gb_big_o { GB_O_NONE, GB_O_1, GB_O_N, GB_O_N_SQUARED, GB_O_N_CUBED, GB_O_LOG_N,
		GB_O_N_LOG_N, GB_O_AUTO };

enum gb_time_unit { GB_NS, GB_US, GB_MS, GB_S };

/* Counter flags (GB's Counter::Flags, same bits). */
#define GB_COUNTER_DEFAULT 0u
#define GB_COUNTER_RATE 1u             /* divide by the run's seconds */
#define GB_COUNTER_AVG_ITERATIONS 8u   /* divide by the iterations */

/* --- registration (before gb_run) ------------------------------------------------------- */

/* Register fn(st, ctx) as the family `name` (copied). The handle, or NULL (out of memory). */
struct gb_bench *gb_register(const char *name, gb_fn fn, void *ctx);
/* Each returns b, so calls chain; b NULL is a no-op returning NULL. */
struct gb_bench *gb_bench_arg(struct gb_bench *b, int64_t x);     /* one run with x: ".../x" */
struct gb_bench *gb_bench_range(struct gb_bench *b, int64_t lo, int64_t hi); /* lo..hi, x8 */
struct gb_bench *gb_bench_range_multiplier(struct gb_bench *b, int mult);
struct gb_bench *gb_bench_repetitions(struct gb_bench *b, int n);
/* Report only mean, median, stddev and cv of the repetitions (all reporters). GB then drops
 * failed runs from every report: the hook and the JSON file see no error. */
struct gb_bench *gb_bench_aggregates_only(struct gb_bench *b);
/* The same for the display reporter (console and the hook) only: the --benchmark_out file
 * keeps every repetition and every failed run. */
struct gb_bench *gb_bench_display_aggregates_only(struct gb_bench *b);
/* Fit the runs of this family to big_o (GB_O_AUTO: the best of 1, lgN, N, NlgN, N^2, N^3). */
struct gb_bench *gb_bench_complexity(struct gb_bench *b, enum gb_big_o big_o);
struct gb_bench *gb_bench_min_time(struct gb_bench *b, double seconds); /* overrides the flag */
struct gb_bench *gb_bench_iterations(struct gb_bench *b, int64_t n);
struct gb_bench *gb_bench_unit(struct gb_bench *b, enum gb_time_unit unit);
struct gb_bench *gb_bench_use_real_time(struct gb_bench *b);

/* Add "key": "value" to the context block of the JSON output. */
void gb_add_context(const char *key, const char *value);

/* --- inside the callback ------------------------------------------------------------------ */

/* Nonzero while another iteration should run; the timer runs from the first call on. */
int gb_keep_running(struct gb_state *st);
/* Nonzero while n more iterations should run (may overshoot the target by up to n). */
int gb_keep_running_batch(struct gb_state *st, int64_t n);
int64_t gb_state_arg(const struct gb_state *st, size_t i); /* the i-th argument of this run */
int64_t gb_state_iterations(const struct gb_state *st);    /* iterations run so far */
void gb_pause_timing(struct gb_state *st);
void gb_resume_timing(struct gb_state *st);
/* After the loop: items per second, and N for the complexity fit. */
void gb_set_items_processed(struct gb_state *st, int64_t items);
void gb_set_complexity_n(struct gb_state *st, int64_t n);
/* A user counter (name copied), flags GB_COUNTER_*. */
void gb_set_counter(struct gb_state *st, const char *name, double value, unsigned flags);
void gb_set_label(struct gb_state *st, const char *label);
/* Mark this run as failed with msg; the callback should return without entering the loop. */
void gb_skip_with_error(struct gb_state *st, const char *msg);

/* Keep a value the compiler must assume is read (GB's DoNotOptimize / ClobberMemory). */
static inline void gb_do_not_optimize(const void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static inline void gb_do_not_optimize_u64(uint64_t v)
{
	__asm__ __volatile__("" : : "r"(v) : "memory");
}

static inline void gb_clobber_memory(void)
{
	__asm__ __volatile__("" : : : "memory");
}

/* --- running ------------------------------------------------------------------------------ */

enum gb_run_kind {
	GB_RUN_ITERATION, /* one repetition */
	GB_RUN_AGGREGATE, /* mean, median, stddev, cv over the repetitions */
	GB_RUN_BIG_O,     /* the family's fit: time = coefficient * big_o(N) */
	GB_RUN_RMS,       /* the fit's normalised root-mean-square error */
};

/* One reported run, valid only during the hook call. */
struct gb_result {
	const char *name;        /* "BM_Lookup/lazytrie/hit/1000000" (no aggregate suffix) */
	const char *family;      /* "BM_Lookup/lazytrie/hit": the registered name */
	const char *args;        /* "1000000": this run's arguments, '/'-separated ("" for BigO) */
	enum gb_run_kind kind;
	const char *aggregate;   /* "mean", "median", "stddev", "cv", "BigO", "RMS" or "" */
	int aggregate_is_ratio;  /* real_ns and cpu_ns are a fraction (cv: stddev / mean) */
	int64_t iterations;
	int64_t repetitions;
	double real_ns, cpu_ns;  /* per iteration; BIG_O: ns per big_o(N); RMS: a fraction */
	int64_t complexity_n;
	const char *big_o;       /* BIG_O, RMS: "(1)", "lgN", "N", "NlgN", "N^2", "N^3"; else "" */
	const char *label;
	const char *error;       /* NULL, or why the run failed (gb_skip_with_error) */
	size_t n_counters;
	const char *const *counter_names; /* sorted by name */
	const double *counter_values;     /* as reported: rates already divided */
};

typedef void (*gb_result_fn)(const struct gb_result *r, void *ctx);

/* Call fn(r, ctx) for every run the display reporter is given (after aggregation filters). */
void gb_set_result_hook(gb_result_fn fn, void *ctx);

/*
 * Parse the --benchmark_* flags in argv[1..argc) and run every registered benchmark that matches
 * --benchmark_filter, reporting as GB does (console or --benchmark_format, and the
 * --benchmark_out file). --help prints GB's flags and exits. Returns the number of benchmarks
 * run, or -EINVAL (message printed) when an argument is not a GB flag.
 */
int gb_run(int argc, char **argv);

/* Print GB's own command-line flags to stdout. */
void gb_print_flags(void);

/* Unregister every benchmark (handles become invalid). */
void gb_clear(void);

/* Free GB's global state (the JSON context) once, at the end: no gb_* call may follow. */
void gb_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif
