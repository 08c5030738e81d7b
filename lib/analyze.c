/*
 * analyze.c - the whole-catalog analysis behind `depcheck analyze`.
 *
 * Everything here is one or two linear passes over the CSR graph and its
 * condensations, in providers-first (or consumers-first) component order,
 * never a traversal per service: the per-service blast radii come from the
 * bit-parallel engine (lib/blast.c), cycles from the SCC numbering, depth
 * and the longest hard chain from a DP over the hard condensation, retry
 * amplification from a DP in the other direction. Results are sorted for
 * reporting with the service's name rank as the final tie-break, so the
 * output never depends on hash or thread order. On big graphs the analyses
 * that need no blast radius run on a second thread beside the sweep
 * ("the analyses beside the blast", below).
 */
#include <depcheck/analyze.h>

#include <pthread.h>
#include <unistd.h>

#include "analyze_int.h"
#include "blast_int.h"
#include "catalog_int.h"
#include "policy_int.h"

typedef DC_VEC(uint32_t) u32v;

typedef struct {
	u32v off;       /* ncycles+1, into members */
	u32v members;
	u32v eoff;      /* ncycles+1, into edges */
	u32v edges;
} cycles_t;

struct dc_analysis {
	const dc_graph *g;
	const dc_catalog *cat;
	size_t n, nentry, max_depth;
	dc_blast *blast;
	dc_rank_by rank_by;      /* the blast order's key */
	uint32_t *rank;          /* id -> position in name order */
	cycles_t cyc[3];         /* runtime edges, hard runtime edges, startup cycles */
	dc_id *blast_order;      /* n */
	u32v spofs;              /* ids, report order */
	uint32_t *spof_off;      /* n+1, entrypoints in name order */
	dc_id *spof_ep;
	u32v chain;
	dc_id *hub_ids[2];
	uint32_t *hub_cnt[2];
	size_t nhubs[2];
	DC_VEC(dc_amplification) amp;
	uint32_t *amp_edge;      /* per service: its component's best incoming edge (or UINT32_MAX) */
	DC_VEC(dc_timeout_violation) tv;
	size_t tv_default;       /* violations a default caller timeout would make: not reported */
	dc_overload_risks *risks; /* retry storm risks; NULL without declared traffic_rps */
};

/* ---- helpers ------------------------------------------------------------------ */

typedef struct {
	const char *name;
	uint32_t id;
} name_key;

