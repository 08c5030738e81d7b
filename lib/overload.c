/*
 * overload.c - the load model (depcheck/overload.h, docs/load.md).
 *
 * The idea: a steady state is a fixed point of two sweeps over the
 * runtime dependencies in topological order.
 *  - Rates, callers first: the offered rate of a service is its entry
 *    traffic plus, over its callers u, u's accepted rate x calls x the
 *    expected attempts per call (retries on errors and timeouts, capped by
 *    a retry budget), less what u's circuit breaker rejects before sending.
 *  - Failures and times, callees first: a service past its capacity
 *    serves its capacity and the rest fails (with max_concurrency, at once;
 *    without, the queue grows and callers time out); a replica queues as
 *    M/M/1 below capacity; its response time adds its latency, the queue
 *    and, per stage, the slowest of its calls (attempts x attempt time); by
 *    Little's law that is its in-flight demand, and past max_concurrency
 *    the excess is rejected. A request fails when it is rejected or when a
 *    hard dependency (every member of an any_of group) fails after
 *    retries. A caller sees an attempt fail when the callee fails it or
 *    does not answer within the attempt's timeout (response times taken as
 *    exponential: the share e^(-timeout/mean)).
 * A rate takes full steps (Gauss-Seidel in the topological order: a DAG
 * of services far from their limits settles in a handful of passes) until
 * it oscillates or keeps growing; from then on it is damped (half steps,
 * shrinking ones after the 50th iteration), which makes the retry
 * feedback settle instead of oscillating. The iteration stops when the
 * undamped residual (the relative change a full step would make) is below
 * the tolerance, or at the maximum, and says which.
 *
 * Metastability: the state reached with the triggers is the start of a
 * solve without them; with retries at every layer the retry feedback has
 * two stable solutions (served, and saturated with every attempt timing
 * out), and a deterministic iteration that starts in the saturated one
 * stays there.
 *
 * Limits: every accepted request calls all its dependencies (a failed
 * first stage does not spare the later ones); retries are immediate (no
 * backoff); errors are answered at once; one mean per quantity, no
 * distributions beyond the exponential timeouts.
 */
#include "util.h"

#include <depcheck/overload.h>
#include <depcheck/catalog.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ITERATIONS 2000
/* The risk ranking's triggered solves, when the caller names no cap:
 * RISK_SOLVE_WORK / (services + dependencies) passes each, between
 * RISK_MIN_ITERATIONS and DEFAULT_ITERATIONS. A converging solve takes a
 * handful of passes; one that storms may never settle, and at 20,000
 * services two such solves of 2,000 passes each took a minute. The row
 * says the solve did not converge. */
#define RISK_SOLVE_WORK 10000000.0
#define RISK_MIN_ITERATIONS 50u
#define DEFAULT_TOLERANCE 1e-9
#define FIX_BUDGET 0.1

/* a rate's steps in a solve: full, full but the last one grew, damped */
#define STEP_FULL 0
#define STEP_GREW 1
#define STEP_DAMPED 2

/* a service's dependencies: more than one stage, any_of groups */
#define SHAPE_STAGES 1u
#define SHAPE_GROUPS 2u

/* x^k for a whole k >= 0 (attempts, calls): a few multiplications, not
 * pow(); pow() otherwise */
static double powi(double x, double k)
{
	double r = 1;
	unsigned i, n;
	if (k != floor(k) || k > 32 || k < 0)
		return pow(x, k);
	n = (unsigned)k;
	for (i = 0; i < n; i++)
		r *= x;
	return r;
}

/* A sort key from a solved figure: x to 24 significant bits (some 7
 * digits). The solve stops within its tolerance (1e-9), so two figures
 * equal in the model may differ in their last bits with the order the
 * iteration took; rounded, they tie and the tie-break (a name, an index)
 * decides, the same for any path to the fixed point. */
static double sort_key(double x)
{
	int e;
	double m;
	if (x == 0 || !isfinite(x))
		return x;
	m = frexp(x, &e);
	return ldexp(nearbyint(ldexp(m, 24)), e - 24);
}

/* ---- triggers ------------------------------------------------------------- */

struct dc_overload_triggers {
	const dc_catalog *cat;
	size_t n;           /* services */
	uint8_t *failed;
	double *slow_ms;    /* extra latency */
	double *cap_pct;    /* capacity change in percent (NAN: none) */
	double *cap_reps;   /* replicas left (NAN: none) */
	double surge;
	size_t count;
	char **text;        /* each trigger in words, in order */
};

static int add_text(dc_overload_triggers *t, const char *fmt, ...)
{
	char buf[600], *s, **grown;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(s = strdup(buf)))
		return DC_ENOMEM;
	if (!(grown = realloc(t->text, (t->count + 1) * sizeof(char *)))) {
		free(s);
		return DC_ENOMEM;
	}
	t->text = grown;
	t->text[t->count++] = s;
	return 0;
}

int dc_overload_triggers_new(dc_overload_triggers **out, const dc_catalog *cat)
{
	dc_overload_triggers *t;
	size_t i, n;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!cat)
		return DC_EINVALID;
	n = dc_catalog_service_count(cat);
	t = calloc(1, sizeof(*t));
	if (!t)
		return DC_ENOMEM;
	t->cat = cat;
	t->n = n;
	t->surge = 1;
	t->failed = calloc(n ? n : 1, 1);
	t->slow_ms = calloc(n ? n : 1, sizeof(double));
	t->cap_pct = malloc((n ? n : 1) * sizeof(double));
	t->cap_reps = malloc((n ? n : 1) * sizeof(double));
	if (!t->failed || !t->slow_ms || !t->cap_pct || !t->cap_reps) {
		dc_overload_triggers_free(t);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++)
		t->cap_pct[i] = t->cap_reps[i] = NAN;
	*out = t;
	return 0;
}

void dc_overload_triggers_free(dc_overload_triggers *t)
{
	if (!t)
		return;
	free(t->failed);
	free(t->slow_ms);
	free(t->cap_pct);
	free(t->cap_reps);
	while (t->count)
		free(t->text[--t->count]);
	free(t->text);
	free(t);
}

int dc_overload_trigger_fail(dc_overload_triggers *t, dc_id v)
{
	if (!t || v >= t->n)
		return DC_EINVALID;
	if (add_text(t, "%s fails", dc_service_name(t->cat, v)))
		return DC_ENOMEM;
	t->failed[v] = 1;
	return 0;
}

int dc_overload_trigger_slow(dc_overload_triggers *t, dc_id v, double extra_ms)
{
	if (!t || v >= t->n || !(extra_ms > 0 && extra_ms <= 1e9))
		return DC_EINVALID;
	if (add_text(t, "%s answers %.15g ms slower", dc_service_name(t->cat, v), extra_ms))
		return DC_ENOMEM;
	t->slow_ms[v] += extra_ms;
	return 0;
}

int dc_overload_trigger_surge(dc_overload_triggers *t, double k)
{
	if (!t || !(k > 0 && k <= 1e6))
		return DC_EINVALID;
	if (add_text(t, "traffic x%.15g", k))
		return DC_ENOMEM;
	t->surge *= k;
	return 0;
}

int dc_overload_trigger_capacity(dc_overload_triggers *t, dc_id v, double value, dc_overload_capacity_change how)
{
	if (!t || v >= t->n || dc_service_capacity_rps(t->cat, v) < 0)
		return DC_EINVALID;
	if (how == DC_OVERLOAD_CAPACITY_PERCENT) {
		if (!(value > -100 && value <= 1e6))
			return DC_EINVALID;
		if (add_text(t, "%s capacity %+.15g%%", dc_service_name(t->cat, v), value))
			return DC_ENOMEM;
		t->cap_pct[v] = value;
		t->cap_reps[v] = NAN;
	} else if (how == DC_OVERLOAD_CAPACITY_REPLICAS) {
		if (!(value >= 0 && value <= 1e6))
			return DC_EINVALID;
		if (add_text(t, "%s down to %.0f replica%s", dc_service_name(t->cat, v), floor(value),
			     floor(value) == 1 ? "" : "s"))
			return DC_ENOMEM;
		t->cap_reps[v] = floor(value);
		t->cap_pct[v] = NAN;
	} else {
		return DC_EINVALID;
	}
	return 0;
}

size_t dc_overload_trigger_count(const dc_overload_triggers *t) { return t ? t->count : 0; }

const char *dc_overload_trigger_text(const dc_overload_triggers *t, size_t i)
{
	return t && i < t->count ? t->text[i] : NULL;
}

unsigned dc_overload_trigger_of(const dc_overload_triggers *t, dc_id v)
{
	if (!t || v >= t->n)
		return 0;
	return (t->failed[v] ? DC_OVERLOAD_TRIGGER_FAIL : 0u) | (t->slow_ms[v] > 0 ? DC_OVERLOAD_TRIGGER_SLOW : 0u) |
	       (!isnan(t->cap_pct[v]) || !isnan(t->cap_reps[v]) ? DC_OVERLOAD_TRIGGER_CAPACITY : 0u);
}

