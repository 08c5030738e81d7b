/*
 * load_mesh.c - service mesh and gateway configuration (docs/inputs.md,
 * "Service mesh and gateway configuration"): the timeouts, retries,
 * circuit breakers, outlier detection, route weights and locality
 * failover that a mesh enforces on the calls between services. Part of
 * the Kubernetes reader: these are Kubernetes objects, collected in its
 * first pass (mesh_collect) and read once the file's workloads exist
 * (mesh_load).
 *
 * Objects read:
 *   networking.istio.io/<v>   VirtualService, DestinationRule, ServiceEntry, Sidecar
 *   gateway.networking.k8s.io/<v>, policy.linkerd.io/<v>   HTTPRoute, GRPCRoute
 *   linkerd.io/<v>            ServiceProfile
 *   and the retry.linkerd.io/... and timeout.linkerd.io/... annotations
 *   of Services and routes.
 *
 * The idea: a mesh object adds no call, it governs the calls into a
 * callee (the VirtualService host, the route's parent Service, ...). Each
 * becomes *edge policies* (catalog_int.h, edge_pol_t): a callee named by
 * text, maybe a caller scope (sourceLabels), and settings that keep their
 * file:line:column. Finalize applies them to every resolved dependency on
 * the callee (catalog_edgepol.c), whichever input declared it: this file's
 * env values, another Kubernetes file, Compose, a native catalog. Two
 * exceptions add to the graph: a ServiceEntry declares external services
 * (and env values naming its hosts become edges), and a Sidecar's egress
 * hosts are dependencies its workloads declare.
 *
 * Hosts are read as cluster DNS reads them from the object's namespace
 * (k8s_classify): a Service of the file stands for the workloads it
 * selects; a name the file does not define stays text and is resolved at
 * finalize like any reference (a workload or service of that name in
 * another input); an unknown one is a warning there.
 *
 * Limits: per-request matches (uri, headers, methods) are not told apart:
 * a rule that matches only some requests is skipped when the object has a
 * rule that matches every request (skip_per_request), else the first rule
 * that can apply to a caller counts; mesh-wide defaults
 * (Istio's default retry policy, Linkerd's default timeout when nothing is
 * written) are not applied; a VirtualService bound only to gateways, and a
 * route attached only to a Gateway, govern ingress traffic, not calls
 * between services, and are skipped with a note; wildcard hosts are
 * skipped.
 */
#include "k8s_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BIT(k) ((uint16_t)(1u << (k)))
#define MAX_MS 86400000.0 /* a day, as timeout_ms */

typedef struct {
	k8s *k;
	load_ctx *c;
	const doc_node *root, *meta, *spec;
	const char *kind, *ns, *name;
	uint32_t what;     /* interned "Kind name" */
	uint32_t group;    /* rule group: one object's rules, first match wins */
} mobj;

/* a callee set: workloads of the file, or the text of a name it lacks */
typedef struct {
	DC_VEC(const k8s_wl *) wls;
	uint32_t text;     /* interned, 0 = none */
	const doc_node *at;
} targets;

int mesh_is_object(const char *av, const char *kind)
{
	if (!av || !kind)
		return 0;
	if (!strncmp(av, "networking.istio.io/", 20))
		return !strcmp(kind, "VirtualService") || !strcmp(kind, "DestinationRule") ||
		       !strcmp(kind, "ServiceEntry") || !strcmp(kind, "Sidecar");
	if (!strncmp(av, "gateway.networking.k8s.io/", 26) || !strncmp(av, "policy.linkerd.io/", 18))
		return !strcmp(kind, "HTTPRoute") || !strcmp(kind, "GRPCRoute");
	if (!strncmp(av, "linkerd.io/", 11))
		return !strcmp(kind, "ServiceProfile");
	return 0;
}

void mesh_collect(k8s *k, const doc_node *root, const char *kind)
{
	if (dc_vec_push(&k->mesh, root)) {
		k->rc = DC_ENOMEM;
		return;
	}
	if (!strcmp(kind, "ServiceEntry")) {
		const doc_node *spec = doc_get(root, "spec"), *hosts = spec ? doc_get(spec, "hosts") : NULL;
		uint32_t i;
		if (spec && spec->kind == DOC_MAP &&
		    doc_scalar_is(doc_get(spec, "location"), "MESH_INTERNAL"))
			return; /* part of the mesh: not an external service */
		for (i = 0; hosts && hosts->kind == DOC_SEQ && i < hosts->n; i++) {
			const doc_node *h = hosts->u.kids[i];
			if (k8s_str_of(h) && !strchr(h->u.s, '*') && dc_vec_push(&k->se_hosts, h))
				k->rc = DC_ENOMEM;
		}
	}
}

/* ---- values ------------------------------------------------------------------------- */

/* A duration as Go, Istio, Gateway API and Linkerd write it: one or more
 * <decimal><unit>, unit h, m, s, ms, us (µs), ns ("300ms", "1.5s",
 * "1m30s"; a bare 0). Milliseconds, a nonzero fraction rounded up. */
static int duration_ms(mobj *o, const doc_node *v, const char *field, uint32_t *out)
{
	const char *s = doc_str(v), *p;
	double total = 0;
	char bad[64];
	if (!s || v->kind != DOC_SCALAR || v->n == 0) {
		ctx_diag(o->c, DC_SEV_ERROR, v, "%s of %s must be a duration like 300ms or 2s, not %s", field,
			 cat_str(o->c->cat, o->what), doc_type_name(v));
		return -1;
	}
	p = s;
	if (*p == '-') {
		ctx_diag(o->c, DC_SEV_ERROR, v, "%s of %s is negative: '%s'", field, cat_str(o->c->cat, o->what), s);
		return -1;
	}
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	while (*p) {
		char *end;
		double x;
		double unit;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			goto bad;
		x = strtod(p, &end);
		if (end == p || isnan(x) || (*end == 'e' || *end == 'E'))
			goto bad;
		p = end;
		if (!strncmp(p, "ms", 2)) { unit = 1; p += 2; }
		else if (!strncmp(p, "us", 2)) { unit = 1e-3; p += 2; }
		else if (!strncmp(p, "\xc2\xb5s", 3)) { unit = 1e-3; p += 3; }
		else if (!strncmp(p, "ns", 2)) { unit = 1e-6; p += 2; }
		else if (*p == 'h') { unit = 3600000; p++; }
		else if (*p == 'm') { unit = 60000; p++; }
		else if (*p == 's') { unit = 1000; p++; }
		else
			goto bad;
		total += x * unit;
		if (total > MAX_MS)
			break;
	}
	if (total > MAX_MS) {
		ctx_diag(o->c, DC_SEV_ERROR, v, "%s of %s is out of range: '%s' (at most a day)", field,
			 cat_str(o->c->cat, o->what), s);
		return -1;
	}
	*out = (uint32_t)ceil(total);
	return 0;
bad:
	dc_text_escape(bad, sizeof(bad), s);
	ctx_diag(o->c, DC_SEV_ERROR, v, "%s of %s is not a duration: '%s' (write a number and a unit, "
		 "h, m, s, ms, us or ns: 300ms, 2s, 1m30s)", field, cat_str(o->c->cat, o->what), bad);
	return -1;
}

