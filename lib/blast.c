/*
 * blast.c - every service's blast radius, and the SPOFs, in one bit-parallel
 * sweep (docs/model.md).
 *
 * The idea: give every failed source its own bit column. For a block of
 * sources, row v holds the set of sources whose lone failure takes v DOWN:
 *
 *   D[v] = seed(v) | OR_{hard non-group deps d} D[d]
 *                  | OR_{any_of groups g of v} AND_{members m of g} D[m]
 *
 * (a group with a soft member never goes down, as in lib/impact.c). Rows
 * are evaluated providers-first over the condensation of *all* edges, so a
 * row is final once computed, except inside a cycle: there the members are
 * iterated with a worklist from their seeds up to the least fixpoint (rows
 * only grow, so this terminates and matches impact's least fixpoint).
 *
 * DEGRADED needs no fixpoint of its own: "DOWN or DEGRADED" (= affected) is
 * reachability, A[v] = seed(v) | OR_{deps d} A[d] | OR_{telemetry deps d} D[d]
 * (over a telemetry edge, dep_telemetry(), only a DOWN dependency affects
 * the caller). Over the other edges it is plain reachability, the same for
 * every member of a strongly connected component of the graph without the
 * telemetry edges (an "A-component"), so A is kept per A-component. Those
 * refine the components; positions order the A-components of a component
 * providers-first, so an A-component is evaluated after the D rows of its
 * whole component (its telemetry terms) and after the A-components it
 * depends on. Without telemetry edges they are the components. Then for
 * source s: down = |{v : s in D[v]}| - 1 and
 * degraded = |{v : s in A[v]}| - |{v : s in D[v]}|.
 *
 * Column counts are accumulated with bit-sliced counters (one carry-save
 * binary counter per column, 64 columns per word), so counting costs a few
 * word operations per row, not one per set bit.
 *
 * Memory: rows are indexed by topological position, blocks cover
 * consecutive positions, and the bitsets of one block take
 * (nodes + A-components) x block_words x 8 bytes; block_words is chosen so
 * that all workers together stay under BLAST_BUDGET. A node before the
 * first component of a block cannot reach any of its sources, so a block's
 * sweep starts at that component: about half of the rows on average.
 * Rows that stay empty are never written (a flag per row says so), which
 * keeps the sweep proportional to what failures actually reach.
 *
 * Sources: a column per failure computed, in position order: every
 * service, or a chosen subset (dc_blast_options.sources) — a plan of 1,000
 * changed services needs one block, not a hundred. A caller that needs
 * neither the DEGRADED counts nor the SPOFs says so and skips their rows.
 *
 * Threads: blocks are independent (disjoint columns), so workers (all
 * online CPUs by default, dc_blast_options.threads to limit) take blocks
 * from a shared counter, the most expensive first (a block's sweep starts
 * at its first source's component, so blocks of providers cost most):
 * whichever worker is free takes the next, and the cheap blocks at the end
 * fill the tail. Blocks are made narrow enough that there are at least
 * BLAST_BLOCKS_PER_THREAD per worker. Each worker has its own bitsets, so
 * the budget grows with the workers (BLAST_BUDGET each, at most
 * BLAST_BUDGET_MAX in all): a narrower block costs a whole extra sweep of
 * the rows, so halving the width per worker would undo the parallelism.
 * Counts land in disjoint columns; each column's SPOF entrypoints are
 * counted and the DC_BLAST_SPOF_KEPT smallest ids kept (memory linear in
 * the services, never one record per (SPOF, entrypoint) pair), so results
 * do not depend on the number of threads.
 *
 * Limits: the worklist inside a big strongly connected component can
 * re-evaluate a member once per change of one of its dependencies; catalogs
 * have small cycles, and the cost stays bounded by the bits that change.
 */
#include <depcheck/blast.h>

#include <pthread.h>
#include <unistd.h>

#include "blast_int.h"
#include "catalog_int.h"

#define BLAST_BUDGET ((size_t)128 << 20)  /* bytes of bitsets per worker, with */
#define BLAST_BUDGET_MIN ((size_t)256 << 20)   /* at least this in all, */
#define BLAST_BUDGET_MAX ((size_t)2048 << 20)  /* and at most this in all */
#define BLAST_THREAD_MIN 4096             /* below this many services, one thread */
#define BLAST_THREAD_MAX 64               /* workers at most */
#define BLAST_BLOCK_WORDS 16              /* default block width, in 64-bit words */
#define BLAST_BLOCKS_PER_THREAD 8         /* blocks per worker at least (balance) */

static size_t forced_words;
static unsigned forced_threads;

void blast_set_block_words(size_t words) { forced_words = words; }
void blast_set_threads(unsigned n) { forced_threads = n; }

typedef uint64_t word;

struct dc_blast {
	size_t n;
	uint32_t *down;       /* per service id */
	uint32_t *degraded;   /* per service id */
	uint32_t *spof_off;   /* n+1 */
	dc_id *spof_ep;       /* entrypoints kept, grouped by failing service */
	uint32_t *spof_total; /* per service id: every entrypoint it takes down */
	size_t nspof;
};

