/*
 * test_serve.c - the serve layer without HTTP: the delta and number parsers (every error
 * names its line, nothing is kept from a refused body), route-set merges (order, absent
 * removals), the fuzz entries, and both update paths. The inplace path runs on a test
 * double with update/retire ops (a copy-on-write sorted array), since no registered
 * implementation may have them yet: its retire and destroy calls are counted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "carriers.h"
#include "clock.h"
#include "delta.h"
#include "fuzz.h"
#include "registry.h"
#include "routeset.h"
#include "rt_key.h"

#define S(x) x, strlen(x)

static void test_delta_parse(void **state)
{
	struct serve_delta d = { 0 };
	struct serve_line_error e;

	(void)state;
	assert_int_equal(serve_parse_delta(S("+1415,0.03\r\n\n-1512  \n+,1\n-"), &d, &e), 0);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[0].kind, RT_SET);
	assert_int_equal(d.v[0].len, 4);
	assert_memory_equal(d.v[0].digits, "1415", 4);
	assert_int_equal(d.v[0].cost, 30000);
	assert_int_equal(d.v[1].kind, RT_REMOVE);
	assert_memory_equal(d.v[1].digits, "1512", 4);
	assert_int_equal(d.v[2].len, 0);
	assert_int_equal(d.v[2].cost, 1000000);
	assert_int_equal(d.v[3].kind, RT_REMOVE);
	assert_int_equal(d.v[3].len, 0);
	assert_int_equal(serve_parse_delta(S("+1,1\n\n+2,x\n"), &d, &e), -EINVAL);
	assert_int_equal(d.n, 4);
	assert_int_equal(e.line, 3);
	assert_string_equal(e.what, "cost is not a number");
	assert_string_equal(e.text, "+2,x");
	assert_int_equal(serve_parse_delta(S("1415,1"), &d, &e), -EINVAL);
	assert_int_equal(serve_parse_delta(S("-14a"), &d, &e), -EINVAL);
	assert_int_equal(serve_parse_delta(S("+1234567890123456,1"), &d, &e), -EINVAL);
	assert_string_equal(e.what, "prefix longer than 15 digits");
	assert_int_equal(serve_parse_delta(S("+14"), &d, &e), -EINVAL);
	assert_int_equal(serve_parse_delta(S("+14,1.1234567"), &d, &e), -EINVAL);
	assert_int_equal(d.n, 4);
	serve_delta_free(&d);
}

static void test_numbers_parse(void **state)
{
	struct ds_number n;
	struct ds_numbers ns = { 0 };
	struct serve_line_error e;
	const char *why;
	char msg[200];

	(void)state;
	assert_int_equal(serve_parse_query_number(S("+14152345678"), &n, &why), 0);
	assert_int_equal(n.len, 11);
	assert_int_equal(serve_parse_query_number(S(" 1415"), &n, &why), 0);
	assert_memory_equal(n.digits, "1415", 4);
	assert_int_equal(serve_parse_query_number(S("1415"), &n, &why), -EINVAL);
	assert_int_equal(serve_parse_query_number(S("+"), &n, &why), -EINVAL);
	assert_int_equal(serve_parse_query_number(S(""), &n, &why), -EINVAL);
	assert_int_equal(serve_parse_query_number(S("+1415 "), &n, &why), -EINVAL);
	assert_int_equal(serve_parse_query_number(S("+1234567890123456"), &n, &why), -EINVAL);
	assert_int_equal(serve_parse_numbers(S("+1\n\n+22\r\n"), &ns, &e), 0);
	assert_int_equal(ns.n, 2);
	assert_int_equal(serve_parse_numbers(S("+1\n+2\n+3x\n"), &ns, &e), -EINVAL);
	assert_int_equal(ns.n, 2);
	serve_line_error_format(&e, msg, sizeof(msg));
	assert_string_equal(msg, "line 3: number has a character that is not a digit: \"+3x\"\n");
	ds_numbers_free(&ns);
}

static uint64_t key(const char *d)
{
	return rt_key_pack(d, (unsigned)strlen(d));
}

static void test_routeset_merge(void **state)
{
	struct ds_route rv[] = { { 300, 2, "14" }, { 100, 1, "1" }, { 200, 2, "14" },
				 { 50, 0, "" } };
	struct ds_routes r = { .v = rv, .n = 4 };
	struct serve_routeset base, next;
	struct serve_delta d = { 0 };
	struct serve_line_error e;
	struct ds_routes back;
	size_t absent;

	(void)state;
	assert_int_equal(serve_routeset_from(&r, &base), 0);
	assert_int_equal(base.n, 3);
	assert_int_equal(base.v[0].key, key(""));
	assert_int_equal(base.v[2].key, key("14"));
	assert_int_equal(base.v[2].cost, 200); /* a prefix listed twice keeps its lowest cost */
	assert_int_equal(serve_parse_delta(S("-14\n-14\n+14,9\n-1\n-7\n+7,1\n+7,2\n-\n"), &d, &e), 0);
	assert_int_equal(serve_routeset_merge(&base, d.v, d.n, &next, &absent), 0);
	assert_int_equal(absent, 2); /* the second -14, and -7 */
	assert_int_equal(next.n, 2);
	assert_int_equal(next.v[0].key, key("7"));
	assert_int_equal(next.v[0].cost, 2000000); /* lines apply in order: the last wins */
	assert_int_equal(next.v[1].key, key("14"));
	assert_int_equal(next.v[1].cost, 9000000);
	assert_int_equal(serve_routeset_routes(&next, &back), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.v[1].len, 2);
	assert_memory_equal(back.v[1].digits, "14", 2);
	ds_routes_free(&back);
	serve_routeset_free(&next);
	serve_routeset_free(&base);
	serve_delta_free(&d);
}

