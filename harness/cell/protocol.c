/*
 * protocol.c - both ends of the parent/child measuring protocol (protocol.h): the phase list,
 * the note lines written and read, and the child's command line built with a checked bound.
 */
#include "protocol.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const phase_names[BENCH_N_PHASES] = {
#define BENCH_PHASE_NAME(id, name) name,
	BENCH_PHASES(BENCH_PHASE_NAME)
#undef BENCH_PHASE_NAME
};

/* An index cell's phases in order; a stream cell's (numbers, stream) need no successor. */
static const enum bench_phase index_order[] = {
	BENCH_PHASE_START, BENCH_PHASE_PARSE,  BENCH_PHASE_BUILD,
	BENCH_PHASE_NUMBERS, BENCH_PHASE_LOOKUP, BENCH_PHASE_TEARDOWN,
};

#define PHASE_PREFIX "#phase "
#define VM_PREFIX "#vm "

const char *bench_phase_name(enum bench_phase p)
{
	return p < BENCH_N_PHASES ? phase_names[p] : "?";
}

enum bench_phase bench_phase_next(enum bench_phase p)
{
	size_t n = sizeof(index_order) / sizeof(index_order[0]);

	for (size_t i = 0; i + 1 < n; i++)
		if (index_order[i] == p)
			return index_order[i + 1];
	return BENCH_N_PHASES;
}

size_t bench_phase_line_len(enum bench_phase p)
{
	return strlen(PHASE_PREFIX) + strlen(bench_phase_name(p)) + 1;
}

void bench_proto_phase(int fd, enum bench_phase p)
{
	char line[64];
	size_t n = 0, len = strlen(bench_phase_name(p));

	if (fd < 0 || len + sizeof(PHASE_PREFIX) + 1 > sizeof(line))
		return;
	memcpy(line, PHASE_PREFIX, strlen(PHASE_PREFIX));
	n = strlen(PHASE_PREFIX);
	memcpy(line + n, bench_phase_name(p), len);
	n += len;
	line[n++] = '\n';
	if (write(fd, line, n) < 0)
		return; /* the parent only loses the phase name */
}

void bench_proto_vm(int fd, uint64_t bytes)
{
	char line[40];
	size_t n = sizeof(line);

	line[--n] = '\n';
	do {
		line[--n] = (char)('0' + bytes % 10);
		bytes /= 10;
	} while (bytes);
	n -= strlen(VM_PREFIX);
	memcpy(line + n, VM_PREFIX, strlen(VM_PREFIX));
	if (write(fd, line + n, sizeof(line) - n) < 0)
		return;
}

int bench_proto_is_phase(const char *line, size_t len, enum bench_phase p)
{
	size_t pre = strlen(PHASE_PREFIX), name = strlen(bench_phase_name(p));

	return len == pre + name && memcmp(line, PHASE_PREFIX, pre) == 0 &&
	       memcmp(line + pre, bench_phase_name(p), name) == 0;
}

int bench_proto_line(const char *line, struct bench_child_notes *notes, struct bench_cell *row)
{
	if (strncmp(line, PHASE_PREFIX, strlen(PHASE_PREFIX)) == 0) {
		for (int p = 0; p < BENCH_N_PHASES; p++)
			if (bench_proto_is_phase(line, strlen(line), p))
				notes->phase = p;
		return 0;
	}
	if (strncmp(line, VM_PREFIX, strlen(VM_PREFIX)) == 0) {
		notes->vm = strtoull(line + strlen(VM_PREFIX), NULL, 10);
		return 0;
	}
	if (strncmp(line, "impl,", 5) == 0) /* the header */
		return 0;
	return bench_cell_parse(line, row) == 0;
}

int bench_proto_scan(char *out, struct bench_child_notes *notes, struct bench_cell *row)
{
	int got = 0;

	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		got |= bench_proto_line(line, notes, row);
	return got;
}

int bench_proto_argv(struct rb_argv *av, const char *argv0, const struct bench_cell_args *a,
		     int phases)
{
	rb_argv_push(av, argv0);
	rb_argv_push(av, "measure");
	rb_argv_push(av, "--in-process");
	if (phases)
		rb_argv_push(av, "--" BENCH_PROTO_PHASES_OPT);
	if (a->strategy == BENCH_STREAM) {
		rb_argv_push(av, "--strategy");
		rb_argv_push(av, "stream");
	} else {
		rb_argv_push(av, "--impl");
		rb_argv_push(av, a->impl);
	}
	if (a->plugin) {
		rb_argv_push(av, "--plugin");
		rb_argv_push(av, a->plugin);
	}
	for (size_t k = 0; k < a->n_carriers; k++) {
		rb_argv_push(av, "--routes");
		rb_argv_push(av, a->routes[k]);
	}
	rb_argv_push(av, "--numbers");
	rb_argv_push(av, a->numbers);
	if (a->queries) {
		rb_argv_push(av, "--queries");
		rb_argv_pushf(av, "%" PRIu64, a->queries);
	}
	rb_argv_push(av, "--reps");
	rb_argv_pushf(av, "%" PRIu64, a->reps);
	rb_argv_push(av, "--budget-s");
	rb_argv_pushf(av, "%.3f", a->budget_s);
	rb_argv_push(av, "--mem-limit");
	rb_argv_pushf(av, "%" PRIu64, a->mem_limit);
	rb_argv_push(av, "--allocator");
	rb_argv_push(av, bench_allocator_name(a->allocator));
	if (a->breakdown)
		rb_argv_push(av, "--breakdown");
	if (a->query_set == BENCH_QS_COLD) {
		rb_argv_push(av, "--query-set");
		rb_argv_push(av, BENCH_QUERY_COLD);
	}
	return av->overflow ? -E2BIG : 0;
}
