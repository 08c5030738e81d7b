/*
 * test_output_catalog.c - the catalog writers of output.h
 * (dc_write_validation, dc_write_show, dc_write_paths), dc__json_service
 * through show and export, and dc_catalog_summarize, on a four-service
 * catalog small enough to check every line by hand. Also: unsupported
 * formats and bad arguments give DC_EINVALID, and show writes the url
 * (regression: it never did).
 */
#include "helpers.h"

#include <stdlib.h>

#include "output_int.h"

/* web -> api -> db, web ~> cache (soft); web has every string attribute;
 * `ghost` is unknown: one error, an external service */
static const char shop[] =
	"depcheck: 1\n"
	"services:\n"
	"  - name: web\n"
	"    owner: team-web\n"
	"    system: shop\n"
	"    description: The shop's front end\n"
	"    url: https://web.example/\n"
	"    tier: 1\n"
	"    entrypoint: true\n"
	"    zones: [eu-a, eu-b]\n"
	"    slo: 0.99\n"
	"    tags: [http]\n"
	"    depends_on:\n"
	"      - api\n"
	"      - service: cache\n"
	"        kind: soft\n"
	"        retries: 1\n"
	"  - name: api\n"
	"    depends_on: [db, ghost]\n"
	"  - name: db\n"
	"    replicas: 2\n"
	"  - name: cache\n";

/* what fn wrote to a memory stream (caller frees); *rc its status */
typedef struct {
	const th_fx *f;
	dc_id s;
	const void *arg;
	const dc_output_options *opts;
} call;

static char *capture(int (*fn)(FILE *, const call *), const call *c, int *rc)
{
	char *buf = NULL;
	TH_CAPTURE(buf, *rc, fn(fp, c));
	return buf;
}

static int do_validation(FILE *fp, const call *c)
{
	return dc_write_validation(fp, c->arg, c->f->diags, c->opts);
}

static int do_show(FILE *fp, const call *c)
{
	return dc_write_show(fp, c->f->g, c->s, c->arg, c->opts);
}

static int do_paths(FILE *fp, const call *c)
{
	const dc_impact *const *pair = c->arg; /* [0]: the paths (cast), [1]: the impact */
	return dc_write_paths(fp, c->f->g, (const dc_paths *)pair[0], pair[1], c->opts);
}

static int do_export(FILE *fp, const call *c)
{
	return dc_export(c->f->cat, c->opts->format, fp);
}

