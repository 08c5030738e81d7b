/*
 * gvc_int.h - the one Graphviz context of the process, shared by the
 * Graphviz bridge files (render_plan.c, report_map.c).
 *
 * Why one: Graphviz 2.42's pango plugin remembers the last font name as a
 * pointer into the context that laid it out; once that context is freed,
 * the next layout in another context compares against freed memory
 * (AddressSanitizer: heap-use-after-free in textspan_size). A context that
 * lives as long as the process keeps that pointer valid. It is never freed
 * (what it holds is Graphviz's own, and tests/lsan.supp already lists it).
 * Like Graphviz itself, not thread-safe.
 *
 * dc_gv_render() is the whole bridge: DOT text in, a drawing out.
 */
#ifndef DC_GVC_INT_H
#define DC_GVC_INT_H

#include <stdio.h>

#include <graphviz/gvc.h>

/* The shared context, created on first use; NULL when out of memory. */
GVC_t *dc_gvc_shared(void);

/* Read `dot` (agmemread), lay it out with dot and render it in `format`
 * ("svg", ...) to fp. Returns 0, DC_ENOMEM, DC_ERROR (the text is not a
 * graph, or the layout failed) or DC_EIO (rendering or writing failed). */
int dc_gv_render(const char *dot, const char *format, FILE *fp);

#endif
