/*
 * procfs.h - another process's memory, read from the kernel while it runs: VmRSS (resident
 * now), VmHWM (the peak since start, or since the last reset), and the reset itself
 * (`echo 5 > /proc/PID/clear_refs`). Lesson: wait4() gives one peak for a whole life; to see
 * what one update costs, reset the peak before it and read it after.
 */
#ifndef ROUTEBENCH_SCENARIO_PROCFS_H
#define ROUTEBENCH_SCENARIO_PROCFS_H

#include <stdint.h>
#include <sys/types.h>

/* The field key ("VmRSS", "VmHWM", ...) of /proc/PID/status, in bytes. 0 or -errno. */
int sc_proc_status_bytes(pid_t pid, const char *key, uint64_t *bytes);
/* Reset pid's peak resident set (VmHWM) to its current one. 0 or -errno. */
int sc_proc_reset_hwm(pid_t pid);

#endif
