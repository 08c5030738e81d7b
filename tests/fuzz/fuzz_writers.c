/*
 * fuzz_writers.c - fuzz target: the writers, not the readers. The input is
 * any catalog (format detected by content, as a file named catalog.yaml);
 * when it loads, every output a CI job reads is written to memory and
 * parsed back, and the target aborts when one does not:
 *   analyze   text (no raw control character) and JSON (jansson parses it);
 *   check     with the built-in policy: text, JSON and SARIF (jansson; the
 *             JSON and SARIF counts agree with the findings), JUnit (XML
 *             well-formed, xml_ok below), github (every line that starts
 *             with `::` is one ::error/::warning/::notice command, no CR);
 *   export    JSON (jansson), YAML and DOT (loaded back by depcheck's own
 *             native and DOT readers: the same number of services).
 *   render    SVG, for catalogs of at most WRITERS_MAX_DRAWN services (the
 *             layout is Graphviz's, slow for bigger inputs): well-formed XML
 *             (prolog, comments and DOCTYPE included), no on* attribute, and
 *             every href http(s) or relative with no entity but &amp;;
 *   report    HTML, as small: exactly its own two <script> elements, the
 *             data island parses as JSON (jansson), the policy allows no
 *             inline script, and the inlined maps pass the SVG checks;
 *             both also with the load model's result (a surge and a slow
 *             first service): the load overlay and the load section.
 * tests/check_hostile.sh (xmllint, bigger inputs) and tests/browser
 * (Chromium, clicks) cover the map and the report further.
 */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WRITERS_MAX_SERVICES 512u
#define WRITERS_MAX_DRAWN 32u

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_writers: %s\n--- output:\n%.2000s\n", what, text ? text : "(none)");
	abort();
}

