/*
 * depcheck/simulate.h - failure selectors: from what the user says failed
 * (`payments`, `zone:eu-a`, `system:search`, `owner:team-x`, `tag:redis`)
 * to the seed sets of a propagation (depcheck/impact.h), docs/model.md.
 *
 * Selectors (several may be added to one selection; their effects add up):
 *  - NAME: any unique form of a service's name (as dc_catalog_find): the
 *    service fails (a DOWN seed, cause "seed");
 *  - zone:Z: zone Z fails. Failed zones accumulate over every zone:
 *    selector of the selection; a service all of whose zones failed is a
 *    DOWN seed, one that lost some of its zones a DEGRADED seed, both with
 *    the cause "zone:Z1,Z2" (its failed zones, in its own order); services
 *    that declare no zones are not affected by zones;
 *  - system:S, owner:O, tag:T: every service with that system, owner or
 *    tag fails (DOWN seeds, cause "seed").
 * A selector that matches no service is an error (DC_ENOTFOUND). A
 * prefixed selector that matches no service by its attribute is tried as
 * a name before giving up, so a service really called "tag:x" can still be
 * failed. A service named explicitly and also in a failed zone is a plain
 * seed.
 *
 * Ownership: a selection borrows the catalog (free it first); arrays and
 * strings returned by accessors are borrowed from the selection and stay
 * valid until the next dc_select() or dc_selection_free().
 */
#ifndef DEPCHECK_SIMULATE_H
#define DEPCHECK_SIMULATE_H

#include "impact.h"
#include "traffic.h"

typedef struct dc_selection dc_selection;

/** An empty selection over a finalized catalog: 0 or DC_ENOMEM. */
DC_EXTERN(int) dc_selection_new(dc_selection **out, const dc_catalog *cat);
DC_EXTERN(void) dc_selection_free(dc_selection *sel);

/**
 * Add one selector (one item: no comma splitting here). Returns 0;
 * DC_ENOTFOUND when it matches no service (an unknown name, a zone, system,
 * owner or tag nobody has); DC_EAMBIGUOUS when a name matches several
 * services; DC_EINVALID for an empty selector or an empty value (`zone:`);
 * DC_ENOMEM. A failed call leaves the selection as it was.
 */
DC_EXTERN(int) dc_select(dc_selection *sel, const char *selector);

/** The DOWN seeds, in ascending id order, in (*ids)[0..n). */
DC_EXTERN(size_t) dc_selection_down(const dc_selection *sel, const dc_id **ids);
/** The DEGRADED seeds (services that lost some of their zones), ascending. */
DC_EXTERN(size_t) dc_selection_degraded(const dc_selection *sel, const dc_id **ids);
/** Why v is a seed: "seed" (failed by name, system, owner or tag),
 * "zone:Z[,Z...]", or NULL when v is not a seed of this selection. */
DC_EXTERN(const char *) dc_selection_cause(const dc_selection *sel, dc_id v);

/** Run the selection through `imp` (dc_impact_run_timed with its seeds). */
DC_EXTERN(int) dc_simulate(dc_impact *imp, const dc_selection *sel, dc_failure_mode mode);

/** "hang" or "error"; NULL for an unknown value. */
DC_EXTERN(const char *) dc_failure_mode_name(dc_failure_mode m);
/** Parse "hang" or "error": 0 and *out, or DC_EINVALID. */
DC_EXTERN(int) dc_failure_mode_parse(dc_failure_mode *out, const char *name);

/* ---- what failed, as given ------------------------------------------------ */

/** The selectors added by successful dc_select() calls, in order, as given
 * (duplicates kept): (*sels)[0..n), borrowed like the other arrays. */
DC_EXTERN(size_t) dc_selection_selectors(const dc_selection *sel, const char *const **sels);

/* ---- a scenario, ready to report -------------------------------------------
 * dc_simulation_run() runs a selection (dc_simulate) and orders what it
 * found as an incident timeline: every affected service by time to impact,
 * then DOWN before DEGRADED, then name; it also counts the entrypoints and
 * those that went DOWN. The writers (depcheck/output.h) take this result.
 *
 * Ownership: a simulation borrows the graph and the selection (free it
 * first); arrays returned are borrowed from it. */

