/*
 * test_backstage.c - the Backstage loader: entities, relations, ref
 * defaulting, API expansion, annotations, display names, diagnostics with
 * exact positions, and Location following on real files (under mkdtemp).
 * DC_TEST_DIAGS=1 prints each test's diagnostics.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR(kind) "apiVersion: backstage.io/v1alpha1\nkind: " kind "\n"

/* ---- relations ------------------------------------------------------------ */

static const char *relations_yaml =
	HDR("Component")                              /* 1-2 */
	"metadata:\n"                                  /* 3 */
	"  name: web\n"                                /* 4 */
	"spec:\n"                                      /* 5 */
	"  dependsOn:\n"                               /* 6 */
	"    - component:api\n"                        /* 7 */
	"    - resource:db\n"                          /* 8 */
	"  consumesApis: [search-api]\n"               /* 9 */
	"---\n"                                        /* 10 */
	HDR("Component")                              /* 11-12 */
	"metadata:\n"                                  /* 13 */
	"  name: api\n"                                /* 14 */
	"spec:\n"                                      /* 15 */
	"  dependencyOf: [component:worker]\n"         /* 16 */
	"---\n"                                        /* 17 */
	HDR("Resource")                               /* 18-19 */
	"metadata: {name: db}\n"                       /* 20 */
	"---\n"
	HDR("Component")
	"metadata: {name: worker}\n"
	"---\n"
	HDR("Component")
	"metadata: {name: search}\n"
	"spec:\n"
	"  providesApis: [search-api]\n"
	"---\n"
	HDR("API")
	"metadata: {name: search-api}\n"
	"spec: {type: openapi}\n";

static void test_relations(void)
{
	dc_catalog *cat;
	dc_diags *d;
	size_t i;
	dc_location l;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "cat.yaml", relations_yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 5);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 4);
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "api", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "db", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "search", DC_DEP_HARD));
	/* dependencyOf: worker depends on api, declared at api's entry */
	CU_ASSERT_TRUE(th_has_dep(cat, "worker", "api", DC_DEP_HARD));
	CU_ASSERT_FALSE(th_has_dep(cat, "api", "worker", -1));
	i = (size_t)th_dep_of(cat, "worker", "api");
	CU_ASSERT_FATAL(i != (size_t)-1);
	l = dc_dep_location(cat, i);
	CU_ASSERT_EQUAL(l.line, 16);
	CU_ASSERT_EQUAL(l.column, 18);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, i), "dependencyOf");
	i = (size_t)th_dep_of(cat, "web", "db");
	l = dc_dep_location(cat, i);
	CU_ASSERT_EQUAL(l.line, 8);
	CU_ASSERT_EQUAL(l.column, 7);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, i), "dependsOn");
	i = (size_t)th_dep_of(cat, "web", "search");
	l = dc_dep_location(cat, i);
	CU_ASSERT_EQUAL(l.line, 9);
	CU_ASSERT_EQUAL(l.column, 18);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, i), "consumesApis");
	/* the service is where its name is */
	l = dc_service_location(cat, th_id(cat, "web"));
	CU_ASSERT_STRING_EQUAL(l.file, "cat.yaml");
	CU_ASSERT_EQUAL(l.line, 4);
	CU_ASSERT_EQUAL(l.column, 9);
	CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, th_id(cat, "db")), "resource:default/db");
	CU_ASSERT_EQUAL(dc_service_format(cat, th_id(cat, "db")), DC_FORMAT_BACKSTAGE);
	th_done(cat, d);
}

/* ---- ref defaulting ----------------------------------------------------------- */

