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

/* ---- failures: simulate, analyze, critical path -------------------------- */

#include "analyze.h"
#include "critical.h"
#include "simulate.h"

/** `simulate --fail`: one scenario as an incident timeline. Text: what
 * failed, the entrypoints that went down, the timeline, the counts; at most
 * `limit` rows per list (0: all). JSON: everything. Formats: text, json. */
DC_EXTERN(int) dc_write_simulation(FILE *fp, const dc_simulation *s, size_t limit,
				   const dc_output_options *opts);

/** `simulate --each`: every single failure ranked by its blast radius.
 * `order` holds the services of g in dc_blast_order() order; the first
 * `top` are written (0: all). Formats: text, json. */
DC_EXTERN(int) dc_write_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b,
					const dc_id *order, size_t top, const dc_output_options *opts);

/** `analyze`: every section of the analysis. Text shows at most `top`
 * rows per section (and per list inside a row) with "... and N more" (0:
 * all); JSON has everything. Formats: text, json. */
DC_EXTERN(int) dc_write_analysis(FILE *fp, const dc_analysis *a, size_t top,
				 const dc_output_options *opts);

/** `critical-path`: each chain of p as a tree (text) or a list of hops
 * (JSON), with the calls ignored inside cycles. Chains are extracted while
 * writing (p's scratch is used, hence not const-safe across threads).
 * Formats: text, json. */
DC_EXTERN(int) dc_write_critical_paths(FILE *fp, const dc_critical_paths *p,
				       const dc_output_options *opts);

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#endif
