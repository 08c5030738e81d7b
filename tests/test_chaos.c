/*
 * test_chaos.c - chaos experiments and their verification (lib/chaos.c,
 * lib/verify.c, lib/output_chaos.c) on a hand-checked catalog: the
 * candidates and their order, ids, predictions, every finding kind with
 * its fix, errors in the results file at their positions, and the writers.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

/* web (entrypoint, zones a+b) -> api (hard), web -soft-> ads (200 ms);
 * api (zone a) -> any_of [db1 (zone a), db2 (zone b)] (100 ms) */
static const char shop[] =
	"services:\n"
	"  - {name: web, entrypoint: true, zones: [a, b], depends_on: [api, {service: ads, kind: soft, timeout_ms: 200}]}\n"
	"  - {name: api, zones: [a], depends_on: [{any_of: [db1, db2], timeout_ms: 100}]}\n"
	"  - {name: ads}\n"
	"  - {name: db1, zones: [a]}\n"
	"  - {name: db2, zones: [b]}\n";

typedef struct {
	TH_FX;
	dc_experiments *x;
} fx_t;

static void setup(fx_t *f, const char *text, const dc_availability *a)
{
	dc_experiments_options o = DC_EXPERIMENTS_OPTIONS_INIT;
	memset(f, 0, sizeof(*f));
	th_fx_load(&f->base, "shop.yaml", text);
	o.availability = a;
	CU_ASSERT_EQUAL_FATAL(dc_experiments_plan(&f->x, f->g, &o), 0);
}

static void teardown(fx_t *f)
{
	dc_experiments_free(f->x);
	th_fx_free(&f->base);
}

static void test_candidates(void)
{
	fx_t f;
	const dc_experiment *e;
	static const char *const want[] = { "kill-api", "partition-web--ads", "kill-db1", "zone-a", "zone-b" };
	size_t i;
	setup(&f, shop, NULL);
	/* without importance every score is 0: by reason, then id */
	CU_ASSERT_EQUAL(dc_experiments_count(f.x), 5);
	for (i = 0; i < 5; i++) {
		e = dc_experiments_get(f.x, i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_STRING_EQUAL(e->id, want[i]);
	}
	e = dc_experiments_get(f.x, 0);
	CU_ASSERT_EQUAL(e->action, DC_EXP_KILL);
	CU_ASSERT_EQUAL(e->reason, DC_EXP_WHY_SPOF);
	CU_ASSERT_STRING_EQUAL(dc_experiment_reason_name(e->reason), "spof");
	e = dc_experiments_get(f.x, 1);
	CU_ASSERT_EQUAL(e->action, DC_EXP_PARTITION);
	CU_ASSERT_STRING_EQUAL(dc_experiment_action_name(e->action), "partition");
	CU_ASSERT_EQUAL(e->service, th_id(f.cat, "web"));
	CU_ASSERT_EQUAL(e->target, th_id(f.cat, "ads"));
	CU_ASSERT_EQUAL(e->dep, (uint32_t)th_dep_of(f.cat, "web", "ads"));
	e = dc_experiments_get(f.x, 2);
	CU_ASSERT_EQUAL(e->reason, DC_EXP_WHY_ANY_OF);
	CU_ASSERT_EQUAL(e->dep, (uint32_t)th_dep_of(f.cat, "api", "db1"));
	CU_ASSERT_STRING_EQUAL(dc_experiments_get(f.x, 3)->zone, "a");
	/* every experiment has an id, candidate or not */
	e = dc_experiments_find(f.x, "kill-ads");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->reason, DC_EXP_WHY_NONE);
	CU_ASSERT_PTR_NOT_NULL(dc_experiments_find(f.x, "partition-web--api"));
	CU_ASSERT_PTR_NULL(dc_experiments_find(f.x, "kill-nobody"));
	CU_ASSERT_PTR_NULL(dc_experiments_find(f.x, NULL));
	CU_ASSERT_PTR_EQUAL(dc_experiments_graph(f.x), f.g);
	CU_ASSERT_EQUAL(dc_experiments_mode(f.x), DC_FAILURE_HANG);
	teardown(&f);
}

