/*
 * load_native.c - depcheck's own catalog format (YAML or JSON, one schema;
 * docs/inputs.md). The attribute and dependency parsing it shares with the
 * other formats is in load_attrs.c.
 *
 * A native catalog's `services:` list is loaded while it is parsed (the
 * stream hook), so a big catalog never exists as one document tree; the
 * file's `defaults:` are applied after the document, to what did not say
 * otherwise. Unknown keys are warnings, wrong values errors; a problem never
 * stops the rest of the file from loading.
 */
#include "load_attrs.h"

#include <stdio.h>

static const char *const service_keys[] = {
	"name", "owner", "system", "tier", "entrypoint", "replicas", "zones", "availability",
	"slo", "latency_ms", "traffic_rps", "capacity_rps", "max_concurrency", "tags", "depends_on", "description", "url", "external", NULL
};
static const char *const top_keys[] = { "depcheck", "defaults", "services", "overlay", NULL };
static const char *const default_keys[] = {
	"availability", "slo", "latency_ms", "replicas", "tier", "timeout_ms", "retries", NULL
};

/* ---- the native file ----------------------------------------------------------- */

static void read_defaults(load_ctx *c, const doc_node *m)
{
	uint32_t i, u;
	double d;
	if (m->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, m, "defaults must be a mapping, not %s", doc_type_name(m));
		return;
	}
	for (i = 0; i < m->n; i++) {
		const doc_node *k = m->u.kids[2 * i], *v = m->u.kids[2 * i + 1];
		const char *key = k->kind == DOC_SCALAR ? k->u.s : "";
		if (!strcmp(key, "availability")) {
			if (attr_get_num(c, v, "availability", "defaults", 0, 1, 1, 0, &d) == 0)
				c->def_availability = d;
		} else if (!strcmp(key, "slo")) {
			if (attr_get_num(c, v, "slo", "defaults", 0, 1, 1, 0, &d) == 0)
				c->def_slo = d;
		} else if (!strcmp(key, "latency_ms")) {
			if (attr_get_num(c, v, "latency_ms", "defaults", 0, 1e9, 0, 0, &d) == 0)
				c->def_latency_ms = d;
		} else if (!strcmp(key, "replicas")) {
			if (attr_get_uint(c, v, "replicas", "defaults", 0, 1000000, 0, &u) == 0)
				c->def_replicas = u;
		} else if (!strcmp(key, "tier")) {
			if (attr_get_uint(c, v, "tier", "defaults", 1, 4, 0, &u) == 0)
				c->def_tier = (uint8_t)u;
		} else if (!strcmp(key, "timeout_ms")) {
			attr_get_uint(c, v, "timeout_ms", "defaults", 0, 86400000, 0, &c->def_timeout_ms);
		} else if (!strcmp(key, "retries")) {
			attr_get_uint(c, v, "retries", "defaults", 0, 100, 0, &c->def_retries);
		} else {
			attr_unknown_key(c, k, "defaults", default_keys);
		}
	}
}

static void apply_defaults(load_ctx *c, uint32_t s0, uint32_t s1, uint32_t d0, uint32_t d1);

static void load_service(load_ctx *c, const doc_node *m)
{
	const doc_node *name = doc_get(m, "name"), *deps = NULL;
	const char *nm;
	dc_id id;
	uint32_t i, ref;
	int rc, b;

	if (m->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, m, "a service must be a mapping with at least 'name', not %s",
			 doc_type_name(m));
		return;
	}
	if (!name) {
		ctx_diag(c, DC_SEV_ERROR, m, "service without a 'name'");
		return;
	}
	nm = doc_str(name);
	if (!nm || name->kind != DOC_SCALAR || name->n == 0 ||
	    doc_bool(name, &b) == 0) {
		ctx_diag(c, DC_SEV_ERROR, name, "service name must be a non-empty string, not %s",
			 name->n == 0 && name->kind == DOC_SCALAR && name->quoted ? "an empty string"
										  : doc_type_name(name));
		return;
	}
	ref = cat_intern_n(c->cat, nm, name->n);
	if (!ref)
		return;
	rc = ctx_new_service(c, ref, name, &id);
	if (rc)
		return; /* duplicate (reported) or out of memory */
	for (i = 0; i < m->n; i++) {
		const doc_node *k = m->u.kids[2 * i], *v = m->u.kids[2 * i + 1];
		const char *key = k->kind == DOC_SCALAR ? k->u.s : "";
		if (!strcmp(key, "name"))
			continue;
		if (!strcmp(key, "depends_on")) {
			deps = v;
			continue;
		}
		if (!attr_set(c, id, key, v, 0)) {
			char where[300];
			snprintf(where, sizeof(where), "service '%s'", nm);
			attr_unknown_key(c, k, where, service_keys);
		}
	}
	if (deps)
		attr_parse_deps(c, id, deps, "depends_on");
}

