/*
 * load_backstage.c - Backstage software catalogs (`catalog-info.yaml`,
 * multi-document YAML or JSON; docs/inputs.md).
 *
 * Each document is one entity. Component and Resource entities become
 * services keyed by their lowercase entity ref `kind:namespace/name` (the
 * catalog shows the shortest unique form). Their relations become
 * dependencies whose targets stay text until dc_catalog_finalize(), which
 * applies Backstage's defaulting (namespace of the declaring entity; a
 * dependsOn ref without a kind is a Component, then a Resource):
 *
 *   spec.dependsOn      hard edge, entity -> ref (an `api:` ref: to its providers)
 *   spec.dependencyOf   hard edge, ref -> entity (DEP_REVERSED, swapped at finalize)
 *   spec.consumesApis   hard edge to every provider of the API (expanded at finalize)
 *   spec.providesApis   registers the entity as a provider of the API
 *   spec.owner/system   owner / system: the name part of the ref
 *   metadata.tags/description, and the `depcheck.dev/...` annotations
 *
 * `depcheck.dev/soft-dependencies` lists refs whose dependency is soft. A
 * ref that is also in dependsOn (or an `api:` ref also in consumesApis)
 * turns that entry soft instead of adding a second edge: the annotation
 * exists to weaken declared relations. Refs are compared after lowercasing
 * and namespace defaulting; a ref without a kind matches `component:` and
 * `resource:` refs of the same name (finalize would resolve it to one of
 * them).
 *
 * API entities register the API (so a consumed API nobody provides is a
 * warning, not an unknown reference). System, Domain, Group, User and
 * Template entities carry no services and are skipped; other kinds are
 * warned about. Every entity that is no service is counted by kind
 * (cat_note_entity): a catalog of only such entities is valid, and
 * finalize says what it held. Location entities are followed: relative targets from the
 * Location file's directory, glob patterns expanded (sorted), never outside
 * the catalog root, each file once, cycles reported, at most
 * MAX_LOCATION_DEPTH nested Locations (the recursion through the context's
 * `follow`, set by load.c, bounded by that limit). A pattern with a `**`
 * segment is expanded here as Backstage's reader (node-glob) does: any
 * depth, no dot directories, no symbolic links to directories (a recursion
 * bounded by GLOBSTAR_DEPTH); other patterns by glob(3). Remote (URL)
 * targets are not fetched.
 *
 * Limits: refs are strings only (no `{kind, namespace, name}` objects); the
 * owner of a System is not inherited by its components; a
 * soft-dependencies entry naming the provider component of an API that is
 * also in consumesApis does not make that edge soft (write the `api:` ref
 * instead: the provider is only known at finalize).
 */
#include "load_attrs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_LOCATION_DEPTH 64u
#define REF_MAX 1024 /* longest entity ref accepted (Backstage names are <= 63 chars) */

/* ---- entity refs ----------------------------------------------------------- */

/* `[kind:][namespace/]name`, pieces pointing into the text. */
typedef struct {
	const char *kind, *ns, *name;
	size_t klen, nslen, namelen;
} bs_ref;

/* Split a ref; -1 when a piece is empty or the name has a stray ':' or '/'. */
static int parse_ref(const char *s, size_t len, bs_ref *r)
{
	const char *end = s + len, *colon = memchr(s, ':', len), *slash;
	memset(r, 0, sizeof(*r));
	if (colon) {
		r->kind = s;
		r->klen = (size_t)(colon - s);
		s = colon + 1;
		if (r->klen == 0 || memchr(r->kind, '/', r->klen))
			return -1;
	}
	slash = memchr(s, '/', (size_t)(end - s));
	if (slash) {
		r->ns = s;
		r->nslen = (size_t)(slash - s);
		s = slash + 1;
		if (r->nslen == 0)
			return -1;
	}
	r->name = s;
	r->namelen = (size_t)(end - s);
	if (r->namelen == 0 || memchr(s, '/', r->namelen) || memchr(s, ':', r->namelen))
		return -1;
	return 0;
}

static int ieq(const char *a, size_t alen, const char *b)
{
	return alen == strlen(b) && strncasecmp(a, b, alen) == 0;
}

/* Lowercase "kind:ns/name" into buf; the ref's own kind and namespace win
 * over the defaults. Returns the length, or -1 when it does not fit. */
static int full_ref(char *buf, size_t size, const bs_ref *r, const char *defkind, const char *defns)
{
	const char *k = r->kind ? r->kind : defkind, *ns = r->ns ? r->ns : defns;
	int kl = (int)(r->kind ? r->klen : strlen(defkind));
	int nl = (int)(r->ns ? r->nslen : strlen(defns));
	int w = snprintf(buf, size, "%.*s:%.*s/%.*s", kl, k, nl, ns, (int)r->namelen, r->name), i;
	if (w < 0 || (size_t)w >= size)
		return -1;
	for (i = 0; i < w; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	return w;
}

/* Do two refs written in one entity (namespace `ns`) name the same thing?
 * A missing kind stands for component-then-resource, so it matches either. */
static int same_ref(const bs_ref *a, const bs_ref *b, const char *ns)
{
	const char *ans = a->ns ? a->ns : ns, *bns = b->ns ? b->ns : ns;
	size_t anl = a->ns ? a->nslen : strlen(ns), bnl = b->ns ? b->nslen : strlen(ns);
	if (a->namelen != b->namelen || strncasecmp(a->name, b->name, a->namelen) ||
	    anl != bnl || strncasecmp(ans, bns, anl))
		return 0;
	if (a->kind && b->kind)
		return a->klen == b->klen && strncasecmp(a->kind, b->kind, a->klen) == 0;
	if (!a->kind && !b->kind)
		return 1;
	if (a->kind)
		return ieq(a->kind, a->klen, "component") || ieq(a->kind, a->klen, "resource");
	return ieq(b->kind, b->klen, "component") || ieq(b->kind, b->klen, "resource");
}

/* ---- per-entity state -------------------------------------------------------- */

/* One entry of depcheck.dev/soft-dependencies. */
typedef struct {
	bs_ref ref;
	const doc_node *at;     /* annotation value (or list item) for positions */
	uint32_t text;          /* interned ref text */
	int used;               /* matched a dependsOn/consumesApis entry */
} soft_ent;

typedef struct {
	load_ctx *c;
	dc_id id;
	const char *name;       /* metadata.name, for messages */
	const char *ns;         /* namespace (default "default") */
	uint32_t ns_id;
	DC_VEC(soft_ent) soft;
	int rc;                 /* DC_ENOMEM once out of memory */
} entity;

static const char *const service_spec_keys[] = {
	"type", "lifecycle", "owner", "system", "subcomponentOf", "providesApis", "consumesApis",
	"dependsOn", "dependencyOf", NULL
};

static int known_key(const char *k, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(k, *list))
			return 1;
	return 0;
}

