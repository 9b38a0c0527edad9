/*
 * gen.h - deterministic synthetic datasets: carrier route lists and phone numbers.
 *
 * The same arguments give byte-identical files on any machine (a fixed-seed PRNG, no floating
 * point in what is written). Pure generation into a FILE: reading route files, atomic output
 * and the cache live one layer up, in harness/data/dataset.h. Cost: O(count) time, O(1)
 * memory for routes, 4 bytes per route prefix for numbers.
 */
#ifndef ROUTEBENCH_GEN_H
#define ROUTEBENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ds_shape { DS_SHAPE_MAKESCHOOL, DS_SHAPE_UNIFORM };

#define DS_MAX_COUNT 100000000ULL /* larger counts are refused (-EINVAL) */

struct ds_gen_routes {
	uint64_t count;      /* route lines to write */
	uint64_t seed;
	enum ds_shape shape;
	unsigned carrier;    /* 0..: carriers of one seed share their area structure and overlap */
};

struct ds_gen_numbers {
	uint64_t count;          /* numbers to write */
	uint64_t seed;
	double hit_ratio;        /* share of numbers that match some route (0..1) */
	const char *routes_path; /* the route file (read by harness/data/dataset.c, not here) */
};

/*
 * The route prefixes numbers are drawn against, as a strided view (no copy): prefix i has
 * len[i * stride] digits starting at digits + i * stride. An array of structs holding a digit
 * array and a length byte is viewed by pointing at the first element's two fields with
 * stride = sizeof(struct).
 */
struct ds_gen_prefixes {
	const char *digits;
	const uint8_t *len;
	size_t stride;
	size_t n;
};

/* Write the route list to f. 0 or -errno. */
int ds_gen_routes_write(const struct ds_gen_routes *a, FILE *f);
/* Write the numbers to f, drawn against routes. 0 or -errno (-EINVAL: bad arguments, or a
 * hit ratio above 0 with no routes). */
int ds_gen_numbers_from(const struct ds_gen_numbers *a, const struct ds_gen_prefixes *routes,
			FILE *f);
/*
 * The cold query set: the same draws, but no number twice (as digit strings): a draw that
 * repeats an earlier number is drawn again. Each number is an independent draw, so the order
 * is a random shuffle of the set, and the first numbers are those of ds_gen_numbers_from with
 * the same arguments, repeats left out. Cost: 16 bytes of hash set per number. 0 or -errno, as
 * ds_gen_numbers_from, and -ERANGE when count distinct numbers do not come out of
 * DS_DISTINCT_TRIES x count draws (too few routes to draw from).
 */
#define DS_DISTINCT_TRIES 64
int ds_gen_distinct_numbers_from(const struct ds_gen_numbers *a,
				 const struct ds_gen_prefixes *routes, FILE *f);

#endif
