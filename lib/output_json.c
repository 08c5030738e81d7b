/*
 * output_json.c - every result as JSON, through the streaming writer
 * (jsonw.c): one object per command, `"command"`, `"depcheck_version"` and
 * `"schema_version"` first (dc__json_head), keys in a fixed order; the
 * schemas/ directory describes each command's object. A service is serialised in one place (dc__json_service) for every
 * result that lists services.
 */
#include "output_int.h"
#include <depcheck/reconcile.h>
#include <stdlib.h>

void dc__json_head(dc_jsonw *w, const char *command)
{
	dc_jw_obj(w);
	dc_jw_kstr(w, "command", command);
	dc_jw_kstr(w, "depcheck_version", dc_version());
	dc_jw_kint(w, "schema_version", DC__JSON_SCHEMA_VERSION);
}

/* Open a JSON-lines record of type `type`. */
static void jsonl_open(dc_jsonw *w, FILE *fp, const char *type)
{
	dc_jw_init(w, fp);
	dc_jw_obj_inline(w);
	dc_jw_kstr(w, "type", type);
}

static void jsonl_close(dc_jsonw *w)
{
	dc_jw_obj_end(w);
	dc_jw_end(w);
}

void dc__json_loc(dc_jsonw *w, dc_location l)
{
	dc_jw_kstr(w, "file", l.file);   /* NULL is written as null */
	dc_jw_key(w, "line");
	if (l.file)
		dc_jw_int(w, l.line);
	else
		dc_jw_null(w);
	dc_jw_key(w, "column");
	if (l.file)
		dc_jw_int(w, l.column);
	else
		dc_jw_null(w);
}

/* ---- catalog: validate, show, path, export ------------------------------- */

int dc__json_validation(FILE *fp, const dc_catalog_summary *sum, const dc_diags *diags,
			const dc_output_options *opts)
{
	dc_jsonw w;
	size_t i, n = diags ? dc_diags_count(diags) : 0;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "validate");
	dc_jw_kbool(&w, "valid", sum->errors == 0);
	dc_jw_kint(&w, "files", (long long)sum->files);
	dc_jw_kint(&w, "services", (long long)sum->services);
	dc_jw_kint(&w, "external", (long long)sum->external);
	dc_jw_kint(&w, "dependencies", (long long)sum->dependencies);
	dc_jw_kint(&w, "entrypoints", (long long)sum->entrypoints);
	dc_jw_kint(&w, "cycles", (long long)sum->cycles);
	dc_jw_kint(&w, "errors", (long long)sum->errors);
	dc_jw_kint(&w, "warnings", (long long)sum->warnings);
	dc_jw_key(&w, "diagnostics");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_diag *d = dc_diags_get(diags, i);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "severity", dc_severity_name(d->severity));
		dc_jw_kstr(&w, "file", d->file);
		dc_jw_kint(&w, "line", d->line);
		dc_jw_kint(&w, "column", d->column);
		dc_jw_kstr(&w, "message", d->message);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* "file", "line", "column" of show and path: unlike dc__json_loc, line and
 * column are numbers even when the file is unknown (0), as these outputs
 * have always written them */
/* "assumptions": the counts (a value shared by the defaulted ones, or null)
 * and the statements the text prints */
void dc__json_assumptions(dc_jsonw *w, const dc_output_options *opts)
{
	const dc_assumptions *a = dc__output_assumptions(opts);
	char buf[200];
	size_t i;
	if (!a)
		return;
	dc_jw_key(w, "assumptions");
	dc_jw_obj(w);
#define CNT(k, v) (dc_jw_key(w, k), dc_jw_int(w, (long long)(v)))
#define DEF(k, n, of, v)                                                    \
	do {                                                                \
		dc_jw_key(w, k);                                            \
		dc_jw_obj_inline(w);                                        \
		CNT("defaulted", n);                                        \
		CNT("of", of);                                              \
		dc_jw_key(w, "default");                                    \
		if ((n) && (v) >= 0)                                        \
			dc_jw_num(w, v);                                    \
		else                                                        \
			dc_jw_null(w);                                      \
		dc_jw_obj_end(w);                                           \
	} while (0)
	DEF("availabilities", a->availability_default, a->services, a->availability_value);
	DEF("latencies_ms", a->latency_default, a->services, a->latency_value);
	DEF("timeouts_ms", a->timeout_default, a->dependencies, a->timeout_value);
	DEF("retries", a->retries_default, a->dependencies, a->retries_value);
	dc_jw_key(w, "edges");
	dc_jw_obj_inline(w);
	CNT("total", a->dependencies);
	CNT("compose_start_order", a->start_order);
	CNT("inferred", a->inferred);
	CNT("telemetry_soft", a->telemetry_soft);
	if (a->observed) { /* --observed: calls no input declares */
		CNT("observed", a->observed);
		CNT("observed_hard", a->observed_hard);
	}
	dc_jw_obj_end(w);
	dc_jw_key(w, "entrypoints");
	dc_jw_obj_inline(w);
	CNT("total", a->entrypoints);
	CNT("declared", a->entrypoints_declared);
	CNT("nothing_depends_on", a->entrypoints_unreferenced);
	CNT("of", a->internal);
	dc_jw_obj_end(w);
#undef CNT
#undef DEF
	dc_jw_key(w, "statements");
	dc_jw_arr(w);
	for (i = 0; dc_assumptions_statement(a, i, buf, sizeof(buf)) > 0; i++)
		dc_jw_str(w, buf);
	dc_jw_arr_end(w);
	dc_jw_obj_end(w);
}

static void json_at(dc_jsonw *w, dc_location l)
{
	dc_jw_kstr(w, "file", l.file);
	dc_jw_kint(w, "line", l.line);
	dc_jw_kint(w, "column", l.column);
}

/* Is the attribute unset (left out where the schema omits what is unset)? */
static int svc_unset(const dc_catalog *cat, dc_id s, unsigned field)
{
	switch (field) {
	case DC_DIFF_EXTERNAL: return !dc_service_is_external(cat, s);
	case DC_DIFF_OWNER: return !dc_service_owner(cat, s);
	case DC_DIFF_SYSTEM: return !dc_service_system(cat, s);
	case DC_DIFF_DESCRIPTION: return !dc_service_description(cat, s);
	case DC_DIFF_URL: return !dc_service_url(cat, s);
	case DC_DIFF_TIER: return !dc_service_tier(cat, s);
	case DC_DIFF_SLO: return dc_service_slo(cat, s) < 0;
	case DC_DIFF_ZONES: return !dc_service_zone_count(cat, s);
	case DC_DIFF_TAGS: return !dc_service_tag_count(cat, s);
	}
	return 0;
}

void dc__json_service_value(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned field, int inline_lists)
{
	size_t i, n;
	switch (field) {
	case DC_DIFF_OWNER: dc_jw_str(w, dc_service_owner(cat, s)); return; /* NULL is null */
	case DC_DIFF_SYSTEM: dc_jw_str(w, dc_service_system(cat, s)); return;
	case DC_DIFF_DESCRIPTION: dc_jw_str(w, dc_service_description(cat, s)); return;
	case DC_DIFF_URL: dc_jw_str(w, dc_service_url(cat, s)); return;
	case DC_DIFF_TIER:
		if (dc_service_tier(cat, s))
			dc_jw_int(w, dc_service_tier(cat, s));
		else
			dc_jw_null(w);
		return;
	case DC_DIFF_ENTRYPOINT: dc_jw_bool(w, dc_service_is_entrypoint(cat, s)); return;
	case DC_DIFF_EXTERNAL: dc_jw_bool(w, dc_service_is_external(cat, s)); return;
	case DC_DIFF_REPLICAS: dc_jw_int(w, dc_service_replicas(cat, s)); return;
	case DC_DIFF_ZONES:
	case DC_DIFF_TAGS:
		n = field == DC_DIFF_TAGS ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s);
		if (inline_lists)
			dc_jw_arr_inline(w);
		else
			dc_jw_arr(w);
		for (i = 0; i < n; i++)
			dc_jw_str(w, field == DC_DIFF_TAGS ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i));
		dc_jw_arr_end(w);
		return;
	case DC_DIFF_AVAILABILITY: dc_jw_num(w, dc_service_availability(cat, s)); return;
	case DC_DIFF_SLO:
		if (dc_service_slo(cat, s) >= 0)
			dc_jw_num(w, dc_service_slo(cat, s));
		else
			dc_jw_null(w);
		return;
	case DC_DIFF_LATENCY: dc_jw_num(w, dc_service_latency_ms(cat, s)); return;
	}
	dc_jw_null(w);
}

/* The attributes in the order every schema writes them, with their keys:
 * full (export, show, diff) and compact (the report's data block) */
static const struct {
	unsigned field;
	const char *key, *compact;
} svc_fields[] = {
	{ DC_DIFF_EXTERNAL, "external", "x" },
	{ DC_DIFF_OWNER, "owner", "o" },
	{ DC_DIFF_SYSTEM, "system", "sy" },
	{ DC_DIFF_DESCRIPTION, "description", "ds" },
	{ DC_DIFF_URL, "url", "u" },
	{ DC_DIFF_TIER, "tier", "t" },
	{ DC_DIFF_ENTRYPOINT, "entrypoint", "e" },
	{ DC_DIFF_REPLICAS, "replicas", "r" },
	{ DC_DIFF_ZONES, "zones", "z" },
	{ DC_DIFF_AVAILABILITY, "availability", "a" },
	{ DC_DIFF_SLO, "slo", "slo" },
	{ DC_DIFF_LATENCY, "latency_ms", "ms" },
	{ DC_DIFF_TAGS, "tags", "tg" },
};

