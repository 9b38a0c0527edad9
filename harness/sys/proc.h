/*
 * proc.h - the one way the harness starts a child process: a struct rb_child says what to run
 * (a program, or a function in a forked copy), its extra environment, where its stdout and
 * stderr go, and a deadline; start, read, wait and kill do the rest, in the manner of git's
 * run-command.h.
 *
 * Every child leads its own process group, so a kill (the deadline, or a Ctrl-C of this
 * process: signals.h) reaches whatever it started too, and wait4() returns that one child's
 * rusage: its own ru_maxrss, never the maximum over all children (RUSAGE_CHILDREN). Cost: one
 * fork, and an exec unless fn is given. Lesson: a harness that forks in five places has five
 * ways to leak a process; one that forks in one place has one, and it is tested.
 */
#ifndef ROUTEBENCH_PROC_H
#define ROUTEBENCH_PROC_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Where a child's stdout or stderr goes. */
enum rb_child_io {
	RB_IO_INHERIT, /* ours */
	RB_IO_NULL,    /* /dev/null */
	RB_IO_PIPE,    /* stdout only: a pipe this process reads (rb_child_read) */
	RB_IO_FILE,    /* stderr only: appended to err_path (created 0666 & ~umask) */
};

#define RB_CHILD_GRACE_S 2.0 /* after a Ctrl-C, a child that ignored SIGTERM gets SIGKILL */
#define RB_CHILD_LINE_MAX 1024 /* longer lines reach on_line cut to this many bytes */

struct rb_child {
	/* Set by the caller (zero is the default for each). */
	char *const *argv;      /* NULL-terminated; argv[0] is looked up in PATH if it has no '/' */
	const char *exec_path;  /* exec this file instead of argv[0] (argv[0] is then its name) */
	int (*fn)(void *arg);   /* instead of argv: run fn(fn_arg) in the forked child, which then
				 * exits with its return value (stdio flushed, no atexit) */
	void *fn_arg;
	const char *const *env; /* NULL-terminated "NAME=VALUE" set in the child's environment */
	enum rb_child_io out, err;
	const char *err_path;   /* for err = RB_IO_FILE */
	double timeout_s;       /* SIGKILL to the group this long after the start; 0 = none */

	/* Set by rb_child_start, rb_child_read and rb_child_wait. */
	pid_t pid;              /* also the process group; -1 before start and after wait */
	int out_fd;             /* the read end of the stdout pipe, -1 when none */
	double started, deadline, grace_at; /* rb_now_s(); 0 = none */
	int killed;             /* SIGKILL was sent (deadline, interrupt or rb_child_kill) */
	int timed_out;          /* killed at the deadline */
	int status;             /* the wait status */
	struct rusage ru;       /* this child's own, from wait4() */
};

/* Handed each whole line of the child's stdout as it arrives, without its '\n'. */
typedef void (*rb_child_line_fn)(const char *line, size_t len, struct rb_child *c, void *ctx);

/*
 * Start the child. 0, or -errno (nothing is left running). stdio is flushed first, so the
 * child inherits no half-written buffers.
 */
int rb_child_start(struct rb_child *c);

/*
 * Read the child's stdout until it closes, killing the child at its deadline (or
 * RB_CHILD_GRACE_S after a trapped interrupt); keep the first cap - 1 bytes in out (NUL-
 * terminated; the rest is read and dropped; out may be NULL with cap 0) and hand every line to
 * on_line (may be NULL). Returns the bytes kept.
 */
size_t rb_child_read(struct rb_child *c, char *out, size_t cap, rb_child_line_fn on_line,
		     void *ctx);

/*
 * Close the pipe and reap the child with wait4() into c->status and c->ru, still enforcing
 * the deadline on a child that closed stdout but lingers. 0 or -errno.
 */
int rb_child_wait(struct rb_child *c);

/* Send sig to the child's whole process group (no-op once reaped). */
void rb_child_kill(struct rb_child *c, int sig);

/*
 * Start, read stdout into out[cap] (when out is RB_IO_PIPE; out is "" otherwise) and wait.
 * 0 when the child exited 0; -ETIMEDOUT when the deadline killed it; -ECHILD for any other end
 * (c->status says which); -errno when it could not be started.
 */
int rb_child_run(struct rb_child *c, char *out, size_t cap);

/* Whether the reaped child exited with this code. */
int rb_child_exited(const struct rb_child *c, int code);

/*
 * An argument vector built with a checked bound: every push that does not fit fails (and the
 * vector remembers it), so a long list is an error, never a cut-off command line. Strings
 * pushed with rb_argv_push are referenced, not copied; rb_argv_pushf copies into buf.
 */
#define RB_ARGV_MAX 192
struct rb_argv {
	char *v[RB_ARGV_MAX + 1]; /* NULL-terminated */
	size_t n, used;
	int overflow;             /* a push did not fit: -E2BIG */
	char buf[16384];
};

void rb_argv_init(struct rb_argv *a);
/* 0, or -E2BIG (and a->overflow) when the vector is full. */
int rb_argv_push(struct rb_argv *a, const char *s);
/* 0, or -E2BIG when the vector or its string space is full. */
int rb_argv_pushf(struct rb_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
