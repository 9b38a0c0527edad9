/*
 * deck.c - the user's route and number files as datasets: a checking pass (lines, valid
 * records, skipped lines) and a sampling pass (Knuth's Algorithm S, seeded), both streamed
 * through ds_read_lines with each line checked by the loader itself, so a deck accepts and
 * rejects exactly what `price` does. Cost: two reads of the file, O(1) memory. Lesson: to
 * sample n of N lines in order, take each with probability (still needed) / (still left).
 */
#include "deck.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "rng.h"

/* What both passes carry through ds_read_lines. */
struct deck_pass {
	enum ds_deck_kind kind;
	int skip_invalid;
	struct ds_routes routes;   /* one line's parse, reused */
	struct ds_numbers numbers;
	struct ds_deck_scan *scan; /* the checking pass: counts */
	uint64_t lineno, seen;     /* lines read; valid records read */
	/* the sampling pass: */
	FILE *out;
	uint64_t records, want, taken, rng;
};

/* Uniform in [0, n), n >= 1, without modulo bias. */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	uint64_t floor = -n % n, x;

	do
		x = rb_splitmix64(s);
	while (x < floor);
	return x % n;
}

/*
 * One line (without its '\n') through the loader: 1 a valid record, 0 blank, or -EINVAL /
 * -ENOMEM with *err filled as the loader fills it, at this line's number.
 */
static int check_line(struct deck_pass *d, const char *name, const char *line, size_t len,
		      struct ds_error *err)
{
	int rc;

	d->routes.n = d->numbers.n = 0;
	if (d->kind == DS_DECK_ROUTES)
		rc = ds_parse_routes(line, len, name, 0, &d->routes, err);
	else
		rc = ds_parse_numbers(line, len, name, 0, &d->numbers, err);
	if (rc != 0) {
		if (err->line)
			err->line = d->lineno;
		return rc;
	}
	return (d->kind == DS_DECK_ROUTES ? d->routes.n : d->numbers.n) == 1;
}

/* Whether the sampling pass takes the record it is at (Algorithm S). */
static int take(struct deck_pass *d)
{
	uint64_t left = d->records - d->seen, need = d->want - d->taken;

	return need && rng_below(&d->rng, left) < need;
}

/* One line of either pass. 0, or -errno with *err filled. */
static int one_line(struct deck_pass *d, const char *name, const char *line, size_t len,
		    struct ds_error *err)
{
	struct ds_deck_scan *s = d->scan;
	int rc;

	d->lineno++;
	rc = check_line(d, name, line, len, err);
	if (rc == -EINVAL && d->skip_invalid) {
		if (s && s->skipped < DS_DECK_SKIP_AT)
			s->skip_at[s->skipped] = d->lineno;
		if (s)
			s->skipped++;
		return 0;
	}
	if (rc <= 0)
		return rc;
	if (d->out && d->seen < d->records && take(d)) {
		if (fwrite(line, 1, len, d->out) != len || fputc('\n', d->out) == EOF) {
			ds_error_set(err, -EIO, name, 0, "cannot write the sample", NULL, 0);
			return -EIO;
		}
		d->taken++;
	}
	d->seen++;
	return 0;
}

/* ds_read_lines' callback: the piece's lines one by one. */
static int piece(void *ctx, const char *name, const char *buf, size_t len, struct ds_error *err)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		int rc = one_line(ctx, name, buf + pos, n, err);

		if (rc != 0)
			return rc;
		pos += n + (nl != NULL);
	}
	return 0;
}

static void pass_free(struct deck_pass *d)
{
	ds_routes_free(&d->routes);
	ds_numbers_free(&d->numbers);
}

int ds_deck_scan(const char *path, enum ds_deck_kind kind, int skip_invalid,
		 struct ds_deck_scan *out, struct ds_error *err)
{
	struct ds_deck_scan s = { 0 };
	struct deck_pass d = { .kind = kind, .skip_invalid = skip_invalid, .scan = &s };
	size_t bytes = 0;
	int rc;

	if (strcmp(path, "-") == 0) {
		ds_error_set(err, -EINVAL, "stdin", 0, "a deck is read twice: give a file, not '-'",
			     NULL, 0);
		return -EINVAL;
	}
	rc = ds_read_lines(path, piece, &d, &bytes, err);
	pass_free(&d);
	if (rc != 0)
		return rc;
	s.lines = d.lineno;
	s.records = d.seen;
	s.bytes = bytes;
	*out = s;
	return 0;
}

int ds_deck_sample(const char *path, enum ds_deck_kind kind, const struct ds_deck_scan *scan,
		   uint64_t n, uint64_t seed, uint64_t stream, const char *out_path,
		   struct ds_error *err)
{
	struct deck_pass d = { .kind = kind, .skip_invalid = 1, .records = scan->records,
			       .want = n };
	struct rb_outfile o;
	int rc;

	if (n > scan->records) {
		ds_error_set(err, -EINVAL, path, 0, "the sample is larger than the file", NULL, 0);
		return -EINVAL;
	}
	d.rng = seed ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
	rc = rb_outfile_open(&o, out_path);
	if (rc != 0) {
		ds_error_set(err, rc, out_path, 0, strerror(-rc), NULL, 0);
		return rc;
	}
	d.out = o.f;
	rc = ds_read_lines(path, piece, &d, NULL, err);
	pass_free(&d);
	if (rc == 0 && (d.seen != scan->records || d.taken != n)) {
		ds_error_set(err, -EIO, path, 0, "changed since it was checked", NULL, 0);
		rc = -EIO;
	}
	if (rc != 0) {
		rb_outfile_abort(&o);
		return rc;
	}
	rc = rb_outfile_commit(&o);
	if (rc != 0)
		ds_error_set(err, rc, out_path, 0, strerror(-rc), NULL, 0);
	return rc;
}
