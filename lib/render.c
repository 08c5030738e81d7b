/*
 * render.c - dependency maps (depcheck/render.h): the graph, its overlays
 * and a legend as DOT text, laid out and rendered by the Graphviz bridge
 * (gvbridge.c).
 *
 * The DOT is written by hand in a fixed order (services by id, their
 * dependencies in declaration order, groups by name), so it is
 * deterministic, and every node and edge gets the stable id/class
 * attributes the HTML report scripts against.
 *
 * Layout choice (measured, see bench/README.md and README "render"). dot
 * is the layered reading people expect, but its crossing minimisation and
 * network-simplex positioning grow steeply: 1,000 services with 7,000
 * dependencies take over a minute with the default parameters. So:
 *  - up to 150 drawn nodes and 600 edges: dot, default parameters, spline
 *    edges, parallel edges merged (concentrate: the soft fan-in of
 *    monitoring/logging becomes a few bundles; not with clusters, where
 *    Graphviz 2.42 crashes); a plain map in rows by depth, top to bottom
 *    (layer_rows: wide layers wrapped, unlinked services packed at the
 *    bottom, soft edges routed after the layout by the bridge's second
 *    pass), clustered and collapsed maps in the direction of their shape
 *    (below);
 *  - up to `sfdp_above` nodes (2,500) and 15,000 edges: dot top to bottom
 *    (left to right costs mincross ~3x), mclimit=0.05 (fewer
 *    crossing-minimisation passes), nslimit=nslimit1=0.5 (bounded network
 *    simplex), searchsize=10, straight edges above 3,000 edges, and the
 *    transitive reduction below unless asked not to (1,000 services: ~12 s
 *    of dot CPU unreduced, ~2 s reduced; 2,500: ~16 s);
 *  - beyond: sfdp (force-directed, ~9 s of CPU for 10,000 services, not
 *    layered), straight edges, overlaps left (removing them costs minutes);
 *  - above DC_RENDER_MAX_NODES nothing is laid out (DC_ELIMIT).
 * The direction of small clustered or collapsed maps (top-down or
 * left-to-right) is chosen by the shape of the graph: the longest-path layering gives the number of ranks
 * and the widest rank, and the direction whose picture is closest to a 3:2
 * landscape wins.
 *
 * Transitive reduction (`reduce`): a dependency a -> c is not drawn when a
 * path a -> b -> ... -> c exists through other components of the
 * condensation (so reachability is unchanged); any_of members are always
 * drawn. The graph module computes it (dc_graph_transitive_reduction,
 * lib/graph_reduce.c); the map only decides when to use it and puts the
 * overlays' own edges back.
 *
 * Computed results come in through the options (the failure overlay's
 * dc_impact, the load overlay's dc_overload, the plan, the critical
 * paths, the blast radii): this file
 * runs no analysis. Nothing here is process-global: grouping sorts keys
 * it computed per call (no qsort context in a static), so DOT output is
 * reentrant; only the layout (gvbridge.c) is not, because Graphviz is not.
 */
#include <depcheck/render.h>

#include "gv_int.h"
#include "output_int.h"
#include "render_int.h"
#include <depcheck/reconcile.h>
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- palette --------------------------------------------------------------------- */

static const char *const tier_fill[5] = { "#eceff1", "#f9d6d5", "#fde7c6", "#d7f0dc", "#d6e6f7" };
static const char *const tier_line[5] = { "#90a4ae", "#c0392b", "#d68910", "#2e8b57", "#2e75b6" };
#define C_EDGE "#7b8794"
#define C_SOFT "#a9b4be"
#define C_FADE_FILL "#f6f7f8"
#define C_FADE_LINE "#d9dde1"
#define C_FADE_FONT "#b0b6bc"
#define C_DOWN_FILL "#e74c3c"
#define C_DOWN_LINE "#922b21"
#define C_DEGR_FILL "#f9d56e"
#define C_DEGR_LINE "#b7950b"
#define C_UP_FILL "#ffffff"
#define C_UP_LINE "#a9cce3"
#define C_CRIT "#7d3c98"
#define C_LOCK "#c0392b"
#define FONT "Helvetica,Arial,sans-serif"

/* ---- context ----------------------------------------------------------------------- */

typedef struct {
	const dc_graph *g;
	const dc_catalog *cat;
	const dc_render_options *o;
	FILE *fp;
	FILE *later;         /* soft edges of a laid-out layered map: routed after the layout */
	size_t nlater;
	size_t n, m;
	uint8_t *drawn;      /* per service */
	uint8_t *dropped;    /* per dependency: not drawn (reduction) */
	const dc_impact *imp; /* fail overlay: the caller's simulation (options version 2) */
	uint8_t *crit;       /* per service: on a critical chain */
	double *crit_ms;     /* per dependency: hop time, < 0 when not on a chain */
	uint8_t *hl;         /* per service: 0 not drawn, 1 related, 2 the focus (highlight only) */
	size_t hl_count;     /* services with hl != 0 */
	size_t reduced;
	size_t junctions;    /* any_of junction nodes written */
	int lr;              /* rankdir=LR */
	unsigned *row;       /* per service: its row, top first (layered maps), or NO_ROW */
	size_t nrows;        /* rows of the layered map (0: dot ranks alone) */
	dc_id *roworder;     /* the drawn services row by row (nrows > 0) */
	size_t nroworder;
	uint8_t *rowwrap;    /* per row: 1 when it continues the row above (a wrapped
	                        layer, or the unlinked services' block) */
	int tiers_used[5];
	int saw_soft, saw_entry, saw_ext; /* what the legend explains: drawn at all */
	const dc_overload *ov; /* load overlay (options version 3) */
	uint8_t *ldedge;     /* per dependency: LD_EDGE_* */
	double *ldadded;     /* per dependency: retries/s the trigger added */
	double ldmax;        /* the most of them */
	size_t ldcount[4];   /* drawn services per LD_* bucket */
	size_t ldfailing;    /* drawn services that fail half their requests or more */
	size_t ldtrig;       /* drawn services with a trigger */
	int saw_observed;    /* an edge observed, declared nowhere (--observed) */
	char url[3 * 2048 + 16]; /* write_service's link, made safe (gv_url) */
} rctx;

#define NO_ROW UINT_MAX

static size_t wave_of(const rctx *r, dc_id s)
{
	return r->o->plan ? dc_plan_wave_of(r->o->plan, s) : 0;
}

static const char *svc_name(const rctx *r, dc_id s) { return dc_service_name(r->cat, s); }

/* ---- group keys (clusters and collapse) ------------------------------------------------ */

/* The key of s for `by`, written into buf; NULL when s has none. */
static const char *group_key(const dc_catalog *cat, dc_render_group by, dc_id s, char *buf, size_t size)
{
	size_t i, nz, used = 0;
	int t;
	switch (by) {
	case DC_RENDER_GROUP_SYSTEM: return dc_service_system(cat, s);
	case DC_RENDER_GROUP_OWNER: return dc_service_owner(cat, s);
	case DC_RENDER_GROUP_TIER:
		t = dc_service_tier(cat, s);
		if (!t)
			return NULL;
		snprintf(buf, size, "tier %d", t);
		return buf;
	case DC_RENDER_GROUP_ZONE:
		nz = dc_service_zone_count(cat, s);
		if (!nz)
			return NULL;
		buf[0] = '\0';
		for (i = 0; i < nz && used + 1 < size; i++) {
			int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", dc_service_zone(cat, s, i));
			if (w < 0)
				break;
			used += (size_t)w;
		}
		return buf;
	default: return NULL;
	}
}

/* A service and its group key, sorted together: the key is computed once
 * per service, and the comparison needs no context (C11's qsort has no
 * context argument, and a static one would make grouping non-reentrant). */
