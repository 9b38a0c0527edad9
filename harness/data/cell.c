/*
 * cell.c - the cells.csv columns: one table gives each column's name, type, place in struct
 * bench_cell and meaning, and the header, writer, reader and documentation all walk it.
 * Adding a column is one line here and one field in cell.h; the required columns come first.
 */
#include "cell.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * COL_I64E: an int64_t printed empty when BENCH_UNMEASURED. COL_F<d>: a double printed with d
 * decimals, NaN as an empty field.
 */
enum col_type { COL_STR, COL_U64, COL_I64, COL_I64E, COL_HEX, COL_STATUS, COL_F1, COL_F2, COL_F3,
		COL_F4, COL_F9 };

static int is_double(enum col_type t)
{
	return t >= COL_F1;
}

struct column {
	const char *name;
	enum col_type type;
	size_t off, size;
	const char *doc;
	int optional; /* newer and not needed to read a run: an older file may lack it quietly */
};

#define COL(field, type, doc)                                                                  \
	{ #field, type, offsetof(struct bench_cell, field),                                    \
	  sizeof(((struct bench_cell *)0)->field), doc, 0 }
#define COL_OPTIONAL(field, type, doc)                                                         \
	{ #field, type, offsetof(struct bench_cell, field),                                    \
	  sizeof(((struct bench_cell *)0)->field), doc, 1 }

