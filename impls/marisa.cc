/*
 * marisa.cc - a peer: a static MARISA trie (libmarisa: recursive LOUDS tries, succinct bit
 * vectors) over the distinct prefixes, with key ids indexing packed cost indices.
 *
 * Inserts collect (prefix, cost) records; finalize sorts them, keeps each prefix's lowest cost
 * (static_build.h) and builds the trie (O(n log n)); lookup is one common-prefix search, O(L)
 * rank/select steps.
 * Space: the trie as total_size() reports, plus per prefix an index into the dictionary of
 * distinct costs in ceil(log2 d) bits, stored as louds stores its costs, so the two compare
 * trie against trie (8-byte costs would triple MARISA's bytes per route). The lesson: a
 * succinct trie is the smallest structure here, and its price is build-once and slow steps.
 * Caveats: the empty prefix is kept outside the trie; marisa's Agent is mutable search state,
 * so each table owns one Agent (allocated in finalize) and lookups take it under a spin flag:
 * no allocation in lookup, safe concurrently, but concurrent lookups on one table serialize.
 * libmarisa 0.2.6 checks allocations inside build only in debug builds (a failure writes
 * through NULL), so finalize maps a reserve of the build's measured peak first and, should an
 * allocation inside build fail, a new_handler gives the reserve back and the allocation is
 * retried: a heuristic (a second failure after that still crashes).
 */
/* route_table.h has no C++ guards of its own: first, in C linkage; static_build.h then finds it */
extern "C" {
#include "route_table.h"
}

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <new>

#include <sys/mman.h>

#include <marisa.h>

#include "static_build.h"

extern "C" const struct route_table_ops marisa_ops;

struct marisa_rt {
	struct route_table base;
	struct sb_routes in; /* inserts, until finalize */
	uint64_t catch_all;  /* cost of the empty prefix, or RT_NO_ROUTE */
	marisa::Trie *trie;  /* NULL until finalize succeeds */
	marisa::Agent *agent;
	std::atomic_flag agent_busy;
	struct sb_dict dict; /* the distinct costs */
	uint64_t *costs;     /* per key id, its cost's dictionary index in cost_bits bits */
	unsigned cost_bits;
	size_t n_keys, n_cost_words;
};

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

	return sb_routes_add_outside_empty(&t->in, &t->catch_all, digits, len, cost);
}

/*
 * Measured peak of Trie::build beyond the keyset: 50-106 bytes per key for 10^3..10^6 keys
 * of 4-15 digits. The reserve is more than that, mapped but never touched (no resident pages,
 * not in the heap a profiler sees), and held only while build runs.
 */
#define MARISA_BUILD_BYTES_PER_KEY 192
#define MARISA_BUILD_BYTES_FIXED (1u << 20)

/* This thread's reserve while its build runs, else NULL. */
static thread_local void *marisa_reserve;
static thread_local size_t marisa_reserve_bytes;

/*
 * The new_handler while a build runs: the first failed allocation of this thread's build
 * unmaps the reserve and operator new tries again; one more, or any on another thread, gets
 * what it would without a handler (std::bad_alloc, or NULL from the nothrow form).
 */
static void marisa_release_reserve()
{
	if (!marisa_reserve)
		throw std::bad_alloc();
	munmap(marisa_reserve, marisa_reserve_bytes);
	marisa_reserve = NULL;
}

/* Map the reserve and install the handler for one build's lifetime; undone on every path. */
struct marisa_build_guard {
	std::new_handler prev;

	explicit marisa_build_guard(size_t bytes) : prev(NULL)
	{
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			       0);

		if (p == MAP_FAILED)
			throw std::bad_alloc();
		marisa_reserve = p;
		marisa_reserve_bytes = bytes;
		prev = std::set_new_handler(marisa_release_reserve);
	}
	~marisa_build_guard()
	{
		std::set_new_handler(prev);
		if (marisa_reserve)
			munmap(marisa_reserve, marisa_reserve_bytes);
		marisa_reserve = NULL;
	}
};

