/*
 * test_report.c - the HTML report: self-contained (nothing to fetch), one
 * data block that parses, hostile names escaped everywhere, cascades that
 * agree with a brute-force propagation and with the blast radii, the
 * collapsed map and the cascade budget. The page's behaviour in a browser
 * is tests/browser/.
 */
#include "helpers.h"
#include "gen.h"

#include <jansson.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

/* The page (free it), or NULL when dc_report_write fails; its length in
 * *len unless len is NULL. */
static char *report_of(const dc_graph *g, const dc_report_options *o, size_t *len)
{
	char *buf = NULL;
	int rc;
	TH_CAPTURE(buf, rc, dc_report_write(fp, g, o));
	if (rc) {
		free(buf);
		return NULL;
	}
	if (len)
		*len = strlen(buf);
	return buf;
}

/* the JSON of the data block */
static json_t *data_of(const char *html)
{
	const char *open = "<script type=\"application/json\" id=\"dc-data\">";
	const char *a = strstr(html, open), *b;
	json_error_t err;
	if (!a)
		return NULL;
	a += strlen(open);
	b = strstr(a, "</script>");
	if (!b)
		return NULL;
	return json_loadb(a, (size_t)(b - a), 0, &err);
}

/* number of tags (a raw '<' and a letter: text is escaped, so only
 * markup has them) with `attr` among their attributes */
