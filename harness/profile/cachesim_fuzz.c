/*
 * cachesim_fuzz.c - the libFuzzer entry for the callgrind output parser (fuzz/ links it):
 * any bytes at all must parse or fail with a message, never crash or read past the end.
 */
#include "cachesim.h"

int cachesim_fuzz_parse(const uint8_t *data, size_t size)
{
	struct cachesim_counts c;
	struct ds_error err;

	if (cachesim_parse((const char *)data, size, "fuzz", &c, &err) == 0 &&
	    !(c.have & (1u << CS_IR)))
		__builtin_trap(); /* a parse that succeeds has seen Ir */
	return 0;
}
