/*
 * fault_alloc.h - the tests' own malloc, calloc, realloc and free (fault_alloc.c, forwarding to
 * glibc's), so that one chosen allocation fails and every block is counted: the tests that walk
 * each -ENOMEM path in turn link it. Under a sanitizer (which owns the allocator) or another
 * libc FAULT_ALLOC is 0, nothing is replaced and those tests skip. Costs two counters a call.
 * Lesson: an out-of-memory path is code like any other, and only running it shows its bugs.
 */
#ifndef ROUTEBENCH_FAULT_ALLOC_H
#define ROUTEBENCH_FAULT_ALLOC_H

#include <stdlib.h> /* defines __GLIBC__ under glibc */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FAULT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FAULT_SANITIZED 1
#endif
#endif

#if !defined(FAULT_SANITIZED) && defined(__GLIBC__)
#define FAULT_ALLOC 1
#else
#define FAULT_ALLOC 0
#endif

/* Start counting: made and live back to 0, no allocation failing. Counting goes on until
 * fault_stop. */
void fault_start(void);
/* The n-th allocation from now (0: the next one) fails, returning NULL; -1: none fails. */
void fault_arm(long n);
/* No allocation fails from now on; made and live are still counted. */
void fault_disarm(void);
/* Stop counting (the counters keep their values until the next fault_start). */
void fault_stop(void);
/* Allocations asked for since fault_start, a failed one included. */
long fault_made(void);
/* Blocks allocated since fault_start minus those freed (0 after a build and its destroy). */
long fault_live(void);
/* Whether the allocation fault_arm named has been asked for (and failed). */
int fault_hit(void);

#endif
