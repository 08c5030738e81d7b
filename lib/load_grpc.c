/*
 * load_grpc.c - gRPC service config JSON (docs/inputs.md, "gRPC service
 * config"): what a gRPC client library enforces on its calls, as gRFC A6
 * and the service config documentation define it.
 *
 * Read: `methodConfig[]` with `name[]` ({service, method}), `timeout`,
 * `retryPolicy` (`maxAttempts`, `perAttemptRecvTimeout`,
 * `retryableStatusCodes`; the backoffs are checked, not kept),
 * `hedgingPolicy` (`maxAttempts`); `retryThrottling` (`maxTokens`,
 * `tokenRatio`). And depcheck's own `x-depcheck` object (gRPC ignores
 * unknown top-level fields): `client`, the service whose channel uses the
 * config; `server`, the service an entry without a service name (the
 * channel's default) applies to; `services`, a map from gRPC service names
 * to depcheck services.
 *
 * The idea: a service config is published by a service's owner for every
 * client of the service (gRPC resolves it with the name), so without a
 * `client` it governs the calls of every caller into the services it
 * names; with one, only that caller's. Either way it adds no call: its
 * values become edge policies (catalog_edgepol.c) that refine the
 * dependencies other inputs declare, keeping file:line:column. A gRPC
 * service `pkg.CartService` names the depcheck service `x-depcheck.services`
 * maps it to, else the first of its forms that names a service of the
 * input: `pkg.CartService`, `CartService` (names compare without case:
 * `cartservice`), `cart-service`, `Cart`, `cart` (without a trailing
 * "Service"). maxAttempts counts the first call: retries = maxAttempts - 1
 * (gRPC caps it at 5). The deadline (`timeout`) covers every attempt: each
 * attempt may take all of it unless `perAttemptRecvTimeout` says less.
 * Throttling caps amplification: with tokenRatio r, retries stop once
 * failures outrun r retries per success, so one call makes at most 1 + r
 * calls (the retry budget r, as Linkerd's retryRatio).
 *
 * Limits: per-method values collapse to one per service (the service-wide
 * entry, else the first entry naming one of its methods); hedging counts as
 * retries sent at once (its amplification, not a longer hang);
 * `waitForReady`, message size limits and load balancing are not read.
 */
#include "load_attrs.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BIT(k) ((uint16_t)(1u << (k)))
#define MAX_ATTEMPTS 5 /* gRPC treats a larger maxAttempts as 5 */

typedef struct {
	load_ctx *c;
	const doc_node *xd, *services, *server;
	uint32_t callers, ncallers;
	dc_loc_int caller_at;
	int scoped;
	uint32_t group;
	int default_noted;
	int rc;
} grpc_ld;

int grpc_detect(const doc_node *root)
{
	const doc_node *mc = doc_get(root, "methodConfig"), *rt = doc_get(root, "retryThrottling");
	if (doc_get(root, "apiVersion") || doc_get(root, "services") || doc_get(root, "kind"))
		return DETECT_NO;
	if (mc && mc->kind == DOC_SEQ)
		return DETECT_VENDOR;
	if (rt && rt->kind == DOC_MAP)
		return DETECT_API;
	return DETECT_NO;
}

static const char *esc(const char *s, char *buf, size_t size)
{
	dc_text_escape(buf, size, s ? s : "");
	return buf;
}

/* ---- names ------------------------------------------------------------------------- */

/* `CartService` -> `cart-service` (a dash before an upper-case letter that
 * follows a lower-case one or a digit). */
static size_t kebab(const char *s, size_t n, char *out, size_t size)
{
	size_t i, o = 0;
	for (i = 0; i < n && o + 2 < size; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (isupper(ch) && i > 0 && (islower((unsigned char)s[i - 1]) || isdigit((unsigned char)s[i - 1])))
			out[o++] = '-';
		out[o++] = (char)tolower(ch);
	}
	out[o] = '\0';
	return o;
}

/* The callee of gRPC service `svc`: the mapping's, else the full name with
 * its other forms as alternatives. 0 on no memory. */
