/*
 * export.c - dispatch to the exporters.
 */
#include "export_int.h"

int dc_export(const dc_catalog *cat, dc_export_format fmt, FILE *fp)
{
	int rc;
	if (!cat->finalized)
		return DC_EINVALID;
	switch (fmt) {
	case DC_EXPORT_JSON: rc = export_json(cat, fp); break;
	case DC_EXPORT_YAML: rc = export_yaml(cat, fp); break;
	case DC_EXPORT_DOT: rc = export_dot(cat, fp); break;
	default: return DC_EINVALID;
	}
	if (rc == 0 && ferror(fp))
		rc = DC_EIO;
	return rc;
}
