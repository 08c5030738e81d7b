/*
 * failalloc_preload.c - LD_PRELOAD library for tests/check_alloc_cli.sh:
 * makes the Nth allocation of a whole depcheck process fail
 * (DC_FAIL_AT=N), so the CLI's own code (tools/) is checked along with
 * the library. When it fails one, it writes "failalloc: N failed, from
 * MODULE" to standard error (MODULE: the file of the code that asked, so
 * the script can tell libc's stdio, which falls back to unbuffered I/O,
 * from a failure depcheck must report). DC_FAIL_COUNT=1 prints the number
 * of allocations at exit instead. Not built in sanitizer builds (their
 * runtime must come first; tests/alloc_fail.c covers them).
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static long countdown = -1, count;
static int resolving;
#include "boot_alloc.h"

static void resolve(void)
{
	const char *e;
	if (next_malloc || resolving)
		return;
	resolving = 1;
	next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	resolving = 0;
	e = getenv("DC_FAIL_AT");
	if (e)
		countdown = atol(e);
}

static int should_fail(const void *ret)
{
	count++;
	if (countdown > 0 && --countdown == 0) {
		Dl_info info;
		char msg[512];
		int n = snprintf(msg, sizeof(msg), "failalloc: %ld failed, from %s\n", count,
				 dladdr(ret, &info) && info.dli_fname ? info.dli_fname : "?");
		if (n > 0 && write(2, msg, (size_t)n) < 0)
			return 1;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	if (!next_malloc) {
		if (resolving)
			return boot_alloc(n);
		resolve();
	}
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return next_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (!next_calloc) {
		if (resolving)
			return boot_alloc(a * b);
		resolve();
	}
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return next_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	if (!next_realloc)
		resolve();
	if (in_boot(p)) {
		void *q = malloc(n);
		if (q)
			memcpy(q, p, n < sizeof(boot) ? n : sizeof(boot));
		return q;
	}
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return next_realloc(p, n);
}

void free(void *p)
{
	static void (*next_free)(void *);
	if (!p || (in_boot(p)))
		return;
	if (!next_free)
		next_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	next_free(p);
}

__attribute__((destructor)) static void report(void)
{
	if (getenv("DC_FAIL_COUNT"))
		fprintf(stderr, "failalloc: %ld allocations\n", count);
}
