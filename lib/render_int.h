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

#endif
