/*
 * depcheck/overload.h - the load model (docs/load.md): the steady state of
 * the graph under traffic, and what a failure, a slowdown, a surge or lost
 * capacity does to it: offered load at every service including retries,
 * in-flight requests by Little's law, utilisation against capacity, what
 * fails past capacity, the entry requests lost, and whether the overload
 * outlives its trigger (metastability).
 *
 * Inputs (catalog attributes): traffic_rps (requests/s from users, on the
 * services that receive them), capacity_rps and max_concurrency (per
 * replica; times replicas), latency_ms, and per dependency calls (per
 * request, default 1), retries, timeout_ms / per_try_timeout_ms,
 * retry_budget and a circuit breaker (max_requests, or max_connections +
 * max_pending, as a DestinationRule's connection pool gives them). A
 * service without capacity_rps is unbounded; without max_concurrency it
 * holds any number of requests in flight. Startup-only dependencies carry
 * no load, nor do the dependencies that close a cycle in which no
 * dependency declares its calls (dc_overload_inputs.cycle_edges counts
 * them).
 *
 * The fixed point is found by iteration in topological order of the
 * runtime dependencies (callers before callees for the rates, callees
 * before callers for failures and times), as often as needed around
 * cycles, up to a maximum number of iterations: full steps, a rate that
 * oscillates or keeps growing damped; the result says whether it
 * converged. Deterministic: no randomness, a fixed order.
 *
 * Ownership: triggers borrow the catalog; a result borrows the graph and
 * the triggers (free it first). Arrays returned are borrowed from the
 * result.
 */
#ifndef DEPCHECK_OVERLOAD_H
#define DEPCHECK_OVERLOAD_H

#include "graph.h"
#include "traffic.h"

/* ---- triggers ---------------------------------------------------------- */

typedef struct dc_overload_triggers dc_overload_triggers;

/** No trigger yet: 0, DC_EINVALID (NULL) or DC_ENOMEM. */
DC_EXTERN(int) dc_overload_triggers_new(dc_overload_triggers **out, const dc_catalog *cat);
DC_EXTERN(void) dc_overload_triggers_free(dc_overload_triggers *t);
/** v fails: it answers every request with an error at once (a crash;
 * `slow` is the hang). 0, DC_EINVALID for an id out of range, DC_ENOMEM. */
DC_EXTERN(int) dc_overload_trigger_fail(dc_overload_triggers *t, dc_id v);
/** v answers `extra_ms` (> 0, at most 1e9) later than its latency_ms;
 * repeated, the extras add up. 0, DC_EINVALID, DC_ENOMEM. */
DC_EXTERN(int) dc_overload_trigger_slow(dc_overload_triggers *t, dc_id v, double extra_ms);
/** Every entry traffic times k (> 0, at most 1e6; repeated, they multiply). */
DC_EXTERN(int) dc_overload_trigger_surge(dc_overload_triggers *t, double k);

/** How dc_overload_trigger_capacity() changes a capacity. */
typedef enum {
	DC_OVERLOAD_CAPACITY_PERCENT = 0, /**< by `value` percent (-50: half of it is lost) */
	DC_OVERLOAD_CAPACITY_REPLICAS     /**< `value` replicas are left (0: none) */
} dc_overload_capacity_change;

/** v's capacity (capacity_rps x replicas, and max_concurrency x replicas
 * alike) changes: by a percentage (more than -100 .. 1e6) or to a number of
 * replicas (0 .. 1e6). DC_EINVALID for an id out of range, a value out of
 * range, an unknown `how`, or a service that declares no capacity_rps
 * (there is nothing to change); DC_ENOMEM. The last change of v wins. */
DC_EXTERN(int) dc_overload_trigger_capacity(dc_overload_triggers *t, dc_id v, double value,
					 dc_overload_capacity_change how);
/** How many triggers were added (each successful call counts). */
DC_EXTERN(size_t) dc_overload_trigger_count(const dc_overload_triggers *t);
/** Trigger i in words ("discovery answers 2000 ms slower", "traffic x2",
 * "db capacity -50%", "db down to 1 replica", "db fails"); NULL out of
 * range. */
