/*
 * fuzz_request.c - the fuzz entry for numbers: the same bytes as a query value and as a
 * POST /price body, checking that an accepted number is 1 to 15 digits. O(size) per input.
 */
#include <stdlib.h>

#include "delta.h"
#include "fuzz.h"

int serve_fuzz_request(const uint8_t *data, size_t size)
{
	struct ds_number num;
	struct ds_numbers nums = { 0 };
	struct serve_line_error err;
	const char *why;

	if (serve_parse_query_number((const char *)data, size, &num, &why) == 0 &&
	    (num.len < 1 || num.len > RT_MAX_DIGITS))
		abort();
	if (serve_parse_numbers((const char *)data, size, &nums, &err) == 0)
		for (size_t i = 0; i < nums.n; i++)
			if (nums.v[i].len < 1 || nums.v[i].len > RT_MAX_DIGITS)
				abort();
	ds_numbers_free(&nums);
	return 0;
}
