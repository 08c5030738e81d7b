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
 * start: dc_plan_gate); 2 on usage or input errors (unknown --changed
 * name, -f svg over DC_PLAN_SVG_MAX planned services).
 */
#include "cli.h"
#include "observed_opts.h"

#include <stdlib.h>
#include <string.h>

static struct {
	int order;              /* dc_plan_order */
	const char *changed;
	const char *changed_from;
	size_t max_parallel;
	int rollback, cold_start;
} o;

static unsigned threads;  /* --threads, 0 = not given */

static observed_opts gobs; /* --observed: observed calls as edges */

static const cli_opt opts[] = {
	{ .name = "order", .type = CLI_OPT_CHOICE, .value = &o.order, .choices = "providers-first,consumers-first",
	  .expect = "providers-first or consumers-first",
	  .help = "O  providers-first (default: additive changes) or consumers-first (removals)" },
	{ .name = "changed", .type = CLI_OPT_STRING, .value = &o.changed, .complete = CLI_COMPLETE_SERVICE,
	  .help = "S,...  plan only these services (constraints through others are kept)" },
	{ .name = "changed-from", .type = CLI_OPT_STRING, .value = &o.changed_from,
	  .help = "BASE  plan the services added or changed since the BASE catalog" },
	{ .name = "max-parallel", .type = CLI_OPT_SIZE, .value = &o.max_parallel, .min = 1, .max = 100000000,
	  .expect = "a positive number", .help = "N  at most N services per wave" },
	{ .name = "rollback", .type = CLI_OPT_FLAG, .value = &o.rollback,
	  .help = "   also print the rollback order (always in json)" },
	{ .name = "cold-start", .type = CLI_OPT_FLAG, .value = &o.cold_start,
	  .help = "   bring-up from nothing by hard dependencies; exit 1 on hard cycles" },
	CLI_OPT_THREADS(&threads),
	OBSERVED_GRAPH_ROWS(gobs),
	{ .name = NULL }
};

static int check_args(cli *c)
{
	if (o.changed && o.changed_from)
		return cli_usage_error(c, "--changed and --changed-from cannot be combined");
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH...",
	.description = "Deployment waves: every service deploys after the services it depends on\n"
		       "(--order providers-first, the default, for additive changes) or before them\n"
		       "(consumers-first, for removals). Soft dependencies inside a cycle do not order;\n"
		       "what is still cyclic is a lockstep group that ships in one wave. Waves are as\n"
		       "few as the longest chain allows; inside a wave, smallest blast radius first.\n"
		       "--changed/--changed-from plan only some services but keep the constraints that\n"
		       "pass through the others. --cold-start orders a bring-up from nothing by hard\n"
		       "dependencies and exits 1 on hard cycles (impossible cold starts).",
	.formats = "text,json,dot,svg,argocd,flux,helm,pipeline",
	.examples = "depcheck plan catalog.yaml --changed auth,playback\n"
		    "the deployment waves for two changed services\n"
		    "depcheck plan catalog.yaml --cold-start\n"
		    "the bring-up order from nothing\n",
	.exit_findings = "with --cold-start, a hard cycle makes a cold start impossible",
	.opts = opts,
	.prepare = check_args,
};

/* ---- --changed / --changed-from ------------------------------------------ */

