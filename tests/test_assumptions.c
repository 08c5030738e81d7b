/*
 * test_assumptions.c - what an answer assumes (dc_catalog_assumptions,
 * dc_assumptions_statement, the writers' "assumed:" line and JSON key) and
 * the rule that no finding follows from defaults alone: timeout budget
 * (the caller's timeout must be written), retry amplification (only
 * written retries multiply), availability against an SLO (a service whose
 * DOWN state rests on default availabilities only is unknown, not a miss).
 * Small hand-made catalogs, each with its defaults-only twin.
 */
#include "helpers.h"

#include <stdlib.h>

static int load(dc_catalog **cat, dc_diags **diags, dc_graph **g, const char *name, const char *text)
{
	int rc = th_load(cat, diags, name, text, DC_FORMAT_AUTO);
	if (rc == 0)
		rc = dc_graph_new(g, *cat);
	return rc;
}

static void unload(dc_catalog *cat, dc_diags *diags, dc_graph *g)
{
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* every statement of a, joined by "; " */
static void statements(const dc_assumptions *a, char *buf, size_t size)
{
	char one[200];
	size_t i, len;
	buf[0] = '\0';
	for (i = 0; (len = dc_assumptions_statement(a, i, one, sizeof(one))) > 0; i++) {
		CU_ASSERT_EQUAL(len, strlen(one));
		if (i)
			strncat(buf, "; ", size - strlen(buf) - 1);
		strncat(buf, one, size - strlen(buf) - 1);
	}
}

/* ---- counting ------------------------------------------------------------------- */

static const char *mixed_yaml =
	"defaults: { availability: 0.99 }\n"
	"services:\n"
	"  - name: web\n"
	"    entrypoint: true\n"
	"    availability: 0.9999\n"
	"    latency_ms: 5\n"
	"    depends_on:\n"
	"      - { service: api, timeout_ms: 300 }\n"
	"      - { service: ads, kind: soft, retries: 1 }\n"
	"  - name: api\n"
	"    depends_on: [db]\n"
	"  - name: db\n"
	"  - name: ads\n"
	"  - name: batch\n"            /* nothing depends on it: an entrypoint */
	"    depends_on: [db]\n";

static void test_counts(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_assumptions a = DC_ASSUMPTIONS_INIT;
	char buf[1000], one[8];
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "m.yaml", mixed_yaml), 0);
	CU_ASSERT_EQUAL(dc_catalog_assumptions(NULL, g, 0), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_catalog_assumptions(&a, NULL, 0), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_catalog_assumptions(&a, g, 1u << 10), DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&a, g, 0), 0);
	CU_ASSERT_EQUAL(a.topics, DC_ASSUME_ALL);
	CU_ASSERT_EQUAL(a.services, 5);
	CU_ASSERT_EQUAL(a.availability_default, 4);        /* all but web; defaults: 0.99 */
	CU_ASSERT_DOUBLE_EQUAL(a.availability_value, 0.99, 1e-12);
	CU_ASSERT_EQUAL(a.latency_default, 4);
	CU_ASSERT_DOUBLE_EQUAL(a.latency_value, 0, 1e-12);
	CU_ASSERT_EQUAL(a.dependencies, 4);
	CU_ASSERT_EQUAL(a.timeout_default, 3);             /* web -> api is written */
	CU_ASSERT_EQUAL(a.retries_default, 3);             /* web -> ads is written */
	CU_ASSERT_EQUAL(a.start_order, 0);
	CU_ASSERT_EQUAL(a.inferred, 0);
	CU_ASSERT_EQUAL(a.entrypoints, 2);
	CU_ASSERT_EQUAL(a.entrypoints_declared, 1);
	CU_ASSERT_EQUAL(a.entrypoints_unreferenced, 1);
	statements(&a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "4 of 5 availabilities are the default 0.99; "
				    "4 of 5 latencies are the default 0 ms; "
				    "3 of 4 timeouts are the default 1000 ms; "
				    "3 of 4 retry counts are the default 0; "
				    "entrypoints: 1 declared, 1 because nothing depends on them");
	/* out of range, and a buffer too small: snprintf's contract */
	CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 5, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 0, one, sizeof(one)), strlen("4 of 5 availabilities are the default 0.99"));
	CU_ASSERT_EQUAL(strlen(one), sizeof(one) - 1);
	CU_ASSERT_EQUAL(strncmp(one, "4 of 5 availabilities", sizeof(one) - 1), 0);
	CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 0, NULL, 0), strlen("4 of 5 availabilities are the default 0.99"));
	CU_ASSERT_EQUAL(dc_assumptions_statement(NULL, 0, buf, sizeof(buf)), 0);
	/* topics pick the statements */
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&a, g, DC_ASSUME_AVAILABILITY | DC_ASSUME_EDGES), 0);
	statements(&a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "4 of 5 availabilities are the default 0.99");
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&a, g, DC_ASSUME_EDGES), 0);
	CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 0, buf, sizeof(buf)), 0); /* nothing assumed */
	unload(cat, diags, g);
}

