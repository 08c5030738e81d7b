/*
 * depcheck/export.h - write the normalized catalog.
 *
 * JSON and YAML follow the native schema (DESIGN.md §2.1) with every
 * attribute explicit, so loading the output gives the same graph. DOT uses
 * node and edge attributes named like the native keys and loads back
 * through the DOT loader.
 */
#ifndef DEPCHECK_EXPORT_H
#define DEPCHECK_EXPORT_H

#include <stdio.h>
#include "catalog.h"

typedef enum {
	DC_EXPORT_JSON = 0,
	DC_EXPORT_YAML,
	DC_EXPORT_DOT
} dc_export_format;

/** Writes to fp; returns 0, DC_EIO when writing fails, DC_ENOMEM. */
DC_EXTERN(int) dc_export(const dc_catalog *cat, dc_export_format fmt, FILE *fp);

#endif
