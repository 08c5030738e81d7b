/*
 * graph.c - compressed sparse rows over the catalog, strongly connected
 * components, topological order and depth.
 *
 * The forward rows are the catalog's dependency array itself (already
 * grouped by service), so only targets are copied; the reverse rows are
 * built with one counting pass. Tarjan's algorithm runs with an explicit
 * stack of (node, next edge) frames: a million-long chain is ordinary input
 * and must not touch the C stack. Tarjan emits components sink-first, which
 * is exactly "providers before consumers" for a depends-on graph.
 */
#include <depcheck/graph.h>

#include "catalog_int.h"

struct dc_graph {
	const dc_catalog *cat;
	size_t n, m;
	uint32_t *out_off;   /* n+1 */
	dc_id *out_to;       /* m */
	uint32_t *in_off;    /* n+1 */
	dc_id *in_from;      /* m */
	uint32_t *in_edge;   /* m: dependency index */
	uint8_t *hard;       /* m: 1 for a hard runtime edge outside any any_of group */
	uint8_t *runtime;    /* m: 1 for an edge that is not startup-only */
	uint8_t *cold;       /* m: 1 for a hard edge outside any any_of group, startup-only or not */
};

struct dc_scc {
	size_t n, ncomp, ncycles;
	uint8_t *keep;       /* edges considered (copy), or NULL for all */
	uint32_t *comp;      /* node -> component */
	uint32_t *off;       /* ncomp+1 */
	dc_id *members;      /* n, grouped by component */
	uint32_t *depth;     /* ncomp: dc_scc_depth's work array, allocated here so
	                        that dc_scc_depth (size_t result) cannot fail */
};

int dc_graph_new(dc_graph **out, const dc_catalog *cat)
{
	dc_graph *g = calloc(1, sizeof(*g));
	size_t i, n = cat->svcs.len, m = cat->deps.len;
	*out = NULL;
	if (!cat->finalized) {
		free(g);
		return DC_EINVALID; /* targets are not resolved yet */
	}
	if (!g)
		return DC_ENOMEM;
	g->cat = cat;
	g->n = n;
	g->m = m;
	g->out_off = malloc((n + 1) * sizeof(uint32_t));
	g->out_to = malloc((m ? m : 1) * sizeof(dc_id));
	g->in_off = calloc(n + 2, sizeof(uint32_t));
	g->in_from = malloc((m ? m : 1) * sizeof(dc_id));
	g->in_edge = malloc((m ? m : 1) * sizeof(uint32_t));
	g->hard = malloc(m ? m : 1);
	g->runtime = malloc(m ? m : 1);
	g->cold = malloc(m ? m : 1);
	if (!g->out_off || !g->out_to || !g->in_off || !g->in_from || !g->in_edge || !g->hard ||
	    !g->runtime || !g->cold) {
		dc_graph_free(g);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++)
		g->out_off[i] = cat->svcs.items[i].dep_first;
	g->out_off[n] = (uint32_t)m;
	for (i = 0; i < m; i++) {
		const dep_t *d = &cat->deps.items[i];
		g->out_to[i] = d->to;
		g->cold[i] = d->kind == DC_DEP_HARD && d->group == 0;
		g->runtime[i] = !(d->flags & DEP_STARTUP);
		g->hard[i] = g->cold[i] && g->runtime[i];
		g->in_off[d->to + 2]++;
	}
	for (i = 0; i < n; i++)
		g->in_off[i + 2] += g->in_off[i + 1];
	/* in_off[v+1] is the insertion cursor for v; after the pass it is the
	 * end. Edges in index order, from the out arrays just built (a
	 * service's dependencies are its range of them), not the records */
	for (i = 0; i < n; i++) {
		uint32_t e;
		for (e = g->out_off[i]; e < g->out_off[i + 1]; e++) {
			uint32_t p = g->in_off[g->out_to[e] + 1]++;
			g->in_from[p] = (dc_id)i;
			g->in_edge[p] = e;
		}
	}
	*out = g;
	return 0;
}

