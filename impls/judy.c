/*
 * judy.c - a peer: libJudy's JudyL (a 256-ary digital tree with adaptive node kinds) keyed by
 * the prefix packed as (len << 56) | decimal value, so "1" and "01" differ.
 *
 * Build O(n) amortised, lookup up to 16 JudyLGet calls (longest first, like the hash table),
 * space as JudyLMemUsed reports (32 sentinel keys included). The lesson: a tuned general-purpose
 * integer map gets most of what a custom hash table gets, with no hashing and keys kept in order
 * for free.
 */
#include "route_table.h"
#include "rt_key.h"

#include <Judy.h>
#include <errno.h>
#include <stdlib.h>

extern const struct route_table_ops judy_ops;

/* Values are stored as cost + 1, so the 0 JudyLIns gives a new slot means "not yet set". */
struct judy_table {
	struct route_table base;
	Pvoid_t array;
	size_t prefixes;
};

/*
 * Keys no prefix packs to (length byte 0xff) that create stores. libJudy 1.0.5 leaks the
 * blocks it made when JudyLIns fails while growing a root leaf (31 keys) into a tree; an array
 * that JudyLInsArray builds with more keys than that is a tree from the start, and its later
 * failures leak nothing.
 */
#define JUDY_SENTINELS 32
#define JUDY_SENTINEL(i) (((Word_t)0xff << 56) | (Word_t)(i))

static int judy_create(struct route_table **out)
{
	struct judy_table *t = calloc(1, sizeof(*t));
	Word_t key[JUDY_SENTINELS], value[JUDY_SENTINELS] = {0};
	JError_t jerr;

	if (!t)
		return -ENOMEM;
	t->base.ops = &judy_ops;
	t->array = (Pvoid_t)NULL;
	for (unsigned i = 0; i < JUDY_SENTINELS; i++)
		key[i] = JUDY_SENTINEL(i);
	if (JudyLInsArray(&t->array, JUDY_SENTINELS, key, value, &jerr) != 1) {
		JudyLFreeArray(&t->array, PJE0);
		free(t);
		return -ENOMEM;
	}
	*out = &t->base;
	return 0;
}

static int judy_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct judy_table *t = (struct judy_table *)rt;
	PPvoid_t slot;
	JError_t jerr;

	if (rt_key_check(digits, len))
		return -EINVAL;
	slot = JudyLIns(&t->array, (Word_t)rt_key_pack(digits, len), &jerr);
	if (slot == PPJERR)
		return -ENOMEM; /* JudyLIns fails only when malloc does; the array is intact */
	if (*(Word_t *)slot == 0) {
		*(Word_t *)slot = (Word_t)cost + 1;
		t->prefixes++;
	} else if ((Word_t)cost + 1 < *(Word_t *)slot) {
		*(Word_t *)slot = (Word_t)cost + 1;
	}
	return 0;
}

static uint64_t judy_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct judy_table *t = (const struct judy_table *)rt;
	uint64_t value = rt_key_value(digits, len);

	for (unsigned l = len + 1; l-- > 0; value /= 10) {
		PPvoid_t slot = JudyLGet((Pcvoid_t)t->array, (Word_t)rt_key_make(l, value), PJE0);

		if (slot)
			return (uint64_t)(*(Word_t *)slot - 1);
	}
	return RT_NO_ROUTE;
}

static void judy_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct judy_table *t = (const struct judy_table *)rt;

	out->prefixes = t->prefixes;
	out->nodes = t->prefixes;
	rt_stats_add(out, "judyl (JudyLMemUsed)", t->prefixes,
		     (size_t)JudyLMemUsed((Pcvoid_t)t->array));
}

static void judy_destroy(struct route_table *rt)
{
	struct judy_table *t = (struct judy_table *)rt;

	JudyLFreeArray(&t->array, PJE0);
	free(t);
}

const struct route_table_ops judy_ops = {
	.name = "judy",
	.summary = "peer: libJudy JudyL on (length, value) keys, longest prefix first",
	.complexity = "build O(n), lookup O(L) JudyLGet calls, space as JudyLMemUsed",
	.flags = RT_F_PEER,
	.create = judy_create,
	.insert = judy_insert,
	.finalize = NULL,
	.lookup = judy_lookup,
	.stats = judy_stats,
	.destroy = judy_destroy,
};
