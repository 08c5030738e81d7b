/*
 * catalog_edgepol.c - the resilience settings of dependencies: per-try
 * timeouts, retry conditions and budgets, circuit breakers, outlier
 * detection, route weights, locality failover (dc_dep_setting), and the
 * *edge policies* that carry them from a service mesh or gateway object
 * to the calls they govern.
 *
 * A policy names a callee (a VirtualService host, a DestinationRule host,
 * an HTTPRoute's parent Service, a Linkerd ServiceProfile) and, when a
 * rule is scoped to some callers (Istio's match[].sourceLabels), those
 * callers. It refines dependencies that other inputs declare (Kubernetes
 * env values, Compose, native files): at finalize, once targets are
 * resolved and edges grouped, every dependency on the callee whose caller
 * is in scope takes the policy's settings. The first policy that sets a
 * setting on an edge wins (load order: files in the order given, objects
 * in file order). Precedence (docs/inputs.md, "One service, many
 * sources"): what the mesh enforces is the value at run time, so it wins
 * over native, Backstage, Compose and Kubernetes values (a written value
 * that differs is a warning naming both places); an overlay, the user's
 * explicit last word, wins over the mesh.
 *
 * Cost: one pass over the dependencies, policies bucketed by callee; a
 * scoped policy's callers are resolved and sorted once per list, and each
 * caller is found by binary search.
 */
#include "catalog_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(k) ((uint16_t)(1u << (k)))

dep_res_t *cat_dep_res_mut(dc_catalog *cat, dep_t *d)
{
	dep_res_t r;
	if (d->res && d->res <= cat->dep_res.len)
		return &cat->dep_res.items[d->res - 1];
	memset(&r, 0, sizeof(r));
	if (dc_vec_push(&cat->dep_res, r)) {
		cat->oom = 1;
		return NULL;
	}
	d->res = (uint32_t)cat->dep_res.len;
	return &cat->dep_res.items[d->res - 1];
}

