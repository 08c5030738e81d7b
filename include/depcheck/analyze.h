/*
 * depcheck/analyze.h - whole-catalog structural analysis (docs/model.md,
 * `depcheck analyze`): cycles and hard cycles with the edges that close
 * them, SPOFs, every blast radius, depth and the longest hard chain,
 * fan-in/fan-out hubs, retry amplification and timeout-budget violations.
 *
 * Analyses never print: the result is data, ordered for reporting (ties
 * are broken by service display name, so output is deterministic).
 *
 * Ownership: every array returned is borrowed from the analysis and lives
 * until dc_analysis_free(). The analysis keeps a pointer to the graph (for
 * its catalog): free the analysis before the graph.
 */
#ifndef DEPCHECK_ANALYZE_H
#define DEPCHECK_ANALYZE_H

#include "blast.h"
#include "overload.h"

typedef struct dc_analysis dc_analysis;

typedef struct {
	unsigned int version;  /**< DC_ANALYZE_OPTIONS_VERSION */
	size_t hubs;           /**< services per hub list (fan-in, fan-out); 0 = 10 */
	/* version 2: */
	unsigned int threads;  /**< threads of the blast sweep (dc_blast_options.threads);
	                            0 = every online CPU; 1 also keeps the analyses that
	                            need no blast radius on the calling thread (otherwise,
	                            from 4,096 services, they run on a second thread beside
	                            the sweep); the results do not depend on it */
	/* version 3: */
	dc_rank_by rank_by;    /**< the blast order's key (dc_blast_order_by); default DC_RANK_BLAST */
	const dc_traffic *traffic; /**< entry traffic (dc_blast_options.traffic), borrowed
	                            for the call; NULL: the declared traffic_rps */
	/* version 4: */
	size_t load_solves;    /**< retry storm risks: services whose worst single trigger is
	                            solved (dc_overload_risk_options.solves); 0 = 10 */
	/* version 5: */
	size_t exact_top;      /**< 0 = every blast radius exact (default); N = DEGRADED
	                            counts exact for the first N ranks of the blast order
	                            only, estimated below them (DC_BLAST_ESTIMATE: DOWN
	                            counts and SPOFs stay exact; about half the sweep's
	                            cost on big catalogs). Ignored when ranking by traffic */
	/* version 6: */
	unsigned int flags;    /**< DC_ANALYZE_NO_DEGRADED; 0 = everything */
} dc_analyze_options;

/** Skip the DEGRADED half of the blast sweep (DC_BLAST_NO_DEGRADED): every
 * dc_blast_degraded() of the analysis reads 0 (no estimate either:
 * exact_top is ignored), so dc_analysis_blast_order() ranks by DOWN count
 * then by name. DOWN counts, SPOFs, traffic lost and every other result are
 * the same as without it, for about half the sweep's cost. For callers that
 * read no DEGRADED count (dc_check's rules); `depcheck analyze` never sets
 * it. */
#define DC_ANALYZE_NO_DEGRADED 1u

#define DC_ANALYZE_OPTIONS_VERSION 6
#define DC_ANALYZE_OPTIONS_INIT { DC_ANALYZE_OPTIONS_VERSION, 0, 0, DC_RANK_BLAST, NULL, 0, 0, 0 }

/** Run every analysis. opts may be NULL. Returns 0, DC_EINVALID (options
 * version outside 1 .. DC_ANALYZE_OPTIONS_VERSION, rank_by out of its enum,
 * a traffic of another number of services) or DC_ENOMEM (then *out is
 * NULL). */
DC_EXTERN(int) dc_analyze(dc_analysis **out, const dc_graph *g, const dc_analyze_options *opts);
DC_EXTERN(void) dc_analysis_free(dc_analysis *a);

/** Number of entrypoints. */
DC_EXTERN(size_t) dc_analysis_entrypoint_count(const dc_analysis *a);

