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
 * are evaluated providers-first over the condensation of the D graph (hard
 * non-group edges and the members of groups that can go down), so a row is
 * final once computed, except inside a cycle of D. A component of D held
 * together by hard edges alone (a hard cycle, however big) needs no
 * iteration: whoever takes one member down takes them all down, so every
 * member gets the same row, the union of the members' seeds and of what
 * their dependencies outside the component bring (a group with a member
 * inside adds nothing: its AND lies within that union). Only a cycle that
 * goes through a group is iterated with a worklist from its seeds up to
 * the least fixpoint (rows only grow, so this terminates and matches
 * impact's least fixpoint). Positions order the components of D inside
 * the components of all edges, which the "affected" rows below need.
 *
 * DEGRADED needs no fixpoint of its own: "DOWN or DEGRADED" (= affected) is
 * reachability, A[v] = seed(v) | OR_{deps d} A[d] | OR_{telemetry deps d} D[d]
 * (over a telemetry edge, dep_telemetry(), only a DOWN dependency affects
 * the caller). Over the other edges it is plain reachability, the same for
 * every member of a strongly connected component of the graph without the
 * telemetry edges (an "A-component"), so A is kept per A-component. Those
 * refine the components of all edges; A-components are numbered by
 * component, then providers first inside it, and evaluated after every row
 * of DOWN of the block (their telemetry terms). Without telemetry edges
 * they are the components. Then for source s: down = |{v : s in D[v]}| - 1
 * and degraded = |{v : s in A[v]}| - |{v : s in D[v]}|.
 *
 * Column counts are accumulated with bit-sliced counters (one carry-save
 * binary counter per column, 64 columns per word), so counting costs a few
 * word operations per row, not one per set bit.
 *
 * Reach: a block evaluates only the rows its sources can reach. Before
 * its sweep it marks the positions reachable from its sources over reverse
 * D edges (the dependents through hard dependencies and any_of members),
 * then the A-components reachable from the sources' own, from those with a
 * telemetry edge to a marked position, and from their dependents over
 * reverse non-telemetry edges (a bitmap each, plus the list of what was
 * marked). A row outside the marks is empty by definition (s is in D[v]
 * only if v reaches s over D edges, in A[c] only if c reaches s), so only
 * the marked rows are evaluated, in position order (a bitmap scan: a D
 * component is marked whole, and its first position comes first), and the
 * marks and row flags are cleared from the lists afterwards. On the
 * 1,000,000-service catalog this visits 40 M rows instead of the 977 M
 * that starting at the block's first component and visiting every row
 * after it did; the first blocks (providers: discovery, auth, ...) still
 * reach nearly every row and take most of the time.
 *
 * Memory: blocks cover consecutive positions (so a block's sources are
 * neighbours in a providers-first depth-first order and share many
 * dependents). A row is computed into a dense scratch row, with a mask of
 * its non-zero words (BLAST_WORDS_MAX words a row at most), and then stored
 * packed: the mask and the non-zero words only, appended to the worker's
 * arena, which is reset between blocks; a position (an A-component) holds
 * the offset of its row, 0 when empty. On the 1,000,000-service catalog a
 * row of 32 words has 3.2 non-zero ones on average, so the rows a block
 * writes are a few cache lines in a row, its reads of a dependency row one
 * or two lines, and the arena of the deepest block tens of megabytes
 * instead of the 256 MB a row per position took. Rows stay immutable once
 * stored, except those of a cycle through any_of groups (the fixpoint
 * below), which get a dense slot of block_words words rewritten in place;
 * the members of a cycle of hard edges share one stored row. Every row a
 * block visits is stored once, so the arena never needs more than
 * (rows) x (block_words + 1) words: block_words is chosen so that all
 * workers' rows together stay under BLAST_BUDGET even then, plus a word a
 * row for the masks (a sweep of DOWN alone has no A rows, and gets wider
 * blocks: BLAST_BUDGET_ONE), though only the part a block writes is ever
 * touched. The arena and the
 * offsets ask for huge pages (rows_alloc). A sparse row costs only its
 * non-zero words in the ORs, ANDs and counters. A row's dependency rows
 * are scattered in memory: those in the block's reach (a bitmap small
 * enough to stay in cache) are prefetched together before the first is
 * read, so that their misses overlap.
 *
 * Split sweeps: without telemetry edges the A rows read no D row, so on a
 * big catalog (BLAST_SPLIT_MIN) an exact sweep runs as one of DOWN and then
 * one of "affected" alone (BLAST_AFFECTED_ONLY: DEGRADED = affected - DOWN
 * - 1, DOWN from the first), each with the budget and blocks of a sweep of
 * one kind of rows: fewer, wider blocks visit fewer rows in all.
 *
 * Sources: a column per failure computed, in position order: every
 * service, or a chosen subset (dc_blast_options.sources) — a plan of 1,000
 * changed services needs one block, not a hundred. A caller that needs
 * neither the DEGRADED counts nor the SPOFs says so and skips their rows.
 *
 * Threads: blocks are independent (disjoint columns), so workers (all
 * online CPUs by default, dc_blast_options.threads to limit) take blocks
 * from a shared counter, the most expensive first (blocks of providers
 * reach the most rows):
 * whichever worker is free takes the next, and the cheap blocks at the end
 * fill the tail. Blocks are made narrow enough that there are at least
 * BLAST_BLOCKS_PER_THREAD per worker. Each worker has its own bitsets, so
 * the budget grows with the workers (BLAST_BUDGET each, at most
 * BLAST_BUDGET_MAX in all): a narrower block costs a whole extra sweep of
 * the rows, so halving the width per worker would undo the parallelism.
 * Counts land in disjoint columns; each column's SPOF entrypoints are
 * counted (a bit-sliced counter over the entrypoint rows) and the
 * DC_BLAST_SPOF_KEPT smallest ids kept, read from the entrypoint rows in id
 * order once the block is done (memory linear in the services, never one
 * record per (SPOF, entrypoint) pair), so results do not depend on the
 * number of threads.
 *
 * Limits: the worklist inside a cycle through any_of groups can
 * re-evaluate a member once per change of one of its dependencies; such
 * cycles are small in catalogs, and the cost stays bounded by the bits
 * that change. The sweep itself is quadratic by nature (every source's
 * column against every row it reaches): on the shared 2-core machine about
 * 1.3 CPU seconds at 100,000 services and 43-48 at 1,000,000, of analyze's
 * 76 (bench/README.md).
 */
#include <depcheck/blast.h>

#include <math.h>
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
/* A sweep of DOWN alone (DC_BLAST_NO_DEGRADED) has no A rows, one of
 * "affected" alone (BLAST_AFFECTED_ONLY) no D rows: more budget per worker
 * and blocks up to four times as wide. On the 1,000,000-service catalog,
 * with rows a position each, 32 words took 25.7 M row visits where 16 took
 * 32.8 M and 8 took 41.4 M (analyze: 23.6 s, 26.0 s, 29.6 s wall on 2
 * cores); with the rows packed, plan's two sweeps took 8.2 s at 64 words,
 * 8.7 at 48 and 9.5-10.0 at 32 (in one process, alternately). With
 * DEGRADED, wider than 8 words was slower (simulate --each: 31.9 s at 8,
 * 33.0 s at 16, 34.0 s at 32, rows a position each) */
#define BLAST_BUDGET_ONE ((size_t)512 << 20)
#define BLAST_BLOCK_WORDS_ONE 64
/* Internal flag: rows of "affected" only, DEGRADED = affected - (DOWN + 1)
 * with DOWN from an earlier sweep of the same columns; only without
 * telemetry edges (the A rows then read no D row). */
#define BLAST_AFFECTED_ONLY (1u << 30)
/* Services from which an exact sweep without telemetry edges splits into
 * one of DOWN and one of "affected": at 1,000,000 services 53.8 s of CPU
 * instead of 62.9 for simulate --each --exact, +230 MB; at 100,000 no
 * difference measured */
#define BLAST_SPLIT_MIN 200000
#define BLAST_BLOCKS_PER_THREAD 8         /* blocks per worker at least (balance) */
/* DC_BLAST_ESTIMATE: the bounds of an estimate, +-30 % plus 2 services (3.3
 * standard errors of the sketch); estimates only when at most 1 column in
 * DC_BLAST_EST_MIN_SHARE is computed exactly */
#define DC_BLAST_EST_REL 0.3
#define DC_BLAST_EST_SLACK 2.0
#define DC_BLAST_EST_MIN_SHARE 4

static size_t forced_words;
static unsigned forced_threads;
static size_t split_min = BLAST_SPLIT_MIN;

void blast_set_block_words(size_t words) { forced_words = words; }
void blast_set_threads(unsigned n) { forced_threads = n; }
void blast_set_split_min(size_t n) { split_min = n ? n : BLAST_SPLIT_MIN; }

typedef uint64_t word;
/* Which words of a row are non-zero: bit j set exactly when word j is. A
 * scratch row's words outside its mask are stale and never read (it needs
 * no clearing), and a stored row holds only the words in its mask (row_put),
 * so a sparse row costs only its non-zero words. */
typedef uint64_t rmask;
#define BLAST_WORDS_MAX 64                /* words per row at most (one mask) */

struct dc_blast {
	size_t n;
	uint32_t *down;       /* per service id */
	uint32_t *degraded;   /* per service id */
	uint32_t *spof_off;   /* n+1 */
	dc_id *spof_ep;       /* entrypoints kept, grouped by failing service */
	uint32_t *spof_total; /* per service id: every entrypoint it takes down */
	size_t nspof;
	double *lost_rps;     /* per service id: known entry traffic of the entrypoints down */
	uint32_t *lost_unk;   /* per service id: entrypoints down whose traffic is unknown */
	size_t traffic_known; /* entrypoints with known traffic */
	size_t traffic_by_origin[3];
	/* DC_BLAST_ESTIMATE: per service id, NULL when nothing was estimated */
	uint8_t *estimated;   /* its DEGRADED count is an estimate */
	uint32_t *deg_lo, *deg_hi; /* the estimate's bounds */
	size_t nestimated;
};

/* ---- the shared, read-only graph in position space ------------------------- */

