/*
 * exercise.c - see exercise.h. The order follows the commands: analyze,
 * critical-path, plan (which reuses analyze's blast radii, as the CLI's
 * canary order does), simulate, export.
 */
#include "exercise.h"

#include <stdlib.h>

static int sccs(const dc_graph *g)
{
	dc_scc *scc = NULL;
	size_t n = dc_graph_node_count(g);
	dc_id *order;
	int rc = dc_scc_compute(&scc, g, 1);
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
	if ((rc = dc_export(cat, DC_EXPORT_JSON, o->out)) || (rc = dc_export(cat, DC_EXPORT_YAML, o->out)))
		return rc;
	if (o->graphviz)
		o->graphviz(1);
	rc = dc_export(cat, DC_EXPORT_DOT, o->out);
	if (o->graphviz)
		o->graphviz(0);
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
	int rc;

	if ((rc = sccs(g)) || (rc = dc_analyze(&an, g, NULL)) || (rc = dc_critical_new(&cp, g)))
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
	}
	rc = exports(cat, o);
out:
	dc_selection_free(sel);
	dc_impact_free(imp);
	dc_plan_free(plan);
	dc_critical_free(cp);
	dc_analysis_free(an);
	return rc;
}
