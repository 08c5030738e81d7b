/*
 * impact.c - failure propagation (DESIGN.md §3).
 *
 * DOWN is a least fixpoint, computed with a worklist over the reverse rows:
 * when v goes down, each dependent u is reconsidered through the edge e:
 * a hard edge takes u down at once; a member edge of an any_of group
 * counts toward that group, and u goes down when the whole group is down
 * (a group with a soft member, e.g. `any_of: [...]` with `kind: soft`, only
 * ever degrades)
 * (member edges of one group are counted per distinct group id, using a
 * sparse counter keyed by group). Because only affected nodes are touched,
 * one run costs O(affected edges), not O(V+E), so repeated single-failure
 * runs stay cheap. DEGRADED is then everything not DOWN that reaches an
 * affected service through any edge (soft, hard or member), by a second
 * reverse BFS.
 */
#include <depcheck/impact.h>

#include "catalog_int.h"

struct dc_impact {
	const dc_graph *g;
	const dc_catalog *cat;
	size_t n;
	uint8_t *state;        /* dc_state per node */
	uint32_t *cause;       /* edge index or UINT32_MAX */
	dc_id *queue;          /* affected nodes in order reached */
	size_t qlen, ndown, ndeg;
	uint32_t *group_size;  /* group id -> number of member edges; 0 for a soft group */
	uint32_t *group_down;  /* group id -> members down in this run */
	uint32_t *touched;     /* group ids touched in this run (to reset) */
	size_t ntouched, ngroups;
};

int dc_impact_new(dc_impact **out, const dc_graph *g)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_impact *imp = calloc(1, sizeof(*imp));
	size_t n = dc_graph_node_count(g), i;
	*out = NULL;
	if (!imp)
		return DC_ENOMEM;
	imp->g = g;
	imp->cat = cat;
	imp->n = n;
	imp->ngroups = cat->next_group + 1;
	imp->state = calloc(n ? n : 1, 1);
	imp->cause = malloc((n ? n : 1) * sizeof(uint32_t));
	imp->queue = malloc((n ? n : 1) * sizeof(dc_id));
	imp->group_size = calloc(imp->ngroups, sizeof(uint32_t));
	imp->group_down = calloc(imp->ngroups, sizeof(uint32_t));
	imp->touched = malloc(imp->ngroups * sizeof(uint32_t));
	if (!imp->state || !imp->cause || !imp->queue || !imp->group_size || !imp->group_down ||
	    !imp->touched) {
		dc_impact_free(imp);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++)
		imp->cause[i] = UINT32_MAX;
	for (i = 0; i < cat->deps.len; i++)
		if (cat->deps.items[i].group)
			imp->group_size[cat->deps.items[i].group]++;
	/* a group with a soft member tolerates losing everything: it can only
	 * degrade its owner, so it never reaches its (zeroed) size */
	for (i = 0; i < cat->deps.len; i++)
		if (cat->deps.items[i].group && cat->deps.items[i].kind == DC_DEP_SOFT)
			imp->group_size[cat->deps.items[i].group] = 0;
	*out = imp;
	return 0;
}

void dc_impact_free(dc_impact *imp)
{
	if (!imp)
		return;
	free(imp->state);
	free(imp->cause);
	free(imp->queue);
	free(imp->group_size);
	free(imp->group_down);
	free(imp->touched);
	free(imp);
}

static void reset(dc_impact *imp)
{
	size_t i;
	for (i = 0; i < imp->qlen; i++) {
		imp->state[imp->queue[i]] = DC_STATE_UP;
		imp->cause[imp->queue[i]] = UINT32_MAX;
	}
	for (i = 0; i < imp->ntouched; i++)
		imp->group_down[imp->touched[i]] = 0;
	imp->qlen = imp->ndown = imp->ndeg = imp->ntouched = 0;
}

int dc_impact_run(dc_impact *imp, const dc_id *seeds, size_t nseeds,
		  const dc_id *degraded_seeds, size_t ndegraded)
{
	const dep_t *deps = imp->cat->deps.items;
	size_t i, head;
	reset(imp);
	for (i = 0; i < nseeds; i++) {
		dc_id v = seeds[i];
		if (v >= imp->n || imp->state[v] == DC_STATE_DOWN)
			continue;
		imp->state[v] = DC_STATE_DOWN;
		imp->queue[imp->qlen++] = v;
		imp->ndown++;
	}
	/* DOWN fixpoint */
	for (head = 0; head < imp->qlen; head++) {
		dc_id v = imp->queue[head];
		const dc_id *from;
		const uint32_t *edges;
		size_t k, cnt = dc_graph_in(imp->g, v, &from, &edges);
		for (k = 0; k < cnt; k++) {
			dc_id u = from[k];
			const dep_t *d = &deps[edges[k]];
			int down = 0;
			if (imp->state[u] == DC_STATE_DOWN)
				continue;
			if (d->group) {
				if (imp->group_down[d->group]++ == 0)
					imp->touched[imp->ntouched++] = d->group;
				down = imp->group_down[d->group] == imp->group_size[d->group];
			} else {
				down = d->kind == DC_DEP_HARD;
			}
			if (down) {
				imp->state[u] = DC_STATE_DOWN;
				imp->cause[u] = edges[k];
				imp->queue[imp->qlen++] = u;
				imp->ndown++;
			}
		}
	}
	/* DEGRADED: everything else that reaches an affected node */
	for (i = 0; i < ndegraded; i++) {
		dc_id v = degraded_seeds[i];
		if (v >= imp->n || imp->state[v] != DC_STATE_UP)
			continue;
		imp->state[v] = DC_STATE_DEGRADED;
		imp->queue[imp->qlen++] = v;
		imp->ndeg++;
	}
	for (head = 0; head < imp->qlen; head++) {
		dc_id v = imp->queue[head];
		const dc_id *from;
		const uint32_t *edges;
		size_t k, cnt = dc_graph_in(imp->g, v, &from, &edges);
		for (k = 0; k < cnt; k++) {
			dc_id u = from[k];
			if (imp->state[u] != DC_STATE_UP)
				continue;
			imp->state[u] = DC_STATE_DEGRADED;
			imp->cause[u] = edges[k];
			imp->queue[imp->qlen++] = u;
			imp->ndeg++;
		}
	}
	return 0;
}

dc_state dc_impact_state(const dc_impact *imp, dc_id v) { return (dc_state)imp->state[v]; }
uint32_t dc_impact_cause(const dc_impact *imp, dc_id v) { return imp->cause[v]; }
size_t dc_impact_down_count(const dc_impact *imp) { return imp->ndown; }
size_t dc_impact_degraded_count(const dc_impact *imp) { return imp->ndeg; }
size_t dc_impact_affected(const dc_impact *imp, const dc_id **ids)
{
	*ids = imp->queue;
	return imp->qlen;
}