static uint32_t callee_of(grpc_ld *G, const doc_node *svc, edge_pol_t *p)
{
	const char *s = svc->u.s, *last = strrchr(s, '.');
	const doc_node *m = G->services ? doc_get(G->services, s) : NULL;
	uint32_t alts[4], n = 0, id, k;
	size_t ln, stem;
	char buf[4][260];
	p->alts = p->nalts = 0;
	if (m && doc_str(m) && m->n)
		return cat_intern_n(G->c->cat, m->u.s, m->n);
	last = last ? last + 1 : s;
	ln = strlen(last);
	stem = ln > 7 && !strcmp(last + ln - 7, "Service") ? ln - 7 : 0;
	if (ln < 250) {
		memcpy(buf[0], last, ln);
		buf[0][ln] = '\0';
		kebab(last, ln, buf[1], sizeof(buf[1]));
		memcpy(buf[2], last, stem);
		buf[2][stem] = '\0';
		kebab(last, stem, buf[3], sizeof(buf[3]));
		for (k = 0; k < 4; k++) {
			uint32_t j, dup = 0;
			if (!buf[k][0] || (last == s && k == 0))
				continue;
			if (!(id = cat_intern(G->c->cat, buf[k])))
				return 0;
			for (j = 0; j < n; j++)
				dup |= alts[j] == id;
			if (!dup)
				alts[n++] = id;
		}
	}
	if (n && cat_set_list(G->c->cat, &p->alts, &p->nalts, alts, n))
		return 0;
	return cat_intern_n(G->c->cat, s, svc->n);
}

/* ---- values ------------------------------------------------------------------------- */

static int attempts(grpc_ld *G, const doc_node *pol, const char *field, const char *what, uint32_t *out)
{
	const doc_node *v = doc_get(pol, "maxAttempts");
	long long x;
	char shown[64];
	if (!v) {
		ctx_diag(G->c, DC_SEV_ERROR, pol, "%s of %s needs maxAttempts (2 or more: the first call counts)",
			 field, what);
		return -1;
	}
	if (doc_int(v, 1, &x) || x < 2) {
		ctx_diag(G->c, DC_SEV_ERROR, v, "%s.maxAttempts of %s must be an integer of 2 or more (the first "
			 "call counts), not '%s'", field, what, esc(doc_str(v) ? doc_str(v) : doc_type_name(v), shown,
								   sizeof(shown)));
		return -1;
	}
	if (x > MAX_ATTEMPTS) {
		ctx_diag(G->c, DC_SEV_NOTE, v, "%s.maxAttempts of %s is %lld; gRPC makes at most %d attempts, which "
			 "is used", field, what, x, MAX_ATTEMPTS);
		x = MAX_ATTEMPTS;
	}
	*out = (uint32_t)x;
	return 0;
}

static void check_duration(grpc_ld *G, const doc_node *pol, const char *key, const char *field, const char *what)
{
	const doc_node *v = doc_get(pol, key);
	uint32_t ms;
	char f[96];
	snprintf(f, sizeof(f), "%s.%s", field, key);
	if (v && !doc_is_null(v))
		(void)attr_pb_duration_ms(G->c, v, f, what, &ms);
}

/* retryableStatusCodes as text: "UNAVAILABLE,DEADLINE_EXCEEDED" (codes may be numbers). */
static void status_codes(grpc_ld *G, const doc_node *codes, edge_pol_t *p, const char *what)
{
	char buf[256];
	size_t len = 0;
	uint32_t i, id;
	if (!codes || doc_is_null(codes))
		return;
	if (codes->kind != DOC_SEQ) {
		ctx_diag(G->c, DC_SEV_ERROR, codes, "retryableStatusCodes of %s must be an array, not %s", what,
			 doc_type_name(codes));
		return;
	}
	for (i = 0; i < codes->n; i++) {
		const char *s = doc_str(codes->u.kids[i]);
		int w;
		if (!s || codes->u.kids[i]->kind != DOC_SCALAR)
			continue;
		w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "", s);
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			break;
		len += (size_t)w;
	}
	if (!len)
		return;
	if (!(id = cat_intern_n(G->c->cat, buf, len)))
		G->rc = DC_ENOMEM;
	else
		attr_pol_set(G->c, p, DC_DEP_RETRY_ON, id, codes);
}

