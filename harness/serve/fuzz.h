/*
 * fuzz.h - libFuzzer-ready entries for the parsers of what clients send `serve`. Each takes
 * arbitrary bytes, must never crash, leak or read out of bounds, and returns 0; a fuzz target
 * calls it from LLVMFuzzerTestOneInput. Each lives in a file of its own, linked on demand.
 */
#ifndef ROUTEBENCH_SERVE_FUZZ_H
#define ROUTEBENCH_SERVE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* serve_parse_delta over data, and the merge of what it accepted into a small route set. */
int serve_fuzz_delta(const uint8_t *data, size_t size);
/* serve_parse_query_number and serve_parse_numbers over data. */
int serve_fuzz_request(const uint8_t *data, size_t size);

#endif
