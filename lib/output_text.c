/*
 * output_text.c - every result as human text: what a terminal and a
 * person in an incident read. Colours only when opts->color; summaries
 * and notes left out under opts->quiet.
 */
#include "output_int.h"

#include <string.h>

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

/* ---- catalog: validate, show, path, export ------------------------------- */

/* ---- failures: simulate, analyze, critical path -------------------------- */

#include <limits.h>
#include <math.h>
#include <stdlib.h>

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
		fputc(' ', fp);
		while (dc_impact_cause(imp, v) != UINT32_MAX) {
			v = dc_dep_to(cat, dc_impact_cause(imp, v));
			/* fputs, not fprintf: a big outage prints millions of hops */
			fputs(" <- ", fp);
			fputs(dc_service_name(cat, v), fp);
		}
		why = dc_simulation_cause(s, v);
		if (strcmp(why, "seed"))
			fprintf(fp, " (%s)", why);
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
	if (dc_simulation_mode(s) == DC_FAILURE_HANG)
		fprintf(fp, "  (failure mode hang: a caller notices a failed dependency after "
			"timeout x (retries + 1))\n");
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
	fprintf(fp, "\n%s%zu down, %zu degraded, %zu of %zu entrypoint%s down%s\n", dc__color(opts, "bold"),
		sum.down, sum.degraded, sum.entrypoints_down, sum.entrypoints, sum.entrypoints == 1 ? "" : "s",
		dc__color(opts, "reset"));
	return 0;
}

/* -- simulate --each -- */

int dc__text_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, size_t shown,
			     const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t i, n = dc_blast_count(b);
	int nw = 7;
	for (i = 0; i < shown; i++)
		if ((int)strlen(dc_service_name(cat, order[i])) > nw)
			nw = (int)strlen(dc_service_name(cat, order[i]));
	fprintf(fp, "%sEvery single failure%s, ranked by the other services it takes down (then degrades)",
		dc__color(opts, "bold"), dc__color(opts, "reset"));
	if (shown < n)
		fprintf(fp, ": top %zu of %zu\n\n", shown, n);
	else
		fprintf(fp, ": all %zu\n\n", n);
	fprintf(fp, "  %4s  %-*s  %6s  %8s\n", "rank", nw, "service", "down", "degraded");
	for (i = 0; i < shown; i++)
		fprintf(fp, "  %4zu  %-*s  %6zu  %8zu%s\n", i + 1, nw, dc_service_name(cat, order[i]),
			dc_blast_down(b, order[i]), dc_blast_degraded(b, order[i]),
			dc_service_is_entrypoint(cat, order[i]) ? "  (entrypoint)" : "");
	return 0;
}

/* -- analyze -- */

static void an_edge(FILE *fp, const dc_catalog *cat, uint32_t e, const dc_output_options *opts)
{
	fprintf(fp, "    %s -> %s", dc_service_name(cat, dc_dep_from(cat, e)), dc_service_name(cat, dc_dep_to(cat, e)));
	if (dc_dep_group(cat, e))
		fprintf(fp, " (any_of, %s)", dc_dep_kind_name(dc_dep_kind_of(cat, e)));
	else
		fprintf(fp, " (%s)", dc_dep_kind_name(dc_dep_kind_of(cat, e)));
	dc__text_where(fp, opts, dc_dep_location(cat, e));
	fputc('\n', fp);
}

