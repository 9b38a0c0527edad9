/*
 * louds.c - a succinct decimal trie: LOUDS bits (degrees in unary, breadth-first), 5-bit fields
 * (digit and route bit) 96 to a 64-byte line whose header holds the select and rank samples,
 * leaf chains cut into 4-bit digit tails, ceil(log2 distinct costs) bits per route: ~7.4 bits per
 * node + ~5 bits per tail digit + costs. Built in finalize O(n L); lookup O(L): a select0 from
 * the node's line header and one field read per digit past a small root table, a tail compare
 * at the leaf, a rank inside a line at the end. The lesson versus compacttrie: a node's 8 bytes
 * become under a byte once positions are computed (rank/select) instead of stored, and each
 * digit costs dependent cache misses for it, so the samples go where the walk already is.
 */
#include "louds.h"

#include "image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int lo_create(struct route_table **out)
{
	struct lo_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->base.ops = &louds_ops;
	*out = &t->base;
	return 0;
}

static int lo_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct lo_table *t = (struct lo_table *)rt;
	uint64_t key;

	if (t->built || sb_key(digits, len, &key))
		return -EINVAL;
	return sb_routes_add(&t->in, key, cost);
}

/* --- build ------------------------------------------------------------------------------------ */

static void lo_free_built(struct lo_table *t)
{
	free(t->louds);
	free(t->line);
	free(t->lbase);
	free(t->cost);
	free(t->top);
	free(t->tbits);
	free(t->tsample);
	free(t->tdig);
	t->top = NULL;
	t->top_digits = t->tails = 0;
	t->louds = t->line = t->cost = t->tbits = t->tdig = NULL;
	t->lbase = NULL;
	t->tsample = NULL;
	t->n_nodes = t->n_tail_digits = 0;
}

/* Bytes of the succinct arrays (what the root table is measured against). */
static size_t lo_bytes(const struct lo_table *t)
{
	return (t->n_louds_words + t->n_line_words + t->n_cost_words + t->n_tbits_words +
		t->n_tdig_words) * 8 +
	       t->n_bases * sizeof(*t->lbase) + t->n_tsamples * 4;
}

static size_t lo_top_entries(unsigned digits)
{
	size_t n = 1;

	while (digits--)
		n *= 10;
	return n;
}

/* Walk every string of top_digits digits once. 0 or -ENOMEM. */
static int lo_build_top(struct lo_table *t)
{
	size_t n = 1;
	unsigned d = 0;

	while (d < LO_TOP_MAX && n * 10 * sizeof(*t->top) * LO_TOP_SHARE <= lo_bytes(t)) {
		n *= 10;
		d++;
	}
	if (d == 0)
		return 0;
	t->top = malloc(n * sizeof(*t->top));
	if (!t->top)
		return -ENOMEM;
	t->top_digits = d;
	for (size_t x = 0; x < n; x++) {
		uint64_t k = 0, best = LO_NONE;
		size_t div = n / 10;

		/* nodes above depth d are never tail heads: their route bits are whole routes */
		for (unsigned i = 0; i < d && k != LO_NONE; i++, div /= 10) {
			if (lo_has_route(t, k))
				best = k;
			k = lo_child(t, k, (unsigned)(x / div % 10));
		}
		t->top[x].node = (uint32_t)k;
		t->top[x].best = (uint32_t)best;
	}
	return 0;
}

/*
 * The deepest node route i of the sorted routes r[0..n) gets: its own, or with tails the head
 * of the chain only it goes through (below what it shares with its neighbours, at depth
 * LO_TOP_MAX or more), the rest of its digits its tail.
 */
static unsigned lo_end(const struct sb_route *r, size_t n, size_t i, int tails)
{
	unsigned len = sb_key_len(r[i].key), m = 0, h;

	if (!tails)
		return len;
	if (i > 0)
		m = sb_lcp(r[i - 1].key, r[i].key);
	if (i + 1 < n && sb_lcp(r[i].key, r[i + 1].key) > m)
		m = sb_lcp(r[i].key, r[i + 1].key);
	h = m + 1 > LO_TOP_MAX ? m + 1 : LO_TOP_MAX;
	if (h < len && len - h > LO_TAIL_MAX)
		h = len - LO_TAIL_MAX;
	return h < len ? h : len;
}