/* A count >= lo (attempts, pool sizes, error counts), given as an integer
 * or, in annotations, as a string of one. */
static int count_of(mobj *o, const doc_node *v, const char *field, long long lo, long long hi, uint32_t *out)
{
	long long x = 0;
	if (doc_int(v, 1, &x) || x < lo || x > hi) {
		const char *s = doc_str(v);
		char shown[64];
		dc_text_escape(shown, sizeof(shown), s ? s : doc_type_name(v));
		ctx_diag(o->c, DC_SEV_ERROR, v, "%s of %s must be an integer from %lld to %lld, not '%s'",
			 field, cat_str(o->c->cat, o->what), lo, hi, shown);
		return -1;
	}
	*out = (uint32_t)x;
	return 0;
}

static void pol_init(mobj *o, edge_pol_t *p)
{
	memset(p, 0, sizeof(*p));
	p->what = o->what;
	p->group = o->group;
}

static void pol_set(mobj *o, edge_pol_t *p, unsigned k, uint32_t val, const doc_node *at)
{
	if (k == DC_DEP_TIMEOUT)
		p->timeout_ms = val;
	else if (k == DC_DEP_RETRIES)
		p->retries = val;
	else
		p->r.val[k] = val;
	p->r.loc[k] = ctx_loc(o->c, at);
	p->r.set |= BIT(k);
}

static void set_duration(mobj *o, edge_pol_t *p, unsigned k, const doc_node *v, const char *field)
{
	uint32_t ms = 0;
	if (v && !doc_is_null(v) && duration_ms(o, v, field, &ms) == 0) {
		if (ms == 0 && (k == DC_DEP_TIMEOUT || k == DC_DEP_PER_TRY_TIMEOUT)) {
			/* Istio, Gateway API and Linkerd: a zero timeout disables it */
			ctx_diag(o->c, DC_SEV_NOTE, v, "%s of %s is 0: no deadline, left unset (the call's "
				 "timeout comes from other sources)", field, cat_str(o->c->cat, o->what));
			return;
		}
		pol_set(o, p, k, ms, v);
	}
}

static void set_count(mobj *o, edge_pol_t *p, unsigned k, const doc_node *v, const char *field,
		      long long lo, long long hi)
{
	uint32_t x = 0;
	if (v && !doc_is_null(v) && count_of(o, v, field, lo, hi, &x) == 0)
		pol_set(o, p, k, x, v);
}

static void set_text(mobj *o, edge_pol_t *p, unsigned k, const char *s, size_t n, const doc_node *at)
{
	uint32_t id = cat_intern_n(o->c->cat, s, n);
	if (!id) {
		o->k->rc = DC_ENOMEM;
		return;
	}
	pol_set(o, p, k, id, at);
}

/* An overall timeout without a per-try one: each attempt may take the
 * whole deadline (Istio's perTryTimeout and Gateway API's backendRequest
 * default to the request timeout; Linkerd's route timeout covers retries). */
static void per_try_default(mobj *o, edge_pol_t *p)
{
	(void)o;
	if ((p->r.set & BIT(DC_DEP_TIMEOUT)) && !(p->r.set & BIT(DC_DEP_PER_TRY_TIMEOUT))) {
		p->r.val[DC_DEP_PER_TRY_TIMEOUT] = p->timeout_ms;
		p->r.loc[DC_DEP_PER_TRY_TIMEOUT] = p->r.loc[DC_DEP_TIMEOUT];
		p->r.set |= BIT(DC_DEP_PER_TRY_TIMEOUT);
	}
}

/* ---- hosts ---------------------------------------------------------------------------- */

typedef struct {
	hostref h;
	int found;
} first_host;

static int take_first(void *arg, const hostref *h)
{
	first_host *f = arg;
	f->h = *h;
	f->found = 1;
	return 1;
}

static void targets_free(targets *t)
{
	dc_vec_free(&t->wls);
}

/* Every caller adds each workload once (one pass over the file's
 * workloads), so no duplicate check: a set stays linear. */
static void add_wl(mobj *o, targets *t, const k8s_wl *w)
{
	if (w->id == DC_NO_ID)
		return;
	if (dc_vec_push(&t->wls, w))
		o->k->rc = DC_ENOMEM;
}

/* The callees a host names, read from namespace `ns`: the workloads a
 * Service of the file selects, else the name as text (resolved at
 * finalize). 0 when the host is none (a wildcard, not a DNS name). */
static int host_targets(mobj *o, const doc_node *hn, const char *ns, targets *t)
{
	const char *s = k8s_str_of(hn);
	first_host f;
	k8s_name r;
	const k8s_svc *svc;
	size_t i;
	memset(t, 0, sizeof(*t));
	t->at = hn;
	if (!s) {
		if (hn && !doc_is_null(hn))
			ctx_diag(o->c, DC_SEV_ERROR, hn, "a host of %s must be a string, not %s",
				 cat_str(o->c->cat, o->what), doc_type_name(hn));
		return 0;
	}
	if (strchr(s, '*'))
		return 0; /* a wildcard names no one service */
	memset(&f, 0, sizeof(f));
	hostref_scan(s, hn->n, take_first, &f);
	if (!f.found || f.h.off != 0 || f.h.tlen != hn->n) {
		char shown[80];
		dc_text_escape(shown, sizeof(shown), s);
		ctx_diag(o->c, DC_SEV_ERROR, hn, "'%s' in %s is not a host name", shown,
			 cat_str(o->c->cat, o->what));
		return 0;
	}
	k8s_classify(o->k, &f.h, ns, &r);
	svc = r.form != NAME_NONE ? k8s_find_svc(o->k, r.svc, r.sl, r.ns, r.nl) : NULL;
	if (svc) {
		for (i = 0; i < o->k->wls.len; i++)
			if (k8s_selects(svc, &o->k->wls.items[i]))
				add_wl(o, t, &o->k->wls.items[i]);
		if (t->wls.len)
			return 1;
	}
	/* a name this file does not define: a workload or service of that
	 * name elsewhere, or a ServiceEntry's host */
	if (r.form != NAME_NONE)
		t->text = cat_intern_n(o->c->cat, r.svc, r.sl);
	else
		t->text = cat_intern_n(o->c->cat, f.h.name, f.h.len);
	if (!t->text)
		o->k->rc = DC_ENOMEM;
	return t->text != 0;
}

