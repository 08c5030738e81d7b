/*
 * test_traffic.c - entry traffic and the requests/s a failure loses
 * (depcheck/traffic.h, dc_simulation_traffic_loss, dc_blast_lost_rps,
 * dc_blast_order_by): hand-checked catalogs, the observed source, the
 * sweep against one simulation per failure on random graphs, the writers.
 */
#include "helpers.h"
#include "gen.h"

#include <math.h>
#include <stdlib.h>

/* web 100 rps and mobile 30 rps share api -> db; batch is an entrypoint
 * with no traffic declared; admin (5 rps) uses api softly; worker declares
 * traffic_rps but is no entrypoint (its load comes through its callers). */
static const char *const PARTIAL =
	"depcheck: 1\n"
	"services:\n"
	"  - name: web\n    entrypoint: true\n    traffic_rps: 100\n    depends_on: [api]\n"
	"  - name: mobile\n    entrypoint: true\n    traffic_rps: 30\n    depends_on: [api]\n"
	"  - name: batch\n    entrypoint: true\n    depends_on: [api]\n"
	"  - name: admin\n    entrypoint: true\n    traffic_rps: 5\n"
	"    depends_on: [{service: api, kind: soft}]\n"
	"  - name: api\n    depends_on: [db]\n"
	"  - name: db\n"
	"  - name: worker\n    entrypoint: false\n    traffic_rps: 50\n";

/* The case: two entrypoints of 100 and 30 rps on a shared dependency. */
static const char *const SHARED =
	"depcheck: 1\n"
	"services:\n"
	"  - name: web\n    traffic_rps: 100\n    depends_on: [db]\n"
	"  - name: mobile\n    traffic_rps: 30\n    depends_on: [db]\n"
	"  - name: db\n";

static void test_declared(void)
{
	th_fx f;
	dc_traffic *t;
	th_fx_load(&f, "p.yaml", PARTIAL);
	CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&t, f.cat, NULL), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_traffic_rps(t, th_id(f.cat, "web")), 100, 1e-12);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(t, th_id(f.cat, "web")), DC_TRAFFIC_DECLARED);
	CU_ASSERT(dc_traffic_rps(t, th_id(f.cat, "batch")) < 0);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(t, th_id(f.cat, "batch")), DC_TRAFFIC_UNKNOWN);
	/* not an entrypoint: no entry traffic, whatever it declares */
	CU_ASSERT(dc_traffic_rps(t, th_id(f.cat, "worker")) < 0);
	CU_ASSERT_EQUAL(dc_traffic_entrypoints(t), 4);
	CU_ASSERT_EQUAL(dc_traffic_known(t), 3);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, DC_TRAFFIC_DECLARED), 3);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, DC_TRAFFIC_OBSERVED), 0);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, DC_TRAFFIC_UNKNOWN), 1);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, (dc_traffic_origin)7), 0);
	CU_ASSERT_EQUAL(dc_traffic_count(t), 7);
	/* out of range */
	CU_ASSERT(dc_traffic_rps(t, 7) < 0);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(t, 7), DC_TRAFFIC_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(dc_traffic_origin_name(DC_TRAFFIC_OBSERVED), "observed");
	CU_ASSERT_STRING_EQUAL(dc_traffic_origin_name(DC_TRAFFIC_DECLARED), "declared");
	CU_ASSERT_STRING_EQUAL(dc_traffic_origin_name(DC_TRAFFIC_UNKNOWN), "unknown");
	CU_ASSERT_PTR_NULL(dc_traffic_origin_name((dc_traffic_origin)7));
	CU_ASSERT_EQUAL(dc_traffic_new(NULL, f.cat, NULL), DC_EINVALID);
	dc_traffic_free(t);
	CU_ASSERT_EQUAL(dc_traffic_new(&t, NULL, NULL), DC_EINVALID);
	CU_ASSERT_PTR_NULL(t);
	dc_traffic_free(NULL);
	th_fx_free(&f);
}

