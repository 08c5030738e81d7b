/*
 * output_ci.c - findings in the formats CI systems read: SARIF 2.1.0
 * (code scanning), JUnit XML (test reports) and GitHub workflow commands
 * (annotations). Input is attacker-controlled in CI: every string is
 * escaped for its format, so nothing in a catalog becomes markup or a
 * workflow command.
 */
#include "output_int.h"
#include "sha256.h"

/* ---- policy: violations, check, reconcile, diff -------------------------- */

#include <stdlib.h>
#include <string.h>

/* ---- sarif ---- */

/* A path as given, as a URI reference: relative paths stay relative (code
 * scanning resolves them against the checkout); absolute ones get file://.
 * Everything but unreserved characters and '/' is percent-encoded. */
static void sarif_uri(const char *path, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)path;
	if (path[0] == '/' && size > 8) {
		memcpy(buf, "file://", 7);
		o = 7;
	}
	for (; *p && o + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p)) {
			buf[o++] = (char)*p;
		} else {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	buf[o] = '\0';
}

/* SHA-256 of rule, a unit separator and subject key: the same finding keeps
 * the same fingerprint when lines move, so code scanning tracks it across
 * commits; and a cryptographic hash, so that a merge request cannot name a
 * new finding to collide with an alert a reviewer dismissed (FNV, the hash
 * of /v1, made that easy). */
static void sarif_fingerprint(const dc_violation *x, char out[65])
{
	dc_sha256_ctx c;
	uint8_t d[32];
	dc_sha256_init(&c);
	dc_sha256_update(&c, x->rule, strlen(x->rule));
	dc_sha256_update(&c, "\x1f", 1);
	dc_sha256_update(&c, x->key, strlen(x->key));
	dc_sha256_final(&c, d);
	dc_sha256_hex(d, out);
}

static const char *sarif_level(dc_level l)
{
	return l == DC_LEVEL_ERROR ? "error" : l == DC_LEVEL_WARNING ? "warning" : "none";
}

/* Strings go through the JSON writer, which escapes them: a catalog's
 * text cannot break out of its string. */
static void sarif_out(FILE *out, const dc_violations_report *r, const dc__vrule *rules, size_t nrules)
{
	size_t i, n = dc_violations_count(r->v);
	dc_jsonw w;
	char uri[4096], fp[65];
	dc_jw_init(&w, out);
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
	/* no informationUri (optional): the project has no public URL, and a
	 * link to a repository that does not exist is worse than none */
	dc_jw_key(&w, "rules");
	dc_jw_arr(&w);
	for (i = 0; i < nrules; i++) {
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "id", rules[i].id);
		dc_jw_key(&w, "shortDescription");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "text", rules[i].description);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "defaultConfiguration");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "level", sarif_level(rules[i].level));
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
		size_t idx = dc__vrule_index(rules, nrules, x->rule);
		const char *file = x->loc.file;
		unsigned line = x->loc.line ? x->loc.line : 1, col = x->loc.column ? x->loc.column : 1;
		/* code scanning wants a location on every result: a finding about a
		 * service defined nowhere (an external) points at the first input */
		if (!file && r->cat && dc_catalog_file_count(r->cat)) {
			file = dc_catalog_file(r->cat, 0);
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
			sarif_uri(file, uri, sizeof(uri));
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
		sarif_fingerprint(x, fp);
		dc_jw_key(&w, "partialFingerprints");
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "depcheckSubject/v2", fp);
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

/* ---- junit ---- */

/* XML text or attribute value: the five entities, and control characters
 * (not allowed in XML 1.0) dropped, except tab and newline (as character
 * references, so attribute values keep them). */
static void junit_xml(FILE *fp, const char *s)
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
	if (x->loc.file) {
		junit_xml(fp, x->loc.file);
		fprintf(fp, ":%u:%u: ", x->loc.line, x->loc.column);
	}
	fprintf(fp, "%s: ", dc_level_name(x->level));
	junit_xml(fp, x->message);
	fputc('\n', fp);
}

