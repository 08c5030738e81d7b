/*
 * depcheck/plan.h - deployment waves, lockstep groups, rollback order and
 * cold-start bring-up (docs/model.md, "Deployment plan").
 *
 * The constraint graph. Every dependency orders (hard, soft and any_of
 * members alike), except a *soft* dependency whose two ends lie in one
 * strongly connected component of the all-edges graph: a soft dependency
 * tolerates absence, so it is the edge to break a cycle with. (An any_of
 * member keeps its own kind: a soft member inside a cycle is dropped too.)
 * What is still cyclic after that is a *lockstep group*: its members must
 * ship together, in one wave.
 *
 * Waves. With DC_PLAN_PROVIDERS_FIRST (additive API changes) a service
 * deploys in a later wave than everything it depends on;
 * DC_PLAN_CONSUMERS_FIRST (removals) is the mirror. Waves are the
 * longest-path layering of the condensation ("as soon as possible"), so the
 * number of waves is exactly the longest constrained chain, never more.
 *
 * Partial plans. `changed` restricts the plan to some services, but every
 * ordering constraint that runs through unchanged services is kept: if
 * a -> x -> b and a, b changed, b still goes first. A planned service's
 * wave is 1 + the highest wave of a planned service it reaches through the
 * constraint graph (one pass over the condensation carrying "the highest
 * planned wave at or below here", no per-pair reachability), which is again
 * the minimal number of waves for that set. Lockstep groups of a partial
 * plan list their planned members only, and only groups with two or more
 * of them are reported (one changed member of a cycle ships alone: the
 * others are already deployed).
 *
 * Shape. Inside a wave, services are in canary order: lockstep groups and
 * single services sorted by the blast radius of their riskiest member
 * (other services DOWN, then DEGRADED, then name), smallest first; members
 * of one group are consecutive. `max_parallel` N > 0 then splits each wave
 * into consecutive sub-waves of at most N services, greedily in canary
 * order. A lockstep group is never split: a group bigger than N gets a
 * sub-wave of its own (the only case where a wave exceeds N). Splitting
 * keeps every constraint, since nothing inside one wave constrains anything
 * else in it.
 *
 * Rollback is the same waves in reverse order.
 *
 * Cold start (`cold_start`): a bring-up from nothing, so only hard
 * dependencies outside any_of groups block (an any_of group needs only one
 * member up; treating its members as non-blocking is the simple, correct
 * choice), the order is always providers first, and every hard cycle is an
 * impossible cold start: the lockstep groups of a cold-start plan are
 * exactly those cycles, each with the dependencies that close it (for
 * file:line). They are still placed as one wave so the plan is complete.
 *
 * Ownership: dc_plan_compute() reads the graph (and the optional blast
 * result) and keeps nothing borrowed; arrays returned by the accessors
 * live until dc_plan_free(). The library never prints.
 */
#ifndef DEPCHECK_PLAN_H
#define DEPCHECK_PLAN_H

#include <stdio.h>

#include "graph.h"
#include "blast.h"
#include "format.h"

typedef struct dc_plan dc_plan;

typedef enum {
	DC_PLAN_PROVIDERS_FIRST = 0, /**< dependencies deploy first (additive changes) */
	DC_PLAN_CONSUMERS_FIRST = 1  /**< dependents deploy first (removals) */
} dc_plan_order;

typedef struct {
	unsigned int version;      /**< DC_PLAN_OPTIONS_VERSION */
	dc_plan_order order;       /**< ignored for cold_start (always providers first) */
	const uint8_t *changed;    /**< NULL: plan every service; else one byte per service
	                                id, nonzero = planned (borrowed during compute only) */
	size_t max_parallel;       /**< most services per wave, 0 = unlimited */
	int cold_start;            /**< order by hard non-any_of dependencies only */
	const dc_blast *blast;     /**< blast radii for the canary order, or NULL to order
	                                by name only (borrowed during compute only) */
} dc_plan_options;

