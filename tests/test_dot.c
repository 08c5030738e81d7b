/*
 * test_dot.c - the DOT loader: nodes, edges and their attributes, any_of
 * groups, positions from the position lexer, syntax and undirected-graph
 * errors, and the round trip through export_dot (native -> DOT -> catalog).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

static void test_nodes_edges_attrs(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long i;
	const char *g =
		"digraph deps {\n"
		"  graph [rankdir=LR];\n"
		"  node [shape=box, fontname=\"Helvetica\"];\n"
		"  web [tier=1, owner=\"team-web\", zones=\"eu-a, eu-b\", entrypoint=true, label=\"Web\",\n"
		"       availability=0.9995, slo=0.999, latency_ms=12, replicas=6, tags=\"grpc,edge\",\n"
		"       system=shop, description=\"front door\"];\n"
		"  web -> api [kind=soft, timeout_ms=300, retries=2, stage=1, color=gray];\n"
		"  api -> db;\n"
		"}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", g, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 3);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 2);
	CU_ASSERT_EQUAL(dc_service_format(cat, th_id(cat, "web")), DC_FORMAT_DOT);
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "web")), 1);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, th_id(cat, "web")), "team-web");
	CU_ASSERT_STRING_EQUAL(dc_service_system(cat, th_id(cat, "web")), "shop");
	CU_ASSERT_STRING_EQUAL(dc_service_description(cat, th_id(cat, "web")), "front door");
	CU_ASSERT_EQUAL_FATAL(dc_service_zone_count(cat, th_id(cat, "web")), 2);
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, th_id(cat, "web"), 1), "eu-b");
	CU_ASSERT_EQUAL(dc_service_tag_count(cat, th_id(cat, "web")), 2);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "web")), 6);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, th_id(cat, "web")), 0.9995, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, th_id(cat, "web")), 0.999, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, th_id(cat, "web")), 12, 1e-12);
	CU_ASSERT(dc_service_is_entrypoint(cat, th_id(cat, "web")));
	CU_ASSERT(dc_service_entrypoint_explicit(cat, th_id(cat, "web")));
	i = th_dep_of(cat, "web", "api");
	CU_ASSERT_FATAL(i >= 0);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)i), DC_DEP_SOFT);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)i), 300);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)i), 2);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, (size_t)i), 1);
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)i), 0);
	CU_ASSERT(th_has_dep(cat, "api", "db", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "api", "db")), 1000);
	/* positions: first occurrence as a node id, the tail token of each edge */
	CU_ASSERT(th_svc_at(cat, "web", 4, 3, NULL));
	CU_ASSERT(th_svc_at(cat, "api", 7, 10, NULL));
	CU_ASSERT(th_svc_at(cat, "db", 8, 10, NULL));
	CU_ASSERT(th_dep_at(cat, "web", "api", 7, 3));
	CU_ASSERT(th_dep_at(cat, "api", "db", 8, 3));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_any_of_groups(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *g =
		"digraph {\n"
		"  a -> s1 [any_of=1]\n"
		"  a -> s2 [any_of=1]\n"
		"  a -> t1 [any_of=2]\n"
		"  a -> t2 [any_of=2]\n"
		"  b -> s1 [any_of=1]\n"
		"  b -> s2 [any_of=1]\n"
		"  a -> x\n"
		"}\n";
	unsigned g1, g2, gb;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", g, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	g1 = dc_dep_group(cat, (size_t)th_dep_of(cat, "a", "s1"));
	g2 = dc_dep_group(cat, (size_t)th_dep_of(cat, "a", "t1"));
	gb = dc_dep_group(cat, (size_t)th_dep_of(cat, "b", "s1"));
	CU_ASSERT(g1 && g2 && gb);
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)th_dep_of(cat, "a", "s2")), g1);
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)th_dep_of(cat, "a", "t2")), g2);
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)th_dep_of(cat, "b", "s2")), gb);
	CU_ASSERT_NOT_EQUAL(g1, g2);
	CU_ASSERT_NOT_EQUAL(g1, gb); /* same value, other source: another group */
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)th_dep_of(cat, "a", "x")), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_positions(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *g =
		"/* header\n"
		"   digraph fake { nope -> never } */\n"
		"# a line for the preprocessor\n"
		"strict digraph \"my graph\" {\n"
		"  // a -> z\n"
		"  label = \"a -> q\"; fontsize=10\n"
		"  \"quoted \\\" name\" -> plain:port:n;\n"
		"  x -> y -> z\n"
		"  {p q} -> r\n"
		"  s -> {t; u}\n"
		"  subgraph cluster_1 { label=\"c\"; v; w [shape=box] }\n"
		"  x -> z\n"
		"  m:e -> n:w [label=<<b>m</b> -&gt; n>]\n"
		"}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", g, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(th_id(cat, "nope"), DC_NO_ID); /* in a comment */
	CU_ASSERT_EQUAL(th_id(cat, "fontsize"), DC_NO_ID); /* a graph attribute */
	CU_ASSERT(th_id(cat, "q") != DC_NO_ID);
	CU_ASSERT(th_svc_at(cat, "quoted \" name", 7, 3, NULL));
	CU_ASSERT(th_svc_at(cat, "plain", 7, 23, NULL));
	CU_ASSERT(th_dep_at(cat, "quoted \" name", "plain", 7, 3));
	CU_ASSERT(th_svc_at(cat, "x", 8, 3, NULL));
	CU_ASSERT(th_svc_at(cat, "y", 8, 8, NULL));
	CU_ASSERT(th_svc_at(cat, "z", 8, 13, NULL));
	CU_ASSERT(th_dep_at(cat, "x", "y", 8, 3));
	CU_ASSERT(th_dep_at(cat, "y", "z", 8, 8));
	/* strict: the second x -> z merges into the first; it was written on 12 */
	CU_ASSERT(th_dep_at(cat, "x", "z", 12, 3));
	CU_ASSERT(th_svc_at(cat, "p", 9, 4, NULL));
	CU_ASSERT(th_dep_at(cat, "p", "r", 9, 4));
	CU_ASSERT(th_dep_at(cat, "q", "r", 9, 6));
	CU_ASSERT(th_dep_at(cat, "s", "t", 10, 3));
	CU_ASSERT(th_dep_at(cat, "s", "u", 10, 3));
	CU_ASSERT(th_svc_at(cat, "u", 10, 12, NULL));
	CU_ASSERT(th_svc_at(cat, "v", 11, 35, NULL));
	CU_ASSERT(th_svc_at(cat, "w", 11, 38, NULL));
	CU_ASSERT(th_svc_at(cat, "m", 13, 3, NULL));
	CU_ASSERT(th_svc_at(cat, "n", 13, 10, NULL));
	CU_ASSERT(th_dep_at(cat, "m", "n", 13, 3));
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 15);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_parallel_edges(void)
{
	dc_catalog *cat;
	dc_diags *d;
	/* non-strict: both edges reach the catalog, which keeps the first
	 * (with a warning at the second) */
	const char *g = "digraph {\n  a -> b [kind=soft]\n  a -> b\n}\n";
	th_load(&cat, &d, "g.dot", g, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "duplicate dependency of 'a' on 'b'", 3, 3) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 1);
	CU_ASSERT(th_dep_at(cat, "a", "b", 2, 3));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_attribute_errors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *g =
		"digraph {\n"
		"  a [tier=9, colour=red, color=red]\n"
		"  b [colour=blue]\n"
		"  a -> b [kind=medium, timeout_ms=-1, retries=x, stage=2, weird=1, penwidth=2]\n"
		"}\n";
	th_load(&cat, &d, "g.dot", g, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "tier of 'a' is out of range: 9", 2, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown node attribute 'colour' (on 'a')", 2, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "(on 'b')", 0, 0) < 0); /* warned once per attribute */
	CU_ASSERT(th_find_diag(d, "kind of the dependency 'a' -> 'b' must be 'hard' or 'soft', not 'medium'", 4, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "timeout_ms of the dependency 'a' -> 'b' must be an integer", 4, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "retries of the dependency 'a' -> 'b' must be an integer", 4, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown edge attribute 'weird'", 4, 3) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 4);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 2);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, (size_t)th_dep_of(cat, "a", "b")), 2);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "a", "b")), 1000);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_syntax_errors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const dc_diag *x;
	th_load(&cat, &d, "g.dot", "digraph {\n  a -> b\n  c -> ;\n}\n", DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "DOT syntax error near ';'", 3, 8) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* the same token twice on the line: cgraph does not say which */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", "digraph {\n  a -> b\n  c -> -> d\n}\n", DC_FORMAT_AUTO),
			DC_EPARSE);
	CU_ASSERT(th_find_diag(d, "DOT syntax error near '->'", 3, 3) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* an unterminated string: at its opening quote */
	th_load(&cat, &d, "g.dot", "digraph {\n  a -> \"b\n}\n", DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "DOT syntax error scanning a quoted string", 2, 8) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* a later good parse is not disturbed by the failed one */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", "digraph { a -> b }", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* forced DOT on something else */
	th_load(&cat, &d, "g.dot", "services:\n  a: {}\n", DC_FORMAT_DOT);
	CU_ASSERT_FATAL(dc_diags_count(d) >= 1);
	x = dc_diags_get(d, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "DOT syntax error"));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_undirected(void)
{
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.dot", "// map\nstrict graph g {\n  a -- b\n}\n", DC_FORMAT_AUTO),
			DC_EPARSE);
	CU_ASSERT(th_find_diag(d, "undirected graph: depcheck needs directed edges (a -> b means a depends on b)",
			       2, 8) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* ---- round trip ------------------------------------------------------------- */

static void test_round_trip(void)
{
	const char *y =
		"depcheck: 1\n"
		"services:\n"
		"  - name: web\n"
		"    owner: team-web\n"
		"    system: shop\n"
		"    tier: 1\n"
		"    entrypoint: true\n"
		"    replicas: 6\n"
		"    zones: [eu-a, eu-b]\n"
		"    availability: 0.9995\n"
		"    slo: 0.999\n"
		"    latency_ms: 12.5\n"
		"    tags: [grpc, \"edge\"]\n"
		"    description: \"the \\\"front\\\" door\"\n"
		"    depends_on:\n"
		"      - api\n"
		"      - service: search\n"
		"        kind: soft\n"
		"        timeout_ms: 300\n"
		"        retries: 2\n"
		"        stage: 1\n"
		"      - any_of: [store-eu, store-us]\n"
		"        timeout_ms: 50\n"
		"      - any_of: [cdn-a, cdn-b]\n"
		"        kind: soft\n"
		"  - name: api\n"
		"    depends_on: [store-eu, payments]\n"
		"  - name: search\n"
		"    tier: 3\n"
		"  - name: store-eu\n"
		"    entrypoint: false\n"
		"  - name: store-us\n"
		"  - name: cdn-a\n"
		"  - name: cdn-b\n"
		"  - name: \"odd name; with -> arrows\"\n"
		"    depends_on: [api]\n";
	dc_catalog *a, *b;
	dc_diags *da, *db;
	char *dot;
	size_t i, n;
	th_load(&a, &da, "n.yaml", y, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_diags_count_severity(da, DC_SEV_ERROR), 1); /* payments is unknown */
	dot = th_export(a, DC_OUTPUT_DOT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_EQUAL(th_load(&b, &db, "rt.dot", dot, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(db), 0);
	n = dc_catalog_service_count(a);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_service_count(b), n);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_dep_count(b), dc_catalog_dep_count(a));
	for (i = 0; i < n; i++) {
		dc_id s = (dc_id)i, t = th_id(b, dc_service_name(a, s));
		size_t k, fa, fb;
		const char *x, *z;
		CU_ASSERT_FATAL(t != DC_NO_ID);
		/* agwrite declares a head node before the edge that reaches it, so
		 * the service order may change; the services and their edges may not */
		x = dc_service_owner(a, s);
		z = dc_service_owner(b, t);
		CU_ASSERT((x == NULL) == (z == NULL) && (!x || !strcmp(x, z)));
		x = dc_service_system(a, s);
		z = dc_service_system(b, t);
		CU_ASSERT((x == NULL) == (z == NULL) && (!x || !strcmp(x, z)));
		x = dc_service_description(a, s);
		z = dc_service_description(b, t);
		CU_ASSERT((x == NULL) == (z == NULL) && (!x || !strcmp(x, z)));
		CU_ASSERT_EQUAL(dc_service_tier(a, s), dc_service_tier(b, t));
		CU_ASSERT_EQUAL(dc_service_is_entrypoint(a, s), dc_service_is_entrypoint(b, t));
		CU_ASSERT_EQUAL(dc_service_is_external(a, s), dc_service_is_external(b, t));
		CU_ASSERT_EQUAL(dc_service_replicas(a, s), dc_service_replicas(b, t));
		CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(a, s), dc_service_availability(b, t), 0);
		CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(a, s), dc_service_slo(b, t), 0);
		CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(a, s), dc_service_latency_ms(b, t), 0);
		CU_ASSERT_EQUAL_FATAL(dc_service_zone_count(a, s), dc_service_zone_count(b, t));
		for (k = 0; k < dc_service_zone_count(a, s); k++)
			CU_ASSERT_STRING_EQUAL(dc_service_zone(a, s, k), dc_service_zone(b, t, k));
		CU_ASSERT_EQUAL_FATAL(dc_service_tag_count(a, s), dc_service_tag_count(b, t));
		for (k = 0; k < dc_service_tag_count(a, s); k++)
			CU_ASSERT_STRING_EQUAL(dc_service_tag(a, s, k), dc_service_tag(b, t, k));
		CU_ASSERT_EQUAL_FATAL(dc_service_dep_count(a, s), dc_service_dep_count(b, t));
		fa = dc_service_dep_first(a, s);
		fb = dc_service_dep_first(b, t);
		for (k = 0; k < dc_service_dep_count(a, s); k++) {
			size_t j;
			CU_ASSERT_STRING_EQUAL(dc_service_name(a, dc_dep_to(a, fa + k)),
					       dc_service_name(b, dc_dep_to(b, fb + k)));
			CU_ASSERT_EQUAL(dc_dep_kind_of(a, fa + k), dc_dep_kind_of(b, fb + k));
			CU_ASSERT_EQUAL(dc_dep_timeout_ms(a, fa + k), dc_dep_timeout_ms(b, fb + k));
			CU_ASSERT_EQUAL(dc_dep_retries(a, fa + k), dc_dep_retries(b, fb + k));
			CU_ASSERT_EQUAL(dc_dep_stage(a, fa + k), dc_dep_stage(b, fb + k));
			CU_ASSERT_EQUAL(dc_dep_group(a, fa + k) == 0, dc_dep_group(b, fb + k) == 0);
			/* group structure: same partition of the service's edges */
			for (j = 0; j < k; j++)
				CU_ASSERT_EQUAL(dc_dep_group(a, fa + k) && dc_dep_group(a, fa + k) == dc_dep_group(a, fa + j),
						dc_dep_group(b, fb + k) && dc_dep_group(b, fb + k) == dc_dep_group(b, fb + j));
		}
	}
	/* and the DOT export of the reloaded catalog is the same text */
	{
		char *dot2 = th_export(b, DC_OUTPUT_DOT);
		CU_ASSERT_PTR_NOT_NULL(dot2);
		if (dot2)
			CU_ASSERT_STRING_EQUAL(dot2, dot);
		free(dot2);
	}
	free(dot);
	dc_catalog_free(a);
	dc_catalog_free(b);
	dc_diags_free(da);
	dc_diags_free(db);
}

