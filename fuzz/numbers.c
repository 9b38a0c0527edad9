/*
 * numbers.c - fuzz the number-line parser (ds_parse_numbers): any bytes either load into
 * numbers of 1 to 15 digits, or fail on one line with a well-formed error; skipping accounts
 * for every line; and the file reader over a pipe agrees exactly.
 */
#include <errno.h>

#include "lines.h"

static void check_numbers(const struct ds_numbers *n)
{
	for (size_t i = 0; i < n->n; i++) {
		FUZZ_CHECK(n->v[i].len >= 1 && n->v[i].len <= RT_MAX_DIGITS, "number %zu: %u digits",
			   i, n->v[i].len);
		for (unsigned d = 0; d < n->v[i].len; d++)
			FUZZ_CHECK(n->v[i].digits[d] >= '0' && n->v[i].digits[d] <= '9',
				   "number %zu: digit", i);
	}
}

static void same_numbers(const struct ds_numbers *a, const struct ds_numbers *b)
{
	FUZZ_CHECK(a->n == b->n && a->skipped == b->skipped, "%zu/%zu numbers, %zu/%zu skipped",
		   a->n, b->n, a->skipped, b->skipped);
	for (size_t i = 0; i < a->n; i++)
		FUZZ_CHECK(a->v[i].len == b->v[i].len &&
				   memcmp(a->v[i].digits, b->v[i].digits, a->v[i].len) == 0,
			   "number %zu differs", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ds_numbers strict = { 0 }, skip = { 0 }, file = { 0 };
	struct ds_error e1, e2, e3;
	size_t bom = fuzz_skip_bom(data, size);
	char path[32];
	int rc, rc_skip, fd;

	rc = ds_parse_numbers(text + bom, size - bom, "fuzz", 0, &strict, &e1);
	fuzz_error_ok(rc, &e1);
	FUZZ_CHECK(rc == 0 || strict.n == 0, "%zu numbers kept after a failure", strict.n);
	check_numbers(&strict);
	rc_skip = ds_parse_numbers(text + bom, size - bom, "fuzz", 1, &skip, &e2);
	FUZZ_CHECK(rc_skip == 0 || rc_skip == -ENOMEM, "skipping failed: %d", rc_skip);
	check_numbers(&skip);
	if (rc == 0 && rc_skip == 0)
		same_numbers(&strict, &skip);
	FUZZ_CHECK(rc != -EINVAL || skip.skipped > 0, "a bad line was not skipped");
	if ((fd = fuzz_pipe(data, size, path)) >= 0) {
		int rc_file = ds_load_numbers(path, 0, &file, &e3);

		close(fd);
		fuzz_same_error(rc, &e1, rc_file, &e3);
		if (rc == 0)
			same_numbers(&strict, &file);
	}
	ds_numbers_free(&strict);
	ds_numbers_free(&skip);
	ds_numbers_free(&file);
	return 0;
}
