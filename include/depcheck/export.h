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

#endif