/* Add p once per callee of t (p->callee and p->at filled in). */
static void emit(mobj *o, edge_pol_t *p, const targets *t)
{
	size_t i;
	if (!p->r.set || o->k->rc)
		return;
	p->at = ctx_loc(o->c, t->at);
	for (i = 0; i < t->wls.len; i++) {
		p->callee = t->wls.items[i]->ref;
		if (cat_add_edge_policy(o->c->cat, p))
			o->k->rc = DC_ENOMEM;
	}
	if (t->text) {
		p->callee = t->text;
		if (cat_add_edge_policy(o->c->cat, p))
			o->k->rc = DC_ENOMEM;
	}
}

/* Pod labels of w include every label of `want`? */
static int labels_match(const doc_node *want, const k8s_wl *w)
{
	uint32_t i;
	if (!want || want->kind != DOC_MAP || !w->labels)
		return 0;
	for (i = 0; i < want->n; i++) {
		const doc_node *key = want->u.kids[2 * i], *v = want->u.kids[2 * i + 1];
		const doc_node *l = key->kind == DOC_SCALAR ? doc_get(w->labels, key->u.s) : NULL;
		const char *a = doc_str(v), *b = doc_str(l);
		if (!a || !b || strcmp(a, b))
			return 0;
	}
	return 1;
}

/* ---- per-request matches ------------------------------------------------------------------ */

/* 1 when a path condition matches every request: absent, or a prefix "/"
 * (Istio `uri: {prefix: /}`, Gateway API `path: {type: PathPrefix, value: /}`,
 * the Gateway API default). */
static int path_all(const doc_node *path, const char *kind_key, const char *prefix_word)
{
	const doc_node *v;
	if (!path || doc_is_null(path))
		return 1;
	if (path->kind != DOC_MAP)
		return 0;
	if (kind_key) { /* Gateway API: {type, value} */
		const doc_node *t = doc_get(path, kind_key);
		v = doc_get(path, "value");
		return (!t || doc_scalar_is(t, prefix_word)) && (!v || doc_scalar_is(v, "/"));
	}
	v = doc_get(path, prefix_word);
	return path->n == 1 && v && doc_scalar_is(v, "/");
}

/* 1 when every entry of a rule's match list selects only some requests of
 * a caller (a path, a header, a method, query parameters ...): such a rule
 * is per request. `istio`: VirtualService `match` (uri, scheme, method,
 * authority, headers, queryParams, withoutHeaders), else HTTPRoute/GRPCRoute
 * `matches` (path, headers, queryParams, method). sourceLabels,
 * sourceNamespace, gateways and port select callers, not requests. */
static int rule_per_request(const doc_node *rule, int istio)
{
	static const char *const istio_keys[] = { "scheme", "method", "authority", "headers", "queryParams",
						  "withoutHeaders", NULL };
	static const char *const gw_keys[] = { "headers", "queryParams", "method", NULL };
	const doc_node *m = doc_get(rule, istio ? "match" : "matches");
	uint32_t i;
	if (!m || m->kind != DOC_SEQ || m->n == 0)
		return 0;
	for (i = 0; i < m->n; i++) {
		const doc_node *e = m->u.kids[i];
		const char *const *k;
		int some = 0;
		if (!e || e->kind != DOC_MAP)
			return 0;
		for (k = istio ? istio_keys : gw_keys; *k && !some; k++) {
			const doc_node *v = doc_get(e, *k);
			some = v && !doc_is_null(v) && !(v->kind != DOC_SCALAR && v->n == 0);
		}
		if (!some)
			some = istio ? !path_all(doc_get(e, "uri"), NULL, "prefix")
				     : !path_all(doc_get(e, "path"), "type", "PathPrefix");
		if (!some)
			return 0; /* this entry matches every request (of its callers) */
	}
	return 1;
}

/* In an object whose rules match requests by path, header or method, the
 * edge takes the rule that matches every request of its caller: rules
 * that match only some requests are skipped when the object has such a
 * rule (docs/decisions.md), with a note; when every rule is per request,
 * the first that can apply still counts, as before. Returns 1 to skip. */
static int skip_per_request(mobj *o, const doc_node *rules, const doc_node *rule, int istio)
{
	uint32_t i;
	if (!rule_per_request(rule, istio))
		return 0;
	for (i = 0; i < rules->n; i++)
		if (rules->u.kids[i]->kind == DOC_MAP && !rule_per_request(rules->u.kids[i], istio))
			break;
	if (i == rules->n)
		return 0;
	ctx_diag(o->c, DC_SEV_NOTE, doc_get(rule, istio ? "match" : "matches"),
		 "this rule of %s matches only some requests (path, headers or method): the calls take "
		 "the values of the rule that matches every request", cat_str(o->c->cat, o->what));
	return 1;
}

/* ---- Istio ---------------------------------------------------------------------------- */

/* The caller scope of an http rule: NULL-free list of workload refs, or
 * unscoped (returns 0) when a match entry has no sourceLabels. Returns 1
 * when scoped (maybe to nobody: a warning). */
