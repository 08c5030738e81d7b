/*
 * depcheck/diff.h - what a change does to a catalog's structure and risk
 * (`depcheck diff BASE HEAD`, issue 7).
 *
 * Two finalized catalogs are compared. Services are matched by their full
 * reference (dc_service_ref: the native name, or `kind:namespace/name` for
 * Backstage entities); services left unmatched on both sides are then
 * matched by display name (so a catalog moved from native YAML to Backstage
 * still compares service by service). Dependencies are matched by their
 * resolved endpoints (from, to), which are unique per service in a
 * finalized catalog. The result lists:
 *
 * - services added (only in head) and removed (only in base);
 * - dependencies added and removed, and dependencies present in both whose
 *   kind (hard / soft / any_of membership), any_of group, timeout_ms,
 *   retries or stage changed; source positions never count as a change;
 * - services present in both whose attributes changed (owner, system,
 *   description, tier, entrypoint, external, replicas, zones, tags,
 *   availability, slo, latency_ms, url; zones and tags compare as sets);
 * - blast-radius deltas of services present in both (dc_blast on each
 *   graph), growers (largest DOWN growth first) and shrinkers;
 * - cycles that are new or gone: strongly connected components (over all
 *   edges, and over hard non-group edges) are compared by their member
 *   sets, so a cycle that gained a member is one new and one removed cycle;
 * - SPOFs that are new or gone (a service that is a SPOF only in head,
 *   including a new service, is new).
 *
 * Every list is in a deterministic order (by head name where the item
 * exists in head, else by base name). `risk_increased` summarises what a
 * CI job may want to fail on: a new cycle, a new SPOF or a blast radius
 * that grew.
 *
 * The library computes and never prints: dc_write_diff (depcheck/output.h)
 * writes text and JSON, dc_diff_render() DOT/SVG maps. New and fixed
 * violations of a policy come from dc_diff_check(), the CI gate from
 * dc_diff_gate().
 *
 * Ownership: dc_diff_compute() keeps pointers to both graphs (for names
 * and attributes): free the diff before either graph. Arrays returned by
 * the accessors are borrowed from the diff and live until dc_diff_free().
 */
#ifndef DEPCHECK_DIFF_H
#define DEPCHECK_DIFF_H

#include <stdio.h>

#include "graph.h"
#include "check.h"
#include "format.h"

typedef struct dc_diff dc_diff;

typedef struct {
	unsigned int version;  /**< DC_DIFF_OPTIONS_VERSION */
	unsigned int flags;    /**< DC_DIFF_NO_BLAST: skip blast radii and SPOFs */
} dc_diff_options;

#define DC_DIFF_NO_BLAST 1u
#define DC_DIFF_OPTIONS_VERSION 1
#define DC_DIFF_OPTIONS_INIT { DC_DIFF_OPTIONS_VERSION, 0 }

/* The arguments that pick one of two lists or sides. They are enums, not
 * bare 0/1, so that a call reads `dc_diff_cycle_count(d, DC_EDGES_HARD_ONLY,
 * DC_DIFF_ADDED)`; the values are 0 and 1 and stay so. Which cycles is the
 * graph's dc_edge_set (graph.h). */

/** Which catalog: base (0) or head (1). */
typedef enum { DC_DIFF_BASE = 0, DC_DIFF_HEAD = 1 } dc_diff_side;
/** What head did to an item: removed it (0, base ids) or added it (1, head ids). */
typedef enum { DC_DIFF_REMOVED = 0, DC_DIFF_ADDED = 1 } dc_diff_direction;
/** Which blast-radius changes: shrank (0) or grew (1). */
typedef enum { DC_DIFF_SHRANK = 0, DC_DIFF_GREW = 1 } dc_diff_trend;
/** Which attribute bits: of a service (0) or of a dependency (1). */
typedef enum { DC_DIFF_SERVICE_FIELD = 0, DC_DIFF_DEP_FIELD = 1 } dc_diff_field_kind;

/** Compare base and head (graphs of finalized catalogs). opts may be NULL;
 * versions 1..DC_DIFF_OPTIONS_VERSION are accepted.
 * Returns 0, DC_EINVALID (unknown options version) or DC_ENOMEM (then *out
 * is NULL). Linear in the size of both catalogs plus two blast sweeps. */
DC_EXTERN(int) dc_diff_compute(dc_diff **out, const dc_graph *base, const dc_graph *head,
			       const dc_diff_options *opts);
DC_EXTERN(void) dc_diff_free(dc_diff *d);

DC_EXTERN(const dc_graph *) dc_diff_base(const dc_diff *d);
DC_EXTERN(const dc_graph *) dc_diff_head(const dc_diff *d);

/** The service of head matching base service s, or DC_NO_ID; and the
 * other way round. */
DC_EXTERN(dc_id) dc_diff_head_of(const dc_diff *d, dc_id base_service);
DC_EXTERN(dc_id) dc_diff_base_of(const dc_diff *d, dc_id head_service);

/* ---- services -------------------------------------------------------------- */

