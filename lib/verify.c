/*
 * verify.c - what the chaos experiments observed against what the model
 * predicted (depcheck/chaos.h, docs/chaos.md).
 *
 * Reads a results file, JSON:
 *   {"experiments": [{"id": "kill-payments",
 *                     "entrypoints": [{"name": "web", "state": "down", "after_ms": 5200}]}]}
 * or CSV with the header `experiment,entrypoint,state,after_ms` (no quoting:
 * ids and names hold no comma; after_ms may be empty). For each observation
 * it compares the state, then the time to impact, with the prediction, and
 * explains a wrong state by the one change to the catalog that would have
 * predicted it: a soft edge that is hard, an any_of member the consumer
 * needs alone. An explanation is a finding with a fix; the rest are
 * findings without one.
 */
#include "chaos_int.h"
#include "doc.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	dc_id entry;
	dc_state state;
	uint64_t ms;
} obs_t;

typedef struct {
	const dc_experiment *e;
	size_t first, n;   /* range in obs (after grouping) */
	size_t at;         /* while grouping: where its observations start in the sorted index */
} vexp_t;

typedef struct {
	dc_finding_kind kind;
	size_t exp;        /* index in exps */
	uint32_t dep;
	size_t first, n;   /* range in rows */
} vfind_t;

struct dc_verification {
	dc_experiments *x;
	dc_verify_options opts;
	DC_VEC(vexp_t) exps;
	DC_VEC(obs_t) obs;
	DC_VEC(dc_observation) rows;
	DC_VEC(vfind_t) vf;
	dc_finding *findings;
	size_t nfindings;
};

/* ---- reading ------------------------------------------------------------------ */

typedef struct {
	dc_verification *v;
	const char *name;
	dc_diags *diags;
	int status;
	/* raw observations in file order, with their experiment */
	DC_VEC(const dc_experiment *) rexp;
	DC_VEC(obs_t) robs;
} rd_t;

static int rd_err(rd_t *r, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->diags)
		dc_diags_add(r->diags, DC_SEV_ERROR, r->name, line, col, "%s", msg);
	r->status = DC_EINVALID;
	return DC_EINVALID;
}

static int parse_state(const char *s, size_t len, dc_state *out)
{
	if (len == 2 && !strncmp(s, "up", 2))
		*out = DC_STATE_UP;
	else if (len == 8 && !strncmp(s, "degraded", 8))
		*out = DC_STATE_DEGRADED;
	else if (len == 4 && !strncmp(s, "down", 4))
		*out = DC_STATE_DOWN;
	else
		return -1;
	return 0;
}

/* One observation: ids and names checked, appended. */
static int rd_add(rd_t *r, const char *id, const char *entry, size_t elen, dc_state st, uint64_t ms,
		  uint32_t line, uint32_t col, uint32_t eline, uint32_t ecol)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->v->x));
	const dc_experiment *e = dc_experiments_find(r->v->x, id);
	char name[512];
	dc_id s;
	obs_t o;
	if (!e)
		return rd_err(r, line, col, "no experiment has the id '%s' (ids are those `depcheck experiments` writes)", id);
	if (elen >= sizeof(name))
		return rd_err(r, eline, ecol, "entrypoint name too long");
	memcpy(name, entry, elen);
	name[elen] = 0;
	if (dc_catalog_find(cat, name, &s) || dc__exp_entry_index(r->v->x, s) == SIZE_MAX)
		return rd_err(r, eline, ecol, "'%s' is not an entrypoint of the catalog", name);
	o.entry = s;
	o.state = st;
	o.ms = ms;
	if (dc_vec_push(&r->rexp, e) || dc_vec_push(&r->robs, o))
		return r->status = DC_ENOMEM;
	return 0;
}