/* Value of `key` in a mapping, and its key node (for positions). */
static const doc_node *get_kv(const doc_node *m, const char *key, const doc_node **knode)
{
	uint32_t i;
	if (knode)
		*knode = NULL;
	if (!m || m->kind != DOC_MAP)
		return NULL;
	for (i = 0; i < m->n; i++) {
		const doc_node *k = m->u.kids[2 * i];
		if (k->kind == DOC_SCALAR && !strcmp(k->u.s, key)) {
			if (knode)
				*knode = k;
			return m->u.kids[2 * i + 1];
		}
	}
	return NULL;
}

/* A non-empty string scalar (not null, not a mapping or sequence). */
static const char *ref_text(const doc_node *n)
{
	const char *s = doc_str(n);
	return s && n->kind == DOC_SCALAR && n->n ? s : NULL;
}

static void add_dep(entity *e, const doc_node *at, uint32_t target, const char *origin,
		    uint8_t reftype, uint8_t flags, uint8_t kind)
{
	dep_t d;
	if (e->rc)
		return;
	cat_dep_init(&d, e->id, target, ctx_loc(e->c, at));
	d.timeout_ms = e->c->def_timeout_ms;
	d.retries = e->c->def_retries;
	d.reftype = reftype;
	d.flags = flags;
	d.kind = kind;
	d.ctx_ns = e->ns_id;
	d.origin = cat_intern(e->c->cat, origin);
	if (!d.origin)
		e->rc = ctx_fail(e->c, DC_ENOMEM);
	else if (ctx_add_dep(e->c, &d))
		e->rc = e->c->status;
}

/* ---- relations -------------------------------------------------------------- */

enum { REL_DEPENDS_ON, REL_DEPENDENCY_OF, REL_PROVIDES, REL_CONSUMES };

static void relation_list(entity *e, const doc_node *seq, const char *field, int rel)
{
	load_ctx *c = e->c;
	uint32_t i;
	if (doc_is_null(seq))
		return; /* `dependsOn:` with nothing after it */
	if (seq->kind != DOC_SEQ) {
		ctx_diag(c, DC_SEV_ERROR, seq, "%s of '%s' must be a list of entity references, not %s",
			 field, e->name, doc_type_name(seq));
		return;
	}
	for (i = 0; i < seq->n && !e->rc; i++) {
		const doc_node *it = seq->u.kids[i];
		const char *s = ref_text(it);
		bs_ref r;
		uint32_t t;
		size_t k;
		if (!s) {
			ctx_diag(c, DC_SEV_ERROR, it, "an entry of %s of '%s' must be an entity reference, "
				 "not %s", field, e->name, it->kind == DOC_SCALAR && it->n == 0 && it->quoted
				 ? "an empty string" : doc_type_name(it));
			continue;
		}
		if (parse_ref(s, it->n, &r)) {
			ctx_diag(c, DC_SEV_ERROR, it, "invalid entity reference '%s' in %s of '%s' "
				 "(expected [kind:][namespace/]name)", s, field, e->name);
			continue;
		}
		if ((rel == REL_DEPENDS_ON || rel == REL_DEPENDENCY_OF) && !r.kind)
			ctx_diag(c, DC_SEV_WARNING, it, "%s entry '%s' of '%s' has no kind, which Backstage "
				 "rejects (\"missing or empty kind\"); depcheck reads it as a Component, else a "
				 "Resource: write component:%s or resource:%s", field, s, e->name, s, s);
		if ((rel == REL_PROVIDES || rel == REL_CONSUMES) && r.kind && !ieq(r.kind, r.klen, "api")) {
			ctx_diag(c, DC_SEV_ERROR, it, "'%s' in %s of '%s' is not an API reference", s,
				 field, e->name);
			continue;
		}
		if (rel == REL_PROVIDES) {
			char buf[REF_MAX];
			int w = full_ref(buf, sizeof(buf), &r, "api", e->ns);
			uint32_t api;
			if (w < 0) {
				ctx_diag(c, DC_SEV_ERROR, it, "entity reference too long in %s of '%s'", field,
					 e->name);
				continue;
			}
			api = cat_intern_n(c->cat, buf, (size_t)w);
			if (!api || cat_add_api(c->cat, api, e->id, ctx_loc(c, it)))
				e->rc = DC_ENOMEM;
			continue;
		}
		t = cat_intern_n(c->cat, s, it->n);
		if (!t) {
			e->rc = DC_ENOMEM;
			break;
		}
		if (rel == REL_DEPENDENCY_OF) {
			add_dep(e, it, t, field, REF_BS_ENTITY, DEP_REVERSED, DC_DEP_HARD);
			continue;
		}
		/* dependsOn / consumesApis: soft when the annotation names it. A
		 * dependsOn on an `api:` ref means its providers, as consumesApis does. */
		{
			uint8_t kind = DC_DEP_HARD;
			int as_api = rel == REL_CONSUMES || (r.kind && ieq(r.kind, r.klen, "api"));
			for (k = 0; k < e->soft.len; k++) {
				soft_ent *se = &e->soft.items[k];
				int api = se->ref.kind && ieq(se->ref.kind, se->ref.klen, "api");
				if (as_api) {
					bs_ref ar = r;
					if (!api)
						continue;
					ar.kind = "api";
					ar.klen = 3;
					if (!same_ref(&se->ref, &ar, e->ns))
						continue;
				} else if (api || !same_ref(&se->ref, &r, e->ns)) {
					continue;
				}
				se->used = 1;
				kind = DC_DEP_SOFT;
			}
			if (as_api)
				/* a dependsOn on the provider too is the same edge, not a mistake */
				add_dep(e, it, t, field, REF_BS_API, DEP_QUIET_DUP, kind);
			else
				add_dep(e, it, t, field, REF_BS_ENTITY, 0, kind);
		}
	}
}

