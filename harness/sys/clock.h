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

#include <stdint.h>
#include <time.h>

/* Seconds on the monotonic clock (an arbitrary origin: only differences mean anything). */
static inline double rb_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Nanoseconds on the same clock, as an integer: for schedules that must not drift (load's
 * due times) and timerfd deadlines. */
static inline uint64_t rb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Milliseconds on the same clock, as a double: the unit the server reports update times in. */
static inline double rb_now_ms(void)
{
	return rb_now_s() * 1e3;
}

#endif
