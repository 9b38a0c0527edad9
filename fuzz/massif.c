/*
 * massif.c - fuzz the massif output parser (massif_parse), which reads whatever valgrind, or
 * anyone, left in a run folder: any bytes are rejected with a well-formed error, or give a
 * run whose peak is one of its snapshots and whose CSV writes out.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "massif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct massif_run r;
	struct ds_error err;
	FILE *sink;

	memset(&r, 0x5a, sizeof(r)); /* the parser must not rely on a zeroed run */
	if (massif_parse((const char *)data, size, "fuzz", &r, &err) != 0) {
		FUZZ_CHECK(strlen(err.what) > 0, "an error without a reason");
		FUZZ_CHECK(strlen(err.text) < sizeof(err.text), "text not terminated");
		return 0;
	}
	FUZZ_CHECK(r.n == 0 || r.peak < r.n, "peak %zu of %zu snapshots", r.peak, r.n);
	FUZZ_CHECK(memchr(r.cmd, '\0', sizeof(r.cmd)) != NULL, "cmd not terminated");
	FUZZ_CHECK(memchr(r.time_unit, '\0', sizeof(r.time_unit)) != NULL, "unit not terminated");
	for (size_t i = 0; i < r.n; i++)
		FUZZ_CHECK(r.v[i].kind <= MASSIF_PEAK, "snapshot %zu: kind %u", i, r.v[i].kind);
	sink = fopen("/dev/null", "w");
	if (sink) {
		FUZZ_CHECK(massif_write_csv(&r, sink) == 0, "csv not written");
		fclose(sink);
	}
	massif_free(&r);
	return 0;
}
