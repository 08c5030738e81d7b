/*
 * exercise.c - see exercise.h. The order follows the commands: analyze,
 * critical-path, plan (which reuses analyze's blast radii, as the CLI's
 * canary order does), simulate, export; then, when asked, render, check,
 * availability, diff, reconcile and report, and the load model (with its
 * overlay and the report's load section).
 */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sccs(const dc_graph *g)
{
	dc_scc *scc = NULL;
	size_t n = dc_graph_node_count(g);
	dc_id *order;
	int rc = dc_scc_compute(&scc, g, DC_EDGES_HARD_ONLY);
	if (rc)
		return rc;
	order = malloc((n ? n : 1) * sizeof(*order));
	if (!order) {
		dc_scc_free(scc);
		return DC_ENOMEM;
	}
	dc_scc_topo_order(scc, order);
	(void)dc_scc_depth(scc, g);
	free(order);
	dc_scc_free(scc);
	return 0;
}

static int exports(const dc_catalog *cat, const dc_exercise_opts *o)
{
	int rc;
	if (!o->out)
		return 0;
	if ((rc = dc_export(cat, DC_OUTPUT_JSON, o->out)) || (rc = dc_export(cat, DC_OUTPUT_YAML, o->out)))
		return rc;
	if (o->graphviz)
		o->graphviz(1);
	rc = dc_export(cat, DC_OUTPUT_DOT, o->out);
	if (o->graphviz)
		o->graphviz(0);
	return rc;
}

/* Work that allocates through Graphviz, bracketed for the caller. */
static void gv(const dc_exercise_opts *o, int entering)
{
	if (o->graphviz)
		o->graphviz(entering);
}

static int renders(const dc_graph *g, const dc_analysis *an, const dc_exercise_opts *o)
{
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	dc_diags *d = NULL;
	int rc;
	if ((rc = dc_diags_new(&d)))
		return rc;
	ro.blast = dc_analysis_blast(an);
	ro.title = "exercise";
	gv(o, 1);
	rc = dc_render(g, &ro, DC_OUTPUT_DOT, o->out, &st, d);
	if (!rc) {
		ro.cluster_by = DC_RENDER_GROUP_SYSTEM;
		rc = dc_render(g, &ro, DC_OUTPUT_SVG, o->out, &st, d);
	}
	gv(o, 0);
	dc_diags_free(d);
	return rc;
}

/* streaming.yaml's rules (testdata/policy/) and an availability gate */
static const char policy_text[] =
	"depcheck-policy: 1\n"
	"rules:\n"
	"  no-hard-cycles: error\n"
	"  no-cycles: warning\n"
	"  tier: error\n"
	"  max-blast-radius: { severity: error, max: 20 }\n"
	"  max-depth: { severity: warning, max: 4 }\n"
	"  max-fan-in: { severity: warning, max: 5 }\n"
	"  max-fan-out: { severity: warning, max: 10 }\n"
	"  max-retry-amplification: warning\n"
	"  timeout-budget: warning\n"
	"  no-spof: { severity: warning, tier-1-only: true }\n"
	"  required-fields: { severity: warning, fields: [owner, tier, system] }\n"
	"  unresolved-references: error\n"
	"  min-availability: { severity: error, min: slo, trials: 2000, seed: 1 }\n"
	"  forbidden:\n"
	"    - name: payments-db-is-private\n"
	"      from: { not: { system: payments } }\n"
	"      to: { name: \"payments-.*\" }\n"
	"      message: only the payments system may use its database\n";

static int checks(const dc_graph *g, const dc_analysis *an)
{
	dc_policy *def = NULL, *pol = NULL;
	dc_violations *base = NULL, *head = NULL, *added = NULL, *fixed = NULL;
	dc_diags *d = NULL;
	int rc;
	if ((rc = dc_diags_new(&d)) || (rc = dc_policy_default(&def)) ||
	    (rc = dc_policy_parse(&pol, "exercise-policy.yaml", policy_text, sizeof(policy_text) - 1, d)) ||
	    (rc = dc_violations_new(&base)) || (rc = dc_violations_new(&head)) ||
	    (rc = dc_violations_new(&added)) || (rc = dc_violations_new(&fixed)) ||
	    (rc = dc_check(base, g, an, def, NULL)) || (rc = dc_check(head, g, NULL, pol, NULL)) ||
	    (rc = dc_violations_compare(base, head, added, fixed)) ||
	    (rc = dc_violations_subtract(head, base, NULL)))
		goto out;
	dc_violations_sort(head);
out:
	dc_violations_free(fixed);
	dc_violations_free(added);
	dc_violations_free(head);
	dc_violations_free(base);
	dc_policy_free(pol);
	dc_policy_free(def);
	dc_diags_free(d);
	return rc;
}

