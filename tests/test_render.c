/*
 * test_render.c - the map (depcheck/render.h): stable ids and classes,
 * overlays on hand-checked graphs, deterministic DOT, style overrides,
 * the transitive reduction as the graph module computes it (whose own
 * brute-force oracle is tests/test_graph_reduce.c), Graphviz's messages
 * reaching the caller from every map, and DOT output from several threads
 * at once.
 */
#include "helpers.h"
#include "gen.h"
#include "gv_int.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>

/* Render to memory; returns the text (free it) or NULL when rc != 0. No
 * CUnit assertions (not TH_CAPTURE): the DOT threads call it. */
static char *render(const dc_graph *g, const dc_render_options *o, dc_output_format format, int *rc,
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
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	char line[2048];
	char *a, *b;
	int rc;
	th_fx_load(&f, "t.yaml", small);
	a = render(f.g, &o, DC_OUTPUT_DOT, &rc, &st);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	b = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
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
	th_fx_free(&f);
}

/* a descriptor's link becomes the node's URL; a style callback replaces it */
static void link_style(dc_id s, dc_render_style *st, void *data)
{
	(void)data;
	if (s == 1)
		st->url = "https://override.example/b";
}

static void test_links(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char line[2048];
	char *dot;
	int rc;
	th_fx_load(&f, "t.yaml", "services:\n"
		    "  - { name: a, url: 'https://wiki.example/a?x=\"1\"', depends_on: [b] }\n"
		    "  - { name: b, url: 'https://wiki.example/b' }\n"
		    "  - { name: c }\n");
	CU_ASSERT_STRING_EQUAL(dc_service_url(f.cat, 0), "https://wiki.example/a?x=\"1\"");
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://wiki.example/a?x=%221%22\", target=\"_top\""));
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "URL="));
	free(dot);
	o.node_style = link_style;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://override.example/b\""));
	free(dot);
	th_fx_free(&f);
}

static void test_fail_overlay(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_selection *sel;
	dc_impact *imp = NULL;
	char line[2048], *dot;
	int rc;
	th_fx_load(&f, "t.yaml", small);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "c"), 0);
	o.fail = sel;
	/* the renderer draws a simulation, it does not run one */
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulate(imp, sel, DC_FAILURE_HANG), 0);
	o.impact = imp;
	o.version = 1; /* version 1 cannot carry it */
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.version = DC_RENDER_OPTIONS_VERSION;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
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
	CU_ASSERT_EQUAL_FATAL(dc_simulate(imp, sel, DC_FAILURE_HANG), 0);
	o.fail = sel;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-degraded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "#f9d56e"));
	free(dot);
	/* the states alone, without seeds to mark */
	o.fail = NULL;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-4", line, sizeof(line))); /* e */
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "state-down"));
	CU_ASSERT_PTR_NULL(strstr(line, "seed"));
	free(dot);
	dc_impact_free(imp);
	dc_selection_free(sel);
	th_fx_free(&f);
}

static void test_highlight_plan_critical(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_plan *p;
	dc_critical *cp;
	char line[2048], *dot;
	int rc;
	th_fx_load(&f, "t.yaml", "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [c]}\n"
		    "  - {name: c, depends_on: [d], latency_ms: 5}\n  - {name: d, latency_ms: 7}\n  - {name: z}\n");
	o.highlight = th_id(f.cat, "b");
	o.highlight_depth = 1;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "focus"));
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	/* only the neighbourhood is drawn: d is two hops away, z unrelated */
	CU_ASSERT_FALSE(node_line(dot, "svc-3", line, sizeof(line)));
	CU_ASSERT_FALSE(node_line(dot, "svc-4", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(dot, "[id=\"e-2-3\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-1-2\""));
	CU_ASSERT_PTR_NULL(strstr(dot, "faded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "(up to 1 hop): 3 of 5 services drawn"));
	/* and laid out for itself: a above b above c, one row each */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"row_0\" {\n    rank=same;\n    \"(row 0)\" [id=\"row-0\", "
					   "class=\"dc-row\", shape=point, style=invis, width=0, height=0, "
					   "label=\"\"];\n    \"a\";\n  }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"(row 1)\" [id=\"row-1\", class=\"dc-row\", shape=point, "
					   "style=invis, width=0, height=0, label=\"\"];\n    \"b\";\n  }"));
	CU_ASSERT_PTR_NULL(strstr(dot, "\"(row 3)\""));
	free(dot);
	/* unlimited depth: d is related too, z still not */
	o.highlight_depth = 0;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_TRUE(node_line(dot, "svc-3", line, sizeof(line)));
	CU_ASSERT_PTR_NULL(strstr(line, "faded"));
	CU_ASSERT_FALSE(node_line(dot, "svc-4", line, sizeof(line)));
	free(dot);

	/* plan: one rank per wave, providers first, edges from the earlier wave */
	o.highlight = DC_NO_ID;
	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, f.g, NULL), 0);
	o.plan = p;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
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
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
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
	th_fx_free(&f);
}

