/*
 * test_gen.c - the dataset generator: byte-for-byte determinism (golden FNV-1a hashes catch any
 * change in its output), every line valid for the loader, the makeschool shape's nesting,
 * duplicates and carrier overlap, the numbers' hit ratio, and a cache that generates once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "gen.h"
#include "load.h"

/* Generated text in memory. */
struct text {
	char *buf;
	size_t len;
};

static struct text gen_routes(uint64_t count, uint64_t seed, enum ds_shape shape,
			      unsigned carrier)
{
	struct ds_gen_routes a = { .count = count, .seed = seed, .shape = shape,
				   .carrier = carrier };
	struct text t = { 0 };
	FILE *f = open_memstream(&t.buf, &t.len);

	assert_non_null(f);
	assert_int_equal(ds_gen_routes_write(&a, f), 0);
	assert_int_equal(fclose(f), 0);
	return t;
}

static struct ds_routes parse_routes(const struct text *t)
{
	struct ds_routes r = { 0 };
	struct ds_error err;

	if (ds_parse_routes(t->buf, t->len, "generated", 0, &r, &err) != 0) {
		ds_error_print(&err, stderr);
		fail();
	}
	return r;
}

static struct text gen_numbers(const struct ds_routes *routes, uint64_t count, uint64_t seed,
			       double hit_ratio)
{
	struct ds_gen_numbers a = { .count = count, .seed = seed, .hit_ratio = hit_ratio };
	struct text t = { 0 };
	FILE *f = open_memstream(&t.buf, &t.len);

	assert_non_null(f);
	assert_int_equal(ds_gen_numbers_from_routes(&a, routes, f), 0);
	assert_int_equal(fclose(f), 0);
	return t;
}

static struct ds_numbers parse_numbers(const struct text *t)
{
	struct ds_numbers n = { 0 };
	struct ds_error err;

	if (ds_parse_numbers(t->buf, t->len, "generated", 0, &n, &err) != 0) {
		ds_error_print(&err, stderr);
		fail();
	}
	return n;
}

static uint64_t fnv1a(const struct text *t)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < t->len; i++)
		h = (h ^ (unsigned char)t->buf[i]) * 0x100000001b3ULL;
	return h;
}

/* --- a sorted set of prefixes, packed as value * 16 + length (leading zeros stay distinct) -- */

struct prefix_set {
	uint64_t *v;
	size_t n;
};

static uint64_t pack(const char *d, unsigned len)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(d[i] - '0');
	return v << 4 | len;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The distinct prefixes of r. */
static struct prefix_set prefix_set(const struct ds_routes *r)
{
	struct prefix_set s = { malloc((r->n + 1) * sizeof(uint64_t)), 0 };

	assert_non_null(s.v);
	for (size_t i = 0; i < r->n; i++)
		s.v[i] = pack(r->v[i].digits, r->v[i].len);
	qsort(s.v, r->n, sizeof(uint64_t), cmp_u64);
	for (size_t i = 0; i < r->n; i++)
		if (s.n == 0 || s.v[s.n - 1] != s.v[i])
			s.v[s.n++] = s.v[i];
	return s;
}

static int has(const struct prefix_set *s, uint64_t key)
{
	return bsearch(&key, s->v, s->n, sizeof(uint64_t), cmp_u64) != NULL;
}

/* Does a prefix of d[0..len) shorter than max_len digits (the whole, if max_len > len) exist? */
static int has_prefix_of(const struct prefix_set *s, const char *d, unsigned len,
			 unsigned max_len)
{
	for (unsigned k = 1; k <= len && k < max_len; k++)
		if (has(s, pack(d, k)))
			return 1;
	return 0;
}

/* Share of distinct prefixes that have a shorter route as a prefix. */
static double nested_share(const struct prefix_set *s)
{
	size_t nested = 0;

	for (size_t i = 0; i < s->n; i++) {
		unsigned len = s->v[i] & 15;
		uint64_t v = s->v[i] >> 4;
		char d[16];

		for (unsigned k = len; k > 0; k--, v /= 10)
			d[k - 1] = (char)('0' + v % 10);
		nested += has_prefix_of(s, d, len, len);
	}
	return (double)nested / (double)s->n;
}

