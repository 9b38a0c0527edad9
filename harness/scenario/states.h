/*
 * states.h - the deltas of the update scenario: from one carrier's route file (state A), a
 * second state B that differs in a share of its prefixes (costs changed, routes removed, new
 * prefixes nested under old ones), and the two delta bodies that map A to B and B back to A
 * (`+DIGITS,COST` sets, `-DIGITS` removes), all generated deterministically from a seed.
 * Lesson: a delta that alternates between two known states makes every answer checkable while
 * the table changes under the load: it must be A's answer or B's, as the version says.
 */
#ifndef ROUTEBENCH_SCENARIO_STATES_H
#define ROUTEBENCH_SCENARIO_STATES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sc_delta_args {
	const char *routes_path; /* state A: one carrier's route file */
	double fraction;         /* share of A's distinct prefixes one delta touches (0.01) */
	uint64_t seed;
};

/* What a delta holds (each body has lines = changed + removed + added lines). */
struct sc_delta_counts {
	size_t prefixes;         /* distinct prefixes of A */
	size_t changed, removed, added;
};

/*
 * Write state B as a route file (one line per distinct prefix), the A-to-B body to fwd and
 * the B-to-A body to back. 0 with *n set, or -errno (-EINVAL: A does not load, or has fewer
 * than 4 distinct prefixes).
 */
int sc_delta_write(const struct sc_delta_args *a, FILE *b, FILE *fwd, FILE *back,
		   struct sc_delta_counts *n);

struct sc_delta_files {
	char b_routes[4096], fwd[4096], back[4096];
};

/*
 * The three files for a, in cache_dir (named after A's file, the fraction and the seed),
 * generated atomically in a forked child if any is missing (the driver stays small: its RSS
 * at fork is the floor of every server's peak). 0 with *f set, or -errno.
 */
int sc_delta_cached(const struct sc_delta_args *a, const char *cache_dir,
		    struct sc_delta_files *f);

/* A body file's bytes, NUL-terminated, into *buf (free it). 0 or -errno. */
int sc_read_file(const char *path, char **buf, size_t *len);

#endif
