/*
 * violations_report.c - the formats of `depcheck check` (see
 * violations_report.h): text grouped by severity with FILE:LINE:COLUMN,
 * json (DESIGN.md §4 keys), SARIF 2.1.0 for code scanning, JUnit (one
 * testcase per rule) and GitHub workflow commands. Formatting only: the
 * violations come from the library (depcheck/check.h).
 */
#include "violations_report.h"

#include <stdlib.h>
#include <string.h>

#define INFO_URI "https://github.com/depcheck/depcheck"

static int fails(const vreport *r, dc_level l)
{
	return r->fail_on != DC_LEVEL_OFF && l >= r->fail_on;
}

static size_t rule_index(const vreport *r, const char *id)
{
	size_t i;
	for (i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i].id, id))
			break;
	return i;
}

/* Fill r->rules; returns 0 or -1 (out of memory). */
static int build_rules(vreport *r)
{
	size_t nr = r->policy ? dc_policy_rule_count(r->policy) : 0, n = dc_violations_count(r->v), i;
	r->rules = malloc((nr + n + 1) * sizeof(*r->rules));
	if (!r->rules)
		return -1;
	for (i = 0; i < nr; i++) {
		r->rules[i].id = dc_policy_rule_id(r->policy, i);
		r->rules[i].level = dc_policy_rule_level(r->policy, i);
		r->rules[i].description = dc_policy_rule_description(r->policy, i);
		r->rules[i].skipped = NULL;
		if (r->rules[i].level == DC_LEVEL_OFF)
			r->rules[i].skipped = "rule is off";
		else if (dc_policy_rule_kind(r->policy, i) == DC_RULE_UNDECLARED_DEPENDENCY && !r->observed)
			r->rules[i].skipped = "no observed calls (--observed FILE)";
	}
	r->nrules = nr;
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		size_t k = rule_index(r, x->rule);
		if (k == r->nrules) {
			size_t b;
			r->rules[k].id = x->rule;
			r->rules[k].level = x->level;
			r->rules[k].description = x->rule;
			r->rules[k].skipped = NULL;
			/* a built-in rule reported without a policy (reconcile) */
			for (b = 0; b < DC_RULE_FORBIDDEN; b++)
				if (!strcmp(x->rule, dc_rule_kind_name((dc_rule_kind)b)))
					r->rules[k].description = dc_rule_kind_description((dc_rule_kind)b);
			r->nrules++;
		} else if (k >= nr && x->level > r->rules[k].level) {
			r->rules[k].level = x->level;
		}
	}
	return 0;
}

/* ---- text ------------------------------------------------------------------------ */

void vreport_text_line(cli *c, const dc_violation *x)
{
	const char *col = x->level == DC_LEVEL_ERROR ? cli_c(c, "red") : cli_c(c, "yellow");
	if (x->loc.file)
		fprintf(c->out, "%s%s:%u:%u:%s ", cli_c(c, "bold"), x->loc.file, x->loc.line, x->loc.column,
			cli_c(c, "reset"));
	fprintf(c->out, "%s%s:%s %s %s[%s]%s\n", col, dc_level_name(x->level), cli_c(c, "reset"),
		x->message, cli_c(c, "dim"), x->rule, cli_c(c, "reset"));
}