DC_EXTERN(const char *) dc_overload_trigger_text(const dc_overload_triggers *t, size_t i);

/** What the triggers do to service v (for drawing them): DC_OVERLOAD_TRIGGER_*
 * bits, 0 when none (or v out of range). */
#define DC_OVERLOAD_TRIGGER_FAIL 1u     /**< dc_overload_trigger_fail */
#define DC_OVERLOAD_TRIGGER_SLOW 2u     /**< dc_overload_trigger_slow */
#define DC_OVERLOAD_TRIGGER_CAPACITY 4u /**< dc_overload_trigger_capacity */
DC_EXTERN(unsigned) dc_overload_trigger_of(const dc_overload_triggers *t, dc_id v);
/** The extra latency of v in ms (the slow triggers on it added up); 0 when none. */
DC_EXTERN(double) dc_overload_trigger_slow_ms(const dc_overload_triggers *t, dc_id v);

/* ---- running the model --------------------------------------------------- */

/** Also decide metastability: after the trigger, solve again without it,
 * starting from the triggered state (dc_overload_metastable). */
#define DC_OVERLOAD_METASTABILITY 1u

typedef struct {
	unsigned int version;    /**< DC_OVERLOAD_OPTIONS_VERSION */
	unsigned max_iterations; /**< per solve; 0 = 2000 */
	double tolerance;        /**< largest relative change of a rate at convergence; 0 = 1e-9 */
	unsigned flags;          /**< DC_OVERLOAD_* */
	/* version 2 */
	const dc_traffic *traffic; /**< entry traffic of the same catalog (depcheck/traffic.h):
				     an entrypoint that declares no traffic_rps sends its
				     observed rate (origin DC_TRAFFIC_OBSERVED); NULL: the
				     declared traffic only */
} dc_overload_options;

#define DC_OVERLOAD_OPTIONS_VERSION 2
#define DC_OVERLOAD_OPTIONS_INIT { DC_OVERLOAD_OPTIONS_VERSION, 0, 0, DC_OVERLOAD_METASTABILITY, NULL }

typedef struct dc_overload dc_overload;

/** Solve the model on g without the triggers (the baseline) and with them
 * (t may be NULL or empty: the triggered state is the baseline). 0;
 * DC_EINVALID (NULL g, triggers of another catalog, traffic of a catalog
 * with another service count, bad options); DC_ENOMEM (*out is NULL). */
DC_EXTERN(int) dc_overload_run(dc_overload **out, const dc_graph *g, const dc_overload_triggers *t,
			   const dc_overload_options *opts);
DC_EXTERN(void) dc_overload_free(dc_overload *l);

DC_EXTERN(const dc_graph *) dc_overload_graph(const dc_overload *l);
DC_EXTERN(const dc_overload_triggers *) dc_overload_triggers_of(const dc_overload *l);

/** Which steady state an accessor reads. */
typedef enum {
	DC_OVERLOAD_TRIGGERED = 0, /**< with the triggers */
	DC_OVERLOAD_BASELINE,      /**< without them, from no load */
	DC_OVERLOAD_AFTER          /**< without them, from the triggered state (metastability;
				    the baseline when it was not decided) */
} dc_overload_state;

/* Per service, in state `st`. Out of range (v or st): the "none" value
 * named. */

/** Requests/s arriving at v, retries included (0 when none). */
DC_EXTERN(double) dc_overload_offered_rps(const dc_overload *l, dc_overload_state st, dc_id v);
/** Capacity of v in rps (capacity_rps x replicas, after a capacity
 * trigger in DC_OVERLOAD_TRIGGERED); -1 when unbounded. */
DC_EXTERN(double) dc_overload_capacity(const dc_overload *l, dc_overload_state st, dc_id v);
/** Requests in flight v would hold (Little's law: accepted rate x time in
 * v), and the limit (max_concurrency x replicas; 0 = unbounded); -1 when
 * they grow without bound (a queue past capacity, or a dependency that
 * never answers, with no limit). */
DC_EXTERN(double) dc_overload_in_flight(const dc_overload *l, dc_overload_state st, dc_id v);
DC_EXTERN(double) dc_overload_concurrency_limit(const dc_overload *l, dc_overload_state st, dc_id v);
/** Utilisation: the largest of offered / capacity and in-flight demand /
 * limit; 0 for an unbounded service; -1 when the demand is unbounded. */