/* Observed: the rate into an entrypoint from a caller outside the catalog
 * (Tempo's `user`), where no traffic_rps is declared; calls between
 * catalog services are not entry traffic; a declared value wins. */
static void test_observed(void)
{
	static const char *const tempo =
		"{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"user\", \"server\": \"batch\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"1200\"]]},\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"lb\", \"server\": \"batch\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"300\"]]},\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"user\", \"server\": \"web\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"9000\"]]},\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"web\", \"server\": \"admin\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"700\"]]}\n"
		"]}}\n";
	th_fx f;
	dc_observed *obs;
	dc_diags *d;
	dc_traffic *t;
	th_fx_load(&f, "p.yaml", PARTIAL);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&obs), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_parse_tempo(obs, "sg.json", tempo, strlen(tempo), NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&t, f.cat, obs), 0);
	/* (1200 + 300) calls over 100 s, from two outside callers */
	CU_ASSERT_DOUBLE_EQUAL(dc_traffic_rps(t, th_id(f.cat, "batch")), 15, 1e-9);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(t, th_id(f.cat, "batch")), DC_TRAFFIC_OBSERVED);
	/* declared wins over the observed 90 rps */
	CU_ASSERT_DOUBLE_EQUAL(dc_traffic_rps(t, th_id(f.cat, "web")), 100, 1e-12);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(t, th_id(f.cat, "web")), DC_TRAFFIC_DECLARED);
	/* web -> admin is a call inside the graph: admin keeps its declared 5 */
	CU_ASSERT_DOUBLE_EQUAL(dc_traffic_rps(t, th_id(f.cat, "admin")), 5, 1e-12);
	CU_ASSERT_EQUAL(dc_traffic_known(t), 4);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, DC_TRAFFIC_OBSERVED), 1);
	CU_ASSERT_EQUAL(dc_traffic_count_by_origin(t, DC_TRAFFIC_UNKNOWN), 0);
	dc_traffic_free(t);
	dc_observed_free(obs);
	dc_diags_free(d);
	th_fx_free(&f);
}

static dc_simulation *run(th_fx *f, dc_selection **sel, const char *what, const dc_traffic *t)
{
	dc_simulation *s = NULL;
	dc_simulation_options o = DC_SIMULATION_OPTIONS_INIT;
	o.traffic = t;
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(sel, f->cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(*sel, what), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulation_run_ex(&s, f->g, *sel, DC_FAILURE_HANG, &o), 0);
	return s;
}

static void test_scenario_loss(void)
{
	th_fx f;
	dc_selection *sel;
	dc_simulation *s;
	dc_simulation_loss l;

	th_fx_load(&f, "s.yaml", SHARED);
	s = run(&f, &sel, "db", NULL);
	l = dc_simulation_traffic_loss(s);
	CU_ASSERT_DOUBLE_EQUAL(l.lost_rps, 130, 1e-12);
	CU_ASSERT_EQUAL(l.lost_unknown, 0);
	CU_ASSERT_DOUBLE_EQUAL(l.degraded_rps, 0, 1e-12);
	CU_ASSERT_EQUAL(l.known, 2);
	CU_ASSERT_DOUBLE_EQUAL(l.known_rps, 130, 1e-12);
	CU_ASSERT_EQUAL(dc_traffic_origin_of(dc_simulation_traffic(s), th_id(f.cat, "web")), DC_TRAFFIC_DECLARED);
	dc_simulation_free(s);
	dc_selection_free(sel);
	s = run(&f, &sel, "mobile", NULL);
	CU_ASSERT_DOUBLE_EQUAL(dc_simulation_traffic_loss(s).lost_rps, 30, 1e-12);
	dc_simulation_free(s);
	dc_selection_free(sel);
	th_fx_free(&f);

	/* partial: batch goes down with no known traffic; admin degrades */
	th_fx_load(&f, "p.yaml", PARTIAL);
	s = run(&f, &sel, "db", NULL);
	l = dc_simulation_traffic_loss(s);
	CU_ASSERT_DOUBLE_EQUAL(l.lost_rps, 130, 1e-12);
	CU_ASSERT_EQUAL(l.lost_unknown, 1);
	CU_ASSERT_DOUBLE_EQUAL(l.degraded_rps, 5, 1e-12);
	CU_ASSERT_EQUAL(l.degraded_unknown, 0);
	CU_ASSERT_EQUAL(l.known, 3);
	CU_ASSERT_DOUBLE_EQUAL(l.known_rps, 135, 1e-12);
	dc_simulation_free(s);
	dc_selection_free(sel);
	/* a failure that takes no entrypoint down loses nothing: 0 is a fact */
	s = run(&f, &sel, "worker", NULL);
	l = dc_simulation_traffic_loss(s);
	CU_ASSERT_DOUBLE_EQUAL(l.lost_rps, 0, 1e-12);
	CU_ASSERT_EQUAL(l.lost_unknown, 0);
	dc_simulation_free(s);
	dc_selection_free(sel);
	th_fx_free(&f);
}

