/*
 * depcheck/catalog.h - the catalog model: services and their dependencies,
 * loaded from descriptor files of every supported format.
 *
 * A catalog is built in two steps: add files (or buffers) one by one, then
 * finalize, which resolves references between services (across files and
 * formats), turns unresolved targets into *external* services, picks each
 * service's shortest unique display name and decides entrypoints. After
 * finalize the catalog is read-only and services have dense ids
 * 0 .. dc_catalog_service_count()-1; dependencies are grouped by the service
 * that declares them, in declaration order.
 *
 * Ownership: every string returned here is borrowed from the catalog and
 * lives until dc_catalog_free().
 *
 * Invalid ids: every accessor below checks its service id or dependency
 * index. One out of range (DC_NO_ID included) gives NULL for a string, 0
 * for a number or flag (a negative value for dc_service_slo, DC_NO_ID for
 * dc_dep_from/dc_dep_to, a location without a file), never a read out of
 * bounds.
 */
#ifndef DEPCHECK_CATALOG_H
#define DEPCHECK_CATALOG_H

#include "common.h"
#include "diag.h"

typedef struct dc_catalog dc_catalog;

/** Input formats. DC_FORMAT_AUTO detects the format from the content. */
typedef enum {
	DC_FORMAT_AUTO = 0,
	DC_FORMAT_NATIVE,
	DC_FORMAT_BACKSTAGE,
	DC_FORMAT_COMPOSE,
	DC_FORMAT_DOT,
	DC_FORMAT_KUBERNETES,
	DC_FORMAT_SLO,       /**< OpenSLO, Sloth, Pyrra specs; a Prometheus answer of Sloth's error ratios */
	DC_FORMAT_ENVOY,     /**< an Envoy admin /config_dump answer, or a bootstrap (static_resources) */
	DC_FORMAT_GRPC       /**< a gRPC service config (methodConfig, retryThrottling) */
} dc_input_format;

/** "native", "backstage", ... ("auto" for DC_FORMAT_AUTO); NULL for an unknown value. */
DC_EXTERN(const char *) dc_input_format_name(dc_input_format f);
/** Parse a format name ("auto" too); returns 0 and sets *out, or DC_EINVALID. */
DC_EXTERN(int) dc_input_format_parse(dc_input_format *out, const char *name);
/** The formats this build reads (DC_FORMAT_AUTO not counted), for listing
 * them: dc_input_format_at(i) for i < dc_input_format_count(), in the
 * order the CLI shows them; DC_FORMAT_AUTO for i out of range. */
DC_EXTERN(size_t) dc_input_format_count(void);
DC_EXTERN(dc_input_format) dc_input_format_at(size_t i);

typedef struct {
	unsigned int version;          /**< DC_LOAD_OPTIONS_VERSION */
	dc_input_format format;        /**< forced format, or DC_FORMAT_AUTO */
	unsigned int max_depth;        /**< nesting limit for YAML/JSON, 0 = default (256) */
	size_t max_file_size;          /**< bytes, 0 = default (1 GiB) */
	size_t max_alias_nodes;        /**< YAML alias and merge-key expansion budget per file, in
	                                    nodes; 0 = the file's size in bytes, at least 1,000,000 */
	/* version 2: */
	size_t max_services;           /**< services defined in the catalog (all files), 0 =
	                                    default (DC_DEFAULT_MAX_SERVICES) */
	size_t max_dependencies;       /**< dependencies in the catalog, 0 = default
	                                    (DC_DEFAULT_MAX_DEPENDENCIES); also caps what DOT edge
	                                    groups may expand to */
	size_t max_name_length;        /**< bytes in a service name or a dependency's target,
	                                    0 = default (DC_DEFAULT_MAX_NAME_LENGTH) */
	size_t max_locations;          /**< Backstage Location targets followed (files read
	                                    through Locations, all levels), 0 = default
	                                    (DC_DEFAULT_MAX_LOCATIONS) */
	/* version 3: directory walks (docs/commands.md, "Directory walks") */
	unsigned int flags;            /**< DC_LOAD_* below */
	const char *const *include;    /**< globs: when ninclude > 0, a walk reads only the files
	                                    whose path (relative to the walked directory) matches
	                                    one of them */
	size_t ninclude;
	const char *const *exclude;    /**< globs: a walk reads no file and enters no directory
	                                    whose relative path matches one of them */
	size_t nexclude;
	/* also version 3: Compose projects (docs/inputs.md, "Compose") */
	const char *const *compose_profiles; /**< `--profile`: only services without a profile or
	                                          with one of these load ("*": all); none = every
	                                          service (COMPOSE_PROFILES from the environment
	                                          or .env applies as in Compose) */
	size_t compose_profile_count;
	const char *const *compose_env_files; /**< `--env-file`: read instead of each project's
	                                           `.env`, in order (the process environment wins) */
	size_t compose_env_file_count;
	/* version 4: */
	unsigned int threads;          /**< threads a load may use: 0 = default (a YAML file of
	                                    1 MiB or more is parsed by libyaml on a second thread
	                                    while this one builds the catalog, when more than one
	                                    CPU is online), 1 = the caller's thread only. The
	                                    result and the diagnostics do not depend on it */
} dc_load_options;