/** Head services with no base counterpart, by name. */
DC_EXTERN(size_t) dc_diff_services_added(const dc_diff *d, const dc_id **head_ids);
/** Base services with no head counterpart, by name. */
DC_EXTERN(size_t) dc_diff_services_removed(const dc_diff *d, const dc_id **base_ids);

/** Service attributes, as bits of dc_diff_change.fields. */
enum {
	DC_DIFF_OWNER = 1u << 0,
	DC_DIFF_SYSTEM = 1u << 1,
	DC_DIFF_DESCRIPTION = 1u << 2,
	DC_DIFF_TIER = 1u << 3,
	DC_DIFF_ENTRYPOINT = 1u << 4,   /**< the effective entrypoint flag */
	DC_DIFF_EXTERNAL = 1u << 5,
	DC_DIFF_REPLICAS = 1u << 6,
	DC_DIFF_ZONES = 1u << 7,        /**< as a set */
	DC_DIFF_TAGS = 1u << 8,         /**< as a set */
	DC_DIFF_AVAILABILITY = 1u << 9,
	DC_DIFF_SLO = 1u << 10,
	DC_DIFF_LATENCY = 1u << 11,
	DC_DIFF_URL = 1u << 12,         /**< dc_service_url */
	DC_DIFF_SERVICE_LAST = DC_DIFF_URL  /**< the highest service bit, for loops */
};

/** Dependency attributes, as bits of dc_diff_change.fields. */
enum {
	DC_DIFF_KIND = 1u << 0,     /**< hard / soft, or in an any_of group or not */
	DC_DIFF_ANY_OF = 1u << 1,   /**< in a group on both sides, but other members */
	DC_DIFF_TIMEOUT = 1u << 2,
	DC_DIFF_RETRIES = 1u << 3,
	DC_DIFF_STAGE = 1u << 4,
	DC_DIFF_DEP_LAST = DC_DIFF_STAGE  /**< the highest dependency bit, for loops */
};

/** A service or dependency present on both sides with different
 * attributes: base and head are service ids (dc_diff_attributes) or
 * dependency indexes (dc_diff_deps_changed) of the two catalogs. */
typedef struct {
	uint32_t base, head;
	unsigned int fields;   /**< DC_DIFF_* bits of what differs */
} dc_diff_change;

/** Matched services whose attributes differ, by head name. */
DC_EXTERN(size_t) dc_diff_attributes(const dc_diff *d, const dc_diff_change **changes);
/** Name of a service attribute bit ("owner", "tier", "zones", "url", ...),
 * or of a dependency bit with DC_DIFF_DEP_FIELD ("kind", "any_of",
 * "timeout_ms", "retries", "stage"); NULL for an unknown bit. */
DC_EXTERN(const char *) dc_diff_field_name(unsigned int bit, dc_diff_field_kind kind);

/* ---- dependencies ---------------------------------------------------------- */

/** Head dependency indexes present only in head, by (from, to) head names. */
DC_EXTERN(size_t) dc_diff_deps_added(const dc_diff *d, const uint32_t **head_deps);
/** Base dependency indexes present only in base, by (from, to) base names. */
DC_EXTERN(size_t) dc_diff_deps_removed(const dc_diff *d, const uint32_t **base_deps);
/** Dependencies on both sides with different attributes, by head names. */
DC_EXTERN(size_t) dc_diff_deps_changed(const dc_diff *d, const dc_diff_change **changes);
/** "hard", "soft", "any_of" (hard member of a group) or "any_of soft";
 * NULL for an index out of range. */
DC_EXTERN(const char *) dc_diff_dep_kind_label(const dc_catalog *cat, size_t dep);

/* ---- blast radius ---------------------------------------------------------- */

typedef struct {
	dc_id base, head;          /**< the service on each side */
	size_t base_down, head_down;
	size_t base_degraded, head_degraded;
} dc_diff_blast;

/** Matched services whose blast radius (DOWN, or DEGRADED) changed.
 * DC_DIFF_GREW: DOWN grew, or DOWN equal and DEGRADED grew; largest DOWN
 * growth first, then DEGRADED growth, then name. DC_DIFF_SHRANK: the others,
 * largest DOWN loss first. Empty with DC_DIFF_NO_BLAST. */
DC_EXTERN(size_t) dc_diff_blast_changes(const dc_diff *d, dc_diff_trend trend, const dc_diff_blast **rows);
/** Blast radius (DOWN) of service s of one side (0 with DC_DIFF_NO_BLAST). */
DC_EXTERN(size_t) dc_diff_blast_down(const dc_diff *d, dc_diff_side side, dc_id s);

/* ---- cycles ---------------------------------------------------------------- */

/** Cycles (strongly connected components of two or more services; with
 * DC_EDGES_HARD_ONLY over hard non-group edges) of head that base does not
 * have (DC_DIFF_ADDED), or of base that head does not have
 * (DC_DIFF_REMOVED). Ordered by size (largest first), then first member's
 * name. */
