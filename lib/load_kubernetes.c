/*
 * load_kubernetes.c - Kubernetes manifests (docs/inputs.md): the
 * dependency graph a team never wrote down, inferred from what the pods
 * are told to connect to.
 *
 * Input: multi-document YAML (kubectl / Helm-rendered output, `---`
 * separators, comments, empty documents), a JSON array of objects, or a
 * `kind: List` with `items`. Two passes: the first collects workloads,
 * Services, ConfigMaps and namespaces from every document of the file;
 * the second creates services and edges.
 *
 * Services. Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and
 * CronJob objects become services. The ref is metadata.name when no other
 * workload in the file has that name, else "namespace/name" for every
 * workload of that name (namespace defaults to "default"). tags: the kind
 * in lowercase. replicas: spec.replicas (default 1). zones: the `In`
 * values of a required node-affinity match expression on
 * topology.kubernetes.io/zone (topology spread constraints name no zones).
 * system: the app.kubernetes.io/part-of label. Other kinds (Service,
 * ConfigMap, Secret, Ingress, ...) are not services and are skipped.
 *
 * Inferred edges. The pod template (spec.template, or
 * spec.jobTemplate.spec.template for a CronJob) is read: for each of its
 * containers and initContainers, every env[].value, the value of every
 * env[].valueFrom.configMapKeyRef, and every data value of a ConfigMap
 * named by envFrom[].configMapRef (ConfigMaps of the same namespace, in
 * the file or, failing that, in any other file of the input: the files
 * are handed over by kubernetes_defer and load together at finalize, each
 * with its own objects, the ConfigMaps of all; a configMapKeyRef to a
 * missing key is a warning unless
 * optional). hostref_scan (hostref.h) gives the hosts a value names
 * (lists, multi-host URLs, JDBC, gRPC targets, SRV names, lowercase);
 * k8s_classify() reads each as the cluster DNS of a pod in the workload's
 * namespace <own> would (Kubernetes DNS specification; search path
 * <own>.svc.<zone>, svc.<zone>, <zone>; any zone):
 *   svc.ns.svc[.zone]          Service svc in ns            (qualified)
 *   pod.svc.ns.svc[.zone]      a pod of headless svc in ns  (qualified)
 *   name                       Service name in <own>; qualified when
 *                              written with a port, scheme or SRV prefix
 *   pod.svc                    a pod of Service svc in <own> when there
 *                              is one (headless, or ns is no namespace)
 *   svc.ns                     else Service svc in ns, ns a namespace of
 *                              the input                    (qualified)
 *   pod.svc.ns                 a pod of Service svc in ns (ns of the input)
 * An SRV name (`_port._proto.` removed) names a Service, never a pod; an
 * absolute name (trailing dot) only in the `.svc.<zone>.` forms; a name
 * with '_' is no Kubernetes name; a bare word after '=' (`key=word`) is
 * none either. A Service found this way gives a hard edge, marked inferred
 * with origin "env NAME" or "configmap CM/KEY" and the position of the
 * value, to each workload it selects (spec.selector labels a subset of the
 * pod template's labels, same namespace); for a pod name, only to the
 * workloads whose pods carry that hostname (a StatefulSet governed by the
 * Service, `<name>-<ordinal>`; spec.hostname + spec.subdomain) when one
 * does. A Service that selects no workload, an ExternalName Service, or a
 * pod name under a Service that is not headless (DNS has no record) is a
 * warning and no edge. A qualified name that names no Service becomes an
 * edge to an external service named after the host (after the Service's
 * address for a pod name), reported by finalize as a warning
 * (DEP_WARN_UNRESOLVED), since a manifest set routinely talks to things
 * deployed elsewhere; an unqualified one never does (a bare word is only a
 * reference when it names something). A workload referencing itself is
 * ignored; several values naming the same target keep the first
 * (DEP_QUIET_DUP).
 *
 * Annotations (metadata.annotations of the workload, then of its pod
 * template), the keys of the Backstage annotations: depcheck.dev/tier,
 * replicas, zones, availability, slo, latency-ms, entrypoint, owner,
 * system, description; depcheck.dev/soft-dependencies (comma list of
 * workload or Service names: an inferred edge to one of them is soft, and
 * a name no inferred edge matched adds a soft edge); depcheck.dev/depends-on
 * (comma list: hard edges, not inferred, for what env cannot show).
 *
 * Limits: Secrets, other valueFrom sources, `$(VAR)` expansion,
 * args/command and volume-mounted files are not read; Services are matched by name only (ports are not checked);
 * only one level of `kind: List`.
 */
#include "k8s_int.h"
#include "telemetry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- pass 1: collect ---------------------------------------------------------- */

static const char *const workload_kinds[] = {
	"deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob", NULL
};

static int is_workload(const char *kind)
{
	const char *const *p;
	for (p = workload_kinds; *p; p++)
		if (!strcmp(kind, *p))
			return 1;
	return 0;
}

const char *k8s_str_of(const doc_node *n)
{
	const char *s = doc_str(n);
	return s && n->kind == DOC_SCALAR && n->n ? s : NULL;
}

static void add_ns(k8s *k, const char *ns)
{
	size_t i;
	for (i = 0; i < k->nss.len; i++)
		if (!strcmp(k->nss.items[i], ns))
			return;
	if (dc_vec_push(&k->nss, ns))
		k->rc = DC_ENOMEM;
}

int k8s_has_ns(const k8s *k, const char *ns, size_t len)
{
	size_t i;
	for (i = 0; i < k->nss.len; i++)
		if (strlen(k->nss.items[i]) == len && !strncmp(k->nss.items[i], ns, len))
			return 1;
	return 0;
}

/* A mapping-or-null field; an error (and NULL) when it is something else. */
const doc_node *k8s_get_map(load_ctx *c, const doc_node *m, const char *key, const char *what,
			       const char *name)
{
	const doc_node *v = m && m->kind == DOC_MAP ? doc_get(m, key) : NULL;
	if (!v || doc_is_null(v))
		return NULL;
	if (v->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be a mapping, not %s", what, name,
			 doc_type_name(v));
		return NULL;
	}
	return v;
}

/* Why workload w is a telemetry sink (interned), from the images of its
 * containers (every one of them: an app with a collector sidecar is no
 * sink) or its name; 0 when it is none. */
static uint32_t sink_of(load_ctx *c, const k8s_wl *w, int *rc)
{
	char why[300], one[300];
	uint32_t i, id;
	const doc_node *cs = w->pod ? doc_get(w->pod, "containers") : NULL;
	why[0] = '\0';
	for (i = 0; cs && cs->kind == DOC_SEQ && i < cs->n; i++) {
		const doc_node *ct = cs->u.kids[i];
		const char *img = ct && ct->kind == DOC_MAP ? k8s_str_of(doc_get(ct, "image")) : NULL;
		if (!img || !telemetry_sink(NULL, img, one, sizeof(one))) {
			why[0] = '\0';
			break;
		}
		if (!why[0])
			memcpy(why, one, sizeof(why));
	}
	if (!why[0] && !telemetry_sink(w->name, NULL, why, sizeof(why)))
		return 0;
	if (!(id = cat_intern(c->cat, why)))
		*rc = DC_ENOMEM;
	return id;
}

