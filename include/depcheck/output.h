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
#include "format.h"
#include "summary.h"

/** How a writer writes. Fields a writer does not use are ignored. */
typedef struct {
	unsigned int version; /**< DC_OUTPUT_OPTIONS_VERSION */
	dc_output_format format;
	int color;           /**< ANSI colours in text output */
	int quiet;           /**< text: results only, no summaries or notes */
	/* version 2: complete dumps on request (issue 21: no default output
	 * grows with N^2). A version-1 struct reads as the defaults. */
	int full_paths;      /**< simulate JSON: each event's whole cause chain, not only its predecessor */
	size_t list_limit;   /**< JSON lists that can grow with N^2 (analyze): at most this many rows,
				  with the total and "truncated"; 0 = all. Default 100. */
	/* version 3: */
	const dc_assumptions *assumptions; /**< what the answer rests on (dc_catalog_assumptions):
				  the analysis writers (simulation, failure ranking, analysis,
				  critical paths, availability, plan, violations) state it, text
				  as "assumed: ..." lines unless quiet, JSON as "assumptions";
				  NULL: nothing said */
} dc_output_options;

#define DC_OUTPUT_OPTIONS_VERSION 3
#define DC_OUTPUT_LIST_LIMIT_DEFAULT 100
#define DC_OUTPUT_OPTIONS_INIT { DC_OUTPUT_OPTIONS_VERSION, DC_OUTPUT_TEXT, 0, 0, 0, DC_OUTPUT_LIST_LIMIT_DEFAULT, NULL }
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

#include "analyze.h"
#include "critical.h"
#include "simulate.h"
#include "overload.h"

/** `simulate --load`: the steady state under the triggers (docs/load.md):
 * text as an incident report (the triggers, the entry requests lost, the
 * overloaded services most utilised first with offered load, capacity,
 * amplification and cause, the retries that add most load, then what
 * happens once the trigger is gone: metastability, what sustains it and
 * the verified fix); the model's assumptions. JSON: the same under
 * "overloaded", "lost_rps", "retries", "metastable" ... At most `top` rows
 * in the overloaded, retry and sustaining lists (0: all), with their
 * totals. Formats: text, json. */
DC_EXTERN(int) dc_write_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts);

/** `simulate --fail`: one scenario as an incident timeline. Text: what
 * failed, the entrypoints that went down, the timeline, the counts; at most
 * `limit` rows per list (0: all). JSON: every event with its cause, and its
 * whole chain back to the seed only under opts->full_paths (v2). Formats:
 * text, json. */
DC_EXTERN(int) dc_write_simulation(FILE *fp, const dc_simulation *s, size_t limit,
				   const dc_output_options *opts);

/** `simulate --each`: every single failure ranked by its blast radius.
 * `order` holds the services of g in dc_blast_order() order; the first
 * `top` are written (0: all). Formats: text, json. */
DC_EXTERN(int) dc_write_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b,
					const dc_id *order, size_t top, const dc_output_options *opts);
/** The same, saying which key `order` ranks by (dc_blast_order_by): with
 * DC_RANK_TRAFFIC the entrypoint requests/s lost lead each row. Where some
 * entrypoint's traffic is known, every row carries the requests/s its
 * failure loses. DC_EINVALID for `by` out of its enum. */
DC_EXTERN(int) dc_write_failure_ranking_by(FILE *fp, const dc_graph *g, const dc_blast *b,
					   const dc_id *order, dc_rank_by by, size_t top,
					   const dc_output_options *opts);

/** `analyze`: every section of the analysis. Text shows at most `top`
 * rows per section (and per list inside a row) with "... and N more" (0:
 * all); JSON has everything except the retry-amplification rows (each with
 * a path), cut to opts->list_limit (v2; default 100) with the total and a
 * truncated flag. Formats: text, json. */
DC_EXTERN(int) dc_write_analysis(FILE *fp, const dc_analysis *a, size_t top,
				 const dc_output_options *opts);

/** `critical-path`: each chain of p as a tree (text) or a list of hops
 * (JSON), with the calls ignored inside cycles; the first opts->list_limit
 * chains (v2; default 100, 0 = all) and how many were left out. Chains are extracted while
 * writing (p's scratch is used, hence not const-safe across threads).
 * Formats: text, json. */
DC_EXTERN(int) dc_write_critical_paths(FILE *fp, const dc_critical_paths *p,
				       const dc_output_options *opts);

/* ---- availability and plan ------------------------------------------------ */

#include "availability.h"
#include "plan.h"
#include "blast.h"

/** `depcheck availability`: what dc_availability_compute() and
 * dc_availability_rank() returned, and the options it ran with (for the
 * header line and the JSON keys). */
