/*
 * export_int.h - shared by the exporters: which attributes to write.
 */
#ifndef DC_EXPORT_INT_H
#define DC_EXPORT_INT_H

#include <depcheck/export.h>
#include "catalog_int.h"

/* provenance: write x-sources (dc_export_options) */
int export_json(const dc_catalog *cat, FILE *fp, int provenance);
int export_yaml(const dc_catalog *cat, FILE *fp);
int export_dot(const dc_catalog *cat, FILE *fp);

#endif
