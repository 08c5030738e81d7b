/*
 * depcheck/format.h - the names of output formats: one enum for every
 * writer, map and exporter (depcheck/output.h, render.h, plan.h, diff.h,
 * export.h), so that a format is named the same way everywhere.
 */
#ifndef DEPCHECK_FORMAT_H
#define DEPCHECK_FORMAT_H

#include "common.h"

/** Every format any command writes. Values are stable; new ones are added
 * at the end. */
typedef enum {
	DC_OUTPUT_TEXT = 0,
	DC_OUTPUT_JSON,
	DC_OUTPUT_YAML,
	DC_OUTPUT_DOT,
	DC_OUTPUT_SVG,
	DC_OUTPUT_PNG,
	DC_OUTPUT_PDF,
	DC_OUTPUT_SARIF,
	DC_OUTPUT_JUNIT,
	DC_OUTPUT_GITHUB,
	DC_OUTPUT_HTML,
	DC_OUTPUT_CSV,
	DC_OUTPUT_CHAOS_MESH,  /**< Chaos Mesh resources (experiments) */
	DC_OUTPUT_LITMUS,      /**< LitmusChaos ChaosEngines (experiments) */
	DC_OUTPUT_AWS_FIS,     /**< AWS FIS experiment templates (experiments) */
	DC_OUTPUT_ARGOCD,    /**< plan: Argo CD sync-wave patches (YAML) */
	DC_OUTPUT_FLUX,      /**< plan: Flux dependsOn patches (YAML) */
	DC_OUTPUT_HELM,      /**< plan: Helm hook-weight patches (YAML) */
	DC_OUTPUT_PIPELINE,  /**< plan: CI stages with needs (JSON) */
	DC_OUTPUT_BACKSTAGE, /**< export: Backstage entities (YAML) */
	DC_OUTPUT_JSONL      /**< analyze, check: JSON lines, one record a line, streamed (complete dumps) */
} dc_output_format;

/** The format's name as the CLI spells it ("text", "json", "sarif" ...). */
DC_EXTERN(const char *) dc_output_format_name(dc_output_format f);
/** Parse a format name (exact, lower case). Returns 0 or DC_ENOTFOUND. */
DC_EXTERN(int) dc_output_format_parse(dc_output_format *out, const char *name);

#endif
