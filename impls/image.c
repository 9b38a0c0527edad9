/*
 * image.c - the route image format: writing a table's sections behind a checksummed header,
 * and checking an image's header, bounds and checksums before an implementation sees it.
 * O(image bytes) to write or verify (XXH3-64, several GB/s); no allocation but the table's.
 * Lesson: a file read without parsing must be distrusted by construction, checked once.
 */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "registry.h"

_Static_assert(sizeof(struct rt_image_header) == RT_IMAGE_HEADER_SIZE, "header is 512 bytes");

static uint64_t rt_image_align(uint64_t x)
{
	return (x + RT_IMAGE_ALIGN - 1) / RT_IMAGE_ALIGN * RT_IMAGE_ALIGN;
}

static uint64_t rt_image_header_sum(const struct rt_image_header *h)
{
	struct rt_image_header c = *h;

	c.header_sum = 0;
	return XXH3_64bits(&c, sizeof(c));
}

/* Lay the sections out after the header and hash the payload as the file will hold it. */
static int rt_image_layout(const struct rt_image_out *o, struct rt_image_header *h)
{
	static const uint8_t zeros[RT_IMAGE_ALIGN];
	XXH3_state_t *st = XXH3_createState();
	uint64_t at = RT_IMAGE_HEADER_SIZE;

	if (!st)
		return -ENOMEM;
	XXH3_64bits_reset(st);
	for (size_t i = 0; i < o->n_sections; i++) {
		uint64_t start = rt_image_align(at);

		XXH3_64bits_update(st, zeros, (size_t)(start - at));
		if (o->size[i])
			XXH3_64bits_update(st, o->data[i], (size_t)o->size[i]);
		h->section[i].offset = start;
		h->section[i].size = o->size[i];
		at = start + o->size[i];
	}
	h->file_size = rt_image_align(at);
	XXH3_64bits_update(st, zeros, (size_t)(h->file_size - at));
	h->payload_sum = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return 0;
}

int rt_image_write(const struct route_table *t, const uint8_t *sha256, FILE *f)
{
	static const uint8_t zeros[RT_IMAGE_ALIGN];
	struct rt_image_out o;
	struct rt_image_header h;
	struct rt_stats st;
	uint64_t at = RT_IMAGE_HEADER_SIZE;
	int rc;

	if (!t->ops->image_write || !t->ops->image_open)
		return -ENOTSUP;
	if (strlen(t->ops->name) >= RT_IMAGE_NAME_MAX)
		return -EINVAL;
	memset(&o, 0, sizeof(o));
	memset(&h, 0, sizeof(h));
	if ((rc = t->ops->image_write(t, &o)) != 0)
		return rc;
	if (o.n_sections > RT_IMAGE_MAX_SECTIONS)
		return -EINVAL;
	memcpy(h.magic, RT_IMAGE_MAGIC, sizeof(h.magic));
	h.version = RT_IMAGE_VERSION;
	h.byte_order = RT_IMAGE_BYTE_ORDER;
	h.header_size = RT_IMAGE_HEADER_SIZE;
	h.n_sections = (uint32_t)o.n_sections;
	memcpy(h.impl, t->ops->name, strlen(t->ops->name));
	rt_stats(t, &st);
	h.prefixes = st.prefixes;
	if (sha256)
		memcpy(h.source_sha256, sha256, sizeof(h.source_sha256));
	memcpy(h.param, o.param, sizeof(h.param));
	if ((rc = rt_image_layout(&o, &h)) != 0)
		return rc;
	h.header_sum = rt_image_header_sum(&h);
	if (fwrite(&h, sizeof(h), 1, f) != 1)
		return -EIO;
	for (size_t i = 0; i < o.n_sections; i++) {
		size_t pad = (size_t)(h.section[i].offset - at);

		if ((pad && fwrite(zeros, 1, pad, f) != pad) ||
		    (o.size[i] && fwrite(o.data[i], 1, (size_t)o.size[i], f) != o.size[i]))
			return -EIO;
		at = h.section[i].offset + o.size[i];
	}
	if (h.file_size > at && fwrite(zeros, 1, (size_t)(h.file_size - at), f) != h.file_size - at)
		return -EIO;
	return 0;
}

static int rt_image_fail(struct rt_image_error *err, enum rt_image_status s, const char *why)
{
	memset(err, 0, sizeof(*err));
	err->status = s;
	err->why = why;
	return -1;
}

/* Sections in order, aligned, inside the file, not overlapping; the file ends where they do. */
static const char *rt_image_check_sections(const struct rt_image_header *h)
{
	uint64_t at = RT_IMAGE_HEADER_SIZE;

	if (h->header_size != RT_IMAGE_HEADER_SIZE)
		return "header size is not 512";
	if (h->n_sections > RT_IMAGE_MAX_SECTIONS)
		return "too many sections";
	if (memchr(h->impl, 0, sizeof(h->impl)) == NULL)
		return "implementation name is not terminated";
	for (uint32_t i = 0; i < h->n_sections; i++) {
		const struct rt_image_section *s = &h->section[i];

		if (s->offset % RT_IMAGE_ALIGN || s->offset < at || s->offset > h->file_size ||
		    s->size > h->file_size - s->offset)
			return "a section lies outside the file";
		at = s->offset + s->size;
	}
	if (rt_image_align(at) != h->file_size)
		return "the file does not end after its last section";
	return NULL;
}

int rt_image_check(const void *base, size_t size, unsigned flags, struct rt_image_header *h,
		   struct rt_image_error *err)
{
	const uint8_t *b = base;
	struct rt_image_header hd;
	const char *why;

