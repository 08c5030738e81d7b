/*
 * catalog_int.h - the catalog model: its real structs, for the modules that
 * read them directly (the graph, the analyses' hot loops, the exporters).
 * Not installed.
 *
 * Only the model lives here. Building a catalog (interning, adding services
 * and dependencies) is in catalog_build.h; the loaders' context and shared
 * helpers in load_ctx.h. Services are keyed by a unique `ref` (the native
 * name, or the Backstage entity ref `kind:namespace/name`); after
 * dc_catalog_finalize() dependencies are resolved, grouped by service
 * (dep_first/ndeps) and display names picked.
 */
#ifndef DC_CATALOG_INT_H
#define DC_CATALOG_INT_H

#include <depcheck/catalog.h>
#include <depcheck/graph.h>
#include "util.h"

typedef struct {
	uint32_t file;     /* index into cat->files + 1; 0 = unknown */
	uint32_t line, col;
} dc_loc_int;

enum {
	SVC_EXTERNAL = 1,        /* not defined in the input (or declared external) */
	SVC_ENTRY_EXPLICIT = 2,  /* entrypoint was written */
	SVC_ENTRY = 4,           /* is an entrypoint (explicit value, or decided at finalize) */
	SVC_DECLARED_EXTERNAL = 8,/* `external: true` in the descriptor */
	SVC_OVERLAY = 16,        /* before finalize: an entry of a native `overlay:` list,
				    refining a service defined elsewhere (merged away at finalize) */
	SVC_SLO = 32,            /* before finalize: with SVC_OVERLAY, an entry of an SLO input
				    (load_slo.c), precedence PREC_SLO */
	SVC_MEASURED_AVAIL = 64  /* the availability was measured (a Prometheus answer), not
				    written or defaulted */
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
	double traffic_rps;     /* requests/s from outside the graph; < 0 = unknown */
	double capacity_rps;    /* requests/s one replica serves (load model); < 0 = unbounded */
	uint32_t max_concurrency; /* requests in flight per replica (load model); 0 = unbounded */
	dc_loc_int loc;
	uint8_t tier;           /* 0 = unset, else 1..4 */
	uint8_t flags;
	uint8_t format;         /* dc_input_format */
	uint8_t explicit_attrs; /* SVC_EX_*: written in the descriptor (not a default) */
	uint32_t bs_kind, bs_ns, bs_name;  /* Backstage: lowercase kind, namespace, name */
	uint32_t same_ref;      /* before finalize: id + 1 of the next definition of the same
				   ref in another source (merged at finalize), 0 = none */
} svc_t;

enum { SVC_EX_AVAIL = 1, SVC_EX_LATENCY = 2, SVC_EX_SLO = 4, SVC_EX_REPLICAS = 8, SVC_EX_TIER = 16,
       SVC_EX_TRAFFIC = 32, SVC_EX_CAPACITY = 64, SVC_EX_CONCURRENCY = 128 };

enum { REF_PLAIN = 0, REF_BS_ENTITY = 1, REF_BS_API = 2 };
enum { DEP_REVERSED = 1, DEP_INFERRED = 2, DEP_DROPPED = 4, DEP_QUIET_DUP = 8,
       DEP_EX_TIMEOUT = 16, DEP_EX_RETRIES = 32 /* written, not defaulted */,
       DEP_WARN_UNRESOLVED = 64 /* an unresolved target is a warning, not an error
				   (hosts inferred from Kubernetes env values) */,
       DEP_STARTUP = 128 /* needed at startup only (dc_dep_is_startup): no runtime edge */ };

typedef struct {
	uint32_t from, to;      /* service ids; to == DC_NO_ID until resolved */
	uint32_t target;        /* interned reference text as written */
	uint32_t ctx_ns;        /* Backstage: namespace of the declaring entity */
	uint32_t group;         /* any_of group, 0 = none */
	uint32_t timeout_ms, retries, stage;
	uint32_t origin;        /* interned "depends_on", "links", ... */
	dc_loc_int loc;
	uint8_t kind;           /* dc_dep_kind */
	uint8_t reftype : 4;    /* REF_* */
	uint8_t startup_set : 1;/* `startup` was written (true or false): an overlay that
				   leaves it out keeps the other sources' value */
	uint8_t telemetry : 1;  /* to or from a telemetry sink, or to a telemetry endpoint
				   (telemetry.h), set by the Compose and Kubernetes readers
				   unless DC_LOAD_TELEMETRY_HARD: see dep_telemetry() */
	uint8_t flags;          /* DEP_* */
	uint8_t prec;           /* at finalize: the precedence of its source (PREC_*) */
	uint32_t res;           /* index + 1 into cat->dep_res (resilience settings), 0 = none */
	uint32_t obs;           /* index + 1 into cat->dep_obs (observed traffic), 0 = none */
} dep_t;

