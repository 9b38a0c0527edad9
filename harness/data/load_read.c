/*
 * load_read.c - the loaders' readers: any input through one bounded buffer, and a large
 * regular file cut at line ends into ranges that threads read with pread and parse at once.
 * The same cut gives the stream strategy its parts (ds_read_part). Cost: 256 KiB of buffer
 * per thread; each thread parses into its own slice of one array, and the merge moves records
 * only past blank and skipped lines. Lesson: a parallel parse is exact if each range knows
 * nothing but its own lines, and line numbers and the first error come from prefix sums in
 * file order afterwards.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "load_fast.h"
#include "load_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ds_bom[3] = { '\xef', '\xbb', '\xbf' }; /* UTF-8 byte order mark */

/* --- reading: any file, pipe or device through one bounded buffer -------------------------- */

/* An open input, and what it looked like when opened. */
struct ds_input {
	const char *path, *name; /* name: what messages say ("stdin" for "-") */
	int fd, own;             /* own: fd is ours to close */
	int check;               /* a regular file: its size and times must not change */
	struct stat st;          /* at open */
	size_t total;            /* bytes read */
	size_t truncate_at;      /* test hook (RB_TEST_HOOKS): truncate once this much is read */
	int bom;                 /* a leading byte order mark is to be dropped */
	int ranged;              /* read [off, end) with pread (one thread's range of a file) */
	off_t off, end, off0;    /* off0: where the range started */
};

