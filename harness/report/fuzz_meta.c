/*
 * fuzz_meta.c - a libFuzzer entry for the meta.json reader: any bytes into report_meta_read,
 * which must return 0 or -EINVAL and never crash, leak or read past the buffer. Linked into the
 * fuzz harness (fuzz/), which calls this from its LLVMFuzzerTestOneInput.
 */
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "run.h"

int report_fuzz_meta(const uint8_t *data, size_t size)
{
	static struct report_meta meta; /* 26 KB: off the fuzzer's stack */

	(void)report_meta_read((const char *)data, size, &meta);
	return 0;
}