static void test_ranking(void)
{
	fx_t f;
	dc_availability *a = NULL;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	size_t i, n;
	th_fx_load(&f.base, "shop.yaml", shop);
	ao.threads = 1;
	CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&a, f.g, &ao), 0);
	th_fx_free(&f.base);
	setup(&f, shop, NULL);
	dc_experiments_free(f.x);
	f.x = NULL;
	dc_availability_free(a);
	a = NULL;
	/* the graph of the plan must be the availability's: compute on f.g */
	CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&a, f.g, &ao), 0);
	{
		dc_experiments_options o = DC_EXPERIMENTS_OPTIONS_INIT;
		o.availability = a;
		CU_ASSERT_EQUAL_FATAL(dc_experiments_plan(&f.x, f.g, &o), 0);
	}
	n = dc_experiments_count(f.x);
	CU_ASSERT(n >= 4);
	for (i = 1; i < n; i++) {
		const dc_experiment *p = dc_experiments_get(f.x, i - 1), *q = dc_experiments_get(f.x, i);
		CU_ASSERT(p->birnbaum > q->birnbaum ||
			  (p->birnbaum == q->birnbaum && p->fussell_vesely >= q->fussell_vesely));
	}
	/* killing api risks web entirely: Birnbaum importance near 1 */
	CU_ASSERT(dc_experiments_find(f.x, "kill-api")->birnbaum > 0.9);
	dc_availability_free(a);
	teardown(&f);
}

static const char *kill_id(const fx_t *f, const char *name)
{
	dc_id sid = th_id(f->cat, name);
	size_t c;
	for (c = 0; c < dc_experiments_count(f->x); c++)
		if (dc_experiments_get(f->x, c)->action == DC_EXP_KILL && dc_experiments_get(f->x, c)->service == sid)
			return dc_experiments_get(f->x, c)->id;
	return "";
}

static void test_ids(void)
{
	fx_t f;
	static const char *const names[] = {
		"Foo_Bar", "foo-bar", "a--b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	size_t k;
	/* every one of them a SPOF of root, so a candidate */
	setup(&f, "services:\n"
		  "  - {name: root, entrypoint: true, depends_on: [Foo_Bar, foo-bar, a--b,"
		  " aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]}\n"
		  "  - {name: Foo_Bar}\n  - {name: foo-bar}\n  - {name: a--b}\n"
		  "  - {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}\n",
	      NULL);
	CU_ASSERT_EQUAL(dc_experiments_count(f.x), 4);
	for (k = 0; k < 4; k++) {
		const char *id = kill_id(&f, names[k]), *s;
		CU_ASSERT_FATAL(strlen(id) > 5);
		/* at most 63 of lowercase alphanumerics and '-', alphanumeric at the end */
		CU_ASSERT(strlen(id) <= 63);
		for (s = id; *s; s++)
			CU_ASSERT((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-');
		CU_ASSERT(id[strlen(id) - 1] != '-');
		CU_ASSERT_PTR_NOT_NULL(dc_experiments_find(f.x, id));
	}
	/* an unchanged name keeps its slug; a changed one gets 8 hex digits of a hash */
	CU_ASSERT_STRING_EQUAL(kill_id(&f, "foo-bar"), "kill-foo-bar");
	CU_ASSERT(strncmp(kill_id(&f, "Foo_Bar"), "kill-foo-bar-", 13) == 0 && strlen(kill_id(&f, "Foo_Bar")) == 21);
	/* "--" inside a name is hashed, so a partition's two names stay apart */
	CU_ASSERT(strncmp(kill_id(&f, "a--b"), "kill-a--b-", 10) == 0 && strlen(kill_id(&f, "a--b")) == 18);
	/* too long: cut, then the hash, 63 in all */
	CU_ASSERT_EQUAL(strlen(kill_id(&f, names[3])), 63);
	teardown(&f);
}

static const dc_prediction *web_row(const dc_prediction *p, size_t n, dc_id web)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i].entrypoint == web)
			return &p[i];
	return NULL;
}