static void text_out(const vreport *r)
{
	cli *c = r->c;
	size_t n = dc_violations_count(r->v), i;
	size_t ne = dc_violations_count_level(r->v, DC_LEVEL_ERROR);
	size_t nw = dc_violations_count_level(r->v, DC_LEVEL_WARNING);
	int lv;
	for (lv = DC_LEVEL_ERROR; lv >= DC_LEVEL_WARNING; lv--) {
		size_t cnt = lv == DC_LEVEL_ERROR ? ne : nw;
		if (!cnt || (c->quiet && lv != DC_LEVEL_ERROR))
			continue;
		if (!c->quiet)
			fprintf(c->out, "%s%s (%zu)%s\n", cli_c(c, "bold"), lv == DC_LEVEL_ERROR ? "errors" :
				"warnings", cnt, cli_c(c, "reset"));
		for (i = 0; i < n; i++) {
			const dc_violation *x = dc_violations_get(r->v, i);
			if ((int)x->level == lv)
				vreport_text_line(c, x);
		}
		if (!c->quiet)
			fputc('\n', c->out);
	}
	if (c->quiet)
		return;
	fprintf(c->out, "%s%s %s%s: %zu error%s, %zu warning%s", cli_c(c, "bold"),
		r->command, r->failed ? "failed" : "passed", cli_c(c, "reset"), ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	if (r->nbaseline)
		fprintf(c->out, "; %zu known violation%s ignored (in the baseline)", r->ignored,
			r->ignored == 1 ? "" : "s");
	fprintf(c->out, " (policy: %s)\n", r->policy_name);
}

/* ---- json ------------------------------------------------------------------------ */

static size_t count_rule(const dc_violations *v, const char *id)
{
	size_t i, n = 0;
	for (i = 0; i < dc_violations_count(v); i++)
		n += !strcmp(dc_violations_get(v, i)->rule, id);
	return n;
}

void vreport_json_violation(dc_jsonw *w, const dc_violation *x)
{
	dc_jw_obj_inline(w);
	dc_jw_kstr(w, "rule", x->rule);
	dc_jw_kstr(w, "severity", dc_level_name(x->level));
	dc_jw_kstr(w, "message", x->message);
	dc_jw_kstr(w, "service", x->service);
	dc_jw_kstr(w, "target", x->target);
	dc_jw_kstr(w, "file", x->loc.file);
	dc_jw_key(w, "line");
	if (x->loc.file)
		dc_jw_int(w, x->loc.line);
	else
		dc_jw_null(w);
	dc_jw_key(w, "column");
	if (x->loc.file)
		dc_jw_int(w, x->loc.column);
	else
		dc_jw_null(w);
	dc_jw_kstr(w, "key", x->key);
	dc_jw_obj_end(w);
}

static void json_out(const vreport *r)
{
	cli *c = r->c;
	size_t i, n = dc_violations_count(r->v);
	dc_jsonw w;
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", r->command);
	dc_jw_kstr(&w, "policy", r->policy_name);
	dc_jw_kbool(&w, "passed", !r->failed);
	dc_jw_kstr(&w, "fail_on", r->fail_on == DC_LEVEL_OFF ? "never" : dc_level_name(r->fail_on));
	dc_jw_kint(&w, "errors", (long long)dc_violations_count_level(r->v, DC_LEVEL_ERROR));
	dc_jw_kint(&w, "warnings", (long long)dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	dc_jw_key(&w, "baseline");
	if (r->nbaseline) {
		int k;
		dc_jw_obj(&w);
		dc_jw_key(&w, "paths");
		dc_jw_arr_inline(&w);
		for (k = 0; k < r->nbaseline; k++)
			dc_jw_str(&w, r->baseline[k]);
		dc_jw_arr_end(&w);
		dc_jw_kint(&w, "ignored", (long long)r->ignored);
		dc_jw_obj_end(&w);
	} else {
		dc_jw_null(&w);
	}
	dc_jw_key(&w, "observed");
	if (r->observed)
		observed_opts_json(&w, r->observed, r->obs);
	else
		dc_jw_null(&w);
	dc_jw_key(&w, "rules");
	dc_jw_arr(&w);
	for (i = 0; i < r->nrules; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", r->rules[i].id);
		dc_jw_kstr(&w, "severity", dc_level_name(r->rules[i].level));
		dc_jw_kint(&w, "violations", (long long)count_rule(r->v, r->rules[i].id));
		dc_jw_kstr(&w, "description", r->rules[i].description);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "violations");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++)
		vreport_json_violation(&w, dc_violations_get(r->v, i));
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

/* ---- sarif ----------------------------------------------------------------------- */

/* A path as given, as a URI reference: relative paths stay relative (code
 * scanning resolves them against the checkout); absolute ones get file://. */
static void uri_of(const char *path, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o_ = 0;
	const unsigned char *p = (const unsigned char *)path;
	if (path[0] == '/' && size > 8) {
		memcpy(buf, "file://", 7);
		o_ = 7;
	}
	for (; *p && o_ + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p)) {
			buf[o_++] = (char)*p;
		} else {
			buf[o_++] = '%';
			buf[o_++] = hex[*p >> 4];
			buf[o_++] = hex[*p & 15];
		}
	}
	buf[o_] = '\0';
}

/* FNV-1a 64 of rule and subject key: the same finding keeps the same
 * fingerprint when lines move, so code scanning tracks it across commits. */
