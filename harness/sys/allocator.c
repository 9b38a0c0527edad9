/*
 * allocator.c - identify the serving malloc and read its heap figures (allocator.h says what
 * each one means under each allocator).
 *
 * glibc: one mallinfo2(), O(arenas + free-list bins). jemalloc: flush this thread's cache,
 * bump "epoch" so the statistics are refreshed, then read stats.{allocated,active,resident,
 * metadata}; O(arenas).
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include "allocator.h"

#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

#if BENCH_ASAN
/* From the sanitizer runtime (sanitizer/allocator_interface.h, not always installed). */
size_t __sanitizer_get_current_allocated_bytes(void);
size_t __sanitizer_get_heap_size(void);
#endif

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);

static mallctl_fn jemalloc_mallctl(void)
{
	mallctl_fn f;
	void *sym = dlsym(RTLD_DEFAULT, "mallctl");

	memcpy(&f, &sym, sizeof(f)); /* object to function pointer, without the ISO C warning */
	return f;
}

static const char *const allocator_names[BENCH_N_ALLOCATORS] = { "glibc", "jemalloc" };

const char *bench_allocator_name(enum bench_allocator a)
{
	return a < BENCH_N_ALLOCATORS ? allocator_names[a] : "?";
}

int bench_allocator_parse(const char *name, enum bench_allocator *out)
{
	for (int a = 0; a < BENCH_N_ALLOCATORS; a++)
		if (strcmp(name, allocator_names[a]) == 0) {
			*out = a;
			return 0;
		}
	return -EINVAL;
}

int bench_allocator_serves(enum bench_allocator want, const char *served)
{
	return (want == BENCH_JEMALLOC) == (strcmp(served, "jemalloc") == 0);
}

int bench_allocator_preload(enum bench_allocator a, char *buf, size_t cap)
{
	const char *old = getenv("LD_PRELOAD");
	char path[4096];
	int rc, n;

	if (a != BENCH_JEMALLOC) {
		if (cap == 0)
			return -ENAMETOOLONG;
		buf[0] = '\0';
		return 0;
	}
	rc = bench_jemalloc_path(path, sizeof(path));
	if (rc != 0)
		return rc;
	n = snprintf(buf, cap, "LD_PRELOAD=%s%s%s", path, old && *old ? ":" : "",
		     old ? old : "");
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

void bench_allocator_preload_error(const char *prog, enum bench_allocator a, int rc)
{
	const char *old = getenv("LD_PRELOAD"), *name = bench_allocator_name(a);
	char path[4096];

	if (rc == -ENOENT) {
		fprintf(stderr, "%s: %s: libjemalloc.so.2 not found (install libjemalloc2, or set "
				"RB_JEMALLOC=/path/to/libjemalloc.so.2)\n", prog, name);
	} else if (rc == -ENAMETOOLONG && bench_jemalloc_path(path, sizeof(path)) == 0) {
		size_t need = strlen("LD_PRELOAD=") + strlen(path) + 1;

		need += old && *old ? 1 + strlen(old) : 0;
		fprintf(stderr, "%s: %s: LD_PRELOAD would be %zu bytes (%s in front of the %zu of "
				"$LD_PRELOAD), more than the %d a cell's child is given; shorten "
				"LD_PRELOAD\n", prog, name, need, path, old ? strlen(old) : 0,
			BENCH_PRELOAD_MAX);
	} else if (rc == -ENAMETOOLONG) {
		fprintf(stderr, "%s: %s: the path to libjemalloc.so.2 ($RB_JEMALLOC) is longer "
				"than %zu bytes\n", prog, name, sizeof(path) - 1);
	} else {
		fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(-rc));
	}
}

const char *bench_alloc_name(void)
{
	if (jemalloc_mallctl())
		return "jemalloc";
	return BENCH_ASAN ? "asan" : "glibc";
}

void bench_alloc_version(char *buf, size_t cap)
{
	mallctl_fn mallctl = jemalloc_mallctl();
	const char *v = NULL;
	size_t len = sizeof(v);

	if (mallctl) {
		if (mallctl("version", &v, &len, NULL, 0) != 0)
			v = NULL;
	} else {
		v = gnu_get_libc_version();
	}
	snprintf(buf, cap, "%s", v ? v : "");
}

