/*
 * cmd_check.c - `depcheck check PATH... [--policy F] [--baseline PATH]...`:
 * the CI gate. Checks the catalog against a policy (built-in unless
 * --policy), optionally ignores what a base catalog already violates, and
 * reports in the format the CI system reads: text, json, sarif (GitHub
 * code scanning), junit (GitLab, Jenkins), github (workflow annotations).
 *
 * The rules and the baseline matching are in the library (depcheck/check.h);
 * this file only formats. Exit 1 when a violation at or above --fail-on
 * remains (default: errors), 0 otherwise, 2 for unusable input or policy.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_POLICY = 1000, OPT_BASELINE, OPT_PRINT_DEFAULT, OPT_FAIL_ON };

static const cli_option opts[] = {
	{ "policy", 0, 1, OPT_POLICY, "FILE  policy to enforce (default: the built-in policy)" },
	{ "baseline", 0, 1, OPT_BASELINE, "PATH  base catalog: report only violations it does not "
	  "have (repeat for several paths)" },
	{ "fail-on", 0, 1, OPT_FAIL_ON, "LEVEL  error (default), warning or never" },
	{ "print-default-policy", 0, 0, OPT_PRINT_DEFAULT, " print the built-in policy and exit" },
	{ NULL, 0, 0, 0, NULL }
};

#define INFO_URI "https://github.com/depcheck/depcheck"

typedef struct {
	const char *policy_path;
	char **baseline;
	int nbaseline;
	int print_default;
	dc_level fail_on;       /* DC_LEVEL_OFF: never fail */
} check_opts;

static check_opts o;

static int on_opt(cli *c, int id, const char *arg)
{
	switch (id) {
	case OPT_POLICY:
		o.policy_path = arg;
		return -1;
	case OPT_BASELINE: {
		char **nb = realloc(o.baseline, (size_t)(o.nbaseline + 1) * sizeof(*nb));
		if (!nb)
			return DC_EXIT_USAGE;
		o.baseline = nb;
		o.baseline[o.nbaseline++] = (char *)arg;
		return -1;
	}
	case OPT_PRINT_DEFAULT:
		o.print_default = 1;
		return -1;
	case OPT_FAIL_ON:
		if (!strcmp(arg, "error"))
			o.fail_on = DC_LEVEL_ERROR;
		else if (!strcmp(arg, "warning"))
			o.fail_on = DC_LEVEL_WARNING;
		else if (!strcmp(arg, "never"))
			o.fail_on = DC_LEVEL_OFF;
		else
			return cli_usage_error(c, "--fail-on takes error, warning or never, not '%s'", arg);
		return -1;
	}
	return cli_usage_error(c, "unexpected option");
}

static int fails(dc_level l)
{
	return o.fail_on != DC_LEVEL_OFF && l >= o.fail_on;
}

typedef struct {
	cli *c;
	const dc_policy *policy;
	const dc_violations *v;
	size_t ignored;           /* known violations the baseline removed */
	int failed;
} report;

/* ---- text ------------------------------------------------------------------------ */

static void text_one(const report *r, const dc_violation *x)
{
	cli *c = r->c;
	const char *col = x->level == DC_LEVEL_ERROR ? cli_c(c, "red") : cli_c(c, "yellow");
	if (x->loc.file)
		fprintf(c->out, "%s%s:%u:%u:%s ", cli_c(c, "bold"), x->loc.file, x->loc.line, x->loc.column,
			cli_c(c, "reset"));
	fprintf(c->out, "%s%s:%s %s %s[%s]%s\n", col, dc_level_name(x->level), cli_c(c, "reset"),
		x->message, cli_c(c, "dim"), x->rule, cli_c(c, "reset"));
}

static void text_out(const report *r)
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
				text_one(r, x);
		}
		if (!c->quiet)
			fputc('\n', c->out);
	}
	if (c->quiet)
		return;
	fprintf(c->out, "%scheck %s%s: %zu error%s, %zu warning%s", cli_c(c, "bold"),
		r->failed ? "failed" : "passed", cli_c(c, "reset"), ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	if (o.nbaseline)
		fprintf(c->out, "; %zu known violation%s ignored (in the baseline)", r->ignored,
			r->ignored == 1 ? "" : "s");
	fprintf(c->out, " (policy: %s)\n", o.policy_path ? o.policy_path : "built-in");
}