void dc_graph_free(dc_graph *g)
{
	if (!g)
		return;
	free(g->out_off);
	free(g->out_to);
	free(g->in_off);
	free(g->in_from);
	free(g->in_edge);
	free(g->hard);
	free(g->runtime);
	free(g->cold);
	free(g);
}

const dc_catalog *dc_graph_catalog(const dc_graph *g) { return g->cat; }

const uint8_t *dc__graph_edge_mask(const dc_graph *g, dc_edge_set edges)
{
	switch (edges) {
	case DC_EDGES_HARD_ONLY: return g->hard;
	case DC_EDGES_RUNTIME: return g->runtime;
	case DC_EDGES_STARTUP: return g->cold;
	default: return NULL;
	}
}
size_t dc_graph_node_count(const dc_graph *g) { return g->n; }
size_t dc_graph_edge_count(const dc_graph *g) { return g->m; }

/* An id out of range (DC_NO_ID included) has no edges: 0, NULL arrays,
 * *first = the edge count (an empty range), never a read out of bounds. */
size_t dc_graph_out(const dc_graph *g, dc_id v, const dc_id **to, size_t *first)
{
	if (v >= g->n) {
		*to = NULL;
		if (first)
			*first = g->m;
		return 0;
	}
	*to = g->out_to + g->out_off[v];
	if (first)
		*first = g->out_off[v];
	return g->out_off[v + 1] - g->out_off[v];
}

size_t dc_graph_in(const dc_graph *g, dc_id v, const dc_id **from, const uint32_t **edges)
{
	if (v >= g->n) {
		*from = NULL;
		if (edges)
			*edges = NULL;
		return 0;
	}
	*from = g->in_from + g->in_off[v];
	if (edges)
		*edges = g->in_edge + g->in_off[v];
	return g->in_off[v + 1] - g->in_off[v];
}

/* ---- strongly connected components ----------------------------------------- */

int dc_scc_compute(dc_scc **out, const dc_graph *g, dc_edge_set edges)
{
	const uint8_t *keep = dc__graph_edge_mask(g, edges);
	if (edges != DC_EDGES_ALL && !keep) {
		*out = NULL;
		return DC_EINVALID;
	}
	return dc_scc_compute_edges(out, g, keep);
}

