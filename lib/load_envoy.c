/*
 * load_envoy.c - Envoy configuration (docs/inputs.md, "Envoy configuration
 * dumps"): the admin endpoint's /config_dump answer (`configs[]`, each an
 * Any with an `@type` ...BootstrapConfigDump, ClustersConfigDump,
 * ListenersConfigDump, RoutesConfigDump), or a bootstrap file
 * (`static_resources`), which is what a static Envoy runs.
 *
 * What it reads, per route (RouteConfiguration: the RoutesConfigDump's, or
 * one inline in a listener's HTTP connection manager): the destination
 * (`route.cluster`, `route.weighted_clusters`), `route.timeout` and the
 * `retry_policy` (`num_retries`, `per_try_timeout`, `retry_on`; the
 * virtual host's when the route has none); per cluster:
 * `circuit_breakers.thresholds[]` of the DEFAULT priority (`max_connections`,
 * `max_pending_requests`, `max_requests`, `max_retries`, `retry_budget`) and
 * `outlier_detection` (`consecutive_5xx`, `base_ejection_time`).
 *
 * The idea: a dump belongs to one proxy, so to one caller (the node: its
 * Istio canonical-service label, else `node.cluster`, else `node.id`), and
 * names its callees by cluster (Istio's `outbound|9080||reviews.default.svc.
 * cluster.local`, a DNS endpoint of the cluster, or the cluster's name as a
 * host). Like the mesh objects (load_mesh.c) it adds no call: its values
 * become edge policies scoped to that caller and refine the dependency
 * caller -> callee that other inputs declare, at finalize, keeping each
 * value's file:line:column. The settings are the native keys the mesh uses.
 *
 * Limits: only written values count (Envoy's own defaults, the 15 s route
 * timeout or the 1024-request thresholds, are not applied; "no limit",
 * 4294967295 as Istio writes it, is no value); a route timeout of 0s
 * disables the deadline and is left unset; per-request matches are not told
 * apart (the first route of a virtual host to a callee counts); RDS routes
 * named by a listener are read from the RoutesConfigDump, never fetched;
 * TCP proxies, EDS endpoints and the inbound clusters (the proxy's own
 * service) are not read.
 */
#include "load_attrs.h"
#include "hostref.h"

#include <stdio.h>
#include <stdlib.h>

#define BIT(k) ((uint16_t)(1u << (k)))

typedef struct {
	const char *name;
	const doc_node *cl;
} named_cluster;

typedef struct {
	load_ctx *c;
	DC_VEC(named_cluster) clusters; /* by name, for the routes (sorted) */
	uint32_t callers, ncallers;   /* the node, as a strlist of one */
	dc_loc_int caller_at;
	unsigned no_deadline;         /* routes with timeout 0s */
	const doc_node *no_deadline_at;
	int rc;
} envoy;

static int suffix(const char *s, const char *suf)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* The config of an Any in configs[] whose @type ends with `type`. */
static const doc_node *dump_of(const doc_node *root, const char *type)
{
	const doc_node *cfgs = doc_get(root, "configs");
	uint32_t i;
	for (i = 0; cfgs && cfgs->kind == DOC_SEQ && i < cfgs->n; i++) {
		const doc_node *x = cfgs->u.kids[i];
		if (x->kind == DOC_MAP && suffix(doc_str(doc_get(x, "@type")), type))
			return x;
	}
	return NULL;
}

int envoy_detect(const doc_node *root)
{
	const doc_node *cfgs = doc_get(root, "configs"), *sr = doc_get(root, "static_resources");
	uint32_t i;
	for (i = 0; cfgs && cfgs->kind == DOC_SEQ && i < cfgs->n; i++) {
		const char *t = doc_str(doc_get(cfgs->u.kids[i], "@type"));
		if (t && strstr(t, "envoy.admin."))
			return DETECT_VENDOR;
	}
	if (sr && sr->kind == DOC_MAP && (doc_get(sr, "clusters") || doc_get(sr, "listeners")))
		return DETECT_VENDOR;
	return DETECT_NO;
}

/* ---- names ----------------------------------------------------------------------- */

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

/* The service a host names: `reviews.default.svc.cluster.local` and
 * `reviews.default.svc` are the Kubernetes Service `reviews`; another name
 * stays whole (an external host, a plain service name). Interned, 0 when
 * the text is no single host name. */
