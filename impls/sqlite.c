/*
 * sqlite.c - a peer: an in-memory SQLite table routes(prefix TEXT PRIMARY KEY, cost) WITHOUT
 * ROWID, loaded in one transaction with a min-cost upsert and asked one query per number.
 *
 * Build O(n log n) (sort, then B-tree appends), lookup one statement of up to 16 primary-key
 * probes, longest first, stopping at the first hit; space as SQLite's heap accounting says. The
 * lesson: what a switch that keeps its routes in a database pays per call, in time and bytes.
 * Caveats: inserts are buffered (16 bytes each, sorted and merged by static_build.h) and loaded
 * in finalize, because SQLite answers an allocation failure inside a transaction by rolling the
 * whole transaction back (the upsert makes a retried load harmless); lookups share one prepared
 * statement under a per-table mutex, and each step mallocs inside SQLite (about one cursor per
 * probed length: Debian builds it without lookaside).
 */
#include "route_table.h"
#include "static_build.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>

extern const struct route_table_ops sqlite_ops;

/*
 * Costs are stored as (int64)(cost ^ 2^63): SQLite integers are signed, and this keeps the
 * whole uint64 range in order, so min() in the upsert still picks the lowest cost.
 */
#define SQLITE_COST_FLIP 0x8000000000000000ULL

/*
 * The number's prefixes, longest first: ?16 is the 15-digit prefix, ?1 the empty one. A UNION
 * ALL of primary-key probes under LIMIT 1 stops at the first arm that yields a row, so a long
 * match costs one probe; unused lengths are bound to NULL, which equals nothing.
 */
/* clang-format off */
#define SQLITE_ARM(n) "SELECT cost FROM routes WHERE prefix = ?" #n
static const char sqlite_lookup_sql[] =
	SQLITE_ARM(16) " UNION ALL " SQLITE_ARM(15) " UNION ALL " SQLITE_ARM(14) " UNION ALL "
	SQLITE_ARM(13) " UNION ALL " SQLITE_ARM(12) " UNION ALL " SQLITE_ARM(11) " UNION ALL "
	SQLITE_ARM(10) " UNION ALL " SQLITE_ARM(9) " UNION ALL " SQLITE_ARM(8) " UNION ALL "
	SQLITE_ARM(7) " UNION ALL " SQLITE_ARM(6) " UNION ALL " SQLITE_ARM(5) " UNION ALL "
	SQLITE_ARM(4) " UNION ALL " SQLITE_ARM(3) " UNION ALL " SQLITE_ARM(2) " UNION ALL "
	SQLITE_ARM(1) " LIMIT 1";
/* clang-format on */

static const char sqlite_insert_sql[] =
	"INSERT INTO routes(prefix, cost) VALUES (?1, ?2) "
	"ON CONFLICT(prefix) DO UPDATE SET cost = min(cost, excluded.cost)";

struct sqlite_table {
	struct route_table base;
	struct sb_routes in; /* inserts (sb_key keys sort as text), until finalize loads them */
	sqlite3 *db;
	sqlite3_stmt *insert;
	sqlite3_stmt *lookup;	 /* NULL until finalize */
	pthread_mutex_t lock;	 /* lookup binds, steps and resets one shared statement */
	sqlite3_int64 heap_base; /* sqlite3_memory_used() before the connection was opened */
	size_t prefixes;	 /* counted in finalize */
};

