/*
 * load_ctx.h - what every loader shares: the context of the file being
 * loaded (load_ctx.c), the loader table's entry type, and each format's
 * entry points. Not installed.
 *
 * The shape (no circle): load.c reads files and directories, detects the
 * format and calls a loader through its table entry; a loader (load_*.c)
 * sees only this header, the builder (catalog_build.h) and the shared
 * attribute parsing (load_attrs.h), never load.c. What a loader needs from
 * the reading side (a Backstage Location loads another path) goes through
 * a function pointer in the context.
 */
#ifndef DC_LOAD_CTX_H
#define DC_LOAD_CTX_H

#include "catalog_build.h"
#include "doc.h"

typedef struct load_ctx load_ctx;

/* The per-file defaults of a native file, as one value (load_native.c). */
typedef struct {
	double availability, latency_ms, slo;
	uint32_t timeout_ms, retries, replicas;
	uint8_t tier;
} load_defs;

/* Load another path (a file, a directory, a glob's match) into the same
 * catalog, one Location level deeper: the root, options and diagnostics
 * are the context's, `chain` the canonical paths of the Location files
 * being followed (for cycles). Returns what dc_catalog_add_path would. */
typedef int (*load_follow_fn)(load_ctx *c, const char *path, u32_vec *chain);

struct load_ctx {
	dc_catalog *cat;
	dc_diags *diags;
	const char *file;         /* as given, for diagnostics */
	uint32_t file_id;
	const dc_load_options *opts;
	const char *root;         /* catalog root directory (Backstage Locations) */
	const char *dir;          /* directory of this file */
	load_follow_fn follow;    /* set by load.c: load another path (Locations) */
	/* per-file defaults (native `defaults:`) */
	double def_availability, def_latency_ms, def_slo;
	uint32_t def_timeout_ms, def_retries, def_replicas;
	uint8_t def_tier;
	dc_input_format format;
	unsigned depth;           /* Location nesting */
	/* native streaming (doc_parse_yaml_hooked): for each streamed services
	 * list, [document index, first service, first dependency, end service,
	 * end dependency] */
	u32_vec streamed;
	/* the per-file defaults the streamed services and dependencies were
	 * created with (the built-in ones: `defaults:` is read after the
	 * document); when the file's own are the same, there is nothing to
	 * apply afterwards */
	load_defs stream_defs;
	u32_vec *location_chain;  /* canonical paths of the Location files being followed */
	/* limits (dc_load_options, defaults resolved) and the first fatal
	 * error: once a limit is hit or memory runs out, every later service
	 * and dependency of the file is refused without another diagnostic,
	 * and load_buffer returns the status. Loaders that ignore a status
	 * therefore cannot lose it. */
	size_t max_services, max_deps, max_name, max_locations;
	size_t file_len;          /* bytes of this file (the inferred-edge budget) */
	int status;               /* 0, DC_ENOMEM or DC_ELIMIT */
	/* a tree merged from several files (Compose): doc_node.src - 1 indexes
	 * srcs, the file ids of its nodes; src 0 is file_id */
	const uint32_t *srcs;
	size_t nsrcs;
	int overlay;              /* native: loading an `overlay:` list (ctx_new_service
				     adds refining entries, cat_add_overlay) */
};

/* ---- the context (load_ctx.c) ------------------------------------------ */

