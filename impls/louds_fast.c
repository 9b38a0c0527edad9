/*
 * louds_fast.c - louds's single lookup (lo_walk) compiled for popcnt and BMI2, which louds.c
 * calls only on a CPU that has both: popcount is one instruction, select in a word a pdep and
 * a tzcnt. Costs nothing in bytes. The lesson: once a walk is down to two cache misses a
 * digit, the dozen-instruction bit tricks between them are what is left to cut.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("popcnt,bmi,bmi2")
#define LO_FAST_ATTR
#elif defined(__x86_64__) && defined(__clang__)
#define LO_FAST_ATTR __attribute__((target("popcnt,bmi,bmi2")))
#endif

#include "louds.h"

#if LO_HAVE_FAST
LO_FAST_ATTR uint64_t lo_lookup_fast(const struct lo_table *t, const char *digits, unsigned len)
{
	return lo_walk(t, digits, len);
}
#endif
