/*
 * test_output_policy.c - the writers of depcheck/output.h's "availability
 * and plan" and "policy" sections, in-process: every format of
 * dc_write_violations (rules of findings a policy does not have, the gate
 * printed as decided, escaping of attacker-controlled strings in SARIF,
 * JUnit and GitHub), reconcile's findings, diff's text and JSON, the
 * availability and plan writers, and the argument checks (unknown report
 * version, a format a writer does not write).
 */
#include "helpers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- violations ------------------------------------------------------------------------ */

/* Findings of a rule the policy does not have get a SARIF rule and a JUnit
 * testcase of their own; a built-in rule reported without a policy
 * (reconcile -f sarif) keeps its description. (Was test_check.c's, through
 * the CLI's reporter.) */
static void test_external_rule(void)
{
	dc_policy *p = NULL;
	dc_violations *v;
	dc_location at = { "deps.csv", 2, 1 };
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options o;
	char *buf = NULL;
	int rc;
	json_t *root, *rules, *res;
	json_error_t err;
	CU_ASSERT_EQUAL_FATAL(dc_policy_default(&p), 0);
	dc_violations_new(&v);
	dc_violations_add(v, "stale-dependency", DC_LEVEL_WARNING, "web", "db", NULL, at,
			  "web declares db, which it never calls");
	r.command = "reconcile";
	r.policy = p;
	r.v = v;
	r.fail_on = DC_LEVEL_WARNING;
	r.failed = dc_violations_gate(v, r.fail_on);
	CU_ASSERT_EQUAL(r.failed, 1);
	o = th_opts(DC_OUTPUT_SARIF);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	root = json_loads(buf, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	rules = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(root, "runs"), 0),
								 "tool"), "driver"), "rules");
	/* the policy's rules, then the finding's own */
	CU_ASSERT_EQUAL(json_array_size(rules), dc_policy_rule_count(p) + 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(rules, dc_policy_rule_count(p)),
								 "id")),
			       "stale-dependency");
	res = json_array_get(json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results"), 0);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "ruleIndex")), (json_int_t)dc_policy_rule_count(p));
	json_decref(root);
	free(buf);

	o = th_opts(DC_OUTPUT_JUNIT);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(th_xml_ok(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "name=\"stale-dependency\">\n      <failure type=\"warning\" "
				       "message=\"1 violation: stale-dependency\">deps.csv:2:1: warning: web declares db"));
	free(buf);

	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"command\": \"reconcile\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"id\": \"stale-dependency\", \"severity\": \"warning\", \"violations\": 1"));
	free(buf);
	dc_violations_free(v);

	/* without a policy: the rule's own description, and a policy rule that
	 * did not run but has findings (added from outside) is not "skipped" */
	dc_violations_new(&v);
	dc_violations_add(v, "undeclared-dependency", DC_LEVEL_ERROR, "web", "db", NULL, at,
			  "web calls db, which it does not declare");
	r.v = v;
	r.policy = NULL;
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"violations\": 1, \"description\": \"every call observed in "
				       "production is a declared dependency\"}"));
	free(buf);
	r.policy = p;
	o = th_opts(DC_OUTPUT_JUNIT);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "name=\"undeclared-dependency\">\n      <failure type=\"error\""));
	free(buf);
	dc_violations_free(v);
	dc_policy_free(p);
}

/* The gate is decided by dc_violations_gate and only printed by the
 * writers: a report says what r.failed says. */
