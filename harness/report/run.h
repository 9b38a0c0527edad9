/*
 * run.h - one run folder as the report reads it: the rows of cells.csv (through cell.h's
 * reader, mapped by column name when the header is another version's), meta.json (libjansson),
 * and the micro and massif runs beside it. Reading only: nothing here knows a lesson. Cost:
 * every row in memory (about 1.5 KB each). Lesson: a reader that says what it could not read
 * ("no micro run", "lacks the columns ...") lets every sentence downstream say so too.
 */
#ifndef ROUTEBENCH_REPORT_RUN_H
#define ROUTEBENCH_REPORT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "run_api.h"

#define REPORT_MAX_IMPLS 64
#define REPORT_PATH_MAX 4096

/* The machine, build and library facts meta.json records, each as its text ("" if absent). */
enum report_meta_field {
	REPORT_META_CPU,
	REPORT_META_CORES,
	REPORT_META_MEM,
	REPORT_META_KERNEL,
	REPORT_META_COMPILER,
	REPORT_META_FLAGS,
	REPORT_META_BUILD_TYPE,
	REPORT_META_COMMIT,
	REPORT_META_GLIBC,
	REPORT_META_JEMALLOC,
	REPORT_META_STARTED,
	REPORT_META_FINISHED,
	REPORT_META_COMMAND,
	REPORT_META_SOURCE,     /* "user" (bench --routes) or "generated"; "" in older runs */
	REPORT_META_SHAPE,      /* arguments.shape and arguments.seed: what generated the data */
	REPORT_META_SEED,
	/* the machine's limits (bench --machine-limits: membench.h), numbers as text */
	REPORT_META_DRAM_NS,
	REPORT_META_LLC_NS,
	REPORT_META_SEQ_READ_GB_S,
	REPORT_META_RANDOM_READ_NS,
	REPORT_META_RANDOM_CHAINS,
	REPORT_META_DRAM_BEYOND_LLC,
	REPORT_META_N
};

struct report_meta {
	/* strings as decoded (control characters as spaces), numbers and booleans as written */
	char text[REPORT_META_N][2048];
	int git_dirty; /* build.git_dirty is true */
	int complete;  /* 1 unless "complete": false (a missing key is a complete, older run) */
	char incomplete_reason[512]; /* "incomplete_reason", when complete is 0 */
	/* the user's files (datasets with "source": "user"): route files, and the numbers' */
	size_t user_carriers;
	uint64_t user_routes;        /* valid routes over all the route files */
	char user_route_files[4][64]; /* the first route files' names, without their folder */
	uint64_t user_route_counts[4];
	char user_numbers_file[64];
	uint64_t user_numbers;
};

/*
 * Parse meta.json from buf[0..len) (no terminating NUL needed) into *out. Reads the fields
 * above at the paths bench writes them (machine.cpu_model, build.compiler, ...); a field that is
 * missing, null or not a scalar stays "". 0, or -EINVAL when buf is not a JSON object.
 */
int report_meta_read(const char *buf, size_t len, struct report_meta *out);
/* The JSON path of a field ("machine.cpu_model"), for messages and tests. */
const char *report_meta_path(enum report_meta_field f);

/* One fitted family of micro-fit.csv, with what micro.csv says of its sizes. */
struct report_fit {
	char impl[32], bench[16], mode[16], big_o[16];
	double rms;         /* GB's normalised RMS error of the fit (NaN: not recorded) */
	unsigned n_sizes;   /* sizes with a median (0: no micro.csv) */
	uint64_t lo, hi;    /* the smallest and largest of them */
	double max_cv;      /* the largest cv among them (NaN: none recorded) */
	unsigned n_skipped; /* sizes skipped (a budget, a failure) */
	uint64_t skipped_n[4]; /* the first of them */
	char skipped_why[4][24]; /* "memory budget", "time budget", "failed" */
};

/* One row of massif.csv (bytes; NaN when not measured). */
struct report_massif {
	char impl[32];
	uint64_t n_routes;
	double peak, built, extra, base, base_extra, heap_bytes, struct_bytes;
	int ok, have_built;
};

