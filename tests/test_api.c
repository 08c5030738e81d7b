/*
 * test_api.c - the conventions every public header follows, checked for
 * every function at once rather than module by module:
 *  - options structs: each has an _INIT macro giving the current version,
 *    and each function taking one accepts versions 1 .. current and refuses
 *    0 and current + 1 with DC_EINVALID (one table row per function);
 *  - accessors taking a service id or an index give NULL / 0 (or the
 *    documented "none" value) for DC_NO_ID and for count + 1, never a read
 *    out of bounds (run under ASan, DC_SANITIZE=ON, to see one).
 */
#include "helpers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* web -> api -> db (hard), web ~> cache (soft), api -> db again through
 * an any_of group with cache; an SLO, zones and tags so that every
 * accessor has something to return */
static const char cat_text[] =
	"depcheck: 1\n"
	"services:\n"
	"  - name: web\n"
	"    entrypoint: true\n"
	"    slo: 0.99\n"
	"    zones: [eu-a]\n"
	"    tags: [http]\n"
	"    depends_on:\n"
	"      - service: api\n"
	"        timeout_ms: 100\n"
	"      - service: cache\n"
	"        kind: soft\n"
	"  - name: api\n"
	"    latency_ms: 5\n"
	"    depends_on:\n"
	"      - db\n"
	"  - name: db\n"
	"    availability: 0.999\n"
	"  - name: cache\n";

static const char calls_csv[] = "caller,callee,calls\nweb,api,10\napi,db,3\napi,mystery,2\n";

/* what the rows below run on */
static struct {
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_policy *policy;
	dc_observed *obs;
	dc_analysis *an;
	dc_blast *blast;
	dc_plan *plan;
	dc_violations *viol;
	dc_reconcile *rec;
	dc_diff *diff;
	dc_availability *av;
	dc_id web, db;
	FILE *sink;
} fx;

static int fx_setup(void)
{
	memset(&fx, 0, sizeof(fx));
	if (th_load(&fx.cat, &fx.diags, "api.yaml", cat_text, DC_FORMAT_AUTO) ||
	    dc_graph_new(&fx.g, fx.cat) || dc_policy_default(&fx.policy) || dc_observed_new(&fx.obs) ||
	    dc_observed_parse(fx.obs, "calls.csv", calls_csv, strlen(calls_csv), NULL, fx.diags) ||
	    dc_analyze(&fx.an, fx.g, NULL) || dc_blast_compute(&fx.blast, fx.g) ||
	    dc_plan_compute(&fx.plan, fx.g, NULL) || dc_violations_new(&fx.viol) ||
	    dc_check(fx.viol, fx.g, fx.an, fx.policy, NULL) ||
	    dc_reconcile_compute(&fx.rec, fx.g, fx.obs, NULL) || dc_diff_compute(&fx.diff, fx.g, fx.g, NULL))
		return -1;
	{
		dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
		ao.threads = 1;
		if (dc_availability_compute(&fx.av, fx.g, &ao))
			return -1;
	}
	fx.web = th_id(fx.cat, "web");
	fx.db = th_id(fx.cat, "db");
	fx.sink = fopen("/dev/null", "w");
	return fx.web == DC_NO_ID || fx.db == DC_NO_ID || !fx.sink ? -1 : 0;
}

static void fx_teardown(void)
{
	dc_availability_free(fx.av);
	dc_diff_free(fx.diff);
	dc_reconcile_free(fx.rec);
	dc_violations_free(fx.viol);
	dc_plan_free(fx.plan);
	dc_blast_free(fx.blast);
	dc_analysis_free(fx.an);
	dc_observed_free(fx.obs);
	dc_policy_free(fx.policy);
	dc_graph_free(fx.g);
	dc_catalog_free(fx.cat);
	dc_diags_free(fx.diags);
	if (fx.sink)
		fclose(fx.sink);
	memset(&fx, 0, sizeof(fx));
}

/* ---- options versions -------------------------------------------------------
 * One row per function taking an options struct (or a versioned report
 * struct): `call` runs it with the struct at `version` (everything else
 * from the _INIT macro) and returns its status; a status of 0 must come
 * with a result (checked inside). */

typedef struct {
	const char *name;
	unsigned current;     /* the struct's *_VERSION */
	unsigned init;        /* the version its _INIT macro sets */
	int (*call)(unsigned version);
} versioned;

static int load_buffer(unsigned v)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	int rc;
	o.version = v;
	dc_catalog_new(&cat);
	rc = dc_catalog_add_buffer(cat, "api.yaml", cat_text, strlen(cat_text), &o, fx.diags);
	if (!rc) {
		CU_ASSERT_EQUAL(dc_catalog_finalize(cat, fx.diags), 0);
		CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 4);
	}
	dc_catalog_free(cat);
	return rc;
}

static int load_path(unsigned v)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	int rc;
	o.version = v;
	dc_catalog_new(&cat);
	rc = dc_catalog_add_path(cat, DC_TESTDATA "/catalogs/small", &o, fx.diags);
	if (!rc) {
		CU_ASSERT_EQUAL(dc_catalog_finalize(cat, fx.diags), 0);
		CU_ASSERT(dc_catalog_service_count(cat) > 0);
	}
	dc_catalog_free(cat);
	return rc;
}

static int load_paths(unsigned v)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	const char *paths[] = { DC_TESTDATA "/catalogs/small" };
	dc_catalog *cat = NULL;
	int rc;
	o.version = v;
	rc = dc_catalog_load(&cat, paths, 1, &o, fx.diags);
	if (!rc) {
		CU_ASSERT(dc_catalog_service_count(cat) > 0);
	} else {
		CU_ASSERT_PTR_NULL(cat);
	}
	dc_catalog_free(cat);
	return rc;
}

