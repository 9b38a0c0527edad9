/*
 * allocator.h - which malloc serves this process, its view of the heap (bytes handed out,
 * pages behind them, bytes held from the OS), and where Debian keeps jemalloc for LD_PRELOAD.
 *
 * The allocator is identified by looking, not by trusting the command line: jemalloc exports
 * mallctl(), glibc does not, so a row that says jemalloc proves the cell ran under it.
 * Lesson: between "the structure holds n bytes" and "the process is n bytes resident" sit
 * the allocator's headers, size classes, partly used pages and freed memory it keeps.
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

/* An allocator a cell can be asked to run under (glibc's malloc, or jemalloc preloaded). */
enum bench_allocator {
	BENCH_GLIBC,
	BENCH_JEMALLOC,
	BENCH_N_ALLOCATORS
};

/* "glibc" or "jemalloc" ("?" out of range). */
const char *bench_allocator_name(enum bench_allocator a);
/* The allocator of that exact name. 0, or -EINVAL (*out untouched). */
int bench_allocator_parse(const char *name, enum bench_allocator *out);
/* Whether a process served by `served` (a bench_alloc_name()) runs under want. */
int bench_allocator_serves(enum bench_allocator want, const char *served);

#define BENCH_PRELOAD_MAX 8192 /* the longest LD_PRELOAD entry a cell's child gets */

/*
 * The environment entry that puts a child under a: for jemalloc "LD_PRELOAD=PATH" with
 * libjemalloc.so.2 first and any LD_PRELOAD of ours after it, into buf[cap]; for glibc ""
 * (our environment unchanged). 0; -ENOENT when libjemalloc.so.2 is not found; -ENAMETOOLONG
 * when the entry does not fit (never a cut-off list); buf is then "".
 */
int bench_allocator_preload(enum bench_allocator a, char *buf, size_t cap);

/* Print why bench_allocator_preload(a) failed with rc, as "PROG: ..." on stderr. */
void bench_allocator_preload_error(const char *prog, enum bench_allocator a, int rc);

/* "jemalloc", "asan" (the sanitizer's allocator) or "glibc": what serves this process. */
const char *bench_alloc_name(void);
/* The serving allocator's version into buf[cap] ("" if unknown). */
void bench_alloc_version(char *buf, size_t cap);

/*
 * The serving allocator's view of its heap right now, in bytes: allocated <= active <=
 * resident, and metadata is part of resident, not of active.
 *
 * allocated  handed out to the application, as the allocator counts it. jemalloc
 *            stats.allocated: every live object at its size class (malloc(20) counts 32),
 *            no headers exist. glibc mallinfo2 uordblks + hblkhd: in-use chunks with their
 *            8-byte size header, rounded to 16 bytes, at least 32; mmapped chunks whole pages.
 *            glibc counts chunks parked in its thread cache (up to 7 per size, to 1 KiB) as
 *            in use; jemalloc's thread cache is flushed before reading, so it does not.
 * active     jemalloc stats.active: the pages of extents holding at least one live object, so
 *            the free slots of partly used slabs and the rounding of large objects to pages
 *            show. glibc has no such figure: it carves chunks out of one contiguous heap with
 *            no slabs or per-size pages, the header and rounding are already in allocated, and
 *            its free chunks belong with jemalloc's free pages (in resident): so active =
 *            allocated.
 * resident   bytes the allocator holds from the OS for the heap. jemalloc stats.resident:
 *            active pages + dirty pages (freed, not yet returned: decay) + metadata pages; an
 *            upper bound, since a page never touched is not really resident. glibc mallinfo2
 *            arena + hblkhd: every arena's heap obtained with brk/mmap plus the mmapped chunks,
 *            i.e. allocated + free chunks (fordblks, the top chunk included); also an upper
 *            bound, since the untouched end of the top chunk and pages malloc_trim gave back
 *            with MADV_DONTNEED are not resident.
 * metadata   jemalloc stats.metadata: the allocator's own structures (extent headers, radix
 *            tree, thread caches), resident and outside active. glibc: 0, its bookkeeping is
 *            the chunk headers, already in allocated.
 *
 * Under AddressSanitizer: allocated = active = the sanitizer's current allocated bytes,
 * resident = its heap size (redzones and quarantine included), metadata 0.
 */
struct bench_alloc_stats {
	uint64_t allocated, active, resident, metadata;
};

/*
 * Fill *st from the serving allocator: jemalloc's thread cache is flushed and its statistics
 * refreshed ("epoch") first; O(arenas). 0, or -ENOTSUP when the allocator keeps no statistics
 * (a jemalloc built without them); *st is written only on success.
 */
int bench_alloc_stats(struct bench_alloc_stats *st);
/* bench_alloc_stats' allocated, or 0 if the allocator cannot tell. */
uint64_t bench_alloc_heap_bytes(void);

/*
 * Find libjemalloc.so.2: $RB_JEMALLOC, the multiarch and usual library folders, then
 * `ldconfig -p`. 0 with the path in buf, -ENOENT, or -ENAMETOOLONG when it does not fit.
 */
int bench_jemalloc_path(char *buf, size_t cap);

#endif
