/*
 * http.h - the HTTP/1.1 front of `serve`, on libmicrohttpd: a fixed pool of threads, each
 * an epoll loop, so an idle keep-alive or a slow client costs a socket, not a thread; bounded
 * requests, bodies, connections and idle time; updates handed to the writer thread.
 */
#ifndef ROUTEBENCH_SERVE_HTTP_H
#define ROUTEBENCH_SERVE_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "carriers.h"

struct serve_http_config {
	const char *bind;        /* an IPv4 or IPv6 address literal */
	unsigned port;           /* 0: the kernel picks a free one */
	unsigned threads;        /* MHD's thread pool, one epoll loop each */
	size_t max_body;         /* bytes; a larger body is answered 413 */
	size_t conn_memory;      /* MHD's per-connection memory: headers and buffers */
	unsigned timeout_s;      /* an idle connection is closed after this */
	unsigned max_conns;      /* connections at once; more are refused at accept */
	const char *token;       /* the admin token, or NULL: updates refused (403) */
	const char *update_mode; /* "rebuild" or "inplace", for /stats */
	FILE *log;               /* SIGHUP reload results, or NULL */
	int no_lookup;           /* GET /price answers NUMBER,0, no table touched (a baseline) */
};

struct serve_http;

/*
 * Listen and serve s with cfg (copied; the strings must outlive the server). 0 with *out set
 * and *port the port bound, or -1 with why[0..cap) saying what failed.
 */
int serve_http_start(struct serve_state *s, const struct serve_http_config *cfg,
		     struct serve_http **out, unsigned *port, char *why, size_t cap);
/* Queue a reload of every carrier's file (SIGHUP); the results go to cfg->log. */
void serve_http_reload_all(struct serve_http *h);
/*
 * Stop accepting, let the requests in flight finish (at most drain_s seconds), run the
 * queued updates, close every connection and free h.
 */
void serve_http_stop(struct serve_http *h, unsigned drain_s);

#endif
