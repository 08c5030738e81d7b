/*
 * render_diff.c - the map of a change (dc_diff_render) as DOT or SVG; a
 * DOT writer of its own (the union of two graphs is not one dc_graph, so
 * dc_render cannot draw it yet, and its style callbacks are not used
 * here), laid out through the shared Graphviz bridge (gv_int.h; the
 * process's one Graphviz context). Graphviz's messages reach the
 * caller's diags.
 *
 * The DOT text is written by hand in a fixed order (head services by id,
 * then removed base services, then head dependencies, then removed ones),
 * so `-f dot` is stable byte for byte. Node ids are "h<id>" for head
 * services and "b<id>" for removed base services (display names may differ
 * between the two catalogs); labels are display names. A removed
 * dependency whose endpoint still exists is drawn to the head node.
 *
 * SVG: the same text through gv_layout_render (dot), in-process, refused
 * above DC_DIFF_SVG_MAX drawn services.
 */
#include <depcheck/diff.h>

#include "gv_int.h"
#include "render_int.h"

#include <stdlib.h>
#include <string.h>

enum { ST_SAME = 0, ST_ADDED = 1, ST_REMOVED = 2, ST_CHANGED = 3 };
/* also the SVG class of each node and edge, for stylesheets and tests */
static const char *const state_name[] = { "same", "added", "removed", "changed" };

typedef struct {
	const dc_diff *d;
	const dc_catalog *cb, *ch;
	uint8_t *hst, *bst;      /* node state per head / base service (ST_*) */
	uint8_t *hdep;           /* head dependency state */
	uint8_t *hshow, *bshow;  /* nodes drawn */
	size_t drawn;            /* nodes drawn */
	int changed_only;
} map_ctx;

static const char *node_style(int st)
{
	switch (st) {
	case ST_ADDED: return "color=\"#2ca02c\", penwidth=2, fontcolor=\"#1b6e1b\"";
	case ST_REMOVED: return "color=\"#d62728\", style=dashed, penwidth=2, fontcolor=\"#d62728\"";
	case ST_CHANGED: return "color=\"#ff7f0e\", penwidth=2";
	default: return "color=grey70, fontcolor=grey45";
	}
}

static const char *edge_style(int st)
{
	switch (st) {
	case ST_ADDED: return "color=\"#2ca02c\", penwidth=2";
	case ST_REMOVED: return "color=\"#d62728\", style=dashed, penwidth=2";
	case ST_CHANGED: return "color=\"#ff7f0e\", penwidth=1.5";
	default: return "color=grey80";
	}
}

static int map_init(map_ctx *m, const dc_diff *d, int changed_only)
{
	size_t nh, nb, i, n;
	const dc_id *ids;
	const uint32_t *deps;
	const dc_diff_change *ch;
	memset(m, 0, sizeof(*m));
	m->d = d;
	m->changed_only = changed_only;
	m->cb = dc_graph_catalog(dc_diff_base(d));
	m->ch = dc_graph_catalog(dc_diff_head(d));
	nh = dc_catalog_service_count(m->ch);
	nb = dc_catalog_service_count(m->cb);
	m->hst = calloc(nh + 1, 1);
	m->bst = calloc(nb + 1, 1);
	m->hshow = calloc(nh + 1, 1);
	m->bshow = calloc(nb + 1, 1);
	m->hdep = calloc(dc_catalog_dep_count(m->ch) + 1, 1);
	if (!m->hst || !m->bst || !m->hshow || !m->bshow || !m->hdep)
		return DC_ENOMEM;
	n = dc_diff_services_added(d, &ids);
	for (i = 0; i < n; i++)
		m->hst[ids[i]] = ST_ADDED;
	n = dc_diff_services_removed(d, &ids);
	for (i = 0; i < n; i++)
		m->bst[ids[i]] = ST_REMOVED;
	n = dc_diff_attributes(d, &ch);
	for (i = 0; i < n; i++)
		m->hst[ch[i].head] = ST_CHANGED;
	n = dc_diff_deps_added(d, &deps);
	for (i = 0; i < n; i++)
		m->hdep[deps[i]] = ST_ADDED;
	n = dc_diff_deps_changed(d, &ch);
	for (i = 0; i < n; i++)
		m->hdep[ch[i].head] = ST_CHANGED;
	/* what is drawn */
	for (i = 0; i < nh; i++)
		m->hshow[i] = !changed_only || m->hst[i] != ST_SAME;
	for (i = 0; i < nb; i++)
		m->bshow[i] = m->bst[i] == ST_REMOVED;
	if (changed_only) {
		for (i = 0; i < dc_catalog_dep_count(m->ch); i++)
			if (m->hdep[i] != ST_SAME)
				m->hshow[dc_dep_from(m->ch, i)] = m->hshow[dc_dep_to(m->ch, i)] = 1;
		n = dc_diff_deps_removed(d, &deps);
		for (i = 0; i < n; i++) {
			dc_id f = dc_dep_from(m->cb, deps[i]), t = dc_dep_to(m->cb, deps[i]);
			dc_id hf = dc_diff_head_of(d, f), ht = dc_diff_head_of(d, t);
			if (hf != DC_NO_ID)
				m->hshow[hf] = 1;
			if (ht != DC_NO_ID)
				m->hshow[ht] = 1;
		}
	}
	for (i = 0; i < nh; i++)
		m->drawn += m->hshow[i];
	for (i = 0; i < nb; i++)
		m->drawn += m->bshow[i];
	return 0;
}

