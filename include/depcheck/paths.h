/*
 * depcheck/paths.h - why FROM depends on TO: the dependency chains from one
 * service to another.
 *
 * A chain is a simple path FROM -> ... -> TO (no service twice) along
 * dependency edges; parallel dependencies between the same two services
 * give distinct chains. Chains come shortest first: every chain of k hops
 * before any of k+1 hops; among chains of one length, in the order a
 * depth-first walk of the dependency lists (declaration order) meets them.
 * Enumeration runs only inside the part of the graph that can reach TO, with
 * an explicit stack (no recursion) and a work bound, so a dense graph cannot
 * make it explode: when the bound or max_paths cuts the list, the result is
 * marked truncated (more chains may exist).
 */
#ifndef DEPCHECK_PATHS_H
#define DEPCHECK_PATHS_H

#include "graph.h"

typedef struct dc_paths dc_paths;

typedef struct {
	unsigned int version;  /**< DC_PATHS_OPTIONS_VERSION */
	size_t max_paths;  /**< list at most this many chains (>= 1; default 10) */
	size_t max_work;   /**< depth-first steps before giving up (default 2,000,000; 0: no bound) */
} dc_paths_options;

#define DC_PATHS_OPTIONS_VERSION 1
#define DC_PATHS_OPTIONS_INIT { DC_PATHS_OPTIONS_VERSION, 10, 2000000 }

/**
 * The chains from `from` to `to` in g. opts may be NULL (the defaults).
 * Returns 0 (also when there is no chain: dc_paths_count() is then 0),
 * DC_EINVALID (NULL g or out, an id that is not a node, from == to, an
 * options version this library does not know, max_paths 0) or DC_ENOMEM.
 * *out is NULL on failure. The result does not borrow g.
 */
DC_EXTERN(int) dc_paths_find(dc_paths **out, const dc_graph *g, dc_id from, dc_id to,
			     const dc_paths_options *opts);
DC_EXTERN(void) dc_paths_free(dc_paths *p);

DC_EXTERN(dc_id) dc_paths_from(const dc_paths *p);
DC_EXTERN(dc_id) dc_paths_to(const dc_paths *p);
/** Number of chains found (at most max_paths). */
DC_EXTERN(size_t) dc_paths_count(const dc_paths *p);
/** Chain i: its number of hops; (*edges)[0..hops) are the dependency (=
 * edge) indexes from `from` to `to`, borrowed from p. Out of range: 0 and
 * *edges = NULL. */
DC_EXTERN(size_t) dc_paths_hops(const dc_paths *p, size_t i, const size_t **edges);
/** 1 when more chains may exist than were listed (max_paths or the work
 * bound cut the search), else 0. */
DC_EXTERN(int) dc_paths_truncated(const dc_paths *p);

#endif
