/*
 * load_kubernetes.c - Kubernetes manifests (DESIGN.md §2.5).
 *
 * Not implemented in this build: inference of edges from workloads' env is
 * its own piece of work. Recognized input gets a clear error instead of
 * being misread as another format.
 */
#include "catalog_int.h"

int load_kubernetes(load_ctx *c, const doc_stream *ds)
{
	(void)ds;
	ctx_diag(c, DC_SEV_ERROR, NULL, "Kubernetes manifests are not supported by this build yet");
	return DC_EPARSE;
}
