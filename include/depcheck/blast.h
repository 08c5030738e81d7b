/*
 * depcheck/blast.h - the blast radius of every service at once, and the
 * single points of failure (docs/model.md).
 *
 * The blast radius of X is the number of *other* services that go DOWN
 * (and, separately, DEGRADED) when X alone fails, with exactly the rules of
 * depcheck/impact.h. Running dc_impact once per service costs
 * O(services x affected edges); this module computes all of them in one
 * bit-parallel sweep over the condensation (see lib/blast.c), so 100,000
 * services take seconds.
 *
 * The same sweep yields, for every service, the entrypoints its lone
 * failure takes DOWN: a service with at least one is a SPOF. An entrypoint
 * is not counted as taking itself down (every service "takes itself down";
 * that is not a single point of failure), but an entrypoint that another
 * entrypoint depends on can be a SPOF for that one.
 *
 * Ownership: the result borrows nothing after dc_blast_compute() returns
 * (the graph may be freed first); arrays returned by the accessors are
 * borrowed from the result and live until dc_blast_free().
 */
#ifndef DEPCHECK_BLAST_H
#define DEPCHECK_BLAST_H

#include "traffic.h"

typedef struct dc_blast dc_blast;

/** Compute every service's blast radius and SPOF entrypoints. Returns 0 or
 * DC_ENOMEM (then *out is NULL). Memory for the sweep is bounded (about
 * 128 MB of bitsets per worker thread, 256 MB to 2 GB in all, whatever the
 * graph size); every online CPU is used on big graphs (4,096 services or
 * more; dc_blast_options.threads to choose), with results identical
 * whatever the number of threads. */
DC_EXTERN(int) dc_blast_compute(dc_blast **out, const dc_graph *g);
/** Options of dc_blast_compute_ex. */
typedef struct {
	unsigned int version;     /**< DC_BLAST_OPTIONS_VERSION */
	const uint8_t *sources;   /**< one byte per service id, non-zero for the failures
	                               to compute; NULL: all. Services outside report 0
	                               down, 0 degraded and no SPOF entrypoints; the cost
	                               scales with the number of sources */
	unsigned int flags;       /**< DC_BLAST_NO_DEGRADED, DC_BLAST_NO_SPOFS */
	/* version 2 */
	unsigned int threads;     /**< worker threads; 0 = every online CPU on graphs of
	                               4,096 services or more, else 1; at most 64. The
	                               results do not depend on it */
	/* version 3 */
	const dc_traffic *traffic; /**< entry traffic of the graph's catalog
	                               (depcheck/traffic.h), borrowed for the call;
	                               NULL: the declared traffic_rps */
	/* version 4 */
	size_t exact_top;         /**< with DC_BLAST_ESTIMATE: the ranks of dc_blast_order
	                               that must be exact (0: all, no estimate) */
} dc_blast_options;

#define DC_BLAST_NO_DEGRADED 1u  /**< skip the DEGRADED counts (reported as 0) */
#define DC_BLAST_NO_SPOFS 2u     /**< skip the SPOF entrypoints and the traffic lost (none reported) */
/** DOWN counts, SPOFs and traffic lost exact for every service; DEGRADED
 * counts exact for every service whose DOWN count is at least the
 * exact_top-th largest (so the first exact_top ranks of dc_blast_order are
 * exact, values and order), estimated for the others (a sketch of what
 * reaches each service, with bounds: dc_blast_degraded_bounds;
 * docs/model.md). Nothing is estimated, and the result is the same as
 * without the flag, when exact_top is 0 or covers a quarter of the
 * services or more. About half the cost of the sweep on big graphs. */
#define DC_BLAST_ESTIMATE 4u
#define DC_BLAST_OPTIONS_VERSION 4
#define DC_BLAST_OPTIONS_INIT { DC_BLAST_OPTIONS_VERSION, NULL, 0, 0, NULL, 0 }

/** dc_blast_compute with options (NULL: the defaults). Returns 0,
 * DC_EINVALID (options version outside 1 .. DC_BLAST_OPTIONS_VERSION, or a
 * traffic of another number of services than the graph's) or
 * DC_ENOMEM (then *out is NULL). */
DC_EXTERN(int) dc_blast_compute_ex(dc_blast **out, const dc_graph *g, const dc_blast_options *opts);
DC_EXTERN(void) dc_blast_free(dc_blast *b);

/** Number of services (the graph's node count when computed). */
DC_EXTERN(size_t) dc_blast_count(const dc_blast *b);
/** Other services that go DOWN when s alone fails. */
DC_EXTERN(size_t) dc_blast_down(const dc_blast *b, dc_id s);
/** Services that are DEGRADED (and not DOWN) when s alone fails. */
DC_EXTERN(size_t) dc_blast_degraded(const dc_blast *b, dc_id s);

