/*
 * test_overload_des.c - the load model (lib/overload.c) against an
 * independent discrete-event simulator (issue 18, item 6; docs/load.md,
 * "Checked against a discrete-event simulation").
 *
 * The simulator shares no code with the model: it reads the catalog
 * through the public API and plays requests one by one, seeded (a fixed
 * splitmix64 stream, so a run is the same everywhere):
 *  - entry requests arrive as Poisson processes at traffic_rps (x surge);
 *  - a service with capacity_rps has `replicas` FIFO servers, each serving
 *    one request at a time in an exponential time of mean 1000 /
 *    capacity_rps ms; an arrival goes to a replica at random; a service
 *    without capacity serves at once (infinite servers);
 *  - then it waits an exponential time of mean latency_ms - 1000 /
 *    capacity_rps (when positive) plus the --slow extra;
 *  - then it calls its dependencies stage by stage (a stage's edges in
 *    parallel, an edge's `calls` one after the other); every attempt has a
 *    timer of timeout_ms; an error or a timeout is retried at once while
 *    retries are left and the edge's retry budget allows (retries <= budget
 *    x first attempts so far); late answers are ignored, but the callee
 *    still does the work;
 *  - max_concurrency x replicas bounds the requests a service holds from
 *    arrival to answer: an arrival past it is answered with an error at
 *    once;
 *  - it answers an error when a hard dependency call (every member of an
 *    any_of group) failed after its retries, else success.
 * Offered load is counted over the run after a warm-up; a service is
 * saturated when its replicas are busy >= 95 % of the time or it rejected
 * more than 2 % of its arrivals.
 */
#include "helpers.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the simulator -------------------------------------------------------- */

enum { EV_ENTRY, EV_SERVED, EV_DELAYED, EV_ANSWER, EV_TIMEOUT };

typedef struct {
	double t;
	uint64_t seq;
	int kind;
	uint32_t a, b;   /* EV_ENTRY: service; EV_SERVED/DELAYED: request; ANSWER: request (callee) and ok;
			    TIMEOUT: call and attempt number */
} event;

typedef struct {
	uint32_t svc;
	uint32_t call;       /* the caller's call, UINT32_MAX for an entry request */
	uint32_t attempt;    /* which attempt of that call it is */
	uint32_t replica;
	uint32_t next;       /* FIFO link at the replica */
	int stage;           /* the stage being called, -1 before */
	uint32_t pending;    /* edges of the stage not done */
	int failed;
	uint8_t *edge_failed; /* per dependency of svc: the call failed */
} request;

typedef struct {
	uint32_t req;        /* the calling request */
	uint32_t edge;       /* dependency index */
	uint32_t calls_left;
	uint32_t attempt;    /* attempts made on the current call */
	int any_failed;
	int waiting;
} call;

typedef struct {
	const dc_catalog *cat;
	size_t n, ne;
	uint64_t rng;
	double now, warm, end;
	event *heap;
	size_t nheap, capheap;
	uint64_t seq;
	request *req;
	size_t nreq, capreq;
	uint32_t *free_req;
	size_t nfree, capfree;
	call *calls;
	size_t ncalls, capcalls;
	/* per service */
	double *lam0, *svc_ms, *extra_ms;
	uint32_t *reps, *conc, *inflight;
	uint32_t **qhead, **qtail; /* per replica FIFO; head is in service */
	double *busy;              /* busy replica-ms after the warm-up */
	double **busy_since;
	double *arrivals, *rejected;
	/* per edge */
	double *first_att, *retry_att;
	double surge;
} des;

