/*
 * output_text.c - every result as human text: what a terminal and a
 * person in an incident read. Colours only when opts->color; summaries
 * and notes left out under opts->quiet.
 */
#include "output_int.h"
#include <depcheck/reconcile.h>

#include <string.h>
#include <stdlib.h>

const char *dc__color(const dc_output_options *opts, const char *what)
{
	if (!opts->color)
		return "";
	if (!strcmp(what, "bold")) return "\033[1m";
	if (!strcmp(what, "red")) return "\033[31m";
	if (!strcmp(what, "yellow")) return "\033[33m";
	if (!strcmp(what, "green")) return "\033[32m";
	if (!strcmp(what, "dim")) return "\033[2m";
	if (!strcmp(what, "reset")) return "\033[0m";
	return "";
}

void dc__text_section(FILE *fp, const dc_output_options *opts, const char *title, size_t n)
{
	fprintf(fp, "\n%s%s%s (%zu)\n", dc__color(opts, "bold"), title, dc__color(opts, "reset"), n);
}

void dc__text_more(FILE *fp, size_t shown, size_t total)
{
	if (total > shown)
		fprintf(fp, "  ... and %zu more\n", total - shown);
}

void dc__text_where(FILE *fp, const dc_output_options *opts, dc_location l)
{
	if (l.file)
		fprintf(fp, "  %s%s:%u:%u%s", dc__color(opts, "dim"), l.file, l.line, l.column,
			dc__color(opts, "reset"));
}

/* "assumed: a; b; c": statements joined, a new indented line where the next
 * would pass about 100 columns */
void dc__text_assumptions(FILE *fp, const dc_output_options *opts)
{
	const dc_assumptions *a = dc__output_assumptions(opts);
	char buf[200];
	size_t i, col = 0, len;
	if (!a || opts->quiet)
		return;
	for (i = 0; (len = dc_assumptions_statement(a, i, buf, sizeof(buf))) > 0; i++) {
		if (i == 0) {
			fprintf(fp, "\n%sassumed:%s %s", dc__color(opts, "bold"), dc__color(opts, "reset"), buf);
			col = 9 + len;
		} else if (col + 2 + len > 100) {
			fprintf(fp, ";\n         %s", buf);
			col = 9 + len;
		} else {
			fprintf(fp, "; %s", buf);
			col += 2 + len;
		}
	}
	if (i)
		fputc('\n', fp);
}

/* ---- catalog: validate, show, path, export ------------------------------- */

int dc__text_validation(FILE *fp, const dc_catalog_summary *sum, const dc_output_options *opts)
{
	if (opts->quiet)
		return 0; /* the diagnostics (on stderr) are the result */
	/* plurals right; "(N external)" only when there are some */
	fprintf(fp, "%s%zu service%s%s", dc__color(opts, "bold"), sum->services, sum->services == 1 ? "" : "s",
		dc__color(opts, "reset"));
	if (sum->external)
		fprintf(fp, " (%zu external)", sum->external);
	fprintf(fp, ", %zu dependenc%s, %zu entrypoint%s, %zu cycle%s, from %zu file%s\n", sum->dependencies,
		sum->dependencies == 1 ? "y" : "ies", sum->entrypoints, sum->entrypoints == 1 ? "" : "s",
		sum->cycles, sum->cycles == 1 ? "" : "s", sum->files, sum->files == 1 ? "" : "s");
	fprintf(fp, "%s%zu error%s%s, %zu warning%s\n", dc__color(opts, sum->errors ? "red" : "green"),
		sum->errors, sum->errors == 1 ? "" : "s", dc__color(opts, "reset"), sum->warnings,
		sum->warnings == 1 ? "" : "s");
	return 0;
}

/* The resilience settings a source wrote on dependency d (timeout and
 * retries only when a mesh or another policy set them apart from the
 * edge, i.e. at a place of their own), each with where it was written,
 * and the worst-case hang they give. */
static void show_settings(FILE *fp, const dc_catalog *cat, size_t d)
{
	unsigned k;
	int any = 0;
	dc_location dl = dc_dep_location(cat, d);
	for (k = 0; k < DC_DEP_SETTING_COUNT; k++) {
		dc_dep_setting ks = (dc_dep_setting)k;
		dc_location l;
		if (!dc_dep_setting_is_set(cat, d, ks))
			continue;
		l = dc_dep_setting_location(cat, d, ks);
		if (k <= DC_DEP_RETRIES && l.file == dl.file && l.line == dl.line && l.column == dl.column)
			continue; /* written on the edge itself: the line above says it */
		any = 1;
		fprintf(fp, "            %-19s ", dc_dep_setting_name(ks));
		if (dc_dep_setting_text(cat, d, ks))
			fprintf(fp, "%-10s", dc_dep_setting_text(cat, d, ks));
		else
			fprintf(fp, "%-10g", dc_dep_setting_value(cat, d, ks));
		fprintf(fp, "  %s:%u:%u\n", l.file ? l.file : "-", l.line, l.column);
	}
	if (any)
		fprintf(fp, "            a hang costs %llu ms (call factor %g)\n", dc_dep_hang_ms(cat, d),
			dc_dep_call_factor(cat, d));
}

/* one dependency of show's lists: d is its index, `other` the service at
 * the far end (the dependency, or the dependent) */
static void show_dep(FILE *fp, const dc_catalog *cat, size_t d, dc_id other, const dc_output_options *opts)
{
	char kind[32];
	unsigned g = dc_dep_group(cat, d);
	if (g)
		snprintf(kind, sizeof(kind), "any_of#%u", g);
	else
		snprintf(kind, sizeof(kind), "%s", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
	fprintf(fp, "  %-9s %-32s timeout %ums, %u retr%s, stage %u", kind, dc_service_name(cat, other),
		dc_dep_timeout_ms(cat, d), dc_dep_retries(cat, d), dc_dep_retries(cat, d) == 1 ? "y" : "ies",
		dc_dep_stage(cat, d));
	if (dc_dep_is_observed(cat, d))
		fputs("  [observed, declared nowhere]", fp);
	else if (strcmp(dc_dep_origin(cat, d), "depends_on"))
		fprintf(fp, "  [%s%s]", dc_dep_is_inferred(cat, d) ? "inferred from " : "", dc_dep_origin(cat, d));
	dc__text_where(fp, opts, dc_dep_location(cat, d));
	fputc('\n', fp);
	show_settings(fp, cat, d);
	{
		/* what production showed on the call (--observed) */
		dc_dep_traffic t;
		if (dc_dep_observed(cat, d, &t)) {
			fprintf(fp, "            observed %llu call%s", (unsigned long long)t.calls, t.calls == 1 ? "" : "s");
			if (t.calls_per_s >= 0)
				fprintf(fp, ", %g/s", t.calls_per_s);
			if (t.error_ratio >= 0)
				fprintf(fp, ", %.3g%% errors", t.error_ratio * 100);
			if (t.p50_ms >= 0)
				fprintf(fp, ", p50 %g ms", t.p50_ms);
			if (t.p99_ms >= 0)
				fprintf(fp, ", p99 %g ms", t.p99_ms);
			if (!dc_dep_is_observed(cat, d))
				dc__text_where(fp, opts, t.where);
			fputc('\n', fp);
		}
	}
	/* an edge several sources declare: each declaration, the one whose
	 * values it carries first */
	if (dc_dep_source_count(cat, d) > 1) {
		size_t i, n = dc_dep_source_count(cat, d);
		for (i = 0; i < n; i++) {
			dc_location l = dc_dep_source(cat, d, i);
			fprintf(fp, "            declared at %s:%u:%u\n", l.file ? l.file : "-", l.line, l.column);
		}
	}
}

/* "sources (N):" and one line per definition, only for a service that several
 * sources define (docs/inputs.md, "One service, many sources") */
static void show_sources(FILE *fp, const dc_catalog *cat, dc_id s, const dc_output_options *opts)
{
	size_t i, n = dc_service_source_count(cat, s);
	if (n < 2)
		return;
	fprintf(fp, "\n%ssources%s (%zu):\n", dc__color(opts, "bold"), dc__color(opts, "reset"), n);
	for (i = 0; i < n; i++) {
		dc_location l = dc_service_source(cat, s, i);
		unsigned attrs = dc_service_source_attrs(cat, s, i), a, k = 0;
		fprintf(fp, "  %s:%u:%u (%s%s):", l.file ? l.file : "-", l.line, l.column,
			dc_input_format_name(dc_service_source_format(cat, s, i)),
			dc_service_source_is_overlay(cat, s, i) ? ", overlay" : "");
		for (a = 0; a < DC_ATTR_COUNT; a++)
			if (attrs & (1u << a))
				fprintf(fp, "%s%s", k++ ? ", " : " ", dc_attr_name((dc_attr)a));
		fputs(k ? "\n" : " (no attributes)\n", fp);
	}
}

/* "  label        a, b, c" for a list attribute; nothing when it is empty */
static void show_list(FILE *fp, const char *label, const dc_catalog *cat, dc_id s, size_t n,
		      const char *(*get)(const dc_catalog *, dc_id, size_t))
{
	size_t i;
	if (!n)
		return;
	fprintf(fp, "  %-13s", label);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", get(cat, s, i));
	fputc('\n', fp);
}

/* "  label        value" for a string attribute; nothing when it is unset */
static void show_str(FILE *fp, const char *label, const char *value)
{
	if (value)
		fprintf(fp, "  %-13s%s\n", label, value);
}

int dc__text_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_location loc = dc_service_location(cat, s);
	const dc_id *to, *from;
	const uint32_t *edges;
	size_t first, n, nin, i, down, deg;

	fprintf(fp, "%s%s%s", dc__color(opts, "bold"), dc_service_name(cat, s), dc__color(opts, "reset"));
	if (strcmp(dc_service_ref(cat, s), dc_service_name(cat, s)))
		fprintf(fp, "  (%s)", dc_service_ref(cat, s));
	if (dc_service_is_external(cat, s))
		fprintf(fp, "  [external]");
	fputc('\n', fp);
	/* an external made for an unresolved reference has no format and no
	 * definition: its location is the first reference to it */
	if (loc.file && dc_service_is_external(cat, s) && dc_service_format(cat, s) == DC_FORMAT_AUTO)
		fprintf(fp, "  %-13s%s:%u:%u (not defined in the input)\n", "referenced", loc.file, loc.line,
			loc.column);
	else if (loc.file)
		fprintf(fp, "  %-13s%s:%u:%u (%s)\n", "defined at", loc.file, loc.line, loc.column,
			dc_input_format_name(dc_service_format(cat, s)));
	show_str(fp, "description", dc_service_description(cat, s));
	show_str(fp, "owner", dc_service_owner(cat, s));
	show_str(fp, "system", dc_service_system(cat, s));
	show_str(fp, "url", dc_service_url(cat, s));
	if (dc_service_tier(cat, s))
		fprintf(fp, "  %-13s%d\n", "tier", dc_service_tier(cat, s));
	fprintf(fp, "  %-13s%s%s\n", "entrypoint", dc_service_is_entrypoint(cat, s) ? "yes" : "no",
		!dc_service_entrypoint_explicit(cat, s) && dc_service_is_entrypoint(cat, s)
			? " (nothing depends on it)" : "");
	fprintf(fp, "  %-13s%u\n", "replicas", dc_service_replicas(cat, s));
	show_list(fp, "zones", cat, s, dc_service_zone_count(cat, s), dc_service_zone);
	fprintf(fp, "  %-13s%g", "availability", dc_service_availability(cat, s));
	if (dc_service_availability_source(cat, s) == DC_AVAIL_SOURCE_MEASURED)
		fputs(" measured", fp);
	if (dc_service_slo(cat, s) >= 0)
		fprintf(fp, "  (slo %g)", dc_service_slo(cat, s));
	fputc('\n', fp);
	fprintf(fp, "  %-13s%g ms\n", "latency", dc_service_latency_ms(cat, s));
	show_list(fp, "tags", cat, s, dc_service_tag_count(cat, s), dc_service_tag);
	show_sources(fp, cat, s, opts);

	n = dc_graph_out(g, s, &to, &first);
	fprintf(fp, "\n%sdepends on%s (%zu):\n", dc__color(opts, "bold"), dc__color(opts, "reset"), n);
	for (i = 0; i < n; i++)
		show_dep(fp, cat, first + i, to[i], opts);
	nin = dc_graph_in(g, s, &from, &edges);
	fprintf(fp, "\n%sdependents%s (%zu):\n", dc__color(opts, "bold"), dc__color(opts, "reset"), nin);
	for (i = 0; i < nin; i++)
		show_dep(fp, cat, edges[i], from[i], opts);

	/* the failed service itself is among the down */
	down = dc_impact_down_count(blast) - 1;
	deg = dc_impact_degraded_count(blast);
	fprintf(fp, "\n%sblast radius%s: if %s fails alone, %zu other service%s down and %zu degrade%s\n",
		dc__color(opts, "bold"), dc__color(opts, "reset"), dc_service_name(cat, s), down,
		down == 1 ? " goes" : "s go", deg, deg == 1 ? "s" : "");
	dc__text_assumptions(fp, opts);
	return 0;
}