static int read_json(rd_t *r, const char *buf, size_t len)
{
	doc_stream ds;
	doc_limits lim = { 64, 0 };
	const doc_node *root, *list;
	size_t i, j;
	int rc;
	doc_stream_init(&ds, r->name);
	if ((rc = doc_parse_json(&ds, buf, len, &lim, r->diags))) {
		doc_stream_free(&ds);
		return r->status = rc;
	}
	root = ds.docs.len ? ds.docs.items[0] : NULL;
	if (!root || root->kind != DOC_MAP) {
		rd_err(r, root ? root->line : 1, root ? root->col : 1, "results must be an object with \"experiments\"");
		goto out;
	}
	list = doc_get(root, "experiments");
	if (!list || list->kind != DOC_SEQ) {
		rd_err(r, list ? list->line : root->line, list ? list->col : root->col,
		       "\"experiments\" must be a list, not %s", list ? doc_type_name(list) : "missing");
		goto out;
	}
	for (i = 0; i < list->n && !r->status; i++) {
		const doc_node *x = list->u.kids[i], *id, *eps;
		if (x->kind != DOC_MAP) {
			rd_err(r, x->line, x->col, "an experiment must be an object, not %s", doc_type_name(x));
			break;
		}
		id = doc_get(x, "id");
		eps = doc_get(x, "entrypoints");
		if (!id || !id->quoted || !doc_str(id)) {
			rd_err(r, id ? id->line : x->line, id ? id->col : x->col, "an experiment needs \"id\", a string");
			break;
		}
		if (!eps || eps->kind != DOC_SEQ) {
			rd_err(r, eps ? eps->line : x->line, eps ? eps->col : x->col,
			       "\"entrypoints\" of '%s' must be a list", doc_str(id));
			break;
		}
		if (!dc_experiments_find(r->v->x, doc_str(id))) {
			rd_err(r, id->line, id->col, "no experiment has the id '%s' (ids are those `depcheck experiments` writes)",
			       doc_str(id));
			break;
		}
		for (j = 0; j < eps->n && !r->status; j++) {
			const doc_node *o = eps->u.kids[j], *nm, *stn, *ms;
			dc_state st;
			long long t = -1;
			if (o->kind != DOC_MAP) {
				rd_err(r, o->line, o->col, "an observation must be an object, not %s", doc_type_name(o));
				break;
			}
			nm = doc_get(o, "name");
			stn = doc_get(o, "state");
			ms = doc_get(o, "after_ms");
			if (!nm || !nm->quoted || !doc_str(nm)) {
				rd_err(r, nm ? nm->line : o->line, nm ? nm->col : o->col, "an observation needs \"name\", a string");
				break;
			}
			if (!stn || !doc_str(stn) || parse_state(doc_str(stn), stn->n, &st)) {
				rd_err(r, stn ? stn->line : o->line, stn ? stn->col : o->col,
				       "\"state\" must be \"up\", \"degraded\" or \"down\"");
				break;
			}
			if (ms && !doc_is_null(ms) && (ms->quoted || doc_int(ms, 0, &t) || t < 0)) {
				rd_err(r, ms->line, ms->col, "\"after_ms\" must be a whole number of milliseconds >= 0");
				break;
			}
			rd_add(r, doc_str(id), doc_str(nm), nm->n, st, t < 0 ? DC_TIME_NONE : (uint64_t)t, id->line,
			       id->col, nm->line, nm->col);
		}
	}
out:
	doc_stream_free(&ds);
	return r->status;
}

/* the next comma field of a CSV line, trimmed */
static const char *field(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	e = s;
	while (e < end && *e != ',')
		e++;
	*p = e < end ? e + 1 : end;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*len = (size_t)(e - s);
	return s;
}

