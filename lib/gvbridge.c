/*
 * gvbridge.c - laying out and rendering DOT text in-process with libgvc
 * (the part of the Graphviz bridge that every map shares; see gv_int.h).
 *
 * Maps are written as DOT text by hand (render.c, render_plan.c), in a
 * fixed order, so `-f dot` is byte-for-byte stable; the laid-out formats
 * parse that same text with agmemread, so what `-f dot` shows is exactly
 * what was drawn.
 *
 * Formats. "svg" is Graphviz's core renderer. "png" and "pdf" are asked
 * for as "png:cairo" / "pdf:cairo": the cairo (pango) plugin draws
 * anti-aliased text with real font metrics, while plain "png" may pick the
 * older gd plugin. On Debian the cairo plugin ships in libgvc6 itself (so
 * libgraphviz-dev brings it), and libgvc6's postinst writes the plugin
 * configuration (config6a, what `dot -c` writes) that gvContext() needs to
 * find plugins; without it only "dot"/"svg"-less builtins remain and the
 * format check below fails cleanly.
 *
 * Errors. Graphviz reports through agerr(), which prints to stderr unless
 * a handler is installed; the library never prints, so the handler collects
 * the messages and they become diagnostics. The hook is process-global.
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "gv_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- DOT text --------------------------------------------------------------- */

void gv_escaped(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n') {
			fputs("\\n", fp);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

void gv_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	gv_escaped(fp, s);
	fputc('"', fp);
}

void gv_html(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* ---- Graphviz's messages ------------------------------------------------------ */

static char *gv_msgs;
static size_t gv_msgs_len;

static int collect(char *msg)
{
	size_t n = strlen(msg);
	char *p;
	if (gv_msgs_len > 65536)
		return 0; /* enough to explain; do not grow without bound */
	p = realloc(gv_msgs, gv_msgs_len + n + 1);
	if (!p)
		return 0;
	memcpy(p + gv_msgs_len, msg, n + 1);
	gv_msgs = p;
	gv_msgs_len += n;
	return 0;
}

static void hook_on(void)
{
	free(gv_msgs);
	gv_msgs = NULL;
	gv_msgs_len = 0;
	agseterrf(collect);
	agseterr(AGWARN);
}

/* Each collected line becomes one diagnostic ("Warning: x" -> warning x). */
static void hook_off(dc_diags *diags, int failed)
{
	char *line, *save = NULL;
	agseterrf(NULL);
	for (line = gv_msgs ? strtok_r(gv_msgs, "\n", &save) : NULL; line && diags;
	     line = strtok_r(NULL, "\n", &save)) {
		dc_severity sev = failed ? DC_SEV_ERROR : DC_SEV_WARNING;
		if (!strncmp(line, "Warning: ", 9)) {
			line += 9;
			sev = DC_SEV_WARNING;
		} else if (!strncmp(line, "Error: ", 7)) {
			line += 7;
			sev = DC_SEV_ERROR;
		}
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line)
			dc_diags_add(diags, sev, "graphviz", 0, 0, "%s", line);
	}
	free(gv_msgs);
	gv_msgs = NULL;
	gv_msgs_len = 0;
}

/* ---- layout and render ----------------------------------------------------------- */

static const char *device(const char *format)
{
	if (!strcmp(format, "png"))
		return "png:cairo";
	if (!strcmp(format, "pdf"))
		return "pdf:cairo";
	return format;
}

static int run(GVC_t *gvc, const char *dot, const char *engine, const char *format, FILE *fp)
{
	Agraph_t *ag = agmemread(dot);
	char *data = NULL;
	unsigned int len = 0;
	int rc = 0;

	if (!ag)
		return DC_ERROR;
	if (gvLayout(gvc, ag, engine) != 0) {
		agclose(ag);
		return DC_ERROR;
	}
	if (gvRenderData(gvc, ag, device(format), &data, &len) != 0)
		rc = DC_ENOTFOUND;
	else if (fp && len && fwrite(data, 1, len, fp) != len)
		rc = DC_EIO;
	if (data)
		gvFreeRenderData(data);
	gvFreeLayout(gvc, ag);
	agclose(ag);
	return rc;
}

int gv_layout_render(const char *dot, const char *engine, const char *format, FILE *fp, dc_diags *diags)
{
	GVC_t *gvc;
	int rc;

	gvc = gvContext();
	if (!gvc)
		return DC_ENOMEM;
	hook_on();
	rc = run(gvc, dot, engine, format, fp);
	hook_off(diags, rc == DC_ERROR);
	gvFreeContext(gvc);
	if (!rc && fp && ferror(fp))
		rc = DC_EIO;
	return rc;
}

int gv_format_available(const char *format)
{
	GVC_t *gvc;
	int rc;
	if (!strcmp(format, "dot"))
		return 1;
	if (strcmp(format, "svg") && strcmp(format, "png") && strcmp(format, "pdf"))
		return 0;
	gvc = gvContext();
	if (!gvc)
		return 0;
	/* the cheapest complete check: draw one node */
	hook_on();
	rc = run(gvc, "digraph{a}", "dot", format, NULL);
	hook_off(NULL, 0);
	gvFreeContext(gvc);
	return rc == 0;
}
