/*
 * render_int.h - what render.c shares with the other maps' owners inside
 * the library (the report numbers its systems as the collapsed map does).
 */
#ifndef DC_RENDER_INT_H
#define DC_RENDER_INT_H

#include <depcheck/render.h>

/* Every service of cat grouped as dc_render's collapsed map groups them
 * (`grp-K`): by = DC_RENDER_GROUP_SYSTEM or _OWNER, keys in strcmp order,
 * then one last group "(no system)" / "(no owner)" of the services without
 * the attribute. of[s] = K (of has room for every service); names[K] = the
 * key (borrowed from the catalog) or that static name, when names is not
 * NULL (room for every service). Returns the number of groups, or
 * (size_t)-1 when out of memory. */
size_t render_groups(const dc_catalog *cat, dc_render_group by, uint32_t *of, const char **names);


/* The size-based layout tiers of render (render.c, measured in
 * bench/README.md), shared with the diff map (render_diff.c) so that a diff
 * of two big catalogs is laid out as fast as render draws one:
 * DEFAULT (dot, default parameters) up to 150 nodes and 600 edges; TUNED
 * (dot, mclimit=0.05 nslimit=0.5 searchsize=10, straight edges above
 * 3,000 edges) up to sfdp_above nodes (0: DC_RENDER_SFDP_ABOVE) and 15,000
 * edges; SFDP (force-directed, straight edges) beyond. */
enum { RENDER_TIER_DEFAULT, RENDER_TIER_TUNED, RENDER_TIER_SFDP };
int render_size_tier(size_t nodes, size_t edges, size_t sfdp_above);

#endif