static void test_collapse_and_clusters(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char *dot;
	int rc;
	th_fx_load(&f, "t.yaml", small);
	o.collapse = DC_RENDER_GROUP_SYSTEM;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
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
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"ge-1-0\""));
	CU_ASSERT_PTR_NULL(strstr(dot, "[id=\"ge-1-2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "the 1 strongest edges out of each group"));
	free(dot);
	o.collapse_edges_max = 0;
	o.collapse = DC_RENDER_GROUP_NONE;
	o.cluster_by = DC_RENDER_GROUP_OWNER;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"cluster_cl-1\" {\n    graph [id=\"cl-1\", label=\"team-b\""));
	free(dot);
	th_fx_free(&f);
}

static void restyle_edge(size_t dep, dc_render_style *st, void *data)
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

static void restyle_node(dc_id s, dc_render_style *st, void *data)
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
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	size_t want = 0; /* a -> b */
	char line[2048], *dot;
	int rc;
	th_fx_load(&f, "t.yaml", small);
	o.edge_style = restyle_edge;
	o.node_style = restyle_node;
	o.style_data = &want;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-1\", class=\"dc-edge added\", color=\"#2e7d32\", penwidth=2.5]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-1-2\", class=\"dc-edge faded\""));
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "removed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "color=\"#c62828\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "URL=\"https://example.org/b?x=%221%22\", target=\"_top\""));
	free(dot);

	/* options that do not combine, unknown formats, bad ids */
	memset(&o, 0, sizeof(o));
	{
		dc_render_options d = DC_RENDER_OPTIONS_INIT;
		o = d;
	}
	o.collapse = DC_RENDER_GROUP_TIER;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.collapse = DC_RENDER_GROUP_SYSTEM;
	o.reduce = 1;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.collapse = DC_RENDER_GROUP_NONE;
	o.reduce = 0;
	o.highlight = 99;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.highlight = DC_NO_ID;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_TEXT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	{
		dc_output_format fmt = DC_OUTPUT_TEXT;
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "x/map.svg"), 0);
		CU_ASSERT_EQUAL(fmt, DC_OUTPUT_SVG);
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "map.gv"), 0);
		CU_ASSERT_EQUAL(fmt, DC_OUTPUT_DOT);
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "map.pdf"), 0);
		CU_ASSERT_EQUAL(fmt, DC_OUTPUT_PDF);
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "map.svg/x"), DC_ENOTFOUND);
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "map"), DC_ENOTFOUND);
		CU_ASSERT_EQUAL(dc_render_format_from_path(&fmt, "map.html"), DC_ENOTFOUND);
		CU_ASSERT_EQUAL(fmt, DC_OUTPUT_PDF); /* untouched */
	}
	{
		dc_render_group grp = DC_RENDER_GROUP_NONE;
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "system"), 0);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_SYSTEM);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "owner"), 0);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_OWNER);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "tier"), 0);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_TIER);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "zone"), 0);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_ZONE);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "none"), 0);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_NONE);
		grp = DC_RENDER_GROUP_TIER;
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "System"), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, "zones"), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, ""), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_render_group_parse(&grp, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(grp, DC_RENDER_GROUP_TIER); /* untouched */
	}
	CU_ASSERT_TRUE(dc_render_format_available(DC_OUTPUT_DOT));
	CU_ASSERT_FALSE(dc_render_format_available(DC_OUTPUT_TEXT));
	CU_ASSERT_FALSE(dc_render_format_available(DC_OUTPUT_HTML));
	/* options versions: 1 .. current, nothing else */
	o.version = 0;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.version = DC_RENDER_OPTIONS_VERSION + 1;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.version = 1;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL(dot);
	free(dot);
	th_fx_free(&f);
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
	CU_ASSERT_PTR_NULL(render(g, &o, DC_OUTPUT_SVG, &rc, &st));
	CU_ASSERT_EQUAL(rc, DC_ELIMIT);
	CU_ASSERT_EQUAL(st.nodes, DC_RENDER_DOT_MAX + 1);
	/* the DOT text is always fine, and says which engine AUTO would use */
	o.layout = DC_RENDER_LAYOUT_AUTO;
	out = render(g, &o, DC_OUTPUT_DOT, &rc, &st);
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
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	char *svg;
	int rc;
	th_fx_load(&f, "t.yaml", small);
	svg = render(f.g, &o, DC_OUTPUT_SVG, &rc, &st);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<svg"));
	/* Graphviz writes '-' as &#45;: the DOM sees id="svc-0" */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<g id=\"svc&#45;0\" class=\"node dc&#45;node tier&#45;1 entrypoint\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<title>a</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<g id=\"e&#45;0&#45;3\" class=\"edge dc&#45;edge soft\">"));
	CU_ASSERT_STRING_EQUAL(st.engine, "dot");
	free(svg);
	th_fx_free(&f);
}

