/*
 * observed_traffic.c - observed-traffic readers with rates, errors and
 * latencies (the model is in include/depcheck/reconcile.h, the formats in
 * docs/inputs.md "Observed traffic"):
 *
 * - Tempo / OpenTelemetry service-graph metrics as the Prometheus HTTP API
 *   answers a query for them: series are collected per file, sorted by
 *   (client, server, metric, le) and folded into one edge each; latency
 *   percentiles come from the histogram buckets the way histogram_quantile
 *   computes them (linear interpolation inside the bucket).
 * - OTLP JSON traces: spans are collected per file, a client span and the
 *   server span under it (or a server span under another service's span)
 *   make one call; calls sorted by (caller, callee, latency) give counts,
 *   errors and nearest-rank percentiles, sorted by (caller, callee, parent
 *   span) the retries actually taken.
 * Both are O(n log n) in the series or spans of one file.
 */
#include "observed_int.h"
#include "doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Tempo / OpenTelemetry service graphs -------------------------------------- */

enum { M_REQ = 0, M_FAILED = 1, M_SERVER_BUCKET = 2, M_CLIENT_BUCKET = 3 };

typedef struct {
	uint32_t client, server;   /* ids in the observation names */
	int metric;                /* M_* */
	double le;                 /* buckets: upper bound (INFINITY for +Inf) */
	double count;              /* counter value, or its increase over the window */
	double window;             /* seconds the increase covers, 0 = an instant value */
	uint32_t line, col;
} tempo_row;

static int metric_of(const char *n)
{
	static const struct { const char *name; int m; } known[] = {
		{ "traces_service_graph_request_total", M_REQ },
		{ "traces_service_graph_request_failed_total", M_FAILED },
		{ "traces_service_graph_request_server_seconds_bucket", M_SERVER_BUCKET },
		{ "traces_service_graph_request_duration_seconds_bucket", M_SERVER_BUCKET },
		{ "traces_service_graph_request_client_seconds_bucket", M_CLIENT_BUCKET },
	};
	size_t i;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(n, known[i].name))
			return known[i].m;
	return -1;
}

/* A sample's value ("12", "0.5", "+Inf"): 0, or -1 (error reported). */
static int sample_value(parse_ctx *c, const doc_node *pair, double *ts, double *v)
{
	const doc_node *t, *x;
	if (pair->kind != DOC_SEQ || pair->n != 2) {
		obs_perr(c, pair->line, pair->col, "a sample must be [time, \"value\"], not %s", doc_type_name(pair));
		return -1;
	}
	t = pair->u.kids[0];
	x = pair->u.kids[1];
	if (doc_double(t, 0, ts) || !isfinite(*ts)) {
		obs_perr(c, t->line, t->col, "a sample's time must be a number");
		return -1;
	}
	if (x->kind != DOC_SCALAR || doc_double(x, 1, v) || isnan(*v) || *v < 0 || isinf(*v)) {
		obs_perr(c, x->line, x->col, "a counter's value must be a non-negative number, not %s",
			 x->kind == DOC_SCALAR ? x->u.s : doc_type_name(x));
		return -1;
	}
	return 0;
}

static const char *label(parse_ctx *c, const doc_node *metric, const char *key)
{
	const doc_node *v = doc_get(metric, key);
	if (!v) {
		obs_perr(c, metric->line, metric->col, "a service-graph series without the \"%s\" label", key);
		return NULL;
	}
	if (v->kind != DOC_SCALAR || !v->n) {
		obs_perr(c, v->line, v->col, "the \"%s\" label must be a non-empty string", key);
		return NULL;
	}
	if (v->n > c->max_name) {
		obs_perr(c, v->line, v->col, "the \"%s\" label is longer than %zu bytes", key, c->max_name);
		return NULL;
	}
	return obs_name_ok(c, v->u.s, key, v->line, v->col) ? v->u.s : NULL;
}

/* One series of a result into rows. Returns 0, or DC_ENOMEM. */
static int tempo_series(parse_ctx *c, const doc_node *s, int matrix, dc_strtab *names, void *rowsp)
{
	DC_VEC(tempo_row) *rows = rowsp;
	const doc_node *metric, *nm, *vals;
	const char *cl, *sv;
	tempo_row r;
	memset(&r, 0, sizeof(r));
	if (s->kind != DOC_MAP || !(metric = doc_get(s, "metric")) || metric->kind != DOC_MAP) {
		obs_perr(c, s->line, s->col, "a series must be an object with a \"metric\" object");
		return 0;
	}
	nm = doc_get(metric, "__name__");
	if (!nm || !doc_str(nm)) {
		obs_perr(c, metric->line, metric->col, "a series without \"__name__\": query the service-graph "
			 "metrics themselves (see docs/inputs.md), not an expression over them");
		return 0;
	}
	if ((r.metric = metric_of(doc_str(nm))) < 0)
		return 0; /* _sum, _count, unpaired spans...: not used */
	if (!(cl = label(c, metric, "client")) || !(sv = label(c, metric, "server")))
		return 0;
	if (r.metric >= M_SERVER_BUCKET) {
		const doc_node *le = doc_get(metric, "le");
		if (le && le->kind == DOC_SCALAR && (!strcmp(le->u.s, "+Inf") || !strcmp(le->u.s, "Inf")))
			r.le = INFINITY;
		else if (!le || le->kind != DOC_SCALAR || doc_double(le, 1, &r.le) || isnan(r.le) || r.le < 0) {
			obs_perr(c, le ? le->line : metric->line, le ? le->col : metric->col,
				 "a histogram bucket needs an \"le\" label with a non-negative bound");
			return 0;
		}
	}
	vals = doc_get(s, matrix ? "values" : "value");
	if (!vals) {
		obs_perr(c, s->line, s->col, "a series without \"%s\"", matrix ? "values" : "value");
		return 0;
	}
	if (!matrix) {
		double ts;
		if (sample_value(c, vals, &ts, &r.count))
			return 0;
	} else {
		double t0 = 0, t1 = 0, prev = 0, v, inc = 0;
		size_t i;
		if (vals->kind != DOC_SEQ || vals->n == 0) {
			obs_perr(c, vals->line, vals->col, "\"values\" must be a non-empty array of samples");
			return 0;
		}
		for (i = 0; i < vals->n; i++) {
			double ts;
			if (sample_value(c, vals->u.kids[i], &ts, &v))
				return 0;
			if (i == 0)
				t0 = ts;
			else if (ts <= t1) {
				obs_perr(c, vals->u.kids[i]->line, vals->u.kids[i]->col, "samples must be in time order");
				return 0;
			} else
				inc += v >= prev ? v - prev : v; /* a counter reset starts again from 0 */
			t1 = ts;
			prev = v;
		}
		r.count = inc;
		r.window = t1 - t0;
	}
	if (!(r.client = dc_strtab_intern(names, cl, strlen(cl))) || !(r.server = dc_strtab_intern(names, sv, strlen(sv))))
		return DC_ENOMEM;
	r.line = s->line;
	r.col = s->col;
	return dc_vec_push(rows, r) ? DC_ENOMEM : 0;
}