static void test_summary(void)
{
	th_fx f;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT, bad = DC_CATALOG_SUMMARY_INIT;
	th_fx_load(&f, "shop.yaml", shop);
	CU_ASSERT_EQUAL(dc_catalog_summarize(&sum, f.g, f.diags), 0);
	CU_ASSERT_EQUAL(sum.files, 1);
	CU_ASSERT_EQUAL(sum.services, 4);
	CU_ASSERT_EQUAL(sum.external, 1); /* ghost */
	CU_ASSERT_EQUAL(sum.dependencies, 4);
	CU_ASSERT_EQUAL(sum.entrypoints, 1);
	CU_ASSERT_EQUAL(sum.cycles, 0);
	CU_ASSERT_EQUAL(sum.errors, 1);
	CU_ASSERT_EQUAL(sum.warnings, 0);
	/* no diagnostics: nothing counted */
	CU_ASSERT_EQUAL(dc_catalog_summarize(&sum, f.g, NULL), 0);
	CU_ASSERT_EQUAL(sum.errors, 0);
	bad.version = 0;
	CU_ASSERT_EQUAL(dc_catalog_summarize(&bad, f.g, NULL), DC_EINVALID);
	bad.version = DC_CATALOG_SUMMARY_VERSION + 1;
	CU_ASSERT_EQUAL(dc_catalog_summarize(&bad, f.g, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_catalog_summarize(NULL, f.g, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_catalog_summarize(&sum, NULL, NULL), DC_EINVALID);
	th_fx_free(&f);
}

static void test_validation(void)
{
	th_fx f;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	call c;
	char *out;
	int rc;
	th_fx_load(&f, "shop.yaml", shop);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_summarize(&sum, f.g, f.diags), 0);
	c.f = &f;
	c.s = 0;
	c.arg = &sum;
	c.opts = &o;
	out = capture(do_validation, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "4 services (1 external), 4 dependencies, 1 entrypoints, 0 cycles, from 1 files\n"
				    "1 errors, 0 warnings\n");
	free(out);
	o.color = 1;
	out = capture(do_validation, &c, &rc);
	CU_ASSERT_STRING_EQUAL(out, "\033[1m4 services\033[0m (1 external), 4 dependencies, 1 entrypoints, "
				    "0 cycles, from 1 files\n\033[31m1 errors\033[0m, 0 warnings\n");
	free(out);
	o.quiet = 1;
	out = capture(do_validation, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	/* JSON: quiet and colour do not apply */
	o.format = DC_OUTPUT_JSON;
	out = capture(do_validation, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "{\n"
				    "  \"command\": \"validate\",\n"
				    "  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n"
				    "  \"schema_version\": 1,\n"
				    "  \"valid\": false,\n"
				    "  \"files\": 1,\n"
				    "  \"services\": 4,\n"
				    "  \"external\": 1,\n"
				    "  \"dependencies\": 4,\n"
				    "  \"entrypoints\": 1,\n"
				    "  \"cycles\": 0,\n"
				    "  \"errors\": 1,\n"
				    "  \"warnings\": 0,\n"
				    "  \"diagnostics\": [\n"
				    "    {\n"
				    "      \"severity\": \"error\",\n"
				    "      \"file\": \"shop.yaml\",\n"
				    "      \"line\": 19,\n"
				    "      \"column\": 22,\n"
				    "      \"message\": \"unknown service 'ghost' in depends_on of 'api'\"\n"
				    "    }\n"
				    "  ]\n"
				    "}\n");
	free(out);
	th_fx_free(&f);
}

static void test_show(void)
{
	th_fx f;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	dc_impact *imp = NULL;
	call c;
	char *out;
	int rc;
	th_fx_load(&f, "shop.yaml", shop);
	c.f = &f;
	c.s = th_id(f.cat, "web");
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &c.s, 1, NULL, 0), 0);
	c.arg = imp;
	c.opts = &o;
	out = capture(do_show, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out,
		"web\n"
		"  defined at   shop.yaml:3:11 (native)\n"
		"  description  The shop's front end\n"
		"  owner        team-web\n"
		"  system       shop\n"
		"  url          https://web.example/\n"
		"  tier         1\n"
		"  entrypoint   yes\n"
		"  replicas     1\n"
		"  zones        eu-a, eu-b\n"
		"  availability 0.999  (slo 0.99)\n"
		"  latency      0 ms\n"
		"  tags         http\n"
		"\n"
		"depends on (2):\n"
		"  hard      api                              timeout 1000ms, 0 retries, stage 0  shop.yaml:14:9\n"
		"  soft      cache                            timeout 1000ms, 1 retry, stage 0  shop.yaml:15:18\n"
		"\n"
		"dependents (0):\n"
		"\n"
		"blast radius: if web fails alone, 0 other services go down and 0 degrade\n");
	free(out);
	o.format = DC_OUTPUT_JSON;
	out = capture(do_show, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	/* the url (regression) and the attribute keys in their order */
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		"    \"description\": \"The shop's front end\",\n"
		"    \"url\": \"https://web.example/\",\n"
		"    \"tier\": 1,\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  \"blast_radius\": {\n    \"down\": 0,\n    \"degraded\": 0\n  }\n"));
	free(out);
	/* a service without url: null in JSON, no line in text */
	dc_impact_free(imp);
	imp = NULL;
	c.s = th_id(f.cat, "db");
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &c.s, 1, NULL, 0), 0);
	c.arg = imp;
	out = capture(do_show, &c, &rc);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    \"url\": null,\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  \"blast_radius\": {\n    \"down\": 2,\n    \"degraded\": 0\n  }\n"));
	free(out);
	o.format = DC_OUTPUT_TEXT;
	out = capture(do_show, &c, &rc);
	CU_ASSERT_PTR_NULL(strstr(out, "url"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "if db fails alone, 2 other services go down and 0 degrade\n"));
	free(out);
	dc_impact_free(imp);
	th_fx_free(&f);
}

