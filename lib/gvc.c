/*
 * gvc.c - the process's Graphviz context (see gvc_int.h for why there is
 * only one).
 */
#include <graphviz/cgraph.h>

#include <depcheck/common.h>

#include "gvc_int.h"

static GVC_t *shared;

GVC_t *dc_gvc_shared(void)
{
	if (!shared)
		shared = gvContext();
	return shared;
}

int dc_gv_render(const char *dot, const char *format, FILE *fp)
{
	GVC_t *gvc = dc_gvc_shared();
	Agraph_t *ag;
	int rc = 0;

	if (!gvc)
		return DC_ENOMEM;
	ag = agmemread(dot);
	if (!ag)
		return DC_ERROR;
	if (gvLayout(gvc, ag, "dot") != 0) {
		rc = DC_ERROR;
	} else {
		if (gvRender(gvc, ag, format, fp) != 0)
			rc = DC_EIO;
		gvFreeLayout(gvc, ag);
	}
	agclose(ag);
	if (!rc && ferror(fp))
		rc = DC_EIO;
	return rc;
}