static void test_predictions(void)
{
	fx_t f;
	const dc_prediction *p, *w;
	size_t n;
	dc_id web;
	setup(&f, shop, NULL);
	web = th_id(f.cat, "web");
	/* kill api: web DOWN after the default 1000 ms */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "kill-api"), &p);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	w = web_row(p, n, web);
	CU_ASSERT_EQUAL(w->state, DC_STATE_DOWN);
	CU_ASSERT_EQUAL(w->time_ms, 1000);
	/* partition web -> ads: web DEGRADED when its 200 ms timeout fires */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "partition-web--ads"), &p);
	w = web_row(p, n, web);
	CU_ASSERT_EQUAL(w->state, DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(w->time_ms, 200);
	/* partition web -> api (hard): DOWN */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "partition-web--api"), &p);
	CU_ASSERT_EQUAL(web_row(p, n, web)->state, DC_STATE_DOWN);
	/* kill db1: api degrades, web through it */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "kill-db1"), &p);
	CU_ASSERT_EQUAL(web_row(p, n, web)->state, DC_STATE_DEGRADED);
	/* zone a: api is single-zone there: web DOWN */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "zone-a"), &p);
	CU_ASSERT_EQUAL(web_row(p, n, web)->state, DC_STATE_DOWN);
	/* kill ads (not a candidate): web degraded */
	n = dc_experiment_predict(f.x, dc_experiments_find(f.x, "kill-ads"), &p);
	CU_ASSERT_EQUAL(web_row(p, n, web)->state, DC_STATE_DEGRADED);
	/* an experiment of no plan */
	{
		dc_experiment fake;
		memset(&fake, 0, sizeof(fake));
		CU_ASSERT_EQUAL(dc_experiment_predict(f.x, &fake, &p), 0);
		CU_ASSERT_PTR_NULL(p);
	}
	teardown(&f);
}

static dc_verification *verify(fx_t *f, const char *text, int want, dc_diags *d)
{
	dc_verification *v = NULL;
	CU_ASSERT_EQUAL(dc_verify(&v, f->x, "results", text, strlen(text), NULL, d), want);
	return v;
}

