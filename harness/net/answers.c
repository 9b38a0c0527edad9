/*
 * answers.c - load a --check file: validated by the route loader (so a bad line is reported
 * with its line number the same way as everywhere else), then split into the lines' text.
 */
#include "answers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(struct ds_error *err, const char *path, size_t line, const char *what,
		    const char *text, size_t text_len)
{
	size_t n = 0, max = sizeof(err->text) - 4;

	memset(err, 0, sizeof(*err));
	snprintf(err->path, sizeof(err->path), "%s", path);
	err->line = line;
	snprintf(err->what, sizeof(err->what), "%s", what);
	for (; n < text_len && n < max; n++)
		err->text[n] = text[n] >= 0x20 && text[n] < 0x7f ? text[n] : '?';
	if (text_len > max)
		memcpy(err->text + n, "...", 3);
}

/* The whole file into a NUL-terminated buffer. 0 or -errno. */
static int slurp(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b, *nb;

	if (!f)
		return -errno;
	b = malloc(cap);
	while (b) {
		n += fread(b + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	if (!b || ferror(f)) {
		int rc = b ? -EIO : -ENOMEM;

		free(b);
		fclose(f);
		return rc;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Split into lines as the loaders do: trailing '\r', spaces and tabs cut, blank lines out. */
static void split_lines(struct net_answers *a, size_t size, size_t cap, size_t *lineno)
{
	size_t pos = 0, line = 0;

	while (pos < size && a->n < cap) {
		const char *p = a->text + pos, *nl = memchr(p, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - p) : size - pos;
		size_t start = pos;

		pos += len + (nl != NULL);
		line++;
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		a->off[a->n] = start;
		a->len[a->n] = (uint16_t)len;
		lineno[a->n] = line;
		a->n++;
	}
}

/* Answer i must be for number i. 0, or -1 with *err naming the first line that is not. */
static int match_numbers(const char *path, const struct ds_routes *r, const struct net_answers *a,
			 const size_t *lineno, const struct ds_numbers *numbers,
			 struct ds_error *err)
{
	char what[128];

	if (r->n != numbers->n) {
		snprintf(what, sizeof(what), "%zu answers for %zu numbers", r->n, numbers->n);
		set_err(err, path, 0, what, NULL, 0);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct ds_number *want = &numbers->v[i];

		if (r->v[i].len != want->len || memcmp(r->v[i].digits, want->digits, want->len)) {
			snprintf(what, sizeof(what), "answer %zu is for +%.*s, number %zu is +%.*s",
				 i + 1, (int)r->v[i].len, r->v[i].digits, i + 1, (int)want->len,
				 want->digits);
			set_err(err, path, lineno[i], what, a->text + a->off[i], a->len[i]);
			return -1;
		}
	}
	return 0;
}

int net_answers_load(const char *path, const struct ds_numbers *numbers,
		     struct net_answers *out, struct ds_error *err)
{
	struct net_answers a = { 0 };
	struct ds_routes r = { 0 };
	size_t size = 0, *lineno = NULL;
	int rc = slurp(path, &a.text, &size);

	if (rc != 0) {
		set_err(err, path, 0, strerror(-rc), NULL, 0);
		return -1;
	}
	if (ds_parse_routes(a.text, size, path, 0, &r, err) != 0)
		goto fail;
	a.off = malloc((r.n + 1) * sizeof(*a.off));
	a.len = malloc((r.n + 1) * sizeof(*a.len));
	lineno = malloc((r.n + 1) * sizeof(*lineno));
	if (!a.off || !a.len || !lineno) {
		set_err(err, path, 0, "out of memory", NULL, 0);
		goto fail;
	}
	split_lines(&a, size, r.n, lineno);
	if (a.n != r.n) {
		set_err(err, path, 0, "cannot split the file into answers", NULL, 0);
		goto fail;
	}
	if (match_numbers(path, &r, &a, lineno, numbers, err) != 0)
		goto fail;
	free(lineno);
	ds_routes_free(&r);
	*out = a;
	return 0;
fail:
	free(lineno);
	ds_routes_free(&r);
	net_answers_free(&a);
	return -1;
}

void net_answers_free(struct net_answers *a)
{
	free(a->text);
	free(a->off);
	free(a->len);
	memset(a, 0, sizeof(*a));
}