static uint32_t host_service(envoy *E, const char *s, size_t n)
{
	first_host f;
	const char *l;
	size_t ll;
	memset(&f, 0, sizeof(f));
	hostref_scan(s, n, take_first, &f);
	if (!f.found || f.h.off != 0 || f.h.tlen != n || (f.h.flags & HOSTREF_LIST))
		return 0;
	if (f.h.labels >= 3 && hostref_label(&f.h, 2, &l, &ll) && ll == 3 && !strncmp(l, "svc", 3) &&
	    hostref_label(&f.h, 0, &l, &ll))
		return cat_intern_n(E->c->cat, l, ll);
	return cat_intern_n(E->c->cat, f.h.name, f.h.len);
}

/* Clusters that are Envoy's or Istio's own plumbing, not a service. */
static int plumbing(const char *name)
{
	static const char *const own[] = { "BlackHoleCluster", "PassthroughCluster", "InboundPassthroughCluster",
					   "InboundPassthroughClusterIpv4", "InboundPassthroughClusterIpv6",
					   "prometheus_stats", "agent", "sds-grpc", "xds-grpc", "zipkin",
					   "envoy_accesslog_service", "admin", NULL };
	const char *const *p;
	for (p = own; *p; p++)
		if (!strcmp(name, *p))
			return 1;
	return 0;
}

/* A DNS endpoint of a cluster's load_assignment (STRICT_DNS, LOGICAL_DNS). */
static const doc_node *dns_endpoint(const doc_node *cl)
{
	const doc_node *la = cl ? doc_get(cl, "load_assignment") : NULL, *eps;
	uint32_t i, j;
	if (!la || la->kind != DOC_MAP || !(eps = doc_get(la, "endpoints")) || eps->kind != DOC_SEQ)
		return NULL;
	for (i = 0; i < eps->n; i++) {
		const doc_node *lbs = eps->u.kids[i]->kind == DOC_MAP ? doc_get(eps->u.kids[i], "lb_endpoints") : NULL;
		for (j = 0; lbs && lbs->kind == DOC_SEQ && j < lbs->n; j++) {
			const doc_node *e = lbs->u.kids[j], *x;
			if (e->kind != DOC_MAP || !(x = doc_get(e, "endpoint")) || x->kind != DOC_MAP ||
			    !(x = doc_get(x, "address")) || x->kind != DOC_MAP || !(x = doc_get(x, "socket_address")) ||
			    x->kind != DOC_MAP || !(x = doc_get(x, "address")) || !doc_str(x))
				continue;
			return x;
		}
	}
	return NULL;
}

/* The callee a cluster name stands for (interned), 0 = none (plumbing,
 * inbound, not a host name: a note). `cl` is the cluster when known. */
static uint32_t cluster_callee(envoy *E, const doc_node *name, const doc_node *cl, int quiet)
{
	const char *s = doc_str(name), *bar;
	const doc_node *ep;
	uint32_t t;
	if (!s || !*s)
		return 0;
	if ((bar = strchr(s, '|'))) {
		/* Istio: direction|port|subset|host */
		const char *host = strrchr(s, '|') + 1;
		if (strncmp(s, "outbound|", 9))
			return 0; /* inbound|...: the proxy's own service */
		if (!*host || strchr(host, '*'))
			return 0;
		t = host_service(E, host, strlen(host));
	} else if (plumbing(s))
		return 0;
	else if ((ep = dns_endpoint(cl)) && (t = host_service(E, ep->u.s, ep->n)) != 0)
		return t;
	else
		t = host_service(E, s, name->n);
	if (!t && !quiet) {
		char shown[80];
		dc_text_escape(shown, sizeof(shown), s);
		ctx_diag(E->c, DC_SEV_NOTE, name, "Envoy cluster '%s' names no service (not a host name, no DNS "
			 "endpoint): its settings are not read", shown);
	}
	return t;
}

/* ---- values ---------------------------------------------------------------------- */

