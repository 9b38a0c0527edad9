/*
 * admin.h - the driver's few requests to its server (a JSON price probe, a delta, stats): one
 * blocking HTTP/1.1 request per connection on loopback, `Connection: close`, the whole answer
 * read to EOF. Not the load generator's client: throughput here is one request per update.
 */
#ifndef ROUTEBENCH_SCENARIO_ADMIN_H
#define ROUTEBENCH_SCENARIO_ADMIN_H

#include <stddef.h>

struct sc_http_req {
	int port;              /* on 127.0.0.1 */
	const char *method;    /* "GET", "POST" */
	const char *target;    /* "/price?number=%2B1415..." */
	const char *token;     /* Authorization: Bearer TOKEN; NULL: none */
	const char *accept;    /* Accept header; NULL: none */
	const char *body;      /* POST body (NULL: empty) */
	size_t body_len;
	double timeout_s;      /* per read or write */
};

/*
 * Send r and read the answer: its status code into *status and its body (NUL-terminated,
 * cut at cap - 1) into body. 0, or -errno (-ETIMEDOUT, -ECONNREFUSED, -EPROTO for an answer
 * that is not HTTP).
 */
int sc_http(const struct sc_http_req *r, int *status, char *body, size_t cap);

/* The number after "key": in a flat JSON text, e.g. sc_json_num(s, "version", &v). 0 or -1. */
int sc_json_num(const char *json, const char *key, double *out);
/* versions[i] of a JSON text holding "versions":[a,b,...]. 0 or -1. */
int sc_json_version(const char *json, unsigned i, double *out);

#endif
