/*
 * cmd_simulate.c - `depcheck simulate PATH... --fail SEL...`: one failure
 * scenario as an incident timeline, and `simulate --each`: every single
 * failure ranked by impact.
 *
 * Scenario: the selectors (depcheck/simulate.h; comma lists and repeated
 * --fail add up) give the seeds; dc_impact_run_timed() gives every
 * service's state, time to impact and cause (the dependency that sets the
 * time), so the chain printed for a service is the one whose hops add up to
 * its time. The timeline is sorted by time to impact, then DOWN before
 * DEGRADED, then name; entrypoints that went down are repeated first in
 * their own block, because they are what users see. The summary counts
 * seeds among the down services.
 *
 * --each uses the bit-parallel sweep of depcheck/blast.h (all blast radii
 * at once), never one propagation per service: ranked by other services
 * taken down, then degraded, then name.
 *
 * Exit status: 0 (a simulation is not a gate); 2 for usage errors (no
 * --fail, a selector that matches nothing, an ambiguous name) and for
 * input that cannot be analyzed.
 */
#include "cli.h"

#include <depcheck/blast.h>
#include <limits.h>
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

/* ---- one scenario ----------------------------------------------------------- */

typedef struct {
	dc_id v;
	uint64_t t;
	dc_state st;
	const char *name;
} event;

static int event_cmp(const void *pa, const void *pb)
{
	const event *a = pa, *b = pb;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->st != b->st)
		return a->st == DC_STATE_DOWN ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Why v is affected: the seed cause, or the dependency that took it. */
static const char *cause_of(const cli *c, const dc_impact *imp, const dc_selection *sel, dc_id v)
{
	uint32_t e = dc_impact_cause(imp, v);
	if (e == UINT32_MAX) {
		const char *s = dc_selection_cause(sel, v);
		return s ? s : "seed";
	}
	return dc_service_name(c->cat, dc_dep_to(c->cat, e));
}

static long long ms(uint64_t t)
{
	return t > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)t;
}

static void text_event(cli *c, const dc_impact *imp, const dc_selection *sel, const event *ev, int tw,
		       int nw)
{
	int down = ev->st == DC_STATE_DOWN;
	dc_id v = ev->v;
	char tbuf[32];
	snprintf(tbuf, sizeof(tbuf), "+%lld", ms(ev->t));
	fprintf(c->out, "  %*s ms  %s%-8s%s  %-*s", tw, tbuf, cli_c(c, down ? "red" : "yellow"),
		down ? "DOWN" : "DEGRADED", cli_c(c, "reset"), nw, ev->name);
	if (dc_service_is_entrypoint(c->cat, v))
		fprintf(c->out, "  %s(entrypoint)%s", cli_c(c, "bold"), cli_c(c, "reset"));
	if (dc_impact_cause(imp, v) == UINT32_MAX) {
		fprintf(c->out, "  (%s)", cause_of(c, imp, sel, v));
	} else {
		fputc(' ', c->out);
		while (dc_impact_cause(imp, v) != UINT32_MAX) {
			v = dc_dep_to(c->cat, dc_impact_cause(imp, v));
			/* fputs, not fprintf: a big outage prints millions of hops */
			fputs(" <- ", c->out);
			fputs(dc_service_name(c->cat, v), c->out);
		}
		if (strcmp(cause_of(c, imp, sel, v), "seed"))
			fprintf(c->out, " (%s)", cause_of(c, imp, sel, v));
	}
	fputc('\n', c->out);
}

static void json_events(cli *c, dc_jsonw *w, const dc_impact *imp, const dc_selection *sel, const event *evs,
			size_t n, dc_state st)
{
	size_t i;
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		dc_id v = evs[i].v;
		if (evs[i].st != st)
			continue;
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "service", evs[i].name);
		dc_jw_kstr(w, "cause", cause_of(c, imp, sel, v));
		dc_jw_key(w, "path");
		dc_jw_arr(w);
		dc_jw_str(w, evs[i].name);
		while (dc_impact_cause(imp, v) != UINT32_MAX) {
			v = dc_dep_to(c->cat, dc_impact_cause(imp, v));
			dc_jw_str(w, dc_service_name(c->cat, v));
		}
		dc_jw_arr_end(w);
		dc_jw_kint(w, "time_to_impact_ms", ms(evs[i].t));
		dc_jw_kbool(w, "entrypoint", dc_service_is_entrypoint(c->cat, evs[i].v));
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

