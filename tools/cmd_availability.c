/*
 * cmd_availability.c - `depcheck availability PATH...`: every service's
 * effective availability against its SLO, the importance of services for
 * each entrypoint and the entrypoints' minimal cut sets, computed by
 * dc_availability_compute() (exact when small, Monte Carlo otherwise),
 * ranked by dc_availability_rank() and written by dc_write_availability()
 * (depcheck/output.h).
 *
 * SLO misses come first. Exit 1 when an entrypoint misses its SLO (the
 * gate, dc_availability_gate); services that are not entrypoints are
 * reported but do not fail it. A progress bar goes to stderr during Monte
 * Carlo when stderr is a terminal and -q is not given.
 */
#include "cli.h"
#include "observed_opts.h"

#include <stdlib.h>
#include <unistd.h>

static struct {
	dc_availability_options ao;
	size_t top;
} o;

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	{ .name = "trials", .type = CLI_OPT_U64, .value = &o.ao.trials, .min = 1, .max = (uint64_t)1 << 50,
	  .expect = "a positive number", .help = "N  Monte Carlo trials (default 1000000)" },
	{ .name = "seed", .type = CLI_OPT_U64, .value = &o.ao.seed, .max = INT64_MAX,
	  .expect = "an integer from 0 to 2^63-1",
	  .help = "S  random seed, 0 to 2^63-1 (default 1); same seed, same results" },
	{ .name = "threads", .type = CLI_OPT_UINT, .value = &o.ao.threads, .min = 1, .max = 64,
	  .expect = "a number from 1 to 64",
	  .help = "T  worker threads (default: online CPUs); results do not depend on it" },
	{ .name = "zone-failure", .type = CLI_OPT_DOUBLE, .value = &o.ao.zone_failure, .dmin = 0, .dmax = 1,
	  .expect = "a probability from 0 to 1",
	  .help = "P  each zone also fails with probability P (default 0)" },
	{ .name = "max-order", .type = CLI_OPT_UINT, .value = &o.ao.max_order, .min = 1, .max = 3,
	  .expect = "1, 2 or 3", .help = "K  largest cut set order, 1..3 (default 2)" },
	{ .name = "exact-max", .type = CLI_OPT_UINT, .value = &o.ao.exact_max, .min = 1, .max = 24,
	  .expect = "a number from 1 to 24",
	  .help = "K  most basic events for the exact method, 1..24 (default 16)" },
	{ .name = "top", .type = CLI_OPT_SIZE, .value = &o.top, .min = 1, .max = 1000000,
	  .expect = "a positive number",
	  .help = "N  rows per list: other services, importance, cut sets (default 10)" },
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

static const cli_spec spec = {
	.usage = "PATH...",
	.description = "Effective availability of every service (the probability it is not DOWN\n"
		       "when every service fails independently with 1 - availability), against its\n"
		       "SLO: misses first, with downtime per 30 days. Exact when few failure events\n"
		       "matter, Monte Carlo otherwise (95% interval). For every entrypoint: the\n"
		       "services ranked by Birnbaum and Fussell-Vesely importance, and the minimal\n"
		       "cut sets. Exit 1 when an entrypoint misses its SLO.",
	.formats = "text,json",
	.examples = "depcheck availability catalog.yaml --zone-failure 0.001\n"
		    "effective availability against each SLO, zones failing too\n",
	.exit_ok = "every entrypoint meets its SLO (or has none)",
	.exit_findings = "an entrypoint misses its SLO",
	.opts = opts,
};

/* ---- progress bar ---------------------------------------------------------- */

typedef struct {
	int shown;
	unsigned last;  /* per mille drawn */
} bar_t;

static void progress(uint64_t done, uint64_t total, void *ctx)
{
	bar_t *b = ctx;
	unsigned pm = total ? (unsigned)(done * 1000 / total) : 1000, i, fill;
	if (b->shown && pm == b->last)
		return;
	b->shown = 1;
	b->last = pm;
	fill = pm * 30 / 1000;
	fputs("\rdepcheck availability: [", stderr);
	for (i = 0; i < 30; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3u%%", pm / 10);
	fflush(stderr);
}

int cmd_availability(cli *c)
{
	int rc, st;
	dc_availability *a = NULL;
	dc_id *rows = NULL;
	bar_t bar = { 0, 0 };
	dc_availability_options init = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability_report rep = DC_AVAILABILITY_REPORT_INIT;
	dc_output_options oo;
	FILE *out;

	o.ao = init;
	o.top = 10;
	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	cli_assume(c, &oo, DC_ASSUME_AVAILABILITY | DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS);
	if (!c->quiet && isatty(2)) {
		o.ao.progress = progress;
		o.ao.progress_ctx = &bar;
	}
	st = dc_availability_compute(&a, c->graph, &o.ao);
	if (bar.shown)
		fputs("\r\033[K", stderr);
	if (st) {
		fprintf(stderr, "depcheck availability: %s\n", dc_strerror(st));
		return DC_EXIT_USAGE;
	}
	rep.a = a;
	rep.g = c->graph;
	rep.options = &o.ao;
	rep.nrows = dc_availability_count(a);
	rep.top = o.top;
	if (!(rows = malloc((rep.nrows + 1) * sizeof(dc_id))) ||
	    dc_availability_rank(a, c->graph, rows, &rep.nmiss, NULL)) {
		rc = cli_oom(c);
		goto out;
	}
	rep.rows = rows;
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_write_availability(out, &rep, &oo)) {
		rc = cli_oom(c);
		goto out;
	}
	rc = dc_availability_gate(a, c->graph) ? DC_EXIT_FINDINGS : DC_EXIT_OK;
out:
	free(rows);
	dc_availability_free(a);
	return rc;
}
