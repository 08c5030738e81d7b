/*
 * cmd_reconcile.c - `depcheck reconcile PATH... --observed FILE`: declared
 * dependencies against the calls observed in production (Jaeger
 * dependencies JSON or a caller,callee[,calls] CSV), computed by
 * dc_reconcile_compute() (the model is in include/depcheck/reconcile.h).
 *
 * The observed files are read first: a malformed one stops the command
 * (exit 2) before the catalog is loaded.
 *
 * Exit: 1 when undeclared dependencies were observed (they are findings:
 * hidden risk), 0 otherwise (stale declarations and unknown services are
 * reported, not failed on); 2 on usage errors and unusable input.
 */
#include "observed_opts.h"
#include "violations_report.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_LIMIT = 1000 };

static const cli_option opts[] = {
	OBSERVED_OPTION_ROWS,
	{ "limit", 0, 1, OPT_LIMIT, "N  lines per text section (default 100, 0 = all)" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	observed_opts obs;
	size_t limit;
} o;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long long v;
	if (id == OPT_LIMIT) {
		v = strtoull(arg, &end, 10);
		if (!*arg || *end || arg[0] == '-' || v > 100000000)
			return cli_usage_error(c, "--limit takes a number (0 = all), not '%s'", arg);
		o.limit = v ? (size_t)v : (size_t)-1;
		return -1;
	}
	return observed_opts_on(c, &o.obs, id, arg);
}

static const char *callee_name(const cli *c, const dc_observed *obs, const dc_undeclared *u)
{
	return u->callee != DC_NO_ID ? dc_service_name(c->cat, u->callee) : dc_observed_callee(obs, u->observed);
}

static size_t stale_hard(const cli *c, const uint32_t *deps, size_t n)
{
	size_t i, h = 0;
	for (i = 0; i < n; i++)
		h += dc_dep_kind_of(c->cat, deps[i]) == DC_DEP_HARD && !dc_dep_group(c->cat, deps[i]);
	return h;
}

static const char *dep_kind(const cli *c, size_t d)
{
	if (dc_dep_group(c->cat, d))
		return dc_dep_kind_of(c->cat, d) == DC_DEP_SOFT ? "any_of, soft" : "any_of";
	return dc_dep_kind_name(dc_dep_kind_of(c->cat, d));
}

/* ---- text ------------------------------------------------------------------------- */

