/*
 * server.h - the two children of every scenario point: `routebench serve` (started once per
 * implementation and update way, its port read from its "listening on http://ADDR:PORT" line,
 * its peak RSS from wait4() when SIGTERM has drained it) and `routebench load` (one per
 * offered rate, its one CSV row read back by column name). Lesson: the figures come from the
 * same commands a person would run by hand, so every one can be reproduced by hand.
 */
#ifndef ROUTEBENCH_SCENARIO_SERVER_H
#define ROUTEBENCH_SCENARIO_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "child.h"

struct sc_server_args {
	const char *impl;              /* --impl */
	const char *const *routes;     /* one --routes per carrier */
	size_t n_routes;
	unsigned threads;              /* --threads; 0: the server's default */
	const char *update;            /* --update WAY; NULL: the server's default */
	int no_lookup;                 /* --no-lookup: answer NUMBER,0 without a table */
	const char *token_file;        /* --admin-token-file; NULL: none */
	int cpu;                       /* pin; -1: no */
	uint64_t mem_limit;            /* RLIMIT_AS; 0: none */
	double start_timeout_s;        /* until the listening line */
	const char *log_path;          /* its stdout and stderr (truncated first) */
};

struct sc_server {
	struct sc_child child;
	int port;
	char url[64];                  /* http://127.0.0.1:PORT */
};

/*
 * Start the server and wait for its listening line. 0 with *s set, or -1 with why[cap] saying
 * what went wrong (the last line of its log when it died; the child is stopped).
 */
int sc_server_start(const struct sc_server_args *a, struct sc_server *s, char *why, size_t cap);
/* SIGTERM (drain), SIGKILL after 10 s; reaped (peak RSS in s->child). 0 if it exited 0. */
int sc_server_stop(struct sc_server *s);

struct sc_load_args {
	const char *url;               /* the server's base URL */
	const char *numbers;           /* --numbers */
	double rate, duration_s;       /* --rate (0: closed loop), --duration */
	unsigned connections, batch;   /* 0: the load generator's default */
	double timeout_s;              /* --timeout per request; 0: the load generator's default */
	const char *check;             /* --check ANSWERS; NULL: none */
	const char *check_odd;         /* --check-odd ANSWERS (answers by version parity) */
	int cpu;
	const char *out_path;          /* its CSV (truncated first) */
	const char *log_path;          /* its stderr (appended) */
};

/*
 * One `load --csv` row. Latencies in microseconds. errors are requests sent and not answered
 * right (timeouts, closed, 4xx/5xx, malformed); unsent are requests that came due near the end
 * of the run and never found a free connection before it (the load generator counts them
 * among its timeouts; here they are apart).
 */
struct sc_load_row {
	double offered_rate, achieved_rate;
	uint64_t requests, errors, mismatches, unsent;
	double p50_us, p90_us, p99_us, p999_us, p9999_us, max_us;
};

/* Start a load child. 0 with *c set, or -errno. */
int sc_load_start(const struct sc_load_args *a, struct sc_child *c);
/*
 * Wait for it (killed after a->duration_s + a->timeout_s + 30 s) and read its row. 0 with
 * *row set, or -1 with why[cap] filled (the last line of its log, or why it had no row).
 */
int sc_load_finish(const struct sc_load_args *a, struct sc_child *c, struct sc_load_row *row,
		   char *why, size_t cap);

/* The last non-empty line of the file at path, at most cap - 1 bytes, into buf ("" if none). */
void sc_last_line(const char *path, char *buf, size_t cap);

#endif
