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

#include <string.h>

int cmd_validate(int argc, char **argv)
{
	cli c;
	int rc;
	dc_catalog_summary sum = DC_CATALOG_SUMMARY_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	memset(&c, 0, sizeof(c));
	c.cmd = "validate";
	c.usage = "PATH...";
	c.description = "Load the catalog, resolve every reference and report problems as\n"
			"FILE:LINE:COLUMN diagnostics, with a summary of what was loaded.";
	c.formats = "text,json";
	rc = cli_parse(&c, argc, argv, NULL);
	if (rc >= 0)
		goto out;
	rc = cli_load(&c, c.args, c.nargs);
	if (rc)
		goto out;
	if ((rc = cli_open_output(&c)))
		goto out;
	dc_output_format_parse(&oo.format, c.format); /* one of c.formats: checked by cli_parse */
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if (dc_catalog_summarize(&sum, c.graph, c.diags) || dc_write_validation(c.out, &sum, c.diags, &oo)) {
		rc = cli_oom(&c);
		goto out;
	}
	rc = cli_finish(&c, sum.errors ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	cli_free(&c);
	return rc;
}
