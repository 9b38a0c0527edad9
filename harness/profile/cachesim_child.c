/*
 * cachesim_child.c - the process callgrind runs: build one table uninstrumented, then, between
 * the client requests that start and stop instrumentation (a few no-op instructions natively),
 * one warm-up pass over the numbers (simulated, not collected) and one collected pass (the
 * function --toggle-collect names). Cost: the build at valgrind's plain speed, two passes at
 * callgrind's (~50-100x slower than native). A CALLGRIND_TOGGLE_COLLECT inside one function
 * did not collect as documented in 3.19; a function boundary does.
 */
#include "cachesim.h"

#include <errno.h>
#include <string.h>

#include "build.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CACHESIM_CLIENT_REQUESTS 1
#endif
#endif
#ifndef CACHESIM_CLIENT_REQUESTS
#define CACHESIM_CLIENT_REQUESTS 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

int cachesim_have_client_requests(void)
{
	return CACHESIM_CLIENT_REQUESTS;
}

/*
 * The two passes, each in a function of its own at the same stack depth, so the lookups' stack
 * frames sit on the same lines in both (the warm-up touches them first). The empty asm uses
 * the result (no tail call: the pass runs inside the function) and differs between the two
 * (no identical-code folding of one into the other). --toggle-collect names the second.
 */
__attribute__((noinline)) uint64_t cachesim_warm_pass(const struct route_table *t,
						       const struct ds_number *q, size_t n)
{
	uint64_t h = cachesim_lookup_pass(t, q, n);

	__asm__ volatile("# warm-up pass" : "+r"(h));
	return h;
}

__attribute__((noinline)) uint64_t cachesim_collected_pass(const struct route_table *t,
							    const struct ds_number *q, size_t n)
{
	uint64_t h = cachesim_lookup_pass(t, q, n);

	__asm__ volatile("# collected pass" : "+r"(h));
	return h;
}

__attribute__((noinline)) uint64_t cachesim_lookup_pass(const struct route_table *t,
							 const struct ds_number *q, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ rt_lookup(t, q[i].digits, q[i].len)) * 1099511628211ULL;
	return h;
}

int cachesim_child_run(const struct route_table_ops *ops, const char *routes_path,
		       const char *numbers_path, size_t limit, struct cachesim_child_out *out,
		       struct ds_error *err)
{
	struct ds_routes routes = { 0 };
	struct ds_numbers numbers = { 0 };
	struct route_table *t;
	struct rt_stats st;
	uint64_t warm, h;
	size_t n_routes;
	int rc;

	memset(err, 0, sizeof(*err));
	if (ds_load_routes(routes_path, 0, &routes, err) != 0) {
		ds_routes_free(&routes);
		return -EINVAL;
	}
	n_routes = routes.n;
	rc = pricing_build_table(ops, &routes, &t);
	ds_routes_free(&routes);
	if (rc != 0)
		return rc;
	if (ds_load_numbers(numbers_path, 0, &numbers, err) != 0) {
		ds_numbers_free(&numbers);
		rt_destroy(t);
		return -EINVAL;
	}
	if (limit && limit < numbers.n)
		numbers.n = limit;
	CALLGRIND_START_INSTRUMENTATION;
	warm = cachesim_warm_pass(t, numbers.v, numbers.n);
	h = cachesim_collected_pass(t, numbers.v, numbers.n);
	CALLGRIND_STOP_INSTRUMENTATION;
	rt_stats(t, &st);
	rt_destroy(t);
	out->lookups = numbers.n;
	out->answers = h;
	out->struct_bytes = st.total_bytes;
	out->n_routes = n_routes;
	ds_numbers_free(&numbers);
	return warm == h ? 0 : -EPROTO; /* a pure lookup answers the same twice */
}