/* An observed call waiting for finalize (dc_catalog_add_observed,
 * catalog_observed.c): names as observed, metrics as the reader gave them
 * (doubles -1 = unknown). */
typedef struct {
	uint32_t caller, callee;  /* interned */
	uint64_t calls, errors;
	double rate, p50, p99;
	dc_loc_int loc;
	uint8_t has_errors;
} obs_pend_t;

/* What was observed on one dependency (dep_t.obs). */
typedef struct {
	uint64_t calls, errors;
	double rate, p50, p99;    /* -1 = unknown */
	dc_loc_int loc;           /* first observation */
	uint8_t has_errors;
	uint8_t only;             /* 1: no input declares the edge (origin "observed") */
	uint8_t calls_set;        /* 1: the dependency's `calls` (DC_DEP_CALLS) is this edge's
				     observed rate / the caller's observed inbound rate */
} dep_obs_t;

/* The resilience settings of a dependency beyond timeout_ms and retries
 * (dc_dep_setting): only edges that have some carry a record. val[k] is
 * the value (an interned string for retry_on and failover; the retry
 * budget in thousandths); timeout_ms and retries stay in dep_t, their
 * val[] unused. loc[k]: where it was written (file 0: the dependency's
 * own place). `set` and `mesh`: bit (1 << k) per setting written / set by
 * an edge policy (a mesh object) at finalize. */
typedef struct {
	uint32_t val[DC_DEP_SETTING_COUNT];
	dc_loc_int loc[DC_DEP_SETTING_COUNT];
	uint32_t rule_group;    /* the rule group of the last edge policy applied (0 = none) */
	uint16_t set, mesh;
} dep_res_t;

/* A setting a service mesh or gateway object enforces on the calls into
 * one callee (catalog_edgepol.c): kept as text until finalize, then
 * applied to every resolved dependency on that callee whose caller is in
 * scope. A policy REFINES edges other inputs declare; it adds none. */
typedef struct {
	uint32_t callee;        /* interned target text, resolved like a dependency's */
	dc_loc_int at;          /* where the callee is named (for the "names no service" warning) */
	uint32_t callers, ncallers; /* range in cat->strlists: caller refs, when scoped */
	uint8_t scoped;         /* 1: only the callers listed (maybe none) */
	uint32_t what;          /* interned "VirtualService reviews" for messages */
	uint32_t group;         /* rules of one object (an ordered list where the first rule that
				   applies to a caller wins): policies of one group apply once per
				   edge; 0 = not such a rule */
	uint32_t timeout_ms, retries;
	dep_res_t r;            /* set: the settings it carries (DC_DEP_TIMEOUT/RETRIES included) */
	dc_loc_int caller_at;   /* where a caller named by text was written (an Envoy node, a gRPC
				   client): a warning there when it names no service; file 0 = none */
	uint32_t alts, nalts;   /* range in cat->strlists: other names of the callee, tried in order
				   when `callee` names no service (a gRPC service name's forms) */
} edge_pol_t;

/* Precedence of the sources of one service (docs/inputs.md, "One service,
 * many sources"): a higher value wins an attribute. */
enum { PREC_INFERRED = 1, PREC_DEPLOY = 2 /* Compose, Kubernetes */, PREC_BACKSTAGE = 3,
       PREC_NATIVE = 4 /* native, DOT */, PREC_SLO = 5 /* SLO specs, measured availability */,
       PREC_OVERLAY = 6 };

/* Provenance of a merged service: one record per definition, kept only for
 * services defined in more than one source (sorted by svc, highest
 * precedence first). `attrs` is the DC_ATTR_* mask of what it set. */
typedef struct {
	uint32_t svc;
	dc_loc_int loc;
	uint16_t attrs;
	uint8_t format;         /* dc_input_format */
	uint8_t prec;           /* PREC_* */
} svc_src_t;