double dc_overload_trigger_slow_ms(const dc_overload_triggers *t, dc_id v)
{
	return t && v < t->n ? t->slow_ms[v] : 0;
}

/* ---- the model's parameters ------------------------------------------------ */

/* What one solve reads: the catalog's values with or without triggers,
 * and with a candidate fix. */
typedef struct {
	size_t n, ne;
	double *lam0;      /* entry rps */
	double *cap;       /* total capacity rps; < 0 unbounded */
	double *svc_ms;    /* per-replica service time (1000 / capacity_rps); 0 unbounded */
	double *conc;      /* total concurrency limit; 0 unbounded */
	double *lat;       /* own latency, ms */
	uint8_t *failed;
	/* per dependency */
	uint8_t *run;      /* a runtime edge (not startup-only) */
	double *calls, *budget;   /* budget < 0: none */
	double *tmo, *deadline;   /* attempt timeout (0 = none), overall deadline (0 = none) */
	double *breaker;          /* pool limit (0 = none) */
	unsigned *retries;
} params;

/* One steady state. */
typedef struct {
	double *lam, *acc, *p, *W, *demand, *fdep;
	double *A, *f, *tau, *ob, *sent;
	int converged;
	unsigned iterations;
	double entry, lost;
} state;

struct dc_overload {
	const dc_graph *g;
	const dc_catalog *cat;
	const dc_overload_triggers *trig;
	size_t n, ne;
	dc_id *topo;         /* providers first */
	/* the catalog's structure, copied compact for the solve's inner loops */
	uint32_t *first, *nd;  /* per service: its dependencies first .. first + nd */
	dc_id *to;             /* per dependency: the callee */
	uint32_t *stage, *group;
	uint8_t *hard;         /* per dependency: DC_DEP_HARD */
	uint8_t *shape;        /* per service: SHAPE_* */
	uint8_t *mode;         /* per service: the solve's STEP_* (scratch) */
	double *step;          /* per service: the solve's last step (scratch) */
	params base, trg;
	state st[3];         /* DC_OVERLOAD_TRIGGERED, _BASELINE, _AFTER */
	int have_after;
	dc_id *over;
	size_t nover;
	size_t *retrying;
	size_t nretrying;
	uint8_t *cause;
	size_t *cause_dep;
	int metastable;
	size_t *sustain;
	size_t nsustain;
	dc_overload_fix fix;
	dc_overload_inputs inputs;
	size_t entry_observed;  /* entrypoints sending their observed rate */
	unsigned max_it;
	double tol;
};

static void params_free(params *p)
{
	free(p->lam0);
	free(p->cap);
	free(p->svc_ms);
	free(p->conc);
	free(p->lat);
	free(p->failed);
	free(p->run);
	free(p->calls);
	free(p->budget);
	free(p->tmo);
	free(p->deadline);
	free(p->breaker);
	free(p->retries);
	memset(p, 0, sizeof(*p));
}

static int params_alloc(params *p, size_t n, size_t ne)
{
	size_t a = n ? n : 1, b = ne ? ne : 1;
	p->n = n;
	p->ne = ne;
	p->lam0 = malloc(a * sizeof(double));
	p->cap = malloc(a * sizeof(double));
	p->svc_ms = malloc(a * sizeof(double));
	p->conc = malloc(a * sizeof(double));
	p->lat = malloc(a * sizeof(double));
	p->failed = calloc(a, 1);
	p->run = calloc(b, 1);
	p->calls = malloc(b * sizeof(double));
	p->budget = malloc(b * sizeof(double));
	p->tmo = malloc(b * sizeof(double));
	p->deadline = malloc(b * sizeof(double));
	p->breaker = malloc(b * sizeof(double));
	p->retries = malloc(b * sizeof(unsigned));
	if (!p->lam0 || !p->cap || !p->svc_ms || !p->conc || !p->lat || !p->failed || !p->run ||
	    !p->calls || !p->budget || !p->tmo || !p->deadline || !p->breaker || !p->retries)
		return DC_ENOMEM;
	return 0;
}

static int params_copy(params *dst, const params *src)
{
	size_t a = src->n ? src->n : 1, b = src->ne ? src->ne : 1;
	if (params_alloc(dst, src->n, src->ne))
		return DC_ENOMEM;
	memcpy(dst->lam0, src->lam0, a * sizeof(double));
	memcpy(dst->cap, src->cap, a * sizeof(double));
	memcpy(dst->svc_ms, src->svc_ms, a * sizeof(double));
	memcpy(dst->conc, src->conc, a * sizeof(double));
	memcpy(dst->lat, src->lat, a * sizeof(double));
	memcpy(dst->failed, src->failed, a);
	memcpy(dst->run, src->run, b);
	memcpy(dst->calls, src->calls, b * sizeof(double));
	memcpy(dst->budget, src->budget, b * sizeof(double));
	memcpy(dst->tmo, src->tmo, b * sizeof(double));
	memcpy(dst->deadline, src->deadline, b * sizeof(double));
	memcpy(dst->breaker, src->breaker, b * sizeof(double));
	memcpy(dst->retries, src->retries, b * sizeof(unsigned));
	return 0;
}

/* The baseline parameters from the catalog. */
static int params_read(params *p, const dc_catalog *cat, const dc_traffic *traffic, dc_overload_inputs *in,
		       size_t *observed)
{
	size_t n = dc_catalog_service_count(cat), ne = dc_catalog_dep_count(cat), v, d;
	if (params_alloc(p, n, ne))
		return DC_ENOMEM;
	memset(in, 0, sizeof(*in));
	*observed = 0;
	in->services = n;
	for (v = 0; v < n; v++) {
		double c1 = dc_service_capacity_rps(cat, (dc_id)v), tr = dc_service_traffic_rps(cat, (dc_id)v);
		unsigned reps = dc_service_replicas(cat, (dc_id)v), mc = dc_service_max_concurrency(cat, (dc_id)v);
		p->lam0[v] = tr > 0 ? tr : 0;
		p->cap[v] = c1 > 0 ? c1 * reps : -1;
		p->svc_ms[v] = c1 > 0 ? 1000.0 / c1 : 0;
		p->conc[v] = mc ? (double)mc * reps : 0;
		p->lat[v] = dc_service_latency_ms(cat, (dc_id)v);
		if (c1 <= 0)
			in->unbounded++;
		if (!mc)
			in->no_concurrency++;
		if (dc_service_is_entrypoint(cat, (dc_id)v)) {
			in->entrypoints++;
			/* none declared: the observed rate, when there is one */
			if (tr < 0 && traffic && dc_traffic_origin_of(traffic, (dc_id)v) == DC_TRAFFIC_OBSERVED) {
				p->lam0[v] = dc_traffic_rps(traffic, (dc_id)v);
				(*observed)++;
			} else if (tr < 0) {
				in->entry_no_traffic++;
			}
		}
	}
	for (d = 0; d < ne; d++) {
		double pt = dc_dep_setting_value(cat, d, DC_DEP_PER_TRY_TIMEOUT);
		double mr = dc_dep_setting_value(cat, d, DC_DEP_MAX_REQUESTS);
		double mconn = dc_dep_setting_value(cat, d, DC_DEP_MAX_CONNECTIONS);
		double mp = dc_dep_setting_value(cat, d, DC_DEP_MAX_PENDING);
		p->run[d] = dc_dep_to(cat, d) != DC_NO_ID && !dc_dep_is_startup(cat, d);
		p->calls[d] = dc_dep_setting_is_set(cat, d, DC_DEP_CALLS) ? dc_dep_setting_value(cat, d, DC_DEP_CALLS) : 1;
		p->budget[d] = dc_dep_setting_is_set(cat, d, DC_DEP_RETRY_BUDGET)
				       ? dc_dep_setting_value(cat, d, DC_DEP_RETRY_BUDGET) : -1;
		p->retries[d] = dc_dep_retries(cat, d);
		if (dc_dep_setting_is_set(cat, d, DC_DEP_PER_TRY_TIMEOUT) && pt > 0) {
			p->tmo[d] = pt;
			p->deadline[d] = dc_dep_setting_is_set(cat, d, DC_DEP_TIMEOUT) ? dc_dep_timeout_ms(cat, d) : 0;
		} else {
			p->tmo[d] = dc_dep_timeout_ms(cat, d);
			p->deadline[d] = 0;
		}
		/* a pool: requests in flight (HTTP/2), else connections plus queue */
		if (dc_dep_setting_is_set(cat, d, DC_DEP_MAX_REQUESTS) && mr > 0)
			p->breaker[d] = mr;
		else if (dc_dep_setting_is_set(cat, d, DC_DEP_MAX_CONNECTIONS) && mconn > 0)
			p->breaker[d] = mconn + (dc_dep_setting_is_set(cat, d, DC_DEP_MAX_PENDING) ? mp : 0);
		else
			p->breaker[d] = 0;
		if (p->run[d]) {
			in->runtime_deps++;
			if (dc_dep_setting_is_set(cat, d, DC_DEP_CALLS))
				in->calls_set++;
			if (p->breaker[d] > 0)
				in->breakers++;
		}
	}
	return 0;
}

