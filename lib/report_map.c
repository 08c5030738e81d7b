/*
 * report_map.c - the report's map: DOT written here, laid out and drawn
 * as SVG by Graphviz in-process (dc_gv_render, lib/gvc.c, as the plan's
 * map), then trimmed into an element the page can inline. Part of the
 * Graphviz bridge.
 *
 * The ids are the contract of include/depcheck/report.h: `svc-N` for a
 * service (its name is the node name, so it is the SVG <title>), `grp-K`
 * for a group of the collapsed map, `e-A-B` / `ge-A-B` for edges; Graphviz
 * copies `id` and `class` into the SVG. Names are written as quoted DOT
 * strings with `"` and `\` escaped (so label escapes such as \N stay
 * literal); Graphviz XML-escapes every text it writes. The trimming keeps
 * the viewBox, drops the prologue, the size and every comment (comments
 * repeat node names; nothing in them is needed).
 */
#include "gvc_int.h"

#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- DOT ------------------------------------------------------------------ */

static void dot_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		if (*s == '\n' || *s == '\r') {
			fputc(' ', fp);
			continue;
		}
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void dot_head(FILE *fp)
{
	fputs("digraph depcheck {\n"
	      "  graph [fontname=\"Helvetica\", fontsize=11, nodesep=0.18, ranksep=0.45, "
	      "bgcolor=\"transparent\", pad=0.2];\n"
	      "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#8a94a6\", "
	      "fontname=\"Helvetica\", fontsize=10, height=0.28, margin=\"0.10,0.03\"];\n"
	      "  edge [color=\"#a3abb8\", arrowsize=0.5, penwidth=0.8];\n", fp);
}

/* Services clustered by system, consumers first inside a cluster
 * (reverse topological order), which is the order dot starts from. (An
 * invisible chain through each cluster would stack systems into columns,
 * but makes dot's crossing minimization take minutes at 300 services.) */
static int write_services(FILE *fp, const dc_graph *g, const report_groups *rg)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_graph_node_count(g), k, v, i;
	uint32_t *order = malloc((n + 1) * sizeof(*order)), *start = calloc(rg->count + 1, sizeof(*start));
	dc_id *topo = malloc((n + 1) * sizeof(*topo));
	dc_scc *scc = NULL;

	if (!order || !start || !topo || dc_scc_compute(&scc, g, 0)) {
		free(order);
		free(start);
		free(topo);
		return DC_ENOMEM;
	}
	dc_scc_topo_order(scc, topo);
	dc_scc_free(scc);
	/* counting sort of the services by group, consumers first inside one */
	for (v = 0; v < n; v++)
		start[rg->of[v] + 1]++;
	for (k = 0; k < rg->count; k++)
		start[k + 1] += start[k];
	for (i = n; i-- > 0;)
		order[start[rg->of[topo[i]]]++] = topo[i];
	for (k = rg->count; k > 0; k--)
		start[k] = start[k - 1];
	start[0] = 0;
	for (k = 0; k < rg->count; k++) {
		fprintf(fp, "  subgraph cluster_%zu {\n    id=\"sys-%zu\"; label=", k, k);
		dot_str(fp, rg->name[k]);
		fputs("; style=\"rounded\"; color=\"#d9dee6\"; fontcolor=\"#5b6473\"; fontsize=10;\n", fp);
		for (i = start[k]; i < start[k] + rg->size[k]; i++) {
			dc_id s = order[i];
			int tier = dc_service_tier(cat, s);
			fputs("    ", fp);
			dot_str(fp, dc_service_name(cat, s));
			fprintf(fp, " [id=\"svc-%u\", class=\"svc", (unsigned)s);
			if (tier)
				fprintf(fp, " tier%d", tier);
			if (dc_service_is_entrypoint(cat, s))
				fputs(" entry\", penwidth=1.6", fp);
			else if (dc_service_is_external(cat, s))
				fputs(" external\", style=\"rounded,dashed,filled\"", fp);
			else
				fputc('"', fp);
			fputs("];\n", fp);
		}
		fputs("  }\n", fp);
	}
	for (v = 0; v < n; v++) {
		const dc_id *to;
		size_t first, deg = dc_graph_out(g, (dc_id)v, &to, &first);
		for (i = 0; i < deg; i++) {
			int soft = dc_dep_kind_of(cat, first + i) == DC_DEP_SOFT;
			fputs("  ", fp);
			dot_str(fp, dc_service_name(cat, (dc_id)v));
			fputs(" -> ", fp);
			dot_str(fp, dc_service_name(cat, to[i]));
			fprintf(fp, " [id=\"e-%zu-%u\", class=\"dep%s%s\"%s];\n", v, (unsigned)to[i],
				soft ? " soft" : "", dc_dep_group(cat, first + i) ? " anyof" : "",
				soft ? ", style=dashed" : "");
		}
	}
	free(order);
	free(start);
	free(topo);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* one node per group; an edge between two groups when services of one
 * depend on services of the other, thicker with more dependencies. Only
 * the GROUP_EDGES strongest of each group are drawn: a generated fleet of
 * 2,000 services has about 1,300 system pairs, which is no picture, and
 * dot takes minutes over it; the tables have every dependency. */
