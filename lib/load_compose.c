#include "catalog_int.h"
int load_compose(load_ctx *c, const doc_stream *ds)
{
	(void)ds;
	ctx_diag(c, DC_SEV_ERROR, NULL, "compose: not implemented");
	return DC_EPARSE;
}