/* ---- cycles ---------------------------------------------------------------
 * DC_EDGES_ALL: cycles over every edge (strongly connected components of
 * more than one service); DC_EDGES_HARD_ONLY: over hard edges outside
 * any_of groups only (the members share one fate). Ordered by size (largest first), then by
 * the name of their first member; members are in name order. The edges
 * are the dependency indexes (dc_dep_location() gives file:line:column) of
 * every dependency between two members (for hard cycles: every hard,
 * non-group one), grouped by the depending member in member order. */
DC_EXTERN(size_t) dc_analysis_cycle_count(const dc_analysis *a, dc_edge_set edges);
/** Members of cycle i; 0 and *members = NULL for i out of range. */
DC_EXTERN(size_t) dc_analysis_cycle_members(const dc_analysis *a, dc_edge_set edges, size_t i,
					    const dc_id **members);
/** The dependencies inside cycle i; 0 and *deps = NULL for i out of range. */
DC_EXTERN(size_t) dc_analysis_cycle_edges(const dc_analysis *a, dc_edge_set edges, size_t i,
					  const uint32_t **deps);

/* ---- blast radius and SPOFs ------------------------------------------------ */

/** The blast radii (borrowed). */
DC_EXTERN(const dc_blast *) dc_analysis_blast(const dc_analysis *a);
/** Every service, by blast radius: down descending, then degraded
 * descending, then name; or by traffic lost first when the options said
 * DC_RANK_TRAFFIC (dc_blast_order_by). */
DC_EXTERN(size_t) dc_analysis_blast_order(const dc_analysis *a, const dc_id **ids);
/** The key of dc_analysis_blast_order(). */
DC_EXTERN(dc_rank_by) dc_analysis_rank_by(const dc_analysis *a);
/** SPOFs (services whose lone failure takes another service that is an
 * entrypoint DOWN), most entrypoints first (dc_analysis_spof_total), then
 * by name. */
DC_EXTERN(size_t) dc_analysis_spofs(const dc_analysis *a, const dc_id **ids);
/** The entrypoints s takes down that are kept (at most DC_BLAST_SPOF_KEPT:
 * the smallest ids, see dc_blast_spof_entrypoints), in name order (empty
 * unless s is a SPOF). Memory stays linear in the services. */
DC_EXTERN(size_t) dc_analysis_spof_entrypoints(const dc_analysis *a, dc_id s, const dc_id **eps);
/** How many entrypoints s takes down in all (>= the kept ones). */
DC_EXTERN(size_t) dc_analysis_spof_total(const dc_analysis *a, dc_id s);

/* ---- depth ---------------------------------------------------------------- */

/** Longest chain of the condensation of all edges, in components
 * (dc_scc_depth()). */
DC_EXTERN(size_t) dc_analysis_max_depth(const dc_analysis *a);
/** The longest chain over hard non-group edges, one service per hard
 * component, from the consumer down to the deepest provider; its length is
 * the depth of the hard condensation. Consecutive services are joined by a
 * hard edge, except where the chain crosses a hard cycle: it enters the
 * cycle at one member and may leave it from another. */
DC_EXTERN(size_t) dc_analysis_longest_hard_chain(const dc_analysis *a, const dc_id **chain);

/* ---- hubs ------------------------------------------------------------------ */

/** Which hub list. */
typedef enum {
	DC_HUBS_FAN_IN = 0,   /**< by number of dependents */
	DC_HUBS_FAN_OUT = 1   /**< by number of dependencies */
} dc_hub_kind;

/** Top services by fan-in or fan-out, largest first, then by name;
 * services with none are left out. counts[i] belongs to ids[i]. */
DC_EXTERN(size_t) dc_analysis_hubs(const dc_analysis *a, dc_hub_kind kind, const dc_id **ids,
				   const uint32_t **counts);

/* ---- retry amplification --------------------------------------------------- */

/** The largest factor reported: 2^53, the largest integer below which every
 * product of (retries + 1) is exact in a double (and in JSON readers). A
 * longer path saturates: its factor is exactly DC_AMPLIFICATION_MAX, which
 * means "at least this many" (never infinity). */
#define DC_AMPLIFICATION_MAX 9007199254740992.0

