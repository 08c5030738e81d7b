/*
 * output_json.c - every result as JSON, through the streaming writer
 * (jsonw.c): one object per command, `"command"` first, keys in a fixed
 * order. A service is serialised in one place (dc__json_service) for every
 * result that lists services.
 */
#include "output_int.h"

void dc__json_loc(dc_jsonw *w, dc_location l)
{
	dc_jw_kstr(w, "file", l.file);   /* NULL is written as null */
	dc_jw_key(w, "line");
	if (l.file)
		dc_jw_int(w, l.line);
	else
		dc_jw_null(w);
	dc_jw_key(w, "column");
	if (l.file)
		dc_jw_int(w, l.column);
	else
		dc_jw_null(w);
}

/* ---- catalog: validate, show, path, export ------------------------------- */

/* ---- failures: simulate, analyze, critical path -------------------------- */

#include <limits.h>
#include <math.h>

/* -- simulate --fail -- */

static long long sim_json_ms(uint64_t t)
{
	return t > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)t;
}

/* the services of the timeline in state `st`, each with its cause chain */
static void sim_json_events(dc_jsonw *w, const dc_simulation *s, dc_state st)
{
	const dc_impact *imp = dc_simulation_impact(s);
	const dc_catalog *cat = dc_graph_catalog(dc_simulation_graph(s));
	const dc_id *tl;
	size_t i, n = dc_simulation_timeline(s, &tl);
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		dc_id v = tl[i];
		if (dc_impact_state(imp, v) != st)
			continue;
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "service", dc_service_name(cat, v));
		dc_jw_kstr(w, "cause", dc_simulation_cause(s, v));
		dc_jw_key(w, "path");
		dc_jw_arr(w);
		dc_jw_str(w, dc_service_name(cat, v));
		while (dc_impact_cause(imp, v) != UINT32_MAX) {
			v = dc_dep_to(cat, dc_impact_cause(imp, v));
			dc_jw_str(w, dc_service_name(cat, v));
		}
		dc_jw_arr_end(w);
		dc_jw_kint(w, "time_to_impact_ms", sim_json_ms(dc_impact_time_ms(imp, tl[i])));
		dc_jw_kbool(w, "entrypoint", dc_service_is_entrypoint(cat, tl[i]));
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

int dc__json_simulation(FILE *fp, const dc_simulation *s, const dc_output_options *opts)
{
	dc_simulation_counts sum = dc_simulation_summary(s);
	const char *const *sels;
	size_t i, nsel = dc_selection_selectors(dc_simulation_selection(s), &sels);
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "simulate");
	dc_jw_key(&w, "failed");
	dc_jw_arr_inline(&w);
	for (i = 0; i < nsel; i++)
		dc_jw_str(&w, sels[i]);
	dc_jw_arr_end(&w);
	dc_jw_kstr(&w, "failure_mode", dc_failure_mode_name(dc_simulation_mode(s)));
	dc_jw_key(&w, "down");
	sim_json_events(&w, s, DC_STATE_DOWN);
	dc_jw_key(&w, "degraded");
	sim_json_events(&w, s, DC_STATE_DEGRADED);
	dc_jw_key(&w, "summary");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "down", (long long)sum.down);
	dc_jw_kint(&w, "degraded", (long long)sum.degraded);
	dc_jw_kint(&w, "entrypoints_down", (long long)sum.entrypoints_down);
	dc_jw_kint(&w, "entrypoints", (long long)sum.entrypoints);
	dc_jw_obj_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- simulate --each -- */

int dc__json_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, size_t shown,
			     const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t i;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "simulate");
	dc_jw_kint(&w, "services", (long long)dc_blast_count(b));
	dc_jw_key(&w, "impact");
	dc_jw_arr(&w);
	for (i = 0; i < shown; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, order[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, order[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, order[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- analyze -- */

static void an_json_cycles(dc_jsonw *w, const dc_analysis *a, const dc_catalog *cat, int hard)
{
	size_t n = dc_analysis_cycle_count(a, hard), i, k;
	dc_jw_key(w, hard ? "hard_cycles" : "cycles");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const dc_id *mem;
		size_t nm = dc_analysis_cycle_members(a, hard, i, &mem);
		dc_jw_arr_inline(w);
		for (k = 0; k < nm; k++)
			dc_jw_str(w, dc_service_name(cat, mem[k]));
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
	dc_jw_key(w, hard ? "hard_cycle_edges" : "cycle_edges");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const uint32_t *ed;
		size_t ne = dc_analysis_cycle_edges(a, hard, i, &ed);
		dc_jw_arr(w);
		for (k = 0; k < ne; k++) {
			dc_jw_obj_inline(w);
			dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, ed[k])));
			dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, ed[k])));
			dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, ed[k])));
			dc_jw_kbool(w, "any_of", dc_dep_group(cat, ed[k]) != 0);
			dc__json_loc(w, dc_dep_location(cat, ed[k]));
			dc_jw_obj_end(w);
		}
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
}

