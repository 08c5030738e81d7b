/*
 * load_kubernetes.c - Kubernetes manifests (DESIGN.md §2.5).
 *
 * Not implemented in this build: inferring edges from workloads' env is
 * its own piece of work. A manifest is recognized (so it is never misread
 * as another format) and skipped with a warning, so that a directory that
 * mixes catalogs and manifests can still be analyzed.
 */
#include "catalog_int.h"

int load_kubernetes(load_ctx *c, const doc_stream *ds)
{
	const doc_node *first = NULL;
	size_t i;
	for (i = 0; i < ds->docs.len && !first; i++)
		if (!doc_is_null(ds->docs.items[i]))
			first = ds->docs.items[i];
	ctx_diag(c, DC_SEV_WARNING, first,
		 "Kubernetes manifests are not supported by this build yet; file skipped");
	return 0;
}
