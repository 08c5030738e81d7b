/*
 * test_render.c - the map (depcheck/render.h): stable ids and classes,
 * overlays on hand-checked graphs, deterministic DOT, style overrides,
 * and the transitive reduction against a brute-force oracle.
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
} fx;

static void fx_load(fx *f, const char *text)
{
	memset(f, 0, sizeof(*f));
	CU_ASSERT_EQUAL_FATAL(th_load(&f->cat, &f->diags, "t.yaml", text, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&f->g, f->cat), 0);
}

static void fx_free(fx *f)
{
	dc_graph_free(f->g);
	dc_catalog_free(f->cat);
	dc_diags_free(f->diags);
}

/* Render to memory; returns the text (free it) or NULL when rc != 0. */
static char *render(const dc_graph *g, const dc_render_options *o, const char *format, int *rc,
		    dc_render_stats *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return NULL;
	*rc = dc_render(g, o, format, mem, st, NULL);
	fclose(mem);
	if (*rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The DOT line that declares node id `id` ("svc-3"), copied into line. */
static int node_line(const char *dot, const char *id, char *line, size_t size)
{
	char needle[64];
	const char *p, *b, *e;
	snprintf(needle, sizeof(needle), "[id=\"%s\"", id);
	p = strstr(dot, needle);
	if (!p)
		return 0;
	for (b = p; b > dot && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	if (!e || (size_t)(e - b) >= size)
		return 0;
	memcpy(line, b, (size_t)(e - b));
	line[e - b] = '\0';
	return 1;
}

static const char *const small =
	"services:\n"
	"  - {name: a, tier: 1, entrypoint: true, owner: team-a, system: front,\n"
	"     depends_on: [b, {service: d, kind: soft}, {any_of: [e, f]}]}\n"
	"  - {name: b, tier: 2, owner: team-b, system: core, depends_on: [c]}\n"
	"  - {name: c, tier: 2, owner: team-b, system: core}\n"
	"  - {name: d, tier: 3, owner: team-d, system: core}\n"
	"  - {name: e, system: store}\n"
	"  - {name: f, system: store, depends_on: [x]}\n";

static void test_ids_classes_deterministic(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	char line[2048];
	char *a, *b;
	int rc;
	fx_load(&f, small);
	a = render(f.g, &o, "dot", &rc, &st);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	b = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_STRING_EQUAL(a, b); /* byte-identical */
	/* every service by its dense id, the name as the node name (<title>) */
	CU_ASSERT_TRUE(node_line(a, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "\"a\" [id=\"svc-0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "class=\"dc-node tier-1 entrypoint\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "tooltip=\"a\\nowner: team-a\\nsystem: front\\ntier: 1\""));
	/* the unresolved x is external: dashed border, marked in the label */
	CU_ASSERT_TRUE(node_line(a, "svc-6", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "external"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "dashed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "(external)"));
	/* edges: dense ids, soft dashed, the any_of group through one junction */
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"a\" -> \"b\" [id=\"e-0-1\", class=\"dc-edge\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"a\" -> \"d\" [id=\"e-0-3\", class=\"dc-edge soft\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "[id=\"any-1\", class=\"dc-anyof\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"a\" -> \"any_of #1\" [id=\"e-0-any-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"any_of #1\" -> \"e\" [id=\"e-0-4\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"any_of #1\" -> \"f\" [id=\"e-0-5\""));
	/* legend with the tiers present */
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "tier 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "no tier"));
	CU_ASSERT_EQUAL(st.nodes, 8); /* 7 services + 1 junction */
	CU_ASSERT_EQUAL(st.edges, 7);
	free(a);
	free(b);
	fx_free(&f);
}

/* a descriptor's link becomes the node's URL; a style callback replaces it */
static void link_style(void *data, dc_id s, dc_render_style *st)
{
	(void)data;
	if (s == 1)
		st->url = "https://override.example/b";
}

static void test_links(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char line[2048];
	char *dot;
	int rc;
	fx_load(&f, "services:\n"
		    "  - { name: a, url: 'https://wiki.example/a?x=\"1\"', depends_on: [b] }\n"
		    "  - { name: b, url: 'https://wiki.example/b' }\n"
		    "  - { name: c }\n");
	CU_ASSERT_STRING_EQUAL(dc_service_url(f.cat, 0), "https://wiki.example/a?x=\"1\"");
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://wiki.example/a?x=\\\"1\\\"\", target=\"_top\""));
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "URL="));
	free(dot);
	o.node_style = link_style;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://override.example/b\""));
	free(dot);
	fx_free(&f);
}

static void test_fail_overlay(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_selection *sel;
	char line[2048], *dot;
	int rc;
	fx_load(&f, small);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "c"), 0);
	o.fail = sel;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line))); /* c: the seed */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-down seed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "peripheries=2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "(failed)"));
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line))); /* b: hard on c */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-down"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "#e74c3c"));
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line))); /* a: hard on b */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-down"));
	CU_ASSERT_TRUE(node_line(dot, "svc-3", line, sizeof(line))); /* d: untouched */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-up"));
	/* the edges that took them down */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-1-2\", class=\"dc-edge cause\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "DOWN (3)"));
	free(dot);
	/* e failing only degrades a (any_of) */
	dc_selection_free(sel);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "e"), 0);
	o.fail = sel;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-degraded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "#f9d56e"));
	free(dot);
	dc_selection_free(sel);
	fx_free(&f);
}

