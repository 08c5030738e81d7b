/*
 * test_policy.c - the policy parser (depcheck/policy.h) and the rule table:
 * every rule's options, valid and invalid, with the exact diagnostic at
 * file:line:column; unknown rules, bad severities and bad documents; YAML
 * and JSON policies; the default policy's text round trip through the
 * parser; the id-based rule API and its range checks; the versions of
 * dc_check_options.
 *
 * The rule table (lib/rules.c) is walked where a test is about every rule,
 * so that adding a rule to the table needs no edit here to stay covered.
 */
#include "helpers.h"
#include "policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define POL(rules) "depcheck-policy: 1\nrules:\n" rules

/* The level and description of rule `id` in a policy. */
static dc_level level_of(const dc_policy *p, const char *id)
{
	size_t i = dc_policy_rule_find(p, id);
	CU_ASSERT_NOT_EQUAL(i, (size_t)-1);
	return dc_policy_rule_level(p, i);
}

static const char *desc_of(const dc_policy *p, const char *id)
{
	size_t i = dc_policy_rule_find(p, id);
	CU_ASSERT_NOT_EQUAL_FATAL(i, (size_t)-1);
	return dc_policy_rule_description(p, i);
}

/* One rule configured by `setting` parses, and gets `level` and the
 * description `desc`. */
static void good(const char *id, const char *setting, dc_level level, const char *desc)
{
	char text[1024];
	dc_policy *p;
	snprintf(text, sizeof(text), POL("  %s: %s\n"), id, setting);
	p = th_policy(text);
	CU_ASSERT_EQUAL(level_of(p, id), level);
	if (strcmp(desc_of(p, id), desc)) {
		fprintf(stderr, "\n%s: %s: wanted '%s', got '%s'\n", id, setting, desc, desc_of(p, id));
		CU_FAIL("description");
	}
	dc_policy_free(p);
}

/* A policy that does not load, and its FIRST error, exactly:
 * "FILE:LINE:COLUMN: MESSAGE" (file p.yaml). */
static void bad_rc(const char *text, int want_rc, const char *want)
{
	dc_policy *p = (dc_policy *)1;
	dc_diags *d;
	char got[1024] = "(no error)";
	size_t i;
	int rc;
	dc_diags_new(&d);
	rc = dc_policy_parse(&p, "p.yaml", text, strlen(text), d);
	if (rc != want_rc)
		fprintf(stderr, "\nstatus %d, wanted %d: %s\n", rc, want_rc, text);
	CU_ASSERT_EQUAL(rc, want_rc);
	CU_ASSERT_PTR_NULL(p);
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		if (x->severity == DC_SEV_ERROR) {
			snprintf(got, sizeof(got), "%s:%u:%u: %s", x->file, x->line, x->column, x->message);
			break;
		}
	}
	if (strcmp(got, want)) {
		fprintf(stderr, "\nwanted: %s\ngot:    %s\n", want, got);
		CU_FAIL("diagnostic");
	}
	dc_diags_free(d);
}

static void bad(const char *text, const char *want)
{
	bad_rc(text, DC_EINVALID, want);
}

/* ---- the table ------------------------------------------------------------------ */

static void test_table(void)
{
	size_t n = dc_rule_count(), i, j;
	const char *text = dc_policy_default_text();
	CU_ASSERT_EQUAL(n, dc__rule_count);
	CU_ASSERT(n >= 15);
	for (i = 0; i < n; i++) {
		const dc__rule *r = &dc__rules[i];
		char line[128];
		CU_ASSERT_STRING_EQUAL(dc_rule_id(i), r->id);
		CU_ASSERT_PTR_EQUAL(dc__rule_find(r->id), r);
		CU_ASSERT_STRING_EQUAL(dc_rule_description(r->id), r->summary);
		/* an entry is complete: a check, a setting in the default policy,
		 * options with their parser, a list with its own (valid-input's
		 * findings are the loader's: dc_violations_add_input_errors) */
		CU_ASSERT(r->check != NULL || !strcmp(r->id, "valid-input"));
		CU_ASSERT_PTR_NOT_NULL(r->setting);
		CU_ASSERT(!r->options == !r->option);
		CU_ASSERT(!(r->flags & RULE_LIST) == !r->parse_list);
		CU_ASSERT(!r->option || r->opts_size);
		CU_ASSERT(!r->init || r->opts_size);
		/* ids are what a policy file can name: no '/' (list entries use it) */
		CU_ASSERT_PTR_NULL(strchr(r->id, '/'));
		for (j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(dc__rules[j].id, r->id);
		/* every rule is in the default policy, once */
		snprintf(line, sizeof(line), "\n  %s: %s\n", r->id, r->setting);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, line));
	}
	CU_ASSERT_PTR_NULL(dc_rule_id(n));
	CU_ASSERT_PTR_NULL(dc_rule_id((size_t)-1));
	CU_ASSERT_PTR_NULL(dc_rule_description("nope"));
	CU_ASSERT_PTR_NULL(dc_rule_description(NULL));
	CU_ASSERT_PTR_NULL(dc_rule_description("forbidden/x"));
	CU_ASSERT_STRING_EQUAL(dc_rule_description("forbidden"), "dependencies the policy forbids");
	/* list rules come last (report order: forbidden entries after the rest) */
	for (i = 0; i + 1 < n; i++)
		if (dc__rules[i].flags & RULE_LIST)
			CU_ASSERT(dc__rules[i + 1].flags & RULE_LIST);
}

/* A policy's rules name their built-in rule by id (what the removed
 * dc_rule_kind constants did): a list entry names its list rule. */
static void test_builtin_ids(void)
{
	dc_policy *p;
	CU_ASSERT_STRING_EQUAL(dc_rule_description("tier"),
			       "no hard dependency on a service of a less critical tier");
	p = th_policy(POL("  forbidden:\n    - { name: x, to: { name: a } }\n"));
	CU_ASSERT_STRING_EQUAL(dc_policy_rule_builtin(p, dc_policy_rule_find(p, "tier")), "tier");
	CU_ASSERT_STRING_EQUAL(dc_policy_rule_builtin(p, dc_policy_rule_find(p, "min-availability")),
			       "min-availability");
	CU_ASSERT_STRING_EQUAL(dc_policy_rule_builtin(p, dc_policy_rule_find(p, "forbidden/x")), "forbidden");
	CU_ASSERT_PTR_NULL(dc_policy_rule_builtin(p, dc_policy_rule_count(p)));
	dc_policy_free(p);
}

