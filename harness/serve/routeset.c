/*
 * routeset.c - the rebuild path's copy of a carrier's routes: a sorted array of packed keys.
 *
 * Loading sorts once (O(n log n)); a delta is sorted on its own (stable: lines apply in
 * order) and merged in one linear pass, so a 1% delta on 10M routes costs a copy, not a sort.
 * Lesson: when the structure cannot change in place, keep its input in a form that can.
 */
#include "routeset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rt_key.h"

static int cmp_route(const void *a, const void *b)
{
	const struct serve_route *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->cost < y->cost ? -1 : x->cost > y->cost;
}

int serve_routeset_from(const struct ds_routes *r, struct serve_routeset *out)
{
	struct serve_route *v = malloc((r->n ? r->n : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		v[i].key = rt_key_pack(r->v[i].digits, r->v[i].len);
		v[i].cost = r->v[i].cost;
	}
	qsort(v, r->n, sizeof(*v), cmp_route);
	for (size_t i = 0; i < r->n; i++)
		if (n == 0 || v[n - 1].key != v[i].key)
			v[n++] = v[i]; /* the lowest cost of a key sorts first */
	out->v = v;
	out->n = n;
	return 0;
}

/* A change's key and its position in the delta, so equal keys keep their order. */
struct keyed_change {
	uint64_t key;
	size_t order;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed_change *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int serve_routeset_merge(const struct serve_routeset *base, const struct rt_change *changes,
			 size_t n, struct serve_routeset *out, size_t *n_absent)
{
	struct keyed_change *k = malloc((n ? n : 1) * sizeof(*k));
	struct serve_route *v = malloc((base->n + n ? base->n + n : 1) * sizeof(*v));
	size_t i = 0, j = 0, m = 0, absent = 0;

	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	for (size_t c = 0; c < n; c++) {
		k[c].key = rt_key_pack(changes[c].digits, changes[c].len);
		k[c].order = c;
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	while (j < n) {
		uint64_t key = k[j].key, cost = RT_NO_ROUTE;

		while (i < base->n && base->v[i].key < key)
			v[m++] = base->v[i++];
		if (i < base->n && base->v[i].key == key)
			cost = base->v[i++].cost;
		for (; j < n && k[j].key == key; j++) {
			const struct rt_change *c = &changes[k[j].order];

			if (c->kind == RT_SET)
				cost = c->cost;
			else if (cost == RT_NO_ROUTE)
				absent++;
			else
				cost = RT_NO_ROUTE;
		}
		if (cost != RT_NO_ROUTE) {
			v[m].key = key;
			v[m++].cost = cost;
		}
	}
	while (i < base->n)
		v[m++] = base->v[i++];
	free(k);
	out->v = v;
	out->n = m;
	*n_absent = absent;
	return 0;
}

int serve_routeset_routes(const struct serve_routeset *s, struct ds_routes *out)
{
	struct ds_route *v = malloc((s->n ? s->n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		unsigned len = rt_key_len(s->v[i].key);
		uint64_t value = s->v[i].key & ((1ULL << 56) - 1);

		memset(&v[i], 0, sizeof(v[i]));
		v[i].len = (uint8_t)len;
		v[i].cost = s->v[i].cost;
		for (unsigned d = len; d > 0; d--, value /= 10)
			v[i].digits[d - 1] = (char)('0' + value % 10);
	}
	memset(out, 0, sizeof(*out));
	out->v = v;
	out->n = out->cap = s->n;
	return 0;
}

void serve_routeset_free(struct serve_routeset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
