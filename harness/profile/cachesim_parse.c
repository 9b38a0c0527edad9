/*
 * cachesim_parse.c - the callgrind output parser: a line at a time, keeping only the header
 * keys `events:`, `summary:`, `totals:` and the cache `desc:` lines; cost lines are skipped.
 * O(bytes); every read is bounded by the buffer's length, so any input is safe to give it.
 */
#include "cachesim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_COLUMNS 64
#define MAX_FILE ((size_t)1 << 30)

static const char *const event_names[CS_N_EVENTS] = {
	"Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw",
};

const char *cachesim_event_name(int e)
{
	return e >= 0 && e < CS_N_EVENTS ? event_names[e] : "?";
}

/* The parser's state: the column each event sits in, and the figures added up so far. */
struct parse {
	const char *name;
	struct ds_error *err;
	size_t line;
	int col_event[MAX_COLUMNS]; /* event index of column i, or -1 */
	size_t n_cols;
	const char *events_text;    /* the first events: line, to compare later ones with */
	size_t events_len;
	uint64_t sum[2][MAX_COLUMNS]; /* [0] summary:, [1] totals: */
	unsigned lines[2];
	struct cachesim_counts out;
};

static int fail(struct parse *p, const char *what, const char *text, size_t len)
{
	size_t cap = sizeof(p->err->text) - 4;

	snprintf(p->err->path, sizeof(p->err->path), "%s", p->name);
	p->err->line = p->line;
	snprintf(p->err->what, sizeof(p->err->what), "%s", what);
	if (len > cap)
		snprintf(p->err->text, sizeof(p->err->text), "%.*s...", (int)cap, text);
	else
		snprintf(p->err->text, sizeof(p->err->text), "%.*s", (int)len, text);
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Does s[0..len) start with prefix? The rest in *rest, *rest_len. */
static int starts(const char *s, size_t len, const char *prefix, const char **rest,
		  size_t *rest_len)
{
	size_t n = strlen(prefix);

	if (len < n || memcmp(s, prefix, n) != 0)
		return 0;
	*rest = s + n;
	*rest_len = len - n;
	return 1;
}

/* The next blank-separated token of s[*i..len) into *tok, *tok_len. 0 at the end. */
static int token(const char *s, size_t len, size_t *i, const char **tok, size_t *tok_len)
{
	size_t j;

	while (*i < len && is_blank(s[*i]))
		(*i)++;
	if (*i == len)
		return 0;
	for (j = *i; j < len && !is_blank(s[j]); j++)
		;
	*tok = s + *i;
	*tok_len = j - *i;
	*i = j;
	return 1;
}

/* A whole decimal number in s[0..len). 0 or -1. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int events_line(struct parse *p, const char *s, size_t len)
{
	const char *tok;
	size_t i = 0, tl;

	if (p->events_text) {
		if (len != p->events_len || memcmp(s, p->events_text, len) != 0)
			return fail(p, "events change between parts", s, len);
		return 0;
	}
	p->events_text = s;
	p->events_len = len;
	while (token(s, len, &i, &tok, &tl)) {
		int e = -1;

		if (p->n_cols == MAX_COLUMNS)
			return fail(p, "too many events", s, len);
		for (int k = 0; k < CS_N_EVENTS; k++)
			if (tl == strlen(event_names[k]) && memcmp(tok, event_names[k], tl) == 0)
				e = k;
		if (e >= 0 && (p->out.have & (1u << e)))
			return fail(p, "an event named twice", s, len);
		if (e >= 0)
			p->out.have |= 1u << e;
		p->col_event[p->n_cols++] = e;
	}
	if (!(p->out.have & (1u << CS_IR)))
		return fail(p, "events: line without Ir", s, len);
	return 0;
}

/* A summary: (which 0) or totals: (which 1) line's figures, added to the sums. */
static int figures_line(struct parse *p, int which, const char *s, size_t len)
{
	const char *tok;
	size_t i = 0, tl, col = 0;
	uint64_t v;

	if (!p->events_text)
		return fail(p, "figures before the events: line", s, len);
	while (token(s, len, &i, &tok, &tl)) {
		if (col == p->n_cols)
			return fail(p, "more figures than events", s, len);
		if (parse_u64(tok, tl, &v) != 0)
			return fail(p, "not a count", tok, tl);
		if (p->sum[which][col] > UINT64_MAX - v)
			return fail(p, "count overflows", tok, tl);
		p->sum[which][col++] += v;
	}
	p->lines[which]++;
	return 0;
}

/* "32768 B, 64 B, 8-way associative" into *c; left as it was if the text is otherwise. */
static void desc_cache(const char *s, size_t len, struct membench_cache *c)
{
	uint64_t v[3];
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		size_t j;

		while (i < len && is_blank(s[i]))
			i++;
		for (j = i; j < len && s[j] >= '0' && s[j] <= '9'; j++)
			;
		if (parse_u64(s + i, j - i, &v[k]) != 0)
			return;
		i = j;
		if (k < 2 && !(len - i >= 3 && memcmp(s + i, " B,", 3) == 0))
			return;
		if (k == 2 && !(len - i >= 4 && memcmp(s + i, "-way", 4) == 0))
			return;
		i += k < 2 ? 3 : 4;
	}
	if (v[1] > UINT32_MAX || v[2] > UINT32_MAX)
		return;
	c->bytes = v[0];
	c->line = (unsigned)v[1];
	c->ways = (unsigned)v[2];
}

