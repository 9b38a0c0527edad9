/*
 * test_alloc_faults.c - every implementation's out-of-memory paths, each allocation in turn: with
 * the allocator of fault_alloc.c the N-th allocation of a build fails, for N = 0, 1, 2, ... until
 * a build makes fewer, counted first from create through the inserts, then inside finalize.
 * After each failure the table must stay valid (route_table.h): finalize succeeds, the routes
 * accepted answer as a model of them says, and destroy frees every block. Quadratic in the
 * allocations of one build, so the route set is small but branching (1,200 routes, 240 for a
 * structure with a malloc per node, 60 for a peer). Skipped under a sanitizer.
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

#include "cases.h"
#include "fault_alloc.h"
#include "registry.h"
#include "route_table.h"

#if FAULT_ALLOC
#define FA_ROUTES 1200	   /* structures that allocate in large blocks */
#define FA_NODE_ROUTES 240 /* RT_F_NODE_HEAVY: a malloc per node, so a build per node */
#define FA_PEER_ROUTES 60  /* peers: libraries that allocate far more per route */
#define FA_EXTRA_PROBES 40 /* numbers of random length besides the two per route */
#define FA_PROBES (2 * FA_ROUTES + FA_EXTRA_PROBES)
#define FA_MAX_STEPS 40 /* changes of one probe's answer along the inserts */

struct fa_key {
	char d[RT_MAX_DIGITS];
	unsigned len;
};

/*
 * The model. A probe's answer changes along the inserts only when a route that is a prefix
 * of it comes that is longer than its best so far, or as long and cheaper: step[j] is the
 * j-th such route and its cost. Given routes[0..k), the answer is the last step before k.
 */
struct fa_probe {
	struct fa_key key;
	size_t from; /* the route it was made from, FA_ROUTES for none */
	unsigned n_steps;
	struct {
		size_t route;
		uint64_t cost;
	} step[FA_MAX_STEPS];
};

/* The routes in insertion order, the probes, distinct[k]: distinct prefixes in routes[0..k). */
static struct {
	struct fa_key route[FA_ROUTES];
	uint64_t cost[FA_ROUTES];
	struct fa_probe probe[FA_PROBES];
	size_t n_probes;
	size_t distinct[FA_ROUTES + 1];
} fa;

static int fa_is_prefix(const struct fa_key *p, const struct fa_key *n)
{
	return p->len <= n->len && memcmp(p->d, n->d, p->len) == 0;
}

static int fa_same(const struct fa_key *a, const struct fa_key *b)
{
	return a->len == b->len && memcmp(a->d, b->d, a->len) == 0;
}

/*
 * Route i: the catch-all at 0, 30 and 120; every 8th from 3 on a duplicate of an earlier
 * route at a new cost; every 16th from 5 on an earlier route extended to 15 digits; every 7th
 * from 6 on 4444 and 1 to 4 digits (one dense subtree: sub-tables, deep nodes); the rest 1 to
 * 8 digits from 1-4, so they nest. Costs repeat (~500 of them), one is the largest allowed.
 */
static void fa_make_route(uint64_t *s, size_t i)
{
	struct fa_key *k = &fa.route[i];
	unsigned n;

	k->len = 0;
	if (i > 8 && i % 8 == 3) {
		*k = fa.route[splitmix64(s) % i];
	} else if (i > 5 && i % 16 == 5) {
		*k = fa.route[splitmix64(s) % i];
		while (k->len < RT_MAX_DIGITS)
			k->d[k->len++] = (char)('0' + splitmix64(s) % 10);
	} else if (i % 7 == 6) {
		memcpy(k->d, "4444", 4);
		for (n = 4 + (unsigned)(1 + splitmix64(s) % 4); k->len < n; k->len++)
			k->d[k->len] = k->len < 4 ? '4' : (char)('0' + splitmix64(s) % 10);
	} else if (i != 0 && i != 30 && i != 120) {
		k->len = (unsigned)(1 + splitmix64(s) % 8);
		for (unsigned j = 0; j < k->len; j++)
			k->d[j] = (char)('1' + splitmix64(s) % 4);
	}
	fa.cost[i] = i == 7 ? RT_COST_MAX : splitmix64(s) % 500;
}

