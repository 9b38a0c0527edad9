/*
 * marisa.cc - a peer: a static MARISA trie (libmarisa: recursive LOUDS tries, succinct bit
 * vectors) over the distinct prefixes, with key ids indexing an array of costs.
 *
 * Inserts collect (prefix, cost) records; finalize sorts them, keeps each prefix's lowest cost
 * and builds the trie (O(n log n)); lookup is one common-prefix search, O(L) rank/select steps.
 * Space: the trie as total_size() reports, plus 8 bytes per prefix for costs. The lesson: a
 * succinct trie is the smallest structure here, and its price is build-once and slow steps.
 * Caveats: the empty prefix is kept outside the trie; marisa's Agent is mutable search state,
 * so each table owns one Agent (allocated in finalize) and lookups take it under a spin flag:
 * no allocation in lookup, safe concurrently, but concurrent lookups on one table serialize.
 * libmarisa 0.2.6 checks allocations inside build only in debug builds (a failure writes
 * through NULL), so finalize first probes for the build's peak with one malloc: a heuristic.
 */
/* route_table.h has no C++ guards of its own */
extern "C" {
#include "route_table.h"
}

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <new>

#include <marisa.h>

extern "C" const struct route_table_ops marisa_ops;

/* A prefix as one sortable integer: value padded to 15 digits, times 16, plus the length. */
struct marisa_record {
	uint64_t key;
	uint64_t cost;
};

struct marisa_rt {
	struct route_table base;
	struct marisa_record *rec; /* inserts, until finalize */
	size_t n_rec, cap_rec;
	uint64_t catch_all; /* cost of the empty prefix, or RT_NO_ROUTE */
	marisa::Trie *trie; /* NULL until finalize succeeds */
	marisa::Agent *agent;
	std::atomic_flag agent_busy;
	uint64_t *costs; /* costs[key id] */
	size_t n_keys;
};

/* clang-format off */
static const uint64_t marisa_pow10[RT_MAX_DIGITS + 1] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
	10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
};
/* clang-format on */

static int marisa_rt_create(struct route_table **out)
{
	struct marisa_rt *t = new (std::nothrow) marisa_rt();

	if (!t)
		return -ENOMEM;
	t->base.ops = &marisa_ops;
	t->catch_all = RT_NO_ROUTE;
	t->agent_busy.clear();
	*out = &t->base;
	return 0;
}

static int marisa_rt_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct marisa_rt *t = reinterpret_cast<struct marisa_rt *>(rt);
	uint64_t value = 0;

	if (len > RT_MAX_DIGITS)
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -EINVAL;
		value = value * 10 + (uint64_t)(digits[i] - '0');
	}
	if (len == 0) {
		if (cost < t->catch_all)
			t->catch_all = cost;
		return 0;
	}
	if (t->n_rec == t->cap_rec) {
		size_t cap = t->cap_rec ? t->cap_rec * 2 : 1024;
		void *v = std::realloc(t->rec, cap * sizeof(*t->rec));

		if (!v)
			return -ENOMEM;
		t->rec = static_cast<struct marisa_record *>(v);
		t->cap_rec = cap;
	}
	t->rec[t->n_rec].key = value * marisa_pow10[RT_MAX_DIGITS - len] * 16 + len;
	t->rec[t->n_rec].cost = cost;
	t->n_rec++;
	return 0;
}

static int marisa_cmp_record(const void *a, const void *b)
{
	const struct marisa_record *x = static_cast<const struct marisa_record *>(a);
	const struct marisa_record *y = static_cast<const struct marisa_record *>(b);

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->cost > y->cost) - (x->cost < y->cost);
}

/* Sort and keep the first (cheapest) record of each key; returns the distinct count. */
static size_t marisa_dedupe(struct marisa_record *rec, size_t n)
{
	size_t u = 0;

	if (n == 0)
		return 0;
	std::qsort(rec, n, sizeof(*rec), marisa_cmp_record);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || rec[u - 1].key != rec[i].key)
			rec[u++] = rec[i];
	return u;
}

static void marisa_key_digits(uint64_t key, char *digits, unsigned *len)
{
	uint64_t padded = key / 16;

	*len = (unsigned)(key % 16);
	for (unsigned i = RT_MAX_DIGITS; i-- > 0; padded /= 10)
		if (i < *len)
			digits[i] = (char)('0' + padded % 10);
}