#define GROUP_EDGES 4

typedef struct {
	uint32_t a, b, count;
} gpair;

static int cmp_gpair(const void *x, const void *y)
{
	const gpair *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

static int write_groups(FILE *fp, const dc_graph *g, const report_groups *rg)
{
	size_t n = dc_graph_node_count(g), m = dc_graph_edge_count(g), v, i, np = 0, nq = 0, kept = 0;
	uint64_t *pairs = malloc((m + 1) * sizeof(*pairs));
	gpair *q = malloc((m + 1) * sizeof(*q));

	if (!pairs || !q) {
		free(pairs);
		free(q);
		return DC_ENOMEM;
	}
	for (i = 0; i < rg->count; i++) {
		fprintf(fp, "  grp%zu [id=\"grp-%zu\", class=\"grp\", label=", i, i);
		fputc('"', fp);
		for (const char *s = rg->name[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				fputc('\\', fp);
			fputc(*s == '\n' || *s == '\r' ? ' ' : *s, fp);
		}
		fprintf(fp, "\\n%u service%s\"];\n", rg->size[i], rg->size[i] == 1 ? "" : "s");
	}
	for (v = 0; v < n; v++) {
		const dc_id *to;
		size_t first, deg = dc_graph_out(g, (dc_id)v, &to, &first);
		for (i = 0; i < deg; i++)
			if (rg->of[v] != rg->of[to[i]])
				pairs[np++] = (uint64_t)rg->of[v] << 32 | rg->of[to[i]];
	}
	qsort(pairs, np, sizeof(*pairs), cmp_u64);
	for (i = 0; i < np;) {
		size_t j = i;
		while (j < np && pairs[j] == pairs[i])
			j++;
		q[nq].a = (uint32_t)(pairs[i] >> 32);
		q[nq].b = (uint32_t)(pairs[i] & 0xffffffffu);
		q[nq++].count = (uint32_t)(j - i);
		i = j;
	}
	qsort(q, nq, sizeof(*q), cmp_gpair);
	for (i = 0; i < nq; i++) {
		kept = i && q[i].a == q[i - 1].a ? kept + 1 : 1;
		if (kept > GROUP_EDGES)
			continue;
		fprintf(fp, "  grp%u -> grp%u [id=\"ge-%u-%u\", class=\"gdep\", penwidth=%.1f];\n", q[i].a, q[i].b,
			q[i].a, q[i].b, q[i].count >= 50 ? 2.5 : q[i].count >= 10 ? 1.6 : 0.8);
	}
	free(pairs);
	free(q);
	return 0;
}

/* ---- SVG ------------------------------------------------------------------- */

/* The <svg> element of Graphviz's output, as `<svg id="map-svg"
 * viewBox="...">...</svg>` without comments. */
static int trim_svg(char **out, size_t *outlen, const char *s, size_t len)
{
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
	o = malloc(len + 64);
	if (!o)
		return DC_ENOMEM;
	n += (size_t)sprintf(o, "<svg id=\"map-svg\" viewBox=\"%.*s\" role=\"img\">", (int)vbl, vb);
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
		o[n++] = *p++;
	}
	memcpy(o + n, "</svg>", 7);
	*out = o;
	*outlen = n + 6;
	return 0;
}

int report_map_svg(char **svg, size_t *len, const dc_graph *g, const report_groups *rg, int collapsed)
{
	char *dot = NULL, *out = NULL;
	size_t dotlen = 0, outlen = 0;
	FILE *mem = open_memstream(&dot, &dotlen);
	int rc = 0;

	*svg = NULL;
	*len = 0;
	if (!mem)
		return DC_ENOMEM;
	dot_head(mem);
	if (collapsed)
		rc = write_groups(mem, g, rg);
	else
		rc = write_services(mem, g, rg);
	fputs("}\n", mem);
	if (fclose(mem) != 0 || !dot || rc) {
		free(dot);
		return rc ? rc : DC_ENOMEM;
	}
	mem = open_memstream(&out, &outlen);
	if (!mem) {
		free(dot);
		return DC_ENOMEM;
	}
	rc = dc_gv_render(dot, "svg", mem);
	if (fclose(mem) != 0 || !out)
		rc = rc ? rc : DC_ENOMEM;
	if (!rc)
		rc = trim_svg(svg, len, out, outlen);
	else if (rc == DC_EIO)
		rc = DC_ERROR;
	free(out);
	free(dot);
	return rc;
}