static int rule_scope(mobj *o, const doc_node *rule, edge_pol_t *p)
{
	const doc_node *match = doc_get(rule, "match");
	DC_VEC(uint32_t) refs = { 0 };
	uint32_t i;
	size_t j;
	const doc_node *first_sl = NULL;
	if (!match || match->kind != DOC_SEQ || match->n == 0)
		return 0;
	for (i = 0; i < match->n; i++) {
		const doc_node *m = match->u.kids[i], *sl = m && m->kind == DOC_MAP ? doc_get(m, "sourceLabels") : NULL;
		const char *sns = m && m->kind == DOC_MAP ? k8s_str_of(doc_get(m, "sourceNamespace")) : NULL;
		if (!sl || doc_is_null(sl)) {
			dc_vec_free(&refs);
			return 0; /* a match for every caller */
		}
		if (sl->kind != DOC_MAP) {
			ctx_diag(o->c, DC_SEV_ERROR, sl, "sourceLabels of %s must be a mapping, not %s",
				 cat_str(o->c->cat, o->what), doc_type_name(sl));
			continue;
		}
		if (!first_sl)
			first_sl = sl;
		for (j = 0; j < o->k->wls.len; j++) {
			const k8s_wl *w = &o->k->wls.items[j];
			if (w->id == DC_NO_ID || (sns && strcmp(sns, w->ns)) || !labels_match(sl, w))
				continue;
			if (dc_vec_push(&refs, w->ref))
				o->k->rc = DC_ENOMEM;
		}
	}
	p->scoped = 1;
	if (!refs.len && first_sl)
		ctx_diag(o->c, DC_SEV_WARNING, first_sl, "sourceLabels of %s match no workload of this file; "
			 "the rule applies to no caller", cat_str(o->c->cat, o->what));
	if (refs.len && cat_set_list(o->c->cat, &p->callers, &p->ncallers, refs.items, refs.len))
		o->k->rc = DC_ENOMEM;
	dc_vec_free(&refs);
	return 1;
}

static void virtual_service(mobj *o)
{
	const doc_node *hosts = k8s_get_seq(o->c, o->spec, "hosts", "spec.hosts", o->name);
	const doc_node *http = k8s_get_seq(o->c, o->spec, "http", "spec.http", o->name);
	const doc_node *gws = k8s_get_seq(o->c, o->spec, "gateways", "spec.gateways", o->name);
	uint32_t i, j;
	if (gws && gws->n) {
		int mesh = 0;
		for (i = 0; i < gws->n; i++)
			mesh |= doc_scalar_is(gws->u.kids[i], "mesh");
		if (!mesh) {
			ctx_diag(o->c, DC_SEV_NOTE, gws, "%s is bound to gateways only (no 'mesh'): it routes "
				 "ingress traffic and refines no call between services", cat_str(o->c->cat, o->what));
			return;
		}
	}
	for (i = 0; http && i < http->n && !o->k->rc; i++) {
		const doc_node *rule = http->u.kids[i], *retries, *route;
		edge_pol_t p;
		DC_VEC(targets) dests = { 0 };
		DC_VEC(const doc_node *) weights = { 0 };
		targets all;
		size_t d;
		if (rule->kind != DOC_MAP || skip_per_request(o, http, rule, 1))
			continue;
		pol_init(o, &p);
		rule_scope(o, rule, &p);
		set_duration(o, &p, DC_DEP_TIMEOUT, doc_get(rule, "timeout"), "timeout");
		retries = k8s_get_map(o->c, rule, "retries", "retries", o->name);
		if (retries) {
			const doc_node *on = doc_get(retries, "retryOn");
			set_count(o, &p, DC_DEP_RETRIES, doc_get(retries, "attempts"), "retries.attempts", 0, 100);
			set_duration(o, &p, DC_DEP_PER_TRY_TIMEOUT, doc_get(retries, "perTryTimeout"),
				     "retries.perTryTimeout");
			if (k8s_str_of(on))
				set_text(o, &p, DC_DEP_RETRY_ON, on->u.s, on->n, on);
		}
		per_try_default(o, &p);
		/* every host of the VirtualService and every destination: the calls it governs */
		memset(&all, 0, sizeof(all));
		for (j = 0; hosts && j < hosts->n; j++) {
			targets t;
			if (host_targets(o, hosts->u.kids[j], o->ns, &t)) {
				emit(o, &p, &t);
			}
			targets_free(&t);
		}
		route = k8s_get_seq(o->c, rule, "route", "route", o->name);
		for (j = 0; route && j < route->n; j++) {
			const doc_node *rd = route->u.kids[j];
			const doc_node *dst = rd->kind == DOC_MAP ? doc_get(rd, "destination") : NULL;
			targets t;
			if (!dst || dst->kind != DOC_MAP)
				continue;
			if (!host_targets(o, doc_get(dst, "host"), o->ns, &t))
				continue;
			/* weights first: once in dests, t is owned there */
			if (dc_vec_push(&weights, doc_get(rd, "weight")) || dc_vec_push(&dests, t)) {
				targets_free(&t);
				o->k->rc = DC_ENOMEM;
				break;
			}
		}
		for (d = 0; d < dests.len; d++) {
			/* a destination that is not one of the hosts gets the rule too */
			int same = 0;
			for (j = 0; hosts && j < hosts->n && !same; j++)
				same = doc_str(hosts->u.kids[j]) && dests.items[d].at && doc_str(dests.items[d].at) &&
				       !strcasecmp(doc_str(hosts->u.kids[j]), doc_str(dests.items[d].at));
			if (!same)
				emit(o, &p, &dests.items[d]);
		}
		/* weights: a split between several destination hosts (subsets of
		 * one host are one callee here) */
		{
			size_t e;
			int distinct = dests.len > 1;
			for (d = 0; d < dests.len && distinct; d++)
				for (e = d + 1; e < dests.len && distinct; e++)
					distinct = strcasecmp(doc_str(dests.items[d].at), doc_str(dests.items[e].at)) != 0;
			if (!distinct)
				for (d = 0; d < dests.len; d++)
					targets_free(&dests.items[d]);
			if (!distinct)
				dests.len = 0;
		}
		if (dests.len > 1) {
			for (d = 0; d < dests.len; d++) {
				edge_pol_t wp;
				pol_init(o, &wp);
				wp.scoped = p.scoped;
				wp.callers = p.callers;
				wp.ncallers = p.ncallers;
				wp.group = 0; /* weights are not a rule of their own */
				set_count(o, &wp, DC_DEP_WEIGHT, weights.items[d], "route weight", 0, 100);
				emit(o, &wp, &dests.items[d]);
			}
		}
		for (d = 0; d < dests.len; d++)
			targets_free(&dests.items[d]);
		dc_vec_free(&dests);
		dc_vec_free(&weights);
		(void)all;
	}
}

