/*
 * image_fuzz.c - the libFuzzer entry for route images: any bytes, opened as --no-verify would,
 * then looked up. The header's size and checksum are fixed up first, so a mutation reaches the
 * structures' own checks instead of stopping at the checksum. O(size) per input.
 * Lesson: a format read in place is only safe if every index it holds is checked before use.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "image.h"

static const char *const fuzz_numbers[] = {
	"1", "0", "9", "44", "1415", "14152345678", "999999999999999", "000000000000000",
	"123456789012345", "4460561006", "86", "12345678",
};

#define FUZZ_N (sizeof(fuzz_numbers) / sizeof(fuzz_numbers[0]))

/* Look every fuzz number up, singly and as one batch; the answers must agree. */
static void fuzz_lookups(const struct route_table *t, const uint8_t *data, size_t size)
{
	const char *digits[FUZZ_N + 1];
	unsigned len[FUZZ_N + 1];
	uint64_t got[FUZZ_N + 1];
	char own[RT_MAX_DIGITS];
	unsigned n_own = 0;
	struct rt_stats st;

	/* one more number from the input's last bytes, so lookups go where the data leads */
	for (size_t i = size > RT_MAX_DIGITS ? size - RT_MAX_DIGITS : 0; i < size; i++)
		own[n_own++] = (char)('0' + data[i] % 10);
	for (size_t i = 0; i < FUZZ_N; i++) {
		digits[i] = fuzz_numbers[i];
		len[i] = (unsigned)strlen(fuzz_numbers[i]);
	}
	digits[FUZZ_N] = own;
	len[FUZZ_N] = n_own ? n_own : 1;
	if (!n_own)
		own[0] = '5';
	rt_lookup_batch(t, FUZZ_N + 1, digits, len, got);
	for (size_t i = 0; i <= FUZZ_N; i++)
		if (rt_lookup(t, digits[i], len[i]) != got[i])
			abort(); /* a batch must answer as single lookups do */
	rt_stats(t, &st);
}

int rt_image_fuzz(const uint8_t *data, size_t size)
{
	uint64_t *buf = malloc(size ? size : 1); /* malloc's alignment, as a mapping's */
	struct route_table *t = NULL;
	struct rt_image_error err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size >= RT_IMAGE_HEADER_SIZE) {
		struct rt_image_header h;

		memcpy(&h, buf, sizeof(h));
		h.file_size = size;
		h.header_sum = 0;
		h.header_sum = XXH3_64bits(&h, sizeof(h));
		memcpy(buf, &h, sizeof(h));
	}
	if (rt_image_open(buf, size, RT_IMAGE_NO_VERIFY, &t, &err) == 0) {
		fuzz_lookups(t, (const uint8_t *)buf, size);
		rt_destroy(t);
	}
	free(buf);
	return 0;
}
