/*
 * boot_alloc.h - for the allocation interposers (alloc_fail.c,
 * failalloc_preload.c): dlsym may allocate (calloc) before the real
 * allocator's entry points are known; those few blocks come from a static
 * buffer, zeroed, never freed.
 */
#ifndef DC_TEST_BOOT_ALLOC_H
#define DC_TEST_BOOT_ALLOC_H

#include <stddef.h>
#include <string.h>

static char boot[4096];
static size_t boot_used;

static inline int in_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof(boot);
}

static inline void *boot_alloc(size_t n)
{
	void *p;
	n = (n + 15) & ~(size_t)15;
	if (boot_used + n > sizeof(boot))
		return NULL;
	p = boot + boot_used;
	boot_used += n;
	return memset(p, 0, n);
}

#endif
