/*
 * test_differential.c - every registered implementation against the scan (RT_F_SCAN, `linear`)
 * on random tables, and every one with update through successive random deltas.
 *
 * Routes are drawn so they nest and collide (a small digit alphabet, prefixes extended from
 * earlier ones, exact duplicates with new costs, the catch-all now and then); half the numbers
 * extend a stored prefix. Fixed seeds, so a failure names a case that reproduces. On small cases
 * `linear` itself is checked against a string-comparing oracle written here. Each updated
 * version is compared with the scan rebuilt from the merged routes, and its stats with a rebuild.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry.h"
#include "route_table.h"

struct key {
	char d[RT_MAX_DIGITS];
	uint8_t len;
};

struct route {
	struct key k;
	uint64_t cost;
};

struct dataset {
	struct route *routes;
	size_t n_routes;
	struct key *numbers;
	size_t n_numbers;
	size_t distinct; /* distinct prefixes among routes */
};

/* A case: its seed, its sizes and the digits it draws from. */
struct params {
	const char *name;
	uint64_t seed;
	size_t n_routes, n_numbers;
	const char *alphabet;
	int oracle; /* also check `linear` against the naive oracle (quadratic: small cases) */
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return splitmix64(s) % n;
}

static uint64_t random_cost(uint64_t *s)
{
	switch (below(s, 10)) {
	case 0:
		return 0;
	case 1:
		return below(s, RT_COST_MAX + 1);
	default:
		return below(s, 1000); /* small: many equal costs */
	}
}

static void extend(uint64_t *s, struct key *k, unsigned to, const char *alphabet)
{
	size_t a = strlen(alphabet);

	while (k->len < to)
		k->d[k->len++] = alphabet[below(s, a)];
}

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->d, y->d, x->len);
}

static size_t count_distinct(const struct route *routes, size_t n)
{
	struct key *k = malloc((n + 1) * sizeof(*k));
	size_t distinct = 0;

	assert_non_null(k);
	for (size_t i = 0; i < n; i++)
		k[i] = routes[i].k;
	qsort(k, n, sizeof(*k), key_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || key_cmp(&k[i - 1], &k[i]) != 0)
			distinct++;
	free(k);
	return distinct;
}

static void generate(const struct params *p, struct dataset *ds)
{
	uint64_t s = p->seed;

	ds->routes = malloc((p->n_routes + 1) * sizeof(*ds->routes)); /* + 1: never malloc(0) */
	ds->numbers = malloc((p->n_numbers + 1) * sizeof(*ds->numbers));
	assert_non_null(ds->routes);
	assert_non_null(ds->numbers);
	for (size_t i = 0; i < p->n_routes; i++) {
		struct route *r = &ds->routes[i];
		uint64_t pick = below(&s, 100);

		r->k.len = 0;
		if (pick < 2) {
			/* the catch-all */
		} else if (pick < 20 && i > 0) {
			r->k = ds->routes[below(&s, i)].k; /* an exact duplicate */
		} else if (pick < 60 && i > 0) {
			r->k = ds->routes[below(&s, i)].k;
			unsigned to = r->k.len + 1 + (unsigned)below(&s, 3);

			extend(&s, &r->k, to < RT_MAX_DIGITS ? to : RT_MAX_DIGITS, p->alphabet);
		} else {
			extend(&s, &r->k, (unsigned)below(&s, RT_MAX_DIGITS + 1), p->alphabet);
		}
		r->cost = random_cost(&s);
	}
	for (size_t i = 0; i < p->n_numbers; i++) {
		struct key *k = &ds->numbers[i];
		unsigned from = 1;

		k->len = 0;
		if (p->n_routes > 0 && below(&s, 2) == 0) {
			*k = ds->routes[below(&s, p->n_routes)].k;
			from = k->len > 1 ? k->len : 1;
		}
		extend(&s, k, from + (unsigned)below(&s, RT_MAX_DIGITS - from + 1), p->alphabet);
	}
	ds->n_routes = p->n_routes;
	ds->n_numbers = p->n_numbers;
	ds->distinct = count_distinct(ds->routes, ds->n_routes);
}

static void dataset_free(struct dataset *ds)
{
	free(ds->routes);
	free(ds->numbers);
}