/* ---- transitive reduction ----------------------------------------------------------- */

/* The map leaves out exactly what dc_graph_transitive_reduction drops
 * (itself checked against brute force in test_graph_reduce.c). */
static void test_reduce_random(void)
{
	uint64_t seed = 77;
	int round;
	for (round = 0; round < 60; round++) {
		unsigned n = 3 + gen_below(&seed, 40);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 10 + gen_below(&seed, 30), 20, 10, &e), i, want = 0, nd = 0;
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
		CU_ASSERT_EQUAL_FATAL(dc_graph_transitive_reduction(g, dropped, &nd), 0);
		o.reduce = 1;
		dot = render(g, &o, DC_OUTPUT_DOT, &rc, &st);
		CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
		for (i = 0; i < m; i++) {
			snprintf(id, sizeof(id), "[id=\"e-%u-%u\"", (unsigned)dc_dep_from(cat, i),
				 (unsigned)dc_dep_to(cat, i));
			CU_ASSERT_EQUAL(strstr(dot, id) == NULL, dropped[i]);
			want += dropped[i];
		}
		CU_ASSERT_EQUAL(st.reduced, want);
		CU_ASSERT_EQUAL(nd, want);
		free(dot);
		free(dropped);
		free(e);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

/* ---- Graphviz's messages reach the caller ---------------------------------------------- */

/* A catalog whose service "a\xe9" (not UTF-8: Graphviz warns that it reads
 * it as Latin-1) depends on b; with_a 0: b alone. */
static dc_catalog *latin1_catalog(int with_a)
{
	dc_catalog *cat;
	dc_loc_int loc = { 0, 0, 0 };
	uint32_t ra, rb;
	dc_id ia, ib;
	dep_t d;
	if (dc_catalog_new(&cat))
		return NULL;
	rb = cat_intern(cat, "b");
	if (!rb || cat_add_service(cat, rb, loc, DC_FORMAT_NATIVE, NULL, &ib))
		goto fail;
	if (with_a) {
		ra = cat_intern(cat, "aX"); /* made Latin-1 below: the loaders refuse it */
		if (!ra || cat_add_service(cat, ra, loc, DC_FORMAT_NATIVE, NULL, &ia))
			goto fail;
		cat_dep_init(&d, ia, rb, loc);
		if (cat_add_dep(cat, &d))
			goto fail;
	}
	if (dc_catalog_finalize(cat, NULL))
		goto fail;
	if (with_a)
		((char *)cat_str(cat, ra))[1] = (char)0xe9; /* what Graphviz warns about */
	return cat;
fail:
	dc_catalog_free(cat);
	return NULL;
}

/* "graphviz" diagnostics in d, and whether one mentions `what` */
static size_t graphviz_diags(const dc_diags *d, const char *what, int *found)
{
	size_t i, n = 0;
	*found = 0;
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		if (strcmp(x->file, "graphviz"))
			continue;
		n++;
		if (strstr(x->message, what))
			*found = 1;
	}
	return n;
}

/* Regression: the plan's and the diff's maps passed NULL for the
 * diagnostics, so Graphviz's messages were lost. */
