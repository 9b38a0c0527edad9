/*
 * massif.c - the massif output parser and its CSV writer.
 *
 * A line-by-line state machine: header lines (`desc:`, `cmd:`, `time_unit:`), then per snapshot
 * a `snapshot=N` line between `#-----------` rules, the four `key=value` lines and `heap_tree=`;
 * the tree lines that follow a detailed or peak snapshot are skipped. O(bytes).
 */
#include "massif.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE ((size_t)1 << 30)

/* Fields a snapshot has seen, as bits. */
enum { F_TIME = 1, F_HEAP = 2, F_EXTRA = 4, F_STACKS = 8, F_TREE = 16, F_ALL = 31 };

static void set_error(struct ds_error *err, const char *name, size_t line, const char *what,
		      const char *text, size_t text_len)
{
	size_t cap = sizeof(err->text) - 4;

	snprintf(err->path, sizeof(err->path), "%s", name);
	err->line = line;
	snprintf(err->what, sizeof(err->what), "%s", what);
	if (text_len > cap)
		snprintf(err->text, sizeof(err->text), "%.*s...", (int)cap, text);
	else
		snprintf(err->text, sizeof(err->text), "%.*s", (int)text_len, text);
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

/* Does line[0..len) start with prefix? The rest in *rest. */
static int starts(const char *line, size_t len, const char *prefix, const char **rest,
		  size_t *rest_len)
{
	size_t n = strlen(prefix);

	if (len < n || memcmp(line, prefix, n) != 0)
		return 0;
	*rest = line + n;
	*rest_len = len - n;
	return 1;
}

static int push(struct massif_run *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct massif_snapshot *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n++], 0, sizeof(r->v[0]));
	return 0;
}

/* One line of a snapshot's body. 0, or -1 with what set. */
static int snapshot_line(struct massif_run *r, unsigned *seen, const char *line, size_t len,
			 const char **what)
{
	static const struct {
		const char *key;
		unsigned bit;
		size_t off;
	} keys[] = {
		{ "time=", F_TIME, offsetof(struct massif_snapshot, time) },
		{ "mem_heap_B=", F_HEAP, offsetof(struct massif_snapshot, heap) },
		{ "mem_heap_extra_B=", F_EXTRA, offsetof(struct massif_snapshot, extra) },
		{ "mem_stacks_B=", F_STACKS, offsetof(struct massif_snapshot, stacks) },
	};
	struct massif_snapshot *s = &r->v[r->n - 1];
	const char *rest;
	size_t rest_len;

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (!starts(line, len, keys[k].key, &rest, &rest_len))
			continue;
		if (*seen & keys[k].bit) {
			*what = "value given twice in one snapshot";
			return -1;
		}
		if (parse_u64(rest, rest_len, (uint64_t *)((char *)s + keys[k].off)) != 0) {
			*what = "not a byte count or time";
			return -1;
		}
		*seen |= keys[k].bit;
		return 0;
	}
	if (starts(line, len, "heap_tree=", &rest, &rest_len)) {
		if ((*seen & (F_ALL & ~F_TREE)) != (F_ALL & ~F_TREE)) {
			*what = "heap_tree before time, mem_heap_B, mem_heap_extra_B, mem_stacks_B";
			return -1;
		}
		if (rest_len == 4 && memcmp(rest, "peak", 4) == 0)
			s->kind = MASSIF_PEAK;
		else if (rest_len == 8 && memcmp(rest, "detailed", 8) == 0)
			s->kind = MASSIF_DETAILED;
		else if (rest_len == 5 && memcmp(rest, "empty", 5) == 0)
			s->kind = MASSIF_EMPTY;
		else {
			*what = "unknown heap_tree kind";
			return -1;
		}
		*seen |= F_TREE;
		return 0;
	}
	if (*seen & F_TREE && len > 0 && (line[0] == ' ' || line[0] == 'n'))
		return 0; /* a heap tree line */
	*what = "unexpected line in a snapshot";
	return -1;
}

/* A "snapshot=N" line: the previous one complete, N the next number, time not going back. */
static int snapshot_start(struct massif_run *r, unsigned *seen, const char *rest,
			  size_t rest_len, const char **what)
{
	uint64_t num;

	if (*seen != F_ALL)
		*what = "previous snapshot is incomplete";
	else if (parse_u64(rest, rest_len, &num) != 0 || num != r->n)
		*what = "snapshots must be numbered 0, 1, 2... in order";
	else if (r->n > 1 && r->v[r->n - 1].time < r->v[r->n - 2].time)
		*what = "time goes backwards at the previous snapshot";
	else if (push(r) != 0)
		*what = "out of memory";
	else
		*seen = 0;
	return *seen == 0 ? 0 : -1;
}