/* ---- the shared, read-only graph in position space ------------------------- */

typedef struct {
	size_t n, ncomp;
	dc_id *order;        /* position -> id */
	uint32_t *pos;       /* id -> position */
	uint32_t *compof;    /* position -> component */
	uint32_t *cstart;    /* ncomp+1: component c = positions [cstart[c], cstart[c+1]) */
	uint32_t *hd_off, *hd_to;    /* hard non-group deps (positions) */
	uint32_t *gr_off;            /* n+1: groups of a node, index into gm_off */
	uint32_t *gm_off, *gm_to;    /* members of each group (positions) */
	size_t nac;                  /* A-components (the comment on top) */
	uint32_t *acfirst;           /* ncomp+1: component c = A-components [acfirst[c], acfirst[c+1]) */
	uint32_t *astart;            /* nac+1: A-component a = positions [astart[a], astart[a+1]) */
	uint32_t *ax_off, *ax_to;    /* per A-component: distinct dependency A-components,
					telemetry edges left out */
	uint32_t *tl_off, *tl_to;    /* per A-component: distinct telemetry dependencies
					(positions), whose D rows it ORs */
	uint32_t *rin_off, *rin;     /* in-component dependents through D edges */
	uint8_t *is_entry;           /* per position */
	size_t K;                    /* counter levels */
	/* source columns: the failures computed, in position order */
	size_t ncol;
	uint32_t *colpos;            /* column -> position */
	uint32_t *col_of;            /* position -> column, UINT32_MAX when not a source */
	unsigned flags;              /* DC_BLAST_* */
} topo;

typedef DC_VEC(uint32_t) u32v;
typedef DC_VEC(uint64_t) u64v;

static void topo_free(topo *t)
{
	free(t->order);
	free(t->pos);
	free(t->compof);
	free(t->cstart);
	free(t->hd_off);
	free(t->hd_to);
	free(t->gr_off);
	free(t->gm_off);
	free(t->gm_to);
	free(t->acfirst);
	free(t->astart);
	free(t->ax_off);
	free(t->ax_to);
	free(t->tl_off);
	free(t->tl_to);
	free(t->rin_off);
	free(t->rin);
	free(t->is_entry);
	free(t->colpos);
	free(t->col_of);
}

