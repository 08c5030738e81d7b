/*
 * cmd_verify.c - `depcheck verify PATH... --results FILE`: what the chaos
 * experiments observed against what the model predicted (depcheck/chaos.h,
 * docs/chaos.md). The plan is made as `experiments` makes it
 * (cli_experiments_plan), so the ids in the results file match.
 *
 * -f yaml writes the overlay that makes the model match. Exit 1 when the
 * model was wrong somewhere (any finding); 2 for usage errors and a results
 * file that cannot be read (diagnostics at its line and column).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RESULTS_MAX ((size_t)64 << 20)

static struct {
	const char *results;
	dc_failure_mode mode;
	dc_verify_options vo;
} o;

static int failure_mode(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_failure_mode_parse(&o.mode, arg))
		return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
	return -1;
}

static const cli_opt opts[] = {
	{ .name = "results", .type = CLI_OPT_STRING, .value = &o.results,
	  .help = "FILE  what happened: JSON or CSV (docs/chaos.md)" },
	{ .name = "failure-mode", .type = CLI_OPT_FN, .has_arg = 1, .fn = failure_mode,
	  .complete = CLI_COMPLETE_WORDS, .values = "hang,error",
	  .help = "M  hang (default) or error, as given to experiments" },
	{ .name = "tolerance-ms", .type = CLI_OPT_U64, .value = &o.vo.tolerance_ms, .max = 86400000,
	  .expect = "milliseconds from 0 to 86400000",
	  .help = "MS  a time to impact may be off by this much (default 1000)" },
	{ .name = "tolerance-ratio", .type = CLI_OPT_DOUBLE, .value = &o.vo.tolerance_ratio, .dmin = 0,
	  .dmax = 100, .expect = "a number from 0 to 100",
	  .help = "R  ... or by R times the prediction, if more (default 0.5)" },
	{ .name = NULL }
};

static char *buf;
static size_t len;

/* The results file, read before the catalog: a missing one stops early. */
static int prepare(cli *c)
{
	FILE *fp;
	size_t cap = 0, n;
	if (!o.results)
		return cli_usage_error(c, "no --results FILE: give what the experiments observed");
	if (!(fp = strcmp(o.results, "-") ? fopen(o.results, "rb") : stdin)) {
		fprintf(stderr, "depcheck verify: %s: %s\n", o.results, strerror(errno));
		return DC_EXIT_USAGE;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > RESULTS_MAX + 4097 || !(nb = realloc(buf, cap))) {
				fprintf(stderr, "depcheck verify: %s: %s\n", o.results,
					cap > RESULTS_MAX + 4097 ? "larger than 64 MiB" : "out of memory");
				if (fp != stdin)
					fclose(fp);
				return DC_EXIT_USAGE;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, fp);
		len += n;
		if (n < 4096)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "depcheck verify: %s: read error\n", o.results);
		if (fp != stdin)
			fclose(fp);
		return DC_EXIT_USAGE;
	}
	if (fp != stdin)
		fclose(fp);
	buf[len] = 0;
	if (strcmp(o.results, "-") && cli_note_input(c, o.results))
		return DC_EXIT_USAGE;
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... --results FILE [-f text|json|yaml]",
	.description = "Compare what chaos experiments observed (per experiment id, per entrypoint:\n"
		       "up, degraded or down, and after how long) with what `experiments` predicted.\n"
		       "Reports a soft edge that behaved as hard, an any_of group that was not\n"
		       "redundant, another state than predicted, and a time to impact off by more\n"
		       "than the tolerance. -f yaml writes the overlay that makes the model match.",
	.formats = "text,json,yaml",
	.examples = "depcheck verify catalog.yaml --results results.json\n"
		    "where the model was wrong, and the fix\n"
		    "depcheck verify catalog.yaml --results results.json -f yaml -o fix.yaml\n"
		    "the overlay to add to the inputs\n",
	.exit_ok = "every observation matched the prediction",
	.exit_findings = "the model was wrong somewhere",
	.opts = opts,
	.prepare = prepare,
};

int cmd_verify(cli *c)
{
	int rc, st;
	dc_experiments *x = NULL;
	dc_availability *a = NULL;
	dc_verification *v = NULL;
	dc_verify_options def = DC_VERIFY_OPTIONS_INIT;
	dc_output_options oo;
	size_t from;
	FILE *out;

	o.results = NULL;
	o.mode = DC_FAILURE_HANG;
	o.vo = def;
	buf = NULL;
	len = 0;
	if ((rc = cli_start(c, &spec)) >= 0)
		goto out;
	oo = cli_output_options(c);
	if ((rc = cli_experiments_plan(c, o.mode, &x, &a)))
		goto out;
	from = dc_diags_count(c->diags);
	st = dc_verify(&v, x, o.results, buf, len, &o.vo, c->diags);
	cli_print_new_diags(c, from, st != 0);
	if (st) {
		rc = st == DC_ENOMEM ? cli_oom(c) : DC_EXIT_USAGE;
		goto out;
	}
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_write_verification(out, v, &oo)) {
		rc = cli_oom(c);
		goto out;
	}
	rc = dc_verification_findings(v, NULL) ? DC_EXIT_FINDINGS : DC_EXIT_OK;
out:
	dc_verification_free(v);
	dc_experiments_free(x);
	dc_availability_free(a);
	free(buf);
	buf = NULL;
	return rc;
}