/* A line before the first snapshot: desc:, cmd: or time_unit:. 0, or -1 with what set. */
static int header_line(struct massif_run *r, const char *line, size_t len, int *have_unit,
		       const char **what)
{
	const char *rest;
	size_t rest_len;

	if (starts(line, len, "cmd: ", &rest, &rest_len)) {
		snprintf(r->cmd, sizeof(r->cmd), "%.*s", (int)rest_len, rest);
	} else if (starts(line, len, "time_unit: ", &rest, &rest_len)) {
		if (rest_len >= sizeof(r->time_unit)) {
			*what = "unknown time unit";
			return -1;
		}
		snprintf(r->time_unit, sizeof(r->time_unit), "%.*s", (int)rest_len, rest);
		*have_unit = 1;
	} else if (!starts(line, len, "desc:", &rest, &rest_len)) {
		*what = "not massif output (want desc:, cmd:, time_unit: and snapshots)";
		return -1;
	}
	return 0;
}

/* After the last line: a unit, whole snapshots, time in order; then the peak. 0 or -1. */
static int finish_run(struct massif_run *r, unsigned seen, int have_unit, const char **what)
{
	size_t best = 0;

	if (!have_unit || r->n == 0) {
		*what = have_unit ? "no snapshots" : "no time_unit: line";
		return -1;
	}
	if (seen != F_ALL || (r->n > 1 && r->v[r->n - 1].time < r->v[r->n - 2].time)) {
		*what = seen != F_ALL ? "last snapshot is incomplete"
				      : "time goes backwards at the end";
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].heap > r->v[best].heap)
			best = i;
	r->peak = best;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == MASSIF_PEAK)
			r->peak = i;
	return 0;
}

int massif_parse(const char *buf, size_t len, const char *name, struct massif_run *out,
		 struct ds_error *err)
{
	struct massif_run r = { 0 };
	const char *p = buf, *end = buf + len, *what = NULL, *line = buf;
	size_t lineno = 0, line_len = 0;
	unsigned seen = F_ALL;
	int in_snapshots = 0, have_unit = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *rest;
		size_t rest_len;

		line = p;
		line_len = (size_t)((nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
		lineno++;
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		if (line_len == 0 || (line[0] == '#' && line_len > 1 && line[1] == '-'))
			continue;
		if (starts(line, line_len, "snapshot=", &rest, &rest_len)) {
			rc = snapshot_start(&r, &seen, rest, rest_len, &what);
			in_snapshots = 1;
		} else if (in_snapshots) {
			rc = snapshot_line(&r, &seen, line, line_len, &what);
		} else {
			rc = header_line(&r, line, line_len, &have_unit, &what);
		}
	}
	if (rc == 0) {
		line = "";
		line_len = 0;
		lineno = 0;
		rc = finish_run(&r, seen, have_unit, &what);
	}
	if (rc != 0) {
		set_error(err, name, lineno, what, line, line_len);
		free(r.v);
		return -1;
	}
	*out = r;
	return 0;
}

int massif_load(const char *path, struct massif_run *out, struct ds_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int rc = -1, fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(out, 0, sizeof(*out));
	if (fd < 0 || fstat(fd, &st) != 0) {
		set_error(err, path, 0, strerror(errno), "", 0);
		goto out;
	}
	if ((uint64_t)st.st_size > MAX_FILE) {
		set_error(err, path, 0, "larger than 1 GiB: not massif output", "", 0);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		set_error(err, path, 0, "out of memory", "", 0);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			set_error(err, path, 0, n < 0 ? strerror(errno) : "file shrank while read",
				  "", 0);
			goto out;
		}
		got += (size_t)n;
	}
	rc = massif_parse(buf, got, path, out, err);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

void massif_free(struct massif_run *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int massif_write_csv(const struct massif_run *r, FILE *f)
{
	double last = r->n ? (double)r->v[r->n - 1].time : 0;

	fprintf(f, "snapshot,time,time_frac,heap_bytes,extra_bytes,peak\n");
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, "%zu,%" PRIu64 ",%.6f,%" PRIu64 ",%" PRIu64 ",%d\n", i, r->v[i].time,
			last > 0 ? (double)r->v[i].time / last : 0.0, r->v[i].heap, r->v[i].extra,
			i == r->peak);
	return ferror(f) ? -EIO : 0;
}