static int topo_build(topo *t, const dc_graph *g)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dep_t *deps = cat->deps.items;
	size_t n = dc_graph_node_count(g), p, c, k, ng = cat->next_group + 1;
	dc_scc *scc = NULL, *ascc = NULL;
	uint8_t *gsoft = NULL, *akeep = NULL;
	uint32_t *gslot = NULL, *cmark = NULL, *pmark = NULL, *acof = NULL;
	dc_id *aorder = NULL;
	u32v hd = {0}, gmo = {0}, gm = {0}, ax = {0}, tl = {0}, rin = {0};
	size_t ntele = 0, a;
	int rc = DC_ENOMEM;

	memset(t, 0, sizeof(*t));
	t->n = n;
	if (dc_scc_compute(&scc, g, DC_EDGES_RUNTIME))
		return DC_ENOMEM;
	t->ncomp = dc_scc_count(scc);
	t->order = malloc((n + 1) * sizeof(dc_id));
	t->pos = malloc((n + 1) * sizeof(uint32_t));
	t->compof = malloc((n + 1) * sizeof(uint32_t));
	t->cstart = malloc((t->ncomp + 1) * sizeof(uint32_t));
	t->hd_off = malloc((n + 1) * sizeof(uint32_t));
	t->gr_off = malloc((n + 1) * sizeof(uint32_t));
	t->acfirst = malloc((t->ncomp + 1) * sizeof(uint32_t));
	t->astart = malloc((n + 1) * sizeof(uint32_t));
	t->ax_off = malloc((n + 1) * sizeof(uint32_t));
	t->tl_off = malloc((n + 1) * sizeof(uint32_t));
	acof = malloc((n + 1) * sizeof(uint32_t));
	pmark = malloc((n + 1) * sizeof(uint32_t));
	t->rin_off = calloc(n + 1, sizeof(uint32_t));
	t->is_entry = calloc(n + 1, 1);
	gsoft = calloc(ng, 1);
	gslot = malloc(ng * sizeof(uint32_t));
	cmark = malloc((n + 1) * sizeof(uint32_t));
	if (!t->order || !t->pos || !t->compof || !t->cstart || !t->hd_off || !t->gr_off ||
	    !t->acfirst || !t->astart || !t->ax_off || !t->tl_off || !acof || !pmark ||
	    !t->rin_off || !t->is_entry || !gsoft || !gslot || !cmark)
		goto out;
	dc_scc_topo_order(scc, t->order);
	for (p = 0; p < n; p++)
		t->pos[t->order[p]] = (uint32_t)p;
	for (c = 0, p = 0; c < t->ncomp; c++) {
		const dc_id *mem;
		size_t sz = dc_scc_members(scc, (uint32_t)c, &mem);
		t->cstart[c] = (uint32_t)p;
		for (k = 0; k < sz; k++)
			t->compof[p++] = (uint32_t)c;
	}
	t->cstart[t->ncomp] = (uint32_t)n;
	for (k = 0; k < cat->deps.len; k++)
		ntele += dep_runtime(&deps[k]) && dep_telemetry(&deps[k]);
	if (ntele) {
		/* the A-components: components of the runtime edges without the
		 * telemetry ones; each component's positions are reordered so that
		 * its A-components are contiguous and providers-first (a stable
		 * bucket by component of that graph's topological order) */
		size_t e;
		if (!(akeep = malloc(cat->deps.len + 1)) || !(aorder = malloc((n + 1) * sizeof(dc_id))))
			goto out;
		for (e = 0; e < cat->deps.len; e++)
			akeep[e] = (uint8_t)(dep_runtime(&deps[e]) && !dep_telemetry(&deps[e]));
		if (dc_scc_compute_edges(&ascc, g, akeep))
			goto out;
		dc_scc_topo_order(ascc, aorder);
		for (c = 0; c < t->ncomp; c++)
			cmark[c] = t->cstart[c];
		for (k = 0; k < n; k++) {
			dc_id v = aorder[k];
			t->order[cmark[t->compof[t->pos[v]]]++] = v;
		}
		for (p = 0; p < n; p++)
			t->pos[t->order[p]] = (uint32_t)p;
	}
	t->nac = 0;
	for (c = 0; c < t->ncomp; c++) {
		t->acfirst[c] = (uint32_t)t->nac;
		for (p = t->cstart[c]; p < t->cstart[c + 1]; p++) {
			if (p == t->cstart[c] ||
			    (ascc && dc_scc_of(ascc, t->order[p]) != dc_scc_of(ascc, t->order[p - 1])))
				t->astart[t->nac++] = (uint32_t)p;
			acof[p] = (uint32_t)(t->nac - 1);
		}
	}
	t->acfirst[t->ncomp] = (uint32_t)t->nac;
	t->astart[t->nac] = (uint32_t)n;
	/* a group without a runtime member never goes down either: it is
	 * skipped like a soft one (its startup-only members carry nothing) */
	for (k = 0; k < cat->deps.len; k++)
		if (deps[k].group)
			gsoft[deps[k].group] |= deps[k].kind == DC_DEP_SOFT ? 1 : dep_runtime(&deps[k]) ? 2 : 0;
	for (k = 0; k < ng; k++)
		gsoft[k] = gsoft[k] != 2;
	for (k = 0; k < ng; k++)
		gslot[k] = UINT32_MAX;
	for (p = 0; p <= n; p++)
		cmark[p] = pmark[p] = UINT32_MAX;
	/* D edges and groups, per position */
	if (dc_vec_push(&gmo, 0))
		goto out;
	for (p = 0; p < n; p++) {
		dc_id v = t->order[p];
		const dc_id *to;
		size_t first, cnt = dc_graph_out(g, v, &to, &first), j;
		uint32_t ngr = 0, gbase = (uint32_t)(gmo.len - 1);
		t->hd_off[p] = (uint32_t)hd.len;
		t->gr_off[p] = gbase;
		t->is_entry[p] = (uint8_t)dc_service_is_entrypoint(cat, v);
		for (j = 0; j < cnt; j++) {
			const dep_t *d = &deps[first + j];
			if (!d->group && d->kind == DC_DEP_HARD && dep_runtime(d) && dc_vec_push(&hd, t->pos[to[j]]))
				goto out;
		}
		/* groups in order of first appearance; members gathered per group */
		for (j = 0; j < cnt; j++) {
			const dep_t *d = &deps[first + j];
			size_t j2;
			if (!d->group || gsoft[d->group] || gslot[d->group] != UINT32_MAX)
				continue;
			gslot[d->group] = ngr++;
			for (j2 = j; j2 < cnt; j2++)
				if (deps[first + j2].group == d->group && dep_runtime(&deps[first + j2]) &&
				    dc_vec_push(&gm, t->pos[to[j2]]))
					goto out;
			if (dc_vec_push(&gmo, (uint32_t)gm.len))
				goto out;
		}
		for (j = 0; j < cnt; j++)
			if (deps[first + j].group)
				gslot[deps[first + j].group] = UINT32_MAX;
	}
	t->hd_off[n] = (uint32_t)hd.len;
	t->gr_off[n] = (uint32_t)(gmo.len - 1);
	/* distinct dependency A-components of each A-component (runtime edges
	 * but telemetry ones), and its distinct telemetry dependencies */
	for (a = 0; a < t->nac; a++) {
		t->ax_off[a] = (uint32_t)ax.len;
		t->tl_off[a] = (uint32_t)tl.len;
		for (p = t->astart[a]; p < t->astart[a + 1]; p++) {
			const dc_id *to;
			size_t first, cnt = dc_graph_out(g, t->order[p], &to, &first), j;
			for (j = 0; j < cnt; j++) {
				uint32_t q = t->pos[to[j]], cw = acof[q];
				if (!dep_runtime(&deps[first + j]))
					continue;
				if (dep_telemetry(&deps[first + j])) {
					if (pmark[q] == a)
						continue;
					pmark[q] = (uint32_t)a;
					if (dc_vec_push(&tl, q))
						goto out;
					continue;
				}
				if (cw == a || cmark[cw] == a)
					continue;
				cmark[cw] = (uint32_t)a;
				if (dc_vec_push(&ax, cw))
					goto out;
			}
		}
	}
	t->ax_off[t->nac] = (uint32_t)ax.len;
	t->tl_off[t->nac] = (uint32_t)tl.len;
	/* in-component dependents through D edges (cyclic components only):
	 * count, prefix sums, fill */
	for (p = 0; p < n; p++) {
		uint32_t q, e;
		for (e = t->hd_off[p]; e < t->hd_off[p + 1]; e++)
			if (t->compof[q = hd.items[e]] == t->compof[p])
				t->rin_off[q]++;
		for (e = gmo.items[t->gr_off[p]]; e < gmo.items[t->gr_off[p + 1]]; e++)
			if (t->compof[q = gm.items[e]] == t->compof[p])
				t->rin_off[q]++;
	}
	{
		uint32_t sum = 0, x;
		for (p = 0; p < n; p++) {
			x = t->rin_off[p];
			t->rin_off[p] = sum;
			sum += x;
		}
		t->rin_off[n] = sum;
		if (dc_vec_reserve(&rin, sum + 1))
			goto out;
		rin.len = sum;
	}
	for (p = 0; p < n; p++) {
		uint32_t q, e;
		for (e = t->hd_off[p]; e < t->hd_off[p + 1]; e++)
			if (t->compof[q = hd.items[e]] == t->compof[p])
				rin.items[t->rin_off[q]++] = (uint32_t)p;
		for (e = gmo.items[t->gr_off[p]]; e < gmo.items[t->gr_off[p + 1]]; e++)
			if (t->compof[q = gm.items[e]] == t->compof[p])
				rin.items[t->rin_off[q]++] = (uint32_t)p;
	}
	for (p = n; p > 0; p--)
		t->rin_off[p] = t->rin_off[p - 1];
	t->rin_off[0] = 0;
	t->K = 2;
	while (((size_t)1 << (t->K - 1)) <= n)
		t->K++;
	t->hd_to = hd.items;
	t->gm_off = gmo.items;
	t->gm_to = gm.items;
	t->ax_to = ax.items;
	t->tl_to = tl.items;
	t->rin = rin.items;
	hd.items = gmo.items = gm.items = ax.items = tl.items = rin.items = NULL;
	rc = 0;
