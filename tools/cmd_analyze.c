/*
 * cmd_analyze.c - `depcheck analyze PATH...`: the structural risks of the
 * whole catalog (cycles, SPOFs, blast radii, depth, hubs, retry
 * amplification, timeout budgets), computed by dc_analyze().
 *
 * Text shows the top --top rows of each section with "and N more"; JSON
 * has everything (blast_radius lists every service; hubs are top lists by
 * nature and follow --top too). The writers are dc_write_analysis's
 * (lib/output_text.c, lib/output_json.c).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_TOP = 1000 };

static const cli_option opts[] = {
	{ "top", 0, 1, OPT_TOP, "N  rows per section in text output (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

static size_t top = 10;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	if (id != OPT_TOP)
		return cli_usage_error(c, "unexpected option");
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || v == 0 || v > 1000000 || arg[0] == '-')
		return cli_usage_error(c, "--top takes a positive number, not '%s'", arg);
	top = v;
	return -1;
}

int cmd_analyze(int argc, char **argv)
{
	cli c;
	int rc;
	dc_analysis *a = NULL;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	top = 10;
	c.cmd = "analyze";
	c.usage = "PATH...";
	c.description = "Structural risks of the whole catalog: cycles and hard cycles (with the\n"
			"dependencies that close them), single points of failure, the blast radius\n"
			"of every service, depth and the longest hard chain, fan-in/fan-out hubs,\n"
			"retry amplification and timeout-budget violations.";
	c.formats = "text,json";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	ao.hubs = top;
	if (dc_analyze(&a, c.graph, &ao)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	dc_output_format_parse(&oo.format, c.format); /* checked by cli_parse */
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	rc = cli_finish(&c, dc_write_analysis(c.out, a, top, &oo) ? cli_oom(&c) : DC_EXIT_OK);
out:
	dc_analysis_free(a);
	cli_free(&c);
	return rc;
}