/** dc_load_options.flags: a note for each file a walk skips as not a
 * service descriptor (by default, one summary note per walk). */
#define DC_LOAD_LIST_SKIPPED 1u
/** dc_load_options.flags: edges to and from telemetry sinks (tracing agents,
 * collectors, metrics and log shippers) and edges inferred from telemetry
 * endpoint variables (OTEL_EXPORTER_OTLP_ENDPOINT, ...) stay as written
 * (hard). By default Compose and Kubernetes make them soft, the reason in
 * dc_dep_origin() (docs/inputs.md, "Telemetry"). */
#define DC_LOAD_TELEMETRY_HARD 2u

#define DC_LOAD_OPTIONS_VERSION 4
#define DC_LOAD_OPTIONS_INIT { DC_LOAD_OPTIONS_VERSION, DC_FORMAT_AUTO, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, NULL, 0, \
			       NULL, 0, NULL, 0, 0 }

/**
 * Whether `path` (relative, '/'-separated) matches the glob `pattern` as
 * dc_load_options.include / exclude match: `*` and `?` within one path
 * component, `[abc]` / `[a-z]` / `[!x]` one character, `**` any number of
 * components (`a/` then `**`: everything under a; `**` then `/x`: x at any depth); a
 * pattern without `/` matches the last component at any depth (as
 * .gitignore does); a leading `./` or `/` of the pattern is ignored.
 * Returns 1 or 0.
 */
DC_EXTERN(int) dc_path_glob_match(const char *pattern, const char *path);

/* Defaults of the limits above: generous enough for a 10,000,000-line,
 * 1,000,000-service catalog, small enough that a hostile input gets a
 * clear error (DC_ELIMIT) long before it exhausts memory. */
#define DC_DEFAULT_MAX_DEPTH 256u
#define DC_DEFAULT_MAX_FILE_SIZE ((size_t)1 << 30)
#define DC_DEFAULT_MAX_SERVICES ((size_t)5000000)
#define DC_DEFAULT_MAX_DEPENDENCIES ((size_t)50000000)
#define DC_DEFAULT_MAX_NAME_LENGTH ((size_t)1024)
#define DC_DEFAULT_MAX_LOCATIONS ((size_t)100000)

DC_EXTERN(int) dc_catalog_new(dc_catalog **out);
DC_EXTERN(void) dc_catalog_free(dc_catalog *cat);

/**
 * Add a file, a directory (walked recursively for *.yaml *.yml *.json *.dot
 * *.gv, in sorted order, hidden entries and the globs of opts->exclude left
 * out) or "-" (standard input). A walked file that is not a service
 * descriptor (no format recognises it: a package.json, Helm values, an
 * OpenAPI spec; binary data; a Go/Helm template that does not parse) is
 * skipped, not an error: one note per walk counts them (a note per file
 * with DC_LOAD_LIST_SKIPPED). A file given by path, and a walked file that
 * is a descriptor, stays an error when it is broken. Problems are appended to
 * `diags`. Returns 0 when everything could be read and parsed (schema
 * errors are diagnostics only, the rest of the file still loads), DC_EIO
 * when a path cannot be read, DC_EPARSE on a syntax error, DC_ELIMIT when a
 * safety limit was hit (an error diagnostic names the limit; what was read
 * before stays loaded), DC_ENOMEM, DC_EINVALID after dc_catalog_finalize() or
 * for options of a version outside 1 .. DC_LOAD_OPTIONS_VERSION (opts may be
 * NULL: the defaults).
 * Loading continues with later files either way.
 *
 * Threads: different catalogs may be loaded from different threads at once.
 * DOT files are parsed one at a time (Graphviz's cgraph keeps its parser in
 * process-wide state; depcheck serialises its own DOT parses with a lock),
 * and a DOT load must not overlap another use of Graphviz in the process
 * that depcheck cannot see, nor dc_render's laid-out formats (render.h).
 */
