/*
 * differential.c - every registered implementation against the scan baseline (RT_F_SCAN):
 * the input's valid route lines build one table per implementation, and every number (the
 * input's valid number lines, and each route's prefix cut and extended) must get the scan's
 * answer from each. Routes are capped, and the peers (RT_F_PEER: another project's library,
 * one of them a whole SQL engine: ~5 ms an input here) join on one input in DIFF_PEER_EVERY, by
 * a hash of the input, so the run stays fast and a failing input still fails every time.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "load.h"
#include "registry.h"

#define DIFF_MAX_ROUTES 256
#define DIFF_MAX_NUMBERS 2048
#define DIFF_PEER_EVERY 16

/* FNV-1a of the input: which inputs the peers join. */
static uint64_t diff_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h;
}

/* The numbers to ask: the input's own, then each route's digits cut short and extended. */
static size_t diff_numbers(const struct ds_routes *r, const struct ds_numbers *given,
			   struct ds_number *out)
{
	static const char tail[] = "0918273645546372819";
	size_t n = 0;

	for (size_t i = 0; i < given->n && n < DIFF_MAX_NUMBERS; i++)
		out[n++] = given->v[i];
	for (size_t i = 0; i < r->n && n + 3 <= DIFF_MAX_NUMBERS; i++) {
		const struct ds_route *x = &r->v[i];
		unsigned len = x->len;

		for (unsigned v = 0; v < 3; v++) {
			unsigned want = v == 0 ? len : v == 1 ? len + 1 + (unsigned)(i % 5) : len - 1;

			if (want < 1 || want > RT_MAX_DIGITS)
				continue;
			memcpy(out[n].digits, x->digits, len < want ? len : want);
			if (want > len)
				memcpy(out[n].digits + len, tail + i % 4, want - len);
			out[n++].len = (uint8_t)want;
		}
	}
	return n;
}

/* A table of ops over r, or NULL when the implementation ran out of memory. */
static struct route_table *diff_build(const struct route_table_ops *ops, const struct ds_routes *r)
{
	struct route_table *t;
	int rc = rt_create(ops, &t);

	if (rc == -ENOMEM)
		return NULL;
	FUZZ_CHECK(rc == 0, "%s: create: %d", ops->name, rc);
	for (size_t i = 0; i < r->n; i++) {
		rc = rt_insert(t, r->v[i].digits, r->v[i].len, r->v[i].cost);
		FUZZ_CHECK(rc == 0 || rc == -ENOMEM, "%s: insert %zu: %d", ops->name, i, rc);
	}
	rc = rt_finalize(t);
	if (rc == -ENOMEM) {
		rt_destroy(t);
		return NULL;
	}
	FUZZ_CHECK(rc == 0, "%s: finalize: %d", ops->name, rc);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ds_number numbers[DIFF_MAX_NUMBERS];
	static uint64_t want[DIFF_MAX_NUMBERS];
	const struct route_table_ops *scan = rt_find_flag(RT_F_SCAN);
	struct ds_routes r = { 0 };
	struct ds_numbers given = { 0 };
	struct route_table *base;
	struct ds_error err;
	int peers = diff_hash(data, size) % DIFF_PEER_EVERY == 0;
	size_t n;

	FUZZ_CHECK(scan != NULL, "no RT_F_SCAN implementation registered");
	if (ds_parse_routes((const char *)data, size, "fuzz", 1, &r, &err) != 0 ||
	    ds_parse_numbers((const char *)data, size, "fuzz", 1, &given, &err) != 0)
		goto out;
	if (r.n > DIFF_MAX_ROUTES)
		r.n = DIFF_MAX_ROUTES;
	n = diff_numbers(&r, &given, numbers);
	if (!(base = diff_build(scan, &r)))
		goto out;
	for (size_t i = 0; i < n; i++)
		want[i] = rt_lookup(base, numbers[i].digits, numbers[i].len);
	rt_destroy(base);
	for (size_t k = 0; k < rt_registry_count; k++) {
		const struct route_table_ops *ops = rt_registry[k];
		struct route_table *t;

		if (ops == scan || ((ops->flags & RT_F_PEER) && !peers) || !(t = diff_build(ops, &r)))
			continue;
		for (size_t i = 0; i < n; i++) {
			uint64_t got = rt_lookup(t, numbers[i].digits, numbers[i].len);

			FUZZ_CHECK(got == want[i], "%s: +%.*s costs %llu, the scan says %llu",
				   ops->name, numbers[i].len, numbers[i].digits,
				   (unsigned long long)got, (unsigned long long)want[i]);
		}
		rt_destroy(t);
	}
out:
	ds_routes_free(&r);
	ds_numbers_free(&given);
	return 0;
}