static int count_of(envoy *E, const doc_node *v, const char *field, const char *what, long long lo, long long hi,
		    uint32_t *out)
{
	long long x = 0;
	if (doc_int(v, 1, &x) || x < lo || x > hi) {
		const char *s = doc_str(v);
		char shown[64];
		dc_text_escape(shown, sizeof(shown), s ? s : doc_type_name(v));
		ctx_diag(E->c, DC_SEV_ERROR, v, "%s of %s must be an integer from %lld to %lld, not '%s'", field,
			 what, lo, hi, shown);
		return -1;
	}
	*out = (uint32_t)x;
	return 0;
}

static const doc_node *map_at(envoy *E, const doc_node *m, const char *key, const char *what)
{
	const doc_node *v = m && m->kind == DOC_MAP ? doc_get(m, key) : NULL;
	if (!v || doc_is_null(v))
		return NULL;
	if (v->kind != DOC_MAP) {
		ctx_diag(E->c, DC_SEV_ERROR, v, "%s of %s must be an object, not %s", key, what, doc_type_name(v));
		return NULL;
	}
	return v;
}

static const doc_node *seq_at(envoy *E, const doc_node *m, const char *key, const char *what)
{
	const doc_node *v = m && m->kind == DOC_MAP ? doc_get(m, key) : NULL;
	if (!v || doc_is_null(v))
		return NULL;
	if (v->kind != DOC_SEQ) {
		ctx_diag(E->c, DC_SEV_ERROR, v, "%s of %s must be an array, not %s", key, what, doc_type_name(v));
		return NULL;
	}
	return v;
}

static void set_duration(envoy *E, edge_pol_t *p, unsigned k, const doc_node *v, const char *field, const char *what)
{
	uint32_t ms;
	if (v && !doc_is_null(v) && attr_pb_duration_ms(E->c, v, field, what, &ms) == 0)
		attr_pol_set(E->c, p, k, ms, v);
}

static void set_count(envoy *E, edge_pol_t *p, unsigned k, const doc_node *v, const char *field, const char *what,
		      long long lo, long long hi)
{
	uint32_t x;
	if (v && !doc_is_null(v) && count_of(E, v, field, what, lo, hi, &x) == 0)
		attr_pol_set(E->c, p, k, x, v);
}

/* A circuit-breaker threshold: "no limit" (Istio writes 2^32 - 1; anything
 * from 1e9 up) is no value. */
static void set_threshold(envoy *E, edge_pol_t *p, unsigned k, const doc_node *v, const char *field, const char *what)
{
	uint32_t x;
	if (!v || doc_is_null(v) || count_of(E, v, field, what, 0, 4294967295LL, &x))
		return;
	if (x < 1000000000u)
		attr_pol_set(E->c, p, k, x, v);
}

static void pol_init(envoy *E, edge_pol_t *p, uint32_t what, uint32_t group)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->group = group;
	p->scoped = 1;
	p->callers = E->callers;
	p->ncallers = E->ncallers;
	p->caller_at = E->caller_at;
}

static void emit(envoy *E, edge_pol_t *p, uint32_t callee, const doc_node *at)
{
	if (!p->r.set || !callee || E->rc)
		return;
	p->callee = callee;
	p->at = ctx_loc(E->c, at);
	if (cat_add_edge_policy(E->c->cat, p))
		E->rc = DC_ENOMEM;
}

static uint32_t what_of(envoy *E, const char *kind, const char *name)
{
	char buf[300], shown[200];
	uint32_t id;
	dc_text_escape(shown, sizeof(shown), name ? name : "(unnamed)");
	snprintf(buf, sizeof(buf), "Envoy %s '%s'", kind, shown);
	if (!(id = cat_intern(E->c->cat, buf)))
		E->rc = DC_ENOMEM;
	return id;
}

/* ---- routes ------------------------------------------------------------------------ */

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const named_cluster *)a)->name, ((const named_cluster *)b)->name);
}

/* The callee of a route's cluster: through its definition when the
 * configuration has one (a DNS endpoint names the service). */
static uint32_t route_callee(envoy *E, const doc_node *nm)
{
	named_cluster key, *hit;
	key.name = doc_str(nm);
	key.cl = NULL;
	hit = E->clusters.len ? bsearch(&key, E->clusters.items, E->clusters.len, sizeof(key), cmp_named) : NULL;
	return cluster_callee(E, nm, hit ? hit->cl : NULL, 1);
}