static int availabilities(const dc_graph *g)
{
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability *a = NULL;
	dc_id *rows = NULL;
	int rc, pass;
	ao.trials = 2000;
	ao.seed = 1;
	for (pass = 0; pass < 2; pass++) {
		/* 1 thread, exact where small; then 2 threads (a second one is
		 * created), Monte Carlo everywhere, with zone failures */
		ao.threads = pass ? 2 : 1;
		ao.flags = pass ? DC_AVAIL_FORCE_MC : 0;
		ao.zone_failure = pass ? 0.001 : 0.0;
		if ((rc = dc_availability_compute(&a, g, &ao)))
			return rc;
		rows = malloc((dc_availability_count(a) ? dc_availability_count(a) : 1) * sizeof(*rows));
		if (!rows)
			rc = DC_ENOMEM;
		else
			rc = dc_availability_rank(a, g, rows, NULL, NULL);
		free(rows);
		dc_availability_free(a);
		a = NULL;
		if (rc)
			return rc;
	}
	return 0;
}

static int diffs(const dc_graph *g, const dc_exercise_opts *o)
{
	dc_diff *df = NULL;
	int rc = dc_diff_compute(&df, g, o->diff_head, NULL);
	if (rc)
		return rc;
	gv(o, 1);
	rc = dc_diff_render(df, DC_OUTPUT_DOT, DC_DIFF_MAP_ALL, o->out, NULL);
	gv(o, 0);
	dc_diff_free(df);
	return rc;
}

static int reconciles(const dc_graph *g, const dc_exercise_opts *o)
{
	dc_observed *obs = NULL;
	dc_reconcile *r = NULL;
	dc_violations *v = NULL;
	dc_diags *d = NULL;
	int rc;
	if ((rc = dc_diags_new(&d)) || (rc = dc_observed_new(&obs)) ||
	    (rc = dc_observed_parse(obs, "observed.csv", o->observed, o->observed_len, NULL, d)) ||
	    (rc = dc_reconcile_compute(&r, g, obs, NULL)) || (rc = dc_violations_new(&v)) ||
	    (rc = dc_violations_add_undeclared(v, g, obs, r, DC_LEVEL_WARNING)))
		goto out;
	{
		/* the undeclared-dependency rule of check runs the same reconciliation */
		dc_check_options co = DC_CHECK_OPTIONS_INIT;
		dc_policy *def = NULL;
		co.observed = obs;
		if (!(rc = dc_policy_default(&def)))
			rc = dc_check(v, g, NULL, def, &co);
		dc_policy_free(def);
	}
out:
	dc_violations_free(v);
	dc_reconcile_free(r);
	dc_observed_free(obs);
	dc_diags_free(d);
	return rc;
}

/* The chaos loop: plan, verify a dated results file, read results on
 * record (JSON and CSV) and gate on them. The ids are those of the first
 * service, whatever the catalog. */
