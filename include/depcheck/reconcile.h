/*
 * depcheck/reconcile.h - declared dependencies against the calls observed
 * in production (`depcheck reconcile`, issue 7).
 *
 * Observed data is a list of call edges caller -> callee with a call count,
 * read from:
 * - Jaeger's dependencies JSON: an array of {"parent", "child",
 *   "callCount"} objects, or the {"data": [...]} wrapper the Jaeger query
 *   API (/api/dependencies) returns. Other keys are ignored; callCount is a
 *   non-negative integer and defaults to 1 when absent.
 * - CSV: `caller,callee[,calls]` per line. A first row whose third field is
 *   not a number, or whose first two fields are a known header
 *   (caller/callee, parent/child, source/target, from/to, client/server),
 *   is a header. Fields may be quoted ("a,b", "" for a quote); blank lines
 *   and lines starting with # are skipped; white space around unquoted
 *   fields is trimmed; calls defaults to 1.
 * The format is detected from content (a first non-blank character `[` or
 * `{` means JSON) unless forced. Repeated edges (in one file or across
 * files) add their call counts. Every problem is a diagnostic at
 * file:line:column; a malformed file is DC_EPARSE, an over-limit one
 * DC_ELIMIT, and an observation set with errors should not be used.
 *
 * Reconciliation (dc_reconcile_compute) resolves observed names with the
 * catalog's own name resolution (dc_catalog_find: display name, full
 * reference, or any unique form, case-insensitively) and reports:
 * - undeclared dependencies: observed caller -> callee edges with at least
 *   `min_calls` calls whose caller is a catalog service and which the
 *   catalog does not declare (hard, soft or any_of member): hidden risk.
 *   The callee may be a catalog service or unknown to the catalog;
 * - stale dependencies: declared ones never observed, reported only for
 *   callers that appear as a caller in the observed data (a service
 *   without tracing would make every one of its dependencies "stale");
 *   declared dependencies of callers without observations are counted as
 *   not covered;
 * - unknown services: observed names that resolve to no catalog service
 *   (or to several: ambiguous), with their calls in and out.
 * A service calling itself is not a dependency and is ignored.
 *
 * Ownership: names returned are borrowed from the dc_observed (observed
 * names) or the catalog. A dc_reconcile keeps nothing of the graph, but its
 * unknown-service names point into the observations: free it before them.
 */
#ifndef DEPCHECK_RECONCILE_H
#define DEPCHECK_RECONCILE_H

#include "graph.h"

/* ---- observed call edges ------------------------------------------------------ */

typedef struct dc_observed dc_observed;

typedef enum {
	DC_OBSERVED_AUTO = 0,
	DC_OBSERVED_JAEGER,
	DC_OBSERVED_CSV,
	DC_OBSERVED_ZIPKIN,   /**< Zipkin dependency links: Jaeger's reader, plus errorCount */
	DC_OBSERVED_TEMPO,    /**< Prometheus HTTP API answer: Tempo / OTel service-graph metrics */
	DC_OBSERVED_OTLP,     /**< OTLP JSON traces (the collector's file exporter, JSON Lines) */
	DC_OBSERVED_XRAY,     /**< AWS X-Ray GetServiceGraph answer */
	DC_OBSERVED_KIALI     /**< Kiali graph API answer (/api/namespaces/graph) */
} dc_observed_format;

typedef struct {
	unsigned int version;       /**< DC_OBSERVED_OPTIONS_VERSION */
	dc_observed_format format;  /**< forced format, or DC_OBSERVED_AUTO */
	size_t max_file_size;       /**< bytes, 0 = default (256 MiB) */
	size_t max_edges;           /**< distinct edges over all inputs, 0 = default (10,000,000) */
	size_t max_name;            /**< bytes per service name, 0 = default (1024) */
} dc_observed_options;

#define DC_OBSERVED_OPTIONS_VERSION 1
#define DC_OBSERVED_OPTIONS_INIT { DC_OBSERVED_OPTIONS_VERSION, DC_OBSERVED_AUTO, 0, 0, 0 }

/** "jaeger" (or "json"), "zipkin", "csv", "tempo" (or "prometheus"), "otlp", "xray", "kiali" to a format: 0 or DC_EINVALID. */
DC_EXTERN(int) dc_observed_format_parse(dc_observed_format *out, const char *name);

DC_EXTERN(int) dc_observed_new(dc_observed **out);
DC_EXTERN(void) dc_observed_free(dc_observed *obs);

/** Parse observed edges from memory; `name` is the file name used in
 * diagnostics. opts may be NULL. Returns 0, DC_EPARSE (malformed:
 * diagnostics say where), DC_ELIMIT, DC_EINVALID (options version outside
 * 1 .. DC_OBSERVED_OPTIONS_VERSION), DC_ENOMEM. Edges parsed before an
 * error are kept. */
DC_EXTERN(int) dc_observed_parse(dc_observed *obs, const char *name, const char *buf, size_t len,
				 const dc_observed_options *opts, dc_diags *diags);
