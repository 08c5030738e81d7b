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
 * then name.
 *
 * Exit status: 0 (a simulation is not a gate); 2 for usage errors (no
 * --fail, a selector that matches nothing, an ambiguous name) and for
 * input that cannot be analyzed.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_FAIL = 1000, OPT_EACH, OPT_TOP, OPT_MODE, OPT_LIMIT };

static const cli_option simulate_opts[] = {
	{ "fail", 0, 1, OPT_FAIL, "SEL   fail NAME, zone:Z, system:S, owner:O or tag:T (repeatable, a,b lists)" },
	{ "failure-mode", 0, 1, OPT_MODE,
	  "M     hang (default: a caller notices after timeout x (retries+1)) or error (at once)" },
	{ "each", 0, 0, OPT_EACH, "      every single-service failure, ranked by services taken down" },
	{ "limit", 0, 1, OPT_LIMIT, "N   text: list at most N services per section (default 100; 0 = all)" },
	{ "top", 0, 1, OPT_TOP, "N     with --each: the N worst (default 20 in text, all in json; 0 = all)" },
	{ NULL, 0, 0, 0, NULL }
};

typedef struct {
	char **sel;             /* selectors, split on commas (owned) */
	size_t nsel, cap;
	int each;
	long top;               /* -1 = default */
	long limit;             /* text timeline rows per section, 0 = all */
	int mode_given;
	dc_failure_mode mode;
} sim_opts;

static sim_opts so;

static int on_opt(cli *c, int id, const char *arg)
{
	switch (id) {
	case OPT_FAIL: {
		const char *p = arg;
		for (;;) {
			size_t n = strcspn(p, ",");
			char *s;
			if (n == 0)
				return cli_usage_error(c, "empty selector in --fail '%s'", arg);
			if (so.nsel == so.cap) {
				size_t nc = so.cap ? 2 * so.cap : 8;
				char **ns = realloc(so.sel, nc * sizeof(char *));
				if (!ns)
					return cli_oom(c);
				so.sel = ns;
				so.cap = nc;
			}
			if (!(s = malloc(n + 1)))
				return cli_oom(c);
			memcpy(s, p, n);
			s[n] = '\0';
			so.sel[so.nsel++] = s;
			if (!p[n])
				break;
			p += n + 1;
		}
		return -1;
	}
	case OPT_EACH:
		so.each = 1;
		return -1;
	case OPT_TOP: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 0)
			return cli_usage_error(c, "--top takes a number >= 0, not '%s'", arg);
		so.top = v;
		return -1;
	}
	case OPT_LIMIT: {
		char *end;
		long v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 0)
			return cli_usage_error(c, "--limit takes a number >= 0, not '%s'", arg);
		so.limit = v;
		return -1;
	}
	case OPT_MODE:
		if (dc_failure_mode_parse(&so.mode, arg))
			return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
		so.mode_given = 1;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

/* What the writers need from the common options. */
static dc_output_options output_options(const cli *c)
{
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	dc_output_format_parse(&oo.format, c->format); /* checked by cli_parse */
	oo.color = c->color_out;
	oo.quiet = c->quiet;
	return oo;
}

static int run_scenario(cli *c)
{
	dc_output_options oo = output_options(c);
	dc_selection *sel = NULL;
	dc_simulation *sim = NULL;
	int rc;

	if (dc_selection_new(&sel, c->cat)) {
		rc = cli_oom(c);
		goto out;
	}
	if ((rc = cli_select(c, sel, so.sel, so.nsel)))
		goto out;
	if (dc_simulation_run(&sim, c->graph, sel, so.mode)) {
		rc = cli_oom(c);
		goto out;
	}
	if ((rc = cli_open_output(c)))
		goto out;
	if (dc_write_simulation(c->out, sim, (size_t)so.limit, &oo))
		rc = cli_finish(c, cli_oom(c));
	else
		rc = cli_finish(c, DC_EXIT_OK);
out:
	dc_simulation_free(sim);
	dc_selection_free(sel);
	return rc;
}

/* Every single failure, in the order `analyze` ranks blast radii
 * (dc_blast_order): text shows the 20 worst unless --top says otherwise,
 * JSON all of them. */
static int run_each(cli *c)
{
	dc_output_options oo = output_options(c);
	dc_blast *b = NULL;
	dc_id *order = NULL;
	size_t n = dc_catalog_service_count(c->cat), top;
	int rc;

	order = malloc((n ? n : 1) * sizeof(dc_id));
	if (!order || dc_blast_compute(&b, c->graph) || dc_blast_order(b, c->cat, order)) {
		rc = cli_oom(c);
		goto out;
	}
	top = so.top < 0 ? (oo.format == DC_OUTPUT_JSON ? 0 : 20) : (size_t)so.top;
	if ((rc = cli_open_output(c)))
		goto out;
	if (dc_write_failure_ranking(c->out, c->graph, b, order, top, &oo))
		rc = cli_finish(c, cli_oom(c));
	else
		rc = cli_finish(c, DC_EXIT_OK);
out:
	free(order);
	dc_blast_free(b);
	return rc;
}

int cmd_simulate(int argc, char **argv)
{
	cli c;
	int rc;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(&so, 0, sizeof(so));
	so.top = -1;
	so.limit = 100;
	so.mode = DC_FAILURE_HANG;
	c.cmd = "simulate";
	c.usage = "PATH... --fail SEL...  |  PATH... --each [--top N]";
	c.description = "Simulate a failure: which services go DOWN or DEGRADED, why (the chain of\n"
			"dependencies back to what failed) and how fast (time to impact), as an\n"
			"incident timeline. SEL is a service name (any unique form), zone:Z, system:S,\n"
			"owner:O or tag:T; --fail may be repeated and takes comma lists. A service all\n"
			"of whose zones failed goes down, one that lost some of them is degraded.\n"
			"With --each: every single-service failure, ranked by services taken down.";
	c.formats = "text,json";
	c.opts = simulate_opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (so.each && so.nsel) {
		rc = cli_usage_error(&c, "--each simulates every single failure: it takes no --fail");
		goto out;
	}
	if (!so.each && !so.nsel) {
		rc = cli_usage_error(&c, "nothing fails: give --fail SEL (or --each)");
		goto out;
	}
	if (!so.each && so.top >= 0) {
		rc = cli_usage_error(&c, "--top goes with --each");
		goto out;
	}
	if (so.each && so.mode_given) {
		rc = cli_usage_error(&c, "--failure-mode goes with --fail: --each counts states, not times");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	rc = so.each ? run_each(&c) : run_scenario(&c);
out:
	for (i = 0; i < so.nsel; i++)
		free(so.sel[i]);
	free(so.sel);
	memset(&so, 0, sizeof(so));
	cli_free(&c);
	return rc;
}
