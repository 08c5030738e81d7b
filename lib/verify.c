/*
 * verify.c - what the chaos experiments observed against what the model
 * predicted (depcheck/chaos.h, docs/chaos.md).
 *
 * Reads a results file, JSON:
 *   {"experiments": [{"id": "kill-payments",
 *                     "entrypoints": [{"name": "web", "state": "down", "after_ms": 5200}]}]}
 * or CSV with the header `experiment,entrypoint,state,after_ms` (no quoting:
 * ids and names hold no comma; after_ms may be empty), optionally with a
 * fifth column `date`. An experiment may carry the day it ran ("date":
 * YYYY-MM-DD, or an RFC 3339 timestamp whose UTC day is taken): verify
 * checks it and does not use it; dc_results_read() reads the same files
 * without a plan, for `check`'s unverified-predictions rule, which gates on
 * the age of the newest result of each critical prediction. For each observation
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
#include <limits.h>
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

struct dc_results {
	DC_VEC(dc_result) items;
	dc_strtab strs;   /* ids, dates and file names of the items */
};

typedef struct {
	dc_verification *v;   /* NULL: only recording into rec (dc_results_read) */
	dc_results *rec;
	const char *name;
	const char *file;     /* name, interned in rec->strs */
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
	/* a message that cannot be kept is out of memory, not a bad file */
	r->status = r->diags && dc_diags_add(r->diags, DC_SEV_ERROR, r->name, line, col, "%s", msg) ? DC_ENOMEM
												   : DC_EINVALID;
	return r->status;
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

/* ---- dates ------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n, long *out)
{
	size_t i;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int dc__result_day(const char *s, size_t n, long *days)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long y, m, d, hh, mm, ss, oh = 0, om = 0, minutes;
	size_t p;
	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	*days = days_from_civil(y, m, d);
	if (n == 10)
		return 0;
	/* an RFC 3339 timestamp: its UTC day */
	if (n < 20 || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &hh) || s[13] != ':' ||
	    digits(s + 14, 2, &mm) || s[16] != ':' || digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	p = 19;
	if (s[p] == '.') {
		for (p++; p < n && s[p] >= '0' && s[p] <= '9'; p++)
			;
		if (p == 20)
			return -1;
	}
	if (p + 1 == n && (s[p] == 'Z' || s[p] == 'z'))
		;
	else if (p + 6 == n && (s[p] == '+' || s[p] == '-') && !digits(s + p + 1, 2, &oh) && s[p + 3] == ':' &&
		 !digits(s + p + 4, 2, &om) && oh <= 23 && om <= 59) {
		if (s[p] == '-') {
			oh = -oh;
			om = -om;
		}
	} else
		return -1;
	minutes = hh * 60 + mm - (oh * 60 + om);
	*days += minutes < 0 ? -1 : minutes >= 1440 ? 1 : 0;
	return 0;
}

void dc__day_text(long days, char buf[16])
{
	long y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)(m % 100), (int)(d % 100));
}

#define DATE_MSG "must be a day YYYY-MM-DD or an RFC 3339 timestamp (2026-11-02T14:03:00Z)"

/* Record an experiment entry (dc_results_read): its id, its UTC day
 * (days since 1970-01-01; LONG_MIN: none), where it is. */
static int rd_rec(rd_t *r, const char *id, size_t idlen, long day, uint32_t line, uint32_t col)
{
	dc_result e;
	uint32_t k;
	char dt[16];
	if (!r->rec)
		return 0;
	memset(&e, 0, sizeof(e));
	if (!(k = dc_strtab_intern(&r->rec->strs, id, idlen)))
		return r->status = DC_ENOMEM;
	e.id = dc_strtab_str(&r->rec->strs, k);
	if (day != LONG_MIN) {
		dc__day_text(day, dt);
		if (!(k = dc_strtab_intern(&r->rec->strs, dt, strlen(dt))))
			return r->status = DC_ENOMEM;
		e.date = dc_strtab_str(&r->rec->strs, k);
	}
	e.loc.file = r->file;
	e.loc.line = line;
	e.loc.column = col;
	if (dc_vec_push(&r->rec->items, e))
		return r->status = DC_ENOMEM;
	return 0;
}

