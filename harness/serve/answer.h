/*
 * answer.h - what `serve` answers, as bytes and a status, with no HTTP library in sight:
 * prices (the `routebench price` line format, or JSON), statistics, and an update's outcome.
 * http.c only routes requests here and hands the bytes to libmicrohttpd.
 */
#ifndef ROUTEBENCH_SERVE_ANSWER_H
#define ROUTEBENCH_SERVE_ANSWER_H

#include <stddef.h>

#include "carriers.h"
#include "worker.h"

/* A response: status, body (malloc'ed, the receiver frees it; NULL only when len is 0). */
struct serve_reply {
	unsigned status;
	char *body;
	size_t len;
	int json; /* Content-Type application/json, else text/plain */
};

/* A one-line text reply (a newline is added). Out of memory: an empty body. */
void serve_reply_error(struct serve_reply *r, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* GET /price?number=... (number NULL when the parameter is missing). */
void serve_answer_price_get(const struct serve_state *s, const char *number, int json,
			    struct serve_reply *r);
/* GET /price under --no-lookup: the number parsed, then NUMBER,0 with no lookup at all. */
void serve_answer_price_const(const char *number, struct serve_reply *r);
/* POST /price: a body of numbers, one answer per number, all from one snapshot. */
void serve_answer_price_post(const struct serve_state *s, const char *body, size_t len,
			     int json, struct serve_reply *r);
/* GET /stats. */
void serve_answer_stats(struct serve_state *s, const char *update_mode, unsigned threads,
			struct serve_reply *r);
/* The outcome of a finished delta or reload job. */
void serve_answer_job(const struct serve_job *j, struct serve_reply *r);

#endif