/* A catalog that writes everything assumes nothing. */
static void test_nothing_assumed(void)
{
	static const char *yaml =
		"services:\n"
		"  - name: web\n"
		"    entrypoint: true\n"
		"    availability: 0.999\n"
		"    latency_ms: 1\n"
		"    depends_on: [{ service: db, timeout_ms: 100, retries: 0 }]\n"
		"  - name: db\n"
		"    entrypoint: false\n"
		"    availability: 0.9999\n"
		"    latency_ms: 2\n";
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_assumptions a = DC_ASSUMPTIONS_INIT;
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "w.yaml", yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&a, g, 0), 0);
	CU_ASSERT_EQUAL(a.availability_default + a.latency_default + a.timeout_default + a.retries_default, 0);
	CU_ASSERT_DOUBLE_EQUAL(a.availability_value, -1, 0);  /* none defaulted: no value */
	CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 0, NULL, 0), 0);
	unload(cat, diags, g);
}

/* Compose: depends_on is start order, read as a runtime dependency; an
 * address in the environment is an inferred edge; the collector is soft. */
static void test_compose(void)
{
	static const char *yaml =
		"services:\n"
		"  frontend:\n"
		"    image: shop/frontend\n"
		"    depends_on: [cart, otel-collector]\n"
		"    environment:\n"
		"      CATALOG_ADDR: catalog:8080\n"
		"  cart:\n"
		"    image: shop/cart\n"
		"  catalog:\n"
		"    image: shop/catalog\n"
		"  otel-collector:\n"
		"    image: otel/opentelemetry-collector-contrib\n";
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_assumptions a = DC_ASSUMPTIONS_INIT;
	char buf[1000];
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "compose.yaml", yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&a, g, DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS), 0);
	CU_ASSERT_EQUAL(a.dependencies, 3);
	CU_ASSERT_EQUAL(a.start_order, 2);     /* frontend -> cart, frontend -> otel-collector */
	CU_ASSERT_EQUAL(a.inferred, 1);        /* frontend -> catalog (CATALOG_ADDR) */
	CU_ASSERT_EQUAL(a.telemetry_soft, 1);  /* frontend -> otel-collector */
	CU_ASSERT_EQUAL(a.entrypoints, 1);
	CU_ASSERT_EQUAL(a.entrypoints_unreferenced, 1);
	CU_ASSERT_EQUAL(a.internal, 4);
	statements(&a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2 edges read from Compose depends_on (start order) as runtime dependencies; "
				    "1 of 3 edges inferred from environment values, not declared; "
				    "1 edge to or from telemetry sinks read as soft; "
				    "entrypoints: services nothing depends on (1 of 4)");
	/* one start-order edge: singular throughout */
	a.start_order = 1;
	CU_ASSERT(dc_assumptions_statement(&a, 0, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "1 edge read from Compose depends_on (start order) as a runtime dependency");
	unload(cat, diags, g);
}

/* ---- findings need a written value ------------------------------------------------ */

/* api may wait 1000 ms (default) for db; web gives it 200 ms. With the
 * timeout on web -> api left at the default (1000 <= 1000 + 0), the
 * comparison is not judged; written, it is a violation. */
static const char *timeout_default_yaml =
	"services:\n"
	"  - name: web\n"
	"    depends_on: [api]\n"
	"  - name: api\n"
	"    depends_on: [db]\n"
	"  - name: db\n";
static const char *timeout_written_yaml =
	"services:\n"
	"  - name: web\n"
	"    depends_on: [{ service: api, timeout_ms: 200 }]\n"
	"  - name: api\n"
	"    depends_on: [db]\n"
	"  - name: db\n";

