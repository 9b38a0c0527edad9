/*
 * run_api.h - a scenario run folder as the report reads it (`routebench bench --scenario
 * api|update`, results/latest-api): the rows of api.csv, update.csv and update_windows.csv,
 * each mapped by column name, and what the server's own log says of the updated carrier (its
 * table bytes and build time at start). Reading only. Cost: every row in memory (about 400
 * bytes each). Lesson: a row the reader cannot read is counted, never silently dropped.
 */
#ifndef ROUTEBENCH_REPORT_RUN_API_H
#define ROUTEBENCH_REPORT_RUN_API_H

#include <stddef.h>
#include <stdint.h>

/* The impl column of the no-lookup baseline's rows (the scenario's SC_BASELINE). */
#define REPORT_API_BASELINE "no-lookup"

/* One api.csv row: a load point against one server. Latencies in µs, NaN when empty. */
struct report_api_row {
	char impl[32], mode[8], status[16], detail[160];
	uint64_t routes, carriers, requests, errors, mismatches, unsent;
	unsigned threads, connections;
	double offered, achieved, p50, p90, p99, p999, p9999, max;
	uint64_t peak_rss, idle_rss; /* the server's bytes (0: not measured) */
	int measured;                /* the load figures are there (not a failed server) */
};

/* One update.csv row: one delta posted to carrier 1. */
struct report_update_row {
	char impl[32], way[16], status[16], detail[160];
	uint64_t routes, carriers, lines, idle_rss, peak_rss;
	unsigned update;            /* 1, 2, ... within its impl and way */
	double visible_ms, post_ms; /* NaN when not answered */
	int http_status;
};

/* One update_windows.csv row: the load of a window, quiet or with updates. */
struct report_window_row {
	char impl[32], way[16], window[16], status[16], detail[160];
	uint64_t routes, carriers, requests, errors, mismatches, unsent;
	unsigned updates;
	double offered, achieved, p50, p90, p99, p999, p9999, max;
	int measured;
};

/* What the server of one impl and way logged of carrier 1 when it started. */
struct report_serve_start {
	char impl[32], way[16];
	double routes, table_bytes, build_ms, parse_ms; /* NaN: not in the log */
};

struct report_api_run {
	char dir[4096], why[256];  /* why: what is missing ("no api.csv in DIR") */
	int have_api, have_update; /* the file was read (it may hold no row) */
	int complete;              /* meta.json's "complete" (1 when absent) */
	struct report_api_row *api;
	size_t n_api, bad_api;
	struct report_update_row *upd;
	size_t n_upd, bad_upd;
	struct report_window_row *win;
	size_t n_win, bad_win;
	struct report_serve_start *start;
	size_t n_start;
};

/*
 * Read the scenario run at dir (api.csv, update.csv, update_windows.csv, meta.json and
 * raw/serve-update-IMPL-WAY.log) into *out, which report_api_free releases whatever happened.
 * A missing file leaves have_api or have_update 0 and says so in why; out of memory leaves the
 * rows read so far.
 */
void report_api_read(const char *dir, struct report_api_run *out);
void report_api_free(struct report_api_run *r);

/* Parse a server log's "carrier 1: N routes, X MB table, parsed in P ms, built in B ms". 0/-1 */
int report_api_parse_start(const char *log, struct report_serve_start *out);

#endif
