/*
 * cmd_render.c - `depcheck render PATH... -o map.svg`: a dependency map laid
 * out and rendered in-process by Graphviz (dc_render, include/depcheck/render.h),
 * with grouping (--cluster-by, --collapse) and overlays (--fail, --plan,
 * --critical-path, --highlight).
 *
 * The format comes from -f, else from the extension of -o, else svg. The
 * overlays' analyses (the --fail simulation, the plan, the critical paths,
 * the blast radii of the tooltips) run here and dc_render draws their
 * results. The layout strategy dc_render picked (and the dependencies a
 * --reduce left out) is announced on stderr, unless -q, with Graphviz's
 * own messages.
 *
 * Exit: 0; 2 on usage errors (unknown service or selector, options that do
 * not combine, a format whose Graphviz plugin is missing, a map too big to
 * lay out).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_CLUSTER = 1000, OPT_COLLAPSE, OPT_LABELS, OPT_FAIL, OPT_MODE, OPT_PLAN, OPT_CRITICAL,
       OPT_FROM, OPT_HIGHLIGHT, OPT_DEPTH, OPT_REDUCE, OPT_NO_REDUCE, OPT_LAYOUT, OPT_TITLE };

static const cli_option opts[] = {
	{ "cluster-by", 0, 1, OPT_CLUSTER, "G  draw clusters by system, owner, tier or zone" },
	{ "collapse", 0, 1, OPT_COLLAPSE, "G  one node per system or owner; edges count dependencies" },
	{ "labels", 0, 1, OPT_LABELS, "L  name (default) or full (name and owner)" },
	{ "fail", 0, 1, OPT_FAIL, "SEL  overlay a failure: DOWN/DEGRADED/UP (NAME, zone:Z, system:S, ...)" },
	{ "failure-mode", 0, 1, OPT_MODE, "M  hang (default) or error: times in the tooltips" },
	{ "plan", 0, 0, OPT_PLAN, "   overlay the deployment waves (one numbered rank per wave)" },
	{ "critical-path", 0, 0, OPT_CRITICAL, "   overlay the latency critical chains of every entrypoint" },
	{ "from", 0, 1, OPT_FROM, "E  with --critical-path: only the chain from E" },
	{ "highlight", 0, 1, OPT_HIGHLIGHT, "NAME  NAME's dependencies and dependents; the rest faded" },
	{ "depth", 0, 1, OPT_DEPTH, "N  with --highlight: at most N hops each way" },
	{ "reduce", 0, 0, OPT_REDUCE, "   leave out edges implied by paths (default above 150 nodes)" },
	{ "no-reduce", 0, 0, OPT_NO_REDUCE, "   draw every dependency, however big the map" },
	{ "layout", 0, 1, OPT_LAYOUT, "L  auto (by size, the default), dot (layered) or sfdp" },
	{ "title", 0, 1, OPT_TITLE, "T  a title above the legend" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	dc_render_group cluster, collapse;
	int labels_full, plan, critical, reduce, mode_given;
	dc_failure_mode mode;
	dc_render_layout layout;
	const char *from, *highlight, *title;
	long depth;
	char **fail;
	size_t nfail;
} o;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	switch (id) {
	case OPT_CLUSTER:
		if (dc_render_group_parse(&o.cluster, arg) || o.cluster == DC_RENDER_GROUP_NONE)
			return cli_usage_error(c, "--cluster-by takes system, owner, tier or zone, not '%s'", arg);
		return -1;
	case OPT_COLLAPSE:
		if (dc_render_group_parse(&o.collapse, arg) ||
		    (o.collapse != DC_RENDER_GROUP_SYSTEM && o.collapse != DC_RENDER_GROUP_OWNER))
			return cli_usage_error(c, "--collapse takes system or owner, not '%s'", arg);
		return -1;
	case OPT_LABELS:
		if (strcmp(arg, "name") && strcmp(arg, "full"))
			return cli_usage_error(c, "--labels takes name or full, not '%s'", arg);
		o.labels_full = !strcmp(arg, "full");
		return -1;
	case OPT_FAIL: {
		char **nf = realloc(o.fail, (o.nfail + 1) * sizeof(*nf));
		if (!nf)
			return DC_EXIT_USAGE;
		o.fail = nf;
		o.fail[o.nfail++] = (char *)arg;
		return -1;
	}
	case OPT_MODE:
		if (dc_failure_mode_parse(&o.mode, arg))
			return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
		o.mode_given = 1;
		return -1;
	case OPT_PLAN: o.plan = 1; return -1;
	case OPT_CRITICAL: o.critical = 1; return -1;
	case OPT_FROM: o.from = arg; return -1;
	case OPT_HIGHLIGHT: o.highlight = arg; return -1;
	case OPT_DEPTH:
		o.depth = strtol(arg, &end, 10);
		if (!*arg || *end || o.depth < 1 || o.depth > 1000000)
			return cli_usage_error(c, "--depth takes a positive number, not '%s'", arg);
		return -1;
	case OPT_REDUCE: o.reduce = 1; return -1;
	case OPT_NO_REDUCE: o.reduce = -1; return -1;
	case OPT_LAYOUT:
		if (!strcmp(arg, "auto"))
			o.layout = DC_RENDER_LAYOUT_AUTO;
		else if (!strcmp(arg, "dot"))
			o.layout = DC_RENDER_LAYOUT_DOT;
		else if (!strcmp(arg, "sfdp"))
			o.layout = DC_RENDER_LAYOUT_SFDP;
		else
			return cli_usage_error(c, "--layout takes auto, dot or sfdp, not '%s'", arg);
		return -1;
	case OPT_TITLE: o.title = arg; return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

/* Options that cannot be combined, before anything is loaded. */
static int check_combinations(cli *c)
{
	if (o.collapse && (o.cluster || o.plan || o.critical || o.highlight || o.reduce > 0))
		return cli_usage_error(c, "--collapse draws groups: it combines with --fail only "
				       "(not --cluster-by, --plan, --critical-path, --highlight, --reduce)");
	if (o.plan && o.cluster)
		return cli_usage_error(c, "--plan groups services by wave: it cannot be combined with --cluster-by");
	if (o.from && !o.critical)
		return cli_usage_error(c, "--from goes with --critical-path");
	if (o.depth && !o.highlight)
		return cli_usage_error(c, "--depth goes with --highlight");
	if (o.mode_given && !o.nfail)
		return cli_usage_error(c, "--failure-mode goes with --fail");
	return -1;
}

