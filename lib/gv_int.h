/*
 * gv_int.h - the Graphviz bridge shared by every map the library draws
 * (render.c for `depcheck render`, render_plan.c for `plan -f dot|svg`):
 * DOT string quoting, and "lay this DOT text out and render it" in-process
 * through libgvc. Only gvbridge.c includes Graphviz's headers.
 */
#ifndef DC_GV_INT_H
#define DC_GV_INT_H

#include <stdio.h>

#include <depcheck/diag.h>

/* s as a DOT double-quoted string (escString: "\n" stays a line break,
 * quotes and backslashes are escaped). NULL prints "". */
void gv_quoted(FILE *fp, const char *s);
/* The inside of a quoted string, without the quotes. */
void gv_escaped(FILE *fp, const char *s);
/* s escaped for an HTML-like label (<, >, &, "). */
void gv_html(FILE *fp, const char *s);

/* Parse `dot` (NUL-terminated DOT text), lay it out with `engine` ("dot",
 * "sfdp") and render it as `format` ("svg", "png", "pdf") to fp. Nothing
 * is written unless everything succeeded (the output is rendered into
 * memory first). Graphviz's own messages go to diags as notes, warnings
 * or errors. Returns 0, DC_ENOTFOUND (no plugin for the format), DC_ERROR
 * (Graphviz failed), DC_EIO, DC_ENOMEM. Not thread-safe (Graphviz's error
 * hook is global). */
int gv_layout_render(const char *dot, const char *engine, const char *format, FILE *fp,
		     dc_diags *diags);

/* 1 when `format` can be rendered by this process's Graphviz plugins. */
int gv_format_available(const char *format);

#endif
