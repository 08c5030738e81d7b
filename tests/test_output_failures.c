/*
 * test_output_failures.c - the failure writers (dc_write_simulation,
 * dc_write_failure_ranking, dc_write_analysis, dc_write_critical_paths)
 * and the results they take (dc_simulation_run, dc_critical_paths_new), on
 * a five-service catalog small enough to check by hand:
 *
 *   web (entrypoint, 5 ms) -> api (hard), cache (soft)
 *   api (10 ms) -> db (hard), worker (soft);  worker (2 ms) -> api (soft)
 *   db (20 ms), cache (1 ms); every call: timeout 100 ms, no retries
 *
 * Failing db (hang): api DOWN at +100 (one timeout), web DOWN at +200,
 * worker DEGRADED at +200 (through api). Blast radii: db 2 down / 1
 * degraded, api 1/1, worker 0/2, cache 0/1, web 0/0. Critical path of web:
 * api and worker form a cycle, so their calls to each other are not timed:
 * api = 10 + db 20 = 30, web = 5 + max(api 30, cache 1) = 35, so the
 * chain is web, api, db (cache is the faster call of web's one stage).
 */
#include "helpers.h"

#include <stdlib.h>

static const char catalog_yaml[] =
	"depcheck: 1\n"
	"defaults: { timeout_ms: 100, retries: 0 }\n"
	"services:\n"
	"  - name: web\n"
	"    entrypoint: true\n"
	"    latency_ms: 5\n"
	"    depends_on:\n"
	"      - api\n"
	"      - service: cache\n"
	"        kind: soft\n"
	"  - name: api\n"
	"    latency_ms: 10\n"
	"    depends_on:\n"
	"      - db\n"
	"      - service: worker\n"
	"        kind: soft\n"
	"  - name: worker\n"
	"    latency_ms: 2\n"
	"    depends_on:\n"
	"      - service: api\n"
	"        kind: soft\n"
	"  - name: db\n"
	"    latency_ms: 20\n"
	"  - name: cache\n"
	"    latency_ms: 1\n";

/* ---- simulate --fail -------------------------------------------------------- */

static const char sim_text[] =
	"Failed: db  (failure mode hang: a caller notices a failed dependency after timeout x (retries + 1))\n"
	"\n"
	"Entrypoints down:\n"
	"  +200 ms  DOWN      web     (entrypoint)  <- api <- db\n"
	"\n"
	"Timeline:\n"
	"    +0 ms  DOWN      db      (seed)\n"
	"  +100 ms  DOWN      api     <- db\n"
	"  +200 ms  DOWN      web     (entrypoint)  <- api <- db\n"
	"  +200 ms  DEGRADED  worker  <- api <- db\n"
	"\n"
	"3 down, 1 degraded, 1 of 1 entrypoint down\n";

static const char sim_json[] =
	"{\n"
	"  \"command\": \"simulate\",\n"
	"  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n"
	"  \"schema_version\": 1,\n"
	"  \"failed\": [\"db\"],\n"
	"  \"failure_mode\": \"hang\",\n"
	"  \"down\": [\n"
	"    {\"service\": \"db\", \"cause\": \"seed\", \"path\": [\"db\"], \"time_to_impact_ms\": 0, \"entrypoint\": false},\n"
	"    {\"service\": \"api\", \"cause\": \"db\", \"path\": [\"api\", \"db\"], \"time_to_impact_ms\": 100, \"entrypoint\": false},\n"
	"    {\"service\": \"web\", \"cause\": \"api\", \"path\": [\"web\", \"api\", \"db\"], \"time_to_impact_ms\": 200, \"entrypoint\": true}\n"
	"  ],\n"
	"  \"degraded\": [\n"
	"    {\"service\": \"worker\", \"cause\": \"api\", \"path\": [\"worker\", \"api\", \"db\"], \"time_to_impact_ms\": 200, \"entrypoint\": false}\n"
	"  ],\n"
	"  \"summary\": {\"down\": 3, \"degraded\": 1, \"entrypoints_down\": 1, \"entrypoints\": 1, "
	"\"lost_rps\": null, \"entrypoints_down_without_traffic\": 1, \"degraded_rps\": 0, "
	"\"entrypoints_degraded_without_traffic\": 0, \"traffic_rps\": null, "
	"\"entrypoints_traffic\": {\"declared\": 0, \"observed\": 0, \"unknown\": 1}}\n"
	"}\n";

