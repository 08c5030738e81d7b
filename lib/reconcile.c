/*
 * reconcile.c - observed call edges (Jaeger dependencies JSON, CSV) and
 * their reconciliation with the declared catalog (the model is in
 * include/depcheck/reconcile.h).
 *
 * Observations: names are interned in a string table, distinct edges keyed
 * by (caller, callee) in an open-addressing table, so repeated edges add
 * their counts and a 10-million-row export costs one hash probe per row.
 * JSON goes through the doc tree (lib/load_json.c) for positions; the CSV
 * reader is a small hand-written scanner (RFC 4180 quoting on one line)
 * that keeps line and column for every field.
 *
 * Reconciliation is linear: names resolve once each (dc_catalog_find is a
 * hash lookup); observed edges are bucketed by caller, and for each caller
 * its declared targets are marked in a scratch array, the observed edges
 * looked up, the marks cleared.
 */
#include <depcheck/reconcile.h>

#include "catalog_int.h"
#include "doc.h"
#include "observed_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#define DEFAULT_MAX_FILE ((size_t)256 << 20)
#define DEFAULT_MAX_EDGES ((size_t)10000000)
#define DEFAULT_MAX_NAME ((size_t)1024)

/* ---- observations -------------------------------------------------------------- */

int dc_observed_format_parse(dc_observed_format *out, const char *name)
{
	if (!strcmp(name, "jaeger") || !strcmp(name, "json"))
		*out = DC_OBSERVED_JAEGER;
	else if (!strcmp(name, "csv"))
		*out = DC_OBSERVED_CSV;
	else if (!strcmp(name, "zipkin"))
		*out = DC_OBSERVED_ZIPKIN;
	else if (!strcmp(name, "tempo") || !strcmp(name, "prometheus"))
		*out = DC_OBSERVED_TEMPO;
	else if (!strcmp(name, "otlp"))
		*out = DC_OBSERVED_OTLP;
	else if (!strcmp(name, "xray"))
		*out = DC_OBSERVED_XRAY;
	else if (!strcmp(name, "kiali"))
		*out = DC_OBSERVED_KIALI;
	else
		return DC_EINVALID;
	return 0;
}

int dc_observed_new(dc_observed **out)
{
	dc_observed *o = calloc(1, sizeof(*o));
	*out = NULL;
	if (!o)
		return DC_ENOMEM;
	if (dc_strtab_init(&o->names)) {
		free(o);
		return DC_ENOMEM;
	}
	*out = o;
	return 0;
}

void dc_observed_free(dc_observed *o)
{
	size_t i;
	if (!o)
		return;
	dc_strtab_free(&o->names);
	dc_vec_free(&o->edges);
	free(o->slots);
	for (i = 0; i < o->files.len; i++)
		free(o->files.items[i]);
	dc_vec_free(&o->files);
	free(o);
}

size_t dc_observed_count(const dc_observed *o) { return o->edges.len; }
/* an index out of range gives NULL, 0 and a location without a file */
static const obs_edge *edge_at(const dc_observed *o, size_t i)
{
	return i < o->edges.len ? &o->edges.items[i] : NULL;
}
const char *dc_observed_caller(const dc_observed *o, size_t i)
{
	return edge_at(o, i) ? dc_strtab_str(&o->names, o->edges.items[i].caller) : NULL;
}
const char *dc_observed_callee(const dc_observed *o, size_t i)
{
	return edge_at(o, i) ? dc_strtab_str(&o->names, o->edges.items[i].callee) : NULL;
}
uint64_t dc_observed_calls(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].calls : 0; }
uint64_t dc_observed_errors(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].errors : 0; }
uint64_t dc_observed_retries(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].retries : 0; }
double dc_observed_error_ratio(const dc_observed *o, size_t i)
{
	const obs_edge *e = edge_at(o, i);
	if (!e || !e->has_errors || !e->calls)
		return -1;
	return (double)e->errors / (double)e->calls;
}
double dc_observed_calls_per_s(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].rate : -1; }
double dc_observed_p50_ms(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].p50 : -1; }
double dc_observed_p99_ms(const dc_observed *o, size_t i) { return edge_at(o, i) ? o->edges.items[i].p99 : -1; }

dc_location dc_observed_location(const dc_observed *o, size_t i)
{
	static const obs_edge none;
	const obs_edge *e = edge_at(o, i) ? edge_at(o, i) : &none;
	dc_location l;
	l.file = e->file ? o->files.items[e->file - 1] : NULL;
	l.line = e->line;
	l.column = e->col;
	return l;
}

