/*
 * cmd_analyze.c - `depcheck analyze PATH...`: the structural risks of the
 * whole catalog (cycles, SPOFs, blast radii, depth, hubs, retry
 * amplification, timeout budgets), computed by dc_analyze().
 *
 * Text shows the top --top rows of each section with "and N more"; JSON
 * has everything (blast_radius lists every service; hubs are top lists by
 * nature and follow --top too).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_TOP = 1000 };

static const cli_option opts[] = {
	{ "top", 0, 1, OPT_TOP, "N  rows per section in text output (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

static size_t top = 10;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	if (id != OPT_TOP)
		return cli_usage_error(c, "unexpected option");
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || v == 0 || v > 1000000 || arg[0] == '-')
		return cli_usage_error(c, "--top takes a positive number, not '%s'", arg);
	top = v;
	return -1;
}

static const char *nm(const cli *c, dc_id v) { return dc_service_name(c->cat, v); }

static void edge_text(cli *c, uint32_t e)
{
	dc_location l = dc_dep_location(c->cat, e);
	fprintf(c->out, "    %s -> %s", nm(c, dc_dep_from(c->cat, e)), nm(c, dc_dep_to(c->cat, e)));
	if (dc_dep_group(c->cat, e))
		fprintf(c->out, " (any_of, %s)", dc_dep_kind_name(dc_dep_kind_of(c->cat, e)));
	else
		fprintf(c->out, " (%s)", dc_dep_kind_name(dc_dep_kind_of(c->cat, e)));
	if (l.file)
		fprintf(c->out, "  %s%s:%u:%u%s", cli_c(c, "dim"), l.file, l.line, l.column, cli_c(c, "reset"));
	fputc('\n', c->out);
}

static void text_cycles(cli *c, const dc_analysis *a, int hard)
{
	size_t n = dc_analysis_cycle_count(a, hard), i, k;
	cli_section(c, hard ? "hard cycles (members share one fate)" : "cycles (all edges)", n);
	for (i = 0; i < n && i < top; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm_ = dc_analysis_cycle_members(a, hard, i, &mem);
		size_t ne = dc_analysis_cycle_edges(a, hard, i, &ed);
		fprintf(c->out, "  %zu services:", nm_);
		for (k = 0; k < nm_ && k < top; k++)
			fprintf(c->out, "%s %s", k ? "," : "", nm(c, mem[k]));
		if (nm_ > top)
			fprintf(c->out, ", ... (%zu more)", nm_ - top);
		fputc('\n', c->out);
		for (k = 0; k < ne && k < top; k++)
			edge_text(c, ed[k]);
		if (ne > top)
			fprintf(c->out, "    ... and %zu more edges\n", ne - top);
	}
	cli_more(c, i, n);
}

static void text_out(cli *c, const dc_analysis *a)
{
	const dc_catalog *cat = c->cat;
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *eps;
	const uint32_t *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, ne;

	fprintf(c->out, "%s%zu services, %zu dependenc%s, %zu entrypoint%s%s\n", cli_c(c, "bold"),
		dc_catalog_service_count(cat), dc_catalog_dep_count(cat),
		dc_catalog_dep_count(cat) == 1 ? "y" : "ies", dc_analysis_entrypoint_count(a),
		dc_analysis_entrypoint_count(a) == 1 ? "" : "s", cli_c(c, "reset"));
	n = dc_analysis_cycle_count(a, 0);
	fprintf(c->out, "%zu cycle%s, ", n, n == 1 ? "" : "s");
	n = dc_analysis_cycle_count(a, 1);
	fprintf(c->out, "%zu hard cycle%s, max depth %zu, ", n, n == 1 ? "" : "s", dc_analysis_max_depth(a));
	n = dc_blast_spof_count(b);
	fprintf(c->out, "%zu SPOF%s\n", n, n == 1 ? "" : "s");

	n = dc_analysis_spofs(a, &ids);
	cli_section(c, "single points of failure (their lone failure takes entrypoints down)", n);
	for (i = 0; i < n && i < top; i++) {
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		fprintf(c->out, "  %-32s %zu entrypoint%s:", nm(c, ids[i]), ne, ne == 1 ? "" : "s");
		for (k = 0; k < ne && k < top; k++)
			fprintf(c->out, "%s %s", k ? "," : "", nm(c, eps[k]));
		if (ne > top)
			fprintf(c->out, ", ... (%zu more)", ne - top);
		fputc('\n', c->out);
	}
	cli_more(c, i, n);

	n = dc_analysis_blast_order(a, &ids);
	cli_section(c, "biggest blast radii (other services down / degraded when it fails alone)", n);
	for (i = 0; i < n && i < top; i++)
		fprintf(c->out, "  %-32s %zu down, %zu degraded\n", nm(c, ids[i]), dc_blast_down(b, ids[i]),
			dc_blast_degraded(b, ids[i]));
	cli_more(c, i, n);

	text_cycles(c, a, 1);

	n = dc_analysis_longest_hard_chain(a, &ids);
	fprintf(c->out, "\n%slongest hard chain%s (%zu services)\n", cli_c(c, "bold"), cli_c(c, "reset"), n);
	if (n) {
		fprintf(c->out, " ");
		for (i = 0; i < n; i++)
			fprintf(c->out, " %s%s", i ? "-> " : "", nm(c, ids[i]));
		fputc('\n', c->out);
	}

	n = dc_analysis_hubs(a, 0, &ids, &cnt);
	fprintf(c->out, "\n%shubs%s\n  fan-in (dependents):", cli_c(c, "bold"), cli_c(c, "reset"));
	for (i = 0; i < n && i < top; i++)
		fprintf(c->out, "%s %s (%u)", i ? "," : "", nm(c, ids[i]), cnt[i]);
	n = dc_analysis_hubs(a, 1, &ids, &cnt);
	fprintf(c->out, "\n  fan-out (dependencies):");
	for (i = 0; i < n && i < top; i++)
		fprintf(c->out, "%s %s (%u)", i ? "," : "", nm(c, ids[i]), cnt[i]);
	fputc('\n', c->out);

	n = dc_analysis_amplification(a, &amp);
	cli_section(c, "retry amplification (worst-case calls per user request)", n);
	for (i = 0; i < n && i < top; i++) {
		if (amp[i].unbounded)
			fprintf(c->out, "  %-32s unbounded (a retrying cycle calls it)", nm(c, amp[i].service));
		else
			fprintf(c->out, "  %-32s x%.0f", nm(c, amp[i].service), amp[i].factor);
		fprintf(c->out, "  via");
		for (k = 0; k < amp[i].path_len; k++)
			fprintf(c->out, " %s%s", k ? "-> " : "", nm(c, amp[i].path[k]));
		fputc('\n', c->out);
	}
	cli_more(c, i, n);

	n = dc_analysis_timeout_violations(a, &tv);
	cli_section(c, "timeout budget violations (caller gives up while the callee still retries)", n);
	for (i = 0; i < n && i < top; i++) {
		dc_location l = dc_dep_location(cat, tv[i].dep);
		fprintf(c->out, "  %s -> %s: timeout %.0f ms <= needed %.0f ms", nm(c, dc_dep_from(cat, tv[i].dep)),
			nm(c, dc_dep_to(cat, tv[i].dep)), tv[i].timeout_ms, tv[i].needed_ms);
		if (l.file)
			fprintf(c->out, "  %s%s:%u:%u%s", cli_c(c, "dim"), l.file, l.line, l.column,
				cli_c(c, "reset"));
		fputc('\n', c->out);
	}
	cli_more(c, i, n);
}

static void json_cycles(cli *c, dc_jsonw *w, const dc_analysis *a, int hard)
{
	size_t n = dc_analysis_cycle_count(a, hard), i, k;
	dc_jw_key(w, hard ? "hard_cycles" : "cycles");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const dc_id *mem;
		size_t nm_ = dc_analysis_cycle_members(a, hard, i, &mem);
		dc_jw_arr_inline(w);
		for (k = 0; k < nm_; k++)
			dc_jw_str(w, nm(c, mem[k]));
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
	dc_jw_key(w, hard ? "hard_cycle_edges" : "cycle_edges");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		const uint32_t *ed;
		size_t ne = dc_analysis_cycle_edges(a, hard, i, &ed);
		dc_jw_arr(w);
		for (k = 0; k < ne; k++) {
			dc_jw_obj_inline(w);
			dc_jw_kstr(w, "from", nm(c, dc_dep_from(c->cat, ed[k])));
			dc_jw_kstr(w, "to", nm(c, dc_dep_to(c->cat, ed[k])));
			dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(c->cat, ed[k])));
			dc_jw_kbool(w, "any_of", dc_dep_group(c->cat, ed[k]) != 0);
			cli_json_loc(w, dc_dep_location(c->cat, ed[k]));
			dc_jw_obj_end(w);
		}
		dc_jw_arr_end(w);
	}
	dc_jw_arr_end(w);
}

static void json_out(cli *c, const dc_analysis *a)
{
	const dc_catalog *cat = c->cat;
	const dc_blast *b = dc_analysis_blast(a);
	const dc_id *ids, *eps;
	const uint32_t *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i, k, ne;
	int dir;
	dc_jsonw w;

	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "analyze");
	dc_jw_kint(&w, "services", (long long)dc_catalog_service_count(cat));
	dc_jw_kint(&w, "dependencies", (long long)dc_catalog_dep_count(cat));
	dc_jw_kint(&w, "entrypoints", (long long)dc_analysis_entrypoint_count(a));
	json_cycles(c, &w, a, 0);
	json_cycles(c, &w, a, 1);
	n = dc_analysis_spofs(a, &ids);
	dc_jw_key(&w, "spofs");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		ne = dc_analysis_spof_entrypoints(a, ids[i], &eps);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", nm(c, ids[i]));
		dc_jw_key(&w, "entrypoints");
		dc_jw_arr(&w);
		for (k = 0; k < ne; k++)
			dc_jw_str(&w, nm(c, eps[k]));
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_blast_order(a, &ids);
	dc_jw_key(&w, "blast_radius");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", nm(c, ids[i]));
		dc_jw_kint(&w, "down", (long long)dc_blast_down(b, ids[i]));
		dc_jw_kint(&w, "degraded", (long long)dc_blast_degraded(b, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_kint(&w, "max_depth", (long long)dc_analysis_max_depth(a));
	n = dc_analysis_longest_hard_chain(a, &ids);
	dc_jw_key(&w, "longest_hard_chain");
	dc_jw_arr_inline(&w);
	for (i = 0; i < n; i++)
		dc_jw_str(&w, nm(c, ids[i]));
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "hubs");
	dc_jw_obj(&w);
	for (dir = 0; dir < 2; dir++) {
		n = dc_analysis_hubs(a, dir, &ids, &cnt);
		dc_jw_key(&w, dir ? "fan_out" : "fan_in");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", nm(c, ids[i]));
			dc_jw_kint(&w, "count", cnt[i]);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);
	n = dc_analysis_amplification(a, &amp);
	dc_jw_key(&w, "retry_amplification");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", nm(c, amp[i].service));
		dc_jw_key(&w, "factor");
		if (amp[i].unbounded)
			dc_jw_null(&w);
		else
			dc_jw_num(&w, amp[i].factor);
		dc_jw_kbool(&w, "unbounded", amp[i].unbounded);
		dc_jw_key(&w, "path");
		dc_jw_arr(&w);
		for (k = 0; k < amp[i].path_len; k++)
			dc_jw_str(&w, nm(c, amp[i].path[k]));
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_analysis_timeout_violations(a, &tv);
	dc_jw_key(&w, "timeout_budget");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", nm(c, dc_dep_from(cat, tv[i].dep)));
		dc_jw_kstr(&w, "to", nm(c, dc_dep_to(cat, tv[i].dep)));
		dc_jw_knum(&w, "timeout_ms", tv[i].timeout_ms);
		dc_jw_knum(&w, "needed_ms", tv[i].needed_ms);
		cli_json_loc(&w, dc_dep_location(cat, tv[i].dep));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

int cmd_analyze(int argc, char **argv)
{
	cli c;
	int rc;
	dc_analysis *a = NULL;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	top = 10;
	c.cmd = "analyze";
	c.usage = "PATH...";
	c.description = "Structural risks of the whole catalog: cycles and hard cycles (with the\n"
			"dependencies that close them), single points of failure, the blast radius\n"
			"of every service, depth and the longest hard chain, fan-in/fan-out hubs,\n"
			"retry amplification and timeout-budget violations.";
	c.formats = "text,json";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	ao.hubs = top;
	if (dc_analyze(&a, c.graph, &ao)) {
		fprintf(stderr, "depcheck analyze: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	if (cli_format_is(&c, "json"))
		json_out(&c, a);
	else
		text_out(&c, a);
	rc = cli_finish(&c, DC_EXIT_OK);
out:
	dc_analysis_free(a);
	cli_free(&c);
	return rc;
}