out:
	dc_vec_free(&hd);
	dc_vec_free(&gmo);
	dc_vec_free(&gm);
	dc_vec_free(&ax);
	dc_vec_free(&tl);
	dc_vec_free(&rin);
	free(gsoft);
	free(akeep);
	free(aorder);
	free(gslot);
	free(cmark);
	free(pmark);
	free(acof);
	dc_scc_free(scc);
	dc_scc_free(ascc);
	if (rc)
		topo_free(t); /* what was allocated before the failure */
	return rc;
}

/* ---- one worker: bitsets for one block of source columns ------------------- */

typedef struct {
	const topo *t;
	size_t W;                 /* words per row (block width / 64) */
	size_t nblocks;
	pthread_mutex_t *lock;
	size_t *next_block;       /* shared counter, under lock */
	uint32_t *cnt_d, *cnt_a;  /* per column: counts (disjoint per block) */
	int failed;
	/* private */
	word *D, *A, *tmp, *ctr_d, *ctr_a;
	uint8_t *nz_d, *nz_a, *inq;
	uint32_t *queue;
	uint32_t *sp_total;       /* per column: entrypoints it takes down (shared, disjoint) */
	dc_id **sp_keep;          /* per column: max-heap of the smallest entrypoint ids kept */
} worker;

/* Remember entrypoint `ep` for column `col`: count it, and keep it when it
 * is among the DC_BLAST_SPOF_KEPT smallest ids seen (a max-heap, so memory
 * is bounded by the kept count whatever the number of entrypoints). */
static int spof_note(worker *k, size_t col, dc_id ep)
{
	uint32_t n = k->sp_total[col];
	dc_id *h = k->sp_keep[col];
	size_t i;
	if (!h) {
		h = malloc(DC_BLAST_SPOF_KEPT * sizeof(dc_id));
		if (!h)
			return DC_ENOMEM;
		k->sp_keep[col] = h;
	}
	if (n < UINT32_MAX)
		k->sp_total[col] = n + 1;
	if (n < DC_BLAST_SPOF_KEPT) {
		i = n;
		h[i] = ep;
		while (i > 0 && h[(i - 1) / 2] < h[i]) {
			dc_id x = h[i];
			h[i] = h[(i - 1) / 2];
			h[(i - 1) / 2] = x;
			i = (i - 1) / 2;
		}
		return 0;
	}
	if (ep >= h[0])
		return 0;
	h[0] = ep;
	i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		dc_id x;
		if (l < DC_BLAST_SPOF_KEPT && h[l] > h[m])
			m = l;
		if (r < DC_BLAST_SPOF_KEPT && h[r] > h[m])
			m = r;
		if (m == i)
			break;
		x = h[i];
		h[i] = h[m];
		h[m] = x;
		i = m;
	}
	return 0;
}

