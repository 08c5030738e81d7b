/*
 * cmd_reconcile.c - `depcheck reconcile PATH... --observed FILE`: declared
 * dependencies against the calls observed in production (Jaeger
 * dependencies JSON or a caller,callee[,calls] CSV), computed by
 * dc_reconcile_compute() (the model is in include/depcheck/reconcile.h) and
 * written by dc_write_reconcile() (depcheck/output.h).
 *
 * The observed files are read first: a malformed one stops the command
 * (exit 2) before the catalog is loaded.
 *
 * Exit: 1 when undeclared dependencies were observed (they are findings:
 * hidden risk), 0 otherwise (stale declarations and unknown services are
 * reported, not failed on); 2 on usage errors and unusable input.
 */
#include "observed_opts.h"

#include <stdlib.h>
#include <string.h>

static struct {
	observed_opts obs;
	size_t limit;
} o;

static const cli_opt opts[] = {
	OBSERVED_OPTION_ROWS(o.obs),
	{ .name = "limit", .type = CLI_OPT_FN, .has_arg = 1, .fn = cli_opt_limit, .value = &o.limit,
	  .help = "N  lines per text section (default 100, 0 = all)" },
	{ .name = NULL }
};

/* The observed files first: a malformed one stops before the catalog. */
static dc_observed *obs;

static int prepare(cli *c)
{
	if (!o.obs.files.n)
		return cli_usage_error(c, "no --observed FILE: give the observed call edges (Jaeger JSON or CSV)");
	return observed_opts_load(c, &o.obs, &obs) ? DC_EXIT_USAGE : -1;
}

static const cli_spec spec = {
	.usage = "PATH... --observed FILE",
	.description = "Declared dependencies against the calls observed in production: Jaeger's\n"
		       "dependencies JSON ([{\"parent\",\"child\",\"callCount\"}], or the API's\n"
		       "{\"data\": [...]}) or a caller,callee[,calls] CSV. Reports undeclared\n"
		       "dependencies (observed, declared nowhere: hidden risk; exit 1), stale ones\n"
		       "(declared, never observed, for callers that were observed) and observed\n"
		       "services unknown to the catalog.\n"
		       "-f sarif and -f github carry the undeclared dependencies only.",
	.formats = "text,json,sarif,github",
	.examples = "depcheck reconcile catalog.yaml --observed jaeger-deps.json\n"
		    "declared against observed dependencies\n",
	.exit_ok = "no undeclared dependency was observed",
	.exit_findings = "undeclared dependencies were observed",
	.opts = opts,
	.prepare = prepare,
};

int cmd_reconcile(cli *c)
{
	int rc;
	dc_reconcile *r = NULL;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	dc_reconcile_report rep = DC_RECONCILE_REPORT_INIT;
	dc_output_options oo;
	const dc_undeclared *u;
	FILE *out;

	observed_opts_init(&o.obs);
	o.limit = 100;
	if ((rc = cli_start(c, &spec)) >= 0)
		goto out;
	oo = cli_output_options(c);
	ro.min_calls = o.obs.min_calls;
	if (dc_reconcile_compute(&r, c->graph, obs, &ro)) {
		rc = cli_oom(c);
		goto out;
	}
	rep.r = r;
	rep.g = c->graph;
	rep.observed = observed_opts_source(&o.obs, obs);
	rep.limit = o.limit;
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_write_reconcile(out, &rep, &oo)) {
		rc = cli_oom(c);
		goto out;
	}
	rc = dc_reconcile_undeclared(r, &u) ? DC_EXIT_FINDINGS : DC_EXIT_OK;
out:
	dc_reconcile_free(r);
	dc_observed_free(obs);
	obs = NULL;
	return rc;
}
