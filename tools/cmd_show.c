/*
 * cmd_show.c - `depcheck show PATH... SERVICE`: one service in full.
 *
 * The last positional argument is the service; the ones before it are
 * inputs. The blast radius is the single-failure propagation of §3.
 */
#include "cli.h"

#include <string.h>

static void dep_line(cli *c, size_t d, dc_id other)
{
	const dc_catalog *cat = c->cat;
	dc_location l = dc_dep_location(cat, d);
	char kind[32];
	unsigned g = dc_dep_group(cat, d);
	if (g)
		snprintf(kind, sizeof(kind), "any_of#%u", g);
	else
		snprintf(kind, sizeof(kind), "%s", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
	fprintf(c->out, "  %-9s %-32s timeout %ums, %u retr%s, stage %u", kind, dc_service_name(cat, other),
		dc_dep_timeout_ms(cat, d), dc_dep_retries(cat, d), dc_dep_retries(cat, d) == 1 ? "y" : "ies",
		dc_dep_stage(cat, d));
	if (strcmp(dc_dep_origin(cat, d), "depends_on"))
		fprintf(c->out, "  [%s%s]", dc_dep_is_inferred(cat, d) ? "inferred from " : "",
			dc_dep_origin(cat, d));
	if (l.file)
		fprintf(c->out, "  %s%s:%u:%u%s", cli_c(c, "dim"), l.file, l.line, l.column, cli_c(c, "reset"));
	fputc('\n', c->out);
}

static void json_dep(dc_jsonw *w, const dc_catalog *cat, size_t d, dc_id other)
{
	dc_location l = dc_dep_location(cat, d);
	dc_jw_obj(w);
	dc_jw_kstr(w, "service", dc_service_name(cat, other));
	dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
	dc_jw_kint(w, "timeout_ms", dc_dep_timeout_ms(cat, d));
	dc_jw_kint(w, "retries", dc_dep_retries(cat, d));
	dc_jw_kint(w, "stage", dc_dep_stage(cat, d));
	dc_jw_key(w, "any_of");
	if (dc_dep_group(cat, d))
		dc_jw_int(w, dc_dep_group(cat, d));
	else
		dc_jw_null(w);
	dc_jw_kstr(w, "origin", dc_dep_origin(cat, d));
	dc_jw_kbool(w, "inferred", dc_dep_is_inferred(cat, d));
	dc_jw_kstr(w, "file", l.file);
	dc_jw_kint(w, "line", l.line);
	dc_jw_kint(w, "column", l.column);
	dc_jw_obj_end(w);
}

static void list_attr(cli *c, const char *label, size_t n, const char *(*get)(const dc_catalog *, dc_id, size_t),
		      dc_id s)
{
	size_t i;
	if (!n)
		return;
	fprintf(c->out, "  %-13s", label);
	for (i = 0; i < n; i++)
		fprintf(c->out, "%s%s", i ? ", " : "", get(c->cat, s, i));
	fputc('\n', c->out);
}

int cmd_show(int argc, char **argv)
{
	cli c;
	int rc;
	dc_id s;
	dc_impact *imp = NULL;
	const dc_catalog *cat;
	size_t first, n, i, nin;
	const dc_id *to, *from;
	const uint32_t *edges;
	dc_location loc;

	memset(&c, 0, sizeof(c));
	c.cmd = "show";
	c.usage = "PATH... SERVICE";
	c.description = "Show one service: where it is defined, its attributes, what it depends on,\n"
			"what depends on it, and its blast radius (what goes down if it fails alone).\n"
			"SERVICE may be any unique form of the name (name, namespace/name, kind:ns/name).";
	c.formats = "text,json";
	rc = cli_parse(&c, argc, argv, NULL);
	if (rc >= 0)
		goto out;
	if (c.nargs < 2) {
		rc = cli_usage_error(&c, "expected input paths and a SERVICE");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs - 1)))
		goto out;
	if (cli_find(&c, c.args[c.nargs - 1], &s)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	cat = c.cat;
	if (dc_impact_new(&imp, c.graph) || dc_impact_run(imp, &s, 1, NULL, 0)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	n = dc_graph_out(c.graph, s, &to, &first);
	nin = dc_graph_in(c.graph, s, &from, &edges);
	loc = dc_service_location(cat, s);

	if (cli_format_is(&c, "json")) {
		dc_jsonw w;
		dc_jw_init(&w, c.out);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "command", "show");
		dc_jw_key(&w, "service");
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "name", dc_service_name(cat, s));
		dc_jw_kstr(&w, "ref", dc_service_ref(cat, s));
		dc_jw_kstr(&w, "format", dc_input_format_name(dc_service_format(cat, s)));
		dc_jw_kbool(&w, "external", dc_service_is_external(cat, s));
		dc_jw_kstr(&w, "owner", dc_service_owner(cat, s));
		dc_jw_kstr(&w, "system", dc_service_system(cat, s));
		dc_jw_kstr(&w, "description", dc_service_description(cat, s));
		dc_jw_key(&w, "tier");
		if (dc_service_tier(cat, s))
			dc_jw_int(&w, dc_service_tier(cat, s));
		else
			dc_jw_null(&w);
		dc_jw_kbool(&w, "entrypoint", dc_service_is_entrypoint(cat, s));
		dc_jw_kint(&w, "replicas", dc_service_replicas(cat, s));
		dc_jw_key(&w, "zones");
		dc_jw_arr(&w);
		for (i = 0; i < dc_service_zone_count(cat, s); i++)
			dc_jw_str(&w, dc_service_zone(cat, s, i));
		dc_jw_arr_end(&w);
		dc_jw_knum(&w, "availability", dc_service_availability(cat, s));
		dc_jw_key(&w, "slo");
		if (dc_service_slo(cat, s) >= 0)
			dc_jw_num(&w, dc_service_slo(cat, s));
		else
			dc_jw_null(&w);
		dc_jw_knum(&w, "latency_ms", dc_service_latency_ms(cat, s));
		dc_jw_key(&w, "tags");
		dc_jw_arr(&w);
		for (i = 0; i < dc_service_tag_count(cat, s); i++)
			dc_jw_str(&w, dc_service_tag(cat, s, i));
		dc_jw_arr_end(&w);
		dc_jw_kstr(&w, "file", loc.file);
		dc_jw_kint(&w, "line", loc.line);
		dc_jw_kint(&w, "column", loc.column);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "depends_on");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++)
			json_dep(&w, cat, first + i, to[i]);
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "dependents");
		dc_jw_arr(&w);
		for (i = 0; i < nin; i++)
			json_dep(&w, cat, edges[i], from[i]);
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "blast_radius");
		dc_jw_obj(&w);
		dc_jw_kint(&w, "down", (long long)dc_impact_down_count(imp) - 1);
		dc_jw_kint(&w, "degraded", (long long)dc_impact_degraded_count(imp));
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_end(&w);
	} else {
		fprintf(c.out, "%s%s%s", cli_c(&c, "bold"), dc_service_name(cat, s), cli_c(&c, "reset"));
		if (strcmp(dc_service_ref(cat, s), dc_service_name(cat, s)))
			fprintf(c.out, "  (%s)", dc_service_ref(cat, s));
		if (dc_service_is_external(cat, s))
			fprintf(c.out, "  [external]");
		fputc('\n', c.out);
		/* an external made for an unresolved reference has no format and no
		 * definition: its location is the first reference to it */
		if (loc.file && dc_service_is_external(cat, s) && dc_service_format(cat, s) == DC_FORMAT_AUTO)
			fprintf(c.out, "  %-13s%s:%u:%u (not defined in the input)\n", "referenced", loc.file,
				loc.line, loc.column);
		else if (loc.file)
			fprintf(c.out, "  %-13s%s:%u:%u (%s)\n", "defined at", loc.file, loc.line, loc.column,
				dc_input_format_name(dc_service_format(cat, s)));
		if (dc_service_description(cat, s))
			fprintf(c.out, "  %-13s%s\n", "description", dc_service_description(cat, s));
		if (dc_service_owner(cat, s))
			fprintf(c.out, "  %-13s%s\n", "owner", dc_service_owner(cat, s));
		if (dc_service_system(cat, s))
			fprintf(c.out, "  %-13s%s\n", "system", dc_service_system(cat, s));
		if (dc_service_tier(cat, s))
			fprintf(c.out, "  %-13s%d\n", "tier", dc_service_tier(cat, s));
		fprintf(c.out, "  %-13s%s%s\n", "entrypoint", dc_service_is_entrypoint(cat, s) ? "yes" : "no",
			!dc_service_entrypoint_explicit(cat, s) && dc_service_is_entrypoint(cat, s)
				? " (nothing depends on it)" : "");
		fprintf(c.out, "  %-13s%u\n", "replicas", dc_service_replicas(cat, s));
		list_attr(&c, "zones", dc_service_zone_count(cat, s), dc_service_zone, s);
		fprintf(c.out, "  %-13s%g", "availability", dc_service_availability(cat, s));
		if (dc_service_slo(cat, s) >= 0)
			fprintf(c.out, "  (slo %g)", dc_service_slo(cat, s));
		fputc('\n', c.out);
		fprintf(c.out, "  %-13s%g ms\n", "latency", dc_service_latency_ms(cat, s));
		list_attr(&c, "tags", dc_service_tag_count(cat, s), dc_service_tag, s);
		fprintf(c.out, "\n%sdepends on%s (%zu):\n", cli_c(&c, "bold"), cli_c(&c, "reset"), n);
		for (i = 0; i < n; i++)
			dep_line(&c, first + i, to[i]);
		fprintf(c.out, "\n%sdependents%s (%zu):\n", cli_c(&c, "bold"), cli_c(&c, "reset"), nin);
		for (i = 0; i < nin; i++)
			dep_line(&c, edges[i], from[i]);
		{
			size_t down = dc_impact_down_count(imp) - 1, deg = dc_impact_degraded_count(imp);
			fprintf(c.out, "\n%sblast radius%s: if %s fails alone, %zu other service%s down and "
				"%zu degrade%s\n", cli_c(&c, "bold"), cli_c(&c, "reset"), dc_service_name(cat, s),
				down, down == 1 ? " goes" : "s go", deg, deg == 1 ? "s" : "");
		}
	}
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	dc_impact_free(imp);
	cli_free(&c);
	return rc;
}