/* ---- json ------------------------------------------------------------------------ */

static size_t count_rule(const dc_violations *v, const char *id)
{
	size_t i, n = 0;
	for (i = 0; i < dc_violations_count(v); i++)
		n += !strcmp(dc_violations_get(v, i)->rule, id);
	return n;
}

static void json_out(const report *r)
{
	cli *c = r->c;
	size_t i, n = dc_violations_count(r->v), nr = dc_policy_rule_count(r->policy);
	dc_jsonw w;
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "check");
	dc_jw_kstr(&w, "policy", o.policy_path ? o.policy_path : "built-in");
	dc_jw_kbool(&w, "passed", !r->failed);
	dc_jw_kstr(&w, "fail_on", o.fail_on == DC_LEVEL_OFF ? "never" : dc_level_name(o.fail_on));
	dc_jw_kint(&w, "errors", (long long)dc_violations_count_level(r->v, DC_LEVEL_ERROR));
	dc_jw_kint(&w, "warnings", (long long)dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	dc_jw_key(&w, "baseline");
	if (o.nbaseline) {
		int k;
		dc_jw_obj(&w);
		dc_jw_key(&w, "paths");
		dc_jw_arr_inline(&w);
		for (k = 0; k < o.nbaseline; k++)
			dc_jw_str(&w, o.baseline[k]);
		dc_jw_arr_end(&w);
		dc_jw_kint(&w, "ignored", (long long)r->ignored);
		dc_jw_obj_end(&w);
	} else {
		dc_jw_null(&w);
	}
	dc_jw_key(&w, "rules");
	dc_jw_arr(&w);
	for (i = 0; i < nr; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", dc_policy_rule_id(r->policy, i));
		dc_jw_kstr(&w, "severity", dc_level_name(dc_policy_rule_level(r->policy, i)));
		dc_jw_kint(&w, "violations", (long long)count_rule(r->v, dc_policy_rule_id(r->policy, i)));
		dc_jw_kstr(&w, "description", dc_policy_rule_description(r->policy, i));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "violations");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "rule", x->rule);
		dc_jw_kstr(&w, "severity", dc_level_name(x->level));
		dc_jw_kstr(&w, "message", x->message);
		dc_jw_kstr(&w, "service", x->service);
		dc_jw_kstr(&w, "target", x->target);
		dc_jw_kstr(&w, "file", x->loc.file);
		dc_jw_key(&w, "line");
		if (x->loc.file)
			dc_jw_int(&w, x->loc.line);
		else
			dc_jw_null(&w);
		dc_jw_key(&w, "column");
		if (x->loc.file)
			dc_jw_int(&w, x->loc.column);
		else
			dc_jw_null(&w);
		dc_jw_kstr(&w, "key", x->key);
		dc_jw_obj_end(&w);
	}
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

static void sarif_out(const report *r)
{
	cli *c = r->c;
	size_t i, k, n = dc_violations_count(r->v), nr = dc_policy_rule_count(r->policy);
	const char **extra = calloc(n ? n : 1, sizeof(*extra));   /* rule ids not in the policy */
	size_t nextra = 0;
	dc_jsonw w;
	char uri[4096], fp[32];
	if (!extra)
		return;
	for (i = 0; i < n; i++) {
		const char *id = dc_violations_get(r->v, i)->rule;
		if (dc_policy_rule_find(r->policy, id) != (size_t)-1)
			continue;
		for (k = 0; k < nextra && strcmp(extra[k], id); k++)
			;
		if (k == nextra)
			extra[nextra++] = id;
	}
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
	for (i = 0; i < nr + nextra; i++) {
		const char *id = i < nr ? dc_policy_rule_id(r->policy, i) : extra[i - nr];
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", id);
		dc_jw_key(&w, "shortDescription");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "text", i < nr ? dc_policy_rule_description(r->policy, i) : id);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "defaultConfiguration");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "level", i < nr ? sarif_level(dc_policy_rule_level(r->policy, i)) : "warning");
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
		size_t idx = dc_policy_rule_find(r->policy, x->rule);
		const char *file = x->loc.file;
		unsigned line = x->loc.line ? x->loc.line : 1, col = x->loc.column ? x->loc.column : 1;
		if (idx == (size_t)-1) {
			for (k = 0; k < nextra && strcmp(extra[k], x->rule); k++)
				;
			idx = nr + k;
		}
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
	free(extra);
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