/* ---- the default policy ------------------------------------------------------------ */

static void test_default_policy(void)
{
	dc_policy *a = NULL, *b;
	size_t i, nlist = 0;
	const char *t = dc_policy_default_text();
	CU_ASSERT_EQUAL_FATAL(dc_policy_default(&a), 0);
	b = th_policy(t);
	/* the same pointer every time: static storage */
	CU_ASSERT_PTR_EQUAL(dc_policy_default_text(), t);
	CU_ASSERT(strlen(t) + 1024 < DC__DEFAULT_TEXT_MAX);  /* room for more rules */
	for (i = 0; i < dc_rule_count(); i++)
		nlist += (dc__rules[i].flags & RULE_LIST) != 0;
	CU_ASSERT_EQUAL(dc_policy_rule_count(a), dc_rule_count() - nlist);
	CU_ASSERT_EQUAL(dc_policy_rule_count(a), dc_policy_rule_count(b));
	for (i = 0; i < dc_policy_rule_count(a); i++) {
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_id(a, i), dc_policy_rule_id(b, i));
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_id(a, i), dc_rule_id(i));  /* table order */
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_builtin(a, i), dc_rule_id(i));
		CU_ASSERT_EQUAL(dc_policy_rule_level(a, i), dc_policy_rule_level(b, i));
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_description(a, i), dc_policy_rule_description(b, i));
	}
	CU_ASSERT_EQUAL(level_of(a, "no-hard-cycles"), DC_LEVEL_ERROR);
	CU_ASSERT_EQUAL(level_of(a, "tier"), DC_LEVEL_ERROR);
	CU_ASSERT_EQUAL(level_of(a, "no-cycles"), DC_LEVEL_OFF);
	CU_ASSERT_EQUAL(level_of(a, "max-depth"), DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(level_of(a, "min-availability"), DC_LEVEL_OFF);
	CU_ASSERT_STRING_EQUAL(desc_of(a, "max-blast-radius"),
			       "a service's lone failure takes down at most 25% of the services");
	CU_ASSERT_STRING_EQUAL(desc_of(a, "no-spof"),
			       "no single service whose failure takes a tier-1 entrypoint down");
	CU_ASSERT_EQUAL(dc_policy_rule_find(a, "nope"), (size_t)-1);
	dc_policy_free(a);
	dc_policy_free(b);
}

/* --print-default-policy prints dc_policy_default_text(): printed, saved
 * and read back with dc_policy_load() it is the same policy, and each
 * rule's line alone gives the rule its default level and options. */
static void test_default_round_trip(void)
{
	char path[] = "/tmp/dc_policy_rtXXXXXX";
	const char *t = dc_policy_default_text();
	dc_policy *a = NULL, *b = NULL;
	dc_diags *d;
	size_t i;
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL((size_t)write(fd, t, strlen(t)), strlen(t));
	close(fd);
	dc_diags_new(&d);
	CU_ASSERT_EQUAL_FATAL(dc_policy_load(&b, path, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_policy_default(&a), 0);
	CU_ASSERT_EQUAL_FATAL(dc_policy_rule_count(a), dc_policy_rule_count(b));
	for (i = 0; i < dc_policy_rule_count(a); i++) {
		const dc__rule *r = dc__rule_find(dc_policy_rule_id(a, i));
		char one[512];
		dc_policy *p;
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_id(a, i), dc_policy_rule_id(b, i));
		CU_ASSERT_EQUAL(dc_policy_rule_level(a, i), dc_policy_rule_level(b, i));
		CU_ASSERT_STRING_EQUAL(dc_policy_rule_description(a, i), dc_policy_rule_description(b, i));
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		snprintf(one, sizeof(one), POL("  %s: %s\n"), r->id, r->setting);
		p = th_policy(one);
		CU_ASSERT_EQUAL(level_of(p, r->id), dc_policy_rule_level(a, i));
		CU_ASSERT_STRING_EQUAL(desc_of(p, r->id), dc_policy_rule_description(a, i));
		dc_policy_free(p);
	}
	dc_policy_free(a);
	dc_policy_free(b);
	dc_diags_free(d);
	unlink(path);
}

/* ---- every rule's options --------------------------------------------------------- */

static void test_severity(void)
{
	size_t i;
	/* every rule that is not a list takes a severity alone */
	for (i = 0; i < dc_rule_count(); i++) {
		const dc__rule *r = &dc__rules[i];
		char text[256];
		dc_policy *p;
		if (r->flags & RULE_LIST)
			continue;
		snprintf(text, sizeof(text), POL("  %s: warning\n"), r->id);
		p = th_policy(text);
		CU_ASSERT_EQUAL(level_of(p, r->id), DC_LEVEL_WARNING);
		dc_policy_free(p);
		snprintf(text, sizeof(text), POL("  %s: fatal\n"), r->id);
		{
			char want[256];
			snprintf(want, sizeof(want), "p.yaml:3:%zu: severity must be error, warning or off, "
				 "not 'fatal'", strlen(r->id) + 5);
			bad(text, want);
		}
	}
	/* a mapping without severity turns the rule on */
	good("max-depth", "{ max: 3 }", DC_LEVEL_ERROR, "dependency chains at most 3 services long");
	good("tier", "{}", DC_LEVEL_ERROR, "no hard dependency on a service of a less critical tier");
	good("tier", "{ severity: off }", DC_LEVEL_OFF, "no hard dependency on a service of a less critical tier");
	/* rules left out are off */
	{
		dc_policy *p = th_policy(POL("  max-depth: warning\n"));
		CU_ASSERT_EQUAL(level_of(p, "tier"), DC_LEVEL_OFF);
		dc_policy_free(p);
	}
	bad(POL("  tier: { severity: fatal }\n"),
	    "p.yaml:3:21: severity must be error, warning or off, not 'fatal'");
	bad(POL("  tier: { severity: [error] }\n"),
	    "p.yaml:3:21: severity must be error, warning or off, not sequence");
	bad(POL("  tier: [error]\n"),
	    "p.yaml:3:9: rule tier takes a severity or a mapping with severity and options, not a sequence");
}