static void test_realworld_round_trip(void)
{
	/* a Compose file through DOT: the same services and edges */
	const char *path = DC_TESTDATA "/realworld/deathstarbench/hotelReservation/docker-compose.yml";
	dc_catalog *a, *b;
	dc_diags *da, *db;
	char *dot;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(th_load_path(&a, &da, path), 0);
	dot = th_export(a, DC_OUTPUT_DOT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_EQUAL(th_load(&b, &db, "rt.dot", dot, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(db), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(b), 24);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_dep_count(b), 22);
	for (i = 0; i < 22; i++) {
		const char *from = dc_service_name(a, dc_dep_from(a, i)), *to = dc_service_name(a, dc_dep_to(a, i));
		CU_ASSERT(th_has_dep(b, from, to, DC_DEP_HARD));
	}
	free(dot);
	dc_catalog_free(a);
	dc_catalog_free(b);
	dc_diags_free(da);
	dc_diags_free(db);
}

int suite_dot(void)
{
	static const th_test tests[] = {
		{ "nodes, edges, attributes", test_nodes_edges_attrs },
		{ "any_of groups", test_any_of_groups },
		{ "positions from the lexer", test_positions },
		{ "parallel edges", test_parallel_edges },
		{ "attribute errors", test_attribute_errors },
		{ "syntax errors", test_syntax_errors },
		{ "undirected graph", test_undirected },
		{ "round trip native -> DOT", test_round_trip },
		{ "round trip Compose -> DOT", test_realworld_round_trip },
		{ NULL, NULL }
	};
	return th_suite("dot", tests);
}