/* A native overlay: `overlay:` lists entries of the services' schema that
 * refine services defined elsewhere (any input, any format): an attribute
 * set here wins, a dependency here is added or, when another source
 * declares the same edge, overrides its kind, timeout and retries. Each
 * entry's name is a reference, matched as a dependency's would be; the
 * merge is at finalize (catalog_merge.c). Loaded after the document, with
 * the file's defaults for what it adds. 0, or -1 for a wrong type. */
static int load_overlay(load_ctx *c, const doc_node *ov)
{
	uint32_t i, s0, d0;
	if (!ov || doc_is_null(ov))
		return 0;
	if (ov->kind != DOC_SEQ) {
		ctx_diag(c, DC_SEV_ERROR, ov, "overlay must be a list of services, not %s", doc_type_name(ov));
		return -1;
	}
	s0 = (uint32_t)c->cat->svcs.len;
	d0 = (uint32_t)c->cat->deps.len;
	c->overlay = 1;
	for (i = 0; i < ov->n; i++)
		load_service(c, ov->u.kids[i]);
	c->overlay = 0;
	apply_defaults(c, s0, (uint32_t)c->cat->svcs.len, d0, (uint32_t)c->cat->deps.len);
	return 0;
}

/* Give the services and dependencies a document created the file's
 * defaults, where they did not say otherwise. Applied after the document
 * (rather than at creation) because a streamed services list is loaded
 * while it is parsed, possibly before `defaults:` has been read. */
static void apply_defaults(load_ctx *c, uint32_t s0, uint32_t s1, uint32_t d0, uint32_t d1)
{
	uint32_t i;
	for (i = s0; i < s1 && i < c->cat->svcs.len; i++) {
		svc_t *s = cat_svc(c->cat, i);
		if (!(s->explicit_attrs & SVC_EX_AVAIL))
			s->availability = c->def_availability;
		if (!(s->explicit_attrs & SVC_EX_LATENCY))
			s->latency_ms = c->def_latency_ms;
		if (!(s->explicit_attrs & SVC_EX_SLO))
			s->slo = c->def_slo;
		if (!(s->explicit_attrs & SVC_EX_REPLICAS))
			s->replicas = c->def_replicas;
		if (!(s->explicit_attrs & SVC_EX_TIER))
			s->tier = c->def_tier;
	}
	for (i = d0; i < d1 && i < c->cat->deps.len; i++) {
		dep_t *d = &c->cat->deps.items[i];
		if (!(d->flags & DEP_EX_TIMEOUT))
			d->timeout_ms = c->def_timeout_ms;
		if (!(d->flags & DEP_EX_RETRIES))
			d->retries = c->def_retries;
	}
}

/* The file's defaults now (the streamed entries' creation values when taken
 * at hook_begin). */
static void take_defaults(const load_ctx *c, load_defs *d)
{
	memset(d, 0, sizeof(*d));
	d->availability = c->def_availability;
	d->latency_ms = c->def_latency_ms;
	d->slo = c->def_slo;
	d->timeout_ms = c->def_timeout_ms;
	d->retries = c->def_retries;
	d->replicas = c->def_replicas;
	d->tier = c->def_tier;
}

static int hook_begin(void *ud, size_t doc_index)
{
	load_ctx *c = ud;
	take_defaults(c, &c->stream_defs);
	if (dc_vec_push(&c->streamed, (uint32_t)doc_index) ||
	    dc_vec_push(&c->streamed, (uint32_t)c->cat->svcs.len) ||
	    dc_vec_push(&c->streamed, (uint32_t)c->cat->deps.len))
		return DC_ENOMEM;
	return 0;
}

static int hook_item(void *ud, const doc_node *item)
{
	load_service(ud, item);
	return 0;
}

static int hook_end(void *ud)
{
	load_ctx *c = ud;
	if (dc_vec_push(&c->streamed, (uint32_t)c->cat->svcs.len) ||
	    dc_vec_push(&c->streamed, (uint32_t)c->cat->deps.len))
		return DC_ENOMEM;
	return 0;
}

