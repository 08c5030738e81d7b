/*
 * load_native.c - depcheck's own catalog format (YAML or JSON, one schema;
 * DESIGN.md §2.1), and the attribute/dependency parsing the other loaders
 * reuse (Compose `x-depcheck`, DOT attributes, Backstage annotations).
 *
 * Unknown keys are warnings (with a "did you mean" when a known key is one
 * or two edits away: typos are the common case); wrong types and values out
 * of range are errors and the attribute keeps its default. A problem never
 * stops the rest of the file from loading.
 */
#include "catalog_int.h"

#include <math.h>
#include <stdio.h>

static const char *const service_keys[] = {
	"name", "owner", "system", "tier", "entrypoint", "replicas", "zones", "availability",
	"slo", "latency_ms", "tags", "depends_on", "description", "url", "external", NULL
};
static const char *const dep_keys[] = { "service", "kind", "timeout_ms", "retries", "stage", "any_of",
						"inferred_from", NULL };
static const char *const top_keys[] = { "depcheck", "defaults", "services", NULL };
static const char *const default_keys[] = {
	"availability", "slo", "latency_ms", "replicas", "tier", "timeout_ms", "retries", NULL
};

/* Edit distance with a cap, for "did you mean". */
static unsigned edit_distance(const char *a, const char *b)
{
	unsigned row[64], i, j, la = (unsigned)strlen(a), lb = (unsigned)strlen(b);
	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned prev = row[0], tmp;
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);
			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			prev = tmp;
			row[j] = best;
		}
	}
	return row[lb];
}

static const char *suggest(const char *key, const char *const *known)
{
	const char *best = NULL;
	unsigned bd = 3, d;
	for (; *known; known++) {
		size_t kl = strlen(*known);
		d = edit_distance(key, *known);
		/* `timeout: 300` for timeout_ms: compare with the unit-less stem too */
		if (kl > 3 && kl < 64 && !strcmp(*known + kl - 3, "_ms")) {
			char stem[64];
			unsigned ds;
			memcpy(stem, *known, kl - 3);
			stem[kl - 3] = '\0';
			ds = edit_distance(key, stem);
			if (ds < d)
				d = ds;
		}
		if (d < bd) {
			bd = d;
			best = *known;
		}
	}
	return best;
}

static void unknown_key(load_ctx *c, const doc_node *k, const char *where, const char *const *known)
{
	const char *s;
	if (k->kind != DOC_SCALAR) {
		ctx_diag(c, DC_SEV_WARNING, k, "a %s used as a key in %s is ignored", doc_type_name(k), where);
		return;
	}
	s = suggest(k->u.s, known);
	if (s)
		ctx_diag(c, DC_SEV_WARNING, k, "unknown key '%s' in %s (did you mean '%s'?)", k->u.s, where, s);
	else
		ctx_diag(c, DC_SEV_WARNING, k, "unknown key '%s' in %s", k->u.s, where);
}

/* ---- typed values ----------------------------------------------------------- */

static int get_uint(load_ctx *c, const doc_node *v, const char *what, const char *svc,
		    long long lo, long long hi, int lenient, uint32_t *out)
{
	long long x;
	int r = doc_int(v, lenient, &x);
	if (r == -2 || (r == 0 && (x < lo || x > hi))) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' is out of range: %s (expected %lld to %lld)",
			 what, svc, v->u.s, lo, hi);
		return -1;
	}
	if (r) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be an integer, not %s", what, svc,
			 doc_type_name(v));
		return -1;
	}
	*out = (uint32_t)x;
	return 0;
}

static int get_num(load_ctx *c, const doc_node *v, const char *what, const char *svc,
		   double lo, double hi, int lo_open, int lenient, double *out)
{
	double x;
	int r = doc_double(v, lenient, &x);
	if (r == -2 || (r == 0 && (isnan(x) || x < lo || x > hi || (lo_open && x == lo)))) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' is out of range: %s (expected %s%g to %g)",
			 what, svc, v->u.s, lo_open ? "more than " : "", lo, hi);
		return -1;
	}
	if (r) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be a number, not %s", what, svc,
			 doc_type_name(v));
		return -1;
	}
	*out = x;
	return 0;
}

static int get_bool(load_ctx *c, const doc_node *v, const char *what, const char *svc, int *out)
{
	if (doc_bool(v, out) == 0)
		return 0;
	if (c->format != DC_FORMAT_NATIVE && v && v->kind == DOC_SCALAR) {
		/* annotations and DOT attributes are strings */
		if (!strcmp(v->u.s, "true") || !strcmp(v->u.s, "yes")) {
			*out = 1;
			return 0;
		}
		if (!strcmp(v->u.s, "false") || !strcmp(v->u.s, "no")) {
			*out = 0;
			return 0;
		}
	}
	ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be true or false, not %s", what, svc,
		 doc_type_name(v));
	return -1;
}

