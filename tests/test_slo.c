/*
 * test_slo.c - the SLO loader (format "slo"): OpenSLO, Sloth and Pyrra
 * targets (fractions and percentages, the strictest of several), Sloth's
 * Prometheus error ratios as measured availability, precedence against
 * native values and overlays, positions, an SLO for an undefined service,
 * detection, the availability-source accessors, and the CSV of measured
 * availabilities (service,availability).
 */
#include "helpers.h"

#include <math.h>

static const char *const NATIVE =
	"depcheck: 1\n"
	"services:\n"
	"  - name: api\n"
	"    slo: 0.99\n"
	"    availability: 0.999\n"
	"    depends_on: [db]\n"
	"  - name: db\n";

/* the native catalog above, then `slo_text` (detected), then `extra` (native) if given */
static int load2(dc_catalog **cat, dc_diags **d, const char *slo_name, const char *slo_text, const char *extra)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	int rc;
	dc_diags_new(d);
	dc_catalog_new(cat);
	rc = dc_catalog_add_buffer(*cat, "c.yaml", NATIVE, strlen(NATIVE), &o, *d);
	if (!rc)
		rc = dc_catalog_add_buffer(*cat, slo_name, slo_text, strlen(slo_text), &o, *d);
	if (!rc && extra)
		rc = dc_catalog_add_buffer(*cat, "o.yaml", extra, strlen(extra), &o, *d);
	return rc ? rc : dc_catalog_finalize(*cat, *d);
}

static void test_openslo(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: api\n---\n"
		"apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api-avail\nspec:\n"
		"  service: api\n  objectives:\n    - target: 0.995\n    - target: 0.9993\n"
		"    - targetPercent: 99.5\n";
	CU_ASSERT_EQUAL(load2(&cat, &d, "s.yaml", y, NULL), 0);
	/* the strictest of 0.995, 0.9993, 99.5% */
	CU_ASSERT(fabs(dc_service_slo(cat, th_id(cat, "api")) - 0.9993) < 1e-12);
	CU_ASSERT_EQUAL(dc_service_source_count(cat, th_id(cat, "api")), 2);
	CU_ASSERT_EQUAL(dc_service_source(cat, th_id(cat, "api"), 0).line, 14);
	CU_ASSERT_EQUAL(dc_service_source(cat, th_id(cat, "api"), 0).column, 15);
	CU_ASSERT_EQUAL(dc_service_source_format(cat, th_id(cat, "api"), 0), DC_FORMAT_SLO);
	/* an SLO sets no availability: the native one stays, declared */
	CU_ASSERT_EQUAL(dc_service_availability(cat, th_id(cat, "api")), 0.999);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "api")), DC_AVAIL_SOURCE_DECLARED);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "db")), DC_AVAIL_SOURCE_DEFAULT);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	th_done(cat, d);
}

static void test_sloth_and_pyrra(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *sloth = "version: \"prometheus/v1\"\nservice: db\nslos:\n  - name: a\n    objective: 99.95\n"
			    "  - name: b\n    objective: 99\n";
	const char *pyrra = "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n"
			    "  name: api-errors\n  labels:\n    app.kubernetes.io/name: api\nspec:\n"
			    "  target: \"99.9\"\n  window: 4w\n";
	CU_ASSERT_EQUAL(load2(&cat, &d, "sloth.yaml", sloth, NULL), 0);
	CU_ASSERT(fabs(dc_service_slo(cat, th_id(cat, "db")) - 0.9995) < 1e-12);
	/* the SLO spec beats the native slo 0.99 of api only when it names api */
	CU_ASSERT_EQUAL(dc_service_slo(cat, th_id(cat, "api")), 0.99);
	th_done(cat, d);
	CU_ASSERT_EQUAL(load2(&cat, &d, "pyrra.yaml", pyrra, NULL), 0);
	CU_ASSERT(fabs(dc_service_slo(cat, th_id(cat, "api")) - 0.999) < 1e-12);
	/* no conflict warning: an SLO spec is authoritative for slo */
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	th_done(cat, d);
}

#define PROM(rows) "{\"status\": \"success\", \"data\": {\"resultType\": \"vector\", \"result\": [\n" rows "]}}\n"
#define ROW(svc, v) "{\"metric\": {\"__name__\": \"slo:sli_error:ratio_rate30d\", \"sloth_service\": \"" svc \
	"\", \"sloth_window\": \"30d\"}, \"value\": [1764979200, \"" v "\"]}"

static void test_prometheus_measured(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *j = PROM(ROW("db", "0.0004") ",\n" ROW("db", "0.001") ",\n" ROW("ghost", "0.5") "\n");
	const char *ov = "depcheck: 1\noverlay:\n  - name: api\n    availability: 0.9\n";
	CU_ASSERT_EQUAL(load2(&cat, &d, "m.json", j, NULL), 0);
	/* the worst of two ratios: 1 - 0.001 */
	CU_ASSERT(fabs(dc_service_availability(cat, th_id(cat, "db")) - 0.999) < 1e-12);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "db")), DC_AVAIL_SOURCE_MEASURED);
	CU_ASSERT_STRING_EQUAL(dc_availability_source_name(DC_AVAIL_SOURCE_MEASURED), "measured");
	/* ghost is defined by no other input: a warning at its value, no service */
	CU_ASSERT(th_id(cat, "ghost") == DC_NO_ID);
	CU_ASSERT(th_find_diag(d, "SLO input names 'ghost', which no other input defines", 4, 128) >= 0);
	th_done(cat, d);
	/* a measured availability beats the declared one; an overlay beats both */
	CU_ASSERT_EQUAL(load2(&cat, &d, "m.json", PROM(ROW("api", "0.002")), NULL), 0);
	CU_ASSERT(fabs(dc_service_availability(cat, th_id(cat, "api")) - 0.998) < 1e-12);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "api")), DC_AVAIL_SOURCE_MEASURED);
	th_done(cat, d);
	CU_ASSERT_EQUAL(load2(&cat, &d, "m.json", PROM(ROW("api", "0.002")), ov), 0);
	CU_ASSERT_EQUAL(dc_service_availability(cat, th_id(cat, "api")), 0.9);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "api")), DC_AVAIL_SOURCE_DECLARED);
	th_done(cat, d);
}