/** Whether s's DEGRADED count is an estimate (DC_BLAST_ESTIMATE): 0 = exact. */
DC_EXTERN(int) dc_blast_degraded_is_estimate(const dc_blast *b, dc_id s);
/** Services whose DEGRADED count is an estimate (0 without DC_BLAST_ESTIMATE). */
DC_EXTERN(size_t) dc_blast_estimated_count(const dc_blast *b);
/** The bounds of s's DEGRADED count: *lo <= the true count <= *hi, each
 * with a probability of about 99.9 % for an estimate (+-30 % of the
 * sketch's count plus 2 services, docs/model.md); both equal to
 * dc_blast_degraded() when it is exact. */
DC_EXTERN(void) dc_blast_degraded_bounds(const dc_blast *b, dc_id s, size_t *lo, size_t *hi);

/** Most entrypoints kept per SPOF (dc_blast_spof_entrypoints): memory stays
 * linear in the services whatever the shape of the graph (docs/limits.md). */
#define DC_BLAST_SPOF_KEPT 100
/** Entrypoints other than s itself that go DOWN when s alone fails: the
 * DC_BLAST_SPOF_KEPT smallest ids among them, in ascending id order, in
 * (*eps)[0..n) (borrowed; NULL when n is 0). s is a SPOF when n > 0;
 * dc_blast_spof_total() gives how many there are in all. */
DC_EXTERN(size_t) dc_blast_spof_entrypoints(const dc_blast *b, dc_id s, const dc_id **eps);
/** Every entrypoint other than s that goes DOWN when s alone fails (the
 * count, which may exceed what dc_blast_spof_entrypoints() keeps). */
DC_EXTERN(size_t) dc_blast_spof_total(const dc_blast *b, dc_id s);
/** Number of SPOFs (services with at least one such entrypoint). */
DC_EXTERN(size_t) dc_blast_spof_count(const dc_blast *b);

/* ---- traffic lost ---------------------------------------------------------
 * Computed in the same sweep as the SPOFs, from the same (failure,
 * entrypoint DOWN) pairs, never stored: per failing service s, the entry
 * traffic (depcheck/traffic.h) of the entrypoints its lone failure takes
 * DOWN, s itself included when it is an entrypoint (its users lose it all
 * the same), and how many of them have no known traffic. A DEGRADED
 * entrypoint loses nothing here. */

/** Requests per second lost at entrypoints when s alone fails: the sum
 * over those with known traffic (0 when none). A lower bound when
 * dc_blast_lost_unknown(b, s) > 0. */
DC_EXTERN(double) dc_blast_lost_rps(const dc_blast *b, dc_id s);
/** Entrypoints that go DOWN when s alone fails (s included) whose traffic
 * is unknown: their loss is not in dc_blast_lost_rps(). */
DC_EXTERN(size_t) dc_blast_lost_unknown(const dc_blast *b, dc_id s);
/** Entrypoints of the graph with known traffic: 0 means no loss can be
 * told (rank by traffic has nothing to rank on). */
DC_EXTERN(size_t) dc_blast_traffic_known(const dc_blast *b);
/** Entrypoints whose traffic had origin o (dc_traffic_count_by_origin of
 * the traffic used); 0 for o out of the enum. */
DC_EXTERN(size_t) dc_blast_traffic_by_origin(const dc_blast *b, dc_traffic_origin o);

/* ---- ranking ---------------------------------------------------------------- */

/** Every service by blast radius, the order `depcheck analyze` and
 * `depcheck simulate --each` report: other services taken DOWN descending,
 * then DEGRADED descending, then name (byte order; equal names by id).
 * `cat` is the catalog of the graph b was computed on; ids must have room
 * for dc_blast_count(b) entries. Returns 0, DC_EINVALID (NULL argument, or
 * a catalog of another size) or DC_ENOMEM. */
DC_EXTERN(int) dc_blast_order(const dc_blast *b, const dc_catalog *cat, dc_id *ids);

/** What a ranking of single failures puts first. */
typedef enum {
	DC_RANK_BLAST = 0,   /**< other services DOWN, then DEGRADED, then name (dc_blast_order) */
	DC_RANK_TRAFFIC = 1  /**< entrypoint requests/s lost (dc_blast_lost_rps), then
	                          entrypoints of unknown traffic lost, then as DC_RANK_BLAST */
} dc_rank_by;

/** "blast", "traffic"; NULL for a value out of the enum. */
DC_EXTERN(const char *) dc_rank_by_name(dc_rank_by by);
/** Parse "blast" or "traffic": 0 and *out, or DC_EINVALID. */
DC_EXTERN(int) dc_rank_by_parse(dc_rank_by *out, const char *name);

/** dc_blast_order with a choice of key. Returns 0, DC_EINVALID (as
 * dc_blast_order, or `by` out of the enum) or DC_ENOMEM. */
DC_EXTERN(int) dc_blast_order_by(const dc_blast *b, const dc_catalog *cat, dc_rank_by by, dc_id *ids);

#endif
