/*
 * catalog.c - the catalog model: building, resolving references, accessors.
 *
 * Resolution happens once, in dc_catalog_finalize(), after every file is
 * loaded, so references may point forward, across files and across formats.
 * Names are matched through a "forms" table: every service registers each
 * way it may be written (native name; Backstage `name`, `ns/name`,
 * `kind:name`, `kind:ns/name`, lowercased as Backstage compares refs), and a
 * form that two services share is ambiguous. The same table picks display
 * names: the first of a service's forms that names it alone.
 */
#include "catalog_build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>


/* ---- construction ------------------------------------------------------- */

int dc_catalog_new(dc_catalog **out)
{
	dc_catalog *cat = calloc(1, sizeof(*cat));
	*out = NULL;
	if (!cat)
		return DC_ENOMEM;
	if (dc_strtab_init(&cat->strs) || dc_strtab_init(&cat->seen_paths)) {
		dc_strtab_free(&cat->strs);
		free(cat);
		return DC_ENOMEM;
	}
	*out = cat;
	return 0;
}

void dc_catalog_free(dc_catalog *cat)
{
	size_t i;
	if (!cat)
		return;
	dc_strtab_free(&cat->strs);
	dc_strtab_free(&cat->seen_paths);
	dc_vec_free(&cat->svcs);
	dc_vec_free(&cat->deps);
	dc_vec_free(&cat->strlists);
	for (i = 0; i < cat->files.len; i++)
		free(cat->files.items[i]);
	dc_vec_free(&cat->files);
	dc_vec_free(&cat->by_ref);
	dc_vec_free(&cat->forms);
	dc_vec_free(&cat->by_name);
	dc_vec_free(&cat->apis);
	dc_vec_free(&cat->other_entities);
	if (cat->compose_free)
		cat->compose_free(cat->compose);
	if (cat->k8s_free)
		cat->k8s_free(cat->k8s);
	dc_vec_free(&cat->k8s_ids);
	dc_vec_free(&cat->svc_srcs);
	dc_vec_free(&cat->dep_srcs);
	dc_vec_free(&cat->dep_res);
	dc_vec_free(&cat->edge_pols);
	dc_vec_free(&cat->deploy_objs);
	dc_vec_free(&cat->deploy_deps);
	cat_free_observed(cat);
	free(cat);
}

uint32_t cat_intern_n(dc_catalog *cat, const char *s, size_t len)
{
	uint32_t id = dc_strtab_intern(&cat->strs, s, len);
	if (!id)
		cat->oom = 1;
	return id;
}

uint32_t cat_intern(dc_catalog *cat, const char *s)
{
	return s ? cat_intern_n(cat, s, strlen(s)) : 0;
}

uint32_t cat_add_file(dc_catalog *cat, const char *path)
{
	char *p = strdup(path);
	if (!p || dc_vec_push(&cat->files, p)) {
		free(p);
		cat->oom = 1;
		return 0;
	}
	return (uint32_t)cat->files.len;
}

void cat_drop_last_file(dc_catalog *cat, uint32_t file_id)
{
	if (file_id && file_id == cat->files.len)
		free(cat->files.items[--cat->files.len]);
}

const char *cat_file_name(const dc_catalog *cat, uint32_t file_id)
{
	return (file_id && file_id <= cat->files.len) ? cat->files.items[file_id - 1] : NULL;
}

int cat_mark_loaded(dc_catalog *cat, const char *canon)
{
	size_t len = strlen(canon);
	size_t before = dc_strtab_count(&cat->seen_paths);
	if (dc_strtab_lookup(&cat->seen_paths, canon, len))
		return 1;
	if (!dc_strtab_intern(&cat->seen_paths, canon, len))
		return -1;
	return dc_strtab_count(&cat->seen_paths) > before ? 0 : 1;
}

static void vdiag(dc_catalog *cat, dc_diags *diags, dc_severity sev, dc_loc_int loc,
		  const char *fmt, va_list ap)
{
	char msg[1024];
	const char *file = cat_file_name(cat, loc.file);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* a diagnostic that cannot be stored must not vanish quietly */
	if (dc_diags_add(diags, sev, file ? file : "<input>", loc.line, loc.col, "%s", msg))
		cat->oom = 1;
}

void cat_diag(dc_catalog *cat, dc_diags *diags, dc_severity sev, dc_loc_int loc,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(cat, diags, sev, loc, fmt, ap);
	va_end(ap);
}

/* by_ref is indexed by string id; the table grows with the string table */
static int ensure_index(u32_vec *v, size_t n)
{
	if (v->len >= n)
		return 0;
	if (dc_vec_reserve(v, n - v->len))
		return -1;
	memset(v->items + v->len, 0, (n - v->len) * sizeof(uint32_t));
	v->len = n;
	return 0;
}

static int push_service(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_input_format fmt, dc_id *out);

