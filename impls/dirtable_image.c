/*
 * dirtable_image.c - the direct table as a route image: its arrays written as they are, and
 * checked when opened by one walk in the order the build laid them out (pages, sub-tables and
 * buckets in preorder), so every entry is seen once and the pools must tile exactly. O(image)
 * and mostly sequential; unverified (--no-verify), no walk at all: lookups check as they go.
 * Lesson: a layout with one canonical order is cheap to verify, and cheaper still not to.
 */
#include "dirtable.h"
#include "image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { DT_P_K, DT_P_COSTS, DT_P_SLOTS, DT_P_BKT, DT_P_SHORT, /* image params */
       DT_P_PAGES, DT_P_TABLES, DT_P_BUCKETS, DT_P_IN_BUCKETS }; /* these for stats only */
enum { DT_S_ANSWER, DT_S_TOP, DT_S_SLOT, DT_S_BKT, DT_S_SHORT_KEY, DT_S_SHORT_COST, DT_N_S };

int dt_image_write(const struct route_table *rt, struct rt_image_out *o)
{
	const struct dt_table *t = (const struct dt_table *)rt;

	if (!t->built)
		return -EINVAL;
	o->param[DT_P_K] = t->k;
	o->param[DT_P_COSTS] = t->dict.n;
	o->param[DT_P_SLOTS] = t->n_slots;
	o->param[DT_P_BKT] = t->n_bkt;
	o->param[DT_P_SHORT] = t->n_short;
	o->param[DT_P_PAGES] = t->n_pages;
	o->param[DT_P_TABLES] = t->n_tables;
	o->param[DT_P_BUCKETS] = t->n_buckets;
	o->param[DT_P_IN_BUCKETS] = t->n_in_buckets;
	rt_image_add(o, t->answer, (t->dict.n + 1) * sizeof(*t->answer));
	rt_image_add(o, t->top, dt_pow10[t->j] * sizeof(*t->top));
	rt_image_add(o, t->slot, t->n_slots * sizeof(*t->slot));
	rt_image_add(o, t->bkt, t->n_bkt ? t->n_bkt + DT_PAD : 0);
	rt_image_add(o, t->short_key, t->n_short * sizeof(*t->short_key));
	rt_image_add(o, t->short_cost, t->n_short * sizeof(*t->short_cost));
	return 0;
}

/* The walk: the next slot and bucket byte the preorder expects, and what it has counted. */
struct dt_walk {
	const struct dt_table *t;
	size_t n_answer, next_slot, next_bkt;
	size_t pages, tables, buckets, in_buckets;
};


/* With 4-byte cost codes: whether one of the bucket at b's m + 1 codes is not an answer. */
static int dt_walk_codes(const uint8_t *b, unsigned m, unsigned kb, size_t n_answer)
{
	for (unsigned i = 0; i <= m; i++) {
		const uint8_t *c = b + DT_HEAD + (i ? 4 + m * kb + (i - 1) * 4 : 0);
		uint32_t code = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
				(uint32_t)c[3] << 24;

		if (code >= n_answer)
			return 1;
	}
	return 0;
}

static const char *dt_walk_table(struct dt_walk *w, size_t at, size_t n, unsigned depth);

/*
 * Entries s[0..n), reached with depth digits read (top: the top table's, where pages may be).
 * Leaves and buckets, nearly all the entries, are checked inline with the walk's state in
 * locals; only tables recurse.
 *
 * A bucket must start where the previous one ended, have a known width and no digit count
 * above its key count (so a scan stays among its keys), and end inside the pool; with 4-byte
 * codes every code is checked (narrower ones index a padded answer[]). The counts are
 * compared all at once: each byte of guard - nibbles keeps its 0x10 bit only if that nibble
 * is at most the key count m.
 */
