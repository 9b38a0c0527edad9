/*
 * test_concurrency.c - lookups from several threads at once, on every registered implementation
 * (answers compared with the single-threaded ones), and readers on every implementation with
 * update while a writer applies deltas, publishes each version with a release store, waits a
 * grace period (per-reader counters) and retires. `make test-tsan` runs it under ThreadSanitizer.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry.h"
#include "route_table.h"

#define THREADS 4
#define READERS 3
#define ROUTES 3000
#define NUMBERS 512
#define VERSIONS 40
#define CHANGES 100
#define KEY_DIGITS 8      /* routes: 0..8 digits of '1'..'4'; numbers add '5', which no route has */
#define MODEL_SLOTS 87381 /* (4^9 - 1) / 3: every key of 0..8 digits of four */

struct number {
	char d[RT_MAX_DIGITS];
	unsigned len;
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The model: the merged route set, one cost (or RT_NO_ROUTE) per possible key. */
static size_t model_slot(const char *d, unsigned len)
{
	size_t offset = 0, value = 0, width = 1;

	for (unsigned i = 0; i < len; i++, width *= 4) {
		offset += width;
		value = value * 4 + (size_t)(d[i] - '1');
	}
	return offset + value;
}

static uint64_t model_lookup(const uint64_t *model, const struct number *n)
{
	uint64_t best = model[0];

	for (unsigned l = 1; l <= n->len && l <= KEY_DIGITS && n->d[l - 1] != '5'; l++)
		if (model[model_slot(n->d, l)] != RT_NO_ROUTE)
			best = model[model_slot(n->d, l)];
	return best;
}

static void random_key(uint64_t *s, char *d, uint8_t *len)
{
	*len = (uint8_t)(splitmix64(s) % (KEY_DIGITS + 1));
	for (unsigned i = 0; i < *len; i++)
		d[i] = (char)('1' + splitmix64(s) % 4);
}

/* Everything both tests read: the routes, the numbers, and each version's delta and answers. */
struct world {
	uint64_t *model;
	struct number numbers[NUMBERS];
	struct rt_change delta[VERSIONS][CHANGES];
	uint64_t want[VERSIONS][NUMBERS]; /* version v's answers (v = 0: the routes as built) */
	char route_d[ROUTES][RT_MAX_DIGITS];
	uint8_t route_len[ROUTES];
	uint64_t route_cost[ROUTES];
};

static void world_init(struct world *w)
{
	uint64_t s = 2024;

	w->model = malloc(MODEL_SLOTS * sizeof(*w->model));
	assert_non_null(w->model);
	for (size_t i = 0; i < MODEL_SLOTS; i++)
		w->model[i] = RT_NO_ROUTE;
	for (int i = 0; i < ROUTES; i++) {
		size_t slot;

		random_key(&s, w->route_d[i], &w->route_len[i]);
		w->route_cost[i] = splitmix64(&s) % 1000;
		slot = model_slot(w->route_d[i], w->route_len[i]);
		if (w->route_cost[i] < w->model[slot])
			w->model[slot] = w->route_cost[i];
	}
	for (int i = 0; i < NUMBERS; i++) {
		w->numbers[i].len = 1 + (unsigned)(splitmix64(&s) % 10);
		for (unsigned j = 0; j < w->numbers[i].len; j++)
			w->numbers[i].d[j] = (char)('1' + splitmix64(&s) % 5);
	}
	for (int v = 0; v < VERSIONS; v++) {
		for (int c = 0; v > 0 && c < CHANGES; c++) {
			struct rt_change *ch = &w->delta[v][c];
			size_t slot;

			ch->kind = splitmix64(&s) % 2 ? RT_SET : RT_REMOVE;
			random_key(&s, ch->digits, &ch->len);
			ch->cost = splitmix64(&s) % 1000;
			slot = model_slot(ch->digits, ch->len);
			w->model[slot] = ch->kind == RT_SET ? ch->cost : RT_NO_ROUTE;
		}
		for (int i = 0; i < NUMBERS; i++)
			w->want[v][i] = model_lookup(w->model, &w->numbers[i]);
	}
}

static struct route_table *world_build(const struct world *w, const struct route_table_ops *ops)
{
	struct route_table *t = NULL;

