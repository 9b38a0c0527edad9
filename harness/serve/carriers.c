/*
 * carriers.c - RCU publication of each carrier's table (liburcu, the urcu-bp flavour).
 *
 * urcu-bp because libmicrohttpd owns the reader threads: bp registers a thread on its first
 * read section and unregisters it at thread exit by itself, where urcu-memb would need a
 * register call in every thread MHD starts (and an unregister before each exits). Its read
 * side is a registration check and one thread-local store per lock and unlock, fenced only
 * by compiler barriers where the kernel has membarrier (the writer's syscall fences for it).
 * Writers: one at a time; rebuild merges into a sorted route set and builds a new table,
 * inplace asks the table for its next version (rt_update).
 */
#include "carriers.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu-bp.h>

#include "build.h"
#include "clock.h"

void serve_read_lock(void)
{
	urcu_bp_read_lock();
}

void serve_read_unlock(void)
{
	urcu_bp_read_unlock();
}

void serve_snapshot(const struct serve_state *s, const struct serve_version **out)
{
	for (size_t k = 0; k < s->n; k++)
		out[k] = rcu_dereference(s->c[k].cur);
}

uint64_t serve_lookup(const struct serve_version *const *vs, size_t n, const char *digits,
		      unsigned len, size_t *carrier)
{
	uint64_t best = RT_NO_ROUTE;
	size_t who = 0;

	for (size_t k = 0; k < n; k++) {
		uint64_t c = rt_lookup(vs[k]->table, digits, len);

		if (c < best) {
			best = c;
			who = k + 1;
		}
	}
	*carrier = who;
	return best;
}

static void set_err(struct ds_error *e, const char *path, const char *fmt, const char *a,
		    const char *b)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->what, sizeof(e->what), fmt, a, b);
}

/* Fill v around table, its stats read now: before any reader can see it. */
static void version_fill(struct serve_version *v, struct route_table *table, uint64_t version)
{
	struct rt_stats st;

	rt_stats(table, &st);
	v->table = table;
	v->version = version;
	v->routes = st.prefixes;
	v->table_bytes = st.total_bytes;
}

/*
 * Read path and build its table (and, rebuild mode, its route set). 0, or with *err set
 * -EINVAL (a bad line, or no routes), -EIO (the file cannot be read) or -ENOMEM.
 */
static int load_file(const struct serve_state *s, const char *path, struct route_table **table,
		     struct serve_routeset *set, struct serve_timings *t, struct ds_error *err)
{
	struct ds_routes r = { 0 };
	double t0 = rb_now_ms();
	int rc;

	if (ds_load_routes(path, 0, &r, err) != 0) {
		rc = err->line ? -EINVAL : -EIO;
		goto fail;
	}
	if (r.n == 0) {
		set_err(err, path, "no routes in the file%s%s", "", "");
		rc = -EINVAL;
		goto fail;
	}
	t->parse_ms = rb_now_ms() - t0;
	t0 = rb_now_ms();
	memset(set, 0, sizeof(*set));
	rc = s->inplace ? 0 : serve_routeset_from(&r, set);
	if (rc == 0)
		rc = pricing_build_table(s->ops, &r, table);
	if (rc != 0) {
		serve_routeset_free(set);
		set_err(err, path, "cannot build the %s table: %s", s->ops->name, strerror(-rc));
		goto fail;
	}
	t->build_ms = rb_now_ms() - t0;
	ds_routes_free(&r);
	return 0;
fail:
	ds_routes_free(&r);
	return rc;
}

static void carrier_free(struct serve_carrier *c)
{
	if (c->cur) {
		rt_destroy(c->cur->table);
		free(c->cur);
	}
	serve_routeset_free(&c->set);
	pthread_mutex_destroy(&c->stats_lock);
}

