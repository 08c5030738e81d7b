/*
 * cmd_show.c - `depcheck show PATH... SERVICE`: one service in full.
 *
 * The last positional argument is the service; the ones before it are
 * inputs. The blast radius is the single-failure propagation of §3
 * (dc_impact_run with the service alone); dc_write_show writes it all.
 */
#include "cli.h"

#include <string.h>

int cmd_show(int argc, char **argv)
{
	cli c;
	int rc;
	dc_id s;
	dc_impact *imp = NULL;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	c.cmd = "show";
	c.usage = "PATH... SERVICE";
	c.description = "Show one service: where it is defined, its attributes, what it depends on,\n"
			"what depends on it, and its blast radius (what goes down if it fails alone).\n"
			"SERVICE may be any unique form of the name (name, namespace/name, kind:ns/name).";
	c.formats = "text,json";
	rc = cli_parse(&c, argc, argv, NULL);
	if (rc >= 0)
		goto out;
	if (c.nargs < 2) {
		rc = cli_usage_error(&c, "expected input paths and a SERVICE");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs - 1)))
		goto out;
	if (cli_find(&c, c.args[c.nargs - 1], &s)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_impact_new(&imp, c.graph) || dc_impact_run(imp, &s, 1, NULL, 0)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	dc_output_format_parse(&oo.format, c.format); /* one of c.formats: checked by cli_parse */
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if (dc_write_show(c.out, c.graph, s, imp, &oo)) {
		rc = cli_oom(&c);
		goto out;
	}
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	dc_impact_free(imp);
	cli_free(&c);
	return rc;
}
