/*
 * test_batch.c - rt_lookup_batch gives every registered implementation's single-lookup answers,
 * whether the implementation interleaves lookups itself or rt_lookup_batch loops for it.
 *
 * Random nested routes (dense areas, so the static structures grow pages, sub-tables and long
 * chains) and edge cases (catch-all, 15-digit keys, an empty table, misses, short numbers), each
 * answered in batches of 1, 2, 7, 64 and 1000 and compared number by number with rt_lookup; on
 * one table of 60,000 routes, the single answers against the scan's too.
 */
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

#define MAX_Q 4000

static const size_t batch_sizes[] = { 1, 2, 7, 64, 1000 };

struct key {
	char d[RT_MAX_DIGITS];
	unsigned len;
};

#define MAX_ROUTES 70000

struct set {
	struct key route[MAX_ROUTES];
	uint64_t cost[MAX_ROUTES];
	size_t n_routes;
	struct key num[MAX_Q];
	size_t n_nums;
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned below(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* Routes in a few dense areas, each drawn route often extending an earlier one. */
static void random_routes(struct set *s, size_t n, unsigned areas)
{
	s->n_routes = 0;
	for (size_t i = 0; i < n; i++) {
		struct key *k = &s->route[s->n_routes];

		if (i > 0 && below(3) != 0) {
			*k = s->route[below((unsigned)s->n_routes)];
			for (unsigned x = 1 + below(3); x-- > 0 && k->len < RT_MAX_DIGITS;)
				k->d[k->len++] = (char)('0' + below(10));
		} else {
			unsigned a = below(areas);

			k->len = 1 + below(4);
			k->d[0] = (char)('1' + a % 9);
			for (unsigned x = 1; x < k->len; x++)
				k->d[x] = (char)('0' + (x == 1 ? a / 9 % 10 : below(10)));
		}
		s->cost[s->n_routes++] = 1 + below(5000) * 10; /* repeats: a small dictionary */
	}
}

/* Numbers extending routes (hits, deeper or not), and fresh ones (mostly misses). */
static void random_numbers(struct set *s, size_t n)
{
	s->n_nums = n;
	for (size_t i = 0; i < n; i++) {
		struct key *k = &s->num[i];
		unsigned want = 1 + below(RT_MAX_DIGITS);

		if (s->n_routes && below(4) != 0) {
			*k = s->route[below((unsigned)s->n_routes)];
			if (k->len == 0)
				k->d[k->len++] = '5';
			if (want < k->len && below(2))
				want = k->len;
		} else {
			k->len = 0;
		}
		while (k->len < want)
			k->d[k->len++] = (char)('0' + below(10));
		k->len = k->len < want ? k->len : want;
		if (k->len == 0)
			k->d[k->len++] = '0';
	}
}

static struct route_table *build(const struct route_table_ops *ops, const struct set *s)
{
	struct route_table *t = NULL;

	if (rt_create(ops, &t) != 0)
		fail_msg("%s: create failed", ops->name);
	for (size_t i = 0; i < s->n_routes; i++)
		if (rt_insert(t, s->route[i].d, s->route[i].len, s->cost[i]) != 0)
			fail_msg("%s: insert %zu failed", ops->name, i);
	if (rt_finalize(t) != 0)
		fail_msg("%s: finalize failed", ops->name);
	return t;
}

/* Every batch size, every number: the batch's answer is the single lookup's. */
static void check_batches(const struct route_table *t, const struct set *s, const char *what)
{
	static const char *digits[MAX_Q];
	static unsigned len[MAX_Q];
	static uint64_t want[MAX_Q], got[MAX_Q];

	for (size_t i = 0; i < s->n_nums; i++) {
		digits[i] = s->num[i].d;
		len[i] = s->num[i].len;
		want[i] = rt_lookup(t, digits[i], len[i]);
	}
	rt_lookup_batch(t, 0, digits, len, got); /* an empty batch touches nothing */
	for (size_t b = 0; b < sizeof(batch_sizes) / sizeof(batch_sizes[0]); b++) {
		memset(got, 0xa5, sizeof(got));
		for (size_t i = 0; i < s->n_nums; i += batch_sizes[b]) {
			size_t m = s->n_nums - i < batch_sizes[b] ? s->n_nums - i : batch_sizes[b];

			rt_lookup_batch(t, m, digits + i, len + i, got + i);
		}
		for (size_t i = 0; i < s->n_nums; i++)
			if (got[i] != want[i])
				fail_msg("%s: %s: batch of %zu: number %zu \"%.*s\": %llu, single %llu",
					 t->ops->name, what, batch_sizes[b], i, (int)len[i], digits[i],
					 (unsigned long long)got[i], (unsigned long long)want[i]);
	}
}

static void check_every_impl(const struct set *s, const char *what)
{
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t = build(rt_registry[r], s);

		check_batches(t, s, what);
		rt_destroy(t);
	}
}

/*
 * A table past the sizes where structures change shape (hash's length filter from 2^16 slots):
 * every implementation's single answers equal the scan's on the first n_ref numbers, and its
 * batches its single answers on all.
 */
static void check_against_scan(const struct set *s, size_t n_ref, const char *what)
{
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);
	struct route_table *ref;