/* An extra source of a dependency declared by several sources (its own
 * loc is the first): sorted by dep. */
typedef struct {
	uint32_t dep;
	dc_loc_int loc;
	uint8_t prec;
} dep_src_t;

typedef struct {
	uint32_t api;           /* interned full API ref "api:ns/name" (lowercase) */
	uint32_t svc;           /* provider, or DC_NO_ID for the API entity itself */
	dc_loc_int loc;
} api_rec_t;

/* Entities of a kind that becomes no service (Backstage Groups, APIs, ...). */
typedef struct {
	uint32_t kind;          /* interned kind, as Backstage spells it ("Group") */
	uint32_t count;
} kind_count_t;

/* What a deployment tool's object in the input says about order
 * (load_kubernetes.c; read by deploy.c): a workload or an Argo CD
 * Application with an argocd.argoproj.io/sync-wave annotation, a Flux
 * Kustomization or HelmRelease with spec.dependsOn. Every such object is
 * kept (with or without order), so the plan's argocd/flux/helm writers can
 * name the object a service ships as. */
enum { DEPLOY_RESOURCE = 0 /* a workload */, DEPLOY_ARGO_APP = 1, DEPLOY_FLUX_KS = 2, DEPLOY_FLUX_HR = 3 };
typedef struct {
	uint32_t svc;           /* interned: the service ref (a workload) or the object's name */
	uint32_t api, kind, ns, name; /* interned as written; ns 0 = not written */
	int32_t wave;
	uint8_t type;           /* DEPLOY_* */
	uint8_t has_wave;
	dc_loc_int loc;         /* metadata.name */
	dc_loc_int wave_loc;    /* the sync-wave value */
	uint32_t dep_first, ndeps; /* range in cat->deploy_deps */
} deploy_obj_t;

/* One spec.dependsOn entry of a Flux object. */
typedef struct {
	uint32_t ns, name;      /* interned; ns 0 = the object's own namespace */
	dc_loc_int loc;
} deploy_dep_t;

typedef DC_VEC(svc_t) svc_vec;
typedef DC_VEC(dep_t) dep_vec;
typedef DC_VEC(uint32_t) u32_vec;

/* Edges that multiply (a Kubernetes Service to every workload it selects,
 * a Backstage API to every provider, DOT edge statements with `{...}`
 * groups) share one budget for the whole catalog (dc_catalog.expanded,
 * cat_expand_limit): one edge per byte of every file loaded so far, at
 * least this many, never more than the dependency limit. Per file, a
 * catalog of many small files could multiply past it (six 280 kB files
 * fanning out 1,400 x 1,400 each: 12,000,000 edges, over 1 GB); one budget
 * for all keeps the total linear in the input (docs/limits.md). */
#define DC_EXPAND_MIN_EDGES 2000000u