int dc__text_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_id from = dc_paths_from(paths), to = dc_paths_to(paths);
	dc_state st = dc_impact_state(to_fails, from);
	size_t i, k, n = dc_paths_count(paths);
	if (!n) {
		fprintf(fp, "%s does not depend on %s\n", dc_service_name(cat, from), dc_service_name(cat, to));
		return 0;
	}
	for (i = 0; i < n; i++) {
		const size_t *hop;
		size_t len = dc_paths_hops(paths, i, &hop);
		fprintf(fp, "%s%s", i == 0 ? "shortest: " : "          ", dc_service_name(cat, from));
		for (k = 0; k < len; k++) {
			const char *kind = dc_dep_group(cat, hop[k]) ? "any_of"
					   : dc_dep_kind_name(dc_dep_kind_of(cat, hop[k]));
			fprintf(fp, " -%s-> %s", kind, dc_service_name(cat, dc_dep_to(cat, hop[k])));
		}
		fputc('\n', fp);
	}
	if (dc_paths_truncated(paths))
		fprintf(fp, "          (more chains may exist; --max raises the limit)\n");
	fprintf(fp, "if %s fails alone, %s is %s%s%s\n", dc_service_name(cat, to), dc_service_name(cat, from),
		dc__color(opts, st == DC_STATE_DOWN ? "red" : st == DC_STATE_DEGRADED ? "yellow" : "green"),
		st == DC_STATE_DOWN ? "DOWN" : st == DC_STATE_DEGRADED ? "DEGRADED" : "UP (still up)",
		dc__color(opts, "reset"));
	return 0;
}

/* ---- failures: simulate, analyze, critical path -------------------------- */

#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* -- traffic -- */

const char *dc__rps_str(char *buf, size_t size, double v)
{
	char *p;
	snprintf(buf, size, "%.2f", v);
	if ((p = strchr(buf, '.'))) {
		char *e = p + strlen(p) - 1;
		while (e > p && *e == '0')
			*e-- = '\0';
		if (e == p)
			*p = '\0';
	}
	return buf;
}

const char *dc__lost_str(char *buf, size_t size, double rps, size_t unknown)
{
	char r[64];
	if (unknown && rps <= 0)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%s%s", unknown ? ">= " : "", dc__rps_str(r, sizeof(r), rps));
	return buf;
}

/* Where the traffic comes from, in words: "3 of 4 entrypoints: 2
 * declared, 1 observed" */
static void traffic_origins(FILE *fp, size_t declared, size_t observed, size_t entrypoints)
{
	size_t known = declared + observed;
	fprintf(fp, "%zu of %zu entrypoint%s: ", known, entrypoints, entrypoints == 1 ? "" : "s");
	if (declared)
		fprintf(fp, "%zu declared", declared);
	if (observed)
		fprintf(fp, "%s%zu observed", declared ? ", " : "", observed);
}

/* "130 rps lost", ">= 130 rps lost", "rps lost unknown" */
static void lost_phrase(FILE *fp, const dc_blast *b, dc_id s)
{
	char buf[80];
	if (dc_blast_lost_unknown(b, s) && dc_blast_lost_rps(b, s) <= 0)
		fputs("rps lost unknown", fp);
	else
		fprintf(fp, "%s rps lost", dc__lost_str(buf, sizeof(buf), dc_blast_lost_rps(b, s),
							 dc_blast_lost_unknown(b, s)));
}

/* The traffic section of a scenario: each entrypoint DOWN with what it
 * loses and where the number comes from, the total (partial when some of
 * them have no known traffic), what degraded entrypoints carry. Only when
 * some entrypoint's traffic is known. */
static void sim_traffic(FILE *fp, const dc_simulation *s, size_t limit, int nw, const dc_output_options *opts)
{
	const dc_impact *imp = dc_simulation_impact(s);
	const dc_catalog *cat = dc_graph_catalog(dc_simulation_graph(s));
	const dc_traffic *tr = dc_simulation_traffic(s);
	dc_simulation_loss loss = dc_simulation_traffic_loss(s);
	dc_simulation_counts sum = dc_simulation_summary(s);
	const dc_id *tl;
	size_t i, n = dc_simulation_timeline(s, &tl), shown = 0;
	char a[64], b[64];

	if (!loss.known)
		return;
	fprintf(fp, "\n%sTraffic lost at entrypoints:%s %s rps of %s known (", dc__color(opts, "bold"),
		dc__color(opts, "reset"), dc__lost_str(a, sizeof(a), loss.lost_rps, loss.lost_unknown),
		dc__rps_str(b, sizeof(b), loss.known_rps));
	traffic_origins(fp, dc_traffic_count_by_origin(tr, DC_TRAFFIC_DECLARED),
			dc_traffic_count_by_origin(tr, DC_TRAFFIC_OBSERVED), sum.entrypoints);
	fputs(")\n", fp);
	for (i = 0; i < n; i++) {
		dc_id v = tl[i];
		double r = dc_traffic_rps(tr, v);
		if (dc_impact_state(imp, v) != DC_STATE_DOWN || !dc_service_is_entrypoint(cat, v) || shown++ >= limit)
			continue;
		if (r >= 0)
			fprintf(fp, "  %-*s  %10s rps lost  (%s)\n", nw, dc_service_name(cat, v),
				dc__rps_str(a, sizeof(a), r), dc_traffic_origin_name(dc_traffic_origin_of(tr, v)));
		else
			fprintf(fp, "  %-*s  %10s          (no traffic_rps declared, none observed)\n", nw,
				dc_service_name(cat, v), "unknown");
	}
	if (shown > limit)
		fprintf(fp, "  ... and %zu more (--limit 0 lists every one)\n", shown - limit);
	if (loss.lost_unknown)
		fprintf(fp, "  partial: %zu entrypoint%s down with no known traffic: at least %s rps lost\n",
			loss.lost_unknown, loss.lost_unknown == 1 ? "" : "s", dc__rps_str(a, sizeof(a), loss.lost_rps));
	if (loss.degraded_rps > 0 || loss.degraded_unknown) {
		size_t nd = 0, k;
		for (k = 0; k < n; k++)
			nd += dc_impact_state(imp, tl[k]) == DC_STATE_DEGRADED && dc_service_is_entrypoint(cat, tl[k]);
		fprintf(fp, "  at risk, not counted as lost: %s rps at %zu degraded entrypoint%s (still answering)%s\n",
			dc__lost_str(a, sizeof(a), loss.degraded_rps, loss.degraded_unknown), nd, nd == 1 ? "" : "s",
			loss.degraded_unknown ? ", some of unknown traffic" : "");
	}
}

/* -- simulate --fail -- */

static long long sim_ms(uint64_t t)
{
	return t > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)t;
}

/* One timeline row: time, state, name, then the chain of causes back to
 * what failed (the hops whose costs add up to the time). */
static void sim_event(FILE *fp, const dc_simulation *s, dc_id v, int tw, int nw, const dc_output_options *opts)
{
	const dc_impact *imp = dc_simulation_impact(s);
	const dc_catalog *cat = dc_graph_catalog(dc_simulation_graph(s));
	int down = dc_impact_state(imp, v) == DC_STATE_DOWN;
	const char *why;
	char tbuf[32];
	snprintf(tbuf, sizeof(tbuf), "+%lld", sim_ms(dc_impact_time_ms(imp, v)));
	fprintf(fp, "  %*s ms  %s%-8s%s  %-*s", tw, tbuf, dc__color(opts, down ? "red" : "yellow"),
		down ? "DOWN" : "DEGRADED", dc__color(opts, "reset"), nw, dc_service_name(cat, v));
	if (dc_service_is_entrypoint(cat, v))
		fprintf(fp, "  %s(entrypoint)%s", dc__color(opts, "bold"), dc__color(opts, "reset"));
	if (dc_impact_cause(imp, v) == UINT32_MAX) {
		fprintf(fp, "  (%s)", dc_simulation_cause(s, v));
	} else {
		/* degraded over a telemetry edge: what it lost is its telemetry */
		int telemetry = !down && dc_dep_is_telemetry(cat, dc_impact_cause(imp, v));
		fputc(' ', fp);
		while (dc_impact_cause(imp, v) != UINT32_MAX) {
			size_t d = dc_impact_cause(imp, v);
			v = dc_dep_to(cat, d);
			/* fputs, not fprintf: a big outage prints millions of hops */
			fputs(" <- ", fp);
			fputs(dc_service_name(cat, v), fp);
			if (dc_dep_is_observed(cat, d)) /* a call no input declares */
				fputs(" [observed]", fp);
		}
		why = dc_simulation_cause(s, v);
		if (strcmp(why, "seed"))
			fprintf(fp, " (%s)", why);
		if (telemetry)
			fputs("  (telemetry lost)", fp);
	}
	fputc('\n', fp);
}

int dc__text_simulation(FILE *fp, const dc_simulation *s, size_t limit, const dc_output_options *opts)
{
	const dc_impact *imp = dc_simulation_impact(s);
	const dc_catalog *cat = dc_graph_catalog(dc_simulation_graph(s));
	dc_simulation_counts sum = dc_simulation_summary(s);
	const char *const *sels;
	const dc_id *tl;
	size_t i, n = dc_simulation_timeline(s, &tl), nsel = dc_selection_selectors(dc_simulation_selection(s), &sels);
	size_t shown = 0;
	int tw = 4, nw = 1;

	if (!limit)
		limit = (size_t)-1;
	/* column widths over every row, shown or not, as before the cut */
	for (i = 0; i < n; i++) {
		int l = (int)strlen(dc_service_name(cat, tl[i]));
		if (l > nw)
			nw = l;
		l = snprintf(NULL, 0, "+%lld", sim_ms(dc_impact_time_ms(imp, tl[i])));
		if (l > tw)
			tw = l;
	}
	fprintf(fp, "%sFailed:%s ", dc__color(opts, "bold"), dc__color(opts, "reset"));
	for (i = 0; i < nsel; i++)
		fprintf(fp, "%s%s", i ? ", " : "", sels[i]);
	if (dc_simulation_mode(s) == DC_FAILURE_HANG) {
		/* the rule with per-try timeouts only where some edge has one */
		size_t d, nd = dc_catalog_dep_count(cat);
		int per_try = 0;
		for (d = 0; d < nd && !per_try; d++)
			per_try = dc_dep_setting_is_set(cat, d, DC_DEP_PER_TRY_TIMEOUT);
		fprintf(fp, "  (failure mode hang: a caller notices a failed dependency after "
			"%s)\n", per_try ? "min(timeout, (retries + 1) x per-try timeout) where a per-try "
			"timeout is set, else timeout x (retries + 1)" : "timeout x (retries + 1)");
	}
	else
		fprintf(fp, "  (failure mode error: failures are noticed at once)\n");
	fprintf(fp, "\n%sEntrypoints down:%s%s\n", dc__color(opts, "bold"), dc__color(opts, "reset"),
		sum.entrypoints_down ? "" : " none");
	/* a big outage has tens of thousands of lines: show the first ones of
	 * each section (the earliest), say how many more there are */
	for (i = 0; i < n; i++)
		if (dc_impact_state(imp, tl[i]) == DC_STATE_DOWN && dc_service_is_entrypoint(cat, tl[i]) &&
		    shown++ < limit)
			sim_event(fp, s, tl[i], tw, nw, opts);
	if (shown > limit)
		fprintf(fp, "  ... and %zu more (--limit 0 lists every one)\n", shown - limit);
	fprintf(fp, "\n%sTimeline:%s\n", dc__color(opts, "bold"), dc__color(opts, "reset"));
	for (i = 0; i < n && i < limit; i++)
		sim_event(fp, s, tl[i], tw, nw, opts);
	if (n > limit)
		fprintf(fp, "  ... and %zu more (--limit 0 lists every one)\n", n - limit);
	sim_traffic(fp, s, limit, nw, opts);
	fprintf(fp, "\n%s%zu down, %zu degraded, %zu of %zu entrypoint%s down%s\n", dc__color(opts, "bold"),
		sum.down, sum.degraded, sum.entrypoints_down, sum.entrypoints, sum.entrypoints == 1 ? "" : "s",
		dc__color(opts, "reset"));
	dc__text_assumptions(fp, opts);
	return 0;
}

/* -- simulate --each -- */

/* Whether a single failure does anything worth a row: under the blast
 * order, other services down or degraded; under the traffic order, also
 * traffic lost (an entrypoint's own). Either way those that do nothing come
 * last in the order. */
static int fail_touches(const dc_blast *b, dc_id s, dc_rank_by by)
{
	return dc_blast_down(b, s) || dc_blast_degraded(b, s) ||
	       (by == DC_RANK_TRAFFIC && (dc_blast_lost_rps(b, s) > 0 || dc_blast_lost_unknown(b, s)));
}

