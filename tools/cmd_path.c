/*
 * cmd_path.c - `depcheck path PATH... FROM TO`: why FROM depends on TO.
 *
 * Prints the dependency chains from FROM to TO, shortest first (up to
 * --max; dc_paths_find enumerates them, bounded), each hop with its kind,
 * and what happens to FROM when TO fails alone. Exit 1 when FROM does not
 * depend on TO.
 */
#include "cli.h"

static dc_paths_options po;

static const cli_opt opts[] = {
	{ .name = "max", .short_name = 'n', .type = CLI_OPT_SIZE, .value = &po.max_paths,
	  .min = 1, .max = 100000, .expect = "a number from 1 to 100000",
	  .help = "N       list at most N chains (default 10)" },
	{ .name = NULL }
};

static const cli_spec spec = {
	.usage = "PATH... FROM TO",
	.description = "Explain why FROM depends on TO: the shortest dependency chain and other\n"
		       "chains, with the kind of every hop, and what a failure of TO does to FROM.\n"
		       "Exits 1 when FROM does not depend on TO at all.",
	.formats = "text,json",
	.examples = "depcheck path catalog.yaml web-player storage-eu\n"
		    "why web-player depends on storage-eu: every chain, with file:line\n",
	.exit_ok = "FROM depends on TO",
	.exit_findings = "FROM does not depend on TO",
	.opts = opts,
	.trailing = 2,
	.args_error = "expected input paths, then FROM and TO",
	.trailing_complete = CLI_COMPLETE_SERVICE,
};

int cmd_path(cli *c)
{
	int rc;
	dc_id from, to;
	dc_paths *paths = NULL;
	dc_impact *imp = NULL;
	dc_paths_options init = DC_PATHS_OPTIONS_INIT;
	dc_output_options oo;
	FILE *out;

	po = init;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	if (cli_find(c, cli_trailing(c, 0), &from) || cli_find(c, cli_trailing(c, 1), &to))
		return DC_EXIT_USAGE;
	if (from == to)
		return cli_usage_error(c, "FROM and TO are the same service ('%s')", cli_trailing(c, 1));
	if (dc_paths_find(&paths, c->graph, from, to, &po) || dc_impact_new(&imp, c->graph) ||
	    dc_impact_run(imp, &to, 1, NULL, 0))
		rc = cli_oom(c);
	else if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else if (dc_write_paths(out, c->graph, paths, imp, &oo))
		rc = cli_oom(c);
	else
		rc = dc_paths_count(paths) ? DC_EXIT_OK : DC_EXIT_FINDINGS;
	dc_paths_free(paths);
	dc_impact_free(imp);
	return rc;
}