/* Evaluate D of position p into out[0..w); returns 1 when non-empty. Rows
 * whose flag is clear are empty (their memory may be stale). */
static int eval_d(const worker *k, size_t p, size_t b0, size_t b1, size_t w, word *out)
/* b0, b1: the block's column range */
{
	const topo *t = k->t;
	size_t W = k->W, j;
	uint32_t e, gi;
	int any = 0;
	for (e = t->hd_off[p]; e < t->hd_off[p + 1]; e++) {
		uint32_t q = t->hd_to[e];
		const word *r = k->D + (size_t)q * W;
		if (!k->nz_d[q])
			continue;
		if (!any)
			memcpy(out, r, w * sizeof(word));
		else
			for (j = 0; j < w; j++)
				out[j] |= r[j];
		any = 1;
	}
	for (gi = t->gr_off[p]; gi < t->gr_off[p + 1]; gi++) {
		uint32_t m0 = t->gm_off[gi], m1 = t->gm_off[gi + 1], m;
		word nonzero = 0;
		for (m = m0; m < m1; m++)
			if (!k->nz_d[t->gm_to[m]])
				break;
		if (m < m1 || m0 == m1)
			continue; /* a member nobody in the block takes down */
		memcpy(k->tmp, k->D + (size_t)t->gm_to[m0] * W, w * sizeof(word));
		for (m = m0 + 1; m < m1; m++) {
			const word *r = k->D + (size_t)t->gm_to[m] * W;
			for (j = 0; j < w; j++)
				k->tmp[j] &= r[j];
		}
		for (j = 0; j < w; j++)
			nonzero |= k->tmp[j];
		if (!nonzero)
			continue;
		if (!any)
			memcpy(out, k->tmp, w * sizeof(word));
		else
			for (j = 0; j < w; j++)
				out[j] |= k->tmp[j];
		any = 1;
	}
	if ((size_t)t->col_of[p] - b0 < b1 - b0) {
		size_t col = t->col_of[p] - b0;
		if (!any)
			memset(out, 0, w * sizeof(word));
		out[col >> 6] |= (word)1 << (col & 63);
		any = 1;
	}
	return any;
}

/* Add a row, times 2^level, to the bit-sliced column counters. */
static void ctr_add(word *ctr, size_t W, size_t K, const word *row, size_t w, size_t level)
{
	size_t j, l;
	for (j = 0; j < w; j++) {
		word x = row[j];
		for (l = level; x && l < K; l++) {
			word *c = ctr + l * W + j;
			word carry = *c & x;
			*c ^= x;
			x = carry;
		}
	}
}

static void ctr_extract(const word *ctr, size_t W, size_t K, size_t ncols, uint32_t *out)
{
	size_t col, l;
	for (col = 0; col < ncols; col++) {
		uint32_t v = 0;
		for (l = 0; l < K; l++)
			v |= (uint32_t)((ctr[l * W + (col >> 6)] >> (col & 63)) & 1) << l;
		out[col] = v;
	}
}