static int chaos(const dc_graph *g)
{
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_experiments_options xo = DC_EXPERIMENTS_OPTIONS_INIT;
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_availability *a = NULL;
	dc_experiments *x = NULL;
	dc_verification *v = NULL;
	dc_results *res = NULL;
	dc_policy *pol = NULL;
	dc_violations *out = NULL;
	dc_diags *d = NULL;
	char csv[512], json[512];
	static const char pol_text[] = "depcheck-policy: 1\nrules:\n"
				       "  unverified-predictions: { severity: error, top: all, max-age-days: 30 }\n";
	const dc_experiment *e;
	int rc;
	ao.trials = 2000;
	ao.threads = 1;
	ao.flags = DC_AVAIL_NO_CUT_SETS;
	if ((rc = dc_diags_new(&d)) || (rc = dc_availability_compute(&a, g, &ao)))
		goto out;
	xo.availability = a;
	if ((rc = dc_experiments_plan(&x, g, &xo)))
		goto out;
	e = dc_experiments_count(x) ? dc_experiments_get(x, 0) : NULL;
	if (e) {
		snprintf(json, sizeof(json), "{\"experiments\": [{\"id\": \"%s\", \"date\": \"2026-01-02T03:04:05Z\", "
			 "\"entrypoints\": []}, {\"id\": \"kill-gone\", \"entrypoints\": []}]}", e->id);
		if ((rc = dc_verify(&v, x, "r.json", json, strlen(json), NULL, d)) && rc != DC_EINVALID)
			goto out;
	} else
		snprintf(json, sizeof(json), "{\"experiments\": []}");
	snprintf(csv, sizeof(csv), "experiment,entrypoint,state,after_ms,date\n%s,%s,down,10,2025-12-01\n",
		 e ? e->id : "kill-x", dc_catalog_service_count(cat) ? dc_service_name(cat, 0) : "x");
	if ((rc = dc_results_new(&res)) || (rc = dc_results_read(res, "r.json", json, strlen(json), d)) ||
	    (rc = dc_results_read(res, "r.csv", csv, strlen(csv), d)) ||
	    (rc = dc_policy_parse(&pol, "p.yaml", pol_text, sizeof(pol_text) - 1, d)) ||
	    (rc = dc_violations_new(&out)))
		goto out;
	co.results = res;
	co.today = "2026-01-20";
	co.threads = 1;
	rc = dc_check(out, g, NULL, pol, &co);
out:
	dc_violations_free(out);
	dc_policy_free(pol);
	dc_results_free(res);
	dc_verification_free(v);
	dc_experiments_free(x);
	dc_availability_free(a);
	dc_diags_free(d);
	return rc;
}

static int reports(const dc_graph *g, const dc_exercise_opts *o)
{
	dc_report_options ro = DC_REPORT_OPTIONS_INIT;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	int rc;
	ao.trials = 2000;
	ao.threads = 1;
	ro.availability = &ao;
	gv(o, 1);
	rc = dc_report_write(o->out, g, &ro);
	gv(o, 0);
	return rc;
}

static int loads(const dc_graph *g, const dc_exercise_opts *o)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_overload_triggers *t = NULL;
	dc_overload *l = NULL;
	dc_traffic *traffic = NULL;
	dc_overload_options lo = DC_OVERLOAD_OPTIONS_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	size_t i, n = dc_catalog_service_count(cat);
	dc_id v;
	int rc;
	if ((rc = dc_overload_triggers_new(&t, cat)))
		return rc;
	if (o->fail && dc_catalog_find(cat, o->fail, &v) == 0 && (rc = dc_overload_trigger_slow(t, v, 150)))
		goto out;
	if ((rc = dc_overload_trigger_surge(t, 2)))
		goto out;
	for (i = 0; i < n; i++)
		if (dc_service_capacity_rps(cat, (dc_id)i) > 0) {
			if ((rc = dc_overload_trigger_capacity(t, (dc_id)i, -50, DC_OVERLOAD_CAPACITY_PERCENT)))
				goto out;
			break;
		}
	/* the entry traffic through the options (declared: no observations here) */
	if ((rc = dc_traffic_new(&traffic, cat, NULL)))
		goto out;
	lo.traffic = traffic;
	if ((rc = dc_overload_run(&l, g, t, &lo)))
		goto out;
	if (o->out && (rc = dc_write_overload(o->out, l, 0, &oo)) == 0) {
		oo.format = DC_OUTPUT_JSON;
		rc = dc_write_overload(o->out, l, 0, &oo);
	}
	/* the load overlay (DOT: no layout) and the report's load section */
	if (!rc && o->out) {
		dc_render_options ro = DC_RENDER_OPTIONS_INIT;
		dc_report_options po = DC_REPORT_OPTIONS_INIT;
		ro.overload = l;
		po.overload = l;
		po.threads = 1;
		gv(o, 1);
		rc = dc_render(g, &ro, DC_OUTPUT_DOT, o->out, NULL, NULL);
		if (!rc)
			rc = dc_report_write(o->out, g, &po);
		gv(o, 0);
	}
out:
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	dc_traffic_free(traffic);
	return rc;
}

/* The opt-in parts, cheapest per allocation first: the allocation-failure
 * test makes one run per allocation, and a run pays for everything before
 * its failure. Check and availability run Monte Carlo trials; the report
 * and the render lay a map out (Graphviz: tens of milliseconds each). */
