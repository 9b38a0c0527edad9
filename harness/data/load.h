/*
 * load.h - exact loaders for route files (`+DIGITS,COST`) and number files (`+DIGITS`).
 *
 * A hand-written parser over a bounded read buffer: one pass, no fgets, no strtod, costs parsed
 * into fixed-point micro-units so no floating point ever touches an answer. Every rejected line
 * is reported with its file and line number. Cost: O(bytes), 24 bytes per route, 16 per number,
 * and 256 KiB of buffer whatever the input (a file, a pipe, a device, "-" for standard input).
 */
#ifndef ROUTEBENCH_LOAD_H
#define ROUTEBENCH_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "route_table.h"

#define DS_MAX_LINE 1024 /* longer lines are an error, not a truncation */

/* One route as parsed: the prefix digits (not NUL-terminated) and the cost in micro-units. */
struct ds_route {
	uint64_t cost;
	uint8_t len;
	char digits[RT_MAX_DIGITS];
};

/* One phone number as parsed (without its '+'). */
struct ds_number {
	char digits[RT_MAX_DIGITS];
	uint8_t len;
};

struct ds_routes {
	struct ds_route *v;
	size_t n, cap;
	size_t skipped;     /* invalid lines skipped under skip_invalid */
	size_t bytes;       /* size of the text parsed */
};

struct ds_numbers {
	struct ds_number *v;
	size_t n, cap;
	size_t skipped;
	size_t bytes;
};

/* Why a load failed: printed as `path:line: what: "text"` (line 0: no line, no text). */
struct ds_error {
	int err;            /* -errno: -EINVAL a bad line, -ENOMEM, -EIO (changed while read)... */
	char path[512];
	size_t line;
	char what[128];
	char text[96];      /* the offending line, truncated with "..." if long */
};

/*
 * Parse the route file at path ("-": standard input, named "stdin" in messages), appending to
 * *out (zero it first). With skip_invalid, bad lines are counted in out->skipped instead of
 * failing. A UTF-8 byte order mark at the start is skipped; a line over DS_MAX_LINE bytes is an
 * error found after reading at most one buffer of it. 0, or -errno with *err filled (err->err
 * the same): -EINVAL for the first bad line (the read stops there), -ENOMEM ("out of memory
 * after N routes"), -EIO when a regular file changed while it was read, open and read errors.
 * out->n is then as it was before the call (the array may have grown: free it with
 * ds_routes_free / ds_numbers_free either way).
 */
int ds_load_routes(const char *path, int skip_invalid, struct ds_routes *out, struct ds_error *err);
int ds_load_numbers(const char *path, int skip_invalid, struct ds_numbers *out,
		    struct ds_error *err);

/* Same, over a buffer in memory (no byte order mark handling); name is used in messages. */
int ds_parse_routes(const char *buf, size_t len, const char *name, int skip_invalid,
		    struct ds_routes *out, struct ds_error *err);
int ds_parse_numbers(const char *buf, size_t len, const char *name, int skip_invalid,
		     struct ds_numbers *out, struct ds_error *err);

void ds_routes_free(struct ds_routes *r);
/* The cores this process may run on (its CPU affinity; at least 1): how many threads help. */
unsigned ds_usable_cores(void);

void ds_numbers_free(struct ds_numbers *n);

/*
 * Read path ("-": standard input) through one bounded buffer, a leading byte order mark
 * dropped, and call fn with its text in pieces of whole lines (name: path as messages say it).
 * The last piece may end without '\n' at the end of the input; a line longer than DS_MAX_LINE
 * comes as its first DS_MAX_LINE + 1 bytes alone, without '\n', and the rest of it is skipped
 * unread by fn. The read stops at fn's first non-zero return. 0 with *bytes (if not NULL) the
 * size read, fn's return, or -errno with *err filled (-EIO: "changed while being read").
 */
int ds_read_lines(const char *path,
		  int (*fn)(void *ctx, const char *name, const char *buf, size_t len,
			    struct ds_error *err),
		  void *ctx, size_t *bytes, struct ds_error *err);

/*
 * ds_read_lines over part `part` (0-based) of `parts` of path: a large regular file is cut
 * at line ends into up to parts ranges (as the threaded loader cuts it; a part past the
 * ranges reads nothing), anything else is read whole by part 0 (and nothing by the others).
 * Run every part, and the parts together give fn each line once; each part's lines are
 * counted from 1 by fn's caller (add the earlier parts' lines for a file's line number).
 * The byte order mark is dropped by part 0. 0, fn's return, or -errno with *err filled
 * (-EIO: "changed while being read", also when a part was cut short).
 */
int ds_read_part(const char *path, unsigned part, unsigned parts,
		 int (*fn)(void *ctx, const char *name, const char *buf, size_t len,
			   struct ds_error *err),
		 void *ctx, struct ds_error *err);

/*
 * The offending line as an error message quotes it, into dst[cap] (cap >= 8): non-printable
 * bytes as '?', a line longer than cap - 4 cut with "...". Always NUL-terminated.
 */
void ds_quote_line(char *dst, size_t cap, const char *text, size_t text_len);
/* Fill *e: err (-errno), the file, line (0: none), the reason and the offending text. */
void ds_error_set(struct ds_error *e, int err, const char *path, size_t line, const char *what,
		  const char *text, size_t text_len);

/* Print `path:line: what: "text"` (or `path: what`) and a newline. */
void ds_error_print(const struct ds_error *e, FILE *f);

/*
 * Parse a cost: digits with an optional '.' and 1 to 6 fractional digits. 0 with *micros set,
 * or -1 with *why pointing at a static reason.
 */
int ds_parse_cost(const char *s, size_t len, uint64_t *micros, const char **why);

/*
 * Write cost in the Make School format into buf (at least 32 bytes): at least two decimals,
 * no trailing zeros beyond them (0.4 -> "0.40", 0.125 -> "0.125", 2 -> "2.00"); RT_NO_ROUTE
 * -> "0". Returns the length written, without the NUL.
 */
size_t ds_format_cost(uint64_t micros, char *buf);

#endif