static void test_options_max(void)
{
	/* severity alone: the defaults */
	good("max-blast-radius", "error", DC_LEVEL_ERROR,
	     "a service's lone failure takes down at most 25% of the services");
	good("max-depth", "warning", DC_LEVEL_WARNING, "dependency chains at most 10 services long");
	good("max-fan-in", "warning", DC_LEVEL_WARNING, "at most 50 dependents per service");
	good("max-fan-out", "warning", DC_LEVEL_WARNING, "at most 20 dependencies per service");
	good("max-retry-amplification", "warning", DC_LEVEL_WARNING,
	     "one user request reaches a service at most 10 times");
	/* valid values */
	good("max-blast-radius", "{ severity: warning, max: 3 }", DC_LEVEL_WARNING,
	     "a service's lone failure takes down at most 3 other services");
	good("max-blast-radius", "{ max: 12.5% }", DC_LEVEL_ERROR,
	     "a service's lone failure takes down at most 12.5% of the services");
	good("max-blast-radius", "{ max: 0% }", DC_LEVEL_ERROR,
	     "a service's lone failure takes down at most 0% of the services");
	good("max-blast-radius", "{ max: 2.5 }", DC_LEVEL_ERROR,
	     "a service's lone failure takes down at most 2.5 other services");
	good("max-depth", "{ max: 0 }", DC_LEVEL_ERROR, "dependency chains at most 0 services long");
	good("max-fan-in", "{ max: 7 }", DC_LEVEL_ERROR, "at most 7 dependents per service");
	good("max-fan-out", "{ max: 8 }", DC_LEVEL_ERROR, "at most 8 dependencies per service");
	good("max-retry-amplification", "{ max: 2.5 }", DC_LEVEL_ERROR,
	     "one user request reaches a service at most 2.5 times");
	/* invalid values */
	bad(POL("  max-depth: { max: -1 }\n"), "p.yaml:3:21: max of max-depth must be a number >= 0, not '-1'");
	bad(POL("  max-depth: { max: 2.5 }\n"), "p.yaml:3:21: max of max-depth must be a whole number, not '2.5'");
	bad(POL("  max-depth: { max: 10% }\n"), "p.yaml:3:21: max of max-depth must be a number >= 0, not '10%'");
	bad(POL("  max-fan-in: { max: many }\n"), "p.yaml:3:22: max of max-fan-in must be a number >= 0, not 'many'");
	bad(POL("  max-fan-out: { max: [1] }\n"), "p.yaml:3:23: max of max-fan-out must be a number >= 0, not sequence");
	bad(POL("  max-fan-out: { max: .inf }\n"), "p.yaml:3:23: max of max-fan-out must be a number >= 0, not '.inf'");
	bad(POL("  max-retry-amplification: { max: -0.5 }\n"),
	    "p.yaml:3:35: max of max-retry-amplification must be a number >= 0, not '-0.5'");
	bad(POL("  max-blast-radius: { max: 120% }\n"),
	    "p.yaml:3:28: max of max-blast-radius must be a count or a percentage from 0% to 100%, not '120%'");
	bad(POL("  max-blast-radius: { max: x% }\n"),
	    "p.yaml:3:28: max of max-blast-radius must be a count or a percentage from 0% to 100%, not 'x%'");
	bad(POL("  max-blast-radius: { max: -3 }\n"),
	    "p.yaml:3:28: max of max-blast-radius must be a number >= 0 or a percentage like 25%, not '-3'");
	bad(POL("  max-depth: { severity: error, maxx: 3 }\n"),
	    "p.yaml:3:33: unknown option 'maxx' of rule max-depth (did you mean 'max'?)");
}

static void test_options_spof_fields(void)
{
	good("no-spof", "error", DC_LEVEL_ERROR, "no single service whose failure takes an entrypoint down");
	good("no-spof", "{ tier-1-only: true }", DC_LEVEL_ERROR,
	     "no single service whose failure takes a tier-1 entrypoint down");
	good("no-spof", "{ tier-1-only: false }", DC_LEVEL_ERROR,
	     "no single service whose failure takes an entrypoint down");
	bad(POL("  no-spof: { tier-1-only: maybe }\n"), "p.yaml:3:27: tier-1-only must be true or false");
	bad(POL("  no-spof: { max: 3 }\n"),
	    "p.yaml:3:14: unknown option 'max' of rule no-spof (expected severity, tier-1-only)");

	good("required-fields", "{ fields: [owner, system, tier, description, slo, zones, tags, "
	     "availability, latency_ms, replicas] }", DC_LEVEL_ERROR, "services declare the required fields");
	good("required-fields", "{ fields: [] }", DC_LEVEL_ERROR, "services declare the required fields");
	bad(POL("  required-fields: { fields: [owner, team] }\n"),
	    "p.yaml:3:38: unknown field 'team' in required-fields (expected owner, system, tier, description, "
	    "slo, zones, tags, availability, latency_ms or replicas)");
	bad(POL("  required-fields: { fields: [owner, onwer] }\n"),
	    "p.yaml:3:38: unknown field 'onwer' in required-fields (did you mean 'owner'?)");
	bad(POL("  required-fields: { fields: [owner, [tier]] }\n"),
	    "p.yaml:3:38: unknown field sequence in required-fields (expected owner, system, tier, "
	    "description, slo, zones, tags, availability, latency_ms or replicas)");
	bad(POL("  required-fields: { fields: owner }\n"),
	    "p.yaml:3:30: fields of required-fields must be a list, not a string");
	bad(POL("  required-fields: { field: [owner] }\n"),
	    "p.yaml:3:22: unknown option 'field' of rule required-fields (did you mean 'fields'?)");
}

static void test_options_unverified(void)
{
	good("unverified-predictions", "warning", DC_LEVEL_WARNING,
	     "the 10 riskiest predictions `depcheck experiments` ranks (spof, soft-edge, any-of, zone) were tested "
	     "by an experiment with a result at most 90 days old");
	good("unverified-predictions", "{ max-age-days: 30, top: all, reasons: [zone, spof] }", DC_LEVEL_ERROR,
	     "all the riskiest predictions `depcheck experiments` ranks (spof, zone) were tested by an experiment "
	     "with a result at most 30 days old");
	good("unverified-predictions", "{ severity: warning, max-age-days: 0, top: 1000 }", DC_LEVEL_WARNING,
	     "the 1000 riskiest predictions `depcheck experiments` ranks (spof, soft-edge, any-of, zone) were tested "
	     "by an experiment with a result at most 0 days old");
	bad(POL("  unverified-predictions: { max-age-days: -1 }\n"), "p.yaml:3:43: max-age-days of "
	    "unverified-predictions must be a whole number of days from 0 to 36500, not '-1'");
	bad(POL("  unverified-predictions: { max-age-days: 90d }\n"), "p.yaml:3:43: max-age-days of "
	    "unverified-predictions must be a whole number of days from 0 to 36500, not '90d'");
	bad(POL("  unverified-predictions: { top: 0 }\n"), "p.yaml:3:34: top of unverified-predictions must be a "
	    "whole number from 1 to 1000 or all, not '0'");
	bad(POL("  unverified-predictions: { top: 1001 }\n"), "p.yaml:3:34: top of unverified-predictions must be a "
	    "whole number from 1 to 1000 or all, not '1001'");
	bad(POL("  unverified-predictions: { reasons: spof }\n"), "p.yaml:3:38: reasons of unverified-predictions "
	    "must be a non-empty list of spof, soft-edge, any-of and zone");
	bad(POL("  unverified-predictions: { reasons: [] }\n"), "p.yaml:3:38: reasons of unverified-predictions "
	    "must be a non-empty list of spof, soft-edge, any-of and zone");
	bad(POL("  unverified-predictions: { reasons: [spof, kill] }\n"), "p.yaml:3:45: unknown reason 'kill' in "
	    "unverified-predictions (expected spof, soft-edge, any-of or zone)");
	bad(POL("  unverified-predictions: { max-age: 90 }\n"), "p.yaml:3:29: unknown option 'max-age' of rule "
	    "unverified-predictions (expected severity, max-age-days, top, reasons)");
}