static int run_block(worker *k, size_t b)
{
	const topo *t = k->t;
	size_t W = k->W, K = t->K;
	size_t b0 = b * W * 64, b1 = b0 + W * 64, w, c, c0, p, j;
	if (b1 > t->ncol)
		b1 = t->ncol;
	w = (b1 - b0 + 63) / 64;
	c0 = t->compof[t->colpos[b0]];
	/* nothing before the block's first component reaches its sources */
	memset(k->nz_d, 0, t->cstart[c0]);
	memset(k->nz_a, 0, t->acfirst[c0]);
	memset(k->ctr_d, 0, K * W * sizeof(word));
	memset(k->ctr_a, 0, K * W * sizeof(word));
	for (c = c0; c < t->ncomp; c++) {
		size_t s0 = t->cstart[c], s1 = t->cstart[c + 1], sz = s1 - s0, ac;
		uint32_t e;
		if (sz == 1) {
			k->nz_d[s0] = (uint8_t)eval_d(k, s0, b0, b1, w, k->D + s0 * W);
		} else {
			/* least fixpoint inside the cycle, from the seeds up */
			size_t qh = 0, qt = 0, qn = sz;
			for (p = s0; p < s1; p++) {
				k->nz_d[p] = 0;
				k->queue[qt++] = (uint32_t)p;
				k->inq[p] = 1;
			}
			qt = 0; /* the ring is full: the tail wraps to the head */
			word *nw = k->tmp + W;  /* second scratch row */
			while (qn) {
				size_t q = k->queue[qh];
				word *r = k->D + q * W;
				int nzq, changed = 0;
				qh = qh + 1 == sz ? 0 : qh + 1;
				qn--;
				k->inq[q] = 0;
				nzq = eval_d(k, q, b0, b1, w, nw);
				if (nzq && !k->nz_d[q]) {
					memcpy(r, nw, w * sizeof(word));
					changed = 1;
				} else if (nzq) {
					for (j = 0; j < w; j++)
						if (nw[j] != r[j]) {
							changed = 1;
							r[j] = nw[j];
						}
				}
				if (!changed)
					continue;
				k->nz_d[q] = 1;
				for (e = t->rin_off[q]; e < t->rin_off[q + 1]; e++) {
					uint32_t u = t->rin[e];
					if (k->inq[u])
						continue;
					k->inq[u] = 1;
					k->queue[qt] = u;
					qt = qt + 1 == sz ? 0 : qt + 1;
					qn++;
				}
			}
		}
		if (t->flags & DC_BLAST_NO_DEGRADED)
			goto down_rows;
		/* affected = reachability, one row per A-component, providers first
		 * (the D rows of the whole component are final by now) */
		for (ac = t->acfirst[c]; ac < t->acfirst[c + 1]; ac++) {
			size_t a0 = t->astart[ac], a1 = t->astart[ac + 1], asz = a1 - a0;
			word *a = k->A + ac * W;
			int any = 0;
			for (e = t->ax_off[ac]; e < t->ax_off[ac + 1]; e++) {
				uint32_t cw = t->ax_to[e];
				const word *r = k->A + (size_t)cw * W;
				if (!k->nz_a[cw])
					continue;
				if (!any)
					memcpy(a, r, w * sizeof(word));
				else
					for (j = 0; j < w; j++)
						a[j] |= r[j];
				any = 1;
			}
			/* a telemetry dependency affects only when DOWN */
			for (e = t->tl_off[ac]; e < t->tl_off[ac + 1]; e++) {
				uint32_t q = t->tl_to[e];
				const word *r = k->D + (size_t)q * W;
				if (!k->nz_d[q])
					continue;
				if (!any)
					memcpy(a, r, w * sizeof(word));
				else
					for (j = 0; j < w; j++)
						a[j] |= r[j];
				any = 1;
			}
			for (p = a0; p < a1; p++) {
				size_t col = (size_t)t->col_of[p] - b0;
				if (col >= b1 - b0)
					continue;
				if (!any)
					memset(a, 0, w * sizeof(word));
				a[col >> 6] |= (word)1 << (col & 63);
				any = 1;
			}
			k->nz_a[ac] = (uint8_t)any;
			if (any) {
				size_t l;
				for (l = 0; l < K && ((size_t)1 << l) <= asz; l++)
					if (asz >> l & 1)
						ctr_add(k->ctr_a, W, K, a, w, l);
			}
		}
down_rows:
		for (p = s0; p < s1; p++) {
			const word *r = k->D + p * W;
			if (!k->nz_d[p])
				continue;
			ctr_add(k->ctr_d, W, K, r, w, 0);
			if (!t->is_entry[p] || (t->flags & DC_BLAST_NO_SPOFS))
				continue;
			for (j = 0; j < w; j++) {
				word x = r[j];
				while (x) {
					size_t col = b0 + j * 64 + (size_t)__builtin_ctzll(x);
					x &= x - 1;
					if (t->colpos[col] != p && spof_note(k, col, t->order[p]))
						return DC_ENOMEM;
				}
			}
		}
	}
	ctr_extract(k->ctr_d, W, K, b1 - b0, k->cnt_d + b0);
	ctr_extract(k->ctr_a, W, K, b1 - b0, k->cnt_a + b0);
	return 0;
}

static void *worker_main(void *arg)
{
	worker *k = arg;
	for (;;) {
		size_t b;
		pthread_mutex_lock(k->lock);
		b = *k->next_block;
		if (b < k->nblocks && !k->failed)
			(*k->next_block)++;
		pthread_mutex_unlock(k->lock);
		if (b >= k->nblocks)
			break;
		if (run_block(k, b)) {
			k->failed = 1;
			break;
		}
	}
	return NULL;
}

static int worker_init(worker *k, const topo *t, size_t W)
{
	size_t n = t->n;
	memset(k, 0, sizeof(*k));
	k->t = t;
	k->W = W;
	k->D = malloc((n ? n : 1) * W * sizeof(word));
	k->A = malloc((t->nac ? t->nac : 1) * W * sizeof(word));
	k->tmp = malloc(2 * W * sizeof(word));
	k->ctr_d = malloc(t->K * W * sizeof(word));
	k->ctr_a = malloc(t->K * W * sizeof(word));
	k->nz_d = calloc(n + 1, 1);
	k->nz_a = calloc(t->nac + 1, 1);
	k->inq = calloc(n + 1, 1);
	k->queue = malloc((n + 1) * sizeof(uint32_t));
	if (!k->D || !k->A || !k->tmp || !k->ctr_d || !k->ctr_a || !k->nz_d || !k->nz_a || !k->inq ||
	    !k->queue)
		return DC_ENOMEM;
	return 0;
}

static void worker_free(worker *k)
{
	free(k->D);
	free(k->A);
	free(k->tmp);
	free(k->ctr_d);
	free(k->ctr_a);
	free(k->nz_d);
	free(k->nz_a);
	free(k->inq);
	free(k->queue);
}

static int cmp_id(const void *a, const void *b)
{
	dc_id x = *(const dc_id *)a, y = *(const dc_id *)b;
	return x < y ? -1 : x > y;
}