/* A DestinationRule's trafficPolicy (or a subset's) as settings. */
static void traffic_policy(mobj *o, const doc_node *tp, edge_pol_t *p)
{
	const doc_node *cp, *tcp, *http, *od, *lb, *loc;
	if (!tp || tp->kind != DOC_MAP)
		return;
	cp = k8s_get_map(o->c, tp, "connectionPool", "trafficPolicy.connectionPool", o->name);
	tcp = k8s_get_map(o->c, cp, "tcp", "connectionPool.tcp", o->name);
	http = k8s_get_map(o->c, cp, "http", "connectionPool.http", o->name);
	if (tcp)
		set_count(o, p, DC_DEP_MAX_CONNECTIONS, doc_get(tcp, "maxConnections"),
			  "connectionPool.tcp.maxConnections", 1, 1000000000);
	if (http) {
		set_count(o, p, DC_DEP_MAX_PENDING, doc_get(http, "http1MaxPendingRequests"),
			  "connectionPool.http.http1MaxPendingRequests", 1, 1000000000);
		set_count(o, p, DC_DEP_MAX_REQUESTS, doc_get(http, "http2MaxRequests"),
			  "connectionPool.http.http2MaxRequests", 1, 1000000000);
	}
	od = k8s_get_map(o->c, tp, "outlierDetection", "trafficPolicy.outlierDetection", o->name);
	if (od) {
		static const char *const errs[] = { "consecutive5xxErrors", "consecutiveGatewayErrors",
						    "consecutiveErrors", NULL };
		const char *const *e;
		const doc_node *bt = doc_get(od, "baseEjectionTime");
		for (e = errs; *e; e++)
			if (doc_get(od, *e)) {
				set_count(o, p, DC_DEP_EJECT_AFTER, doc_get(od, *e), *e, 1, 1000000);
				break;
			}
		if (!*e)
			pol_set(o, p, DC_DEP_EJECT_AFTER, 5, od); /* Istio's default */
		if (bt)
			set_duration(o, p, DC_DEP_EJECTION_MS, bt, "outlierDetection.baseEjectionTime");
		else
			pol_set(o, p, DC_DEP_EJECTION_MS, 30000, od); /* Istio's default */
	}
	lb = k8s_get_map(o->c, tp, "loadBalancer", "trafficPolicy.loadBalancer", o->name);
	loc = k8s_get_map(o->c, lb, "localityLbSetting", "loadBalancer.localityLbSetting", o->name);
	if (loc && !doc_scalar_is(doc_get(loc, "enabled"), "false")) {
		const doc_node *fo = k8s_get_seq(o->c, loc, "failover", "localityLbSetting.failover", o->name);
		const doc_node *fp = k8s_get_seq(o->c, loc, "failoverPriority", "localityLbSetting.failoverPriority",
						 o->name);
		char buf[512];
		size_t len = 0;
		uint32_t i;
		buf[0] = '\0';
		for (i = 0; fo && i < fo->n; i++) {
			const doc_node *f = fo->u.kids[i];
			const char *from = f->kind == DOC_MAP ? k8s_str_of(doc_get(f, "from")) : NULL;
			const char *to = f->kind == DOC_MAP ? k8s_str_of(doc_get(f, "to")) : NULL;
			int w;
			if (!from || !to) {
				ctx_diag(o->c, DC_SEV_ERROR, f, "a failover entry of %s needs 'from' and 'to' regions",
					 cat_str(o->c->cat, o->what));
				continue;
			}
			w = snprintf(buf + len, sizeof(buf) - len, "%s%s->%s", len ? ", " : "", from, to);
			if (w < 0 || (size_t)w >= sizeof(buf) - len)
				break;
			len += (size_t)w;
		}
		for (i = 0; fp && i < fp->n; i++) {
			const char *l = k8s_str_of(fp->u.kids[i]);
			int w;
			if (!l)
				continue;
			w = snprintf(buf + len, sizeof(buf) - len, "%s%s%s", len ? ", " : "",
				     i ? "" : "priority ", l);
			if (w < 0 || (size_t)w >= sizeof(buf) - len)
				break;
			len += (size_t)w;
		}
		if (len)
			set_text(o, p, DC_DEP_FAILOVER, buf, len, fo ? fo : fp);
	}
}

static void destination_rule(mobj *o)
{
	const doc_node *host = o->spec ? doc_get(o->spec, "host") : NULL;
	const doc_node *subsets = k8s_get_seq(o->c, o->spec, "subsets", "spec.subsets", o->name);
	targets t;
	edge_pol_t p;
	uint32_t i;
	if (!host || doc_is_null(host)) {
		ctx_diag(o->c, DC_SEV_ERROR, o->spec ? o->spec : o->root, "%s has no spec.host",
			 cat_str(o->c->cat, o->what));
		return;
	}
	if (!host_targets(o, host, o->ns, &t))
		return;
	/* a subset's own policy first: it wins over the rule's for its pods */
	for (i = 0; subsets && i < subsets->n && !o->k->rc; i++) {
		const doc_node *sub = subsets->u.kids[i], *labels, *tp;
		targets st;
		size_t j;
		if (sub->kind != DOC_MAP || !(tp = doc_get(sub, "trafficPolicy")))
			continue;
		labels = doc_get(sub, "labels");
		pol_init(o, &p);
		p.group = 0;
		traffic_policy(o, tp, &p);
		memset(&st, 0, sizeof(st));
		st.at = host;
		for (j = 0; j < t.wls.len; j++)
			if (labels_match(labels, t.wls.items[j]))
				add_wl(o, &st, t.wls.items[j]);
		if (!t.wls.len)
			st.text = t.text; /* the host is defined elsewhere: its whole traffic */
		emit(o, &p, &st);
		targets_free(&st);
	}
	pol_init(o, &p);
	p.group = 0;
	traffic_policy(o, doc_get(o->spec, "trafficPolicy"), &p);
	emit(o, &p, &t);
	targets_free(&t);
}