static void retry_policy(envoy *E, const doc_node *rp, edge_pol_t *p, const char *what)
{
	const doc_node *on, *n;
	if (!rp)
		return;
	n = doc_get(rp, "num_retries");
	if (n && !doc_is_null(n))
		set_count(E, p, DC_DEP_RETRIES, n, "retry_policy.num_retries", what, 0, 100);
	else
		attr_pol_set(E->c, p, DC_DEP_RETRIES, 1, rp); /* Envoy's default when a policy is set */
	set_duration(E, p, DC_DEP_PER_TRY_TIMEOUT, doc_get(rp, "per_try_timeout"), "retry_policy.per_try_timeout", what);
	on = doc_get(rp, "retry_on");
	if (on && doc_str(on) && on->n) {
		uint32_t id = cat_intern_n(E->c->cat, on->u.s, on->n);
		if (!id)
			E->rc = DC_ENOMEM;
		else
			attr_pol_set(E->c, p, DC_DEP_RETRY_ON, id, on);
	}
}

static void route_config(envoy *E, const doc_node *rc)
{
	const char *rname = doc_str(doc_get(rc, "name"));
	const doc_node *vhs;
	uint32_t i, j, k;
	int pass;
	if (!rc || rc->kind != DOC_MAP)
		return;
	vhs = seq_at(E, rc, "virtual_hosts", "a route configuration");
	for (i = 0; vhs && i < vhs->n && !E->rc; i++) {
		const doc_node *vh = vhs->u.kids[i], *routes, *vrp;
		uint32_t what, group;
		if (vh->kind != DOC_MAP)
			continue;
		what = what_of(E, "virtual host", doc_str(doc_get(vh, "name")) ? doc_str(doc_get(vh, "name")) : rname);
		group = cat_new_group(E->c->cat);
		if (!what)
			return;
		vrp = map_at(E, vh, "retry_policy", cat_str(E->c->cat, what));
		routes = seq_at(E, vh, "routes", cat_str(E->c->cat, what));
		/* routes that match on headers or query parameters carry some
		 * requests only: they count after the others (pass 1) */
		for (pass = 0; pass < 2; pass++)
		for (j = 0; routes && j < routes->n && !E->rc; j++) {
			const doc_node *r = routes->u.kids[j], *ra, *to, *rp, *wc, *cl, *m;
			const char *w = cat_str(E->c->cat, what);
			edge_pol_t p;
			int narrow;
			if (r->kind != DOC_MAP)
				continue;
			m = doc_get(r, "match");
			narrow = m && m->kind == DOC_MAP && (doc_get(m, "headers") || doc_get(m, "query_parameters"));
			if (narrow != pass || !(ra = pass ? doc_get(r, "route") : map_at(E, r, "route", w)) ||
			    ra->kind != DOC_MAP)
				continue; /* a redirect, a direct response */
			pol_init(E, &p, what, group);
			to = doc_get(ra, "timeout");
			if (to && !doc_is_null(to)) {
				uint32_t ms;
				if (attr_pb_duration_ms(E->c, to, "route.timeout", w, &ms) == 0) {
					if (ms)
						attr_pol_set(E->c, &p, DC_DEP_TIMEOUT, ms, to);
					else if (!E->no_deadline++)
						E->no_deadline_at = to;
				}
			}
			rp = map_at(E, ra, "retry_policy", w);
			retry_policy(E, rp ? rp : vrp, &p, w);
			attr_pol_per_try_default(&p);
			cl = doc_get(ra, "cluster");
			wc = map_at(E, ra, "weighted_clusters", w);
			if (cl && doc_str(cl))
				emit(E, &p, route_callee(E, cl), cl);
			else if (wc) {
				const doc_node *cls = seq_at(E, wc, "clusters", w);
				uint64_t sum = 0;
				uint32_t first = 0;
				int distinct = 1; /* subsets of one host are one callee: no split */
				for (k = 0; cls && k < cls->n; k++) {
					const doc_node *x = cls->u.kids[k], *wn, *nm;
					long long ww;
					uint32_t t;
					if (x->kind != DOC_MAP)
						continue;
					if ((wn = doc_get(x, "weight")) && doc_int(wn, 1, &ww) == 0 && ww >= 0 && ww <= 1000000)
						sum += (uint64_t)ww;
					nm = doc_get(x, "name");
					t = nm && doc_str(nm) ? route_callee(E, nm) : 0;
					if (t && !first)
						first = t;
					else if (t && t == first)
						distinct = 0;
				}
				for (k = 0; cls && k < cls->n && !E->rc; k++) {
					const doc_node *x = cls->u.kids[k], *nm, *wn;
					uint32_t callee, wt = 0;
					edge_pol_t wp;
					if (x->kind != DOC_MAP || !(nm = doc_get(x, "name")) || !doc_str(nm))
						continue;
					callee = route_callee(E, nm);
					emit(E, &p, callee, nm);
					wn = doc_get(x, "weight");
					if (distinct && cls->n > 1 && sum > 0 && wn && count_of(E, wn, "weighted_clusters weight", w, 0,
										    1000000, &wt) == 0) {
						pol_init(E, &wp, what, 0);
						attr_pol_set(E->c, &wp, DC_DEP_WEIGHT,
							     (uint32_t)((wt * 100ULL + sum / 2) / sum), wn);
						emit(E, &wp, callee, nm);
					}
				}
			}
		}
	}
}