static void test_highlight_plan_critical(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_plan *p;
	dc_critical *cp;
	char line[2048], *dot;
	int rc;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [c]}\n"
		    "  - {name: c, depends_on: [d], latency_ms: 5}\n  - {name: d, latency_ms: 7}\n  - {name: z}\n");
	o.highlight = th_id(f.cat, "b");
	o.highlight_depth = 1;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "focus"));
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	CU_ASSERT_TRUE(node_line(dot, "svc-3", line, sizeof(line))); /* two hops away */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "faded"));
	CU_ASSERT_TRUE(node_line(dot, "svc-4", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "faded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-2-3\", class=\"dc-edge faded\""));
	free(dot);
	/* unlimited depth: d is related too */
	o.highlight_depth = 0;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_TRUE(node_line(dot, "svc-3", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	free(dot);

	/* plan: one rank per wave, providers first, edges from the earlier wave */
	o.highlight = DC_NO_ID;
	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, f.g, NULL), 0);
	o.plan = p;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"wave_1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "label=\"wave 4\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"d\" -> \"c\" [id=\"e-2-3\", class=\"dc-edge\", dir=back]"));
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "wave-4"));
	free(dot);
	o.plan = NULL;
	dc_plan_free(p);

	/* critical path from a: every hop thick, with its time */
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, f.g), 0);
	o.critical = cp;
	o.critical_from = th_id(f.cat, "a");
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-2-3\", class=\"dc-edge critical\", color=\"#7d3c98\", "
					   "penwidth=3.0, label=\"7 ms\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-1\", class=\"dc-edge critical\""));
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "a\\n12 ms"));
	CU_ASSERT_TRUE(node_line(dot, "svc-4", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "critical"));
	free(dot);
	dc_critical_free(cp);
	fx_free(&f);
}

static void test_collapse_and_clusters(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char *dot;
	int rc;
	fx_load(&f, small);
	o.collapse = DC_RENDER_GROUP_SYSTEM;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	/* groups in name order: core 0, front 1, store 2, (no system) 3 */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"core\" [id=\"grp-0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "core\\n3 services"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"(no system)\" [id=\"grp-3\""));
	/* front -> core: a->b hard and a->d soft */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"front\" -> \"core\" [id=\"ge-1-0\", class=\"dc-group-edge\", label=\"2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "2 dependencies (1 hard, 1 soft)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"front\" -> \"store\" [id=\"ge-1-2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "1 dependency inside")); /* b -> c */
	CU_ASSERT_PTR_NULL(strstr(dot, "strongest edges"));
	free(dot);
	/* only the strongest edge out of each group: front -> core (2), not front -> store (1) */
	o.collapse_edges_max = 1;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"ge-1-0\""));
	CU_ASSERT_PTR_NULL(strstr(dot, "[id=\"ge-1-2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "the 1 strongest edges out of each group"));
	free(dot);
	o.collapse_edges_max = 0;
	o.collapse = DC_RENDER_GROUP_NONE;
	o.cluster_by = DC_RENDER_GROUP_OWNER;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"cluster_cl-1\" {\n    graph [id=\"cl-1\", label=\"team-b\""));
	free(dot);
	fx_free(&f);
}