#define DC_PLAN_OPTIONS_VERSION 1
#define DC_PLAN_OPTIONS_INIT { DC_PLAN_OPTIONS_VERSION, DC_PLAN_PROVIDERS_FIRST, NULL, 0, 0, NULL }

/** Compute a plan. Returns 0, DC_EINVALID (bad options: a version outside
 * 1 .. DC_PLAN_OPTIONS_VERSION,
 * blast computed for another graph size) or DC_ENOMEM; *out is NULL on
 * failure. opts may be NULL for the defaults. */
DC_EXTERN(int) dc_plan_compute(dc_plan **out, const dc_graph *g, const dc_plan_options *opts);
DC_EXTERN(void) dc_plan_free(dc_plan *p);

/** Number of planned services (each appears in exactly one wave). */
DC_EXTERN(size_t) dc_plan_service_count(const dc_plan *p);
/** Number of waves after the max_parallel split. */
DC_EXTERN(size_t) dc_plan_wave_count(const dc_plan *p);
/** Number of waves before the split: the longest constrained chain among
 * planned services. */
DC_EXTERN(size_t) dc_plan_depth(const dc_plan *p);
/** Services of wave i (0-based; printed as "wave i+1"), in canary order,
 * in (*ids)[0..n) (borrowed). */
DC_EXTERN(size_t) dc_plan_wave(const dc_plan *p, size_t i, const dc_id **ids);
/** Rollback wave i: dc_plan_wave(p, count-1-i). */
DC_EXTERN(size_t) dc_plan_rollback_wave(const dc_plan *p, size_t i, const dc_id **ids);
/** 1-based wave of s, or 0 when s is not planned. */
DC_EXTERN(size_t) dc_plan_wave_of(const dc_plan *p, dc_id s);

/** Lockstep groups (impossible cold starts when cold_start was set), in
 * the order of their first wave. */
DC_EXTERN(size_t) dc_plan_lockstep_count(const dc_plan *p);
/** Planned members of group i, in canary order (borrowed). */
DC_EXTERN(size_t) dc_plan_lockstep_members(const dc_plan *p, size_t i, const dc_id **ids);
/** Constraining dependencies (indexes for dc_dep_location) with both ends
 * in group i, members or not: the edges that close the cycle (borrowed). */
DC_EXTERN(size_t) dc_plan_lockstep_edges(const dc_plan *p, size_t i, const uint32_t **deps);

/** The gate of `depcheck plan --cold-start`: 1 when p is a cold-start
 * plan with a lockstep group (a hard cycle: an impossible cold start),
 * else 0 (the lockstep groups of a deployment plan ship together: a
 * constraint, not a failure). */
DC_EXTERN(int) dc_plan_gate(const dc_plan *p);

/** 1 when dependency d constrains the plan (it is in the constraint graph). */
DC_EXTERN(int) dc_plan_dep_constrains(const dc_plan *p, size_t d);

/** Write the plan as a graph to fp: DC_OUTPUT_DOT (DOT text: the plan
 * overlay of dc_render restricted to the planned services, one rank per
 * wave headed by "wave N", top to bottom, dependencies between planned
 * services drawn in deployment order, those implied by longer paths left
 * out) or DC_OUTPUT_SVG (the same, laid out by Graphviz's dot; not
 * thread-safe, see depcheck/render.h). Graphviz's messages go to diags
 * (may be NULL). Returns 0, DC_EINVALID (another format), DC_ELIMIT (svg
 * with more than DC_PLAN_SVG_MAX planned services: dot layout is
 * superlinear), DC_ENOTFOUND (no SVG plugin), DC_ERROR (Graphviz failed:
 * see diags), DC_EIO, DC_ENOMEM. */
#define DC_PLAN_SVG_MAX 5000
DC_EXTERN(int) dc_plan_render(const dc_plan *p, const dc_graph *g, dc_output_format format, FILE *fp,
			      dc_diags *diags);

#endif
