/*
 * test_overload.c - the load model (lib/overload.c, docs/load.md) on
 * hand-solved graphs: the arithmetic of each case is in its comment.
 * The independent discrete-event simulator is in test_overload_des.c.
 */
#include "helpers.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	TH_FX;
	dc_overload_triggers *t;
	dc_overload *l;
} fx;

static void run(fx *f, const char *text)
{
	th_fx_load(&f->base, "load.yaml", text);
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&f->t, f->cat), 0);
}

static void solve(fx *f)
{
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&f->l, f->g, f->t, NULL), 0);
}

static void done(fx *f)
{
	dc_overload_free(f->l);
	dc_overload_triggers_free(f->t);
	th_fx_free(&f->base);
}

#define ID(name) th_id(f.cat, name)
#define OFFERED(st, name) dc_overload_offered_rps(f.l, st, ID(name))

/* web (100 rps) calls db twice per request; db serves 500 rps on one
 * replica (2 ms each): utilisation 200 / 500 = 0.4, its M/M/1 wait
 * 2 x 0.4 / 0.6 = 1.33 ms, far below the 1000 ms timeout, so no attempt
 * times out (e^-750) and db is offered exactly 2 x 100 = 200 rps. */
static void test_chain_steady(void)
{
	fx f = {0};
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n    latency_ms: 5\n"
		"    depends_on: [{service: db, calls: 2, retries: 2}]\n"
		"  - name: db\n    capacity_rps: 500\n    latency_ms: 2\n");
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_BASELINE));
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "db"), 200, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_BASELINE, ID("db")), 0.4, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_capacity(f.l, DC_OVERLOAD_BASELINE, ID("db")), 500, 1e-12);
	CU_ASSERT(dc_overload_capacity(f.l, DC_OVERLOAD_BASELINE, ID("web")) < 0);
	/* db answers in 2 + 1.333 ms; web in 5 + 2 calls x 3.333 = 11.67 ms */
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_response_ms(f.l, DC_OVERLOAD_BASELINE, ID("db")), 2 + 4.0 / 3, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_response_ms(f.l, DC_OVERLOAD_BASELINE, ID("web")), 5 + 2 * (2 + 4.0 / 3),
			       1e-6);
	/* Little: web holds 100 x 0.01167 = 1.167 requests */
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_in_flight(f.l, DC_OVERLOAD_BASELINE, ID("web")),
			       0.1 * (5 + 2 * (2 + 4.0 / 3)), 1e-6);
	CU_ASSERT_EQUAL(dc_overload_overloaded(f.l, NULL), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_BASELINE), 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_entry_rps(f.l, DC_OVERLOAD_BASELINE), 100, 1e-12);
	/* no trigger: metastability not decided */
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), -1);
	done(&f);
}

/* --fail db with 2 retries: every attempt fails, so each call makes 3
 * attempts: db is offered 100 x 3 = 300 rps (amplification 3), web fails
 * every request: 100 rps lost. */
static void test_fail_retries(void)
{
	fx f = {0};
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n"
		"    depends_on: [{service: db, retries: 2}]\n  - name: db\n    capacity_rps: 1000\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_fail(f.t, ID("db")), 0);
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_TRIGGERED));
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_TRIGGERED, "db"), 300, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_amplification(f.l, ID("db")), 3, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_attempts(f.l, DC_OVERLOAD_TRIGGERED, 0), 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_TRIGGERED), 100, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_failure_ratio(f.l, DC_OVERLOAD_TRIGGERED, ID("web")), 1, 1e-9);
	/* a failed service is the trigger, not an overload; without it all is well */
	CU_ASSERT_EQUAL(dc_overload_overloaded(f.l, NULL), 0);
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 0);
	done(&f);
}