/* the default: each event's predecessor only (no "path": linear output) */
static const char sim_json_short[] =
	"{\n"
	"  \"command\": \"simulate\",\n"
	"  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n"
	"  \"schema_version\": 1,\n"
	"  \"failed\": [\"db\"],\n"
	"  \"failure_mode\": \"hang\",\n"
	"  \"down\": [\n"
	"    {\"service\": \"db\", \"cause\": \"seed\", \"time_to_impact_ms\": 0, \"entrypoint\": false},\n"
	"    {\"service\": \"api\", \"cause\": \"db\", \"time_to_impact_ms\": 100, \"entrypoint\": false},\n"
	"    {\"service\": \"web\", \"cause\": \"api\", \"time_to_impact_ms\": 200, \"entrypoint\": true}\n"
	"  ],\n"
	"  \"degraded\": [\n"
	"    {\"service\": \"worker\", \"cause\": \"api\", \"time_to_impact_ms\": 200, \"entrypoint\": false}\n"
	"  ],\n"
	"  \"summary\": {\"down\": 3, \"degraded\": 1, \"entrypoints_down\": 1, \"entrypoints\": 1, "
	"\"lost_rps\": null, \"entrypoints_down_without_traffic\": 1, \"degraded_rps\": 0, "
	"\"entrypoints_degraded_without_traffic\": 0, \"traffic_rps\": null, "
	"\"entrypoints_traffic\": {\"declared\": 0, \"observed\": 0, \"unknown\": 1}}\n"
	"}\n";