/* Build a table of ds's routes, in order or reversed. */
static struct route_table *build(const struct route_table_ops *ops, const char *what,
				 const struct dataset *ds, int reversed)
{
	struct route_table *t = NULL;
	int rc = rt_create(ops, &t);

	if (rc != 0)
		fail_msg("%s: %s: create returned %d", ops->name, what, rc);
	for (size_t i = 0; i < ds->n_routes; i++) {
		const struct route *r = &ds->routes[reversed ? ds->n_routes - 1 - i : i];

		rc = rt_insert(t, r->k.d, r->k.len, r->cost);
		if (rc != 0)
			fail_msg("%s: %s: insert of route %zu returned %d", ops->name, what, i, rc);
	}
	rc = rt_finalize(t);
	if (rc != 0)
		fail_msg("%s: %s: finalize returned %d", ops->name, what, rc);
	return t;
}

static const char *show(uint64_t cost, char *buf, size_t size)
{
	if (cost == RT_NO_ROUTE)
		snprintf(buf, size, "no route");
	else
		snprintf(buf, size, "%llu", (unsigned long long)cost);
	return buf;
}

/* The longest matching prefix by direct comparison, lowest cost among its duplicates. */
static uint64_t oracle(const struct dataset *ds, const struct key *num)
{
	uint64_t best = RT_NO_ROUTE;
	int best_len = -1;

	for (size_t i = 0; i < ds->n_routes; i++) {
		const struct route *r = &ds->routes[i];

		if (r->k.len > num->len || memcmp(r->k.d, num->d, r->k.len) != 0)
			continue;
		if (r->k.len > best_len || (r->k.len == best_len && r->cost < best)) {
			best = r->cost;
			best_len = r->k.len;
		}
	}
	return best;
}

static void expect_prefixes(const struct route_table *t, const char *what, size_t want)
{
	struct rt_stats st;

	rt_stats(t, &st);
	if (st.prefixes != want)
		fail_msg("%s: %s: stats.prefixes = %zu, want %zu", t->ops->name, what, st.prefixes,
			 want);
}

static void run(const struct params *p)
{
	const struct route_table_ops *ref_ops = rt_find_flag(RT_F_SCAN);
	struct dataset ds;
	uint64_t *want;
	char a[32], b[32];

	assert_non_null(ref_ops);
	generate(p, &ds);
	want = malloc((ds.n_numbers + 1) * sizeof(*want));
	assert_non_null(want);

	struct route_table *ref = build(ref_ops, p->name, &ds, 0);

	for (size_t i = 0; i < ds.n_numbers; i++) {
		want[i] = rt_lookup(ref, ds.numbers[i].d, ds.numbers[i].len);
		if (p->oracle && want[i] != oracle(&ds, &ds.numbers[i]))
			fail_msg("%s: %s: number %zu \"%.*s\": %s, the oracle says %s",
				 ref_ops->name, p->name, i, ds.numbers[i].len, ds.numbers[i].d,
				 show(want[i], a, sizeof(a)),
				 show(oracle(&ds, &ds.numbers[i]), b, sizeof(b)));
	}
	expect_prefixes(ref, p->name, ds.distinct);
	rt_destroy(ref);

	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];

		/* linear meets itself only in reverse order, and only where that is cheap */
		if (ops == ref_ops && !p->oracle)
			continue;
		for (int reversed = ops == ref_ops; reversed <= (p->oracle ? 1 : 0); reversed++) {
			struct route_table *t = build(ops, p->name, &ds, reversed);

			for (size_t i = 0; i < ds.n_numbers; i++) {
				const struct key *k = &ds.numbers[i];
				uint64_t got = rt_lookup(t, k->d, k->len);

				if (got != want[i])
					fail_msg("%s: %s%s: number %zu \"%.*s\": %s, "
						 "%s says %s",
						 ops->name, p->name, reversed ? " (reversed)" : "",
						 i, k->len, k->d, show(got, a, sizeof(a)),
						 ref_ops->name, show(want[i], b, sizeof(b)));
			}
			expect_prefixes(t, p->name, ds.distinct);
			rt_destroy(t);
		}
	}
	free(want);
	dataset_free(&ds);
}

