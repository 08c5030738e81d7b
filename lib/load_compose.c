/*
 * load_compose.c - Docker Compose files (docs/inputs.md).
 *
 * Every entry of the top-level `services:` mapping becomes a service named
 * by its key, located at the key. Dependencies come from what Compose itself
 * uses to order containers:
 *   depends_on   list form (hard), or map form: one entry per key, with
 *                `condition:` checked and `required: false` meaning soft;
 *                `condition: service_completed_successfully` names a
 *                one-shot job: a startup-only edge (DEP_STARTUP);
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
 * Projects: the files of one directory merge before they load, as
 * `docker compose config` reads them (compose_defer, flush_all below;
 * interpolation in compose_env.c, merge rules in compose_merge.c):
 * `-f` order or Compose's default file names, override files, `!reset` /
 * `!override`, `${VAR}` from the environment and `.env`, `extends`,
 * `include`, `profiles`. Several projects are namespaces (`project/name`).
 * Environment values naming a service of the project (hostref.h) are
 * inferred edges. docs/inputs.md ("Compose") lists the deliberate
 * differences from Compose.
 */
#include "load_attrs.h"
#include "compose_int.h"
#include "hostref.h"
#include "telemetry.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>

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

/* What a service is loaded with: its project's namespace, environment and
 * the names its services answer to (for hosts in environment values). */
typedef struct {
	const char *name;   /* lowercase */
	const char *svc;    /* the service key */
} host_alias;

/* A telemetry sink of the project (telemetry.h) and why it is one. */
typedef struct {
	const char *svc;    /* the service key */
	const char *why;    /* "image otel/opentelemetry-collector-contrib" */
} sink_t;

typedef struct pview {
	const char *proj;          /* namespace (several projects), else NULL */
	const cenv *env;
	DC_VEC(host_alias) hosts;  /* sorted by name */
	DC_VEC(sink_t) sinks;      /* in service order; empty with DC_LOAD_TELEMETRY_HARD */
	int telemetry_hard;        /* DC_LOAD_TELEMETRY_HARD */
	dc_arena *arena;
	DC_VEC(const doc_node *) nets; /* top-level `networks` mappings of every file read */
} pview;

typedef struct {
	load_ctx *c;
	dc_id id;
	const char *svc;          /* service name, for messages */
	const node_vec *ov;       /* x-depcheck targets */
	const char *proj;         /* project name when several projects load (refs "proj/name"), else NULL */
	const struct pview *pv;
} svc_ctx;

/* The ref a target name of this project stands for. */
static uint32_t target_ref(svc_ctx *s, const char *name, size_t len)
{
	char buf[512];
	int w;
	if (!s->proj)
		return cat_intern_n(s->c->cat, name, len);
	w = snprintf(buf, sizeof(buf), "%s/%.*s", s->proj, (int)len, name);
	if (w < 0 || (size_t)w >= sizeof(buf))
		return cat_intern_n(s->c->cat, name, len);
	return cat_intern_n(s->c->cat, buf, (size_t)w);
}

static const sink_t *find_sink(const pview *pv, const char *name, size_t len)
{
	size_t i;
	if (!pv)
		return NULL;
	for (i = 0; i < pv->sinks.len; i++)
		if (strlen(pv->sinks.items[i].svc) == len && !memcmp(pv->sinks.items[i].svc, name, len))
			return &pv->sinks.items[i];
	return NULL;
}

/* Add an edge to name[0..len) declared at `at`. An edge to or from a
 * telemetry sink is soft, the reason appended to its origin. */
static void add_edge_f(svc_ctx *s, const char *name, size_t len, const doc_node *at, uint8_t kind,
		       const char *origin, int quiet_dup, uint8_t flags)
{
	dep_t d;
	uint32_t t;
	char why[400];
	const sink_t *sk;
	int telemetry;
	if (overridden(s->ov, name, len))
		return;
	/* a telemetry edge (dep_telemetry): to or from a sink whatever its kind, or
	 * to a telemetry endpoint (the caller says "; soft: a telemetry endpoint") */
	telemetry = find_sink(s->pv, name, len) || find_sink(s->pv, s->svc, strlen(s->svc)) ||
		    strstr(origin, "; soft: ") != NULL;
	if (kind == DC_DEP_HARD && (sk = find_sink(s->pv, name, len)) != NULL) {
		snprintf(why, sizeof(why), "%s; soft: %.*s is a telemetry sink (%s)", origin, (int)len,
			 name, sk->why);
		origin = why;
		kind = DC_DEP_SOFT;
	} else if (kind == DC_DEP_HARD && (sk = find_sink(s->pv, s->svc, strlen(s->svc))) != NULL) {
		snprintf(why, sizeof(why), "%s; soft: %s is a telemetry sink (%s)", origin, s->svc, sk->why);
		origin = why;
		kind = DC_DEP_SOFT;
	}
	t = target_ref(s, name, len);
	if (!t)
		return;
	cat_dep_init(&d, s->id, t, ctx_loc(s->c, at));
	d.kind = kind;
	d.telemetry = telemetry && kind == DC_DEP_SOFT;
	d.timeout_ms = s->c->def_timeout_ms;
	d.retries = s->c->def_retries;
	d.origin = cat_intern(s->c->cat, origin);
	/* links/network_mode/volumes_from often repeat a depends_on entry:
	 * that is normal Compose, not a mistake worth a warning */
	if (quiet_dup)
		d.flags |= DEP_QUIET_DUP;
	d.flags |= flags;
	if (!d.origin)
		ctx_fail(s->c, DC_ENOMEM);
	else
		ctx_add_dep(s->c, &d); /* a failure is kept in s->c->status */
}

static void add_edge(svc_ctx *s, const char *name, size_t len, const doc_node *at, uint8_t kind,
		     const char *origin, int quiet_dup)
{
	add_edge_f(s, name, len, at, kind, origin, quiet_dup, 0);
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
	uint8_t kind = DC_DEP_HARD, flags = 0;
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
				else if (!strcmp(cond, "service_completed_successfully"))
					/* a one-shot job (migration, init): it has exited
					 * before this service starts, so it is needed at
					 * startup only (docs/inputs.md, "Compose") */
					flags = DEP_STARTUP;
				else
					flags = 0;
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
	add_edge_f(s, k->u.s, k->n, k, kind, "depends_on", 0, flags);
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

/* network_mode, ipc, pid, uts, cgroup: "service:x" shares x's namespace
 * (x must run first); other modes name no service. */
static void parse_ns_mode(svc_ctx *s, const doc_node *v, const char *key)
{
	const char *t = doc_str(v);
	if (doc_is_null(v))
		return;
	if (!t || v->kind != DOC_SCALAR) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "%s of '%s' must be a string, not %s", key, s->svc,
			 doc_type_name(v));
		return;
	}
	if (strncmp(t, "service:", 8) != 0)
		return; /* bridge, host, none, container:x: not a service dependency */
	if (v->n == 8) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "%s of '%s': 'service:' names no service", key, s->svc);
		return;
	}
	add_edge(s, t + 8, v->n - 8, v, DC_DEP_HARD, key, 1);
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


/* ---- environment values naming another service ---------------------------------- */

static int cmp_alias(const void *a, const void *b)
{
	return strcmp(((const host_alias *)a)->name, ((const host_alias *)b)->name);
}

typedef struct {
	svc_ctx *s;
	const doc_node *at;
	const char *var;
	size_t varlen;
	const char *text;
	const char *from;   /* the env_file the value came from, else NULL */
} env_scan;

/* `Host=db;...` (ADO.NET, libpq key=value strings): the key before '=' names
 * a host. Any other `key=word` is an option, not an address. */
