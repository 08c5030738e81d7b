/*
 * load_slo.c - SLO specifications and measured availability
 * (docs/inputs.md, "SLO specifications and measured availability").
 *
 * Reads, in one loader (format "slo"):
 *   - OpenSLO (`apiVersion: openslo/v1...`, `kind: SLO`): `spec.service`,
 *     `spec.objectives[].target` (a fraction) or `.targetPercent`;
 *   - Sloth (`version: prometheus/v1`): `service`, `slos[].objective` (a
 *     percentage);
 *   - Pyrra (`apiVersion: pyrra.dev/...`, `kind: ServiceLevelObjective`):
 *     `spec.target` (a percentage, usually a string); the service is the
 *     `app.kubernetes.io/name` label, else `metadata.name`;
 *   - a Prometheus HTTP API answer (`status`, `data.resultType: vector`) for
 *     Sloth's `slo:sli_error:ratio_rate30d`: each sample's `sloth_service`
 *     label names the service, its value is the error ratio, and
 *     1 - ratio becomes a *measured* availability;
 *   - a CSV of measured availabilities, `service,availability` per line
 *     under that header line (which is how it is recognised), the value a
 *     fraction from 0 to 1 (an export of a dashboard or an SLO tool).
 *
 * The idea: none of these defines a service. Each entry refines a service
 * that another input defines, like an overlay entry, with its own
 * precedence (PREC_SLO: above native/DOT, below an overlay); an entry for a
 * service no other input defines is a warning at its position and is
 * dropped (catalog_merge.c). Several objectives for one service in one file
 * keep the strictest (highest) target; several measured ratios the worst
 * (lowest) availability.
 *
 * Limits: only these keys are read; windows, indicators, budgets and alerting
 * are ignored. A Prometheus sample without `sloth_service`, or a NaN ratio
 * (no traffic), is a warning and skipped. The CSV has no quoting beyond a
 * pair of double quotes around a whole field (names hold no commas); blank
 * lines and `#` lines are skipped.
 */
#include "load_attrs.h"

#include <math.h>

typedef struct {
	load_ctx *c;
	u32_vec by_ref;   /* ref id -> entry id + 1 in this file */
	int rc;
} slo_ld;