static void service_entry(mobj *o)
{
	const doc_node *hosts = k8s_get_seq(o->c, o->spec, "hosts", "spec.hosts", o->name);
	uint32_t i;
	if (doc_scalar_is(doc_get(o->spec, "location"), "MESH_INTERNAL"))
		return;
	for (i = 0; hosts && i < hosts->n && !o->k->rc; i++) {
		const doc_node *h = hosts->u.kids[i];
		doc_node yes;
		uint32_t ref;
		dc_id id;
		int rc;
		if (!k8s_str_of(h) || strchr(h->u.s, '*'))
			continue;
		if (!(ref = cat_intern_lower(o->c->cat, h->u.s, h->n))) {
			o->k->rc = DC_ENOMEM;
			return;
		}
		if (ref < o->c->cat->by_ref.len && o->c->cat->by_ref.items[ref])
			continue; /* declared already (two ServiceEntries may share a host) */
		rc = ctx_new_service(o->c, ref, h, &id);
		if (rc) {
			if (rc < 0)
				o->k->rc = rc;
			continue;
		}
		memset(&yes, 0, sizeof(yes));
		yes.kind = DOC_SCALAR;
		yes.u.s = "true";
		yes.n = 4;
		yes.line = h->line;
		yes.col = h->col;
		attr_set(o->c, id, "external", &yes, 1);
	}
}

int mesh_service_entry_edge(wl_ctx *x, const hostref *h, const doc_node *v, const char *origin)
{
	k8s *k = x->k;
	size_t i;
	for (i = 0; i < k->se_hosts.len; i++) {
		const doc_node *s = k->se_hosts.items[i];
		uint32_t ref;
		if (s->n != h->len || strncasecmp(s->u.s, h->name, h->len))
			continue;
		if (!(ref = cat_intern_lower(k->c->cat, s->u.s, s->n))) {
			k->rc = DC_ENOMEM;
			return 1;
		}
		k8s_add_edge(x, v, ref, origin, DEP_INFERRED | DEP_QUIET_DUP, DC_DEP_HARD);
		return 1;
	}
	return 0;
}

/* Sidecar: egress hosts `ns/host` are what the selected workloads may
 * call: declared dependencies. */
static void sidecar(mobj *o)
{
	const doc_node *sel = k8s_get_map(o->c, o->spec, "workloadSelector", "spec.workloadSelector", o->name);
	const doc_node *labels = sel ? doc_get(sel, "labels") : NULL;
	const doc_node *egress = k8s_get_seq(o->c, o->spec, "egress", "spec.egress", o->name);
	char origin[300];
	uint32_t i, j;
	size_t w;
	snprintf(origin, sizeof(origin), "Sidecar %s egress", o->name);
	for (i = 0; egress && i < egress->n && !o->k->rc; i++) {
		const doc_node *e = egress->u.kids[i];
		const doc_node *hosts = e->kind == DOC_MAP ? k8s_get_seq(o->c, e, "hosts", "egress.hosts", o->name) : NULL;
		for (j = 0; hosts && j < hosts->n && !o->k->rc; j++) {
			const doc_node *hn = hosts->u.kids[j];
			const char *s = k8s_str_of(hn), *slash;
			char ns[254], host[300];
			first_host f;
			k8s_name r;
			const k8s_svc *svc;
			if (!s || !(slash = strchr(s, '/')) || (size_t)(slash - s) >= sizeof(ns)) {
				ctx_diag(o->c, DC_SEV_ERROR, hn, "an egress host of %s must be 'namespace/host', not %s",
					 cat_str(o->c->cat, o->what), s ? "that" : doc_type_name(hn));
				continue;
			}
			memcpy(ns, s, (size_t)(slash - s));
			ns[slash - s] = '\0';
			snprintf(host, sizeof(host), "%s", slash + 1);
			if (!strcmp(ns, "~") || strchr(host, '*'))
				continue; /* nothing, or a wildcard: no one dependency */
			if (!strcmp(ns, ".") || !strcmp(ns, "*"))
				snprintf(ns, sizeof(ns), "%s", o->ns);
			memset(&f, 0, sizeof(f));
			hostref_scan(host, strlen(host), take_first, &f);
			if (!f.found) {
				ctx_diag(o->c, DC_SEV_ERROR, hn, "'%s' in %s is not a host name", host,
					 cat_str(o->c->cat, o->what));
				continue;
			}
			k8s_classify(o->k, &f.h, ns, &r);
			svc = r.form != NAME_NONE ? k8s_find_svc(o->k, r.svc, r.sl, r.ns, r.nl) : NULL;
			for (w = 0; w < o->k->wls.len && !o->k->rc; w++) {
				k8s_wl *wl = &o->k->wls.items[w];
				wl_ctx x;
				if (wl->id == DC_NO_ID || strcmp(wl->ns, o->ns) || (labels && !labels_match(labels, wl)))
					continue;
				memset(&x, 0, sizeof(x));
				x.k = o->k;
				x.w = wl;
				if (svc && k8s_edges_to_service(&x, svc, hn, origin, DEP_QUIET_DUP, 0, NULL, 0))
					continue;
				if (mesh_service_entry_edge(&x, &f.h, hn, origin))
					continue;
				{
					uint32_t t = r.form != NAME_NONE ? cat_intern_n(o->c->cat, r.svc, r.sl)
									 : cat_intern_n(o->c->cat, f.h.name, f.h.len);
					if (!t) {
						o->k->rc = DC_ENOMEM;
						break;
					}
					if (t != wl->ref)
						k8s_add_edge(&x, hn, t, origin, DEP_QUIET_DUP | DEP_WARN_UNRESOLVED,
							     DC_DEP_HARD);
				}
				dc_vec_free(&x.soft);
			}
		}
	}
}

/* ---- Linkerd annotations ---------------------------------------------------------------- */

/* retry.linkerd.io/{http,grpc,limit,timeout}, timeout.linkerd.io/{request,response} */
static void linkerd_annotations(mobj *o, const doc_node *ann, edge_pol_t *p)
{
	const doc_node *http, *grpc, *limit, *rt, *req, *resp;
	if (!ann || ann->kind != DOC_MAP)
		return;
	http = doc_get(ann, "retry.linkerd.io/http");
	grpc = doc_get(ann, "retry.linkerd.io/grpc");
	limit = doc_get(ann, "retry.linkerd.io/limit");
	rt = doc_get(ann, "retry.linkerd.io/timeout");
	req = doc_get(ann, "timeout.linkerd.io/request");
	resp = doc_get(ann, "timeout.linkerd.io/response");
	if (k8s_str_of(http) || k8s_str_of(grpc)) {
		const doc_node *on = k8s_str_of(http) ? http : grpc;
		set_text(o, p, DC_DEP_RETRY_ON, on->u.s, on->n, on);
		if (!limit)
			pol_set(o, p, DC_DEP_RETRIES, 1, on); /* Linkerd's default limit */
	}
	set_count(o, p, DC_DEP_RETRIES, limit, "retry.linkerd.io/limit", 0, 100);
	set_duration(o, p, DC_DEP_PER_TRY_TIMEOUT, rt, "retry.linkerd.io/timeout");
	set_duration(o, p, DC_DEP_TIMEOUT, req ? req : resp,
		     req ? "timeout.linkerd.io/request" : "timeout.linkerd.io/response");
	per_try_default(o, p);
}

