/*
 * states.c - state B and the two delta bodies from state A. A's routes are sorted by prefix and
 * reduced to one per prefix (the lowest cost, as a table keeps it); a seeded partial shuffle
 * picks the prefixes to change and to remove, and new prefixes are old ones extended by one or
 * two digits (so longest-match answers move). O(n log n) time, 28 bytes per route.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "child.h"
#include "load.h"
#include "outfile.h"
#include "rng.h"
#include "states.h"

enum { KEEP, CHANGE, REMOVE };

static int cmp_prefix(const struct ds_route *a, const struct ds_route *b)
{
	int c = a->len != b->len ? (a->len > b->len) - (a->len < b->len)
				 : memcmp(a->digits, b->digits, a->len);

	return c;
}

static int cmp_prefix_v(const void *x, const void *y)
{
	return cmp_prefix(x, y);
}

static int cmp_route(const void *x, const void *y)
{
	const struct ds_route *a = x, *b = y;
	int c = cmp_prefix(a, b);

	return c ? c : (a->cost > b->cost) - (a->cost < b->cost);
}

/* Sort and keep the first (cheapest) route of each prefix; returns the new count. */
static size_t unique_routes(struct ds_route *v, size_t n)
{
	size_t u = 0;

	qsort(v, n, sizeof(*v), cmp_route);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || cmp_prefix(&v[u - 1], &v[i]) != 0)
			v[u++] = v[i];
	return u;
}

static void put_route(FILE *f, char sign, const struct ds_route *r, uint64_t cost)
{
	char c[32];

	fputc(sign, f);
	fwrite(r->digits, 1, r->len, f);
	if (sign == '+') {
		ds_format_cost(cost, c);
		fprintf(f, ",%s", c);
	}
	fputc('\n', f);
}

/*
 * Up to want new prefixes, each an old prefix extended by one or two digits, absent from
 * v[0..n) and from each other, into *out (sorted). Returns the count, or -ENOMEM.
 */
static long new_prefixes(const struct ds_route *v, size_t n, size_t want, uint64_t *rng,
			 struct ds_route **out)
{
	struct ds_route *add = calloc(want ? want : 1, sizeof(*add));
	size_t got = 0, u = 0;

	if (!add)
		return -ENOMEM;
	for (size_t tries = 0; got < want && tries < want * 8; tries++) {
		const struct ds_route *r = &v[rb_splitmix64(rng) % n];
		struct ds_route c = *r;
		unsigned extra = 1 + (unsigned)(rb_splitmix64(rng) % 2);

		if (r->len + extra > RT_MAX_DIGITS)
			continue;
		for (unsigned i = 0; i < extra; i++)
			c.digits[c.len++] = (char)('0' + rb_splitmix64(rng) % 10);
		c.cost = (1 + rb_splitmix64(rng) % 100) * (RT_COST_SCALE / 100);
		if (!bsearch(&c, v, n, sizeof(*v), cmp_prefix_v))
			add[got++] = c;
	}
	qsort(add, got, sizeof(*add), cmp_route);
	for (size_t i = 0; i < got; i++)
		if (u == 0 || cmp_prefix(&add[u - 1], &add[i]) != 0)
			add[u++] = add[i];
	*out = add;
	return (long)u;
}

/* Mark k distinct prefixes of length >= 1 as CHANGE, then k as REMOVE (partial shuffle). */
static int pick(const struct ds_route *v, size_t n, size_t k, uint64_t *rng, uint8_t *mark)
{
	uint32_t *idx = malloc(n * sizeof(*idx));
	size_t m = 0;

	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].len > 0)
			idx[m++] = (uint32_t)i;
	if (m < 2 * k) {
		free(idx);
		return -EINVAL;
	}
	for (size_t i = 0; i < 2 * k; i++) {
		size_t j = i + (size_t)(rb_splitmix64(rng) % (m - i));
		uint32_t t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
		mark[idx[i]] = i < k ? CHANGE : REMOVE;
	}
	free(idx);
	return 0;
}

/*
 * A changed cost: a quarter to three quarters of the old one (0.01 for a free route), never
 * equal to it; cheaper, so it often wins the cross-carrier minimum and the answers move.
 */
static uint64_t changed_cost(uint64_t old, size_t i, uint64_t seed)
{
	uint64_t s = seed ^ (i * 0x2545f4914f6cdd1dULL), c;

	if (old == 0)
		return RT_COST_SCALE / 100;
	c = old / 4 * (1 + rb_splitmix64(&s) % 3);
	return c == old ? old - 1 : c;
}

static void write_states(const struct ds_route *v, size_t n, const uint8_t *mark,
			 const struct ds_route *add, size_t n_add, uint64_t seed, FILE *b,
			 FILE *fwd, FILE *back)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t nc = mark[i] == CHANGE ? changed_cost(v[i].cost, i, seed) : v[i].cost;

		if (mark[i] != REMOVE)
			put_route(b, '+', &v[i], nc);
		if (mark[i] == CHANGE) {
			put_route(fwd, '+', &v[i], nc);
			put_route(back, '+', &v[i], v[i].cost);
		} else if (mark[i] == REMOVE) {
			put_route(fwd, '-', &v[i], 0);
			put_route(back, '+', &v[i], v[i].cost);
		}
	}
	for (size_t i = 0; i < n_add; i++) {
		put_route(b, '+', &add[i], add[i].cost);
		put_route(fwd, '+', &add[i], add[i].cost);
		put_route(back, '-', &add[i], 0);
	}
}

