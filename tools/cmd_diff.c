/*
 * cmd_diff.c - `depcheck diff BASE HEAD`: what a change does to the
 * catalog's structure and risk, computed by dc_diff_compute() (the model is
 * in include/depcheck/diff.h).
 *
 * Each side is one path (file or directory) given positionally, or several
 * with repeated --base P / --head P (then no positional paths). The two
 * catalogs are loaded separately, each with its diagnostics printed.
 *
 * Exit: 0 when the catalogs were compared (a diff is a report, not a
 * gate), 1 with --fail-on-risk when head adds risk (a new cycle, a new
 * SPOF or a blast radius that grew), 2 on usage errors and input that
 * cannot be analyzed.
 */
#include "violations_report.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_BASE = 1000, OPT_HEAD, OPT_LIMIT, OPT_FAIL_ON_RISK, OPT_CHANGED_ONLY, OPT_POLICY };

static const cli_option opts[] = {
	{ "base", 0, 1, OPT_BASE, "P  a path of the base catalog (repeatable; instead of BASE)" },
	{ "head", 0, 1, OPT_HEAD, "P  a path of the head catalog (repeatable; instead of HEAD)" },
	{ "limit", 0, 1, OPT_LIMIT, "N  lines per text section (default 100, 0 = all; blast: 10)" },
	{ "fail-on-risk", 0, 0, OPT_FAIL_ON_RISK, "   exit 1 when head adds a cycle, a SPOF, blast radius or an "
	  "error-level violation" },
	{ "policy", 0, 1, OPT_POLICY, "FILE  policy for new and fixed violations (default: the built-in policy)" },
	{ "changed-only", 0, 0, OPT_CHANGED_ONLY, "   dot/svg: draw only what changed and its neighbours" },
	{ NULL, 0, 0, 0, NULL }
};

static struct {
	char **base, **head;
	int nbase, nhead;
	size_t limit, blast_limit;
	int fail_on_risk, changed_only;
	const char *policy_path;
	const dc_catalog *cb, *ch;
	dc_violations *added, *fixed;   /* violations head adds / removes (text and json) */
} o;

static int push_path(char ***v, int *n, const char *arg)
{
	char **nv = realloc(*v, (size_t)(*n + 1) * sizeof(char *));
	if (!nv)
		return -1;
	nv[(*n)++] = (char *)arg;
	*v = nv;
	return 0;
}

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	unsigned long v;
	switch (id) {
	case OPT_BASE:
	case OPT_HEAD:
		if (push_path(id == OPT_BASE ? &o.base : &o.head, id == OPT_BASE ? &o.nbase : &o.nhead, arg)) {
			fprintf(stderr, "depcheck diff: out of memory\n");
			return DC_EXIT_USAGE;
		}
		return -1;
	case OPT_LIMIT:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v > 100000000 || arg[0] == '-')
			return cli_usage_error(c, "--limit takes a number (0 = all), not '%s'", arg);
		o.limit = o.blast_limit = v ? v : (size_t)-1;
		return -1;
	case OPT_FAIL_ON_RISK:
		o.fail_on_risk = 1;
		return -1;
	case OPT_CHANGED_ONLY:
		o.changed_only = 1;
		return -1;
	case OPT_POLICY:
		o.policy_path = arg;
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

static const char *bn(dc_id s) { return dc_service_name(o.cb, s); }
static const char *hn(dc_id s) { return dc_service_name(o.ch, s); }

/* ---- values of changed fields ------------------------------------------------ */

static void text_list(FILE *fp, const dc_catalog *cat, dc_id s, int tags)
{
	size_t n = tags ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s), i;
	fputc('[', fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", tags ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i));
	fputc(']', fp);
}