/* jemalloc's figures through mallctl. 0, or -ENOTSUP (built without statistics). */
static int jemalloc_stats(mallctl_fn mallctl, struct bench_alloc_stats *st)
{
	static const char *const names[] = { "stats.allocated", "stats.active", "stats.resident",
					     "stats.metadata" };
	size_t v[4], len;
	uint64_t epoch = 1;

	mallctl("thread.tcache.flush", NULL, NULL, NULL, 0); /* fails harmlessly without one */
	len = sizeof(epoch);
	if (mallctl("epoch", &epoch, &len, &epoch, sizeof(epoch)) != 0)
		return -ENOTSUP;
	for (size_t i = 0; i < 4; i++) {
		len = sizeof(v[i]);
		if (mallctl(names[i], &v[i], &len, NULL, 0) != 0)
			return -ENOTSUP;
	}
	*st = (struct bench_alloc_stats){ v[0], v[1], v[2], v[3] };
	return 0;
}

int bench_alloc_stats(struct bench_alloc_stats *st)
{
	mallctl_fn mallctl = jemalloc_mallctl();

	if (mallctl)
		return jemalloc_stats(mallctl, st);
#if BENCH_ASAN
	size_t used = __sanitizer_get_current_allocated_bytes();

	*st = (struct bench_alloc_stats){ used, used, __sanitizer_get_heap_size(), 0 };
#else
	struct mallinfo2 mi = mallinfo2();

	st->allocated = (uint64_t)mi.uordblks + (uint64_t)mi.hblkhd;
	st->active = st->allocated;
	st->resident = (uint64_t)mi.arena + (uint64_t)mi.hblkhd;
	st->metadata = 0;
#endif
	return 0;
}

uint64_t bench_alloc_heap_bytes(void)
{
	struct bench_alloc_stats st;

	return bench_alloc_stats(&st) == 0 ? st.allocated : 0;
}

/* path into buf[cap]: 0, or -ENAMETOOLONG (buf untouched) rather than a cut-off path. */
static int copy_path(char *buf, size_t cap, const char *path)
{
	size_t len = strlen(path);

	if (len >= cap)
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	return 0;
}

/* Debian's multiarch triplet for this machine, or NULL. */
static const char *multiarch(void)
{
#if defined(__x86_64__)
	return "x86_64-linux-gnu";
#elif defined(__aarch64__)
	return "aarch64-linux-gnu";
#elif defined(__i386__)
	return "i386-linux-gnu";
#elif defined(__arm__)
	return "arm-linux-gnueabihf";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return "powerpc64le-linux-gnu";
#elif defined(__s390x__)
	return "s390x-linux-gnu";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64-linux-gnu";
#else
	return NULL;
#endif
}

/* What ldconfig_lookup is looking for, and what it found. */
struct ldconfig_scan {
	char *buf;
	size_t cap;
	int rc;
};

/* A line "\tlibjemalloc.so.2 (libc6,x86-64) => /path": the first readable path wins. */
static void ldconfig_line(const char *line, size_t len, struct rb_child *c, void *ctx)
{
	struct ldconfig_scan *s = ctx;
	const char *arrow = strstr(line, "=> ");

	(void)len;
	(void)c;
	if (s->rc != -ENOENT || !strstr(line, "libjemalloc.so.2 (") || !arrow)
		return;
	if (access(arrow + 3, R_OK) != 0)
		return;
	s->rc = copy_path(s->buf, s->cap, arrow + 3);
}

/* The path ldconfig's cache gives for libjemalloc.so.2 (this ABI first), or -ENOENT. */
static int ldconfig_lookup(char *buf, size_t cap)
{
	static const char *const cmds[] = { "ldconfig", "/sbin/ldconfig" };
	struct ldconfig_scan s = { buf, cap, -ENOENT };

	for (size_t i = 0; i < 2 && s.rc == -ENOENT; i++) {
		char *const argv[] = { (char *)cmds[i], "-p", NULL };
		struct rb_child c = { .argv = argv, .out = RB_IO_PIPE, .err = RB_IO_NULL };

		if (rb_child_start(&c) != 0)
			continue;
		rb_child_read(&c, NULL, 0, ldconfig_line, &s);
		rb_child_wait(&c);
	}
	return s.rc;
}

int bench_jemalloc_path(char *buf, size_t cap)
{
	static const char *const dirs[] = { "/usr/lib/%s", "/lib/%s", "/usr/lib64", "/usr/lib",
					    "/usr/local/lib" };
	const char *env = getenv("RB_JEMALLOC");
	const char *arch = multiarch();
	char dir[256], path[512];

	if (env && *env) {
		if (access(env, R_OK) != 0)
			return -ENOENT;
		return copy_path(buf, cap, env);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strstr(dirs[i], "%s") && !arch)
			continue;
		snprintf(dir, sizeof(dir), dirs[i], arch); /* extra argument ignored without %s */
		snprintf(path, sizeof(path), "%s/libjemalloc.so.2", dir);
		if (access(path, R_OK) == 0)
			return copy_path(buf, cap, path);
	}
	return ldconfig_lookup(buf, cap);
}
