/*
 * cmd_check.c - `depcheck check PATH... [--policy F] [--baseline PATH]...`:
 * the CI gate. Checks the catalog against a policy (built-in unless
 * --policy), optionally ignores what a base catalog already violates, and
 * reports in the format the CI system reads: text, json, sarif (GitHub
 * code scanning), junit (GitLab, Jenkins), github (workflow annotations).
 *
 * The policy's waivers accept findings (still reported, not counted); the
 * project config can name the inputs, the policy and the baselines (cli.c
 * reads it). --results FILE (chaos experiment results, as verify reads
 * them) feeds the unverified-predictions rule. One day serves the waivers'
 * expiry and the results' ages: --now, else DEPCHECK_TODAY, else
 * SOURCE_DATE_EPOCH, else the clock (UTC).
 *
 * The rules, the baseline matching and the gate are in the library
 * (depcheck/check.h), the formats too (dc_write_violations); this file
 * parses, calls and picks. Exit 1 when a violation at or above --fail-on
 * remains (default: errors), 0 otherwise, 2 for unusable input or policy.
 * A file that does not parse is no unusable input here (CLI_LOAD_BROKEN):
 * it is a valid-input finding, and the rest of the catalog is checked.
 */
#include "observed_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
	const char *policy_path;
	cli_list baseline;
	int print_default;
	dc_level fail_on;       /* DC_LEVEL_OFF: never fail */
	observed_opts obs;      /* --observed: the undeclared-dependency rule runs */
	dc_observed *observed;  /* read from obs.files */
	dc_policy *policy;
	const char *today;      /* --now, DEPCHECK_TODAY, SOURCE_DATE_EPOCH, or NULL: the clock */
	const char *now;        /* --now */
	cli_list results;       /* --results: chaos experiment results */
	dc_results *res;        /* read from results.files */
	char epoch_day[32];     /* SOURCE_DATE_EPOCH as YYYY-MM-DD */
} o;

static int fail_on(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!strcmp(arg, "error"))
		o.fail_on = DC_LEVEL_ERROR;
	else if (!strcmp(arg, "warning"))
		o.fail_on = DC_LEVEL_WARNING;
	else if (!strcmp(arg, "never"))
		o.fail_on = DC_LEVEL_OFF;
	else
		return cli_usage_error(c, "--fail-on takes error, warning or never, not '%s'", arg);
	return -1;
}

static unsigned threads;  /* --threads, 0 = not given */
static size_t limit;      /* --limit: findings listed per rule (text, json), 0 = all */
static int all;           /* --all: --limit 0 */

static const cli_opt opts[] = {
	{ .name = "policy", .type = CLI_OPT_STRING, .value = &o.policy_path,
	  .help = "FILE  policy to enforce (default: the built-in policy)" },
	{ .name = "baseline", .type = CLI_OPT_LIST, .value = &o.baseline,
	  .help = "PATH  base catalog: report only violations it does not have (repeat for several paths)" },
	{ .name = "fail-on", .type = CLI_OPT_FN, .has_arg = 1, .fn = fail_on,
	  .help = "LEVEL  error (default), warning or never" },
	{ .name = "print-default-policy", .type = CLI_OPT_FLAG, .value = &o.print_default,
	  .help = " print the built-in policy and exit" },
	{ .name = "limit", .type = CLI_OPT_SIZE, .value = &limit, .max = SIZE_MAX, .expect = "a number >= 0",
	  .help = "N  text, json: the first N findings of each rule (default 100; 0 = all)" },
	{ .name = "all", .type = CLI_OPT_FLAG, .value = &all,
	  .help = "   text, json: every finding (--limit 0)" },
	OBSERVED_OPTION_ROWS(o.obs),
	{ .name = "results", .type = CLI_OPT_LIST, .value = &o.results,
	  .help = "FILE  chaos experiment results, as verify reads them, for rule unverified-predictions "
		  "(repeat for several files)" },
	{ .name = "now", .type = CLI_OPT_STRING, .value = &o.now, .complete = CLI_COMPLETE_NONE,
	  .help = "DATE  the day, YYYY-MM-DD, for results' ages and waivers' expiry (default: "
		  "DEPCHECK_TODAY, SOURCE_DATE_EPOCH, the clock)" },
	CLI_OPT_THREADS(&threads),
	{ .name = NULL }
};

/* Whether d holds an error (a valid-input finding to be). */
static int has_errors(const dc_diags *d)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++)
		if (dc_diags_get(d, i)->severity == DC_SEV_ERROR)
			return 1;
	return 0;
}

