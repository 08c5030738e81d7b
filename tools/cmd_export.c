/*
 * cmd_export.c - `depcheck export PATH... -f json|yaml|dot`: the normalized
 * catalog, which loads back to the same graph.
 */
#include "cli.h"

#include <string.h>

int cmd_export(int argc, char **argv)
{
	cli c;
	int rc;
	dc_export_format fmt;
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
	fmt = cli_format_is(&c, "yaml") ? DC_EXPORT_YAML : cli_format_is(&c, "dot") ? DC_EXPORT_DOT
										     : DC_EXPORT_JSON;
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
