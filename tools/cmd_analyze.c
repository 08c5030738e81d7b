/*
 * cmd_analyze.c - `depcheck analyze PATH...`: the structural risks of the
 * whole catalog (cycles, SPOFs, blast radii, depth, hubs, retry
 * amplification, timeout budgets), computed by dc_analyze().
 *
 * Text shows the top --top rows of each section with "and N more"; JSON
 * cuts every list with a row per service or dependency (spofs,
 * blast_radius, retry amplification, whose paths make it N^2, timeout
 * budget) to --list-limit rows (default 100; --all), with each total and a
 * truncated flag; hubs are top lists by nature and follow --top. -f jsonl
 * streams every row, one record a line. The writers are
 * dc_write_analysis's (lib/output_text.c, lib/output_json.c).
 *
 * Where services declare traffic_rps, the retry storm risks (the worst
 * load one failure or hang sends each service, docs/load.md): the --top
 * largest bounds (at most 100) are solved exactly, the rest are bounds.
 *
 * Where some entrypoint's traffic is known (traffic_rps, or the rate
 * observed into it from outside the catalog, --observed), the blast radii
 * say the requests/s each failure loses; --rank-by traffic ranks by them.
 *
 * On catalogs of DC_ANALYZE_ESTIMATE_SIZE services or more, the DEGRADED
 * counts below the ranks shown (max(--top, --list-limit)) are estimated
 * (dc_analyze_options.exact_top, docs/model.md) and said to be; --exact,
 * --all, -f jsonl and --rank-by traffic compute every one exactly.
 */
#include "cli.h"
#include "observed_opts.h"

static size_t top;
static size_t list_limit;  /* --list-limit, DC_OUTPUT_LIST_LIMIT_DEFAULT unless given */
static int all;            /* --all: list_limit 0 */
static int exact;          /* --exact: no estimate */

static unsigned threads;  /* --threads, 0 = not given */
static dc_rank_by rank;   /* --rank-by */
static observed_opts obs; /* --observed */

static int rank_by(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_rank_by_parse(&rank, arg))
		return cli_usage_error(c, "--rank-by takes blast or traffic, not '%s'", arg);
	return -1;
}

static const cli_opt opts[] = {
	{ .name = "top", .type = CLI_OPT_SIZE, .value = &top, .min = 1, .max = 1000000,
	  .expect = "a positive number", .help = "N  rows per section in text output (default 10)" },
	{ .name = "list-limit", .type = CLI_OPT_SIZE, .value = &list_limit, .max = SIZE_MAX,
	  .expect = "a number >= 0",
	  .help = "N  json: rows of each list that grows with the catalog (default 100, 0 = all)" },
	{ .name = "all", .type = CLI_OPT_FLAG, .value = &all,
	  .help = "   json: every row of those lists (--list-limit 0)" },
	{ .name = "exact", .type = CLI_OPT_FLAG, .value = &exact,
	  .help = "   every DEGRADED count exact (200,000 services or more: estimated below the ranks shown)" },
	{ .name = "rank-by", .type = CLI_OPT_FN, .has_arg = 1, .fn = rank_by,
	  .complete = CLI_COMPLETE_WORDS, .values = "blast,traffic",
	  .help = "K  blast radii by blast (default: services taken down) or traffic (entrypoint requests/s lost)" },
	OBSERVED_GRAPH_ROWS(obs),
	CLI_OPT_THREADS(&threads),
	{ .name = NULL }
};

static const cli_spec spec = {
	.usage = "PATH...",
	.description = "Structural risks of the whole catalog: cycles and hard cycles (with the\n"
		       "dependencies that close them), single points of failure, the blast radius\n"
		       "of every service, depth and the longest hard chain, fan-in/fan-out hubs,\n"
		       "retry amplification and timeout-budget violations. Where entrypoints declare\n"
		       "traffic_rps (or --observed gives their rate), the requests/s each failure\n"
		       "loses; --rank-by traffic ranks the blast radii by them.",
	.formats = "text,json,jsonl",
	.examples = "depcheck analyze catalog.yaml\n"
		    "cycles, SPOFs, blast radii, depth, hubs, retries and timeouts\n"
		    "depcheck analyze catalog.yaml -f jsonl | jq -c 'select(.type == \"service\")'\n"
		    "every service's blast radius, one record a line\n",
	.opts = opts,
};

int cmd_analyze(cli *c)
{
	int rc;
	dc_analysis *a = NULL;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_output_options oo;
	dc_traffic *traffic = NULL;
	FILE *out;

	top = 10;
	rank = DC_RANK_BLAST;
	observed_opts_init(&obs);
	c->obs_opts = &obs;
	threads = 0;
	list_limit = DC_OUTPUT_LIST_LIMIT_DEFAULT;
	all = 0;
	exact = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	oo.list_limit = all ? 0 : list_limit;
	cli_assume(c, &oo, DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS | DC_ASSUME_TIMEOUTS | DC_ASSUME_RETRIES |
				   DC_ASSUME_LATENCY);
	ao.hubs = top;
	/* retry storm risks: the rows text shows are solved, at most 100
	 * (each costs two solves of the load model) */
	ao.load_solves = top < 100 ? top : 100;
	ao.threads = threads;
	ao.rank_by = rank;
	/* a big catalog: DEGRADED exact for the ranks any output shows */
	if (!exact && oo.list_limit && oo.format != DC_OUTPUT_JSONL && rank == DC_RANK_BLAST &&
	    dc_catalog_service_count(c->cat) >= DC_ANALYZE_ESTIMATE_SIZE)
		ao.exact_top = top > oo.list_limit ? top : oo.list_limit;
	rc = dc_traffic_new(&traffic, c->cat, c->observed);
	if (rc)
		return cli_oom(c);
	ao.traffic = traffic;
	if (rank == DC_RANK_TRAFFIC && !dc_traffic_known(traffic)) {
		dc_traffic_free(traffic);
		fprintf(stderr, "depcheck analyze: --rank-by traffic: no entrypoint's traffic is known "
			"(declare traffic_rps on the entrypoints, or give --observed)\n");
		return DC_EXIT_USAGE;
	}
	if (dc_analyze(&a, c->graph, &ao))
		rc = cli_oom(c);
	else if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_analysis(out, a, top, &oo) ? cli_oom(c) : DC_EXIT_OK;
	dc_analysis_free(a);
	dc_traffic_free(traffic);
	return rc;
}