typedef struct {
	size_t n, ncomp;
	dc_id *order;        /* position -> id */
	uint32_t *pos;       /* id -> position */
	uint32_t *compof;    /* position -> component */
	uint32_t *cstart;    /* ncomp+1: component c = positions [cstart[c], cstart[c+1]) */
	size_t ndcomp;       /* components of the D graph (hard + any_of member edges) */
	uint32_t *dcompof;   /* position -> D component */
	uint32_t *dstart;    /* ndcomp+1, like cstart */
	uint8_t *dtight;     /* per D component: strongly connected by hard edges alone */
	uint32_t *hd_off, *hd_to;    /* hard non-group deps (positions) */
	uint32_t *gr_off;            /* n+1: groups of a node, index into gm_off */
	uint32_t *gm_off, *gm_to;    /* members of each group (positions) */
	size_t nac;                  /* A-components (the comment on top) */
	uint32_t *acfirst;           /* ncomp+1: component c = A-components [acfirst[c], acfirst[c+1]) */
	uint32_t *astart;            /* nac+1: A-component a = amem[astart[a] .. astart[a+1]) */
	uint32_t *amem;              /* n: positions grouped by A-component */
	uint32_t *ax_off, *ax_to;    /* per A-component: distinct dependency A-components,
					telemetry edges left out */
	uint32_t *tl_off, *tl_to;    /* per A-component: distinct telemetry dependencies
					(positions), whose D rows it ORs */
	uint32_t *rin_off, *rin;     /* in-D-component dependents through D edges */
	uint32_t *rd_off, *rd_to;    /* n+1: dependents through D edges (positions) */
	uint32_t *acof;              /* position -> A-component */
	uint32_t *rax_off, *rax_to;  /* nac+1: dependent A-components (reverse of ax) */
	uint32_t *rtl_off, *rtl_to;  /* n+1: A-components with a telemetry edge to the position */
	uint8_t *is_entry;           /* per position */
	uint32_t *entry_pos;         /* positions of the entrypoints, by ascending id */
	size_t nentry;
	double *ep_rps;              /* per position: entry traffic, < 0 = unknown */
	int any_rps;                 /* some entrypoint's traffic is known */
	size_t K;                    /* counter levels */
	/* source columns: the failures computed, in position order */
	size_t ncol;
	uint32_t *colpos;            /* column -> position */
	uint32_t *col_of;            /* position -> column, UINT32_MAX when not a source */
	struct pinfo *pi;            /* n+1: what a row's evaluation reads, packed (below) */
	unsigned flags;              /* DC_BLAST_* */
} topo;

typedef DC_VEC(uint32_t) u32v;
typedef DC_VEC(uint64_t) u64v;

/* Per position, what a block reads for every row it visits, in one record
 * (filled by each sweep: the column depends on its sources): the offsets of
 * the hard dependencies and of the reverse D edges (the next record holds
 * the ends), the column, and flags. In the sparse blocks of a big catalog
 * each row visited is a handful of cache misses; these were six of them,
 * in six arrays. */
struct pinfo {
	uint32_t hd, rd, col, fl;
};
#define PI_DFIRST 1u   /* first position of its D component */
#define PI_DSINGLE 2u  /* alone in its D component */
#define PI_ENTRY 4u    /* an entrypoint */
#define PI_GROUPS 8u   /* has any_of groups */

static void topo_free(topo *t)
{
	free(t->order);
	free(t->pos);
	free(t->compof);
	free(t->cstart);
	free(t->dcompof);
	free(t->dstart);
	free(t->dtight);
	free(t->hd_off);
	free(t->pi);
	free(t->hd_to);
	free(t->gr_off);
	free(t->gm_off);
	free(t->gm_to);
	free(t->acfirst);
	free(t->astart);
	free(t->amem);
	free(t->ax_off);
	free(t->ax_to);
	free(t->tl_off);
	free(t->tl_to);
	free(t->rin_off);
	free(t->rin);
	free(t->rd_off);
	free(t->rd_to);
	free(t->acof);
	free(t->rax_off);
	free(t->rax_to);
	free(t->rtl_off);
	free(t->rtl_to);
	free(t->is_entry);
	free(t->entry_pos);
	free(t->ep_rps);
	free(t->colpos);
	free(t->col_of);
}

/* Strongly connected components of a graph in CSR form (nodes 0..n-1,
 * edges to[off[v] .. off[v+1])), iterative Tarjan: comp[v] gets its
 * component's number, in the order Tarjan completes them, so a component
 * is numbered after every component it has an edge to (providers first).
 * Returns the number of components, or -1 when out of memory. */
