/*
 * lesson_api.h - the rules behind the service lessons (scenarios 4 and 5): the targets
 * as constants, the share of a request that is the lookup, the spike, the hockey stick's knee,
 * and each update target met or not. Pure functions over figures already read; no I/O, no
 * text. Lesson: a target is a number and a comparison, written once, unit-tested.
 */
#ifndef ROUTEBENCH_LESSON_API_H
#define ROUTEBENCH_LESSON_API_H

#include <stddef.h>
#include <stdint.h>

#define LESSON_SPIKE_RATE (10000.0 / 60.0) /* the course's spike: 10,000 requests a minute */
#define LESSON_SPIKE_P999_US 1000.0        /* target: p99.9 at the spike under 1 ms */
#define LESSON_BASE_SHARE 0.70             /* target: max at least 70% of the baseline's */
#define LESSON_KNEE_MULT 5.0               /* the knee: p99 past 5x its figure at the spike */
#define LESSON_INPLACE_MS 200.0            /* target: an in-place delta visible in 0.2 s */
#define LESSON_REBUILD_X 1.5               /* target: a rebuild visible in 1.5x the build */
#define LESSON_UPDATE_RSS_X 1.2            /* target: peak at most idle + 1.2x one table */
#define LESSON_UPDATE_TAIL_X 3.0           /* target: p99.9 under updates at most 3x quiet */
#define LESSON_TARGET_ROUTES 10000000ULL   /* the targets are stated at 5 x 10M routes */
#define LESSON_TARGET_CARRIERS 5ULL

/* Is rate (offered, per second) the course's spike (within 0.1%: the files round it)? */
int lesson_is_spike(double rate);

/*
 * The share of a request that is the lookup: 1 - impl_max / base_max, each a closed-loop
 * maximum in requests per second (a request with the lookup costs 1 / impl_max of the server,
 * one without 1 / base_max). NaN unless both are above 0; negative when the implementation
 * outran the baseline (noise: the lookup is not measurable).
 */
double lesson_lookup_share(double impl_max, double base_max);

/*
 * The hockey stick's knee: over the p99 of points by offered rate, ascending, how many from
 * the first keep p99 at most mult x ref_p99 (the p99 at the spike): the knee is the k-th
 * point's rate, the highest before the first point past it. n when none is past it; 0 when
 * ref_p99 is not above 0 or the first point is past.
 */
size_t lesson_knee(const double *p99, size_t n, double ref_p99, double mult);

/* A target's verdict: met, not met, or not judged (a figure missing). */
enum lesson_target { LESSON_MET, LESSON_NOT_MET, LESSON_UNJUDGED };

/* p99.9 at the spike under 1 ms? */
enum lesson_target lesson_spike_target(double p999_us);
/* The closed-loop maximum at least LESSON_BASE_SHARE of the baseline's? */
enum lesson_target lesson_base_target(double impl_max, double base_max);
/*
 * An update's time to visible: in place (inplace 1) under LESSON_INPLACE_MS; by rebuild under
 * LESSON_REBUILD_X x build_ms (the implementation's build of that carrier).
 */
enum lesson_target lesson_visible_target(int inplace, double visible_ms, double build_ms);
/* Peak RSS during an update, above idle (bytes), at most LESSON_UPDATE_RSS_X x the table? */
enum lesson_target lesson_rss_target(double above_idle, double table_bytes);
/* p99.9 during updates at most LESSON_UPDATE_TAIL_X x p99.9 outside them? */
enum lesson_target lesson_tail_target(double p999_updates, double p999_quiet);

/* An open-loop point whose achieved rate is below 95% of its offered one: the server fell
 * behind, and its latencies are the queue's. */
#define LESSON_KEPT_UP 0.95
int lesson_fell_behind(double offered, double achieved);

/* Is the run at the targets' size (5 carriers x 10M routes)? */
int lesson_at_target_size(uint64_t routes, uint64_t carriers);

#endif