/* Nodes per depth (start[d + 1] for depth d, before prefix sums) and tail digits. */
static size_t lo_count(const struct sb_route *r, size_t n, int tails, size_t *start)
{
	size_t digits = 0;

	memset(start, 0, (RT_MAX_DIGITS + 2) * sizeof(*start));
	start[1] = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned e = lo_end(r, n, i, tails);

		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1; d <= e; d++)
			start[d + 1]++;
		digits += sb_key_len(r[i].key) - e;
	}
	for (unsigned d = 1; d <= RT_MAX_DIGITS + 1; d++)
		start[d] += start[d - 1];
	return digits;
}

/* Allocate the arrays for the counts in t. 0 or -ENOMEM. */
static int lo_alloc(struct lo_table *t)
{
	lo_sizes(t);
	t->louds = calloc(t->n_louds_words, sizeof(*t->louds));
	/* lines on cache lines: a node's header and its field are one miss */
	t->line = aligned_alloc(64, (t->n_line_words * 8 + 63) / 64 * 64);
	if (t->line)
		memset(t->line, 0, t->n_line_words * 8);
	t->lbase = malloc(t->n_bases * sizeof(*t->lbase));
	t->cost = calloc(t->n_cost_words, sizeof(*t->cost));
	if (t->tails) {
		t->tbits = calloc(t->n_tbits_words, sizeof(*t->tbits));
		t->tsample = malloc(t->n_tsamples * sizeof(*t->tsample));
		t->tdig = calloc(t->n_tdig_words, sizeof(*t->tdig));
		if (!t->tbits || !t->tsample || !t->tdig)
			return -ENOMEM;
	}
	return t->louds && t->line && t->lbase && t->cost ? 0 : -ENOMEM;
}

/*
 * The LOUDS bits from the degrees, and each line's header (where its first node's run starts,
 * routes before it) relative to its group's base. A group of 32 lines (3,072 nodes of degree at
 * most 10) spans under 2^16 LOUDS bits and routes, so both offsets fit 16 bits.
 */
static void lo_fill_bits(struct lo_table *t, const uint8_t *deg)
{
	struct lo_base b = { 0, 0 };

	for (uint64_t k = 0, p = 0, c = 0; k < t->n_nodes; k++) {
		if (k % LO_LINE_NODES == 0) {
			uint64_t l = k / LO_LINE_NODES;

			if (l % LO_BASE_LINES == 0) {
				b.louds = (uint32_t)p;
				b.rank = (uint32_t)c;
				t->lbase[l / LO_BASE_LINES] = b;
			}
			t->line[l * LO_LINE_WORDS] |= (p - b.louds) | (c - b.rank) << 16;
		}
		sb_put_bits(t->louds, p, (1ULL << deg[k]) - 1, deg[k]);
		p += deg[k] + 1u;
		c += (uint64_t)lo_has_route(t, k);
	}
}

/*
 * Route i (node at[i], tail length tlen[i]) has rank rk[i] among the route nodes: its cost goes
 * there, and its tail: tbits per rank, then the digits where select1 puts them.
 */
static void lo_fill_routes(struct lo_table *t, const struct sb_route *r, size_t n,
			   const uint32_t *at, uint8_t *tlen)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t q = lo_rank1(t, at[i]);

		if (t->cost_bits)
			sb_put_bits(t->cost, q * t->cost_bits, r[i].cost, t->cost_bits);
		if (t->tails) /* tail lengths by rank, in the high half of the scratch */
			tlen[n + q] = tlen[i];
	}
	if (!t->tails)
		return;
	for (uint64_t q = 0, p = 0; q <= n; q++) {
		t->tbits[p / 64] |= 1ULL << (p % 64);
		if (q % LO_SAMPLE == 0)
			t->tsample[q / LO_SAMPLE] = (uint32_t)p;
		p += 1 + (q < n ? tlen[n + q] : 0);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned len = sb_key_len(r[i].key), tl = tlen[i], got;
		uint64_t q = lo_rank1(t, at[i]), off = lo_tail_at(t, q, &got) - q;

		for (unsigned j = 0; j < tl; j++)
			sb_put_bits(t->tdig, 4 * (off + j), sb_key_digit(r[i].key, len - tl + j),
				    4);
	}
}

