/*
 * child.h - the scenario's child processes: a `routebench serve` or `routebench load`
 * re-executed from /proc/self/exe, pinned to one core before exec, its output in files, reaped
 * with wait4() for its own peak RSS, and stopped on every path (a signal to the driver stops
 * every child still running: sys/signals.h). Lesson: a server and its load generator sharing
 * one core measure the scheduler, not the server; one core each measures the server.
 */
#ifndef ROUTEBENCH_SCENARIO_CHILD_H
#define ROUTEBENCH_SCENARIO_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct sc_spawn {
	char *const *argv;    /* argv[0] "routebench", then the subcommand and its options */
	int cpu;              /* pin to this CPU before exec; -1: leave the affinity alone */
	const char *out_path; /* stdout, appended to this file; NULL: /dev/null */
	const char *err_path; /* stderr, appended to this file; NULL: with stdout */
	uint64_t mem_limit;   /* RLIMIT_AS in bytes; 0: none */
};

struct sc_child {
	pid_t pid;            /* 0 once reaped */
	int status;           /* wait status, once reaped */
	struct rusage ru;     /* the child's own rusage (ru_maxrss in KiB), once reaped */
};

/*
 * The first two CPUs this process may run on into cpus[0..1]; returns how many there are
 * (0 if unknown, 1 on a one-core machine, else 2).
 */
int sc_pick_cpus(int cpus[2]);

/* Fork and exec s->argv from /proc/self/exe. 0 with *c set, or -errno. */
int sc_child_start(const struct sc_spawn *s, struct sc_child *c);
/* Reap c if it has exited (non-blocking): 1 exited (status and ru set), 0 still running. */
int sc_child_poll(struct sc_child *c);
/* Wait up to timeout_s (<= 0: forever) for c to exit. 1 exited, 0 still running. */
int sc_child_wait(struct sc_child *c, double timeout_s);
/* SIGTERM, up to grace_s for it to exit, then SIGKILL; reaped on return. 1 if it exited
 * on SIGTERM (exit status in c->status), 0 if it had to be killed. */
int sc_child_stop(struct sc_child *c, double grace_s);
/* Peak RSS of a reaped child, in bytes (ru_maxrss x 1024). */
uint64_t sc_child_peak_rss(const struct sc_child *c);

/*
 * Run fn(arg) in a forked child (no exec: the driver's copy does the work, so whatever it
 * allocates dies with it) and wait for it. 0 if fn returned 0, else -1.
 */
int sc_in_child(int (*fn)(void *arg), void *arg);

/* Install the process's signal handler (sys/signals.h): a SIGINT, SIGTERM or SIGHUP sends
 * SIGTERM to every running child's group, then the driver dies of it. */
void sc_child_guard(void);

/* Seconds on the monotonic clock. */
double sc_now_s(void);
/* Sleep for s seconds (EINTR restarted). */
void sc_sleep_s(double s);

#endif
