/*
 * route_table.h - the one interface every longest-prefix-match implementation provides.
 *
 * A route table maps decimal prefixes (0 to 15 digits, '0'..'9' as ASCII) to costs, and answers
 * "what does the longest prefix of this number cost?". Each implementation lives in one file
 * under impls/, keeps everything static, and exports one `const struct route_table_ops`. The
 * rest of routebench reaches implementations only through the registry and the rt_* wrappers.
 * Lesson: a fixed contract is what makes the structures measurable side by side.
 */
#ifndef ROUTEBENCH_ROUTE_TABLE_H
#define ROUTEBENCH_ROUTE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define RT_MAX_DIGITS 15          /* longest prefix or number, in digits */
#define RT_COST_SCALE 1000000ULL  /* costs are fixed-point: micro-units of the currency */
#define RT_COST_MAX 999999999999999999ULL /* largest cost a loader accepts (< 10^18 micros) */
#define RT_NO_ROUTE UINT64_MAX    /* lookup result when no prefix matches */
#define RT_MAX_COMPONENTS 8

/* One line of a delta (scenario 5): set a prefix's cost, or remove the prefix's route. */
enum rt_change_kind { RT_SET, RT_REMOVE };
struct rt_change {
	enum rt_change_kind kind;
	uint8_t len;                 /* 0..RT_MAX_DIGITS */
	char digits[RT_MAX_DIGITS];  /* '0'..'9', not NUL-terminated */
	uint64_t cost;               /* RT_SET: the new cost (< RT_NO_ROUTE), replacing the old */
};

struct rt_image_out; /* image.h */
struct rt_image_in;

/* The base of every table: implementations embed it as their first member. */
struct route_table {
	const struct route_table_ops *ops;
};

/* One line of a table's own memory accounting (nodes, child tables, arrays, hash slots...). */
struct rt_component {
	const char *name;   /* static string, e.g. "nodes", "child tables" */
	size_t count;       /* objects of this kind */
	size_t bytes;       /* bytes they take, as requested from the allocator */
};

/* What a table says it holds, filled by ops->stats. */
struct rt_stats {
	size_t prefixes;     /* distinct prefixes stored */
	size_t nodes;        /* the structure's unit of storage (nodes, entries, slots); 0 if none */
	size_t n_components; /* used entries of comp[] */
	struct rt_component comp[RT_MAX_COMPONENTS];
	size_t total_bytes;  /* sum of comp[].bytes: the table's own deep size */
};

/* Properties of an implementation (route_table_ops.flags), for the harness and the report. */
#define RT_F_SCAN    0x1u /* the baseline scan every index is compared with (one per registry) */
#define RT_F_DEFAULT 0x2u /* what `price` and `serve` use without --impl (one per registry) */
#define RT_F_PEER    0x4u /* backed by another project's library, not a structure of ours */
#define RT_F_NODE_HEAVY 0x8u /* one malloc per node or child table: the allocator shapes it */