static size_t tags_with(const char *html, const char *attr)
{
	size_t n = 0, al = strlen(attr);
	const char *p;
	for (p = html; (p = strchr(p, '<')) != NULL; p++) {
		const char *e;
		if (!((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
			continue;
		e = strchr(p, '>');
		if (!e)
			break;
		/* attribute names only: skip quoted values (a tooltip may say "src=") */
		for (const char *q = p + 1; q + al <= e; q++) {
			if (*q == '"' || *q == '\'') {
				const char *c = strchr(q + 1, *q);
				if (!c)
					break;
				q = c;
				e = strchr(c, '>');
				if (!e)
					break;
				continue;
			}
			if ((q[-1] == ' ' || q[-1] == '\n') && !strncmp(q, attr, al)) {
				n++;
				break;
			}
		}
		if (!e)
			break;
	}
	return n;
}

/* nothing the page could fetch: no URL, no src/href, no import, no fetch */
static void assert_self_contained(const char *html)
{
	CU_ASSERT_PTR_NULL(strstr(html, "http://"));
	CU_ASSERT_PTR_NULL(strstr(html, "https://"));
	CU_ASSERT_PTR_NULL(strstr(html, "//cdn"));
	CU_ASSERT_EQUAL(tags_with(html, "src="), 0);
	CU_ASSERT_EQUAL(tags_with(html, "href="), 0);
	CU_ASSERT_EQUAL(tags_with(html, "xlink:href="), 0);
	CU_ASSERT_EQUAL(tags_with(html, "onerror="), 0);
	CU_ASSERT_EQUAL(tags_with(html, "onload="), 0);
	CU_ASSERT_PTR_NULL(strstr(html, "@import"));
	CU_ASSERT_PTR_NULL(strstr(html, "url("));
	CU_ASSERT_PTR_NULL(strstr(html, "fetch("));
	CU_ASSERT_PTR_NULL(strstr(html, "XMLHttpRequest"));
	CU_ASSERT_PTR_NULL(strstr(html, "WebSocket"));
	CU_ASSERT_PTR_NULL(strstr(html, "innerHTML"));
	CU_ASSERT_PTR_NULL(strstr(html, "@font-face"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "default-src 'none'"));
	/* exactly the data block and the script */
	CU_ASSERT_EQUAL(th_count(html, "<script"), 2);
	CU_ASSERT_EQUAL(th_count(html, "</script"), 2);
	CU_ASSERT_EQUAL(th_count(html, "<style"), 1);
	CU_ASSERT_EQUAL(th_count(html, "</style"), 1);
}

static dc_catalog *load(const char *rel, dc_graph **g)
{
	char path[512];
	dc_catalog *cat;
	dc_diags *d;
	snprintf(path, sizeof(path), "%s/%s", DC_TESTDATA, rel);
	if (th_load_path(&cat, &d, path) || dc_graph_new(g, cat)) {
		dc_catalog_free(cat);
		cat = NULL;
	}
	dc_diags_free(d);
	return cat;
}

/* decode one id list (base-36 first id and gaps); -1 when not ascending
 * or out of range */
static long decode(json_t *str, dc_id *out, size_t n)
{
	const char *p = json_string_value(str);
	long long v = 0;
	long len = 0;
	if (!p)
		return -1;
	while (*p) {
		char *end;
		long long x = strtoll(p, &end, 36);
		if (end == p || (len && x <= 0))
			return -1;
		v += x;
		if (v < 0 || (size_t)v >= n)
			return -1;
		out[len++] = (dc_id)v;
		p = *end == ',' ? end + 1 : end;
	}
	return len;
}

/* ---- brute force: docs/model.md by fixpoint iteration ---------------------------- */

static void oracle(const dc_catalog *cat, size_t n, dc_id seed, uint8_t *down, uint8_t *aff)
{
	int changed = 1;
	size_t v, d;
	memset(down, 0, n);
	memset(aff, 0, n);
	down[seed] = aff[seed] = 1;
	while (changed) {
		changed = 0;
		for (v = 0; v < n; v++) {
			size_t first = dc_service_dep_first(cat, (dc_id)v), cnt = dc_service_dep_count(cat, (dc_id)v);
			for (d = first; d < first + cnt; d++) {
				dc_id t = dc_dep_to(cat, d);
				unsigned grp = dc_dep_group(cat, d);
				if (aff[t] && !aff[v])
					aff[v] = 1, changed = 1;
				if (down[v] || !down[t])
					continue;
				if (!grp && dc_dep_kind_of(cat, d) == DC_DEP_HARD) {
					down[v] = 1, changed = 1;
				} else if (grp) {
					size_t e;
					int all = 1;
					for (e = first; e < first + cnt; e++)
						if (dc_dep_group(cat, e) == grp &&
						    (!down[dc_dep_to(cat, e)] || dc_dep_kind_of(cat, e) != DC_DEP_HARD))
							all = 0;
					if (all)
						down[v] = 1, changed = 1;
				}
			}
		}
	}
}

/* every embedded cascade against the oracle and the blast radii */
static int check_cascades(const dc_graph *g, json_t *data)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_graph_node_count(g), s, i, bad = 0;
	json_t *casc = json_object_get(data, "cascade");
	dc_blast *b = NULL;
	dc_id *ids = malloc((n + 1) * sizeof(*ids));
	uint8_t *down = malloc(n + 1), *aff = malloc(n + 1), *seen = malloc(n + 1);
	if (!ids || !down || !aff || !seen || dc_blast_compute(&b, g) || json_array_size(casc) != n)
		bad++;
	for (s = 0; !bad && s < n; s++) {
		json_t *c = json_array_get(casc, s);
		long nd, ng;
		size_t want_down = 0, want_aff = 0;
		oracle(cat, n, (dc_id)s, down, aff);
		for (i = 0; i < n; i++) {
			want_down += down[i] && i != s;
			want_aff += aff[i] && i != s;
		}
		memset(seen, 0, n);
		nd = decode(json_array_get(c, 0), ids, n);
		for (i = 0; nd > 0 && i < (size_t)nd; i++)
			bad += !down[ids[i]] || ids[i] == s || seen[ids[i]]++;
		ng = decode(json_array_get(c, 1), ids, n);
		for (i = 0; ng > 0 && i < (size_t)ng; i++)
			bad += !aff[ids[i]] || down[ids[i]] || seen[ids[i]]++;
		bad += nd < 0 || ng < 0 || (size_t)nd != want_down || (size_t)(nd + ng) != want_aff;
		bad += (size_t)nd != dc_blast_down(b, (dc_id)s) || (size_t)ng != dc_blast_degraded(b, (dc_id)s);
	}
	dc_blast_free(b);
	free(ids);
	free(down);
	free(aff);
	free(seen);
	return bad == 0;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_streaming(void)
{
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/streaming/catalog.yaml", &g);
	char *html;
	json_t *data, *sec;
	size_t i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	html = report_of(g, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_EQUAL(strncmp(html, "<!DOCTYPE html>", 15), 0);
	assert_self_contained(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>depcheck report</title>"));
	/* the map: one node per service, dense ids, names as titles */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<svg id=\"map-svg\" viewBox="));
	CU_ASSERT_EQUAL(th_count(html, "class=\"node dc&#45;node"), 47);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<g id=\"svc&#45;0\" class=\"node dc&#45;node"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>discovery</title>"));
	/* every dependency is an edge e-A-B (render's map), or e-B-A for a
	 * mutual pair (merged into one double-headed edge) */
	for (i = 0; i < dc_catalog_dep_count(cat); i++) {
		char id[64], back[64];
		unsigned a = (unsigned)dc_dep_from(cat, i), b = (unsigned)dc_dep_to(cat, i);
		snprintf(id, sizeof(id), "<g id=\"e&#45;%u&#45;%u\"", a, b);
		snprintf(back, sizeof(back), "<g id=\"e&#45;%u&#45;%u\"", b, a);
		CU_ASSERT(strstr(html, id) || strstr(html, back));
	}
	CU_ASSERT_PTR_NULL(strstr(html, "<!--"));
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(data, "summary"), "services")), 47);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(data, "summary"), "systems")), 14);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(data, "map"), "mode")), "services");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(data, "services")), 47);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(json_object_get(data, "services"),
			th_id(cat, "discovery")), "n")), "discovery");
	CU_ASSERT(check_cascades(g, data));
	/* sections: services, findings, check, plan; availability only when asked */
	sec = json_object_get(data, "sections");
	CU_ASSERT_EQUAL(json_array_size(sec), 4);
	for (i = 0; i < json_array_size(sec); i++) {
		static const char *const want[] = { "services", "findings", "check", "plan" };
		const char *id = json_string_value(json_object_get(json_array_get(sec, i), "id"));
		CU_ASSERT_STRING_EQUAL(id, want[i < 4 ? i : 0]);
	}
	json_decref(data);
	free(html);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_hostile(void)
{
	static const char *const raw[] = { "<img", "<svg onload", "</script><script>", "<b>sys", "<i>z",
					   "</style><style>", "\xe2\x80\xa8line\"" };
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/hostile/catalog.yaml", &g);
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	char *html, *json_start;
	json_t *data, *svc;
	size_t i, len;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	o.title = "<script>alert('title')</script> & co";
	html = report_of(g, &o, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_EQUAL(strlen(html), len);
	assert_self_contained(html);
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		CU_ASSERT_PTR_NULL(strstr(html, raw[i]));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>&lt;script&gt;alert('title')&lt;/script&gt; &amp; co</title>"));
	/* the SVG text is escaped by Graphviz */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>&lt;img src=x onerror=alert(1)&gt;</title>"));
	/* the data block: no raw <, >, & or U+2028 at all, and it reads back */
	json_start = strstr(html, "id=\"dc-data\">");
	CU_ASSERT_PTR_NOT_NULL_FATAL(json_start);
	json_start += 13;
	for (i = 0; json_start[i] && strncmp(json_start + i, "</script>", 9); i++) {
		CU_ASSERT(json_start[i] != '<' && json_start[i] != '>' && json_start[i] != '&');
		if ((unsigned char)json_start[i] == 0xe2)
			CU_ASSERT(!((unsigned char)json_start[i + 1] == 0x80 && ((unsigned char)json_start[i + 2] & 0xfe) == 0xa8));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(json_start, "\\u003cimg src=x onerror=alert(1)\\u003e"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json_start, "\\u2028"));
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	svc = json_object_get(data, "services");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(svc, 0), "n")),
			       "<img src=x onerror=alert(1)>");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(svc, 3), "n")),
			       "db\\N\\l\xe2\x80\xa8line");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(data, "title")), o.title);
	/* a template slot in a name is data, not a slot */
	CU_ASSERT(th_count(html, "{{x}} ${y} @DATA@") >= 2); /* in the SVG and in the data */
	CU_ASSERT(check_cascades(g, data));
	json_decref(data);
	free(html);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_collapsed_and_budget(void)
{
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/streaming/catalog.yaml", &g);
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	char *html;
	json_t *data, *casc;
	size_t i, nnull = 0, kept = 0, maxkept = 0, minnull = SIZE_MAX;
	dc_blast *b;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
	o.collapse_above = 20;
	o.cascade_budget = 60;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	assert_self_contained(html);
	CU_ASSERT_EQUAL(th_count(html, "class=\"node dc&#45;group"), 14);
	/* Graphviz writes '-' in ids as &#45; (the browser reads svc-N) */
	CU_ASSERT_PTR_NULL(strstr(html, "id=\"svc&#45;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "id=\"ge&#45;"));
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(data, "map"), "mode")), "groups");
	/* the page maps group K of the data to the map's grp-K: same system */
	CU_ASSERT_EQUAL(json_array_size(json_object_get(data, "groups")), 14);
	for (i = 0; i < json_array_size(json_object_get(data, "groups")); i++) {
		char id[64];
		const char *at, *title;
		snprintf(id, sizeof(id), "<g id=\"grp&#45;%zu\"", i);
		at = strstr(html, id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		title = strstr(at, "<title>");
		CU_ASSERT_PTR_NOT_NULL_FATAL(title);
		title += 7;
		CU_ASSERT_EQUAL(strncmp(title, json_string_value(json_object_get(json_array_get(json_object_get(data,
			"groups"), i), "name")), strcspn(title, "<")), 0);
	}
	/* the budget keeps the smallest cascades and leaves the biggest out */
	casc = json_object_get(data, "cascade");
	for (i = 0; i < json_array_size(casc); i++) {
		size_t cost = dc_blast_down(b, (dc_id)i) + dc_blast_degraded(b, (dc_id)i);
		if (json_is_null(json_array_get(casc, i))) {
			nnull++;
			minnull = cost < minnull ? cost : minnull;
		} else {
			kept += cost;
			maxkept = cost > maxkept ? cost : maxkept;
		}
	}
	CU_ASSERT(nnull > 0 && nnull < 47);
	CU_ASSERT(kept <= 60);
	CU_ASSERT(maxkept <= minnull);
	CU_ASSERT_EQUAL((size_t)json_integer_value(json_object_get(json_object_get(data, "map"), "cascades_left_out")), nnull);
	json_decref(data);
	free(html);
	/* no map at all above map_max_nodes */
	o.map_max_nodes = 5;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<svg"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "\"mode\": \"none\""));
	free(html);
	o.version = 99;
	CU_ASSERT_EQUAL(dc_report_write(stdout, g, &o), DC_EINVALID);
	dc_blast_free(b);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_random_oracle(void)
{
	uint64_t seed = 0x5e907;
	int round;
	for (round = 0; round < 60; round++) {
		unsigned n = 2 + gen_below(&seed, 40);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 25), 30, 20, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_report_options o = DC_REPORT_OPTIONS_INIT;
		char *html;
		json_t *data;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		o.collapse_above = round % 2 ? 10 : 0;
		html = report_of(g, &o, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(html);
		data = data_of(html);
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		if (!check_cascades(g, data)) {
			CU_FAIL("cascade differs from the brute-force propagation");
			fprintf(stderr, "report oracle: round %d (n=%u, m=%zu)\n", round, n, m);
			round = 1000;
		}
		json_decref(data);
		free(html);
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(e);
	}
}

