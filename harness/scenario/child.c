/*
 * child.c - fork, pin (sched_setaffinity), limit (RLIMIT_AS), exec /proc/self/exe; reap with
 * wait4() for the child's own ru_maxrss; SIGTERM then SIGKILL. Each child leads its own
 * process group, watched by the process's one signal handler (sys/signals.h), and dies with
 * the driver (PR_SET_PDEATHSIG): a benchmark that dies must not leave a server holding a port
 * and gigabytes. sys/proc.h has no affinity, no RLIMIT_AS, no stdout to a file and no
 * non-blocking reap, which a server under test needs; hence this small layer. O(1) per call.
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "allocator.h"
#include "child.h"
#include "signals.h"

static pid_t driver_pid; /* the forking process, for the child's check after PDEATHSIG */

void sc_child_guard(void)
{
	rb_signals_install();
}

double sc_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sc_sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int sc_pick_cpus(int cpus[2])
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	for (int i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return n;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_exec(const struct sc_spawn *s)
{
	static const char msg[] = "routebench: cannot re-execute /proc/self/exe\n";
	int fd = open(s->out_path ? s->out_path : "/dev/null",
		      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	int err = s->err_path ? open(s->err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666)
			      : fd;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || err < 0 || null < 0)
		_exit(127);
	dup2(null, 0);
	dup2(fd, 1);
	dup2(err, 2);
	setpgid(0, 0);
	if (s->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* a driver killed by SIGKILL takes its children along */
	if (getppid() != driver_pid)
		_exit(127);               /* ... and one that died before the prctl, too */
	if (s->mem_limit && !BENCH_ASAN) { /* the sanitizer reserves terabytes of shadow */
		struct rlimit rl = { (rlim_t)s->mem_limit, (rlim_t)s->mem_limit };

		setrlimit(RLIMIT_AS, &rl);
	}
	execv("/proc/self/exe", s->argv);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}

int sc_child_start(const struct sc_spawn *s, struct sc_child *c)
{
	sigset_t all, old;
	pid_t pid;

	driver_pid = getpid();
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old); /* the pid is in the table before a signal lands */
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		child_exec(s);
	}
	if (pid > 0) {
		setpgid(pid, pid); /* the child does too: whichever runs first, the group exists */
		rb_signals_add_child(pid);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -errno;
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	return 0;
}

/* wait4 with flags; 1 reaped, 0 not yet (WNOHANG), -1 gone (ECHILD). */
static int reap(struct sc_child *c, int flags)
{
	struct rusage ru;
	int status;
	pid_t r;

	if (c->pid <= 0)
		return 1;
	while ((r = wait4(c->pid, &status, flags, &ru)) < 0 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	rb_signals_remove_child(c->pid);
	if (r < 0) {
		memset(&c->ru, 0, sizeof(c->ru));
		c->status = 0x7f00; /* exit status 127 */
	} else {
		c->ru = ru;
		c->status = status;
	}
	c->pid = 0;
	return 1;
}

int sc_child_poll(struct sc_child *c)
{
	return reap(c, WNOHANG);
}

int sc_child_wait(struct sc_child *c, double timeout_s)
{
	double deadline = sc_now_s() + timeout_s;

	if (timeout_s <= 0)
		return reap(c, 0);
	while (!reap(c, WNOHANG)) {
		if (sc_now_s() >= deadline)
			return 0;
		sc_sleep_s(0.005);
	}
	return 1;
}

int sc_child_stop(struct sc_child *c, double grace_s)
{
	if (c->pid <= 0)
		return 1;
	kill(c->pid, SIGTERM);
	if (sc_child_wait(c, grace_s))
		return 1;
	kill(c->pid, SIGKILL);
	reap(c, 0);
	return 0;
}

int sc_in_child(int (*fn)(void *arg), void *arg)
{
	struct sc_child c;
	sigset_t all, old;
	pid_t pid;

	fflush(NULL);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		int rc;

		setpgid(0, 0);
		rb_signals_after_fork();
		sigprocmask(SIG_SETMASK, &old, NULL);
		rc = fn(arg);
		fflush(NULL);
		_exit(rc == 0 ? 0 : 1);
	}
	if (pid > 0) {
		setpgid(pid, pid);
		rb_signals_add_child(pid);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.pid = pid;
	reap(&c, 0);
	return WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0 ? 0 : -1;
}

uint64_t sc_child_peak_rss(const struct sc_child *c)
{
	return (uint64_t)c->ru.ru_maxrss * 1024;
}
