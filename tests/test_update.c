/*
 * test_update.c - the copy-on-write update (route_table_ops.update and .retire) of every
 * registered implementation that has it, against hand-made deltas: set replaces both ways,
 * removals (leaf, inner, absent), the catch-all, 15-digit keys, order within a delta, the old
 * version answering until retire, -EINVAL leaving t whole, and the lineage rules.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "registry.h"
#include "route_table.h"

#include "cases.h"

static struct rt_change change(enum rt_change_kind kind, const char *prefix, uint64_t cost)
{
	struct rt_change c = {.kind = kind, .len = (uint8_t)strlen(prefix), .cost = cost};

	memcpy(c.digits, prefix, c.len);
	return c;
}

#define SET(p, c) change(RT_SET, p, c)
#define DEL(p) change(RT_REMOVE, p, 0)

/* update(t, changes) that must succeed with want_absent absent removals. */
static struct route_table *update_ok(const struct route_table *t, const char *what,
				     const struct rt_change *changes, size_t n, size_t want_absent)
{
	struct route_table *next = NULL;
	size_t absent = 12345;
	int rc = rt_update(t, changes, n, &next, &absent);

	if (rc != 0 || !next)
		fail_msg("%s: %s: update returned %d", t->ops->name, what, rc);
	if (absent != want_absent)
		fail_msg("%s: %s: update counted %zu absent removals, want %zu", t->ops->name, what,
			 absent, want_absent);
	if (next == t)
		fail_msg("%s: %s: update returned the old version itself", t->ops->name, what);
	return next;
}

static void expect_probes(const struct route_table *t, const char *what, const struct probe *p,
			  size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_lookup(t, what, p[i].number, (unsigned)strlen(p[i].number), p[i].want);
}

static void test_update_unsupported(void **state)
{
	static const struct rt_change c[] = {{RT_SET, 1, "1", 1}};

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t, *next = NULL;
		size_t absent = 7;

		if (rt_can_update(rt_registry[r]))
			continue;
		if (rt_registry[r]->update || rt_registry[r]->retire)
			fail_msg("%s: update and retire come both or neither",
				 rt_registry[r]->name);
		t = build(rt_registry[r], "no update", NULL, 0);
		if (rt_update(t, c, 1, &next, &absent) != -ENOTSUP || next || absent != 7)
			fail_msg("%s: rt_update without update ops: want -ENOTSUP, nothing written",
				 t->ops->name);
		rt_destroy(t);
	}
}

/* Set replaces both ways, removes, absent removals counted, in order; the old version stays. */
static void test_update_set_remove(void **state)
{
	static const struct route_spec routes[] = {
		{"", 5}, {"44", 7}, {"441", 3}, {"123456789012345", 11}, {"9", 100}, {"95", 1},
		{"12345", 50},
	};
	const struct rt_change delta[] = {
		SET("44", 9),                  /* higher than before: replaced, not min */
		SET("441", 1),                 /* lower */
		SET("123456789012345", 12),    /* a 15-digit key */
		SET("999999999999999", 13),    /* a new 15-digit key under an existing "9" */
		SET("", 6),                    /* the catch-all */
		DEL("95"),                     /* a leaf: its node goes */
		DEL("9"),                      /* an inner route: the node stays for 99... */
		DEL("8"), DEL("4"), DEL("4415"), /* absent: no node, a node without route, deeper */
		SET("77", 1), DEL("77"),       /* set then removed in the same delta */
		DEL("12345"), SET("12345", 2), /* removed then set again */
		SET("0", 0), SET("0", 4),      /* set twice: the last one wins */
	};
	static const struct probe old_answers[] = {
		{"1", 5}, {"44", 7}, {"4419", 3}, {"123456789012345", 11}, {"999999999999999", 100},
		{"95", 1}, {"9", 100}, {"77", 5}, {"123456", 50}, {"0", 5},
	};
	static const struct probe new_answers[] = {
		{"1", 6}, {"44", 9}, {"4419", 1}, {"123456789012345", 12}, {"999999999999999", 13},
		{"99999999999999", 6}, {"95", 6}, {"9", 6}, {"77", 6}, {"123456", 2}, {"0", 4},
		{"4", 6}, {"4415", 1},
	};
	const char *what = "update: set and remove";

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t, *next;

		if (!rt_can_update(rt_registry[r]))
			continue;
		t = build(rt_registry[r], what, routes, N(routes));
		next = update_ok(t, what, delta, N(delta), 3);
		expect_probes(next, what, new_answers, N(new_answers));
		expect_stats(next, what, 7); /* "", 44, 441, two 15-digit, 12345, 0 */
		/* until retire, the old version answers as it did, and says what it held */
		expect_probes(t, "update: old version", old_answers, N(old_answers));
		expect_stats(t, "update: old version", N(routes));
		rt_retire(next);
		expect_probes(next, "update: after retire", new_answers, N(new_answers));
		rt_retire(next); /* a retired version: a no-op */
		expect_stats(next, "update: after retire", 7);
		rt_destroy(next);
	}
}