/** The two parsers, callable on their own (fuzz targets). */
DC_EXTERN(int) dc_observed_parse_jaeger(dc_observed *obs, const char *name, const char *buf,
					size_t len, const dc_observed_options *opts, dc_diags *diags);
DC_EXTERN(int) dc_observed_parse_csv(dc_observed *obs, const char *name, const char *buf, size_t len,
				     const dc_observed_options *opts, dc_diags *diags);
/** Tempo / OpenTelemetry service-graph metrics: a Prometheus HTTP API
 * answer (vector or matrix). OTLP JSON traces: one ExportTraceServiceRequest
 * object, or one per line. See docs/inputs.md "Observed traffic". */
DC_EXTERN(int) dc_observed_parse_tempo(dc_observed *obs, const char *name, const char *buf, size_t len,
				       const dc_observed_options *opts, dc_diags *diags);
DC_EXTERN(int) dc_observed_parse_otlp(dc_observed *obs, const char *name, const char *buf, size_t len,
				      const dc_observed_options *opts, dc_diags *diags);
/** AWS X-Ray service graph (GetServiceGraph's answer, `aws xray get-service-graph`). */
DC_EXTERN(int) dc_observed_parse_xray(dc_observed *obs, const char *name, const char *buf, size_t len,
				      const dc_observed_options *opts, dc_diags *diags);
/** Kiali's graph (the /api/namespaces/graph answer): edges between app,
 * service or workload nodes, calls = rate x the graph's duration. */
DC_EXTERN(int) dc_observed_parse_kiali(dc_observed *obs, const char *name, const char *buf, size_t len,
				       const dc_observed_options *opts, dc_diags *diags);
/** Read a file ("-" = standard input) and parse it: as above, plus DC_EIO. */
DC_EXTERN(int) dc_observed_add_file(dc_observed *obs, const char *path, const dc_observed_options *opts,
				    dc_diags *diags);

/** Distinct edges, in order of first appearance. The accessors below give
 * NULL, 0 or a location without a file for i >= dc_observed_count(). */
DC_EXTERN(size_t) dc_observed_count(const dc_observed *obs);
DC_EXTERN(const char *) dc_observed_caller(const dc_observed *obs, size_t i);
DC_EXTERN(const char *) dc_observed_callee(const dc_observed *obs, size_t i);
/** Calls summed over every occurrence (saturating). */
DC_EXTERN(uint64_t) dc_observed_calls(const dc_observed *obs, size_t i);
/** Traffic metrics (Zipkin, Tempo service graphs, OTLP traces; see
 * docs/inputs.md "Observed traffic"). Failed calls and retries (repeated
 * client spans under one parent span) summed over every occurrence; the
 * error ratio is errors / calls, or -1 when no source gave errors (or no
 * calls); calls per second (summed over sources) and the p50 / p99
 * latencies in milliseconds (the larger over sources) are -1 when unknown. */
DC_EXTERN(uint64_t) dc_observed_errors(const dc_observed *obs, size_t i);
DC_EXTERN(uint64_t) dc_observed_retries(const dc_observed *obs, size_t i);
DC_EXTERN(double) dc_observed_error_ratio(const dc_observed *obs, size_t i);
DC_EXTERN(double) dc_observed_calls_per_s(const dc_observed *obs, size_t i);
DC_EXTERN(double) dc_observed_p50_ms(const dc_observed *obs, size_t i);
DC_EXTERN(double) dc_observed_p99_ms(const dc_observed *obs, size_t i);
/** Where the edge first appeared. */
DC_EXTERN(dc_location) dc_observed_location(const dc_observed *obs, size_t i);

/* ---- observed calls as edges of the catalog ------------------------------------
 * (docs/inputs.md "Observed edges in the analyses"; docs/decisions.md). An
 * observed call caller -> callee whose two names resolve to catalog
 * services (as reconciliation resolves them) either refines the declared
 * dependency (which then carries the observed calls/s, error ratio and
 * latencies: dc_dep_observed) or, when no dependency of the caller names
 * that callee, becomes a dependency of origin "observed"
 * (dc_dep_is_observed), soft unless the options say hard. Observed edges
 * never make or unmake an entrypoint (entrypoints are decided on the
 * declared edges). Names that resolve to no service, or to several, and
 * edges with fewer than min_calls calls or from a service to itself are
 * left out (a note counts them). */

typedef enum {
	DC_OBSERVED_EDGES_SOFT = 0,   /**< an undeclared observed call is a soft dependency (default) */
	DC_OBSERVED_EDGES_HARD = 1,   /**< ... a hard one (the pessimistic reading) */
	DC_OBSERVED_EDGES_IGNORE = 2  /**< add no edge; declared edges still get the metrics */
} dc_observed_edges;

typedef struct {
	unsigned int version;        /**< DC_CATALOG_OBSERVED_OPTIONS_VERSION */
	dc_observed_edges edges;     /**< what an undeclared observed call becomes */
	uint64_t min_calls;          /**< observed edges with fewer calls are noise (0 = 1) */
} dc_catalog_observed_options;