static void restyle_edge(void *data, size_t dep, dc_render_style *st)
{
	size_t want = *(const size_t *)data;
	if (dep == want) {
		st->color = "#2e7d32";
		st->penwidth = 2.5;
		st->cls = "added";
	} else {
		st->faded = 1;
	}
}

static void restyle_node(void *data, dc_id s, dc_render_style *st)
{
	(void)data;
	if (s == 1) {
		st->url = "https://example.org/b?x=\"1\"";
		st->color = "#c62828";
		st->style = "rounded,filled,dashed";
		st->cls = "removed";
	}
}

static void test_style_callbacks_and_errors(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	size_t want = 0; /* a -> b */
	char line[2048], *dot;
	int rc;
	fx_load(&f, small);
	o.edge_style = restyle_edge;
	o.node_style = restyle_node;
	o.style_data = &want;
	dot = render(f.g, &o, "dot", &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-1\", class=\"dc-edge added\", color=\"#2e7d32\", penwidth=2.5]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-1-2\", class=\"dc-edge faded\""));
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "removed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "color=\"#c62828\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://example.org/b?x=\\\"1\\\"\", target=\"_top\""));
	free(dot);

	/* options that do not combine, unknown formats, bad ids */
	memset(&o, 0, sizeof(o));
	{
		dc_render_options d = DC_RENDER_OPTIONS_INIT;
		o = d;
	}
	o.collapse = DC_RENDER_GROUP_TIER;
	CU_ASSERT_PTR_NULL(render(f.g, &o, "dot", &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.collapse = DC_RENDER_GROUP_SYSTEM;
	o.reduce = 1;
	CU_ASSERT_PTR_NULL(render(f.g, &o, "dot", &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.collapse = DC_RENDER_GROUP_NONE;
	o.reduce = 0;
	o.highlight = 99;
	CU_ASSERT_PTR_NULL(render(f.g, &o, "dot", &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.highlight = DC_NO_ID;
	CU_ASSERT_PTR_NULL(render(f.g, &o, "gif", &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	CU_ASSERT_STRING_EQUAL(dc_render_format_from_path("x/map.svg"), "svg");
	CU_ASSERT_STRING_EQUAL(dc_render_format_from_path("map.gv"), "dot");
	CU_ASSERT_PTR_NULL(dc_render_format_from_path("map.svg/x"));
	CU_ASSERT_PTR_NULL(dc_render_format_from_path("map"));
	CU_ASSERT_TRUE(dc_render_format_available("dot"));
	CU_ASSERT_FALSE(dc_render_format_available("gif"));
	fx_free(&f);
}

/* Layouts that would run for hours are refused before they start. */
static void test_limits(void)
{
	dc_catalog *cat = gen_catalog(DC_RENDER_DOT_MAX + 1, NULL, 0);
	dc_graph *g;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	char *out;
	int rc;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	o.layout = DC_RENDER_LAYOUT_DOT;
	CU_ASSERT_PTR_NULL(render(g, &o, "svg", &rc, &st));
	CU_ASSERT_EQUAL(rc, DC_ELIMIT);
	CU_ASSERT_EQUAL(st.nodes, DC_RENDER_DOT_MAX + 1);
	/* the DOT text is always fine, and says which engine AUTO would use */
	o.layout = DC_RENDER_LAYOUT_AUTO;
	out = render(g, &o, "dot", &rc, &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "layout=sfdp"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st.strategy, "sfdp"));
	free(out);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* SVG through Graphviz: ids and titles survive (the HTML report relies on them). */
static void test_svg(void)
{
	fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	char *svg;
	int rc;
	fx_load(&f, small);
	svg = render(f.g, &o, "svg", &rc, &st);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<svg"));
	/* Graphviz writes '-' as &#45;: the DOM sees id="svc-0" */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<g id=\"svc&#45;0\" class=\"node dc&#45;node tier&#45;1 entrypoint\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<title>a</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<g id=\"e&#45;0&#45;3\" class=\"edge dc&#45;edge soft\">"));
	CU_ASSERT_STRING_EQUAL(st.engine, "dot");
	free(svg);
	fx_free(&f);
}

/* ---- transitive reduction vs brute force ------------------------------------------- */

/* Oracle: over the condensation, edge A -> B (A != B) is implied when B is
 * reachable in one step or more from another successor C of A; i.e. when B
 * is reached from some successor of A by a path of length >= 1. */
static void oracle_dropped(const dc_graph *g, uint8_t *dropped)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_graph_node_count(g), m = dc_graph_edge_count(g), nc, a, i, j;
	dc_scc *scc;
	uint8_t *adj, *reach;
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&scc, g, 0), 0);
	nc = dc_scc_count(scc);
	adj = calloc(nc * nc + 1, 1);
	reach = calloc(nc * nc + 1, 1);
	for (i = 0; i < m; i++) {
		size_t x = dc_scc_of(scc, dc_dep_from(cat, i)), y = dc_scc_of(scc, dc_dep_to(cat, i));
		if (x != y)
			adj[x * nc + y] = 1;
	}
	/* reach[x][y]: y reachable from x in >= 1 step (Floyd-Warshall closure) */
	memcpy(reach, adj, nc * nc);
	for (j = 0; j < nc; j++)
		for (a = 0; a < nc; a++)
			if (reach[a * nc + j])
				for (i = 0; i < nc; i++)
					if (reach[j * nc + i])
						reach[a * nc + i] = 1;
	for (i = 0; i < m; i++) {
		size_t x = dc_scc_of(scc, dc_dep_from(cat, i)), y = dc_scc_of(scc, dc_dep_to(cat, i)), c;
		dropped[i] = 0;
		if (x == y || dc_dep_group(cat, i))
			continue;
		for (c = 0; c < nc; c++)
			if (adj[x * nc + c] && reach[c * nc + y])
				dropped[i] = 1;
	}
	(void)n;
	free(adj);
	free(reach);
	dc_scc_free(scc);
}

static void test_reduce_random(void)
{
	uint64_t seed = 77;
	int round;
	for (round = 0; round < 60; round++) {
		unsigned n = 3 + gen_below(&seed, 40);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 10 + gen_below(&seed, 30), 20, 10, &e), i, want = 0;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_render_options o = DC_RENDER_OPTIONS_INIT;
		dc_render_stats st;
		uint8_t *dropped;
		char *dot, id[64];
		int rc;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		m = dc_graph_edge_count(g);
		dropped = malloc(m + 1);
		oracle_dropped(g, dropped);
		o.reduce = 1;
		dot = render(g, &o, "dot", &rc, &st);
		CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
		for (i = 0; i < m; i++) {
			snprintf(id, sizeof(id), "[id=\"e-%u-%u\"", (unsigned)dc_dep_from(cat, i),
				 (unsigned)dc_dep_to(cat, i));
			CU_ASSERT_EQUAL(strstr(dot, id) == NULL, dropped[i]);
			want += dropped[i];
		}
		CU_ASSERT_EQUAL(st.reduced, want);
		free(dot);
		free(dropped);
		free(e);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

int suite_render(void)
{
	static const th_test tests[] = {
		{ "ids, classes, deterministic DOT", test_ids_classes_deterministic },
		{ "fail overlay", test_fail_overlay },
		{ "links from descriptors", test_links },
		{ "highlight, plan and critical overlays", test_highlight_plan_critical },
		{ "collapse and clusters", test_collapse_and_clusters },
		{ "style callbacks and errors", test_style_callbacks_and_errors },
		{ "svg keeps ids and titles", test_svg },
		{ "layout limits", test_limits },
		{ "transitive reduction vs oracle", test_reduce_random },
		{ NULL, NULL }
	};
	return th_suite("render", tests);
}