/* -f, else the extension of -o, else svg. */
static int pick_format(cli *c, dc_output_format *format)
{
	if (cli_format_is(c, "auto")) {
		if (!c->output || !strcmp(c->output, "-"))
			*format = DC_OUTPUT_SVG;
		else if (dc_render_format_from_path(format, c->output))
			return cli_usage_error(c, "cannot tell the format from '%s': name it .svg, .png, .pdf or "
					       ".dot, or give -f", c->output);
		c->format = dc_output_format_name(*format);
	} else if (dc_output_format_parse(format, c->format)) {
		return cli_usage_error(c, "unknown format '%s'", c->format); /* cli_parse checked it */
	}
	return -1;
}

/* Graphviz's own messages, as "depcheck render: graphviz: warning: ..." */
static void print_graphviz(const dc_diags *d)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		fprintf(stderr, "depcheck render: graphviz: %s: %s\n", dc_severity_name(x->severity), x->message);
	}
}

int cmd_render(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	dc_selection *sel = NULL;
	dc_blast *b = NULL;
	dc_plan *p = NULL;
	dc_critical *cp = NULL;
	dc_impact *imp = NULL;
	dc_diags *gd = NULL;
	dc_output_format format = DC_OUTPUT_SVG;
	dc_id id;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	c.cmd = "render";
	c.usage = "PATH... [-o map.svg|.png|.pdf|.dot]";
	c.description = "A map of the dependency graph, laid out by Graphviz in-process: callers above\n"
			"(or left of) what they depend on, nodes coloured by tier with a legend, soft\n"
			"dependencies dashed, any_of groups joined by an \"any\" node, external services\n"
			"dashed; tooltips give owner, system, tier and blast radius. Overlays: --fail,\n"
			"--plan, --critical-path, --highlight. Big graphs: the layout is chosen by size\n"
			"(tuned dot, sfdp above 2,500 nodes) and announced on stderr; --reduce and\n"
			"--collapse make big maps readable. Format: -f, else the extension of -o.";
	c.formats = "auto,svg,png,pdf,dot";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = check_combinations(&c)) >= 0 || (rc = pick_format(&c, &format)) >= 0)
		goto out;
	if (!dc_render_format_available(format)) {
		fprintf(stderr, "depcheck render: this Graphviz cannot render %s: its %s plugin is missing "
			"(Debian: apt-get install libgvc6, then 'dot -c' as root if plugins were added by hand)\n",
			c.format, format == DC_OUTPUT_SVG ? "core" : "cairo");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;

	/* blast radii for the tooltips and the plan's canary order */
	bo.flags = DC_BLAST_NO_SPOFS;
	if (dc_blast_compute_ex(&b, c.graph, &bo))
		goto oom;
	ro.blast = b;
	if (o.nfail) {
		if (dc_selection_new(&sel, c.cat))
			goto oom;
		if ((rc = cli_select(&c, sel, o.fail, o.nfail)))
			goto out;
		if (dc_impact_new(&imp, c.graph) || dc_simulate(imp, sel, o.mode))
			goto oom;
		ro.fail = sel;
		ro.impact = imp;
	}
	if (o.plan) {
		po.blast = b;
		if (dc_plan_compute(&p, c.graph, &po))
			goto oom;
		ro.plan = p;
	}
	if (o.critical) {
		if (dc_critical_new(&cp, c.graph))
			goto oom;
		ro.critical = cp;
		if (o.from) {
			if (cli_find(&c, o.from, &id)) {
				rc = DC_EXIT_USAGE;
				goto out;
			}
			ro.critical_from = id;
		}
	}
	if (o.highlight) {
		if (cli_find(&c, o.highlight, &id)) {
			rc = DC_EXIT_USAGE;
			goto out;
		}
		ro.highlight = id;
		ro.highlight_depth = (unsigned)o.depth;
	}
	ro.cluster_by = o.cluster;
	ro.collapse = o.collapse;
	ro.labels_full = o.labels_full;
	ro.reduce = o.reduce;
	ro.layout = o.layout;
	ro.title = o.title;

	if ((rc = cli_open_output(&c)))
		goto out;
	if (dc_diags_new(&gd))
		goto oom;
	r = dc_render(c.graph, &ro, format, c.out, &st, gd);
	if (r || !c.quiet)
		print_graphviz(gd);
	if (r) {
		if (r == DC_ELIMIT)
			fprintf(stderr, "depcheck render: %zu nodes is too many to lay out (at most %d, %d with "
				"--layout dot); use --collapse system, --highlight NAME, or -f dot\n", st.nodes,
				DC_RENDER_MAX_NODES, DC_RENDER_DOT_MAX);
		else if (r == DC_ENOTFOUND)
			fprintf(stderr, "depcheck render: Graphviz has no renderer for %s\n", c.format);
		else
			fprintf(stderr, "depcheck render: cannot render the map (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	if (!c.quiet) {
		fprintf(stderr, "depcheck render: %zu nodes, %zu edges", st.nodes, st.edges);
		if (st.reduced)
			fprintf(stderr, " (%zu more implied by paths, not drawn)", st.reduced);
		fprintf(stderr, "; layout: %s\n", st.strategy);
	}
	rc = cli_finish(&c, DC_EXIT_OK);
	goto out;
oom:
	fprintf(stderr, "depcheck render: out of memory\n");
	rc = DC_EXIT_USAGE;
out:
	free(o.fail);
	dc_diags_free(gd);
	dc_impact_free(imp);
	dc_selection_free(sel);
	dc_critical_free(cp);
	dc_plan_free(p);
	dc_blast_free(b);
	cli_free(&c);
	return rc;
}
