/*
 * load.c - the exact, fast loaders for route and number files.
 *
 * The file is memory-mapped and scanned once: memchr finds each line end, a hand-written loop
 * checks '+', the digits, the ',' and the fixed-point cost. Nothing is skipped silently: a bad
 * line fails the load with its file and line number, unless the caller asked to skip and count.
 * Lesson: parsing is part of the build time users feel; fgets + strtod would dominate it.
 */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define COST_MAX_INT_DIGITS 12 /* integer part < 10^12, so micro-units stay < RT_COST_MAX */
#define COST_MAX_FRAC_DIGITS 6

static void set_error(struct ds_error *e, const char *path, size_t line, const char *what,
		      const char *text, size_t text_len)
{
	size_t n = 0, max = sizeof(e->text) - 4;

	snprintf(e->path, sizeof(e->path), "%s", path);
	e->line = line;
	snprintf(e->what, sizeof(e->what), "%s", what);
	for (; text && n < text_len && n < max; n++) {
		unsigned char c = (unsigned char)text[n];
		e->text[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (text && text_len > max) {
		memcpy(e->text + n, "...", 3);
		n += 3;
	}
	e->text[n] = '\0';
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
 * arrays out of the table's heap profile.
 */
static __attribute__((noinline)) int ds_loader_grow(void **v, size_t *cap, size_t need,
						   size_t elem)
{
	size_t ncap = *cap ? *cap : 1024;
	void *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nv = realloc(*v, ncap * elem);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* Validate one route line into *r. NULL, or the reason it is invalid. */
static const char *parse_route_line(const struct line *l, struct ds_route *r)
{
	const char *why;
	size_t n;

	if (l->raw_len > DS_MAX_LINE)
		return "line too long (over 1024 bytes)";
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

	if (l->raw_len > DS_MAX_LINE)
		return "line too long (over 1024 bytes)";
	n = scan_key(l, 1, &why);
	if (why)
		return why;
	if (1 + n != l->len)
		return "number has a character that is not a digit";
	num->len = (uint8_t)n;
	memcpy(num->digits, l->p + 1, n);
	return NULL;
}

/* Blank means nothing but whitespace (trimmed away): those lines are ignored. */
static int is_blank(const struct line *l)
{
	return l->len == 0;
}

/* What differs between a route file and a number file: the record and its line parser. */
struct line_kind {
	size_t size;                                       /* bytes per record */
	const char *(*parse)(const struct line *, void *); /* NULL, or why the line is bad */
	const char *oom;                                   /* message when the array cannot grow */
};

static const char *parse_route_cb(const struct line *l, void *r)
{
	return parse_route_line(l, r);
}

static const char *parse_number_cb(const struct line *l, void *n)
{
	return parse_number_line(l, n);
}

static const struct line_kind route_lines = { sizeof(struct ds_route), parse_route_cb,
					      "out of memory loading routes" };
static const struct line_kind number_lines = { sizeof(struct ds_number), parse_number_cb,
					       "out of memory loading numbers" };

/*
 * Parse every line of buf into the growable array *v (*n used, *cap allocated), counting
 * skipped lines. 0, or -1 with *err set and *n back where it started.
 */
static int parse_lines(const struct line_kind *kind, const char *buf, size_t size,
		       const char *name, int skip_invalid, void **v, size_t *n, size_t *cap,
		       size_t *skipped, struct ds_error *err)
{
	size_t pos = 0, lineno = 0, n0 = *n, nskip = 0;
	struct line l;

	while (next_line(buf, size, &pos, &l)) {
		const char *why;

		lineno++;
		if (is_blank(&l))
			continue;
		if (*n == *cap && ds_loader_grow(v, cap, *n + 1, kind->size) != 0) {
			set_error(err, name, 0, kind->oom, NULL, 0);
			*n = n0;
			return -1;
		}
		why = kind->parse(&l, (char *)*v + *n * kind->size);
		if (!why) {
			(*n)++;
		} else if (skip_invalid) {
			nskip++;
		} else {
			set_error(err, name, lineno, why, l.p, l.raw_len);
			*n = n0;
			return -1;
		}
	}
	*skipped += nskip;
	return 0;
}

int ds_parse_routes(const char *buf, size_t size, const char *name, int skip_invalid,
		    struct ds_routes *out, struct ds_error *err)
{
	if (parse_lines(&route_lines, buf, size, name, skip_invalid, (void **)&out->v, &out->n,
			&out->cap, &out->skipped, err) != 0)
		return -1;
	out->bytes += size;
	return 0;
}

int ds_parse_numbers(const char *buf, size_t size, const char *name, int skip_invalid,
		     struct ds_numbers *out, struct ds_error *err)
{
	if (parse_lines(&number_lines, buf, size, name, skip_invalid, (void **)&out->v, &out->n,
			&out->cap, &out->skipped, err) != 0)
		return -1;
	out->bytes += size;
	return 0;
}

/*
 * Map path (or read it, when it cannot be mapped: a pipe, /dev/stdin) and hand the bytes to
 * parse. The mapping is released before returning.
 */
static int with_file(const char *path, struct ds_error *err,
		     int (*parse)(const char *, size_t, const char *, int, void *, struct ds_error *),
		     int skip_invalid, void *out)
{
	struct stat st;
	char *buf = NULL;
	size_t size = 0, cap = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		set_error(err, path, 0, strerror(errno), NULL, 0);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		set_error(err, path, 0, "is a directory", NULL, 0);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
			rc = parse(m, (size_t)st.st_size, path, skip_invalid, out, err);
			munmap(m, (size_t)st.st_size);
			return rc;
		}
	}
	for (;;) {
		ssize_t got;

		if (size == cap && ds_loader_grow((void **)&buf, &cap, size + 65536, 1) != 0) {
			set_error(err, path, 0, "out of memory reading the file", NULL, 0);
			goto fail;
		}
		got = read(fd, buf + size, cap - size);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			set_error(err, path, 0, strerror(errno), NULL, 0);
			goto fail;
		}
		if (got == 0)
			break;
		size += (size_t)got;
	}
	close(fd);
	rc = parse(buf, size, path, skip_invalid, out, err);
	free(buf);
	return rc;
fail:
	close(fd);
	free(buf);
	return -1;
}

static int parse_routes_cb(const char *buf, size_t size, const char *name, int skip, void *out,
			   struct ds_error *err)
{
	return ds_parse_routes(buf, size, name, skip, out, err);
}

static int parse_numbers_cb(const char *buf, size_t size, const char *name, int skip, void *out,
			    struct ds_error *err)
{
	return ds_parse_numbers(buf, size, name, skip, out, err);
}

int ds_load_routes(const char *path, int skip_invalid, struct ds_routes *out, struct ds_error *err)
{
	return with_file(path, err, parse_routes_cb, skip_invalid, out);
}

int ds_load_numbers(const char *path, int skip_invalid, struct ds_numbers *out,
		    struct ds_error *err)
{
	return with_file(path, err, parse_numbers_cb, skip_invalid, out);
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

