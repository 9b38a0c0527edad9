/*
 * load.c - the exact, fast loaders for route and number files.
 *
 * Any input (a file, a pipe, a device, standard input) is read through a bounded buffer
 * (load_read.c; a large regular file on several threads) and scanned once: plain lines 64
 * bytes at a time by load_fast.h, any other line by the careful parser here, which checks '+',
 * the digits, the ',' and the fixed-point cost and words every error. The first bad line stops
 * the read with its file and line number (unless the caller asked to skip and count), so
 * memory is the buffer plus the records kept.
 * Lesson: parsing is part of the build time users feel, and a loader that trusts the size of
 * its input is one `--routes /dev/zero` away from taking the machine down.
 */
#include "load.h"
#include "load_fast.h"
#include "load_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define COST_MAX_INT_DIGITS 12 /* integer part < 10^12, so micro-units stay < RT_COST_MAX */
#define COST_MAX_FRAC_DIGITS 6

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
 * Ask for transparent huge pages over the 2 MiB-aligned inside of a large array: a 10M-route
 * load otherwise takes 60,000 page faults writing its records, more time than the parse.
 * Advice only: nothing changes if the kernel says no.
 */
static void loader_huge(void *v, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t page = 4096;
	uintptr_t a = (uintptr_t)v & ~(page - 1), b = ((uintptr_t)v + bytes + page - 1) & ~(page - 1);

	/* the whole mapping glibc made for the array (its header too), so that the mapping is
	 * not split and the next realloc can still move it with mremap */
	if (bytes >= ((size_t)8 << 20))
		madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
	(void)v;
	(void)bytes;
#endif
}

/*
 * Every allocation the loader makes goes through here. Never inlined, so that its name is a
 * stable handle: `routebench massif` passes --ignore-fn=ds_loader_grow to keep the loader's
 * arrays out of the table's heap profile. v with room for at least need elements (*cap
 * updated; exact: room for need elements and no more, which may shrink v), or NULL with v
 * still valid and *cap unchanged.
 */
