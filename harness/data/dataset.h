/*
 * dataset.h - generated datasets as files (datasets/gen.h generates, this layer stores).
 *
 * Files are written atomically (rb_outfile) and cached under a git-ignored folder keyed by
 * their arguments. Lesson: a generator that only writes to a FILE is testable to the byte;
 * the file system and its failure modes are one layer up.
 */
#ifndef ROUTEBENCH_DATASET_H
#define ROUTEBENCH_DATASET_H

#include <stddef.h>
#include <stdio.h>

#include "gen.h"
#include "load.h"

/* The prefixes of loaded routes, as the generator's strided view (no copy). */
struct ds_gen_prefixes ds_routes_prefixes(const struct ds_routes *r);
/* ds_gen_numbers_from over loaded routes. 0 or -errno. */
int ds_gen_numbers_from_routes(const struct ds_gen_numbers *a, const struct ds_routes *routes,
			       FILE *f);
/* Write the numbers to f (reads a->routes_path; -EINVAL if it does not load). 0 or -errno. */
int ds_gen_numbers_write(const struct ds_gen_numbers *a, FILE *f);

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
 * the route file's basename without ".txt"; "-hRATIO-distinct-" for the distinct cold set).
 * 0 or -errno; path is written only on success.
 */
int ds_gen_cached_routes(const struct ds_gen_routes *a, const char *cache_dir, char *path,
			 size_t cap);
int ds_gen_cached_numbers(const struct ds_gen_numbers *a, const char *cache_dir, char *path,
			  size_t cap);
/* The same for the cold set (ds_gen_distinct_numbers_from): its name has "-distinct". */
int ds_gen_cached_distinct_numbers(const struct ds_gen_numbers *a, const char *cache_dir,
				   char *path, size_t cap);

#define DS_DEFAULT_CACHE_DIR "datasets/cache"

/* $RB_CACHE_DIR if set and not empty, else DS_DEFAULT_CACHE_DIR (relative to the cwd). */
const char *ds_cache_dir(void);

#endif
