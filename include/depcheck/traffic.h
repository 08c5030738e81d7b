/*
 * depcheck/traffic.h - entry traffic: the requests per second that arrive
 * at each entrypoint from outside the graph (from users), and where that
 * number comes from (docs/model.md "Traffic").
 *
 * An entrypoint's traffic is its declared `traffic_rps` attribute; else,
 * when observed calls are given, the calls per second observed into it
 * from callers that are not catalog services (a service-graph's `user`
 * client, a load balancer, a gateway outside the catalog), summed; else it
 * is unknown. Services that are not entrypoints carry no entry traffic:
 * their `traffic_rps` is not counted (their load comes through their
 * callers). Unknown is never 0: the analyses that add traffic up say how
 * many entrypoints had none (dc_simulation_loss, dc_blast_lost_unknown).
 *
 * Ownership: a dc_traffic copies what it needs; the catalog and the
 * observations may be freed first.
 */
#ifndef DEPCHECK_TRAFFIC_H
#define DEPCHECK_TRAFFIC_H

#include "reconcile.h"

/** Where an entrypoint's traffic comes from. */
typedef enum {
	DC_TRAFFIC_UNKNOWN = 0,   /**< not an entrypoint, or no traffic known */
	DC_TRAFFIC_DECLARED = 1,  /**< the `traffic_rps` attribute */
	DC_TRAFFIC_OBSERVED = 2   /**< observed calls per second from outside the catalog */
} dc_traffic_origin;

typedef struct dc_traffic dc_traffic;

/** The entry traffic of every entrypoint of a finalized catalog: declared,
 * else observed (obs may be NULL: declared only). Observed edges without a
 * rate (a plain call count) give no traffic. Returns 0, DC_EINVALID (NULL
 * out or cat) or DC_ENOMEM (*out is NULL). Linear in services plus
 * observed edges. */
DC_EXTERN(int) dc_traffic_new(dc_traffic **out, const dc_catalog *cat, const dc_observed *obs);
DC_EXTERN(void) dc_traffic_free(dc_traffic *t);

/** Requests per second arriving at s from outside the graph; a negative
 * value (-1) when unknown, when s is not an entrypoint or out of range. */
DC_EXTERN(double) dc_traffic_rps(const dc_traffic *t, dc_id s);
/** Where dc_traffic_rps(t, s) comes from; DC_TRAFFIC_UNKNOWN when it is
 * unknown or s is out of range. */
DC_EXTERN(dc_traffic_origin) dc_traffic_origin_of(const dc_traffic *t, dc_id s);
/** "unknown", "declared", "observed"; NULL for a value out of the enum. */
DC_EXTERN(const char *) dc_traffic_origin_name(dc_traffic_origin o);
/** Entrypoints of the catalog, and those whose traffic is known. */
DC_EXTERN(size_t) dc_traffic_entrypoints(const dc_traffic *t);
DC_EXTERN(size_t) dc_traffic_known(const dc_traffic *t);
/** Entrypoints whose traffic has origin o (DC_TRAFFIC_UNKNOWN: those whose
 * traffic is unknown); 0 for o out of the enum. */
DC_EXTERN(size_t) dc_traffic_count_by_origin(const dc_traffic *t, dc_traffic_origin o);
/** Services (the catalog's count when made). */
DC_EXTERN(size_t) dc_traffic_count(const dc_traffic *t);

#endif
