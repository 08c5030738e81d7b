/*
 * depcheck/critical.h - the latency critical path (docs/model.md): how long
 * a request to a service takes when every call succeeds, and the chain of
 * calls that sets that time (like `systemd-analyze critical-chain`).
 *
 * The model. A service v, called at time t, makes its calls stage by stage
 * in ascending order of their `stage` numbers: the calls of one stage run
 * in parallel and the stage ends when its slowest call has returned; the
 * next stage starts then. After its last stage v spends its own
 * `latency_ms` and answers. So
 *
 *     total(v) = latency_ms(v) + sum over v's distinct stages s (ascending)
 *                of  max over v's calls c in stage s of  cost(c)
 *
 * where cost(c) = total(callee) and v finishes at t + total(v).
 * - Every call counts, hard and soft: a soft call that succeeds still
 *   costs its time.
 * - An any_of group is ONE call, in the stage of its first member (in
 *   declaration order); its cost is the *fastest* member's total: a
 *   client of redundant replicas routes to the healthiest / closest one.
 * - External services have latency 0 unless the catalog gives one.
 * - Observed latency (dc_catalog_add_observed): a service whose latency no
 *   input declares, and into which calls were observed with a p50, takes
 *   the slowest such p50 as its total when that is longer than the model's
 *   total; its own latency is then that p50 less its calls' stages
 *   (dc_critical_latency_observed says which services).
 * - Cycles: totals are computed on the condensation (strongly connected
 *   components over all edges), providers first, without recursion. A call
 *   from a service to another member of its own component is *ignored* for
 *   timing (it would make the total infinite); such calls are reported
 *   (dc_critical_call_ignored, and the `in_cycle` flag of a hop) so that
 *   the output can say the chain passed a cycle. An any_of member in the
 *   caller's component is ignored the same way; a group whose members are
 *   all ignored is no call at all.
 *
 * The chain from a service E is really a tree, because stages add: E's
 * hops are the slowest call of each of its stages (ties: the first in
 * declaration order; for an any_of group, its fastest member, ties again
 * by declaration order), each followed the same way. The hops come in
 * depth-first order, stages ascending, with times relative to E being
 * called at 0 ms: a hop starts when its caller issues the call and ends
 * when it answers, so end_ms - start_ms is the hop's total and the root
 * ends at total(E). A service reached a second time in the same tree is
 * listed again (its times differ) but not expanded again (`repeated`),
 * which keeps the tree at most one hop per edge of the graph.
 *
 * Ownership: a dc_critical borrows the graph (and its catalog): free it
 * first. Hop arrays are borrowed from the dc_critical and valid until the
 * next dc_critical_chain() call on it or dc_critical_free().
 */
#ifndef DEPCHECK_CRITICAL_H
#define DEPCHECK_CRITICAL_H

#include "graph.h"

typedef struct dc_critical dc_critical;

/** One hop of a critical chain. */
typedef struct {
	dc_id service;      /**< the service */
	uint32_t dep;       /**< dependency index by which the caller reached it; UINT32_MAX for the root */
	uint32_t parent;    /**< index of the calling hop; UINT32_MAX for the root */
	unsigned depth;     /**< 0 for the root */
	unsigned stage;     /**< stage of the call in the caller (0 for the root) */
	double own_ms;      /**< the service's own latency */
	double start_ms;    /**< when the caller issues the call (root: 0) */
	double end_ms;      /**< when the service answers: start_ms + its total */
	int repeated;       /**< 1: already expanded earlier in this tree; its hops are not repeated */
	int in_cycle;       /**< 1: some of its calls were ignored, they stay inside its cycle */
} dc_critical_hop;

/**
 * Compute total(v) for every service of the graph: O(V + E log d) time,
 * O(V + E) memory. Returns 0, DC_EINVALID (NULL argument) or DC_ENOMEM;
 * *out is NULL on failure.
 */
