/*
 * diff.c - compare two catalogs: services, dependencies, attributes, blast
 * radii, cycles and SPOFs (the model is in include/depcheck/diff.h).
 *
 * Everything is linear in the size of both catalogs (plus the two blast
 * sweeps and the sorts of what is reported):
 * - services are matched through the catalogs' reference index (one hash
 *   lookup each), then what is left by display name, giving base->head and
 *   head->base id maps;
 * - dependencies of a matched pair of services are matched through a
 *   scratch array indexed by head service id (the head service's targets
 *   are marked, the base service's mapped targets looked up, the marks
 *   cleared), so a hub with 10,000 dependencies costs 10,000 steps, not
 *   10,000^2;
 * - any_of groups are compared in the same pass: a base group matches a
 *   head group when every member maps into that one head group and both
 *   have the same size (targets are unique per service, so the sets are
 *   then equal);
 * - a cycle (strongly connected component of two or more services) of one
 *   side exists on the other when all its members map into one component
 *   of the same size there: one pass per component, no set hashing.
 */
#include <depcheck/diff.h>
#include <depcheck/blast.h>

#include "catalog_int.h"

typedef DC_VEC(dc_diff_change) change_vec;
typedef DC_VEC(dc_diff_blast) blast_vec;

typedef struct {
	size_t n;          /* cycles */
	size_t *off;       /* n + 1 offsets into mem */
	dc_id *mem;
} cycle_set;

struct dc_diff {
	const dc_graph *g[2];          /* 0 = base, 1 = head */
	const dc_catalog *cat[2];
	dc_id *map[2];                 /* map[0][base id] = head id; map[1][head id] = base id */
	u32_vec added, removed;        /* services */
	u32_vec deps_added, deps_removed;
	change_vec attrs, deps_changed;
	dc_blast *blast[2];
	blast_vec grew, shrank;
	cycle_set cycles[2][2];        /* [hard][added] */
	u32_vec spofs[2];              /* [added] */
	int risk;
};

/* ---- helpers --------------------------------------------------------------- */

static dc_id find_ref(const dc_catalog *cat, const char *ref)
{
	uint32_t id = dc_strtab_lookup(&cat->strs, ref, strlen(ref));
	if (!id || id >= cat->by_ref.len || !cat->by_ref.items[id])
		return DC_NO_ID;
	return cat->by_ref.items[id] - 1;
}

static dc_id find_name(const dc_catalog *cat, const char *name)
{
	uint32_t id = dc_strtab_lookup(&cat->strs, name, strlen(name));
	if (!id || id >= cat->by_name.len || !cat->by_name.items[id])
		return DC_NO_ID;
	return cat->by_name.items[id] - 1;
}

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* sort keys: a name (or two) and a payload */
typedef struct {
	const char *k1, *k2;
	uint32_t v;
	size_t i;
} skey;

static int cmp_skey(const void *pa, const void *pb)
{
	const skey *a = pa, *b = pb;
	int c = strcmp(a->k1, b->k1);
	if (c)
		return c;
	if (a->k2 && b->k2 && (c = strcmp(a->k2, b->k2)))
		return c;
	return a->v < b->v ? -1 : a->v > b->v;
}

/* Sort ids (services, or dependencies when `deps`) by name(s) in cat. */
static int sort_by_name(uint32_t *ids, size_t n, const dc_catalog *cat, int deps)
{
	skey *k;
	size_t i;
	if (n < 2)
		return 0;
	k = malloc(n * sizeof(*k));
	if (!k)
		return DC_ENOMEM;
	for (i = 0; i < n; i++) {
		k[i].v = ids[i];
		if (deps) {
			k[i].k1 = dc_service_name(cat, dc_dep_from(cat, ids[i]));
			k[i].k2 = dc_service_name(cat, dc_dep_to(cat, ids[i]));
		} else {
			k[i].k1 = dc_service_name(cat, ids[i]);
			k[i].k2 = NULL;
		}
	}
	qsort(k, n, sizeof(*k), cmp_skey);
	for (i = 0; i < n; i++)
		ids[i] = k[i].v;
	free(k);
	return 0;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, de-duplicated copy of a zone or tag list; returns the count or
 * (size_t)-1 on ENOMEM. */
static size_t sorted_set(const dc_catalog *cat, dc_id s, int tags, const char ***out)
{
	size_t n = tags ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s), i, m = 0;
	const char **v = malloc((n ? n : 1) * sizeof(*v));
	*out = v;
	if (!v)
		return (size_t)-1;
	for (i = 0; i < n; i++)
		v[i] = tags ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i);
	qsort(v, n, sizeof(*v), cmp_str_ptr);
	for (i = 0; i < n; i++)
		if (!m || strcmp(v[m - 1], v[i]))
			v[m++] = v[i];
	return m;
}