const doc_node *k8s_get_seq(load_ctx *c, const doc_node *m, const char *key, const char *what,
			       const char *name)
{
	const doc_node *v = m && m->kind == DOC_MAP ? doc_get(m, key) : NULL;
	if (!v || doc_is_null(v))
		return NULL;
	if (v->kind != DOC_SEQ) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be a list, not %s", what, name,
			 doc_type_name(v));
		return NULL;
	}
	return v;
}

static void collect_object(k8s *k, const doc_node *root, int allow_list)
{
	load_ctx *c = k->c;
	const doc_node *av, *kn, *meta, *nm, *nsn, *spec;
	const char *kind_s, *name, *ns = "default";
	char kind[16];
	size_t i;

	if (root->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, root, "a Kubernetes object must be a mapping with apiVersion "
			 "and kind, not %s", doc_type_name(root));
		return;
	}
	av = doc_get(root, "apiVersion");
	kn = doc_get(root, "kind");
	if (!av || !kn || doc_is_null(av) || doc_is_null(kn)) {
		ctx_diag(c, DC_SEV_WARNING, root, "document without %s; it is ignored",
			 !av || doc_is_null(av) ? "apiVersion" : "kind");
		return;
	}
	kind_s = k8s_str_of(kn);
	if (!kind_s || !k8s_str_of(av)) {
		const doc_node *bad = kind_s ? av : kn;
		ctx_diag(c, DC_SEV_ERROR, bad, "%s must be a string, not %s",
			 bad == av ? "apiVersion" : "kind", doc_type_name(bad));
		return;
	}
	for (i = 0; i < kn->n && i + 1 < sizeof(kind); i++)
		kind[i] = (char)tolower((unsigned char)kind_s[i]);
	kind[i] = '\0';
	if (kn->n >= sizeof(kind))
		return; /* no kind we read is that long */
	if (!strcmp(kind, "list")) {
		const doc_node *items = k8s_get_seq(c, root, "items", "items", "List");
		if (!allow_list) {
			ctx_diag(c, DC_SEV_WARNING, kn, "nested List ignored");
			return;
		}
		for (i = 0; items && i < items->n && !k->rc; i++)
			collect_object(k, items->u.kids[i], 0);
		return;
	}
	if (mesh_is_object(k8s_str_of(av), kind_s)) {
		mesh_collect(k, root, kind_s);
		return;
	}
	if (k8s_deploy_type(k8s_str_of(av), kind_s) >= 0) {
		k8s_deploy dp = { root, k8s_deploy_type(k8s_str_of(av), kind_s) };
		if (dc_vec_push(&k->deploys, dp))
			k->rc = DC_ENOMEM;
		return;
	}
	if (!is_workload(kind) && strcmp(kind, "service") && strcmp(kind, "configmap") &&
	    strcmp(kind, "namespace"))
		return; /* not a service, and nothing we read */
	meta = doc_get(root, "metadata");
	if (meta && !doc_is_null(meta) && meta->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, meta, "metadata of a %s must be a mapping, not %s", kind_s,
			 doc_type_name(meta));
		return;
	}
	nm = meta && meta->kind == DOC_MAP ? doc_get(meta, "name") : NULL;
	if (!nm || doc_is_null(nm)) {
		ctx_diag(c, is_workload(kind) ? DC_SEV_ERROR : DC_SEV_WARNING, nm ? nm : meta ? meta : kn,
			 "%s without metadata.name; it is ignored", kind_s);
		return;
	}
	name = k8s_str_of(nm);
	if (!name || nm->n > K8S_NAME_MAX) {
		ctx_diag(c, DC_SEV_ERROR, nm, "metadata.name of a %s must be a string of at most %d "
			 "characters, not %s", kind_s, K8S_NAME_MAX, name ? "a longer one" : doc_type_name(nm));
		return;
	}
	nsn = doc_get(meta, "namespace");
	if (nsn && !doc_is_null(nsn)) {
		ns = k8s_str_of(nsn);
		if (!ns || nsn->n > K8S_NAME_MAX || strchr(ns, '/')) {
			ctx_diag(c, DC_SEV_ERROR, nsn, "metadata.namespace of '%s' must be a name, not %s",
				 name, ns ? "that" : doc_type_name(nsn));
			return;
		}
	}
	if (!strcmp(kind, "namespace")) {
		add_ns(k, name);
		return;
	}
	add_ns(k, ns);
	spec = doc_get(root, "spec");
	if (spec && !doc_is_null(spec) && spec->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, spec, "spec of '%s' must be a mapping, not %s", name,
			 doc_type_name(spec));
		return;
	}
	if (!strcmp(kind, "configmap")) {
		k8s_cm cm;
		cm.ns = ns;
		cm.name = name;
		cm.data = k8s_get_map(c, root, "data", "data", name);
		cm.file_id = c->file_id;
		if (dc_vec_push(&k->cms, cm))
			k->rc = DC_ENOMEM;
	} else if (!strcmp(kind, "service")) {
		k8s_svc s;
		const char *type = spec ? k8s_str_of(doc_get(spec, "type")) : NULL;
		s.ns = ns;
		s.name = name;
		s.selector = k8s_get_map(c, spec, "selector", "spec.selector", name);
		s.external_name = type && !strcmp(type, "ExternalName");
		s.headless = spec && doc_scalar_is(doc_get(spec, "clusterIP"), "None");
		s.exposed = type && (!strcmp(type, "LoadBalancer") || !strcmp(type, "NodePort"));
		s.ann = k8s_get_map(c, meta, "annotations", "metadata.annotations", name);
		s.name_node = nm;
		if (dc_vec_push(&k->svcs, s))
			k->rc = DC_ENOMEM;
	} else if (!strcmp(kind, "ingress")) {
		k8s_ing ing;
		ing.ns = ns;
		ing.spec = spec;
		if (dc_vec_push(&k->ings, ing))
			k->rc = DC_ENOMEM;
	} else {
		k8s_wl w;
		const doc_node *t = spec;
		memset(&w, 0, sizeof(w));
		w.ns = ns;
		w.name = name;
		w.root = root;
		w.meta = meta;
		w.name_node = nm;
		w.spec = spec;
		w.id = DC_NO_ID;
		memcpy(w.kind, kind, sizeof(kind));
		if (!strcmp(kind, "cronjob")) {
			t = k8s_get_map(c, spec, "jobTemplate", "spec.jobTemplate", name);
			t = k8s_get_map(c, t, "spec", "spec.jobTemplate.spec", name);
		}
		t = k8s_get_map(c, t, "template", "the pod template", name);
		w.tmpl_meta = k8s_get_map(c, t, "metadata", "metadata of the pod template", name);
		w.pod = k8s_get_map(c, t, "spec", "spec of the pod template", name);
		w.labels = k8s_get_map(c, w.tmpl_meta, "labels", "labels of the pod template", name);
		if (!strcmp(kind, "statefulset") && spec)
			w.service_name = k8s_str_of(doc_get(spec, "serviceName"));
		if (w.pod) {
			w.hostname = k8s_str_of(doc_get(w.pod, "hostname"));
			w.subdomain = k8s_str_of(doc_get(w.pod, "subdomain"));
		}
		if (!(c->opts && c->opts->version >= 3 && (c->opts->flags & DC_LOAD_TELEMETRY_HARD)))
			w.sink = sink_of(c, &w, &k->rc);
		if (dc_vec_push(&k->wls, w))
			k->rc = DC_ENOMEM;
	}
}