static int parse_changed(cli *c, uint8_t *mark)
{
	char *list = strdup(o.changed), *tok, *save = NULL;
	int rc = 0;
	if (!list)
		return cli_oom(c);
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

/* The base catalog, loaded quietly (its errors only), then compared. */
static int changed_from(cli *c, uint8_t *mark)
{
	dc_catalog *base = NULL;
	dc_diags *bd = NULL;
	int r, rc = DC_EXIT_USAGE;
	size_t k;
	if (dc_diags_new(&bd))
		return cli_oom(c);
	if ((r = dc_catalog_load(&base, &o.changed_from, 1, &c->load, bd))) {
		for (k = 0; k < dc_diags_count(bd); k++) {
			const dc_diag *d = dc_diags_get(bd, k);
			if (d->severity == DC_SEV_ERROR)
				fprintf(stderr, "%s:%u:%u: error: %s\n", d->file ? d->file : "-", d->line,
					d->column, d->message);
		}
		fprintf(stderr, "depcheck plan: base catalog '%s' cannot be analyzed (%s)\n", o.changed_from,
			dc_strerror(r));
	} else if (!cli_note_catalog(c, base)) { /* -o must not replace the base either */
		if ((r = dc_diff_changed_since(c->cat, base, mark)))
			fprintf(stderr, "depcheck plan: %s\n", dc_strerror(r));
		rc = r ? DC_EXIT_USAGE : 0;
	}
	dc_catalog_free(base);
	dc_diags_free(bd);
	return rc;
}

int cmd_plan(cli *c)
{
	int rc, r;
	dc_plan *p = NULL;
	dc_blast *b = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	uint8_t *mark = NULL;
	dc_plan_options po = DC_PLAN_OPTIONS_INIT;
	dc_plan_report rep = DC_PLAN_REPORT_INIT;
	dc_output_options oo;
	size_t gk;
	FILE *out;
	int map;

	memset(&o, 0, sizeof(o));
	threads = 0;
	observed_opts_init(&gobs);
	c->obs_opts = &gobs;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	cli_assume(c, &oo, DC_ASSUME_EDGES);
	if (!(mark = calloc(dc_catalog_service_count(c->cat) + 1, 1)))
		goto oom;
	if ((o.changed && (rc = parse_changed(c, mark))) || (o.changed_from && (rc = changed_from(c, mark))))
		goto out;
	po.changed = (o.changed || o.changed_from) ? mark : NULL;
	/* blast radii for the canary order: of the planned services only (a
	 * partial plan costs a fraction of a full sweep), and no SPOFs */
	bo.sources = po.changed;
	bo.flags = DC_BLAST_NO_SPOFS;
	bo.threads = threads;
	po.order = (dc_plan_order)o.order;
	po.max_parallel = o.max_parallel;
	po.cold_start = o.cold_start;
	if (dc_blast_compute_ex(&b, c->graph, &bo))
		goto oom;
	po.blast = b;
	if (dc_plan_compute(&p, c->graph, &po))
		goto oom;
	if (!(out = cli_output(c))) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	rep.plan = p;
	rep.g = c->graph;
	rep.blast = b;
	rep.order = (dc_plan_order)o.order;
	rep.cold_start = o.cold_start;
	rep.max_parallel = o.max_parallel;
	rep.rollback = o.rollback;
	map = oo.format == DC_OUTPUT_DOT || oo.format == DC_OUTPUT_SVG;
	gk = dc_diags_count(c->diags); /* Graphviz's messages follow */
	r = map ? dc_plan_render(p, c->graph, oo.format, out, c->diags) : dc_write_plan(out, &rep, &oo);
	cli_print_new_diags(c, gk, r != 0);
	if (r == DC_ELIMIT)
		fprintf(stderr, "depcheck plan: -f svg: %zu planned services is too many to lay out (at most %d); "
			"use -f dot, --changed, or -f json\n", dc_plan_service_count(p), DC_PLAN_SVG_MAX);
	else if (r)
		fprintf(stderr, "depcheck plan: cannot render the plan (%s)\n", dc_strerror(r));
	if (r) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (!c->quiet && !o.cold_start && dc_plan_lockstep_count(p) && oo.format != DC_OUTPUT_TEXT)
		fprintf(stderr, "depcheck plan: warning: %zu lockstep group%s must ship together\n",
			dc_plan_lockstep_count(p), dc_plan_lockstep_count(p) == 1 ? "" : "s");
	rc = dc_plan_gate(p) ? DC_EXIT_FINDINGS : DC_EXIT_OK;
	goto out;
oom:
	rc = cli_oom(c);
out:
	dc_plan_free(p);
	dc_blast_free(b);
	free(mark);
	return rc;
}