static long scc_csr(size_t n, const uint32_t *off, const uint32_t *to, uint32_t *comp)
{
	uint32_t *idx = malloc((n + 1) * sizeof(uint32_t)), *low = malloc((n + 1) * sizeof(uint32_t));
	uint32_t *stk = malloc((n + 1) * sizeof(uint32_t)), *cv = malloc((n + 1) * sizeof(uint32_t));
	uint32_t *ce = malloc((n + 1) * sizeof(uint32_t));
	uint32_t next = 0, sp = 0, ncomp = 0;
	size_t s;
	long rc = -1;
	if (!idx || !low || !stk || !cv || !ce)
		goto out;
	for (s = 0; s < n; s++)
		idx[s] = UINT32_MAX;
	for (s = 0; s < n; s++) {
		size_t top = 1;
		if (idx[s] != UINT32_MAX)
			continue;
		cv[0] = (uint32_t)s;
		ce[0] = off[s];
		idx[s] = low[s] = next++;
		stk[sp++] = (uint32_t)s;
		while (top) {
			uint32_t v = cv[top - 1];
			if (ce[top - 1] < off[v + 1]) {
				uint32_t w = to[ce[top - 1]++];
				if (idx[w] == UINT32_MAX) {
					idx[w] = low[w] = next++;
					stk[sp++] = w;
					cv[top] = w;
					ce[top] = off[w];
					top++;
				} else if (comp[w] == UINT32_MAX && idx[w] < low[v]) {
					low[v] = idx[w]; /* on the stack: not yet in a component */
				}
				continue;
			}
			top--;
			if (low[v] == idx[v]) {
				uint32_t w;
				do {
					w = stk[--sp];
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			if (top && low[v] < low[cv[top - 1]])
				low[cv[top - 1]] = low[v];
		}
	}
	rc = (long)ncomp;
out:
	free(idx);
	free(low);
	free(stk);
	free(cv);
	free(ce);
	return rc;
}

/* The D edges of every position in t->order: hard non-group runtime
 * dependencies (hd), and the runtime members of each any_of group that can
 * go down (gm, grouped by gmo, the groups of position p being
 * gr_off[p] .. gr_off[p+1]). Fills t->hd_off, t->gr_off, t->is_entry.
 * hasgrp (by id): the services with a dependency in an any_of group; the
 * others' dependency records are not read (the graph's mask says which
 * edges are hard). */
static int build_dedges(topo *t, const dc_graph *g, const uint8_t *gsoft, const uint8_t *hasgrp, uint32_t *gslot,
			u32v *hd, u32v *gmo, u32v *gm)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dep_t *deps = cat->deps.items;
	const uint8_t *hard = dc__graph_edge_mask(g, DC_EDGES_HARD_ONLY);
	size_t n = t->n, p;
	hd->len = gmo->len = gm->len = 0;
	if (dc_vec_push(gmo, 0))
		return DC_ENOMEM;
	for (p = 0; p < n; p++) {
		dc_id v = t->order[p];
		const dc_id *to;
		size_t first, cnt = dc_graph_out(g, v, &to, &first), j;
		uint32_t ngr = 0, gbase = (uint32_t)(gmo->len - 1);
		t->hd_off[p] = (uint32_t)hd->len;
		t->gr_off[p] = gbase;
		t->is_entry[p] = (uint8_t)dc_service_is_entrypoint(cat, v);
		for (j = 0; j < cnt; j++)
			if (hard[first + j] && dc_vec_push(hd, t->pos[to[j]]))
				return DC_ENOMEM;
		if (!hasgrp[v])
			continue;
		/* groups in order of first appearance; members gathered per group */
		for (j = 0; j < cnt; j++) {
			const dep_t *d = &deps[first + j];
			size_t j2;
			if (!d->group || gsoft[d->group] || gslot[d->group] != UINT32_MAX)
				continue;
			gslot[d->group] = ngr++;
			for (j2 = j; j2 < cnt; j2++)
				if (deps[first + j2].group == d->group && dep_runtime(&deps[first + j2]) &&
				    dc_vec_push(gm, t->pos[to[j2]]))
					return DC_ENOMEM;
			if (dc_vec_push(gmo, (uint32_t)gm->len))
				return DC_ENOMEM;
		}
		for (j = 0; j < cnt; j++)
			if (deps[first + j].group)
				gslot[deps[first + j].group] = UINT32_MAX;
	}
	t->hd_off[n] = (uint32_t)hd->len;
	t->gr_off[n] = (uint32_t)(gmo->len - 1);
	return 0;
}

typedef struct {
	uint32_t key, pos;
} pos_key;

static int cmp_pos_key(const void *a, const void *b)
{
	const pos_key *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Reorder the positions inside each component of all edges by the
 * components of the D graph (providers first), so that rows of DOWN can be
 * evaluated component by component of D while the rows of "affected" keep
 * their components of all edges contiguous; then number the D components
 * and say which are held together by hard edges alone. hd, gmo, gm are the
 * D edges in the current positions (they are rebuilt by the caller). */
static int order_by_d(topo *t, const u32v *hd, const u32v *gmo, const u32v *gm)
{
	size_t n = t->n, p, c, k;
	uint32_t *doff = malloc((n + 1) * sizeof(uint32_t)), *dto = NULL;
	uint32_t *dc = malloc((n + 1) * sizeof(uint32_t)), *hc = malloc((n + 1) * sizeof(uint32_t));
	uint32_t *neworder = NULL;
	pos_key *keys = NULL;
	long nd, nh;
	int rc = DC_ENOMEM;
	size_t e = 0;
	if (!doff || !dc || !hc)
		goto out;
	/* the D graph as one CSR: hard edges, then group members */
	for (p = 0; p < n; p++) {
		doff[p] = (uint32_t)e;
		e += (t->hd_off[p + 1] - t->hd_off[p]) +
		     (gmo->items[t->gr_off[p + 1]] - gmo->items[t->gr_off[p]]);
	}
	doff[n] = (uint32_t)e;
	if (!(dto = malloc((e ? e : 1) * sizeof(uint32_t))))
		goto out;
	for (p = 0, e = 0; p < n; p++) {
		for (k = t->hd_off[p]; k < t->hd_off[p + 1]; k++)
			dto[e++] = hd->items[k];
		for (k = gmo->items[t->gr_off[p]]; k < gmo->items[t->gr_off[p + 1]]; k++)
			dto[e++] = gm->items[k];
	}
	for (p = 0; p < n; p++)
		dc[p] = hc[p] = UINT32_MAX;
	if ((nd = scc_csr(n, doff, dto, dc)) < 0 || (nh = scc_csr(n, t->hd_off, hd->items, hc)) < 0)
		goto out;
	(void)nh;
	/* sort each component's positions by D component (Tarjan's numbering
	 * is providers first; a D component lies inside one component) */
	keys = malloc((n ? n : 1) * sizeof(*keys));
	neworder = malloc((n + 1) * sizeof(dc_id));
	t->dcompof = malloc((n + 1) * sizeof(uint32_t));
	t->dstart = malloc(((size_t)nd + 1) * sizeof(uint32_t));
	t->dtight = malloc((size_t)nd + 1);
	if (!keys || !neworder || !t->dcompof || !t->dstart || !t->dtight)
		goto out;
	for (p = 0; p < n; p++) {
		keys[p].key = dc[p];
		keys[p].pos = (uint32_t)p;
	}
	for (c = 0; c < t->ncomp; c++)
		if (t->cstart[c + 1] - t->cstart[c] > 1)
			qsort(keys + t->cstart[c], t->cstart[c + 1] - t->cstart[c], sizeof(*keys), cmp_pos_key);
	/* number the D components in the new order; tight when every member
	 * has the same component of hard edges */
	t->ndcomp = 0;
	for (p = 0; p < n; p++) {
		uint32_t old = keys[p].pos;
		neworder[p] = t->order[old];
		if (!p || dc[old] != dc[keys[p - 1].pos]) {
			t->dstart[t->ndcomp] = (uint32_t)p;
			t->dtight[t->ndcomp] = 1;
			t->ndcomp++;
		} else if (hc[old] != hc[keys[p - 1].pos]) {
			t->dtight[t->ndcomp - 1] = 0;
		}
		t->dcompof[p] = (uint32_t)(t->ndcomp - 1);
	}
	t->dstart[t->ndcomp] = (uint32_t)n;
	memcpy(t->order, neworder, n * sizeof(dc_id));
	for (p = 0; p < n; p++)
		t->pos[t->order[p]] = (uint32_t)p;
	rc = 0;
out:
	free(doff);
	free(dto);
	free(dc);
	free(hc);
	free(neworder);
	free(keys);
	return rc;
}

/* The reverse of a graph in CSR form, nsrc nodes with edges to nodes
 * below ndst, given as up to two edge lists per node: to1[off1[v] ..
 * off1[v+1]) and, when off2 is given, to2[off2[sel[v]] .. off2[sel[v+1]])
 * (sel NULL: the identity). *roff (ndst+1) and *rto list, for each target,
 * its sources in ascending order. */
static int rev_csr(size_t nsrc, size_t ndst, const uint32_t *off1, const uint32_t *to1, const uint32_t *sel,
		   const uint32_t *off2, const uint32_t *to2, uint32_t **roff, uint32_t **rto)
{
	uint32_t *ro = calloc(ndst + 2, sizeof(uint32_t)), *rt;
	size_t v, e, m = 0;
	*roff = *rto = NULL;
	if (!ro)
		return DC_ENOMEM;
	for (v = 0; v < nsrc; v++) {
		for (e = off1[v]; e < off1[v + 1]; e++)
			ro[to1[e] + 2]++;
		if (off2)
			for (e = off2[sel ? sel[v] : v]; e < off2[sel ? sel[v + 1] : v + 1]; e++)
				ro[to2[e] + 2]++;
	}
	for (v = 0; v < ndst; v++)
		ro[v + 2] += ro[v + 1];
	m = ro[ndst + 1];
	if (!(rt = malloc((m ? m : 1) * sizeof(uint32_t)))) {
		free(ro);
		return DC_ENOMEM;
	}
	/* ro[x + 1] is the next slot of target x */
	for (v = 0; v < nsrc; v++) {
		for (e = off1[v]; e < off1[v + 1]; e++)
			rt[ro[to1[e] + 1]++] = (uint32_t)v;
		if (off2)
			for (e = off2[sel ? sel[v] : v]; e < off2[sel ? sel[v + 1] : v + 1]; e++)
				rt[ro[to2[e] + 1]++] = (uint32_t)v;
	}
	*roff = ro;
	*rto = rt;
	return 0;
}

static int topo_build(topo *t, const dc_graph *g)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dep_t *deps = cat->deps.items;
	const uint8_t *runtime = dc__graph_edge_mask(g, DC_EDGES_RUNTIME);
	size_t n = dc_graph_node_count(g), p, c, k, ng = cat->next_group + 1;
	dc_scc *scc = NULL, *ascc = NULL;
	uint8_t *gsoft = NULL, *akeep = NULL, *hasgrp = NULL;
	uint32_t *gslot = NULL, *cmark = NULL, *pmark = NULL, *acof = NULL;
	pos_key *akeys = NULL;
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
	t->amem = malloc((n + 1) * sizeof(uint32_t));
	t->ax_off = malloc((n + 1) * sizeof(uint32_t));
	t->tl_off = malloc((n + 1) * sizeof(uint32_t));
	t->rin_off = calloc(n + 1, sizeof(uint32_t));
	t->is_entry = calloc(n + 1, 1);
	gsoft = calloc(ng, 1);
	hasgrp = calloc(n + 1, 1);
	gslot = malloc(ng * sizeof(uint32_t));
	cmark = malloc((n + 1) * sizeof(uint32_t));
	pmark = malloc((n + 1) * sizeof(uint32_t));
	acof = malloc((n + 1) * sizeof(uint32_t));
	akeys = malloc((n + 1) * sizeof(*akeys));
	if (!t->order || !t->pos || !t->compof || !t->cstart || !t->hd_off || !t->gr_off ||
	    !t->acfirst || !t->astart || !t->amem || !t->ax_off || !t->tl_off || !t->rin_off ||
	    !t->is_entry || !gsoft || !hasgrp || !gslot || !cmark || !pmark || !acof || !akeys)
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
	/* a group without a runtime member never goes down either: it is
	 * skipped like a soft one (its startup-only members carry nothing) */
	for (k = 0; k < cat->deps.len; k++)
		if (deps[k].group) {
			gsoft[deps[k].group] |= deps[k].kind == DC_DEP_SOFT ? 1 : dep_runtime(&deps[k]) ? 2 : 0;
			hasgrp[deps[k].from] = 1;
		}
	for (k = 0; k < ng; k++)
		gsoft[k] = gsoft[k] != 2;
	for (k = 0; k < ng; k++)
		gslot[k] = UINT32_MAX;
	for (p = 0; p <= n; p++)
		cmark[p] = pmark[p] = UINT32_MAX;
	/* D edges and groups, per position; then positions reordered by the
	 * components of D inside the components of all edges, and the edges
	 * built again in the final positions */
	if (build_dedges(t, g, gsoft, hasgrp, gslot, &hd, &gmo, &gm) || order_by_d(t, &hd, &gmo, &gm) ||
	    build_dedges(t, g, gsoft, hasgrp, gslot, &hd, &gmo, &gm))
		goto out;
	for (k = 0; k < n; k++)
		t->nentry += t->is_entry[k];
	if (!(t->entry_pos = malloc((t->nentry + 1) * sizeof(uint32_t))))
		goto out;
	for (k = 0, c = 0; k < n; k++)
		if (t->is_entry[t->pos[k]])
			t->entry_pos[c++] = t->pos[k];
	/* the A-components: components of the runtime edges without the
	 * telemetry ones. They refine the components of all edges; numbered by
	 * component, then by their own (providers-first) number, which is a
	 * providers-first order of the A graph. Without telemetry edges they
	 * are the components, members in position order. */
	for (k = 0; k < cat->deps.len; k++)
		ntele += dep_runtime(&deps[k]) && dep_telemetry(&deps[k]);
	if (ntele) {
		if (!(akeep = malloc(cat->deps.len + 1)))
			goto out;
		for (k = 0; k < cat->deps.len; k++)
			akeep[k] = (uint8_t)(dep_runtime(&deps[k]) && !dep_telemetry(&deps[k]));
		if (dc_scc_compute_edges(&ascc, g, akeep))
			goto out;
	}
	for (p = 0; p < n; p++) {
		akeys[p].key = ascc ? dc_scc_of(ascc, t->order[p]) : 0;
		akeys[p].pos = (uint32_t)p;
	}
	if (ascc)
		for (c = 0; c < t->ncomp; c++)
			if (t->cstart[c + 1] - t->cstart[c] > 1)
				qsort(akeys + t->cstart[c], t->cstart[c + 1] - t->cstart[c], sizeof(*akeys),
				      cmp_pos_key);
	t->nac = 0;
	for (c = 0; c < t->ncomp; c++) {
		t->acfirst[c] = (uint32_t)t->nac;
		for (p = t->cstart[c]; p < t->cstart[c + 1]; p++) {
			if (p == t->cstart[c] || akeys[p].key != akeys[p - 1].key)
				t->astart[t->nac++] = (uint32_t)p;
			t->amem[p] = akeys[p].pos;
			acof[akeys[p].pos] = (uint32_t)(t->nac - 1);
		}
	}
	t->acfirst[t->ncomp] = (uint32_t)t->nac;
	t->astart[t->nac] = (uint32_t)n;
	/* distinct dependency A-components of each A-component (runtime edges
	 * but telemetry ones), and its distinct telemetry dependencies */
	for (a = 0; a < t->nac; a++) {
		t->ax_off[a] = (uint32_t)ax.len;
		t->tl_off[a] = (uint32_t)tl.len;
		for (k = t->astart[a]; k < t->astart[a + 1]; k++) {
			const dc_id *to;
			size_t first, cnt = dc_graph_out(g, t->order[t->amem[k]], &to, &first), j;
			for (j = 0; j < cnt; j++) {
				uint32_t q = t->pos[to[j]], cw = acof[q];
				if (!runtime[first + j])
					continue;
				if (ntele && dep_telemetry(&deps[first + j])) {
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
	/* in-D-component dependents through D edges (cyclic D components
	 * only): count, prefix sums, fill */
	for (p = 0; p < n; p++) {
		uint32_t q, e;
		for (e = t->hd_off[p]; e < t->hd_off[p + 1]; e++)
			if (t->dcompof[q = hd.items[e]] == t->dcompof[p])
				t->rin_off[q]++;
		for (e = gmo.items[t->gr_off[p]]; e < gmo.items[t->gr_off[p + 1]]; e++)
			if (t->dcompof[q = gm.items[e]] == t->dcompof[p])
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
			if (t->dcompof[q = hd.items[e]] == t->dcompof[p])
				rin.items[t->rin_off[q]++] = (uint32_t)p;
		for (e = gmo.items[t->gr_off[p]]; e < gmo.items[t->gr_off[p + 1]]; e++)
			if (t->dcompof[q = gm.items[e]] == t->dcompof[p])
				rin.items[t->rin_off[q]++] = (uint32_t)p;
	}
	for (p = n; p > 0; p--)
		t->rin_off[p] = t->rin_off[p - 1];
	t->rin_off[0] = 0;
	t->K = 2;
	while (((size_t)1 << (t->K - 1)) <= n)
		t->K++;
	/* the reverse edges the reach of a block follows (run_block) */
	if (rev_csr(n, n, t->hd_off, hd.items, t->gr_off, gmo.items, gm.items, &t->rd_off, &t->rd_to) ||
	    rev_csr(t->nac, t->nac, t->ax_off, ax.items, NULL, NULL, NULL, &t->rax_off, &t->rax_to) ||
	    rev_csr(t->nac, n, t->tl_off, tl.items, NULL, NULL, NULL, &t->rtl_off, &t->rtl_to))
		goto out;
	t->acof = acof;
	acof = NULL;
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
	free(hasgrp);
	free(akeep);
	free(akeys);
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
	word *arena;              /* the block's rows, packed (row_put), reset between blocks */
	size_t atop;              /* words of arena in use (word 0 is never a row) */
	word *tmp, *ctr_d, *ctr_a, *ctr_e, *done;
	uint32_t *kcnt;           /* per column of the block: entrypoint ids kept so far */
	uint32_t *dro, *aro;      /* per position / A-component: its row in arena, 0 = empty
				     (clear between blocks) */
	uint8_t *inq;
	uint32_t *queue;
	word *dmark, *amark;      /* the block's reach: positions, A-components (clear between blocks) */
	uint32_t *wl_d, *wl_a;    /* the same as lists, in the order reached */
	uint32_t *sp_total;       /* per column: entrypoints it takes down (shared, disjoint) */
	dc_id **sp_keep;          /* per column: the smallest entrypoint ids it takes down */
	double *sp_rps;           /* per column: their known traffic, itself included (shared, disjoint) */
	uint32_t *sp_unk;         /* per column: those of unknown traffic, itself included */
} worker;

/* The mask of w words. */
static inline rmask full_mask(size_t w) { return w >= 64 ? ~(rmask)0 : ((rmask)1 << w) - 1; }

/* Rows in the arena: at offset off, the mask of the row's non-zero words,
 * then those words. A packed row holds them in order (word j of the row at
 * index popcount(mask below j)); a dense one (ROW_DENSE set in its offset:
 * the rows of a cycle's fixpoint, rewritten in place) holds word j at index
 * j whatever the mask. A row whose mask is full is the same either way. */
#define ROW_DENSE 0x80000000u
#define ROW_OFF(o) ((o) & ~ROW_DENSE)

/* out |= r (masks om, rm; r dense or packed): only r's non-zero words are
 * read, and a word new to out is copied, so out needs no clearing
 * beforehand. out is a dense scratch row. */
static inline void row_or(word *out, rmask *om, const word *r, rmask rm, int dense, size_t w)
{
	rmask have = *om;
	size_t i = 0;
	if (rm == full_mask(w)) {
		size_t j;
		if (have == rm) {
			for (j = 0; j < w; j++)
				out[j] |= r[j];
			return;
		}
		if (!have) {
			memcpy(out, r, w * sizeof(word));
			*om = rm;
			return;
		}
	}
	*om = have | rm;
	while (rm) {
		size_t j = (size_t)__builtin_ctzll(rm);
		word x = r[dense ? j : i];
		rm &= rm - 1;
		i++;
		if (have >> j & 1)
			out[j] |= x;
		else
			out[j] = x;
	}
}

/* The stored row at offset o (not 0): its words, its mask in *rm, and
 * whether it is dense in *dense. */
static inline const word *row_get(const worker *k, uint32_t o, rmask *rm, int *dense)
{
	const word *r = k->arena + ROW_OFF(o);
	*rm = r[0];
	*dense = (o & ROW_DENSE) != 0;
	return r + 1;
}

/* out |= the stored row at offset o (not 0). */
static inline void row_or_at(const worker *k, word *out, rmask *om, uint32_t o, size_t w)
{
	rmask rm;
	int dense;
	const word *r = row_get(k, o, &rm, &dense);
	row_or(out, om, r, rm, dense, w);
}

/* Word j of the stored row at offset o, j in its mask. */
static inline word row_word(const worker *k, uint32_t o, size_t j)
{
	const word *r = k->arena + ROW_OFF(o);
	if (o & ROW_DENSE)
		return r[1 + j];
	return r[1 + __builtin_popcountll(r[0] & (((rmask)1 << j) - 1))];
}

/* Store the dense scratch row out (mask om) packed at the arena's top;
 * returns its offset, 0 for an empty row. Each row of a block is stored
 * once (a cycle's rows have dense slots, row_slot), so a block needs at
 * most (its rows) x (w + 1) words: the arena is that big. */
static inline uint32_t row_put(worker *k, const word *out, rmask om)
{
	word *r;
	uint32_t o;
	size_t i = 1;
	if (!om)
		return 0;
	o = (uint32_t)k->atop;
	r = k->arena + o;
	r[0] = om;
	while (om) {
		r[i++] = out[__builtin_ctzll(om)];
		om &= om - 1;
	}
	k->atop += i;
	return o;
}

/* A dense slot of w words for a row rewritten in place, empty. */
static inline uint32_t row_slot(worker *k, size_t w)
{
	uint32_t o = (uint32_t)k->atop;
	k->arena[o] = 0;
	k->atop += w + 1;
	return o | ROW_DENSE;
}

/* Set column col of out (mask om). */
static inline void row_set(word *out, rmask *om, size_t col)
{
	size_t j = col >> 6;
	if (!(*om >> j & 1))
		out[j] = 0;
	out[j] |= (word)1 << (col & 63);
	*om |= (rmask)1 << j;
}

/* Is position (or A-component) x in the block's reach? The bitmap is small
 * enough to stay in cache, unlike the row masks: a row outside the reach
 * is empty, so testing the bit first skips the mask's cache miss and the
 * prefetch of a row that would not be read. */
#define MARKED(mark, x) ((mark)[(x) >> 6] >> ((x) & 63) & 1)

/* Evaluate D of position p into the scratch row out[0..w); returns its
 * mask (0: empty). Words outside the mask are stale. */
static rmask eval_d(const worker *k, size_t p, size_t b0, size_t b1, size_t w, word *out)
/* b0, b1: the block's column range */
{
	const topo *t = k->t;
	uint32_t e, gi, gend;
	rmask om = 0;
	/* the rows are scattered: ask for all of them before the first is
	 * needed, so that the misses overlap */
	const struct pinfo *pi = t->pi + p;
	for (e = pi[0].hd; e < pi[1].hd; e++) {
		uint32_t q = t->hd_to[e];
		if (MARKED(k->dmark, q)) {
			uint32_t o = k->dro[q];
			if (o)
				__builtin_prefetch(k->arena + ROW_OFF(o));
		}
	}
	for (e = pi[0].hd; e < pi[1].hd; e++) {
		uint32_t q = t->hd_to[e], o;
		if (MARKED(k->dmark, q) && (o = k->dro[q]))
			row_or_at(k, out, &om, o, w);
	}
	gend = pi[0].fl & PI_GROUPS ? t->gr_off[p + 1] : 0;
	for (gi = pi[0].fl & PI_GROUPS ? t->gr_off[p] : 0; gi < gend; gi++) {
		uint32_t m0 = t->gm_off[gi], m1 = t->gm_off[gi + 1], m;
		rmask am = m0 < m1 ? full_mask(w) : 0, nm = 0;
		for (m = m0; m < m1 && am; m++) {
			uint32_t q = t->gm_to[m], o = MARKED(k->dmark, q) ? k->dro[q] : 0;
			am &= o ? k->arena[ROW_OFF(o)] : 0;
		}
		if (!am)
			continue; /* a member nobody in the block takes down */
		while (am) {
			size_t j = (size_t)__builtin_ctzll(am);
			word x = ~(word)0;
			am &= am - 1;
			for (m = m0; m < m1 && x; m++)
				x &= row_word(k, k->dro[t->gm_to[m]], j);
			k->tmp[j] = x;
			nm |= (rmask)(x != 0) << j;
		}
		if (nm)
			row_or(out, &om, k->tmp, nm, 1, w);
	}
	if ((size_t)pi[0].col - b0 < b1 - b0)
		row_set(out, &om, pi[0].col - b0);
	return om;
}

/* Add a row (mask rm), times 2^level, to the bit-sliced column counters. */
static void ctr_add(word *ctr, size_t W, size_t K, const word *row, rmask rm, int dense, size_t level)
{
	size_t i = 0;
	while (rm) {
		size_t j = (size_t)__builtin_ctzll(rm), l;
		word x = row[dense ? j : i];
		rm &= rm - 1;
		i++;
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

/* The rows of DOWN of D component d (positions s0 .. s1), of two or more
 * positions (run_block evaluates a position alone in its component). */
static void run_dcomp(worker *k, size_t d, size_t b0, size_t b1, size_t w)
{
	const topo *t = k->t;
	size_t W = k->W, s0 = t->dstart[d], s1 = t->dstart[d + 1], sz = s1 - s0, p;
	uint32_t e;
	if (t->dtight[d]) {
		/* held together by hard edges: whoever takes one member down
		 * takes them all down, so every member's row is the same (stored
		 * once), the union of what each member's own dependencies outside
		 * the component bring (an any_of group with a member inside adds
		 * nothing: its AND is within that union) and the members' seeds */
		word *x = k->tmp + 2 * W, *nw = k->tmp + W;
		rmask xm = 0, nm;
		uint32_t o;
		for (p = s0; p < s1; p++)
			k->dro[p] = 0;
		for (p = s0; p < s1; p++)
			if ((nm = eval_d(k, p, b0, b1, w, nw)))
				row_or(x, &xm, nw, nm, 1, w);
		o = row_put(k, x, xm);
		for (p = s0; p < s1; p++)
			k->dro[p] = o;
	} else {
		/* least fixpoint inside the cycle, from the seeds up; each member
		 * has a dense slot, rewritten in place as its row grows */
		size_t qh = 0, qt = 0, qn = sz;
		word *nw = k->tmp + W;  /* second scratch row */
		for (p = s0; p < s1; p++) {
			k->dro[p] = row_slot(k, w);
			k->queue[qt++] = (uint32_t)p;
			k->inq[p] = 1;
		}
		qt = 0; /* the ring is full: the tail wraps to the head */
		while (qn) {
			size_t q = k->queue[qh];
			word *r = k->arena + ROW_OFF(k->dro[q]);
			rmask nm, old = r[0], x;
			int changed;
			qh = qh + 1 == sz ? 0 : qh + 1;
			qn--;
			k->inq[q] = 0;
			nm = eval_d(k, q, b0, b1, w, nw);
			if (!nm)
				continue; /* rows only grow: it was empty and still is */
			changed = nm != old;
			for (x = nm; x && !changed; x &= x - 1)
				changed = nw[__builtin_ctzll(x)] != r[1 + __builtin_ctzll(x)];
			if (!changed)
				continue;
			for (x = nm; x; x &= x - 1)
				r[1 + __builtin_ctzll(x)] = nw[__builtin_ctzll(x)];
			r[0] = nm;
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
		/* members left empty read as empty without touching the arena */
		for (p = s0; p < s1; p++)
			if (!k->arena[ROW_OFF(k->dro[p])])
				k->dro[p] = 0;
	}
}

/* SPOFs of the block's columns, once its rows of DOWN are final: each
 * column's count of entrypoints taken down (the bit-sliced ctr_e, less the
 * column's own row when the failed service is an entrypoint itself) and the
 * DC_BLAST_SPOF_KEPT smallest of their ids, found by reading the entrypoint
 * rows in ascending id order until each column has its share (a column
 * whose share is full is masked out). Rows before position `first` were
 * not computed in this block and take nothing down. */
static int spof_collect(worker *k, size_t b0, size_t b1, size_t w, size_t first)
{
	const topo *t = k->t;
	size_t W = k->W, col, e, j, open = 0;
	ctr_extract(k->ctr_e, W, t->K, b1 - b0, k->sp_total + b0);
	memset(k->done, 0, w * sizeof(word));
	for (col = b0; col < b1; col++) {
		uint32_t tot;
		if (t->is_entry[t->colpos[col]])
			k->sp_total[col]--;  /* its own row */
		tot = k->sp_total[col];
		k->kcnt[col - b0] = 0;
		if (!tot) {
			k->done[(col - b0) >> 6] |= (word)1 << ((col - b0) & 63);
			continue;
		}
		k->sp_keep[col] = malloc((tot < DC_BLAST_SPOF_KEPT ? tot : DC_BLAST_SPOF_KEPT) * sizeof(dc_id));
		if (!k->sp_keep[col])
			return DC_ENOMEM;
		open++;
	}
	for (e = 0; e < t->nentry && open; e++) {
		size_t p = t->entry_pos[e], i;
		const word *r;
		size_t self = (size_t)t->col_of[p] - b0;
		rmask rm;
		uint32_t o;
		int dense;
		if (p < first || !MARKED(k->dmark, p) || !(o = k->dro[p]))
			continue;
		r = row_get(k, o, &rm, &dense);
		for (i = 0; rm; rm &= rm - 1, i++) {
			word x;
			j = (size_t)__builtin_ctzll(rm);
			x = r[dense ? j : i] & ~k->done[j];
			if (self < b1 - b0 && self >> 6 == j)
				x &= ~((word)1 << (self & 63));
			while (x) {
				size_t c = j * 64 + (size_t)__builtin_ctzll(x);
				uint32_t m = k->kcnt[c]++;
				x &= x - 1;
				k->sp_keep[b0 + c][m] = t->order[p];
				if (m + 1 == DC_BLAST_SPOF_KEPT || m + 1 == k->sp_total[b0 + c]) {
					k->done[j] |= (word)1 << (c & 63);
					open--;
				}
			}
		}
	}
	return 0;
}

/* Traffic lost per column (requests/s of the entrypoints it takes down,
 * its own included: an entrypoint's users lose it all the same), once its
 * rows of DOWN are final. Without any known entry traffic the sums follow
 * from the counts (every entrypoint taken down is of unknown traffic), so
 * the per-pair walk runs only when some traffic is known. */
static void traffic_collect(worker *k, size_t b0, size_t b1, size_t first)
{
	const topo *t = k->t;
	size_t col, e, j;
	if (!t->any_rps) {
		for (col = b0; col < b1; col++)
			k->sp_unk[col] = k->sp_total[col] + (t->is_entry[t->colpos[col]] ? 1 : 0);
		return;
	}
	for (e = 0; e < t->nentry; e++) {
		size_t p = t->entry_pos[e], i;
		const word *r;
		rmask rm;
		uint32_t o;
		int dense;
		if (p < first || !MARKED(k->dmark, p) || !(o = k->dro[p]))
			continue;
		r = row_get(k, o, &rm, &dense);
		for (i = 0; rm; rm &= rm - 1, i++) {
			word x;
			j = (size_t)__builtin_ctzll(rm);
			x = r[dense ? j : i];
			while (x) {
				size_t c = b0 + j * 64 + (size_t)__builtin_ctzll(x);
				x &= x - 1;
				if (t->ep_rps[p] >= 0)
					k->sp_rps[c] += t->ep_rps[p];
				else
					k->sp_unk[c]++;
			}
		}
	}
}

/* The block's reach: every position that a DOWN chain can lead from one
 * of its sources to (reverse D edges: hard deps, any_of members), then
 * every A-component that can be affected (the sources' own, those with a
 * telemetry edge to a position reached, and their dependents through
 * non-telemetry edges). Rows outside the reach are empty by definition:
 * D[v] holds s only if v reaches s over D edges, A[c] only if c reaches s.
 * Marks in k->dmark / k->amark, lists in k->wl_d / k->wl_a; the extent of
 * the marks in lo/hi (lo[0] > hi[0] when nothing: never, a source reaches
 * itself). */
static void reach_mark(worker *k, size_t b0, size_t b1, size_t *nd, size_t *na, size_t lo[2], size_t hi[2])
{
	const topo *t = k->t;
	size_t n_d = 0, n_a = 0, i, col;
	uint32_t e;
	lo[0] = lo[1] = SIZE_MAX;
	hi[0] = hi[1] = 0;
#define REACH_PUSH(mark, wl, cnt, x, l, h)                                  \
	do {                                                                \
		uint32_t x_ = (x);                                          \
		if (!(mark[x_ >> 6] >> (x_ & 63) & 1)) {                    \
			mark[x_ >> 6] |= (word)1 << (x_ & 63);              \
			wl[cnt++] = x_;                                     \
			if (x_ < l)                                         \
				l = x_;                                     \
			if (x_ > h)                                         \
				h = x_;                                     \
		}                                                           \
	} while (0)
	for (col = b0; col < b1 && !(t->flags & BLAST_AFFECTED_ONLY); col++)
		REACH_PUSH(k->dmark, k->wl_d, n_d, t->colpos[col], lo[0], hi[0]);
	for (i = 0; i < n_d; i++) {
		uint32_t q = k->wl_d[i];
		for (e = t->pi[q].rd; e < t->pi[q + 1].rd; e++)
			REACH_PUSH(k->dmark, k->wl_d, n_d, t->rd_to[e], lo[0], hi[0]);
	}
	if (!(t->flags & DC_BLAST_NO_DEGRADED)) {
		for (col = b0; col < b1; col++)
			REACH_PUSH(k->amark, k->wl_a, n_a, t->acof[t->colpos[col]], lo[1], hi[1]);
		for (i = 0; i < n_d; i++) {
			uint32_t q = k->wl_d[i];
			for (e = t->rtl_off[q]; e < t->rtl_off[q + 1]; e++)
				REACH_PUSH(k->amark, k->wl_a, n_a, t->rtl_to[e], lo[1], hi[1]);
		}
		for (i = 0; i < n_a; i++) {
			uint32_t c = k->wl_a[i];
			for (e = t->rax_off[c]; e < t->rax_off[c + 1]; e++)
				REACH_PUSH(k->amark, k->wl_a, n_a, t->rax_to[e], lo[1], hi[1]);
		}
	}
#undef REACH_PUSH
	*nd = n_d;
	*na = n_a;
}

static int run_block(worker *k, size_t b)
{
	const topo *t = k->t;
	size_t W = k->W, K = t->K;
	size_t b0 = b * W * 64, b1 = b0 + W * 64, w, c, d0, p, i, wi, nd, na, lo[2], hi[2];
	if (b1 > t->ncol)
		b1 = t->ncol;
	w = (b1 - b0 + 63) / 64;
	d0 = t->dcompof[t->colpos[b0]];
	memset(k->ctr_d, 0, K * W * sizeof(word));
	memset(k->ctr_a, 0, K * W * sizeof(word));
	memset(k->ctr_e, 0, K * W * sizeof(word));
	reach_mark(k, b0, b1, &nd, &na, lo, hi);
	/* DOWN: the rows reached, by components of D, providers first (a
	 * D component is reached whole: its members reach each other, so its
	 * first position is the first one met in position order) */
	for (wi = lo[0] >> 6; nd && wi <= hi[0] >> 6; wi++) {
		word x = k->dmark[wi];
		while (x) {
			size_t d, p1;
			uint32_t fl;
			p = wi * 64 + (size_t)__builtin_ctzll(x);
			x &= x - 1;
			fl = t->pi[p].fl;
			if (!(fl & PI_DFIRST))
				continue;
			if (fl & PI_DSINGLE) {
				/* most rows: no component to look up; counted from the
				 * scratch row, then stored */
				word *sc = k->tmp + 3 * W;
				rmask m = eval_d(k, p, b0, b1, w, sc);
				if (m) {
					ctr_add(k->ctr_d, W, K, sc, m, 1, 0);
					if ((fl & PI_ENTRY) && !(t->flags & DC_BLAST_NO_SPOFS))
						ctr_add(k->ctr_e, W, K, sc, m, 1, 0);
				}
				k->dro[p] = row_put(k, sc, m);
				continue;
			}
			d = t->dcompof[p];
			run_dcomp(k, d, b0, b1, w);
			p1 = t->dstart[d + 1];
			for (; p < p1; p++) {
				uint32_t o = k->dro[p];
				const word *r;
				rmask rm;
				int dense;
				if (!o)
					continue;
				r = row_get(k, o, &rm, &dense);
				ctr_add(k->ctr_d, W, K, r, rm, dense, 0);
				if ((t->pi[p].fl & PI_ENTRY) && !(t->flags & DC_BLAST_NO_SPOFS))
					ctr_add(k->ctr_e, W, K, r, rm, dense, 0);
			}
		}
	}
	if (!(t->flags & DC_BLAST_NO_SPOFS)) {
		if (spof_collect(k, b0, b1, w, t->dstart[d0]))
			return DC_ENOMEM;
		traffic_collect(k, b0, b1, t->dstart[d0]);
	}
	/* affected = reachability, one row per A-component reached (components
	 * of all edges but the telemetry ones), providers first; a telemetry
	 * dependency affects only when DOWN, so its final D row is ORed */
	for (wi = lo[1] >> 6; na && wi <= hi[1] >> 6; wi++) {
		word xm = k->amark[wi];
		while (xm) {
			size_t s0, s1, sz, m;
			word *a;
			uint32_t e;
			rmask am = 0;
			c = wi * 64 + (size_t)__builtin_ctzll(xm);
			xm &= xm - 1;
			s0 = t->astart[c];
			s1 = t->astart[c + 1];
			sz = s1 - s0;
			a = k->tmp + 4 * W; /* scratch, stored below */
			/* as in eval_d: only the rows in the block's reach */
			for (e = t->ax_off[c]; e < t->ax_off[c + 1]; e++) {
				uint32_t cw = t->ax_to[e];
				if (MARKED(k->amark, cw)) {
					uint32_t o = k->aro[cw];
					if (o)
						__builtin_prefetch(k->arena + ROW_OFF(o));
				}
			}
			for (e = t->ax_off[c]; e < t->ax_off[c + 1]; e++) {
				uint32_t cw = t->ax_to[e], o;
				if (MARKED(k->amark, cw) && (o = k->aro[cw]))
					row_or_at(k, a, &am, o, w);
			}
			for (e = t->tl_off[c]; e < t->tl_off[c + 1]; e++) {
				uint32_t q = t->tl_to[e], o;
				if (MARKED(k->dmark, q) && (o = k->dro[q]))
					row_or_at(k, a, &am, o, w);
			}
			for (m = s0; m < s1; m++) {
				size_t col = (size_t)t->col_of[t->amem[m]] - b0;
				if (col >= b1 - b0)
					continue;
				row_set(a, &am, col);
			}
			if (am) {
				size_t l;
				for (l = 0; l < K && ((size_t)1 << l) <= sz; l++)
					if (sz >> l & 1)
						ctr_add(k->ctr_a, W, K, a, am, 1, l);
			}
			k->aro[c] = row_put(k, a, am);
		}
	}
	ctr_extract(k->ctr_d, W, K, b1 - b0, k->cnt_d + b0);
	ctr_extract(k->ctr_a, W, K, b1 - b0, k->cnt_a + b0);
	/* leave the flags and marks clear for the next block */
	for (i = 0; i < nd; i++) {
		k->dro[k->wl_d[i]] = 0;
		k->dmark[k->wl_d[i] >> 6] = 0;
	}
	for (i = 0; i < na; i++) {
		k->aro[k->wl_a[i]] = 0;
		k->amark[k->wl_a[i] >> 6] = 0;
	}
	k->atop = 1;
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

/* The big row arrays, read at random: on huge pages where the system
 * offers them on request (dc_mem_hint_huge). The rows of a block are
 * scattered over hundreds of megabytes at 1,000,000 services, so with
 * 4 KiB pages nearly every row read missed the TLB as well, and every
 * first touch was a page fault of its own (337,000 of them in plan's two
 * sweeps at 1M, 83,000 with the hint). */
static void *rows_alloc(size_t bytes)
{
	void *p = malloc(bytes);
	dc_mem_hint_huge(p, bytes);
	return p;
}

static void *rows_calloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	dc_mem_hint_huge(p, n * size);
	return p;
}

static int worker_init(worker *k, const topo *t, size_t W, size_t rows)
{
	size_t n = t->n;
	memset(k, 0, sizeof(*k));
	k->t = t;
	k->W = W;
	/* every row a block visits (rows: D and A rows of the sweep) is
	 * stored once, at most W + 1 words, after word 0 */
	k->arena = rows_alloc((rows + 1) * (W + 1) * sizeof(word));
	k->atop = 1;
	k->tmp = malloc(5 * W * sizeof(word));
	k->ctr_d = malloc(t->K * W * sizeof(word));
	k->ctr_a = malloc(t->K * W * sizeof(word));
	k->ctr_e = malloc(t->K * W * sizeof(word));
	k->done = malloc(W * sizeof(word));
	k->kcnt = malloc(W * 64 * sizeof(uint32_t));
	k->dro = rows_calloc(n + 1, sizeof(uint32_t));
	k->aro = rows_calloc(t->nac + 1, sizeof(uint32_t));
	k->inq = calloc(n + 1, 1);
	k->queue = malloc((n + 1) * sizeof(uint32_t));
	k->dmark = calloc(n / 64 + 1, sizeof(word));
	k->amark = calloc(t->nac / 64 + 1, sizeof(word));
	k->wl_d = malloc((n + 1) * sizeof(uint32_t));
	k->wl_a = malloc((t->nac + 1) * sizeof(uint32_t));
	if (!k->arena || !k->tmp || !k->ctr_d || !k->ctr_a || !k->ctr_e || !k->done || !k->kcnt ||
	    !k->dro || !k->aro || !k->inq || !k->queue || !k->dmark || !k->amark || !k->wl_d || !k->wl_a)
		return DC_ENOMEM;
	return 0;
}

static void worker_free(worker *k)
{
	free(k->arena);
	free(k->tmp);
	free(k->ctr_d);
	free(k->ctr_a);
	free(k->ctr_e);
	free(k->done);
	free(k->kcnt);
	free(k->dro);
	free(k->aro);
	free(k->inq);
	free(k->queue);
	free(k->dmark);
	free(k->amark);
	free(k->wl_d);
	free(k->wl_a);
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

/* One sweep: the columns are the positions with colmask[p] set (NULL:
 * every position), flags DC_BLAST_*. Results by service id into b: down,
 * degraded and, without DC_BLAST_NO_SPOFS, the SPOFs and the traffic lost;
 * with deg_only, only the degraded counts of the columns. */
static int sweep(topo *t, const uint8_t *colmask, unsigned flags, const dc_blast_options *opts, dc_blast *b,
		 int deg_only)
{
	worker *wk = NULL;
	pthread_t *th = NULL;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t n = t->n, W, nblocks, next = 0, i, budget;
	int one_kind = (flags & (DC_BLAST_NO_DEGRADED | BLAST_AFFECTED_ONLY)) != 0;
	size_t rows = ((flags & BLAST_AFFECTED_ONLY) ? 0 : n) + ((flags & DC_BLAST_NO_DEGRADED) ? 0 : t->nac);
	unsigned nthreads, started = 0, ti, nworkers = 0;
	uint32_t *cnt_d = NULL, *cnt_a = NULL, *sp_total = NULL, *sp_unk = NULL;
	double *sp_rps = NULL;
	dc_id **sp_keep = NULL;
	int rc = DC_ENOMEM;

	t->ncol = 0;
	t->flags = flags;
	for (i = 0; i < n; i++) {
		if (colmask && !colmask[i]) {
			t->col_of[i] = UINT32_MAX;
			continue;
		}
		t->col_of[i] = (uint32_t)t->ncol;
		t->colpos[t->ncol++] = (uint32_t)i;
	}
	if (!t->pi && !(t->pi = rows_alloc((n + 1) * sizeof(*t->pi))))
		return DC_ENOMEM;
	for (i = 0; i <= n; i++) {
		struct pinfo *q = &t->pi[i];
		q->hd = t->hd_off[i];
		q->rd = t->rd_off[i];
		q->col = i < n ? t->col_of[i] : UINT32_MAX;
		q->fl = 0;
		if (i == n)
			break;
		if (!i || t->dcompof[i - 1] != t->dcompof[i])
			q->fl |= PI_DFIRST;
		if (t->dstart[t->dcompof[i] + 1] - t->dstart[t->dcompof[i]] == 1)
			q->fl |= PI_DSINGLE;
		if (t->is_entry[i])
			q->fl |= PI_ENTRY;
		if (t->gr_off[i + 1] != t->gr_off[i])
			q->fl |= PI_GROUPS;
	}
	cnt_d = calloc(n + 1, sizeof(uint32_t));
	cnt_a = calloc(n + 1, sizeof(uint32_t));
	sp_total = calloc(n + 1, sizeof(uint32_t));
	sp_keep = calloc(n + 1, sizeof(dc_id *));
	sp_rps = calloc(n + 1, sizeof(double));
	sp_unk = calloc(n + 1, sizeof(uint32_t));
	if (!cnt_d || !cnt_a || !sp_total || !sp_keep || !sp_rps || !sp_unk)
		goto out;
	nthreads = blast_threads(opts, n);
	/* bitsets per worker: BLAST_BUDGET each, within [MIN, MAX] in all */
	budget = (one_kind ? BLAST_BUDGET_ONE : BLAST_BUDGET) * nthreads;
	if (budget < BLAST_BUDGET_MIN)
		budget = BLAST_BUDGET_MIN;
	if (budget > BLAST_BUDGET_MAX)
		budget = BLAST_BUDGET_MAX;
	W = forced_words;
	if (!W) {
		/* 16 words (1,024 sources) a block: wider blocks mean fewer passes
		 * but rows that no longer stay in cache; measured best at 10,000
		 * and 100,000 services (3x and 1.3x faster than one wide block) */
		size_t per_thread = (t->ncol + 63) / 64 / ((size_t)nthreads * BLAST_BLOCKS_PER_THREAD);
		W = budget / nthreads / (sizeof(word) * (rows + 1));
		if (W > (one_kind ? BLAST_BLOCK_WORDS_ONE : BLAST_BLOCK_WORDS))
			W = one_kind ? BLAST_BLOCK_WORDS_ONE : BLAST_BLOCK_WORDS;
		/* enough blocks that every worker stays busy to the end */
		if (nthreads > 1 && W > per_thread)
			W = per_thread;
		if (W < 1)
			W = 1;
	}
	if (W > BLAST_WORDS_MAX)
		W = BLAST_WORDS_MAX;
	/* a row's offset in the arena is 31 bits */
	while (W > 1 && (rows + 1) * (W + 1) >= ROW_DENSE)
		W /= 2;
	if ((rows + 1) * (W + 1) >= ROW_DENSE)
		goto out; /* DC_ENOMEM: over 2^31 words of rows */
	if (W > (t->ncol + 63) / 64)
		W = (t->ncol + 63) / 64 ? (t->ncol + 63) / 64 : 1;
	nblocks = t->ncol ? (t->ncol + W * 64 - 1) / (W * 64) : 0;
	if (nthreads > nblocks)
		nthreads = nblocks ? (unsigned)nblocks : 1;
	wk = calloc(nthreads, sizeof(*wk));
	th = calloc(nthreads, sizeof(*th));
	if (!wk || !th)
		goto out;
	nworkers = nthreads;
	for (ti = 0; ti < nthreads; ti++) {
		if (worker_init(&wk[ti], t, W, rows))
			goto out;
		wk[ti].nblocks = nblocks;
		wk[ti].lock = &lock;
		wk[ti].next_block = &next;
		wk[ti].cnt_d = cnt_d;
		wk[ti].cnt_a = cnt_a;
		wk[ti].sp_total = sp_total;
		wk[ti].sp_keep = sp_keep;
		wk[ti].sp_rps = sp_rps;
		wk[ti].sp_unk = sp_unk;
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
	for (i = 0; i < t->ncol; i++) {
		dc_id v = t->order[t->colpos[i]];
		if (!deg_only)
			b->down[v] = cnt_d[i] ? cnt_d[i] - 1 : 0;
		if (flags & BLAST_AFFECTED_ONLY)
			b->degraded[v] = cnt_a[i] - (b->down[v] + 1);  /* both count s itself */
		else
			b->degraded[v] = (flags & DC_BLAST_NO_DEGRADED) ? 0 : cnt_a[i] - cnt_d[i];
	}
	if (deg_only) {
		rc = 0;
		goto out;
	}
	/* SPOFs: a total per failing service and the smallest entrypoint ids
	 * kept, in ascending order (independent of threads and blocks): each
	 * column's list was filled in that order (spof_collect reads the
	 * entrypoint rows by ascending id) */
	for (i = 0; i < t->ncol; i++) {
		dc_id v = t->order[t->colpos[i]];
		b->spof_total[v] = sp_total[i];
		b->lost_rps[v] = sp_rps[i];
		b->lost_unk[v] = sp_unk[i];
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
	for (i = 0; i < t->ncol; i++) {
		dc_id v = t->order[t->colpos[i]];
		size_t k = b->spof_off[v + 1] - b->spof_off[v];
		if (!k)
			continue;
		memcpy(b->spof_ep + b->spof_off[v], sp_keep[i], k * sizeof(dc_id));
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
	free(sp_rps);
	free(sp_unk);
	free(cnt_d);
	free(cnt_a);
	return rc;
}

/* ---- estimated DEGRADED counts (DC_BLAST_ESTIMATE) -------------------------
 *
 * "Affected" (DOWN or DEGRADED) is reachability over reverse runtime edges,
 * except that a telemetry edge carries only DOWN: so A(s) lies between the
 * services that reach s over non-telemetry runtime edges (A-components) and
 * those that reach it over every runtime edge (components). The size of
 * each is estimated with a HyperLogLog sketch per component, built in one
 * pass consumers first (a component's registers are final once every
 * dependent component has pushed its own into it: they come later in the
 * providers-first numbering), with a fixed hash of the service id, so the
 * result is deterministic. degraded = |A| - |DOWN|, DOWN being exact. The
 * sketches need the graph alone: with threads, they are made on a second
 * thread while the second sweep runs (est_job). */

#define HLL_REGS 128u  /* registers: relative standard error 1.04 / sqrt(128) = 9.2 % */
#define HLL_AHEAD 4    /* merges whose target registers are prefetched ahead */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void hll_add(uint8_t *r, dc_id id)
{
	uint64_t h = mix64((uint64_t)id ^ 0x5bd1e9955bd1e995ULL);
	uint64_t rest = h >> 7;                               /* 57 bits */
	uint8_t rank = (uint8_t)(rest ? __builtin_clzll(rest) - 6 : 58);
	if (r[h & (HLL_REGS - 1)] < rank)
		r[h & (HLL_REGS - 1)] = rank;
}

static void hll_merge(uint8_t *restrict to, const uint8_t *restrict from)
{
	size_t j;
	for (j = 0; j < HLL_REGS; j++)
		to[j] = to[j] > from[j] ? to[j] : from[j];
}

/* The estimated size of the set: HyperLogLog, linear counting while some
 * registers are empty and the estimate is small. */
static double hll_count(const uint8_t *r)
{
	double sum = 0, e;
	size_t j, zeros = 0;
	uint64_t isum = 0;
	uint8_t rmax = 0;
	for (j = 0; j < HLL_REGS; j++) {
		rmax = r[j] > rmax ? r[j] : rmax;
		zeros += !r[j];
	}
	if (rmax <= 45) {
		/* every 2^-r[j] is a multiple of 2^-45 and the sum at most 128:
		 * the sum, scaled by 2^45, is an integer below 2^53, and the sum
		 * of doubles below is exact at every step, so this is the same
		 * number, without a chain of floating-point adds */
		for (j = 0; j < HLL_REGS; j++)
			isum += (uint64_t)1 << (45 - r[j]);
		sum = (double)isum * 0x1p-45;  /* a power of two: exact */
	} else {
		for (j = 0; j < HLL_REGS; j++) {
			/* 2^-r[j] (r[j] <= 58), made from its exponent bits: exact,
			 * so the same sum as ldexp's, without a libm call per
			 * register */
			uint64_t bits = (uint64_t)(1023 - r[j]) << 52;
			double x;
			memcpy(&x, &bits, sizeof(x));
			sum += x;
		}
	}
	e = 0.7213 / (1 + 1.079 / HLL_REGS) * HLL_REGS * HLL_REGS / sum;
	if (e <= 2.5 * HLL_REGS && zeros)
		e = HLL_REGS * log((double)HLL_REGS / (double)zeros);
	return e;
}

/* Estimates of |A(s)| over the components (every runtime edge: above) and
 * over the A-components (no telemetry edge: below), by position. reg: room
 * for the registers of every A-component (there are at least as many as
 * components); nothing is allocated here. */
static void hll_pass(const topo *t, const dc_graph *g, int all_edges, uint8_t *reg, double *est)
{
	const uint8_t *runtime = dc__graph_edge_mask(g, DC_EDGES_RUNTIME);
	size_t nc = all_edges ? t->ncomp : t->nac, p;
	long c;
	memset(reg, 0, (nc ? nc : 1) * HLL_REGS);
	for (c = (long)nc - 1; c >= 0; c--) {
		uint8_t *r = reg + (size_t)c * HLL_REGS;
		size_t m0 = all_edges ? t->cstart[c] : t->astart[c];
		size_t m1 = all_edges ? t->cstart[c + 1] : t->astart[c + 1], m;
		for (m = m0; m < m1; m++)
			hll_add(r, t->order[all_edges ? m : t->amem[m]]);
		if (all_edges) {
			/* push into every dependency's component */
			for (m = m0; m < m1; m++) {
				const dc_id *to;
				size_t first, cnt = dc_graph_out(g, t->order[m], &to, &first), j;
				for (j = 0; j < cnt; j++) {
					uint32_t cw = t->compof[t->pos[to[j]]];
					if (runtime[first + j] && cw != (uint32_t)c)
						hll_merge(reg + (size_t)cw * HLL_REGS, r);
				}
			}
		} else {
			/* the targets are known: their registers are fetched a few
			 * merges ahead (scattered over nc x 128 bytes) */
			uint32_t e, e1 = t->ax_off[c + 1];
			for (e = t->ax_off[c]; e < e1; e++) {
				if (e + HLL_AHEAD < e1) {
					const uint8_t *x = reg + (size_t)t->ax_to[e + HLL_AHEAD] * HLL_REGS;
					__builtin_prefetch(x, 1);
					__builtin_prefetch(x + HLL_REGS - 1, 1);
				}
				hll_merge(reg + (size_t)t->ax_to[e] * HLL_REGS, r);
			}
		}
	}
	/* one count per component: its members share the registers */
	for (p = 0; p < t->n; p++) {
		size_t cc = all_edges ? t->compof[p] : t->acof[p];
		if (p && cc == (all_edges ? t->compof[p - 1] : t->acof[p - 1]))
			est[p] = est[p - 1];
		else
			est[p] = hll_count(reg + cc * HLL_REGS);
	}
}

/* What the estimate needs of the graph alone, not of the sweep: the two
 * sketches' estimates by position (lo NULL without telemetry edges: the
 * A-components are the components) and which positions have a runtime
 * dependent. Its memory is allocated by est_new, on the calling thread, so
 * est_run allocates nothing and can run beside the sweep, which writes no
 * field of the topo that it reads. */
typedef struct {
	const topo *t;
	const dc_graph *g;
	double *hi, *lo;
	uint8_t *hasdep, *reg;
} est_job;

static void est_free(est_job *j)
{
	free(j->hi);
	free(j->lo);
	free(j->hasdep);
	free(j->reg);
	memset(j, 0, sizeof(*j));
}

static int est_new(est_job *j, const topo *t, const dc_graph *g)
{
	size_t n = t->n;
	memset(j, 0, sizeof(*j));
	j->t = t;
	j->g = g;
	j->hi = malloc((n + 1) * sizeof(double));
	j->hasdep = calloc(n + 1, 1);
	j->reg = malloc((t->nac ? t->nac : 1) * HLL_REGS);
	if (t->tl_off[t->nac])
		j->lo = malloc((n + 1) * sizeof(double));
	if (!j->hi || !j->hasdep || !j->reg || (t->tl_off[t->nac] && !j->lo)) {
		est_free(j);
		return DC_ENOMEM;
	}
	return 0;
}

static void *est_run(void *arg)
{
	est_job *j = arg;
	const topo *t = j->t;
	const uint8_t *runtime = dc__graph_edge_mask(j->g, DC_EDGES_RUNTIME);
	size_t p;
	/* without telemetry edges the A-components are the components, and
	 * their distinct dependency components (ax) are the pushes of every
	 * runtime edge, less the repeats (a max: the same registers) */
	hll_pass(t, j->g, j->lo != NULL, j->reg, j->hi);
	/* which services have a runtime dependent: one that fails affects
	 * someone (DEGRADED at least), one without affects nobody. Both are
	 * exact, so "takes nothing else down or degraded" never rests on an
	 * estimate */
	for (p = 0; p < t->n; p++) {
		const dc_id *to;
		size_t first, cnt = dc_graph_out(j->g, t->order[p], &to, &first), k;
		for (k = 0; k < cnt; k++)
			if (runtime[first + k] && t->pos[to[k]] != p)
				j->hasdep[t->pos[to[k]]] = 1;
	}
	if (j->lo)
		hll_pass(t, j->g, 0, j->reg, j->lo);
	return NULL;
}

/* DEGRADED of the columns not computed exactly (exact[p] clear, colmask[p]
 * set): the estimate and its bounds (docs/model.md, "Estimated DEGRADED
 * counts"): |A| in [(e - 2) / 1.3, (e + 2) / 0.7] for each sketch's
 * estimate e, less the exact DOWN count and the service itself. */
static void estimate_degraded(const topo *t, const est_job *j, const uint8_t *colmask, const uint8_t *exact,
			      dc_blast *b)
{
	const double *hi = j->hi, *lo = j->lo;
	size_t n = t->n, p;
	for (p = 0; p < n; p++) {
		dc_id v = t->order[p];
		double ahi, alo, point, taken = (double)b->down[v] + 1, cap = (double)(n - 1 - b->down[v]);
		if (!colmask[p] || exact[p] || !j->hasdep[p])
			continue;  /* exact (no dependent: 0, and so is DOWN) */
		ahi = (hi[p] + DC_BLAST_EST_SLACK) / (1 - DC_BLAST_EST_REL);
		alo = ((lo ? lo[p] : hi[p]) - DC_BLAST_EST_SLACK) / (1 + DC_BLAST_EST_REL);
		/* with telemetry edges the two sketches differ: their midpoint */
		point = floor(((lo ? lo[p] : hi[p]) + hi[p]) / 2 + 0.5) - taken;
		ahi = floor(ahi) - taken;
		alo = ceil(alo) - taken;
		if (ahi > cap)
			ahi = cap;
		if (alo < (b->down[v] ? 0 : 1))
			alo = b->down[v] ? 0 : 1;  /* a dependent, none of them DOWN */
		if (ahi < alo)
			ahi = alo;
		if (point < alo)
			point = alo;
		if (point > ahi)
			point = ahi;
		b->deg_lo[v] = (uint32_t)alo;
		b->deg_hi[v] = (uint32_t)ahi;
		b->degraded[v] = (uint32_t)point;
		b->estimated[v] = 1;
		b->nestimated++;
	}
}

/* The k-th largest of v[0 .. m) (1 <= k <= m), v reordered: a min-heap
 * of the k largest so far in v[0 .. k), m log k, not a sort of them all. */
static void u32_sift(uint32_t *h, size_t k, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, w = i;
		uint32_t x;
		if (l < k && h[l] < h[w])
			w = l;
		if (l + 1 < k && h[l + 1] < h[w])
			w = l + 1;
		if (w == i)
			return;
		x = h[i];
		h[i] = h[w];
		h[w] = x;
		i = w;
	}
}

static uint32_t kth_largest(uint32_t *v, size_t m, size_t k)
{
	size_t i;
	for (i = k / 2; i-- > 0;)
		u32_sift(v, k, i);
	for (i = k; i < m; i++)
		if (v[i] > v[0]) {
			v[0] = v[i];
			u32_sift(v, k, 0);
		}
	return v[0];
}

int dc_blast_compute_ex(dc_blast **out, const dc_graph *g, const dc_blast_options *opts)
{
	const uint8_t *sources = opts ? opts->sources : NULL;
	unsigned flags = opts ? opts->flags : 0;
	size_t exact_top = opts && opts->version >= 4 ? opts->exact_top : 0;
	topo t;
	size_t n = dc_graph_node_count(g), i, ncols = 0;
	const dc_traffic *traffic = opts && opts->version >= 3 ? opts->traffic : NULL;
	dc_traffic *own = NULL;
	uint8_t *colmask = NULL, *exact = NULL;
	uint32_t *downs = NULL;
	est_job est;
	pthread_t est_th;
	int est_started = 0;
	dc_blast *b = calloc(1, sizeof(*b));
	int rc = DC_ENOMEM;

	*out = NULL;
	memset(&est, 0, sizeof(est));
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_BLAST_OPTIONS_VERSION)) {
		free(b);
		return DC_EINVALID;
	}
	if (!b)
		return DC_ENOMEM;
	if (traffic && dc_traffic_count(traffic) != dc_graph_node_count(g)) {
		free(b);
		return DC_EINVALID;
	}
	if (topo_build(&t, g)) {
		free(b);
		return DC_ENOMEM;
	}
	/* the columns: every service, or the chosen ones, in position order */
	t.colpos = malloc((n + 1) * sizeof(uint32_t));
	t.col_of = malloc((n + 1) * sizeof(uint32_t));
	/* entry traffic by position: the caller's, else the declared one */
	t.ep_rps = malloc((n + 1) * sizeof(double));
	if (!t.colpos || !t.col_of || !t.ep_rps || (!traffic && dc_traffic_new(&own, dc_graph_catalog(g), NULL))) {
		topo_free(&t);
		free(b);
		return DC_ENOMEM;
	}
	if (!traffic)
		traffic = own;
	for (i = 0; i < n; i++) {
		t.ep_rps[i] = dc_traffic_rps(traffic, t.order[i]);
		if (t.ep_rps[i] >= 0)
			t.any_rps = 1;  /* conservative: the walk then runs */
	}
	b->traffic_known = dc_traffic_known(traffic);
	for (i = 0; i < 3; i++)
		b->traffic_by_origin[i] = dc_traffic_count_by_origin(traffic, (dc_traffic_origin)i);
	dc_traffic_free(own);
	b->n = n;
	b->down = calloc(n + 1, sizeof(uint32_t));
	b->degraded = calloc(n + 1, sizeof(uint32_t));
	b->spof_off = calloc(n + 2, sizeof(uint32_t));
	b->spof_total = calloc(n + 1, sizeof(uint32_t));
	b->lost_rps = calloc(n + 1, sizeof(double));
	b->lost_unk = calloc(n + 1, sizeof(uint32_t));
	colmask = malloc(n + 1);
	if (!b->down || !b->degraded || !b->spof_off || !b->spof_total || !b->lost_rps || !b->lost_unk || !colmask)
		goto out;
	for (i = 0; i < n; i++) {
		colmask[i] = !sources || sources[t.order[i]];
		ncols += colmask[i];
	}
	if ((flags & DC_BLAST_ESTIMATE) && !(flags & DC_BLAST_NO_DEGRADED) && exact_top && exact_top < ncols) {
		/* DOWN (and the SPOFs) exactly for every column, then DEGRADED
		 * exactly for those that can rank in the first exact_top: every
		 * column whose DOWN count is at least the exact_top-th largest
		 * (ties included: DEGRADED orders them) */
		size_t m = 0, nexact = 0;
		uint32_t thr;
		if ((rc = sweep(&t, colmask, flags | DC_BLAST_NO_DEGRADED, opts, b, 0)))
			goto out;
		rc = DC_ENOMEM;
		/* the sketches need the graph alone: on a second thread beside
		 * the second sweep where there are threads to have (not beside
		 * the first: their registers, 128 bytes per component, would
		 * add to its bitsets, the peak of the process's memory) */
		if (est_new(&est, &t, g))
			goto out;
		if (blast_threads(opts, n) > 1)
			est_started = pthread_create(&est_th, NULL, est_run, &est) == 0;
		downs = malloc((ncols + 1) * sizeof(uint32_t));
		exact = calloc(n + 1, 1);
		if (!downs || !exact)
			goto out;
		for (i = 0; i < n; i++)
			if (colmask[i])
				downs[m++] = b->down[t.order[i]];
		thr = kth_largest(downs, m, exact_top);
		for (i = 0; i < n; i++)
			if (colmask[i] && b->down[t.order[i]] >= thr) {
				exact[i] = 1;
				nexact++;
			}
		/* estimates pay only when most columns are left out */
		if (nexact > ncols / DC_BLAST_EST_MIN_SHARE)
			memcpy(exact, colmask, n);
		if ((rc = sweep(&t, exact, flags | DC_BLAST_NO_SPOFS | (t.tl_off[t.nac] ? 0 : BLAST_AFFECTED_ONLY), opts,
				b, 1)))
			goto out;
		if (nexact <= ncols / DC_BLAST_EST_MIN_SHARE) {
			b->deg_lo = calloc(n + 1, sizeof(uint32_t));
			b->deg_hi = calloc(n + 1, sizeof(uint32_t));
			b->estimated = calloc(n + 1, 1);
			rc = DC_ENOMEM;
			if (!b->deg_lo || !b->deg_hi || !b->estimated)
				goto out;
			if (est_started) {
				pthread_join(est_th, NULL);
				est_started = 0;
			} else {
				est_run(&est);
			}
			estimate_degraded(&t, &est, colmask, exact, b);
		}
		rc = 0;
	} else if (!(flags & DC_BLAST_NO_DEGRADED) && !t.tl_off[t.nac] && n >= split_min) {
		/* no telemetry edge: the rows of "affected" read no row of DOWN,
		 * so two sweeps of one kind each, with blocks twice as wide */
		if (!(rc = sweep(&t, colmask, flags | DC_BLAST_NO_DEGRADED, opts, b, 0)))
			rc = sweep(&t, colmask, flags | DC_BLAST_NO_SPOFS | BLAST_AFFECTED_ONLY, opts, b, 1);
	} else {
		rc = sweep(&t, colmask, flags, opts, b, 0);
	}
out:
	if (est_started)
		pthread_join(est_th, NULL);
	est_free(&est);
	free(colmask);
	free(exact);
	free(downs);
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
	free(b->lost_rps);
	free(b->lost_unk);
	free(b->deg_lo);
	free(b->deg_hi);
	free(b->estimated);
	free(b);
}

size_t dc_blast_count(const dc_blast *b) { return b->n; }
size_t dc_blast_down(const dc_blast *b, dc_id s) { return s < b->n ? b->down[s] : 0; }
size_t dc_blast_degraded(const dc_blast *b, dc_id s) { return s < b->n ? b->degraded[s] : 0; }
size_t dc_blast_spof_count(const dc_blast *b) { return b->nspof; }
double dc_blast_lost_rps(const dc_blast *b, dc_id s) { return s < b->n ? b->lost_rps[s] : 0; }
size_t dc_blast_lost_unknown(const dc_blast *b, dc_id s) { return s < b->n ? b->lost_unk[s] : 0; }
size_t dc_blast_traffic_known(const dc_blast *b) { return b->traffic_known; }

size_t dc_blast_traffic_by_origin(const dc_blast *b, dc_traffic_origin o)
{
	return (unsigned)o < 3 ? b->traffic_by_origin[o] : 0;
}

int dc_blast_degraded_is_estimate(const dc_blast *b, dc_id s)
{
	return s < b->n && b->estimated ? b->estimated[s] : 0;
}

size_t dc_blast_estimated_count(const dc_blast *b) { return b->nestimated; }

void dc_blast_degraded_bounds(const dc_blast *b, dc_id s, size_t *lo, size_t *hi)
{
	if (s < b->n && b->estimated && b->estimated[s]) {
		*lo = b->deg_lo[s];
		*hi = b->deg_hi[s];
		return;
	}
	*lo = *hi = s < b->n ? b->degraded[s] : 0;
}

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
	double rps;        /* 0 unless ranked by traffic */
	size_t unk;
	size_t down, deg;
	const char *name;
	dc_id id;
} order_key;

static int order_cmp(const void *pa, const void *pb)
{
	const order_key *a = pa, *b = pb;
	int c;
	if (a->rps != b->rps)
		return a->rps > b->rps ? -1 : 1;
	if (a->unk != b->unk)
		return a->unk > b->unk ? -1 : 1;
	if (a->down != b->down)
		return a->down > b->down ? -1 : 1;
	if (a->deg != b->deg)
		return a->deg > b->deg ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

const char *dc_rank_by_name(dc_rank_by by)
{
	switch (by) {
	case DC_RANK_BLAST: return "blast";
	case DC_RANK_TRAFFIC: return "traffic";
	}
	return NULL;
}

int dc_rank_by_parse(dc_rank_by *out, const char *name)
{
	if (name && !strcmp(name, "blast"))
		*out = DC_RANK_BLAST;
	else if (name && !strcmp(name, "traffic"))
		*out = DC_RANK_TRAFFIC;
	else
		return DC_EINVALID;
	return 0;
}

int dc_blast_order(const dc_blast *b, const dc_catalog *cat, dc_id *ids)
{
	return dc_blast_order_by(b, cat, DC_RANK_BLAST, ids);
}

int dc_blast_order_by(const dc_blast *b, const dc_catalog *cat, dc_rank_by by, dc_id *ids)
{
	order_key *k;
	size_t i;
	if (!b || !cat || !ids || dc_catalog_service_count(cat) != b->n ||
	    (by != DC_RANK_BLAST && by != DC_RANK_TRAFFIC))
		return DC_EINVALID;
	if (!(k = malloc((b->n ? b->n : 1) * sizeof(*k))))
		return DC_ENOMEM;
	for (i = 0; i < b->n; i++) {
		k[i].rps = by == DC_RANK_TRAFFIC ? b->lost_rps[i] : 0;
		k[i].unk = by == DC_RANK_TRAFFIC ? b->lost_unk[i] : 0;
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

/* dc_blast_order_by with the names' order given as ranks (rank[id]: the
 * position of the service in name order, ties by id): the same order,
 * without a string comparison per tie (most services tie on their counts). */
typedef struct {
	double rps;
	uint64_t unk;
	uint64_t counts;   /* ~down << 32 | ~degraded: ascending = the counts descending */
	uint32_t rank, id;
} rank_key;

static int rank_key_cmp(const void *pa, const void *pb)
{
	const rank_key *a = pa, *b = pb;
	if (a->rps != b->rps)
		return a->rps > b->rps ? -1 : 1;
	if (a->unk != b->unk)
		return a->unk > b->unk ? -1 : 1;
	if (a->counts != b->counts)
		return a->counts < b->counts ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

int blast_order_ranked(const dc_blast *b, dc_rank_by by, const uint32_t *rank, dc_id *ids)
{
	rank_key *k;
	size_t i;
	if (!(k = malloc((b->n ? b->n : 1) * sizeof(*k))))
		return DC_ENOMEM;
	for (i = 0; i < b->n; i++) {
		k[i].rps = by == DC_RANK_TRAFFIC ? b->lost_rps[i] : 0;
		k[i].unk = by == DC_RANK_TRAFFIC ? b->lost_unk[i] : 0;
		k[i].counts = (uint64_t)(uint32_t)~b->down[i] << 32 | (uint32_t)~b->degraded[i];
		k[i].rank = rank[i];
		k[i].id = (uint32_t)i;
	}
	qsort(k, b->n, sizeof(*k), rank_key_cmp);
	for (i = 0; i < b->n; i++)
		ids[i] = k[i].id;
	free(k);
	return 0;
}
