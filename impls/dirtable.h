/*
 * dirtable.h - the direct table's layout, shared by dirtable.c (build, lookups) and
 * dirtable_image.c (its route image: written as is, checked entry by entry when opened).
 * Private to those two files: the rest of routebench sees only dirtable_ops.
 */
#ifndef ROUTEBENCH_DIRTABLE_H
#define ROUTEBENCH_DIRTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "route_table.h"
#include "static_build.h"

/*
 * A slot is 32 bits: 2 tag bits and 30 of value. The top table's slots (first j digits) are
 * leaves, buckets, pages (10^p slots on the next p digits, k = j + p) or sub-tables; the slots
 * below are leaves, buckets or sub-tables (10 slots on the next digit + one default for a
 * number that ends there). A leaf holds the cost code of the longest route covering its whole
 * range (leaf pushing), so the walk never looks back up. Codes index answer[], whose entry 0 is
 * RT_NO_ROUTE: no answer needs a test.
 */
#define DT_LEAF 0u
#define DT_BUCKET 1u
#define DT_TABLE 2u
#define DT_PAGE 3u
#define DT_TAG(e) ((e) >> 30)
#define DT_VAL(e) ((e)&0x3fffffffu)
#define DT_MAKE(tag, v) ((uint32_t)(tag) << 30 | (uint32_t)(v))
#define DT_NONE 0u	       /* cost code: no route; code i + 1 is dictionary entry i */
#define DT_MAX_VAL 0x3ffffffeu /* largest offset, index or cost index a slot can hold */

#define DT_PAGE_DIGITS 4  /* a page is 10^4 slots: 40 KB */
#define DT_MAX_K 8	  /* top table at most 10^4 slots; k digits fit 8-digit math */
#define DT_BUCKET_MAX 15  /* routes per bucket (4-bit counts); more get a sub-table */
#define DT_BIG_SHARE 0.35 /* k: at most this share of routes below k in sub-tables */
#define DT_HEAD 6	  /* bucket header: 10 x 4-bit counts, key width */
#define DT_PAD 8	  /* bucket pool slack: keys are read 8 bytes at a time */
#define DT_TABLE_SLOTS 11

extern const struct route_table_ops dirtable_ops;

static const uint64_t dt_pow10[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
};

struct dt_table {
	struct route_table base;
	struct sb_routes in; /* routes collected until finalize */
	struct sb_dict dict;
	unsigned k, j, p;      /* direct digits = top digits + page digits */
	uint32_t div_k, div_j; /* 10^(8-k), 10^(8-j): the first 8 digits divided give k, j */
	unsigned cw;	       /* bytes of a cost code in a bucket: 1, 2 or 4 */
	uint32_t cmask;	       /* the low 8 cw bits */
	uint64_t *answer;      /* cost of each code: RT_NO_ROUTE, then the dictionary */
	uint32_t *top;	       /* 10^j slots */
	uint32_t *slot;	       /* pages, then sub-tables */
	size_t n_slots, cap_slots;
	uint8_t *bkt; /* buckets, byte-packed */
	size_t n_bkt, cap_bkt;
	uint64_t *short_key; /* routes shorter than k, sorted keys */
	uint32_t *short_cost;
	size_t n_short;
	size_t n_pages, n_tables, n_buckets, n_in_buckets, n_prefixes;
	int built;
	int mapped; /* opened from an image: only answer[] is its own, the rest is the image's */
	int checked; /* opened unverified and unwalked: lookups check each index they follow */
};

struct rt_image_in;
struct rt_image_out;

/* An unverified image's lookup (t->checked): dirtable.c. */
uint64_t dt_lookup_checked(const struct dt_table *t, const char *digits, unsigned len);

/* ops->image_write and ops->image_open (dirtable_image.c). */
int dt_image_write(const struct route_table *rt, struct rt_image_out *o);
int dt_image_open(const struct rt_image_in *in, struct route_table **out, const char **why);

#endif