static const char *dt_walk_slots(struct dt_walk *w, const uint32_t *s, size_t n, unsigned depth,
				 int top)
{
	const uint64_t lanes = 0x0101010101ULL, nib = 0x0f0f0f0f0fULL, bit4 = 0x1010101010ULL;
	const struct dt_table *t = w->t;
	const size_t n_bkt = t->n_bkt, n_answer = w->n_answer;
	const unsigned cw = t->cw;
	size_t next = w->next_bkt, keys = 0, buckets = 0;
	uint64_t bad = 0;
	const char *why = NULL;

	for (size_t x = 0; x < n && !why; x++) {
		uint32_t e = s[x], v = DT_VAL(e);
		uint64_t head, guard;
		unsigned m, width;

		if (DT_TAG(e) == DT_LEAF) {
			bad |= v >= n_answer;
		} else if (DT_TAG(e) == DT_BUCKET) {
			if (v != next || v + DT_HEAD + cw > n_bkt)
				return "a bucket is out of place";
			memcpy(&head, t->bkt + v, sizeof(head)); /* the pool's DT_PAD covers it */
			m = (unsigned)(head >> 36) & 15;
			width = (unsigned)(head >> 40) & 255;
			guard = (uint64_t)m * lanes | bit4;
			next = v + DT_HEAD + cw + m * ((width + 2) / 2 + cw);
			keys += m;
			buckets++;
			if (next > n_bkt || (cw == 4 && dt_walk_codes(t->bkt + v, m, (width + 2) / 2,
								       n_answer)))
				return "a bucket is malformed";
			bad |= (((guard - (head & nib)) & (guard - ((head >> 4) & nib)) & bit4) !=
				bit4) |
			       (width - 1 >= RT_MAX_DIGITS);
		} else if (DT_TAG(e) == DT_PAGE) {
			w->next_bkt = next;
			w->pages++;
			why = top ? dt_walk_table(w, v, dt_pow10[t->p], depth + t->p) :
				    "a page below the top table";
			next = w->next_bkt;
		} else {
			w->next_bkt = next;
			w->tables++;
			why = depth < RT_MAX_DIGITS ? dt_walk_table(w, v, DT_TABLE_SLOTS, depth + 1) :
						      "sub-tables deeper than a number";
			next = w->next_bkt;
		}
	}
	w->next_bkt = next;
	w->in_buckets += keys;
	w->buckets += buckets;
	return why ? why : bad ? "a leaf or a bucket is malformed" : NULL;
}

/* A page or a sub-table (10 slots and a leaf default) at its preorder place in the pool. */
static const char *dt_walk_table(struct dt_walk *w, size_t at, size_t n, unsigned depth)
{
	const uint32_t *slot = w->t->slot;

	if (at != w->next_slot || n > w->t->n_slots - at)
		return "a table is out of place";
	w->next_slot += n;
	if (n == DT_TABLE_SLOTS && DT_TAG(slot[at + 10]) != DT_LEAF)
		return "a sub-table's default is not a leaf";
	return dt_walk_slots(w, slot + at, n, depth, 0);
}

