/*
 * gvbridge.c - laying out and rendering DOT text in-process with libgvc
 * (the part of the Graphviz bridge that every map shares; see gv_int.h).
 *
 * Maps are written as DOT text by hand (render.c, and through it
 * render_plan.c and report_map.c; render_diff.c), in a fixed order, so
 * `-f dot` is byte-for-byte stable; the laid-out formats parse that same
 * text with agmemread, so what `-f dot` shows is exactly what was drawn.
 *
 * Which files include Graphviz's headers: this one (libgvc: layout and
 * rendering, for every map), and, for DOT as a catalog format, load_dot.c
 * (reading, cgraph) and export_dot.c (writing, cgraph). No other file
 * does, and no public header: the maps reach Graphviz only through
 * gv_int.h.
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
 * the messages and they become diagnostics. The handler (agseterrf) takes
 * no context argument and is process-global: it appends to the collector
 * of the current call, found through a thread-local pointer, and each call
 * restores the handler and level it found, so collections nest (the
 * plugin check inside a failed render) and never mix with another
 * thread's. Graphviz itself stays process-global and not thread-safe
 * (render.h says so to the library's callers).
 *
 * A failed gvRenderData is not necessarily a missing plugin: the format
 * is checked again after the failure, and only a format that cannot be
 * rendered at all is DC_ENOTFOUND; anything else is DC_ERROR with
 * Graphviz's messages (or one of ours when it said nothing).
 *
 * One context per process. Graphviz 2.42's pango plugin remembers the last
 * font name as a pointer into the graph that was laid out; once that
 * context (and graph) is freed, the next layout in another context compares
 * against freed memory (AddressSanitizer: heap-use-after-free under
 * textspan_size). So every map (render, plan, report, diff) goes through the
 * one context created on first use and never freed: what it holds is
 * Graphviz's own plugin state, alive until exit (tests/lsan.supp).
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "gv_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <depcheck/output.h>

/* ---- DOT text --------------------------------------------------------------- */

void gv_escaped(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n') {
			fputs("\\n", fp);
			continue;
		}
		/* Graphviz reads entities in DOT strings and copies an entity
		 * it does not know (&bogus;, &#0;) into SVG as it is: an `&` of
		 * the input is written as the entity for `&`, so that it stays
		 * one character and the SVG stays well-formed XML */
		if (*s == '&') {
			fputs("&amp;", fp);
			continue;
		}
		/* a control character has no business in a label (the loaders
		 * reject them): never handed to Graphviz */
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			fputc('?', fp);
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

/* Links (docs/security.md). Graphviz writes URL into xlink:href exactly as
 * given, unescaped, so the text handed to it must already be safe inside
 * an XML attribute, and safe to follow: http and https only, or a
 * relative reference; everything outside a conservative set of URL
 * characters percent-encoded (gv_quoted then writes `&` as the XML
 * entity). */