static double rnd(des *d)
{
	uint64_t z = (d->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double expo(des *d, double mean) { return mean > 0 ? -mean * log(rnd(d)) : 0; }

static int ev_less(const event *x, const event *y) { return x->t < y->t || (x->t == y->t && x->seq < y->seq); }

static void push(des *d, double t, int kind, uint32_t a, uint32_t b)
{
	size_t i;
	if (d->nheap == d->capheap) {
		d->capheap = d->capheap ? 2 * d->capheap : 1024;
		d->heap = realloc(d->heap, d->capheap * sizeof(event));
		CU_ASSERT_PTR_NOT_NULL_FATAL(d->heap);
	}
	i = d->nheap++;
	d->heap[i].t = t;
	d->heap[i].seq = d->seq++;
	d->heap[i].kind = kind;
	d->heap[i].a = a;
	d->heap[i].b = b;
	while (i && ev_less(&d->heap[i], &d->heap[(i - 1) / 2])) {
		event x = d->heap[i];
		d->heap[i] = d->heap[(i - 1) / 2];
		d->heap[(i - 1) / 2] = x;
		i = (i - 1) / 2;
	}
}

static event pop(des *d)
{
	event top = d->heap[0];
	size_t i = 0;
	d->heap[0] = d->heap[--d->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < d->nheap && ev_less(&d->heap[l], &d->heap[m]))
			m = l;
		if (r < d->nheap && ev_less(&d->heap[r], &d->heap[m]))
			m = r;
		if (m == i)
			break;
		{
			event x = d->heap[i];
			d->heap[i] = d->heap[m];
			d->heap[m] = x;
		}
		i = m;
	}
	return top;
}

static uint32_t new_req(des *d, uint32_t svc, uint32_t callid, uint32_t attempt)
{
	uint32_t id;
	request *r;
	size_t nd = dc_service_dep_count(d->cat, svc);
	if (d->nfree) {
		id = d->free_req[--d->nfree];
	} else {
		if (d->nreq == d->capreq) {
			d->capreq = d->capreq ? 2 * d->capreq : 1024;
			d->req = realloc(d->req, d->capreq * sizeof(request));
			CU_ASSERT_PTR_NOT_NULL_FATAL(d->req);
		}
		id = (uint32_t)d->nreq++;
		d->req[id].edge_failed = NULL;
	}
	r = &d->req[id];
	free(r->edge_failed);
	r->svc = svc;
	r->call = callid;
	r->attempt = attempt;
	r->next = UINT32_MAX;
	r->stage = -1;
	r->pending = 0;
	r->failed = 0;
	r->edge_failed = calloc(nd ? nd : 1, 1);
	return id;
}

static void free_req(des *d, uint32_t id)
{
	if (d->nfree == d->capfree) {
		d->capfree = d->capfree ? 2 * d->capfree : 1024;
		d->free_req = realloc(d->free_req, d->capfree * sizeof(uint32_t));
	}
	d->free_req[d->nfree++] = id;
}

static void answer(des *d, uint32_t rid, int ok);
static void start_attempt(des *d, uint32_t cid);

/* A request arrives at its service. */
static void arrive(des *d, uint32_t rid)
{
	request *r = &d->req[rid];
	uint32_t v = r->svc, k;
	if (d->now >= d->warm)
		d->arrivals[v]++;
	if (d->conc[v] && d->inflight[v] >= d->conc[v]) {
		if (d->now >= d->warm)
			d->rejected[v]++;
		answer(d, rid, 0);
		return;
	}
	if (d->svc_ms[v] > 0 && !d->reps[v]) {
		answer(d, rid, 0); /* no replica left: refused at once */
		return;
	}
	d->inflight[v]++;
	if (d->svc_ms[v] <= 0) {
		push(d, d->now, EV_SERVED, rid, 0);
		return;
	}
	k = (uint32_t)(rnd(d) * d->reps[v]);
	if (k >= d->reps[v])
		k = d->reps[v] - 1;
	r->replica = k;
	if (d->qhead[v][k] == UINT32_MAX) {
		d->qhead[v][k] = d->qtail[v][k] = rid;
		d->busy_since[v][k] = d->now;
		push(d, d->now + expo(d, d->svc_ms[v]), EV_SERVED, rid, 0);
	} else {
		d->req[d->qtail[v][k]].next = rid;
		d->qtail[v][k] = rid;
	}
}

static void next_stage(des *d, uint32_t rid)
{
	request *r = &d->req[rid];
	uint32_t v = r->svc;
	size_t first = dc_service_dep_first(d->cat, v), nd = dc_service_dep_count(d->cat, v), i;
	long next = -1;
	for (i = first; i < first + nd; i++) {
		long st = (long)dc_dep_stage(d->cat, i);
		if (dc_dep_is_startup(d->cat, i) || dc_dep_to(d->cat, i) == DC_NO_ID)
			continue;
		if (st > r->stage && (next < 0 || st < next))
			next = st;
	}
	if (next < 0) {
		/* done: hard edges and groups decide */
		int ok = 1;
		for (i = first; i < first + nd; i++) {
			unsigned g;
			size_t j;
			int all = 1;
			if (dc_dep_is_startup(d->cat, i) || dc_dep_kind_of(d->cat, i) != DC_DEP_HARD)
				continue;
			g = dc_dep_group(d->cat, i);
			if (!g) {
				if (r->edge_failed[i - first])
					ok = 0;
				continue;
			}
			for (j = first; j < first + nd; j++)
				if (dc_dep_group(d->cat, j) == g && !r->edge_failed[j - first])
					all = 0;
			if (all)
				ok = 0;
		}
		d->inflight[v]--;
		answer(d, rid, ok);
		return;
	}
	r->stage = (int)next;
	r->pending = 0;
	for (i = first; i < first + nd; i++)
		if (!dc_dep_is_startup(d->cat, i) && dc_dep_to(d->cat, i) != DC_NO_ID &&
		    (long)dc_dep_stage(d->cat, i) == next)
			r->pending++;
	for (i = first; i < first + nd; i++) {
		uint32_t cid;
		double calls;
		if (dc_dep_is_startup(d->cat, i) || dc_dep_to(d->cat, i) == DC_NO_ID ||
		    (long)dc_dep_stage(d->cat, i) != next)
			continue;
		if (d->ncalls == d->capcalls) {
			d->capcalls = d->capcalls ? 2 * d->capcalls : 1024;
			d->calls = realloc(d->calls, d->capcalls * sizeof(call));
			CU_ASSERT_PTR_NOT_NULL_FATAL(d->calls);
		}
		cid = (uint32_t)d->ncalls++;
		calls = dc_dep_setting_is_set(d->cat, i, DC_DEP_CALLS) ? dc_dep_setting_value(d->cat, i, DC_DEP_CALLS) : 1;
		d->calls[cid].req = rid;
		d->calls[cid].edge = (uint32_t)i;
		d->calls[cid].calls_left = (uint32_t)lround(calls);
		d->calls[cid].attempt = 0;
		d->calls[cid].any_failed = 0;
		d->calls[cid].waiting = 0;
		if (!d->calls[cid].calls_left) {
			if (!--d->req[rid].pending)
				next_stage(d, rid);
			continue;
		}
		start_attempt(d, cid);
	}
}

static void start_attempt(des *d, uint32_t cid)
{
	call *c = &d->calls[cid];
	uint32_t e = c->edge, rid;
	double T = dc_dep_timeout_ms(d->cat, e);
	if (d->now >= d->warm) {
		if (c->attempt == 0)
			d->first_att[e]++;
		else
			d->retry_att[e]++;
	}
	c->attempt++;
	c->waiting = 1;
	if (T > 0)
		push(d, d->now + T, EV_TIMEOUT, cid, c->attempt);
	rid = new_req(d, dc_dep_to(d->cat, e), cid, c->attempt);
	arrive(d, rid);
}

/* One call of edge c->edge ended (ok or not, after its attempts). */
static void call_done(des *d, uint32_t cid, int ok)
{
	call *c = &d->calls[cid];
	uint32_t rid = c->req;
	c->waiting = 0;
	if (!ok)
		c->any_failed = 1;
	if (--c->calls_left) {
		c->attempt = 0;
		start_attempt(d, cid);
		return;
	}
	if (c->any_failed)
		d->req[rid].edge_failed[c->edge - dc_service_dep_first(d->cat, d->req[rid].svc)] = 1;
	if (!--d->req[rid].pending)
		next_stage(d, rid);
}

static void attempt_failed(des *d, uint32_t cid)
{
	call *c = &d->calls[cid];
	uint32_t e = c->edge;
	double budget = dc_dep_setting_is_set(d->cat, e, DC_DEP_RETRY_BUDGET)
				? dc_dep_setting_value(d->cat, e, DC_DEP_RETRY_BUDGET) : -1;
	int may = c->attempt < dc_dep_retries(d->cat, e) + 1;
	/* the budget over the whole run: retries <= budget x first attempts */
	if (may && budget >= 0 && d->retry_att[e] + 1 > budget * d->first_att[e])
		may = 0;
	if (may)
		start_attempt(d, cid);
	else
		call_done(d, cid, 0);
}

static void answer(des *d, uint32_t rid, int ok)
{
	request *r = &d->req[rid];
	uint32_t cid = r->call, att = r->attempt;
	free_req(d, rid);
	if (cid == UINT32_MAX)
		return;
	if (!d->calls[cid].waiting || d->calls[cid].attempt != att)
		return; /* timed out already: the answer is ignored */
	if (ok)
		call_done(d, cid, 1);
	else
		attempt_failed(d, cid);
}

static void des_run(des *d, double seconds)
{
	size_t v;
	d->end = seconds * 1000;
	d->warm = d->end / 5;
	for (v = 0; v < d->n; v++)
		if (d->lam0[v] > 0)
			push(d, expo(d, 1000 / d->lam0[v]), EV_ENTRY, (uint32_t)v, 0);
	while (d->nheap) {
		event e = pop(d);
		if (e.t > d->end)
			break;
		d->now = e.t;
		switch (e.kind) {
		case EV_ENTRY:
			arrive(d, new_req(d, e.a, UINT32_MAX, 0));
			push(d, d->now + expo(d, 1000 / d->lam0[e.a]), EV_ENTRY, e.a, 0);
			break;
		case EV_SERVED: {
			request *r = &d->req[e.a];
			uint32_t sv = r->svc;
			if (d->reps[sv] && d->svc_ms[sv] > 0) {
				uint32_t k = r->replica, nx = r->next;
				double from = d->busy_since[sv][k] > d->warm ? d->busy_since[sv][k] : d->warm;
				if (d->now > from)
					d->busy[sv] += d->now - from;
				d->qhead[sv][k] = nx;
				if (nx == UINT32_MAX) {
					d->qtail[sv][k] = UINT32_MAX;
				} else {
					d->busy_since[sv][k] = d->now;
					push(d, d->now + expo(d, d->svc_ms[sv]), EV_SERVED, nx, 0);
				}
			}
			push(d, d->now + expo(d, d->extra_ms[sv]), EV_DELAYED, e.a, 0);
			break;
		}
		case EV_DELAYED:
			next_stage(d, e.a);
			break;
		case EV_TIMEOUT: {
			call *c = &d->calls[e.a];
			if (c->waiting && c->attempt == e.b) {
				c->waiting = 0;
				attempt_failed(d, e.a);
			}
			break;
		}
		default:
			break;
		}
	}
	/* replicas still busy at the end */
	for (v = 0; v < d->n; v++) {
		uint32_t k;
		for (k = 0; d->svc_ms[v] > 0 && k < d->reps[v]; k++)
			if (d->qhead[v][k] != UINT32_MAX)
				d->busy[v] += d->end - (d->busy_since[v][k] > d->warm ? d->busy_since[v][k] : d->warm);
	}
}

static void des_init(des *d, const dc_catalog *cat, double surge, const char *slow, double slow_ms, uint64_t seed)
{
	size_t v;
	memset(d, 0, sizeof(*d));
	d->cat = cat;
	d->n = dc_catalog_service_count(cat);
	d->ne = dc_catalog_dep_count(cat);
	d->rng = seed;
	d->surge = surge;
	d->lam0 = calloc(d->n, sizeof(double));
	d->svc_ms = calloc(d->n, sizeof(double));
	d->extra_ms = calloc(d->n, sizeof(double));
	d->reps = calloc(d->n, sizeof(uint32_t));
	d->conc = calloc(d->n, sizeof(uint32_t));
	d->inflight = calloc(d->n, sizeof(uint32_t));
	d->qhead = calloc(d->n, sizeof(uint32_t *));
	d->qtail = calloc(d->n, sizeof(uint32_t *));
	d->busy_since = calloc(d->n, sizeof(double *));
	d->busy = calloc(d->n, sizeof(double));
	d->arrivals = calloc(d->n, sizeof(double));
	d->rejected = calloc(d->n, sizeof(double));
	d->first_att = calloc(d->ne ? d->ne : 1, sizeof(double));
	d->retry_att = calloc(d->ne ? d->ne : 1, sizeof(double));
	for (v = 0; v < d->n; v++) {
		double c1 = dc_service_capacity_rps(cat, (dc_id)v), tr = dc_service_traffic_rps(cat, (dc_id)v);
		double lat = dc_service_latency_ms(cat, (dc_id)v);
		uint32_t k;
		d->lam0[v] = tr > 0 ? tr * surge : 0;
		d->reps[v] = dc_service_replicas(cat, (dc_id)v);
		d->svc_ms[v] = c1 > 0 ? 1000 / c1 : 0;
		d->extra_ms[v] = lat > d->svc_ms[v] ? lat - d->svc_ms[v] : 0;
		if (slow && !strcmp(dc_service_name(cat, (dc_id)v), slow))
			d->extra_ms[v] += slow_ms;
		d->conc[v] = dc_service_max_concurrency(cat, (dc_id)v) * d->reps[v];
		d->qhead[v] = malloc((d->reps[v] ? d->reps[v] : 1) * sizeof(uint32_t));
		d->qtail[v] = malloc((d->reps[v] ? d->reps[v] : 1) * sizeof(uint32_t));
		d->busy_since[v] = calloc(d->reps[v] ? d->reps[v] : 1, sizeof(double));
		for (k = 0; k < (d->reps[v] ? d->reps[v] : 1); k++)
			d->qhead[v][k] = d->qtail[v][k] = UINT32_MAX;
	}
}

static void des_free(des *d)
{
	size_t v;
	for (v = 0; v < d->nreq; v++)
		free(d->req[v].edge_failed);
	for (v = 0; v < d->n; v++) {
		free(d->qhead[v]);
		free(d->qtail[v]);
		free(d->busy_since[v]);
	}
	free(d->heap);
	free(d->req);
	free(d->free_req);
	free(d->calls);
	free(d->lam0);
	free(d->svc_ms);
	free(d->extra_ms);
	free(d->reps);
	free(d->conc);
	free(d->inflight);
	free(d->qhead);
	free(d->qtail);
	free(d->busy_since);
	free(d->busy);
	free(d->arrivals);
	free(d->rejected);
	free(d->first_att);
	free(d->retry_att);
}

/* ---- comparing -------------------------------------------------------------- */

#define TOLERANCE 0.15

/* Run the model and the simulator on `text` (surge, one slow service) and
 * compare every service: offered load within TOLERANCE (or both under 2
 * rps), and the same saturated set. Returns the number of disagreements
 * (printed). */
static size_t saturated_seen; /* services both call saturated, over the suite */

static int compare(const char *text, double surge, const char *slow, double slow_ms, uint64_t seed, double secs)
{
	th_fx f = {0};
	dc_overload_triggers *t;
	dc_overload *l;
	des d;
	size_t v;
	int bad = 0;
	th_fx_load(&f, "des.yaml", text);
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&t, f.cat), 0);
	if (surge != 1)
		CU_ASSERT_EQUAL(dc_overload_trigger_surge(t, surge), 0);
	if (slow)
		CU_ASSERT_EQUAL(dc_overload_trigger_slow(t, th_id(f.cat, slow), slow_ms), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&l, f.g, t, NULL), 0);
	CU_ASSERT(dc_overload_converged(l, DC_OVERLOAD_TRIGGERED));
	des_init(&d, f.cat, surge, slow, slow_ms, seed);
	des_run(&d, secs);
	for (v = 0; v < d.n; v++) {
		double window = (d.end - d.warm) / 1000;
		double sim = d.arrivals[v] / window, mod = dc_overload_offered_rps(l, DC_OVERLOAD_TRIGGERED, (dc_id)v);
		int sim_sat = (d.svc_ms[v] > 0 && d.reps[v] && d.busy[v] / (d.reps[v] * (d.end - d.warm)) >= 0.95) ||
			      (d.arrivals[v] > 0 && d.rejected[v] > 0.02 * d.arrivals[v]) ||
			      (d.svc_ms[v] > 0 && !d.reps[v] && d.arrivals[v] > 0);
		int mod_sat = dc_overload_is_overloaded(l, DC_OVERLOAD_TRIGGERED, (dc_id)v);
		int off_ok = fabs(sim - mod) <= TOLERANCE * (mod > sim ? mod : sim) || (sim < 2 && mod < 2);
		if (sim_sat && mod_sat)
			saturated_seen++;
		if (!off_ok || sim_sat != mod_sat || getenv("DC_DES_VERBOSE")) {
			fprintf(stderr, "  des vs model, %s: offered %.1f vs %.1f rps, saturated %d vs %d\n",
				dc_service_name(f.cat, (dc_id)v), sim, mod, sim_sat, mod_sat);
			bad += !off_ok || sim_sat != mod_sat;
		}
	}
	des_free(&d);
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	th_fx_free(&f);
	return bad;
}