static size_t edge_hash(uint32_t a, uint32_t b)
{
	uint64_t z = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull;
	return (size_t)(z ^ (z >> 29));
}

static int grow_slots(dc_observed *o)
{
	size_t n = o->nslots ? o->nslots * 2 : 1024, i;
	uint32_t *s = calloc(n, sizeof(uint32_t));
	if (!s)
		return DC_ENOMEM;
	for (i = 0; i < o->edges.len; i++) {
		size_t h = edge_hash(o->edges.items[i].caller, o->edges.items[i].callee) & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(o->slots);
	o->slots = s;
	o->nslots = n;
	return 0;
}

void obs_perr(parse_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	c->errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dc_diags_add(c->diags, DC_SEV_ERROR, c->file, line ? line + c->line_base : 0, col, "%s", msg);
}

static void merge_metrics(obs_edge *x, const obs_metrics *m)
{
	x->calls = x->calls + m->calls < x->calls ? UINT64_MAX : x->calls + m->calls;
	if (m->has_errors) {
		x->errors = x->errors + m->errors < x->errors ? UINT64_MAX : x->errors + m->errors;
		x->has_errors = 1;
	}
	x->retries = x->retries + m->retries < x->retries ? UINT64_MAX : x->retries + m->retries;
	if (m->rate >= 0)
		x->rate = x->rate < 0 ? m->rate : x->rate + m->rate;
	if (m->p50 > x->p50)
		x->p50 = m->p50;
	if (m->p99 > x->p99)
		x->p99 = m->p99;
}

void obs_metrics_init(obs_metrics *m, uint64_t calls)
{
	memset(m, 0, sizeof(*m));
	m->calls = calls;
	m->rate = m->p50 = m->p99 = -1;
}

/* Record one observation; returns 0, DC_ELIMIT (diagnostic added) or DC_ENOMEM.
 * caller and callee are NUL-terminated at clen and elen. A name that fails
 * dc_text_check is an error of the file (counted in c->errors, returns 0). */
int obs_add_edge(parse_ctx *c, const char *caller, size_t clen, const char *callee, size_t elen,
		 const obs_metrics *m, unsigned line, unsigned col)
{
	dc_observed *o = c->obs;
	uint32_t a, b;
	size_t h;
	obs_edge e;
	int k;
	/* the same text check as every catalog loader (docs/security.md): an
	 * observed name reaches the findings, the CI formats and the log */
	for (k = 0; k < 2; k++) {
		const char *nm = k ? callee : caller;
		size_t at = 0;
		uint32_t cp = dc_text_check(nm, 0, &at);
		if (cp) {
			char desc[96], shown[160];
			dc_text_describe(cp, desc, sizeof(desc));
			dc_text_escape(shown, sizeof(shown), nm);
			obs_perr(c, line, col, "%s name '%s' contains %s (byte %zu): not allowed in names and text "
				 "(see docs/security.md)", k ? "callee" : "caller", shown, desc, at + 1);
			return 0;
		}
	}
	if (!(a = dc_strtab_intern(&o->names, caller, clen)) || !(b = dc_strtab_intern(&o->names, callee, elen)))
		return DC_ENOMEM;
	if ((o->edges.len + 1) * 2 > o->nslots && grow_slots(o))
		return DC_ENOMEM;
	h = edge_hash(a, b) & (o->nslots - 1);
	while (o->slots[h]) {
		obs_edge *x = &o->edges.items[o->slots[h] - 1];
		if (x->caller == a && x->callee == b) {
			merge_metrics(x, m);
			return 0;
		}
		h = (h + 1) & (o->nslots - 1);
	}
	if (o->edges.len >= c->max_edges) {
		obs_perr(c, line, col, "more than %zu distinct observed edges: limit reached", c->max_edges);
		return DC_ELIMIT;
	}
	memset(&e, 0, sizeof(e));
	e.caller = a;
	e.callee = b;
	e.calls = m->calls;
	e.errors = m->has_errors ? m->errors : 0;
	e.has_errors = (uint8_t)(m->has_errors != 0);
	e.retries = m->retries;
	e.rate = m->rate;
	e.p50 = m->p50;
	e.p99 = m->p99;
	e.file = c->file_id;
	e.line = line;
	e.col = col;
	if (dc_vec_push(&o->edges, e))
		return DC_ENOMEM;
	o->slots[h] = (uint32_t)o->edges.len;
	return 0;
}

int obs_name_ok(parse_ctx *c, const char *s, const char *what, unsigned line, unsigned col)
{
	char desc[96], shown[160];
	size_t at = 0;
	uint32_t cp = dc_text_check(s, 0, &at);
	if (!cp)
		return 1;
	dc_text_describe(cp, desc, sizeof(desc));
	dc_text_escape(shown, sizeof(shown), s);
	obs_perr(c, line, col, "%s '%s' contains %s (byte %zu): not allowed in names (see docs/security.md)",
		 what, shown, desc, at + 1);
	return 0;
}

static int add_edge(parse_ctx *c, const char *caller, size_t clen, const char *callee, size_t elen,
		    uint64_t calls, unsigned line, unsigned col)
{
	obs_metrics m;
	obs_metrics_init(&m, calls);
	return obs_add_edge(c, caller, clen, callee, elen, &m, line, col);
}

/* 1-based column of p in the line starting at ls, in characters */
unsigned obs_col_of(const char *ls, const char *p)
{
	unsigned col = 1;
	for (; ls < p; ls++)
		if (((unsigned char)*ls & 0xC0) != 0x80)
			col++;
	return col;
}

int obs_ctx_init(parse_ctx *c, dc_observed *obs, const char *name, const char *buf, size_t len,
		    const dc_observed_options *opts, dc_diags *diags)
{
	size_t max_file;
	char *copy;
	memset(c, 0, sizeof(*c));
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_OBSERVED_OPTIONS_VERSION))
		return DC_EINVALID;
	max_file = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	c->obs = obs;
	c->diags = diags;
	c->file = name ? name : "<observed>";
	c->max_edges = opts && opts->max_edges ? opts->max_edges : DEFAULT_MAX_EDGES;
	c->max_name = opts && opts->max_name ? opts->max_name : DEFAULT_MAX_NAME;
	if (len > max_file) {
		dc_diags_add(diags, DC_SEV_ERROR, c->file, 0, 0, "file larger than the limit of %zu bytes", max_file);
		return DC_ELIMIT;
	}
	if (memchr(buf, '\0', len)) {
		const char *nul = memchr(buf, '\0', len), *ls = buf, *p;
		unsigned line = 1;
		for (p = buf; p < nul; p++)
			if (*p == '\n') {
				line++;
				ls = p + 1;
			}
		dc_diags_add(diags, DC_SEV_ERROR, c->file, line, obs_col_of(ls, nul),
			     "binary data (NUL byte at offset %zu): not observed call data", (size_t)(nul - buf));
		return DC_EPARSE;
	}
	/* the file name lives as long as the observations (locations) */
	if (!(copy = strdup(c->file)) || dc_vec_push(&obs->files, copy)) {
		free(copy);
		return DC_ENOMEM;
	}
	c->file = copy;
	c->file_id = (uint32_t)obs->files.len;
	return 0;
}