/* A retry storm that outlives its trigger. db serves 150 rps; web sends
 * 100 (utilisation 0.67). A surge x2 sends 200 > 150: db's queue grows
 * without bound (no max_concurrency), every attempt times out, web makes
 * 1 + 2 retries: 600 rps. Without the surge, from that state: 100 x 3 =
 * 300 > 150, still saturated, still timing out: metastable. A retry
 * budget of 0.1 on web -> db caps attempts at 1.1: 110 < 150, it recovers
 * (verified by the model): that is the fix. */
static void test_metastable_storm(void)
{
	fx f = {0};
	const size_t *deps;
	dc_overload_fix fix;
	const dc_id *ids;
	char buf[200];
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n"
		"    depends_on: [{service: db, retries: 2, timeout_ms: 500}]\n"
		"  - name: db\n    capacity_rps: 150\n    latency_ms: 5\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, 2), 0);
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_TRIGGERED));
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "db"), 100, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_TRIGGERED, "db"), 600, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_amplification(f.l, ID("db")), 6, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_TRIGGERED, ID("db")), 4, 1e-6);
	CU_ASSERT_EQUAL_FATAL(dc_overload_overloaded(f.l, &ids), 1);
	CU_ASSERT_EQUAL(ids[0], ID("db"));
	CU_ASSERT_EQUAL(dc_overload_cause_of(f.l, ID("db")), DC_OVERLOAD_CAUSE_RETRIES);
	CU_ASSERT_STRING_EQUAL(dc_overload_cause_text(f.l, ID("db"), buf, sizeof(buf)),
			       "retries on web -> db (3 attempts per call)");
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_TRIGGERED), 200, 1e-6);
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 1);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_AFTER, "db"), 300, 1e-4);
	CU_ASSERT(dc_overload_is_overloaded(f.l, DC_OVERLOAD_AFTER, ID("db")));
	CU_ASSERT_EQUAL_FATAL(dc_overload_sustaining(f.l, &deps), 1);
	CU_ASSERT_EQUAL(deps[0], (size_t)th_dep_of(f.cat, "web", "db"));
	fix = dc_overload_fix_of(f.l);
	CU_ASSERT_EQUAL(fix.kind, DC_OVERLOAD_FIX_RETRY_BUDGET);
	CU_ASSERT_EQUAL(fix.dep, (size_t)th_dep_of(f.cat, "web", "db"));
	CU_ASSERT_DOUBLE_EQUAL(fix.value, 0.1, 1e-12);
	done(&f);
}

/* The same storm with a retry budget of 0.1 already on the edge: the
 * surge offers 200 x 1.1 = 220 > 150 (overloaded), but once it ends 100 x
 * 1.1 = 110 < 150: it recovers, not metastable. */
static void test_budget_stops_storm(void)
{
	fx f = {0};
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n"
		"    depends_on: [{service: db, retries: 2, timeout_ms: 500, retry_budget: 0.1}]\n"
		"  - name: db\n    capacity_rps: 150\n    latency_ms: 5\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, 2), 0);
	solve(&f);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_TRIGGERED, "db"), 220, 1e-4);
	CU_ASSERT(dc_overload_is_overloaded(f.l, DC_OVERLOAD_TRIGGERED, ID("db")));
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 0);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_AFTER, "db"), 100, 1e-4);
	CU_ASSERT_EQUAL(dc_overload_fix_of(f.l).kind, DC_OVERLOAD_FIX_NONE);
	done(&f);
}

/* A slow dependency exhausts the caller's concurrency. web takes 100 rps
 * and holds at most 50 requests; db answers in 10 ms, slowed by 2000 ms:
 * mean 2010 ms against a 1000 ms timeout. Taking db's time as exponential,
 * an attempt times out with e^(-1000/2010) = 0.6080 and lasts on average
 * 2010 x (1 - 0.6080) = 787.9 ms. Little: web would hold 100 x 0.7879 =
 * 78.8 > 50 requests, so it accepts 50 / 78.8 = 63.5 %; db is offered 63.5
 * rps; web fails 1 - 0.635 x (1 - 0.608) = 75.1 % of its requests. */
