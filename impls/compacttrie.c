/*
 * compacttrie.c - a static decimal trie in breadth-first order: children are contiguous, so a
 * 32-bit first-child index and a 10-bit mask replace the child table (child = first + rank,
 * the rank one byte of a 1 KiB table). Built in finalize (radix sort, one numbering pass)
 * O(n L); lookup O(L), one 8-byte load per digit; 8 bytes per node. The lesson versus
 * arenatrie: empty child slots were most of the bytes.
 */
#include "image.h"
#include "route_table.h"
#include "static_build.h"

#include <errno.h>
#include <stdlib.h>

#define CT_ROUTE 0x8000u      /* in mask: a route ends at this node */
#define CT_KIDS 0x03ffu	      /* in mask: child digits 0..9 */
#define CT_WIDE_COSTS 0xffffu /* from this many distinct costs on, cost_hi is needed */

extern const struct route_table_ops compacttrie_ops;

/*
 * Set bits of every 10-bit mask: a child's rank is one L1-resident byte load, where
 * sb_popcount64 without -mpopcnt is a dozen dependent instructions on every digit's path.
 */
#define CT_P2(n) n, n + 1, n + 1, n + 2
#define CT_P4(n) CT_P2(n), CT_P2(n + 1), CT_P2(n + 1), CT_P2(n + 2)
#define CT_P6(n) CT_P4(n), CT_P4(n + 1), CT_P4(n + 1), CT_P4(n + 2)
#define CT_P8(n) CT_P6(n), CT_P6(n + 1), CT_P6(n + 1), CT_P6(n + 2)
static const uint8_t ct_pop10[1024] = { CT_P8(0), CT_P8(1), CT_P8(1), CT_P8(2) };

/* The rank among its siblings of child d of a node with mask m (d's bit set). */
static inline unsigned ct_rank(unsigned m, unsigned d)
{
	return ct_pop10[m & ((1u << d) - 1) & CT_KIDS];
}

struct ct_node {
	uint32_t first; /* index of the first child; its siblings follow in digit order */
	uint16_t mask;	/* CT_KIDS child digits, CT_ROUTE */
	uint16_t cost;	/* low 16 bits of the route's dictionary index */
};

struct ct_table {
	struct route_table base;
	struct sb_routes in; /* routes collected until finalize */
	struct ct_node *node;
	uint16_t *cost_hi; /* high 16 bits of the dictionary index, only for wide dictionaries */
	struct sb_dict dict;
	size_t n_nodes;
	size_t n_prefixes;
	int built;
	int mapped; /* opened from an image: node, cost_hi and dict.cost are its sections */
};

static int ct_create(struct route_table **out)
{
	struct ct_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &compacttrie_ops;
	*out = &t->base;
	return 0;
}

static int ct_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct ct_table *t = (struct ct_table *)rt;
	uint64_t key;

	if (t->built || sb_key(digits, len, &key))
		return -EINVAL;
	return sb_routes_add(&t->in, key, cost);
}

/* Sorted, merged routes -> breadth-first nodes. The caller frees t->node on failure. */
static int ct_build(struct ct_table *t)
{
	const struct sb_route *r = t->in.v;
	size_t start[RT_MAX_DIGITS + 2] = {0}, next[RT_MAX_DIGITS + 1];
	uint32_t path[RT_MAX_DIGITS + 1] = {0};
	size_t n = t->in.n;

	/* nodes per level: route i adds the levels below what it shares with route i-1 */
	start[1] = 1;
	for (size_t i = 0; i < n; i++)
		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1;
		     d <= sb_key_len(r[i].key); d++)
			start[d + 1]++;
	for (unsigned d = 1; d <= RT_MAX_DIGITS + 1; d++)
		start[d] += start[d - 1];
	t->n_nodes = start[RT_MAX_DIGITS + 1];
	if (t->n_nodes > UINT32_MAX)
		return -ENOMEM;
	t->node = calloc(t->n_nodes, sizeof(*t->node));
	if (!t->node)
		return -ENOMEM;
	if (t->dict.n >= CT_WIDE_COSTS) {
		t->cost_hi = calloc(t->n_nodes, sizeof(*t->cost_hi));
		if (!t->cost_hi)
			return -ENOMEM;
	}
	for (unsigned d = 0; d <= RT_MAX_DIGITS; d++)
		next[d] = start[d];
	for (size_t i = 0; i < n; i++) {
		unsigned len = sb_key_len(r[i].key);

		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1; d <= len; d++) {
			struct ct_node *p = &t->node[path[d - 1]];
			uint32_t id = (uint32_t)next[d]++;

			if (!(p->mask & CT_KIDS))
				p->first = id;
			p->mask |= (uint16_t)(1u << sb_key_digit(r[i].key, d - 1));
			path[d] = id;
		}
		t->node[path[len]].mask |= CT_ROUTE;
		t->node[path[len]].cost = (uint16_t)r[i].cost;
		if (t->cost_hi)
			t->cost_hi[path[len]] = (uint16_t)(r[i].cost >> 16);
	}
	return 0;
}

