/*
 * spawn.c - the parent's side of a cell: fork, exec `routebench measure --in-process` (with
 * libjemalloc.so.2 in LD_PRELOAD when asked), read the row from a pipe, kill the child when the
 * budget runs out, and reap it with wait4() for its own ru_maxrss. Whatever the child does, a
 * row comes back. Lesson: allocator switching needs an exec, and an exec keeps ru_maxrss of the
 * image it replaces, so the process that forks must stay small (inherited_maxrss_bytes shows it).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "allocator.h"
#include "measure.h"

#define MAX_ARGS (24 + 2 * BENCH_MAX_CARRIERS)
#define OUT_MAX 16384 /* the child's stdout: phases, header, row */

extern char **environ;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

/* The environment for the child: ours, with jemalloc first in LD_PRELOAD when asked. */
static char **child_env(const char *preload, char *buf, size_t cap)
{
	size_t n = 0, j = 0;
	const char *old = getenv("LD_PRELOAD");
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!preload || strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			env[j++] = environ[i];
	if (preload) {
		snprintf(buf, cap, "LD_PRELOAD=%s%s%s", preload, old && *old ? ":" : "",
			 old ? old : "");
		env[j++] = buf;
	}
	return env;
}

/* Start the child with its stdout on the pipe. The pid, or -errno. */
static pid_t start_child(const struct bench_cell_args *a, int out_fd, char **env)
{
	char q[32], r[32], b[32], m[32];
	char *argv[MAX_ARGS];
	size_t n = 0;
	pid_t pid;

	snprintf(q, sizeof(q), "%" PRIu64, a->queries);
	snprintf(r, sizeof(r), "%" PRIu64, a->reps);
	snprintf(b, sizeof(b), "%.3f", a->budget_s);
	snprintf(m, sizeof(m), "%" PRIu64, a->mem_limit);
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
	for (size_t k = 0; k < a->n_carriers; k++) {
		argv[n++] = "--routes";
		argv[n++] = (char *)a->routes[k];
	}
	argv[n++] = "--numbers";
	argv[n++] = (char *)a->numbers;
	if (a->queries) {
		argv[n++] = "--queries";
		argv[n++] = q;
	}
	argv[n++] = "--reps";
	argv[n++] = r;
	argv[n++] = "--budget-s";
	argv[n++] = b;
	argv[n++] = "--mem-limit";
	argv[n++] = m;
	argv[n++] = "--allocator";
	argv[n++] = (char *)a->allocator;
	if (a->breakdown)
		argv[n++] = "--breakdown";
	argv[n] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		static const char msg[] = "routebench: cannot re-execute /proc/self/exe\n";

		if (dup2(out_fd, STDOUT_FILENO) >= 0)
			execve("/proc/self/exe", argv, env);
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	return pid;
}

/*
 * Read the child's stdout until it closes, killing the child at the deadline (0: none); what
 * does not fit in out[cap] is read and dropped. *killed says whether we killed it.
 */
static void read_child(int fd, pid_t pid, double deadline, char *out, size_t cap, int *killed)
{
	size_t len = 0;
	char sink[4096];

	*killed = 0;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = -1;
		ssize_t n;

		if (deadline > 0 && !*killed) {
			double left = deadline - now_s();

			if (left <= 0) {
				kill(pid, SIGKILL);
				*killed = 1;
				continue;
			}
			timeout = left > 60 ? 60000 : (int)(left * 1000) + 1;
		}
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue; /* EINTR, or the deadline: checked above */
		if (len + 1 < cap)
			n = read(fd, out + len, cap - 1 - len);
		else
			n = read(fd, sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < cap)
			len += (size_t)n;
	}
	out[len] = '\0';
}

/* Reap pid, still enforcing the deadline on a child that closed stdout but lingers. */
static int reap_child(pid_t pid, double deadline, int *killed, int *status, struct rusage *ru)
{
	for (;;) {
		pid_t r = wait4(pid, status, *killed || deadline <= 0 ? 0 : WNOHANG, ru);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == 0 && now_s() >= deadline) {
			kill(pid, SIGKILL);
			*killed = 1;
		} else if (r == 0) {
			nanosleep(&(struct timespec){ .tv_nsec = 2000000 }, NULL);
		}
	}
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

int bench_cell_spawn(const struct bench_cell_args *a, uint64_t n_routes, struct bench_cell *row)
{
	struct child_notes notes = { "start", 0 };
	char preload[4096], env_buf[8192];
	char *out = malloc(OUT_MAX), **env = NULL;
	double t0 = now_s(), deadline = 0;
	int fds[2] = { -1, -1 }, killed = 0, status = 0, got_row, rc = -ENOMEM;
	struct rusage ru = { 0 };
	pid_t pid;

	if (!out)
		goto out;
	if (strcmp(a->allocator, "jemalloc") == 0 &&
	    bench_jemalloc_path(preload, sizeof(preload)) != 0) {
		fprintf(stderr, "routebench: libjemalloc.so.2 not found (install libjemalloc2, or "
				"set RB_JEMALLOC=/path/to/libjemalloc.so.2)\n");
		rc = -ENOENT;
		goto out;
	}
	env = child_env(strcmp(a->allocator, "jemalloc") == 0 ? preload : NULL, env_buf,
			sizeof(env_buf));
	if (!env)
		goto out;
	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
		rc = -errno;
		fprintf(stderr, "routebench: pipe: %s\n", strerror(errno));
		goto out;
	}
	pid = start_child(a, fds[1], env);
	close(fds[1]);
	fds[1] = -1;
	if (pid < 0) {
		rc = (int)pid;
		fprintf(stderr, "routebench: fork: %s\n", strerror(-rc));
		goto out;
	}
	if (a->budget_s > 0)
		deadline = t0 + a->budget_s;
	read_child(fds[0], pid, deadline, out, OUT_MAX, &killed);
	rc = reap_child(pid, deadline, &killed, &status, &ru);
	if (rc != 0) {
		fprintf(stderr, "routebench: wait4: %s\n", strerror(-rc));
		goto out;
	}
	got_row = scan_output(out, row, &notes);
	if (!got_row) {
		bench_cell_init(row, a->impl, a->allocator);
		if (a->strategy == BENCH_STREAM)
			snprintf(row->strategy, sizeof(row->strategy), "stream");
		row->n_carriers = a->n_carriers;
		row->reps = a->reps;
		row->mem_limit_bytes = a->mem_limit;
	}
	if (row->n_routes == 0)
		row->n_routes = n_routes;
	row->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
	row->wall_s = now_s() - t0;
	classify(a, got_row, killed, status, &notes, row);
out:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(env);
	free(out);
	return rc;
}
