/*
 * cmd_diff.c - `depcheck diff BASE HEAD`: what a change does to the
 * catalog's structure and risk, computed by dc_diff_compute() (the model is
 * in include/depcheck/diff.h).
 *
 * Each side is one path (file or directory) given positionally, or several
 * with repeated --base P / --head P (then no positional paths). The two
 * catalogs are loaded separately, each with its diagnostics printed.
 *
 * The comparison, the policy's new and fixed violations (dc_diff_check) and
 * the gate (dc_diff_gate) are the library's, and so are the formats
 * (dc_write_diff; dc_diff_render for the map).
 *
 * Exit: 0 when the catalogs were compared (a diff is a report, not a
 * gate), 1 with --fail-on-risk when head adds risk (a new cycle, a new
 * SPOF, a blast radius that grew or an error-level violation), whatever
 * the format, 2 on usage errors and input that cannot be analyzed.
 */
#include "cli.h"

#include <string.h>

static struct {
	cli_list base, head;
	size_t limit, blast_limit;
	int fail_on_risk, changed_only;
	const char *policy_path;
	dc_violations *added, *fixed;   /* violations head adds / removes (NULL: no policy ran) */
	dc_violations *input[2];        /* each side's load and validation errors (valid-input) */
	const char *side[2];            /* BASE HEAD given positionally */
} o;

static int set_limit(cli *c, const cli_opt *opt, const char *arg)
{
	uint64_t v;
	(void)opt;
	if (cli_parse_u64(arg, 100000000, &v))
		return cli_usage_error(c, "--limit takes a number (0 = all), not '%s'", arg);
	o.limit = o.blast_limit = v ? (size_t)v : (size_t)-1;
	return -1;
}

static const cli_opt opts[] = {
	{ .name = "base", .type = CLI_OPT_LIST, .value = &o.base,
	  .help = "P  a path of the base catalog (repeatable; instead of BASE)" },
	{ .name = "head", .type = CLI_OPT_LIST, .value = &o.head,
	  .help = "P  a path of the head catalog (repeatable; instead of HEAD)" },
	{ .name = "limit", .type = CLI_OPT_FN, .has_arg = 1, .fn = set_limit,
	  .help = "N  lines per text section (default 100, 0 = all; blast: 10)" },
	{ .name = "fail-on-risk", .type = CLI_OPT_FLAG, .value = &o.fail_on_risk,
	  .help = "   exit 1 when head adds a cycle, a SPOF, blast radius or an error-level violation" },
	{ .name = "policy", .type = CLI_OPT_STRING, .value = &o.policy_path,
	  .help = "FILE  policy for new and fixed violations (default: the built-in policy)" },
	{ .name = "changed-only", .type = CLI_OPT_FLAG, .value = &o.changed_only,
	  .help = "   dot/svg: draw only what changed and its neighbours" },
	{ .name = NULL }
};

static int check_args(cli *c)
{
	if (o.changed_only && !cli_format_is(c, "dot") && !cli_format_is(c, "svg"))
		return cli_usage_error(c, "--changed-only applies to the map: -f dot or -f svg");
	if (o.base.n || o.head.n) {
		if (!o.base.n || !o.head.n || c->nargs)
			return cli_usage_error(c, "give both --base and --head (and no positional paths), or BASE HEAD");
	} else if (c->nargs != 2) {
		return cli_usage_error(c, "expected BASE and HEAD (or --base P... --head P...), got %d path%s",
				       c->nargs, c->nargs == 1 ? "" : "s");
	}
	return -1;
}

static const cli_spec spec = {
	.usage = "BASE HEAD | --base P... --head P...",
	.description = "What a change does to the catalog: services and dependencies added, removed\n"
		       "or changed, attribute changes, blast-radius growth, new or removed cycles and\n"
		       "SPOFs. BASE and HEAD are each a file or a directory; for several paths per\n"
		       "side repeat --base P and --head P instead. Services are matched by their full\n"
		       "reference (then by name), dependencies by their endpoints. Violations of the\n"
		       "policy (built-in unless --policy) that head adds or fixes are listed too.\n"
		       "Exit 0 (a report, not a gate), or 1 with --fail-on-risk when head adds a\n"
		       "cycle, a SPOF, blast radius or an error-level violation.",
	.formats = "text,json,dot,svg",
	.opts = opts,
	.prepare = check_args,
};

/* ---- main ------------------------------------------------------------------- */

/* Check both sides against the policy and keep what head adds and fixes
 * (o.added, o.fixed). Returns 0 or an exit code. */
