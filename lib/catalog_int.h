/*
 * catalog_int.h - the catalog's real structs and the builder interface the
 * loaders use. Not installed.
 *
 * Loaders add services keyed by a unique `ref` (the native name, or the
 * Backstage entity ref `kind:namespace/name`) and dependencies whose target
 * is still text; dc_catalog_finalize() resolves targets (across files and
 * formats), creates external services for what is missing, drops
 * self-dependencies and duplicates, groups dependencies by service and picks
 * display names.
 */
#ifndef DC_CATALOG_INT_H
#define DC_CATALOG_INT_H

#include <depcheck/catalog.h>
#include "util.h"
#include "doc.h"

typedef struct {
	uint32_t file;     /* index into cat->files + 1; 0 = unknown */
	uint32_t line, col;
} dc_loc_int;

enum {
	SVC_EXTERNAL = 1,        /* not defined in the input (or declared external) */
	SVC_ENTRY_EXPLICIT = 2,  /* entrypoint was written */
	SVC_ENTRY = 4,           /* is an entrypoint (explicit value, or decided at finalize) */
	SVC_DECLARED_EXTERNAL = 8/* `external: true` in the descriptor */
};

typedef struct {
	uint32_t name;          /* display name; before finalize equal to ref */
	uint32_t ref;           /* unique key */
	uint32_t owner, system, description;   /* interned, 0 = unset */
	uint32_t url;            /* a link for maps and reports (native `url`, Backstage metadata.links), 0 = unset */
	uint32_t zones, nzones; /* range in cat->strlists */
	uint32_t tags, ntags;
	uint32_t dep_first, ndeps;  /* set at finalize */
	uint32_t replicas;
	double availability, slo, latency_ms;
	dc_loc_int loc;
	uint8_t tier;           /* 0 = unset, else 1..4 */
	uint8_t flags;
	uint8_t format;         /* dc_input_format */
	uint8_t explicit_attrs; /* SVC_EX_*: written in the descriptor (not a default) */
	uint32_t bs_kind, bs_ns, bs_name;  /* Backstage: lowercase kind, namespace, name */
} svc_t;

enum { SVC_EX_AVAIL = 1, SVC_EX_LATENCY = 2, SVC_EX_SLO = 4, SVC_EX_REPLICAS = 8, SVC_EX_TIER = 16 };

enum { REF_PLAIN = 0, REF_BS_ENTITY = 1, REF_BS_API = 2 };
enum { DEP_REVERSED = 1, DEP_INFERRED = 2, DEP_DROPPED = 4, DEP_QUIET_DUP = 8,
       DEP_EX_TIMEOUT = 16, DEP_EX_RETRIES = 32 /* written, not defaulted */,
       DEP_WARN_UNRESOLVED = 64 /* an unresolved target is a warning, not an error
				   (hosts inferred from Kubernetes env values) */ };

typedef struct {
	uint32_t from, to;      /* service ids; to == DC_NO_ID until resolved */
	uint32_t target;        /* interned reference text as written */
	uint32_t ctx_ns;        /* Backstage: namespace of the declaring entity */
	uint32_t group;         /* any_of group, 0 = none */
	uint32_t timeout_ms, retries, stage;
	uint32_t origin;        /* interned "depends_on", "links", ... */
	dc_loc_int loc;
	uint8_t kind;           /* dc_dep_kind */
	uint8_t reftype;        /* REF_* */
	uint8_t flags;          /* DEP_* */
} dep_t;

typedef struct {
	uint32_t api;           /* interned full API ref "api:ns/name" (lowercase) */
	uint32_t svc;           /* provider, or DC_NO_ID for the API entity itself */
	dc_loc_int loc;
} api_rec_t;

typedef DC_VEC(svc_t) svc_vec;
typedef DC_VEC(dep_t) dep_vec;
typedef DC_VEC(uint32_t) u32_vec;

struct dc_catalog {
	dc_strtab strs;
	svc_vec svcs;
	dep_vec deps;
	u32_vec strlists;        /* zones and tags, ranges referenced by services */
	DC_VEC(char *) files;    /* display paths of loaded files (owned) */
	dc_strtab seen_paths;    /* canonical paths already loaded: each file once */
	u32_vec by_ref;          /* strtab id -> service id + 1 (0 = none) */
	u32_vec forms;           /* lowercase form id -> service id + 1, UINT32_MAX = ambiguous */
	u32_vec by_name;         /* display name id -> service id + 1 (first wins), after finalize */
	DC_VEC(api_rec_t) apis;
	uint32_t next_group;
	size_t locations_followed; /* Backstage Location targets read, for max_locations */
	int oom;                 /* an allocation of the builder failed: whatever a loader
	                            did with the status, the load reports DC_ENOMEM */
	int finalized;
};

/* ---- builder (used by loaders) ----------------------------------------- */

#define DC_DEFAULT_AVAILABILITY 0.999
#define DC_DEFAULT_TIMEOUT_MS 1000u
#define DC_DEFAULT_RETRIES 0u
#define DC_DEFAULT_STAGE 0u

uint32_t cat_intern(dc_catalog *cat, const char *s);
uint32_t cat_intern_n(dc_catalog *cat, const char *s, size_t len);
static inline const char *cat_str(const dc_catalog *cat, uint32_t id)
{
	return dc_strtab_str(&cat->strs, id);
}
/* Register a file for locations; returns its id (index + 1), 0 on ENOMEM. */
uint32_t cat_add_file(dc_catalog *cat, const char *path);
const char *cat_file_name(const dc_catalog *cat, uint32_t file_id);