/* Check a catalog already loaded into *out; its load and validation
 * errors (d) are findings of rule valid-input unless the policy turns it
 * off. keep > 0: only the first `keep` findings of each rule are kept
 * (dc_violations_keep), the others counted, the policy's waivers applied
 * as they come. */
static int run_check(const dc_graph *g, const dc_diags *d, size_t keep, dc_violations **out)
{
	int rc = dc_violations_new(out);
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_level vi = dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "valid-input"));
	dc_diags *cd = NULL;
	size_t i;
	if (!rc && keep)
		rc = dc_violations_keep(*out, keep, o.policy, o.today);
	co.observed = o.observed;
	co.threads = threads;
	co.results = o.res;
	co.today = o.today;
	co.min_calls = o.obs.min_calls;
	if (!rc)
		rc = dc_diags_new(&cd);
	co.diags = cd;
	/* dc_check runs dc_analyze itself when a rule needs it; the base is
	 * reconciled against the same observations as the head */
	if (!rc)
		rc = dc_check(*out, g, NULL, o.policy, &co);
	/* a rule that could not be evaluated fails the check (exit 2): say which */
	for (i = 0; cd && i < dc_diags_count(cd); i++)
		dc_diag_print(stderr, dc_diags_get(cd, i));
	dc_diags_free(cd);
	if (!rc && vi != DC_LEVEL_OFF)
		rc = dc_violations_add_input_errors(*out, d, vi);
	return rc;
}

/* A day YYYY-MM-DD of the Gregorian calendar? */
static int is_day(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	if (s[10])
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] &&
	       !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* The day of this run: --now, DEPCHECK_TODAY, SOURCE_DATE_EPOCH (the
 * reproducible-builds convention: seconds since 1970, its UTC day), or NULL
 * (the library reads the clock). -1 to go on, or an exit code. */
static int pick_today(cli *c)
{
	const char *e;
	o.today = NULL;
	if (o.now) {
		if (!is_day(o.now))
			return cli_usage_error(c, "--now must be a date YYYY-MM-DD, not '%s'", o.now);
		o.today = o.now;
	} else if ((e = getenv("DEPCHECK_TODAY")) && *e) {
		if (!is_day(e))
			return cli_usage_error(c, "DEPCHECK_TODAY must be a date YYYY-MM-DD, not '%s'", e);
		o.today = e;
	} else if ((e = getenv("SOURCE_DATE_EPOCH")) && *e) {
		char *end;
		unsigned long long v;
		time_t t;
		struct tm tm;
		errno = 0;
		v = strtoull(e, &end, 10);
		t = (time_t)v;
		if (*e < '0' || *e > '9' || *end || errno || v > 253402300799ULL || (unsigned long long)t != v ||
		    !gmtime_r(&t, &tm) || !strftime(o.epoch_day, sizeof(o.epoch_day), "%Y-%m-%d", &tm))
			return cli_usage_error(c, "SOURCE_DATE_EPOCH must be a whole number of seconds since "
						  "1970-01-01 (UTC), not '%s'", e);
		o.today = o.epoch_day;
	}
	return -1;
}