int serve_state_init(struct serve_state *s, const struct route_table_ops *ops, int inplace,
		     const char *const *paths, size_t n, FILE *log, struct ds_error *err)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->inplace = inplace;
	s->c = calloc(n ? n : 1, sizeof(*s->c));
	if (!s->c) {
		set_err(err, "serve", "out of memory%s%s", "", "");
		return -1;
	}
	pthread_mutex_init(&s->update_lock, NULL);
	for (; s->n < n; s->n++) {
		struct serve_carrier *c = &s->c[s->n];
		struct route_table *table;
		struct serve_timings t = { 0 };

		c->path = paths[s->n];
		pthread_mutex_init(&c->stats_lock, NULL);
		if (log)
			fprintf(log, "serve: carrier %zu: loading %s\n", s->n + 1, c->path);
		c->cur = calloc(1, sizeof(*c->cur));
		if (!c->cur || load_file(s, c->path, &table, &c->set, &t, err) != 0) {
			if (!c->cur)
				set_err(err, c->path, "out of memory%s%s", "", "");
			free(c->cur);
			c->cur = NULL;
			s->n++;
			serve_state_free(s);
			return -1;
		}
		version_fill(c->cur, table, 1);
		if (log)
			fprintf(log, "serve: carrier %zu: %zu routes, %.1f MB table, parsed in "
				     "%.0f ms, built in %.0f ms\n", s->n + 1, c->cur->routes,
				(double)c->cur->table_bytes / 1e6, t.parse_ms, t.build_ms);
	}
	return 0;
}

void serve_state_free(struct serve_state *s)
{
	for (size_t k = 0; k < s->n; k++)
		carrier_free(&s->c[k]);
	if (s->c)
		pthread_mutex_destroy(&s->update_lock);
	free(s->c);
	memset(s, 0, sizeof(*s));
}

/*
 * Give the pages of a destroyed table back to the kernel. glibc keeps freed chunks in its
 * arenas, and a rebuilt table's nodes sit above the old one's, so without this a server's RSS
 * stays above two tables after its first rebuild (seen: +1.27 GB at 10M lazytrie; three
 * tables' worth after three rebuilds at 1M). malloc_trim madvises every whole free page away:
 * about a second per GB on this VM, on the writer thread after the new version is visible,
 * and the next rebuild faults the pages in again. So it is serve --trim, not the default.
 * jemalloc (LD_PRELOAD) returns freed pages by itself, over seconds.
 */
