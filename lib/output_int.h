/*
 * output_int.h - what the output files share: the format families'
 * entry points (lib/output.c dispatches to them by format) and the text
 * helpers (colours, sections, locations).
 *
 * One file per format family: output_text.c, output_json.c, output_ci.c.
 * A family function has the public writer's parameters; the dispatcher has
 * already checked fp and the options' version.
 */
#ifndef DC_OUTPUT_INT_H
#define DC_OUTPUT_INT_H

#include <depcheck/depcheck.h>

/* The options a writer works with: NULL means the defaults (text); an
 * unknown version gives NULL (the writer returns DC_EINVALID). */
const dc_output_options *dc__output_opts(const dc_output_options *opts);

/* ---- text helpers (output_text.c) ---------------------------------------- */

/* An ANSI escape for "bold", "red", "yellow", "green", "dim", "reset", or
 * "" when opts->color is off. */
const char *dc__color(const dc_output_options *opts, const char *what);
/* "\nTitle (n)" in bold: the head of a text section */
void dc__text_section(FILE *fp, const dc_output_options *opts, const char *title, size_t n);
/* "  ... and N more" when a list was cut at `shown` of `total` */
void dc__text_more(FILE *fp, size_t shown, size_t total);
/* "  FILE:LINE:COLUMN" (dimmed) after a text line; nothing when unknown */
void dc__text_where(FILE *fp, const dc_output_options *opts, dc_location l);

/* ---- JSON helpers (output_json.c) ---------------------------------------- */

/* "file", "line", "column" keys (null when unknown) */
void dc__json_loc(dc_jsonw *w, dc_location l);

/* ---- catalog: validate, show, path, export ------------------------------- */

/* ---- failures: simulate, analyze, critical path -------------------------- */

int dc__text_simulation(FILE *fp, const dc_simulation *s, size_t limit, const dc_output_options *opts);
int dc__json_simulation(FILE *fp, const dc_simulation *s, const dc_output_options *opts);
int dc__text_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order,
			     size_t shown, const dc_output_options *opts);
int dc__json_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order,
			     size_t shown, const dc_output_options *opts);
int dc__text_analysis(FILE *fp, const dc_analysis *a, size_t top, const dc_output_options *opts);
int dc__json_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts);
int dc__text_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts);
int dc__json_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts);

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#endif