static const struct column columns[] = {
	COL(impl, COL_STR, "implementation name (routebench list)"),
	COL(allocator, COL_STR, "allocator that served the child: glibc, jemalloc (or asan)"),
	COL(n_routes, COL_U64, "routes per carrier"),
	COL(n_carriers, COL_U64, "carriers (route tables); a lookup is the min over them"),
	COL(n_queries, COL_U64, "numbers priced per timed pass: a checkpoint 1, 10, 100, ... "
				"or queries_total (stream rows: the largest q in stream_points)"),
	COL(parse_s, COL_F9, "seconds to load and parse every route file (page cache warm); "
			     "empty for stream rows, whose parsing cannot be told from answering"),
	COL(build_s, COL_F9, "seconds for create + insert every route + finalize, all carriers; "
			     "empty for stream rows (no table)"),
	COL(lookup_ns, COL_F2, "median over reps of nanoseconds to price one number "
			       "(one lookup per carrier, plus the answer hash); empty for stream "
			       "rows (see stream_points)"),
	COL(peak_rss_bytes, COL_U64, "ru_maxrss * 1024 of the cell's process over its whole life "
				     "(parse, build, lookups): wait4() on the child, or "
				     "getrusage() with --in-process"),
	COL(baseline_rss_bytes, COL_U64, "child's resident bytes (/proc/self/statm) after "
					 "parsing, just before the build"),
	COL(heap_bytes, COL_I64, "allocator bytes in use after the build minus before it "
				 "(glibc mallinfo2 uordblks+hblkhd: chunks with their 8-byte "
				 "headers, 16-byte rounding; jemalloc stats.allocated: objects at "
				 "their size class, thread cache flushed); 0 for stream rows (no "
				 "build)"),
	COL(struct_bytes, COL_U64, "sum over carriers of the table's own accounting "
				   "(rt_stats total_bytes); 0 for stream rows (no table)"),
	COL(bytes_per_route, COL_F2, "struct_bytes / (n_routes * n_carriers): the structure's "
				     "own bytes per route, allocator overhead excluded; empty for "
				     "stream rows"),
	COL(nodes, COL_U64, "sum over carriers of rt_stats nodes"),
	COL(checksum, COL_HEX, "answer hash over the first n_queries numbers (see checkpoints)"),
	COL(status, COL_STATUS, "ok, oom, timeout, crash, mismatch or skipped"),
	COL(destroy_s, COL_F9, "seconds to destroy every table"),
	COL(prefixes, COL_U64, "sum over carriers of distinct prefixes stored"),
	COL(route_bytes_parsed, COL_U64, "bytes of route text parsed during parse_s (stream rows: "
					 "in every pass)"),
	COL(parse_mb_s, COL_F1, "route_bytes_parsed / parse_s / 10^6; empty for stream rows"),
	COL(lookup_cv, COL_F4, "coefficient of variation of the reps' per-number times (stream "
			       "rows: of the reps' times at n_queries)"),
	COL(lookups_timed, COL_U64, "numbers priced in all timed passes together (stream rows: "
				    "the sum over stream_points of q x its reps)"),
	COL(reps, COL_U64, "timed repetitions (each one or more passes over n_queries numbers; "
			   "stream rows: the fewest any point had, cut below --reps only where "
			   "the budget would not hold them all)"),
	COL(queries_total, COL_U64, "numbers available; n_queries < queries_total means sampled"),
	COL(checkpoints, COL_STR, "m:hash for every checkpoint m <= n_queries, ';'-separated"),
	COL(mem_limit_bytes, COL_U64, "RLIMIT_AS set in the child; 0 = none (e.g. under ASan)"),
	COL(inherited_maxrss_bytes, COL_U64, "child's ru_maxrss right after exec: the part of "
					     "peak_rss_bytes carried over from the forked image"),
	COL(allocator_version, COL_STR, "glibc version, or jemalloc's \"version\" mallctl"),
	COL(wall_s, COL_F3, "seconds from fork to reap, seen by the parent (--in-process: the "
			    "cell's own time)"),
	COL(detail, COL_STR, "why a cell failed or was skipped; empty when ok"),
	COL(heap_active_bytes, COL_I64E,
	    "allocator's active bytes after the build minus before it, like heap_bytes: jemalloc "
	    "stats.active, whole pages of the extents holding live objects (free slots of partly "
	    "used slabs, large objects' page rounding); glibc has no page-level figure (chunks "
	    "are carved byte-wise from one heap, headers already in heap_bytes), so it equals "
	    "heap_bytes; empty when not measured"),
	COL(heap_resident_bytes, COL_I64E,
	    "allocator's resident bytes after the build minus before it: jemalloc stats.resident "
	    "(active + dirty freed pages not yet purged + metadata); glibc mallinfo2 arena + hblkhd "
	    "(heap obtained from the OS with brk/mmap, free chunks and the top chunk included). "
	    "An upper bound on what is truly resident: untouched or purged pages count; empty "
	    "when not measured"),
	COL(heap_metadata_bytes, COL_I64E,
	    "allocator's own metadata after the build minus before it (part of "
	    "heap_resident_bytes): jemalloc stats.metadata; glibc 0, its bookkeeping is the "
	    "chunk headers already in heap_bytes; empty when not measured"),
	COL(strategy, COL_STR,
	    "index: a table per carrier (impl) built from the parsed routes, every number looked "
	    "up; stream: no table, the numbers' prefixes indexed and every carrier file read once "
	    "past them (impl is \"stream\", a strategy, not a registered implementation)"),
	COL(stream_points, COL_STR,
	    "stream rows: q:seconds for every checkpoint q <= n_queries, ';'-separated: the median "
	    "over reps of one end-to-end run on the first q numbers (index their prefixes, read "
	    "and parse every route file, answer; the numbers already loaded), after one untimed "
	    "warm-up run on the first number. Empty for index rows, whose end-to-end time for q "
	    "numbers is parse_s + build_s + q * lookup_ns / 10^9"),
	COL_OPTIONAL(lookup_samples, COL_STR,
		     "index rows: each timed rep's nanoseconds per number, in rep order, "
		     "';'-separated (the first 64 reps; lookup_ns is their median when reps <= 64), "
		     "for significance tests between runs (routebench compare); builds are not "
		     "repeated, so build_s has no samples. Empty for stream rows and older runs"),
	COL_OPTIONAL(query_set, COL_STR,
		     "hot: the numbers file of --queries numbers (a few thousand), repeated pass "
		     "after pass, so the paths they take stay in cache; cold: at least 1M distinct "
		     "numbers (bench --cold-queries) in random order, each looked up once per pass, "
		     "every rep one pass, so the table is read as from memory. Older runs' rows, "
		     "without the column, are hot"),
	COL_OPTIONAL(batch_lookup_ns, COL_F2,
		     "index rows: as lookup_ns, the same numbers through rt_lookup_batch, 256 at "
		     "a time per carrier (implementations with a batch op overlap their cache "
		     "misses; the others loop), its reps alternating with lookup_ns's; empty for "
		     "stream rows and older runs"),
};