/* owner / system: the name part of a ref, "ns/name" outside the default namespace. */
static void set_ref_attr(entity *e, const doc_node *v, const char *field, uint32_t *slot)
{
	const char *s = ref_text(v);
	bs_ref r;
	char buf[REF_MAX];
	int w;
	uint32_t id;
	if (!s) {
		ctx_diag(e->c, DC_SEV_ERROR, v, "%s of '%s' must be an entity reference, not %s", field,
			 e->name, doc_type_name(v));
		return;
	}
	if (parse_ref(s, v->n, &r)) {
		ctx_diag(e->c, DC_SEV_ERROR, v, "invalid entity reference '%s' in %s of '%s' "
			 "(expected [kind:][namespace/]name)", s, field, e->name);
		return;
	}
	if (r.ns && !ieq(r.ns, r.nslen, "default"))
		w = snprintf(buf, sizeof(buf), "%.*s/%.*s", (int)r.nslen, r.ns, (int)r.namelen, r.name);
	else
		w = snprintf(buf, sizeof(buf), "%.*s", (int)r.namelen, r.name);
	if (w < 0 || (size_t)w >= sizeof(buf)) {
		ctx_diag(e->c, DC_SEV_ERROR, v, "%s of '%s' is too long", field, e->name);
		return;
	}
	id = cat_intern_n(e->c->cat, buf, (size_t)w);
	if (!id)
		e->rc = DC_ENOMEM;
	*slot = id;
}

/* ---- annotations ------------------------------------------------------------- */

static void soft_add(entity *e, const doc_node *at, const char *s, size_t len)
{
	soft_ent se;
	memset(&se, 0, sizeof(se));
	se.at = at;
	if (parse_ref(s, len, &se.ref)) {
		ctx_diag(e->c, DC_SEV_ERROR, at, "invalid entity reference '%.*s' in "
			 "depcheck.dev/soft-dependencies of '%s' (expected [kind:][namespace/]name)",
			 (int)len, s, e->name);
		return;
	}
	se.text = cat_intern_n(e->c->cat, s, len);
	if (!se.text || dc_vec_push(&e->soft, se))
		e->rc = DC_ENOMEM;
}

/* depcheck.dev/soft-dependencies: "a, component:b, api:c" (or a YAML list). */
static void soft_annotation(entity *e, const doc_node *v)
{
	if (v->kind == DOC_SEQ) {
		uint32_t i;
		for (i = 0; i < v->n; i++) {
			const doc_node *it = v->u.kids[i];
			if (!ref_text(it))
				ctx_diag(e->c, DC_SEV_ERROR, it, "an entry of depcheck.dev/soft-dependencies "
					 "of '%s' must be an entity reference, not %s", e->name,
					 doc_type_name(it));
			else
				soft_add(e, it, it->u.s, it->n);
		}
		return;
	}
	if (v->kind != DOC_SCALAR || doc_is_null(v)) {
		ctx_diag(e->c, DC_SEV_ERROR, v, "depcheck.dev/soft-dependencies of '%s' must be a "
			 "comma-separated list of entity references, not %s", e->name, doc_type_name(v));
		return;
	}
	{
		const char *p = v->u.s, *a;
		size_t len;
		while (!e->rc && doc_next_item(&p, v->u.s + v->n, &a, &len))
			soft_add(e, v, a, len);
	}
}

static void annotations(entity *e, const doc_node *m)
{
	static const char *const attrs[][2] = {
		{ "tier", "tier" }, { "replicas", "replicas" }, { "zones", "zones" },
		{ "availability", "availability" }, { "slo", "slo" }, { "latency-ms", "latency_ms" },
		{ "traffic-rps", "traffic_rps" }, { "capacity-rps", "capacity_rps" },
		{ "max-concurrency", "max_concurrency" }, { "entrypoint", "entrypoint" }, { NULL, NULL }
	};
	uint32_t i;
	if (doc_is_null(m))
		return;
	if (m->kind != DOC_MAP) {
		ctx_diag(e->c, DC_SEV_ERROR, m, "metadata.annotations of '%s' must be a mapping, not %s",
			 e->name, doc_type_name(m));
		return;
	}
	for (i = 0; i < m->n && !e->rc; i++) {
		const doc_node *k = m->u.kids[2 * i], *v = m->u.kids[2 * i + 1];
		const char *key;
		int a;
		if (k->kind == DOC_SCALAR && !strcmp(k->u.s, "backstage.io/kubernetes-id")) {
			/* the name of its workloads in Kubernetes: the explicit
			 * mapping of one service, many sources (catalog_merge.c) */
			if (v->kind != DOC_SCALAR || doc_is_null(v) || v->n == 0)
				ctx_diag(e->c, DC_SEV_WARNING, v, "backstage.io/kubernetes-id of '%s' must be a "
					 "non-empty string, not %s; it is ignored", e->name, doc_type_name(v));
			else if (e->id != DC_NO_ID && cat_add_k8s_id(e->c->cat, e->id, v->u.s, v->n))
				e->rc = DC_ENOMEM;
			continue;
		}
		if (k->kind != DOC_SCALAR || strncmp(k->u.s, "depcheck.dev/", 13) != 0)
			continue; /* other tools' annotations */
		key = k->u.s + 13;
		if (!strcmp(key, "soft-dependencies")) {
			soft_annotation(e, v);
			continue;
		}
		for (a = 0; attrs[a][0]; a++)
			if (!strcmp(key, attrs[a][0]))
				break;
		if (!attrs[a][0]) {
			ctx_diag(e->c, DC_SEV_WARNING, k, "unknown annotation '%s' on '%s'", k->u.s, e->name);
			continue;
		}
		/* annotations are strings in Backstage: lenient typing ("2", "true",
		 * "eu-a, eu-b"), reported at the value's own position */
		attr_set(e->c, e->id, attrs[a][1], v, 1);
	}
}

/* ---- Component / Resource ------------------------------------------------------ */