static void params_apply(params *p, const dc_overload_triggers *t, const dc_catalog *cat)
{
	size_t v;
	if (!t)
		return;
	for (v = 0; v < p->n; v++) {
		double c1 = dc_service_capacity_rps(cat, (dc_id)v);
		unsigned mc = dc_service_max_concurrency(cat, (dc_id)v);
		p->lam0[v] *= t->surge;
		p->failed[v] = t->failed[v];
		p->lat[v] += t->slow_ms[v];
		if (!isnan(t->cap_pct[v])) {
			p->cap[v] *= 1 + t->cap_pct[v] / 100;
			p->conc[v] *= 1 + t->cap_pct[v] / 100;
		} else if (!isnan(t->cap_reps[v])) {
			p->cap[v] = c1 * t->cap_reps[v];
			p->conc[v] = mc ? mc * t->cap_reps[v] : 0;
			if (mc && p->conc[v] == 0)
				p->conc[v] = -1; /* no replica: no slot (0 would read unbounded) */
		}
	}
}

/* ---- one solve ---------------------------------------------------------------- */

static void state_free(state *s)
{
	free(s->lam);
	free(s->acc);
	free(s->p);
	free(s->W);
	free(s->demand);
	free(s->fdep);
	free(s->A);
	free(s->f);
	free(s->tau);
	free(s->ob);
	free(s->sent);
	memset(s, 0, sizeof(*s));
}

static int state_alloc(state *s, size_t n, size_t ne)
{
	size_t a = n ? n : 1, b = ne ? ne : 1, i;
	s->lam = calloc(a, sizeof(double));
	s->acc = malloc(a * sizeof(double));
	s->p = calloc(a, sizeof(double));
	s->W = calloc(a, sizeof(double));
	s->demand = calloc(a, sizeof(double));
	s->fdep = calloc(a, sizeof(double));
	s->A = malloc(b * sizeof(double));
	s->f = calloc(b, sizeof(double));
	s->tau = calloc(b, sizeof(double));
	s->ob = malloc(b * sizeof(double));
	s->sent = calloc(b, sizeof(double));
	if (!s->lam || !s->acc || !s->p || !s->W || !s->demand || !s->fdep || !s->A || !s->f || !s->tau ||
	    !s->ob || !s->sent)
		return DC_ENOMEM;
	for (i = 0; i < a; i++)
		s->acc[i] = 1;
	for (i = 0; i < b; i++)
		s->A[i] = s->ob[i] = 1;
	return 0;
}

static void state_copy(state *dst, const state *src, size_t n, size_t ne)
{
	size_t a = n ? n : 1, b = ne ? ne : 1;
	memcpy(dst->lam, src->lam, a * sizeof(double));
	memcpy(dst->acc, src->acc, a * sizeof(double));
	memcpy(dst->p, src->p, a * sizeof(double));
	memcpy(dst->W, src->W, a * sizeof(double));
	memcpy(dst->demand, src->demand, a * sizeof(double));
	memcpy(dst->fdep, src->fdep, a * sizeof(double));
	memcpy(dst->A, src->A, b * sizeof(double));
	memcpy(dst->f, src->f, b * sizeof(double));
	memcpy(dst->tau, src->tau, b * sizeof(double));
	memcpy(dst->ob, src->ob, b * sizeof(double));
	memcpy(dst->sent, src->sent, b * sizeof(double));
}

/* Dependency d (caller to callee w) from w's state: attempts per call, the
 * share of calls that fail after them, the mean attempt time and the share
 * the caller's breaker lets through. */
static void edge_update(const params *P, state *s, size_t d, dc_id w)
{
	double T = P->tmo[d], Ww = s->W[w], pw = s->p[w], pt, q, A, f, emin, ob = 1, r1;
	if (isinf(Ww))
		pt = T > 0 ? 1 : 0;
	else if (Ww <= 0 || T <= 0)
		pt = 0;
	else
		pt = exp(-T / Ww);
	/* E[min(S, T)] for S exponential with mean Ww: Ww (1 - e^(-T/Ww)),
	 * the same e^(-T/Ww) as pt */
	if (T <= 0)
		emin = Ww;
	else if (isinf(Ww))
		emin = T;
	else if (Ww <= 0)
		emin = 0;
	else
		emin = Ww * (1 - pt);
	emin *= s->acc[w]; /* rejected attempts come back at once */
	if (P->failed[w])
		emin = 0;
	if (P->breaker[d] > 0 && !isinf(emin)) {
		double inflight = s->sent[d] * emin / 1000;
		if (inflight > P->breaker[d])
			ob = P->breaker[d] / inflight;
	}
	q = 1 - (1 - pw) * (1 - pt) * ob;
	if (q < 0)
		q = 0;
	r1 = (double)P->retries[d] + 1;
	if (q >= 1 - 1e-12)
		A = r1;
	else
		A = (1 - powi(q, r1)) / (1 - q);
	if (P->budget[d] >= 0 && A > 1 + P->budget[d])
		A = 1 + P->budget[d];
	/* each retry succeeds with 1 - q and ends the call: the failures left */
	f = q - (A - 1) * (1 - q);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	s->A[d] = A;
	s->f[d] = f;
	s->ob[d] = ob;
	s->tau[d] = emin * ob;
}

/* Service v from its dependencies' state (already updated): failures of
 * hard dependencies, time waiting on them, then its own limits. Returns
 * the largest change of its failure and accepted shares. */
static double svc_update(const dc_overload *L, const params *P, state *s, dc_id v)
{
	size_t first = L->first[v], nd = L->nd[v], i, j;
	double ok = 1, D = 0, stage_max = 0, W, rho, acc, acc_c = 1, demand, p, old_p = s->p[v], old_a = s->acc[v];
	unsigned stage = 0;
	int have_stage = 0;
	for (i = first; i < first + nd; i++)
		if (P->run[i])
			edge_update(P, s, i, L->to[i]);
	/* hard dependencies and any_of groups */
	for (i = first; i < first + nd; i++) {
		unsigned g;
		if (!P->run[i] || !L->hard[i])
			continue;
		g = L->group[i];
		if (!g) {
			ok *= powi(1 - s->f[i], P->calls[i]);
		} else {
			/* the first member of the group accounts for it */
			double all = 1;
			int firstm = 1;
			for (j = first; j < i; j++)
				if (P->run[j] && L->group[j] == g)
					firstm = 0;
			if (!firstm)
				continue;
			for (j = i; j < first + nd; j++)
				if (P->run[j] && L->group[j] == g)
					all *= 1 - powi(1 - s->f[j], P->calls[j]);
			ok *= 1 - all;
		}
	}
	/* time on dependencies: per stage the slowest, stages add (collected
	 * by stage value: the dependencies need not be in stage order); one
	 * stage, the common case, in one pass */
	if (!(L->shape[v] & SHAPE_STAGES)) {
		for (i = first; i < first + nd; i++) {
			double t;
			if (!P->run[i])
				continue;
			t = s->A[i] * s->tau[i];
			if (P->deadline[i] > 0 && t > P->deadline[i])
				t = P->deadline[i];
			t *= P->calls[i];
			if (t > D)
				D = t;
		}
	} else {
		for (;;) {
			unsigned next = UINT32_MAX;
			for (i = first; i < first + nd; i++) {
				unsigned st = L->stage[i];
				if (P->run[i] && (!have_stage || st > stage) && st < next)
					next = st;
			}
			if (next == UINT32_MAX)
				break;
			stage = next;
			have_stage = 1;
			stage_max = 0;
			for (i = first; i < first + nd; i++) {
				double t;
				if (!P->run[i] || L->stage[i] != stage)
					continue;
				t = s->A[i] * s->tau[i];
				if (P->deadline[i] > 0 && t > P->deadline[i])
					t = P->deadline[i];
				t *= P->calls[i];
				if (t > stage_max)
					stage_max = t;
			}
			D += stage_max;
		}
	}
	s->fdep[v] = 1 - ok;
	if (P->failed[v]) {
		s->acc[v] = 0;
		s->p[v] = 1;
		s->W[v] = 0;
		s->demand[v] = 0;
	} else {
		double lam = s->lam[v], C = P->cap[v], K = P->conc[v];
		double wq = 0;
		rho = C < 0 ? 0 : C == 0 ? (lam > 0 ? INFINITY : 0) : lam / C;
		acc = rho > 1 ? 1 / rho : 1;
		if (C == 0) {
			wq = 0; /* no replica: refused at once */
		} else if (C > 0 && rho >= 1) {
			/* past capacity: with a limit the slots fill and wait K / C,
			 * without one the queue grows and nobody is answered in time */
			wq = K > 0 ? K * 1000 / C : (lam > 0 ? INFINITY : 0);
		} else if (C > 0) {
			wq = P->svc_ms[v] * rho / (1 - rho);
			if (K > 0 && wq > K * 1000 / C)
				wq = K * 1000 / C;
		}
		W = P->lat[v] + wq + D;
		if (K > 0 && C >= 0 && rho >= 1 && W > P->lat[v] + D)
			W = wq > P->lat[v] + D ? wq : P->lat[v] + D;
		demand = lam * acc * W / 1000;
		if (isnan(demand))
			demand = 0;
		if (K < 0) {
			acc_c = 0;
		} else if (K > 0 && demand > K) {
			acc_c = K / demand;
		}
		if (acc_c < acc)
			acc = acc_c;
		p = 1 - acc * ok;
		s->acc[v] = acc;
		s->p[v] = p;
		s->W[v] = W;
		s->demand[v] = demand;
	}
	{
		double d1 = fabs(s->p[v] - old_p), d2 = fabs(s->acc[v] - old_a);
		return d1 > d2 ? d1 : d2;
	}
}

