/*
 * cmd_export.c - `depcheck export PATH... -f json|yaml|dot`: the normalized
 * catalog, which loads back to the same graph (dc_export).
 */
#include "cli.h"

#include <string.h>

int cmd_export(int argc, char **argv)
{
	cli c;
	int rc;
	dc_output_format fmt = DC_OUTPUT_JSON;
	memset(&c, 0, sizeof(c));
	c.cmd = "export";
	c.usage = "PATH... -f json|yaml|dot";
	c.description = "Write the catalog, merged from every input and with all defaults made\n"
			"explicit, in depcheck's native format (json, yaml) or as DOT. Loading the\n"
			"output again gives the same graph.";
	c.formats = "json,yaml,dot";
	rc = cli_parse(&c, argc, argv, NULL);
	if (rc >= 0)
		goto out;
	dc_output_format_parse(&fmt, c.format); /* one of c.formats: checked by cli_parse */
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (dc_export(c.cat, fmt, c.out)) {
		fprintf(stderr, "depcheck export: writing the catalog failed\n");
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	cli_free(&c);
	return rc;
}