/* A chain with retries at every layer; db fails every request it gets
 * through its own dependency being down (modelled as a service with no
 * replicas: capacity 0). web -> api -> db, 2 retries each: api fails all,
 * web makes 3 attempts: api 300, db 900 rps (the model's arithmetic in
 * test_overload.c). Then the same chain healthy, and surged past db's
 * capacity with retries everywhere. */
static void test_chain(void)
{
	const char *healthy = "services:\n  - name: web\n    traffic_rps: 100\n"
			      "    depends_on: [{service: api, retries: 2, timeout_ms: 3000}]\n"
			      "  - name: api\n    capacity_rps: 1000\n    latency_ms: 1\n"
			      "    depends_on: [{service: db, retries: 2, timeout_ms: 300}]\n"
			      "  - name: db\n    capacity_rps: 150\n    latency_ms: 6.667\n";
	const char *dead = "services:\n  - name: web\n    traffic_rps: 100\n"
			   "    depends_on: [{service: api, retries: 2, timeout_ms: 3000}]\n"
			   "  - name: api\n    capacity_rps: 1000\n    latency_ms: 1\n"
			   "    depends_on: [{service: db, retries: 2, timeout_ms: 300}]\n"
			   "  - name: db\n    capacity_rps: 150\n    replicas: 0\n";
	CU_ASSERT_EQUAL(compare(healthy, 1, NULL, 0, 1, 40), 0);
	CU_ASSERT_EQUAL(compare(dead, 1, NULL, 0, 2, 20), 0);
	/* surge x2: db saturates, api's calls time out after 3 x 300 ms and
	 * fail, web retries them: api 600, db 1800 */
	CU_ASSERT_EQUAL(compare(healthy, 2, NULL, 0, 3, 20), 0);
}

