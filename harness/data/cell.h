/*
 * cell.h - one benchmark cell: an implementation measured on one dataset, and its CSV row.
 *
 * A single table of columns drives the header, the row writer, the row reader (the parent reads
 * its child's row back) and the column documentation in meta.json, so they cannot drift apart.
 * Cost: one fixed-size struct per cell, a row is under 1 KiB. Lesson: a failed measurement is
 * still a row, with a status, and nothing is ever silently dropped.
 */
#ifndef ROUTEBENCH_CELL_H
#define ROUTEBENCH_CELL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What became of a cell. The names are the `status` column. */
enum bench_status {
	BENCH_OK,       /* measured, answers agree */
	BENCH_OOM,      /* out of memory: -ENOMEM under the limit, or killed by the kernel */
	BENCH_TIMEOUT,  /* killed after the time budget */
	BENCH_CRASH,    /* any other signal, or a bad exit */
	BENCH_MISMATCH, /* measured, but its checksum disagrees with earlier rows */
	BENCH_SKIPPED,  /* not run: the same implementation failed at a smaller size */
	BENCH_N_STATUS
};

#define BENCH_ROW_MAX 3072        /* longest header or row, with its newline */
#define BENCH_CHECKPOINTS_MAX 400 /* "1:<16 hex>;10:<16 hex>;...": 13 fit with 10^12 numbers */
#define BENCH_POINTS_MAX 400      /* "1:0.012345678;10:...": 13 fit with 10^12 numbers */
#define BENCH_SAMPLES_MAX 64      /* per-rep lookup times kept in a row: the first 64 reps */
#define BENCH_SAMPLES_CHARS 704   /* "12.34;12.56;...": 64 samples of up to 10 characters */

/* A signed figure that was not measured; it prints as an empty field. */
#define BENCH_UNMEASURED INT64_MIN

/*
 * One row of cells.csv. Times that were not measured are NaN and the heap_*_bytes figures
 * after heap_bytes are BENCH_UNMEASURED, both printing as empty fields; counts that were not
 * measured are 0.
 */
struct bench_cell {
	char impl[32];
	char allocator[16];        /* the allocator that actually served the cell */
	uint64_t n_routes;         /* routes per carrier */
	uint64_t n_carriers;
	uint64_t n_queries;        /* numbers priced per timed pass: a checkpoint (checksum.h) */
	double parse_s;            /* loading every route file: read + parse, not the table */
	double build_s;            /* create + insert every route + finalize, all carriers */
	double lookup_ns;          /* median over reps of the time to price one number */
	uint64_t peak_rss_bytes;   /* the child's ru_maxrss from wait4(), KiB * 1024 */
	uint64_t baseline_rss_bytes; /* the child's RSS just before the build (routes parsed) */
	int64_t heap_bytes;        /* allocator bytes in use after the build minus before it */
	uint64_t struct_bytes;     /* sum over carriers of rt_stats().total_bytes */
	double bytes_per_route;    /* struct_bytes / (n_routes * n_carriers) */
	uint64_t nodes;            /* sum over carriers of rt_stats().nodes */
	uint64_t checksum;         /* answer hash over the first n_queries numbers */
	enum bench_status status;
	double destroy_s;          /* destroying every table */
	uint64_t prefixes;         /* sum over carriers of rt_stats().prefixes */
	uint64_t route_bytes_parsed; /* bytes of route text parsed in parse_s */
	double parse_mb_s;         /* route_bytes_parsed / parse_s / 10^6 */
	double lookup_cv;          /* coefficient of variation of the reps' lookup_ns */
	uint64_t lookups_timed;    /* numbers priced in all timed passes together */
	uint64_t reps;
	uint64_t queries_total;    /* numbers available; n_queries < queries_total is a sample */
	char checkpoints[BENCH_CHECKPOINTS_MAX]; /* "m:hash;..." for every checkpoint reached */
	uint64_t mem_limit_bytes;  /* RLIMIT_AS applied in the child; 0 = none */
	uint64_t inherited_maxrss_bytes; /* ru_maxrss right after exec: the floor of peak_rss */
	char allocator_version[96];
	double wall_s;             /* fork to reap, as the parent saw it */
	char detail[128];          /* why a cell failed, in a few words; empty when ok */
	/* The allocator's other figures (allocator.h): after the build minus before, as heap_bytes */
	int64_t heap_active_bytes;   /* pages backing the objects (glibc: = heap_bytes) */
	int64_t heap_resident_bytes; /* bytes held from the OS, free ones included; upper bound */
	int64_t heap_metadata_bytes; /* jemalloc's own structures (glibc: 0) */
	/* How the numbers were priced: "index" (impl's table per carrier) or "stream" (stream.h) */
	char strategy[8];
	char stream_points[BENCH_POINTS_MAX]; /* stream: "q:seconds;...", end to end per point */
	/* index: each rep's lookup_ns in rep order, "ns;ns;...", the first BENCH_SAMPLES_MAX */
	char lookup_samples[BENCH_SAMPLES_CHARS];
	/* Which numbers were looked up: "hot" (a few thousand, repeated) or "cold" (distinct) */
	char query_set[8];
	double batch_lookup_ns;    /* as lookup_ns, the numbers through rt_lookup_batch */
};

#define BENCH_QUERY_HOT "hot"
#define BENCH_QUERY_COLD "cold"
#define BENCH_COLD_MIN 1000000ULL /* the smallest cold set the report counts as cold */
/* Is row c of the cold query set? (Rows of older runs, without the column, are hot.) */
int bench_cell_is_cold(const struct bench_cell *c);

/* Status name ("ok", "oom", ...), and back: 0, or -1 for an unknown name. */
const char *bench_status_name(enum bench_status s);
int bench_status_parse(const char *name, enum bench_status *out);

/* A cell with every time NaN, every count 0, status crash, strategy index and the given
 * identity. */
void bench_cell_init(struct bench_cell *c, const char *impl, const char *allocator);

/* Write detail with printf formatting; commas and newlines become ';' and ' '. */
void bench_cell_detail(struct bench_cell *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The header line and a row, each with its '\n', into buf[cap]. Return the length. */
size_t bench_cell_header(char *buf, size_t cap);
size_t bench_cell_format(const struct bench_cell *c, char *buf, size_t cap);

/* Read a row (with or without its '\n') written by bench_cell_format. 0 or -EINVAL. */
int bench_cell_parse(const char *line, struct bench_cell *c);

/* The i-th column's name and one-line meaning; NULL past the last column. */
const char *bench_column_name(size_t i, const char **doc);
/* Is the i-th column optional, its absence from an older file not worth a word? 1 or 0. */
int bench_column_optional(size_t i);

/*
 * The samples v[0..n) as "ns;ns;..." (2 decimals) into buf[cap], as many as fit whole, at most
 * BENCH_SAMPLES_MAX; non-finite ones are skipped. Return how many were written.
 */
size_t bench_samples_format(char *buf, size_t cap, const double *v, size_t n);
/* Parse "ns;ns;..." into v[cap]: *n samples. "" is 0 samples. 0, or -EINVAL (bad or > cap). */
int bench_samples_parse(const char *s, double *v, size_t cap, size_t *n);

#endif