static int marisa_rt_finalize(struct route_table *rt)
{
	struct marisa_rt *t = reinterpret_cast<struct marisa_rt *>(rt);
	marisa::Trie *trie = NULL;
	marisa::Agent *agent = NULL;
	uint64_t *costs = NULL;
	struct sb_dict dict = { NULL, 0 };
	unsigned bits;
	size_t n, words;

	if (sb_routes_sort_unique(&t->in) || sb_dict_build(&t->in, &dict))
		return -ENOMEM;
	n = t->in.n;
	bits = sb_bits_for(dict.n);
	words = (n * bits + 63) / 64 + SB_PAD_WORDS;
	try {
		marisa::Keyset keyset;
		char digits[RT_MAX_DIGITS];

		for (size_t i = 0; i < n; i++)
			keyset.push_back(digits, sb_key_unpack(t->in.v[i].key, digits));
		trie = new marisa::Trie();
		agent = new marisa::Agent();
		agent->init_state();
		costs = new uint64_t[words]();
		/* label order: measured faster than the default weight order (all weights equal) */
		if (n) {
			marisa_build_guard guard(n * MARISA_BUILD_BYTES_PER_KEY +
						 MARISA_BUILD_BYTES_FIXED);

			trie->build(keyset, MARISA_DEFAULT_NUM_TRIES | MARISA_DEFAULT_TAIL |
						    MARISA_LABEL_ORDER);
		}
		for (size_t i = 0; i < n; i++)
			sb_put_bits(costs, (uint64_t)keyset[i].id() * bits, t->in.v[i].cost, bits);
	} catch (...) {
		delete[] costs;
		delete agent;
		delete trie;
		sb_dict_undo(&t->in, &dict);
		return -ENOMEM; /* marisa throws on allocation failure and nothing else here */
	}
	sb_routes_free(&t->in);
	t->trie = trie;
	t->agent = agent;
	t->costs = costs;
	t->dict = dict;
	t->cost_bits = bits;
	t->n_cost_words = words;
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
		while (t->trie->common_prefix_search(*t->agent)) /* shortest match first */
			best = t->dict.cost[sb_bits64(t->costs, (uint64_t)t->agent->key().id() *
							      t->cost_bits) &
					    ((1ULL << t->cost_bits) - 1)];
	} catch (...) {
		/* unreachable: the agent has its state and the trie is built */
	}
	t->agent_busy.clear(std::memory_order_release);
	return best;
}

static void marisa_rt_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct marisa_rt *t = reinterpret_cast<const struct marisa_rt *>(rt);

	out->prefixes = t->n_keys + t->in.n + (t->catch_all != RT_NO_ROUTE);
	rt_stats_add(out, "table (with the catch-all)", 1, sizeof(*t));
	if (t->trie) {
		out->nodes = t->n_keys ? t->trie->num_nodes() : 0;
		rt_stats_add(out, "trie (total_size)", out->nodes,
			     t->n_keys ? t->trie->total_size() : 0);
		rt_stats_add(out, "costs", t->n_keys, t->n_cost_words * sizeof(*t->costs));
		rt_stats_add(out, "cost dictionary", t->dict.n, t->dict.n * sizeof(*t->dict.cost));
	} else {
		rt_stats_add(out, "pending records", t->in.n, t->in.cap * sizeof(*t->in.v));
	}
}

static void marisa_rt_destroy(struct route_table *rt)
{
	struct marisa_rt *t = reinterpret_cast<struct marisa_rt *>(rt);

	sb_routes_free(&t->in);
	delete[] t->costs;
	free(t->dict.cost);
	delete t->agent;
	delete t->trie;
	delete t;
}

extern "C" const struct route_table_ops marisa_ops = {
	.name = "marisa",
	.summary = "peer: libmarisa static succinct trie, common-prefix search",
	.complexity = "build O(n log n), lookup O(L) rank/select steps, space succinct",
	.flags = RT_F_PEER,
	.ladder = 0,
	.create = marisa_rt_create,
	.insert = marisa_rt_insert,
	.finalize = marisa_rt_finalize,
	.lookup = marisa_rt_lookup,
	.stats = marisa_rt_stats,
	.destroy = marisa_rt_destroy,
	.update = nullptr,
	.retire = nullptr,
	.lookup_batch = nullptr,
	.image_write = nullptr,
	.image_open = nullptr,
};
