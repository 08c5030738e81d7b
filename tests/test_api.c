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

static int diff_report(unsigned v)
{
	static const dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_diff_report r = DC_DIFF_REPORT_INIT;
	r.version = v;
	r.d = fx.diff;
	return dc_write_diff(fx.sink, &r, &oo);
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
		ROW("dc_render", DC_RENDER_OPTIONS_VERSION, dc_render_options, DC_RENDER_OPTIONS_INIT, render),
		ROW("dc_report_compute", DC_REPORT_OPTIONS_VERSION, dc_report_options, DC_REPORT_OPTIONS_INIT, report),
		ROW("dc_report_compute (availability)", DC_AVAILABILITY_OPTIONS_VERSION, dc_availability_options,
		    DC_AVAILABILITY_OPTIONS_INIT, report_availability),
		ROW("dc_catalog_summarize", DC_CATALOG_SUMMARY_VERSION, dc_catalog_summary, DC_CATALOG_SUMMARY_INIT,
		    summary),
		ROW("dc_output_options_init", DC_OUTPUT_OPTIONS_VERSION, dc_output_options, DC_OUTPUT_OPTIONS_INIT,
		    output_init),
		ROW("dc_write_* (output options)", DC_OUTPUT_OPTIONS_VERSION, dc_output_options,
		    DC_OUTPUT_OPTIONS_INIT, output),
		ROW("dc_write_availability", DC_AVAILABILITY_REPORT_VERSION, dc_availability_report,
		    DC_AVAILABILITY_REPORT_INIT, availability_report),
		ROW("dc_write_availability (options)", DC_AVAILABILITY_OPTIONS_VERSION, dc_availability_options,
		    DC_AVAILABILITY_OPTIONS_INIT, availability_report_options),
		ROW("dc_write_plan", DC_PLAN_REPORT_VERSION, dc_plan_report, DC_PLAN_REPORT_INIT, plan_report),
		ROW("dc_write_violations", DC_VIOLATIONS_REPORT_VERSION, dc_violations_report,
		    DC_VIOLATIONS_REPORT_INIT, violations_report),
		ROW("dc_write_reconcile", DC_RECONCILE_REPORT_VERSION, dc_reconcile_report, DC_RECONCILE_REPORT_INIT,
		    reconcile_report),
		ROW("dc_write_diff", DC_DIFF_REPORT_VERSION, dc_diff_report, DC_DIFF_REPORT_INIT, diff_report),
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

int suite_api(void)
{
	static const th_test tests[] = {
		{ "options versions: 1 .. current accepted, 0 and current + 1 refused", test_options_versions },
		{ NULL, NULL }
	};
	return th_suite("api", tests);
}