#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))
#define FIELD_MAX 1024 /* the longest field written, with its NUL */
_Static_assert(BENCH_CHECKPOINTS_MAX <= FIELD_MAX && BENCH_POINTS_MAX <= FIELD_MAX &&
	       BENCH_SAMPLES_CHARS <= FIELD_MAX, "a string column is longer than FIELD_MAX");

static const char *const status_names[BENCH_N_STATUS] = {
	[BENCH_OK] = "ok",           [BENCH_OOM] = "oom",
	[BENCH_TIMEOUT] = "timeout", [BENCH_CRASH] = "crash",
	[BENCH_MISMATCH] = "mismatch", [BENCH_SKIPPED] = "skipped",
};

const char *bench_status_name(enum bench_status s)
{
	return (unsigned)s < BENCH_N_STATUS ? status_names[s] : "?";
}

int bench_status_parse(const char *name, enum bench_status *out)
{
	for (int s = 0; s < BENCH_N_STATUS; s++)
		if (strcmp(name, status_names[s]) == 0) {
			*out = (enum bench_status)s;
			return 0;
		}
	return -1;
}

void bench_cell_init(struct bench_cell *c, const char *impl, const char *allocator)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < N_COLUMNS; i++)
		if (is_double(columns[i].type))
			*(double *)((char *)c + columns[i].off) = NAN;
		else if (columns[i].type == COL_I64E)
			*(int64_t *)((char *)c + columns[i].off) = BENCH_UNMEASURED;
	snprintf(c->impl, sizeof(c->impl), "%s", impl);
	snprintf(c->allocator, sizeof(c->allocator), "%s", allocator);
	snprintf(c->strategy, sizeof(c->strategy), "index");
	snprintf(c->query_set, sizeof(c->query_set), BENCH_QUERY_HOT);
	c->status = BENCH_CRASH;
}

int bench_cell_is_cold(const struct bench_cell *c)
{
	return strcmp(c->query_set, BENCH_QUERY_COLD) == 0;
}

/* Make s safe for one CSV field: no commas, quotes or line breaks. */
static void csv_clean(char *s)
{
	for (; *s; s++)
		if (*s == ',' || *s == '"')
			*s = ';';
		else if (*s == '\n' || *s == '\r')
			*s = ' ';
}

void bench_cell_detail(struct bench_cell *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	csv_clean(c->detail);
}

const char *bench_column_name(size_t i, const char **doc)
{
	if (i >= N_COLUMNS)
		return NULL;
	if (doc)
		*doc = columns[i].doc;
	return columns[i].name;
}

int bench_column_optional(size_t i)
{
	return i < N_COLUMNS && columns[i].optional;
}

size_t bench_samples_format(char *buf, size_t cap, const double *v, size_t n)
{
	size_t len = 0, done = 0;

	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < n && done < BENCH_SAMPLES_MAX; i++) {
		char one[48];
		int w;

		if (!isfinite(v[i]))
			continue;
		w = snprintf(one, sizeof(one), "%s%.2f", done ? ";" : "", v[i]);
		if (w < 0 || len + (size_t)w >= cap)
			break;
		memcpy(buf + len, one, (size_t)w + 1);
		len += (size_t)w;
		done++;
	}
	return done;
}

