/*
 * cell_row.c - fuzz the cells.csv row reader (bench_cell_parse), the parent's trust boundary
 * with its child and the report's with any run folder: any bytes are rejected or read into
 * a cell whose row, written and read again, comes back the same (the writer's output is a
 * fixed point of read-then-write).
 */
#include <errno.h>
#include <string.h>

#include "cell.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[BENCH_ROW_MAX + 1], row[BENCH_ROW_MAX], again[BENCH_ROW_MAX];
	static struct bench_cell c, back;
	size_t n, m;
	int rc;

	if (size > BENCH_ROW_MAX)
		size = BENCH_ROW_MAX; /* the parser takes a C string; longer ones are rejected */
	memcpy(line, data, size);
	line[size] = '\0';
	rc = bench_cell_parse(line, &c);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "rc %d", rc);
	if (rc != 0)
		return 0;
	n = bench_cell_format(&c, row, sizeof(row));
	FUZZ_CHECK(n > 0 && n < sizeof(row), "row of %zu bytes", n);
	FUZZ_CHECK(bench_cell_parse(row, &back) == 0, "own row rejected: %s", row);
	m = bench_cell_format(&back, again, sizeof(again));
	FUZZ_CHECK(m == n && memcmp(row, again, n) == 0, "row changed:\n%s%s", row, again);
	return 0;
}
