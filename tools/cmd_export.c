/*
 * cmd_export.c - `depcheck export PATH... -f json|yaml|dot`: the normalized
 * catalog, which loads back to the same graph (dc_export).
 */
#include "cli.h"
#include "observed_opts.h"

#include <stdlib.h>

static int provenance;

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	{ .name = "provenance", .type = CLI_OPT_FLAG, .value = &provenance,
	  .help = "   json: write x-sources, where each merged service and edge came from" },
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

static int check_args(cli *c)
{
	if (provenance && !cli_format_is(c, "json"))
		return cli_usage_error(c, "--provenance is written by -f json only");
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... -f json|yaml|dot|backstage [--provenance]",
	.description = "Write the catalog, merged from every input and with all defaults made\n"
		       "explicit, in depcheck's native format (json, yaml) or as DOT. Loading the\n"
		       "output again gives the same graph. -f backstage writes Backstage entities\n"
		       "(Components, and Systems with the dependsOn derived from them) with the\n"
		       "tier, transitive dependency count and blast radius as annotations.",
	.formats = "json,yaml,dot,backstage",
	.examples = "depcheck export services/ -f yaml -o catalog.yaml\n"
		    "the merged catalog in the native schema\n"
		    "depcheck export catalog.yaml -f dot | dot -Tsvg > map.svg\n"
		    "a Graphviz graph to lay out yourself\n",
	.opts = opts,
	.prepare = check_args,
};

/* -f backstage: the blast radii and dependency counts, then the entities */
static int backstage(cli *c, FILE *out)
{
	dc_backstage_export x = DC_BACKSTAGE_EXPORT_INIT;
	dc_blast *b = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	size_t *deps = malloc((dc_catalog_service_count(c->cat) + 1) * sizeof(size_t));
	int rc;
	bo.flags = DC_BLAST_NO_SPOFS;
	if (!deps || dc_blast_compute_ex(&b, c->graph, &bo) || dc_graph_dependency_counts(c->graph, deps)) {
		free(deps);
		dc_blast_free(b);
		return cli_oom(c);
	}
	x.g = c->graph;
	x.blast = b;
	x.dependencies = deps;
	rc = dc_export_backstage(out, &x);
	free(deps);
	dc_blast_free(b);
	if (rc == DC_EINVALID) {
		fprintf(stderr, "depcheck export: -f backstage: a service or system name is no Backstage "
			"entity name (letters, digits, '-', '_', '.'; at most 63): nothing written\n");
		return DC_EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "depcheck export: writing the catalog failed (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	return DC_EXIT_OK;
}

int cmd_export(cli *c)
{
	int rc;
	FILE *out;
	dc_export_options eo = DC_EXPORT_OPTIONS_INIT;

	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	if (!(out = cli_output(c)))
		return DC_EXIT_USAGE;
	eo.provenance = provenance;
	if (cli_output_options(c).format == DC_OUTPUT_BACKSTAGE)
		return backstage(c, out);
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