/* The line under a traffic ranking: where the numbers come from. */
static void traffic_note(FILE *fp, const dc_blast *b, size_t entrypoints)
{
	size_t unk = dc_blast_traffic_by_origin(b, DC_TRAFFIC_UNKNOWN);
	fputs("  (traffic known at ", fp);
	traffic_origins(fp, dc_blast_traffic_by_origin(b, DC_TRAFFIC_DECLARED),
			dc_blast_traffic_by_origin(b, DC_TRAFFIC_OBSERVED), entrypoints);
	if (unk)
		fprintf(fp, "; \">=\" where entrypoints of unknown traffic go down too");
	fputs(")\n", fp);
}

int dc__text_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, dc_rank_by by,
			     size_t shown, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t i, n = dc_blast_count(b), ne = 0;
	int nw = 7, traffic = dc_blast_traffic_known(b) > 0;
	char buf[80];
	for (i = 0; i < shown; i++)
		if ((int)strlen(dc_service_name(cat, order[i])) > nw)
			nw = (int)strlen(dc_service_name(cat, order[i]));
	for (i = 0; i < n; i++)
		ne += dc_service_is_entrypoint(cat, (dc_id)i) != 0;
	if (by == DC_RANK_TRAFFIC)
		fprintf(fp, "%sEvery single failure%s, ranked by the entrypoint requests/s it loses (then services "
			"down, degraded)", dc__color(opts, "bold"), dc__color(opts, "reset"));
	else
		fprintf(fp, "%sEvery single failure%s, ranked by the other services it takes down (then degrades)",
			dc__color(opts, "bold"), dc__color(opts, "reset"));
	if (shown < n)
		fprintf(fp, ": top %zu of %zu\n", shown, n);
	else
		fprintf(fp, ": all %zu\n", n);
	if (traffic)
		traffic_note(fp, b, ne);
	fputc('\n', fp);
	if (traffic)
		fprintf(fp, "  %4s  %-*s  %12s  %6s  %8s\n", "rank", nw, "service", "rps lost", "down", "degraded");
	else
		fprintf(fp, "  %4s  %-*s  %6s  %8s\n", "rank", nw, "service", "down", "degraded");
	/* ranked by down, then degraded (or traffic lost first): the failures
	 * that touch nobody else come last and are counted, not listed (no rows
	 * of zeros) */
	for (i = 0; i < shown && fail_touches(b, order[i], by); i++) {
		fprintf(fp, "  %4zu  %-*s  ", i + 1, nw, dc_service_name(cat, order[i]));
		if (traffic)
			fprintf(fp, "%12s  ", dc__lost_str(buf, sizeof(buf), dc_blast_lost_rps(b, order[i]),
							     dc_blast_lost_unknown(b, order[i])));
		if (dc_blast_degraded_is_estimate(b, order[i])) {
			/* never in the rows asked for; marked all the same */
			char est[32];
			snprintf(est, sizeof(est), "~%zu", dc_blast_degraded(b, order[i]));
			fprintf(fp, "%6zu  %8s", dc_blast_down(b, order[i]), est);
		} else {
			fprintf(fp, "%6zu  %8zu", dc_blast_down(b, order[i]), dc_blast_degraded(b, order[i]));
		}
		fprintf(fp, "%s\n", dc_service_is_entrypoint(cat, order[i]) ? "  (entrypoint)" : "");
	}
	if (i < shown)
		fprintf(fp, "  (%zu more: %s failure takes nothing else down or degraded%s)\n", shown - i,
			shown - i == 1 ? "its" : "their", by == DC_RANK_TRAFFIC ? " and loses no traffic" : "");
	/* the order below the rows shown rests on estimates: said, with the way out */
	if (dc_blast_estimated_count(b))
		fprintf(fp, "  (the degraded counts of %zu services below these rows are estimates; --exact "
			"computes them all)\n", dc_blast_estimated_count(b));
	dc__text_assumptions(fp, opts);
	return 0;
}

/* -- analyze -- */

static void an_edge(FILE *fp, const dc_catalog *cat, uint32_t e, const dc_output_options *opts)
{
	fprintf(fp, "    %s -> %s", dc_service_name(cat, dc_dep_from(cat, e)), dc_service_name(cat, dc_dep_to(cat, e)));
	fprintf(fp, " (%s%s%s)", dc_dep_group(cat, e) ? "any_of, " : "", dc_dep_kind_name(dc_dep_kind_of(cat, e)),
		dc_dep_is_startup(cat, e) ? ", startup" : "");
	dc__text_where(fp, opts, dc_dep_location(cat, e));
	fputc('\n', fp);
}

static const char *n3(char *buf, size_t size, double x);

/* Retry storm risks (dc_analysis_load_risks): the solved rows with their
 * trigger, the others as bounds, each said for what it is. */
static void an_load_risks(FILE *fp, const dc_overload_risks *r, const dc_catalog *cat, size_t top,
			  const dc_output_options *opts)
{
	const dc_overload_risk *w;
	size_t n = dc_overload_risks_get(r, &w), ns = dc_overload_risks_solved(r), i;
	char a[64], b[64], c[64];
	dc__text_section(fp, opts, "retry storm risks (the most load one failure or hang can send to a service)", n);
	if (n && !opts->quiet && dc_overload_risks_nominal(r))
		fprintf(fp, "  (too large to solve here: every row is an upper bound over the nominal load, every "
			"call made once and nothing failing; simulate --load solves one scenario)\n");
	else if (n && !opts->quiet)
		fprintf(fp, "  (ampl: offered load / offered without a trigger, retries included; the %zu largest "
			"bounds solved for the service failing and hanging; 'up to': an upper bound, not solved)\n", ns);
	for (i = 0; i < n && i < top; i++) {
		const dc_overload_risk *x = &w[i];
		fprintf(fp, "  %-32s ", dc_service_name(cat, x->service));
		if (x->kind == DC_OVERLOAD_RISK_BOUND) {
			if (isinf(x->bound))
				fputs("unbounded (a cycle with declared calls feeds it)", fp);
			else
				fprintf(fp, "up to x%s (%s -> %s rps", n3(a, sizeof(a), x->bound),
					n3(b, sizeof(b), x->baseline_rps), n3(c, sizeof(c), x->bound_rps));
		} else {
			/* a figure that rounds like its bound is shown to 6 digits,
			 * and the bound with it (below) */
			n3(a, sizeof(a), x->amplification);
			if (x->kind == DC_OVERLOAD_RISK_SOLVED && !isinf(x->bound) && !strcmp(a, n3(b, sizeof(b), x->bound)))
				snprintf(a, sizeof(a), "%.6g", x->amplification);
			fprintf(fp, "x%s (%s -> %s rps", a, n3(b, sizeof(b), x->baseline_rps),
				n3(c, sizeof(c), x->offered_rps));
		}
		if (!(x->kind == DC_OVERLOAD_RISK_BOUND && isinf(x->bound))) {
			if (x->capacity_rps >= 0)
				fprintf(fp, ", capacity %s)", n3(a, sizeof(a), x->capacity_rps));
			else
				fputs(", no capacity declared)", fp);
		}
		if (x->over_capacity)
			fputs(x->kind == DC_OVERLOAD_RISK_BOUND ? " may be PAST CAPACITY" : " PAST CAPACITY", fp);
		if (x->kind != DC_OVERLOAD_RISK_BOUND)
			fprintf(fp, " if it %s%s", x->how == DC_OVERLOAD_RISK_FAILS ? "fails" : "hangs",
				x->kind == DC_OVERLOAD_RISK_EXACT ? " (exact: no single failure or hang does worse)" : "");
		if (x->kind == DC_OVERLOAD_RISK_SOLVED) {
			/* a bound that rounds like the figure is shown to 6 digits */
			if (!isinf(x->bound) && !strcmp(n3(a, sizeof(a), x->bound), n3(b, sizeof(b), x->amplification)))
				snprintf(a, sizeof(a), "%.6g", x->bound);
			else if (!isinf(x->bound))
				n3(a, sizeof(a), x->bound);
			fprintf(fp, " (any single trigger: at most %s%s)", isinf(x->bound) ? "" : "x",
				isinf(x->bound) ? "unbounded" : a);
		}
		if (x->kind != DC_OVERLOAD_RISK_BOUND && !x->converged)
			fputs(" (did not converge)", fp);
		if (x->baseline_over)
			fputs(" (past a limit already without a trigger)", fp);
		fputc('\n', fp);
	}
	dc__text_more(fp, i, n);
	if (!dc_overload_risks_converged(r))
		fputs("  warning: the baseline solve did not converge: the figures rest on its last iterate\n", fp);
}

static void an_cycles(FILE *fp, const dc_analysis *a, const dc_catalog *cat, dc_edge_set edges, size_t top,
		      const dc_output_options *opts)
{
	int hard = edges == DC_EDGES_HARD_ONLY;
	size_t n = dc_analysis_cycle_count(a, edges), i, k;
	dc__text_section(fp, opts, edges == DC_EDGES_STARTUP ? "startup cycles (a cold start cannot happen)"
			 : hard ? "hard cycles (members share one fate)" : "cycles (runtime edges)", n);
	for (i = 0; i < n && i < top; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm = dc_analysis_cycle_members(a, edges, i, &mem);
		size_t ne = dc_analysis_cycle_edges(a, edges, i, &ed);
		fprintf(fp, "  %zu services:", nm);
		for (k = 0; k < nm && k < top; k++)
			fprintf(fp, "%s %s", k ? "," : "", dc_service_name(cat, mem[k]));
		if (nm > top)
			fprintf(fp, ", ... (%zu more)", nm - top);
		fputc('\n', fp);
		for (k = 0; k < ne && k < top; k++)
			an_edge(fp, cat, ed[k], opts);
		if (ne > top)
			fprintf(fp, "    ... and %zu more edges\n", ne - top);
	}
	dc__text_more(fp, i, n);
}

