/*
 * depcheck/impact.h - what happens to every service when some services fail
 * (docs/model.md): the DOWN set is the least fixpoint of "a hard dependency
 * is down, or every member of an any_of group is down"; every other service
 * that (transitively) depends on an affected one is DEGRADED.
 *
 * This is the propagation core; simulate/analyze build on it.
 *
 * dc_impact_run_timed() computes the same states and, in addition, the time
 * to impact of every affected service (docs/model.md) and, as its cause, the
 * dependency that sets that time (see below).
 */
#ifndef DEPCHECK_IMPACT_H
#define DEPCHECK_IMPACT_H

#include "graph.h"

typedef enum {
	DC_STATE_UP = 0,
	DC_STATE_DEGRADED = 1,
	DC_STATE_DOWN = 2
} dc_state;

typedef struct dc_impact dc_impact;

/** Reusable scratch space for repeated propagations on one graph. */
DC_EXTERN(int) dc_impact_new(dc_impact **out, const dc_graph *g);
DC_EXTERN(void) dc_impact_free(dc_impact *imp);

/**
 * Reset, fail `seeds` (down) and `degraded_seeds` (degraded, e.g. a service
 * that lost some of its zones), and propagate. Either array may be NULL.
 */
DC_EXTERN(int) dc_impact_run(dc_impact *imp, const dc_id *seeds, size_t nseeds,
			     const dc_id *degraded_seeds, size_t ndegraded);

/** The state of v after the last run; DC_STATE_UP for an id that is not a
 * service (DC_NO_ID included). */
DC_EXTERN(dc_state) dc_impact_state(const dc_impact *imp, dc_id v);
/** The dependency edge that changed v's state (DOWN: a down hard dependency
 * or the last member of a group; DEGRADED: the first affected dependency),
 * or UINT32_MAX for seeds, unaffected services and ids out of range.
 * Following causes leads back to a seed. */
DC_EXTERN(uint32_t) dc_impact_cause(const dc_impact *imp, dc_id v);
DC_EXTERN(size_t) dc_impact_down_count(const dc_impact *imp);
DC_EXTERN(size_t) dc_impact_degraded_count(const dc_impact *imp);
/** Affected services in the order they were reached (seeds first). */
DC_EXTERN(size_t) dc_impact_affected(const dc_impact *imp, const dc_id **ids);

/* ---- time to impact ------------------------------------------------------ */

/** How a failed service fails its callers. */
typedef enum {
	DC_FAILURE_HANG = 0,  /**< it hangs: a caller notices after timeout_ms × (retries + 1) */
	DC_FAILURE_ERROR = 1  /**< it errors at once: every hop costs 0 ms */
} dc_failure_mode;

/** Time to impact of a service not affected by the last run (or when the
 * last run was not timed). */
#define DC_TIME_NONE UINT64_MAX

/**
 * dc_impact_run() plus time to impact, in milliseconds. The states are
 * exactly those of dc_impact_run(); over them:
 *  - seeds (down or degraded) have t = 0;
 *  - DOWN v: the minimum over what takes it down: a down hard dependency d
 *    through edge e gives t(d) + cost(e); a fully-down any_of group gives
 *    the time its last failure is noticed, max over members m of
 *    t(m) + cost(e_m);
 *  - DEGRADED v: the minimum over its affected dependencies: a DOWN one
 *    through edge e gives t(d) + cost(e), a DEGRADED one gives t(d)
 *    (degradation shows at once);
 * with cost(e) = timeout_ms × (retries + 1) in mode hang, 0 in mode error
 * (sums saturate at DC_TIME_NONE - 1). This is Knuth's generalization of
 * Dijkstra's algorithm (min over alternatives, max over group members), run
 * with a binary heap over the affected services only: O(affected edges ·
 * log). dc_impact_cause() then returns the edge that achieves the minimum
 * (for a group: the member whose failure completed it, the one achieving
 * the max), so t(v) = t(to(cause)) + cost(cause) (+ 0 when v is DEGRADED
 * and to(cause) is DEGRADED), and following causes ends at a seed.
 */
DC_EXTERN(int) dc_impact_run_timed(dc_impact *imp, const dc_id *seeds, size_t nseeds,
				   const dc_id *degraded_seeds, size_t ndegraded,
				   dc_failure_mode mode);
/** Time to impact of v in the last timed run, or DC_TIME_NONE (also for an
 * id out of range). */
DC_EXTERN(uint64_t) dc_impact_time_ms(const dc_impact *imp, dc_id v);
/** The cost of noticing the failure of dependency d in `mode` (0 for an
 * index out of range). */
DC_EXTERN(uint64_t) dc_impact_edge_cost_ms(const dc_catalog *cat, size_t d, dc_failure_mode mode);

#endif