/* ---- API ------------------------------------------------------------------- */

/* Workers: the test hook, else the option, else every online CPU on a graph
 * big enough to pay for the threads; at most BLAST_THREAD_MAX. */
static unsigned blast_threads(const dc_blast_options *opts, size_t n)
{
	unsigned nt = forced_threads;
	if (!nt && opts && opts->version >= 2)
		nt = opts->threads;
	if (!nt) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nt = n >= BLAST_THREAD_MIN && cpus > 1 ? (unsigned)cpus : 1;
	}
	return nt > BLAST_THREAD_MAX ? BLAST_THREAD_MAX : nt;
}

int dc_blast_compute(dc_blast **out, const dc_graph *g)
{
	return dc_blast_compute_ex(out, g, NULL);
}

int dc_blast_compute_ex(dc_blast **out, const dc_graph *g, const dc_blast_options *opts)
{
	const uint8_t *sources = opts ? opts->sources : NULL;
	topo t;
	worker *wk = NULL;
	pthread_t *th = NULL;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t n = dc_graph_node_count(g), W, nblocks, next = 0, i, budget;
	unsigned nthreads, started = 0, ti, nworkers = 0;
	uint32_t *cnt_d = NULL, *cnt_a = NULL, *sp_total = NULL;
	dc_id **sp_keep = NULL;
	dc_blast *b = calloc(1, sizeof(*b));
	int rc = DC_ENOMEM;

	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_BLAST_OPTIONS_VERSION)) {
		free(b);
		return DC_EINVALID;
	}
	if (!b)
		return DC_ENOMEM;
	if (topo_build(&t, g)) {
		free(b);
		return DC_ENOMEM;
	}
	/* the columns: every service, or the chosen ones, in position order */
	t.colpos = malloc((n + 1) * sizeof(uint32_t));
	t.col_of = malloc((n + 1) * sizeof(uint32_t));
	if (!t.colpos || !t.col_of) {
		topo_free(&t);
		free(b);
		return DC_ENOMEM;
	}
	t.ncol = 0;
	t.flags = opts ? opts->flags : 0;
	for (i = 0; i < n; i++) {
		if (sources && !sources[t.order[i]]) {
			t.col_of[i] = UINT32_MAX;
			continue;
		}
		t.col_of[i] = (uint32_t)t.ncol;
		t.colpos[t.ncol++] = (uint32_t)i;
	}
	b->n = n;
	b->down = calloc(n + 1, sizeof(uint32_t));
	b->degraded = calloc(n + 1, sizeof(uint32_t));
	b->spof_off = calloc(n + 2, sizeof(uint32_t));
	cnt_d = calloc(n + 1, sizeof(uint32_t));
	cnt_a = calloc(n + 1, sizeof(uint32_t));
	b->spof_total = calloc(n + 1, sizeof(uint32_t));
	sp_total = calloc(n + 1, sizeof(uint32_t));
	sp_keep = calloc(n + 1, sizeof(dc_id *));
	if (!b->down || !b->degraded || !b->spof_off || !cnt_d || !cnt_a || !b->spof_total ||
	    !sp_total || !sp_keep)
		goto out;
	nthreads = blast_threads(opts, n);
	/* bitsets per worker: BLAST_BUDGET each, within [MIN, MAX] in all */
	budget = BLAST_BUDGET * nthreads;
	if (budget < BLAST_BUDGET_MIN)
		budget = BLAST_BUDGET_MIN;
	if (budget > BLAST_BUDGET_MAX)
		budget = BLAST_BUDGET_MAX;
	W = forced_words;
	if (!W) {
		/* 16 words (1,024 sources) a block: wider blocks mean fewer passes
		 * but rows that no longer stay in cache; measured best at 10,000
		 * and 100,000 services (3x and 1.3x faster than one wide block) */
		size_t per_thread = (t.ncol + 63) / 64 / ((size_t)nthreads * BLAST_BLOCKS_PER_THREAD);
		W = budget / nthreads / (sizeof(word) * (n + t.nac + 1));
		if (W > BLAST_BLOCK_WORDS)
			W = BLAST_BLOCK_WORDS;
		/* enough blocks that every worker stays busy to the end */
		if (nthreads > 1 && W > per_thread)
			W = per_thread;
		if (W < 1)
			W = 1;
	}
	if (W > (t.ncol + 63) / 64)
		W = (t.ncol + 63) / 64 ? (t.ncol + 63) / 64 : 1;
	nblocks = t.ncol ? (t.ncol + W * 64 - 1) / (W * 64) : 0;
	if (nthreads > nblocks)
		nthreads = nblocks ? (unsigned)nblocks : 1;
	wk = calloc(nthreads, sizeof(*wk));
	th = calloc(nthreads, sizeof(*th));
	if (!wk || !th)
		goto out;
	nworkers = nthreads;
	for (ti = 0; ti < nthreads; ti++) {
		if (worker_init(&wk[ti], &t, W))
			goto out;
		wk[ti].nblocks = nblocks;
		wk[ti].lock = &lock;
		wk[ti].next_block = &next;
		wk[ti].cnt_d = cnt_d;
		wk[ti].cnt_a = cnt_a;
		wk[ti].sp_total = sp_total;
		wk[ti].sp_keep = sp_keep;
	}
	if (nthreads == 1) {
		worker_main(&wk[0]);
	} else {
		for (ti = 0; ti < nthreads; ti++) {
			if (pthread_create(&th[ti], NULL, worker_main, &wk[ti]))
				break;
			started++;
		}
		if (!started)
			worker_main(&wk[0]);  /* no threads available: do it here */
		for (ti = 0; ti < started; ti++)
			pthread_join(th[ti], NULL);
	}
	for (ti = 0; ti < nthreads; ti++)
		if (wk[ti].failed)
			goto out;
	for (i = 0; i < t.ncol; i++) {
		dc_id v = t.order[t.colpos[i]];
		b->down[v] = cnt_d[i] ? cnt_d[i] - 1 : 0;
		b->degraded[v] = (t.flags & DC_BLAST_NO_DEGRADED) ? 0 : cnt_a[i] - cnt_d[i];
	}
	/* SPOFs: a total per failing service and the smallest entrypoint ids
	 * kept, in ascending order (independent of threads and blocks) */
	for (i = 0; i < t.ncol; i++) {
		dc_id v = t.order[t.colpos[i]];
		b->spof_total[v] = sp_total[i];
		b->spof_off[v + 1] = sp_total[i] < DC_BLAST_SPOF_KEPT ? sp_total[i] : DC_BLAST_SPOF_KEPT;
	}
	for (i = 0; i < n; i++) {
		if (b->spof_off[i + 1])
			b->nspof++;
		b->spof_off[i + 1] += b->spof_off[i];
	}
	b->spof_ep = malloc((b->spof_off[n] ? b->spof_off[n] : 1) * sizeof(dc_id));
	if (!b->spof_ep)
		goto out;
	for (i = 0; i < t.ncol; i++) {
		dc_id v = t.order[t.colpos[i]];
		size_t k = b->spof_off[v + 1] - b->spof_off[v];
		if (!k)
			continue;
		memcpy(b->spof_ep + b->spof_off[v], sp_keep[i], k * sizeof(dc_id));
		qsort(b->spof_ep + b->spof_off[v], k, sizeof(dc_id), cmp_id);
	}
	rc = 0;