/* A listener's HTTP connection managers with an inline route_config. */
static void listener(envoy *E, const doc_node *l)
{
	const doc_node *fcs = seq_at(E, l, "filter_chains", "a listener");
	uint32_t i, j;
	for (i = 0; fcs && i < fcs->n && !E->rc; i++) {
		const doc_node *fs = seq_at(E, fcs->u.kids[i], "filters", "a filter chain");
		for (j = 0; fs && j < fs->n && !E->rc; j++) {
			const doc_node *tc = map_at(E, fs->u.kids[j], "typed_config", "a filter"), *rc;
			if (tc && (rc = map_at(E, tc, "route_config", "an HTTP connection manager")))
				route_config(E, rc);
		}
	}
}

/* ---- clusters ---------------------------------------------------------------------- */

static void collect(envoy *E, const doc_node *cl)
{
	const doc_node *nm = cl && cl->kind == DOC_MAP ? doc_get(cl, "name") : NULL;
	named_cluster x;
	if (!nm || !doc_str(nm))
		return;
	x.name = nm->u.s;
	x.cl = cl;
	if (dc_vec_push(&E->clusters, x))
		E->rc = DC_ENOMEM;
}

static void cluster(envoy *E, const doc_node *cl)
{
	const doc_node *nm = cl && cl->kind == DOC_MAP ? doc_get(cl, "name") : NULL, *cb, *ths, *od;
	const char *w;
	uint32_t what, callee, i;
	edge_pol_t p;
	if (!nm || !doc_str(nm))
		return;
	cb = doc_get(cl, "circuit_breakers");
	od = doc_get(cl, "outlier_detection");
	if ((!cb || doc_is_null(cb)) && (!od || doc_is_null(od)))
		return;
	if (!(what = what_of(E, "cluster", doc_str(nm))))
		return;
	w = cat_str(E->c->cat, what);
	pol_init(E, &p, what, 0);
	cb = map_at(E, cl, "circuit_breakers", w);
	ths = seq_at(E, cb, "thresholds", w);
	for (i = 0; ths && i < ths->n; i++) {
		const doc_node *t = ths->u.kids[i], *pr, *rb;
		if (t->kind != DOC_MAP)
			continue;
		pr = doc_get(t, "priority");
		if (pr && doc_str(pr) && strcmp(doc_str(pr), "DEFAULT"))
			continue; /* HIGH: the priority routing of a few requests */
		set_threshold(E, &p, DC_DEP_MAX_CONNECTIONS, doc_get(t, "max_connections"), "max_connections", w);
		set_threshold(E, &p, DC_DEP_MAX_PENDING, doc_get(t, "max_pending_requests"), "max_pending_requests", w);
		set_threshold(E, &p, DC_DEP_MAX_REQUESTS, doc_get(t, "max_requests"), "max_requests", w);
		set_threshold(E, &p, DC_DEP_MAX_RETRIES, doc_get(t, "max_retries"), "max_retries", w);
		if ((rb = map_at(E, t, "retry_budget", w))) {
			const doc_node *bp = map_at(E, rb, "budget_percent", w), *v = bp ? doc_get(bp, "value") : NULL;
			double x = 20; /* Envoy's default */
			if (v && (doc_double(v, 1, &x) || !(x >= 0 && x <= 100))) {
				const char *s = doc_str(v);
				char shown[64];
				dc_text_escape(shown, sizeof(shown), s ? s : doc_type_name(v));
				ctx_diag(E->c, DC_SEV_ERROR, v, "retry_budget.budget_percent.value of %s must be a "
					 "percentage from 0 to 100, not '%s'", w, shown);
			} else
				attr_pol_set(E->c, &p, DC_DEP_RETRY_BUDGET, (uint32_t)(x * 10 + 0.5), v ? v : rb);
		}
		break; /* the first DEFAULT threshold, as Envoy reads them */
	}
	if ((od = map_at(E, cl, "outlier_detection", w))) {
		const doc_node *c5 = doc_get(od, "consecutive_5xx"), *bt = doc_get(od, "base_ejection_time");
		if (c5 && !doc_is_null(c5))
			set_count(E, &p, DC_DEP_EJECT_AFTER, c5, "outlier_detection.consecutive_5xx", w, 1, 1000000);
		else
			attr_pol_set(E->c, &p, DC_DEP_EJECT_AFTER, 5, od); /* Envoy's defaults */
		if (bt && !doc_is_null(bt))
			set_duration(E, &p, DC_DEP_EJECTION_MS, bt, "outlier_detection.base_ejection_time", w);
		else
			attr_pol_set(E->c, &p, DC_DEP_EJECTION_MS, 30000, od);
	}
	if (p.r.set && (callee = cluster_callee(E, nm, cl, 0)))
		emit(E, &p, callee, nm);
}