static int host_option(const char *text, const hostref *h)
{
	static const char *const keys[] = { "host", "server", "hostname", "address", "addr",
					    "data source", NULL };
	const char *const *k;
	size_t end, start;
	if (h->off == 0 || text[h->off - 1] != '=')
		return 0;
	end = h->off - 1;
	start = end;
	while (start > 0 && text[start - 1] != ';' && text[start - 1] != ',' && text[start - 1] != '"')
		start--;
	while (start < end && text[start] == ' ')
		start++;
	for (k = keys; *k; k++)
		if (strlen(*k) == end - start && !strncasecmp(text + start, *k, end - start))
			return 1;
	return 0;
}

static int on_env_host(void *arg, const hostref *h)
{
	env_scan *e = arg;
	const pview *pv = e->s->pv;
	host_alias key, *found;
	char origin[300];
	if (!pv->hosts.len)
		return 0;
	key.name = h->name;
	found = bsearch(&key, pv->hosts.items, pv->hosts.len, sizeof(host_alias), cmp_alias);
	if (!found || !strcmp(found->svc, e->s->svc))
		return 0; /* names no service, or the service itself (its own listeners) */
	if ((h->flags & HOSTREF_OPTION) && !(h->flags & HOSTREF_MARKED) && !host_option(e->text, h))
		return 0;
	if (!pv->telemetry_hard && telemetry_env(e->var, e->varlen)) {
		snprintf(origin, sizeof(origin), "env %.*s%s%.100s; soft: a telemetry endpoint",
			 (int)(e->varlen > 120 ? 120 : e->varlen), e->var, e->from ? " from " : "",
			 e->from ? e->from : "");
		add_edge_f(e->s, found->svc, strlen(found->svc), e->at, DC_DEP_SOFT, origin, 1,
			   DEP_INFERRED);
		return e->s->c->status ? 1 : 0;
	}
	snprintf(origin, sizeof(origin), "env %.*s%s%.100s", (int)(e->varlen > 120 ? 120 : e->varlen), e->var,
		 e->from ? " from " : "", e->from ? e->from : "");
	add_edge_f(e->s, found->svc, strlen(found->svc), e->at, DC_DEP_HARD, origin, 1, DEP_INFERRED);
	return e->s->c->status ? 1 : 0;
}

static void scan_env_from(svc_ctx *s, const char *var, size_t varlen, const char *val, size_t vlen,
			  const doc_node *at, const char *from)
{
	env_scan e;
	e.s = s;
	e.at = at;
	e.var = var;
	e.varlen = varlen;
	e.text = val;
	e.from = from;
	hostref_scan(val, vlen, on_env_host, &e);
}

static void scan_env(svc_ctx *s, const char *var, size_t varlen, const char *val, size_t vlen,
		     const doc_node *at)
{
	scan_env_from(s, var, varlen, val, vlen, at, NULL);
}

/* environment: a mapping or a list of `K=V`; `K` alone (or `K:` null) takes
 * its value from the project's environment, as Compose does. */
static void parse_environment(svc_ctx *s, const doc_node *v)
{
	uint32_t i;
	const cenv *env = s->pv ? s->pv->env : NULL;
	if (doc_is_null(v))
		return;
	if (v->kind == DOC_MAP) {
		for (i = 0; i < v->n; i++) {
			const doc_node *k = v->u.kids[2 * i], *val = v->u.kids[2 * i + 1];
			const char *t;
			if (k->kind != DOC_SCALAR)
				continue;
			if (doc_is_null(val)) {
				t = env ? cenv_get(env, k->u.s, k->n) : NULL;
				if (t)
					scan_env(s, k->u.s, k->n, t, strlen(t), k);
			} else if (val->kind == DOC_SCALAR) {
				scan_env(s, k->u.s, k->n, val->u.s, val->n, val);
			}
		}
	} else if (v->kind == DOC_SEQ) {
		for (i = 0; i < v->n; i++) {
			const doc_node *it = v->u.kids[i];
			const char *eq, *t;
			if (it->kind != DOC_SCALAR) {
				ctx_diag(s->c, DC_SEV_ERROR, it, "environment of '%s': an item must be "
					 "a string KEY=VALUE, not %s", s->svc, doc_type_name(it));
				continue;
			}
			eq = memchr(it->u.s, '=', it->n);
			if (eq) {
				scan_env(s, it->u.s, (size_t)(eq - it->u.s), eq + 1,
					 it->n - (size_t)(eq - it->u.s) - 1, it);
			} else if (env && (t = cenv_get(env, it->u.s, it->n)) != NULL) {
				scan_env(s, it->u.s, it->n, t, strlen(t), it);
			}
		}
	} else {
		ctx_diag(s->c, DC_SEV_ERROR, v, "environment of '%s' must be a mapping or a list, "
			 "not %s", s->svc, doc_type_name(v));
	}
}

/* Does the service's `environment` set var (its value wins over env_file)? */
static int environment_sets(const doc_node *env, const char *var, size_t len)
{
	uint32_t i;
	if (!env)
		return 0;
	if (env->kind == DOC_MAP) {
		for (i = 0; i < env->n; i++) {
			const doc_node *k = env->u.kids[2 * i];
			if (k->kind == DOC_SCALAR && k->n == len && !memcmp(k->u.s, var, len))
				return 1;
		}
	} else if (env->kind == DOC_SEQ) {
		for (i = 0; i < env->n; i++) {
			const doc_node *it = env->u.kids[i];
			const char *eq;
			size_t kl;
			if (it->kind != DOC_SCALAR)
				continue;
			eq = memchr(it->u.s, '=', it->n);
			kl = eq ? (size_t)(eq - it->u.s) : it->n;
			if (kl == len && !memcmp(it->u.s, var, len))
				return 1;
		}
	}
	return 0;
}

static char *join_path(const char *dir, const char *rel);
static char *dir_of(const char *path);
static long svc_index(const doc_node *svcs, const char *name);

/* One env_file entry (a path, or {path, required, format}): its variables
 * into e, the later file over the earlier, as Compose reads them (values
 * interpolated from the files before and the project's environment). A
 * missing file is an error unless `required: false`, as in Compose. */
static void env_file_entry(svc_ctx *s, const doc_node *it, cenv *e, const char **files, size_t *nfiles,
			   const doc_node **at)
{
	const doc_node *pn = it, *req;
	char *dir, *path;
	unsigned bad = 0;
	int required = 1, r;
	if (it->kind == DOC_MAP) {
		pn = doc_get(it, "path");
		if ((req = doc_get(it, "required")) != NULL && doc_bool(req, &required) != 0) {
			ctx_diag(s->c, DC_SEV_ERROR, req, "env_file required of '%s' must be true or false, not %s",
				 s->svc, doc_type_name(req));
			required = 1;
		}
	}
	if (!pn || pn->kind != DOC_SCALAR || pn->n == 0 || doc_is_null(pn)) {
		ctx_diag(s->c, DC_SEV_ERROR, pn ? pn : it, "env_file of '%s' must be a path or a mapping with "
			 "'path', not %s", s->svc, pn ? doc_type_name(pn) : "a mapping without path");
		return;
	}
	dir = dir_of(ctx_file(s->c, pn));
	path = !dir ? NULL : strcmp(dir, ".") ? join_path(dir, pn->u.s) : strdup(pn->u.s);
	free(dir);
	if (!path) {
		ctx_fail(s->c, DC_ENOMEM);
		return;
	}
	e->src = (unsigned)*nfiles; /* what this file sets points at it */
	r = cenv_read_file(e, path, 1, &bad);
	if (r == DC_ENOMEM) {
		ctx_fail(s->c, DC_ENOMEM);
	} else if (r && errno == ENOENT) {
		if (required)
			ctx_diag(s->c, DC_SEV_ERROR, pn, "env file %s not found (env_file of '%s'; "
				 "`required: false` makes it optional)", path, s->svc);
	} else if (r) {
		ctx_diag(s->c, DC_SEV_ERROR, pn, "cannot read env file %s of '%s': %s", path, s->svc,
			 strerror(errno));
	} else {
		if (bad)
			ctx_diag(s->c, DC_SEV_WARNING, pn, "env file %s line %u: not a KEY=VALUE line "
				 "(skipped; Compose rejects it)", path, bad);
		files[*nfiles] = pn->u.s;
		at[(*nfiles)++] = pn;
	}
	free(path);
}