/* On failure the collected routes stay (sorted) and lookups answer RT_NO_ROUTE. */
static int ct_finalize(struct route_table *rt)
{
	struct ct_table *t = (struct ct_table *)rt;
	int rc;

	if (t->built)
		return 0;
	rc = sb_routes_sort_unique(&t->in);
	if (rc == 0)
		rc = sb_dict_build(&t->in, &t->dict);
	if (rc == 0)
		rc = ct_build(t);
	if (rc != 0) {
		free(t->node);
		free(t->cost_hi);
		sb_dict_undo(&t->in, &t->dict);
		t->node = NULL;
		t->cost_hi = NULL;
		t->n_nodes = 0;
		return rc;
	}
	t->n_prefixes = t->in.n;
	sb_routes_free(&t->in);
	t->built = 1;
	return 0;
}

static uint64_t ct_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct ct_table *t = (const struct ct_table *)rt;
	const struct ct_node *node = t->node;
	uint32_t n = 0, best;

	if (!node)
		return RT_NO_ROUTE;
	best = node[0].mask & CT_ROUTE ? 0 : UINT32_MAX;
	for (unsigned i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)digits[i] - '0', m = node[n].mask;

		if (d > 9 || !(m >> d & 1))
			break;
		n = node[n].first + ct_rank(m, d);
		if (node[n].mask & CT_ROUTE)
			best = n;
	}
	if (best == UINT32_MAX)
		return RT_NO_ROUTE;
	return t->dict.cost[node[best].cost | (t->cost_hi ? (uint32_t)t->cost_hi[best] << 16 : 0)];
}

/* --- batched lookup --------------------------------------------------------------------------- */

#define CT_LANES 32 /* lookups in flight */
#define CT_IDLE UINT32_MAX

/* One lookup in flight: node n (prefetched, not yet read) at digit i. */
struct ct_lane {
	const char *digits;
	size_t q; /* where its answer goes */
	uint32_t n, best;
	unsigned i, len;
};

static inline uint64_t ct_answer(const struct ct_table *t, uint32_t best)
{
	if (best == UINT32_MAX)
		return RT_NO_ROUTE;
	return t->dict.cost[t->node[best].cost |
			    (t->cost_hi ? (uint32_t)t->cost_hi[best] << 16 : 0)];
}

static inline void ct_lane_start(struct ct_lane *l, size_t q, const char *digits, unsigned len)
{
	l->digits = digits;
	l->q = q;
	l->n = 0;
	l->best = UINT32_MAX;
	l->i = 0;
	l->len = len;
}

/*
 * AMAC (Kocberber et al.): CT_LANES lookups in flight, each a small state (node, digit). A
 * round gives every lane one step: read its node, whose line was prefetched a round ago, note a
 * route, move to the child and prefetch it. A finished lane takes the next number at once, so
 * lookups of different depths never wait for each other. Same walk as ct_lookup.
 */
static void ct_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			    const unsigned *len, uint64_t *out)
{
	const struct ct_table *t = (const struct ct_table *)rt;
	const struct ct_node *node = t->node;
	struct ct_lane lane[CT_LANES];
	size_t next = 0, live = 0;

	if (!node) {
		for (size_t i = 0; i < n; i++)
			out[i] = RT_NO_ROUTE;
		return;
	}
	for (; live < CT_LANES; live++) {
		if (next < n) {
			ct_lane_start(&lane[live], next, digits[next], len[next]);
			next++;
		} else {
			lane[live].n = CT_IDLE;
		}
	}
	for (live = next; live;) {
		for (size_t s = 0; s < CT_LANES; s++) {
			struct ct_lane *l = &lane[s];
			unsigned m, d;

			if (l->n == CT_IDLE)
				continue;
			m = node[l->n].mask;
			if (m & CT_ROUTE)
				l->best = l->n;
			if (l->i < l->len && (d = (unsigned)(unsigned char)l->digits[l->i] - '0') <= 9 &&
			    (m >> d & 1)) {
				l->n = node[l->n].first + ct_rank(m, d);
				l->i++;
				__builtin_prefetch(&node[l->n]);
				continue;
			}
			out[l->q] = ct_answer(t, l->best);
			live--;
			if (next < n) {
				ct_lane_start(l, next, digits[next], len[next]);
				next++;
				live++;
			} else {
				l->n = CT_IDLE;
			}
		}
	}
}

/* Before finalize, prefixes counts collected routes, duplicates included. */
static void ct_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct ct_table *t = (const struct ct_table *)rt;

	out->prefixes = t->built ? t->n_prefixes : t->in.n;
	out->nodes = t->n_nodes;
	if (!t->built) {
		rt_stats_add(out, "collected routes", t->in.n, t->in.cap * sizeof(*t->in.v));
		return;
	}
	rt_stats_add(out, "nodes", t->n_nodes, t->n_nodes * sizeof(*t->node));
	if (t->cost_hi)
		rt_stats_add(out, "cost index high bits", t->n_nodes,
			     t->n_nodes * sizeof(*t->cost_hi));
	rt_stats_add(out, "cost dictionary", t->dict.n, t->dict.n * sizeof(*t->dict.cost));
}

