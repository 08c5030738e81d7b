/*
 * availability.c - effective availability, importance and minimal cut sets
 * (docs/model.md, depcheck/availability.h for the definitions).
 *
 * The model. Services are laid out in a topological order of the
 * condensation of the edges that can take a service DOWN (hard non-group
 * edges, members of any_of groups without a soft member), providers first,
 * members of a strongly connected component consecutive. For a set of
 * scenarios held one bit each in a row of words:
 *
 *   down[v] = own[v] | OR_{hard deps d} down[d] | OR_{groups g} AND_{m in g} down[m]
 *
 * evaluated once per row in position order; inside a cycle the members are
 * iterated from their own events up to the least fixpoint, exactly
 * lib/impact.c's semantics (a cycle with no failed member stays UP). The
 * same kernel serves three purposes:
 *  - Monte Carlo: a block is 64 x BLOCK_WORDS trials; own[v] is drawn from a
 *    counter-based stream keyed by (seed, block, service), so a block's
 *    result does not depend on which thread ran it, and counts are integers
 *    summed per block: identical results for any thread count. Bernoulli
 *    words come from geometric skipping (cost ~ the number of failures) for
 *    small probabilities, from the bitwise comparison with the 32-bit
 *    binary expansion of p otherwise.
 *  - Exact: the basic events of a target (own events of its closure, and
 *    with zone failures the per-zone replica events and the zones) get the
 *    patterns of a binary counter, so 64 combinations are evaluated per
 *    word over the closure only; the probability of the DOWN combinations
 *    is summed with a two-table product (low half x high half of the bits).
 *  - Cut sets: bit j = "these seeds plus candidate j failed".
 *
 * Importance by Monte Carlo flips candidate i's own word in a block and
 * re-evaluates only what changes, component by component in position order
 * (a min-heap of positions), reading unchanged rows from the block's base
 * evaluation. Its cost follows the cone of i, so a work budget caps the
 * number of blocks it runs on (reported as the importance trials).
 *
 * Cut sets of order 2 and 3 only combine services that can take an any_of
 * member down (without redundancy, failures only add up: no new cut set),
 * 64 x BLOCK_WORDS combinations per sweep of the rows from the first
 * candidate to the last entrypoint; sweeps are shared by worker threads and
 * the finds sorted, so the result does not depend on the thread count.
 *
 * Limits: the cut set sweeps cost (candidates^order / 512) x (V + E); a
 * work budget marks an order incomplete on very big, very redundant
 * catalogs. Cut set probabilities ignore zone correlation. Importance by
 * Monte Carlo costs the sum of the candidates' cones per block; it is
 * skipped when one block is over its budget (around 100,000 services).
 */
#include <depcheck/availability.h>
#include <depcheck/blast.h>

#include <math.h>
#include <pthread.h>
#include <unistd.h>

#include "availability_int.h"
#include "catalog_int.h"

#define BLOCK_WORDS 8                   /* words per Monte Carlo block */
#define BLOCK_TRIALS (64u * BLOCK_WORDS)
#define DEFAULT_TRIALS 1000000u
#define EXACT_CAP 24
#define IMP_BUDGET 4e8                  /* word operations for MC importance (~1-2 s) */
#define CUT_BUDGET 1e10                 /* word operations per cut set order (~10 s CPU) */
#define SINGLE_BUDGET (64.0 * 1024 * 1024) /* bytes of the order-1 bitset (entrypoints x services) */
#define SLACK 1e-12

typedef uint64_t word;
typedef DC_VEC(uint32_t) u32v;

/* Population count without relying on the POPCNT instruction (the library
 * is built for the baseline ISA, where __builtin_popcountll is a libgcc
 * call): the SWAR sum, a dozen word operations. */
