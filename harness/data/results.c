/*
 * results.c - the run folder, its append-only cells.csv and its meta.json.
 *
 * The run folder is made first, then cells.csv gets its header. Rows go in whole, one write()
 * each; the file is fsync'ed when the run ends. meta.json is rewritten through rb_outfile
 * (temp + rename). Only a run that completed has `latest` swapped to it, with rename() of a
 * fresh symlink (atomic), so `latest` never names a run that stopped half-way.
 */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"

void bench_utc_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* results/<UTC timestamp>, with -2, -3... if two runs start in the same second. */
static int make_run_dir(char *dir, size_t cap)
{
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc = rb_mkdir_p("results");

	if (rc != 0)
		return rc;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 1; i < 100; i++) {
		char name[64];
		int n = i == 1 ? snprintf(name, sizeof(name), "results/%s", stamp)
			       : snprintf(name, sizeof(name), "results/%s-%d", stamp, i);

		if (n < 0 || (size_t)n >= cap)
			return -ENAMETOOLONG;
		memcpy(dir, name, (size_t)n + 1);
		if (mkdir(dir, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int bench_link_beside(const char *dir, const char *name)
{
	char parent[4096], link[4200], tmp[4300];
	const char *slash = strrchr(dir, '/'), *base = slash ? slash + 1 : dir;

	if (strcmp(base, name) == 0 || !*base)
		return 0;
	if (slash)
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir);
	else
		snprintf(parent, sizeof(parent), ".");
	snprintf(link, sizeof(link), "%s/%s", slash == dir ? "" : parent, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", link, (long)getpid());
	unlink(tmp);
	if (symlink(base, tmp) != 0)
		return -errno;
	if (rename(tmp, link) != 0) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	return 0;
}

int bench_results_open(struct bench_results *r, const char *out)
{
	char path[4200], header[BENCH_ROW_MAX];
	size_t len;
	int rc;

	r->fd = -1;
	if (out) {
		snprintf(r->dir, sizeof(r->dir), "%s", out);
		len = strlen(r->dir);
		while (len > 1 && r->dir[len - 1] == '/')
			r->dir[--len] = '\0';
		rc = rb_mkdir_p(r->dir);
	} else {
		rc = make_run_dir(r->dir, sizeof(r->dir));
	}
	if (rc != 0) {
		fprintf(stderr, "routebench bench: cannot create %s: %s\n", out ? out : "results/",
			strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/cells.csv", r->dir);
	r->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
	if (r->fd < 0) {
		rc = -errno;
		fprintf(stderr, "routebench bench: %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? " (that folder holds a run already; choose another --out)"
					: "");
		return rc;
	}
	len = bench_cell_header(header, sizeof(header));
	if (write(r->fd, header, len) != (ssize_t)len) {
		rc = -errno;
		fprintf(stderr, "routebench bench: %s: %s\n", path, strerror(errno));
		close(r->fd);
		r->fd = -1;
		return rc ? rc : -EIO;
	}
	return 0;
}

int bench_results_link_latest(const struct bench_results *r)
{
	int rc = bench_link_beside(r->dir, "latest");

	if (rc != 0)
		fprintf(stderr, "routebench bench: warning: cannot point 'latest' at %s: %s\n",
			r->dir, strerror(-rc));
	return rc;
}

int bench_results_append(struct bench_results *r, const struct bench_cell *c)
{
	char row[BENCH_ROW_MAX];
	size_t len = bench_cell_format(c, row, sizeof(row));

	return write(r->fd, row, len) == (ssize_t)len ? 0 : errno ? -errno : -EIO;
}

int bench_results_close(struct bench_results *r)
{
	int rc = 0;

	if (r->fd < 0)
		return 0;
	if (fsync(r->fd) != 0)
		rc = -errno;
	if (close(r->fd) != 0 && rc == 0)
		rc = -errno;
	r->fd = -1;
	return rc;
}

/* s as a JSON string literal. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* "key": "value" with the given indentation and a trailing comma unless last. */
static void json_kv(FILE *f, int indent, const char *key, const char *value, int last)
{
	fprintf(f, "%*s", indent, "");
	json_str(f, key);
	fputs(": ", f);
	json_str(f, value);
	fputs(last ? "\n" : ",\n", f);
}

/* A user's file: its lines, and how many were skipped (the first of them by number). */
static void write_user_fields(FILE *f, const struct bench_dataset *d)
{
	const struct ds_deck_scan *s = &d->scan;

	fprintf(f, "\"source\": \"user\", \"lines\": %llu, \"skipped\": %llu, "
		   "\"skipped_lines\": [", (unsigned long long)s->lines,
		(unsigned long long)s->skipped);
	for (uint64_t i = 0; i < s->skipped && i < DS_DECK_SKIP_AT; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)s->skip_at[i]);
	fputs("], ", f);
}

static void write_datasets(FILE *f, const struct bench_meta *m)
{
	fputs("  \"datasets\": [\n", f);
	for (size_t i = 0; i < m->n_datasets; i++) {
		const struct bench_dataset *d = &m->datasets[i];
		int generated = !d->source[0];

		fprintf(f, "    {\"kind\": \"%s\", \"count\": %llu, ", d->kind,
			(unsigned long long)d->count);
		if (strcmp(d->source, "user") != 0)
			fprintf(f, "\"seed\": %llu, ", (unsigned long long)d->seed);
		if (strcmp(d->kind, "routes") == 0)
			fprintf(f, "\"carrier\": %u, ", d->carrier);
		if (generated && strcmp(d->kind, "routes") == 0)
			fprintf(f, "\"shape\": \"%s\", ", d->shape);
		else if (generated)
			fprintf(f, "\"hit_ratio\": %g, ", d->hit_ratio);
		if (strcmp(d->source, "user") == 0)
			write_user_fields(f, d);
		if (strcmp(d->source, "sample") == 0) {
			fputs("\"source\": \"sample\", \"sample_of\": ", f);
			json_str(f, d->sample_of);
			fputs(", ", f);
		}
		fputs("\"path\": ", f);
		json_str(f, d->path);
		fprintf(f, ", \"bytes\": %llu, \"sha256\": \"%s\"}%s\n",
			(unsigned long long)d->bytes, d->sha256, i + 1 < m->n_datasets ? "," : "");
	}
	fputs("  ],\n", f);
}

static void write_columns(FILE *f)
{
	const char *name, *doc;

	fputs("  \"columns\": {\n", f);
	for (size_t i = 0; (name = bench_column_name(i, &doc)); i++)
		json_kv(f, 4, name, doc, bench_column_name(i + 1, NULL) == NULL);
	fputs("  },\n", f);
}

/* "machine", "build" and "libraries": the facts a figure depends on. */
static void write_system(FILE *f, const struct bench_meta *m)
{
	const struct bench_sysinfo *s = &m->sys;

	fputs("  \"machine\": {\n", f);
	json_kv(f, 4, "cpu_model", s->cpu_model, 0);
	fprintf(f, "    \"cores\": %ld,\n    \"mem_total_bytes\": %llu,\n", s->cores,
		(unsigned long long)s->mem_total_bytes);
	json_kv(f, 4, "kernel", s->kernel, !m->have_limits);
	if (m->have_limits)
		membench_json_fields(f, "    ", &m->limits, 1);
	fputs("  },\n  \"build\": {\n", f);
	json_kv(f, 4, "compiler", s->compiler, 0);
	json_kv(f, 4, "c_flags", s->c_flags, 0);
	json_kv(f, 4, "build_type", s->build_type, 0);
	fprintf(f, "    \"asan\": %s,\n", s->asan ? "true" : "false");
	json_kv(f, 4, "git_commit", s->git_commit, 0);
	fprintf(f, "    \"git_dirty\": %s\n  },\n",
		s->git_dirty < 0 ? "null" : s->git_dirty ? "true" : "false");
	fputs("  \"libraries\": {\n", f);
	json_kv(f, 4, "glibc", s->glibc_version, 0);
	json_kv(f, 4, "libc6_package", s->libc6_package, 0);
	json_kv(f, 4, "libjemalloc2_package", s->jemalloc_package, 0);
	json_kv(f, 4, "jemalloc_path", s->jemalloc_path, 1);
	fputs("  },\n", f);
}

/* "arguments": what the run was asked to measure. */
static void write_arguments(FILE *f, const struct bench_meta *m)
{
	fputs("  \"arguments\": {\n", f);
	json_kv(f, 4, "impls", m->impls, 0);
	json_kv(f, 4, "strategies", m->strategies, 0);
	json_kv(f, 4, "query_sets", m->query_sets, 0);
	json_kv(f, 4, "sizes", m->sizes, 0);
	json_kv(f, 4, "carriers", m->carriers, 0);
	json_kv(f, 4, "allocators", m->allocators, 0);
	json_kv(f, 4, "allocator_impls", m->allocator_impls, 0);
	json_kv(f, 4, "shape", m->shape, 0);
	fprintf(f, "    \"cold_queries\": %llu,\n", (unsigned long long)m->cold_queries);
	fprintf(f, "    \"queries\": %llu,\n    \"reps\": %llu,\n    \"seed\": %llu,\n"
		   "    \"hit_ratio\": %g,\n    \"budget_s\": %g,\n"
		   "    \"mem_limit_bytes\": %llu,\n",
		(unsigned long long)m->queries, (unsigned long long)m->reps,
		(unsigned long long)m->seed, m->hit_ratio, m->budget_s,
		(unsigned long long)m->mem_limit);
	json_kv(f, 4, "cache_dir", m->cache_dir, 1);
	fputs("  },\n", f);
}

/* "notes": how to read the figures. */
static void write_notes(FILE *f)
{
	fputs("  \"notes\": [\n", f);
	fputs("    \"Each cell runs in a child that re-executes routebench; peak_rss_bytes is that "
	      "child's ru_maxrss from wait4(). ru_maxrss survives exec, so it is at least "
	      "inherited_maxrss_bytes, which is bounded by the driver's RSS at fork (driver "
	      "above).\",\n", f);
	fputs("    \"bytes_per_route = struct_bytes / (n_routes * n_carriers): the structure's own "
	      "accounting; heap_bytes, heap_active_bytes and heap_resident_bytes add the "
	      "allocator's view of the same build (bytes handed out, pages behind them, bytes "
	      "held from the OS): the gaps between them are allocator overhead and slack "
	      "(alloc_overhead chart).\",\n", f);
	fputs("    \"A cell whose n_queries is below queries_total timed a sample: the first "
	      "n_queries numbers, a checkpoint of the answer hash; rows of a dataset are checked "
	      "against each other at the largest checkpoint both reached.\",\n", f);
	fputs("    \"Rows with strategy stream (impl stream) build no table: their cost is end to "
	      "end, one run per q numbers (stream_points); an index row's end-to-end time for q "
	      "numbers is parse_s + build_s + q * lookup_ns / 10^9. Both hash the same answers "
	      "in the same order (checkpoints), so a wrong stream answer is a mismatch.\",\n", f);
	fputs("    \"parse_mb_s reads files from the page cache: it measures the parser, not the "
	      "disk.\"\n", f);
	fputs("  ]\n", f);
}

int bench_meta_write(const char *dir, const struct bench_meta *m)
{
	struct rb_outfile o;
	char path[4200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	rc = rb_outfile_open(&o, path);
	if (rc != 0)
		return rc;
	f = o.f;
	fputs("{\n", f);
	json_kv(f, 2, "started", m->started, 0);
	fprintf(f, "  \"finished\": ");
	if (m->finished[0])
		json_str(f, m->finished);
	else
		fputs("null", f);
	fputs(",\n", f);
	fprintf(f, "  \"complete\": %s,\n", m->complete ? "true" : "false");
	if (!m->complete)
		json_kv(f, 2, "incomplete_reason", m->incomplete_reason, 0);
	json_kv(f, 2, "command", m->command, 0);
	json_kv(f, 2, "source", m->source[0] ? m->source : "generated", 0);
	write_system(f, m);
	write_arguments(f, m);
	write_datasets(f, m);
	fputs("  \"cells\": {", f);
	for (int i = 0; i < BENCH_N_STATUS; i++)
		fprintf(f, "%s\"%s\": %zu", i ? ", " : "", bench_status_name(i), m->counts[i]);
	fputs("},\n", f);
	write_columns(f);
	fprintf(f, "  \"driver\": {\"rss_bytes\": %llu, \"peak_rss_bytes\": %llu},\n",
		(unsigned long long)m->driver_rss, (unsigned long long)m->driver_hwm);
	write_notes(f);
	fputs("}\n", f);
	return rb_outfile_commit(&o);
}

/* A new entry for path in m's datasets (size and sha256 read now), or NULL: already there (the
 * path and kind, and for routes the carrier: one file given as two carriers is two), or out of
 * memory (meta.json is a description, not a result). */
static struct bench_dataset *add_file(struct bench_meta *m, const char *kind, uint64_t count,
				      uint64_t seed, unsigned carrier, const char *path)
{
	struct bench_dataset *d, *v;
	struct stat st;

	for (size_t i = 0; i < m->n_datasets; i++)
		if (strcmp(m->datasets[i].path, path) == 0 && strcmp(m->datasets[i].kind, kind) == 0 &&
		    (m->datasets[i].carrier == carrier || strcmp(kind, "numbers") == 0))
			return NULL;
	v = realloc(m->datasets, (m->n_datasets + 1) * sizeof(*v));
	if (!v)
		return NULL;
	m->datasets = v;
	d = &v[m->n_datasets++];
	memset(d, 0, sizeof(*d));
	snprintf(d->kind, sizeof(d->kind), "%s", kind);
	d->count = count;
	d->seed = seed;
	d->carrier = carrier;
	snprintf(d->path, sizeof(d->path), "%s", path);
	if (stat(path, &st) == 0)
		d->bytes = (uint64_t)st.st_size;
	if (bench_sha256(path, d->sha256) != 0)
		d->sha256[0] = '\0';
	return d;
}

void bench_meta_add_dataset(struct bench_meta *m, const char *kind, uint64_t count,
			    uint64_t seed, unsigned carrier, double hit_ratio, const char *path)
{
	struct bench_dataset *d = add_file(m, kind, count, seed, carrier, path);

	if (!d)
		return;
	snprintf(d->shape, sizeof(d->shape), "%s", m->shape);
	d->hit_ratio = hit_ratio;
}

void bench_meta_add_source(struct bench_meta *m, const char *kind, unsigned carrier,
			   const char *path, const struct ds_deck_scan *scan)
{
	struct bench_dataset *d = add_file(m, kind, scan->records, 0, carrier, path);

	if (!d)
		return;
	snprintf(d->source, sizeof(d->source), "user");
	d->scan = *scan;
}

void bench_meta_add_sample(struct bench_meta *m, const char *kind, uint64_t count,
			   uint64_t seed, unsigned carrier, const char *path, const char *sample_of)
{
	struct bench_dataset *d = add_file(m, kind, count, seed, carrier, path);

	if (!d)
		return;
	snprintf(d->source, sizeof(d->source), "sample");
	snprintf(d->sample_of, sizeof(d->sample_of), "%s", sample_of);
}
