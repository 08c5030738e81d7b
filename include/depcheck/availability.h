/*
 * depcheck/availability.h - effective availability, importance and minimal
 * cut sets (docs/model.md, issue #4).
 *
 * Failure model. Every service has an own failure event, independent of
 * the others, that fires with probability 1 - a (a = its declared
 * availability, "own availability, before dependencies"). A service with
 * `replicas: r` runs max(r, number of zones) replicas placed round-robin
 * over its zones; they fail independently, each with (1 - a)^(1/r), and the
 * own event is "all replicas down". With `zone_failure` P > 0 every distinct zone also fails with
 * probability P, taking down every replica placed in it (a common cause
 * shared by all services in that zone). A service is DOWN when its own
 * event fired or when the propagation rules of depcheck/impact.h take it
 * down (hard dependency down, or every member of an any_of group down;
 * least fixpoint, so a cycle with no failed member stays UP). Its
 * effective availability is the probability it is not DOWN.
 *
 * Method per service: when the basic events its state depends on (own
 * events of the services it can be taken down by, and their zones) number
 * at most `exact_max`, every combination is enumerated (exact); otherwise a
 * Monte Carlo estimate over `trials` trials, evaluated 64 trials per
 * machine word, with a 95 % Wilson interval. The result for a seed does not
 * depend on the number of threads.
 *
 * Importance, per entrypoint e and service i of its dependency closure:
 *  - Birnbaum  B(i) = A(e | i's own event never fires) - A(e | it always fires);
 *  - Fussell-Vesely FV(i) = (U(e) - U(e | i's own event never fires)) / U(e),
 *    U = 1 - A: the share of e's unavailability that goes away when i is
 *    made perfect.
 * Exact when e is computed exactly; otherwise estimated on the same trials
 * (common random numbers: each trial is re-evaluated with i's own event
 * flipped), possibly on fewer trials than the availability: a work budget
 * (about 4e8 word operations) sets the number of trials, and when even one
 * block of 512 trials would exceed it (around 100,000 services) importance
 * by Monte Carlo is skipped (method DC_AVAIL_NONE, no rows).
 *
 * Minimal cut sets of an entrypoint e: sets of services (other than e)
 * whose joint own failure takes e DOWN while no proper subset does. Order 1
 * are e's SPOFs (depcheck/blast.h).
 *
 * Ownership: the result copies what it needs (the graph may be freed
 * first); arrays returned by accessors are borrowed from the result.
 */
#ifndef DEPCHECK_AVAILABILITY_H
#define DEPCHECK_AVAILABILITY_H

#include "graph.h"

typedef struct dc_availability dc_availability;

/** Progress of the Monte Carlo phase: `done` of `total` units. Called from
 * worker threads, one call at a time. `payload` is the options'
 * progress_ctx (callback payload last, as everywhere). */
typedef void (*dc_availability_progress_fn)(uint64_t done, uint64_t total, void *payload);

typedef struct {
	unsigned int version;       /**< DC_AVAILABILITY_OPTIONS_VERSION */
	uint64_t trials;            /**< Monte Carlo trials; 0 = 1,000,000 */
	uint64_t seed;              /**< random seed (any value, 0 included) */
	unsigned threads;           /**< worker threads; 0 = online CPUs (at most 64) */
	double zone_failure;        /**< per-zone failure probability, 0 = none */
	unsigned max_order;         /**< largest cut set order, 1..3; 0 = 2 */
	unsigned exact_max;         /**< most basic events for the exact method, 0..24;
	                                 0 = 16 (DC_AVAILABILITY_EXACT_MAX) */
	unsigned flags;             /**< DC_AVAIL_* below */
	dc_availability_progress_fn progress;  /**< NULL: none */
	void *progress_ctx;         /**< the progress callback's payload */
} dc_availability_options;

#define DC_AVAIL_NO_IMPORTANCE 1u  /**< skip importance */
#define DC_AVAIL_NO_CUT_SETS 2u    /**< skip cut sets */
#define DC_AVAIL_FORCE_MC 4u       /**< Monte Carlo for every service (tests, benchmarks) */
#define DC_AVAIL_EXACT_ONLY 8u     /**< never Monte Carlo: services too big for the exact
                                        method get method DC_AVAIL_NONE */

#define DC_AVAILABILITY_EXACT_MAX 16
#define DC_AVAILABILITY_OPTIONS_VERSION 1
#define DC_AVAILABILITY_OPTIONS_INIT { DC_AVAILABILITY_OPTIONS_VERSION, 0, 1, 0, 0.0, 0, 0, 0, NULL, NULL }

typedef enum {
	DC_AVAIL_EXACT = 0,        /**< enumeration of every basic event combination */
	DC_AVAIL_MONTE_CARLO = 1,  /**< estimate over the trials */
	DC_AVAIL_NONE = 2          /**< not computed (DC_AVAIL_EXACT_ONLY) */
} dc_avail_method;

/** "exact", "monte-carlo", "none". */
DC_EXTERN(const char *) dc_avail_method_name(dc_avail_method m);

/** One service's effective availability. */
typedef struct {
	double availability;     /**< probability of not being DOWN */
	double ci_low, ci_high;  /**< 95 % interval (equal to availability when exact) */
	dc_avail_method method;
	uint64_t trials;         /**< Monte Carlo trials behind the estimate, 0 when exact */
	unsigned events;         /**< basic events counted for the exact method (capped at
	                              exact_max + 1 when too many to enumerate) */
} dc_availability_estimate;