int dc__text_analysis(FILE *fp, const dc_analysis *a, size_t top, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_analysis_graph(a));
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *eps;
	const uint32_t *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, ne;
	dc_id *path;
	const char *bold = dc__color(opts, "bold"), *reset = dc__color(opts, "reset");

	fprintf(fp, "%s%zu service%s, %zu dependenc%s, %zu entrypoint%s%s\n", bold, dc_catalog_service_count(cat),
		dc_catalog_service_count(cat) == 1 ? "" : "s", dc_catalog_dep_count(cat), dc_catalog_dep_count(cat) == 1 ? "y" : "ies",
		dc_analysis_entrypoint_count(a), dc_analysis_entrypoint_count(a) == 1 ? "" : "s", reset);
	n = dc_analysis_cycle_count(a, DC_EDGES_ALL);
	fprintf(fp, "%zu cycle%s, ", n, n == 1 ? "" : "s");
	n = dc_analysis_cycle_count(a, DC_EDGES_HARD_ONLY);
	fprintf(fp, "%zu hard cycle%s, ", n, n == 1 ? "" : "s");
	if ((n = dc_analysis_cycle_count(a, DC_EDGES_STARTUP)) > 0) /* said only when there is one */
		fprintf(fp, "%zu startup cycle%s, ", n, n == 1 ? "" : "s");
	fprintf(fp, "max depth %zu, ", dc_analysis_max_depth(a));
	n = dc_blast_spof_count(b);
	fprintf(fp, "%zu SPOF%s\n", n, n == 1 ? "" : "s");

	n = dc_analysis_spofs(a, &ids);
	dc__text_section(fp, opts, "single points of failure (their lone failure takes entrypoints down)", n);
	for (i = 0; i < n && i < top; i++) {
		size_t total = dc_analysis_spof_total(a, ids[i]);
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		fprintf(fp, "  %-32s %zu entrypoint%s:", dc_service_name(cat, ids[i]), total, total == 1 ? "" : "s");
		for (k = 0; k < ne && k < top; k++)
			fprintf(fp, "%s %s", k ? "," : "", dc_service_name(cat, eps[k]));
		if (total > k)
			fprintf(fp, ", ... (%zu more)", total - k);
		fputc('\n', fp);
	}
	dc__text_more(fp, i, n);

	n = dc_analysis_blast_order(a, &ids);
	/* the order is by down, then degraded: the services whose failure
	 * touches nobody else come last and are counted, not listed (no rows
	 * of zeros) */
	{
		size_t nz = n, shown_est = 0;
		dc_rank_by by = dc_analysis_rank_by(a);
		int traffic = dc_blast_traffic_known(b) > 0;
		while (nz > 0 && !fail_touches(b, ids[nz - 1], by))
			nz--;
		dc__text_section(fp, opts, by == DC_RANK_TRAFFIC ? "biggest traffic loss (entrypoint requests/s lost "
				 "when it fails alone; other services down / degraded)"
				 : "biggest blast radii (other services down / degraded when it fails alone)", nz);
		if (traffic && nz)
			traffic_note(fp, b, dc_analysis_entrypoint_count(a));
		for (i = 0; i < nz && i < top; i++) {
			fprintf(fp, "  %-32s ", dc_service_name(cat, ids[i]));
			if (by == DC_RANK_TRAFFIC) {
				lost_phrase(fp, b, ids[i]);
				fputs(", ", fp);
			}
			if (dc_blast_degraded_is_estimate(b, ids[i])) {
				size_t lo, hi;
				dc_blast_degraded_bounds(b, ids[i], &lo, &hi);
				fprintf(fp, "%zu down, ~%zu degraded (estimate: %zu to %zu)", dc_blast_down(b, ids[i]),
					dc_blast_degraded(b, ids[i]), lo, hi);
				shown_est++;
			} else {
				fprintf(fp, "%zu down, %zu degraded", dc_blast_down(b, ids[i]),
					dc_blast_degraded(b, ids[i]));
			}
			if (by != DC_RANK_TRAFFIC && traffic) {
				fputs(", ", fp);
				lost_phrase(fp, b, ids[i]);
			}
			fputc('\n', fp);
		}
		dc__text_more(fp, i, nz);
		if (nz < n)
			fprintf(fp, "  (%zu other service%s take%s nothing else down or degraded%s)\n", n - nz,
				n - nz == 1 ? "" : "s", n - nz == 1 ? "s" : "",
				by != DC_RANK_TRAFFIC ? "" : n - nz == 1 ? " and loses no traffic" : " and lose no traffic");
		/* never an estimate presented as exact */
		if (dc_blast_estimated_count(b))
			fprintf(fp, "  (the degraded counts of %zu services are estimates, %s; --exact computes them all)\n",
				dc_blast_estimated_count(b),
				shown_est ? "marked ~ above" : "none of the rows above");
	}

	an_cycles(fp, a, cat, DC_EDGES_HARD_ONLY, top, opts);
	if (dc_analysis_cycle_count(a, DC_EDGES_STARTUP))
		an_cycles(fp, a, cat, DC_EDGES_STARTUP, top, opts);

	n = dc_analysis_longest_hard_chain(a, &ids);
	fprintf(fp, "\n%slongest hard chain%s (%zu service%s)\n", bold, reset, n, n == 1 ? "" : "s");
	if (n) {
		fprintf(fp, " ");
		for (i = 0; i < n; i++)
			fprintf(fp, " %s%s", i ? "-> " : "", dc_service_name(cat, ids[i]));
		fputc('\n', fp);
	}

	n = dc_analysis_hubs(a, DC_HUBS_FAN_IN, &ids, &cnt);
	fprintf(fp, "\n%shubs%s\n  fan-in (dependents):", bold, reset);
	for (i = 0; i < n && i < top; i++)
		fprintf(fp, "%s %s (%u)", i ? "," : "", dc_service_name(cat, ids[i]), cnt[i]);
	n = dc_analysis_hubs(a, DC_HUBS_FAN_OUT, &ids, &cnt);
	fprintf(fp, "\n  fan-out (dependencies):");
	for (i = 0; i < n && i < top; i++)
		fprintf(fp, "%s %s (%u)", i ? "," : "", dc_service_name(cat, ids[i]), cnt[i]);
	fputc('\n', fp);

	n = dc_analysis_amplification(a, &amp);
	dc__text_section(fp, opts, "retry amplification (worst-case calls per user request)", n);
	for (i = 0; i < n && i < top; i++) {
		if (amp[i].unbounded)
			fprintf(fp, "  %-32s unbounded (a retrying cycle calls it)", dc_service_name(cat, amp[i].service));
		else
			/* a retry budget gives fractions (x1.25); whole factors as before */
			fprintf(fp, amp[i].factor == floor(amp[i].factor) ? "  %-32s x%.0f%s" : "  %-32s x%.2f%s",
				dc_service_name(cat, amp[i].service), amp[i].factor,
				amp[i].factor >= DC_AMPLIFICATION_MAX ? " or more (saturated)" : "");
		fprintf(fp, "  via");
		path = malloc((amp[i].path_len ? amp[i].path_len : 1) * sizeof(dc_id));
		if (!path)
			return DC_ENOMEM;
		dc_analysis_amplification_path(a, i, path, amp[i].path_len);
		for (k = 0; k < amp[i].path_len; k++)
			fprintf(fp, " %s%s", k ? "-> " : "", dc_service_name(cat, path[k]));
		free(path);
		fputc('\n', fp);
	}
	dc__text_more(fp, i, n);

	n = dc_analysis_timeout_violations(a, &tv);
	dc__text_section(fp, opts, "timeout budget violations (caller gives up while the callee still retries)", n);
	for (i = 0; i < n && i < top; i++) {
		fprintf(fp, "  %s -> %s: timeout %.0f ms <= needed %.0f ms", dc_service_name(cat, dc_dep_from(cat, tv[i].dep)),
			dc_service_name(cat, dc_dep_to(cat, tv[i].dep)), tv[i].timeout_ms, tv[i].needed_ms);
		dc__text_where(fp, opts, dc_dep_location(cat, tv[i].dep));
		fputc('\n', fp);
	}
	dc__text_more(fp, i, n);
	if (!opts->quiet && (i = dc_analysis_timeout_default_count(a)) > 0)
		fprintf(fp, "  (%zu more on default timeouts, not judged: write timeout_ms on the edge)\n", i);
	if (dc_analysis_load_risks(a))
		an_load_risks(fp, dc_analysis_load_risks(a), cat, top, opts);
	dc__text_assumptions(fp, opts);
	return 0;
}

/* -- critical path -- */

/* Trees deeper than this are indented this far, then their depth is
 * written instead: a 10,000-hop chain stays readable. */
#define CP_MAX_INDENT 24

/* milliseconds rounded to the microsecond, trailing zeros dropped: the
 * same value JSON writes */
static const char *cp_ms(char *buf, size_t n, double v)
{
	char *p;
	snprintf(buf, n, "%.3f", round(v * 1000.0) / 1000.0);
	p = buf + strlen(buf) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (!strcmp(buf, "-0"))
		snprintf(buf, n, "0");
	return buf;
}

/* Tree drawing: last[i] = 1 when hop i is the last child of its parent
 * (hops come in pre-order); `seen` is n bytes of zeros, left zero. */
static void cp_mark_last(const dc_critical_hop *h, size_t n, uint8_t *last, uint8_t *seen)
{
	size_t i;
	for (i = n; i-- > 0;) {
		uint32_t p = h[i].parent;
		if (p == UINT32_MAX) {
			last[i] = 1;
			continue;
		}
		last[i] = !seen[p];
		seen[p] = 1;
	}
	memset(seen, 0, n);
}

static void cp_tree(FILE *fp, const dc_critical *cp, const dc_catalog *cat, const dc_critical_hop *h, size_t n,
		    const uint8_t *last, const dc_output_options *opts)
{
	uint8_t anc[CP_MAX_INDENT];
	char b1[48], b2[48], b3[48];
	size_t i;
	unsigned k;
	for (i = 0; i < n; i++) {
		unsigned d = h[i].depth;
		if (d > 0 && d <= CP_MAX_INDENT)
			anc[d - 1] = last[i];
		/* ancestors' columns: a bar while they have siblings still to come */
		for (k = 1; k < d && k <= CP_MAX_INDENT; k++)
			fputs(anc[k - 1] ? "   " : "\xe2\x94\x82  ", fp);
		if (d > CP_MAX_INDENT)
			fprintf(fp, "[depth %u] ", d);
		if (d > 0)
			fputs(last[i] ? "\xe2\x94\x94\xe2\x94\x80 " : "\xe2\x94\x9c\xe2\x94\x80 ", fp);
		fprintf(fp, "%s%s%s @%s ms (own %s ms", d == 0 ? dc__color(opts, "bold") : "",
			dc_service_name(cat, h[i].service), d == 0 ? dc__color(opts, "reset") : "",
			cp_ms(b1, sizeof(b1), h[i].end_ms), cp_ms(b2, sizeof(b2), h[i].own_ms));
		if (d > 0)
			fprintf(fp, ", stage %u, called @%s ms", h[i].stage, cp_ms(b3, sizeof(b3), h[i].start_ms));
		fputc(')', fp);
		if (dc_critical_latency_observed(cp, h[i].service))
			fputs(" [observed]", fp);
		if (h[i].in_cycle)
			fprintf(fp, " %s[cycle]%s", dc__color(opts, "yellow"), dc__color(opts, "reset"));
		if (h[i].repeated && h[i].end_ms - h[i].start_ms > h[i].own_ms)
			fputs(" (expanded above)", fp);
		fputc('\n', fp);
	}
}

int dc__text_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_critical_paths_graph(p));
	size_t i, n = dc_critical_paths_count(p), nh, cap = 0, nign;
	size_t lim = dc__output_list_limit(opts), shown = lim && lim < n ? lim : n;
	const dc_critical_hop *h;
	const uint32_t *ign;
	uint8_t *last = NULL, *seen = NULL;
	int rc = 0;

	if (n && !opts->quiet)
		fprintf(fp, "@ = when a service answers, counting from the request reaching the first service at 0 ms\n");
	if (!n)
		fprintf(fp, "no entrypoints\n");
	for (i = 0; i < shown; i++) {
		if ((rc = dc_critical_paths_chain(p, i, &h, &nh, NULL, NULL)))
			goto out;
		if (nh > cap) {
			free(last);
			free(seen);
			cap = nh;
			last = malloc(cap);
			seen = calloc(cap, 1);
			if (!last || !seen) {
				rc = DC_ENOMEM;
				goto out;
			}
		}
		fputc('\n', fp);
		cp_mark_last(h, nh, last, seen);
		cp_tree(fp, dc_critical_paths_critical(p), cat, h, nh, last, opts);
	}
	/* a tree per entrypoint is N^2 lines with N entrypoints: the slowest
	 * `lim` are written, and how many were left out */
	if (shown < n)
		fprintf(fp, "\n... and %zu more entrypoint%s (faster; --all shows every chain)\n", n - shown,
			n - shown == 1 ? "" : "s");
	if (n && dc_critical_observed_count(dc_critical_paths_critical(p)))
		fprintf(fp, "\n[observed]: %zu service%s declare%s no latency; %s time is the slowest observed p50 of the "
			"calls into %s (--observed), less %s own calls\n",
			dc_critical_observed_count(dc_critical_paths_critical(p)),
			dc_critical_observed_count(dc_critical_paths_critical(p)) == 1 ? "" : "s",
			dc_critical_observed_count(dc_critical_paths_critical(p)) == 1 ? "s" : "",
			dc_critical_observed_count(dc_critical_paths_critical(p)) == 1 ? "its" : "their",
			dc_critical_observed_count(dc_critical_paths_critical(p)) == 1 ? "it" : "them",
			dc_critical_observed_count(dc_critical_paths_critical(p)) == 1 ? "its" : "their");
	nign = dc_critical_paths_ignored(p, &ign);
	if (nign) {
		fprintf(fp, "\nnote: %zu call%s inside a cycle %s not timed (the chains above pass through it):\n", nign,
			nign == 1 ? "" : "s", nign == 1 ? "is" : "are");
		for (i = 0; i < nign; i++)
			fprintf(fp, "%s%s -> %s", i ? ", " : "  ", dc_service_name(cat, dc_dep_from(cat, ign[i])),
				dc_service_name(cat, dc_dep_to(cat, ign[i])));
		fputc('\n', fp);
	}
	dc__text_assumptions(fp, opts);
out:
	free(last);
	free(seen);
	return rc;
}

/* ---- availability and plan ------------------------------------------------ */

#include <math.h>
#include <stdlib.h>

/* minutes in 30 days: downtime per month */
#define MIN_PER_30D 43200.0

static void avail_row(FILE *fp, const dc_availability_report *r, dc_id s)
{
	const dc_catalog *cat = dc_graph_catalog(r->g);
	const dc_availability_estimate *e = dc_availability_of(r->a, s);
	double slo = dc_service_slo(cat, s);
	char sl[32], ci[64], nines[16];
	if (e->method == DC_AVAIL_NONE) {
		fprintf(fp, "  %-28s %-10s\n", dc_service_name(cat, s), "-");
		return;
	}
	if (slo >= 0)
		snprintf(sl, sizeof(sl), "%g", slo);
	else
		snprintf(sl, sizeof(sl), "-");
	if (e->method == DC_AVAIL_EXACT)
		snprintf(ci, sizeof(ci), "exact");
	else
		snprintf(ci, sizeof(ci), "[%.6f, %.6f]", e->ci_low, e->ci_high);
	if (e->availability < 1)
		snprintf(nines, sizeof(nines), "%.2f", -log10(1 - e->availability));
	else
		snprintf(nines, sizeof(nines), "inf");
	fprintf(fp, "  %-28s %.6f %6s  %-22s %-7s %9.1f min%s\n", dc_service_name(cat, s), e->availability, nines,
		ci, sl, (1 - e->availability) * MIN_PER_30D,
		dc_service_is_entrypoint(cat, s) ? "  (entrypoint)" : "");
	if (dc_service_availability_source(cat, s) == DC_AVAIL_SOURCE_MEASURED)
		fprintf(fp, "  %-28s own availability %g measured\n", "", dc_service_availability(cat, s));
}