static int analyze(unsigned v)
{
	dc_analyze_options o = DC_ANALYZE_OPTIONS_INIT;
	dc_analysis *a = NULL;
	int rc;
	o.version = v;
	rc = dc_analyze(&a, fx.g, &o);
	CU_ASSERT_EQUAL(a != NULL, rc == 0);
	if (a)
		CU_ASSERT_EQUAL(dc_analysis_entrypoint_count(a), 1);
	dc_analysis_free(a);
	return rc;
}

static int availability(unsigned v)
{
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability *a = NULL;
	int rc;
	o.version = v;
	o.threads = 1;
	rc = dc_availability_compute(&a, fx.g, &o);
	CU_ASSERT_EQUAL(a != NULL, rc == 0);
	if (a)
		CU_ASSERT_PTR_NOT_NULL(dc_availability_of(a, fx.db));
	dc_availability_free(a);
	return rc;
}

static int blast(unsigned v)
{
	dc_blast_options o = DC_BLAST_OPTIONS_INIT;
	dc_blast *b = NULL;
	int rc;
	o.version = v;
	rc = dc_blast_compute_ex(&b, fx.g, &o);
	CU_ASSERT_EQUAL(b != NULL, rc == 0);
	if (b)
		CU_ASSERT_EQUAL(dc_blast_down(b, fx.db), 2); /* api, web */
	dc_blast_free(b);
	return rc;
}

static int check(unsigned v)
{
	dc_check_options o = DC_CHECK_OPTIONS_INIT;
	dc_violations *out;
	int rc;
	o.version = v;
	o.observed = fx.obs;
	dc_violations_new(&out);
	rc = dc_check(out, fx.g, fx.an, fx.policy, &o);
	if (rc)
		CU_ASSERT_EQUAL(dc_violations_count(out), 0);
	dc_violations_free(out);
	return rc;
}

static int diff(unsigned v)
{
	dc_diff_options o = DC_DIFF_OPTIONS_INIT;
	dc_diff *d = NULL;
	int rc;
	o.version = v;
	rc = dc_diff_compute(&d, fx.g, fx.g, &o);
	CU_ASSERT_EQUAL(d != NULL, rc == 0);
	if (d)
		CU_ASSERT(dc_diff_is_empty(d));
	dc_diff_free(d);
	return rc;
}

static int paths(unsigned v)
{
	dc_paths_options o = DC_PATHS_OPTIONS_INIT;
	dc_paths *p = NULL;
	int rc;
	o.version = v;
	rc = dc_paths_find(&p, fx.g, fx.web, fx.db, &o);
	CU_ASSERT_EQUAL(p != NULL, rc == 0);
	if (p)
		CU_ASSERT_EQUAL(dc_paths_count(p), 1);
	dc_paths_free(p);
	return rc;
}

static int plan(unsigned v)
{
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	dc_plan *p = NULL;
	int rc;
	o.version = v;
	rc = dc_plan_compute(&p, fx.g, &o);
	CU_ASSERT_EQUAL(p != NULL, rc == 0);
	if (p)
		CU_ASSERT_EQUAL(dc_plan_service_count(p), 4);
	dc_plan_free(p);
	return rc;
}

/* the four observed parsers take the same options */
static int observed_with(unsigned v, int which)
{
	dc_observed_options o = DC_OBSERVED_OPTIONS_INIT;
	dc_observed *obs;
	int rc;
	o.version = v;
	dc_observed_new(&obs);
	switch (which) {
	case 0: rc = dc_observed_parse(obs, "c.csv", calls_csv, strlen(calls_csv), &o, fx.diags); break;
	case 1: rc = dc_observed_parse_csv(obs, "c.csv", calls_csv, strlen(calls_csv), &o, fx.diags); break;
	case 2: {
		static const char j[] = "[{\"parent\": \"web\", \"child\": \"api\", \"callCount\": 3}]";
		rc = dc_observed_parse_jaeger(obs, "j.json", j, strlen(j), &o, fx.diags);
		break;
	}
	default: rc = dc_observed_add_file(obs, DC_TESTDATA "/reconcile/streaming-calls.csv", &o, fx.diags);
	}
	if (!rc) {
		CU_ASSERT(dc_observed_count(obs) > 0);
	} else {
		CU_ASSERT_EQUAL(dc_observed_count(obs), 0);
	}
	dc_observed_free(obs);
	return rc;
}
static int observed_parse(unsigned v) { return observed_with(v, 0); }
static int observed_csv(unsigned v) { return observed_with(v, 1); }
static int observed_jaeger(unsigned v) { return observed_with(v, 2); }
static int observed_file(unsigned v) { return observed_with(v, 3); }

/* a fresh catalog (not finalized) takes the observations; it is freed here */
static int catalog_observed(unsigned v)
{
	dc_catalog_observed_options o = DC_CATALOG_OBSERVED_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	int rc;
	o.version = v;
	if (dc_catalog_new(&cat))
		return DC_ENOMEM;
	rc = dc_catalog_add_observed(cat, fx.obs, &o);
	dc_catalog_free(cat);
	return rc;
}

static int reconcile(unsigned v)
{
	dc_reconcile_options o = DC_RECONCILE_OPTIONS_INIT;
	dc_reconcile *r = NULL;
	int rc;
	o.version = v;
	rc = dc_reconcile_compute(&r, fx.g, fx.obs, &o);
	CU_ASSERT_EQUAL(r != NULL, rc == 0);
	if (r) {
		const dc_undeclared *u;
		CU_ASSERT_EQUAL(dc_reconcile_undeclared(r, &u), 1); /* api -> mystery */
	}
	dc_reconcile_free(r);
	return rc;
}