static void test_options_availability(void)
{
	good("min-availability", "warning", DC_LEVEL_WARNING,
	     "every entrypoint's effective availability meets its slo (Monte Carlo: 100000 trials, seed 1)");
	good("min-availability", "{ min: 0.995, trials: 5000, seed: 7 }", DC_LEVEL_ERROR,
	     "every entrypoint's effective availability is at least 0.995 (Monte Carlo: 5000 trials, seed 7)");
	good("min-availability", "{ min: 1, seed: 0 }", DC_LEVEL_ERROR,
	     "every entrypoint's effective availability is at least 1 (Monte Carlo: 100000 trials, seed 0)");
	good("min-availability", "{ min: slo, trials: 1000000000 }", DC_LEVEL_ERROR,
	     "every entrypoint's effective availability meets its slo (Monte Carlo: 1000000000 trials, seed 1)");
	bad(POL("  min-availability: { min: 1.5 }\n"), "p.yaml:3:28: min of min-availability must be a "
	    "probability like 0.999 (above 0, at most 1) or slo, not '1.5'");
	bad(POL("  min-availability: { min: 0 }\n"), "p.yaml:3:28: min of min-availability must be a "
	    "probability like 0.999 (above 0, at most 1) or slo, not '0'");
	bad(POL("  min-availability: { min: target }\n"), "p.yaml:3:28: min of min-availability must be a "
	    "probability like 0.999 (above 0, at most 1) or slo, not 'target'");
	bad(POL("  min-availability: { trials: 0 }\n"), "p.yaml:3:31: trials of min-availability must be a "
	    "whole number from 1 to 1000000000, not '0'");
	bad(POL("  min-availability: { trials: 1.5 }\n"), "p.yaml:3:31: trials of min-availability must be a "
	    "whole number from 1 to 1000000000, not '1.5'");
	bad(POL("  min-availability: { trials: 1000000001 }\n"), "p.yaml:3:31: trials of min-availability "
	    "must be a whole number from 1 to 1000000000, not '1000000001'");
	bad(POL("  min-availability: { seed: -1 }\n"), "p.yaml:3:29: seed of min-availability must be a "
	    "whole number from 0 to 2^63-1, not '-1'");
	bad(POL("  min-availability: { seed: {} }\n"), "p.yaml:3:29: seed of min-availability must be a "
	    "whole number from 0 to 2^63-1, not mapping");
	bad(POL("  min-availability: { max: 3 }\n"), "p.yaml:3:23: unknown option 'max' of rule "
	    "min-availability (expected severity, min, trials, seed)");
}

/* The options of the rules on real numbers: retry-without-budget,
 * timeout-budget, undeclared-dependency, dependency-nines. */
static void test_options_real_numbers(void)
{
	good("retry-without-budget", "warning", DC_LEVEL_WARNING,
	     "retries on a path that reaches a service more than 10 times have a retry budget");
	good("retry-without-budget", "{ max-amplification: 2.5 }", DC_LEVEL_ERROR,
	     "retries on a path that reaches a service more than 2.5 times have a retry budget");
	bad(POL("  retry-without-budget: { max-amplification: 0.5 }\n"), "p.yaml:3:46: max-amplification of "
	    "retry-without-budget must be a number >= 1, not '0.5'");
	bad(POL("  retry-without-budget: { max-amplification: [1] }\n"), "p.yaml:3:46: max-amplification of "
	    "retry-without-budget must be a number >= 1, not sequence");
	bad(POL("  retry-without-budget: { max: 3 }\n"), "p.yaml:3:27: unknown option 'max' of rule "
	    "retry-without-budget (expected severity, max-amplification)");
	good("timeout-budget", "warning", DC_LEVEL_WARNING,
	     "a caller's written timeout exceeds the callee's worst-case time to answer");
	good("timeout-budget", "{ callee-values: written }", DC_LEVEL_ERROR,
	     "a caller's written timeout exceeds the callee's worst-case time to answer, counting written "
	     "values only");
	good("timeout-budget", "{ severity: off, callee-values: any }", DC_LEVEL_OFF,
	     "a caller's written timeout exceeds the callee's worst-case time to answer");
	bad(POL("  timeout-budget: { callee-values: defaults }\n"), "p.yaml:3:36: callee-values of "
	    "timeout-budget must be any or written, not 'defaults'");
	good("undeclared-dependency", "error", DC_LEVEL_ERROR,
	     "every call observed in production is a declared dependency");
	good("undeclared-dependency", "{ severity: warning, min-calls-per-s: 0.5 }", DC_LEVEL_WARNING,
	     "every call observed in production above 0.5 calls/s (or of unknown rate) is a declared "
	     "dependency");
	bad(POL("  undeclared-dependency: { min-calls-per-s: -1 }\n"), "p.yaml:3:45: min-calls-per-s of "
	    "undeclared-dependency must be a number >= 0, not '-1'");
	bad(POL("  undeclared-dependency: { min-calls: 3 }\n"), "p.yaml:3:28: unknown option 'min-calls' of "
	    "rule undeclared-dependency (expected severity, min-calls-per-s)");
	good("dependency-nines", "warning", DC_LEVEL_WARNING,
	     "a critical dependency's availability is 1 nine better than its dependent's slo");
	good("dependency-nines", "{ nines: 2 }", DC_LEVEL_ERROR,
	     "a critical dependency's availability is 2 nines better than its dependent's slo");
	bad(POL("  dependency-nines: { nines: 7 }\n"), "p.yaml:3:30: nines of dependency-nines must be a "
	    "number from 0 to 6, not '7'");
	bad(POL("  dependency-nines: { nines: many }\n"), "p.yaml:3:30: nines of dependency-nines must be a "
	    "number from 0 to 6, not 'many'");
}