/* The settings of one methodConfig entry. */
static void method_settings(grpc_ld *G, const doc_node *mc, const char *what, const doc_node *throttle,
			    uint32_t budget, edge_pol_t *p)
{
	const doc_node *to = doc_get(mc, "timeout"), *rp = doc_get(mc, "retryPolicy"), *hp = doc_get(mc, "hedgingPolicy");
	uint32_t ms, n;
	if (to && !doc_is_null(to) && attr_pb_duration_ms(G->c, to, "timeout", what, &ms) == 0)
		attr_pol_set(G->c, p, DC_DEP_TIMEOUT, ms, to);
	if (rp && !doc_is_null(rp) && hp && !doc_is_null(hp)) {
		ctx_diag(G->c, DC_SEV_ERROR, hp, "%s has both retryPolicy and hedgingPolicy; gRPC allows one", what);
		return;
	}
	if (rp && !doc_is_null(rp)) {
		const doc_node *pt = doc_get(rp, "perAttemptRecvTimeout");
		if (rp->kind != DOC_MAP) {
			ctx_diag(G->c, DC_SEV_ERROR, rp, "retryPolicy of %s must be an object, not %s", what,
				 doc_type_name(rp));
			return;
		}
		if (attempts(G, rp, "retryPolicy", what, &n) == 0)
			attr_pol_set(G->c, p, DC_DEP_RETRIES, n - 1, doc_get(rp, "maxAttempts"));
		check_duration(G, rp, "initialBackoff", "retryPolicy", what);
		check_duration(G, rp, "maxBackoff", "retryPolicy", what);
		if (pt && !doc_is_null(pt) &&
		    attr_pb_duration_ms(G->c, pt, "retryPolicy.perAttemptRecvTimeout", what, &ms) == 0)
			attr_pol_set(G->c, p, DC_DEP_PER_TRY_TIMEOUT, ms, pt);
		status_codes(G, doc_get(rp, "retryableStatusCodes"), p, what);
	} else if (hp && !doc_is_null(hp)) {
		if (hp->kind != DOC_MAP) {
			ctx_diag(G->c, DC_SEV_ERROR, hp, "hedgingPolicy of %s must be an object, not %s", what,
				 doc_type_name(hp));
			return;
		}
		if (attempts(G, hp, "hedgingPolicy", what, &n) == 0) {
			uint32_t id = cat_intern(G->c->cat, "hedging");
			attr_pol_set(G->c, p, DC_DEP_RETRIES, n - 1, doc_get(hp, "maxAttempts"));
			if (!id)
				G->rc = DC_ENOMEM;
			else
				attr_pol_set(G->c, p, DC_DEP_RETRY_ON, id, hp);
		}
		check_duration(G, hp, "hedgingDelay", "hedgingPolicy", what);
	}
	if (throttle && (p->r.set & BIT(DC_DEP_RETRIES)))
		attr_pol_set(G->c, p, DC_DEP_RETRY_BUDGET, budget, throttle);
	attr_pol_per_try_default(p);
}

/* retryThrottling: the budget (thousandths), or -1 (none, or an error). */
static long throttling(grpc_ld *G, const doc_node *rt)
{
	const doc_node *mt, *tr;
	long long t;
	double r;
	char shown[64];
	if (!rt || doc_is_null(rt))
		return -1;
	if (rt->kind != DOC_MAP) {
		ctx_diag(G->c, DC_SEV_ERROR, rt, "retryThrottling must be an object, not %s", doc_type_name(rt));
		return -1;
	}
	mt = doc_get(rt, "maxTokens");
	tr = doc_get(rt, "tokenRatio");
	if (!mt || doc_int(mt, 1, &t) || t < 1 || t > 1000) {
		ctx_diag(G->c, DC_SEV_ERROR, mt ? mt : rt, "retryThrottling.maxTokens must be an integer from 1 to "
			 "1000, not '%s'", mt ? esc(doc_str(mt) ? doc_str(mt) : doc_type_name(mt), shown, sizeof(shown))
					     : "(none)");
		return -1;
	}
	if (!tr || doc_double(tr, 1, &r) || !(r > 0) || !isfinite(r)) {
		ctx_diag(G->c, DC_SEV_ERROR, tr ? tr : rt, "retryThrottling.tokenRatio must be a number above 0, "
			 "not '%s'", tr ? esc(doc_str(tr) ? doc_str(tr) : doc_type_name(tr), shown, sizeof(shown))
				      : "(none)");
		return -1;
	}
	if (r > 10)
		r = 10; /* the native maximum; retries are capped by the attempts long before */
	return (long)(r * 1000 + 0.5);
}

