/*
 * impact.c - failure propagation (docs/model.md).
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
 * reverse BFS, except that a telemetry edge (dep_telemetry) passes only a
 * DOWN service's failure: a DEGRADED telemetry sink degrades nobody.
 *
 * Time to impact (dc_impact_run_timed) is computed over the sets found
 * above, never instead of them: the states stay the least fixpoint. The
 * times are the least solution of "min over the alternatives that take v
 * down (hard edge: t + cost; complete group: max over members of t + cost),
 * min over the affected dependencies that degrade it". Every operation is
 * monotone and never yields less than its inputs, which is what Knuth's
 * generalization of Dijkstra's algorithm needs: pop the smallest tentative
 * time from a binary heap, it is final; relax its dependents; a group
 * becomes a candidate when its last member is final. Entries are pushed
 * only on a strict improvement (lazy deletion: stale entries are skipped),
 * so a run costs O(affected edges · log affected). The heap key is
 * (time, node, edge), which keeps ties, and so the causes, deterministic.
 * The cause of a node is set when it is popped, so it always points at a
 * node finalized earlier: cause chains cannot loop, even with 0 ms hops.
 */
#include <depcheck/impact.h>

#include "catalog_int.h"

/* a tentative time for v, reached through edge e (UINT32_MAX: a seed) */
struct heap_ent {
	uint64_t t;
	dc_id v;
	uint32_t e;
};

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
	/* time to impact (allocated by the first timed run) */
	uint64_t *time;        /* per node: final or tentative ms, DC_TIME_NONE */
	uint8_t *fin;          /* per node: time is final */
	uint64_t *gmax;        /* group id -> max of t(member) + cost so far */
	uint32_t *gfin;        /* group id -> member edges final so far */
	uint32_t *garg;        /* group id -> the member edge achieving gmax */
	uint32_t *ttouched;    /* group ids touched by the timed run */
	size_t nttouched;
	DC_VEC(struct heap_ent) heap;  /* binary min-heap on (t, v, e) */
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
	/* startup-only members carry no runtime failure: not counted */
	for (i = 0; i < cat->deps.len; i++)
		if (cat->deps.items[i].group && dep_runtime(&cat->deps.items[i]))
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
	free(imp->time);
	free(imp->fin);
	free(imp->gmax);
	free(imp->gfin);
	free(imp->garg);
	free(imp->ttouched);
	dc_vec_free(&imp->heap);
	free(imp);
}

static void reset(dc_impact *imp)
{
	size_t i;
	for (i = 0; i < imp->qlen; i++) {
		imp->state[imp->queue[i]] = DC_STATE_UP;
		imp->cause[imp->queue[i]] = UINT32_MAX;
		if (imp->time) {
			imp->time[imp->queue[i]] = DC_TIME_NONE;
			imp->fin[imp->queue[i]] = 0;
		}
	}
	for (i = 0; i < imp->ntouched; i++)
		imp->group_down[imp->touched[i]] = 0;
	for (i = 0; i < imp->nttouched; i++)
		imp->gfin[imp->ttouched[i]] = 0;
	imp->qlen = imp->ndown = imp->ndeg = imp->ntouched = imp->nttouched = 0;
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
			if (imp->state[u] == DC_STATE_DOWN || !dep_runtime(d))
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
		int vdown = imp->state[v] == DC_STATE_DOWN;
		for (k = 0; k < cnt; k++) {
			dc_id u = from[k];
			const dep_t *d = &deps[edges[k]];
			if (imp->state[u] != DC_STATE_UP || !dep_runtime(d) || (!vdown && dep_telemetry(d)))
				continue;
			imp->state[u] = DC_STATE_DEGRADED;
			imp->cause[u] = edges[k];
			imp->queue[imp->qlen++] = u;
			imp->ndeg++;
		}
	}
	return 0;
}

/* an id out of range is an unaffected service: UP, no cause */
dc_state dc_impact_state(const dc_impact *imp, dc_id v) { return v < imp->n ? (dc_state)imp->state[v] : DC_STATE_UP; }
uint32_t dc_impact_cause(const dc_impact *imp, dc_id v) { return v < imp->n ? imp->cause[v] : UINT32_MAX; }
size_t dc_impact_down_count(const dc_impact *imp) { return imp->ndown; }
size_t dc_impact_degraded_count(const dc_impact *imp) { return imp->ndeg; }
size_t dc_impact_affected(const dc_impact *imp, const dc_id **ids)
{
	*ids = imp->queue;
	return imp->qlen;
}

/* ---- time to impact ---------------------------------------------------------- */

uint64_t dc_impact_edge_cost_ms(const dc_catalog *cat, size_t d, dc_failure_mode mode)
{
	const dep_t *dp;
	if (!cat || d >= cat->deps.len)
		return 0;
	dp = &cat->deps.items[d];
	/* how long one call can hang: min(timeout, tries x per-try timeout) when a
	 * per-try timeout is set, else timeout x tries (docs/model.md) */
	return mode == DC_FAILURE_ERROR ? 0 : cat_dep_hang_ms(cat, dp);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a >= DC_TIME_NONE - 1 - b ? DC_TIME_NONE - 1 : a + b;
}

static int heap_less(const struct heap_ent *a, const struct heap_ent *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	if (a->v != b->v)
		return a->v < b->v;
	return a->e < b->e;
}

