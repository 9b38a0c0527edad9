/*
 * bench_parse.c - a measurement, not a test: how fast the loader parses route files, and how
 * long the stream strategy takes over carriers. Only public entry points (ds_load_routes,
 * stream_price), so the same file builds against an older tree for an old/new comparison;
 * --memory times ds_parse_routes over the file's bytes already in memory (the parse alone).
 * Prints one line per run: what, bytes, routes, best seconds of --reps, GB/s, Mroutes/s, and
 * that run's CPU seconds (the per-core cost on a loaded machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "stream.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* The process's system CPU seconds so far (page faults, zeroing, read copies). */
static double sys_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double best_sys; /* the system part of the best run's CPU seconds */

/*
 * The best of reps loads of path: wall seconds and the process's CPU seconds in that run
 * (on a loaded machine the CPU time is the per-core cost), with its bytes and routes. 0, or
 * 1 on an error.
 */
static int bench_load(const char *path, int reps, double *best, double *cpu, size_t *bytes,
		      size_t *n)
{
	for (int i = 0; i < reps; i++) {
		struct ds_routes r = { 0 };
		struct ds_error err;
		double t0 = now_s(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), s0 = sys_s(), t;

		if (ds_load_routes(path, 0, &r, &err) != 0) {
			ds_error_print(&err, stderr);
			ds_routes_free(&r);
			return 1;
		}
		t = now_s() - t0;
		if (i == 0 || t < *best) {
			*best = t;
			*cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
			best_sys = sys_s() - s0;
		}
		*bytes = r.bytes;
		*n = r.n;
		ds_routes_free(&r);
	}
	return 0;
}

/*
 * The best of reps ds_parse_routes over path's bytes read into memory first (the parse
 * alone: no read(), no file checks): wall and CPU seconds, bytes, routes. 0, or 1.
 */
static int bench_memory(const char *path, int reps, double *best, double *cpu, size_t *bytes,
			size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long size;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		return 1;
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		perror(path);
		return 1;
	}
	fclose(f);
	for (int i = 0; i < reps; i++) {
		struct ds_routes r = { 0 };
		struct ds_error err;
		double t0 = now_s(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t;

		if (ds_parse_routes(text, (size_t)size, path, 0, &r, &err) != 0) {
			ds_error_print(&err, stderr);
			return 1;
		}
		t = now_s() - t0;
		if (i == 0 || t < *best) {
			*best = t;
			*cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		}
		*bytes = r.bytes;
		*n = r.n;
		ds_routes_free(&r);
	}
	free(text);
	return 0;
}

/* The best of reps stream_price runs over paths: seconds, and a hash of the answers. */
static int bench_stream(const char *const *paths, size_t k, const char *numbers, int reps,
			double *best, size_t *routes_total, unsigned long long *hash)
{
	struct ds_numbers nums = { 0 };
	struct ds_error err;
	size_t *skipped = calloc(k, sizeof(*skipped)), *routes = calloc(k, sizeof(*routes));
	uint64_t *ans;
	int rc = 1;

	if (ds_load_numbers(numbers, 0, &nums, &err) != 0) {
		ds_error_print(&err, stderr);
		return 1;
	}
	ans = calloc(nums.n ? nums.n : 1, sizeof(*ans));
	for (int i = 0; i < reps; i++) {
		double t0 = now_s(), t;

		if (stream_price(paths, k, 0, &nums, ans, skipped, routes, &err) != 0) {
			ds_error_print(&err, stderr);
			goto out;
		}
		t = now_s() - t0;
		if (i == 0 || t < *best)
			*best = t;
	}
	*hash = 1469598103934665603ULL;
	for (size_t i = 0; i < nums.n; i++)
		*hash = (*hash ^ ans[i]) * 1099511628211ULL;
	*routes_total = 0;
	for (size_t i = 0; i < k; i++)
		*routes_total += routes[i];
	rc = 0;
out:
	free(ans);
	free(skipped);
	free(routes);
	ds_numbers_free(&nums);
	return rc;
}

int main(int argc, char **argv)
{
	const char *numbers = NULL, *tag = getenv("BENCH_TAG");
	int reps = 3, i = 1, memory = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--memory") == 0)
			memory = 1;
		else if (strcmp(argv[i], "--numbers") == 0 && i + 1 < argc)
			numbers = argv[++i];
		else
			break;
	}
	if (i >= argc || reps < 1) {
		fprintf(stderr, "usage: bench_parse [--reps N] [--memory] [--numbers FILE] ROUTES...\n");
		return 2;
	}
	tag = tag ? tag : "";
	if (numbers) {
		double best = 0;
		size_t routes = 0;
		unsigned long long h = 0;

		if (bench_stream((const char *const *)argv + i, (size_t)(argc - i), numbers, reps,
				 &best, &routes, &h) != 0)
			return 1;
		printf("%s stream %d carriers %zu routes %.3f s hash %016llx\n", tag, argc - i,
		       routes, best, h);
		return 0;
	}
	for (; i < argc; i++) {
		double best = 0, cpu = 0;
		size_t bytes = 0, n = 0;

		if ((memory ? bench_memory : bench_load)(argv[i], reps, &best, &cpu, &bytes, &n) != 0)
			return 1;
		printf("%s %s %s %zu bytes %zu routes %.3f s %.3f GB/s %.2f Mroutes/s, "
		       "cpu %.3f s %.3f GB/s per cpu-second, sys %.3f s\n", tag,
		       memory ? "parse" : "load", argv[i], bytes, n, best, (double)bytes / best / 1e9,
		       (double)n / best / 1e6, cpu, (double)bytes / cpu / 1e9, best_sys);
	}
	return 0;
}