/* ---- x-depcheck ----------------------------------------------------------------------- */

static int read_marker(grpc_ld *G, const doc_node *root)
{
	static const char *const keys[] = { "client", "server", "services", NULL };
	const doc_node *xd = doc_get(root, "x-depcheck"), *cl;
	uint32_t i;
	size_t bad = 0;
	if (!xd || doc_is_null(xd))
		return 0;
	if (xd->kind != DOC_MAP) {
		ctx_diag(G->c, DC_SEV_ERROR, xd, "x-depcheck must be an object (client, server, services), not %s",
			 doc_type_name(xd));
		return 0;
	}
	for (i = 0; i < xd->n; i++) {
		const doc_node *k = xd->u.kids[2 * i];
		if (k->kind != DOC_SCALAR || (strcmp(k->u.s, "client") && strcmp(k->u.s, "server") &&
					     strcmp(k->u.s, "services")))
			attr_unknown_key(G->c, k, "x-depcheck", keys);
	}
	G->services = doc_get(xd, "services");
	if (G->services && G->services->kind != DOC_MAP) {
		ctx_diag(G->c, DC_SEV_ERROR, G->services, "x-depcheck.services must map gRPC service names to "
			 "services, not be %s", doc_type_name(G->services));
		G->services = NULL;
	}
	for (i = 0; G->services && i < G->services->n; i++) {
		const doc_node *v = G->services->u.kids[2 * i + 1];
		if (!doc_str(v) || !v->n || dc_text_check(v->u.s, 0, &bad))
			ctx_diag(G->c, DC_SEV_ERROR, v, "a service of x-depcheck.services must be a service name");
	}
	G->server = doc_get(xd, "server");
	if (G->server && (!doc_str(G->server) || !G->server->n || dc_text_check(G->server->u.s, 0, &bad))) {
		ctx_diag(G->c, DC_SEV_ERROR, G->server, "x-depcheck.server must name a service");
		G->server = NULL;
	}
	cl = doc_get(xd, "client");
	if (cl && !doc_is_null(cl)) {
		uint32_t ref;
		if (!doc_str(cl) || !cl->n || dc_text_check(cl->u.s, 0, &bad)) {
			ctx_diag(G->c, DC_SEV_ERROR, cl, "x-depcheck.client must name the service whose calls the "
				 "config governs");
			return -1;
		}
		if (!(ref = cat_intern_n(G->c->cat, cl->u.s, cl->n)) ||
		    cat_set_list(G->c->cat, &G->callers, &G->ncallers, &ref, 1)) {
			G->rc = DC_ENOMEM;
			return -1;
		}
		G->scoped = 1;
		G->caller_at = ctx_loc(G->c, cl);
	}
	return 0;
}

/* ---- the file ------------------------------------------------------------------------- */

static void emit(grpc_ld *G, edge_pol_t *p, uint32_t callee, const doc_node *at)
{
	if (!p->r.set || G->rc)
		return;
	if (!callee) {
		G->rc = DC_ENOMEM;
		return;
	}
	p->callee = callee;
	p->at = ctx_loc(G->c, at);
	if (cat_add_edge_policy(G->c->cat, p))
		G->rc = DC_ENOMEM;
}