/* env_file: the files' values name hosts as `environment` values do (an
 * edge from `environment` wins for the same variable). Each edge points at
 * the env_file entry that holds the variable, its origin names the file. */
static void parse_env_file(svc_ctx *s, const doc_node *v, const doc_node *environment)
{
	cenv e = {0};
	const char *files[64];
	const doc_node *at[64];
	size_t nfiles = 0, i;
	if (doc_is_null(v))
		return;
	e.parent = s->pv ? s->pv->env : NULL;
	if (v->kind == DOC_SCALAR) {
		env_file_entry(s, v, &e, files, &nfiles, at);
	} else if (v->kind == DOC_SEQ) {
		if (v->n > 64)
			ctx_diag(s->c, DC_SEV_WARNING, v->u.kids[64], "env_file of '%s': more than 64 files; "
				 "the rest are not read", s->svc);
		for (i = 0; i < v->n && i < 64 && !s->c->status; i++)
			env_file_entry(s, v->u.kids[i], &e, files, &nfiles, at);
	} else {
		ctx_diag(s->c, DC_SEV_ERROR, v, "env_file of '%s' must be a path or a list, not %s", s->svc,
			 doc_type_name(v));
	}
	for (i = 0; i < e.v.len && !s->c->status; i++) {
		const cenv_ent *x = &e.v.items[i];
		size_t kl = strlen(x->key);
		if (x->src >= nfiles || environment_sets(environment, x->key, kl))
			continue;
		/* the last file that set the variable gave its value */
		scan_env_from(s, x->key, kl, x->val, strlen(x->val), at[x->src], files[x->src]);
	}
	cenv_free(&e);
}

/* Is `name` a network of the project (declared at the top level of a file
 * read, or Compose's own `default`)? */
static int network_declared(const pview *pv, const char *name)
{
	size_t i;
	if (!strcmp(name, "default"))
		return 1;
	for (i = 0; i < pv->nets.len; i++)
		if (svc_index(pv->nets.items[i], name) >= 0)
			return 1;
	return 0;
}

/* A service's `networks` (a list of names, or a mapping by name): each must
 * be declared, and `network_mode` excludes them, as Compose checks. */
static void check_networks(svc_ctx *s, const doc_node *v, const doc_node *mode)
{
	uint32_t i;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_SEQ && v->kind != DOC_MAP) {
		ctx_diag(s->c, DC_SEV_ERROR, v, "networks of '%s' must be a list or a mapping, not %s", s->svc,
			 doc_type_name(v));
		return;
	}
	if (mode && !doc_is_null(mode) && v->n)
		ctx_diag(s->c, DC_SEV_ERROR, v, "service '%s' declares mutually exclusive network_mode and "
			 "networks (Compose rejects it)", s->svc);
	for (i = 0; i < v->n; i++) {
		const doc_node *k = v->kind == DOC_SEQ ? v->u.kids[i] : v->u.kids[2 * i];
		if (k->kind != DOC_SCALAR || !k->n || doc_is_null(k)) {
			ctx_diag(s->c, DC_SEV_ERROR, k, "a network of '%s' must be named by a string, not %s",
				 s->svc, doc_type_name(k));
			continue;
		}
		if (!network_declared(s->pv, k->u.s))
			ctx_diag(s->c, DC_SEV_ERROR, k, "service '%s' refers to undefined network '%s' (not "
				 "declared under the top-level networks)", s->svc, k->u.s);
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
				 "latency_ms, traffic_rps, capacity_rps, max_concurrency, entrypoint, replicas, tags, description, url, external, "
				 "depends_on)", key, s->svc);
	}
}

/* ---- services ------------------------------------------------------------------ */

/* The Compose specification's service names: ^[a-zA-Z0-9._-]+$. */
static int valid_service_name(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return 0;
	return n > 0;
}

static int load_service(load_ctx *c, const doc_node *k, const doc_node *v, const pview *pv)
{
	const doc_node *x = NULL, *xdeps = NULL, *n;
	node_vec ov = {0};
	svc_ctx s;
	uint32_t ref;
	dc_id id;
	int rc;

	s.c = c;
	s.proj = pv->proj;

	if (k->kind != DOC_SCALAR || k->n == 0 || doc_is_null(k)) {
		ctx_diag(c, DC_SEV_ERROR, k, "a Compose service needs a name, found %s",
			 k->kind == DOC_SCALAR && k->n == 0 ? "an empty string" : doc_type_name(k));
		return 0;
	}
	if (!valid_service_name(k->u.s, k->n))
		/* kept, so that references to it resolve; the file is still wrong */
		ctx_diag(c, DC_SEV_ERROR, k, "invalid service name '%s': Compose accepts only letters, digits, "
			 "'.', '_' and '-' (^[a-zA-Z0-9._-]+$)", k->u.s);
	ref = target_ref(&s, k->u.s, k->n);
	if (!ref)
		return DC_ENOMEM;
	rc = ctx_new_service(c, ref, k, &id);
	if (rc)
		return rc == DC_ENOMEM ? rc : 0; /* 1: defined twice (reported) */
	if (pv->proj) {
		svc_t *sv = cat_svc(c->cat, id);
		sv->bs_ns = cat_intern(c->cat, pv->proj);
		sv->bs_name = cat_intern_n(c->cat, k->u.s, k->n);
		if (!sv->bs_ns || !sv->bs_name)
			return DC_ENOMEM;
	}
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
	s.id = id;
	s.svc = k->u.s;
	s.ov = &ov;
	s.pv = pv;

	if ((n = doc_get(v, "depends_on")) != NULL)
		parse_depends_on(&s, n);
	if ((n = doc_get(v, "links")) != NULL)
		parse_links(&s, n);
	{
		static const char *const modes[] = { "network_mode", "ipc", "pid", "uts", "cgroup", NULL };
		const char *const *m;
		for (m = modes; *m; m++)
			if ((n = doc_get(v, *m)) != NULL)
				parse_ns_mode(&s, n, *m);
	}
	if ((n = doc_get(v, "volumes_from")) != NULL)
		parse_volumes_from(&s, n);
	if ((n = doc_get(v, "environment")) != NULL)
		parse_environment(&s, n);
	if ((n = doc_get(v, "env_file")) != NULL)
		parse_env_file(&s, n, doc_get(v, "environment"));
	if ((n = doc_get(v, "networks")) != NULL)
		check_networks(&s, n, doc_get(v, "network_mode"));
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

/* ---- projects ------------------------------------------------------------------
 * A Compose project is the set of files Compose itself would read together:
 * the files of one directory. Files named by the caller merge in the order
 * given (`-f a -f b`); files found by a directory walk merge as Compose's
 * defaults do: compose.yaml (or compose.yml, docker-compose.yaml,
 * docker-compose.yml) first, the other Compose files of the directory in
 * name order, the override files (compose.override.yaml ...) last. The
 * files wait in the catalog (compose_defer) and load at finalize
 * (compose_flush), when every file of every project is known: several
 * projects are namespaces of their own (refs `project/service`). */

typedef DC_VEC(char *) str_vec;

typedef struct {
	doc_stream ds;
	uint32_t file_id;
	int rank;      /* -1: named by the caller; 0 base, 1 other, 2 override (walked) */
	size_t seq;
} cfile;

typedef struct {
	char *dir;
	DC_VEC(cfile) files;
} cproj;

typedef struct {
	DC_VEC(cproj) projs;
	size_t seq;
	load_ctx tmpl;              /* limits of the first deferral; pointers reset per project */
	str_vec profiles;           /* --profile */
	str_vec env_files;          /* --env-file */
	doc_limits lim;
	size_t max_file;
	unsigned flags;             /* dc_load_options.flags (DC_LOAD_TELEMETRY_HARD) */
} cstate;

static void free_proj(cproj *p)
{
	size_t i;
	for (i = 0; i < p->files.len; i++)
		doc_stream_free(&p->files.items[i].ds);
	dc_vec_free(&p->files);
	free(p->dir);
}

static void cstate_free(void *arg)
{
	cstate *st = arg;
	size_t i;
	if (!st)
		return;
	for (i = 0; i < st->projs.len; i++)
		free_proj(&st->projs.items[i]);
	dc_vec_free(&st->projs);
	for (i = 0; i < st->profiles.len; i++)
		free(st->profiles.items[i]);
	dc_vec_free(&st->profiles);
	for (i = 0; i < st->env_files.len; i++)
		free(st->env_files.items[i]);
	dc_vec_free(&st->env_files);
	free(st);
}

static const char *base_name(const char *path)
{
	const char *sl = strrchr(path, '/');
	return sl ? sl + 1 : path;
}

static int name_rank(const char *file)
{
	const char *b = base_name(file);
	if (!strcmp(b, "compose.yaml") || !strcmp(b, "compose.yml") ||
	    !strcmp(b, "docker-compose.yaml") || !strcmp(b, "docker-compose.yml"))
		return 0;
	if (strstr(b, ".override."))
		return 2;
	return 1;
}

static int flush_all(dc_catalog *cat, dc_diags *diags);

static int push_strs(str_vec *v, const char *const *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char *d = s[i] ? strdup(s[i]) : NULL;
		if (!d || dc_vec_push(v, d)) {
			free(d);
			return DC_ENOMEM;
		}
	}
	return 0;
}

