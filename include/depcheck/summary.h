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

#endif