static void test_graphviz_messages(void)
{
	dc_catalog *base = latin1_catalog(0), *head = latin1_catalog(1);
	dc_graph *gb = NULL, *gh = NULL;
	dc_plan *p = NULL;
	dc_diff *df = NULL;
	dc_diags *d = NULL;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int found;
	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(head);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&gb, base), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&gh, head), 0);
	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, gh, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diff_compute(&df, gb, gh, NULL), 0);

	/* the general map always passed them on */
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(dc_render(gh, &o, DC_OUTPUT_SVG, mem, NULL, d), 0);
	fclose(mem);
	free(buf);
	CU_ASSERT(graphviz_diags(d, "UTF8", &found) >= 1);
	CU_ASSERT_TRUE(found);
	dc_diags_free(d);

	/* the plan's map */
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	buf = NULL;
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(dc_plan_render(p, gh, DC_OUTPUT_SVG, mem, d), 0);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<svg"));
	free(buf);
	CU_ASSERT(graphviz_diags(d, "UTF8", &found) >= 1);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0); /* warnings: it rendered */
	dc_diags_free(d);

	/* the diff's map */
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	buf = NULL;
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(dc_diff_render(df, DC_OUTPUT_SVG, DC_DIFF_MAP_ALL, mem, d), 0);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<svg"));
	free(buf);
	CU_ASSERT(graphviz_diags(d, "UTF8", &found) >= 1);
	CU_ASSERT_TRUE(found);
	dc_diags_free(d);

	/* DOT is not laid out: nothing to say, and NULL diagnostics are fine */
	buf = NULL;
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(dc_plan_render(p, gh, DC_OUTPUT_DOT, mem, NULL), 0);
	CU_ASSERT_EQUAL(dc_diff_render(df, DC_OUTPUT_DOT, DC_DIFF_MAP_ALL, mem, NULL), 0);
	CU_ASSERT_EQUAL(dc_diff_render(df, DC_OUTPUT_PNG, DC_DIFF_MAP_ALL, mem, NULL), DC_EINVALID);
	fclose(mem);
	free(buf);

	dc_diff_free(df);
	dc_plan_free(p);
	dc_graph_free(gb);
	dc_graph_free(gh);
	dc_catalog_free(base);
	dc_catalog_free(head);
}

/* Regression: every gvRenderData failure was reported as a missing plugin
 * (DC_ENOTFOUND). Now only a format that cannot be rendered at all is;
 * any other failure is DC_ERROR, with a diagnostic that says so even when
 * Graphviz said nothing. */