int sc_delta_write(const struct sc_delta_args *a, FILE *b, FILE *fwd, FILE *back,
		   struct sc_delta_counts *out)
{
	struct ds_routes r = { 0 };
	struct ds_error err;
	struct ds_route *add = NULL;
	uint64_t rng = a->seed * 0x9e3779b97f4a7c15ULL + 0x5ca1ab1eULL;
	uint8_t *mark = NULL;
	size_t n, k, want;
	long n_add = 0;
	int rc;

	if (ds_load_routes(a->routes_path, 0, &r, &err) != 0) {
		ds_error_print(&err, stderr);
		ds_routes_free(&r);
		return -EINVAL;
	}
	n = unique_routes(r.v, r.n);
	want = (size_t)((double)n * a->fraction + 0.5);
	want = want < 3 ? 3 : want;
	k = want / 3;
	mark = calloc(n ? n : 1, 1);
	rc = !mark ? -ENOMEM : n < 4 || 2 * k >= n ? -EINVAL : pick(r.v, n, k, &rng, mark);
	if (rc == 0 && (n_add = new_prefixes(r.v, n, want - 2 * k, &rng, &add)) < 0)
		rc = (int)n_add;
	if (rc == 0) {
		write_states(r.v, n, mark, add, (size_t)n_add, a->seed, b, fwd, back);
		out->prefixes = n;
		out->changed = out->removed = k;
		out->added = (size_t)n_add;
	}
	free(add);
	free(mark);
	ds_routes_free(&r);
	return rc;
}

/* Write the three files atomically: all of them, or none. */
static int write_delta_files(void *arg)
{
	void **p = arg;
	const struct sc_delta_args *a = p[0];
	const struct sc_delta_files *f = p[1];
	struct rb_outfile b, fwd, back;
	struct sc_delta_counts n;
	int rc = rb_outfile_open(&b, f->b_routes);

	if (rc == 0 && (rc = rb_outfile_open(&fwd, f->fwd)) != 0)
		rb_outfile_abort(&b);
	if (rc == 0 && (rc = rb_outfile_open(&back, f->back)) != 0) {
		rb_outfile_abort(&b);
		rb_outfile_abort(&fwd);
	}
	if (rc != 0)
		return rc;
	rc = sc_delta_write(a, b.f, fwd.f, back.f, &n);
	if (rc != 0) {
		rb_outfile_abort(&b);
		rb_outfile_abort(&fwd);
		rb_outfile_abort(&back);
		return rc;
	}
	if ((rc = rb_outfile_commit(&b)) != 0 || (rc = rb_outfile_commit(&fwd)) != 0 ||
	    (rc = rb_outfile_commit(&back)) != 0)
		return rc;
	fprintf(stderr, "routebench bench: delta of %s: %zu of %zu prefixes changed, %zu removed, "
			"%zu added\n", a->routes_path, n.changed, n.prefixes, n.removed, n.added);
	return 0;
}

int sc_delta_cached(const struct sc_delta_args *a, const char *cache_dir,
		    struct sc_delta_files *f)
{
	const char *slash = strrchr(a->routes_path, '/');
	char base[1024], stem[sizeof(f->b_routes) - 16]; /* room for "-back.txt" */
	struct sc_delta_files g;
	struct stat st;
	void *arg[2] = { (void *)a, &g };
	int rc = rb_mkdir_p(cache_dir), n;

	if (rc != 0)
		return rc;
	snprintf(base, sizeof(base), "%s", slash ? slash + 1 : a->routes_path);
	if (strlen(base) > 4 && strcmp(base + strlen(base) - 4, ".txt") == 0)
		base[strlen(base) - 4] = '\0';
	n = snprintf(stem, sizeof(stem), "%s/delta-%s-f%g-s%" PRIu64, cache_dir, base,
		     a->fraction, a->seed);
	if (n < 0 || (size_t)n >= sizeof(stem))
		return -ENAMETOOLONG;
	snprintf(g.b_routes, sizeof(g.b_routes), "%s-B.txt", stem);
	snprintf(g.fwd, sizeof(g.fwd), "%s-fwd.txt", stem);
	snprintf(g.back, sizeof(g.back), "%s-back.txt", stem);
	if (stat(g.b_routes, &st) != 0 || stat(g.fwd, &st) != 0 || stat(g.back, &st) != 0)
		if (sc_in_child(write_delta_files, arg) != 0)
			return -EIO;
	*f = g;
	return 0;
}

int sc_read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *v;
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -EIO;
	}
	v = malloc((size_t)n + 1);
	if (!v || fread(v, 1, (size_t)n, f) != (size_t)n) {
		int rc = v ? -EIO : -ENOMEM;

		free(v);
		fclose(f);
		return rc;
	}
	fclose(f);
	v[n] = '\0';
	*buf = v;
	*len = (size_t)n;
	return 0;
}
