/*
 * critical.c - the latency critical path (docs/model.md; the model is in
 * include/depcheck/critical.h).
 *
 * The idea: total(v) only needs the totals of v's callees, so evaluating
 * the strongly connected components in Tarjan's order (providers first,
 * dc_scc_compute over all edges) computes every total in one pass with no
 * recursion. Calls inside a component are ignored, which is what makes the
 * condensation a DAG and the pass well defined.
 *
 * Per service, its calls are turned into "items": one per plain call, one
 * per any_of group (stage of the first member, cost of the fastest member
 * outside the caller's component). Items are ordered by (stage, position of
 * the call in the declaration); the first maximum of each stage is the
 * slowest call of that stage. The same helper serves the totals pass and
 * the chain, so both agree on every tie.
 *
 * Limits: a service with d calls costs O(d log d) (the sort); the chain is
 * a tree in which each service is expanded once, so it has at most one hop
 * per edge plus the root.
 */
#include <depcheck/critical.h>
#include <depcheck/reconcile.h>

#include "catalog_int.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* ---- types ------------------------------------------------------------- */

typedef struct {
	unsigned stage;     /* stage of the call (of a group: of its first member) */
	uint32_t pos;       /* declaration position: dependency index of the (first) member */
	uint32_t dep;       /* the dependency timed: for a group, its fastest member; NONE: none yet */
	double cost;        /* total of the callee */
} item;

struct dc_critical {
	const dc_graph *g;
	const dc_catalog *cat;
	size_t n, m;
	double *total;          /* n: total(v) */
	double *own;            /* n: own latency (declared, or from observed calls) */
	uint8_t *obs_lat;       /* n: 1 when own[v] comes from observed call latencies */
	uint8_t *ignored;       /* m: 1 for a call inside the caller's component */
	uint8_t *cyc;           /* n: 1 when the service has an ignored call */
	size_t nignored;
	uint32_t *group_item;   /* group id -> index in items while collecting, else NONE */
	size_t ngroups;
	item *items;            /* scratch: the calls of one service */
	size_t items_cap;
	uint8_t *expanded;      /* n: expanded in the chain being built (reset after) */
	dc_critical_hop *hops;  /* the last chain */
	size_t nhops, hops_cap;
	dc_critical_hop *stack; /* hops waiting to be emitted */
	size_t nstack, stack_cap;
};

/* ---- private helpers ------------------------------------------------------ */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 16;
	void *q;
	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const item *x = a, *y = b;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Fill cp->items with the timed calls of v, ordered by (stage, position).
 * Returns the count, or (size_t)-1 on out-of-memory. Callee totals must be
 * known for every call that is not ignored. */
static size_t collect(dc_critical *cp, dc_id v)
{
	const dc_id *to;
	size_t first, n = dc_graph_out(cp->g, v, &to, &first), i, k = 0, j;
	if (grow((void **)&cp->items, &cp->items_cap, n ? n : 1, sizeof(item)))
		return (size_t)-1;
	for (i = 0; i < n; i++) {
		size_t d = first + i;
		unsigned grp = dc_dep_group(cp->cat, d);
		double c = cp->total[to[i]];
		if (dc_dep_is_startup(cp->cat, d))
			continue; /* waited for at startup, never called on a request */
		if (!grp) {
			if (cp->ignored[d])
				continue;
			cp->items[k].stage = dc_dep_stage(cp->cat, d);
			cp->items[k].pos = (uint32_t)d;
			cp->items[k].dep = (uint32_t)d;
			cp->items[k].cost = c;
			k++;
			continue;
		}
		if (cp->group_item[grp] == NONE) {
			cp->group_item[grp] = (uint32_t)k;
			cp->items[k].stage = dc_dep_stage(cp->cat, d);
			cp->items[k].pos = (uint32_t)d;
			cp->items[k].dep = NONE;
			cp->items[k].cost = 0;
			k++;
		}
		if (!cp->ignored[d]) {
			item *it = &cp->items[cp->group_item[grp]];
			/* the fastest member; ties: the first declared */
			if (it->dep == NONE || c < it->cost) {
				it->dep = (uint32_t)d;
				it->cost = c;
			}
		}
	}
	for (i = 0; i < n; i++) {
		unsigned grp = dc_dep_group(cp->cat, first + i);
		if (grp)
			cp->group_item[grp] = NONE;
	}
	/* drop groups whose members are all inside the caller's cycle */
	for (i = j = 0; i < k; i++)
		if (cp->items[i].dep != NONE)
			cp->items[j++] = cp->items[i];
	k = j;
	/* items are in position order already; usually one stage */
	for (i = 1; i < k; i++)
		if (cp->items[i].stage < cp->items[i - 1].stage)
			break;
	if (i < k)
		qsort(cp->items, k, sizeof(item), item_cmp);
	return k;
}