/* The catch-all alone, removed and set again; an empty table grows from nothing. */
static void test_update_catch_all(void **state)
{
	static const struct route_spec routes[] = {{"", 5}};
	const struct rt_change del[] = {DEL(""), DEL("")};
	const struct rt_change set[] = {SET("", 8), SET("3", 1)};
	static const struct probe none[] = {{"1", NONE}, {"999999999999999", NONE}};
	static const struct probe some[] = {{"1", 8}, {"3", 1}, {"39", 1}};
	const char *what = "update: catch-all";

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t, *v2, *v3;

		if (!rt_can_update(rt_registry[r]))
			continue;
		t = build(rt_registry[r], what, routes, N(routes));
		v2 = update_ok(t, what, del, N(del), 1);
		expect_probes(v2, what, none, N(none));
		expect_stats(v2, what, 0);
		rt_retire(v2);
		v3 = update_ok(v2, what, set, N(set), 0);
		expect_probes(v3, what, some, N(some));
		expect_probes(v2, what, none, N(none));
		rt_retire(v3);
		expect_stats(v3, what, 2);
		rt_destroy(v3);
	}
}

/* A bad change anywhere refuses the whole delta: -EINVAL, nothing written, t unchanged. */
static void test_update_invalid(void **state)
{
	static const struct route_spec routes[] = {{"12", 3}, {"", 1}};
	struct rt_change bad[5];
	static const struct probe answers[] = {{"123", 3}, {"5", 1}};

	(void)state;
	bad[0] = SET("1234567890123456", 1);
	bad[0].len = RT_MAX_DIGITS + 1;
	bad[1] = SET("1a", 1);
	bad[2] = SET("12", RT_NO_ROUTE);
	bad[3] = DEL("12");
	bad[3].kind = (enum rt_change_kind)7;
	bad[4] = DEL("1+");
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t;

		if (!rt_can_update(rt_registry[r]))
			continue;
		t = build(rt_registry[r], "update: invalid", routes, N(routes));
		for (size_t i = 0; i < N(bad); i++) {
			struct rt_change delta[] = {SET("5", 9), DEL("12"), bad[i], SET("7", 2)};
			struct route_table *next = NULL;
			size_t absent = 99;
			int rc = rt_update(t, delta, N(delta), &next, &absent);

			if (rc != -EINVAL || next || absent != 99)
				fail_msg("%s: update with bad change %zu returned %d, want -EINVAL "
					 "and nothing written", t->ops->name, i, rc);
			expect_probes(t, "update: invalid", answers, N(answers));
			expect_stats(t, "update: invalid", 2);
		}
		rt_destroy(t);
	}
}

/*
 * Successive versions v1 -> v2 -> v3 -> v4, retired in order; an abandoned version (destroyed
 * before retire, never published) costs the one it came from nothing; update on a version
 * whose own retire is still pending; an empty delta. ASan's leak check sees every path.
 */
static void test_update_lineage(void **state)
{
	static const struct route_spec routes[] = {{"1", 1}, {"12", 2}, {"123", 3}};
	const struct rt_change d2[] = {SET("12", 20), SET("1234", 4)};
	const struct rt_change d3[] = {DEL("123"), DEL("1234")};
	const struct rt_change junk[] = {SET("1", 99), DEL("12"), SET("5", 5), SET("12345", 5)};
	static const struct probe a1[] = {{"12345", 3}, {"125", 2}, {"5", NONE}};
	static const struct probe a2[] = {{"12345", 4}, {"1235", 3}, {"125", 20}, {"5", NONE}};
	static const struct probe a3[] = {{"12345", 20}, {"1235", 20}, {"19", 1}, {"5", NONE}};
	const char *what = "update: lineage";

	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *v1, *v2, *v3, *v4, *gone;

		if (!rt_can_update(rt_registry[r]))
			continue;
		v1 = build(rt_registry[r], what, routes, N(routes));
		gone = update_ok(v1, what, junk, N(junk), 0);
		rt_destroy(gone); /* abandoned: v1 is whole */
		expect_probes(v1, what, a1, N(a1));
		v2 = update_ok(v1, what, d2, N(d2), 0);
		v3 = update_ok(v2, what, d3, N(d3), 0); /* before retire(v2) */
		gone = update_ok(v3, what, junk, N(junk), 0);
		rt_destroy(gone);
		expect_probes(v1, what, a1, N(a1));
		expect_probes(v2, what, a2, N(a2));
		expect_probes(v3, what, a3, N(a3));
		rt_retire(v2);
		expect_probes(v2, what, a2, N(a2));
		rt_retire(v3);
		v4 = update_ok(v3, what, NULL, 0, 0); /* an empty delta */
		expect_probes(v4, what, a3, N(a3));
		expect_stats(v4, what, 2);
		rt_retire(v4);
		expect_probes(v4, what, a3, N(a3));
		rt_destroy(v4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_unsupported),
		cmocka_unit_test(test_update_set_remove),
		cmocka_unit_test(test_update_catch_all),
		cmocka_unit_test(test_update_invalid),
		cmocka_unit_test(test_update_lineage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