DC_EXTERN(int) dc_critical_new(dc_critical **out, const dc_graph *g);
DC_EXTERN(void) dc_critical_free(dc_critical *cp);

/** total(v) in milliseconds (0 for an id out of range). */
DC_EXTERN(double) dc_critical_total_ms(const dc_critical *cp, dc_id v);

/**
 * The critical chain (tree) from `from`: *hops gets n hops, hop 0 being
 * `from` itself, then depth first with stages ascending. Returns 0,
 * DC_EINVALID (unknown id) or DC_ENOMEM. The array is borrowed (see above).
 */
DC_EXTERN(int) dc_critical_chain(dc_critical *cp, dc_id from, const dc_critical_hop **hops,
				 size_t *n);

/** 1 when dependency `dep` was ignored for timing because caller and callee
 * are in the same strongly connected component; else 0. */
DC_EXTERN(int) dc_critical_call_ignored(const dc_critical *cp, size_t dep);
/** Number of dependencies ignored that way in the whole graph. */
DC_EXTERN(size_t) dc_critical_ignored_count(const dc_critical *cp);
/** 1 when v's own latency (and total) comes from the observed latency of
 * the calls into it, not from a declared latency_ms; 0 otherwise. */
DC_EXTERN(int) dc_critical_latency_observed(const dc_critical *cp, dc_id v);
/** How many services' latencies come from observed calls. */
DC_EXTERN(size_t) dc_critical_observed_count(const dc_critical *cp);

/* ---- the chains to report --------------------------------------------------
 * What `depcheck critical-path` writes: the chains from every entrypoint,
 * slowest first (total rounded to the microsecond, as written, descending;
 * then name), or from one service; for each chain the calls it ignored
 * because they stay inside a cycle, and over all chains the union of those.
 *
 * Chains are extracted again on demand (dc_critical_paths_chain) rather
 * than kept, so memory stays one tree whatever the number of entrypoints.
 * Ownership: a dc_critical_paths borrows cp (free it first) and uses its
 * scratch: the hops and ignored calls returned are valid until the next
 * dc_critical_paths_chain() or dc_critical_chain() call on either. Not for
 * concurrent use. */

typedef struct dc_critical_paths dc_critical_paths;

/** The chains from every entrypoint (from == DC_NO_ID) or from `from`.
 * Returns 0, DC_EINVALID (NULL argument, unknown id) or DC_ENOMEM. */
DC_EXTERN(int) dc_critical_paths_new(dc_critical_paths **out, dc_critical *cp, dc_id from);
DC_EXTERN(void) dc_critical_paths_free(dc_critical_paths *p);

/** The critical data the chains come from, and its graph. */
DC_EXTERN(const dc_critical *) dc_critical_paths_critical(const dc_critical_paths *p);
DC_EXTERN(const dc_graph *) dc_critical_paths_graph(const dc_critical_paths *p);
/** Number of chains, and the service each starts from, in report order. */
DC_EXTERN(size_t) dc_critical_paths_count(const dc_critical_paths *p);
DC_EXTERN(dc_id) dc_critical_paths_root(const dc_critical_paths *p, size_t i);
/** Chain i (as dc_critical_chain) and the calls it ignored inside cycles,
 * each once, in hop order, as dependency indexes (*ignored)[0..*nignored)
 * (ignored and nignored may be NULL). Returns 0, DC_EINVALID (i out of
 * range) or DC_ENOMEM. */
DC_EXTERN(int) dc_critical_paths_chain(const dc_critical_paths *p, size_t i, const dc_critical_hop **hops,
				       size_t *n, const uint32_t **ignored, size_t *nignored);
/** The ignored calls of every chain, each once, in ascending dependency
 * index order (computed by dc_critical_paths_new). */
DC_EXTERN(size_t) dc_critical_paths_ignored(const dc_critical_paths *p, const uint32_t **deps);

#endif
