/*
 * depcheck/export.h - write the normalized catalog.
 *
 * JSON and YAML follow the native schema (docs/inputs.md) with every
 * attribute explicit, so loading the output gives the same graph. DOT uses
 * node and edge attributes named like the native keys and loads back
 * through the DOT loader.
 */
#ifndef DEPCHECK_EXPORT_H
#define DEPCHECK_EXPORT_H

#include <stdio.h>
#include "catalog.h"
#include "graph.h"
#include "blast.h"
#include "output.h"

/** Write the finalized catalog to fp in `fmt`: DC_OUTPUT_JSON, DC_OUTPUT_YAML
 * or DC_OUTPUT_DOT (output.h names every format once). Returns 0, DC_EIO
 * when writing fails, DC_ENOMEM, or DC_EINVALID (another format, a
 * catalog that is not finalized, or for DOT a string with a backslash
 * before a quote or at its end, which no DOT string can hold: nothing is
 * written rather than DOT that would load as other services). Zone and tag
 * lists are written whole, never cut. */
DC_EXTERN(int) dc_export(const dc_catalog *cat, dc_output_format fmt, FILE *fp);

/** Options of dc_export_ex. */
typedef struct dc_export_options {
	unsigned int version; /**< DC_EXPORT_OPTIONS_VERSION */
	/** JSON only: write where each service and dependency came from, as
	 * `x-sources` (docs/inputs.md, "One service, many sources"), for the
	 * services several sources define and the edges several declare. The
	 * native loader ignores x-* keys, so the output still loads back to the
	 * same graph. DC_EINVALID with another format. */
	int provenance;
} dc_export_options;
#define DC_EXPORT_OPTIONS_VERSION 1
#define DC_EXPORT_OPTIONS_INIT { DC_EXPORT_OPTIONS_VERSION, 0 }

/** dc_export with options (NULL: the defaults, as dc_export). Returns what
 * dc_export returns, and DC_EINVALID for options of version 0 or newer than
 * this library. Available since DC_EXPORT_OPTIONS_VERSION 1. */
DC_EXTERN(int) dc_export_ex(const dc_catalog *cat, dc_output_format fmt, FILE *fp,
			    const dc_export_options *opts);

/** For each service, how many other services it depends on, directly or
 * transitively (every dependency kind), into counts[0..n). One search per
 * service: O(services * (services + dependencies)) time, O(services) memory,
 * like a blast sweep. Returns 0 or DC_ENOMEM. */
DC_EXTERN(int) dc_graph_dependency_counts(const dc_graph *g, size_t *counts);

/** What `depcheck export -f backstage` writes besides the catalog. */
typedef struct {
	unsigned int version;        /**< DC_BACKSTAGE_EXPORT_VERSION */
	const dc_graph *g;           /**< the catalog's graph */
	const dc_blast *blast;       /**< blast radii (depcheck.io/blast-radius), or NULL */
	const size_t *dependencies;  /**< dc_graph_dependency_counts(), or NULL */
} dc_backstage_export;
#define DC_BACKSTAGE_EXPORT_VERSION 1
#define DC_BACKSTAGE_EXPORT_INIT { DC_BACKSTAGE_EXPORT_VERSION, NULL, NULL, NULL }

/** Backstage entities (a YAML stream; docs/deploy.md, "Backstage"): one
 * Component per service (a Resource for an external one) with spec.dependsOn
 * and the depcheck.dev/ annotations the Backstage reader reads back (soft
 * dependencies, tier, replicas), so that loading the output gives the same
 * graph; the derived facts Backstage cannot compute as depcheck.io/
 * annotations (tier, transitive dependency count, blast radius); and one
 * System per system with dependsOn the systems its components depend on.
 * Returns 0, DC_EIO, DC_ENOMEM, or DC_EINVALID (bad arguments, or a service
 * or system name that is no Backstage entity name: letters, digits, '-',
 * '_' and '.', at most 63; nothing is written then). */
DC_EXTERN(int) dc_export_backstage(FILE *fp, const dc_backstage_export *x);

#endif
