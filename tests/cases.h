/*
 * cases.h - what the hand-made test suites share: a route list, a probe (a number and the cost
 * it must get), building a table from routes and checking lookups and stats, each failure
 * naming the implementation and the case. Header-only (static inline); include after cmocka.h.
 */
#ifndef ROUTEBENCH_TESTS_CASES_H
#define ROUTEBENCH_TESTS_CASES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "route_table.h"

#define NONE RT_NO_ROUTE

struct route_spec {
	const char *prefix; /* digits only, "" is the catch-all */
	uint64_t cost;	    /* micro-units */
};

struct probe {
	const char *number;
	uint64_t want;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The next number of splitmix64 (Vigna): the tests' small, seedable random source. */
static inline uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline const char *show(uint64_t cost, char *buf, size_t size)
{
	if (cost == RT_NO_ROUTE)
		snprintf(buf, size, "no route");
	else
		snprintf(buf, size, "%llu", (unsigned long long)cost);
	return buf;
}

/* Build ops' table from routes, or fail naming the implementation and the case. */
static inline struct route_table *build(const struct route_table_ops *ops, const char *what,
					const struct route_spec *routes, size_t n_routes)
{
	struct route_table *t = NULL;
	int rc = rt_create(ops, &t);

	if (rc != 0 || !t)
		fail_msg("%s: %s: create returned %d", ops->name, what, rc);
	for (size_t i = 0; i < n_routes; i++) {
		rc = rt_insert(t, routes[i].prefix, (unsigned)strlen(routes[i].prefix),
			       routes[i].cost);
		if (rc != 0)
			fail_msg("%s: %s: insert(\"%s\") returned %d", ops->name, what,
				 routes[i].prefix, rc);
	}
	rc = rt_finalize(t);
	if (rc != 0)
		fail_msg("%s: %s: finalize returned %d", ops->name, what, rc);
	return t;
}

static inline void expect_lookup(const struct route_table *t, const char *what, const char *number,
				 unsigned len, uint64_t want)
{
	uint64_t got = rt_lookup(t, number, len);
	char g[32], w[32];

	if (got != want)
		fail_msg("%s: %s: lookup(\"%.*s\") = %s, want %s", t->ops->name, what, (int)len,
			 number, show(got, g, sizeof(g)), show(want, w, sizeof(w)));
}

/* Stats must count distinct prefixes and add up their own components. */
static inline void expect_stats(const struct route_table *t, const char *what, size_t want_prefixes)
{
	struct rt_stats s;
	size_t sum = 0;

	rt_stats(t, &s);
	if (s.prefixes != want_prefixes)
		fail_msg("%s: %s: stats.prefixes = %zu, want %zu", t->ops->name, what, s.prefixes,
			 want_prefixes);
	if (s.n_components > RT_MAX_COMPONENTS)
		fail_msg("%s: %s: stats.n_components = %zu", t->ops->name, what, s.n_components);
	for (size_t i = 0; i < s.n_components; i++) {
		if (!s.comp[i].name || !*s.comp[i].name)
			fail_msg("%s: %s: stats component %zu has no name", t->ops->name, what, i);
		sum += s.comp[i].bytes;
	}
	if (sum != s.total_bytes)
		fail_msg("%s: %s: stats.total_bytes = %zu, components add up to %zu", t->ops->name,
			 what, s.total_bytes, sum);
}

#endif