typedef struct {
	const char *key;  /* NULL: no key (sorted last) */
	size_t off;       /* built keys (tier, zone): offset in the pool until it stops moving */
	dc_id id;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c;
	if (!x->key || !y->key)
		c = (x->key == NULL) - (y->key == NULL);
	else
		c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Drawn services (drawn NULL: all n) sorted by key (services without a
 * key last), and the group index of each service in grp[] (DC_NO_ID: no
 * key). Returns the number of groups, or (size_t)-1 when out of memory. */
static size_t make_groups(const dc_catalog *cat, size_t n, const uint8_t *drawn, dc_render_group by,
			  dc_id *order, size_t *norder, uint32_t *grp)
{
	keyed *ks = malloc((n + 1) * sizeof(*ks));
	DC_VEC(char) pool = { 0 };
	int built = by != DC_RENDER_GROUP_SYSTEM && by != DC_RENDER_GROUP_OWNER;
	size_t i, k = 0, ng = 0;
	char buf[512];
	if (!ks)
		return (size_t)-1;
	for (i = 0; i < n; i++) {
		const char *key;
		if (drawn && !drawn[i])
			continue;
		key = group_key(cat, by, (dc_id)i, buf, sizeof(buf));
		ks[k].id = (dc_id)i;
		ks[k].key = key;
		if (built && key) {
			size_t len = strlen(key) + 1;
			if (dc_vec_reserve(&pool, len)) {
				free(ks);
				dc_vec_free(&pool);
				return (size_t)-1;
			}
			ks[k].off = pool.len;
			memcpy(pool.items + pool.len, key, len);
			pool.len += len;
		}
		k++;
	}
	if (built)
		for (i = 0; i < k; i++)
			if (ks[i].key)
				ks[i].key = pool.items + ks[i].off;
	qsort(ks, k, sizeof(*ks), cmp_keyed);
	*norder = k;
	for (i = 0; i < n; i++)
		grp[i] = DC_NO_ID;
	for (i = 0; i < k; i++) {
		order[i] = ks[i].id;
		if (!ks[i].key)
			continue;
		if (!i || strcmp(ks[i - 1].key, ks[i].key))
			ng++;
		grp[ks[i].id] = (uint32_t)(ng - 1);
	}
	free(ks);
	dc_vec_free(&pool);
	return ng;
}

static const char *no_key_name(dc_render_group by)
{
	return by == DC_RENDER_GROUP_SYSTEM ? "(no system)" : "(no owner)";
}

size_t render_groups(const dc_catalog *cat, dc_render_group by, uint32_t *of, const char **names)
{
	size_t n = dc_catalog_service_count(cat), norder, ng, total, i;
	dc_id *order = malloc((n + 1) * sizeof(*order));
	if (!order)
		return (size_t)-1;
	ng = make_groups(cat, n, NULL, by, order, &norder, of);
	if (ng == (size_t)-1) {
		free(order);
		return ng;
	}
	total = ng;
	for (i = 0; i < norder; i++) {
		dc_id s = order[i];
		if (of[s] == DC_NO_ID) {
			of[s] = (uint32_t)ng;
			total = ng + 1;
		}
		if (names && (!i || of[order[i - 1]] != of[s]))
			names[of[s]] = of[s] < ng ? group_key(cat, by, s, NULL, 0) : no_key_name(by);
	}
	free(order);
	return total;
}

/* ---- overlays: computed state ----------------------------------------------------------- */

static int mark_chain(rctx *r, dc_id from)
{
	const dc_critical_hop *hops;
	size_t n, i;
	int rc = dc_critical_chain(r->o->critical, from, &hops, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		r->crit[hops[i].service] = 1;
		if (hops[i].dep != UINT32_MAX && r->crit_ms[hops[i].dep] < 0)
			r->crit_ms[hops[i].dep] = hops[i].end_ms - hops[i].start_ms;
	}
	return 0;
}

static int prepare_critical(rctx *r)
{
	size_t i;
	int rc;
	if (!r->o->critical)
		return 0;
	r->crit = calloc(r->n + 1, 1);
	r->crit_ms = malloc((r->m + 1) * sizeof(*r->crit_ms));
	if (!r->crit || !r->crit_ms)
		return DC_ENOMEM;
	for (i = 0; i < r->m; i++)
		r->crit_ms[i] = -1;
	if (r->o->critical_from != DC_NO_ID) {
		if (r->o->critical_from >= r->n)
			return DC_EINVALID;
		return mark_chain(r, r->o->critical_from);
	}
	for (i = 0; i < r->n; i++)
		if (dc_service_is_entrypoint(r->cat, (dc_id)i) && (rc = mark_chain(r, (dc_id)i)))
			return rc;
	return 0;
}

/* Breadth-first both ways from the focus, at most `depth` hops (0: all). */
static int prepare_highlight(rctx *r)
{
	dc_id *queue;
	unsigned *dist;
	size_t head, tail, dir;
	dc_id h = r->o->highlight;
	unsigned maxd = r->o->highlight_depth;
	if (h == DC_NO_ID)
		return 0;
	if (h >= r->n)
		return DC_EINVALID;
	r->hl = calloc(r->n + 1, 1);
	queue = malloc((r->n + 1) * sizeof(*queue));
	dist = malloc((r->n + 1) * sizeof(*dist));
	if (!r->hl || !queue || !dist) {
		free(queue);
		free(dist);
		return DC_ENOMEM;
	}
	for (dir = 0; dir < 2; dir++) {
		uint8_t *seen = calloc(r->n + 1, 1);
		if (!seen) {
			free(queue);
			free(dist);
			return DC_ENOMEM;
		}
		head = tail = 0;
		queue[tail++] = h;
		dist[h] = 0;
		seen[h] = 1;
		while (head < tail) {
			dc_id v = queue[head++];
			const dc_id *nb;
			const uint32_t *ed;
			size_t first, deg, j;
			r->hl[v] = 1;
			if (maxd && dist[v] >= maxd)
				continue;
			deg = dir == 0 ? dc_graph_out(r->g, v, &nb, &first) : dc_graph_in(r->g, v, &nb, &ed);
			for (j = 0; j < deg; j++) {
				if (seen[nb[j]])
					continue;
				seen[nb[j]] = 1;
				dist[nb[j]] = dist[v] + 1;
				queue[tail++] = nb[j];
			}
		}
		free(seen);
	}
	r->hl[h] = 2;
	for (head = 0; head < r->n; head++)
		r->hl_count += r->hl[head] != 0;
	free(queue);
	free(dist);
	return 0;
}

/* ---- transitive reduction ----------------------------------------------------------------- */

static int reduce(rctx *r)
{
	return dc_graph_transitive_reduction(r->g, r->dropped, &r->reduced);
}

/* More than the default layout handles (the first tier of choose_layout). */
static int big_map(const rctx *r)
{
	size_t i, nodes = 0, edges = 0;
	for (i = 0; i < r->n; i++)
		nodes += r->drawn[i];
	for (i = 0; i < r->m; i++)
		edges += r->drawn[dc_dep_from(r->cat, i)] && r->drawn[dc_dep_to(r->cat, i)];
	return nodes > 150 || edges > 600;
}

/* An overlay's edges are the point of the picture: never reduced away. */
static void keep_overlay_edges(rctx *r)
{
	size_t d;
	for (d = 0; d < r->m; d++) {
		int keep = r->crit_ms && r->crit_ms[d] >= 0;
		if (r->imp) {
			dc_id u = dc_dep_from(r->cat, d);
			keep |= dc_impact_state(r->imp, u) != DC_STATE_UP && dc_impact_cause(r->imp, u) == d;
		}
		if (r->ldedge)
			keep |= r->ldedge[d] != 0;
		if (keep && r->dropped[d]) {
			r->dropped[d] = 0;
			r->reduced--;
		}
	}
}

/* ---- the load overlay ------------------------------------------------------------------ */

/* Utilisation with the triggers, in four buckets (the legend's swatches). */
enum { LD_UNBOUNDED, LD_UNDER, LD_NEAR, LD_OVER };
enum { LD_EDGE_NONE, LD_EDGE_RETRY, LD_EDGE_CAUSE_RETRY, LD_EDGE_CAUSE_SLOW };
#define LD_NEAR_AT 0.8
#define TRIG DC_OVERLOAD_TRIGGERED

static int load_bucket(const dc_overload *l, dc_id s)
{
	double u = dc_overload_utilization(l, TRIG, s);
	if (dc_overload_is_overloaded(l, TRIG, s) || u < 0 || u > 1)
		return LD_OVER;
	if (dc_overload_capacity(l, TRIG, s) < 0 && dc_overload_concurrency_limit(l, TRIG, s) <= 0)
		return LD_UNBOUNDED;
	return u >= LD_NEAR_AT ? LD_NEAR : LD_UNDER;
}

static double retry_rps(const dc_overload *l, dc_overload_state st, size_t d)
{
	double at = dc_overload_attempts(l, st, d);
	return at > 1 ? dc_overload_edge_rps(l, st, d) * (1 - 1 / at) : 0;
}

/* Which dependencies the overlay draws: the retries the trigger added (more
 * retries/s than without it), and each overloaded service's cause (an
 * incoming dependency whose retries add most, or an outgoing one it is held
 * waiting on). Read from the model's result: nothing is computed here but
 * the difference of two of its numbers. */
static int prepare_load(rctx *r)
{
	size_t d;
	dc_id v;
	if (!r->ov)
		return 0;
	r->ldedge = calloc(r->m + 1, 1);
	r->ldadded = calloc(r->m + 1, sizeof(*r->ldadded));
	if (!r->ldedge || !r->ldadded)
		return DC_ENOMEM;
	for (d = 0; d < r->m; d++) {
		double t = retry_rps(r->ov, TRIG, d), added = t - retry_rps(r->ov, DC_OVERLOAD_BASELINE, d);
		if (added > 1e-9 && added > 1e-3 * dc_overload_edge_rps(r->ov, TRIG, d)) {
			r->ldedge[d] = LD_EDGE_RETRY;
			r->ldadded[d] = added;
			if (added > r->ldmax)
				r->ldmax = added;
		}
	}
	for (v = 0; v < r->n; v++) {
		dc_overload_cause c = dc_overload_cause_of(r->ov, v);
		size_t cd = dc_overload_cause_dep(r->ov, v);
		if (cd >= r->m)
			continue;
		if (c == DC_OVERLOAD_CAUSE_RETRIES)
			r->ldedge[cd] = LD_EDGE_CAUSE_RETRY;
		else if (c == DC_OVERLOAD_CAUSE_SLOW)
			r->ldedge[cd] = LD_EDGE_CAUSE_SLOW;
	}
	return 0;
}

/* ---- shape: direction of the layout --------------------------------------------------- */

/* Longest-path layering, providers at level 0, over edges src -> dst (src
 * depends on dst). Once nothing else can be placed, only cycles and what
 * depends on them are left: a cycle is found by walking forward from the
 * lowest-numbered unplaced node, and the first node seen twice (on a
 * cycle, never a caller waiting for one) is placed with what it has so
 * far. Linear: each node is queued once, each edge walked once (the walk
 * keeps its path and a cursor per node from one break to the next). */
static int levels(size_t nn, const uint32_t *src, const uint32_t *dst, size_t ne, unsigned *lvl)
{
	uint32_t *outdeg = calloc(nn + 1, sizeof(*outdeg)), *start = calloc(nn + 2, sizeof(*start));
	uint32_t *rev = malloc((ne + 1) * sizeof(*rev)), *queue = malloc((nn + 1) * sizeof(*queue));
	uint32_t *fstart = calloc(nn + 2, sizeof(*fstart)), *fwd = malloc((ne + 1) * sizeof(*fwd));
	uint32_t *cursor = malloc((nn + 1) * sizeof(*cursor)), *path = malloc((nn + 1) * sizeof(*path));
	uint8_t *onpath = calloc(nn + 1, 1);
	size_t i, head = 0, tail = 0, next = 0, depth = 0;
	int rc = DC_ENOMEM;
	if (!outdeg || !start || !rev || !queue || !fstart || !fwd || !cursor || !path || !onpath)
		goto out;
	for (i = 0; i < ne; i++) {
		outdeg[src[i]]++;
		start[dst[i] + 1]++;
		fstart[src[i] + 1]++;
	}
	for (i = 0; i < nn; i++) {
		start[i + 1] += start[i];
		fstart[i + 1] += fstart[i];
	}
	for (i = 0; i < ne; i++) {
		rev[start[dst[i]]++] = src[i];
		fwd[fstart[src[i]]++] = dst[i];
	}
	for (i = nn; i > 0; i--) {
		start[i] = start[i - 1];
		fstart[i] = fstart[i - 1];
	}
	start[0] = fstart[0] = 0;
	for (i = 0; i < nn; i++)
		cursor[i] = fstart[i];
	for (i = 0; i < nn; i++) {
		lvl[i] = 0;
		if (!outdeg[i])
			queue[tail++] = (uint32_t)i;
	}
	for (;;) {
		while (head < tail) {
			uint32_t v = queue[head++], k;
			for (k = start[v]; k < start[v + 1]; k++) {
				uint32_t u = rev[k];
				if (!outdeg[u])
					continue; /* already placed: a cycle's edge back into it */
				if (lvl[u] < lvl[v] + 1)
					lvl[u] = lvl[v] + 1;
				if (--outdeg[u] == 0)
					queue[tail++] = u;
			}
		}
		/* only cycles are left, and what waits for them: walk forward
		 * through unplaced nodes until one comes round again, and place
		 * it with what it has so far, ignoring its edges back into the
		 * cycle (left unplaced, a cycle would hold every caller above it
		 * at level 0) */
		for (;;) {
			uint32_t v, w;
			while (depth && !outdeg[path[depth - 1]])
				onpath[path[--depth]] = 0; /* placed meanwhile */
			if (!depth) {
				while (next < nn && !outdeg[next])
					next++;
				if (next == nn)
					break;
				path[depth++] = (uint32_t)next;
				onpath[next] = 1;
			}
			v = path[depth - 1];
			while (cursor[v] < fstart[v + 1] && !outdeg[fwd[cursor[v]]])
				cursor[v]++;
			if (cursor[v] == fstart[v + 1]) {
				/* cannot happen (an unplaced node waits for an unplaced
				 * one); place it rather than loop */
				w = v;
			} else {
				w = fwd[cursor[v]];
				if (!onpath[w]) {
					path[depth++] = w;
					onpath[w] = 1;
					continue;
				}
			}
			outdeg[w] = 0;
			queue[tail++] = w;
			break;
		}
		if (head == tail)
			break;
	}
	rc = 0;
out:
	free(outdeg); free(start); free(rev); free(queue);
	free(fstart); free(fwd); free(cursor); free(path); free(onpath);
	return rc;
}

/* Ranks D and widest rank W -> left-to-right when that picture is closer
 * to 3:2 landscape than the top-down one. */
static int choose_lr(size_t ranks, size_t width)
{
	double tb_w = (double)width * 1.9, tb_h = (double)ranks * 1.1;
	double lr_w = (double)ranks * 2.6, lr_h = (double)width * 0.6;
	double tb, lr;
	if (!ranks || !width)
		return 0;
	tb = fabs(log(tb_w / tb_h) - log(1.5));
	lr = fabs(log(lr_w / lr_h) - log(1.5));
	return lr < tb;
}

static int shape_of(rctx *r, const uint32_t *src, const uint32_t *dst, size_t ne, size_t nn,
		    const uint8_t *use)
{
	unsigned *lvl = malloc((nn + 1) * sizeof(*lvl));
	size_t *count, i, ranks = 0, width = 0;
	int rc;
	if (!lvl)
		return DC_ENOMEM;
	if ((rc = levels(nn, src, dst, ne, lvl))) {
		free(lvl);
		return rc;
	}
	count = calloc(nn + 1, sizeof(*count));
	if (!count) {
		free(lvl);
		return DC_ENOMEM;
	}
	for (i = 0; i < nn; i++) {
		if (use && !use[i])
			continue;
		count[lvl[i]]++;
		if (lvl[i] + 1 > ranks)
			ranks = lvl[i] + 1;
	}
	for (i = 0; i < ranks; i++)
		if (count[i] > width)
			width = count[i];
	r->lr = choose_lr(ranks, width);
	free(lvl);
	free(count);
	return 0;
}

static int service_shape(rctx *r)
{
	size_t i, k = 0;
	uint32_t *src, *dst;
	int rc;
	if (r->o->plan) {
		/* waves are the ranks, read top to bottom like a runbook */
		r->lr = 0;
		return 0;
	}
	src = malloc((r->m + 1) * sizeof(*src));
	dst = malloc((r->m + 1) * sizeof(*dst));
	if (!src || !dst) {
		free(src);
		free(dst);
		return DC_ENOMEM;
	}
	for (i = 0; i < r->m; i++) {
		dc_id a = dc_dep_from(r->cat, i), b = dc_dep_to(r->cat, i);
		/* soft edges do not rank (edge_attrs): the shape is the hard one */
		if (r->drawn[a] && r->drawn[b] && a != b && dc_dep_kind_of(r->cat, i) != DC_DEP_SOFT) {
			src[k] = a;
			dst[k++] = b;
		}
	}
	rc = shape_of(r, src, dst, k, r->n, r->drawn);
	free(src);
	free(dst);
	return rc;
}

/* ---- rows: the layered layout of plain maps -------------------------------------------- */

/* Widest row of a layered map, in points (1 pt = 1 px at 100 % in a PNG,
 * 1.33 px in an SVG): a page's width, so that the map is read at 100 %
 * without zooming out; a wider layer wraps onto more rows. */
#define ROW_MAX_PT 900.0
#define NODESEP_PT 16.0

/* The drawn width of s's box, estimated from its longest label line
 * (Helvetica 10 pt: ~6 pt a character as Graphviz measures it, plus the margins). */
static double node_width_pt(const rctx *r, dc_id s)
{
	size_t w = strlen(svc_name(r, s));
	const char *owner = dc_service_owner(r->cat, s);
	double pt;
	if (r->o->labels_full && owner && strlen(owner) > w)
		w = strlen(owner);
	if (dc_service_is_external(r->cat, s) && w < 10)
		w = 10;
	pt = (double)w * 6.2 + 24.0;
	return pt < 54.0 ? 54.0 : pt;
}

typedef struct {
	unsigned level; /* UINT_MAX - 0: isolated (last) */
	dc_id key;      /* first callee (siblings stay together), else itself */
	dc_id id;
} rowkey;

/* top first: higher level first, isolated last; then by key and id */
static int cmp_rowkey(const void *a, const void *b)
{
	const rowkey *x = a, *y = b;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Plain maps (no plan, clusters or collapse; the default layout's size):
 * each drawn service gets a row, top to bottom. Its layer is its depth,
 * the longest path below it to a service that depends on nothing drawn
 * (hard and soft dependencies alike: a caller sits above what it calls,
 * providers at the bottom); services without any drawn dependency or
 * dependent are packed in rows at the very bottom instead of stretching
 * a layer. A layer wider than ROW_MAX_PT wraps onto several rows (no edge
 * joins two services of one layer). The rows are pinned with rank=same
 * and a chain of invisible anchors (write_rows); an edge that does not
 * point down the rows (a cycle's) and every soft edge is drawn without
 * constraint. */
static int layer_rows(rctx *r)
{
	size_t i, k = 0, nk = 0;
	uint32_t *src = malloc((r->m + 1) * sizeof(*src)), *dst = malloc((r->m + 1) * sizeof(*dst));
	unsigned *lvl = malloc((r->n + 1) * sizeof(*lvl));
	uint8_t *linked = calloc(r->n + 1, 1);
	rowkey *ks = malloc((r->n + 1) * sizeof(*ks));
	dc_id *first_to = malloc((r->n + 1) * sizeof(*first_to));
	double used = 0;
	int rc = DC_ENOMEM, pass;

	r->row = malloc((r->n + 1) * sizeof(*r->row));
	r->roworder = malloc((r->n + 1) * sizeof(*r->roworder));
	r->rowwrap = calloc(r->n + 1, 1);
	if (!src || !dst || !lvl || !linked || !ks || !first_to || !r->row || !r->roworder || !r->rowwrap)
		goto out;
	for (i = 0; i < r->n; i++) {
		r->row[i] = NO_ROW;
		first_to[i] = DC_NO_ID;
	}
	/* depth by the hard dependencies first; then again with the soft ones
	 * that do not point up that layering (a soft edge back up, into a
	 * monitoring loop say, would otherwise make a cycle of half the map) */
	for (pass = 0; pass < 2; pass++) {
		k = 0;
		for (i = 0; i < r->m; i++) {
			dc_id a = dc_dep_from(r->cat, i), b = dc_dep_to(r->cat, i);
			if (!r->drawn[a] || !r->drawn[b] || r->dropped[i] || a == b)
				continue;
			linked[a] = linked[b] = 1;
			if (first_to[a] == DC_NO_ID)
				first_to[a] = b;
			if (dc_dep_kind_of(r->cat, i) == DC_DEP_SOFT && (!pass || lvl[a] < lvl[b]))
				continue;
			src[k] = a;
			dst[k++] = b;
		}
		if ((rc = levels(r->n, src, dst, k, lvl)))
			goto out;
	}
	for (i = 0; i < r->n; i++) {
		if (!r->drawn[i])
			continue;
		ks[nk].level = linked[i] ? lvl[i] + 1 : 0;
		ks[nk].key = first_to[i] != DC_NO_ID ? first_to[i] : (dc_id)i;
		ks[nk++].id = (dc_id)i;
	}
	qsort(ks, nk, sizeof(*ks), cmp_rowkey);
	r->nrows = 0;
	for (i = 0; i < nk; i++) {
		double w = node_width_pt(r, ks[i].id) + NODESEP_PT;
		if (!i || ks[i].level != ks[i - 1].level || used + w > ROW_MAX_PT) {
			r->rowwrap[r->nrows] = i && (ks[i].level == ks[i - 1].level || !ks[i].level);
			r->nrows++;
			used = 0;
		}
		used += w;
		r->row[ks[i].id] = (unsigned)(r->nrows - 1);
		r->roworder[i] = ks[i].id;
	}
	r->nroworder = nk;
	rc = 0;
out:
	free(src);
	free(dst);
	free(lvl);
	free(linked);
	free(ks);
	free(first_to);
	return rc;
}

/* The rows of layer_rows: one rank=same subgraph each, headed by an
 * invisible anchor; the anchors chained top to bottom. */
static void write_rows(rctx *r)
{
	FILE *fp = r->fp;
	size_t row, i = 0, prev = 0, start = 0;
	for (row = 0; row < r->nrows; row++) {
		fprintf(fp, "  subgraph \"row_%zu\" {\n    rank=same;\n    \"(row %zu)\" [id=\"row-%zu\", "
			"class=\"dc-row\", shape=point, style=invis, width=0, height=0, label=\"\"];\n",
			row, row, row);
		for (; i < r->nroworder && r->row[r->roworder[i]] == row; i++) {
			fputs("    ", fp);
			gv_quoted(fp, svc_name(r, r->roworder[i]));
			fputs(";\n", fp);
		}
		fputs("  }\n", fp);
		if (row)
			fprintf(fp, "  \"(row %zu)\" -> \"(row %zu)\" [style=invis];\n", row - 1, row);
		/* a continued row hangs under the one above, column by column:
		 * nothing else would hold it there (a wrapped layer has no edge to
		 * the row above it, the unlinked services none at all) */
		if (r->rowwrap[row]) {
			size_t k;
			for (k = 0; k < i - start && prev + k < start; k++) {
				fputs("  ", fp);
				gv_quoted(fp, svc_name(r, r->roworder[prev + k]));
				fputs(" -> ", fp);
				gv_quoted(fp, svc_name(r, r->roworder[start + k]));
				fputs(" [style=invis];\n", fp);
			}
		}
		prev = start;
		start = i;
	}
}

/* ---- nodes ---------------------------------------------------------------------------- */

typedef struct {
	const char *fill, *line, *font, *style;
	double pen;
	int peri;
	char cls[320];
} nattr;

static void add_cls(char *cls, const char *c)
{
	size_t n = strlen(cls);
	snprintf(cls + n, 320 - n, "%s%s", n ? " " : "", c);
}

static void apply_style(nattr *a, const dc_render_style *st)
{
	if (st->faded) {
		a->fill = C_FADE_FILL;
		a->line = C_FADE_LINE;
		a->font = C_FADE_FONT;
		add_cls(a->cls, "faded");
	}
	if (st->color)
		a->line = st->color;
	if (st->fillcolor)
		a->fill = st->fillcolor;
	if (st->style)
		a->style = st->style;
	if (st->penwidth > 0)
		a->pen = st->penwidth;
	if (st->cls)
		add_cls(a->cls, st->cls);
}

static void write_nattr(FILE *fp, const nattr *a)
{
	fputs(", class=", fp);
	gv_quoted(fp, a->cls);
	if (a->fill)
		fprintf(fp, ", fillcolor=\"%s\"", a->fill);
	if (a->line)
		fprintf(fp, ", color=\"%s\"", a->line);
	if (a->font)
		fprintf(fp, ", fontcolor=\"%s\"", a->font);
	if (a->style)
		fprintf(fp, ", style=\"%s\"", a->style);
	if (a->pen > 0)
		fprintf(fp, ", penwidth=%.1f", a->pen);
	if (a->peri)
		fprintf(fp, ", peripheries=%d", a->peri);
}

static const char *state_name(dc_state s)
{
	return s == DC_STATE_DOWN ? "down" : s == DC_STATE_DEGRADED ? "degraded" : "up";
}

static const char *const ld_fill[4] = { "#ffffff", "#d7f0dc", "#f9d56e", C_DOWN_FILL };
static const char *const ld_line[4] = { "#b0bec5", "#2e8b57", "#b7950b", C_DOWN_LINE };
static const char *const ld_cls[4] = { "load-unbounded", "load-under", "load-near", "load-over" };

static const char *f3(char *buf, size_t size, double x)
{
	dc__fmt3(buf, size, x);
	return buf;
}

/* 1 when v's concurrency limit binds before its rate capacity */
static int load_by_concurrency(const dc_overload *l, dc_id v)
{
	double lim = dc_overload_concurrency_limit(l, TRIG, v), fl = dc_overload_in_flight(l, TRIG, v);
	double cap = dc_overload_capacity(l, TRIG, v), off = dc_overload_offered_rps(l, TRIG, v);
	if (lim <= 0)
		return 0;
	return fl < 0 || cap < 0 || fl / lim >= (cap > 0 ? off / cap : 0);
}

/* The label lines of an overloaded or nearly overloaded service: offered /
 * capacity, the requests in flight when the concurrency limit binds, the
 * amplification; and a trigger's own line. */
static void load_label(rctx *r, dc_id s, unsigned tg, int bk)
{
	FILE *fp = r->fp;
	const dc_overload *l = r->ov;
	char a[48], b[48];
	if (tg & DC_OVERLOAD_TRIGGER_FAIL)
		fputs("\\n(fails)", fp);
	if (tg & DC_OVERLOAD_TRIGGER_SLOW)
		fprintf(fp, "\\n(+%s ms slower)", f3(a, sizeof(a), dc_overload_trigger_slow_ms(dc_overload_triggers_of(l), s)));
	if (tg & DC_OVERLOAD_TRIGGER_CAPACITY)
		fprintf(fp, "\\n(capacity %s -> %s)", f3(a, sizeof(a), dc_overload_capacity(l, DC_OVERLOAD_BASELINE, s)),
			f3(b, sizeof(b), dc_overload_capacity(l, TRIG, s)));
	if (bk == LD_OVER || bk == LD_NEAR) {
		double cap = dc_overload_capacity(l, TRIG, s), am = dc_overload_amplification(l, s);
		if (cap >= 0)
			fprintf(fp, "\\n%s / %s rps", f3(a, sizeof(a), dc_overload_offered_rps(l, TRIG, s)),
				f3(b, sizeof(b), cap));
		if (load_by_concurrency(l, s)) {
			double fl = dc_overload_in_flight(l, TRIG, s);
			fprintf(fp, "\\n%s / %s in flight", fl < 0 ? "unbounded" : f3(a, sizeof(a), fl),
				f3(b, sizeof(b), dc_overload_concurrency_limit(l, TRIG, s)));
		}
		if (am < 0)
			fputs("\\nnew load", fp);
		else if (fabs(am - 1) >= 0.005)
			fprintf(fp, "\\nx%s load", f3(a, sizeof(a), am));
	}
}

static void load_tooltip(rctx *r, dc_id s, unsigned tg)
{
	FILE *fp = r->fp;
	const dc_overload *l = r->ov;
	double cap = dc_overload_capacity(l, TRIG, s), lim = dc_overload_concurrency_limit(l, TRIG, s);
	double fl = dc_overload_in_flight(l, TRIG, s), u = dc_overload_utilization(l, TRIG, s);
	double rt = dc_overload_response_ms(l, TRIG, s), am = dc_overload_amplification(l, s);
	char a[48], b[48], cause[600];
	if (tg & DC_OVERLOAD_TRIGGER_FAIL)
		fputs("\\ntrigger: fails (answers errors at once)", fp);
	if (tg & DC_OVERLOAD_TRIGGER_SLOW)
		fprintf(fp, "\\ntrigger: answers %s ms slower",
			f3(a, sizeof(a), dc_overload_trigger_slow_ms(dc_overload_triggers_of(l), s)));
	if (tg & DC_OVERLOAD_TRIGGER_CAPACITY)
		fprintf(fp, "\\ntrigger: capacity %s -> %s rps",
			f3(a, sizeof(a), dc_overload_capacity(l, DC_OVERLOAD_BASELINE, s)), f3(b, sizeof(b), cap));
	fprintf(fp, "\\noffered: %s rps (without the trigger %s)", f3(a, sizeof(a), dc_overload_offered_rps(l, TRIG, s)),
		f3(b, sizeof(b), dc_overload_offered_rps(l, DC_OVERLOAD_BASELINE, s)));
	if (am >= 0)
		fprintf(fp, ", x%s", f3(a, sizeof(a), am));
	if (cap >= 0)
		fprintf(fp, "\\ncapacity: %s rps", f3(a, sizeof(a), cap));
	else
		fputs("\\ncapacity: none declared (unbounded)", fp);
	fprintf(fp, "\\nin flight: %s", fl < 0 ? "unbounded" : f3(a, sizeof(a), fl));
	if (lim > 0)
		fprintf(fp, " of %s", f3(b, sizeof(b), lim));
	fprintf(fp, "\\nutilisation: %s", u < 0 ? "unbounded" : f3(a, sizeof(a), u));
	fprintf(fp, "\\nrequests failing: %s %%", f3(a, sizeof(a), 100 * dc_overload_failure_ratio(l, TRIG, s)));
	fprintf(fp, "\\nresponse: %s", rt < 0 ? "never answers" : f3(a, sizeof(a), rt));
	if (rt >= 0)
		fputs(" ms", fp);
	if (dc_overload_is_overloaded(l, TRIG, s)) {
		fputs("\\noverloaded: ", fp);
		gv_escaped(fp, dc_overload_cause_text(l, s, cause, sizeof(cause)));
	}
}

static void write_service(rctx *r, dc_id s, const uint8_t *lock, const char *indent)
{
	unsigned tg = 0;
	int bk = LD_UNBOUNDED;
	FILE *fp = r->fp;
	const char *owner = dc_service_owner(r->cat, s), *system = dc_service_system(r->cat, s);
	int tier = dc_service_tier(r->cat, s), seed = 0;
	size_t wave = wave_of(r, s);
	dc_state st = DC_STATE_UP;
	dc_render_style ov;
	char buf[48];
	nattr a;

	if (tier < 0 || tier > 4)
		tier = 0;
	memset(&a, 0, sizeof(a));
	a.fill = tier ? tier_fill[tier] : NULL;
	a.line = tier ? tier_line[tier] : NULL;
	r->tiers_used[tier] = 1;
	add_cls(a.cls, "dc-node");
	snprintf(buf, sizeof(buf), tier ? "tier-%d" : "tier-none", tier);
	add_cls(a.cls, buf);
	if (dc_service_is_entrypoint(r->cat, s)) {
		r->saw_entry = 1;
		a.pen = 2.4;
		add_cls(a.cls, "entrypoint");
	}
	if (dc_service_is_external(r->cat, s)) {
		r->saw_ext = 1;
		a.fill = "#ffffff";
		a.line = "#78909c";
		a.font = "#546e7a";
		a.style = "rounded,filled,dashed";
		add_cls(a.cls, "external");
	}
	if (r->imp) {
		st = dc_impact_state(r->imp, s);
		seed = r->o->fail && dc_selection_cause(r->o->fail, s) != NULL;
		if (st == DC_STATE_DOWN) {
			a.fill = C_DOWN_FILL;
			a.line = C_DOWN_LINE;
			a.font = "#ffffff";
		} else if (st == DC_STATE_DEGRADED) {
			a.fill = C_DEGR_FILL;
			a.line = C_DEGR_LINE;
		} else {
			a.fill = C_UP_FILL;
		}
		snprintf(buf, sizeof(buf), "state-%s", state_name(st));
		add_cls(a.cls, buf);
		if (seed) {
			a.peri = 2;
			a.pen = 2;
			add_cls(a.cls, "seed");
		}
	}
	if (r->ov) {
		tg = dc_overload_trigger_of(dc_overload_triggers_of(r->ov), s);
		bk = load_bucket(r->ov, s);
		r->ldcount[bk]++;
		a.fill = ld_fill[bk];
		a.line = ld_line[bk];
		a.font = bk == LD_OVER ? "#ffffff" : NULL;
		add_cls(a.cls, ld_cls[bk]);
		if (bk != LD_OVER && dc_overload_failure_ratio(r->ov, TRIG, s) >= 0.5) {
			a.line = C_DOWN_LINE;
			a.pen = 2.2;
			add_cls(a.cls, "load-failing");
			r->ldfailing++;
		}
		if (tg) {
			a.peri = 2;
			a.pen = 2;
			add_cls(a.cls, "load-trigger");
			r->ldtrig++;
		}
	}
	if (wave) {
		snprintf(buf, sizeof(buf), "wave-%zu", wave);
		add_cls(a.cls, buf);
		if (lock && lock[s]) {
			a.line = C_LOCK;
			a.pen = 2.4;
			add_cls(a.cls, "lockstep");
		}
	}
	if (r->crit && r->crit[s]) {
		a.line = C_CRIT;
		a.pen = 2.6;
		add_cls(a.cls, "critical");
	}
	if (r->hl && r->hl[s] == 2) {
		a.pen = 3.2;
		add_cls(a.cls, "focus");
	}
	memset(&ov, 0, sizeof(ov));
	ov.url = dc_service_url(r->cat, s); /* the descriptor's link; a style may replace it */
	if (r->o->node_style) {
		r->o->node_style(s, &ov, r->o->style_data);
		apply_style(&a, &ov);
	}

	fputs(indent, fp);
	gv_quoted(fp, svc_name(r, s));
	fprintf(fp, " [id=\"svc-%u\", label=\"", (unsigned)s);
	gv_escaped(fp, svc_name(r, s));
	if (r->o->labels_full && owner) {
		fputs("\\n", fp);
		gv_escaped(fp, owner);
	}
	if (dc_service_is_external(r->cat, s))
		fputs("\\n(external)", fp);
	if (seed)
		fputs("\\n(failed)", fp);
	if (r->ov)
		load_label(r, s, tg, bk);
	if (r->crit && r->o->critical_from == s)
		fprintf(fp, "\\n%.0f ms", dc_critical_total_ms(r->o->critical, s));
	fputs("\", tooltip=\"", fp);
	gv_escaped(fp, svc_name(r, s));
	fputs("\\nowner: ", fp);
	gv_escaped(fp, owner ? owner : "-");
	fputs("\\nsystem: ", fp);
	gv_escaped(fp, system ? system : "-");
	if (tier)
		fprintf(fp, "\\ntier: %d", tier);
	else
		fputs("\\ntier: -", fp);
	if (r->o->blast && dc_blast_count(r->o->blast) == r->n)
		fprintf(fp, "\\nblast radius: %zu down, %zu degraded", dc_blast_down(r->o->blast, s),
			dc_blast_degraded(r->o->blast, s));
	if (r->imp) {
		uint64_t t = dc_impact_time_ms(r->imp, s);
		fprintf(fp, "\\nstate: %s", seed ? "DOWN (failed)" : st == DC_STATE_DOWN ? "DOWN"
			: st == DC_STATE_DEGRADED ? "DEGRADED" : "UP");
		if (!seed && t != DC_TIME_NONE && st != DC_STATE_UP)
			fprintf(fp, " after %llu ms", (unsigned long long)t);
	}
	if (r->ov)
		load_tooltip(r, s, tg);
	if (wave)
		fprintf(fp, "\\nwave: %zu", wave);
	if (r->crit && r->crit[s])
		fprintf(fp, "\\nlatency: %.0f ms", dc_critical_total_ms(r->o->critical, s));
	fputc('"', fp);
	if (ov.url && gv_url(r->url, sizeof(r->url), ov.url)) {
		fputs(", URL=", fp);
		gv_quoted(fp, r->url);
		fputs(", target=\"_top\"", fp);
	}
	write_nattr(fp, &a);
	fputs("];\n", fp);
}

/* Number of drawn members of s's any_of group gid. */
static size_t group_members(const rctx *r, dc_id s, unsigned gid)
{
	const dc_id *to;
	size_t first, deg = dc_graph_out(r->g, s, &to, &first), j, k = 0;
	for (j = 0; j < deg; j++)
		if (dc_dep_group(r->cat, first + j) == gid && r->drawn[to[j]])
			k++;
	return k;
}

/* The any_of junctions of s (one per group with two drawn members or more),
 * declared next to s so that they share its cluster. */
static void write_junctions(rctx *r, dc_id s, const char *indent)
{
	const dc_id *to;
	size_t first, deg = dc_graph_out(r->g, s, &to, &first), j, k;
	for (j = 0; j < deg; j++) {
		unsigned gid = dc_dep_group(r->cat, first + j);
		if (!gid || !r->drawn[to[j]] || group_members(r, s, gid) < 2)
			continue;
		for (k = 0; k < j; k++)
			if (dc_dep_group(r->cat, first + k) == gid && r->drawn[to[k]])
				break;
		if (k < j)
			continue; /* declared at its first drawn member */
		r->junctions++;
		fprintf(r->fp, "%s\"any_of #%u\" [id=\"any-%u\", class=\"dc-anyof\", shape=diamond, "
			"style=filled, fillcolor=\"#ffffff\", color=\"#546e7a\", fontcolor=\"#546e7a\", "
			"label=\"any\", fontsize=7, width=0.42, height=0.3, fixedsize=true, penwidth=1, tooltip=\"",
			indent, gid, gid);
		gv_escaped(r->fp, svc_name(r, s));
		fputs(" needs any one of:", r->fp);
		for (k = j; k < deg; k++)
			if (dc_dep_group(r->cat, first + k) == gid && r->drawn[to[k]]) {
				fputs("\\n  ", r->fp);
				gv_escaped(r->fp, svc_name(r, to[k]));
			}
		fputs("\"];\n", r->fp);
	}
}

/* ---- edges --------------------------------------------------------------------------- */

typedef struct {
	const char *color, *style, *fontcolor;
	double pen;
	char cls[160];
	char label[32];
	int constraint_off, back, weight0;
} eattr;

static void edge_attrs(rctx *r, size_t d, dc_id u, dc_id v, eattr *e)
{
	memset(e, 0, sizeof(*e));
	strcpy(e->cls, "dc-edge");
	if (dc_dep_kind_of(r->cat, d) == DC_DEP_SOFT) {
		e->style = "dashed";
		e->color = C_SOFT;
		strcat(e->cls, " soft");
		/* a soft dependency (monitoring, logging, tracing: often on every
		 * service) neither ranks nor pulls its ends together: it would
		 * drag the providers it points at across the picture */
		e->constraint_off = 1;
		e->weight0 = 1;
		r->saw_soft = 1;
	}
	if (dc_dep_is_observed(r->cat, d)) {
		/* observed in production, declared nowhere: dotted, and says so */
		e->style = "dotted";
		strcat(e->cls, " observed");
		snprintf(e->label, sizeof(e->label), "observed");
		r->saw_observed = 1;
	}
	if (r->nrows && r->row[u] >= r->row[v])
		e->constraint_off = 1; /* against the rows (a cycle): the rows hold */
	if (r->imp) {
		dc_state sv = dc_impact_state(r->imp, u);
		e->color = "#c5cbd1";
		if (sv != DC_STATE_UP && dc_impact_cause(r->imp, u) == d) {
			e->color = sv == DC_STATE_DOWN ? C_DOWN_LINE : C_DEGR_LINE;
			e->pen = 2;
			strcat(e->cls, " cause");
		}
	}
	if (r->ov) {
		char a[20]; /* dc__fmt3: at most 16 digits, a sign and a point */
		int k = r->ldedge[d];
		e->color = "#c5cbd1";
		if (k == LD_EDGE_RETRY) {
			int into = load_bucket(r->ov, v);
			e->color = "#e67e22";
			e->pen = 1.2 + 2.8 * sqrt(r->ldmax > 0 ? r->ldadded[d] / r->ldmax : 0);
			strcat(e->cls, " load-retry");
			if (into == LD_OVER || into == LD_NEAR)
				snprintf(e->label, sizeof(e->label), "x%s", f3(a, sizeof(a), dc_overload_attempts(r->ov, TRIG, d)));
			e->fontcolor = "#af601a";
		} else if (k == LD_EDGE_CAUSE_RETRY || k == LD_EDGE_CAUSE_SLOW) {
			e->color = C_DOWN_LINE;
			e->fontcolor = C_DOWN_LINE;
			e->pen = 3;
			strcat(e->cls, " load-cause");
			if (k == LD_EDGE_CAUSE_RETRY) {
				snprintf(e->label, sizeof(e->label), "x%s attempts",
					 f3(a, sizeof(a), dc_overload_attempts(r->ov, TRIG, d)));
			} else {
				double rt = dc_overload_response_ms(r->ov, TRIG, v);
				if (rt < 0)
					snprintf(e->label, sizeof(e->label), "waits: no answer");
				else
					snprintf(e->label, sizeof(e->label), "waits %s ms", f3(a, sizeof(a), rt));
			}
		}
	}
	if (r->o->plan) {
		size_t wu = wave_of(r, u), wv = wave_of(r, v);
		if (!dc_plan_dep_constrains(r->o->plan, d) || wu == wv || !wu || !wv)
			e->constraint_off = 1;
		else if (wu > wv)
			e->back = 1; /* the earlier wave is the tail: waves stack in order */
		if (wu && wu == wv) {
			e->color = C_LOCK;
			strcat(e->cls, " lockstep");
		}
	}
	if (r->crit_ms && r->crit_ms[d] < 0)
		e->color = "#c5cbd1"; /* context: the chains are the subject */
	if (r->crit_ms && r->crit_ms[d] >= 0) {
		e->color = C_CRIT;
		e->fontcolor = C_CRIT;
		e->pen = 3;
		snprintf(e->label, sizeof(e->label), "%.0f ms", r->crit_ms[d]);
		strcat(e->cls, " critical");
	}
	if (r->hl && (r->hl[u] == 2 || r->hl[v] == 2)) {
		e->color = "#37474f"; /* the focus's own dependencies and dependents */
		e->pen = 1.6;
	}
	if (r->o->edge_style) {
		dc_render_style ov;
		memset(&ov, 0, sizeof(ov));
		r->o->edge_style(d, &ov, r->o->style_data);
		if (ov.faded) {
			e->color = C_FADE_LINE;
			e->fontcolor = C_FADE_FONT;
			strcat(e->cls, " faded");
		}
		if (ov.color)
			e->color = ov.color;
		if (ov.style)
			e->style = ov.style;
		if (ov.penwidth > 0)
			e->pen = ov.penwidth;
		if (ov.cls && strlen(e->cls) + strlen(ov.cls) + 2 < sizeof(e->cls)) {
			strcat(e->cls, " ");
			strcat(e->cls, ov.cls);
		}
	}
}

static void write_eattr(FILE *fp, const eattr *e)
{
	fputs(", class=", fp);
	gv_quoted(fp, e->cls);
	if (e->color)
		fprintf(fp, ", color=\"%s\"", e->color);
	if (e->style)
		fprintf(fp, ", style=\"%s\"", e->style);
	if (e->pen > 0)
		fprintf(fp, ", penwidth=%.1f", e->pen);
	if (e->label[0])
		fprintf(fp, ", label=\"%s\"", e->label);
	if (e->fontcolor && e->label[0])
		fprintf(fp, ", fontcolor=\"%s\"", e->fontcolor);
	if (e->constraint_off)
		fputs(", constraint=false", fp);
	if (e->weight0)
		fputs(", weight=0", fp);
	if (e->back)
		fputs(", dir=back", fp);
}

/* tail -> head, reversed for dir=back */
static void write_arrow(FILE *fp, const char *a, const char *b, int back)
{
	fputs("  ", fp);
	gv_quoted(fp, back ? b : a);
	fputs(" -> ", fp);
	gv_quoted(fp, back ? a : b);
}

static void write_edges(rctx *r, size_t *nedges)
{
	FILE *fp = r->fp;
	size_t s, j, k;
	char jn[32];
	for (s = 0; s < r->n; s++) {
		const dc_id *to;
		size_t first, deg;
		if (!r->drawn[s])
			continue;
		deg = dc_graph_out(r->g, (dc_id)s, &to, &first);
		for (j = 0; j < deg; j++) {
			size_t d = first + j;
			unsigned gid = dc_dep_group(r->cat, d);
			eattr e;
			if (!r->drawn[to[j]] || r->dropped[d])
				continue;
			edge_attrs(r, d, (dc_id)s, to[j], &e);
			if (gid && group_members(r, (dc_id)s, gid) >= 2) {
				snprintf(jn, sizeof(jn), "any_of #%u", gid);
				for (k = 0; k < j; k++)
					if (dc_dep_group(r->cat, first + k) == gid && r->drawn[to[k]])
						break;
				if (k == j) {
					/* caller -> junction, once per group: styled like the
					 * group's first member, without its label */
					eattr ge = e;
					size_t k2;
					ge.label[0] = '\0';
					strcpy(ge.cls, "dc-edge anyof");
					if (strstr(e.cls, "faded"))
						strcat(ge.cls, " faded");
					/* the shared leg carries what any member's edge carries */
					for (k2 = j; k2 < deg; k2++) {
						eattr me;
						if (dc_dep_group(r->cat, first + k2) != gid || !r->drawn[to[k2]])
							continue;
						edge_attrs(r, first + k2, (dc_id)s, to[k2], &me);
						if (strstr(me.cls, "critical") || strstr(me.cls, "cause")) {
							ge.color = me.color;
							ge.pen = me.pen;
							strcat(ge.cls, strstr(me.cls, "critical") ? " critical" : " cause");
							break;
						}
					}
					write_arrow(fp, svc_name(r, (dc_id)s), jn, e.back);
					fprintf(fp, " [id=\"e-%zu-any-%u\"", s, gid);
					write_eattr(fp, &ge);
					fputs(", arrowhead=none];\n", fp);
					(*nedges)++;
				}
				strcat(e.cls, " anyof-member");
				write_arrow(fp, jn, svc_name(r, to[j]), e.back);
			} else if (r->later && dc_dep_kind_of(r->cat, d) == DC_DEP_SOFT) {
				/* laid out after the rest (dc_render): routed, never placing */
				write_arrow(r->later, svc_name(r, (dc_id)s), svc_name(r, to[j]), e.back);
				fprintf(r->later, " [id=\"e-%zu-%u\"", s, (unsigned)to[j]);
				write_eattr(r->later, &e);
				fputs("];\n", r->later);
				r->nlater++;
				(*nedges)++;
				continue;
			} else {
				write_arrow(fp, svc_name(r, (dc_id)s), svc_name(r, to[j]), e.back);
			}
			fprintf(fp, " [id=\"e-%zu-%u\"", s, (unsigned)to[j]);
			write_eattr(fp, &e);
			fputs("];\n", fp);
			(*nedges)++;
		}
	}
}

/* ---- legend ----------------------------------------------------------------------------- */

static void swatch(FILE *fp, const char *fill, const char *line, const char *font, const char *text)
{
	fprintf(fp, "<td border=\"1\" color=\"%s\" bgcolor=\"%s\">", line, fill);
	if (font)
		fprintf(fp, "<font color=\"%s\">", font);
	fprintf(fp, "&nbsp;%s&nbsp;", text);
	if (font)
		fputs("</font>", fp);
	fputs("</td>", fp);
}

static void load_fix(FILE *fp, const dc_catalog *cat, dc_overload_fix fx)
{
	char a[48];
	if (fx.kind == DC_OVERLOAD_FIX_RETRY_BUDGET || fx.kind == DC_OVERLOAD_FIX_FEWER_RETRIES) {
		if (fx.kind == DC_OVERLOAD_FIX_RETRY_BUDGET)
			fprintf(fp, "a retry budget of %s on ", f3(a, sizeof(a), fx.value));
		else
			fprintf(fp, "%.0f retr%s instead of %.0f on ", fx.value, fx.value == 1 ? "y" : "ies", fx.value + 1);
		gv_html(fp, dc_service_name(cat, dc_dep_from(cat, fx.dep)));
		fputs(" -&gt; ", fp);
		gv_html(fp, dc_service_name(cat, dc_dep_to(cat, fx.dep)));
	} else if (fx.kind == DC_OVERLOAD_FIX_REPLICAS) {
		fprintf(fp, "%.0f more replica%s of ", fx.value, fx.value == 1 ? "" : "s");
		gv_html(fp, dc_service_name(cat, fx.service));
	}
}

/* The load overlay's lines: the scenario, how to read the map, what is
 * lost, whether it lasts. */
static void load_legend(rctx *r)
{
	FILE *fp = r->fp;
	const dc_overload *l = r->ov;
	const dc_overload_triggers *tr = dc_overload_triggers_of(l);
	size_t i, nt = dc_overload_trigger_count(tr), retry = 0, cause = 0;
	double entry = dc_overload_entry_rps(l, TRIG);
	int meta = dc_overload_metastable(l);
	char a[48], b[48], c[48];
	for (i = 0; i < r->m; i++) {
		if (!r->drawn[dc_dep_from(r->cat, i)] || !r->drawn[dc_dep_to(r->cat, i)] || r->dropped[i])
			continue;
		retry += r->ldedge[i] == LD_EDGE_RETRY;
		cause += r->ldedge[i] == LD_EDGE_CAUSE_RETRY || r->ldedge[i] == LD_EDGE_CAUSE_SLOW;
	}
	fputs("<br align=\"left\"/><b>load: ", fp);
	if (!nt)
		fputs("the declared traffic, no trigger", fp);
	for (i = 0; i < nt; i++) {
		if (i)
			fputs("; ", fp);
		gv_html(fp, dc_overload_trigger_text(tr, i));
	}
	fprintf(fp, "</b>; entry requests lost: %s of %s rps", f3(a, sizeof(a), dc_overload_lost_rps(l, TRIG)),
		f3(b, sizeof(b), entry));
	if (entry > 0)
		fprintf(fp, " (%s %%)", f3(c, sizeof(c), 100 * dc_overload_lost_rps(l, TRIG) / entry));
	fprintf(fp, ", without the trigger %s", f3(a, sizeof(a), dc_overload_lost_rps(l, DC_OVERLOAD_BASELINE)));
	{
		dc_overload_inputs in = dc_overload_inputs_of(l);
		if (in.entry_no_traffic)
			fprintf(fp, "<br align=\"left\"/>%zu of %zu entrypoints declare no traffic_rps and send nothing",
				in.entry_no_traffic, in.entrypoints);
	}
	if (!dc_overload_converged(l, TRIG) || !dc_overload_converged(l, DC_OVERLOAD_BASELINE))
		fputs("<br align=\"left\"/>warning: the model did not converge: the colours are its last iterate, "
		      "not a steady state", fp);
	fputs("<br align=\"left\"/>label: offered / capacity in rps (in flight / limit where concurrency binds), "
	      "load x its load without the trigger", fp);
	if (r->ldtrig)
		fputs("; double border: a trigger", fp);
	if (r->ldfailing)
		fputs("; red border: half its requests fail or more", fp);
	if (retry)
		fprintf(fp, "<br align=\"left\"/>orange edge: retries the trigger added (%zu; thicker: more retries/s; "
			"label: attempts per call into a service near or over capacity)", retry);
	if (cause)
		fputs("<br align=\"left\"/>red edge: what overloads a service (the retries that add most, or the "
		      "dependency it is held waiting on)", fp);
	if (meta == 1) {
		dc_overload_fix fx = dc_overload_fix_of(l);
		fputs("<br align=\"left\"/><b>after the trigger is removed: still overloaded (metastable)</b>", fp);
		if (fx.kind != DC_OVERLOAD_FIX_NONE) {
			fputs("; breaks it (verified): ", fp);
			load_fix(fp, r->cat, fx);
		} else {
			fputs("; none of a retry budget, one retry fewer or more replicas breaks it", fp);
		}
	} else if (meta == 0) {
		fputs("<br align=\"left\"/>after the trigger is removed: it recovers (not metastable)", fp);
	}
}

static void legend(rctx *r, size_t ngroups_collapsed)
{
	FILE *fp = r->fp;
	int t;
	fputs("  label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"1\">", fp);
	if (r->o->title) {
		fputs("<tr><td align=\"left\"><font point-size=\"14\"><b>", fp);
		gv_html(fp, r->o->title);
		fputs("</b></font></td></tr>", fp);
	}
	/* the swatches: the states of a failure, or the tiers that appear
	 * (none when no service has a tier: a lone "no tier" says nothing) */
	for (t = 1; t <= 4 && !r->tiers_used[t]; t++)
		;
	if (!r->imp && !r->ov && t > 4) {
		fputs("<tr><td align=\"left\">", fp);
		goto text;
	}
	fputs("<tr><td align=\"left\"><table border=\"0\" cellborder=\"0\" cellspacing=\"4\" "
	      "cellpadding=\"3\"><tr>", fp);
	if (r->imp) {
		char b[64];
		snprintf(b, sizeof(b), "DOWN (%zu)", dc_impact_down_count(r->imp));
		swatch(fp, C_DOWN_FILL, C_DOWN_LINE, "#ffffff", b);
		snprintf(b, sizeof(b), "DEGRADED (%zu)", dc_impact_degraded_count(r->imp));
		swatch(fp, C_DEGR_FILL, C_DEGR_LINE, NULL, b);
		swatch(fp, C_UP_FILL, tier_line[0], NULL, "UP");
	} else if (r->ov) {
		static const char *const what[4] = { "no capacity declared", "under capacity", "near: 80 % or more",
						      "over capacity" };
		char b[80];
		for (t = 3; t >= 0; t--) {
			snprintf(b, sizeof(b), "%s (%zu)", what[t], r->ldcount[t]);
			swatch(fp, ld_fill[t], ld_line[t], t == LD_OVER ? "#ffffff" : NULL, b);
		}
	} else {
		for (t = 1; t <= 4; t++) {
			char b[16];
			if (!r->tiers_used[t])
				continue;
			snprintf(b, sizeof(b), "tier %d", t);
			swatch(fp, tier_fill[t], tier_line[t], NULL, b);
		}
		if (r->tiers_used[0])
			swatch(fp, tier_fill[0], tier_line[0], NULL, "no tier");
	}
	fputs("</tr></table></td></tr><tr><td align=\"left\">", fp);
text:
	fputs("<font point-size=\"9\" color=\"#455a64\">", fp);
	if (ngroups_collapsed) {
		fputs("one node per group, coloured by the most critical tier inside; edge label and width: "
		      "number of dependencies; dashed: soft only", fp);
		if (r->o->collapse_edges_max)
			fprintf(fp, "; the %zu strongest edges out of each group", r->o->collapse_edges_max);
	} else {
		/* only what appears on this map */
		fputs("arrow: depends on", fp);
		if (r->saw_soft)
			fputs("; dashed edge: soft dependency", fp);
		if (r->saw_observed)
			fputs("; dotted edge labelled observed: a call seen in production, declared nowhere", fp);
		if (r->saw_entry)
			fputs("; bold border: entrypoint", fp);
		if (r->saw_ext)
			fputs("; dashed border: external", fp);
		if (r->junctions)
			fputs("; &#8220;any&#8221;: any_of group (down only if all are)", fp);
	}
	if (r->imp)
		fputs("<br align=\"left\"/>double border: failed (seed); coloured edge: what took a service "
		      "down or degraded it", fp);
	if (r->ov)
		load_legend(r);
	if (r->o->plan)
		fputs("<br align=\"left\"/>deployment waves top to bottom (first wave first); red: lockstep "
		      "group, ships in one wave", fp);
	if (r->crit)
		fputs("<br align=\"left\"/>purple, thick: latency critical path (call time on the edge)", fp);
	if (r->hl) {
		fputs("<br align=\"left\"/>highlighted: ", fp);
		gv_html(fp, svc_name(r, r->o->highlight));
		fputs(" with its dependencies and dependents", fp);
		if (r->o->highlight_depth)
			fprintf(fp, " (up to %u hop%s)", r->o->highlight_depth,
				r->o->highlight_depth == 1 ? "" : "s");
		fprintf(fp, ": %zu of %zu services drawn", r->hl_count, r->n);
	}
	if (r->reduced)
		fprintf(fp, "<br align=\"left\"/>transitive reduction: %zu dependenc%s implied by longer paths "
			"not drawn", r->reduced, r->reduced == 1 ? "y" : "ies");
	fputs("<br align=\"left\"/></font></td></tr></table>>;\n", fp);
}

/* ---- the graph -------------------------------------------------------------------------- */

typedef struct {
	const char *engine;
	const char *strategy;
	int tuned, lines, concentrate;
} layout_choice;

int render_size_tier(size_t nodes, size_t edges, size_t sfdp_above)
{
	if (nodes > (sfdp_above ? sfdp_above : DC_RENDER_SFDP_ABOVE) || edges > 15000)
		return RENDER_TIER_SFDP;
	if (nodes <= 150 && edges <= 600)
		return RENDER_TIER_DEFAULT;
	return RENDER_TIER_TUNED;
}

static layout_choice choose_layout(const rctx *r, size_t nodes, size_t edges)
{
	layout_choice c;
	size_t above = r->o->sfdp_above ? r->o->sfdp_above : DC_RENDER_SFDP_ABOVE;
	memset(&c, 0, sizeof(c));
	c.engine = "dot";
	if (r->o->layout == DC_RENDER_LAYOUT_SFDP ||
	    (r->o->layout == DC_RENDER_LAYOUT_AUTO &&
	     render_size_tier(nodes, edges, above) == RENDER_TIER_SFDP)) {
		c.engine = "sfdp";
		c.lines = 1;
		c.strategy = r->o->layout == DC_RENDER_LAYOUT_SFDP
			? "sfdp (force-directed, as asked), straight edges"
			: "sfdp (force-directed: too big for a layered layout in reasonable time), straight "
			  "edges; --collapse system gives a layered overview";
		return c;
	}
	if (render_size_tier(nodes, edges, above) == RENDER_TIER_DEFAULT) {
		/* merging parallel edges declutters fan-in hubs (monitoring, logging);
		 * Graphviz's concentrate is unreliable with clusters, so not there */
		c.concentrate = !r->o->plan && r->o->cluster_by == DC_RENDER_GROUP_NONE &&
				r->o->collapse == DC_RENDER_GROUP_NONE;
		c.strategy = c.concentrate ? "dot (layered), default parameters, parallel edges merged"
					   : "dot (layered), default parameters";
		return c;
	}
	c.tuned = 1;
	c.lines = edges > 3000;
	c.strategy = c.lines ? "dot (layered), tuned for size: mclimit=0.05 nslimit=0.5 searchsize=10, "
			       "straight edges"
			     : "dot (layered), tuned for size: mclimit=0.05 nslimit=0.5 searchsize=10";
	return c;
}

static void header(rctx *r, const layout_choice *lc)
{
	FILE *fp = r->fp;
	fputs("digraph \"depcheck\" {\n  graph [id=\"dc-map\"", fp);
	if (!strcmp(lc->engine, "sfdp"))
		fputs(", layout=sfdp, overlap=true, K=0.9, repulsiveforce=1.6", fp);
	fprintf(fp, ", rankdir=%s, newrank=true, compound=true, fontname=\"" FONT "\", fontsize=10, "
		"nodesep=0.22, ranksep=\"0.5\", pad=0.3, bgcolor=\"#ffffff\", outputorder=edgesfirst, "
		"labelloc=b, labeljust=l, tooltip=\"depcheck map\"", r->lr ? "LR" : "TB");
	if (lc->tuned)
		fputs(", mclimit=0.05, nslimit=0.5, nslimit1=0.5, searchsize=10, remincross=false", fp);
	if (lc->lines)
		fputs(", splines=false", fp);
	if (lc->concentrate)
		fputs(", concentrate=true", fp);
	fputs("];\n  node [shape=box, style=\"rounded,filled\", fontname=\"" FONT "\", fontsize=10, "
	      "margin=\"0.12,0.04\", height=0.3, penwidth=1.2, color=\"#90a4ae\", fillcolor=\"#eceff1\", "
	      "fontcolor=\"#1f2933\"];\n  edge [color=\"" C_EDGE "\", arrowsize=0.6, penwidth=0.9, fontname=\""
	      FONT "\", fontsize=8];\n", fp);
}

static void cluster_open(FILE *fp, const char *id, const char *label, int rank_same)
{
	fprintf(fp, "  subgraph \"cluster_%s\" {\n    graph [id=\"%s\", label=", id, id);
	gv_quoted(fp, label);
	fputs(", style=\"rounded,filled\", fillcolor=\"#f7f9fb\", color=\"#cfd8dc\", fontcolor=\"#455a64\", "
	      "fontsize=11, penwidth=1", fp);
	if (rank_same)
		fputs(", rank=same", fp);
	fputs("];\n", fp);
}

static int write_map(rctx *r, const layout_choice *lc, size_t *nedges)
{
	FILE *fp = r->fp;
	uint8_t *lock = NULL;
	size_t i, k;
	int rc = 0;

	if (r->o->plan) {
		lock = calloc(r->n + 1, 1);
		if (!lock)
			return DC_ENOMEM;
		for (i = 0; i < dc_plan_lockstep_count(r->o->plan); i++) {
			const dc_id *mem;
			size_t nm = dc_plan_lockstep_members(r->o->plan, i, &mem);
			for (k = 0; k < nm; k++)
				lock[mem[k]] = 1;
		}
	}
	header(r, lc);
	if (r->o->plan) {
		/* one rank per wave, headed by a "wave N" label node; plain rank=same
		 * subgraphs, not clusters: edges between distant waves would have
		 * to be routed around every cluster box (the map came out 4.5:1) */
		size_t nw = dc_plan_wave_count(r->o->plan), prev = 0;
		for (i = 0; i < nw; i++) {
			const dc_id *ids;
			size_t n = dc_plan_wave(r->o->plan, i, &ids), drawn = 0;
			for (k = 0; k < n; k++)
				drawn += r->drawn[ids[k]];
			if (!drawn)
				continue;
			fprintf(fp, "  subgraph \"wave_%zu\" {\n    rank=same;\n    \"(wave %zu)\" [id=\"wave-%zu\", "
				"class=\"dc-wave\", shape=plaintext, style=\"\", label=\"wave %zu\", fontsize=13, "
				"fontcolor=\"#455a64\", tooltip=\"wave %zu: %zu service%s\"];\n", i + 1, i + 1, i + 1,
				i + 1, i + 1, drawn, drawn == 1 ? "" : "s");
			for (k = 0; k < n; k++)
				if (r->drawn[ids[k]])
					write_service(r, ids[k], lock, "    ");
			fputs("  }\n", fp);
			/* junctions outside the wave: rank=same would pin them to it */
			for (k = 0; k < n; k++)
				if (r->drawn[ids[k]])
					write_junctions(r, ids[k], "  ");
			/* chain the labels, so that waves without an edge between them still stack */
			if (prev)
				fprintf(fp, "  \"(wave %zu)\" -> \"(wave %zu)\" [style=invis];\n", prev, i + 1);
			prev = i + 1;
		}
	} else if (r->o->cluster_by != DC_RENDER_GROUP_NONE) {
		dc_id *order = malloc((r->n + 1) * sizeof(*order));
		uint32_t *grp = malloc((r->n + 1) * sizeof(*grp));
		size_t norder;
		char kb[512];
		if (!order || !grp) {
			free(order);
			free(grp);
			free(lock);
			return DC_ENOMEM;
		}
		if (make_groups(r->cat, r->n, r->drawn, r->o->cluster_by, order, &norder, grp) == (size_t)-1) {
			free(order);
			free(grp);
			free(lock);
			return DC_ENOMEM;
		}
		for (i = 0; i < norder; i++) {
			dc_id s = order[i];
			char id[32];
			if (grp[s] == DC_NO_ID) {
				if (i && grp[order[i - 1]] != DC_NO_ID)
					fputs("  }\n", fp);
				write_service(r, s, lock, "  ");
				write_junctions(r, s, "  ");
				continue;
			}
			if (!i || grp[order[i - 1]] != grp[s]) {
				if (i)
					fputs("  }\n", fp);
				snprintf(id, sizeof(id), "cl-%u", grp[s]);
				cluster_open(fp, id, group_key(r->cat, r->o->cluster_by, s, kb, sizeof(kb)), 0);
			}
			write_service(r, s, lock, "    ");
			write_junctions(r, s, "    ");
		}
		if (norder && grp[order[norder - 1]] != DC_NO_ID)
			fputs("  }\n", fp);
		free(order);
		free(grp);
	} else {
		for (i = 0; i < r->n; i++)
			if (r->drawn[i]) {
				write_service(r, (dc_id)i, lock, "  ");
				write_junctions(r, (dc_id)i, "  ");
			}
		if (r->nrows)
			write_rows(r);
	}
	write_edges(r, nedges);
	legend(r, 0);
	fputs("}\n", fp);
	free(lock);
	return rc;
}

/* ---- collapsed maps ---------------------------------------------------------------------- */

typedef struct {
	uint64_t key; /* group of the caller << 32 | group of the callee */
	uint32_t soft;
} gedge;

static int cmp_gedge(const void *a, const void *b)
{
	uint64_t x = ((const gedge *)a)->key, y = ((const gedge *)b)->key;
	return x < y ? -1 : x > y;
}

/* the dependencies from one group to another */
typedef struct {
	uint64_t key; /* as gedge */
	uint32_t count, soft;
} grun;

static int cmp_grun_key(const void *a, const void *b)
{
	uint64_t x = ((const grun *)a)->key, y = ((const grun *)b)->key;
	return x < y ? -1 : x > y;
}

/* by caller group, then most dependencies first, then callee group */
static int cmp_grun_strongest(const void *a, const void *b)
{
	const grun *x = a, *y = b;
	if (x->key >> 32 != y->key >> 32)
		return x->key >> 32 < y->key >> 32 ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

typedef struct {
	size_t members, down, degraded, internal;
	int tier;           /* most critical tier inside, 0 = none */
	dc_id first;        /* a member, for the name */
} ginfo;

static int write_collapsed(rctx *r, size_t *nnodes, size_t *nedges, layout_choice *lc,
			   dc_output_format format)
{
	FILE *fp = r->fp;
	dc_id *order = malloc((r->n + 1) * sizeof(*order));
	uint32_t *grp = malloc((r->n + 1) * sizeof(*grp));
	gedge *ge = malloc((r->m + 1) * sizeof(*ge));
	grun *gr = malloc((r->m + 1) * sizeof(*gr));
	ginfo *gi = NULL;
	uint32_t *src = NULL, *dst = NULL;
	size_t norder, ng, i, ne = 0, nu = 0, nr = 0, total;
	const char *none = no_key_name(r->o->collapse);
	char kb[512];
	int rc = 0;

	if (!order || !grp || !ge || !gr) {
		rc = DC_ENOMEM;
		goto out;
	}
	ng = make_groups(r->cat, r->n, r->drawn, r->o->collapse, order, &norder, grp);
	if (ng == (size_t)-1) {
		rc = DC_ENOMEM;
		goto out;
	}
	total = ng;
	for (i = 0; i < r->n; i++)
		if (r->drawn[i] && grp[i] == DC_NO_ID) {
			grp[i] = (uint32_t)ng;
			total = ng + 1;
		}
	gi = calloc(total + 1, sizeof(*gi));
	src = malloc((r->m + 1) * sizeof(*src));
	dst = malloc((r->m + 1) * sizeof(*dst));
	if (!gi || !src || !dst) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < total; i++)
		gi[i].first = DC_NO_ID;
	for (i = 0; i < r->n; i++) {
		ginfo *x;
		int t = dc_service_tier(r->cat, (dc_id)i);
		if (!r->drawn[i])
			continue;
		x = &gi[grp[i]];
		if (x->first == DC_NO_ID)
			x->first = (dc_id)i;
		x->members++;
		if (t >= 1 && t <= 4 && (!x->tier || t < x->tier))
			x->tier = t;
		if (r->imp) {
			dc_state st = dc_impact_state(r->imp, (dc_id)i);
			x->down += st == DC_STATE_DOWN;
			x->degraded += st == DC_STATE_DEGRADED;
		}
	}
	for (i = 0; i < r->m; i++) {
		dc_id a = dc_dep_from(r->cat, i), b = dc_dep_to(r->cat, i);
		if (!r->drawn[a] || !r->drawn[b])
			continue;
		if (grp[a] == grp[b]) {
			gi[grp[a]].internal++;
			continue;
		}
		ge[ne].key = (uint64_t)grp[a] << 32 | grp[b];
		ge[ne++].soft = dc_dep_kind_of(r->cat, i) == DC_DEP_SOFT;
	}
	qsort(ge, ne, sizeof(*ge), cmp_gedge);
	/* one run per pair of groups */
	for (i = 0; i < ne;) {
		size_t j = i;
		uint32_t soft = 0;
		while (j < ne && ge[j].key == ge[i].key)
			soft += ge[j++].soft;
		gr[nr].key = ge[i].key;
		gr[nr].count = (uint32_t)(j - i);
		gr[nr++].soft = soft;
		i = j;
	}
	if (r->o->collapse_edges_max) {
		/* the strongest edges out of each group, then back in pair order */
		size_t k = 0, kept = 0;
		qsort(gr, nr, sizeof(*gr), cmp_grun_strongest);
		for (i = 0; i < nr; i++) {
			kept = i && gr[i].key >> 32 == gr[i - 1].key >> 32 ? kept + 1 : 1;
			if (kept <= r->o->collapse_edges_max)
				gr[k++] = gr[i];
		}
		nr = k;
		qsort(gr, nr, sizeof(*gr), cmp_grun_key);
	}
	for (i = 0; i < nr; i++) {
		src[nu] = (uint32_t)(gr[i].key >> 32);
		dst[nu++] = (uint32_t)gr[i].key;
	}
	if ((rc = shape_of(r, src, dst, nu, total, NULL)))
		goto out;
	if (total > 150)
		r->lr = 0;
	*nnodes = total;
	*nedges = nu;
	*lc = choose_layout(r, total, nu);
	if (format != DC_OUTPUT_DOT && (total > DC_RENDER_MAX_NODES ||
				      (!strcmp(lc->engine, "dot") && total > DC_RENDER_DOT_MAX))) {
		rc = DC_ELIMIT;
		goto out;
	}
	header(r, lc);
	for (i = 0; i < total; i++) {
		const ginfo *x = &gi[i];
		const char *name = i < ng ? group_key(r->cat, r->o->collapse, x->first, kb, sizeof(kb)) : none;
		const char *fill = tier_fill[x->tier], *line = tier_line[x->tier], *font = NULL;
		r->tiers_used[x->tier] = 1;
		if (r->imp) {
			fill = x->down ? C_DOWN_FILL : x->degraded ? C_DEGR_FILL : C_UP_FILL;
			line = x->down ? C_DOWN_LINE : x->degraded ? C_DEGR_LINE : tier_line[0];
			font = x->down ? "#ffffff" : NULL;
		}
		fputs("  ", fp);
		gv_quoted(fp, name);
		fprintf(fp, " [id=\"grp-%zu\", class=\"dc-group tier-", i);
		if (x->tier)
			fprintf(fp, "%d", x->tier);
		else
			fputs("none", fp);
		if (r->imp)
			fprintf(fp, " state-%s", x->down ? "down" : x->degraded ? "degraded" : "up");
		fputs("\", label=\"", fp);
		gv_escaped(fp, name);
		fprintf(fp, "\\n%zu service%s", x->members, x->members == 1 ? "" : "s");
		if (r->imp && (x->down || x->degraded))
			fprintf(fp, "\\n%zu down, %zu degraded", x->down, x->degraded);
		fputs("\", tooltip=\"", fp);
		gv_escaped(fp, name);
		fprintf(fp, "\\n%zu service%s, %zu dependenc%s inside", x->members, x->members == 1 ? "" : "s",
			x->internal, x->internal == 1 ? "y" : "ies");
		if (r->imp)
			fprintf(fp, "\\n%zu down, %zu degraded", x->down, x->degraded);
		fprintf(fp, "\", fillcolor=\"%s\", color=\"%s\", penwidth=1.6, margin=\"0.16,0.08\"", fill, line);
		if (font)
			fprintf(fp, ", fontcolor=\"%s\"", font);
		fputs("];\n", fp);
	}
	for (i = 0; i < nr; i++) {
		size_t soft = gr[i].soft, cnt = gr[i].count;
		uint32_t a = (uint32_t)(gr[i].key >> 32), b = (uint32_t)gr[i].key;
		const char *na, *nb;
		char kb2[512];
		na = a < ng ? group_key(r->cat, r->o->collapse, gi[a].first, kb, sizeof(kb)) : none;
		nb = b < ng ? group_key(r->cat, r->o->collapse, gi[b].first, kb2, sizeof(kb2)) : none;
		write_arrow(fp, na, nb, 0);
		fprintf(fp, " [id=\"ge-%u-%u\", class=\"dc-group-edge%s\", label=\"%zu\", penwidth=%.1f, "
			"weight=%zu, tooltip=\"%zu dependenc%s (%zu hard, %zu soft)\"%s];\n", a, b,
			soft == cnt ? " soft" : "", cnt, 0.8 + log2((double)cnt + 1) * 0.8, cnt < 100 ? cnt : 100,
			cnt, cnt == 1 ? "y" : "ies", cnt - soft, soft, soft == cnt ? ", style=dashed" : "");
	}
	legend(r, total);
	fputs("}\n", fp);
out:
	free(order);
	free(grp);
	free(ge);
	free(gr);
	free(gi);
	free(src);
	free(dst);
	return rc;
}

/* ---- API --------------------------------------------------------------------------------- */

int dc_render_group_parse(dc_render_group *out, const char *name)
{
	static const char *const names[] = { "none", "system", "owner", "tier", "zone" };
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name && !strcmp(name, names[i])) {
			*out = (dc_render_group)i;
			return 0;
		}
	return DC_EINVALID;
}

int dc_render_format_from_path(dc_output_format *out, const char *path)
{
	static const struct {
		const char *ext;
		dc_output_format format;
	} exts[] = { { ".svg", DC_OUTPUT_SVG }, { ".png", DC_OUTPUT_PNG }, { ".pdf", DC_OUTPUT_PDF },
		     { ".dot", DC_OUTPUT_DOT }, { ".gv", DC_OUTPUT_DOT } };
	const char *dot = path ? strrchr(path, '.') : NULL;
	size_t i;
	if (!out || !dot || strchr(dot, '/'))
		return DC_ENOTFOUND;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcmp(dot, exts[i].ext)) {
			*out = exts[i].format;
			return 0;
		}
	return DC_ENOTFOUND;
}

static int map_format(dc_output_format f)
{
	return f == DC_OUTPUT_DOT || f == DC_OUTPUT_SVG || f == DC_OUTPUT_PNG || f == DC_OUTPUT_PDF;
}

int dc_render_format_available(dc_output_format format)
{
	return map_format(format) && gv_format_available(format);
}

static int check_options(const dc_graph *g, const dc_render_options *o)
{
	size_t n = dc_graph_node_count(g);
	const dc_impact *imp = o->version >= 2 ? o->impact : NULL;
	if (!DC_OPTIONS_VERSION_OK(o->version, DC_RENDER_OPTIONS_VERSION))
		return DC_EINVALID;
	/* the seeds are marked on the caller's simulation: no simulation, no overlay */
	if (o->fail && !imp)
		return DC_EINVALID;
	/* the load overlay colours services by utilisation: not with the
	 * failure overlay's states, nor on groups */
	if (o->version >= 3 && o->overload &&
	    (imp || o->fail || o->collapse != DC_RENDER_GROUP_NONE || dc_overload_graph(o->overload) != g))
		return DC_EINVALID;
	if (o->collapse != DC_RENDER_GROUP_NONE) {
		if (o->collapse != DC_RENDER_GROUP_SYSTEM && o->collapse != DC_RENDER_GROUP_OWNER)
			return DC_EINVALID;
		if (o->cluster_by || o->plan || o->critical || o->highlight != DC_NO_ID || o->reduce > 0)
			return DC_EINVALID;
	}
	if (o->plan && o->cluster_by)
		return DC_EINVALID;
	if (o->highlight != DC_NO_ID && o->highlight >= n)
		return DC_EINVALID;
	if (o->critical && o->critical_from != DC_NO_ID && o->critical_from >= n)
		return DC_EINVALID;
	if (o->plan_only && !o->plan)
		return DC_EINVALID;
	return 0;
}

int dc_render(const dc_graph *g, const dc_render_options *opts, dc_output_format format, FILE *fp,
	      dc_render_stats *stats, dc_diags *diags)
{
	dc_render_options defaults = DC_RENDER_OPTIONS_INIT;
	const dc_render_options *o = opts ? opts : &defaults;
	char *buf = NULL, *lbuf = NULL; /* the DOT; the soft edges laid out after it */
	size_t len = 0, llen = 0, i, nnodes = 0, nedges = 0;
	layout_choice lc;
	rctx r;
	int rc, is_dot;

	if (!g || !fp || !map_format(format))
		return DC_EINVALID;
	if ((rc = check_options(g, o)))
		return rc;
	is_dot = format == DC_OUTPUT_DOT;
	if (!is_dot && !gv_format_available(format))
		return DC_ENOTFOUND;
	memset(&r, 0, sizeof(r));
	memset(&lc, 0, sizeof(lc));
	r.g = g;
	r.cat = dc_graph_catalog(g);
	r.o = o;
	r.n = dc_graph_node_count(g);
	r.m = dc_graph_edge_count(g);
	r.drawn = malloc(r.n + 1);
	r.dropped = calloc(r.m + 1, 1);
	if (!r.drawn || !r.dropped) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < r.n; i++)
		r.drawn[i] = !o->plan_only || dc_plan_wave_of(o->plan, (dc_id)i) != 0;
	r.imp = o->version >= 2 ? o->impact : NULL;
	r.ov = o->version >= 3 ? o->overload : NULL;
	if ((rc = prepare_critical(&r)) || (rc = prepare_highlight(&r)) || (rc = prepare_load(&r)))
		goto out;
	if (r.hl) /* the neighbourhood alone is drawn, and laid out for itself */
		for (i = 0; i < r.n; i++)
			r.drawn[i] = r.drawn[i] && r.hl[i];
	/* auto: reduce maps too big for the default layout (measured: 1,000
	 * services go from ~12 s to ~2 s of dot, and the drawing gets legible),
	 * and plans: an implied dependency orders nothing the path does not */
	if (o->reduce > 0 ||
	    (o->reduce == 0 && o->collapse == DC_RENDER_GROUP_NONE && (o->plan || big_map(&r)))) {
		if ((rc = reduce(&r)))
			goto out;
		keep_overlay_edges(&r);
	}

	/* write the DOT: to fp directly, or to memory for the layout */
	if (is_dot) {
		r.fp = fp;
	} else {
		r.fp = open_memstream(&buf, &len);
		if (!r.fp) {
			rc = DC_ENOMEM;
			goto out;
		}
	}
	if (o->collapse != DC_RENDER_GROUP_NONE) {
		rc = write_collapsed(&r, &nnodes, &nedges, &lc, format);
	} else {
		/* count what will be drawn, to choose the layout before writing */
		for (i = 0; i < r.n; i++) {
			const dc_id *to;
			size_t first, deg, j;
			if (!r.drawn[i])
				continue;
			nnodes++;
			deg = dc_graph_out(g, (dc_id)i, &to, &first);
			for (j = 0; j < deg; j++) {
				unsigned gid = dc_dep_group(r.cat, first + j);
				if (r.drawn[to[j]] && !r.dropped[first + j])
					nedges++;
				if (gid && r.drawn[to[j]] && j + 1 < deg && dc_dep_group(r.cat, first + j + 1) == gid &&
				    (j == 0 || dc_dep_group(r.cat, first + j - 1) != gid))
					nnodes++, nedges++; /* a junction (approximately: consecutive members) */
			}
		}
		lc = choose_layout(&r, nnodes, nedges);
		if (!is_dot && (nnodes > DC_RENDER_MAX_NODES ||
				(!strcmp(lc.engine, "dot") && nnodes > DC_RENDER_DOT_MAX)))
			rc = DC_ELIMIT;
		else if (!(rc = service_shape(&r))) {
			/* measured: dot's crossing minimisation costs ~3x more left to
			 * right on big maps; beyond the default tier, top-down */
			if (lc.tuned)
				r.lr = 0;
			/* the default layout of a plain map: layered in rows; laid
			 * out, its soft edges are routed once the rest is placed */
			if (!lc.tuned && !strcmp(lc.engine, "dot") && !o->plan &&
			    o->cluster_by == DC_RENDER_GROUP_NONE) {
				r.lr = 0;
				rc = layer_rows(&r);
				if (!rc && !is_dot) {
					r.later = open_memstream(&lbuf, &llen);
					if (!r.later)
						rc = DC_ENOMEM;
					else
						fputs("  graph [splines=true];\n", r.later);
				}
			}
			nedges = 0;
			if (!rc)
				rc = write_map(&r, &lc, &nedges);
			nnodes = r.junctions;
			for (i = 0; i < r.n; i++)
				nnodes += r.drawn[i];
		}
	}
	if (!is_dot) {
		if (fclose(r.fp) != 0 && !rc)
			rc = DC_ENOMEM;
		r.fp = NULL;
		if (!rc && !buf)
			rc = DC_ENOMEM;
		if (r.later && fclose(r.later) != 0 && !rc)
			rc = DC_ENOMEM;
		if (r.later && !rc && !lbuf)
			rc = DC_ENOMEM;
		r.later = NULL;
		if (!rc)
			rc = gv_layout_render_later(buf, r.nlater ? lbuf : NULL, lc.engine, format, fp, diags);
	} else if (!rc && ferror(fp)) {
		rc = DC_EIO;
	}
	if (stats) {
		stats->nodes = nnodes;
		stats->edges = nedges;
		stats->reduced = r.reduced;
		stats->engine = is_dot ? NULL : lc.engine;
		stats->strategy = lc.strategy;
	}
out:
	if (r.later)
		fclose(r.later);
	free(buf);
	free(lbuf);
	free(r.drawn);
	free(r.dropped);
	free(r.crit);
	free(r.crit_ms);
	free(r.hl);
	free(r.row);
	free(r.roworder);
	free(r.rowwrap);
	free(r.ldedge);
	free(r.ldadded);
	return rc;
}
