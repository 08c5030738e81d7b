/*
 * cmd_simulate.c - `depcheck simulate PATH... --fail SEL...`: one failure
 * scenario as an incident timeline, and `simulate --each`: every single
 * failure ranked by impact.
 *
 * Scenario: the selectors (depcheck/simulate.h; comma lists and repeated
 * --fail add up) give the seeds; dc_simulation_run() propagates them with
 * times to impact and orders the result as a timeline (time, DOWN before
 * DEGRADED, name); dc_write_simulation() writes it (text: the entrypoints
 * that went down first, because they are what users see, then the
 * timeline, each row with the chain of causes back to what failed).
 *
 * --each uses the bit-parallel sweep of depcheck/blast.h (all blast radii
 * at once), never one propagation per service, ranked by dc_blast_order(),
 * the order `analyze` reports: other services taken down, then degraded,
 * then name. On catalogs of DC_ANALYZE_ESTIMATE_SIZE services or more the
 * DEGRADED counts below the rows shown (--top, and the ties of the last
 * one) are estimated, as analyze does, and the output says how many; the
 * rows shown are exact. --exact, --top 0 and --rank-by traffic compute
 * every one exactly.
 *
 * --load solves the load model (depcheck/overload.h, docs/load.md) under
 * the triggers --fail (the DOWN seeds of the selectors fail: they answer
 * errors at once), --slow NAME=MS, --surge K and --capacity NAME=+-P% or
 * NAME=N (replicas left), and writes it with dc_write_overload().
 * Traffic (depcheck/traffic.h): the entrypoints' declared traffic_rps,
 * else the rates observed into them from outside the catalog (--observed);
 * a scenario reports the requests/s lost, --each and its --rank-by traffic
 * the requests/s each single failure loses, from the same sweep.
 *
 * Exit status: 0 (a simulation is not a gate); 2 for usage errors (no
 * --fail, a selector that matches nothing, an ambiguous name) and for
 * input that cannot be analyzed.
 */
#include "cli.h"
#include "load_opts.h"
#include "observed_opts.h"

#include <stdlib.h>
#include <string.h>

#define TOP_DEFAULT SIZE_MAX /* --top not given: 20 in text, all in json */

static struct {
	cli_list fail;          /* --fail, each a comma list (cli_select splits them) */
	int each;
	size_t top;
	size_t limit;           /* text timeline rows per section, 0 = all */
	int mode_given;
	dc_failure_mode mode;
	int paths;              /* --paths: json events with their whole cause chain */
	load_opts lo;           /* --load and its triggers (load_opts.h) */
	int rank_given;
	dc_rank_by rank_by;     /* --rank-by */
	observed_opts obs;      /* --observed: entry traffic where none is declared */
	int exact;              /* --exact: every DEGRADED count of --each exact */
} o;

static int rank_by(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_rank_by_parse(&o.rank_by, arg))
		return cli_usage_error(c, "--rank-by takes blast or traffic, not '%s'", arg);
	o.rank_given = 1;
	return -1;
}

static int failure_mode(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_failure_mode_parse(&o.mode, arg))
		return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
	o.mode_given = 1;
	return -1;
}

static unsigned threads;  /* --threads, 0 = not given */

static const cli_opt opts[] = {
	{ .name = "fail", .type = CLI_OPT_LIST, .value = &o.fail, .complete = CLI_COMPLETE_SELECTOR,
	  .help = "SEL   fail NAME, zone:Z, system:S, owner:O or tag:T (repeatable, a,b lists)" },
	{ .name = "failure-mode", .type = CLI_OPT_FN, .has_arg = 1, .fn = failure_mode,
	  .complete = CLI_COMPLETE_WORDS, .values = "hang,error",
	  .help = "M     hang (default: a caller notices after timeout x (retries+1)) or error (at once)" },
	{ .name = "each", .type = CLI_OPT_FLAG, .value = &o.each,
	  .help = "      every single-service failure, ranked by services taken down" },
	{ .name = "limit", .type = CLI_OPT_SIZE, .value = &o.limit, .max = SIZE_MAX, .expect = "a number >= 0",
	  .help = "N   text: list at most N services per section (default 100; 0 = all)" },
	{ .name = "top", .type = CLI_OPT_SIZE, .value = &o.top, .max = TOP_DEFAULT - 1, .expect = "a number >= 0",
	  .help = "N     with --each: the N worst (default 20 in text, 100 in json; 0 = all)" },
	{ .name = "exact", .type = CLI_OPT_FLAG, .value = &o.exact,
	  .help = "     with --each: every DEGRADED count exact (200,000 services or more: estimated below the rows shown)" },
	{ .name = "paths", .type = CLI_OPT_FLAG, .value = &o.paths,
	  .help = "      json: each event's whole cause chain (grows with N^2 on a chain; default: its predecessor)" },
	LOAD_OPTION_ROWS(o.lo),
	{ .name = "rank-by", .type = CLI_OPT_FN, .has_arg = 1, .fn = rank_by,
	  .complete = CLI_COMPLETE_WORDS, .values = "blast,traffic",
	  .help = "K  with --each: blast (default: services taken down) or traffic (entrypoint requests/s lost)" },
	OBSERVED_GRAPH_ROWS(o.obs),
	CLI_OPT_THREADS(&threads),
	{ .name = NULL }
};