/* Rules without options take severity alone. */
static void test_options_none(void)
{
	size_t i;
	for (i = 0; i < dc_rule_count(); i++) {
		const dc__rule *r = &dc__rules[i];
		char text[256], want[256];
		if (r->options || (r->flags & RULE_LIST))
			continue;
		snprintf(text, sizeof(text), POL("  %s: { severity: error, max: 3 }\n"), r->id);
		snprintf(want, sizeof(want), "p.yaml:3:%zu: unknown option 'max' of rule %s (expected severity)",
			 strlen(r->id) + 24, r->id);
		bad(text, want);
	}
}

static void test_options_forbidden(void)
{
	dc_policy *p = th_policy(POL("  forbidden:\n"
				  "    - name: db.private_1\n"
				  "      severity: warning\n"
				  "      from: { not: { system: payments } }\n"
				  "      to: [{ name: \"payments-.*\" }, { tag: [pii, pci], tier: [1, 2] }]\n"
				  "      kind: hard\n"
				  "      message: only payments may use it\n"
				  "    - { name: soft-ok, from: { owner: x }, kind: soft }\n"
				  "    - { name: any-kind, to: { owner: [a, b] }, kind: any, severity: off }\n"));
	size_t i = dc_policy_rule_find(p, "forbidden/db.private_1");
	CU_ASSERT_EQUAL(dc_policy_rule_count(p), dc_rule_count() - 1 + 3);
	CU_ASSERT_NOT_EQUAL_FATAL(i, (size_t)-1);
	CU_ASSERT_EQUAL(dc_policy_rule_level(p, i), DC_LEVEL_WARNING);
	CU_ASSERT_STRING_EQUAL(dc_policy_rule_description(p, i), "only payments may use it");
	CU_ASSERT_STRING_EQUAL(dc_policy_rule_builtin(p, i), "forbidden");
	/* entries follow the built-in rules, in file order */
	CU_ASSERT_EQUAL(i, dc_rule_count() - 1);
	CU_ASSERT_EQUAL(level_of(p, "forbidden/soft-ok"), DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(desc_of(p, "forbidden/soft-ok"), "dependency forbidden by 'soft-ok'");
	CU_ASSERT_EQUAL(level_of(p, "forbidden/any-kind"), DC_LEVEL_OFF);
	/* the list itself is no rule */
	CU_ASSERT_EQUAL(dc_policy_rule_find(p, "forbidden"), (size_t)-1);
	dc_policy_free(p);
	p = th_policy(POL("  forbidden: []\n"));
	CU_ASSERT_EQUAL(dc_policy_rule_count(p), dc_rule_count() - 1);
	dc_policy_free(p);
	p = th_policy(POL("  forbidden:\n"));
	CU_ASSERT_EQUAL(dc_policy_rule_count(p), dc_rule_count() - 1);
	dc_policy_free(p);

	bad(POL("  forbidden: { name: x }\n"), "p.yaml:3:14: forbidden takes a list of entries, not a mapping");
	bad(POL("  forbidden: [x]\n"),
	    "p.yaml:3:15: a forbidden entry is a mapping with name, from and/or to, not a string");
	bad(POL("  forbidden:\n    - to: { name: a }\n"),
	    "p.yaml:4:7: a forbidden entry needs a name (letters, digits, '-', '_', '.')");
	bad(POL("  forbidden:\n    - { name: [x], to: { name: a } }\n"),
	    "p.yaml:4:15: a forbidden entry needs a name (letters, digits, '-', '_', '.')");
	bad(POL("  forbidden:\n    - { name: a/b, to: { name: a } }\n"),
	    "p.yaml:4:15: forbidden entry name 'a/b' may only have letters, digits, '-', '_' and '.'");
	bad(POL("  forbidden:\n    - name: x\n"), "p.yaml:4:7: forbidden entry 'x' needs from, to or both");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a } }\n    - { name: x, to: { name: b } }\n"),
	    "p.yaml:5:15: forbidden entry 'x' is defined twice");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a }, kind: both }\n"),
	    "p.yaml:4:41: kind must be hard, soft or any");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a }, message: [m] }\n"),
	    "p.yaml:4:44: message must be a string, not a sequence");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a }, severity: high }\n"),
	    "p.yaml:4:45: severity must be error, warning or off, not 'high'");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a }, why: m }\n"),
	    "p.yaml:4:35: unknown key 'why' in forbidden entry 'x' (expected severity, from, to, kind or message)");
	bad(POL("  forbidden:\n    - { name: x, to: { name: a }, mesage: m }\n"),
	    "p.yaml:4:35: unknown key 'mesage' in forbidden entry 'x' (did you mean 'message'?)");
	/* selectors */
	/* the reason is regerror()'s, glibc's here */
	bad(POL("  forbidden:\n    - name: x\n      to: { name: \"a(\" }\n"),
	    "p.yaml:5:19: bad regular expression 'a(': Unmatched ( or \\(");
	bad(POL("  forbidden:\n    - name: x\n      to: { name: [a] }\n"),
	    "p.yaml:5:19: selector name takes a regular expression, not a sequence");
	bad(POL("  forbidden:\n    - name: x\n      to: { team: a }\n"),
	    "p.yaml:5:13: unknown selector 'team' (expected name, system, owner, tier, tag or not)");
	bad(POL("  forbidden:\n    - name: x\n      to: { sytem: a }\n"),
	    "p.yaml:5:13: unknown selector 'sytem' (did you mean 'system'?)");
	bad(POL("  forbidden:\n    - name: x\n      to: { tier: 5 }\n"),
	    "p.yaml:5:19: selector tier takes a tier from 1 to 4 (or a list of them)");
	bad(POL("  forbidden:\n    - name: x\n      to: { system: [a, {}] }\n"),
	    "p.yaml:5:25: selector system takes a string or a list of strings, not a mapping");
	bad(POL("  forbidden:\n    - { name: x, to: [] }\n"),
	    "p.yaml:4:22: an empty list of selectors selects nothing");
	bad(POL("  forbidden:\n    - { name: x, to: {} }\n"),
	    "p.yaml:4:22: a selector is a mapping like { system: payments } or a list of them, not an empty mapping");
	bad(POL("  forbidden:\n    - { name: x, from: { not: a } }\n"),
	    "p.yaml:4:31: a selector is a mapping like { system: payments } or a list of them, not a string");
	bad(POL("  forbidden:\n    - { name: x, to: { [a]: b } }\n"), "p.yaml:4:24: selector keys must be strings");
}