static int get_string(load_ctx *c, const doc_node *v, const char *what, const char *svc, uint32_t *out)
{
	const char *s = doc_str(v);
	int b;
	/* doc_bool() is the "boolean" test of doc_type_name() without its
	 * number parsing, which showed up in profiles (one call per string) */
	if (!s || (v->kind == DOC_SCALAR && doc_bool(v, &b) == 0)) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be a string, not %s", what, svc, doc_type_name(v));
		return -1;
	}
	*out = cat_intern_n(c->cat, s, v->n);
	return *out ? 0 : DC_ENOMEM;
}

/* A list of strings: a sequence, or (lenient) a comma-separated scalar. */
static int get_list(load_ctx *c, const doc_node *v, const char *what, const char *svc, int lenient,
		    uint32_t *off, uint32_t *n)
{
	u32_vec ids = {0};
	int rc = 0;
	if (v && v->kind == DOC_SEQ) {
		uint32_t i;
		for (i = 0; i < v->n; i++) {
			const doc_node *it = v->u.kids[i];
			const char *s = doc_str(it);
			uint32_t id;
			if (!s || it->kind != DOC_SCALAR) {
				ctx_diag(c, DC_SEV_ERROR, it, "%s of '%s' must be a list of strings, found %s",
					 what, svc, doc_type_name(it));
				continue;
			}
			id = cat_intern_n(c->cat, s, it->n);
			if (!id || dc_vec_push(&ids, id)) {
				rc = ctx_fail(c, DC_ENOMEM);
				break;
			}
		}
	} else if (lenient && doc_str(v)) {
		const char *p = v->u.s, *a;
		size_t len;
		while (doc_next_item(&p, v->u.s + v->n, &a, &len)) {
			uint32_t id = cat_intern_n(c->cat, a, len);
			if (!id || dc_vec_push(&ids, id)) {
				rc = ctx_fail(c, DC_ENOMEM);
				break;
			}
		}
	} else {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of '%s' must be a list of strings, not %s", what, svc,
			 doc_type_name(v));
		dc_vec_free(&ids);
		return -1;
	}
	if (rc == 0)
		rc = cat_set_list(c->cat, off, n, ids.items, ids.len);
	dc_vec_free(&ids);
	return rc;
}

/* ---- attributes ------------------------------------------------------------- */

int native_set_attr(load_ctx *c, dc_id id, const char *key, const doc_node *key_node,
		    const doc_node *v, int lenient)
{
	svc_t *s = cat_svc(c->cat, id);
	const char *name = cat_str(c->cat, s->bs_name ? s->bs_name : s->ref);
	uint32_t u;
	double d;
	int b;
	(void)key_node;

	if (!strcmp(key, "owner")) {
		if (get_string(c, v, "owner", name, &u) == 0)
			cat_svc(c->cat, id)->owner = u;
	} else if (!strcmp(key, "system")) {
		if (get_string(c, v, "system", name, &u) == 0)
			cat_svc(c->cat, id)->system = u;
	} else if (!strcmp(key, "description")) {
		if (get_string(c, v, "description", name, &u) == 0)
			cat_svc(c->cat, id)->description = u;
	} else if (!strcmp(key, "url")) {
		if (get_string(c, v, "url", name, &u) == 0)
			cat_svc(c->cat, id)->url = u;
	} else if (!strcmp(key, "tier")) {
		if (get_uint(c, v, "tier", name, 1, 4, lenient, &u) == 0) {
			s->tier = (uint8_t)u;
			s->explicit_attrs |= SVC_EX_TIER;
		}
	} else if (!strcmp(key, "replicas")) {
		if (get_uint(c, v, "replicas", name, 0, 1000000, lenient, &u) == 0) {
			s->replicas = u;
			s->explicit_attrs |= SVC_EX_REPLICAS;
		}
	} else if (!strcmp(key, "availability")) {
		if (get_num(c, v, "availability", name, 0, 1, 1, lenient, &d) == 0) {
			s->availability = d;
			s->explicit_attrs |= SVC_EX_AVAIL;
		}
	} else if (!strcmp(key, "slo")) {
		if (get_num(c, v, "slo", name, 0, 1, 1, lenient, &d) == 0) {
			s->slo = d;
			s->explicit_attrs |= SVC_EX_SLO;
		}
	} else if (!strcmp(key, "latency_ms")) {
		if (get_num(c, v, "latency_ms", name, 0, 1e9, 0, lenient, &d) == 0) {
			s->latency_ms = d;
			s->explicit_attrs |= SVC_EX_LATENCY;
		}
	} else if (!strcmp(key, "entrypoint")) {
		if (get_bool(c, v, "entrypoint", name, &b) == 0) {
			s->flags |= SVC_ENTRY_EXPLICIT;
			if (b)
				s->flags |= SVC_ENTRY;
			else
				s->flags &= (uint8_t)~SVC_ENTRY;
		}
	} else if (!strcmp(key, "external")) {
		if (get_bool(c, v, "external", name, &b) == 0) {
			if (b)
				s->flags |= SVC_EXTERNAL | SVC_DECLARED_EXTERNAL;
			else
				s->flags &= (uint8_t)~(SVC_EXTERNAL | SVC_DECLARED_EXTERNAL);
		}
	} else if (!strcmp(key, "zones")) {
		uint32_t off, n;
		if (get_list(c, v, "zones", name, lenient, &off, &n) == 0) {
			s = cat_svc(c->cat, id);
			s->zones = off;
			s->nzones = n;
		}
	} else if (!strcmp(key, "tags")) {
		uint32_t off, n;
		if (get_list(c, v, "tags", name, lenient, &off, &n) == 0) {
			s = cat_svc(c->cat, id);
			s->tags = off;
			s->ntags = n;
		}
	} else {
		return 0;
	}
	return 1;
}