DC_EXTERN(double) dc_overload_utilization(const dc_overload *l, dc_overload_state st, dc_id v);
/** Share of the requests arriving at v that fail (0 .. 1). */
DC_EXTERN(double) dc_overload_failure_ratio(const dc_overload *l, dc_overload_state st, dc_id v);
/** Mean time v takes to answer a request it serves, in ms (its latency,
 * its queue and its dependencies); -1 when unbounded. */
DC_EXTERN(double) dc_overload_response_ms(const dc_overload *l, dc_overload_state st, dc_id v);
/** 1 when v is past a limit in state st: offered above capacity, or more
 * requests in flight than its limit allows. 0 otherwise. */
DC_EXTERN(int) dc_overload_is_overloaded(const dc_overload *l, dc_overload_state st, dc_id v);

/* Per dependency d (state st): the attempts per call, and the rate of
 * attempts sent (calls x attempts x the caller's accepted rate); 0 out of
 * range. Retries/s on d are attempts_rps x (1 - 1/attempts). */
DC_EXTERN(double) dc_overload_attempts(const dc_overload *l, dc_overload_state st, size_t d);
DC_EXTERN(double) dc_overload_edge_rps(const dc_overload *l, dc_overload_state st, size_t d);

/* Whole graph. */
/** Entry requests/s (traffic_rps, times a surge in TRIGGERED), and those
 * that fail (the entrypoint answers an error or never answers). */
DC_EXTERN(double) dc_overload_entry_rps(const dc_overload *l, dc_overload_state st);
DC_EXTERN(double) dc_overload_lost_rps(const dc_overload *l, dc_overload_state st);
/** 1 when the solve of state st converged; its iterations. */
DC_EXTERN(int) dc_overload_converged(const dc_overload *l, dc_overload_state st);
DC_EXTERN(unsigned) dc_overload_iterations(const dc_overload *l, dc_overload_state st);

/** The services overloaded with the triggers, most utilised first (then
 * by name), in (*ids)[0..n). */
DC_EXTERN(size_t) dc_overload_overloaded(const dc_overload *l, const dc_id **ids);
/** The dependencies that retry with the triggers, most retries/s first
 * (then by index), in (*deps)[0..n). */
DC_EXTERN(size_t) dc_overload_retrying(const dc_overload *l, const size_t **deps);

/** Offered load with the triggers over the baseline (-1 when the
 * baseline offers v nothing). */
DC_EXTERN(double) dc_overload_amplification(const dc_overload *l, dc_id v);

/** Why v is overloaded (with the triggers). */
typedef enum {
	DC_OVERLOAD_CAUSE_NONE = 0,   /**< not overloaded */
	DC_OVERLOAD_CAUSE_RETRIES,    /**< retries on dependency dc_overload_cause_dep() add load */
	DC_OVERLOAD_CAUSE_SLOW,       /**< dependency dc_overload_cause_dep() holds its requests (concurrency) */
	DC_OVERLOAD_CAUSE_CAPACITY,   /**< it lost capacity (a capacity trigger) */
	DC_OVERLOAD_CAUSE_TRAFFIC     /**< its traffic alone (a surge, or already in the baseline) */
} dc_overload_cause;

DC_EXTERN(dc_overload_cause) dc_overload_cause_of(const dc_overload *l, dc_id v);
/** The dependency of the cause (an incoming retrying edge, or an outgoing
 * slow one); SIZE_MAX when none. */
DC_EXTERN(size_t) dc_overload_cause_dep(const dc_overload *l, dc_id v);
/** The cause in words ("retries on api -> db (3 attempts per call)"),
 * written to buf (NUL-terminated, cut to size); returns buf. */
DC_EXTERN(const char *) dc_overload_cause_text(const dc_overload *l, dc_id v, char *buf, size_t size);

/* ---- metastability -------------------------------------------------------- */

/** 1 when the overload outlives the trigger: solved again without the
 * triggers from the triggered state, some service stays overloaded that
 * the baseline does not overload; 0 when not; -1 when not decided (no
 * trigger, or DC_OVERLOAD_METASTABILITY not asked). */
