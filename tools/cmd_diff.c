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

#include <stdlib.h>
#include <string.h>

enum { OPT_BASE = 1000, OPT_HEAD, OPT_LIMIT, OPT_FAIL_ON_RISK, OPT_CHANGED_ONLY, OPT_POLICY };

static const cli_option opts[] = {
	{ "base", 0, 1, OPT_BASE, "P  a path of the base catalog (repeatable; instead of BASE)" },
	{ "head", 0, 1, OPT_HEAD, "P  a path of the head catalog (repeatable; instead of HEAD)" },
	{ "limit", 0, 1, OPT_LIMIT, "N  lines per text section (default 100, 0 = all; blast: 10)" },
	{ "fail-on-risk", 0, 0, OPT_FAIL_ON_RISK, "   exit 1 when head adds a cycle, a SPOF, blast radius or an "
	  "error-level violation" },
	{ "policy", 0, 1, OPT_POLICY, "FILE  policy for new and fixed violations (default: the built-in policy)" },
	{ "changed-only", 0, 0, OPT_CHANGED_ONLY, "   dot/svg: draw only what changed and its neighbours" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	char **base, **head;
	int nbase, nhead;
	size_t limit, blast_limit;
	int fail_on_risk, changed_only;
	const char *policy_path;
	dc_violations *added, *fixed;   /* violations head adds / removes (NULL: no policy ran) */
} o;

static int push_path(char ***v, int *n, const char *arg)
{
	char **nv = realloc(*v, (size_t)(*n + 1) * sizeof(char *));
	if (!nv)
		return -1;
	nv[(*n)++] = (char *)arg;
	*v = nv;
	return 0;
}

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	switch (id) {
	case OPT_BASE:
	case OPT_HEAD:
		if (push_path(id == OPT_BASE ? &o.base : &o.head, id == OPT_BASE ? &o.nbase : &o.nhead, arg)) {
			fprintf(stderr, "depcheck diff: out of memory\n");
			return DC_EXIT_USAGE;
		}
		return -1;
	case OPT_LIMIT:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v > 100000000 || arg[0] == '-')
			return cli_usage_error(c, "--limit takes a number (0 = all), not '%s'", arg);
		o.limit = o.blast_limit = v ? v : (size_t)-1;
		return -1;
	case OPT_FAIL_ON_RISK:
		o.fail_on_risk = 1;
		return -1;
	case OPT_CHANGED_ONLY:
		o.changed_only = 1;
		return -1;
	case OPT_POLICY:
		o.policy_path = arg;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

/* ---- main ------------------------------------------------------------------- */

/* Load one side through cli_load and take the catalog out of `c`. */
static int load_side(cli *c, char **paths, int n, dc_catalog **cat, dc_graph **g)
{
	int rc;
	dc_diags_free(c->diags);
	c->diags = NULL;
	if (dc_diags_new(&c->diags)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		return DC_EXIT_USAGE;
	}
	rc = cli_load(c, paths, n);
	*cat = c->cat;
	*g = c->graph;
	c->cat = NULL;
	c->graph = NULL;
	return rc;
}

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
	if (dc_violations_new(&o.added) || dc_violations_new(&o.fixed) || dc_diff_check(d, p, o.added, o.fixed)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		rc = DC_EXIT_USAGE;
	}
	dc_policy_free(p);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_catalog *cb = NULL, *ch = NULL;
	dc_graph *gb = NULL, *gh = NULL;
	dc_diff *d = NULL;
	dc_diff_report rep = DC_DIFF_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	int map;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.limit = 100;
	o.blast_limit = 10;
	c.cmd = "diff";
	c.usage = "BASE HEAD | --base P... --head P...";
	c.description = "What a change does to the catalog: services and dependencies added, removed\n"
			"or changed, attribute changes, blast-radius growth, new or removed cycles and\n"
			"SPOFs. BASE and HEAD are each a file or a directory; for several paths per\n"
			"side repeat --base P and --head P instead. Services are matched by their full\n"
			"reference (then by name), dependencies by their endpoints. Violations of the\n"
			"policy (built-in unless --policy) that head adds or fixes are listed too.\n"
			"Exit 0 (a report, not a gate), or 1 with --fail-on-risk when head adds a\n"
			"cycle, a SPOF, blast radius or an error-level violation.";
	c.formats = "text,json,dot,svg";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (o.changed_only && !cli_format_is(&c, "dot") && !cli_format_is(&c, "svg")) {
		rc = cli_usage_error(&c, "--changed-only applies to the map: -f dot or -f svg");
		goto out;
	}
	if (o.nbase || o.nhead) {
		if (!o.nbase || !o.nhead || c.nargs) {
			rc = cli_usage_error(&c, "give both --base and --head (and no positional paths), or BASE HEAD");
			goto out;
		}
	} else if (c.nargs != 2) {
		rc = cli_usage_error(&c, "expected BASE and HEAD (or --base P... --head P...), got %d path%s",
				     c.nargs, c.nargs == 1 ? "" : "s");
		goto out;
	} else {
		if (push_path(&o.base, &o.nbase, c.args[0]) || push_path(&o.head, &o.nhead, c.args[1])) {
			fprintf(stderr, "depcheck diff: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
	}
	if ((rc = load_side(&c, o.base, o.nbase, &cb, &gb)))
		goto out;
	if ((rc = load_side(&c, o.head, o.nhead, &ch, &gh)))
		goto out;
	if (dc_diff_compute(&d, gb, gh, NULL)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	/* the map shows no violations: the policy runs for it only when the
	 * gate needs them (--fail-on-risk decides alike in every format) */
	map = cli_format_is(&c, "dot") || cli_format_is(&c, "svg");
	if ((!map || o.fail_on_risk) && (rc = check_sides(&c, d)))
		goto out;
	if ((rc = cli_open_output(&c)))
		goto out;
	rep.d = d;
	rep.base_paths = (const char *const *)o.base;
	rep.nbase = (size_t)o.nbase;
	rep.head_paths = (const char *const *)o.head;
	rep.nhead = (size_t)o.nhead;
	rep.policy_name = o.policy_path ? o.policy_path : "built-in";
	rep.added = o.added;
	rep.fixed = o.fixed;
	rep.risk = dc_diff_gate(d, o.added);
	rep.limit = o.limit;
	rep.blast_limit = o.blast_limit;
	dc_output_format_parse(&oo.format, c.format);
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if (map) {
		size_t gk = dc_diags_count(c.diags); /* Graphviz's messages follow */
		r = dc_diff_render(d, oo.format, o.changed_only, c.out, c.diags);
		for (; gk < dc_diags_count(c.diags) && (r || !c.quiet); gk++) {
			fputs("depcheck diff: ", stderr);
			dc_diag_print(stderr, dc_diags_get(c.diags, gk));
		}
	} else
		r = dc_write_diff(c.out, &rep, &oo);
	if (r) {
		if (r == DC_ELIMIT)
			fprintf(stderr, "depcheck diff: -f svg: too many services to lay out (at most %d); "
				"use --changed-only, -f dot or -f json\n", DC_DIFF_SVG_MAX);
		else if (!map)
			fprintf(stderr, "depcheck diff: %s\n", dc_strerror(r));
		else
			fprintf(stderr, "depcheck diff: cannot render the map (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, o.fail_on_risk && rep.risk ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	dc_violations_free(o.added);
	dc_violations_free(o.fixed);
	dc_diff_free(d);
	dc_graph_free(gb);
	dc_graph_free(gh);
	dc_catalog_free(cb);
	dc_catalog_free(ch);
	free(o.base);
	free(o.head);
	cli_free(&c);
	return rc;
}