static void test_render_failure_cause(void)
{
	dc_diags *d = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int found;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_TRUE_FATAL(gv_format_available(DC_OUTPUT_SVG));
	/* svg renders here: a failure is Graphviz's, not a missing plugin */
	CU_ASSERT_EQUAL(gv_render_failed(DC_OUTPUT_SVG, 0, d), DC_ERROR);
	CU_ASSERT_EQUAL(graphviz_diags(d, "gvRenderData failed", &found), 1);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	/* Graphviz's own message explains it: no second one */
	CU_ASSERT_EQUAL(gv_render_failed(DC_OUTPUT_SVG, 1, d), DC_ERROR);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	/* a format with no plugin at all */
	CU_ASSERT_EQUAL(gv_render_failed(DC_OUTPUT_HTML, 0, d), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	/* a layout that fails is DC_ERROR with Graphviz's words */
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(gv_layout_render("digraph { a -> }", "dot", DC_OUTPUT_SVG, mem, d), DC_ERROR);
	CU_ASSERT_EQUAL(gv_layout_render("digraph { a }", "no-such-engine", DC_OUTPUT_SVG, mem, d), DC_ERROR);
	CU_ASSERT_EQUAL(gv_layout_render("digraph { a }", "dot", DC_OUTPUT_TEXT, mem, d), DC_EINVALID);
	/* an HTML label Graphviz cannot parse: it draws the text plainly and
	 * returns success, but said "Error:": a failure, never a map (issue 21) */
	CU_ASSERT_EQUAL(gv_layout_render("digraph { a [label=<<b>x</i>>] }", "dot", DC_OUTPUT_SVG, mem, d),
			DC_ERROR);
	fclose(mem);
	CU_ASSERT_EQUAL(len, 0); /* nothing written */
	free(buf);
	CU_ASSERT(dc_diags_count(d) > 1);
	dc_diags_free(d);
}

/* ---- DOT from several threads ------------------------------------------------------------ */

typedef struct {
	const dc_graph *g;
	dc_render_group cluster, collapse;
	const char *want;
	int ok;
} dot_job;

static void *dot_worker(void *arg)
{
	dot_job *j = arg;
	int i, rc;
	j->ok = 1;
	for (i = 0; i < 40 && j->ok; i++) {
		dc_render_options o = DC_RENDER_OPTIONS_INIT;
		char *dot;
		o.cluster_by = j->cluster;
		o.collapse = j->collapse;
		dot = render(j->g, &o, DC_OUTPUT_DOT, &rc, NULL);
		j->ok = dot && !strcmp(dot, j->want);
		free(dot);
	}
	return NULL;
}

/* Regression: grouping sorted through a static qsort context, so two
 * clustered or collapsed maps drawn at once could sort by each other's
 * keys. DOT output keeps no state outside the call. */
static void test_dot_reentrant(void)
{
	static const char *const text =
		"services:\n"
		"  - {name: a, system: s2, owner: o1, tier: 2, zones: [z2], depends_on: [b, c]}\n"
		"  - {name: b, system: s1, owner: o2, tier: 1, zones: [z1, z2], depends_on: [d]}\n"
		"  - {name: c, system: s2, owner: o2, tier: 3, zones: [z1]}\n"
		"  - {name: d, system: s3, owner: o1, zones: [z3], depends_on: [e]}\n"
		"  - {name: e, owner: o3, tier: 1}\n"
		"  - {name: f, system: s1, tier: 4, zones: [z2], depends_on: [a]}\n";
	static const dc_render_group by[][2] = {
		{ DC_RENDER_GROUP_SYSTEM, DC_RENDER_GROUP_NONE }, { DC_RENDER_GROUP_OWNER, DC_RENDER_GROUP_NONE },
		{ DC_RENDER_GROUP_TIER, DC_RENDER_GROUP_NONE },   { DC_RENDER_GROUP_ZONE, DC_RENDER_GROUP_NONE },
		{ DC_RENDER_GROUP_NONE, DC_RENDER_GROUP_SYSTEM }, { DC_RENDER_GROUP_NONE, DC_RENDER_GROUP_OWNER },
	};
	enum { NJ = sizeof(by) / sizeof(by[0]) };
	dot_job jobs[NJ];
	pthread_t th[NJ];
	char *want[NJ];
	th_fx f;
	size_t i;
	int rc;
	th_fx_load(&f, "t.yaml", text);
	for (i = 0; i < NJ; i++) {
		dc_render_options o = DC_RENDER_OPTIONS_INIT;
		o.cluster_by = by[i][0];
		o.collapse = by[i][1];
		want[i] = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want[i]);
		jobs[i].g = f.g;
		jobs[i].cluster = by[i][0];
		jobs[i].collapse = by[i][1];
		jobs[i].want = want[i];
	}
	/* clusters in key order, services without a key last */
	CU_ASSERT_PTR_NOT_NULL(strstr(want[2], "label=\"tier 1\""));
	CU_ASSERT(strstr(want[2], "label=\"tier 1\"") < strstr(want[2], "label=\"tier 4\""));
	CU_ASSERT(strstr(want[3], "label=\"z1\"") < strstr(want[3], "label=\"z1, z2\""));
	CU_ASSERT(strstr(want[3], "label=\"z1, z2\"") < strstr(want[3], "label=\"z3\""));
	CU_ASSERT(strstr(want[3], "\"e\" [id=\"svc-4\"") > strstr(want[3], "label=\"z3\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(want[4], "\"(no system)\" [id=\"grp-3\""));
	for (i = 0; i < NJ; i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, dot_worker, &jobs[i]), 0);
	for (i = 0; i < NJ; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_TRUE(jobs[i].ok);
		free(want[i]);
	}
	th_fx_free(&f);
}

/* the row (0 = top) of a service in a layered map's DOT, or -1: the
 * "row_N" subgraph that lists it */
static int row_of(const char *dot, const char *name)
{
	char needle[128];
	const char *p, *q;
	snprintf(needle, sizeof(needle), "\n    \"%s\";\n", name);
	p = strstr(dot, needle);
	if (!p)
		return -1;
	for (q = p; q > dot && strncmp(q, "subgraph \"row_", 14); q--)
		;
	return q > dot ? atoi(q + 14) : -1;
}

