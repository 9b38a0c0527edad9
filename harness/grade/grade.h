/*
 * grade.h - the auto-grader's logic (`routebench check`): small cases with known answers,
 * random cases, one way to get a subject's answers to a case (an implementation or a plugin
 * in a forked child, or a solver command), and delta debugging to shrink a failing case.
 *
 * A case is a fixed-size value (no allocation: copying one is an assignment), small enough
 * to print and paste. Expected answers come from the RT_F_SCAN implementation through
 * pricing_price_min, the rule `price` applies. Cost: one child process per run. Lesson: a
 * failing test is only useful once it is small; a grader's job is the shrinking.
 */
#ifndef ROUTEBENCH_GRADE_H
#define ROUTEBENCH_GRADE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "load.h"
#include "route_table.h"

#define GRADE_MAX_CARRIERS 8
#define GRADE_MAX_ROUTES 256
#define GRADE_MAX_NUMBERS 64
#define GRADE_LINE_MAX 64           /* an answer line kept for comparison, NUL included */
#define GRADE_DEFAULT_TIMEOUT_S 10.0

struct grade_route {
	struct ds_route r;
	uint8_t carrier; /* 0 .. n_carriers - 1 */
};

struct grade_case {
	char name[80];
	size_t n_carriers;   /* 1 .. GRADE_MAX_CARRIERS; a carrier may have no routes */
	size_t n_routes, n_numbers;
	struct grade_route routes[GRADE_MAX_ROUTES];
	struct ds_number numbers[GRADE_MAX_NUMBERS];
};

/* The hand-made cases every subject must pass, in order. */
size_t grade_conformance_count(void);
/* Case i (< grade_conformance_count()) into *out. */
void grade_conformance_case(size_t i, struct grade_case *out);
/* Random case index of seed: 1-3 carriers of nested, colliding routes (a small digit
 * alphabet, prefixes extended from others, duplicates, the catch-all), up to 24 numbers most
 * of which extend a route. The same (seed, index) gives the same case everywhere. */
void grade_random_case(uint64_t seed, uint64_t index, struct grade_case *out);

/* A case's answers as text: one "+NUMBER,COST" line per number. */
struct grade_answers {
	size_t n;
	char line[GRADE_MAX_NUMBERS + 1][GRADE_LINE_MAX]; /* one more: "a line too many" */
};

/* The reference answers to c (the RT_F_SCAN implementation, least cost over carriers).
 * 0 or -errno. */
int grade_expected(const struct grade_case *c, struct grade_answers *out);

/* Who is graded: an implementation (registered or a plugin), or a solver command. */
struct grade_subject {
	const struct route_table_ops *ops; /* NULL for a solver */
	char *const *words;  /* the solver's command split into words: {routes} in a word repeats
			      * it once per carrier file, {numbers} and {out} are replaced */
	size_t n_words;
	int to_out;          /* some word has {out}: answers are read from that file */
	double timeout_s;    /* per run; 0 = none */
	const char *dir;     /* a private folder for the solver's files (grade_dir_make) */
	size_t runs;         /* runs so far, counted by grade_run */
};

enum grade_verdict {
	GRADE_OK,      /* every line as expected */
	GRADE_WRONG,   /* a line differs, or one is missing or extra */
	GRADE_CRASH,   /* exited non-zero or was killed by a signal */
	GRADE_TIMEOUT, /* killed at its time budget */
};

struct grade_result {
	enum grade_verdict verdict;
	struct grade_answers expected, got;
	size_t first_bad;  /* GRADE_WRONG: the first line that differs */
	char detail[512];  /* CRASH or TIMEOUT: how it ended and the start of its stderr */
};

/*
 * Run s on c and judge its answers against the reference into *r. 0, or -errno when the
 * case could not be run at all (temp files, fork) or the reference failed.
 */
int grade_run(struct grade_subject *s, const struct grade_case *c, struct grade_result *r);

/*
 * Shrink c, on which s failed with r, to a smaller case on which s fails with the same
 * verdict (GRADE_WRONG: some answer still wrong), by delta debugging: the failing numbers,
 * then whole carriers, then routes, then digits of prefixes and numbers, until no single
 * removal keeps it failing. c and r are updated; a timeout is not shrunk (each try could
 * take the whole budget). 0 or -errno (c and r stay the last failing case).
 */
int grade_shrink(struct grade_subject *s, struct grade_case *c, struct grade_result *r);

/*
 * Print c and r so it can be pasted into a test: each carrier's route lines, the number
 * lines, the expected and the actual answer lines (or how the run ended), and a shell line
 * that recreates the files.
 */
void grade_print(FILE *f, const struct grade_case *c, const struct grade_result *r);

/* Make a private temporary folder for a solver's files into buf[cap]. 0 or -errno. */
int grade_dir_make(char *buf, size_t cap);
/* Remove it and the files grade_run wrote there. */
void grade_dir_remove(const char *dir);

#endif