static inline unsigned popc(word x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* ---- random numbers ------------------------------------------------------- */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t rng_next(uint64_t *s) { return mix64(*s += 0x9E3779B97F4A7C15ull); }

/* the stream of (seed, block, id): independent of everything else */
static inline uint64_t rng_stream(uint64_t seed, uint64_t block, uint64_t id)
{
	return mix64(mix64(mix64(seed ^ 0x6A09E667F3BCC909ull) + block) + id * 0x9E3779B97F4A7C15ull);
}

enum { BERN_NEVER, BERN_ALWAYS, BERN_GEOM, BERN_BITS };

typedef struct {
	uint8_t mode;
	uint32_t frac;    /* BERN_BITS: p in units of 2^-32 */
	double inv_log;   /* BERN_GEOM: 1 / log(1 - p) */
} bern_t;

static bern_t bern_init(double p)
{
	bern_t b = { BERN_NEVER, 0, 0 };
	if (!(p > 0))
		return b;
	if (p >= 1) {
		b.mode = BERN_ALWAYS;
	} else if (p <= 0.1) {
		b.mode = BERN_GEOM;
		b.inv_log = 1.0 / log1p(-p);
	} else {
		double f = floor(p * 4294967296.0 + 0.5);
		b.mode = BERN_BITS;
		b.frac = (uint32_t)(f < 1 ? 1 : f > 4294967295.0 ? 4294967295.0 : f);
	}
	return b;
}

/* out[0..w) = independent bits, each 1 with the probability of b */
static void bern_fill(word *out, size_t w, const bern_t *b, uint64_t *s)
{
	size_t k;
	switch (b->mode) {
	case BERN_NEVER:
		memset(out, 0, w * sizeof(word));
		return;
	case BERN_ALWAYS:
		memset(out, 0xff, w * sizeof(word));
		return;
	case BERN_GEOM: {
		/* the gap before the next failure is geometric: floor(log(u) / log(1-p)) */
		double nbits = (double)(w * 64), pos = 0;
		memset(out, 0, w * sizeof(word));
		for (;;) {
			double u = ((double)(rng_next(s) >> 11) + 1.0) * 0x1p-53;
			pos += floor(log(u) * b->inv_log);
			if (pos >= nbits)
				return;
			out[(size_t)pos >> 6] |= (word)1 << ((size_t)pos & 63);
			pos += 1;
		}
	}
	default:
		/* least significant bit of p first: r = bit ? r | x : r & x gives
		 * P(1) = sum bit_k 2^-k after the most significant bit */
		for (k = 0; k < w; k++) {
			word r = 0;
			unsigned i;
			for (i = 0; i < 32; i++) {
				word x = rng_next(s);
				r = (b->frac >> i) & 1 ? r | x : r & x;
			}
			out[k] = r;
		}
	}
}

/* ---- the model -------------------------------------------------------------- */

typedef struct {
	uint32_t zone;   /* global zone index */
	double p;        /* all replicas of the service in that zone down */
	bern_t b;
} szone_t;

typedef struct {
	size_t n, nzones;
	const dc_catalog *cat;
	dc_id *ord;                 /* position -> id */
	uint32_t *pos;              /* id -> position */
	uint32_t *cstart, *cend;    /* position -> its component's [start, end) */
	uint32_t *hoff, *hard;      /* hard deps (positions) */
	uint32_t *goff;             /* n+1: groups of a position, index into gmoff */
	uint32_t *gmoff, *gmem;     /* members of each group (positions) */
	uint32_t *roff, *rdep;      /* dependents through down-capable edges (positions) */
	double *p;                  /* own failure probability (no zone failures) */
	bern_t *b;
	uint32_t *zoff;             /* n+1: zone entries of a position (zone mode) */
	szone_t *sz;
	double pz;                  /* zone failure probability */
	bern_t bz;
	int zone_mode;
} model;

static void model_free(model *m)
{
	free(m->ord);
	free(m->pos);
	free(m->cstart);
	free(m->cend);
	free(m->hoff);
	free(m->hard);
	free(m->goff);
	free(m->gmoff);
	free(m->gmem);
	free(m->roff);
	free(m->rdep);
	free(m->p);
	free(m->b);
	free(m->zoff);
	free(m->sz);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static double clamp01(double x) { return x > 0 ? (x < 1 ? x : 1) : 0; }

static int model_build(model *m, const dc_graph *g, double pz)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dep_t *deps = cat->deps.items;
	size_t n = dc_graph_node_count(g), ndeps = cat->deps.len, ng = cat->next_group + 1;
	size_t i, k;
	uint8_t *keep = NULL, *gsoft = NULL;
	uint32_t *gslot = NULL, *cnt = NULL;
	dc_scc *scc = NULL;
	u32v hard = {0}, gmoff = {0}, gmem = {0}, zsorted = {0};
	DC_VEC(szone_t) sz = {0};
	int rc = DC_ENOMEM;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->cat = cat;
	m->pz = clamp01(pz);
	m->bz = bern_init(m->pz);
	m->zone_mode = m->pz > 0;
	keep = calloc(ndeps + 1, 1);
	gsoft = calloc(ng, 1);
	gslot = malloc(ng * sizeof(uint32_t));
	m->ord = malloc((n + 1) * sizeof(dc_id));
	m->pos = malloc((n + 1) * sizeof(uint32_t));
	m->cstart = malloc((n + 1) * sizeof(uint32_t));
	m->cend = malloc((n + 1) * sizeof(uint32_t));
	m->hoff = malloc((n + 1) * sizeof(uint32_t));
	m->goff = malloc((n + 1) * sizeof(uint32_t));
	m->roff = calloc(n + 2, sizeof(uint32_t));
	m->p = malloc((n + 1) * sizeof(double));
	m->b = malloc((n + 1) * sizeof(bern_t));
	m->zoff = calloc(n + 1, sizeof(uint32_t));
	if (!keep || !gsoft || !gslot || !m->ord || !m->pos || !m->cstart || !m->cend || !m->hoff ||
	    !m->goff || !m->roff || !m->p || !m->b || !m->zoff)
		goto out;
	/* the edges that can take a service down (as lib/impact.c) */
	for (k = 0; k < ndeps; k++)
		if (deps[k].group && deps[k].kind == DC_DEP_SOFT)
			gsoft[deps[k].group] = 1;
	for (k = 0; k < ndeps; k++)
		keep[k] = dep_runtime(&deps[k]) &&
			  (deps[k].group ? !gsoft[deps[k].group] : deps[k].kind == DC_DEP_HARD);
	if (dc_scc_compute_edges(&scc, g, keep))
		goto out;
	dc_scc_topo_order(scc, m->ord);
	for (i = 0; i < n; i++)
		m->pos[m->ord[i]] = (uint32_t)i;
	for (i = 0; i < n;) {
		uint32_t c = dc_scc_of(scc, m->ord[i]);
		size_t e = i;
		while (e < n && dc_scc_of(scc, m->ord[e]) == c)
			e++;
		for (k = i; k < e; k++) {
			m->cstart[k] = (uint32_t)i;
			m->cend[k] = (uint32_t)e;
		}
		i = e;
	}
	/* rows in position space */
	for (i = 0; i < ng; i++)
		gslot[i] = UINT32_MAX;
	for (i = 0; i < n; i++) {
		dc_id v = m->ord[i];
		size_t first = dc_service_dep_first(cat, v), nd = dc_service_dep_count(cat, v);
		m->hoff[i] = (uint32_t)hard.len;
		m->goff[i] = (uint32_t)gmoff.len;
		for (k = first; k < first + nd; k++)
			if (keep[k] && !deps[k].group && dc_vec_push(&hard, m->pos[deps[k].to]))
				goto out;
		/* groups of v: members gathered group by group (a group id belongs
		 * to one owner, so a slot marks the group as done) */
		for (k = first; k < first + nd; k++) {
			size_t j;
			uint32_t gid = deps[k].group;
			if (!keep[k] || !gid || gslot[gid] != UINT32_MAX)
				continue;
			gslot[gid] = (uint32_t)gmoff.len;
			if (dc_vec_push(&gmoff, (uint32_t)gmem.len))
				goto out;
			for (j = k; j < first + nd; j++)
				if (deps[j].group == gid && keep[j] && dc_vec_push(&gmem, m->pos[deps[j].to]))
					goto out;
		}
	}
	m->hoff[n] = (uint32_t)hard.len;
	m->goff[n] = (uint32_t)gmoff.len;
	if (dc_vec_push(&gmoff, (uint32_t)gmem.len))
		goto out;
	m->hard = hard.items;
	m->gmoff = gmoff.items;
	m->gmem = gmem.items;
	hard.items = gmoff.items = gmem.items = NULL;
	/* reverse rows: dependents of each position */
	for (i = 0; i < n; i++) {
		for (k = m->hoff[i]; k < m->hoff[i + 1]; k++)
			m->roff[m->hard[k] + 1]++;
		for (k = m->gmoff[m->goff[i]]; k < m->gmoff[m->goff[i + 1]]; k++)
			m->roff[m->gmem[k] + 1]++;
	}
	for (i = 0; i < n; i++)
		m->roff[i + 1] += m->roff[i];
	m->rdep = malloc((m->roff[n] + 1) * sizeof(uint32_t));
	cnt = calloc(n + 1, sizeof(uint32_t));
	if (!m->rdep || !cnt)
		goto out;
	for (i = 0; i < n; i++) {
		for (k = m->hoff[i]; k < m->hoff[i + 1]; k++)
			m->rdep[m->roff[m->hard[k]] + cnt[m->hard[k]]++] = (uint32_t)i;
		for (k = m->gmoff[m->goff[i]]; k < m->gmoff[m->goff[i + 1]]; k++)
			m->rdep[m->roff[m->gmem[k]] + cnt[m->gmem[k]]++] = (uint32_t)i;
	}
	/* own failure: the declared availability is the service's own (all its
	 * replicas down at once); each of its r = max(replicas, zones) replicas,
	 * placed round-robin over its zones, is down with q = (1 - a)^(1/r), so
	 * that all r are down with 1 - a. Replicas matter with zone failures:
	 * a failed zone takes its replicas, the rest must all fail too. */
	for (i = 0; i < n; i++) {
		const svc_t *s = &cat->svcs.items[m->ord[i]];
		size_t nz = s->nzones;
		m->p[i] = 1 - clamp01(s->availability);
		m->b[i] = bern_init(m->p[i]);
		for (k = 0; k < nz; k++)
			if (dc_vec_push(&zsorted, cat->strlists.items[s->zones + k]))
				goto out;
	}
	if (m->zone_mode) {
		if (zsorted.len)
			qsort(zsorted.items, zsorted.len, sizeof(uint32_t), cmp_u32);
		for (i = k = 0; i < zsorted.len; i++)
			if (!k || zsorted.items[k - 1] != zsorted.items[i])
				zsorted.items[k++] = zsorted.items[i];
		zsorted.len = k;
		m->nzones = k;
		for (i = 0; i < n; i++) {
			const svc_t *s = &cat->svcs.items[m->ord[i]];
			double q = 1 - clamp01(s->availability);
			size_t nz = s->nzones, r = s->replicas ? s->replicas : 1, j, d;
			if (r < nz)
				r = nz;
			m->zoff[i] = (uint32_t)sz.len;
			/* distinct zones, each with the replicas placed in it */
			for (j = 0; j < nz; j++) {
				uint32_t zid = cat->strlists.items[s->zones + j], *hit;
				size_t reps = r / nz + (j < r % nz), e;
				int dup = 0;
				hit = bsearch(&zid, zsorted.items, zsorted.len, sizeof(uint32_t), cmp_u32);
				for (d = 0; d < j; d++)
					dup |= cat->strlists.items[s->zones + d] == zid;
				if (dup) {
					for (e = m->zoff[i]; e < sz.len; e++)
						if (sz.items[e].zone == (uint32_t)(hit - zsorted.items))
							sz.items[e].p *= pow(q, (double)reps / (double)r);
					continue;
				}
				{
					szone_t z;
					z.zone = (uint32_t)(hit - zsorted.items);
					z.p = q >= 1 ? 1 : pow(q, (double)reps / (double)r);
					if (dc_vec_push(&sz, z))
						goto out;
				}
			}
		}
		for (k = 0; k < sz.len; k++)
			sz.items[k].b = bern_init(sz.items[k].p);
	}
	m->zoff[n] = (uint32_t)sz.len;
	m->sz = sz.items;
	sz.items = NULL;
	rc = 0;
out:
	free(keep);
	free(gsoft);
	free(gslot);
	free(cnt);
	dc_scc_free(scc);
	dc_vec_free(&hard);
	dc_vec_free(&gmoff);
	dc_vec_free(&gmem);
	dc_vec_free(&zsorted);
	dc_vec_free(&sz);
	if (rc)
		model_free(m);
	return rc;
}

/* ---- the kernel ----------------------------------------------------------------
 * Rows of w words per position. A row is read from `alt` when `touched` says
 * so (importance flips), else from `down`. */

typedef struct {
	word *down;
	word *alt;
	const uint8_t *touched;
	size_t w;
} rows_t;

static inline const word *row(const rows_t *r, uint32_t x)
{
	return (r->touched && r->touched[x]) ? r->alt + (size_t)x * r->w : r->down + (size_t)x * r->w;
}

/* acc = own | hard deps | complete groups of position i */
static inline void row_formula(const model *m, const rows_t *r, uint32_t i, const word *own, word *acc)
{
	size_t w = r->w, k, j, g;
	for (k = 0; k < w; k++)
		acc[k] = own[k];
	for (j = m->hoff[i]; j < m->hoff[i + 1]; j++) {
		const word *d = row(r, m->hard[j]);
		for (k = 0; k < w; k++)
			acc[k] |= d[k];
	}
	for (g = m->goff[i]; g < m->goff[i + 1]; g++) {
		word all[BLOCK_WORDS];
		for (k = 0; k < w; k++)
			all[k] = ~(word)0;
		for (j = m->gmoff[g]; j < m->gmoff[g + 1]; j++) {
			const word *d = row(r, m->gmem[j]);
			for (k = 0; k < w; k++)
				all[k] &= d[k];
		}
		for (k = 0; k < w; k++)
			acc[k] |= all[k];
	}
}

/* Evaluate the component starting at position s into `dst` rows (dst is
 * r->down or r->alt, indexed by position); own(x) gives the own row. Cycle
 * members start from their own events and grow to the least fixpoint. */
static void eval_comp(const model *m, rows_t *r, word *dst, uint32_t s, const word *own_rows,
		      uint32_t force, const word *force_row)
{
	size_t w = r->w, k;
	uint32_t e = m->cend[s], x;
	word acc[BLOCK_WORDS];
	int changed;
	if (e == s + 1) {
		row_formula(m, r, s, s == force ? force_row : own_rows + (size_t)s * w, acc);
		memcpy(dst + (size_t)s * w, acc, w * sizeof(word));
		return;
	}
	for (x = s; x < e; x++)
		memcpy(dst + (size_t)x * w, x == force ? force_row : own_rows + (size_t)x * w, w * sizeof(word));
	do {
		changed = 0;
		for (x = s; x < e; x++) {
			word *cur = dst + (size_t)x * w;
			row_formula(m, r, x, x == force ? force_row : own_rows + (size_t)x * w, acc);
			for (k = 0; k < w; k++)
				if (acc[k] != cur[k]) {
					cur[k] = acc[k];
					changed = 1;
				}
		}
	} while (changed);
}

/* Evaluate the components of positions [from, to) into r->down. */
static void eval_all(const model *m, rows_t *r, const word *own_rows, uint32_t from, uint32_t to)
{
	uint32_t i;
	for (i = from; i < to; i = m->cend[i])
		eval_comp(m, r, r->down, i, own_rows, UINT32_MAX, NULL);
}

/* ---- results ------------------------------------------------------------------ */

typedef struct {
	dc_avail_method method;
	uint64_t trials;
	uint32_t off, len;      /* rows in a->imp */
} imp_info;

typedef struct {
	uint32_t off, len;      /* sets in a->cuts */
	int complete;
} cut_info;

struct dc_availability {
	size_t n;
	dc_availability_estimate *est;
	uint64_t trials;
	dc_id *eps;
	size_t neps;
	uint32_t *ep_index;        /* id -> index in eps, UINT32_MAX */
	imp_info *impi;
	DC_VEC(dc_importance) imp;
	cut_info *cuti;
	DC_VEC(dc_cut_set) cuts;
	uint8_t *on_defaults;      /* 1: every availability that can take it down is a default */
};

const char *dc_avail_method_name(dc_avail_method m)
{
	switch (m) {
	case DC_AVAIL_EXACT: return "exact";
	case DC_AVAIL_MONTE_CARLO: return "monte-carlo";
	default: return "none";
	}
}

void dc_availability_free(dc_availability *a)
{
	if (!a)
		return;
	free(a->est);
	free(a->eps);
	free(a->ep_index);
	free(a->impi);
	dc_vec_free(&a->imp);
	free(a->cuti);
	dc_vec_free(&a->cuts);
	free(a->on_defaults);
	free(a);
}

size_t dc_availability_count(const dc_availability *a) { return a->n; }
uint64_t dc_availability_trials(const dc_availability *a) { return a->trials; }

const dc_availability_estimate *dc_availability_of(const dc_availability *a, dc_id s)
{
	return s < a->n ? &a->est[s] : NULL;
}

size_t dc_availability_entrypoints(const dc_availability *a, const dc_id **eps)
{
	*eps = a->eps;
	return a->neps;
}

/* below its SLO, whatever the availabilities rest on */
static int below_slo(const dc_availability *a, const dc_graph *g, dc_id s)
{
	double slo;
	if (s >= a->n)
		return 0;
	slo = dc_service_slo(dc_graph_catalog(g), s);
	return slo >= 0 && a->est[s].method != DC_AVAIL_NONE && a->est[s].availability < slo - SLACK;
}

int dc_availability_misses_slo(const dc_availability *a, const dc_graph *g, dc_id s)
{
	return below_slo(a, g, s) && !a->on_defaults[s];
}

int dc_availability_slo_unknown(const dc_availability *a, const dc_graph *g, dc_id s)
{
	return below_slo(a, g, s) && a->on_defaults[s];
}

int dc_availability_on_defaults(const dc_availability *a, dc_id s)
{
	return s < a->n ? a->on_defaults[s] : 0;
}

int dc_availability_gate(const dc_availability *a, const dc_graph *g)
{
	size_t i;
	for (i = 0; i < a->neps; i++)
		if (dc_availability_misses_slo(a, g, a->eps[i]))
			return 1;
	return 0;
}

typedef struct {
	int cls;            /* 0 miss, 1 below on defaults only, 2 SLO met, 3 no SLO */
	double shortfall;   /* misses: slo - availability */
	double avail;
	const char *name;
	dc_id id;
} rank_row;

static int cmp_rank(const void *pa, const void *pb)
{
	const rank_row *x = pa, *y = pb;
	int c;
	if (x->cls != y->cls)
		return x->cls - y->cls;
	if (x->shortfall != y->shortfall)
		return x->shortfall > y->shortfall ? -1 : 1;
	if (x->avail != y->avail)
		return x->avail < y->avail ? -1 : 1;
	if ((c = strcmp(x->name, y->name)))
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

int dc_availability_rank(const dc_availability *a, const dc_graph *g, dc_id *rows, size_t *nmiss,
			 size_t *nslo)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	rank_row *r = malloc((a->n + 1) * sizeof(*r));
	size_t i, miss = 0, slo = 0;
	if (!r)
		return DC_ENOMEM;
	for (i = 0; i < a->n; i++) {
		dc_id s = (dc_id)i;
		int m = dc_availability_misses_slo(a, g, s), has = dc_service_slo(cat, s) >= 0;
		int unk = dc_availability_slo_unknown(a, g, s);
		r[i].cls = m ? 0 : unk ? 1 : has ? 2 : 3;
		r[i].shortfall = m || unk ? dc_service_slo(cat, s) - a->est[i].availability : 0;
		r[i].avail = a->est[i].availability;
		r[i].name = dc_service_name(cat, s);
		r[i].id = s;
		miss += m != 0;
		slo += has;
	}
	qsort(r, a->n, sizeof(*r), cmp_rank);
	for (i = 0; i < a->n; i++)
		rows[i] = r[i].id;
	free(r);
	if (nmiss)
		*nmiss = miss;
	if (nslo)
		*nslo = slo;
	return 0;
}

size_t dc_availability_importance(const dc_availability *a, dc_id e, const dc_importance **rows,
				  dc_avail_method *method, uint64_t *trials)
{
	const imp_info *ii;
	*rows = NULL;
	if (method)
		*method = DC_AVAIL_NONE;
	if (trials)
		*trials = 0;
	if (e >= a->n || a->ep_index[e] == UINT32_MAX || !a->impi)
		return 0;
	ii = &a->impi[a->ep_index[e]];
	if (method)
		*method = ii->method;
	if (trials)
		*trials = ii->trials;
	*rows = ii->len ? a->imp.items + ii->off : NULL;
	return ii->len;
}

size_t dc_availability_cut_sets(const dc_availability *a, dc_id e, const dc_cut_set **sets, int *complete)
{
	const cut_info *ci;
	*sets = NULL;
	if (complete)
		*complete = 1;
	if (e >= a->n || a->ep_index[e] == UINT32_MAX || !a->cuti)
		return 0;
	ci = &a->cuti[a->ep_index[e]];
	if (complete)
		*complete = ci->complete;
	*sets = ci->len ? a->cuts.items + ci->off : NULL;
	return ci->len;
}

/* ---- exact enumeration ------------------------------------------------------------ */

static const word PAT[6] = {
	0xAAAAAAAAAAAAAAAAull, 0xCCCCCCCCCCCCCCCCull, 0xF0F0F0F0F0F0F0F0ull,
	0xFF00FF00FF00FF00ull, 0xFFFF0000FFFF0000ull, 0xFFFFFFFF00000000ull
};

#define EV_NONE (-1)   /* no event (constant 0) */
#define EV_ONE (-2)    /* constant 1 */

/* own(x) = AND over terms of (ev_a | ev_b) */
typedef struct {
	int a, b;
} term_t;

typedef struct {
	const model *m;
	size_t exact_max;
	/* closure of the current target */
	u32v list;              /* positions, ascending */
	uint8_t *mark;          /* per position */
	u32v stack;
	DC_VEC(term_t) terms;   /* per closure node: a range */
	u32v toff;              /* closure index -> first term; one extra at the end */
	int *zone_ev;           /* global zone -> event, -1 */
	u32v zused;
	double evp[EXACT_CAP];
	size_t k;               /* events */
	word *down, *own;       /* n words each */
	double *wl, *wh;
} exact_ctx;

static void exact_free(exact_ctx *x)
{
	dc_vec_free(&x->list);
	free(x->mark);
	dc_vec_free(&x->stack);
	dc_vec_free(&x->terms);
	dc_vec_free(&x->toff);
	free(x->zone_ev);
	dc_vec_free(&x->zused);
	free(x->down);
	free(x->own);
	free(x->wl);
	free(x->wh);
}

static int exact_init(exact_ctx *x, const model *m, size_t exact_max)
{
	size_t i, half = (size_t)1 << ((exact_max + 1) / 2);
	memset(x, 0, sizeof(*x));
	x->m = m;
	x->exact_max = exact_max;
	x->mark = calloc(m->n + 1, 1);
	x->zone_ev = malloc((m->nzones + 1) * sizeof(int));
	x->down = malloc((m->n + 1) * sizeof(word));
	x->own = malloc((m->n + 1) * sizeof(word));
	x->wl = malloc(half * sizeof(double));
	x->wh = malloc(half * sizeof(double));
	if (!x->mark || !x->zone_ev || !x->down || !x->own || !x->wl || !x->wh)
		return DC_ENOMEM;
	for (i = 0; i < m->nzones; i++)
		x->zone_ev[i] = -1;
	return 0;
}

static int new_event(exact_ctx *x, double p)
{
	if (!(p > 0))
		return EV_NONE;
	if (p >= 1)
		return EV_ONE;
	if (x->k >= x->exact_max || x->k >= EXACT_CAP)
		return (int)(x->k++, EXACT_CAP); /* counted, never used */
	x->evp[x->k] = p;
	return (int)x->k++;
}

/* Collect the closure of position t and its events. Returns 0 with x->k
 * events (> exact_max: too many, the closure may be partial), or DC_ENOMEM. */
static int exact_prepare(exact_ctx *x, uint32_t t)
{
	const model *m = x->m;
	size_t i, j;
	x->list.len = x->stack.len = x->terms.len = x->toff.len = 0;
	x->k = 0;
	if (dc_vec_push(&x->stack, t))
		return DC_ENOMEM;
	x->mark[t] = 1;
	while (x->stack.len) {
		uint32_t v = x->stack.items[--x->stack.len];
		if (dc_vec_push(&x->list, v))
			return DC_ENOMEM;
		for (j = m->hoff[v]; j < m->hoff[v + 1]; j++)
			if (!x->mark[m->hard[j]]) {
				x->mark[m->hard[j]] = 1;
				if (dc_vec_push(&x->stack, m->hard[j]))
					return DC_ENOMEM;
			}
		for (j = m->gmoff[m->goff[v]]; j < m->gmoff[m->goff[v + 1]]; j++)
			if (!x->mark[m->gmem[j]]) {
				x->mark[m->gmem[j]] = 1;
				if (dc_vec_push(&x->stack, m->gmem[j]))
					return DC_ENOMEM;
			}
		if (x->list.len > x->exact_max * 4 + 64)
			break; /* far too big whatever the events */
	}
	for (i = 0; i < x->stack.len; i++)
		x->mark[x->stack.items[i]] = 0;
	for (i = 0; i < x->list.len; i++)
		x->mark[x->list.items[i]] = 0;
	if (x->stack.len) {
		x->k = x->exact_max + 1;
		return 0;
	}
	qsort(x->list.items, x->list.len, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < x->list.len && x->k <= x->exact_max; i++) {
		uint32_t v = x->list.items[i];
		if (dc_vec_push(&x->toff, (uint32_t)x->terms.len))
			return DC_ENOMEM;
		if (m->zone_mode && m->zoff[v + 1] > m->zoff[v]) {
			for (j = m->zoff[v]; j < m->zoff[v + 1]; j++) {
				term_t tm;
				uint32_t z = m->sz[j].zone;
				if (x->zone_ev[z] == -1) {
					x->zone_ev[z] = new_event(x, m->pz);
					if (dc_vec_push(&x->zused, z))
						return DC_ENOMEM;
				}
				tm.a = x->zone_ev[z];
				tm.b = new_event(x, m->sz[j].p);
				if (dc_vec_push(&x->terms, tm))
					return DC_ENOMEM;
			}
		} else {
			term_t tm;
			tm.a = new_event(x, m->p[v]);
			tm.b = EV_NONE;
			if (dc_vec_push(&x->terms, tm))
				return DC_ENOMEM;
		}
	}
	for (i = 0; i < x->zused.len; i++)
		x->zone_ev[x->zused.items[i]] = -1;
	x->zused.len = 0;
	if (dc_vec_push(&x->toff, (uint32_t)x->terms.len))
		return DC_ENOMEM;
	return 0;
}

static inline word ev_word(int e, size_t wi)
{
	if (e == EV_NONE)
		return 0;
	if (e == EV_ONE)
		return ~(word)0;
	if (e < 6)
		return PAT[e];
	return (wi >> (e - 6)) & 1 ? ~(word)0 : 0;
}

/* Unavailability of position t over the prepared closure, with the own
 * event of position `force` (UINT32_MAX: none) forced to `fval`. */
static double exact_unavail(exact_ctx *x, uint32_t t, uint32_t force, int fval)
{
	const model *m = x->m;
	size_t k = x->k, lo = k / 2, hi = k - lo, s, j, nw = k >= 6 ? (size_t)1 << (k - 6) : 1, wi;
	word valid = k >= 6 ? ~(word)0 : (((word)1 << ((size_t)1 << k)) - 1);
	rows_t r;
	double u = 0;
	word frow = fval ? ~(word)0 : 0;
	for (s = 0; s < ((size_t)1 << lo); s++) {
		double w = 1;
		for (j = 0; j < lo; j++)
			w *= (s >> j) & 1 ? x->evp[j] : 1 - x->evp[j];
		x->wl[s] = w;
	}
	for (s = 0; s < ((size_t)1 << hi); s++) {
		double w = 1;
		for (j = 0; j < hi; j++)
			w *= (s >> j) & 1 ? x->evp[lo + j] : 1 - x->evp[lo + j];
		x->wh[s] = w;
	}
	r.down = x->down;
	r.alt = NULL;
	r.touched = NULL;
	r.w = 1;
	for (wi = 0; wi < nw; wi++) {
		word d;
		for (s = 0; s < x->list.len; s++) {
			uint32_t v = x->list.items[s];
			word o = ~(word)0;
			for (j = x->toff.items[s]; j < x->toff.items[s + 1]; j++)
				o &= ev_word(x->terms.items[j].a, wi) | ev_word(x->terms.items[j].b, wi);
			x->own[v] = o;
		}
		for (s = 0; s < x->list.len; s++) {
			uint32_t v = x->list.items[s];
			if (m->cstart[v] == v)
				eval_comp(m, &r, r.down, v, x->own, force, &frow);
		}
		d = x->down[t] & valid;
		while (d) {
			size_t st = wi * 64 + (size_t)__builtin_ctzll(d);
			u += x->wl[st & (((size_t)1 << lo) - 1)] * x->wh[st >> lo];
			d &= d - 1;
		}
	}
	return u;
}

/* ---- Monte Carlo ------------------------------------------------------------------ */

typedef struct mc_shared mc_shared;

typedef struct {
	mc_shared *sh;
	word *own, *down, *alt, *zb, *tmp;
	uint8_t *touched;
	uint32_t *tlist, *heap;
	uint8_t *inq;
	uint64_t *up;           /* per position */
	uint64_t *bcnt, *fcnt;  /* per importance slot */
	uint64_t *dcnt;         /* per importance entrypoint */
	int failed;
} mc_worker;

struct mc_shared {
	const model *m;
	uint64_t seed, trials, nblocks, imp_blocks;
	/* importance: candidate position -> (entrypoint index, slot) pairs */
	uint32_t *coff, *cep, *cslot;
	uint32_t *iep_pos;       /* importance entrypoints (positions) */
	size_t niep, nslots;
	pthread_mutex_t lock;
	uint64_t next, done;
	dc_availability_progress_fn progress;
	void *pctx;
};

static void gen_own(const model *m, uint64_t seed, uint64_t block, word *own, word *zb, word *tmp)
{
	size_t i, k, j, w = BLOCK_WORDS;
	if (m->zone_mode)
		for (i = 0; i < m->nzones; i++) {
			uint64_t s = rng_stream(seed, block, (uint64_t)m->n + i);
			bern_fill(zb + i * w, w, &m->bz, &s);
		}
	for (i = 0; i < m->n; i++) {
		uint64_t s = rng_stream(seed, block, m->ord[i]);
		word *o = own + i * w;
		if (m->zone_mode && m->zoff[i + 1] > m->zoff[i]) {
			for (k = 0; k < w; k++)
				o[k] = ~(word)0;
			for (j = m->zoff[i]; j < m->zoff[i + 1]; j++) {
				const word *z = zb + (size_t)m->sz[j].zone * w;
				bern_fill(tmp, w, &m->sz[j].b, &s);
				for (k = 0; k < w; k++)
					o[k] &= tmp[k] | z[k];
			}
		} else {
			bern_fill(o, w, &m->b[i], &s);
		}
	}
}

static void heap_push(uint32_t *h, size_t *n, uint32_t v)
{
	size_t i = (*n)++;
	while (i) {
		size_t p = (i - 1) / 2;
		if (h[p] <= v)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = v;
}

static uint32_t heap_pop(uint32_t *h, size_t *n)
{
	uint32_t top = h[0], v = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = v;
	return top;
}

/* Flip the own row of position i and re-evaluate what changes into wk->alt;
 * returns the number of touched positions (listed in wk->tlist). */
static size_t flip_eval(mc_worker *wk, uint32_t i)
{
	const model *m = wk->sh->m;
	size_t w = BLOCK_WORDS, nh = 0, nt = 0, k;
	word frow[BLOCK_WORDS];
	rows_t r;
	r.down = wk->down;
	r.alt = wk->alt;
	r.touched = wk->touched;
	r.w = w;
	for (k = 0; k < w; k++)
		frow[k] = ~wk->own[(size_t)i * w + k];
	heap_push(wk->heap, &nh, m->cstart[i]);
	wk->inq[m->cstart[i]] = 1;
	while (nh) {
		uint32_t s = heap_pop(wk->heap, &nh), x, e = m->cend[s];
		wk->inq[s] = 0;
		for (x = s; x < e; x++) {
			wk->touched[x] = 1;
			wk->tlist[nt++] = x;
		}
		eval_comp(m, &r, wk->alt, s, wk->own, i, frow);
		for (x = s; x < e; x++) {
			const word *a = wk->alt + (size_t)x * w, *b = wk->down + (size_t)x * w;
			size_t j;
			if (!memcmp(a, b, w * sizeof(word)))
				continue;
			for (j = m->roff[x]; j < m->roff[x + 1]; j++) {
				uint32_t c = m->cstart[m->rdep[j]];
				if (c != s && !wk->inq[c]) {
					wk->inq[c] = 1;
					heap_push(wk->heap, &nh, c);
				}
			}
		}
	}
	return nt;
}

static void mc_block(mc_worker *wk, uint64_t block)
{
	mc_shared *sh = wk->sh;
	const model *m = sh->m;
	size_t w = BLOCK_WORDS, i, k, j;
	uint64_t first = block * BLOCK_TRIALS, ntr = sh->trials - first;
	word mask[BLOCK_WORDS];
	rows_t r;
	if (ntr > BLOCK_TRIALS)
		ntr = BLOCK_TRIALS;
	for (k = 0; k < w; k++) {
		uint64_t lo = k * 64;
		mask[k] = ntr >= lo + 64 ? ~(word)0 : ntr <= lo ? 0 : (((word)1 << (ntr - lo)) - 1);
	}
	gen_own(m, sh->seed, block, wk->own, wk->zb, wk->tmp);
	r.down = wk->down;
	r.alt = NULL;
	r.touched = NULL;
	r.w = w;
	eval_all(m, &r, wk->own, 0, (uint32_t)m->n);
	for (i = 0; i < m->n; i++) {
		const word *d = wk->down + i * w;
		uint64_t c = 0;
		for (k = 0; k < w; k++)
			c += (uint64_t)popc(~d[k] & mask[k]);
		wk->up[i] += c;
	}
	if (block >= sh->imp_blocks)
		return;
	for (j = 0; j < sh->niep; j++) {
		const word *d = wk->down + (size_t)sh->iep_pos[j] * w;
		for (k = 0; k < w; k++)
			wk->dcnt[j] += (uint64_t)popc(d[k] & mask[k]);
	}
	for (i = 0; i < m->n; i++) {
		size_t nt;
		if (sh->coff[i] == sh->coff[i + 1])
			continue;
		nt = flip_eval(wk, (uint32_t)i);
		for (j = sh->coff[i]; j < sh->coff[i + 1]; j++) {
			uint32_t e = sh->iep_pos[sh->cep[j]], sl = sh->cslot[j];
			const word *base = wk->down + (size_t)e * w, *oi = wk->own + i * w, *alt;
			if (!wk->touched[e])
				continue; /* the flip did not reach e: no contribution */
			alt = wk->alt + (size_t)e * w;
			for (k = 0; k < w; k++) {
				/* A: i's own event off, B: on */
				word da = (oi[k] & alt[k]) | (~oi[k] & base[k]);
				word db = (oi[k] & base[k]) | (~oi[k] & alt[k]);
				wk->bcnt[sl] += (uint64_t)popc(db & ~da & mask[k]);
				wk->fcnt[sl] += (uint64_t)popc(oi[k] & base[k] & ~alt[k] & mask[k]);
			}
		}
		for (k = 0; k < nt; k++)
			wk->touched[wk->tlist[k]] = 0;
	}
}

static void *mc_main(void *arg)
{
	mc_worker *wk = arg;
	mc_shared *sh = wk->sh;
	for (;;) {
		uint64_t b;
		pthread_mutex_lock(&sh->lock);
		b = sh->next++;
		pthread_mutex_unlock(&sh->lock);
		if (b >= sh->nblocks)
			break;
		mc_block(wk, b);
		if (sh->progress) {
			pthread_mutex_lock(&sh->lock);
			sh->done++;
			sh->progress(sh->done, sh->nblocks, sh->pctx);
			pthread_mutex_unlock(&sh->lock);
		}
	}
	return NULL;
}

/* Run fn on items[0..n) (each `size` bytes): items 1.. on new threads,
 * item 0 on this one. Workers take their work from a shared counter, so a
 * thread that cannot be started only means less parallelism. */
static void run_workers(void *(*fn)(void *), void *items, size_t size, unsigned n, pthread_t *th)
{
	unsigned t, started = 0;
	for (t = 1; t < n; t++) {
		if (pthread_create(&th[t], NULL, fn, (char *)items + t * size))
			break;
		started++;
	}
	fn(items);
	for (t = 1; t <= started; t++)
		pthread_join(th[t], NULL);
}

static void worker_free(mc_worker *wk)
{
	free(wk->own);
	free(wk->down);
	free(wk->alt);
	free(wk->zb);
	free(wk->tmp);
	free(wk->touched);
	free(wk->tlist);
	free(wk->heap);
	free(wk->inq);
	free(wk->up);
	free(wk->bcnt);
	free(wk->fcnt);
	free(wk->dcnt);
}

static int worker_init(mc_worker *wk, mc_shared *sh)
{
	size_t n = sh->m->n + 1, w = BLOCK_WORDS;
	memset(wk, 0, sizeof(*wk));
	wk->sh = sh;
	wk->own = malloc(n * w * sizeof(word));
	wk->down = malloc(n * w * sizeof(word));
	wk->zb = malloc((sh->m->nzones + 1) * w * sizeof(word));
	wk->tmp = malloc(w * sizeof(word));
	wk->up = calloc(n, sizeof(uint64_t));
	if (!wk->own || !wk->down || !wk->zb || !wk->tmp || !wk->up)
		return DC_ENOMEM;
	if (sh->nslots) {
		wk->alt = malloc(n * w * sizeof(word));
		wk->touched = calloc(n, 1);
		wk->inq = calloc(n, 1);
		wk->tlist = malloc(n * sizeof(uint32_t));
		wk->heap = malloc(n * sizeof(uint32_t));
		wk->bcnt = calloc(sh->nslots, sizeof(uint64_t));
		wk->fcnt = calloc(sh->nslots, sizeof(uint64_t));
		wk->dcnt = calloc(sh->niep + 1, sizeof(uint64_t));
		if (!wk->alt || !wk->touched || !wk->inq || !wk->tlist || !wk->heap || !wk->bcnt ||
		    !wk->fcnt || !wk->dcnt)
			return DC_ENOMEM;
	}
	return 0;
}

/* Run the blocks on `threads` workers; sums land in workers[0]. */
static int mc_run(mc_shared *sh, unsigned threads, mc_worker **out)
{
	mc_worker *wk;
	pthread_t *th;
	unsigned t;
	size_t i;
	int rc = 0;
	if (threads > sh->nblocks)
		threads = (unsigned)sh->nblocks;
	if (!threads)
		threads = 1;
	wk = calloc(threads, sizeof(*wk));
	th = calloc(threads, sizeof(*th));
	if (!wk || !th) {
		free(wk);
		free(th);
		return DC_ENOMEM;
	}
	for (t = 0; t < threads && !rc; t++)
		rc = worker_init(&wk[t], sh);
	if (!rc) {
		run_workers(mc_main, wk, sizeof(*wk), threads, th);
		/* integer sums: the order does not matter */
		for (t = 1; t < threads; t++) {
			for (i = 0; i < sh->m->n; i++)
				wk[0].up[i] += wk[t].up[i];
			for (i = 0; i < sh->nslots; i++) {
				wk[0].bcnt[i] += wk[t].bcnt[i];
				wk[0].fcnt[i] += wk[t].fcnt[i];
			}
			for (i = 0; i < sh->niep; i++)
				wk[0].dcnt[i] += wk[t].dcnt[i];
		}
	}
	for (t = 1; t < threads; t++)
		worker_free(&wk[t]);
	if (rc) {
		worker_free(&wk[0]);
		free(wk);
		free(th);
		return rc;
	}
	*out = wk;  /* wk[0] holds the sums; the caller frees it */
	free(th);
	return 0;
}

/* ---- cut sets -------------------------------------------------------------------- */

/* a set of (entrypoint, x, y) triples: open addressing */
typedef struct {
	uint32_t *keys;  /* 3 per slot, e == UINT32_MAX: empty */
	size_t cap, len;
} tset;

static uint64_t thash(uint32_t e, uint32_t x, uint32_t y)
{
	return mix64(((uint64_t)e << 32 | x) ^ mix64(y + 0x1234567ull));
}

static int tset_add(tset *s, uint32_t e, uint32_t x, uint32_t y);

static int tset_has(const tset *s, uint32_t e, uint32_t x, uint32_t y)
{
	size_t i;
	if (!s->cap)
		return 0;
	for (i = thash(e, x, y) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		const uint32_t *k = s->keys + 3 * i;
		if (k[0] == UINT32_MAX)
			return 0;
		if (k[0] == e && k[1] == x && k[2] == y)
			return 1;
	}
}

static int tset_add(tset *s, uint32_t e, uint32_t x, uint32_t y)
{
	size_t i;
	if ((s->len + 1) * 2 > s->cap) {
		tset ns;
		ns.cap = s->cap ? s->cap * 2 : 64;
		ns.len = 0;
		ns.keys = malloc(ns.cap * 3 * sizeof(uint32_t));
		if (!ns.keys)
			return DC_ENOMEM;
		memset(ns.keys, 0xff, ns.cap * 3 * sizeof(uint32_t));
		for (i = 0; i < s->cap; i++)
			if (s->keys[3 * i] != UINT32_MAX)
				tset_add(&ns, s->keys[3 * i], s->keys[3 * i + 1], s->keys[3 * i + 2]);
		free(s->keys);
		*s = ns;
	}
	for (i = thash(e, x, y) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		uint32_t *k = s->keys + 3 * i;
		if (k[0] == e && k[1] == x && k[2] == y)
			return 0;
		if (k[0] == UINT32_MAX) {
			k[0] = e;
			k[1] = x;
			k[2] = y;
			s->len++;
			return 0;
		}
	}
}

typedef struct {
	uint32_t ep;       /* entrypoint index */
	dc_cut_set set;
} cut_rec;

typedef struct {
	const model *m;
	word *own, *down;
	const uint32_t *ep_pos; /* entrypoint index -> position */
	size_t neps;
	DC_VEC(cut_rec) out;
	uint32_t end;          /* rows past the last entrypoint are never needed */
	const word *single;    /* per entrypoint index, a bit per service id: order-1 cut set */
	size_t swords;         /* words per entrypoint in `single` */
	const tset *pairs;     /* (ep, x, y) with x < y: order-2 cut sets, ids */
} cut_ctx;

static inline int is_single(const cut_ctx *c, size_t e, dc_id x)
{
	return (int)((c->single[e * c->swords + x / 64] >> (x & 63)) & 1);
}

static double cut_prob(const model *m, const dc_id *ids, unsigned order)
{
	double p = 1;
	unsigned i;
	for (i = 0; i < order; i++)
		p *= m->p[m->pos[ids[i]]];
	return p;
}

static void sort3(dc_id *a, unsigned n)
{
	unsigned i, j;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && a[j - 1] > a[j]; j--) {
			dc_id t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

/* Sweep: positions `fixed` (nf of them) failed in every column, cand[c0..c1)
 * one per column; record the minimal cut sets found. */
static int cut_sweep(cut_ctx *c, const uint32_t *fixed, unsigned nf, const uint32_t *cand, size_t c0,
		     size_t c1)
{
	const model *m = c->m;
	size_t w = BLOCK_WORDS, k, j, e;
	uint32_t start = cand[c0];
	rows_t r;
	unsigned f;
	for (f = 0; f < nf; f++)
		if (fixed[f] < start)
			start = fixed[f];
	start = m->cstart[start];
	for (f = 0; f < nf; f++)
		memset(c->own + (size_t)fixed[f] * w, 0xff, w * sizeof(word));
	for (j = c0; j < c1; j++)
		c->own[(size_t)cand[j] * w + (j - c0) / 64] |= (word)1 << ((j - c0) & 63);
	r.down = c->down;
	r.alt = NULL;
	r.touched = NULL;
	r.w = w;
	eval_all(m, &r, c->own, start, c->end);
	for (f = 0; f < nf; f++)
		memset(c->own + (size_t)fixed[f] * w, 0, w * sizeof(word));
	for (j = c0; j < c1; j++)
		memset(c->own + (size_t)cand[j] * w, 0, w * sizeof(word));
	for (e = 0; e < c->neps; e++) {
		uint32_t ep = c->ep_pos[e];
		dc_id eid = m->ord[ep], fid[2];
		int skip = 0;
		if (ep < start)
			continue;
		for (f = 0; f < nf; f++) {
			fid[f] = m->ord[fixed[f]];
			skip |= fid[f] == eid || is_single(c, e, fid[f]);
		}
		if (nf == 2) {
			dc_id a = fid[0] < fid[1] ? fid[0] : fid[1], b = fid[0] ^ fid[1] ^ a;
			skip |= tset_has(c->pairs, (uint32_t)e, a, b);
		}
		if (skip)
			continue;
		for (k = 0; k < w; k++) {
			word bits = c->down[(size_t)ep * w + k];
			while (bits) {
				size_t col = k * 64 + (size_t)__builtin_ctzll(bits);
				cut_rec rec;
				dc_id x;
				int bad;
				bits &= bits - 1;
				if (c0 + col >= c1)
					break;
				x = m->ord[cand[c0 + col]];
				bad = x == eid || is_single(c, e, x);
				for (f = 0; f < nf && !bad; f++) {
					dc_id a = fid[f] < x ? fid[f] : x, b = fid[f] < x ? x : fid[f];
					bad = tset_has(c->pairs, (uint32_t)e, a, b);
				}
				if (bad)
					continue;
				rec.ep = (uint32_t)e;
				memset(&rec.set, 0, sizeof(rec.set));
				for (f = 0; f < nf; f++)
					rec.set.services[f] = fid[f];
				rec.set.services[nf] = x;
				rec.set.order = nf + 1;
				sort3(rec.set.services, nf + 1);
				rec.set.probability = cut_prob(m, rec.set.services, nf + 1);
				if (dc_vec_push(&c->out, rec))
					return DC_ENOMEM;
			}
		}
	}
	/* rows below the next sweep's start must read as zero */
	if (c->end > start)
		memset(c->down + (size_t)start * w, 0, (c->end - start) * w * sizeof(word));
	return 0;
}

static int cmp_cut(const void *pa, const void *pb)
{
	const cut_rec *a = pa, *b = pb;
	unsigned i;
	if (a->ep != b->ep)
		return a->ep < b->ep ? -1 : 1;
	if (a->set.order != b->set.order)
		return a->set.order < b->set.order ? -1 : 1;
	if (a->set.probability != b->set.probability)
		return a->set.probability > b->set.probability ? -1 : 1;
	for (i = 0; i < a->set.order; i++)
		if (a->set.services[i] != b->set.services[i])
			return a->set.services[i] < b->set.services[i] ? -1 : 1;
	return 0;
}

typedef struct {
	cut_ctx c;               /* the worker's own rows and finds */
	const uint32_t *cand;
	size_t ncand;
	unsigned nf;             /* failed in every column: 1 (pairs) or 2 (triples) */
	pthread_mutex_t *lock;
	size_t *next;            /* next first candidate to take */
	int rc;
} cut_worker;

static void *cut_main(void *arg)
{
	cut_worker *w = arg;
	size_t n = w->ncand;
	for (;;) {
		size_t i, j, k;
		pthread_mutex_lock(w->lock);
		i = (*w->next)++;
		pthread_mutex_unlock(w->lock);
		if (i >= n || w->rc)
			break;
		if (w->nf == 1) {
			for (j = i + 1; j < n && !w->rc; j += BLOCK_TRIALS)
				w->rc = cut_sweep(&w->c, &w->cand[i], 1, w->cand, j,
						  j + BLOCK_TRIALS < n ? j + BLOCK_TRIALS : n);
			continue;
		}
		for (j = i + 1; j < n && !w->rc; j++) {
			uint32_t fx[2];
			fx[0] = w->cand[i];
			fx[1] = w->cand[j];
			for (k = j + 1; k < n && !w->rc; k += BLOCK_TRIALS)
				w->rc = cut_sweep(&w->c, fx, 2, w->cand, k, k + BLOCK_TRIALS < n ? k + BLOCK_TRIALS : n);
		}
	}
	return NULL;
}

/* All sweeps of one order on `threads` workers (first candidates taken from
 * a shared counter); their finds are appended to main->out. The caller
 * sorts, so the result does not depend on the number of threads. */
static int cut_run(cut_ctx *main, const uint32_t *cand, size_t ncand, unsigned nf, unsigned threads)
{
	cut_worker *w;
	pthread_t *th;
	pthread_mutex_t lock;
	size_t next = 0, i;
	unsigned t;
	int rc = 0;
	if (threads > ncand)
		threads = (unsigned)ncand;
	if (!threads)
		threads = 1;
	w = calloc(threads, sizeof(*w));
	th = calloc(threads, sizeof(*th));
	if (!w || !th || pthread_mutex_init(&lock, NULL)) {
		free(w);
		free(th);
		return DC_ENOMEM;
	}
	for (t = 0; t < threads; t++) {
		w[t].c = *main;
		memset(&w[t].c.out, 0, sizeof(w[t].c.out));
		w[t].c.own = calloc((main->m->n + 1) * BLOCK_WORDS, sizeof(word));
		w[t].c.down = calloc((main->m->n + 1) * BLOCK_WORDS, sizeof(word));
		w[t].cand = cand;
		w[t].ncand = ncand;
		w[t].nf = nf;
		w[t].lock = &lock;
		w[t].next = &next;
		if (!w[t].c.own || !w[t].c.down)
			rc = DC_ENOMEM;
	}
	if (!rc)
		run_workers(cut_main, w, sizeof(*w), threads, th);
	for (t = 0; t < threads; t++) {
		if (!rc)
			rc = w[t].rc;
		for (i = 0; !rc && i < w[t].c.out.len; i++)
			if (dc_vec_push(&main->out, w[t].c.out.items[i]))
				rc = DC_ENOMEM;
		free(w[t].c.own);
		free(w[t].c.down);
		dc_vec_free(&w[t].c.out);
	}
	pthread_mutex_destroy(&lock);
	free(w);
	free(th);
	return rc;
}

/* Word operations of the sweeps of one order: per first candidate(s), one
 * sweep per block of the later candidates, over the rows from the first
 * candidate's position on (candidates are in position order). Stops
 * counting past `limit`. */
static double cut_cost(const model *m, const uint32_t *cand, size_t ncand, unsigned nf, double limit)
{
	double per_row = (double)(m->n + m->hoff[m->n] + m->gmoff[m->goff[m->n]]) / (double)(m->n ? m->n : 1) *
			 BLOCK_WORDS;
	double cost = 0;
	size_t i, j;
	for (i = 0; i < ncand && cost <= limit; i++) {
		double rows = (double)(m->n - m->cstart[cand[i]]) * per_row;
		if (nf == 1) {
			cost += (double)((ncand - i - 1 + BLOCK_TRIALS - 1) / BLOCK_TRIALS) * rows;
			continue;
		}
		for (j = i + 1; j < ncand && cost <= limit; j++)
			cost += (double)((ncand - j - 1 + BLOCK_TRIALS - 1) / BLOCK_TRIALS) * rows;
	}
	return cost;
}

static int compute_cuts(dc_availability *a, const model *m, const dc_graph *g, unsigned max_order,
			unsigned threads)
{
	cut_ctx c;
	dc_blast *bl = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	uint32_t *ep_pos = NULL, *cand = NULL;
	uint8_t *mark = NULL;
	u32v stack = {0};
	size_t ncand = 0, i, j, e, n = m->n;
	int complete2 = 1, complete3 = 1, complete1 = 1, rc = DC_ENOMEM;
	tset pairs = { NULL, 0, 0 };
	word *single = NULL;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.pairs = &pairs;
	c.swords = (n + 63) / 64;
	/* a bit per (entrypoint, service) is quadratic: beyond SINGLE_BUDGET the
	 * orders above 1 are skipped (reported incomplete, never wrong) */
	if (max_order >= 2 && (double)a->neps * (double)c.swords * sizeof(word) <= SINGLE_BUDGET) {
		single = calloc(a->neps * c.swords + 1, sizeof(word));
		if (!single)
			goto out;
	} else {
		complete2 = complete3 = 0;
	}
	c.single = single;
	bo.flags = DC_BLAST_NO_DEGRADED;
	a->cuti = calloc(a->neps + 1, sizeof(cut_info));
	ep_pos = malloc((a->neps + 1) * sizeof(uint32_t));
	if (!a->cuti || !ep_pos)
		goto out;
	for (e = 0; e < a->neps; e++) {
		ep_pos[e] = m->pos[a->eps[e]];
		if (ep_pos[e] + 1 > c.end)
			c.end = m->cend[ep_pos[e]];
	}
	c.ep_pos = ep_pos;
	c.neps = a->neps;
	/* order 1: the SPOFs */
	if ((rc = dc_blast_compute_ex(&bl, g, &bo)))
		goto out;
	rc = DC_ENOMEM;
	for (i = 0; i < n; i++) {
		const dc_id *eps;
		size_t ne = dc_blast_spof_entrypoints(bl, (dc_id)i, &eps);
		if (dc_blast_spof_total(bl, (dc_id)i) > ne)
			complete1 = 0;  /* entrypoints beyond the kept ones: sets missing */
		for (j = 0; j < ne; j++) {
			cut_rec rec;
			uint32_t ei = a->ep_index[eps[j]];
			if (ei == UINT32_MAX)
				continue;
			memset(&rec, 0, sizeof(rec));
			rec.ep = ei;
			rec.set.services[0] = (dc_id)i;
			rec.set.order = 1;
			rec.set.probability = m->p[m->pos[i]];
			if (dc_vec_push(&c.out, rec))
				goto out;
			if (single)
				single[ei * c.swords + i / 64] |= (word)1 << (i & 63);
		}
	}
	if (!complete1) {
		/* the order-1 sets are not all known: higher orders could not be
		 * checked for minimality, so they are skipped too */
		complete2 = complete3 = 0;
	}
	if (max_order >= 2 && complete2) {
		/* candidates: what can take a group member down (redundancy exists there) */
		mark = calloc(n + 1, 1);
		cand = malloc((n + 1) * sizeof(uint32_t));
		if (!mark || !cand)
			goto out;
		for (i = 0; i < m->gmoff[m->goff[n]]; i++)
			if (!mark[m->gmem[i]]) {
				mark[m->gmem[i]] = 1;
				if (dc_vec_push(&stack, m->gmem[i]))
					goto out;
			}
		while (stack.len) {
			uint32_t v = stack.items[--stack.len];
			for (j = m->hoff[v]; j < m->hoff[v + 1]; j++)
				if (!mark[m->hard[j]]) {
					mark[m->hard[j]] = 1;
					if (dc_vec_push(&stack, m->hard[j]))
						goto out;
				}
			for (j = m->gmoff[m->goff[v]]; j < m->gmoff[m->goff[v + 1]]; j++)
				if (!mark[m->gmem[j]]) {
					mark[m->gmem[j]] = 1;
					if (dc_vec_push(&stack, m->gmem[j]))
						goto out;
				}
		}
		for (i = 0; i < n; i++)
			if (mark[i])
				cand[ncand++] = (uint32_t)i;
		if (cut_cost(m, cand, ncand, 1, CUT_BUDGET) > CUT_BUDGET) {
			complete2 = complete3 = 0;
		} else {
			size_t before = c.out.len;
			if ((rc = cut_run(&c, cand, ncand, 1, threads)))
				goto out;
			rc = DC_ENOMEM;
			for (i = before; i < c.out.len; i++)
				if (tset_add(&pairs, c.out.items[i].ep, c.out.items[i].set.services[0],
					     c.out.items[i].set.services[1]))
					goto out;
		}
		if (max_order >= 3 && complete2) {
			if (cut_cost(m, cand, ncand, 2, CUT_BUDGET) > CUT_BUDGET) {
				complete3 = 0;
			} else {
				if ((rc = cut_run(&c, cand, ncand, 2, threads)))
					goto out;
				rc = DC_ENOMEM;
			}
		}
	}
	if (c.out.len)
		qsort(c.out.items, c.out.len, sizeof(cut_rec), cmp_cut);
	if (dc_vec_reserve(&a->cuts, c.out.len + 1))
		goto out;
	for (i = 0; i < c.out.len; i++) {
		cut_info *ci = &a->cuti[c.out.items[i].ep];
		if (!ci->len)
			ci->off = (uint32_t)a->cuts.len;
		ci->len++;
		a->cuts.items[a->cuts.len++] = c.out.items[i].set;
	}
	for (e = 0; e < a->neps; e++)
		a->cuti[e].complete = complete1 && (max_order < 2 || complete2) && (max_order < 3 || complete3);
	rc = 0;
out:
	dc_blast_free(bl);
	free(ep_pos);
	free(cand);
	free(mark);
	free(single);
	free(pairs.keys);
	dc_vec_free(&c.out);
	dc_vec_free(&stack);
	return rc;
}

/* ---- importance ---------------------------------------------------------------- */

static int cmp_imp(const void *pa, const void *pb)
{
	const dc_importance *a = pa, *b = pb;
	if (a->birnbaum != b->birnbaum)
		return a->birnbaum > b->birnbaum ? -1 : 1;
	if (a->fussell_vesely != b->fussell_vesely)
		return a->fussell_vesely > b->fussell_vesely ? -1 : 1;
	return a->service < b->service ? -1 : a->service > b->service;
}

static int push_imp(dc_availability *a, imp_info *ii, dc_id s, double b, double fv)
{
	dc_importance r;
	if (!(b > 0) && !(fv > 0))
		return 0;
	r.service = s;
	r.birnbaum = b > 0 ? b : 0;
	r.fussell_vesely = fv > 0 ? (fv < 1 ? fv : 1) : 0;
	if (!ii->len)
		ii->off = (uint32_t)a->imp.len;
	ii->len++;
	return dc_vec_push(&a->imp, r);
}

/* on_defaults[s] = 1 when no availability s's DOWN state can depend on was
 * written: no service s reaches over hard edges (any_of members included)
 * has an explicit availability, nor zones that a zone failure probability
 * applies to. One pass over the condensation of those edges, providers
 * first. An SLO miss of such a service follows from defaults alone. */
static int defaults_only(dc_availability *a, const dc_graph *g, double zone_failure)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t ne = cat->deps.len, nc, i, k;
	uint8_t *keep = malloc(ne + 1), *ex = NULL;
	dc_scc *scc = NULL;
	uint32_t c;
	a->on_defaults = calloc(a->n + 1, 1);
	if (!keep || !a->on_defaults)
		goto nomem;
	for (i = 0; i < ne; i++)
		keep[i] = cat->deps.items[i].kind == DC_DEP_HARD && dep_runtime(&cat->deps.items[i]);
	if (dc_scc_compute_edges(&scc, g, keep))
		goto nomem;
	nc = dc_scc_count(scc);
	if (!(ex = calloc(nc + 1, 1)))
		goto nomem;
	for (c = 0; c < nc; c++) {
		const dc_id *mem;
		size_t sz = dc_scc_members(scc, c, &mem);
		for (k = 0; k < sz && !ex[c]; k++) {
			const svc_t *s = &cat->svcs.items[mem[k]];
			const dc_id *to;
			size_t first, nt = dc_graph_out(g, mem[k], &to, &first), j;
			if ((s->explicit_attrs & SVC_EX_AVAIL) || (zone_failure > 0 && s->nzones > 0))
				ex[c] = 1;
			for (j = 0; j < nt && !ex[c]; j++)
				if (keep[first + j] && dc_scc_of(scc, to[j]) != c)
					ex[c] = ex[dc_scc_of(scc, to[j])];
		}
		for (k = 0; k < sz; k++)
			a->on_defaults[mem[k]] = !ex[c];
	}
	free(ex);
	free(keep);
	dc_scc_free(scc);
	return 0;
nomem:
	free(ex);
	free(keep);
	dc_scc_free(scc);
	return DC_ENOMEM;
}

/* Work of one block of Monte Carlo importance, in word operations: every
 * service of the entrypoints' closures (those estimated by Monte Carlo) is
 * flipped, and a flip re-evaluates about the services its lone failure
 * takes down (its blast radius, lib/blast.c). */
static int imp_work(const model *m, const dc_graph *g, const dc_availability *a, double *work)
{
	dc_blast *bl = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	uint8_t *mark = calloc(m->n + 1, 1);
	u32v stack = {0};
	size_t e, j;
	int rc = DC_ENOMEM;
	*work = 0;
	if (!mark)
		return DC_ENOMEM;
	for (e = 0; e < a->neps; e++) {
		uint32_t p = m->pos[a->eps[e]];
		if (a->est[a->eps[e]].method != DC_AVAIL_MONTE_CARLO || mark[p])
			continue;
		mark[p] = 1;
		if (dc_vec_push(&stack, p))
			goto out;
	}
	if (!stack.len) {
		rc = 0;
		goto out;
	}
	while (stack.len) {
		uint32_t v = stack.items[--stack.len];
		for (j = m->hoff[v]; j < m->hoff[v + 1]; j++)
			if (!mark[m->hard[j]] && (mark[m->hard[j]] = 1, dc_vec_push(&stack, m->hard[j])))
				goto out;
		for (j = m->gmoff[m->goff[v]]; j < m->gmoff[m->goff[v + 1]]; j++)
			if (!mark[m->gmem[j]] && (mark[m->gmem[j]] = 1, dc_vec_push(&stack, m->gmem[j])))
				goto out;
	}
	bo.flags = DC_BLAST_NO_DEGRADED | DC_BLAST_NO_SPOFS;
	if ((rc = dc_blast_compute_ex(&bl, g, &bo)))
		goto out;
	for (j = 0; j < m->n; j++)
		if (mark[j])
			*work += (double)(dc_blast_down(bl, m->ord[j]) + 1) * 4 * BLOCK_WORDS;
	rc = 0;
out:
	dc_blast_free(bl);
	dc_vec_free(&stack);
	free(mark);
	return rc;
}

/* ---- the whole computation ----------------------------------------------------- */

static void wilson(dc_availability_estimate *e, uint64_t up, uint64_t n)
{
	const double z = 1.959963984540054;
	double x = (double)up, nn = (double)n, den = nn + z * z;
	double centre = (x + z * z / 2) / den;
	double half = z / den * sqrt(x * (nn - x) / nn + z * z / 4);
	e->availability = x / nn;
	e->ci_low = centre - half > 0 ? centre - half : 0;
	e->ci_high = centre + half < 1 ? centre + half : 1;
	if (e->ci_low > e->availability)
		e->ci_low = e->availability;
	if (e->ci_high < e->availability)
		e->ci_high = e->availability;
}

int dc_availability_compute(dc_availability **out, const dc_graph *g, const dc_availability_options *opts)
{
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_availability *a;
	model m;
	exact_ctx x;
	mc_shared sh;
	mc_worker *wk = NULL;
	size_t n = dc_graph_node_count(g), i, j, e, need_mc = 0;
	uint8_t *imp_mc = NULL;
	u32v cep = {0};
	uint32_t *ccount = NULL, *slot0 = NULL;
	double work = 0;
	int rc;

	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_AVAILABILITY_OPTIONS_VERSION))
		return DC_EINVALID;
	if (opts)
		o = *opts;
	if (!o.trials)
		o.trials = DEFAULT_TRIALS;
	if (!o.max_order)
		o.max_order = 2;
	if (!o.exact_max)
		o.exact_max = DC_AVAILABILITY_EXACT_MAX;
	if (o.max_order > 3 || o.exact_max > EXACT_CAP || !(o.zone_failure >= 0 && o.zone_failure <= 1) ||
	    o.trials > ((uint64_t)1 << 50))
		return DC_EINVALID;
	if (!o.threads) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (o.threads > 64)
		o.threads = 64;
	a = calloc(1, sizeof(*a));
	if (!a)
		return DC_ENOMEM;
	a->n = n;
	memset(&x, 0, sizeof(x));
	memset(&sh, 0, sizeof(sh));
	a->est = calloc(n + 1, sizeof(*a->est));
	a->eps = malloc((n + 1) * sizeof(dc_id));
	a->ep_index = malloc((n + 1) * sizeof(uint32_t));
	if (!a->est || !a->eps || !a->ep_index) {
		dc_availability_free(a);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		a->ep_index[i] = UINT32_MAX;
		if (dc_service_is_entrypoint(cat, (dc_id)i)) {
			a->ep_index[i] = (uint32_t)a->neps;
			a->eps[a->neps++] = (dc_id)i;
		}
	}
	if ((rc = defaults_only(a, g, o.zone_failure)) || (rc = model_build(&m, g, o.zone_failure))) {
		dc_availability_free(a);
		return rc;
	}
	rc = DC_ENOMEM;
	imp_mc = calloc(a->neps + 1, 1);
	if (!imp_mc || exact_init(&x, &m, o.exact_max))
		goto out;
	if (!(o.flags & DC_AVAIL_NO_IMPORTANCE)) {
		a->impi = calloc(a->neps + 1, sizeof(imp_info));
		if (!a->impi)
			goto out;
		for (e = 0; e < a->neps; e++)
			a->impi[e].method = DC_AVAIL_NONE;  /* until computed */
	}

	/* exact where the events are few */
	for (i = 0; i < n; i++) {
		dc_availability_estimate *est = &a->est[m.ord[i]];
		est->method = DC_AVAIL_NONE;
		if (o.flags & DC_AVAIL_FORCE_MC) {
			est->events = o.exact_max + 1;
			need_mc = 1;
			continue;
		}
		if ((rc = exact_prepare(&x, (uint32_t)i)))
			goto out;
		rc = DC_ENOMEM;
		est->events = (unsigned)(x.k > o.exact_max ? o.exact_max + 1 : x.k);
		if (x.k > o.exact_max) {
			need_mc = !(o.flags & DC_AVAIL_EXACT_ONLY);
			if (need_mc)
				est->method = DC_AVAIL_MONTE_CARLO;
			continue;
		}
		est->method = DC_AVAIL_EXACT;
		est->availability = 1 - exact_unavail(&x, (uint32_t)i, UINT32_MAX, 0);
		if (est->availability < 0)
			est->availability = 0;
		est->ci_low = est->ci_high = est->availability;
		if (a->impi && a->ep_index[m.ord[i]] != UINT32_MAX) {
			imp_info *ii = &a->impi[a->ep_index[m.ord[i]]];
			double u = 1 - est->availability;
			ii->method = DC_AVAIL_EXACT;
			for (j = 0; j < x.list.len; j++) {
				uint32_t v = x.list.items[j];
				double uup = exact_unavail(&x, (uint32_t)i, v, 0);
				double udn = exact_unavail(&x, (uint32_t)i, v, 1);
				if (push_imp(a, ii, m.ord[v], udn - uup, u > 0 ? (u - uup) / u : 0))
					goto out;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (a->est[i].method == DC_AVAIL_MONTE_CARLO || (o.flags & DC_AVAIL_FORCE_MC))
			a->est[i].method = DC_AVAIL_MONTE_CARLO;

	if (need_mc) {
		/* importance by Monte Carlo for the entrypoints not done exactly */
		sh.m = &m;
		sh.seed = o.seed;
		sh.trials = o.trials;
		sh.nblocks = (o.trials + BLOCK_TRIALS - 1) / BLOCK_TRIALS;
		sh.progress = o.progress;
		sh.pctx = o.progress_ctx;
		if (pthread_mutex_init(&sh.lock, NULL))
			goto out;
		sh.iep_pos = malloc((a->neps + 1) * sizeof(uint32_t));
		slot0 = calloc(a->neps + 2, sizeof(uint32_t));
		sh.coff = calloc(n + 2, sizeof(uint32_t));
		ccount = calloc(n + 1, sizeof(uint32_t));
		if (!sh.iep_pos || !sh.coff || !ccount || !slot0)
			goto out_mc;
		if (a->impi && (rc = imp_work(&m, g, a, &work)))
			goto out_mc;
		rc = DC_ENOMEM;
		if (a->impi && work > 0 && work <= IMP_BUDGET) {
			uint32_t *tmp_e = NULL;
			u32v pe = {0}, pc = {0};  /* (entrypoint, candidate) pairs */
			for (e = 0; e < a->neps; e++) {
				if (a->est[a->eps[e]].method != DC_AVAIL_MONTE_CARLO)
					continue;
				imp_mc[e] = 1;
				x.exact_max = n + 1;  /* collect the whole closure */
				if (exact_prepare(&x, m.pos[a->eps[e]])) {
					x.exact_max = o.exact_max;
					dc_vec_free(&pe);
					dc_vec_free(&pc);
					goto out_mc;
				}
				x.exact_max = o.exact_max;
				for (j = 0; j < x.list.len; j++) {
					uint32_t v = x.list.items[j];
					if (dc_vec_push(&pe, (uint32_t)sh.niep) || dc_vec_push(&pc, v)) {
						dc_vec_free(&pe);
						dc_vec_free(&pc);
						goto out_mc;
					}
					ccount[v]++;
				}
				sh.iep_pos[sh.niep++] = m.pos[a->eps[e]];
				slot0[sh.niep] = (uint32_t)pe.len;
			}
			sh.nslots = pe.len;
			for (i = 0; i < n; i++)
				sh.coff[i + 1] = sh.coff[i] + ccount[i];
			sh.cep = malloc((pe.len + 1) * sizeof(uint32_t));
			sh.cslot = malloc((pe.len + 1) * sizeof(uint32_t));
			tmp_e = calloc(n + 1, sizeof(uint32_t));
			if (!sh.cep || !sh.cslot || !tmp_e) {
				free(tmp_e);
				dc_vec_free(&pe);
				dc_vec_free(&pc);
				goto out_mc;
			}
			for (j = 0; j < pe.len; j++) {
				uint32_t v = pc.items[j], at = sh.coff[v] + tmp_e[v]++;
				sh.cep[at] = pe.items[j];
				sh.cslot[at] = (uint32_t)j;
			}
			sh.imp_blocks = (uint64_t)(IMP_BUDGET / work);
			if (sh.imp_blocks < 1)
				sh.imp_blocks = 1;
			if (sh.imp_blocks > sh.nblocks)
				sh.imp_blocks = sh.nblocks;
			free(tmp_e);
			/* keep the pairs' order: slot j = (pe[j], pc[j]) */
			dc_vec_free(&pe);
			cep.items = pc.items; /* candidate of each slot */
			cep.len = pc.len;
			pc.items = NULL;
		}
		if ((rc = mc_run(&sh, o.threads, &wk)))
			goto out_mc;
		rc = DC_ENOMEM;
		a->trials = o.trials;
		for (i = 0; i < n; i++) {
			dc_availability_estimate *est = &a->est[m.ord[i]];
			if (est->method != DC_AVAIL_MONTE_CARLO)
				continue;
			est->trials = o.trials;
			wilson(est, wk->up[i], o.trials);
		}
		if (a->impi && sh.nslots) {
			uint64_t itr = sh.imp_blocks * BLOCK_TRIALS;
			if (itr > o.trials)
				itr = o.trials;
			for (e = 0, j = 0; e < a->neps; e++) {
				imp_info *ii;
				size_t t;
				if (!imp_mc[e])
					continue;
				ii = &a->impi[e];
				ii->method = DC_AVAIL_MONTE_CARLO;
				ii->trials = itr;
				for (t = slot0[j]; t < slot0[j + 1]; t++) {
					double b = (double)wk->bcnt[t] / (double)itr;
					double fv = wk->dcnt[j] ? (double)wk->fcnt[t] / (double)wk->dcnt[j] : 0;
					if (push_imp(a, ii, m.ord[cep.items[t]], b, fv))
						goto out_mc;
				}
				j++;
			}
		}
		rc = 0;
out_mc:
		pthread_mutex_destroy(&sh.lock);
		if (rc)
			goto out;
	}
	rc = DC_ENOMEM;
	if (a->impi)
		for (e = 0; e < a->neps; e++)
			if (a->impi[e].len)
				qsort(a->imp.items + a->impi[e].off, a->impi[e].len, sizeof(dc_importance), cmp_imp);
	if (!(o.flags & DC_AVAIL_NO_CUT_SETS) && (rc = compute_cuts(a, &m, g, o.max_order, o.threads)))
		goto out;
	rc = 0;
out:
	if (wk) {
		worker_free(wk);
		free(wk);
	}
	free(sh.iep_pos);
	free(sh.coff);
	free(sh.cep);
	free(sh.cslot);
	free(ccount);
	free(slot0);
	free(imp_mc);
	dc_vec_free(&cep);
	exact_free(&x);
	model_free(&m);
	if (rc) {
		dc_availability_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- the one-trial-at-a-time reference ---------------------------------------- */

int avail_scalar_reference(const dc_graph *g, uint64_t trials, uint64_t seed, double zone_failure,
			   uint64_t *up)
{
	model m;
	uint8_t *own = NULL, *down = NULL, *zf = NULL;
	uint64_t t, s = mix64(seed ^ 0xA0761D6478BD642Full);
	size_t i, j;
	int rc;
	if ((rc = model_build(&m, g, zone_failure)))
		return rc;
	own = malloc(m.n + 1);
	down = malloc(m.n + 1);
	zf = malloc(m.nzones + 1);
	if (!own || !down || !zf) {
		rc = DC_ENOMEM;
		goto out;
	}
	memset(up, 0, m.n * sizeof(uint64_t));
	for (t = 0; t < trials; t++) {
		for (i = 0; i < m.nzones; i++)
			zf[i] = (double)(rng_next(&s) >> 11) * 0x1p-53 < m.pz;
		for (i = 0; i < m.n; i++) {
			if (m.zone_mode && m.zoff[i + 1] > m.zoff[i]) {
				uint8_t o = 1;
				for (j = m.zoff[i]; j < m.zoff[i + 1]; j++)
					o &= zf[m.sz[j].zone] | ((double)(rng_next(&s) >> 11) * 0x1p-53 < m.sz[j].p);
				own[i] = o;
			} else {
				own[i] = (double)(rng_next(&s) >> 11) * 0x1p-53 < m.p[i];
			}
		}
		for (i = 0; i < m.n;) {
			size_t e = m.cend[i], x;
			int changed;
			for (x = i; x < e; x++)
				down[x] = own[x];
			do {
				changed = 0;
				for (x = i; x < e; x++) {
					uint8_t d = own[x];
					size_t gi;
					for (j = m.hoff[x]; j < m.hoff[x + 1] && !d; j++)
						d = down[m.hard[j]];
					for (gi = m.goff[x]; gi < m.goff[x + 1] && !d; gi++) {
						uint8_t all = 1;
						for (j = m.gmoff[gi]; j < m.gmoff[gi + 1] && all; j++)
							all = down[m.gmem[j]];
						d = all;
					}
					if (d != down[x]) {
						down[x] = d;
						changed = 1;
					}
				}
			} while (changed && e > i + 1);
			i = e;
		}
		for (i = 0; i < m.n; i++)
			up[m.ord[i]] += !down[i];
	}
out:
	free(own);
	free(down);
	free(zf);
	model_free(&m);
	return rc;
}