static void test_simulation(void)
{
	th_fx f;
	dc_selection *sel;
	dc_simulation *s;
	const dc_id *tl;
	const char *const *sels;
	dc_simulation_counts c;
	dc_output_options o;
	char *out;
	int rc;
	th_fx_load(&f, "shop.yaml", catalog_yaml);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL(dc_select(sel, "nope"), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_select(sel, "db"), 0);
	CU_ASSERT_EQUAL(dc_selection_selectors(sel, &sels), 1); /* the failed call is not recorded */
	CU_ASSERT_STRING_EQUAL(sels[0], "db");
	CU_ASSERT_EQUAL(dc_simulation_run(&s, NULL, sel, DC_FAILURE_HANG), DC_EINVALID);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL_FATAL(dc_simulation_run(&s, f.g, sel, DC_FAILURE_HANG), 0);
	/* what it ran on, and the propagation it holds (see the top comment) */
	CU_ASSERT_PTR_EQUAL(dc_simulation_graph(s), f.g);
	CU_ASSERT_PTR_EQUAL(dc_simulation_selection(s), sel);
	CU_ASSERT_EQUAL(dc_simulation_mode(s), DC_FAILURE_HANG);
	{
		const dc_impact *imp = dc_simulation_impact(s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(imp);
		CU_ASSERT_EQUAL(th_state(f.cat, imp, "db"), DC_STATE_DOWN);
		CU_ASSERT_EQUAL(th_state(f.cat, imp, "api"), DC_STATE_DOWN);
		CU_ASSERT_EQUAL(th_state(f.cat, imp, "web"), DC_STATE_DOWN);
		CU_ASSERT_EQUAL(th_state(f.cat, imp, "worker"), DC_STATE_DEGRADED);
		CU_ASSERT_EQUAL(th_state(f.cat, imp, "cache"), DC_STATE_UP);
		CU_ASSERT_EQUAL(dc_impact_time_ms(imp, th_id(f.cat, "api")), 100);
		CU_ASSERT_EQUAL(dc_impact_time_ms(imp, th_id(f.cat, "web")), 200);
		CU_ASSERT_TRUE(th_cause_is(f.cat, imp, "web", "api"));
		CU_ASSERT_TRUE(th_cause_is(f.cat, imp, "worker", "api"));
	}
	CU_ASSERT_EQUAL_FATAL(dc_simulation_timeline(s, &tl), 4);
	CU_ASSERT_EQUAL(tl[0], th_id(f.cat, "db"));
	CU_ASSERT_EQUAL(tl[1], th_id(f.cat, "api"));
	CU_ASSERT_EQUAL(tl[2], th_id(f.cat, "web"));    /* DOWN before DEGRADED at +200 */
	CU_ASSERT_EQUAL(tl[3], th_id(f.cat, "worker"));
	c = dc_simulation_summary(s);
	CU_ASSERT_EQUAL(c.down, 3);
	CU_ASSERT_EQUAL(c.degraded, 1);
	CU_ASSERT_EQUAL(c.entrypoints, 1);
	CU_ASSERT_EQUAL(c.entrypoints_down, 1);
	CU_ASSERT_STRING_EQUAL(dc_simulation_cause(s, th_id(f.cat, "db")), "seed");
	CU_ASSERT_STRING_EQUAL(dc_simulation_cause(s, th_id(f.cat, "web")), "api");
	CU_ASSERT_PTR_NULL(dc_simulation_cause(s, th_id(f.cat, "cache")));
	CU_ASSERT_PTR_NULL(dc_simulation_cause(s, DC_NO_ID));

	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(out, rc, dc_write_simulation(fp, s, 0, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, sim_text);
	free(out);
	/* one row per section: the rest is counted */
	TH_CAPTURE(out, rc, dc_write_simulation(fp, s, 1, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    +0 ms  DOWN      db      (seed)\n"
					   "  ... and 3 more (--limit 0 lists every one)\n"));
	free(out);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(out, rc, dc_write_simulation(fp, s, 1, &o)); /* JSON: every event, its cause */
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, sim_json_short);
	free(out);
	o.full_paths = 1; /* the whole chains on request */
	TH_CAPTURE(out, rc, dc_write_simulation(fp, s, 1, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, sim_json);
	free(out);
	o.version = 1; /* a version-1 struct: the defaults, whatever follows it */
	TH_CAPTURE(out, rc, dc_write_simulation(fp, s, 1, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, sim_json_short);
	free(out);
	o.version = DC_OUTPUT_OPTIONS_VERSION;
	o.full_paths = 0;
	o = th_opts(DC_OUTPUT_SARIF);
	CU_ASSERT_EQUAL(dc_write_simulation(stdout, s, 0, &o), DC_EINVALID);
	o.version = 99;
	o.format = DC_OUTPUT_TEXT;
	CU_ASSERT_EQUAL(dc_write_simulation(stdout, s, 0, &o), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_simulation(NULL, s, 0, NULL), DC_EINVALID);
	dc_simulation_free(s);
	/* failing at once: the same states, every hop 0 ms */
	CU_ASSERT_EQUAL_FATAL(dc_simulation_run(&s, f.g, sel, DC_FAILURE_ERROR), 0);
	CU_ASSERT_EQUAL(dc_simulation_mode(s), DC_FAILURE_ERROR);
	CU_ASSERT_EQUAL(th_state(f.cat, dc_simulation_impact(s), "web"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(dc_impact_time_ms(dc_simulation_impact(s), th_id(f.cat, "web")), 0);
	dc_simulation_free(s);
	dc_selection_free(sel);
	th_fx_free(&f);
}

/* ---- simulate --each -------------------------------------------------------- */

static const char rank_text[] =
	"Every single failure, ranked by the other services it takes down (then degrades): top 2 of 5\n"
	"\n"
	"  rank  service    down  degraded\n"
	"     1  db            2         1\n"
	"     2  api           1         1\n";

static const char rank_json[] =
	"{\n"
	"  \"command\": \"simulate\",\n"
	"  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n"
	"  \"schema_version\": 1,\n"
	"  \"services\": 5,\n"
	"  \"truncated\": false,\n"
	"  \"rank_by\": \"blast\",\n"
	"  \"entrypoints_traffic\": {\"declared\": 0, \"observed\": 0, \"unknown\": 1},\n"
	"  \"impact\": [\n"
	"    {\"service\": \"db\", \"down\": 2, \"degraded\": 1},\n"
	"    {\"service\": \"api\", \"down\": 1, \"degraded\": 1},\n"
	"    {\"service\": \"worker\", \"down\": 0, \"degraded\": 2},\n"
	"    {\"service\": \"cache\", \"down\": 0, \"degraded\": 1},\n"
	"    {\"service\": \"web\", \"down\": 0, \"degraded\": 0}\n"
	"  ]\n"
	"}\n";

static void test_failure_ranking(void)
{
	th_fx f;
	dc_blast *b;
	dc_id order[5];
	dc_output_options o;
	int rc;
	char *out;
	th_fx_load(&f, "shop.yaml", catalog_yaml);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_order(b, f.cat, order), 0);
	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(out, rc, dc_write_failure_ranking(fp, f.g, b, order, 2, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, rank_text);
	free(out);
	TH_CAPTURE(out, rc, dc_write_failure_ranking(fp, f.g, b, order, 0, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(then degrades): all 5\n"));
	/* no row of zeros: web, whose failure touches nobody else, is counted */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "     4  cache         0         1\n"
					   "  (1 more: its failure takes nothing else down or degraded)\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "web"));
	free(out);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(out, rc, dc_write_failure_ranking(fp, f.g, b, order, 99, &o)); /* clipped to 5 */
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, rank_json);
	free(out);
	o = th_opts(DC_OUTPUT_DOT);
	CU_ASSERT_EQUAL(dc_write_failure_ranking(stdout, f.g, b, order, 0, &o), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_write_failure_ranking(stdout, f.g, b, NULL, 0, NULL), DC_EINVALID);
	dc_blast_free(b);
	th_fx_free(&f);
}

/* ---- analyze ------------------------------------------------------------------ */

static void test_analysis(void)
{
	th_fx f;
	dc_analysis *a;
	dc_output_options o;
	int rc;
	char *out;
	th_fx_load(&f, "shop.yaml", catalog_yaml);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, f.g, NULL), 0);
	CU_ASSERT_PTR_EQUAL(dc_analysis_graph(a), f.g);
	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 1, &o));
	CU_ASSERT_EQUAL(rc, 0);
	{
		static const char head[] = "5 services, 5 dependencies, 1 entrypoint\n"
					   "1 cycle, 0 hard cycles, max depth 3, 2 SPOFs\n"; /* db, api */
		CU_ASSERT_EQUAL(strncmp(out, head, sizeof(head) - 1), 0);
	}
	/* one row per section (--top 1), the rest counted */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nbiggest blast radii (other services down / degraded when it "
					   "fails alone) (4)\n"
					   "  db                               2 down, 1 degraded\n"
					   "  ... and 3 more\n"
					   "  (1 other service takes nothing else down or degraded)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nhard cycles (members share one fate) (0)\n"));
	free(out);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(out, rc, dc_write_analysis(fp, a, 1, &o));
	CU_ASSERT_EQUAL(rc, 0);
	{
		static const char head[] = "{\n  \"command\": \"analyze\",\n  \"depcheck_version\": \"" DC_VERSION_STRING "\",\n  \"schema_version\": 1,\n  \"services\": 5,\n  \"dependencies\": 5,\n";
		CU_ASSERT_EQUAL(strncmp(out, head, sizeof(head) - 1), 0);
	}
	/* JSON has every row whatever top says */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"service\": \"web\", \"down\": 0, \"degraded\": 0}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"cycles\": [\n    [\"api\", \"worker\"]\n  ]"));
	free(out);
	o = th_opts(DC_OUTPUT_JUNIT);
	CU_ASSERT_EQUAL(dc_write_analysis(stdout, a, 0, &o), DC_EINVALID);
	dc_analysis_free(a);
	th_fx_free(&f);
}

