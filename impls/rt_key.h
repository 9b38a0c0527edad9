/*
 * rt_key.h - what a valid prefix is, and the integer most tables key it by: (len << 56) | its
 * decimal value, so "1" and "01" differ and keys sorted as integers come grouped by length.
 * O(len) per key, nothing allocated. Header-only (static inline, valid C and C++): the one
 * definition of a bad key (-EINVAL) every implementation applies, each still one file.
 */
#ifndef ROUTEBENCH_RT_KEY_H
#define ROUTEBENCH_RT_KEY_H

#include <errno.h>
#include <stdint.h>

#include "route_table.h"

/* 0 if insert accepts digits[0..len) (len <= RT_MAX_DIGITS, each byte '0'..'9'), else -EINVAL. */
static inline int rt_key_check(const char *digits, unsigned len)
{
	if (len > RT_MAX_DIGITS)
		return -EINVAL;
	for (unsigned i = 0; i < len; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return -EINVAL;
	return 0;
}

/* 0 if update accepts change c (a known kind, a valid prefix, an RT_SET cost < RT_NO_ROUTE). */
static inline int rt_change_check(const struct rt_change *c)
{
	if (c->kind != RT_SET && c->kind != RT_REMOVE)
		return -EINVAL;
	if (c->kind == RT_SET && c->cost == RT_NO_ROUTE)
		return -EINVAL;
	return rt_key_check(c->digits, c->len);
}

/* The decimal value of digits[0..len), all digits, len <= RT_MAX_DIGITS (< 10^15 < 2^50). */
static inline uint64_t rt_key_value(const char *digits, unsigned len)
{
	uint64_t value = 0;

	for (unsigned i = 0; i < len; i++)
		value = value * 10 + (uint64_t)(digits[i] - '0');
	return value;
}

/* The key of the prefix of length len whose decimal value is value. */
static inline uint64_t rt_key_make(unsigned len, uint64_t value)
{
	return ((uint64_t)len << 56) | value;
}

/* The key of digits[0..len), a prefix rt_key_check accepted. */
static inline uint64_t rt_key_pack(const char *digits, unsigned len)
{
	return rt_key_make(len, rt_key_value(digits, len));
}

/* The length of the prefix a key stands for. */
static inline unsigned rt_key_len(uint64_t key)
{
	return (unsigned)(key >> 56);
}

#endif