DC_EXTERN(int) dc_catalog_add_path(dc_catalog *cat, const char *path,
				   const dc_load_options *opts, dc_diags *diags);

/** Add an in-memory document; `name` is used in diagnostics. */
DC_EXTERN(int) dc_catalog_add_buffer(dc_catalog *cat, const char *name,
				     const char *buf, size_t len,
				     const dc_load_options *opts, dc_diags *diags);

/**
 * Resolve references and freeze the catalog. Unresolved references become
 * external services (with an error diagnostic). Compose and Kubernetes
 * files wait until here, so that the files of one Compose project merge
 * before they load and a ConfigMap of any Kubernetes file is read
 * (docs/inputs.md): their diagnostics are added to `diags` now. Returns 0,
 * DC_EINVALID when the catalog has no services at all, DC_ELIMIT when a
 * Compose project or a Kubernetes file went over a limit of dc_load_options
 * (a diagnostic names it; the catalog is not finalized), or DC_ENOMEM.
 */
DC_EXTERN(int) dc_catalog_finalize(dc_catalog *cat, dc_diags *diags);

/** Convenience: new + add_path for each path + finalize. On failure *out is
 * still set (possibly partially loaded, free it) unless the status is
 * DC_ENOMEM or DC_EINVALID for the options version, where it is NULL. */
DC_EXTERN(int) dc_catalog_load(dc_catalog **out, const char *const *paths,
			       size_t npaths, const dc_load_options *opts,
			       dc_diags *diags);

/* ---- services ---------------------------------------------------------- */

DC_EXTERN(size_t) dc_catalog_service_count(const dc_catalog *cat);
DC_EXTERN(size_t) dc_catalog_dep_count(const dc_catalog *cat);
DC_EXTERN(size_t) dc_catalog_file_count(const dc_catalog *cat);
DC_EXTERN(const char *) dc_catalog_file(const dc_catalog *cat, size_t i);

/**
 * Find a service by name. Accepts the display name, the full reference
 * (`component:default/name`) or any unique shorter form of it. Returns 0,
 * DC_ENOTFOUND or DC_EAMBIGUOUS.
 */
DC_EXTERN(int) dc_catalog_find(const dc_catalog *cat, const char *name, dc_id *out);

/** Where a service or dependency was declared. file is NULL when unknown. */
typedef struct {
	const char *file;
	unsigned line, column;
} dc_location;

typedef enum {
	DC_ENTRY_AUTO = -1, /* only before finalize */
	DC_ENTRY_NO = 0,
	DC_ENTRY_YES = 1
} dc_entrypoint;

/** Shortest unique display name. */
DC_EXTERN(const char *) dc_service_name(const dc_catalog *cat, dc_id s);
/** Full reference: `kind:namespace/name` for Backstage entities, else the name. */
DC_EXTERN(const char *) dc_service_ref(const dc_catalog *cat, dc_id s);
/** Attribute accessors. Unset strings are NULL; tier 0 means unset. */
DC_EXTERN(const char *) dc_service_owner(const dc_catalog *cat, dc_id s);
DC_EXTERN(const char *) dc_service_system(const dc_catalog *cat, dc_id s);
DC_EXTERN(const char *) dc_service_description(const dc_catalog *cat, dc_id s);
/** The service's link (native `url`, the first of Backstage's metadata.links), or NULL. */
DC_EXTERN(const char *) dc_service_url(const dc_catalog *cat, dc_id s);
DC_EXTERN(int) dc_service_tier(const dc_catalog *cat, dc_id s);
/** 1 when the service is an entrypoint (explicitly, or because nothing
 * depends on it and it did not say otherwise). */
DC_EXTERN(int) dc_service_is_entrypoint(const dc_catalog *cat, dc_id s);
/** 1 when the entrypoint flag was written in the descriptor. */
DC_EXTERN(int) dc_service_entrypoint_explicit(const dc_catalog *cat, dc_id s);
/** 1 for external services: referenced but not defined in the input, or
 * declared `external: true`. */
