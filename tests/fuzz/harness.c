/*
 * harness.c - load a fuzzer's buffer through the public API and run what the
 * commands run on it: finalize, graph, SCCs, analyze (blast radii, SPOFs,
 * cycles), critical path, plan, one simulation, and export in every format
 * to /dev/null.
 *
 * The limits are the defaults except the file size: libFuzzer's inputs are
 * small anyway, and a smaller alias budget keeps each run fast (the
 * billion-laughs refusal is still exercised, at a lower threshold). Every
 * status is checked against the documented set; anything else aborts.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_SERVICES 4096u /* above this the analyses are skipped: the
                                   fuzzer is after parsing bugs, not timeouts
                                   of a quadratic-by-design blast matrix */

static void check(int rc, const char *what)
{
	if (rc == 0 || rc == DC_ENOMEM || rc == DC_EPARSE || rc == DC_EIO || rc == DC_ELIMIT ||
	    rc == DC_EINVALID || rc == DC_ERROR)
		return;
	fprintf(stderr, "%s: undocumented status %d\n", what, rc);
	abort();
}

static FILE *devnull(void)
{
	static FILE *fp;
	if (!fp)
		fp = fopen("/dev/null", "w");
	return fp;
}

static void analyses(const dc_graph *g, const dc_catalog *cat)
{
	dc_scc *scc = NULL;
	dc_analysis *an = NULL;
	dc_critical *cp = NULL;
	dc_plan *plan = NULL;
	dc_impact *imp = NULL;
	dc_selection *sel = NULL;
	size_t n = dc_catalog_service_count(cat);
	FILE *fp = devnull();

	if (dc_scc_compute(&scc, g, 1) == 0) {
		dc_id *order = malloc((n ? n : 1) * sizeof(*order));
		if (order)
			dc_scc_topo_order(scc, order);
		free(order);
		(void)dc_scc_depth(scc, g);
	}
	dc_scc_free(scc);
	check(dc_analyze(&an, g, NULL), "analyze");
	check(dc_critical_new(&cp, g), "critical");
	if (cp && n) {
		const dc_critical_hop *hops;
		size_t nh;
		check(dc_critical_chain(cp, 0, &hops, &nh), "critical chain");
	}
	{
		dc_plan_options po = DC_PLAN_OPTIONS_INIT;
		po.blast = an ? dc_analysis_blast(an) : NULL;
		check(dc_plan_compute(&plan, g, &po), "plan");
	}
	if (n && dc_impact_new(&imp, g) == 0 && dc_selection_new(&sel, cat) == 0) {
		/* the first service, by its name: the selector parser runs too */
		if (dc_select(sel, dc_service_name(cat, 0)) == 0)
			check(dc_simulate(imp, sel, DC_FAILURE_HANG), "simulate");
	}
	dc_selection_free(sel);
	dc_impact_free(imp);
	dc_plan_free(plan);
	dc_critical_free(cp);
	dc_analysis_free(an);
	if (fp) {
		check(dc_export(cat, DC_EXPORT_JSON, fp), "export json");
		check(dc_export(cat, DC_EXPORT_YAML, fp), "export yaml");
		check(dc_export(cat, DC_EXPORT_DOT, fp), "export dot");
	}
}

void dc_fuzz_catalog(const uint8_t *data, size_t size, const char *name, dc_input_format fmt)
{
	dc_load_options opts = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	dc_graph *g = NULL;
	char *buf;
	int rc;

	/* a copy of exactly `size` bytes so ASan sees any read past the end */
	buf = malloc(size ? size : 1);
	if (!buf)
		return;
	memcpy(buf, data, size);
	opts.format = fmt;
	opts.max_alias_nodes = 100000;
	if (dc_diags_new(&diags) || dc_catalog_new(&cat)) {
		dc_diags_free(diags);
		free(buf);
		return;
	}
	rc = dc_catalog_add_buffer(cat, name, buf, size, &opts, diags);
	check(rc, "add_buffer");
	if (rc == DC_ENOMEM || rc == DC_EPARSE || rc == DC_ELIMIT || rc == DC_EIO)
		goto out; /* the CLI stops there too */
	rc = dc_catalog_finalize(cat, diags);
	check(rc, "finalize");
	if (rc)
		goto out;
	dc_diags_sort(diags);
	if (dc_catalog_service_count(cat) > FUZZ_MAX_SERVICES)
		goto out;
	rc = dc_graph_new(&g, cat);
	check(rc, "graph");
	if (rc == 0)
		analyses(g, cat);
out:
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	free(buf);
}