static void test_ref_defaulting(void)
{
	static const char *y =
		HDR("Component")
		"metadata: {name: front, namespace: shop}\n"
		"spec:\n"
		"  dependsOn:\n"
		"    - back\n"                      /* shop/back, not default/back */
		"    - Component:Default/Back\n"    /* explicit, any case */
		"    - cache\n"                     /* no component: the resource */
		"    - RESOURCE:shop/Store\n"
		"---\n"
		HDR("Component")
		"metadata: {name: back, namespace: shop}\n"
		"---\n"
		HDR("Component")
		"metadata: {name: back}\n"
		"---\n"
		HDR("Resource")
		"metadata: {name: cache, namespace: shop}\n"
		"---\n"
		HDR("Resource")
		"metadata: {name: store, namespace: shop}\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "ns.yaml", y, DC_FORMAT_AUTO), 0);
	/* Backstage itself rejects a dependsOn without a kind: read, with a warning */
	CU_ASSERT(th_find_diag(d, "dependsOn entry 'back' of 'front' has no kind, which Backstage rejects "
			       "(\"missing or empty kind\"); depcheck reads it as a Component, else a "
			       "Resource: write component:back or resource:back", 6, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "dependsOn entry 'cache' of 'front' has no kind", 8, 7) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 2);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 5);
	CU_ASSERT_TRUE(th_has_dep(cat, "component:shop/front", "component:shop/back", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "component:shop/front", "component:default/back", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "component:shop/front", "resource:shop/cache", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "component:shop/front", "resource:shop/store", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 4);
	th_done(cat, d);
}

static void test_unresolved_ref(void)
{
	static const char *y =
		HDR("Component")
		"metadata: {name: app}\n"
		"spec:\n"
		"  dependsOn: [resource:missing-db]\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_id ext;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "u.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT(th_find_diag(d, "unknown service 'resource:missing-db' in dependsOn of 'app'", 5, 15) >= 0);
	ext = th_id(cat, "missing-db");
	CU_ASSERT_FATAL(ext != DC_NO_ID);
	CU_ASSERT_TRUE(dc_service_is_external(cat, ext));
	CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, ext), "resource:default/missing-db");
	CU_ASSERT_TRUE(th_has_dep(cat, "app", "missing-db", DC_DEP_HARD));
	th_done(cat, d);
}

/* ---- APIs ------------------------------------------------------------------------ */

static void test_consumes_provides(void)
{
	static const char *y =
		HDR("Component")
		"metadata: {name: client}\n"
		"spec:\n"
		"  consumesApis: [api:default/orders, payments]\n"
		"  dependsOn: [component:orders-a, api:billing]\n"  /* same edge as through the API: silent */
		"---\n"
		HDR("Component")
		"metadata: {name: orders-a}\n"
		"spec: {providesApis: [orders]}\n"
		"---\n"
		HDR("Component")
		"metadata: {name: orders-b}\n"
		"spec: {providesApis: [api:orders], consumesApis: [orders]}\n"   /* its own API: no edge */
		"---\n"
		HDR("API")
		"metadata: {name: orders}\n"
		"---\n"
		HDR("API")
		"metadata: {name: payments}\n"       /* nobody provides it */
		"---\n"
		HDR("Resource")
		"metadata: {name: ledger}\n"
		"spec: {providesApis: [billing]}\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_id ext;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "api.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_TRUE(th_has_dep(cat, "client", "orders-a", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "client", "orders-b", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "orders-b", "orders-a", DC_DEP_HARD));
	/* dependsOn an API: its provider */
	CU_ASSERT_TRUE(th_has_dep(cat, "client", "ledger", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "orders-b")), 1);
	CU_ASSERT_EQUAL(th_find_diag(d, "duplicate", 0, 0), -1);
	/* the API exists but has no provider: a warning and an external node */
	CU_ASSERT(th_find_diag(d, "API 'payments' consumed by 'client' has no provider", 5, 38) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 1);
	ext = th_id(cat, "api:payments");
	CU_ASSERT_FATAL(ext != DC_NO_ID);
	CU_ASSERT_TRUE(dc_service_is_external(cat, ext));
	CU_ASSERT_TRUE(th_has_dep(cat, "client", "api:payments", DC_DEP_HARD));
	th_done(cat, d);
}

static void test_unknown_api(void)
{
	static const char *y =
		HDR("Component")
		"metadata: {name: client}\n"
		"spec:\n"
		"  consumesApis:\n"
		"    - nowhere\n"
		"  providesApis: [component:x]\n"
		"  dependsOn: [api:gone]\n";
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "api.yaml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "unknown API 'nowhere' in consumesApis of 'client'", 6, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "'component:x' in providesApis of 'client' is not an API reference", 7, 18) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown API 'api:gone' in dependsOn of 'client'", 8, 15) >= 0);
	CU_ASSERT_TRUE(dc_service_is_external(cat, th_id(cat, "api:nowhere")));
	CU_ASSERT_TRUE(th_has_dep(cat, "client", "api:gone", DC_DEP_HARD));
	th_done(cat, d);
}