static void load_service_entity(entity *e, const char *kind, const doc_node *name_node,
				const doc_node *meta, const doc_node *spec)
{
	load_ctx *c = e->c;
	char buf[REF_MAX];
	bs_ref self;
	uint32_t ref, i;
	svc_t *s;
	const doc_node *v, *k;
	int w, rc;

	memset(&self, 0, sizeof(self));
	self.name = e->name;
	self.namelen = strlen(e->name);
	w = full_ref(buf, sizeof(buf), &self, kind, e->ns);
	if (w < 0) {
		ctx_diag(c, DC_SEV_ERROR, name_node, "entity name '%s' is too long", e->name);
		return;
	}
	ref = cat_intern_n(c->cat, buf, (size_t)w);
	if (!ref) {
		e->rc = DC_ENOMEM;
		return;
	}
	rc = ctx_new_service(c, ref, name_node, &e->id);
	if (rc) {
		if (rc < 0)
			e->rc = rc;
		return; /* defined twice: reported, the first definition stands */
	}
	s = cat_svc(c->cat, e->id);
	s->bs_kind = cat_intern(c->cat, kind);
	s->bs_ns = e->ns_id;
	s->bs_name = cat_intern(c->cat, e->name);
	if (!s->bs_kind || !s->bs_name) {
		e->rc = DC_ENOMEM;
		return;
	}

	if ((v = get_kv(meta, "description", &k)) != NULL && !doc_is_null(v))
		attr_set(c, e->id, "description", v, 0);
	if ((v = get_kv(meta, "tags", &k)) != NULL && !doc_is_null(v))
		attr_set(c, e->id, "tags", v, 0);
	/* links: [{url, title, ...}]: the first url is the service's link */
	if ((v = get_kv(meta, "links", NULL)) != NULL && v->kind == DOC_SEQ) {
		uint32_t li;
		for (li = 0; li < v->n; li++) {
			const doc_node *u = doc_get(v->u.kids[li], "url");
			if (u && u->kind == DOC_SCALAR && u->n) {
				attr_set(c, e->id, "url", u, 0);
				break;
			}
		}
	}
	/* annotations first: the soft list decides the kind of dependsOn entries */
	if ((v = get_kv(meta, "annotations", NULL)) != NULL)
		annotations(e, v);

	if (spec && !doc_is_null(spec) && spec->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, spec, "spec of '%s' must be a mapping, not %s", e->name,
			 doc_type_name(spec));
		spec = NULL;
	}
	for (i = 0; spec && spec->kind == DOC_MAP && i < spec->n && !e->rc; i++) {
		const char *key;
		k = spec->u.kids[2 * i];
		v = spec->u.kids[2 * i + 1];
		key = k->kind == DOC_SCALAR ? k->u.s : "";
		if (!strcmp(key, "dependsOn"))
			relation_list(e, v, key, REL_DEPENDS_ON);
		else if (!strcmp(key, "dependencyOf"))
			relation_list(e, v, key, REL_DEPENDENCY_OF);
		else if (!strcmp(key, "providesApis"))
			relation_list(e, v, key, REL_PROVIDES);
		else if (!strcmp(key, "consumesApis"))
			relation_list(e, v, key, REL_CONSUMES);
		else if (!strcmp(key, "owner"))
			set_ref_attr(e, v, key, &cat_svc(c->cat, e->id)->owner);
		else if (!strcmp(key, "system"))
			set_ref_attr(e, v, key, &cat_svc(c->cat, e->id)->system);
		else if (!known_key(key, service_spec_keys))
			ctx_diag(c, DC_SEV_WARNING, k, "unknown field '%s' in spec of '%s'",
				 k->kind == DOC_SCALAR ? key : doc_type_name(k), e->name);
	}
	/* soft dependencies that weakened no declared relation are edges of their own */
	for (i = 0; i < e->soft.len && !e->rc; i++) {
		soft_ent *se = &e->soft.items[i];
		int api = se->ref.kind && ieq(se->ref.kind, se->ref.klen, "api");
		if (!se->used)
			add_dep(e, se->at, se->text, "depcheck.dev/soft-dependencies",
				api ? REF_BS_API : REF_BS_ENTITY, api ? DEP_QUIET_DUP : 0, DC_DEP_SOFT);
	}
}

/* ---- Locations ------------------------------------------------------------------ */

typedef struct {
	char cur[PATH_MAX];     /* canonical path of this file ("" for a buffer) */
	char root[PATH_MAX];    /* canonical catalog root */
	u32_vec own_chain;      /* used when the caller passed no chain */
	int ready;
} loc_state;

static const char *rel_to_root(const loc_state *ls, const char *p)
{
	size_t n = strlen(ls->root);
	if (n > 1 && strncmp(p, ls->root, n) == 0 && p[n] == '/')
		return p + n + 1;
	return p;
}

static int under_root(const loc_state *ls, const char *canon)
{
	size_t n = strlen(ls->root);
	if (n == 1 && ls->root[0] == '/')
		return 1;
	return strncmp(canon, ls->root, n) == 0 && (canon[n] == '\0' || canon[n] == '/');
}