static int prefix(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

int slo_detect(const doc_node *root)
{
	const char *api = doc_str(doc_get(root, "apiVersion"));
	const char *kind = doc_str(doc_get(root, "kind"));
	const doc_node *data = doc_get(root, "data");
	if (prefix(api, "openslo/"))
		return DETECT_VENDOR;
	if (prefix(api, "pyrra.dev/") && kind && !strcmp(kind, "ServiceLevelObjective"))
		return DETECT_VENDOR;
	if (doc_scalar_is(doc_get(root, "version"), "prometheus/v1") && doc_get(root, "slos"))
		return DETECT_VENDOR;
	if (doc_str(doc_get(root, "status")) && data && data->kind == DOC_MAP && doc_get(data, "resultType"))
		return DETECT_VENDOR;
	return DETECT_NO;
}

/* The refining entry of this file for service `name` (created on first use). */
static svc_t *entry(slo_ld *L, const doc_node *name_node, const char *what)
{
	load_ctx *c = L->c;
	const char *name = doc_str(name_node);
	uint32_t ref;
	dc_id id;
	size_t at = 0;
	if (!name || !*name) {
		ctx_diag(c, DC_SEV_ERROR, name_node, "%s must name a service (a string), not %s", what,
			 doc_type_name(name_node));
		return NULL;
	}
	if (dc_text_check(name, 0, &at)) {
		ctx_diag(c, DC_SEV_ERROR, name_node, "%s contains a character not allowed in names "
			 "(byte %zu; see docs/security.md); the entry is ignored", what, at + 1);
		return NULL;
	}
	ref = cat_intern(c->cat, name);
	if (!ref) {
		L->rc = ctx_fail(c, DC_ENOMEM);
		return NULL;
	}
	if (ref < L->by_ref.len && L->by_ref.items[ref])
		return cat_svc(c->cat, L->by_ref.items[ref] - 1);
	if (L->by_ref.len <= ref) {
		size_t n = (size_t)ref + 1;
		if (dc_vec_reserve(&L->by_ref, n - L->by_ref.len)) {
			L->rc = ctx_fail(c, DC_ENOMEM);
			return NULL;
		}
		memset(L->by_ref.items + L->by_ref.len, 0, (n - L->by_ref.len) * sizeof(uint32_t));
		L->by_ref.len = n;
	}
	c->overlay = 1;
	L->rc = ctx_new_service(c, ref, name_node, &id);
	c->overlay = 0;
	if (L->rc)
		return NULL;
	L->by_ref.items[ref] = id + 1;
	{
		svc_t *s = cat_svc(c->cat, id);
		s->format = DC_FORMAT_SLO;
		s->flags |= SVC_SLO;
		s->slo = 0;
		s->availability = 1;
		return s;
	}
}

/* An objective: the strictest target of the file wins. */
static void set_slo(slo_ld *L, const doc_node *name_node, const char *what, double target, const doc_node *at)
{
	svc_t *s = entry(L, name_node, what);
	if (!s)
		return;
	if (!(s->explicit_attrs & SVC_EX_SLO) || target > s->slo) {
		s->slo = target;
		s->explicit_attrs |= SVC_EX_SLO;
		s->loc = ctx_loc(L->c, at);
	}
}

/* A target: `pct` a percentage (Sloth, Pyrra, OpenSLO targetPercent), else a fraction. */
static int get_target(slo_ld *L, const doc_node *v, const char *what, const char *svc, int pct, double *out)
{
	double x;
	if (attr_get_num(L->c, v, what, svc, 0, pct ? 100 : 1, 1, 1, &x))
		return -1;
	if (pct)
		x /= 100;
	if (x >= 1) {
		ctx_diag(L->c, DC_SEV_ERROR, v, "%s of '%s' is 100%%: an objective of no failure at all "
			 "cannot be met; write the target below %s", what, svc, pct ? "100" : "1");
		return -1;
	}
	*out = x;
	return 0;
}

static void load_openslo(slo_ld *L, const doc_node *root)
{
	load_ctx *c = L->c;
	const doc_node *spec = doc_get(root, "spec"), *svc, *objs;
	const char *name;
	size_t i;
	int any = 0;
	if (!doc_scalar_is(doc_get(root, "kind"), "SLO"))
		return; /* Service, SLI, AlertPolicy ...: nothing to read */
	if (!spec || spec->kind != DOC_MAP) {
		ctx_diag(c, DC_SEV_ERROR, root, "OpenSLO SLO has no spec mapping; it is ignored");
		return;
	}
	svc = doc_get(spec, "service");
	if (!svc) {
		ctx_diag(c, DC_SEV_ERROR, spec, "OpenSLO SLO has no spec.service; it is ignored");
		return;
	}
	name = doc_str(svc) ? doc_str(svc) : "?";
	objs = doc_get(spec, "objectives");
	if (!objs || objs->kind != DOC_SEQ) {
		ctx_diag(c, DC_SEV_ERROR, objs ? objs : spec, "objectives of the SLO of '%s' must be a list", name);
		return;
	}
	for (i = 0; i < objs->n && !L->rc; i++) {
		const doc_node *o = objs->u.kids[i], *t;
		double x;
		int pct = 0;
		if (!o || o->kind != DOC_MAP)
			continue;
		t = doc_get(o, "target");
		if (!t) {
			t = doc_get(o, "targetPercent");
			pct = 1;
		}
		if (!t)
			continue; /* a latency threshold without a target */
		if (get_target(L, t, pct ? "targetPercent" : "target", name, pct, &x) == 0) {
			set_slo(L, svc, "spec.service", x, t);
			any = 1;
		}
	}
	if (!any && !L->rc && objs->n == 0)
		ctx_diag(c, DC_SEV_WARNING, objs, "the SLO of '%s' has no objective", name);
}

static void load_sloth(slo_ld *L, const doc_node *root)
{
	const doc_node *svc = doc_get(root, "service"), *slos = doc_get(root, "slos");
	const char *name;
	size_t i;
	if (!svc) {
		ctx_diag(L->c, DC_SEV_ERROR, root, "Sloth spec has no service; it is ignored");
		return;
	}
	name = doc_str(svc) ? doc_str(svc) : "?";
	if (!slos || slos->kind != DOC_SEQ) {
		ctx_diag(L->c, DC_SEV_ERROR, slos ? slos : root, "slos of '%s' must be a list", name);
		return;
	}
	for (i = 0; i < slos->n && !L->rc; i++) {
		const doc_node *o = slos->u.kids[i], *t = o && o->kind == DOC_MAP ? doc_get(o, "objective") : NULL;
		double x;
		if (!t) {
			ctx_diag(L->c, DC_SEV_ERROR, o, "an SLO of '%s' has no objective; it is ignored", name);
			continue;
		}
		if (get_target(L, t, "objective", name, 1, &x) == 0)
			set_slo(L, svc, "service", x, t);
	}
}

static void load_pyrra(slo_ld *L, const doc_node *root)
{
	const doc_node *meta = doc_get(root, "metadata"), *spec = doc_get(root, "spec");
	const doc_node *svc = doc_get(doc_get(meta, "labels"), "app.kubernetes.io/name"), *t;
	double x;
	if (!svc)
		svc = doc_get(meta, "name");
	if (!svc) {
		ctx_diag(L->c, DC_SEV_ERROR, meta ? meta : root, "Pyrra ServiceLevelObjective has no "
			 "metadata.name (nor an app.kubernetes.io/name label); it is ignored");
		return;
	}
	t = doc_get(spec, "target");
	if (!t) {
		ctx_diag(L->c, DC_SEV_ERROR, spec ? spec : root, "Pyrra ServiceLevelObjective '%s' has no "
			 "spec.target; it is ignored", doc_str(svc) ? doc_str(svc) : "?");
		return;
	}
	if (get_target(L, t, "target", doc_str(svc) ? doc_str(svc) : "?", 1, &x) == 0)
		set_slo(L, svc, "the service label", x, t);
}

/* A Prometheus HTTP API answer: error ratios by sloth_service. */
static void load_prom(slo_ld *L, const doc_node *root)
{
	load_ctx *c = L->c;
	const doc_node *data = doc_get(root, "data"), *res;
	size_t i;
	if (!doc_scalar_is(doc_get(root, "status"), "success")) {
		ctx_diag(c, DC_SEV_ERROR, doc_get(root, "status"), "the Prometheus answer is not a success "
			 "(status '%s'); nothing is read", doc_str(doc_get(root, "status")) ? doc_str(doc_get(root, "status")) : "?");
		return;
	}
	if (!doc_scalar_is(doc_get(data, "resultType"), "vector")) {
		ctx_diag(c, DC_SEV_ERROR, doc_get(data, "resultType"), "the Prometheus answer must be an "
			 "instant vector (resultType: vector); nothing is read");
		return;
	}
	res = doc_get(data, "result");
	if (!res || res->kind != DOC_SEQ) {
		ctx_diag(c, DC_SEV_ERROR, res ? res : data, "data.result of the Prometheus answer must be a list");
		return;
	}
	for (i = 0; i < res->n && !L->rc; i++) {
		const doc_node *r = res->u.kids[i], *m, *svc, *v, *x;
		const char *metric;
		double ratio;
		svc_t *s;
		if (!r || r->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, r, "a result of the Prometheus answer must be an object, not %s",
				 doc_type_name(r));
			continue;
		}
		m = doc_get(r, "metric");
		metric = doc_str(doc_get(m, "__name__"));
		if (metric && strcmp(metric, "slo:sli_error:ratio_rate30d")) {
			ctx_diag(c, DC_SEV_WARNING, doc_get(m, "__name__"), "metric '%s' is not "
				 "slo:sli_error:ratio_rate30d; the sample is skipped", metric);
			continue;
		}
		svc = doc_get(m, "sloth_service");
		if (!svc) {
			ctx_diag(c, DC_SEV_WARNING, m ? m : r, "a sample has no sloth_service label; it is skipped");
			continue;
		}
		v = doc_get(r, "value");
		x = v && v->kind == DOC_SEQ && v->n == 2 ? v->u.kids[1] : NULL;
		if (!x || x->kind != DOC_SCALAR) {
			ctx_diag(c, DC_SEV_ERROR, v ? v : r, "value of a sample must be [time, \"ratio\"]");
			continue;
		}
		if (!strcmp(x->u.s, "NaN")) {
			ctx_diag(c, DC_SEV_WARNING, x, "the error ratio of '%s' is NaN (no traffic in the "
				 "window); it is skipped", doc_str(svc) ? doc_str(svc) : "?");
			continue;
		}
		if (attr_get_num(c, x, "error ratio", doc_str(svc) ? doc_str(svc) : "?", 0, 1, 0, 1, &ratio))
			continue;
		s = entry(L, svc, "label sloth_service");
		if (!s)
			continue;
		if (!(s->explicit_attrs & SVC_EX_AVAIL) || 1 - ratio < s->availability) {
			s->availability = 1 - ratio;
			s->explicit_attrs |= SVC_EX_AVAIL;
			s->flags |= SVC_MEASURED_AVAIL;
			s->loc = ctx_loc(c, x);
		}
	}
}