/* Parameters, section sizes, then the walk over every entry. */
static const char *dt_image_check(const struct rt_image_in *in, struct dt_table *t)
{
	struct dt_walk w = { .t = t };
	uint64_t k = in->param[DT_P_K], costs = in->param[DT_P_COSTS];
	const char *why;

	if (in->n_sections != DT_N_S || k < 1 || k > DT_MAX_K || costs >= DT_MAX_VAL ||
	    in->param[DT_P_SLOTS] > DT_MAX_VAL || in->param[DT_P_BKT] > DT_MAX_VAL ||
	    in->param[DT_P_SHORT] > SIZE_MAX / 16)
		return "bad dirtable parameters";
	t->k = (unsigned)k;
	t->p = t->k < DT_PAGE_DIGITS ? t->k : DT_PAGE_DIGITS;
	t->j = t->k - t->p;
	t->cw = costs <= 0xff ? 1 : costs <= 0xffff ? 2 : 4;
	t->n_slots = in->param[DT_P_SLOTS];
	t->n_bkt = in->param[DT_P_BKT];
	t->n_short = in->param[DT_P_SHORT];
	w.n_answer = costs + 1;
	if (in->size[DT_S_ANSWER] != w.n_answer * sizeof(uint64_t) ||
	    in->size[DT_S_TOP] != dt_pow10[t->j] * sizeof(uint32_t) ||
	    in->size[DT_S_SLOT] != t->n_slots * sizeof(uint32_t) ||
	    in->size[DT_S_BKT] != (t->n_bkt ? t->n_bkt + DT_PAD : 0) ||
	    in->size[DT_S_SHORT_KEY] != t->n_short * sizeof(uint64_t) ||
	    in->size[DT_S_SHORT_COST] != t->n_short * sizeof(uint32_t))
		return "a dirtable section has the wrong size";
	t->top = (uint32_t *)in->data[DT_S_TOP];
	t->slot = (uint32_t *)in->data[DT_S_SLOT];
	t->bkt = (uint8_t *)in->data[DT_S_BKT];
	t->short_key = (uint64_t *)in->data[DT_S_SHORT_KEY];
	t->short_cost = (uint32_t *)in->data[DT_S_SHORT_COST];
	if (((const uint64_t *)in->data[DT_S_ANSWER])[0] != RT_NO_ROUTE)
		return "the no-route answer is missing";
	for (size_t i = 0; i < t->n_short; i++)
		if (t->short_cost[i] >= w.n_answer)
			return "a short route's cost is not in the dictionary";
	if (in->flags & RT_IMAGE_NO_VERIFY) { /* no walk: dt_lookup_checked instead */
		t->checked = 1;
		t->n_pages = in->param[DT_P_PAGES];
		t->n_tables = in->param[DT_P_TABLES];
		t->n_buckets = in->param[DT_P_BUCKETS];
		t->n_in_buckets = in->param[DT_P_IN_BUCKETS];
		return t->n_pages <= t->n_slots / dt_pow10[t->p] ? NULL : "bad dirtable counts";
	}
	if ((why = dt_walk_slots(&w, t->top, dt_pow10[t->j], t->j, 1)) != NULL)
		return why;
	if (w.next_slot != t->n_slots || w.next_bkt != t->n_bkt)
		return "slots or buckets that no entry reaches";
	t->n_pages = w.pages;
	t->n_tables = w.tables;
	t->n_buckets = w.buckets;
	t->n_in_buckets = w.in_buckets;
	return NULL;
}

int dt_image_open(const struct rt_image_in *in, struct route_table **out, const char **why)
{
	struct dt_table *t = calloc(1, sizeof(*t));
	size_t n_answer;

	if (!t)
		return -ENOMEM;
	if ((*why = dt_image_check(in, t)) != NULL) {
		free(t);
		return -EINVAL;
	}
	/* answer[] grows to every code a bucket's cw bytes can hold: none needs a check */
	t->dict.n = in->param[DT_P_COSTS];
	t->cmask = t->cw == 4 ? UINT32_MAX : (1u << (8 * t->cw)) - 1;
	n_answer = t->cw == 4 ? t->dict.n + 1 : (size_t)t->cmask + 1;
	if (!(t->answer = malloc(n_answer * sizeof(*t->answer)))) {
		free(t);
		return -ENOMEM;
	}
	memcpy(t->answer, in->data[DT_S_ANSWER], (t->dict.n + 1) * sizeof(*t->answer));
	for (size_t i = t->dict.n + 1; i < n_answer; i++)
		t->answer[i] = RT_NO_ROUTE;
	t->base.ops = &dirtable_ops;
	t->div_k = (uint32_t)dt_pow10[8 - t->k];
	t->div_j = (uint32_t)dt_pow10[8 - t->j];
	t->cap_slots = t->n_slots;
	t->cap_bkt = in->size[DT_S_BKT];
	t->n_prefixes = in->prefixes;
	t->built = t->mapped = 1;
	*out = &t->base;
	return 0;
}