/* ---- references ------------------------------------------------------------------ */

static int ieq_n(const char *a, const char *b, size_t blen)
{
	return strlen(a) == blen && strncasecmp(a, b, blen) == 0;
}

/* The Service `name` in namespace `ns` (names compared as DNS does: without case). */
const k8s_svc *k8s_find_svc(const k8s *k, const char *name, size_t nlen, const char *ns,
			       size_t nslen)
{
	size_t i;
	for (i = 0; i < k->svcs.len; i++) {
		const k8s_svc *s = &k->svcs.items[i];
		if (ieq_n(s->name, name, nlen) && ieq_n(s->ns, ns, nslen))
			return s;
	}
	return NULL;
}

/* Does the Service select the workload? selector ⊆ pod template labels. */
int k8s_selects(const k8s_svc *s, const k8s_wl *w)
{
	uint32_t i;
	if (!s->selector || s->selector->n == 0 || strcmp(s->ns, w->ns) || !w->labels)
		return 0;
	for (i = 0; i < s->selector->n; i++) {
		const doc_node *key = s->selector->u.kids[2 * i], *v = s->selector->u.kids[2 * i + 1];
		const doc_node *l = key->kind == DOC_SCALAR ? doc_get(w->labels, key->u.s) : NULL;
		const char *a = doc_str(v), *b = doc_str(l);
		if (!a || !b || v->kind != DOC_SCALAR || l->kind != DOC_SCALAR || strcmp(a, b))
			return 0;
	}
	return 1;
}

static int soft_match(wl_ctx *x, const char *name)
{
	size_t i;
	int hit = 0;
	for (i = 0; i < x->soft.len; i++) {
		soft_name *sn = &x->soft.items[i];
		if (strlen(name) == sn->len && !strncmp(name, sn->s, sn->len)) {
			sn->used = 1;
			hit = 1;
		}
	}
	return hit;
}

void k8s_add_edge(wl_ctx *x, const doc_node *at, uint32_t target, const char *origin,
		     uint8_t flags, uint8_t kind)
{
	load_ctx *c = x->k->c;
	dep_t d;
	char why[400];
	if (x->k->rc || x->w->id == DC_NO_ID)
		return;
	/* a value of a telemetry endpoint variable: soft (telemetry.h) */
	if (kind == DC_DEP_HARD && (flags & DEP_INFERRED) && !strncmp(origin, "env ", 4) &&
	    telemetry_env(origin + 4, strlen(origin + 4)) &&
	    !(c->opts && c->opts->version >= 3 && (c->opts->flags & DC_LOAD_TELEMETRY_HARD))) {
		snprintf(why, sizeof(why), "%s; soft: a telemetry endpoint", origin);
		origin = why;
		kind = DC_DEP_SOFT;
	}
	cat_dep_init(&d, x->w->id, target, ctx_loc(c, at));
	d.timeout_ms = c->def_timeout_ms;
	d.retries = c->def_retries;
	d.flags = (uint8_t)(flags | x->startup);
	d.kind = kind;
	/* read as soft because of telemetry: a telemetry edge (dep_telemetry) */
	d.telemetry = kind == DC_DEP_SOFT && strstr(origin, "; soft: ") != NULL;
	d.origin = cat_intern(c->cat, origin);
	if (!d.origin)
		x->k->rc = ctx_fail(c, DC_ENOMEM);
	else if (ctx_add_dep(c, &d))
		x->k->rc = c->status;
}

/* Could a pod of workload w answer to `host.<service>` (headless Service
 * s)? A StatefulSet governed by s names its pods `<name>-<ordinal>`; any
 * pod template may set spec.hostname and spec.subdomain. */
static int pod_of(const k8s_wl *w, const k8s_svc *s, const char *host, size_t hl)
{
	size_t n = strlen(w->name), i;
	if (w->hostname && w->subdomain && ieq_n(w->hostname, host, hl) && !strcasecmp(w->subdomain, s->name))
		return 1;
	if (strcmp(w->kind, "statefulset") || !w->service_name || strcasecmp(w->service_name, s->name) ||
	    hl < n + 2 || strncasecmp(host, w->name, n) || host[n] != '-')
		return 0;
	for (i = n + 1; i < hl; i++)
		if (!isdigit((unsigned char)host[i]))
			return 0;
	return 1;
}

/* Edges to the workloads a Service selects; 0 when it selects none. With
 * a pod hostname (`pod`, a name under a headless Service), only to the
 * workloads whose pods carry it, when one does (else to all). */
int k8s_edges_to_service(wl_ctx *x, const k8s_svc *s, const doc_node *at, const char *origin,
			    uint8_t flags, int soft_svc, const char *pod, size_t podlen)
{
	k8s *k = x->k;
	size_t si = (size_t)(s - k->svcs.items), i, nsel;
	const uint32_t *sel;
	int n = 0, narrow = 0;
	if (!k->sel_off[si]) {
		/* once per Service, not once per reference */
		k->sel_off[si] = k->sel.len + 1;
		for (i = 0; i < k->wls.len; i++)
			if (k8s_selects(s, &k->wls.items[i]) && dc_vec_push(&k->sel, (uint32_t)i)) {
				k->rc = ctx_fail(k->c, DC_ENOMEM);
				return 1;
			}
		k->sel_len[si] = k->sel.len - (k->sel_off[si] - 1);
	}
	sel = k->sel.items + (k->sel_off[si] - 1);
	nsel = k->sel_len[si];
	/* one Service selecting thousands of workloads, named by thousands:
	 * bounded before a single edge is made (DC_EXPAND_MIN_EDGES) */
	if (k->c->cat->expanded > k->expand_limit || nsel > k->expand_limit - k->c->cat->expanded) {
		ctx_diag(k->c, DC_SEV_ERROR, at, "Service '%s' named in %s of '%s' selects %zu workloads: the "
			 "Service references of the input expand to more than %zu inferred dependencies "
			 "(limit %zu, one per byte of the input, for every edge that multiplies; see "
			 "--input-limit dependencies)", s->name, origin, x->w->name, nsel, k->expand_limit,
			 k->expand_limit);
		k->rc = ctx_fail(k->c, DC_ELIMIT);
		return 1;
	}
	k->c->cat->expanded += nsel;
	for (i = 0; pod && i < nsel && !narrow; i++)
		narrow = pod_of(&k->wls.items[sel[i]], s, pod, podlen);
	for (i = 0; i < nsel; i++) {
		const k8s_wl *t = &k->wls.items[sel[i]];
		if (narrow && !pod_of(t, s, pod, podlen))
			continue;
		n++;
		if (t == x->w || t->id == DC_NO_ID)
			continue; /* a workload talking to itself (its own address) */
		if (!soft_svc && !soft_match(x, t->name) && (t->sink || x->w->sink)) {
			char why[400];
			snprintf(why, sizeof(why), "%s; soft: %s is a telemetry sink (%s)", origin,
				 t->sink ? t->name : x->w->name,
				 cat_str(x->k->c->cat, t->sink ? t->sink : x->w->sink));
			k8s_add_edge(x, at, t->ref, why, flags, DC_DEP_SOFT);
			continue;
		}
		k8s_add_edge(x, at, t->ref, origin, flags,
			 soft_svc || soft_match(x, t->name) ? DC_DEP_SOFT : DC_DEP_HARD);
	}
	return n;
}

