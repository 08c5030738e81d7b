/*
 * report_int.h - what the report's parts share (lib/report.c writes the
 * page and its data, lib/report_map.c lays out the map through Graphviz).
 */
#ifndef DC_REPORT_INT_H
#define DC_REPORT_INT_H

#include <depcheck/report.h>

/* Services grouped by system, for the collapsed map and the page's filters.
 * Groups are in name order; services without a system form the group
 * "(no system)", external services without one "(external)". */
typedef struct {
	size_t count;            /* number of groups */
	uint32_t *of;            /* service id -> group index */
	const char **name;       /* group index -> name (borrowed from the catalog) */
	uint32_t *size;          /* group index -> number of services */
} report_groups;

int report_groups_build(report_groups *rg, const dc_catalog *cat);
void report_groups_free(report_groups *rg);

/* The map as an inline <svg> element (no XML prologue, no comments, no
 * width/height: the page sizes it), malloc'ed in *svg. One node per
 * service (`svc-N`, clustered by system) or, when `collapsed`, one per
 * group (`grp-K`). Returns 0, DC_ENOMEM or DC_ERROR (layout failed). */
int report_map_svg(char **svg, size_t *len, const dc_graph *g, const report_groups *rg, int collapsed);

#endif
