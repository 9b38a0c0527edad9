/*
 * carriers.h - the tables `serve` answers from, one per carrier, each published through RCU:
 * readers never lock (a read section, one pointer load per carrier), writers build or update
 * beside the live table under one update lock, publish with one pointer store, and free the
 * old version after a grace period. The lesson: a change is atomic because it is one store.
 */
#ifndef ROUTEBENCH_SERVE_CARRIERS_H
#define ROUTEBENCH_SERVE_CARRIERS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "delta.h"
#include "load.h"
#include "route_table.h"
#include "routeset.h"

/* How long each step of an update took, in milliseconds. */
struct serve_timings {
	double parse_ms;   /* the delta body, or the route file */
	double build_ms;   /* merge + pricing_build_table (rebuild), or rt_update (inplace) */
	double publish_ms; /* the table's stats and the pointer store */
	double grace_ms;   /* synchronize_rcu: until no reader can hold the old version */
	double total_ms;   /* all of it, freeing the old version included */
};

/* One published version of one carrier: immutable once readers can see it. */
struct serve_version {
	struct route_table *table;
	uint64_t version; /* 1 when loaded at start, +1 per delta or reload */
	size_t routes;    /* rt_stats prefixes */
	size_t table_bytes;
};

struct serve_carrier {
	const char *path;            /* the file given at start: reloads read only this */
	struct serve_version *cur;   /* RCU-protected: rcu_dereference inside a read section */
	struct serve_routeset set;   /* rebuild mode: the current routes (writer side only) */
	pthread_mutex_t stats_lock;  /* guards the three fields below (never on a lookup path) */
	uint64_t updates;            /* deltas and reloads applied */
	int has_last;
	struct serve_timings last;
};

#define SERVE_MAX_CARRIERS 64 /* carriers one server holds (a snapshot lives on the stack) */

struct serve_state {
	const struct route_table_ops *ops;
	int inplace;                 /* deltas through rt_update; else merge and rebuild */
	int trim;                    /* after a rebuild, give the old table's pages back */
	size_t n;                    /* carriers */
	struct serve_carrier *c;
	pthread_mutex_t update_lock; /* one writer at a time, across all carriers */
};

/* What one update did. */
struct serve_update_result {
	uint64_t version;
	size_t applied, absent; /* delta lines applied; removals of an absent prefix */
	size_t routes;
	double visible_ms;      /* from t_received to the pointer store */
	struct serve_timings t;
};

/*
 * Load and build every carrier paths[0..n) with ops (inplace: deltas use rt_update, which
 * the caller checked rt_can_update for). Progress lines go to log unless NULL. 0, or -1 with
 * *err saying which file and line, as `routebench price` would (then nothing is left held).
 */
int serve_state_init(struct serve_state *s, const struct route_table_ops *ops, int inplace,
		     const char *const *paths, size_t n, FILE *log, struct ds_error *err);
/* Free every table. Only once no reader or writer is running. */
void serve_state_free(struct serve_state *s);

/* The read side: any thread, any number at once, no registration (urcu-bp). */
void serve_read_lock(void);
void serve_read_unlock(void);
/* Each carrier's current version into out[0..s->n); valid until serve_read_unlock. */
void serve_snapshot(const struct serve_state *s, const struct serve_version **out);
/*
 * The cheapest carrier's cost for digits[0..len) over the snapshot vs[0..n), the first
 * carrier winning a tie, or RT_NO_ROUTE; *carrier is its 1-based index, 0 when none.
 */
uint64_t serve_lookup(const struct serve_version *const *vs, size_t n, const char *digits,
		      unsigned len, size_t *carrier);

/*
 * Apply a delta body buf[0..len) to carrier k (0-based) as its next version: all of it or,
 * on a bad line, none. Blocks other writers; readers run on. 0 with *res set; -EINVAL with
 * *err naming the line; -ENOMEM or another -errno (err->what says) with nothing changed.
 */
int serve_apply_delta(struct serve_state *s, size_t k, const char *buf, size_t len,
		      double t_received, struct serve_update_result *res,
		      struct serve_line_error *err);

/*
 * Re-read carrier k's file (its path from the start) and publish it as the next version.
 * 0 with *res set, or with *err (FILE:LINE, or FILE: why) and the old version serving:
 * -EINVAL (a bad line, no routes), -EIO (unreadable) or -ENOMEM.
 */
int serve_reload(struct serve_state *s, size_t k, double t_received,
		 struct serve_update_result *res, struct ds_error *err);

/* Carrier k's update count and last timings, consistently. 1 if there was an update. */
int serve_last_update(struct serve_state *s, size_t k, uint64_t *updates,
		      struct serve_timings *last);

#endif