static void junit_out(const report *r)
{
	cli *c = r->c;
	FILE *fp = c->out;
	size_t nr = dc_policy_rule_count(r->policy), n = dc_violations_count(r->v), i, k;
	size_t nfail = 0, nskip = 0;
	for (i = 0; i < nr; i++) {
		const char *id = dc_policy_rule_id(r->policy, i);
		int f = 0;
		if (dc_policy_rule_level(r->policy, i) == DC_LEVEL_OFF) {
			nskip++;
			continue;
		}
		for (k = 0; k < n && !f; k++)
			f = !strcmp(dc_violations_get(r->v, k)->rule, id) && fails(dc_violations_get(r->v, k)->level);
		nfail += f;
	}
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(fp, "<testsuites name=\"depcheck check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\">\n", nr, nfail, nskip);
	fprintf(fp, "  <testsuite name=\"depcheck check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\">\n", nr, nfail, nskip);
	for (i = 0; i < nr; i++) {
		const char *id = dc_policy_rule_id(r->policy, i);
		size_t nv = 0, nf = 0;
		fprintf(fp, "    <testcase classname=\"depcheck.policy\" name=\"");
		xml(fp, id);
		fprintf(fp, "\">\n");
		if (dc_policy_rule_level(r->policy, i) == DC_LEVEL_OFF) {
			fprintf(fp, "      <skipped message=\"rule is off\"/>\n    </testcase>\n");
			continue;
		}
		for (k = 0; k < n; k++) {
			const dc_violation *x = dc_violations_get(r->v, k);
			if (!strcmp(x->rule, id)) {
				nv++;
				nf += fails(x->level);
			}
		}
		if (nf) {
			fprintf(fp, "      <failure type=\"%s\" message=\"%zu violation%s: ",
				dc_level_name(dc_policy_rule_level(r->policy, i)), nv, nv == 1 ? "" : "s");
			xml(fp, dc_policy_rule_description(r->policy, i));
			fprintf(fp, "\">");
			for (k = 0; k < n; k++)
				if (!strcmp(dc_violations_get(r->v, k)->rule, id))
					junit_line(fp, dc_violations_get(r->v, k));
			fprintf(fp, "</failure>\n");
		} else if (nv) {
			/* violations that do not fail the gate (warnings) */
			fprintf(fp, "      <system-out>");
			for (k = 0; k < n; k++)
				if (!strcmp(dc_violations_get(r->v, k)->rule, id))
					junit_line(fp, dc_violations_get(r->v, k));
			fprintf(fp, "</system-out>\n");
		}
		fprintf(fp, "    </testcase>\n");
	}
	fprintf(fp, "  </testsuite>\n</testsuites>\n");
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

static void github_out(const report *r)
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
	fprintf(c->out, "depcheck check %s: %zu errors, %zu warnings", r->failed ? "failed" : "passed",
		dc_violations_count_level(r->v, DC_LEVEL_ERROR), dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	if (o.nbaseline)
		fprintf(c->out, "; %zu known violations ignored (in the baseline)", r->ignored);
	fputc('\n', c->out);
}

/* ---- running ---------------------------------------------------------------------- */

/* Check a catalog already loaded (c->graph) into *out. */
static int run_check(const dc_graph *g, const dc_policy *p, dc_violations **out)
{
	int rc = dc_violations_new(out);
	/* dc_check runs dc_analyze itself when a rule needs it */
	return rc ? rc : dc_check(*out, g, NULL, p, NULL);
}

/* The base catalog: loaded quietly (its old warnings are not this change's
 * business); if it cannot be analyzed, that is said and the run stops. */
static int load_base(cli *c, const dc_policy *p, dc_violations **out)
{
	dc_catalog *cat = NULL;
	dc_graph *g = NULL;
	dc_diags *d = NULL;
	int rc = 0, r, i;
	if (dc_diags_new(&d) || dc_catalog_new(&cat)) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < o.nbaseline; i++) {
		r = dc_catalog_add_path(cat, o.baseline[i], &c->load, d);
		if (r && !rc)
			rc = r;
	}
	if (!rc)
		rc = dc_catalog_finalize(cat, d);
	if (!rc && dc_graph_new(&g, cat))
		rc = DC_ENOMEM;
	if (!rc)
		rc = run_check(g, p, out);
	if (rc && rc != DC_ENOMEM) {
		size_t k;
		dc_diags_sort(d);
		for (k = 0; k < dc_diags_count(d); k++)
			if (dc_diags_get(d, k)->severity == DC_SEV_ERROR)
				dc_diag_print(stderr, dc_diags_get(d, k));
		fprintf(stderr, "depcheck check: the baseline cannot be analyzed (%s)\n", dc_strerror(rc));
	}
out:
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	return rc;
}