static int cmp_row(const void *pa, const void *pb)
{
	const tempo_row *a = pa, *b = pb;
	if (a->client != b->client)
		return a->client < b->client ? -1 : 1;
	if (a->server != b->server)
		return a->server < b->server ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	if (a->le != b->le)
		return a->le < b->le ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* histogram_quantile over cumulative buckets (le ascending, the same le
 * summed): seconds, or -1 without observations. */
static double obs_histogram_quantile(double q, const double *le, const double *cum, size_t n)
{
	double total, rank, lower = 0, prev = 0;
	size_t i;
	if (!n || !isinf(le[n - 1]) || (total = cum[n - 1]) <= 0)
		return -1;
	rank = q * total;
	for (i = 0; i < n; i++) {
		if (cum[i] >= rank) {
			if (isinf(le[i]))
				return i ? le[i - 1] : -1;
			if (cum[i] == prev)
				return le[i];
			return lower + (le[i] - lower) * (rank - prev) / (cum[i] - prev);
		}
		lower = le[i];
		prev = cum[i];
	}
	return -1;
}

/* Fold the rows of one edge [a, b) into an observation. */
static int tempo_edge(parse_ctx *c, const dc_strtab *names, const tempo_row *rows, size_t a, size_t b,
		      int failed_known, double *le, double *cum)
{
	obs_metrics m;
	double calls = 0, failed = 0, window = 0;
	int have_req = 0, bucket_kind = -1;
	size_t i, nb = 0;
	const char *cl = dc_strtab_str(names, rows[a].client), *sv = dc_strtab_str(names, rows[a].server);
	obs_metrics_init(&m, 0);
	m.has_errors = failed_known; /* the failed counter has no series for an edge without failures */
	for (i = a; i < b; i++) {
		const tempo_row *r = &rows[i];
		if (r->metric == M_REQ) {
			calls += r->count;
			have_req = 1;
			if (r->window > window)
				window = r->window;
		} else if (r->metric == M_FAILED) {
			failed += r->count;
			m.has_errors = 1;
		} else if (bucket_kind < 0 || bucket_kind == r->metric) {
			/* server-side latency when there is one (rows sort it first) */
			bucket_kind = r->metric;
			if (nb && le[nb - 1] == r->le)
				cum[nb - 1] += r->count;
			else {
				le[nb] = r->le;
				cum[nb++] = r->count;
			}
		}
	}
	if (!have_req) {
		obs_perr(c, rows[a].line, rows[a].col, "%s -> %s: failed-request or latency series without "
			 "traces_service_graph_request_total", cl, sv);
		return 0;
	}
	if (failed > calls) {
		obs_perr(c, rows[a].line, rows[a].col, "%s -> %s: more failed requests (%g) than requests (%g)",
			 cl, sv, failed, calls);
		return 0;
	}
	m.calls = (uint64_t)llround(calls);
	m.errors = (uint64_t)llround(failed);
	if (window > 0)
		m.rate = calls / window;
	if (nb) {
		double p50 = obs_histogram_quantile(0.5, le, cum, nb), p99 = obs_histogram_quantile(0.99, le, cum, nb);
		m.p50 = p50 >= 0 ? p50 * 1000 : -1;
		m.p99 = p99 >= 0 ? p99 * 1000 : -1;
	}
	return obs_add_edge(c, cl, strlen(cl), sv, strlen(sv), &m, rows[a].line, rows[a].col);
}

static int tempo_answer(parse_ctx *c, const doc_node *root, dc_strtab *names, void *rows)
{
	const doc_node *st, *data, *rt, *res;
	int matrix;
	size_t i;
	if (root->kind != DOC_MAP) {
		obs_perr(c, root->line, root->col, "expected a Prometheus API answer (an object), not %s",
			 doc_type_name(root));
		return 0;
	}
	st = doc_get(root, "status");
	if (st && doc_str(st) && strcmp(doc_str(st), "success")) {
		const doc_node *e = doc_get(root, "error");
		obs_perr(c, st->line, st->col, "the Prometheus API returned an error: %s",
			 e && doc_str(e) ? doc_str(e) : "(no message)");
		return 0;
	}
	data = doc_get(root, "data");
	rt = data && data->kind == DOC_MAP ? doc_get(data, "resultType") : NULL;
	res = data && data->kind == DOC_MAP ? doc_get(data, "result") : NULL;
	if (!rt || !doc_str(rt) || (strcmp(doc_str(rt), "vector") && strcmp(doc_str(rt), "matrix"))) {
		obs_perr(c, data ? data->line : root->line, data ? data->col : root->col,
			 "expected \"data\" with a \"resultType\" of vector or matrix");
		return 0;
	}
	matrix = !strcmp(doc_str(rt), "matrix");
	if (!res || res->kind != DOC_SEQ) {
		obs_perr(c, data->line, data->col, "expected \"data\" with a \"result\" array");
		return 0;
	}
	for (i = 0; i < res->n && c->errors < MAX_ERRORS; i++) {
		int rc = tempo_series(c, res->u.kids[i], matrix, names, rows);
		if (rc)
			return rc;
	}
	return 0;
}

int dc_observed_parse_tempo(dc_observed *obs, const char *name, const char *buf, size_t len,
			    const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	doc_stream ds;
	DC_VEC(tempo_row) rows;
	const doc_node *root;
	double *le = NULL, *cum = NULL;
	size_t i, a;
	int failed_known = 0;
	int rc = obs_open_json(&c, &ds, &root, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	memset(&rows, 0, sizeof(rows));
	if (!root)
		obs_perr(&c, 1, 1, "expected a Prometheus API answer, found nothing");
	else if (root->kind == DOC_SEQ) /* several answers in one file */
		for (i = 0; i < root->n && !rc && c.errors < MAX_ERRORS; i++)
			rc = tempo_answer(&c, root->u.kids[i], &obs->names, &rows);
	else
		rc = tempo_answer(&c, root, &obs->names, &rows);
	for (i = 0; i < rows.len; i++)
		if (rows.items[i].metric == M_FAILED)
			failed_known = 1;
	if (!rc && rows.len) {
		qsort(rows.items, rows.len, sizeof(tempo_row), cmp_row);
		le = malloc(rows.len * sizeof(double));
		cum = malloc(rows.len * sizeof(double));
		if (!le || !cum)
			rc = DC_ENOMEM;
		for (a = 0; !rc && a < rows.len && c.errors < MAX_ERRORS; a = i) {
			for (i = a + 1; i < rows.len && rows.items[i].client == rows.items[a].client &&
			     rows.items[i].server == rows.items[a].server; i++)
				;
			rc = tempo_edge(&c, &obs->names, rows.items, a, i, failed_known, le, cum);
		}
	}
	free(le);
	free(cum);
	dc_vec_free(&rows);
	doc_stream_free(&ds);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}

/* ---- OTLP JSON traces ------------------------------------------------------------- */

enum { K_OTHER = 0, K_SERVER = 2, K_CLIENT = 3, K_PRODUCER = 4, K_CONSUMER = 5 };

typedef struct {
	uint32_t key;        /* traceId/spanId in the span table */
	uint32_t parent;     /* traceId/parentSpanId, 0 = a root span */
	uint32_t service;    /* id in the observation names */
	uint32_t peer;       /* peer.service of a client span, 0 = none */
	int kind, error, has_child;
	long long start, end; /* nanoseconds since the epoch */
	uint32_t line, col;
} otlp_span;

typedef struct {
	uint32_t caller, callee, parent;  /* parent: the calling span's parent (retries), 0 = none */
	double ms;
	int error;
	uint32_t line, col;
} otlp_call;

typedef struct {
	parse_ctx *c;
	dc_strtab keys;                  /* "traceId/spanId" */
	DC_VEC(otlp_span) spans;
	long long t0, t1;                /* the file's time span, ns */
} otlp_ctx;

static const char *attr_str(const doc_node *attrs, const char *key)
{
	size_t i;
	if (!attrs || attrs->kind != DOC_SEQ)
		return NULL;
	for (i = 0; i < attrs->n; i++) {
		const doc_node *a = attrs->u.kids[i], *k, *v, *sv;
		if (a->kind != DOC_MAP || !(k = doc_get(a, "key")) || !doc_str(k) || strcmp(doc_str(k), key))
			continue;
		v = doc_get(a, "value");
		sv = v && v->kind == DOC_MAP ? doc_get(v, "stringValue") : NULL;
		return sv && sv->kind == DOC_SCALAR ? sv->u.s : NULL;
	}
	return NULL;
}

static int span_kind(const doc_node *k)
{
	static const char *const names[] = { "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
					     "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER" };
	long long v;
	size_t i;
	if (!k)
		return K_OTHER;
	if (!doc_int(k, 0, &v))
		return v >= 2 && v <= 5 ? (int)v : K_OTHER;
	for (i = 2; i < 6; i++)
		if (doc_str(k) && !strcmp(doc_str(k), names[i]))
			return (int)i;
	return K_OTHER;
}

/* "1700000000000000000" (string, as proto3 JSON writes int64) or a number */
static int nanos(const doc_node *n, long long *out)
{
	return n && !doc_int(n, 1, out) && *out >= 0 ? 0 : -1;
}

static uint32_t span_key(otlp_ctx *x, const doc_node *trace, const doc_node *id)
{
	char buf[160];
	int n;
	if (!doc_str(trace) || !doc_str(id) || !*doc_str(id))
		return 0;
	n = snprintf(buf, sizeof(buf), "%s/%s", doc_str(trace), doc_str(id));
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	return dc_strtab_intern(&x->keys, buf, (size_t)n);
}

static int otlp_span_node(otlp_ctx *x, const doc_node *sp, uint32_t service)
{
	parse_ctx *c = x->c;
	const doc_node *tr = doc_get(sp, "traceId"), *id = doc_get(sp, "spanId"), *par = doc_get(sp, "parentSpanId");
	const doc_node *st = doc_get(sp, "status"), *code = st && st->kind == DOC_MAP ? doc_get(st, "code") : NULL;
	const char *peer;
	otlp_span s;
	memset(&s, 0, sizeof(s));
	if (sp->kind != DOC_MAP) {
		obs_perr(c, sp->line, sp->col, "a span must be an object, not %s", doc_type_name(sp));
		return 0;
	}
	if (!tr || !id || !doc_str(tr) || !doc_str(id)) {
		obs_perr(c, sp->line, sp->col, "a span without \"traceId\" and \"spanId\"");
		return 0;
	}
	if (!(s.key = span_key(x, tr, id))) {
		obs_perr(c, id->line, id->col, "a span id must be a non-empty hexadecimal string");
		return 0;
	}
	if (par && doc_str(par) && *doc_str(par) && !(s.parent = span_key(x, tr, par)))
		return DC_ENOMEM;
	if (nanos(doc_get(sp, "startTimeUnixNano"), &s.start) || nanos(doc_get(sp, "endTimeUnixNano"), &s.end) ||
	    s.end < s.start) {
		obs_perr(c, sp->line, sp->col, "a span needs \"startTimeUnixNano\" and a later \"endTimeUnixNano\"");
		return 0;
	}
	s.kind = span_kind(doc_get(sp, "kind"));
	if (code) {
		long long v;
		s.error = (!doc_int(code, 0, &v) && v == 2) || (doc_str(code) && !strcmp(doc_str(code), "STATUS_CODE_ERROR"));
	}
	if (s.kind == K_CLIENT || s.kind == K_PRODUCER) {
		const doc_node *attrs = doc_get(sp, "attributes");
		if ((peer = attr_str(attrs, "peer.service")) != NULL && *peer) {
			if (strlen(peer) > c->max_name || !obs_name_ok(c, peer, "peer.service", sp->line, sp->col))
				return 0;
			if (!(s.peer = dc_strtab_intern(&c->obs->names, peer, strlen(peer))))
				return DC_ENOMEM;
		}
	}
	s.service = service;
	s.line = sp->line;
	s.col = sp->col;
	if (!x->spans.len || s.start < x->t0)
		x->t0 = s.start;
	if (!x->spans.len || s.end > x->t1)
		x->t1 = s.end;
	return dc_vec_push(&x->spans, s) ? DC_ENOMEM : 0;
}

static int otlp_request(otlp_ctx *x, const doc_node *root)
{
	parse_ctx *c = x->c;
	const doc_node *rs;
	size_t i, j, k;
	if (root->kind != DOC_MAP || !(rs = doc_get(root, "resourceSpans")) || rs->kind != DOC_SEQ) {
		obs_perr(c, root->line, root->col, "expected an object with a \"resourceSpans\" array (OTLP JSON)");
		return 0;
	}
	for (i = 0; i < rs->n && c->errors < MAX_ERRORS; i++) {
		const doc_node *r = rs->u.kids[i], *res, *ss;
		const char *svc;
		uint32_t sid;
		if (r->kind != DOC_MAP)
			continue;
		res = doc_get(r, "resource");
		svc = res && res->kind == DOC_MAP ? attr_str(doc_get(res, "attributes"), "service.name") : NULL;
		if (!svc || !*svc) {
			obs_perr(c, r->line, r->col, "resource spans without a \"service.name\" resource attribute");
			continue;
		}
		if (strlen(svc) > c->max_name) {
			obs_perr(c, r->line, r->col, "service.name is longer than %zu bytes", c->max_name);
			continue;
		}
		if (!obs_name_ok(c, svc, "service.name", r->line, r->col))
			continue;
		if (!(sid = dc_strtab_intern(&c->obs->names, svc, strlen(svc))))
			return DC_ENOMEM;
		ss = doc_get(r, "scopeSpans");
		if (!ss)
			ss = doc_get(r, "instrumentationLibrarySpans"); /* before OTLP 0.15 */
		if (!ss || ss->kind != DOC_SEQ)
			continue;
		for (j = 0; j < ss->n; j++) {
			const doc_node *spans = ss->u.kids[j]->kind == DOC_MAP ? doc_get(ss->u.kids[j], "spans") : NULL;
			if (!spans || spans->kind != DOC_SEQ)
				continue;
			for (k = 0; k < spans->n && c->errors < MAX_ERRORS; k++) {
				int rc = otlp_span_node(x, spans->u.kids[k], sid);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

static int cmp_call_latency(const void *pa, const void *pb)
{
	const otlp_call *a = pa, *b = pb;
	if (a->caller != b->caller)
		return a->caller < b->caller ? -1 : 1;
	if (a->callee != b->callee)
		return a->callee < b->callee ? -1 : 1;
	if (a->ms != b->ms)
		return a->ms < b->ms ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_call_parent(const void *pa, const void *pb)
{
	const otlp_call *a = pa, *b = pb;
	if (a->caller != b->caller)
		return a->caller < b->caller ? -1 : 1;
	if (a->callee != b->callee)
		return a->callee < b->callee ? -1 : 1;
	return a->parent < b->parent ? -1 : a->parent > b->parent;
}

/* nearest rank: the ceil(q * n)-th smallest of n sorted values */
static double nearest_rank(const otlp_call *calls, size_t n, double q)
{
	size_t r = (size_t)ceil(q * (double)n);
	return calls[(r ? r : 1) - 1].ms;
}

/* Spans to calls, calls to edges. */
static int otlp_edges(otlp_ctx *x)
{
	parse_ctx *c = x->c;
	size_t nkeys = dc_strtab_count(&x->keys) + 1, i, a, b;
	uint32_t *at = calloc(nkeys, sizeof(uint32_t)); /* key -> span index + 1 */
	DC_VEC(otlp_call) calls;
	DC_VEC(uint64_t) retries;
	double window = (double)(x->t1 - x->t0) / 1e9;
	int rc = 0;
	memset(&calls, 0, sizeof(calls));
	memset(&retries, 0, sizeof(retries));
	if (!at)
		return DC_ENOMEM;
	for (i = 0; i < x->spans.len; i++)
		at[x->spans.items[i].key] = (uint32_t)i + 1;
	/* a server or consumer span under another service's span is a call; the
	 * client span above it, when there is one, measures it */
	for (i = 0; i < x->spans.len && !rc; i++) {
		otlp_span *s = &x->spans.items[i], *p;
		otlp_call k;
		if ((s->kind != K_SERVER && s->kind != K_CONSUMER) || !s->parent || !at[s->parent])
			continue;
		p = &x->spans.items[at[s->parent] - 1];
		if (p->service == s->service)
			continue;
		p->has_child = 1;
		memset(&k, 0, sizeof(k));
		k.caller = p->service;
		k.callee = s->service;
		if (p->kind == K_CLIENT || p->kind == K_PRODUCER) {
			k.ms = (double)(p->end - p->start) / 1e6;
			k.error = p->error;
			k.parent = p->parent;
			k.line = p->line;
			k.col = p->col;
		} else {
			k.ms = (double)(s->end - s->start) / 1e6;
			k.error = s->error;
			k.line = s->line;
			k.col = s->col;
		}
		rc = dc_vec_push(&calls, k) ? DC_ENOMEM : 0;
	}
	/* a client span with peer.service and no instrumented callee under it */
	for (i = 0; i < x->spans.len && !rc; i++) {
		const otlp_span *s = &x->spans.items[i];
		otlp_call k;
		if (!s->peer || s->has_child || s->peer == s->service)
			continue;
		memset(&k, 0, sizeof(k));
		k.caller = s->service;
		k.callee = s->peer;
		k.ms = (double)(s->end - s->start) / 1e6;
		k.error = s->error;
		k.parent = s->parent;
		k.line = s->line;
		k.col = s->col;
		rc = dc_vec_push(&calls, k) ? DC_ENOMEM : 0;
	}
	free(at);
	if (!rc && calls.len) {
		size_t e = 0;
		/* retries: client spans beyond the first under one parent, per edge
		 * (edges come out in (caller, callee) order in both sorts) */
		qsort(calls.items, calls.len, sizeof(otlp_call), cmp_call_parent);
		for (a = 0; a < calls.len && !rc; a = b, e++) {
			uint64_t n = 0;
			for (b = a + 1; b < calls.len && calls.items[b].caller == calls.items[a].caller &&
			     calls.items[b].callee == calls.items[a].callee; b++)
				if (calls.items[b].parent && calls.items[b].parent == calls.items[b - 1].parent)
					n++;
			rc = dc_vec_push(&retries, n) ? DC_ENOMEM : 0;
		}
		qsort(calls.items, calls.len, sizeof(otlp_call), cmp_call_latency);
		for (a = 0, e = 0; a < calls.len && !rc; a = b, e++) {
			obs_metrics m;
			const char *cl = dc_strtab_str(&c->obs->names, calls.items[a].caller);
			const char *ce = dc_strtab_str(&c->obs->names, calls.items[a].callee);
			uint32_t line = calls.items[a].line, col = calls.items[a].col;
			obs_metrics_init(&m, 0);
			for (b = a; b < calls.len && calls.items[b].caller == calls.items[a].caller &&
			     calls.items[b].callee == calls.items[a].callee; b++) {
				m.errors += (uint64_t)calls.items[b].error;
				if (calls.items[b].line < line || (calls.items[b].line == line && calls.items[b].col < col)) {
					line = calls.items[b].line;
					col = calls.items[b].col;
				}
			}
			m.calls = (uint64_t)(b - a);
			m.has_errors = 1;
			m.retries = retries.items[e];
			m.p50 = nearest_rank(calls.items + a, b - a, 0.5);
			m.p99 = nearest_rank(calls.items + a, b - a, 0.99);
			if (window > 0)
				m.rate = (double)m.calls / window;
			rc = obs_add_edge(c, cl, strlen(cl), ce, strlen(ce), &m, line, col);
		}
	}
	dc_vec_free(&calls);
	dc_vec_free(&retries);
	return rc;
}

/* One JSON document [p, end) starting at line `base` + 1. */
static int otlp_doc(otlp_ctx *x, const char *p, size_t n, unsigned base)
{
	doc_stream ds;
	doc_limits lim = { 256, 0, 1 };
	dc_diags *tmp = NULL;
	size_t i;
	int rc;
	doc_stream_init(&ds, x->c->file);
	if (!base) {
		rc = doc_parse_json(&ds, p, n, &lim, x->c->diags);
	} else {
		/* the document's own positions, moved to the line it sits on */
		if (dc_diags_new(&tmp)) {
			doc_stream_free(&ds);
			return DC_ENOMEM;
		}
		rc = doc_parse_json(&ds, p, n, &lim, tmp);
		for (i = 0; i < dc_diags_count(tmp); i++) {
			const dc_diag *d = dc_diags_get(tmp, i);
			dc_diags_add(x->c->diags, d->severity, x->c->file, d->line ? d->line + base : 0, d->column,
				     "%s", d->message);
		}
		dc_diags_free(tmp);
	}
	if (!rc && ds.docs.len && ds.docs.items[0]) {
		x->c->line_base = base;
		rc = otlp_request(x, ds.docs.items[0]);
		x->c->line_base = 0;
	}
	doc_stream_free(&ds);
	if (rc == DC_EPARSE)
		x->c->errors++;
	return rc == DC_EPARSE ? 0 : rc;
}

int dc_observed_parse_otlp(dc_observed *obs, const char *name, const char *buf, size_t len,
			   const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	otlp_ctx x;
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int rc = obs_ctx_init(&c, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	memset(&x, 0, sizeof(x));
	x.c = &c;
	if (dc_strtab_init(&x.keys))
		return DC_ENOMEM;
	/* JSON Lines (one request per line, as the file exporter writes), or a
	 * single request spread over several lines: a first line that is not a
	 * whole JSON value means the latter */
	{
		const char *le = memchr(buf, '\n', len);
		const char *q;
		int one = 0;
		if (le) {
			for (q = le; q < end && (*q == '\n' || *q == '\r' || *q == ' ' || *q == '\t'); q++)
				;
			if (q < end) {
				/* a pretty-printed document's first line is "{" or "[" alone, or an unclosed object */
				int depth = 0, instr = 0;
				const char *s;
				for (s = buf; s < le; s++) {
					if (instr) {
						if (*s == '\\' && s + 1 < le)
							s++;
						else if (*s == '"')
							instr = 0;
					} else if (*s == '"')
						instr = 1;
					else if (*s == '{' || *s == '[')
						depth++;
					else if (*s == '}' || *s == ']')
						depth--;
				}
				one = depth != 0;
			}
		}
		if (!le || one)
			rc = otlp_doc(&x, buf, len, 0);
		else
			while (p < end && !rc && c.errors < MAX_ERRORS) {
				const char *ls = p, *e = memchr(p, '\n', (size_t)(end - p));
				if (!e)
					e = end;
				p = e < end ? e + 1 : end;
				for (q = ls; q < e && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
					;
				if (q < e) {
					rc = otlp_doc(&x, ls, (size_t)(e - ls), line);

				}
				line++;
			}
	}
	if (!rc)
		rc = otlp_edges(&x);
	dc_vec_free(&x.spans);
	dc_strtab_free(&x.keys);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}

/* ---- AWS X-Ray service graph ----------------------------------------------------- */

typedef struct {
	double v;
	double n;
} xr_bin;

static int cmp_bin(const void *pa, const void *pb)
{
	const xr_bin *a = pa, *b = pb;
	return a->v < b->v ? -1 : a->v > b->v;
}

/* nearest rank over a histogram of (value, count), sorted in place */
static double bins_rank(xr_bin *b, size_t n, double q)
{
	double total = 0, rank, cum = 0;
	size_t i;
	for (i = 0; i < n; i++)
		total += b[i].n;
	if (total <= 0)
		return -1;
	qsort(b, n, sizeof(*b), cmp_bin);
	rank = ceil(q * total);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < n; i++)
		if ((cum += b[i].n) >= rank)
			return b[i].v;
	return b[n - 1].v;
}

static int xr_count(parse_ctx *c, const doc_node *map, const char *key, double *out)
{
	const doc_node *v = map && map->kind == DOC_MAP ? doc_get(map, key) : NULL;
	long long n;
	*out = 0;
	if (!v || doc_is_null(v))
		return 0;
	if (doc_int(v, 0, &n) || n < 0) {
		obs_perr(c, v->line, v->col, "\"%s\" must be a non-negative integer", key);
		return -1;
	}
	*out = (double)n;
	return 0;
}

typedef struct {
	long long id;
	const char *name;
} xr_ref;

static int cmp_ref(const void *pa, const void *pb)
{
	const xr_ref *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int xr_edge(parse_ctx *c, const xr_ref *refs, size_t nrefs, const char *from, const doc_node *e)
{
	const doc_node *ref = doc_get(e, "ReferenceId"), *st = doc_get(e, "SummaryStatistics");
	const doc_node *h = doc_get(e, "ResponseTimeHistogram"), *t0n = doc_get(e, "StartTime");
	const doc_node *t1n = doc_get(e, "EndTime");
	const char *to = NULL;
	double total, faults, throttles, t0, t1;
	long long id;
	size_t i;
	obs_metrics m;
	if (!ref || doc_int(ref, 0, &id)) {
		obs_perr(c, e->line, e->col, "an edge without an integer \"ReferenceId\"");
		return 0;
	}
	{
		xr_ref key, *hit;
		key.id = id;
		key.name = NULL;
		hit = nrefs ? bsearch(&key, refs, nrefs, sizeof(xr_ref), cmp_ref) : NULL;
		to = hit ? hit->name : NULL;
	}
	if (!to || !*to) {
		obs_perr(c, ref->line, ref->col, "edge to ReferenceId %lld: no service with that id and a name", id);
		return 0;
	}
	if (strlen(to) > c->max_name) {
		obs_perr(c, ref->line, ref->col, "the service name of ReferenceId %lld is longer than %zu bytes", id,
			 c->max_name);
		return 0;
	}
	if (xr_count(c, st, "TotalCount", &total) ||
	    xr_count(c, st && st->kind == DOC_MAP ? doc_get(st, "FaultStatistics") : NULL, "TotalCount", &faults) ||
	    xr_count(c, st && st->kind == DOC_MAP ? doc_get(st, "ErrorStatistics") : NULL, "ThrottleCount", &throttles))
		return 0;
	if (faults + throttles > total) {
		obs_perr(c, e->line, e->col, "%s -> %s: more faults and throttles (%g) than requests (%g)", from, to,
			 faults + throttles, total);
		return 0;
	}
	obs_metrics_init(&m, (uint64_t)total);
	m.errors = (uint64_t)(faults + throttles);
	m.has_errors = st != NULL;
	if (t0n && t1n && !doc_double(t0n, 0, &t0) && !doc_double(t1n, 0, &t1) && t1 > t0)
		m.rate = total / (t1 - t0);
	if (h && h->kind == DOC_SEQ && h->n) {
		xr_bin *b = malloc(h->n * sizeof(*b));
		if (!b)
			return DC_ENOMEM;
		for (i = 0; i < h->n; i++) {
			const doc_node *x = h->u.kids[i], *vv = x->kind == DOC_MAP ? doc_get(x, "Value") : NULL;
			const doc_node *cn = x->kind == DOC_MAP ? doc_get(x, "Count") : NULL;
			long long k;
			if (!vv || !cn || doc_double(vv, 0, &b[i].v) || !isfinite(b[i].v) || b[i].v < 0 ||
			    doc_int(cn, 0, &k) || k < 0) {
				obs_perr(c, x->line, x->col, "a histogram entry needs a non-negative \"Value\" and \"Count\"");
				free(b);
				return 0;
			}
			b[i].n = (double)k;
		}
		m.p50 = bins_rank(b, h->n, 0.5);
		m.p99 = bins_rank(b, h->n, 0.99);
		if (m.p50 >= 0)
			m.p50 *= 1000, m.p99 *= 1000;
		free(b);
	}
	if (!obs_name_ok(c, to, "Name", ref->line, ref->col))
		return 0;
	return obs_add_edge(c, from, strlen(from), to, strlen(to), &m, e->line, e->col);
}

int dc_observed_parse_xray(dc_observed *obs, const char *name, const char *buf, size_t len,
			   const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	doc_stream ds;
	const doc_node *root, *svcs;
	xr_ref *refs;
	size_t i, j, nrefs = 0;
	int rc = obs_open_json(&c, &ds, &root, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	if (!root || root->kind != DOC_MAP || !(svcs = doc_get(root, "Services")) || svcs->kind != DOC_SEQ) {
		obs_perr(&c, root ? root->line : 1, root ? root->col : 1,
			 "expected an X-Ray service graph: an object with a \"Services\" array");
		doc_stream_free(&ds);
		return DC_EPARSE;
	}
	/* edges name their target by ReferenceId: sorted ids, one search each */
	refs = malloc((svcs->n ? svcs->n : 1) * sizeof(xr_ref));
	if (!refs) {
		doc_stream_free(&ds);
		return DC_ENOMEM;
	}
	for (i = 0; i < svcs->n; i++) {
		const doc_node *s = svcs->u.kids[i], *r;
		if (s->kind == DOC_MAP && (r = doc_get(s, "ReferenceId")) && !doc_int(r, 0, &refs[nrefs].id)) {
			refs[nrefs].name = doc_str(doc_get(s, "Name"));
			nrefs++;
		}
	}
	qsort(refs, nrefs, sizeof(xr_ref), cmp_ref);
	for (i = 0; i < svcs->n && !rc && c.errors < MAX_ERRORS; i++) {
		const doc_node *s = svcs->u.kids[i], *edges;
		const char *from;
		if (s->kind != DOC_MAP)
			continue;
		from = doc_str(doc_get(s, "Name"));
		edges = doc_get(s, "Edges");
		if (!edges || edges->kind != DOC_SEQ || !edges->n)
			continue;
		if (!from || !*from) {
			obs_perr(&c, s->line, s->col, "a service with edges but no \"Name\"");
			continue;
		}
		if (strlen(from) > c.max_name) {
			obs_perr(&c, s->line, s->col, "a service name longer than %zu bytes", c.max_name);
			continue;
		}
		if (!obs_name_ok(&c, from, "Name", s->line, s->col))
			continue;
		for (j = 0; j < edges->n && !rc; j++)
			if (edges->u.kids[j]->kind == DOC_MAP)
				rc = xr_edge(&c, refs, nrefs, from, edges->u.kids[j]);
	}
	free(refs);
	doc_stream_free(&ds);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}

/* ---- Kiali graph ----------------------------------------------------------------- */

/*
 * The answer of Kiali's graph API (/api/namespaces/graph): elements.nodes
 * named by their kind (an app, a service, a workload), elements.edges
 * between node ids with the rates of the graph's `duration` (seconds).
 * Nodes are sorted by id once, each edge finds its ends by binary search.
 */
typedef struct {
	const char *id;
	const char *name;     /* NULL: not a service (unknown, box, aggregate) */
	const doc_node *at;
} ki_node;

static int cmp_ki(const void *pa, const void *pb)
{
	return strcmp(((const ki_node *)pa)->id, ((const ki_node *)pb)->id);
}

/* A rate of the edge's `rates` ("12.5" or 12.5): 0 when absent, -1 on a bad one. */
static int ki_rate(parse_ctx *c, const doc_node *rates, const char *key, double *out, int *present)
{
	const doc_node *v = doc_get(rates, key);
	*out = 0;
	if (!v || doc_is_null(v))
		return 0;
	*present = 1;
	if (doc_double(v, 1, out) || !isfinite(*out) || *out < 0) {
		const char *s = doc_str(v);
		char shown[64];
		dc_text_escape(shown, sizeof(shown), s ? s : doc_type_name(v));
		obs_perr(c, v->line, v->col, "the rate \"%s\" must be a non-negative number, not '%s'", key, shown);
		return -1;
	}
	return 0;
}

static const char *ki_name(parse_ctx *c, const doc_node *data)
{
	const char *type = doc_str(doc_get(data, "nodeType"));
	const char *key, *name;
	const doc_node *v;
	if (!type || !strcmp(type, "app"))
		key = "app";
	else if (!strcmp(type, "service"))
		key = "service";
	else if (!strcmp(type, "workload"))
		key = "workload";
	else
		return NULL; /* unknown (traffic from outside the mesh), box, aggregate */
	v = doc_get(data, key);
	if ((!v || !doc_str(v) || !v->n) && !strcmp(key, "app"))
		v = doc_get(data, "workload"); /* an app node without an app label */
	if (!v || !(name = doc_str(v)) || !v->n || !strcmp(name, "unknown"))
		return NULL;
	if (v->n > c->max_name) {
		obs_perr(c, v->line, v->col, "the node's \"%s\" is longer than %zu bytes", key, c->max_name);
		return NULL;
	}
	return obs_name_ok(c, name, key, v->line, v->col) ? name : NULL;
}

static const ki_node *ki_find(const ki_node *nodes, size_t n, const char *id)
{
	ki_node key;
	key.id = id;
	return n ? bsearch(&key, nodes, n, sizeof(ki_node), cmp_ki) : NULL;
}

static int ki_edge(parse_ctx *c, const ki_node *nodes, size_t nn, double duration, const doc_node *e)
{
	const doc_node *data = e->kind == DOC_MAP ? doc_get(e, "data") : NULL, *tr, *rates, *src, *dst;
	const ki_node *a, *b;
	const char *proto;
	double total = 0, err = 0, x, pct = 0;
	int have_total = 0, have_class = 0, have_pct = 0;
	obs_metrics m;
	if (!data || data->kind != DOC_MAP) {
		obs_perr(c, e->line, e->col, "an edge must be an object with a \"data\" object");
		return 0;
	}
	src = doc_get(data, "source");
	dst = doc_get(data, "target");
	if (!doc_str(src) || !doc_str(dst)) {
		obs_perr(c, data->line, data->col, "an edge needs \"source\" and \"target\" node ids");
		return 0;
	}
	a = ki_find(nodes, nn, doc_str(src));
	b = ki_find(nodes, nn, doc_str(dst));
	if (!a || !b) {
		const doc_node *which = !a ? src : dst;
		char shown[80];
		dc_text_escape(shown, sizeof(shown), doc_str(which));
		obs_perr(c, which->line, which->col, "the edge's %s '%s' is no node of the graph",
			 !a ? "source" : "target", shown);
		return 0;
	}
	if (!a->name || !b->name)
		return 0; /* from or to something that is no service */
	tr = doc_get(data, "traffic");
	if (!tr || doc_is_null(tr))
		return 0; /* an idle edge: no calls in the window */
	if (tr->kind != DOC_MAP) {
		obs_perr(c, tr->line, tr->col, "\"traffic\" must be an object, not %s", doc_type_name(tr));
		return 0;
	}
	proto = doc_str(doc_get(tr, "protocol"));
	rates = doc_get(tr, "rates");
	if (rates && rates->kind != DOC_MAP) {
		obs_perr(c, rates->line, rates->col, "\"rates\" must be an object, not %s", doc_type_name(rates));
		return 0;
	}
	if (!proto || !rates)
		return 0;
	if (!strcmp(proto, "tcp")) {
		/* bytes per second, not requests: the edge is seen, its count is not known */
		if (ki_rate(c, rates, "tcp", &x, &have_total))
			return 0;
		obs_metrics_init(&m, 1);
		return obs_add_edge(c, a->name, strlen(a->name), b->name, strlen(b->name), &m, e->line, e->col);
	}
	if (!strcmp(proto, "http")) {
		double n5, nr, n4, n3;
		if (ki_rate(c, rates, "http", &total, &have_total) || ki_rate(c, rates, "http5xx", &n5, &have_class) ||
		    ki_rate(c, rates, "httpNoResponse", &nr, &have_class) ||
		    ki_rate(c, rates, "http4xx", &n4, &have_class) || ki_rate(c, rates, "http3xx", &n3, &have_class) ||
		    ki_rate(c, rates, "httpPercentErr", &pct, &have_pct))
			return 0;
		err = n5 + nr; /* the callee's failures, not the caller's own 4xx */
	} else if (!strcmp(proto, "grpc")) {
		double ge, nr;
		if (ki_rate(c, rates, "grpc", &total, &have_total) || ki_rate(c, rates, "grpcErr", &ge, &have_class) ||
		    ki_rate(c, rates, "grpcNoResponse", &nr, &have_class) ||
		    ki_rate(c, rates, "grpcPercentErr", &pct, &have_pct))
			return 0;
		err = ge + nr;
	} else
		return 0;
	if (!have_total || total <= 0)
		return 0;
	if (!have_class && have_pct) {
		if (pct > 100) {
			const doc_node *v = doc_get(rates, !strcmp(proto, "http") ? "httpPercentErr" : "grpcPercentErr");
			obs_perr(c, v->line, v->col, "%s -> %s: an error percentage above 100 (%g)", a->name, b->name, pct);
			return 0;
		}
		err = total * pct / 100;
	}
	if (err > total * (1 + 1e-9) + 0.005) { /* Kiali rounds rates to 2 decimals */
		obs_perr(c, rates->line, rates->col, "%s -> %s: more failed requests per second (%g) than requests (%g)",
			 a->name, b->name, err, total);
		return 0;
	}
	if (err > total)
		err = total;
	obs_metrics_init(&m, 0);
	x = total * duration;
	m.calls = x < 9e18 ? (uint64_t)llround(x) : (uint64_t)9e18; /* saturating, as the sums are */
	if (m.calls == 0)
		m.calls = 1; /* seen, at a rate rounded away */
	m.errors = (uint64_t)llround(m.calls * (err / total));
	m.has_errors = 1;
	m.rate = total;
	return obs_add_edge(c, a->name, strlen(a->name), b->name, strlen(b->name), &m, e->line, e->col);
}

int dc_observed_parse_kiali(dc_observed *obs, const char *name, const char *buf, size_t len,
			    const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	doc_stream ds;
	const doc_node *root, *el = NULL, *nodes = NULL, *edges = NULL, *dn;
	ki_node *kn = NULL;
	double duration = 0;
	size_t i, nn = 0;
	int rc = obs_open_json(&c, &ds, &root, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	if (root && root->kind == DOC_MAP && (el = doc_get(root, "elements")) && el->kind == DOC_MAP) {
		nodes = doc_get(el, "nodes");
		edges = doc_get(el, "edges");
	}
	if (!nodes || nodes->kind != DOC_SEQ || (edges && !doc_is_null(edges) && edges->kind != DOC_SEQ)) {
		obs_perr(&c, el ? el->line : root ? root->line : 1, el ? el->col : root ? root->col : 1,
			 "expected a Kiali graph: an object with \"elements\" holding a \"nodes\" array and an "
			 "\"edges\" array");
		doc_stream_free(&ds);
		return DC_EPARSE;
	}
	dn = doc_get(root, "duration");
	if (!dn || doc_double(dn, 1, &duration) || !isfinite(duration) || duration <= 0) {
		obs_perr(&c, dn ? dn->line : root->line, dn ? dn->col : root->col,
			 "a Kiali graph needs \"duration\", the seconds its rates cover (a positive number)");
		doc_stream_free(&ds);
		return DC_EPARSE;
	}
	kn = malloc((nodes->n ? nodes->n : 1) * sizeof(*kn));
	if (!kn) {
		doc_stream_free(&ds);
		return DC_ENOMEM;
	}
	for (i = 0; i < nodes->n && c.errors < MAX_ERRORS; i++) {
		const doc_node *nd = nodes->u.kids[i], *data = nd->kind == DOC_MAP ? doc_get(nd, "data") : NULL;
		const char *id = data && data->kind == DOC_MAP ? doc_str(doc_get(data, "id")) : NULL;
		if (!id) {
			obs_perr(&c, nd->line, nd->col, "a node must be an object with a \"data\" object holding an \"id\"");
			continue;
		}
		kn[nn].id = id;
		kn[nn].at = nd;
		kn[nn].name = ki_name(&c, data);
		nn++;
	}
	if (nn)
		qsort(kn, nn, sizeof(*kn), cmp_ki);
	for (i = 1; i < nn; i++)
		if (!strcmp(kn[i].id, kn[i - 1].id)) {
			const doc_node *x = kn[i].at, *y = kn[i - 1].at;
			const doc_node *at = x->line > y->line || (x->line == y->line && x->col > y->col) ? x : y;
			char shown[80];
			dc_text_escape(shown, sizeof(shown), kn[i].id);
			obs_perr(&c, at->line, at->col, "two nodes with the id '%s'", shown);
		}
	for (i = 0; edges && edges->kind == DOC_SEQ && i < edges->n && !rc && c.errors < MAX_ERRORS; i++)
		rc = ki_edge(&c, kn, nn, duration, edges->u.kids[i]);
	free(kn);
	doc_stream_free(&ds);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}
