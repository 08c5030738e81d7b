/*
 * depcheck/report.h - one self-contained, interactive HTML report of a
 * catalog (`depcheck report`): the summary, the dependency map (inline
 * SVG laid out by Graphviz), the findings of analyze, the violations of
 * the `depcheck check` policy (the built-in one unless given), the
 * deployment plan, optionally every service's effective availability
 * against its SLO, and, for every service, what goes DOWN and DEGRADED when
 * it fails alone; and, when given, a load scenario (the load model of
 * depcheck/overload.h: the overloaded services, the retries that add load,
 * the entry requests lost, metastability and its smallest fix, and the map
 * with the load overlay of depcheck/render.h).
 *
 * Everything the page shows is computed by dc_report_compute() (every
 * analysis, the single-failure cascades and the map's layout) and then
 * written by dc_report_write_data(), which computes nothing;
 * dc_report_write() does both. The page embeds the results as data (a JSON
 * block in <script type="application/json">); the page's JavaScript only
 * displays it, never re-derives failure propagation. The file loads
 * nothing: no network, no external script, style sheet or font.
 *
 * Map contract (what the page's script relies on, and what any renderer
 * that replaces the built-in map must keep): each service is an SVG
 * `<g id="svc-N" class="node ...">` with N its dense id and its name as
 * <title>; a collapsed group of services is `<g id="grp-K" ...>` with K
 * the group's index in the embedded data; an edge A depends on B is
 * `<g id="e-A-B" ...>` (dense ids; `ge-A-B` between groups).
 *
 * Size: the map is collapsed by system above `collapse_above` services,
 * tables are paginated by the page, and the single-failure cascades are
 * embedded as delta-encoded id lists within `cascade_budget` ids (the
 * services whose cascades do not fit say so on their card; 2,000
 * generated services take about 170,000 ids).
 *
 * Ownership: a dc_report_data borrows the graph (and its catalog), and
 * the options' `overload` when given: free the data first; it copies the title and keeps nothing else of the
 * options. dc_report_write() keeps nothing. The library never prints
 * (Graphviz's messages about the map are not kept: the page says when
 * there is no map). Laying the map out goes through Graphviz, which is
 * not thread-safe (depcheck/render.h): compute one report at a time.
 */
#ifndef DEPCHECK_REPORT_H
#define DEPCHECK_REPORT_H

#include <stdio.h>

#include "availability.h"
#include "graph.h"
#include "policy.h"
#include "overload.h"

typedef struct {
	unsigned int version;     /**< DC_REPORT_OPTIONS_VERSION */
	const char *title;        /**< page title; NULL: "depcheck report" */
	size_t collapse_above;    /**< draw one node per system above this many services;
	                               0: 300 */
	size_t map_max_nodes;     /**< no map at all above this many drawn nodes (dot
	                               layout is superlinear); 0: 2,000 */
	size_t cascade_budget;    /**< most service ids embedded over all cascades; 0:
	                               4,000,000 (about 10 MB of data in the worst case) */
	/* version 2: */
	const dc_policy *policy;  /**< policy of the check section (borrowed); NULL: the
	                               built-in default policy (depcheck/policy.h) */
	const dc_availability_options *availability;
	                          /**< NULL: no availability section; else the options of
	                               dc_availability_compute() for it (importance and cut
	                               sets are not computed; the progress callback is called) */
	/* version 3: */
	unsigned int threads;     /**< threads of the blast sweep (dc_analyze_options.threads);
	                               0 = every online CPU; the page does not depend on it */
	/* version 4: */
	const dc_diags *diags;    /**< the diagnostics of loading g's catalog (borrowed); their
	                               errors are findings of the policy's rule valid-input in
	                               the check section, as depcheck check reports them;
	                               NULL: none */
	/* version 5: */
	const dc_overload *overload; /**< the load section: the load model's result on the same
	                               graph (dc_overload_run, by the caller), borrowed by the
	                               data until it is freed; its map (the load overlay) is
	                               drawn when the service map is not collapsed. NULL: no
	                               load section. Of another graph: DC_EINVALID */
} dc_report_options;

/* Versions 1 .. DC_REPORT_OPTIONS_VERSION are accepted; version 1 ends
 * before `policy`. */
#define DC_REPORT_OPTIONS_VERSION 5
#define DC_REPORT_OPTIONS_INIT { DC_REPORT_OPTIONS_VERSION, NULL, 0, 0, 0, NULL, NULL, 0, NULL, NULL }

/** What the page shows, computed: opaque, owned by the caller. */
typedef struct dc_report_data dc_report_data;

/**
 * Compute everything the report of graph `g` shows: analyze, the
 * deployment plan, the policy check, the availability (when asked), every
 * single-failure cascade within the budget, and the map (laid out by
 * Graphviz; when Graphviz cannot lay it out, or it is too big, the page
 * goes without and says why). opts may be NULL. Returns 0 and *out;
 * DC_EINVALID (options, or the nested availability options, of a version
 * outside 1 .. current; bad availability options);
 * DC_ENOMEM.
 */
DC_EXTERN(int) dc_report_compute(dc_report_data **out, const dc_graph *g,
				 const dc_report_options *opts);
DC_EXTERN(void) dc_report_data_free(dc_report_data *data);

/**
 * Write the HTML page of computed data to fp; it computes nothing. Returns
 * 0, DC_EINVALID (NULL arguments), DC_ENOMEM or DC_EIO (write error; the
 * caller discards the partial output).
 */
DC_EXTERN(int) dc_report_write_data(FILE *fp, const dc_report_data *data);

/**
 * dc_report_compute() then dc_report_write_data(): the HTML report of
 * graph `g` to fp. opts may be NULL. Returns what those return.
 */
DC_EXTERN(int) dc_report_write(FILE *fp, const dc_graph *g, const dc_report_options *opts);

#endif
