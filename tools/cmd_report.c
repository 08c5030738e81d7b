/*
 * cmd_report.c - `depcheck report PATH... -o report.html`: one
 * self-contained interactive HTML page (summary, map, findings, plan, and
 * every single-failure cascade): computed by dc_report_compute() (every
 * analysis the page shows, and the map's layout), then written by
 * dc_report_write_data(), which computes nothing.
 *
 * Without -o the page goes to standard output, but not to a terminal:
 * thousands of lines of HTML on a screen are never what was meant.
 *
 * --load adds the load scenario: the model is run here with the triggers
 * of `simulate --load` (--fail, --slow, --surge, --capacity, parsed by
 * load_opts.c) and its result handed to the report, which shows it.
 */
#include "cli.h"
#include "load_opts.h"

#include <string.h>
#include <unistd.h>

static struct {
	dc_report_options ro;
	dc_availability_options ao;  /* seed UINT64_MAX, trials 0: not given */
	const char *policy_path;
	int with_avail;
	load_opts lo;             /* --load and its triggers */
	cli_list fail;            /* --fail: a trigger of --load */
} o;

static unsigned threads;  /* --threads, 0 = not given */

static const cli_opt opts[] = {
	{ .name = "title", .type = CLI_OPT_STRING, .value = &o.ro.title,
	  .help = "T  page title (default: depcheck report)" },
	{ .name = "collapse-above", .type = CLI_OPT_SIZE, .value = &o.ro.collapse_above, .min = 1,
	  .max = 100000000, .expect = "a positive number",
	  .help = "N  draw one box per system above N services (default 300)" },
	{ .name = "policy", .type = CLI_OPT_STRING, .value = &o.policy_path,
	  .help = "FILE  policy of the check section (default: the built-in policy)" },
	{ .name = "availability", .type = CLI_OPT_FLAG, .value = &o.with_avail,
	  .help = " add effective availability vs SLO (as depcheck availability; Monte Carlo time)" },
	{ .name = "trials", .type = CLI_OPT_U64, .value = &o.ao.trials, .min = 1, .max = (uint64_t)1 << 50,
	  .expect = "a positive number", .help = "N  with --availability: Monte Carlo trials (default 1000000)" },
	{ .name = "seed", .type = CLI_OPT_U64, .value = &o.ao.seed, .max = INT64_MAX,
	  .expect = "an integer from 0 to 2^63-1",
	  .help = "S  with --availability: random seed, 0 to 2^63-1 (default 1)" },
	LOAD_OPTION_ROWS(o.lo),
	{ .name = "fail", .type = CLI_OPT_LIST, .value = &o.fail, .complete = CLI_COMPLETE_SELECTOR,
	  .help = "SEL  with --load: these fail (answer errors at once); NAME, zone:Z, system:S, ..." },
	CLI_OPT_THREADS(&threads),
	{ .name = NULL }
};

static int prepare(cli *c)
{
	dc_availability_options init = DC_AVAILABILITY_OPTIONS_INIT;
	if ((!c->output || !strcmp(c->output, "-")) && isatty(1))
		return cli_usage_error(c, "give the output file with -o report.html (or redirect standard output)");
	if ((o.ao.trials || o.ao.seed != UINT64_MAX) && !o.with_avail)
		return cli_usage_error(c, "--trials and --seed need --availability");
	if (load_opts_check(c, &o.lo) >= 0)
		return DC_EXIT_USAGE;
	if (o.fail.n && !o.lo.load)
		return cli_usage_error(c, "--fail goes with --load in report (every single failure is in the "
				       "report already; depcheck simulate --fail for several)");
	if (o.ao.seed == UINT64_MAX)
		o.ao.seed = init.seed;
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... -o report.html [--policy FILE] [--availability [--trials N] [--seed S]] "
		 "[--load [--fail SEL] [--slow NAME=MS] [--surge K] [--capacity NAME=P%|N]]",
	.description = "One self-contained HTML page (no network, no external files) to open from a CI\n"
		       "artifact or a mail: the catalog summary, the dependency map (pan and zoom), the\n"
		       "findings of analyze, the violations of depcheck check (the built-in policy\n"
		       "unless --policy), the deployment plan, with --availability every service's\n"
		       "effective availability against its SLO, and for every service what goes DOWN\n"
		       "and DEGRADED when it fails (click it on the map or in a table; 'fail several'\n"
		       "combines single failures). Above --collapse-above services the map has one box\n"
		       "per system. With --load and the triggers of simulate --load, a load scenario\n"
		       "first: overloaded services, retries adding load, entry requests lost,\n"
		       "metastability and its smallest fix, and the map coloured by utilisation.\n"
		       "Without -o the page goes to standard output (not to a terminal).\n"
		       "Exit 0 whatever the page shows (violations and SLO misses are not failures\n"
		       "here: gate with depcheck check); 2 when the input cannot be analyzed.",
	.formats = "html",
	.examples = "depcheck report catalog.yaml -o report.html\n"
		    "one self-contained HTML page: map, risks, policy\n"
		    "depcheck report catalog.yaml --load --slow db=2000 -o report.html\n"
		    "the same page with a load scenario: what a slow db overloads\n",
	.opts = opts,
	.prepare = prepare,
};

int cmd_report(cli *c)
{
	int rc, r;
	dc_report_options rinit = DC_REPORT_OPTIONS_INIT;
	dc_availability_options ainit = DC_AVAILABILITY_OPTIONS_INIT;
	dc_policy *policy = NULL;
	dc_report_data *data = NULL;
	dc_overload_triggers *trig = NULL;
	dc_overload *ov = NULL;
	FILE *out;

	memset(&o, 0, sizeof(o));
	o.ro = rinit;
	o.ao = ainit;
	o.ao.seed = UINT64_MAX;
	threads = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	/* one --threads for the blast sweep and the Monte Carlo */
	o.ro.threads = o.ao.threads = threads;
	if (!o.policy_path) /* the project config's policy, unless --policy */
		o.policy_path = dc_config_value(c->config, DC_CONFIG_POLICY, 0);
	if (o.policy_path) {
		if (cli_note_input(c, o.policy_path))
			return DC_EXIT_USAGE;
		if ((r = dc_policy_load(&policy, o.policy_path, c->diags))) {
			cli_print_diags(c);
			fprintf(stderr, "depcheck report: the policy cannot be used (%s)\n", dc_strerror(r));
			return DC_EXIT_USAGE;
		}
		o.ro.policy = policy;
	}
	if (o.with_avail)
		o.ro.availability = &o.ao;
	o.ro.diags = c->diags; /* validation errors: valid-input findings of the check section */
	if (o.lo.load) {
		if ((rc = load_opts_run(c, &o.lo, &o.fail, &trig, &ov)))
			goto done;
		o.ro.overload = ov;
	}
	/* -o is opened first: a refused one fails before the work */
	rc = DC_EXIT_USAGE;
	if ((out = cli_output(c))) {
		if ((r = dc_report_compute(&data, c->graph, &o.ro)))
			fprintf(stderr, "depcheck report: cannot compute the report (%s)\n", dc_strerror(r));
		else if ((r = dc_report_write_data(out, data)))
			fprintf(stderr, "depcheck report: cannot write the report (%s)\n", dc_strerror(r));
		else
			rc = DC_EXIT_OK;
	}
done:
	dc_report_data_free(data);
	dc_overload_free(ov);
	dc_overload_triggers_free(trig);
	dc_policy_free(policy);
	return rc;
}