/* What a host means to the cluster DNS of a pod (docs/inputs.md,
 * "Kubernetes"; the record forms of the Kubernetes DNS specification, and
 * the search path <ns>.svc.<zone>, svc.<zone>, <zone> of a pod in <ns>). */


void k8s_classify(const k8s *k, const hostref *h, const char *own, k8s_name *r)
{
	const char *l[4] = { NULL, NULL, NULL, NULL };
	size_t n[4] = { 0, 0, 0, 0 };
	unsigned i, svc_at = 0;
	int srv = (h->flags & HOSTREF_SRV) != 0;
	const k8s_svc *s;
	memset(r, 0, sizeof(*r));
	r->ns = own;
	r->nl = strlen(own);
	for (i = 0; i < h->labels && i < 4; i++)
		hostref_label(h, i, &l[i], &n[i]);
	for (i = 2; i <= 3 && i < h->labels; i++)
		if (n[i] == 3 && !memcmp(l[i], "svc", 3)) {
			svc_at = i;
			break;
		}
	if (svc_at) {
		/* <service>.<ns>.svc[.<zone>] or <pod>.<service>.<ns>.svc[.<zone>]:
		 * any zone (the cluster domain is not in the manifests); an
		 * absolute name needs one */
		if ((h->flags & HOSTREF_ABSOLUTE) && svc_at + 1 == h->labels)
			return;
		if (svc_at == 3 && srv)
			return; /* SRV records are per Service, not per pod */
		r->qualified = 1;
		r->form = svc_at == 2 ? NAME_SVC : NAME_POD;
		r->pod = l[0];
		r->pl = n[0];
		r->svc = l[svc_at - 2];
		r->sl = n[svc_at - 2];
		r->ns = l[svc_at - 1];
		r->nl = n[svc_at - 1];
		return;
	}
	if (h->flags & HOSTREF_ABSOLUTE)
		return; /* fully qualified, and not in the cluster's zone */
	switch (h->labels) {
	case 1: /* <service>, through <own>.svc.<zone> */
		if (!(h->flags & HOSTREF_MARKED) && (h->flags & HOSTREF_OPTION))
			return; /* `key=word`: a word, not an address */
		r->form = NAME_SVC;
		r->qualified = (h->flags & HOSTREF_MARKED) != 0;
		r->svc = l[0];
		r->sl = n[0];
		return;
	case 2: /* <pod>.<service> in <own> first, then <service>.<ns> */
		s = srv ? NULL : k8s_find_svc(k, l[1], n[1], own, strlen(own));
		if (s && (s->headless || !k8s_has_ns(k, l[1], n[1]))) {
			r->form = NAME_POD;
			r->pod = l[0];
			r->pl = n[0];
			r->svc = l[1];
			r->sl = n[1];
		} else if (k8s_has_ns(k, l[1], n[1])) {
			r->form = NAME_SVC;
			r->qualified = 1;
			r->svc = l[0];
			r->sl = n[0];
			r->ns = l[1];
			r->nl = n[1];
		}
		return;
	case 3: /* <pod>.<service>.<ns>, through svc.<zone> */
		if (!srv && k8s_has_ns(k, l[2], n[2]) && k8s_find_svc(k, l[1], n[1], l[2], n[2])) {
			r->form = NAME_POD;
			r->pod = l[0];
			r->pl = n[0];
			r->svc = l[1];
			r->sl = n[1];
			r->ns = l[2];
			r->nl = n[2];
		}
		return;
	default:
		return; /* a public name */
	}
}

/* Is `ref` the ref of a workload of the input? */
static int is_workload_ref(const k8s *k, uint32_t ref)
{
	size_t w;
	for (w = 0; w < k->wls.len; w++)
		if (k->wls.items[w].ref == ref)
			return 1;
	return 0;
}

/* An edge to an external service named `name` (a host no Service of the
 * input answers to), warned about at finalize. */
void k8s_external_edge(wl_ctx *x, const doc_node *v, const char *name, size_t len, const char *origin)
{
	k8s *k = x->k;
	char q[2 * HOSTREF_NAME_MAX + 2];
	uint32_t tid = cat_intern_n(k->c->cat, name, len);
	if (!tid) {
		k->rc = DC_ENOMEM;
		return;
	}
	if (tid == x->w->ref)
		return; /* its own address, without a Service */
	/* when that text is also a workload's ref (a workload without a
	 * Service, or one in another namespace), qualify it as DNS would:
	 * host.namespace */
	if (is_workload_ref(k, tid)) {
		snprintf(q, sizeof(q), "%.*s.%s", (int)len, name, x->w->ns);
		if (!(tid = cat_intern(k->c->cat, q))) {
			k->rc = DC_ENOMEM;
			return;
		}
	}
	k8s_add_edge(x, v, tid, origin, DEP_INFERRED | DEP_QUIET_DUP | DEP_WARN_UNRESOLVED,
		 soft_match(x, cat_str(k->c->cat, tid)) ? DC_DEP_SOFT : DC_DEP_HARD);
}

typedef struct {
	wl_ctx *x;
	const doc_node *v;
	const char *origin;
} value_scan;

