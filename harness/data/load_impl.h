/*
 * load_impl.h - what the loader's files share inside harness/data: the sink that parses lines
 * into records (load.c) and the readers that feed it, one buffer or one per thread
 * (load_read.c). Not for other layers: they see load.h.
 */
#ifndef ROUTEBENCH_LOAD_IMPL_H
#define ROUTEBENCH_LOAD_IMPL_H

#include "load.h"

#define DS_READ_BUF (256u * 1024) /* bytes per read(); more than a line of DS_MAX_LINE */

struct line;

/* What differs between a route file and a number file: the record and its line parser. */
struct line_kind {
	size_t size;                                       /* bytes per record */
	const char *(*parse)(const struct line *, void *); /* NULL, or why the line is bad */
	const char *noun;                                  /* what the records are, plural */
	size_t min_line;                                   /* bytes of the shortest record line */
};

/*
 * One load in progress: the records so far (a copy of the caller's array, handed back at the
 * end whether or not the load succeeded, since it may have moved) and the line count.
 */
struct line_sink {
	const struct line_kind *kind;
	int skip_invalid;
	void *v;        /* the records, kind->size bytes each */
	size_t n, cap;  /* records kept, and room for */
	size_t n0;      /* records there before the load */
	size_t skipped; /* invalid lines skipped under skip_invalid */
	size_t lineno;  /* lines seen */
	int fixed;      /* v is a slice of a larger array: full at cap means the file changed */
};

void ds_sink_start(struct line_sink *s, const struct line_kind *kind, int skip_invalid, void *v,
		   size_t n, size_t cap);

/* ds_read_lines's callback: parse a piece of whole lines into the sink ctx. */
int ds_sink_lines_cb(void *ctx, const char *name, const char *buf, size_t size,
		     struct ds_error *err);

/*
 * Every allocation the loader makes: v with room for at least need elements of elem bytes
 * (*cap updated; exact: for need and no more, which may shrink v), or NULL with v still valid
 * and *cap unchanged. Never inlined (its name is the handle `routebench massif --ignore-fn`
 * uses).
 */
void *ds_loader_grow(void *v, size_t *cap, size_t need, size_t elem, int exact);

/*
 * Parse the file at path ("-": standard input) into the sink, as ds_read_lines would feed it:
 * a large regular file on several threads, each a range of whole lines into its own records,
 * merged in file order so that records, counts and the first error are those of one thread.
 * 0 with *bytes the size read, or -errno with *err filled.
 */
int ds_read_sink(const char *path, struct line_sink *s, size_t *bytes, struct ds_error *err);

#endif
