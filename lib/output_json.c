/*
 * output_json.c - every result as JSON, through the streaming writer
 * (jsonw.c): one object per command, `"command"` first, keys in a fixed
 * order. A service is serialised in one place (dc__json_service) for every
 * result that lists services.
 */
#include "output_int.h"

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
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "validate");
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
static void json_at(dc_jsonw *w, dc_location l)
{
	dc_jw_kstr(w, "file", l.file);
	dc_jw_kint(w, "line", l.line);
	dc_jw_kint(w, "column", l.column);
}

/* a string list: one line in the native schema, else one item a line */
static void json_list(dc_jsonw *w, const char *key, const dc_catalog *cat, dc_id s, size_t n,
		      const char *(*get)(const dc_catalog *, dc_id, size_t), unsigned flags)
{
	size_t i;
	if ((flags & DC__SVC_NATIVE) && !n)
		return;
	dc_jw_key(w, key);
	if (flags & DC__SVC_NATIVE)
		dc_jw_arr_inline(w);
	else
		dc_jw_arr(w);
	for (i = 0; i < n; i++)
		dc_jw_str(w, get(cat, s, i));
	dc_jw_arr_end(w);
}

/* a string attribute: null when unset, or left out in the native schema */
static void json_opt_str(dc_jsonw *w, const char *key, const char *value, unsigned flags)
{
	if (value || !(flags & DC__SVC_NATIVE))
		dc_jw_kstr(w, key, value); /* NULL is written as null */
}

void dc__json_service_keys(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags)
{
	int native = (flags & DC__SVC_NATIVE) != 0;
	dc_jw_kstr(w, "name", dc_service_name(cat, s));
	if (flags & DC__SVC_IDENTITY) {
		dc_jw_kstr(w, "ref", dc_service_ref(cat, s));
		dc_jw_kstr(w, "format", dc_input_format_name(dc_service_format(cat, s)));
	}
	if (!native || dc_service_is_external(cat, s))
		dc_jw_kbool(w, "external", dc_service_is_external(cat, s));
	json_opt_str(w, "owner", dc_service_owner(cat, s), flags);
	json_opt_str(w, "system", dc_service_system(cat, s), flags);
	json_opt_str(w, "description", dc_service_description(cat, s), flags);
	json_opt_str(w, "url", dc_service_url(cat, s), flags);
	if (dc_service_tier(cat, s))
		dc_jw_kint(w, "tier", dc_service_tier(cat, s));
	else if (!native) {
		dc_jw_key(w, "tier");
		dc_jw_null(w);
	}
	dc_jw_kbool(w, "entrypoint", dc_service_is_entrypoint(cat, s));
	dc_jw_kint(w, "replicas", dc_service_replicas(cat, s));
	json_list(w, "zones", cat, s, dc_service_zone_count(cat, s), dc_service_zone, flags);
	dc_jw_knum(w, "availability", dc_service_availability(cat, s));
	if (dc_service_slo(cat, s) >= 0)
		dc_jw_knum(w, "slo", dc_service_slo(cat, s));
	else if (!native) {
		dc_jw_key(w, "slo");
		dc_jw_null(w);
	}
	dc_jw_knum(w, "latency_ms", dc_service_latency_ms(cat, s));
	json_list(w, "tags", cat, s, dc_service_tag_count(cat, s), dc_service_tag, flags);
	if (flags & DC__SVC_LOCATION)
		json_at(w, dc_service_location(cat, s));
}

void dc__json_service(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned flags)
{
	dc_jw_obj(w);
	dc__json_service_keys(w, cat, s, flags);
	dc_jw_obj_end(w);
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
	json_at(w, dc_dep_location(cat, d));
	dc_jw_obj_end(w);
}

int dc__json_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	const dc_id *to, *from;
	const uint32_t *edges;
	size_t first, n, i;
	dc_jsonw w;
	(void)opts;
	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "show");
	dc_jw_key(&w, "service");
	dc__json_service(&w, cat, s, DC__SVC_IDENTITY | DC__SVC_LOCATION);
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
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "path");
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

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
