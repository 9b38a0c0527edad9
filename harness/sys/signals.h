/*
 * signals.h - what the process does when it is told to stop (SIGINT, SIGTERM, SIGHUP, and
 * SIGPIPE): one handler for the whole process, installed on first use by rb_outfile and by
 * rb_child (proc.h), so neither leaves debris behind.
 *
 * The handler sends SIGTERM to the process group of every running child, then either lets the
 * process die of the signal as it would have (after removing the open rb_outfile's temporary
 * file), or, once the command called rb_signals_trap(), records SIGINT, SIGTERM or SIGHUP and
 * returns, so a long command (bench) can stop at a safe point and say how far it got. Signals
 * the caller ignored (nohup) stay ignored. Lesson: a Ctrl-C is an input like any other; a run
 * that dies of one must still tell the truth about itself.
 */
#ifndef ROUTEBENCH_SIGNALS_H
#define ROUTEBENCH_SIGNALS_H

#include <sys/types.h>

#define RB_SIGNALS_MAX_CHILDREN 8 /* children running at once (massif: valgrind and vgdb) */

/* Install the handler, once. Async-signal-safe to call again. */
void rb_signals_install(void);

/* From now on SIGINT, SIGTERM and SIGHUP are recorded (rb_signals_caught), not fatal. */
void rb_signals_trap(void);

/* The first trapped signal caught, or 0. */
int rb_signals_caught(void);

/* The temporary file the handler removes when the process dies of a signal ("" or NULL: none). */
void rb_signals_set_tmp(const char *path);

/*
 * A child (the leader of its own process group) the handler signals, and its removal once
 * reaped. At most RB_SIGNALS_MAX_CHILDREN at once: -EBUSY past that (the child then runs
 * unwatched; its own deadline still applies).
 */
int rb_signals_add_child(pid_t pgid);
void rb_signals_remove_child(pid_t pgid);

/* In a freshly forked child that does not exec: not trapped, no children of its own yet. */
void rb_signals_after_fork(void);

#endif