typedef struct dc_simulation dc_simulation;

/** Run `sel` on g in `mode`. Returns 0, DC_EINVALID (NULL argument, or a
 * selection over another catalog than g's) or DC_ENOMEM (*out is NULL). */
DC_EXTERN(int) dc_simulation_run(dc_simulation **out, const dc_graph *g, const dc_selection *sel,
				 dc_failure_mode mode);
DC_EXTERN(void) dc_simulation_free(dc_simulation *s);

DC_EXTERN(const dc_graph *) dc_simulation_graph(const dc_simulation *s);
DC_EXTERN(const dc_selection *) dc_simulation_selection(const dc_simulation *s);
/** States, times to impact and causes (depcheck/impact.h). */
DC_EXTERN(const dc_impact *) dc_simulation_impact(const dc_simulation *s);
DC_EXTERN(dc_failure_mode) dc_simulation_mode(const dc_simulation *s);
/** The affected services in timeline order (see above). */
DC_EXTERN(size_t) dc_simulation_timeline(const dc_simulation *s, const dc_id **ids);

/** Counts of a scenario: services DOWN and DEGRADED (seeds included),
 * entrypoints, and entrypoints DOWN. */
typedef struct {
	size_t down, degraded;
	size_t entrypoints, entrypoints_down;
} dc_simulation_counts;

DC_EXTERN(dc_simulation_counts) dc_simulation_summary(const dc_simulation *s);

/* ---- traffic lost ------------------------------------------------------------
 * What the users lose: the entry traffic (depcheck/traffic.h) of the
 * entrypoints that went DOWN is lost; that of DEGRADED entrypoints is at
 * risk (they still answer, with less: not counted as lost, reported
 * apart). Entrypoints of unknown traffic are counted, never added as 0. */

/** Options of dc_simulation_run_ex. */
typedef struct {
	unsigned int version;       /**< DC_SIMULATION_OPTIONS_VERSION */
	const dc_traffic *traffic;  /**< entry traffic of the graph's catalog, borrowed
	                                 by the simulation (free it after); NULL: the
	                                 declared traffic_rps */
} dc_simulation_options;

#define DC_SIMULATION_OPTIONS_VERSION 1
#define DC_SIMULATION_OPTIONS_INIT { DC_SIMULATION_OPTIONS_VERSION, NULL }

/** dc_simulation_run with options (NULL: the defaults). Returns 0,
 * DC_EINVALID (as dc_simulation_run, an options version outside 1 ..
 * DC_SIMULATION_OPTIONS_VERSION, or a traffic of another number of services)
 * or DC_ENOMEM. */
DC_EXTERN(int) dc_simulation_run_ex(dc_simulation **out, const dc_graph *g, const dc_selection *sel,
				    dc_failure_mode mode, const dc_simulation_options *opts);

/** The traffic of a scenario. lost_rps sums the entry traffic of the DOWN
 * entrypoints whose traffic is known (0 when none is); lost_unknown counts
 * the DOWN entrypoints whose traffic is unknown (the sum is then partial, a
 * lower bound). The same for DEGRADED entrypoints. known: entrypoints of the
 * catalog with known traffic, affected or not, and known_rps their sum. */
typedef struct {
	double lost_rps;
	size_t lost_unknown;
	double degraded_rps;
	size_t degraded_unknown;
	size_t known;
	double known_rps;   /**< the entry traffic of those `known` entrypoints, summed */
} dc_simulation_loss;

DC_EXTERN(dc_simulation_loss) dc_simulation_traffic_loss(const dc_simulation *s);
/** The entry traffic the simulation used (the caller's, or the declared one). */
DC_EXTERN(const dc_traffic *) dc_simulation_traffic(const dc_simulation *s);

/** Why v is affected: the selection's cause for a seed ("seed", "zone:..."),
 * else the name of the dependency that took it (dc_impact_cause); NULL when
 * v is not affected. */
DC_EXTERN(const char *) dc_simulation_cause(const dc_simulation *s, dc_id v);

#endif