int dc__json_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_analysis_graph(a));
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *eps;
	const uint32_t *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, ne;
	int dir;
	dc_jsonw w;
	(void)opts;

	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "analyze");
	dc_jw_kint(&w, "services", (long long)dc_catalog_service_count(cat));
	dc_jw_kint(&w, "dependencies", (long long)dc_catalog_dep_count(cat));
	dc_jw_kint(&w, "entrypoints", (long long)dc_analysis_entrypoint_count(a));
	an_json_cycles(&w, a, cat, 0);
	an_json_cycles(&w, a, cat, 1);
	n = dc_analysis_spofs(a, &ids);
	dc_jw_key(&w, "spofs");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
		dc_jw_key(&w, "entrypoints");
		dc_jw_arr(&w);
		for (k = 0; k < ne; k++)
			dc_jw_str(&w, dc_service_name(cat, eps[k]));
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_blast_order(a, &ids);
	dc_jw_key(&w, "blast_radius");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, ids[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "max_depth", (long long)dc_analysis_max_depth(a));
	n = dc_analysis_longest_hard_chain(a, &ids);
	dc_jw_key(&w, "longest_hard_chain");
	dc_jw_arr_inline(&w);
	for (i = 0; i < n; i++)
		dc_jw_str(&w, dc_service_name(cat, ids[i]));
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "hubs");
	dc_jw_obj(&w);
	for (dir = 0; dir < 2; dir++) {
		n = dc_analysis_hubs(a, dir, &ids, &cnt);
		dc_jw_key(&w, dir ? "fan_out" : "fan_in");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
			dc_jw_kint(&w, "count", cnt[i]);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);
	n = dc_analysis_amplification(a, &amp);
	dc_jw_key(&w, "retry_amplification");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, amp[i].service));
		dc_jw_key(&w, "factor");
		if (amp[i].unbounded)
			dc_jw_null(&w);
		else
			dc_jw_num(&w, amp[i].factor);
		dc_jw_kbool(&w, "unbounded", amp[i].unbounded);
		dc_jw_key(&w, "path");
		dc_jw_arr(&w);
		for (k = 0; k < amp[i].path_len; k++)
			dc_jw_str(&w, dc_service_name(cat, amp[i].path[k]));
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_timeout_violations(a, &tv);
	dc_jw_key(&w, "timeout_budget");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, tv[i].dep)));
		dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, tv[i].dep)));
		dc_jw_knum(&w, "timeout_ms", tv[i].timeout_ms);
		dc_jw_knum(&w, "needed_ms", tv[i].needed_ms);
		dc__json_loc(&w, dc_dep_location(cat, tv[i].dep));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- critical path -- */

/* milliseconds rounded to the microsecond, as the text shows them */
static double cp_json_ms(double v)
{
	return round(v * 1000.0) / 1000.0;
}

int dc__json_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts)
{
	const dc_critical *cp = dc_critical_paths_critical(p);
	const dc_catalog *cat = dc_graph_catalog(dc_critical_paths_graph(p));
	size_t i, k, n = dc_critical_paths_count(p), nh, nign;
	const dc_critical_hop *h;
	const uint32_t *ign;
	int rc = 0;
	dc_jsonw w;
	(void)opts;

	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "critical-path");
	dc_jw_key(&w, "paths");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_id root = dc_critical_paths_root(p, i);
		if ((rc = dc_critical_paths_chain(p, i, &h, &nh, &ign, &nign)))
			break;
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, root));
		dc_jw_knum(&w, "total_ms", cp_json_ms(dc_critical_total_ms(cp, root)));
		dc_jw_key(&w, "chain");
		dc_jw_arr(&w);
		for (k = 0; k < nh; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, h[k].service));
			dc_jw_knum(&w, "own_ms", cp_json_ms(h[k].own_ms));
			dc_jw_key(&w, "stage");
			if (h[k].depth)
				dc_jw_int(&w, h[k].stage);
			else
				dc_jw_null(&w);
			dc_jw_knum(&w, "start_ms", cp_json_ms(h[k].start_ms));
			dc_jw_knum(&w, "end_ms", cp_json_ms(h[k].end_ms));
			dc_jw_kint(&w, "depth", h[k].depth);
			dc_jw_kbool(&w, "repeated", h[k].repeated);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "cycle_calls_ignored");
		dc_jw_arr(&w);
		for (k = 0; k < nign; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, ign[k])));
			dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, ign[k])));
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return rc;
}

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