int compose_defer(load_ctx *c, doc_stream *ds, int walked)
{
	cstate *st = c->cat->compose;
	cproj *p = NULL;
	cfile f;
	size_t i;
	const char *dir = c->dir ? c->dir : ".";
	/* the shape is checked now, so that a broken file fails its own load */
	for (i = 0; i < ds->docs.len; i++) {
		const doc_node *root = ds->docs.items[i], *svcs;
		uint32_t k;
		if (!root || doc_is_null(root))
			continue;
		if (root->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, root, "a Compose file must be a mapping with 'services', "
				 "not %s", doc_type_name(root));
			return DC_EPARSE;
		}
		svcs = doc_get(root, "services");
		if (svcs && !doc_is_null(svcs) && svcs->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, svcs, "services must be a mapping of service names, not %s",
				 doc_type_name(svcs));
			return DC_EPARSE;
		}
		for (k = 0; k < root->n; k++) {
			const doc_node *key = root->u.kids[2 * k];
			if (key->kind == DOC_SCALAR && (in_list(key->u.s, top_keys) || !strncmp(key->u.s, "x-", 2)))
				continue;
			ctx_diag(c, DC_SEV_WARNING, key, "unknown top-level key '%s' in Compose file (ignored)",
				 key->kind == DOC_SCALAR ? key->u.s : doc_type_name(key));
		}
	}
	if (!st) {
		const dc_load_options *o = c->opts;
		if (!(st = calloc(1, sizeof(*st))))
			return DC_ENOMEM;
		c->cat->compose = st;
		c->cat->compose_free = cstate_free;
		st->tmpl = *c;
		st->lim.max_depth = o && o->max_depth ? o->max_depth : DC_DEFAULT_MAX_DEPTH;
		st->lim.max_alias_nodes = o && o->max_alias_nodes ? o->max_alias_nodes : 1000000;
		st->max_file = o && o->max_file_size ? o->max_file_size : DC_DEFAULT_MAX_FILE_SIZE;
		st->flags = o && o->version >= 3 ? o->flags : 0;
		if (o && o->version >= 3 &&
		    (push_strs(&st->profiles, o->compose_profiles, o->compose_profile_count) ||
		     push_strs(&st->env_files, o->compose_env_files, o->compose_env_file_count)))
			return DC_ENOMEM;
	}
	c->cat->compose_flush = flush_all;
	for (i = 0; i < st->projs.len && !p; i++)
		if (!strcmp(st->projs.items[i].dir, dir))
			p = &st->projs.items[i];
	if (!p) {
		cproj np;
		memset(&np, 0, sizeof(np));
		if (!(np.dir = strdup(dir)) || dc_vec_push(&st->projs, np)) {
			free(np.dir);
			return DC_ENOMEM;
		}
		p = &st->projs.items[st->projs.len - 1];
	}
	memset(&f, 0, sizeof(f));
	f.ds = *ds;
	f.file_id = c->file_id;
	f.rank = walked ? name_rank(c->file) : -1;
	f.seq = st->seq++;
	if (dc_vec_push(&p->files, f))
		return DC_ENOMEM;
	/* the stream is the project's now: leave the caller an empty one */
	doc_stream_init(ds, f.ds.file);
	return 0;
}

/* ---- loading one project ---------------------------------------------------------- */

typedef struct {
	load_ctx c;
	cstate *st;
	cproj *p;
	dc_arena a;                 /* merged nodes, interpolated text */
	cenv env;
	u32_vec srcs;               /* file ids of the project's files, by doc_node.src - 1 */
	DC_VEC(doc_stream *) extra; /* files read for extends and include */
	DC_VEC(char *) extra_paths;
	DC_VEC(char *) unset;       /* variables warned about */
	const doc_node *cur;        /* the node being interpolated */
	int oom;
} pctx;

static void note_unset(void *arg, const char *name, size_t len)
{
	pctx *pc = arg;
	size_t i;
	char *d;
	for (i = 0; i < pc->unset.len; i++)
		if (strlen(pc->unset.items[i]) == len && !memcmp(pc->unset.items[i], name, len))
			return;
	if (!(d = malloc(len + 1)) || dc_vec_push(&pc->unset, d)) {
		free(d);
		pc->oom = 1;
		return;
	}
	memcpy(d, name, len);
	d[len] = '\0';
	ctx_diag(&pc->c, DC_SEV_NOTE, pc->cur, "variable %s is not set: an empty string is used, "
		 "as Compose does (set it in the environment, .env or --env-file)", d);
}

/* Interpolate every value of a tree in place (keys are names, not values). */
static void interp_tree(pctx *pc, doc_node *n, unsigned depth)
{
	uint32_t i;
	if (!n || (n->tag & DOC_TAG_DONE) || depth > 512 || pc->oom)
		return;
	n->tag |= DOC_TAG_DONE; /* aliases share nodes: once only */
	if (n->kind == DOC_SCALAR) {
		char *out = NULL, msg[512];
		size_t olen = 0;
		int rc;
		if (!memchr(n->u.s, '$', n->n))
			return;
		pc->cur = n;
		rc = cenv_interpolate(&pc->env, n->u.s, n->n, &out, &olen, msg, sizeof(msg), note_unset, pc);
		if (rc == DC_ENOMEM) {
			pc->oom = 1;
		} else if (rc) {
			ctx_diag(&pc->c, DC_SEV_ERROR, n, "%s", msg);
		} else {
			const char *t = dc_arena_strndup(&pc->a, out, olen);
			if (!t)
				pc->oom = 1;
			else if (olen <= UINT32_MAX - 1) {
				n->u.s = t;
				n->n = (uint32_t)olen;
			}
		}
		free(out);
		return;
	}
	for (i = 0; i < n->n; i++)
		interp_tree(pc, n->kind == DOC_MAP ? n->u.kids[2 * i + 1] : n->u.kids[i], depth + 1);
}

static void set_src(doc_node *n, uint8_t src, unsigned depth)
{
	uint32_t i;
	if (!n || n->src || depth > 512)
		return;
	n->src = src;
	for (i = 0; n->kind != DOC_SCALAR && i < (n->kind == DOC_MAP ? 2 * n->n : n->n); i++)
		set_src(n->u.kids[i], src, depth + 1);
}