int dc_scc_compute_edges(dc_scc **out, const dc_graph *g, const uint8_t *keep)
{
	size_t n = g->n, i;
	uint32_t *index = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *low = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *cs = malloc((n ? n : 1) * sizeof(uint32_t));      /* call stack: node */
	uint32_t *ce = malloc((n ? n : 1) * sizeof(uint32_t));      /* call stack: next edge */
	uint32_t *ts = malloc((n ? n : 1) * sizeof(uint32_t));      /* Tarjan stack */
	uint8_t *on = calloc(n ? n : 1, 1);
	uint32_t *csize;
	dc_scc *s = calloc(1, sizeof(*s));
	uint32_t next = 0, ncomp = 0;
	size_t tsp = 0;
	*out = NULL;
	if (!index || !low || !cs || !ce || !ts || !on || !s)
		goto nomem;
	s->n = n;
	if (keep) {
		s->keep = malloc(g->m ? g->m : 1);
		if (!s->keep)
			goto nomem;
		memcpy(s->keep, keep, g->m);
	}
	s->comp = malloc((n ? n : 1) * sizeof(uint32_t));
	s->members = malloc((n ? n : 1) * sizeof(dc_id));
	if (!s->comp || !s->members)
		goto nomem;
	for (i = 0; i < n; i++)
		index[i] = UINT32_MAX;

	for (i = 0; i < n; i++) {
		size_t sp = 0;
		if (index[i] != UINT32_MAX)
			continue;
		cs[sp] = (uint32_t)i;
		ce[sp] = g->out_off[i];
		sp++;
		index[i] = low[i] = next++;
		ts[tsp++] = (uint32_t)i;
		on[i] = 1;
		while (sp) {
			uint32_t v = cs[sp - 1];
			uint32_t e = ce[sp - 1];
			if (e < g->out_off[v + 1]) {
				uint32_t w = g->out_to[e];
				ce[sp - 1] = e + 1;
				if (keep && !keep[e])
					continue;
				if (index[w] == UINT32_MAX) {
					index[w] = low[w] = next++;
					ts[tsp++] = w;
					on[w] = 1;
					cs[sp] = w;
					ce[sp] = g->out_off[w];
					sp++;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			/* v is finished */
			if (low[v] == index[v]) {
				uint32_t w;
				do {
					w = ts[--tsp];
					on[w] = 0;
					s->comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			sp--;
			if (sp) {
				uint32_t u = cs[sp - 1];
				if (low[v] < low[u])
					low[u] = low[v];
			}
		}
	}
	s->ncomp = ncomp;
	s->off = calloc(ncomp + 2, sizeof(uint32_t));
	s->depth = malloc((ncomp ? ncomp : 1) * sizeof(uint32_t));
	if (!s->off || !s->depth)
		goto nomem;
	for (i = 0; i < n; i++)
		s->off[s->comp[i] + 2]++;
	for (i = 0; i < ncomp; i++)
		s->off[i + 2] += s->off[i + 1];
	for (i = 0; i < n; i++)
		s->members[s->off[s->comp[i] + 1]++] = (dc_id)i;
	/* cycles: components of size > 1, or a self loop (never present after
	 * finalize, which drops self-dependencies, but the graph API allows it) */
	csize = s->off;
	for (i = 0; i < ncomp; i++)
		if (csize[i + 1] - csize[i] > 1)
			s->ncycles++;
	free(index);
	free(low);
	free(cs);
	free(ce);
	free(ts);
	free(on);
	*out = s;
	return 0;
nomem:
	free(index);
	free(low);
	free(cs);
	free(ce);
	free(ts);
	free(on);
	dc_scc_free(s);
	return DC_ENOMEM;
}

void dc_scc_free(dc_scc *s)
{
	if (!s)
		return;
	free(s->comp);
	free(s->keep);
	free(s->off);
	free(s->members);
	free(s->depth);
	free(s);
}

size_t dc_scc_count(const dc_scc *s) { return s->ncomp; }
uint32_t dc_scc_of(const dc_scc *s, dc_id v) { return v < s->n ? s->comp[v] : UINT32_MAX; }
size_t dc_scc_members(const dc_scc *s, uint32_t c, const dc_id **members)
{
	if (c >= s->ncomp) {
		*members = NULL;
		return 0;
	}
	*members = s->members + s->off[c];
	return s->off[c + 1] - s->off[c];
}
size_t dc_scc_cycle_count(const dc_scc *s) { return s->ncycles; }

void dc_scc_topo_order(const dc_scc *s, dc_id *order)
{
	/* members are grouped by component and components are sink-first */
	memcpy(order, s->members, s->n * sizeof(dc_id));
}

size_t dc_scc_depth(const dc_scc *s, const dc_graph *g)
{
	/* longest chain in the condensation: components in provider-first
	 * order, depth(c) = 1 + max depth of the components it depends on */
	uint32_t *depth = s->depth;
	size_t c, best = 0;
	if (s->ncomp == 0)
		return 0;
	memset(depth, 0, s->ncomp * sizeof(uint32_t));
	for (c = 0; c < s->ncomp; c++) {
		uint32_t d = 1, k;
		for (k = s->off[c]; k < s->off[c + 1]; k++) {
			dc_id v = s->members[k];
			uint32_t e;
			for (e = g->out_off[v]; e < g->out_off[v + 1]; e++) {
				uint32_t cw = s->comp[g->out_to[e]];
				if (s->keep && !s->keep[e])
					continue;
				if (cw != c && depth[cw] + 1 > d)
					d = depth[cw] + 1;
			}
		}
		depth[c] = d;
		if (d > best)
			best = d;
	}
	return best;
}