/* ---- attributes and annotations --------------------------------------------------- */

static void test_attributes(void)
{
	static const char *y =
		HDR("Component")
		"metadata:\n"
		"  name: player\n"
		"  description: Plays music\n"
		"  tags: [java, grpc]\n"
		"  annotations:\n"
		"    backstage.io/techdocs-ref: dir:.\n"
		"    depcheck.dev/tier: \"1\"\n"
		"    depcheck.dev/replicas: '6'\n"
		"    depcheck.dev/zones: eu-a, eu-b ,eu-c\n"
		"    depcheck.dev/availability: \"0.9995\"\n"
		"    depcheck.dev/slo: \"0.999\"\n"
		"    depcheck.dev/latency-ms: \"12.5\"\n"
		"    depcheck.dev/entrypoint: \"true\"\n"
		"spec:\n"
		"  owner: group:media/squad-player\n"
		"  system: system:default/Playback\n"
		"---\n"
		HDR("Resource")
		"metadata: {name: db}\n"
		"spec: {owner: 'group:default/dba', system: storage}\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_id p, db;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "attr.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	p = th_id(cat, "player");
	CU_ASSERT_FATAL(p != DC_NO_ID);
	CU_ASSERT_STRING_EQUAL(dc_service_description(cat, p), "Plays music");
	CU_ASSERT_EQUAL_FATAL(dc_service_tag_count(cat, p), 2);
	CU_ASSERT_STRING_EQUAL(dc_service_tag(cat, p, 1), "grpc");
	CU_ASSERT_EQUAL(dc_service_tier(cat, p), 1);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, p), 6);
	CU_ASSERT_EQUAL_FATAL(dc_service_zone_count(cat, p), 3);
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, p, 0), "eu-a");
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, p, 1), "eu-b");
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, p, 2), "eu-c");
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, p), 0.9995, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, p), 0.999, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, p), 12.5, 1e-12);
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, p));
	CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, p));
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, p), "media/squad-player");
	CU_ASSERT_STRING_EQUAL(dc_service_system(cat, p), "Playback");
	db = th_id(cat, "db");
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, db), "dba");
	CU_ASSERT_STRING_EQUAL(dc_service_system(cat, db), "storage");
	CU_ASSERT_EQUAL(dc_service_tier(cat, db), 0);
	th_done(cat, d);
}

static void test_annotation_errors(void)
{
	static const char *y =
		HDR("Component")
		"metadata:\n"
		"  name: x\n"
		"  annotations:\n"
		"    depcheck.dev/tier: \"7\"\n"          /* 6 */
		"    depcheck.dev/teir: \"2\"\n"          /* 7 */
		"    depcheck.dev/entrypoint: maybe\n"   /* 8 */
		"    depcheck.dev/soft-dependencies: 'a, :b'\n"; /* 9 */
	dc_catalog *cat;
	dc_diags *d;
	dc_id x;
	th_load(&cat, &d, "ann.yaml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "tier of 'x' is out of range", 6, 24) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown annotation 'depcheck.dev/teir' on 'x'", 7, 5) >= 0);
	CU_ASSERT(th_find_diag(d, "entrypoint of 'x' must be true or false", 8, 30) >= 0);
	CU_ASSERT(th_find_diag(d, "invalid entity reference ':b' in depcheck.dev/soft-dependencies of 'x'",
			       9, 37) >= 0);
	x = th_id(cat, "x");
	CU_ASSERT_FATAL(x != DC_NO_ID);
	CU_ASSERT_EQUAL(dc_service_tier(cat, x), 0);
	/* 'a' was still read */
	CU_ASSERT_TRUE(th_has_dep(cat, "x", "a", DC_DEP_SOFT));
	th_done(cat, d);
}