static int load_policy(cli *c, dc_policy **p)
{
	int rc;
	if (!o.policy_path)
		rc = dc_policy_default(p);
	else
		rc = dc_policy_load(p, o.policy_path, c->diags);
	if (rc) {
		cli_print_diags(c);
		if (rc == DC_ENOMEM)
			fprintf(stderr, "depcheck: out of memory\n");
		else
			fprintf(stderr, "depcheck check: the policy cannot be used (%s)\n", dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	cli c;
	int rc;
	dc_policy *policy = NULL;
	dc_violations *v = NULL, *base = NULL;
	report r;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	o.fail_on = DC_LEVEL_ERROR;
	c.cmd = "check";
	c.usage = "PATH... [--policy FILE] [--baseline PATH]...";
	c.description = "The CI gate: check the catalog against a policy (the built-in one unless\n"
			"--policy) and exit 1 when a violation at --fail-on level remains. With\n"
			"--baseline, violations the base catalog already has are ignored (matched by\n"
			"rule and subject, not by line). Formats: text, json, sarif (code scanning),\n"
			"junit (one testcase per rule), github (workflow annotations).";
	c.formats = "text,json,sarif,junit,github";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (o.print_default) {
		if (c.nargs) {
			rc = cli_usage_error(&c, "--print-default-policy takes no PATH");
			goto out;
		}
		if ((rc = cli_open_output(&c)))
			goto out;
		fputs(dc_policy_default_text(), c.out);
		rc = cli_finish(&c, DC_EXIT_OK);
		goto out;
	}
	if (c.nargs == 0) {
		rc = cli_usage_error(&c, "no input: give catalog files or directories (or - for stdin)");
		goto out;
	}
	if ((rc = load_policy(&c, &policy)))
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if ((rc = run_check(c.graph, policy, &v))) {
		fprintf(stderr, "depcheck check: %s\n", dc_strerror(rc));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	memset(&r, 0, sizeof(r));
	if (o.nbaseline) {
		if ((rc = load_base(&c, policy, &base))) {
			if (rc == DC_ENOMEM)
				fprintf(stderr, "depcheck: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
		if (dc_violations_subtract(v, base, &r.ignored)) {
			fprintf(stderr, "depcheck: out of memory\n");
			rc = DC_EXIT_USAGE;
			goto out;
		}
	}
	r.c = &c;
	r.policy = policy;
	r.v = v;
	for (i = 0; i < dc_violations_count(v); i++)
		if (fails(dc_violations_get(v, i)->level))
			r.failed = 1;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (cli_format_is(&c, "json"))
		json_out(&r);
	else if (cli_format_is(&c, "sarif"))
		sarif_out(&r);
	else if (cli_format_is(&c, "junit"))
		junit_out(&r);
	else if (cli_format_is(&c, "github"))
		github_out(&r);
	else
		text_out(&r);
	rc = cli_finish(&c, r.failed ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	dc_violations_free(v);
	dc_violations_free(base);
	dc_policy_free(policy);
	free(o.baseline);
	o.baseline = NULL;
	cli_free(&c);
	return rc;
}