/* Register a file's tree as one of the project's sources. */
static int add_src(pctx *pc, doc_stream *ds, uint32_t file_id)
{
	size_t d;
	if (dc_vec_push(&pc->srcs, file_id))
		return DC_ENOMEM;
	pc->c.srcs = pc->srcs.items;
	pc->c.nsrcs = pc->srcs.len;
	if (pc->srcs.len <= 255)
		for (d = 0; d < ds->docs.len; d++)
			set_src(ds->docs.items[d], (uint8_t)pc->srcs.len, 0);
	return 0;
}

static int check_top(pctx *pc, const doc_node *root, int keys)
{
	uint32_t i;
	if (root->kind != DOC_MAP) {
		ctx_diag(&pc->c, DC_SEV_ERROR, root, "a Compose file must be a mapping with 'services', "
			 "not %s", doc_type_name(root));
		return 0;
	}
	for (i = 0; keys && i < root->n; i++) {
		const doc_node *k = root->u.kids[2 * i];
		if (k->kind == DOC_SCALAR && (in_list(k->u.s, top_keys) || !strncmp(k->u.s, "x-", 2)))
			continue;
		ctx_diag(&pc->c, DC_SEV_WARNING, k, "unknown top-level key '%s' in Compose file (ignored)",
			 k->kind == DOC_SCALAR ? k->u.s : doc_type_name(k));
	}
	return 1;
}