/* Tails cost a lookup three more dependent reads at its leaf: only for a trie this much smaller. */
#define LO_TAIL_GAIN 0.9

/* Estimated bytes with or without tails (nodes at ~7.8 bits, tails at 5 bits a digit). */
static double lo_estimate(size_t nodes, size_t routes, size_t digits, int tails)
{
	return (double)nodes * 7.8 / 8 + (tails ? ((double)routes * 1.5 + 5.0 * digits) / 8 : 0);
}

/*
 * Sorted, merged routes -> ids level by level (route i adds the levels below what it shares
 * with route i-1 down to its end; in key order each level's nodes come in id order), then the
 * bit vectors. Tails are used when they make the trie at least a tenth smaller.
 */
static int lo_build(struct lo_table *t)
{
	const struct sb_route *r = t->in.v;
	size_t n = t->in.n, start[RT_MAX_DIGITS + 2], plain[RT_MAX_DIGITS + 2], digits;
	size_t next[RT_MAX_DIGITS + 1];
	uint32_t path[RT_MAX_DIGITS + 1] = {0}, *at = NULL;
	uint8_t *deg = NULL, *tlen = NULL;
	uint64_t bit;
	int rc = -ENOMEM;

	digits = lo_count(r, n, 1, start);
	lo_count(r, n, 0, plain);
	t->tails = digits > 0 && lo_estimate(start[RT_MAX_DIGITS + 1], n, digits, 1) <
					 LO_TAIL_GAIN * lo_estimate(plain[RT_MAX_DIGITS + 1], n, 0, 0);
	if (!t->tails) {
		memcpy(start, plain, sizeof(start));
		digits = 0;
	}
	t->n_nodes = start[RT_MAX_DIGITS + 1];
	t->n_tail_digits = digits;
	t->n_prefixes = n;
	t->cost_bits = sb_bits_for(t->dict.n);
	if (t->n_nodes >= (size_t)1 << 31) /* LOUDS positions must fit 32 bits */
		return -ENOMEM;
	deg = calloc(t->n_nodes, sizeof(*deg));
	at = malloc((n ? n : 1) * sizeof(*at));
	tlen = malloc(2 * n + 1);
	if (lo_alloc(t) != 0 || !deg || !at || !tlen)
		goto out;
	for (unsigned d = 0; d <= RT_MAX_DIGITS; d++)
		next[d] = start[d];
	for (size_t i = 0; i < n; i++) {
		unsigned e = lo_end(r, n, i, (int)t->tails);

		for (unsigned d = i ? sb_lcp(r[i - 1].key, r[i].key) + 1 : 1; d <= e; d++) {
			uint32_t id = (uint32_t)next[d]++;

			deg[path[d - 1]]++;
			sb_put_bits(t->line, lo_field_bit(id), sb_key_digit(r[i].key, d - 1), 5);
			path[d] = id;
		}
		at[i] = path[e];
		bit = lo_field_bit(at[i]) + 4;
		t->line[bit / 64] |= 1ULL << (bit % 64);
		tlen[i] = (uint8_t)(sb_key_len(r[i].key) - e);
	}
	lo_fill_bits(t, deg);
	lo_fill_routes(t, r, n, at, tlen);
	rc = lo_build_top(t);
out:
	free(deg);
	free(at);
	free(tlen);
	return rc;
}

/* On failure the collected routes stay and lookups answer RT_NO_ROUTE. */
static int lo_finalize(struct route_table *rt)
{
	struct lo_table *t = (struct lo_table *)rt;
	int rc;

	if (t->built)
		return 0;
	rc = sb_routes_sort_unique(&t->in);
	if (rc == 0)
		rc = sb_dict_build(&t->in, &t->dict);
	if (rc == 0)
		rc = lo_build(t);
	if (rc != 0) {
		lo_free_built(t);
		sb_dict_undo(&t->in, &t->dict);
		return rc;
	}
	sb_routes_free(&t->in);
	t->built = 1;
	return 0;
}