/* no raw control character but \n and \t */
static void plain(const char *what, const char *s)
{
	const char *p;
	for (p = s; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fail(what, s);
}

static json_t *json_ok(const char *what, const char *s, size_t len)
{
	json_error_t e;
	json_t *j = json_loadb(s, len, 0, &e);
	if (!j) {
		fprintf(stderr, "fuzz_writers: %s: %s at line %d\n", what, e.text, e.line);
		fail(what, s);
	}
	return j;
}

static int known_entity(const char *s)
{
	return !strncmp(s, "&amp;", 5) || !strncmp(s, "&lt;", 4) || !strncmp(s, "&gt;", 4) ||
	       !strncmp(s, "&quot;", 6) || !strncmp(s, "&apos;", 6) || !strncmp(s, "&#", 2);
}

/* An attribute of a map: no event handler (on*), and a link (href,
 * xlink:href) only to http(s) or a relative reference, with no entity but
 * &amp; (the parser would decode `java&#115;cript:`). n..ne: the name,
 * v..ve: the value. */
static int attr_ok(const char *n, const char *ne, const char *v, const char *ve)
{
	const char *local = n, *p;
	size_t ln;
	for (p = n; p < ne; p++)
		if (*p == ':')
			local = p + 1;
	ln = (size_t)(ne - local);
	if (ln >= 2 && (local[0] == 'o' || local[0] == 'O') && (local[1] == 'n' || local[1] == 'N'))
		return 0;
	if (ln == 4 && !strncasecmp(local, "href", 4)) {
		for (p = v; p < ve; p++) {
			if (*p == '&' && strncmp(p, "&amp;", 5))
				return 0;
			if ((unsigned char)*p <= 0x20)
				return 0;
			if (*p == '/' || *p == '?' || *p == '#')
				break; /* relative: no scheme before it */
			if (*p == ':')
				return (p - v == 4 && !strncasecmp(v, "http", 4)) ||
				       (p - v == 5 && !strncasecmp(v, "https", 5));
		}
	}
	return 1;
}

/* Minimal XML well-formedness (as tests/helpers.c th_xml_ok): a
 * declaration (when decl), then comments, processing instructions and a
 * DOCTYPE before the root; one root, tags that nest and match, quoted
 * attribute values without '<', '&' only as an entity, no '>' in text, no
 * control characters but tab and newline; every attribute attr_ok when
 * links. */
static int xml_ok(const char *s, int decl, int links)
{
	const char *stack[256];
	size_t lens[256];
	int depth = 0, roots = 0;
	if (decl) {
		if (strncmp(s, "<?xml ", 6) || !(s = strstr(s, "?>")))
			return 0;
		s += 2;
	}
	for (; *s; s++) {
		const char *n, *e, *q;
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
			return 0;
		if (*s == '&' && !known_entity(s))
			return 0;
		if (*s == '>')
			return 0;
		if (*s != '<')
			continue;
		if (!strncmp(s, "<!--", 4)) {
			/* "--" only where it ends */
			const char *c = strstr(s + 4, "--");
			if (!c || c[2] != '>')
				return 0;
			s = c + 2;
			continue;
		}
		if (!strncmp(s, "<?", 2)) {
			if (depth || !(s = strstr(s + 2, "?>")))
				return 0;
			s++;
			continue;
		}
		if (!strncmp(s, "<!DOCTYPE ", 10)) {
			/* no internal subset: quoted ids, then '>' */
			const char *c = s + 10;
			if (depth || roots)
				return 0;
			while (*c && *c != '>' && *c != '[') {
				if (*c == '"' && !(c = strchr(c + 1, '"')))
					return 0;
				c++;
			}
			if (*c != '>')
				return 0;
			s = c;
			continue;
		}
		if (s[1] == '/') {
			size_t l;
			n = s + 2;
			l = strcspn(n, ">");
			if (!depth || n[l] != '>' || l != lens[depth - 1] || strncmp(n, stack[depth - 1], l))
				return 0;
			depth--;
			s = n + l;
			continue;
		}
		n = s + 1;
		e = n + strcspn(n, " \t\r\n/>");
		if (e == n || (!depth && roots++))
			return 0;
		for (;;) {
			const char *an;
			while (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r')
				e++;
			if (!*e || *e == '/' || *e == '>')
				break;
			an = e;
			while (*e && *e != '=' && *e != '>' && *e != ' ')
				e++;
			if (*e != '=' || e[1] != '"' || !(q = strchr(e + 2, '"')) ||
			    memchr(e + 2, '<', (size_t)(q - e - 2)))
				return 0;
			if (links && !attr_ok(an, e, e + 2, q))
				return 0;
			for (e += 2; e < q; e++)
				if (*e == '&' && !known_entity(e))
					return 0;
			e = q + 1;
		}
		if (*e == '/' && e[1] == '>') {
			s = e + 1;
			continue;
		}
		if (*e != '>' || depth == 256)
			return 0;
		stack[depth] = n;
		lens[depth++] = strcspn(n, " \t\r\n/>");
		s = e;
	}
	return depth == 0 && roots == 1;
}

/* every line that starts with `::` is depcheck's own command */
static void github_ok(const char *s)
{
	const char *line = s;
	if (strchr(s, '\r'))
		fail("github: carriage return", s);
	plain("github: control character", s);
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len >= 2 && line[0] == ':' && line[1] == ':') {
			const char *cmds[] = { "::error", "::warning", "::notice" };
			size_t k, cl = 0;
			for (k = 0; k < 3; k++)
				if (!strncmp(line, cmds[k], strlen(cmds[k])))
					cl = strlen(cmds[k]);
			/* the command, then " props" (no "::" inside), then "::" */
			if (!cl || (line[cl] != ' ' && line[cl] != ':'))
				fail("github: a line starting with :: that is not depcheck's command", s);
			{
				const char *sep = strstr(line + cl, "::");
				const char *col = memchr(line + cl, ':', len - cl);
				if (!sep || sep >= line + len || col != sep)
					fail("github: a command whose properties hold a ':'", s);
			}
		}
		line = end ? end + 1 : line + len;
	}
}

