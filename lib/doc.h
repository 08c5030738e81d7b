/*
 * doc.h - a format-neutral document tree with source positions.
 *
 * YAML (libyaml) and JSON (jansson) are both parsed into this tree, so the
 * schema loaders (native, Backstage, Compose) are written once and report
 * every problem at the exact line and column of the node concerned.
 *
 * Scalars keep their text; `quoted` tells a quoted scalar (always a string)
 * from a plain one (which may be a number, bool or null, YAML 1.2 core
 * schema). A mapping stores its pairs as kids[2i] (key), kids[2i+1] (value).
 * YAML aliases share the anchored node; merge keys (`<<`) are expanded.
 * All nodes live in the stream's arena.
 */
#ifndef DC_DOC_H
#define DC_DOC_H

#include <depcheck/diag.h>
#include "util.h"

typedef enum { DOC_SCALAR = 0, DOC_MAP = 1, DOC_SEQ = 2 } doc_kind;

/* doc_node.tag: the YAML tags Compose gives a meaning (`!reset` removes what
 * earlier files set, `!override` replaces it instead of merging), and a mark
 * a loader may set on a node it has rewritten (interpolation: once only). */
enum { DOC_TAG_RESET = 1, DOC_TAG_OVERRIDE = 2, DOC_TAG_DONE = 0x80 };

typedef struct doc_node doc_node;
struct doc_node {
	uint8_t kind;      /* doc_kind */
	uint8_t quoted;    /* scalar: quoted or block scalar, i.e. always a string */
	uint8_t tag;       /* DOC_TAG_*: Compose's `!reset` / `!override`, and loader marks */
	uint8_t src;       /* a merged tree's source file (load_ctx.srcs index + 1); 0 = the file */
	uint32_t line, col;/* 1-based */
	uint32_t n;        /* scalar: byte length; map: pairs; seq: items */
	uint32_t weight;   /* nodes in the expanded subtree (saturating) */
	union {
		const char *s;     /* scalar text, NUL-terminated */
		doc_node **kids;   /* children */
	} u;
};

typedef struct {
	dc_arena arena;
	DC_VEC(doc_node *) docs;   /* one root per document; a root may be NULL (empty document) */
	const char *file;          /* borrowed */
} doc_stream;

typedef struct {
	unsigned max_depth;        /* nesting limit */
	size_t max_alias_nodes;    /* expansion budget for aliases and merge keys */
	unsigned threads;          /* YAML: 2 = libyaml's parser may run on a second thread
				      (a big file, more than one CPU online; load_yaml.c);
				      0 or 1 = on the caller's thread */
} doc_limits;

void doc_stream_init(doc_stream *ds, const char *file);
void doc_stream_free(doc_stream *ds);

/* Parse; on a syntax error adds one diagnostic and returns DC_EPARSE (or
 * DC_ELIMIT). Documents parsed before the error stay in ds->docs. */
int doc_parse_yaml(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
		   dc_diags *diags);

/* Streaming the items of one big list. When a document's root is a mapping
 * whose key `key` holds a sequence, each item of that sequence is handed
 * to on_item as soon as it is complete and then released (unless an anchor
 * was defined inside it, which later aliases may use), so a catalog of
 * 100,000 services never exists as one tree. The sequence stays in the
 * tree with no items. on_begin (with the index of the document in
 * ds->docs) and on_end bracket each streamed sequence. A
 * non-zero return from a callback stops the parse with that status. */
typedef struct {
	const char *key;
	int (*on_begin)(void *ud, size_t doc_index);
	int (*on_item)(void *ud, const doc_node *item);
	int (*on_end)(void *ud);
	void *ud;
} doc_item_hook;

/* Tests: parse with the parser thread from `min_bytes` (0: every input with
 * threads >= 2, even on one CPU; (size_t)-1: the default, 1 MiB), handing
 * over `batch_events` events at a time (0: the default). */
void doc_yaml_set_pipeline(size_t min_bytes, size_t batch_events);

int doc_parse_yaml_hooked(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
			  const doc_item_hook *hook, dc_diags *diags);
int doc_parse_json(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
		   dc_diags *diags);

/* ---- reading helpers ---------------------------------------------------- */

/* Value for a key in a mapping (exact match), or NULL. */
const doc_node *doc_get(const doc_node *map, const char *key);
/* Key node whose value is `val` in map (for positions), or NULL. */
int doc_scalar_is(const doc_node *n, const char *s);
/* Plain-scalar typing, YAML 1.2 core schema. */
int doc_is_null(const doc_node *n);
/* Each returns 0 and sets *out, or -1 when the node is not of that type
 * (or out of range for the integer ones). Quoted scalars are strings only,
 * unless `lenient` is set (Compose-style "3"). */
int doc_bool(const doc_node *n, int *out);
int doc_int(const doc_node *n, int lenient, long long *out);
int doc_double(const doc_node *n, int lenient, double *out);
/* A scalar that is not null: its text. NULL otherwise. */
const char *doc_str(const doc_node *n);
/* Comma-separated lists inside one scalar ("eu-a, eu-b"): start with
 * *pos at the text; each call yields the next item, trimmed of white space
 * (empty items skipped), and returns 1, or 0 at `end`. */
int doc_next_item(const char **pos, const char *end, const char **item, size_t *len);
/* Name of the node's type for messages: "mapping", "sequence", "string",
 * "integer", "number", "boolean", "null". */
const char *doc_type_name(const doc_node *n);

#endif