	assert_non_null(scan);
	ref = build(scan, s);
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t = build(rt_registry[r], s);

		for (size_t i = 0; i < n_ref && i < s->n_nums; i++) {
			const struct key *k = &s->num[i];
			uint64_t want = rt_lookup(ref, k->d, k->len), got = rt_lookup(t, k->d, k->len);

			if (got != want)
				fail_msg("%s: %s: number %zu \"%.*s\": %llu, the scan %llu",
					 t->ops->name, what, i, (int)k->len, k->d,
					 (unsigned long long)got, (unsigned long long)want);
		}
		check_batches(t, s, what);
		rt_destroy(t);
	}
	rt_destroy(ref);
}

static struct set *new_set(void)
{
	struct set *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

static void test_random_nested(void **state)
{
	static const struct {
		size_t routes;
		unsigned areas;
	} shapes[] = { { 40, 3 }, { 600, 5 }, { 9000, 3 }, { 20000, 40 } };
	struct set *s = new_set();

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char what[64];

		random_routes(s, shapes[i].routes, shapes[i].areas);
		random_numbers(s, MAX_Q);
		snprintf(what, sizeof(what), "%zu random nested routes", shapes[i].routes);
		check_every_impl(s, what);
	}
	free(s);
}

static void test_large_table(void **state)
{
	struct set *s = new_set();

	(void)state;
	rng_state = 0x5bd1e995ULL;
	random_routes(s, 60000, 90);
	random_numbers(s, MAX_Q);
	check_against_scan(s, 600, "60000 random nested routes");
	free(s);
}

static void add_route(struct set *s, const char *digits, uint64_t cost)
{
	struct key *k = &s->route[s->n_routes];

	k->len = (unsigned)strlen(digits);
	memcpy(k->d, digits, k->len);
	s->cost[s->n_routes++] = cost;
}

/* Numbers of every length 1..15 over a fixed digit pattern, and random ones. */
static void edge_numbers(struct set *s)
{
	static const char *const pattern[] = { "141523456789012", "999999999999999",
					       "000000000000000", "123456789012345" };
	size_t n = 0;

	for (size_t p = 0; p < sizeof(pattern) / sizeof(pattern[0]); p++)
		for (unsigned l = 1; l <= RT_MAX_DIGITS; l++, n++) {
			memcpy(s->num[n].d, pattern[p], l);
			s->num[n].len = l;
		}
	s->n_nums = n;
	struct set *r = new_set();

	random_numbers(r, 1500);
	memcpy(s->num + n, r->num, 1500 * sizeof(r->num[0]));
	s->n_nums += 1500;
	free(r);
}

static void test_edge_cases(void **state)
{
	struct set *s = new_set();

	(void)state;
	rng_state = 12345;
	edge_numbers(s); /* the empty table: every answer a miss */
	check_every_impl(s, "empty table");

	add_route(s, "", 70);
	check_every_impl(s, "catch-all only");

	add_route(s, "1415", 20);
	add_route(s, "141523456789012", 5);
	add_route(s, "99999999999999", 8);
	add_route(s, "999999999999999", 9);
	add_route(s, "0", 3);
	check_every_impl(s, "catch-all and 15-digit keys");

	s->n_routes = 0;
	add_route(s, "999999999999999", 9);
	add_route(s, "123456789012345", 4);
	add_route(s, "12345678", 6);
	check_every_impl(s, "15-digit keys, no catch-all (mostly misses)");

	s->n_routes = 0;
	for (unsigned i = 0; i < 3000; i++) {
		char d[16];

		snprintf(d, sizeof(d), "44%04u%u", i, i % 7);
		add_route(s, d, 100 + i % 13);
	}
	add_route(s, "4", 1);
	check_every_impl(s, "one dense area, short numbers");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_nested),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_large_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
