/*
 * proc.c - child processes (proc.h): fork with INT/TERM/HUP blocked until the child is in its
 * own process group and on the signal handler's list, so a Ctrl-C can never orphan it; exec or
 * call fn; read stdout through poll() against the deadline; reap with wait4().
 */
#define _GNU_SOURCE /* pipe2 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "signals.h"

extern char **environ;

/* Ours, with every "NAME=" of env replacing ours or added. NULL when out of memory. */
static char **child_environ(const char *const *env)
{
	size_t n = 0, k = 0, j = 0;
	char **v;

	while (environ[n])
		n++;
	while (env[k])
		k++;
	v = calloc(n + k + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;

		for (size_t e = 0; e < k && !replaced; e++) {
			size_t len = strcspn(env[e], "=");

			replaced = strncmp(environ[i], env[e], len + 1) == 0;
		}
		if (!replaced)
			v[j++] = environ[i];
	}
	for (size_t e = 0; e < k; e++)
		v[j++] = (char *)env[e];
	return v;
}

/* fd onto /dev/null, or onto path appended to. 0 or -1. */
static int redirect(int fd, const char *path)
{
	int flags = path ? O_WRONLY | O_CREAT | O_APPEND : O_RDWR;
	int nfd = open(path ? path : "/dev/null", flags | O_CLOEXEC, 0666);

	if (nfd < 0 || dup2(nfd, fd) < 0)
		return -1;
	close(nfd);
	return 0;
}

/* In the forked child: its own group, the caller's signal mask, its fds, then exec or fn. */
static void child_run(const struct rb_child *c, int out_w, char **envp, const sigset_t *mask)
{
	const char *file = c->exec_path ? c->exec_path : c->argv ? c->argv[0] : "";
	int ok = 1;

	setpgid(0, 0);
	rb_signals_after_fork();
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (out_w >= 0)
		ok = dup2(out_w, STDOUT_FILENO) >= 0;
	else if (c->out == RB_IO_NULL)
		ok = redirect(STDOUT_FILENO, NULL) == 0;
	if (ok && c->err == RB_IO_NULL)
		ok = redirect(STDERR_FILENO, NULL) == 0;
	else if (ok && c->err == RB_IO_FILE)
		ok = redirect(STDERR_FILENO, c->err_path) == 0;
	if (ok && c->fn) {
		int rc = c->fn(c->fn_arg);

		fflush(NULL);
		_exit(rc);
	}
	if (ok && envp)
		environ = envp;
	if (ok && c->exec_path)
		execv(file, c->argv);
	else if (ok)
		execvp(file, c->argv);
	fprintf(stderr, "routebench: cannot run %s: %s\n", file, strerror(errno));
	_exit(127);
}

int rb_child_start(struct rb_child *c)
{
	int fds[2] = { -1, -1 }, e = 0;
	char **envp = NULL;
	sigset_t block, old;
	pid_t pid;

	c->pid = -1;
	c->out_fd = -1;
	c->killed = c->timed_out = c->status = 0;
	c->grace_at = c->deadline = 0;
	memset(&c->ru, 0, sizeof(c->ru));
	if (!c->fn && (!c->argv || !c->argv[0]))
		return -EINVAL;
	if (c->env && !(envp = child_environ(c->env)))
		return -ENOMEM;
	if (c->out == RB_IO_PIPE && pipe2(fds, O_CLOEXEC) != 0) {
		e = errno;
		free(envp);
		return -e;
	}
	rb_signals_install();
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child_run(c, fds[1], envp, &old);
	e = errno;
	if (pid > 0) {
		setpgid(pid, pid); /* the child does too: whichever runs first, the group exists */
		rb_signals_add_child(pid);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(envp);
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		return -e;
	}
	c->pid = pid;
	c->out_fd = fds[0];
	c->started = rb_now_s();
	if (c->timeout_s > 0)
		c->deadline = c->started + c->timeout_s;
	return 0;
}

void rb_child_kill(struct rb_child *c, int sig)
{
	if (c->pid <= 0)
		return;
	if (kill(-c->pid, sig) != 0)
		kill(c->pid, sig);
	if (sig == SIGKILL)
		c->killed = 1;
}

/*
 * How long a read or wait may block, in ms (-1: no limit), after killing the child if its
 * deadline or its grace after an interrupt has passed.
 */