static void map_free(map_ctx *m)
{
	free(m->hst);
	free(m->bst);
	free(m->hshow);
	free(m->bshow);
	free(m->hdep);
}

/* "from -> to (kind, state)": the edge's tooltip (and SVG title hover) */
static void edge_tip(FILE *fp, const dc_catalog *cat, size_t e, const char *state)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s -> %s (%s, %s)", dc_service_name(cat, dc_dep_from(cat, e)),
		 dc_service_name(cat, dc_dep_to(cat, e)), dc_diff_dep_kind_label(cat, e), state);
	gv_quoted(fp, buf);
}

/* node id of a base service: its head counterpart when it has one */
static void base_node(const map_ctx *m, FILE *fp, dc_id b)
{
	dc_id h = dc_diff_head_of(m->d, b);
	if (h != DC_NO_ID)
		fprintf(fp, "h%u", (unsigned)h);
	else
		fprintf(fp, "b%u", (unsigned)b);
}

/* Drawn dependencies, for the size tier. */
static size_t drawn_edges(const map_ctx *m)
{
	size_t i, e = 0;
	const uint32_t *deps;
	for (i = 0; i < dc_catalog_dep_count(m->ch); i++) {
		dc_id f = dc_dep_from(m->ch, i), t = dc_dep_to(m->ch, i);
		e += m->hshow[f] && m->hshow[t] && !(m->changed_only && m->hdep[i] == ST_SAME);
	}
	return e + dc_diff_deps_removed(m->d, &deps);
}

