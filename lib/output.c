/*
 * output.c - output format names and the writers' dispatch: each public
 * dc_write_* checks its arguments once and calls the function of the
 * format family (output_text.c, output_json.c, output_ci.c).
 */
#include "output_int.h"
#include "util.h"

#include <string.h>

static const char *const format_names[] = {
	[DC_OUTPUT_TEXT] = "text",   [DC_OUTPUT_JSON] = "json",   [DC_OUTPUT_YAML] = "yaml",
	[DC_OUTPUT_DOT] = "dot",     [DC_OUTPUT_SVG] = "svg",     [DC_OUTPUT_PNG] = "png",
	[DC_OUTPUT_PDF] = "pdf",     [DC_OUTPUT_SARIF] = "sarif", [DC_OUTPUT_JUNIT] = "junit",
	[DC_OUTPUT_GITHUB] = "github", [DC_OUTPUT_HTML] = "html", [DC_OUTPUT_CSV] = "csv",
};

const char *dc_output_format_name(dc_output_format f)
{
	if ((unsigned)f >= sizeof(format_names) / sizeof(format_names[0]))
		return NULL;
	return format_names[f];
}

int dc_output_format_parse(dc_output_format *out, const char *name)
{
	size_t i;
	if (!out || !name)
		return DC_EINVALID;
	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (format_names[i] && !strcmp(format_names[i], name)) {
			*out = (dc_output_format)i;
			return 0;
		}
	return DC_ENOTFOUND;
}

int dc_output_options_init(dc_output_options *opts, unsigned int version)
{
	dc_output_options d = DC_OUTPUT_OPTIONS_INIT;
	if (!opts || !DC_OPTIONS_VERSION_OK(version, DC_OUTPUT_OPTIONS_VERSION))
		return DC_EINVALID;
	*opts = d;
	opts->version = version;
	return 0;
}

const dc_output_options *dc__output_opts(const dc_output_options *opts)
{
	static const dc_output_options def = DC_OUTPUT_OPTIONS_INIT;
	if (!opts)
		return &def;
	return DC_OPTIONS_VERSION_OK(opts->version, DC_OUTPUT_OPTIONS_VERSION) ? opts : NULL;
}

/* ---- catalog: validate, show, path, export ------------------------------- */

int dc_write_validation(FILE *fp, const dc_catalog_summary *sum, const dc_diags *diags,
			const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	if (!fp || !sum || !o)
		return DC_EINVALID;
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_validation(fp, sum, o);
	case DC_OUTPUT_JSON: return dc__json_validation(fp, sum, diags, o);
	default: return DC_EINVALID;
	}
}

int dc_write_show(FILE *fp, const dc_graph *g, dc_id s, const dc_impact *blast, const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	if (!fp || !g || !blast || !o || s >= dc_graph_node_count(g))
		return DC_EINVALID;
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_show(fp, g, s, blast, o);
	case DC_OUTPUT_JSON: return dc__json_show(fp, g, s, blast, o);
	default: return DC_EINVALID;
	}
}

int dc_write_paths(FILE *fp, const dc_graph *g, const dc_paths *paths, const dc_impact *to_fails,
		   const dc_output_options *opts)
{
	const dc_output_options *o = dc__output_opts(opts);
	size_t n;
	if (!fp || !g || !paths || !to_fails || !o)
		return DC_EINVALID;
	n = dc_graph_node_count(g);
	if (dc_paths_from(paths) >= n || dc_paths_to(paths) >= n)
		return DC_EINVALID; /* chains of another graph */
	switch (o->format) {
	case DC_OUTPUT_TEXT: return dc__text_paths(fp, g, paths, to_fails, o);
	case DC_OUTPUT_JSON: return dc__json_paths(fp, g, paths, to_fails, o);
	default: return DC_EINVALID;
	}
}

/* ---- failures: simulate, analyze, critical path -------------------------- */

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
