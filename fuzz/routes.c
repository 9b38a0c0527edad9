/*
 * routes.c - fuzz the route-line parser (ds_parse_routes): any bytes either load into routes
 * that are valid keys with costs a lookup can return, or fail on one line with a well-formed
 * error; skipping accounts for every line; and the file reader over a pipe agrees exactly.
 */
#include <errno.h>

#include "lines.h"

/* Every route is a key the tables accept, and its cost prints and parses back to itself. */
static void check_routes(const void *set)
{
	const struct ds_routes *r = set;

	for (size_t i = 0; i < r->n; i++) {
		const struct ds_route *x = &r->v[i];
		char text[32];
		const char *why;
		uint64_t back;
		size_t n;

		FUZZ_CHECK(x->len <= RT_MAX_DIGITS, "route %zu: %u digits", i, x->len);
		for (unsigned d = 0; d < x->len; d++)
			FUZZ_CHECK(x->digits[d] >= '0' && x->digits[d] <= '9', "route %zu: digit", i);
		FUZZ_CHECK(x->cost <= RT_COST_MAX, "route %zu: cost %llu", i,
			   (unsigned long long)x->cost);
		n = ds_format_cost(x->cost, text);
		FUZZ_CHECK(ds_parse_cost(text, n, &back, &why) == 0 && back == x->cost,
			   "cost %s does not parse back", text);
	}
}

static int same_route(const void *a, const void *b, size_t i)
{
	const struct ds_route *x = &((const struct ds_routes *)a)->v[i];
	const struct ds_route *y = &((const struct ds_routes *)b)->v[i];

	return x->len == y->len && x->cost == y->cost && memcmp(x->digits, y->digits, x->len) == 0;
}

static int parse(const char *buf, size_t len, int skip_invalid, void *set, struct ds_error *e)
{
	return ds_parse_routes(buf, len, "fuzz", skip_invalid, set, e);
}

static int load(const char *path, void *set, struct ds_error *e)
{
	return ds_load_routes(path, 0, set, e);
}

static size_t count(const void *set, size_t *skipped)
{
	const struct ds_routes *r = set;

	*skipped = r->skipped;
	return r->n;
}

static void release(void *set)
{
	ds_routes_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_lines routes = {
		"routes", parse, load, count, check_routes, same_route, release,
	};
	struct ds_routes strict = { 0 }, skip = { 0 }, file = { 0 };

	return fuzz_lines(&routes, (void *const[3]){ &strict, &skip, &file }, data, size);
}