static void give_back_pages(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * Make nv (filled around its table) carrier k's current version, wait out the readers of
 * the old one and free it: retire (the old one was nv's inplace predecessor) or destroy.
 * next_set, when not NULL, becomes the carrier's route set. Under update_lock. Never fails.
 */
static void publish(struct serve_state *s, size_t k, struct serve_version *nv, int retire,
		    struct serve_routeset *next_set, double t_received,
		    struct serve_update_result *res)
{
	struct serve_carrier *c = &s->c[k];
	struct serve_version *old = c->cur;
	double t0 = rb_now_ms(), t1;

	rcu_assign_pointer(c->cur, nv);
	t1 = rb_now_ms();
	res->visible_ms = t1 - t_received;
	res->t.publish_ms += t1 - t0;
	urcu_bp_synchronize_rcu();
	res->t.grace_ms = rb_now_ms() - t1;
	if (retire)
		rt_retire(nv->table);
	else
		rt_destroy(old->table);
	free(old);
	if (!retire && s->trim)
		give_back_pages();
	if (next_set) {
		serve_routeset_free(&c->set);
		c->set = *next_set;
	}
	res->version = nv->version;
	res->routes = nv->routes;
}

/* Close res's timings and record them as carrier k's last update. */
static void record(struct serve_state *s, size_t k, double t_start,
		   struct serve_update_result *res)
{
	struct serve_carrier *c = &s->c[k];

	res->t.total_ms = rb_now_ms() - t_start;
	pthread_mutex_lock(&c->stats_lock);
	c->updates++;
	c->has_last = 1;
	c->last = res->t;
	pthread_mutex_unlock(&c->stats_lock);
}

/* The next table of carrier k by merging d into its route set and rebuilding. 0 or -errno. */
static int rebuild_next(struct serve_state *s, size_t k, const struct serve_delta *d,
			struct route_table **next, struct serve_routeset *next_set,
			size_t *absent)
{
	struct ds_routes r;
	int rc = serve_routeset_merge(&s->c[k].set, d->v, d->n, next_set, absent);

	if (rc != 0)
		return rc;
	rc = serve_routeset_routes(next_set, &r);
	if (rc == 0) {
		rc = pricing_build_table(s->ops, &r, next);
		ds_routes_free(&r);
	}
	if (rc != 0)
		serve_routeset_free(next_set);
	return rc;
}

int serve_apply_delta(struct serve_state *s, size_t k, const char *buf, size_t len,
		      double t_received, struct serve_update_result *res,
		      struct serve_line_error *err)
{
	struct serve_delta d = { 0 };
	struct serve_routeset next_set = { 0 };
	struct serve_version *nv = NULL;
	struct route_table *next;
	double t_start, t0;
	size_t absent = 0;
	int rc;

	pthread_mutex_lock(&s->update_lock);
	t_start = rb_now_ms();
	memset(res, 0, sizeof(*res));
	rc = serve_parse_delta(buf, len, &d, err);
	if (rc != 0)
		goto out;
	t0 = rb_now_ms();
	res->t.parse_ms = t0 - t_start;
	nv = calloc(1, sizeof(*nv));
	if (!nv)
		rc = -ENOMEM;
	else if (s->inplace)
		rc = rt_update(s->c[k].cur->table, d.v, d.n, &next, &absent);
	else
		rc = rebuild_next(s, k, &d, &next, &next_set, &absent);
	if (rc != 0) {
		err->line = 0;
		snprintf(err->what, sizeof(err->what), "cannot apply the delta: %s", strerror(-rc));
		free(nv);
		goto out;
	}
	res->t.build_ms = rb_now_ms() - t0;
	t0 = rb_now_ms();
	version_fill(nv, next, s->c[k].cur->version + 1);
	res->t.publish_ms = rb_now_ms() - t0;
	publish(s, k, nv, s->inplace, s->inplace ? NULL : &next_set, t_received, res);
	res->applied = d.n;
	res->absent = absent;
	record(s, k, t_start, res);
out:
	pthread_mutex_unlock(&s->update_lock);
	serve_delta_free(&d);
	return rc;
}

int serve_reload(struct serve_state *s, size_t k, double t_received,
		 struct serve_update_result *res, struct ds_error *err)
{
	struct serve_routeset next_set = { 0 };
	struct serve_version *nv = calloc(1, sizeof(*nv));
	struct route_table *next;
	double t_start, t0;
	int rc;

	if (!nv) {
		set_err(err, s->c[k].path, "out of memory%s%s", "", "");
		return -ENOMEM;
	}
	pthread_mutex_lock(&s->update_lock);
	t_start = rb_now_ms();
	memset(res, 0, sizeof(*res));
	rc = load_file(s, s->c[k].path, &next, &next_set, &res->t, err);
	if (rc != 0) {
		pthread_mutex_unlock(&s->update_lock);
		free(nv);
		return rc;
	}
	t0 = rb_now_ms();
	version_fill(nv, next, s->c[k].cur->version + 1);
	res->t.publish_ms = rb_now_ms() - t0;
	publish(s, k, nv, 0, s->inplace ? NULL : &next_set, t_received, res);
	record(s, k, t_start, res);
	pthread_mutex_unlock(&s->update_lock);
	return 0;
}

int serve_last_update(struct serve_state *s, size_t k, uint64_t *updates,
		      struct serve_timings *last)
{
	struct serve_carrier *c = &s->c[k];
	int has;

	pthread_mutex_lock(&c->stats_lock);
	*updates = c->updates;
	has = c->has_last;
	*last = c->last;
	pthread_mutex_unlock(&c->stats_lock);
	return has;
}
