/*
 * load.c - the exact, fast loaders for route and number files.
 *
 * Any input (a file, a pipe, a device, standard input) is read through one bounded buffer and
 * scanned once: memchr finds each line end, a hand-written loop checks '+', the digits, the ','
 * and the fixed-point cost. The first bad line stops the read with its file and line number
 * (unless the caller asked to skip and count), so memory is the buffer plus the records kept.
 * Lesson: parsing is part of the build time users feel, and a loader that trusts the size of
 * its input is one `--routes /dev/zero` away from taking the machine down.
 */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COST_MAX_INT_DIGITS 12 /* integer part < 10^12, so micro-units stay < RT_COST_MAX */
#define COST_MAX_FRAC_DIGITS 6
#define DS_READ_BUF (256u * 1024) /* bytes per read(); more than a line of DS_MAX_LINE */

static const char ds_bom[3] = { '\xef', '\xbb', '\xbf' }; /* UTF-8 byte order mark */

void ds_quote_line(char *dst, size_t cap, const char *text, size_t text_len)
{
	size_t n = 0, max = cap - 4;

	for (; text && n < text_len && n < max; n++) {
		unsigned char c = (unsigned char)text[n];
		dst[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (text && text_len > max) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

void ds_error_set(struct ds_error *e, int err, const char *path, size_t line, const char *what,
		  const char *text, size_t text_len)
{
	e->err = err;
	snprintf(e->path, sizeof(e->path), "%s", path);
	e->line = line;
	snprintf(e->what, sizeof(e->what), "%s", what);
	ds_quote_line(e->text, sizeof(e->text), text, text_len);
}

void ds_error_print(const struct ds_error *e, FILE *f)
{
	if (e->line)
		fprintf(f, "%s:%zu: %s: \"%s\"\n", e->path, e->line, e->what, e->text);
	else
		fprintf(f, "%s: %s\n", e->path, e->what);
}

int ds_parse_cost(const char *s, size_t len, uint64_t *micros, const char **why)
{
	size_t i = 0, significant = 0, frac = 0;
	uint64_t v = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (significant == 0 && s[i] == '0')
			continue;
		if (++significant > COST_MAX_INT_DIGITS) {
			*why = "cost is too large (at most 12 integer digits)";
			return -1;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0) {
		*why = len ? "cost is not a number" : "cost is missing";
		return -1;
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++frac > COST_MAX_FRAC_DIGITS) {
				*why = "cost has more than 6 decimal places";
				return -1;
			}
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		if (frac == 0) {
			*why = "cost is not a number";
			return -1;
		}
	}
	if (i != len) {
		*why = "cost is not a number";
		return -1;
	}
	for (; frac < COST_MAX_FRAC_DIGITS; frac++)
		v *= 10;
	*micros = v;
	return 0;
}

size_t ds_format_cost(uint64_t micros, char *buf)
{
	char frac[COST_MAX_FRAC_DIGITS + 1];
	int flen = COST_MAX_FRAC_DIGITS;

	if (micros == RT_NO_ROUTE) {
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(micros % RT_COST_SCALE));
	while (flen > 2 && frac[flen - 1] == '0')
		flen--;
	return (size_t)snprintf(buf, 32, "%llu.%.*s", (unsigned long long)(micros / RT_COST_SCALE),
				flen, frac);
}


/* One line without its terminator, trailing '\r', spaces and tabs removed. */
struct line {
	const char *p;
	size_t len;     /* after trimming */
	size_t raw_len; /* before trimming, for the length limit */
};

/* The line starting at *pos, advancing *pos past its '\n'. 0 at the end of the buffer. */
static int next_line(const char *buf, size_t size, size_t *pos, struct line *l)
{
	const char *p = buf + *pos, *nl;
	size_t len;

	if (*pos >= size)
		return 0;
	nl = memchr(p, '\n', size - *pos);
	len = nl ? (size_t)(nl - p) : size - *pos;
	*pos += len + (nl != NULL);
	l->p = p;
	l->raw_len = len;
	while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	l->len = len;
	return 1;
}

enum { KEY_NO_PLUS, KEY_TOO_LONG, KEY_EMPTY };
static const char *const key_errors[2][3] = {
	{ "prefix must start with '+'", "prefix longer than 15 digits", "prefix has no digits" },
	{ "number must start with '+'", "number longer than 15 digits", "number has no digits" },
};

/*
 * Check the "+DIGITS" at the start of l; returns the digit count, with *why set on error.
 * kind is 0 for route prefixes (zero digits allowed: the catch-all) and 1 for numbers.
 */
static size_t scan_key(const struct line *l, int kind, const char **why)
{
	size_t n = 1;

	*why = NULL;
	if (l->p[0] != '+') {
		*why = key_errors[kind][KEY_NO_PLUS];
		return 0;
	}
	while (n < l->len && l->p[n] >= '0' && l->p[n] <= '9')
		n++;
	n--;
	if (n > RT_MAX_DIGITS)
		*why = key_errors[kind][KEY_TOO_LONG];
	else if (n == 0 && kind == 1)
		*why = key_errors[kind][KEY_EMPTY];
	return n;
}

/*
 * Every allocation the loader makes goes through here. Never inlined, so that its name is a
 * stable handle: `routebench massif` passes --ignore-fn=ds_loader_grow to keep the loader's
 * arrays out of the table's heap profile. v with room for at least need elements (*cap
 * updated), or NULL with v still valid and *cap unchanged.
 */
static __attribute__((noinline)) void *ds_loader_grow(void *v, size_t *cap, size_t need,
						     size_t elem)
{
	size_t ncap = *cap ? *cap : 1024;
	void *nv;

	if (need <= *cap)
		return v;
	while (ncap < need && ncap <= SIZE_MAX / 2)
		ncap *= 2;
	if (ncap < need || ncap > SIZE_MAX / elem)
		return NULL;
	nv = realloc(v, ncap * elem);
	if (nv)
		*cap = ncap;
	return nv;
}

/* Validate one route line into *r. NULL, or the reason it is invalid. */
static const char *parse_route_line(const struct line *l, struct ds_route *r)
{
	const char *why;
	size_t n;

	n = scan_key(l, 0, &why);
	if (why)
		return why;
	if (1 + n == l->len)
		return "missing ',' and cost";
	if (l->p[1 + n] != ',')
		return "prefix has a character that is not a digit";
	if (ds_parse_cost(l->p + 2 + n, l->len - 2 - n, &r->cost, &why) != 0)
		return why;
	r->len = (uint8_t)n;
	memcpy(r->digits, l->p + 1, n);
	return NULL;
}

static const char *parse_number_line(const struct line *l, struct ds_number *num)
{
	const char *why;
	size_t n;

	n = scan_key(l, 1, &why);
	if (why)
		return why;
	if (1 + n != l->len)
		return "number has a character that is not a digit";
	num->len = (uint8_t)n;
	memcpy(num->digits, l->p + 1, n);
	return NULL;
}

/* What differs between a route file and a number file: the record and its line parser. */
struct line_kind {
	size_t size;                                       /* bytes per record */
	const char *(*parse)(const struct line *, void *); /* NULL, or why the line is bad */
	const char *noun;                                  /* what the records are, plural */
};

static const char *parse_route_cb(const struct line *l, void *r)
{
	return parse_route_line(l, r);
}

static const char *parse_number_cb(const struct line *l, void *n)
{
	return parse_number_line(l, n);
}

static const struct line_kind route_lines = { sizeof(struct ds_route), parse_route_cb, "routes" };
static const struct line_kind number_lines = { sizeof(struct ds_number), parse_number_cb,
					       "numbers" };

/*
 * One load in progress: the records so far (a copy of the caller's array, handed back at the
 * end whether or not the load succeeded, since it may have moved) and the line count.
 */
struct line_sink {
	const struct line_kind *kind;
	int skip_invalid;
	void *v;        /* the records, kind->size bytes each */
	size_t n, cap;  /* records kept, and room for */
	size_t n0;      /* records there before the load */
	size_t skipped; /* invalid lines skipped under skip_invalid */
	size_t lineno;  /* lines seen */
};

static void sink_start(struct line_sink *s, const struct line_kind *kind, int skip_invalid,
		       void *v, size_t n, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->skip_invalid = skip_invalid;
	s->v = v;
	s->n = s->n0 = n;
	s->cap = cap;
}

/*
 * Parse every line of buf[0..size) (whole lines; only the last may lack its '\n') into the
 * sink. A line over DS_MAX_LINE bytes is an error before anything else, blank ones (nothing
 * but whitespace) are ignored. 0, or -EINVAL (a bad line) / -ENOMEM with *err filled.
 */
static int sink_lines(struct line_sink *s, const char *name, const char *buf, size_t size,
		      struct ds_error *err)
{
	size_t pos = 0;
	struct line l;

	while (next_line(buf, size, &pos, &l)) {
		const char *why;

		s->lineno++;
		if (l.raw_len > DS_MAX_LINE) {
			why = "line too long (over 1024 bytes)";
		} else if (l.len == 0) {
			continue;
		} else {
			if (s->n == s->cap) {
				void *v = ds_loader_grow(s->v, &s->cap, s->n + 1, s->kind->size);
				char what[80];

				if (!v) {
					snprintf(what, sizeof(what), "out of memory after %zu %s",
						 s->n - s->n0, s->kind->noun);
					ds_error_set(err, -ENOMEM, name, 0, what, NULL, 0);
					return -ENOMEM;
				}
				s->v = v;
			}
			why = s->kind->parse(&l, (char *)s->v + s->n * s->kind->size);
		}
		if (!why) {
			s->n++;
		} else if (s->skip_invalid) {
			s->skipped++;
		} else {
			ds_error_set(err, -EINVAL, name, s->lineno, why, l.p, l.raw_len);
			return -EINVAL;
		}
	}
	return 0;
}

static int sink_lines_cb(void *ctx, const char *name, const char *buf, size_t size,
			 struct ds_error *err)
{
	return sink_lines(ctx, name, buf, size, err);
}

/* --- reading: any file, pipe or device through one bounded buffer -------------------------- */

/* An open input, and what it looked like when opened. */
struct ds_input {
	const char *path, *name; /* name: what messages say ("stdin" for "-") */
	int fd, own;             /* own: fd is ours to close */
	int check;               /* a regular file: its size and times must not change */
	struct stat st;          /* at open */
	size_t total;            /* bytes read */
	size_t truncate_at;      /* test hook (RB_TEST_HOOKS): truncate once this much is read */
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
		ssize_t got = read(in->fd, buf, cap);

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
	int bom = 1, discard = 0, rc;

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

int ds_read_lines(const char *path,
		  int (*fn)(void *ctx, const char *name, const char *buf, size_t len,
			    struct ds_error *err),
		  void *ctx, size_t *bytes, struct ds_error *err)
{
	struct ds_input in;
	size_t cap = 0;
	char *buf;
	int rc = input_open(&in, path, err);

	if (rc != 0)
		return rc;
	buf = ds_loader_grow(NULL, &cap, DS_READ_BUF, 1);
	if (!buf) {
		ds_error_set(err, -ENOMEM, in.name, 0, "out of memory", NULL, 0);
		rc = -ENOMEM;
	} else {
		rc = read_loop(&in, buf, fn, ctx, err);
	}
	/* a bad line may be a line cut short: a file that changed says so instead */
	if ((rc == 0 || rc == -EINVAL) && input_changed(&in, rc == 0)) {
		ds_error_set(err, -EIO, in.name, 0, "changed while being read", NULL, 0);
		rc = -EIO;
	}
	if (rc == 0 && bytes)
		*bytes = in.total;
	free(buf);
	input_close(&in);
	return rc;
}

/*
 * One load into the caller's array v (*n records, room for *cap): of buf[0..size) when buf is
 * set, else of the file at path. Returns the array, which may have moved whether or not the
 * load succeeded; *rc is 0, with *n, *skipped and *bytes advanced, or -errno with *err filled
 * and the counts untouched. (A return value, not a void ** to the caller's typed pointer.)
 */
static void *sink_run(const struct line_kind *kind, const char *path, const char *buf,
		      size_t size, const char *name, int skip_invalid, void *v, size_t *n,
		      size_t *cap, size_t *skipped, size_t *bytes, int *rc, struct ds_error *err)
{
	struct line_sink s;
	size_t read = size;

	sink_start(&s, kind, skip_invalid, v, *n, *cap);
	if (buf)
		*rc = sink_lines(&s, name, buf, size, err);
	else
		*rc = ds_read_lines(path, sink_lines_cb, &s, &read, err);
	*cap = s.cap;
	if (*rc == 0) {
		*n = s.n;
		*skipped += s.skipped;
		*bytes += read;
	}
	return s.v;
}

int ds_parse_routes(const char *buf, size_t size, const char *name, int skip_invalid,
		    struct ds_routes *out, struct ds_error *err)
{
	int rc;

	out->v = sink_run(&route_lines, NULL, buf, size, name, skip_invalid, out->v, &out->n,
			  &out->cap, &out->skipped, &out->bytes, &rc, err);
	return rc;
}

int ds_parse_numbers(const char *buf, size_t size, const char *name, int skip_invalid,
		     struct ds_numbers *out, struct ds_error *err)
{
	int rc;

	out->v = sink_run(&number_lines, NULL, buf, size, name, skip_invalid, out->v, &out->n,
			  &out->cap, &out->skipped, &out->bytes, &rc, err);
	return rc;
}

int ds_load_routes(const char *path, int skip_invalid, struct ds_routes *out, struct ds_error *err)
{
	int rc;

	out->v = sink_run(&route_lines, path, NULL, 0, NULL, skip_invalid, out->v, &out->n,
			  &out->cap, &out->skipped, &out->bytes, &rc, err);
	return rc;
}

int ds_load_numbers(const char *path, int skip_invalid, struct ds_numbers *out,
		    struct ds_error *err)
{
	int rc;

	out->v = sink_run(&number_lines, path, NULL, 0, NULL, skip_invalid, out->v, &out->n,
			  &out->cap, &out->skipped, &out->bytes, &rc, err);
	return rc;
}

void ds_routes_free(struct ds_routes *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void ds_numbers_free(struct ds_numbers *n)
{
	free(n->v);
	memset(n, 0, sizeof(*n));
}
