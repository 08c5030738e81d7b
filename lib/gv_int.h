/*
 * gv_int.h - the Graphviz bridge shared by every map the library draws:
 * render.c (`depcheck render`, and through dc_render the plan's map,
 * render_plan.c, and the report's, report_map.c) and render_diff.c (the
 * diff's map, a DOT writer of its own). DOT string quoting, and "lay this
 * DOT text out and render it" in-process through libgvc, in the process's
 * one Graphviz context.
 *
 * Only gvbridge.c includes Graphviz's headers among the maps; the other
 * two files that do are the DOT catalog format's reader and writer
 * (load_dot.c, export_dot.c, through cgraph). Nothing here exposes a
 * Graphviz type.
 *
 * Process-global state, all of it Graphviz's own (documented for the
 * library's callers in depcheck/render.h): the error hook, its level and
 * the plugin context. The quoting helpers keep no state.
 */
#ifndef DC_GV_INT_H
#define DC_GV_INT_H

#include <stddef.h>
#include <stdio.h>

#include <depcheck/diag.h>
#include <depcheck/output.h>

/* s as a DOT double-quoted string (escString: "\n" stays a line break,
 * quotes and backslashes are escaped). NULL prints "". */
void gv_quoted(FILE *fp, const char *s);
/* The inside of a quoted string, without the quotes. */
void gv_escaped(FILE *fp, const char *s);
/* The link u as the text of a DOT URL attribute (to be quoted with
 * gv_quoted): 1 and out filled when u is an http or https URL or a
 * relative reference, percent-encoded and safe inside the XML attribute
 * Graphviz copies it into unescaped; 0 (no link) for any other scheme,
 * control characters, or a link longer than 2048 bytes or than out. */
int gv_url(char *out, size_t size, const char *u);
/* s escaped for an HTML-like label (<, >, &, "). */
void gv_html(FILE *fp, const char *s);

/* Parse `dot` (NUL-terminated DOT text), lay it out with `engine` ("dot",
 * "sfdp") and render it as `format` (DC_OUTPUT_SVG, _PNG, _PDF) to fp.
 * Nothing is written unless everything succeeded (the output is rendered
 * into memory first). Graphviz's own messages go to diags (may be NULL)
 * as warnings or errors. Returns 0, DC_EINVALID (not a laid-out format),
 * DC_ENOTFOUND (no plugin for the format), DC_ERROR (Graphviz failed to
 * parse, lay out or render: the messages say why), DC_EIO, DC_ENOMEM.
 * Not thread-safe: Graphviz is not (see gvbridge.c). */
int gv_layout_render(const char *dot, const char *engine, dc_output_format format, FILE *fp,
		     dc_diags *diags);

/* The version of the Graphviz library loaded (gvcVersion of the process's
 * context, a static string of libgvc); NULL when the context cannot be
 * created. Not thread-safe. */
const char *gv_version(void);

/* 1 when `format` can be rendered by this process's Graphviz plugins
 * (DC_OUTPUT_DOT always), else 0. */
int gv_format_available(dc_output_format format);

/* What a failed render of `format` means: DC_ENOTFOUND when the format
 * cannot be rendered at all (its plugin is missing), else DC_ERROR, with
 * an error diagnostic added when Graphviz itself said nothing
 * (graphviz_said == 0). Exposed for the tests. */
int gv_render_failed(dc_output_format format, int graphviz_said, dc_diags *diags);

#endif
