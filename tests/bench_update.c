/*
 * bench_update.c - a measurement, not a test (ctest does not run it): the time and the heap
 * bytes of one copy-on-write update of CHANGES changes (a third cost changes, a third removals,
 * a third new prefixes) on a table of a route file, and of the retire after it, REPS successive
 * versions, medians printed. Heap bytes are glibc's mallinfo2() in-use bytes, before and after.
 *   build/tests/bench_update IMPL ROUTES_FILE [CHANGES [REPS]]
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry.h"
#include "route_table.h"

struct key {
	char d[RT_MAX_DIGITS];
	uint8_t len;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "+DIGITS,COST" lines into keys[] and a table; the cost's fraction is read as micro-units. */
static int load(const char *path, struct route_table *t, struct key **keys, size_t *n)
{
	char line[256];
	size_t cap = 1 << 20;
	FILE *f = fopen(path, "r");

	*keys = malloc(cap * sizeof(**keys));
	*n = 0;
	if (!f || !*keys)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ',');
		struct key k;
		uint64_t cost = 0, scale = 1000000;

		if (line[0] != '+' || !comma || comma - line - 1 > RT_MAX_DIGITS)
			continue;
		k.len = (uint8_t)(comma - line - 1);
		memcpy(k.d, line + 1, k.len);
		for (const char *c = comma + 1; *c >= '0' && *c <= '9'; c++)
			cost = cost * 10 + (uint64_t)(*c - '0');
		for (const char *c = strchr(comma, '.');
		     c && *++c >= '0' && *c <= '9' && scale > 1;)
			cost = cost * 10 + (uint64_t)(*c - '0'), scale /= 10;
		if (rt_insert(t, k.d, k.len, cost * (strchr(comma, '.') ? scale : 1000000)))
			return -EINVAL;
		if (*n == cap && !(*keys = realloc(*keys, (cap *= 2) * sizeof(**keys))))
			return -ENOMEM;
		(*keys)[(*n)++] = k;
	}
	fclose(f);
	return rt_finalize(t);
}

/* A third cost changes of stored keys, a third removals of them, a third new prefixes. */
static void make_delta(uint64_t *s, struct key *keys, size_t *n_keys, struct rt_change *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t at = splitmix64(s) % *n_keys;
		struct key k = keys[at];
		unsigned kind = (unsigned)(i % 3);

		if (kind == 2) { /* a sibling or an extension of a stored prefix: mostly new */
			if (k.len == 0 || (k.len < RT_MAX_DIGITS && splitmix64(s) % 2))
				k.len++;
			k.d[k.len - 1] = (char)('0' + splitmix64(s) % 10);
			keys[(*n_keys)++] = k;
		} else if (kind == 1) {
			keys[at] = keys[--*n_keys];
		}
		c[i] = (struct rt_change){.kind = kind == 1 ? RT_REMOVE : RT_SET,
					  .len = k.len,
					  .cost = splitmix64(s) % 1000000};
		memcpy(c[i].digits, k.d, k.len);
	}
}

int main(int argc, char **argv)
{
	const struct route_table_ops *ops = argc >= 3 ? rt_find(argv[1]) : NULL;
	size_t n = argc >= 4 ? strtoul(argv[3], NULL, 10) : 10000;
	int reps = argc >= 5 ? atoi(argv[4]) : 5;
	double up[64], re[64], bytes[64], freed[64], absents = 0;
	struct route_table *t = NULL;
	struct rt_change *delta;
	struct key *keys;
	size_t n_keys;
	uint64_t s = 1;

	if (!ops || !rt_can_update(ops) || n == 0 || reps < 1 || reps > 64) {
		fprintf(stderr, "usage: bench_update IMPL ROUTES_FILE [CHANGES [REPS <= 64]]"
				" (IMPL with update)\n");
		return 2;
	}
	delta = malloc(n * sizeof(*delta));
	if (!delta || rt_create(ops, &t) || load(argv[2], t, &keys, &n_keys) ||
	    !(keys = realloc(keys, (n_keys + n * (size_t)reps) * sizeof(*keys)))) {
		fprintf(stderr, "bench_update: cannot build %s from %s\n", ops->name, argv[2]);
		return 1;
	}
	for (int r = 0; r < reps; r++) {
		struct route_table *next = NULL;
		size_t absent = 0;
		size_t before;
		double t0;

		make_delta(&s, keys, &n_keys, delta, n);
		before = mallinfo2().uordblks;
		t0 = now_s();
		if (rt_update(t, delta, n, &next, &absent)) {
			fprintf(stderr, "bench_update: update failed\n");
			return 1;
		}
		up[r] = now_s() - t0;
		absents += (double)absent;
		bytes[r] = (double)(mallinfo2().uordblks - before);
		before = mallinfo2().uordblks;
		t0 = now_s();
		rt_retire(next);
		re[r] = now_s() - t0;
		freed[r] = (double)(before - mallinfo2().uordblks);
		t = next;
	}
	qsort(up, (size_t)reps, sizeof(double), cmp_double);
	qsort(re, (size_t)reps, sizeof(double), cmp_double);
	qsort(bytes, (size_t)reps, sizeof(double), cmp_double);
	qsort(freed, (size_t)reps, sizeof(double), cmp_double);
	printf("impl,routes_file,changes,reps,update_ms,update_alloc_bytes,alloc_bytes_per_change,"
	       "retire_ms,retire_freed_bytes,absent_per_update\n%s,%s,%zu,%d,%.3f,%.0f,%.1f,%.3f,%."
	       "0f,%.0f\n",
	       ops->name, argv[2], n, reps, up[reps / 2] * 1e3, bytes[reps / 2],
	       bytes[reps / 2] / (double)n, re[reps / 2] * 1e3, freed[reps / 2], absents / reps);
	rt_destroy(t);
	free(keys);
	free(delta);
	return 0;
}