static void test_gate(void)
{
	dc_violations *v;
	dc_location none = { NULL, 0, 0 };
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options o = th_opts(DC_OUTPUT_TEXT);
	char *buf = NULL;
	int rc;
	CU_ASSERT_TRUE(dc_level_fails(DC_LEVEL_ERROR, DC_LEVEL_ERROR));
	CU_ASSERT_TRUE(dc_level_fails(DC_LEVEL_ERROR, DC_LEVEL_WARNING));
	CU_ASSERT_FALSE(dc_level_fails(DC_LEVEL_WARNING, DC_LEVEL_ERROR));
	CU_ASSERT_FALSE(dc_level_fails(DC_LEVEL_ERROR, DC_LEVEL_OFF));
	dc_violations_new(&v);
	CU_ASSERT_FALSE(dc_violations_gate(NULL, DC_LEVEL_WARNING));
	CU_ASSERT_FALSE(dc_violations_gate(v, DC_LEVEL_WARNING));
	dc_violations_add(v, "tier", DC_LEVEL_WARNING, "a", "b", NULL, none, "m");
	CU_ASSERT_FALSE(dc_violations_gate(v, DC_LEVEL_ERROR));
	CU_ASSERT_TRUE(dc_violations_gate(v, DC_LEVEL_WARNING));
	CU_ASSERT_FALSE(dc_violations_gate(v, DC_LEVEL_OFF));
	r.v = v;
	r.failed = 0;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "warning: m [tier]\n\ncheck passed: 0 errors, 1 warning (policy: built-in)\n"));
	free(buf);
	r.failed = 1;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "check failed: 0 errors, 1 warning"));
	free(buf);
	o = th_opts(DC_OUTPUT_GITHUB);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "depcheck check failed: 0 errors, 1 warning\n"));
	free(buf);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"passed\": false"));
	free(buf);
	/* quiet text: errors only, no summary */
	o = th_opts(DC_OUTPUT_TEXT);
	o.quiet = 1;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_STRING_EQUAL(buf, "");
	free(buf);
	dc_violations_free(v);
}

/* A catalog's strings in CI formats stay data: no markup, no workflow
 * command, no JSON outside its string. */
static void test_escaping(void)
{
	dc_violations *v;
	dc_location at = { "we<ird>&\"dir,x:y/cat.yaml", 3, 4 };
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options o;
	char *buf = NULL;
	int rc;
	json_t *root, *res;
	json_error_t err;
	const char *msg = "evil </failure><x a='1'>&amp;\n::error file=x::pwned\r\n%0A\x01 done";
	dc_violations_new(&v);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "a\"b", "c<d", NULL, at, msg);
	r.v = v;
	r.failed = 1;

	o = th_opts(DC_OUTPUT_SARIF);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	root = json_loads(buf, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	res = json_array_get(json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results"), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(res, "message"), "text")), msg);
	/* the location as a URI reference: percent-encoded */
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(json_object_get(
		json_array_get(json_object_get(res, "locations"), 0), "physicalLocation"), "artifactLocation"), "uri")),
		"we%3Cird%3E%26%22dir%2Cx%3Ay/cat.yaml");
	json_decref(root);
	free(buf);

	o = th_opts(DC_OUTPUT_JUNIT);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(th_xml_ok(buf));
	CU_ASSERT_PTR_NULL(strstr(buf, "<x "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "we&lt;ird&gt;&amp;&quot;dir,x:y/cat.yaml:3:4: error: evil &lt;/failure&gt;"
				       "&lt;x a=&apos;1&apos;&gt;&amp;amp;&#10;::error"));
	CU_ASSERT_PTR_NULL(strchr(buf, '\x01'));
	free(buf);

	o = th_opts(DC_OUTPUT_GITHUB);
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	/* one workflow command line, then the summary: the message's line
	 * breaks are data, its "::error" cannot start a command */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "::error file=we<ird>&\"dir%2Cx%3Ay/cat.yaml,line=3,col=4,"
				       "title=depcheck tier::evil </failure><x a='1'>&amp;%0A::error file=x::pwned"
				       "%0D%0A%250A\x01 done\ndepcheck check failed"));
	{
		size_t lines = 0;
		const char *s;
		for (s = buf; *s; s++)
			lines += *s == '\n';
		CU_ASSERT_EQUAL(lines, 2);
	}
	free(buf);
	dc_violations_free(v);
}