static void test_paths(void)
{
	th_fx f;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	dc_impact *imp = NULL;
	dc_paths *p = NULL;
	const void *pair[2];
	dc_id web, db;
	call c;
	char *out;
	int rc;
	th_fx_load(&f, "shop.yaml", shop);
	web = th_id(f.cat, "web");
	db = th_id(f.cat, "db");
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, f.g, web, db, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &db, 1, NULL, 0), 0);
	pair[0] = p;
	pair[1] = imp;
	c.f = &f;
	c.s = 0;
	c.arg = pair;
	c.opts = &o;
	out = capture(do_paths, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "shortest: web -hard-> api -hard-> db\n"
				    "if db fails alone, web is DOWN\n");
	free(out);
	o.format = DC_OUTPUT_JSON;
	out = capture(do_paths, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "{\n"
				    "  \"command\": \"path\",\n"
				    "  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n"
				    "  \"schema_version\": 1,\n"
				    "  \"from\": \"web\",\n"
				    "  \"to\": \"db\",\n"
				    "  \"depends\": true,\n"
				    "  \"from_state_if_to_fails\": \"down\",\n"
				    "  \"truncated\": false,\n"
				    "  \"paths\": [\n"
				    "    [\n"
				    "      {\n"
				    "        \"from\": \"web\",\n"
				    "        \"to\": \"api\",\n"
				    "        \"kind\": \"hard\",\n"
				    "        \"any_of\": false,\n"
				    "        \"file\": \"shop.yaml\",\n"
				    "        \"line\": 14,\n"
				    "        \"column\": 9\n"
				    "      },\n"
				    "      {\n"
				    "        \"from\": \"api\",\n"
				    "        \"to\": \"db\",\n"
				    "        \"kind\": \"hard\",\n"
				    "        \"any_of\": false,\n"
				    "        \"file\": \"shop.yaml\",\n"
				    "        \"line\": 19,\n"
				    "        \"column\": 18\n"
				    "      }\n"
				    "    ]\n"
				    "  ]\n"
				    "}\n");
	free(out);
	dc_paths_free(p);
	/* no chain: cache does not depend on web */
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, f.g, th_id(f.cat, "cache"), web, NULL), 0);
	pair[0] = p;
	o.format = DC_OUTPUT_TEXT;
	out = capture(do_paths, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "cache does not depend on web\n");
	free(out);
	dc_paths_free(p);
	dc_impact_free(imp);
	th_fx_free(&f);
}

/* show's service object and export's agree: the same values under the same
 * keys, export leaving out what is unset (both from dc__json_service) */
static void test_service_json_agrees(void)
{
	th_fx f;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	call c;
	char *out;
	int rc;
	th_fx_load(&f, "shop.yaml", shop);
	c.f = &f;
	c.s = 0;
	c.arg = NULL;
	c.opts = &o;
	o.format = DC_OUTPUT_JSON;
	out = capture(do_export, &c, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		"      \"name\": \"web\",\n"
		"      \"owner\": \"team-web\",\n"
		"      \"system\": \"shop\",\n"
		"      \"description\": \"The shop's front end\",\n"
		"      \"url\": \"https://web.example/\",\n"
		"      \"tier\": 1,\n"
		"      \"entrypoint\": true,\n"
		"      \"replicas\": 1,\n"
		"      \"zones\": [\"eu-a\", \"eu-b\"],\n"
		"      \"availability\": 0.999,\n"
		"      \"slo\": 0.99,\n"
		"      \"latency_ms\": 0,\n"
		"      \"tags\": [\"http\"],\n"
		"      \"depends_on\": [\n"));
	/* an unset attribute is left out; an external says so */
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		"      \"name\": \"db\",\n"
		"      \"entrypoint\": false,\n"
		"      \"replicas\": 2,\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "      \"name\": \"ghost\",\n      \"external\": true,\n"));
	free(out);

	/* the internal function directly: every key, in the documented order */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		dc_jsonw w;
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		dc_jw_init(&w, fp);
		dc__json_service(&w, f.cat, th_id(f.cat, "db"), DC__SVC_IDENTITY | DC__SVC_LOCATION);
		dc_jw_end(&w);
		fclose(fp);
		CU_ASSERT_STRING_EQUAL(buf, "{\n"
					    "  \"name\": \"db\",\n"
					    "  \"ref\": \"db\",\n"
					    "  \"format\": \"native\",\n"
					    "  \"external\": false,\n"
					    "  \"owner\": null,\n"
					    "  \"system\": null,\n"
					    "  \"description\": null,\n"
					    "  \"url\": null,\n"
					    "  \"tier\": null,\n"
					    "  \"entrypoint\": false,\n"
					    "  \"replicas\": 2,\n"
					    "  \"zones\": [],\n"
					    "  \"availability\": 0.999,\n"
					    "  \"slo\": null,\n"
					    "  \"latency_ms\": 0,\n"
					    "  \"tags\": [],\n"
					    "  \"file\": \"shop.yaml\",\n"
					    "  \"line\": 20,\n"
					    "  \"column\": 11\n"
					    "}\n");
		free(buf);
	}
	th_fx_free(&f);
}

