/*
 * cmd_show.c - `depcheck show PATH... SERVICE`: one service in full.
 *
 * The last positional argument is the service; the ones before it are
 * inputs. The blast radius is the single-failure propagation of §3
 * (dc_impact_run with the service alone); dc_write_show writes it all.
 */
#include "cli.h"
#include "observed_opts.h"

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

static const cli_spec spec = {
	.opts = opts,
	.usage = "PATH... SERVICE",
	.description = "Show one service: where it is defined, its attributes, what it depends on,\n"
		       "what depends on it, and its blast radius (what goes down if it fails alone).\n"
		       "SERVICE may be any unique form of the name (name, namespace/name, kind:ns/name).",
	.formats = "text,json",
	.examples = "depcheck show catalog.yaml playback\n"
		    "playback's attributes, dependencies, dependents and blast radius\n"
		    "depcheck show k8s/ default/checkout -f json\n"
		    "one Kubernetes service, as JSON\n",
	.trailing = 1,
	.args_error = "expected input paths and a SERVICE",
	.trailing_complete = CLI_COMPLETE_SERVICE,
};

int cmd_show(cli *c)
{
	int rc;
	dc_id s;
	dc_impact *imp = NULL;
	dc_output_options oo;
	FILE *out;

	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	/* the blast radius follows the edges: say where they came from */
	cli_assume(c, &oo, DC_ASSUME_EDGES);
	if (cli_find(c, cli_trailing(c, 0), &s))
		return DC_EXIT_USAGE;
	if (dc_impact_new(&imp, c->graph) || dc_impact_run(imp, &s, 1, NULL, 0))
		rc = cli_oom(c);
	else if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_show(out, c->graph, s, imp, &oo) ? cli_oom(c) : DC_EXIT_OK;
	dc_impact_free(imp);
	return rc;
}
