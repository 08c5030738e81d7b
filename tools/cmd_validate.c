/*
 * cmd_validate.c - `depcheck validate PATH...`: load, resolve, report.
 *
 * Exit 0 when the catalog loads without errors (warnings allowed), 1 when
 * it loads with errors (unknown references, wrong types, duplicates), 2
 * when it cannot be loaded at all (syntax errors, unreadable files).
 */
#include "cli.h"

#include <string.h>

int cmd_validate(int argc, char **argv)
{
	cli c;
	int rc, code;
	size_t i, n, nsvc, next = 0, nentry = 0, errors, warnings;
	dc_scc *scc = NULL;
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
	if (dc_scc_compute(&scc, c.graph, 0)) {
		rc = cli_oom(&c);
		goto out;
	}
	nsvc = dc_catalog_service_count(c.cat);
	for (i = 0; i < nsvc; i++) {
		next += dc_service_is_external(c.cat, (dc_id)i);
		nentry += dc_service_is_entrypoint(c.cat, (dc_id)i);
	}
	errors = dc_diags_count_severity(c.diags, DC_SEV_ERROR);
	warnings = dc_diags_count_severity(c.diags, DC_SEV_WARNING);
	code = errors ? DC_EXIT_FINDINGS : DC_EXIT_OK;
	if (cli_format_is(&c, "json")) {
		dc_jsonw w;
		dc_jw_init(&w, c.out);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "command", "validate");
		dc_jw_kbool(&w, "valid", errors == 0);
		dc_jw_kint(&w, "files", (long long)dc_catalog_file_count(c.cat));
		dc_jw_kint(&w, "services", (long long)(nsvc - next));
		dc_jw_kint(&w, "external", (long long)next);
		dc_jw_kint(&w, "dependencies", (long long)dc_catalog_dep_count(c.cat));
		dc_jw_kint(&w, "entrypoints", (long long)nentry);
		dc_jw_kint(&w, "cycles", (long long)dc_scc_cycle_count(scc));
		dc_jw_kint(&w, "errors", (long long)errors);
		dc_jw_kint(&w, "warnings", (long long)warnings);
		dc_jw_key(&w, "diagnostics");
		dc_jw_arr(&w);
		n = dc_diags_count(c.diags);
		for (i = 0; i < n; i++) {
			const dc_diag *d = dc_diags_get(c.diags, i);
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "severity", dc_severity_name(d->severity));
			dc_jw_kstr(&w, "file", d->file);
			dc_jw_kint(&w, "line", d->line);
			dc_jw_kint(&w, "column", d->column);
			dc_jw_kstr(&w, "message", d->message);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_end(&w);
	} else if (!c.quiet) {
		fprintf(c.out, "%s%zu services%s (%zu external), %zu dependencies, %zu entrypoints, "
			"%zu cycles, from %zu files\n", cli_c(&c, "bold"), nsvc - next, cli_c(&c, "reset"),
			next, dc_catalog_dep_count(c.cat), nentry, dc_scc_cycle_count(scc),
			dc_catalog_file_count(c.cat));
		fprintf(c.out, "%s%zu errors%s, %zu warnings\n", errors ? cli_c(&c, "red") : cli_c(&c, "green"),
			errors, cli_c(&c, "reset"), warnings);
	}
	rc = cli_finish(&c, code);
out:
	dc_scc_free(scc);
	cli_free(&c);
	return rc;
}