/* ---- check and availability sections --------------------------------------- */

static json_t *section(json_t *data, const char *id)
{
	json_t *sec = json_object_get(data, "sections");
	size_t i;
	for (i = 0; i < json_array_size(sec); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(sec, i), "id")), id))
			return json_array_get(sec, i);
	return NULL;
}

static json_t *table0(json_t *sec)
{
	return json_array_get(json_object_get(sec, "tables"), 0);
}

/* the check section lists exactly dc_check()'s violations (`total` of
 * them), in its order, with the services as ids; the given policy replaces
 * the built-in one, as the intro says (`intro` is part of it) */
static void check_section_matches(const dc_graph *g, const dc_policy *p, json_t *data, size_t total,
				  const char *intro)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	dc_violations *v;
	json_t *t = table0(section(data, "check")), *rows = json_object_get(t, "rows");
	size_t i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	dc_violations_new(&v);
	CU_ASSERT_EQUAL_FATAL(dc_check(v, g, NULL, p, NULL), 0);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(t, "total")), (json_int_t)dc_violations_count(v));
	CU_ASSERT_EQUAL(json_array_size(rows), dc_violations_count(v));
	CU_ASSERT_EQUAL(dc_violations_count(v), total);
	CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(section(data, "check"), "intro")), intro));
	for (i = 0; i < dc_violations_count(v) && i < json_array_size(rows); i++) {
		const dc_violation *x = dc_violations_get(v, i);
		json_t *r = json_array_get(rows, i);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 0)), dc_level_name(x->level));
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 1)), x->rule);
		CU_ASSERT_EQUAL(json_integer_value(json_array_get(r, 2)), th_id(cat, x->service));
		if (x->target) {
			CU_ASSERT_EQUAL(json_integer_value(json_array_get(r, 3)), th_id(cat, x->target));
		} else {
			CU_ASSERT(json_is_null(json_array_get(r, 3)));
		}
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 4)), x->message);
	}
	dc_violations_free(v);
}