static inline uint32_t ctx_file_id(const load_ctx *c, const doc_node *n)
{
	if (n && n->src && c->srcs && n->src <= c->nsrcs)
		return c->srcs[n->src - 1];
	return c->file_id;
}
static inline dc_loc_int ctx_loc(const load_ctx *c, const doc_node *n)
{
	dc_loc_int l = { ctx_file_id(c, n), n ? n->line : 0, n ? n->col : 0 };
	return l;
}
/* The display path of the file a node came from. */
const char *ctx_file(const load_ctx *c, const doc_node *n);
void ctx_diag(const load_ctx *c, dc_severity sev, const doc_node *at, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;
/* The built-in per-file defaults (before a native `defaults:`). */
void ctx_defaults(load_ctx *c);
/* The limits of dc_load_options (version 2 fields), defaults resolved. */
void ctx_limits(load_ctx *c, const dc_load_options *opts);
/* Create a service with the file's defaults applied (see cat_add_service). */
int ctx_new_service(load_ctx *c, uint32_t ref, const doc_node *at, dc_id *out);
/* Add a dependency through the limits (name length, count). Returns 0,
 * DC_ELIMIT or DC_ENOMEM (also recorded in c->status). */
int ctx_add_dep(load_ctx *c, const dep_t *d);
/* Record a fatal status (the first one stays); returns it. */
int ctx_fail(load_ctx *c, int status);
/* A synthesized plain scalar node (for DOT attributes and annotations). */
doc_node *ctx_scalar(load_ctx *c, dc_arena *a, const char *text, uint32_t line, uint32_t col);
/* Skip a BOM, blanks and comments (`//`, C block comments, and `#` lines when
 * `hash_comments`): where the content of a text starts, for detection. */
const char *ctx_skip_space(const char *p, const char *end, int hash_comments);

/* ---- the loader table (load.c) -------------------------------------------
 * One entry per input format. A format is read either from the raw text
 * (DOT: its own parser) or from the parsed YAML/JSON document stream (the
 * others); an entry sets the pair of functions for its kind and leaves the
 * other pair NULL. A format may have both (slo: YAML/JSON specifications and
 * a CSV): the text pair is used when its detection claims the text. */

/* detection strengths: a marker beats a vendor apiVersion beats a generic
 * apiVersion + kind beats the shape of a key (`services:` a list or a map) */
enum { DETECT_NO = 0, DETECT_SHAPE = 1, DETECT_API = 2, DETECT_VENDOR = 3, DETECT_MARKER = 4 };

typedef struct {
	dc_input_format format;
	const char *name;       /* as --input-format spells it */
	/* How sure the content is this format: 0 = not at all, else a
	 * strength; the strongest claim wins. detect_text sees the raw buffer
	 * before any parsing; detect_doc the first non-empty mapping document
	 * (the first element of a JSON array of objects). */
	int (*detect_text)(const char *buf, size_t len);
	int (*detect_doc)(const doc_node *root);
	int (*load_text)(load_ctx *c, const char *buf, size_t len);
	int (*load_doc)(load_ctx *c, const doc_stream *ds);
	/* optional: load items while the YAML is parsed (native `services:`) */
	void (*stream_hook)(load_ctx *c, doc_item_hook *hook);
} loader;

/* ---- the loaders' entry points (only the table in load.c calls them) ---- */

int native_detect(const doc_node *root);
int load_native(load_ctx *c, const doc_stream *ds);
void native_stream_hook(load_ctx *c, doc_item_hook *hook);
int backstage_detect(const doc_node *root);
int load_backstage(load_ctx *c, const doc_stream *ds);
int compose_detect(const doc_node *root);
int load_compose(load_ctx *c, const doc_stream *ds);
/* Compose files of one project merge before they load (load_compose.c): a
 * Compose stream is handed over (ds is left empty) and loaded, with the
 * project's other files, when the catalog is finalized. `walked`: found by
 * a directory walk (compose.yaml before the others, overrides last), else
 * named by the caller (kept in the order given). */
int compose_defer(load_ctx *c, doc_stream *ds, int walked);
int dot_detect(const char *buf, size_t len);
/* the CSV of measured availabilities (format slo, load_slo.c): raw text */
int slo_csv_detect(const char *buf, size_t len);
int load_slo_csv(load_ctx *c, const char *buf, size_t len);
int load_dot(load_ctx *c, const char *buf, size_t len);
int kubernetes_detect(const doc_node *root);
int load_kubernetes(load_ctx *c, const doc_stream *ds);
/* Kubernetes manifests load at finalize too (load_kubernetes.c): each file
 * as its own set of objects, but a ConfigMap may be in any file of the
 * input. The stream is handed over (ds is left empty). */
int kubernetes_defer(load_ctx *c, doc_stream *ds);
int slo_detect(const doc_node *root);
int load_slo(load_ctx *c, const doc_stream *ds);
int envoy_detect(const doc_node *root);
int load_envoy(load_ctx *c, const doc_stream *ds);
int grpc_detect(const doc_node *root);
int load_grpc(load_ctx *c, const doc_stream *ds);

#endif
