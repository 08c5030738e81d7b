/*
 * util.h - small private building blocks: an arena, growable arrays and a
 * string interning table.
 *
 * The arena hands out memory that lives until the arena is freed: catalog
 * strings, document trees. With DC_DEBUG_POOL every allocation is a separate
 * malloc so ASan and valgrind see each one (libgit2's GIT_DEBUG_POOL).
 */
#ifndef DC_UTIL_H
#define DC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

/* ---- arena ---------------------------------------------------------------- */

typedef struct dc_arena_block dc_arena_block;
typedef struct {
	dc_arena_block *head;
	dc_arena_block *spare;  /* standard blocks released by a rewind, for reuse */
	char *cur, *end;
	size_t total;          /* bytes handed out, for statistics */
} dc_arena;

void dc_arena_init(dc_arena *a);
void dc_arena_free(dc_arena *a);
/* Aligned to 8. Returns NULL on out-of-memory. */
void *dc_arena_alloc(dc_arena *a, size_t n);
/* Copy of s[0..len) with a terminating NUL. */
char *dc_arena_strndup(dc_arena *a, const char *s, size_t len);
/* A position to rewind to: everything allocated after the mark is released
 * by dc_arena_rewind (an oversized one-off block may be kept until the
 * arena is freed). */
typedef struct {
	dc_arena_block *head;
	char *cur, *end;
	size_t total;
} dc_arena_mark;
dc_arena_mark dc_arena_get_mark(const dc_arena *a);
void dc_arena_rewind(dc_arena *a, dc_arena_mark m);

/* A hint that the n bytes at p (a big block allocated once: the string
 * table's slots, a file's text) are best backed by transparent huge pages,
 * one page fault per 2 MiB instead of per 4 KiB, where the kernel offers
 * them on request (madvise). Blocks under 4 MiB are left alone; nothing
 * depends on the kernel following it. Not for a block that is realloc'ed:
 * the advice splits its mapping, which glibc then copies instead of
 * moving it with mremap. */
void dc_mem_hint_huge(void *p, size_t n);

/* ---- growable arrays -------------------------------------------------------
 * `DC_VEC(T) v = {0};` then dc_vec_push(&v, x) (returns 0 or -1). */

#define DC_VEC(T) struct { T *items; size_t len, cap; }

int dc_vec_grow_(void **items, size_t *cap, size_t need, size_t elem);
#define dc_vec_reserve(v, n) \
	(((v)->len + (n) <= (v)->cap) ? 0 : \
	 dc_vec_grow_((void **)&(v)->items, &(v)->cap, (v)->len + (n), sizeof(*(v)->items)))
#define dc_vec_push(v, x) \
	(dc_vec_reserve((v), 1) ? -1 : (((v)->items[(v)->len++] = (x)), 0))
#define dc_vec_free(v) do { free((v)->items); (v)->items = NULL; (v)->len = (v)->cap = 0; } while (0)

/* ---- reading a stream ---------------------------------------------------------
 * (read_all.c) Read all of fp into one malloc'ed NUL-terminated buffer of at
 * most `max` bytes: 0, DC_ELIMIT (*too_big set), DC_EIO (errno tells why) or
 * DC_ENOMEM (report it as such: errno may be stale). Used by every reader of
 * input files: catalogs, policies, observed dependencies. */

#include <stdio.h>
int load_read_all(FILE *fp, size_t max, char **out, size_t *outlen, int *too_big);

/* Open a named input for load_read_all (read_all.c). A regular file is
 * opened. A FIFO (`mkfifo`, /dev/stdin or /dev/fd/N of a pipe, bash's <(...))
 * is read like standard input, under the same size limit, but waits at most
 * LOAD_FIFO_WAIT_MS for a writer: a FIFO nobody writes is an error, never a
 * hang. A device (/dev/zero, a tty), a socket or a directory is refused
 * without being opened for reading. Returns 0 and *fp (close it with
 * fclose), DC_ENOMEM, or DC_EIO with *why set to a text to print after the
 * path (static, or strerror's). *is_fifo (may be NULL) tells a FIFO. */
#define LOAD_FIFO_WAIT_MS 10000
int load_open_input(const char *path, FILE **fp, const char **why, int *is_fifo);

/* What a directory walk says of a special file (a FIFO, a socket, a device)
 * it skips; NULL for a regular file or a directory. */
const char *load_special_kind(unsigned mode);

/* ---- string interning -------------------------------------------------------
 * Ids are dense, starting at 1; 0 means "no string". The text of an id stays
 * valid as long as the table lives. */

