/*
 * depcheck/output.h - writing results: one output-format enum and one
 * writer per result type, to any FILE *.
 *
 * Analyses compute; writers only format what an analysis returned (they
 * never run an analysis themselves); the CLI parses options, calls the
 * analysis and picks a writer. Each format family lives in one file of
 * lib/: output_text.c (human text), output_json.c (JSON), output_ci.c
 * (SARIF, JUnit, GitHub workflow commands); lib/output.c holds the format
 * names and the dispatch.
 *
 * Every writer returns 0, DC_EINVALID when it does not support
 * opts->format (or opts is of an unknown version), or DC_ENOMEM. Write
 * errors are not reported by the writers: the caller checks ferror(fp)
 * (the CLI does, at its single exit path).
 */
#ifndef DEPCHECK_OUTPUT_H
#define DEPCHECK_OUTPUT_H

#include <stdio.h>
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
	DC_OUTPUT_CSV
} dc_output_format;

/** The format's name as the CLI spells it ("text", "json", "sarif" ...). */
DC_EXTERN(const char *) dc_output_format_name(dc_output_format f);
/** Parse a format name (exact, lower case). Returns 0 or DC_ENOTFOUND. */
DC_EXTERN(int) dc_output_format_parse(dc_output_format *out, const char *name);

/** How a writer writes. Fields a writer does not use are ignored. */
typedef struct {
	unsigned int version;
	dc_output_format format;
	int color;           /**< ANSI colours in text output */
	int quiet;           /**< text: results only, no summaries or notes */
} dc_output_options;

#define DC_OUTPUT_OPTIONS_VERSION 1
#define DC_OUTPUT_OPTIONS_INIT { DC_OUTPUT_OPTIONS_VERSION, DC_OUTPUT_TEXT, 0, 0 }
/** Fill opts with the defaults of `version` (the _INIT macro's values). */
DC_EXTERN(int) dc_output_options_init(dc_output_options *opts, unsigned int version);

/* Writers follow, one section per group of results. Each is declared as
 *   DC_EXTERN(int) dc_write_<result>(FILE *fp, <the computed result...>,
 *                                    const dc_output_options *opts);
 * with the result's own parameters (a struct with a version when there are
 * more than a few) between fp and opts. */

/* ---- catalog: validate, show, path, export ------------------------------- */

#include "impact.h"
#include "paths.h"
#include "summary.h"

/** validate: the counts of dc_catalog_summarize and, in JSON, every
 * diagnostic of `diags` (may be NULL) in its order. Text is the two summary
 * lines, nothing under opts->quiet (the CLI prints the diagnostics
 * themselves to stderr). Formats: text, json. */
DC_EXTERN(int) dc_write_validation(FILE *fp, const dc_catalog_summary *sum, const dc_diags *diags,
				   const dc_output_options *opts);

/** show: service s of g's catalog in full (where it is defined, every
 * attribute, its dependencies and its dependents with each entry's
 * options and location) and its blast radius: `blast` is the impact of s
 * failing alone (dc_impact_run with s as the only seed). s out of range:
 * DC_EINVALID. Formats: text, json. */
DC_EXTERN(int) dc_write_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast,
			     const dc_output_options *opts);

/** path: the chains of dc_paths_find (over g) and the state of the chains'
 * FROM in `to_fails`, the impact of TO failing alone. Text says "does not
 * depend" when there is no chain. Formats: text, json. */
DC_EXTERN(int) dc_write_paths(FILE *fp, const dc_graph *g, const dc_paths *paths,
			      const dc_impact *to_fails, const dc_output_options *opts);

/* export: the whole catalog in the native schema or DOT is dc_export()
 * (export.h), which takes a dc_output_format too. */

/* ---- failures: simulate, analyze, critical path -------------------------- */

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#endif