static void test_scenario_options(void)
{
	th_fx f, other;
	dc_selection *sel;
	dc_simulation *s = (dc_simulation *)1;
	dc_simulation_options o = DC_SIMULATION_OPTIONS_INIT;
	dc_traffic *t;
	th_fx_load(&f, "s.yaml", SHARED);
	th_fx_load(&other, "p.yaml", PARTIAL);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "db"), 0);
	o.version = 99;
	CU_ASSERT_EQUAL(dc_simulation_run_ex(&s, f.g, sel, DC_FAILURE_HANG, &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(s);
	/* a traffic of another catalog size */
	CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&t, other.cat, NULL), 0);
	o.version = DC_SIMULATION_OPTIONS_VERSION;
	o.traffic = t;
	CU_ASSERT_EQUAL(dc_simulation_run_ex(&s, f.g, sel, DC_FAILURE_HANG, &o), DC_EINVALID);
	dc_traffic_free(t);
	dc_selection_free(sel);
	th_fx_free(&other);
	th_fx_free(&f);
}

static void test_blast_loss(void)
{
	th_fx f;
	dc_blast *b;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_id order[7];
	static const char *const want[] = { "db", "api", "web", "mobile", "admin", "batch", "worker" };
	size_t i;
	dc_rank_by by;

	th_fx_load(&f, "p.yaml", PARTIAL);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, f.g), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "db")), 130, 1e-12);
	CU_ASSERT_EQUAL(dc_blast_lost_unknown(b, th_id(f.cat, "db")), 1);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "api")), 130, 1e-12);
	/* an entrypoint's own failure loses its own traffic */
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "web")), 100, 1e-12);
	CU_ASSERT_EQUAL(dc_blast_lost_unknown(b, th_id(f.cat, "web")), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "batch")), 0, 1e-12);
	CU_ASSERT_EQUAL(dc_blast_lost_unknown(b, th_id(f.cat, "batch")), 1);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "worker")), 0, 1e-12);
	CU_ASSERT_EQUAL(dc_blast_traffic_known(b), 3);
	CU_ASSERT_EQUAL(dc_blast_traffic_by_origin(b, DC_TRAFFIC_DECLARED), 3);
	CU_ASSERT_EQUAL(dc_blast_traffic_by_origin(b, DC_TRAFFIC_UNKNOWN), 1);
	CU_ASSERT_EQUAL(dc_blast_traffic_by_origin(b, (dc_traffic_origin)9), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, 99), 0, 1e-12);
	CU_ASSERT_EQUAL(dc_blast_lost_unknown(b, 99), 0);
	/* traffic lost first (130, 130, 100, 30, 5, then unknown), ties by
	 * services down (db 4 > api 3), the rest by name */
	CU_ASSERT_EQUAL_FATAL(dc_blast_order_by(b, f.cat, DC_RANK_TRAFFIC, order), 0);
	for (i = 0; i < 7; i++)
		CU_ASSERT_STRING_EQUAL(dc_service_name(f.cat, order[i]), want[i]);
	CU_ASSERT_EQUAL(dc_blast_order_by(b, f.cat, (dc_rank_by)5, order), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_rank_by_parse(&by, "traffic"), 0);
	CU_ASSERT_EQUAL(by, DC_RANK_TRAFFIC);
	CU_ASSERT_EQUAL(dc_rank_by_parse(&by, "blast"), 0);
	CU_ASSERT_EQUAL(by, DC_RANK_BLAST);
	CU_ASSERT_EQUAL(dc_rank_by_parse(&by, "rps"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_rank_by_parse(&by, NULL), DC_EINVALID);
	CU_ASSERT_STRING_EQUAL(dc_rank_by_name(DC_RANK_TRAFFIC), "traffic");
	CU_ASSERT_STRING_EQUAL(dc_rank_by_name(DC_RANK_BLAST), "blast");
	CU_ASSERT_PTR_NULL(dc_rank_by_name((dc_rank_by)5));
	dc_blast_free(b);
	/* NO_SPOFS skips the traffic too */
	bo.flags = DC_BLAST_NO_SPOFS;
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, f.g, &bo), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_blast_lost_rps(b, th_id(f.cat, "db")), 0, 1e-12);
	dc_blast_free(b);
	th_fx_free(&f);
}

