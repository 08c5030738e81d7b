/*
 * export.c - dispatch to the exporters.
 */
#include "export_int.h"

int dc_export(const dc_catalog *cat, dc_output_format fmt, FILE *fp)
{
	return dc_export_ex(cat, fmt, fp, NULL);
}

int dc_export_ex(const dc_catalog *cat, dc_output_format fmt, FILE *fp, const dc_export_options *opts)
{
	int rc, provenance = 0;
	if (!cat || !fp || !cat->finalized)
		return DC_EINVALID;
	if (opts) {
		if (opts->version < 1 || opts->version > DC_EXPORT_OPTIONS_VERSION)
			return DC_EINVALID;
		provenance = opts->provenance != 0;
	}
	if (provenance && fmt != DC_OUTPUT_JSON)
		return DC_EINVALID;
	switch (fmt) {
	case DC_OUTPUT_JSON: rc = export_json(cat, fp, provenance); break;
	case DC_OUTPUT_YAML: rc = export_yaml(cat, fp); break;
	case DC_OUTPUT_DOT: rc = export_dot(cat, fp); break;
	default: return DC_EINVALID;
	}
	if (rc == 0 && ferror(fp))
		rc = DC_EIO;
	return rc;
}