/* Add a service with built-in defaults. Returns 0 and *out; 1 when `ref`
 * is already defined (an error naming both places is added, *out is the
 * existing service); DC_ENOMEM. */
int cat_add_service(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_input_format fmt,
		    dc_diags *diags, dc_id *out);
static inline svc_t *cat_svc(dc_catalog *cat, dc_id id) { return &cat->svcs.items[id]; }
/* Returns 0 or DC_ENOMEM. The dep is copied. */
int cat_add_dep(dc_catalog *cat, const dep_t *d);
/* Initialise a dep with defaults. */
void cat_dep_init(dep_t *d, dc_id from, uint32_t target, dc_loc_int loc);
int cat_set_list(dc_catalog *cat, uint32_t *off, uint32_t *n, const uint32_t *ids, size_t count);
uint32_t cat_new_group(dc_catalog *cat);
int cat_add_api(dc_catalog *cat, uint32_t api_ref, uint32_t svc, dc_loc_int loc);
/* Canonical path bookkeeping: returns 1 if `canon` was already loaded,
 * 0 if it is new (and marks it), -1 on ENOMEM. */
int cat_mark_loaded(dc_catalog *cat, const char *canon);

/* Diagnostic at a location. */
void cat_diag(dc_catalog *cat, dc_diags *diags, dc_severity sev, dc_loc_int loc,
	      const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* ---- loader entry points --------------------------------------------------
 * Each receives the parsed document stream of one file. */

typedef struct {
	dc_catalog *cat;
	dc_diags *diags;
	const char *file;         /* as given, for diagnostics */
	uint32_t file_id;
	const dc_load_options *opts;
	const char *root;         /* catalog root directory (Backstage Locations) */
	const char *dir;          /* directory of this file */
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
	u32_vec *location_chain;  /* canonical paths of the Location files being followed */
	/* limits (dc_load_options, defaults resolved) and the first fatal
	 * error: once a limit is hit or memory runs out, every later service
	 * and dependency of the file is refused without another diagnostic,
	 * and load_buffer returns the status. Loaders that ignore a status
	 * therefore cannot lose it. */
	size_t max_services, max_deps, max_name, max_locations;
	int status;               /* 0, DC_ENOMEM or DC_ELIMIT */
} load_ctx;

static inline dc_loc_int ctx_loc(const load_ctx *c, const doc_node *n)
{
	dc_loc_int l = { c->file_id, n ? n->line : 0, n ? n->col : 0 };
	return l;
}
void ctx_diag(const load_ctx *c, dc_severity sev, const doc_node *at, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;
void ctx_defaults(load_ctx *c);
/* Create a service with the file's defaults applied (see cat_add_service). */
int ctx_new_service(load_ctx *c, uint32_t ref, const doc_node *at, dc_id *out);
/* Add a dependency through the limits (name length, count). Returns 0,
 * DC_ELIMIT or DC_ENOMEM (also recorded in c->status). */
int ctx_add_dep(load_ctx *c, const dep_t *d);
/* Record a fatal status (the first one stays); returns it. */
int ctx_fail(load_ctx *c, int status);

/* Detect the format of one parsed document stream (YAML/JSON). */
dc_input_format detect_doc_format(const doc_stream *ds);

int load_native(load_ctx *c, const doc_stream *ds);
/* The hook that streams a native catalog's services while it is parsed. */
void native_stream_hook(load_ctx *c, doc_item_hook *hook);
int load_backstage(load_ctx *c, const doc_stream *ds);
int load_compose(load_ctx *c, const doc_stream *ds);
int load_dot(load_ctx *c, const char *buf, size_t len);
int load_kubernetes(load_ctx *c, const doc_stream *ds);

/* Shared by the loaders: set one native attribute (owner, system, tier,
 * entrypoint, replicas, zones, availability, slo, latency_ms, tags,
 * description, external) from a node; comma-separated scalars are accepted
 * for zones and tags when `lenient` (DOT attributes, annotations). Returns
 * 1 if the key is known, 0 if not (caller warns). */
int native_set_attr(load_ctx *c, dc_id s, const char *key, const doc_node *key_node,
		    const doc_node *val, int lenient);
/* Parse a native depends_on sequence for service s. */
void native_parse_deps(load_ctx *c, dc_id s, const doc_node *seq, const char *origin);
/* A synthesized plain scalar node (for DOT attributes and annotations). */
doc_node *ctx_scalar(load_ctx *c, dc_arena *a, const char *text, uint32_t line, uint32_t col);

/* Read a whole stream into one NUL-terminated malloc'ed buffer of at most
 * `max` bytes: 0, DC_ELIMIT (*too_big set), DC_EIO or DC_ENOMEM. */
int load_read_all(FILE *fp, size_t max, char **out, size_t *outlen, int *too_big);

/* Load one file or directory (used by Backstage Locations too). */
/* Read all of fp (at most max bytes, else DC_ELIMIT with *too_big set) into
 * one malloc'd NUL-terminated buffer. */
int load_read_all(FILE *fp, size_t max, char **out, size_t *outlen, int *too_big);
int load_path_internal(dc_catalog *cat, const char *path, const char *root,
		       const dc_load_options *opts, dc_diags *diags, unsigned depth,
		       u32_vec *chain, int explicit_arg);

#endif
