/*
 * cmd_report.c - `depcheck report PATH... -o report.html`: one
 * self-contained interactive HTML page (summary, map, findings, plan, and
 * every single-failure cascade): computed by dc_report_compute() (every
 * analysis the page shows, and the map's layout), then written by
 * dc_report_write_data(), which computes nothing.
 *
 * Without -o the page goes to standard output, but not to a terminal:
 * thousands of lines of HTML on a screen are never what was meant.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_TITLE = 1000, OPT_COLLAPSE_ABOVE, OPT_POLICY, OPT_AVAILABILITY, OPT_TRIALS, OPT_SEED };

static const cli_option opts[] = {
	{ "title", 0, 1, OPT_TITLE, "T  page title (default: depcheck report)" },
	{ "collapse-above", 0, 1, OPT_COLLAPSE_ABOVE,
	  "N  draw one box per system above N services (default 300)" },
	{ "policy", 0, 1, OPT_POLICY, "FILE  policy of the check section (default: the built-in policy)" },
	{ "availability", 0, 0, OPT_AVAILABILITY,
	  " add effective availability vs SLO (as depcheck availability; Monte Carlo time)" },
	{ "trials", 0, 1, OPT_TRIALS, "N  with --availability: Monte Carlo trials (default 1000000)" },
	{ "seed", 0, 1, OPT_SEED, "S  with --availability: random seed, 0 to 2^63-1 (default 1)" },
	{ NULL, 0, 0, 0, NULL }
};

static dc_report_options ro;
static dc_availability_options ao;
static const char *policy_path;
static int with_avail, avail_tuned;

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
	case OPT_POLICY:
		policy_path = arg;
		return -1;
	case OPT_AVAILABILITY:
		with_avail = 1;
		return -1;
	case OPT_TRIALS:
		if (cli_parse_u64(arg, (uint64_t)1 << 50, &ao.trials) || !ao.trials)
			return cli_usage_error(c, "--trials takes a positive number, not '%s'", arg);
		avail_tuned = 1;
		return -1;
	case OPT_SEED:
		if (cli_parse_u64(arg, INT64_MAX, &ao.seed))
			return cli_usage_error(c, "--seed takes an integer from 0 to 2^63-1, not '%s'", arg);
		avail_tuned = 1;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

int cmd_report(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_report_options init = DC_REPORT_OPTIONS_INIT;
	dc_availability_options ainit = DC_AVAILABILITY_OPTIONS_INIT;
	dc_policy *policy = NULL;
	dc_report_data *data = NULL;

	memset(&c, 0, sizeof(c));
	ro = init;
	ao = ainit;
	policy_path = NULL;
	with_avail = avail_tuned = 0;
	c.cmd = "report";
	c.usage = "PATH... -o report.html [--policy FILE] [--availability [--trials N] [--seed S]]";
	c.description = "One self-contained HTML page (no network, no external files) to open from a CI\n"
			"artifact or a mail: the catalog summary, the dependency map (pan and zoom), the\n"
			"findings of analyze, the violations of depcheck check (the built-in policy\n"
			"unless --policy), the deployment plan, with --availability every service's\n"
			"effective availability against its SLO, and for every service what goes DOWN\n"
			"and DEGRADED when it fails (click it on the map or in a table; 'fail several'\n"
			"combines single failures). Above --collapse-above services the map has one box\n"
			"per system. Without -o the page goes to standard output (not to a terminal).\n"
			"Exit 0 whatever the page shows (violations and SLO misses are not failures\n"
			"here: gate with depcheck check); 2 when the input cannot be analyzed.";
	c.formats = "html";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((!c.output || !strcmp(c.output, "-")) && isatty(1)) {
		rc = cli_usage_error(&c, "give the output file with -o report.html (or redirect standard output)");
		goto out;
	}
	if (avail_tuned && !with_avail) {
		rc = cli_usage_error(&c, "--trials and --seed need --availability");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if (policy_path && (rc = cli_note_input(&c, policy_path)))
		goto out;
	if (policy_path) {
		int st = dc_policy_load(&policy, policy_path, c.diags);
		if (st) {
			cli_print_diags(&c);
			fprintf(stderr, "depcheck report: the policy cannot be used (%s)\n", dc_strerror(st));
			rc = DC_EXIT_USAGE;
			goto out;
		}
		ro.policy = policy;
	}
	if (with_avail)
		ro.availability = &ao;
	if ((rc = cli_open_output(&c)))
		goto out;
	if ((r = dc_report_compute(&data, c.graph, &ro))) {
		fprintf(stderr, "depcheck report: cannot compute the report (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	r = dc_report_write_data(c.out, data);
	if (r) {
		fprintf(stderr, "depcheck report: cannot write the report (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	dc_report_data_free(data);
	dc_policy_free(policy);
	cli_free(&c);
	return rc;
}