/* ---- the document ---------------------------------------------------------------- */

static void test_unknown_rule(void)
{
	char want[1024], names[800];
	size_t i, off = 0, n = dc_rule_count();
	/* the list of rules comes from the table */
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
					!i ? "" : i + 1 == n ? " or " : ", ", dc_rule_id(i));
	snprintf(want, sizeof(want), "p.yaml:3:3: unknown rule 'cyclic-deps' (expected %s)", names);
	bad(POL("  cyclic-deps: error\n"), want);
	/* a typo: the closest rule, not the list */
	bad(POL("  no-hard-cycle: error\n"), "p.yaml:3:3: unknown rule 'no-hard-cycle' (did you mean 'no-hard-cycles'?)");
	bad(POL("  max-fanin: error\n"), "p.yaml:3:3: unknown rule 'max-fanin' (did you mean 'max-fan-in'?)");
	/* today's list, as the golden bad.check-policy-unknown-rule has it */
	CU_ASSERT_STRING_EQUAL(names, "valid-input, no-hard-cycles, startup-cycle, no-cycles, tier, deploy-order, max-blast-radius, max-depth, "
			       "max-fan-in, max-fan-out, max-retry-amplification, retry-without-budget, max-load-amplification, "
			       "timeout-budget, no-spof, required-fields, unresolved-references, "
			       "undeclared-dependency, dependency-nines, min-availability, unverified-predictions or forbidden");
	/* a list entry's id is not a rule name */
	bad(POL("  forbidden/x: error\n"), "p.yaml:3:3: unknown rule 'forbidden/x' (did you mean 'forbidden'?)");
	bad(POL("  ? [a]\n  : error\n"), "p.yaml:3:5: rule names are strings, not a sequence");
}

static void test_document_errors(void)
{
	bad("rules:\n  tier: error\n", "p.yaml:1:1: missing 'depcheck-policy: 1': is this a depcheck policy file?");
	bad("depcheck-policy: 2\nrules: {}\n",
	    "p.yaml:1:18: unsupported policy version '2' (this depcheck reads version 1)");
	bad("depcheck-policy: 1\nrule: {}\n",
	    "p.yaml:2:1: unknown key 'rule' in the policy (did you mean 'rules'?)");
	bad("depcheck-policy: 1\nchecks: {}\n",
	    "p.yaml:2:1: unknown key 'checks' in the policy (expected depcheck-policy, rules and waivers)");
	bad("depcheck-policy: 1\nrules: [tier]\n",
	    "p.yaml:2:8: rules must be a mapping from rule names to settings, not a sequence");
	bad("- depcheck-policy: 1\n", "p.yaml:1:1: a policy is a mapping with depcheck-policy: 1 and rules");
	bad("", "p.yaml:0:0: empty policy: write depcheck-policy: 1 and rules");
	bad("depcheck-policy: 1\n---\ndepcheck-policy: 1\n", "p.yaml:3:1: a policy file holds one YAML document");
	bad_rc(POL("  tier: error\n  tier: warning\n"), DC_EPARSE, "p.yaml:4:3: YAML error: duplicate key 'tier' in a mapping (first at line 3, column 3)");
	bad_rc("depcheck-policy: 1\nrules: [\n", DC_EPARSE, "p.yaml:3:1: YAML syntax error: did not find "
	       "expected node content while parsing a flow node (line 3)");
	{
		/* every problem is reported, not only the first */
		dc_policy *p = NULL;
		dc_diags *d;
		const char *t = POL("  tier: fatal\n  max-depth: { max: -1 }\n  nope: error\n");
		dc_diags_new(&d);
		CU_ASSERT_EQUAL(dc_policy_parse(&p, "p.yaml", t, strlen(t), d), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 3);
		dc_diags_free(d);
	}
	/* a policy without rules is valid: everything off */
	{
		dc_policy *p = th_policy("depcheck-policy: 1\n");
		size_t i;
		for (i = 0; i < dc_policy_rule_count(p); i++)
			CU_ASSERT_EQUAL(dc_policy_rule_level(p, i), DC_LEVEL_OFF);
		dc_policy_free(p);
	}
}

