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
};

int cmd_validate(cli *c)
{
	int rc;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT;
	dc_output_options oo;
	FILE *out;

	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	if (!(out = cli_output(c)))
		return DC_EXIT_USAGE;
	if (dc_catalog_summarize(&sum, c->graph, c->diags) || dc_write_validation(out, &sum, c->diags, &oo))
		return cli_oom(c);
	return sum.errors ? DC_EXIT_FINDINGS : DC_EXIT_OK;
}