void dc__json_service_keys(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags)
{
	int compact = (flags & DC__SVC_COMPACT) != 0;
	int omit = compact || (flags & DC__SVC_NATIVE);
	size_t i;
	dc_jw_kstr(w, compact ? "n" : "name", dc_service_name(cat, s));
	if (flags & DC__SVC_IDENTITY) {
		dc_jw_kstr(w, "ref", dc_service_ref(cat, s));
		dc_jw_kstr(w, "format", dc_input_format_name(dc_service_format(cat, s)));
	}
	for (i = 0; i < sizeof svc_fields / sizeof svc_fields[0]; i++) {
		unsigned f = svc_fields[i].field;
		/* the entrypoint flag is always written, except false in the compact form */
		if (f == DC_DIFF_ENTRYPOINT ? compact && !dc_service_is_entrypoint(cat, s)
					    : omit && svc_unset(cat, s, f))
			continue;
		dc_jw_key(w, compact ? svc_fields[i].compact : svc_fields[i].key);
		dc__json_service_value(w, cat, s, f, omit);
	}
	if (flags & DC__SVC_LOCATION)
		json_at(w, dc_service_location(cat, s));
}

void dc__json_service(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags)
{
	dc_jw_obj(w);
	dc__json_service_keys(w, cat, s, flags);
	dc_jw_obj_end(w);
}

void dc__json_service_sources(dc_jsonw *w, const dc_catalog *cat, dc_id s, const char *key)
{
	size_t i, n = dc_service_source_count(cat, s);
	unsigned a;
	if (n < 2)
		return;
	dc_jw_key(w, key);
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		unsigned attrs = dc_service_source_attrs(cat, s, i);
		dc_jw_obj_inline(w);
		json_at(w, dc_service_source(cat, s, i));
		dc_jw_kstr(w, "format", dc_input_format_name(dc_service_source_format(cat, s, i)));
		dc_jw_kbool(w, "overlay", dc_service_source_is_overlay(cat, s, i));
		dc_jw_key(w, "attributes");
		dc_jw_arr_inline(w);
		for (a = 0; a < DC_ATTR_COUNT; a++)
			if (attrs & (1u << a))
				dc_jw_str(w, dc_attr_name((dc_attr)a));
		dc_jw_arr_end(w);
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

void dc__json_dep_sources_key(dc_jsonw *w, const dc_catalog *cat, size_t d, const char *key)
{
	size_t i, n = dc_dep_source_count(cat, d);
	if (n < 2)
		return;
	dc_jw_key(w, key);
	dc_jw_arr_inline(w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(w);
		json_at(w, dc_dep_source(cat, d, i));
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

/* The resilience settings of dependency d a source wrote, beyond
 * timeout_ms and retries, as native keys ("per_try_timeout_ms": 250, ...);
 * with `at`, also "settings_at": {key: "file:line:col"} for every written
 * setting (timeout_ms and retries included). */
void dc__json_dep_settings(dc_jsonw *w, const dc_catalog *cat, size_t d, int at)
{
	unsigned k;
	int any = 0;
	for (k = DC_DEP_PER_TRY_TIMEOUT; k < DC_DEP_SETTING_COUNT; k++) {
		dc_dep_setting ks = (dc_dep_setting)k;
		if (!dc_dep_setting_is_set(cat, d, ks))
			continue;
		if (dc_dep_setting_text(cat, d, ks))
			dc_jw_kstr(w, dc_dep_setting_name(ks), dc_dep_setting_text(cat, d, ks));
		else
			dc_jw_knum(w, dc_dep_setting_name(ks), dc_dep_setting_value(cat, d, ks));
	}
	if (!at)
		return;
	for (k = 0; k < DC_DEP_SETTING_COUNT; k++) {
		char buf[4200];
		dc_location l;
		if (!dc_dep_setting_is_set(cat, d, (dc_dep_setting)k))
			continue;
		if (!any++) {
			dc_jw_key(w, "settings_at");
			dc_jw_obj_inline(w);
		}
		l = dc_dep_setting_location(cat, d, (dc_dep_setting)k);
		dc_jw_key(w, dc_dep_setting_name((dc_dep_setting)k));
		snprintf(buf, sizeof(buf), "%s:%u:%u", l.file ? l.file : "-", l.line, l.column);
		dc_jw_str(w, buf);
	}
	if (any)
		dc_jw_obj_end(w);
}

static void dc__json_dep_sources(dc_jsonw *w, const dc_catalog *cat, size_t d)
{
	dc__json_dep_sources_key(w, cat, d, "sources");
}

size_t dc__calls_observed(const dc_catalog *cat)
{
	size_t i, n = dc_catalog_dep_count(cat), k = 0;
	for (i = 0; i < n; i++)
		k += dc_dep_calls_observed(cat, i) && !dc_dep_is_startup(cat, i);
	return k;
}

void dc__json_dep_observed(dc_jsonw *w, const dc_catalog *cat, size_t d)
{
	dc_dep_traffic t;
	if (!dc_dep_observed(cat, d, &t))
		return;
	if (dc_dep_is_observed(cat, d))
		dc_jw_kbool(w, "observed", 1);
	dc_jw_knum(w, "observed_calls", (double)t.calls);
	if (t.calls_per_s >= 0)
		dc_jw_knum(w, "calls_per_s", t.calls_per_s);
	if (t.error_ratio >= 0)
		dc_jw_knum(w, "error_ratio", t.error_ratio);
	if (t.p50_ms >= 0)
		dc_jw_knum(w, "p50_ms", t.p50_ms);
	if (t.p99_ms >= 0)
		dc_jw_knum(w, "p99_ms", t.p99_ms);
}

/* one dependency of show's lists: d is its index, `other` the service at
 * the far end (the dependency, or the dependent) */
static void json_show_dep(dc_jsonw *w, const dc_catalog *cat, size_t d, dc_id other)
{
	dc_jw_obj(w);
	dc_jw_kstr(w, "service", dc_service_name(cat, other));
	dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
	dc_jw_kint(w, "timeout_ms", dc_dep_timeout_ms(cat, d));
	dc_jw_kint(w, "retries", dc_dep_retries(cat, d));
	dc_jw_kint(w, "stage", dc_dep_stage(cat, d));
	if (dc_dep_group(cat, d))
		dc_jw_kint(w, "any_of", dc_dep_group(cat, d));
	else {
		dc_jw_key(w, "any_of");
		dc_jw_null(w);
	}
	dc_jw_kstr(w, "origin", dc_dep_origin(cat, d));
	dc_jw_kbool(w, "inferred", dc_dep_is_inferred(cat, d));
	dc_jw_kint(w, "hang_ms", dc_dep_hang_ms(cat, d));
	dc__json_dep_settings(w, cat, d, 1);
	dc__json_dep_observed(w, cat, d);
	json_at(w, dc_dep_location(cat, d));
	dc__json_dep_sources(w, cat, d);
	dc_jw_obj_end(w);
}

int dc__json_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dc_id *to, *from;
	const uint32_t *edges;
	size_t first, n, i;
	dc_jsonw w;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "show");
	dc_jw_key(&w, "service");
	dc_jw_obj(&w);
	dc__json_service_keys(&w, cat, s, DC__SVC_IDENTITY | DC__SVC_LOCATION);
	dc__json_service_sources(&w, cat, s, "sources");
	dc_jw_obj_end(&w);
	dc_jw_key(&w, "depends_on");
	dc_jw_arr(&w);
	n = dc_graph_out(g, s, &to, &first);
	for (i = 0; i < n; i++)
		json_show_dep(&w, cat, first + i, to[i]);
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "dependents");
	dc_jw_arr(&w);
	n = dc_graph_in(g, s, &from, &edges);
	for (i = 0; i < n; i++)
		json_show_dep(&w, cat, edges[i], from[i]);
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "blast_radius");
	dc_jw_obj(&w);
	/* the failed service itself is among the down */
	dc_jw_kint(&w, "down", (long long)dc_impact_down_count(blast) - 1);
	dc_jw_kint(&w, "degraded", (long long)dc_impact_degraded_count(blast));
	dc_jw_obj_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

int dc__json_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_id from = dc_paths_from(paths), to = dc_paths_to(paths);
	dc_state st = dc_impact_state(to_fails, from);
	size_t i, k, n = dc_paths_count(paths);
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "path");
	dc_jw_kstr(&w, "from", dc_service_name(cat, from));
	dc_jw_kstr(&w, "to", dc_service_name(cat, to));
	dc_jw_kbool(&w, "depends", n > 0);
	dc_jw_kstr(&w, "from_state_if_to_fails",
		   st == DC_STATE_DOWN ? "down" : st == DC_STATE_DEGRADED ? "degraded" : "up");
	dc_jw_kbool(&w, "truncated", dc_paths_truncated(paths));
	dc_jw_key(&w, "paths");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const size_t *hop;
		size_t len = dc_paths_hops(paths, i, &hop);
		dc_jw_arr(&w);
		for (k = 0; k < len; k++) {
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, hop[k])));
			dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, hop[k])));
			dc_jw_kstr(&w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, hop[k])));
			dc_jw_kbool(&w, "any_of", dc_dep_group(cat, hop[k]) != 0);
			json_at(&w, dc_dep_location(cat, hop[k]));
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* ---- failures: simulate, analyze, critical path -------------------------- */

#include <limits.h>
#include <math.h>