static int hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int gv_url(char *out, size_t size, const char *u)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *p, *end, *colon;
	size_t o = 0, n;
	int relative = 1;

	if (!u || size < 16)
		return 0;
	while (*u == ' ')
		u++;
	n = strlen(u);
	while (n && u[n - 1] == ' ')
		n--;
	end = u + n;
	if (!n || n > 2048)
		return 0;
	for (p = u; p < end; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0; /* browsers drop these silently: "java\tscript:" */
	/* the scheme, as a browser finds it: a letter, then letters, digits,
	 * + - . up to a colon */
	if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z')) {
		for (colon = u; colon < end; colon++)
			if (!((*colon >= 'a' && *colon <= 'z') || (*colon >= 'A' && *colon <= 'Z') ||
			      (*colon >= '0' && *colon <= '9') || *colon == '+' || *colon == '-' ||
			      *colon == '.'))
				break;
		if (colon < end && *colon == ':') {
			size_t k = (size_t)(colon - u);
			if (k == 4 && !strncasecmp(u, "http", 4))
				memcpy(out, "http:", 5), o = 5;
			else if (k == 5 && !strncasecmp(u, "https", 5))
				memcpy(out, "https:", 6), o = 6;
			else
				return 0; /* javascript:, data:, file:, vbscript: ... no link */
			u = colon + 1;
			relative = 0;
		}
	}
	for (p = u; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    strchr("-._~!$()*+,;=@/?#[]", c) != NULL ||
			    (c == ':' && !relative) || (c == '%' && end - p > 2 && hexdig(p[1]) && hexdig(p[2]));
		if (c == ':' && relative && strcspn(u, "/?#") < (size_t)(p - u))
			plain = 1; /* a colon after the first segment cannot start a scheme */
		if (o + 6 >= size)
			return 0;
		if (plain || c == '&') /* gv_quoted writes & as the entity */
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return 1;
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

/* The messages of one call. */
typedef struct gv_msgs {
	char *text;
	size_t len;
	struct gv_msgs *outer;  /* the collection this one interrupted, or NULL */
	agusererrf old_fn;      /* the handler and level to restore */
	agerrlevel_t old_level;
} gv_msgs;

/* Graphviz's hook has no context argument: the current collection of
 * this thread. */
static _Thread_local gv_msgs *collecting;

static int collect(char *msg)
{
	gv_msgs *m = collecting;
	size_t n = strlen(msg);
	char *p;
	if (!m || m->len > 65536)
		return 0; /* enough to explain; do not grow without bound */
	p = realloc(m->text, m->len + n + 1);
	if (!p)
		return 0;
	memcpy(p + m->len, msg, n + 1);
	m->text = p;
	m->len += n;
	return 0;
}

static void hook_on(gv_msgs *m)
{
	memset(m, 0, sizeof(*m));
	m->outer = collecting;
	collecting = m;
	m->old_fn = agseterrf(collect);
	m->old_level = agseterr(AGWARN);
}

/* 1 when Graphviz reported an error (a line "Error: ...") */
static int said_error(const gv_msgs *m)
{
	const char *t = m->text;
	if (!t)
		return 0;
	if (!strncmp(t, "Error: ", 7))
		return 1;
	return strstr(t, "\nError: ") != NULL;
}

/* Each collected line becomes one diagnostic ("Warning: x" -> warning x). */
static void hook_off(gv_msgs *m, dc_diags *diags, int failed)
{
	char *line, *save = NULL;
	agseterrf(m->old_fn);
	agseterr(m->old_level);
	collecting = m->outer;
	for (line = m->text ? strtok_r(m->text, "\n", &save) : NULL; line && diags;
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
	free(m->text);
	m->text = NULL;
	m->len = 0;
}

/* ---- layout and render ----------------------------------------------------------- */

/* Process-global by necessity (see the file comment): created on first
 * use, never freed. */
static GVC_t *shared_gvc;

/* The process's Graphviz context, created on first use; NULL when out of
 * memory. */
static GVC_t *gvc_shared(void)
{
	if (!shared_gvc)
		shared_gvc = gvContext();
	return shared_gvc;
}

const char *gv_version(void)
{
	GVC_t *gvc = gvc_shared();
	return gvc ? gvcVersion(gvc) : NULL;
}

/* Graphviz's device for a map format; NULL for formats that are not maps. */
static const char *device(dc_output_format format)
{
	switch (format) {
	case DC_OUTPUT_SVG: return "svg";
	case DC_OUTPUT_PNG: return "png:cairo";
	case DC_OUTPUT_PDF: return "pdf:cairo";
	default: return NULL;
	}
}

/* Parse, lay out, render. DC_ERROR: Graphviz failed; *at_render says
 * whether it was gvRenderData (may be NULL). */
static int run(GVC_t *gvc, const char *dot, const char *engine, const char *dev, FILE *fp,
	       int *at_render)
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
	if (gvRenderData(gvc, ag, dev, &data, &len) != 0) {
		rc = DC_ERROR; /* the plugin, or anything else: see gv_render_failed */
		if (at_render)
			*at_render = 1;
	} else if (collecting && said_error(collecting))
		rc = DC_ERROR; /* see gv_layout_render: nothing written */
	else if (fp && len && fwrite(data, 1, len, fp) != len)
		rc = DC_EIO;
	if (data)
		gvFreeRenderData(data);
	gvFreeLayout(gvc, ag);
	agclose(ag);
	return rc;
}

int gv_render_failed(dc_output_format format, int graphviz_said, dc_diags *diags)
{
	if (!gv_format_available(format))
		return DC_ENOTFOUND;
	if (!graphviz_said && diags)
		dc_diags_add(diags, DC_SEV_ERROR, "graphviz", 0, 0,
			     "cannot render the laid-out map as %s (gvRenderData failed without a message)",
			     dc_output_format_name(format));
	return DC_ERROR;
}

int gv_layout_render(const char *dot, const char *engine, dc_output_format format, FILE *fp,
		     dc_diags *diags)
{
	const char *dev = device(format);
	GVC_t *gvc;
	gv_msgs m;
	size_t before = diags ? dc_diags_count(diags) : 0;
	int rc, at_render = 0;

	if (!dev)
		return DC_EINVALID;
	gvc = gvc_shared();
	if (!gvc)
		return DC_ENOMEM;
	hook_on(&m);
	rc = run(gvc, dot, engine, dev, fp, &at_render);
	/* Graphviz goes on after some errors (an HTML label it cannot parse
	 * is drawn as plain text, a --highlight legend among them) and
	 * returns success: an error it reported is a failure of the map,
	 * never exit 0 (issue 21) */
	if (!rc && said_error(&m))
		rc = DC_ERROR;
	hook_off(&m, diags, rc == DC_ERROR);
	if (rc == DC_ERROR && at_render)
		rc = gv_render_failed(format, diags && dc_diags_count(diags) > before, diags);
	if (!rc && fp && ferror(fp))
		rc = DC_EIO;
	return rc;
}

int gv_format_available(dc_output_format format)
{
	const char *dev = format == DC_OUTPUT_DOT ? NULL : device(format);
	GVC_t *gvc;
	gv_msgs m;
	int rc;
	if (format == DC_OUTPUT_DOT)
		return 1;
	if (!dev)
		return 0;
	gvc = gvc_shared();
	if (!gvc)
		return 0;
	/* the cheapest complete check: draw one node */
	hook_on(&m);
	rc = run(gvc, "digraph{a}", "dot", dev, NULL, NULL);
	hook_off(&m, NULL, 0);
	return rc == 0;
}
