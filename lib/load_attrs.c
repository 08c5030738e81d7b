/*
 * load_attrs.c - the attributes and dependency lists shared by every input
 * format (load_attrs.h): the native keys, however a format spells them
 * (native YAML/JSON, Compose `x-depcheck`, Backstage and Kubernetes
 * annotations, DOT attributes), so that a value means the same and is
 * checked the same everywhere.
 *
 * Wrong types and values out of range are errors and the attribute keeps
 * its default; unknown keys are warnings (with a "did you mean" when a known
 * key is one or two edits away: typos are the common case). A problem never
 * stops the rest of the file from loading.
 */
#include "load_attrs.h"

#include <math.h>
#include <stdio.h>

static const char *const dep_keys[] = { "service", "kind", "timeout_ms", "retries", "stage", "any_of",
						"inferred_from", "per_try_timeout_ms", "retry_on", "retry_budget",
						"max_connections", "max_pending", "max_requests",
						"eject_after_errors", "ejection_ms", "weight", "failover", "max_retries",
						"calls", "startup", "observed", "observed_calls", "calls_per_s",
						"error_ratio", "p50_ms", "p99_ms", NULL };

static const char *suggest(const char *key, const char *const *known)
{
	const char *best = NULL;
	unsigned bd = 3, d;
	for (; *known; known++) {
		size_t kl = strlen(*known);
		d = dc_edit_distance(key, *known, 2);
		/* `timeout: 300` for timeout_ms: compare with the unit-less stem too */
		if (kl > 3 && kl < 64 && !strcmp(*known + kl - 3, "_ms")) {
			char stem[64];
			unsigned ds;
			memcpy(stem, *known, kl - 3);
			stem[kl - 3] = '\0';
			ds = dc_edit_distance(key, stem, 2);
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

void attr_unknown_key(load_ctx *c, const doc_node *k, const char *where, const char *const *known)
{
	const char *s;
	if (k->kind != DOC_SCALAR) {
		ctx_diag(c, DC_SEV_WARNING, k, "a %s used as a key in %s is ignored", doc_type_name(k), where);
		return;
	}
	/* x-* keys are extension fields, ignored at every level as Compose
	 * does: export --provenance writes x-sources, which loads back silently */
	if (!strncmp(k->u.s, "x-", 2))
		return;
	s = suggest(k->u.s, known);
	if (s)
		ctx_diag(c, DC_SEV_WARNING, k, "unknown key '%s' in %s (did you mean '%s'?)", k->u.s, where, s);
	else
		ctx_diag(c, DC_SEV_WARNING, k, "unknown key '%s' in %s", k->u.s, where);
}

/* ---- typed values ----------------------------------------------------------- */

int attr_get_uint(load_ctx *c, const doc_node *v, const char *what, const char *svc,
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

int attr_get_num(load_ctx *c, const doc_node *v, const char *what, const char *svc,
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

int attr_set(load_ctx *c, dc_id id, const char *key, const doc_node *v, int lenient)
{
	svc_t *s = cat_svc(c->cat, id);
	const char *name = cat_str(c->cat, s->bs_name ? s->bs_name : s->ref);
	uint32_t u;
	double d;
	int b;

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
		if (attr_get_uint(c, v, "tier", name, 1, 4, lenient, &u) == 0) {
			s->tier = (uint8_t)u;
			s->explicit_attrs |= SVC_EX_TIER;
		}
	} else if (!strcmp(key, "replicas")) {
		if (attr_get_uint(c, v, "replicas", name, 0, 1000000, lenient, &u) == 0) {
			s->replicas = u;
			s->explicit_attrs |= SVC_EX_REPLICAS;
		}
	} else if (!strcmp(key, "availability")) {
		if (attr_get_num(c, v, "availability", name, 0, 1, 1, lenient, &d) == 0) {
			s->availability = d;
			s->explicit_attrs |= SVC_EX_AVAIL;
		}
	} else if (!strcmp(key, "slo")) {
		if (attr_get_num(c, v, "slo", name, 0, 1, 1, lenient, &d) == 0) {
			s->slo = d;
			s->explicit_attrs |= SVC_EX_SLO;
		}
	} else if (!strcmp(key, "latency_ms")) {
		if (attr_get_num(c, v, "latency_ms", name, 0, 1e9, 0, lenient, &d) == 0) {
			s->latency_ms = d;
			s->explicit_attrs |= SVC_EX_LATENCY;
		}
	} else if (!strcmp(key, "traffic_rps")) {
		if (attr_get_num(c, v, "traffic_rps", name, 0, 1e9, 0, lenient, &d) == 0) {
			s->traffic_rps = d;
			s->explicit_attrs |= SVC_EX_TRAFFIC;
		}
	} else if (!strcmp(key, "capacity_rps")) {
		if (attr_get_num(c, v, "capacity_rps", name, 0, 1e9, 1, lenient, &d) == 0) {
			s->capacity_rps = d;
			s->explicit_attrs |= SVC_EX_CAPACITY;
		}
	} else if (!strcmp(key, "max_concurrency")) {
		if (attr_get_uint(c, v, "max_concurrency", name, 1, 1000000000, lenient, &u) == 0) {
			s->max_concurrency = u;
			s->explicit_attrs |= SVC_EX_CONCURRENCY;
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
	uint8_t flags;          /* DEP_EX_*: timeout/retries written, not defaulted; DEP_STARTUP */
	uint8_t startup_set;    /* `startup` written */
	uint32_t timeout_ms, retries, stage;
	uint32_t inferred_from; /* interned `inferred_from` (an exported inferred edge), 0 = none */
	dep_res_t res;          /* resilience settings written (dc_dep_setting), set = 0: none */
	dep_obs_t obs;          /* observed traffic written (an export with --observed) */
	double err_ratio;       /* error_ratio written, -1 = not */
	uint8_t has_obs;
} dep_opts;

/* The observed traffic of an exported edge (export -f json after
 * --observed): `observed: true` (no input declared it), observed_calls,
 * calls_per_s, error_ratio, p50_ms, p99_ms. 1 when `key` is one. */
static int read_observed(load_ctx *c, const doc_node *v, const char *key, const char *svc, dep_opts *o)
{
	double f;
	if (!strcmp(key, "observed")) {
		int b;
		if (get_bool(c, v, "observed of a dependency", svc, &b) == 0) {
			o->obs.only = (uint8_t)b;
			o->has_obs = 1;
		}
		return 1;
	}
	if (!strcmp(key, "observed_calls")) {
		if (attr_get_num(c, v, key, svc, 0, 1e18, 0, 0, &f) == 0) {
			o->obs.calls = (uint64_t)f;
			o->has_obs = 1;
		}
		return 1;
	}
	if (!strcmp(key, "error_ratio")) {
		if (attr_get_num(c, v, key, svc, 0, 1, 0, 0, &f) == 0) {
			o->err_ratio = f;
			o->has_obs = 1;
		}
		return 1;
	}
	if (!strcmp(key, "calls_per_s") || !strcmp(key, "p50_ms") || !strcmp(key, "p99_ms")) {
		if (attr_get_num(c, v, key, svc, 0, 1e12, 0, 0, &f) == 0) {
			if (key[0] == 'c')
				o->obs.rate = f;
			else if (key[1] == '5')
				o->obs.p50 = f;
			else
				o->obs.p99 = f;
			o->has_obs |= 1;
		}
		return 1;
	}
	return 0;
}

/* A resilience setting of a dependency (a native key of dc_dep_setting
 * beyond timeout_ms and retries): 1 when `key` is one (read or reported). */
static int read_setting(load_ctx *c, const doc_node *v, const char *key, const char *svc, dep_res_t *r)
{
	unsigned k;
	uint32_t x = 0;
	int ok = -1;
	for (k = DC_DEP_PER_TRY_TIMEOUT; k < DC_DEP_SETTING_COUNT; k++)
		if (!strcmp(key, dc_dep_setting_name((dc_dep_setting)k)))
			break;
	if (k >= DC_DEP_SETTING_COUNT)
		return 0;
	switch (k) {
	case DC_DEP_RETRY_ON:
	case DC_DEP_FAILOVER: {
		const char *s = doc_str(v);
		if (!s || v->kind != DOC_SCALAR || v->n == 0)
			ctx_diag(c, DC_SEV_ERROR, v, "%s of a dependency of '%s' must be a non-empty string, "
				 "not %s", key, svc, doc_type_name(v));
		else if ((x = cat_intern_n(c->cat, s, v->n)) != 0)
			ok = 0;
		break;
	}
	case DC_DEP_RETRY_BUDGET: {
		double f;
		if ((ok = attr_get_num(c, v, key, svc, 0, 10, 0, 0, &f)) == 0)
			x = (uint32_t)(f * 1000 + 0.5);
		break;
	}
	case DC_DEP_CALLS: {
		/* calls per request of the caller, in thousandths like the budget */
		double f;
		if ((ok = attr_get_num(c, v, key, svc, 0, 1000000, 0, 0, &f)) == 0)
			x = (uint32_t)(f * 1000 + 0.5);
		break;
	}
	case DC_DEP_WEIGHT:
		ok = attr_get_uint(c, v, key, svc, 0, 100, 0, &x);
		break;
	case DC_DEP_EJECT_AFTER:
		ok = attr_get_uint(c, v, key, svc, 1, 1000000, 0, &x);
		break;
	case DC_DEP_PER_TRY_TIMEOUT:
	case DC_DEP_EJECTION_MS:
		ok = attr_get_uint(c, v, key, svc, 0, 86400000, 0, &x);
		break;
	default: /* pool sizes */
		ok = attr_get_uint(c, v, key, svc, 0, 1000000000, 0, &x);
		break;
	}
	if (ok == 0) {
		r->val[k] = x;
		r->loc[k] = ctx_loc(c, v);
		r->set |= (uint16_t)(1u << k);
	}
	return 1;
}

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
			if (attr_get_uint(c, v, "timeout_ms", svc, 0, 86400000, 0, &o->timeout_ms) == 0)
				o->flags |= DEP_EX_TIMEOUT;
		} else if (!strcmp(key, "retries")) {
			if (attr_get_uint(c, v, "retries", svc, 0, 100, 0, &o->retries) == 0)
				o->flags |= DEP_EX_RETRIES;
		} else if (!strcmp(key, "stage")) {
			attr_get_uint(c, v, "stage", svc, 0, 1000000, 0, &o->stage);
		} else if (!strcmp(key, "startup")) {
			/* needed at startup only: orders a cold start, carries no
			 * runtime failure (docs/model.md, "Startup dependencies") */
			int b;
			if (get_bool(c, v, "startup of a dependency", svc, &b) == 0) {
				o->flags &= (uint8_t)~DEP_STARTUP;
				o->flags |= b ? DEP_STARTUP : 0;
				o->startup_set = 1;
			}
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
		} else if (read_setting(c, v, key, svc, &o->res)) {
			/* a resilience setting */
		} else if (read_observed(c, v, key, svc, o)) {
			/* observed traffic, as export writes it */
		} else {
			attr_unknown_key(c, k, "a dependency", dep_keys);
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
	d.startup_set = o->startup_set;
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
	if (o->res.set) {
		dep_res_t *r = cat_dep_res_mut(c->cat, &d);
		if (!r)
			return ctx_fail(c, DC_ENOMEM);
		*r = o->res;
	}
	if (o->has_obs) {
		dep_obs_t ob = o->obs;
		ob.loc = d.loc;
		if (o->err_ratio >= 0 && ob.calls) {
			ob.has_errors = 1;
			ob.errors = (uint64_t)(o->err_ratio * (double)ob.calls + 0.5);
		}
		if (ob.only && !(d.origin = cat_intern(c->cat, "observed")))
			return ctx_fail(c, DC_ENOMEM);
		if (dc_vec_push(&c->cat->dep_obs, ob)) {
			c->cat->oom = 1;
			return ctx_fail(c, DC_ENOMEM);
		}
		d.obs = (uint32_t)c->cat->dep_obs.len;
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

/* The targets of a dependency list are looked up in the string table one
 * after the other, each a wait on memory in a big catalog (a million
 * services: a 32 MB table): their slots and texts are fetched together
 * first (the list's first PREFETCH_MAX plain names and `service:` values). */
#define PREFETCH_MAX 32
static void prefetch_targets(load_ctx *c, const doc_node *seq)
{
	const dc_strtab *t = &c->cat->strs;
	uint32_t h[PREFETCH_MAX], i, n = 0;
	if (t->nslots < 65536)
		return; /* a small table stays in the cache */
	for (i = 0; i < seq->n && n < PREFETCH_MAX; i++) {
		const doc_node *e = seq->u.kids[i];
		if (e->kind == DOC_MAP)
			e = doc_get(e, "service");
		if (e && e->kind == DOC_SCALAR) {
			h[n] = dc_hash(e->u.s, e->n);
			dc_strtab_prefetch(t, h[n++]);
		}
	}
	for (i = 0; i < n; i++)
		dc_strtab_prefetch_text(t, h[i]);
}

void attr_parse_deps(load_ctx *c, dc_id s, const doc_node *seq, const char *origin)
{
	const char *svc = cat_str(c->cat, cat_svc(c->cat, s)->bs_name ? cat_svc(c->cat, s)->bs_name
							      : cat_svc(c->cat, s)->ref);
	dep_opts base;
	uint32_t i, origin_id;
	base.kind = DC_DEP_HARD;
	base.flags = 0;
	base.startup_set = 0;
	base.timeout_ms = c->def_timeout_ms;
	base.retries = c->def_retries;
	base.stage = DC_DEFAULT_STAGE;
	base.inferred_from = 0;
	memset(&base.res, 0, sizeof(base.res));
	memset(&base.obs, 0, sizeof(base.obs));
	base.obs.rate = base.obs.p50 = base.obs.p99 = -1;
	base.has_obs = 0;
	base.err_ratio = -1;

	if (!seq || seq->kind != DOC_SEQ) {
		if (!doc_is_null(seq))
			ctx_diag(c, DC_SEV_ERROR, seq, "%s of '%s' must be a list, not %s", origin, svc,
				 doc_type_name(seq));
		return;
	}
	/* interned once per list, not once per dependency */
	if (!(origin_id = cat_intern(c->cat, origin)))
		return;
	prefetch_targets(c, seq);
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

/* ---- protobuf JSON durations (Envoy, gRPC) ------------------------------------ */

int attr_pb_duration_ms(load_ctx *c, const doc_node *v, const char *field, const char *what, uint32_t *out)
{
	const char *s = doc_str(v), *p;
	unsigned long long secs = 0, frac = 0, scale = 1;
	unsigned digits = 0, fdigits = 0;
	char shown[64];
	double ms;
	if (!s || v->kind != DOC_SCALAR) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of %s must be a duration string like \"0.250s\" or \"15s\", not %s",
			 field, what, doc_type_name(v));
		return -1;
	}
	dc_text_escape(shown, sizeof(shown), s);
	if (*s == '-') {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of %s is negative: '%s'", field, what, shown);
		return -1;
	}
	for (p = s; *p >= '0' && *p <= '9'; p++, digits++)
		if (secs < 100000000ULL)
			secs = secs * 10 + (unsigned)(*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++)
			if (fdigits < 9) {
				frac = frac * 10 + (unsigned)(*p - '0');
				scale *= 10;
			}
	if (!digits || (p[-1] == '.' && !fdigits) || fdigits > 9 || strcmp(p, "s")) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of %s is not a duration: '%s' (write seconds with an 's', "
			 "up to 9 decimals: \"0.250s\", \"15s\")", field, what, shown);
		return -1;
	}
	ms = (double)secs * 1000.0 + (double)frac * 1000.0 / (double)scale;
	if (ms > 86400000.0) {
		ctx_diag(c, DC_SEV_ERROR, v, "%s of %s is out of range: '%s' (at most a day)", field, what, shown);
		return -1;
	}
	*out = (uint32_t)ceil(ms - 1e-9);
	return 0;
}

/* ---- edge policies (Envoy, gRPC) ------------------------------------------------- */

void attr_pol_set(load_ctx *c, edge_pol_t *p, unsigned k, uint32_t val, const doc_node *at)
{
	if (k == DC_DEP_TIMEOUT)
		p->timeout_ms = val;
	else if (k == DC_DEP_RETRIES)
		p->retries = val;
	else
		p->r.val[k] = val;
	p->r.loc[k] = ctx_loc(c, at);
	p->r.set |= (uint16_t)(1u << k);
}

void attr_pol_per_try_default(edge_pol_t *p)
{
	if ((p->r.set & (1u << DC_DEP_TIMEOUT)) && !(p->r.set & (1u << DC_DEP_PER_TRY_TIMEOUT))) {
		p->r.val[DC_DEP_PER_TRY_TIMEOUT] = p->timeout_ms;
		p->r.loc[DC_DEP_PER_TRY_TIMEOUT] = p->r.loc[DC_DEP_TIMEOUT];
		p->r.set |= (uint16_t)(1u << DC_DEP_PER_TRY_TIMEOUT);
	}
}
