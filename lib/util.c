/*
 * util.c - arena, growable arrays, string interning.
 *
 * The interning table is open addressing with linear probing; a slot holds
 * the string's hash next to its id, so that a probe only touches the text of
 * a string whose hash matches, and growing never re-hashes text.
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

/* ---- big blocks ------------------------------------------------------------- */

void dc_mem_hint_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t a, e;
	if (!p || n < 2 * (size_t)huge)
		return;
	a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	e = ((uintptr_t)p + n) & ~(huge - 1);
	if (e > a)
		(void)madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

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
	/* no huge-page hint here: it splits the mapping, and glibc's realloc
	 * can then no longer move it with mremap (it copies instead) */
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
	struct dc_strslot *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	dc_mem_hint_huge(slots, (size_t)n * sizeof(*slots));
	for (i = 0; i < t->nslots; i++) {
		uint32_t p;
		if (!t->slots[i].s)
			continue;
		p = t->slots[i].h & mask;
		while (slots[p].s)
			p = (p + 1) & mask;
		slots[p] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

/* The length stored before an interned text. */
static inline uint32_t strtab_len_before(const char *s)
{
	uint32_t len;
	memcpy(&len, s - sizeof(len), sizeof(len));
	return len;
}

/* The slot of s[0..len) (hash h): its entry, or the empty slot where it goes. */
static inline uint32_t strtab_find(const dc_strtab *t, const char *s, size_t len, uint32_t h)
{
	uint32_t mask = t->nslots - 1, p = h & mask;
	const struct dc_strslot *e;
	while ((e = &t->slots[p])->s) {
		if (e->h == h && strtab_len_before(e->s) == len && memcmp(e->s, s, len) == 0)
			break;
		p = (p + 1) & mask;
	}
	return p;
}

uint32_t dc_strtab_lookup(const dc_strtab *t, const char *s, size_t len)
{
	uint32_t p;
	if (len > UINT32_MAX - 1)
		return 0;
	p = strtab_find(t, s, len, dc_hash(s, len));
	return t->slots[p].s ? t->slots[p].id : 0;
}

uint32_t dc_strtab_intern(dc_strtab *t, const char *s, size_t len)
{
	uint32_t h, p, id, l32;
	char *copy;
	if (len > UINT32_MAX - 1)
		return 0;
	h = dc_hash(s, len);
	p = strtab_find(t, s, len, h);
	if (t->slots[p].s)
		return t->slots[p].id;
	/* the length, then the text and its NUL */
	copy = dc_arena_alloc(&t->arena, sizeof(l32) + len + 1);
	if (!copy || dc_vec_reserve(&t->ents, 1))
		return 0;
	l32 = (uint32_t)len;
	memcpy(copy, &l32, sizeof(l32));
	copy += sizeof(l32);
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	id = (uint32_t)t->ents.len;
	t->ents.items[id].s = copy;
	t->ents.items[id].len = l32;
	t->ents.len++;
	t->slots[p].s = copy;
	t->slots[p].h = h;
	t->slots[p].id = id;
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

/* ---- text from input ---------------------------------------------------- */

/* The code point at s (n >= 1 bytes), *len its length; 0xFFFD with *len 1
 * for a byte that does not start a well-formed UTF-8 sequence. */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
	uint32_t c = s[0];
	size_t n, i;
	if (c < 0x80) {
		*len = 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07;
	else {
		*len = 1;
		return 0xFFFD;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF)) {
		*len = 1;
		return 0xFFFD;
	}
	*len = n;
	return c;
}

static int cp_unsafe(uint32_t c, int flags)
{
	if (c == '\t' || c == '\n')
		return !(flags & DC_TEXT_MULTILINE);
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x61C || c == 0x200E ||
	       c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xFFFE || c == 0xFFFF; /* not characters XML allows: an SVG would not parse */
}

/* "::" where a line of the CI log starts (GitHub's runner trims leading
 * white space before it looks for a command), or "##[" anywhere (its legacy
 * command form, found anywhere in a line) */
static uint32_t workflow_marker(const unsigned char *p, size_t i, int line_start)
{
	if (line_start && p[i] == ':' && p[i + 1] == ':')
		return DC_TEXT_WORKFLOW_LEAD;
	if (p[i] == '#' && p[i + 1] == '#' && p[i + 2] == '[')
		return DC_TEXT_WORKFLOW_LEGACY;
	return 0;
}

uint32_t dc_text_check(const char *s, int flags, size_t *at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	int line_start = 1;
	if (!s)
		return 0;
	while (p[i]) {
		uint32_t c = utf8_next(p + i, &len), w;
		if (c == 0xFFFD && len == 1 && p[i] >= 0x80) {
			if (at)
				*at = i;
			return 0xFFFD;
		}
		if (cp_unsafe(c, flags)) {
			if (at)
				*at = i;
			return c;
		}
		if ((w = workflow_marker(p, i, line_start)) != 0) {
			if (at)
				*at = i;
			return w;
		}
		if (c == '\n')
			line_start = 1;
		else if (c != ' ' && c != '\t')
			line_start = 0;
		i += len;
	}
	return 0;
}

void dc_text_describe(uint32_t cp, char *buf, size_t size)
{
	if (cp == DC_TEXT_WORKFLOW_LEAD)
		snprintf(buf, size, "'::' at the start (a GitHub Actions workflow command when a log "
			 "line starts with it)");
	else if (cp == DC_TEXT_WORKFLOW_LEGACY)
		snprintf(buf, size, "'##' before '[' (GitHub Actions' legacy workflow command, read "
			 "anywhere in a log line)");
	else if (cp == 0xFFFD)
		snprintf(buf, size, "a byte that is not UTF-8");
	else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		snprintf(buf, size, "the control character U+%04X", (unsigned)cp);
	else if (cp == 0xFFFE || cp == 0xFFFF)
		snprintf(buf, size, "the noncharacter U+%04X (not allowed in XML)", (unsigned)cp);
	else
		snprintf(buf, size, "the invisible direction or line character U+%04X", (unsigned)cp);
}

void dc_text_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, len, i = 0;
	int lead = 1; /* only spaces so far: a "::" here starts the line */
	char tmp[16];
	if (!size)
		return;
	while (p && p[i]) {
		uint32_t c = utf8_next(p + i, &len);
		const char *piece;
		size_t k;
		if (c == 0xFFFD && len == 1 && p[i] >= 0x80) {
			snprintf(tmp, sizeof(tmp), "\\x%02X", p[i]);
			piece = tmp;
			k = strlen(tmp);
		} else if (cp_unsafe(c, 0)) {
			if (c == '\n')
				piece = "\\n";
			else if (c == '\r')
				piece = "\\r";
			else if (c == '\t')
				piece = "\\t";
			else if (c < 0x80) {
				snprintf(tmp, sizeof(tmp), "\\x%02X", (unsigned)c);
				piece = tmp;
			} else {
				snprintf(tmp, sizeof(tmp), "\\u{%04X}", (unsigned)c);
				piece = tmp;
			}
			k = strlen(piece);
		} else if (workflow_marker(p, i, lead)) {
			/* the marker's first character escaped: `\x3A:` at the start,
			 * `\x23#[` anywhere, so that no log line carries a command */
			snprintf(tmp, sizeof(tmp), "\\x%02X", (unsigned)c);
			piece = tmp;
			k = strlen(tmp);
		} else {
			piece = (const char *)p + i;
			k = len;
		}
		if (c != ' ')
			lead = 0;
		if (o + k + 1 > size)
			break;
		memcpy(buf + o, piece, k);
		o += k;
		i += len;
	}
	buf[o] = '\0';
}