/* ---- dependencies ------------------------------------------------------------ */

typedef struct {
	uint8_t kind;
	uint8_t flags;          /* DEP_EX_*: timeout/retries written, not defaulted */
	uint32_t timeout_ms, retries, stage;
	uint32_t inferred_from; /* interned `inferred_from` (an exported inferred edge), 0 = none */
} dep_opts;

/* Read kind/timeout_ms/retries/stage from a dependency mapping. */
static void read_dep_opts(load_ctx *c, const doc_node *m, const char *svc, dep_opts *o,
			  int allow_any_of, int allow_service)
{
	uint32_t i;
	for (i = 0; i < m->n; i++) {
		const doc_node *k = m->u.kids[2 * i], *v = m->u.kids[2 * i + 1];
		const char *key = k->kind == DOC_SCALAR ? k->u.s : "";
		if (!strcmp(key, "kind")) {
			const char *s = doc_str(v);
			if (s && !strcmp(s, "hard"))
				o->kind = DC_DEP_HARD;
			else if (s && !strcmp(s, "soft"))
				o->kind = DC_DEP_SOFT;
			else
				ctx_diag(c, DC_SEV_ERROR, v, "kind of a dependency of '%s' must be 'hard' or "
					 "'soft', not '%s'", svc, s ? s : doc_type_name(v));
		} else if (!strcmp(key, "timeout_ms")) {
			if (get_uint(c, v, "timeout_ms", svc, 0, 86400000, 0, &o->timeout_ms) == 0)
				o->flags |= DEP_EX_TIMEOUT;
		} else if (!strcmp(key, "retries")) {
			if (get_uint(c, v, "retries", svc, 0, 100, 0, &o->retries) == 0)
				o->flags |= DEP_EX_RETRIES;
		} else if (!strcmp(key, "stage")) {
			get_uint(c, v, "stage", svc, 0, 1000000, 0, &o->stage);
		} else if (!strcmp(key, "inferred_from")) {
			/* written by export for edges a loader inferred: keep the mark
			 * and the origin, so an export loads back as it was */
			const char *s = doc_str(v);
			if (!s || v->kind != DOC_SCALAR || v->n == 0)
				ctx_diag(c, DC_SEV_ERROR, v, "inferred_from of a dependency of '%s' must be "
					 "a non-empty string, not %s", svc, doc_type_name(v));
			else
				o->inferred_from = cat_intern_n(c->cat, s, v->n);
		} else if ((allow_any_of && !strcmp(key, "any_of")) || (allow_service && !strcmp(key, "service"))) {
			/* handled by the caller */
		} else {
			unknown_key(c, k, "a dependency", dep_keys);
		}
	}
}