static int run_scenario(cli *c)
{
	dc_selection *sel = NULL;
	dc_impact *imp = NULL;
	event *evs = NULL;
	const dc_id *aff;
	size_t i, n, ndown = 0, ndeg = 0, neps = 0, neps_down = 0, nsvc = dc_catalog_service_count(c->cat);
	int rc = DC_EXIT_USAGE, tw = 4, nw = 1;

	if (dc_selection_new(&sel, c->cat) || dc_impact_new(&imp, c->graph))
		goto oom;
	if (cli_select(c, sel, so.sel, so.nsel))
		goto out;
	if (dc_simulate(imp, sel, so.mode))
		goto oom;
	n = dc_impact_affected(imp, &aff);
	if (!(evs = malloc((n ? n : 1) * sizeof(event))))
		goto oom;
	for (i = 0; i < n; i++) {
		int l;
		evs[i].v = aff[i];
		evs[i].t = dc_impact_time_ms(imp, aff[i]);
		evs[i].st = dc_impact_state(imp, aff[i]);
		evs[i].name = dc_service_name(c->cat, aff[i]);
		ndown += evs[i].st == DC_STATE_DOWN;
		ndeg += evs[i].st == DC_STATE_DEGRADED;
		if ((l = (int)strlen(evs[i].name)) > nw)
			nw = l;
		l = snprintf(NULL, 0, "+%lld", ms(evs[i].t));
		if (l > tw)
			tw = l;
	}
	qsort(evs, n, sizeof(event), event_cmp);
	for (i = 0; i < nsvc; i++)
		if (dc_service_is_entrypoint(c->cat, (dc_id)i)) {
			neps++;
			neps_down += dc_impact_state(imp, (dc_id)i) == DC_STATE_DOWN;
		}
	if ((rc = cli_open_output(c)))
		goto out;
	if (cli_format_is(c, "json")) {
		dc_jsonw w;
		dc_jw_init(&w, c->out);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "command", "simulate");
		dc_jw_key(&w, "failed");
		dc_jw_arr_inline(&w);
		for (i = 0; i < so.nsel; i++)
			dc_jw_str(&w, so.sel[i]);
		dc_jw_arr_end(&w);
		dc_jw_kstr(&w, "failure_mode", dc_failure_mode_name(so.mode));
		dc_jw_key(&w, "down");
		json_events(c, &w, imp, sel, evs, n, DC_STATE_DOWN);
		dc_jw_key(&w, "degraded");
		json_events(c, &w, imp, sel, evs, n, DC_STATE_DEGRADED);
		dc_jw_key(&w, "summary");
		dc_jw_obj_inline(&w);
		dc_jw_kint(&w, "down", (long long)ndown);
		dc_jw_kint(&w, "degraded", (long long)ndeg);
		dc_jw_kint(&w, "entrypoints_down", (long long)neps_down);
		dc_jw_kint(&w, "entrypoints", (long long)neps);
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_end(&w);
	} else {
		fprintf(c->out, "%sFailed:%s ", cli_c(c, "bold"), cli_c(c, "reset"));
		for (i = 0; i < so.nsel; i++)
			fprintf(c->out, "%s%s", i ? ", " : "", so.sel[i]);
		if (so.mode == DC_FAILURE_HANG)
			fprintf(c->out, "  (failure mode hang: a caller notices a failed dependency after "
				"timeout x (retries + 1))\n");
		else
			fprintf(c->out, "  (failure mode error: failures are noticed at once)\n");
		fprintf(c->out, "\n%sEntrypoints down:%s%s\n", cli_c(c, "bold"), cli_c(c, "reset"),
			neps_down ? "" : " none");
		/* a big outage has tens of thousands of lines: show the first ones
		 * of each section (the earliest), say how many more there are */
		{
			size_t shown = 0, limit = so.limit ? (size_t)so.limit : (size_t)-1;
			for (i = 0; i < n; i++)
				if (evs[i].st == DC_STATE_DOWN && dc_service_is_entrypoint(c->cat, evs[i].v) &&
				    shown++ < limit)
					text_event(c, imp, sel, &evs[i], tw, nw);
			if (shown > limit)
				fprintf(c->out, "  ... and %zu more (--limit 0 lists every one)\n", shown - limit);
			fprintf(c->out, "\n%sTimeline:%s\n", cli_c(c, "bold"), cli_c(c, "reset"));
			for (i = 0; i < n && i < limit; i++)
				text_event(c, imp, sel, &evs[i], tw, nw);
			if (n > limit)
				fprintf(c->out, "  ... and %zu more (--limit 0 lists every one)\n", n - limit);
		}
		fprintf(c->out, "\n%s%zu down, %zu degraded, %zu of %zu entrypoint%s down%s\n", cli_c(c, "bold"),
			ndown, ndeg, neps_down, neps, neps == 1 ? "" : "s", cli_c(c, "reset"));
	}
	rc = cli_finish(c, DC_EXIT_OK);
	goto out;
