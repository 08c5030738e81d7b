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

#include "jsonw.h"

/* The options a writer works with: NULL means the defaults (text); an
 * unknown version gives NULL (the writer returns DC_EINVALID). */
const dc_output_options *dc__output_opts(const dc_output_options *opts);
/* the version-2 fields of dc_output_options, defaults for a version-1 struct */
int dc__output_full_paths(const dc_output_options *o);
size_t dc__output_list_limit(const dc_output_options *o);
/* the version-3 field: what the answer assumes, NULL for older structs */
const dc_assumptions *dc__output_assumptions(const dc_output_options *o);

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
/* "assumed: ...; ..." (one or two lines, wrapped at a statement) when the
 * options carry assumptions that state something; nothing when quiet */
void dc__text_assumptions(FILE *fp, const dc_output_options *opts);

/* ---- JSON helpers (output_json.c) ---------------------------------------- */

/* The version of the JSON outputs' shape (every command's object, described
 * by schemas/<command>.schema.json): raised when a key is removed, renamed or
 * changes type; added keys leave it as it is (docs/commands.md). */
#define DC__JSON_SCHEMA_VERSION 1
/* opens a command's top-level object: "command", "depcheck_version" (the
 * library's dc_version()) and "schema_version" */
void dc__json_head(dc_jsonw *w, const char *command);
/* "file", "line", "column" keys (null when unknown) */
void dc__json_loc(dc_jsonw *w, dc_location l);
/* "assumptions": {counts, "statements": [...]} when the options carry them */
void dc__json_assumptions(dc_jsonw *w, const dc_output_options *opts);

/* ---- catalog: validate, show, path, export ------------------------------- */

/* The format families of dc_write_validation, dc_write_show and
 * dc_write_paths: arguments checked by output.c (fp, the result, opts'
 * version, s in range). */
int dc__text_validation(FILE *fp, const dc_catalog_summary *sum, const dc_output_options *opts);
int dc__json_validation(FILE *fp, const dc_catalog_summary *sum, const dc_diags *diags,
			const dc_output_options *opts);
int dc__text_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts);
int dc__json_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts);
int dc__text_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts);
int dc__json_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts);

/*
 * A service as JSON: the one place that does it (output_json.c). show and
 * export use it; the diff and the HTML report's data block are to use it
 * too, so that every output names and writes an attribute the same way.
 *
 * Keys, always in this order (a flag adds the bracketed ones):
 *   name, [ref, format], external, owner, system, description, url, tier,
 *   entrypoint, replicas, zones, availability, slo, latency_ms, tags,
 *   [file, line, column]
 *
 * Without DC__SVC_NATIVE every key is written: absent strings, tier 0 and
 * an unset slo as null, empty lists as [], external as a bool (a reader
 * sees the same keys for every service: show). With DC__SVC_NATIVE the
 * output is the native input schema (docs/inputs.md) that export writes and
 * the loader reads back: a key whose attribute is unset is left out
 * (external only when true; owner, system, description, url when set;
 * tier when not 0; zones, tags when not empty; slo when set), entrypoint,
 * replicas, availability and latency_ms are always explicit (so the
 * output does not depend on the reader's defaults), lists sit on one line.
 * Values never differ between the two: only presence and layout.
 *
 * Dependencies are not part of it: export writes them in the native form
 * (any_of groups nested), show as a flat list with locations.
 *
 * dc__json_service_keys writes the keys into an object the caller has
 * opened (to add its own keys after them: export's depends_on);
 * dc__json_service writes the whole object. s must be a valid id.
 */
enum {
	DC__SVC_NATIVE = 1u << 0,   /* the native schema (see above) */
	DC__SVC_IDENTITY = 1u << 1, /* "ref" and "format" (the input format's name) after "name" */
	DC__SVC_LOCATION = 1u << 2, /* "file", "line", "column" of the definition, last */
	DC__SVC_COMPACT = 1u << 3   /* the report's data block: one- or two-letter keys,
				     * unset attributes and a false entrypoint left out */
};
void dc__json_service_keys(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags);
void dc__json_service(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags);
/* The sources of service s under `key` ("sources" in show, "x-sources" in
 * export --provenance), only when several sources define it: an array of
 * {file, line, column, format, overlay, attributes}. The dependency form
 * lists where each declaration of edge d is, only when there are several. */
void dc__json_service_sources(dc_jsonw *w, const dc_catalog *cat, dc_id s, const char *key);
void dc__json_dep_sources_key(dc_jsonw *w, const dc_catalog *cat, size_t d, const char *key);
void dc__json_dep_settings(dc_jsonw *w, const dc_catalog *cat, size_t d, int at);
/* What was observed on dependency d (--observed): `observed` (true when no
 * input declares it), observed_calls, calls_per_s, error_ratio, p50_ms,
 * p99_ms (each when known); nothing when it was not observed. */
