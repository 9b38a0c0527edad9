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

#define MAX_ARGS (24 + 2 * BENCH_MAX_CARRIERS)
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

/* The child's arguments: `routebench measure --in-process --phases` and the cell's options. */
static void child_argv(const struct bench_cell_args *a, char *argv[MAX_ARGS], char num[4][32])
{
	size_t n = 0;

	snprintf(num[0], 32, "%" PRIu64, a->queries);
	snprintf(num[1], 32, "%" PRIu64, a->reps);
	snprintf(num[2], 32, "%.3f", a->budget_s);
	snprintf(num[3], 32, "%" PRIu64, a->mem_limit);
	argv[n++] = "routebench";
	argv[n++] = "measure";
	argv[n++] = "--in-process";
	argv[n++] = "--phases";
	if (a->strategy == BENCH_STREAM) {
		argv[n++] = "--strategy";
		argv[n++] = "stream";
	} else {
		argv[n++] = "--impl";
		argv[n++] = (char *)a->impl;
	}
	if (a->plugin) {
		argv[n++] = "--plugin";
		argv[n++] = (char *)a->plugin;
	}
	for (size_t k = 0; k < a->n_carriers; k++) {
		argv[n++] = "--routes";
		argv[n++] = (char *)a->routes[k];
	}
	argv[n++] = "--numbers";
	argv[n++] = (char *)a->numbers;
	if (a->queries) {
		argv[n++] = "--queries";
		argv[n++] = num[0];
	}
	argv[n++] = "--reps";
	argv[n++] = num[1];
	argv[n++] = "--budget-s";
	argv[n++] = num[2];
	argv[n++] = "--mem-limit";
	argv[n++] = num[3];
	argv[n++] = "--allocator";
	argv[n++] = (char *)a->allocator;
	if (a->breakdown)
		argv[n++] = "--breakdown";
	argv[n] = NULL;
}

/* What the child said besides its row: where it was, and its address space as it died. */
struct child_notes {
	char phase[32];
	uint64_t vm;
};

/* Pick the notes ("#phase NAME", "#vm BYTES") and the row out of the child's output. */
static int scan_output(char *out, struct bench_cell *row, struct child_notes *notes)
{
	int got = 0;

	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "#phase ", 7) == 0)
			snprintf(notes->phase, sizeof(notes->phase), "%s", line + 7);
		else if (strncmp(line, "#vm ", 4) == 0)
			notes->vm = strtoull(line + 4, NULL, 10);
		else if (strncmp(line, "impl,", 5) != 0)
			got = bench_cell_parse(line, row) == 0;
	}
	return got;
}

/*
 * Decide the status of a cell from how its child ended. A death the child could not report
 * as -ENOMEM (a signal, a non-zero exit) counts as oom when the kernel's OOM killer sent the
 * SIGKILL, or when the child's address space was within 10% of its RLIMIT_AS as it died.
 */
static void classify(const struct bench_cell_args *a, int got_row, int killed, int status,
		     const struct child_notes *notes, struct bench_cell *row)
{
	int want_je = strcmp(a->allocator, "jemalloc") == 0;
	int near_limit = a->mem_limit && notes->vm >= a->mem_limit / 10 * 9;
	char why[64];

	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exit %d", WEXITSTATUS(status));
	if (killed) {
		row->status = BENCH_TIMEOUT;
		bench_cell_detail(row, "killed after the %g s budget during %s", a->budget_s,
				  notes->phase);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		row->status = BENCH_OOM;
		bench_cell_detail(row, "SIGKILL during %s (kernel OOM killer)", notes->phase);
	} else if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		row->status = near_limit ? BENCH_OOM : BENCH_CRASH;
		if (notes->vm)
			bench_cell_detail(row, "%s during %s with %.2f of %.2f GiB address space",
					  why, notes->phase, (double)notes->vm / (1 << 30),
					  (double)a->mem_limit / (1 << 30));
		else
			bench_cell_detail(row, "%s during %s", why, notes->phase);
	} else if (!got_row) {
		row->status = BENCH_CRASH;
		bench_cell_detail(row, "no row from the child");
	} else if (want_je != (strcmp(row->allocator, "jemalloc") == 0)) {
		row->status = BENCH_CRASH;
		bench_cell_detail(row, "asked for %s, served by %s", a->allocator, row->allocator);
	}
}

/* A row for a child that gave none: the cell's identity, for classify() to fill. */
static void row_for(const struct bench_cell_args *a, struct bench_cell *row)
{
	bench_cell_init(row, a->impl, a->allocator);
	if (a->strategy == BENCH_STREAM)
		snprintf(row->strategy, sizeof(row->strategy), "stream");
	row->n_carriers = a->n_carriers;
	row->reps = a->reps;
	row->mem_limit_bytes = a->mem_limit;
}

int bench_cell_spawn(const struct bench_cell_args *a, uint64_t n_routes, struct bench_cell *row)
{
	struct child_notes notes = { "start", 0 };
	char preload[4096], env_buf[8192], num[4][32];
	char *out = malloc(OUT_MAX), *argv[MAX_ARGS];
	const char *env[2] = { NULL, NULL };
	const char *old = getenv("LD_PRELOAD");
	struct rb_child c = { .argv = argv, .exec_path = "/proc/self/exe", .env = env,
			      .out = RB_IO_PIPE, .timeout_s = a->budget_s };
	double t0 = rb_now_s();
	int got_row, rc = -ENOMEM;

	if (!out)
		goto out;
	if (strcmp(a->allocator, "jemalloc") == 0) {
		if (bench_jemalloc_path(preload, sizeof(preload)) != 0) {
			fprintf(stderr, "routebench: libjemalloc.so.2 not found (install "
					"libjemalloc2, or set RB_JEMALLOC=/path/to/it)\n");
			rc = -ENOENT;
			goto out;
		}
		snprintf(env_buf, sizeof(env_buf), "LD_PRELOAD=%s%s%s", preload,
			 old && *old ? ":" : "", old ? old : "");
		env[0] = env_buf;
	}
	child_argv(a, argv, num);
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
	got_row = scan_output(out, row, &notes);
	if (!got_row)
		row_for(a, row);
	if (row->n_routes == 0)
		row->n_routes = n_routes;
	row->peak_rss_bytes = (uint64_t)c.ru.ru_maxrss * 1024;
	row->wall_s = rb_now_s() - t0;
	classify(a, got_row, c.timed_out, c.status, &notes, row);
out:
	free(out);
	return rc;
}