static void test_fuzz_entries(void **state)
{
	static const char *const inputs[] = { "", "+", "-", "\n\n", "+1,1\n-1\n-1", "+,",
					      "+14152345678", " 1", "\xff\x00+1", "+1,1.1234567" };

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		assert_int_equal(serve_fuzz_delta((const uint8_t *)inputs[i], strlen(inputs[i])), 0);
		assert_int_equal(serve_fuzz_request((const uint8_t *)inputs[i], strlen(inputs[i])),
				 0);
	}
}

/* --- a test double with update ops: a sorted array, copied whole on update ------------ */
struct cow_table {
	struct route_table base;
	struct serve_routeset set;
	struct ds_routes pending; /* before finalize */
	struct cow_table *prev;   /* the version this one superseded, until retired */
};
static int cow_retired, cow_destroyed;
static const struct route_table_ops cow_ops;

static int cow_create(struct route_table **out)
{
	struct cow_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &cow_ops;
	*out = &t->base;
	return 0;
}

static int cow_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct cow_table *t = (struct cow_table *)rt;
	struct ds_route *nv = realloc(t->pending.v, (t->pending.n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	t->pending.v = nv;
	memset(&nv[t->pending.n], 0, sizeof(*nv));
	memcpy(nv[t->pending.n].digits, digits, len);
	nv[t->pending.n].len = (uint8_t)len;
	nv[t->pending.n++].cost = cost;
	return 0;
}

static int cow_finalize(struct route_table *rt)
{
	struct cow_table *t = (struct cow_table *)rt;
	int rc = serve_routeset_from(&t->pending, &t->set);

	ds_routes_free(&t->pending);
	return rc;
}

static uint64_t cow_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct cow_table *t = (const struct cow_table *)rt;

	for (unsigned l = len + 1; l-- > 0;) {
		uint64_t k = rt_key_pack(digits, l);
		size_t lo = 0, hi = t->set.n;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (t->set.v[mid].key < k)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < t->set.n && t->set.v[lo].key == k)
			return t->set.v[lo].cost;
	}
	return RT_NO_ROUTE;
}

static void cow_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct cow_table *t = (const struct cow_table *)rt;

	out->prefixes = t->set.n;
	rt_stats_add(out, "array", t->set.n, t->set.n * sizeof(struct serve_route));
}

static void cow_destroy(struct route_table *rt)
{
	struct cow_table *t = (struct cow_table *)rt;

	assert_null(t->prev); /* a superseded version is retired, never destroyed */
	serve_routeset_free(&t->set);
	ds_routes_free(&t->pending);
	free(t);
	cow_destroyed++;
}

static int cow_update(const struct route_table *rt, const struct rt_change *changes, size_t n,
		      struct route_table **out, size_t *n_absent)
{
	struct cow_table *next;
	int rc = cow_create(out);