/* Before the catalog: the policy (its errors first) and the observed calls. */
static int prepare(cli *c)
{
	int rc;
	if (o.print_default) {
		FILE *out;
		if (c->nargs)
			return cli_usage_error(c, "--print-default-policy takes no PATH");
		if (!(out = cli_output(c)))
			return DC_EXIT_USAGE;
		fputs(dc_policy_default_text(), out);
		return DC_EXIT_OK;
	}
	if (c->nargs == 0 && !cli_config_inputs(c))
		return cli_usage_error(c, "no input: give catalog files or directories (or - for stdin)");
	/* the project config's policy and baselines, unless given here */
	if (!o.policy_path)
		o.policy_path = dc_config_value(c->config, DC_CONFIG_POLICY, 0);
	if (!o.baseline.n && dc_config_count(c->config, DC_CONFIG_BASELINE)) {
		size_t i, n = dc_config_count(c->config, DC_CONFIG_BASELINE);
		if (!(o.baseline.items = malloc(n * sizeof(*o.baseline.items))))
			return cli_oom(c);
		for (i = 0; i < n; i++)
			o.baseline.items[o.baseline.n++] = dc_config_value(c->config, DC_CONFIG_BASELINE, i);
	}
	if ((rc = pick_today(c)) >= 0)
		return rc;
	if (!o.policy_path)
		rc = dc_policy_default(&o.policy);
	else if (cli_note_input(c, o.policy_path))
		return DC_EXIT_USAGE;
	else
		rc = dc_policy_load(&o.policy, o.policy_path, c->diags);
	if (rc) {
		cli_print_diags(c);
		if (rc == DC_ENOMEM)
			return cli_oom(c);
		fprintf(stderr, "depcheck check: the policy cannot be used (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	if (o.results.n) {
		size_t i;
		int r = 0;
		if (dc_results_new(&o.res))
			return cli_oom(c);
		for (i = 0; i < o.results.n && !r; i++) {
			if (strcmp(o.results.items[i], "-") && cli_note_input(c, o.results.items[i]))
				return DC_EXIT_USAGE;
			r = dc_results_read_file(o.res, o.results.items[i], c->diags);
		}
		if (r) {
			cli_print_diags(c);
			if (r == DC_ENOMEM)
				return cli_oom(c);
			fprintf(stderr, "depcheck check: the results cannot be used (%s)\n", dc_strerror(r));
			return DC_EXIT_USAGE;
		}
		if (dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "unverified-predictions")) ==
		    DC_LEVEL_OFF)
			fprintf(stderr, "depcheck check: warning: --results given, but rule unverified-predictions "
				"is off in the policy\n");
	}
	if (o.obs.files.n) {
		if ((rc = observed_opts_load(c, &o.obs, &o.observed)))
			return rc;
		if (dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "undeclared-dependency")) ==
		    DC_LEVEL_OFF)
			fprintf(stderr, "depcheck check: warning: --observed given, but rule undeclared-dependency "
				"is off in the policy\n");
	}
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... [--policy FILE] [--baseline PATH]... [--observed FILE]... [--results FILE]...",
	.description = "The CI gate: check the catalog against a policy (the built-in one unless\n"
		       "--policy) and exit 1 when a violation at --fail-on level remains. With\n"
		       "--baseline, violations the base catalog already has are ignored (matched by\n"
		       "rule and subject, not by line). With --observed (tracing data, as reconcile\n"
		       "reads it), calls no descriptor declares are undeclared-dependency findings.\n"
		       "With --results (chaos experiment results, as verify reads them), the rule\n"
		       "unverified-predictions gates on critical predictions no recent experiment\n"
		       "tested. The policy's waivers accept findings (shown as waived, not counted);\n"
		       "an expired waiver is an error. The day: --now, else DEPCHECK_TODAY, else\n"
		       "SOURCE_DATE_EPOCH, else the clock (UTC).\n"
		       "Formats: text, json, sarif (code scanning), junit (one testcase per rule),\n"
		       "github (workflow annotations), jsonl (one record a line, every finding).\n"
		       "Text and json list the first --limit findings of each rule (default 100).",
	.formats = "text,json,sarif,junit,github,jsonl",
	.examples = "depcheck check catalog.yaml --policy policy.yaml\n"
		    "the CI gate: violations of the policy, exit 1 on an error\n"
		    "depcheck check head/ --baseline base/ -f sarif -o depcheck.sarif\n"
		    "only the violations the base does not have, for code scanning\n",
	.exit_ok = "the gate passes",
	.exit_findings = "a violation at --fail-on level remains",
	.opts = opts,
	.prepare = prepare,
};

/* The base catalog, checked alike: loaded quietly (its old warnings are not
 * this change's business); if it cannot be analyzed, its errors are said
 * and the run stops. Then what it already violates is removed from v. */
static int subtract_base(cli *c, dc_violations *v, size_t *ignored)
{
	dc_catalog *cat = NULL;
	dc_graph *g = NULL;
	dc_diags *d = NULL;
	dc_violations *base = NULL;
	int rc = 0, r, broken = 0;
	size_t i;
	if (dc_diags_new(&d) || dc_catalog_new(&cat)) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < o.baseline.n; i++) {
		r = dc_catalog_add_path(cat, o.baseline.items[i], &c->load, d);
		if (r && r != DC_EPARSE && !rc)
			rc = r;
		broken |= r == DC_EPARSE;
	}
	/* a syntax error of the base is one of its valid-input findings, as in
	 * the head: the same error in both is baselined; the rest is checked */
	if (!rc && (r = dc_catalog_finalize(cat, d)) &&
	    !(r == DC_EINVALID && broken && dc_catalog_service_count(cat) == 0))
		rc = r;
	if (!rc && cli_note_catalog(c, cat)) /* -o must not replace the base either */
		rc = DC_ENOMEM;
	if (!rc)
		rc = dc_graph_new(&g, cat);
	if (!rc)
		rc = run_check(g, d, 0, &base);
	if (rc && rc != DC_ENOMEM) {
		dc_diags_sort(d);
		for (i = 0; i < dc_diags_count(d); i++)
			if (dc_diags_get(d, i)->severity == DC_SEV_ERROR)
				dc_diag_print(stderr, dc_diags_get(d, i));
		fprintf(stderr, "depcheck check: the baseline cannot be analyzed (%s)\n", dc_strerror(rc));
	}
	if (!rc && dc_violations_subtract(v, base, ignored))
		rc = DC_ENOMEM;
	if (rc == DC_ENOMEM)
		cli_oom(c);