/* The config inside a dump entry: entries[] of { <key>: {...} } or the key itself. */
static void each_entry(envoy *E, const doc_node *d, const char *list, const char *key,
		       void (*fn)(envoy *, const doc_node *))
{
	const doc_node *xs = seq_at(E, d, list, "a configuration dump");
	uint32_t i;
	for (i = 0; xs && i < xs->n && !E->rc; i++) {
		const doc_node *x = xs->u.kids[i], *v;
		if (x->kind != DOC_MAP)
			continue;
		v = doc_get(x, key);
		if (!v && !strcmp(key, "listener")) { /* dynamic listeners: active_state.listener */
			const doc_node *as = doc_get(x, "active_state");
			v = as && as->kind == DOC_MAP ? doc_get(as, "listener") : NULL;
		}
		if (v && v->kind == DOC_MAP)
			fn(E, v);
	}
}

static void static_list(envoy *E, const doc_node *sr, const char *key, void (*fn)(envoy *, const doc_node *))
{
	const doc_node *xs = seq_at(E, sr, key, "static_resources");
	uint32_t i;
	for (i = 0; xs && i < xs->n && !E->rc; i++)
		if (xs->u.kids[i]->kind == DOC_MAP)
			fn(E, xs->u.kids[i]);
}

/* ---- the node ---------------------------------------------------------------------- */

/* Whose configuration: Istio's canonical service (or app label), else
 * node.cluster (less `.namespace` when it is the node's namespace, as Istio
 * writes `productpage.default`), else node.id. */
static const doc_node *node_name(envoy *E, const doc_node *node, char *buf, size_t size)
{
	const doc_node *md = node && node->kind == DOC_MAP ? doc_get(node, "metadata") : NULL;
	const doc_node *labels = md && md->kind == DOC_MAP ? doc_get(md, "LABELS") : NULL, *v;
	static const char *const keys[] = { "service.istio.io/canonical-name", "app.kubernetes.io/name", "app", NULL };
	const char *const *k;
	(void)E;
	if (!node || node->kind != DOC_MAP)
		return NULL;
	for (k = keys; labels && labels->kind == DOC_MAP && *k; k++)
		if ((v = doc_get(labels, *k)) && doc_str(v) && v->n) {
			snprintf(buf, size, "%s", v->u.s);
			return v;
		}
	if ((v = doc_get(node, "cluster")) && doc_str(v) && v->n) {
		const char *ns = md && md->kind == DOC_MAP ? doc_str(doc_get(md, "NAMESPACE")) : NULL;
		const char *dot = strrchr(v->u.s, '.');
		snprintf(buf, size, "%s", v->u.s);
		if (ns && dot && !strcmp(dot + 1, ns) && (size_t)(dot - v->u.s) < size)
			buf[dot - v->u.s] = '\0';
		return v;
	}
	if ((v = doc_get(node, "id")) && doc_str(v) && v->n) {
		snprintf(buf, size, "%s", v->u.s);
		return v;
	}
	return NULL;
}

