/*
 * test_image.c - route images of every implementation that writes them: a round trip answers
 * as the built table does, and every kind of damage (truncation, flipped header and payload
 * bytes, wrong magic, version, byte order or implementation) is the right error, with and
 * without payload verification, never a crash (this suite also runs under ASan and UBSan);
 * louds's digit tails answer as a plain sorted table does.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "image.h"
#include "registry.h"
#include "route_table.h"

#define N_NUMS 3000

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static unsigned below(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

struct numbers {
	char d[N_NUMS][RT_MAX_DIGITS];
	const char *digits[N_NUMS];
	unsigned len[N_NUMS];
};

static struct numbers nums;

/* n random nested routes in a few areas, some 15 digits long, with a catch-all if asked. */
static struct route_table *build(const struct route_table_ops *ops, size_t n, int catch_all)
{
	char d[RT_MAX_DIGITS];
	struct route_table *t;
	unsigned len = 0;

	memset(d, '5', sizeof(d));
	assert_int_equal(rt_create(ops, &t), 0);
	if (catch_all)
		assert_int_equal(rt_insert(t, "", 0, 777), 0);
	for (size_t i = 0; i < n; i++) {
		if (len == 0 || len == RT_MAX_DIGITS || below(4) == 0) {
			len = 1 + below(3);
			d[0] = (char)('1' + below(4));
		}
		d[len] = (char)('0' + below(10));
		len += len < RT_MAX_DIGITS;
		assert_int_equal(rt_insert(t, d, below(3) ? len : RT_MAX_DIGITS, 10 + below(300)), 0);
	}
	assert_int_equal(rt_finalize(t), 0);
	return t;
}

static void make_numbers(void)
{
	for (size_t i = 0; i < N_NUMS; i++) {
		nums.len[i] = 1 + below(RT_MAX_DIGITS);
		nums.d[i][0] = (char)('1' + below(5));
		for (unsigned x = 1; x < nums.len[i]; x++)
			nums.d[i][x] = (char)('0' + (below(3) ? below(3) : below(10)));
		nums.digits[i] = nums.d[i];
	}
}

/* The image of t in a malloc'd buffer (malloc's alignment, as a mapping's), *size its bytes. */
static uint8_t *image_of(const struct route_table *t, size_t *size)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	uint8_t *copy;

	assert_non_null(f);
	assert_int_equal(rt_image_write(t, NULL, f), 0);
	assert_int_equal(fclose(f), 0);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, mem, len);
	free(mem);
	*size = len;
	return copy;
}

/* The first n numbers, singly and batched, answer on b as on a. */
static void same_first(const struct route_table *a, const struct route_table *b, size_t n,
		       const char *what)
{
	static uint64_t got[N_NUMS];

	rt_lookup_batch(b, n, nums.digits, nums.len, got);
	for (size_t i = 0; i < n; i++) {
		uint64_t want = rt_lookup(a, nums.digits[i], nums.len[i]);

		if (rt_lookup(b, nums.digits[i], nums.len[i]) != want || got[i] != want)
			fail_msg("%s: %s: number \"%.*s\" differs from the built table", a->ops->name,
				 what, (int)nums.len[i], nums.digits[i]);
	}
}

static void same_answers(const struct route_table *a, const struct route_table *b,
			 const char *what)
{
	same_first(a, b, N_NUMS, what);
}

static int images(const struct route_table_ops *ops)
{
	return ops->image_write && ops->image_open;
}

static void test_round_trip(void **state)
{
	static const struct {
		size_t routes;
		int catch_all;
	} shapes[] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 50, 1 }, { 3000, 0 }, { 30000, 1 } };
	size_t tested = 0;

	(void)state;
	make_numbers();
	for (size_t r = 0; r < rt_registry_count; r++) {
		if (!images(rt_registry[r]))
			continue;
		for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			struct route_table *t = build(rt_registry[r], shapes[s].routes,
						      shapes[s].catch_all), *u;
			struct rt_image_error err;
			struct rt_stats a, b;
			size_t size;
			uint8_t *img = image_of(t, &size);

			for (unsigned flags = 0; flags <= RT_IMAGE_NO_VERIFY; flags++) {
				if (rt_image_open(img, size, flags, &u, &err) != 0)
					fail_msg("%s: %zu routes: open failed (%d: %s)",
						 t->ops->name, shapes[s].routes, err.status,
						 err.why ? err.why : "");
				assert_ptr_equal(u->ops, t->ops);
				same_answers(t, u, "round trip");
				rt_stats(t, &a);
				rt_stats(u, &b);
				assert_int_equal(a.prefixes, b.prefixes);
				rt_destroy(u);
			}
			free(img);
			rt_destroy(t);
		}
		tested++;
	}
	assert_true(tested >= 3); /* the static structures, at least */
}