void dc__json_dep_observed(dc_jsonw *w, const dc_catalog *cat, size_t d);
/* Runtime dependencies whose `calls` per request was derived from observed
 * rates (dc_dep_calls_observed), not written. */
size_t dc__calls_observed(const dc_catalog *cat);
/* One attribute's value (field: a DC_DIFF_* service bit), as every JSON
 * output writes it; diff writes its changed values with it. */
void dc__json_service_value(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned field, int inline_lists);

/* ---- failures: simulate, analyze, critical path -------------------------- */

int dc__text_simulation(FILE *fp, const dc_simulation *s, size_t limit, const dc_output_options *opts);
int dc__json_simulation(FILE *fp, const dc_simulation *s, const dc_output_options *opts);
int dc__text_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts);
int dc__json_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts);
/* x rounded to 3 significant digits (outputs of the load model: stable
 * across machines); "%.3g" but whole numbers in full ("1120", not "1.12e+03") */
double dc__round3(double x);
void dc__fmt3(char *buf, size_t size, double x);
int dc__text_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order,
			     dc_rank_by by, size_t shown, const dc_output_options *opts);
int dc__json_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order,
			     dc_rank_by by, size_t shown, const dc_output_options *opts);
/* requests per second as text: up to 2 decimals, trailing zeros dropped */
const char *dc__rps_str(char *buf, size_t size, double v);
/* a single failure's traffic lost as text: "130", ">= 130" when entrypoints
 * of unknown traffic go down too, "unknown" when only those do */
const char *dc__lost_str(char *buf, size_t size, double rps, size_t unknown);
/* JSON: "lost_rps" (null when only entrypoints of unknown traffic go down)
 * and "entrypoints_down_without_traffic" of one single failure */
void dc__json_lost(dc_jsonw *w, const dc_blast *b, dc_id s);
int dc__text_analysis(FILE *fp, const dc_analysis *a, size_t top, const dc_output_options *opts);
int dc__json_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts);
int dc__jsonl_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts);
int dc__text_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts);
int dc__json_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts);

/* ---- availability and plan ------------------------------------------------ */

int dc__text_availability(FILE *fp, const dc_availability_report *r, const dc_output_options *opts);
int dc__json_availability(FILE *fp, const dc_availability_report *r, const dc_output_options *opts);
int dc__text_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts);
int dc__json_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts);
/* output_deploy.c: argocd, flux, helm (YAML patches) and pipeline (JSON) */
int dc__deploy_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts);

/* ---- policy: violations, check, reconcile, diff -------------------------- */

/* A rule as reported: the policy's rules, then any rule id a violation
 * carries that the policy does not have (findings added through
 * dc_violations_add by other analyses), so that every format lists every
 * finding's rule. Built by dc__violation_rules (output.c) for JSON, SARIF
 * and JUnit. */
typedef struct {
	const char *id;
	dc_level level;
	const char *description;
	const char *skipped;   /* why the rule did not run (off; no observations), or NULL */
} dc__vrule;

/* The rules of r into a malloc'd *rules (free it). Returns 0 or DC_ENOMEM. */
int dc__violation_rules(const dc_violations_report *r, dc__vrule **rules, size_t *n);
/* Index of rule `id` in rules, or n. */
size_t dc__vrule_index(const dc__vrule *rules, size_t n, const char *id);

int dc__text_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts);
int dc__json_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts);
int dc__jsonl_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts);
/* check's findings cut per rule (list_limit, 0 = all): for finding i of
 * dc_violations_get order, whether it is shown; hidden[k] counts what rule k
 * of dc__violation_rules() leaves out. NULL *shown: out of memory. */
int dc__violations_shown(const dc_violations_report *r, const dc_output_options *opts, const dc__vrule *rules,
			 size_t nrules, uint8_t **shown, size_t *hidden);
/* SARIF, JUnit or GitHub, by opts->format (output_ci.c) */
int dc__ci_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts);
/* One violation as a text line (FILE:LINE:COLUMN: severity: message [rule]) */
void dc__text_violation(FILE *fp, const dc_output_options *opts, const dc_violation *x);
/* One violation as a JSON object (the "violations" rows) */
void dc__json_violation(dc_jsonw *w, const dc_violation *x);
/* {"files": [...], "edges": N, "min_calls": N} as the value of the current key */
void dc__json_observed(dc_jsonw *w, const dc_observed_source *o);

int dc__text_reconcile(FILE *fp, const dc_reconcile_report *r, const dc_output_options *opts);
int dc__json_reconcile(FILE *fp, const dc_reconcile_report *r, const dc_output_options *opts);
int dc__text_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts);
int dc__json_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts);

#endif
