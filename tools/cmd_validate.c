/*
 * cmd_validate.c - `depcheck validate PATH...`: load, resolve, report.
 *
 * Exit 0 when the catalog loads without errors (warnings allowed), 1 when
 * it loads with errors (unknown references, wrong types, duplicates), 2
 * when it cannot be loaded at all (syntax errors, unreadable files).
 * The counts come from dc_catalog_summarize, the output from
 * dc_write_validation.
 */
#include "cli.h"

static unsigned threads; /* --threads, 0 = not given */

static const cli_opt opts[] = {
	{ .name = "threads", .type = CLI_OPT_UINT, .value = &threads, .min = 1, .max = 64,
	  .expect = "a number from 1 to 64",
	  .help = "T  threads of the load (default: a parser thread beside the builder for a YAML file of 1 MiB or more); results do not depend on it" },
	{ .name = NULL }
};

static const cli_spec spec = {
	.usage = "PATH...",
	.description = "Load the catalog, resolve every reference and report problems as\n"
		       "FILE:LINE:COLUMN diagnostics, with a summary of what was loaded.",
	.formats = "text,json",
	.examples = "depcheck validate services/\n"
		    "every descriptor under services/: diagnostics, then the counts\n"
		    "depcheck validate catalog.yaml -q -f json\n"
		    "errors only, as JSON for a script\n",
	.exit_ok = "the catalog loaded without errors (warnings are fine)",
	.exit_findings = "the catalog loaded with errors: unknown references, wrong types, duplicates",
	.opts = opts,
};

int cmd_validate(cli *c)
{
	int rc;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT;
	dc_output_options oo;
	FILE *out;

	threads = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	if (!(out = cli_output(c)))
		return DC_EXIT_USAGE;
	if (dc_catalog_summarize(&sum, c->graph, c->diags) || dc_write_validation(out, &sum, c->diags, &oo))
		return cli_oom(c);
	return sum.errors ? DC_EXIT_FINDINGS : DC_EXIT_OK;
}