static void test_slow_exhausts_concurrency(void)
{
	fx f = {0};
	double pt = exp(-1000.0 / 2010), tau = 2010 * (1 - pt), acc = 50 / (100 * tau / 1000);
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n    max_concurrency: 50\n"
		"    depends_on: [{service: db, timeout_ms: 1000}]\n"
		"  - name: db\n    latency_ms: 10\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_slow(f.t, ID("db"), 2000), 0);
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_TRIGGERED));
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_TRIGGERED, "db"), 100 * acc, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_in_flight(f.l, DC_OVERLOAD_TRIGGERED, ID("web")), 100 * tau / 1000, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_TRIGGERED, ID("web")), 100 * tau / 1000 / 50,
			       1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_failure_ratio(f.l, DC_OVERLOAD_TRIGGERED, ID("web")),
			       1 - acc * (1 - pt), 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_TRIGGERED), 100 * (1 - acc * (1 - pt)), 1e-4);
	CU_ASSERT(dc_overload_is_overloaded(f.l, DC_OVERLOAD_TRIGGERED, ID("web")));
	CU_ASSERT_EQUAL(dc_overload_cause_of(f.l, ID("web")), DC_OVERLOAD_CAUSE_SLOW);
	CU_ASSERT_EQUAL(dc_overload_cause_dep(f.l, ID("web")), (size_t)th_dep_of(f.cat, "web", "db"));
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 0);
	done(&f);
}

/* A fan-in hub: a (100 rps) and b (50) call hub (200 rps on 2 replicas of
 * 100) without retries: 150, utilisation 0.75. Surge x2: 300 > 200, no
 * retries, so no amplification beyond the surge: amplification 2; every
 * request times out: 300 rps lost. Lost capacity instead (-50 %): 150 >
 * 100, cause "lost capacity". */
static void test_fan_in(void)
{
	fx f = {0};
	const char *cat = "services:\n  - name: a\n    traffic_rps: 100\n    depends_on: [hub]\n"
			  "  - name: b\n    traffic_rps: 50\n    depends_on: [hub]\n"
			  "  - name: hub\n    capacity_rps: 100\n    replicas: 2\n    latency_ms: 10\n";
	run(&f, cat);
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, 2), 0);
	solve(&f);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_BASELINE, ID("hub")), 0.75, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_TRIGGERED, "hub"), 300, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_amplification(f.l, ID("hub")), 2, 1e-8);
	CU_ASSERT_EQUAL(dc_overload_cause_of(f.l, ID("hub")), DC_OVERLOAD_CAUSE_TRAFFIC);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_TRIGGERED), 300, 1e-6);
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 0);
	done(&f);
	memset(&f, 0, sizeof(f));
	run(&f, cat);
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(f.t, ID("hub"), -50, DC_OVERLOAD_CAPACITY_PERCENT), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(f.t, ID("a"), -50, DC_OVERLOAD_CAPACITY_PERCENT), DC_EINVALID);
	solve(&f);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_capacity(f.l, DC_OVERLOAD_TRIGGERED, ID("hub")), 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_TRIGGERED, ID("hub")), 1.5, 1e-6);
	CU_ASSERT_EQUAL(dc_overload_cause_of(f.l, ID("hub")), DC_OVERLOAD_CAUSE_CAPACITY);
	done(&f);
}

/* A metastable state that a retry budget cannot break: web retries 3
 * times into db (150 rps), traffic 140 (utilisation 0.93: M/M/1 answers
 * in 98 ms on average, the 2000 ms timeout is e^-20 away; with a 500 ms
 * timeout the retries of the tail alone would tip it over). Surge x2
 * saturates db; after it,
 * 140 x 4 = 560 > 150. A budget of 0.1 gives 154 > 150: not enough; 2
 * retries give 420: not enough; replicas: the sustained 560 rps need
 * ceil(560 / 150) = 4 replicas, 3 more; with them 140 < 600 recovers. */
