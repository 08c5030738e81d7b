/*
 * cmd_export.c - `depcheck export PATH... -f json|yaml|dot`: the normalized
 * catalog, which loads back to the same graph (dc_export).
 */
#include "cli.h"

static const cli_spec spec = {
	.usage = "PATH... -f json|yaml|dot",
	.description = "Write the catalog, merged from every input and with all defaults made\n"
		       "explicit, in depcheck's native format (json, yaml) or as DOT. Loading the\n"
		       "output again gives the same graph.",
	.formats = "json,yaml,dot",
};

int cmd_export(cli *c)
{
	int rc;
	FILE *out;

	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	if (!(out = cli_output(c)))
		return DC_EXIT_USAGE;
	if ((rc = dc_export(c->cat, cli_output_options(c).format, out))) {
		if (rc == DC_EINVALID && cli_output_options(c).format == DC_OUTPUT_DOT)
			fprintf(stderr, "depcheck export: a name or value has a backslash before a quote "
				"or at its end, or a service name starts with '%%', which DOT cannot "
				"represent (it would load as different services): nothing written; "
				"export as yaml or json\n");
		else
			fprintf(stderr, "depcheck export: writing the catalog failed (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	return DC_EXIT_OK;
}
