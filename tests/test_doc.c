/*
 * test_doc.c - the document tree: YAML and JSON parsing with positions,
 * scalar typing, merge keys, aliases and limits.
 */
#include "helpers.h"
#include "doc.h"

static doc_limits lim = { 256, 1000000, 1 };

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
	doc_limits small = { 256, 100, 1 };
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

/* ---- the parser thread (load_yaml.c) ------------------------------------ */

/* The tree, every node's kind, position, flags and text, and the
 * diagnostics, as one text: what must not depend on the thread. */
static void dump_node(FILE *b, const doc_node *n, int depth)
{
	uint32_t i;
	if (!n) {
		fprintf(b, "%*s(null)\n", depth, "");
		return;
	}
	fprintf(b, "%*s%u %u:%u q%u t%u w%u n%u", depth, "", n->kind, n->line, n->col, n->quoted,
			 n->tag, n->weight, n->n);
	if (n->kind == DOC_SCALAR) {
		fprintf(b, " '%s'\n", n->u.s);
		return;
	}
	fprintf(b, "\n");
	if (depth > 40)
		return; /* aliases share nodes: a few levels are proof enough */
	for (i = 0; i < (n->kind == DOC_MAP ? 2 * n->n : n->n); i++)
		dump_node(b, n->u.kids[i], depth + 1);
}

typedef struct {
	FILE *b;
	int items, stop_at, stop_rc;
} hook_state;

static int pl_begin(void *ud, size_t doc_index)
{
	hook_state *h = ud;
	fprintf(h->b, "begin %zu\n", doc_index);
	return 0;
}

static int pl_item(void *ud, const doc_node *item)
{
	hook_state *h = ud;
	fprintf(h->b, "item %d\n", h->items);
	dump_node(h->b, item, 1);
	if (++h->items == h->stop_at)
		return h->stop_rc;
	return 0;
}

static int pl_end(void *ud)
{
	hook_state *h = ud;
	fprintf(h->b, "end\n");
	return 0;
}

/* Parse y (hooked on `services` when stop_at >= 0) and describe the result. */
static char *parse_dump(const char *y, size_t len, const doc_limits *l, int hooked, int stop_at)
{
	doc_stream ds;
	dc_diags *d = NULL;
	char *out = NULL;
	size_t olen = 0;
	FILE *b = open_memstream(&out, &olen);
	hook_state h;
	doc_item_hook hook;
	size_t i;
	int rc;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	doc_stream_init(&ds, "p.yaml");
	h.b = b;
	h.items = 0;
	h.stop_at = stop_at;
	h.stop_rc = DC_ELIMIT;
	hook.key = "services";
	hook.on_begin = pl_begin;
	hook.on_item = pl_item;
	hook.on_end = pl_end;
	hook.ud = &h;
	rc = hooked ? doc_parse_yaml_hooked(&ds, y, len, l, &hook, d) : doc_parse_yaml(&ds, y, len, l, d);
	fprintf(b, "rc %d, %zu documents\n", rc, ds.docs.len);
	for (i = 0; i < ds.docs.len; i++)
		dump_node(b, ds.docs.items[i], 0);
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		fprintf(b, "%s:%u:%u: %d %s\n", x->file, x->line, x->column, (int)x->severity, x->message);
	}
	doc_stream_free(&ds);
	dc_diags_free(d);
	fclose(b);
	return out;
}

/* Every input, parsed on one thread and with the parser thread handing over
 * 1, 2, 3, 7 and the default number of events at a time: the same trees,
 * callbacks, statuses and diagnostics, the errors (syntax, encoding, tab,
 * duplicate key, unknown alias, limits, a callback's status) included. */