static void solve(const dc_overload *L, const params *P, state *s)
{
	size_t n = L->n, i, it;
	uint8_t *mode = L->mode;
	double *step = L->step;
	s->converged = 0;
	memset(mode, STEP_FULL, n ? n : 1);
	for (i = 0; i < n; i++)
		step[i] = 0;
	for (it = 1; it <= L->max_it; it++) {
		/* a full step for every rate until it turns back or grows; from
		 * then on half steps for that rate, and shrinking ones after the 50th
		 * iteration (a kink of the saturation can make half steps
		 * cycle); convergence is judged on the undamped residual, not
		 * on the step */
		double change = 0, damp = it <= 50 ? 0.5 : 25.0 / (double)it;
		/* failures and times, callees first */
		for (i = 0; i < n; i++) {
			double c = svc_update(L, P, s, L->topo[i]);
			if (c > change)
				change = c;
		}
		/* rates, callers first */
		for (i = n; i-- > 0;) {
			dc_id v = L->topo[i];
			const dc_id *from;
			const uint32_t *edges;
			size_t k, nin = dc_graph_in(L->g, v, &from, &edges);
			double lam = P->lam0[v], old = s->lam[v], rel, d;
			for (k = 0; k < nin; k++) {
				size_t e = edges[k];
				dc_id u = from[k];
				double sent;
				if (!P->run[e])
					continue;
				sent = P->failed[u] ? 0 : s->lam[u] * s->acc[u] * P->calls[e] * s->A[e];
				s->sent[e] = sent;
				lam += sent * s->ob[e];
			}
			d = lam - old;
			rel = fabs(d) / (old > 1 ? old : 1);
			/* turned back by a third of the last step or more (an
			 * oscillation: half steps converge faster there), or a step
			 * larger than the last twice running (a rate that grows
			 * without end): damped from now on. A step larger than the
			 * last once is most often a change arriving late from
			 * further up */
			if (rel > L->tol && it > 2 && mode[v] != STEP_DAMPED) {
				if (d * step[v] < 0 && 3 * fabs(d) >= fabs(step[v]))
					mode[v] = STEP_DAMPED;
				else if (fabs(d) > fabs(step[v]))
					mode[v] = mode[v] == STEP_GREW ? STEP_DAMPED : STEP_GREW;
				else
					mode[v] = STEP_FULL;
			}
			if (rel > L->tol)
				step[v] = d;
			s->lam[v] = old + (mode[v] == STEP_DAMPED ? damp : 1.0) * d;
			if (!(rel <= change))
				change = rel; /* NaN (a rate grown past infinity) too */
		}
		if (it > 1 && change <= L->tol) {
			s->converged = 1;
			break;
		}
	}
	s->iterations = (unsigned)(it > L->max_it ? L->max_it : it);
	/* the times and failures of the last rates */
	for (i = 0; i < n; i++)
		svc_update(L, P, s, L->topo[i]);
	s->entry = s->lost = 0;
	for (i = 0; i < n; i++) {
		if (P->lam0[i] <= 0)
			continue;
		s->entry += P->lam0[i];
		/* users wait without a timeout: what fails, or never comes back */
		s->lost += P->lam0[i] * (isinf(s->W[i]) ? 1 : s->p[i]);
	}
}

/* ---- results ---------------------------------------------------------------------- */

static int overloaded_in(const dc_overload *l, const params *P, const state *s, dc_id v)
{
	if (P->failed[v])
		return 0;
	if (P->cap[v] >= 0 && s->lam[v] > P->cap[v] * (1 + 1e-9) && s->lam[v] > 1e-12)
		return 1;
	if (P->conc[v] > 0 && s->demand[v] > P->conc[v] * (1 + 1e-9))
		return 1;
	if (isinf(s->W[v]) && s->lam[v] > 1e-12)
		return 1;
	(void)l;
	return 0;
}

static const params *params_of(const dc_overload *l, dc_overload_state st)
{
	return st == DC_OVERLOAD_TRIGGERED ? &l->trg : &l->base;
}

static double util_in(const params *P, const state *s, dc_id v)
{
	double u = 0;
	if (P->cap[v] > 0)
		u = s->lam[v] / P->cap[v];
	else if (P->cap[v] == 0 && s->lam[v] > 0)
		return -1;
	if (P->conc[v] > 0) {
		if (isinf(s->demand[v]))
			return -1;
		if (s->demand[v] / P->conc[v] > u)
			u = s->demand[v] / P->conc[v];
	}
	return u;
}

typedef struct {
	double u;
	const char *name;
	dc_id id;
} over_key;