static void text_out(cli *c, const dc_observed *obs, const dc_reconcile *r)
{
	const dc_undeclared *u;
	const uint32_t *st;
	const dc_unknown_service *unk;
	size_t nu = dc_reconcile_undeclared(r, &u), ns = dc_reconcile_stale(r, &st);
	size_t nk = dc_reconcile_unknown(r, &unk), i, to_unknown = 0, sh = stale_hard(c, st, ns);
	fprintf(c->out, "%sObserved:%s %zu call edge%s in %d file%s (edges with fewer than %" PRIu64 " call%s ignored)\n",
		cli_c(c, "bold"), cli_c(c, "reset"), dc_observed_count(obs), dc_observed_count(obs) == 1 ? "" : "s",
		o.obs.nfiles, o.obs.nfiles == 1 ? "" : "s", o.obs.min_calls, o.obs.min_calls == 1 ? "" : "s");
	fprintf(c->out, "%sDeclared:%s %zu dependenc%s: %zu confirmed, %zu stale, %zu not covered (caller not observed)\n",
		cli_c(c, "bold"), cli_c(c, "reset"), dc_catalog_dep_count(c->cat),
		dc_catalog_dep_count(c->cat) == 1 ? "y" : "ies", dc_reconcile_confirmed(r), ns,
		dc_reconcile_not_covered(r));
	if (nu) {
		fprintf(c->out, "\n%sUndeclared dependencies%s (%zu): observed in production, declared nowhere\n",
			cli_c(c, "bold"), cli_c(c, "reset"), nu);
		for (i = 0; i < nu; i++) {
			to_unknown += u[i].callee == DC_NO_ID;
			if (i >= o.limit)
				continue;
			fprintf(c->out, "  %s!%s %s -> %s  %" PRIu64 " call%s%s", cli_c(c, "red"), cli_c(c, "reset"),
				dc_service_name(c->cat, u[i].caller), callee_name(c, obs, &u[i]), u[i].calls,
				u[i].calls == 1 ? "" : "s", u[i].callee == DC_NO_ID ? ", unknown service" : "");
			cli_where(c, dc_observed_location(obs, u[i].observed));
			fputc('\n', c->out);
		}
		cli_more(c, nu < o.limit ? nu : o.limit, nu);
	}
	if (ns) {
		fprintf(c->out, "\n%sStale dependencies%s (%zu): declared, never observed\n", cli_c(c, "bold"),
			cli_c(c, "reset"), ns);
		for (i = 0; i < ns && i < o.limit; i++) {
			fprintf(c->out, "  %s-%s %s -> %s (%s)", cli_c(c, "yellow"), cli_c(c, "reset"),
				dc_service_name(c->cat, dc_dep_from(c->cat, st[i])),
				dc_service_name(c->cat, dc_dep_to(c->cat, st[i])), dep_kind(c, st[i]));
			cli_where(c, dc_dep_location(c->cat, st[i]));
			fputc('\n', c->out);
		}
		cli_more(c, i, ns);
	}
	if (nk) {
		fprintf(c->out, "\n%sUnknown services%s (%zu): observed, not in the catalog\n", cli_c(c, "bold"),
			cli_c(c, "reset"), nk);
		for (i = 0; i < nk && i < o.limit; i++) {
			fprintf(c->out, "  ? %s  %" PRIu64 " call%s out, %" PRIu64 " in%s", unk[i].name, unk[i].calls_out,
				unk[i].calls_out == 1 ? "" : "s", unk[i].calls_in,
				unk[i].ambiguous ? " (ambiguous: names several services)" : "");
			cli_where(c, dc_observed_location(obs, unk[i].first));
			fputc('\n', c->out);
		}
		cli_more(c, i, nk);
	}
	fprintf(c->out, "\n%zu undeclared (%zu to catalog services, %zu to unknown ones), %zu stale (%zu hard), "
		"%zu unknown service%s\n", nu, nu - to_unknown, to_unknown, ns, sh, nk, nk == 1 ? "" : "s");
}

/* ---- json ------------------------------------------------------------------------- */

/* JSON integers are signed 64-bit here: saturate (counts add up saturating) */
static long long count(uint64_t v)
{
	return v > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)v;
}

