/*
 * protocol.h - what a measuring parent and its child say to each other, in one place: the
 * child's command line (`routebench measure --in-process`, with the hidden --phases option),
 * and the lines the child writes on stdout besides the cells.csv header and row: "#phase NAME"
 * as it enters each phase, and "#vm BYTES" (its address space) as it dies under a memory
 * limit. spawn.c and cmd/massif.c build and read it; cellrun.c and cmd/measure.c speak it.
 * Lesson: a protocol spread over four files drifts; one list of phases cannot.
 */
#ifndef ROUTEBENCH_PROTOCOL_H
#define ROUTEBENCH_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "measure.h"
#include "proc.h"

/* measure's hidden option (no value): write the phase lines on stdout. */
#define BENCH_PROTO_PHASES_OPT "phases"

/*
 * Every phase a cell goes through, in the order an index cell enters them; a stream cell goes
 * numbers, stream. START is where a child is until it says otherwise.
 */
#define BENCH_PHASES(X)                                                                      \
	X(START, "start")       /* nothing said yet */                                       \
	X(PARSE, "parse")       /* loading the route files */                                \
	X(BUILD, "build")       /* create, insert every route, finalize: every carrier */    \
	X(NUMBERS, "numbers")   /* tables built, route arrays freed; loading the numbers */  \
	X(LOOKUP, "lookup")     /* the warm-up pass and the timed passes */                  \
	X(TEARDOWN, "teardown") /* destroying the tables */                                  \
	X(STREAM, "stream")     /* a stream cell's end-to-end runs */

enum bench_phase {
#define BENCH_PHASE_ENUM(id, name) BENCH_PHASE_##id,
	BENCH_PHASES(BENCH_PHASE_ENUM)
#undef BENCH_PHASE_ENUM
	BENCH_N_PHASES
};

/*
 * The first phase of an index cell in which its tables are complete and, until the next
 * phase begins, nothing but the number loader allocates: a heap snapshot taken here is the
 * tables' own (cmd/massif.c takes one).
 */
#define BENCH_PHASE_TABLES_BUILT BENCH_PHASE_NUMBERS

/* The phase's name ("parse"...), or "?" out of range. */
const char *bench_phase_name(enum bench_phase p);
/* The phase an index cell enters after p (BENCH_N_PHASES after the last). */
enum bench_phase bench_phase_next(enum bench_phase p);
/* The length of the line announcing p, "#phase NAME\n". */
size_t bench_phase_line_len(enum bench_phase p);

/* Child: announce phase p on fd with one write() (fd < 0: nothing). */
void bench_proto_phase(int fd, enum bench_phase p);
/* Child: write "#vm BYTES\n" on fd. Async-signal-safe: called as the child dies. */
void bench_proto_vm(int fd, uint64_t bytes);

/* Parent: what the child said besides its row. */
struct bench_child_notes {
	enum bench_phase phase; /* the last phase announced */
	uint64_t vm;            /* its address space as it died; 0 if it did not say */
};

/* Parent: whether line (len bytes, no '\n') announces phase p. */
int bench_proto_is_phase(const char *line, size_t len, enum bench_phase p);
/*
 * Parent: take one line of the child's stdout (no '\n'): a note goes to *notes, the header is
 * skipped, a row is read into *row. 1 when line was a row that parsed, else 0.
 */
int bench_proto_line(const char *line, struct bench_child_notes *notes, struct bench_cell *row);
/* Parent: every line of out (modified: split at '\n'). 1 when a row was among them. */
int bench_proto_scan(char *out, struct bench_child_notes *notes, struct bench_cell *row);

/*
 * Parent: append the child's command line to *av: argv0 (the name the child sees), "measure",
 * "--in-process", "--phases" when phases, then a's options. 0, or -E2BIG when it does not fit.
 */
int bench_proto_argv(struct rb_argv *av, const char *argv0, const struct bench_cell_args *a,
		     int phases);

#endif
