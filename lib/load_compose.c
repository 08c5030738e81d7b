/*
 * load_compose.c - Docker Compose files (docs/inputs.md).
 *
 * Every entry of the top-level `services:` mapping becomes a service named
 * by its key, located at the key. Dependencies come from what Compose itself
 * uses to order containers:
 *   depends_on   list form (hard), or map form: one entry per key, with
 *                `condition:` checked and `required: false` meaning soft;
 *   links        "db" or "db:alias" (hard);
 *   network_mode "service:x" (hard; every other mode is not a dependency);
 *   volumes_from "x", "x:ro", "x:rw" (hard); "container:..." names a
 *                container outside the file and is skipped with a warning.
 * `deploy.replicas` (or the legacy `scale:`) gives replicas. depcheck's own
 * attributes ride in an `x-depcheck:` mapping per service: the native keys
 * (tier, owner, zones, ...) and a native `depends_on` list, which may add
 * soft edges, any_of groups and timeouts. When x-depcheck names a target that
 * Compose also lists, the x-depcheck entry replaces the Compose edge: that is
 * how a user annotates a Compose edge (kind, timeout) without a duplicate.
 *
 * Compose has many keys of its own (image, ports, healthcheck, ...); they
 * are not ours to validate, so unknown service keys are ignored silently.
 * Anchors, aliases and merge keys (`<<: *common` from an `x-` block) are
 * expanded by the document layer, so positions of merged-in entries point
 * into the anchored block.
 *
 * Limits: `${VAR}` interpolation is not performed (Compose does it from the
 * environment at run time): a name or number containing `${` is taken as
 * written, and a replicas value that needs interpolation is skipped with a
 * warning. `extends:` and `include:` (other files) are not followed; profiles
 * are ignored (every service is loaded).
 */
#include "load_attrs.h"

#include <stdio.h>

static const char *const top_keys[] = {
	"version", "name", "services", "networks", "volumes", "secrets", "configs", "include",
	"models", NULL
};

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* ---- x-depcheck overrides ---------------------------------------------------
 * The targets an x-depcheck `depends_on` names (plain items, `service:`
 * values, any_of members), so that the plain Compose edge to the same
 * target can be skipped. A handful per service: a linear scan is enough. */

typedef DC_VEC(const doc_node *) node_vec;

static int collect_one(node_vec *v, const doc_node *t)
{
	if (t && t->kind == DOC_SCALAR && t->n)
		return dc_vec_push(v, t);
	return 0;
}

static int collect_overrides(const doc_node *deps, node_vec *out)
{
	uint32_t i, j;
	if (!deps || deps->kind != DOC_SEQ)
		return 0;
	for (i = 0; i < deps->n; i++) {
		const doc_node *e = deps->u.kids[i], *any;
		if (e->kind == DOC_SCALAR) {
			if (collect_one(out, e))
				return DC_ENOMEM;
			continue;
		}
		if (e->kind != DOC_MAP)
			continue;
		if (collect_one(out, doc_get(e, "service")))
			return DC_ENOMEM;
		any = doc_get(e, "any_of");
		if (any && any->kind == DOC_SEQ)
			for (j = 0; j < any->n; j++) {
				const doc_node *m = any->u.kids[j];
				if (collect_one(out, m->kind == DOC_MAP ? doc_get(m, "service") : m))
					return DC_ENOMEM;
			}
	}
	return 0;
}

static int overridden(const node_vec *ov, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < ov->len; i++)
		if (ov->items[i]->n == len && !memcmp(ov->items[i]->u.s, name, len))
			return 1;
	return 0;
}

/* ---- edges ------------------------------------------------------------------ */

typedef struct {
	load_ctx *c;
	dc_id id;
	const char *svc;          /* service name, for messages */
	const node_vec *ov;       /* x-depcheck targets */
} svc_ctx;

/* Add an edge to name[0..len) declared at `at`. */
static void add_edge(svc_ctx *s, const char *name, size_t len, const doc_node *at, uint8_t kind,
		     const char *origin, int quiet_dup)
{
	dep_t d;
	uint32_t t;
	if (overridden(s->ov, name, len))
		return;
	t = cat_intern_n(s->c->cat, name, len);
	if (!t)
		return;
	cat_dep_init(&d, s->id, t, ctx_loc(s->c, at));
	d.kind = kind;
	d.timeout_ms = s->c->def_timeout_ms;
	d.retries = s->c->def_retries;
	d.origin = cat_intern(s->c->cat, origin);
	/* links/network_mode/volumes_from often repeat a depends_on entry:
	 * that is normal Compose, not a mistake worth a warning */
	if (quiet_dup)
		d.flags |= DEP_QUIET_DUP;
	if (!d.origin)
		ctx_fail(s->c, DC_ENOMEM);
	else
		ctx_add_dep(s->c, &d); /* a failure is kept in s->c->status */
}

