/*
 * output.c - output format names and the writers' dispatch: each public
 * dc_write_* checks its arguments once and calls the function of the
 * format family (output_text.c, output_json.c, output_ci.c).
 */
#include "output_int.h"
#include "policy_int.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
	[DC_OUTPUT_TEXT] = "text",   [DC_OUTPUT_JSON] = "json",   [DC_OUTPUT_YAML] = "yaml",
	[DC_OUTPUT_DOT] = "dot",     [DC_OUTPUT_SVG] = "svg",     [DC_OUTPUT_PNG] = "png",
	[DC_OUTPUT_PDF] = "pdf",     [DC_OUTPUT_SARIF] = "sarif", [DC_OUTPUT_JUNIT] = "junit",
	[DC_OUTPUT_GITHUB] = "github", [DC_OUTPUT_HTML] = "html", [DC_OUTPUT_CSV] = "csv",
	[DC_OUTPUT_CHAOS_MESH] = "chaos-mesh", [DC_OUTPUT_LITMUS] = "litmus", [DC_OUTPUT_AWS_FIS] = "aws-fis",
	[DC_OUTPUT_ARGOCD] = "argocd", [DC_OUTPUT_FLUX] = "flux", [DC_OUTPUT_HELM] = "helm",
	[DC_OUTPUT_PIPELINE] = "pipeline", [DC_OUTPUT_BACKSTAGE] = "backstage", [DC_OUTPUT_JSONL] = "jsonl",
};

const char *dc_output_format_name(dc_output_format f)
{
	if ((unsigned)f >= sizeof(format_names) / sizeof(format_names[0]))
		return NULL;
	return format_names[f];
}

int dc_output_format_parse(dc_output_format *out, const char *name)
{
	size_t i;
	if (!out || !name)
		return DC_EINVALID;
	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (format_names[i] && !strcmp(format_names[i], name)) {
			*out = (dc_output_format)i;
			return 0;
		}
	return DC_ENOTFOUND;
}

int dc_output_options_init(dc_output_options *opts, unsigned int version)
{
	dc_output_options d = DC_OUTPUT_OPTIONS_INIT;
	if (!opts || !DC_OPTIONS_VERSION_OK(version, DC_OUTPUT_OPTIONS_VERSION))
		return DC_EINVALID;
	*opts = d;
	opts->version = version;
	return 0;
}

const dc_output_options *dc__output_opts(const dc_output_options *opts)
{
	static const dc_output_options def = DC_OUTPUT_OPTIONS_INIT;
	if (!opts)
		return &def;
	return DC_OPTIONS_VERSION_OK(opts->version, DC_OUTPUT_OPTIONS_VERSION) ? opts : NULL;
}

int dc__output_full_paths(const dc_output_options *o)
{
	return o && o->version >= 2 ? o->full_paths : 0;
}

const dc_assumptions *dc__output_assumptions(const dc_output_options *o)
{
	return o && o->version >= 3 ? o->assumptions : NULL;
}

size_t dc__output_list_limit(const dc_output_options *o)
{
	return o && o->version >= 2 ? o->list_limit : DC_OUTPUT_LIST_LIMIT_DEFAULT;
}

/* ---- catalog: validate, show, path, export ------------------------------- */

int dc_write_validation(FILE *fp, const dc_catalog_summary *sum, const dc_diags *diags,
			const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	if (!fp || !sum || !o)
		return DC_EINVALID;
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_validation(fp, sum, o);
	case DC_OUTPUT_JSON: return dc__json_validation(fp, sum, diags, o);
	default: return DC_EINVALID;
	}
}

int dc_write_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	if (!fp || !g || !blast || !o || s >= dc_graph_node_count(g))
		return DC_EINVALID;
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_show(fp, g, s, blast, o);
	case DC_OUTPUT_JSON: return dc__json_show(fp, g, s, blast, o);
	default: return DC_EINVALID;
	}
}

int dc_write_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	size_t n;
	if (!fp || !g || !paths || !to_fails || !o)
		return DC_EINVALID;
	n = dc_graph_node_count(g);
	if (dc_paths_from(paths) >= n || dc_paths_to(paths) >= n)
		return DC_EINVALID; /* chains of another graph */
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_paths(fp, g, paths, to_fails, o);
	case DC_OUTPUT_JSON: return dc__json_paths(fp, g, paths, to_fails, o);
	default: return DC_EINVALID;
	}
}

/* ---- failures: simulate, analyze, critical path -------------------------- */