static void write_dot(const map_ctx *m, FILE *fp, int tier)
{
	size_t nh = dc_catalog_service_count(m->ch), nb = dc_catalog_service_count(m->cb), i, n;
	const uint32_t *deps;
	const dc_id *ids;
	const dc_diff_change *ch;
	size_t sa = dc_diff_services_added(m->d, &ids), sr = dc_diff_services_removed(m->d, &ids);
	size_t sc = dc_diff_attributes(m->d, &ch), da = dc_diff_deps_added(m->d, &deps);
	size_t dr = dc_diff_deps_removed(m->d, &deps), dch = dc_diff_deps_changed(m->d, &ch);
	/* render's size tiers (render_int.h): left to right while small, then
	 * top to bottom with bounded crossing minimisation, then sfdp */
	fputs("digraph diff {\n", fp);
	if (tier == RENDER_TIER_DEFAULT)
		fputs("  rankdir=LR;\n", fp);
	else if (tier == RENDER_TIER_TUNED)
		fputs("  mclimit=0.05; nslimit=0.5; nslimit1=0.5; searchsize=10; remincross=false;\n", fp);
	else
		fputs("  layout=sfdp; overlap=true; K=0.9; repulsiveforce=1.6; splines=false;\n", fp);
	if (tier == RENDER_TIER_TUNED && drawn_edges(m) > 3000)
		fputs("  splines=false;\n", fp);
	/* the counts as a title: a map passed around on its own still says what it shows */
	fprintf(fp, "  label=\"services +%zu -%zu ~%zu, dependencies +%zu -%zu ~%zu "
		"(green: added, red dashed: removed, orange: changed)\";\n  labelloc=t;\n  fontsize=12;\n",
		sa, sr, sc, da, dr, dch);
	fputs("  node [shape=box, fontsize=10];\n  edge [arrowsize=0.7];\n", fp);
	for (i = 0; i < nh; i++) {
		if (!m->hshow[i])
			continue;
		fprintf(fp, "  h%zu [label=", i);
		gv_quoted(fp, dc_service_name(m->ch, (dc_id)i));
		fprintf(fp, ", class=%s, %s];\n", state_name[m->hst[i]], node_style(m->hst[i]));
	}
	for (i = 0; i < nb; i++) {
		if (!m->bshow[i])
			continue;
		fprintf(fp, "  b%zu [label=", i);
		gv_quoted(fp, dc_service_name(m->cb, (dc_id)i));
		fprintf(fp, ", class=removed, %s];\n", node_style(ST_REMOVED));
	}
	for (i = 0; i < dc_catalog_dep_count(m->ch); i++) {
		dc_id f = dc_dep_from(m->ch, i), t = dc_dep_to(m->ch, i);
		if (!m->hshow[f] || !m->hshow[t] || (m->changed_only && m->hdep[i] == ST_SAME))
			continue;
		fprintf(fp, "  h%u -> h%u [class=%s, tooltip=", (unsigned)f, (unsigned)t, state_name[m->hdep[i]]);
		edge_tip(fp, m->ch, i, state_name[m->hdep[i]]);
		fprintf(fp, ", %s%s];\n", edge_style(m->hdep[i]),
			dc_dep_kind_of(m->ch, i) == DC_DEP_SOFT ? ", arrowhead=empty" : "");
	}
	n = dc_diff_deps_removed(m->d, &deps);
	for (i = 0; i < n; i++) {
		fputs("  ", fp);
		base_node(m, fp, dc_dep_from(m->cb, deps[i]));
		fputs(" -> ", fp);
		base_node(m, fp, dc_dep_to(m->cb, deps[i]));
		fputs(" [class=removed, tooltip=", fp);
		edge_tip(fp, m->cb, deps[i], "removed");
		fprintf(fp, ", %s%s];\n", edge_style(ST_REMOVED),
			dc_dep_kind_of(m->cb, deps[i]) == DC_DEP_SOFT ? ", arrowhead=empty" : "");
	}
	fputs("}\n", fp);
}

int dc_diff_render(const dc_diff *d, dc_output_format format, dc_diff_map_scope scope, FILE *fp,
		   dc_diags *diags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	map_ctx m;
	int rc = 0, tier;

	if ((format != DC_OUTPUT_DOT && format != DC_OUTPUT_SVG) ||
	    (scope != DC_DIFF_MAP_ALL && scope != DC_DIFF_MAP_CHANGED_ONLY))
		return DC_EINVALID;
	if ((rc = map_init(&m, d, scope == DC_DIFF_MAP_CHANGED_ONLY))) {
		map_free(&m);
		return rc;
	}
	tier = render_size_tier(m.drawn, drawn_edges(&m), 0);
	if (format == DC_OUTPUT_DOT) {
		write_dot(&m, fp, tier);
		map_free(&m);
		return ferror(fp) ? DC_EIO : 0;
	}
	if (m.drawn > DC_DIFF_SVG_MAX) {
		map_free(&m);
		return DC_ELIMIT;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		map_free(&m);
		return DC_ENOMEM;
	}
	write_dot(&m, mem, tier);
	map_free(&m);
	if (fclose(mem) != 0 || !buf) {
		free(buf);
		return DC_ENOMEM;
	}
	rc = gv_layout_render(buf, tier == RENDER_TIER_SFDP ? "sfdp" : "dot", DC_OUTPUT_SVG, fp, diags);
	free(buf);
	if (!rc && ferror(fp))
		rc = DC_EIO;
	return rc;
}