DC_EXTERN(int) dc_service_is_external(const dc_catalog *cat, dc_id s);
DC_EXTERN(unsigned) dc_service_replicas(const dc_catalog *cat, dc_id s);
DC_EXTERN(double) dc_service_availability(const dc_catalog *cat, dc_id s);
/** Where a service's own availability comes from. */
typedef enum {
	DC_AVAIL_SOURCE_DEFAULT = 0,  /**< no input wrote it: the default (or a file's `defaults:`) */
	DC_AVAIL_SOURCE_DECLARED,     /**< written in a descriptor or an overlay */
	DC_AVAIL_SOURCE_MEASURED      /**< measured: a Prometheus answer of error ratios (format slo) */
} dc_availability_source;
/** The source of dc_service_availability(); DC_AVAIL_SOURCE_DEFAULT for an
 * id out of range. */
DC_EXTERN(dc_availability_source) dc_service_availability_source(const dc_catalog *cat, dc_id s);
/** "default", "declared", "measured"; NULL for an unknown value. */
DC_EXTERN(const char *) dc_availability_source_name(dc_availability_source src);
/** SLO target, or a negative value when unset. */
DC_EXTERN(double) dc_service_slo(const dc_catalog *cat, dc_id s);
/** Entry traffic: the requests per second arriving at s from outside the
 * graph (from users), the `traffic_rps` attribute (0 .. 1e9; meaningful on
 * entrypoints). A negative value (-1) when not known or s out of range. */
DC_EXTERN(double) dc_service_traffic_rps(const dc_catalog *cat, dc_id s);
/** Capacity of one replica: the requests per second it serves before it
 * saturates, the `capacity_rps` attribute (more than 0 .. 1e9; the load
 * model, depcheck/overload.h, multiplies it by the replicas). A negative
 * value (-1) when not declared (unbounded) or s out of range. */
DC_EXTERN(double) dc_service_capacity_rps(const dc_catalog *cat, dc_id s);
/** Requests one replica holds in flight at most (`max_concurrency`, 1 ..
 * 1e9: its worker threads or connection slots, held while it waits on its
 * own dependencies); 0 when not declared (unbounded) or s out of range. */
DC_EXTERN(unsigned) dc_service_max_concurrency(const dc_catalog *cat, dc_id s);
DC_EXTERN(double) dc_service_latency_ms(const dc_catalog *cat, dc_id s);
DC_EXTERN(size_t) dc_service_zone_count(const dc_catalog *cat, dc_id s);
DC_EXTERN(const char *) dc_service_zone(const dc_catalog *cat, dc_id s, size_t i);
DC_EXTERN(size_t) dc_service_tag_count(const dc_catalog *cat, dc_id s);
DC_EXTERN(const char *) dc_service_tag(const dc_catalog *cat, dc_id s, size_t i);
/** Input format the service came from. */
DC_EXTERN(dc_input_format) dc_service_format(const dc_catalog *cat, dc_id s);
DC_EXTERN(dc_location) dc_service_location(const dc_catalog *cat, dc_id s);

/* ---- dependencies -------------------------------------------------------
 * Dependencies have global indexes 0 .. dc_catalog_dep_count()-1, grouped by
 * the depending service: those of service s are
 * [dc_service_dep_first(s), dc_service_dep_first(s) + dc_service_dep_count(s)).
 * The graph module's forward edge index equals the dependency index.
 */

typedef enum {
	DC_DEP_HARD = 0, /**< the caller fails when the callee is down */
	DC_DEP_SOFT = 1  /**< the caller degrades */
} dc_dep_kind;

DC_EXTERN(size_t) dc_service_dep_first(const dc_catalog *cat, dc_id s);
DC_EXTERN(size_t) dc_service_dep_count(const dc_catalog *cat, dc_id s);

DC_EXTERN(dc_id) dc_dep_from(const dc_catalog *cat, size_t d);
DC_EXTERN(dc_id) dc_dep_to(const dc_catalog *cat, size_t d);
DC_EXTERN(dc_dep_kind) dc_dep_kind_of(const dc_catalog *cat, size_t d);
DC_EXTERN(unsigned) dc_dep_timeout_ms(const dc_catalog *cat, size_t d);
DC_EXTERN(unsigned) dc_dep_retries(const dc_catalog *cat, size_t d);
DC_EXTERN(unsigned) dc_dep_stage(const dc_catalog *cat, size_t d);
/** any_of group id: 0 when the dependency is not part of a group; members
 * of one group share an id (unique in the catalog). A service is DOWN
 * through a group only when every member is down. */
DC_EXTERN(unsigned) dc_dep_group(const dc_catalog *cat, size_t d);
/** The reference as written in the descriptor (before resolution). */
DC_EXTERN(const char *) dc_dep_target_text(const dc_catalog *cat, size_t d);
/** The descriptor field the edge comes from: "depends_on", "links",
 * "network_mode", "volumes_from", "x-depcheck", "dependsOn", "dependencyOf",
 * "consumesApis", "edge" (DOT), ... Never NULL for a valid index. */