/* -- simulate --fail -- */

static long long sim_json_ms(uint64_t t)
{
	return t > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)t;
}

/* A number, or null when negative (unknown). */
static void json_num_or_null(dc_jsonw *w, const char *key, double v)
{
	dc_jw_key(w, key);
	if (v < 0)
		dc_jw_null(w);
	else
		dc_jw_num(w, v);
}

/* A sum over entrypoints: null when every one added was of unknown
 * traffic (none known), else the known part; the count says how many
 * unknown ones it leaves out. */
static double known_sum(double rps, size_t unknown)
{
	return unknown && rps <= 0 ? -1 : rps;
}

void dc__json_lost(dc_jsonw *w, const dc_blast *b, dc_id s)
{
	json_num_or_null(w, "lost_rps", known_sum(dc_blast_lost_rps(b, s), dc_blast_lost_unknown(b, s)));
	dc_jw_kint(w, "entrypoints_down_without_traffic", (long long)dc_blast_lost_unknown(b, s));
}

/* The traffic of the catalog's entrypoints, by origin. */
static void json_traffic_origins(dc_jsonw *w, size_t declared, size_t observed, size_t unknown)
{
	dc_jw_key(w, "entrypoints_traffic");
	dc_jw_obj_inline(w);
	dc_jw_kint(w, "declared", (long long)declared);
	dc_jw_kint(w, "observed", (long long)observed);
	dc_jw_kint(w, "unknown", (long long)unknown);
	dc_jw_obj_end(w);
}

/* the services of the timeline in state `st`, each with its cause chain */
static void sim_json_events(dc_jsonw *w, const dc_simulation *s, dc_state st, int full_paths)
{
	const dc_traffic *tr = dc_simulation_traffic(s);
	int traffic = dc_traffic_known(tr) > 0;
	const dc_impact *imp = dc_simulation_impact(s);
	const dc_catalog *cat = dc_graph_catalog(dc_simulation_graph(s));
	const dc_id *tl;
	size_t i, n = dc_simulation_timeline(s, &tl);
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		dc_id v = tl[i];
		if (dc_impact_state(imp, v) != st)
			continue;
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "service", dc_service_name(cat, v));
		dc_jw_kstr(w, "cause", dc_simulation_cause(s, v));
		/* "cause" names the one predecessor (linear output); the whole
		 * chain, N^2 names on a chain of N services, only on request */
		if (full_paths) {
			dc_jw_key(w, "path");
			dc_jw_arr(w);
			dc_jw_str(w, dc_service_name(cat, v));
			while (dc_impact_cause(imp, v) != UINT32_MAX) {
				v = dc_dep_to(cat, dc_impact_cause(imp, v));
				dc_jw_str(w, dc_service_name(cat, v));
			}
			dc_jw_arr_end(w);
		}
		dc_jw_kint(w, "time_to_impact_ms", sim_json_ms(dc_impact_time_ms(imp, tl[i])));
		dc_jw_kbool(w, "entrypoint", dc_service_is_entrypoint(cat, tl[i]));
		/* what its users lose (DOWN) or still send to it (DEGRADED) */
		if (traffic && dc_service_is_entrypoint(cat, tl[i])) {
			json_num_or_null(w, st == DC_STATE_DOWN ? "lost_rps" : "degraded_rps", dc_traffic_rps(tr, tl[i]));
			dc_jw_kstr(w, "traffic_source", dc_traffic_origin_name(dc_traffic_origin_of(tr, tl[i])));
		}
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

int dc__json_simulation(FILE *fp, const dc_simulation *s, const dc_output_options *opts)
{
	dc_simulation_counts sum = dc_simulation_summary(s);
	dc_simulation_loss loss = dc_simulation_traffic_loss(s);
	const dc_traffic *tr = dc_simulation_traffic(s);
	const char *const *sels;
	size_t i, nsel = dc_selection_selectors(dc_simulation_selection(s), &sels);
	dc_jsonw w;
	int full_paths = dc__output_full_paths(opts);
	dc_jw_init(&w, fp);
	dc__json_head(&w, "simulate");
	dc_jw_key(&w, "failed");
	dc_jw_arr_inline(&w);
	for (i = 0; i < nsel; i++)
		dc_jw_str(&w, sels[i]);
	dc_jw_arr_end(&w);
	dc_jw_kstr(&w, "failure_mode", dc_failure_mode_name(dc_simulation_mode(s)));
	dc_jw_key(&w, "down");
	sim_json_events(&w, s, DC_STATE_DOWN, full_paths);
	dc_jw_key(&w, "degraded");
	sim_json_events(&w, s, DC_STATE_DEGRADED, full_paths);
	dc_jw_key(&w, "summary");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "down", (long long)sum.down);
	dc_jw_kint(&w, "degraded", (long long)sum.degraded);
	dc_jw_kint(&w, "entrypoints_down", (long long)sum.entrypoints_down);
	dc_jw_kint(&w, "entrypoints", (long long)sum.entrypoints);
	json_num_or_null(&w, "lost_rps", known_sum(loss.lost_rps, loss.lost_unknown));
	dc_jw_kint(&w, "entrypoints_down_without_traffic", (long long)loss.lost_unknown);
	json_num_or_null(&w, "degraded_rps", known_sum(loss.degraded_rps, loss.degraded_unknown));
	dc_jw_kint(&w, "entrypoints_degraded_without_traffic", (long long)loss.degraded_unknown);
	json_num_or_null(&w, "traffic_rps", loss.known ? loss.known_rps : -1);
	json_traffic_origins(&w, dc_traffic_count_by_origin(tr, DC_TRAFFIC_DECLARED),
			     dc_traffic_count_by_origin(tr, DC_TRAFFIC_OBSERVED),
			     dc_traffic_count_by_origin(tr, DC_TRAFFIC_UNKNOWN));
	dc_jw_obj_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- simulate --each -- */

static void json_degraded_estimate(dc_jsonw *w, const dc_blast *b, dc_id s);

int dc__json_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, dc_rank_by by,
			     size_t shown, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t i;
	int traffic = dc_blast_traffic_known(b) > 0;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "simulate");
	dc_jw_kint(&w, "services", (long long)dc_blast_count(b));
	dc_jw_kbool(&w, "truncated", shown < dc_blast_count(b));
	dc_jw_kstr(&w, "rank_by", dc_rank_by_name(by));
	json_traffic_origins(&w, dc_blast_traffic_by_origin(b, DC_TRAFFIC_DECLARED),
			     dc_blast_traffic_by_origin(b, DC_TRAFFIC_OBSERVED),
			     dc_blast_traffic_by_origin(b, DC_TRAFFIC_UNKNOWN));
	dc_jw_key(&w, "impact");
	dc_jw_arr(&w);
	for (i = 0; i < shown; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, order[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, order[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, order[i]));
		json_degraded_estimate(&w, b, order[i]);
		if (traffic)
			dc__json_lost(&w, b, order[i]);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	if (dc_blast_estimated_count(b))
		dc_jw_kint(&w, "degraded_estimated", (long long)dc_blast_estimated_count(b));
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- analyze -- */

static void an_json_cycles(dc_jsonw *w, const dc_analysis *a, const dc_catalog *cat, dc_edge_set edges)
{
	int hard = edges == DC_EDGES_HARD_ONLY, startup = edges == DC_EDGES_STARTUP;
	size_t n = dc_analysis_cycle_count(a, edges), i, k;
	dc_jw_key(w, startup ? "startup_cycles" : hard ? "hard_cycles" : "cycles");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const dc_id *mem;
		size_t nm = dc_analysis_cycle_members(a, edges, i, &mem);
		dc_jw_arr_inline(w);
		for (k = 0; k < nm; k++)
			dc_jw_str(w, dc_service_name(cat, mem[k]));
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
	dc_jw_key(w, startup ? "startup_cycle_edges" : hard ? "hard_cycle_edges" : "cycle_edges");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const uint32_t *ed;
		size_t ne = dc_analysis_cycle_edges(a, edges, i, &ed);
		dc_jw_arr(w);
		for (k = 0; k < ne; k++) {
			dc_jw_obj_inline(w);
			dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, ed[k])));
			dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, ed[k])));
			dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, ed[k])));
			dc_jw_kbool(w, "any_of", dc_dep_group(cat, ed[k]) != 0);
			if (dc_dep_is_startup(cat, ed[k]))
				dc_jw_kbool(w, "startup", 1);
			dc__json_loc(w, dc_dep_location(cat, ed[k]));
			dc_jw_obj_end(w);
		}
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
}

static void jnum3(dc_jsonw *w, const char *key, double x);

/* One retry storm risk (dc_analysis_load_risks), in -f json and -f jsonl. */
static void json_load_risk(dc_jsonw *w, const dc_catalog *cat, const dc_overload_risk *x)
{
	static const char *const kinds[] = { "bound", "solved", "exact" };
	dc_jw_kstr(w, "service", dc_service_name(cat, x->service));
	dc_jw_kstr(w, "figure", kinds[x->kind]);
	jnum3(w, "amplification", x->amplification);
	jnum3(w, "baseline_rps", x->baseline_rps);
	jnum3(w, "offered_rps", x->offered_rps);
	jnum3(w, "capacity_rps", x->capacity_rps);
	dc_jw_kbool(w, "over_capacity", x->over_capacity);
	jnum3(w, "bound", x->bound);
	dc_jw_key(w, "trigger");
	if (x->kind == DC_OVERLOAD_RISK_BOUND) {
		dc_jw_null(w);
	} else {
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "service", dc_service_name(cat, x->trigger));
		dc_jw_kstr(w, "how", x->how == DC_OVERLOAD_RISK_FAILS ? "fails" : "hangs");
		dc_jw_kbool(w, "converged", x->converged);
		dc_jw_obj_end(w);
	}
	dc_jw_kbool(w, "baseline_over", x->baseline_over);
}

