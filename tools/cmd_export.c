/*
 * cmd_export.c - `depcheck export PATH... -f json|yaml|dot`: the normalized
 * catalog, which loads back to the same graph (dc_export).
 */
#include "cli.h"

static int provenance;

static const cli_opt opts[] = {
	{ .name = "provenance", .type = CLI_OPT_FLAG, .value = &provenance,
	  .help = "   json: write x-sources, where each merged service and edge came from" },
	{ .name = NULL }
};

static int check_args(cli *c)
{
	if (provenance && !cli_format_is(c, "json"))
		return cli_usage_error(c, "--provenance is written by -f json only");
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... -f json|yaml|dot [--provenance]",
	.description = "Write the catalog, merged from every input and with all defaults made\n"
		       "explicit, in depcheck's native format (json, yaml) or as DOT. Loading the\n"
		       "output again gives the same graph.",
	.formats = "json,yaml,dot",
	.examples = "depcheck export services/ -f yaml -o catalog.yaml\n"
		    "the merged catalog in the native schema\n"
		    "depcheck export catalog.yaml -f dot | dot -Tsvg > map.svg\n"
		    "a Graphviz graph to lay out yourself\n",
	.opts = opts,
	.prepare = check_args,
};

int cmd_export(cli *c)
{
	int rc;
	FILE *out;
	dc_export_options eo = DC_EXPORT_OPTIONS_INIT;

	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	if (!(out = cli_output(c)))
		return DC_EXIT_USAGE;
	eo.provenance = provenance;
	if ((rc = dc_export_ex(c->cat, cli_output_options(c).format, out, &eo))) {
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