static int on_host(void *arg, const hostref *h)
{
	value_scan *vs = arg;
	wl_ctx *x = vs->x;
	k8s *k = x->k;
	k8s_name r;
	const k8s_svc *s;
	if (k->rc)
		return 1;
	if (memchr(h->name, '_', h->len))
		return 0; /* no Kubernetes name has a '_' */
	if (mesh_service_entry_edge(x, h, vs->v, vs->origin))
		return k->rc ? 1 : 0; /* a host a ServiceEntry declares */
	k8s_classify(k, h, x->w->ns, &r);
	if (r.form == NAME_NONE)
		return 0;
	s = k8s_find_svc(k, r.svc, r.sl, r.ns, r.nl);
	if (s && r.form == NAME_POD && !s->headless) {
		ctx_diag(k->c, DC_SEV_WARNING, vs->v, "'%s' in %s of '%s' names a pod of Service '%s', "
			 "which is not headless (spec.clusterIP: None): cluster DNS has no record for it; "
			 "no dependency is inferred", h->name, vs->origin, x->w->name, s->name);
	} else if (s && s->external_name) {
		ctx_diag(k->c, DC_SEV_WARNING, vs->v, "Service '%s' named in %s of '%s' is an "
			 "ExternalName service; no dependency is inferred", s->name, vs->origin,
			 x->w->name);
	} else if (s) {
		if (!k8s_edges_to_service(x, s, vs->v, vs->origin, DEP_INFERRED | DEP_QUIET_DUP,
				      soft_match(x, s->name), r.form == NAME_POD ? r.pod : NULL, r.pl))
			ctx_diag(k->c, DC_SEV_WARNING, vs->v, "Service '%s' named in %s of '%s' selects "
				 "no workload in the input; no dependency is inferred", s->name,
				 vs->origin, x->w->name);
	} else if (r.qualified) {
		/* named after the Service's address: the pods of one Service are one external */
		const char *name = r.form == NAME_POD ? r.svc : h->name;
		k8s_external_edge(x, vs->v, name, h->len - (size_t)(name - h->name), vs->origin);
	}
	return k->rc ? 1 : 0;
}

static void scan_value(wl_ctx *x, const doc_node *v, const char *origin)
{
	value_scan vs;
	vs.x = x;
	vs.v = v;
	vs.origin = origin;
	hostref_scan(v->u.s, v->n, on_host, &vs);
}

/* ---- pass 2: workloads -------------------------------------------------------------- */

/* The ConfigMap `name` of the workload's namespace: of its file, else of
 * another file of the input; NULL when the input has none (defined elsewhere). */
static const k8s_cm *find_cm(const k8s *k, const char *name, const char *ns)
{
	size_t m;
	for (m = 0; m < k->cms.len; m++)
		if (!strcmp(k->cms.items[m].name, name) && !strcmp(k->cms.items[m].ns, ns))
			return &k->cms.items[m];
	for (m = 0; k->all_cms && m < k->all_cms->len; m++)
		if (!strcmp(k->all_cms->items[m].name, name) && !strcmp(k->all_cms->items[m].ns, ns))
			return &k->all_cms->items[m];
	return NULL;
}

/* Scan a data value of ConfigMap cm: an edge points at the value, in the
 * ConfigMap's file (which may not be the workload's). */
static void scan_cm_value(wl_ctx *x, const k8s_cm *cm, const doc_node *dv, const char *origin)
{
	k8s *k = x->k;
	load_ctx *own = k->c, other;
	if (cm->file_id == own->file_id) {
		scan_value(x, dv, origin);
		return;
	}
	other = *own;
	other.file_id = cm->file_id;
	other.file = cat_file_name(own->cat, cm->file_id);
	k->c = &other;
	scan_value(x, dv, origin);
	k->c = own;
	if (other.status && !own->status)
		own->status = other.status;
}

/* env[].valueFrom.configMapKeyRef {name, key, optional}: the value of that
 * key, when the ConfigMap is in the input. */
static void config_map_key(wl_ctx *x, const doc_node *ref, const char *env)
{
	k8s *k = x->k;
	const k8s_cm *cm;
	const char *cmn, *key;
	const doc_node *dv;
	char origin[600];
	if (!ref || ref->kind != DOC_MAP)
		return;
	cmn = k8s_str_of(doc_get(ref, "name"));
	key = k8s_str_of(doc_get(ref, "key"));
	if (!cmn || !key) {
		ctx_diag(k->c, DC_SEV_ERROR, ref, "configMapKeyRef of env %s of '%s' needs a name and a key",
			 env, x->w->name);
		return;
	}
	if (!(cm = find_cm(k, cmn, x->w->ns)) || !cm->data)
		return; /* defined elsewhere: nothing to read */
	dv = doc_get(cm->data, key);
	if (!dv) {
		const doc_node *opt = doc_get(ref, "optional");
		if (!opt || !doc_scalar_is(opt, "true"))
			ctx_diag(k->c, DC_SEV_WARNING, doc_get(ref, "key"), "env %s of '%s' reads key '%s' of "
				 "ConfigMap '%s', which has no such key: the pod would not start", env,
				 x->w->name, key, cmn);
		return;
	}
	if (dv->kind != DOC_SCALAR || doc_is_null(dv))
		return;
	snprintf(origin, sizeof(origin), "configmap %.250s/%.250s", cmn, key);
	scan_cm_value(x, cm, dv, origin);
}

static void scan_container(wl_ctx *x, const doc_node *ctr)
{
	k8s *k = x->k;
	load_ctx *c = k->c;
	const char *wn = x->w->name;
	const doc_node *env, *from;
	char origin[600];
	uint32_t i, j;
	if (ctr->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, ctr, "a container of '%s' must be a mapping, not %s", wn,
			 doc_type_name(ctr));
		return;
	}
	env = k8s_get_seq(c, ctr, "env", "env of a container", wn);
	for (i = 0; env && i < env->n && !k->rc; i++) {
		const doc_node *e = env->u.kids[i], *n, *v;
		const char *name;
		if (e->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, e, "an env entry of '%s' must be a mapping, not %s", wn,
				 doc_type_name(e));
			continue;
		}
		n = doc_get(e, "name");
		v = doc_get(e, "value");
		if (!v || doc_is_null(v)) {
			const doc_node *vf = doc_get(e, "valueFrom");
			if (vf && vf->kind == DOC_MAP && (name = k8s_str_of(n)) != NULL)
				config_map_key(x, doc_get(vf, "configMapKeyRef"), name);
			continue; /* other valueFrom sources, or empty */
		}
		if (!(name = k8s_str_of(n))) {
			ctx_diag(c, DC_SEV_ERROR, n ? n : e, "an env entry of '%s' needs a string name", wn);
			continue;
		}
		if (v->kind != DOC_SCALAR) {
			ctx_diag(c, DC_SEV_ERROR, v, "value of env %s of '%s' must be a string, not %s",
				 name, wn, doc_type_name(v));
			continue;
		}
		snprintf(origin, sizeof(origin), "env %.500s", name);
		scan_value(x, v, origin);
	}
	from = k8s_get_seq(c, ctr, "envFrom", "envFrom of a container", wn);
	for (i = 0; from && i < from->n && !k->rc; i++) {
		const doc_node *e = from->u.kids[i], *ref, *n;
		const k8s_cm *cm;
		const char *cmn;
		if (e->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, e, "an envFrom entry of '%s' must be a mapping, not %s",
				 wn, doc_type_name(e));
			continue;
		}
		ref = k8s_get_map(c, e, "configMapRef", "envFrom configMapRef", wn);
		if (!ref)
			continue; /* secretRef: not read */
		n = doc_get(ref, "name");
		if (!(cmn = k8s_str_of(n))) {
			ctx_diag(c, DC_SEV_ERROR, n ? n : ref, "configMapRef of '%s' needs a string name", wn);
			continue;
		}
		cm = find_cm(k, cmn, x->w->ns);
		if (!cm || !cm->data)
			continue; /* defined elsewhere: nothing to read */
		for (j = 0; j < cm->data->n && !k->rc; j++) {
			const doc_node *dk = cm->data->u.kids[2 * j], *dv = cm->data->u.kids[2 * j + 1];
			if (dk->kind != DOC_SCALAR || dv->kind != DOC_SCALAR || doc_is_null(dv))
				continue;
			snprintf(origin, sizeof(origin), "configmap %.250s/%.250s", cm->name, dk->u.s);
			scan_cm_value(x, cm, dv, origin);
		}
	}
}

