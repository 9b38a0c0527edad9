/*
 * allocator.h - which malloc serves this process, how many bytes it has handed out, and where
 * Debian keeps jemalloc for LD_PRELOAD.
 *
 * The allocator is identified by looking, not by trusting the command line: jemalloc exports
 * mallctl(), glibc does not, so a row that says jemalloc proves the cell ran under it.
 */
#ifndef ROUTEBENCH_ALLOCATOR_H
#define ROUTEBENCH_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_ASAN 1
#endif
#endif
#ifndef BENCH_ASAN
#define BENCH_ASAN 0
#endif

/* "jemalloc", "asan" (the sanitizer's allocator) or "glibc". */
const char *bench_alloc_name(void);
/* The serving allocator's version into buf[cap] ("" if unknown). */
void bench_alloc_version(char *buf, size_t cap);
/* Bytes the application holds from the allocator right now (0 if it cannot tell). */
uint64_t bench_alloc_heap_bytes(void);

/*
 * Find libjemalloc.so.2: $RB_JEMALLOC, the multiarch and usual library folders, then
 * `ldconfig -p`. 0 with the path in buf, or -ENOENT.
 */
int bench_jemalloc_path(char *buf, size_t cap);

#endif