static int junit_out(FILE *fp, const dc_violations_report *r, const dc__vrule *rules, size_t nrules)
{
	size_t n = dc_violations_count(r->v), i, k;
	size_t nfail = 0, nskip = 0;
	size_t *nv = calloc(nrules + 1, sizeof(*nv)), *nf = calloc(nrules + 1, sizeof(*nf));
	if (!nv || !nf) {
		free(nv);
		free(nf);
		return DC_ENOMEM;
	}
	/* per rule: violations, and those that fail the gate */
	for (k = 0; k < n; k++) {
		const dc_violation *x = dc_violations_get(r->v, k);
		i = dc__vrule_index(rules, nrules, x->rule);
		nv[i]++;
		nf[i] += dc_level_fails(x->level, r->fail_on);
	}
	for (i = 0; i < nrules; i++) {
		nskip += rules[i].skipped && !nv[i];
		nfail += nf[i] != 0;
	}
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(fp, "<testsuites name=\"depcheck ");
	junit_xml(fp, r->command);
	fprintf(fp, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", nrules, nfail, nskip);
	fprintf(fp, "  <testsuite name=\"depcheck ");
	junit_xml(fp, r->command);
	fprintf(fp, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", nrules, nfail, nskip);
	for (i = 0; i < nrules; i++) {
		const char *id = rules[i].id;
		fprintf(fp, "    <testcase classname=\"depcheck.policy\" name=\"");
		junit_xml(fp, id);
		fprintf(fp, "\">\n");
		/* a rule that did not run, unless findings of it came from outside */
		if (rules[i].skipped && !nv[i]) {
			fprintf(fp, "      <skipped message=\"");
			junit_xml(fp, rules[i].skipped);
			fprintf(fp, "\"/>\n    </testcase>\n");
			continue;
		}
		if (nv[i]) {
			/* violations that do not fail the gate (warnings) go to system-out */
			if (nf[i]) {
				fprintf(fp, "      <failure type=\"%s\" message=\"%zu violation%s: ",
					dc_level_name(rules[i].level), nv[i], nv[i] == 1 ? "" : "s");
				junit_xml(fp, rules[i].description);
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
	return 0;
}

/* ---- github ---- */

/* Workflow command escaping: data escapes %, CR and LF; property values
 * also ':' and ','. So a message cannot end its line and start a workflow
 * command of its own, nor a file name add a property. */
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

static void github_out(FILE *fp, const dc_violations_report *r)
{
	size_t i, n = dc_violations_count(r->v);
	for (i = 0; i < n; i++) {
		const dc_violation *x = dc_violations_get(r->v, i);
		fprintf(fp, "::%s ", x->level == DC_LEVEL_ERROR ? "error" : "warning");
		if (x->loc.file) {
			fputs("file=", fp);
			gh_escape(fp, x->loc.file, 1);
			fprintf(fp, ",line=%u,col=%u,", x->loc.line, x->loc.column);
		}
		fputs("title=", fp);
		gh_escape(fp, "depcheck ", 1);
		gh_escape(fp, x->rule, 1);
		fputs("::", fp);
		gh_escape(fp, x->message, 0);
		fputc('\n', fp);
	}
	fputs("depcheck ", fp);
	gh_escape(fp, r->command, 0);
	fprintf(fp, " %s: %zu errors, %zu warnings", r->failed ? "failed" : "passed",
		dc_violations_count_level(r->v, DC_LEVEL_ERROR), dc_violations_count_level(r->v, DC_LEVEL_WARNING));
	if (r->nbaseline)
		fprintf(fp, "; %zu known violations ignored (in the baseline)", r->ignored);
	fputc('\n', fp);
}

int dc__ci_violations(FILE *fp, const dc_violations_report *r, const dc_output_options *opts)
{
	dc__vrule *rules;
	size_t nrules;
	int rc = 0;
	if (opts->format == DC_OUTPUT_GITHUB) {
		github_out(fp, r);
		return 0;
	}
	if (opts->format != DC_OUTPUT_SARIF && opts->format != DC_OUTPUT_JUNIT)
		return DC_EINVALID;
	if (dc__violation_rules(r, &rules, &nrules))
		return DC_ENOMEM;
	if (opts->format == DC_OUTPUT_SARIF)
		sarif_out(fp, r, rules, nrules);
	else
		rc = junit_out(fp, r, rules, nrules);
	free(rules);
	return rc;
}