typedef struct {
	char *buf;
	size_t len;
	FILE *fp;
} mem;

static FILE *mem_open(mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	if (!m->fp)
		abort();
	return m->fp;
}

/* close; returns the status of the write, the text in m->buf */
static int mem_close(mem *m, int rc)
{
	if (fclose(m->fp))
		abort();
	return rc;
}

static void st(int rc, const char *what)
{
	if (rc == 0 || rc == DC_ENOMEM)
		return;
	fprintf(stderr, "fuzz_writers: %s: status %d\n", what, rc);
	abort();
}

/* load text back with a forced format; returns its service count, or
 * (size_t)-1 when it does not load */
static size_t load_back(const char *name, const char *text, size_t len, dc_input_format fmt)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *d = NULL;
	size_t n = (size_t)-1;
	o.format = fmt;
	if (dc_diags_new(&d) || dc_catalog_new(&cat))
		abort();
	if (dc_catalog_add_buffer(cat, name, text, len, &o, d) == 0 && dc_catalog_finalize(cat, d) == 0)
		n = dc_catalog_service_count(cat);
	dc_catalog_free(cat);
	dc_diags_free(d);
	return n;
}

static void analysis_outputs(const dc_graph *g, const dc_analysis *an)
{
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	mem m;
	json_t *j;
	oo.format = DC_OUTPUT_TEXT;
	st(mem_close(&m, dc_write_analysis(mem_open(&m), an, 10, &oo)), "analyze text");
	plain("analyze text: control character", m.buf);
	free(m.buf);
	oo.format = DC_OUTPUT_JSON;
	st(mem_close(&m, dc_write_analysis(mem_open(&m), an, 10, &oo)), "analyze json");
	j = json_ok("analyze json", m.buf, m.len);
	{
		/* the amplification total is the analysis's, and every factor a
		 * number (never null unless unbounded, never inf) */
		const dc_amplification *amp;
		size_t n = dc_analysis_amplification(an, &amp), i;
		json_t *rows = json_object_get(j, "retry_amplification");
		if (json_integer_value(json_object_get(j, "retry_amplification_total")) != (json_int_t)n ||
		    !json_is_array(rows))
			fail("analyze json: amplification total", m.buf);
		for (i = 0; i < json_array_size(rows); i++) {
			json_t *r = json_array_get(rows, i);
			if (!json_is_true(json_object_get(r, "unbounded")) && !json_is_number(json_object_get(r, "factor")))
				fail("analyze json: a bounded factor that is not a number", m.buf);
		}
	}
	json_decref(j);
	free(m.buf);
	(void)g;
}