static int wait_ms(struct rb_child *c)
{
	double now = rb_now_s(), until = c->deadline, left;

	if (c->killed)
		return -1;
	if (!c->grace_at && rb_signals_caught())
		c->grace_at = now + RB_CHILD_GRACE_S;
	if (c->grace_at && (!until || c->grace_at < until))
		until = c->grace_at;
	if (!until)
		return -1;
	left = until - now;
	if (left > 0)
		return left > 60 ? 60000 : (int)(left * 1000) + 1;
	c->timed_out = c->deadline && now >= c->deadline;
	rb_child_kill(c, SIGKILL);
	return -1;
}

/* Assemble lines from one chunk of output and hand each whole one to on_line. */
static void split_lines(struct rb_child *c, const char *chunk, size_t n, char *line,
			size_t *len, rb_child_line_fn on_line, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		if (chunk[i] != '\n') {
			if (*len + 1 < RB_CHILD_LINE_MAX)
				line[(*len)++] = chunk[i];
			continue;
		}
		line[*len] = '\0';
		on_line(line, *len, c, ctx);
		*len = 0;
	}
}

size_t rb_child_read(struct rb_child *c, char *out, size_t cap, rb_child_line_fn on_line,
		     void *ctx)
{
	char chunk[4096], line[RB_CHILD_LINE_MAX];
	size_t kept = 0, line_len = 0;

	while (c->out_fd >= 0) {
		struct pollfd pfd = { .fd = c->out_fd, .events = POLLIN };
		int ms = wait_ms(c), ready = poll(&pfd, 1, ms);
		ssize_t n;

		if (ready < 0 && errno != EINTR) {
			rb_child_kill(c, SIGKILL);
			break;
		}
		if (ready <= 0)
			continue; /* EINTR, or the deadline: wait_ms acts on it */
		n = read(c->out_fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (kept + 1 < cap) {
			size_t keep = (size_t)n < cap - 1 - kept ? (size_t)n : cap - 1 - kept;

			memcpy(out + kept, chunk, keep);
			kept += keep;
		}
		if (on_line)
			split_lines(c, chunk, (size_t)n, line, &line_len, on_line, ctx);
	}
	if (cap)
		out[kept] = '\0';
	return kept;
}

int rb_child_wait(struct rb_child *c)
{
	long sleep_ns = 1000000;
	int rc = 0;

	if (c->out_fd >= 0)
		close(c->out_fd);
	c->out_fd = -1;
	if (c->pid <= 0)
		return -ECHILD;
	for (;;) {
		int ms = wait_ms(c);
		pid_t r = wait4(c->pid, &c->status, c->killed ? 0 : WNOHANG, &c->ru);
		struct timespec ts = { 0, sleep_ns };

		if (r == c->pid)
			break;
		if (r < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (r != 0)
			continue;
		if (ms >= 0 && ms < sleep_ns / 1000000)
			ts.tv_nsec = (long)ms * 1000000;
		nanosleep(&ts, NULL);
		if (sleep_ns < 50000000)
			sleep_ns *= 2;
	}
	rb_signals_remove_child(c->pid);
	c->pid = -1;
	return rc;
}

int rb_child_run(struct rb_child *c, char *out, size_t cap)
{
	int rc;

	if (cap)
		out[0] = '\0';
	rc = rb_child_start(c);
	if (rc != 0)
		return rc;
	if (c->out == RB_IO_PIPE)
		rb_child_read(c, out, cap, NULL, NULL);
	rc = rb_child_wait(c);
	if (rc != 0)
		return rc;
	if (c->timed_out)
		return -ETIMEDOUT;
	return rb_child_exited(c, 0) ? 0 : -ECHILD;
}

int rb_child_exited(const struct rb_child *c, int code)
{
	return WIFEXITED(c->status) && WEXITSTATUS(c->status) == code;
}

void rb_argv_init(struct rb_argv *a)
{
	a->n = a->used = 0;
	a->overflow = 0;
	a->v[0] = NULL;
}

int rb_argv_push(struct rb_argv *a, const char *s)
{
	if (a->overflow || a->n == RB_ARGV_MAX) {
		a->overflow = 1;
		return -E2BIG;
	}
	a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
	return 0;
}

int rb_argv_pushf(struct rb_argv *a, const char *fmt, ...)
{
	size_t room = sizeof(a->buf) - a->used;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(a->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		a->overflow = 1;
		return -E2BIG;
	}
	if (rb_argv_push(a, a->buf + a->used) != 0)
		return -E2BIG;
	a->used += (size_t)n + 1;
	return 0;
}