DC_EXTERN(int) dc_overload_metastable(const dc_overload *l);
/** The dependencies whose retries keep the load above capacity after the
 * trigger (edges into a service still overloaded, most retries/s first). */
DC_EXTERN(size_t) dc_overload_sustaining(const dc_overload *l, const size_t **deps);

/** The smallest change found that breaks a metastable state. */
typedef enum {
	DC_OVERLOAD_FIX_NONE = 0,      /**< none of those tried breaks it (or not metastable) */
	DC_OVERLOAD_FIX_RETRY_BUDGET,  /**< a retry budget of `value` on dependency `dep` */
	DC_OVERLOAD_FIX_FEWER_RETRIES, /**< `value` retries on dependency `dep` (one fewer) */
	DC_OVERLOAD_FIX_REPLICAS       /**< `value` more replicas of service `service` */
} dc_overload_fix_kind;

typedef struct {
	dc_overload_fix_kind kind;
	size_t dep;       /**< SIZE_MAX when the fix is not on a dependency */
	dc_id service;    /**< DC_NO_ID when the fix is not on a service */
	double value;
} dc_overload_fix;

/** The fix, tried in this order and verified by solving again from the
 * triggered state with it: a retry budget of 0.1 on the top sustaining
 * dependency, one retry fewer there, then enough replicas of the most
 * utilised service to carry its sustained load. */
DC_EXTERN(dc_overload_fix) dc_overload_fix_of(const dc_overload *l);

/* ---- what the answer rests on ---------------------------------------------- */

/** Counts for the model's assumptions line. */
typedef struct {
	size_t services;          /**< all services */
	size_t unbounded;         /**< without capacity_rps: assumed unbounded */
	size_t no_concurrency;    /**< without max_concurrency */
	size_t entrypoints;       /**< entrypoints */
	size_t entry_no_traffic;  /**< entrypoints without traffic_rps: they send nothing */
	size_t runtime_deps;      /**< dependencies that carry load (not startup-only) */
	size_t calls_set;         /**< runtime dependencies with calls written (others: 1) */
	size_t breakers;          /**< runtime dependencies with a circuit breaker */
	size_t cycle_edges;       /**< dependencies that close a cycle in which no dependency
				       declares calls: assumed to carry no load */
} dc_overload_inputs;

DC_EXTERN(dc_overload_inputs) dc_overload_inputs_of(const dc_overload *l);
/** Entrypoints without traffic_rps that send their observed rate instead
 * (dc_overload_options.traffic); they are not counted in entry_no_traffic. */
DC_EXTERN(size_t) dc_overload_entry_observed(const dc_overload *l);

/* ---- static risks: retry storms (analyze, check max-load-amplification) ---- */

/* Per service, the worst load amplification a single failure or slowdown
 * can send to it, and whether that exceeds its capacity (docs/load.md,
 * "Static risks"). Solving the model for every trigger is quadratic, so:
 * one baseline solve; an upper bound for every service in one pass (its
 * offered load if every dependency on every path to it made its most
 * attempts at once and nothing were turned away: the model never offers
 * more under any single trigger); and exact solves for the `solves`
 * services of largest bound, of two triggers each: the service fails, and
 * it hangs (answers DC_OVERLOAD_HANG_MS later: every attempt on it times
 * out). A solved figure that reaches the bound is exact: no single
 * trigger can do worse. Otherwise it is what the worse of the two does
 * (at least that), and the bound the most any trigger could. */

/** The slowdown of a hang: `--slow X=1000000000`. */
#define DC_OVERLOAD_HANG_MS 1e9
/** Services solved when the options say 0. */
#define DC_OVERLOAD_RISK_SOLVES_DEFAULT 10
/** A solved figure within this share of its bound reaches it (exact). */
#define DC_OVERLOAD_RISK_EXACT_TOLERANCE 1e-4

typedef enum {
	DC_OVERLOAD_RISK_BOUND = 0, /**< not solved: amplification is the upper bound */
	DC_OVERLOAD_RISK_SOLVED,    /**< solved: what the worse trigger tried does; the bound is above */
	DC_OVERLOAD_RISK_EXACT      /**< solved, and it reaches the bound: the worst of any single trigger */
} dc_overload_risk_kind;