void native_stream_hook(load_ctx *c, doc_item_hook *hook)
{
	hook->key = "services";
	hook->on_begin = hook_begin;
	hook->on_item = hook_item;
	hook->on_end = hook_end;
	hook->ud = c;
}

/* The `depcheck:` marker, else a `services:` that is not a mapping (a list,
 * or a wrong type that load_native reports precisely). */
int native_detect(const doc_node *root)
{
	const doc_node *svcs;
	if (doc_get(root, "depcheck"))
		return DETECT_MARKER;
	svcs = doc_get(root, "overlay");
	if (svcs && svcs->kind == DOC_SEQ)
		return DETECT_MARKER; /* a native overlay (docs/inputs.md) */
	svcs = doc_get(root, "services");
	return svcs && svcs->kind != DOC_MAP && !doc_is_null(svcs) ? DETECT_SHAPE : DETECT_NO;
}

int load_native(load_ctx *c, const doc_stream *ds)
{
	size_t d, nstreamed = 0;
	for (d = 0; d < ds->docs.len; d++) {
		const doc_node *root = ds->docs.items[d], *svcs, *ver;
		uint32_t i, s0, s1, d0, d1;
		if (!root || doc_is_null(root))
			continue;
		if (root->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, root, "a depcheck catalog must be a mapping with "
				 "'services', not %s", doc_type_name(root));
			return DC_EPARSE;
		}
		ver = doc_get(root, "depcheck");
		if (ver) {
			long long v;
			if (doc_int(ver, 0, &v) != 0 || v != 1) {
				ctx_diag(c, DC_SEV_ERROR, ver, "unsupported depcheck format version '%s' "
					 "(this build reads version 1)", ver->kind == DOC_SCALAR ? ver->u.s : "?");
				return DC_EPARSE;
			}
		}
		for (i = 0; i < root->n; i++) {
			const doc_node *k = root->u.kids[2 * i];
			/* x-* keys are extension fields (a home for YAML anchors, as in Compose) */
			if (k->kind != DOC_SCALAR || (strcmp(k->u.s, "depcheck") && strcmp(k->u.s, "defaults") &&
						      strcmp(k->u.s, "services") && strcmp(k->u.s, "overlay") &&
						      strncmp(k->u.s, "x-", 2)))
				attr_unknown_key(c, k, "the catalog", top_keys);
		}
		ctx_defaults(c);
		if (doc_get(root, "defaults"))
			read_defaults(c, doc_get(root, "defaults"));
		if (load_overlay(c, doc_get(root, "overlay")))
			return DC_EPARSE;
		svcs = doc_get(root, "services");
		if (!svcs || doc_is_null(svcs)) {
			if (!doc_get(root, "overlay"))
				ctx_diag(c, DC_SEV_WARNING, root, "catalog without 'services'");
			continue;
		}
		if (svcs->kind != DOC_SEQ) {
			ctx_diag(c, DC_SEV_ERROR, svcs, "services must be a list, not %s", doc_type_name(svcs));
			return DC_EPARSE;
		}
		/* streamed ranges are recorded in document order, as
		 * [document, first service, first dep, end service, end dep] */
		while (5 * nstreamed + 4 < c->streamed.len && c->streamed.items[5 * nstreamed] < d)
			nstreamed++;
		if (5 * nstreamed + 4 < c->streamed.len && c->streamed.items[5 * nstreamed] == d) {
			/* loaded while parsing */
			s0 = c->streamed.items[5 * nstreamed + 1];
			d0 = c->streamed.items[5 * nstreamed + 2];
			s1 = c->streamed.items[5 * nstreamed + 3];
			d1 = c->streamed.items[5 * nstreamed + 4];
			nstreamed++;
			{
				/* created with these defaults already (the same bits):
				 * a pass over every dependency saved */
				load_defs now;
				take_defaults(c, &now);
				if (!memcmp(&now, &c->stream_defs, sizeof(now)))
					continue;
			}
		} else {
			s0 = (uint32_t)c->cat->svcs.len;
			d0 = (uint32_t)c->cat->deps.len;
			for (i = 0; i < svcs->n; i++)
				load_service(c, svcs->u.kids[i]);
			s1 = (uint32_t)c->cat->svcs.len;
			d1 = (uint32_t)c->cat->deps.len;
		}
		apply_defaults(c, s0, s1, d0, d1);
	}
	return 0;
}
