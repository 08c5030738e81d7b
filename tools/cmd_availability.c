/*
 * cmd_availability.c - `depcheck availability PATH...`: every service's
 * effective availability against its SLO, the importance of services for
 * each entrypoint and the entrypoints' minimal cut sets, computed by
 * dc_availability_compute() (exact when small, Monte Carlo otherwise) and
 * written by dc_write_availability() (depcheck/output.h).
 *
 * SLO misses come first. Exit 1 when an entrypoint misses its SLO (a
 * gate); services that are not entrypoints are reported but do not fail
 * it. A progress bar goes to stderr during Monte Carlo when stderr is a
 * terminal and -q is not given.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_TRIALS = 1000, OPT_SEED, OPT_THREADS, OPT_ZONE, OPT_ORDER, OPT_EXACT, OPT_TOP };

static const cli_option opts[] = {
	{ "trials", 0, 1, OPT_TRIALS, "N  Monte Carlo trials (default 1000000)" },
	{ "seed", 0, 1, OPT_SEED, "S  random seed, 0 to 2^63-1 (default 1); same seed, same results" },
	{ "threads", 0, 1, OPT_THREADS, "T  worker threads (default: online CPUs); results do not depend on it" },
	{ "zone-failure", 0, 1, OPT_ZONE, "P  each zone also fails with probability P (default 0)" },
	{ "max-order", 0, 1, OPT_ORDER, "K  largest cut set order, 1..3 (default 2)" },
	{ "exact-max", 0, 1, OPT_EXACT, "K  most basic events for the exact method, 1..24 (default 16)" },
	{ "top", 0, 1, OPT_TOP, "N  rows per list: other services, importance, cut sets (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

static dc_availability_options ao;
static size_t top;

static int on_opt(cli *c, int id, const char *arg)
{
	uint64_t v;
	char *end;
	double p;
	switch (id) {
	case OPT_TRIALS:
		if (cli_parse_u64(arg, (uint64_t)1 << 50, &v) || !v)
			return cli_usage_error(c, "--trials takes a positive number, not '%s'", arg);
		ao.trials = v;
		return -1;
	case OPT_SEED:
		if (cli_parse_u64(arg, INT64_MAX, &v))
			return cli_usage_error(c, "--seed takes an integer from 0 to 2^63-1, not '%s'", arg);
		ao.seed = v;
		return -1;
	case OPT_THREADS:
		if (cli_parse_u64(arg, 64, &v) || !v)
			return cli_usage_error(c, "--threads takes a number from 1 to 64, not '%s'", arg);
		ao.threads = (unsigned)v;
		return -1;
	case OPT_ZONE:
		errno = 0;
		p = strtod(arg, &end);
		if (!*arg || *end || errno || !(p >= 0 && p <= 1))
			return cli_usage_error(c, "--zone-failure takes a probability from 0 to 1, not '%s'", arg);
		ao.zone_failure = p;
		return -1;
	case OPT_ORDER:
		if (cli_parse_u64(arg, 3, &v) || !v)
			return cli_usage_error(c, "--max-order takes 1, 2 or 3, not '%s'", arg);
		ao.max_order = (unsigned)v;
		return -1;
	case OPT_EXACT:
		if (cli_parse_u64(arg, 24, &v) || !v)
			return cli_usage_error(c, "--exact-max takes a number from 1 to 24, not '%s'", arg);
		ao.exact_max = (unsigned)v;
		return -1;
	case OPT_TOP:
		if (cli_parse_u64(arg, 1000000, &v) || !v)
			return cli_usage_error(c, "--top takes a positive number, not '%s'", arg);
		top = (size_t)v;
		return -1;
	default:
		return cli_usage_error(c, "unexpected option");
	}
}

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

int cmd_availability(int argc, char **argv)
{
	cli c;
	int rc, st;
	dc_availability *a = NULL;
	dc_id *rows = NULL;
	size_t n, i, nmiss = 0;
	int gate = 0;
	bar_t bar = { 0, 0 };
	dc_availability_options init = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability_report rep = DC_AVAILABILITY_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	ao = init;
	top = 10;
	c.cmd = "availability";
	c.usage = "PATH...";
	c.description = "Effective availability of every service (the probability it is not DOWN\n"
			"when every service fails independently with 1 - availability), against its\n"
			"SLO: misses first, with downtime per 30 days. Exact when few failure events\n"
			"matter, Monte Carlo otherwise (95% interval). For every entrypoint: the\n"
			"services ranked by Birnbaum and Fussell-Vesely importance, and the minimal\n"
			"cut sets. Exit 1 when an entrypoint misses its SLO.";
	c.formats = "text,json";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if (!c.quiet && isatty(2)) {
		ao.progress = progress;
		ao.progress_ctx = &bar;
	}
	st = dc_availability_compute(&a, c.graph, &ao);
	if (bar.shown)
		fputs("\r\033[K", stderr);
	if (st) {
		fprintf(stderr, "depcheck availability: %s\n", dc_strerror(st));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	n = dc_availability_count(a);
	rows = malloc((n + 1) * sizeof(dc_id));
	if (!rows) {
		fprintf(stderr, "depcheck availability: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_availability_rank(a, c.graph, rows, &nmiss, NULL)) {
		fprintf(stderr, "depcheck availability: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < nmiss; i++)
		gate |= dc_service_is_entrypoint(c.cat, rows[i]);
	rep.a = a;
	rep.g = c.graph;
	rep.options = &ao;
	rep.rows = rows;
	rep.nrows = n;
	rep.nmiss = nmiss;
	rep.top = top;
	dc_output_format_parse(&oo.format, c.format);
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (dc_write_availability(c.out, &rep, &oo)) {
		fprintf(stderr, "depcheck availability: out of memory\n");
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, gate ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	free(rows);
	dc_availability_free(a);
	cli_free(&c);
	return rc;
}