/* A non-empty string scalar naming a service, or NULL (error reported). */
static const char *target_text(svc_ctx *s, const doc_node *n, const char *what)
{
	const char *t = doc_str(n);
	if (!t || n->kind != DOC_SCALAR || n->n == 0) {
		ctx_diag(s->c, DC_SEV_ERROR, n, "%s of '%s' must name a service, found %s", what, s->svc,
			 n && n->kind == DOC_SCALAR && n->n == 0 && n->quoted ? "an empty string"
										: doc_type_name(n));
		return NULL;
	}
	return t;
}

static void depends_on_entry(svc_ctx *s, const doc_node *k, const doc_node *v)
{
	uint8_t kind = DC_DEP_HARD;
	uint32_t i;
	if (!target_text(s, k, "depends_on"))
		return;
	if (v->kind == DOC_MAP) {
		for (i = 0; i < v->n; i++) {
			const doc_node *ek = v->u.kids[2 * i], *ev = v->u.kids[2 * i + 1];
			const char *key = ek->kind == DOC_SCALAR ? ek->u.s : "";
			int b;
			if (!strcmp(key, "condition")) {
				const char *cond = doc_str(ev);
				if (!cond || ev->kind != DOC_SCALAR ||
				    (strcmp(cond, "service_started") && strcmp(cond, "service_healthy") &&
				     strcmp(cond, "service_completed_successfully")))
					ctx_diag(s->c, DC_SEV_ERROR, ev, "unknown condition '%s' in depends_on "
						 "of '%s' (expected service_started, service_healthy or "
						 "service_completed_successfully)",
						 cond && ev->kind == DOC_SCALAR ? cond : doc_type_name(ev), s->svc);
			} else if (!strcmp(key, "required") || !strcmp(key, "restart")) {
				if (doc_bool(ev, &b) != 0)
					ctx_diag(s->c, DC_SEV_ERROR, ev, "%s in depends_on of '%s' must be true "
						 "or false, not %s", key, s->svc, doc_type_name(ev));
				else if (!strcmp(key, "required") && !b)
					kind = DC_DEP_SOFT;
			} else {
				ctx_diag(s->c, DC_SEV_WARNING, ek, "unknown key '%s' in depends_on of '%s' "
					 "(expected condition, required or restart)", key, s->svc);
			}
		}
	} else if (!doc_is_null(v)) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "depends_on entry '%s' of '%s' must be a mapping "
			 "(condition, required, restart), not %s", k->u.s, s->svc, doc_type_name(v));
		return;
	}
	add_edge(s, k->u.s, k->n, k, kind, "depends_on", 0);
}

static void parse_depends_on(svc_ctx *s, const doc_node *v)
{
	uint32_t i;
	if (v->kind == DOC_SEQ) {
		for (i = 0; i < v->n; i++) {
			const doc_node *it = v->u.kids[i];
			if (target_text(s, it, "depends_on"))
				add_edge(s, it->u.s, it->n, it, DC_DEP_HARD, "depends_on", 0);
		}
	} else if (v->kind == DOC_MAP) {
		for (i = 0; i < v->n; i++)
			depends_on_entry(s, v->u.kids[2 * i], v->u.kids[2 * i + 1]);
	} else if (!doc_is_null(v)) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "depends_on of '%s' must be a list or a mapping, not %s",
			 s->svc, doc_type_name(v));
	}
}

static void parse_links(svc_ctx *s, const doc_node *v)
{
	uint32_t i;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_SEQ) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "links of '%s' must be a list, not %s", s->svc,
			 doc_type_name(v));
		return;
	}
	for (i = 0; i < v->n; i++) {
		const doc_node *it = v->u.kids[i];
		const char *t = target_text(s, it, "links"), *colon;
		size_t len;
		if (!t)
			continue;
		colon = strchr(t, ':'); /* "db:alias" */
		len = colon ? (size_t)(colon - t) : it->n;
		if (len == 0) {
			ctx_diag(s->c, DC_SEV_ERROR, it, "links of '%s': '%s' names no service", s->svc, t);
			continue;
		}
		add_edge(s, t, len, it, DC_DEP_HARD, "links", 1);
	}
}