/* --- lookup ----------------------------------------------------------------------------------- */

/*
 * The single lookup: lo_walk (louds.h), compiled for popcnt and BMI2 in louds_fast.c and
 * taken there when the CPU has both (a popcount and a select in a word become one or two
 * instructions instead of a dozen); the plain build everywhere else.
 */
#if LO_HAVE_FAST
/*
 * Whether lo_lookup takes the popcnt/BMI2 build: the CPU's answer, chosen once before main.
 * RB_LOUDS_PLAIN=1 forces the plain build, so the tests check it on a CPU that has both
 * (where it would otherwise never run).
 */
static int lo_fast_walk;

__attribute__((constructor)) static void lo_pick_walk(void)
{
	const char *plain = getenv("RB_LOUDS_PLAIN");

	__builtin_cpu_init();
	lo_fast_walk = __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi2") &&
		       !(plain && strcmp(plain, "1") == 0);
}
#endif

static uint64_t lo_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	const struct lo_table *t = (const struct lo_table *)rt;

#if LO_HAVE_FAST
	if (lo_fast_walk)
		return lo_lookup_fast(t, digits, len);
#endif
	return lo_walk(t, digits, len);
}

/* --- batched lookup --------------------------------------------------------------------------- */

#define LO_LANES 16 /* lookups in flight */

/* What a lane does next; each step reads only lines the step before prefetched. */
enum lo_step {
	LO_IDLE,  /* no lookup */
	LO_TOP,	  /* read the root table entry */
	LO_ROUTE, /* node k reached from the root table (or the root): its line, route bit */
	LO_KIDS,  /* the LOUDS word its line points to: where k's children start, how many */
	LO_LABEL, /* their fields: the child along the next digit, its route bit, its line */
	LO_TAIL,  /* leaf k with a route (rank p): its tail's select sample */
	LO_TBITS, /* the tail bits at the sample: where the tail starts, how long */
	LO_TDIG,  /* the tail's digits: compare them */
	LO_BEST,  /* the deepest route node's line: its rank */
	LO_COST,  /* the deepest route's packed cost */
};

struct lo_lane {
	const char *digits;
	size_t q;
	uint64_t p, first, k, best; /* p: root table index, sample position, rank */
	unsigned i, len, deg, r;
	enum lo_step step;
};

/* The digit a lane follows next, or 10 when its walk is over. */
static inline unsigned lo_lane_digit(const struct lo_lane *l)
{
	unsigned d = l->i < l->len ? (unsigned)(unsigned char)l->digits[l->i] - '0' : 10;

	return d > 9 ? 10 : d;
}

static void lo_lane_start(const struct lo_table *t, struct lo_lane *l, size_t q,
			  const char *digits, unsigned len)
{
	l->digits = digits;
	l->q = q;
	l->len = len > RT_MAX_DIGITS ? RT_MAX_DIGITS : len;
	l->k = 0;
	l->i = 0;
	l->best = LO_NONE;
	l->step = LO_ROUTE;
	if (t->top && l->len >= t->top_digits) {
		uint32_t x = 0;
		unsigned i = 0;

		for (; i < t->top_digits; i++) {
			unsigned d = (unsigned)(unsigned char)digits[i] - '0';

			if (d > 9)
				break;
			x = x * 10 + d;
		}
		if (i == t->top_digits) {
			l->p = x;
			l->step = LO_TOP;
			__builtin_prefetch(&t->top[x]);
		}
	}
}

/* The lookup's walk is over: prefetch its route node's line, or answer now. 1 if answered. */
static int lo_lane_finish(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	if (l->best == LO_NONE || !t->cost_bits) {
		out[l->q] = lo_cost_of(t, l->best);
		return 1;
	}
	__builtin_prefetch(&t->line[lo_field_bit(l->best) / 64]);
	l->step = LO_BEST;
	return 0;
}