struct dc_catalog {
	dc_strtab strs;
	svc_vec svcs;
	dep_vec deps;
	u32_vec strlists;        /* zones and tags, ranges referenced by services */
	DC_VEC(char *) files;    /* display paths of loaded files (owned) */
	dc_strtab seen_paths;    /* canonical paths already loaded: each file once */
	uint8_t *text_ok;        /* per string id, during check_texts only: found good as one line */
	u32_vec by_ref;          /* strtab id -> service id + 1 (0 = none) */
	u32_vec forms;           /* lowercase form id -> service id + 1, UINT32_MAX = ambiguous */
	u32_vec by_name;         /* display name id -> service id + 1 (first wins), after finalize */
	DC_VEC(api_rec_t) apis;
	uint32_t next_group;
	size_t locations_followed; /* Backstage Location targets read, for max_locations */
	size_t glob_steps;       /* steps every Location pattern took together (bounded by
	                            10 x max_locations, load_backstage.c) */
	size_t input_bytes;      /* bytes of every file loaded, and the dependency limit of
	                            the last load: what API references may expand to at
	                            finalize (DC_EXPAND_MIN_EDGES) */
	size_t max_deps;
	size_t expanded;         /* multiplied edges made so far, every file and mechanism:
	                            held to cat_expand_limit (DC_EXPAND_MIN_EDGES) */
	int oom;                 /* an allocation of the builder failed: whatever a loader
	                            did with the status, the load reports DC_ENOMEM */
	int finalized;
	DC_VEC(kind_count_t) other_entities; /* by kind, first seen first: said when no
	                                        entity of the input is a service */
	/* Compose files wait here until finalize, so that the files of one
	 * project merge before they load (load_compose.c sets all three) */
	void *compose;
	int (*compose_flush)(dc_catalog *cat, dc_diags *diags);
	void (*compose_free)(void *compose);
	/* Kubernetes files wait too, so that a ConfigMap of any file is known
	 * to every workload (load_kubernetes.c sets all three) */
	void *k8s;
	int (*k8s_flush)(dc_catalog *cat, dc_diags *diags);
	void (*k8s_free)(void *k8s);
	int limit_hit;           /* a deferred load went over a limit: finalize says DC_ELIMIT */
	/* one service, many sources (catalog_merge.c) */
	u32_vec k8s_ids;         /* pairs: Backstage service id, interned lowercase
				    backstage.io/kubernetes-id */
	size_t noverlays;        /* overlay entries loaded */
	DC_VEC(svc_src_t) svc_srcs;
	DC_VEC(dep_src_t) dep_srcs;
	/* resilience settings (catalog_edgepol.c) */
	DC_VEC(dep_res_t) dep_res;
	DC_VEC(edge_pol_t) edge_pols;
	/* deployment tools' objects (deploy.c) */
	DC_VEC(deploy_obj_t) deploy_objs;
	DC_VEC(deploy_dep_t) deploy_deps;
	/* observed calls (catalog_observed.c) */
	DC_VEC(obs_pend_t) obs_pending;  /* until finalize */
	DC_VEC(dep_obs_t) dep_obs;
	uint64_t obs_min_calls;
	uint8_t obs_mode;                /* dc_observed_edges */
};

/* ---- reading the model ------------------------------------------------- */

static inline const char *cat_str(const dc_catalog *cat, uint32_t id)
{
	return dc_strtab_str(&cat->strs, id);
}
/* The display path of a file id (index + 1), NULL for 0 or out of range. */
const char *cat_file_name(const dc_catalog *cat, uint32_t file_id);
/* No range check: for builders and loops over known-good ids (the public
 * accessors in catalog.c check theirs). */
static inline svc_t *cat_svc(dc_catalog *cat, dc_id id) { return &cat->svcs.items[id]; }

/* The settings record of a dependency, NULL when it has none. */
static inline const dep_res_t *cat_dep_res(const dc_catalog *cat, const dep_t *d)
{
	return d->res && d->res <= cat->dep_res.len ? &cat->dep_res.items[d->res - 1] : NULL;
}
/* The observed traffic of a dependency, NULL when none was observed. */
static inline const dep_obs_t *cat_dep_obs(const dc_catalog *cat, const dep_t *d)
{
	return d->obs && d->obs <= cat->dep_obs.len ? &cat->dep_obs.items[d->obs - 1] : NULL;
}
/* 1 for a dependency no input declares: it was only observed. */
static inline int dep_observed_only(const dc_catalog *cat, const dep_t *d)
{
	const dep_obs_t *o = cat_dep_obs(cat, d);
	return o && o->only;
}

/* dc_dep_hang_ms / dc_dep_call_factor on a dependency (catalog_edgepol.c). */
uint64_t cat_dep_hang_ms(const dc_catalog *cat, const dep_t *d);
double cat_dep_factor(const dc_catalog *cat, const dep_t *d);

/* 1 for a dependency a running service uses (not startup-only): the only
 * ones the runtime analyses (failure propagation, blast radius,
 * availability, retry amplification, timeout budget) follow. */
static inline int dep_runtime(const dep_t *d) { return !(d->flags & DEP_STARTUP); }
/* A telemetry edge (docs/model.md): only a DOWN dependency affects the
 * caller through it, and only as DEGRADED (telemetry lost); a DEGRADED one
 * does not. Soft by construction; a hard one (merged with a hard
 * declaration) propagates like any edge. */
static inline int dep_telemetry(const dep_t *d) { return d->telemetry && d->kind == DC_DEP_SOFT; }

/* The graph's per-dependency mask of an edge set (graph.c): NULL for
 * DC_EDGES_ALL and for an unknown value. */
struct dc_graph;
const uint8_t *dc__graph_edge_mask(const struct dc_graph *g, dc_edge_set edges);

#endif