static void test_timeout_budget(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *a;
	const dc_timeout_violation *tv;
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "d.yaml", timeout_default_yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_timeout_violations(a, &tv), 0);
	CU_ASSERT_EQUAL(dc_analysis_timeout_default_count(a), 1);   /* web -> api: 1000 <= 1000 */
	dc_analysis_free(a);
	unload(cat, diags, g);

	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "w.yaml", timeout_written_yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_timeout_violations(a, &tv), 1);
	CU_ASSERT_EQUAL(dc_dep_from(cat, tv[0].dep), th_id(cat, "web"));
	CU_ASSERT_DOUBLE_EQUAL(tv[0].timeout_ms, 200, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(tv[0].needed_ms, 1000, 1e-9);   /* the callee's need may rest on defaults */
	CU_ASSERT_EQUAL(dc_analysis_timeout_default_count(a), 0);
	dc_analysis_free(a);
	unload(cat, diags, g);
}

/* retries from `defaults:` multiply nothing; a written one does */
static void test_amplification(void)
{
	static const char *defaults_yaml =
		"defaults: { retries: 3 }\n"
		"services:\n"
		"  - name: web\n"
		"    depends_on: [api]\n"
		"  - name: api\n"
		"    depends_on: [db]\n"
		"  - name: db\n"
		"    depends_on: [api]\n";  /* a cycle of default retries: not unbounded */
	static const char *written_yaml =
		"defaults: { retries: 3 }\n"
		"services:\n"
		"  - name: web\n"
		"    depends_on: [{ service: api, retries: 2 }]\n"
		"  - name: api\n"
		"    depends_on: [db]\n"
		"  - name: db\n";
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *a;
	const dc_amplification *amp;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "d.yaml", defaults_yaml), 0);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, th_dep_of(cat, "web", "api")), 3); /* the default applies */
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_amplification(a, &amp), 0);
	dc_analysis_free(a);
	unload(cat, diags, g);

	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "w.yaml", written_yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	n = dc_analysis_amplification(a, &amp);
	CU_ASSERT_EQUAL_FATAL(n, 2);   /* api x3, db x3: api -> db's default 3 counts as 0 */
	CU_ASSERT_EQUAL(amp[0].service, th_id(cat, "api"));
	CU_ASSERT_DOUBLE_EQUAL(amp[0].factor, 3, 1e-12);
	CU_ASSERT_EQUAL(amp[1].service, th_id(cat, "db"));
	CU_ASSERT_DOUBLE_EQUAL(amp[1].factor, 3, 1e-12);
	dc_analysis_free(a);
	unload(cat, diags, g);
}

/* web's SLO 0.9999 with everything at the default 0.999: below it, on
 * defaults only (unknown); one written availability in its hard closure
 * makes it a miss; a written one behind a soft edge does not. */
static void test_slo(void)
{
	static const char *const yaml[3] = {
		"services:\n"
		"  - { name: web, slo: 0.9999, depends_on: [api, {service: ads, kind: soft}] }\n"
		"  - { name: api }\n"
		"  - { name: ads }\n",
		"services:\n"
		"  - { name: web, slo: 0.9999, depends_on: [api, {service: ads, kind: soft}] }\n"
		"  - { name: api }\n"
		"  - { name: ads, availability: 0.9 }\n",
		"services:\n"
		"  - { name: web, slo: 0.9999, depends_on: [api, {service: ads, kind: soft}] }\n"
		"  - { name: api, availability: 0.9995 }\n"
		"  - { name: ads }\n",
	};
	static const int miss[3] = { 0, 0, 1 };
	int k;
	for (k = 0; k < 3; k++) {
		dc_catalog *cat;
		dc_diags *diags;
		dc_graph *g;
		dc_availability *av;
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_id web, rows[3];
		size_t nmiss, nslo;
		o.threads = 1;
		CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "s.yaml", yaml[k]), 0);
		CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&av, g, &o), 0);
		web = th_id(cat, "web");
		CU_ASSERT_TRUE(dc_availability_of(av, web)->availability < 0.9999);
		CU_ASSERT_EQUAL(dc_availability_on_defaults(av, web), !miss[k]);
		CU_ASSERT_EQUAL(dc_availability_misses_slo(av, g, web), miss[k]);
		CU_ASSERT_EQUAL(dc_availability_slo_unknown(av, g, web), !miss[k]);
		CU_ASSERT_EQUAL(dc_availability_gate(av, g), miss[k]);
		CU_ASSERT_EQUAL_FATAL(dc_availability_rank(av, g, rows, &nmiss, &nslo), 0);
		CU_ASSERT_EQUAL(nmiss, (size_t)miss[k]);
		CU_ASSERT_EQUAL(nslo, 1);
		CU_ASSERT_EQUAL(rows[0], web);   /* a miss or an unknown: first either way */
		CU_ASSERT_EQUAL(dc_availability_on_defaults(av, 99), 0);
		dc_availability_free(av);
		unload(cat, diags, g);
	}
}