/* Node k reached, its route bit in r: go on to its children (prefetch), or stop. */
static int lo_lane_node(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	if (lo_lane_digit(l) > 9 && !(l->r && t->tails)) {
		l->best = l->r ? l->k : l->best;
		return lo_lane_finish(t, l, out);
	}
	l->p = t->lbase[l->k / LO_LINE_NODES / LO_BASE_LINES].louds +
	       (t->line[l->k / LO_LINE_NODES * LO_LINE_WORDS] & 0xffff);
	__builtin_prefetch(&t->louds[l->p / 64]);
	l->step = LO_KIDS;
	return 0;
}

/* LO_KIDS: k's children found; on to their fields, or k is a leaf. */
static int lo_lane_kids(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	if (l->k % LO_LINE_NODES)
		l->p = lo_select_from(t->louds, l->p, (unsigned)(l->k % LO_LINE_NODES - 1),
				      UINT64_MAX) + 1;
	l->deg = (unsigned)__builtin_ctzll(~sb_bits64(t->louds, l->p));
	if (l->deg == 0) {
		if (!l->r || !t->tails) {
			l->best = l->r ? l->k : l->best;
			return lo_lane_finish(t, l, out);
		}
		l->p = lo_rank1(t, l->k); /* k's line is the one its header came from */
		__builtin_prefetch(&t->tsample[l->p / LO_SAMPLE]);
		l->step = LO_TAIL;
		return 0;
	}
	l->best = l->r ? l->k : l->best;
	if (lo_lane_digit(l) > 9)
		return lo_lane_finish(t, l, out);
	l->first = l->p - l->k + 1;
	__builtin_prefetch(&t->line[lo_field_bit(l->first) / 64]);
	if (l->first % LO_LINE_NODES + l->deg > LO_LINE_NODES)
		__builtin_prefetch(&t->line[(l->first / LO_LINE_NODES + 1) * LO_LINE_WORDS]);
	l->step = LO_LABEL;
	return 0;
}

/* One step of lane l; 1 when its answer is in out. */
static int lo_lane_step(const struct lo_table *t, struct lo_lane *l, uint64_t *out)
{
	uint64_t y;
	unsigned j;

	switch (l->step) {
	case LO_TOP:
		l->best = t->top[l->p].best;
		l->k = t->top[l->p].node;
		l->i = t->top_digits;
		if (l->k == LO_NONE)
			return lo_lane_finish(t, l, out);
		__builtin_prefetch(&t->line[l->k / LO_LINE_NODES * LO_LINE_WORDS]);
		l->step = LO_ROUTE;
		return 0;
	case LO_ROUTE:
		l->r = (unsigned)lo_has_route(t, l->k);
		return lo_lane_node(t, l, out);
	case LO_KIDS:
		return lo_lane_kids(t, l, out);
	case LO_LABEL:
		y = lo_fields(t, l->first, l->deg);
		j = lo_find_field(y, lo_lane_digit(l), l->deg);
		if (j == l->deg)
			return lo_lane_finish(t, l, out);
		l->r = (unsigned)(y >> (5 * j + 4)) & 1;
		l->k = l->first + j;
		l->i++;
		return lo_lane_node(t, l, out); /* k's line is one of those just read */
	case LO_TAIL:
		l->first = t->tsample[l->p / LO_SAMPLE];
		__builtin_prefetch(&t->tbits[l->first / 64]);
		l->step = LO_TBITS;
		return 0;
	case LO_TBITS:
		l->first = lo_select_from(t->tbits, l->first, (unsigned)(l->p % LO_SAMPLE), 0);
		__builtin_prefetch(&t->tdig[4 * (l->first - l->p) / 64]);
		l->step = LO_TDIG;
		return 0;
	case LO_TDIG:
		if (lo_tail_match(t, l->p, l->digits + l->i, l->len - l->i))
			l->best = l->k;
		return lo_lane_finish(t, l, out);
	case LO_BEST:
		l->p = lo_rank1(t, l->best) * t->cost_bits;
		__builtin_prefetch(&t->cost[l->p / 64]);
		l->step = LO_COST;
		return 0;
	case LO_COST:
		out[l->q] = t->dict.cost[sb_bits64(t->cost, l->p) & ((1ULL << t->cost_bits) - 1)];
		return 1;
	case LO_IDLE:
		return 0;
	}
	return 0;
}

