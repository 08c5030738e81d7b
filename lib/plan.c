/*
 * plan.c - deployment waves (docs/model.md, "Deployment plan"); the model
 * and its choices are documented in include/depcheck/plan.h.
 *
 * The idea: build a per-dependency "constrains" mask (drop soft edges
 * inside a cycle of the all-edges graph; for a cold start keep hard
 * non-any_of edges only), find the strongly connected components of what
 * remains (dc_scc_compute_edges: components come out sink-first, i.e.
 * providers before consumers), then one dynamic-programming pass over the
 * condensation in topological order carrying H[c] = the highest wave of a
 * planned service at or below component c. A component with planned
 * members gets wave 1 + max H over the components it must follow. That is
 * the longest-path layering restricted to the planned set, so the number of
 * waves is minimal and every wave 1..depth is used (a wave-k component
 * always has a wave-(k-1) one below it). Cost: O(services + dependencies)
 * plus one sort of the planned services for the canary order.
 */
#include <depcheck/plan.h>

#include <stdlib.h>
#include <string.h>
#include "util.h"

struct dc_plan {
	size_t n;            /* services in the graph */
	size_t m;            /* dependencies in the graph */
	uint8_t *keep;       /* m: 1 when the dependency constrains */
	uint32_t *wave_of;   /* n: 1-based wave after the split, 0 = not planned */
	size_t nplanned;
	size_t nwaves;       /* after the max_parallel split */
	size_t depth;        /* before the split */
	dc_id *ids;          /* nplanned, grouped by wave, canary order inside */
	uint32_t *woff;      /* nwaves+1 */
	size_t ngroups;      /* lockstep groups */
	uint32_t *goff;      /* ngroups+1, into gmem */
	dc_id *gmem;         /* planned members of each group */
	uint32_t *geoff;     /* ngroups+1, into gedges */
	uint32_t *gedges;    /* constraining dependencies inside each group */
	int cold_start;      /* groups are hard cycles: impossible cold starts */
};

/* one planned service, with everything the canary sort needs */
typedef struct {
	uint32_t level;      /* wave before the split */
	uint32_t comp;
	size_t cdown, cdeg;  /* riskiest planned member of the component */
	const char *cname;   /* smallest planned member name of the component */
	size_t down, deg;
	const char *name;
	dc_id id;
} item;

static int cmp_size(size_t a, size_t b) { return a < b ? -1 : a > b; }

static int cmp_item(const void *pa, const void *pb)
{
	const item *a = pa, *b = pb;
	int r;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->comp != b->comp) {
		if ((r = cmp_size(a->cdown, b->cdown)) || (r = cmp_size(a->cdeg, b->cdeg)))
			return r;
		if ((r = strcmp(a->cname, b->cname)))
			return r;
		return a->comp < b->comp ? -1 : 1;
	}
	if ((r = cmp_size(a->down, b->down)) || (r = cmp_size(a->deg, b->deg)))
		return r;
	if ((r = strcmp(a->name, b->name)))
		return r;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The sort key of an item, 32 bytes in a row: the level, the component's
 * counts and the first 16 bytes of its name (big-endian, zero-padded: they
 * order like strcmp, a shorter name first), the item's index for the rest.
 * A million items sort without reading the scattered names, except where
 * 16 bytes tie. */
typedef struct {
	uint64_t k0;      /* level << 32 | cdown */
	uint64_t k1;      /* cdeg << 32 | item index */
	uint64_t p0, p1;  /* cname's first 16 bytes */
} skey;

/* the first 16 bytes of s, big-endian, zero-padded */
static void name_key(const char *s, uint64_t *p0, uint64_t *p1)
{
	uint64_t v[2] = { 0, 0 };
	size_t i;
	int end = 0;
	for (i = 0; i < 16; i++) {
		unsigned char c = end ? 0 : (unsigned char)s[i];
		end = !c;
		v[i / 8] = v[i / 8] << 8 | c;
	}
	*p0 = v[0];
	*p1 = v[1];
}

static int cmp_skey(const skey *a, const skey *b, const item *it)
{
	if (a->k0 != b->k0)
		return a->k0 < b->k0 ? -1 : 1;
	if (a->k1 >> 32 != b->k1 >> 32)
		return a->k1 >> 32 < b->k1 >> 32 ? -1 : 1;
	if (a->p0 != b->p0)
		return a->p0 < b->p0 ? -1 : 1;
	if (a->p1 != b->p1)
		return a->p1 < b->p1 ? -1 : 1;
	return cmp_item(it + (uint32_t)a->k1, it + (uint32_t)b->k1);
}

/* merge sort of a[0..n) (tmp: room for n / 2), insertion sort below 16;
 * recursion depth log2(n) */
