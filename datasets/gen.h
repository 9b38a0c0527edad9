/*
 * gen.h - deterministic synthetic datasets: carrier route lists and phone numbers.
 *
 * The same arguments give byte-identical files on any machine (a fixed-seed PRNG, no floating
 * point in what is written). Generated files are cached under a git-ignored folder, keyed by
 * their arguments, so a benchmark ladder generates each dataset once.
 */
#ifndef ROUTEBENCH_GEN_H
#define ROUTEBENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ds_shape { DS_SHAPE_MAKESCHOOL, DS_SHAPE_UNIFORM };

struct ds_routes;
struct ds_error;

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
	const char *routes_path; /* the route file the numbers are drawn against */
};

/* Write the route list to f. 0 or -errno. */
int ds_gen_routes_write(const struct ds_gen_routes *a, FILE *f);
/* Write the numbers to f (reads a->routes_path; -EINVAL if it does not load). 0 or -errno. */
int ds_gen_numbers_write(const struct ds_gen_numbers *a, FILE *f);
/* Same, drawn against routes already loaded (a->routes_path is not read). 0 or -errno. */
int ds_gen_numbers_from(const struct ds_gen_numbers *a, const struct ds_routes *routes, FILE *f);

/*
 * Generate into path (NULL or "-": stdout), atomically through rb_outfile; counts from 1M on
 * print one line to stderr when done. 0 or -errno; the numbers' route file failing to load is
 * -EINVAL with *err filled (err->what is "" for every other error).
 */
int ds_gen_routes_file(const struct ds_gen_routes *a, const char *path);
int ds_gen_numbers_file(const struct ds_gen_numbers *a, const char *path, struct ds_error *err);

/*
 * The path of the cached file for these arguments under cache_dir (created if missing; NULL:
 * ds_cache_dir()), generating it (atomically: temp file + rename) if it is not there yet.
 * Names: routes-SHAPE-nCOUNT-sSEED-cCARRIER.txt, numbers-nCOUNT-sSEED-hRATIO-ROUTES.txt (ROUTES:
 * the route file's basename without ".txt"). 0 or -errno; path is written only on success.
 */
int ds_gen_cached_routes(const struct ds_gen_routes *a, const char *cache_dir, char *path,
			 size_t cap);
int ds_gen_cached_numbers(const struct ds_gen_numbers *a, const char *cache_dir, char *path,
			  size_t cap);

#define DS_DEFAULT_CACHE_DIR "datasets/cache"

/* $RB_CACHE_DIR if set and not empty, else DS_DEFAULT_CACHE_DIR (relative to the cwd). */
const char *ds_cache_dir(void);

#endif