static void test_soft_dependencies(void)
{
	static const char *y =
		HDR("Component")
		"metadata:\n"
		"  name: web\n"
		"  annotations:\n"
		"    depcheck.dev/soft-dependencies: \"recs, component:default/Search, api:ads-api, cache\"\n"
		"spec:\n"
		"  dependsOn: [search, auth]\n"    /* line 8: search turns soft, keeps its position */
		"  consumesApis: [ads-api]\n"      /* turns soft */
		"---\n"
		HDR("Component") "metadata: {name: recs}\n---\n"
		HDR("Component") "metadata: {name: search}\n---\n"
		HDR("Component") "metadata: {name: auth}\n---\n"
		HDR("Resource") "metadata: {name: cache}\n---\n"
		HDR("Component") "metadata: {name: ads}\nspec: {providesApis: [ads-api]}\n";
	dc_catalog *cat;
	dc_diags *d;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "soft.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 2);  /* dependsOn without kinds */
	CU_ASSERT_EQUAL(dc_diags_count(d), 2);
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "search", DC_DEP_SOFT));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "auth", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "recs", DC_DEP_SOFT));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "cache", DC_DEP_SOFT));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "ads", DC_DEP_SOFT));
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "web")), 5);
	i = (size_t)th_dep_of(cat, "web", "search");
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).line, 8);
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).column, 15);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, i), "dependsOn");
	i = (size_t)th_dep_of(cat, "web", "recs");
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).line, 6);
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).column, 37);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, i), "depcheck.dev/soft-dependencies");
	th_done(cat, d);
}

/* ---- display names ------------------------------------------------------------------ */

static void test_display_names(void)
{
	static const char *y =
		HDR("Component") "metadata: {name: web}\n---\n"
		HDR("Component") "metadata: {name: web, namespace: shop}\n---\n"
		HDR("Component") "metadata: {name: store}\n---\n"
		HDR("Resource") "metadata: {name: store}\n---\n"
		HDR("Component") "metadata: {name: Unique}\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_id id;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "names.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "web", &id), DC_EAMBIGUOUS);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "component:default/web", &id), 0);
	/* shortest unique form: "default/web" (11) beats "component:web" (13) */
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, id), "default/web");
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "shop/web", &id), 0);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, id), "shop/web");
	CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, id), "component:shop/web");
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "resource:store", &id), 0);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, id), "resource:store");
	/* names keep their case; refs are lowercase; lookups ignore case */
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "unique", &id), 0);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, id), "Unique");
	CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, id), "component:default/unique");
	th_done(cat, d);
}

/* ---- kinds and diagnostics ------------------------------------------------------------ */

static void test_kinds(void)
{
	static const char *y =
		HDR("User") "metadata: {name: guest}\n---\n"
		HDR("User") "metadata: {name: guest, namespace: dev}\n---\n"
		HDR("Group") "metadata: {name: team}\nspec: {type: team, children: []}\n---\n"
		HDR("System") "metadata: {name: sys}\nspec: {owner: team}\n---\n"
		HDR("Domain") "metadata: {name: dom}\n---\n"
		"apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\n---\n"
		HDR("AiResource") "metadata: {name: rule}\n---\n"        /* kind at line 28 */
		"---\n"                                                  /* empty document */
		HDR("component") "metadata: {name: only}\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "kinds.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT(th_find_diag(d, "unknown kind 'AiResource' ignored", 28, 7) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 1);
	CU_ASSERT(th_id(cat, "only") != DC_NO_ID);
	th_done(cat, d);
}

