/*
 * spawn.c - the parent's side of a cell: start `routebench measure --in-process` (proc.h, with
 * libjemalloc.so.2 in LD_PRELOAD when asked), read the row from a pipe, kill the child when the
 * budget runs out, and reap it with wait4() for its own ru_maxrss. Whatever the child does, a
 * row comes back. Lesson: allocator switching needs an exec, and an exec keeps ru_maxrss of the
 * image it replaces, so the process that forks must stay small (inherited_maxrss_bytes shows it).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "allocator.h"
#include "clock.h"
#include "measure.h"
#include "proc.h"
#include "protocol.h"
#include "signals.h"

#define OUT_MAX 16384 /* the child's stdout: phases, header, row */

/*
 * RLIMIT_AS counts address space, not resident memory: reserved but untouched mappings count
 * too, so the limit leaves headroom. 16 GiB is two thirds of the 24 GiB machine this harness
 * was written on, leaving room for the page cache holding the datasets, the driver and the
 * system; on a smaller machine 70% of MemTotal.
 */
uint64_t bench_default_mem_limit(void)
{
	const uint64_t cap = (uint64_t)16 << 30;
	unsigned long long kib = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			break;
	fclose(f);
	if (!kib)
		return 0;
	return kib * 1024 / 10 * 7 < cap ? kib * 1024 / 10 * 7 : cap;
}

/*
 * Decide the status of a cell from how its child ended. A death the child could not report
 * as -ENOMEM (a signal, a non-zero exit) counts as oom when the kernel's OOM killer sent the
 * SIGKILL, or when the child's address space was within 10% of its RLIMIT_AS as it died.
 */
static void classify(const struct bench_cell_args *a, int got_row, int killed, int status,
		     const struct bench_child_notes *notes, struct bench_cell *row)
{
	int near_limit = a->mem_limit && notes->vm >= a->mem_limit / 10 * 9;
	const char *phase = bench_phase_name(notes->phase);
	char why[64];

	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exit %d", WEXITSTATUS(status));
	if (killed) {
		row->status = BENCH_TIMEOUT;
		bench_cell_detail(row, "killed after the %g s budget during %s", a->budget_s,
				  phase);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		row->status = BENCH_OOM;
		bench_cell_detail(row, "SIGKILL during %s (kernel OOM killer)", phase);
	} else if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		row->status = near_limit ? BENCH_OOM : BENCH_CRASH;
		if (notes->vm)
			bench_cell_detail(row, "%s during %s with %.2f of %.2f GiB address space",
					  why, phase, (double)notes->vm / (1 << 30),
					  (double)a->mem_limit / (1 << 30));
		else
			bench_cell_detail(row, "%s during %s", why, phase);
	} else if (!got_row) {
		row->status = BENCH_CRASH;
		bench_cell_detail(row, "no row from the child");
	} else if (!bench_allocator_serves(a->allocator, row->allocator)) {
		row->status = BENCH_CRASH;
		bench_cell_detail(row, "asked for %s, served by %s",
				  bench_allocator_name(a->allocator), row->allocator);
	}
}

/* A row for a child that gave none: the cell's identity, for classify() to fill. */
static void row_for(const struct bench_cell_args *a, struct bench_cell *row)
{
	bench_cell_init(row, a->impl, bench_allocator_name(a->allocator));
	if (a->strategy == BENCH_STREAM)
		snprintf(row->strategy, sizeof(row->strategy), "stream");
	row->n_carriers = a->n_carriers;
	row->reps = a->reps;
	row->mem_limit_bytes = a->mem_limit;
	if (a->query_set == BENCH_QS_COLD)
		snprintf(row->query_set, sizeof(row->query_set), BENCH_QUERY_COLD);
}

int bench_cell_spawn(const struct bench_cell_args *a, uint64_t n_routes, struct bench_cell *row)
{
	struct bench_child_notes notes = { BENCH_PHASE_START, 0 };
	char preload[BENCH_PRELOAD_MAX];
	char *out = malloc(OUT_MAX);
	struct rb_argv *argv = malloc(sizeof(*argv));
	const char *env[2] = { preload, NULL };
	struct rb_child c = { .exec_path = "/proc/self/exe", .env = env, .out = RB_IO_PIPE,
			      .timeout_s = a->budget_s };
	double t0 = rb_now_s();
	int got_row, rc = -ENOMEM;

	if (!out || !argv) {
		fprintf(stderr, "routebench: out of memory\n");
		goto out;
	}
	rb_argv_init(argv);
	rc = bench_proto_argv(argv, "routebench", a, 1);
	if (rc != 0) {
		fprintf(stderr, "routebench: the command line of a cell with %zu carriers does not "
				"fit in %d arguments\n", a->n_carriers, RB_ARGV_MAX);
		goto out;
	}
	c.argv = argv->v;
	rc = bench_allocator_preload(a->allocator, preload, sizeof(preload));
	if (rc != 0) {
		bench_allocator_preload_error("routebench", a->allocator, rc);
		goto out;
	}
	if (!preload[0])
		c.env = NULL;
	rc = rb_child_start(&c);
	if (rc != 0) {
		fprintf(stderr, "routebench: fork: %s\n", strerror(-rc));
		goto out;
	}
	rb_child_read(&c, out, OUT_MAX, NULL, NULL);
	rc = rb_child_wait(&c);
	if (rc != 0) {
		fprintf(stderr, "routebench: wait4: %s\n", strerror(-rc));
		goto out;
	}
	if (rb_signals_caught()) { /* this process was told to stop: the cell was not measured */
		rc = -EINTR;
		goto out;
	}
	got_row = bench_proto_scan(out, &notes, row);
	if (!got_row)
		row_for(a, row);
	if (row->n_routes == 0)
		row->n_routes = n_routes;
	row->peak_rss_bytes = (uint64_t)c.ru.ru_maxrss * 1024;
	row->wall_s = rb_now_s() - t0;
	classify(a, got_row, c.timed_out, c.status, &notes, row);
out:
	free(argv);
	free(out);
	return rc;
}
