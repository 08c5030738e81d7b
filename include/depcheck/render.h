/*
 * depcheck/render.h - dependency maps through Graphviz: DOT, SVG, PNG, PDF,
 * laid out and rendered in-process (libgvc), with overlays.
 *
 * The map. One node per service (or, with `collapse`, per system or owner),
 * one edge per dependency, pointing from the caller to what it depends on
 * (callers on top / on the left). Nodes are filled by tier (a legend says
 * which colour is which), entrypoints have a bold border, external services
 * a dashed one; soft dependencies are dashed edges; an any_of group is one
 * small "any of" junction node between the caller and the members, so the
 * redundancy reads as one thing. Every node carries a tooltip (owner,
 * system, tier, blast radius when `blast` is given).
 *
 * Overlays (at most one of fail / plan / critical / highlight is typical,
 * but they compose): `impact` fills nodes by state (DOWN, DEGRADED, UP)
 * and `fail` marks its seeds; `plan` puts each wave on its own rank,
 * numbered; `critical` draws the latency critical chain(s) thick;
 * `highlight` draws only a service, its dependencies and its dependents
 * (within `highlight_depth` hops), laid out for themselves; `overload`
 * colours services by utilisation under a load scenario. A caller can restyle any node or edge with the
 * `node_style`/`edge_style` callbacks (no map of the library uses them:
 * the plan's map is this map with the plan overlay, and the diff's map,
 * dc_diff_render, has a DOT writer of its own).
 *
 * The renderer draws computed results, it computes no analysis: the
 * caller runs the simulation (dc_simulate into `impact`), the plan, the
 * blast radii and the critical paths and passes them in. What the map
 * itself decides (which edges a transitive reduction leaves out,
 * dc_graph_transitive_reduction; the layout; the highlight's
 * neighbourhood) belongs to drawing.
 *
 * Stable ids for scripts (the HTML report): in DOT and SVG every service
 * node has id="svc-N" (N = its dense dc_id, decimal) and class "dc-node"
 * plus "tier-T", "external", "entrypoint", "state-down|degraded|up",
 * "seed", "wave-W", "critical", "faded" as they apply; every dependency
 * edge has id="e-A-B" (dense ids of caller and callee) and class "dc-edge"
 * plus "soft", "anyof", ...; an any_of junction is id="any-G" (G = the
 * group id of dc_dep_group), its incoming edge id="e-A-any-G"; collapsed
 * group nodes are id="grp-K" (K = 0-based index of the group in name
 * order) and their edges id="ge-K-L". Node <title>s are service names.
 *
 * Output is deterministic: the DOT text is written in a fixed order, so
 * the same input gives byte-identical DOT.
 *
 * Ownership: everything in the options is borrowed during dc_render()
 * only. The library never prints: Graphviz's messages go to `diags`.
 *
 * Threads. Writing DOT (DC_OUTPUT_DOT) keeps no state outside the call:
 * it is reentrant and may run in several threads at once. The laid-out
 * formats (svg/png/pdf) go through Graphviz, whose state is process-global
 * and not ours to change: its error hook (agseterrf), its plugin context
 * (one per process, see lib/gvbridge.c) and the layout engines' statics.
 * Call dc_render, dc_plan_render and dc_diff_render for svg/png/pdf from
 * one thread at a time (the messages collected for one call never mix with
 * another thread's: they are kept per thread).
 */
#ifndef DEPCHECK_RENDER_H
#define DEPCHECK_RENDER_H

#include <stdio.h>

#include "graph.h"
#include "format.h"
#include "blast.h"
#include "simulate.h"
#include "plan.h"
#include "critical.h"
#include "overload.h"

/** What to group services by (clusters or collapsed nodes). */
typedef enum {
	DC_RENDER_GROUP_NONE = 0,
	DC_RENDER_GROUP_SYSTEM,
	DC_RENDER_GROUP_OWNER,
	DC_RENDER_GROUP_TIER, /**< clusters only */
	DC_RENDER_GROUP_ZONE  /**< clusters only: by the service's set of zones */
} dc_render_group;