int dc__text_availability(FILE *fp, const dc_availability_report *r, const dc_output_options *opts)
{
	static const dc_availability_options defaults = DC_AVAILABILITY_OPTIONS_INIT;
	const dc_availability_options *ao = r->options ? r->options : &defaults;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	const dc_availability *a = r->a;
	const dc_id *rows = r->rows, *eps;
	size_t n = r->nrows, nmiss = r->nmiss, top = r->top ? r->top : 10;
	size_t neps = dc_availability_entrypoints(a, &eps), i, k, nslo = 0, nexact = 0, shown, nunk = 0;
	for (i = 0; i < n; i++) {
		nslo += dc_service_slo(cat, rows[i]) >= 0;
		nexact += dc_availability_of(a, rows[i])->method == DC_AVAIL_EXACT;
		nunk += dc_availability_slo_unknown(a, r->g, rows[i]) != 0;
	}
	fprintf(fp, "%s%zu service%s, %zu entrypoint%s: %zu exact, %zu by Monte Carlo", dc__color(opts, "bold"), n,
		n == 1 ? "" : "s", neps, neps == 1 ? "" : "s", nexact, n - nexact);
	if (dc_availability_trials(a))
		fprintf(fp, " (%llu trials, seed %llu)", (unsigned long long)dc_availability_trials(a),
			(unsigned long long)ao->seed);
	if (ao->zone_failure > 0)
		fprintf(fp, ", zone failure %g", ao->zone_failure);
	fprintf(fp, "%s\n", dc__color(opts, "reset"));
	fprintf(fp, "%zu SLO miss%s", nmiss, nmiss == 1 ? "" : "es");
	if (nunk)
		fprintf(fp, "; %zu below %s SLO on default availabilities only (unknown, not a miss)", nunk,
			nunk == 1 ? "its" : "their");
	fputc('\n', fp);
	{
		size_t cnt[3] = { 0, 0, 0 }, id, nsvc = dc_catalog_service_count(cat);
		for (id = 0; id < nsvc; id++)
			cnt[dc_service_availability_source(cat, (dc_id)id)]++;
		if (cnt[DC_AVAIL_SOURCE_MEASURED])
			fprintf(fp, "own availabilities: %zu measured, %zu declared, %zu default\n",
				cnt[DC_AVAIL_SOURCE_MEASURED], cnt[DC_AVAIL_SOURCE_DECLARED],
				cnt[DC_AVAIL_SOURCE_DEFAULT]);
	}
	fprintf(fp, "\n  %-28s %-8s %6s  %-22s %-7s %13s\n", "service", "avail.", "nines", "95% interval", "slo",
		"downtime/30d");
	if (nmiss) {
		fprintf(fp, "%sSLO misses (%zu)%s\n", dc__color(opts, "bold"), nmiss, dc__color(opts, "reset"));
		for (i = 0; i < nmiss; i++)
			avail_row(fp, r, rows[i]);
	}
	if (nunk) {
		fprintf(fp, "%sSLO unknown: below, on default availabilities only (%zu)%s\n", dc__color(opts, "bold"),
			nunk, dc__color(opts, "reset"));
		for (i = nmiss; i < nmiss + nunk; i++)
			avail_row(fp, r, rows[i]);
	}
	if (nslo > nmiss + nunk) {
		fprintf(fp, "%sSLO met (%zu)%s\n", dc__color(opts, "bold"), nslo - nmiss - nunk,
			dc__color(opts, "reset"));
		for (i = nmiss + nunk; i < nslo; i++)
			avail_row(fp, r, rows[i]);
	}
	if (n > nslo) {
		fprintf(fp, "%slowest availability, no SLO (%zu)%s\n", dc__color(opts, "bold"), n - nslo,
			dc__color(opts, "reset"));
		for (i = nslo, shown = 0; i < n && shown < top; i++, shown++)
			avail_row(fp, r, rows[i]);
		if (n - nslo > top)
			fprintf(fp, "  ... and %zu more\n", n - nslo - top);
	}
	for (i = 0; i < neps; i++) {
		const dc_importance *imp;
		dc_avail_method m;
		uint64_t tr;
		size_t ni = dc_availability_importance(a, eps[i], &imp, &m, &tr);
		if (!ni && m == DC_AVAIL_NONE)
			fprintf(fp, "\n%simportance for %s%s: skipped (over the work budget of the Monte Carlo estimate)\n",
				dc__color(opts, "bold"), dc_service_name(cat, eps[i]), dc__color(opts, "reset"));
		if (!ni)
			continue;
		fprintf(fp, "\n%simportance for %s%s (%s", dc__color(opts, "bold"), dc_service_name(cat, eps[i]),
			dc__color(opts, "reset"), dc_avail_method_name(m));
		if (m == DC_AVAIL_MONTE_CARLO)
			fprintf(fp, ", %llu trials", (unsigned long long)tr);
		fprintf(fp, ")\n  %-28s %10s %14s\n", "service", "Birnbaum", "Fussell-Vesely");
		for (k = 0; k < ni && k < top; k++)
			fprintf(fp, "  %-28s %10.3g %14.3g\n", dc_service_name(cat, imp[k].service), imp[k].birnbaum,
				imp[k].fussell_vesely);
		if (ni > top)
			fprintf(fp, "  ... and %zu more\n", ni - top);
	}
	for (i = 0; i < neps; i++) {
		const dc_cut_set *cs;
		int complete;
		size_t nc = dc_availability_cut_sets(a, eps[i], &cs, &complete);
		if (!nc && complete)
			continue;
		fprintf(fp, "\n%sminimal cut sets of %s%s (%zu%s)\n", dc__color(opts, "bold"),
			dc_service_name(cat, eps[i]), dc__color(opts, "reset"), nc,
			complete ? "" : ", search cut short: higher orders incomplete");
		for (k = 0; k < nc && k < top; k++) {
			unsigned j;
			fputs("  {", fp);
			for (j = 0; j < cs[k].order; j++)
				fprintf(fp, "%s%s", j ? ", " : "", dc_service_name(cat, cs[k].services[j]));
			fprintf(fp, "}  p = %.3g\n", cs[k].probability);
		}
		if (nc > top)
			fprintf(fp, "  ... and %zu more\n", nc - top);
	}
	dc__text_assumptions(fp, opts);
	return 0;
}

static const char *plan_order_name(const dc_plan_report *r)
{
	if (r->cold_start)
		return "cold-start";
	return r->order == DC_PLAN_CONSUMERS_FIRST ? "consumers-first" : "providers-first";
}

static void plan_edge(FILE *fp, const dc_output_options *opts, const dc_catalog *cat, uint32_t e)
{
	dc_location l = dc_dep_location(cat, e);
	fprintf(fp, "    %s -> %s (%s%s%s)", dc_service_name(cat, dc_dep_from(cat, e)),
		dc_service_name(cat, dc_dep_to(cat, e)), dc_dep_group(cat, e) ? "any_of, " : "",
		dc_dep_kind_name(dc_dep_kind_of(cat, e)), dc_dep_is_startup(cat, e) ? ", startup" : "");
	if (l.file)
		fprintf(fp, "  %s%s:%u:%u%s", dc__color(opts, "dim"), l.file, l.line, l.column,
			dc__color(opts, "reset"));
	fputc('\n', fp);
}

/* s, then spaces up to width (printf's "%-*s"), into o; returns the end */
static char *put_padded(char *o, const char *s, size_t width)
{
	size_t len = strlen(s);
	memcpy(o, s, len);
	o += len;
	for (; len < width; len++)
		*o++ = ' ';
	return o;
}

/* v in decimal ("%zu") into o; returns the end */
static char *put_size(char *o, size_t v)
{
	char d[24];
	size_t k = 0;
	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (k)
		*o++ = d[--k];
	return o;
}

/* One line per service: a million of them in a full plan of the biggest
 * catalogs, so the line is put together here and written once, the same
 * bytes as the fprintf below in a third of its time; that fprintf writes a
 * line too long for the buffer (a name or owner of hundreds of bytes). */
static void plan_waves(FILE *fp, const dc_output_options *opts, const dc_plan_report *r, const uint8_t *lock,
		       int rollback)
{
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t nw = dc_plan_wave_count(r->plan), i, k;
	char line[512];
	for (i = 0; i < nw; i++) {
		const dc_id *ids;
		size_t n = rollback ? dc_plan_rollback_wave(r->plan, i, &ids) : dc_plan_wave(r->plan, i, &ids);
		fprintf(fp, "\n%sWave %zu%s (%zu service%s)\n", dc__color(opts, "bold"), i + 1,
			dc__color(opts, "reset"), n, n == 1 ? "" : "s");
		for (k = 0; k < n; k++) {
			const char *name = dc_service_name(cat, ids[k]), *owner = dc_service_owner(cat, ids[k]);
			size_t down = r->blast ? dc_blast_down(r->blast, ids[k]) : 0;
			size_t deg = r->blast ? dc_blast_degraded(r->blast, ids[k]) : 0;
			const char *tail = lock[ids[k]] ? "  [lockstep]" : "";
			char *o = line;
			if (!owner)
				owner = "-";
			/* the padded fields, two numbers of 20 digits at most and 39
			 * bytes of text */
			if (strlen(name) + 32 + strlen(owner) + 20 + 40 + 39 > sizeof(line)) {
				fprintf(fp, "  %-32s %-20s blast %zu down, %zu degraded%s\n", name, owner, down, deg, tail);
				continue;
			}
			*o++ = ' ';
			*o++ = ' ';
			o = put_padded(o, name, 32);
			*o++ = ' ';
			o = put_padded(o, owner, 20);
			memcpy(o, " blast ", 7);
			o = put_size(o + 7, down);
			memcpy(o, " down, ", 7);
			o = put_size(o + 7, deg);
			memcpy(o, " degraded", 9);
			o += 9;
			memcpy(o, tail, strlen(tail));
			o += strlen(tail);
			*o++ = '\n';
			fwrite(line, 1, (size_t)(o - line), fp);
		}
	}
}

int dc__text_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts)
{
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t ng = dc_plan_lockstep_count(p), i, k;
	size_t np = dc_plan_service_count(p), nw = dc_plan_wave_count(p);
	/* which services are in a lockstep group: marked on their wave lines */
	uint8_t *lock = calloc(dc_catalog_service_count(cat) + 1, 1);
	if (!lock)
		return DC_ENOMEM;
	for (i = 0; i < ng; i++) {
		const dc_id *mem;
		size_t nm = dc_plan_lockstep_members(p, i, &mem);
		for (k = 0; k < nm; k++)
			lock[mem[k]] = 1;
	}
	fprintf(fp, "%sDeployment plan (%s): %zu service%s in %zu wave%s%s", dc__color(opts, "bold"),
		plan_order_name(r), np, np == 1 ? "" : "s", nw, nw == 1 ? "" : "s", dc__color(opts, "reset"));
	if (nw != dc_plan_depth(p))
		fprintf(fp, " (longest chain %zu, at most %zu per wave)", dc_plan_depth(p), r->max_parallel);
	fputc('\n', fp);
	for (i = 0; i < ng; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm = dc_plan_lockstep_members(p, i, &mem), ne = dc_plan_lockstep_edges(p, i, &ed);
		int startup = 0;
		for (k = 0; k < ne; k++)
			startup |= dc_dep_is_startup(cat, ed[k]);
		if (r->cold_start)
			/* a startup cycle has a startup-only edge; a hard cycle none */
			fprintf(fp, "%serror:%s cold start impossible: %s cycle of %zu services:",
				dc__color(opts, "red"), dc__color(opts, "reset"), startup ? "startup" : "hard", nm);
		else
			fprintf(fp, "%swarning:%s lockstep group of %zu services must ship together in wave %zu:",
				dc__color(opts, "yellow"), dc__color(opts, "reset"), nm, dc_plan_wave_of(p, mem[0]));
		for (k = 0; k < nm; k++)
			fprintf(fp, "%s %s", k ? "," : "", dc_service_name(cat, mem[k]));
		fputc('\n', fp);
		for (k = 0; k < ne; k++)
			plan_edge(fp, opts, cat, ed[k]);
	}
	plan_waves(fp, opts, r, lock, 0);
	if (r->rollback) {
		fprintf(fp, "\n%sRollback%s (reverse order)\n", dc__color(opts, "bold"), dc__color(opts, "reset"));
		plan_waves(fp, opts, r, lock, 1);
	}
	free(lock);
	dc__text_assumptions(fp, opts);
	return 0;
}

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#include <inttypes.h>

