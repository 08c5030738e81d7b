/*
 * test_doc.c - the document tree: YAML and JSON parsing with positions,
 * scalar typing, merge keys, aliases and limits.
 */
#include "helpers.h"
#include "doc.h"

static doc_limits lim = { 256, 1000000 };

static void test_yaml_positions(void)
{
	doc_stream ds;
	const char *y = "services:\n  - name: a\n    depends_on: [b, \"c\"]\n";
	const doc_node *svcs, *a, *deps;
	doc_stream_init(&ds, "t.yaml");
	CU_ASSERT_EQUAL_FATAL(doc_parse_yaml(&ds, y, strlen(y), &lim, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ds.docs.len, 1);
	svcs = doc_get(ds.docs.items[0], "services");
	CU_ASSERT_PTR_NOT_NULL_FATAL(svcs);
	CU_ASSERT_EQUAL(svcs->kind, DOC_SEQ);
	a = svcs->u.kids[0];
	CU_ASSERT_EQUAL(a->line, 2);
	CU_ASSERT_EQUAL(a->col, 5);
	deps = doc_get(a, "depends_on");
	CU_ASSERT_EQUAL_FATAL(deps->n, 2);
	CU_ASSERT_EQUAL(deps->u.kids[0]->line, 3);
	CU_ASSERT_EQUAL(deps->u.kids[0]->col, 18);
	CU_ASSERT_FALSE(deps->u.kids[0]->quoted);
	CU_ASSERT_TRUE(deps->u.kids[1]->quoted);
	CU_ASSERT_EQUAL(deps->u.kids[1]->col, 21);
	doc_stream_free(&ds);
}

static void test_json_positions(void)
{
	doc_stream ds;
	const char *j = "{\n  \"services\": [\n    {\"name\": \"a\", \"tier\": 2}\n  ]\n}\n";
	const doc_node *a, *tier;
	long long v;
	doc_stream_init(&ds, "t.json");
	CU_ASSERT_EQUAL_FATAL(doc_parse_json(&ds, j, strlen(j), &lim, NULL), 0);
	a = doc_get(ds.docs.items[0], "services")->u.kids[0];
	CU_ASSERT_EQUAL(a->line, 3);
	CU_ASSERT_EQUAL(a->col, 5);
	tier = doc_get(a, "tier");
	CU_ASSERT_EQUAL(tier->line, 3);
	CU_ASSERT_EQUAL(tier->col, 27);
	CU_ASSERT_EQUAL(doc_int(tier, 0, &v), 0);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_TRUE(doc_get(a, "name")->quoted);
	doc_stream_free(&ds);
}

static void test_json_syntax_error(void)
{
	doc_stream ds;
	dc_diags *d;
	const char *j = "{\"a\": [1, 2,]}";
	dc_diags_new(&d);
	doc_stream_init(&ds, "bad.json");
	CU_ASSERT_EQUAL(doc_parse_json(&ds, j, strlen(j), &lim, d), DC_EPARSE);
	CU_ASSERT_EQUAL_FATAL(dc_diags_count(d), 1);
	CU_ASSERT_EQUAL(dc_diags_get(d, 0)->line, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(dc_diags_get(d, 0)->message, "JSON syntax error"));
	doc_stream_free(&ds);
	dc_diags_free(d);
}

static void test_scalar_typing(void)
{
	doc_stream ds;
	const char *y = "a: 12\nb: '12'\nc: 0.5\nd: true\ne: ~\nf: 1e3\ng: 0x10\nh: abc\ni: 99999999999999999999\n";
	const doc_node *r;
	long long v;
	double x;
	int b;
	doc_stream_init(&ds, "t.yaml");
	CU_ASSERT_EQUAL_FATAL(doc_parse_yaml(&ds, y, strlen(y), &lim, NULL), 0);
	r = ds.docs.items[0];
	CU_ASSERT_EQUAL(doc_int(doc_get(r, "a"), 0, &v), 0);
	CU_ASSERT_EQUAL(v, 12);
	CU_ASSERT_NOT_EQUAL(doc_int(doc_get(r, "b"), 0, &v), 0);
	CU_ASSERT_EQUAL(doc_int(doc_get(r, "b"), 1, &v), 0);
	CU_ASSERT_EQUAL(doc_double(doc_get(r, "c"), 0, &x), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 0.5, 1e-12);
	CU_ASSERT_EQUAL(doc_bool(doc_get(r, "d"), &b), 0);
	CU_ASSERT_EQUAL(b, 1);
	CU_ASSERT_TRUE(doc_is_null(doc_get(r, "e")));
	CU_ASSERT_EQUAL(doc_double(doc_get(r, "f"), 0, &x), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 1000.0, 1e-9);
	CU_ASSERT_EQUAL(doc_int(doc_get(r, "g"), 0, &v), 0);
	CU_ASSERT_EQUAL(v, 16);
	CU_ASSERT_STRING_EQUAL(doc_type_name(doc_get(r, "h")), "string");
	CU_ASSERT_EQUAL(doc_int(doc_get(r, "i"), 0, &v), -2);
	doc_stream_free(&ds);
}

static void test_merge_keys(void)
{
	doc_stream ds;
	const char *y = "base: &b {x: 1, y: 2}\nsvc:\n  <<: *b\n  y: 3\n";
	const doc_node *svc;
	long long v;
	doc_stream_init(&ds, "t.yaml");
	CU_ASSERT_EQUAL_FATAL(doc_parse_yaml(&ds, y, strlen(y), &lim, NULL), 0);
	svc = doc_get(ds.docs.items[0], "svc");
	CU_ASSERT_EQUAL(svc->n, 2);
	CU_ASSERT_EQUAL(doc_int(doc_get(svc, "x"), 0, &v), 0);
	CU_ASSERT_EQUAL(v, 1);
	CU_ASSERT_EQUAL(doc_int(doc_get(svc, "y"), 0, &v), 0);
	CU_ASSERT_EQUAL(v, 3);
	doc_stream_free(&ds);
}

static void test_alias_positions(void)
{
	doc_stream ds;
	const char *y = "a: &x db\nb:\n  - *x\n  - *x\n";
	const doc_node *b;
	doc_stream_init(&ds, "t.yaml");
	CU_ASSERT_EQUAL_FATAL(doc_parse_yaml(&ds, y, strlen(y), &lim, NULL), 0);
	b = doc_get(ds.docs.items[0], "b");
	CU_ASSERT_EQUAL_FATAL(b->n, 2);
	/* each alias is reported where it is written, with the anchored value */
	CU_ASSERT_STRING_EQUAL(b->u.kids[0]->u.s, "db");
	CU_ASSERT_EQUAL(b->u.kids[0]->line, 3);
	CU_ASSERT_EQUAL(b->u.kids[0]->col, 5);
	CU_ASSERT_EQUAL(b->u.kids[1]->line, 4);
	CU_ASSERT_EQUAL(doc_get(ds.docs.items[0], "a")->line, 1);
	doc_stream_free(&ds);
}

static void test_billion_laughs(void)
{
	doc_stream ds;
	dc_diags *d;
	const char *y =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	dc_diags_new(&d);
	doc_stream_init(&ds, "laughs.yaml");
	CU_ASSERT_EQUAL(doc_parse_yaml(&ds, y, strlen(y), &lim, d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "too many alias", 0, 0) >= 0);
	doc_stream_free(&ds);
	dc_diags_free(d);
}

/* The alias budget is per file: spreading an expansion over many
 * documents must not multiply it. */
static void test_alias_budget_per_file(void)
{
	doc_stream ds;
	dc_diags *d;
	doc_limits small = { 256, 100 };
	const char *y =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a]\n---\n"
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a]\n---\n"
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a]\n";
	dc_diags_new(&d);
	doc_stream_init(&ds, "docs.yaml");
	/* 4 aliases of 11 nodes per document: 88 after two, the third goes over
	 * 100 at its second alias */
	CU_ASSERT_EQUAL(doc_parse_yaml(&ds, y, strlen(y), &small, d), DC_ELIMIT);
	CU_ASSERT_EQUAL(ds.docs.len, 2);
	CU_ASSERT_TRUE(th_find_diag(d, "too many alias", 8, 9) >= 0);
	doc_stream_free(&ds);
	dc_diags_free(d);
}