static char *join_path(const char *dir, const char *rel)
{
	size_t n;
	char *p;
	if (rel[0] == '/')
		return strdup(rel);
	n = strlen(dir) + strlen(rel) + 2;
	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Read, parse and interpolate another file of the project (extends, include);
 * its first mapping document, or NULL (reported at `at`). */
static doc_node *load_extra(pctx *pc, const char *path, const doc_node *at)
{
	size_t i, len;
	FILE *fp;
	char *buf = NULL;
	int too_big, rc;
	doc_stream *ds;
	uint32_t fid;
	for (i = 0; i < pc->extra_paths.len; i++)
		if (!strcmp(pc->extra_paths.items[i], path))
			return pc->extra.items[i]->docs.len ? pc->extra.items[i]->docs.items[0] : NULL;
	if (!(fp = fopen(path, "rb"))) {
		ctx_diag(&pc->c, DC_SEV_ERROR, at, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	rc = load_read_all(fp, pc->st->max_file, &buf, &len, &too_big);
	fclose(fp);
	if (rc) {
		if (rc == DC_ENOMEM)
			pc->oom = 1;
		else
			ctx_diag(&pc->c, DC_SEV_ERROR, at, "cannot read '%s'%s", path,
				 too_big ? ": larger than the file-size limit" : "");
		free(buf);
		return NULL;
	}
	fid = cat_add_file(pc->c.cat, path);
	ds = calloc(1, sizeof(*ds));
	{
		char *pd = strdup(path);
		if (!fid || !ds || !pd || dc_vec_push(&pc->extra, ds)) {
			free(ds);
			free(pd);
			free(buf);
			pc->oom = 1;
			return NULL;
		}
		if (dc_vec_push(&pc->extra_paths, pd)) {
			free(pd);
			pc->extra.len--;
			free(ds);
			free(buf);
			pc->oom = 1;
			return NULL;
		}
	}
	doc_stream_init(ds, cat_file_name(pc->c.cat, fid));
	rc = doc_parse_yaml(ds, buf, len, &pc->st->lim, pc->c.diags);
	free(buf);
	if (rc == DC_ENOMEM)
		pc->oom = 1;
	if (rc || add_src(pc, ds, fid)) {
		if (!rc)
			pc->oom = 1;
		return NULL;
	}
	for (i = 0; i < ds->docs.len; i++) {
		doc_node *root = ds->docs.items[i];
		if (root && !doc_is_null(root)) {
			interp_tree(pc, root, 0);
			return check_top(pc, root, 1) ? root : NULL;
		}
	}
	return NULL;
}

static char *dir_of(const char *path)
{
	char *d = strdup(path), *sl;
	if (!d)
		return NULL;
	sl = strrchr(d, '/');
	if (sl && sl != d)
		*sl = '\0';
	else if (sl)
		sl[1] = '\0';
	else
		strcpy(d, ".");
	return d;
}

/* The index of service `name` in a services mapping, or -1. */
static long svc_index(const doc_node *svcs, const char *name)
{
	uint32_t i;
	if (!svcs || svcs->kind != DOC_MAP)
		return -1;
	for (i = 0; i < svcs->n; i++)
		if (doc_scalar_is(svcs->u.kids[2 * i], name))
			return (long)i;
	return -1;
}

enum { TAG_BUSY = 0x40 };

/* Replace service i of svcs by the service it extends merged with it. */
static void resolve_extends(pctx *pc, doc_node *svcs, uint32_t i, const char *dir, unsigned depth)
{
	doc_node *v = svcs->u.kids[2 * i + 1], *base_svcs = svcs, *res;
	const doc_node *ext, *bs, *bf = NULL, *over;
	const char *svc = svcs->u.kids[2 * i]->u.s;
	char *base_dir = NULL;
	long j;
	int oom = 0;
	if (!v || v->kind != DOC_MAP || !(ext = doc_get(v, "extends")) || pc->oom)
		return;
	if ((v->tag & TAG_BUSY) || depth > 32) {
		ctx_diag(&pc->c, DC_SEV_ERROR, ext, "extends of '%s' is circular", svc);
		return;
	}
	if (ext->kind == DOC_SCALAR && !doc_is_null(ext)) {
		bs = ext;
	} else if (ext->kind == DOC_MAP && (bs = doc_get(ext, "service")) != NULL && bs->kind == DOC_SCALAR) {
		bf = doc_get(ext, "file");
		if (bf && (bf->kind != DOC_SCALAR || doc_is_null(bf))) {
			ctx_diag(&pc->c, DC_SEV_ERROR, bf, "extends.file of '%s' must be a path, not %s",
				 svc, doc_type_name(bf));
			return;
		}
	} else {
		ctx_diag(&pc->c, DC_SEV_ERROR, ext, "extends of '%s' must name a service (extends: NAME "
			 "or extends: {service: NAME, file: PATH})", svc);
		return;
	}
	if (bf) {
		char *path = join_path(dir, bf->u.s);
		doc_node *root = path ? load_extra(pc, path, bf) : NULL;
		const doc_node *s2;
		if (!path)
			pc->oom = 1;
		base_dir = path ? dir_of(path) : NULL;
		free(path);
		if (!root || !base_dir) {
			free(base_dir);
			return;
		}
		s2 = doc_get(root, "services");
		if (!s2 || s2->kind != DOC_MAP) {
			ctx_diag(&pc->c, DC_SEV_ERROR, bf, "extends of '%s': '%s' has no services mapping",
				 svc, bf->u.s);
			free(base_dir);
			return;
		}
		base_svcs = (doc_node *)s2;
	}
	j = svc_index(base_svcs, bs->u.s);
	if (j < 0) {
		ctx_diag(&pc->c, DC_SEV_ERROR, bs, "'%s' extends service '%s', which is not defined%s%s",
			 svc, bs->u.s, bf ? " in " : "", bf ? bf->u.s : "");
		free(base_dir);
		return;
	}
	v->tag |= TAG_BUSY;
	resolve_extends(pc, base_svcs, (uint32_t)j, base_dir ? base_dir : dir, depth + 1);
	v->tag &= (uint8_t)~TAG_BUSY;
	free(base_dir);
	if (base_svcs->u.kids[2 * j + 1] == v || base_svcs->u.kids[2 * j + 1]->tag & TAG_BUSY)
		return;
	over = cmerge_without(&pc->a, v, "extends", &oom);
	res = oom ? NULL : cmerge(&pc->a, base_svcs->u.kids[2 * j + 1], over, "", &oom);
	if (oom) {
		pc->oom = 1;
		return;
	}
	if (res && doc_get(res, "extends")) /* the base's own, already resolved */
		res = cmerge_without(&pc->a, res, "extends", &oom);
	if (oom)
		pc->oom = 1;
	else if (res)
		svcs->u.kids[2 * i + 1] = res;
}

/* A mapping to merge into: services of `from` added to *acc (conflicts are
 * errors, as Compose reports them). */
static void add_included(pctx *pc, doc_node **acc, const doc_node *from, const doc_node *at)
{
	uint32_t i;
	int oom = 0;
	if (!from || from->kind != DOC_MAP)
		return;
	if (*acc)
		for (i = 0; i < from->n; i++) {
			const doc_node *k = from->u.kids[2 * i];
			if (k->kind == DOC_SCALAR && svc_index(*acc, k->u.s) >= 0)
				ctx_diag(&pc->c, DC_SEV_ERROR, k, "service '%s' is imported twice by include "
					 "(at %u:%u): Compose rejects the conflict", k->u.s, at->line, at->col);
		}
	*acc = *acc ? cmerge(&pc->a, *acc, from, "services", &oom) : (doc_node *)from;
	if (oom)
		pc->oom = 1;
}

static void process_include(pctx *pc, const doc_node *inc, const char *dir, doc_node **acc,
			    unsigned depth)
{
	uint32_t i, j;
	if (!inc || doc_is_null(inc))
		return;
	if (inc->kind != DOC_SEQ) {
		ctx_diag(&pc->c, DC_SEV_ERROR, inc, "include must be a list, not %s", doc_type_name(inc));
		return;
	}
	if (depth > 8) {
		ctx_diag(&pc->c, DC_SEV_ERROR, inc, "include nested more than 8 levels deep (circular?)");
		return;
	}
	for (i = 0; i < inc->n && !pc->oom; i++) {
		const doc_node *it = inc->u.kids[i], *paths = it;
		doc_node *merged = NULL;
		int oom = 0;
		if (it->kind == DOC_MAP)
			paths = doc_get(it, "path");
		if (!paths || (paths->kind != DOC_SCALAR && paths->kind != DOC_SEQ) || doc_is_null(paths)) {
			ctx_diag(&pc->c, DC_SEV_ERROR, it, "an include entry must be a path or a mapping "
				 "with 'path'");
			continue;
		}
		for (j = 0; j < (paths->kind == DOC_SEQ ? paths->n : 1) && !pc->oom; j++) {
			const doc_node *pn = paths->kind == DOC_SEQ ? paths->u.kids[j] : paths;
			char *path, *idir;
			doc_node *root;
			const doc_node *svcs;
			if (pn->kind != DOC_SCALAR || doc_is_null(pn)) {
				ctx_diag(&pc->c, DC_SEV_ERROR, pn, "include path must be a string, not %s",
					 doc_type_name(pn));
				continue;
			}
			if (!(path = join_path(dir, pn->u.s)) || !(idir = dir_of(path))) {
				free(path);
				pc->oom = 1;
				break;
			}
			root = load_extra(pc, path, pn);
			if (root) {
				doc_node *sub = NULL;
				process_include(pc, doc_get(root, "include"), idir, &sub, depth + 1);
				svcs = doc_get(root, "services");
				if (svcs && svcs->kind == DOC_MAP) {
					uint32_t k;
					for (k = 0; k < svcs->n; k++)
						resolve_extends(pc, (doc_node *)svcs, k, idir, 0);
					sub = sub ? cmerge(&pc->a, sub, svcs, "services", &oom) : (doc_node *)svcs;
				}
				/* several paths of one entry merge like -f files */
				if (sub)
					merged = merged ? cmerge(&pc->a, merged, sub, "services", &oom) : sub;
				if (oom)
					pc->oom = 1;
			}
			free(path);
			free(idir);
		}
		if (merged)
			add_included(pc, acc, merged, it);
	}
}

static int add_alias(pview *pv, dc_arena *a, const char *name, size_t n, const char *svc)
{
	host_alias h;
	char *l = dc_arena_strndup(a, name, n);
	size_t i;
	if (!l)
		return DC_ENOMEM;
	for (i = 0; i < n; i++)
		l[i] = (char)tolower((unsigned char)l[i]);
	h.name = l;
	h.svc = svc;
	return dc_vec_push(&pv->hosts, h);
}

static int has_profile(const doc_node *prof, const cstate *st, const char *envp)
{
	uint32_t i;
	size_t j;
	if (!prof || prof->kind != DOC_SEQ || prof->n == 0)
		return 1; /* no profile: always enabled */
	for (i = 0; i < prof->n; i++) {
		const doc_node *p = prof->u.kids[i];
		if (p->kind != DOC_SCALAR)
			continue;
		for (j = 0; j < st->profiles.len; j++)
			if (!strcmp(st->profiles.items[j], "*") || !strcmp(st->profiles.items[j], p->u.s))
				return 1;
		if (!st->profiles.len && envp) {
			/* COMPOSE_PROFILES=a,b */
			const char *q = envp, *it;
			size_t len;
			while (doc_next_item(&q, envp + strlen(envp), &it, &len))
				if ((len == 1 && *it == '*') || (len == p->n && !memcmp(it, p->u.s, len)))
					return 1;
		}
	}
	return 0;
}

/* The project's name: `name:` of its files, else its directory's name in
 * lowercase, as Compose normalizes it (letters, digits, '-', '_'). */
static void project_name(const char *dir, const char *given, char *out, size_t size)
{
	const char *b = given ? given : base_name(dir);
	size_t w = 0;
	for (; *b && w + 1 < size; b++) {
		unsigned char ch = (unsigned char)*b;
		if (isalnum(ch) || ch == '-' || ch == '_')
			out[w++] = (char)tolower(ch);
	}
	out[w] = '\0';
	if (!w)
		snprintf(out, size, "default");
}

static int cmp_file(const void *a, const void *b)
{
	const cfile *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int load_project(pctx *pc, str_vec *names, int namespaced)
{
	cproj *p = pc->p;
	cstate *st = pc->st;
	doc_node *merged = NULL, *included = NULL;
	const char *given = NULL;
	char pname[256];
	pview pv;
	size_t f, d, j;
	uint32_t i;
	int oom = 0, rc = 0;
	DC_VEC(const char *) profs = {0};
	size_t inactive = 0;
	const char *envp;

	qsort(p->files.items, p->files.len, sizeof(cfile), cmp_file);
	for (f = 0; f < p->files.len; f++)
		if (add_src(pc, &p->files.items[f].ds, p->files.items[f].file_id))
			return DC_ENOMEM;
	/* the environment: the process's, then .env (or --env-file) for the rest */
	if (cenv_add_process(&pc->env))
		return DC_ENOMEM;
	{
		size_t nf = st->env_files.len ? st->env_files.len : 1;
		for (j = 0; j < nf; j++) {
			char *path = st->env_files.len ? strdup(st->env_files.items[j]) : join_path(p->dir, ".env");
			unsigned bad = 0;
			int r;
			if (!path)
				return DC_ENOMEM;
			r = cenv_read_file(&pc->env, path, 0, &bad);
			if (r == DC_ENOMEM) {
				free(path);
				return r;
			}
			if (r && st->env_files.len)
				dc_diags_add(pc->c.diags, DC_SEV_ERROR, path, 0, 0, "cannot read env file: %s",
					     strerror(errno));
			else if (!r && bad)
				dc_diags_add(pc->c.diags, DC_SEV_WARNING, path, bad, 1, "not a KEY=VALUE line "
					     "(skipped; Compose rejects it)");
			free(path);
		}
	}
	envp = cenv_get(&pc->env, "COMPOSE_PROFILES", 16);
	/* every document of every file, in order: interpolate, check, merge */
	for (f = 0; f < p->files.len && !pc->oom; f++) {
		doc_stream *ds = &p->files.items[f].ds;
		char *fdir = dir_of(cat_file_name(pc->c.cat, p->files.items[f].file_id));
		if (!fdir)
			return DC_ENOMEM;
		for (d = 0; d < ds->docs.len && !pc->oom; d++) {
			doc_node *root = ds->docs.items[d];
			const doc_node *svcs, *nm;
			if (!root || doc_is_null(root))
				continue;
			interp_tree(pc, root, 0);
			if (!check_top(pc, root, 0))
				continue;
			if ((nm = doc_get(root, "name")) != NULL && doc_str(nm))
				given = doc_str(nm);
			process_include(pc, doc_get(root, "include"), fdir, &included, 0);
			svcs = doc_get(root, "services");
			if (!svcs || doc_is_null(svcs)) {
				if (p->files.len == 1 && !doc_get(root, "include"))
					ctx_diag(&pc->c, DC_SEV_WARNING, svcs ? svcs : root,
						 "Compose file without services");
				continue;
			}
			if (svcs->kind != DOC_MAP) {
				ctx_diag(&pc->c, DC_SEV_ERROR, svcs, "services must be a mapping of service "
					 "names, not %s", doc_type_name(svcs));
				continue;
			}
			merged = merged ? cmerge(&pc->a, merged, svcs, "services", &oom) : (doc_node *)svcs;
			if (oom)
				pc->oom = 1;
		}
		free(fdir);
	}
	if (pc->oom)
		return DC_ENOMEM;
	if (included) {
		if (merged)
			for (i = 0; i < merged->n; i++) {
				const doc_node *k = merged->u.kids[2 * i];
				if (k->kind == DOC_SCALAR && svc_index(included, k->u.s) >= 0)
					ctx_diag(&pc->c, DC_SEV_ERROR, k, "service '%s' is also imported by "
						 "include: Compose rejects the conflict", k->u.s);
			}
		merged = merged ? cmerge(&pc->a, included, merged, "services", &oom) : included;
		if (oom)
			return DC_ENOMEM;
	}
	if (!merged)
		return 0;
	for (i = 0; i < merged->n; i++)
		resolve_extends(pc, merged, i, p->dir, 0);
	if (pc->oom)
		return DC_ENOMEM;

	/* the namespace */
	project_name(p->dir, given, pname, sizeof(pname));
	for (j = 0; j < names->len; j++)
		if (!strcmp(names->items[j], pname)) {
			size_t l = strlen(pname);
			snprintf(pname + l, sizeof(pname) - l, "-%zu", names->len + 1);
			break;
		}
	{
		char *nd = strdup(pname);
		if (!nd || dc_vec_push(names, nd)) {
			free(nd);
			return DC_ENOMEM;
		}
	}

	/* profiles */
	for (i = 0; i < merged->n; i++) {
		const doc_node *v = merged->u.kids[2 * i + 1], *pr;
		uint32_t q;
		if (!v || v->kind != DOC_MAP || !(pr = doc_get(v, "profiles")))
			continue;
		if (pr->kind != DOC_SEQ) {
			ctx_diag(&pc->c, DC_SEV_ERROR, pr, "profiles of '%s' must be a list, not %s",
				 merged->u.kids[2 * i]->u.s, doc_type_name(pr));
			continue;
		}
		for (q = 0; q < pr->n; q++) {
			const char *nm = doc_str(pr->u.kids[q]);
			size_t z;
			int seen = 0;
			if (!nm)
				continue;
			for (z = 0; z < profs.len && !seen; z++)
				seen = !strcmp(profs.items[z], nm);
			if (!seen && dc_vec_push(&profs, nm)) {
				dc_vec_free(&profs);
				return DC_ENOMEM;
			}
		}
	}

	memset(&pv, 0, sizeof(pv));
	pv.proj = namespaced ? pname : NULL;
	pv.env = &pc->env;
	pv.arena = &pc->a;
	pv.telemetry_hard = (st->flags & DC_LOAD_TELEMETRY_HARD) != 0;
	/* the networks every file read declares (include and extends files too:
	 * a superset, so that no declared network is reported missing) */
	for (f = 0; f < p->files.len && !rc; f++)
		for (d = 0; d < p->files.items[f].ds.docs.len && !rc; d++) {
			const doc_node *root = p->files.items[f].ds.docs.items[d], *nets;
			if (root && root->kind == DOC_MAP && (nets = doc_get(root, "networks")) &&
			    nets->kind == DOC_MAP && dc_vec_push(&pv.nets, nets))
				rc = DC_ENOMEM;
		}
	for (j = 0; j < pc->extra.len && !rc; j++)
		for (d = 0; d < pc->extra.items[j]->docs.len && !rc; d++) {
			const doc_node *root = pc->extra.items[j]->docs.items[d], *nets;
			if (root && root->kind == DOC_MAP && (nets = doc_get(root, "networks")) &&
			    nets->kind == DOC_MAP && dc_vec_push(&pv.nets, nets))
				rc = DC_ENOMEM;
		}
	for (i = 0; i < merged->n && !rc; i++) {
		const doc_node *k = merged->u.kids[2 * i], *v = merged->u.kids[2 * i + 1], *x;
		if (k->kind != DOC_SCALAR || !v || v->kind != DOC_MAP)
			continue;
		if (profs.len && (st->profiles.len || envp) && !has_profile(doc_get(v, "profiles"), st, envp))
			continue;
		rc = add_alias(&pv, &pc->a, k->u.s, k->n, k->u.s);
		if (!rc && (x = doc_get(v, "container_name")) && doc_str(x) && x->kind == DOC_SCALAR)
			rc = add_alias(&pv, &pc->a, x->u.s, x->n, k->u.s);
		if (!rc && (x = doc_get(v, "hostname")) && doc_str(x) && x->kind == DOC_SCALAR)
			rc = add_alias(&pv, &pc->a, x->u.s, x->n, k->u.s);
		/* networks: {NET: {aliases: [...]}}: other containers of NET reach
		 * the service by those names too */
		if (!rc && (x = doc_get(v, "networks")) && x->kind == DOC_MAP) {
			uint32_t q, z;
			for (q = 0; q < x->n && !rc; q++) {
				const doc_node *nv = x->u.kids[2 * q + 1], *al;
				if (!nv || nv->kind != DOC_MAP || !(al = doc_get(nv, "aliases")))
					continue;
				if (al->kind != DOC_SEQ) {
					ctx_diag(&pc->c, DC_SEV_ERROR, al, "aliases of '%s' on network '%s' must be "
						 "a list, not %s", k->u.s, doc_str(x->u.kids[2 * q]) ? x->u.kids[2 * q]->u.s
						 : "?", doc_type_name(al));
					continue;
				}
				for (z = 0; z < al->n && !rc; z++) {
					const doc_node *a = al->u.kids[z];
					if (a->kind == DOC_SCALAR && a->n && !doc_is_null(a))
						rc = add_alias(&pv, &pc->a, a->u.s, a->n, k->u.s);
				}
			}
		}
		if (!rc && !(st->flags & DC_LOAD_TELEMETRY_HARD)) {
			char why[300];
			const doc_node *im = doc_get(v, "image");
			if (telemetry_sink(k->u.s, im && im->kind == DOC_SCALAR ? doc_str(im) : NULL, why,
					   sizeof(why))) {
				sink_t sk;
				sk.svc = k->u.s;
				sk.why = dc_arena_strndup(&pc->a, why, strlen(why));
				if (!sk.why || dc_vec_push(&pv.sinks, sk))
					rc = DC_ENOMEM;
			}
		}
	}
	if (rc) {
		dc_vec_free(&profs);
		dc_vec_free(&pv.hosts);
		dc_vec_free(&pv.sinks);
		dc_vec_free(&pv.nets);
		return DC_ENOMEM;
	}
	if (pv.hosts.len)
		qsort(pv.hosts.items, pv.hosts.len, sizeof(host_alias), cmp_alias);
	ctx_defaults(&pc->c);
	for (i = 0; i < merged->n && !rc; i++) {
		const doc_node *v = merged->u.kids[2 * i + 1];
		if (profs.len && (st->profiles.len || envp) && v && v->kind == DOC_MAP &&
		    !has_profile(doc_get(v, "profiles"), st, envp)) {
			inactive++;
			continue;
		}
		if (load_service(&pc->c, merged->u.kids[2 * i], v, &pv) == DC_ENOMEM)
			rc = DC_ENOMEM;
	}
	if (!rc && profs.len) {
		char list[512];
		size_t used = 0;
		list[0] = '\0';
		for (j = 0; j < profs.len && used < sizeof(list); j++) {
			int w = snprintf(list + used, sizeof(list) - used, "%s%s", j ? ", " : "", profs.items[j]);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		if ((st->profiles.len || envp) && !inactive)
			dc_diags_add(pc->c.diags, DC_SEV_NOTE, pc->c.file, 1, 1, "Compose profiles in this "
				     "project: %s; the active profiles enable every service", list);
		else if (st->profiles.len || envp)
			dc_diags_add(pc->c.diags, DC_SEV_NOTE, pc->c.file, 1, 1, "Compose profiles in this "
				     "project: %s; %zu service%s not enabled by the active profiles %s not loaded",
				     list, inactive, inactive == 1 ? "" : "s", inactive == 1 ? "is" : "are");
		else
			dc_diags_add(pc->c.diags, DC_SEV_NOTE, pc->c.file, 1, 1, "Compose profiles in this "
				     "project: %s; every service is loaded, as if all were active "
				     "(--profile P loads only P's services and those without a profile)", list);
	}
	dc_vec_free(&profs);
	dc_vec_free(&pv.hosts);
	dc_vec_free(&pv.sinks);
	dc_vec_free(&pv.nets);
	return rc ? rc : pc->c.status;
}

/* The canonical path of rel (relative to the directory of file), pushed to v. */
static int push_ref(str_vec *v, const char *file, const char *rel)
{
	char *dir = dir_of(file), *path = dir ? join_path(dir, rel) : NULL, canon[PATH_MAX];
	char *d = NULL;
	int rc = 0;
	if (!dir || !path)
		rc = DC_ENOMEM;
	else if (realpath(path, canon) && (!(d = strdup(canon)) || dc_vec_push(v, d))) {
		free(d);
		rc = DC_ENOMEM;
	}
	free(dir);
	free(path);
	return rc;
}

/* Files that a project reads through include or extends.file are part of
 * that project, not projects of their own (a directory walk finds them too). */
static int referenced_files(cstate *st, dc_catalog *cat, str_vec *out)
{
	size_t i, f, d;
	uint32_t k, j;
	int rc = 0;
	for (i = 0; i < st->projs.len && !rc; i++)
		for (f = 0; f < st->projs.items[i].files.len && !rc; f++) {
			const cfile *cf = &st->projs.items[i].files.items[f];
			const char *file = cat_file_name(cat, cf->file_id);
			for (d = 0; d < cf->ds.docs.len && !rc; d++) {
				const doc_node *root = cf->ds.docs.items[d], *inc, *svcs;
				if (!root || root->kind != DOC_MAP)
					continue;
				if ((inc = doc_get(root, "include")) && inc->kind == DOC_SEQ)
					for (k = 0; k < inc->n && !rc; k++) {
						const doc_node *it = inc->u.kids[k], *pth = it;
						if (it->kind == DOC_MAP)
							pth = doc_get(it, "path");
						if (pth && pth->kind == DOC_SCALAR)
							rc = push_ref(out, file, pth->u.s);
						else if (pth && pth->kind == DOC_SEQ)
							for (j = 0; j < pth->n && !rc; j++)
								if (pth->u.kids[j]->kind == DOC_SCALAR)
									rc = push_ref(out, file, pth->u.kids[j]->u.s);
					}
				if ((svcs = doc_get(root, "services")) && svcs->kind == DOC_MAP)
					for (k = 0; k < svcs->n && !rc; k++) {
						const doc_node *v = svcs->u.kids[2 * k + 1], *e, *fl;
						if (v->kind == DOC_MAP && (e = doc_get(v, "extends")) &&
						    e->kind == DOC_MAP && (fl = doc_get(e, "file")) &&
						    fl->kind == DOC_SCALAR)
							rc = push_ref(out, file, fl->u.s);
					}
			}
		}
	return rc;
}

static int flush_all(dc_catalog *cat, dc_diags *diags)
{
	cstate *st = cat->compose;
	str_vec names = {0}, refs = {0};
	size_t i, k, nproj = 0;
	int rc = 0, namespaced;
	if (!st)
		return 0;
	rc = referenced_files(st, cat, &refs);
	for (i = 0; i < st->projs.len && !rc; i++) {
		cproj *p = &st->projs.items[i];
		size_t f, w = 0;
		for (f = 0; f < p->files.len; f++) {
			char canon[PATH_MAX];
			int used = 0;
			if (realpath(cat_file_name(cat, p->files.items[f].file_id), canon))
				for (k = 0; k < refs.len && !used; k++)
					used = !strcmp(refs.items[k], canon);
			if (used)
				doc_stream_free(&p->files.items[f].ds);
			else
				p->files.items[w++] = p->files.items[f];
		}
		p->files.len = w;
		nproj += w > 0;
	}
	for (k = 0; k < refs.len; k++)
		free(refs.items[k]);
	dc_vec_free(&refs);
	if (rc)
		return rc;
	namespaced = nproj > 1;
	for (i = 0; i < st->projs.len && rc != DC_ENOMEM; i++) {
		pctx pc;
		cproj *p = &st->projs.items[i];
		int r;
		if (!p->files.len)
			continue;
		memset(&pc, 0, sizeof(pc));
		pc.c = st->tmpl;
		pc.c.cat = cat;
		pc.c.diags = diags;
		pc.c.opts = NULL;
		pc.c.follow = NULL;
		pc.c.location_chain = NULL;
		memset(&pc.c.streamed, 0, sizeof(pc.c.streamed));
		pc.c.status = 0;
		pc.c.format = DC_FORMAT_COMPOSE;
		pc.c.dir = p->dir;
		pc.st = st;
		pc.p = p;
		dc_arena_init(&pc.a);
		qsort(p->files.items, p->files.len, sizeof(cfile), cmp_file);
		pc.c.file_id = p->files.items[0].file_id;
		pc.c.file = cat_file_name(cat, pc.c.file_id);
		r = load_project(&pc, &names, namespaced);
		if (r && !rc)
			rc = r;
		if (pc.oom)
			rc = DC_ENOMEM;
		cenv_free(&pc.env);
		dc_vec_free(&pc.srcs);
		for (k = 0; k < pc.extra.len; k++) {
			doc_stream_free(pc.extra.items[k]);
			free(pc.extra.items[k]);
		}
		dc_vec_free(&pc.extra);
		for (k = 0; k < pc.extra_paths.len; k++)
			free(pc.extra_paths.items[k]);
		dc_vec_free(&pc.extra_paths);
		for (k = 0; k < pc.unset.len; k++)
			free(pc.unset.items[k]);
		dc_vec_free(&pc.unset);
		dc_arena_free(&pc.a);
		free_proj(p);
		memset(p, 0, sizeof(*p));
	}
	for (k = 0; k < names.len; k++)
		free(names.items[k]);
	dc_vec_free(&names);
	return rc;
}

/* The loader table's entry: Compose files are deferred by load.c
 * (compose_defer); a direct call loads the stream as a project of its own. */
int load_compose(load_ctx *c, const doc_stream *ds)
{
	(void)c;
	(void)ds;
	return DC_EINVALID;
}
