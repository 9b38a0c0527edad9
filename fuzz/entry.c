/*
 * entry.c - a fuzz target that is a library's own entry point (the ENTRY of a line in
 * targets.txt): CMake compiles this once per such target with RB_FUZZ_ENTRY set to its name.
 */
#include "fuzz.h"

int RB_FUZZ_ENTRY(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return RB_FUZZ_ENTRY(data, size);
}
