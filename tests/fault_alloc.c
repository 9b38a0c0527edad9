/*
 * fault_alloc.c - malloc, calloc, realloc, free and the aligned allocators replaced for a test
 * executable (fault_alloc.h): each forwards to glibc's __libc_* entry point, counts, and the one
 * allocation fault_arm names fails. C++'s operator new ends in malloc, so it fails too (and
 * throws std::bad_alloc). Single-threaded: the counters are plain. Lesson: glibc lets a program
 * interpose its allocator, which is all that fault injection needs.
 */
#include "fault_alloc.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#if FAULT_ALLOC

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *p);

/* While counting: allocations asked for, the one that fails (-1: none), made minus freed. */
static struct {
	int counting;
	long made, fail_at, live;
} fault;

void fault_start(void)
{
	fault.made = 0;
	fault.live = 0;
	fault.fail_at = -1;
	fault.counting = 1;
}

void fault_arm(long n)
{
	fault.fail_at = n < 0 ? -1 : fault.made + n;
}

void fault_disarm(void)
{
	fault.fail_at = -1;
}

void fault_stop(void)
{
	fault.counting = 0;
}

long fault_made(void)
{
	return fault.made;
}

long fault_live(void)
{
	return fault.live;
}

int fault_hit(void)
{
	return fault.fail_at >= 0 && fault.made > fault.fail_at;
}

/* Count one allocation; whether it is the one to fail. */
static int fault_next(void)
{
	if (!fault.counting)
		return 0;
	return fault.made++ == fault.fail_at;
}

static void *fault_got(void *p)
{
	fault.live += p && fault.counting;
	return p;
}

void *malloc(size_t size)
{
	return fault_got(fault_next() ? NULL : __libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	return fault_got(fault_next() ? NULL : __libc_calloc(n, size));
}

void *realloc(void *old, size_t size)
{
	void *p;

	if (!old)
		return malloc(size);
	if (size == 0) {
		free(old);
		return NULL;
	}
	p = fault_next() ? NULL : __libc_realloc(old, size);
	return p; /* moved or not, still one block */
}

void *memalign(size_t align, size_t size)
{
	return fault_got(fault_next() ? NULL : __libc_memalign(align, size));
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void free(void *p)
{
	fault.live -= p && fault.counting;
	__libc_free(p);
}

#endif
