/*
 * catalog_observed.c - calls observed in production as edges of the
 * catalog (dc_catalog_add_observed; docs/inputs.md "Observed edges in the
 * analyses", docs/decisions.md).
 *
 * dc_catalog_add_observed() copies the observed edges (names interned in
 * the catalog, files registered for locations); dc_catalog_finalize() calls
 * cat_apply_observed() once every source is merged and the dependencies
 * are grouped: each observed name is resolved as dc_catalog_find would,
 * each edge either refines the caller's declared dependency on the callee
 * (its traffic record) or becomes a new dependency of origin "observed",
 * appended to the caller's range. Linear: the edges are bucketed by caller
 * (counting sort) and matched against the caller's dependencies with a
 * stamp array, as reconciliation does.
 */
#include "catalog_build.h"
#include "observed_int.h"

#include <stdlib.h>
#include <string.h>

int dc_observed_edges_parse(dc_observed_edges *out, const char *name)
{
	if (!out || !name)
		return DC_EINVALID;
	if (!strcmp(name, "soft"))
		*out = DC_OBSERVED_EDGES_SOFT;
	else if (!strcmp(name, "hard"))
		*out = DC_OBSERVED_EDGES_HARD;
	else if (!strcmp(name, "ignore"))
		*out = DC_OBSERVED_EDGES_IGNORE;
	else
		return DC_EINVALID;
	return 0;
}

void cat_free_observed(dc_catalog *cat)
{
	dc_vec_free(&cat->obs_pending);
	dc_vec_free(&cat->dep_obs);
}

int dc_catalog_add_observed(dc_catalog *cat, const dc_observed *obs, const dc_catalog_observed_options *opts)
{
	uint32_t *file_ids;
	size_t i;
	if (!cat || !obs || cat->finalized)
		return DC_EINVALID;
	if (opts && (!DC_OPTIONS_VERSION_OK(opts->version, DC_CATALOG_OBSERVED_OPTIONS_VERSION) ||
		     (unsigned)opts->edges > DC_OBSERVED_EDGES_IGNORE))
		return DC_EINVALID;
	cat->obs_mode = (uint8_t)(opts ? opts->edges : DC_OBSERVED_EDGES_SOFT);
	cat->obs_min_calls = opts && opts->min_calls ? opts->min_calls : 1;
	/* the observed files, for the edges' locations */
	file_ids = calloc(obs->files.len + 1, sizeof(*file_ids));
	if (!file_ids)
		return DC_ENOMEM;
	for (i = 0; i < obs->files.len; i++) {
		size_t k;
		for (k = 0; k < cat->files.len; k++)
			if (!strcmp(cat->files.items[k], obs->files.items[i]))
				break;
		file_ids[i] = k < cat->files.len ? (uint32_t)k + 1 : cat_add_file(cat, obs->files.items[i]);
		if (!file_ids[i]) {
			free(file_ids);
			return DC_ENOMEM;
		}
	}
	if (dc_vec_reserve(&cat->obs_pending, obs->edges.len)) {
		free(file_ids);
		cat->oom = 1;
		return DC_ENOMEM;
	}
	for (i = 0; i < obs->edges.len; i++) {
		const obs_edge *e = &obs->edges.items[i];
		obs_pend_t p;
		memset(&p, 0, sizeof(p));
		p.caller = cat_intern(cat, dc_strtab_str(&obs->names, e->caller));
		p.callee = cat_intern(cat, dc_strtab_str(&obs->names, e->callee));
		if (!p.caller || !p.callee) {
			free(file_ids);
			return DC_ENOMEM;
		}
		p.calls = e->calls;
		p.errors = e->errors;
		p.has_errors = e->has_errors;
		p.rate = e->rate;
		p.p50 = e->p50;
		p.p99 = e->p99;
		p.loc.file = e->file && e->file <= obs->files.len ? file_ids[e->file - 1] : 0;
		p.loc.line = e->line;
		p.loc.col = e->col;
		cat->obs_pending.items[cat->obs_pending.len++] = p;
	}
	free(file_ids);
	return 0;
}

/* o takes in what p observed: counts and rates add, latencies keep the larger */
static void obs_merge(dep_obs_t *o, const obs_pend_t *p)
{
	o->calls = o->calls + p->calls < o->calls ? UINT64_MAX : o->calls + p->calls;
	if (p->has_errors) {
		o->errors = o->errors + p->errors < o->errors ? UINT64_MAX : o->errors + p->errors;
		o->has_errors = 1;
	}
	if (p->rate >= 0)
		o->rate = o->rate >= 0 ? o->rate + p->rate : p->rate;
	if (p->p50 > o->p50)
		o->p50 = p->p50;
	if (p->p99 > o->p99)
		o->p99 = p->p99;
}