static void name_list(wl_ctx *x, const doc_node *v, const char *key,
		      void (*fn)(wl_ctx *, const doc_node *, const char *, size_t))
{
	const char *p, *a;
	size_t len;
	if (v->kind != DOC_SCALAR || doc_is_null(v)) {
		ctx_diag(x->k->c, DC_SEV_ERROR, v, "%s of '%s' must be a comma-separated list of names, "
			 "not %s", key, x->w->name, doc_type_name(v));
		return;
	}
	p = v->u.s;
	while (!x->k->rc && doc_next_item(&p, v->u.s + v->n, &a, &len))
		fn(x, v, a, len);
}

static void soft_item(wl_ctx *x, const doc_node *at, const char *s, size_t len)
{
	soft_name sn;
	sn.s = s;
	sn.len = len;
	sn.at = at;
	sn.used = 0;
	if (dc_vec_push(&x->soft, sn))
		x->k->rc = DC_ENOMEM;
}

/* An edge written in an annotation: to the workloads of a Service of that
 * name in the workload's namespace, else to the name itself (a workload
 * ref, or another service of the catalog). */
static void named_edge(wl_ctx *x, const doc_node *at, const char *s, size_t len, const char *origin,
		       uint8_t kind)
{
	const k8s_svc *svc = k8s_find_svc(x->k, s, len, x->w->ns, strlen(x->w->ns));
	uint32_t t;
	if (svc && k8s_edges_to_service(x, svc, at, origin, DEP_QUIET_DUP, kind == DC_DEP_SOFT, NULL, 0))
		return;
	if (len == strlen(x->w->name) && !strncmp(s, x->w->name, len))
		return;
	t = cat_intern_n(x->k->c->cat, s, len);
	if (!t)
		x->k->rc = DC_ENOMEM;
	else
		k8s_add_edge(x, at, t, origin, DEP_QUIET_DUP, kind);
}

static void depends_item(wl_ctx *x, const doc_node *at, const char *s, size_t len)
{
	named_edge(x, at, s, len, "annotation depcheck.dev/depends-on", DC_DEP_HARD);
}

/* Attribute annotations; the lists are handled by the caller's passes. */
static void annotations(wl_ctx *x, const doc_node *m, int lists)
{
	static const char *const attrs[][2] = {
		{ "tier", "tier" }, { "replicas", "replicas" }, { "zones", "zones" },
		{ "availability", "availability" }, { "slo", "slo" }, { "latency-ms", "latency_ms" },
		{ "traffic-rps", "traffic_rps" }, { "capacity-rps", "capacity_rps" },
		{ "max-concurrency", "max_concurrency" }, { "entrypoint", "entrypoint" }, { "owner", "owner" }, { "system", "system" },
		{ "description", "description" }, { NULL, NULL }
	};
	uint32_t i;
	if (!m)
		return;
	for (i = 0; i < m->n && !x->k->rc; i++) {
		const doc_node *k = m->u.kids[2 * i], *v = m->u.kids[2 * i + 1];
		const char *key;
		int a;
		if (k->kind != DOC_SCALAR || strncmp(k->u.s, "depcheck.dev/", 13) != 0)
			continue; /* other tools' annotations */
		key = k->u.s + 13;
		if (!strcmp(key, "soft-dependencies")) {
			if (lists == 1)
				name_list(x, v, k->u.s, soft_item);
			continue;
		}
		if (!strcmp(key, "depends-on")) {
			if (lists == 2)
				name_list(x, v, k->u.s, depends_item);
			continue;
		}
		if (lists)
			continue;
		for (a = 0; attrs[a][0]; a++)
			if (!strcmp(key, attrs[a][0]))
				break;
		if (!attrs[a][0]) {
			ctx_diag(x->k->c, DC_SEV_WARNING, k, "unknown annotation '%s' on '%s'", k->u.s,
				 x->w->name);
			continue;
		}
		attr_set(x->k->c, x->w->id, attrs[a][1], v, 1);
	}
}