static unsigned long long fingerprint(const dc_violation *x)
{
	unsigned long long h = 1469598103934665603ULL;
	const unsigned char *p;
	for (p = (const unsigned char *)x->rule; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (p = (const unsigned char *)x->key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static const char *sarif_level(dc_level l)
{
	return l == DC_LEVEL_ERROR ? "error" : l == DC_LEVEL_WARNING ? "warning" : "none";
}

static void sarif_out(const vreport *r)
{
	cli *c = r->c;
	size_t i, n = dc_violations_count(r->v);
	dc_jsonw w;
	char uri[4096], fp[32];
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	dc_jw_kstr(&w, "version", "2.1.0");
	dc_jw_key(&w, "runs");
	dc_jw_arr(&w);
	dc_jw_obj(&w);
	dc_jw_key(&w, "tool");
	dc_jw_obj(&w);
	dc_jw_key(&w, "driver");
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "name", "depcheck");
	dc_jw_kstr(&w, "version", dc_version());
	dc_jw_kstr(&w, "informationUri", INFO_URI);
	dc_jw_key(&w, "rules");
	dc_jw_arr(&w);
	for (i = 0; i < r->nrules; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", r->rules[i].id);
		dc_jw_key(&w, "shortDescription");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "text", r->rules[i].description);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "defaultConfiguration");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "level", sarif_level(r->rules[i].level));
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_key(&w, "results");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		size_t idx = rule_index(r, x->rule);
		const char *file = x->loc.file;
		unsigned line = x->loc.line ? x->loc.line : 1, col = x->loc.column ? x->loc.column : 1;
		/* code scanning wants a location on every result: a finding about a
		 * service defined nowhere (an external) points at the first input */
		if (!file && dc_catalog_file_count(c->cat)) {
			file = dc_catalog_file(c->cat, 0);
			line = col = 1;
		}
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "ruleId", x->rule);
		dc_jw_kint(&w, "ruleIndex", (long long)idx);
		dc_jw_kstr(&w, "level", sarif_level(x->level));
		dc_jw_key(&w, "message");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "text", x->message);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "locations");
		dc_jw_arr(&w);
		if (file) {
			uri_of(file, uri, sizeof(uri));
			dc_jw_obj(&w);
			dc_jw_key(&w, "physicalLocation");
			dc_jw_obj(&w);
			dc_jw_key(&w, "artifactLocation");
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "uri", uri);
			dc_jw_obj_end(&w);
			dc_jw_key(&w, "region");
			dc_jw_obj_inline(&w);
			dc_jw_kint(&w, "startLine", line);
			dc_jw_kint(&w, "startColumn", col);
			dc_jw_obj_end(&w);
			dc_jw_obj_end(&w);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		snprintf(fp, sizeof(fp), "%016llx", fingerprint(x));
		dc_jw_key(&w, "partialFingerprints");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "depcheckSubject/v1", fp);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "properties");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", x->service);
		dc_jw_kstr(&w, "target", x->target);
		dc_jw_kstr(&w, "subject", x->key);
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

/* ---- junit ----------------------------------------------------------------------- */

/* XML text or attribute value: the five entities, and control characters
 * (not allowed in XML 1.0) dropped, except tab and newline. */
static void xml(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		case '\n': fputs("&#10;", fp); break;
		case '\t': fputs("&#9;", fp); break;
		default:
			if (ch >= 0x20 && ch != 0x7f)
				fputc(ch, fp);
		}
	}
}

static void junit_line(FILE *fp, const dc_violation *x)
{
	if (x->loc.file)
		fprintf(fp, "%s:%u:%u: ", x->loc.file, x->loc.line, x->loc.column);
	fprintf(fp, "%s: ", dc_level_name(x->level));
	xml(fp, x->message);
	fputc('\n', fp);
}