static int heap_push(dc_impact *imp, uint64_t t, dc_id v, uint32_t e)
{
	struct heap_ent x = { t, v, e }, *h;
	size_t i;
	if (dc_vec_reserve(&imp->heap, 1))
		return DC_ENOMEM;
	h = imp->heap.items;
	i = imp->heap.len++;
	while (i > 0 && heap_less(&x, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
	return 0;
}

static struct heap_ent heap_pop(dc_impact *imp)
{
	struct heap_ent *h = imp->heap.items, top = h[0], x = h[--imp->heap.len];
	size_t i = 0, n = imp->heap.len;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && heap_less(&h[c + 1], &h[c]))
			c++;
		if (!heap_less(&h[c], &x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (n)
		h[i] = x;
	return top;
}

/* A better tentative time for v through edge e (UINT32_MAX: a seed). */
static int relax(dc_impact *imp, dc_id v, uint64_t t, uint32_t e)
{
	if (imp->fin[v] || t >= imp->time[v])
		return 0;
	imp->time[v] = t;
	return heap_push(imp, t, v, e);
}

static int alloc_timed(dc_impact *imp)
{
	size_t n = imp->n ? imp->n : 1, i;
	imp->time = malloc(n * sizeof(uint64_t));
	imp->fin = calloc(n, 1);
	imp->gmax = malloc(imp->ngroups * sizeof(uint64_t));
	imp->gfin = calloc(imp->ngroups, sizeof(uint32_t));
	imp->garg = malloc(imp->ngroups * sizeof(uint32_t));
	imp->ttouched = malloc(imp->ngroups * sizeof(uint32_t));
	if (!imp->time || !imp->fin || !imp->gmax || !imp->gfin || !imp->garg || !imp->ttouched) {
		free(imp->time);
		free(imp->fin);
		free(imp->gmax);
		free(imp->gfin);
		free(imp->garg);
		free(imp->ttouched);
		imp->time = NULL;
		imp->fin = NULL;
		imp->gmax = NULL;
		imp->gfin = imp->garg = imp->ttouched = NULL;
		return DC_ENOMEM;
	}
	for (i = 0; i < imp->n; i++)
		imp->time[i] = DC_TIME_NONE;
	return 0;
}

int dc_impact_run_timed(dc_impact *imp, const dc_id *seeds, size_t nseeds,
			const dc_id *degraded_seeds, size_t ndegraded, dc_failure_mode mode)
{
	const dep_t *deps = imp->cat->deps.items;
	size_t i;
	int rc;
	if (!imp->time && alloc_timed(imp))
		return DC_ENOMEM;
	if ((rc = dc_impact_run(imp, seeds, nseeds, degraded_seeds, ndegraded)))
		return rc;
	imp->heap.len = 0;
	/* the seeds that kept their seed state start at 0 (a degraded seed that
	 * went down through a dependency is timed by that dependency) */
	for (i = 0; i < nseeds; i++)
		if (seeds[i] < imp->n && (rc = relax(imp, seeds[i], 0, UINT32_MAX)))
			return rc;
	for (i = 0; i < ndegraded; i++)
		if (degraded_seeds[i] < imp->n && imp->state[degraded_seeds[i]] == DC_STATE_DEGRADED &&
		    (rc = relax(imp, degraded_seeds[i], 0, UINT32_MAX)))
			return rc;
	while (imp->heap.len) {
		struct heap_ent x = heap_pop(imp);
		dc_id u = x.v;
		const dc_id *from;
		const uint32_t *edges;
		size_t k, cnt;
		int udown;
		if (imp->fin[u])
			continue; /* stale */
		imp->fin[u] = 1;
		imp->cause[u] = x.e;
		udown = imp->state[u] == DC_STATE_DOWN;
		cnt = dc_graph_in(imp->g, u, &from, &edges);
		for (k = 0; k < cnt; k++) {
			dc_id v = from[k];
			uint32_t e = edges[k];
			const dep_t *d = &deps[e];
			if (imp->fin[v] || imp->state[v] == DC_STATE_UP || !dep_runtime(d))
				continue;
			if (imp->state[v] == DC_STATE_DEGRADED) {
				if (!udown && dep_telemetry(d))
					continue; /* a degraded telemetry sink degrades nobody */
				rc = relax(imp, v, udown ? add_sat(x.t, dc_impact_edge_cost_ms(imp->cat, e, mode)) : x.t, e);
			} else if (!udown) {
				continue; /* degradation never takes a service down */
			} else if (d->group) {
				uint32_t gsz = imp->group_size[d->group];
				uint64_t t = add_sat(x.t, dc_impact_edge_cost_ms(imp->cat, e, mode));
				if (!gsz)
					continue; /* a soft group only degrades */
				if (imp->gfin[d->group]++ == 0) {
					imp->ttouched[imp->nttouched++] = d->group;
					imp->gmax[d->group] = t;
					imp->garg[d->group] = e;
				} else if (t > imp->gmax[d->group]) {
					imp->gmax[d->group] = t;
					imp->garg[d->group] = e;
				}
				if (imp->gfin[d->group] != gsz)
					continue;
				rc = relax(imp, v, imp->gmax[d->group], imp->garg[d->group]);
			} else if (d->kind == DC_DEP_HARD) {
				rc = relax(imp, v, add_sat(x.t, dc_impact_edge_cost_ms(imp->cat, e, mode)), e);
			} else {
				continue;
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

uint64_t dc_impact_time_ms(const dc_impact *imp, dc_id v)
{
	return imp->time && v < imp->n ? imp->time[v] : DC_TIME_NONE;
}
