/*
 * clock.h - the one clock the harness times with: CLOCK_MONOTONIC in seconds, as a double.
 *
 * Monotonic, so a wall-clock step (NTP, a suspended laptop) never makes a phase negative or a
 * deadline fire early; a double keeps nanoseconds for about 100 days of uptime. One call costs
 * a vDSO read (~20 ns), so it may sit inside timed loops. (datasets/ keeps no clock: it only
 * generates.)
 */
#ifndef ROUTEBENCH_CLOCK_H
#define ROUTEBENCH_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock (an arbitrary origin: only differences mean anything). */
static inline double rb_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
