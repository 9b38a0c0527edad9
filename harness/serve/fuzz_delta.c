/*
 * fuzz_delta.c - the fuzz entry for delta bodies: parse, and if accepted merge into a fixed
 * two-route set and check the merge's invariants (sorted, unique keys, counts add up), so a
 * fuzzer also finds logic errors, not only crashes. O(size log size) per input.
 */
#include <stdlib.h>

#include "delta.h"
#include "fuzz.h"
#include "routeset.h"

int serve_fuzz_delta(const uint8_t *data, size_t size)
{
	static const struct ds_route base_routes[] = {
		{ .cost = 30000, .len = 4, .digits = "1415" },
		{ .cost = 0, .len = 0, .digits = "" },
	};
	struct ds_routes r = { .v = (struct ds_route *)base_routes, .n = 2 };
	struct serve_delta d = { 0 };
	struct serve_line_error err;
	struct serve_routeset base, next;
	size_t absent, removes = 0;

	if (serve_parse_delta((const char *)data, size, &d, &err) == 0 &&
	    serve_routeset_from(&r, &base) == 0) {
		if (serve_routeset_merge(&base, d.v, d.n, &next, &absent) == 0) {
			for (size_t i = 0; i < d.n; i++)
				removes += d.v[i].kind == RT_REMOVE;
			for (size_t i = 1; i < next.n; i++)
				if (next.v[i - 1].key >= next.v[i].key)
					abort();
			if (absent > removes || next.n > base.n + d.n)
				abort();
			serve_routeset_free(&next);
		}
		serve_routeset_free(&base);
	}
	serve_delta_free(&d);
	return 0;
}