static void test_bad_and_accessors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	load2(&cat, &d, "m.json", PROM("{\"metric\": {\"sloth_service\": \"db\"}, \"value\": 3}"), NULL);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT(th_find_diag(d, "value of a sample must be [time, \"ratio\"]", 2, 46) >= 0);
	th_done(cat, d);
	load2(&cat, &d, "s.yaml", "version: prometheus/v1\nservice: db\nslos:\n  - objective: 100\n", NULL);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT(th_find_diag(d, "objective of 'db' is 100%", 4, 16) >= 0);
	/* the native slo stays */
	CU_ASSERT_EQUAL(dc_service_slo(cat, th_id(cat, "db")), -1);
	th_done(cat, d);
	CU_ASSERT_PTR_NULL(dc_availability_source_name((dc_availability_source)9));
	CU_ASSERT_STRING_EQUAL(dc_availability_source_name(DC_AVAIL_SOURCE_DEFAULT), "default");
	CU_ASSERT_STRING_EQUAL(dc_availability_source_name(DC_AVAIL_SOURCE_DECLARED), "declared");
	CU_ASSERT_STRING_EQUAL(dc_input_format_name(DC_FORMAT_SLO), "slo");
}

static void test_csv_measured(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	/* a comment and a blank line before the header, any case and blanks,
	 * CRLF, quotes, two rows for db (the worst wins) */
	const char *csv = "# exported from the SLO dashboard\n\n Service , \"Availability\"\r\n"
			  "api,0.9991\r\n\"db\", 0.998\ndb,0.9985\n";
	CU_ASSERT_EQUAL(load2(&cat, &d, "a.csv", csv, NULL), 0);
	CU_ASSERT(fabs(dc_service_availability(cat, th_id(cat, "api")) - 0.9991) < 1e-12);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "api")), DC_AVAIL_SOURCE_MEASURED);
	CU_ASSERT(fabs(dc_service_availability(cat, th_id(cat, "db")) - 0.998) < 1e-12);
	CU_ASSERT_EQUAL(dc_service_availability_source(cat, th_id(cat, "db")), DC_AVAIL_SOURCE_MEASURED);
	/* the source is the value's position: line 5, column 7 (after `"db", `) */
	CU_ASSERT_EQUAL(dc_service_source_format(cat, th_id(cat, "db"), 0), DC_FORMAT_SLO);
	CU_ASSERT_EQUAL(dc_service_source(cat, th_id(cat, "db"), 0).line, 5);
	CU_ASSERT_EQUAL(dc_service_source(cat, th_id(cat, "db"), 0).column, 7);
	/* the native slo stays: a CSV sets availability only */
	CU_ASSERT_EQUAL(dc_service_slo(cat, th_id(cat, "api")), 0.99);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	th_done(cat, d);
	/* bad rows: each an error at its line, the good row still read */
	load2(&cat, &d, "a.csv", "service,availability\napi\ndb,1.5\n,0.9\ndb,abc\ndb,0.5,1\ndb,0.97\n", NULL);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 5);
	CU_ASSERT(th_find_diag(d, "expected service,availability (two fields), not one field", 2, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "availability of 'db' must be a fraction from 0 to 1 (0.9995 for 99.95%), "
				  "not '1.5'", 3, 4) >= 0);
	CU_ASSERT(th_find_diag(d, "the service of a row is empty", 4, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "not 'abc'", 5, 4) >= 0);
	CU_ASSERT(th_find_diag(d, "not more fields", 6, 1) >= 0);
	CU_ASSERT(fabs(dc_service_availability(cat, th_id(cat, "db")) - 0.97) < 1e-12);
	th_done(cat, d);
	/* detection: the header makes it; a CSV of observed calls is no catalog
	 * input, and a forced slo format still reads YAML specifications */
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_NOT_EQUAL(dc_catalog_add_buffer(cat, "calls.csv", "caller,callee,calls\na,b,3\n", 25, &o, d), 0);
	th_done(cat, d);
	o.format = DC_FORMAT_SLO;
	CU_ASSERT_EQUAL(load2(&cat, &d, "s.yaml", "version: prometheus/v1\nservice: db\nslos:\n  - objective: 99\n",
			      NULL), 0);
	CU_ASSERT(fabs(dc_service_slo(cat, th_id(cat, "db")) - 0.99) < 1e-12);
	th_done(cat, d);
}

int suite_slo(void)
{
	static const th_test t[] = {
		{ "OpenSLO targets, strictest objective", test_openslo },
		{ "Sloth and Pyrra percentages", test_sloth_and_pyrra },
		{ "Prometheus answer: measured availability, precedence", test_prometheus_measured },
		{ "bad inputs and accessors", test_bad_and_accessors },
		{ "CSV service,availability: measured, bad rows, detection", test_csv_measured },
		{ NULL, NULL }
	};
	return th_suite("slo", t);
}
