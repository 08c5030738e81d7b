/*
 * availability_int.h - internals of the availability engine shared with the
 * tests and the benchmark. Not installed, not exported (hidden visibility).
 */
#ifndef DC_AVAILABILITY_INT_H
#define DC_AVAILABILITY_INT_H

#include <depcheck/availability.h>

/*
 * The one-trial-at-a-time reference: `trials` trials, each drawing every
 * service's own event (and every zone, with zone_failure) with its own
 * uniform number from a splitmix64 stream seeded with `seed`, then one
 * pass in topological order over byte states (fixpoint inside cycles).
 * up[s] receives the number of trials in which s was not DOWN (n entries).
 * Statistically the same estimator as the bit-parallel path, not the same
 * random numbers: the tests compare both with exact values, the benchmark
 * compares their speed. Returns 0 or DC_ENOMEM.
 */
int avail_scalar_reference(const dc_graph *g, uint64_t trials, uint64_t seed, double zone_failure,
			   uint64_t *up);

#endif
