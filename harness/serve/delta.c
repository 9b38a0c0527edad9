/*
 * delta.c - parsers for what clients send `serve`: route deltas, query numbers, number bodies.
 *
 * Pure functions over a buffer, one pass, memchr per line, costs through the route loader's
 * own exact fixed-point parser (ds_parse_cost), so a delta line means what the same line
 * means in a route file. Lesson: a server's parser is its attack surface; keep it a function
 * of bytes alone so a fuzzer can own it.
 */
#include "delta.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_line_error(struct serve_line_error *e, size_t line, const char *what,
			   const char *text, size_t text_len)
{
	e->line = line;
	snprintf(e->what, sizeof(e->what), "%s", what);
	ds_quote_line(e->text, sizeof(e->text), text, text_len);
}

size_t serve_line_error_format(const struct serve_line_error *e, char *buf, size_t cap)
{
	int n;

	if (e->line)
		n = snprintf(buf, cap, "line %zu: %s: \"%s\"\n", e->line, e->what, e->text);
	else
		n = snprintf(buf, cap, "%s\n", e->what);
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The line at *pos (without '\n'), trailing '\r', ' ', '\t' trimmed; 0 at the end. */
static int next_line(const char *buf, size_t size, size_t *pos, const char **p, size_t *len,
		     size_t *raw_len)
{
	const char *nl;
	size_t n;

	if (*pos >= size)
		return 0;
	*p = buf + *pos;
	nl = memchr(*p, '\n', size - *pos);
	n = nl ? (size_t)(nl - *p) : size - *pos;
	*pos += n + (nl != NULL);
	*raw_len = n;
	while (n && ((*p)[n - 1] == '\r' || (*p)[n - 1] == ' ' || (*p)[n - 1] == '\t'))
		n--;
	*len = n;
	return 1;
}

/* One delta line p[0..len) (len > 0) into *c. NULL, or why it is bad. */
static const char *parse_change(const char *p, size_t len, struct rt_change *c)
{
	const char *why;
	size_t n = 1;

	if (p[0] != '+' && p[0] != '-')
		return "a delta line starts with '+' (set) or '-' (remove)";
	while (n < len && p[n] >= '0' && p[n] <= '9')
		n++;
	if (n - 1 > RT_MAX_DIGITS)
		return "prefix longer than 15 digits";
	memset(c, 0, sizeof(*c));
	c->len = (uint8_t)(n - 1);
	memcpy(c->digits, p + 1, n - 1);
	if (p[0] == '-') {
		if (n != len)
			return "prefix has a character that is not a digit";
		c->kind = RT_REMOVE;
		return NULL;
	}
	if (n == len)
		return "missing ',' and cost";
	if (p[n] != ',')
		return "prefix has a character that is not a digit";
	if (ds_parse_cost(p + n + 1, len - n - 1, &c->cost, &why) != 0)
		return why;
	c->kind = RT_SET;
	return NULL;
}

static int delta_grow(struct serve_delta *d)
{
	size_t ncap = d->cap ? d->cap * 2 : 64;
	struct rt_change *nv;

	if (d->n < d->cap)
		return 0;
	nv = realloc(d->v, ncap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	d->v = nv;
	d->cap = ncap;
	return 0;
}

int serve_parse_delta(const char *buf, size_t len, struct serve_delta *out,
		      struct serve_line_error *err)
{
	size_t pos = 0, lineno = 0, n0 = out->n, l, raw;
	const char *p;

	while (next_line(buf, len, &pos, &p, &l, &raw)) {
		const char *why;

		lineno++;
		if (l == 0)
			continue;
		if (raw > DS_MAX_LINE) {
			why = "line too long (over 1024 bytes)";
		} else if (delta_grow(out) != 0) {
			set_line_error(err, 0, "out of memory parsing the delta", NULL, 0);
			out->n = n0;
			return -ENOMEM;
		} else {
			why = parse_change(p, l, &out->v[out->n]);
		}
		if (why) {
			set_line_error(err, lineno, why, p, raw);
			out->n = n0;
			return -EINVAL;
		}
		out->n++;
	}
	return 0;
}

void serve_delta_free(struct serve_delta *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int serve_parse_query_number(const char *s, size_t len, struct ds_number *out,
			     const char **why)
{
	size_t n = 1;

	if (len == 0) {
		*why = "number is empty";
		return -EINVAL;
	}
	if (s[0] != '+' && s[0] != ' ') {
		*why = "number must start with '+' (%2B in a query string)";
		return -EINVAL;
	}
	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	if (n != len)
		*why = "number has a character that is not a digit";
	else if (n == 1)
		*why = "number has no digits";
	else if (n - 1 > RT_MAX_DIGITS)
		*why = "number longer than 15 digits";
	else
		*why = NULL;
	if (*why)
		return -EINVAL;
	out->len = (uint8_t)(n - 1);
	memcpy(out->digits, s + 1, n - 1);
	return 0;
}

int serve_parse_numbers(const char *buf, size_t len, struct ds_numbers *out,
			struct serve_line_error *err)
{
	struct ds_error e;

	if (ds_parse_numbers(buf, len, "body", 0, out, &e) == 0)
		return 0;
	if (e.line == 0) {
		set_line_error(err, 0, e.what, NULL, 0);
		return -ENOMEM;
	}
	set_line_error(err, e.line, e.what, NULL, 0);
	snprintf(err->text, sizeof(err->text), "%s", e.text);
	return -EINVAL;
}