/* What opening buf gives, with and without verification: both must be want. */
static void expect_status(const uint8_t *buf, size_t size, enum rt_image_status want,
			  const char *name, const char *what)
{
	for (unsigned flags = 0; flags <= RT_IMAGE_NO_VERIFY; flags++) {
		struct route_table *t = NULL;
		struct rt_image_error err = { .status = RT_IMAGE_OK };
		int rc = rt_image_open(buf, size, flags, &t, &err);

		if (rc == 0)
			rt_destroy(t);
		if ((rc == 0 ? RT_IMAGE_OK : err.status) != want)
			fail_msg("%s: %s%s: status %d, want %d", name, what,
				 flags ? " (no verify)" : "", rc == 0 ? 0 : (int)err.status, (int)want);
	}
}

/* Recompute the header's checksum after a deliberate header change. */
static void reseal(uint8_t *img)
{
	struct rt_image_header h;

	memcpy(&h, img, sizeof(h));
	h.header_sum = 0;
	h.header_sum = XXH3_64bits(&h, sizeof(h));
	memcpy(img, &h, sizeof(h));
}

static void rename_impl(uint8_t *img, const char *name)
{
	memset(img + offsetof(struct rt_image_header, impl), 0, RT_IMAGE_NAME_MAX);
	memcpy(img + offsetof(struct rt_image_header, impl), name, strlen(name));
}

static void damage_header(const struct route_table_ops *ops, const uint8_t *img, size_t size)
{
	uint8_t *b = malloc(size + 64);
	const struct route_table_ops *other = NULL, *unsupported = NULL;
	struct rt_image_error err;
	struct route_table *t;
	size_t cut[] = { 0, 1, 4, 8, 100, RT_IMAGE_HEADER_SIZE - 1, RT_IMAGE_HEADER_SIZE,
			 RT_IMAGE_HEADER_SIZE + 1, size / 2, size - 1 };
	struct rt_image_header h;

	assert_non_null(b);
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++)
		expect_status(img, cut[i], cut[i] ? RT_IMAGE_TRUNCATED : RT_IMAGE_NOT_IMAGE,
			      ops->name, "truncated");
#define DAMAGE(what, edit, want)                                                                \
	do {                                                                                    \
		memcpy(b, img, size);                                                           \
		edit;                                                                           \
		expect_status(b, size, want, ops->name, what);                                  \
	} while (0)
	DAMAGE("wrong magic", b[3] ^= 0x20, RT_IMAGE_NOT_IMAGE);
	DAMAGE("foreign bytes", memset(b, 'x', 64), RT_IMAGE_NOT_IMAGE);
	DAMAGE("other byte order", (memcpy(&h, b, sizeof(h)),
				    h.byte_order = __builtin_bswap32(RT_IMAGE_BYTE_ORDER),
				    memcpy(b, &h, sizeof(h))),
	       RT_IMAGE_BYTE_ORDER_MISMATCH);
	for (size_t at = 16; at < RT_IMAGE_HEADER_SIZE; at += 7)
		DAMAGE("a flipped header byte", b[at] ^= 0x41, RT_IMAGE_CHECKSUM);
	DAMAGE("unchanged", (void)0, RT_IMAGE_OK);
	memset(b + size, 0, 64);
	expect_status(b, size + 64, RT_IMAGE_CORRUPT, ops->name, "bytes past the end");
	memmove(b + 1, img, size);
	expect_status(b + 1, size, RT_IMAGE_CORRUPT, ops->name, "misaligned in memory");
	/* another format version: said so, with its number, whatever its checksum */
	memcpy(b, img, size);
	memcpy(b + offsetof(struct rt_image_header, version), &(uint32_t){ 2 }, 4);
	assert_int_equal(rt_image_open(b, size, 0, &t, &err), -1);
	assert_int_equal(err.status, RT_IMAGE_VERSION_MISMATCH);
	assert_int_equal(err.version, 2);
	for (size_t r = 0; r < rt_registry_count; r++) {
		if (rt_registry[r] != ops && images(rt_registry[r]) && !other)
			other = rt_registry[r];
		if (!images(rt_registry[r]) && !unsupported)
			unsupported = rt_registry[r];
	}
	DAMAGE("unknown implementation", (rename_impl(b, "nosuch"), reseal(b)),
	       RT_IMAGE_UNKNOWN_IMPL);
	if (unsupported)
		DAMAGE("implementation without images", (rename_impl(b, unsupported->name), reseal(b)),
		       RT_IMAGE_NO_SUPPORT);
	if (other)
		DAMAGE("another implementation's name", (rename_impl(b, other->name), reseal(b)),
		       RT_IMAGE_CORRUPT);