static void test_pipeline_same(void)
{
	static const char *const inputs[] = {
		"services:\n  - name: a\n    depends_on: [b, \"c\"]\n  - name: b\n  - name: c\n",
		"x-base: &base {tier: 2, owner: o}\nservices:\n  - <<: *base\n    name: a\n  - name: b\n"
		"    <<: [*base, {zones: [z]}]\n---\n---\nservices: []\nother: !reset x\n",
		"services:\n  - name: a\n  - name: b\n    depends_on: [a\n  - name: c\n", /* syntax error mid-file */
		"services:\n  - name: a\n  - name: \xff\xfe\n",                   /* not UTF-8 */
		"services:\n  - name: a\n\t- name: b\n",                           /* tab in indentation */
		"services:\n  - name: a\n    name: b\n",                           /* duplicate key */
		"services:\n  - name: *nope\n",                                    /* unknown alias */
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",                    /* over the alias budget */
		"services:\n  - name: a\n  - name: b\n  - name: c\n  - name: d\n  - name: e\n", /* stopped at 3 */
		"services:\n  - &s {name: a}\n  - *s\n  - name: c\n",
	};
	static const size_t batches[] = { 1, 2, 3, 7, 0, 100000 };
	doc_limits one = { 256, 300, 1 }, two = { 256, 300, 2 };
	char deep[700], *big = malloc(800000);
	size_t i, k, ninputs = sizeof(inputs) / sizeof(inputs[0]);
	int hooked;
	memset(deep, '[', 600);
	deep[600] = '\0';
	/* scalars bigger than a batch's text (moved whole), and enough small
	 * ones around them to fill the text of several batches */
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	strcpy(big, "services:\n  - name: a\n    description: ");
	k = strlen(big);
	memset(big + k, 'x', 300000);
	k += 300000;
	for (i = 0; i < 6000; i++)
		k += (size_t)sprintf(big + k, "\n  - name: s%zu-%s", i, "abcdefghijklmnopqrstuvwxyz0123456789");
	k += (size_t)sprintf(big + k, "\n  - name: &z z\n    description: ");
	memset(big + k, 'y', 65535);
	k += 65535;
	strcpy(big + k, "\n  - name: *z\n");
	for (i = 0; i <= ninputs + 1; i++) {
		const char *y = i < ninputs ? inputs[i] : i == ninputs ? deep : big;
		for (hooked = 0; hooked < 2; hooked++) {
			int stop = hooked ? 3 : -1;
			char *want, *got;
			doc_yaml_set_pipeline((size_t)-1, 0);
			want = parse_dump(y, strlen(y), &one, hooked, stop);
			for (k = 0; k < sizeof(batches) / sizeof(batches[0]); k++) {
				doc_yaml_set_pipeline(0, batches[k]);
				got = parse_dump(y, strlen(y), &two, hooked, stop);
				CU_ASSERT_STRING_EQUAL(got, want);
				if (strcmp(got, want))
					fprintf(stderr, "input %zu, hooked %d, batch %zu:\n--- one thread\n%s--- pipeline\n%s",
						i, hooked, batches[k], want, got);
				free(got);
			}
			free(want);
		}
	}
	doc_yaml_set_pipeline((size_t)-1, 0);
	free(big);
}

/* A catalog of 3,000 services (about 200 kB, 40,000 events) through the
 * loader: the same catalog and diagnostics with the parser thread as
 * without, with a broken dependency list in the middle and the same
 * syntax error near the end. */
static void test_pipeline_catalog(void)
{
	int broken, t;
	size_t i;
	for (broken = 0; broken < 2; broken++) {
		char *out[2], *text = NULL;
		size_t tlen = 0;
		FILE *y = open_memstream(&text, &tlen);
		CU_ASSERT_PTR_NOT_NULL_FATAL(y);
		fprintf(y, "depcheck: 1\ndefaults: {retries: 1}\nservices:\n");
		for (i = 0; i < 3000; i++) {
			fprintf(y, "  - name: s%zu\n    tier: %s\n    depends_on:\n      - s%zu\n"
					 "      - service: s%zu\n        timeout_ms: %zu\n", i, i == 1500 ? "x" : "2",
					 (i + 1) % 3000, (i * 7) % 3001, 100 + i);
			if (broken && i == 2900)
				fprintf(y, "  - name: [oops\n");
		}
		fclose(y);
		for (t = 0; t < 2; t++) {
			dc_load_options o = DC_LOAD_OPTIONS_INIT;
			dc_catalog *cat = NULL;
			dc_diags *d = NULL;
			char *res = NULL;
			size_t rlen = 0;
			FILE *b = open_memstream(&res, &rlen);
			int rc;
			CU_ASSERT_PTR_NOT_NULL_FATAL(b);
			o.threads = t ? 0 : 1;
			doc_yaml_set_pipeline(t ? 0 : (size_t)-1, t ? 5 : 0);
			CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
			CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
			rc = dc_catalog_add_buffer(cat, "big.yaml", text, tlen, &o, d);
			fprintf(b, "rc %d\n", rc);
			rc = dc_catalog_finalize(cat, d);
			fprintf(b, "finalize %d: %zu services, %zu dependencies\n", rc,
					 dc_catalog_service_count(cat), dc_catalog_dep_count(cat));
			for (i = 0; i < dc_catalog_dep_count(cat); i += 97)
				fprintf(b, "dep %zu: %s -> %s %u %u\n", i,
						 dc_service_name(cat, dc_dep_from(cat, i)),
						 dc_service_name(cat, dc_dep_to(cat, i)), dc_dep_timeout_ms(cat, i),
						 dc_dep_retries(cat, i));
			for (i = 0; i < dc_diags_count(d); i++) {
				const dc_diag *x = dc_diags_get(d, i);
				fprintf(b, "%u:%u %s\n", x->line, x->column, x->message);
			}
			fclose(b);
			out[t] = res;
			dc_catalog_free(cat);
			dc_diags_free(d);
		}
		doc_yaml_set_pipeline((size_t)-1, 0);
		CU_ASSERT_STRING_EQUAL(out[1], out[0]);
		{
			char want[32];
			snprintf(want, sizeof(want), "rc %d\n", broken ? DC_EPARSE : 0);
			CU_ASSERT_EQUAL(strncmp(out[0], want, strlen(want)), 0);
		}
		if (broken)
			CU_ASSERT_PTR_NOT_NULL(strstr(out[0], "YAML syntax error"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out[0], "tier of 's1500' must be an integer"));
		free(out[0]);
		free(out[1]);
		free(text);
	}
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
		{ "parser thread: same trees and diagnostics", test_pipeline_same },
		{ "parser thread: same catalog", test_pipeline_catalog },
		{ NULL, NULL }
	};
	return th_suite("doc", tests);
}
