/*
 * cmd_render.c - `depcheck render PATH... -o map.svg`: a dependency map laid
 * out and rendered in-process by Graphviz (dc_render, include/depcheck/render.h),
 * with grouping (--cluster-by, --collapse) and overlays (--fail, --plan,
 * --critical-path, --highlight, --load: the load model's steady state
 * under the triggers of `simulate --load`, parsed by load_opts.c).
 *
 * The format comes from -f, else from the extension of -o, else svg. The
 * overlays' analyses (the --fail simulation, the plan, the critical paths,
 * the blast radii of the tooltips) are library calls made here, as
 * render.h asks, and dc_render draws their results. The layout strategy
 * dc_render picked (and the dependencies a --reduce left out) is announced
 * on stderr, unless -q, with Graphviz's own messages.
 *
 * Exit: 0; 2 on usage errors (unknown service or selector, options that do
 * not combine, a format whose Graphviz plugin is missing, a map too big to
 * lay out).
 */
#include "cli.h"
#include "load_opts.h"
#include "observed_opts.h"

#include <unistd.h>

#include <string.h>

static struct {
	dc_render_group cluster, collapse;
	int labels_full, plan, critical, reduce, mode_given;
	int layout;             /* dc_render_layout */
	dc_failure_mode mode;
	const char *from, *highlight, *title;
	unsigned depth;
	cli_list fail;
	load_opts lo;           /* --load and its triggers; --fail is one of them then */
} o;

static int set_group(cli *c, const cli_opt *opt, const char *arg)
{
	if (!strcmp(opt->name, "cluster-by")) {
		if (dc_render_group_parse(&o.cluster, arg) || o.cluster == DC_RENDER_GROUP_NONE)
			return cli_usage_error(c, "--cluster-by takes system, owner, tier or zone, not '%s'", arg);
	} else if (dc_render_group_parse(&o.collapse, arg) ||
		   (o.collapse != DC_RENDER_GROUP_SYSTEM && o.collapse != DC_RENDER_GROUP_OWNER)) {
		return cli_usage_error(c, "--collapse takes system or owner, not '%s'", arg);
	}
	return -1;
}

static int set_mode(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_failure_mode_parse(&o.mode, arg))
		return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
	o.mode_given = 1;
	return -1;
}

/* --reduce and --no-reduce: the last one given wins */
static int set_reduce(cli *c, const cli_opt *opt, const char *arg)
{
	(void)c;
	(void)arg;
	o.reduce = strcmp(opt->name, "reduce") ? -1 : 1;
	return -1;
}

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	{ .name = "cluster-by", .type = CLI_OPT_FN, .has_arg = 1, .fn = set_group,
	  .complete = CLI_COMPLETE_WORDS, .values = "system,owner,tier,zone",
	  .help = "G  draw clusters by system, owner, tier or zone" },
	{ .name = "collapse", .type = CLI_OPT_FN, .has_arg = 1, .fn = set_group,
	  .complete = CLI_COMPLETE_WORDS, .values = "system,owner",
	  .help = "G  one node per system or owner; edges count dependencies" },
	{ .name = "labels", .type = CLI_OPT_CHOICE, .value = &o.labels_full, .choices = "name,full",
	  .expect = "name or full", .help = "L  name (default) or full (name and owner)" },
	{ .name = "fail", .type = CLI_OPT_LIST, .value = &o.fail, .complete = CLI_COMPLETE_SELECTOR,
	  .help = "SEL  overlay a failure: DOWN/DEGRADED/UP (NAME, zone:Z, system:S, ...)" },
	{ .name = "failure-mode", .type = CLI_OPT_FN, .has_arg = 1, .fn = set_mode,
	  .complete = CLI_COMPLETE_WORDS, .values = "hang,error",
	  .help = "M  hang (default) or error: times in the tooltips" },
	{ .name = "plan", .type = CLI_OPT_FLAG, .value = &o.plan,
	  .help = "   overlay the deployment waves (one numbered rank per wave)" },
	{ .name = "critical-path", .type = CLI_OPT_FLAG, .value = &o.critical,
	  .help = "   overlay the latency critical chains of every entrypoint" },
	{ .name = "from", .type = CLI_OPT_STRING, .value = &o.from, .complete = CLI_COMPLETE_SERVICE,
	  .help = "E  with --critical-path: only the chain from E" },
	{ .name = "highlight", .type = CLI_OPT_STRING, .value = &o.highlight, .complete = CLI_COMPLETE_SERVICE,
	  .help = "NAME  draw only NAME, its dependencies and dependents" },
	{ .name = "depth", .type = CLI_OPT_UINT, .value = &o.depth, .min = 1, .max = 1000000,
	  .expect = "a positive number", .help = "N  with --highlight: at most N hops each way" },
	{ .name = "reduce", .type = CLI_OPT_FN, .fn = set_reduce,
	  .help = "   leave out edges implied by paths (default above 150 nodes)" },
	{ .name = "no-reduce", .type = CLI_OPT_FN, .fn = set_reduce,
	  .help = "   draw every dependency, however big the map" },
	{ .name = "layout", .type = CLI_OPT_CHOICE, .value = &o.layout, .choices = "auto,dot,sfdp",
	  .expect = "auto, dot or sfdp", .help = "L  auto (by size, the default), dot (layered) or sfdp" },
	{ .name = "title", .type = CLI_OPT_STRING, .value = &o.title,
	  .help = "T  a title above the legend" },
	LOAD_OPTION_ROWS(o.lo),
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

