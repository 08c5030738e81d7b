#include "catalog_int.h"
int load_dot(load_ctx *c, const char *buf, size_t len)
{
	(void)buf; (void)len;
	ctx_diag(c, DC_SEV_ERROR, NULL, "dot: not implemented");
	return DC_EPARSE;
}