/*
 * Measured peak of Trie::build beyond the keyset: 50-106 bytes per key for 10^3..10^6 keys
 * of 4-15 digits. The probe asks for more, once, and gives it back before building.
 */
#define MARISA_BUILD_BYTES_PER_KEY 192
#define MARISA_BUILD_BYTES_FIXED (1u << 20)

static int marisa_rt_finalize(struct route_table *rt)
{
	struct marisa_rt *t = reinterpret_cast<struct marisa_rt *>(rt);
	marisa::Trie *trie = NULL;
	marisa::Agent *agent = NULL;
	uint64_t *costs = NULL;
	size_t n = marisa_dedupe(t->rec, t->n_rec);

	try {
		marisa::Keyset keyset;
		char digits[RT_MAX_DIGITS];
		unsigned len;

		for (size_t i = 0; i < n; i++) {
			marisa_key_digits(t->rec[i].key, digits, &len);
			keyset.push_back(digits, len);
		}
		/* volatile: an unused malloc/free pair may otherwise be optimised away */
		void *volatile probe =
			std::malloc(n * MARISA_BUILD_BYTES_PER_KEY + MARISA_BUILD_BYTES_FIXED);

		if (!probe)
			throw std::bad_alloc();
		std::free(probe);
		trie = new marisa::Trie();
		agent = new marisa::Agent();
		agent->init_state();
		costs = new uint64_t[n ? n : 1];
		/* label order: measured faster than the default weight order (all weights equal) */
		if (n)
			trie->build(keyset, MARISA_DEFAULT_NUM_TRIES | MARISA_DEFAULT_TAIL |
						    MARISA_LABEL_ORDER);
		for (size_t i = 0; i < n; i++)
			costs[keyset[i].id()] = t->rec[i].cost;
	} catch (...) {
		delete[] costs;
		delete agent;
		delete trie;
		t->n_rec = n;
		return -ENOMEM; /* marisa throws on allocation failure and nothing else here */
	}
	std::free(t->rec);
	t->rec = NULL;
	t->n_rec = t->cap_rec = 0;
	t->trie = trie;
	t->agent = agent;
	t->costs = costs;
	t->n_keys = n;
	return 0;
}

static uint64_t marisa_rt_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	struct marisa_rt *t =
		reinterpret_cast<struct marisa_rt *>(const_cast<struct route_table *>(rt));
	uint64_t best = t->catch_all;

	if (!t->trie || t->n_keys == 0)
		return best;
	while (t->agent_busy.test_and_set(std::memory_order_acquire))
		;
	try {
		t->agent->set_query(digits, len);
		while (t->trie->common_prefix_search(*t->agent))
			best = t->costs[t->agent->key().id()]; /* matches come shortest first */
	} catch (...) {
		/* unreachable: the agent has its state and the trie is built */
	}
	t->agent_busy.clear(std::memory_order_release);
	return best;
}

static void marisa_rt_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct marisa_rt *t = reinterpret_cast<const struct marisa_rt *>(rt);

	out->prefixes = t->n_keys + t->n_rec + (t->catch_all != RT_NO_ROUTE);
	rt_stats_add(out, "table (with the catch-all)", 1, sizeof(*t));
	if (t->trie) {
		out->nodes = t->n_keys ? t->trie->num_nodes() : 0;
		rt_stats_add(out, "trie (total_size)", out->nodes,
			     t->n_keys ? t->trie->total_size() : 0);
		rt_stats_add(out, "costs", t->n_keys, t->n_keys * sizeof(*t->costs));
	} else {
		rt_stats_add(out, "pending records", t->n_rec, t->cap_rec * sizeof(*t->rec));
	}
}

static void marisa_rt_destroy(struct route_table *rt)
{
	struct marisa_rt *t = reinterpret_cast<struct marisa_rt *>(rt);

	std::free(t->rec);
	delete[] t->costs;
	delete t->agent;
	delete t->trie;
	delete t;
}

extern "C" const struct route_table_ops marisa_ops = {
	.name = "marisa",
	.summary = "peer: libmarisa static succinct trie, common-prefix search",
	.complexity = "build O(n log n), lookup O(L) rank/select steps, space succinct",
	.create = marisa_rt_create,
	.insert = marisa_rt_insert,
	.finalize = marisa_rt_finalize,
	.lookup = marisa_rt_lookup,
	.stats = marisa_rt_stats,
	.destroy = marisa_rt_destroy,
};