DC_EXTERN(size_t) dc_diff_cycle_count(const dc_diff *d, dc_edge_set edges, dc_diff_direction dir);
/** Members of cycle i (head ids when added, else base ids), by name; 0 and
 * *members = NULL for i out of range. */
DC_EXTERN(size_t) dc_diff_cycle_members(const dc_diff *d, dc_edge_set edges, dc_diff_direction dir,
					size_t i, const dc_id **members);

/* ---- SPOFs ----------------------------------------------------------------- */

/** SPOFs only in head (DC_DIFF_ADDED, head ids) or only in base
 * (DC_DIFF_REMOVED, base ids), by name. Entrypoints come from
 * dc_diff_spof_entrypoints. Empty with DC_DIFF_NO_BLAST. */
DC_EXTERN(size_t) dc_diff_spofs(const dc_diff *d, dc_diff_direction dir, const dc_id **ids);
/** Entrypoints service s (an id of `side`) takes down on that side: the
 * DC_BLAST_SPOF_KEPT smallest ids (dc_blast_spof_entrypoints). */
DC_EXTERN(size_t) dc_diff_spof_entrypoints(const dc_diff *d, dc_diff_side side, dc_id s, const dc_id **eps);
/** How many entrypoints s takes down on that side in all. */
DC_EXTERN(size_t) dc_diff_spof_total(const dc_diff *d, dc_diff_side side, dc_id s);

/* ---- summary and map -------------------------------------------------------- */

/** 1 when head adds risk: a new cycle (of either kind), a new SPOF, or a
 * service whose DOWN blast radius grew (with DC_DIFF_NO_BLAST: cycles only). */
DC_EXTERN(int) dc_diff_risk_increased(const dc_diff *d);
/** 1 when nothing in the lists above differs. */
DC_EXTERN(int) dc_diff_is_empty(const dc_diff *d);

/* ---- changed since a base ------------------------------------------------------- */

/** What `plan --changed-from BASE` plans: changed[i] = 1 for each service
 * i of `cat` that is new (no service of `base` has its full reference) or
 * whose descriptor differs from base's: an attribute (owner, system,
 * description, tier, an explicit entrypoint flag, external, replicas,
 * availability, slo, latency_ms, zones and tags in order) or a dependency
 * (target, kind, timeout, retries, stage, any_of membership, in order);
 * else 0. Source positions and url do not count. `changed` has one byte per
 * service of cat. Returns 0 or DC_EINVALID. */
DC_EXTERN(int) dc_diff_changed_since(const dc_catalog *cat, const dc_catalog *base, uint8_t *changed);

/* ---- policy and gate ---------------------------------------------------------- */

/** Check both catalogs against policy p (dc_check) and keep the violations
 * head adds (`added`) and those it fixes (`fixed`), matched by rule and
 * subject (dc_violations_compare). A base service is named in subject keys
 * by its head counterpart's reference, so a catalog moved between formats
 * (services matched by name) keeps its violations' identity. `added` and
 * `fixed` are lists from dc_violations_new; what they hold is kept.
 * Returns 0, DC_EINVALID or DC_ENOMEM. */
DC_EXTERN(int) dc_diff_check(const dc_diff *d, const dc_policy *p, dc_violations *added,
			     dc_violations *fixed);

/** The gate of `depcheck diff --fail-on-risk`: 1 when head adds risk
 * (dc_diff_risk_increased) or `added` (from dc_diff_check) holds an
 * error-level violation, else 0. `added` may be NULL: no policy was run,
 * the structural risk alone decides. */
DC_EXTERN(int) dc_diff_gate(const dc_diff *d, const dc_violations *added);

/** What the map of a change draws. */
typedef enum {
	DC_DIFF_MAP_ALL = 0,          /**< the union of both graphs */
	DC_DIFF_MAP_CHANGED_ONLY = 1  /**< changed services, the endpoints of changed
	                                   dependencies and those dependencies */
} dc_diff_map_scope;

/** The map of the change: the union of both graphs. Added dependencies
 * green, removed ones red and dashed, changed ones orange, the rest faded
 * grey; added services outlined green, removed red (dashed), changed
 * orange. format DC_OUTPUT_DOT (stable text) or DC_OUTPUT_SVG (laid out
 * in-process by Graphviz, refused above DC_DIFF_SVG_MAX services in the
 * union: dot layout is superlinear; not thread-safe, see
 * depcheck/render.h). `scope` DC_DIFF_MAP_CHANGED_ONLY draws only changed
 * services, the endpoints of changed dependencies and those dependencies. Graphviz's
 * messages go to diags (may be NULL). Returns 0, DC_EINVALID (another
 * format), DC_ELIMIT, DC_ENOTFOUND (no SVG plugin), DC_ERROR (Graphviz
 * failed: see diags), DC_EIO, DC_ENOMEM. An unknown scope is DC_EINVALID. */
#define DC_DIFF_SVG_MAX 5000
DC_EXTERN(int) dc_diff_render(const dc_diff *d, dc_output_format format, dc_diff_map_scope scope,
			      FILE *fp, dc_diags *diags);

#endif
