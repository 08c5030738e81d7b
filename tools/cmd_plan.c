/*
 * cmd_plan.c - `depcheck plan PATH...`: deployment waves, lockstep groups,
 * rollback order and cold-start bring-up, computed by dc_plan_compute()
 * (the model is in include/depcheck/plan.h) and written by dc_write_plan()
 * (depcheck/output.h; the map by dc_plan_render()).
 *
 * --changed a,b,c or --changed-from BASE plan only some services; the base
 * catalog is loaded separately and compared by dc_diff_changed_since()
 * (depcheck/diff.h). Services removed since the base are not in the
 * current catalog and cannot be planned.
 *
 * Exit: 0; 1 when --cold-start finds a hard cycle (an impossible cold
 * start); 2 on usage or input errors (unknown --changed name, -f svg over
 * DC_PLAN_SVG_MAX planned services).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_ORDER = 1000, OPT_CHANGED, OPT_CHANGED_FROM, OPT_MAX_PARALLEL, OPT_ROLLBACK, OPT_COLD_START };

static const cli_option opts[] = {
	{ "order", 0, 1, OPT_ORDER, "O  providers-first (default: additive changes) or consumers-first (removals)" },
	{ "changed", 0, 1, OPT_CHANGED, "S,...  plan only these services (constraints through others are kept)" },
	{ "changed-from", 0, 1, OPT_CHANGED_FROM, "BASE  plan the services added or changed since the BASE catalog" },
	{ "max-parallel", 0, 1, OPT_MAX_PARALLEL, "N  at most N services per wave" },
	{ "rollback", 0, 0, OPT_ROLLBACK, "   also print the rollback order (always in json)" },
	{ "cold-start", 0, 0, OPT_COLD_START, "   bring-up from nothing by hard dependencies; exit 1 on hard cycles" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	dc_plan_order order;
	const char *changed;
	const char *changed_from;
	size_t max_parallel;
	int rollback, cold_start;
} o;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	switch (id) {
	case OPT_ORDER:
		if (!strcmp(arg, "providers-first"))
			o.order = DC_PLAN_PROVIDERS_FIRST;
		else if (!strcmp(arg, "consumers-first"))
			o.order = DC_PLAN_CONSUMERS_FIRST;
		else
			return cli_usage_error(c, "--order takes providers-first or consumers-first, not '%s'", arg);
		return -1;
	case OPT_CHANGED:
		o.changed = arg;
		return -1;
	case OPT_CHANGED_FROM:
		o.changed_from = arg;
		return -1;
	case OPT_MAX_PARALLEL:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v == 0 || v > 100000000 || arg[0] == '-')
			return cli_usage_error(c, "--max-parallel takes a positive number, not '%s'", arg);
		o.max_parallel = v;
		return -1;
	case OPT_ROLLBACK:
		o.rollback = 1;
		return -1;
	case OPT_COLD_START:
		o.cold_start = 1;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

/* ---- --changed / --changed-from ------------------------------------------ */

static int parse_changed(cli *c, uint8_t *mark)
{
	char *list = strdup(o.changed), *tok, *save = NULL;
	int rc = 0;
	if (!list) {
		fprintf(stderr, "depcheck plan: out of memory\n");
		return DC_EXIT_USAGE;
	}
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		dc_id id;
		if (!*tok)
			continue;
		if (cli_find(c, tok, &id)) {
			rc = DC_EXIT_USAGE;
			break;
		}
		mark[id] = 1;
	}
	free(list);
	return rc;
}

static int changed_from(cli *c, uint8_t *mark)
{
	dc_catalog *base = NULL;
	dc_diags *bd = NULL;
	const char *paths[1];
	int r;
	paths[0] = o.changed_from;
	if (dc_diags_new(&bd)) {
		fprintf(stderr, "depcheck plan: out of memory\n");
		return DC_EXIT_USAGE;
	}
	r = dc_catalog_load(&base, paths, 1, &c->load, bd);
	if (r) {
		size_t k;
		for (k = 0; k < dc_diags_count(bd); k++) {
			const dc_diag *d = dc_diags_get(bd, k);
			if (d->severity == DC_SEV_ERROR)
				fprintf(stderr, "%s:%u:%u: error: %s\n", d->file ? d->file : "-", d->line,
					d->column, d->message);
		}
		fprintf(stderr, "depcheck plan: base catalog '%s' cannot be analyzed (%s)\n", o.changed_from,
			dc_strerror(r));
		dc_catalog_free(base);
		dc_diags_free(bd);
		return DC_EXIT_USAGE;
	}
	if (cli_note_catalog(c, base)) { /* -o must not replace the base either */
		dc_catalog_free(base);
		dc_diags_free(bd);
		return DC_EXIT_USAGE;
	}
	r = dc_diff_changed_since(c->cat, base, mark);
	dc_catalog_free(base);
	dc_diags_free(bd);
	if (r)
		fprintf(stderr, "depcheck plan: %s\n", dc_strerror(r));
	return r ? DC_EXIT_USAGE : 0;
}

