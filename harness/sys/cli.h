/*
 * cli.h - the command line, the same for every subcommand: one exact-match option parser over a
 * table of {name, argument, id}, value checkers that name the option and the allowed range, one
 * --impls list reader, and one way to say "you called it wrong" (exit 2 with a one-line hint).
 *
 * Exact names only: getopt_long takes any unambiguous prefix, so `bench --size 10` ran a real
 * ladder as --sizes. Here an abbreviation is an unknown option (with a "did you mean"), an
 * empty list item or a value out of range is a usage error, and all of it happens before the
 * command creates anything. Lesson: nothing a user typed may pass silently as something else.
 */
#ifndef ROUTEBENCH_CLI_H
#define ROUTEBENCH_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "route_table.h"

#define CLI_USAGE 2

/* Print "routebench CMD: MESSAGE" and "Try 'routebench CMD --help'." to stderr; return 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a program of its own name (e.g. "routebench-micro"): "PROG: MESSAGE"... */
int cli_usage_error_prog(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* What an option takes. */
enum cli_arg {
	CLI_NONE,  /* no value: "--name" alone ("--name=x" is an error) */
	CLI_VALUE, /* a value: "--name=V", or "--name V" (V may start with '-') */
	CLI_PASS,  /* any "--NAME..." that starts with --name, kept whole for another parser */
};

/* One option: a name of one letter is a short option (-o), a longer one a long option. */
struct cli_option {
	const char *name;
	enum cli_arg arg;
	int id; /* > 0: what cli_next returns for it */
};

struct cli_parser {
	const char *prog;             /* "routebench bench": the start of every message */
	int argc;
	char **argv;                  /* argv[0] is the (sub)command itself */
	const struct cli_option *opts; /* ended by { NULL } */
	int i;                        /* the next argument */
	int operands_only;            /* after "--" */
	const char *arg;              /* the value, the whole CLI_PASS argument, or the operand */
	char name[64];                /* the option as written, for messages: "--sizes" */
	int operands;                 /* cli_parse_all: operands go to the option function */
};

#define CLI_DONE 0     /* no more arguments */
#define CLI_FAIL (-1)  /* a usage error, printed: exit CLI_USAGE */
#define CLI_OPERAND (-2) /* an argument that is not an option, in p->arg */

void cli_init(struct cli_parser *p, const char *prog, int argc, char **argv,
	      const struct cli_option *opts);
/* The next option's id (its value in p->arg), CLI_OPERAND, CLI_DONE or CLI_FAIL. */
int cli_next(struct cli_parser *p);

/* What cli_parse_all (and an option function) returns once the help is printed: exit 0. */
#define CLI_HELP (-1)

/*
 * One option of a command: the current option's id (its value in p->arg) into ctx. 0 to go
 * on; anything else (CLI_USAGE after its message, CLI_HELP after the help) ends the parse.
 */
typedef int (*cli_option_fn)(const struct cli_parser *p, int id, void *ctx);

/*
 * Every argument of p (from cli_init), in order, to option(p, id, ctx), which checks and
 * stores it. The option named "help" prints help to stdout and ends the parse with CLI_HELP
 * (help NULL: it goes to option like any other, which prints what it must). An operand is a
 * usage error ("unexpected argument"), unless p->operands is set: then option gets it as
 * CLI_OPERAND. Returns 0 after the last argument, CLI_HELP, CLI_USAGE after the message (an
 * unknown option, a missing value), or the first non-zero that option returned, as it is.
 */
int cli_parse_all(struct cli_parser *p, const char *help, cli_option_fn option, void *ctx);

/* "PROG: NAME: MESSAGE" and the hint on stderr, NAME the current option; returns CLI_USAGE. */
int cli_bad(const struct cli_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Value checkers for the current option's value: each writes *out and returns 0, or prints a
 * usage error naming the option, the value and the allowed range, and returns CLI_USAGE.
 * Counts take K, M, G (powers of 1000); byte sizes take K, M, G (powers of 1024).
 */
int cli_count(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out);
int cli_bytes(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out);
/* A finite decimal from lo to hi (HUGE_VAL: no upper bound). */
int cli_real(const struct cli_parser *p, double lo, double hi, double *out);
/* One of names[0..n): its index into *out. */
int cli_choice(const struct cli_parser *p, const char *const *names, size_t n, int *out);

/*
 * A comma-separated list in the current option's value: its items, copied into buf[cap], in
 * items[0..max). No empty list, no empty item ("1K,,2", "a,"), at most max items. 0 with *n
 * set, or CLI_USAGE.
 */
int cli_list(const struct cli_parser *p, char *buf, size_t cap, const char **items, size_t max,
	     size_t *n);
/*
 * A list of words, each one of names[0..n) (n <= 8): bit k of *set for each names[k] given, in
 * any order. At most 2n items (a word may come twice), 63 bytes. 0 with *set, or CLI_USAGE.
 */
int cli_words(const struct cli_parser *p, const char *const *names, size_t n, unsigned *set);
/* A list of counts, each from lo to hi, in the order given. 0 or CLI_USAGE. */
int cli_counts(const struct cli_parser *p, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
	       size_t *n);
/*
 * A list of implementations: registered names and groups named by a property of the ops
 * ("all", "ladder", "peers", "node-heavy"), each group in registry order, an implementation
 * listed twice kept once. An unknown name is named in the error. 0 or CLI_USAGE.
 */
int cli_impls(const struct cli_parser *p, const struct route_table_ops **out, size_t max,
	      size_t *n);
/* Whether the comma-separated list has item among its items. */
int cli_list_has(const char *list, const char *item);

/* Parse a whole non-negative integer with an optional K/M/G suffix (powers of 1000 for counts
 * when binary is 0, of 1024 when binary is 1). 0 or -1. */
int cli_parse_u64(const char *s, int binary, uint64_t *out);

/* Parse a non-negative decimal number (e.g. a ratio "0.5" or seconds "2.5"). 0 or -1. */
int cli_parse_double(const char *s, double *out);

/* v as "12", "1000", "10K", "100M", "8G" (a suffix from 10K on; binary: powers of 1024). */
const char *cli_format_count(uint64_t v, int binary, char buf[24]);

#endif