/* Before anything is loaded: options that cannot be combined, then the
 * format (-f, else the extension of -o, else svg) and its plugin. */
static int prepare(cli *c)
{
	dc_output_format format;
	if (o.collapse && (o.cluster || o.plan || o.critical || o.highlight || o.reduce > 0))
		return cli_usage_error(c, "--collapse draws groups: it combines with --fail only "
				       "(not --cluster-by, --plan, --critical-path, --highlight, --reduce)");
	if (o.plan && o.cluster)
		return cli_usage_error(c, "--plan groups services by wave: it cannot be combined with --cluster-by");
	if (o.from && !o.critical)
		return cli_usage_error(c, "--from goes with --critical-path");
	if (o.depth && !o.highlight)
		return cli_usage_error(c, "--depth goes with --highlight");
	if (o.mode_given && !o.fail.n)
		return cli_usage_error(c, "--failure-mode goes with --fail");
	if (load_opts_check(c, &o.lo) >= 0)
		return DC_EXIT_USAGE;
	if (o.lo.load && o.collapse)
		return cli_usage_error(c, "--load colours services by utilisation: it does not combine with --collapse");
	if (o.lo.load && o.mode_given)
		return cli_usage_error(c, "--failure-mode goes without --load: a failed service answers errors at "
				       "once in the load model, use --slow for a hang");
	if (cli_format_is(c, "auto")) {
		if (!c->output || !strcmp(c->output, "-"))
			format = DC_OUTPUT_SVG;
		else if (dc_render_format_from_path(&format, c->output))
			return cli_usage_error(c, "cannot tell the format from '%s': name it .svg, .png, .pdf or "
					       ".dot, or give -f", c->output);
		c->format = dc_output_format_name(format);
	}
	format = cli_output_options(c).format;
	/* PNG and PDF are binary: a terminal would show garbage and may take
	 * escape sequences in it as commands (report refuses HTML likewise) */
	if ((format == DC_OUTPUT_PNG || format == DC_OUTPUT_PDF) && (!c->output || !strcmp(c->output, "-")) &&
	    isatty(1))
		return cli_usage_error(c, "-f %s is binary: give the output file with -o map.%s "
				       "(or redirect standard output)", c->format, c->format);
	if (!dc_render_format_available(format)) {
		fprintf(stderr, "depcheck render: this Graphviz cannot render %s: its %s plugin is missing "
			"(Debian: apt-get install libgvc6, then 'dot -c' as root if plugins were added by hand)\n",
			c->format, format == DC_OUTPUT_SVG ? "core" : "cairo");
		return DC_EXIT_USAGE;
	}
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... [-o map.svg|.png|.pdf|.dot]",
	.description = "A map of the dependency graph, laid out by Graphviz in-process: callers above\n"
		       "(or left of) what they depend on, nodes coloured by tier with a legend, soft\n"
		       "dependencies dashed, any_of groups joined by an \"any\" node, external services\n"
		       "dashed; tooltips give owner, system, tier and blast radius. Overlays: --fail,\n"
		       "--plan, --critical-path, --highlight, and --load (with the triggers of simulate\n"
		       "--load: --fail, --slow, --surge, --capacity): services coloured by utilisation,\n"
		       "the trigger marked, the retries it multiplied. Big graphs: the layout is chosen\n"
		       "by size (tuned dot, sfdp above 2,500 nodes) and announced on stderr; --reduce\n"
		       "and --collapse make big maps readable. Format: -f, else the extension of -o.",
	.formats = "auto,svg,png,pdf,dot",
	.examples = "depcheck render catalog.yaml -o map.svg\n"
		    "the dependency map, laid out by Graphviz\n"
		    "depcheck render catalog.yaml --fail zone:eu-a -o eu-a.png\n"
		    "the map with a zone failure overlaid\n",
	.opts = opts,
	.prepare = prepare,
};

/* Graphviz's own messages, as "depcheck render: graphviz: warning: ..." */
static void print_graphviz(const dc_diags *d)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		fprintf(stderr, "depcheck render: graphviz: %s: %s\n", dc_severity_name(x->severity), x->message);
	}
}

/* The overlays' analyses, drawn by dc_render, freed by cmd_render. */
static struct {
	dc_blast *blast;
	dc_selection *sel;
	dc_impact *imp;
	dc_plan *plan;
	dc_critical *cp;
	dc_overload_triggers *trig;
	dc_overload *ov;
} an;

