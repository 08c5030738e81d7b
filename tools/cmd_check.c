/*
 * cmd_check.c - `depcheck check PATH... [--policy F] [--baseline PATH]...`:
 * the CI gate. Checks the catalog against a policy (built-in unless
 * --policy), optionally ignores what a base catalog already violates, and
 * reports in the format the CI system reads: text, json, sarif (GitHub
 * code scanning), junit (GitLab, Jenkins), github (workflow annotations).
 *
 * The rules, the baseline matching and the gate are in the library
 * (depcheck/check.h), the formats too (dc_write_violations); this file
 * parses, calls and picks. Exit 1 when a violation at or above --fail-on
 * remains (default: errors), 0 otherwise, 2 for unusable input or policy.
 */
#include "observed_opts.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_POLICY = 1000, OPT_BASELINE, OPT_PRINT_DEFAULT, OPT_FAIL_ON };

static const cli_option opts[] = {
	{ "policy", 0, 1, OPT_POLICY, "FILE  policy to enforce (default: the built-in policy)" },
	{ "baseline", 0, 1, OPT_BASELINE, "PATH  base catalog: report only violations it does not "
	  "have (repeat for several paths)" },
	{ "fail-on", 0, 1, OPT_FAIL_ON, "LEVEL  error (default), warning or never" },
	{ "print-default-policy", 0, 0, OPT_PRINT_DEFAULT, " print the built-in policy and exit" },
	OBSERVED_OPTION_ROWS,
	{ NULL, 0, 0, 0, NULL }
};

typedef struct {
	const char *policy_path;
	char **baseline;
	int nbaseline;
	int print_default;
	dc_level fail_on;       /* DC_LEVEL_OFF: never fail */
	observed_opts obs;      /* --observed: the undeclared-dependency rule runs */
	dc_observed *observed;  /* read from obs.files */
} check_opts;

static check_opts o;

static int on_opt(cli *c, int id, const char *arg)
{
	switch (id) {
	case OPT_POLICY:
		o.policy_path = arg;
		return -1;
	case OPT_BASELINE: {
		char **nb = realloc(o.baseline, (size_t)(o.nbaseline + 1) * sizeof(*nb));
		if (!nb)
			return DC_EXIT_USAGE;
		o.baseline = nb;
		o.baseline[o.nbaseline++] = (char *)arg;
		return -1;
	}
	case OPT_PRINT_DEFAULT:
		o.print_default = 1;
		return -1;
	case OPT_FAIL_ON:
		if (!strcmp(arg, "error"))
			o.fail_on = DC_LEVEL_ERROR;
		else if (!strcmp(arg, "warning"))
			o.fail_on = DC_LEVEL_WARNING;
		else if (!strcmp(arg, "never"))
			o.fail_on = DC_LEVEL_OFF;
		else
			return cli_usage_error(c, "--fail-on takes error, warning or never, not '%s'", arg);
		return -1;
	case OBS_OPT_OBSERVED:
	case OBS_OPT_FORMAT:
	case OBS_OPT_MIN_CALLS:
		return observed_opts_on(c, &o.obs, id, arg);
	}
	return cli_usage_error(c, "unexpected option");
}

/* ---- running ---------------------------------------------------------------------- */

/* Check a catalog already loaded (c->graph) into *out. */
static int run_check(const dc_graph *g, const dc_policy *p, dc_violations **out)
{
	int rc = dc_violations_new(out);
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	co.observed = o.observed;
	co.min_calls = o.obs.min_calls;
	/* dc_check runs dc_analyze itself when a rule needs it; the base is
	 * reconciled against the same observations as the head */
	return rc ? rc : dc_check(*out, g, NULL, p, &co);
}

/* The base catalog: loaded quietly (its old warnings are not this change's
 * business); if it cannot be analyzed, that is said and the run stops. */
static int load_base(cli *c, const dc_policy *p, dc_violations **out)
{
	dc_catalog *cat = NULL;
	dc_graph *g = NULL;
	dc_diags *d = NULL;
	int rc = 0, r, i;
	if (dc_diags_new(&d) || dc_catalog_new(&cat)) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < o.nbaseline; i++) {
		r = dc_catalog_add_path(cat, o.baseline[i], &c->load, d);
		if (r && !rc)
			rc = r;
	}
	if (!rc)
		rc = dc_catalog_finalize(cat, d);
	if (!rc && cli_note_catalog(c, cat)) /* -o must not replace the base either */
		rc = DC_ENOMEM;
	if (!rc && dc_graph_new(&g, cat))
		rc = DC_ENOMEM;
	if (!rc)
		rc = run_check(g, p, out);
	if (rc && rc != DC_ENOMEM) {
		size_t k;
		dc_diags_sort(d);
		for (k = 0; k < dc_diags_count(d); k++)
			if (dc_diags_get(d, k)->severity == DC_SEV_ERROR)
				dc_diag_print(stderr, dc_diags_get(d, k));
		fprintf(stderr, "depcheck check: the baseline cannot be analyzed (%s)\n", dc_strerror(rc));
	}
