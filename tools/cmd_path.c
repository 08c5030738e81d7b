/*
 * cmd_path.c - `depcheck path PATH... FROM TO`: why FROM depends on TO.
 *
 * Prints the dependency chains from FROM to TO, shortest first (up to
 * --max; dc_paths_find enumerates them, bounded), each hop with its kind,
 * and what happens to FROM when TO fails alone. Exit 1 when FROM does not
 * depend on TO.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_MAX = 1000 };

static const cli_option path_opts[] = {
	{ "max", 'n', 1, OPT_MAX, "N       list at most N chains (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

static long max_paths = 10;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	if (id == OPT_MAX) {
		max_paths = strtol(arg, &end, 10);
		if (*end || max_paths < 1 || max_paths > 100000)
			return cli_usage_error(c, "--max takes a number from 1 to 100000, not '%s'", arg);
	}
	return -1;
}

int cmd_path(int argc, char **argv)
{
	cli c;
	int rc;
	dc_id from, to;
	dc_paths *paths = NULL;
	dc_impact *imp = NULL;
	dc_paths_options po = DC_PATHS_OPTIONS_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	c.cmd = "path";
	c.usage = "PATH... FROM TO";
	c.description = "Explain why FROM depends on TO: the shortest dependency chain and other\n"
			"chains, with the kind of every hop, and what a failure of TO does to FROM.\n"
			"Exits 1 when FROM does not depend on TO at all.";
	c.formats = "text,json";
	c.opts = path_opts;
	max_paths = 10;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (c.nargs < 3) {
		rc = cli_usage_error(&c, "expected input paths, then FROM and TO");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs - 2)))
		goto out;
	if (cli_find(&c, c.args[c.nargs - 2], &from) || cli_find(&c, c.args[c.nargs - 1], &to)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (from == to) {
		rc = cli_usage_error(&c, "FROM and TO are the same service ('%s')", c.args[c.nargs - 1]);
		goto out;
	}
	po.max_paths = (size_t)max_paths;
	if (dc_paths_find(&paths, c.graph, from, to, &po) || dc_impact_new(&imp, c.graph) ||
	    dc_impact_run(imp, &to, 1, NULL, 0)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	dc_output_format_parse(&oo.format, c.format); /* one of c.formats: checked by cli_parse */
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if (dc_write_paths(c.out, c.graph, paths, imp, &oo)) {
		rc = cli_oom(&c);
		goto out;
	}
	rc = cli_finish(&c, dc_paths_count(paths) ? DC_EXIT_OK : DC_EXIT_FINDINGS);
out:
	dc_paths_free(paths);
	dc_impact_free(imp);
	cli_free(&c);
	return rc;
}
