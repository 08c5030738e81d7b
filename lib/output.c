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

/* ---- failures: simulate, analyze, critical path -------------------------- */

int dc_write_simulation(FILE *fp, const dc_simulation *s, size_t limit, const dc_output_options *opts)
{
	if (!fp || !s || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_simulation(fp, s, limit, opts);
	case DC_OUTPUT_JSON: return dc__json_simulation(fp, s, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_failure_ranking(FILE *fp, const dc_graph *g, const dc_blast *b, const dc_id *order, size_t top,
			     const dc_output_options *opts)
{
	size_t n;
	if (!fp || !g || !b || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	n = dc_blast_count(b);
	if (n != dc_graph_node_count(g) || (n && !order))
		return DC_EINVALID;
	/* how many rows: the caller's choice, here only clipped */
	if (top == 0 || top > n)
		top = n;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_failure_ranking(fp, g, b, order, top, opts);
	case DC_OUTPUT_JSON: return dc__json_failure_ranking(fp, g, b, order, top, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_analysis(FILE *fp, const dc_analysis *a, size_t top, const dc_output_options *opts)
{
	if (!fp || !a || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_analysis(fp, a, top ? top : (size_t)-1, opts);
	case DC_OUTPUT_JSON: return dc__json_analysis(fp, a, opts);
	default: return DC_EINVALID;
	}
}

int dc_write_critical_paths(FILE *fp, const dc_critical_paths *p, const dc_output_options *opts)
{
	if (!fp || !p || !(opts = dc__output_opts(opts)))
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return dc__text_critical_paths(fp, p, opts);
	case DC_OUTPUT_JSON: return dc__json_critical_paths(fp, p, opts);
	default: return DC_EINVALID;
	}
}

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