/* Run them into ro. Returns 0 or an exit code (said). */
static int overlays(cli *c, dc_render_options *ro)
{
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	int rc;

	/* blast radii for the tooltips and the plan's canary order */
	bo.flags = DC_BLAST_NO_SPOFS;
	if (dc_blast_compute_ex(&an.blast, c->graph, &bo))
		return cli_oom(c);
	ro->blast = an.blast;
	if (o.lo.load) {
		if ((rc = load_opts_run(c, &o.lo, &o.fail, &an.trig, &an.ov)))
			return rc;
		ro->overload = an.ov;
	} else if (o.fail.n) {
		if (dc_selection_new(&an.sel, c->cat))
			return cli_oom(c);
		if ((rc = cli_select(c, an.sel, (char *const *)o.fail.items, o.fail.n)))
			return rc;
		if (dc_impact_new(&an.imp, c->graph) || dc_simulate(an.imp, an.sel, o.mode))
			return cli_oom(c);
		ro->fail = an.sel;
		ro->impact = an.imp;
	}
	if (o.plan) {
		po.blast = an.blast;
		if (dc_plan_compute(&an.plan, c->graph, &po))
			return cli_oom(c);
		ro->plan = an.plan;
	}
	if (o.critical) {
		if (dc_critical_new(&an.cp, c->graph))
			return cli_oom(c);
		ro->critical = an.cp;
		if (o.from && cli_find(c, o.from, &ro->critical_from))
			return DC_EXIT_USAGE;
	}
	if (o.highlight && cli_find(c, o.highlight, &ro->highlight))
		return DC_EXIT_USAGE;
	ro->highlight_depth = o.depth;
	ro->cluster_by = o.cluster;
	ro->collapse = o.collapse;
	ro->labels_full = o.labels_full;
	ro->reduce = o.reduce;
	ro->layout = (dc_render_layout)o.layout;
	ro->title = o.title;
	return 0;
}

/* DC_EXIT_USAGE (said) when the map is certainly over the layout limits,
 * else -1. Only the cases where the count is known before any analysis:
 * every service drawn (each is a node; junctions only add). */
static int too_big(cli *c)
{
	size_t n = dc_catalog_service_count(c->cat);
	if (cli_output_options(c).format == DC_OUTPUT_DOT || o.collapse || o.highlight)
		return -1;
	if (n <= DC_RENDER_MAX_NODES && (o.layout != DC_RENDER_LAYOUT_DOT || n <= DC_RENDER_DOT_MAX))
		return -1;
	fprintf(stderr, "depcheck render: %zu nodes is too many to lay out (at most %d, %d with "
		"--layout dot); use --collapse system, --highlight NAME, or -f dot\n", n,
		DC_RENDER_MAX_NODES, DC_RENDER_DOT_MAX);
	return DC_EXIT_USAGE;
}

int cmd_render(cli *c)
{
	int rc, r;
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	dc_render_stats st;
	dc_diags *gd = NULL;
	FILE *out;

	memset(&o, 0, sizeof(o));
	memset(&an, 0, sizeof(an));
	memset(&st, 0, sizeof(st));
	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	/* the size tier first: without --collapse or --highlight every service
	 * is drawn, so a map dc_render would refuse is refused here, before the
	 * overlays' analyses (every blast radius: a minute on 1,000,000) */
	if ((rc = too_big(c)) >= 0)
		goto out;
	if ((rc = overlays(c, &ro)))
		goto out;
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_diags_new(&gd)) {
		rc = cli_oom(c);
		goto out;
	}
	r = dc_render(c->graph, &ro, cli_output_options(c).format, out, &st, gd);
	if (r || !c->quiet)
		print_graphviz(gd);
	rc = r ? DC_EXIT_USAGE : DC_EXIT_OK;
	if (r == DC_ELIMIT)
		fprintf(stderr, "depcheck render: %zu nodes is too many to lay out (at most %d, %d with "
			"--layout dot); use --collapse system, --highlight NAME, or -f dot\n", st.nodes,
			DC_RENDER_MAX_NODES, DC_RENDER_DOT_MAX);
	else if (r == DC_ENOTFOUND)
		fprintf(stderr, "depcheck render: Graphviz has no renderer for %s\n", c->format);
	else if (r)
		fprintf(stderr, "depcheck render: cannot render the map (%s)\n", dc_strerror(r));
	else if (!c->quiet) {
		fprintf(stderr, "depcheck render: %zu node%s, %zu edge%s", st.nodes, st.nodes == 1 ? "" : "s",
			st.edges, st.edges == 1 ? "" : "s");
		if (st.reduced)
			fprintf(stderr, " (%zu more implied by paths, not drawn)", st.reduced);
		fprintf(stderr, "; layout: %s\n", st.strategy);
	}
out:
	dc_diags_free(gd);
	dc_impact_free(an.imp);
	dc_selection_free(an.sel);
	dc_critical_free(an.cp);
	dc_plan_free(an.plan);
	dc_blast_free(an.blast);
	dc_overload_free(an.ov);
	dc_overload_triggers_free(an.trig);
	return rc;
}