	assert_int_equal(rt_create(ops, &t), 0);
	for (int i = 0; i < ROUTES; i++)
		assert_int_equal(rt_insert(t, w->route_d[i], w->route_len[i], w->route_cost[i]), 0);
	assert_int_equal(rt_finalize(t), 0);
	return t;
}

/* --- (a) lookups on every implementation from several threads at once --------------------- */

struct lookups {
	const struct world *w;
	struct route_table *tables[64];
	size_t n;
	pthread_barrier_t barrier;
	atomic_size_t mismatches;
	atomic_size_t checked;
};

struct lookup_arg {
	struct lookups *l;
	unsigned id;
};

static void price_all(struct lookups *l, size_t table, unsigned from)
{
	size_t bad = 0;

	for (size_t k = 0; k < NUMBERS; k++) {
		const struct number *n = &l->w->numbers[(k + from * 97) % NUMBERS];

		bad += rt_lookup(l->tables[table], n->d, n->len) !=
		       l->w->want[0][(k + from * 97) % NUMBERS];
	}
	atomic_fetch_add(&l->mismatches, bad);
	atomic_fetch_add(&l->checked, NUMBERS);
}

/* Every thread on the same table at once, table by table; then each on a different one. */
static void *lookup_thread(void *p)
{
	struct lookup_arg *a = p;
	struct lookups *l = a->l;

	for (size_t t = 0; t < l->n; t++) {
		pthread_barrier_wait(&l->barrier);
		price_all(l, t, a->id);
	}
	pthread_barrier_wait(&l->barrier);
	for (int round = 0; round < 2; round++)
		for (size_t t = 0; t < l->n; t++)
			price_all(l, (t + a->id) % l->n, a->id);
	return NULL;
}

static void test_concurrent_lookups(void **state)
{
	static struct world w;
	struct lookups l = {.w = &w, .n = rt_registry_count};
	struct lookup_arg args[THREADS];
	pthread_t th[THREADS];

	(void)state;
	world_init(&w);
	assert_true(rt_registry_count <= 64);
	for (size_t r = 0; r < rt_registry_count; r++) {
		l.tables[r] = world_build(&w, rt_registry[r]);
		for (int i = 0; i < NUMBERS; i++) /* single-threaded first: the model's answers */
			if (rt_lookup(l.tables[r], w.numbers[i].d, w.numbers[i].len) !=
			    w.want[0][i])
				fail_msg("%s: number %d: not the model's answer, single-threaded",
					 rt_registry[r]->name, i);
	}
	atomic_init(&l.mismatches, 0);
	atomic_init(&l.checked, 0);
	assert_int_equal(pthread_barrier_init(&l.barrier, NULL, THREADS), 0);
	for (unsigned i = 0; i < THREADS; i++) {
		args[i] = (struct lookup_arg){&l, i};
		assert_int_equal(pthread_create(&th[i], NULL, lookup_thread, &args[i]), 0);
	}
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&l.barrier);
	if (atomic_load(&l.mismatches) != 0)
		fail_msg("%zu of %zu concurrent lookups differ from the single-threaded answers",
			 atomic_load(&l.mismatches), atomic_load(&l.checked));
	assert_int_equal(atomic_load(&l.checked),
			 (size_t)THREADS * 3 * rt_registry_count * NUMBERS);
	for (size_t r = 0; r < rt_registry_count; r++)
		rt_destroy(l.tables[r]);
	free(w.model);
}

/* --- (b) readers while a writer updates, publishes, waits a grace period and retires ------- */

struct version {
	struct route_table *t;
	size_t v; /* which of world.want it must answer */
};

struct reader {
	pthread_t th;
	atomic_ulong seq;   /* odd while inside a read section */
	atomic_size_t seen; /* the newest version it has finished reading */
	struct live *live;
	unsigned id;
};