/* Combinations of options, before the catalog is loaded. */
static int check_args(cli *c)
{
	size_t i;
	int rc;
	for (i = 0; i < o.fail.n; i++) {
		const char *s = o.fail.items[i];
		if (!*s || *s == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
			return cli_usage_error(c, "empty selector in --fail '%s'", s);
	}
	if ((rc = load_opts_check(c, &o.lo)) >= 0)
		return rc;
	if (o.lo.load) {
		if (o.each)
			return cli_usage_error(c, "--load solves one scenario: it takes no --each");
		if (o.mode_given)
			return cli_usage_error(c, "--failure-mode goes without --load: a failed service answers "
					       "errors at once in the load model, use --slow for a hang");
		if (o.paths)
			return cli_usage_error(c, "--paths goes with --fail without --load");
		return -1;
	}
	if (o.each && o.fail.n)
		return cli_usage_error(c, "--each simulates every single failure: it takes no --fail");
	if (!o.each && !o.fail.n)
		return cli_usage_error(c, "nothing fails: give --fail SEL (or --each)");
	if (o.each && o.paths)
		return cli_usage_error(c, "--paths goes with --fail");
	if (!o.each && o.top != TOP_DEFAULT)
		return cli_usage_error(c, "--top goes with --each or --load");
	if (o.each && o.mode_given)
		return cli_usage_error(c, "--failure-mode goes with --fail: --each counts states, not times");
	if (!o.each && o.rank_given)
		return cli_usage_error(c, "--rank-by goes with --each");
	if (!o.each && o.exact)
		return cli_usage_error(c, "--exact goes with --each");
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... --fail SEL...  |  PATH... --each [--top N] [--rank-by traffic]  |\n"
		 "       PATH... --load [--fail SEL] [--slow NAME=MS] [--surge K] [--capacity NAME=P%|N]",
	.description = "Simulate a failure: which services go DOWN or DEGRADED, why (the chain of\n"
		       "dependencies back to what failed) and how fast (time to impact), as an\n"
		       "incident timeline. SEL is a service name (any unique form), zone:Z, system:S,\n"
		       "owner:O or tag:T; --fail may be repeated and takes comma lists. A service all\n"
		       "of whose zones failed goes down, one that lost some of them is degraded.\n"
		       "With --each: every single-service failure, ranked by services taken down\n"
		       "(--rank-by traffic: by the requests/s lost at entrypoints). Where entrypoints\n"
		       "declare traffic_rps (or --observed gives their rate), both say the requests\n"
		       "per second lost, and which entrypoints' traffic is unknown.\n"
		       "With --load: the steady state under traffic (traffic_rps, capacity_rps,\n"
		       "max_concurrency, calls, retries, timeouts): offered load with retries,\n"
		       "overloaded services, entry requests lost, and whether the overload outlives\n"
		       "its trigger (metastable), with the smallest change found that breaks it.",
	.formats = "text,json",
	.examples = "depcheck simulate catalog.yaml --fail zone:eu-a\n"
		    "what a lost zone takes down or degrades, and how fast\n"
		    "depcheck simulate catalog.yaml --load --slow db=2000\n"
		    "what a slow db does to load through timeouts and retries\n",
	.opts = opts,
	.prepare = check_args,
};

/* The entry traffic: declared, else observed (--observed). */
static int load_traffic(cli *c, dc_traffic **out)
{
	*out = NULL;
	return dc_traffic_new(out, c->cat, c->observed) ? cli_oom(c) : 0;
}

static int run_scenario(cli *c, const dc_output_options *oo, const dc_traffic *traffic)
{
	dc_selection *sel = NULL;
	dc_simulation *sim = NULL;
	dc_simulation_options so = DC_SIMULATION_OPTIONS_INIT;
	FILE *out;
	int rc;

	so.traffic = traffic;
	if (dc_selection_new(&sel, c->cat))
		return cli_oom(c);
	if ((rc = cli_select(c, sel, (char *const *)o.fail.items, o.fail.n)))
		goto out;
	if (dc_simulation_run_ex(&sim, c->graph, sel, o.mode, &so))
		rc = cli_oom(c);
	else if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_simulation(out, sim, o.limit, oo) ? cli_oom(c) : DC_EXIT_OK;
out:
	dc_simulation_free(sim);
	dc_selection_free(sel);
	return rc;
}

static int run_load(cli *c, const dc_output_options *oo)
{
	dc_overload_triggers *t = NULL;
	dc_overload *l = NULL;
	dc_traffic *traffic = NULL;
	size_t top = o.top != TOP_DEFAULT ? o.top : oo->format == DC_OUTPUT_JSON ? 0 : 20;
	FILE *out;
	int rc;
	/* --observed: an entrypoint without traffic_rps sends its observed rate */
	if (c->observed && (rc = load_traffic(c, &traffic)))
		goto out;
	if ((rc = load_opts_run(c, &o.lo, &o.fail, traffic, &t, &l)))
		goto out;
	if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_overload(out, l, top, oo) ? cli_oom(c) : DC_EXIT_OK;
out:
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	dc_traffic_free(traffic);
	return rc;
}

/* Every single failure, in the order `analyze` ranks blast radii
 * (dc_blast_order): text shows the 20 worst unless --top says otherwise,
 * JSON the 100 worst (a row per service: bounded by default, "truncated"
 * says when the list was cut; --top 0 for all). */
static int run_each(cli *c, const dc_output_options *oo, const dc_traffic *traffic)
{
	dc_blast *b = NULL;
	size_t n = dc_catalog_service_count(c->cat);
	dc_id *order = malloc((n ? n : 1) * sizeof(dc_id));
	size_t top = o.top != TOP_DEFAULT ? o.top : oo->format == DC_OUTPUT_JSON ? DC_OUTPUT_LIST_LIMIT_DEFAULT : 20;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	FILE *out;
	int rc;

	bo.threads = threads;
	bo.traffic = traffic;
	/* a big catalog: DEGRADED exact for the rows shown (and every tie of
	 * the last one), estimated below them and said to be, as analyze does */
	if (!o.exact && top && o.rank_by == DC_RANK_BLAST && n >= DC_ANALYZE_ESTIMATE_SIZE) {
		bo.flags |= DC_BLAST_ESTIMATE;
		bo.exact_top = top;
	}
	if (o.rank_by == DC_RANK_TRAFFIC && !dc_traffic_known(traffic)) {
		free(order);
		fprintf(stderr, "depcheck simulate: --rank-by traffic: no entrypoint's traffic is known "
			"(declare traffic_rps on the entrypoints, or give --observed)\n");
		return DC_EXIT_USAGE;
	}
	if (!order || dc_blast_compute_ex(&b, c->graph, &bo) || dc_blast_order_by(b, c->cat, o.rank_by, order))
		rc = cli_oom(c);
	else if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_failure_ranking_by(out, c->graph, b, order, o.rank_by, top, oo) ? cli_oom(c)
											       : DC_EXIT_OK;
	free(order);
	dc_blast_free(b);
	return rc;
}

int cmd_simulate(cli *c)
{
	int rc;
	dc_output_options oo;
	dc_traffic *traffic = NULL;

	o.each = o.mode_given = o.paths = o.rank_given = o.exact = 0;
	memset(&o.lo, 0, sizeof(o.lo));
	o.rank_by = DC_RANK_BLAST;
	observed_opts_init(&o.obs);
	c->obs_opts = &o.obs;
	o.top = TOP_DEFAULT;
	o.limit = 100;
	o.mode = DC_FAILURE_HANG;
	threads = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	oo.full_paths = o.paths;
	/* --fail: who goes down rests on the edges, when on timeouts and retries;
	 * --each ranks by services down, and mode error ignores time: the edges and
	 * the entrypoints */
	cli_assume(c, &oo, DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS |
				   ((!o.each && o.mode == DC_FAILURE_HANG) || o.lo.load ? DC_ASSUME_TIMEOUTS | DC_ASSUME_RETRIES
										    : 0));
	if (o.lo.load)
		return run_load(c, &oo);
	if ((rc = load_traffic(c, &traffic)))
		return rc;
	rc = o.each ? run_each(c, &oo, traffic) : run_scenario(c, &oo, traffic);
	dc_traffic_free(traffic);
	return rc;
}