/*
 * AMAC (Kocberber et al.): LO_LANES lookups in flight, each a small state machine whose every
 * step reads only what its previous step prefetched: a level of the trie is two dependent
 * loads (the LOUDS word the node's line points to, the children's line), so a lane takes two
 * rounds per digit while the other lanes' loads are in flight. Same walk as lo_lookup.
 */
static void lo_lookup_batch(const struct route_table *rt, size_t n, const char *const *digits,
			    const unsigned *len, uint64_t *out)
{
	const struct lo_table *t = (const struct lo_table *)rt;
	struct lo_lane lane[LO_LANES];
	size_t next = 0, live = 0;

	if (!t->built) {
		for (size_t i = 0; i < n; i++)
			out[i] = RT_NO_ROUTE;
		return;
	}
	for (size_t s = 0; s < LO_LANES; s++) {
		lane[s].step = LO_IDLE;
		if (next < n) {
			lo_lane_start(t, &lane[s], next, digits[next], len[next]);
			next++;
			live++;
		}
	}
	while (live) {
		for (size_t s = 0; s < LO_LANES; s++) {
			if (lane[s].step == LO_IDLE || !lo_lane_step(t, &lane[s], out))
				continue;
			lane[s].step = LO_IDLE;
			live--;
			if (next < n) {
				lo_lane_start(t, &lane[s], next, digits[next], len[next]);
				next++;
				live++;
			}
		}
	}
}

/* --- accounting ------------------------------------------------------------------------------- */

/* Before finalize, prefixes counts collected routes, duplicates included. */
static void lo_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct lo_table *t = (const struct lo_table *)rt;

	out->prefixes = t->built ? t->n_prefixes : t->in.n;
	if (!t->built) {
		rt_stats_add(out, "collected routes", t->in.n, t->in.cap * sizeof(*t->in.v));
		return;
	}
	out->nodes = t->n_nodes;
	rt_stats_add(out, "louds bits", t->n_nodes, t->n_louds_words * sizeof(*t->louds));
	rt_stats_add(out, "node lines (header, fields)", t->n_nodes,
		     t->n_line_words * sizeof(*t->line));
	rt_stats_add(out, "line group bases", t->n_bases, t->n_bases * sizeof(*t->lbase));
	if (t->tails)
		rt_stats_add(out, "tails (bits, samples, digits)", t->n_tail_digits,
			     (t->n_tbits_words + t->n_tdig_words) * 8 + t->n_tsamples * 4);
	rt_stats_add(out, "costs", t->n_prefixes, t->n_cost_words * sizeof(*t->cost));
	if (t->top)
		rt_stats_add(out, "root table", lo_top_entries(t->top_digits),
			     lo_top_entries(t->top_digits) * sizeof(*t->top));
	rt_stats_add(out, "cost dictionary", t->dict.n, t->dict.n * sizeof(*t->dict.cost));
}

static void lo_destroy(struct route_table *rt)
{
	struct lo_table *t = (struct lo_table *)rt;

	if (t->mapped) {
		free(t);
		return;
	}
	sb_routes_free(&t->in);
	lo_free_built(t);
	free(t->dict.cost);
	free(t);
}

const struct route_table_ops louds_ops = {
	.name = "louds",
	.summary = "succinct LOUDS trie: 2 bits + 5-bit digit/route field per node, 96 fields to "
		   "a cache line with its select/rank sample, leaf chains as 4-bit digit tails, "
		   "packed costs",
	.complexity = "build O(n L), lookup O(L) rank/select, space ~7.4 bits/node + 5 bits/tail "
		      "digit + log2(costs)/route",
	.ladder = 8,
	.create = lo_create,
	.insert = lo_insert,
	.finalize = lo_finalize,
	.lookup = lo_lookup,
	.stats = lo_stats,
	.destroy = lo_destroy,
	.lookup_batch = lo_lookup_batch,
	.image_write = lo_image_write,
	.image_open = lo_image_open,
};