/* 1 when the zone (or tag) sets differ, 0 when equal, -1 on ENOMEM */
static int set_differs(const dc_catalog *a, dc_id s, const dc_catalog *b, dc_id t, int tags)
{
	const char **va, **vb;
	size_t na, nb, i;
	int r = 0;
	if ((tags ? dc_service_tag_count(a, s) : dc_service_zone_count(a, s)) == 0 &&
	    (tags ? dc_service_tag_count(b, t) : dc_service_zone_count(b, t)) == 0)
		return 0;
	na = sorted_set(a, s, tags, &va);
	nb = sorted_set(b, t, tags, &vb);
	if (na == (size_t)-1 || nb == (size_t)-1) {
		r = -1;
	} else if (na != nb) {
		r = 1;
	} else {
		for (i = 0; i < na && !r; i++)
			r = strcmp(va[i], vb[i]) != 0;
	}
	free(va);
	free(vb);
	return r;
}

/* Attribute bits that differ between base service s and head service t
 * (or -1 on ENOMEM). */
static long service_fields(const dc_catalog *a, dc_id s, const dc_catalog *b, dc_id t)
{
	unsigned f = 0;
	int z, g;
	if (!str_eq(dc_service_owner(a, s), dc_service_owner(b, t))) f |= DC_DIFF_OWNER;
	if (!str_eq(dc_service_system(a, s), dc_service_system(b, t))) f |= DC_DIFF_SYSTEM;
	if (!str_eq(dc_service_description(a, s), dc_service_description(b, t))) f |= DC_DIFF_DESCRIPTION;
	if (dc_service_tier(a, s) != dc_service_tier(b, t)) f |= DC_DIFF_TIER;
	if (dc_service_is_entrypoint(a, s) != dc_service_is_entrypoint(b, t)) f |= DC_DIFF_ENTRYPOINT;
	if (dc_service_is_external(a, s) != dc_service_is_external(b, t)) f |= DC_DIFF_EXTERNAL;
	if (dc_service_replicas(a, s) != dc_service_replicas(b, t)) f |= DC_DIFF_REPLICAS;
	if (dc_service_availability(a, s) != dc_service_availability(b, t)) f |= DC_DIFF_AVAILABILITY;
	if (dc_service_slo(a, s) != dc_service_slo(b, t)) f |= DC_DIFF_SLO;
	if (dc_service_latency_ms(a, s) != dc_service_latency_ms(b, t)) f |= DC_DIFF_LATENCY;
	if (!str_eq(dc_service_url(a, s), dc_service_url(b, t))) f |= DC_DIFF_URL;
	z = set_differs(a, s, b, t, 0);
	g = set_differs(a, s, b, t, 1);
	if (z < 0 || g < 0)
		return -1;
	if (z) f |= DC_DIFF_ZONES;
	if (g) f |= DC_DIFF_TAGS;
	return (long)f;
}

const char *dc_diff_dep_kind_label(const dc_catalog *cat, size_t dep)
{
	int soft = dc_dep_kind_of(cat, dep) == DC_DEP_SOFT;
	if (dep >= dc_catalog_dep_count(cat))
		return NULL;
	if (dc_dep_group(cat, dep))
		return soft ? "any_of soft" : "any_of";
	return soft ? "soft" : "hard";
}

const char *dc_diff_field_name(unsigned int bit, dc_diff_field_kind kind)
{
	static const char *const svc[] = { "owner", "system", "description", "tier", "entrypoint",
					   "external", "replicas", "zones", "tags", "availability",
					   "slo", "latency_ms", "url" };
	static const char *const dp[] = { "kind", "any_of", "timeout_ms", "retries", "stage" };
	int dep = kind == DC_DIFF_DEP_FIELD;
	unsigned i;
	for (i = 0; i < (dep ? sizeof(dp) / sizeof(dp[0]) : sizeof(svc) / sizeof(svc[0])); i++)
		if (bit == 1u << i)
			return dep ? dp[i] : svc[i];
	return NULL;
}

/* ---- dependencies ------------------------------------------------------------ */

typedef struct {
	uint32_t *headpos;     /* head service id -> head dep index + 1 (scratch, all 0 between uses) */
	uint8_t *matched;      /* head dep matched by a base dep */
	uint32_t *pair;        /* base group -> head group its first member maps to (0 = none) */
	uint8_t *mismatch;     /* base group: members map to several head groups or none */
	uint32_t *gcount[2];   /* members per group, per side */
} dep_scratch;