/* The load errors given in the options are valid-input findings of the
 * check section, at their place (version 4); a version 3 caller, or a
 * policy with the rule off, shows none. */
static void test_check_section_input_errors(void)
{
	static const char cat_text[] = "depcheck: 1\nservices:\n  - name: a\n    tier: high\n"
				       "    depends_on: [b]\n  - name: b\n";
	static const char off[] = "depcheck-policy: 1\nrules:\n  valid-input: off\n";
	dc_catalog *cat = NULL;
	dc_graph *g = NULL;
	dc_diags *d = NULL, *pd = NULL;
	dc_policy *p = NULL;
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	json_t *data, *rows, *r;
	char *html;
	size_t i, nvi;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "c.yaml", cat_text, strlen(cat_text), NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	o.map_max_nodes = 1;
	o.diags = d;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	rows = json_object_get(table0(section(data, "check")), "rows");
	for (i = nvi = 0; i < json_array_size(rows); i++) {
		r = json_array_get(rows, i);
		if (strcmp(json_string_value(json_array_get(r, 1)), "valid-input"))
			continue;
		nvi++;
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 0)), "error");
		CU_ASSERT(json_is_null(json_array_get(r, 2))); /* a file, not a service */
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 4)),
				       "tier of 'a' must be an integer, not string");
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 5)), "c.yaml:4:11");
	}
	CU_ASSERT_EQUAL(nvi, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(section(data, "check"), "intro")),
				      "1 error"));
	json_decref(data);
	free(html);

	/* version 3 ends before diags; a policy with the rule off: no finding */
	for (i = 0; i < 2; i++) {
		if (i == 0) {
			o.version = 3;
		} else {
			o.version = DC_REPORT_OPTIONS_VERSION;
			CU_ASSERT_EQUAL_FATAL(dc_diags_new(&pd), 0);
			CU_ASSERT_EQUAL_FATAL(dc_policy_parse(&p, "p.yaml", off, strlen(off), pd), 0);
			dc_diags_free(pd);
			o.policy = p;
		}
		html = report_of(g, &o, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(html);
		data = data_of(html);
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		CU_ASSERT_PTR_NULL(strstr(html, "\"valid-input\""));
		CU_ASSERT_PTR_NOT_NULL(json_object_get(table0(section(data, "check")), "rows"));
		json_decref(data);
		free(html);
	}
	dc_policy_free(p);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_check_and_availability_sections(void)
{
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/streaming/catalog.yaml", &g);
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability *av = NULL;
	dc_policy *def = NULL, *p = NULL;
	dc_diags *d;
	char *html;
	json_t *data, *t, *rows;
	dc_id *want;
	size_t i, nmiss, nslo;
	static const char pol[] = "depcheck-policy: 1\nrules:\n  tier: warning\n";
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);

	/* default: the built-in policy (5 errors, 14 warnings), no availability */
	CU_ASSERT_EQUAL_FATAL(dc_policy_default(&def), 0);
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	check_section_matches(g, def, data, 19,
			      "built-in policy (depcheck check --print-default-policy): 5 errors and 14 warnings");
	CU_ASSERT_PTR_NULL(section(data, "availability"));
	json_decref(data);
	free(html);

	/* version 1 options: the same page */
	o.version = 1;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL(section(data, "check"));
	CU_ASSERT_PTR_NULL(section(data, "availability"));
	json_decref(data);
	free(html);
	o.version = DC_REPORT_OPTIONS_VERSION + 1;
	CU_ASSERT_PTR_NULL(report_of(g, &o, NULL));
	o.version = DC_REPORT_OPTIONS_VERSION;

	/* a given policy; availability with 20,000 trials */
	dc_diags_new(&d);
	CU_ASSERT_EQUAL_FATAL(dc_policy_parse(&p, "p.yaml", pol, strlen(pol), d), 0);
	dc_diags_free(d);
	ao.trials = 20000;
	o.policy = p;
	o.availability = &ao;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	assert_self_contained(html);
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	check_section_matches(g, p, data, 4, "the given policy: 0 errors and 4 warnings");
	/* availability: every service, in dc_availability_rank() order, with
	 * the engine's numbers (same trials and seed) */
	t = table0(section(data, "availability"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	rows = json_object_get(t, "rows");
	CU_ASSERT_EQUAL(json_array_size(rows), 47);
	ao.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
	CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&av, g, &ao), 0);
	want = malloc(47 * sizeof(*want));
	CU_ASSERT_EQUAL_FATAL(dc_availability_rank(av, g, want, &nmiss, &nslo), 0);
	CU_ASSERT_EQUAL(nmiss, 12);  /* as depcheck availability --trials 20000 */
	CU_ASSERT_EQUAL(nslo, 18);
	CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(section(data, "availability"), "intro")),
				      "12 SLO misses (3 entrypoints), 6 met, 29 services without an SLO"));
	for (i = 0; i < 47 && i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		const dc_availability_estimate *e = dc_availability_of(av, want[i]);
		char buf[64];
		CU_ASSERT_EQUAL(json_integer_value(json_array_get(r, 0)), want[i]);
		CU_ASSERT_EQUAL(dc_availability_misses_slo(av, g, want[i]), i < nmiss);
		if (i < nmiss) {
			CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_array_get(r, 2)), " missed"));
		} else if (i < nslo) {
			CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_array_get(r, 2)), " met"));
		} else {
			CU_ASSERT(json_is_null(json_array_get(r, 2)));
		}
		snprintf(buf, sizeof(buf), "%.6f", e->availability);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 3)), buf);
		CU_ASSERT(fabs(json_number_value(json_array_get(r, 4)) - (1 - e->availability) * 43200) <= 0.05 + 1e-9);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(r, 5)), dc_avail_method_name(e->method));
		CU_ASSERT_EQUAL(json_is_null(json_array_get(r, 6)), e->method != DC_AVAIL_MONTE_CARLO);
	}
	/* the first row: access-point, the biggest shortfall, by Monte Carlo */
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(json_array_get(rows, 0), 0)), th_id(cat, "access-point"));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_array_get(rows, 0), 6)), "[0.990345, 0.992866]");
	/* bad availability options: no page */
	ao.max_order = 9;
	CU_ASSERT_PTR_NULL(report_of(g, &o, NULL));
	free(want);
	dc_availability_free(av);
	json_decref(data);
	free(html);
	dc_policy_free(p);
	dc_policy_free(def);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* ---- compute, then write ----------------------------------------------------- */