static void json_out(cli *c, const dc_observed *obs, const dc_reconcile *r)
{
	const dc_undeclared *u;
	const uint32_t *st;
	const dc_unknown_service *unk;
	size_t nu = dc_reconcile_undeclared(r, &u), ns = dc_reconcile_stale(r, &st);
	size_t nk = dc_reconcile_unknown(r, &unk), i;
	dc_jsonw w;
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "reconcile");
	dc_jw_key(&w, "observed");
	observed_opts_json(&w, &o.obs, obs);
	dc_jw_key(&w, "undeclared");
	dc_jw_arr(&w);
	for (i = 0; i < nu; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "caller", dc_service_name(c->cat, u[i].caller));
		dc_jw_kstr(&w, "callee", callee_name(c, obs, &u[i]));
		dc_jw_kbool(&w, "callee_known", u[i].callee != DC_NO_ID);
		dc_jw_kint(&w, "calls", count(u[i].calls));
		cli_json_loc(&w, dc_observed_location(obs, u[i].observed));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "stale");
	dc_jw_arr(&w);
	for (i = 0; i < ns; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", dc_service_name(c->cat, dc_dep_from(c->cat, st[i])));
		dc_jw_kstr(&w, "to", dc_service_name(c->cat, dc_dep_to(c->cat, st[i])));
		dc_jw_kstr(&w, "kind", dc_dep_kind_name(dc_dep_kind_of(c->cat, st[i])));
		dc_jw_kbool(&w, "any_of", dc_dep_group(c->cat, st[i]) != 0);
		cli_json_loc(&w, dc_dep_location(c->cat, st[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "unknown_services");
	dc_jw_arr(&w);
	for (i = 0; i < nk; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "name", unk[i].name);
		dc_jw_kbool(&w, "ambiguous", unk[i].ambiguous);
		dc_jw_kint(&w, "calls_out", count(unk[i].calls_out));
		dc_jw_kint(&w, "calls_in", count(unk[i].calls_in));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "summary");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "undeclared", (long long)nu);
	dc_jw_kint(&w, "stale", (long long)ns);
	dc_jw_kint(&w, "stale_hard", (long long)stale_hard(c, st, ns));
	dc_jw_kint(&w, "confirmed", (long long)dc_reconcile_confirmed(r));
	dc_jw_kint(&w, "not_covered", (long long)dc_reconcile_not_covered(r));
	dc_jw_kint(&w, "unknown_services", (long long)nk);
	dc_jw_obj_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

/* -f sarif / github: the undeclared dependencies as findings (rule
 * undeclared-dependency, error level: they fail the command), formatted by
 * violations_report like check's. Stale and unknown are not findings. */
static int findings_out(cli *c, const dc_observed *obs, const dc_reconcile *r)
{
	dc_violations *v = NULL;
	vreport vr;
	int rc;
	memset(&vr, 0, sizeof(vr));
	if (dc_violations_new(&v) || dc_violations_add_undeclared(v, c->graph, obs, r, DC_LEVEL_ERROR)) {
		dc_violations_free(v);
		return -1;
	}
	dc_violations_sort(v);
	vr.c = c;
	vr.command = "reconcile";
	vr.policy_name = "none";
	vr.v = v;
	vr.fail_on = DC_LEVEL_ERROR;
	rc = vreport_write(&vr);
	vreport_free(&vr);
	dc_violations_free(v);
	return rc;
}

int cmd_reconcile(int argc, char **argv)
{
	cli c;
	int rc;
	dc_observed *obs = NULL;
	dc_reconcile *r = NULL;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	observed_opts_init(&o.obs);
	o.limit = 100;
	c.cmd = "reconcile";
	c.usage = "PATH... --observed FILE";
	c.description = "Declared dependencies against the calls observed in production: Jaeger's\n"
			"dependencies JSON ([{\"parent\",\"child\",\"callCount\"}], or the API's {\"data\": [...]})\n"
			"or a caller,callee[,calls] CSV. Reports undeclared dependencies (observed,\n"
			"declared nowhere: hidden risk; exit 1), stale ones (declared, never observed,\n"
			"for callers that were observed) and observed services unknown to the catalog.\n"
			"-f sarif and -f github carry the undeclared dependencies only.";
	c.formats = "text,json,sarif,github";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (!o.obs.nfiles) {
		rc = cli_usage_error(&c, "no --observed FILE: give the observed call edges (Jaeger JSON or CSV)");
		goto out;
	}
	if ((rc = observed_opts_load(&c, &o.obs, &obs)))
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	ro.min_calls = o.obs.min_calls;
	if (dc_reconcile_compute(&r, c.graph, obs, &ro)) {
		fprintf(stderr, "depcheck reconcile: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	if (cli_format_is(&c, "json")) {
		json_out(&c, obs, r);
	} else if (cli_format_is(&c, "sarif") || cli_format_is(&c, "github")) {
		if (findings_out(&c, obs, r)) {
			fprintf(stderr, "depcheck: out of memory\n");
			rc = cli_finish(&c, DC_EXIT_USAGE);
			goto out;
		}
	} else {
		text_out(&c, obs, r);
	}
	{
		const dc_undeclared *u;
		rc = cli_finish(&c, dc_reconcile_undeclared(r, &u) ? DC_EXIT_FINDINGS : DC_EXIT_OK);
	}
out:
	dc_reconcile_free(r);
	dc_observed_free(obs);
	observed_opts_free(&o.obs);
	cli_free(&c);
	return rc;
}