static void test_fix_replicas(void)
{
	fx f = {0};
	dc_overload_fix fix;
	run(&f, "services:\n  - name: web\n    traffic_rps: 140\n"
		"    depends_on: [{service: db, retries: 3, timeout_ms: 2000}]\n"
		"  - name: db\n    capacity_rps: 150\n    latency_ms: 5\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, 2), 0);
	solve(&f);
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 1);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_AFTER, "db"), 560, 1e-3);
	fix = dc_overload_fix_of(f.l);
	CU_ASSERT_EQUAL(fix.kind, DC_OVERLOAD_FIX_REPLICAS);
	CU_ASSERT_EQUAL(fix.service, ID("db"));
	CU_ASSERT_DOUBLE_EQUAL(fix.value, 3, 1e-12);
	done(&f);
}

/* A cycle: a calls b, b calls a back half the time (soft). a = 100 + 0.5
 * b and b = a: a = b = 200 rps, found by iterating around the cycle. */
static void test_cycle(void)
{
	fx f = {0};
	run(&f, "services:\n  - name: a\n    traffic_rps: 100\n    entrypoint: true\n    depends_on: [b]\n"
		"  - name: b\n    depends_on: [{service: a, kind: soft, calls: 0.5}]\n");
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_BASELINE));
	CU_ASSERT(dc_overload_iterations(f.l, DC_OVERLOAD_BASELINE) > 2);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "a"), 200, 1e-5);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "b"), 200, 1e-5);
	done(&f);
	/* and an iteration cap too small to get there says so */
	memset(&f, 0, sizeof(f));
	run(&f, "services:\n  - name: a\n    traffic_rps: 100\n    entrypoint: true\n    depends_on: [b]\n"
		"  - name: b\n    depends_on: [{service: a, kind: soft, calls: 0.5}]\n");
	{
		dc_overload_options o = DC_OVERLOAD_OPTIONS_INIT;
		o.max_iterations = 3;
		CU_ASSERT_EQUAL_FATAL(dc_overload_run(&f.l, f.g, f.t, &o), 0);
		CU_ASSERT(!dc_overload_converged(f.l, DC_OVERLOAD_BASELINE));
		CU_ASSERT_EQUAL(dc_overload_iterations(f.l, DC_OVERLOAD_BASELINE), 3);
	}
	done(&f);
}

/* A chain of 20 services, each far below its capacity (at most some 110
 * of 1000 rps), calling the next with one retry and a timeout of 6 ms per
 * level below: about 6 x the callee's response time, so 0.25 % of the
 * attempts time out (e^-6) and retry, a little more load at every level,
 * a little more queueing, a little later answers above. The rates settle
 * with full steps in topological order in a handful of passes (with half
 * steps everywhere, as before, this took 117); the answer is the one a
 * much tighter tolerance gives. */
static void test_deep_chain_settles(void)
{
	fx f = {0};
	dc_overload *tight;
	dc_overload_options o = DC_OVERLOAD_OPTIONS_INIT;
	char text[4096], name[16];
	size_t len = 0, i;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "services:\n");
	for (i = 0; i < 20; i++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"  - name: s%zu\n    capacity_rps: 1000\n    latency_ms: 1\n%s", i,
					i == 0 ? "    entrypoint: true\n    traffic_rps: 100\n" : "");
		if (i < 19)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"    depends_on: [{service: s%zu, retries: 1, timeout_ms: %zu}]\n",
						i + 1, (19 - i) * 6);
	}
	CU_ASSERT_FATAL(len < sizeof(text));
	run(&f, text);
	solve(&f);
	CU_ASSERT(dc_overload_converged(f.l, DC_OVERLOAD_BASELINE));
	CU_ASSERT(dc_overload_iterations(f.l, DC_OVERLOAD_BASELINE) <= 12);
	o.tolerance = 1e-13;
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&tight, f.g, f.t, &o), 0);
	CU_ASSERT(dc_overload_converged(tight, DC_OVERLOAD_BASELINE));
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "s0"), 100, 1e-12);
	/* the retries add up: the bottom is offered more than the top */
	CU_ASSERT(OFFERED(DC_OVERLOAD_BASELINE, "s19") > 105);
	for (i = 0; i < 20; i++) {
		double want;
		snprintf(name, sizeof(name), "s%zu", i);
		want = dc_overload_offered_rps(tight, DC_OVERLOAD_BASELINE, ID(name));
		CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, name), want, want * 1e-7);
		want = dc_overload_response_ms(tight, DC_OVERLOAD_BASELINE, ID(name));
		CU_ASSERT_DOUBLE_EQUAL(dc_overload_response_ms(f.l, DC_OVERLOAD_BASELINE, ID(name)), want, want * 1e-7);
	}
	dc_overload_free(tight);
	done(&f);
}