static char *page_of(const dc_report_data *d)
{
	char *buf = NULL;
	int rc;
	TH_CAPTURE(buf, rc, dc_report_write_data(fp, d));
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Where entry traffic is declared, the SPOF and blast tables end with the
 * requests/s lost, ">=" when some entrypoint down has none; without any,
 * no such column. */
static void test_traffic_lost(void)
{
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/traffic/partial.yaml", &g);
	char *page;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	page = report_of(g, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT_PTR_NOT_NULL(strstr(page, "\"num:Degraded\", \"text:Requests/s lost\"]"));
	/* db: 130 rps of web and mobile, batch of unknown traffic */
	CU_ASSERT_PTR_NOT_NULL(strstr(page, "[5, 3, [2, 1, 0], 4, 1, \"\\u003e= 130\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(page, "[2, 0, 0, \"(no system)\", \"unknown\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(page, "[0, 0, 0, \"(no system)\", \"100\"]"));
	free(page);
	dc_graph_free(g);
	dc_catalog_free(cat);
	cat = load("catalogs/streaming/catalog.yaml", &g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	page = report_of(g, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT_PTR_NULL(strstr(page, "Requests/s lost"));
	free(page);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* dc_report_compute() runs the analyses once; dc_report_write_data() only
 * writes them, as often as asked, the same page as dc_report_write(). */
static void test_compute_then_write(void)
{
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/streaming/catalog.yaml", &g);
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_report_data *d = (dc_report_data *)&o; /* must be reset on failure */
	char title[] = "computed once";
	char *a, *b, *whole;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	o.title = title;
	o.cascade_budget = 100;
	CU_ASSERT_EQUAL_FATAL(dc_report_compute(&d, g, &o), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	title[0] = 'C'; /* the data keeps its own copy of the title */
	a = page_of(d);
	b = page_of(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "<title>computed once</title>"));
	o.title = "computed once";
	whole = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(whole);
	CU_ASSERT_STRING_EQUAL(a, whole);
	free(a);
	free(b);
	free(whole);
	CU_ASSERT_EQUAL(dc_report_write_data(NULL, d), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_report_write_data(stdout, NULL), DC_EINVALID);
	dc_report_data_free(d);
	dc_report_data_free(NULL);
	/* options versions 1 .. current, nothing else; *out NULL on failure */
	o.version = 0;
	d = (dc_report_data *)&o;
	CU_ASSERT_EQUAL(dc_report_compute(&d, g, &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(d);
	o.version = DC_REPORT_OPTIONS_VERSION + 1;
	CU_ASSERT_EQUAL(dc_report_compute(&d, g, &o), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_report_compute(&d, NULL, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_report_compute(NULL, g, NULL), DC_EINVALID);
	o.version = 1;
	CU_ASSERT_EQUAL(dc_report_compute(&d, g, &o), 0);
	dc_report_data_free(d);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* the section with id `id` in the data, or NULL */
static json_t *section_of(json_t *data, const char *id)
{
	json_t *secs = json_object_get(data, "sections"), *x;
	size_t i;
	json_array_foreach(secs, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "id")), id))
			return x;
	return NULL;
}

/* the fact labelled `label` of a section, or NULL */
static const char *fact_of(json_t *sec, const char *label)
{
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(sec, "facts"), i, x)
		if (!strcmp(json_string_value(json_array_get(x, 0)), label))
			return json_string_value(json_array_get(x, 1));
	return NULL;
}

/* The load section on a hand-solved storm (test_overload.c's metastable
 * case): web sends 100 rps to db (150 rps) with 2 retries; a surge x2
 * saturates db, every attempt times out, 3 per call: 600 rps, x6; it stays
 * saturated without the surge (300 > 150), and a retry budget of 0.1 on
 * web -> db breaks it. */
static void test_load_section(void)
{
	th_fx f;
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_overload_triggers *t = NULL;
	dc_overload *l = NULL;
	dc_report_data *d = NULL;
	json_t *data, *sec, *tabs, *row;
	char *html;
	dc_id db;
	th_fx_load(&f, "load.yaml", "services:\n  - name: web\n    traffic_rps: 100\n"
				   "    depends_on: [{service: db, retries: 2, timeout_ms: 500}]\n"
				   "  - name: db\n    capacity_rps: 150\n    latency_ms: 5\n");
	db = th_id(f.cat, "db");
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&t, f.cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_trigger_surge(t, 2), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&l, f.g, t, NULL), 0);
	o.overload = l;
	html = report_of(f.g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	assert_self_contained(html);
	/* the load map: its own svg, every id prefixed, the service map's ids once */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<div id=\"load-map-src\" hidden><svg id=\"load-map-svg\""));
	CU_ASSERT_EQUAL(th_count(html, "id=\"svc&#45;1\""), 1);
	CU_ASSERT_EQUAL(th_count(html, "id=\"ld-svc&#45;1\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "load&#45;over"));
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	sec = json_array_get(json_object_get(data, "sections"), 0); /* first */
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(sec, "id")), "load");
	CU_ASSERT(json_is_true(json_object_get(sec, "map")));
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Trigger"), "traffic x2");
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Entry requests lost"), "200 of 200 rps (100 %); without the trigger 0 rps");
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Overloaded"), "1 service");
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Metastable"), "yes: after the trigger is removed, the overload sustains itself");
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Sustained by the retries on"), "web -> db (200 retries/s)");
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Smallest change that breaks it"),
			       "a retry budget of 0.1 on web -> db (verified by solving again from the overloaded state)");
	CU_ASSERT_PTR_NOT_NULL(strstr(fact_of(sec, "Model"), "1 of 2 services declare no capacity"));
	tabs = json_object_get(sec, "tables");
	CU_ASSERT_EQUAL_FATAL(json_array_size(tabs), 4);
	/* overloaded: db, 600 of 150, utilisation 4, x6, its cause */
	row = json_array_get(json_object_get(json_array_get(tabs, 0), "rows"), 0);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(row, 0)), db);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(row, 1)), 600, 1e-9);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 2)), "150");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 3)), "4");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 4)), "x6");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 6)), "100 %");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 7)), "retries on web -> db (3 attempts per call)");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(tabs, 0), "total")), 1);
	/* retries: web -> db, 3 attempts, 400 retries/s */
	row = json_array_get(json_object_get(json_array_get(tabs, 1), "rows"), 0);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(row, 1)), db);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(row, 2)), 3, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(row, 3)), 400, 1e-9);
	/* after the trigger: db at 300 rps, utilisation 2; sustained by web -> db */
	row = json_array_get(json_object_get(json_array_get(tabs, 2), "rows"), 0);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(row, 0)), db);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(row, 1)), 300, 1e-9);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(row, 3)), "2");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(tabs, 3), "id")), "sustaining");
	json_decref(data);
	free(html);
	/* without a load result: no section, no load map */
	o.overload = NULL;
	html = report_of(f.g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<svg id=\"load-map-svg\""));
	data = data_of(html);
	CU_ASSERT_PTR_NULL(section_of(data, "load"));
	json_decref(data);
	free(html);
	/* over the collapse threshold: the section without a map, saying why */
	o.overload = l;
	o.collapse_above = 1;
	html = report_of(f.g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<svg id=\"load-map-svg\""));
	data = data_of(html);
	sec = section_of(data, "load");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	CU_ASSERT(json_is_false(json_object_get(sec, "map")));
	CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(sec, "map_note")), "no load map"));
	json_decref(data);
	free(html);
	/* version 4 options end before `overload`; a result of another graph is refused */
	o.version = 4;
	CU_ASSERT_EQUAL(dc_report_compute(&d, f.g, &o), 0);
	dc_report_data_free(d);
	o.version = DC_REPORT_OPTIONS_VERSION;
	{
		th_fx f2;
		th_fx_load(&f2, "load2.yaml", "services:\n  - {name: a}\n");
		CU_ASSERT_EQUAL(dc_report_compute(&d, f2.g, &o), DC_EINVALID);
		th_fx_free(&f2);
	}
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	th_fx_free(&f);
}