static int read_csv(rd_t *r, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint32_t line = 0;
	int header = 0;
	while (p < end && !r->status) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q, *ls, *f[4];
		size_t fl[4], k;
		char id[256], tbuf[32];
		dc_state st;
		uint64_t ms = DC_TIME_NONE;
		if (!eol)
			eol = end;
		line++;
		q = ls = p;
		p = eol < end ? eol + 1 : end;
		{
			const char *t = q;
			while (t < eol && (*t == ' ' || *t == '\t' || *t == '\r'))
				t++;
			if (t == eol || *t == '#')
				continue;
		}
		for (k = 0; k < 4; k++)
			f[k] = field(&q, eol, &fl[k]);
		if (q < eol)
			return rd_err(r, line, (uint32_t)(q - ls + 1), "more than 4 fields");
		if (!header) {
			if (fl[0] != 10 || strncmp(f[0], "experiment", 10) || fl[1] != 10 || strncmp(f[1], "entrypoint", 10) ||
			    fl[2] != 5 || strncmp(f[2], "state", 5) || fl[3] != 8 || strncmp(f[3], "after_ms", 8))
				return rd_err(r, line, 1, "the first line must be the header experiment,entrypoint,state,after_ms");
			header = 1;
			continue;
		}
		if (!fl[0] || fl[0] >= sizeof(id))
			return rd_err(r, line, 1, "an experiment id is needed");
		memcpy(id, f[0], fl[0]);
		id[fl[0]] = 0;
		if (parse_state(f[2], fl[2], &st))
			return rd_err(r, line, (uint32_t)(f[2] - ls + 1),
				      "state must be up, degraded or down, not '%.*s'", (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
		if (fl[3]) {
			char *e;
			unsigned long long t;
			if (fl[3] >= sizeof(tbuf) || f[3][0] < '0' || f[3][0] > '9')
				return rd_err(r, line, (uint32_t)(f[3] - ls + 1),
					      "after_ms must be a whole number of milliseconds >= 0");
			memcpy(tbuf, f[3], fl[3]);
			tbuf[fl[3]] = 0;
			errno = 0;
			t = strtoull(tbuf, &e, 10);
			if (*e || errno)
				return rd_err(r, line, (uint32_t)(f[3] - ls + 1), "after_ms must be a whole number of milliseconds >= 0");
			ms = (uint64_t)t;
		}
		rd_add(r, id, f[1], fl[1], st, ms, line, 1, line, (uint32_t)(f[1] - ls + 1));
	}
	if (!header && !r->status)
		return rd_err(r, 1, 1, "empty results: the first line must be the header experiment,entrypoint,state,after_ms");
	return r->status;
}

/* ---- comparing ------------------------------------------------------------------ */

static int time_off(const dc_verify_options *o, uint64_t pred, uint64_t obs)
{
	double tol, d;
	if (pred == DC_TIME_NONE || obs == DC_TIME_NONE)
		return 0;
	d = pred > obs ? (double)(pred - obs) : (double)(obs - pred);
	tol = o->tolerance_ratio * (double)pred;
	if (tol < (double)o->tolerance_ms)
		tol = (double)o->tolerance_ms;
	return d > tol;
}

typedef struct {
	int kind;        /* -1: as predicted */
	uint32_t dep;
	dc_prediction pred;
} cls_t;

static int emit(dc_verification *v, size_t ei, const cls_t *cls, int kind, uint32_t dep)
{
	vexp_t *xe = &v->exps.items[ei];
	vfind_t f;
	size_t i;
	f.kind = (dc_finding_kind)kind;
	f.exp = ei;
	f.dep = dep;
	f.first = v->rows.len;
	f.n = 0;
	for (i = 0; i < xe->n; i++) {
		const obs_t *o = &v->obs.items[xe->first + i];
		dc_observation row;
		if (cls[i].kind != kind || cls[i].dep != dep)
			continue;
		row.entrypoint = o->entry;
		row.predicted = cls[i].pred.state;
		row.predicted_ms = cls[i].pred.time_ms;
		row.observed = o->state;
		row.observed_ms = o->ms;
		if (dc_vec_push(&v->rows, row))
			return DC_ENOMEM;
		f.n++;
	}
	if (f.n && dc_vec_push(&v->vf, f))
		return DC_ENOMEM;
	return 0;
}

/* Does the hypothesis `hyp` keep every state the model got right? An
 * explanation that breaks a correct prediction is no explanation. */
static int keeps_right(const dc_verification *v, const vexp_t *xe, const cls_t *cls, const dc_prediction *hyp)
{
	size_t i;
	for (i = 0; i < xe->n; i++) {
		const obs_t *o = &v->obs.items[xe->first + i];
		if ((cls[i].kind == -1 || cls[i].kind == DC_FINDING_TIME) &&
		    hyp[dc__exp_entry_index(v->x, o->entry)].state != o->state)
			return 0;
	}
	return 1;
}

static int compare(dc_verification *v)
{
	dc_experiments *x = v->x;
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(x));
	size_t ne = dc__exp_entry_count(x), ei, i;
	dc_prediction *model = malloc((ne + 1) * sizeof(*model)), *hyp = malloc((ne + 1) * sizeof(*hyp));
	cls_t *cls = NULL;
	size_t maxn = 0;
	int rc = DC_ENOMEM;
	for (ei = 0; ei < v->exps.len; ei++)
		if (v->exps.items[ei].n > maxn)
			maxn = v->exps.items[ei].n;
	if (!model || !hyp || !(cls = malloc((maxn + 1) * sizeof(*cls))))
		goto out;
	for (ei = 0; ei < v->exps.len; ei++) {
		const vexp_t *xe = &v->exps.items[ei];
		const dc_experiment *e = xe->e;
		size_t unexplained = 0;
		if ((rc = dc__exp_run(x, e, DC__HYP_MODEL, UINT32_MAX, model)))
			goto out;
		for (i = 0; i < xe->n; i++) {
			const obs_t *o = &v->obs.items[xe->first + i];
			cls[i].pred = model[dc__exp_entry_index(x, o->entry)];
			cls[i].dep = UINT32_MAX;
			cls[i].kind = -1;
			if (o->state == cls[i].pred.state) {
				if (o->state != DC_STATE_UP && time_off(&v->opts, cls[i].pred.time_ms, o->ms))
					cls[i].kind = DC_FINDING_TIME;
			} else {
				cls[i].kind = DC_FINDING_STATE;
				unexplained++;
			}
		}
		/* explanations */
		if (unexplained && e->action == DC_EXP_PARTITION) {
			if ((rc = dc__exp_run(x, e, DC__HYP_EDGE_HARD, UINT32_MAX, hyp)))
				goto out;
			if (keeps_right(v, xe, cls, hyp))
				for (i = 0; i < xe->n; i++) {
					const obs_t *o = &v->obs.items[xe->first + i];
					if (cls[i].kind == DC_FINDING_STATE &&
					    hyp[dc__exp_entry_index(x, o->entry)].state == o->state &&
					    o->state != cls[i].pred.state) {
						cls[i].kind = DC_FINDING_SOFT_EDGE_HARD;
						cls[i].dep = e->dep;
					}
				}
		} else if (unexplained && e->action == DC_EXP_KILL) {
			const dc_id *from;
			const uint32_t *edges;
			size_t nin = dc_graph_in(dc_experiments_graph(x), e->service, &from, &edges), k;
			for (k = 0; k < nin && unexplained; k++) {
				if (!dc_dep_group(cat, edges[k]))
					continue;
				if ((rc = dc__exp_run(x, e, DC__HYP_DEP_HARD, edges[k], hyp)))
					goto out;
				if (!keeps_right(v, xe, cls, hyp))
					continue;
				for (i = 0; i < xe->n; i++) {
					const obs_t *o = &v->obs.items[xe->first + i];
					if (cls[i].kind == DC_FINDING_STATE &&
					    hyp[dc__exp_entry_index(x, o->entry)].state == o->state) {
						cls[i].kind = DC_FINDING_ANY_OF_NOT_REDUNDANT;
						cls[i].dep = edges[k];
						unexplained--;
					}
				}
			}
		}
		/* findings, by kind (any_of: by edge, in the order they explained) */
		if ((rc = emit(v, ei, cls, DC_FINDING_SOFT_EDGE_HARD, e->dep)))
			goto out;
		for (i = 0; i < xe->n; i++) {
			size_t j;
			if (cls[i].kind != DC_FINDING_ANY_OF_NOT_REDUNDANT)
				continue;
			for (j = 0; j < i; j++)
				if (cls[j].kind == DC_FINDING_ANY_OF_NOT_REDUNDANT && cls[j].dep == cls[i].dep)
					break;
			if (j == i && (rc = emit(v, ei, cls, DC_FINDING_ANY_OF_NOT_REDUNDANT, cls[i].dep)))
				goto out;
		}
		if ((rc = emit(v, ei, cls, DC_FINDING_STATE, UINT32_MAX)) ||
		    (rc = emit(v, ei, cls, DC_FINDING_TIME, UINT32_MAX)))
			goto out;
	}
	rc = 0;
out:
	free(model);
	free(hyp);
	free(cls);
	return rc;
}