DC_EXTERN(const char *) dc_dep_origin(const dc_catalog *cat, size_t d);
/** 1 when the edge was inferred rather than written as a dependency. */
DC_EXTERN(int) dc_dep_is_inferred(const dc_catalog *cat, size_t d);
/** 1 when the dependency is needed at startup only (docs/model.md,
 * "Startup dependencies"): native `startup: true`, a Compose `depends_on`
 * with `condition: service_completed_successfully`, a host named by a
 * Kubernetes init container only. Such an edge orders a cold start
 * (DC_EDGES_STARTUP, `plan --cold-start`) but carries no runtime failure:
 * simulate, blast radius, analyze and availability leave it out. */
DC_EXTERN(int) dc_dep_is_startup(const dc_catalog *cat, size_t d);
/** 1 when the dependency is a telemetry edge (docs/model.md, "States"): a
 * soft edge to or from a telemetry sink, or to a telemetry endpoint, as the
 * Compose and Kubernetes readers mark them unless DC_LOAD_TELEMETRY_HARD.
 * Only a DOWN dependency affects the caller through it, as DEGRADED
 * (telemetry lost); a DEGRADED one does not. 0 for an index out of range. */
DC_EXTERN(int) dc_dep_is_telemetry(const dc_catalog *cat, size_t d);
DC_EXTERN(dc_location) dc_dep_location(const dc_catalog *cat, size_t d);

/** "hard" or "soft". */
DC_EXTERN(const char *) dc_dep_kind_name(dc_dep_kind k);

/* ---- resilience settings of a dependency ----------------------------------
 * Beyond timeout_ms and retries, a call may carry what a service mesh, a
 * gateway or a client library enforces (docs/model.md, "Resilience
 * settings"; docs/inputs.md, "Service mesh and gateway configuration"). Each
 * setting is unset unless a source wrote it, and keeps where it was written.
 * Generic on purpose: the names are depcheck's native keys, not a mesh's. */

/** The settings of a dependency (values are ABI: appended only). */
typedef enum {
	DC_DEP_TIMEOUT = 0,      /**< timeout_ms: the call's deadline (overall when a per-try timeout is set) */
	DC_DEP_RETRIES,          /**< retries: attempts after the first */
	DC_DEP_PER_TRY_TIMEOUT,  /**< per_try_timeout_ms: the deadline of each attempt */
	DC_DEP_RETRY_ON,         /**< retry_on: the conditions retried (text, e.g. "5xx,reset") */
	DC_DEP_RETRY_BUDGET,     /**< retry_budget: retries at most this fraction of requests */
	DC_DEP_MAX_CONNECTIONS,  /**< max_connections: connection pool size (circuit breaker) */
	DC_DEP_MAX_PENDING,      /**< max_pending: requests queued before the breaker rejects */
	DC_DEP_MAX_REQUESTS,     /**< max_requests: requests in flight before the breaker rejects */
	DC_DEP_EJECT_AFTER,      /**< eject_after_errors: consecutive errors that eject an endpoint */
	DC_DEP_EJECTION_MS,      /**< ejection_ms: how long an ejected endpoint stays out */
	DC_DEP_WEIGHT,           /**< weight: percent of the route's traffic sent to this callee */
	DC_DEP_FAILOVER,         /**< failover: locality failover, text "from->to[, ...]" */
	DC_DEP_MAX_RETRIES,      /**< max_retries: retries in flight at once before the breaker stops retrying */
	DC_DEP_CALLS,            /**< calls: calls to the callee per request of the caller (load model; unset = 1) */
	DC_DEP_SETTING_COUNT
} dc_dep_setting;

/** The native key of a setting ("per_try_timeout_ms", ...); NULL out of range. */
DC_EXTERN(const char *) dc_dep_setting_name(dc_dep_setting k);
/** 1 when a source wrote setting k of dependency d (timeout_ms and retries:
 * written rather than defaulted); 0 otherwise, for an invalid index or k. */
DC_EXTERN(int) dc_dep_setting_is_set(const dc_catalog *cat, size_t d, dc_dep_setting k);
/** The numeric value of setting k (milliseconds, counts, percent; the
 * retry budget and calls as fractions, 0.2 = 20 %); 0 when unset, for a text
 * setting, an invalid index or k. timeout_ms and retries give their
 * (possibly defaulted) values. */