static int group_counts(const dc_catalog *cat, uint32_t **out)
{
	size_t n = cat->next_group + 1, i;
	uint32_t *c = calloc(n, sizeof(*c));
	*out = c;
	if (!c)
		return DC_ENOMEM;
	for (i = 0; i < cat->deps.len; i++)
		if (cat->deps.items[i].group && cat->deps.items[i].group < n)
			c[cat->deps.items[i].group]++;
	return 0;
}

static int diff_deps_of(dc_diff *d, dep_scratch *x, dc_id s, dc_id t)
{
	const dc_catalog *a = d->cat[0], *b = d->cat[1];
	size_t fa = dc_service_dep_first(a, s), na = dc_service_dep_count(a, s);
	size_t fb = dc_service_dep_first(b, t), nb = dc_service_dep_count(b, t), i;
	int rc = 0;
	for (i = 0; i < nb; i++)
		x->headpos[dc_dep_to(b, fb + i)] = (uint32_t)(fb + i) + 1;
	/* any_of groups: where does each base group land in head? */
	for (i = 0; i < na; i++) {
		unsigned gb = dc_dep_group(a, fa + i);
		dc_id th = d->map[0][dc_dep_to(a, fa + i)];
		uint32_t hd = th == DC_NO_ID ? 0 : x->headpos[th];
		unsigned gh = hd ? dc_dep_group(b, hd - 1) : 0;
		if (!gb)
			continue;
		if (!x->pair[gb] && !x->mismatch[gb])
			x->pair[gb] = gh;
		if (!gh || x->pair[gb] != gh)
			x->mismatch[gb] = 1;
	}
	for (i = 0; i < na && !rc; i++) {
		size_t e = fa + i;
		dc_id th = d->map[0][dc_dep_to(a, e)];
		uint32_t hd = th == DC_NO_ID ? 0 : x->headpos[th];
		size_t h;
		unsigned f = 0, gb, gh;
		if (!hd) {
			rc = dc_vec_push(&d->deps_removed, (uint32_t)e) ? DC_ENOMEM : 0;
			continue;
		}
		h = hd - 1;
		x->matched[h] = 1;
		gb = dc_dep_group(a, e);
		gh = dc_dep_group(b, h);
		if (dc_dep_kind_of(a, e) != dc_dep_kind_of(b, h) || !gb != !gh)
			f |= DC_DIFF_KIND;
		else if (gb && (x->mismatch[gb] || x->pair[gb] != gh || x->gcount[0][gb] != x->gcount[1][gh]))
			f |= DC_DIFF_ANY_OF;
		if (dc_dep_timeout_ms(a, e) != dc_dep_timeout_ms(b, h)) f |= DC_DIFF_TIMEOUT;
		if (dc_dep_retries(a, e) != dc_dep_retries(b, h)) f |= DC_DIFF_RETRIES;
		if (dc_dep_stage(a, e) != dc_dep_stage(b, h)) f |= DC_DIFF_STAGE;
		if (f) {
			dc_diff_change c;
			c.base = (uint32_t)e;
			c.head = (uint32_t)h;
			c.fields = f;
			rc = dc_vec_push(&d->deps_changed, c) ? DC_ENOMEM : 0;
		}
	}
	for (i = 0; i < nb; i++) {
		x->headpos[dc_dep_to(b, fb + i)] = 0;
		if (!rc && !x->matched[fb + i] && dc_vec_push(&d->deps_added, (uint32_t)(fb + i)))
			rc = DC_ENOMEM;
	}
	return rc;
}

static int diff_structure(dc_diff *d)
{
	const dc_catalog *a = d->cat[0], *b = d->cat[1];
	size_t nbase = dc_catalog_service_count(a), nhead = dc_catalog_service_count(b), i, k;
	dep_scratch x;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.headpos = calloc(nhead + 1, sizeof(uint32_t));
	x.matched = calloc(dc_catalog_dep_count(b) + 1, 1);
	x.pair = calloc(a->next_group + 1, sizeof(uint32_t));
	x.mismatch = calloc(a->next_group + 1, 1);
	if (!x.headpos || !x.matched || !x.pair || !x.mismatch || group_counts(a, &x.gcount[0]) ||
	    group_counts(b, &x.gcount[1])) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < nbase && !rc; i++) {
		dc_id t = d->map[0][i];
		size_t f = dc_service_dep_first(a, (dc_id)i), n = dc_service_dep_count(a, (dc_id)i);
		if (t == DC_NO_ID) {
			rc = dc_vec_push(&d->removed, (uint32_t)i) ? DC_ENOMEM : 0;
			for (k = 0; k < n && !rc; k++)
				rc = dc_vec_push(&d->deps_removed, (uint32_t)(f + k)) ? DC_ENOMEM : 0;
			continue;
		}
		{
			long fields = service_fields(a, (dc_id)i, b, t);
			if (fields < 0) {
				rc = DC_ENOMEM;
				break;
			}
			if (fields) {
				dc_diff_change c;
				c.base = (uint32_t)i;
				c.head = t;
				c.fields = (unsigned)fields;
				if (dc_vec_push(&d->attrs, c)) {
					rc = DC_ENOMEM;
					break;
				}
			}
		}
		rc = diff_deps_of(d, &x, (dc_id)i, t);
	}
	for (i = 0; i < nhead && !rc; i++) {
		size_t f = dc_service_dep_first(b, (dc_id)i), n = dc_service_dep_count(b, (dc_id)i);
		if (d->map[1][i] != DC_NO_ID)
			continue;
		rc = dc_vec_push(&d->added, (uint32_t)i) ? DC_ENOMEM : 0;
		for (k = 0; k < n && !rc; k++)
			rc = dc_vec_push(&d->deps_added, (uint32_t)(f + k)) ? DC_ENOMEM : 0;
	}