static void text_service_value(FILE *fp, const dc_catalog *cat, dc_id s, unsigned bit)
{
	const char *str = NULL;
	switch (bit) {
	case DC_DIFF_OWNER: str = dc_service_owner(cat, s); break;
	case DC_DIFF_SYSTEM: str = dc_service_system(cat, s); break;
	case DC_DIFF_DESCRIPTION: str = dc_service_description(cat, s); break;
	case DC_DIFF_TIER:
		if (dc_service_tier(cat, s))
			fprintf(fp, "%d", dc_service_tier(cat, s));
		else
			fputs("-", fp);
		return;
	case DC_DIFF_ENTRYPOINT: fputs(dc_service_is_entrypoint(cat, s) ? "yes" : "no", fp); return;
	case DC_DIFF_EXTERNAL: fputs(dc_service_is_external(cat, s) ? "yes" : "no", fp); return;
	case DC_DIFF_REPLICAS: fprintf(fp, "%u", dc_service_replicas(cat, s)); return;
	case DC_DIFF_ZONES: text_list(fp, cat, s, 0); return;
	case DC_DIFF_TAGS: text_list(fp, cat, s, 1); return;
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

static void json_service_value(dc_jsonw *w, const dc_catalog *cat, dc_id s, unsigned bit)
{
	size_t i, n;
	switch (bit) {
	case DC_DIFF_OWNER: dc_jw_str(w, dc_service_owner(cat, s)); return;
	case DC_DIFF_SYSTEM: dc_jw_str(w, dc_service_system(cat, s)); return;
	case DC_DIFF_DESCRIPTION: dc_jw_str(w, dc_service_description(cat, s)); return;
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
		n = bit == DC_DIFF_TAGS ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s);
		dc_jw_arr_inline(w);
		for (i = 0; i < n; i++)
			dc_jw_str(w, bit == DC_DIFF_TAGS ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i));
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

/* the other members' targets of dependency e's any_of group, then itself */
static void group_members(const dc_catalog *cat, size_t e, FILE *fp, dc_jsonw *w)
{
	dc_id s = dc_dep_from(cat, e);
	size_t f = dc_service_dep_first(cat, s), n = dc_service_dep_count(cat, s), i, k = 0;
	unsigned g = dc_dep_group(cat, e);
	if (w)
		dc_jw_arr_inline(w);
	else
		fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (dc_dep_group(cat, f + i) != g)
			continue;
		if (w)
			dc_jw_str(w, dc_service_name(cat, dc_dep_to(cat, f + i)));
		else
			fprintf(fp, "%s%s", k ? ", " : "", dc_service_name(cat, dc_dep_to(cat, f + i)));
		k++;
	}
	if (w)
		dc_jw_arr_end(w);
	else
		fputc(']', fp);
}

static void dep_value(FILE *fp, dc_jsonw *w, const dc_catalog *cat, size_t e, unsigned bit)
{
	long long v = 0;
	switch (bit) {
	case DC_DIFF_KIND:
		if (w)
			dc_jw_str(w, dc_diff_dep_kind_label(cat, e));
		else
			fputs(dc_diff_dep_kind_label(cat, e), fp);
		return;
	case DC_DIFF_ANY_OF: group_members(cat, e, fp, w); return;
	case DC_DIFF_TIMEOUT: v = dc_dep_timeout_ms(cat, e); break;
	case DC_DIFF_RETRIES: v = dc_dep_retries(cat, e); break;
	case DC_DIFF_STAGE: v = dc_dep_stage(cat, e); break;
	}
	if (w)
		dc_jw_int(w, v);
	else
		fprintf(fp, "%lld", v);
}

/* ---- text ------------------------------------------------------------------ */

static void text_services(cli *c, const dc_diff *d)
{
	const dc_id *ids;
	size_t n = dc_diff_services_added(d, &ids), i;
	if (n) {
		cli_section(c, "Services added", n);
		for (i = 0; i < n && i < o.limit; i++) {
			fprintf(c->out, "  %s+%s %-32s", cli_c(c, "green"), cli_c(c, "reset"), hn(ids[i]));
			if (dc_service_is_external(o.ch, ids[i]))
				fputs(" (external)", c->out);
			fprintf(c->out, "  blast radius %zu down", dc_diff_blast_down(d, 1, ids[i]));
			cli_where(c, dc_service_location(o.ch, ids[i]));
			fputc('\n', c->out);
		}
		cli_more(c, i, n);
	}
	n = dc_diff_services_removed(d, &ids);
	if (n) {
		cli_section(c, "Services removed", n);
		for (i = 0; i < n && i < o.limit; i++) {
			fprintf(c->out, "  %s-%s %-32s%s", cli_c(c, "red"), cli_c(c, "reset"), bn(ids[i]),
				dc_service_is_external(o.cb, ids[i]) ? " (external)" : "");
			cli_where(c, dc_service_location(o.cb, ids[i]));
			fputc('\n', c->out);
		}
		cli_more(c, i, n);
	}
}

/* added (head) or removed (base) dependencies */
static void text_dep_list(cli *c, int added, const uint32_t *deps, size_t n)
{
	const dc_catalog *cat = added ? o.ch : o.cb;
	size_t i;
	if (!n)
		return;
	cli_section(c, added ? "Dependencies added" : "Dependencies removed", n);
	for (i = 0; i < n && i < o.limit; i++) {
		fprintf(c->out, "  %s%c%s %s -> %s (%s)", cli_c(c, added ? "green" : "red"), added ? '+' : '-',
			cli_c(c, "reset"), dc_service_name(cat, dc_dep_from(cat, deps[i])),
			dc_service_name(cat, dc_dep_to(cat, deps[i])), dc_diff_dep_kind_label(cat, deps[i]));
		cli_where(c, dc_dep_location(cat, deps[i]));
		fputc('\n', c->out);
	}
	cli_more(c, i, n);
}

static void text_deps(cli *c, const dc_diff *d)
{
	const uint32_t *deps;
	const dc_diff_change *ch;
	size_t n, i;
	unsigned bit;
	n = dc_diff_deps_added(d, &deps);
	text_dep_list(c, 1, deps, n);
	n = dc_diff_deps_removed(d, &deps);
	text_dep_list(c, 0, deps, n);
	n = dc_diff_deps_changed(d, &ch);
	if (n) {
		cli_section(c, "Dependencies changed", n);
		for (i = 0; i < n && i < o.limit; i++) {
			int k = 0;
			fprintf(c->out, "  %s~%s %s -> %s:", cli_c(c, "yellow"), cli_c(c, "reset"),
				hn(dc_dep_from(o.ch, ch[i].head)), hn(dc_dep_to(o.ch, ch[i].head)));
			for (bit = 1; bit <= DC_DIFF_STAGE; bit <<= 1) {
				if (!(ch[i].fields & bit))
					continue;
				fprintf(c->out, "%s %s ", k++ ? ";" : "", dc_diff_field_name(bit, 1));
				dep_value(c->out, NULL, o.cb, ch[i].base, bit);
				fputs(" -> ", c->out);
				dep_value(c->out, NULL, o.ch, ch[i].head, bit);
			}
			cli_where(c, dc_dep_location(o.ch, ch[i].head));
			fputc('\n', c->out);
		}
		cli_more(c, i, n);
	}
}

static void text_attrs(cli *c, const dc_diff *d)
{
	const dc_diff_change *ch;
	size_t n = dc_diff_attributes(d, &ch), i;
	unsigned bit;
	if (!n)
		return;
	cli_section(c, "Attributes changed", n);
	for (i = 0; i < n && i < o.limit; i++) {
		int k = 0;
		fprintf(c->out, "  %s~%s %s:", cli_c(c, "yellow"), cli_c(c, "reset"), hn(ch[i].head));
		for (bit = 1; bit <= DC_DIFF_LATENCY; bit <<= 1) {
			if (!(ch[i].fields & bit))
				continue;
			fprintf(c->out, "%s %s ", k++ ? ";" : "", dc_diff_field_name(bit, 0));
			text_service_value(c->out, o.cb, ch[i].base, bit);
			fputs(" -> ", c->out);
			text_service_value(c->out, o.ch, ch[i].head, bit);
		}
		fputc('\n', c->out);
	}
	cli_more(c, i, n);
}

static void text_blast(cli *c, const dc_diff *d)
{
	int grew;
	for (grew = 1; grew >= 0; grew--) {
		const dc_diff_blast *r;
		size_t n = dc_diff_blast_changes(d, grew, &r), i;
		if (!n)
			continue;
		cli_section(c, grew ? "Blast radius grew" : "Blast radius shrank", n);
		for (i = 0; i < n && i < o.blast_limit; i++)
			fprintf(c->out, "  %-34s %zu -> %zu down (%+lld), %zu -> %zu degraded (%+lld)\n", hn(r[i].head),
				r[i].base_down, r[i].head_down, (long long)r[i].head_down - (long long)r[i].base_down,
				r[i].base_degraded, r[i].head_degraded,
				(long long)r[i].head_degraded - (long long)r[i].base_degraded);
		cli_more(c, i, n);
	}
}

static void text_cycles(cli *c, const dc_diff *d)
{
	int added, hard;
	for (added = 1; added >= 0; added--) {
		size_t total = dc_diff_cycle_count(d, 1, added) + dc_diff_cycle_count(d, 0, added), shown = 0;
		if (!total)
			continue;
		cli_section(c, added ? "New cycles" : "Cycles gone", total);
		for (hard = 1; hard >= 0; hard--) {
			size_t n = dc_diff_cycle_count(d, hard, added), i, k;
			for (i = 0; i < n && shown < o.limit; i++, shown++) {
				const dc_id *m;
				size_t nm_ = dc_diff_cycle_members(d, hard, added, i, &m);
				fprintf(c->out, "  %s%c%s %s of %zu:", cli_c(c, added ? "red" : "green"),
					added ? '+' : '-', cli_c(c, "reset"), hard ? "hard cycle" : "cycle", nm_);
				for (k = 0; k < nm_ && k < o.limit; k++)
					fprintf(c->out, "%s %s", k ? "," : "", added ? hn(m[k]) : bn(m[k]));
				if (nm_ > k)
					fprintf(c->out, ", ... (%zu more)", nm_ - k);
				fputc('\n', c->out);
			}
		}
		cli_more(c, shown, total);
	}
}

static void text_spofs(cli *c, const dc_diff *d)
{
	int added;
	for (added = 1; added >= 0; added--) {
		const dc_id *ids;
		size_t n = dc_diff_spofs(d, added, &ids), i, k;
		if (!n)
			continue;
		cli_section(c, added ? "New SPOFs" : "SPOFs gone", n);
		for (i = 0; i < n && i < o.limit; i++) {
			const dc_id *eps;
			size_t ne = dc_diff_spof_entrypoints(d, added, ids[i], &eps);
			fprintf(c->out, "  %s%c%s %-32s %s", cli_c(c, added ? "red" : "green"), added ? '+' : '-',
				cli_c(c, "reset"), added ? hn(ids[i]) : bn(ids[i]), added ? "takes down" : "took down");
			for (k = 0; k < ne && k < 10; k++)
				fprintf(c->out, "%s %s", k ? "," : "", added ? hn(eps[k]) : bn(eps[k]));
			if (ne > k)
				fprintf(c->out, ", ... (%zu more)", ne - k);
			fputc('\n', c->out);
		}
		cli_more(c, i, n);
	}
}

static void text_violations(cli *c)
{
	int added;
	for (added = 1; added >= 0; added--) {
		const dc_violations *v = added ? o.added : o.fixed;
		size_t n = dc_violations_count(v), i;
		if (!n)
			continue;
		cli_section(c, added ? "New violations" : "Violations fixed", n);
		for (i = 0; i < n && i < o.limit; i++) {
			fprintf(c->out, "  %s%c%s ", cli_c(c, added ? "red" : "green"), added ? '+' : '-',
				cli_c(c, "reset"));
			vreport_text_line(c, dc_violations_get(v, i));
		}
		cli_more(c, i, n);
	}
}

/* What --fail-on-risk fails on: the structural risk of dc_diff_risk_increased
 * or a new error-level violation. */
static int risk(const dc_diff *d)
{
	return dc_diff_risk_increased(d) || dc_violations_count_level(o.added, DC_LEVEL_ERROR) > 0;
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void text_summary(cli *c, const dc_diff *d)
{
	const dc_id *ids;
	const uint32_t *deps;
	const dc_diff_change *ch;
	const dc_diff_blast *r;
	size_t sa = dc_diff_services_added(d, &ids), sr = dc_diff_services_removed(d, &ids);
	size_t da = dc_diff_deps_added(d, &deps), dr = dc_diff_deps_removed(d, &deps);
	size_t dch = dc_diff_deps_changed(d, &ch), ac = dc_diff_attributes(d, &ch);
	size_t bg = dc_diff_blast_changes(d, 1, &r), bs = dc_diff_blast_changes(d, 0, &r);
	size_t nc = dc_diff_cycle_count(d, 0, 1) + dc_diff_cycle_count(d, 1, 1);
	size_t gc = dc_diff_cycle_count(d, 0, 0) + dc_diff_cycle_count(d, 1, 0);
	size_t ns = dc_diff_spofs(d, 1, &ids), gs = dc_diff_spofs(d, 0, &ids);
	size_t va = dc_violations_count(o.added), vf = dc_violations_count(o.fixed);
	fputc('\n', c->out);
	if (dc_diff_is_empty(d) && !va && !vf) {
		fputs("No differences.\n", c->out);
		return;
	}
	fprintf(c->out, "services +%zu -%zu ~%zu, dependencies +%zu -%zu ~%zu, blast radius %zu grew %zu shrank, "
		"cycles +%zu -%zu, SPOFs +%zu -%zu, violations +%zu -%zu: %s%s%s\n", sa, sr, ac, da, dr, dch, bg,
		bs, nc, gc, ns, gs, va, vf, cli_c(c, risk(d) ? "red" : "green"),
		risk(d) ? "risk increased" : "no added risk", cli_c(c, "reset"));
	(void)plural;
}

static void side_header(cli *c, const char *what, char **paths, int n, const dc_catalog *cat)
{
	size_t ns = dc_catalog_service_count(cat), nd = dc_catalog_dep_count(cat);
	fprintf(c->out, "%s%s%s %s", cli_c(c, "bold"), what, cli_c(c, "reset"), paths[0]);
	if (n > 1)
		fprintf(c->out, " (+%d more path%s)", n - 1, plural((size_t)n - 1));
	fprintf(c->out, ": %zu service%s, %zu dependenc%s\n", ns, plural(ns), nd, nd == 1 ? "y" : "ies");
}

static void text_out(cli *c, const dc_diff *d)
{
	side_header(c, "base", o.base, o.nbase, o.cb);
	side_header(c, "head", o.head, o.nhead, o.ch);
	text_services(c, d);
	text_deps(c, d);
	text_attrs(c, d);
	text_blast(c, d);
	text_cycles(c, d);
	text_spofs(c, d);
	text_violations(c);
	text_summary(c, d);
}

/* ---- json ------------------------------------------------------------------ */

static void json_side(dc_jsonw *w, const char *key, char **paths, int n, const dc_catalog *cat)
{
	int i;
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

static void json_deps(dc_jsonw *w, const char *key, const dc_catalog *cat, const uint32_t *deps, size_t n)
{
	size_t i;
	dc_jw_key(w, key);
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, deps[i])));
		dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, deps[i])));
		dc_jw_kstr(w, "kind", dc_diff_dep_kind_label(cat, deps[i]));
		cli_json_loc(w, dc_dep_location(cat, deps[i]));
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