static void test_error_positions(void)
{
	static const char *y =
		HDR("Component")                 /* 1-2 */
		"metadata:\n"                     /* 3 */
		"  title: no name\n"              /* 4 */
		"---\n"                           /* 5 */
		HDR("Component")                 /* 6-7 */
		"metadata:\n"                     /* 8 */
		"  name: a\n"                     /* 9 */
		"spec:\n"                         /* 10 */
		"  dependsOn: b\n"                /* 11 */
		"  dependencyOf:\n"               /* 12 */
		"    - {name: c}\n"               /* 13 */
		"    - 'x/y/z'\n"                 /* 14 */
		"  apiConsumedBy: [d]\n"          /* 15 */
		"  owner: [t]\n"                  /* 16 */
		"---\n"                           /* 17 */
		"- just\n- a list\n"              /* 18-19 */
		"---\n"                           /* 20 */
		"kind: Component\n"               /* 21 */
		"metadata: {name: q}\n"           /* 22 */
		"---\n"                           /* 23 */
		HDR("Component")                 /* 24-25 */
		"metadata: {name: 'bad:name'}\n"  /* 26 */
		"---\n"                           /* 27 */
		HDR("Component")                 /* 28-29 */
		"metadata: {name: ok}\n"          /* 30 */
		"spec: [1]\n";                    /* 31 */
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "err.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT(th_find_diag(d, "Component entity without metadata.name; it is ignored", 3, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "dependsOn of 'a' must be a list of entity references, not string", 11, 14) >= 0);
	CU_ASSERT(th_find_diag(d, "an entry of dependencyOf of 'a' must be an entity reference, not mapping", 13, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "invalid entity reference 'x/y/z' in dependencyOf of 'a'", 14, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown field 'apiConsumedBy' in spec of 'a'", 15, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "owner of 'a' must be an entity reference, not sequence", 16, 10) >= 0);
	CU_ASSERT(th_find_diag(d, "a Backstage entity must be a mapping", 18, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "entity without 'apiVersion'", 21, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "invalid metadata.name 'bad:name'", 26, 18) >= 0);
	CU_ASSERT(th_find_diag(d, "spec of 'ok' must be a mapping, not sequence", 31, 7) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 10); /* the list: one per item */
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 1);
	/* the documents around the broken ones still load */
	CU_ASSERT(th_id(cat, "a") != DC_NO_ID);
	CU_ASSERT(th_id(cat, "ok") != DC_NO_ID);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2);
	th_done(cat, d);
}

/* The same relation declared at both ends (b dependsOn a, a dependencyOf
 * b) is one edge; the warning names both services by their display names,
 * not the text of the second declaration (which names b itself). */
static void test_duplicate_relation(void)
{
	static const char *y =
		HDR("Component") "metadata: {name: b, namespace: x}\n"           /* 1-3 */
		"spec: {dependsOn: [component:a]}\n---\n"                         /* 4-5 */
		HDR("Component") "metadata: {name: a, namespace: x}\n"           /* 6-8 */
		"spec: {dependencyOf: ['component:x/b']}\n---\n"                  /* 9-10 */
		HDR("Component") "metadata: {name: a}\n";                         /* another a */
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "dup.yaml", y, DC_FORMAT_AUTO);
	CU_ASSERT_TRUE(th_has_dep(cat, "b", "x/a", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "b")), 1);
	CU_ASSERT(th_find_diag(d, "duplicate dependency of 'b' on 'x/a'; the first one is kept", 9, 23) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	th_done(cat, d);
}

/* A catalog of Groups, Users, APIs, Systems, Domains only is valid: no
 * service, and a note saying what it held. */
static void test_no_service_entities(void)
{
	static const char *y =
		HDR("Group") "metadata: {name: team}\nspec: {type: team, children: []}\n---\n"
		HDR("User") "metadata: {name: ann}\nspec: {memberOf: [team]}\n---\n"
		HDR("User") "metadata: {name: bob}\n---\n"
		HDR("API") "metadata: {name: orders}\nspec: {type: openapi}\n---\n"
		HDR("System") "metadata: {name: shop}\n---\n"
		HDR("Domain") "metadata: {name: retail}\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "org.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 0);
	CU_ASSERT(th_find_diag(d, "no services: the input holds 1 Group, 2 User, 1 API, 1 System, 1 Domain "
			       "entities (Backstage); only Component and Resource entities become services",
			       0, 0) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT_EQUAL(dc_diags_get(d, 0)->severity, DC_SEV_NOTE);
	th_done(cat, d);
	/* with one Component, nothing to say */
	th_load(&cat, &d, "org.yaml", HDR("Group") "metadata: {name: team}\n---\n"
		HDR("Component") "metadata: {name: web}\n", DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	th_done(cat, d);
	/* no entity at all is still no input */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "org.yaml", "apiVersion: backstage.io/v1alpha1\n", DC_FORMAT_BACKSTAGE),
			DC_EINVALID);
	th_done(cat, d);
}

