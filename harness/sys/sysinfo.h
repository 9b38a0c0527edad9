/*
 * sysinfo.h - the facts about the machine and the build that a benchmark figure depends on,
 * gathered once per run for meta.json: CPU, cores, memory, kernel, compiler and flags, git
 * commit, library versions. A number without them cannot be compared with anyone else's.
 */
#ifndef ROUTEBENCH_SYSINFO_H
#define ROUTEBENCH_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

struct bench_sysinfo {
	char cpu_model[160];
	long cores;                 /* online processors */
	uint64_t mem_total_bytes;
	char kernel[320];           /* uname: sysname release version machine */
	char compiler[128];
	char c_flags[512];          /* CMAKE_C_FLAGS + the build type's flags + compile options */
	char build_type[32];
	int asan;                   /* built with AddressSanitizer */
	char git_commit[64];        /* "unknown" outside a checkout */
	int git_dirty;              /* uncommitted changes; -1 unknown */
	char glibc_version[32];
	char libc6_package[64];     /* dpkg-query versions, "" when not on Debian */
	char jemalloc_package[64];
	char jemalloc_path[512];    /* "" when not found */
};

void bench_sysinfo_collect(struct bench_sysinfo *s);

/*
 * Run argv (no shell) with stdout captured: the first line of its output, without the
 * newline, into buf[cap]. 0 if it exited 0, else -1 (buf is then "").
 */
int bench_capture(char *const argv[], char *buf, size_t cap);

/* sha256 of the file at path as 64 hex digits (via sha256sum). 0 or -1. */
int bench_sha256(const char *path, char hex[65]);

/* This process's resident set now and at its peak (VmRSS, VmHWM), in bytes; 0 if unknown. */
void bench_self_rss(uint64_t *rss, uint64_t *hwm);

/* Where the sources are (for plots/ and git): RB_SOURCE_DIR from the build, or ".". */
const char *bench_source_dir(void);

#endif