static int one_line(struct parse *p, const char *s, size_t len)
{
	const char *rest;
	size_t rl;

	if (len && s[len - 1] == '\r')
		len--;
	if (starts(s, len, "events:", &rest, &rl))
		return events_line(p, rest, rl);
	if (starts(s, len, "summary:", &rest, &rl))
		return figures_line(p, 0, rest, rl);
	if (starts(s, len, "totals:", &rest, &rl))
		return figures_line(p, 1, rest, rl);
	if (starts(s, len, "desc: I1 cache:", &rest, &rl))
		desc_cache(rest, rl, &p->out.i1);
	else if (starts(s, len, "desc: D1 cache:", &rest, &rl))
		desc_cache(rest, rl, &p->out.d1);
	else if (starts(s, len, "desc: LL cache:", &rest, &rl))
		desc_cache(rest, rl, &p->out.ll);
	return 0;
}

int cachesim_parse(const char *buf, size_t len, const char *name, struct cachesim_counts *out,
		   struct ds_error *err)
{
	struct parse *p = calloc(1, sizeof(*p));
	size_t i = 0;
	int which, rc = 0;

	if (!p) {
		memset(err, 0, sizeof(*err));
		snprintf(err->path, sizeof(err->path), "%s", name);
		snprintf(err->what, sizeof(err->what), "out of memory");
		return -1;
	}
	p->name = name;
	p->err = err;
	while (rc == 0 && i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;

		p->line++;
		rc = one_line(p, buf + i, end - i);
		i = end + 1;
	}
	if (rc == 0 && !p->events_text) {
		p->line = 0;
		rc = fail(p, "no events: line (not callgrind output?)", "", 0);
	}
	if (rc == 0 && !p->lines[0] && !p->lines[1]) {
		p->line = 0;
		rc = fail(p, "no summary: or totals: line (did callgrind finish?)", "", 0);
	}
	if (rc == 0) {
		which = p->lines[1] ? 1 : 0;
		for (size_t c = 0; c < p->n_cols; c++)
			if (p->col_event[c] >= 0)
				p->out.ev[p->col_event[c]] = p->sum[which][c];
		p->out.from_summary = which == 0;
		p->out.parts = p->lines[which];
		*out = p->out;
	}
	free(p);
	return rc;
}

int cachesim_load(const char *path, struct cachesim_counts *out, struct ds_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0, rc;
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	memset(err, 0, sizeof(*err));
	snprintf(err->path, sizeof(err->path), "%s", path);
	if (fd < 0 || fstat(fd, &st) != 0)
		e = errno;
	else if ((uint64_t)st.st_size > MAX_FILE)
		e = EFBIG;
	else if (!(buf = malloc((size_t)st.st_size + 1)))
		e = ENOMEM;
	while (!e && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			e = errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (e) {
		snprintf(err->what, sizeof(err->what), "%s", strerror(e));
		free(buf);
		return -1;
	}
	rc = cachesim_parse(buf, got, path, out, err);
	free(buf);
	return rc;
}
