/*
 * sysinfo.c - machine and build facts for meta.json, read from /proc, uname, the compile
 * definitions CMake passes in, and a few small commands (git, dpkg-query, sha256sum) run
 * without a shell, through proc.h. Every fact degrades to "unknown" or "" rather than failing
 * the run.
 */
#include "sysinfo.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "allocator.h"
#include "proc.h"

#ifndef RB_COMPILER
#define RB_COMPILER "unknown"
#endif
#ifndef RB_C_FLAGS
#define RB_C_FLAGS "unknown"
#endif
#ifndef RB_BUILD_TYPE
#define RB_BUILD_TYPE "unknown"
#endif
#ifndef RB_SOURCE_DIR
#define RB_SOURCE_DIR "."
#endif

const char *bench_source_dir(void)
{
	return RB_SOURCE_DIR;
}

int bench_capture(char *const argv[], char *buf, size_t cap)
{
	struct rb_child c = { .argv = argv, .out = RB_IO_PIPE, .err = RB_IO_NULL };
	int rc = rb_child_run(&c, buf, cap);

	buf[strcspn(buf, "\n")] = '\0';
	if (rc != 0)
		buf[0] = '\0';
	return rc == 0 ? 0 : -1;
}

int bench_sha256(const char *path, char hex[65])
{
	char line[4200];
	char *const argv[] = { "sha256sum", "--", (char *)path, NULL };

	if (bench_capture(argv, line, sizeof(line)) != 0 || strspn(line, "0123456789abcdef") < 64)
		return -1;
	memcpy(hex, line, 64);
	hex[64] = '\0';
	return 0;
}

void bench_self_rss(uint64_t *rss, uint64_t *hwm)
{
	char line[256];
	unsigned long long kib;
	FILE *f = fopen("/proc/self/status", "re");

	*rss = *hwm = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %llu kB", &kib) == 1)
			*rss = kib * 1024;
		else if (sscanf(line, "VmHWM: %llu kB", &kib) == 1)
			*hwm = kib * 1024;
	}
	fclose(f);
}

/* The value of the first "key<spaces>: value" line of a /proc file, into buf. */
static void proc_field(const char *path, const char *key, char *buf, size_t cap)
{
	char line[512];
	size_t klen = strlen(key);
	FILE *f = fopen(path, "re");

	snprintf(buf, cap, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + klen;

		if (strncmp(line, key, klen) != 0)
			continue;
		p += strspn(p, " \t");
		if (*p++ != ':')
			continue;
		p += strspn(p, " \t");
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, cap, "%s", p);
		break;
	}
	fclose(f);
}

static void dpkg_version(const char *package, char *buf, size_t cap)
{
	char *const argv[] = { "dpkg-query", "-W", "-f=${Version}", (char *)package, NULL };

	bench_capture(argv, buf, cap);
}

void bench_sysinfo_collect(struct bench_sysinfo *s)
{
	char mem[64];
	struct utsname u;
	unsigned long long kib = 0;

	memset(s, 0, sizeof(*s));
	proc_field("/proc/cpuinfo", "model name", s->cpu_model, sizeof(s->cpu_model));
	s->cores = sysconf(_SC_NPROCESSORS_ONLN);
	proc_field("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	if (sscanf(mem, "%llu", &kib) == 1)
		s->mem_total_bytes = kib * 1024;
	if (uname(&u) == 0)
		snprintf(s->kernel, sizeof(s->kernel), "%s %s %s %s", u.sysname, u.release,
			 u.version, u.machine);
	snprintf(s->compiler, sizeof(s->compiler), "%s", RB_COMPILER);
	snprintf(s->c_flags, sizeof(s->c_flags), "%s", RB_C_FLAGS);
	snprintf(s->build_type, sizeof(s->build_type), "%s", RB_BUILD_TYPE);
	s->asan = BENCH_ASAN;
	{
		char *const rev[] = { "git", "-C", (char *)bench_source_dir(), "rev-parse", "HEAD",
				      NULL };
		char *const st[] = { "git", "-C", (char *)bench_source_dir(), "status",
				     "--porcelain", "--untracked-files=no", NULL };
		char line[256];

		s->git_dirty = -1;
		if (bench_capture(rev, s->git_commit, sizeof(s->git_commit)) != 0)
			snprintf(s->git_commit, sizeof(s->git_commit), "unknown");
		else if (bench_capture(st, line, sizeof(line)) == 0)
			s->git_dirty = line[0] != '\0';
	}
	snprintf(s->glibc_version, sizeof(s->glibc_version), "%s", gnu_get_libc_version());
	dpkg_version("libc6", s->libc6_package, sizeof(s->libc6_package));
	dpkg_version("libjemalloc2", s->jemalloc_package, sizeof(s->jemalloc_package));
	if (bench_jemalloc_path(s->jemalloc_path, sizeof(s->jemalloc_path)) != 0)
		s->jemalloc_path[0] = '\0';
}
