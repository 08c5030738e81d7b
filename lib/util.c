/*
 * util.c - arena, growable arrays, string interning.
 *
 * The interning table is open addressing with linear probing; a slot holds
 * the string's hash next to its id, so that a probe only touches the text of
 * a string whose hash matches, and growing never re-hashes text.
 */
#include "util.h"

#include <stdio.h>

/* ---- arena ---------------------------------------------------------------- */

struct dc_arena_block {
	dc_arena_block *next;
	size_t size;
	/* data follows, 8-aligned */
};

#define ARENA_BLOCK (256u * 1024u)

void dc_arena_init(dc_arena *a)
{
	memset(a, 0, sizeof(*a));
}

static void free_list(dc_arena_block *b)
{
	while (b) {
		dc_arena_block *n = b->next;
		free(b);
		b = n;
	}
}

void dc_arena_free(dc_arena *a)
{
	free_list(a->head);
	free_list(a->spare);
	memset(a, 0, sizeof(*a));
}

void *dc_arena_alloc(dc_arena *a, size_t n)
{
	n = (n + 7u) & ~(size_t)7u;
	if (n == 0)
		n = 8;
	a->total += n;
#ifdef DC_DEBUG_POOL
	{
		dc_arena_block *b = malloc(sizeof(*b) + n);
		if (!b)
			return NULL;
		b->size = n;
		b->next = a->head;
		a->head = b;
		return (char *)(b + 1);
	}
#else
	if ((size_t)(a->end - a->cur) < n) {
		size_t sz = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		dc_arena_block *b;
		if (sz == ARENA_BLOCK && a->spare) {
			b = a->spare;
			a->spare = b->next;
		} else if (!(b = malloc(sizeof(*b) + sz))) {
			return NULL;
		}
		b->size = sz;
		if (sz != ARENA_BLOCK && a->head) {
			/* big one-off: keep the current block for small allocations */
			b->next = a->head->next;
			a->head->next = b;
			return (char *)(b + 1);
		}
		b->next = a->head;
		a->head = b;
		a->cur = (char *)(b + 1);
		a->end = a->cur + sz;
	}
	{
		void *p = a->cur;
		a->cur += n;
		return p;
	}
#endif
}

char *dc_arena_strndup(dc_arena *a, const char *s, size_t len)
{
	char *p = dc_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

dc_arena_mark dc_arena_get_mark(const dc_arena *a)
{
	dc_arena_mark m;
	m.head = a->head;
	m.cur = a->cur;
	m.end = a->end;
	m.total = a->total;
	return m;
}

void dc_arena_rewind(dc_arena *a, dc_arena_mark m)
{
	/* blocks newer than the mark sit in front of it in the list; standard
	 * ones are kept for reuse (a streamed parse rewinds once per item, and
	 * giving a block back to malloc each time costs an munmap and page
	 * faults) */
	dc_arena_block *b = a->head;
	while (b && b != m.head) {
		dc_arena_block *n = b->next;
#ifndef DC_DEBUG_POOL
		if (b->size == ARENA_BLOCK) {
			b->next = a->spare;
			a->spare = b;
		} else
#endif
			free(b);
		b = n;
	}
	a->head = m.head;
	a->cur = m.cur;
	a->end = m.end;
	a->total = m.total;
}

/* ---- growable arrays ------------------------------------------------------- */

int dc_vec_grow_(void **items, size_t *cap, size_t need, size_t elem)
{
	size_t nc = *cap ? *cap : 8;
	void *p;
	while (nc < need) {
		if (nc > SIZE_MAX / 2 / elem)
			return -1;
		nc *= 2;
	}
	p = realloc(*items, nc * elem);
	if (!p)
		return -1;
	*items = p;
	*cap = nc;
	return 0;
}

/* ---- interning ------------------------------------------------------------- */

uint32_t dc_hash(const char *s, size_t len)
{
	/* FNV-1a, 32 bit: short keys, good enough spread with power-of-two tables */
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	h ^= h >> 15;
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h;
}

int dc_strtab_init(dc_strtab *t)
{
	memset(t, 0, sizeof(*t));
	dc_arena_init(&t->arena);
	t->nslots = 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots)
		return -1;
	/* id 0 is "no string" */
	if (dc_vec_reserve(&t->ents, 1)) {
		dc_strtab_free(t);
		return -1;
	}
	t->ents.items[0].s = NULL;
	t->ents.items[0].len = 0;
	t->ents.len = 1;
	return 0;
}

void dc_strtab_free(dc_strtab *t)
{
	free(t->slots);
	dc_vec_free(&t->ents);
	dc_arena_free(&t->arena);
	memset(t, 0, sizeof(*t));
}

static int strtab_rehash(dc_strtab *t)
{
	uint32_t n = t->nslots * 2, mask = n - 1, i;
	uint64_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	for (i = 0; i < t->nslots; i++) {
		uint64_t v = t->slots[i];
		uint32_t p;
		if (!v)
			continue;
		p = (uint32_t)(v >> 32) & mask;
		while (slots[p])
			p = (p + 1) & mask;
		slots[p] = v;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

uint32_t dc_strtab_lookup(const dc_strtab *t, const char *s, size_t len)
{
	uint32_t h = dc_hash(s, len), mask = t->nslots - 1, p = h & mask, id;
	uint64_t v;
	while ((v = t->slots[p]) != 0) {
		id = (uint32_t)v;
		if ((uint32_t)(v >> 32) == h && t->ents.items[id].len == len &&
		    memcmp(t->ents.items[id].s, s, len) == 0)
			return id;
		p = (p + 1) & mask;
	}
	return 0;
}

uint32_t dc_strtab_intern(dc_strtab *t, const char *s, size_t len)
{
	uint32_t h, mask, p, id;
	uint64_t v;
	char *copy;
	if (len > UINT32_MAX - 1)
		return 0;
	h = dc_hash(s, len);
	mask = t->nslots - 1;
	p = h & mask;
	while ((v = t->slots[p]) != 0) {
		id = (uint32_t)v;
		if ((uint32_t)(v >> 32) == h && t->ents.items[id].len == len &&
		    memcmp(t->ents.items[id].s, s, len) == 0)
			return id;
		p = (p + 1) & mask;
	}
	copy = dc_arena_strndup(&t->arena, s, len);
	if (!copy || dc_vec_reserve(&t->ents, 1))
		return 0;
	id = (uint32_t)t->ents.len;
	t->ents.items[id].s = copy;
	t->ents.items[id].len = (uint32_t)len;
	t->ents.len++;
	t->slots[p] = (uint64_t)h << 32 | id;
	if ((t->ents.len) * 4 > (size_t)t->nslots * 3 && strtab_rehash(t))
		return 0;
	return id;
}

/* ---- misc ------------------------------------------------------------------ */

void dc_fmt_double(char *buf, size_t size, double v)
{
	int prec;
	/* whole numbers print as such: "40", not the shorter "4e+01" */
	if (v == (double)(long long)v && v > -1e15 && v < 1e15) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	/* %g drops trailing zeros, so %.15g is already the shortest form of
	 * any value written with at most 15 digits (0.9995, not
	 * 0.99950000000000006); only values that need more digits go further */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}