static int render(unsigned v)
{
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	o.version = v;
	rc = dc_render(fx.g, &o, DC_OUTPUT_DOT, mem, NULL, NULL);
	fclose(mem);
	if (!rc)
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "digraph"));
	free(buf);
	return rc;
}

static int overload(unsigned v)
{
	dc_overload_options o = DC_OVERLOAD_OPTIONS_INIT;
	dc_overload *l = NULL;
	int rc;
	o.version = v;
	rc = dc_overload_run(&l, fx.g, NULL, &o);
	CU_ASSERT_EQUAL(l != NULL, rc == 0);
	if (l)
		CU_ASSERT_EQUAL(dc_overload_metastable(l), -1);
	dc_overload_free(l);
	return rc;
}

static int overload_risks(unsigned v)
{
	dc_overload_risk_options o = DC_OVERLOAD_RISK_OPTIONS_INIT;
	dc_overload_risks *r = NULL;
	int rc;
	o.version = v;
	rc = dc_overload_risks_compute(&r, fx.g, &o);
	CU_ASSERT_EQUAL(r != NULL, rc == 0);
	dc_overload_risks_free(r);
	return rc;
}

static int report(unsigned v)
{
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_report_data *d = NULL;
	int rc;
	o.version = v;
	o.map_max_nodes = 1; /* no layout: not what this checks */
	rc = dc_report_compute(&d, fx.g, &o);
	CU_ASSERT_EQUAL(d != NULL, rc == 0);
	dc_report_data_free(d);
	return rc;
}

/* a report with availability options nested: their version is checked too */
static int report_availability(unsigned v)
{
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_report_data *d = NULL;
	int rc;
	ao.version = v;
	ao.threads = 1;
	o.map_max_nodes = 1;
	o.availability = &ao;
	rc = dc_report_compute(&d, fx.g, &o);
	CU_ASSERT_EQUAL(d != NULL, rc == 0);
	dc_report_data_free(d);
	return rc;
}

static int summary(unsigned v)
{
	dc_catalog_summary s = DC_CATALOG_SUMMARY_INIT;
	int rc;
	s.version = v;
	rc = dc_catalog_summarize(&s, fx.g, fx.diags);
	if (!rc)
		CU_ASSERT_EQUAL(s.services, 4);
	return rc;
}

static int assumptions(unsigned v)
{
	dc_assumptions a = DC_ASSUMPTIONS_INIT;
	int rc;
	a.version = v;
	rc = dc_catalog_assumptions(&a, fx.g, 0);
	if (!rc)
		CU_ASSERT_EQUAL(a.services, 4);
	/* a statement of a struct of an unknown version: none */
	if (rc)
		CU_ASSERT_EQUAL(dc_assumptions_statement(&a, 0, NULL, 0), 0);
	return rc;
}

static int output_init(unsigned v)
{
	dc_output_options o;
	int rc = dc_output_options_init(&o, v);
	if (!rc) {
		CU_ASSERT_EQUAL(o.version, v);
		CU_ASSERT_EQUAL(o.format, DC_OUTPUT_TEXT);
	}
	return rc;
}

static int output(unsigned v)
{
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	dc_catalog_summary s = DC_CATALOG_SUMMARY_INIT;
	o.version = v;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_summarize(&s, fx.g, fx.diags), 0);
	return dc_write_validation(fx.sink, &s, fx.diags, &o);
}

static int availability_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_availability_report r = DC_AVAILABILITY_REPORT_INIT;
	dc_id rows[4];
	r.version = v;
	r.a = fx.av;
	r.g = fx.g;
	CU_ASSERT_EQUAL_FATAL(dc_availability_rank(fx.av, fx.g, rows, &r.nmiss, NULL), 0);
	r.rows = rows;
	r.nrows = 4;
	return dc_write_availability(fx.sink, &r, &oo);
}

/* the availability report's nested options */
static int availability_report_options(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_availability_report r = DC_AVAILABILITY_REPORT_INIT;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	ao.version = v;
	r.a = fx.av;
	r.g = fx.g;
	r.options = &ao;
	return dc_write_availability(fx.sink, &r, &oo);
}

static int plan_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_plan_report r = DC_PLAN_REPORT_INIT;
	r.version = v;
	r.plan = fx.plan;
	r.g = fx.g;
	return dc_write_plan(fx.sink, &r, &oo);
}

static int backstage_export(unsigned v)
{
	dc_backstage_export x = DC_BACKSTAGE_EXPORT_INIT;
	x.version = v;
	x.g = fx.g;
	return dc_export_backstage(fx.sink, &x);
}

static int violations_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	r.version = v;
	r.v = fx.viol;
	r.policy = fx.policy;
	return dc_write_violations(fx.sink, &r, &oo);
}

static int reconcile_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_reconcile_report r = DC_RECONCILE_REPORT_INIT;
	r.version = v;
	r.r = fx.rec;
	r.g = fx.g;
	r.observed.observed = fx.obs;
	return dc_write_reconcile(fx.sink, &r, &oo);
}

static int experiments_plan(unsigned v)
{
	dc_experiments_options o = DC_EXPERIMENTS_OPTIONS_INIT;
	dc_experiments *x = NULL;
	int rc;
	o.version = v;
	rc = dc_experiments_plan(&x, fx.g, &o);
	dc_experiments_free(x);
	return rc;
}