static int check_sides(cli *c, const dc_diff *d)
{
	dc_policy *p = NULL;
	int rc;
	if (o.policy_path && cli_note_input(c, o.policy_path))
		return DC_EXIT_USAGE;
	rc = o.policy_path ? dc_policy_load(&p, o.policy_path, c->diags) : dc_policy_default(&p);
	if (rc) {
		cli_print_diags(c);
		fprintf(stderr, "depcheck diff: the policy cannot be used (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	if ((rc = dc_violations_new(&o.added)) || (rc = dc_violations_new(&o.fixed)) ||
	    (rc = dc_diff_check(d, p, o.added, o.fixed)) ||
	    (dc_policy_rule_level(p, dc_policy_rule_find(p, "valid-input")) != DC_LEVEL_OFF &&
	     (rc = dc_violations_compare(o.input[0], o.input[1], o.added, o.fixed)))) {
		/* a rule that could not run (DC_ELIMIT) fails closed, as in check */
		fprintf(stderr, "depcheck diff: the policy could not be evaluated (%s)\n", dc_strerror(rc));
		rc = DC_EXIT_USAGE;
	}
	dc_policy_free(p);
	return rc;
}

int cmd_diff(cli *c)
{
	int rc, r;
	dc_catalog *cb = NULL, *ch = NULL;
	dc_graph *gb = NULL, *gh = NULL;
	dc_diff *d = NULL;
	dc_diff_report rep = DC_DIFF_REPORT_INIT;
	dc_output_options oo;
	const char *const *base, *const *head;
	size_t nbase, nhead, gk;
	FILE *out;
	int map;

	o.limit = 100;
	o.blast_limit = 10;
	if ((rc = cli_start(c, &spec)) >= 0)
		goto out;
	oo = cli_output_options(c);
	base = o.base.n ? o.base.items : (const char *const *)&c->args[0];
	head = o.head.n ? o.head.items : (const char *const *)&c->args[1];
	nbase = o.base.n ? o.base.n : 1;
	nhead = o.head.n ? o.head.n : 1;
	/* each side's errors are valid-input findings: the ones head adds are new */
	if ((rc = cli_load_side(c, base, nbase, &cb, &gb)))
		goto out;
	if (dc_violations_new(&o.input[0]) || dc_violations_add_input_errors(o.input[0], c->diags, DC_LEVEL_ERROR)) {
		rc = cli_oom(c);
		goto out;
	}
	if ((rc = cli_load_side(c, head, nhead, &ch, &gh)))
		goto out;
	if (dc_violations_new(&o.input[1]) || dc_violations_add_input_errors(o.input[1], c->diags, DC_LEVEL_ERROR)) {
		rc = cli_oom(c);
		goto out;
	}
	if (dc_diff_compute(&d, gb, gh, NULL)) {
		rc = cli_oom(c);
		goto out;
	}
	/* the map shows no violations: the policy runs for it only when the
	 * gate needs them (--fail-on-risk decides alike in every format) */
	map = oo.format == DC_OUTPUT_DOT || oo.format == DC_OUTPUT_SVG;
	if ((!map || o.fail_on_risk) && (rc = check_sides(c, d)))
		goto out;
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	rep.d = d;
	rep.base_paths = base;
	rep.nbase = nbase;
	rep.head_paths = head;
	rep.nhead = nhead;
	rep.policy_name = o.policy_path ? o.policy_path : "built-in";
	rep.added = o.added;
	rep.fixed = o.fixed;
	rep.risk = dc_diff_gate(d, o.added);
	rep.limit = o.limit;
	rep.blast_limit = o.blast_limit;
	gk = dc_diags_count(c->diags); /* Graphviz's messages follow */
	r = map ? dc_diff_render(d, oo.format, o.changed_only ? DC_DIFF_MAP_CHANGED_ONLY : DC_DIFF_MAP_ALL, out,
				 c->diags)
		: dc_write_diff(out, &rep, &oo);
	cli_print_new_diags(c, gk, r != 0);
	if (r) {
		if (r == DC_ELIMIT)
			fprintf(stderr, "depcheck diff: -f svg: too many services to lay out (at most %d); "
				"use --changed-only, -f dot or -f json\n", DC_DIFF_SVG_MAX);
		else if (!map)
			fprintf(stderr, "depcheck diff: %s\n", dc_strerror(r));
		else
			fprintf(stderr, "depcheck diff: cannot render the map (%s)\n", dc_strerror(r));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	rc = o.fail_on_risk && rep.risk ? DC_EXIT_FINDINGS : DC_EXIT_OK;
out:
	dc_violations_free(o.added);
	dc_violations_free(o.fixed);
	dc_violations_free(o.input[0]);
	dc_violations_free(o.input[1]);
	dc_diff_free(d);
	dc_graph_free(gb);
	dc_graph_free(gh);
	dc_catalog_free(cb);
	dc_catalog_free(ch);
	return rc;
}
