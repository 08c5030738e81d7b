/*
 * cmd_critical_path.c - `depcheck critical-path PATH... [--from E]`: the
 * latency critical chain per entrypoint, like `systemd-analyze
 * critical-chain` (model and definitions: include/depcheck/critical.h).
 *
 * The chains, which entrypoints they start from and their order (slowest
 * first) come from dc_critical_paths_new(); dc_write_critical_paths()
 * writes them (text: one tree per chain and a note on the calls ignored
 * inside cycles).
 */
#include "cli.h"
#include "observed_opts.h"

static const char *from_name;
static size_t top;  /* --top: chains written (default 10) */
static int all;     /* --all: every chain */

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	{ .name = "from", .type = CLI_OPT_STRING, .value = &from_name, .complete = CLI_COMPLETE_SERVICE,
	  .help = "E  only the chain from service E (any service, not only entrypoints)" },
	{ .name = "top", .type = CLI_OPT_SIZE, .value = &top, .min = 1, .max = SIZE_MAX - 1,
	  .expect = "a positive number", .help = "N   the N slowest entrypoints' chains (default 10)" },
	{ .name = "all", .type = CLI_OPT_FLAG, .value = &all,
	  .help = "    every entrypoint's chain" },
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

static const cli_spec spec = {
	.usage = "PATH... [--from E] [--top N | --all]",
	.description = "The latency critical chain of each entrypoint (slowest first), or of E:\n"
		       "a service's time is its own latency plus, per stage, its slowest call\n"
		       "(calls of one stage run in parallel, stages add; an any_of group costs\n"
		       "its fastest member). Each hop shows when it answers (@, from the request\n"
		       "reaching the entrypoint at 0 ms), its own latency and its stage.\n"
		       "Calls that stay inside a cycle are not timed, and a note lists them.",
	.formats = "text,json",
	.examples = "depcheck critical-path catalog.yaml --from web-player\n"
		    "the slowest chain of calls behind web-player\n",
	.opts = opts,
};

/* A service whose time comes from an observed p50 (it declares no latency)
 * is no longer on the defaults: the assumed line counts only the others. */
static void uncount_observed(cli *c, const dc_output_options *oo, const dc_critical *cp)
{
	size_t k = dc_critical_observed_count(cp);
	if (oo->assumptions)
		c->assume.latency_default -= k < c->assume.latency_default ? k : c->assume.latency_default;
}

int cmd_critical_path(cli *c)
{
	int rc;
	dc_critical *cp = NULL;
	dc_critical_paths *paths = NULL;
	dc_output_options oo;
	dc_id from = DC_NO_ID;
	FILE *out;

	from_name = NULL;
	top = 10;
	all = 0;
	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	oo.list_limit = all ? 0 : top;
	cli_assume(c, &oo, DC_ASSUME_LATENCY | DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS);
	if (from_name && cli_find(c, from_name, &from))
		return DC_EXIT_USAGE;
	if (dc_critical_new(&cp, c->graph) || dc_critical_paths_new(&paths, cp, from))
		rc = cli_oom(c);
	else if (uncount_observed(c, &oo, cp), !(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_critical_paths(out, paths, &oo) ? cli_oom(c) : DC_EXIT_OK;
	dc_critical_paths_free(paths);
	dc_critical_free(cp);
	return rc;
}