/* A number of len digits (1..15): route i's digits (or none), the rest from 0-5; its steps. */
static void fa_make_probe(uint64_t *s, size_t i, unsigned len)
{
	static const struct fa_key none = {{0}, 0};
	struct fa_probe *p = &fa.probe[fa.n_probes++];
	unsigned best = 0;

	p->from = i;
	p->key = i < FA_ROUTES ? fa.route[i] : none;
	if (p->key.len > len)
		p->key.len = len;
	while (p->key.len < len)
		p->key.d[p->key.len++] = (char)('0' + splitmix64(s) % 6);
	p->n_steps = 0;
	for (size_t r = 0; r < FA_ROUTES; r++) {
		unsigned l = fa.route[r].len;

		if (!fa_is_prefix(&fa.route[r], &p->key) ||
		    (p->n_steps &&
		     (l < best || (l == best && fa.cost[r] >= p->step[p->n_steps - 1].cost))))
			continue;
		assert_true(p->n_steps < FA_MAX_STEPS);
		p->step[p->n_steps].route = r;
		p->step[p->n_steps++].cost = fa.cost[r];
		best = l;
	}
}

/* What probe p costs given routes[0..k). */
static uint64_t fa_want(const struct fa_probe *p, size_t k)
{
	uint64_t w = RT_NO_ROUTE;

	for (unsigned j = 0; j < p->n_steps && p->step[j].route < k; j++)
		w = p->step[j].cost;
	return w;
}

/* The routes, the probes and their steps, and the distinct prefixes of each prefix of routes. */
static void fa_make_set(void)
{
	uint64_t s = 1313;

	for (size_t i = 0; i < FA_ROUTES; i++)
		fa_make_route(&s, i);
	fa.n_probes = 0;
	for (size_t i = 0; i < FA_ROUTES; i++) {
		if (fa.route[i].len)
			fa_make_probe(&s, i, fa.route[i].len);
		fa_make_probe(&s, i, RT_MAX_DIGITS);
	}
	while (fa.n_probes < FA_PROBES)
		fa_make_probe(&s, FA_ROUTES, (unsigned)(1 + splitmix64(&s) % RT_MAX_DIGITS));
	for (size_t k = 0; k < FA_ROUTES; k++) {
		int seen = 0;

		for (size_t j = 0; j < k && !seen; j++)
			seen = fa_same(&fa.route[j], &fa.route[k]);
		fa.distinct[k + 1] = fa.distinct[k] + !seen;
	}
}

static size_t fa_n_routes(const struct route_table_ops *ops)
{
	if (ops->flags & RT_F_PEER)
		return FA_PEER_ROUTES;
	return ops->flags & RT_F_NODE_HEAVY ? FA_NODE_ROUTES : FA_ROUTES;
}

/*
 * The probes made from routes[0..n) and the random ones answer as routes[0..k) say (k <= n);
 * stats count their distinct prefixes. what starts with "name: ", which cases.h adds itself.
 */
static void fa_expect(const struct route_table *t, const char *what, size_t k, size_t n)
{
	const char *case_name = what + strlen(t->ops->name) + 2;

	for (size_t i = 0; i < fa.n_probes; i++) {
		const struct fa_probe *p = &fa.probe[i];

		if (p->from < n || p->from == FA_ROUTES)
			expect_lookup(t, case_name, p->key.d, p->key.len, fa_want(p, k));
	}
	expect_stats(t, case_name, fa.distinct[k]);
}

