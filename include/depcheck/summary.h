/*
 * depcheck/summary.h - what a loaded catalog holds, in numbers: the counts
 * `depcheck validate` reports (services, externals, dependencies,
 * entrypoints, cycles, files, errors, warnings).
 *
 * Counting is an analysis (it computes the strongly connected components
 * for the cycles), kept apart from the writer that prints it
 * (dc_write_validation in output.h).
 */
#ifndef DEPCHECK_SUMMARY_H
#define DEPCHECK_SUMMARY_H

#include "diag.h"
#include "graph.h"

/** Filled by dc_catalog_summarize. The caller sets `version` (the _INIT
 * macro does); fields are only ever added at the end, and a library fills
 * only the fields of the version the caller asked for. */
typedef struct {
	unsigned int version; /**< DC_CATALOG_SUMMARY_VERSION */
	size_t files;         /**< input files read */
	size_t services;      /**< services, externals not counted */
	size_t external;      /**< external services (declared or made for an unresolved reference) */
	size_t dependencies;  /**< dependency edges */
	size_t entrypoints;   /**< entrypoints (declared, or nothing depends on them) */
	size_t cycles;        /**< cycles: components of several services, or a self loop (all edges) */
	size_t errors;        /**< diagnostics of severity error */
	size_t warnings;      /**< diagnostics of severity warning */
} dc_catalog_summary;

#define DC_CATALOG_SUMMARY_VERSION 1
#define DC_CATALOG_SUMMARY_INIT { DC_CATALOG_SUMMARY_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Count what g's catalog holds; diags (may be NULL: no errors or warnings)
 * are the diagnostics of loading it. out->version must be set. Returns 0,
 * DC_EINVALID (NULL out or g, unknown out->version) or DC_ENOMEM.
 */
DC_EXTERN(int) dc_catalog_summarize(dc_catalog_summary *out, const dc_graph *g, const dc_diags *diags);

/* ---- assumptions ------------------------------------------------------------
 * What an answer rests on that no descriptor stated: values that are
 * defaults, edges read from something that is not a runtime call graph
 * (Compose start order, environment values), edges made soft by depcheck
 * (telemetry sinks), entrypoints chosen because nothing depends on them.
 * Every analysis writer states them (text: one or two lines headed
 * "assumed:", suppressed by quiet; JSON: the key "assumptions") when the
 * caller passes them in dc_output_options.assumptions. docs/model.md,
 * "What an answer assumes", lists the rules.
 *
 * A value counts as a default when no descriptor wrote it on the service or
 * the dependency: the built-in, or a file's `defaults:` block (which sets
 * what the unstated values take, for every service of the file alike). */

/** Topics: which statements matter to an answer (DC_ASSUME_* bits). */
#define DC_ASSUME_AVAILABILITY 1u /**< availabilities (availability, min-availability) */
#define DC_ASSUME_LATENCY 2u      /**< latencies (critical path, timeout budget) */
#define DC_ASSUME_TIMEOUTS 4u     /**< timeouts (time to impact, timeout budget, critical path) */
#define DC_ASSUME_RETRIES 8u      /**< retries (time to impact, retry amplification) */
#define DC_ASSUME_EDGES 16u       /**< where edges came from (Compose start order, inferred, soft telemetry) */
#define DC_ASSUME_ENTRYPOINTS 32u /**< how entrypoints were chosen */
#define DC_ASSUME_ALL 63u

/** Filled by dc_catalog_assumptions. The caller sets `version` (the _INIT
 * macro does); fields are only ever added at the end. A value shared by
 * every defaulted one (`*_value`) is -1 when they differ (files with
 * different `defaults:`) or when there is none. */
typedef struct {
	unsigned int version;          /**< DC_ASSUMPTIONS_VERSION */
	unsigned topics;               /**< DC_ASSUME_* the answer rests on: the statements made */
	size_t services;               /**< every service, external ones included */
	size_t availability_default;   /**< services whose availability no descriptor wrote */
	double availability_value;
	size_t latency_default;        /**< services whose latency_ms no descriptor wrote */
	double latency_value;
	size_t dependencies;           /**< dependency edges */
	size_t timeout_default;        /**< edges whose timeout_ms no descriptor wrote */
	double timeout_value;
	size_t retries_default;        /**< edges whose retries no descriptor wrote */
	double retries_value;
	size_t start_order;            /**< edges read from Compose depends_on or links (start
	                                    order) as runtime dependencies */
	size_t inferred;               /**< edges inferred from environment values or ConfigMaps */
	size_t telemetry_soft;         /**< edges read as soft because they lead to or from a
	                                    telemetry sink (docs/decisions.md) */
	size_t entrypoints;            /**< entrypoints */
	size_t entrypoints_declared;   /**< ... written (entrypoint: true, an exposed Kubernetes Service) */
	size_t entrypoints_unreferenced; /**< ... because nothing depends on them */
	size_t internal;               /**< services that are not external (entrypoint candidates) */
	size_t observed;               /**< edges observed in production (--observed), declared nowhere */
	size_t observed_hard;          /**< ... of them read as hard (--observed-edges=hard); else soft */
} dc_assumptions;

#define DC_ASSUMPTIONS_VERSION 1
#define DC_ASSUMPTIONS_INIT { DC_ASSUMPTIONS_VERSION, 0, 0, 0, -1, 0, -1, 0, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Count what g's catalog leaves to defaults and inference; `topics`
 * (DC_ASSUME_* bits, 0 = DC_ASSUME_ALL) picks the statements that matter
 * to the caller's answer. out->version must be set. Returns 0 or
 * DC_EINVALID (NULL out or g, unknown out->version, unknown topic bits).
 * One pass over services and edges.
 */
DC_EXTERN(int) dc_catalog_assumptions(dc_assumptions *out, const dc_graph *g, unsigned topics);

/**
 * Statement i (0-based) of what `a` assumes, among the topics it was
 * computed for, as a short phrase ("41 of 47 availabilities are the
 * default 0.999"), written into buf like snprintf (buf may be NULL when
 * size is 0). Only what is assumed is stated: a catalog that writes every
 * value gets none. Returns the length of the statement (0: no statement i).
 */
DC_EXTERN(size_t) dc_assumptions_statement(const dc_assumptions *a, size_t i, char *buf, size_t size);

#endif
