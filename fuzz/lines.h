/*
 * lines.h - the checks the route and number targets share: a load through the file reader
 * (standard input's path: a pipe) must agree with parsing the same bytes in memory, and
 * fuzz_lines, the whole target over a record type named by its functions. Lesson: the same
 * checks over two record types are written once, the record-specific ones beside each type.
 */
#ifndef ROUTEBENCH_FUZZ_LINES_H
#define ROUTEBENCH_FUZZ_LINES_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "load.h"

/*
 * Write data[0..size) into a pipe and return its read end as a /dev/fd path in path[32], for
 * ds_load_*: the bounded reader then sees what a user's pipe would give it. -1 if the input
 * does not fit the pipe at once (over 64 KiB), or pipe() fails.
 */
static inline int fuzz_pipe(const uint8_t *data, size_t size, char *path)
{
	int fds[2];

	if (size > 65536 || pipe(fds) != 0)
		return -1;
	if (size && write(fds[1], data, size) != (ssize_t)size) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[1]);
	snprintf(path, 32, "/dev/fd/%d", fds[0]);
	return fds[0];
}

/* The bytes the reader parses: data without a leading UTF-8 byte order mark. */
static inline size_t fuzz_skip_bom(const uint8_t *data, size_t size)
{
	return size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* Both loads failed alike: the same errno, line and reason, or both succeeded. */
static inline void fuzz_same_error(int a, const struct ds_error *ea, int b,
				   const struct ds_error *eb)
{
	FUZZ_CHECK(a == b, "parse %d, load %d", a, b);
	if (a == 0)
		return;
	FUZZ_CHECK(ea->err == a && eb->err == b, "err %d/%d", ea->err, eb->err);
	FUZZ_CHECK(ea->line == eb->line, "line %zu vs %zu", ea->line, eb->line);
	FUZZ_CHECK(strcmp(ea->what, eb->what) == 0, "'%s' vs '%s'", ea->what, eb->what);
	FUZZ_CHECK(strcmp(ea->text, eb->text) == 0, "'%s' vs '%s'", ea->text, eb->text);
}

/* An error is well formed: a bad line names its line and a printable, bounded text. */
static inline void fuzz_error_ok(int rc, const struct ds_error *e)
{
	if (rc == 0)
		return;
	FUZZ_CHECK(rc == -EINVAL || rc == -ENOMEM, "rc %d", rc);
	FUZZ_CHECK(e->err == rc, "err %d, rc %d", e->err, rc);
	FUZZ_CHECK(rc != -EINVAL || e->line >= 1, "bad line at line 0");
	FUZZ_CHECK(strlen(e->text) < sizeof(e->text), "text not terminated");
	for (const char *p = e->text; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "unprintable byte 0x%02x in text", *p & 0xff);
}

/* A record type (a list of routes, of numbers) as fuzz_lines sees it; set is its list. */
struct fuzz_lines {
	const char *noun; /* "routes": for messages */
	int (*parse)(const char *buf, size_t len, int skip_invalid, void *set, struct ds_error *e);
	int (*load)(const char *path, void *set, struct ds_error *e); /* strict */
	size_t (*count)(const void *set, size_t *skipped);
	void (*check)(const void *set);                     /* every record is valid */
	int (*same)(const void *a, const void *b, size_t i); /* record i alike in both */
	void (*free)(void *set);
};

/* Lists a and b hold the same records and skipped as many lines. */
static inline void fuzz_same_lines(const struct fuzz_lines *k, const void *a, const void *b)
{
	size_t sa, sb, na = k->count(a, &sa), nb = k->count(b, &sb);

	FUZZ_CHECK(na == nb && sa == sb, "%zu/%zu %s, %zu/%zu skipped", na, nb, k->noun, sa, sb);
	for (size_t i = 0; i < na; i++)
		FUZZ_CHECK(k->same(a, b, i), "%s %zu differs", k->noun, i);
}

/*
 * The target: any bytes either parse into valid records or fail on one line with a
 * well-formed error; skipping accounts for every bad line and changes nothing in a good file;
 * the file reader over a pipe agrees exactly. set[0..3): three empty lists of k's type.
 */
static inline int fuzz_lines(const struct fuzz_lines *k, void *const set[3], const uint8_t *data,
			     size_t size)
{
	const char *text = (const char *)data;
	struct ds_error e1, e2, e3;
	size_t bom = fuzz_skip_bom(data, size), skipped, n;
	char path[32];
	int rc, rc_skip, fd;

	rc = k->parse(text + bom, size - bom, 0, set[0], &e1);
	fuzz_error_ok(rc, &e1);
	n = k->count(set[0], &skipped);
	FUZZ_CHECK(rc == 0 || n == 0, "%zu %s kept after a failure", n, k->noun);
	k->check(set[0]);
	rc_skip = k->parse(text + bom, size - bom, 1, set[1], &e2);
	FUZZ_CHECK(rc_skip == 0 || rc_skip == -ENOMEM, "skipping failed: %d", rc_skip);
	k->check(set[1]);
	if (rc == 0 && rc_skip == 0)
		fuzz_same_lines(k, set[0], set[1]); /* no bad line: skipping changes nothing */
	k->count(set[1], &skipped);
	FUZZ_CHECK(rc != -EINVAL || skipped > 0, "a bad line was not skipped");
	if ((fd = fuzz_pipe(data, size, path)) >= 0) {
		int rc_file = k->load(path, set[2], &e3);

		close(fd);
		fuzz_same_error(rc, &e1, rc_file, &e3);
		if (rc == 0)
			fuzz_same_lines(k, set[0], set[2]);
	}
	for (int i = 0; i < 3; i++)
		k->free(set[i]);
	return 0;
}

#endif