/* Insert routes[from..to); the index of the first that failed (rc in *rc), or to. */
static size_t fa_insert(struct route_table *t, size_t from, size_t to, int *rc)
{
	*rc = 0;
	for (size_t i = from; i < to; i++)
		if ((*rc = rt_insert(t, fa.route[i].d, fa.route[i].len, fa.cost[i])) != 0)
			return i;
	return to;
}

/* Destroy t, stop counting, and fail if any block is left. */
static void fa_destroy(struct route_table *t, const char *what)
{
	rt_destroy(t);
	fault_stop();
	if (fault_live() != 0)
		fail_msg("%s: %ld blocks left after destroy", what, fault_live());
}

/*
 * One build with its fail_at-th allocation from create failing. When an insert fails, mode 0
 * finalizes at once (the routes before it must answer), mode 1 inserts the rest first, the
 * failed one again (all must). 1 if the failing allocation was reached, 0 if the build made
 * fewer.
 */
static int fa_insert_once(const struct route_table_ops *ops, long fail_at, int mode)
{
	struct route_table *sentinel = (struct route_table *)&fa, *t = sentinel;
	size_t n = fa_n_routes(ops), k;
	char what[128];
	int rc, hit;

	snprintf(what, sizeof(what), "%s: allocation %ld from create failing", ops->name, fail_at);
	fault_start();
	fault_arm(fail_at);
	rc = ops->create(&t); /* not rt_create, which guards *out itself */
	if (rc != 0) {
		hit = fault_hit();
		fault_stop();
		if (rc != -ENOMEM || !hit || t != sentinel)
			fail_msg("%s: create returned %d%s", what, rc,
				 t != sentinel ? " and wrote *out" : "");
		if (fault_live() != 0)
			fail_msg("%s: create failed, %ld blocks left", what, fault_live());
		return 1;
	}
	k = fa_insert(t, 0, n, &rc);
	hit = fault_hit();
	fault_disarm();
	if (rc != 0 && (rc != -ENOMEM || !hit))
		fail_msg("%s: insert %zu returned %d", what, k, rc);
	if (rc != 0 && mode == 1) {
		size_t j = fa_insert(t, k, n, &rc);

		if (rc != 0)
			fail_msg("%s: insert %zu after insert %zu failed returned %d", what, j, k,
				 rc);
		k = n;
	}
	snprintf(what + strlen(what), sizeof(what) - strlen(what), ", %zu routes in", k);
	if ((rc = rt_finalize(t)) != 0)
		fail_msg("%s: finalize returned %d", what, rc);
	fa_expect(t, what, k, n);
	fa_destroy(t, what);
	return hit;
}

/* A table of all fa_n_routes(ops) routes, not finalized, or fail naming what. */
static struct route_table *fa_build(const struct route_table_ops *ops, const char *what)
{
	struct route_table *t = NULL;
	size_t k;
	int rc = rt_create(ops, &t);

	if (rc != 0)
		fail_msg("%s: create returned %d", what, rc);
	k = fa_insert(t, 0, fa_n_routes(ops), &rc);
	if (rc != 0)
		fail_msg("%s: insert %zu returned %d", what, k, rc);
	return t;
}

/*
 * One build, then finalize with its fail_at-th allocation failing (*made: how many finalize
 * asked for). After a failure, mode 0 destroys the table at once; mode 1 finalizes again with
 * memory to spare, and every route must answer. 1 if the failing allocation was reached.
 */
static int fa_finalize_once(const struct route_table_ops *ops, long fail_at, int mode, long *made)
{
	size_t n = fa_n_routes(ops);
	struct route_table *t;
	char what[128];
	long before;
	int rc, hit;

	snprintf(what, sizeof(what), "%s: allocation %ld of finalize failing", ops->name, fail_at);
	fault_start();
	t = fa_build(ops, what);
	before = fault_made();
	fault_arm(fail_at);
	rc = rt_finalize(t);
	hit = fault_hit();
	fault_disarm();
	*made = fault_made() - before;
	if (rc != 0 && (rc != -ENOMEM || !hit))
		fail_msg("%s: finalize returned %d", what, rc);
	if (rc != 0 && mode == 0) {
		fa_destroy(t, what);
		return hit;
	}
	if (rc != 0 && (rc = rt_finalize(t)) != 0)
		fail_msg("%s: finalize after a failed one returned %d", what, rc);
	fa_expect(t, what, n, n);
	fa_destroy(t, what);
	return hit;
}

