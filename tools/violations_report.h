/*
 * violations_report.h - printing a list of policy violations (or any
 * findings in a dc_violations list) in the formats a CI system reads:
 * text, json, sarif, junit, github. Used by `depcheck check`, and meant for
 * every command that reports findings (diff's new violations, reconcile's
 * undeclared dependencies) so they read alike.
 */
#ifndef DC_VIOLATIONS_REPORT_H
#define DC_VIOLATIONS_REPORT_H

#include "observed_opts.h"

/* A rule as reported: the policy's rules, then any rule id a violation
 * carries that the policy does not have (findings added through
 * dc_violations_add by other analyses), so every format lists every
 * finding's rule. Filled by vreport_write. */
typedef struct {
	const char *id;
	dc_level level;
	const char *description;
	const char *skipped;        /* why the rule did not run (off; no observations), or NULL */
} vreport_rule;

typedef struct {
	cli *c;                     /* output (c->out, c->format, colours, -q) */
	const char *command;        /* "check": the JSON "command" and the summary */
	const dc_policy *policy;    /* its rules are listed (SARIF rules, JUnit testcases); may be NULL */
	const char *policy_name;    /* for the summary and JSON: a path or "built-in" */
	const dc_violations *v;
	dc_level fail_on;           /* the gate: DC_LEVEL_OFF never fails */
	char *const *baseline;      /* base paths (JSON), nbaseline of them; 0 = no baseline */
	int nbaseline;
	size_t ignored;             /* known violations the baseline removed */
	const observed_opts *observed; /* check --observed: JSON "observed"; NULL: the rules that
					  need observed calls did not run */
	const dc_observed *obs;     /* what they read (with observed) */
	/* filled by vreport_write */
	int failed;                 /* a violation at fail_on level remains */
	vreport_rule *rules;
	size_t nrules;
} vreport;

/* Write the report in c->format (text, json, sarif, junit or github) to
 * c->out and set r->failed. Returns 0, or -1 when out of memory. Free with
 * vreport_free. */
int vreport_write(vreport *r);
void vreport_free(vreport *r);

/* One violation as a text line (FILE:LINE:COLUMN: severity: message [rule])
 * and as a JSON object (the "violations" rows), for commands that list
 * violations among other results (diff). */
void vreport_text_line(cli *c, const dc_violation *x);
void vreport_json_violation(dc_jsonw *w, const dc_violation *x);

#endif