struct route_table_ops {
	/* Registry key: lowercase, no spaces, e.g. "lazytrie". */
	const char *name;
	/* One line for `routebench list`. */
	const char *summary;
	/* Claimed cost, n routes and L digits, e.g. "build O(n log n), lookup O(L log n)". */
	const char *complexity;
	/* RT_F_* bits. */
	unsigned flags;
	/* Step on the optimisation ladder (1: the naive trie, then one change per step), or 0. */
	unsigned ladder;
	/* Make an empty table in *out. 0, or -ENOMEM with *out untouched and nothing leaked. */
	int (*create)(struct route_table **out);
	/*
	 * Add prefix digits[0..len) (len <= RT_MAX_DIGITS, all '0'..'9') at cost (< RT_NO_ROUTE).
	 * A prefix inserted again keeps the lowest of its costs. Only before finalize.
	 * 0, -EINVAL for a bad key (the table unchanged), or -ENOMEM: the route is not added and
	 * the table stays valid, i.e. more inserts may follow, finalize still succeeds, every
	 * route accepted answers, and destroy frees all (tests/test_alloc_faults.c).
	 */
	int (*insert)(struct route_table *t, const char *digits, unsigned len, uint64_t cost);
	/*
	 * Optional (may be NULL): called after the last insert, before any lookup; once, or
	 * again after -ENOMEM. 0, or -ENOMEM: then t still holds every route accepted and may
	 * only be destroyed (which frees all) or finalized again (which, with memory available,
	 * succeeds and answers every route); no lookup, stats or insert until then.
	 * tests/test_alloc_faults.c fails each of its allocations in turn.
	 */
	int (*finalize)(struct route_table *t);
	/*
	 * Cost of the longest stored prefix of digits[0..len) (1 <= len <= RT_MAX_DIGITS; a prefix
	 * equal to the whole number matches, the empty prefix matches everything), or RT_NO_ROUTE.
	 * Pure: no allocation, no state change, safe to call concurrently.
	 */
	uint64_t (*lookup)(const struct route_table *t, const char *digits, unsigned len);
	/* Fill *out with the table's own accounting. Never fails. */
	void (*stats)(const struct route_table *t, struct rt_stats *out);
	/* Free everything. Never called with NULL (rt_destroy checks). */
	void (*destroy)(struct route_table *t);
	/*
	 * Optional, both or neither (NULL: only a rebuild changes the table). The next version
	 * of finalized table t with changes[0..n) applied in order: RT_SET makes the prefix's
	 * cost exactly cost (replacing, not min); RT_REMOVE makes the prefix route no more (one
	 * that is absent is a no-op, counted in *n_absent). Copy on write: nothing reachable
	 * from t is written, so lookups on t from other threads run on, undisturbed; the nodes on
	 * changed paths are copied and *out shares everything else with t. Costs O(n x L) nodes,
	 * not a table. 0 with *out and *n_absent set, or -EINVAL (a bad change) / -ENOMEM, with
	 * t unchanged and nothing leaked. One writer at a time per table lineage.
	 */
	int (*update)(const struct route_table *t, const struct rt_change *changes, size_t n,
		      struct route_table **out, size_t *n_absent);
	/*
	 * Free the version that next superseded (next = the *out of update(prev, ...)): prev's
	 * header and the nodes prev held that next does not share. Call it once no reader can be
	 * in prev any more (after an RCU grace period); afterwards destroy(next) frees the rest.
	 * Lineage rules: retire each version once, in the order they were made (retire(v2)
	 * before retire(v3)); update(v2) may run before retire(v2); retire of a version that
	 * superseded nothing, or a second time, is a no-op. After retire(next), prev is gone.
	 * Until then prev is never destroyed, and destroy(next) abandons next (never published):
	 * it frees next's header and what update made for it, and prev stays whole, to be read,
	 * updated again or destroyed. A published next is retired before it is destroyed.
	 */
	void (*retire)(struct route_table *next);
	/*
	 * Optional (NULL: rt_lookup_batch calls lookup n times). out[i] = lookup(t, digits[i],
	 * len[i]) for every i < n (n may be 0; each len[i] as lookup allows): the same answers as
	 * n single lookups, whatever order the work is done in. Pure like lookup: no allocation,
	 * no state change, safe to call concurrently with lookups and other batches. It exists to
	 * interleave independent lookups, prefetching each one's next cache line while the others
	 * work, so their cache misses overlap instead of queueing one after another.
	 */
	void (*lookup_batch)(const struct route_table *t, size_t n, const char *const *digits,
			     const unsigned *len, uint64_t *out);
	/*
	 * Optional, both or neither (NULL: no route images): image.h. image_write describes
	 * finalized t as scalars and sections in *o (pointers into t, valid while t lives): 0 or
	 * -EINVAL (not finalized). image_open makes a table that reads in's sections in place
	 * (they outlive it), after checking every index its lookups will follow against them, so
	 * that no bytes at all can make a lookup read outside them: 0 with *out set, -EINVAL with
	 * *why a static reason, or -ENOMEM. Its destroy frees only what it allocated.
	 */
	int (*image_write)(const struct route_table *t, struct rt_image_out *o);
	int (*image_open)(const struct rt_image_in *in, struct route_table **out, const char **why);
};

/* Thin wrappers: the only way the rest of routebench calls an implementation. */
int rt_create(const struct route_table_ops *ops, struct route_table **out);
int rt_insert(struct route_table *t, const char *digits, unsigned len, uint64_t cost);
int rt_finalize(struct route_table *t);
uint64_t rt_lookup(const struct route_table *t, const char *digits, unsigned len);
/* ops->lookup_batch, or n calls of ops->lookup where the implementation has none. */
void rt_lookup_batch(const struct route_table *t, size_t n, const char *const *digits,
		     const unsigned *len, uint64_t *out);
void rt_stats(const struct route_table *t, struct rt_stats *out);
void rt_destroy(struct route_table *t);
/* Whether t's implementation can update in place (ops->update and ops->retire set). */
int rt_can_update(const struct route_table_ops *ops);
/* ops->update and ops->retire; -ENOTSUP where the implementation has none. */
int rt_update(const struct route_table *t, const struct rt_change *changes, size_t n,
	      struct route_table **out, size_t *n_absent);
void rt_retire(struct route_table *next);

/* Append a component to *s and add its bytes to total_bytes (for implementations' stats). */
void rt_stats_add(struct rt_stats *s, const char *name, size_t count, size_t bytes);

#endif