static void test_layered_rows(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	char *dot, name[64], line[2048];
	size_t i;
	int rc, r0;
	DC_VEC(char) yaml = { 0 };
	/* top -> mid -> low (hard); top, mid and low -> mon (soft: monitoring);
	 * cyc1 <-> cyc2 a hard cycle under caller; solo linked to nothing; a
	 * wide layer: hub -> 30 leaves with long names */
	const char *head =
		"services:\n"
		"  - {name: top, tier: 1, depends_on: [mid, {service: mon, kind: soft}]}\n"
		"  - {name: mid, tier: 2, depends_on: [low, {service: mon, kind: soft}]}\n"
		"  - {name: low, tier: 2, depends_on: [{service: mon, kind: soft}]}\n"
		"  - {name: mon, tier: 2}\n"
		"  - {name: caller, tier: 2, depends_on: [cyc1]}\n"
		"  - {name: cyc1, tier: 2, depends_on: [cyc2]}\n"
		"  - {name: cyc2, tier: 2, depends_on: [cyc1]}\n"
		"  - {name: solo, tier: 2}\n"
		"  - name: hub\n    tier: 2\n    depends_on: [";
	for (i = 0; head[i]; i++)
		CU_ASSERT_EQUAL_FATAL(dc_vec_push(&yaml, head[i]), 0);
	for (i = 0; i < 30; i++) {
		int n = snprintf(name, sizeof(name), "%sleaf-service-number-%zu", i ? ", " : "", i);
		for (int k = 0; k < n; k++)
			CU_ASSERT_EQUAL_FATAL(dc_vec_push(&yaml, name[k]), 0);
	}
	for (i = 0; "]\n"[i]; i++)
		CU_ASSERT_EQUAL_FATAL(dc_vec_push(&yaml, "]\n"[i]), 0);
	for (i = 0; i < 30; i++) {
		int n = snprintf(name, sizeof(name), "  - {name: leaf-service-number-%zu, tier: 2}\n", i);
		for (int k = 0; k < n; k++)
			CU_ASSERT_EQUAL_FATAL(dc_vec_push(&yaml, name[k]), 0);
	}
	CU_ASSERT_EQUAL_FATAL(dc_vec_push(&yaml, '\0'), 0);
	th_fx_load(&f, "t.yaml", yaml.items);
	dc_vec_free(&yaml);
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	/* callers above what they call, by depth; a soft dependency lifts its
	 * caller above it too */
	CU_ASSERT_TRUE(row_of(dot, "top") >= 0);
	CU_ASSERT_TRUE(row_of(dot, "top") < row_of(dot, "mid"));
	CU_ASSERT_TRUE(row_of(dot, "mid") < row_of(dot, "low"));
	CU_ASSERT_TRUE(row_of(dot, "low") < row_of(dot, "mon"));
	/* a cycle does not hold its caller down to the bottom: the cycle is
	 * broken at a member (cyc1), the caller is above it */
	CU_ASSERT_TRUE(row_of(dot, "caller") < row_of(dot, "cyc1"));
	CU_ASSERT_TRUE(row_of(dot, "caller") <= row_of(dot, "cyc2"));
	CU_ASSERT_TRUE(row_of(dot, "caller") < row_of(dot, "solo"));
	/* the edge closing the cycle does not rank */
	CU_ASSERT_TRUE(node_line(dot, "e-5-6", line, sizeof(line)) || node_line(dot, "e-6-5", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, row_of(dot, "cyc1") < row_of(dot, "cyc2")
					   ? "\"cyc2\" -> \"cyc1\" [id=\"e-6-5\", class=\"dc-edge\", constraint=false]"
					   : "\"cyc1\" -> \"cyc2\" [id=\"e-5-6\", class=\"dc-edge\", constraint=false]"));
	/* soft edges neither rank nor pull */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"top\" -> \"mon\" [id=\"e-0-3\", class=\"dc-edge soft\", "
					   "color=\"#a9b4be\", style=\"dashed\", constraint=false, weight=0]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"top\" -> \"mid\" [id=\"e-0-1\", class=\"dc-edge\"]"));
	/* the 30 leaves are one layer, wrapped onto several rows, none wider
	 * than a page; solo (linked to nothing) in the last row */
	r0 = row_of(dot, "leaf-service-number-0");
	CU_ASSERT_TRUE(r0 > row_of(dot, "hub"));
	CU_ASSERT_TRUE(row_of(dot, "leaf-service-number-29") > r0);
	CU_ASSERT_TRUE(row_of(dot, "leaf-service-number-29") - r0 >= 3);
	CU_ASSERT_TRUE(row_of(dot, "solo") > row_of(dot, "leaf-service-number-29"));
	CU_ASSERT_TRUE(row_of(dot, "solo") > row_of(dot, "mon"));
	/* the rows are chained top to bottom by invisible anchors */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"(row 0)\" -> \"(row 1)\" [style=invis];"));
	/* the legend: only tiers 1 and 2 appear, no "no tier", no external or
	 * entrypoint or any_of line; the soft edges are explained */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "&nbsp;tier 1&nbsp;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "&nbsp;tier 2&nbsp;"));
	CU_ASSERT_PTR_NULL(strstr(dot, "&nbsp;tier 3&nbsp;"));
	CU_ASSERT_PTR_NULL(strstr(dot, "no tier"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "dashed edge: soft dependency"));
	CU_ASSERT_PTR_NULL(strstr(dot, "dashed border: external"));
	CU_ASSERT_PTR_NULL(strstr(dot, "any_of group"));
	free(dot);
	/* clusters keep dot's own ranks: no rows */
	o.cluster_by = DC_RENDER_GROUP_TIER;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NULL(strstr(dot, "subgraph \"row_"));
	free(dot);
	o.cluster_by = DC_RENDER_GROUP_NONE;
	/* laid out: the soft edges are routed after the rest, and are in the SVG */
	dot = render(f.g, &o, DC_OUTPUT_SVG, &rc, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "id=\"e&#45;0&#45;3\" class=\"edge dc&#45;edge soft\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "id=\"svc&#45;7\""));
	free(dot);
	th_fx_free(&f);

	/* no tier anywhere: no swatch at all */
	th_fx_load(&f, "t.yaml", "services:\n  - {name: a, depends_on: [b]}\n  - {name: b}\n");
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NULL(strstr(dot, "no tier"));
	CU_ASSERT_PTR_NULL(strstr(dot, "&nbsp;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "arrow: depends on"));
	CU_ASSERT_PTR_NULL(strstr(dot, "dashed edge"));
	free(dot);
	th_fx_free(&f);
}

/* The load overlay on a hand-solved graph: web (100 rps) calls db with 2
 * retries (500 ms timeout; db serves 150 rps), cache (240 rps), api (1000
 * rps, 1 retry on a 1 ms timeout: a few timeouts) and cdn (soft, no
 * capacity). A surge x2 saturates db: every attempt times out, web makes
 * 3 per call, 600 rps (x6 its 100 without the surge); cache is offered
 * 200 of 240 (0.83: near); api about 204 of 1000 (under); web and cdn
 * declare no capacity. cdn answering 10 ms slower is a trigger on it. */
static const char *const storm =
	"services:\n"
	"  - name: web\n"
	"    traffic_rps: 100\n"
	"    depends_on: [{service: db, retries: 2, timeout_ms: 500}, cache,\n"
	"                 {service: api, retries: 1, timeout_ms: 1}, {service: cdn, kind: soft}]\n"
	"  - {name: db, capacity_rps: 150, latency_ms: 5}\n"
	"  - {name: cache, capacity_rps: 240}\n"
	"  - {name: api, capacity_rps: 1000}\n"
	"  - {name: cdn}\n";

static void test_load_overlay(void)
{
	th_fx f;
	dc_render_options o = DC_RENDER_OPTIONS_INIT;
	dc_overload_triggers *t = NULL, *t2 = NULL;
	dc_overload *l = NULL;
	dc_selection *sel = NULL;
	dc_impact *imp = NULL;
	char line[4096], *dot, *svg;
	int rc;
	th_fx_load(&f, "t.yaml", storm);
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&t, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_trigger_surge(t, 2), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_trigger_slow(t, th_id(f.cat, "cdn"), 10), 0);
	/* what the triggers do to each service */
	CU_ASSERT_EQUAL(dc_overload_trigger_of(t, th_id(f.cat, "cdn")), DC_OVERLOAD_TRIGGER_SLOW);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_trigger_slow_ms(t, th_id(f.cat, "cdn")), 10, 1e-12);
	CU_ASSERT_EQUAL(dc_overload_trigger_of(t, th_id(f.cat, "db")), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_slow_ms(t, th_id(f.cat, "db")), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_of(t, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_of(NULL, 0), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_slow_ms(NULL, 0), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&t2, f.cat), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_fail(t2, th_id(f.cat, "db")), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(t2, th_id(f.cat, "db"), -50, DC_OVERLOAD_CAPACITY_PERCENT), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_of(t2, th_id(f.cat, "db")),
			DC_OVERLOAD_TRIGGER_FAIL | DC_OVERLOAD_TRIGGER_CAPACITY);
	dc_overload_triggers_free(t2);

	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&l, f.g, t, NULL), 0);
	o.overload = l;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	/* db: over capacity, 600 of 150 rps, x6, filled red */
	CU_ASSERT_TRUE(node_line(dot, "svc-1", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "label=\"db\\n600 / 150 rps\\nx6 load\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "load-over"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "fillcolor=\"#e74c3c\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "overloaded: retries on web -> db (3 attempts per call)"));
	CU_ASSERT_PTR_NULL(strstr(line, "load-trigger"));
	/* cache: near, 200 of 240 */
	CU_ASSERT_TRUE(node_line(dot, "svc-2", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "label=\"cache\\n200 / 240 rps\\nx2 load\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "load-near"));
	/* api: under capacity, no numbers on the label */
	CU_ASSERT_TRUE(node_line(dot, "svc-3", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "label=\"api\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "load-under"));
	/* cdn: no capacity, the trigger (double border) */
	CU_ASSERT_TRUE(node_line(dot, "svc-4", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "label=\"cdn\\n(+10 ms slower)\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "load-unbounded load-trigger"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "peripheries=2"));
	/* web: no capacity, but every request fails (db never answers in time) */
	CU_ASSERT_TRUE(node_line(dot, "svc-0", line, sizeof(line)));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "load-unbounded load-failing"));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "requests failing: 100 %"));
	/* edges: db's cause, the retries the surge added to api, the rest context */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-1\", class=\"dc-edge load-cause\", color=\"#922b21\", "
					   "penwidth=3.0, label=\"x3 attempts\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-3\", class=\"dc-edge load-retry\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "[id=\"e-0-2\", class=\"dc-edge\", color=\"#c5cbd1\"]"));
	/* the legend: the buckets counted, the scenario, the verified fix */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "over capacity (1)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "near: 80 % or more (1)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "under capacity (1)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "no capacity declared (2)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "<b>load: traffic x2; cdn answers 10 ms slower</b>; entry requests lost: "
					   "200 of 200 rps (100 %)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "orange edge: retries the trigger added (1;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "still overloaded (metastable)</b>; breaks it (verified): a retry budget "
					   "of 0.1 on web -&gt; db"));
	free(dot);
	/* laid out: the classes reach the SVG */
	svg = render(f.g, &o, DC_OUTPUT_SVG, &rc, NULL);
	if (svg) {
		CU_ASSERT_PTR_NOT_NULL(strstr(svg, "id=\"svc&#45;1\" class=\"node dc&#45;node tier&#45;none load&#45;over\""));
		free(svg);
	} else {
		CU_ASSERT_EQUAL(rc, DC_ENOTFOUND); /* no SVG plugin here */
	}
	/* version 2 options end before `overload`: no overlay */
	o.version = 2;
	dot = render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NULL(strstr(dot, "load-"));
	free(dot);
	o.version = DC_RENDER_OPTIONS_VERSION;
	/* not with the failure overlay, nor collapsed */
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, "db"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f.g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulate(imp, sel, DC_FAILURE_HANG), 0);
	o.impact = imp;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.impact = NULL;
	o.collapse = DC_RENDER_GROUP_SYSTEM;
	CU_ASSERT_PTR_NULL(render(f.g, &o, DC_OUTPUT_DOT, &rc, NULL));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	o.collapse = DC_RENDER_GROUP_NONE;
	/* a result of another graph */
	{
		th_fx f2;
		th_fx_load(&f2, "t2.yaml", storm);
		CU_ASSERT_PTR_NULL(render(f2.g, &o, DC_OUTPUT_DOT, &rc, NULL));
		CU_ASSERT_EQUAL(rc, DC_EINVALID);
		th_fx_free(&f2);
	}
	dc_impact_free(imp);
	dc_selection_free(sel);
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	th_fx_free(&f);
}

int suite_render(void)
{
	static const th_test tests[] = {
		{ "ids, classes, deterministic DOT", test_ids_classes_deterministic },
		{ "fail overlay", test_fail_overlay },
		{ "load overlay", test_load_overlay },
		{ "links from descriptors", test_links },
		{ "highlight, plan and critical overlays", test_highlight_plan_critical },
		{ "layered rows, soft edges, legend", test_layered_rows },
		{ "collapse and clusters", test_collapse_and_clusters },
		{ "style callbacks and errors", test_style_callbacks_and_errors },
		{ "svg keeps ids and titles", test_svg },
		{ "layout limits", test_limits },
		{ "transitive reduction as the graph module's", test_reduce_random },
		{ "Graphviz's messages from every map", test_graphviz_messages },
		{ "render failures say their cause", test_render_failure_cause },
		{ "DOT from several threads", test_dot_reentrant },
		{ NULL, NULL }
	};
	return th_suite("render", tests);
}
