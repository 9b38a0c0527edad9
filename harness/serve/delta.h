/*
 * delta.h - the request bodies `serve` parses: route deltas (`+DIGITS,COST` sets, `-DIGITS`
 * removes) and phone numbers (a query value or a body of lines), as pure functions over a
 * buffer: no I/O, no global state, so the fuzzers and the unit tests call exactly what the
 * server calls. O(bytes) time; 32 bytes per change, 16 per number.
 */
#ifndef ROUTEBENCH_SERVE_DELTA_H
#define ROUTEBENCH_SERVE_DELTA_H

#include <stddef.h>

#include "load.h"
#include "route_table.h"

/* A parsed delta: changes in body order (the order they apply in). */
struct serve_delta {
	struct rt_change *v;
	size_t n, cap;
};

/* Why a body was refused: printed `line N: what: "text"` (line 0: `what` alone). */
struct serve_line_error {
	size_t line;
	char what[128];
	char text[96]; /* the offending line, non-printable bytes as '?', long ones cut "..." */
};

/*
 * Parse a delta body buf[0..len). Lines follow the route file's rules (blank lines ignored;
 * a trailing '\r', spaces and tabs and a missing final newline accepted; at most 1024 bytes):
 * `+DIGITS,COST` (0 to 15 digits, COST as in a route file) or `-DIGITS` (0 to 15 digits).
 * 0 with out->v[0..n) appended, or -EINVAL with *err naming the first bad line (out->n as it
 * was), or -ENOMEM. Free with serve_delta_free either way.
 */
int serve_parse_delta(const char *buf, size_t len, struct serve_delta *out,
		      struct serve_line_error *err);
void serve_delta_free(struct serve_delta *d);

/*
 * Parse the value of a `number` query parameter, s[0..len): `+DIGITS` with 1 to 15 digits.
 * A leading ' ' stands for '+' (a '+' that URL decoding turned into a space). 0 with *out
 * set, or -EINVAL with *why pointing at a static one-line reason.
 */
int serve_parse_query_number(const char *s, size_t len, struct ds_number *out,
			     const char **why);

/*
 * Parse a POST /price body: one number per line under the number file's rules (exactly what
 * `routebench price --numbers` accepts). 0 with out->v[0..n) appended, -EINVAL with *err set
 * (the line counted from 1), or -ENOMEM. Free with ds_numbers_free either way.
 */
int serve_parse_numbers(const char *buf, size_t len, struct ds_numbers *out,
			struct serve_line_error *err);

/* Write `line N: what: "text"` (or `what`) and a newline into buf[cap]; returns the length. */
size_t serve_line_error_format(const struct serve_line_error *e, char *buf, size_t cap);

#endif