static void test_duplicate_entity(void)
{
	static const char *y =
		HDR("Component") "metadata: {name: a}\n---\n"
		HDR("Component") "metadata: {name: A}\n";   /* refs compare without case */
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "dup.yaml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "service 'component:default/a' is defined twice: here and at dup.yaml:3:18",
			       7, 18) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 1);
	th_done(cat, d);
}

static void test_json_entities(void)
{
	static const char *j =
		"[\n"
		" {\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"Component\",\n"
		"  \"metadata\": {\"name\": \"a\"}, \"spec\": {\"dependsOn\": [\"component:b\"]}},\n"
		" {\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"Component\",\n"
		"  \"metadata\": {\"name\": \"b\"}}\n"
		"]\n";
	dc_catalog *cat;
	dc_diags *d;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "cat.json", j, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	i = (size_t)th_dep_of(cat, "a", "b");
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).line, 3);
	CU_ASSERT_EQUAL(dc_dep_location(cat, i).column, 53);
	th_done(cat, d);
}

static void test_forced_format(void)
{
	/* --input-format backstage on a file without backstage.io apiVersion */
	static const char *y = "apiVersion: v1\nkind: Component\nmetadata: {name: a}\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "f.yaml", y, DC_FORMAT_BACKSTAGE), 0);
	CU_ASSERT(th_id(cat, "a") != DC_NO_ID);
	th_done(cat, d);
}

/* ---- Locations (real files) ---------------------------------------------------------- */

static char tmproot[256];

static void put(const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmproot, rel);
	th_write_file(p, text);
}

static void mkd(const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmproot, rel);
	mkdir(p, 0700);
}

static int load_paths(dc_catalog **cat, dc_diags **d, const char *rel)
{
	char p[512];
	int rc, rf;
	snprintf(p, sizeof(p), "%s/%s", tmproot, rel);
	dc_diags_new(d);
	dc_catalog_new(cat);
	rc = dc_catalog_add_path(*cat, p, NULL, *d);
	rf = dc_catalog_finalize(*cat, *d);
	return rc ? rc : rf;
}

static int loc_init(void)
{
	return th_tmpdir(tmproot, sizeof(tmproot));
}

static int loc_clean(void)
{
	th_rmtree(tmproot);
	return 0;
}

#define COMP(n) HDR("Component") "metadata: {name: " n "}\n"

static void test_location_follow(void)
{
	dc_catalog *cat;
	dc_diags *d;
	char want[600];
	mkd("f");
	mkd("f/svc");
	mkd("f/more");
	put("f/catalog.yaml",
	    HDR("Location")                      /* 1-2 */
	    "metadata: {name: all}\n"             /* 3 */
	    "spec:\n"                             /* 4 */
	    "  target: ./svc/a.yaml\n"            /* 5 */
	    "  targets:\n"                        /* 6 */
	    "    - ./more/*.yaml\n"               /* 7 */
	    "    - svc/a.yaml\n"                  /* 8: twice: loaded once */
	    "    - https://example.com/x.yaml\n"  /* 9 */
	    "    - ./svc/missing.yaml\n"          /* 10 */
	    "    - ./none/*.yaml\n"               /* 11 */
	    "    - ./*.yaml\n"                    /* 12: matches this file: not a cycle */
	    "---\n"
	    COMP("top")
	    "spec: {dependsOn: [component:b]}\n");
	put("f/svc/a.yaml", COMP("a") "spec: {dependsOn: [component:c]}\n");
	put("f/more/b.yaml", COMP("b"));
	put("f/more/c.yaml", COMP("c") "spec: {dependsOn: [component:a]}\n");
	put("f/svc/unlisted.yaml", COMP("unlisted"));
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "f/catalog.yaml"), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 4);
	CU_ASSERT_EQUAL(dc_catalog_file_count(cat), 4);
	CU_ASSERT_TRUE(th_has_dep(cat, "top", "b", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "c", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "c", "a", DC_DEP_HARD));
	CU_ASSERT_EQUAL(th_id(cat, "unlisted"), DC_NO_ID);
	CU_ASSERT(th_find_diag(d, "remote Location target 'https://example.com/x.yaml' is not followed", 9, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "Location target './svc/missing.yaml' not found", 10, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "Location target './none/*.yaml' matches no file", 11, 7) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 3);
	/* files followed are named from the Location file's directory, normalized */
	snprintf(want, sizeof(want), "%s/f/svc/a.yaml", tmproot);
	CU_ASSERT_STRING_EQUAL(dc_service_location(cat, th_id(cat, "a")).file, want);
	th_done(cat, d);
	/* a directory walk and the Location reach the same files: still once each */
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "f"), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 5);
	CU_ASSERT_EQUAL(th_find_diag(d, "defined twice", 0, 0), -1);
	th_done(cat, d);
}