static void load_one(slo_ld *L, const doc_node *root)
{
	const char *api = doc_str(doc_get(root, "apiVersion"));
	if (!root || root->kind != DOC_MAP)
		return;
	if (prefix(api, "openslo/"))
		load_openslo(L, root);
	else if (prefix(api, "pyrra.dev/"))
		load_pyrra(L, root);
	else if (doc_get(root, "slos"))
		load_sloth(L, root);
	else if (doc_get(root, "status"))
		load_prom(L, root);
	else
		ctx_diag(L->c, DC_SEV_WARNING, root, "document is neither an OpenSLO, Sloth or Pyrra SLO "
			 "nor a Prometheus answer; it is ignored");
}

int load_slo(load_ctx *c, const doc_stream *ds)
{
	slo_ld L;
	size_t d, i;
	memset(&L, 0, sizeof(L));
	L.c = c;
	for (d = 0; d < ds->docs.len && !L.rc; d++) {
		const doc_node *root = ds->docs.items[d];
		if (!root || doc_is_null(root))
			continue;
		if (root->kind == DOC_SEQ) {
			for (i = 0; i < root->n && !L.rc; i++)
				load_one(&L, root->u.kids[i]);
			continue;
		}
		load_one(&L, root);
	}
	dc_vec_free(&L.by_ref);
	return L.rc ? L.rc : c->status;
}