static int verify_options(unsigned v)
{
	dc_verify_options o = DC_VERIFY_OPTIONS_INIT;
	dc_experiments *x = NULL;
	dc_verification *ver = NULL;
	static const char csv[] = "experiment,entrypoint,state,after_ms\n";
	int rc;
	o.version = v;
	CU_ASSERT_EQUAL_FATAL(dc_experiments_plan(&x, fx.g, NULL), 0);
	rc = dc_verify(&ver, x, "r.csv", csv, strlen(csv), &o, NULL);
	dc_verification_free(ver);
	dc_experiments_free(x);
	return rc;
}

static int experiments_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_experiments_report r = DC_EXPERIMENTS_REPORT_INIT;
	int rc;
	r.version = v;
	CU_ASSERT_EQUAL_FATAL(dc_experiments_plan(&r.x, fx.g, NULL), 0);
	rc = dc_write_experiments(fx.sink, &r, &oo);
	dc_experiments_free(r.x);
	return rc;
}

static int diff_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_diff_report r = DC_DIFF_REPORT_INIT;
	r.version = v;
	r.d = fx.diff;
	return dc_write_diff(fx.sink, &r, &oo);
}

static int simulation(unsigned v)
{
	dc_simulation_options o = DC_SIMULATION_OPTIONS_INIT;
	dc_selection *sel = NULL;
	dc_simulation *s = NULL;
	int rc;
	o.version = v;
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, fx.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "db"), 0);
	rc = dc_simulation_run_ex(&s, fx.g, sel, DC_FAILURE_HANG, &o);
	CU_ASSERT_EQUAL(s != NULL, rc == 0);
	dc_simulation_free(s);
	dc_selection_free(sel);
	return rc;
}

#define ROW(name, cur, type, init, fn) { name, cur, ((type)init).version, fn }

static void test_options_versions(void)
{
	const versioned rows[] = {
		ROW("dc_catalog_add_buffer", DC_LOAD_OPTIONS_VERSION, dc_load_options, DC_LOAD_OPTIONS_INIT, load_buffer),
		ROW("dc_catalog_add_path", DC_LOAD_OPTIONS_VERSION, dc_load_options, DC_LOAD_OPTIONS_INIT, load_path),
		ROW("dc_catalog_load", DC_LOAD_OPTIONS_VERSION, dc_load_options, DC_LOAD_OPTIONS_INIT, load_paths),
		ROW("dc_analyze", DC_ANALYZE_OPTIONS_VERSION, dc_analyze_options, DC_ANALYZE_OPTIONS_INIT, analyze),
		ROW("dc_availability_compute", DC_AVAILABILITY_OPTIONS_VERSION, dc_availability_options,
		    DC_AVAILABILITY_OPTIONS_INIT, availability),
		ROW("dc_blast_compute_ex", DC_BLAST_OPTIONS_VERSION, dc_blast_options, DC_BLAST_OPTIONS_INIT, blast),
		ROW("dc_simulation_run_ex", DC_SIMULATION_OPTIONS_VERSION, dc_simulation_options,
		    DC_SIMULATION_OPTIONS_INIT, simulation),
		ROW("dc_check", DC_CHECK_OPTIONS_VERSION, dc_check_options, DC_CHECK_OPTIONS_INIT, check),
		ROW("dc_diff_compute", DC_DIFF_OPTIONS_VERSION, dc_diff_options, DC_DIFF_OPTIONS_INIT, diff),
		ROW("dc_paths_find", DC_PATHS_OPTIONS_VERSION, dc_paths_options, DC_PATHS_OPTIONS_INIT, paths),
		ROW("dc_plan_compute", DC_PLAN_OPTIONS_VERSION, dc_plan_options, DC_PLAN_OPTIONS_INIT, plan),
		ROW("dc_observed_parse", DC_OBSERVED_OPTIONS_VERSION, dc_observed_options, DC_OBSERVED_OPTIONS_INIT,
		    observed_parse),
		ROW("dc_observed_parse_csv", DC_OBSERVED_OPTIONS_VERSION, dc_observed_options,
		    DC_OBSERVED_OPTIONS_INIT, observed_csv),
		ROW("dc_observed_parse_jaeger", DC_OBSERVED_OPTIONS_VERSION, dc_observed_options,
		    DC_OBSERVED_OPTIONS_INIT, observed_jaeger),
		ROW("dc_observed_add_file", DC_OBSERVED_OPTIONS_VERSION, dc_observed_options,
		    DC_OBSERVED_OPTIONS_INIT, observed_file),
		ROW("dc_reconcile_compute", DC_RECONCILE_OPTIONS_VERSION, dc_reconcile_options,
		    DC_RECONCILE_OPTIONS_INIT, reconcile),
		ROW("dc_catalog_add_observed", DC_CATALOG_OBSERVED_OPTIONS_VERSION, dc_catalog_observed_options,
		    DC_CATALOG_OBSERVED_OPTIONS_INIT, catalog_observed),
		ROW("dc_render", DC_RENDER_OPTIONS_VERSION, dc_render_options, DC_RENDER_OPTIONS_INIT, render),
		ROW("dc_overload_run", DC_OVERLOAD_OPTIONS_VERSION, dc_overload_options, DC_OVERLOAD_OPTIONS_INIT,
		    overload),
		ROW("dc_overload_risks_compute", DC_OVERLOAD_RISK_OPTIONS_VERSION, dc_overload_risk_options,
		    DC_OVERLOAD_RISK_OPTIONS_INIT, overload_risks),
		ROW("dc_report_compute", DC_REPORT_OPTIONS_VERSION, dc_report_options, DC_REPORT_OPTIONS_INIT, report),
		ROW("dc_report_compute (availability)", DC_AVAILABILITY_OPTIONS_VERSION, dc_availability_options,
		    DC_AVAILABILITY_OPTIONS_INIT, report_availability),
		ROW("dc_catalog_summarize", DC_CATALOG_SUMMARY_VERSION, dc_catalog_summary, DC_CATALOG_SUMMARY_INIT,
		    summary),
		ROW("dc_catalog_assumptions", DC_ASSUMPTIONS_VERSION, dc_assumptions, DC_ASSUMPTIONS_INIT,
		    assumptions),
		ROW("dc_output_options_init", DC_OUTPUT_OPTIONS_VERSION, dc_output_options, DC_OUTPUT_OPTIONS_INIT,
		    output_init),
		ROW("dc_write_* (output options)", DC_OUTPUT_OPTIONS_VERSION, dc_output_options,
		    DC_OUTPUT_OPTIONS_INIT, output),
		ROW("dc_write_availability", DC_AVAILABILITY_REPORT_VERSION, dc_availability_report,
		    DC_AVAILABILITY_REPORT_INIT, availability_report),
		ROW("dc_write_availability (options)", DC_AVAILABILITY_OPTIONS_VERSION, dc_availability_options,
		    DC_AVAILABILITY_OPTIONS_INIT, availability_report_options),
		ROW("dc_write_plan", DC_PLAN_REPORT_VERSION, dc_plan_report, DC_PLAN_REPORT_INIT, plan_report),
		ROW("dc_export_backstage", DC_BACKSTAGE_EXPORT_VERSION, dc_backstage_export,
		    DC_BACKSTAGE_EXPORT_INIT, backstage_export),
		ROW("dc_write_violations", DC_VIOLATIONS_REPORT_VERSION, dc_violations_report,
		    DC_VIOLATIONS_REPORT_INIT, violations_report),
		ROW("dc_write_reconcile", DC_RECONCILE_REPORT_VERSION, dc_reconcile_report, DC_RECONCILE_REPORT_INIT,
		    reconcile_report),
		ROW("dc_write_diff", DC_DIFF_REPORT_VERSION, dc_diff_report, DC_DIFF_REPORT_INIT, diff_report),
		ROW("dc_experiments_plan", DC_EXPERIMENTS_OPTIONS_VERSION, dc_experiments_options,
		    DC_EXPERIMENTS_OPTIONS_INIT, experiments_plan),
		ROW("dc_verify", DC_VERIFY_OPTIONS_VERSION, dc_verify_options, DC_VERIFY_OPTIONS_INIT, verify_options),
		ROW("dc_write_experiments", DC_EXPERIMENTS_REPORT_VERSION, dc_experiments_report,
		    DC_EXPERIMENTS_REPORT_INIT, experiments_report),
	};
	size_t i;
	CU_ASSERT_EQUAL_FATAL(fx_setup(), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const versioned *r = &rows[i];
		unsigned v;
		int rc;
		/* the _INIT macro names the current version */
		if (r->init != r->current)
			fprintf(stderr, "%s: _INIT sets version %u, current is %u\n", r->name, r->init, r->current);
		CU_ASSERT_EQUAL(r->init, r->current);
		for (v = 0; v <= r->current + 1; v++) {
			int want = v >= 1 && v <= r->current ? 0 : DC_EINVALID;
			rc = r->call(v);
			if (rc != want)
				fprintf(stderr, "%s: version %u gives %d, expected %d\n", r->name, v, rc, want);
			CU_ASSERT_EQUAL(rc, want);
		}
		/* far out of range, not just one past */
		CU_ASSERT_EQUAL(r->call(0xffffffffu), DC_EINVALID);
	}
	fx_teardown();
}

