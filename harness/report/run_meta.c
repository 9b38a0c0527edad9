/*
 * run_meta.c - meta.json, parsed with libjansson: the machine, build and library facts the
 * report shows, at the paths `routebench bench` writes them, and whether the run completed.
 * Cost: the whole file in memory as a JSON tree, once. Lesson: a real parser reads a key by
 * where it is, not by where its name first appears (a column's doc string may quote it).
 */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define META_MAX (64u << 20) /* a meta.json larger than this is not read */

/* Where each field lives: an object of the root (NULL: the root itself) and a key in it. */
static const struct {
	const char *object, *key, *path;
} meta_fields[REPORT_META_N] = {
	[REPORT_META_CPU] = { "machine", "cpu_model", "machine.cpu_model" },
	[REPORT_META_CORES] = { "machine", "cores", "machine.cores" },
	[REPORT_META_MEM] = { "machine", "mem_total_bytes", "machine.mem_total_bytes" },
	[REPORT_META_KERNEL] = { "machine", "kernel", "machine.kernel" },
	[REPORT_META_COMPILER] = { "build", "compiler", "build.compiler" },
	[REPORT_META_FLAGS] = { "build", "c_flags", "build.c_flags" },
	[REPORT_META_BUILD_TYPE] = { "build", "build_type", "build.build_type" },
	[REPORT_META_COMMIT] = { "build", "git_commit", "build.git_commit" },
	[REPORT_META_GLIBC] = { "libraries", "glibc", "libraries.glibc" },
	[REPORT_META_JEMALLOC] = { "libraries", "libjemalloc2_package",
				   "libraries.libjemalloc2_package" },
	[REPORT_META_STARTED] = { NULL, "started", "started" },
	[REPORT_META_FINISHED] = { NULL, "finished", "finished" },
	[REPORT_META_COMMAND] = { NULL, "command", "command" },
	[REPORT_META_SOURCE] = { NULL, "source", "source" },
	[REPORT_META_SHAPE] = { "arguments", "shape", "arguments.shape" },
	[REPORT_META_SEED] = { "arguments", "seed", "arguments.seed" },
	[REPORT_META_DRAM_NS] = { "machine", "dram_ns", "machine.dram_ns" },
	[REPORT_META_LLC_NS] = { "machine", "llc_ns", "machine.llc_ns" },
	[REPORT_META_SEQ_READ_GB_S] = { "machine", "seq_read_gb_s", "machine.seq_read_gb_s" },
	[REPORT_META_RANDOM_READ_NS] = { "machine", "random_read_ns", "machine.random_read_ns" },
	[REPORT_META_RANDOM_CHAINS] = { "machine", "random_read_chains",
					"machine.random_read_chains" },
	[REPORT_META_DRAM_BEYOND_LLC] = { "machine", "dram_beyond_llc",
					  "machine.dram_beyond_llc" },
};

const char *report_meta_path(enum report_meta_field f)
{
	return f < REPORT_META_N ? meta_fields[f].path : NULL;
}

/* A scalar as text into buf[cap]: strings with control characters as spaces, numbers and
 * booleans as JSON writes them. Anything else (null, objects, arrays) leaves buf "". */
static void scalar_text(const json_t *v, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (json_is_string(v)) {
		size_t o = 0;

		for (const char *s = json_string_value(v); *s && o + 1 < cap; s++)
			buf[o++] = (unsigned char)*s < 0x20 ? ' ' : *s;
		buf[o] = '\0';
	} else if (json_is_integer(v)) {
		snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(buf, cap, "%.15g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(buf, cap, "%s", json_is_true(v) ? "true" : "false");
	}
}

/* The value at object.key of root (object NULL: root.key), or NULL. */
static const json_t *at(const json_t *root, const char *object, const char *key)
{
	const json_t *o = object ? json_object_get(root, object) : root;

	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

/* The last part of a path, at most cap - 1 bytes of it. */
static void file_name(const char *path, char *buf, size_t cap)
{
	const char *b = strrchr(path, '/');

	snprintf(buf, cap, "%s", b ? b + 1 : path);
}

/* The user's files among datasets[] (entries with "source": "user") into *out. */
static void read_user_files(const json_t *root, struct report_meta *out)
{
	const json_t *list = json_object_get(root, "datasets"), *d;
	size_t i;

	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, d) {
		const char *kind = json_string_value(json_object_get(d, "kind"));
		const char *path = json_string_value(json_object_get(d, "path"));
		const json_t *count = json_object_get(d, "count");
		uint64_t n = json_is_integer(count) && json_integer_value(count) > 0
				     ? (uint64_t)json_integer_value(count) : 0;

		if (!kind || !path || !json_is_string(json_object_get(d, "source")) ||
		    strcmp(json_string_value(json_object_get(d, "source")), "user") != 0)
			continue;
		if (strcmp(kind, "numbers") == 0) {
			file_name(path, out->user_numbers_file, sizeof(out->user_numbers_file));
			out->user_numbers = n;
		} else if (strcmp(kind, "routes") == 0) {
			if (out->user_carriers < 4) {
				file_name(path, out->user_route_files[out->user_carriers],
					  sizeof(out->user_route_files[0]));
				out->user_route_counts[out->user_carriers] = n;
			}
			out->user_carriers++;
			out->user_routes += n;
		}
	}
}

int report_meta_read(const char *buf, size_t len, struct report_meta *out)
{
	json_error_t err;
	json_t *root = json_loadb(buf, len, 0, &err);
	const json_t *complete;

	if (!json_is_object(root)) {
		json_decref(root);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < REPORT_META_N; i++)
		scalar_text(at(root, meta_fields[i].object, meta_fields[i].key), out->text[i],
			    sizeof(out->text[i]));
	out->git_dirty = json_is_true(at(root, "build", "git_dirty"));
	read_user_files(root, out);
	complete = at(root, NULL, "complete");
	out->complete = !json_is_false(complete);
	if (!out->complete)
		scalar_text(at(root, NULL, "incomplete_reason"), out->incomplete_reason,
			    sizeof(out->incomplete_reason));
	json_decref(root);
	return 0;
}

/* The whole of path into a new buffer, *len its size. NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t cap = 0, got;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len + 4096 > cap) {
			char *g = cap < META_MAX ? realloc(s, cap = cap ? 2 * cap : 8192) : NULL;

			if (!g) {
				free(s);
				fclose(f);
				return NULL;
			}
			s = g;
		}
		got = fread(s + *len, 1, 4096, f);
		*len += got;
	} while (got == 4096);
	if (ferror(f)) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

double report_meta_number(const struct report_run *run, enum report_meta_field f)
{
	const char *s = run->have_meta && f < REPORT_META_N ? run->meta.text[f] : "";
	char *end;
	double v;

	if (!*s)
		return NAN;
	v = strtod(s, &end);
	return *end ? NAN : v;
}

void report_read_meta(struct report_run *run)
{
	char path[REPORT_PATH_MAX + 16];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/meta.json", run->dir);
	text = read_file(path, &len);
	run->have_meta = text && report_meta_read(text, len, &run->meta) == 0;
	if (!run->have_meta) {
		memset(&run->meta, 0, sizeof(run->meta));
		run->meta.complete = 1;
	}
	free(text);
}