static void json_changes(dc_jsonw *w, const dc_diff_change *ch, int dep)
{
	unsigned bit, last = dep ? DC_DIFF_STAGE : DC_DIFF_LATENCY;
	dc_jw_key(w, "changes");
	dc_jw_arr_inline(w);
	for (bit = 1; bit <= last; bit <<= 1) {
		if (!(ch->fields & bit))
			continue;
		dc_jw_obj_inline(w);
		dc_jw_kstr(w, "field", dc_diff_field_name(bit, dep));
		dc_jw_key(w, "base");
		if (dep)
			dep_value(NULL, w, o.cb, ch->base, bit);
		else
			json_service_value(w, o.cb, ch->base, bit);
		dc_jw_key(w, "head");
		if (dep)
			dep_value(NULL, w, o.ch, ch->head, bit);
		else
			json_service_value(w, o.ch, ch->head, bit);
		dc_jw_obj_end(w);
	}
	dc_jw_arr_end(w);
}

static void json_names(dc_jsonw *w, const dc_catalog *cat, const dc_id *ids, size_t n)
{
	size_t i;
	dc_jw_arr_inline(w);
	for (i = 0; i < n; i++)
		dc_jw_str(w, dc_service_name(cat, ids[i]));
	dc_jw_arr_end(w);
}