/* JSON policies read like YAML ones, with positions. */
static void test_json(void)
{
	const char *json =
		"{\n"
		"  \"depcheck-policy\": 1,\n"
		"  \"rules\": {\n"
		"    \"tier\": \"warning\",\n"
		"    \"max-blast-radius\": { \"severity\": \"error\", \"max\": \"10%\" },\n"
		"    \"required-fields\": { \"fields\": [\"owner\", \"slo\"] },\n"
		"    \"forbidden\": [ { \"name\": \"x\", \"to\": { \"system\": [\"a\", \"b\"] } } ]\n"
		"  }\n"
		"}\n";
	dc_policy *p = th_policy(json);
	CU_ASSERT_EQUAL(level_of(p, "tier"), DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(level_of(p, "max-blast-radius"), DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(desc_of(p, "max-blast-radius"),
			       "a service's lone failure takes down at most 10% of the services");
	CU_ASSERT_EQUAL(level_of(p, "forbidden/x"), DC_LEVEL_ERROR);
	CU_ASSERT_EQUAL(level_of(p, "no-hard-cycles"), DC_LEVEL_OFF);
	dc_policy_free(p);
	bad("{ \"depcheck-policy\": 1, \"rules\": { \"tier\": \"fatal\" } }",
	    "p.yaml:1:44: severity must be error, warning or off, not 'fatal'");
	bad("{\"depcheck-policy\": 1,\n \"rules\": {\"max-depth\": {\"max\": 2.5}}}",
	    "p.yaml:2:33: max of max-depth must be a whole number, not '2.5'");
	bad("{\"depcheck-policy\": 1, \"rules\": {\"nope\": \"error\"}}",
	    "p.yaml:1:34: unknown rule 'nope' (expected valid-input, no-hard-cycles, startup-cycle, no-cycles, tier, deploy-order, max-blast-radius, "
	    "max-depth, max-fan-in, max-fan-out, max-retry-amplification, retry-without-budget, max-load-amplification, timeout-budget, "
	    "no-spof, required-fields, unresolved-references, undeclared-dependency, dependency-nines, "
	    "min-availability, unverified-predictions or forbidden)");
}

static void test_load(void)
{
	dc_policy *p = (dc_policy *)1;
	dc_diags *d;
	dc_diags_new(&d);
	CU_ASSERT_EQUAL(dc_policy_load(&p, DC_TESTDATA "/policy/streaming.yaml", d), 0);
	CU_ASSERT_PTR_NOT_NULL(p);
	dc_policy_free(p);
	CU_ASSERT_EQUAL(dc_policy_load(&p, DC_TESTDATA "/policy/no-such-file.yaml", d), DC_EIO);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT(th_find_diag(d, "cannot read the policy: No such file or directory", 0, 0) >= 0);
	CU_ASSERT_EQUAL(dc_policy_load(&p, DC_TESTDATA "/policy", d), DC_EIO);
	CU_ASSERT(th_find_diag(d, "cannot read the policy: it is a directory", 0, 0) >= 0);
	CU_ASSERT_EQUAL(dc_policy_load(&p, DC_TESTDATA "/policy/bad/min-availability.yaml", d), DC_EINVALID);
	CU_ASSERT(th_find_diag(d, "min of min-availability must be a probability", 3, 28) >= 0);
	dc_diags_free(d);
}

/* ---- accessors and options --------------------------------------------------------- */

static void test_range_checks(void)
{
	dc_policy *p = th_policy(POL("  tier: error\n"));
	dc_violations *v;
	size_t n = dc_policy_rule_count(p);
	CU_ASSERT_PTR_NULL(dc_policy_rule_id(p, n));
	CU_ASSERT_PTR_NULL(dc_policy_rule_builtin(p, n));
	CU_ASSERT_PTR_NULL(dc_policy_rule_description(p, n));
	CU_ASSERT_EQUAL(dc_policy_rule_level(p, n), DC_LEVEL_OFF);
	CU_ASSERT_EQUAL(dc_policy_rule_level(p, (size_t)-1), DC_LEVEL_OFF);
	CU_ASSERT_EQUAL(dc_policy_rule_find(p, NULL), (size_t)-1);
	CU_ASSERT_EQUAL(dc_policy_rule_count(NULL), 0);
	CU_ASSERT_PTR_NULL(dc_policy_rule_id(NULL, 0));
	CU_ASSERT_EQUAL(dc_policy_rule_find(NULL, "tier"), (size_t)-1);
	dc_policy_free(p);
	dc_policy_free(NULL);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&v), 0);
	CU_ASSERT_PTR_NULL(dc_violations_get(v, 0));
	CU_ASSERT_EQUAL(dc_violations_add(v, "r", DC_LEVEL_ERROR, "a", NULL, NULL,
					  (dc_location){ NULL, 0, 0 }, "m"), 0);
	CU_ASSERT_PTR_NOT_NULL(dc_violations_get(v, 0));
	CU_ASSERT_PTR_NULL(dc_violations_get(v, 1));
	CU_ASSERT_PTR_NULL(dc_violations_get(v, (size_t)-1));
	CU_ASSERT_EQUAL(dc_violations_count(NULL), 0);
	CU_ASSERT_PTR_NULL(dc_violations_get(NULL, 0));
	CU_ASSERT_EQUAL(dc_violations_count_level(NULL, DC_LEVEL_ERROR), 0);
	dc_violations_free(v);
}

/* dc_check_options: versions 1 to current are read, 0 and newer refused;
 * the _INIT macro gives the current version. */