/* Reduce sorted items to the slowest call per stage, in place (stage
 * ascending; ties: the first declared). Returns the number of stages. */
static size_t per_stage_max(item *it, size_t k)
{
	size_t i, ns = 0;
	for (i = 0; i < k; i++) {
		if (ns && it[ns - 1].stage == it[i].stage) {
			if (it[i].cost > it[ns - 1].cost)
				it[ns - 1] = it[i];
		} else {
			it[ns++] = it[i];
		}
	}
	return ns;
}

/* ---- API ------------------------------------------------------------------- */

int dc_critical_new(dc_critical **out, const dc_graph *g)
{
	dc_critical *cp;
	dc_scc *scc = NULL;
	size_t i, c, maxg = 0;
	int rc = DC_ENOMEM;

	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!g)
		return DC_EINVALID;
	if (!(cp = calloc(1, sizeof(*cp))))
		return DC_ENOMEM;
	cp->g = g;
	cp->cat = dc_graph_catalog(g);
	cp->n = dc_graph_node_count(g);
	cp->m = dc_graph_edge_count(g);
	for (i = 0; i < cp->m; i++)
		if (dc_dep_group(cp->cat, i) > maxg)
			maxg = dc_dep_group(cp->cat, i);
	cp->ngroups = maxg + 1;
	cp->total = calloc(cp->n ? cp->n : 1, sizeof(double));
	cp->own = calloc(cp->n ? cp->n : 1, sizeof(double));
	cp->obs_lat = calloc(cp->n ? cp->n : 1, 1);
	cp->ignored = calloc(cp->m ? cp->m : 1, 1);
	cp->cyc = calloc(cp->n ? cp->n : 1, 1);
	cp->expanded = calloc(cp->n ? cp->n : 1, 1);
	cp->group_item = malloc(cp->ngroups * sizeof(uint32_t));
	if (!cp->total || !cp->ignored || !cp->cyc || !cp->expanded || !cp->group_item || !cp->own ||
	    !cp->obs_lat)
		goto fail;
	/* observed latency (--observed): for a service that declares no
	 * latency, the slowest observed p50 of the calls into it stands for
	 * its total (docs/model.md, "Observed latency"); kept in own[] until
	 * the totals pass, -1 = none */
	for (i = 0; i < cp->n; i++)
		cp->own[i] = -1;
	for (i = 0; i < cp->m; i++) {
		dc_dep_traffic t;
		dc_id t_to = dc_dep_to(cp->cat, i);
		if (dc_dep_is_startup(cp->cat, i) || !dc_dep_observed(cp->cat, i, &t) || t.p50_ms < 0 ||
		    (cp->cat->svcs.items[t_to].explicit_attrs & SVC_EX_LATENCY))
			continue;
		if (t.p50_ms > cp->own[t_to])
			cp->own[t_to] = t.p50_ms;
	}
	memset(cp->group_item, 0xff, cp->ngroups * sizeof(uint32_t));
	if ((rc = dc_scc_compute(&scc, g, DC_EDGES_RUNTIME)))
		goto fail;
	for (i = 0; i < cp->m; i++) {
		dc_id f = dc_dep_from(cp->cat, i), t = dc_dep_to(cp->cat, i);
		if (dc_scc_of(scc, f) == dc_scc_of(scc, t) && !dc_dep_is_startup(cp->cat, i)) {
			cp->ignored[i] = 1;
			cp->cyc[f] = 1;
			cp->nignored++;
		}
	}
	/* components come providers first: every timed callee is done */
	for (c = 0; c < dc_scc_count(scc); c++) {
		const dc_id *mem;
		size_t nm = dc_scc_members(scc, (uint32_t)c, &mem), j;
		for (j = 0; j < nm; j++) {
			dc_id v = mem[j];
			size_t k = collect(cp, v), s, ns;
			double sum = 0;
			if (k == (size_t)-1) {
				rc = DC_ENOMEM;
				goto fail;
			}
			ns = per_stage_max(cp->items, k);
			for (s = 0; s < ns; s++)
				sum += cp->items[s].cost;
			{
				double obs = cp->own[v];
				cp->own[v] = dc_service_latency_ms(cp->cat, v);
				cp->total[v] = cp->own[v] + sum;
				if (obs > cp->total[v]) {
					/* observed: the calls into v took longer than the
					 * model says; the difference is v's own time */
					cp->own[v] = obs - sum;
					cp->total[v] = obs;
					cp->obs_lat[v] = 1;
				}
			}
		}
	}
	dc_scc_free(scc);
	*out = cp;
	return 0;
