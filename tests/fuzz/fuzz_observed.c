/* fuzz_observed.c - fuzz target: observed call edges and traffic (depcheck reconcile
 * --observed, check --observed): Jaeger/Zipkin JSON, CSV, Tempo service-graph
 * metrics or OTLP JSON traces, detected by content,
 * then reconciled with the harness's fixed catalog and turned into
 * undeclared-dependency findings. */
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
	dc_violations_free(v);
	dc_reconcile_free(r);
	dc_observed_free(obs);
	dc_diags_free(diags);
	free(buf);
	return 0;
}