static const rd_t *sort_rd; /* for the qsort comparators below (single-threaded use of one call) */

static int by_exp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_rd->rexp.items[i]->id, sort_rd->rexp.items[j]->id);
	return c ? c : i < j ? -1 : i > j;
}

static int by_first(const void *a, const void *b)
{
	const vexp_t *p = a, *q = b;
	return p->first < q->first ? -1 : p->first > q->first;
}

static int group(dc_verification *v, rd_t *r)
{
	size_t n = r->rexp.len, i, j, *ix = malloc((n + 1) * sizeof(size_t));
	if (!ix)
		return DC_ENOMEM;
	for (i = 0; i < n; i++)
		ix[i] = i;
	sort_rd = r;
	qsort(ix, n, sizeof(size_t), by_exp);
	/* the groups, keyed by their first position for now */
	for (i = 0; i < n; i = j) {
		vexp_t xe;
		xe.e = r->rexp.items[ix[i]];
		xe.first = ix[i];
		xe.at = i;
		for (j = i; j < n && r->rexp.items[ix[j]] == xe.e; j++)
			;
		xe.n = j - i;
		if (dc_vec_push(&v->exps, xe)) {
			free(ix);
			return DC_ENOMEM;
		}
	}
	if (v->exps.len > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(v->exps.items, v->exps.len, sizeof(vexp_t), by_first);
	/* the observations of each group, in file order, consecutively */
	for (i = 0; i < v->exps.len; i++) {
		vexp_t *xe = &v->exps.items[i];
		size_t at = v->obs.len, k;
		for (k = 0; k < xe->n; k++)
			if (dc_vec_push(&v->obs, r->robs.items[ix[xe->at + k]])) {
				free(ix);
				return DC_ENOMEM;
			}
		xe->first = at;
	}
	free(ix);
	return 0;
}

int dc_verify(dc_verification **out, dc_experiments *x, const char *name, const char *buf, size_t len,
	      const dc_verify_options *opts, dc_diags *diags)
{
	dc_verify_options def = DC_VERIFY_OPTIONS_INIT;
	dc_verification *v;
	rd_t r;
	size_t i, p;
	int rc;

	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!opts)
		opts = &def;
	if (!x || !name || (!buf && len) || !DC_OPTIONS_VERSION_OK(opts->version, DC_VERIFY_OPTIONS_VERSION) ||
	    !(opts->tolerance_ratio >= 0))
		return DC_EINVALID;
	if (!(v = calloc(1, sizeof(*v))))
		return DC_ENOMEM;
	v->x = x;
	v->opts = *opts;
	memset(&r, 0, sizeof(r));
	r.v = v;
	r.name = name;
	r.diags = diags;
	for (p = 0; p < len && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\r' || buf[p] == '\n'); p++)
		;
	rc = p < len && buf[p] == '{' ? read_json(&r, buf, len) : read_csv(&r, buf ? buf : "", len);
	/* group the observations by experiment, in the order of first appearance:
	 * sort by (id, position), then the groups by their first position */
	if (!rc)
		rc = group(v, &r);
	dc_vec_free(&r.rexp);
	dc_vec_free(&r.robs);
	if (!rc)
		rc = compare(v);
	if (!rc && !(v->findings = calloc(v->vf.len + 1, sizeof(*v->findings))))
		rc = DC_ENOMEM;
	if (rc) {
		dc_verification_free(v);
		return rc;
	}
	for (i = 0; i < v->vf.len; i++) {
		const vfind_t *f = &v->vf.items[i];
		v->findings[i].kind = f->kind;
		v->findings[i].experiment = v->exps.items[f->exp].e;
		v->findings[i].dep = f->dep;
		v->findings[i].rows = v->rows.items + f->first;
		v->findings[i].nrows = f->n;
	}
	v->nfindings = v->vf.len;
	*out = v;
	return 0;
}

void dc_verification_free(dc_verification *v)
{
	if (!v)
		return;
	dc_vec_free(&v->exps);
	dc_vec_free(&v->obs);
	dc_vec_free(&v->rows);
	dc_vec_free(&v->vf);
	free(v->findings);
	free(v);
}

size_t dc_verification_findings(const dc_verification *v, const dc_finding **f)
{
	if (f)
		*f = v ? v->findings : NULL;
	return v ? v->nfindings : 0;
}

size_t dc_verification_experiment_count(const dc_verification *v)
{
	return v ? v->exps.len : 0;
}

size_t dc_verification_observation_count(const dc_verification *v)
{
	return v ? v->obs.len : 0;
}

const char *dc_verification_experiment_id(const dc_verification *v, size_t i)
{
	return v && i < v->exps.len ? v->exps.items[i].e->id : NULL;
}

const dc_experiments *dc_verification_plan(const dc_verification *v)
{
	return v ? v->x : NULL;
}

const dc_verify_options *dc_verification_options(const dc_verification *v)
{
	return v ? &v->opts : NULL;
}

static const char *const finding_names[] = { "soft-edge-behaved-hard", "any-of-not-redundant", "state-differs",
					     "time-to-impact" };

const char *dc_finding_kind_name(dc_finding_kind k)
{
	return (unsigned)k < 4 ? finding_names[k] : NULL;
}
