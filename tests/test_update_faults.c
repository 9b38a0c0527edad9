/*
 * test_update_faults.c - update's -ENOMEM path, every allocation in turn: with the allocator of
 * fault_alloc.c the k-th allocation of one update call fails, for each k, and the test checks t
 * answers as before and nothing was left allocated. Not under a sanitizer (it owns the
 * allocator there): skipped.
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
#define ROUTES 3000
#define CHANGES 120
#define NUMBERS 2000

/* A key of 1 to 9 digits from 1-4, so keys nest; *len its length. */
static void random_key(uint64_t *s, char *d, uint8_t *len)
{
	*len = (uint8_t)(1 + splitmix64(s) % 9);
	for (unsigned i = 0; i < *len; i++)
		d[i] = (char)('1' + splitmix64(s) % 4);
}

/* update(t, delta) with allocation fail_at failing (-1: none); how many it made in *made. */
static int update_failing(const struct route_table *t, const struct rt_change *delta, size_t n,
			  long fail_at, struct route_table **out, size_t *absent, long *made)
{
	int rc;

	fault_start();
	fault_arm(fail_at);
	rc = rt_update(t, delta, n, out, absent);
	fault_stop();
	*made = fault_made();
	return rc;
}

static void check_every_failure(const struct route_table_ops *ops, const struct rt_change *delta,
				char (*numbers)[RT_MAX_DIGITS], const uint64_t *want)
{
	struct route_table *t = NULL, *next = NULL;
	uint64_t s = 77;
	size_t absent = 0;
	long total, made;

	assert_int_equal(rt_create(ops, &t), 0);
	for (int i = 0; i < ROUTES; i++) {
		char d[RT_MAX_DIGITS];
		uint8_t len;

		random_key(&s, d, &len);
		assert_int_equal(rt_insert(t, d, len, splitmix64(&s) % 1000), 0);
	}
	assert_int_equal(rt_finalize(t), 0);
	for (int i = 0; i < NUMBERS; i++)
		assert_true(rt_lookup(t, numbers[i], RT_MAX_DIGITS) == want[i]);
	assert_int_equal(update_failing(t, delta, CHANGES, -1, &next, &absent, &total), 0);
	rt_destroy(next); /* abandoned */
	for (long k = 0; k < total; k++) {
		struct route_table *sentinel = (struct route_table *)&s;
		int rc;

		next = sentinel;
		absent = 4242;
		rc = update_failing(t, delta, CHANGES, k, &next, &absent, &made);
		if (rc != -ENOMEM || next != sentinel || absent != 4242)
			fail_msg("%s: allocation %ld of %ld failing: update returned %d, wrote %s",
				 ops->name, k, total, rc, next != sentinel ? "*out" : "no *out");
		if (fault_live() != 0)
			fail_msg("%s: allocation %ld of %ld failing: %ld allocations left behind",
				 ops->name, k, total, fault_live());
		for (int i = 0; i < NUMBERS; i++)
			if (rt_lookup(t, numbers[i], RT_MAX_DIGITS) != want[i])
				fail_msg("%s: allocation %ld of %ld failing: t changed (number %d)",
					 ops->name, k, total, i);
	}
	print_message("%s: each of %ld allocations of one update failed in turn\n", ops->name,
		      total);
	rt_destroy(t);
}
#endif

static void test_update_enomem(void **state)
{
	(void)state;
#if !FAULT_ALLOC
	skip(); /* a sanitizer (or a libc other than glibc) owns malloc */
#else
	static struct rt_change delta[CHANGES];
	static char numbers[NUMBERS][RT_MAX_DIGITS];
	static uint64_t want[NUMBERS];
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);
	struct route_table *ref = NULL;
	uint64_t s = 77; /* the routes check_every_failure draws again from the same seed */

	/* the answers before any update, from the scan */
	assert_non_null(scan);
	assert_int_equal(rt_create(scan, &ref), 0);
	for (int i = 0; i < ROUTES; i++) {
		char d[RT_MAX_DIGITS];
		uint8_t len;

		random_key(&s, d, &len);
		assert_int_equal(rt_insert(ref, d, len, splitmix64(&s) % 1000), 0);
	}
	for (int i = 0; i < NUMBERS; i++) {
		for (unsigned j = 0; j < RT_MAX_DIGITS; j++)
			numbers[i][j] = (char)('1' + splitmix64(&s) % 4);
		want[i] = rt_lookup(ref, numbers[i], RT_MAX_DIGITS);
	}
	rt_destroy(ref);
	for (int i = 0; i < CHANGES; i++) {
		delta[i].kind = splitmix64(&s) % 2 ? RT_SET : RT_REMOVE;
		random_key(&s, delta[i].digits, &delta[i].len);
		delta[i].cost = splitmix64(&s) % 1000;
	}
	for (size_t r = 0; r < rt_registry_count; r++)
		if (rt_can_update(rt_registry[r]))
			check_every_failure(rt_registry[r], delta, numbers, want);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