static void input_close(struct ds_input *in)
{
	if (in->own && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* Open path ("-": standard input, left open) into *in. 0, or -errno with *err filled. */
static int input_open(struct ds_input *in, const char *path, struct ds_error *err)
{
	memset(in, 0, sizeof(*in));
	in->bom = 1;
	in->path = path;
	in->own = strcmp(path, "-") != 0;
	in->name = in->own ? path : "stdin";
	in->fd = in->own ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (in->fd < 0 || fstat(in->fd, &in->st) != 0) {
		int e = errno;

		ds_error_set(err, -e, in->name, 0, strerror(e), NULL, 0);
		input_close(in);
		return -e;
	}
	if (S_ISDIR(in->st.st_mode)) {
		ds_error_set(err, -EISDIR, in->name, 0, "is a directory", NULL, 0);
		input_close(in);
		return -EISDIR;
	}
	in->check = S_ISREG(in->st.st_mode) && in->st.st_size > 0;
#ifdef RB_TEST_HOOKS
	/* RB_TEST_TRUNCATE_AT=N: truncate a regular input to N bytes once N bytes of it are read,
	 * so that a file changing under the reader is tested without a race. */
	if (in->check && in->own && getenv("RB_TEST_TRUNCATE_AT"))
		in->truncate_at = strtoull(getenv("RB_TEST_TRUNCATE_AT"), NULL, 10);
#endif
	posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

static void input_hook(struct ds_input *in)
{
	if (in->truncate_at && in->total >= in->truncate_at) {
		int rc = truncate(in->path, (off_t)in->truncate_at);

		(void)rc;
		in->truncate_at = 0;
	}
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/*
 * Whether a regular file changed since it was opened: its size and its modification and change
 * times must be as they were, and, when the read reached the end, the bytes read its size (a
 * rewrite of the same size within the file system's timestamp granularity is the one change
 * this cannot see).
 */
static int input_changed(const struct ds_input *in, int at_end)
{
	struct stat now;

	if (!in->check)
		return 0;
	if (fstat(in->fd, &now) != 0)
		return 1;
	return now.st_size != in->st.st_size || (at_end && in->total != (size_t)in->st.st_size) ||
	       !same_time(&now.st_mtim, &in->st.st_mtim) || !same_time(&now.st_ctim, &in->st.st_ctim);
}

/* read() into buf, retried on EINTR. Bytes read (0 at the end), or -errno with *err filled. */
static ssize_t input_read(struct ds_input *in, char *buf, size_t cap, struct ds_error *err)
{
	for (;;) {
		ssize_t got;

		if (in->ranged && (off_t)cap > in->end - in->off)
			cap = (size_t)(in->end - in->off);
		got = in->ranged ? pread(in->fd, buf, cap, in->off) : read(in->fd, buf, cap);
		if (got > 0 && in->ranged)
			in->off += got;
		if (got >= 0) {
			in->total += (size_t)got;
			input_hook(in);
			return got;
		}
		if (errno != EINTR) {
			int e = errno;

			ds_error_set(err, -e, in->name, 0, strerror(e), NULL, 0);
			return -e;
		}
	}
}

/* The last '\n' in buf[0..n), or NULL (memrchr is a GNU extension). */
static const char *last_newline(const char *buf, size_t n)
{
	while (n && buf[n - 1] != '\n')
		n--;
	return n ? buf + n - 1 : NULL;
}

/*
 * Feed fn every whole line of the input, a buffer at a time (a leading byte order mark
 * dropped). A line longer than DS_MAX_LINE reaches fn as its first DS_MAX_LINE + 1 bytes,
 * without its '\n' (so fn fails or skips it), and the rest of it is read past, never kept.
 * 0, or fn's error, or -errno with *err filled.
 */
static int read_loop(struct ds_input *in, char *buf,
		     int (*fn)(void *, const char *, const char *, size_t, struct ds_error *),
		     void *ctx, struct ds_error *err)
{
	size_t have = 0; /* bytes kept at buf: the start of a line not yet complete */
	int bom = in->bom, discard = 0, rc;

	for (;;) {
		ssize_t got = input_read(in, buf + have, DS_READ_BUF - have, err);
		const char *nl;

		if (got < 0)
			return (int)got;
		if (got == 0)
			return have && !discard ? fn(ctx, in->name, buf, have, err) : 0;
		if (discard) { /* have is 0: drop bytes up to the over-long line's end */
			nl = memchr(buf, '\n', (size_t)got);
			if (!nl)
				continue;
			got -= nl + 1 - buf;
			memmove(buf, nl + 1, (size_t)got);
			discard = 0;
		}
		have += (size_t)got;
		if (bom) {
			if (have < sizeof(ds_bom))
				continue;
			if (memcmp(buf, ds_bom, sizeof(ds_bom)) == 0)
				memmove(buf, buf + sizeof(ds_bom), have -= sizeof(ds_bom));
			bom = 0;
		}
		nl = last_newline(buf, have);
		if (nl) {
			size_t whole = (size_t)(nl + 1 - buf);

			if ((rc = fn(ctx, in->name, buf, whole, err)) != 0)
				return rc;
			memmove(buf, buf + whole, have -= whole);
		}
		if (have > DS_MAX_LINE) {
			if ((rc = fn(ctx, in->name, buf, DS_MAX_LINE + 1, err)) != 0)
				return rc;
			have = 0;
			discard = 1;
		}
	}
}

/*
 * Feed fn every line of an open input through a buffer of its own, then check the file did
 * not change. 0, fn's error, or -errno with *err filled.
 */
static int read_input(struct ds_input *in,
		      int (*fn)(void *, const char *, const char *, size_t, struct ds_error *),
		      void *ctx, struct ds_error *err)
{
	size_t cap = 0;
	char *buf = ds_loader_grow(NULL, &cap, DS_READ_BUF, 1, 1);
	int rc;

	if (!buf) {
		ds_error_set(err, -ENOMEM, in->name, 0, "out of memory", NULL, 0);
		return -ENOMEM;
	}
	rc = read_loop(in, buf, fn, ctx, err);
	free(buf);
	return rc;
}

/* The end of a read: a bad line may be a line cut short, and a file that changed says so. */
static int read_end(const struct ds_input *in, int rc, struct ds_error *err)
{
	if ((rc == 0 || rc == -EINVAL) && input_changed(in, rc == 0)) {
		ds_error_set(err, -EIO, in->name, 0, "changed while being read", NULL, 0);
		rc = -EIO;
	}
	return rc;
}

int ds_read_lines(const char *path,
		  int (*fn)(void *ctx, const char *name, const char *buf, size_t len,
			    struct ds_error *err),
		  void *ctx, size_t *bytes, struct ds_error *err)
{
	struct ds_input in;
	int rc = input_open(&in, path, err);

	if (rc != 0)
		return rc;
	rc = read_end(&in, read_input(&in, fn, ctx, err), err);
	if (rc == 0 && bytes)
		*bytes = in.total;
	input_close(&in);
	return rc;
}

/* --- one regular file on several threads --------------------------------------------------- */

#define LOAD_MAX_THREADS 8
#define LOAD_MIN_CHUNK ((off_t)4 << 20) /* bytes per thread, unless RB_PARSE_THREADS says */
#define LOAD_CUT_SCAN ((off_t)64 << 10) /* how far to look for a line end at a cut */

/* One thread's range of the file: its own input (same fd), line count, records, error. */
struct load_chunk {
	struct ds_input in;
	size_t lines;           /* '\n' in the range (+1 for a last line without one) */
	struct line_sink sink;  /* a slice of the one array, room for lines records */
	struct ds_error err;
	int rc;
};

/*
 * How many threads parse this input: 1 unless it is a regular file opened by path; then the
 * cores this process may run on (its affinity: a server pinned to one core parses on one;
 * at most LOAD_MAX_THREADS), fewer so each has LOAD_MIN_CHUNK bytes. The
 * environment's RB_PARSE_THREADS=N sets N whatever the size (tests force 1 and 2).
 */
unsigned ds_usable_cores(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cores = CPU_COUNT(&set);
	return cores < 1 ? 1 : (unsigned)cores;
}

static unsigned load_threads(const struct ds_input *in)
{
	const char *env = getenv("RB_PARSE_THREADS");
	unsigned cores = ds_usable_cores();
	off_t size = in->st.st_size;
	unsigned t;

	if (!in->check || !in->own)
		return 1;
	if (env && *env) {
		t = (unsigned)strtoul(env, NULL, 10);
		return t < 1 ? 1 : t > LOAD_MAX_THREADS ? LOAD_MAX_THREADS : t;
	}
	t = cores > LOAD_MAX_THREADS ? LOAD_MAX_THREADS : cores;
	while (t > 1 && size / t < LOAD_MIN_CHUNK)
		t--;
	return t;
}

/* The offset just past the first '\n' at or after from - 1 (within LOAD_CUT_SCAN), or -1. */
static off_t load_line_start(int fd, off_t from, off_t size)
{
	char probe[4096];

	for (off_t pos = from - 1; pos < size && pos < from + LOAD_CUT_SCAN;) {
		ssize_t got = pread(fd, probe, sizeof(probe), pos);
		const char *nl;

		if (got <= 0)
			return -1;
		nl = memchr(probe, '\n', (size_t)got);
		if (nl)
			return pos + (nl - probe) + 1;
		pos += got;
	}
	return -1;
}

/*
 * Cut the file into up to threads ranges of whole lines: cut[0] = 0 < cut[1] < ... <
 * cut[k] = size, each inner cut just after a '\n'. Returns k (1: no cut found).
 */
static unsigned load_cuts(const struct ds_input *in, unsigned threads, off_t *cut)
{
	off_t size = in->st.st_size;
	unsigned k = 1;

	cut[0] = 0;
	for (unsigned i = 1; i < threads; i++) {
		off_t c = load_line_start(in->fd, size / threads * i, size);

		if (c > cut[k - 1] && c < size)
			cut[k++] = c;
	}
	cut[k] = size;
	return k;
}

/* The lines in c's range: its '\n' bytes, read with pread (no test hook, no byte count). */
static void *load_chunk_count(void *arg)
{
	struct load_chunk *c = arg;
	size_t cap = 0, lines = 0;
	char *buf = ds_loader_grow(NULL, &cap, DS_READ_BUF + DS_FAST_WINDOW, 1, 1);
	off_t pos = c->in.off;
	char last = '\n';

	c->rc = buf ? 0 : -ENOMEM;
	while (buf && pos < c->in.end) {
		size_t want = (size_t)(c->in.end - pos) < DS_READ_BUF ? (size_t)(c->in.end - pos)
								     : DS_READ_BUF;
		ssize_t got = pread(c->in.fd, buf, want, pos), i = 0;

		if (got <= 0)
			break; /* the parse that follows finds what changed */
		for (; i + DS_FAST_WINDOW <= got; i += DS_FAST_WINDOW)
			lines += (size_t)__builtin_popcountll(ds_fast_eq64(buf + i, '\n'));
		for (; i < got; i++)
			lines += buf[i] == '\n';
		last = buf[got - 1];
		pos += got;
	}
	c->lines = lines + (last != '\n');
	free(buf);
	return NULL;
}

/* Run fn on chunks 1..k-1 on threads and chunk 0 here; a thread that cannot start runs here. */
static void load_on_threads(struct load_chunk *c, unsigned k, void *(*fn)(void *))
{
	pthread_t tid[LOAD_MAX_THREADS];
	int started[LOAD_MAX_THREADS] = { 0 };

	for (unsigned i = 1; i < k; i++)
		started[i] = pthread_create(&tid[i], NULL, fn, &c[i]) == 0;
	fn(&c[0]);
	for (unsigned i = 1; i < k; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			fn(&c[i]);
	}
}

static void *load_chunk_run(void *arg)
{
	struct load_chunk *c = arg;

	c->rc = read_input(&c->in, ds_sink_lines_cb, &c->sink, &c->err);
	return NULL;
}

/*
 * The chunks' results as one thread's would be, into s: the first error in file order, its
 * line number offset by the lines before its chunk, or every chunk's records moved down to
 * follow the last (they move only past blank and skipped lines). 0 or -errno.
 */
static int load_merge(struct load_chunk *c, unsigned k, struct line_sink *s,
		      struct ds_error *err)
{
	size_t lines = 0, n = s->n, size = s->kind->size;

	for (unsigned i = 0; i < k; i++) {
		if (c[i].rc != 0) {
			*err = c[i].err;
			if (err->line)
				err->line += lines;
			return c[i].rc;
		}
		lines += c[i].sink.lineno;
	}
	for (unsigned i = 0; i < k; i++) {
		char *to = (char *)s->v + n * size;

		if (c[i].sink.n && (char *)c[i].sink.v != to)
			memmove(to, c[i].sink.v, c[i].sink.n * size);
		n += c[i].sink.n;
		s->skipped += c[i].sink.skipped;
	}
	s->n = n;
	s->lineno = lines;
	return 0;
}

/*
 * Parse k ranges of an open regular file (cuts at cut[0..k]) on k threads into s: count each
 * range's lines, make room for that many records after s's once, then parse each range into
 * its own slice of it. 0 with in->total the bytes read, -errno with *err filled, or 1 when
 * there was no room for the records (nothing was parsed: the caller reads on one thread, which
 * says how far it got).
 */
static int load_chunks(struct ds_input *in, const off_t *cut, unsigned k, struct line_sink *s,
		       struct ds_error *err)
{
	struct load_chunk c[LOAD_MAX_THREADS];
	size_t need = s->n, cap = s->cap;
	void *v;

	for (unsigned i = 0; i < k; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].in = *in;
		c[i].in.ranged = 1;
		c[i].in.bom = i == 0;
		c[i].in.off = cut[i];
		c[i].in.end = cut[i + 1];
		c[i].in.total = 0;
	}
	load_on_threads(c, k, load_chunk_count);
	for (unsigned i = 0; i < k; i++)
		need += c[i].lines;
	if (need > s->cap && !(v = ds_loader_grow(s->v, &cap, need, s->kind->size, 1)))
		return 1;
	if (need > s->cap) {
		s->v = v;
		s->cap = cap;
	}
	for (unsigned i = 0; i < k; i++) {
		ds_sink_start(&c[i].sink, s->kind, s->skip_invalid, NULL, 0, c[i].lines);
		c[i].sink.fixed = 1;
	}
	for (size_t i = 0, at = s->n; i < k; at += c[i].lines, i++)
		c[i].sink.v = (char *)s->v + at * s->kind->size;
	load_on_threads(c, k, load_chunk_run);
	in->total = 0;
	for (unsigned i = 0; i < k; i++)
		in->total += c[i].in.total;
	return load_merge(c, k, s, err);
}

/*
 * Before one thread streams a regular file: room, in one allocation, for as many records as
 * it can hold (a record line has kind->min_line bytes or more), so the array never moves or
 * copies while it fills and its huge pages stay whole. Address space only: untouched pages
 * cost nothing, and load_release gives the rest back. Returns whether it reserved; if the
 * reservation is refused (RLIMIT_AS, overcommit) the array grows as it fills, as for a pipe.
 */
static int load_reserve(const struct ds_input *in, struct line_sink *s)
{
	size_t most = ((size_t)in->st.st_size + 1) / s->kind->min_line + 1, cap = s->cap;
	void *v;

	if (!in->check || s->cap - s->n >= most || most > SIZE_MAX / s->kind->size - s->n)
		return 0;
	v = ds_loader_grow(s->v, &cap, s->n + most, s->kind->size, 1);
	if (!v)
		return 0;
	s->v = v;
	s->cap = cap;
	return 1;
}

/* After load_reserve: the array cut to the records it holds (a shrink: it does not move). */
static void load_release(struct line_sink *s)
{
	size_t cap = s->cap;
	void *v = ds_loader_grow(s->v, &cap, s->n, s->kind->size, 1);

	if (v) {
		s->v = v;
		s->cap = cap;
	}
}

int ds_read_sink(const char *path, struct line_sink *s, size_t *bytes, struct ds_error *err)
{
	struct ds_input in;
	off_t cut[LOAD_MAX_THREADS + 1];
	unsigned k;
	int rc = input_open(&in, path, err);

	if (rc != 0)
		return rc;
	k = load_threads(&in);
	if (k > 1)
		k = load_cuts(&in, k, cut);
	rc = k > 1 ? load_chunks(&in, cut, k, s, err) : 1;
	if (rc == 1) { /* one thread, or no room for the records at once: read as a stream */
		int reserved = load_reserve(&in, s);

		rc = read_input(&in, ds_sink_lines_cb, s, err);
		if (reserved)
			load_release(s);
	}
	rc = read_end(&in, rc, err);
	if (rc == 0 && bytes)
		*bytes = in.total;
	input_close(&in);
	return rc;
}

/*
 * The end of one part's read: the file must be as it was, and the part read whole (a part is
 * a range of the file, so read_end's size check does not apply).
 */
static int part_end(const struct ds_input *in, int rc, struct ds_error *err)
{
	if ((rc == 0 || rc == -EINVAL) &&
	    (input_changed(in, 0) || (rc == 0 && in->total != (size_t)(in->end - in->off0)))) {
		ds_error_set(err, -EIO, in->name, 0, "changed while being read", NULL, 0);
		rc = -EIO;
	}
	return rc;
}

int ds_read_part(const char *path, unsigned part, unsigned parts,
		 int (*fn)(void *ctx, const char *name, const char *buf, size_t len,
			   struct ds_error *err),
		 void *ctx, struct ds_error *err)
{
	const char *env = getenv("RB_PARSE_THREADS");
	off_t cut[LOAD_MAX_THREADS + 1];
	struct ds_input in;
	unsigned k = 1;
	int rc;

	if (parts <= 1)
		return ds_read_lines(path, fn, ctx, NULL, err);
	/* only a regular file is cut: a pipe or FIFO is part 0's alone (opening it again would
	 * wait for a writer that is gone) */
	if (part > 0 &&
	    (strcmp(path, "-") == 0 || stat(path, &in.st) != 0 || !S_ISREG(in.st.st_mode)))
		return 0;
	if ((rc = input_open(&in, path, err)) != 0)
		return rc;
	parts = parts > LOAD_MAX_THREADS ? LOAD_MAX_THREADS : parts;
	if (in.check && in.own && ((env && *env) || in.st.st_size / parts >= LOAD_MIN_CHUNK))
		k = load_cuts(&in, parts, cut);
	if (part >= k) {
		rc = 0; /* an input that is not cut, or not into this many: another part reads it */
	} else if (k == 1) {
		rc = read_end(&in, read_input(&in, fn, ctx, err), err);
	} else {
		in.ranged = 1;
		in.bom = part == 0;
		in.off = in.off0 = cut[part];
		in.end = cut[part + 1];
		rc = part_end(&in, read_input(&in, fn, ctx, err), err);
	}
	input_close(&in);
	return rc;
}