void dc__text_violation(FILE *fp, const dc_output_options *opts, const dc_violation *x)
{
	const char *col = x->level == DC_LEVEL_ERROR ? dc__color(opts, "red") : dc__color(opts, "yellow");
	if (x->loc.file)
		fprintf(fp, "%s%s:%u:%u:%s ", dc__color(opts, "bold"), x->loc.file, x->loc.line, x->loc.column,
			dc__color(opts, "reset"));
	fprintf(fp, "%s%s:%s %s %s[%s]%s\n", col, dc_level_name(x->level), dc__color(opts, "reset"), x->message,
		dc__color(opts, "dim"), x->rule, dc__color(opts, "reset"));
}

int dc__text_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts)
{
	size_t n = dc_violations_count(r->v), i;
	size_t ne = dc_violations_count_level(r->v, DC_LEVEL_ERROR);
	size_t nw = dc_violations_count_level(r->v, DC_LEVEL_WARNING);
	size_t nwaived = dc_violations_count_waived(r->v);
	int lv;
	dc__vrule *rules = NULL;
	size_t nrules = 0, *hidden = NULL, nhidden = 0;
	uint8_t *shown = NULL;
	/* the first list_limit findings of each rule (default 100; 0 = all),
	 * then a line per rule that has more */
	if (dc__violation_rules(r, &rules, &nrules) || !(hidden = malloc((nrules + 1) * sizeof(size_t))) ||
	    dc__violations_shown(r, opts, rules, nrules, &shown, hidden)) {
		free(rules);
		free(hidden);
		return DC_ENOMEM;
	}
	for (i = 0; i < nrules; i++)
		nhidden += hidden[i];
	for (lv = DC_LEVEL_ERROR; lv >= DC_LEVEL_WARNING; lv--) {
		size_t cnt = lv == DC_LEVEL_ERROR ? ne : nw;
		if (!cnt || (opts->quiet && lv != DC_LEVEL_ERROR))
			continue;
		if (!opts->quiet)
			fprintf(fp, "%s%s (%zu)%s\n", dc__color(opts, "bold"),
				lv == DC_LEVEL_ERROR ? "errors" : "warnings", cnt, dc__color(opts, "reset"));
		for (i = 0; i < n; i++) {
			const dc_violation *x = dc_violations_get(r->v, i);
			if ((int)x->level == lv && !x->waived && shown[i])
				dc__text_violation(fp, opts, x);
		}
		if (!opts->quiet)
			fputc('\n', fp);
	}
	/* said even with -q (for the errors it lists): a cut list is never
	 * passed off as complete */
	for (i = 0; i < nrules; i++)
		if (hidden[i] && (!opts->quiet || rules[i].level == DC_LEVEL_ERROR))
			fprintf(fp, "... and %zu more [%s] (--limit N or --all to list them)\n", hidden[i], rules[i].id);
	if (nhidden && !opts->quiet)
		fputc('\n', fp);
	free(rules);
	free(hidden);
	if (opts->quiet) {
		free(shown);
		return 0;
	}
	/* accepted by a waiver of the policy: listed with the reason, not counted */
	if (nwaived) {
		fprintf(fp, "%swaived (%zu)%s\n", dc__color(opts, "bold"), nwaived, dc__color(opts, "reset"));
		for (i = 0; i < n; i++) {
			const dc_violation *x = dc_violations_get(r->v, i);
			if (!x->waived || !shown[i])
				continue;
			if (x->loc.file)
				fprintf(fp, "%s%s:%u:%u:%s ", dc__color(opts, "bold"), x->loc.file, x->loc.line,
					x->loc.column, dc__color(opts, "reset"));
			fprintf(fp, "%swaived:%s %s %s[%s]%s\n    reason: %s\n", dc__color(opts, "green"),
				dc__color(opts, "reset"), x->message, dc__color(opts, "dim"), x->rule,
				dc__color(opts, "reset"), x->waived);
		}
		fputc('\n', fp);
	}
	free(shown);
	fprintf(fp, "%s%s %s%s: %zu error%s, %zu warning%s", dc__color(opts, "bold"), r->command,
		r->failed ? "failed" : "passed", dc__color(opts, "reset"), ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	if (r->nbaseline)
		fprintf(fp, "; %zu known violation%s ignored (in the baseline)", r->ignored, r->ignored == 1 ? "" : "s");
	if (nwaived)
		fprintf(fp, "; %zu waived", nwaived);
	fprintf(fp, " (policy: %s)\n", r->policy_name);
	dc__text_assumptions(fp, opts);
	return 0;
}

/* ---- reconcile ---- */

static const char *undeclared_callee(const dc_catalog *cat, const dc_observed *obs, const dc_undeclared *u)
{
	return u->callee != DC_NO_ID ? dc_service_name(cat, u->callee) : dc_observed_callee(obs, u->observed);
}

static size_t stale_hard(const dc_catalog *cat, const uint32_t *deps, size_t n)
{
	size_t i, h = 0;
	for (i = 0; i < n; i++)
		h += dc_dep_kind_of(cat, deps[i]) == DC_DEP_HARD && !dc_dep_group(cat, deps[i]);
	return h;
}

static const char *stale_kind(const dc_catalog *cat, size_t d)
{
	if (dc_dep_group(cat, d))
		return dc_dep_kind_of(cat, d) == DC_DEP_SOFT ? "any_of, soft" : "any_of";
	return dc_dep_kind_name(dc_dep_kind_of(cat, d));
}

int dc__text_reconcile(FILE *fp, const dc_reconcile_report *rep, const dc_output_options *opts)
{
	const dc_reconcile *r = rep->r;
	const dc_observed *obs = rep->observed.observed;
	const dc_catalog *cat = dc_graph_catalog(rep->g);
	const dc_undeclared *u;
	const uint32_t *st;
	const dc_unknown_service *unk;
	size_t limit = rep->limit ? rep->limit : (size_t)-1, nfiles = rep->observed.nfiles;
	uint64_t min_calls = rep->observed.min_calls;
	size_t nu = dc_reconcile_undeclared(r, &u), ns = dc_reconcile_stale(r, &st);
	size_t nk = dc_reconcile_unknown(r, &unk), i, to_unknown = 0, sh = stale_hard(cat, st, ns);
	fprintf(fp, "%sObserved:%s %zu call edge%s in %zu file%s (edges with fewer than %" PRIu64 " call%s ignored)\n",
		dc__color(opts, "bold"), dc__color(opts, "reset"), dc_observed_count(obs),
		dc_observed_count(obs) == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s", min_calls,
		min_calls == 1 ? "" : "s");
	fprintf(fp, "%sDeclared:%s %zu dependenc%s: %zu confirmed, %zu stale, %zu not covered (caller not observed)\n",
		dc__color(opts, "bold"), dc__color(opts, "reset"), dc_catalog_dep_count(cat),
		dc_catalog_dep_count(cat) == 1 ? "y" : "ies", dc_reconcile_confirmed(r), ns,
		dc_reconcile_not_covered(r));
	if (nu) {
		fprintf(fp, "\n%sUndeclared dependencies%s (%zu): observed in production, declared nowhere\n",
			dc__color(opts, "bold"), dc__color(opts, "reset"), nu);
		for (i = 0; i < nu; i++) {
			to_unknown += u[i].callee == DC_NO_ID;
			if (i >= limit)
				continue;
			fprintf(fp, "  %s!%s %s -> %s  %" PRIu64 " call%s%s", dc__color(opts, "red"),
				dc__color(opts, "reset"), dc_service_name(cat, u[i].caller),
				undeclared_callee(cat, obs, &u[i]), u[i].calls, u[i].calls == 1 ? "" : "s",
				u[i].callee == DC_NO_ID ? ", unknown service" : "");
			dc__text_where(fp, opts, dc_observed_location(obs, u[i].observed));
			fputc('\n', fp);
		}
		dc__text_more(fp, nu < limit ? nu : limit, nu);
	}
	if (ns) {
		fprintf(fp, "\n%sStale dependencies%s (%zu): declared, never observed\n", dc__color(opts, "bold"),
			dc__color(opts, "reset"), ns);
		for (i = 0; i < ns && i < limit; i++) {
			fprintf(fp, "  %s-%s %s -> %s (%s)", dc__color(opts, "yellow"), dc__color(opts, "reset"),
				dc_service_name(cat, dc_dep_from(cat, st[i])), dc_service_name(cat, dc_dep_to(cat, st[i])),
				stale_kind(cat, st[i]));
			dc__text_where(fp, opts, dc_dep_location(cat, st[i]));
			fputc('\n', fp);
		}
		dc__text_more(fp, i, ns);
	}
	if (nk) {
		fprintf(fp, "\n%sUnknown services%s (%zu): observed, not in the catalog\n", dc__color(opts, "bold"),
			dc__color(opts, "reset"), nk);
		for (i = 0; i < nk && i < limit; i++) {
			fprintf(fp, "  ? %s  %" PRIu64 " call%s out, %" PRIu64 " in%s", unk[i].name, unk[i].calls_out,
				unk[i].calls_out == 1 ? "" : "s", unk[i].calls_in,
				unk[i].ambiguous ? " (ambiguous: names several services)" : "");
			dc__text_where(fp, opts, dc_observed_location(obs, unk[i].first));
			fputc('\n', fp);
		}
		dc__text_more(fp, i, nk);
	}
	fprintf(fp, "\n%zu undeclared (%zu to catalog services, %zu to unknown ones), %zu stale (%zu hard), "
		"%zu unknown service%s\n", nu, nu - to_unknown, to_unknown, ns, sh, nk, nk == 1 ? "" : "s");
	return 0;
}

/* ---- diff ---- */

static void diff_list(FILE *fp, const dc_catalog *cat, dc_id s, int tags)
{
	size_t n = tags ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s), i;
	fputc('[', fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", tags ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i));
	fputc(']', fp);
}

static void diff_service_value(FILE *fp, const dc_catalog *cat, dc_id s, unsigned bit)
{
	const char *str = NULL;
	switch (bit) {
	case DC_DIFF_OWNER: str = dc_service_owner(cat, s); break;
	case DC_DIFF_SYSTEM: str = dc_service_system(cat, s); break;
	case DC_DIFF_DESCRIPTION: str = dc_service_description(cat, s); break;
	case DC_DIFF_URL: str = dc_service_url(cat, s); break;
	case DC_DIFF_TIER:
		if (dc_service_tier(cat, s))
			fprintf(fp, "%d", dc_service_tier(cat, s));
		else
			fputs("-", fp);
		return;
	case DC_DIFF_ENTRYPOINT: fputs(dc_service_is_entrypoint(cat, s) ? "yes" : "no", fp); return;
	case DC_DIFF_EXTERNAL: fputs(dc_service_is_external(cat, s) ? "yes" : "no", fp); return;
	case DC_DIFF_REPLICAS: fprintf(fp, "%u", dc_service_replicas(cat, s)); return;
	case DC_DIFF_ZONES: diff_list(fp, cat, s, 0); return;
	case DC_DIFF_TAGS: diff_list(fp, cat, s, 1); return;
	case DC_DIFF_AVAILABILITY: fprintf(fp, "%.10g", dc_service_availability(cat, s)); return;
	case DC_DIFF_SLO:
		if (dc_service_slo(cat, s) >= 0)
			fprintf(fp, "%.10g", dc_service_slo(cat, s));
		else
			fputs("-", fp);
		return;
	case DC_DIFF_LATENCY: fprintf(fp, "%.10g", dc_service_latency_ms(cat, s)); return;
	}
	if (str)
		fprintf(fp, "\"%s\"", str);
	else
		fputs("-", fp);
}

static void diff_dep_value(FILE *fp, const dc_catalog *cat, size_t e, unsigned bit)
{
	dc_id s;
	size_t f, n, i, k = 0;
	unsigned g;
	switch (bit) {
	case DC_DIFF_KIND: fputs(dc_diff_dep_kind_label(cat, e), fp); return;
	case DC_DIFF_ANY_OF:
		/* the targets of dependency e's any_of group, in declaration order */
		s = dc_dep_from(cat, e);
		f = dc_service_dep_first(cat, s);
		n = dc_service_dep_count(cat, s);
		g = dc_dep_group(cat, e);
		fputc('[', fp);
		for (i = 0; i < n; i++)
			if (dc_dep_group(cat, f + i) == g)
				fprintf(fp, "%s%s", k++ ? ", " : "", dc_service_name(cat, dc_dep_to(cat, f + i)));
		fputc(']', fp);
		return;
	case DC_DIFF_TIMEOUT: fprintf(fp, "%lld", (long long)dc_dep_timeout_ms(cat, e)); return;
	case DC_DIFF_RETRIES: fprintf(fp, "%lld", (long long)dc_dep_retries(cat, e)); return;
	case DC_DIFF_STAGE: fprintf(fp, "%lld", (long long)dc_dep_stage(cat, e)); return;
	}
	fputs("0", fp);
}

typedef struct {
	FILE *fp;
	const dc_output_options *opts;
	const dc_diff_report *r;
	const dc_diff *d;
	const dc_catalog *cb, *ch;   /* base, head */
	size_t limit, blast_limit;
} diff_text;

static void diff_services(const diff_text *t)
{
	const dc_id *ids;
	size_t n = dc_diff_services_added(t->d, &ids), i;
	if (n) {
		dc__text_section(t->fp, t->opts, "Services added", n);
		for (i = 0; i < n && i < t->limit; i++) {
			fprintf(t->fp, "  %s+%s %-32s", dc__color(t->opts, "green"), dc__color(t->opts, "reset"),
				dc_service_name(t->ch, ids[i]));
			if (dc_service_is_external(t->ch, ids[i]))
				fputs(" (external)", t->fp);
			fprintf(t->fp, "  blast radius %zu down", dc_diff_blast_down(t->d, DC_DIFF_HEAD, ids[i]));
			dc__text_where(t->fp, t->opts, dc_service_location(t->ch, ids[i]));
			fputc('\n', t->fp);
		}
		dc__text_more(t->fp, i, n);
	}
	n = dc_diff_services_removed(t->d, &ids);
	if (n) {
		dc__text_section(t->fp, t->opts, "Services removed", n);
		for (i = 0; i < n && i < t->limit; i++) {
			fprintf(t->fp, "  %s-%s %-32s%s", dc__color(t->opts, "red"), dc__color(t->opts, "reset"),
				dc_service_name(t->cb, ids[i]), dc_service_is_external(t->cb, ids[i]) ? " (external)" : "");
			dc__text_where(t->fp, t->opts, dc_service_location(t->cb, ids[i]));
			fputc('\n', t->fp);
		}
		dc__text_more(t->fp, i, n);
	}
}

/* added (head) or removed (base) dependencies */
static void diff_dep_list(const diff_text *t, int added, const uint32_t *deps, size_t n)
{
	const dc_catalog *cat = added ? t->ch : t->cb;
	size_t i;
	if (!n)
		return;
	dc__text_section(t->fp, t->opts, added ? "Dependencies added" : "Dependencies removed", n);
	for (i = 0; i < n && i < t->limit; i++) {
		fprintf(t->fp, "  %s%c%s %s -> %s (%s)", dc__color(t->opts, added ? "green" : "red"), added ? '+' : '-',
			dc__color(t->opts, "reset"), dc_service_name(cat, dc_dep_from(cat, deps[i])),
			dc_service_name(cat, dc_dep_to(cat, deps[i])), dc_diff_dep_kind_label(cat, deps[i]));
		dc__text_where(t->fp, t->opts, dc_dep_location(cat, deps[i]));
		fputc('\n', t->fp);
	}
	dc__text_more(t->fp, i, n);
}

static void diff_deps(const diff_text *t)
{
	const uint32_t *deps;
	const dc_diff_change *ch;
	size_t n, i;
	unsigned bit;
	n = dc_diff_deps_added(t->d, &deps);
	diff_dep_list(t, 1, deps, n);
	n = dc_diff_deps_removed(t->d, &deps);
	diff_dep_list(t, 0, deps, n);
	n = dc_diff_deps_changed(t->d, &ch);
	if (!n)
		return;
	dc__text_section(t->fp, t->opts, "Dependencies changed", n);
	for (i = 0; i < n && i < t->limit; i++) {
		int k = 0;
		fprintf(t->fp, "  %s~%s %s -> %s:", dc__color(t->opts, "yellow"), dc__color(t->opts, "reset"),
			dc_service_name(t->ch, dc_dep_from(t->ch, ch[i].head)),
			dc_service_name(t->ch, dc_dep_to(t->ch, ch[i].head)));
		for (bit = 1; bit <= DC_DIFF_DEP_LAST; bit <<= 1) {
			if (!(ch[i].fields & bit))
				continue;
			fprintf(t->fp, "%s %s ", k++ ? ";" : "", dc_diff_field_name(bit, DC_DIFF_DEP_FIELD));
			diff_dep_value(t->fp, t->cb, ch[i].base, bit);
			fputs(" -> ", t->fp);
			diff_dep_value(t->fp, t->ch, ch[i].head, bit);
		}
		dc__text_where(t->fp, t->opts, dc_dep_location(t->ch, ch[i].head));
		fputc('\n', t->fp);
	}
	dc__text_more(t->fp, i, n);
}

static void diff_attrs(const diff_text *t)
{
	const dc_diff_change *ch;
	size_t n = dc_diff_attributes(t->d, &ch), i;
	unsigned bit;
	if (!n)
		return;
	dc__text_section(t->fp, t->opts, "Attributes changed", n);
	for (i = 0; i < n && i < t->limit; i++) {
		int k = 0;
		fprintf(t->fp, "  %s~%s %s:", dc__color(t->opts, "yellow"), dc__color(t->opts, "reset"),
			dc_service_name(t->ch, ch[i].head));
		for (bit = 1; bit <= DC_DIFF_SERVICE_LAST; bit <<= 1) {
			if (!(ch[i].fields & bit))
				continue;
			fprintf(t->fp, "%s %s ", k++ ? ";" : "", dc_diff_field_name(bit, DC_DIFF_SERVICE_FIELD));
			diff_service_value(t->fp, t->cb, ch[i].base, bit);
			fputs(" -> ", t->fp);
			diff_service_value(t->fp, t->ch, ch[i].head, bit);
		}
		fputc('\n', t->fp);
	}
	dc__text_more(t->fp, i, n);
}

static void diff_blast(const diff_text *t)
{
	int grew;
	for (grew = DC_DIFF_GREW; grew >= DC_DIFF_SHRANK; grew--) {
		const dc_diff_blast *r;
		size_t n = dc_diff_blast_changes(t->d, (dc_diff_trend)grew, &r), i;
		if (!n)
			continue;
		dc__text_section(t->fp, t->opts, grew ? "Blast radius grew" : "Blast radius shrank", n);
		/* the half that changed, or both: no "0 -> 0 degraded (+0)" */
		for (i = 0; i < n && i < t->blast_limit; i++) {
			int dd = r[i].base_down != r[i].head_down, dg = r[i].base_degraded != r[i].head_degraded;
			fprintf(t->fp, "  %-34s", dc_service_name(t->ch, r[i].head));
			if (dd || !dg)
				fprintf(t->fp, " %zu -> %zu down (%+lld)", r[i].base_down, r[i].head_down,
					(long long)r[i].head_down - (long long)r[i].base_down);
			if (dg)
				fprintf(t->fp, "%s %zu -> %zu degraded (%+lld)", dd ? "," : "", r[i].base_degraded,
					r[i].head_degraded,
					(long long)r[i].head_degraded - (long long)r[i].base_degraded);
			fputc('\n', t->fp);
		}
		dc__text_more(t->fp, i, n);
	}
}

static void diff_cycles(const diff_text *t)
{
	int added, hard;
	for (added = DC_DIFF_ADDED; added >= DC_DIFF_REMOVED; added--) {
		dc_diff_direction dir = (dc_diff_direction)added;
		const dc_catalog *cat = added ? t->ch : t->cb;
		size_t total = dc_diff_cycle_count(t->d, DC_EDGES_HARD_ONLY, dir) +
			       dc_diff_cycle_count(t->d, DC_EDGES_ALL, dir), shown = 0;
		if (!total)
			continue;
		dc__text_section(t->fp, t->opts, added ? "New cycles" : "Cycles gone", total);
		for (hard = 1; hard >= 0; hard--) {
			dc_edge_set kind = hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL;
			size_t n = dc_diff_cycle_count(t->d, kind, dir), i, k;
			for (i = 0; i < n && shown < t->limit; i++, shown++) {
				const dc_id *m;
				size_t nm = dc_diff_cycle_members(t->d, kind, dir, i, &m);
				fprintf(t->fp, "  %s%c%s %s of %zu:", dc__color(t->opts, added ? "red" : "green"),
					added ? '+' : '-', dc__color(t->opts, "reset"), hard ? "hard cycle" : "cycle", nm);
				for (k = 0; k < nm && k < t->limit; k++)
					fprintf(t->fp, "%s %s", k ? "," : "", dc_service_name(cat, m[k]));
				if (nm > k)
					fprintf(t->fp, ", ... (%zu more)", nm - k);
				fputc('\n', t->fp);
			}
		}
		dc__text_more(t->fp, shown, total);
	}
}

static void diff_spofs(const diff_text *t)
{
	int added;
	for (added = DC_DIFF_ADDED; added >= DC_DIFF_REMOVED; added--) {
		const dc_catalog *cat = added ? t->ch : t->cb;
		const dc_id *ids;
		size_t n = dc_diff_spofs(t->d, (dc_diff_direction)added, &ids), i, k;
		if (!n)
			continue;
		dc__text_section(t->fp, t->opts, added ? "New SPOFs" : "SPOFs gone", n);
		for (i = 0; i < n && i < t->limit; i++) {
			const dc_id *eps;
			size_t ne = dc_diff_spof_entrypoints(t->d, added ? DC_DIFF_HEAD : DC_DIFF_BASE, ids[i], &eps);
			fprintf(t->fp, "  %s%c%s %-32s %s", dc__color(t->opts, added ? "red" : "green"), added ? '+' : '-',
				dc__color(t->opts, "reset"), dc_service_name(cat, ids[i]), added ? "takes down" : "took down");
			for (k = 0; k < ne && k < 10; k++)
				fprintf(t->fp, "%s %s", k ? "," : "", dc_service_name(cat, eps[k]));
			ne = dc_diff_spof_total(t->d, added ? DC_DIFF_HEAD : DC_DIFF_BASE, ids[i]);
			if (ne > k)
				fprintf(t->fp, ", ... (%zu more)", ne - k);
			fputc('\n', t->fp);
		}
		dc__text_more(t->fp, i, n);
	}
}

static void diff_violations(const diff_text *t)
{
	int added;
	for (added = 1; added >= 0; added--) {
		const dc_violations *v = added ? t->r->added : t->r->fixed;
		size_t n = v ? dc_violations_count(v) : 0, i;
		if (!n)
			continue;
		dc__text_section(t->fp, t->opts, added ? "New violations" : "Violations fixed", n);
		for (i = 0; i < n && i < t->limit; i++) {
			fprintf(t->fp, "  %s%c%s ", dc__color(t->opts, added ? "red" : "green"), added ? '+' : '-',
				dc__color(t->opts, "reset"));
			dc__text_violation(t->fp, t->opts, dc_violations_get(v, i));
		}
		dc__text_more(t->fp, i, n);
	}
}

static void diff_summary(const diff_text *t)
{
	const dc_diff *d = t->d;
	const dc_id *ids;
	const uint32_t *deps;
	const dc_diff_change *ch;
	const dc_diff_blast *r;
	size_t sa = dc_diff_services_added(d, &ids), sr = dc_diff_services_removed(d, &ids);
	size_t da = dc_diff_deps_added(d, &deps), dr = dc_diff_deps_removed(d, &deps);
	size_t dch = dc_diff_deps_changed(d, &ch), ac = dc_diff_attributes(d, &ch);
	size_t bg = dc_diff_blast_changes(d, DC_DIFF_GREW, &r), bs = dc_diff_blast_changes(d, DC_DIFF_SHRANK, &r);
	size_t nc = dc_diff_cycle_count(d, DC_EDGES_ALL, DC_DIFF_ADDED) +
		    dc_diff_cycle_count(d, DC_EDGES_HARD_ONLY, DC_DIFF_ADDED);
	size_t gc = dc_diff_cycle_count(d, DC_EDGES_ALL, DC_DIFF_REMOVED) +
		    dc_diff_cycle_count(d, DC_EDGES_HARD_ONLY, DC_DIFF_REMOVED);
	size_t ns = dc_diff_spofs(d, DC_DIFF_ADDED, &ids), gs = dc_diff_spofs(d, DC_DIFF_REMOVED, &ids);
	size_t va = t->r->added ? dc_violations_count(t->r->added) : 0;
	size_t vf = t->r->fixed ? dc_violations_count(t->r->fixed) : 0;
	fputc('\n', t->fp);
	if (dc_diff_is_empty(d) && !va && !vf) {
		fputs("No differences.\n", t->fp);
		return;
	}
	fprintf(t->fp, "services +%zu -%zu ~%zu, dependencies +%zu -%zu ~%zu, blast radius %zu grew %zu shrank, "
		"cycles +%zu -%zu, SPOFs +%zu -%zu, violations +%zu -%zu: %s%s%s\n", sa, sr, ac, da, dr, dch, bg,
		bs, nc, gc, ns, gs, va, vf, dc__color(t->opts, t->r->risk ? "red" : "green"),
		t->r->risk ? "risk increased" : "no added risk", dc__color(t->opts, "reset"));
}

static void diff_side(const diff_text *t, const char *what, const char *const *paths, size_t n,
		      const dc_catalog *cat)
{
	size_t ns = dc_catalog_service_count(cat), nd = dc_catalog_dep_count(cat);
	fprintf(t->fp, "%s%s%s %s", dc__color(t->opts, "bold"), what, dc__color(t->opts, "reset"),
		n ? paths[0] : "-");
	if (n > 1)
		fprintf(t->fp, " (+%zu more path%s)", n - 1, n - 1 == 1 ? "" : "s");
	fprintf(t->fp, ": %zu service%s, %zu dependenc%s\n", ns, ns == 1 ? "" : "s", nd, nd == 1 ? "y" : "ies");
}

int dc__text_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts)
{
	diff_text t;
	t.fp = fp;
	t.opts = opts;
	t.r = r;
	t.d = r->d;
	t.cb = dc_graph_catalog(dc_diff_base(r->d));
	t.ch = dc_graph_catalog(dc_diff_head(r->d));
	t.limit = r->limit ? r->limit : (size_t)-1;
	t.blast_limit = r->blast_limit ? r->blast_limit : (size_t)-1;
	diff_side(&t, "base", r->base_paths, r->nbase, t.cb);
	diff_side(&t, "head", r->head_paths, r->nhead, t.ch);
	diff_services(&t);
	diff_deps(&t);
	diff_attrs(&t);
	diff_blast(&t);
	diff_cycles(&t);
	diff_spofs(&t);
	diff_violations(&t);
	diff_summary(&t);
	return 0;
}