/* One observation: ids and names checked, appended. */
static int rd_add(rd_t *r, const char *id, const char *entry, size_t elen, dc_state st, uint64_t ms,
		  uint32_t line, uint32_t col, uint32_t eline, uint32_t ecol)
{
	const dc_catalog *cat;
	const dc_experiment *e;
	char name[512];
	dc_id s;
	obs_t o;
	if (!r->v)
		return 0;
	cat = dc_graph_catalog(dc_experiments_graph(r->v->x));
	e = dc_experiments_find(r->v->x, id);
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
	doc_limits lim = { 64, 0, 1 };
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
		if (r->v && !dc_experiments_find(r->v->x, doc_str(id))) {
			rd_err(r, id->line, id->col, "no experiment has the id '%s' (ids are those `depcheck experiments` writes)",
			       doc_str(id));
			break;
		}
		{
			const doc_node *dt = doc_get(x, "date");
			long day = LONG_MIN;
			if (dt && !doc_is_null(dt) &&
			    (!dt->quoted || !doc_str(dt) || dc__result_day(doc_str(dt), dt->n, &day))) {
				if (dt->kind == DOC_SCALAR)
					rd_err(r, dt->line, dt->col, "\"date\" of '%s' " DATE_MSG ", not '%.*s'", doc_str(id),
					       (int)(dt->n > 40 ? 40 : dt->n), dt->u.s);
				else
					rd_err(r, dt->line, dt->col, "\"date\" of '%s' " DATE_MSG ", not %s", doc_str(id),
					       doc_type_name(dt));
				break;
			}
			if (rd_rec(r, doc_str(id), id->n, day, id->line, id->col))
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

#define CSV_HEADER "experiment,entrypoint,state,after_ms"

static int read_csv(rd_t *r, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint32_t line = 0;
	int header = 0;   /* the header's columns once read: 4, or 5 with date */
	while (p < end && !r->status) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q, *ls, *f[5];
		size_t fl[5], k;
		char id[256], tbuf[32];
		dc_state st;
		uint64_t ms = DC_TIME_NONE;
		long day = LONG_MIN;
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
		f[4] = q;
		fl[4] = 0;
		if (q < eol && header != 4) {
			f[4] = field(&q, eol, &fl[4]);
			if (q < eol)
				return rd_err(r, line, (uint32_t)(q - ls + 1), "more than 5 fields");
		} else if (q < eol)
			return rd_err(r, line, (uint32_t)(q - ls + 1), "more than 4 fields (the header has no date column)");
		if (!header) {
			if (fl[0] != 10 || strncmp(f[0], "experiment", 10) || fl[1] != 10 || strncmp(f[1], "entrypoint", 10) ||
			    fl[2] != 5 || strncmp(f[2], "state", 5) || fl[3] != 8 || strncmp(f[3], "after_ms", 8) ||
			    (fl[4] && (fl[4] != 4 || strncmp(f[4], "date", 4))))
				return rd_err(r, line, 1, "the first line must be the header " CSV_HEADER
					      " or " CSV_HEADER ",date");
			header = fl[4] ? 5 : 4;
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
		if (fl[4] && dc__result_day(f[4], fl[4], &day))
			return rd_err(r, line, (uint32_t)(f[4] - ls + 1), "date " DATE_MSG ", not '%.*s'",
				      (int)(fl[4] > 40 ? 40 : fl[4]), f[4]);
		if (rd_rec(r, id, fl[0], day, line, 1))
			break;
		rd_add(r, id, f[1], fl[1], st, ms, line, 1, line, (uint32_t)(f[1] - ls + 1));
	}
	if (!header && !r->status)
		return rd_err(r, 1, 1, "empty results: the first line must be the header " CSV_HEADER);
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

/* ---- results on record ------------------------------------------------------------ */

int dc_results_new(dc_results **out)
{
	dc_results *r;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return DC_ENOMEM;
	if (dc_strtab_init(&r->strs)) {
		free(r);
		return DC_ENOMEM;
	}
	*out = r;
	return 0;
}

void dc_results_free(dc_results *r)
{
	if (!r)
		return;
	dc_vec_free(&r->items);
	dc_strtab_free(&r->strs);
	free(r);
}

int dc_results_read(dc_results *res, const char *name, const char *buf, size_t len, dc_diags *diags)
{
	rd_t r;
	size_t p, n0;
	uint32_t k;
	if (!res || !name || (!buf && len))
		return DC_EINVALID;
	n0 = res->items.len;
	memset(&r, 0, sizeof(r));
	r.rec = res;
	r.name = name;
	r.diags = diags;
	if (!(k = dc_strtab_intern(&res->strs, name, strlen(name))))
		return DC_ENOMEM;
	r.file = dc_strtab_str(&res->strs, k);
	for (p = 0; p < len && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\r' || buf[p] == '\n'); p++)
		;
	if (p < len && buf[p] == '{')
		read_json(&r, buf, len);
	else
		read_csv(&r, buf ? buf : "", len);
	if (r.status)
		res->items.len = n0;  /* nothing of a file that has an error */
	return r.status;
}

#define RESULTS_MAX_FILE ((size_t)64 << 20)

int dc_results_read_file(dc_results *res, const char *path, dc_diags *diags)
{
	const char *name;
	char *buf;
	FILE *fp = stdin;
	size_t len;
	int rc, too_big;
	if (!res || !path)
		return DC_EINVALID;
	name = strcmp(path, "-") ? path : "<stdin>";
	if (strcmp(path, "-")) {
		const char *why;
		rc = load_open_input(path, &fp, &why, NULL);
		if (rc == DC_ENOMEM)
			return rc;
		if (rc) {
			if (diags)
				dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "cannot open: %s", why);
			return DC_EIO;
		}
	}
	rc = load_read_all(fp, RESULTS_MAX_FILE, &buf, &len, &too_big);
	if (fp != stdin)
		fclose(fp);
	if (rc) {
		if (rc == DC_ENOMEM && !too_big)
			return rc;
		if (diags) {
			if (too_big)
				dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "file larger than the limit of %zu bytes",
					     RESULTS_MAX_FILE);
			else
				dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "cannot read: %s", strerror(errno));
		}
		return rc;
	}
	rc = dc_results_read(res, name, buf, len, diags);
	free(buf);
	return rc;
}

size_t dc_results_count(const dc_results *r)
{
	return r ? r->items.len : 0;
}

const dc_result *dc_results_get(const dc_results *r, size_t i)
{
	return r && i < r->items.len ? &r->items.items[i] : NULL;
}

static const char *const finding_names[] = { "soft-edge-behaved-hard", "any-of-not-redundant", "state-differs",
					     "time-to-impact" };

const char *dc_finding_kind_name(dc_finding_kind k)
{
	return (unsigned)k < 4 ? finding_names[k] : NULL;
}