static void skey_sort(skey *a, skey *tmp, size_t n, const item *it)
{
	size_t h = n / 2, i, j, k;
	if (n < 16) {
		for (i = 1; i < n; i++) {
			skey x = a[i];
			for (j = i; j > 0 && cmp_skey(&x, &a[j - 1], it) < 0; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	skey_sort(a, tmp, h, it);
	skey_sort(a + h, tmp, n - h, it);
	if (cmp_skey(&a[h - 1], &a[h], it) <= 0)
		return; /* already in order */
	memcpy(tmp, a, h * sizeof(skey));
	for (i = 0, j = h, k = 0; i < h && j < n;)
		a[k++] = cmp_skey(&a[j], &tmp[i], it) < 0 ? a[j++] : tmp[i++];
	while (i < h)
		a[k++] = tmp[i++];
}

void dc_plan_free(dc_plan *p)
{
	if (!p)
		return;
	free(p->keep);
	free(p->wave_of);
	free(p->ids);
	free(p->woff);
	free(p->goff);
	free(p->gmem);
	free(p->geoff);
	free(p->gedges);
	free(p);
}

int dc_plan_compute(dc_plan **out, const dc_graph *g, const dc_plan_options *opts)
{
	static const dc_plan_options defaults = DC_PLAN_OPTIONS_INIT;
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_graph_node_count(g), m = dc_graph_edge_count(g), i, k, np = 0, ni;
	dc_plan *p;
	uint32_t *comp = NULL, *coff = NULL, *cmem = NULL, *W = NULL, *H = NULL, *pc = NULL;
	uint32_t *gid = NULL;
	item *it = NULL;
	long nc;
	int consumers, rc = DC_ENOMEM;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!DC_OPTIONS_VERSION_OK(opts->version, DC_PLAN_OPTIONS_VERSION) || (opts->blast && dc_blast_count(opts->blast) != n))
		return DC_EINVALID;
	consumers = !opts->cold_start && opts->order == DC_PLAN_CONSUMERS_FIRST;
	p = calloc(1, sizeof(*p));
	if (!p)
		return DC_ENOMEM;
	p->n = n;
	p->m = m;
	p->cold_start = opts->cold_start != 0;
	p->keep = malloc(m ? m : 1);
	p->wave_of = calloc(n ? n : 1, sizeof(uint32_t));
	comp = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!p->keep || !p->wave_of || !comp)
		goto fail;

	/* ---- the constraint graph ---- */
	{
		dc_scc *cons = NULL;
		if (opts->cold_start) {
			for (i = 0; i < m; i++)
				p->keep[i] = dc_dep_kind_of(cat, i) == DC_DEP_HARD && !dc_dep_group(cat, i);
		} else {
			size_t dropped = 0;
			if (dc_scc_compute(&cons, g, DC_EDGES_ALL))
				goto fail;
			for (i = 0; i < m; i++) {
				p->keep[i] = !(dc_dep_kind_of(cat, i) == DC_DEP_SOFT &&
					       dc_scc_of(cons, dc_dep_from(cat, i)) == dc_scc_of(cons, dc_dep_to(cat, i)));
				dropped += !p->keep[i];
			}
			/* no soft edge inside a cycle: the constraint graph is the
			 * whole graph, and these its components */
			if (dropped) {
				dc_scc_free(cons);
				cons = NULL;
			}
		}
		/* components of the constraint graph, providers first */
		if (!cons && dc_scc_compute_edges(&cons, g, p->keep))
			goto fail;
		nc = (long)dc_scc_count(cons);
		for (i = 0; i < n; i++)
			comp[i] = dc_scc_of(cons, (dc_id)i);
		dc_scc_free(cons);
	}

	/* members per component (counting sort) and planned counts */
	coff = calloc((size_t)nc + 2, sizeof(uint32_t));
	cmem = malloc((n ? n : 1) * sizeof(uint32_t));
	W = calloc((size_t)nc + 1, sizeof(uint32_t));
	H = calloc((size_t)nc + 1, sizeof(uint32_t));
	pc = calloc((size_t)nc + 1, sizeof(uint32_t));
	if (!coff || !cmem || !W || !H || !pc)
		goto fail;
	for (i = 0; i < n; i++) {
		coff[comp[i] + 2]++;
		if (!opts->changed || opts->changed[i]) {
			pc[comp[i]]++;
			np++;
		}
	}
	for (i = 0; i < (size_t)nc; i++)
		coff[i + 2] += coff[i + 1];
	for (i = 0; i < n; i++)
		cmem[coff[comp[i] + 1]++] = (uint32_t)i;

	/* ---- waves: one pass over the condensation in topological order ---- */
	for (ni = 0; ni < (size_t)nc; ni++) {
		uint32_t c = consumers ? (uint32_t)((size_t)nc - 1 - ni) : (uint32_t)ni, below = 0;
		for (k = coff[c]; k < coff[c + 1]; k++) {
			dc_id v = cmem[k];
			size_t deg, j, first;
			if (!consumers) {
				const dc_id *to;
				deg = dc_graph_out(g, v, &to, &first);
				for (j = 0; j < deg; j++)
					if (p->keep[first + j] && comp[to[j]] != c && H[comp[to[j]]] > below)
						below = H[comp[to[j]]];
			} else {
				const dc_id *from;
				const uint32_t *ed;
				deg = dc_graph_in(g, v, &from, &ed);
				for (j = 0; j < deg; j++)
					if (p->keep[ed[j]] && comp[from[j]] != c && H[comp[from[j]]] > below)
						below = H[comp[from[j]]];
			}
		}
		if (pc[c]) {
			W[c] = below + 1;
			H[c] = W[c];
			if (W[c] > p->depth)
				p->depth = W[c];
		} else {
			H[c] = below;
		}
	}

	/* ---- canary order inside each wave ---- */
	p->nplanned = np;
	it = malloc((np ? np : 1) * sizeof(item));
	p->ids = malloc((np ? np : 1) * sizeof(dc_id));
	if (!it || !p->ids)
		goto fail;
	for (i = 0, k = 0; i < n; i++) {
		if (opts->changed && !opts->changed[i])
			continue;
		it[k].level = W[comp[i]];
		it[k].comp = comp[i];
		it[k].down = opts->blast ? dc_blast_down(opts->blast, (dc_id)i) : 0;
		it[k].deg = opts->blast ? dc_blast_degraded(opts->blast, (dc_id)i) : 0;
		it[k].name = dc_service_name(cat, (dc_id)i);
		it[k].id = (dc_id)i;
		k++;
	}
	/* component keys: riskiest member, smallest name. H is reused as the
	 * index of the item holding the component's key. */
	for (i = 0; i < (size_t)nc; i++)
		H[i] = UINT32_MAX;
	for (k = 0; k < np; k++) {
		uint32_t c = it[k].comp, h = H[c];
		if (h == UINT32_MAX) {
			H[c] = (uint32_t)k;
			it[k].cdown = it[k].down;
			it[k].cdeg = it[k].deg;
			it[k].cname = it[k].name;
			continue;
		}
		if (it[k].down > it[h].cdown || (it[k].down == it[h].cdown && it[k].deg > it[h].cdeg)) {
			it[h].cdown = it[k].down;
			it[h].cdeg = it[k].deg;
		}
		if (strcmp(it[k].name, it[h].cname) < 0)
			it[h].cname = it[k].name;
	}
	for (k = 0; k < np; k++) {
		uint32_t h = H[it[k].comp];
		it[k].cdown = it[h].cdown;
		it[k].cdeg = it[h].cdeg;
		it[k].cname = it[h].cname;
	}
	/* sorted through 32-byte keys, then the items put in that order */
	{
		skey *key = malloc((np ? np : 1) * sizeof(skey)), *tmp = malloc((np / 2 + 1) * sizeof(skey));
		item *sorted = malloc((np ? np : 1) * sizeof(item));
		if (!key || !tmp || !sorted) {
			free(key);
			free(tmp);
			free(sorted);
			goto fail;
		}
		for (k = 0; k < np; k++) {
			key[k].k0 = (uint64_t)it[k].level << 32 | (uint32_t)it[k].cdown;
			key[k].k1 = (uint64_t)(uint32_t)it[k].cdeg << 32 | (uint32_t)k;
			name_key(it[k].cname, &key[k].p0, &key[k].p1);
		}
		skey_sort(key, tmp, np, it);
		for (k = 0; k < np; k++)
			sorted[k] = it[(uint32_t)key[k].k1];
		free(key);
		free(tmp);
		free(it);
		it = sorted;
	}

	/* ---- split into waves of at most max_parallel, never inside a group ---- */
	p->woff = malloc((np + 2) * sizeof(uint32_t));
	if (!p->woff)
		goto fail;
	p->woff[0] = 0;
	for (k = 0; k < np;) {
		size_t unit_end = k + 1, cur = 0;
		uint32_t level = it[k].level;
		/* one wave level: [k, lend) */
		size_t lend = k;
		while (lend < np && it[lend].level == level)
			lend++;
		for (; k < lend; k = unit_end) {
			size_t usize;
			unit_end = k + 1;
			while (unit_end < lend && it[unit_end].comp == it[k].comp)
				unit_end++;
			usize = unit_end - k;
			if (cur && opts->max_parallel && cur + usize > opts->max_parallel) {
				p->woff[++p->nwaves] = (uint32_t)k;
				cur = 0;
			}
			cur += usize;
		}
		p->woff[++p->nwaves] = (uint32_t)lend;
	}
	for (i = 0; i < p->nwaves; i++)
		for (k = p->woff[i]; k < p->woff[i + 1]; k++) {
			p->ids[k] = it[k].id;
			p->wave_of[it[k].id] = (uint32_t)(i + 1);
		}

	/* ---- lockstep groups: components with two or more planned members,
	 * numbered in canary order ---- */
	gid = malloc(((size_t)nc + 1) * sizeof(uint32_t));
	if (!gid)
		goto fail;
	for (i = 0; i < (size_t)nc; i++)
		gid[i] = UINT32_MAX;
	for (k = 0; k < np; k++)
		if (pc[it[k].comp] >= 2 && gid[it[k].comp] == UINT32_MAX)
			gid[it[k].comp] = (uint32_t)p->ngroups++;
	p->goff = calloc(p->ngroups + 2, sizeof(uint32_t));
	p->geoff = calloc(p->ngroups + 2, sizeof(uint32_t));
	p->gmem = malloc((np ? np : 1) * sizeof(dc_id));
	if (!p->goff || !p->geoff || !p->gmem)
		goto fail;
	for (k = 0; k < np; k++)
		if (gid[it[k].comp] != UINT32_MAX)
			p->goff[gid[it[k].comp] + 2]++;
	for (i = 0; i < m; i++) {
		dc_id f = dc_dep_from(cat, i);
		if (p->keep[i] && comp[f] == comp[dc_dep_to(cat, i)] && gid[comp[f]] != UINT32_MAX)
			p->geoff[gid[comp[f]] + 2]++;
	}
	for (i = 0; i < p->ngroups; i++) {
		p->goff[i + 2] += p->goff[i + 1];
		p->geoff[i + 2] += p->geoff[i + 1];
	}
	p->gedges = malloc((p->geoff[p->ngroups + 1] ? p->geoff[p->ngroups + 1] : 1) * sizeof(uint32_t));
	if (!p->gedges)
		goto fail;
	for (k = 0; k < np; k++)
		if (gid[it[k].comp] != UINT32_MAX)
			p->gmem[p->goff[gid[it[k].comp] + 1]++] = it[k].id;
	for (i = 0; i < m; i++) {
		dc_id f = dc_dep_from(cat, i);
		if (p->keep[i] && comp[f] == comp[dc_dep_to(cat, i)] && gid[comp[f]] != UINT32_MAX)
			p->gedges[p->geoff[gid[comp[f]] + 1]++] = (uint32_t)i;
	}
	rc = 0;
	*out = p;
	p = NULL;
fail:
	dc_plan_free(p);
	free(comp);
	free(coff);
	free(cmem);
	free(W);
	free(H);
	free(pc);
	free(gid);
	free(it);
	return rc;
}

size_t dc_plan_service_count(const dc_plan *p) { return p->nplanned; }
size_t dc_plan_wave_count(const dc_plan *p) { return p->nwaves; }
size_t dc_plan_depth(const dc_plan *p) { return p->depth; }

size_t dc_plan_wave(const dc_plan *p, size_t i, const dc_id **ids)
{
	if (i >= p->nwaves) {
		*ids = NULL;
		return 0;
	}
	*ids = p->ids + p->woff[i];
	return p->woff[i + 1] - p->woff[i];
}

size_t dc_plan_rollback_wave(const dc_plan *p, size_t i, const dc_id **ids)
{
	if (i >= p->nwaves) {
		*ids = NULL;
		return 0;
	}
	return dc_plan_wave(p, p->nwaves - 1 - i, ids);
}

size_t dc_plan_wave_of(const dc_plan *p, dc_id s)
{
	return s < p->n ? p->wave_of[s] : 0;
}

size_t dc_plan_lockstep_count(const dc_plan *p) { return p->ngroups; }
int dc_plan_gate(const dc_plan *p) { return p->cold_start && p->ngroups; }

size_t dc_plan_lockstep_members(const dc_plan *p, size_t i, const dc_id **ids)
{
	if (i >= p->ngroups) {
		*ids = NULL;
		return 0;
	}
	*ids = p->gmem + p->goff[i];
	return p->goff[i + 1] - p->goff[i];
}

size_t dc_plan_lockstep_edges(const dc_plan *p, size_t i, const uint32_t **deps)
{
	if (i >= p->ngroups) {
		*deps = NULL;
		return 0;
	}
	*deps = p->gedges + p->geoff[i];
	return p->geoff[i + 1] - p->geoff[i];
}

int dc_plan_dep_constrains(const dc_plan *p, size_t d)
{
	return d < p->m && p->keep[d];
}