/* The sweep's traffic lost equals one simulation per failure, on random
 * graphs with groups, soft edges and cycles, whole rps so sums are exact;
 * with several threads and tiny blocks as with one. */
static void test_blast_vs_simulation(void)
{
	unsigned seed_i, failures = 0;
	for (seed_i = 0; seed_i < 120; seed_i++) {
		uint64_t seed = 0x7aff1c00 + seed_i;
		unsigned n = 2 + gen_below(&seed, 40), v;
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 21), 25, 25, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_blast *b;
		dc_traffic *t;
		dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		for (v = 0; v < n; v++) {
			/* some more entrypoints, some of unknown traffic */
			if (gen_below(&seed, 3) == 0)
				cat_svc(cat, v)->flags |= SVC_ENTRY;
			cat_svc(cat, v)->traffic_rps = gen_below(&seed, 4) ? (double)gen_below(&seed, 1000) : -1;
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&t, cat, NULL), 0);
		bo.traffic = t;
		bo.threads = 1 + seed_i % 3;
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, g, &bo), 0);
		for (v = 0; v < n; v++) {
			dc_selection *sel;
			dc_simulation *s;
			dc_simulation_options so = DC_SIMULATION_OPTIONS_INIT;
			dc_simulation_loss l;
			so.traffic = t;
			CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, cat), 0);
			CU_ASSERT_EQUAL_FATAL(dc_select(sel, dc_service_name(cat, v)), 0);
			CU_ASSERT_EQUAL_FATAL(dc_simulation_run_ex(&s, g, sel, DC_FAILURE_ERROR, &so), 0);
			l = dc_simulation_traffic_loss(s);
			failures += l.lost_rps != dc_blast_lost_rps(b, v);
			failures += l.lost_unknown != dc_blast_lost_unknown(b, v);
			dc_simulation_free(s);
			dc_selection_free(sel);
		}
		dc_blast_free(b);
		dc_traffic_free(t);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

