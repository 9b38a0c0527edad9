/*
 * signals.c - the process's one handler for the signals that end it (signals.h says what it
 * does). Everything it touches is a static of fixed size written with single stores, and it
 * calls only kill, unlink, signal and raise, all async-signal-safe. SA_RESTART keeps the
 * harness's own reads and waits going; they look at rb_signals_caught() on their next turn.
 */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int fatal_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static char pending_tmp[4096];             /* "" when no rb_outfile is open */
static volatile pid_t children[RB_SIGNALS_MAX_CHILDREN]; /* 0: a free slot */
static volatile sig_atomic_t trapped, caught, installed;

static void on_signal(int sig)
{
	int saved = errno;

	for (size_t i = 0; i < RB_SIGNALS_MAX_CHILDREN; i++)
		if (children[i] > 0)
			kill(-children[i], SIGTERM);
	if (trapped && sig != SIGPIPE) {
		if (!caught)
			caught = sig;
		errno = saved;
		return;
	}
	if (pending_tmp[0])
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig); /* blocked until the handler returns, then the default action */
}

void rb_signals_install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++) {
		struct sigaction old;

		/* Leave a signal the caller chose to ignore (nohup) ignored. */
		if (sigaction(fatal_sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(fatal_sigs[i], &sa, NULL);
	}
	installed = 1;
}

void rb_signals_trap(void)
{
	rb_signals_install();
	trapped = 1;
}

int rb_signals_caught(void)
{
	return caught;
}

void rb_signals_set_tmp(const char *path)
{
	size_t len = path ? strlen(path) : 0;

	pending_tmp[0] = '\0';
	if (len == 0 || len >= sizeof(pending_tmp))
		return;
	memcpy(pending_tmp + 1, path + 1, len); /* the first byte last: never a half path */
	pending_tmp[0] = path[0];
}

int rb_signals_add_child(pid_t pgid)
{
	for (size_t i = 0; i < RB_SIGNALS_MAX_CHILDREN; i++)
		if (children[i] == 0) {
			children[i] = pgid;
			return 0;
		}
	return -EBUSY;
}

void rb_signals_remove_child(pid_t pgid)
{
	for (size_t i = 0; i < RB_SIGNALS_MAX_CHILDREN; i++)
		if (children[i] == pgid)
			children[i] = 0;
}

void rb_signals_after_fork(void)
{
	for (size_t i = 0; i < RB_SIGNALS_MAX_CHILDREN; i++)
		children[i] = 0;
	trapped = 0;
	caught = 0;
}