/*
 * One build with nothing failing, twice: the first (not counted) lets a library make its
 * one-time global state; the second must free every block it made.
 */
static void fa_warm_up(const struct route_table_ops *ops)
{
	size_t n = fa_n_routes(ops);
	char what[64];

	snprintf(what, sizeof(what), "%s: no allocation failing", ops->name);
	for (int counted = 0; counted < 2; counted++) {
		struct route_table *t;
		int rc;

		if (counted)
			fault_start();
		t = fa_build(ops, what);
		if ((rc = rt_finalize(t)) != 0)
			fail_msg("%s: finalize returned %d", what, rc);
		fa_expect(t, what, n, n);
		if (counted)
			fa_destroy(t, what);
		else
			rt_destroy(t);
	}
}

#endif

/* One test: an implementation, and the phase whose allocations fail. */
struct fa_case {
	const struct route_table_ops *ops;
	int finalize; /* 0: from create through the inserts; 1: inside finalize */
};

#if FAULT_ALLOC
/* The case's phase with allocation n failing, in mode; 1 if it was reached. */
static int fa_once(const struct fa_case *c, long n, int mode, long *made)
{
	return c->finalize ? fa_finalize_once(c->ops, n, mode, made)
			   : fa_insert_once(c->ops, n, mode);
}
#endif

/* Fail each allocation of the case's phase in turn, each with both follow-ups (modes). */
static void test_faults(void **state)
{
#if !FAULT_ALLOC
	(void)state;
	skip(); /* a sanitizer (or a libc other than glibc) owns malloc */
#else
	const struct fa_case *c = *state;
	long n, made = 0;

	fa_warm_up(c->ops);
	for (n = 0; fa_once(c, n, 0, &made); n++)
		fa_once(c, n, 1, &made);
	if (c->finalize)
		print_message("%s: each of %ld allocations of finalize failed\n", c->ops->name,
			      made);
	else
		print_message(
			"%s: each of %ld allocations from create through %zu inserts failed\n",
			c->ops->name, n, fa_n_routes(c->ops));
#endif
}

/* A failed assertion jumps out of a test with counting on: stop it for the next test. */
static int fa_teardown(void **state)
{
	(void)state;
#if FAULT_ALLOC
	fault_stop();
#endif
	return 0;
}

#define FA_MAX_TESTS 64

/*
 * Two tests per registered implementation, named after it (insert_judy, finalize_judy), so a
 * failure names its test; FA_FILTER=<glob> runs only the tests it matches.
 */
int main(void)
{
	static struct fa_case cases[FA_MAX_TESTS];
	static struct CMUnitTest tests[FA_MAX_TESTS];
	static char names[FA_MAX_TESTS][48];
	size_t n = 0;

#if FAULT_ALLOC
	fa_make_set();
#endif
	for (size_t r = 0; r < rt_registry_count && n + 2 <= FA_MAX_TESTS; r++) {
		for (int phase = 0; phase < 2; phase++, n++) {
			snprintf(names[n], sizeof(names[n]), "%s_%s", phase ? "finalize" : "insert",
				 rt_registry[r]->name);
			cases[n] = (struct fa_case){rt_registry[r], phase};
			tests[n] = (struct CMUnitTest){
				.name = names[n],
				.test_func = test_faults,
				.teardown_func = fa_teardown,
				.initial_state = &cases[n],
			};
		}
	}
	if (getenv("FA_FILTER"))
		cmocka_set_test_filter(getenv("FA_FILTER"));
	return _cmocka_run_group_tests("test_alloc_faults", tests, n, NULL, NULL);
}
