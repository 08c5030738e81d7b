/* fuzz_observed.c - fuzz target: observed call edges and traffic (depcheck reconcile
 * --observed, check --observed): Jaeger/Zipkin JSON, CSV, Tempo service-graph
 * metrics or OTLP JSON traces, detected by content,
 * then reconciled with the harness's fixed catalog and turned into
 * undeclared-dependency findings; then added to a fresh copy of that catalog
 * as observed edges (soft, then hard), whose impact, critical path and
 * exports must hold. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_observed *obs = NULL;
	dc_reconcile *r = NULL;
	dc_violations *v = NULL;
	dc_diags *diags = NULL;
	const dc_graph *g = dc_fuzz_fixed_graph();
	char *buf = malloc(size ? size : 1);
	int rc;

	if (!buf || dc_diags_new(&diags) || dc_observed_new(&obs)) {
		dc_diags_free(diags);
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	rc = dc_observed_parse(obs, "observed", buf, size, NULL, diags);
	if (rc != 0 && rc != DC_EPARSE && rc != DC_ELIMIT && rc != DC_ENOMEM) {
		fprintf(stderr, "observed_parse: undocumented status %d\n", rc);
		abort();
	}
	/* edges parsed before an error are kept: reconcile what there is */
	rc = dc_reconcile_compute(&r, g, obs, NULL);
	if (rc != 0 && rc != DC_ENOMEM) {
		fprintf(stderr, "reconcile: undocumented status %d\n", rc);
		abort();
	}
	if (r && dc_violations_new(&v) == 0) {
		rc = dc_violations_add_undeclared(v, g, obs, r, DC_LEVEL_ERROR);
		if (rc != 0 && rc != DC_ENOMEM) {
			fprintf(stderr, "add_undeclared: undocumented status %d\n", rc);
			abort();
		}
	}
	{
		/* the observed edges in the catalog: both kinds of edge, and the
		 * outputs that write their traffic */
		int mode;
		for (mode = 0; mode < 2; mode++) {
			dc_catalog_observed_options co = DC_CATALOG_OBSERVED_OPTIONS_INIT;
			dc_catalog *cat = NULL;
			dc_graph *g2 = NULL;
			dc_critical *cp = NULL;
			dc_impact *imp = NULL;
			size_t len;
			const char *text = dc_fuzz_fixed_catalog(&len);
			co.edges = mode ? DC_OBSERVED_EDGES_HARD : DC_OBSERVED_EDGES_SOFT;
			if (dc_catalog_new(&cat) || dc_catalog_add_buffer(cat, "fixed.yaml", text, len, NULL, diags)) {
				dc_catalog_free(cat);
				break;
			}
			rc = dc_catalog_add_observed(cat, obs, &co);
			if (rc != 0 && rc != DC_ENOMEM) {
				fprintf(stderr, "add_observed: undocumented status %d\n", rc);
				abort();
			}
			if (rc == 0 && (rc = dc_catalog_finalize(cat, diags)) != 0 && rc != DC_ENOMEM) {
				fprintf(stderr, "finalize with observed edges: status %d\n", rc);
				abort();
			}
			if (rc == 0 && dc_graph_new(&g2, cat) == 0) {
				size_t i, n = dc_catalog_dep_count(cat);
				dc_id s0 = 0;
				for (i = 0; i < n; i++) {
					dc_dep_traffic t;
					if (dc_dep_observed(cat, i, &t) &&
					    (t.calls == 0 || (t.error_ratio > 1) || (t.p50_ms < 0 && t.p50_ms != -1))) {
						fprintf(stderr, "observed traffic out of range on edge %zu\n", i);
						abort();
					}
					if (dc_dep_is_observed(cat, i) && !dc_dep_observed(cat, i, NULL)) {
						fprintf(stderr, "an observed edge without traffic\n");
						abort();
					}
				}
				if (dc_critical_new(&cp, g2) == 0) {
					for (i = 0; i < dc_catalog_service_count(cat); i++)
						if (!(dc_critical_total_ms(cp, (dc_id)i) >= 0)) {
							fprintf(stderr, "critical total below 0\n");
							abort();
						}
				}
				if (dc_impact_new(&imp, g2) == 0)
					(void)dc_impact_run(imp, &s0, 1, NULL, 0);
				{
					FILE *devnull = fopen("/dev/null", "w");
					if (devnull) {
						(void)dc_export(cat, DC_OUTPUT_JSON, devnull);
						(void)dc_export(cat, DC_OUTPUT_YAML, devnull);
						fclose(devnull);
					}
				}
			}
			dc_impact_free(imp);
			dc_critical_free(cp);
			dc_graph_free(g2);
			dc_catalog_free(cat);
		}
	}
	dc_violations_free(v);
	dc_reconcile_free(r);
	dc_observed_free(obs);
	dc_diags_free(diags);
	free(buf);
	return 0;
}