static void parse_network_mode(svc_ctx *s, const doc_node *v)
{
	const char *t = doc_str(v);
	if (doc_is_null(v))
		return;
	if (!t || v->kind != DOC_SCALAR) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "network_mode of '%s' must be a string, not %s", s->svc,
			 doc_type_name(v));
		return;
	}
	if (strncmp(t, "service:", 8) != 0)
		return; /* bridge, host, none, container:x: not a service dependency */
	if (v->n == 8) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "network_mode of '%s': 'service:' names no service", s->svc);
		return;
	}
	add_edge(s, t + 8, v->n - 8, v, DC_DEP_HARD, "network_mode", 1);
}

static void parse_volumes_from(svc_ctx *s, const doc_node *v)
{
	uint32_t i;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_SEQ) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "volumes_from of '%s' must be a list, not %s", s->svc,
			 doc_type_name(v));
		return;
	}
	for (i = 0; i < v->n; i++) {
		const doc_node *it = v->u.kids[i];
		const char *t = target_text(s, it, "volumes_from"), *colon;
		size_t len;
		if (!t)
			continue;
		if (!strncmp(t, "container:", 10)) {
			ctx_diag(s->c, DC_SEV_WARNING, it, "volumes_from '%s' of '%s' names a container, "
				 "not a service: no dependency recorded", t, s->svc);
			continue;
		}
		colon = strchr(t, ':'); /* "x:ro", "x:rw" */
		len = colon ? (size_t)(colon - t) : it->n;
		if (len == 0) {
			ctx_diag(s->c, DC_SEV_ERROR, it, "volumes_from of '%s': '%s' names no service", s->svc, t);
			continue;
		}
		add_edge(s, t, len, it, DC_DEP_HARD, "volumes_from", 1);
	}
}

/* ---- attributes ---------------------------------------------------------------- */

static void set_replicas(svc_ctx *s, const doc_node *v)
{
	const char *t = doc_str(v);
	if (t && v->kind == DOC_SCALAR && strchr(t, '$')) {
		ctx_diag(s->c, DC_SEV_WARNING, v, "replicas of '%s' is '%s': variables are not "
			 "interpolated; replicas left unset", s->svc, t);
		return;
	}
	attr_set(s->c, s->id, "replicas", v, 1);
}

static void parse_deploy(svc_ctx *s, const doc_node *v)
{
	uint32_t i;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_MAP) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "deploy of '%s' must be a mapping, not %s", s->svc,
			 doc_type_name(v));
		return;
	}
	for (i = 0; i < v->n; i++) {
		const doc_node *k = v->u.kids[2 * i];
		if (doc_scalar_is(k, "replicas"))
			set_replicas(s, v->u.kids[2 * i + 1]);
	}
}

static void parse_xdepcheck_attrs(svc_ctx *s, const doc_node *x)
{
	uint32_t i;
	for (i = 0; i < x->n; i++) {
		const doc_node *k = x->u.kids[2 * i], *v = x->u.kids[2 * i + 1];
		const char *key = k->kind == DOC_SCALAR ? k->u.s : "";
		if (!strcmp(key, "depends_on"))
			continue; /* after the Compose edges */
		/* lenient: Compose users quote numbers ("3") as Compose allows */
		if (!attr_set(s->c, s->id, key, v, 1))
			ctx_diag(s->c, DC_SEV_WARNING, k, "unknown key '%s' in x-depcheck of '%s' "
				 "(expected one of tier, owner, system, zones, availability, slo, "
				 "latency_ms, entrypoint, replicas, tags, description, url, external, "
				 "depends_on)", key, s->svc);
	}
}

/* ---- services ------------------------------------------------------------------ */