/* Lexically normalized copy of a path ("a/./b/../c" -> "a/c"), malloc'd. */
static char *normalize_path(const char *p)
{
	size_t len = strlen(p), o = 0;
	char *out = malloc(len + 2);
	int abs = p[0] == '/';
	if (!out)
		return NULL;
	if (abs)
		out[o++] = '/';
	while (*p) {
		const char *seg = p, *sl;
		size_t sn;
		while (*p && *p != '/')
			p++;
		sn = (size_t)(p - seg);
		while (*p == '/')
			p++;
		if (sn == 0 || (sn == 1 && seg[0] == '.'))
			continue;
		if (sn == 2 && seg[0] == '.' && seg[1] == '.') {
			/* pop the last segment unless it is itself ".." */
			size_t start = o;
			while (start > (size_t)abs && out[start - 1] != '/')
				start--;
			sl = out + start;
			if (o > (size_t)abs && !(o - start == 2 && sl[0] == '.' && sl[1] == '.')) {
				o = start > (size_t)abs ? start - 1 : start;
				continue;
			}
			if (abs && o == 1)
				continue; /* "/.." is "/" */
		}
		if (o > (size_t)abs)
			out[o++] = '/';
		memcpy(out + o, seg, sn);
		o += sn;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return out;
}

static int is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* ---- `**` patterns -------------------------------------------------------------- */

#define GLOBSTAR_DEPTH 64u /* directories `**` descends at most */

/* A pattern that climbs back with `..` between wildcards, or repeats `**`
 * segments, expands combinatorially (N^k paths from a directory of N entries): the walk is
 * bounded before the locations limit is consulted, by the directory entries
 * it reads and by the paths it matches (docs/limits.md) */
#define GLOB_STEPS_PER_LOCATION 10u /* directory entries read + paths tried, by every
					  pattern of the catalog together (cat->glob_steps): 10 x
					  the locations limit (1,000,000 by default). Per pattern,
					  a Location with thousands of patterns that each match
					  nothing would walk for hours. */

typedef struct {
	char **segs;            /* the pattern's segments (escapes kept, for fnmatch) */
	size_t nseg;
	DC_VEC(char *) out;     /* matches, malloc'd */
	char path[PATH_MAX];
	size_t steps, max_steps; /* entries read and paths tried so far, and the bound */
	size_t max_matches;     /* the matches allowed */
	int rc;                 /* DC_ENOMEM, or GS_STEPS / GS_MATCHES (over a bound) */
} gstar;
enum { GS_STEPS = 1, GS_MATCHES = 2 };

static int gs_keep(gstar *g)
{
	char *m;
	if (g->out.len >= g->max_matches)
		return g->rc = GS_MATCHES;
	m = strdup(g->path);
	if (!m || dc_vec_push(&g->out, m)) {
		free(m);
		g->rc = DC_ENOMEM;
	}
	return g->rc;
}

/* Append `name` to g->path; returns the old length (to cut back), or
 * (size_t)-1 when it does not fit. */
static size_t gs_push(gstar *g, const char *name)
{
	size_t len = strlen(g->path), n = strlen(name);
	int slash = len > 0 && g->path[len - 1] != '/';
	if (len + (size_t)slash + n + 1 > sizeof(g->path))
		return (size_t)-1;
	if (slash)
		g->path[len] = '/';
	memcpy(g->path + len + (size_t)slash, name, n + 1);
	return len;
}

static void gs_walk(gstar *g, size_t i, unsigned depth);

/* Every entry of the directory g->path that `seg` matches (fnmatch, no
 * leading dot unless written), then segment i + 1; for `**` (seg NULL),
 * every subdirectory that is not a symbolic link, at the same segment. */
static void gs_list(gstar *g, const char *seg, size_t i, unsigned depth)
{
	DIR *dir = opendir(g->path[0] ? g->path : ".");
	DC_VEC(char *) names;
	struct dirent *de;
	size_t k;
	memset(&names, 0, sizeof(names));
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL && !g->rc) {
		char *n;
		if (++g->steps > g->max_steps) {
			g->rc = GS_STEPS;
			break;
		}
		if (de->d_name[0] == '.' && (!seg || seg[0] != '.'))
			continue; /* `*` and `**` skip dot files, as glob does */
		if (seg && fnmatch(seg, de->d_name, FNM_PERIOD) != 0)
			continue;
		if (!(n = strdup(de->d_name)) || dc_vec_push(&names, n)) {
			free(n);
			g->rc = DC_ENOMEM;
		}
	}
	closedir(dir);
	for (k = 0; k < names.len; k++) {
		size_t cut;
		if (!g->rc && (cut = gs_push(g, names.items[k])) != (size_t)-1) {
			struct stat st;
			if (seg)
				gs_walk(g, i + 1, depth);
			else if (lstat(g->path, &st) == 0 && S_ISDIR(st.st_mode))
				gs_walk(g, i, depth + 1);
			g->path[cut] = '\0';
		}
		free(names.items[k]);
	}
	dc_vec_free(&names);
}

