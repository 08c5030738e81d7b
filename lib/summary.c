/*
 * summary.c - the counts of `depcheck validate` (see summary.h): a pass over
 * the services and one SCC computation for the cycles.
 */
#include <depcheck/summary.h>

#include "util.h"

int dc_catalog_summarize(dc_catalog_summary *out, const dc_graph *g, const dc_diags *diags)
{
	const dc_catalog *cat;
	dc_scc *scc = NULL;
	size_t i, nsvc, next = 0, nentry = 0;
	int rc;
	if (!out || !g || !DC_OPTIONS_VERSION_OK(out->version, DC_CATALOG_SUMMARY_VERSION))
		return DC_EINVALID;
	if ((rc = dc_scc_compute(&scc, g, DC_EDGES_ALL)))
		return rc;
	cat = dc_graph_catalog(g);
	nsvc = dc_catalog_service_count(cat);
	for (i = 0; i < nsvc; i++) {
		next += dc_service_is_external(cat, (dc_id)i) != 0;
		nentry += dc_service_is_entrypoint(cat, (dc_id)i) != 0;
	}
	out->files = dc_catalog_file_count(cat);
	out->services = nsvc - next;
	out->external = next;
	out->dependencies = dc_catalog_dep_count(cat);
	out->entrypoints = nentry;
	out->cycles = dc_scc_cycle_count(scc);
	out->errors = diags ? dc_diags_count_severity(diags, DC_SEV_ERROR) : 0;
	out->warnings = diags ? dc_diags_count_severity(diags, DC_SEV_WARNING) : 0;
	dc_scc_free(scc);
	return 0;
}