static void linkerd_services(k8s *k)
{
	size_t i, j;
	for (i = 0; i < k->svcs.len && !k->rc; i++) {
		const k8s_svc *s = &k->svcs.items[i];
		mobj o;
		edge_pol_t p;
		targets t;
		char what[300];
		if (!s->ann)
			continue;
		memset(&o, 0, sizeof(o));
		o.k = k;
		o.c = k->c;
		o.ns = s->ns;
		o.name = s->name;
		snprintf(what, sizeof(what), "Service %s", s->name);
		if (!(o.what = cat_intern(k->c->cat, what))) {
			k->rc = DC_ENOMEM;
			return;
		}
		pol_init(&o, &p);
		linkerd_annotations(&o, s->ann, &p);
		if (!p.r.set)
			continue;
		memset(&t, 0, sizeof(t));
		t.at = s->name_node;
		for (j = 0; j < k->wls.len; j++)
			if (k8s_selects(s, &k->wls.items[j]))
				add_wl(&o, &t, &k->wls.items[j]);
		if (!t.wls.len && !(t.text = cat_intern(k->c->cat, s->name)))
			k->rc = DC_ENOMEM;
		emit(&o, &p, &t);
		targets_free(&t);
	}
}

/* ---- Gateway API routes ------------------------------------------------------------------ */

static void route(mobj *o)
{
	const doc_node *parents = k8s_get_seq(o->c, o->spec, "parentRefs", "spec.parentRefs", o->name);
	const doc_node *rules = k8s_get_seq(o->c, o->spec, "rules", "spec.rules", o->name);
	const doc_node *ann = k8s_get_map(o->c, o->meta, "annotations", "metadata.annotations", o->name);
	DC_VEC(targets) par = { 0 };
	uint32_t i, j;
	size_t d;
	for (i = 0; parents && i < parents->n; i++) {
		const doc_node *pr = parents->u.kids[i];
		const char *kind = pr->kind == DOC_MAP ? k8s_str_of(doc_get(pr, "kind")) : NULL;
		const char *pns = pr->kind == DOC_MAP ? k8s_str_of(doc_get(pr, "namespace")) : NULL;
		targets t;
		if (!kind || strcmp(kind, "Service"))
			continue; /* a Gateway (the default kind): ingress */
		if (host_targets(o, doc_get(pr, "name"), pns ? pns : o->ns, &t) && dc_vec_push(&par, t)) {
			targets_free(&t);
			o->k->rc = DC_ENOMEM;
		}
	}
	if (!par.len) {
		ctx_diag(o->c, DC_SEV_NOTE, parents ? parents : o->root, "%s is attached to no Service (a "
			 "Gateway: ingress traffic): it refines no call between services",
			 cat_str(o->c->cat, o->what));
		dc_vec_free(&par);
		return;
	}
	for (i = 0; rules && i < rules->n && !o->k->rc; i++) {
		const doc_node *rule = rules->u.kids[i], *to, *retry, *brefs;
		edge_pol_t p;
		DC_VEC(targets) be = { 0 };
		DC_VEC(uint32_t) bw = { 0 };
		DC_VEC(const doc_node *) bwn = { 0 };
		uint64_t sum = 0;
		if (rule->kind != DOC_MAP || skip_per_request(o, rules, rule, 0))
			continue;
		pol_init(o, &p);
		to = k8s_get_map(o->c, rule, "timeouts", "timeouts", o->name);
		if (to) {
			set_duration(o, &p, DC_DEP_TIMEOUT, doc_get(to, "request"), "timeouts.request");
			set_duration(o, &p, DC_DEP_PER_TRY_TIMEOUT, doc_get(to, "backendRequest"),
				     "timeouts.backendRequest");
		}
		retry = k8s_get_map(o->c, rule, "retry", "retry", o->name);
		if (retry) {
			const doc_node *codes = k8s_get_seq(o->c, retry, "codes", "retry.codes", o->name);
			set_count(o, &p, DC_DEP_RETRIES, doc_get(retry, "attempts"), "retry.attempts", 0, 100);
			if (codes && codes->n) {
				char buf[256];
				size_t len = 0;
				for (j = 0; j < codes->n; j++) {
					const char *c = k8s_str_of(codes->u.kids[j]);
					int w;
					if (!c)
						continue;
					w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "", c);
					if (w < 0 || (size_t)w >= sizeof(buf) - len)
						break;
					len += (size_t)w;
				}
				if (len)
					set_text(o, &p, DC_DEP_RETRY_ON, buf, len, codes);
			}
		}
		/* Linkerd's annotations on the route fill what the rule leaves */
		{
			edge_pol_t lp;
			unsigned k;
			pol_init(o, &lp);
			linkerd_annotations(o, ann, &lp);
			for (k = 0; k < DC_DEP_SETTING_COUNT; k++)
				if ((lp.r.set & BIT(k)) && !(p.r.set & BIT(k))) {
					p.r.val[k] = lp.r.val[k];
					p.r.loc[k] = lp.r.loc[k];
					p.r.set |= BIT(k);
					if (k == DC_DEP_TIMEOUT)
						p.timeout_ms = lp.timeout_ms;
					if (k == DC_DEP_RETRIES)
						p.retries = lp.retries;
				}
		}
		per_try_default(o, &p);
		brefs = k8s_get_seq(o->c, rule, "backendRefs", "backendRefs", o->name);
		for (j = 0; brefs && j < brefs->n; j++) {
			const doc_node *b = brefs->u.kids[j], *wn;
			const char *bns;
			targets t;
			uint32_t wt = 1;
			if (b->kind != DOC_MAP)
				continue;
			bns = k8s_str_of(doc_get(b, "namespace"));
			wn = doc_get(b, "weight");
			if (wn && count_of(o, wn, "backendRefs.weight", 0, 1000000, &wt))
				wt = 0;
			if (!host_targets(o, doc_get(b, "name"), bns ? bns : o->ns, &t))
				continue;
			/* the weights first: once in be, t is owned there */
			if (dc_vec_push(&bw, wt) || dc_vec_push(&bwn, wn ? wn : b) || dc_vec_push(&be, t)) {
				targets_free(&t);
				o->k->rc = DC_ENOMEM;
				break;
			}
			sum += wt;
		}
		for (d = 0; d < par.len; d++)
			emit(o, &p, &par.items[d]);
		for (d = 0; d < be.len; d++)
			emit(o, &p, &be.items[d]);
		if (be.len > 1 && sum > 0)
			for (d = 0; d < be.len; d++) {
				edge_pol_t wp;
				pol_init(o, &wp);
				wp.group = 0;
				pol_set(o, &wp, DC_DEP_WEIGHT, (uint32_t)((bw.items[d] * 100 + sum / 2) / sum),
					bwn.items[d]);
				emit(o, &wp, &be.items[d]);
			}
		for (d = 0; d < be.len; d++)
			targets_free(&be.items[d]);
		dc_vec_free(&be);
		dc_vec_free(&bw);
		dc_vec_free(&bwn);
	}
	for (d = 0; d < par.len; d++)
		targets_free(&par.items[d]);
	dc_vec_free(&par);
}