/* One row of a cachesim.csv (routebench cachesim): misses per lookup, simulated. */
struct report_cachesim {
	char impl[32];
	uint64_t n_routes, lookups;
	double instr, d1, ll;   /* per lookup; NaN when not recorded */
	uint64_t ll_bytes;      /* the simulated last-level cache (0: not stated) */
	int cold;               /* of the cold query set (query_set "cold"; older files: hot) */
};

struct report_run {
	char dir[REPORT_PATH_MAX]; /* the run folder, without trailing slashes */
	struct bench_cell *rows;
	size_t n, bad_rows;        /* rows read, and rows that could not be */
	char missing_cols[512];    /* "`strategy`, `stream_points`": this build's, not the file's */
	size_t n_missing;
	char alloc[16];            /* the first row's allocator: every implementation ran under */
	int have_active;           /* some row has heap_active_bytes or heap_resident_bytes */
	char impls[REPORT_MAX_IMPLS][32]; /* the rows' implementations, registry order first */
	size_t n_impls;
	int have_meta;             /* meta.json was read */
	struct report_meta meta;
	char micro_dir[REPORT_PATH_MAX], micro_why[160];
	struct report_fit *fits;
	size_t n_fits;
	int have_micro;
	struct report_fit *fits2; /* the second run, micro_dir/run-2 (make micro runs it) */
	size_t n_fits2;
	int have_micro2;
	char massif_dir[REPORT_PATH_MAX], massif_why[160];
	struct report_massif *massif;
	size_t n_massif;
	int have_massif;
	char api_dir[REPORT_PATH_MAX]; /* the scenario run (latest-api beside dir, or --api) */
	struct report_api_run api;     /* its rows (run_api.h) */
	char cachesim_dir[REPORT_PATH_MAX], cachesim_why[160]; /* the run's, else latest-cachesim */
	struct report_cachesim *cs; /* its ok rows */
	size_t n_cs;
	int have_cachesim;
};

/*
 * Set up run for the folder dir (trailing slashes dropped) and read its cells.csv. micro and
 * massif name the profiling runs (NULL: latest-micro and latest-massif beside dir); they are
 * read by report_run_read_profiles. 0, or -errno with the reason printed (no cells.csv, not a
 * cells.csv, out of memory); run must be freed with report_run_free either way.
 */
int report_run_open(struct report_run *run, const char *dir, const char *micro,
		    const char *massif);
/* Read dir/meta.json, micro-fit.csv and massif.csv; what is missing is noted in the run. */
void report_run_read_profiles(struct report_run *run);
void report_run_free(struct report_run *run);

/* Is the run complete? Runs without meta.json, or older ones, are. */
int report_run_complete(const struct report_run *run);

/* --- CSV helpers the readers share ------------------------------------------------------- */

/* Split line (modified in place) at commas into f[cap]; "..." fields may hold commas. */
size_t report_csv_split(char *line, char **f, size_t cap);
/* The index of name among names[0..n), or -1. */
int report_csv_col(char **names, size_t n, const char *name);
/* Field col of a row of n fields: "" when the row is too short (col -1: a missing column). */
const char *report_csv_str(char **f, size_t n, int col);
/* The same field as a number: NaN when it is empty or not there. */
double report_csv_num(char **f, size_t n, int col);

/* The second micro run's folder: micro_dir/run-2. */
#define REPORT_MICRO_RUN2 "run-2"

/* Readers of the profiling runs (run_profiles.c). */
void report_read_micro(struct report_run *run);
void report_read_massif(struct report_run *run);
/* Reader of meta.json (run_meta.c): have_meta and meta. */
void report_read_meta(struct report_run *run);
/* Reader of cachesim.csv (run_cachesim.c): the run folder's own, else latest-cachesim beside
 * it; have_cachesim, cs, or cachesim_why. */
void report_read_cachesim(struct report_run *run);
/* A figure of meta.json as a number (report_meta text), or NaN when absent (run_meta.c). */
double report_meta_number(const struct report_run *run, enum report_meta_field f);
/* The cachesim row of impl at n_routes of the cold query set (cold 1) or the hot, or NULL. */
const struct report_cachesim *report_cachesim_find(const struct report_run *run,
						   const char *impl, uint64_t n_routes, int cold);

#endif