static void test_verify_findings(void)
{
	fx_t f;
	dc_verification *v;
	const dc_finding *fi;
	size_t n;
	setup(&f, shop, NULL);

	/* as predicted, times inside the tolerance: nothing */
	v = verify(&f, "experiment,entrypoint,state,after_ms\n"
		       "kill-api,web,down,1800\n"
		       "partition-web--ads,web,degraded,\n", 0, NULL);
	CU_ASSERT_EQUAL(dc_verification_findings(v, &fi), 0);
	CU_ASSERT_EQUAL(dc_verification_experiment_count(v), 2);
	CU_ASSERT_EQUAL(dc_verification_observation_count(v), 2);
	CU_ASSERT_STRING_EQUAL(dc_verification_experiment_id(v, 1), "partition-web--ads");
	CU_ASSERT_PTR_EQUAL(dc_verification_plan(v), f.x);
	CU_ASSERT_EQUAL(dc_verification_options(v)->tolerance_ms, 1000);
	dc_verification_free(v);

	/* the soft edge behaved as hard: that finding, with the edge */
	v = verify(&f, "experiment,entrypoint,state,after_ms\npartition-web--ads,web,down,250\n", 0, NULL);
	n = dc_verification_findings(v, &fi);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(fi[0].kind, DC_FINDING_SOFT_EDGE_HARD);
	CU_ASSERT_STRING_EQUAL(dc_finding_kind_name(fi[0].kind), "soft-edge-behaved-hard");
	CU_ASSERT_EQUAL(fi[0].dep, (uint32_t)th_dep_of(f.cat, "web", "ads"));
	CU_ASSERT_EQUAL_FATAL(fi[0].nrows, 1);
	CU_ASSERT_EQUAL(fi[0].rows[0].predicted, DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(fi[0].rows[0].observed, DC_STATE_DOWN);
	CU_ASSERT_EQUAL(fi[0].rows[0].observed_ms, 250);
	dc_verification_free(v);

	/* the any_of group was not redundant (JSON this time) */
	v = verify(&f, "{\"experiments\": [{\"id\": \"kill-db1\", \"entrypoints\": "
		       "[{\"name\": \"web\", \"state\": \"down\", \"after_ms\": 1100}]}]}", 0, NULL);
	n = dc_verification_findings(v, &fi);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(fi[0].kind, DC_FINDING_ANY_OF_NOT_REDUNDANT);
	CU_ASSERT_EQUAL(fi[0].dep, (uint32_t)th_dep_of(f.cat, "api", "db1"));
	dc_verification_free(v);

	/* time far off, and a state nothing explains */
	v = verify(&f, "experiment,entrypoint,state,after_ms\n"
		       "kill-api,web,down,5000\n"
		       "zone-b,web,down,10\n", 0, NULL);
	n = dc_verification_findings(v, &fi);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(fi[0].kind, DC_FINDING_TIME);
	CU_ASSERT_STRING_EQUAL(fi[0].experiment->id, "kill-api");
	CU_ASSERT_EQUAL(fi[0].rows[0].predicted_ms, 1000);
	CU_ASSERT_EQUAL(fi[1].kind, DC_FINDING_STATE);
	CU_ASSERT_EQUAL(fi[1].dep, UINT32_MAX);
	dc_verification_free(v);
	teardown(&f);
}

static void test_verify_errors(void)
{
	fx_t f;
	dc_diags *d = NULL;
	setup(&f, shop, NULL);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	verify(&f, "experiment,entrypoint,state,after_ms\nkill-nobody,web,down,1\n", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 2, 1, "no experiment has the id 'kill-nobody' (ids are those `depcheck experiments` writes)"));
	verify(&f, "experiment,entrypoint,state,after_ms\nkill-api,api,down,1\n", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 2, 10, "'api' is not an entrypoint of the catalog"));
	verify(&f, "experiment,entrypoint,state,after_ms\nkill-api,web,gone,1\n", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 2, 14, "state must be up, degraded or down, not 'gone'"));
	verify(&f, "experiment,entrypoint,state,after_ms\nkill-api,web,down,-3\n", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 2, 19,
			      "after_ms must be a whole number of milliseconds >= 0"));
	verify(&f, "id,entrypoint\n", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 1, 1,
			      "the first line must be the header experiment,entrypoint,state,after_ms or "
			      "experiment,entrypoint,state,after_ms,date"));
	verify(&f, "", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 1, 1,
			      "empty results: the first line must be the header experiment,entrypoint,state,after_ms"));
	verify(&f, "{\"experiments\": [{\"id\": \"kill-api\",\n \"entrypoints\": [{\"name\": \"web\", \"state\": 3}]}]}",
	       DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 2, 43,
			      "\"state\" must be \"up\", \"degraded\" or \"down\""));
	verify(&f, "{\"experiments\": {}}", DC_EINVALID, d);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "results", 1, 17, "\"experiments\" must be a list, not mapping"));
	verify(&f, "{\"experiments\": [", DC_EPARSE, d);
	{
		dc_verification *v = NULL;
		dc_verify_options o = DC_VERIFY_OPTIONS_INIT;
		o.tolerance_ratio = -1;
		CU_ASSERT_EQUAL(dc_verify(&v, f.x, "r", "", 0, &o, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_verify(&v, NULL, "r", "", 0, NULL, NULL), DC_EINVALID);
		CU_ASSERT_PTR_NULL(v);
	}
	dc_diags_free(d);
	teardown(&f);
}