/* A fan-in hub (2 replicas of 100 rps): 100 + 2 x 30 = 160 rps,
 * utilisation 0.8; surge x1.6: 256 rps past its 200 (no retries). */
static void test_fan_in(void)
{
	const char *cat = "services:\n  - name: a\n    traffic_rps: 100\n    depends_on: [hub]\n"
			  "  - name: b\n    traffic_rps: 30\n    depends_on: [{service: hub, calls: 2}]\n"
			  "  - name: hub\n    capacity_rps: 100\n    replicas: 2\n    latency_ms: 10\n";
	CU_ASSERT_EQUAL(compare(cat, 1, NULL, 0, 4, 40), 0);
	CU_ASSERT_EQUAL(compare(cat, 1.6, NULL, 0, 5, 20), 0);
}

/* A retry budget stops a storm: with it, 200 x 1.1 = 220; without, 600. */
static void test_budget(void)
{
	CU_ASSERT_EQUAL(compare("services:\n  - name: web\n    traffic_rps: 100\n"
				"    depends_on: [{service: db, retries: 2, timeout_ms: 500, retry_budget: 0.1}]\n"
				"  - name: db\n    capacity_rps: 150\n    latency_ms: 6.667\n", 2, NULL, 0, 6, 20), 0);
	CU_ASSERT_EQUAL(compare("services:\n  - name: web\n    traffic_rps: 100\n"
				"    depends_on: [{service: db, retries: 2, timeout_ms: 500}]\n"
				"  - name: db\n    capacity_rps: 150\n    latency_ms: 6.667\n", 2, NULL, 0, 7, 20), 0);
}