static void test_analyze_rank(void)
{
	th_fx f, other;
	dc_analysis *a;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_traffic *t;
	const dc_id *ids;
	th_fx_load(&f, "p.yaml", PARTIAL);
	th_fx_load(&other, "s.yaml", SHARED);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, f.g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_rank_by(a), DC_RANK_BLAST);
	dc_analysis_free(a);
	ao.rank_by = DC_RANK_TRAFFIC;
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, f.g, &ao), 0);
	CU_ASSERT_EQUAL(dc_analysis_rank_by(a), DC_RANK_TRAFFIC);
	CU_ASSERT_EQUAL(dc_analysis_blast_order(a, &ids), 7);
	/* web (100 rps, its own) before admin (takes nothing else down either) */
	CU_ASSERT_STRING_EQUAL(dc_service_name(f.cat, ids[2]), "web");
	CU_ASSERT_STRING_EQUAL(dc_service_name(f.cat, ids[4]), "admin");
	dc_analysis_free(a);
	ao.rank_by = (dc_rank_by)3;
	CU_ASSERT_EQUAL(dc_analyze(&a, f.g, &ao), DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&t, other.cat, NULL), 0);
	ao.rank_by = DC_RANK_BLAST;
	ao.traffic = t;
	CU_ASSERT_EQUAL(dc_analyze(&a, f.g, &ao), DC_EINVALID);
	dc_traffic_free(t);
	th_fx_free(&other);
	th_fx_free(&f);
}

static void test_writers(void)
{
	th_fx f;
	dc_selection *sel;
	dc_simulation *s;
	dc_blast *b;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_id order[7];
	char *buf = NULL;
	int rc;

	th_fx_load(&f, "p.yaml", PARTIAL);
	s = run(&f, &sel, "db", NULL);
	TH_CAPTURE(buf, rc, dc_write_simulation(fp, s, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Traffic lost at entrypoints: >= 130 rps of 135 known (3 of 4 entrypoints: 3 declared)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "partial: 1 entrypoint down with no known traffic: at least 130 rps lost"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "at risk, not counted as lost: 5 rps at 1 degraded entrypoint"));
	free(buf);
	oo.format = DC_OUTPUT_JSON;
	TH_CAPTURE(buf, rc, dc_write_simulation(fp, s, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"lost_rps\": 130, \"entrypoints_down_without_traffic\": 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"service\": \"batch\", \"cause\": \"api\", \"time_to_impact_ms\": 2000, "
					   "\"entrypoint\": true, \"lost_rps\": null, \"traffic_source\": \"unknown\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"degraded_rps\": 5, \"traffic_source\": \"declared\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"entrypoints_traffic\": {\"declared\": 3, \"observed\": 0, \"unknown\": 1}"));
	free(buf);
	dc_simulation_free(s);
	dc_selection_free(sel);

	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_order_by(b, f.cat, DC_RANK_TRAFFIC, order), 0);
	TH_CAPTURE(buf, rc, dc_write_failure_ranking_by(fp, f.g, b, order, DC_RANK_TRAFFIC, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"rank_by\": \"traffic\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"service\": \"batch\", \"down\": 0, \"degraded\": 0, \"lost_rps\": null, "
					   "\"entrypoints_down_without_traffic\": 1}"));
	free(buf);
	oo.format = DC_OUTPUT_TEXT;
	TH_CAPTURE(buf, rc, dc_write_failure_ranking_by(fp, f.g, b, order, DC_RANK_TRAFFIC, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "ranked by the entrypoint requests/s it loses"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "     1  db             >= 130       4         1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "     6  batch         unknown       0         0  (entrypoint)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "(1 more: its failure takes nothing else down or degraded and loses no traffic)"));
	free(buf);
	buf = NULL;
	CU_ASSERT_EQUAL(dc_write_failure_ranking_by(stdout, f.g, b, order, (dc_rank_by)4, 0, &oo), DC_EINVALID);
	dc_blast_free(b);
	th_fx_free(&f);
}

int suite_traffic(void)
{
	static const th_test tests[] = {
		{ "declared entry traffic", test_declared },
		{ "observed entry traffic", test_observed },
		{ "scenario: requests/s lost", test_scenario_loss },
		{ "scenario: options", test_scenario_options },
		{ "blast: requests/s lost, rank by traffic", test_blast_loss },
		{ "blast vs one simulation per failure", test_blast_vs_simulation },
		{ "analyze: rank by traffic", test_analyze_rank },
		{ "writers", test_writers },
		{ NULL, NULL }
	};
	return th_suite("traffic", tests);
}