static void json_out(cli *c, const dc_diff *d)
{
	const dc_id *ids;
	const uint32_t *deps;
	const dc_diff_change *ch;
	size_t n, i;
	int side, hard;
	dc_jsonw w;
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "diff");
	json_side(&w, "base", o.base, o.nbase, o.cb);
	json_side(&w, "head", o.head, o.nhead, o.ch);

	n = dc_diff_services_added(d, &ids);
	dc_jw_key(&w, "services_added");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", hn(ids[i]));
		dc_jw_kbool(&w, "external", dc_service_is_external(o.ch, ids[i]));
		dc_jw_kint(&w, "blast_radius", (long long)dc_diff_blast_down(d, 1, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	n = dc_diff_services_removed(d, &ids);
	dc_jw_key(&w, "services_removed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", bn(ids[i]));
		dc_jw_kbool(&w, "external", dc_service_is_external(o.cb, ids[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	n = dc_diff_deps_added(d, &deps);
	json_deps(&w, "dependencies_added", o.ch, deps, n);
	n = dc_diff_deps_removed(d, &deps);
	json_deps(&w, "dependencies_removed", o.cb, deps, n);
	n = dc_diff_deps_changed(d, &ch);
	dc_jw_key(&w, "dependencies_changed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "from", hn(dc_dep_from(o.ch, ch[i].head)));
		dc_jw_kstr(&w, "to", hn(dc_dep_to(o.ch, ch[i].head)));
		json_changes(&w, &ch[i], 1);
		cli_json_loc(&w, dc_dep_location(o.ch, ch[i].head));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	n = dc_diff_attributes(d, &ch);
	dc_jw_key(&w, "attributes_changed");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", hn(ch[i].head));
		json_changes(&w, &ch[i], 0);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);

	dc_jw_key(&w, "blast_radius");
	dc_jw_obj(&w);
	for (side = 1; side >= 0; side--) {
		const dc_diff_blast *r;
		n = dc_diff_blast_changes(d, side, &r);
		dc_jw_key(&w, side ? "grew" : "shrank");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", hn(r[i].head));
			dc_jw_kint(&w, "base_down", (long long)r[i].base_down);
			dc_jw_kint(&w, "head_down", (long long)r[i].head_down);
			dc_jw_kint(&w, "base_degraded", (long long)r[i].base_degraded);
			dc_jw_kint(&w, "head_degraded", (long long)r[i].head_degraded);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_key(&w, "cycles");
	dc_jw_obj(&w);
	for (side = 1; side >= 0; side--) {
		dc_jw_key(&w, side ? "added" : "removed");
		dc_jw_arr(&w);
		for (hard = 1; hard >= 0; hard--) {
			n = dc_diff_cycle_count(d, hard, side);
			for (i = 0; i < n; i++) {
				size_t nm_ = dc_diff_cycle_members(d, hard, side, i, &ids);
				dc_jw_obj_inline(&w);
				dc_jw_kbool(&w, "hard", hard);
				dc_jw_key(&w, "services");
				json_names(&w, side ? o.ch : o.cb, ids, nm_);
				dc_jw_obj_end(&w);
			}
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_key(&w, "spofs");
	dc_jw_obj(&w);
	for (side = 1; side >= 0; side--) {
		n = dc_diff_spofs(d, side, &ids);
		dc_jw_key(&w, side ? "added" : "removed");
		dc_jw_arr(&w);
		for (i = 0; i < n; i++) {
			const dc_id *eps;
			size_t ne = dc_diff_spof_entrypoints(d, side, ids[i], &eps);
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", side ? hn(ids[i]) : bn(ids[i]));
			dc_jw_key(&w, "entrypoints");
			json_names(&w, side ? o.ch : o.cb, eps, ne);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
	}
	dc_jw_obj_end(&w);

	dc_jw_kstr(&w, "policy", o.policy_path ? o.policy_path : "built-in");
	for (side = 1; side >= 0; side--) {
		const dc_violations *v = side ? o.added : o.fixed;
		dc_jw_key(&w, side ? "violations_added" : "violations_fixed");
		dc_jw_arr(&w);
		for (i = 0; i < dc_violations_count(v); i++)
			vreport_json_violation(&w, dc_violations_get(v, i));
		dc_jw_arr_end(&w);
	}
	dc_jw_kbool(&w, "risk_increased", risk(d));
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

/* ---- main ------------------------------------------------------------------- */

/* Load one side through cli_load and take the catalog out of `c`. */
static int load_side(cli *c, char **paths, int n, dc_catalog **cat, dc_graph **g)
{
	int rc;
	dc_diags_free(c->diags);
	c->diags = NULL;
	if (dc_diags_new(&c->diags)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		return DC_EXIT_USAGE;
	}
	rc = cli_load(c, paths, n);
	*cat = c->cat;
	*g = c->graph;
	c->cat = NULL;
	c->graph = NULL;
	return rc;
}

/* Check both sides against the policy and keep what head adds and fixes
 * (o.added, o.fixed). Returns 0 or an exit code. */
/* A base service in subject keys: its head counterpart's reference, so a
 * catalog moved between formats (names matched by dc_diff) keeps its
 * violations' identity. */
static const char *base_key_name(dc_id s, void *payload)
{
	dc_id h = dc_diff_head_of((const dc_diff *)payload, s);
	return h != DC_NO_ID ? dc_service_ref(o.ch, h) : dc_service_ref(o.cb, s);
}

static int check_sides(cli *c, const dc_diff *d, const dc_graph *gb, const dc_graph *gh)
{
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_policy *p = NULL;
	dc_violations *vb = NULL, *vh = NULL;
	int rc;
	if (o.policy_path && cli_note_input(c, o.policy_path))
		return DC_EXIT_USAGE;
	rc = o.policy_path ? dc_policy_load(&p, o.policy_path, c->diags) : dc_policy_default(&p);
	co.key_name = base_key_name;
	co.key_ctx = (void *)d;
	if (rc) {
		cli_print_diags(c);
		fprintf(stderr, "depcheck diff: the policy cannot be used (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	if (dc_violations_new(&vb) || dc_violations_new(&vh) || dc_violations_new(&o.added) ||
	    dc_violations_new(&o.fixed) || dc_check(vb, gb, NULL, p, &co) || dc_check(vh, gh, NULL, p, NULL) ||
	    dc_violations_compare(vb, vh, o.added, o.fixed)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		rc = DC_EXIT_USAGE;
	}
	dc_violations_free(vb);
	dc_violations_free(vh);
	dc_policy_free(p);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	cli c;
	int rc, r;
	dc_catalog *cb = NULL, *ch = NULL;
	dc_graph *gb = NULL, *gh = NULL;
	dc_diff *d = NULL;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.limit = 100;
	o.blast_limit = 10;
	c.cmd = "diff";
	c.usage = "BASE HEAD | --base P... --head P...";
	c.description = "What a change does to the catalog: services and dependencies added, removed\n"
			"or changed, attribute changes, blast-radius growth, new or removed cycles and\n"
			"SPOFs. BASE and HEAD are each a file or a directory; for several paths per\n"
			"side repeat --base P and --head P instead. Services are matched by their full\n"
			"reference (then by name), dependencies by their endpoints. Violations of the\n"
			"policy (built-in unless --policy) that head adds or fixes are listed too.\n"
			"Exit 0 (a report, not a gate), or 1 with --fail-on-risk when head adds a\n"
			"cycle, a SPOF, blast radius or an error-level violation.";
	c.formats = "text,json,dot,svg";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (o.changed_only && !cli_format_is(&c, "dot") && !cli_format_is(&c, "svg")) {
		rc = cli_usage_error(&c, "--changed-only applies to the map: -f dot or -f svg");
		goto out;
	}
	if (o.nbase || o.nhead) {
		if (!o.nbase || !o.nhead || c.nargs) {
			rc = cli_usage_error(&c, "give both --base and --head (and no positional paths), or BASE HEAD");
			goto out;
		}
	} else if (c.nargs != 2) {
		rc = cli_usage_error(&c, "expected BASE and HEAD (or --base P... --head P...), got %d path%s",
				     c.nargs, c.nargs == 1 ? "" : "s");
		goto out;
	} else {
		if (push_path(&o.base, &o.nbase, c.args[0]) || push_path(&o.head, &o.nhead, c.args[1])) {
			fprintf(stderr, "depcheck diff: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
	}
	if ((rc = load_side(&c, o.base, o.nbase, &cb, &gb)))
		goto out;
	if ((rc = load_side(&c, o.head, o.nhead, &ch, &gh)))
		goto out;
	o.cb = cb;
	o.ch = ch;
	if (dc_diff_compute(&d, gb, gh, NULL)) {
		fprintf(stderr, "depcheck diff: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (!cli_format_is(&c, "dot") && !cli_format_is(&c, "svg") && (rc = check_sides(&c, d, gb, gh)))
		goto out;
	if ((rc = cli_open_output(&c)))
		goto out;
	r = 0;
	if (cli_format_is(&c, "json"))
		json_out(&c, d);
	else if (cli_format_is(&c, "dot") || cli_format_is(&c, "svg")) {
		size_t gk = dc_diags_count(c.diags); /* Graphviz's messages follow */
		r = dc_diff_render(d, cli_format_is(&c, "dot") ? DC_OUTPUT_DOT : DC_OUTPUT_SVG,
				   o.changed_only, c.out, c.diags);
		for (; gk < dc_diags_count(c.diags) && (r || !c.quiet); gk++) {
			fputs("depcheck diff: ", stderr);
			dc_diag_print(stderr, dc_diags_get(c.diags, gk));
		}
	} else
		text_out(&c, d);
	if (r) {
		if (r == DC_ELIMIT)
			fprintf(stderr, "depcheck diff: -f svg: too many services to lay out (at most %d); "
				"use --changed-only, -f dot or -f json\n", DC_DIFF_SVG_MAX);
		else
			fprintf(stderr, "depcheck diff: cannot render the map (%s)\n", dc_strerror(r));
		rc = cli_finish(&c, DC_EXIT_USAGE);
		goto out;
	}
	rc = cli_finish(&c, o.fail_on_risk && risk(d) ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	dc_violations_free(o.added);
	dc_violations_free(o.fixed);
	dc_diff_free(d);
	dc_graph_free(gb);
	dc_graph_free(gh);
	dc_catalog_free(cb);
	dc_catalog_free(ch);
	free(o.base);
	free(o.head);
	cli_free(&c);
	return rc;
}