/* A slow dependency exhausts the caller's concurrency (50 slots, 2010 ms
 * answers against a 1000 ms timeout). The model: 63.5 rps reach db; the
 * simulation loses a little more to the randomness of arrivals (Erlang's
 * loss: a full pool turns arrivals away even below the mean). */
static void test_slow(void)
{
	CU_ASSERT_EQUAL(compare("services:\n  - name: web\n    traffic_rps: 100\n    max_concurrency: 50\n"
				"    depends_on: [{service: db, timeout_ms: 1000}]\n"
				"  - name: db\n    latency_ms: 10\n", 1, "db", 2000, 8, 40), 0);
}

/* Random small graphs (up to 8 services, a DAG): traffic on the first
 * services, calls 1 or 2, hard and soft edges, no retries (the hand cases
 * above have them); capacities that put each service either well
 * below (utilisation 0.2 .. 0.6) or well past it (1.5 .. 3), sized from
 * the load the model offers without limits. */
static void test_random(void)
{
	uint64_t s = 42;
	int g, bad = 0;
	size_t sat_before = saturated_seen;
	for (g = 0; g < 12; g++) {
		char text[8192], deps[8][1024];
		int n = 3 + (int)((s = s * 6364136223846793005ULL + 1442695040888963407ULL) >> 33) % 6, i, j;
		int sat[8];
		double cap[8];
		size_t len = 0;
		th_fx f = {0};
		dc_overload *l;
		/* the graph, without capacities first */
		for (i = 0; i < n; i++) {
			size_t dl = 0;
			deps[i][0] = '\0';
			sat[i] = 0;
			for (j = i + 1; j < n; j++) {
				unsigned r = (unsigned)((s = s * 6364136223846793005ULL + 1442695040888963407ULL) >> 40);
				if (r % 3)
					continue;
				dl += (size_t)snprintf(deps[i] + dl, sizeof(deps[i]) - dl,
						       "      - {service: s%d, calls: %u, kind: %s, timeout_ms: 2000}\n",
						       j, 1 + (r >> 3) % 2, (r >> 5) % 4 ? "hard" : "soft");
			}
		}
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"  - name: s%d\n    latency_ms: 2\n%s%s%s", i,
						i < 2 ? "    traffic_rps: 60\n" : "", deps[i][0] ? "    depends_on:\n" : "",
						deps[i]);
		{
			char full[8300];
			snprintf(full, sizeof(full), "services:\n%s", text);
			th_fx_load(&f, "r.yaml", full);
			CU_ASSERT_EQUAL_FATAL(dc_overload_run(&l, f.g, NULL, NULL), 0);
			for (i = 0; i < n; i++) {
				char nm[16];
				double lam;
				snprintf(nm, sizeof(nm), "s%d", i);
				lam = dc_overload_offered_rps(l, DC_OVERLOAD_BASELINE, th_id(f.cat, nm));
				unsigned r = (unsigned)((s = s * 6364136223846793005ULL + 1442695040888963407ULL) >> 40);
				/* at most one saturated service per graph, at a leaf-side half */
				sat[i] = i >= n / 2 && !(r % 4);
				cap[i] = lam > 0 ? lam / (sat[i] ? 1.5 + (r >> 4) % 16 / 10.0 : 0.2 + (r >> 4) % 5 / 10.0) : 0;
			}
			dc_overload_free(l);
			th_fx_free(&f);
		}
		/* now with capacities (latency = 1000 / capacity: a replica's service time) */
		len = 0;
		for (i = 0; i < n; i++) {
			if (cap[i] > 0)
				len += (size_t)snprintf(text + len, sizeof(text) - len,
							"  - name: s%d\n    capacity_rps: %.3f\n    latency_ms: %.4f\n%s%s%s",
							i, cap[i], 1000 / cap[i], i < 2 ? "    traffic_rps: 60\n" : "",
							deps[i][0] ? "    depends_on:\n" : "", deps[i]);
			else
				len += (size_t)snprintf(text + len, sizeof(text) - len, "  - name: s%d\n%s%s%s", i,
							i < 2 ? "    traffic_rps: 60\n" : "",
							deps[i][0] ? "    depends_on:\n" : "", deps[i]);
		}
		{
			char full[8300];
			int b;
			snprintf(full, sizeof(full), "services:\n%s", text);
			b = compare(full, 1, NULL, 0, 100 + (uint64_t)g, 20);
			if (b)
				fprintf(stderr, "  in random graph %d:\n%s", g, full);
			bad += b;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* the sample has saturated services, not only quiet ones */
	CU_ASSERT(saturated_seen - sat_before >= 3);
	fprintf(stderr, "  (random graphs: %zu services saturated in both)\n", saturated_seen - sat_before);
}

int suite_overload_des(void)
{
	static const th_test tests[] = {
		{ "chain with retries at every layer", test_chain },
		{ "fan-in hub", test_fan_in },
		{ "retry budget stops a storm", test_budget },
		{ "slow dependency exhausts concurrency", test_slow },
		{ "random small graphs", test_random },
		{ NULL, NULL }
	};
	return th_suite("overload_des", tests);
}