static int add_dep(load_ctx *c, dc_id s, const doc_node *target, const dep_opts *o,
		   uint32_t group, uint32_t origin)
{
	dep_t d;
	uint32_t t = cat_intern_n(c->cat, target->u.s, target->n);
	if (!t)
		return DC_ENOMEM;
	cat_dep_init(&d, s, t, ctx_loc(c, target));
	d.kind = o->kind;
	d.timeout_ms = o->timeout_ms;
	d.retries = o->retries;
	d.flags |= o->flags;
	d.stage = o->stage;
	d.group = group;
	d.origin = origin;
	if (o->inferred_from) {
		d.origin = o->inferred_from;
		d.flags |= DEP_INFERRED;
	}
	if (c->format == DC_FORMAT_BACKSTAGE) {
		d.reftype = REF_BS_ENTITY;
		d.ctx_ns = cat_svc(c->cat, s)->bs_ns;
	}
	return ctx_add_dep(c, &d);
}

static int valid_target(load_ctx *c, const doc_node *t, const char *svc)
{
	if (!t || t->kind != DOC_SCALAR || doc_is_null(t) || t->n == 0) {
		ctx_diag(c, DC_SEV_ERROR, t, "a dependency of '%s' must name a service, found %s", svc,
			 doc_type_name(t));
		return 0;
	}
	return 1;
}

void native_parse_deps(load_ctx *c, dc_id s, const doc_node *seq, const char *origin)
{
	const char *svc = cat_str(c->cat, cat_svc(c->cat, s)->bs_name ? cat_svc(c->cat, s)->bs_name
							      : cat_svc(c->cat, s)->ref);
	dep_opts base;
	uint32_t i, origin_id;
	base.kind = DC_DEP_HARD;
	base.flags = 0;
	base.timeout_ms = c->def_timeout_ms;
	base.retries = c->def_retries;
	base.stage = DC_DEFAULT_STAGE;
	base.inferred_from = 0;

	if (!seq || seq->kind != DOC_SEQ) {
		if (!doc_is_null(seq))
			ctx_diag(c, DC_SEV_ERROR, seq, "%s of '%s' must be a list, not %s", origin, svc,
				 doc_type_name(seq));
		return;
	}
	/* interned once per list, not once per dependency */
	if (!(origin_id = cat_intern(c->cat, origin)))
		return;
	for (i = 0; i < seq->n; i++) {
		const doc_node *e = seq->u.kids[i];
		if (e->kind == DOC_SCALAR) {
			if (valid_target(c, e, svc))
				add_dep(c, s, e, &base, 0, origin_id);
		} else if (e->kind == DOC_MAP) {
			const doc_node *target = doc_get(e, "service"), *any = doc_get(e, "any_of");
			dep_opts o = base;
			if (target && any) {
				ctx_diag(c, DC_SEV_ERROR, e, "a dependency of '%s' has both 'service' and "
					 "'any_of'; use one", svc);
				continue;
			}
			read_dep_opts(c, e, svc, &o, 1, 1);
			if (target) {
				if (valid_target(c, target, svc))
					add_dep(c, s, target, &o, 0, origin_id);
			} else if (any) {
				uint32_t g, j;
				if (any->kind != DOC_SEQ || any->n == 0) {
					ctx_diag(c, DC_SEV_ERROR, any, "any_of of '%s' must be a non-empty "
						 "list of services", svc);
					continue;
				}
				if (any->n == 1)
					ctx_diag(c, DC_SEV_WARNING, any, "any_of of '%s' has a single member: "
						 "it is an ordinary dependency", svc);
				g = cat_new_group(c->cat);
				for (j = 0; j < any->n; j++) {
					const doc_node *m = any->u.kids[j];
					if (m->kind == DOC_MAP) {
						dep_opts mo = o;
						const doc_node *mt = doc_get(m, "service");
						read_dep_opts(c, m, svc, &mo, 0, 1);
						if (valid_target(c, mt, svc))
							add_dep(c, s, mt, &mo, g, origin_id);
					} else if (valid_target(c, m, svc)) {
						add_dep(c, s, m, &o, g, origin_id);
					}
				}
			} else {
				ctx_diag(c, DC_SEV_ERROR, e, "a dependency of '%s' needs 'service' or "
					 "'any_of'", svc);
			}
		} else {
			ctx_diag(c, DC_SEV_ERROR, e, "a dependency of '%s' must be a name or a mapping, "
				 "not a %s", svc, doc_type_name(e));
		}
	}
}

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
			if (get_num(c, v, "availability", "defaults", 0, 1, 1, 0, &d) == 0)
				c->def_availability = d;
		} else if (!strcmp(key, "slo")) {
			if (get_num(c, v, "slo", "defaults", 0, 1, 1, 0, &d) == 0)
				c->def_slo = d;
		} else if (!strcmp(key, "latency_ms")) {
			if (get_num(c, v, "latency_ms", "defaults", 0, 1e9, 0, 0, &d) == 0)
				c->def_latency_ms = d;
		} else if (!strcmp(key, "replicas")) {
			if (get_uint(c, v, "replicas", "defaults", 0, 1000000, 0, &u) == 0)
				c->def_replicas = u;
		} else if (!strcmp(key, "tier")) {
			if (get_uint(c, v, "tier", "defaults", 1, 4, 0, &u) == 0)
				c->def_tier = (uint8_t)u;
		} else if (!strcmp(key, "timeout_ms")) {
			get_uint(c, v, "timeout_ms", "defaults", 0, 86400000, 0, &c->def_timeout_ms);
		} else if (!strcmp(key, "retries")) {
			get_uint(c, v, "retries", "defaults", 0, 100, 0, &c->def_retries);
		} else {
			unknown_key(c, k, "defaults", default_keys);
		}
	}
}