/* --- determinism ------------------------------------------------------------------------- */

static void test_same_arguments_same_bytes(void **state)
{
	(void)state;
	for (int shape = 0; shape < 2; shape++) {
		struct text a = gen_routes(5000, 7, (enum ds_shape)shape, 2);
		struct text b = gen_routes(5000, 7, (enum ds_shape)shape, 2);

		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.buf, b.buf, a.len);
		free(a.buf);
		free(b.buf);
	}
}

static void test_seeds_and_carriers_differ(void **state)
{
	struct text a = gen_routes(1000, 1, DS_SHAPE_MAKESCHOOL, 0);
	struct text b = gen_routes(1000, 2, DS_SHAPE_MAKESCHOOL, 0);
	struct text c = gen_routes(1000, 1, DS_SHAPE_MAKESCHOOL, 1);
	struct text u = gen_routes(1000, 1, DS_SHAPE_UNIFORM, 0);

	(void)state;
	assert_true(a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0);
	assert_true(a.len != c.len || memcmp(a.buf, c.buf, a.len) != 0);
	assert_true(a.len != u.len || memcmp(a.buf, u.buf, a.len) != 0);
	free(a.buf);
	free(b.buf);
	free(c.buf);
	free(u.buf);
}

/*
 * The exact output of fixed arguments. A change here means every cached dataset and every
 * published figure made from one changes too: bump these only on purpose, and say so.
 */
#define GOLDEN_ROUTES 0xf19aced9993a3bf8ULL
#define GOLDEN_UNIFORM 0x30c9f648bc26d9b7ULL
#define GOLDEN_NUMBERS 0x1c22b8a8aede0067ULL

static void test_golden_hashes(void **state)
{
	struct text r = gen_routes(1000, 1, DS_SHAPE_MAKESCHOOL, 0);
	struct text u = gen_routes(1000, 1, DS_SHAPE_UNIFORM, 0);
	struct ds_routes routes = parse_routes(&r);
	struct text n = gen_numbers(&routes, 1000, 1, 0.5);

	(void)state;
	assert_int_equal(fnv1a(&r), GOLDEN_ROUTES);
	assert_int_equal(fnv1a(&u), GOLDEN_UNIFORM);
	assert_int_equal(fnv1a(&n), GOLDEN_NUMBERS);
	ds_routes_free(&routes);
	free(r.buf);
	free(u.buf);
	free(n.buf);
}

/* --- shape ----------------------------------------------------------------------------------- */

static void test_makeschool_lines_parse_and_fit_the_bands(void **state)
{
	struct text t = gen_routes(20000, 3, DS_SHAPE_MAKESCHOOL, 0);
	struct ds_routes r = parse_routes(&t);
	size_t us = 0;

	(void)state;
	assert_int_equal(r.n, 20000);
	for (size_t i = 0; i < r.n; i++) {
		const struct ds_route *rt = &r.v[i];

		assert_in_range(rt->len, 4, 12);
		assert_int_equal(rt->cost % 10000, 0); /* two decimals */
		assert_in_range(rt->cost, 10000, 1300000);
		if (rt->digits[0] == '1') {
			assert_in_range(rt->cost, 10000, 110000);
			us++;
		} else if (rt->digits[0] == '8' && rt->digits[1] == '6') {
			assert_in_range(rt->cost, 400000, 1300000);
		}
	}
	assert_in_range(us, 20000 / 5, 20000 * 3 / 10); /* a quarter */
	ds_routes_free(&r);
	free(t.buf);
}

static void test_makeschool_nests_and_relists(void **state)
{
	struct text t = gen_routes(20000, 5, DS_SHAPE_MAKESCHOOL, 0);
	struct ds_routes r = parse_routes(&t);
	struct prefix_set s = prefix_set(&r);
	size_t mid = 0;

	(void)state;
	/* 5% of lines relist a prefix: ~95% distinct, like the course's 94-97%. */
	assert_in_range(s.n, r.n * 92 / 100, r.n * 97 / 100);
	assert_true(nested_share(&s) > 0.9);
	for (size_t i = 0; i < r.n; i++)
		mid += (r.v[i].len >= 7 && r.v[i].len <= 10);
	assert_true(mid > r.n * 3 / 4);
	free(s.v);
	ds_routes_free(&r);
	free(t.buf);
}