/* The risks section of analyze -f json: list_limit rows with the total. */
static void json_load_risks(dc_jsonw *w, const dc_catalog *cat, const dc_overload_risks *r, size_t lim)
{
	const dc_overload_risk *x;
	size_t n = dc_overload_risks_get(r, &x), shown = lim && lim < n ? lim : n, i;
	dc_jw_kint(w, "load_risks_total", (long long)n);
	dc_jw_kbool(w, "load_risks_truncated", shown < n);
	dc_jw_kint(w, "load_risks_solved", (long long)dc_overload_risks_solved(r));
	dc_jw_kbool(w, "load_risks_converged", dc_overload_risks_converged(r));
	dc_jw_kbool(w, "load_risks_nominal", dc_overload_risks_nominal(r));
	dc_jw_key(w, "load_risks");
	dc_jw_arr(w);
	for (i = 0; i < shown; i++) {
		dc_jw_obj_inline(w);
		json_load_risk(w, cat, &x[i]);
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

/* A retry amplification row's service, factor (null when unbounded),
 * unbounded, and saturated when the product stopped at
 * DC_AMPLIFICATION_MAX ("at least"): -f json and -f jsonl alike. */
static void amp_fields(dc_jsonw *w, const dc_catalog *cat, const dc_amplification *x)
{
	dc_jw_kstr(w, "service", dc_service_name(cat, x->service));
	dc_jw_key(w, "factor");
	if (x->unbounded)
		dc_jw_null(w);
	else
		dc_jw_num(w, x->factor);
	dc_jw_kbool(w, "unbounded", x->unbounded);
	if (!x->unbounded && x->factor >= DC_AMPLIFICATION_MAX)
		dc_jw_kbool(w, "saturated", 1);
}

/* A DEGRADED count that is an estimate (DC_BLAST_ESTIMATE) says so, with
 * its bounds; an exact one adds nothing. */
static void json_degraded_estimate(dc_jsonw *w, const dc_blast *b, dc_id s)
{
	size_t lo, hi;
	if (!dc_blast_degraded_is_estimate(b, s))
		return;
	dc_blast_degraded_bounds(b, s, &lo, &hi);
	dc_jw_key(w, "degraded_estimate");
	dc_jw_obj_inline(w);
	dc_jw_kint(w, "low", (long long)lo);
	dc_jw_kint(w, "high", (long long)hi);
	dc_jw_obj_end(w);
}

int dc__json_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_analysis_graph(a));
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *eps;
	const uint32_t *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, ne;
	int dir;
	dc_jsonw w;
	dc_id *path;
	size_t maxlen = 1, nshown, lim = dc__output_list_limit(opts);

	/* one buffer for the longest amplification path (walked on demand) */
	n = dc_analysis_amplification(a, &amp);
	if (lim && lim < n)
		n = lim;
	for (i = 0; i < n; i++)
		if (amp[i].path_len > maxlen)
			maxlen = amp[i].path_len;
	path = malloc(maxlen * sizeof(dc_id));
	if (!path)
		return DC_ENOMEM;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "analyze");
	dc_jw_kint(&w, "services", (long long)dc_catalog_service_count(cat));
	dc_jw_kint(&w, "dependencies", (long long)dc_catalog_dep_count(cat));
	dc_jw_kint(&w, "entrypoints", (long long)dc_analysis_entrypoint_count(a));
	json_traffic_origins(&w, dc_blast_traffic_by_origin(b, DC_TRAFFIC_DECLARED),
			     dc_blast_traffic_by_origin(b, DC_TRAFFIC_OBSERVED),
			     dc_blast_traffic_by_origin(b, DC_TRAFFIC_UNKNOWN));
	an_json_cycles(&w, a, cat, DC_EDGES_ALL);
	an_json_cycles(&w, a, cat, DC_EDGES_HARD_ONLY);
	an_json_cycles(&w, a, cat, DC_EDGES_STARTUP);
	/* SPOFs and blast radii have a row per service: list_limit rows
	 * (default 100) with the total and whether the list was cut; -f jsonl
	 * streams every row */
	n = dc_analysis_spofs(a, &ids);
	nshown = lim && lim < n ? lim : n;
	dc_jw_kint(&w, "spofs_total", (long long)n);
	dc_jw_kbool(&w, "spofs_truncated", nshown < n);
	dc_jw_key(&w, "spofs");
	dc_jw_arr(&w);
	for (i = 0; i < nshown; i++) {
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
		dc_jw_key(&w, "entrypoints");
		dc_jw_arr(&w);
		for (k = 0; k < ne; k++)
			dc_jw_str(&w, dc_service_name(cat, eps[k]));
		dc_jw_arr_end(&w);
		/* the list keeps DC_BLAST_SPOF_KEPT entrypoints: the total when it is cut */
		if (dc_analysis_spof_total(a, ids[i]) > ne)
			dc_jw_kint(&w, "entrypoints_total", (long long)dc_analysis_spof_total(a, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_blast_order(a, &ids);
	nshown = lim && lim < n ? lim : n;
	dc_jw_kint(&w, "blast_radius_total", (long long)n);
	dc_jw_kbool(&w, "blast_radius_truncated", nshown < n);
	dc_jw_kstr(&w, "blast_rank_by", dc_rank_by_name(dc_analysis_rank_by(a)));
	dc_jw_key(&w, "blast_radius");
	dc_jw_arr(&w);
	for (i = 0; i < nshown; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, ids[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, ids[i]));
		json_degraded_estimate(&w, b, ids[i]);
		if (dc_blast_traffic_known(b))
			dc__json_lost(&w, b, ids[i]);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	if (dc_blast_estimated_count(b))
		dc_jw_kint(&w, "blast_degraded_estimated", (long long)dc_blast_estimated_count(b));
	dc_jw_kint(&w, "max_depth", (long long)dc_analysis_max_depth(a));
	n = dc_analysis_longest_hard_chain(a, &ids);
	dc_jw_key(&w, "longest_hard_chain");
	dc_jw_arr_inline(&w);
	for (i = 0; i < n; i++)
		dc_jw_str(&w, dc_service_name(cat, ids[i]));
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "hubs");
	dc_jw_obj(&w);
	for (dir = 0; dir < 2; dir++) {
		n = dc_analysis_hubs(a, dir ? DC_HUBS_FAN_OUT : DC_HUBS_FAN_IN, &ids, &cnt);
		dc_jw_key(&w, dir ? "fan_out" : "fan_in");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
			dc_jw_kint(&w, "count", cnt[i]);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);
	/* each row carries a path of up to N names: at most list_limit rows
	 * (default 100), with the total and whether the list was cut */
	n = dc_analysis_amplification(a, &amp);
	nshown = lim && lim < n ? lim : n;
	dc_jw_kint(&w, "retry_amplification_total", (long long)n);
	dc_jw_kbool(&w, "retry_amplification_truncated", nshown < n);
	dc_jw_key(&w, "retry_amplification");
	dc_jw_arr(&w);
	for (i = 0; i < nshown; i++) {
		dc_jw_obj_inline(&w);
		amp_fields(&w, cat, &amp[i]);
		dc_jw_key(&w, "path");
		dc_jw_arr(&w);
		dc_analysis_amplification_path(a, i, path, amp[i].path_len);
		for (k = 0; k < amp[i].path_len; k++)
			dc_jw_str(&w, dc_service_name(cat, path[k]));
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_timeout_violations(a, &tv);
	nshown = lim && lim < n ? lim : n;
	dc_jw_kint(&w, "timeout_budget_total", (long long)n);
	dc_jw_kbool(&w, "timeout_budget_truncated", nshown < n);
	dc_jw_key(&w, "timeout_budget");
	dc_jw_arr(&w);
	for (i = 0; i < nshown; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, tv[i].dep)));
		dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, tv[i].dep)));
		dc_jw_knum(&w, "timeout_ms", tv[i].timeout_ms);
		dc_jw_knum(&w, "needed_ms", tv[i].needed_ms);
		dc__json_loc(&w, dc_dep_location(cat, tv[i].dep));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "timeout_budget_on_defaults", (long long)dc_analysis_timeout_default_count(a));
	if (dc_analysis_load_risks(a))
		json_load_risks(&w, cat, dc_analysis_load_risks(a), lim);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	free(path);
	return 0;
}

/* -- analyze -f jsonl: one record a line, streamed; every row -- */