/* ---- critical path ------------------------------------------------------------ */

static const char cp_text[] =
	"@ = when a service answers, counting from the request reaching the first service at 0 ms\n"
	"\n"
	"web @35 ms (own 5 ms)\n"
	"\xe2\x94\x94\xe2\x94\x80 api @30 ms (own 10 ms, stage 0, called @0 ms) [cycle]\n"
	"   \xe2\x94\x94\xe2\x94\x80 db @20 ms (own 20 ms, stage 0, called @0 ms)\n"
	"\n"
	"note: 1 call inside a cycle is not timed (the chains above pass through it):\n"
	"  api -> worker\n";

static void test_critical_paths(void)
{
	th_fx f;
	dc_critical *cp;
	dc_critical_paths *p;
	const dc_critical_hop *h;
	const uint32_t *ign;
	size_t nh, nign;
	dc_output_options o;
	int rc;
	char *out;
	th_fx_load(&f, "shop.yaml", catalog_yaml);
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, f.g), 0);
	CU_ASSERT_EQUAL(dc_critical_paths_new(&p, cp, 99), DC_EINVALID);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL_FATAL(dc_critical_paths_new(&p, cp, DC_NO_ID), 0);
	CU_ASSERT_PTR_EQUAL(dc_critical_paths_graph(p), f.g);
	CU_ASSERT_PTR_EQUAL(dc_critical_paths_critical(p), cp);
	CU_ASSERT_EQUAL_FATAL(dc_critical_paths_count(p), 1);
	CU_ASSERT_EQUAL(dc_critical_paths_root(p, 0), th_id(f.cat, "web"));
	CU_ASSERT_EQUAL(dc_critical_paths_root(p, 1), DC_NO_ID);
	CU_ASSERT_EQUAL(dc_critical_paths_chain(p, 1, &h, &nh, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_critical_paths_chain(p, 0, &h, &nh, &ign, &nign), 0);
	CU_ASSERT_EQUAL(nh, 3); /* web, api, db: cache is the faster call of web's stage */
	CU_ASSERT_EQUAL_FATAL(nign, 1);
	CU_ASSERT_EQUAL(ign[0], (uint32_t)th_dep_of(f.cat, "api", "worker"));
	CU_ASSERT_EQUAL(dc_critical_paths_ignored(p, &ign), 1);
	CU_ASSERT_EQUAL(ign[0], (uint32_t)th_dep_of(f.cat, "api", "worker"));

	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(out, rc, dc_write_critical_paths(fp, p, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, cp_text);
	free(out);
	o.quiet = 1; /* no legend */
	TH_CAPTURE(out, rc, dc_write_critical_paths(fp, p, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, strchr(cp_text, '\n') + 1);
	free(out);
	o = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(out, rc, dc_write_critical_paths(fp, p, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"entrypoint\": \"web\",\n      \"total_ms\": 35,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"service\": \"db\", \"own_ms\": 20, \"stage\": 0, \"start_ms\": 0, "
					   "\"end_ms\": 20, \"depth\": 2, \"repeated\": false}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"cycle_calls_ignored\": [\n        {\"from\": \"api\", \"to\": \"worker\"}\n"));
	free(out);
	o = th_opts(DC_OUTPUT_YAML);
	CU_ASSERT_EQUAL(dc_write_critical_paths(stdout, p, &o), DC_EINVALID);
	dc_critical_paths_free(p);

	/* from one service that is no entrypoint: its own chain, nothing ignored */
	CU_ASSERT_EQUAL_FATAL(dc_critical_paths_new(&p, cp, th_id(f.cat, "db")), 0);
	CU_ASSERT_EQUAL(dc_critical_paths_count(p), 1);
	CU_ASSERT_EQUAL(dc_critical_paths_ignored(p, &ign), 0);
	o = th_opts(DC_OUTPUT_TEXT);
	TH_CAPTURE(out, rc, dc_write_critical_paths(fp, p, &o));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "@ = when a service answers, counting from the request reaching the first "
				    "service at 0 ms\n\ndb @20 ms (own 20 ms)\n");
	free(out);
	dc_critical_paths_free(p);
	dc_critical_free(cp);
	th_fx_free(&f);
}

int suite_output_failures(void)
{
	static const th_test tests[] = {
		{ "simulation: timeline, counts, text and JSON", test_simulation },
		{ "simulate --each ranking, text and JSON", test_failure_ranking },
		{ "analysis, text and JSON", test_analysis },
		{ "critical paths, text and JSON", test_critical_paths },
		{ NULL, NULL }
	};
	return th_suite("output_failures", tests);
}
