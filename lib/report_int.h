/*
 * report_int.h - what the report's parts share (lib/report.c writes the
 * page and its data, lib/report_map.c draws the map through dc_render).
 */
#ifndef DC_REPORT_INT_H
#define DC_REPORT_INT_H

#include <depcheck/report.h>

/* Services grouped by system, for the collapsed map and the page's filters:
 * render_groups' numbering (systems in name order, then "(no system)"), so
 * group K is the collapsed map's `grp-K`. */
typedef struct {
	size_t count;            /* number of groups */
	uint32_t *of;            /* service id -> group index */
	const char **name;       /* group index -> name (borrowed from the catalog) */
	uint32_t *size;          /* group index -> number of services */
} report_groups;

int report_groups_build(report_groups *rg, const dc_catalog *cat);
void report_groups_free(report_groups *rg);

/* The map as an inline <svg> element (no XML prologue, no comments, no
 * width/height: the page sizes it), malloc'ed in *svg: dc_render's map,
 * one node per service (`svc-N`) or, when `collapsed`, one per system
 * (`grp-K`). Returns 0, DC_ENOMEM or DC_ERROR (no map: layout failed, no
 * SVG plugin, too big). */
int report_map_svg(char **svg, size_t *len, const dc_graph *g, int collapsed);
/* The load section's map: dc_render's map with the load overlay of `ov`,
 * one node per service, as an inline `<svg id="load-map-svg">` whose
 * every id is prefixed with "ld-" (ld-svc-N, ld-e-A-B: the page holds the
 * service map's ids once). Returns as report_map_svg. */
int report_load_map_svg(char **svg, size_t *len, const dc_graph *g, const dc_overload *ov);

#endif