	if (rc != 0)
		return rc;
	next = (struct cow_table *)*out;
	rc = serve_routeset_merge(&((const struct cow_table *)rt)->set, changes, n, &next->set,
				  n_absent);
	if (rc != 0) {
		free(next);
		return rc;
	}
	next->prev = (struct cow_table *)rt;
	return 0;
}

static void cow_retire(struct route_table *rt)
{
	struct cow_table *next = (struct cow_table *)rt;

	serve_routeset_free(&next->prev->set);
	free(next->prev);
	next->prev = NULL;
	cow_retired++;
}

static const struct route_table_ops cow_ops = {
	.name = "cow", .summary = "test double", .complexity = "", .flags = 0, .ladder = 0,
	.create = cow_create, .insert = cow_insert, .finalize = cow_finalize,
	.lookup = cow_lookup, .stats = cow_stats, .destroy = cow_destroy,
	.update = cow_update, .retire = cow_retire,
};

static uint64_t price_of(struct serve_state *s, const char *number, uint64_t *version)
{
	const struct serve_version *vs[SERVE_MAX_CARRIERS];
	size_t carrier;
	uint64_t c;

	serve_read_lock();
	serve_snapshot(s, vs);
	c = serve_lookup(vs, s->n, number, (unsigned)strlen(number), &carrier);
	*version = vs[0]->version;
	serve_read_unlock();
	return c;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Both update paths through the same steps: delta, refused delta, broken reload, reload. */
static void run_updates(const struct route_table_ops *ops, int inplace)
{
	char path[] = "/tmp/test_serve_XXXXXX";
	const char *paths[1] = { path };
	struct serve_state s;
	struct serve_update_result res;
	struct serve_line_error le;
	struct ds_error de;
	uint64_t v;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_file(path, "+1512,0.04\n+1415,0.02\n+1415234,0.03\n");
	assert_int_equal(serve_state_init(&s, ops, inplace, paths, 1, NULL, &de), 0);
	assert_int_equal(price_of(&s, "14152345678", &v), 30000);
	assert_int_equal(v, 1);
	assert_int_equal(serve_apply_delta(&s, 0, S("-1415234\n+1512,1\n-9\n"), rb_now_ms(),
					   &res, &le), 0);
	assert_int_equal(res.version, 2);
	assert_int_equal(res.applied, 3);
	assert_int_equal(res.absent, 1);
	assert_int_equal(price_of(&s, "14152345678", &v), 20000);
	assert_int_equal(price_of(&s, "15120000000", &v), 1000000);
	assert_int_equal(v, 2);
	assert_int_equal(serve_apply_delta(&s, 0, S("+1,1\n+2,x\n"), 0, &res, &le), -EINVAL);
	assert_int_equal(le.line, 2);
	assert_int_equal(price_of(&s, "10000000000", &v), RT_NO_ROUTE);
	assert_int_equal(v, 2);
	write_file(path, "+1512,0.04\n+1415,oops\n");
	assert_int_equal(serve_reload(&s, 0, 0, &res, &de), -EINVAL);
	assert_int_equal(de.line, 2);
	assert_int_equal(price_of(&s, "15120000000", &v), 1000000);
	write_file(path, "+1,0.5\n");
	assert_int_equal(serve_reload(&s, 0, 0, &res, &de), 0);
	assert_int_equal(price_of(&s, "15120000000", &v), 500000);
	assert_int_equal(v, 3);
	serve_state_free(&s);
	unlink(path);
}

static void test_inplace_updates(void **state)
{
	(void)state;
	cow_retired = cow_destroyed = 0;
	run_updates(&cow_ops, 1);
	assert_int_equal(cow_retired, 1);   /* the delta's predecessor */
	assert_int_equal(cow_destroyed, 2); /* the reload's predecessor, then the last at free */
}

static void test_rebuild_updates(void **state)
{
	(void)state;
	for (size_t i = 0; i < rt_registry_count; i++)
		run_updates(rt_registry[i], 0);
	cow_retired = 0;
	run_updates(&cow_ops, 0);
	assert_int_equal(cow_retired, 0); /* rebuild never retires: it destroys */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_parse),
		cmocka_unit_test(test_numbers_parse),
		cmocka_unit_test(test_routeset_merge),
		cmocka_unit_test(test_fuzz_entries),
		cmocka_unit_test(test_inplace_updates),
		cmocka_unit_test(test_rebuild_updates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