	if (size == 0 || memcmp(b, RT_IMAGE_MAGIC, size < 8 ? size : 8) != 0)
		return rt_image_fail(err, RT_IMAGE_NOT_IMAGE, NULL);
	if (size < RT_IMAGE_HEADER_SIZE)
		return rt_image_fail(err, RT_IMAGE_TRUNCATED, NULL);
	if ((uintptr_t)base & 7)
		return rt_image_fail(err, RT_IMAGE_CORRUPT, "not 8-byte aligned in memory");
	memcpy(&hd, b, sizeof(hd));
	if (hd.byte_order != RT_IMAGE_BYTE_ORDER)
		return rt_image_fail(err, hd.byte_order == __builtin_bswap32(RT_IMAGE_BYTE_ORDER) ?
						  RT_IMAGE_BYTE_ORDER_MISMATCH :
						  RT_IMAGE_CHECKSUM,
				     NULL);
	if (hd.version != RT_IMAGE_VERSION) {
		rt_image_fail(err, RT_IMAGE_VERSION_MISMATCH, NULL);
		err->version = hd.version;
		return -1;
	}
	if (rt_image_header_sum(&hd) != hd.header_sum)
		return rt_image_fail(err, RT_IMAGE_CHECKSUM, NULL);
	if (size < hd.file_size)
		return rt_image_fail(err, RT_IMAGE_TRUNCATED, NULL);
	if (size > hd.file_size)
		return rt_image_fail(err, RT_IMAGE_CORRUPT, "bytes past the image's end");
	if ((why = rt_image_check_sections(&hd)) != NULL)
		return rt_image_fail(err, RT_IMAGE_CORRUPT, why);
	if (!(flags & RT_IMAGE_NO_VERIFY) &&
	    XXH3_64bits(b + RT_IMAGE_HEADER_SIZE, size - RT_IMAGE_HEADER_SIZE) != hd.payload_sum)
		return rt_image_fail(err, RT_IMAGE_CHECKSUM, NULL);
	*h = hd;
	return 0;
}

int rt_image_open(const void *base, size_t size, unsigned flags, struct route_table **out,
		  struct rt_image_error *err)
{
	const struct route_table_ops *ops;
	struct rt_image_header h;
	struct rt_image_in in;
	struct route_table *t = NULL;
	const char *why = "the structure is inconsistent";
	int rc;

	if (rt_image_check(base, size, flags, &h, err) != 0)
		return -1;
	ops = rt_find(h.impl);
	if (!ops || !ops->image_open) {
		rt_image_fail(err, ops ? RT_IMAGE_NO_SUPPORT : RT_IMAGE_UNKNOWN_IMPL, NULL);
		memcpy(err->impl, h.impl, sizeof(h.impl));
		return -1;
	}
	memset(&in, 0, sizeof(in));
	in.prefixes = h.prefixes;
	in.flags = flags;
	memcpy(in.param, h.param, sizeof(in.param));
	in.n_sections = h.n_sections;
	for (uint32_t i = 0; i < h.n_sections; i++) {
		in.data[i] = (const uint8_t *)base + h.section[i].offset;
		in.size[i] = h.section[i].size;
	}
	rc = ops->image_open(&in, &t, &why);
	if (rc == -ENOMEM)
		return rt_image_fail(err, RT_IMAGE_NOMEM, NULL);
	if (rc != 0)
		return rt_image_fail(err, RT_IMAGE_CORRUPT, why);
	*out = t;
	return 0;
}

const char *rt_image_strerror(const struct rt_image_error *err, char *buf, size_t cap)
{
	switch (err->status) {
	case RT_IMAGE_OK: snprintf(buf, cap, "ok"); break;
	case RT_IMAGE_NOT_IMAGE: snprintf(buf, cap, "not a routebench image"); break;
	case RT_IMAGE_TRUNCATED: snprintf(buf, cap, "truncated"); break;
	case RT_IMAGE_CHECKSUM: snprintf(buf, cap, "checksum mismatch"); break;
	case RT_IMAGE_VERSION_MISMATCH:
		snprintf(buf, cap, "image of format version %u, this build reads %u", err->version,
			 RT_IMAGE_VERSION);
		break;
	case RT_IMAGE_BYTE_ORDER_MISMATCH:
		snprintf(buf, cap, "image written on a machine of the other byte order");
		break;
	case RT_IMAGE_UNKNOWN_IMPL:
		snprintf(buf, cap, "image of implementation '%s', which this build does not have",
			 err->impl);
		break;
	case RT_IMAGE_NO_SUPPORT:
		snprintf(buf, cap, "image of implementation '%s', which cannot open images",
			 err->impl);
		break;
	case RT_IMAGE_CORRUPT:
		snprintf(buf, cap, "corrupt image: %s", err->why ? err->why : "inconsistent");
		break;
	case RT_IMAGE_NOMEM: snprintf(buf, cap, "out of memory"); break;
	}
	return buf;
}

int rt_image_map_file(const char *path, unsigned flags, struct rt_image_map *m)
{
	struct stat st;
	void *base = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	int populate = flags & RT_IMAGE_NO_VERIFY ? 0 : MAP_POPULATE;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	else if (st.st_size > 0 &&
		 (base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | populate, fd,
			      0)) == MAP_FAILED)
		rc = -errno;
	close(fd);
	if (rc != 0)
		return rc;
	m->base = st.st_size > 0 ? base : NULL;
	m->size = (size_t)st.st_size;
	return 0;
}

void rt_image_unmap(struct rt_image_map *m)
{
	if (m->base)
		munmap(m->base, m->size);
	m->base = NULL;
	m->size = 0;
}