int cat_add_service(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_input_format fmt,
		    dc_diags *diags, dc_id *out)
{
	int rc;
	if (ensure_index(&cat->by_ref, (size_t)ref + 1)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	if (cat->by_ref.items[ref]) {
		/* the same ref in another source (format) is the same service,
		 * merged at finalize; in the same source it is defined twice */
		dc_id q = cat->by_ref.items[ref] - 1, last = q;
		svc_t *p = NULL;
		const char *pf;
		for (;;) {
			if (cat->svcs.items[q].format == (uint8_t)fmt || fmt == DC_FORMAT_AUTO) {
				p = &cat->svcs.items[q];
				break;
			}
			last = q;
			if (!cat->svcs.items[q].same_ref)
				break;
			q = cat->svcs.items[q].same_ref - 1;
		}
		if (!p) {
			if ((rc = push_service(cat, ref, loc, fmt, out)))
				return rc;
			cat->svcs.items[last].same_ref = *out + 1;
			return 0;
		}
		pf = cat_file_name(cat, p->loc.file);
		cat_diag(cat, diags, DC_SEV_ERROR, loc,
			 "service '%s' is defined twice: here and at %s:%u:%u (this one is ignored)",
			 cat_str(cat, ref), pf ? pf : "<input>", p->loc.line, p->loc.col);
		*out = q;
		return 1;
	}
	if ((rc = push_service(cat, ref, loc, fmt, out)))
		return rc;
	cat->by_ref.items[ref] = *out + 1;
	return 0;
}

int cat_add_overlay(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_id *out)
{
	int rc = push_service(cat, ref, loc, DC_FORMAT_NATIVE, out);
	if (rc)
		return rc;
	cat->svcs.items[*out].flags |= SVC_OVERLAY;
	cat->noverlays++;
	return 0;
}

static int push_service(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_input_format fmt, dc_id *out)
{
	svc_t s;
	memset(&s, 0, sizeof(s));
	s.ref = s.name = ref;
	s.loc = loc;
	s.format = (uint8_t)fmt;
	s.replicas = 1;
	s.availability = DC_DEFAULT_AVAILABILITY;
	s.slo = -1;
	s.traffic_rps = -1;
	s.capacity_rps = -1;
	s.max_concurrency = 0;
	s.latency_ms = 0;
	if (dc_vec_push(&cat->svcs, s)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	*out = (dc_id)(cat->svcs.len - 1);
	return 0;
}

void cat_dep_init(dep_t *d, dc_id from, uint32_t target, dc_loc_int loc)
{
	memset(d, 0, sizeof(*d));
	d->from = from;
	d->to = DC_NO_ID;
	d->target = target;
	d->loc = loc;
	d->kind = DC_DEP_HARD;
	d->timeout_ms = DC_DEFAULT_TIMEOUT_MS;
	d->retries = DC_DEFAULT_RETRIES;
	d->stage = DC_DEFAULT_STAGE;
}

int cat_add_dep(dc_catalog *cat, const dep_t *d)
{
	if (dc_vec_push(&cat->deps, *d)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

int cat_set_list(dc_catalog *cat, uint32_t *off, uint32_t *n, const uint32_t *ids, size_t count)
{
	if (dc_vec_reserve(&cat->strlists, count)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	*off = (uint32_t)cat->strlists.len;
	*n = (uint32_t)count;
	if (count)
		memcpy(cat->strlists.items + cat->strlists.len, ids, count * sizeof(uint32_t));
	cat->strlists.len += count;
	return 0;
}

uint32_t cat_new_group(dc_catalog *cat)
{
	return ++cat->next_group;
}

size_t cat_expand_limit(const dc_catalog *cat, size_t max_deps)
{
	size_t limit = cat->input_bytes > DC_EXPAND_MIN_EDGES ? cat->input_bytes : DC_EXPAND_MIN_EDGES;
	if (!max_deps)
		max_deps = DC_DEFAULT_MAX_DEPENDENCIES;
	return limit > max_deps ? max_deps : limit;
}

int cat_add_api(dc_catalog *cat, uint32_t api_ref, uint32_t svc, dc_loc_int loc)
{
	api_rec_t r;
	r.api = api_ref;
	r.svc = svc;
	r.loc = loc;
	if (dc_vec_push(&cat->apis, r)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

int cat_note_entity(dc_catalog *cat, const char *kind)
{
	kind_count_t k;
	size_t i;
	uint32_t id = cat_intern(cat, kind);
	if (!id)
		return DC_ENOMEM;
	for (i = 0; i < cat->other_entities.len; i++)
		if (cat->other_entities.items[i].kind == id) {
			cat->other_entities.items[i].count++;
			return 0;
		}
	k.kind = id;
	k.count = 1;
	if (dc_vec_push(&cat->other_entities, k)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

/* The note for a catalog whose entities are none of them services. */
static void note_no_services(dc_catalog *cat, dc_diags *diags)
{
	char msg[600];
	size_t used = 0, i;
	for (i = 0; i < cat->other_entities.len && used < sizeof(msg); i++) {
		const kind_count_t *k = &cat->other_entities.items[i];
		int w = snprintf(msg + used, sizeof(msg) - used, "%s%u %.40s", i ? ", " : "", k->count,
				 cat_str(cat, k->kind));
		used = w < 0 ? sizeof(msg) : used + (size_t)w;
	}
	dc_diags_add(diags, DC_SEV_NOTE, cat->files.len ? cat->files.items[0] : "<input>", 0, 0,
		     "no services: the input holds %s %s (Backstage); only Component and Resource "
		     "entities become services", msg,
		     cat->other_entities.len == 1 && cat->other_entities.items[0].count == 1 ? "entity"
											   : "entities");
}

/* ---- forms and resolution ----------------------------------------------- */

uint32_t cat_intern_lower(dc_catalog *cat, const char *s, size_t len)
{
	char buf[512] = "";
	char *p = len < sizeof(buf) ? buf : malloc(len + 1);
	size_t i;
	uint32_t id;
	if (!p)
		return 0;
	for (i = 0; i < len; i++)
		p[i] = (char)tolower((unsigned char)s[i]);
	id = cat_intern_n(cat, p, len);
	if (p != buf)
		free(p);
	return id;
}

uint32_t cat_lookup_lower(const dc_catalog *cat, const char *s, size_t len)
{
	char buf[512] = "";
	char *p = len < sizeof(buf) ? buf : malloc(len + 1);
	size_t i;
	uint32_t id;
	if (!p)
		return 0;
	for (i = 0; i < len; i++)
		p[i] = (char)tolower((unsigned char)s[i]);
	id = dc_strtab_lookup(&cat->strs, p, len);
	if (p != buf)
		free(p);
	return id;
}

/* The ways a service may be written; returns the count. Forms are built in
 * `buf` (each NUL-terminated) and pointed at by forms[]. */
static int service_forms(const dc_catalog *cat, const svc_t *s, char *buf, size_t size,
			 const char *forms[4])
{
	const char *kind = cat_str(cat, s->bs_kind), *ns = cat_str(cat, s->bs_ns);
	const char *name = cat_str(cat, s->bs_name);
	int n = 0;
	size_t used = 0;
	if (!s->bs_kind && s->bs_ns) {
		/* a service of one of several Compose projects: `name`, `project/name` */
		forms[n++] = name;
		forms[n++] = cat_str(cat, s->ref);
		return n;
	}
	if (!s->bs_kind) {
		forms[n++] = cat_str(cat, s->ref);
		return n;
	}
#define ADD_FORM(...) do { \
		int w = snprintf(buf + used, size - used, __VA_ARGS__); \
		if (w < 0 || (size_t)w >= size - used) return n; \
		forms[n++] = buf + used; used += (size_t)w + 1; \
	} while (0)
	ADD_FORM("%s", name);
	ADD_FORM("%s/%s", ns, name);
	if (strcmp(ns, "default") == 0)
		ADD_FORM("%s:%s", kind, name);
	ADD_FORM("%s:%s/%s", kind, ns, name);
#undef ADD_FORM
	return n;
}

static int register_forms(dc_catalog *cat, dc_id id)
{
	return cat_register_forms_as(cat, &cat->svcs.items[id], id);
}

int cat_register_forms_as(dc_catalog *cat, const svc_t *s, dc_id id)
{
	char buf[2048];
	const char *forms[4];
	int n = service_forms(cat, s, buf, sizeof(buf), forms), i;
	for (i = 0; i < n; i++) {
		uint32_t f = cat_intern_lower(cat, forms[i], strlen(forms[i]));
		if (!f || ensure_index(&cat->forms, (size_t)f + 1))
			return DC_ENOMEM;
		if (cat->forms.items[f] == 0)
			cat->forms.items[f] = id + 1;
		else if (cat->forms.items[f] != id + 1)
			cat->forms.items[f] = FORM_AMBIGUOUS;
	}
	return 0;
}

/* Look up a written form: service id, DC_NO_ID (none) or FORM_AMBIGUOUS. */
uint32_t cat_form_lookup(const dc_catalog *cat, const char *s, size_t len)
{
	uint32_t f = cat_lookup_lower(cat, s, len), v;
	if (!f || f >= cat->forms.len)
		return DC_NO_ID;
	v = cat->forms.items[f];
	if (v == 0)
		return DC_NO_ID;
	return v == FORM_AMBIGUOUS ? FORM_AMBIGUOUS : v - 1;
}

static uint32_t ref_lookup(const dc_catalog *cat, const char *s, size_t len)
{
	uint32_t id = dc_strtab_lookup(&cat->strs, s, len);
	if (!id || id >= cat->by_ref.len || !cat->by_ref.items[id])
		return DC_NO_ID;
	return cat->by_ref.items[id] - 1;
}

uint32_t cat_name_lookup(const dc_catalog *cat, const char *s, size_t len)
{
	uint32_t r = ref_lookup(cat, s, len);
	return r != DC_NO_ID ? r : cat_form_lookup(cat, s, len);
}

/* Split a Backstage ref `[kind:][ns/]name`. */
static void split_ref(const char *ref, const char **kind, size_t *klen, const char **ns,
		      size_t *nslen, const char **name)
{
	const char *colon = strchr(ref, ':'), *slash;
	*kind = NULL;
	*klen = 0;
	if (colon) {
		*kind = ref;
		*klen = (size_t)(colon - ref);
		ref = colon + 1;
	}
	slash = strchr(ref, '/');
	*ns = NULL;
	*nslen = 0;
	if (slash) {
		*ns = ref;
		*nslen = (size_t)(slash - ref);
		ref = slash + 1;
	}
	*name = ref;
}

static uint32_t lookup_full(const dc_catalog *cat, const char *kind, size_t klen,
			    const char *ns, size_t nslen, const char *name)
{
	char buf[1024];
	int w = snprintf(buf, sizeof(buf), "%.*s:%.*s/%s", (int)klen, kind, (int)nslen, ns, name);
	if (w < 0 || (size_t)w >= sizeof(buf))
		return DC_NO_ID;
	return cat_form_lookup(cat, buf, (size_t)w);
}

/* Resolve a dependency's target. Returns a service id, DC_NO_ID or
 * FORM_AMBIGUOUS. For Backstage refs the namespace defaults to the
 * declaring entity's, and a missing kind means Component, then Resource. */
static uint32_t resolve_target(const dc_catalog *cat, const dep_t *d)
{
	const char *t = cat_str(cat, d->target);
	size_t tlen = dc_strtab_len(&cat->strs, d->target);
	uint32_t r;
	if (d->reftype == REF_PLAIN) {
		/* d->target is an id of the same string table: index by_ref with
		 * it instead of hashing the text again (ref_lookup) */
		if (d->target < cat->by_ref.len && cat->by_ref.items[d->target])
			return cat->by_ref.items[d->target] - 1;
		return cat_form_lookup(cat, t, tlen);
	} else {
		const char *kind, *ns, *name;
		size_t klen, nslen;
		const char *defns = d->ctx_ns ? cat_str(cat, d->ctx_ns) : "default";
		split_ref(t, &kind, &klen, &ns, &nslen, &name);
		if (!ns) {
			ns = defns;
			nslen = strlen(defns);
		}
		if (kind)
			return lookup_full(cat, kind, klen, ns, nslen, name);
		r = lookup_full(cat, "component", 9, ns, nslen, name);
		if (r == DC_NO_ID)
			r = lookup_full(cat, "resource", 8, ns, nslen, name);
		if (r == DC_NO_ID) {
			/* mixed catalogs: a native service of that name */
			r = ref_lookup(cat, name, strlen(name));
		}
		return r;
	}
}

/* The external service standing for an unresolved target (one per text). */
static int external_for(dc_catalog *cat, const dep_t *d, dc_id *out, dc_diags *diags)
{
	uint32_t ref = d->target;
	int rc;
	if (d->reftype != REF_PLAIN) {
		/* normalize a Backstage ref so that `x` and `component:default/x` meet */
		const char *kind, *ns, *name;
		size_t klen, nslen;
		char buf[1024];
		const char *t = cat_str(cat, d->target);
		const char *defns = d->ctx_ns ? cat_str(cat, d->ctx_ns) : "default";
		int w;
		split_ref(t, &kind, &klen, &ns, &nslen, &name);
		if (!ns) {
			ns = defns;
			nslen = strlen(defns);
		}
		if (!kind) {
			kind = d->reftype == REF_BS_API ? "api" : "component";
			klen = strlen(kind);
		}
		w = snprintf(buf, sizeof(buf), "%.*s:%.*s/%s", (int)klen, kind, (int)nslen, ns, name);
		if (w > 0 && (size_t)w < sizeof(buf)) {
			for (int i = 0; i < (int)klen; i++)
				buf[i] = (char)tolower((unsigned char)buf[i]);
			ref = cat_intern(cat, buf);
		}
		if (!ref)
			return DC_ENOMEM;
	}
	if (ensure_index(&cat->by_ref, (size_t)ref + 1)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	if (cat->by_ref.items[ref]) {
		*out = cat->by_ref.items[ref] - 1;
		return 0;
	}
	rc = cat_add_service(cat, ref, d->loc, DC_FORMAT_AUTO, diags, out);
	if (rc)
		return rc < 0 ? rc : 0;
	{
		svc_t *s = &cat->svcs.items[*out];
		s->flags |= SVC_EXTERNAL;
		if (d->reftype != REF_PLAIN) {
			const char *r = cat_str(cat, ref), *kind, *ns, *name;
			size_t klen, nslen;
			split_ref(r, &kind, &klen, &ns, &nslen, &name);
			s->bs_kind = cat_intern_n(cat, kind, klen);
			s->bs_ns = cat_intern_n(cat, ns, nslen);
			s->bs_name = cat_intern(cat, name);
			if (!s->bs_kind || !s->bs_ns || !s->bs_name)
				return DC_ENOMEM;
		}
	}
	return register_forms(cat, *out);
}

static const char *svc_label(const dc_catalog *cat, dc_id id)
{
	const svc_t *s = &cat->svcs.items[id];
	return cat_str(cat, s->bs_name ? s->bs_name : s->ref);
}

typedef struct {
	uint32_t api, rec;
} api_key_t;

static int cmp_api_key(const void *x, const void *y)
{
	const api_key_t *a = x, *b = y;
	if (a->api != b->api)
		return a->api < b->api ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Resolve API consumption into provider edges. One consumesApis entry
 * becomes one edge per provider; an API nobody in the catalog provides is
 * represented by an external service named after the API. */
static int expand_api_deps(dc_catalog *cat, dc_diags *diags)
{
	size_t i, ndeps = cat->deps.len, a, na = cat->apis.len, expanded = cat->expanded, limit, lo, hi;
	size_t max_deps = cat->max_deps ? cat->max_deps : DC_DEFAULT_MAX_DEPENDENCIES;
	api_key_t *order;
	int rc = 0;
	/* the API records by API (then as registered): each reference finds its
	 * providers by binary search, not by a scan of every record */
	order = malloc((na ? na : 1) * sizeof(api_key_t));
	if (!order)
		return DC_ENOMEM;
	for (a = 0; a < na; a++) {
		order[a].api = cat->apis.items[a].api;
		order[a].rec = (uint32_t)a;
	}
	qsort(order, na, sizeof(api_key_t), cmp_api_key);
	/* one API provided by thousands and consumed by thousands: bounded by
	 * the catalog's budget, what Kubernetes and DOT spent included
	 * (DC_EXPAND_MIN_EDGES), checked before the edges are made */
	limit = cat_expand_limit(cat, max_deps);
	for (i = 0; i < ndeps && !rc; i++) {
		dep_t *d = &cat->deps.items[i];
		const char *kind, *ns, *name, *t;
		size_t klen, nslen;
		char buf[1024];
		uint32_t api;
		int w, found_api = 0, nprov = 0;
		if (d->reftype != REF_BS_API)
			continue;
		t = cat_str(cat, d->target);
		split_ref(t, &kind, &klen, &ns, &nslen, &name);
		if (!ns) {
			ns = d->ctx_ns ? cat_str(cat, d->ctx_ns) : "default";
			nslen = strlen(ns);
		}
		w = snprintf(buf, sizeof(buf), "api:%.*s/%s", (int)nslen, ns, name);
		if (w < 0 || (size_t)w >= sizeof(buf))
			continue;
		api = cat_lookup_lower(cat, buf, (size_t)w);
		/* [lo, hi): the records of api in order */
		lo = 0;
		hi = na;
		while (api && lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (order[mid].api < api)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (hi = lo; api && hi < na && order[hi].api == api; hi++)
			;
		if (api && hi - lo > 1 && (expanded > limit || hi - lo > limit - expanded ||
					   cat->deps.len + (hi - lo) > max_deps)) {
			d = &cat->deps.items[i];
			size_t nrec = 0;
			for (a = lo; a < hi; a++)
				nrec += cat->apis.items[order[a].rec].svc != DC_NO_ID;
			cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
				 "API '%s' of '%s' has %zu providers: the API references of the catalog expand "
				 "to more than %zu dependencies (limit %zu, one per byte of the input, for every "
				 "edge that multiplies; see --input-limit dependencies)", t, svc_label(cat, d->from),
				 nrec, limit, limit);
			rc = DC_ELIMIT;
			break;
		}
		if (api && hi - lo > 1)
			expanded += hi - lo; /* one record (one provider) does not multiply */
		for (a = lo; api && a < hi; a++) {
			api_rec_t *r = &cat->apis.items[order[a].rec];
			if (r->svc == DC_NO_ID) {
				found_api = 1;
				continue;
			}
			if (r->svc == cat->deps.items[i].from)
				continue; /* consuming one's own API is not a dependency */
			if (nprov++ == 0) {
				cat->deps.items[i].to = r->svc;
			} else {
				dep_t copy = cat->deps.items[i];
				copy.to = r->svc;
				if (cat_add_dep(cat, &copy)) {
					free(order);
					return DC_ENOMEM;
				}
			}
			found_api = 1;
		}
		d = &cat->deps.items[i];
		if (nprov == 0) {
			dc_id ext;
			if (found_api) {
				/* the API exists, its provider is outside this catalog */
				cat_diag(cat, diags, DC_SEV_WARNING, d->loc,
					 "API '%s' consumed by '%s' has no provider in the catalog; "
					 "it is treated as an external service", t, svc_label(cat, d->from));
			} else {
				cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
					 "unknown API '%s' in %s of '%s'", t, cat_str(cat, d->origin),
					 svc_label(cat, d->from));
			}
			rc = external_for(cat, d, &ext, diags);
			if (rc)
				break;
			cat->deps.items[i].to = ext;
		}
		cat->deps.items[i].reftype = REF_BS_ENTITY;
	}
	cat->expanded = expanded;
	free(order);
	return rc;
}

static int resolve_all(dc_catalog *cat, dc_diags *diags)
{
	size_t i;
	int rc = expand_api_deps(cat, diags);
	if (rc)
		return rc;
	for (i = 0; i < cat->deps.len; i++) {
		dep_t *d = &cat->deps.items[i];
		uint32_t r;
		if (d->to != DC_NO_ID)
			continue;
		r = resolve_target(cat, d);
		if (d->flags & DEP_WARN_UNRESOLVED) {
			if (r == DC_NO_ID || (r != FORM_AMBIGUOUS &&
			    (cat->svcs.items[r].flags & (SVC_EXTERNAL | SVC_DECLARED_EXTERNAL)) == SVC_EXTERNAL))
				cat_diag(cat, diags, DC_SEV_WARNING, d->loc,
					 "'%s' in %s of '%s' is not defined in the input; it is treated as "
					 "an external service", cat_str(cat, d->target),
					 cat_str(cat, d->origin), svc_label(cat, d->from));
		} else if (r != DC_NO_ID && r != FORM_AMBIGUOUS &&
		    (cat->svcs.items[r].flags & (SVC_EXTERNAL | SVC_DECLARED_EXTERNAL)) == SVC_EXTERNAL) {
			/* an external made for an earlier unresolved reference: this
			 * reference is just as unresolved and gets its own error */
			cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
				 "unknown service '%s' in %s of '%s'", cat_str(cat, d->target),
				 cat_str(cat, d->origin), svc_label(cat, d->from));
		}
		if (r == FORM_AMBIGUOUS) {
			cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
				 "ambiguous reference '%s' in %s of '%s': it names several services; "
				 "write it in full (kind:namespace/name)",
				 cat_str(cat, d->target), cat_str(cat, d->origin), svc_label(cat, d->from));
			r = DC_NO_ID;
		} else if (r == DC_NO_ID && !(d->flags & DEP_WARN_UNRESOLVED)) {
			cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
				 "unknown service '%s' in %s of '%s'", cat_str(cat, d->target),
				 cat_str(cat, d->origin), svc_label(cat, d->from));
		}
		if (r == DC_NO_ID) {
			dc_id ext;
			rc = external_for(cat, d, &ext, diags);
			if (rc)
				return rc;
			d = &cat->deps.items[i];
			r = ext;
		}
		d->to = r;
		if (d->flags & DEP_REVERSED) {
			uint32_t t = d->from;
			d->from = d->to;
			d->to = t;
		}
	}
	return 0;
}

/* ---- one edge, several sources ------------------------------------------------ */

/* dep_t.prec: the precedence (PREC_*) in the low 3 bits, the source above
 * them: the format, or 7 for an overlay (each overlay file a source). */
#define DEP_PREC(d) ((d)->prec & 7)
#define DEP_SRC(d) ((d)->prec >> 3)

static int dep_other_source(const dep_t *a, const dep_t *b)
{
	if (!a->prec || !b->prec)
		return 0;
	if (DEP_SRC(a) != DEP_SRC(b))
		return 1;
	return DEP_SRC(a) == 7 && a->loc.file != b->loc.file;
}

static int dep_src_cmp(const void *x, const void *y)
{
	const dep_src_t *a = x, *b = y;
	if (a->dep != b->dep)
		return a->dep < b->dep ? -1 : 1;
	if (a->prec != b->prec)
		return a->prec > b->prec ? -1 : 1;
	if (a->loc.file != b->loc.file)
		return a->loc.file < b->loc.file ? -1 : 1;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	return a->loc.col < b->loc.col ? -1 : a->loc.col > b->loc.col;
}

static const char *loc_file(const dc_catalog *cat, dc_loc_int l)
{
	const char *f = cat_file_name(cat, l.file);
	return f ? f : "<input>";
}

/* prev (kept, at final index `at`) and d declare the same edge in two
 * sources: prev takes the values of the higher precedence (the later
 * overlay on a tie of overlays), explicit values over defaults; the kind
 * of a non-overlay tie of sources is the stricter (hard); values that
 * disagree are warnings naming both places. */
static int merge_dep(dc_catalog *cat, dc_diags *diags, dep_t *prev, const dep_t *d, size_t at)
{
	dep_t win = *prev, lose = *d;
	dep_src_t src;
	const char *from = cat_str(cat, cat->svcs.items[prev->from].name);
	const char *to = cat_str(cat, cat->svcs.items[prev->to].name);
	if (DEP_PREC(d) > DEP_PREC(prev) || (DEP_PREC(d) == PREC_OVERLAY && DEP_PREC(prev) == PREC_OVERLAY)) {
		win = *d;
		lose = *prev;
		win.group = prev->group;
	}
	if (DEP_PREC(&win) != PREC_OVERLAY) {
		if (win.kind != lose.kind) {
			cat_diag(cat, diags, DC_SEV_WARNING, lose.loc,
				 "dependency of '%s' on '%s' is %s here but %s at %s:%u:%u; it is taken as hard "
				 "(an overlay may set it)", from, to, dc_dep_kind_name((dc_dep_kind)lose.kind),
				 dc_dep_kind_name((dc_dep_kind)win.kind), loc_file(cat, win.loc), win.loc.line,
				 win.loc.col);
			win.kind = DC_DEP_HARD;
		}
		if ((win.flags & lose.flags & DEP_EX_TIMEOUT) && win.timeout_ms != lose.timeout_ms)
			cat_diag(cat, diags, DC_SEV_WARNING, lose.loc,
				 "timeout of '%s' on '%s' is %u ms here but %u ms at %s:%u:%u, which is used "
				 "(higher precedence)", from, to, lose.timeout_ms, win.timeout_ms,
				 loc_file(cat, win.loc), win.loc.line, win.loc.col);
		if ((win.flags & lose.flags & DEP_EX_RETRIES) && win.retries != lose.retries)
			cat_diag(cat, diags, DC_SEV_WARNING, lose.loc,
				 "retries of '%s' on '%s' are %u here but %u at %s:%u:%u, which is used "
				 "(higher precedence)", from, to, lose.retries, win.retries,
				 loc_file(cat, win.loc), win.loc.line, win.loc.col);
	}
	if (!(win.flags & DEP_EX_TIMEOUT) && (lose.flags & DEP_EX_TIMEOUT)) {
		win.timeout_ms = lose.timeout_ms;
		win.flags |= DEP_EX_TIMEOUT;
	}
	if (!(win.flags & DEP_EX_RETRIES) && (lose.flags & DEP_EX_RETRIES)) {
		win.retries = lose.retries;
		win.flags |= DEP_EX_RETRIES;
	}
	if (cat_merge_dep_res(cat, &win, &lose))
		return DC_ENOMEM;
	/* observed traffic written in an export: an edge some source declares
	 * is not "observed only" */
	if (!win.obs)
		win.obs = lose.obs;
	if (win.obs && (!dep_observed_only(cat, prev) || !dep_observed_only(cat, d)))
		cat->dep_obs.items[win.obs - 1].only = 0;
	/* startup only: an overlay's written value decides; otherwise every
	 * source must say so (one that shows runtime use makes it runtime) */
	if (DEP_PREC(&win) == PREC_OVERLAY && win.startup_set)
		;
	else if (DEP_PREC(&win) == PREC_OVERLAY)
		win.flags = (uint8_t)((win.flags & ~DEP_STARTUP) | (lose.flags & DEP_STARTUP));
	else if (!(lose.flags & DEP_STARTUP))
		win.flags &= (uint8_t)~DEP_STARTUP;
	win.startup_set |= lose.startup_set;
	/* a telemetry edge only when every source reads it as one */
	win.telemetry &= lose.telemetry;
	/* declared by any source: not inferred */
	if (!(lose.flags & DEP_INFERRED) && (win.flags & DEP_INFERRED)) {
		win.flags &= (uint8_t)~DEP_INFERRED;
		win.origin = lose.origin;
	}
	*prev = win;
	src.dep = (uint32_t)at;
	src.loc = lose.loc;
	src.prec = DEP_PREC(&lose);
	if (dc_vec_push(&cat->dep_srcs, src)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

/* Group deps by `from` (stable counting sort), drop self-dependencies and
 * duplicates, fill each service's range. */
static int group_deps(dc_catalog *cat, dc_diags *diags)
{
	size_t n = cat->deps.len, ns = cat->svcs.len, i, w;
	int rc = 0;
	uint32_t *count = calloc(ns + 1, sizeof(uint32_t));
	uint32_t *seen = malloc((ns ? ns : 1) * sizeof(uint32_t));
	uint32_t *seen_group = malloc((ns ? ns : 1) * sizeof(uint32_t));
	uint32_t *seen_dep = malloc((ns ? ns : 1) * sizeof(uint32_t));
	uint32_t *gseen = malloc((ns ? ns : 1) * sizeof(uint32_t));
	uint32_t *gseen_dep = malloc((ns ? ns : 1) * sizeof(uint32_t));
	dep_t *sorted = NULL;
	int in_order = 1; /* grouped by `from` already, none dropped: in place */
	if (!count || !seen || !seen_group || !seen_dep || !gseen || !gseen_dep) {
		free(count); free(seen); free(sorted); free(seen_group); free(seen_dep);
		free(gseen); free(gseen_dep);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		dep_t *d = &cat->deps.items[i];
		if (d->from == d->to) {
			cat_diag(cat, diags, DC_SEV_ERROR, d->loc,
				 "service '%s' depends on itself (%s); the dependency is ignored",
				 svc_label(cat, d->from), cat_str(cat, d->origin));
			d->flags |= DEP_DROPPED;
			in_order = 0;
			continue;
		}
		if (i && d->from < cat->deps.items[i - 1].from)
			in_order = 0;
		count[d->from + 1]++;
	}
	for (i = 0; i < ns; i++)
		count[i + 1] += count[i];
	if (in_order) {
		/* one file's services bring their dependencies in order: no
		 * copy (7 M dependencies are 300 MB); the compaction below only
		 * moves entries down */
		sorted = cat->deps.items;
		for (i = 0; i < ns; i++)
			count[i] = count[i + 1];
	} else {
		if (!(sorted = malloc((n ? n : 1) * sizeof(dep_t)))) {
			free(count); free(seen); free(seen_group); free(seen_dep);
			free(gseen); free(gseen_dep);
			return DC_ENOMEM;
		}
		for (i = 0; i < n; i++) {
			dep_t *d = &cat->deps.items[i];
			if (!(d->flags & DEP_DROPPED))
				sorted[count[d->from]++] = *d;
		}
	}
	/* count[s] is now the end of s's range; compact duplicates per service */
	for (i = 0; i < ns; i++)
		seen[i] = gseen[i] = UINT32_MAX;
	w = 0;
	{
		size_t start = 0, s;
		for (s = 0; s < ns && !rc; s++) {
			size_t end = count[s], first = w, k;
			for (k = start; k < end; k++) {
				dep_t *d = &sorted[k];
				/* plain edges and group members are tracked apart, so that
				 * `b`, `any_of: [b, c]`, `b` still finds the second `b` */
				uint32_t *stamp = d->group ? gseen : seen;
				uint32_t *at = d->group ? gseen_dep : seen_dep;
				if (stamp[d->to] == s && (!d->group || seen_group[d->to] == d->group)) {
					dep_t *prev = &sorted[at[d->to]];
					if (dep_other_source(prev, d)) {
						/* one edge, declared by several sources */
						if (merge_dep(cat, diags, prev, d, at[d->to])) {
							rc = DC_ENOMEM;
							break;
						}
						continue;
					}
					if (!(d->flags & DEP_QUIET_DUP) && !(prev->flags & DEP_QUIET_DUP))
						/* named by the services' display names: the text
						 * written may be the other end (dependencyOf) */
						cat_diag(cat, diags, DC_SEV_WARNING, d->loc,
							 "duplicate dependency of '%s' on '%s'; the first one is kept",
							 cat_str(cat, cat->svcs.items[d->from].name),
							 cat_str(cat, cat->svcs.items[d->to].name));
					if (d->kind == DC_DEP_HARD)
						prev->kind = DC_DEP_HARD;
					prev->telemetry &= d->telemetry;
					/* startup only when every declaration is */
					if (!(d->flags & DEP_STARTUP) && (prev->flags & DEP_STARTUP)) {
						/* the runtime declaration explains the edge */
						prev->flags &= (uint8_t)~DEP_STARTUP;
						prev->origin = d->origin;
						prev->loc = d->loc;
					}
					continue;
				}
				stamp[d->to] = (uint32_t)s;
				if (d->group)
					seen_group[d->to] = d->group;
				at[d->to] = (uint32_t)w;
				if (&sorted[w] != d)  /* in place, most entries stay where they are */
					sorted[w] = *d;
				w++;
			}
			cat->svcs.items[s].dep_first = (uint32_t)first;
			cat->svcs.items[s].ndeps = (uint32_t)(w - first);
			start = end;
		}
	}
	if (rc) {
		/* in place, the entries are a mix: never analyzed (DC_ENOMEM) */
		free(count); free(seen); if (!in_order) free(sorted); free(seen_group); free(seen_dep);
		free(gseen); free(gseen_dep);
		return rc;
	}
	if (cat->dep_srcs.len > 1)
		qsort(cat->dep_srcs.items, cat->dep_srcs.len, sizeof(dep_src_t), dep_src_cmp);
	if (!in_order)
		free(cat->deps.items);
	cat->deps.items = sorted;
	cat->deps.len = w;
	cat->deps.cap = n ? n : 1;
	free(count);
	free(seen);
	free(seen_group);
	free(seen_dep);
	free(gseen);
	free(gseen_dep);
	return 0;
}

static int pick_display_names(dc_catalog *cat)
{
	size_t i;
	for (i = 0; i < cat->svcs.len; i++) {
		svc_t *s = &cat->svcs.items[i];
		char buf[2048];
		const char *forms[4];
		int n, k;
		if (!s->bs_kind && !s->bs_ns)
			continue; /* native names are their own display name */
		n = service_forms(cat, s, buf, sizeof(buf), forms);
		/* the shortest form that names this service alone (ties: the order
		 * of service_forms, so `name` before `ns/name` before `kind:...`) */
		{
			int best = -1;
			for (k = 0; k < n; k++) {
				size_t len = strlen(forms[k]);
				uint32_t r = cat_form_lookup(cat, forms[k], len), nat;
				if (r != (uint32_t)i)
					continue;
				/* a bare name must not shadow a native service of that exact name */
				nat = ref_lookup(cat, forms[k], len);
				if (k == 0 && nat != DC_NO_ID && nat != (uint32_t)i)
					continue;
				if (best < 0 || len < strlen(forms[best]))
					best = k;
			}
			s->name = best >= 0 ? cat_intern(cat, forms[best]) : s->ref;
		}
		if (!s->name)
			return DC_ENOMEM;
	}
	return 0;
}

/* Every string of the input that an output shows, checked once here for
 * every loader: control characters, direction overrides and bytes that
 * are not UTF-8 are an error of the input (docs/security.md), named with
 * the service's position. Returns the number of errors. */
static size_t bad_text(dc_catalog *cat, dc_diags *diags, dc_loc_int loc, const char *what,
		       uint32_t owner_str, uint32_t str, int flags)
{
	const char *t = str ? cat_str(cat, str) : NULL;
	char desc[96], shown[160], owner[160];
	size_t at = 0;
	uint32_t cp;
	/* a string already found good as a single line (most are names met
	 * many times: 7 M dependencies name 1 M services) is not checked
	 * again; a bad one is reported at every place it occurs */
	if (!flags && str && cat->text_ok && cat->text_ok[str])
		return 0;
	cp = dc_text_check(t, flags, &at);
	if (!cp && !flags && str && cat->text_ok)
		cat->text_ok[str] = 1;
	if (!cp)
		return 0;
	dc_text_describe(cp, desc, sizeof(desc));
	dc_text_escape(shown, sizeof(shown), t);
	/* the service it belongs to, escaped only now: most texts are good */
	if (owner_str)
		dc_text_escape(owner, sizeof(owner), cat_str(cat, owner_str));
	cat_diag(cat, diags, DC_SEV_ERROR, loc, "%s%s%s '%s' contains %s (byte %zu): not allowed in "
		 "names and text (see docs/security.md)", what, owner_str ? " of " : "", owner_str ? owner : "",
		 shown, desc, at + 1);
	return 1;
}

static size_t check_texts(dc_catalog *cat, dc_diags *diags)
{
	size_t i, k, bad = 0;
	if (!(cat->text_ok = calloc(cat->strs.ents.len + 1, 1))) {
		cat->oom = 1;
		return 1;
	}
	/* every distinct string once, in table order: when all of them are
	 * good as single lines (good as a description too), no place can
	 * hold a bad one, and the walk over every service and dependency
	 * (7 M at 1,000,000 services) is not needed */
	for (i = 1; i < cat->strs.ents.len; i++) {
		size_t at = 0;
		if (dc_text_check(cat->strs.ents.items[i].s, 0, &at))
			break;
		cat->text_ok[i] = 1;
	}
	if (i >= cat->strs.ents.len) {
		free(cat->text_ok);
		cat->text_ok = NULL;
		return 0;
	}
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t who = s->ref;
		bad += bad_text(cat, diags, s->loc, "service name", 0, s->ref, 0);
		if (s->name != s->ref)
			bad += bad_text(cat, diags, s->loc, "display name", who, s->name, 0);
		bad += bad_text(cat, diags, s->loc, "owner", who, s->owner, 0);
		bad += bad_text(cat, diags, s->loc, "system", who, s->system, 0);
		bad += bad_text(cat, diags, s->loc, "description", who, s->description, DC_TEXT_MULTILINE);
		bad += bad_text(cat, diags, s->loc, "url", who, s->url, 0);
		for (k = 0; k < s->nzones; k++)
			bad += bad_text(cat, diags, s->loc, "zone", who, cat->strlists.items[s->zones + k], 0);
		for (k = 0; k < s->ntags; k++)
			bad += bad_text(cat, diags, s->loc, "tag", who, cat->strlists.items[s->tags + k], 0);
	}
	for (i = 0; i < cat->deps.len; i++) {
		const dep_t *d = &cat->deps.items[i];
		bad += bad_text(cat, diags, d->loc, "dependency", 0, d->target, 0);
	}
	/* the text settings of dependencies and of mesh policies, and what a
	 * policy names */
	for (i = 0; i < cat->dep_res.len; i++) {
		const dep_res_t *r = &cat->dep_res.items[i];
		if (r->set & (1u << DC_DEP_RETRY_ON))
			bad += bad_text(cat, diags, r->loc[DC_DEP_RETRY_ON], "retry_on", 0, r->val[DC_DEP_RETRY_ON], 0);
		if (r->set & (1u << DC_DEP_FAILOVER))
			bad += bad_text(cat, diags, r->loc[DC_DEP_FAILOVER], "failover", 0, r->val[DC_DEP_FAILOVER], 0);
	}
	for (i = 0; i < cat->edge_pols.len; i++) {
		const edge_pol_t *p = &cat->edge_pols.items[i];
		bad += bad_text(cat, diags, p->at, "host", 0, p->callee, 0);
		bad += bad_text(cat, diags, p->at, "object", 0, p->what, 0);
		if (p->r.set & (1u << DC_DEP_RETRY_ON))
			bad += bad_text(cat, diags, p->r.loc[DC_DEP_RETRY_ON], "retry_on", 0, p->r.val[DC_DEP_RETRY_ON], 0);
		if (p->r.set & (1u << DC_DEP_FAILOVER))
			bad += bad_text(cat, diags, p->r.loc[DC_DEP_FAILOVER], "failover", 0, p->r.val[DC_DEP_FAILOVER], 0);
	}
	free(cat->text_ok);
	cat->text_ok = NULL;
	return bad;
}

int dc_catalog_finalize(dc_catalog *cat, dc_diags *diags)
{
	size_t i;
	uint32_t *indeg;
	int rc;
	if (cat->finalized)
		return 0;
	if (cat->compose_flush) {
		/* the Compose projects, their files merged (load_compose.c) */
		int (*flush)(dc_catalog *, dc_diags *) = cat->compose_flush;
		cat->compose_flush = NULL;
		int fr = flush(cat, diags);
		if (fr == DC_ENOMEM)
			cat->oom = 1;
		else if (fr == DC_ELIMIT)
			cat->limit_hit = 1;
	}
	if (cat->k8s_flush) {
		/* the Kubernetes files, ConfigMaps shared (load_kubernetes.c) */
		int (*flush)(dc_catalog *, dc_diags *) = cat->k8s_flush;
		int fr;
		cat->k8s_flush = NULL;
		fr = flush(cat, diags);
		if (fr == DC_ENOMEM)
			cat->oom = 1;
		else if (fr == DC_ELIMIT)
			cat->limit_hit = 1;
	}
	if (cat->oom)
		return DC_ENOMEM; /* something is missing: never analyze it */
	if (check_texts(cat, diags))
		return cat->oom ? DC_ENOMEM : DC_EINVALID;
	if (cat->limit_hit)
		return DC_ELIMIT; /* a Compose project loaded here went over a limit */
	/* one service described by several sources, and the overlays */
	if ((rc = cat_merge_sources(cat, diags)))
		return rc;
	for (i = 0; i < cat->svcs.len; i++)
		if ((rc = register_forms(cat, (dc_id)i)))
			return rc;
	if ((rc = resolve_all(cat, diags)))
		return rc;
	/* names first: group_deps names services in its warnings */
	if ((rc = pick_display_names(cat)))
		return rc;
	if ((rc = group_deps(cat, diags)))
		return rc;
	/* the calls observed in production (dc_catalog_add_observed): before the
	 * mesh policies, which apply to an observed call as to a declared one */
	if ((rc = cat_apply_observed(cat, diags)))
		return rc;
	/* what a service mesh or gateway enforces on the calls into a callee */
	if ((rc = cat_apply_edge_policies(cat, diags)))
		return rc;
	/* entrypoints: explicit, or nothing depends on it */
	indeg = calloc(cat->svcs.len + 1, sizeof(uint32_t));
	if (!indeg)
		return DC_ENOMEM;
	for (i = 0; i < cat->deps.len; i++)
		indeg[cat->deps.items[i].to]++;
	for (i = 0; i < cat->svcs.len; i++) {
		svc_t *s = &cat->svcs.items[i];
		if (s->flags & SVC_ENTRY_EXPLICIT)
			continue;
		if (!(s->flags & SVC_EXTERNAL) && indeg[i] == 0)
			s->flags |= SVC_ENTRY;
		else
			s->flags &= (uint8_t)~SVC_ENTRY;
	}
	free(indeg);
	if (cat->oom)
		return DC_ENOMEM; /* a diagnostic or a name could not be stored */
	/* display name -> id, so that dc_catalog_find is one lookup, not a
	 * scan of every service (reconcile and diff resolve many names) */
	for (i = 0; i < cat->svcs.len; i++) {
		uint32_t nm = cat->svcs.items[i].name;
		if (ensure_index(&cat->by_name, (size_t)nm + 1))
			return DC_ENOMEM;
		if (!cat->by_name.items[nm])
			cat->by_name.items[nm] = (uint32_t)i + 1;
	}
	cat->finalized = 1;
	if (cat->svcs.len == 0 && cat->other_entities.len) {
		/* a catalog of Groups, Users, APIs, Systems ...: valid, and empty */
		if (diags)
			note_no_services(cat, diags);
		return 0;
	}
	if (cat->svcs.len == 0) {
		/* an earlier error (syntax, unreadable file) already says why */
		if (!diags || dc_diags_count_severity(diags, DC_SEV_ERROR) == 0)
			dc_diags_add(diags, DC_SEV_ERROR, cat->files.len ? cat->files.items[0] : "<input>", 0, 0,
				     "no services found in the input");
		return DC_EINVALID;
	}
	return 0;
}

/* ---- accessors ------------------------------------------------------------ */

size_t dc_catalog_service_count(const dc_catalog *cat) { return cat ? cat->svcs.len : 0; }
size_t dc_catalog_dep_count(const dc_catalog *cat) { return cat ? cat->deps.len : 0; }
size_t dc_catalog_file_count(const dc_catalog *cat) { return cat ? cat->files.len : 0; }
const char *dc_catalog_file(const dc_catalog *cat, size_t i)
{
	return cat && i < cat->files.len ? cat->files.items[i] : NULL;
}

int dc_catalog_find(const dc_catalog *cat, const char *name, dc_id *out)
{
	size_t len = strlen(name);
	uint32_t id = dc_strtab_lookup(&cat->strs, name, len), r;
	/* exact display name first */
	if (id && id < cat->by_name.len && cat->by_name.items[id]) {
		*out = cat->by_name.items[id] - 1;
		return 0;
	}
	r = ref_lookup(cat, name, len);
	if (r != DC_NO_ID) {
		*out = r;
		return 0;
	}
	r = cat_form_lookup(cat, name, len);
	if (r == FORM_AMBIGUOUS)
		return DC_EAMBIGUOUS;
	if (r == DC_NO_ID)
		return DC_ENOTFOUND;
	*out = r;
	return 0;
}

/* Every accessor checks its id: an out-of-range id (DC_NO_ID included) or a
 * NULL catalog gives NULL, 0 (or the documented "unset" value) instead of a
 * read out of bounds. A zero-filled record stands in for the missing one, so
 * each accessor stays one line. */
static const svc_t no_svc;
static const dep_t no_dep;

static const svc_t *svc_at(const dc_catalog *cat, dc_id s)
{
	return cat && s < cat->svcs.len ? &cat->svcs.items[s] : NULL;
}
static const dep_t *dep_at(const dc_catalog *cat, size_t d)
{
	return cat && d < cat->deps.len ? &cat->deps.items[d] : NULL;
}
#define SVC(id) (svc_at(cat, (id)) ? svc_at(cat, (id)) : &no_svc)
#define DEP(d) (dep_at(cat, (d)) ? dep_at(cat, (d)) : &no_dep)
/* strings: id 0 is "no string" (NULL) */
static const char *str_or_null(const dc_catalog *cat, uint32_t id)
{
	return cat && id ? cat_str(cat, id) : NULL;
}

const char *dc_service_name(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->name); }
const char *dc_service_ref(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->ref); }
const char *dc_service_owner(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->owner); }
const char *dc_service_system(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->system); }
const char *dc_service_description(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->description); }
const char *dc_service_url(const dc_catalog *cat, dc_id s) { return str_or_null(cat, SVC(s)->url); }
int dc_service_tier(const dc_catalog *cat, dc_id s) { return SVC(s)->tier; }
int dc_service_is_entrypoint(const dc_catalog *cat, dc_id s) { return (SVC(s)->flags & SVC_ENTRY) != 0; }
int dc_service_entrypoint_explicit(const dc_catalog *cat, dc_id s) { return (SVC(s)->flags & SVC_ENTRY_EXPLICIT) != 0; }
int dc_service_is_external(const dc_catalog *cat, dc_id s) { return (SVC(s)->flags & SVC_EXTERNAL) != 0; }
unsigned dc_service_replicas(const dc_catalog *cat, dc_id s) { return SVC(s)->replicas; }
double dc_service_availability(const dc_catalog *cat, dc_id s) { return SVC(s)->availability; }
dc_availability_source dc_service_availability_source(const dc_catalog *cat, dc_id s)
{
	if (!svc_at(cat, s))
		return DC_AVAIL_SOURCE_DEFAULT;
	if (SVC(s)->flags & SVC_MEASURED_AVAIL)
		return DC_AVAIL_SOURCE_MEASURED;
	return (SVC(s)->explicit_attrs & SVC_EX_AVAIL) ? DC_AVAIL_SOURCE_DECLARED : DC_AVAIL_SOURCE_DEFAULT;
}
const char *dc_availability_source_name(dc_availability_source src)
{
	switch (src) {
	case DC_AVAIL_SOURCE_DEFAULT: return "default";
	case DC_AVAIL_SOURCE_DECLARED: return "declared";
	case DC_AVAIL_SOURCE_MEASURED: return "measured";
	}
	return NULL;
}
/* unset is negative (see catalog.h), also for an invalid id */
double dc_service_slo(const dc_catalog *cat, dc_id s) { return svc_at(cat, s) ? SVC(s)->slo : -1; }
double dc_service_traffic_rps(const dc_catalog *cat, dc_id s) { return svc_at(cat, s) ? SVC(s)->traffic_rps : -1; }
double dc_service_capacity_rps(const dc_catalog *cat, dc_id s) { return svc_at(cat, s) ? SVC(s)->capacity_rps : -1; }
unsigned dc_service_max_concurrency(const dc_catalog *cat, dc_id s) { return svc_at(cat, s) ? SVC(s)->max_concurrency : 0; }
double dc_service_latency_ms(const dc_catalog *cat, dc_id s) { return SVC(s)->latency_ms; }
size_t dc_service_zone_count(const dc_catalog *cat, dc_id s) { return SVC(s)->nzones; }
const char *dc_service_zone(const dc_catalog *cat, dc_id s, size_t i)
{
	return i < SVC(s)->nzones ? cat_str(cat, cat->strlists.items[SVC(s)->zones + i]) : NULL;
}
size_t dc_service_tag_count(const dc_catalog *cat, dc_id s) { return SVC(s)->ntags; }
const char *dc_service_tag(const dc_catalog *cat, dc_id s, size_t i)
{
	return i < SVC(s)->ntags ? cat_str(cat, cat->strlists.items[SVC(s)->tags + i]) : NULL;
}
dc_input_format dc_service_format(const dc_catalog *cat, dc_id s) { return (dc_input_format)SVC(s)->format; }

static dc_location to_location(const dc_catalog *cat, dc_loc_int l)
{
	dc_location r;
	r.file = cat ? cat_file_name(cat, l.file) : NULL;
	r.line = l.line;
	r.column = l.col;
	return r;
}

dc_location dc_service_location(const dc_catalog *cat, dc_id s) { return to_location(cat, SVC(s)->loc); }

size_t dc_service_dep_first(const dc_catalog *cat, dc_id s) { return SVC(s)->dep_first; }
size_t dc_service_dep_count(const dc_catalog *cat, dc_id s) { return SVC(s)->ndeps; }

/* an invalid dependency has no ends: DC_NO_ID, not service 0 */
dc_id dc_dep_from(const dc_catalog *cat, size_t d) { return dep_at(cat, d) ? DEP(d)->from : DC_NO_ID; }
dc_id dc_dep_to(const dc_catalog *cat, size_t d) { return dep_at(cat, d) ? DEP(d)->to : DC_NO_ID; }
dc_dep_kind dc_dep_kind_of(const dc_catalog *cat, size_t d) { return (dc_dep_kind)DEP(d)->kind; }
unsigned dc_dep_timeout_ms(const dc_catalog *cat, size_t d) { return DEP(d)->timeout_ms; }
unsigned dc_dep_retries(const dc_catalog *cat, size_t d) { return DEP(d)->retries; }
unsigned dc_dep_stage(const dc_catalog *cat, size_t d) { return DEP(d)->stage; }
unsigned dc_dep_group(const dc_catalog *cat, size_t d) { return DEP(d)->group; }
const char *dc_dep_target_text(const dc_catalog *cat, size_t d) { return str_or_null(cat, DEP(d)->target); }
const char *dc_dep_origin(const dc_catalog *cat, size_t d)
{
	const char *o;
	if (!dep_at(cat, d))
		return NULL;
	o = cat_str(cat, DEP(d)->origin);
	return o ? o : "depends_on";
}
int dc_dep_is_inferred(const dc_catalog *cat, size_t d) { return (DEP(d)->flags & DEP_INFERRED) != 0; }
int dc_dep_is_startup(const dc_catalog *cat, size_t d) { return (DEP(d)->flags & DEP_STARTUP) != 0; }
int dc_dep_is_telemetry(const dc_catalog *cat, size_t d) { return dep_telemetry(DEP(d)); }
dc_location dc_dep_location(const dc_catalog *cat, size_t d) { return to_location(cat, DEP(d)->loc); }

const char *dc_dep_kind_name(dc_dep_kind k) { return k == DC_DEP_SOFT ? "soft" : "hard"; }

/* ---- resilience settings ---------------------------------------------------- */

static const char *const setting_names[DC_DEP_SETTING_COUNT] = {
	"timeout_ms", "retries", "per_try_timeout_ms", "retry_on", "retry_budget", "max_connections",
	"max_pending", "max_requests", "eject_after_errors", "ejection_ms", "weight", "failover",
	"max_retries", "calls"
};

const char *dc_dep_setting_name(dc_dep_setting k)
{
	return (unsigned)k < DC_DEP_SETTING_COUNT ? setting_names[k] : NULL;
}

static int setting_text(dc_dep_setting k) { return k == DC_DEP_RETRY_ON || k == DC_DEP_FAILOVER; }

int dc_dep_setting_is_set(const dc_catalog *cat, size_t d, dc_dep_setting k)
{
	const dep_t *dp = dep_at(cat, d);
	const dep_res_t *r;
	if (!dp || (unsigned)k >= DC_DEP_SETTING_COUNT)
		return 0;
	if (k == DC_DEP_TIMEOUT)
		return (dp->flags & DEP_EX_TIMEOUT) != 0;
	if (k == DC_DEP_RETRIES)
		return (dp->flags & DEP_EX_RETRIES) != 0;
	r = cat_dep_res(cat, dp);
	return r && (r->set >> k & 1u);
}

double dc_dep_setting_value(const dc_catalog *cat, size_t d, dc_dep_setting k)
{
	const dep_t *dp = dep_at(cat, d);
	const dep_res_t *r;
	if (!dp || (unsigned)k >= DC_DEP_SETTING_COUNT || setting_text(k))
		return 0;
	if (k == DC_DEP_TIMEOUT)
		return dp->timeout_ms;
	if (k == DC_DEP_RETRIES)
		return dp->retries;
	r = cat_dep_res(cat, dp);
	if (!r || !(r->set >> k & 1u))
		return 0;
	return k == DC_DEP_RETRY_BUDGET || k == DC_DEP_CALLS ? r->val[k] / 1000.0 : (double)r->val[k];
}

const char *dc_dep_setting_text(const dc_catalog *cat, size_t d, dc_dep_setting k)
{
	const dep_t *dp = dep_at(cat, d);
	const dep_res_t *r = dp ? cat_dep_res(cat, dp) : NULL;
	if (!r || (unsigned)k >= DC_DEP_SETTING_COUNT || !setting_text(k) || !(r->set >> k & 1u))
		return NULL;
	return str_or_null(cat, r->val[k]);
}

dc_location dc_dep_setting_location(const dc_catalog *cat, size_t d, dc_dep_setting k)
{
	static const dc_loc_int none;
	const dep_t *dp = dep_at(cat, d);
	const dep_res_t *r = dp ? cat_dep_res(cat, dp) : NULL;
	if (!dc_dep_setting_is_set(cat, d, k))
		return to_location(cat, none);
	if (r && r->loc[k].file)
		return to_location(cat, r->loc[k]);
	return to_location(cat, dp->loc);
}

unsigned long long dc_dep_hang_ms(const dc_catalog *cat, size_t d)
{
	const dep_t *dp = dep_at(cat, d);
	return dp ? (unsigned long long)cat_dep_hang_ms(cat, dp) : 0;
}

double dc_dep_call_factor(const dc_catalog *cat, size_t d)
{
	const dep_t *dp = dep_at(cat, d);
	return dp ? cat_dep_factor(cat, dp) : 0;
}

/* ---- provenance ------------------------------------------------------------ */

static const char *const attr_names[DC_ATTR_COUNT] = {
	"owner", "system", "description", "url", "tier", "entrypoint", "replicas", "zones",
	"availability", "slo", "latency_ms", "tags", "external", "traffic_rps", "capacity_rps",
	"max_concurrency"
};

const char *dc_attr_name(dc_attr a)
{
	return (unsigned)a < DC_ATTR_COUNT ? attr_names[a] : NULL;
}

/* The first of service s's source records (svc_srcs is sorted by svc), or
 * the vector's length when it has none. */
static size_t first_svc_src(const dc_catalog *cat, dc_id s)
{
	size_t lo = 0, hi = cat->svc_srcs.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cat->svc_srcs.items[mid].svc < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t svc_src_count(const dc_catalog *cat, dc_id s, size_t *first)
{
	size_t f = first_svc_src(cat, s), n = 0;
	while (f + n < cat->svc_srcs.len && cat->svc_srcs.items[f + n].svc == s)
		n++;
	*first = f;
	return n;
}

/* an external made for an unresolved reference has no definition */
static int defined(const dc_catalog *cat, dc_id s)
{
	return svc_at(cat, s) && !(SVC(s)->format == DC_FORMAT_AUTO && (SVC(s)->flags & SVC_EXTERNAL));
}

size_t dc_service_source_count(const dc_catalog *cat, dc_id s)
{
	size_t f, n;
	if (!defined(cat, s))
		return 0;
	n = svc_src_count(cat, s, &f);
	return n ? n : 1;
}

/* The explicit attributes of a record (a service defined once). */
unsigned cat_svc_attrs(const svc_t *s)
{
	unsigned m = 0;
	if (s->owner) m |= 1u << DC_ATTR_OWNER;
	if (s->system) m |= 1u << DC_ATTR_SYSTEM;
	if (s->description) m |= 1u << DC_ATTR_DESCRIPTION;
	if (s->url) m |= 1u << DC_ATTR_URL;
	if (s->explicit_attrs & SVC_EX_TIER) m |= 1u << DC_ATTR_TIER;
	if (s->flags & SVC_ENTRY_EXPLICIT) m |= 1u << DC_ATTR_ENTRYPOINT;
	if (s->explicit_attrs & SVC_EX_REPLICAS) m |= 1u << DC_ATTR_REPLICAS;
	if (s->nzones) m |= 1u << DC_ATTR_ZONES;
	if (s->explicit_attrs & SVC_EX_AVAIL) m |= 1u << DC_ATTR_AVAILABILITY;
	if (s->explicit_attrs & SVC_EX_SLO) m |= 1u << DC_ATTR_SLO;
	if (s->explicit_attrs & SVC_EX_LATENCY) m |= 1u << DC_ATTR_LATENCY;
	if (s->ntags) m |= 1u << DC_ATTR_TAGS;
	if (s->flags & SVC_DECLARED_EXTERNAL) m |= 1u << DC_ATTR_EXTERNAL;
	if (s->explicit_attrs & SVC_EX_TRAFFIC) m |= 1u << DC_ATTR_TRAFFIC;
	if (s->explicit_attrs & SVC_EX_CAPACITY) m |= 1u << DC_ATTR_CAPACITY;
	if (s->explicit_attrs & SVC_EX_CONCURRENCY) m |= 1u << DC_ATTR_CONCURRENCY;
	return m;
}

/* source i of s: its record in svc_srcs, or NULL for the service's own
 * (single) definition, *ok = 0 when out of range */
static const svc_src_t *svc_src_at(const dc_catalog *cat, dc_id s, size_t i, int *ok)
{
	size_t f, n;
	*ok = defined(cat, s);
	if (!*ok)
		return NULL;
	n = svc_src_count(cat, s, &f);
	if (!n) {
		*ok = i == 0;
		return NULL;
	}
	*ok = i < n;
	return *ok ? &cat->svc_srcs.items[f + i] : NULL;
}

dc_location dc_service_source(const dc_catalog *cat, dc_id s, size_t i)
{
	int ok;
	const svc_src_t *r = svc_src_at(cat, s, i, &ok);
	dc_loc_int none = { 0, 0, 0 };
	return to_location(cat, !ok ? none : r ? r->loc : SVC(s)->loc);
}

dc_input_format dc_service_source_format(const dc_catalog *cat, dc_id s, size_t i)
{
	int ok;
	const svc_src_t *r = svc_src_at(cat, s, i, &ok);
	return !ok ? DC_FORMAT_AUTO : (dc_input_format)(r ? r->format : SVC(s)->format);
}

int dc_service_source_is_overlay(const dc_catalog *cat, dc_id s, size_t i)
{
	int ok;
	const svc_src_t *r = svc_src_at(cat, s, i, &ok);
	return ok && r && r->prec == PREC_OVERLAY;
}

unsigned dc_service_source_attrs(const dc_catalog *cat, dc_id s, size_t i)
{
	int ok;
	const svc_src_t *r = svc_src_at(cat, s, i, &ok);
	return !ok ? 0 : r ? r->attrs : cat_svc_attrs(SVC(s));
}

static size_t dep_src_range(const dc_catalog *cat, size_t d, size_t *first)
{
	size_t lo = 0, hi = cat->dep_srcs.len, n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cat->dep_srcs.items[mid].dep < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < cat->dep_srcs.len && cat->dep_srcs.items[lo + n].dep == d)
		n++;
	*first = lo;
	return n;
}

size_t dc_dep_source_count(const dc_catalog *cat, size_t d)
{
	size_t f;
	return dep_at(cat, d) ? 1 + dep_src_range(cat, d, &f) : 0;
}

dc_location dc_dep_source(const dc_catalog *cat, size_t d, size_t i)
{
	size_t f, n;
	dc_loc_int none = { 0, 0, 0 };
	if (!dep_at(cat, d))
		return to_location(cat, none);
	if (i == 0)
		return to_location(cat, DEP(d)->loc);
	n = dep_src_range(cat, d, &f);
	return to_location(cat, i - 1 < n ? cat->dep_srcs.items[f + i - 1].loc : none);
}