static void junit_out(const vreport *r)
{
	FILE *fp = r->c->out;
	size_t n = dc_violations_count(r->v), i, k;
	size_t nfail = 0, nskip = 0;
	size_t *nv = calloc(r->nrules + 1, sizeof(*nv)), *nf = calloc(r->nrules + 1, sizeof(*nf));
	if (!nv || !nf) {
		free(nv);
		free(nf);
		return;
	}
	/* per rule: violations, and those that fail the gate */
	for (k = 0; k < n; k++) {
		const dc_violation *x = dc_violations_get(r->v, k);
		i = rule_index(r, x->rule);
		nv[i]++;
		nf[i] += fails(r, x->level);
	}
	for (i = 0; i < r->nrules; i++) {
		nskip += r->rules[i].skipped && !nv[i];
		nfail += nf[i] != 0;
	}
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(fp, "<testsuites name=\"depcheck %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\">\n", r->command, r->nrules, nfail, nskip);
	fprintf(fp, "  <testsuite name=\"depcheck %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\">\n", r->command, r->nrules, nfail, nskip);
	for (i = 0; i < r->nrules; i++) {
		const char *id = r->rules[i].id;
		fprintf(fp, "    <testcase classname=\"depcheck.policy\" name=\"");
		xml(fp, id);
		fprintf(fp, "\">\n");
		/* a rule that did not run, unless findings of it came from outside */
		if (r->rules[i].skipped && !nv[i]) {
			fprintf(fp, "      <skipped message=\"");
			xml(fp, r->rules[i].skipped);
			fprintf(fp, "\"/>\n    </testcase>\n");
			continue;
		}
		if (nv[i]) {
			/* violations that do not fail the gate (warnings) go to system-out */
			if (nf[i]) {
				fprintf(fp, "      <failure type=\"%s\" message=\"%zu violation%s: ",
					dc_level_name(r->rules[i].level), nv[i], nv[i] == 1 ? "" : "s");
				xml(fp, r->rules[i].description);
				fprintf(fp, "\">");
			} else {
				fprintf(fp, "      <system-out>");
			}
			for (k = 0; k < n; k++)
				if (!strcmp(dc_violations_get(r->v, k)->rule, id))
					junit_line(fp, dc_violations_get(r->v, k));
			fprintf(fp, nf[i] ? "</failure>\n" : "</system-out>\n");
		}
		fprintf(fp, "    </testcase>\n");
	}
	fprintf(fp, "  </testsuite>\n</testsuites>\n");
	free(nv);
	free(nf);
}

/* ---- github ---------------------------------------------------------------------- */

/* Workflow command escaping: data escapes %, CR and LF; property values
 * also ':' and ','. */
static void gh_escape(FILE *fp, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", fp); break;
		case '\r': fputs("%0D", fp); break;
		case '\n': fputs("%0A", fp); break;
		case ':': if (property) fputs("%3A", fp); else fputc(':', fp); break;
		case ',': if (property) fputs("%2C", fp); else fputc(',', fp); break;
		default: fputc(*s, fp);
		}
	}
}

static void github_out(const vreport *r)
{
	cli *c = r->c;
	size_t i, n = dc_violations_count(r->v);
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		fprintf(c->out, "::%s ", x->level == DC_LEVEL_ERROR ? "error" : "warning");
		if (x->loc.file) {
			fputs("file=", c->out);
			gh_escape(c->out, x->loc.file, 1);
			fprintf(c->out, ",line=%u,col=%u,", x->loc.line, x->loc.column);
		}
		fputs("title=", c->out);
		gh_escape(c->out, "depcheck ", 1);
		gh_escape(c->out, x->rule, 1);
		fputs("::", c->out);
		gh_escape(c->out, x->message, 0);
		fputc('\n', c->out);
	}
	fprintf(c->out, "depcheck %s %s: %zu errors, %zu warnings", r->command, r->failed ? "failed" : "passed",
		dc_violations_count_level(r->v, DC_LEVEL_ERROR), dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	if (r->nbaseline)
		fprintf(c->out, "; %zu known violations ignored (in the baseline)", r->ignored);
	fputc('\n', c->out);
}

int vreport_write(vreport *r)
{
	size_t i;
	cli *c = r->c;
	if (build_rules(r))
		return -1;
	r->failed = 0;
	for (i = 0; i < dc_violations_count(r->v); i++)
		if (fails(r, dc_violations_get(r->v, i)->level))
			r->failed = 1;
	if (cli_format_is(c, "json"))
		json_out(r);
	else if (cli_format_is(c, "sarif"))
		sarif_out(r);
	else if (cli_format_is(c, "junit"))
		junit_out(r);
	else if (cli_format_is(c, "github"))
		github_out(r);
	else
		text_out(r);
	return 0;
}

void vreport_free(vreport *r)
{
	free(r->rules);
	r->rules = NULL;
	r->nrules = 0;
}
