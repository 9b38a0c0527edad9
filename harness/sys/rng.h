/*
 * rng.h - splitmix64 (Steele, Lea and Flood; Vigna's constants), the one seeded generator of
 * the harness's samples, random cases and deltas: a 64-bit state, one add and three
 * multiply-xorshifts per output, every output a bijective mix of its counter, so a seed names
 * a sequence exactly. Not for cryptography. O(1) per call, no state beyond the caller's word.
 */
#ifndef ROUTEBENCH_RNG_H
#define ROUTEBENCH_RNG_H

#include <stdint.h>

/* The next output of the generator whose state is *s (any value is a valid seed). */
static inline uint64_t rb_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
