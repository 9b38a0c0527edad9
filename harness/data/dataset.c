/*
 * dataset.c - generated datasets as files: written atomically, cached by their arguments.
 *
 * datasets/gen.c only generates into a FILE; this layer reads the route file numbers are
 * drawn against, writes through rb_outfile (temp file + rename) and keeps the cache, so a
 * benchmark ladder generates each dataset once. Cost: one generation per distinct argument set.
 */
#include "dataset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "outfile.h"

#define BIG_COUNT 1000000 /* counts from here on print one line to stderr when done */

struct ds_gen_prefixes ds_routes_prefixes(const struct ds_routes *r)
{
	struct ds_gen_prefixes p = { .stride = sizeof(struct ds_route), .n = r->n };

	if (r->n) {
		p.digits = r->v[0].digits;
		p.len = &r->v[0].len;
	}
	return p;
}

int ds_gen_numbers_from_routes(const struct ds_gen_numbers *a, const struct ds_routes *routes,
			       FILE *f)
{
	struct ds_gen_prefixes p = ds_routes_prefixes(routes);

	return ds_gen_numbers_from(a, &p, f);
}

int ds_gen_numbers_write(const struct ds_gen_numbers *a, FILE *f)
{
	struct ds_routes routes = { 0 };
	struct ds_error err;
	int rc;

	rc = -EINVAL;
	if (ds_load_routes(a->routes_path, 0, &routes, &err) == 0)
		rc = ds_gen_numbers_from_routes(a, &routes, f);
	ds_routes_free(&routes);
	return rc;
}

/* One line on stderr for a big file: what, how big, how long. */
static void note_done(const char *what, uint64_t count, FILE *f, const char *path, double t0)
{
	long bytes = ftell(f);

	if (count < BIG_COUNT)
		return;
	fprintf(stderr, "gen: %llu %s", (unsigned long long)count, what);
	if (bytes >= 0)
		fprintf(stderr, ", %.1f MB", (double)bytes / 1e6);
	fprintf(stderr, " -> %s, %.1f s\n", path && strcmp(path, "-") ? path : "stdout",
		rb_now_s() - t0);
}

int ds_gen_routes_file(const struct ds_gen_routes *a, const char *path)
{
	struct rb_outfile o;
	double t0 = rb_now_s();
	int rc = rb_outfile_open(&o, path);

	if (rc != 0)
		return rc;
	rc = ds_gen_routes_write(a, o.f);
	if (rc != 0) {
		rb_outfile_abort(&o);
		return rc;
	}
	note_done("routes", a->count, o.f, path, t0);
	return rb_outfile_commit(&o);
}

/* ds_gen_numbers_file, or with distinct the cold set's (ds_gen_distinct_numbers_from). */
static int numbers_file(const struct ds_gen_numbers *a, int distinct, const char *path,
			struct ds_error *err)
{
	struct ds_routes routes = { 0 };
	struct rb_outfile o;
	double t0 = rb_now_s();
	int rc;

	err->what[0] = '\0';
	rc = -EINVAL;
	if (ds_load_routes(a->routes_path, 0, &routes, err) == 0)
		rc = rb_outfile_open(&o, path);
	if (rc == 0) {
		struct ds_gen_prefixes p = ds_routes_prefixes(&routes);

		rc = distinct ? ds_gen_distinct_numbers_from(a, &p, o.f)
			      : ds_gen_numbers_from(a, &p, o.f);
		if (rc != 0) {
			rb_outfile_abort(&o);
		} else {
			note_done("numbers", a->count, o.f, path, t0);
			rc = rb_outfile_commit(&o);
		}
	}
	ds_routes_free(&routes);
	return rc;
}

int ds_gen_numbers_file(const struct ds_gen_numbers *a, const char *path, struct ds_error *err)
{
	return numbers_file(a, 0, path, err);
}

const char *ds_cache_dir(void)
{
	const char *dir = getenv("RB_CACHE_DIR");

	return dir && *dir ? dir : DS_DEFAULT_CACHE_DIR;
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Copy name into path (cap bytes) unless it does not fit. 0 or -ENAMETOOLONG. */
static int give_path(const char *name, char *path, size_t cap)
{
	size_t n = strlen(name);

	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(path, name, n + 1);
	return 0;
}

int ds_gen_cached_routes(const struct ds_gen_routes *a, const char *cache_dir, char *path,
			 size_t cap)
{
	char name[4096];
	int n, rc;

	if (!cache_dir)
		cache_dir = ds_cache_dir();
	n = snprintf(name, sizeof(name), "%s/routes-%s-n%llu-s%llu-c%u.txt", cache_dir,
		     a->shape == DS_SHAPE_UNIFORM ? "uniform" : "makeschool",
		     (unsigned long long)a->count, (unsigned long long)a->seed, a->carrier);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -ENAMETOOLONG;
	if (!is_file(name)) {
		rc = rb_mkdir_p(cache_dir);
		if (rc == 0)
			rc = ds_gen_routes_file(a, name);
		if (rc != 0)
			return rc;
	}
	return give_path(name, path, cap);
}

/* ds_gen_cached_numbers, or with distinct ds_gen_cached_distinct_numbers. */
static int cached_numbers(const struct ds_gen_numbers *a, int distinct, const char *cache_dir,
			  char *path, size_t cap)
{
	const char *base = strrchr(a->routes_path, '/');
	char name[4096], ratio[32];
	struct ds_error err;
	size_t blen;
	int n, rc;

	if (!(a->hit_ratio >= 0 && a->hit_ratio <= 1))
		return -EINVAL;
	if (!cache_dir)
		cache_dir = ds_cache_dir();
	base = base ? base + 1 : a->routes_path;
	blen = strlen(base);
	if (blen > 4 && strcmp(base + blen - 4, ".txt") == 0)
		blen -= 4;
	snprintf(ratio, sizeof(ratio), "%g", a->hit_ratio);
	if (strtod(ratio, NULL) != a->hit_ratio)
		snprintf(ratio, sizeof(ratio), "%.17g", a->hit_ratio);
	n = snprintf(name, sizeof(name), "%s/numbers-n%llu-s%llu-h%s%s-%.*s.txt", cache_dir,
		     (unsigned long long)a->count, (unsigned long long)a->seed, ratio,
		     distinct ? "-distinct" : "", (int)blen, base);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -ENAMETOOLONG;
	if (!is_file(name)) {
		rc = rb_mkdir_p(cache_dir);
		if (rc == 0)
			rc = numbers_file(a, distinct, name, &err);
		if (rc != 0)
			return rc;
	}
	return give_path(name, path, cap);
}

int ds_gen_cached_numbers(const struct ds_gen_numbers *a, const char *cache_dir, char *path,
			  size_t cap)
{
	return cached_numbers(a, 0, cache_dir, path, cap);
}

int ds_gen_cached_distinct_numbers(const struct ds_gen_numbers *a, const char *cache_dir,
				   char *path, size_t cap)
{
	return cached_numbers(a, 1, cache_dir, path, cap);
}