out:
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	return rc;
}

static int load_policy(cli *c, dc_policy **p)
{
	int rc;
	if (!o.policy_path)
		rc = dc_policy_default(p);
	else if (cli_note_input(c, o.policy_path))
		return DC_EXIT_USAGE;
	else
		rc = dc_policy_load(p, o.policy_path, c->diags);
	if (rc) {
		cli_print_diags(c);
		if (rc == DC_ENOMEM)
			fprintf(stderr, "depcheck: out of memory\n");
		else
			fprintf(stderr, "depcheck check: the policy cannot be used (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	cli c;
	int rc;
	dc_policy *policy = NULL;
	dc_violations *v = NULL, *base = NULL;
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_observed_source src;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	observed_opts_init(&o.obs);
	o.fail_on = DC_LEVEL_ERROR;
	c.cmd = "check";
	c.usage = "PATH... [--policy FILE] [--baseline PATH]... [--observed FILE]...";
	c.description = "The CI gate: check the catalog against a policy (the built-in one unless\n"
			"--policy) and exit 1 when a violation at --fail-on level remains. With\n"
			"--baseline, violations the base catalog already has are ignored (matched by\n"
			"rule and subject, not by line). With --observed (tracing data, as reconcile\n"
			"reads it), calls no descriptor declares are undeclared-dependency findings.\n"
			"Formats: text, json, sarif (code scanning), junit (one testcase per rule),\n"
			"github (workflow annotations).";
	c.formats = "text,json,sarif,junit,github";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (o.print_default) {
		if (c.nargs) {
			rc = cli_usage_error(&c, "--print-default-policy takes no PATH");
			goto out;
		}
		if ((rc = cli_open_output(&c)))
			goto out;
		fputs(dc_policy_default_text(), c.out);
		rc = cli_finish(&c, DC_EXIT_OK);
		goto out;
	}
	if (c.nargs == 0) {
		rc = cli_usage_error(&c, "no input: give catalog files or directories (or - for stdin)");
		goto out;
	}
	if ((rc = load_policy(&c, &policy)))
		goto out;
	if (o.obs.nfiles) {
		size_t k = dc_policy_rule_find(policy, dc_rule_kind_name(DC_RULE_UNDECLARED_DEPENDENCY));
		if ((rc = observed_opts_load(&c, &o.obs, &o.observed)))
			goto out;
		if (dc_policy_rule_level(policy, k) == DC_LEVEL_OFF)
			fprintf(stderr, "depcheck check: warning: --observed given, but rule undeclared-dependency "
				"is off in the policy\n");
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if ((rc = run_check(c.graph, policy, &v))) {
		fprintf(stderr, "depcheck check: %s\n", dc_strerror(rc));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (o.nbaseline) {
		if ((rc = load_base(&c, policy, &base))) {
			if (rc == DC_ENOMEM)
				fprintf(stderr, "depcheck: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
		if (dc_violations_subtract(v, base, &r.ignored)) {
			fprintf(stderr, "depcheck: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
	}
	r.command = "check";
	r.policy = policy;
	r.policy_name = o.policy_path ? o.policy_path : "built-in";
	r.v = v;
	r.fail_on = o.fail_on;
	r.failed = dc_violations_gate(v, o.fail_on);
	r.baseline = (const char *const *)o.baseline;
	r.nbaseline = (size_t)o.nbaseline;
	src = observed_opts_source(&o.obs, o.observed);
	r.observed = o.obs.nfiles ? &src : NULL;
	r.cat = c.cat;
	dc_output_format_parse(&oo.format, c.format);
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (dc_write_violations(c.out, &r, &oo)) {
		fprintf(stderr, "depcheck: out of memory\n");
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, r.failed ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	dc_violations_free(v);
	dc_violations_free(base);
	dc_policy_free(policy);
	free(o.baseline);
	o.baseline = NULL;
	dc_observed_free(o.observed);
	o.observed = NULL;
	observed_opts_free(&o.obs);
	cli_free(&c);
	return rc;
}