static int load_service(load_ctx *c, const doc_node *k, const doc_node *v)
{
	const doc_node *x = NULL, *xdeps = NULL, *n;
	node_vec ov = {0};
	svc_ctx s;
	uint32_t ref;
	dc_id id;
	int rc;

	if (k->kind != DOC_SCALAR || k->n == 0 || doc_is_null(k)) {
		ctx_diag(c, DC_SEV_ERROR, k, "a Compose service needs a name, found %s",
			 k->kind == DOC_SCALAR && k->n == 0 ? "an empty string" : doc_type_name(k));
		return 0;
	}
	ref = cat_intern_n(c->cat, k->u.s, k->n);
	if (!ref)
		return DC_ENOMEM;
	rc = ctx_new_service(c, ref, k, &id);
	if (rc)
		return rc == DC_ENOMEM ? rc : 0; /* 1: defined twice (reported) */
	if (doc_is_null(v)) {
		ctx_diag(c, DC_SEV_WARNING, k, "service '%s' has an empty definition", k->u.s);
		return 0;
	}
	if (v->kind != DOC_MAP) {
		/* keep the service so that references to it still resolve */
		ctx_diag(c, DC_SEV_ERROR, v, "service '%s' must be a mapping, not %s", k->u.s,
			 doc_type_name(v));
		return 0;
	}

	x = doc_get(v, "x-depcheck");
	if (x && doc_is_null(x))
		x = NULL;
	if (x && x->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, x, "x-depcheck of '%s' must be a mapping, not %s", k->u.s,
			 doc_type_name(x));
		x = NULL;
	}
	if (x) {
		xdeps = doc_get(x, "depends_on");
		if (collect_overrides(xdeps, &ov)) {
			dc_vec_free(&ov);
			return DC_ENOMEM;
		}
	}
	s.c = c;
	s.id = id;
	s.svc = k->u.s;
	s.ov = &ov;

	if ((n = doc_get(v, "depends_on")) != NULL)
		parse_depends_on(&s, n);
	if ((n = doc_get(v, "links")) != NULL)
		parse_links(&s, n);
	if ((n = doc_get(v, "network_mode")) != NULL)
		parse_network_mode(&s, n);
	if ((n = doc_get(v, "volumes_from")) != NULL)
		parse_volumes_from(&s, n);
	/* scale first: deploy.replicas is the current spelling and wins */
	{
		uint32_t i;
		for (i = 0; i < v->n; i++)
			if (doc_scalar_is(v->u.kids[2 * i], "scale") && !doc_is_null(v->u.kids[2 * i + 1])) {
				set_replicas(&s, v->u.kids[2 * i + 1]);
				break;
			}
	}
	if ((n = doc_get(v, "deploy")) != NULL)
		parse_deploy(&s, n);
	if (x) {
		parse_xdepcheck_attrs(&s, x);
		if (xdeps)
			attr_parse_deps(c, id, xdeps, "x-depcheck");
	}
	dc_vec_free(&ov);
	return 0;
}

/* A `services:` mapping (native's is a list). */
int compose_detect(const doc_node *root)
{
	const doc_node *svcs = doc_get(root, "services");
	return svcs && svcs->kind == DOC_MAP ? DETECT_SHAPE : DETECT_NO;
}

int load_compose(load_ctx *c, const doc_stream *ds)
{
	size_t d;
	for (d = 0; d < ds->docs.len; d++) {
		const doc_node *root = ds->docs.items[d], *svcs;
		uint32_t i;
		if (!root || doc_is_null(root))
			continue;
		if (root->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, root, "a Compose file must be a mapping with 'services', "
				 "not %s", doc_type_name(root));
			return DC_EPARSE;
		}
		for (i = 0; i < root->n; i++) {
			const doc_node *k = root->u.kids[2 * i];
			if (k->kind == DOC_SCALAR && (in_list(k->u.s, top_keys) || !strncmp(k->u.s, "x-", 2)))
				continue;
			ctx_diag(c, DC_SEV_WARNING, k, "unknown top-level key '%s' in Compose file (ignored)",
				 k->kind == DOC_SCALAR ? k->u.s : doc_type_name(k));
		}
		ctx_defaults(c);
		svcs = doc_get(root, "services");
		if (!svcs || doc_is_null(svcs)) {
			ctx_diag(c, DC_SEV_WARNING, svcs ? svcs : root, "Compose file without services");
			continue;
		}
		if (svcs->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, svcs, "services must be a mapping of service names, not %s",
				 doc_type_name(svcs));
			return DC_EPARSE;
		}
		for (i = 0; i < svcs->n; i++)
			if (load_service(c, svcs->u.kids[2 * i], svcs->u.kids[2 * i + 1]) == DC_ENOMEM)
				return DC_ENOMEM;
	}
	return 0;
}