fail:
	dc_scc_free(scc);
	dc_critical_free(cp);
	return rc;
}

void dc_critical_free(dc_critical *cp)
{
	if (!cp)
		return;
	free(cp->total);
	free(cp->own);
	free(cp->obs_lat);
	free(cp->ignored);
	free(cp->cyc);
	free(cp->expanded);
	free(cp->group_item);
	free(cp->items);
	free(cp->hops);
	free(cp->stack);
	free(cp);
}

double dc_critical_total_ms(const dc_critical *cp, dc_id v)
{
	return cp && v < cp->n ? cp->total[v] : 0;
}

int dc_critical_latency_observed(const dc_critical *cp, dc_id v)
{
	return cp && v < cp->n ? cp->obs_lat[v] : 0;
}

size_t dc_critical_observed_count(const dc_critical *cp)
{
	size_t i, k = 0;
	for (i = 0; cp && i < cp->n; i++)
		k += cp->obs_lat[i];
	return k;
}

int dc_critical_call_ignored(const dc_critical *cp, size_t dep)
{
	return cp && dep < cp->m ? cp->ignored[dep] : 0;
}

size_t dc_critical_ignored_count(const dc_critical *cp)
{
	return cp ? cp->nignored : 0;
}

/* Depth first with an explicit stack: pop a hop, emit it, push its
 * children (the slowest call per stage) in reverse so that stage order
 * comes out. Each child's start is its caller's start plus the stages
 * before its own. */
int dc_critical_chain(dc_critical *cp, dc_id from, const dc_critical_hop **hops, size_t *n)
{
	dc_critical_hop root;
	size_t i;
	int rc = 0;
	if (!cp || !hops || !n || from >= cp->n)
		return DC_EINVALID;
	*hops = NULL;
	*n = 0;
	cp->nhops = 0;
	cp->nstack = 0;
	memset(&root, 0, sizeof(root));
	root.service = from;
	root.dep = NONE;
	root.parent = NONE;
	if (grow((void **)&cp->stack, &cp->stack_cap, 1, sizeof(dc_critical_hop)))
		return DC_ENOMEM;
	cp->stack[cp->nstack++] = root;
	while (cp->nstack) {
		dc_critical_hop h = cp->stack[--cp->nstack];
		dc_id v = h.service;
		size_t k, ns, s;
		double at;
		h.own_ms = cp->own[v];
		h.end_ms = h.start_ms + cp->total[v];
		h.repeated = cp->expanded[v];
		h.in_cycle = cp->cyc[v];
		if (grow((void **)&cp->hops, &cp->hops_cap, cp->nhops + 1, sizeof(dc_critical_hop))) {
			rc = DC_ENOMEM;
			break;
		}
		cp->hops[cp->nhops++] = h;
		if (h.repeated)
			continue;
		cp->expanded[v] = 1;
		k = collect(cp, v);
		if (k == (size_t)-1 ||
		    grow((void **)&cp->stack, &cp->stack_cap, cp->nstack + k + 1, sizeof(dc_critical_hop))) {
			rc = DC_ENOMEM;
			break;
		}
		ns = per_stage_max(cp->items, k);
		at = h.start_ms;
		for (s = 0; s < ns; s++) {
			dc_critical_hop *c = &cp->stack[cp->nstack + ns - 1 - s];
			memset(c, 0, sizeof(*c));
			c->dep = cp->items[s].dep;
			c->service = dc_dep_to(cp->cat, c->dep);
			c->parent = (uint32_t)(cp->nhops - 1);
			c->depth = h.depth + 1;
			c->stage = cp->items[s].stage;
			c->start_ms = at;
			at += cp->items[s].cost;
		}
		cp->nstack += ns;
	}
	for (i = 0; i < cp->nhops; i++)
		cp->expanded[cp->hops[i].service] = 0;
	if (rc)
		return rc;
	*hops = cp->hops;
	*n = cp->nhops;
	return 0;
}

/* ---- the chains to report ---------------------------------------------------- */

#include <math.h> /* here, with the only code that rounds */

struct dc_critical_paths {
	dc_critical *cp;       /* borrowed; its chain scratch is shared */
	dc_id *roots;
	size_t nroots;
	uint8_t *mark;         /* m: scratch, all 0 between calls */
	uint32_t *ign;         /* m: the last chain's ignored calls */
	size_t nign;
	uint32_t *all;         /* m: every chain's ignored calls, ascending */
	size_t nall;
};

typedef struct {
	double total;          /* rounded to the microsecond, as written */
	const char *name;
	dc_id id;
} root_key;