static void test_invalid(void)
{
	dc_violations *v;
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options o = th_opts(DC_OUTPUT_DOT);
	char *buf = NULL;
	int rc;
	dc_violations_new(&v);
	r.v = v;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	o.format = DC_OUTPUT_TEXT;
	o.version = 99;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	o.version = 1;
	r.version = 0;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	r.version = DC_VIOLATIONS_REPORT_VERSION;
	r.v = NULL;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	r.v = v;
	TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, NULL));   /* NULL options: text */
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "check passed"));
	free(buf);
	CU_ASSERT_EQUAL(dc_write_violations(NULL, &r, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_diff(stdout, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_reconcile(stdout, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_plan(stdout, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_availability(stdout, NULL, NULL), DC_EINVALID);
	dc_violations_free(v);
}

/* ---- reconcile ----------------------------------------------------------------------- */

static void test_reconcile(void)
{
	dc_catalog *cat;
	dc_diags *dg;
	dc_graph *g;
	dc_observed *obs;
	dc_reconcile *rc_ = NULL;
	dc_reconcile_report rep = DC_RECONCILE_REPORT_INIT;
	dc_observed_options oo = DC_OBSERVED_OPTIONS_INIT;
	dc_output_options o;
	const char *files[] = { "calls.csv" };
	const char *csv = "caller,callee,calls\nweb,api,10\nweb,db,3\napi,ghost,1\n";
	char *buf = NULL;
	int rc;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &dg, "c.yaml",
		"services:\n  - { name: web, depends_on: [api] }\n  - { name: api, depends_on: [db] }\n"
		"  - { name: db }\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	dc_observed_new(&obs);
	CU_ASSERT_EQUAL_FATAL(dc_observed_parse_csv(obs, "calls.csv", csv, strlen(csv), &oo, dg), 0);
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_compute(&rc_, g, obs, NULL), 0);
	rep.r = rc_;
	rep.g = g;
	rep.observed.files = files;
	rep.observed.nfiles = 1;
	rep.observed.observed = obs;
	rep.observed.min_calls = 1;

	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(buf, rc, dc_write_reconcile(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Observed: 3 call edges in 1 file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "! web -> db  3 calls  calls.csv:3:1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "! api -> ghost  1 call, unknown service"));
	free(buf);

	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_reconcile(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"observed\": {\"files\": [\"calls.csv\"], \"edges\": 3, \"min_calls\": 1}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"callee\": \"db\", \"callee_known\": true, \"calls\": 3"));
	free(buf);

	/* as findings: check's formats, error level, the gate failed */
	o = th_opts(DC_OUTPUT_GITHUB);
	TH_CAPTURE(buf, rc, dc_write_reconcile(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "::error file=c.yaml,line=2,col=13,title=depcheck undeclared-dependency::'web' calls 'db'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "depcheck reconcile failed: 2 errors, 0 warnings\n"));
	free(buf);
	o = th_opts(DC_OUTPUT_SARIF);
	TH_CAPTURE(buf, rc, dc_write_reconcile(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ruleId\": \"undeclared-dependency\""));
	free(buf);
	o = th_opts(DC_OUTPUT_JUNIT);   /* reconcile has no JUnit */
	TH_CAPTURE(buf, rc, dc_write_reconcile(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);

	dc_reconcile_free(rc_);
	dc_observed_free(obs);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(dg);
}

/* ---- diff ---------------------------------------------------------------------------- */

static void test_diff(void)
{
	dc_catalog *cb, *ch;
	dc_diags *db, *dh;
	dc_graph *gb, *gh;
	dc_diff *d = NULL;
	dc_policy *p = NULL;
	dc_violations *added, *fixed;
	dc_diff_report rep = DC_DIFF_REPORT_INIT;
	dc_output_options o;
	const char *bp[] = { "base.yaml" }, *hp[] = { "head.yaml", "more.yaml" };
	char *buf = NULL;
	int rc;
	CU_ASSERT_EQUAL_FATAL(th_load(&cb, &db, "base.yaml",
		"services:\n  - { name: web, owner: o, url: \"https://a/web\", depends_on: [api] }\n"
		"  - { name: api, owner: o }\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(th_load(&ch, &dh, "head.yaml",
		"services:\n  - { name: web, owner: o, url: \"https://b/web\", depends_on: [api] }\n"
		"  - { name: api, depends_on: [web] }\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&gb, cb), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&gh, ch), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diff_compute(&d, gb, gh, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_policy_default(&p), 0);
	dc_violations_new(&added);
	dc_violations_new(&fixed);
	CU_ASSERT_EQUAL(dc_diff_check(d, p, added, fixed), 0);
	rep.d = d;
	rep.base_paths = bp;
	rep.nbase = 1;
	rep.head_paths = hp;
	rep.nhead = 2;
	rep.added = added;
	rep.fixed = fixed;
	rep.risk = dc_diff_gate(d, added);
	CU_ASSERT_TRUE(rep.risk);   /* a new cycle */

	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(buf, rc, dc_write_diff(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "base base.yaml: 2 services, 1 dependency\n"
				       "head head.yaml (+1 more path): 2 services, 2 dependencies\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "~ web: entrypoint yes -> no; url \"https://a/web\" -> \"https://b/web\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "~ api: owner \"o\" -> -\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "New violations ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, ": risk increased\n"));
	free(buf);

	/* the writer prints the decision it is given */
	rep.risk = 0;
	TH_CAPTURE(buf, rc, dc_write_diff(fp, &rep, &o));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, ": no added risk\n"));
	free(buf);
	/* no policy ran: no violation sections */
	rep.added = rep.fixed = NULL;
	TH_CAPTURE(buf, rc, dc_write_diff(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(buf, "New violations"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "violations +0 -0"));
	free(buf);
	rep.added = added;
	rep.fixed = fixed;
	rep.risk = 1;

	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_diff(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"field\": \"url\", \"base\": \"https://a/web\", \"head\": \"https://b/web\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"paths\": [\"head.yaml\", \"more.yaml\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"risk_increased\": true"));
	free(buf);
	o = th_opts(DC_OUTPUT_SVG);   /* the map is dc_diff_render's */
	TH_CAPTURE(buf, rc, dc_write_diff(fp, &rep, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);

	dc_violations_free(added);
	dc_violations_free(fixed);
	dc_policy_free(p);
	dc_diff_free(d);
	dc_graph_free(gb);
	dc_graph_free(gh);
	dc_catalog_free(cb);
	dc_catalog_free(ch);
	dc_diags_free(db);
	dc_diags_free(dh);
}

/* ---- availability and plan ---------------------------------------------------------- */

static void test_availability_plan(void)
{
	dc_catalog *cat;
	dc_diags *dg;
	dc_graph *g;
	dc_availability *a = NULL;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability_report ar = DC_AVAILABILITY_REPORT_INIT;
	dc_plan *p = NULL;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	dc_plan_report pr = DC_PLAN_REPORT_INIT;
	dc_output_options o;
	dc_id rows[8];
	size_t nmiss = 0;
	char *buf = NULL;
	int rc;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &dg, "c.yaml",
		"services:\n  - { name: web, entrypoint: true, slo: 0.9999, availability: 0.999, depends_on: [db] }\n"
		"  - { name: db, availability: 0.99 }\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&a, g, &ao), 0);
	CU_ASSERT_EQUAL_FATAL(dc_availability_rank(a, g, rows, &nmiss, NULL), 0);
	CU_ASSERT_EQUAL(nmiss, 1);
	ar.a = a;
	ar.g = g;
	ar.options = &ao;
	ar.rows = rows;
	ar.nrows = 2;
	ar.nmiss = nmiss;
	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(buf, rc, dc_write_availability(fp, &ar, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "2 services, 1 entrypoint: 2 exact, 0 by Monte Carlo\n1 SLO miss\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "SLO misses (1)\n  web "));
	free(buf);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_availability(fp, &ar, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"slo_misses\": 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"meets_slo\": false"));
	free(buf);
	ar.nmiss = 3;   /* more misses than rows */
	TH_CAPTURE(buf, rc, dc_write_availability(fp, &ar, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);

	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, g, &po), 0);
	pr.plan = p;
	pr.g = g;
	pr.rollback = 1;
	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &pr, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Deployment plan (providers-first): 2 services in 2 waves\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Rollback (reverse order)"));
	free(buf);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &pr, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"waves\": [\n    [\"db\"],\n    [\"web\"]\n  ]"));
	free(buf);
	o = th_opts(DC_OUTPUT_DOT);
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &pr, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);

	dc_plan_free(p);
	dc_availability_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(dg);
}

int suite_output_policy(void)
{
	static const th_test tests[] = {
		{ "violations: rules of external findings", test_external_rule },
		{ "violations: the gate is printed, not decided", test_gate },
		{ "violations: escaping in sarif, junit, github", test_escaping },
		{ "invalid arguments", test_invalid },
		{ "reconcile", test_reconcile },
		{ "diff", test_diff },
		{ "availability and plan", test_availability_plan },
		{ NULL, NULL }
	};
	return th_suite("output_policy", tests);
}