static void test_options_versions(void)
{
	const char *cat_text = "services:\n  - { name: a, tier: 1, depends_on: [b] }\n  - { name: b, tier: 2 }\n";
	dc_check_options init = DC_CHECK_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_policy *p = th_policy(POL("  tier: error\n"));
	unsigned v;
	CU_ASSERT_EQUAL(init.version, DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(init.min_calls, 1);
	CU_ASSERT_PTR_NULL(init.observed);
	CU_ASSERT_PTR_NULL(init.key_name);
	th_load(&cat, &d, "cat.yaml", cat_text, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	for (v = 0; v <= DC_CHECK_OPTIONS_VERSION + 2; v++) {
		dc_check_options o = DC_CHECK_OPTIONS_INIT;
		dc_violations *out;
		int want = v >= 1 && v <= DC_CHECK_OPTIONS_VERSION ? 0 : DC_EINVALID;
		o.version = v;
		dc_violations_new(&out);
		CU_ASSERT_EQUAL(dc_check(out, g, NULL, p, &o), want);
		CU_ASSERT_EQUAL(dc_violations_count(out), want ? 0 : 1);
		dc_violations_free(out);
	}
	{
		dc_check_options o = DC_CHECK_OPTIONS_INIT;
		dc_violations *out;
		o.version = 99;
		dc_violations_new(&out);
		CU_ASSERT_EQUAL(dc_check(out, g, NULL, p, &o), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_check(out, g, NULL, p, NULL), 0);
		CU_ASSERT_EQUAL(dc_check(NULL, g, NULL, p, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_check(out, NULL, NULL, p, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_check(out, g, NULL, NULL, NULL), DC_EINVALID);
		dc_violations_free(out);
	}
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
}

/* ---- waivers ---------------------------------------------------------------- */

#define WPOL(w) POL("  tier: error\n  forbidden:\n    - { name: no-db, to: { name: db } }\nwaivers:\n" w)

static void test_waivers(void)
{
	dc_policy *p = th_policy(WPOL("  - rule: tier\n    subject: web -> db\n    reason: accepted\n"
				     "    expires: 2027-01-31\n"
				     "  - { rule: forbidden/no-db, subject: api -> db, reason: legacy }\n"));
	const dc_waiver *w;
	CU_ASSERT_EQUAL(dc_policy_waiver_count(p), 2);
	w = dc_policy_waiver(p, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_STRING_EQUAL(w->rule, "tier");
	CU_ASSERT_STRING_EQUAL(w->subject, "web -> db");
	CU_ASSERT_STRING_EQUAL(w->reason, "accepted");
	CU_ASSERT_STRING_EQUAL(w->expires, "2027-01-31");
	CU_ASSERT_STRING_EQUAL(w->loc.file, "policy.yaml");
	CU_ASSERT_EQUAL(w->loc.line, 7);
	CU_ASSERT_EQUAL(w->loc.column, 5);
	w = dc_policy_waiver(p, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_STRING_EQUAL(w->rule, "forbidden/no-db");
	CU_ASSERT_PTR_NULL(w->expires);
	CU_ASSERT_PTR_NULL(dc_policy_waiver(p, 2));
	CU_ASSERT_PTR_NULL(dc_policy_waiver(NULL, 0));
	CU_ASSERT_EQUAL(dc_policy_waiver_count(NULL), 0);
	dc_policy_free(p);
	/* none, or an empty list */
	p = th_policy(POL("  tier: error\n"));
	CU_ASSERT_EQUAL(dc_policy_waiver_count(p), 0);
	dc_policy_free(p);
	p = th_policy(POL("  tier: error\nwaivers: []\n"));
	CU_ASSERT_EQUAL(dc_policy_waiver_count(p), 0);
	dc_policy_free(p);
	/* waivers before the rules that define forbidden/NAME */
	p = th_policy("depcheck-policy: 1\nwaivers:\n  - { rule: forbidden/x, subject: a, reason: r }\n"
		      "rules:\n  forbidden:\n    - { name: x, to: { name: db } }\n");
	CU_ASSERT_EQUAL(dc_policy_waiver_count(p), 1);
	dc_policy_free(p);

	bad(POL("  tier: error\nwaivers: { rule: tier }\n"),
	    "p.yaml:4:10: waivers must be a list of waivers, not a mapping");
	bad(WPOL("  - tier\n"),
	    "p.yaml:7:5: a waiver is a mapping with rule, subject, reason and optionally expires, not a string");
	bad(WPOL("  - { rule: tier, subject: a }\n"), "p.yaml:7:5: waiver without 'reason'");
	bad(WPOL("  - { rule: tier, reason: r }\n"), "p.yaml:7:5: waiver without 'subject'");
	bad(WPOL("  - { subject: a, reason: r }\n"), "p.yaml:7:5: waiver without 'rule'");
	bad(WPOL("  - { rule: tier, subject: '', reason: r }\n"),
	    "p.yaml:7:28: subject of a waiver must be a non-empty string, not empty");
	bad(WPOL("  - { rule: tier, subject: [a], reason: r }\n"),
	    "p.yaml:7:28: subject of a waiver must be a non-empty string, not a sequence");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, until: 2027-01-01 }\n"),
	    "p.yaml:7:42: unknown key 'until' in a waiver (expected rule, subject, reason, expires)");
	bad(WPOL("  - { rule: tiers, subject: a, reason: r }\n"),
	    "p.yaml:7:13: waiver of unknown rule 'tiers' (did you mean 'tier'?)");
	bad(WPOL("  - { rule: no-spf-at-all, subject: a, reason: r }\n"),
	    "p.yaml:7:13: waiver of unknown rule 'no-spf-at-all' (a rule id of the policy: a built-in rule or "
	    "forbidden/NAME)");
	bad(WPOL("  - { rule: forbidden/no-dbs, subject: a, reason: r }\n"),
	    "p.yaml:7:13: waiver of unknown rule 'forbidden/no-dbs' (did you mean 'forbidden/no-db'?)");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, expire: 2027-01-01 }\n"),
	    "p.yaml:7:42: unknown key 'expire' in a waiver (did you mean 'expires'?)");
	bad(WPOL("  - { rule: forbidden/nope, subject: a, reason: r }\n"),
	    "p.yaml:7:13: waiver of unknown rule 'forbidden/nope' (a rule id of the policy: a built-in rule or "
	    "forbidden/NAME)");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, expires: 2027-02-29 }\n"),
	    "p.yaml:7:51: expires of a waiver must be a date YYYY-MM-DD, not '2027-02-29'");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, expires: 2027-1-5 }\n"),
	    "p.yaml:7:51: expires of a waiver must be a date YYYY-MM-DD, not '2027-1-5'");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, expires: tomorrow }\n"),
	    "p.yaml:7:51: expires of a waiver must be a date YYYY-MM-DD, not 'tomorrow'");
	bad(WPOL("  - { rule: tier, subject: a, reason: r, expires: [1] }\n"),
	    "p.yaml:7:51: expires of a waiver must be a date YYYY-MM-DD, not a sequence");
	/* text that reaches every output: no control characters */
	bad(WPOL("  - { rule: tier, subject: a, reason: \"r\\e[31m\" }\n"),
	    "p.yaml:7:39: reason of a waiver contains the control character U+001B: not allowed in names and "
	    "text (see docs/security.md)");
	/* a leap day is a day */
	p = th_policy(WPOL("  - { rule: tier, subject: a, reason: r, expires: 2028-02-29 }\n"));
	CU_ASSERT_EQUAL(dc_policy_waiver_count(p), 1);
	dc_policy_free(p);
}

static void test_date_parse(void)
{
	long d = 0;
	CU_ASSERT_EQUAL(dc__date_parse("2027-01-31", &d), 0);
	CU_ASSERT_EQUAL(d, 20270131);
	CU_ASSERT_EQUAL(dc__date_parse("2000-02-29", &d), 0);  /* divisible by 400 */
	CU_ASSERT_EQUAL(dc__date_parse("1900-02-29", &d), -1); /* by 100, not 400 */
	CU_ASSERT_EQUAL(dc__date_parse("2027-13-01", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("2027-04-31", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("2027-00-10", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("0000-01-01", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("2027-01-31x", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("2027/01/31", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse("+027-01-31", &d), -1);
	CU_ASSERT_EQUAL(dc__date_parse(NULL, &d), -1);
}

int suite_policy(void)
{
	static const th_test tests[] = {
		{ "the rule table", test_table },
		{ "built-in rule of a policy rule, by id", test_builtin_ids },
		{ "default policy", test_default_policy },
		{ "default policy text round trip", test_default_round_trip },
		{ "severities", test_severity },
		{ "options of max-* rules", test_options_max },
		{ "options of no-spof and required-fields", test_options_spof_fields },
		{ "options of min-availability", test_options_availability },
		{ "options of unverified-predictions", test_options_unverified },
		{ "options of the rules on real numbers", test_options_real_numbers },
		{ "rules without options", test_options_none },
		{ "forbidden entries and selectors", test_options_forbidden },
		{ "unknown rules", test_unknown_rule },
		{ "document errors", test_document_errors },
		{ "JSON policies", test_json },
		{ "loading files", test_load },
		{ "accessors out of range", test_range_checks },
		{ "check options versions", test_options_versions },
		{ "waivers", test_waivers },
		{ "waiver dates", test_date_parse },
		{ NULL, NULL }
	};
	return th_suite("policy", tests);
}