/* ---- Jaeger JSON ------------------------------------------------------------------ */

static int jaeger_name(parse_ctx *c, const doc_node *item, const char *key, const char **out)
{
	const doc_node *v = doc_get(item, key);
	if (!v) {
		obs_perr(c, item->line, item->col, "dependency without \"%s\"", key);
		return -1;
	}
	if (v->kind != DOC_SCALAR || !v->quoted) {
		obs_perr(c, v->line, v->col, "\"%s\" must be a string, not %s", key, doc_type_name(v));
		return -1;
	}
	if (v->n == 0) {
		obs_perr(c, v->line, v->col, "\"%s\" is empty", key);
		return -1;
	}
	if (v->n > c->max_name) {
		obs_perr(c, v->line, v->col, "\"%s\" is longer than %zu bytes", key, c->max_name);
		return -1;
	}
	*out = v->u.s;
	return 0;
}

int obs_open_json(parse_ctx *c, doc_stream *ds, const doc_node **root, dc_observed *obs, const char *name,
		  const char *buf, size_t len, const dc_observed_options *opts, dc_diags *diags)
{
	doc_limits lim = { 256, 0, 1 };
	int rc = obs_ctx_init(c, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	doc_stream_init(ds, c->file);
	rc = doc_parse_json(ds, buf, len, &lim, diags);
	if (rc) {
		doc_stream_free(ds);
		return rc;
	}
	*root = ds->docs.len ? ds->docs.items[0] : NULL;
	return 0;
}

int dc_observed_parse_jaeger(dc_observed *obs, const char *name, const char *buf, size_t len,
			     const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	doc_stream ds;
	const doc_node *root, *list;
	size_t i;
	int rc = obs_open_json(&c, &ds, &root, obs, name, buf, len, opts, diags);
	if (rc)
		return rc;
	list = root;
	if (root && root->kind == DOC_MAP) {
		const doc_node *errs = doc_get(root, "errors");
		if (errs && errs->kind == DOC_SEQ && errs->n > 0) {
			const doc_node *msg = errs->u.kids[0]->kind == DOC_MAP ? doc_get(errs->u.kids[0], "msg") : NULL;
			obs_perr(&c, errs->line, errs->col, "the Jaeger API returned an error: %s",
			     msg && doc_str(msg) ? doc_str(msg) : "(no message)");
			doc_stream_free(&ds);
			return DC_EPARSE;
		}
		list = doc_get(root, "data");
		if (!list) {
			obs_perr(&c, root->line, root->col, "expected an array of dependencies or an object with a "
			     "\"data\" array (Jaeger's /api/dependencies)");
			doc_stream_free(&ds);
			return DC_EPARSE;
		}
		if (doc_is_null(list)) {
			doc_stream_free(&ds);
			return 0; /* no dependencies in the window */
		}
	}
	if (!list || list->kind != DOC_SEQ) {
		obs_perr(&c, list ? list->line : 1, list ? list->col : 1,
		     "expected an array of {\"parent\", \"child\", \"callCount\"} objects, not %s",
		     list ? doc_type_name(list) : "nothing");
		doc_stream_free(&ds);
		return DC_EPARSE;
	}
	for (i = 0; i < list->n && !rc && c.errors < MAX_ERRORS; i++) {
		const doc_node *it = list->u.kids[i], *cc, *ec;
		const char *parent, *child;
		obs_metrics m;
		long long calls = 1;
		if (it->kind != DOC_MAP) {
			obs_perr(&c, it->line, it->col, "a dependency must be an object, not %s", doc_type_name(it));
			continue;
		}
		if (jaeger_name(&c, it, "parent", &parent) || jaeger_name(&c, it, "child", &child))
			continue;
		cc = doc_get(it, "callCount");
		if (cc && !doc_is_null(cc)) {
			int r = doc_int(cc, 0, &calls);
			if (r || calls < 0) {
				obs_perr(&c, cc->line, cc->col, "\"callCount\" must be a non-negative integer, not %s",
				     r == -2 ? "a number out of range" : !r ? "a negative number" : doc_type_name(cc));
				continue;
			}
		}
		obs_metrics_init(&m, (uint64_t)calls);
		ec = doc_get(it, "errorCount"); /* Zipkin's DependencyLink */
		if (ec && !doc_is_null(ec)) {
			long long errs = 0;
			int r = doc_int(ec, 0, &errs);
			if (r || errs < 0 || errs > calls) {
				obs_perr(&c, ec->line, ec->col, "\"errorCount\" must be an integer from 0 to "
					 "\"callCount\" (%lld), not %s", calls,
					 r == -2 ? "a number out of range" : !r ? "a number outside that range"
					 : doc_type_name(ec));
				continue;
			}
			m.errors = (uint64_t)errs;
			m.has_errors = 1;
		}
		rc = obs_add_edge(&c, parent, strlen(parent), child, strlen(child), &m, it->line, it->col);
	}
	doc_stream_free(&ds);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}

/* ---- CSV ------------------------------------------------------------------------------ */

typedef struct {
	size_t off, len;     /* into the row buffer */
	unsigned col;
	int quoted;
} csv_field;

typedef struct {
	DC_VEC(char) text;
	csv_field f[4];
	int n;               /* fields seen, at most 4 (4 = too many) */
} csv_row;

static int row_put(csv_row *r, char ch)
{
	return dc_vec_push(&r->text, ch) ? DC_ENOMEM : 0;
}

/* Split one line [ls, le) into fields. Returns 0, 1 (error reported) or DC_ENOMEM. */
static int csv_split(parse_ctx *c, unsigned line, const char *ls, const char *le, csv_row *r)
{
	const char *p = ls;
	r->text.len = 0;
	r->n = 0;
	for (;;) {
		csv_field fld;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		fld.off = r->text.len;
		fld.col = obs_col_of(ls, p);
		fld.quoted = p < le && *p == '"';
		if (fld.quoted) {
			const char *open = p++;
			for (;;) {
				if (p >= le) {
					obs_perr(c, line, obs_col_of(ls, open), "unterminated quoted field (a quoted field "
					     "cannot span lines)");
					return 1;
				}
				if (*p == '"') {
					if (p + 1 < le && p[1] == '"') {
						if (row_put(r, '"'))
							return DC_ENOMEM;
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (row_put(r, *p++))
					return DC_ENOMEM;
			}
			while (p < le && (*p == ' ' || *p == '\t'))
				p++;
			if (p < le && *p != ',') {
				obs_perr(c, line, obs_col_of(ls, p), "unexpected '%c' after a quoted field (expected ',')", *p);
				return 1;
			}
		} else {
			const char *s = p, *e;
			while (p < le && *p != ',')
				p++;
			e = p;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			for (; s < e; s++)
				if (row_put(r, *s))
					return DC_ENOMEM;
		}
		fld.len = r->text.len - fld.off;
		r->f[r->n++] = fld;
		if (row_put(r, '\0'))
			return DC_ENOMEM;
		/* a fourth field is already an error: stop there, so a huge line of
		 * commas costs one pass, not one column count per field */
		if (p >= le || r->n == 4)
			return 0;
		p++; /* the comma */
	}
}

static const char *fld(const csv_row *r, int i) { return r->text.items + r->f[i].off; }

/* a non-negative decimal integer: 0 and *out, -1 not a number, -2 too big */
static int parse_count(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -2;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int is_header(const csv_row *r)
{
	static const char *const pairs[][2] = { { "caller", "callee" }, { "parent", "child" },
						{ "source", "target" }, { "from", "to" },
						{ "client", "server" }, { "src", "dst" } };
	uint64_t v;
	size_t i;
	if (r->n >= 3 && parse_count(fld(r, 2), &v) == -1)
		return 1;
	if (r->n < 2)
		return 0;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (!strcasecmp(fld(r, 0), pairs[i][0]) && !strcasecmp(fld(r, 1), pairs[i][1]))
			return 1;
	return 0;
}

int dc_observed_parse_csv(dc_observed *obs, const char *name, const char *buf, size_t len,
			  const dc_observed_options *opts, dc_diags *diags)
{
	parse_ctx c;
	csv_row r;
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int rc = obs_ctx_init(&c, obs, name, buf, len, opts, diags), first = 1;
	if (rc)
		return rc;
	memset(&r, 0, sizeof(r));
	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	while (p < end && !rc && c.errors < MAX_ERRORS) {
		const char *ls = p, *le = memchr(p, '\n', (size_t)(end - p)), *q;
		uint64_t calls = 1;
		int k;
		if (!le)
			le = end;
		p = le < end ? le + 1 : end;
		line++;
		if (le > ls && le[-1] == '\r')
			le--;
		for (q = ls; q < le && (*q == ' ' || *q == '\t'); q++)
			;
		if (q == le || *q == '#')
			continue;
		k = csv_split(&c, line, ls, le, &r);
		if (k < 0) {
			rc = k;
			break;
		}
		if (k)
			continue;
		if (first) {
			first = 0;
			if (is_header(&r))
				continue;
		}
		if (r.n < 2 || r.n > 3) {
			if (r.n > 3)
				obs_perr(&c, line, r.f[3].col, "expected caller,callee[,calls], found more than 3 fields");
			else
				obs_perr(&c, line, 1, "expected caller,callee[,calls], found 1 field");
			continue;
		}
		for (k = 0; k < 2; k++) {
			if (!r.f[k].len)
				obs_perr(&c, line, r.f[k].col, "empty %s", k ? "callee" : "caller");
			else if (r.f[k].len > c.max_name)
				obs_perr(&c, line, r.f[k].col, "%s is longer than %zu bytes", k ? "callee" : "caller",
				     c.max_name);
			else if (memchr(fld(&r, k), '\r', r.f[k].len))
				obs_perr(&c, line, r.f[k].col, "carriage return inside a %s name", k ? "callee" : "caller");
			else
				continue;
			break;
		}
		if (k < 2)
			continue;
		if (r.n == 3) {
			int pc = parse_count(fld(&r, 2), &calls);
			if (pc) {
				obs_perr(&c, line, r.f[2].col, pc == -2 ? "call count '%s' is out of range"
				     : "call count '%s' is not a non-negative integer", fld(&r, 2));
				continue;
			}
		}
		rc = add_edge(&c, fld(&r, 0), r.f[0].len, fld(&r, 1), r.f[1].len, calls, line, r.f[0].col);
	}
	dc_vec_free(&r.text);
	if (rc)
		return rc;
	return c.errors ? DC_EPARSE : 0;
}

static const void *dc_memmem(const char *h, size_t n, const char *needle, size_t m)
{
	size_t i;
	for (i = 0; i + m <= n; i++)
		if (h[i] == needle[0] && !memcmp(h + i, needle, m))
			return h + i;
	return NULL;
}

/* ---- detection and files ---------------------------------------------------------------- */

int dc_observed_parse(dc_observed *obs, const char *name, const char *buf, size_t len,
		      const dc_observed_options *opts, dc_diags *diags)
{
	dc_observed_format f = opts ? opts->format : DC_OBSERVED_AUTO;
	if (f == DC_OBSERVED_AUTO) {
		const char *p = buf, *end = buf + len;
		if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
		    (unsigned char)p[2] == 0xBF)
			p += 3;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		f = p < end && (*p == '[' || *p == '{') ? DC_OBSERVED_JAEGER : DC_OBSERVED_CSV;
		if (f == DC_OBSERVED_JAEGER) {
			/* a key only that format has, within the first 64 KiB */
			size_t n = (size_t)(end - p) < 65536 ? (size_t)(end - p) : 65536;
			if (dc_memmem(p, n, "\"resourceSpans\"", 15))
				f = DC_OBSERVED_OTLP;
			else if (dc_memmem(p, n, "\"resultType\"", 12))
				f = DC_OBSERVED_TEMPO;
			else if (dc_memmem(p, n, "\"Services\"", 10) && dc_memmem(p, n, "\"ReferenceId\"", 13))
				f = DC_OBSERVED_XRAY;
			else if (dc_memmem(p, n, "\"elements\"", 10) && dc_memmem(p, n, "\"nodeType\"", 10))
				f = DC_OBSERVED_KIALI;
		}
	}
	if (f == DC_OBSERVED_TEMPO)
		return dc_observed_parse_tempo(obs, name, buf, len, opts, diags);
	if (f == DC_OBSERVED_OTLP)
		return dc_observed_parse_otlp(obs, name, buf, len, opts, diags);
	if (f == DC_OBSERVED_XRAY)
		return dc_observed_parse_xray(obs, name, buf, len, opts, diags);
	if (f == DC_OBSERVED_KIALI)
		return dc_observed_parse_kiali(obs, name, buf, len, opts, diags);
	if (f == DC_OBSERVED_JAEGER || f == DC_OBSERVED_ZIPKIN)
		return dc_observed_parse_jaeger(obs, name, buf, len, opts, diags);
	return dc_observed_parse_csv(obs, name, buf, len, opts, diags);
}

int dc_observed_add_file(dc_observed *obs, const char *path, const dc_observed_options *opts, dc_diags *diags)
{
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE, len;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	char *buf;
	FILE *fp = stdin;
	int rc, too_big;
	if (strcmp(path, "-")) {
		const char *why;
		rc = load_open_input(path, &fp, &why, NULL);
		if (rc == DC_ENOMEM)
			return rc;
		if (rc) {
			dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "cannot open: %s", why);
			return DC_EIO;
		}
	}
	rc = load_read_all(fp, max, &buf, &len, &too_big);
	if (fp != stdin)
		fclose(fp);
	if (rc) {
		if (too_big)
			dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "file larger than the limit of %zu bytes", max);
		else
			dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "cannot read: %s",
				     rc == DC_ENOMEM ? "out of memory" : strerror(errno));
		return rc;
	}
	rc = dc_observed_parse(obs, name, buf, len, opts, diags);
	free(buf);
	return rc;
}