static void test_depth_limit(void)
{
	doc_stream ds;
	dc_diags *d;
	char buf[2000];
	int i;
	for (i = 0; i < 600; i++)
		buf[i] = '[';
	buf[600] = '\0';
	dc_diags_new(&d);
	doc_stream_init(&ds, "deep.yaml");
	CU_ASSERT_EQUAL(doc_parse_yaml(&ds, buf, strlen(buf), &lim, d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "nesting deeper", 0, 0) >= 0);
	doc_stream_free(&ds);
	doc_stream_init(&ds, "deep.json");
	CU_ASSERT_NOT_EQUAL(doc_parse_json(&ds, buf, strlen(buf), &lim, d), 0);
	doc_stream_free(&ds);
	dc_diags_free(d);
}

static void test_multi_document(void)
{
	doc_stream ds;
	const char *y = "a: 1\n---\n---\nb: 2\n";
	doc_stream_init(&ds, "t.yaml");
	CU_ASSERT_EQUAL_FATAL(doc_parse_yaml(&ds, y, strlen(y), &lim, NULL), 0);
	CU_ASSERT_EQUAL(ds.docs.len, 3);
	CU_ASSERT_TRUE(doc_is_null(ds.docs.items[1])); /* an empty document is a null scalar */
	CU_ASSERT_PTR_NOT_NULL(doc_get(ds.docs.items[2], "b"));
	doc_stream_free(&ds);
}

int suite_doc(void)
{
	static const th_test tests[] = {
		{ "yaml positions", test_yaml_positions },
		{ "json positions", test_json_positions },
		{ "json syntax error", test_json_syntax_error },
		{ "scalar typing", test_scalar_typing },
		{ "merge keys", test_merge_keys },
		{ "alias positions", test_alias_positions },
		{ "billion laughs", test_billion_laughs },
		{ "alias budget per file", test_alias_budget_per_file },
		{ "depth limit", test_depth_limit },
		{ "multi document", test_multi_document },
		{ NULL, NULL }
	};
	return th_suite("doc", tests);
}
