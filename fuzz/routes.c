/*
 * routes.c - fuzz the route-line parser (ds_parse_routes): any bytes either load into routes
 * that are valid keys with costs a lookup can return, or fail on one line with a well-formed
 * error; skipping accounts for every line; and the file reader over a pipe agrees exactly.
 */
#include <errno.h>

#include "lines.h"

/* Every route is a key the tables accept, and its cost prints and parses back to itself. */
static void check_routes(const struct ds_routes *r)
{
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

static void same_routes(const struct ds_routes *a, const struct ds_routes *b)
{
	FUZZ_CHECK(a->n == b->n && a->skipped == b->skipped, "%zu/%zu routes, %zu/%zu skipped",
		   a->n, b->n, a->skipped, b->skipped);
	for (size_t i = 0; i < a->n; i++)
		FUZZ_CHECK(a->v[i].len == b->v[i].len && a->v[i].cost == b->v[i].cost &&
				   memcmp(a->v[i].digits, b->v[i].digits, a->v[i].len) == 0,
			   "route %zu differs", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ds_routes strict = { 0 }, skip = { 0 }, file = { 0 };
	struct ds_error e1, e2, e3;
	size_t bom = fuzz_skip_bom(data, size);
	char path[32];
	int rc, rc_skip, fd;

	rc = ds_parse_routes(text + bom, size - bom, "fuzz", 0, &strict, &e1);
	fuzz_error_ok(rc, &e1);
	FUZZ_CHECK(rc == 0 || strict.n == 0, "%zu routes kept after a failure", strict.n);
	check_routes(&strict);
	rc_skip = ds_parse_routes(text + bom, size - bom, "fuzz", 1, &skip, &e2);
	FUZZ_CHECK(rc_skip == 0 || rc_skip == -ENOMEM, "skipping failed: %d", rc_skip);
	check_routes(&skip);
	if (rc == 0 && rc_skip == 0)
		same_routes(&strict, &skip); /* no bad line: skipping changes nothing */
	FUZZ_CHECK(rc != -EINVAL || skip.skipped > 0, "a bad line was not skipped");
	if ((fd = fuzz_pipe(data, size, path)) >= 0) {
		int rc_file = ds_load_routes(path, 0, &file, &e3);

		close(fd);
		fuzz_same_error(rc, &e1, rc_file, &e3);
		if (rc == 0)
			same_routes(&strict, &file);
	}
	ds_routes_free(&strict);
	ds_routes_free(&skip);
	ds_routes_free(&file);
	return 0;
}
