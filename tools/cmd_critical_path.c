/*
 * cmd_critical_path.c - `depcheck critical-path PATH... [--from E]`: the
 * latency critical chain per entrypoint, like `systemd-analyze
 * critical-chain` (model and definitions: include/depcheck/critical.h).
 *
 * The chains and their order (slowest entrypoint first) come from
 * dc_critical_paths_new(); dc_write_critical_paths() writes them (text:
 * one tree per chain and a note on the calls ignored inside cycles).
 */
#include "cli.h"

#include <string.h>

enum { OPT_FROM = 1000 };

static const cli_option options[] = {
	{ "from", 0, 1, OPT_FROM, "E  only the chain from service E (any service, not only entrypoints)" },
	{ NULL, 0, 0, 0, NULL }
};

static const char *from_name;

static int on_opt(cli *c, int id, const char *arg)
{
	(void)c;
	if (id == OPT_FROM)
		from_name = arg;
	return -1;
}

int cmd_critical_path(int argc, char **argv)
{
	cli c;
	int rc;
	dc_critical *cp = NULL;
	dc_critical_paths *paths = NULL;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_id from = DC_NO_ID;

	memset(&c, 0, sizeof(c));
	from_name = NULL;
	c.cmd = "critical-path";
	c.usage = "PATH... [--from E]";
	c.description = "The latency critical chain of each entrypoint (slowest first), or of E:\n"
			"a service's time is its own latency plus, per stage, its slowest call\n"
			"(calls of one stage run in parallel, stages add; an any_of group costs\n"
			"its fastest member). Each hop shows when it answers (@, from the request\n"
			"reaching the entrypoint at 0 ms), its own latency and its stage.\n"
			"Calls that stay inside a cycle are not timed, and a note lists them.";
	c.formats = "text,json";
	c.opts = options;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if (from_name && cli_find(&c, from_name, &from)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_critical_new(&cp, c.graph) || dc_critical_paths_new(&paths, cp, from)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	dc_output_format_parse(&oo.format, c.format); /* checked by cli_parse */
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	rc = cli_finish(&c, dc_write_critical_paths(c.out, paths, &oo) ? cli_oom(&c) : DC_EXIT_OK);
out:
	dc_critical_paths_free(paths);
	dc_critical_free(cp);
	cli_free(&c);
	return rc;
}
