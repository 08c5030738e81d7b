/*
 * depcheck/graph.h - the dependency graph in compressed sparse rows.
 *
 * Nodes are the catalog's service ids; an edge u -> v means u depends on v.
 * The forward rows list each service's dependencies (edge index = catalog
 * dependency index); the reverse rows list its dependents. Both are flat
 * arrays, so traversals are cache-friendly and never recurse.
 *
 * The graph borrows the catalog: free the graph first.
 */
#ifndef DEPCHECK_GRAPH_H
#define DEPCHECK_GRAPH_H

#include "catalog.h"

typedef struct dc_graph dc_graph;

/** Which dependencies a computation follows (components, cycles). An enum,
 * not a bare 0/1, so that calls read `dc_scc_compute(&s, g,
 * DC_EDGES_HARD_ONLY)`. */
typedef enum {
	DC_EDGES_ALL = 0,       /**< every dependency, hard and soft, startup-only ones too */
	DC_EDGES_HARD_ONLY = 1, /**< hard runtime dependencies outside any_of groups
	                             (the members of a cycle of them share one fate);
	                             startup-only dependencies are not among them */
	DC_EDGES_RUNTIME = 2,   /**< every dependency except the startup-only ones
	                             (dc_dep_is_startup): what a running system uses */
	DC_EDGES_STARTUP = 3    /**< what blocks a cold start: hard dependencies outside
	                             any_of groups, startup-only and runtime alike. In
	                             dc_analysis_cycle_*: the cycles of these that
	                             contain a startup-only dependency (startup cycles) */
} dc_edge_set;

/** Build the graph of a finalized catalog: 0, DC_EINVALID (not finalized),
 * DC_ENOMEM. */
DC_EXTERN(int) dc_graph_new(dc_graph **out, const dc_catalog *cat);
DC_EXTERN(void) dc_graph_free(dc_graph *g);

DC_EXTERN(const dc_catalog *) dc_graph_catalog(const dc_graph *g);
DC_EXTERN(size_t) dc_graph_node_count(const dc_graph *g);
DC_EXTERN(size_t) dc_graph_edge_count(const dc_graph *g);

/** Dependencies of v: targets in (*to)[0..n), edge (= dependency) indexes
 * are first .. first+n-1. Arrays are borrowed from the graph. A v that is
 * not a node (DC_NO_ID included) has none: 0, *to NULL. */
DC_EXTERN(size_t) dc_graph_out(const dc_graph *g, dc_id v, const dc_id **to, size_t *first);
/** Dependents of v: sources in (*from)[0..n), their edge indexes in
 * (*edges)[0..n); 0 and NULL arrays for a v that is not a node. */
DC_EXTERN(size_t) dc_graph_in(const dc_graph *g, dc_id v, const dc_id **from,
			      const uint32_t **edges);

/**
 * Strongly connected components (iterative Tarjan).
 * Components are numbered in reverse topological order of the condensation:
 * if u depends on v and they are in different components, comp(u) > comp(v).
 * So iterating components 0 .. n-1 visits providers before their consumers.
 * `edges` picks the dependencies considered (DC_EDGES_HARD_ONLY: hard,
 * non-group ones).
 */
typedef struct dc_scc dc_scc;

/** Returns 0, DC_EINVALID (an unknown `edges`) or DC_ENOMEM; *out is NULL
 * on failure. */
DC_EXTERN(int) dc_scc_compute(dc_scc **out, const dc_graph *g, dc_edge_set edges);
/** The same over a chosen set of edges: keep[e] non-zero for every
 * dependency index e to consider (copied; dc_scc_depth uses the same set). */
DC_EXTERN(int) dc_scc_compute_edges(dc_scc **out, const dc_graph *g, const uint8_t *keep);
DC_EXTERN(void) dc_scc_free(dc_scc *scc);
DC_EXTERN(size_t) dc_scc_count(const dc_scc *scc);
/** The component of v; UINT32_MAX for a v that is not a node. */
DC_EXTERN(uint32_t) dc_scc_of(const dc_scc *scc, dc_id v);
/** Members of component c (borrowed); 0 and NULL for c >= dc_scc_count(). */
DC_EXTERN(size_t) dc_scc_members(const dc_scc *scc, uint32_t c, const dc_id **members);
/** Number of components with more than one member or a self loop. */
DC_EXTERN(size_t) dc_scc_cycle_count(const dc_scc *scc);

/**
 * A topological order of all nodes, providers first (every node appears
 * after everything it depends on, except inside a cycle where members
 * are consecutive). `order` must hold dc_graph_node_count() ids.
 */
DC_EXTERN(void) dc_scc_topo_order(const dc_scc *scc, dc_id *order);

/** Longest chain of the condensation (in nodes, counting a component as
 * one): 1 for a graph without edges, 0 for an empty graph. */
DC_EXTERN(size_t) dc_scc_depth(const dc_scc *scc, const dc_graph *g);

/**
 * Transitive reduction: dropped[e] = 1 for every dependency e implied by a
 * longer path (a -> c when a -> b -> ... -> c exists through other
 * strongly connected components, so reachability is unchanged without
 * it), 0 for the others. Dependencies inside a component and any_of
 * members are never dropped. `dropped` must hold dc_graph_edge_count()
 * bytes; *ndropped (may be NULL) gets the number dropped. Returns 0,
 * DC_EINVALID (NULL arguments) or DC_ENOMEM (then dropped is all 0).
 * Memory stays under 64 MB whatever the size: O(E * C / 64) word
 * operations for C components.
 */
DC_EXTERN(int) dc_graph_transitive_reduction(const dc_graph *g, uint8_t *dropped, size_t *ndropped);

#endif