static int cmp_over(const void *a, const void *b)
{
	const over_key *x = a, *y = b;
	if (x->u != y->u)
		return x->u > y->u ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Retries/s on d; below 0.1 % of the calls (the tail of a healthy
 * callee's timeouts) they count as none. */
static double retry_rps(const state *s, size_t d)
{
	return s->A[d] > 1.001 ? s->sent[d] * (1 - 1 / s->A[d]) : 0;
}

typedef struct {
	double r;
	size_t d;
} retry_key;

static int cmp_retry(const void *a, const void *b)
{
	const retry_key *x = a, *y = b;
	if (x->r != y->r)
		return x->r > y->r ? -1 : 1;
	return x->d < y->d ? -1 : x->d > y->d;
}

/* Sort dependencies by their retries/s in s, most first, then by index. */
static int sort_by_retries(size_t *deps, size_t k, const state *s)
{
	retry_key *keys;
	size_t i;
	if (k < 2)
		return 0;
	if (!(keys = malloc(k * sizeof(*keys))))
		return DC_ENOMEM;
	for (i = 0; i < k; i++) {
		keys[i].r = sort_key(retry_rps(s, deps[i]));
		keys[i].d = deps[i];
	}
	qsort(keys, k, sizeof(*keys), cmp_retry);
	for (i = 0; i < k; i++)
		deps[i] = keys[i].d;
	free(keys);
	return 0;
}

static int sort_overloaded(dc_overload *l)
{
	over_key *keys;
	size_t i, k = l->nover;
	if (k < 2)
		return 0;
	if (!(keys = malloc(k * sizeof(*keys))))
		return DC_ENOMEM;
	for (i = 0; i < k; i++) {
		double u = util_in(&l->trg, &l->st[DC_OVERLOAD_TRIGGERED], l->over[i]);
		keys[i].u = u < 0 ? INFINITY : sort_key(u);
		keys[i].name = dc_service_name(l->cat, l->over[i]);
		keys[i].id = l->over[i];
	}
	qsort(keys, k, sizeof(*keys), cmp_over);
	for (i = 0; i < k; i++)
		l->over[i] = keys[i].id;
	free(keys);
	return 0;
}

/* The incoming runtime edge of v with the most retries/s in s. */
static size_t top_retry_in(const dc_overload *l, const params *P, const state *s, dc_id v)
{
	const dc_id *from;
	const uint32_t *edges;
	size_t k, nin = dc_graph_in(l->g, v, &from, &edges), best = SIZE_MAX;
	double br = 0;
	for (k = 0; k < nin; k++) {
		double r;
		if (!P->run[edges[k]])
			continue;
		r = sort_key(retry_rps(s, edges[k]));
		if (r > br + 1e-12 || (r > 1e-12 && r == br && edges[k] < best)) {
			br = r;
			best = edges[k];
		}
	}
	return best;
}

static void find_causes(dc_overload *l)
{
	const state *s = &l->st[DC_OVERLOAD_TRIGGERED], *b = &l->st[DC_OVERLOAD_BASELINE];
	size_t i;
	for (i = 0; i < l->nover; i++) {
		dc_id v = l->over[i];
		size_t e = top_retry_in(l, &l->trg, s, v);
		int by_conc = l->trg.conc[v] > 0 && s->demand[v] > l->trg.conc[v] * (1 + 1e-9) &&
			      !(l->trg.cap[v] >= 0 && s->lam[v] > l->trg.cap[v] * (1 + 1e-9));
		l->cause_dep[v] = SIZE_MAX;
		if (by_conc) {
			/* in flight: the dependency whose wait grew most over the
			 * baseline (the slowdown), else the one it waits on longest */
			size_t first = dc_service_dep_first(l->cat, v), nd = dc_service_dep_count(l->cat, v), d;
			double bt = -1, bg = 0;
			size_t grown = SIZE_MAX;
			for (d = first; d < first + nd; d++) {
				double t = l->trg.run[d] ? s->A[d] * s->tau[d] * l->trg.calls[d] : -1;
				double t0 = l->base.run[d] ? b->A[d] * b->tau[d] * l->base.calls[d] : 0;
				if (t > bt) {
					bt = t;
					l->cause_dep[v] = d;
				}
				if (t - t0 > bg * (1 + 1e-9) + 1e-9) {
					bg = t - t0;
					grown = d;
				}
			}
			if (grown != SIZE_MAX)
				l->cause_dep[v] = grown;
			l->cause[v] = l->cause_dep[v] != SIZE_MAX ? DC_OVERLOAD_CAUSE_SLOW : DC_OVERLOAD_CAUSE_TRAFFIC;
		} else if (e != SIZE_MAX && retry_rps(s, e) > 1e-9 * s->lam[v]) {
			l->cause[v] = DC_OVERLOAD_CAUSE_RETRIES;
			l->cause_dep[v] = e;
		} else if (l->trig && (!isnan(l->trig->cap_pct[v]) || !isnan(l->trig->cap_reps[v])) &&
			   !overloaded_in(l, &l->base, b, v)) {
			l->cause[v] = DC_OVERLOAD_CAUSE_CAPACITY;
		} else {
			l->cause[v] = DC_OVERLOAD_CAUSE_TRAFFIC;
		}
	}
}

/* Services overloaded in `s` that the baseline does not overload. */
static size_t new_overloads(const dc_overload *l, const params *P, const state *s)
{
	size_t v, k = 0;
	for (v = 0; v < l->n; v++)
		if (overloaded_in(l, P, s, (dc_id)v) && !overloaded_in(l, &l->base, &l->st[DC_OVERLOAD_BASELINE], (dc_id)v))
			k++;
	return k;
}

/* Solve without the triggers, with P, from the triggered state: is
 * anything still overloaded that the baseline is not? -1 on ENOMEM. */
static int still_overloaded(dc_overload *l, const params *P, state *tmp)
{
	state_copy(tmp, &l->st[DC_OVERLOAD_TRIGGERED], l->n, l->ne);
	solve(l, P, tmp);
	return new_overloads(l, P, tmp) > 0;
}

static int decide_metastability(dc_overload *l)
{
	state *a = &l->st[DC_OVERLOAD_AFTER], tmp;
	params fx;
	size_t v, k = 0, top;
	int rc = 0;
	state_copy(a, &l->st[DC_OVERLOAD_TRIGGERED], l->n, l->ne);
	solve(l, &l->base, a);
	l->have_after = 1;
	l->metastable = new_overloads(l, &l->base, a) > 0;
	l->fix.kind = DC_OVERLOAD_FIX_NONE;
	l->fix.dep = SIZE_MAX;
	l->fix.service = DC_NO_ID;
	l->fix.value = 0;
	if (!l->metastable)
		return 0;
	/* the retries into services still overloaded */
	for (v = 0; v < l->n; v++) {
		const dc_id *from;
		const uint32_t *edges;
		size_t j, nin;
		if (!overloaded_in(l, &l->base, a, (dc_id)v))
			continue;
		nin = dc_graph_in(l->g, (dc_id)v, &from, &edges);
		for (j = 0; j < nin; j++)
			if (l->base.run[edges[j]] && retry_rps(a, edges[j]) > 1e-9)
				l->sustain[k++] = edges[j];
	}
	l->nsustain = k;
	memset(&tmp, 0, sizeof(tmp));
	memset(&fx, 0, sizeof(fx));
	if (sort_by_retries(l->sustain, k, a) || state_alloc(&tmp, l->n, l->ne) || params_copy(&fx, &l->base)) {
		rc = DC_ENOMEM;
		goto out;
	}
	top = k ? l->sustain[0] : SIZE_MAX;
	if (top != SIZE_MAX && (fx.budget[top] < 0 || fx.budget[top] > FIX_BUDGET)) {
		double was = fx.budget[top];
		fx.budget[top] = FIX_BUDGET;
		if (!still_overloaded(l, &fx, &tmp)) {
			l->fix.kind = DC_OVERLOAD_FIX_RETRY_BUDGET;
			l->fix.dep = top;
			l->fix.value = FIX_BUDGET;
			goto out;
		}
		fx.budget[top] = was;
	}
	if (top != SIZE_MAX && fx.retries[top] > 0) {
		fx.retries[top]--;
		if (!still_overloaded(l, &fx, &tmp)) {
			l->fix.kind = DC_OVERLOAD_FIX_FEWER_RETRIES;
			l->fix.dep = top;
			l->fix.value = fx.retries[top];
			goto out;
		}
		fx.retries[top]++;
	}
	{
		/* replicas of the most utilised service with a capacity */
		dc_id best = DC_NO_ID;
		double bu = 0;
		for (v = 0; v < l->n; v++) {
			double u = l->base.cap[v] > 0 ? a->lam[v] / l->base.cap[v] : 0;
			if (u > bu * (1 + 1e-12)) {
				bu = u;
				best = (dc_id)v;
			}
		}
		if (best != DC_NO_ID && bu > 1) {
			double c1 = dc_service_capacity_rps(l->cat, best);
			unsigned reps = dc_service_replicas(l->cat, best), mc = dc_service_max_concurrency(l->cat, best);
			double more = ceil(a->lam[best] / c1 - 1e-9) - reps;
			if (more < 1)
				more = 1;
			fx.cap[best] = c1 * (reps + more);
			if (mc)
				fx.conc[best] = (double)mc * (reps + more);
			if (!still_overloaded(l, &fx, &tmp)) {
				l->fix.kind = DC_OVERLOAD_FIX_REPLICAS;
				l->fix.service = best;
				l->fix.value = more;
			}
		}
	}
out:
	state_free(&tmp);
	params_free(&fx);
	return rc;
}

void dc_overload_free(dc_overload *l)
{
	int i;
	if (!l)
		return;
	params_free(&l->base);
	params_free(&l->trg);
	for (i = 0; i < 3; i++)
		state_free(&l->st[i]);
	free(l->topo);
	free(l->first);
	free(l->nd);
	free(l->to);
	free(l->stage);
	free(l->group);
	free(l->hard);
	free(l->shape);
	free(l->mode);
	free(l->step);
	free(l->over);
	free(l->retrying);
	free(l->cause);
	free(l->cause_dep);
	free(l->sustain);
	free(l);
}

/* Everything a solve reads: the parameters with and without t, the
 * order, the edges that close cycles without declared calls. 0 or
 * DC_ENOMEM (l is then freed by the caller). */
static int setup(dc_overload *l, const dc_graph *g, const dc_overload_triggers *t, const dc_overload_options *opts)
{
	dc_scc *scc = NULL;
	uint8_t *keep = NULL;
	size_t i;
	int rc = DC_ENOMEM, i3;
	l->g = g;
	l->cat = dc_graph_catalog(g);
	l->trig = t;
	l->n = dc_catalog_service_count(l->cat);
	l->ne = dc_catalog_dep_count(l->cat);
	l->max_it = opts && opts->max_iterations ? opts->max_iterations : DEFAULT_ITERATIONS;
	l->tol = opts && opts->tolerance > 0 ? opts->tolerance : DEFAULT_TOLERANCE;
	l->metastable = -1;
	l->fix.kind = DC_OVERLOAD_FIX_NONE;
	l->fix.dep = SIZE_MAX;
	l->fix.service = DC_NO_ID;
	if (params_read(&l->base, l->cat, opts && opts->version >= 2 ? opts->traffic : NULL, &l->inputs,
			&l->entry_observed) ||
	    params_copy(&l->trg, &l->base))
		goto fail;
	params_apply(&l->trg, t, l->cat);
	for (i3 = 0; i3 < 3; i3++)
		if (state_alloc(&l->st[i3], l->n, l->ne))
			goto fail;
	l->topo = malloc((l->n ? l->n : 1) * sizeof(dc_id));
	l->over = malloc((l->n ? l->n : 1) * sizeof(dc_id));
	l->cause = calloc(l->n ? l->n : 1, 1);
	l->cause_dep = malloc((l->n ? l->n : 1) * sizeof(size_t));
	l->retrying = malloc((l->ne ? l->ne : 1) * sizeof(size_t));
	l->sustain = malloc((l->ne ? l->ne : 1) * sizeof(size_t));
	keep = malloc(l->ne ? l->ne : 1);
	l->first = malloc((l->n ? l->n : 1) * sizeof(uint32_t));
	l->nd = malloc((l->n ? l->n : 1) * sizeof(uint32_t));
	l->shape = calloc(l->n ? l->n : 1, 1);
	l->to = malloc((l->ne ? l->ne : 1) * sizeof(dc_id));
	l->stage = malloc((l->ne ? l->ne : 1) * sizeof(uint32_t));
	l->group = malloc((l->ne ? l->ne : 1) * sizeof(uint32_t));
	l->hard = malloc(l->ne ? l->ne : 1);
	l->mode = malloc(l->n ? l->n : 1);
	l->step = malloc((l->n ? l->n : 1) * sizeof(double));
	if (!l->mode || !l->step || !l->topo || !l->over || !l->cause || !l->cause_dep || !l->retrying || !l->sustain || !keep ||
	    !l->first || !l->nd || !l->shape || !l->to || !l->stage || !l->group || !l->hard)
		goto fail;
	for (i = 0; i < l->ne; i++) {
		l->to[i] = dc_dep_to(l->cat, i);
		l->stage[i] = dc_dep_stage(l->cat, i);
		l->group[i] = dc_dep_group(l->cat, i);
		l->hard[i] = dc_dep_kind_of(l->cat, i) == DC_DEP_HARD;
	}
	for (i = 0; i < l->n; i++) {
		size_t d, s0 = SIZE_MAX;
		l->first[i] = (uint32_t)dc_service_dep_first(l->cat, (dc_id)i);
		l->nd[i] = (uint32_t)dc_service_dep_count(l->cat, (dc_id)i);
		for (d = l->first[i]; d < (size_t)l->first[i] + l->nd[i]; d++) {
			if (!l->base.run[d])
				continue;
			if (l->hard[d] && l->group[d])
				l->shape[i] |= SHAPE_GROUPS;
			if (s0 == SIZE_MAX)
				s0 = l->stage[d];
			else if (l->stage[d] != s0)
				l->shape[i] |= SHAPE_STAGES;
		}
	}
	for (i = 0; i < l->ne; i++)
		keep[i] = l->base.run[i];
	if ((rc = dc_scc_compute_edges(&scc, g, keep)) != 0)
		goto fail;
	rc = DC_ENOMEM;
	dc_scc_topo_order(scc, l->topo);
	{
		/* A cycle none of whose dependencies declares its calls: the
		 * edges that close it (inside the component, toward a service not
		 * before its caller in the order) carry no load. A request cannot
		 * call itself forever, and a loop in a call graph is most often
		 * another kind of request (a cache refill, an event); a cycle with
		 * declared calls is iterated as declared */
		uint32_t *pos = malloc((l->n ? l->n : 1) * sizeof(uint32_t));
		uint8_t *declared = calloc(dc_scc_count(scc) ? dc_scc_count(scc) : 1, 1);
		if (!pos || !declared) {
			free(pos);
			free(declared);
			goto fail;
		}
		for (i = 0; i < l->n; i++)
			pos[l->topo[i]] = (uint32_t)i;
		for (i = 0; i < l->ne; i++) {
			dc_id u = dc_dep_from(l->cat, i), w = dc_dep_to(l->cat, i);
			if (l->base.run[i] && dc_scc_of(scc, u) == dc_scc_of(scc, w) &&
			    dc_dep_setting_is_set(l->cat, i, DC_DEP_CALLS))
				declared[dc_scc_of(scc, u)] = 1;
		}
		for (i = 0; i < l->ne; i++) {
			dc_id u = dc_dep_from(l->cat, i), w = dc_dep_to(l->cat, i);
			if (!l->base.run[i] || dc_scc_of(scc, u) != dc_scc_of(scc, w) || pos[w] < pos[u] ||
			    declared[dc_scc_of(scc, u)])
				continue;
			l->base.calls[i] = l->trg.calls[i] = 0;
			l->inputs.cycle_edges++;
		}
		free(pos);
		free(declared);
	}
	for (i = 0; i < l->n; i++)
		l->cause_dep[i] = SIZE_MAX;
	rc = 0;
fail:
	free(keep);
	dc_scc_free(scc);
	return rc;
}

static int bad_args(const dc_graph *g, const dc_overload_triggers *t, const dc_overload_options *opts)
{
	return !g || (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_OVERLOAD_OPTIONS_VERSION)) ||
	       (t && t->cat != dc_graph_catalog(g)) || (opts && (opts->tolerance < 0 || isnan(opts->tolerance))) ||
	       (opts && opts->version >= 2 && opts->traffic &&
		dc_traffic_count(opts->traffic) != dc_catalog_service_count(dc_graph_catalog(g)));
}

int dc_overload_run(dc_overload **out, const dc_graph *g, const dc_overload_triggers *t, const dc_overload_options *opts)
{
	dc_overload *l;
	size_t i, k;
	int rc;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (bad_args(g, t, opts))
		return DC_EINVALID;
	if (!(l = calloc(1, sizeof(*l))))
		return DC_ENOMEM;
	if ((rc = setup(l, g, t, opts)) != 0)
		goto fail;
	solve(l, &l->base, &l->st[DC_OVERLOAD_BASELINE]);
	if (t && t->count) {
		solve(l, &l->trg, &l->st[DC_OVERLOAD_TRIGGERED]);
	} else {
		/* no trigger: the same parameters, the same deterministic solve */
		state *dst = &l->st[DC_OVERLOAD_TRIGGERED];
		const state *src = &l->st[DC_OVERLOAD_BASELINE];
		state_copy(dst, src, l->n, l->ne);
		dst->converged = src->converged;
		dst->iterations = src->iterations;
		dst->entry = src->entry;
		dst->lost = src->lost;
	}
	for (i = k = 0; i < l->n; i++)
		if (overloaded_in(l, &l->trg, &l->st[DC_OVERLOAD_TRIGGERED], (dc_id)i))
			l->over[k++] = (dc_id)i;
	l->nover = k;
	if ((rc = sort_overloaded(l)) != 0)
		goto fail;
	for (i = k = 0; i < l->ne; i++)
		if (l->trg.run[i] && retry_rps(&l->st[DC_OVERLOAD_TRIGGERED], i) > 1e-9)
			l->retrying[k++] = i;
	l->nretrying = k;
	if ((rc = sort_by_retries(l->retrying, k, &l->st[DC_OVERLOAD_TRIGGERED])) != 0)
		goto fail;
	find_causes(l);
	if (t && t->count && (!opts || (opts->flags & DC_OVERLOAD_METASTABILITY)) &&
	    (rc = decide_metastability(l)) != 0)
		goto fail;
	*out = l;
	return 0;
fail:
	dc_overload_free(l);
	return rc ? rc : DC_ENOMEM;
}

/* ---- accessors ---------------------------------------------------------------- */

const dc_graph *dc_overload_graph(const dc_overload *l) { return l ? l->g : NULL; }
const dc_overload_triggers *dc_overload_triggers_of(const dc_overload *l) { return l ? l->trig : NULL; }

static const state *st_of(const dc_overload *l, dc_overload_state st)
{
	if (!l || (unsigned)st > DC_OVERLOAD_AFTER)
		return NULL;
	if (st == DC_OVERLOAD_AFTER && !l->have_after)
		return &l->st[DC_OVERLOAD_BASELINE];
	return &l->st[st];
}

#define SVC_OK(l, st, v) (st_of(l, st) && (v) < (l)->n)

double dc_overload_offered_rps(const dc_overload *l, dc_overload_state st, dc_id v)
{
	return SVC_OK(l, st, v) ? st_of(l, st)->lam[v] : 0;
}

double dc_overload_capacity(const dc_overload *l, dc_overload_state st, dc_id v)
{
	return SVC_OK(l, st, v) ? params_of(l, st)->cap[v] : -1;
}

double dc_overload_in_flight(const dc_overload *l, dc_overload_state st, dc_id v)
{
	double d;
	if (!SVC_OK(l, st, v))
		return 0;
	d = st_of(l, st)->demand[v];
	return isinf(d) ? -1 : d;
}

double dc_overload_concurrency_limit(const dc_overload *l, dc_overload_state st, dc_id v)
{
	double k;
	if (!SVC_OK(l, st, v))
		return 0;
	k = params_of(l, st)->conc[v];
	return k < 0 ? 0 : k;
}

double dc_overload_utilization(const dc_overload *l, dc_overload_state st, dc_id v)
{
	return SVC_OK(l, st, v) ? util_in(params_of(l, st), st_of(l, st), v) : 0;
}

double dc_overload_failure_ratio(const dc_overload *l, dc_overload_state st, dc_id v)
{
	const state *s;
	if (!SVC_OK(l, st, v))
		return 0;
	s = st_of(l, st);
	return isinf(s->W[v]) && s->lam[v] > 0 ? 1 : s->p[v];
}

double dc_overload_response_ms(const dc_overload *l, dc_overload_state st, dc_id v)
{
	return SVC_OK(l, st, v) ? (isinf(st_of(l, st)->W[v]) ? -1 : st_of(l, st)->W[v]) : 0;
}

int dc_overload_is_overloaded(const dc_overload *l, dc_overload_state st, dc_id v)
{
	return SVC_OK(l, st, v) ? overloaded_in(l, params_of(l, st), st_of(l, st), v) : 0;
}

double dc_overload_attempts(const dc_overload *l, dc_overload_state st, size_t d)
{
	return st_of(l, st) && d < l->ne && l->base.run[d] ? st_of(l, st)->A[d] : 0;
}

double dc_overload_edge_rps(const dc_overload *l, dc_overload_state st, size_t d)
{
	return st_of(l, st) && d < l->ne && l->base.run[d] ? st_of(l, st)->sent[d] : 0;
}

double dc_overload_entry_rps(const dc_overload *l, dc_overload_state st) { return st_of(l, st) ? st_of(l, st)->entry : 0; }
double dc_overload_lost_rps(const dc_overload *l, dc_overload_state st) { return st_of(l, st) ? st_of(l, st)->lost : 0; }
int dc_overload_converged(const dc_overload *l, dc_overload_state st) { return st_of(l, st) ? st_of(l, st)->converged : 0; }
unsigned dc_overload_iterations(const dc_overload *l, dc_overload_state st) { return st_of(l, st) ? st_of(l, st)->iterations : 0; }

size_t dc_overload_overloaded(const dc_overload *l, const dc_id **ids)
{
	if (ids)
		*ids = l ? l->over : NULL;
	return l ? l->nover : 0;
}

size_t dc_overload_retrying(const dc_overload *l, const size_t **deps)
{
	if (deps)
		*deps = l ? l->retrying : NULL;
	return l ? l->nretrying : 0;
}

double dc_overload_amplification(const dc_overload *l, dc_id v)
{
	double b;
	if (!l || v >= l->n)
		return -1;
	b = l->st[DC_OVERLOAD_BASELINE].lam[v];
	return b > 0 ? l->st[DC_OVERLOAD_TRIGGERED].lam[v] / b : -1;
}

dc_overload_cause dc_overload_cause_of(const dc_overload *l, dc_id v)
{
	return l && v < l->n ? (dc_overload_cause)l->cause[v] : DC_OVERLOAD_CAUSE_NONE;
}

size_t dc_overload_cause_dep(const dc_overload *l, dc_id v)
{
	return l && v < l->n ? l->cause_dep[v] : SIZE_MAX;
}

const char *dc_overload_cause_text(const dc_overload *l, dc_id v, char *buf, size_t size)
{
	size_t d;
	if (!buf || !size)
		return buf;
	buf[0] = '\0';
	if (!l || v >= l->n)
		return buf;
	d = l->cause_dep[v];
	switch ((dc_overload_cause)l->cause[v]) {
	case DC_OVERLOAD_CAUSE_RETRIES:
		snprintf(buf, size, "retries on %s -> %s (%.3g attempts per call)",
			 dc_service_name(l->cat, dc_dep_from(l->cat, d)), dc_service_name(l->cat, v),
			 l->st[DC_OVERLOAD_TRIGGERED].A[d]);
		break;
	case DC_OVERLOAD_CAUSE_SLOW:
		snprintf(buf, size, "requests held waiting on %s (in flight past max_concurrency)",
			 dc_service_name(l->cat, dc_dep_to(l->cat, d)));
		break;
	case DC_OVERLOAD_CAUSE_CAPACITY:
		snprintf(buf, size, "lost capacity");
		break;
	case DC_OVERLOAD_CAUSE_TRAFFIC:
		snprintf(buf, size, "its own traffic");
		break;
	default:
		break;
	}
	return buf;
}

int dc_overload_metastable(const dc_overload *l) { return l ? l->metastable : -1; }

size_t dc_overload_sustaining(const dc_overload *l, const size_t **deps)
{
	if (deps)
		*deps = l ? l->sustain : NULL;
	return l && l->metastable == 1 ? l->nsustain : 0;
}

dc_overload_fix dc_overload_fix_of(const dc_overload *l)
{
	dc_overload_fix none = { DC_OVERLOAD_FIX_NONE, SIZE_MAX, DC_NO_ID, 0 };
	return l ? l->fix : none;
}

size_t dc_overload_entry_observed(const dc_overload *l) { return l ? l->entry_observed : 0; }

dc_overload_inputs dc_overload_inputs_of(const dc_overload *l)
{
	dc_overload_inputs none;
	memset(&none, 0, sizeof(none));
	return l ? l->inputs : none;
}

/* ---- static risks: the worst a single failure or slowdown can do ------------------
 *
 * Solving the model once per possible trigger and service is quadratic.
 * Instead:
 *  1. one baseline solve (no trigger);
 *  2. an upper bound per service, one pass callers first: the offered
 *     load if every dependency made its most attempts at once (retries + 1,
 *     at most 1 + retry_budget) and no request were turned away,
 *     M[v] = traffic[v] + sum over callers u of M[u] x calls x attempts.
 *     The model's offered load never exceeds it under any trigger but a
 *     surge (attempts, accepted shares and breakers only ever lower what a
 *     caller sends), so M[v] / baseline[v] bounds the amplification; a
 *     cycle with declared calls makes it unbounded;
 *  3. exact solves, from no load as dc_overload_run() solves, for the
 *     `solves` services of largest bound: the service fails, and it hangs
 *     (answers DC_OVERLOAD_HANG_MS later); the worse of the two is the
 *     figure. When it reaches the bound, no single trigger can do worse
 *     (exact); otherwise it is what those triggers do, the bound the most
 *     any could. */

struct dc_overload_risks {
	dc_overload *l;
	dc_overload_risk *rows;
	size_t nrows, nsolved;
	int nominal;  /* too large to solve: bounds over the nominal load */
};

/* The nominal load into lam: every call made once, nothing failing or
 * turned away (the bound's pass with one attempt per call). */
static void nominal_load(const dc_overload *l, double *lam)
{
	const params *P = &l->base;
	size_t i, k;
	for (i = l->n; i-- > 0;) {
		dc_id v = l->topo[i];
		const dc_id *from;
		const uint32_t *edges;
		size_t nin = dc_graph_in(l->g, v, &from, &edges);
		double m = P->lam0[v];
		for (k = 0; k < nin; k++)
			if (P->run[edges[k]] && P->calls[edges[k]] > 0)
				m += lam[from[k]] * P->calls[edges[k]];
		lam[v] = m;
	}
}

static void state_reset(state *s, size_t n, size_t ne)
{
	size_t a = n ? n : 1, b = ne ? ne : 1, i;
	memset(s->lam, 0, a * sizeof(double));
	memset(s->p, 0, a * sizeof(double));
	memset(s->W, 0, a * sizeof(double));
	memset(s->demand, 0, a * sizeof(double));
	memset(s->fdep, 0, a * sizeof(double));
	memset(s->f, 0, b * sizeof(double));
	memset(s->tau, 0, b * sizeof(double));
	memset(s->sent, 0, b * sizeof(double));
	for (i = 0; i < a; i++)
		s->acc[i] = 1;
	for (i = 0; i < b; i++)
		s->A[i] = s->ob[i] = 1;
}

/* The most attempts d can make per call. */
static double max_attempts(const params *P, size_t d)
{
	double a = (double)P->retries[d] + 1;
	if (P->budget[d] >= 0 && a > 1 + P->budget[d])
		a = 1 + P->budget[d];
	return a;
}

/* M[v] (see above): passes callers first, repeated while a cycle with
 * declared calls still changes it (a caller later in the order is read
 * as the last pass left it); what still grows after BOUND_PASSES passes
 * (a loop gain near or past 1) is unbounded, INFINITY, and so is what it
 * calls. A DAG settles in one pass (the second confirms it). */
#define BOUND_PASSES 100
static void load_bound(const dc_overload *l, double *M)
{
	const params *P = &l->base;
	size_t i, k, pass;
	int changed = 1;
	memset(M, 0, (l->n ? l->n : 1) * sizeof(double));
	for (pass = 0; pass <= BOUND_PASSES + 1 && changed; pass++) {
		changed = 0;
		for (i = l->n; i-- > 0;) {
			dc_id v = l->topo[i];
			const dc_id *from;
			const uint32_t *edges;
			size_t nin = dc_graph_in(l->g, v, &from, &edges);
			double m = P->lam0[v];
			for (k = 0; k < nin; k++) {
				size_t d = edges[k];
				if (P->run[d] && P->calls[d] > 0)
					m += M[from[k]] * P->calls[d] * max_attempts(P, d);
			}
			if (m > M[v] * (1 + 1e-12) || (m > 0 && M[v] == 0)) {
				changed = 1;
				/* still growing at the last pass: unbounded */
				M[v] = pass >= BOUND_PASSES ? INFINITY : m;
			}
		}
	}
}

typedef struct {
	double k1;
	int over;
	const char *name;
	size_t i;
} risk_key;

static int cmp_risk(const void *a, const void *b)
{
	const risk_key *x = a, *y = b;
	if (x->over != y->over)
		return x->over > y->over ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 > y->k1 ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Solve trigger `how` on v from no load into s, with P the baseline's
 * parameters changed for it (and changed back). */
static void solve_single(dc_overload *l, params *P, state *s, dc_id v, dc_overload_risk_trigger how)
{
	uint8_t was_failed = P->failed[v];
	double was_lat = P->lat[v];
	if (how == DC_OVERLOAD_RISK_FAILS)
		P->failed[v] = 1;
	else
		P->lat[v] += DC_OVERLOAD_HANG_MS;
	state_reset(s, l->n, l->ne);
	solve(l, P, s);
	P->failed[v] = was_failed;
	P->lat[v] = was_lat;
}

int dc_overload_risks_compute(dc_overload_risks **out, const dc_graph *g, const dc_overload_risk_options *opts)
{
	dc_overload_risks *r;
	dc_overload *l;
	dc_overload_options oo = DC_OVERLOAD_OPTIONS_INIT;
	double *M = NULL;
	risk_key *keys = NULL;
	dc_overload_risk *tmp = NULL;
	state s;
	size_t i, k, nsolve;
	int rc = DC_ENOMEM;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!g || (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_OVERLOAD_RISK_OPTIONS_VERSION)))
		return DC_EINVALID;
	oo.max_iterations = opts ? opts->max_iterations : 0;
	nsolve = opts && opts->solves ? opts->solves : DC_OVERLOAD_RISK_SOLVES_DEFAULT;
	if (!(r = calloc(1, sizeof(*r))))
		return DC_ENOMEM;
	memset(&s, 0, sizeof(s));
	if (!(l = r->l = calloc(1, sizeof(*l))) || (rc = setup(l, g, NULL, &oo)) != 0) {
		rc = DC_ENOMEM;
		goto fail;
	}
	rc = DC_ENOMEM;
	r->nominal = opts && opts->max_solve_size && l->n + l->ne > opts->max_solve_size;
	if (r->nominal) {
		/* callers first, cycles with declared calls left at what the
		 * callers summed so far (their bound is unbounded anyway) */
		memset(l->st[DC_OVERLOAD_BASELINE].lam, 0, (l->n ? l->n : 1) * sizeof(double));
		nominal_load(l, l->st[DC_OVERLOAD_BASELINE].lam);
		l->st[DC_OVERLOAD_BASELINE].converged = 1;
		nsolve = 0;
	} else {
		solve(l, &l->base, &l->st[DC_OVERLOAD_BASELINE]);
	}
	if (!(opts && opts->max_iterations)) {
		double cap = RISK_SOLVE_WORK / (double)(l->n + l->ne + 1);
		l->max_it = cap >= DEFAULT_ITERATIONS ? DEFAULT_ITERATIONS
			  : cap <= RISK_MIN_ITERATIONS ? RISK_MIN_ITERATIONS : (unsigned)cap;
	}
	M = malloc((l->n ? l->n : 1) * sizeof(double));
	r->rows = malloc((l->n ? l->n : 1) * sizeof(*r->rows));
	keys = malloc((l->n ? l->n : 1) * sizeof(*keys));
	tmp = malloc((l->n ? l->n : 1) * sizeof(*tmp));
	if (!M || !r->rows || !keys || !tmp || state_alloc(&s, l->n, l->ne))
		goto fail;
	load_bound(l, M);
	/* the services a trigger can send more than their usual load */
	for (i = k = 0; i < l->n; i++) {
		const state *b = &l->st[DC_OVERLOAD_BASELINE];
		dc_overload_risk *w = &r->rows[k];
		double base = b->lam[i];
		if (!(base > 1e-12) || !(M[i] > base * (1 + 1e-9)))
			continue;
		memset(w, 0, sizeof(*w));
		w->service = (dc_id)i;
		w->kind = DC_OVERLOAD_RISK_BOUND;
		w->baseline_rps = base;
		w->capacity_rps = l->base.cap[i];
		w->bound = isinf(M[i]) ? INFINITY : M[i] / base;
		w->bound_rps = M[i];
		w->amplification = w->bound;
		w->offered_rps = M[i];
		w->trigger = DC_NO_ID;
		w->how = DC_OVERLOAD_RISK_FAILS;
		w->baseline_over = !r->nominal && overloaded_in(l, &l->base, b, (dc_id)i);
		w->over_capacity = w->capacity_rps >= 0 && M[i] > w->capacity_rps * (1 + 1e-9);
		keys[k].k1 = w->bound;
		keys[k].over = 0;
		keys[k].name = dc_service_name(l->cat, (dc_id)i);
		keys[k].i = k;
		k++;
	}
	r->nrows = k;
	/* the largest bounds are solved */
	qsort(keys, k, sizeof(*keys), cmp_risk);
	if (nsolve > k)
		nsolve = k;
	for (i = 0; i < nsolve; i++) {
		dc_overload_risk *w = &r->rows[keys[i].i];
		int how;
		w->kind = DC_OVERLOAD_RISK_SOLVED;
		w->amplification = -1;
		for (how = DC_OVERLOAD_RISK_FAILS; how <= DC_OVERLOAD_RISK_HANGS; how++) {
			double a;
			solve_single(l, &l->base, &s, w->service, (dc_overload_risk_trigger)how);
			a = s.lam[w->service] / w->baseline_rps;
			if (a > w->amplification) {
				l->base.failed[w->service] = how == DC_OVERLOAD_RISK_FAILS;
				w->amplification = a;
				w->offered_rps = s.lam[w->service];
				w->trigger = w->service;
				w->how = (dc_overload_risk_trigger)how;
				w->over_capacity = (w->capacity_rps >= 0 && s.lam[w->service] > w->capacity_rps * (1 + 1e-9)) ||
						   overloaded_in(l, &l->base, &s, w->service);
				w->converged = s.converged;
				l->base.failed[w->service] = 0;
			}
		}
		if (!isinf(w->bound) && w->amplification >= w->bound * (1 - DC_OVERLOAD_RISK_EXACT_TOLERANCE))
			w->kind = DC_OVERLOAD_RISK_EXACT;
	}
	r->nsolved = nsolve;
	/* report order: the solved ones (past capacity first, then the worst
	 * amplification, then name), then the bounds (largest first) */
	for (i = 0; i < k; i++) {
		const dc_overload_risk *w = &r->rows[keys[i].i];
		if (i < nsolve) {
			keys[i].over = 2 + w->over_capacity;
			keys[i].k1 = sort_key(w->amplification);
		}
	}
	qsort(keys, k, sizeof(*keys), cmp_risk);
	for (i = 0; i < k; i++)
		tmp[i] = r->rows[keys[i].i];
	memcpy(r->rows, tmp, k * sizeof(*tmp));
	free(M);
	free(keys);
	free(tmp);
	state_free(&s);
	*out = r;
	return 0;
fail:
	free(M);
	free(keys);
	free(tmp);
	state_free(&s);
	dc_overload_risks_free(r);
	return rc;
}

void dc_overload_risks_free(dc_overload_risks *r)
{
	if (!r)
		return;
	dc_overload_free(r->l);
	free(r->rows);
	free(r);
}

size_t dc_overload_risks_get(const dc_overload_risks *r, const dc_overload_risk **rows)
{
	if (rows)
		*rows = r ? r->rows : NULL;
	return r ? r->nrows : 0;
}

size_t dc_overload_risks_solved(const dc_overload_risks *r) { return r ? r->nsolved : 0; }

int dc_overload_risks_nominal(const dc_overload_risks *r) { return r ? r->nominal : 0; }

const dc_graph *dc_overload_risks_graph(const dc_overload_risks *r) { return r ? r->l->g : NULL; }

int dc_overload_risks_converged(const dc_overload_risks *r)
{
	return r ? r->l->st[DC_OVERLOAD_BASELINE].converged : 0;
}

dc_overload_inputs dc_overload_risks_inputs(const dc_overload_risks *r)
{
	dc_overload_inputs none;
	memset(&none, 0, sizeof(none));
	return r ? r->l->inputs : none;
}
