/*
 * checksum.h - the answer hash every row carries, with checkpoints so samples stay comparable.
 *
 * Answers (costs in micro-units, or RT_NO_ROUTE) are folded in file order into a rolling hash,
 * recorded after the first 1, 10, 100, ... numbers and after all of them. Lesson: a sample is
 * a prefix of the one query sequence, never a random subset, so a slow cell stays checkable.
 */
#ifndef ROUTEBENCH_CHECKSUM_H
#define ROUTEBENCH_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_HASH_SEED 0x726f757465626e63ULL /* "routebnc" */

/* Fold one answer into h. For a fixed h the step is a bijection of the answer, so one wrong
 * answer always changes the hash at that step. */
static inline uint64_t bench_hash_step(uint64_t h, uint64_t answer)
{
	h = (h << 23) | (h >> 41);
	return (h ^ answer) * 0x9e3779b97f4a7c15ULL;
}

/*
 * The checkpoint after m (the next power of ten, capped at total); total when m >= total. A
 * cell too slow to price all total numbers in its budget is timed on the first m, m being a
 * checkpoint, and the row carries the hash at every checkpoint it reached: two rows of one
 * dataset are then compared at the largest checkpoint both reached, like with like.
 */
static inline uint64_t bench_next_checkpoint(uint64_t m, uint64_t total)
{
	uint64_t p = 1;

	while (p <= m && p <= total / 10)
		p *= 10;
	return p > m && p < total ? p : total;
}

#define BENCH_MAX_CHECKPOINTS 24

/* Append "m:hash" (';'-separated) to the checkpoint list in buf[cap], which holds used bytes. */
size_t bench_checkpoints_add(char *buf, size_t cap, size_t used, uint64_t m, uint64_t h);

/* Append "q:seconds" (';'-separated, 9 decimals) to a stream_points list in buf[cap]. */
size_t bench_points_add(char *buf, size_t cap, size_t used, uint64_t q, double secs);

/* The hashes the rows of one dataset agree on so far, by checkpoint. Zero it to start. */
struct bench_answers {
	uint64_t m[BENCH_MAX_CHECKPOINTS], h[BENCH_MAX_CHECKPOINTS];
	size_t n;
};

/*
 * Check a row's checkpoint list against the dataset's: 0 if they agree at every checkpoint
 * both have (the row's other checkpoints are then adopted), or -1 with *at set to the first
 * checkpoint where they differ. Earlier rows win: the ladder runs linear, the oracle, first.
 */
int bench_answers_check(struct bench_answers *ref, const char *checkpoints, uint64_t *at);

#endif