/* check: timeout-budget and min-availability find nothing on defaults alone */
static void test_check_rules(void)
{
	static const char *policy = "depcheck-policy: 1\nrules:\n  timeout-budget: error\n  min-availability: { severity: error, min: 0.99999 }\n";
	static const char *const yaml[2] = {
		"services:\n"
		"  - { name: web, depends_on: [api] }\n"
		"  - { name: api, depends_on: [db] }\n"
		"  - { name: db }\n",
		"services:\n"
		"  - { name: web, availability: 0.999, depends_on: [{ service: api, timeout_ms: 200 }] }\n"
		"  - { name: api, depends_on: [db] }\n"
		"  - { name: db }\n",
	};
	int k;
	for (k = 0; k < 2; k++) {
		dc_catalog *cat;
		dc_diags *diags;
		dc_graph *g;
		dc_policy *p = NULL;
		dc_violations *v = NULL;
		size_t i, nt = 0, na = 0;
		CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "c.yaml", yaml[k]), 0);
		CU_ASSERT_EQUAL_FATAL(dc_policy_parse(&p, "p.yaml", policy, strlen(policy), diags), 0);
		CU_ASSERT_EQUAL_FATAL(dc_violations_new(&v), 0);
		CU_ASSERT_EQUAL_FATAL(dc_check(v, g, NULL, p, NULL), 0);
		for (i = 0; i < dc_violations_count(v); i++) {
			const dc_violation *x = dc_violations_get(v, i);
			nt += !strcmp(x->rule, "timeout-budget");
			na += !strcmp(x->rule, "min-availability");
		}
		CU_ASSERT_EQUAL(nt, (size_t)k);
		CU_ASSERT_EQUAL(na, (size_t)k);
		dc_violations_free(v);
		dc_policy_free(p);
		unload(cat, diags, g);
	}
}

/* ---- the writers -------------------------------------------------------------------- */

static void test_writers(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *a;
	dc_assumptions as = DC_ASSUMPTIONS_INIT;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	char *out;
	int rc;
	CU_ASSERT_EQUAL_FATAL(load(&cat, &diags, &g, "m.yaml", mixed_yaml), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_assumptions(&as, g, DC_ASSUME_TIMEOUTS | DC_ASSUME_ENTRYPOINTS), 0);
	/* none given: nothing said */
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 0, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "assumed:"));
	free(out);
	o.assumptions = &as;
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 0, &o));
	CU_ASSERT_EQUAL(rc, 0);
	/* wrapped at a statement past 100 columns */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nassumed: 3 of 4 timeouts are the default 1000 ms;\n"
					   "         entrypoints: 1 declared, 1 because nothing depends on them\n"));
	free(out);
	o.quiet = 1;
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 0, &o));
	CU_ASSERT_PTR_NULL(strstr(out, "assumed:"));
	free(out);
	/* a version-2 struct ends before the field */
	o.quiet = 0;
	o.version = 2;
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 0, &o));
	CU_ASSERT_PTR_NULL(strstr(out, "assumed:"));
	free(out);
	o.version = DC_OUTPUT_OPTIONS_VERSION;
	o.format = DC_OUTPUT_JSON;
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 0, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"timeouts_ms\": {\"defaulted\": 3, \"of\": 4, \"default\": 1000}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"entrypoints\": {\"total\": 2, \"declared\": 1, \"nothing_depends_on\": 1, "
					   "\"of\": 5}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"statements\": [\n      \"3 of 4 timeouts are the default 1000 ms\",\n"));
	free(out);
	dc_analysis_free(a);
	unload(cat, diags, g);
}

int suite_assumptions(void)
{
	static const th_test tests[] = {
		{ "counts and statements", test_counts },
		{ "a catalog that writes everything", test_nothing_assumed },
		{ "Compose start order, inferred and telemetry edges", test_compose },
		{ "timeout budget needs a written timeout", test_timeout_budget },
		{ "amplification needs written retries", test_amplification },
		{ "SLO below on defaults only is unknown", test_slo },
		{ "check rules on defaults", test_check_rules },
		{ "writers state the assumptions", test_writers },
		{ NULL, NULL }
	};
	return th_suite("assumptions", tests);
}