out:
	dc_violations_free(base);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	return rc ? DC_EXIT_USAGE : 0;
}

int cmd_check(cli *c)
{
	int rc;
	dc_violations *v = NULL;
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options oo = cli_output_options(c);
	dc_observed_source src;
	FILE *out;
	size_t keep;

	observed_opts_init(&o.obs);
	o.fail_on = DC_LEVEL_ERROR;
	o.now = NULL;
	o.res = NULL;
	threads = 0;
	limit = DC_OUTPUT_LIST_LIMIT_DEFAULT;
	all = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		goto out;
	oo = cli_output_options(c);
	oo.list_limit = all ? 0 : limit;
	if (c->broken && dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "valid-input")) == DC_LEVEL_OFF)
		fprintf(stderr, "depcheck check: warning: input that does not parse was left out of the check "
			"(rule valid-input is off)\n");
	/* text and json list the first --limit findings of each rule: only
	 * those are kept, the rest counted (millions at a million services).
	 * Not with a baseline (matching needs every finding) nor with input
	 * errors (one at the place of a finding is not reported twice: that
	 * needs every finding's place); the other formats list every one. */
	keep = (cli_format_is(c, "text") || cli_format_is(c, "json")) && !o.baseline.n &&
			       !(has_errors(c->diags) &&
				 dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "valid-input")) != DC_LEVEL_OFF)
		       ? oo.list_limit
		       : 0;
	if ((rc = run_check(c->graph, c->diags, keep, &v))) {
		fprintf(stderr, "depcheck check: %s\n", dc_strerror(rc));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	/* the policy's waivers, on the head's findings (DEPCHECK_TODAY fixes
	 * the date for tests); then the baseline removes known ones, waived
	 * or not */
	if ((rc = dc_violations_waive(v, o.policy, o.today))) {
		if (rc == DC_ENOMEM)
			rc = cli_oom(c);
		else  /* the one argument it can refuse, checked by pick_today */
			rc = cli_usage_error(c, "not a date: '%s'", o.today);
		goto out;
	}
	if (o.baseline.n && (rc = subtract_base(c, v, &r.ignored)))
		goto out;
	r.command = "check";
	r.policy = o.policy;
	r.policy_name = o.policy_path ? o.policy_path : "built-in";
	r.v = v;
	r.fail_on = o.fail_on;
	r.failed = dc_violations_gate(v, o.fail_on);
	r.baseline = o.baseline.items;
	r.nbaseline = o.baseline.n;
	src = observed_opts_source(&o.obs, o.observed);
	r.observed = o.obs.files.n ? &src : NULL;
	r.cat = c->cat;
	/* the rules on by default read edges, entrypoints, timeouts, retries and
	 * latencies; availabilities matter only when min-availability runs */
	cli_assume(c, &oo, DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS | DC_ASSUME_TIMEOUTS | DC_ASSUME_RETRIES |
				   DC_ASSUME_LATENCY |
				   (dc_policy_rule_level(o.policy, dc_policy_rule_find(o.policy, "min-availability")) !=
						    DC_LEVEL_OFF ||
					    dc_policy_rule_level(o.policy,
								 dc_policy_rule_find(o.policy, "unverified-predictions")) !=
						    DC_LEVEL_OFF
					    ? DC_ASSUME_AVAILABILITY
					    : 0));
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_write_violations(out, &r, &oo)) {
		rc = cli_oom(c);
		goto out;
	}
	rc = r.failed ? DC_EXIT_FINDINGS : DC_EXIT_OK;
out:
	dc_violations_free(v);
	dc_policy_free(o.policy);
	dc_observed_free(o.observed);
	dc_results_free(o.res);
	o.res = NULL;
	return rc;
}