int dc__jsonl_analysis(FILE *fp, const dc_analysis *a, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_analysis_graph(a));
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *spofs;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, nspof = dc_analysis_spofs(a, &spofs), namp = dc_analysis_amplification(a, &amp);
	size_t ntv = dc_analysis_timeout_violations(a, &tv);
	dc_jsonw w;
	int e;
	static const dc_edge_set sets[3] = { DC_EDGES_ALL, DC_EDGES_HARD_ONLY, DC_EDGES_STARTUP };
	static const char *const set_names[3] = { "all", "hard", "startup" };
	jsonl_open(&w, fp, "analyze");
	dc_jw_kstr(&w, "depcheck_version", dc_version());
	dc_jw_kint(&w, "schema_version", DC__JSON_SCHEMA_VERSION);
	dc_jw_kint(&w, "services", (long long)dc_catalog_service_count(cat));
	dc_jw_kint(&w, "dependencies", (long long)dc_catalog_dep_count(cat));
	dc_jw_kint(&w, "entrypoints", (long long)dc_analysis_entrypoint_count(a));
	dc_jw_kint(&w, "cycles", (long long)dc_analysis_cycle_count(a, DC_EDGES_ALL));
	dc_jw_kint(&w, "hard_cycles", (long long)dc_analysis_cycle_count(a, DC_EDGES_HARD_ONLY));
	dc_jw_kint(&w, "startup_cycles", (long long)dc_analysis_cycle_count(a, DC_EDGES_STARTUP));
	dc_jw_kint(&w, "spofs", (long long)nspof);
	if (dc_blast_estimated_count(b))
		dc_jw_kint(&w, "blast_degraded_estimated", (long long)dc_blast_estimated_count(b));
	dc_jw_kint(&w, "max_depth", (long long)dc_analysis_max_depth(a));
	dc_jw_kint(&w, "retry_amplification", (long long)namp);
	dc_jw_kint(&w, "timeout_budget", (long long)ntv);
	if (dc_analysis_load_risks(a)) {
		const dc_overload_risks *r = dc_analysis_load_risks(a);
		dc_jw_kint(&w, "load_risks", (long long)dc_overload_risks_get(r, NULL));
		dc_jw_kint(&w, "load_risks_solved", (long long)dc_overload_risks_solved(r));
		dc_jw_kbool(&w, "load_risks_converged", dc_overload_risks_converged(r));
		dc_jw_kbool(&w, "load_risks_nominal", dc_overload_risks_nominal(r));
	}
	dc__json_assumptions(&w, opts);
	jsonl_close(&w);
	/* every service, by blast radius (the JSON's order), with the number of
	 * entrypoints its lone failure takes down (> 0: a SPOF) */
	n = dc_analysis_blast_order(a, &ids);
	for (i = 0; i < n; i++) {
		jsonl_open(&w, fp, "service");
		dc_jw_kstr(&w, "service", dc_service_name(cat, ids[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, ids[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, ids[i]));
		json_degraded_estimate(&w, b, ids[i]);
		dc_jw_kint(&w, "entrypoints_down", (long long)dc_analysis_spof_total(a, ids[i]));
		jsonl_close(&w);
	}
	for (e = 0; e < 3; e++) {
		n = dc_analysis_cycle_count(a, sets[e]);
		for (i = 0; i < n; i++) {
			const dc_id *mem;
			size_t nm = dc_analysis_cycle_members(a, sets[e], i, &mem);
			jsonl_open(&w, fp, "cycle");
			dc_jw_kstr(&w, "edges", set_names[e]);
			dc_jw_key(&w, "services");
			dc_jw_arr(&w);
			for (k = 0; k < nm; k++)
				dc_jw_str(&w, dc_service_name(cat, mem[k]));
			dc_jw_arr_end(&w);
			jsonl_close(&w);
		}
	}
	/* amplification without its path (up to N names a row: -f json --all) */
	for (i = 0; i < namp; i++) {
		jsonl_open(&w, fp, "retry_amplification");
		amp_fields(&w, cat, &amp[i]);
		dc_jw_kint(&w, "path_length", (long long)amp[i].path_len);
		jsonl_close(&w);
	}
	for (i = 0; i < ntv; i++) {
		jsonl_open(&w, fp, "timeout_budget");
		dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, tv[i].dep)));
		dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, tv[i].dep)));
		dc_jw_knum(&w, "timeout_ms", tv[i].timeout_ms);
		dc_jw_knum(&w, "needed_ms", tv[i].needed_ms);
		dc__json_loc(&w, dc_dep_location(cat, tv[i].dep));
		jsonl_close(&w);
	}
	if (dc_analysis_load_risks(a)) {
		const dc_overload_risk *x;
		n = dc_overload_risks_get(dc_analysis_load_risks(a), &x);
		for (i = 0; i < n; i++) {
			jsonl_open(&w, fp, "load_risk");
			json_load_risk(&w, cat, &x[i]);
			jsonl_close(&w);
		}
	}
	return 0;
}

/* -- critical path -- */

/* milliseconds rounded to the microsecond, as the text shows them */
static double cp_json_ms(double v)
{
	return round(v * 1000.0) / 1000.0;
}

int dc__json_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts)
{
	const dc_critical *cp = dc_critical_paths_critical(p);
	const dc_catalog *cat = dc_graph_catalog(dc_critical_paths_graph(p));
	size_t i, k, n = dc_critical_paths_count(p), nh, nign;
	size_t lim = dc__output_list_limit(opts), shown = lim && lim < n ? lim : n;
	const dc_critical_hop *h;
	const uint32_t *ign;
	int rc = 0;
	dc_jsonw w;

	dc_jw_init(&w, fp);
	dc__json_head(&w, "critical-path");
	/* the slowest `lim` chains (each up to N hops), with the total */
	dc_jw_kint(&w, "total", (long long)n);
	dc_jw_kbool(&w, "truncated", shown < n);
	dc_jw_key(&w, "paths");
	dc_jw_arr(&w);
	for (i = 0; i < shown; i++) {
		dc_id root = dc_critical_paths_root(p, i);
		if ((rc = dc_critical_paths_chain(p, i, &h, &nh, &ign, &nign)))
			break;
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, root));
		dc_jw_knum(&w, "total_ms", cp_json_ms(dc_critical_total_ms(cp, root)));
		dc_jw_key(&w, "chain");
		dc_jw_arr(&w);
		for (k = 0; k < nh; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, h[k].service));
			dc_jw_knum(&w, "own_ms", cp_json_ms(h[k].own_ms));
			dc_jw_key(&w, "stage");
			if (h[k].depth)
				dc_jw_int(&w, h[k].stage);
			else
				dc_jw_null(&w);
			dc_jw_knum(&w, "start_ms", cp_json_ms(h[k].start_ms));
			dc_jw_knum(&w, "end_ms", cp_json_ms(h[k].end_ms));
			dc_jw_kint(&w, "depth", h[k].depth);
			dc_jw_kbool(&w, "repeated", h[k].repeated);
			if (dc_critical_latency_observed(cp, h[k].service))
				dc_jw_kbool(&w, "latency_observed", 1);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "cycle_calls_ignored");
		dc_jw_arr(&w);
		for (k = 0; k < nign; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, ign[k])));
			dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, ign[k])));
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return rc;
}

/* ---- availability and plan ------------------------------------------------ */

#include <stdlib.h>

#define MIN_PER_30D 43200.0

static void avail_num_or_null(dc_jsonw *w, const char *key, double v, int present)
{
	dc_jw_key(w, key);
	if (present)
		dc_jw_num(w, v);
	else
		dc_jw_null(w);
}

