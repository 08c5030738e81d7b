/*
 * render_plan.c - a deployment plan as DOT or SVG: the plan overlay of the
 * general map (render.c, through the shared Graphviz bridge), restricted to
 * the planned services. One rank per wave headed by a "wave N" node, waves
 * top to bottom, dependencies between planned services drawn from the
 * earlier wave to the later one (arrows still point at the dependency) and
 * transitively reduced, lockstep members and the edges inside a lockstep
 * group in red (those edges do not constrain the layout), invisible edges
 * chaining the wave labels so that waves with no edge between them still
 * stack. Constraints that pass
 * through unplanned services are not drawn (the waves already honour them).
 * Graphviz's messages reach the caller's diags (they were dropped once).
 */
#include <depcheck/plan.h>
#include <depcheck/render.h>


int dc_plan_render(const dc_plan *p, const dc_graph *g, dc_output_format format, FILE *fp,
		   dc_diags *diags)
{
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	if (format != DC_OUTPUT_DOT && format != DC_OUTPUT_SVG)
		return DC_EINVALID;
	if (format == DC_OUTPUT_SVG && dc_plan_service_count(p) > DC_PLAN_SVG_MAX)
		return DC_ELIMIT;
	ro.plan = p;
	ro.plan_only = 1;
	ro.labels_full = 1; /* name and owner: who ships it */
	return dc_render(g, &ro, format, fp, NULL, diags);
}