/* `**` matches any depth, as Backstage's reader (node-glob) does: zero or
 * more directories, not dot directories, not through symbolic links */
static void test_location_globstar(void)
{
	dc_catalog *cat;
	dc_diags *d;
	char p[600], t[600];
	mkd("g");
	mkd("g/a");
	mkd("g/a/b");
	mkd("g/a/b/c");
	mkd("g/.hidden");
	mkd("g/x");
	put("g/catalog.yaml",
	    HDR("Location") "metadata: {name: all}\nspec:\n"
	    "  targets: ['./**/*-component.yaml', 'a/**/c/*.yaml', '**/none-*.yaml']\n");
	put("g/top-component.yaml", COMP("top"));
	put("g/a/a-component.yaml", COMP("a") "spec: {dependsOn: [component:abc]}\n");
	put("g/a/b/ab-component.yaml", COMP("ab"));
	put("g/a/b/c/abc-component.yaml", COMP("abc"));
	put("g/a/b/c/plain.yaml", COMP("plain"));
	put("g/.hidden/h-component.yaml", COMP("hidden"));
	snprintf(p, sizeof(p), "%s/g/x/link", tmproot);
	snprintf(t, sizeof(t), "%s/g/a", tmproot);
	CU_ASSERT_EQUAL(symlink(t, p), 0);
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "g/catalog.yaml"), 0);
	CU_ASSERT(th_id(cat, "top") != DC_NO_ID);    /* `**` as no directory */
	CU_ASSERT(th_id(cat, "a") != DC_NO_ID);
	CU_ASSERT(th_id(cat, "ab") != DC_NO_ID);
	CU_ASSERT(th_id(cat, "abc") != DC_NO_ID);
	CU_ASSERT(th_id(cat, "plain") != DC_NO_ID);  /* a/<any>/c/ */
	CU_ASSERT_EQUAL(th_id(cat, "hidden"), DC_NO_ID);
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "abc", DC_DEP_HARD));
	CU_ASSERT(th_find_diag(d, "Location target '**/none-*.yaml' matches no file", 5, 55) >= 0);
	/* the link to g/a is not entered: each file is read once, no duplicate */
	CU_ASSERT_EQUAL(th_find_diag(d, "defined twice", 0, 0), -1);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 5);
	snprintf(t, sizeof(t), "%s/g/a/b/c/abc-component.yaml", tmproot);
	CU_ASSERT_STRING_EQUAL(dc_service_location(cat, th_id(cat, "abc")).file, t);
	th_done(cat, d);
}

static void test_location_escape(void)
{
	dc_catalog *cat;
	dc_diags *d;
	mkd("e");
	mkd("e/sub");
	put("e/outside.yaml", COMP("outside"));
	put("e/sub/loc.yaml",
	    HDR("Location")
	    "metadata: {name: esc}\n"
	    "spec:\n"
	    "  targets: [../outside.yaml, '../*.yaml']\n"
	    "---\n" COMP("inside"));
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "e/sub/loc.yaml"), 0);
	CU_ASSERT(th_find_diag(d, "Location target '../outside.yaml' is outside the catalog root; "
			       "it is not followed", 5, 13) >= 0);
	CU_ASSERT(th_find_diag(d, "Location target '../*.yaml' matches '", 5, 30) >= 0);
	CU_ASSERT(th_find_diag(d, "/e/outside.yaml', which is outside the catalog root", 5, 30) >= 0);
	CU_ASSERT_EQUAL(th_id(cat, "outside"), DC_NO_ID);
	CU_ASSERT(th_id(cat, "inside") != DC_NO_ID);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 2);
	th_done(cat, d);
}