static void test_small_alphabets(void **state)
{
	static const struct params cases[] = {
		{"seed 1, digits 1-3", 1, 2000, 2000, "123", 1},
		{"seed 2, digits 1-2", 2, 500, 3000, "12", 1},
		{"seed 3, digit 7", 3, 300, 1000, "7", 1},
		{"seed 4, digits 0-1", 4, 1500, 1500, "01", 1},
		{"seed 5, digits 9-0", 5, 1000, 1000, "90", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
}

static void test_all_digits(void **state)
{
	static const struct params cases[] = {
		{"seed 11, all digits", 11, 2000, 2000, "0123456789", 1},
		{"seed 12, all digits", 12, 3000, 3000, "0123456789", 1},
		{"seed 13, few routes", 13, 10, 2000, "0123456789", 1},
		{"seed 14, one route", 14, 1, 200, "0123456789", 1},
		{"seed 15, no routes", 15, 0, 200, "0123456789", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
}

static void test_large(void **state)
{
	static const struct params cases[] = {
		{"seed 42, 20000 routes, digits 1-4", 42, 20000, 10000, "1234", 0},
		{"seed 43, 20000 routes, all digits", 43, 20000, 5000, "0123456789", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
}

/*
 * 300000 inserts of 1000 prefixes, nine in ten of them the same one: the distinct count and the
 * lowest costs must survive heavy duplication (this also makes linear count its distinct
 * prefixes in two passes over its bounded scratch set).
 */
static void test_heavy_duplicates(void **state)
{
	enum { KEYS = 1000, INSERTS = 300000 };
	uint64_t *low = malloc(KEYS * sizeof(*low));
	uint64_t s = 99;

	(void)state;
	assert_non_null(low);
	for (size_t r = 0; r < rt_registry_count; r++) {
		const struct route_table_ops *ops = rt_registry[r];
		struct route_table *t = NULL;
		char k[3];

		s = 99;
		for (int i = 0; i < KEYS; i++)
			low[i] = RT_NO_ROUTE;
		assert_int_equal(rt_create(ops, &t), 0);
		for (int i = 0; i < INSERTS; i++) {
			int v = below(&s, 10) == 0 ? (int)below(&s, KEYS) : 0;
			uint64_t cost = 1 + below(&s, 1000000);

			k[0] = (char)('0' + v / 100);
			k[1] = (char)('0' + v / 10 % 10);
			k[2] = (char)('0' + v % 10);
			if (rt_insert(t, k, 3, cost) != 0)
				fail_msg("%s: heavy duplicates: insert %d failed", ops->name, i);
			if (cost < low[v])
				low[v] = cost;
		}
		assert_int_equal(rt_finalize(t), 0);
		/* linear scans all 300000 inserts per lookup: sample it */
		for (int v = 0; v < KEYS; v += ops->flags & RT_F_SCAN ? 20 : 1) {
			char num[16];
			uint64_t got;

			snprintf(num, sizeof(num), "%03d%d", v, v % 10);
			got = rt_lookup(t, num, 4);
			if (got != low[v])
				fail_msg("%s: heavy duplicates: \"%s\" = %llu, want %llu",
					 ops->name, num, (unsigned long long)got,
					 (unsigned long long)low[v]);
		}
		expect_prefixes(t, "heavy duplicates", KEYS);
		rt_destroy(t);
	}
	free(low);
}

/* --- update: random deltas over successive versions, each against a rebuilt scan ---------- */

/* The routes a version should hold: distinct keys in key_cmp order, each with its cost. */
struct model {
	struct route *v;
	size_t n, cap;
};

/* Where k is in m, or where it would go (*found says which). */
static size_t model_find(const struct model *m, const struct key *k, int *found)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(&m->v[mid].k, k);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* Set k's cost (replace), or with keep_min, keep the lower one (as insert does). */
static void model_set(struct model *m, const struct key *k, uint64_t cost, int keep_min)
{
	int found;
	size_t at = model_find(m, k, &found);

	if (found) {
		if (!keep_min || cost < m->v[at].cost)
			m->v[at].cost = cost;
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		assert_non_null(m->v);
	}
	memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*m->v));
	m->v[at] = (struct route){*k, cost};
	m->n++;
}

/* Apply changes to m in order; returns how many removals found nothing. */
static size_t model_apply(struct model *m, const struct rt_change *c, size_t n)
{
	size_t absent = 0;

	for (size_t i = 0; i < n; i++) {
		struct key k = {.len = c[i].len};
		int found;
		size_t at;

		memcpy(k.d, c[i].digits, k.len);
		if (c[i].kind == RT_SET) {
			model_set(m, &k, c[i].cost, 0);
			continue;
		}
		at = model_find(m, &k, &found);
		if (!found) {
			absent++;
			continue;
		}
		memmove(&m->v[at], &m->v[at + 1], (m->n - at - 1) * sizeof(*m->v));
		m->n--;
	}
	return absent;
}

static struct rt_change change_of(enum rt_change_kind kind, const struct key *k, uint64_t cost)
{
	struct rt_change c = {.kind = kind, .len = k->len, .cost = cost};

	memcpy(c.digits, k->d, k->len);
	return c;
}

/* A random existing key of m (m not empty), or a random key of the alphabet. */
static struct key pick_key(uint64_t *s, const struct model *m, const char *alphabet)
{
	struct key k = {.len = 0};

	if (m->n > 0 && below(s, 4) != 0)
		return m->v[below(s, m->n)].k;
	extend(s, &k, 1 + (unsigned)below(s, RT_MAX_DIGITS), alphabet);
	return k;
}

/*
 * n changes against m: cost changes of existing routes, new prefixes (extensions of existing
 * ones, so they nest), removals of existing and of absent ones, a key set then removed (or
 * removed then set) in the same delta, and the catch-all. Returns how many it wrote (<= cap).
 */
static size_t make_delta(uint64_t *s, const struct model *m, const char *alphabet,
			 struct rt_change *out, size_t n)
{
	size_t w = 0;

	while (w + 2 <= n) {
		uint64_t pick = below(s, 100);
		struct key k = pick_key(s, m, alphabet);

		if (pick < 30) {
			out[w++] = change_of(RT_SET, &k, random_cost(s));
		} else if (pick < 50) {
			unsigned to = k.len + 1 + (unsigned)below(s, 3);

			extend(s, &k, to < RT_MAX_DIGITS ? to : RT_MAX_DIGITS, alphabet);
			out[w++] = change_of(RT_SET, &k, random_cost(s));
		} else if (pick < 80) {
			out[w++] = change_of(RT_REMOVE, &k, 0);
		} else if (pick < 95) {
			int set_first = (int)below(s, 2);

			out[w++] = change_of(set_first ? RT_SET : RT_REMOVE, &k, random_cost(s));
			out[w++] = change_of(set_first ? RT_REMOVE : RT_SET, &k, random_cost(s));
		} else {
			k.len = 0;
			out[w++] = change_of(below(s, 2) ? RT_SET : RT_REMOVE, &k, random_cost(s));
		}
	}
	return w;
}

/* Numbers that extend the delta's keys, the model's keys, or nothing in particular. */
static void make_numbers(uint64_t *s, const struct model *m, const struct rt_change *delta,
			 size_t n_delta, const char *alphabet, struct key *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct key *k = &out[i];
		uint64_t pick = below(s, 3);

		k->len = 0;
		if (pick == 0 && n_delta > 0) {
			const struct rt_change *c = &delta[below(s, n_delta)];

			k->len = c->len;
			memcpy(k->d, c->digits, c->len);
		} else if (pick == 1 && m->n > 0) {
			*k = m->v[below(s, m->n)].k;
		}
		unsigned to = k->len + 1 + (unsigned)below(s, below(s, 2) ? 3 : RT_MAX_DIGITS);

		extend(s, k, to < RT_MAX_DIGITS ? to : RT_MAX_DIGITS, alphabet);
	}
}

/* An update case: a random table, then versions successive deltas of delta_size changes. */
struct update_params {
	const char *name;
	uint64_t seed;
	size_t n_routes, n_numbers, versions, delta_size;
	const char *alphabet;
};

static struct route_table *build_model(const struct route_table_ops *ops, const char *what,
				       const struct model *m)
{
	struct dataset view = {.routes = m->v, .n_routes = m->n};

	return build(ops, what, &view, 0);
}

/* Every number's answer on t must be the scan's on ref; what names the version. */
static void expect_same(const struct route_table *t, const struct route_table *ref,
			const char *what, size_t version, const struct key *numbers, size_t n)
{
	char a[32], b[32];

	for (size_t i = 0; i < n; i++) {
		uint64_t got = rt_lookup(t, numbers[i].d, numbers[i].len);
		uint64_t want = rt_lookup(ref, numbers[i].d, numbers[i].len);

		if (got != want)
			fail_msg("%s: %s, version %zu: number %zu \"%.*s\": %s, %s says %s",
				 t->ops->name, what, version, i, numbers[i].len, numbers[i].d,
				 show(got, a, sizeof(a)), ref->ops->name, show(want, b, sizeof(b)));
	}
}

/* An updated version holds what a rebuild of its routes holds: no node left behind. */
static void expect_rebuilt_stats(const struct route_table *t, const char *what, size_t version,
				 const struct model *m)
{
	struct route_table *fresh = build_model(t->ops, what, m);
	struct rt_stats got, want;

	rt_stats(t, &got);
	rt_stats(fresh, &want);
	if (got.prefixes != m->n || got.nodes != want.nodes || got.total_bytes != want.total_bytes)
		fail_msg("%s: %s, version %zu: stats say %zu prefixes, %zu nodes, %zu bytes; "
			 "a rebuild %zu, %zu, %zu", t->ops->name, what, version, got.prefixes,
			 got.nodes, got.total_bytes, m->n, want.nodes, want.total_bytes);
	rt_destroy(fresh);
}

/* One implementation through p's versions; the old version is checked until its retire. */
static void run_update(const struct route_table_ops *ops, const struct update_params *p)
{
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);
	struct rt_change *delta = malloc(p->delta_size * sizeof(*delta));
	struct key *numbers = malloc(p->n_numbers * sizeof(*numbers));
	struct params gp = {p->name, p->seed, p->n_routes, 0, p->alphabet, 0};
	struct model m = {NULL, 0, 0};
	struct route_table *t;
	struct dataset ds;
	uint64_t s = p->seed * 7919;

	assert_non_null(scan);
	assert_true(delta && numbers);
	generate(&gp, &ds);
	for (size_t i = 0; i < ds.n_routes; i++)
		model_set(&m, &ds.routes[i].k, ds.routes[i].cost, 1);
	t = build(ops, p->name, &ds, 0);
	for (size_t v = 2; v <= p->versions; v++) {
		struct route_table *old_ref = build_model(scan, p->name, &m), *ref, *next = NULL;
		size_t n = make_delta(&s, &m, p->alphabet, delta, p->delta_size);
		size_t want_absent = model_apply(&m, delta, n), absent = 0;
		int rc = rt_update(t, delta, n, &next, &absent);

		if (rc != 0 || absent != want_absent)
			fail_msg("%s: %s, version %zu: update returned %d with %zu absent, want 0 "
				 "with %zu", ops->name, p->name, v, rc, absent, want_absent);
		ref = build_model(scan, p->name, &m);
		make_numbers(&s, &m, delta, n, p->alphabet, numbers, p->n_numbers);
		expect_same(next, ref, p->name, v, numbers, p->n_numbers);
		expect_same(t, old_ref, p->name, v - 1, numbers, p->n_numbers);
		rt_retire(next);
		expect_same(next, ref, p->name, v, numbers, p->n_numbers);
		expect_rebuilt_stats(next, p->name, v, &m);
		rt_destroy(ref);
		rt_destroy(old_ref);
		t = next;
	}
	rt_destroy(t);
	dataset_free(&ds);
	free(m.v);
	free(numbers);
	free(delta);
}

static void test_update_versions(void **state)
{
	static const struct update_params cases[] = {
		{"update seed 21, digits 1-3", 21, 1500, 1500, 8, 300, "123"},
		{"update seed 22, digits 0-1", 22, 800, 1000, 12, 200, "01"},
		{"update seed 23, all digits", 23, 3000, 2000, 6, 600, "0123456789"},
		{"update seed 24, from nothing", 24, 0, 800, 10, 150, "0123456789"},
		{"update seed 25, tiny deltas", 25, 400, 600, 30, 4, "5"},
	};

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++)
		if (rt_can_update(rt_registry[r]))
			for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
				run_update(rt_registry[r], &cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_alphabets),
		cmocka_unit_test(test_all_digits),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_heavy_duplicates),
		cmocka_unit_test(test_update_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