static int new_obs(dc_catalog *cat, const obs_pend_t *p, int only, uint32_t *idx)
{
	dep_obs_t o;
	memset(&o, 0, sizeof(o));
	o.rate = o.p50 = o.p99 = -1;
	o.loc = p->loc;
	o.only = (uint8_t)only;
	obs_merge(&o, p);
	if (dc_vec_push(&cat->dep_obs, o)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	*idx = (uint32_t)cat->dep_obs.len;
	return 0;
}

int cat_apply_observed(dc_catalog *cat, dc_diags *diags)
{
	size_t np = cat->obs_pending.len, ns = cat->svcs.len, nd = cat->deps.len, i, s, w;
	size_t unknown = 0, few = 0, self = 0, nadded = 0;
	dc_loc_int unknown_at = { 0, 0, 0 };
	uint32_t *from = NULL, *to = NULL, *bucket = NULL, *order = NULL, *pos = NULL, *stamp = NULL;
	uint32_t *shift = NULL;
	double *inbound = NULL;  /* observed calls/s into each service, from any caller */
	DC_VEC(dep_t) added = { 0 };
	dep_t *deps = NULL;
	uint32_t origin;
	int rc = DC_ENOMEM;

	if (!np)
		return 0;
	origin = cat_intern(cat, "observed");
	from = malloc(np * sizeof(*from));
	to = malloc(np * sizeof(*to));
	order = malloc(np * sizeof(*order));
	bucket = calloc(ns + 2, sizeof(*bucket));
	pos = calloc(ns + 1, sizeof(*pos));
	stamp = malloc((ns + 1) * sizeof(*stamp));
	shift = calloc(ns + 1, sizeof(*shift));
	inbound = calloc(ns + 1, sizeof(*inbound));
	if (!origin || !from || !to || !order || !bucket || !pos || !stamp || !shift || !inbound)
		goto out;
	/* resolve every name; bucket the edges by caller */
	for (i = 0; i < np; i++) {
		const obs_pend_t *p = &cat->obs_pending.items[i];
		const char *a = cat_str(cat, p->caller), *b = cat_str(cat, p->callee);
		from[i] = cat_name_lookup(cat, a, strlen(a));
		to[i] = cat_name_lookup(cat, b, strlen(b));
		/* the requests a service receives: every observed caller, one
		 * outside the catalog (Tempo's `user`, a load balancer) included */
		if (to[i] < ns && from[i] != to[i] && p->caller != p->callee && p->rate > 0)
			inbound[to[i]] += p->rate;
		if (p->calls == 0 || p->caller == p->callee) {
			from[i] = DC_NO_ID; /* no call, or a service calling itself by one name */
			continue;
		}
		if (from[i] >= ns || to[i] >= ns) {
			/* a caller outside the catalog (Tempo's `user`, a load
			 * balancer) into a service is entry traffic, not a gap */
			if (to[i] >= ns && !unknown++)
				unknown_at = p->loc;
			from[i] = DC_NO_ID;
			continue;
		}
		if (from[i] == to[i]) {
			self++;
			from[i] = DC_NO_ID;
			continue;
		}
		if (p->calls < cat->obs_min_calls) {
			few++;
			from[i] = DC_NO_ID;
			continue;
		}
		bucket[from[i] + 1]++;
	}
	for (s = 0; s < ns; s++)
		bucket[s + 1] += bucket[s];
	for (i = 0; i < np; i++)
		if (from[i] < ns)
			order[bucket[from[i]] + pos[from[i]]++] = (uint32_t)i;
	for (s = 0; s <= ns; s++)
		stamp[s] = UINT32_MAX;
	memset(pos, 0, (ns + 1) * sizeof(*pos));
	/* per caller: pos[callee] = its dependency index + 1, or for an edge
	 * added here (added.len + 1) | high bit */
	for (s = 0; s < ns; s++) {
		const svc_t *sv = &cat->svcs.items[s];
		size_t k;
		shift[s] = (uint32_t)added.len;
		if (bucket[s] == bucket[s + 1])
			continue;
		for (k = 0; k < sv->ndeps; k++) {
			uint32_t t = cat->deps.items[sv->dep_first + k].to;
			if (stamp[t] != s) {
				stamp[t] = (uint32_t)s;
				pos[t] = sv->dep_first + (uint32_t)k + 1;
			}
		}
		for (k = bucket[s]; k < bucket[s + 1]; k++) {
			const obs_pend_t *p = &cat->obs_pending.items[order[k]];
			uint32_t t = to[order[k]];
			dep_t *d;
			if (stamp[t] == s) {
				d = pos[t] & 0x80000000u ? &added.items[(pos[t] & 0x7fffffffu) - 1]
							 : &cat->deps.items[pos[t] - 1];
				if (d->obs)
					obs_merge(&cat->dep_obs.items[d->obs - 1], p);
				else if (new_obs(cat, p, 0, &d->obs))
					goto out;
				continue;
			}
			if (cat->obs_mode == DC_OBSERVED_EDGES_IGNORE)
				continue;
			{
				dep_t nd_;
				cat_dep_init(&nd_, (dc_id)s, p->callee, p->loc);
				nd_.to = t;
				nd_.kind = cat->obs_mode == DC_OBSERVED_EDGES_HARD ? DC_DEP_HARD : DC_DEP_SOFT;
				nd_.origin = origin;
				if (new_obs(cat, p, 1, &nd_.obs) || dc_vec_push(&added, nd_)) {
					cat->oom = 1;
					goto out;
				}
				stamp[t] = (uint32_t)s;
				pos[t] = (uint32_t)added.len | 0x80000000u;
			}
		}
	}
	shift[ns] = (uint32_t)added.len;
	nadded = added.len;
	if (nadded) {
		/* each caller's observed edges after its declared ones */
		deps = malloc((nd + nadded) * sizeof(*deps));
		if (!deps)
			goto out;
		w = 0;
		{
			size_t a = 0;
			for (s = 0; s < ns; s++) {
				svc_t *sv = &cat->svcs.items[s];
				uint32_t first = (uint32_t)w;
				memcpy(deps + w, cat->deps.items + sv->dep_first, sv->ndeps * sizeof(*deps));
				w += sv->ndeps;
				while (a < nadded && added.items[a].from == s)
					deps[w++] = added.items[a++];
				sv->dep_first = first;
				sv->ndeps = (uint32_t)(w - first);
			}
		}
		/* the extra sources of a declared edge keep pointing at it */
		for (i = 0; i < cat->dep_srcs.len; i++) {
			dep_src_t *ds = &cat->dep_srcs.items[i];
			ds->dep += shift[cat->deps.items[ds->dep].from];
		}
		free(cat->deps.items);
		cat->deps.items = deps;
		cat->deps.len = cat->deps.cap = nd + nadded;
		deps = NULL;
	}
	/* calls per request where no input wrote `calls`: the edge's observed
	 * rate over the caller's observed inbound rate (docs/load.md) */
	for (i = 0; i < cat->deps.len; i++) {
		dep_t *d = &cat->deps.items[i];
		dep_obs_t *o = d->obs ? &cat->dep_obs.items[d->obs - 1] : NULL;
		const dep_res_t *r = cat_dep_res(cat, d);
		dep_res_t *m;
		double ratio;
		if (!o || o->rate <= 0 || !(inbound[d->from] > 0) || (r && (r->set & (1u << DC_DEP_CALLS))))
			continue;
		ratio = o->rate / inbound[d->from];
		if (ratio > 1000000)
			ratio = 1000000;
		if (!(m = cat_dep_res_mut(cat, d)))
			goto out;
		o = &cat->dep_obs.items[d->obs - 1];
		m->val[DC_DEP_CALLS] = ratio * 1000 < 1 ? 1 : (uint32_t)(ratio * 1000 + 0.5);
		m->loc[DC_DEP_CALLS] = o->loc;
		m->set |= (uint16_t)(1u << DC_DEP_CALLS);
		o->calls_set = 1;
	}
	if (unknown)
		cat_diag(cat, diags, DC_SEV_NOTE, unknown_at,
			 "%zu observed call edge%s call%s a service the catalog does not define (or a name of "
			 "several); %s left out of the graph (depcheck reconcile lists the names)",
			 unknown, unknown == 1 ? "" : "s", unknown == 1 ? "s" : "", unknown == 1 ? "it is" : "they are");
	if (few)
		cat_diag(cat, diags, DC_SEV_NOTE, (dc_loc_int){ 0, 0, 0 },
			 "%zu observed call edge%s with fewer than %llu calls left out (--min-calls)", few,
			 few == 1 ? "" : "s", (unsigned long long)cat->obs_min_calls);
	(void)self;
	rc = 0;
out:
	free(from);
	free(to);
	free(order);
	free(bucket);
	free(pos);
	free(stamp);
	free(shift);
	free(inbound);
	free(deps);
	dc_vec_free(&added);
	dc_vec_free(&cat->obs_pending);
	return rc;
}

/* ---- accessors ------------------------------------------------------------ */

int dc_dep_observed(const dc_catalog *cat, size_t d, dc_dep_traffic *out)
{
	const dep_obs_t *o;
	if (!cat || d >= cat->deps.len || !(o = cat_dep_obs(cat, &cat->deps.items[d])))
		return 0;
	if (out) {
		const char *f = cat_file_name(cat, o->loc.file);
		out->calls = o->calls;
		out->calls_per_s = o->rate;
		out->error_ratio = o->has_errors && o->calls ? (double)o->errors / (double)o->calls : -1;
		out->p50_ms = o->p50;
		out->p99_ms = o->p99;
		out->where.file = f;
		out->where.line = o->loc.line;
		out->where.column = o->loc.col;
	}
	return 1;
}

int dc_dep_calls_observed(const dc_catalog *cat, size_t d)
{
	const dep_obs_t *o;
	return cat && d < cat->deps.len && (o = cat_dep_obs(cat, &cat->deps.items[d])) && o->calls_set;
}

int dc_dep_is_observed(const dc_catalog *cat, size_t d)
{
	return cat && d < cat->deps.len && dep_observed_only(cat, &cat->deps.items[d]);
}