oom:
	fprintf(stderr, "depcheck: out of memory\n");
	rc = DC_EXIT_USAGE;
out:
	free(evs);
	dc_impact_free(imp);
	dc_selection_free(sel);
	return rc;
}

/* ---- every single failure ----------------------------------------------------- */

typedef struct {
	dc_id v;
	size_t down, deg;
	const char *name;
} rank;

static int rank_cmp(const void *pa, const void *pb)
{
	const rank *a = pa, *b = pb;
	if (a->down != b->down)
		return a->down > b->down ? -1 : 1;
	if (a->deg != b->deg)
		return a->deg > b->deg ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int run_each(cli *c)
{
	dc_blast *b = NULL;
	rank *r = NULL;
	size_t i, n = dc_catalog_service_count(c->cat), shown;
	int rc, json = cli_format_is(c, "json");

	if (dc_blast_compute(&b, c->graph) || !(r = malloc((n ? n : 1) * sizeof(rank)))) {
		fprintf(stderr, "depcheck: out of memory\n");
		dc_blast_free(b);
		return DC_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		r[i].v = (dc_id)i;
		r[i].down = dc_blast_down(b, (dc_id)i);
		r[i].deg = dc_blast_degraded(b, (dc_id)i);
		r[i].name = dc_service_name(c->cat, (dc_id)i);
	}
	qsort(r, n, sizeof(rank), rank_cmp);
	shown = so.top < 0 ? (json ? n : 20) : so.top == 0 ? n : (size_t)so.top;
	if (shown > n)
		shown = n;
	if ((rc = cli_open_output(c)))
		goto out;
	if (json) {
		dc_jsonw w;
		dc_jw_init(&w, c->out);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "command", "simulate");
		dc_jw_kint(&w, "services", (long long)n);
		dc_jw_key(&w, "impact");
		dc_jw_arr(&w);
		for (i = 0; i < shown; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", r[i].name);
			dc_jw_kint(&w, "down", (long long)r[i].down);
			dc_jw_kint(&w, "degraded", (long long)r[i].deg);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_end(&w);
	} else {
		int nw = 7;
		for (i = 0; i < shown; i++)
			if ((int)strlen(r[i].name) > nw)
				nw = (int)strlen(r[i].name);
		fprintf(c->out, "%sEvery single failure%s, ranked by the other services it takes down "
			"(then degrades)", cli_c(c, "bold"), cli_c(c, "reset"));
		if (shown < n)
			fprintf(c->out, ": top %zu of %zu\n\n", shown, n);
		else
			fprintf(c->out, ": all %zu\n\n", n);
		fprintf(c->out, "  %4s  %-*s  %6s  %8s\n", "rank", nw, "service", "down", "degraded");
		for (i = 0; i < shown; i++)
			fprintf(c->out, "  %4zu  %-*s  %6zu  %8zu%s\n", i + 1, nw, r[i].name, r[i].down, r[i].deg,
				dc_service_is_entrypoint(c->cat, r[i].v) ? "  (entrypoint)" : "");
	}
	rc = cli_finish(c, DC_EXIT_OK);
out:
	free(r);
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