/* ---- CSV: service,availability --------------------------------------------------- */

/* [*p, *e) trimmed of blanks and of one pair of surrounding double quotes. */
static void csv_trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
	if (*e - *p >= 2 && **p == '"' && (*e)[-1] == '"') {
		(*p)++;
		(*e)--;
	}
}

static int csv_word(const char *p, const char *e, const char *w)
{
	size_t n = strlen(w), i;
	if ((size_t)(e - p) != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((p[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/* The first line that is not blank or a `#` comment: [*p, *e), NULL at the end. */
static const char *csv_next_line(const char *q, const char *end, const char **line_end, unsigned *lineno)
{
	while (q < end) {
		const char *nl = memchr(q, '\n', (size_t)(end - q)), *le = nl ? nl : end, *t = q;
		while (t < le && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t < le && *t != '#') {
			*line_end = le;
			return q;
		}
		q = nl ? nl + 1 : end;
		(*lineno)++;
	}
	return NULL;
}

/* The header `service,availability` (any case, blanks and quotes around
 * the names allowed) on the first line with content. */
static int csv_header(const char *buf, size_t len, const char **after, unsigned *lineno)
{
	const char *end = buf + len, *le, *p, *comma, *a, *b;
	unsigned ln = 1;
	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF)
		buf += 3;
	if (!(p = csv_next_line(buf, end, &le, &ln)))
		return 0;
	if (!(comma = memchr(p, ',', (size_t)(le - p))))
		return 0;
	a = p;
	b = comma;
	csv_trim(&a, &b);
	if (!csv_word(a, b, "service"))
		return 0;
	a = comma + 1;
	b = le;
	csv_trim(&a, &b);
	if (!csv_word(a, b, "availability"))
		return 0;
	if (after)
		*after = le < end ? le + 1 : end;
	if (lineno)
		*lineno = ln + 1;
	return 1;
}

int slo_csv_detect(const char *buf, size_t len)
{
	return csv_header(buf, len, NULL, NULL) ? DETECT_MARKER : DETECT_NO;
}

int load_slo_csv(load_ctx *c, const char *buf, size_t len)
{
	slo_ld L;
	dc_arena arena;
	const char *q, *end = buf + len;
	unsigned ln;
	size_t lines = 0;   /* rows with content, good or bad */
	memset(&L, 0, sizeof(L));
	L.c = c;
	if (!csv_header(buf, len, &q, &ln)) {
		doc_node at;
		memset(&at, 0, sizeof(at));
		at.line = 1;
		at.col = 1;
		ctx_diag(c, DC_SEV_ERROR, &at, "a CSV of measured availabilities starts with the header "
			 "line service,availability");
		return DC_EPARSE;
	}
	dc_arena_init(&arena);
	while (!L.rc && !c->status) {
		const char *le, *p = csv_next_line(q, end, &le, &ln), *comma, *na, *nb, *va, *vb;
		doc_node *name, *val, pos;
		char *stop;
		double x;
		svc_t *s;
		if (!p)
			break;
		lines++;
		memset(&pos, 0, sizeof(pos));
		pos.line = ln;
		pos.col = 1;
		comma = memchr(p, ',', (size_t)(le - p));
		if (!comma || memchr(comma + 1, ',', (size_t)(le - comma - 1))) {
			ctx_diag(c, DC_SEV_ERROR, &pos, "expected service,availability (two fields), not %s; "
				 "the line is ignored", comma ? "more fields" : "one field");
			goto next;
		}
		na = p;
		nb = comma;
		csv_trim(&na, &nb);
		va = comma + 1;
		vb = le;
		csv_trim(&va, &vb);
		if (na == nb) {
			ctx_diag(c, DC_SEV_ERROR, &pos, "the service of a row is empty; the line is ignored");
			goto next;
		}
		if (va == vb) {
			pos.col = (uint32_t)(va - p) + 1;
			ctx_diag(c, DC_SEV_ERROR, &pos, "the availability of a row is empty; the line is ignored");
			goto next;
		}
		{
			char nbuf[1100], vbuf[64];
			size_t nl = (size_t)(nb - na), vl = (size_t)(vb - va);
			if (nl >= sizeof(nbuf) || vl >= sizeof(vbuf)) {
				pos.col = (uint32_t)((nl >= sizeof(nbuf) ? na : va) - p) + 1;
				ctx_diag(c, DC_SEV_ERROR, &pos, "the %s of a row is too long (%zu bytes); the line "
					 "is ignored", nl >= sizeof(nbuf) ? "service" : "availability",
					 nl >= sizeof(nbuf) ? nl : vl);
				goto next;
			}
			memcpy(nbuf, na, nl);
			nbuf[nl] = '\0';
			memcpy(vbuf, va, vl);
			vbuf[vl] = '\0';
			name = ctx_scalar(c, &arena, nbuf, ln, (uint32_t)(na - p) + 1);
			val = ctx_scalar(c, &arena, vbuf, ln, (uint32_t)(va - p) + 1);
			if (!name || !val)
				break;
			x = strtod(vbuf, &stop);
			if (*stop || stop == vbuf || !(x >= 0 && x <= 1)) {
				ctx_diag(c, DC_SEV_ERROR, val, "availability of '%s' must be a fraction from 0 to 1 "
					 "(0.9995 for 99.95%%), not '%s'; the line is ignored", nbuf, vbuf);
				goto next;
			}
		}
		if (!(s = entry(&L, name, "the service of a row")))
			goto next;
		/* several rows for one service: the worst, as Prometheus samples */
		if (!(s->explicit_attrs & SVC_EX_AVAIL) || x < s->availability) {
			s->availability = x;
			s->explicit_attrs |= SVC_EX_AVAIL;
			s->flags |= SVC_MEASURED_AVAIL;
			s->loc = ctx_loc(c, val);
		}
next:
		q = le < end ? le + 1 : end;
		ln++;
	}
	if (!lines && !L.rc && !c->status) {
		doc_node at;
		memset(&at, 0, sizeof(at));
		at.line = 1;
		at.col = 1;
		ctx_diag(c, DC_SEV_WARNING, &at, "the CSV of measured availabilities has no row");
	}
	dc_arena_free(&arena);
	dc_vec_free(&L.by_ref);
	return L.rc ? L.rc : c->status;
}