/** Compute. opts may be NULL. Returns 0, DC_EINVALID (bad options: a
 * version outside 1 .. DC_AVAILABILITY_OPTIONS_VERSION, trials, max_order,
 * exact_max, zone_failure outside [0, 1]) or DC_ENOMEM. */
DC_EXTERN(int) dc_availability_compute(dc_availability **out, const dc_graph *g,
				       const dc_availability_options *opts);
DC_EXTERN(void) dc_availability_free(dc_availability *a);

/** Number of services. */
DC_EXTERN(size_t) dc_availability_count(const dc_availability *a);
/** The estimate of service s (borrowed), NULL when s is out of range. */
DC_EXTERN(const dc_availability_estimate *) dc_availability_of(const dc_availability *a, dc_id s);
/** Monte Carlo trials run (0 when every service was exact). */
DC_EXTERN(uint64_t) dc_availability_trials(const dc_availability *a);

/**
 * 1 when service s has an SLO (dc_service_slo() >= 0 in the catalog of
 * `g`, the graph `a` was computed from) and its estimate is below it (a
 * miss, as `depcheck availability` and the min-availability rule count
 * them: the point estimate, not the interval), else 0. A service whose
 * estimate rests on default availabilities alone (dc_availability_on_defaults)
 * never misses: it is dc_availability_slo_unknown instead.
 */
DC_EXTERN(int) dc_availability_misses_slo(const dc_availability *a, const dc_graph *g, dc_id s);

/**
 * 1 when s's DOWN state rests on defaults alone: no service that can take
 * it down (itself, what it reaches over hard dependencies and any_of
 * members) has an availability written in a descriptor, and no zone
 * failure applies to their zones. 0 otherwise or for s out of range.
 */
DC_EXTERN(int) dc_availability_on_defaults(const dc_availability *a, dc_id s);

/**
 * 1 when s is below its SLO but its estimate rests on defaults alone
 * (dc_availability_on_defaults): not a miss, an unknown; the output says
 * "below, on default availabilities only". Else 0.
 */
DC_EXTERN(int) dc_availability_slo_unknown(const dc_availability *a, const dc_graph *g, dc_id s);

/**
 * The gate of `depcheck availability`: 1 when an entrypoint of the
 * catalog of `g` (the graph `a` was computed from) misses its SLO
 * (dc_availability_misses_slo), else 0. Services that are not entrypoints
 * are reported but do not fail it.
 */
DC_EXTERN(int) dc_availability_gate(const dc_availability *a, const dc_graph *g);

/**
 * Every service in report order: SLO misses first (largest shortfall
 * first), then those below their SLO on defaults alone
 * (dc_availability_slo_unknown, largest shortfall first), then the
 * services that meet their SLO, then those without one; inside each,
 * lowest availability first, then name. `rows` must hold
 * dc_availability_count(a) ids; `g` is the graph `a` was computed from.
 * Returns 0 or DC_ENOMEM; *nmiss and *nslo (may be NULL) receive the
 * number of misses and of services with an SLO (rows [0, nmiss) miss,
 * [nmiss, nslo) are unknown, then meet their SLO).
 */
DC_EXTERN(int) dc_availability_rank(const dc_availability *a, const dc_graph *g, dc_id *rows,
				    size_t *nmiss, size_t *nslo);

/** Entrypoints, ascending ids (borrowed). */
DC_EXTERN(size_t) dc_availability_entrypoints(const dc_availability *a, const dc_id **eps);

/** Importance of a service for an entrypoint. */
typedef struct {
	dc_id service;
	double birnbaum;
	double fussell_vesely;
} dc_importance;

/**
 * Importance rows of entrypoint e (borrowed), sorted by Birnbaum, then
 * Fussell-Vesely (both descending), then id; services of e's closure whose
 * both measures are 0 are left out. *method and *trials (may be NULL) say
 * how they were computed (trials: 0 when exact; method DC_AVAIL_NONE when
 * skipped). Returns 0 rows for a service that is not an entrypoint or when
 * importance was skipped.
 */
DC_EXTERN(size_t) dc_availability_importance(const dc_availability *a, dc_id e,
					     const dc_importance **rows, dc_avail_method *method,
					     uint64_t *trials);

/** A minimal cut set. */
typedef struct {
	dc_id services[3];   /**< services[0 .. order), ascending ids */
	unsigned order;      /**< 1..3 */
	double probability;  /**< product of the members' own failure probabilities */
} dc_cut_set;

/**
 * Minimal cut sets of entrypoint e (borrowed), sorted by order, then
 * probability descending, then ids. *complete (may be NULL) is 0 when the
 * search for some order was cut short by its work budget or a memory bound
 * (then sets are missing, never wrong): order 1 keeps DC_BLAST_SPOF_KEPT
 * entrypoints per SPOF, and orders 2 and 3 are skipped when that cut
 * anything or when a bit per (entrypoint, service) would pass 64 MiB
 * (docs/limits.md).
 */
DC_EXTERN(size_t) dc_availability_cut_sets(const dc_availability *a, dc_id e,
					   const dc_cut_set **sets, int *complete);

#endif