static char *write_x(fx_t *f, dc_output_format fmt, size_t top)
{
	dc_experiments_report r = DC_EXPERIMENTS_REPORT_INIT;
	dc_output_options o = th_opts(fmt);
	char *buf = NULL;
	int rc;
	r.x = f->x;
	r.top = top;
	TH_CAPTURE(buf, rc, dc_write_experiments(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	return buf;
}

static void test_writers(void)
{
	fx_t f;
	char *s;
	setup(&f, shop, NULL);
	s = write_x(&f, DC_OUTPUT_TEXT, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "2 of 5 candidate experiments"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "1. kill-api"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "... and 3 more"));
	free(s);
	s = write_x(&f, DC_OUTPUT_JSON, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"command\": \"experiments\""));
	CU_ASSERT_EQUAL(th_count(s, "\"rank\":"), 5);
	free(s);
	s = write_x(&f, DC_OUTPUT_CHAOS_MESH, 0);
	CU_ASSERT_EQUAL(th_count(s, "kind: PodChaos"), 4);
	CU_ASSERT_EQUAL(th_count(s, "kind: NetworkChaos"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "depcheck.dev/prediction: \"web=down@1000ms\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "topology.kubernetes.io/zone: \"a\""));
	free(s);
	s = write_x(&f, DC_OUTPUT_LITMUS, 0);
	CU_ASSERT_EQUAL(th_count(s, "kind: ChaosEngine"), 5);
	CU_ASSERT_EQUAL(th_count(s, "- name: pod-network-latency"), 1);
	/* 200 ms hang + 1000 ms: every attempt times out */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "- name: NETWORK_LATENCY\n              value: \"1200\""));
	free(s);
	s = write_x(&f, DC_OUTPUT_AWS_FIS, 0);
	CU_ASSERT_EQUAL(th_count(s, "\"roleArn\""), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"actionId\": \"aws:eks:pod-network-latency\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"source\": \"none\""));
	free(s);
	/* a format experiments does not write */
	{
		dc_experiments_report r = DC_EXPERIMENTS_REPORT_INIT;
		dc_output_options o = th_opts(DC_OUTPUT_SARIF);
		int rc;
		r.x = f.x;
		TH_CAPTURE(s, rc, dc_write_experiments(fp, &r, &o));
		CU_ASSERT_EQUAL(rc, DC_EINVALID);
		free(s);
	}
	/* the overlay of a soft edge that behaved as hard */
	{
		dc_verification *v = verify(&f, "experiment,entrypoint,state,after_ms\npartition-web--ads,web,down,250\n",
					    0, NULL);
		dc_output_options o = th_opts(DC_OUTPUT_YAML);
		int rc;
		TH_CAPTURE(s, rc, dc_write_verification(fp, v, &o));
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "overlay:\n  - name: \"web\"\n    depends_on:\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "      - service: \"ads\"\n        kind: hard\n"));
		free(s);
		o = th_opts(DC_OUTPUT_JSON);
		TH_CAPTURE(s, rc, dc_write_verification(fp, v, &o));
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"kind\": \"soft-edge-behaved-hard\""));
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"matched\": false"));
		free(s);
		o = th_opts(DC_OUTPUT_TEXT);
		TH_CAPTURE(s, rc, dc_write_verification(fp, v, &o));
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "fix (overlay): web depends_on {service: ads, kind: hard}"));
		free(s);
		o = th_opts(DC_OUTPUT_SARIF);
		TH_CAPTURE(s, rc, dc_write_verification(fp, v, &o));
		CU_ASSERT_EQUAL(rc, DC_EINVALID);
		free(s);
		dc_verification_free(v);
	}
	teardown(&f);
}

/* Names that are YAML or JSON syntax stay strings. */
static void test_hostile(void)
{
	fx_t f;
	char *s;
	setup(&f, "services:\n"
		  "  - {name: 'web\": x', entrypoint: true, depends_on: [{service: 'a: {b}', kind: soft}, core]}\n"
		  "  - {name: 'a: {b}'}\n  - {name: core}\n", NULL);
	s = write_x(&f, DC_OUTPUT_CHAOS_MESH, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "web\\\": x=down"));
	CU_ASSERT_PTR_NULL(strstr(s, "app: a: {b}"));
	free(s);
	s = write_x(&f, DC_OUTPUT_AWS_FIS, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "web\\\": x"));
	free(s);
	teardown(&f);
}

int suite_chaos(void)
{
	static const th_test tests[] = {
		{ "candidates: reasons, order without importance, every id found", test_candidates },
		{ "ranking by importance (availability)", test_ranking },
		{ "ids: slugs, hashes, Kubernetes-valid, at most 63", test_ids },
		{ "predictions: kill, partition soft and hard, any_of, zone", test_predictions },
		{ "verify: soft edge as hard, any_of not redundant, time, state", test_verify_findings },
		{ "verify: errors in the results file at their positions", test_verify_errors },
		{ "writers: text, json, chaos-mesh, litmus, aws-fis, overlay", test_writers },
		{ "hostile names stay quoted strings", test_hostile },
		{ NULL, NULL }
	};
	return th_suite("chaos", tests);
}
