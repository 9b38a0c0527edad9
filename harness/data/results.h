/*
 * results.h - a benchmark run on disk: results/<UTC timestamp>/ (or --out DIR) holding
 * cells.csv, meta.json and the charts, with a `latest` symlink beside it that only ever points
 * at a run that finished.
 *
 * cells.csv only grows by whole rows (one write() each, O_APPEND) and meta.json is replaced
 * atomically, so an interrupted run leaves complete rows and a consistent description, which
 * says "complete": false and why until the run is over.
 */
#ifndef ROUTEBENCH_RESULTS_H
#define ROUTEBENCH_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "deck.h"
#include "membench.h"
#include "sysinfo.h"

struct bench_results {
	char dir[4096];
	int fd;          /* cells.csv, open for appending */
};

/* One dataset file (generated, the user's, or a sample of the user's), as meta.json says it. */
struct bench_dataset {
	char kind[8];    /* "routes" or "numbers" */
	char source[8];  /* "" generated, "user" a file the user gave, "sample" cut from one */
	uint64_t count, seed;
	unsigned carrier;
	char shape[16];
	double hit_ratio;
	char path[4096];
	uint64_t bytes;
	char sha256[65]; /* "" if it could not be computed */
	struct ds_deck_scan scan; /* source "user": its lines, records and skipped lines */
	char sample_of[4096];     /* source "sample": the user's file it was cut from */
};

/* Everything meta.json says about a run. */
struct bench_meta {
	char started[32], finished[32]; /* ISO 8601 UTC; finished is "" while running */
	int complete;                   /* every cell ran: the only runs `latest` points at */
	char incomplete_reason[512];    /* while not complete: how far it got, and why it stopped */
	char command[2048];
	char source[16];                /* "user": the datasets are the user's; "": generated */
	char impls[512], sizes[512], carriers[128], allocators[64], shape[16];
	char allocator_impls[512]; /* impls measured under every allocator, not just the first */
	char strategies[16];       /* "index", "stream" or "index,stream" */
	char query_sets[16];       /* --query-set: "hot", "cold" or "hot,cold" */
	uint64_t cold_queries;     /* --cold-queries: the cold set's size */
	uint64_t queries, reps, seed, mem_limit;
	double budget_s, hit_ratio;
	char cache_dir[4096];
	struct bench_dataset *datasets;
	size_t n_datasets;
	uint64_t driver_rss, driver_hwm; /* the forking process: see spawn.c */
	size_t counts[BENCH_N_STATUS];
	struct bench_sysinfo sys;
	struct membench limits; /* `machine --quick`'s figures, with bench --machine-limits */
	int have_limits;
};

/*
 * Create the run folder (out, or results/<UTC timestamp> when out is NULL) and start cells.csv
 * with its header. A folder that already holds a cells.csv is refused. 0, or -errno after
 * printing why. `latest` is left alone: see bench_results_link_latest.
 */
int bench_results_open(struct bench_results *r, const char *out);
/* Point `latest` in the run folder's parent at it (atomically). For a run that completed. */
int bench_results_link_latest(const struct bench_results *r);
/* Point <dir's parent>/name (e.g. latest-api) at dir, relative, atomically. 0 or -errno. */
int bench_link_beside(const char *dir, const char *name);
/* Append one row with a single write(). 0 or -errno. */
int bench_results_append(struct bench_results *r, const struct bench_cell *c);
/* fsync and close cells.csv. 0 or -errno. */
int bench_results_close(struct bench_results *r);

/* Write dir/meta.json atomically. 0 or -errno. */
int bench_meta_write(const char *dir, const struct bench_meta *m);

/*
 * Record a dataset file in m's datasets (its size and sha256 read now), once per path (and
 * carrier, for routes); the shape is m's. A failed allocation leaves it unrecorded (meta.json
 * is a description, not a result).
 */
void bench_meta_add_dataset(struct bench_meta *m, const char *kind, uint64_t count,
			    uint64_t seed, unsigned carrier, double hit_ratio, const char *path);
/*
 * The same for a file the user gave (--routes, --numbers; source "user"): count is its valid
 * records, and meta.json also says its lines and skipped lines from *scan.
 */
void bench_meta_add_source(struct bench_meta *m, const char *kind, unsigned carrier,
			   const char *path, const struct ds_deck_scan *scan);
/* The same for a sample of count records cut with seed from the user's file sample_of. */
void bench_meta_add_sample(struct bench_meta *m, const char *kind, uint64_t count,
			   uint64_t seed, unsigned carrier, const char *path,
			   const char *sample_of);
/* The current UTC time as "2024-05-01T12:00:00Z" into buf[32]. */
void bench_utc_now(char buf[32]);

#endif