static void test_uniform_is_flat(void **state)
{
	struct text t = gen_routes(20000, 5, DS_SHAPE_UNIFORM, 0);
	struct ds_routes r = parse_routes(&t);
	struct prefix_set s = prefix_set(&r);

	(void)state;
	assert_int_equal(r.n, 20000);
	for (size_t i = 0; i < r.n; i++) {
		assert_in_range(r.v[i].len, 1, 12);
		assert_in_range(r.v[i].cost, 100, 2000000);
	}
	assert_true(nested_share(&s) < 0.05);
	assert_true(s.n > r.n * 99 / 100);
	free(s.v);
	ds_routes_free(&r);
	free(t.buf);
}

/* Each distinct prefix with its lowest cost, sorted by prefix. */
struct keyed_cost {
	uint64_t key, cost;
};

static int cmp_keyed_cost(const void *a, const void *b)
{
	const struct keyed_cost *x = a, *y = b;

	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->cost > y->cost) - (x->cost < y->cost);
}

static size_t lowest_costs(const struct ds_routes *r, struct keyed_cost *out)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		out[i] = (struct keyed_cost){ pack(r->v[i].digits, r->v[i].len), r->v[i].cost };
	qsort(out, r->n, sizeof(*out), cmp_keyed_cost);
	for (size_t i = 0; i < r->n; i++)
		if (n == 0 || out[n - 1].key != out[i].key)
			out[n++] = out[i];
	return n;
}

static void test_carriers_overlap(void **state)
{
	struct text a = gen_routes(20000, 9, DS_SHAPE_MAKESCHOOL, 0);
	struct text b = gen_routes(20000, 9, DS_SHAPE_MAKESCHOOL, 1);
	struct ds_routes ra = parse_routes(&a), rb = parse_routes(&b);
	struct keyed_cost *ka = malloc(ra.n * sizeof(*ka)), *kb = malloc(rb.n * sizeof(*kb));
	size_t na, nb, shared = 0, same_cost = 0;

	(void)state;
	assert_non_null(ka);
	assert_non_null(kb);
	na = lowest_costs(&ra, ka);
	nb = lowest_costs(&rb, kb);
	for (size_t i = 0, j = 0; i < na && j < nb;) {
		if (ka[i].key < kb[j].key) {
			i++;
		} else if (ka[i].key > kb[j].key) {
			j++;
		} else {
			shared++;
			same_cost += ka[i++].cost == kb[j++].cost;
		}
	}
	/* About 60% of the prefixes are common, at costs of their own. */
	assert_in_range(shared, na / 2, na * 3 / 4);
	assert_true(same_cost < shared / 5);
	free(ka);
	free(kb);
	ds_routes_free(&ra);
	ds_routes_free(&rb);
	free(a.buf);
	free(b.buf);
}

/* --- numbers --------------------------------------------------------------------------------- */

/* Share of numbers that match some route. */
static double hit_share(const struct ds_routes *r, double ratio, size_t count)
{
	struct prefix_set s = prefix_set(r);
	struct text t = gen_numbers(r, count, 4, ratio);
	struct ds_numbers n = parse_numbers(&t);
	size_t hits = 0;

	assert_int_equal(n.n, count);
	for (size_t i = 0; i < n.n; i++) {
		assert_in_range(n.v[i].len, 11, 14);
		hits += has_prefix_of(&s, n.v[i].digits, n.v[i].len, RT_MAX_DIGITS + 1);
	}
	ds_numbers_free(&n);
	free(t.buf);
	free(s.v);
	return (double)hits / (double)count;
}