#undef DAMAGE
	free(b);
}

/*
 * The payload with byte at changed by flip: verified, a checksum mismatch; unverified, an
 * error or a table whose first n lookups run without a crash (and batch as singles).
 */
static void damage_byte(const struct route_table_ops *ops, uint8_t *b, const uint8_t *img,
			size_t size, size_t at, uint8_t flip, size_t n)
{
	struct route_table *t;
	struct rt_image_error err;

	memcpy(b, img, size);
	b[at] ^= flip;
	assert_int_equal(rt_image_open(b, size, 0, &t, &err), -1);
	assert_int_equal(err.status, RT_IMAGE_CHECKSUM);
	if (rt_image_open(b, size, RT_IMAGE_NO_VERIFY, &t, &err) != 0) {
		if (err.status != RT_IMAGE_CORRUPT)
			fail_msg("%s: payload byte %zu: status %d", ops->name, at, (int)err.status);
		return;
	}
	same_first(t, t, n, "damaged payload");
	rt_destroy(t);
}

/* Random flips anywhere in the payload, and every byte at each section's ends. */
static void damage_payload(const struct route_table_ops *ops, const uint8_t *img, size_t size)
{
	uint8_t *b = malloc(size);
	struct rt_image_header h;

	assert_non_null(b);
	memcpy(&h, img, sizeof(h));
	for (size_t k = 0; k < 300; k++)
		damage_byte(ops, b, img, size,
			    RT_IMAGE_HEADER_SIZE + below((unsigned)(size - RT_IMAGE_HEADER_SIZE)),
			    (uint8_t)(k % 3 ? 1u << below(8) : 0xff), N_NUMS);
	for (uint32_t s = 0; s < h.n_sections; s++) {
		uint64_t off = h.section[s].offset, len = h.section[s].size;

		for (uint64_t i = 0; i < len; i++)
			if (i < 48 || len - i <= 48)
				for (unsigned f = 0; f < 3; f++)
					damage_byte(ops, b, img, size, (size_t)(off + i),
						    (uint8_t[]){ 0xff, 0x10, 0x03 }[f], 300);
	}
	free(b);
}

/* Every payload byte of a small image, flipped three ways. */
static void damage_small(const struct route_table_ops *ops)
{
	struct route_table *t = build(ops, 40, 1);
	size_t size;
	uint8_t *img = image_of(t, &size), *b = malloc(size);

	assert_non_null(b);
	for (size_t at = RT_IMAGE_HEADER_SIZE; at < size; at++)
		for (unsigned f = 0; f < 3; f++)
			damage_byte(ops, b, img, size, at, (uint8_t[]){ 0xff, 0x10, 0x03 }[f], 300);
	free(b);
	free(img);
	rt_destroy(t);
}

static void test_damage(void **state)
{
	(void)state;
	make_numbers();
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t;
		size_t size;
		uint8_t *img;

		if (!images(rt_registry[r]))
			continue;
		t = build(rt_registry[r], 2000, 1);
		img = image_of(t, &size);
		damage_header(rt_registry[r], img, size);
		damage_payload(rt_registry[r], img, size);
		damage_small(rt_registry[r]);
		free(img);
		rt_destroy(t);
	}
}

/* The fuzz entry on mutated images: any bytes, no crash. */
static void test_fuzz_entry(void **state)
{
	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t;
		size_t size;
		uint8_t *img;

		if (!images(rt_registry[r]))
			continue;
		t = build(rt_registry[r], 300, 0);
		img = image_of(t, &size);
		for (size_t k = 0; k < 1500; k++) {
			uint8_t *b = malloc(size);

			assert_non_null(b);
			memcpy(b, img, size);
			for (unsigned x = 1 + below(4); x-- > 0;)
				b[below((unsigned)size)] = (uint8_t)below(256);
			assert_int_equal(rt_image_fuzz(b, k % 50 ? size : below((unsigned)size)), 0);
			free(b);
		}
		assert_int_equal(rt_image_fuzz(img, size), 0);
		free(img);
		rt_destroy(t);
	}
	assert_int_equal(rt_image_fuzz((const uint8_t *)"", 0), 0);
}