static void check_outputs(const dc_graph *g, const dc_analysis *an)
{
	dc_policy *pol = NULL;
	dc_violations *v = NULL;
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	mem m;
	json_t *j;
	size_t nv;
	if (dc_policy_default(&pol) || dc_violations_new(&v))
		goto out;
	if (dc_check(v, g, an, pol, NULL))
		goto out;
	dc_violations_sort(v);
	nv = dc_violations_count(v);
	r.v = v;
	r.policy = pol;
	r.failed = dc_violations_gate(v, DC_LEVEL_ERROR);
	r.cat = dc_graph_catalog(g);

	oo.format = DC_OUTPUT_TEXT;
	st(mem_close(&m, dc_write_violations(mem_open(&m), &r, &oo)), "check text");
	plain("check text: control character", m.buf);
	free(m.buf);

	oo.format = DC_OUTPUT_JSON;
	st(mem_close(&m, dc_write_violations(mem_open(&m), &r, &oo)), "check json");
	j = json_ok("check json", m.buf, m.len);
	{
		/* the list is cut per rule (--limit, default 100); each rule says
		 * how many it did not list, and violations_total counts them all */
		size_t listed = json_array_size(json_object_get(j, "violations")), ri;
		json_t *rules = json_object_get(j, "rules");
		for (ri = 0; ri < json_array_size(rules); ri++)
			listed += (size_t)json_integer_value(
				json_object_get(json_array_get(rules, ri), "violations_not_listed"));
		if (listed != nv ||
		    (size_t)json_integer_value(json_object_get(j, "violations_total")) != nv)
			fail("check json: violations count", m.buf);
	}
	json_decref(j);
	free(m.buf);

	oo.format = DC_OUTPUT_SARIF;
	st(mem_close(&m, dc_write_violations(mem_open(&m), &r, &oo)), "check sarif");
	j = json_ok("check sarif", m.buf, m.len);
	if (json_array_size(json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results")) != nv)
		fail("check sarif: results count", m.buf);
	json_decref(j);
	free(m.buf);

	oo.format = DC_OUTPUT_JUNIT;
	st(mem_close(&m, dc_write_violations(mem_open(&m), &r, &oo)), "check junit");
	if (!xml_ok(m.buf, 1, 0))
		fail("check junit: not well-formed XML", m.buf);
	free(m.buf);

	oo.format = DC_OUTPUT_GITHUB;
	st(mem_close(&m, dc_write_violations(mem_open(&m), &r, &oo)), "check github");
	github_ok(m.buf);
	free(m.buf);
out:
	dc_violations_free(v);
	dc_policy_free(pol);
}

static int has_empty_name(const dc_catalog *cat)
{
	size_t i;
	for (i = 0; i < dc_catalog_service_count(cat); i++)
		if (!dc_service_name(cat, (dc_id)i)[0])
			return 1;
	return 0;
}

static void export_outputs(const dc_catalog *cat)
{
	size_t n = dc_catalog_service_count(cat), back;
	mem m;
	int rc;
	st(mem_close(&m, dc_export(cat, DC_OUTPUT_JSON, mem_open(&m))), "export json");
	json_decref(json_ok("export json", m.buf, m.len));
	free(m.buf);

	st(mem_close(&m, dc_export(cat, DC_OUTPUT_YAML, mem_open(&m))), "export yaml");
	back = load_back("export.yaml", m.buf, m.len, DC_FORMAT_NATIVE);
	/* known gap, left to its own change: DOT loads an empty HTML id (`<>`,
	 * testdata/bad/dot-empty-html) as a service named "", which the native
	 * reader refuses; such a catalog is not round-tripped through YAML */
	if (back != n && !has_empty_name(cat))
		fail("export yaml: does not load back as the same number of services", m.buf);
	free(m.buf);

	/* DOT refuses (DC_EINVALID) what a quoted ID cannot hold exactly */
	rc = mem_close(&m, dc_export(cat, DC_OUTPUT_DOT, mem_open(&m)));
	if (rc != 0 && rc != DC_EINVALID && rc != DC_ENOMEM)
		fail("export dot: undocumented status", m.buf);
	if (rc == 0) {
		back = load_back("export.dot", m.buf, m.len, DC_FORMAT_DOT);
		if (back != n)
			fail("export dot: does not load back as the same number of services", m.buf);
	}
	free(m.buf);
}

static size_t count_ci(const char *s, const char *needle)
{
	size_t n = 0, l = strlen(needle);
	for (; *s; s++)
		if (!strncasecmp(s, needle, l))
			n++;
	return n;
}

/* the map and the report, plain and (ov) with the load overlay and the
 * load section */
static void map_outputs_with(const dc_graph *g, const dc_overload *ov)
{
	dc_render_options ro = DC_RENDER_OPTIONS_INIT;
	dc_report_options po = DC_REPORT_OPTIONS_INIT;
	mem m;
	int rc;
	ro.overload = ov;
	po.overload = ov;
	rc = mem_close(&m, dc_render(g, &ro, DC_OUTPUT_SVG, mem_open(&m), NULL, NULL));
	if (rc != 0 && rc != DC_ENOMEM && rc != DC_ERROR)
		fail("render svg: undocumented status", m.buf);
	if (rc == 0 && !xml_ok(m.buf, 1, 1))
		fail("render svg: not well-formed XML, an on* attribute or a live link", m.buf);
	free(m.buf);

	po.threads = 1;
	rc = mem_close(&m, dc_report_write(mem_open(&m), g, &po));
	if (rc != 0 && rc != DC_ENOMEM && rc != DC_ERROR)
		fail("report: undocumented status", m.buf);
	if (rc == 0) {
		const char *d = strstr(m.buf, "id=\"dc-data\">"), *de, *csp, *svg, *svge;
		/* the page's own two scripts, no other */
		if (count_ci(m.buf, "<script") != 2 || count_ci(m.buf, "</script") != 2)
			fail("report: a <script> that is not the report's", m.buf);
		if (!d || !(de = strstr(d, "</script>")))
			fail("report: no data island", m.buf);
		d += strlen("id=\"dc-data\">");
		json_decref(json_ok("report data", d, (size_t)(de - d)));
		csp = strstr(m.buf, "script-src ");
		if (!csp || strncmp(csp + 11, "'sha256-", 8))
			fail("report: script-src is not a hash", m.buf);
		{
			size_t dl = strcspn(csp, ";\"");
			const char *ui = strstr(csp, "unsafe-inline");
			if (ui && (size_t)(ui - csp) < dl)
				fail("report: script-src allows inline script", m.buf);
		}
		/* the inlined maps, when there are: the service map, and the load
		 * overlay's with a load section (Graphviz's SVG nests no <svg>) */
		for (svg = m.buf; (svg = strstr(svg, "<svg")) != NULL; svg = svge + 6) {
			char *frag;
			svge = strstr(svg, "</svg>");
			if (!svge)
				fail("report: an unclosed map", m.buf);
			frag = strndup(svg, (size_t)(svge - svg) + 6);
			if (!frag)
				abort();
			if (!xml_ok(frag, 0, 1))
				fail("report: the map is not well-formed, or has an on* attribute or a live link", frag);
			free(frag);
		}
	}
	free(m.buf);
}

static void map_outputs(const dc_graph *g)
{
	dc_overload_triggers *t = NULL;
	dc_overload *ov = NULL;
	if (dc_catalog_service_count(dc_graph_catalog(g)) > WRITERS_MAX_DRAWN ||
	    !dc_render_format_available(DC_OUTPUT_SVG))
		return;
	map_outputs_with(g, NULL);
	/* a surge (no name needed) and the first service slow: names reach the
	 * triggers' text, the causes, the legend and the tooltips */
	if (dc_overload_triggers_new(&t, dc_graph_catalog(g)) == 0 && dc_overload_trigger_surge(t, 2) == 0 &&
	    dc_overload_trigger_slow(t, 0, 500) == 0 && dc_overload_run(&ov, g, t, NULL) == 0)
		map_outputs_with(g, ov);
	dc_overload_free(ov);
	dc_overload_triggers_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_load_options opts = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	dc_graph *g = NULL;
	dc_analysis *an = NULL;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	opts.max_alias_nodes = 100000;
	if (dc_diags_new(&diags) || dc_catalog_new(&cat))
		goto out;
	if (dc_catalog_add_buffer(cat, "catalog.yaml", buf, size, &opts, diags) ||
	    dc_catalog_finalize(cat, diags) || dc_catalog_service_count(cat) == 0 ||
	    dc_catalog_service_count(cat) > WRITERS_MAX_SERVICES)
		goto out;
	if (dc_graph_new(&g, cat) || dc_analyze(&an, g, NULL))
		goto out;
	analysis_outputs(g, an);
	check_outputs(g, an);
	export_outputs(cat);
	map_outputs(g);
out:
	dc_analysis_free(an);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	free(buf);
	return 0;
}