/** How many times one user request can reach a service in the worst case:
 * the largest product of (retries + 1) over the call paths (every
 * dependency, hard or soft) from an entrypoint. Only retries written on
 * the dependency count: a default (built-in, or a file's `defaults:`)
 * counts as 0, so no finding follows from defaults alone; a hop with a
 * retry budget counts min(retries + 1, 1 + budget) (dc_dep_call_factor),
 * so a factor may be fractional. A cycle with a retrying
 * dependency inside it makes the factor unbounded for everything it
 * (transitively) calls. */
typedef struct {
	dc_id service;
	int unbounded;        /**< 1: a retrying cycle feeds it; factor is the best finite one */
	double factor;        /**< largest product over paths that do not loop, at most
	                           DC_AMPLIFICATION_MAX (equal: saturated, "at least") */
	const dc_id *path;    /**< always NULL: the analysis keeps one predecessor per
	                           service, not a path each (memory linear in the input);
	                           dc_analysis_amplification_path() walks it */
	size_t path_len;      /**< services on the path giving `factor` */
} dc_amplification;

/** Services with factor > 1 or unbounded: unbounded first, then by factor
 * descending, then by name. Inside a cycle the path may step between two
 * members that are not directly joined (they reach each other). */
DC_EXTERN(size_t) dc_analysis_amplification(const dc_analysis *a, const dc_amplification **amp);
/** The path of amplification entry i (entrypoint ... service, giving its
 * factor): its first min(cap, length) services into buf; returns the length
 * (amp[i].path_len), 0 for i out of range. O(length) time, no allocation. */
DC_EXTERN(size_t) dc_analysis_amplification_path(const dc_analysis *a, size_t i, dc_id *buf, size_t cap);

/* ---- timeout budget -------------------------------------------------------- */

/** A dependency whose timeout does not exceed what the callee needs in the
 * worst case: needed = the callee's latency + for each of its stages (in
 * ascending order) the largest timeout_ms x (retries + 1) among its calls
 * in that stage. Only dependencies whose timeout_ms was written are judged
 * (the callee's need may rest on defaults: a caller that wrote a timeout
 * shorter than what its callee may wait is the finding); one left at the
 * default is counted by dc_analysis_timeout_default_count() instead. */
typedef struct {
	uint32_t dep;         /**< dependency index (from, to, location) */
	double timeout_ms;
	double needed_ms;
} dc_timeout_violation;

/** Violations, largest shortfall (needed - timeout) first, then by
 * dependency index. */
DC_EXTERN(size_t) dc_analysis_timeout_violations(const dc_analysis *a,
						 const dc_timeout_violation **v);
/** Dependencies that would be violations but whose timeout is a default
 * (nobody wrote it): not reported, counted so the output can say so. */
DC_EXTERN(size_t) dc_analysis_timeout_default_count(const dc_analysis *a);

/* ---- retry storm risks ------------------------------------------------------- */

/** The worst load amplification a single failure or slowdown can send to
 * each service, and whether it exceeds its capacity (depcheck/overload.h,
 * dc_overload_risks_compute(), with dc_analyze_options.load_solves): NULL
 * when no service declares traffic_rps (the load model carries nothing).
 * Borrowed. */
DC_EXTERN(const dc_overload_risks *) dc_analysis_load_risks(const dc_analysis *a);
/** Services + dependencies past which analyze solves nothing for them
 * (dc_overload_risk_options.max_solve_size): bounds over the nominal load. */
#define DC_ANALYZE_LOAD_SOLVE_SIZE 200000
/** Services from which `depcheck analyze` estimates the DEGRADED counts
 * below the ranks it shows (dc_analyze_options.exact_top) unless --exact. */
#define DC_ANALYZE_ESTIMATE_SIZE 200000

/* ---- the analysed graph ---------------------------------------------------- */

/** The graph the analysis was computed on (borrowed; dc_graph_catalog()
 * gives the names the writers print). */
DC_EXTERN(const dc_graph *) dc_analysis_graph(const dc_analysis *a);

#endif