typedef struct {
	/* open addressing, s NULL = empty: the text itself (its length is
	 * stored just before it in the arena), so that a lookup touches the
	 * slot and the text, not a third array in between */
	struct dc_strslot { const char *s; uint32_t h, id; } *slots;
	uint32_t nslots;        /* power of two */
	/* id -> text and length, side by side: a lookup that finds a hash
	 * match then touches one cache line here, not two arrays */
	DC_VEC(struct dc_strent { const char *s; uint32_t len; }) ents;
	dc_arena arena;
} dc_strtab;

int dc_strtab_init(dc_strtab *t);
void dc_strtab_free(dc_strtab *t);
/* Intern s[0..len); returns the id, or 0 on out-of-memory. */
uint32_t dc_strtab_intern(dc_strtab *t, const char *s, size_t len);
/* Look up without inserting: the id or 0. */
uint32_t dc_strtab_lookup(const dc_strtab *t, const char *s, size_t len);
static inline const char *dc_strtab_str(const dc_strtab *t, uint32_t id)
{
	return id ? t->ents.items[id].s : NULL;
}
static inline uint32_t dc_strtab_len(const dc_strtab *t, uint32_t id)
{
	return id ? t->ents.items[id].len : 0;
}
static inline size_t dc_strtab_count(const dc_strtab *t) { return t->ents.len ? t->ents.len - 1 : 0; }
/* Lookups in a big table wait on memory twice (the slot, then the text):
 * for a batch of strings about to be interned (a service's dependency
 * list), dc_strtab_prefetch on each, then dc_strtab_prefetch_text on each,
 * then the interning, so that their misses overlap. Hints only. */
static inline void dc_strtab_prefetch(const dc_strtab *t, uint32_t hash)
{
	__builtin_prefetch(&t->slots[hash & (t->nslots - 1)]);
}
static inline void dc_strtab_prefetch_text(const dc_strtab *t, uint32_t hash)
{
	const struct dc_strslot *e = &t->slots[hash & (t->nslots - 1)];
	if (e->s && e->h == hash)
		__builtin_prefetch(e->s - sizeof(uint32_t));
}

uint32_t dc_hash(const char *s, size_t len);

/* ---- options structs -------------------------------------------------------
 * One rule for every options struct: versions 1 .. current are accepted
 * (a field added in version k is read only when version >= k, else its
 * default applies); 0 and versions newer than the library are refused
 * with DC_EINVALID. */
#define DC_OPTIONS_VERSION_OK(v, current) ((v) >= 1 && (v) <= (current))

/* ---- misc ------------------------------------------------------------------ */

/* Format a double so that strtod() gives the same value back, shortest form. */
void dc_fmt_double(char *buf, size_t size, double v);

/* ---- text from input (docs/security.md) --------------------------------
 * Text that reaches an output (names, owners, URLs, file names, policy
 * messages) must not carry anything a terminal, a CI log or a browser
 * reads as a command: C0 controls and DEL, C1 controls (U+0080..U+009F),
 * bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069,
 * U+200E, U+200F, U+061C), the noncharacters U+FFFE and U+FFFF (XML forbids
 * them) and bytes that are not UTF-8 (overlong forms, surrogates).
 * dc_text_check returns 0 when s is clean, else the offending character:
 * its code point (C0, DEL, C1, bidi) or 0xFFFD for a byte that is not
 * UTF-8, with *at (may be NULL) its byte offset. DC_TEXT_MULTILINE allows
 * tab and line feed (a description). It also refuses what GitHub's runner
 * reads as a workflow command in any text output: "::" first on a line
 * (after spaces or tabs: the runner trims them), DC_TEXT_WORKFLOW_LEAD, and
 * "##[" anywhere (the legacy form), DC_TEXT_WORKFLOW_LEGACY. */
enum { DC_TEXT_MULTILINE = 1 };
#define DC_TEXT_WORKFLOW_LEAD 0x110000u   /* beyond Unicode: not a character */
#define DC_TEXT_WORKFLOW_LEGACY 0x110001u
uint32_t dc_text_check(const char *s, int flags, size_t *at);
/* "U+001B" or "a byte that is not UTF-8" for a dc_text_check result. */
void dc_text_describe(uint32_t cp, char *buf, size_t size);
/* Copy s into buf (size bytes, NUL-terminated, cut on a character
 * boundary) with every character dc_text_check rejects written as an
 * escape (\n, \r, \t, \xNN, \u{NNNN}), and the first character of a
 * workflow-command marker too (a leading "::", "##["): one line of plain
 * text that no CI runner reads as a command. */
void dc_text_escape(char *buf, size_t size, const char *s);

#endif