/** "system", "owner", ... -> 0 and *out, or DC_EINVALID. */
DC_EXTERN(int) dc_render_group_parse(dc_render_group *out, const char *name);

/** Layout engine. AUTO picks by size (see dc_render_stats.strategy). */
typedef enum {
	DC_RENDER_LAYOUT_AUTO = 0,
	DC_RENDER_LAYOUT_DOT,   /**< layered (Graphviz dot), tuned above 150 nodes */
	DC_RENDER_LAYOUT_SFDP   /**< force-directed (Graphviz sfdp): fast, not layered */
} dc_render_layout;

/** Style override of one node or edge (a caller's node_style/edge_style
 * callback). Fields left NULL / 0 keep what the map would draw. Strings
 * are copied into the DOT at once. */
typedef struct {
	const char *color;     /**< edge colour / node border ("#2e7d32", "red") */
	const char *fillcolor; /**< nodes only */
	const char *style;     /**< "dashed", "bold", ... replaces the style */
	double penwidth;       /**< 0 = unchanged */
	const char *cls;       /**< extra class(es) appended to the class attribute */
	int faded;             /**< 1: draw in light grey (context, not the subject) */
	const char *url;       /**< nodes only: a link (SVG <a href>, PDF link) */
} dc_render_style;

/** Called once per drawn service (id) or dependency (dependency index);
 * fill *st (zeroed before the call) to override. `payload` is the
 * options' style_data (callback payload last, as everywhere). */
typedef void (*dc_render_node_fn)(dc_id s, dc_render_style *st, void *payload);
typedef void (*dc_render_edge_fn)(size_t dep, dc_render_style *st, void *payload);

typedef struct {
	unsigned int version;          /**< DC_RENDER_OPTIONS_VERSION */
	dc_render_layout layout;       /**< AUTO */
	dc_render_group cluster_by;    /**< clusters; NONE */
	dc_render_group collapse;      /**< NONE, SYSTEM or OWNER: one node per group */
	int labels_full;               /**< 1: label = name + owner */
	int reduce;                    /**< transitive reduction: 1 always, -1 never, 0 (auto):
	                                    for plans and maps past the default-layout size (dropped edges
	                                    are counted in stats and the legend; critical-path and
	                                    failure-cause edges are always drawn) */
	size_t sfdp_above;             /**< AUTO: sfdp above this many drawn nodes
	                                    (0 = DC_RENDER_SFDP_ABOVE) */
	const char *title;             /**< graph label, or NULL */
	const dc_blast *blast;         /**< blast radii for tooltips, or NULL */
	const dc_selection *fail;      /**< failure overlay: the selection whose seeds are marked
	                                    (double border, "(failed)"); needs `impact`; or NULL */
	dc_failure_mode fail_mode;     /**< unused since version 2: the caller ran the simulation
	                                    (`impact` holds its times) */
	const dc_plan *plan;           /**< waves overlay, or NULL */
	int plan_only;                 /**< 1: draw planned services only (dc_plan_render) */
	dc_critical *critical;         /**< critical-path overlay, or NULL */
	dc_id critical_from;           /**< DC_NO_ID: the chain of every entrypoint */
	dc_id highlight;               /**< DC_NO_ID, or the service to highlight */
	unsigned highlight_depth;      /**< hops each way, 0 = unlimited */
	dc_render_node_fn node_style;  /**< overrides, or NULL */
	dc_render_edge_fn edge_style;
	void *style_data;              /**< the style callbacks' payload */
	size_t collapse_edges_max;     /**< collapsed maps: draw only this many edges out of each
	                                    group, those standing for the most dependencies
	                                    (0 = all; the report uses 4: dot needs ~20 s of CPU for
	                                    the 1,300 system pairs of 2,000 services) */
	/* version 2: */
	const dc_impact *impact;       /**< failure overlay: the states, times and causes to draw,
	                                    as dc_simulate(impact, fail, mode) left them (computed
	                                    by the caller on the same graph), or NULL. Version 1
	                                    options cannot carry it: their `fail` is refused */
	/* version 3: */
	const dc_overload *overload;   /**< load overlay: the load model's result (dc_overload_run on
	                                    the same graph, by the caller), or NULL. Services are
	                                    filled by utilisation with the triggers (over capacity,
	                                    near it: 80 % or more, under it, no capacity declared),
	                                    the overloaded and near ones labelled with offered /
	                                    capacity and amplification; the triggered services get
	                                    a double border; the dependencies whose retries the
	                                    trigger multiplied are orange, thicker with more
	                                    retries/s, and each overload's cause is red. Class
	                                    names: "load-over|near|under|unbounded", "load-trigger",
	                                    "load-failing" (half its requests fail or more) on
	                                    nodes; "load-retry", "load-cause" on edges. Not with
	                                    `fail`/`impact` or `collapse` (DC_EINVALID) */
} dc_render_options;

