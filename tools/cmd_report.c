/*
 * cmd_report.c - `depcheck report PATH... -o report.html`: one
 * self-contained interactive HTML page (summary, map, findings, plan, and
 * every single-failure cascade), written by dc_report_write().
 *
 * Without -o the page goes to standard output, but not to a terminal:
 * thousands of lines of HTML on a screen are never what was meant.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_TITLE = 1000, OPT_COLLAPSE_ABOVE };

static const cli_option opts[] = {
	{ "title", 0, 1, OPT_TITLE, "T  page title (default: depcheck report)" },
	{ "collapse-above", 0, 1, OPT_COLLAPSE_ABOVE,
	  "N  draw one box per system above N services (default 300)" },
	{ NULL, 0, 0, 0, NULL }
};

static dc_report_options ro;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	switch (id) {
	case OPT_TITLE:
		ro.title = arg;
		return -1;
	case OPT_COLLAPSE_ABOVE:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v == 0 || v > 100000000 || arg[0] == '-')
			return cli_usage_error(c, "--collapse-above takes a positive number, not '%s'", arg);
		ro.collapse_above = v;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

int cmd_report(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_report_options init = DC_REPORT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	ro = init;
	c.cmd = "report";
	c.usage = "PATH... -o report.html";
	c.description = "One self-contained HTML page (no network, no external files) to open from a CI\n"
			"artifact or a mail: the catalog summary, the dependency map (pan and zoom), the\n"
			"findings of analyze, the deployment plan, and for every service what goes DOWN\n"
			"and DEGRADED when it fails (click it on the map or in a table; 'fail several'\n"
			"combines single failures). Above --collapse-above services the map has one box\n"
			"per system. Without -o the page goes to standard output (not to a terminal).";
	c.formats = "html";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((!c.output || !strcmp(c.output, "-")) && isatty(1)) {
		rc = cli_usage_error(&c, "give the output file with -o report.html (or redirect standard output)");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if ((rc = cli_open_output(&c)))
		goto out;
	r = dc_report_write(c.out, c.graph, &ro);
	if (r) {
		fprintf(stderr, "depcheck report: cannot write the report (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	cli_free(&c);
	return rc;
}