static void an_cycles(FILE *fp, const dc_analysis *a, const dc_catalog *cat, int hard, size_t top,
		      const dc_output_options *opts)
{
	size_t n = dc_analysis_cycle_count(a, hard), i, k;
	dc__text_section(fp, opts, hard ? "hard cycles (members share one fate)" : "cycles (all edges)", n);
	for (i = 0; i < n && i < top; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm = dc_analysis_cycle_members(a, hard, i, &mem);
		size_t ne = dc_analysis_cycle_edges(a, hard, i, &ed);
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
	const char *bold = dc__color(opts, "bold"), *reset = dc__color(opts, "reset");

	fprintf(fp, "%s%zu services, %zu dependenc%s, %zu entrypoint%s%s\n", bold, dc_catalog_service_count(cat),
		dc_catalog_dep_count(cat), dc_catalog_dep_count(cat) == 1 ? "y" : "ies",
		dc_analysis_entrypoint_count(a), dc_analysis_entrypoint_count(a) == 1 ? "" : "s", reset);
	n = dc_analysis_cycle_count(a, 0);
	fprintf(fp, "%zu cycle%s, ", n, n == 1 ? "" : "s");
	n = dc_analysis_cycle_count(a, 1);
	fprintf(fp, "%zu hard cycle%s, max depth %zu, ", n, n == 1 ? "" : "s", dc_analysis_max_depth(a));
	n = dc_blast_spof_count(b);
	fprintf(fp, "%zu SPOF%s\n", n, n == 1 ? "" : "s");

	n = dc_analysis_spofs(a, &ids);
	dc__text_section(fp, opts, "single points of failure (their lone failure takes entrypoints down)", n);
	for (i = 0; i < n && i < top; i++) {
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		fprintf(fp, "  %-32s %zu entrypoint%s:", dc_service_name(cat, ids[i]), ne, ne == 1 ? "" : "s");
		for (k = 0; k < ne && k < top; k++)
			fprintf(fp, "%s %s", k ? "," : "", dc_service_name(cat, eps[k]));
		if (ne > top)
			fprintf(fp, ", ... (%zu more)", ne - top);
		fputc('\n', fp);
	}
	dc__text_more(fp, i, n);

	n = dc_analysis_blast_order(a, &ids);
	dc__text_section(fp, opts, "biggest blast radii (other services down / degraded when it fails alone)", n);
	for (i = 0; i < n && i < top; i++)
		fprintf(fp, "  %-32s %zu down, %zu degraded\n", dc_service_name(cat, ids[i]), dc_blast_down(b, ids[i]),
			dc_blast_degraded(b, ids[i]));
	dc__text_more(fp, i, n);

	an_cycles(fp, a, cat, 1, top, opts);

	n = dc_analysis_longest_hard_chain(a, &ids);
	fprintf(fp, "\n%slongest hard chain%s (%zu services)\n", bold, reset, n);
	if (n) {
		fprintf(fp, " ");
		for (i = 0; i < n; i++)
			fprintf(fp, " %s%s", i ? "-> " : "", dc_service_name(cat, ids[i]));
		fputc('\n', fp);
	}

	n = dc_analysis_hubs(a, 0, &ids, &cnt);
	fprintf(fp, "\n%shubs%s\n  fan-in (dependents):", bold, reset);
	for (i = 0; i < n && i < top; i++)
		fprintf(fp, "%s %s (%u)", i ? "," : "", dc_service_name(cat, ids[i]), cnt[i]);
	n = dc_analysis_hubs(a, 1, &ids, &cnt);
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
			fprintf(fp, "  %-32s x%.0f", dc_service_name(cat, amp[i].service), amp[i].factor);
		fprintf(fp, "  via");
		for (k = 0; k < amp[i].path_len; k++)
			fprintf(fp, " %s%s", k ? "-> " : "", dc_service_name(cat, amp[i].path[k]));
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

static void cp_tree(FILE *fp, const dc_catalog *cat, const dc_critical_hop *h, size_t n, const uint8_t *last,
		    const dc_output_options *opts)
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
	const dc_critical_hop *h;
	const uint32_t *ign;
	uint8_t *last = NULL, *seen = NULL;
	int rc = 0;

	if (n && !opts->quiet)
		fprintf(fp, "@ = when a service answers, counting from the request reaching the first service at 0 ms\n");
	if (!n)
		fprintf(fp, "no entrypoints\n");
	for (i = 0; i < n; i++) {
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
		cp_tree(fp, cat, h, nh, last, opts);
	}
	nign = dc_critical_paths_ignored(p, &ign);
	if (nign) {
		fprintf(fp, "\nnote: %zu call%s inside a cycle %s not timed (the chains above pass through it):\n", nign,
			nign == 1 ? "" : "s", nign == 1 ? "is" : "are");
		for (i = 0; i < nign; i++)
			fprintf(fp, "%s%s -> %s", i ? ", " : "  ", dc_service_name(cat, dc_dep_from(cat, ign[i])),
				dc_service_name(cat, dc_dep_to(cat, ign[i])));
		fputc('\n', fp);
	}
out:
	free(last);
	free(seen);
	return rc;
}

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