/* The load section of the hostile catalog: names in the trigger, the
 * causes and the load map are text. */
static void test_load_hostile(void)
{
	static const char *const raw[] = { "<img", "<svg onload", "</script><script>", "<b>sys", "<i>z",
					   "</style><style>", "\xe2\x80\xa8line\"" };
	dc_graph *g = NULL;
	dc_catalog *cat = load("catalogs/hostile/catalog.yaml", &g);
	dc_report_options o = DC_REPORT_OPTIONS_INIT;
	dc_overload_triggers *t = NULL;
	dc_overload *l = NULL;
	json_t *data, *sec;
	char *html;
	size_t i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_overload_triggers_new(&t, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_trigger_slow(t, 0, 100), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_trigger_fail(t, 3), 0);
	CU_ASSERT_EQUAL_FATAL(dc_overload_run(&l, g, t, NULL), 0);
	o.overload = l;
	html = report_of(g, &o, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	assert_self_contained(html);
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		CU_ASSERT_PTR_NULL(strstr(html, raw[i]));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<svg id=\"load-map-svg\""));
	/* the template slots in a name stay data: main map, load map, data */
	CU_ASSERT(th_count(html, "{{x}} ${y} @DATA@") >= 3);
	data = data_of(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	sec = section_of(data, "load");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	CU_ASSERT_STRING_EQUAL(fact_of(sec, "Trigger"),
			       "<img src=x onerror=alert(1)> answers 100 ms slower; db\\N\\l\xe2\x80\xa8line fails");
	CU_ASSERT(check_cascades(g, data));
	json_decref(data);
	free(html);
	dc_overload_free(l);
	dc_overload_triggers_free(t);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

int suite_report(void)
{
	static const th_test tests[] = {
		{ "streaming example", test_streaming },
		{ "hostile names are escaped", test_hostile },
		{ "collapsed map and cascade budget", test_collapsed_and_budget },
		{ "random graphs vs brute force", test_random_oracle },
		{ "check and availability sections", test_check_and_availability_sections },
		{ "check section: load errors are valid-input findings", test_check_section_input_errors },
		{ "compute, then write", test_compute_then_write },
		{ "traffic lost in the findings", test_traffic_lost },
		{ "load section", test_load_section },
		{ "load section: hostile names escaped", test_load_hostile },
		{ NULL, NULL }
	};
	return th_suite("report", tests);
}