DC_EXTERN(double) dc_dep_setting_value(const dc_catalog *cat, size_t d, dc_dep_setting k);
/** The text of a text setting (retry_on, failover); NULL when unset or not text. */
DC_EXTERN(const char *) dc_dep_setting_text(const dc_catalog *cat, size_t d, dc_dep_setting k);
/** Where setting k was written (a mesh object's field, a native key); for
 * timeout_ms and retries written in the dependency itself, the
 * dependency's location; a location without a file when unset or invalid. */
DC_EXTERN(dc_location) dc_dep_setting_location(const dc_catalog *cat, size_t d, dc_dep_setting k);
/** How long one call to a hanging callee can keep the caller waiting:
 * with a per-try timeout p, min(timeout_ms, (retries + 1) x p), or
 * (retries + 1) x p when timeout_ms was not written; without one,
 * timeout_ms x (retries + 1). 0 for an invalid index. */
DC_EXTERN(unsigned long long) dc_dep_hang_ms(const dc_catalog *cat, size_t d);
/** How many calls one call to d can turn into: retries + 1, capped at
 * 1 + retry_budget when a retry budget is set. 0 for an invalid index. */
DC_EXTERN(double) dc_dep_call_factor(const dc_catalog *cat, size_t d);

/* ---- provenance: one service, many sources ---------------------------------
 * A service may be described by several inputs of different kinds (a
 * Backstage entity, a Kubernetes workload, a native file, a native overlay):
 * finalize merges them into one service (docs/inputs.md, "One service, many
 * sources"). Each *source* is one definition: where it is (the position of
 * its name), its format, and which attributes it set. Sources are listed
 * highest precedence first (overlay > native/DOT > Backstage >
 * Compose/Kubernetes); a service defined once has one source, its own
 * location. Likewise a dependency declared by several sources lists each
 * declaration, the one whose values it carries first.
 * Available since DC_CATALOG_PROVENANCE 1 (library 0.1.0). */
#define DC_CATALOG_PROVENANCE 1

/** The attributes whose sources are tracked (bits of dc_service_source_attrs). */
typedef enum {
	DC_ATTR_OWNER = 0,
	DC_ATTR_SYSTEM,
	DC_ATTR_DESCRIPTION,
	DC_ATTR_URL,
	DC_ATTR_TIER,
	DC_ATTR_ENTRYPOINT,
	DC_ATTR_REPLICAS,
	DC_ATTR_ZONES,
	DC_ATTR_AVAILABILITY,
	DC_ATTR_SLO,
	DC_ATTR_LATENCY,
	DC_ATTR_TAGS,
	DC_ATTR_EXTERNAL,
	DC_ATTR_TRAFFIC,      /**< traffic_rps */
	DC_ATTR_CAPACITY,     /**< capacity_rps */
	DC_ATTR_CONCURRENCY,  /**< max_concurrency */
	DC_ATTR_COUNT
} dc_attr;

/** The native key of an attribute ("owner", "latency_ms", ...); NULL out of range. */
DC_EXTERN(const char *) dc_attr_name(dc_attr a);

/** How many sources define service s (1 for a service defined once, 0 for
 * an external made for an unresolved reference or an invalid id). */
DC_EXTERN(size_t) dc_service_source_count(const dc_catalog *cat, dc_id s);
/** Source i of service s: where its definition is. */
DC_EXTERN(dc_location) dc_service_source(const dc_catalog *cat, dc_id s, size_t i);
/** Source i's input format. */
DC_EXTERN(dc_input_format) dc_service_source_format(const dc_catalog *cat, dc_id s, size_t i);
/** 1 when source i is an entry of a native overlay (`overlay:` list). */
DC_EXTERN(int) dc_service_source_is_overlay(const dc_catalog *cat, dc_id s, size_t i);
/** The attributes source i wrote: bit (1u << DC_ATTR_x) per attribute. The
 * value of an attribute is that of the first source (highest precedence)
 * that wrote it. */
DC_EXTERN(unsigned) dc_service_source_attrs(const dc_catalog *cat, dc_id s, size_t i);

/** How many declarations dependency d merges (1 unless several sources
 * declare the same edge; 0 for an invalid index). */
DC_EXTERN(size_t) dc_dep_source_count(const dc_catalog *cat, size_t d);
/** Declaration i of dependency d (0 is dc_dep_location). */
DC_EXTERN(dc_location) dc_dep_source(const dc_catalog *cat, size_t d, size_t i);

#endif
