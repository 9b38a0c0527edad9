/*
 * checksum.c - the checkpoint list a row carries ("1:hash;10:hash;...") and the check that
 * compares rows of one dataset at the checkpoints both reached, never a sample with a whole.
 */
#include "checksum.h"

#include <stdio.h>

size_t bench_checkpoints_add(char *buf, size_t cap, size_t used, uint64_t m, uint64_t h)
{
	int n;

	if (used >= cap)
		return used;
	n = snprintf(buf + used, cap - used, "%s%llu:%016llx", used ? ";" : "",
		     (unsigned long long)m, (unsigned long long)h);
	return n < 0 || (size_t)n >= cap - used ? used : used + (size_t)n;
}

int bench_answers_check(struct bench_answers *ref, const char *checkpoints, uint64_t *at)
{
	uint64_t m[BENCH_MAX_CHECKPOINTS], h[BENCH_MAX_CHECKPOINTS];
	const char *p = checkpoints;
	size_t n = 0;

	while (*p && n < BENCH_MAX_CHECKPOINTS) {
		unsigned long long mm, hh;
		int used;

		if (sscanf(p, "%llu:%llx%n", &mm, &hh, &used) != 2)
			break;
		m[n] = mm;
		h[n++] = hh;
		p += used + (p[used] == ';');
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < ref->n; j++)
			if (ref->m[j] == m[i] && ref->h[j] != h[i]) {
				*at = m[i];
				return -1;
			}
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < ref->n && ref->m[j] != m[i])
			j++;
		if (j == ref->n && ref->n < BENCH_MAX_CHECKPOINTS) {
			ref->m[ref->n] = m[i];
			ref->h[ref->n++] = h[i];
		}
	}
	return 0;
}

size_t bench_points_add(char *buf, size_t cap, size_t used, uint64_t q, double secs)
{
	int n;

	if (used >= cap)
		return used;
	n = snprintf(buf + used, cap - used, "%s%llu:%.9f", used ? ";" : "",
		     (unsigned long long)q, secs);
	return n < 0 || (size_t)n >= cap - used ? used : used + (size_t)n;
}