static void test_location_cycle(void)
{
	dc_catalog *cat;
	dc_diags *d;
	mkd("c");
	put("c/a.yaml",
	    HDR("Location") "metadata: {name: la}\nspec: {target: ./b.yaml}\n---\n" COMP("ca"));
	put("c/b.yaml",
	    HDR("Location") "metadata: {name: lb}\nspec:\n  target: a.yaml\n---\n" COMP("cb"));
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "c/a.yaml"), 0);
	CU_ASSERT(th_find_diag(d, "Location cycle: a.yaml -> b.yaml -> a.yaml; it is not followed", 5, 11) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2);
	th_done(cat, d);
	/* a Location naming its own file */
	put("c/self.yaml", HDR("Location") "metadata: {name: s}\nspec: {target: self.yaml}\n---\n" COMP("s"));
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "c/self.yaml"), 0);
	CU_ASSERT(th_find_diag(d, "Location cycle: self.yaml -> self.yaml", 4, 16) >= 0);
	th_done(cat, d);
}

static void test_location_depth(void)
{
	dc_catalog *cat;
	dc_diags *d;
	char name[64], text[512];
	int i;
	mkd("deep");
	for (i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "deep/l%02d.yaml", i);
		snprintf(text, sizeof(text),
			 HDR("Location") "metadata: {name: l%d}\nspec: {target: ./l%02d.yaml}\n---\n"
			 HDR("Component") "metadata: {name: c%d}\n", i, i + 1, i);
		put(name, text);
	}
	put("deep/l70.yaml", COMP("last"));
	CU_ASSERT_EQUAL(load_paths(&cat, &d, "deep/l00.yaml"), 0);
	CU_ASSERT(th_find_diag(d, "Locations nested deeper than 64 levels; target './l65.yaml'", 4, 16) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 65);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	th_done(cat, d);
}

/* metadata.links: the first entry with a url is the service's link */
static void test_links(void)
{
	static const char *y =
		HDR("Component")
		"metadata:\n"
		"  name: shop\n"
		"  links:\n"
		"    - {title: no url here}\n"
		"    - {url: 'https://wiki.example/shop', title: Wiki}\n"
		"    - {url: 'https://second.example'}\n"
		"spec: {type: service, owner: team-a, lifecycle: production}\n"
		"---\n"
		HDR("Component")
		"metadata: {name: plain, links: []}\n"
		"spec: {type: service, owner: team-a, lifecycle: production}\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "links.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_STRING_EQUAL(dc_service_url(cat, th_id(cat, "shop")), "https://wiki.example/shop");
	CU_ASSERT_PTR_NULL(dc_service_url(cat, th_id(cat, "plain")));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

int suite_backstage(void)
{
	static const th_test tests[] = {
		{ "relations", test_relations },
		{ "ref_defaulting", test_ref_defaulting },
		{ "unresolved_ref", test_unresolved_ref },
		{ "consumes_provides", test_consumes_provides },
		{ "unknown_api", test_unknown_api },
		{ "attributes", test_attributes },
		{ "annotation_errors", test_annotation_errors },
		{ "soft_dependencies", test_soft_dependencies },
		{ "display_names", test_display_names },
		{ "kinds", test_kinds },
		{ "error_positions", test_error_positions },
		{ "duplicate_entity", test_duplicate_entity },
		{ "duplicate_relation", test_duplicate_relation },
		{ "no_service_entities", test_no_service_entities },
		{ "json_entities", test_json_entities },
		{ "forced_format", test_forced_format },
		{ "links", test_links },
		{ NULL, NULL }
	};
	static const th_test loc_tests[] = {
		{ "location_follow", test_location_follow },
		{ "location_escape", test_location_escape },
		{ "location_globstar", test_location_globstar },
		{ "location_cycle", test_location_cycle },
		{ "location_depth", test_location_depth },
		{ NULL, NULL }
	};
	CU_pSuite s;
	size_t i;
	if (th_suite("backstage", tests))
		return -1;
	s = CU_add_suite("backstage_locations", loc_init, loc_clean);
	if (!s)
		return -1;
	for (i = 0; loc_tests[i].name; i++)
		if (!CU_add_test(s, loc_tests[i].name, loc_tests[i].fn))
			return -1;
	return 0;
}