out:
	for (ti = 0; ti < nworkers; ti++)
		worker_free(&wk[ti]);
	free(wk);
	free(th);
	if (sp_keep)
		for (i = 0; i < n; i++)
			free(sp_keep[i]);
	free(sp_keep);
	free(sp_total);
	free(cnt_d);
	free(cnt_a);
	topo_free(&t);
	if (rc) {
		dc_blast_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

void dc_blast_free(dc_blast *b)
{
	if (!b)
		return;
	free(b->down);
	free(b->degraded);
	free(b->spof_off);
	free(b->spof_ep);
	free(b->spof_total);
	free(b);
}

size_t dc_blast_count(const dc_blast *b) { return b->n; }
size_t dc_blast_down(const dc_blast *b, dc_id s) { return s < b->n ? b->down[s] : 0; }
size_t dc_blast_degraded(const dc_blast *b, dc_id s) { return s < b->n ? b->degraded[s] : 0; }
size_t dc_blast_spof_count(const dc_blast *b) { return b->nspof; }

size_t dc_blast_spof_total(const dc_blast *b, dc_id s)
{
	return s < b->n ? b->spof_total[s] : 0;
}

size_t dc_blast_spof_entrypoints(const dc_blast *b, dc_id s, const dc_id **eps)
{
	size_t n;
	if (s >= b->n) {
		*eps = NULL;
		return 0;
	}
	n = b->spof_off[s + 1] - b->spof_off[s];
	*eps = n ? b->spof_ep + b->spof_off[s] : NULL;
	return n;
}

/* ---- ranking ------------------------------------------------------------------ */

/* The sort key carries the counts and the name, so the comparison needs no
 * context (qsort has none; a static one would not be reentrant). */
typedef struct {
	size_t down, deg;
	const char *name;
	dc_id id;
} order_key;

static int order_cmp(const void *pa, const void *pb)
{
	const order_key *a = pa, *b = pb;
	int c;
	if (a->down != b->down)
		return a->down > b->down ? -1 : 1;
	if (a->deg != b->deg)
		return a->deg > b->deg ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

int dc_blast_order(const dc_blast *b, const dc_catalog *cat, dc_id *ids)
{
	order_key *k;
	size_t i;
	if (!b || !cat || !ids || dc_catalog_service_count(cat) != b->n)
		return DC_EINVALID;
	if (!(k = malloc((b->n ? b->n : 1) * sizeof(*k))))
		return DC_ENOMEM;
	for (i = 0; i < b->n; i++) {
		k[i].down = b->down[i];
		k[i].deg = b->degraded[i];
		k[i].name = dc_service_name(cat, (dc_id)i);
		k[i].id = (dc_id)i;
	}
	qsort(k, b->n, sizeof(*k), order_cmp);
	for (i = 0; i < b->n; i++)
		ids[i] = k[i].id;
	free(k);
	return 0;
}
