/*
 * numbers.c - fuzz the number-line parser (ds_parse_numbers): any bytes either load into
 * numbers of 1 to 15 digits, or fail on one line with a well-formed error; skipping accounts
 * for every line; and the file reader over a pipe agrees exactly.
 */
#include <errno.h>

#include "lines.h"

static void check_numbers(const void *set)
{
	const struct ds_numbers *n = set;

	for (size_t i = 0; i < n->n; i++) {
		FUZZ_CHECK(n->v[i].len >= 1 && n->v[i].len <= RT_MAX_DIGITS, "number %zu: %u digits",
			   i, n->v[i].len);
		for (unsigned d = 0; d < n->v[i].len; d++)
			FUZZ_CHECK(n->v[i].digits[d] >= '0' && n->v[i].digits[d] <= '9',
				   "number %zu: digit", i);
	}
}

static int same_number(const void *a, const void *b, size_t i)
{
	const struct ds_number *x = &((const struct ds_numbers *)a)->v[i];
	const struct ds_number *y = &((const struct ds_numbers *)b)->v[i];

	return x->len == y->len && memcmp(x->digits, y->digits, x->len) == 0;
}

static int parse(const char *buf, size_t len, int skip_invalid, void *set, struct ds_error *e)
{
	return ds_parse_numbers(buf, len, "fuzz", skip_invalid, set, e);
}

static int load(const char *path, void *set, struct ds_error *e)
{
	return ds_load_numbers(path, 0, set, e);
}

static size_t count(const void *set, size_t *skipped)
{
	const struct ds_numbers *n = set;

	*skipped = n->skipped;
	return n->n;
}

static void release(void *set)
{
	ds_numbers_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_lines numbers = {
		"numbers", parse, load, count, check_numbers, same_number, release,
	};
	struct ds_numbers strict = { 0 }, skip = { 0 }, file = { 0 };

	return fuzz_lines(&numbers, (void *const[3]){ &strict, &skip, &file }, data, size);
}
