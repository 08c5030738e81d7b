/*
 * gvc.c - the process's Graphviz context (see gvc_int.h for why there is
 * only one).
 */
#include "gvc_int.h"

static GVC_t *shared;

GVC_t *dc_gvc_shared(void)
{
	if (!shared)
		shared = gvContext();
	return shared;
}