/* zones: a required node affinity `topology.kubernetes.io/zone In [..]`. */
static void affinity_zones(wl_ctx *x)
{
	const doc_node *terms = doc_get(doc_get(doc_get(doc_get(x->w->pod, "affinity"), "nodeAffinity"),
			"requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
	uint32_t i, j;
	if (!terms || terms->kind != DOC_SEQ)
		return;
	for (i = 0; i < terms->n; i++) {
		const doc_node *ex = doc_get(terms->u.kids[i], "matchExpressions");
		for (j = 0; ex && ex->kind == DOC_SEQ && j < ex->n; j++) {
			const doc_node *e = ex->u.kids[j], *vals;
			if (!doc_scalar_is(doc_get(e, "key"), "topology.kubernetes.io/zone") ||
			    !doc_scalar_is(doc_get(e, "operator"), "In"))
				continue;
			vals = doc_get(e, "values");
			if (vals)
				attr_set(x->k->c, x->w->id, "zones", vals, 0);
			return;
		}
	}
}

/* The command and args of an init container: the hosts a wait loop names
 * (`until nc -z db 5432`, `wait-for-it db:5432`, `pg_isready -h db`). */
static void scan_init_command(wl_ctx *x, const doc_node *ctr)
{
	static const char *const keys[] = { "command", "args" };
	int k;
	uint32_t i;
	char origin[80];
	if (ctr->kind != DOC_MAP)
		return;
	for (k = 0; k < 2 && !x->k->rc; k++) {
		const doc_node *seq = k8s_get_seq(x->k->c, ctr, keys[k], keys[k], x->w->name);
		snprintf(origin, sizeof(origin), "initContainer %s", keys[k]);
		for (i = 0; seq && i < seq->n && !x->k->rc; i++)
			if (seq->u.kids[i]->kind == DOC_SCALAR && !doc_is_null(seq->u.kids[i]))
				scan_value(x, seq->u.kids[i], origin);
	}
}

/* Init containers run to completion before the main ones start: what only
 * they name is a startup edge (DEP_STARTUP); a host the main containers
 * name too stays a runtime edge (the duplicates merge at finalize, and an
 * edge is startup-only when every declaration of it is). */
static void scan_pod(wl_ctx *x)
{
	static const char *const lists[] = { "initContainers", "containers" };
	int l;
	uint32_t i;
	for (l = 0; l < 2 && !x->k->rc; l++) {
		const doc_node *cs = k8s_get_seq(x->k->c, x->w->pod, lists[l], lists[l], x->w->name);
		x->startup = l == 0 ? DEP_STARTUP : 0;
		for (i = 0; cs && i < cs->n && !x->k->rc; i++) {
			scan_container(x, cs->u.kids[i]);
			if (l == 0)
				scan_init_command(x, cs->u.kids[i]);
		}
	}
	x->startup = 0;
}

static void create_workload(k8s *k, k8s_wl *w)
{
	load_ctx *c = k->c;
	char buf[2 * K8S_NAME_MAX + 2];
	size_t i;
	int dup = 0, rc;
	const doc_node *v, *labels, *tn;
	uint32_t tag;
	for (i = 0; i < k->wls.len; i++)
		if (&k->wls.items[i] != w && !strcmp(k->wls.items[i].name, w->name))
			dup = 1;
	snprintf(buf, sizeof(buf), "%s/%s", w->ns, w->name);
	w->ref = cat_intern(c->cat, dup ? buf : w->name);
	if (!w->ref) {
		k->rc = DC_ENOMEM;
		return;
	}
	rc = ctx_new_service(c, w->ref, w->name_node, &w->id);
	if (rc) {
		if (rc < 0)
			k->rc = rc;
		w->id = DC_NO_ID; /* defined twice: reported, the first stands */
		return;
	}
	tag = cat_intern(c->cat, w->kind);
	if (!tag || cat_set_list(c->cat, &cat_svc(c->cat, w->id)->tags, &cat_svc(c->cat, w->id)->ntags,
				 &tag, 1)) {
		k->rc = DC_ENOMEM;
		return;
	}
	if (w->spec && (v = doc_get(w->spec, "replicas")) != NULL && !doc_is_null(v))
		attr_set(c, w->id, "replicas", v, 0);
	labels = k8s_get_map(c, w->meta, "labels", "metadata.labels", w->name);
	if (labels && (tn = doc_get(labels, "app.kubernetes.io/part-of")) != NULL && k8s_str_of(tn))
		attr_set(c, w->id, "system", tn, 1);
}

static void load_workload(k8s *k, k8s_wl *w)
{
	wl_ctx x;
	const doc_node *ann[2];
	int a;
	size_t i;
	memset(&x, 0, sizeof(x));
	x.k = k;
	x.w = w;
	if (w->id == DC_NO_ID)
		return;
	ann[0] = k8s_get_map(k->c, w->meta, "annotations", "metadata.annotations", w->name);
	ann[1] = k8s_get_map(k->c, w->tmpl_meta, "annotations", "annotations of the pod template", w->name);
	for (a = 0; a < 2; a++)
		annotations(&x, ann[a], 0);
	affinity_zones(&x);
	for (a = 0; a < 2; a++)
		annotations(&x, ann[a], 1);
	scan_pod(&x);
	for (a = 0; a < 2; a++)
		annotations(&x, ann[a], 2);
	for (i = 0; i < x.soft.len && !k->rc; i++) {
		soft_name *sn = &x.soft.items[i];
		if (!sn->used)
			named_edge(&x, sn->at, sn->s, sn->len, "annotation depcheck.dev/soft-dependencies",
				   DC_DEP_SOFT);
	}
	dc_vec_free(&x.soft);
}

/* Mark the Service named `name` in `ns` as reached from outside. */
static void expose_service(k8s *k, const char *ns, const doc_node *name)
{
	const char *n = k8s_str_of(name);
	size_t i;
	if (!n)
		return;
	for (i = 0; i < k->svcs.len; i++)
		if (!strcmp(k->svcs.items[i].ns, ns) && !strcmp(k->svcs.items[i].name, n))
			k->svcs.items[i].exposed = 1;
}

/* The Services an Ingress routes to: spec.defaultBackend and every
 * rules[].http.paths[].backend, as `service.name` (networking.k8s.io/v1) or
 * `serviceName` (the older extensions/v1beta1). */
static void ingress_backends(k8s *k, const k8s_ing *ing)
{
	const doc_node *rules = doc_get(ing->spec, "rules"), *def = doc_get(ing->spec, "defaultBackend");
	uint32_t i, j;
	const doc_node *backends[2];
	backends[0] = def ? def : doc_get(ing->spec, "backend");
	backends[1] = NULL;
	for (i = 0; backends[i]; i++) {
		const doc_node *b = backends[i];
		if (b->kind != DOC_MAP)
			continue;
		expose_service(k, ing->ns, doc_get(doc_get(b, "service"), "name"));
		expose_service(k, ing->ns, doc_get(b, "serviceName"));
	}
	if (!rules || rules->kind != DOC_SEQ)
		return;
	for (i = 0; i < rules->n; i++) {
		const doc_node *paths = doc_get(doc_get(rules->u.kids[i], "http"), "paths");
		if (!paths || paths->kind != DOC_SEQ)
			continue;
		for (j = 0; j < paths->n; j++) {
			const doc_node *b = doc_get(paths->u.kids[j], "backend");
			if (!b || b->kind != DOC_MAP)
				continue;
			expose_service(k, ing->ns, doc_get(doc_get(b, "service"), "name"));
			expose_service(k, ing->ns, doc_get(b, "serviceName"));
		}
	}
}

/* Workloads behind a LoadBalancer or NodePort Service, or behind an
 * Ingress, take user traffic: they are entrypoints (an annotation
 * depcheck.dev/entrypoint, read later, still has the last word). */
static void mark_entrypoints(k8s *k)
{
	size_t i, j;
	for (i = 0; i < k->ings.len; i++)
		if (k->ings.items[i].spec && k->ings.items[i].spec->kind == DOC_MAP)
			ingress_backends(k, &k->ings.items[i]);
	for (i = 0; i < k->svcs.len; i++) {
		const k8s_svc *s = &k->svcs.items[i];
		if (!s->exposed || s->external_name)
			continue;
		for (j = 0; j < k->wls.len; j++) {
			const k8s_wl *w = &k->wls.items[j];
			if (w->id != DC_NO_ID && k8s_selects(s, w))
				cat_svc(k->c->cat, w->id)->flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
		}
	}
}

/* An apiVersion and a kind (Backstage's apiVersion claims more). */
int kubernetes_detect(const doc_node *root)
{
	return doc_str(doc_get(root, "apiVersion")) && doc_str(doc_get(root, "kind")) ? DETECT_API
										     : DETECT_NO;
}

/* Pass 1 over one file's documents. */
static void collect_all(k8s *k, const doc_stream *ds)
{
	size_t d, i;
	for (d = 0; d < ds->docs.len && !k->rc; d++) {
		const doc_node *root = ds->docs.items[d];
		if (!root || doc_is_null(root))
			continue; /* empty document: `---` twice, a Helm template that rendered nothing */
		if (root->kind == DOC_SEQ) {
			for (i = 0; i < root->n && !k->rc; i++)
				collect_object(k, root->u.kids[i], 1);
			continue;
		}
		collect_object(k, root, 1);
	}
}

static void k8s_free_lists(k8s *k)
{
	dc_vec_free(&k->wls);
	dc_vec_free(&k->svcs);
	dc_vec_free(&k->ings);
	dc_vec_free(&k->cms);
	dc_vec_free(&k->nss);
	dc_vec_free(&k->mesh);
	dc_vec_free(&k->se_hosts);
	dc_vec_free(&k->deploys);
}

/* One file: its objects, then its workloads (all_cms: the ConfigMaps of
 * the other files, or NULL). */
static int load_file(load_ctx *c, const doc_stream *ds, const k8s_cm_vec *all_cms)
{
	k8s k;
	size_t i;
	int rc;
	memset(&k, 0, sizeof(k));
	k.c = c;
	k.all_cms = all_cms;
	collect_all(&k, ds);
	for (i = 0; i < k.wls.len && !k.rc; i++)
		create_workload(&k, &k.wls.items[i]);
	for (i = 0; i < k.wls.len && !k.rc; i++)
		if (k.wls.items[i].id != DC_NO_ID)
			k8s_deploy_record(&k, k.wls.items[i].root, DEPLOY_RESOURCE, k.wls.items[i].ref);
	for (i = 0; i < k.deploys.len && !k.rc; i++)
		k8s_deploy_record(&k, k.deploys.items[i].root, k.deploys.items[i].type, 0);
	if (!k.rc)
		mark_entrypoints(&k);
	/* the catalog's budget, shared by every file (DC_EXPAND_MIN_EDGES) */
	k.expand_limit = cat_expand_limit(c->cat, c->max_deps);
	k.sel_off = calloc(k.svcs.len + 1, sizeof(size_t));
	k.sel_len = calloc(k.svcs.len + 1, sizeof(size_t));
	if (!k.rc && (!k.sel_off || !k.sel_len))
		k.rc = ctx_fail(c, DC_ENOMEM);
	for (i = 0; i < k.wls.len && !k.rc; i++)
		load_workload(&k, &k.wls.items[i]);
	if (!k.rc)
		mesh_load(&k);
	free(k.sel_off);
	free(k.sel_len);
	dc_vec_free(&k.sel);
	rc = k.rc;
	k8s_free_lists(&k);
	return rc;
}

int load_kubernetes(load_ctx *c, const doc_stream *ds)
{
	return load_file(c, ds, NULL);
}

/* ---- the input's files, loaded together at finalize ------------------------------------ */

typedef struct {
	doc_stream ds;
	uint32_t file_id;
	size_t file_len;           /* its size */
} kfile;

typedef struct {
	DC_VEC(kfile) files;
	load_ctx tmpl;             /* defaults and limits of the first file; pointers reset */
	dc_load_options opts;      /* the flags the loader reads (telemetry) */
} kstate;

static void kstate_free(void *arg)
{
	kstate *st = arg;
	size_t i;
	if (!st)
		return;
	for (i = 0; i < st->files.len; i++)
		doc_stream_free(&st->files.items[i].ds);
	dc_vec_free(&st->files);
	free(st);
}

static int flush_files(dc_catalog *cat, dc_diags *diags)
{
	kstate *st = cat->k8s;
	k8s_cm_vec all = {0};
	dc_diags *quiet = NULL;
	size_t f, m;
	int rc = 0;
	if (!st || !st->files.len)
		return 0;
	/* the ConfigMaps of every file, collected quietly (each file's own
	 * diagnostics come with its load below) */
	if (dc_diags_new(&quiet))
		return DC_ENOMEM;
	for (f = 0; f < st->files.len && !rc; f++) {
		k8s k;
		load_ctx c = st->tmpl;
		memset(&k, 0, sizeof(k));
		c.cat = cat;
		c.diags = quiet;
		c.file_id = st->files.items[f].file_id;
		c.file = cat_file_name(cat, c.file_id);
		k.c = &c;
		collect_all(&k, &st->files.items[f].ds);
		for (m = 0; m < k.cms.len && !k.rc; m++)
			if (dc_vec_push(&all, k.cms.items[m]))
				k.rc = DC_ENOMEM;
		rc = k.rc;
		k8s_free_lists(&k);
	}
	dc_diags_free(quiet);
	for (f = 0; f < st->files.len && rc != DC_ENOMEM; f++) {
		load_ctx c = st->tmpl;
		int r;
		c.cat = cat;
		c.diags = diags;
		c.file_id = st->files.items[f].file_id;
		c.file = cat_file_name(cat, c.file_id);
		c.file_len = st->files.items[f].file_len;
		r = load_file(&c, &st->files.items[f].ds, &all);
		if (!r)
			r = c.status;
		if (!r && cat->oom)
			r = DC_ENOMEM;
		if (r && !rc)
			rc = r;
	}
	for (f = 0; f < st->files.len; f++)
		doc_stream_free(&st->files.items[f].ds);
	st->files.len = 0;
	dc_vec_free(&all);
	return rc;
}

int kubernetes_defer(load_ctx *c, doc_stream *ds)
{
	kstate *st = c->cat->k8s;
	kfile f;
	if (!st) {
		dc_load_options o = DC_LOAD_OPTIONS_INIT;
		if (!(st = calloc(1, sizeof(*st))))
			return DC_ENOMEM;
		c->cat->k8s = st;
		c->cat->k8s_free = kstate_free;
		st->tmpl = *c;
		st->tmpl.opts = &st->opts;
		st->tmpl.follow = NULL;
		st->tmpl.location_chain = NULL;
		st->tmpl.root = st->tmpl.dir = NULL;
		memset(&st->tmpl.streamed, 0, sizeof(st->tmpl.streamed));
		st->tmpl.status = 0;
		st->tmpl.srcs = NULL;
		st->tmpl.nsrcs = 0;
		o.flags = c->opts && c->opts->version >= 3 ? c->opts->flags : 0;
		st->opts = o;
	}
	c->cat->k8s_flush = flush_files;
	memset(&f, 0, sizeof(f));
	f.ds = *ds;
	f.file_id = c->file_id;
	f.file_len = c->file_len;
	if (dc_vec_push(&st->files, f))
		return DC_ENOMEM;
	/* the stream is the input's now: leave the caller an empty one */
	doc_stream_init(ds, f.ds.file);
	return 0;
}