/* ---- accessors out of range -------------------------------------------------
 * Every public function taking a service id, a dependency index or a list
 * index, called with DC_NO_ID and with count, count + 1 (and SIZE_MAX for
 * size_t indexes): NULL, 0 or the documented "none", never a read out of
 * bounds. */

static void test_out_of_range(void)
{
	dc_selection *sel = NULL;
	dc_impact *imp = NULL;
	dc_simulation *sim = NULL;
	dc_critical *cp = NULL;
	dc_critical_paths *cps = NULL;
	dc_paths *paths = NULL;
	dc_scc *scc = NULL;
	size_t ns, nd, k, j;
	CU_ASSERT_EQUAL_FATAL(fx_setup(), 0);
	ns = dc_catalog_service_count(fx.cat);
	nd = dc_catalog_dep_count(fx.cat);
	CU_ASSERT_EQUAL_FATAL(ns, 4);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, fx.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "db"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, fx.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulate(imp, sel, DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulation_run(&sim, fx.g, sel, DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, fx.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&paths, fx.g, fx.web, fx.db, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&scc, fx.g, DC_EDGES_ALL), 0);

	/* service ids: DC_NO_ID, the count, one past it */
	for (k = 0; k < 3; k++) {
		const dc_id bad = k == 0 ? DC_NO_ID : (dc_id)(ns + k - 1);
		const dc_id *ids = (const dc_id *)&k;   /* must be reset */
		const uint32_t *u32 = (const uint32_t *)&k;
		const dc_critical_hop *hops;
		const dc_importance *imps = (const dc_importance *)&k;
		const dc_cut_set *cuts = (const dc_cut_set *)&k;
		size_t first = 0, n = 1;
		dc_location l;
		/* catalog */
		CU_ASSERT_PTR_NULL(dc_service_name(fx.cat, bad));
		CU_ASSERT_PTR_NULL(dc_service_ref(fx.cat, bad));
		CU_ASSERT_PTR_NULL(dc_service_owner(fx.cat, bad));
		CU_ASSERT_PTR_NULL(dc_service_system(fx.cat, bad));
		CU_ASSERT_PTR_NULL(dc_service_description(fx.cat, bad));
		CU_ASSERT_PTR_NULL(dc_service_url(fx.cat, bad));
		CU_ASSERT_EQUAL(dc_service_tier(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_is_entrypoint(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_entrypoint_explicit(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_is_external(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_replicas(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_availability(fx.cat, bad), 0);
		CU_ASSERT(dc_service_slo(fx.cat, bad) < 0);
		CU_ASSERT(dc_service_traffic_rps(fx.cat, bad) < 0);
		CU_ASSERT(dc_service_capacity_rps(fx.cat, bad) < 0);
		CU_ASSERT_EQUAL(dc_service_max_concurrency(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_availability_source(fx.cat, bad), DC_AVAIL_SOURCE_DEFAULT);
		CU_ASSERT_EQUAL(dc_service_latency_ms(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_zone_count(fx.cat, bad), 0);
		CU_ASSERT_PTR_NULL(dc_service_zone(fx.cat, bad, 0));
		CU_ASSERT_EQUAL(dc_service_tag_count(fx.cat, bad), 0);
		CU_ASSERT_PTR_NULL(dc_service_tag(fx.cat, bad, 0));
		CU_ASSERT_EQUAL(dc_service_format(fx.cat, bad), DC_FORMAT_AUTO);
		l = dc_service_location(fx.cat, bad);
		CU_ASSERT_PTR_NULL(l.file);
		CU_ASSERT_EQUAL(dc_service_dep_first(fx.cat, bad), 0);
		CU_ASSERT_EQUAL(dc_service_dep_count(fx.cat, bad), 0);
		/* graph */
		CU_ASSERT_EQUAL(dc_graph_out(fx.g, bad, &ids, &first), 0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_graph_in(fx.g, bad, &ids, &u32), 0);
		CU_ASSERT_PTR_NULL(ids);
		CU_ASSERT_PTR_NULL(u32);
		CU_ASSERT_EQUAL(dc_scc_of(scc, bad), UINT32_MAX);
		/* impact, blast, analysis */
		CU_ASSERT_EQUAL(dc_impact_state(imp, bad), DC_STATE_UP);
		CU_ASSERT_EQUAL(dc_impact_cause(imp, bad), UINT32_MAX);
		CU_ASSERT_EQUAL(dc_impact_time_ms(imp, bad), DC_TIME_NONE);
		CU_ASSERT_EQUAL(dc_blast_down(fx.blast, bad), 0);
		CU_ASSERT_EQUAL(dc_blast_lost_rps(fx.blast, bad), 0);
		CU_ASSERT_EQUAL(dc_blast_lost_unknown(fx.blast, bad), 0);
		CU_ASSERT_EQUAL(dc_blast_degraded(fx.blast, bad), 0);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(fx.blast, bad, &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_analysis_spof_entrypoints(fx.an, bad, &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		/* availability */
		CU_ASSERT_PTR_NULL(dc_availability_of(fx.av, bad));
		CU_ASSERT_EQUAL(dc_availability_misses_slo(fx.av, fx.g, bad), 0);
		CU_ASSERT_EQUAL(dc_availability_importance(fx.av, bad, &imps, NULL, NULL), 0);
		CU_ASSERT_PTR_NULL(imps);
		CU_ASSERT_EQUAL(dc_availability_cut_sets(fx.av, bad, &cuts, NULL), 0);
		CU_ASSERT_PTR_NULL(cuts);
		/* critical path */
		CU_ASSERT_EQUAL(dc_critical_total_ms(cp, bad), 0);
		CU_ASSERT_EQUAL(dc_critical_chain(cp, bad, &hops, &n), DC_EINVALID);
		if (bad != DC_NO_ID) /* DC_NO_ID: every entrypoint */
			CU_ASSERT_EQUAL(dc_critical_paths_new(&cps, cp, bad), DC_EINVALID);
		/* diff */
		CU_ASSERT_EQUAL(dc_diff_head_of(fx.diff, bad), DC_NO_ID);
		CU_ASSERT_EQUAL(dc_diff_base_of(fx.diff, bad), DC_NO_ID);
		CU_ASSERT_EQUAL(dc_diff_blast_down(fx.diff, DC_DIFF_HEAD, bad), 0);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_diff_spof_entrypoints(fx.diff, DC_DIFF_BASE, bad, &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		/* plan, simulation, paths */
		CU_ASSERT_EQUAL(dc_plan_wave_of(fx.plan, bad), 0);
		CU_ASSERT_PTR_NULL(dc_selection_cause(sel, bad));
		CU_ASSERT_PTR_NULL(dc_simulation_cause(sim, bad));
		{
			dc_paths *p = (dc_paths *)&k;
			CU_ASSERT_EQUAL(dc_paths_find(&p, fx.g, bad, fx.db, NULL), DC_EINVALID);
			CU_ASSERT_PTR_NULL(p);
			CU_ASSERT_EQUAL(dc_paths_find(&p, fx.g, fx.web, bad, NULL), DC_EINVALID);
		}
		/* writers and the map take ids too */
		{
			static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
			dc_render_options ro = DC_RENDER_OPTIONS_INIT;
			CU_ASSERT_EQUAL(dc_write_show(fx.sink, fx.g, bad, imp, &oo), DC_EINVALID);
			if (bad != DC_NO_ID) { /* DC_NO_ID: none */
				ro.highlight = bad;
				CU_ASSERT_EQUAL(dc_render(fx.g, &ro, DC_OUTPUT_DOT, fx.sink, NULL, NULL), DC_EINVALID);
			}
		}
	}
	/* a valid service, its list indexes out of range */
	CU_ASSERT_PTR_NULL(dc_service_zone(fx.cat, fx.web, dc_service_zone_count(fx.cat, fx.web)));
	CU_ASSERT_PTR_NULL(dc_service_tag(fx.cat, fx.web, SIZE_MAX));

	/* dependency indexes and list indexes: the count, one past it,
	 * DC_NO_ID as an index, SIZE_MAX */
	for (k = 0; k < 4; k++) {
		const size_t off[] = { 0, 1, (size_t)DC_NO_ID, SIZE_MAX };
		const size_t d = k < 2 ? nd + off[k] : off[k];
		const dc_id *ids = (const dc_id *)&k;
		const uint32_t *u32 = (const uint32_t *)&k;
		const size_t *edges = (const size_t *)&k;
		const dc_critical_hop *hops;
		size_t n = 1;
		dc_location l;
		/* catalog dependencies */
		CU_ASSERT_EQUAL(dc_dep_from(fx.cat, d), DC_NO_ID);
		CU_ASSERT_EQUAL(dc_dep_to(fx.cat, d), DC_NO_ID);
		CU_ASSERT_EQUAL(dc_dep_kind_of(fx.cat, d), DC_DEP_HARD);
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(fx.cat, d), 0);
		CU_ASSERT_EQUAL(dc_dep_retries(fx.cat, d), 0);
		CU_ASSERT_EQUAL(dc_dep_stage(fx.cat, d), 0);
		CU_ASSERT_EQUAL(dc_dep_group(fx.cat, d), 0);
		CU_ASSERT_PTR_NULL(dc_dep_target_text(fx.cat, d));
		CU_ASSERT_PTR_NULL(dc_dep_origin(fx.cat, d));
		CU_ASSERT_EQUAL(dc_dep_is_inferred(fx.cat, d), 0);
		l = dc_dep_location(fx.cat, d);
		CU_ASSERT_PTR_NULL(l.file);
		CU_ASSERT_EQUAL(dc_impact_edge_cost_ms(fx.cat, d, DC_FAILURE_HANG), 0);
		/* resilience settings: unset, 0, NULL, no file */
		CU_ASSERT_EQUAL(dc_dep_setting_is_set(fx.cat, d, DC_DEP_TIMEOUT), 0);
		CU_ASSERT_EQUAL(dc_dep_setting_value(fx.cat, d, DC_DEP_PER_TRY_TIMEOUT), 0);
		CU_ASSERT_PTR_NULL(dc_dep_setting_text(fx.cat, d, DC_DEP_RETRY_ON));
		l = dc_dep_setting_location(fx.cat, d, DC_DEP_TIMEOUT);
		CU_ASSERT_PTR_NULL(l.file);
		CU_ASSERT_EQUAL(dc_dep_hang_ms(fx.cat, d), 0);
		CU_ASSERT_EQUAL(dc_dep_call_factor(fx.cat, d), 0);
		CU_ASSERT_PTR_NULL(dc_diff_dep_kind_label(fx.cat, d));
		CU_ASSERT_EQUAL(dc_critical_call_ignored(cp, d), 0);
		CU_ASSERT_EQUAL(dc_plan_dep_constrains(fx.plan, d), 0);
		/* list indexes, each past its own count */
		j = off[k];
#define PAST(count) ((k < 2) ? (count) + j : j)
		CU_ASSERT_EQUAL(dc_input_format_at(PAST(dc_input_format_count())), DC_FORMAT_AUTO);
		CU_ASSERT_PTR_NULL(dc_catalog_file(fx.cat, PAST(dc_catalog_file_count(fx.cat))));
		CU_ASSERT_PTR_NULL(dc_diags_get(fx.diags, PAST(dc_diags_count(fx.diags))));
		CU_ASSERT_PTR_NULL(dc_violations_get(fx.viol, PAST(dc_violations_count(fx.viol))));
		CU_ASSERT_PTR_NULL(dc_rule_id(PAST(dc_rule_count())));
		CU_ASSERT_PTR_NULL(dc_policy_rule_id(fx.policy, PAST(dc_policy_rule_count(fx.policy))));
		CU_ASSERT_PTR_NULL(dc_policy_rule_builtin(fx.policy, PAST(dc_policy_rule_count(fx.policy))));
		CU_ASSERT_EQUAL(dc_policy_rule_level(fx.policy, PAST(dc_policy_rule_count(fx.policy))), DC_LEVEL_OFF);
		CU_ASSERT_PTR_NULL(dc_policy_rule_description(fx.policy, PAST(dc_policy_rule_count(fx.policy))));
		CU_ASSERT_PTR_NULL(dc_policy_waiver(fx.policy, PAST(dc_policy_waiver_count(fx.policy))));
		CU_ASSERT_PTR_NULL(dc_observed_caller(fx.obs, PAST(dc_observed_count(fx.obs))));
		CU_ASSERT_PTR_NULL(dc_observed_callee(fx.obs, PAST(dc_observed_count(fx.obs))));
		CU_ASSERT_EQUAL(dc_observed_calls(fx.obs, PAST(dc_observed_count(fx.obs))), 0);
		l = dc_observed_location(fx.obs, PAST(dc_observed_count(fx.obs)));
		CU_ASSERT_PTR_NULL(l.file);
		CU_ASSERT_EQUAL(dc_scc_members(scc, (uint32_t)PAST(dc_scc_count(scc)), &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_analysis_cycle_members(fx.an, DC_EDGES_ALL,
							  PAST(dc_analysis_cycle_count(fx.an, DC_EDGES_ALL)), &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		CU_ASSERT_EQUAL(dc_analysis_cycle_edges(fx.an, DC_EDGES_HARD_ONLY,
							PAST(dc_analysis_cycle_count(fx.an, DC_EDGES_HARD_ONLY)), &u32),
				0);
		CU_ASSERT_PTR_NULL(u32);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_diff_cycle_members(fx.diff, DC_EDGES_ALL, DC_DIFF_ADDED,
						      PAST(dc_diff_cycle_count(fx.diff, DC_EDGES_ALL, DC_DIFF_ADDED)),
						      &ids),
				0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_plan_wave(fx.plan, PAST(dc_plan_wave_count(fx.plan)), &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_plan_rollback_wave(fx.plan, PAST(dc_plan_wave_count(fx.plan)), &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		ids = (const dc_id *)&k;
		CU_ASSERT_EQUAL(dc_plan_lockstep_members(fx.plan, PAST(dc_plan_lockstep_count(fx.plan)), &ids), 0);
		CU_ASSERT_PTR_NULL(ids);
		u32 = (const uint32_t *)&k;
		CU_ASSERT_EQUAL(dc_plan_lockstep_edges(fx.plan, PAST(dc_plan_lockstep_count(fx.plan)), &u32), 0);
		CU_ASSERT_PTR_NULL(u32);
		CU_ASSERT_EQUAL(dc_paths_hops(paths, PAST(dc_paths_count(paths)), &edges), 0);
		CU_ASSERT_PTR_NULL(edges);
		CU_ASSERT_EQUAL(dc_critical_paths_new(&cps, cp, DC_NO_ID), 0);
		CU_ASSERT_EQUAL(dc_critical_paths_root(cps, PAST(dc_critical_paths_count(cps))), DC_NO_ID);
		CU_ASSERT_EQUAL(dc_critical_paths_chain(cps, PAST(dc_critical_paths_count(cps)), &hops, &n, NULL, NULL),
				DC_EINVALID);
		dc_critical_paths_free(cps);
		cps = NULL;
#undef PAST
	}
	/* a bit that names no attribute */
	CU_ASSERT_PTR_NULL(dc_diff_field_name(DC_DIFF_SERVICE_LAST << 1, DC_DIFF_SERVICE_FIELD));
	CU_ASSERT_PTR_NULL(dc_diff_field_name(DC_DIFF_DEP_LAST << 1, DC_DIFF_DEP_FIELD));
	/* experiments: candidates by index, names of enum values */
	{
		dc_experiments *x = NULL;
		dc_verification *ver = NULL;
		static const char csv[] = "experiment,entrypoint,state,after_ms\n";
		size_t n;
		CU_ASSERT_EQUAL_FATAL(dc_experiments_plan(&x, fx.g, NULL), 0);
		n = dc_experiments_count(x);
		CU_ASSERT_PTR_NULL(dc_experiments_get(x, n));
		CU_ASSERT_PTR_NULL(dc_experiments_get(x, n + 1));
		CU_ASSERT_PTR_NULL(dc_experiments_get(x, SIZE_MAX));
		CU_ASSERT_PTR_NULL(dc_experiment_action_name((dc_experiment_action)3));
		CU_ASSERT_PTR_NULL(dc_experiment_reason_name((dc_experiment_reason)5));
		CU_ASSERT_PTR_NULL(dc_finding_kind_name((dc_finding_kind)4));
		CU_ASSERT_EQUAL_FATAL(dc_verify(&ver, x, "r.csv", csv, strlen(csv), NULL, NULL), 0);
		CU_ASSERT_PTR_NULL(dc_verification_experiment_id(ver, 0));
		CU_ASSERT_PTR_NULL(dc_verification_experiment_id(ver, SIZE_MAX));
		dc_verification_free(ver);
		dc_experiments_free(x);
	}
	/* results on record: entries by index */
	{
		dc_results *r = NULL;
		static const char csv[] = "experiment,entrypoint,state,after_ms,date\nkill-a,x,up,,2026-01-02\n";
		CU_ASSERT_EQUAL_FATAL(dc_results_new(&r), 0);
		CU_ASSERT_PTR_NULL(dc_results_get(r, 0));
		CU_ASSERT_EQUAL_FATAL(dc_results_read(r, "r.csv", csv, strlen(csv), NULL), 0);
		CU_ASSERT_EQUAL(dc_results_count(r), 1);
		CU_ASSERT_PTR_NOT_NULL(dc_results_get(r, 0));
		CU_ASSERT_PTR_NULL(dc_results_get(r, 1));
		CU_ASSERT_PTR_NULL(dc_results_get(r, 2));
		CU_ASSERT_PTR_NULL(dc_results_get(r, SIZE_MAX));
		CU_ASSERT_PTR_NULL(dc_results_get(NULL, 0));
		dc_results_free(r);
	}

	dc_scc_free(scc);
	dc_paths_free(paths);
	dc_critical_free(cp);
	dc_simulation_free(sim);
	dc_impact_free(imp);
	dc_selection_free(sel);
	fx_teardown();
}

int suite_api(void)
{
	static const th_test tests[] = {
		{ "options versions: 1 .. current accepted, 0 and current + 1 refused", test_options_versions },
		{ "accessors: ids and indexes out of range give NULL / 0 / none", test_out_of_range },
		{ NULL, NULL }
	};
	return th_suite("api", tests);
}