typedef struct {
	unsigned int version;                 /**< DC_AVAILABILITY_REPORT_VERSION */
	const dc_availability *a;
	const dc_graph *g;                    /**< the graph a was computed on */
	const dc_availability_options *options; /**< seed, zone_failure, max_order; NULL: defaults */
	const dc_id *rows;                    /**< dc_availability_rank order: SLO misses first */
	size_t nrows;
	size_t nmiss;                         /**< the first nmiss rows miss their SLO */
	size_t top;                           /**< rows per list (other services, importance,
	                                           cut sets); 0 = 10 */
} dc_availability_report;

#define DC_AVAILABILITY_REPORT_VERSION 1
#define DC_AVAILABILITY_REPORT_INIT { DC_AVAILABILITY_REPORT_VERSION, NULL, NULL, NULL, NULL, 0, 0, 10 }

/** Text or JSON. r->options, when given, must be of a version from 1 to
 * DC_AVAILABILITY_OPTIONS_VERSION (else DC_EINVALID). */
DC_EXTERN(int) dc_write_availability(FILE *fp, const dc_availability_report *r,
				     const dc_output_options *opts);

/** `depcheck plan`: a computed plan and how it was asked for. */
typedef struct {
	unsigned int version;        /**< DC_PLAN_REPORT_VERSION */
	const dc_plan *plan;
	const dc_graph *g;           /**< the graph the plan was computed on */
	const dc_blast *blast;       /**< text: each service's blast radius; NULL: 0 */
	dc_plan_order order;         /**< as in dc_plan_options */
	int cold_start;              /**< as in dc_plan_options */
	size_t max_parallel;         /**< as in dc_plan_options (text header) */
	int rollback;                /**< text: the rollback order too (JSON always has it) */
} dc_plan_report;

#define DC_PLAN_REPORT_VERSION 1
#define DC_PLAN_REPORT_INIT { DC_PLAN_REPORT_VERSION, NULL, NULL, NULL, DC_PLAN_PROVIDERS_FIRST, 0, 0, 0 }

/** Text, JSON, or in a deploy tool's terms (docs/deploy.md): DC_OUTPUT_ARGOCD
 * (sync-wave patches), DC_OUTPUT_FLUX (dependsOn patches), DC_OUTPUT_HELM
 * (hook-weight patches), YAML streams of one document per planned service,
 * and DC_OUTPUT_PIPELINE (JSON stages with `needs`). The map, DOT or SVG, is
 * dc_plan_render()'s. Returns 0, DC_EINVALID (another format) or DC_ENOMEM. */
DC_EXTERN(int) dc_write_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts);

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#include "check.h"
#include "reconcile.h"
#include "diff.h"

/** Observed calls a result was computed from (`--observed FILE`...), as
 * the JSON reports describe them: {"files": [...], "edges": N,
 * "min_calls": N}. */
typedef struct {
	const char *const *files;
	size_t nfiles;
	const dc_observed *observed;
	uint64_t min_calls;
} dc_observed_source;

/** A list of findings (`depcheck check`, and `reconcile`'s as findings):
 * the violations, the policy whose rules are listed, and the gate's
 * decision, made by dc_violations_gate() (writers print it, never make
 * it). */
typedef struct {
	unsigned int version;        /**< DC_VIOLATIONS_REPORT_VERSION */
	const char *command;         /**< "check": JSON "command", the summary, JUnit suite names */
	const dc_violations *v;
	const dc_policy *policy;     /**< its rules are listed (SARIF rules, JUnit testcases); may be NULL */
	const char *policy_name;     /**< a path or "built-in" (summary, JSON) */
	dc_level fail_on;            /**< the gate's level (DC_LEVEL_OFF: never); JUnit <failure>s */
	int failed;                  /**< the gate's decision: dc_violations_gate(v, fail_on) */
	const char *const *baseline; /**< base paths; nbaseline 0: no baseline */
	size_t nbaseline;
	size_t ignored;              /**< known violations the baseline removed */
	const dc_observed_source *observed; /**< NULL: rules that need observed calls did not run */
	const dc_catalog *cat;       /**< SARIF: findings without a location point at its first
	                                  file (code scanning wants one); may be NULL */
} dc_violations_report;

#define DC_VIOLATIONS_REPORT_VERSION 1
#define DC_VIOLATIONS_REPORT_INIT { DC_VIOLATIONS_REPORT_VERSION, "check", NULL, NULL, "built-in", \
				    DC_LEVEL_ERROR, 0, NULL, 0, 0, NULL, NULL }