static void load_one(envoy *E, const doc_node *root)
{
	load_ctx *c = E->c;
	const doc_node *bd, *boot, *node, *at, *cd, *ld, *rd;
	char name[256];
	uint32_t ref;
	size_t bad = 0;
	if (root->kind != DOC_MAP)
		return;
	bd = dump_of(root, "BootstrapConfigDump");
	boot = bd ? doc_get(bd, "bootstrap") : doc_get(root, "configs") ? NULL : root;
	node = boot && boot->kind == DOC_MAP ? doc_get(boot, "node") : NULL;
	if (!(at = node_name(E, node, name, sizeof(name)))) {
		ctx_diag(c, DC_SEV_ERROR, node ? node : bd ? bd : root, "an Envoy configuration must say whose it "
			 "is: %s with an Istio app label, a 'cluster' or an 'id' (the service the proxy runs beside)",
			 bd ? "bootstrap.node" : "node");
		return;
	}
	if (dc_text_check(name, 0, &bad)) {
		ctx_diag(c, DC_SEV_ERROR, at, "the node's name contains a character not allowed in names (byte %zu; "
			 "see docs/security.md)", bad + 1);
		return;
	}
	if (!(ref = cat_intern(c->cat, name)) || cat_set_list(c->cat, &E->callers, &E->ncallers, &ref, 1)) {
		E->rc = DC_ENOMEM;
		return;
	}
	E->caller_at = ctx_loc(c, at);
	cd = dump_of(root, "ClustersConfigDump");
	ld = dump_of(root, "ListenersConfigDump");
	rd = dump_of(root, "RoutesConfigDump");
	if (cd) {
		each_entry(E, cd, "static_clusters", "cluster", collect);
		each_entry(E, cd, "dynamic_active_clusters", "cluster", collect);
		each_entry(E, cd, "static_clusters", "cluster", cluster);
		each_entry(E, cd, "dynamic_active_clusters", "cluster", cluster);
	} else if (!ld && boot && boot->kind == DOC_MAP) {
		const doc_node *sr = doc_get(boot, "static_resources");
		if (sr && sr->kind == DOC_MAP)
			static_list(E, sr, "clusters", collect);
	}
	if (E->clusters.len)
		qsort(E->clusters.items, E->clusters.len, sizeof(named_cluster), cmp_named);
	if (rd) {
		each_entry(E, rd, "static_route_configs", "route_config", route_config);
		each_entry(E, rd, "dynamic_route_configs", "route_config", route_config);
	}
	if (ld) {
		each_entry(E, ld, "static_listeners", "listener", listener);
		each_entry(E, ld, "dynamic_listeners", "listener", listener);
	}
	if (!cd && !ld && boot && boot->kind == DOC_MAP) {
		/* a bootstrap file, or a dump of the bootstrap alone */
		const doc_node *sr = map_at(E, boot, "static_resources", "the bootstrap");
		static_list(E, sr, "clusters", cluster);
		static_list(E, sr, "listeners", listener);
	}
	if (E->no_deadline)
		ctx_diag(c, DC_SEV_NOTE, E->no_deadline_at, "%u route%s of this configuration ha%s timeout 0s (no "
			 "deadline): left unset, the call's timeout comes from other sources", E->no_deadline,
			 E->no_deadline == 1 ? "" : "s", E->no_deadline == 1 ? "s" : "ve");
}

int load_envoy(load_ctx *c, const doc_stream *ds)
{
	envoy E;
	size_t d;
	for (d = 0; d < ds->docs.len; d++) {
		const doc_node *root = ds->docs.items[d];
		if (!root || doc_is_null(root))
			continue;
		memset(&E, 0, sizeof(E));
		E.c = c;
		load_one(&E, root);
		dc_vec_free(&E.clusters);
		if (E.rc)
			return ctx_fail(c, E.rc);
	}
	return c->status;
}