out:
	free(x.headpos);
	free(x.matched);
	free(x.pair);
	free(x.mismatch);
	free(x.gcount[0]);
	free(x.gcount[1]);
	return rc;
}

/* Sort changes by the head name(s) of what changed. */
static int sort_changes(change_vec *v, const dc_catalog *head, int deps)
{
	dc_diff_change *copy;
	size_t i, n = v->len;
	skey *k;
	if (n < 2)
		return 0;
	k = malloc(n * sizeof(*k));
	copy = malloc(n * sizeof(*copy));
	if (!k || !copy) {
		free(k);
		free(copy);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		uint32_t h = v->items[i].head;
		k[i].k1 = dc_service_name(head, deps ? dc_dep_from(head, h) : h);
		k[i].k2 = deps ? dc_service_name(head, dc_dep_to(head, h)) : NULL;
		k[i].v = h;
		k[i].i = i;
	}
	qsort(k, n, sizeof(*k), cmp_skey);
	for (i = 0; i < n; i++)
		copy[i] = v->items[k[i].i];
	memcpy(v->items, copy, n * sizeof(*copy));
	free(copy);
	free(k);
	return 0;
}

/* ---- blast radius and SPOFs ------------------------------------------------------ */

typedef struct {
	dc_diff_blast row;
	long long dd, dg;
	const char *name;
} blast_key;