/** Text (grouped by severity), JSON, SARIF 2.1.0, JUnit XML (one testcase
 * per rule) or GitHub workflow commands. Every string from the catalog is
 * escaped for its format: nothing becomes markup or a workflow command. */
DC_EXTERN(int) dc_write_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts);

/** `depcheck reconcile`: declared dependencies against observed calls. */
typedef struct {
	unsigned int version;        /**< DC_RECONCILE_REPORT_VERSION */
	const dc_reconcile *r;
	const dc_graph *g;           /**< the graph r was computed on */
	dc_observed_source observed; /**< what r was computed from */
	size_t limit;                /**< text: lines per section; 0 = all */
} dc_reconcile_report;

#define DC_RECONCILE_REPORT_VERSION 1
#define DC_RECONCILE_REPORT_INIT { DC_RECONCILE_REPORT_VERSION, NULL, NULL, { NULL, 0, NULL, 1 }, 100 }

/** Text, JSON, or SARIF / GitHub: then the undeclared dependencies only, as
 * findings of rule undeclared-dependency at error level (stale
 * declarations and unknown services are not findings). */
DC_EXTERN(int) dc_write_reconcile(FILE *fp, const dc_reconcile_report *r, const dc_output_options *opts);

/** `depcheck diff`: the structural diff, the policy's new and fixed
 * violations and the gate's decision. */
typedef struct {
	unsigned int version;        /**< DC_DIFF_REPORT_VERSION */
	const dc_diff *d;
	const char *const *base_paths, *const *head_paths; /**< the inputs of each side */
	size_t nbase, nhead;
	const char *policy_name;     /**< JSON "policy" */
	const dc_violations *added;  /**< dc_diff_check(): violations head adds; may be NULL */
	const dc_violations *fixed;  /**< ... and fixes; may be NULL */
	int risk;                    /**< the gate's decision: dc_diff_gate(d, added) */
	size_t limit;                /**< text: lines per section; 0 = all */
	size_t blast_limit;          /**< text: lines of the blast-radius sections; 0 = all */
} dc_diff_report;

#define DC_DIFF_REPORT_VERSION 1
#define DC_DIFF_REPORT_INIT { DC_DIFF_REPORT_VERSION, NULL, NULL, NULL, 0, 0, "built-in", NULL, NULL, 0, 100, 10 }

/** Text or JSON (the map, DOT or SVG, is dc_diff_render()'s). */
DC_EXTERN(int) dc_write_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts);

/* ---- chaos: experiments and their verification --------------------------- */

#include "chaos.h"

/** `depcheck experiments`: the first `top` candidates of a plan and how to
 * write them for a chaos tool. The plan is not const: predictions are
 * computed while writing (dc_experiment_predict). */
typedef struct {
	unsigned int version;             /**< DC_EXPERIMENTS_REPORT_VERSION */
	dc_experiments *x;
	size_t top;                       /**< candidates written; 0 = 10 */
	uint64_t duration_s;              /**< how long each fault lasts (> 0) */
	const char *namespace_name;       /**< Kubernetes namespace of the services (a
	                                       Kubernetes input's "ns/name" gives its own) */
	const char *litmus_service_account; /**< ChaosEngine chaosServiceAccount */
	const char *aws_role_arn;         /**< FIS roleArn */
	const char *aws_cluster;          /**< FIS: EKS cluster (clusterIdentifier, and the
	                                       eks:cluster-name tag of a zone's instances) */
	const char *aws_service_account;  /**< FIS: kubernetesServiceAccount of pod actions */
	const char *aws_stop_alarm;       /**< FIS: a CloudWatch alarm ARN that stops the
	                                       experiment; NULL: stop condition "none" */
} dc_experiments_report;

#define DC_EXPERIMENTS_REPORT_VERSION 1
#define DC_EXPERIMENTS_REPORT_INIT { DC_EXPERIMENTS_REPORT_VERSION, NULL, 10, 300, "default", \
				     "litmus-admin", "arn:aws:iam::123456789012:role/depcheck-fis", \
				     "my-cluster", "fis-experiment", NULL }

/** Text, JSON, Chaos Mesh (YAML, PodChaos / NetworkChaos), LitmusChaos
 * (YAML, ChaosEngine) or AWS FIS (a JSON array of experiment templates):
 * docs/chaos.md. */
DC_EXTERN(int) dc_write_experiments(FILE *fp, dc_experiments_report *r, const dc_output_options *opts);

/** `depcheck verify`: text, JSON, or YAML: the overlay that makes the model
 * match (an empty `overlay: []` when no finding has a fix). */
DC_EXTERN(int) dc_write_verification(FILE *fp, const dc_verification *v, const dc_output_options *opts);

#endif