static void test_write_errors(void **state)
{
	(void)state;
	for (size_t r = 0; r < rt_registry_count; r++) {
		struct route_table *t;
		FILE *f = tmpfile();

		assert_non_null(f);
		assert_int_equal(rt_create(rt_registry[r], &t), 0);
		assert_int_equal(rt_insert(t, "1415", 4, 20), 0);
		if (images(rt_registry[r])) {
			assert_int_equal(rt_image_write(t, NULL, f), -EINVAL); /* not finalized */
			assert_int_equal(rt_finalize(t), 0);
			assert_int_equal(rt_image_write(t, NULL, f), 0);
		} else {
			assert_int_equal(rt_finalize(t), 0);
			assert_int_equal(rt_image_write(t, NULL, f), -ENOTSUP);
		}
		fclose(f);
		rt_destroy(t);
	}
}

/* Whether t's stats list a component whose name starts with prefix. */
static int has_component(const struct route_table *t, const char *prefix)
{
	struct rt_stats st;

	memset(&st, 0, sizeof(st));
	rt_stats(t, &st);
	for (size_t c = 0; c < st.n_components; c++)
		if (strncmp(st.comp[c].name, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/*
 * louds cuts leaf chains into digit tails when they pay: random 8-12 digit keys (few shared
 * prefixes) must give tails, and every probe near a key (the key, longer, shorter, its last
 * digit changed) must answer as the sorted table does, built and from an image either way.
 */
static void test_louds_tails(void **state)
{
	const struct route_table_ops *lo = rt_find("louds"), *ref = rt_find("sorted");
	static char keys[2000][RT_MAX_DIGITS], probe[6][RT_MAX_DIGITS];
	static unsigned klen[2000];
	struct route_table *a, *b, *u;
	struct rt_image_error err;
	uint8_t *img;
	size_t size;

	(void)state;
	assert_non_null(lo);
	assert_non_null(ref);
	assert_int_equal(rt_create(lo, &a), 0);
	assert_int_equal(rt_create(ref, &b), 0);
	for (size_t i = 0; i < 2000; i++) {
		klen[i] = 8 + below(5);
		for (unsigned x = 0; x < klen[i]; x++)
			keys[i][x] = (char)('0' + below(10));
		if (i % 50 == 0) /* a few nested routes: an inner route above a tail */
			klen[i] = 6;
		assert_int_equal(rt_insert(a, keys[i], klen[i], 1 + i % 97), 0);
		assert_int_equal(rt_insert(b, keys[i], klen[i], 1 + i % 97), 0);
	}
	assert_int_equal(rt_finalize(a), 0);
	assert_int_equal(rt_finalize(b), 0);
	assert_true(has_component(a, "tails"));
	img = image_of(a, &size);
	for (unsigned flags = 0; flags <= RT_IMAGE_NO_VERIFY + 1; flags++) {
		u = a;
		if (flags && rt_image_open(img, size, flags - 1, &u, &err) != 0)
			fail_msg("louds tails: image open failed (%s)", err.why ? err.why : "");
		for (size_t i = 0; i < 2000; i++) {
			unsigned k = klen[i], pl[6] = { k, k + 2, k - 1, k - 3, k, 15 };

			for (unsigned p = 0; p < 6; p++) {
				memset(probe[p], '7', RT_MAX_DIGITS);
				memcpy(probe[p], keys[i], klen[i]);
			}
			probe[4][klen[i] - 1] = (char)('0' + (keys[i][klen[i] - 1] - '0' + 1) % 10);
			const char *pd[6] = { probe[0], probe[1], probe[2],
					      probe[3], probe[4], probe[5] };
			uint64_t got[6], want;

			rt_lookup_batch(u, 6, pd, pl, got);
			for (unsigned p = 0; p < 6; p++) {
				want = rt_lookup(b, probe[p], pl[p]);
				if (rt_lookup(u, probe[p], pl[p]) != want || got[p] != want)
					fail_msg("louds tails: probe %u of key %zu (open %u)", p, i,
						 flags);
			}
		}
		if (u != a)
			rt_destroy(u);
	}
	free(img);
	rt_destroy(a);
	rt_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_fuzz_entry),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_louds_tails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