int cmd_plan(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_plan *p = NULL;
	dc_blast *b = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	uint8_t *mark = NULL;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	dc_plan_report rep = DC_PLAN_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	size_t n;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	c.cmd = "plan";
	c.usage = "PATH...";
	c.description = "Deployment waves: every service deploys after the services it depends on\n"
			"(--order providers-first, the default, for additive changes) or before them\n"
			"(consumers-first, for removals). Soft dependencies inside a cycle do not order;\n"
			"what is still cyclic is a lockstep group that ships in one wave. Waves are as\n"
			"few as the longest chain allows; inside a wave, smallest blast radius first.\n"
			"--changed/--changed-from plan only some services but keep the constraints that\n"
			"pass through the others. --cold-start orders a bring-up from nothing by hard\n"
			"dependencies and exits 1 on hard cycles (impossible cold starts).";
	c.formats = "text,json,dot,svg";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (o.changed && o.changed_from) {
		rc = cli_usage_error(&c, "--changed and --changed-from cannot be combined");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	n = dc_catalog_service_count(c.cat);
	mark = calloc(n + 1, 1);
	if (!mark) {
		fprintf(stderr, "depcheck plan: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (o.changed && (rc = parse_changed(&c, mark)))
		goto out;
	if (o.changed_from && (rc = changed_from(&c, mark)))
		goto out;
	po.changed = (o.changed || o.changed_from) ? mark : NULL;
	/* blast radii for the canary order: of the planned services only (a
	 * partial plan costs a fraction of a full sweep), and no SPOFs */
	bo.sources = po.changed;
	bo.flags = DC_BLAST_NO_SPOFS;
	if (dc_blast_compute_ex(&b, c.graph, &bo)) {
		fprintf(stderr, "depcheck plan: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	po.order = o.order;
	po.max_parallel = o.max_parallel;
	po.cold_start = o.cold_start;
	po.blast = b;
	if (dc_plan_compute(&p, c.graph, &po)) {
		fprintf(stderr, "depcheck plan: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (cli_format_is(&c, "svg") && dc_plan_service_count(p) > DC_PLAN_SVG_MAX) {
		fprintf(stderr, "depcheck plan: -f svg: %zu planned services is too many to lay out (at most %d); "
			"use -f dot, --changed, or -f json\n", dc_plan_service_count(p), DC_PLAN_SVG_MAX);
		rc = DC_EXIT_USAGE;
		goto out;
	}
	rep.plan = p;
	rep.g = c.graph;
	rep.blast = b;
	rep.order = o.order;
	rep.cold_start = o.cold_start;
	rep.max_parallel = o.max_parallel;
	rep.rollback = o.rollback;
	dc_output_format_parse(&oo.format, c.format);
	oo.color = c.color_out;
	oo.quiet = c.quiet;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (cli_format_is(&c, "dot") || cli_format_is(&c, "svg")) {
		size_t gk = dc_diags_count(c.diags); /* Graphviz's messages follow */
		r = dc_plan_render(p, c.graph, oo.format, c.out, c.diags);
		for (; gk < dc_diags_count(c.diags) && (r || !c.quiet); gk++) {
			fputs("depcheck plan: ", stderr);
			dc_diag_print(stderr, dc_diags_get(c.diags, gk));
		}
	} else
		r = dc_write_plan(c.out, &rep, &oo);
	if (r) {
		fprintf(stderr, "depcheck plan: cannot render the plan (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	if (!c.quiet && !o.cold_start && dc_plan_lockstep_count(p) && !cli_format_is(&c, "text"))
		fprintf(stderr, "depcheck plan: warning: %zu lockstep group%s must ship together\n",
			dc_plan_lockstep_count(p), dc_plan_lockstep_count(p) == 1 ? "" : "s");
	rc = cli_finish(&c, o.cold_start && dc_plan_lockstep_count(p) ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	dc_plan_free(p);
	dc_blast_free(b);
	free(mark);
	cli_free(&c);
	return rc;
}
