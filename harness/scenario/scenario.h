/*
 * scenario.h - `routebench bench --scenario api|update`: the course's pricing service under
 * load (scenario 4) and under route updates (scenario 5), each point one `serve` child and
 * one `load` child pinned to their own cores. Writes api.csv, update.csv, update_windows.csv,
 * update_rss.csv and meta.json into one run folder. Lesson: a lookup of 40 ns is invisible
 * behind an HTTP request of 40 us; the no-lookup baseline says how much of a request is the
 * lookup, and the hockey stick says where queueing takes over.
 */
#ifndef ROUTEBENCH_SCENARIO_H
#define ROUTEBENCH_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "results.h"
#include "route_table.h"

#define SC_MAX_IMPLS 64
#define SC_MAX_CARRIERS 16
#define SC_SPIKE_RATE (10000.0 / 60.0) /* the course's spike: 10,000 requests a minute */
#define SC_BASELINE "no-lookup"        /* the impl column of the baseline's rows */

struct sc_config {
	const struct route_table_ops *impls[SC_MAX_IMPLS];        /* api */
	size_t n_impls;
	const struct route_table_ops *update_impls[SC_MAX_IMPLS]; /* update */
	size_t n_update_impls;
	int api, update, baseline, plots;
	uint64_t routes, carriers, queries, seed;
	double hit_ratio;
	enum ds_shape shape;
	double point_s, closed_s, window_s; /* open-loop point, closed-loop point, update window */
	double fraction;                    /* share of carrier 0's prefixes per delta */
	unsigned threads, connections, batch;
	double timeout_s;                   /* the load generator's --timeout per request */
	uint64_t mem_limit;
	double start_timeout_s;
	const char *cache, *out, *answers; /* answers: check against this file, not price's */
};

/* One scenario run: its folder, its datasets and what meta.json says about it. */
struct sc_run {
	const struct sc_config *cfg;
	char dir[4096];
	char routes[SC_MAX_CARRIERS][4096], numbers[4096], answers[4096];
	const char *route_ptrs[SC_MAX_CARRIERS];
	int cpus[2], n_cpus;   /* server on cpus[0], load on cpus[1] (when n_cpus is 2) */
	struct bench_meta meta;
	double max_rate[SC_MAX_IMPLS]; /* closed-loop maximum of cfg->impls[i] (0: not run) */
};

/*
 * Make the run folder (cfg->out, or results/<UTC>-api with results/latest-api pointing at
 * it), the datasets (cached) and the answers (price, cached), and write meta.json. 0, or -1
 * after printing why.
 */
int sc_run_open(struct sc_run *run, const struct sc_config *cfg, int argc, char **argv);
/* Finish meta.json and draw the charts (plots/api.gp). 0, or -1 if meta.json failed. */
int sc_run_close(struct sc_run *run);

/* Scenario 4: api.csv. 0, or -1 when the run cannot go on (a failed server is a row). */
int sc_api(struct sc_run *run);
/* Scenario 5: update.csv, update_windows.csv, update_rss.csv. 0, or -1 as sc_api. */
int sc_update(struct sc_run *run);

/* Record a dataset in meta.json (size and sha256), once per path. */
void sc_note_dataset(struct sc_run *run, const char *kind, uint64_t count, unsigned carrier,
		     const char *path);
/*
 * Make (or find in the cache, beside the numbers) price's answers for routes[0..k) and the
 * numbers, named answers-NUMBERS-kK<tag>.txt, path into out. 0 or -1.
 */
int sc_answers(struct sc_run *run, const char *const *routes, size_t k, const char *tag,
	       char *out, size_t cap);
/* Make s one CSV field in place: commas and line breaks become spaces, quotes apostrophes. */
void sc_csv_clean(char *s);
/* Open dir/name for appending and write header if it is new. NULL after printing why. */
FILE *sc_csv_open(const struct sc_run *run, const char *name, const char *header);

#endif