typedef enum {
	DC_OVERLOAD_RISK_FAILS = 0, /**< the service fails (dc_overload_trigger_fail) */
	DC_OVERLOAD_RISK_HANGS      /**< it hangs (dc_overload_trigger_slow by DC_OVERLOAD_HANG_MS) */
} dc_overload_risk_trigger;

typedef struct {
	dc_id service;
	dc_overload_risk_kind kind;
	double baseline_rps;   /**< offered without a trigger (> 0) */
	double capacity_rps;   /**< capacity_rps x replicas; -1 unbounded */
	double bound;          /**< upper bound of the amplification (> 1); INFINITY when a cycle
				    with declared calls feeds it */
	double bound_rps;      /**< offered load at the bound (INFINITY likewise) */
	double amplification;  /**< solved: the worse trigger's offered / baseline; else the bound */
	double offered_rps;    /**< solved: offered under that trigger; else bound_rps */
	dc_id trigger;         /**< solved: the service of that trigger (the row's own); else DC_NO_ID */
	dc_overload_risk_trigger how; /**< solved: fails or hangs */
	int over_capacity;     /**< solved: offered past capacity (or in flight past its limit) under
				    the trigger; else: the bound is past capacity (it may be) */
	int baseline_over;     /**< already past a limit without a trigger */
	int converged;         /**< solved: that solve converged */
} dc_overload_risk;

typedef struct {
	unsigned int version;    /**< DC_OVERLOAD_RISK_OPTIONS_VERSION */
	size_t solves;           /**< services solved, largest bounds first; 0 = DC_OVERLOAD_RISK_SOLVES_DEFAULT */
	unsigned max_iterations; /**< per solve; 0 = 2000 for the baseline and, for each
				      triggered solve, 10^7 / (services + dependencies)
				      passes, between 50 and 2000 (a solve stopped there
				      is marked as not converged) */
	size_t max_solve_size;   /**< services + dependencies above which nothing is solved, not even
				      the baseline: the bounds over the nominal load (every call made
				      once, nothing failing; one linear pass); 0 = no limit */
} dc_overload_risk_options;

#define DC_OVERLOAD_RISK_OPTIONS_VERSION 1
#define DC_OVERLOAD_RISK_OPTIONS_INIT { DC_OVERLOAD_RISK_OPTIONS_VERSION, 0, 0, 0 }

typedef struct dc_overload_risks dc_overload_risks;

/** Compute the risks of g (opts may be NULL). 0; DC_EINVALID (NULL g,
 * bad options); DC_ENOMEM (*out is NULL). Time: (1 + 2 x solves) solves
 * of the model and one linear pass. */
DC_EXTERN(int) dc_overload_risks_compute(dc_overload_risks **out, const dc_graph *g,
					 const dc_overload_risk_options *opts);
DC_EXTERN(void) dc_overload_risks_free(dc_overload_risks *r);
/** The services a single trigger can send more than their baseline load
 * (bound > 1, baseline > 0), in report order: the solved ones first (past
 * capacity first, then the worst amplification, then name), then the
 * others by bound (largest first, then name). Borrowed. */
DC_EXTERN(size_t) dc_overload_risks_get(const dc_overload_risks *r, const dc_overload_risk **rows);
/** How many of them were solved (the first ones). */
DC_EXTERN(size_t) dc_overload_risks_solved(const dc_overload_risks *r);
/** 1 when the baseline solve converged (and when it was not solved). */
DC_EXTERN(int) dc_overload_risks_converged(const dc_overload_risks *r);
/** 1 when the catalog was past max_solve_size: nothing solved, every row
 * a bound, baseline_rps the nominal load (every call made once, nothing
 * failing) instead of the solved baseline. */
DC_EXTERN(int) dc_overload_risks_nominal(const dc_overload_risks *r);
/** What the answer rests on (dc_overload_inputs_of). */
DC_EXTERN(dc_overload_inputs) dc_overload_risks_inputs(const dc_overload_risks *r);
DC_EXTERN(const dc_graph *) dc_overload_risks_graph(const dc_overload_risks *r);

#endif
