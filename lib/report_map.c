/*
 * report_map.c - the report's map: drawn by dc_render (render.c, laid out
 * through gvbridge.c, the maps' one Graphviz bridge) as SVG, then trimmed
 * into an element the page can inline. dc_report_compute() calls it: the
 * layout is computed with the rest, before anything is written.
 *
 * The ids are render's contract (include/depcheck/render.h), which the
 * page's script relies on: `svc-N` for a service (its name is the SVG
 * <title>), `grp-K` for a system of the collapsed map, `e-A-B` / `ge-K-L`
 * for edges. K is the same group index as the report data's `groups`
 * (both come from render_groups). The trimming keeps the viewBox, drops
 * the prologue, the size and every comment
 * (comments repeat node names; nothing in them is needed).
 */
#include <depcheck/render.h>

#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* Edges drawn out of each system in the collapsed map, the strongest: a
 * generated fleet of 2,000 services has about 1,300 system pairs, which is
 * no picture, and dot needs ~20 s of CPU over them (0.1 s with 4 each);
 * the tables have every dependency. */
#define GROUP_EDGES 4

/* ---- SVG ------------------------------------------------------------------- */

/* The <svg> element of Graphviz's output, as `<svg id="ID"
 * viewBox="...">...</svg>` without comments; with a prefix, every id
 * attribute inside the element gets it (only in tags, outside quoted
 * values: a name in a text node or a tooltip is left as it is). */
static int trim_svg(char **out, size_t *outlen, const char *s, size_t len, const char *id, const char *prefix)
{
	size_t pl = prefix ? strlen(prefix) : 0, nid = 0;
	int intag = 0, inval = 0;
	const char *end = s + len, *p = strstr(s, "<svg"), *vb, *body, *close;
	char *o;
	size_t n = 0, vbl;

	if (!p)
		return DC_ERROR;
	body = strchr(p, '>');
	vb = strstr(p, "viewBox=\"");
	close = NULL;
	for (const char *q = body; q && (q = strstr(q, "</svg>")) != NULL; q++)
		close = q;
	if (!body || !vb || vb > body || !close)
		return DC_ERROR;
	vb += 9;
	vbl = strcspn(vb, "\"");
	if (pl) /* room for the prefixes: one per " id=\"" in the element, at most */
		for (const char *q = body; q < close && (q = strstr(q, " id=\"")) != NULL && q < close; q++)
			nid++;
	o = malloc(len + 64 + strlen(id) + nid * pl);
	if (!o)
		return DC_ENOMEM;
	n += (size_t)sprintf(o, "<svg id=\"%s\" viewBox=\"%.*s\" role=\"img\">", id, (int)vbl, vb);
	for (p = body + 1; p < close && p < end;) {
		if (!strncmp(p, "<!--", 4)) {
			const char *e = strstr(p + 4, "-->");
			if (!e || e > close)
				break;
			p = e + 3;
			if (*p == '\n')
				p++;
			continue;
		}
		if (pl && intag && !inval && nid && !strncmp(p, " id=\"", 5)) {
			memcpy(o + n, p, 5);
			memcpy(o + n + 5, prefix, pl);
			n += 5 + pl;
			p += 5;
			inval = 1;
			nid--;
			continue;
		}
		if (*p == '<' && !inval)
			intag = 1;
		else if (*p == '>' && !inval)
			intag = 0;
		else if (*p == '"' && intag)
			inval = !inval;
		o[n++] = *p++;
	}
	memcpy(o + n, "</svg>", 7);
	*out = o;
	*outlen = n + 6;
	return 0;
}

static int map_svg(char **svg, size_t *len, const dc_graph *g, int collapsed, const dc_overload *ov)
{
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem;
	int rc;

	*svg = NULL;
	*len = 0;
	if (collapsed) {
		ro.collapse = DC_RENDER_GROUP_SYSTEM;
		ro.collapse_edges_max = GROUP_EDGES;
	}
	ro.overload = ov;
	mem = open_memstream(&out, &outlen);
	if (!mem)
		return DC_ENOMEM;
	/* Graphviz's messages are not shown: the page says when there is no map */
	rc = dc_render(g, &ro, DC_OUTPUT_SVG, mem, NULL, NULL);
	if (fclose(mem) != 0 || !out)
		rc = rc ? rc : DC_ENOMEM;
	if (!rc)
		rc = ov ? trim_svg(svg, len, out, outlen, "load-map-svg", "ld-")
			: trim_svg(svg, len, out, outlen, "map-svg", NULL);
	else if (rc == DC_EIO || rc == DC_ENOTFOUND || rc == DC_ELIMIT)
		rc = DC_ERROR;
	free(out);
	return rc;
}

int report_map_svg(char **svg, size_t *len, const dc_graph *g, int collapsed)
{
	return map_svg(svg, len, g, collapsed, NULL);
}

int report_load_map_svg(char **svg, size_t *len, const dc_graph *g, const dc_overload *ov)
{
	return map_svg(svg, len, g, 0, ov);
}
