/*
 * sysinfo.c - machine and build facts for meta.json, read from /proc, uname, the compile
 * definitions CMake passes in, and a few small commands (git, dpkg-query, sha256sum) run
 * without a shell. Every fact degrades to "unknown" or "" rather than failing the run.
 */
#include "sysinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocator.h"

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

extern char **environ;

const char *bench_source_dir(void)
{
	return RB_SOURCE_DIR;
}

int bench_capture(char *const argv[], char *buf, size_t cap)
{
	posix_spawn_file_actions_t fa;
	char sink[4096];
	int fds[2], status = 0, rc = -1;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	buf[0] = '\0';
	if (pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (pid > 0) { /* drain everything, so the child never blocks on a full pipe */
		int room = len + 1 < cap;

		n = room ? read(fds[0], buf + len, cap - 1 - len)
			 : read(fds[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			len += (size_t)n;
	}
	close(fds[0]);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		rc = 0;
	if (rc != 0)
		buf[0] = '\0';
	return rc;
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
