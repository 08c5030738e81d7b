/*
 * depcheck/impact.h - what happens to every service when some services fail
 * (DESIGN.md §3): the DOWN set is the least fixpoint of "a hard dependency
 * is down, or every member of an any_of group is down"; every other service
 * that (transitively) depends on an affected one is DEGRADED.
 *
 * This is the propagation core; simulate/analyze build on it.
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

DC_EXTERN(dc_state) dc_impact_state(const dc_impact *imp, dc_id v);
/** The dependency edge that changed v's state (DOWN: a down hard dependency
 * or the last member of a group; DEGRADED: the first affected dependency),
 * or UINT32_MAX for seeds and unaffected services. Following causes leads
 * back to a seed. */
DC_EXTERN(uint32_t) dc_impact_cause(const dc_impact *imp, dc_id v);
DC_EXTERN(size_t) dc_impact_down_count(const dc_impact *imp);
DC_EXTERN(size_t) dc_impact_degraded_count(const dc_impact *imp);
/** Affected services in the order they were reached (seeds first). */
DC_EXTERN(size_t) dc_impact_affected(const dc_impact *imp, const dc_id **ids);

#endif
