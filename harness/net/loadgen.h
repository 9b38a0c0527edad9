/*
 * loadgen.h - an open-loop HTTP load generator for the price service: one thread, epoll,
 * C keep-alive connections with at most one request in flight each.
 *
 * Open loop: request i is due at t0 + i/R whether or not the server kept up, and its latency
 * runs from that intended time, so a request that waited for a free connection behind a
 * stalled server carries the wait (closed-loop tools lose it: coordinated omission). Rate 0
 * is closed loop at full speed, latency from the actual send. Costs per request: one write,
 * one or two reads, an O(1) histogram record; memory is O(C x batch) plus the histograms.
 */
#ifndef ROUTEBENCH_LOADGEN_H
#define ROUTEBENCH_LOADGEN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "answers.h"
#include "histogram.h"
#include "load.h"

/* Why a request, or an attempt to connect, failed. */
enum net_err {
	NET_ERR_CONNECT,   /* a reconnect failed (counted per attempt, not per request) */
	NET_ERR_TIMEOUT,   /* no full answer within the timeout, or never sent by the end */
	NET_ERR_CLOSED,    /* the server closed or reset the connection mid-request */
	NET_ERR_HTTP4XX,
	NET_ERR_HTTP5XX,
	NET_ERR_MALFORMED, /* not HTTP, a status other than 2xx/4xx/5xx, or a body of bad lines */
	NET_ERR_KINDS
};

extern const char *const net_err_names[NET_ERR_KINDS]; /* "connect", ..., "malformed" */

#define NET_LATENCY_MAX_US (48LL * 3600 * 1000000) /* the histogram's range: 2 days */

/* One second of a run, for a progress line. */
struct net_load_tick {
	unsigned second;     /* 1, 2, ... */
	uint64_t responses;  /* complete responses in that second */
	int64_t p50_us, p99_us, max_us;
	uint64_t errors;     /* so far */
	unsigned in_flight;
};

struct net_load_config {
	const struct sockaddr_storage *addr;
	socklen_t addrlen;
	const char *host;                 /* the Host header */
	const char *prefix;               /* path prefix: "" or "/api" */
	const struct ds_numbers *numbers; /* asked round-robin; at least one */
	const struct net_answers *check;  /* NULL: answers are checked for shape only */
	const struct net_answers *check_odd; /* non-NULL (batch 1): ask for JSON; an answer whose
					      * versions[0] is odd is checked against this */
	double rate;                      /* requests per second; 0 is closed loop */
	double duration_s;                /* sending stops after this */
	double timeout_s;                 /* per request, and the drain after the end */
	uint64_t max_requests;            /* 0: no limit besides the duration */
	unsigned connections;             /* 1..NET_MAX_CONNECTIONS */
	unsigned batch;                   /* numbers per request: 1 is GET, more is POST */
	const volatile sig_atomic_t *stop; /* non-zero (from a signal handler) ends the run early */
	void (*on_tick)(void *arg, const struct net_load_tick *t);
	void (*on_mismatch)(void *arg, size_t number_index, const char *want, size_t want_len,
			    const char *got, size_t got_len);
	void *arg;
};

#define NET_MAX_CONNECTIONS 4096
#define NET_MAX_BATCH 100000

struct net_load_result {
	uint64_t scheduled;  /* requests due in the run (open loop: rate x duration, capped) */
	uint64_t sent;
	uint64_t responses;  /* complete responses, whatever their status */
	uint64_t errors[NET_ERR_KINDS];
	uint64_t unsent;     /* open loop: due but never sent, every connection busy to the end
				(counted in errors[NET_ERR_TIMEOUT] too) */
	uint64_t queued;     /* open loop: requests that found every connection busy when due */
	uint64_t checked;    /* answers compared with the expected lines */
	uint64_t mismatches; /* ... and how many differed */
	int64_t max_send_lag_us; /* open loop: the latest a request went out after its due time */
	double elapsed_s;    /* first due time to the last response (or the end of sending) */
	struct net_hist latency_us; /* every complete response's latency, in microseconds */
};

/*
 * Run the load described by c into *r (r is initialised here; free it with
 * net_load_result_free whatever this returns). 0 when the run completed (errors counted),
 * or -errno when it could not start: the first connections failed (-ECONNREFUSED,
 * -ETIMEDOUT, ...), no memory, no epoll.
 */
int net_load_run(const struct net_load_config *c, struct net_load_result *r);

void net_load_result_free(struct net_load_result *r);

/* Every error, all kinds together. */
uint64_t net_load_errors(const struct net_load_result *r);

#endif