/* ---- reconciliation -------------------------------------------------------------------------- */

struct dc_reconcile {
	DC_VEC(dc_undeclared) undeclared;
	u32_vec stale;
	DC_VEC(dc_unknown_service) unknown;
	size_t not_covered, confirmed;
};

/* sort keys carry what the comparison needs, so no global context */
typedef struct {
	uint64_t calls;
	const char *a, *b;
	size_t i;
} rkey;

static int cmp_rkey(const void *pa, const void *pb)
{
	const rkey *x = pa, *y = pb;
	int c;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	if ((c = strcmp(x->a, y->a)))
		return c;
	if (x->b && y->b && (c = strcmp(x->b, y->b)))
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

int dc_reconcile_compute(dc_reconcile **out, const dc_graph *g, const dc_observed *obs,
			 const dc_reconcile_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t nnames = dc_strtab_count(&obs->names) + 1, ne = obs->edges.len;
	size_t ns = dc_catalog_service_count(cat), nd = dc_catalog_dep_count(cat), i, k;
	uint64_t min_calls = opts && opts->min_calls ? opts->min_calls : 1;
	dc_id *res = NULL;               /* name id -> service, DC_NO_ID, or AMBIG */
	uint32_t *bucket = NULL, *order = NULL, *pos = NULL, *uidx = NULL;
	uint8_t *covered = NULL, *seen = NULL;
	dc_reconcile *r;
	rkey *keys = NULL;
	int rc = DC_ENOMEM;
	const dc_id AMBIG = DC_NO_ID - 1;

	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_RECONCILE_OPTIONS_VERSION))
		return DC_EINVALID;
	r = calloc(1, sizeof(*r));
	res = malloc(nnames * sizeof(*res));
	bucket = calloc(ns + 2, sizeof(*bucket));
	order = malloc((ne + 1) * sizeof(*order));
	pos = calloc(ns + 1, sizeof(*pos));
	covered = calloc(ns + 1, 1);
	seen = calloc(nd + 1, 1);
	uidx = calloc(nnames, sizeof(*uidx));
	if (!r || !res || !bucket || !order || !pos || !covered || !seen || !uidx)
		goto out;
	/* resolve every observed name once */
	res[0] = DC_NO_ID;
	for (i = 1; i < nnames; i++) {
		dc_id id;
		int f = dc_catalog_find(cat, dc_strtab_str(&obs->names, (uint32_t)i), &id);
		res[i] = f == 0 ? id : f == DC_EAMBIGUOUS ? AMBIG : DC_NO_ID;
	}
	/* bucket the edges with a known caller by caller (counting sort) */
	for (i = 0; i < ne; i++) {
		dc_id a = res[obs->edges.items[i].caller];
		if (a < ns)
			bucket[a + 1]++;
	}
	for (i = 0; i < ns; i++)
		bucket[i + 1] += bucket[i];
	for (i = 0; i < ne; i++) {
		dc_id a = res[obs->edges.items[i].caller];
		if (a < ns)
			order[pos[a]++ + bucket[a]] = (uint32_t)i;
	}
	memset(pos, 0, (ns + 1) * sizeof(*pos));
	for (i = 0; i < ns; i++) {
		size_t f = dc_service_dep_first(cat, (dc_id)i), n = dc_service_dep_count(cat, (dc_id)i), j;
		if (bucket[i] == bucket[i + 1])
			continue;
		for (j = 0; j < n; j++)
			pos[dc_dep_to(cat, f + j)] = (uint32_t)(f + j) + 1;
		for (k = bucket[i]; k < bucket[i + 1]; k++) {
			const obs_edge *e = &obs->edges.items[order[k]];
			dc_id b = res[e->callee];
			if (e->calls == 0)
				continue;
			covered[i] = 1;
			if (b == (dc_id)i)
				continue; /* a service calling itself */
			if (b < ns && pos[b]) {
				seen[pos[b] - 1] = 1;
				continue;
			}
			if (e->calls >= min_calls) {
				dc_undeclared u;
				u.observed = order[k];
				u.caller = (dc_id)i;
				u.callee = b < ns ? b : DC_NO_ID;
				u.calls = e->calls;
				if (dc_vec_push(&r->undeclared, u))
					goto out;
			}
		}
		for (j = 0; j < n; j++)
			pos[dc_dep_to(cat, f + j)] = 0;
	}
	for (i = 0; i < nd; i++) {
		dc_id from = dc_dep_from(cat, i);
		if (!covered[from])
			r->not_covered++;
		else if (seen[i])
			r->confirmed++;
		else if (dc_vec_push(&r->stale, (uint32_t)i))
			goto out;
	}
	/* unknown names, over edges with enough calls */
	for (i = 0; i < ne; i++) {
		const obs_edge *e = &obs->edges.items[i];
		uint32_t side[2];
		int s;
		if (e->calls < min_calls || e->calls == 0 || e->caller == e->callee)
			continue;
		side[0] = e->caller;
		side[1] = e->callee;
		for (s = 0; s < 2; s++) {
			dc_unknown_service *u;
			if (res[side[s]] < ns)
				continue;
			if (!uidx[side[s]]) {
				dc_unknown_service nu;
				nu.name = dc_strtab_str(&obs->names, side[s]);
				nu.ambiguous = res[side[s]] == AMBIG;
				nu.calls_in = nu.calls_out = 0;
				nu.first = i;
				if (dc_vec_push(&r->unknown, nu))
					goto out;
				uidx[side[s]] = (uint32_t)r->unknown.len;
			}
			u = &r->unknown.items[uidx[side[s]] - 1];
			if (s)
				u->calls_in = u->calls_in + e->calls < u->calls_in ? UINT64_MAX : u->calls_in + e->calls;
			else
				u->calls_out = u->calls_out + e->calls < u->calls_out ? UINT64_MAX : u->calls_out + e->calls;
		}
	}
	/* orders */
	{
		size_t n = r->undeclared.len > r->stale.len ? r->undeclared.len : r->stale.len;
		if (r->unknown.len > n)
			n = r->unknown.len;
		keys = malloc((n + 1) * sizeof(*keys));
		if (!keys)
			goto out;
	}
	if (r->undeclared.len > 1) {
		dc_undeclared *copy = malloc(r->undeclared.len * sizeof(*copy));
		if (!copy)
			goto out;
		for (i = 0; i < r->undeclared.len; i++) {
			const dc_undeclared *u = &r->undeclared.items[i];
			keys[i].calls = u->calls;
			keys[i].a = dc_service_name(cat, u->caller);
			keys[i].b = u->callee != DC_NO_ID ? dc_service_name(cat, u->callee)
							   : dc_observed_callee(obs, u->observed);
			keys[i].i = i;
		}
		qsort(keys, r->undeclared.len, sizeof(*keys), cmp_rkey);
		for (i = 0; i < r->undeclared.len; i++)
			copy[i] = r->undeclared.items[keys[i].i];
		memcpy(r->undeclared.items, copy, r->undeclared.len * sizeof(*copy));
		free(copy);
	}
	if (r->stale.len > 1) {
		for (i = 0; i < r->stale.len; i++) {
			keys[i].calls = 0;
			keys[i].a = dc_service_name(cat, dc_dep_from(cat, r->stale.items[i]));
			keys[i].b = dc_service_name(cat, dc_dep_to(cat, r->stale.items[i]));
			keys[i].i = r->stale.items[i];
		}
		qsort(keys, r->stale.len, sizeof(*keys), cmp_rkey);
		for (i = 0; i < r->stale.len; i++)
			r->stale.items[i] = (uint32_t)keys[i].i;
	}
	if (r->unknown.len > 1) {
		dc_unknown_service *copy = malloc(r->unknown.len * sizeof(*copy));
		if (!copy)
			goto out;
		for (i = 0; i < r->unknown.len; i++) {
			keys[i].calls = 0;
			keys[i].a = r->unknown.items[i].name;
			keys[i].b = NULL;
			keys[i].i = i;
		}
		qsort(keys, r->unknown.len, sizeof(*keys), cmp_rkey);
		for (i = 0; i < r->unknown.len; i++)
			copy[i] = r->unknown.items[keys[i].i];
		memcpy(r->unknown.items, copy, r->unknown.len * sizeof(*copy));
		free(copy);
	}
	rc = 0;
out:
	free(res);
	free(bucket);
	free(order);
	free(pos);
	free(covered);
	free(seen);
	free(uidx);
	free(keys);
	if (rc) {
		dc_reconcile_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void dc_reconcile_free(dc_reconcile *r)
{
	if (!r)
		return;
	dc_vec_free(&r->undeclared);
	dc_vec_free(&r->stale);
	dc_vec_free(&r->unknown);
	free(r);
}

size_t dc_reconcile_undeclared(const dc_reconcile *r, const dc_undeclared **rows)
{
	*rows = r->undeclared.items;
	return r->undeclared.len;
}

size_t dc_reconcile_stale(const dc_reconcile *r, const uint32_t **deps)
{
	*deps = r->stale.items;
	return r->stale.len;
}

size_t dc_reconcile_not_covered(const dc_reconcile *r) { return r->not_covered; }
size_t dc_reconcile_confirmed(const dc_reconcile *r) { return r->confirmed; }

size_t dc_reconcile_unknown(const dc_reconcile *r, const dc_unknown_service **rows)
{
	*rows = r->unknown.items;
	return r->unknown.len;
}