static void gs_walk(gstar *g, size_t i, unsigned depth)
{
	const char *seg;
	struct stat st;
	if (g->rc)
		return;
	if (++g->steps > g->max_steps) {
		g->rc = GS_STEPS;
		return;
	}
	if (i == g->nseg) {
		if (stat(g->path[0] ? g->path : ".", &st) == 0)
			gs_keep(g);
		return;
	}
	seg = g->segs[i];
	if (!strcmp(seg, "**")) {
		gs_walk(g, i + 1, depth); /* no directory at all */
		if (depth < GLOBSTAR_DEPTH)
			gs_list(g, NULL, i, depth);
	} else if (is_glob(seg)) {
		gs_list(g, seg, i, depth);
	} else {
		/* a literal segment: its escapes removed */
		char lit[PATH_MAX];
		size_t o = 0, cut;
		for (; *seg && o + 1 < sizeof(lit); seg++) {
			if (*seg == '\\' && seg[1])
				seg++;
			lit[o++] = *seg;
		}
		lit[o] = '\0';
		if ((cut = gs_push(g, lit)) == (size_t)-1)
			return;
		gs_walk(g, i + 1, depth);
		g->path[cut] = '\0';
	}
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expand a pattern as Backstage's reader (node-glob) does: `**` matches
 * zero or more directories, does not enter symbolic links to directories
 * or dot directories; other segments match one name each (fnmatch), as
 * glob(3) does. Sorted, each path once. At most max_matches paths and
 * max_steps directory entries read and paths tried (*steps: how many were
 * taken). Returns 0 (*n may be 0),
 * DC_ENOMEM, GS_STEPS or GS_MATCHES; *paths is freed by the caller (each
 * string and the array). */
static int globstar_expand(const char *pattern, size_t max_matches, size_t max_steps, size_t *steps,
			   char ***paths, size_t *n)
{
	gstar *g = calloc(1, sizeof(*g));
	char *copy = strdup(pattern), *save = NULL, *tok;
	size_t i, w;
	int rc;
	*paths = NULL;
	*n = 0;
	if (!g || !copy) {
		free(g);
		free(copy);
		return DC_ENOMEM;
	}
	g->segs = calloc(strlen(pattern) / 2 + 2, sizeof(char *));
	if (!g->segs) {
		free(g);
		free(copy);
		return DC_ENOMEM;
	}
	g->max_matches = max_matches;
	g->max_steps = max_steps;
	if (pattern[0] == '/')
		strcpy(g->path, "/");
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
		if ((strcmp(tok, ".") != 0 || g->nseg > 0 || pattern[0] == '/') &&
		    /* `**` then `**` is one `**`: the same paths, not their product */
		    !(g->nseg > 0 && !strcmp(tok, "**") && !strcmp(g->segs[g->nseg - 1], "**")))
			g->segs[g->nseg++] = tok;
	if (pattern[0] == '.' && pattern[1] == '/' && g->nseg > 0)
		strcpy(g->path, "."); /* keep a written "./" in the paths shown */
	gs_walk(g, 0, 0);
	rc = g->rc;
	*steps = g->steps;
	if (g->out.len > 1) /* qsort's base must not be NULL, even for 0 items */
		qsort(g->out.items, g->out.len, sizeof(char *), cmp_path);
	for (i = w = 0; i < g->out.len; i++) {
		if (w && !strcmp(g->out.items[w - 1], g->out.items[i]))
			free(g->out.items[i]);
		else
			g->out.items[w++] = g->out.items[i];
	}
	g->out.len = w;
	if (rc) {
		for (i = 0; i < g->out.len; i++)
			free(g->out.items[i]);
		dc_vec_free(&g->out);
	} else {
		*paths = g->out.items;
		*n = g->out.len;
	}
	free(g->segs);
	free(g);
	free(copy);
	return rc;
}

/* Follow one resolved target path (display form). Returns a load status. */
static int follow_target(load_ctx *c, loc_state *ls, const doc_node *t, const char *path, int from_glob)
{
	dc_catalog *cat = c->cat;
	char canon[PATH_MAX];
	char *disp;
	u32_vec *chain = c->location_chain ? c->location_chain : &ls->own_chain;
	uint32_t cur_id, tid;
	size_t i;
	int rc;

	if (!realpath(path, canon)) {
		if (errno == ENOENT || errno == ENOTDIR)
			ctx_diag(c, DC_SEV_ERROR, t, "Location target '%s' not found", t->u.s);
		else
			ctx_diag(c, DC_SEV_ERROR, t, "cannot resolve Location target '%s': %s", t->u.s,
				 strerror(errno));
		return 0;
	}
	if (!under_root(ls, canon)) {
		if (from_glob) {
			char *n = normalize_path(path);
			ctx_diag(c, DC_SEV_ERROR, t, "Location target '%s' matches '%s', which is outside "
				 "the catalog root; it is not followed", t->u.s, n ? n : path);
			free(n);
		} else {
			ctx_diag(c, DC_SEV_ERROR, t, "Location target '%s' is outside the catalog root; "
				 "it is not followed", t->u.s);
		}
		return 0;
	}
	if (!strcmp(canon, ls->cur)) {
		if (!from_glob)
			ctx_diag(c, DC_SEV_WARNING, t, "Location cycle: %s -> %s; it is not followed",
				 rel_to_root(ls, canon), rel_to_root(ls, canon));
		return 0; /* a pattern matching the Location file itself is not a cycle */
	}
	tid = dc_strtab_lookup(&cat->seen_paths, canon, strlen(canon));
	for (i = 0; tid && i < chain->len; i++) {
		if (chain->items[i] == tid) {
			char msg[900];
			size_t used = 0, j;
			int w;
			msg[0] = '\0';
			for (j = i; j < chain->len && used < sizeof(msg); j++) {
				w = snprintf(msg + used, sizeof(msg) - used, "%s -> ",
					     rel_to_root(ls, dc_strtab_str(&cat->seen_paths, chain->items[j])));
				used = w < 0 ? sizeof(msg) : used + (size_t)w;
			}
			if (used < sizeof(msg))
				snprintf(msg + used, sizeof(msg) - used, "%.400s -> %.400s",
					 rel_to_root(ls, ls->cur), rel_to_root(ls, canon));
			ctx_diag(c, DC_SEV_WARNING, t, "Location cycle: %s; it is not followed", msg);
			return 0;
		}
	}
	if (c->depth + 1 > MAX_LOCATION_DEPTH) {
		ctx_diag(c, DC_SEV_ERROR, t, "Locations nested deeper than %u levels; target '%s' "
			 "is not followed", MAX_LOCATION_DEPTH, t->u.s);
		return 0;
	}
	/* counted over the whole catalog; reported once, where it is crossed */
	if (cat->locations_followed >= c->max_locations) {
		if (cat->locations_followed++ == c->max_locations)
			ctx_diag(c, DC_SEV_ERROR, t, "more than %zu Location targets followed (see --input-limit "
				 "locations); '%s' and the rest are not followed", c->max_locations, t->u.s);
		return ctx_fail(c, DC_ELIMIT);
	}
	cat->locations_followed++;
	/* show "dir/components/x.yaml", not "dir/./components/x.yaml", unless
	 * symbolic links make the lexical form name another file */
	disp = normalize_path(path);
	if (!disp)
		return DC_ENOMEM;
	{
		char check[PATH_MAX];
		if (!realpath(disp, check) || strcmp(check, canon) != 0) {
			free(disp);
			if (!(disp = strdup(path)))
				return DC_ENOMEM;
		}
	}
	cur_id = ls->cur[0] ? dc_strtab_lookup(&cat->seen_paths, ls->cur, strlen(ls->cur)) : 0;
	if (cur_id && dc_vec_push(chain, cur_id)) {
		free(disp);
		return DC_ENOMEM;
	}
	rc = c->follow(c, disp, chain);
	if (cur_id)
		chain->len--;
	free(disp);
	return rc;
}

/* Join the Location file's directory (as the user wrote it) and a target. */
static char *join_target(load_ctx *c, const char *target, int escape_base)
{
	const char *base = c->dir;
	size_t blen, tlen = strlen(target), i, o = 0;
	char *out;
	if (target[0] == '/')
		return strdup(target);
	if (c->file && c->file[0] != '<') {
		const char *sl = strrchr(c->file, '/');
		base = c->file;
		blen = sl ? (size_t)(sl - c->file) + (sl == c->file) : 0;
	} else {
		blen = base ? strlen(base) : 0;
	}
	out = malloc(2 * blen + tlen + 2);
	if (!out)
		return NULL;
	for (i = 0; i < blen; i++) {
		if (escape_base && strchr("*?[\\", base[i]))
			out[o++] = '\\';
		out[o++] = base[i];
	}
	if (o && out[o - 1] != '/')
		out[o++] = '/';
	memcpy(out + o, target, tlen + 1);
	return out;
}

static int follow_one_spec_target(load_ctx *c, loc_state *ls, const doc_node *t)
{
	char *path;
	int rc = 0;
	const char *s = ref_text(t);
	if (!s) {
		ctx_diag(c, DC_SEV_ERROR, t, "a Location target must be a path, not %s",
			 t->kind == DOC_SCALAR && t->n == 0 && t->quoted ? "an empty string" : doc_type_name(t));
		return 0;
	}
	if (strstr(s, "://")) {
		ctx_diag(c, DC_SEV_WARNING, t, "remote Location target '%s' is not followed "
			 "(only files inside the catalog are read)", s);
		return 0;
	}
	if (!ls->ready) {
		/* this file's canonical path (for cycles) and the canonical root */
		if (!c->file || c->file[0] == '<' || !realpath(c->file, ls->cur))
			ls->cur[0] = '\0';
		if (!c->root || !realpath(c->root, ls->root))
			snprintf(ls->root, sizeof(ls->root), "%s", c->dir ? c->dir : "/");
		ls->ready = 1;
	}
	if (is_glob(s)) {
		int gr;
		size_t i, n, left, steps, used;
		char **v;
		path = join_target(c, s, 1);
		if (!path)
			return DC_ENOMEM;
		/* one walker for every pattern (not glob(3), which cannot be
		 * bounded): a match is a target, so more matches than the
		 * locations limit leaves room for is that limit's error */
		left = c->max_locations > c->cat->locations_followed ? c->max_locations - c->cat->locations_followed : 0;
		/* the steps of every pattern of the catalog together */
		steps = c->max_locations > SIZE_MAX / GLOB_STEPS_PER_LOCATION ? SIZE_MAX
			: c->max_locations * GLOB_STEPS_PER_LOCATION;
		if (c->cat->glob_steps > steps) {
			free(path);
			return ctx_fail(c, DC_ELIMIT); /* said once, where it was crossed */
		}
		used = 0;
		gr = globstar_expand(path, left + 1, steps > c->cat->glob_steps ? steps - c->cat->glob_steps : 0,
				     &used, &v, &n);
		c->cat->glob_steps += used;
		free(path);
		if (gr == GS_STEPS || gr == GS_MATCHES) {
			if (gr == GS_STEPS)
				ctx_diag(c, DC_SEV_ERROR, t, "Location target '%s': expanding the pattern takes the "
					 "Location patterns of the input past %zu steps (directory entries read "
					 "and paths tried, all patterns together; limit %u per Location target, "
					 "see --input-limit locations); nothing it matches is followed", s, steps,
					 GLOB_STEPS_PER_LOCATION);
			else
				ctx_diag(c, DC_SEV_ERROR, t, "Location target '%s' matches more paths than the "
					 "%zu Location targets left (limit %zu; see --input-limit locations); "
					 "nothing it matches is followed", s, left, c->max_locations);
			return ctx_fail(c, DC_ELIMIT);
		}
		if (gr)
			return gr;
		if (n == 0) {
			ctx_diag(c, DC_SEV_WARNING, t, "Location target '%s' matches no file", s);
			free(v);
			return 0;
		}
		for (i = 0; i < n; i++) {
			int r = rc == DC_ENOMEM ? 0 : follow_target(c, ls, t, v[i], 1);
			if (r && !rc)
				rc = r;
			free(v[i]);
		}
		free(v);
		return rc;
	}
	path = join_target(c, s, 0);
	if (!path)
		return DC_ENOMEM;
	rc = follow_target(c, ls, t, path, 0);
	free(path);
	return rc;
}

static int load_location(load_ctx *c, loc_state *ls, const char *name, const doc_node *root,
			 const doc_node *spec)
{
	const doc_node *t, *ts;
	int rc = 0, r;
	uint32_t i;
	if (!spec || spec->kind != DOC_MAP) {
		if (spec && !doc_is_null(spec))
			ctx_diag(c, DC_SEV_ERROR, spec, "spec of Location '%s' must be a mapping, not %s",
				 name, doc_type_name(spec));
		else
			ctx_diag(c, DC_SEV_WARNING, root, "Location '%s' has no spec.target or spec.targets",
				 name);
		return 0;
	}
	t = doc_get(spec, "target");
	ts = doc_get(spec, "targets");
	if ((!t || doc_is_null(t)) && (!ts || doc_is_null(ts)))
		ctx_diag(c, DC_SEV_WARNING, spec, "Location '%s' has no spec.target or spec.targets", name);
	if (t && !doc_is_null(t))
		rc = follow_one_spec_target(c, ls, t);
	if (ts && !doc_is_null(ts) && rc != DC_ENOMEM) {
		if (ts->kind != DOC_SEQ) {
			ctx_diag(c, DC_SEV_ERROR, ts, "spec.targets of Location '%s' must be a list, not %s",
				 name, doc_type_name(ts));
			return rc;
		}
		for (i = 0; i < ts->n; i++) {
			r = follow_one_spec_target(c, ls, ts->u.kids[i]);
			if (r && !rc)
				rc = r;
			if (r == DC_ENOMEM)
				return r;
		}
	}
	return rc;
}

/* ---- documents --------------------------------------------------------------------- */

static const char *const ignored_kinds[] = { "system", "domain", "group", "user", "template", NULL };

/* A valid metadata.name / metadata.namespace: a string without ':' or '/'. */
static const char *entity_word(load_ctx *c, const doc_node *v, const char *what)
{
	const char *s = doc_str(v);
	if (!s || v->kind != DOC_SCALAR || v->n == 0) {
		ctx_diag(c, DC_SEV_ERROR, v, "metadata.%s must be a non-empty string, not %s", what,
			 v->kind == DOC_SCALAR && v->n == 0 && v->quoted ? "an empty string" : doc_type_name(v));
		return NULL;
	}
	if (strpbrk(s, ":/")) {
		ctx_diag(c, DC_SEV_ERROR, v, "invalid metadata.%s '%s': it cannot contain ':' or '/'",
			 what, s);
		return NULL;
	}
	if (v->n >= REF_MAX / 4) {
		ctx_diag(c, DC_SEV_ERROR, v, "metadata.%s is longer than %d characters", what,
			 REF_MAX / 4 - 1);
		return NULL;
	}
	return s;
}

static int load_entity(load_ctx *c, loc_state *ls, const doc_node *root)
{
	const doc_node *av, *kn, *meta, *mk, *nm, *nsn, *spec;
	const char *kind_s, *name, *ns = "default";
	char kind[32];
	size_t i;
	entity e;

	if (root->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, root, "a Backstage entity must be a mapping with apiVersion, "
			 "kind and metadata, not %s", doc_type_name(root));
		return 0;
	}
	av = doc_get(root, "apiVersion");
	kn = doc_get(root, "kind");
	if (!av || !kn) {
		ctx_diag(c, DC_SEV_ERROR, root, "entity without '%s'; it is ignored",
			 !av ? "apiVersion" : "kind");
		return 0;
	}
	if (!doc_str(av) || av->kind != DOC_SCALAR) {
		ctx_diag(c, DC_SEV_ERROR, av, "apiVersion must be a string, not %s", doc_type_name(av));
		return 0;
	}
	kind_s = doc_str(kn);
	if (!kind_s || kn->kind != DOC_SCALAR || kn->n == 0) {
		ctx_diag(c, DC_SEV_ERROR, kn, "kind must be a non-empty string, not %s", doc_type_name(kn));
		return 0;
	}
	for (i = 0; i < kn->n && i + 1 < sizeof(kind); i++)
		kind[i] = (char)tolower((unsigned char)kind_s[i]);
	kind[i] = '\0';
	if (kn->n >= sizeof(kind) ||
	    (strcmp(kind, "component") && strcmp(kind, "resource") && strcmp(kind, "api") &&
	     strcmp(kind, "location") && !known_key(kind, ignored_kinds))) {
		ctx_diag(c, DC_SEV_WARNING, kn, "unknown kind '%s' ignored", kind_s);
		return kn->n < sizeof(kind) ? cat_note_entity(c->cat, kind_s) : 0;
	}

	meta = get_kv(root, "metadata", &mk);
	if (!meta || doc_is_null(meta)) {
		ctx_diag(c, DC_SEV_ERROR, mk ? mk : root, "%s entity without metadata.name; it is ignored",
			 kind_s);
		return 0;
	}
	if (meta->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, meta, "metadata must be a mapping, not %s", doc_type_name(meta));
		return 0;
	}
	nm = doc_get(meta, "name");
	if (!nm) {
		ctx_diag(c, DC_SEV_ERROR, mk, "%s entity without metadata.name; it is ignored", kind_s);
		return 0;
	}
	if (!(name = entity_word(c, nm, "name")))
		return 0;
	nsn = doc_get(meta, "namespace");
	if (nsn && !doc_is_null(nsn) && !(ns = entity_word(c, nsn, "namespace")))
		return 0;
	spec = doc_get(root, "spec");

	if (known_key(kind, ignored_kinds) || !strcmp(kind, "location") || !strcmp(kind, "api")) {
		/* no service; counted, so that a catalog of only these is valid */
		static const char *const spelled[][2] = {
			{ "system", "System" }, { "domain", "Domain" }, { "group", "Group" },
			{ "user", "User" }, { "template", "Template" }, { "location", "Location" },
			{ "api", "API" }, { NULL, NULL }
		};
		int k;
		for (k = 0; strcmp(spelled[k][0], kind); k++)
			;
		if (cat_note_entity(c->cat, spelled[k][1]))
			return DC_ENOMEM;
	}
	if (known_key(kind, ignored_kinds))
		return 0;
	if (!strcmp(kind, "location"))
		return load_location(c, ls, name, root, spec);

	memset(&e, 0, sizeof(e));
	e.c = c;
	e.name = name;
	e.ns = ns;
	e.ns_id = cat_intern(c->cat, ns);
	if (!e.ns_id)
		return DC_ENOMEM;
	if (!strcmp(kind, "api")) {
		char buf[REF_MAX];
		bs_ref self;
		int w;
		memset(&self, 0, sizeof(self));
		self.name = name;
		self.namelen = nm->n;
		w = full_ref(buf, sizeof(buf), &self, "api", ns);
		if (w > 0) {
			uint32_t api = cat_intern_n(c->cat, buf, (size_t)w);
			if (!api || cat_add_api(c->cat, api, DC_NO_ID, ctx_loc(c, nm)))
				return DC_ENOMEM;
		}
		return 0;
	}
	load_service_entity(&e, kind, nm, meta, spec);
	dc_vec_free(&e.soft);
	return e.rc;
}

