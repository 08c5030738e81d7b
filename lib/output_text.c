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

int dc__text_validation(FILE *fp, const dc_catalog_summary *sum, const dc_output_options *opts)
{
	if (opts->quiet)
		return 0; /* the diagnostics (on stderr) are the result */
	fprintf(fp, "%s%zu services%s (%zu external), %zu dependencies, %zu entrypoints, "
		"%zu cycles, from %zu files\n", dc__color(opts, "bold"), sum->services,
		dc__color(opts, "reset"), sum->external, sum->dependencies, sum->entrypoints, sum->cycles,
		sum->files);
	fprintf(fp, "%s%zu errors%s, %zu warnings\n", dc__color(opts, sum->errors ? "red" : "green"),
		sum->errors, dc__color(opts, "reset"), sum->warnings);
	return 0;
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
	if (strcmp(dc_dep_origin(cat, d), "depends_on"))
		fprintf(fp, "  [%s%s]", dc_dep_is_inferred(cat, d) ? "inferred from " : "", dc_dep_origin(cat, d));
	dc__text_where(fp, opts, dc_dep_location(cat, d));
	fputc('\n', fp);
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
	if (dc_service_slo(cat, s) >= 0)
		fprintf(fp, "  (slo %g)", dc_service_slo(cat, s));
	fputc('\n', fp);
	fprintf(fp, "  %-13s%g ms\n", "latency", dc_service_latency_ms(cat, s));
	show_list(fp, "tags", cat, s, dc_service_tag_count(cat, s), dc_service_tag);

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

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
