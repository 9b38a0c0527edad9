/*
 * membench.h - the machine's own limits, measured: dependent-load latency from 4 KiB to 1 GiB
 * working sets (the L1, L2, LLC and DRAM plateaus), sequential read bandwidth, and the rate of
 * independent random 64-byte reads that memory-level parallelism allows.
 *
 * Cost: one buffer of --max-bytes (1 GiB at most) plus 4 bytes per 64-byte node; about 40 s in
 * full, a second or two --quick. Lesson: a lookup that misses the caches k times cannot be
 * faster than k DRAM latencies, unless its misses overlap; these are the figures to divide by.
 */
#ifndef ROUTEBENCH_MEMBENCH_H
#define ROUTEBENCH_MEMBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MEMBENCH_MAX_BYTES ((uint64_t)1 << 30) /* the largest working set allowed */
#define MEMBENCH_MIN_BYTES 4096
#define MEMBENCH_NODE 64                       /* bytes per chase node: one cache line */
#define MEMBENCH_MAX_POINTS 32
#define MEMBENCH_MAX_CHAINS 8                  /* parallel chase widths measured */

/* One cache level (bytes 0: unknown). */
struct membench_cache {
	uint64_t bytes;
	unsigned ways, line;
};

/* The data caches this CPU reports, and where the figures came from ("sysfs", "sysconf"). */
struct membench_caches {
	struct membench_cache l1d, l1i, l2, llc;
	char source[16];
};

/*
 * The caches of cpu0 from /sys/devices/system/cpu/cpu0/cache, or sysconf(_SC_LEVEL*) where
 * sysfs has none (glibc's sysconf can report every CCX's L3 summed: sysfs is right first).
 * Never fails: an unknown level is left 0.
 */
void membench_caches_read(struct membench_caches *c);

struct membench_point {
	uint64_t bytes;     /* working set */
	double ns;          /* median ns per dependent load */
};

struct membench_parallel {
	unsigned chains;    /* independent chases interleaved */
	double ns;          /* median ns per read, all chains together */
};

/* What membench_run measured; every figure is a median of opts.runs runs. */
struct membench {
	double l1_ns, l2_ns, llc_ns, dram_ns;   /* dependent-load latency at each plateau */
	uint64_t l1_at, l2_at, llc_at, dram_at; /* the working set each was read at */
	int dram_beyond_llc;    /* dram_at >= 4 x the LLC: the figure is DRAM's, not a cache's */
	double seq_read_gb_s;   /* summing the whole buffer, 10^9 bytes per second */
	unsigned seq_read_width; /* bytes per load: 32 (AVX2) or 16 (SSE2) */
	double random_read_ns;  /* per read, the best of the parallel widths */
	double random_reads_per_s;
	unsigned random_read_chains; /* the width that gave it */
	uint64_t max_bytes;     /* the buffer: the largest working set */
	unsigned runs;
	int huge_pages;         /* MADV_HUGEPAGE was asked for */
	struct membench_caches caches;
	size_t n_points;
	struct membench_point point[MEMBENCH_MAX_POINTS];
	size_t n_parallel;
	struct membench_parallel parallel[MEMBENCH_MAX_CHAINS];
};

struct membench_opts {
	uint64_t max_bytes;  /* largest working set, 4 KiB..MEMBENCH_MAX_BYTES (0: 1 GiB) */
	int quick;           /* short runs, 256 MiB at most (tests, bench) */
	unsigned runs;       /* runs per figure (0: 5, quick 3) */
	int huge_pages;      /* madvise(MADV_HUGEPAGE) the buffer (default: 4 KiB pages, as the
				structures' heaps get) */
	FILE *progress;      /* a line per step, or NULL */
};

/*
 * The largest working set that fits: max_bytes rounded down to a power of two, halved while it
 * (plus its 4 bytes per node of bookkeeping) is more than half of MemAvailable. 0 if even
 * 4 KiB does not fit.
 */
uint64_t membench_fit_bytes(uint64_t max_bytes);

/*
 * Measure into *out: the latency at each power-of-two working set from 4 KiB to
 * membench_fit_bytes(max_bytes), the level figures picked from that curve with the cache sizes,
 * then 1..32 parallel chases and the sequential read over the whole buffer. 0, -EINVAL (bad
 * options), or -ENOMEM (nothing fits, or the buffer is refused). Runs for tens of seconds.
 */
int membench_run(const struct membench_opts *o, struct membench *out);

/*
 * Write the figures as JSON object members, one per line, each line starting with indent:
 * l1_ns, l2_ns, llc_ns, dram_ns, seq_read_gb_s, random_read_ns, random_reads_per_s,
 * random_read_chains, dram_beyond_llc, membench_max_bytes; with a trailing comma after the last
 * unless last is set. For meta.json's machine object and `machine --json`.
 */
void membench_json_fields(FILE *f, const char *indent, const struct membench *m, int last);

/* ns expressed in DRAM latencies (ns / dram_ns): a lookup's "DRAM misses' worth". */
double membench_dram_misses(const struct membench *m, double ns);

#endif