/* Pass 0: entries naming a whole service (or the default); pass 1: methods. */
static void names(grpc_ld *G, const doc_node *mc, const edge_pol_t *base, int pass, const char *what)
{
	const doc_node *nm = doc_get(mc, "name");
	uint32_t i;
	char shown[80];
	if (!nm || nm->kind != DOC_SEQ) {
		if (pass == 0)
			ctx_diag(G->c, DC_SEV_ERROR, nm ? nm : mc, "%s needs a 'name' array of {service, method}", what);
		return;
	}
	for (i = 0; i < nm->n && !G->rc; i++) {
		const doc_node *e = nm->u.kids[i], *sv, *me;
		edge_pol_t p = *base;
		size_t bad = 0;
		if (e->kind != DOC_MAP) {
			if (pass == 0)
				ctx_diag(G->c, DC_SEV_ERROR, e, "a name of %s must be an object {service, method}, not %s",
					 what, doc_type_name(e));
			continue;
		}
		sv = doc_get(e, "service");
		me = doc_get(e, "method");
		if (me && !doc_is_null(me) && (!doc_str(me) || !me->n))
			me = NULL;
		if ((me != NULL) != (pass == 1))
			continue;
		if (!sv || doc_is_null(sv) || (doc_str(sv) && !sv->n)) {
			if (me) {
				ctx_diag(G->c, DC_SEV_ERROR, e, "a name of %s with a method needs its service", what);
				continue;
			}
			/* the channel's default: whatever the channel targets */
			if (G->server) {
				emit(G, &p, cat_intern_n(G->c->cat, G->server->u.s, G->server->n), e);
			} else if (!G->default_noted++)
				ctx_diag(G->c, DC_SEV_NOTE, e, "%s applies to every service of the channel it configures, "
					 "which the config does not name (write x-depcheck.server): skipped", what);
			continue;
		}
		if (!doc_str(sv) || sv->kind != DOC_SCALAR) {
			ctx_diag(G->c, DC_SEV_ERROR, sv, "the service of a name of %s must be a string, not %s", what,
				 doc_type_name(sv));
			continue;
		}
		if (dc_text_check(sv->u.s, 0, &bad) || sv->n > 250) {
			ctx_diag(G->c, DC_SEV_ERROR, sv, "'%s' in %s is not a gRPC service name",
				 esc(sv->u.s, shown, sizeof(shown)), what);
			continue;
		}
		emit(G, &p, callee_of(G, sv, &p), sv);
	}
}

static void load_one(grpc_ld *G, const doc_node *root)
{
	const doc_node *mcs = doc_get(root, "methodConfig"), *rt = doc_get(root, "retryThrottling");
	long budget;
	uint32_t i;
	int pass;
	edge_pol_t *pols;
	if (read_marker(G, root) || G->rc)
		return;
	budget = throttling(G, rt);
	if (mcs && !doc_is_null(mcs) && mcs->kind != DOC_SEQ) {
		ctx_diag(G->c, DC_SEV_ERROR, mcs, "methodConfig must be an array, not %s", doc_type_name(mcs));
		return;
	}
	G->group = cat_new_group(G->c->cat);
	if (!mcs || doc_is_null(mcs) || !mcs->n)
		return;
	if (!(pols = calloc(mcs->n, sizeof(*pols)))) {
		G->rc = DC_ENOMEM;
		return;
	}
	for (i = 0; i < mcs->n && !G->rc; i++) {
		const doc_node *mc = mcs->u.kids[i];
		edge_pol_t *p = &pols[i];
		char w[64];
		if (mc->kind != DOC_MAP) {
			ctx_diag(G->c, DC_SEV_ERROR, mc, "a methodConfig entry must be an object, not %s",
				 doc_type_name(mc));
			continue;
		}
		snprintf(w, sizeof(w), "gRPC methodConfig %u", i + 1);
		if (!(p->what = cat_intern(G->c->cat, w))) {
			G->rc = DC_ENOMEM;
			break;
		}
		p->group = G->group;
		p->scoped = (uint8_t)G->scoped;
		p->callers = G->callers;
		p->ncallers = G->ncallers;
		p->caller_at = G->caller_at;
		method_settings(G, mc, w, budget >= 0 ? rt : NULL, budget >= 0 ? (uint32_t)budget : 0, p);
	}
	/* the service-wide entries first: they win over one method's */
	for (pass = 0; pass < 2 && !G->rc; pass++)
		for (i = 0; i < mcs->n && !G->rc; i++)
			if (mcs->u.kids[i]->kind == DOC_MAP && pols[i].what)
				names(G, mcs->u.kids[i], &pols[i], pass, cat_str(G->c->cat, pols[i].what));
	free(pols);
}

int load_grpc(load_ctx *c, const doc_stream *ds)
{
	grpc_ld G;
	size_t d;
	for (d = 0; d < ds->docs.len; d++) {
		const doc_node *root = ds->docs.items[d];
		if (!root || doc_is_null(root))
			continue;
		if (root->kind != DOC_MAP) {
			ctx_diag(c, DC_SEV_ERROR, root, "a gRPC service config must be an object, not %s",
				 doc_type_name(root));
			continue;
		}
		memset(&G, 0, sizeof(G));
		G.c = c;
		load_one(&G, root);
		if (G.rc)
			return ctx_fail(c, G.rc);
	}
	return c->status;
}
