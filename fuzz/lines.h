/*
 * lines.h - the checks the route and number targets share: a load through the file reader
 * (standard input's path: a pipe) must agree with parsing the same bytes in memory.
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

#endif