int dc__json_availability(FILE *fp, const dc_availability_report *r, const dc_output_options *opts)
{
	static const dc_availability_options defaults = DC_AVAILABILITY_OPTIONS_INIT;
	const dc_availability_options *ao = r->options ? r->options : &defaults;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	const dc_availability *a = r->a;
	const dc_id *rows = r->rows, *eps;
	size_t n = r->nrows, top = r->top ? r->top : 10;
	size_t neps = dc_availability_entrypoints(a, &eps), i, k, j;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "availability");
	dc_jw_kint(&w, "services", (long long)n);
	dc_jw_kint(&w, "trials", (long long)dc_availability_trials(a));
	dc_jw_kint(&w, "seed", (long long)ao->seed);
	dc_jw_knum(&w, "zone_failure", ao->zone_failure);
	dc_jw_kint(&w, "max_order", (long long)(ao->max_order ? ao->max_order : 2));
	dc_jw_kint(&w, "slo_misses", (long long)r->nmiss);
	{
		size_t unk = 0;
		for (i = 0; i < n; i++)
			unk += dc_availability_slo_unknown(a, r->g, rows[i]) != 0;
		dc_jw_kint(&w, "slo_unknown", (long long)unk);   /* below, on defaults only */
	}
	dc_jw_key(&w, "availability");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_availability_estimate *e = dc_availability_of(a, rows[i]);
		double slo = dc_service_slo(cat, rows[i]);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, rows[i]));
		avail_num_or_null(&w, "availability", e->availability, e->method != DC_AVAIL_NONE);
		avail_num_or_null(&w, "ci_low", e->ci_low, e->method != DC_AVAIL_NONE);
		avail_num_or_null(&w, "ci_high", e->ci_high, e->method != DC_AVAIL_NONE);
		dc_jw_kstr(&w, "method", dc_avail_method_name(e->method));
		avail_num_or_null(&w, "slo", slo, slo >= 0);
		dc_jw_key(&w, "meets_slo");
		/* null: no SLO, not computed, or below it on defaults alone (unknown) */
		if (slo >= 0 && e->method != DC_AVAIL_NONE && !dc_availability_slo_unknown(a, r->g, rows[i]))
			dc_jw_bool(&w, !dc_availability_misses_slo(a, r->g, rows[i]));
		else
			dc_jw_null(&w);
		dc_jw_kbool(&w, "on_defaults", dc_availability_on_defaults(a, rows[i]));
		avail_num_or_null(&w, "downtime_min_per_30d", (1 - e->availability) * MIN_PER_30D,
			     e->method != DC_AVAIL_NONE);
		dc_jw_kbool(&w, "entrypoint", dc_service_is_entrypoint(cat, rows[i]));
		dc_jw_knum(&w, "own_availability", dc_service_availability(cat, rows[i]));
		dc_jw_kstr(&w, "own_availability_source",
			   dc_availability_source_name(dc_service_availability_source(cat, rows[i])));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "importance");
	dc_jw_arr(&w);
	for (i = 0; i < neps; i++) {
		const dc_importance *imp;
		dc_avail_method m;
		uint64_t tr;
		size_t ni = dc_availability_importance(a, eps[i], &imp, &m, &tr);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, eps[i]));
		dc_jw_kstr(&w, "method", dc_avail_method_name(m));
		dc_jw_kint(&w, "trials", (long long)tr);
		dc_jw_kint(&w, "total", (long long)ni);
		dc_jw_key(&w, "services");
		dc_jw_arr(&w);
		for (k = 0; k < ni && k < top; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, imp[k].service));
			dc_jw_knum(&w, "birnbaum", imp[k].birnbaum);
			dc_jw_knum(&w, "fussell_vesely", imp[k].fussell_vesely);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "cut_sets");
	dc_jw_arr(&w);
	for (i = 0; i < neps; i++) {
		const dc_cut_set *cs;
		int complete;
		size_t nc = dc_availability_cut_sets(a, eps[i], &cs, &complete);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, eps[i]));
		dc_jw_kbool(&w, "complete", complete);
		dc_jw_kint(&w, "total", (long long)nc);
		dc_jw_key(&w, "sets");
		dc_jw_arr(&w);
		for (k = 0; k < nc && k < top; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_key(&w, "services");
			dc_jw_arr_inline(&w);
			for (j = 0; j < cs[k].order; j++)
				dc_jw_str(&w, dc_service_name(cat, cs[k].services[j]));
			dc_jw_arr_end(&w);
			dc_jw_kint(&w, "order", (long long)cs[k].order);
			dc_jw_knum(&w, "probability", cs[k].probability);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

static void plan_names(dc_jsonw *w, const dc_catalog *cat, const dc_id *ids, size_t n)
{
	size_t k;
	dc_jw_arr_inline(w);
	for (k = 0; k < n; k++)
		dc_jw_str(w, dc_service_name(cat, ids[k]));
	dc_jw_arr_end(w);
}

int dc__json_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts)
{
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t nw = dc_plan_wave_count(p), ng = dc_plan_lockstep_count(p), i, k;
	const dc_id *ids;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "plan");
	/* a cold start orders providers first; "cold-start" is not an order */
	dc_jw_kstr(&w, "order", !r->cold_start && r->order == DC_PLAN_CONSUMERS_FIRST ? "consumers-first" :
		   "providers-first");
	dc_jw_kbool(&w, "cold_start", r->cold_start);
	dc_jw_kint(&w, "services", (long long)dc_plan_service_count(p));
	dc_jw_kint(&w, "depth", (long long)dc_plan_depth(p));
	dc_jw_key(&w, "waves");
	dc_jw_arr(&w);
	for (i = 0; i < nw; i++) {
		size_t n = dc_plan_wave(p, i, &ids);
		plan_names(&w, cat, ids, n);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "lockstep");
	dc_jw_arr(&w);
	for (i = 0; i < ng; i++) {
		size_t n = dc_plan_lockstep_members(p, i, &ids);
		plan_names(&w, cat, ids, n);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "rollback");
	dc_jw_arr(&w);
	for (i = 0; i < nw; i++) {
		size_t n = dc_plan_rollback_wave(p, i, &ids);
		plan_names(&w, cat, ids, n);
	}
	dc_jw_arr_end(&w);
	if (r->cold_start) {
		dc_jw_key(&w, "cold_start_cycles");
		dc_jw_arr(&w);
		for (i = 0; i < ng; i++) {
			const uint32_t *ed;
			size_t n = dc_plan_lockstep_members(p, i, &ids), ne = dc_plan_lockstep_edges(p, i, &ed);
			dc_jw_obj(&w);
			dc_jw_key(&w, "services");
			plan_names(&w, cat, ids, n);
			dc_jw_key(&w, "edges");
			dc_jw_arr(&w);
			for (k = 0; k < ne; k++) {
				dc_jw_obj_inline(&w);
				dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, ed[k])));
				dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, ed[k])));
				if (dc_dep_is_startup(cat, ed[k]))
					dc_jw_kbool(&w, "startup", 1);
				dc__json_loc(&w, dc_dep_location(cat, ed[k]));
				dc_jw_obj_end(&w);
			}
			dc_jw_arr_end(&w);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#include <limits.h>
#include <string.h>

static void json_violation_fields(dc_jsonw *w, const dc_violation *x)
{
	dc_jw_kstr(w, "rule", x->rule);
	dc_jw_kstr(w, "severity", dc_level_name(x->level));
	dc_jw_kstr(w, "message", x->message);
	dc_jw_kstr(w, "service", x->service);
	dc_jw_kstr(w, "target", x->target);
	dc__json_loc(w, x->loc);
	dc_jw_kstr(w, "key", x->key);
	if (x->waived)
		dc_jw_kstr(w, "waived", x->waived);
}

void dc__json_violation(dc_jsonw *w, const dc_violation *x)
{
	dc_jw_obj_inline(w);
	json_violation_fields(w, x);
	dc_jw_obj_end(w);
}

void dc__json_observed(dc_jsonw *w, const dc_observed_source *o)
{
	size_t k;
	dc_jw_obj_inline(w);
	dc_jw_key(w, "files");
	dc_jw_arr_inline(w);
	for (k = 0; k < o->nfiles; k++)
		dc_jw_str(w, o->files[k]);
	dc_jw_arr_end(w);
	dc_jw_kint(w, "edges", (long long)(o->observed ? dc_observed_count(o->observed) : 0));
	dc_jw_kint(w, "min_calls", (long long)o->min_calls);
	dc_jw_obj_end(w);
}

/* a rule's findings that count (not waived) */
static size_t vio_count_rule(const dc_violations *v, const char *id)
{
	return dc_violations_count_rule(v, id, 0);
}

int dc__json_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts)
{
	dc__vrule *rules;
	size_t nrules, i, n = dc_violations_count(r->v), *hidden, nhidden = 0;
	uint8_t *shown = NULL;
	dc_jsonw w;
	if (dc__violation_rules(r, &rules, &nrules))
		return DC_ENOMEM;
	/* the first list_limit findings of each rule (default 100; 0 = all) */
	if (!(hidden = malloc((nrules + 1) * sizeof(size_t))) ||
	    dc__violations_shown(r, opts, rules, nrules, &shown, hidden)) {
		free(rules);
		free(hidden);
		return DC_ENOMEM;
	}
	for (i = 0; i < nrules; i++)
		nhidden += hidden[i];
	dc_jw_init(&w, fp);
	dc__json_head(&w, r->command);
	dc_jw_kstr(&w, "policy", r->policy_name);
	dc_jw_kbool(&w, "passed", !r->failed);
	dc_jw_kstr(&w, "fail_on", r->fail_on == DC_LEVEL_OFF ? "never" : dc_level_name(r->fail_on));
	dc_jw_kint(&w, "errors", (long long)dc_violations_count_level(r->v, DC_LEVEL_ERROR));
	dc_jw_kint(&w, "warnings", (long long)dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	dc_jw_kint(&w, "waived", (long long)dc_violations_count_waived(r->v));
	dc_jw_key(&w, "baseline");
	if (r->nbaseline) {
		dc_jw_obj(&w);
		dc_jw_key(&w, "paths");
		dc_jw_arr_inline(&w);
		for (i = 0; i < r->nbaseline; i++)
			dc_jw_str(&w, r->baseline[i]);
		dc_jw_arr_end(&w);
		dc_jw_kint(&w, "ignored", (long long)r->ignored);
		dc_jw_obj_end(&w);
	} else {
		dc_jw_null(&w);
	}
	dc_jw_key(&w, "observed");
	if (r->observed)
		dc__json_observed(&w, r->observed);
	else
		dc_jw_null(&w);
	dc_jw_key(&w, "rules");
	dc_jw_arr(&w);
	for (i = 0; i < nrules; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", rules[i].id);
		dc_jw_kstr(&w, "severity", dc_level_name(rules[i].level));
		dc_jw_kint(&w, "violations", (long long)vio_count_rule(r->v, rules[i].id));
		dc_jw_kstr(&w, "description", rules[i].description);
		if (hidden[i])
			dc_jw_kint(&w, "violations_not_listed", (long long)hidden[i]);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "violations_total", (long long)dc_violations_total(r->v));
	dc_jw_kbool(&w, "violations_truncated", nhidden > 0);
	dc_jw_key(&w, "violations");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++)
		if (shown[i])
			dc__json_violation(&w, dc_violations_get(r->v, i));
	dc_jw_arr_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	free(rules);
	free(hidden);
	free(shown);
	return 0;
}

/* ---- reconcile ---- */

/* JSON integers are signed 64-bit here: saturate (counts add up saturating) */
/* -- check -f jsonl: one record a line, streamed; every finding -- */