int dc_write_simulation(FILE *fp, const dc_simulation *s, size_t limit, const dc_output_options *opts)
{
	if (!fp || !s || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_simulation(fp, s, limit, opts);
	case DC_OUTPUT_JSON: return dc__json_simulation(fp, s, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts)
{
	if (!fp || !l || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_overload(fp, l, top, opts);
	case DC_OUTPUT_JSON: return dc__json_overload(fp, l, top, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, size_t top,
			     const dc_output_options *opts)
{
	return dc_write_failure_ranking_by(fp, g, b, order, DC_RANK_BLAST, top, opts);
}

int dc_write_failure_ranking_by(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order,
				dc_rank_by by, size_t top, const dc_output_options *opts)
{
	size_t n;
	if (!fp || !g || !b || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	n = dc_blast_count(b);
	if (n != dc_graph_node_count(g) || (n && !order) || !dc_rank_by_name(by))
		return DC_EINVALID;
	/* how many rows: the caller's choice, here only clipped */
	if (top == 0 || top > n)
		top = n;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_failure_ranking(fp, g, b, order, by, top, opts);
	case DC_OUTPUT_JSON: return dc__json_failure_ranking(fp, g, b, order, by, top, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_analysis(FILE *fp, const dc_analysis *a, size_t top, const dc_output_options *opts)
{
	if (!fp || !a || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_analysis(fp, a, top ? top : (size_t)-1, opts);
	case DC_OUTPUT_JSON: return dc__json_analysis(fp, a, opts);
	case DC_OUTPUT_JSONL: return dc__jsonl_analysis(fp, a, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts)
{
	if (!fp || !p || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_critical_paths(fp, p, opts);
	case DC_OUTPUT_JSON: return dc__json_critical_paths(fp, p, opts);
	default: return DC_EINVALID;
	}
}

/* ---- availability and plan ------------------------------------------------ */

int dc_write_availability(FILE *fp, const dc_availability_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_AVAILABILITY_REPORT_VERSION) || !r->a ||
	    !r->g || (r->options && !DC_OPTIONS_VERSION_OK(r->options->version, DC_AVAILABILITY_OPTIONS_VERSION)) || (!r->rows && r->nrows) || r->nmiss > r->nrows)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_availability(fp, r, opts);
	case DC_OUTPUT_JSON: return dc__json_availability(fp, r, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_PLAN_REPORT_VERSION) || !r->plan || !r->g)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_plan(fp, r, opts);
	case DC_OUTPUT_JSON: return dc__json_plan(fp, r, opts);
	case DC_OUTPUT_ARGOCD:
	case DC_OUTPUT_FLUX:
	case DC_OUTPUT_HELM:
	case DC_OUTPUT_PIPELINE: return dc__deploy_plan(fp, r, opts);
	default: return DC_EINVALID;
	}
}

/* ---- policy: violations, check, reconcile, diff -------------------------- */

size_t dc__vrule_index(const dc__vrule *rules, size_t n, const char *id)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(rules[i].id, id))
			break;
	return i;
}

int dc__violations_shown(const dc_violations_report *r, const dc_output_options *opts, const dc__vrule *rules,
			 size_t nrules, uint8_t **shown, size_t *hidden)
{
	size_t n = dc_violations_count(r->v), lim = dc__output_list_limit(opts), i, last = nrules;
	size_t *seen = calloc(nrules + 1, sizeof(size_t));
	*shown = malloc(n ? n : 1);
	if (!seen || !*shown) {
		free(seen);
		free(*shown);
		*shown = NULL;
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const char *id = dc_violations_get(r->v, i)->rule;
		size_t k = last < nrules && !strcmp(rules[last].id, id) ? last : dc__vrule_index(rules, nrules, id);
		last = k;
		(*shown)[i] = !lim || k == nrules || seen[k] < lim;
		seen[k] += (*shown)[i];
	}
	/* what is not listed, whether the list kept it or only counted it
	 * (dc_violations_keep) */
	for (i = 0; i < nrules; i++)
		hidden[i] = dc_violations_count_rule(r->v, rules[i].id, 1) - seen[i];
	free(seen);
	return 0;
}

/* The built-in rule `id` runs only on observed calls (undeclared-dependency). */
static int rule_needs_observed(const char *id)
{
	const dc__rule *def = dc__rule_find(id);
	return def && (def->flags & RULE_NEEDS_OBSERVED);
}

/* The built-in rule `id` finds nothing unless some service declares
 * traffic_rps (max-load-amplification). */
static int rule_needs_traffic(const char *id)
{
	const dc__rule *def = dc__rule_find(id);
	return def && (def->flags & RULE_NEEDS_TRAFFIC);
}

/* Whether a service of cat declares entry traffic; 1 when cat is NULL
 * (nothing known: the rule is not said to be skipped). */
static int some_traffic(const dc_catalog *cat)
{
	size_t i, n;
	if (!cat)
		return 1;
	n = dc_catalog_service_count(cat);
	for (i = 0; i < n; i++)
		if (dc_service_traffic_rps(cat, (dc_id)i) >= 0)
			return 1;
	return 0;
}

int dc__violation_rules(const dc_violations_report *r, dc__vrule **out, size_t *nout)
{
	size_t nr = r->policy ? dc_policy_rule_count(r->policy) : 0, n = dc_violations_count(r->v), i, k;
	int traffic = -1;   /* some_traffic(r->cat), once needed */
	dc__vrule *rules = malloc((nr + n + 1) * sizeof(*rules));
	*out = NULL;
	*nout = 0;
	if (!rules)
		return DC_ENOMEM;
	for (i = 0; i < nr; i++) {
		rules[i].id = dc_policy_rule_id(r->policy, i);
		rules[i].level = dc_policy_rule_level(r->policy, i);
		rules[i].description = dc_policy_rule_description(r->policy, i);
		rules[i].skipped = NULL;
		if (rules[i].level == DC_LEVEL_OFF)
			rules[i].skipped = "rule is off";
		else if (!r->observed && rule_needs_observed(dc_policy_rule_builtin(r->policy, i)))
			rules[i].skipped = "no observed calls (--observed FILE)";
		else if (rule_needs_traffic(dc_policy_rule_builtin(r->policy, i)) &&
			 (traffic < 0 ? (traffic = some_traffic(r->cat)) : traffic) == 0)
			rules[i].skipped = "no service declares traffic_rps";
	}
	k = nr;
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		size_t j = dc__vrule_index(rules, k, x->rule);
		if (j == k) {
			/* a built-in rule reported without a policy (reconcile) is
			 * described by the table; a list rule's entries ("forbidden/x")
			 * and other findings by their id */
			const dc__rule *def = dc__rule_find(x->rule);
			rules[k].id = x->rule;
			rules[k].level = x->level;
			rules[k].description = def && !(def->flags & RULE_LIST) ? def->summary
					       : dc__waiver_rule_summary(x->rule) ? dc__waiver_rule_summary(x->rule)
										 : x->rule;
			rules[k].skipped = NULL;
			k++;
		} else if (j >= nr && x->level > rules[j].level) {
			rules[j].level = x->level;
		}
	}
	*out = rules;
	*nout = k;
	return 0;
}

int dc_write_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_VIOLATIONS_REPORT_VERSION) || !r->v ||
	    !r->command || !r->policy_name || (r->nbaseline && !r->baseline))
		return DC_EINVALID;
	/* every format but text and JSON lists every finding: not from a list
	 * that kept only the first of each rule (dc_violations_keep) */
	if (dc_violations_count(r->v) != dc_violations_total(r->v) && opts->format != DC_OUTPUT_TEXT &&
	    opts->format != DC_OUTPUT_JSON)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_violations(fp, r, opts);
	case DC_OUTPUT_JSON: return dc__json_violations(fp, r, opts);
	case DC_OUTPUT_JSONL: return dc__jsonl_violations(fp, r, opts);
	case DC_OUTPUT_SARIF:
	case DC_OUTPUT_JUNIT:
	case DC_OUTPUT_GITHUB: return dc__ci_violations(fp, r, opts);
	default: return DC_EINVALID;
	}
}

