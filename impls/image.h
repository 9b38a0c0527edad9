/*
 * image.h - route images: a finalized static table written to a file once, then opened from a
 * read-only mapping with no parse and no build: a 512-byte header, then the structure's own
 * arrays as 64-byte-aligned sections, used in place. Opening costs a checksum (XXH3-64) and one
 * pass of structural checks, not a build. Lesson: the fastest build is the one done last week.
 */
#ifndef ROUTEBENCH_IMAGE_H
#define ROUTEBENCH_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "route_table.h"

#define RT_IMAGE_MAGIC "RBIMAGE\n" /* 8 bytes, no NUL */
#define RT_IMAGE_VERSION 1u
#define RT_IMAGE_BYTE_ORDER 0x01020304u /* as the writer stored it: tells the reader its order */
#define RT_IMAGE_HEADER_SIZE 512u
#define RT_IMAGE_ALIGN 64u /* every section starts at a multiple of this */
#define RT_IMAGE_MAX_SECTIONS 16
#define RT_IMAGE_MAX_PARAMS 16
#define RT_IMAGE_NAME_MAX 32

/* rt_image_open flags */
#define RT_IMAGE_NO_VERIFY 0x1u /* skip the payload checksum (the structure is still checked) */

struct rt_image_section {
	uint64_t offset; /* from the start of the file, a multiple of RT_IMAGE_ALIGN */
	uint64_t size;	 /* bytes */
};

/*
 * The header, at offset 0, every field in the writer's byte order (only the same order is
 * read). header_sum covers the header with header_sum zero; payload_sum the bytes after it.
 */
struct rt_image_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint64_t header_sum;
	uint64_t payload_sum;
	uint64_t file_size;
	uint32_t header_size;
	uint32_t n_sections;
	char impl[RT_IMAGE_NAME_MAX]; /* the implementation's name, NUL-padded */
	uint64_t prefixes;	      /* distinct prefixes stored */
	uint8_t source_sha256[32];    /* of the route file it was built from; zero if unknown */
	uint64_t param[RT_IMAGE_MAX_PARAMS]; /* the structure's own scalars (counts, widths) */
	struct rt_image_section section[RT_IMAGE_MAX_SECTIONS];
	uint8_t reserved[8];
};

/* What ops->image_write fills: the structure's scalars and arrays, in file order. */
struct rt_image_out {
	uint64_t param[RT_IMAGE_MAX_PARAMS];
	size_t n_sections;
	const void *data[RT_IMAGE_MAX_SECTIONS];
	uint64_t size[RT_IMAGE_MAX_SECTIONS];
};

/*
 * What ops->image_open gets: the header's fields, each section in place (checked bounds), and
 * the open's flags: with RT_IMAGE_NO_VERIFY an implementation may skip its walk over every
 * entry if its lookups then check each index they follow instead (the bounds stay checked,
 * at lookup time: an open that costs nothing per byte of the image).
 */
struct rt_image_in {
	uint64_t prefixes;
	unsigned flags;
	uint64_t param[RT_IMAGE_MAX_PARAMS];
	size_t n_sections;
	const void *data[RT_IMAGE_MAX_SECTIONS]; /* aligned to 8 bytes at least */
	uint64_t size[RT_IMAGE_MAX_SECTIONS];
};

/* Append a section (data may be NULL when bytes is 0). For implementations' image_write. */
static inline void rt_image_add(struct rt_image_out *o, const void *data, uint64_t bytes)
{
	if (o->n_sections < RT_IMAGE_MAX_SECTIONS) {
		o->data[o->n_sections] = data;
		o->size[o->n_sections++] = bytes;
	}
}

enum rt_image_status {
	RT_IMAGE_OK,
	RT_IMAGE_NOT_IMAGE,   /* no magic: "not a routebench image" */
	RT_IMAGE_TRUNCATED,   /* shorter than its header says */
	RT_IMAGE_CHECKSUM,    /* header or payload checksum mismatch */
	RT_IMAGE_VERSION_MISMATCH, /* another format version (version holds it) */
	RT_IMAGE_BYTE_ORDER_MISMATCH, /* written on a machine of the other byte order */
	RT_IMAGE_UNKNOWN_IMPL, /* names an implementation this build lacks (impl) */
	RT_IMAGE_NO_SUPPORT,  /* that implementation has no image_open (impl) */
	RT_IMAGE_CORRUPT,     /* a header field or the structure is inconsistent (why) */
	RT_IMAGE_NOMEM,
};

struct rt_image_error {
	enum rt_image_status status;
	uint32_t version;	       /* RT_IMAGE_VERSION_MISMATCH: the image's */
	char impl[RT_IMAGE_NAME_MAX + 1]; /* UNKNOWN_IMPL, NO_SUPPORT */
	const char *why;	       /* CORRUPT: a static reason */
};

/*
 * Write finalized table t as an image to f (positioned at 0): header, then sections. sha256
 * is the source file's (32 bytes) or NULL. 0, -ENOTSUP (no image_write), -EINVAL (not
 * finalized, or more than the format holds) or -EIO.
 */
int rt_image_write(const struct route_table *t, const uint8_t *sha256, FILE *f);

/*
 * Check the header of the size bytes at base (8-byte aligned) and, without NO_VERIFY in flags,
 * the payload checksum. 0 with *h filled, or -1 with *err set (h untouched).
 */
int rt_image_check(const void *base, size_t size, unsigned flags, struct rt_image_header *h,
		   struct rt_image_error *err);

/*
 * Open the image at base as a table (rt_image_check, then the implementation's own checks of
 * every index it will follow). The table reads base in place: keep it mapped until
 * rt_destroy. 0 with *out set, or -1 with *err set. Never crashes on any bytes.
 */
int rt_image_open(const void *base, size_t size, unsigned flags, struct route_table **out,
		  struct rt_image_error *err);

/* The error as one lowercase line without the file name (e.g. "truncated"), into buf. */
const char *rt_image_strerror(const struct rt_image_error *err, char *buf, size_t cap);

/* A file mapped read-only, whole. */
struct rt_image_map {
	void *base; /* NULL for an empty file */
	size_t size;
};

/*
 * Map the file at path. Without RT_IMAGE_NO_VERIFY in flags its pages are populated at once
 * (the checksum reads them all); with it only the pages a lookup touches fault in.
 * 0, or -errno (*m untouched).
 */
int rt_image_map_file(const char *path, unsigned flags, struct rt_image_map *m);
void rt_image_unmap(struct rt_image_map *m);

/*
 * libFuzzer entry (image_fuzz.c): open data as an image with --no-verify semantics (the
 * header checksum fixed up first, so mutations reach the structural checks), run a few
 * lookups and batches, close. Always returns 0; must never crash.
 */
int rt_image_fuzz(const uint8_t *data, size_t size);

#endif