int dc__jsonl_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts)
{
	dc__vrule *rules;
	size_t nrules, i, n = dc_violations_count(r->v);
	dc_jsonw w;
	if (dc__violation_rules(r, &rules, &nrules))
		return DC_ENOMEM;
	jsonl_open(&w, fp, r->command);
	dc_jw_kstr(&w, "depcheck_version", dc_version());
	dc_jw_kint(&w, "schema_version", DC__JSON_SCHEMA_VERSION);
	dc_jw_kstr(&w, "policy", r->policy_name);
	dc_jw_kbool(&w, "passed", !r->failed);
	dc_jw_kstr(&w, "fail_on", r->fail_on == DC_LEVEL_OFF ? "never" : dc_level_name(r->fail_on));
	dc_jw_kint(&w, "errors", (long long)dc_violations_count_level(r->v, DC_LEVEL_ERROR));
	dc_jw_kint(&w, "warnings", (long long)dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	dc_jw_kint(&w, "waived", (long long)dc_violations_count_waived(r->v));
	dc_jw_kint(&w, "violations", (long long)n);
	if (r->nbaseline)
		dc_jw_kint(&w, "baseline_ignored", (long long)r->ignored);
	dc__json_assumptions(&w, opts);
	jsonl_close(&w);
	for (i = 0; i < nrules; i++) {
		jsonl_open(&w, fp, "rule");
		dc_jw_kstr(&w, "id", rules[i].id);
		dc_jw_kstr(&w, "severity", dc_level_name(rules[i].level));
		dc_jw_kint(&w, "violations", (long long)vio_count_rule(r->v, rules[i].id));
		dc_jw_kstr(&w, "description", rules[i].description);
		jsonl_close(&w);
	}
	for (i = 0; i < n; i++) {
		jsonl_open(&w, fp, "violation");
		json_violation_fields(&w, dc_violations_get(r->v, i));
		jsonl_close(&w);
	}
	free(rules);
	return 0;
}

static long long rec_count(uint64_t v)
{
	return v > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)v;
}

int dc__json_reconcile(FILE *fp, const dc_reconcile_report *rep, const dc_output_options *opts)
{
	const dc_reconcile *r = rep->r;
	const dc_observed *obs = rep->observed.observed;
	const dc_catalog *cat = dc_graph_catalog(rep->g);
	const dc_undeclared *u;
	const uint32_t *st;
	const dc_unknown_service *unk;
	size_t nu = dc_reconcile_undeclared(r, &u), ns = dc_reconcile_stale(r, &st);
	size_t nk = dc_reconcile_unknown(r, &unk), i, hard = 0;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "reconcile");
	dc_jw_key(&w, "observed");
	dc__json_observed(&w, &rep->observed);
	dc_jw_key(&w, "undeclared");
	dc_jw_arr(&w);
	for (i = 0; i < nu; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "caller", dc_service_name(cat, u[i].caller));
		dc_jw_kstr(&w, "callee", u[i].callee != DC_NO_ID ? dc_service_name(cat, u[i].callee) :
			   dc_observed_callee(obs, u[i].observed));
		dc_jw_kbool(&w, "callee_known", u[i].callee != DC_NO_ID);
		dc_jw_kint(&w, "calls", rec_count(u[i].calls));
		dc__json_loc(&w, dc_observed_location(obs, u[i].observed));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "stale");
	dc_jw_arr(&w);
	for (i = 0; i < ns; i++) {
		hard += dc_dep_kind_of(cat, st[i]) == DC_DEP_HARD && !dc_dep_group(cat, st[i]);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, st[i])));
		dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, st[i])));
		dc_jw_kstr(&w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, st[i])));
		dc_jw_kbool(&w, "any_of", dc_dep_group(cat, st[i]) != 0);
		dc__json_loc(&w, dc_dep_location(cat, st[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "unknown_services");
	dc_jw_arr(&w);
	for (i = 0; i < nk; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "name", unk[i].name);
		dc_jw_kbool(&w, "ambiguous", unk[i].ambiguous);
		dc_jw_kint(&w, "calls_out", rec_count(unk[i].calls_out));
		dc_jw_kint(&w, "calls_in", rec_count(unk[i].calls_in));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "summary");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "undeclared", (long long)nu);
	dc_jw_kint(&w, "stale", (long long)ns);
	dc_jw_kint(&w, "stale_hard", (long long)hard);
	dc_jw_kint(&w, "confirmed", (long long)dc_reconcile_confirmed(r));
	dc_jw_kint(&w, "not_covered", (long long)dc_reconcile_not_covered(r));
	dc_jw_kint(&w, "unknown_services", (long long)nk);
	dc_jw_obj_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* ---- diff ---- */

static void diff_json_dep_value(dc_jsonw *w, const dc_catalog *cat, size_t e, unsigned bit)
{
	dc_id s;
	size_t f, n, i;
	unsigned g;
	switch (bit) {
	case DC_DIFF_KIND: dc_jw_str(w, dc_diff_dep_kind_label(cat, e)); return;
	case DC_DIFF_ANY_OF:
		/* the targets of dependency e's any_of group, in declaration order */
		s = dc_dep_from(cat, e);
		f = dc_service_dep_first(cat, s);
		n = dc_service_dep_count(cat, s);
		g = dc_dep_group(cat, e);
		dc_jw_arr_inline(w);
		for (i = 0; i < n; i++)
			if (dc_dep_group(cat, f + i) == g)
				dc_jw_str(w, dc_service_name(cat, dc_dep_to(cat, f + i)));
		dc_jw_arr_end(w);
		return;
	case DC_DIFF_TIMEOUT: dc_jw_int(w, (long long)dc_dep_timeout_ms(cat, e)); return;
	case DC_DIFF_RETRIES: dc_jw_int(w, (long long)dc_dep_retries(cat, e)); return;
	case DC_DIFF_STAGE: dc_jw_int(w, (long long)dc_dep_stage(cat, e)); return;
	}
	dc_jw_int(w, 0);
}

static void diff_json_side(dc_jsonw *w, const char *key, const char *const *paths, size_t n,
			   const dc_catalog *cat)
{
	size_t i;
	dc_jw_key(w, key);
	dc_jw_obj(w);
	dc_jw_key(w, "paths");
	dc_jw_arr_inline(w);
	for (i = 0; i < n; i++)
		dc_jw_str(w, paths[i]);
	dc_jw_arr_end(w);
	dc_jw_kint(w, "services", (long long)dc_catalog_service_count(cat));
	dc_jw_kint(w, "dependencies", (long long)dc_catalog_dep_count(cat));
	dc_jw_obj_end(w);
}

static void diff_json_deps(dc_jsonw *w, const char *key, const dc_catalog *cat, const uint32_t *deps, size_t n)
{
	size_t i;
	dc_jw_key(w, key);
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, deps[i])));
		dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, deps[i])));
		dc_jw_kstr(w, "kind", dc_diff_dep_kind_label(cat, deps[i]));
		dc__json_loc(w, dc_dep_location(cat, deps[i]));
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