/* every writer: formats it does not write, bad options, bad arguments */
static void test_invalid(void)
{
	static const dc_output_format unsupported[] = {
		DC_OUTPUT_YAML, DC_OUTPUT_DOT, DC_OUTPUT_SVG, DC_OUTPUT_SARIF, DC_OUTPUT_JUNIT,
		DC_OUTPUT_GITHUB, DC_OUTPUT_HTML, DC_OUTPUT_CSV, (dc_output_format)99,
	};
	th_fx f;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT;
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	dc_impact *imp = NULL;
	dc_paths *p = NULL;
	dc_id web;
	size_t i;
	FILE *fp = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	th_fx_load(&f, "shop.yaml", shop);
	web = th_id(f.cat, "web");
	CU_ASSERT_EQUAL_FATAL(dc_catalog_summarize(&sum, f.g, f.diags), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &web, 1, NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, f.g, web, th_id(f.cat, "db"), NULL), 0);
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		o.format = unsupported[i];
		CU_ASSERT_EQUAL(dc_write_validation(fp, &sum, f.diags, &o), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_write_show(fp, f.g, web, imp, &o), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_write_paths(fp, f.g, p, imp, &o), DC_EINVALID);
	}
	/* export writes json, yaml, dot only */
	CU_ASSERT_EQUAL(dc_export(f.cat, DC_OUTPUT_TEXT, fp), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_export(f.cat, DC_OUTPUT_SVG, fp), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_export(f.cat, (dc_output_format)99, fp), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_export(NULL, DC_OUTPUT_JSON, fp), DC_EINVALID);
	/* options of an unknown version */
	o.format = DC_OUTPUT_TEXT;
	o.version = 0;
	CU_ASSERT_EQUAL(dc_write_validation(fp, &sum, f.diags, &o), DC_EINVALID);
	o.version = DC_OUTPUT_OPTIONS_VERSION + 1;
	CU_ASSERT_EQUAL(dc_write_show(fp, f.g, web, imp, &o), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_paths(fp, f.g, p, imp, &o), DC_EINVALID);
	/* NULL options are the defaults (text) */
	CU_ASSERT_EQUAL(dc_write_show(fp, f.g, web, imp, NULL), 0);
	/* bad arguments */
	CU_ASSERT_EQUAL(dc_write_validation(NULL, &sum, f.diags, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_validation(fp, NULL, f.diags, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_show(fp, f.g, DC_NO_ID, imp, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_show(fp, f.g, (dc_id)dc_graph_node_count(f.g), imp, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_show(fp, f.g, web, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_show(fp, NULL, web, imp, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_paths(fp, f.g, NULL, imp, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_paths(fp, f.g, p, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_paths(fp, NULL, p, imp, NULL), DC_EINVALID);
	dc_paths_free(p);
	dc_impact_free(imp);
	th_fx_free(&f);
	fclose(fp);
}

int suite_output_catalog(void)
{
	static const th_test tests[] = {
		{ "dc_catalog_summarize", test_summary },
		{ "validation: text, colour, quiet, json", test_validation },
		{ "show: text and json, with the url", test_show },
		{ "paths: text and json, no chain", test_paths },
		{ "a service's JSON: show and export agree", test_service_json_agrees },
		{ "unsupported formats and bad arguments", test_invalid },
		{ NULL, NULL }
	};
	return th_suite("output_catalog", tests);
}