static int root_cmp(const void *pa, const void *pb)
{
	const root_key *a = pa, *b = pb;
	int c;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

/* The ignored calls of the hops' services, each once, in hop order. A
 * repeated hop adds nothing: its service was expanded earlier in the tree. */
static void chain_ignored(dc_critical_paths *p, const dc_critical_hop *h, size_t n)
{
	const dc_critical *cp = p->cp;
	size_t i, j, first, nd;
	const dc_id *to;
	p->nign = 0;
	for (i = 0; i < n; i++) {
		if (!h[i].in_cycle || h[i].repeated)
			continue;
		nd = dc_graph_out(cp->g, h[i].service, &to, &first);
		for (j = 0; j < nd; j++)
			if (cp->ignored[first + j] && !p->mark[first + j]) {
				p->mark[first + j] = 1;
				p->ign[p->nign++] = (uint32_t)(first + j);
			}
	}
	for (i = 0; i < p->nign; i++)
		p->mark[p->ign[i]] = 0;
}

int dc_critical_paths_chain(const dc_critical_paths *p, size_t i, const dc_critical_hop **hops, size_t *n,
			    const uint32_t **ignored, size_t *nignored)
{
	dc_critical_paths *mp = (dc_critical_paths *)p; /* scratch only */
	int rc;
	if (!p || !hops || !n || i >= p->nroots)
		return DC_EINVALID;
	if ((rc = dc_critical_chain(p->cp, p->roots[i], hops, n)))
		return rc;
	chain_ignored(mp, *hops, *n);
	if (ignored)
		*ignored = p->ign;
	if (nignored)
		*nignored = p->nign;
	return 0;
}

int dc_critical_paths_new(dc_critical_paths **out, dc_critical *cp, dc_id from)
{
	dc_critical_paths *p;
	root_key *k = NULL;
	uint8_t *any = NULL;
	size_t i, j, n;
	const dc_critical_hop *h;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!cp || (from != DC_NO_ID && from >= cp->n))
		return DC_EINVALID;
	if (!(p = calloc(1, sizeof(*p))))
		return DC_ENOMEM;
	p->cp = cp;
	p->roots = malloc((cp->n ? cp->n : 1) * sizeof(dc_id));
	p->mark = calloc(cp->m ? cp->m : 1, 1);
	p->ign = malloc((cp->m ? cp->m : 1) * sizeof(uint32_t));
	p->all = malloc((cp->m ? cp->m : 1) * sizeof(uint32_t));
	any = calloc(cp->m ? cp->m : 1, 1);
	k = malloc((cp->n ? cp->n : 1) * sizeof(*k));
	if (!p->roots || !p->mark || !p->ign || !p->all || !any || !k)
		goto nomem;
	if (from != DC_NO_ID) {
		p->roots[p->nroots++] = from;
	} else {
		for (i = 0; i < cp->n; i++)
			if (dc_service_is_entrypoint(cp->cat, (dc_id)i)) {
				k[p->nroots].total = round(cp->total[i] * 1000.0) / 1000.0;
				k[p->nroots].name = dc_service_name(cp->cat, (dc_id)i);
				k[p->nroots].id = (dc_id)i;
				p->nroots++;
			}
		qsort(k, p->nroots, sizeof(*k), root_cmp);
		for (i = 0; i < p->nroots; i++)
			p->roots[i] = k[i].id;
	}
	/* the union needs every chain once now; the writers extract them again */
	for (i = 0; i < p->nroots; i++) {
		if (dc_critical_paths_chain(p, i, &h, &n, NULL, NULL))
			goto nomem;
		for (j = 0; j < p->nign; j++)
			any[p->ign[j]] = 1;
	}
	for (i = 0; i < cp->m; i++)
		if (any[i])
			p->all[p->nall++] = (uint32_t)i;
	free(any);
	free(k);
	*out = p;
	return 0;
nomem:
	free(any);
	free(k);
	dc_critical_paths_free(p);
	return DC_ENOMEM;
}

void dc_critical_paths_free(dc_critical_paths *p)
{
	if (!p)
		return;
	free(p->roots);
	free(p->mark);
	free(p->ign);
	free(p->all);
	free(p);
}

const dc_critical *dc_critical_paths_critical(const dc_critical_paths *p) { return p->cp; }
size_t dc_critical_paths_count(const dc_critical_paths *p) { return p->nroots; }

dc_id dc_critical_paths_root(const dc_critical_paths *p, size_t i)
{
	return i < p->nroots ? p->roots[i] : DC_NO_ID;
}

size_t dc_critical_paths_ignored(const dc_critical_paths *p, const uint32_t **deps)
{
	*deps = p->all;
	return p->nall;
}
const dc_graph *dc_critical_paths_graph(const dc_critical_paths *p) { return p->cp->g; }