static int cmp_name(const void *a, const void *b)
{
	const name_key *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* generic sort key: k1 desc, k2 desc, rank asc */
typedef struct {
	uint64_t k1, k2;
	uint32_t rank, id;
} key3;

static int cmp_key3(const void *a, const void *b)
{
	const key3 *x = a, *y = b;
	if (x->k1 != y->k1)
		return x->k1 > y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 > y->k2 ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The slot of a cycle set: DC_EDGES_ALL and DC_EDGES_RUNTIME are both the
 * cycles over runtime edges (the analyses follow no startup-only edge). */
static int cyc_slot(dc_edge_set edges)
{
	return edges == DC_EDGES_HARD_ONLY ? 1 : edges == DC_EDGES_STARTUP ? 2 : 0;
}

/* ---- cycles ------------------------------------------------------------------- */

typedef struct {
	uint32_t size, first_rank, comp;
} cyc_key;

static int cmp_cyc(const void *a, const void *b)
{
	const cyc_key *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return (x->first_rank > y->first_rank) - (x->first_rank < y->first_rank);
}

static int cmp_rank_of(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* The components of two or more members of `scc`, computed over the edges
 * `keep` marks, with those edges inside each one. need_startup: only the
 * components with a startup-only edge inside (startup cycles). */
static int find_cycles(dc_analysis *a, const dc_scc *scc, const uint8_t *keep, int need_startup,
		       cycles_t *out)
{
	size_t nc = dc_scc_count(scc), c, i, ncyc = 0;
	cyc_key *keys;
	uint64_t *tmp;
	const dep_t *deps = a->cat->deps.items;
	keys = malloc((nc ? nc : 1) * sizeof(*keys));
	tmp = malloc((a->n ? a->n : 1) * sizeof(uint64_t));
	if (!keys || !tmp || dc_vec_push(&out->off, 0) || dc_vec_push(&out->eoff, 0))
		goto nomem;
	for (c = 0; c < nc; c++) {
		const dc_id *mem;
		size_t sz = dc_scc_members(scc, (uint32_t)c, &mem);
		uint32_t best = UINT32_MAX;
		int startup = 0;
		if (sz < 2)
			continue;
		for (i = 0; i < sz; i++) {
			const dc_id *to;
			size_t first, cnt = dc_graph_out(a->g, mem[i], &to, &first), j;
			if (a->rank[mem[i]] < best)
				best = a->rank[mem[i]];
			for (j = 0; need_startup && j < cnt && !startup; j++)
				startup = keep[first + j] && !dep_runtime(&deps[first + j]) &&
					  dc_scc_of(scc, to[j]) == (uint32_t)c;
		}
		if (need_startup && !startup)
			continue;
		keys[ncyc].size = (uint32_t)sz;
		keys[ncyc].first_rank = best;
		keys[ncyc].comp = (uint32_t)c;
		ncyc++;
	}
	qsort(keys, ncyc, sizeof(*keys), cmp_cyc);
	for (c = 0; c < ncyc; c++) {
		const dc_id *mem;
		size_t sz = dc_scc_members(scc, keys[c].comp, &mem);
		for (i = 0; i < sz; i++)
			tmp[i] = (uint64_t)a->rank[mem[i]] << 32 | mem[i];
		qsort(tmp, sz, sizeof(uint64_t), cmp_rank_of);
		for (i = 0; i < sz; i++) {
			dc_id u = (dc_id)(tmp[i] & 0xffffffffu);
			const dc_id *to;
			size_t first, cnt = dc_graph_out(a->g, u, &to, &first), j;
			if (dc_vec_push(&out->members, u))
				goto nomem;
			for (j = 0; j < cnt; j++) {
				if (dc_scc_of(scc, to[j]) != keys[c].comp)
					continue;
				if (!keep[first + j])
					continue;
				if (dc_vec_push(&out->edges, (uint32_t)(first + j)))
					goto nomem;
			}
		}
		if (dc_vec_push(&out->off, (uint32_t)out->members.len) ||
		    dc_vec_push(&out->eoff, (uint32_t)out->edges.len))
			goto nomem;
	}
	free(keys);
	free(tmp);
	return 0;
nomem:
	free(keys);
	free(tmp);
	return DC_ENOMEM;
}

/* ---- longest hard chain --------------------------------------------------------- */

/* Where a chain through component c starts: the member that leaves
 * through the best edge, or (a sink) the member first by name. */
static dc_id chain_start(const dc_analysis *a, const dc_scc *hs, const uint32_t *via, size_t c)
{
	const dc_id *mem;
	size_t sz, k;
	dc_id v;
	if (via[c] != UINT32_MAX)
		return a->cat->deps.items[via[c]].from;
	sz = dc_scc_members(hs, (uint32_t)c, &mem);
	v = mem[0];
	for (k = 1; k < sz; k++)
		if (a->rank[mem[k]] < a->rank[v])
			v = mem[k];
	return v;
}

static int hard_chain(dc_analysis *a, const dc_scc *hs)
{
	size_t nc = dc_scc_count(hs), c, best_c = 0, k;
	uint32_t *depth = calloc(nc ? nc : 1, sizeof(uint32_t));
	uint32_t *via = malloc((nc ? nc : 1) * sizeof(uint32_t));  /* best edge out, or UINT32_MAX */
	const dep_t *deps = a->cat->deps.items;
	const uint8_t *hard = dc__graph_edge_mask(a->g, DC_EDGES_HARD_ONLY);  /* hard runtime, no group */
	if (!depth || !via) {
		free(depth);
		free(via);
		return DC_ENOMEM;
	}
	for (c = 0; c < nc; c++) {
		const dc_id *mem;
		size_t sz = dc_scc_members(hs, (uint32_t)c, &mem);
		uint32_t d = 1;
		via[c] = UINT32_MAX;
		for (k = 0; k < sz; k++) {
			const dc_id *to;
			size_t first, cnt = dc_graph_out(a->g, mem[k], &to, &first), j;
			for (j = 0; j < cnt; j++) {
				uint32_t cw = dc_scc_of(hs, to[j]);
				if (!hard[first + j] || cw == c)
					continue;
				if (depth[cw] + 1 > d ||
				    (depth[cw] + 1 == d && via[c] != UINT32_MAX &&
				     a->rank[to[j]] < a->rank[deps[via[c]].to])) {
					d = depth[cw] + 1;
					via[c] = (uint32_t)(first + j);
				}
			}
		}
		depth[c] = d;
		/* ties: the chain whose first service comes first by name */
		if (d > depth[best_c] ||
		    (d == depth[best_c] && a->rank[chain_start(a, hs, via, c)] <
					    a->rank[chain_start(a, hs, via, best_c)]))
			best_c = c;
	}
	if (nc) {
		dc_id v = chain_start(a, hs, via, best_c);
		if (dc_vec_push(&a->chain, v))
			goto nomem;
		c = best_c;
		while (via[c] != UINT32_MAX) {
			v = deps[via[c]].to;
			if (dc_vec_push(&a->chain, v))
				goto nomem;
			c = dc_scc_of(hs, v);
		}
	}
	free(depth);
	free(via);
	return 0;
nomem:
	free(depth);
	free(via);
	return DC_ENOMEM;
}

/* ---- hubs ---------------------------------------------------------------------- */

/* The first `top` of keys[0 .. m) in cmp_key3 order (a total order: the
 * rank breaks every tie), sorted, moved to the front; returns how many.
 * A heap of the best `top` so far, its root the worst of them: n log(top)
 * instead of sorting every service for ten rows. */
static int key3_worse(const key3 *x, const key3 *y) { return cmp_key3(x, y) > 0; }

static void key3_sift(key3 *h, size_t m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, w = i;
		key3 t;
		if (l < m && key3_worse(&h[l], &h[w]))
			w = l;
		if (l + 1 < m && key3_worse(&h[l + 1], &h[w]))
			w = l + 1;
		if (w == i)
			return;
		t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static size_t key3_top(key3 *keys, size_t m, size_t top)
{
	size_t i;
	if (top >= m / 4) {
		qsort(keys, m, sizeof(key3), cmp_key3);
		return m < top ? m : top;
	}
	for (i = top / 2; i-- > 0;)
		key3_sift(keys, top, i);
	for (i = top; i < m; i++)
		if (top && key3_worse(&keys[0], &keys[i])) {
			keys[0] = keys[i];
			key3_sift(keys, top, 0);
		}
	qsort(keys, top, sizeof(key3), cmp_key3);
	return top;
}

static int hubs(dc_analysis *a, size_t top)
{
	int dir;
	key3 *keys = malloc((a->n ? a->n : 1) * sizeof(key3));
	if (!keys)
		return DC_ENOMEM;
	for (dir = 0; dir < 2; dir++) {
		size_t i, m = 0;
		for (i = 0; i < a->n; i++) {
			const dc_id *x;
			const uint32_t *e;
			size_t cnt = dir ? dc_graph_out(a->g, (dc_id)i, &x, NULL)
					 : dc_graph_in(a->g, (dc_id)i, &x, &e);
			if (!cnt)
				continue;
			keys[m].k1 = cnt;
			keys[m].k2 = 0;
			keys[m].rank = a->rank[i];
			keys[m].id = (uint32_t)i;
			m++;
		}
		m = key3_top(keys, m, top);
		a->hub_ids[dir] = malloc((m ? m : 1) * sizeof(dc_id));
		a->hub_cnt[dir] = malloc((m ? m : 1) * sizeof(uint32_t));
		if (!a->hub_ids[dir] || !a->hub_cnt[dir]) {
			free(keys);
			return DC_ENOMEM;
		}
		for (i = 0; i < m; i++) {
			a->hub_ids[dir][i] = keys[i].id;
			a->hub_cnt[dir][i] = (uint32_t)keys[i].k1;
		}
		a->nhubs[dir] = m;
	}
	free(keys);
	return 0;
}

/* ---- retry amplification ----------------------------------------------------------
 * Per component of the all-edges condensation, consumers first: the factor
 * is 1 at an entrypoint, else the best caller's factor x (retries + 1).
 * Edges inside a component multiply by 1 when no retry is involved, so all
 * members share the factor; a retrying edge inside makes the component (and
 * everything it calls) unbounded. */

typedef struct {
	int unbounded;
	double factor;
	uint32_t rank, idx;
} amp_key;

static int cmp_amp(const void *a, const void *b)
{
	const amp_key *x = a, *y = b;
	if (x->unbounded != y->unbounded)
		return x->unbounded ? -1 : 1;
	if (x->factor != y->factor)
		return x->factor > y->factor ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Retries a descriptor wrote on the edge; a default (built-in or a file's
 * `defaults:`) counts as none, so that amplification never follows from
 * defaults alone (docs/model.md, "What an answer assumes"). */
/* Only retries written on the dependency (a descriptor, a mesh policy)
 * multiply: a default counts as 0 retries. */
static double written_factor(const dc_catalog *cat, const dep_t *d)
{
	return (d->flags & DEP_EX_RETRIES) ? cat_dep_factor(cat, d) : 1.0;
}

static int amplification(dc_analysis *a, const dc_scc *scc)
{
	const dep_t *deps = a->cat->deps.items;
	const uint8_t *runtime = dc__graph_edge_mask(a->g, DC_EDGES_RUNTIME);
	size_t nc = dc_scc_count(scc), i, m = 0;
	double *f = calloc(nc ? nc : 1, sizeof(double));    /* 0 = not reached */
	uint8_t *unb = calloc(nc ? nc : 1, 1);
	uint32_t *pred = malloc((nc ? nc : 1) * sizeof(uint32_t)); /* best incoming edge */
	uint32_t *plen = malloc((a->n ? a->n : 1) * sizeof(uint32_t)); /* path length - 1 */
	amp_key *keys = NULL;
	int rc = DC_ENOMEM;
	size_t c;
	a->amp_edge = malloc((a->n ? a->n : 1) * sizeof(uint32_t));
	if (!f || !unb || !pred || !plen || !a->amp_edge)
		goto out;
	for (c = nc; c-- > 0;) {
		const dc_id *mem;
		size_t sz = dc_scc_members(scc, (uint32_t)c, &mem), k;
		int self_retry = 0;
		pred[c] = UINT32_MAX;
		for (k = 0; k < sz; k++)
			if (dc_service_is_entrypoint(a->cat, mem[k]) && f[c] < 1)
				f[c] = 1;
		for (k = 0; k < sz; k++) {
			const dc_id *from;
			const uint32_t *edges;
			size_t cnt = dc_graph_in(a->g, mem[k], &from, &edges), j;
			for (j = 0; j < cnt; j++) {
				uint32_t cu = dc_scc_of(scc, from[j]);
				double x;
				if (!runtime[edges[j]])
					continue;
				if (cu == c) {
					self_retry |= written_factor(a->cat, &deps[edges[j]]) > 1;
					continue;
				}
				if (f[cu] == 0)
					continue;
				unb[c] |= unb[cu];
				/* written retries + 1, capped by a retry budget */
				x = f[cu] * written_factor(a->cat, &deps[edges[j]]);
				/* saturate: never inf */
				if (x > DC_AMPLIFICATION_MAX)
					x = DC_AMPLIFICATION_MAX;
				if (x > f[c] || (x == f[c] && pred[c] != UINT32_MAX && edges[j] < pred[c])) {
					f[c] = x;
					pred[c] = edges[j];
				}
			}
		}
		if (f[c] > 0 && self_retry)
			unb[c] = 1;
		/* one predecessor per service, not a path: the path is walked on
		 * demand (dc_analysis_amplification_path), so memory stays linear */
		for (k = 0; k < sz; k++) {
			a->amp_edge[mem[k]] = pred[c];
			plen[mem[k]] = 0;
			if (pred[c] != UINT32_MAX) {
				const dep_t *d = &deps[pred[c]];
				plen[mem[k]] = (uint32_t)(d->to != mem[k]) + 1 + plen[d->from];
			}
		}
	}
	keys = malloc((a->n ? a->n : 1) * sizeof(amp_key));
	if (!keys)
		goto out;
	for (i = 0; i < a->n; i++) {
		uint32_t ci = dc_scc_of(scc, (dc_id)i);
		if (f[ci] == 0 || (f[ci] <= 1 && !unb[ci]))
			continue;
		keys[m].unbounded = unb[ci];
		keys[m].factor = f[ci];
		keys[m].rank = a->rank[i];
		keys[m].idx = (uint32_t)i;
		m++;
	}
	qsort(keys, m, sizeof(amp_key), cmp_amp);
	if (dc_vec_reserve(&a->amp, m + 1))
		goto out;
	for (i = 0; i < m; i++) {
		dc_amplification r;
		dc_id v = keys[i].idx;
		r.service = v;
		r.unbounded = keys[i].unbounded;
		r.factor = keys[i].factor;
		r.path = NULL;   /* walked on demand: dc_analysis_amplification_path() */
		r.path_len = (size_t)plen[v] + 1;
		a->amp.items[a->amp.len++] = r;
	}
	rc = 0;
out:
	free(plen);
	free(keys);
	free(f);
	free(unb);
	free(pred);
	return rc;
}

/* ---- timeout budget ---------------------------------------------------------------- */

static int cmp_stage(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

static int cmp_tv(const void *a, const void *b)
{
	const dc_timeout_violation *x = a, *y = b;
	double sx = x->needed_ms - x->timeout_ms, sy = y->needed_ms - y->timeout_ms;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return (x->dep > y->dep) - (x->dep < y->dep);
}

static int timeout_budget(dc_analysis *a)
{
	const dep_t *deps = a->cat->deps.items;
	size_t i, m = a->cat->deps.len;
	double *needed = malloc((a->n ? a->n : 1) * sizeof(double));
	DC_VEC(uint64_t) st = {0};
	if (!needed)
		return DC_ENOMEM;
	for (i = 0; i < a->n; i++) {
		size_t first = dc_service_dep_first(a->cat, (dc_id)i);
		size_t cnt = dc_service_dep_count(a->cat, (dc_id)i), j;
		double total = dc_service_latency_ms(a->cat, (dc_id)i), stage_max = 0;
		/* (stage, cost) pairs sorted by stage: sum of per-stage maxima */
		st.len = 0;
		for (j = 0; j < cnt; j++) {
			const dep_t *d = &deps[first + j];
			uint64_t cost = cat_dep_hang_ms(a->cat, d);
			if (!dep_runtime(d))
				continue;
			if (cost > 0xffffffffu)
				cost = 0xffffffffu;
			if (dc_vec_push(&st, (uint64_t)d->stage << 32 | cost)) {
				free(needed);
				dc_vec_free(&st);
				return DC_ENOMEM;
			}
		}
		/* a handful of pairs: insertion sort (the same order as qsort's:
		 * the pairs are compared whole); a long list: qsort */
		if (st.len > 16)
			qsort(st.items, st.len, sizeof(uint64_t), cmp_stage);
		else
			for (j = 1; j < st.len; j++) {
				uint64_t x = st.items[j];
				size_t k = j;
				for (; k > 0 && st.items[k - 1] > x; k--)
					st.items[k] = st.items[k - 1];
				st.items[k] = x;
			}
		for (j = 0; j < st.len; j++) {
			double cost = (double)(st.items[j] & 0xffffffffu);
			if (j && (st.items[j] >> 32) != (st.items[j - 1] >> 32)) {
				total += stage_max;
				stage_max = 0;
			}
			if (cost > stage_max)
				stage_max = cost;
		}
		needed[i] = total + stage_max;
	}
	dc_vec_free(&st);
	for (i = 0; i < m; i++) {
		dc_timeout_violation v;
		v.dep = (uint32_t)i;
		v.timeout_ms = deps[i].timeout_ms;
		v.needed_ms = needed[deps[i].to];
		if (!(v.timeout_ms <= v.needed_ms) || !dep_runtime(&deps[i]))
			continue;
		/* a timeout nobody wrote is no decision to judge: counted, not reported */
		if (!(deps[i].flags & DEP_EX_TIMEOUT)) {
			a->tv_default++;
			continue;
		}
		if (dc_vec_push(&a->tv, v)) {
			free(needed);
			return DC_ENOMEM;
		}
	}
	free(needed);
	if (a->tv.len > 1)
		qsort(a->tv.items, a->tv.len, sizeof(dc_timeout_violation), cmp_tv);
	return 0;
}

/* ---- blast order and SPOFs ------------------------------------------------------------ */

/* The SPOF entrypoint lists of services [i0, i1) in name order (the
 * blast keeps them by id); tmp holds the longest. */
static void spof_lists(dc_analysis *a, size_t i0, size_t i1, uint64_t *tmp)
{
	size_t i;
	for (i = i0; i < i1; i++) {
		const dc_id *eps;
		size_t ne = dc_blast_spof_entrypoints(a->blast, (dc_id)i, &eps), k, j;
		for (k = 0; k < ne; k++)
			tmp[k] = (uint64_t)a->rank[eps[k]] << 32 | eps[k];
		if (ne > 24) {
			qsort(tmp, ne, sizeof(uint64_t), cmp_rank_of);
		} else {
			/* a short list: insertion (the keys are distinct) */
			for (k = 1; k < ne; k++) {
				uint64_t x = tmp[k];
				for (j = k; j > 0 && tmp[j - 1] > x; j--)
					tmp[j] = tmp[j - 1];
				tmp[j] = x;
			}
		}
		for (k = 0; k < ne; k++)
			a->spof_ep[a->spof_off[i] + k] = (dc_id)(tmp[k] & 0xffffffffu);
	}
}

typedef struct {
	dc_analysis *a;
	uint64_t *tmp;
	size_t i0, i1;  /* the SPOF lists it sorts */
	int rc;
} order_job;

/* the order simulate --each reports too (dc_blast_order_by), with the
 * name ranks at hand instead of the names; then its share of the lists */
static void *order_main(void *arg)
{
	order_job *j = arg;
	if (j->a->blast_order)
		j->rc = blast_order_ranked(j->a->blast, j->a->rank_by, j->a->rank, j->a->blast_order);
	spof_lists(j->a, j->i0, j->i1, j->tmp);
	return NULL;
}

/* The blast order (where the report reads it: parts) and the SPOFs;
 * two_threads: the order and half of the SPOFs' entrypoint lists on a
 * second thread while this one sorts the SPOFs and the other half. */
static int blast_and_spofs(dc_analysis *a, unsigned parts, int two_threads)
{
	size_t i, total = 0, m = 0, half;
	key3 *keys = malloc((a->n ? a->n : 1) * sizeof(key3));
	uint64_t *tmp = NULL, *tmp2 = NULL;
	order_job job;
	pthread_t th;
	int started = 0;
	a->spof_off = calloc(a->n + 1, sizeof(uint32_t));
	/* the order simulate --each reports too (blast_order_ranked: the same
	 * as dc_blast_order_by's), where the report reads it */
	if ((parts & DC__AN_REPORT) && !(a->blast_order = malloc((a->n ? a->n : 1) * sizeof(dc_id))))
		goto nomem;
	if (!keys || !a->spof_off)
		goto nomem;
	/* SPOFs: most entrypoints first; entrypoint lists in name order */
	for (i = 0; i < a->n; i++) {
		const dc_id *eps;
		size_t ne = dc_blast_spof_entrypoints(a->blast, (dc_id)i, &eps);
		a->spof_off[i + 1] = (uint32_t)(a->spof_off[i] + ne);
		if (ne > 0) {
			keys[m].k1 = dc_blast_spof_total(a->blast, (dc_id)i);
			keys[m].k2 = dc_blast_down(a->blast, (dc_id)i);
			keys[m].rank = a->rank[i];
			keys[m].id = (uint32_t)i;
			m++;
		}
		if (ne > total)
			total = ne;
	}
	a->spof_ep = malloc((a->spof_off[a->n] ? a->spof_off[a->n] : 1) * sizeof(dc_id));
	tmp = malloc((total ? total : 1) * sizeof(uint64_t));
	tmp2 = malloc((total ? total : 1) * sizeof(uint64_t));
	if (!a->spof_ep || !tmp || !tmp2 || dc_vec_reserve(&a->spofs, m + 1))
		goto nomem;
	/* the lists split where half of their entries lie */
	for (half = 0; half < a->n && a->spof_off[half] < a->spof_off[a->n] / 2; half++)
		;
	job.a = a;
	job.tmp = tmp2;
	job.i0 = half;
	job.i1 = a->n;
	job.rc = 0;
	if (two_threads)
		started = pthread_create(&th, NULL, order_main, &job) == 0;
	spof_lists(a, 0, half, tmp);
	qsort(keys, m, sizeof(key3), cmp_key3);
	for (i = 0; i < m; i++)
		a->spofs.items[a->spofs.len++] = keys[i].id;
	if (started)
		pthread_join(th, NULL);
	else
		order_main(&job);
	free(tmp);
	free(tmp2);
	free(keys);
	return job.rc;
nomem:
	free(tmp);
	free(tmp2);
	free(keys);
	return DC_ENOMEM;
}

/* ---- the analyses beside the blast ------------------------------------------------
 * The name ranks, the cycles, the depth, the longest hard chain, the hubs,
 * the retry amplification and the timeout budgets need nothing of the
 * blast radii: on a big graph (and threads != 1) they run on a second
 * thread while dc_blast_compute_ex builds its positions and sweeps, whose
 * preparation and estimate are one thread long. Both only read the graph
 * and the catalog (immutable once built: no cache is filled on use) and
 * write disjoint results: this thread the fields of the analysis below,
 * the blast its own dc_blast. The results are the same either way. */

#define ANALYZE_SIDE_MIN 4096  /* below this many services, no second thread */

static int forced_side;  /* test hook: 1 = always a second thread, -1 = never */

void analyze_set_side_thread(int mode) { forced_side = mode; }

static int side_analyses(dc_analysis *a, size_t top, unsigned parts)
{
	dc_scc *all = NULL, *hard = NULL, *cold = NULL;
	name_key *names = malloc((a->n ? a->n : 1) * sizeof(name_key));
	const dc_graph *g = a->g;
	const uint8_t *runtime = dc__graph_edge_mask(g, DC_EDGES_RUNTIME);
	size_t i;
	int rc = DC_ENOMEM, startup;
	a->rank = malloc((a->n ? a->n : 1) * sizeof(uint32_t));
	if (!a->rank || !names)
		goto out;
	for (i = 0; i < a->n; i++) {
		names[i].name = dc_service_name(a->cat, (dc_id)i);
		names[i].id = (uint32_t)i;
		a->nentry += dc_service_is_entrypoint(a->cat, (dc_id)i) != 0;
	}
	qsort(names, a->n, sizeof(name_key), cmp_name);
	for (i = 0; i < a->n; i++)
		a->rank[names[i].id] = (uint32_t)i;
	free(names);
	names = NULL;
	/* a startup cycle has a startup-only edge inside: without any, there
	 * is none, and no third numbering to compute */
	for (i = 0; i < dc_graph_edge_count(g) && runtime[i]; i++)
		;
	startup = i < dc_graph_edge_count(g);
	/* each part only when asked for (dc_check asks for what its rules read) */
	if (((parts & (DC__AN_CYCLES | DC__AN_AMP | DC__AN_REPORT)) && dc_scc_compute(&all, g, DC_EDGES_RUNTIME)) ||
	    ((parts & (DC__AN_HARD_CYCLES | DC__AN_REPORT)) && dc_scc_compute(&hard, g, DC_EDGES_HARD_ONLY)) ||
	    ((parts & DC__AN_STARTUP_CYCLES) && startup && dc_scc_compute(&cold, g, DC_EDGES_STARTUP)))
		goto out;
	if (parts & DC__AN_REPORT)
		a->max_depth = dc_scc_depth(all, g);
	if (((parts & DC__AN_CYCLES) && find_cycles(a, all, runtime, 0, &a->cyc[0])) ||
	    ((parts & DC__AN_HARD_CYCLES) &&
	     find_cycles(a, hard, dc__graph_edge_mask(g, DC_EDGES_HARD_ONLY), 0, &a->cyc[1])) ||
	    ((parts & DC__AN_STARTUP_CYCLES) &&
	     (startup ? find_cycles(a, cold, dc__graph_edge_mask(g, DC_EDGES_STARTUP), 1, &a->cyc[2])
		      : dc_vec_push(&a->cyc[2].off, 0) || dc_vec_push(&a->cyc[2].eoff, 0))) ||
	    ((parts & DC__AN_REPORT) && (hard_chain(a, hard) || hubs(a, top))) ||
	    ((parts & DC__AN_AMP) && amplification(a, all)) || ((parts & DC__AN_TIMEOUTS) && timeout_budget(a)))
		goto out;
	rc = 0;
out:
	free(names);
	dc_scc_free(all);
	dc_scc_free(hard);
	dc_scc_free(cold);
	return rc;
}

typedef struct {
	dc_analysis *a;
	size_t top;
	unsigned parts;
	int rc;
} side_job;

static void *side_main(void *arg)
{
	side_job *j = arg;
	j->rc = side_analyses(j->a, j->top, j->parts);
	return NULL;
}

/* A second thread for side_analyses: the test hook, else threads == 1
 * never, else a graph big enough to pay for it and a second CPU (threads
 * 0: online; threads >= 2: asked for). */
static int want_side_thread(const dc_analyze_options *opts, size_t n)
{
	unsigned threads = opts && opts->version >= 2 ? opts->threads : 0;
	if (forced_side)
		return forced_side > 0;
	if (threads == 1 || n < ANALYZE_SIDE_MIN)
		return 0;
	return threads >= 2 || sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* ---- API --------------------------------------------------------------------------- */

int dc_analyze(dc_analysis **out, const dc_graph *g, const dc_analyze_options *opts)
{
	return dc__analyze_parts(out, g, opts, DC__AN_ALL);
}

int dc__analyze_parts(dc_analysis **out, const dc_graph *g, const dc_analyze_options *opts, unsigned parts)
{
	dc_analysis *a;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_blast *blast = NULL;
	side_job job;
	pthread_t th;
	int side = 0, brc, blast_wanted;
	size_t i, top = opts && opts->hubs ? opts->hubs : 10;
	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_ANALYZE_OPTIONS_VERSION))
		return DC_EINVALID;
	/* version 3 adds the ranking and the traffic */
	if (opts && opts->version >= 3) {
		bo.traffic = opts->traffic;
		if ((opts->rank_by != DC_RANK_BLAST && opts->rank_by != DC_RANK_TRAFFIC) ||
		    (opts->traffic && dc_traffic_count(opts->traffic) != dc_graph_node_count(g)))
			return DC_EINVALID;
	}
	if (!(a = calloc(1, sizeof(*a))))
		return DC_ENOMEM;
	a->rank_by = opts && opts->version >= 3 ? opts->rank_by : DC_RANK_BLAST;
	a->g = g;
	a->cat = dc_graph_catalog(g);
	a->n = dc_graph_node_count(g);
	/* version 1 options end before `threads` */
	bo.threads = opts && opts->version >= 2 ? opts->threads : 0;
	/* version 6: no DEGRADED counts at all (nothing to estimate then) */
	if (opts && opts->version >= 6 && (opts->flags & DC_ANALYZE_NO_DEGRADED))
		bo.flags |= DC_BLAST_NO_DEGRADED;
	/* version 5: DEGRADED estimated below the ranks shown */
	else if (opts && opts->version >= 5 && opts->exact_top && a->rank_by == DC_RANK_BLAST) {
		bo.flags |= DC_BLAST_ESTIMATE;
		bo.exact_top = opts->exact_top;
	}
	/* no SPOF entrypoints (nor traffic lost) where nothing reads them */
	if (!(parts & (DC__AN_SPOFS | DC__AN_REPORT)))
		bo.flags |= DC_BLAST_NO_SPOFS;
	blast_wanted = (parts & (DC__AN_BLAST | DC__AN_SPOFS | DC__AN_REPORT)) != 0;
	job.a = a;
	job.top = top;
	job.parts = parts;
	job.rc = 0;
	/* a thread that cannot be started: the same work on this one */
	if (blast_wanted && want_side_thread(opts, a->n))
		side = pthread_create(&th, NULL, side_main, &job) == 0;
	if (!side)
		job.rc = side_analyses(a, top, parts);
	/* without the second thread, a failure there stops here (with it,
	 * job.rc is the thread's until the join) */
	brc = !blast_wanted || (!side && job.rc) ? 0 : dc_blast_compute_ex(&blast, g, &bo);
	if (side)
		pthread_join(th, NULL);
	a->blast = blast;
	if (job.rc || brc || (blast_wanted && blast_and_spofs(a, parts, side)))
		goto nomem;
	/* retry storm risks, where the load model has traffic to carry */
	for (i = 0; (parts & DC__AN_LOAD) && i < a->n; i++)
		if (dc_service_traffic_rps(a->cat, (dc_id)i) > 0)
			break;
	if ((parts & DC__AN_LOAD) && i < a->n) {
		dc_overload_risk_options ro = DC_OVERLOAD_RISK_OPTIONS_INIT;
		ro.solves = opts && opts->version >= 4 ? opts->load_solves : 0;
		/* a solve costs tens of passes over the graph: past this size
		 * analyze gives the linear bounds only (simulate --load solves) */
		ro.max_solve_size = DC_ANALYZE_LOAD_SOLVE_SIZE;
		if (dc_overload_risks_compute(&a->risks, g, &ro))
			goto nomem;
	}
	*out = a;
	return 0;
nomem:
	dc_analysis_free(a);
	return DC_ENOMEM;
}

void dc_analysis_free(dc_analysis *a)
{
	int k;
	if (!a)
		return;
	dc_blast_free(a->blast);
	free(a->rank);
	for (k = 0; k < 3; k++) {
		dc_vec_free(&a->cyc[k].off);
		dc_vec_free(&a->cyc[k].members);
		dc_vec_free(&a->cyc[k].eoff);
		dc_vec_free(&a->cyc[k].edges);
	}
	for (k = 0; k < 2; k++) {
		free(a->hub_ids[k]);
		free(a->hub_cnt[k]);
	}
	free(a->blast_order);
	dc_vec_free(&a->spofs);
	free(a->spof_off);
	free(a->spof_ep);
	dc_vec_free(&a->chain);
	dc_vec_free(&a->amp);
	free(a->amp_edge);
	dc_vec_free(&a->tv);
	dc_overload_risks_free(a->risks);
	free(a);
}

const dc_overload_risks *dc_analysis_load_risks(const dc_analysis *a) { return a ? a->risks : NULL; }

size_t dc_analysis_entrypoint_count(const dc_analysis *a) { return a->nentry; }

size_t dc_analysis_cycle_count(const dc_analysis *a, dc_edge_set edges)
{
	const cycles_t *c = &a->cyc[cyc_slot(edges)];
	return c->off.len ? c->off.len - 1 : 0;
}

size_t dc_analysis_cycle_members(const dc_analysis *a, dc_edge_set edges, size_t i, const dc_id **members)
{
	const cycles_t *c = &a->cyc[cyc_slot(edges)];
	if (i >= dc_analysis_cycle_count(a, edges)) {
		*members = NULL;
		return 0;
	}
	*members = c->members.items + c->off.items[i];
	return c->off.items[i + 1] - c->off.items[i];
}

size_t dc_analysis_cycle_edges(const dc_analysis *a, dc_edge_set edges, size_t i, const uint32_t **deps)
{
	const cycles_t *c = &a->cyc[cyc_slot(edges)];
	if (i >= dc_analysis_cycle_count(a, edges)) {
		*deps = NULL;
		return 0;
	}
	*deps = c->edges.items + c->eoff.items[i];
	return c->eoff.items[i + 1] - c->eoff.items[i];
}

const dc_blast *dc_analysis_blast(const dc_analysis *a) { return a->blast; }
dc_rank_by dc_analysis_rank_by(const dc_analysis *a) { return a->rank_by; }

size_t dc_analysis_blast_order(const dc_analysis *a, const dc_id **ids)
{
	*ids = a->blast_order;
	return a->blast_order ? a->n : 0; /* (dc__analyze_parts without the report's part) */
}

size_t dc_analysis_spofs(const dc_analysis *a, const dc_id **ids)
{
	*ids = a->spofs.items;
	return a->spofs.len;
}

size_t dc_analysis_spof_entrypoints(const dc_analysis *a, dc_id s, const dc_id **eps)
{
	if (s >= a->n || !a->spof_ep) {
		*eps = NULL;
		return 0;
	}
	*eps = a->spof_ep + a->spof_off[s];
	return a->spof_off[s + 1] - a->spof_off[s];
}

size_t dc_analysis_spof_total(const dc_analysis *a, dc_id s)
{
	return s < a->n && a->blast ? dc_blast_spof_total(a->blast, s) : 0;
}

size_t dc_analysis_max_depth(const dc_analysis *a) { return a->max_depth; }

size_t dc_analysis_longest_hard_chain(const dc_analysis *a, const dc_id **chain)
{
	*chain = a->chain.items;
	return a->chain.len;
}

size_t dc_analysis_hubs(const dc_analysis *a, dc_hub_kind kind, const dc_id **ids, const uint32_t **counts)
{
	int k = kind == DC_HUBS_FAN_OUT;
	*ids = a->hub_ids[k];
	if (counts)
		*counts = a->hub_cnt[k];
	return a->nhubs[k];
}

size_t dc_analysis_amplification(const dc_analysis *a, const dc_amplification **amp)
{
	*amp = a->amp.items;
	return a->amp.len;
}

size_t dc_analysis_amplification_path(const dc_analysis *a, size_t i, dc_id *buf, size_t cap)
{
	const dep_t *deps = a->cat->deps.items;
	size_t len, k;
	dc_id x;
	if (i >= a->amp.len)
		return 0;
	len = a->amp.items[i].path_len;
	x = a->amp.items[i].service;
	/* walk the predecessors back to an entrypoint, filling from the end */
	k = len;
	if (--k < cap)
		buf[k] = x;
	while (a->amp_edge[x] != UINT32_MAX && k > 0) {
		const dep_t *d = &deps[a->amp_edge[x]];
		if (d->to != x && --k < cap)
			buf[k] = d->to;
		if (k > 0 && --k < cap)
			buf[k] = d->from;
		x = d->from;
	}
	return len;
}

uint32_t dc__analysis_amp_edge(const dc_analysis *a, dc_id s)
{
	return a && a->amp_edge && s < a->n ? a->amp_edge[s] : UINT32_MAX;
}

size_t dc_analysis_timeout_violations(const dc_analysis *a, const dc_timeout_violation **v)
{
	*v = a->tv.items;
	return a->tv.len;
}

size_t dc_analysis_timeout_default_count(const dc_analysis *a) { return a->tv_default; }

const dc_graph *dc_analysis_graph(const dc_analysis *a) { return a ? a->g : NULL; }