/* -- simulate --load -- */

static const char *n3(char *buf, size_t size, double x)
{
	dc__fmt3(buf, size, x);
	return buf;
}

static void overload_fix_text(FILE *fp, const dc_catalog *cat, dc_overload_fix fx)
{
	char b[64];
	switch (fx.kind) {
	case DC_OVERLOAD_FIX_RETRY_BUDGET:
		fprintf(fp, "a retry budget of %s on %s -> %s", n3(b, sizeof(b), fx.value),
			dc_service_name(cat, dc_dep_from(cat, fx.dep)), dc_service_name(cat, dc_dep_to(cat, fx.dep)));
		break;
	case DC_OVERLOAD_FIX_FEWER_RETRIES:
		fprintf(fp, "%.0f retr%s instead of %.0f on %s -> %s", fx.value, fx.value == 1 ? "y" : "ies",
			fx.value + 1, dc_service_name(cat, dc_dep_from(cat, fx.dep)),
			dc_service_name(cat, dc_dep_to(cat, fx.dep)));
		break;
	case DC_OVERLOAD_FIX_REPLICAS:
		fprintf(fp, "%.0f more replica%s of %s", fx.value, fx.value == 1 ? "" : "s",
			dc_service_name(cat, fx.service));
		break;
	default:
		break;
	}
}