int ctx_fail(load_ctx *c, int status)
{
	if (!c->status)
		c->status = status;
	return c->status;
}

/* A name longer than the limit: reported once, with its first bytes. */
static int name_too_long(load_ctx *c, dc_loc_int loc, const char *what, uint32_t id)
{
	uint32_t len = dc_strtab_len(&c->cat->strs, id);
	cat_diag(c->cat, c->diags, DC_SEV_ERROR, loc,
		 "%s '%.40s%s' is %u bytes long (limit %zu; see --input-limit name-length)", what,
		 cat_str(c->cat, id), len > 40 ? "..." : "", (unsigned)len, c->max_name);
	return ctx_fail(c, DC_ELIMIT);
}

/* Create a service with the file's defaults applied. */
int ctx_new_service(load_ctx *c, uint32_t ref, const doc_node *at, dc_id *out)
{
	int rc;
	svc_t *s;
	if (c->status)
		return c->status;
	if (dc_strtab_len(&c->cat->strs, ref) > c->max_name)
		return name_too_long(c, ctx_loc(c, at), "service name", ref);
	if (c->cat->svcs.len >= c->max_services) {
		cat_diag(c->cat, c->diags, DC_SEV_ERROR, ctx_loc(c, at),
			 "more than %zu services: the catalog is over the limit (see --input-limit services); "
			 "'%s' and everything after it is not loaded", c->max_services,
			 cat_str(c->cat, ref));
		return ctx_fail(c, DC_ELIMIT);
	}
	rc = cat_add_service(c->cat, ref, ctx_loc(c, at), c->format, c->diags, out);
	if (rc < 0)
		return ctx_fail(c, rc);
	if (rc)
		return rc;
	s = cat_svc(c->cat, *out);
	s->availability = c->def_availability;
	s->latency_ms = c->def_latency_ms;
	s->slo = c->def_slo;
	s->replicas = c->def_replicas;
	s->tier = c->def_tier;
	return 0;
}

int ctx_add_dep(load_ctx *c, const dep_t *d)
{
	if (c->status)
		return c->status;
	if (dc_strtab_len(&c->cat->strs, d->target) > c->max_name)
		return name_too_long(c, d->loc, "dependency target", d->target);
	if (c->cat->deps.len >= c->max_deps) {
		cat_diag(c->cat, c->diags, DC_SEV_ERROR, d->loc,
			 "more than %zu dependencies: the catalog is over the limit (see --input-limit "
			 "dependencies); this one and everything after it is not loaded", c->max_deps);
		return ctx_fail(c, DC_ELIMIT);
	}
	if (cat_add_dep(c->cat, d))
		return ctx_fail(c, DC_ENOMEM);
	return 0;
}

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
		if (!native_set_attr(c, id, key, k, v, 0)) {
			char where[300];
			snprintf(where, sizeof(where), "service '%s'", nm);
			unknown_key(c, k, where, service_keys);
		}
	}
	if (deps)
		native_parse_deps(c, id, deps, "depends_on");
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

static int hook_begin(void *ud, size_t doc_index)
{
	load_ctx *c = ud;
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
						      strcmp(k->u.s, "services") && strncmp(k->u.s, "x-", 2)))
				unknown_key(c, k, "the catalog", top_keys);
		}
		ctx_defaults(c);
		if (doc_get(root, "defaults"))
			read_defaults(c, doc_get(root, "defaults"));
		svcs = doc_get(root, "services");
		if (!svcs || doc_is_null(svcs)) {
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