/* ---- Linkerd ServiceProfile ---------------------------------------------------------------- */

static void service_profile(mobj *o)
{
	const doc_node *routes = k8s_get_seq(o->c, o->spec, "routes", "spec.routes", o->name);
	const doc_node *budget = k8s_get_map(o->c, o->spec, "retryBudget", "spec.retryBudget", o->name);
	const doc_node *nm = doc_get(o->meta, "name"), *retryable = NULL;
	edge_pol_t p;
	targets t;
	uint32_t i, worst = 0;
	const doc_node *worst_at = NULL;
	pol_init(o, &p);
	for (i = 0; routes && i < routes->n; i++) {
		const doc_node *r = routes->u.kids[i], *tn, *rn;
		uint32_t ms;
		int b;
		if (r->kind != DOC_MAP)
			continue;
		tn = doc_get(r, "timeout");
		if (tn && duration_ms(o, tn, "a route's timeout", &ms) == 0 && (!worst_at || ms > worst)) {
			worst = ms;
			worst_at = tn;
		}
		rn = doc_get(r, "isRetryable");
		if (rn && doc_bool(rn, &b) == 0 && b && !retryable)
			retryable = rn;
	}
	/* the longest route timeout: the worst a call can hang (it covers retries) */
	if (worst_at)
		pol_set(o, &p, DC_DEP_TIMEOUT, worst, worst_at);
	if (retryable) {
		/* retries are bounded by the budget alone */
		pol_set(o, &p, DC_DEP_RETRIES, 100, retryable);
		if (!worst_at)
			pol_set(o, &p, DC_DEP_TIMEOUT, 10000, retryable); /* Linkerd's default route timeout */
		pol_set(o, &p, DC_DEP_RETRY_BUDGET, 200, retryable); /* Linkerd's default budget: 20 % */
	}
	if (budget) {
		const doc_node *rr = doc_get(budget, "retryRatio");
		double x;
		if (rr && (doc_double(rr, 1, &x) || isnan(x) || x < 0 || x > 10))
			ctx_diag(o->c, DC_SEV_ERROR, rr, "retryRatio of %s must be a number from 0 to 10, "
				 "not '%s'", cat_str(o->c->cat, o->what), doc_str(rr) ? doc_str(rr) : doc_type_name(rr));
		else if (rr)
			pol_set(o, &p, DC_DEP_RETRY_BUDGET, (uint32_t)(x * 1000 + 0.5), rr);
	}
	per_try_default(o, &p);
	if (host_targets(o, nm, o->ns, &t))
		emit(o, &p, &t);
	targets_free(&t);
}

/* ---- the file's mesh objects ---------------------------------------------------------------- */

void mesh_load(k8s *k)
{
	size_t i;
	for (i = 0; i < k->mesh.len && !k->rc; i++) {
		const doc_node *root = k->mesh.items[i], *nsn;
		mobj o;
		char what[300];
		memset(&o, 0, sizeof(o));
		o.k = k;
		o.c = k->c;
		o.root = root;
		o.kind = k8s_str_of(doc_get(root, "kind"));
		o.meta = doc_get(root, "metadata");
		o.spec = doc_get(root, "spec");
		if (o.meta && o.meta->kind != DOC_MAP)
			o.meta = NULL;
		o.name = k8s_str_of(doc_get(o.meta, "name"));
		nsn = o.meta ? doc_get(o.meta, "namespace") : NULL;
		o.ns = k8s_str_of(nsn) ? nsn->u.s : "default";
		if (!o.name) {
			ctx_diag(k->c, DC_SEV_WARNING, o.meta ? o.meta : root, "%s without metadata.name; it is ignored",
				 o.kind);
			continue;
		}
		if (!o.spec || o.spec->kind != DOC_MAP) {
			if (o.spec && !doc_is_null(o.spec))
				ctx_diag(k->c, DC_SEV_ERROR, o.spec, "spec of %s %s must be a mapping, not %s", o.kind,
					 o.name, doc_type_name(o.spec));
			continue;
		}
		snprintf(what, sizeof(what), "%s %s", o.kind, o.name);
		if (!(o.what = cat_intern(k->c->cat, what))) {
			k->rc = DC_ENOMEM;
			return;
		}
		o.group = cat_new_group(k->c->cat);
		if (!strcmp(o.kind, "VirtualService"))
			virtual_service(&o);
		else if (!strcmp(o.kind, "DestinationRule"))
			destination_rule(&o);
		else if (!strcmp(o.kind, "ServiceEntry"))
			service_entry(&o);
		else if (!strcmp(o.kind, "Sidecar"))
			sidecar(&o);
		else if (!strcmp(o.kind, "ServiceProfile"))
			service_profile(&o);
		else
			route(&o);
	}
	if (!k->rc)
		linkerd_services(k);
}