#define DC_CATALOG_OBSERVED_OPTIONS_VERSION 1
#define DC_CATALOG_OBSERVED_OPTIONS_INIT { DC_CATALOG_OBSERVED_OPTIONS_VERSION, DC_OBSERVED_EDGES_SOFT, 1 }

/** Add the observed calls of `obs` to a catalog that is not finalized yet:
 * they are resolved and applied by dc_catalog_finalize() (after every
 * source is merged, before the mesh policies, so that a VirtualService's
 * timeout applies to an observed call as to a declared one). The data is
 * copied; obs may be freed after. May be called more than once. opts may be
 * NULL. Returns 0, DC_EINVALID (finalized catalog, NULL argument, options
 * version outside 1 .. DC_CATALOG_OBSERVED_OPTIONS_VERSION or an unknown
 * `edges`) or DC_ENOMEM. */
DC_EXTERN(int) dc_catalog_add_observed(dc_catalog *cat, const dc_observed *obs,
				       const dc_catalog_observed_options *opts);

/** What was observed on one dependency of a catalog. Unknown values are -1. */
typedef struct {
	uint64_t calls;          /**< calls in the observed window(s) */
	double calls_per_s;      /**< -1: the source had no window */
	double error_ratio;      /**< errors / calls; -1: the source had no error counts */
	double p50_ms, p99_ms;   /**< -1: the source had no latencies */
	dc_location where;       /**< where it was first observed */
} dc_dep_traffic;

/** 1 and *out when dependency d was observed (dc_catalog_add_observed),
 * else 0 (*out untouched). */
DC_EXTERN(int) dc_dep_observed(const dc_catalog *cat, size_t d, dc_dep_traffic *out);
/** 1 when dependency d exists only because it was observed: no input
 * declares it (its origin is "observed"). */
DC_EXTERN(int) dc_dep_is_observed(const dc_catalog *cat, size_t d);
/** 1 when dependency d's `calls` per request (DC_DEP_CALLS) was not
 * written but derived from observation: the edge's observed calls/s over
 * the caller's observed inbound calls/s (every observed caller, those
 * outside the catalog included). */
DC_EXTERN(int) dc_dep_calls_observed(const dc_catalog *cat, size_t d);
/** "soft", "hard" or "ignore" to a mode: 0 or DC_EINVALID. */
DC_EXTERN(int) dc_observed_edges_parse(dc_observed_edges *out, const char *name);

/* ---- reconciliation ------------------------------------------------------------ */

typedef struct dc_reconcile dc_reconcile;

typedef struct {
	unsigned int version;  /**< DC_RECONCILE_OPTIONS_VERSION */
	uint64_t min_calls;    /**< observed edges with fewer calls are ignored as noise (0 = 1) */
} dc_reconcile_options;

#define DC_RECONCILE_OPTIONS_VERSION 1
#define DC_RECONCILE_OPTIONS_INIT { DC_RECONCILE_OPTIONS_VERSION, 1 }

/** Reconcile. opts may be NULL. Returns 0, DC_EINVALID (options version
 * outside 1 .. DC_RECONCILE_OPTIONS_VERSION) or
 * DC_ENOMEM (then *out is NULL). Linear in catalog plus observations. */
DC_EXTERN(int) dc_reconcile_compute(dc_reconcile **out, const dc_graph *g, const dc_observed *obs,
				    const dc_reconcile_options *opts);
DC_EXTERN(void) dc_reconcile_free(dc_reconcile *r);

/** An observed edge the catalog does not declare. */
typedef struct {
	size_t observed;   /**< index into the dc_observed */
	dc_id caller;      /**< catalog service */
	dc_id callee;      /**< catalog service, or DC_NO_ID when unknown to the catalog */
	uint64_t calls;
} dc_undeclared;

/** Undeclared dependencies: most calls first, then caller and callee name. */
DC_EXTERN(size_t) dc_reconcile_undeclared(const dc_reconcile *r, const dc_undeclared **rows);
/** Declared dependencies (indexes) never observed, of observed callers, by
 * (from, to) name. */
DC_EXTERN(size_t) dc_reconcile_stale(const dc_reconcile *r, const uint32_t **deps);
/** Declared dependencies whose caller has no observations at all. */
DC_EXTERN(size_t) dc_reconcile_not_covered(const dc_reconcile *r);
/** Declared dependencies observed (with any number of calls). */
DC_EXTERN(size_t) dc_reconcile_confirmed(const dc_reconcile *r);

/** An observed name no catalog service answers to. */
typedef struct {
	const char *name;        /**< as observed (borrowed from the dc_observed) */
	int ambiguous;           /**< 1: it names several catalog services */
	uint64_t calls_out;      /**< calls it made (edges with >= min_calls) */
	uint64_t calls_in;       /**< calls it received */
	size_t first;            /**< observed edge where it first appears */
} dc_unknown_service;

/** Unknown services, by name. */
DC_EXTERN(size_t) dc_reconcile_unknown(const dc_reconcile *r, const dc_unknown_service **rows);

#endif