static void ct_destroy(struct route_table *rt)
{
	struct ct_table *t = (struct ct_table *)rt;

	sb_routes_free(&t->in);
	if (!t->mapped) {
		free(t->node);
		free(t->cost_hi);
		free(t->dict.cost);
	}
	free(t);
}

/* --- route images ----------------------------------------------------------------------------- */

enum { CT_P_NODES, CT_P_COSTS, CT_P_WIDE }; /* image params */
enum { CT_S_NODES, CT_S_COST_HI, CT_S_DICT, CT_N_SECTIONS };

/* The nodes, the high cost bits (wide dictionaries only) and the dictionary, as they are. */
static int ct_image_write(const struct route_table *rt, struct rt_image_out *o)
{
	const struct ct_table *t = (const struct ct_table *)rt;

	if (!t->built)
		return -EINVAL;
	o->param[CT_P_NODES] = t->n_nodes;
	o->param[CT_P_COSTS] = t->dict.n;
	o->param[CT_P_WIDE] = t->cost_hi != NULL;
	rt_image_add(o, t->node, t->n_nodes * sizeof(*t->node));
	rt_image_add(o, t->cost_hi, t->cost_hi ? t->n_nodes * sizeof(*t->cost_hi) : 0);
	rt_image_add(o, t->dict.cost, t->dict.n * sizeof(*t->dict.cost));
	return 0;
}

/*
 * Every node: known mask bits, children inside the array, a route's cost in the dictionary.
 * Branch-free (which nodes hold routes is data, not a pattern): one pass near memory speed.
 */
static const char *ct_image_check(const struct rt_image_in *in)
{
	uint64_t n = in->param[CT_P_NODES], costs = in->param[CT_P_COSTS], routes = 0;
	const struct ct_node *node = in->data[CT_S_NODES];
	const uint16_t *hi = in->param[CT_P_WIDE] ? in->data[CT_S_COST_HI] : NULL;

	if (in->n_sections != CT_N_SECTIONS || n < 1 || n > UINT32_MAX || in->param[CT_P_WIDE] > 1)
		return "bad compacttrie parameters";
	if (in->size[CT_S_NODES] != n * sizeof(*node) ||
	    in->size[CT_S_COST_HI] != (hi ? n * sizeof(*hi) : 0) ||
	    in->size[CT_S_DICT] != costs * sizeof(uint64_t))
		return "a compacttrie section has the wrong size";
	uint8_t kids[CT_KIDS + 1]; /* popcount of each child mask, by table: one load a node */
	uint64_t bad = 0;

	for (unsigned m = 0; m <= CT_KIDS; m++)
		kids[m] = (uint8_t)sb_popcount64(m);
	for (uint64_t i = 0; i < n; i++) {
		unsigned m = node[i].mask, k = kids[m & CT_KIDS];

		uint64_t cost = node[i].cost | (hi ? (uint64_t)hi[i] << 16 : 0), route = m >> 15;

		/* a leaf's first is 0 as built, so first + k <= n holds for every node */
		bad |= (m & ~(unsigned)(CT_KIDS | CT_ROUTE)) | ((uint64_t)node[i].first + k > n) |
		       (route & (cost >= costs));
		routes += route;
	}
	if (bad)
		return "a node has unknown mask bits, children past the last node or a cost past "
		       "the dictionary";
	return routes == in->prefixes ? NULL : "the route count differs from the header's";
}

static int ct_image_open(const struct rt_image_in *in, struct route_table **out, const char **why)
{
	struct ct_table *t;

	if ((*why = ct_image_check(in)) != NULL)
		return -EINVAL;
	if (!(t = calloc(1, sizeof(*t))))
		return -ENOMEM;
	t->base.ops = &compacttrie_ops;
	t->n_nodes = in->param[CT_P_NODES];
	t->node = (struct ct_node *)in->data[CT_S_NODES];
	t->cost_hi = in->param[CT_P_WIDE] ? (uint16_t *)in->data[CT_S_COST_HI] : NULL;
	t->dict.cost = (uint64_t *)in->data[CT_S_DICT];
	t->dict.n = in->param[CT_P_COSTS];
	t->n_prefixes = in->prefixes;
	t->built = t->mapped = 1;
	*out = &t->base;
	return 0;
}

const struct route_table_ops compacttrie_ops = {
	.name = "compacttrie",
	.summary =
		"static breadth-first decimal trie: 8-byte nodes, 10-bit child mask + first child",
	.complexity = "build O(n L) (radix sort), lookup O(L), space 8 B per node",
	.ladder = 6,
	.create = ct_create,
	.insert = ct_insert,
	.finalize = ct_finalize,
	.lookup = ct_lookup,
	.stats = ct_stats,
	.destroy = ct_destroy,
	.lookup_batch = ct_lookup_batch,
	.image_write = ct_image_write,
	.image_open = ct_image_open,
};