/* reconcile -f sarif / github: the undeclared dependencies as findings of
 * rule undeclared-dependency at error level, in check's formats. Turning
 * the rows into findings is dc_violations_add_undeclared's (check.c). */
static int reconcile_findings(FILE *fp, const dc_reconcile_report *r, const dc_output_options *opts)
{
	dc_violations_report vr = DC_VIOLATIONS_REPORT_INIT;
	dc_violations *v = NULL;
	int rc = dc_violations_new(&v);
	if (!rc)
		rc = dc_violations_add_undeclared(v, r->g, r->observed.observed, r->r, DC_LEVEL_ERROR);
	if (!rc) {
		dc_violations_sort(v);
		vr.command = "reconcile";
		vr.policy_name = "none";
		vr.v = v;
		vr.fail_on = DC_LEVEL_ERROR;
		vr.failed = dc_violations_gate(v, vr.fail_on);
		vr.cat = dc_graph_catalog(r->g);
		rc = dc__ci_violations(fp, &vr, opts);
	}
	dc_violations_free(v);
	return rc;
}

int dc_write_reconcile(FILE *fp, const dc_reconcile_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_RECONCILE_REPORT_VERSION) || !r->r ||
	    !r->g || !r->observed.observed || (r->observed.nfiles && !r->observed.files))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_reconcile(fp, r, opts);
	case DC_OUTPUT_JSON: return dc__json_reconcile(fp, r, opts);
	case DC_OUTPUT_SARIF:
	case DC_OUTPUT_GITHUB: return reconcile_findings(fp, r, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_DIFF_REPORT_VERSION) || !r->d ||
	    (r->nbase && !r->base_paths) || (r->nhead && !r->head_paths) || !r->policy_name)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_diff(fp, r, opts);
	case DC_OUTPUT_JSON: return dc__json_diff(fp, r, opts);
	default: return DC_EINVALID;
	}
}

/* ---- numbers of the load model ------------------------------------------------ */

double dc__round3(double x)
{
	char buf[64];
	if (!isfinite(x))
		return x;
	snprintf(buf, sizeof(buf), "%.3g", x);
	return strtod(buf, NULL);
}

void dc__fmt3(char *buf, size_t size, double x)
{
	double r = dc__round3(x);
	if (r == 0)
		r = 0; /* no "-0" */
	if (isfinite(r) && r == floor(r) && fabs(r) < 1e15)
		snprintf(buf, size, "%.0f", r);
	else
		snprintf(buf, size, "%.3g", r);
}
