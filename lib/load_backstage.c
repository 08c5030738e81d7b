#include "catalog_int.h"
int load_backstage(load_ctx *c, const doc_stream *ds)
{
	(void)ds;
	ctx_diag(c, DC_SEV_ERROR, NULL, "backstage: not implemented");
	return DC_EPARSE;
}