/* Versions 1 .. DC_RENDER_OPTIONS_VERSION are accepted; version 1 ends
 * before `impact`, version 2 before `overload`. */
#define DC_RENDER_OPTIONS_VERSION 3
#define DC_RENDER_OPTIONS_INIT { DC_RENDER_OPTIONS_VERSION, DC_RENDER_LAYOUT_AUTO, \
	DC_RENDER_GROUP_NONE, DC_RENDER_GROUP_NONE, 0, 0, 0, NULL, NULL, NULL, DC_FAILURE_HANG, \
	NULL, 0, NULL, DC_NO_ID, DC_NO_ID, 0, NULL, NULL, NULL, 0, NULL, NULL }

/** AUTO layout: dot up to this many drawn nodes, sfdp above. */
#define DC_RENDER_SFDP_ABOVE 2500
/** Layouts (svg/png/pdf) are refused above this many drawn nodes: sfdp
 * needs about a minute for 10,000; use collapse, or -f dot. */
#define DC_RENDER_MAX_NODES 30000

/** A forced dot layout (DC_RENDER_LAYOUT_DOT) is refused above this many
 * drawn nodes: dot is superlinear (2,500 nodes take ~16 s, 10,000 hours). */
#define DC_RENDER_DOT_MAX 5000

/** What dc_render drew and how (for the announcement on stderr). */
typedef struct {
	size_t nodes;          /**< drawn nodes (services or groups, plus any_of junctions) */
	size_t edges;          /**< drawn edges */
	size_t reduced;        /**< dependencies not drawn because a path implies them */
	const char *engine;    /**< "dot" or "sfdp"; NULL for -f dot */
	const char *strategy;  /**< one line: which layout and parameters, and why
	                            (static string) */
} dc_render_stats;

/**
 * Render the map of g as `format` (DC_OUTPUT_DOT, _SVG, _PNG or _PDF) to
 * fp (a file, or an open_memstream for memory). stats may be NULL.
 * Returns 0; DC_EINVALID (another format, bad options: an unknown
 * version, options that do not combine, ids out of range, `fail` without
 * `impact`); DC_ENOTFOUND when the format's Graphviz plugin is not
 * installed (see dc_render_format_available); DC_ELIMIT above
 * DC_RENDER_MAX_NODES drawn nodes for a laid-out format
 * (DC_RENDER_DOT_MAX with a forced dot layout); DC_ERROR when Graphviz
 * failed to lay out or render the map (its messages are in diags, which
 * may be NULL); DC_EIO; DC_ENOMEM. Nothing is written to fp unless the
 * layout succeeded (the DOT text itself for DC_OUTPUT_DOT).
 */
DC_EXTERN(int) dc_render(const dc_graph *g, const dc_render_options *opts, dc_output_format format,
			 FILE *fp, dc_render_stats *stats, dc_diags *diags);

/** 1 when Graphviz can render `format` in this process (DC_OUTPUT_DOT
 * always; PNG/PDF need the cairo plugin, Debian's libgvc6), else 0 (also
 * for formats that are not maps). */
DC_EXTERN(int) dc_render_format_available(dc_output_format format);

/** The map format a file name's extension names (.svg, .png, .pdf, .dot,
 * .gv): 0 and *out, or DC_ENOTFOUND. */
DC_EXTERN(int) dc_render_format_from_path(dc_output_format *out, const char *path);

#endif