static int cmp_grew(const void *pa, const void *pb)
{
	const blast_key *a = pa, *b = pb;
	if (a->dd != b->dd)
		return a->dd > b->dd ? -1 : 1;
	if (a->dg != b->dg)
		return a->dg > b->dg ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_shrank(const void *pa, const void *pb)
{
	const blast_key *a = pa, *b = pb;
	if (a->dd != b->dd)
		return a->dd < b->dd ? -1 : 1;
	if (a->dg != b->dg)
		return a->dg < b->dg ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int diff_blast(dc_diff *d)
{
	size_t nbase = dc_catalog_service_count(d->cat[0]), i, ng = 0, ns = 0;
	blast_key *grew, *shrank;
	int rc = 0, side;
	if (dc_blast_compute(&d->blast[0], d->g[0]) || dc_blast_compute(&d->blast[1], d->g[1]))
		return DC_ENOMEM;
	grew = malloc((nbase + 1) * sizeof(*grew));
	shrank = malloc((nbase + 1) * sizeof(*shrank));
	if (!grew || !shrank) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < nbase; i++) {
		dc_id t = d->map[0][i];
		blast_key k;
		if (t == DC_NO_ID)
			continue;
		k.row.base = (dc_id)i;
		k.row.head = t;
		k.row.base_down = dc_blast_down(d->blast[0], (dc_id)i);
		k.row.head_down = dc_blast_down(d->blast[1], t);
		k.row.base_degraded = dc_blast_degraded(d->blast[0], (dc_id)i);
		k.row.head_degraded = dc_blast_degraded(d->blast[1], t);
		k.dd = (long long)k.row.head_down - (long long)k.row.base_down;
		k.dg = (long long)k.row.head_degraded - (long long)k.row.base_degraded;
		k.name = dc_service_name(d->cat[1], t);
		if (k.dd > 0 || (k.dd == 0 && k.dg > 0))
			grew[ng++] = k;
		else if (k.dd < 0 || k.dg < 0)
			shrank[ns++] = k;
		if (k.dd > 0)
			d->risk = 1;
	}
	qsort(grew, ng, sizeof(*grew), cmp_grew);
	qsort(shrank, ns, sizeof(*shrank), cmp_shrank);
	for (i = 0; i < ng && !rc; i++)
		rc = dc_vec_push(&d->grew, grew[i].row) ? DC_ENOMEM : 0;
	for (i = 0; i < ns && !rc; i++)
		rc = dc_vec_push(&d->shrank, shrank[i].row) ? DC_ENOMEM : 0;
	/* SPOFs only on one side: added = head side */
	for (side = 0; side < 2 && !rc; side++) {
		size_t n = dc_catalog_service_count(d->cat[side]);
		const dc_id *eps;
		for (i = 0; i < n && !rc; i++) {
			dc_id o = d->map[side][i];
			if (!dc_blast_spof_entrypoints(d->blast[side], (dc_id)i, &eps))
				continue;
			if (o != DC_NO_ID && dc_blast_spof_entrypoints(d->blast[!side], o, &eps))
				continue;
			rc = dc_vec_push(&d->spofs[side], (uint32_t)i) ? DC_ENOMEM : 0;
		}
		if (!rc)
			rc = sort_by_name(d->spofs[side].items, d->spofs[side].len, d->cat[side], 0);
	}
	if (d->spofs[1].len)
		d->risk = 1;
out:
	free(grew);
	free(shrank);
	return rc;
}

/* ---- cycles ------------------------------------------------------------------------ */

typedef struct {
	size_t start, len;
	const char *first;
} cyc_key;

static int cmp_cyc(const void *pa, const void *pb)
{
	const cyc_key *a = pa, *b = pb;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return strcmp(a->first, b->first);
}

/* Cycles of side `side` that the other side does not have. For the hard
 * pass, `reported` (one byte per component of `mine`) records what was
 * listed; for the all-edge pass, a component equal to a listed hard one
 * (`hard_mine`, `hard_reported`) is left out: it is one cycle, shown once,
 * as hard. (A hard component lies inside one all-edge component, so equal
 * size and one shared member mean equal sets.) */
static int diff_cycles_side(dc_diff *d, int hard, int side, const dc_scc *mine, const dc_scc *other,
			    uint8_t *reported, const dc_scc *hard_mine, const uint8_t *hard_reported)
{
	cycle_set *cs = &d->cycles[hard][side];
	size_t nc = dc_scc_count(mine), c, k, total = 0, n = 0;
	u32_vec mem = { 0 };
	DC_VEC(cyc_key) keys = { 0 };
	int rc = 0;
	for (c = 0; c < nc && !rc; c++) {
		const dc_id *m, *om;
		size_t sz = dc_scc_members(mine, (uint32_t)c, &m);
		uint32_t oc = UINT32_MAX;
		int same = 1;
		cyc_key key;
		if (sz < 2)
			continue;
		for (k = 0; k < sz && same; k++) {
			dc_id o = d->map[side][m[k]];
			if (o == DC_NO_ID)
				same = 0;
			else if (k == 0)
				oc = dc_scc_of(other, o);
			else if (dc_scc_of(other, o) != oc)
				same = 0;
		}
		if (same && dc_scc_members(other, oc, &om) == sz)
			continue;
		if (hard_mine) {
			uint32_t hc = dc_scc_of(hard_mine, m[0]);
			if (hard_reported[hc] && dc_scc_members(hard_mine, hc, &om) == sz)
				continue;
		}
		if (reported)
			reported[c] = 1;
		key.start = mem.len;
		key.len = sz;
		for (k = 0; k < sz && !rc; k++)
			rc = dc_vec_push(&mem, m[k]) ? DC_ENOMEM : 0;
		if (!rc)
			rc = sort_by_name(mem.items + key.start, sz, d->cat[side], 0);
		if (!rc) {
			key.first = dc_service_name(d->cat[side], mem.items[key.start]);
			rc = dc_vec_push(&keys, key) ? DC_ENOMEM : 0;
		}
	}
	if (!rc && keys.len) {
		qsort(keys.items, keys.len, sizeof(*keys.items), cmp_cyc);
		cs->off = malloc((keys.len + 1) * sizeof(size_t));
		cs->mem = malloc((mem.len + 1) * sizeof(dc_id));
		if (!cs->off || !cs->mem) {
			rc = DC_ENOMEM;
		} else {
			for (k = 0; k < keys.len; k++) {
				cs->off[n++] = total;
				memcpy(cs->mem + total, mem.items + keys.items[k].start, keys.items[k].len * sizeof(dc_id));
				total += keys.items[k].len;
			}
			cs->off[n] = total;
			cs->n = n;
		}
	}
	dc_vec_free(&mem);
	dc_vec_free(&keys);
	return rc;
}

static int diff_cycles(dc_diff *d)
{
	dc_scc *all[2] = { NULL, NULL }, *hard[2] = { NULL, NULL };
	uint8_t *rep[2] = { NULL, NULL };
	int rc = 0, side;
	for (side = 0; side < 2 && !rc; side++) {
		if (dc_scc_compute(&all[side], d->g[side], DC_EDGES_ALL) ||
		    dc_scc_compute(&hard[side], d->g[side], DC_EDGES_HARD_ONLY) ||
		    !(rep[side] = calloc(dc_catalog_service_count(d->cat[side]) + 1, 1)))
			rc = DC_ENOMEM;
	}
	/* side 1 = head: cycles only in head are the added ones */
	for (side = 0; side < 2 && !rc; side++)
		rc = diff_cycles_side(d, 1, side, hard[side], hard[!side], rep[side], NULL, NULL);
	for (side = 0; side < 2 && !rc; side++)
		rc = diff_cycles_side(d, 0, side, all[side], all[!side], NULL, hard[side], rep[side]);
	if (d->cycles[0][1].n || d->cycles[1][1].n)
		d->risk = 1;
	for (side = 0; side < 2; side++) {
		dc_scc_free(all[side]);
		dc_scc_free(hard[side]);
		free(rep[side]);
	}
	return rc;
}

/* ---- API --------------------------------------------------------------------------- */

int dc_diff_compute(dc_diff **out, const dc_graph *base, const dc_graph *head, const dc_diff_options *opts)
{
	dc_diff *d;
	size_t i, n[2];
	int side, rc;
	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_DIFF_OPTIONS_VERSION))
		return DC_EINVALID;
	if (!base || !head)
		return DC_EINVALID;
	d = calloc(1, sizeof(*d));
	if (!d)
		return DC_ENOMEM;
	d->g[0] = base;
	d->g[1] = head;
	for (side = 0; side < 2; side++) {
		d->cat[side] = dc_graph_catalog(d->g[side]);
		n[side] = dc_catalog_service_count(d->cat[side]);
		d->map[side] = malloc((n[side] + 1) * sizeof(dc_id));
		if (!d->map[side]) {
			dc_diff_free(d);
			return DC_ENOMEM;
		}
	}
	for (i = 0; i < n[1]; i++)
		d->map[1][i] = DC_NO_ID;
	for (i = 0; i < n[0]; i++) {
		dc_id t = find_ref(d->cat[1], dc_service_ref(d->cat[0], (dc_id)i));
		d->map[0][i] = t;
		if (t != DC_NO_ID)
			d->map[1][t] = (dc_id)i;
	}
	/* the rest by display name, when both are still unmatched: a service
	 * whose reference changed form (a native catalog moved to Backstage,
	 * `x` -> `component:default/x`) is still the same service */
	for (i = 0; i < n[0]; i++) {
		dc_id t;
		if (d->map[0][i] != DC_NO_ID)
			continue;
		t = find_name(d->cat[1], dc_service_name(d->cat[0], (dc_id)i));
		if (t != DC_NO_ID && d->map[1][t] == DC_NO_ID) {
			d->map[0][i] = t;
			d->map[1][t] = (dc_id)i;
		}
	}
	rc = diff_structure(d);
	if (!rc)
		rc = sort_by_name(d->added.items, d->added.len, d->cat[1], 0);
	if (!rc)
		rc = sort_by_name(d->removed.items, d->removed.len, d->cat[0], 0);
	if (!rc)
		rc = sort_by_name(d->deps_added.items, d->deps_added.len, d->cat[1], 1);
	if (!rc)
		rc = sort_by_name(d->deps_removed.items, d->deps_removed.len, d->cat[0], 1);
	if (!rc)
		rc = sort_changes(&d->attrs, d->cat[1], 0);
	if (!rc)
		rc = sort_changes(&d->deps_changed, d->cat[1], 1);
	if (!rc)
		rc = diff_cycles(d);
	if (!rc && !(opts && (opts->flags & DC_DIFF_NO_BLAST)))
		rc = diff_blast(d);
	if (rc) {
		dc_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void dc_diff_free(dc_diff *d)
{
	int i, j;
	if (!d)
		return;
	for (i = 0; i < 2; i++) {
		free(d->map[i]);
		dc_blast_free(d->blast[i]);
		dc_vec_free(&d->spofs[i]);
		for (j = 0; j < 2; j++) {
			free(d->cycles[i][j].off);
			free(d->cycles[i][j].mem);
		}
	}
	dc_vec_free(&d->added);
	dc_vec_free(&d->removed);
	dc_vec_free(&d->deps_added);
	dc_vec_free(&d->deps_removed);
	dc_vec_free(&d->attrs);
	dc_vec_free(&d->deps_changed);
	dc_vec_free(&d->grew);
	dc_vec_free(&d->shrank);
	free(d);
}

const dc_graph *dc_diff_base(const dc_diff *d) { return d->g[0]; }
const dc_graph *dc_diff_head(const dc_diff *d) { return d->g[1]; }

dc_id dc_diff_head_of(const dc_diff *d, dc_id s)
{
	return s < dc_catalog_service_count(d->cat[0]) ? d->map[0][s] : DC_NO_ID;
}

dc_id dc_diff_base_of(const dc_diff *d, dc_id s)
{
	return s < dc_catalog_service_count(d->cat[1]) ? d->map[1][s] : DC_NO_ID;
}

#define RET_VEC(v, out) do { *(out) = (v).items; return (v).len; } while (0)

size_t dc_diff_services_added(const dc_diff *d, const dc_id **ids) { RET_VEC(d->added, ids); }
size_t dc_diff_services_removed(const dc_diff *d, const dc_id **ids) { RET_VEC(d->removed, ids); }
size_t dc_diff_attributes(const dc_diff *d, const dc_diff_change **c) { RET_VEC(d->attrs, c); }
size_t dc_diff_deps_added(const dc_diff *d, const uint32_t **deps) { RET_VEC(d->deps_added, deps); }
size_t dc_diff_deps_removed(const dc_diff *d, const uint32_t **deps) { RET_VEC(d->deps_removed, deps); }
size_t dc_diff_deps_changed(const dc_diff *d, const dc_diff_change **c) { RET_VEC(d->deps_changed, c); }

size_t dc_diff_blast_changes(const dc_diff *d, dc_diff_trend trend, const dc_diff_blast **rows)
{
	if (trend == DC_DIFF_GREW)
		RET_VEC(d->grew, rows);
	RET_VEC(d->shrank, rows);
}

size_t dc_diff_blast_down(const dc_diff *d, dc_diff_side side, dc_id s)
{
	const dc_blast *b = d->blast[side == DC_DIFF_HEAD];
	return b ? dc_blast_down(b, s) : 0;
}

size_t dc_diff_cycle_count(const dc_diff *d, dc_edge_set edges, dc_diff_direction dir)
{
	return d->cycles[edges == DC_EDGES_HARD_ONLY][dir == DC_DIFF_ADDED].n;
}

size_t dc_diff_cycle_members(const dc_diff *d, dc_edge_set edges, dc_diff_direction dir, size_t i,
			     const dc_id **members)
{
	const cycle_set *cs = &d->cycles[edges == DC_EDGES_HARD_ONLY][dir == DC_DIFF_ADDED];
	if (i >= cs->n) {
		*members = NULL;
		return 0;
	}
	*members = cs->mem + cs->off[i];
	return cs->off[i + 1] - cs->off[i];
}

size_t dc_diff_spofs(const dc_diff *d, dc_diff_direction dir, const dc_id **ids)
{
	RET_VEC(d->spofs[dir == DC_DIFF_ADDED], ids);
}

size_t dc_diff_spof_entrypoints(const dc_diff *d, dc_diff_side side, dc_id s, const dc_id **eps)
{
	const dc_blast *b = d->blast[side == DC_DIFF_HEAD];
	if (!b) {
		*eps = NULL;
		return 0;
	}
	return dc_blast_spof_entrypoints(b, s, eps);
}

size_t dc_diff_spof_total(const dc_diff *d, dc_diff_side side, dc_id s)
{
	const dc_blast *b = d->blast[side == DC_DIFF_HEAD];
	return b ? dc_blast_spof_total(b, s) : 0;
}

int dc_diff_risk_increased(const dc_diff *d) { return d->risk; }

int dc_diff_is_empty(const dc_diff *d)
{
	int h, a;
	for (h = 0; h < 2; h++)
		for (a = 0; a < 2; a++)
			if (d->cycles[h][a].n)
				return 0;
	return !d->added.len && !d->removed.len && !d->deps_added.len && !d->deps_removed.len &&
	       !d->attrs.len && !d->deps_changed.len && !d->grew.len && !d->shrank.len &&
	       !d->spofs[0].len && !d->spofs[1].len;
}

/* ---- policy and gate ------------------------------------------------------------------ */

/* A base service in subject keys: its head counterpart's reference, so a
 * catalog moved between formats (names matched above) keeps its
 * violations' identity. */
static const char *base_key_name(dc_id s, void *payload)
{
	const dc_diff *d = payload;
	dc_id h = dc_diff_head_of(d, s);
	return h != DC_NO_ID ? dc_service_ref(d->cat[1], h) : dc_service_ref(d->cat[0], s);
}

int dc_diff_check(const dc_diff *d, const dc_policy *p, dc_violations *added, dc_violations *fixed)
{
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_violations *vb = NULL, *vh = NULL;
	int rc;
	if (!d || !p || !added || !fixed)
		return DC_EINVALID;
	co.key_name = base_key_name;
	co.key_ctx = (void *)d;
	rc = dc_violations_new(&vb);
	if (!rc)
		rc = dc_violations_new(&vh);
	if (!rc)
		rc = dc_check(vb, d->g[0], NULL, p, &co);
	if (!rc)
		rc = dc_check(vh, d->g[1], NULL, p, NULL);
	if (!rc)
		rc = dc_violations_compare(vb, vh, added, fixed);
	dc_violations_free(vb);
	dc_violations_free(vh);
	return rc;
}

int dc_diff_gate(const dc_diff *d, const dc_violations *added)
{
	/* added is NULL when no policy ran (a map, -f dot/svg, used to skip it):
	 * the structural risk alone decides, it must not be read */
	return dc_diff_risk_increased(d) || (added && dc_violations_count_level(added, DC_LEVEL_ERROR) > 0);
}

/* ---- changed since a base (plan --changed-from) ------------------------------------------ */

/* Deployment-relevant differences, compared in declaration order (a
 * reordered list is a changed descriptor, which a deploy plan may as well
 * ship): stricter than dc_diff_compute's set comparison, and without url
 * (a link does not deploy). */

/* any_of membership in a canonical form: 0, or 1 + the position of the
 * first dependency of the same service in the same group */
static size_t plan_group_key(const dc_catalog *cat, dc_id s, size_t j)
{
	size_t first = dc_service_dep_first(cat, s), i;
	unsigned gid = dc_dep_group(cat, first + j);
	if (!gid)
		return 0;
	for (i = 0; i < j; i++)
		if (dc_dep_group(cat, first + i) == gid)
			break;
	return i + 1;
}

static int plan_service_differs(const dc_catalog *a, dc_id s, const dc_catalog *b, dc_id t)
{
	size_t i, n, fa, fb;
	if (!str_eq(dc_service_owner(a, s), dc_service_owner(b, t)) ||
	    !str_eq(dc_service_system(a, s), dc_service_system(b, t)) ||
	    !str_eq(dc_service_description(a, s), dc_service_description(b, t)) ||
	    dc_service_tier(a, s) != dc_service_tier(b, t) ||
	    dc_service_entrypoint_explicit(a, s) != dc_service_entrypoint_explicit(b, t) ||
	    (dc_service_entrypoint_explicit(a, s) && dc_service_is_entrypoint(a, s) != dc_service_is_entrypoint(b, t)) ||
	    dc_service_is_external(a, s) != dc_service_is_external(b, t) ||
	    dc_service_replicas(a, s) != dc_service_replicas(b, t) ||
	    dc_service_availability(a, s) != dc_service_availability(b, t) ||
	    dc_service_slo(a, s) != dc_service_slo(b, t) ||
	    dc_service_latency_ms(a, s) != dc_service_latency_ms(b, t) ||
	    dc_service_zone_count(a, s) != dc_service_zone_count(b, t) ||
	    dc_service_tag_count(a, s) != dc_service_tag_count(b, t) ||
	    dc_service_dep_count(a, s) != dc_service_dep_count(b, t))
		return 1;
	for (i = 0; i < dc_service_zone_count(a, s); i++)
		if (!str_eq(dc_service_zone(a, s, i), dc_service_zone(b, t, i)))
			return 1;
	for (i = 0; i < dc_service_tag_count(a, s); i++)
		if (!str_eq(dc_service_tag(a, s, i), dc_service_tag(b, t, i)))
			return 1;
	n = dc_service_dep_count(a, s);
	fa = dc_service_dep_first(a, s);
	fb = dc_service_dep_first(b, t);
	for (i = 0; i < n; i++) {
		if (!str_eq(dc_service_ref(a, dc_dep_to(a, fa + i)), dc_service_ref(b, dc_dep_to(b, fb + i))) ||
		    dc_dep_kind_of(a, fa + i) != dc_dep_kind_of(b, fb + i) ||
		    dc_dep_timeout_ms(a, fa + i) != dc_dep_timeout_ms(b, fb + i) ||
		    dc_dep_retries(a, fa + i) != dc_dep_retries(b, fb + i) ||
		    dc_dep_stage(a, fa + i) != dc_dep_stage(b, fb + i) ||
		    plan_group_key(a, s, i) != plan_group_key(b, t, i))
			return 1;
	}
	return 0;
}

int dc_diff_changed_since(const dc_catalog *cat, const dc_catalog *base, uint8_t *changed)
{
	size_t n, i;
	if (!cat || !base || !changed)
		return DC_EINVALID;
	n = dc_catalog_service_count(cat);
	for (i = 0; i < n; i++) {
		const char *ref = dc_service_ref(cat, (dc_id)i);
		dc_id t;
		if (dc_catalog_find(base, ref, &t) || strcmp(dc_service_ref(base, t), ref))
			changed[i] = 1; /* added */
		else
			changed[i] = (uint8_t)plan_service_differs(cat, (dc_id)i, base, t);
	}
	return 0;
}
