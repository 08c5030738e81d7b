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

enum { OPT_LIMIT = 1000 };

static const cli_option opts[] = {
	OBSERVED_OPTION_ROWS,
	{ "limit", 0, 1, OPT_LIMIT, "N  lines per text section (default 100, 0 = all)" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	observed_opts obs;
	size_t limit;
} o;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long long v;
	if (id == OPT_LIMIT) {
		v = strtoull(arg, &end, 10);
		if (!*arg || *end || arg[0] == '-' || v > 100000000)
			return cli_usage_error(c, "--limit takes a number (0 = all), not '%s'", arg);
		o.limit = v ? (size_t)v : (size_t)-1;
		return -1;
	}
	return observed_opts_on(c, &o.obs, id, arg);
}

int cmd_reconcile(int argc, char **argv)
{
	cli c;
	int rc;
	dc_observed *obs = NULL;
	dc_reconcile *r = NULL;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	dc_reconcile_report rep = DC_RECONCILE_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	observed_opts_init(&o.obs);
	o.limit = 100;
	c.cmd = "reconcile";
	c.usage = "PATH... --observed FILE";
	c.description = "Declared dependencies against the calls observed in production: Jaeger's\n"
			"dependencies JSON ([{\"parent\",\"child\",\"callCount\"}], or the API's {\"data\": [...]})\n"
			"or a caller,callee[,calls] CSV. Reports undeclared dependencies (observed,\n"
			"declared nowhere: hidden risk; exit 1), stale ones (declared, never observed,\n"
			"for callers that were observed) and observed services unknown to the catalog.\n"
			"-f sarif and -f github carry the undeclared dependencies only.";
	c.formats = "text,json,sarif,github";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (!o.obs.nfiles) {
		rc = cli_usage_error(&c, "no --observed FILE: give the observed call edges (Jaeger JSON or CSV)");
		goto out;
	}
	if ((rc = observed_opts_load(&c, &o.obs, &obs)))
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	ro.min_calls = o.obs.min_calls;
	if (dc_reconcile_compute(&r, c.graph, obs, &ro)) {
		fprintf(stderr, "depcheck reconcile: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	rep.r = r;
	rep.g = c.graph;
	rep.observed = observed_opts_source(&o.obs, obs);
	rep.limit = o.limit;
	dc_output_format_parse(&oo.format, c.format);
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (dc_write_reconcile(c.out, &rep, &oo)) {
		fprintf(stderr, "depcheck: out of memory\n");
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	{
		const dc_undeclared *u;
		rc = cli_finish(&c, dc_reconcile_undeclared(r, &u) ? DC_EXIT_FINDINGS : DC_EXIT_OK);
	}
out:
	dc_reconcile_free(r);
	dc_observed_free(obs);
	observed_opts_free(&o.obs);
	cli_free(&c);
	return rc;
}