/* The model's own assumptions (docs/load.md), then the catalog's. */
static void overload_assumed(FILE *fp, const dc_overload *l, const dc_output_options *opts)
{
	dc_overload_inputs in = dc_overload_inputs_of(l);
	const dc_catalog *cat = dc_graph_catalog(dc_overload_graph(l));
	if (opts->quiet)
		return;
	fprintf(fp, "\nmodel: steady state (means); a replica queues as M/M/1 at its capacity_rps; a call times\n"
		"       out with e^(-timeout/mean response); every accepted request calls all its\n"
		"       dependencies; retries are immediate, on errors and timeouts (docs/load.md)\n");
	if (in.unbounded)
		fprintf(fp, "       %zu of %zu services have no capacity declared and are assumed unbounded\n",
			in.unbounded, in.services);
	if (dc_overload_entry_observed(l))
		fprintf(fp, "       %zu of %zu entrypoints declare no traffic_rps and send their observed rate "
			"(--observed)\n", dc_overload_entry_observed(l), in.entrypoints);
	if (in.entry_no_traffic)
		fprintf(fp, "       %zu of %zu entrypoints have no traffic_rps and send nothing\n",
			in.entry_no_traffic, in.entrypoints);
	if (in.cycle_edges)
		fprintf(fp, "       %zu dependencies close a cycle with no declared calls and carry no load\n",
			in.cycle_edges);
	if (in.calls_set && dc__calls_observed(cat))
		fprintf(fp, "       %zu of %zu dependencies have calls per request (%zu observed: rate / the caller's "
			"observed rate), the others 1\n", in.calls_set, in.runtime_deps, dc__calls_observed(cat));
	else if (in.calls_set)
		fprintf(fp, "       %zu of %zu dependencies declare calls per request, the others 1\n", in.calls_set,
			in.runtime_deps);
	else
		fprintf(fp, "       every dependency is called once per request (no calls declared)\n");
	dc__text_assumptions(fp, opts);
}

int dc__text_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_overload_graph(l));
	const dc_overload_triggers *t = dc_overload_triggers_of(l);
	const dc_id *over;
	const size_t *rt, *sus;
	size_t i, nt = dc_overload_trigger_count(t), nover = dc_overload_overloaded(l, &over);
	size_t nr = dc_overload_retrying(l, &rt), ns = dc_overload_sustaining(l, &sus);
	double entry = dc_overload_entry_rps(l, DC_OVERLOAD_TRIGGERED), lost = dc_overload_lost_rps(l, DC_OVERLOAD_TRIGGERED);
	int meta = dc_overload_metastable(l), nw = 7;
	char a[64], b[64], c[64], d[64];
	const char *bold = dc__color(opts, "bold"), *reset = dc__color(opts, "reset");

	if (!top)
		top = SIZE_MAX;
	fprintf(fp, "%sLoad:%s ", bold, reset);
	if (!nt)
		fputs(dc_overload_entry_observed(l) ? "the declared and observed traffic, no trigger"
						    : "the declared traffic, no trigger", fp);
	for (i = 0; i < nt; i++)
		fprintf(fp, "%s%s", i ? "; " : "", dc_overload_trigger_text(t, i));
	fputc('\n', fp);
	{
		/* each solve that did not converge, by name: the after-trigger one
		 * decides metastability */
		static const dc_overload_state sts[3] = { DC_OVERLOAD_BASELINE, DC_OVERLOAD_TRIGGERED, DC_OVERLOAD_AFTER };
		static const char *const names[3] = { "without the trigger", "with it", "after it is removed" };
		int k, bad = 0;
		unsigned its = 0;
		for (k = 0; k < 3; k++)
			if (!dc_overload_converged(l, sts[k])) {
				bad |= 1 << k;
				if (dc_overload_iterations(l, sts[k]) > its)
					its = dc_overload_iterations(l, sts[k]);
			}
		if (bad) {
			fprintf(fp, "warning: the fixed point did not converge in %u iterations (", its);
			for (k = 0, i = 0; k < 3; k++)
				if (bad & (1 << k))
					fprintf(fp, "%s%s", i++ ? ", " : "", names[k]);
			fputs("): the numbers are the last iterate, not a steady state\n", fp);
		}
	}
	fprintf(fp, "\n%sEntry requests lost:%s %s of %s rps", bold, reset, n3(a, sizeof(a), lost),
		n3(b, sizeof(b), entry));
	if (entry > 0)
		fprintf(fp, " (%s %%)", n3(c, sizeof(c), 100 * lost / entry));
	fprintf(fp, "; without the trigger %s rps\n", n3(d, sizeof(d), dc_overload_lost_rps(l, DC_OVERLOAD_BASELINE)));

	for (i = 0; i < nover && i < top; i++)
		if ((int)strlen(dc_service_name(cat, over[i])) > nw)
			nw = (int)strlen(dc_service_name(cat, over[i]));
	fprintf(fp, "\n%sOverloaded:%s", bold, reset);
	if (!nover) {
		fputs(" none\n", fp);
	} else {
		fprintf(fp, " %zu service%s, most utilised first\n", nover, nover == 1 ? "" : "s");
		fprintf(fp, "  %-*s  %9s  %9s  %6s  %7s  %s\n", nw, "service", "offered", "capacity", "util", "ampl",
			"cause");
		for (i = 0; i < nover && i < top; i++) {
			dc_id v = over[i];
			double cap = dc_overload_capacity(l, DC_OVERLOAD_TRIGGERED, v);
			double u = dc_overload_utilization(l, DC_OVERLOAD_TRIGGERED, v);
			double am = dc_overload_amplification(l, v);
			char cause[600], capb[80], ub[80], amb[80];
			if (cap >= 0)
				snprintf(capb, sizeof(capb), "%s", n3(c, sizeof(c), cap));
			else
				snprintf(capb, sizeof(capb), "-");
			if (u < 0)
				snprintf(ub, sizeof(ub), "inf");
			else
				snprintf(ub, sizeof(ub), "%s", n3(c, sizeof(c), u));
			if (am < 0)
				snprintf(amb, sizeof(amb), "new");
			else
				snprintf(amb, sizeof(amb), "x%s", n3(c, sizeof(c), am));
			fprintf(fp, "  %-*s  %9s  %9s  %6s  %7s  %s\n", nw, dc_service_name(cat, v),
				n3(a, sizeof(a), dc_overload_offered_rps(l, DC_OVERLOAD_TRIGGERED, v)), capb, ub, amb,
				dc_overload_cause_text(l, v, cause, sizeof(cause)));
		}
		if (nover > top)
			fprintf(fp, "  ... and %zu more (--top 0 lists every one)\n", nover - top);
		fprintf(fp, "  (offered and capacity in rps, retries included; ampl: offered / offered without the "
			"trigger)\n");
	}
	if (nr) {
		fprintf(fp, "\n%sRetries adding load:%s\n", bold, reset);
		for (i = 0; i < nr && i < top; i++) {
			size_t e = rt[i];
			double at = dc_overload_attempts(l, DC_OVERLOAD_TRIGGERED, e);
			double sent = dc_overload_edge_rps(l, DC_OVERLOAD_TRIGGERED, e);
			fprintf(fp, "  %s -> %s: %s attempts per call, %s retries/s (retries %u%s)\n",
				dc_service_name(cat, dc_dep_from(cat, e)), dc_service_name(cat, dc_dep_to(cat, e)),
				n3(a, sizeof(a), at), n3(b, sizeof(b), sent * (1 - 1 / at)), dc_dep_retries(cat, e),
				dc_dep_setting_is_set(cat, e, DC_DEP_RETRY_BUDGET) ? ", with a retry budget" : ", no budget");
		}
		if (nr > top)
			fprintf(fp, "  ... and %zu more\n", nr - top);
	}
	if (meta >= 0) {
		fprintf(fp, "\n%sAfter the trigger is removed:%s ", bold, reset);
		if (!meta) {
			fputs("it recovers (not metastable)\n", fp);
		} else {
			size_t k, shown = 0;
			fputs("still overloaded (metastable)\n", fp);
			for (k = 0; k < dc_catalog_service_count(cat); k++) {
				double cap = dc_overload_capacity(l, DC_OVERLOAD_AFTER, (dc_id)k);
				if (!dc_overload_is_overloaded(l, DC_OVERLOAD_AFTER, (dc_id)k) ||
				    dc_overload_is_overloaded(l, DC_OVERLOAD_BASELINE, (dc_id)k))
					continue;
				if (shown++ < top) {
					double u = dc_overload_utilization(l, DC_OVERLOAD_AFTER, (dc_id)k);
					fprintf(fp, "  %s: utilisation %s, %s rps offered", dc_service_name(cat, (dc_id)k),
						u < 0 ? "inf" : n3(c, sizeof(c), u),
						n3(a, sizeof(a), dc_overload_offered_rps(l, DC_OVERLOAD_AFTER, (dc_id)k)));
					if (cap >= 0)
						fprintf(fp, ", capacity %s", n3(b, sizeof(b), cap));
					fputc('\n', fp);
				}
			}
			if (shown > top)
				fprintf(fp, "  ... and %zu more\n", shown - top);
			if (ns) {
				fputs("  sustained by the retries on:", fp);
				for (i = 0; i < ns && i < top; i++)
					fprintf(fp, "%s %s -> %s (%s retries/s)", i ? "," : "",
						dc_service_name(cat, dc_dep_from(cat, sus[i])),
						dc_service_name(cat, dc_dep_to(cat, sus[i])),
						n3(a, sizeof(a), dc_overload_edge_rps(l, DC_OVERLOAD_AFTER, sus[i]) *
							       (1 - 1 / dc_overload_attempts(l, DC_OVERLOAD_AFTER, sus[i]))));
				if (ns > top)
					fprintf(fp, " and %zu more", ns - top);
				fputc('\n', fp);
			}
			if (dc_overload_fix_of(l).kind != DC_OVERLOAD_FIX_NONE) {
				fputs("  smallest change that breaks it (verified by solving again): ", fp);
				overload_fix_text(fp, cat, dc_overload_fix_of(l));
				fputc('\n', fp);
			} else {
				fputs("  none of a retry budget, one retry fewer or more replicas of the bottleneck "
				      "breaks it\n", fp);
			}
		}
	}
	overload_assumed(fp, l, opts);
	return 0;
}
