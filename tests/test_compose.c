/*
 * test_compose.c - the Compose loader: every dependency form (depends_on
 * list and map, links, network_mode, volumes_from), replicas, x-depcheck
 * attributes and overrides, anchors and merge keys, and exact positions of
 * services, edges and errors.
 */
#include "helpers.h"

static void test_list_form(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"version: '3'\n"
		"services:\n"
		"  web:\n"
		"    image: nginx\n"
		"    depends_on:\n"
		"      - api\n"
		"      - cache\n"
		"  api:\n"
		"    image: api\n"
		"  cache: {image: redis}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 3);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 2);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT(th_svc_at(cat, "web", 3, 3, "c.yml"));
	CU_ASSERT(th_svc_at(cat, "api", 8, 3, "c.yml"));
	CU_ASSERT(th_svc_at(cat, "cache", 10, 3, "c.yml"));
	CU_ASSERT(th_has_dep(cat, "web", "api", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "web", "cache", DC_DEP_HARD));
	CU_ASSERT(th_dep_at(cat, "web", "api", 6, 9));
	CU_ASSERT(th_dep_at(cat, "web", "cache", 7, 9));
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)th_dep_of(cat, "web", "api")), "depends_on");
	CU_ASSERT_EQUAL(dc_service_format(cat, th_id(cat, "web")), DC_FORMAT_COMPOSE);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_map_form(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  web:\n"
		"    depends_on:\n"
		"      db:\n"
		"        condition: service_healthy\n"
		"        restart: true\n"
		"      migrate:\n"
		"        condition: service_completed_successfully\n"
		"      queue:\n"
		"        condition: service_started\n"
		"      metrics:\n"
		"        condition: service_started\n"
		"        required: false\n"
		"  db: {}\n"
		"  migrate: {}\n"
		"  queue: {}\n"
		"  metrics: {}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 4);
	CU_ASSERT(th_has_dep(cat, "web", "db", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "web", "migrate", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "web", "queue", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "web", "metrics", DC_DEP_SOFT));
	/* the key node is the location */
	CU_ASSERT(th_dep_at(cat, "web", "db", 4, 7));
	CU_ASSERT(th_dep_at(cat, "web", "migrate", 7, 7));
	CU_ASSERT(th_dep_at(cat, "web", "metrics", 11, 7));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_map_form_errors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  web:\n"
		"    depends_on:\n"
		"      db:\n"
		"        condition: service_ready\n"
		"      cache:\n"
		"        required: maybe\n"
		"      queue:\n"
		"        conditon: service_started\n"
		"      other: yes-please\n"
		"  db: {}\n"
		"  cache: {}\n"
		"  queue: {}\n"
		"  other: {}\n"
		"  bad:\n"
		"    depends_on: 42\n";
	th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "unknown condition 'service_ready' in depends_on of 'web'", 5, 20) >= 0);
	CU_ASSERT(th_find_diag(d, "required in depends_on of 'web' must be true or false", 7, 19) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown key 'conditon' in depends_on of 'web'", 9, 9) >= 0);
	CU_ASSERT(th_find_diag(d, "depends_on entry 'other' of 'web' must be a mapping", 10, 14) >= 0);
	CU_ASSERT(th_find_diag(d, "depends_on of 'bad' must be a list or a mapping, not integer", 16, 17) >= 0);
	/* a bad condition is reported, the edge still counts */
	CU_ASSERT(th_has_dep(cat, "web", "db", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "web", "cache", DC_DEP_HARD));
	CU_ASSERT_FALSE(th_has_dep(cat, "web", "other", -1));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_links_network_volumes(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  app:\n"
		"    links:\n"
		"      - db\n"
		"      - \"cache:redis\"\n"
		"    network_mode: service:vpn\n"
		"    volumes_from:\n"
		"      - data:ro\n"
		"      - logs\n"
		"      - conf:rw\n"
		"      - container:legacy\n"
		"    depends_on: [db]\n"
		"  other:\n"
		"    network_mode: host\n"
		"  db: {}\n"
		"  cache: {}\n"
		"  vpn: {}\n"
		"  data: {}\n"
		"  logs: {}\n"
		"  conf: {}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	/* the only warning: the container reference; links repeating depends_on is normal */
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT(th_find_diag(d, "volumes_from 'container:legacy' of 'app' names a container", 11, 9) >= 0);
	CU_ASSERT(th_has_dep(cat, "app", "db", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "app", "cache", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "app", "vpn", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "app", "data", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "app", "logs", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "app", "conf", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "app")), 6);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "other")), 0);
	/* db is named by depends_on (first, kept) and links */
	CU_ASSERT(th_dep_at(cat, "app", "db", 12, 18));
	CU_ASSERT(th_dep_at(cat, "app", "cache", 5, 9));
	CU_ASSERT(th_dep_at(cat, "app", "vpn", 6, 19));
	CU_ASSERT(th_dep_at(cat, "app", "data", 8, 9));
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)th_dep_of(cat, "app", "cache")), "links");
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)th_dep_of(cat, "app", "vpn")), "network_mode");
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)th_dep_of(cat, "app", "logs")), "volumes_from");
	CU_ASSERT_STRING_EQUAL(dc_dep_target_text(cat, (size_t)th_dep_of(cat, "app", "cache")), "cache");
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_replicas(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  a:\n"
		"    deploy:\n"
		"      replicas: 3\n"
		"      restart_policy: {condition: any}\n"
		"  b:\n"
		"    deploy: {replicas: \"4\"}\n"
		"  c:\n"
		"    scale: 2\n"
		"  d:\n"
		"    scale: 2\n"
		"    deploy: {replicas: 5}\n"
		"  e:\n"
		"    deploy: {replicas: \"${DC_TEST_UNSET_REPLICAS:-7}\"}\n"
		"  f:\n"
		"    deploy: {replicas: many}\n"
		"  g:\n"
		"    deploy: {replicas: 9}\n"
		"    x-depcheck: {replicas: 12}\n";
	th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "a")), 3);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "b")), 4);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "c")), 2);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "d")), 5);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "e")), 7); /* interpolated */
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "f")), 1);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "g")), 12);
	CU_ASSERT(th_find_diag(d, "replicas of 'f' must be an integer", 16, 24) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_xdepcheck(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long i;
	const char *y =
		"services:\n"
		"  web:\n"
		"    entrypoint: [\"nginx\", \"-g\"]\n"   /* Compose's entrypoint: not ours */
		"    depends_on:\n"
		"      api:\n"
		"        condition: service_started\n"
		"      db:\n"
		"        condition: service_healthy\n"
		"    links: [api]\n"
		"    x-depcheck:\n"
		"      tier: 1\n"
		"      owner: team-web\n"
		"      system: shop\n"
		"      zones: [eu-a, eu-b]\n"
		"      availability: 0.9995\n"
		"      slo: \"0.999\"\n"
		"      latency_ms: 12\n"
		"      entrypoint: true\n"
		"      tags: [edge]\n"
		"      description: front door\n"
		"      colour: blue\n"
		"      depends_on:\n"
		"        - service: api\n"
		"          kind: soft\n"
		"          timeout_ms: 250\n"
		"          retries: 2\n"
		"        - any_of: [search-eu, search-us]\n"
		"  api: {}\n"
		"  db: {}\n"
		"  search-eu: {}\n"
		"  search-us: {}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT(th_find_diag(d, "unknown key 'colour' in x-depcheck of 'web'", 21, 7) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1); /* no duplicate warning for api */
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "web")), 1);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, th_id(cat, "web")), "team-web");
	CU_ASSERT_STRING_EQUAL(dc_service_system(cat, th_id(cat, "web")), "shop");
	CU_ASSERT_STRING_EQUAL(dc_service_description(cat, th_id(cat, "web")), "front door");
	CU_ASSERT_EQUAL(dc_service_zone_count(cat, th_id(cat, "web")), 2);
	CU_ASSERT_EQUAL(dc_service_tag_count(cat, th_id(cat, "web")), 1);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, th_id(cat, "web")), 0.9995, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, th_id(cat, "web")), 0.999, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, th_id(cat, "web")), 12, 1e-12);
	CU_ASSERT(dc_service_entrypoint_explicit(cat, th_id(cat, "web")));
	/* api: one edge, the x-depcheck one (soft, 250 ms), compose's depends_on
	 * and links to it are replaced */
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "web")), 4);
	i = th_dep_of(cat, "web", "api");
	CU_ASSERT_FATAL(i >= 0);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)i), DC_DEP_SOFT);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)i), 250);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)i), 2);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)i), "x-depcheck");
	CU_ASSERT(th_dep_at(cat, "web", "api", 23, 20));
	/* db: the plain compose edge */
	CU_ASSERT(th_has_dep(cat, "web", "db", DC_DEP_HARD));
	CU_ASSERT(th_dep_at(cat, "web", "db", 7, 7));
	/* the any_of group */
	CU_ASSERT(dc_dep_group(cat, (size_t)th_dep_of(cat, "web", "search-eu")) != 0);
	CU_ASSERT_EQUAL(dc_dep_group(cat, (size_t)th_dep_of(cat, "web", "search-eu")),
			dc_dep_group(cat, (size_t)th_dep_of(cat, "web", "search-us")));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_xdepcheck_errors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  a:\n"
		"    x-depcheck: [tier, 1]\n"
		"  b:\n"
		"    x-depcheck:\n"
		"      tier: 7\n"
		"      depends_on: a\n";
	th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "x-depcheck of 'a' must be a mapping, not sequence", 3, 17) >= 0);
	CU_ASSERT(th_find_diag(d, "tier of 'b' is out of range", 6, 13) >= 0);
	CU_ASSERT(th_find_diag(d, "x-depcheck of 'b' must be a list, not string", 7, 19) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_anchors_and_merge(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"x-common: &common\n"
		"  restart: always\n"
		"  depends_on:\n"
		"    - consul\n"
		"  x-depcheck: &dc\n"
		"    owner: platform\n"
		"    tier: 2\n"
		"x-deploy: &deploy\n"
		"  deploy:\n"
		"    replicas: 3\n"
		"services:\n"
		"  consul: {}\n"
		"  geo:\n"
		"    <<: [*common, *deploy]\n"
		"    image: geo\n"
		"  rate:\n"
		"    <<: *common\n"
		"    x-depcheck:\n"
		"      <<: *dc\n"
		"      tier: 1\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 3);
	CU_ASSERT(th_has_dep(cat, "geo", "consul", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "rate", "consul", DC_DEP_HARD));
	/* merged-in entries point into the anchored block */
	CU_ASSERT(th_dep_at(cat, "geo", "consul", 4, 7));
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "geo")), 3);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "rate")), 1);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, th_id(cat, "geo")), "platform");
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "geo")), 2);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, th_id(cat, "rate")), "platform");
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "rate")), 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_service_shapes(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"version: '3.8'\n"
		"name: demo\n"
		"networks: {}\n"
		"volumes: {}\n"
		"secrets: {}\n"
		"configs: {}\n"
		"x-anything: 1\n"
		"servces: {}\n"
		"services:\n"
		"  empty:\n"
		"  scalar: nginx\n"
		"  user:\n"
		"    depends_on: [empty, scalar, ghost, \"\"]\n";
	th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "unknown top-level key 'servces'", 8, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "service 'empty' has an empty definition", 0, 0) >= 0);
	CU_ASSERT(th_find_diag(d, "service 'scalar' must be a mapping, not string", 11, 11) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown service 'ghost' in depends_on of 'user'", 13, 33) >= 0);
	CU_ASSERT(th_find_diag(d, "depends_on of 'user' must name a service, found an empty string", 13, 40) >= 0);
	/* both odd services exist, so references to them resolve */
	CU_ASSERT(th_has_dep(cat, "user", "empty", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "user", "scalar", DC_DEP_HARD));
	CU_ASSERT(dc_service_is_external(cat, th_id(cat, "ghost")));
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 3);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 2);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_wrong_types(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  a:\n"
		"    links: db\n"
		"    network_mode: [x]\n"
		"    volumes_from: {x: 1}\n"
		"    deploy: 3\n"
		"  b:\n"
		"    links: [\":alias\"]\n"
		"    network_mode: \"service:\"\n";
	th_load(&cat, &d, "c.yml", y, DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "links of 'a' must be a list, not string", 3, 12) >= 0);
	CU_ASSERT(th_find_diag(d, "network_mode of 'a' must be a string, not sequence", 4, 19) >= 0);
	CU_ASSERT(th_find_diag(d, "volumes_from of 'a' must be a list, not mapping", 5, 19) >= 0);
	CU_ASSERT(th_find_diag(d, "deploy of 'a' must be a mapping, not integer", 6, 13) >= 0);
	CU_ASSERT(th_find_diag(d, "links of 'b': ':alias' names no service", 8, 13) >= 0);
	CU_ASSERT(th_find_diag(d, "'service:' names no service", 9, 19) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_services_not_mapping(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y = "services:\n  - name: a\n";
	/* a sequence is the native format; forced to compose it is an error */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", y, DC_FORMAT_COMPOSE), DC_EPARSE);
	CU_ASSERT(th_find_diag(d, "services must be a mapping of service names, not sequence", 2, 3) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_json_compose(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *j =
		"{\"services\": {\n"
		"  \"a\": {\"depends_on\": {\"b\": {\"condition\": \"service_started\", \"required\": false}}},\n"
		"  \"b\": {}\n"
		"}}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "c.yml", j, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT(th_has_dep(cat, "a", "b", DC_DEP_SOFT));
	CU_ASSERT(th_svc_at(cat, "a", 2, 3, "c.yml"));
	CU_ASSERT(th_dep_at(cat, "a", "b", 2, 24));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_realworld_social_network(void)
{
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load_path(&cat, &d, DC_TESTDATA "/realworld/deathstarbench/socialNetwork/docker-compose.yml"), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 27);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 19);
	CU_ASSERT(th_has_dep(cat, "social-graph-service", "social-graph-mongodb", DC_DEP_HARD));
	CU_ASSERT(th_dep_at(cat, "social-graph-service", "jaeger-agent", 9, 7));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

int suite_compose(void)
{
	static const th_test tests[] = {
		{ "list form", test_list_form },
		{ "map form and conditions", test_map_form },
		{ "map form errors", test_map_form_errors },
		{ "links, network_mode, volumes_from", test_links_network_volumes },
		{ "replicas and scale", test_replicas },
		{ "x-depcheck attributes and overrides", test_xdepcheck },
		{ "x-depcheck errors", test_xdepcheck_errors },
		{ "anchors and merge keys", test_anchors_and_merge },
		{ "service shapes and top-level keys", test_service_shapes },
		{ "wrong types", test_wrong_types },
		{ "services not a mapping", test_services_not_mapping },
		{ "JSON compose", test_json_compose },
		{ "realworld socialNetwork", test_realworld_social_network },
		{ NULL, NULL }
	};
	return th_suite("compose", tests);
}