static void test_hit_ratio(void **state)
{
	struct text t = gen_routes(20000, 11, DS_SHAPE_MAKESCHOOL, 0);
	struct text u = gen_routes(20000, 11, DS_SHAPE_UNIFORM, 0);
	struct ds_routes r = parse_routes(&t), ru = parse_routes(&u);

	(void)state;
	assert_true(hit_share(&r, 1.0, 5000) == 1.0);
	assert_true(hit_share(&ru, 1.0, 5000) == 1.0);
	assert_true(hit_share(&r, 0.0, 5000) < 0.2);
	assert_true(hit_share(&ru, 0.0, 5000) < 0.2);
	assert_in_range((long)(hit_share(&r, 0.5, 5000) * 100), 45, 65);
	ds_routes_free(&r);
	ds_routes_free(&ru);
	free(t.buf);
	free(u.buf);
}

static void test_bad_arguments(void **state)
{
	struct ds_gen_routes big = { .count = DS_MAX_COUNT + 1 };
	struct ds_gen_numbers over = { .count = 1, .hit_ratio = 1.5 };
	struct ds_routes none = { 0 };
	struct ds_gen_numbers hits = { .count = 1, .hit_ratio = 0.5 };
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(ds_gen_routes_write(&big, f), -EINVAL);
	assert_int_equal(ds_gen_numbers_from_routes(&over, &none, f), -EINVAL);
	assert_int_equal(ds_gen_numbers_from_routes(&hits, &none, f), -EINVAL); /* nothing to hit */
	hits.routes_path = "/nonexistent/routes.txt";
	assert_int_equal(ds_gen_numbers_write(&hits, f), -EINVAL);
	fclose(f);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split t (modified) into its lines; how many. */
static size_t lines_of(struct text *t, char **v, size_t cap)
{
	size_t n = 0;

	for (char *p = t->buf, *nl; n < cap && (nl = memchr(p, '\n', t->len - (size_t)(p - t->buf)));
	     p = nl + 1) {
		*nl = '\0';
		v[n++] = p;
	}
	return n;
}

/*
 * The cold set: count numbers, none twice, as the loader reads them, hitting routes as the
 * hot set does; its numbers are the hot draws with repeats left out, in the draws' order; and
 * routes too few to draw from are -ERANGE, not a loop.
 */
static void test_distinct_numbers(void **state)
{
	enum { N = 60000 };
	struct text rt = gen_routes(300, 5, DS_SHAPE_MAKESCHOOL, 0), hot, cold, one;
	struct ds_routes r = parse_routes(&rt), single = { 0 };
	struct ds_gen_prefixes p = ds_routes_prefixes(&r);
	struct ds_gen_numbers a = { .count = N, .seed = 9, .hit_ratio = 0.5 };
	char **hv = malloc(N * sizeof(*hv)), **cv = malloc(N * sizeof(*cv));
	size_t nh, nc, k = 0;
	struct ds_error err;
	FILE *f = open_memstream(&cold.buf, &cold.len);

	(void)state;
	assert_int_equal(ds_gen_distinct_numbers_from(&a, &p, f), 0);
	assert_int_equal(fclose(f), 0);
	{
		struct ds_numbers nums = parse_numbers(&cold);
		struct prefix_set ps = prefix_set(&r);
		size_t hits = 0;

		assert_int_equal(nums.n, N);
		for (size_t i = 0; i < nums.n; i++)
			hits += has_prefix_of(&ps, nums.v[i].digits, nums.v[i].len,
					      RT_MAX_DIGITS + 1);
		assert_in_range((long)(hits * 100 / N), 45, 65); /* hits routes as the hot set */
		ds_numbers_free(&nums);
		free(ps.v);
	}
	hot = gen_numbers(&r, N, 9, 0.5);
	nh = lines_of(&hot, hv, N);
	nc = lines_of(&cold, cv, N);
	assert_int_equal(nc, N);
	for (size_t i = 0; i < 3000 && i < nh; i++) { /* the hot draws, first sightings only */
		size_t j = 0;

		while (j < i && strcmp(hv[j], hv[i]) != 0)
			j++;
		if (j == i)
			assert_string_equal(hv[i], cv[k++]);
	}
	assert_true(k > 2000);
	qsort(cv, nc, sizeof(*cv), cmp_line);
	for (size_t i = 1; i < nc; i++)
		assert_true(strcmp(cv[i - 1], cv[i]) != 0);
	one.buf = "+123456789012,0.01\n";
	one.len = strlen(one.buf);
	assert_int_equal(ds_parse_routes(one.buf, one.len, "one", 0, &single, &err), 0);
	p = ds_routes_prefixes(&single);
	a.count = 1000;
	a.hit_ratio = 1;
	f = fopen("/dev/null", "w");
	assert_int_equal(ds_gen_distinct_numbers_from(&a, &p, f), -ERANGE);
	fclose(f);
	ds_routes_free(&single);
	ds_routes_free(&r);
	free(hv);
	free(cv);
	free(rt.buf);
	free(hot.buf);
	free(cold.buf);
}

/* --- the cache ------------------------------------------------------------------------------ */

static struct text slurp(const char *path)
{
	struct text t = { 0 };
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	t.buf = malloc((size_t)n + 1);
	assert_non_null(t.buf);
	t.len = fread(t.buf, 1, (size_t)n, f);
	assert_int_equal(t.len, (size_t)n);
	fclose(f);
	return t;
}

static void test_cache_generates_once(void **state)
{
	char tmpl[] = "/tmp/test_gen.XXXXXX", dir[512], p1[4096], p2[4096], pn[4096], pe[4096];
	struct ds_gen_routes a = { .count = 3000, .seed = 2, .carrier = 1 };
	struct ds_gen_numbers n = { .count = 500, .seed = 3, .hit_ratio = 0.5 };
	struct stat st1, st2;
	struct text want, got;
	char cmd[1100];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/deep/cache", tmpl); /* created like mkdir -p */
	assert_int_equal(ds_gen_cached_routes(&a, dir, p1, sizeof(p1)), 0);
	assert_non_null(strstr(p1, "/routes-makeschool-n3000-s2-c1.txt"));
	assert_int_equal(stat(p1, &st1), 0);
	assert_int_equal(ds_gen_cached_routes(&a, dir, p2, sizeof(p2)), 0);
	assert_string_equal(p1, p2);
	assert_int_equal(stat(p2, &st2), 0);
	/* Not rewritten: a second generation would have renamed a new inode into place. */
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtim.tv_sec, st2.st_mtim.tv_sec);
	assert_int_equal(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	want = gen_routes(3000, 2, DS_SHAPE_MAKESCHOOL, 1);
	got = slurp(p1);
	assert_int_equal(want.len, got.len);
	assert_memory_equal(want.buf, got.buf, want.len);
	free(want.buf);
	free(got.buf);

	assert_int_equal(ds_gen_cached_routes(&a, dir, p2, 8), -ENAMETOOLONG);

	n.routes_path = p1;
	assert_int_equal(ds_gen_cached_numbers(&n, dir, pn, sizeof(pn)), 0);
	assert_non_null(strstr(pn, "/numbers-n500-s3-h0.5-routes-makeschool-n3000-s2-c1.txt"));
	got = slurp(pn);
	assert_int_equal(got.len > 500 * 12, 1);
	free(got.buf);

	/* RB_CACHE_DIR stands in for a NULL cache_dir. */
	setenv("RB_CACHE_DIR", dir, 1);
	assert_string_equal(ds_cache_dir(), dir);
	assert_int_equal(ds_gen_cached_routes(&a, NULL, pe, sizeof(pe)), 0);
	assert_string_equal(pe, p1);
	unsetenv("RB_CACHE_DIR");
	assert_string_equal(ds_cache_dir(), DS_DEFAULT_CACHE_DIR);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_arguments_same_bytes),
		cmocka_unit_test(test_seeds_and_carriers_differ),
		cmocka_unit_test(test_golden_hashes),
		cmocka_unit_test(test_makeschool_lines_parse_and_fit_the_bands),
		cmocka_unit_test(test_makeschool_nests_and_relists),
		cmocka_unit_test(test_uniform_is_flat),
		cmocka_unit_test(test_carriers_overlap),
		cmocka_unit_test(test_hit_ratio),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_distinct_numbers),
		cmocka_unit_test(test_cache_generates_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