static void sqlite_close(struct sqlite_table *t)
{
	sqlite3_finalize(t->lookup);
	sqlite3_finalize(t->insert);
	sqlite3_close(t->db);
	sb_routes_free(&t->in);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int sqlite_create(struct route_table **out)
{
	struct sqlite_table *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	t->base.ops = &sqlite_ops;
	if (pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t);
		return -ENOMEM;
	}
	t->heap_base = sqlite3_memory_used();
	rc = sqlite3_open_v2(":memory:", &t->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(
			t->db,
			"CREATE TABLE routes(prefix TEXT PRIMARY KEY, cost INTEGER NOT NULL)"
			" WITHOUT ROWID",
			NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(t->db, sqlite_insert_sql, -1, SQLITE_PREPARE_PERSISTENT,
					&t->insert, NULL);
	if (rc != SQLITE_OK) {
		sqlite_close(t);
		return -ENOMEM; /* opening an in-memory database fails only for lack of memory */
	}
	*out = &t->base;
	return 0;
}

static int sqlite_insert(struct route_table *rt, const char *digits, unsigned len, uint64_t cost)
{
	struct sqlite_table *t = (struct sqlite_table *)rt;
	uint64_t key;

	if (sb_key(digits, len, &key))
		return -EINVAL;
	return sb_routes_add(&t->in, key, cost);
}

/*
 * Sort and merge the pending records, then upsert them in key order (the B-tree then fills by
 * appending). SQLITE_OK or an SQLite error (SQLITE_NOMEM if the sort gets no scratch memory).
 */
static int sqlite_load(struct sqlite_table *t)
{
	int rc;

	if (sb_routes_sort_unique(&t->in))
		return SQLITE_NOMEM;
	rc = sqlite3_exec(t->db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < t->in.n && rc == SQLITE_OK; i++) {
		char digits[RT_MAX_DIGITS];
		int len = (int)sb_key_unpack(t->in.v[i].key, digits);

		rc = sqlite3_bind_text(t->insert, 1, digits, len, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(
				t->insert, 2, (sqlite3_int64)(t->in.v[i].cost ^ SQLITE_COST_FLIP));
		if (rc == SQLITE_OK && (rc = sqlite3_step(t->insert)) == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(t->insert);
	}
	sqlite3_clear_bindings(t->insert);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(t->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK && !sqlite3_get_autocommit(t->db))
		sqlite3_exec(t->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sqlite_count(struct sqlite_table *t, size_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(t->db, "SELECT count(*) FROM routes", -1, &s, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = (size_t)sqlite3_column_int64(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int sqlite_finalize(struct route_table *rt)
{
	struct sqlite_table *t = (struct sqlite_table *)rt;
	int rc = sqlite_load(t);

	if (rc == SQLITE_OK)
		rc = sqlite_count(t, &t->prefixes);
	if (rc == SQLITE_OK && !t->lookup)
		rc = sqlite3_prepare_v3(t->db, sqlite_lookup_sql, -1, SQLITE_PREPARE_PERSISTENT,
					&t->lookup, NULL);
	if (rc != SQLITE_OK)
		return -ENOMEM; /* an in-memory database fails only for lack of memory */
	sb_routes_free(&t->in);
	return 0;
}

static uint64_t sqlite_lookup(const struct route_table *rt, const char *digits, unsigned len)
{
	struct sqlite_table *t = (struct sqlite_table *)(uintptr_t)rt;
	uint64_t cost = RT_NO_ROUTE;

	if (!t->lookup)
		return RT_NO_ROUTE;
	pthread_mutex_lock(&t->lock);
	/* parameter 1 + l is the prefix of length l; longer than the number stays NULL */
	for (unsigned l = 0; l <= len; l++)
		sqlite3_bind_text(t->lookup, (int)l + 1, l ? digits : "", (int)l, SQLITE_STATIC);
	if (sqlite3_step(t->lookup) == SQLITE_ROW)
		cost = (uint64_t)sqlite3_column_int64(t->lookup, 0) ^ SQLITE_COST_FLIP;
	sqlite3_reset(t->lookup);
	sqlite3_clear_bindings(t->lookup);
	pthread_mutex_unlock(&t->lock);
	return cost;
}

static void sqlite_stats(const struct route_table *rt, struct rt_stats *out)
{
	const struct sqlite_table *t = (const struct sqlite_table *)rt;
	int cache = 0, schema = 0, stmts = 0, hi = 0;
	sqlite3_int64 heap = sqlite3_memory_used() - t->heap_base;
	sqlite3_int64 other;

	sqlite3_db_status(t->db, SQLITE_DBSTATUS_CACHE_USED, &cache, &hi, 0);
	sqlite3_db_status(t->db, SQLITE_DBSTATUS_SCHEMA_USED, &schema, &hi, 0);
	sqlite3_db_status(t->db, SQLITE_DBSTATUS_STMT_USED, &stmts, &hi, 0);
	other = heap - cache - schema - stmts;
	out->prefixes = t->prefixes;
	out->nodes = t->prefixes;
	if (t->in.v)
		rt_stats_add(out, "pending inserts", t->in.n, t->in.cap * sizeof(*t->in.v));
	rt_stats_add(out, "page cache (b-tree pages)", t->prefixes, (size_t)cache);
	rt_stats_add(out, "schema and statements", 3, (size_t)schema + (size_t)stmts);
	/* the rest of sqlite3_memory_used() since open: exact while this is the only connection */
	rt_stats_add(out, "other sqlite heap", 1, other > 0 ? (size_t)other : 0);
}

static void sqlite_destroy(struct route_table *rt)
{
	sqlite_close((struct sqlite_table *)rt);
}

const struct route_table_ops sqlite_ops = {
	.name = "sqlite",
	.summary = "peer: in-memory SQLite table, one primary-key query per number",
	.complexity = "build O(n log n), lookup O(L log n) B-tree probes, space B-tree pages",
	.flags = RT_F_PEER,
	.create = sqlite_create,
	.insert = sqlite_insert,
	.finalize = sqlite_finalize,
	.lookup = sqlite_lookup,
	.stats = sqlite_stats,
	.destroy = sqlite_destroy,
};