static void diff_json_changes(dc_jsonw *w, const dc_catalog *cb, const dc_catalog *ch, const dc_diff_change *c,
			      int dep)
{
	unsigned bit, last = dep ? DC_DIFF_DEP_LAST : DC_DIFF_SERVICE_LAST;
	dc_jw_key(w, "changes");
	dc_jw_arr_inline(w);
	for (bit = 1; bit <= last; bit <<= 1) {
		if (!(c->fields & bit))
			continue;
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "field", dc_diff_field_name(bit, dep ? DC_DIFF_DEP_FIELD : DC_DIFF_SERVICE_FIELD));
		dc_jw_key(w, "base");
		if (dep)
			diff_json_dep_value(w, cb, c->base, bit);
		else
			dc__json_service_value(w, cb, c->base, bit, 1);
		dc_jw_key(w, "head");
		if (dep)
			diff_json_dep_value(w, ch, c->head, bit);
		else
			dc__json_service_value(w, ch, c->head, bit, 1);
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

static void diff_json_names(dc_jsonw *w, const dc_catalog *cat, const dc_id *ids, size_t n)
{
	size_t i;
	dc_jw_arr_inline(w);
	for (i = 0; i < n; i++)
		dc_jw_str(w, dc_service_name(cat, ids[i]));
	dc_jw_arr_end(w);
}

int dc__json_diff(FILE *fp, const dc_diff_report *r, const dc_output_options *opts)
{
	const dc_diff *d = r->d;
	const dc_catalog *cb = dc_graph_catalog(dc_diff_base(d)), *chc = dc_graph_catalog(dc_diff_head(d));
	const dc_id *ids;
	const uint32_t *deps;
	const dc_diff_change *ch;
	size_t n, i;
	int side, hard;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "diff");
	diff_json_side(&w, "base", r->base_paths, r->nbase, cb);
	diff_json_side(&w, "head", r->head_paths, r->nhead, chc);

	n = dc_diff_services_added(d, &ids);
	dc_jw_key(&w, "services_added");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(chc, ids[i]));
		dc_jw_kbool(&w, "external", dc_service_is_external(chc, ids[i]));
		dc_jw_kint(&w, "blast_radius", (long long)dc_diff_blast_down(d, DC_DIFF_HEAD, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_diff_services_removed(d, &ids);
	dc_jw_key(&w, "services_removed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cb, ids[i]));
		dc_jw_kbool(&w, "external", dc_service_is_external(cb, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	n = dc_diff_deps_added(d, &deps);
	diff_json_deps(&w, "dependencies_added", chc, deps, n);
	n = dc_diff_deps_removed(d, &deps);
	diff_json_deps(&w, "dependencies_removed", cb, deps, n);
	n = dc_diff_deps_changed(d, &ch);
	dc_jw_key(&w, "dependencies_changed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", dc_service_name(chc, dc_dep_from(chc, ch[i].head)));
		dc_jw_kstr(&w, "to", dc_service_name(chc, dc_dep_to(chc, ch[i].head)));
		diff_json_changes(&w, cb, chc, &ch[i], 1);
		dc__json_loc(&w, dc_dep_location(chc, ch[i].head));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	n = dc_diff_attributes(d, &ch);
	dc_jw_key(&w, "attributes_changed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(chc, ch[i].head));
		diff_json_changes(&w, cb, chc, &ch[i], 0);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	dc_jw_key(&w, "blast_radius");
	dc_jw_obj(&w);
	for (side = DC_DIFF_GREW; side >= DC_DIFF_SHRANK; side--) {
		const dc_diff_blast *b;
		n = dc_diff_blast_changes(d, (dc_diff_trend)side, &b);
		dc_jw_key(&w, side ? "grew" : "shrank");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(chc, b[i].head));
			dc_jw_kint(&w, "base_down", (long long)b[i].base_down);
			dc_jw_kint(&w, "head_down", (long long)b[i].head_down);
			dc_jw_kint(&w, "base_degraded", (long long)b[i].base_degraded);
			dc_jw_kint(&w, "head_degraded", (long long)b[i].head_degraded);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_key(&w, "cycles");
	dc_jw_obj(&w);
	for (side = DC_DIFF_ADDED; side >= DC_DIFF_REMOVED; side--) {
		dc_jw_key(&w, side ? "added" : "removed");
		dc_jw_arr(&w);
		for (hard = 1; hard >= 0; hard--) {
			dc_edge_set kind = hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL;
			n = dc_diff_cycle_count(d, kind, (dc_diff_direction)side);
			for (i = 0; i < n; i++) {
				size_t nm = dc_diff_cycle_members(d, kind, (dc_diff_direction)side, i, &ids);
				dc_jw_obj_inline(&w);
				dc_jw_kbool(&w, "hard", hard);
				dc_jw_key(&w, "services");
				diff_json_names(&w, side ? chc : cb, ids, nm);
				dc_jw_obj_end(&w);
			}
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_key(&w, "spofs");
	dc_jw_obj(&w);
	for (side = DC_DIFF_ADDED; side >= DC_DIFF_REMOVED; side--) {
		n = dc_diff_spofs(d, (dc_diff_direction)side, &ids);
		dc_jw_key(&w, side ? "added" : "removed");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			const dc_id *eps;
			size_t ne = dc_diff_spof_entrypoints(d, side ? DC_DIFF_HEAD : DC_DIFF_BASE, ids[i], &eps);
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(side ? chc : cb, ids[i]));
			dc_jw_key(&w, "entrypoints");
			diff_json_names(&w, side ? chc : cb, eps, ne);
			if (dc_diff_spof_total(d, side ? DC_DIFF_HEAD : DC_DIFF_BASE, ids[i]) > ne)
				dc_jw_kint(&w, "entrypoints_total",
					   (long long)dc_diff_spof_total(d, side ? DC_DIFF_HEAD : DC_DIFF_BASE, ids[i]));
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_kstr(&w, "policy", r->policy_name);
	for (side = 1; side >= 0; side--) {
		const dc_violations *v = side ? r->added : r->fixed;
		size_t nv = v ? dc_violations_count(v) : 0;
		dc_jw_key(&w, side ? "violations_added" : "violations_fixed");
		dc_jw_arr(&w);
		for (i = 0; i < nv; i++)
			dc__json_violation(&w, dc_violations_get(v, i));
		dc_jw_arr_end(&w);
	}
	dc_jw_kbool(&w, "risk_increased", r->risk);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* -- simulate --load -- */

static void jnum3(dc_jsonw *w, const char *key, double x)
{
	dc_jw_key(w, key);
	if (x < 0 || !isfinite(x))
		dc_jw_null(w);
	else
		dc_jw_num(w, dc__round3(x));
}

static void json_edge_retries(dc_jsonw *w, const dc_catalog *cat, const dc_overload *l, dc_overload_state st,
			      size_t e)
{
	double at = dc_overload_attempts(l, st, e);
	dc_jw_obj_inline(w);
	dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, e)));
	dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, e)));
	jnum3(w, "attempts", at);
	jnum3(w, "retry_rps", at > 0 ? dc_overload_edge_rps(l, st, e) * (1 - 1 / at) : 0);
	dc_jw_obj_end(w);
}

int dc__json_overload(FILE *fp, const dc_overload *l, size_t top, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_overload_graph(l));
	const dc_overload_triggers *t = dc_overload_triggers_of(l);
	const dc_id *over;
	const size_t *rt, *sus;
	size_t i, nt = dc_overload_trigger_count(t), nover = dc_overload_overloaded(l, &over);
	size_t nr = dc_overload_retrying(l, &rt), ns = dc_overload_sustaining(l, &sus);
	int meta = dc_overload_metastable(l);
	dc_overload_inputs in = dc_overload_inputs_of(l);
	dc_jsonw w;
	if (!top)
		top = SIZE_MAX;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "simulate");
	dc_jw_kstr(&w, "mode", "load");
	dc_jw_key(&w, "triggers");
	dc_jw_arr_inline(&w);
	for (i = 0; i < nt; i++)
		dc_jw_str(&w, dc_overload_trigger_text(t, i));
	dc_jw_arr_end(&w);
	/* every solve: the after-trigger one decides metastability */
	dc_jw_kbool(&w, "converged", dc_overload_converged(l, DC_OVERLOAD_TRIGGERED) &&
					     dc_overload_converged(l, DC_OVERLOAD_BASELINE) &&
					     dc_overload_converged(l, DC_OVERLOAD_AFTER));
	dc_jw_kint(&w, "iterations", dc_overload_iterations(l, DC_OVERLOAD_TRIGGERED));
	jnum3(&w, "entry_rps", dc_overload_entry_rps(l, DC_OVERLOAD_TRIGGERED));
	jnum3(&w, "lost_rps", dc_overload_lost_rps(l, DC_OVERLOAD_TRIGGERED));
	jnum3(&w, "baseline_lost_rps", dc_overload_lost_rps(l, DC_OVERLOAD_BASELINE));
	dc_jw_key(&w, "overloaded");
	dc_jw_arr(&w);
	for (i = 0; i < nover && i < top; i++) {
		dc_id v = over[i];
		char cause[600];
		double u = dc_overload_utilization(l, DC_OVERLOAD_TRIGGERED, v);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", dc_service_name(cat, v));
		jnum3(&w, "offered_rps", dc_overload_offered_rps(l, DC_OVERLOAD_TRIGGERED, v));
		jnum3(&w, "capacity_rps", dc_overload_capacity(l, DC_OVERLOAD_TRIGGERED, v));
		jnum3(&w, "utilization", u);
		jnum3(&w, "amplification", dc_overload_amplification(l, v));
		jnum3(&w, "in_flight", dc_overload_in_flight(l, DC_OVERLOAD_TRIGGERED, v));
		jnum3(&w, "failure_ratio", dc_overload_failure_ratio(l, DC_OVERLOAD_TRIGGERED, v));
		dc_jw_kstr(&w, "cause", dc_overload_cause_text(l, v, cause, sizeof(cause)));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "overloaded_total", (long long)nover);
	dc_jw_key(&w, "retries");
	dc_jw_arr(&w);
	for (i = 0; i < nr && i < top; i++)
		json_edge_retries(&w, cat, l, DC_OVERLOAD_TRIGGERED, rt[i]);
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "retries_total", (long long)nr);
	dc_jw_key(&w, "metastable");
	if (meta < 0)
		dc_jw_null(&w);
	else
		dc_jw_bool(&w, meta);
	if (meta == 1) {
		dc_overload_fix fx = dc_overload_fix_of(l);
		dc_jw_key(&w, "sustained_by");
		dc_jw_arr(&w);
		for (i = 0; i < ns && i < top; i++)
			json_edge_retries(&w, cat, l, DC_OVERLOAD_AFTER, sus[i]);
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "fix");
		if (fx.kind == DC_OVERLOAD_FIX_NONE) {
			dc_jw_null(&w);
		} else {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "kind", fx.kind == DC_OVERLOAD_FIX_RETRY_BUDGET ? "retry_budget"
					       : fx.kind == DC_OVERLOAD_FIX_FEWER_RETRIES ? "retries" : "replicas");
			if (fx.dep != SIZE_MAX) {
				dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, fx.dep)));
				dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, fx.dep)));
			}
			if (fx.service != DC_NO_ID)
				dc_jw_kstr(&w, "service", dc_service_name(cat, fx.service));
			dc_jw_knum(&w, "value", dc__round3(fx.value));
			dc_jw_kbool(&w, "verified", 1);
			dc_jw_obj_end(&w);
		}
	}
	dc_jw_key(&w, "load_model");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "services", (long long)in.services);
	dc_jw_kint(&w, "unbounded", (long long)in.unbounded);
	dc_jw_kint(&w, "entrypoints_without_traffic", (long long)in.entry_no_traffic);
	if (dc_overload_entry_observed(l)) /* --observed: no traffic_rps, the observed rate */
		dc_jw_kint(&w, "entrypoints_traffic_observed", (long long)dc_overload_entry_observed(l));
	dc_jw_kint(&w, "calls_declared", (long long)(in.calls_set - dc__calls_observed(cat)));
	if (dc__calls_observed(cat)) /* --observed: rate / the caller's observed rate */
		dc_jw_kint(&w, "calls_observed", (long long)dc__calls_observed(cat));
	dc_jw_kint(&w, "breakers", (long long)in.breakers);
	dc_jw_kint(&w, "cycle_edges_without_load", (long long)in.cycle_edges);
	dc_jw_obj_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}