/* An apiVersion `backstage.io/...`. */
int backstage_detect(const doc_node *root)
{
	const char *api = doc_str(doc_get(root, "apiVersion"));
	return api && strncmp(api, "backstage.io/", 13) == 0 ? DETECT_VENDOR : DETECT_NO;
}

int load_backstage(load_ctx *c, const doc_stream *ds)
{
	loc_state *ls = calloc(1, sizeof(*ls)); /* two PATH_MAX buffers: not on the stack,
						   Locations nest */
	size_t d;
	int rc = 0, r;
	if (!ls)
		return DC_ENOMEM;
	for (d = 0; d < ds->docs.len && rc != DC_ENOMEM; d++) {
		const doc_node *root = ds->docs.items[d];
		if (!root || doc_is_null(root))
			continue; /* empty document, e.g. a trailing `---` */
		if (root->kind == DOC_SEQ) {
			/* a JSON array of entities */
			uint32_t i;
			for (i = 0; i < root->n; i++) {
				r = load_entity(c, ls, root->u.kids[i]);
				if (r && !rc)
					rc = r;
				if (r == DC_ENOMEM)
					break;
			}
			continue;
		}
		r = load_entity(c, ls, root);
		if (r && !rc)
			rc = r;
	}
	dc_vec_free(&ls->own_chain);
	free(ls);
	return rc;
}
