/*
 * export.c - dispatch to the exporters.
 */
#include "export_int.h"

int dc_export(const dc_catalog *cat, dc_output_format fmt, FILE *fp)
{
	int rc;
	if (!cat || !fp || !cat->finalized)
		return DC_EINVALID;
	switch (fmt) {
	case DC_OUTPUT_JSON: rc = export_json(cat, fp); break;
	case DC_OUTPUT_YAML: rc = export_yaml(cat, fp); break;
	case DC_OUTPUT_DOT: rc = export_dot(cat, fp); break;
	default: return DC_EINVALID;
	}
	if (rc == 0 && ferror(fp))
		rc = DC_EIO;
	return rc;
}