int cat_add_edge_policy(dc_catalog *cat, const edge_pol_t *p)
{
	if (dc_vec_push(&cat->edge_pols, *p)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

int cat_merge_dep_res(dc_catalog *cat, dep_t *win, const dep_t *lose)
{
	const dep_res_t *l = cat_dep_res(cat, lose);
	dep_res_t *w;
	unsigned k;
	if (!l)
		return 0;
	if (!win->res) {
		win->res = lose->res;
		return 0;
	}
	if (!(w = cat_dep_res_mut(cat, win)))
		return DC_ENOMEM;
	l = cat_dep_res(cat, lose); /* the vector did not move: win had a record */
	for (k = 0; k < DC_DEP_SETTING_COUNT; k++)
		if ((l->set & BIT(k)) && !(w->set & BIT(k))) {
			w->val[k] = l->val[k];
			w->loc[k] = l->loc[k];
			w->set |= BIT(k);
		}
	return 0;
}

uint64_t cat_dep_hang_ms(const dc_catalog *cat, const dep_t *d)
{
	const dep_res_t *r = cat_dep_res(cat, d);
	uint64_t tries = (uint64_t)d->retries + 1;
	if (r && (r->set & BIT(DC_DEP_PER_TRY_TIMEOUT))) {
		/* < 2^64: (2^32 - 1) * 2^32 */
		uint64_t all = tries * r->val[DC_DEP_PER_TRY_TIMEOUT];
		if ((d->flags & DEP_EX_TIMEOUT) && d->timeout_ms < all)
			return d->timeout_ms;
		return all;
	}
	return (uint64_t)d->timeout_ms * tries;
}

double cat_dep_factor(const dc_catalog *cat, const dep_t *d)
{
	const dep_res_t *r = cat_dep_res(cat, d);
	double f = (double)d->retries + 1;
	if (r && (r->set & BIT(DC_DEP_RETRY_BUDGET))) {
		double cap = 1.0 + r->val[DC_DEP_RETRY_BUDGET] / 1000.0;
		if (cap < f)
			f = cap;
	}
	return f;
}

/* ---- applying the policies at finalize ------------------------------------------- */

static uint32_t resolve(const dc_catalog *cat, uint32_t text)
{
	const char *t = cat_str(cat, text);
	if (text < cat->by_ref.len && cat->by_ref.items[text])
		return cat->by_ref.items[text] - 1;
	return cat_form_lookup(cat, t, strlen(t));
}

static const char *file_of(const dc_catalog *cat, dc_loc_int l)
{
	const char *f = cat_file_name(cat, l.file);
	return f ? f : "<input>";
}

static double shown_value(const dc_catalog *cat, const dep_t *d, const dep_res_t *r, unsigned k)
{
	(void)cat;
	if (k == DC_DEP_TIMEOUT)
		return d->timeout_ms;
	if (k == DC_DEP_RETRIES)
		return d->retries;
	return k == DC_DEP_RETRY_BUDGET ? r->val[k] / 1000.0 : (double)r->val[k];
}

/* Apply policy p to dependency d (its caller is in scope). */
static int apply(dc_catalog *cat, dc_diags *diags, dep_t *d, const edge_pol_t *p)
{
	dep_res_t *r = cat_dep_res_mut(cat, d);
	unsigned k;
	int overlay = (d->prec & 7) == PREC_OVERLAY;
	if (!r)
		return DC_ENOMEM;
	if (p->group && r->rule_group == p->group)
		return 0; /* an earlier rule of the same object matched this call */
	if (p->group)
		r->rule_group = p->group;
	for (k = 0; k < DC_DEP_SETTING_COUNT; k++) {
		int written;
		if (!(p->r.set & BIT(k)) || (r->mesh & BIT(k)))
			continue; /* not this policy's, or an earlier policy set it */
		written = k == DC_DEP_TIMEOUT ? (d->flags & DEP_EX_TIMEOUT) != 0
			: k == DC_DEP_RETRIES ? (d->flags & DEP_EX_RETRIES) != 0 : (r->set & BIT(k)) != 0;
		if (written && overlay)
			continue; /* an overlay has the last word */
		if (written && k != DC_DEP_RETRY_ON && k != DC_DEP_FAILOVER) {
			dep_res_t tmp = p->r;
			dep_t pd = *d;
			double was, now;
			pd.timeout_ms = p->timeout_ms;
			pd.retries = p->retries;
			was = shown_value(cat, d, r, k);
			now = shown_value(cat, &pd, &tmp, k);
			if (was != now) {
				dc_loc_int at = r->loc[k].file ? r->loc[k] : d->loc;
				cat_diag(cat, diags, DC_SEV_WARNING, at,
					 "%s of '%s' on '%s' is %g here but %g at %s:%u:%u (%s), which is used: "
					 "the mesh enforces it", dc_dep_setting_name((dc_dep_setting)k),
					 cat_str(cat, cat->svcs.items[d->from].name),
					 cat_str(cat, cat->svcs.items[d->to].name), was, now,
					 file_of(cat, p->r.loc[k]), p->r.loc[k].line, p->r.loc[k].col,
					 cat_str(cat, p->what));
			}
		}
		if (k == DC_DEP_TIMEOUT) {
			d->timeout_ms = p->timeout_ms;
			d->flags |= DEP_EX_TIMEOUT;
		} else if (k == DC_DEP_RETRIES) {
			d->retries = p->retries;
			d->flags |= DEP_EX_RETRIES;
		} else {
			r->val[k] = p->r.val[k];
		}
		r->loc[k] = p->r.loc[k];
		r->set |= BIT(k);
		r->mesh |= BIT(k);
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Is `from` among the sorted ids cres[off .. off + n)? */
static int in_scope(const uint32_t *cres, uint32_t off, uint32_t n, uint32_t from)
{
	return n && bsearch(&from, cres + off, n, sizeof(uint32_t), cmp_u32) != NULL;
}

int cat_apply_edge_policies(dc_catalog *cat, dc_diags *diags)
{
	size_t np = cat->edge_pols.len, ns = cat->svcs.len, i, j;
	uint32_t *callee = NULL, *first = NULL, *order = NULL, *cres = NULL, *fill = NULL;
	uint8_t *done = NULL;
	int rc = 0;
	if (!np)
		return 0;
	callee = malloc(np * sizeof(uint32_t));
	order = malloc(np * sizeof(uint32_t));
	first = calloc(ns + 2, sizeof(uint32_t));
	fill = calloc(ns + 1, sizeof(uint32_t));
	/* the callers of scoped rules, resolved and sorted once per list (the
	 * policies of one rule share their list): indexed like cat->strlists */
	cres = malloc((cat->strlists.len ? cat->strlists.len : 1) * sizeof(uint32_t));
	done = calloc(cat->strlists.len ? cat->strlists.len : 1, 1);
	if (!callee || !order || !first || !fill || !cres || !done) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < np; i++) {
		const edge_pol_t *p = &cat->edge_pols.items[i];
		uint32_t id = resolve(cat, p->callee);
		for (j = 0; id >= ns && j < p->nalts; j++)
			id = resolve(cat, cat->strlists.items[p->alts + j]);
		if (id >= ns) {
			cat_diag(cat, diags, DC_SEV_WARNING, p->at, "%s names '%s', which is no service of the "
				 "input%s; its settings refine no dependency", cat_str(cat, p->what),
				 cat_str(cat, p->callee), id == FORM_AMBIGUOUS ? " alone (ambiguous)" : "");
			id = DC_NO_ID;
		}
		callee[i] = id;
		if (id != DC_NO_ID)
			first[id + 1]++;
		if (p->ncallers && !done[p->callers]) {
			done[p->callers] = 1;
			for (j = 0; j < p->ncallers; j++) {
				uint32_t c = resolve(cat, cat->strlists.items[p->callers + j]);
				cres[p->callers + j] = c < ns ? c : DC_NO_ID;
			}
			qsort(cres + p->callers, p->ncallers, sizeof(uint32_t), cmp_u32);
			/* sorted: DC_NO_ID (the largest) last, so the first tells */
			if (p->caller_at.file && cres[p->callers] == DC_NO_ID)
				cat_diag(cat, diags, DC_SEV_WARNING, p->caller_at, "%s is the configuration of '%s', "
					 "which is no service of the input; its settings refine no dependency",
					 cat_str(cat, p->what), cat_str(cat, cat->strlists.items[p->callers]));
		}
	}
	/* bucket the policies by callee, in load order */
	for (i = 0; i < ns; i++)
		first[i + 1] += first[i];
	for (i = 0; i < np; i++)
		if (callee[i] != DC_NO_ID)
			order[first[callee[i]] + fill[callee[i]]++] = (uint32_t)i;
	for (i = 0; i < cat->deps.len && !rc; i++) {
		dep_t *d = &cat->deps.items[i];
		uint32_t q;
		if (d->to >= ns)
			continue;
		for (q = first[d->to]; q < first[d->to + 1] && !rc; q++) {
			const edge_pol_t *p = &cat->edge_pols.items[order[q]];
			if (p->scoped && !in_scope(cres, p->callers, p->ncallers, d->from))
				continue;
			rc = apply(cat, diags, d, p);
		}
	}
out:
	free(callee);
	free(order);
	free(first);
	free(fill);
	free(cres);
	free(done);
	return rc ? rc : cat->oom ? DC_ENOMEM : 0;
}