/* A circuit breaker (max_requests 10) in front of a slow callee: web sends
 * 100 rps, db answers in 200 ms (well within the 1000 ms timeout: e^-5 =
 * 0.7 % time out): 100 x 0.2 = 20 in flight > 10, so the breaker passes
 * about half and fails the rest at once. */
static void test_breaker(void)
{
	fx f = {0};
	double off;
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n"
		"    depends_on: [{service: db, max_requests: 10}]\n  - name: db\n    latency_ms: 200\n");
	solve(&f);
	off = OFFERED(DC_OVERLOAD_BASELINE, "db");
	CU_ASSERT(off > 45 && off < 55);
	CU_ASSERT(dc_overload_failure_ratio(f.l, DC_OVERLOAD_BASELINE, ID("web")) > 0.45);
	done(&f);
}

static void test_args(void)
{
	fx f = {0};
	dc_overload *l = (dc_overload *)1;
	dc_overload_options o = DC_OVERLOAD_OPTIONS_INIT;
	run(&f, "services:\n  - name: web\n    traffic_rps: 10\n    depends_on: [db]\n"
		"  - name: db\n    capacity_rps: 5\n");
	CU_ASSERT_EQUAL(dc_overload_triggers_new(NULL, f.cat), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_fail(f.t, 99), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_slow(f.t, ID("db"), 0), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, -1), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(f.t, ID("db"), -100, DC_OVERLOAD_CAPACITY_PERCENT), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(f.t, ID("db"), 1, (dc_overload_capacity_change)7), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_overload_trigger_count(f.t), 0);
	CU_ASSERT_EQUAL(dc_overload_run(&l, NULL, f.t, NULL), DC_EINVALID);
	CU_ASSERT_PTR_NULL(l);
	o.tolerance = -1;
	CU_ASSERT_EQUAL(dc_overload_run(&l, f.g, f.t, &o), DC_EINVALID);
	/* zero replicas left: nothing served, everything lost */
	CU_ASSERT_EQUAL(dc_overload_trigger_capacity(f.t, ID("db"), 0, DC_OVERLOAD_CAPACITY_REPLICAS), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_count(f.t), 1);
	solve(&f);
	CU_ASSERT_PTR_EQUAL(dc_overload_graph(f.l), f.g);
	CU_ASSERT_PTR_EQUAL(dc_overload_triggers_of(f.l), f.t);
	CU_ASSERT(dc_overload_is_overloaded(f.l, DC_OVERLOAD_TRIGGERED, ID("db")));
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_lost_rps(f.l, DC_OVERLOAD_TRIGGERED), 10, 1e-6);
	/* the baseline is overloaded too (10 > 5): nothing new after the trigger */
	CU_ASSERT(dc_overload_is_overloaded(f.l, DC_OVERLOAD_BASELINE, ID("db")));
	CU_ASSERT_EQUAL(dc_overload_metastable(f.l), 0);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(f.l).unbounded, 1);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(f.l).entrypoints, 1);
	/* out of range: the none values */
	CU_ASSERT_EQUAL(dc_overload_offered_rps(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_offered_rps(f.l, (dc_overload_state)9, 0), 0);
	CU_ASSERT(dc_overload_capacity(f.l, DC_OVERLOAD_TRIGGERED, 99) < 0);
	CU_ASSERT_EQUAL(dc_overload_attempts(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_edge_rps(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT(dc_overload_amplification(f.l, 99) < 0);
	CU_ASSERT_EQUAL(dc_overload_cause_of(f.l, 99), DC_OVERLOAD_CAUSE_NONE);
	CU_ASSERT_EQUAL(dc_overload_cause_dep(f.l, 99), SIZE_MAX);
	CU_ASSERT_EQUAL(dc_overload_is_overloaded(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_in_flight(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_concurrency_limit(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_response_ms(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_failure_ratio(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_utilization(f.l, DC_OVERLOAD_TRIGGERED, 99), 0);
	CU_ASSERT_EQUAL(dc_overload_retrying(f.l, NULL), 0);
	CU_ASSERT_EQUAL(dc_overload_metastable(NULL), -1);
	CU_ASSERT_EQUAL(dc_overload_fix_of(NULL).kind, DC_OVERLOAD_FIX_NONE);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(NULL).services, 0);
	{
		char buf[8] = "x";
		CU_ASSERT_STRING_EQUAL(dc_overload_cause_text(f.l, 99, buf, sizeof(buf)), "");
	}
	done(&f);
}

/* The writers: text and JSON of the storm, what they state; the
 * triggers in words; formats they do not write. */
static void test_writers(void)
{
	fx f = {0};
	char *buf = NULL;
	int rc;
	dc_output_options o = th_opts(DC_OUTPUT_TEXT);
	run(&f, "services:\n  - name: web\n    traffic_rps: 100\n"
		"    depends_on: [{service: db, retries: 2, timeout_ms: 500}]\n"
		"  - name: db\n    capacity_rps: 150\n    latency_ms: 5\n  - name: cache\n");
	CU_ASSERT_EQUAL(dc_overload_trigger_surge(f.t, 2), 0);
	CU_ASSERT_EQUAL(dc_overload_trigger_slow(f.t, ID("cache"), 5), 0);
	CU_ASSERT_STRING_EQUAL(dc_overload_trigger_text(f.t, 0), "traffic x2");
	CU_ASSERT_STRING_EQUAL(dc_overload_trigger_text(f.t, 1), "cache answers 5 ms slower");
	CU_ASSERT_PTR_NULL(dc_overload_trigger_text(f.t, 2));
	solve(&f);
	TH_CAPTURE(buf, rc, dc_write_overload(fp, f.l, 0, &o));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Load: traffic x2; cache answers 5 ms slower"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Entry requests lost: 200 of 200 rps (100 %)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  db             600        150       4       x6  retries on web -> db"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "still overloaded (metastable)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a retry budget of 0.1 on web -> db"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "2 of 3 services have no capacity declared and are assumed unbounded"));
	free(buf);
	buf = NULL;
	o.format = DC_OUTPUT_JSON;
	TH_CAPTURE(buf, rc, dc_write_overload(fp, f.l, 1, &o));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"lost_rps\": 200,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"service\": \"db\", \"offered_rps\": 600, \"capacity_rps\": 150, "
					   "\"utilization\": 4, \"amplification\": 6,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"metastable\": true,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"fix\": {\"kind\": \"retry_budget\", \"from\": \"web\", \"to\": \"db\", "
					   "\"value\": 0.1, \"verified\": true}"));
	free(buf);
	buf = NULL;
	o.format = DC_OUTPUT_SARIF;
	TH_CAPTURE(buf, rc, dc_write_overload(fp, f.l, 0, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	CU_ASSERT_EQUAL(dc_write_overload(stdout, NULL, 0, NULL), DC_EINVALID);
	done(&f);
}

/* Observed entry traffic (dc_overload_options.traffic): web declares no
 * traffic_rps and Tempo saw 9000 calls from `user` over 100 s, 90 rps;
 * batch declares 7 rps (the 1200 observed calls do not count: declared
 * wins). db (capacity 500, 2 ms) is offered 90 + 7 = 97 rps. Without the
 * traffic, or with a version-1 options struct, web sends nothing: 7 rps,
 * and web is counted among the entrypoints without traffic. */
static void test_observed_traffic(void)
{
	static const char *const tempo =
		"{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"user\", \"server\": \"web\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"9000\"]]},\n"
		" {\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"user\", \"server\": \"batch\"},"
		"  \"values\": [[1000, \"0\"], [1100, \"1200\"]]}\n"
		"]}}\n";
	fx f = {0};
	dc_observed *obs;
	dc_diags *d;
	dc_traffic *tr;
	dc_overload_options o = DC_OVERLOAD_OPTIONS_INIT;
	run(&f, "services:\n  - name: web\n    entrypoint: true\n    depends_on: [db]\n"
		"  - name: batch\n    entrypoint: true\n    traffic_rps: 7\n    depends_on: [db]\n"
		"  - name: db\n    capacity_rps: 500\n");
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&obs), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_parse_tempo(obs, "sg.json", tempo, strlen(tempo), NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&tr, f.cat, obs), 0);
	o.traffic = tr;
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&f.l, f.g, f.t, &o), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_entry_rps(f.l, DC_OVERLOAD_BASELINE), 97, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "db"), 97, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "web"), 90, 1e-9);
	CU_ASSERT_EQUAL(dc_overload_entry_observed(f.l), 1);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(f.l).entry_no_traffic, 0);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(f.l).entrypoints, 2);
	dc_overload_free(f.l);
	f.l = NULL;
	/* a version-1 struct has no traffic field: declared only */
	o.version = 1;
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&f.l, f.g, f.t, &o), 0);
	CU_ASSERT_DOUBLE_EQUAL(OFFERED(DC_OVERLOAD_BASELINE, "db"), 7, 1e-6);
	CU_ASSERT_EQUAL(dc_overload_entry_observed(f.l), 0);
	CU_ASSERT_EQUAL(dc_overload_inputs_of(f.l).entry_no_traffic, 1);
	dc_overload_free(f.l);
	f.l = NULL;
	/* no traffic given: the same */
	solve(&f);
	CU_ASSERT_DOUBLE_EQUAL(dc_overload_entry_rps(f.l, DC_OVERLOAD_BASELINE), 7, 1e-9);
	CU_ASSERT_EQUAL(dc_overload_entry_observed(f.l), 0);
	CU_ASSERT_EQUAL(dc_overload_entry_observed(NULL), 0);
	dc_overload_free(f.l);
	f.l = NULL;
	dc_traffic_free(tr);
	/* traffic of another catalog (another service count) is refused */
	{
		th_fx other;
		th_fx_load(&other, "o.yaml", "services:\n  - name: a\n");
		CU_ASSERT_EQUAL_FATAL(dc_traffic_new(&tr, other.cat, NULL), 0);
		o.version = DC_OVERLOAD_OPTIONS_VERSION;
		o.traffic = tr;
		CU_ASSERT_EQUAL(dc_overload_run(&f.l, f.g, f.t, &o), DC_EINVALID);
		CU_ASSERT_PTR_NULL(f.l);
		dc_traffic_free(tr);
		th_fx_free(&other);
	}
	dc_observed_free(obs);
	dc_diags_free(d);
	done(&f);
}

int suite_overload(void)
{
	static const th_test tests[] = {
		{ "chain steady state", test_chain_steady },
		{ "failure with retries", test_fail_retries },
		{ "metastable retry storm", test_metastable_storm },
		{ "retry budget stops a storm", test_budget_stops_storm },
		{ "slow dependency exhausts concurrency", test_slow_exhausts_concurrency },
		{ "fan-in hub", test_fan_in },
		{ "fix: replicas", test_fix_replicas },
		{ "cycle", test_cycle },
		{ "circuit breaker", test_breaker },
		{ "arguments", test_args },
		{ "writers", test_writers },
		{ "observed entry traffic", test_observed_traffic },
		{ "a deep chain settles in a few passes", test_deep_chain_settles },
		{ NULL, NULL }
	};
	return th_suite("overload", tests);
}