static int heavy(const dc_graph *g, const dc_analysis *an, const dc_exercise_opts *o)
{
	int rc = 0;
	if ((o->heavy & DC_EX_LOAD) && (rc = loads(g, o)))
		return rc;
	if ((o->heavy & DC_EX_DIFF) && o->diff_head && o->out && (rc = diffs(g, o)))
		return rc;
	if ((o->heavy & DC_EX_RECONCILE) && o->observed && (rc = reconciles(g, o)))
		return rc;
	if ((o->heavy & DC_EX_CHECK) && (rc = checks(g, an)))
		return rc;
	if ((o->heavy & DC_EX_CHAOS) && (rc = chaos(g)))
		return rc;
	if ((o->heavy & DC_EX_AVAIL) && (rc = availabilities(g)))
		return rc;
	if ((o->heavy & DC_EX_REPORT) && o->out && (rc = reports(g, o)))
		return rc;
	if ((o->heavy & DC_EX_RENDER) && o->out)
		rc = renders(g, an, o);
	return rc;
}

int dc_exercise(const dc_graph *g, const dc_exercise_opts *o)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_catalog_service_count(cat), i;
	dc_analysis *an = NULL;
	dc_critical *cp = NULL;
	dc_plan *plan = NULL;
	dc_impact *imp = NULL;
	dc_selection *sel = NULL;
	dc_traffic *traffic = NULL;
	dc_simulation *sim = NULL;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	int rc;

	/* the blast radii ranked by the traffic each failure loses (declared) */
	if ((rc = dc_traffic_new(&traffic, cat, NULL)))
		goto out;
	ao.rank_by = DC_RANK_TRAFFIC;
	ao.traffic = traffic;
	if ((rc = sccs(g)) || (rc = dc_analyze(&an, g, &ao)) || (rc = dc_critical_new(&cp, g)))
		goto out;
	for (i = 0; i < n; i++) /* the first entrypoint's chain */
		if (dc_service_is_entrypoint(cat, (dc_id)i))
			break;
	if (i < n) {
		const dc_critical_hop *hops;
		size_t nh;
		if ((rc = dc_critical_chain(cp, (dc_id)i, &hops, &nh)))
			goto out;
	}
	{
		/* DEGRADED estimated below the first rank (analyze on big
		 * catalogs): the sketches and the second, narrower sweep */
		dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
		dc_blast *est = NULL;
		size_t lo, hi;
		bo.flags = DC_BLAST_ESTIMATE;
		bo.exact_top = 1;
		if ((rc = dc_blast_compute_ex(&est, g, &bo)))
			goto out;
		if (n)
			dc_blast_degraded_bounds(est, (dc_id)(n - 1), &lo, &hi);
		dc_blast_free(est);
	}
	{
		dc_plan_options po = DC_PLAN_OPTIONS_INIT;
		po.blast = dc_analysis_blast(an);
		if ((rc = dc_plan_compute(&plan, g, &po)))
			goto out;
	}
	if (n) {
		if ((rc = dc_impact_new(&imp, g)) || (rc = dc_selection_new(&sel, cat)))
			goto out;
		rc = dc_select(sel, o->fail ? o->fail : dc_service_name(cat, 0));
		/* a fuzzed name may read as another selector ("zone:x"): no
		 * simulation then, not a failure */
		if (!o->fail && (rc == DC_ENOTFOUND || rc == DC_EAMBIGUOUS))
			rc = 0;
		else if (rc || (rc = dc_simulate(imp, sel, DC_FAILURE_HANG)))
			goto out;
		/* the scenario as simulate --fail reports it, with its traffic lost */
		{
			dc_simulation_options so = DC_SIMULATION_OPTIONS_INIT;
			so.traffic = traffic;
			if ((rc = dc_simulation_run_ex(&sim, g, sel, DC_FAILURE_HANG, &so)))
				goto out;
		}
	}
	if ((rc = exports(cat, o)))
		goto out;
	if (o->heavy)
		rc = heavy(g, an, o);
out:
	dc_simulation_free(sim);
	dc_traffic_free(traffic);
	dc_selection_free(sel);
	dc_impact_free(imp);
	dc_plan_free(plan);
	dc_critical_free(cp);
	dc_analysis_free(an);
	return rc;
}