__attribute__((noinline)) void *ds_loader_grow(void *v, size_t *cap, size_t need, size_t elem,
					       int exact)
{
	size_t ncap = exact ? (need ? need : 1) : *cap ? *cap : 1024;
	void *nv;

	if (exact ? ncap == *cap : need <= *cap)
		return v;
	while (ncap < need && ncap <= SIZE_MAX / 2)
		ncap *= 2;
	if (ncap < need || ncap > SIZE_MAX / elem)
		return NULL;
	nv = realloc(v, ncap * elem);
	if (nv) {
		*cap = ncap;
		loader_huge(nv, ncap * elem);
	}
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

static const char *parse_route_cb(const struct line *l, void *r)
{
	return parse_route_line(l, r);
}

static const char *parse_number_cb(const struct line *l, void *n)
{
	return parse_number_line(l, n);
}

/* the shortest record lines: "+,0\n" (the catch-all) and "+1\n" */
static const struct line_kind route_lines = { sizeof(struct ds_route), parse_route_cb, "routes",
					      4 };
static const struct line_kind number_lines = { sizeof(struct ds_number), parse_number_cb,
					       "numbers", 3 };

void ds_sink_start(struct line_sink *s, const struct line_kind *kind, int skip_invalid,
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
 * The plain lines from buf[pos..) on, while room and the fast path last: each straight into
 * the sink's array. The offset of the first line left to the careful parser.
 */
/*
 * The window at a time part of sink_fast: plain route lines from buf[pos..) into v[*n..cap),
 * 64 bytes at a time; the new *n and the offset where it stopped. Everything in locals (the
 * records' char stores could alias the sink, and the spills cost more than the checks).
 */
static size_t sink_fast_windows(struct ds_route *v, size_t *n_io, size_t cap, const char *buf,
				size_t size, size_t pos)
{
	size_t n = *n_io, used;

	if (size < DS_FAST_BLOCK_SAFE || cap < DS_FAST_MAX_LINES)
		return pos;
	for (; n <= cap - DS_FAST_MAX_LINES && pos <= size - DS_FAST_BLOCK_SAFE; pos += used) {
		n += ds_fast_records64(buf + pos, v + n, &used);
		if (!used)
			break; /* a line the careful parser or the line at a time path takes */
	}
	*n_io = n;
	return pos;
}

static size_t sink_fast(struct line_sink *s, const char *buf, size_t size, size_t pos)
{
	size_t n = s->n, lines = s->lineno, used;

	if (s->kind == &route_lines) {
		struct ds_route *v = s->v;

		pos = sink_fast_windows(v, &n, s->cap, buf, size, pos);
		lines += n - s->n;
		for (used = 1; used && n < s->cap && size - pos >= DS_FAST_SAFE; pos += used) {
			unsigned len;

			used = ds_fast_route(buf + pos, &len, &v[n].cost);
			if (used) {
				v[n].len = (uint8_t)len;
				memcpy(v[n].digits, buf + pos + 1, RT_MAX_DIGITS);
				n++, lines++;
			}
		}
	} else {
		struct ds_number *v = s->v;

		for (used = 1; used && n < s->cap && size - pos >= DS_FAST_SAFE; pos += used) {
			unsigned len;

			used = ds_fast_number(buf + pos, &len);
			if (used) {
				v[n].len = (uint8_t)len;
				memcpy(v[n].digits, buf + pos + 1, RT_MAX_DIGITS);
				n++, lines++;
			}
		}
	}
	s->n = n;
	s->lineno = lines;
	return pos;
}

/*
 * One line for the careful parser, numbered s->lineno + 1. A line over DS_MAX_LINE bytes is
 * an error before anything else, a blank one (nothing but whitespace) is ignored. 0, or
 * -EINVAL (a bad line) / -ENOMEM with *err filled.
 */
static int sink_line(struct line_sink *s, const char *name, const struct line *l,
		     struct ds_error *err)
{
	const char *why;

	s->lineno++;
	if (l->raw_len > DS_MAX_LINE) {
		why = "line too long (over 1024 bytes)";
	} else if (l->len == 0) {
		return 0;
	} else {
		if (s->n == s->cap && s->fixed) { /* more records than the lines counted */
			ds_error_set(err, -EIO, name, 0, "changed while being read", NULL, 0);
			return -EIO;
		}
		if (s->n == s->cap) {
			void *v = ds_loader_grow(s->v, &s->cap, s->n + 1, s->kind->size, 0);
			char what[80];

			if (!v) {
				snprintf(what, sizeof(what), "out of memory after %zu %s",
					 s->n - s->n0, s->kind->noun);
				ds_error_set(err, -ENOMEM, name, 0, what, NULL, 0);
				return -ENOMEM;
			}
			s->v = v;
		}
		why = s->kind->parse(l, (char *)s->v + s->n * s->kind->size);
	}
	if (!why) {
		s->n++;
	} else if (s->skip_invalid) {
		s->skipped++;
	} else {
		ds_error_set(err, -EINVAL, name, s->lineno, why, l->p, l->raw_len);
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse every line of buf[0..size) (whole lines; only the last may lack its '\n') into the
 * sink: plain lines by the fast path, any other by the careful one. 0, or -EINVAL (a bad
 * line) / -ENOMEM with *err filled.
 */
static int sink_lines(struct line_sink *s, const char *name, const char *buf, size_t size,
		      struct ds_error *err)
{
	size_t pos = 0;
	struct line l;
	int rc;

	while ((pos = sink_fast(s, buf, size, pos)) < size && next_line(buf, size, &pos, &l))
		if ((rc = sink_line(s, name, &l, err)) != 0)
			return rc;
	return 0;
}

int ds_sink_lines_cb(void *ctx, const char *name, const char *buf, size_t size,
			 struct ds_error *err)
{
	return sink_lines(ctx, name, buf, size, err);
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

	ds_sink_start(&s, kind, skip_invalid, v, *n, *cap);
	if (buf)
		*rc = sink_lines(&s, name, buf, size, err);
	else
		*rc = ds_read_sink(path, &s, &read, err);
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