int bench_samples_parse(const char *s, double *v, size_t cap, size_t *n)
{
	size_t k = 0;

	while (*s) {
		char *end;

		if (k == cap)
			return -EINVAL;
		errno = 0;
		v[k] = strtod(s, &end);
		if (errno || end == s || !isfinite(v[k]) || (*end && *end != ';') ||
		    (*end == ';' && !end[1]))
			return -EINVAL;
		k++;
		s = *end ? end + 1 : end;
	}
	*n = k;
	return 0;
}

size_t bench_cell_header(char *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < N_COLUMNS && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "", columns[i].name);
	if (n < cap)
		n += (size_t)snprintf(buf + n, cap - n, "\n");
	return n < cap ? n : cap - 1;
}

size_t bench_cell_format(const struct bench_cell *c, char *buf, size_t cap)
{
	static const int decimals[] = { [COL_F1] = 1, [COL_F2] = 2, [COL_F3] = 3, [COL_F4] = 4,
					[COL_F9] = 9 };
	size_t n = 0;

	for (size_t i = 0; i < N_COLUMNS && n < cap; i++) {
		const struct column *col = &columns[i];
		const void *p = (const char *)c + col->off;
		char field[FIELD_MAX] = "";

		switch (col->type) {
		case COL_STR:
			snprintf(field, sizeof(field), "%s", (const char *)p);
			csv_clean(field);
			break;
		case COL_U64:
			snprintf(field, sizeof(field), "%" PRIu64, *(const uint64_t *)p);
			break;
		case COL_I64:
			snprintf(field, sizeof(field), "%" PRId64, *(const int64_t *)p);
			break;
		case COL_I64E:
			if (*(const int64_t *)p != BENCH_UNMEASURED)
				snprintf(field, sizeof(field), "%" PRId64, *(const int64_t *)p);
			break;
		case COL_HEX:
			if (*(const uint64_t *)p)
				snprintf(field, sizeof(field), "%016" PRIx64, *(const uint64_t *)p);
			break;
		case COL_STATUS:
			snprintf(field, sizeof(field), "%s",
				 bench_status_name(*(const enum bench_status *)p));
			break;
		default:
			if (isfinite(*(const double *)p))
				snprintf(field, sizeof(field), "%.*f", decimals[col->type],
					 *(const double *)p);
			break;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "", field);
	}
	if (n < cap)
		n += (size_t)snprintf(buf + n, cap - n, "\n");
	return n < cap ? n : cap - 1;
}

/* Parse one field of the given column into c. 0 or -1. */
static int parse_field(const struct column *col, const char *s, struct bench_cell *c)
{
	void *p = (char *)c + col->off;
	char *end = (char *)s;

	errno = 0;
	switch (col->type) {
	case COL_STR:
		if (strlen(s) >= col->size)
			return -1;
		strcpy(p, s);
		return 0;
	case COL_U64: *(uint64_t *)p = strtoull(s, &end, 10); break;
	case COL_I64: *(int64_t *)p = strtoll(s, &end, 10); break;
	case COL_I64E: *(int64_t *)p = *s ? strtoll(s, &end, 10) : BENCH_UNMEASURED; break;
	case COL_HEX: *(uint64_t *)p = *s ? strtoull(s, &end, 16) : 0; break;
	case COL_STATUS: return bench_status_parse(s, p);
	default: *(double *)p = *s ? strtod(s, &end) : NAN; break;
	}
	return errno || *end ? -1 : 0;
}

int bench_cell_parse(const char *line, struct bench_cell *c)
{
	char buf[BENCH_ROW_MAX];
	char *field = buf;
	size_t len = strcspn(line, "\n");

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	bench_cell_init(c, "", "");
	for (size_t i = 0; i < N_COLUMNS; i++) {
		char *comma = strchr(field, ',');

		if ((comma == NULL) != (i == N_COLUMNS - 1))
			return -EINVAL;
		if (comma)
			*comma = '\0';
		if (parse_field(&columns[i], field, c) != 0)
			return -EINVAL;
		if (comma)
			field = comma + 1;
	}
	return 0;
}