struct live {
	const struct world *w;
	_Atomic(struct version *) cur;
	atomic_int done;
	atomic_size_t mismatches;
	struct reader readers[READERS];
};

/* One read section per pass: enter, load the version, price a slice of numbers, leave. */
static void *reader_thread(void *p)
{
	struct reader *r = p;
	struct live *live = r->live;
	size_t from = r->id * 131;

	while (!atomic_load(&live->done)) {
		atomic_fetch_add(&r->seq, 1); /* seq_cst: ordered before the load of cur */
		struct version *v = atomic_load(&live->cur);
		size_t bad = 0;

		for (size_t k = 0; k < NUMBERS / 4; k++, from++) {
			const struct number *n = &live->w->numbers[from % NUMBERS];

			bad += rt_lookup(v->t, n->d, n->len) != live->w->want[v->v][from % NUMBERS];
		}
		if (bad)
			atomic_fetch_add(&live->mismatches, bad);
		atomic_store_explicit(&r->seen, v->v, memory_order_release);
		atomic_fetch_add_explicit(&r->seq, 1, memory_order_release);
	}
	return NULL;
}

/* Wait until every reader inside a read section when it began has left it. */
static void grace_period(struct live *live)
{
	for (int i = 0; i < READERS; i++) {
		unsigned long s = atomic_load(&live->readers[i].seq);

		if (s & 1)
			while (atomic_load(&live->readers[i].seq) == s)
				sched_yield();
	}
}

/* Until every reader has read version v (so each version meets the readers). */
static void wait_seen(struct live *live, size_t v)
{
	for (int i = 0; i < READERS; i++)
		while (atomic_load_explicit(&live->readers[i].seen, memory_order_acquire) < v)
			sched_yield();
}

static void writer(struct live *live, const struct route_table_ops *ops)
{
	struct version *cur = malloc(sizeof(*cur));

	assert_non_null(cur);
	*cur = (struct version){world_build(live->w, ops), 0};
	atomic_store(&live->cur, cur);
	for (int i = 0; i < READERS; i++) {
		struct reader *r = &live->readers[i];

		assert_int_equal(pthread_create(&r->th, NULL, reader_thread, r), 0);
	}
	for (size_t v = 1; v < VERSIONS; v++) {
		const struct rt_change *delta = live->w->delta[v];
		struct version *next = malloc(sizeof(*next));
		struct route_table *gone = NULL;
		size_t absent;

		assert_non_null(next);
		/* readers stay in cur while update reads it; abandoning costs cur nothing */
		assert_int_equal(rt_update(cur->t, delta, CHANGES, &gone, &absent), 0);
		rt_destroy(gone);
		assert_int_equal(rt_update(cur->t, delta, CHANGES, &next->t, &absent), 0);
		next->v = v;
		/* seq_cst: a release store, and ordered before the loads of grace_period */
		atomic_store(&live->cur, next);
		grace_period(live);
		rt_retire(next->t); /* readers are in next, on the nodes it shares with cur */
		free(cur);
		cur = next;
		wait_seen(live, v);
	}
	atomic_store(&live->done, 1);
	for (int i = 0; i < READERS; i++)
		pthread_join(live->readers[i].th, NULL);
	rt_destroy(cur->t);
	free(cur);
}

static void test_readers_during_updates(void **state)
{
	static struct world w;
	size_t tested = 0;

	(void)state;
	world_init(&w);
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct live *live = calloc(1, sizeof(*live));

		if (!rt_can_update(rt_registry[r])) {
			free(live);
			continue;
		}
		assert_non_null(live);
		live->w = &w;
		for (unsigned i = 0; i < READERS; i++) {
			live->readers[i].live = live;
			live->readers[i].id = i;
		}
		writer(live, rt_registry[r]);
		if (atomic_load(&live->mismatches) != 0)
			fail_msg("%s: %zu answers differ from the version the reader loaded",
				 rt_registry[r]->name, atomic_load(&live->mismatches));
		free(live);
		tested++;
	}
	free(w.model);
	if (tested == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_lookups),
		cmocka_unit_test(test_readers_during_updates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
