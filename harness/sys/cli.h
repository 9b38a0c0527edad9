/*
 * cli.h - small helpers shared by every subcommand: usage errors and number parsing.
 *
 * One way to say "you called it wrong" (exit 2 with a one-line hint) and one way to read sizes
 * such as 1M or 8G, so every subcommand behaves the same at the edges.
 */
#ifndef ROUTEBENCH_CLI_H
#define ROUTEBENCH_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_USAGE 2

/* Print "routebench CMD: MESSAGE" and "Try 'routebench CMD --help'." to stderr; return 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a program of its own name (e.g. "routebench-micro"): "PROG: MESSAGE"... */
int cli_usage_error_prog(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a whole non-negative integer with an optional K/M/G suffix (powers of 1000 for counts
 * when binary is 0, of 1024 when binary is 1). 0 or -1. */
int cli_parse_u64(const char *s, int binary, uint64_t *out);

/* Parse a comma-separated list of such integers into out[0..cap). Returns the count, or -1. */
int cli_parse_u64_list(const char *s, uint64_t *out, size_t cap);

/* Parse a non-negative decimal number (e.g. a ratio "0.5" or seconds "2.5"). 0 or -1. */
int cli_parse_double(const char *s, double *out);

#endif
