/*
 * test_native.c - the native format (docs/inputs.md, native format and diagnostics): every form of
 * dependency, defaults, every service attribute, JSON and YAML giving the
 * same catalog, and the exact FILE:LINE:COLUMN and text of every
 * diagnostic class.
 */
#include "helpers.h"

#include <stdio.h>

#define EXPECT_DIAG(d, sev, line, col, msg) do { \
		int ok_ = th_has_diag((d), (int)(sev), NULL, (line), (col), (msg)); \
		if (!ok_) { fprintf(stderr, "\nmissing %u:%u %s\n", (unsigned)(line), (unsigned)(col), (msg)); th_print_diags(d); } \
		CU_ASSERT_TRUE(ok_); \
	} while (0)

static const char *full_yaml =
	"depcheck: 1\n"                                           /* 1 */
	"defaults: { availability: 0.99, timeout_ms: 700, retries: 1, tier: 3, replicas: 2, slo: 0.95, latency_ms: 4 }\n"
	"services:\n"                                             /* 3 */
	"  - name: web\n"                                         /* 4 */
	"    owner: team-web\n"
	"    system: shop\n"
	"    description: the storefront\n"
	"    tier: 1\n"
	"    entrypoint: true\n"
	"    replicas: 6\n"                                       /* 10 */
	"    zones: [eu-a, eu-b]\n"
	"    availability: 0.9995\n"
	"    slo: 0.999\n"
	"    latency_ms: 12.5\n"
	"    tags: [grpc, public]\n"                              /* 15 */
	"    depends_on:\n"
	"      - api\n"                                           /* 17 */
	"      - service: search\n"                               /* 18 */
	"        kind: soft\n"
	"        timeout_ms: 300\n"
	"        retries: 2\n"
	"        stage: 1\n"
	"      - any_of: [db-eu, {service: db-us, kind: soft, timeout_ms: 50, retries: 3, stage: 2}]\n"
	"        timeout_ms: 900\n"                               /* 24 */
	"  - name: api\n"                                         /* 25 */
	"    depends_on: [db-eu]\n"
	"  - name: search\n"
	"    entrypoint: false\n"
	"  - name: db-eu\n"
	"  - name: db-us\n"
	"  - name: ext\n"
	"    external: true\n";

static void check_full(const dc_catalog *cat, int yaml_positions)
{
	dc_id web = th_id(cat, "web"), api = th_id(cat, "api"), search = th_id(cat, "search");
	dc_id dbus = th_id(cat, "db-us"), ext = th_id(cat, "ext");
	long d;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_service_count(cat), 6);
	CU_ASSERT_FATAL(web != DC_NO_ID && api != DC_NO_ID && search != DC_NO_ID && dbus != DC_NO_ID &&
			ext != DC_NO_ID);
	/* every attribute written */
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, web), "team-web");
	CU_ASSERT_STRING_EQUAL(dc_service_system(cat, web), "shop");
	CU_ASSERT_STRING_EQUAL(dc_service_description(cat, web), "the storefront");
	CU_ASSERT_EQUAL(dc_service_tier(cat, web), 1);
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, web));
	CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, web));
	CU_ASSERT_EQUAL(dc_service_replicas(cat, web), 6);
	CU_ASSERT_EQUAL_FATAL(dc_service_zone_count(cat, web), 2);
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, web, 0), "eu-a");
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, web, 1), "eu-b");
	CU_ASSERT_PTR_NULL(dc_service_zone(cat, web, 2));
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, web), 0.9995, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, web), 0.999, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, web), 12.5, 1e-12);
	CU_ASSERT_EQUAL_FATAL(dc_service_tag_count(cat, web), 2);
	CU_ASSERT_STRING_EQUAL(dc_service_tag(cat, web, 0), "grpc");
	CU_ASSERT_STRING_EQUAL(dc_service_tag(cat, web, 1), "public");
	CU_ASSERT_FALSE(dc_service_is_external(cat, web));
	CU_ASSERT_EQUAL(dc_service_format(cat, web), DC_FORMAT_NATIVE);
	if (yaml_positions) {
		CU_ASSERT_EQUAL(dc_service_location(cat, web).line, 4);
		CU_ASSERT_EQUAL(dc_service_location(cat, web).column, 11);
	}
	/* defaults applied where nothing was written */
	CU_ASSERT_PTR_NULL(dc_service_owner(cat, api));
	CU_ASSERT_PTR_NULL(dc_service_system(cat, api));
	CU_ASSERT_PTR_NULL(dc_service_description(cat, api));
	CU_ASSERT_EQUAL(dc_service_tier(cat, api), 3);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, api), 2);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, api), 0.99, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, api), 0.95, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, api), 4, 1e-12);
	CU_ASSERT_EQUAL(dc_service_zone_count(cat, api), 0);
	CU_ASSERT_EQUAL(dc_service_tag_count(cat, api), 0);
	/* entrypoints: explicit yes, explicit no, default */
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, api));        /* web depends on it */
	CU_ASSERT_FALSE(dc_service_entrypoint_explicit(cat, api));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, search));
	CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, search));
	/* declared external: external, never an entrypoint by default */
	CU_ASSERT_TRUE(dc_service_is_external(cat, ext));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, ext));

	/* dependencies of web in declaration order: api, search, db-eu, db-us */
	CU_ASSERT_EQUAL_FATAL(dc_service_dep_count(cat, web), 4);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 5);
	d = th_dep_of(cat, "web", "api");
	CU_ASSERT_EQUAL_FATAL(d, (long)dc_service_dep_first(cat, web));
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, d), DC_DEP_HARD);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, d), 700);  /* defaults */
	CU_ASSERT_EQUAL(dc_dep_retries(cat, d), 1);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, d), 0);
	CU_ASSERT_EQUAL(dc_dep_group(cat, d), 0);
	CU_ASSERT_STRING_EQUAL(dc_dep_target_text(cat, d), "api");
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, d), "depends_on");
	CU_ASSERT_FALSE(dc_dep_is_inferred(cat, d));
	if (yaml_positions) {
		CU_ASSERT_EQUAL(dc_dep_location(cat, d).line, 17);
		CU_ASSERT_EQUAL(dc_dep_location(cat, d).column, 9);
	}
	CU_ASSERT_EQUAL(dc_dep_from(cat, d), web);
	CU_ASSERT_EQUAL(dc_dep_to(cat, d), api);
	d = th_dep_of(cat, "web", "search");
	CU_ASSERT_EQUAL_FATAL(d, (long)dc_service_dep_first(cat, web) + 1);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, d), DC_DEP_SOFT);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, d), 300);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, d), 2);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, d), 1);
	CU_ASSERT_EQUAL(dc_dep_group(cat, d), 0);
	if (yaml_positions) {
		CU_ASSERT_EQUAL(dc_dep_location(cat, d).line, 18);
		CU_ASSERT_EQUAL(dc_dep_location(cat, d).column, 18);
	}
	{
		long a = th_dep_of(cat, "web", "db-eu"), b = th_dep_of(cat, "web", "db-us");
		CU_ASSERT_EQUAL_FATAL(a, (long)dc_service_dep_first(cat, web) + 2);
		CU_ASSERT_EQUAL_FATAL(b, (long)dc_service_dep_first(cat, web) + 3);
		CU_ASSERT_NOT_EQUAL(dc_dep_group(cat, a), 0);
		CU_ASSERT_EQUAL(dc_dep_group(cat, a), dc_dep_group(cat, b));
		/* a string member takes the entry's options, a map member overrides them */
		CU_ASSERT_EQUAL(dc_dep_kind_of(cat, a), DC_DEP_HARD);
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, a), 900);
		CU_ASSERT_EQUAL(dc_dep_retries(cat, a), 1);
		CU_ASSERT_EQUAL(dc_dep_kind_of(cat, b), DC_DEP_SOFT);
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, b), 50);
		CU_ASSERT_EQUAL(dc_dep_retries(cat, b), 3);
		CU_ASSERT_EQUAL(dc_dep_stage(cat, b), 2);
		/* api's own dependency on db-eu is outside any group, with a group id of its own */
		d = th_dep_of(cat, "api", "db-eu");
		CU_ASSERT_FATAL(d >= 0);
		CU_ASSERT_EQUAL(dc_dep_group(cat, d), 0);
	}
}

static void test_full_yaml(void)
{
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "full.yaml", full_yaml, DC_FORMAT_AUTO), 0);
	if (dc_diags_count(d))
		th_print_diags(d);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	check_full(cat, 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* The same catalog in JSON gives the same model (positions aside). */
static void test_json_same_as_yaml(void)
{
	static const char *j =
		"{\"depcheck\": 1,\n"
		" \"defaults\": {\"availability\": 0.99, \"timeout_ms\": 700, \"retries\": 1, \"tier\": 3,"
		" \"replicas\": 2, \"slo\": 0.95, \"latency_ms\": 4},\n"
		" \"services\": [\n"
		"  {\"name\": \"web\", \"owner\": \"team-web\", \"system\": \"shop\", \"description\": \"the storefront\",\n"
		"   \"tier\": 1, \"entrypoint\": true, \"replicas\": 6, \"zones\": [\"eu-a\", \"eu-b\"],\n"
		"   \"availability\": 0.9995, \"slo\": 0.999, \"latency_ms\": 12.5, \"tags\": [\"grpc\", \"public\"],\n"
		"   \"depends_on\": [\"api\",\n"
		"     {\"service\": \"search\", \"kind\": \"soft\", \"timeout_ms\": 300, \"retries\": 2, \"stage\": 1},\n"
		"     {\"any_of\": [\"db-eu\", {\"service\": \"db-us\", \"kind\": \"soft\", \"timeout_ms\": 50,"
		" \"retries\": 3, \"stage\": 2}], \"timeout_ms\": 900}]},\n"
		"  {\"name\": \"api\", \"depends_on\": [\"db-eu\"]},\n"
		"  {\"name\": \"search\", \"entrypoint\": false},\n"
		"  {\"name\": \"db-eu\"}, {\"name\": \"db-us\"}, {\"name\": \"ext\", \"external\": true}\n"
		" ]}\n";
	dc_catalog *cy, *cj;
	dc_diags *dy, *dj;
	size_t i;
	CU_ASSERT_EQUAL(th_load(&cy, &dy, "full.yaml", full_yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(th_load(&cj, &dj, "full.json", j, DC_FORMAT_AUTO), 0);
	if (dc_diags_count(dj))
		th_print_diags(dj);
	CU_ASSERT_EQUAL(dc_diags_count(dj), 0);
	/* the JSON catalog passes the same checks, except positions */
	CU_ASSERT_EQUAL_FATAL(dc_catalog_service_count(cj), dc_catalog_service_count(cy));
	CU_ASSERT_EQUAL_FATAL(dc_catalog_dep_count(cj), dc_catalog_dep_count(cy));
	for (i = 0; i < dc_catalog_service_count(cy); i++) {
		dc_id s = (dc_id)i;
		CU_ASSERT_STRING_EQUAL(dc_service_name(cj, s), dc_service_name(cy, s));
		CU_ASSERT_EQUAL(dc_service_tier(cj, s), dc_service_tier(cy, s));
		CU_ASSERT_EQUAL(dc_service_replicas(cj, s), dc_service_replicas(cy, s));
		CU_ASSERT_EQUAL(dc_service_is_entrypoint(cj, s), dc_service_is_entrypoint(cy, s));
		CU_ASSERT_EQUAL(dc_service_entrypoint_explicit(cj, s), dc_service_entrypoint_explicit(cy, s));
		CU_ASSERT_EQUAL(dc_service_is_external(cj, s), dc_service_is_external(cy, s));
		CU_ASSERT_EQUAL(dc_service_availability(cj, s), dc_service_availability(cy, s));
		CU_ASSERT_EQUAL(dc_service_slo(cj, s), dc_service_slo(cy, s));
		CU_ASSERT_EQUAL(dc_service_latency_ms(cj, s), dc_service_latency_ms(cy, s));
		CU_ASSERT_EQUAL(dc_service_zone_count(cj, s), dc_service_zone_count(cy, s));
		CU_ASSERT_EQUAL(dc_service_tag_count(cj, s), dc_service_tag_count(cy, s));
		CU_ASSERT_EQUAL(dc_service_dep_first(cj, s), dc_service_dep_first(cy, s));
		CU_ASSERT_EQUAL(dc_service_dep_count(cj, s), dc_service_dep_count(cy, s));
	}
	for (i = 0; i < dc_catalog_dep_count(cy); i++) {
		CU_ASSERT_EQUAL(dc_dep_from(cj, i), dc_dep_from(cy, i));
		CU_ASSERT_EQUAL(dc_dep_to(cj, i), dc_dep_to(cy, i));
		CU_ASSERT_EQUAL(dc_dep_kind_of(cj, i), dc_dep_kind_of(cy, i));
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(cj, i), dc_dep_timeout_ms(cy, i));
		CU_ASSERT_EQUAL(dc_dep_retries(cj, i), dc_dep_retries(cy, i));
		CU_ASSERT_EQUAL(dc_dep_stage(cj, i), dc_dep_stage(cy, i));
		CU_ASSERT_EQUAL(dc_dep_group(cj, i) != 0, dc_dep_group(cy, i) != 0);
	}
	check_full(cj, 0);
	/* JSON positions: web's name value at 4:12, the "api" dependency at 7:19 */
	CU_ASSERT_EQUAL(dc_service_location(cj, th_id(cj, "web")).line, 4);
	CU_ASSERT_EQUAL(dc_service_location(cj, th_id(cj, "web")).column, 12);
	CU_ASSERT_EQUAL(dc_dep_location(cj, th_dep_of(cj, "web", "api")).line, 7);
	CU_ASSERT_EQUAL(dc_dep_location(cj, th_dep_of(cj, "web", "api")).column, 19);
	dc_catalog_free(cy);
	dc_catalog_free(cj);
	dc_diags_free(dy);
	dc_diags_free(dj);
}

/* Without a defaults section, the built-in defaults of catalog_build.h. */
static void test_builtin_defaults(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id a;
	long e;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "x.yaml", "services:\n  - name: a\n    depends_on: [b]\n  - name: b\n",
				DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	a = th_id(cat, "a");
	CU_ASSERT_FATAL(a != DC_NO_ID);
	CU_ASSERT_EQUAL(dc_service_tier(cat, a), 0);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, a), 1);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, a), 0.999, 1e-12);
	CU_ASSERT_TRUE(dc_service_slo(cat, a) < 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, a), 0, 1e-12);
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, a));
	CU_ASSERT_FALSE(dc_service_entrypoint_explicit(cat, a));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "b")));
	e = th_dep_of(cat, "a", "b");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, e), 1000);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, e), 0);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, e), 0);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, e), DC_DEP_HARD);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Entrypoints: explicit true on a depended-on service, explicit false on a
 * root, and a cycle where nothing is a root. */
static void test_entrypoints(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  - {name: root, entrypoint: false, depends_on: [mid]}\n"
		"  - {name: mid, entrypoint: true, depends_on: [leaf]}\n"
		"  - {name: leaf}\n"
		"  - {name: c1, depends_on: [c2]}\n"
		"  - {name: c2, depends_on: [c1]}\n"
		"  - {name: lone}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "e.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "root")));
	CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, th_id(cat, "root")));
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "mid")));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "leaf")));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "c1")));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "c2")));
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "lone")));
	CU_ASSERT_FALSE(dc_service_entrypoint_explicit(cat, th_id(cat, "lone")));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Schema errors and warnings: exact position and text of each class. */
static void test_schema_diagnostics(void)
{
	const char *y =
		"depcheck: 1\n"                                   /* 1 */
		"servcies: []\n"                                  /* 2 unknown top key */
		"defaults: {retries: many, timeut_ms: 5}\n"       /* 3 */
		"services:\n"                                     /* 4 */
		"  - name: a\n"                                   /* 5 */
		"    tiers: 2\n"                                  /* 6 */
		"    colour: red\n"                               /* 7 no suggestion */
		"    tier: 7\n"                                   /* 8 */
		"    replicas: 99999999999999999999\n"            /* 9 */
		"    availability: 1.5\n"                         /* 10 */
		"    slo: 0\n"                                    /* 11 */
		"    latency_ms: fast\n"                          /* 12 */
		"    owner: [x]\n"                                /* 13 */
		"    entrypoint: maybe\n"                         /* 14 */
		"    zones: eu-a\n"                               /* 15 */
		"    tags: [ok, {k: v}]\n"                        /* 16 */
		"    depends_on:\n"                               /* 17 */
		"      - service: b\n"                            /* 18 */
		"        kind: medium\n"                          /* 19 */
		"        timeout_ms: -1\n"                        /* 20 */
		"        retries: 101\n"                          /* 21 */
		"        stage: 1.5\n"                            /* 22 */
		"        timout: 3\n"                             /* 23 */
		"      - b\n"                                     /* 24 duplicate */
		"      - a\n"                                     /* 25 self */
		"      - nowhere\n"                               /* 26 unknown */
		"      - any_of: [b]\n"                           /* 27 single member */
		"      - any_of: []\n"                            /* 28 empty */
		"      - {service: b, any_of: [c]}\n"             /* 29 both */
		"      - {kind: soft}\n"                          /* 30 neither */
		"      - [b]\n"                                   /* 31 */
		"      - ~\n"                                     /* 32 */
		"  - name: b\n"                                   /* 33 */
		"    depends_on: nowhere\n"                       /* 34 */
		"  - owner: x\n"                                  /* 35 */
		"  - name: a\n"                                   /* 36 duplicate */
		"  - name: ''\n"                                  /* 37 */
		"  - name: true\n"                                /* 38 */
		"  - just-a-string\n"                             /* 39 */
		"  - name: c\n"                                   /* 40 */
		"    depends_on: [nowhere]\n";                    /* 41 second unknown reference */
	dc_catalog *cat;
	dc_diags *d;
	dc_id nw;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "s.yaml", y, DC_FORMAT_AUTO), 0);
#define E(l, c, m) EXPECT_DIAG(d, DC_SEV_ERROR, l, c, m)
#define W(l, c, m) EXPECT_DIAG(d, DC_SEV_WARNING, l, c, m)
	W(2, 1, "unknown key 'servcies' in the catalog (did you mean 'services'?)");
	E(3, 21, "retries of 'defaults' must be an integer, not string");
	W(3, 27, "unknown key 'timeut_ms' in defaults (did you mean 'timeout_ms'?)");
	W(6, 5, "unknown key 'tiers' in service 'a' (did you mean 'tier'?)");
	W(7, 5, "unknown key 'colour' in service 'a'");
	E(8, 11, "tier of 'a' is out of range: 7 (expected 1 to 4)");
	E(9, 15, "replicas of 'a' is out of range: 99999999999999999999 (expected 0 to 1000000)");
	E(10, 19, "availability of 'a' is out of range: 1.5 (expected more than 0 to 1)");
	E(11, 10, "slo of 'a' is out of range: 0 (expected more than 0 to 1)");
	E(12, 17, "latency_ms of 'a' must be a number, not string");
	E(13, 12, "owner of 'a' must be a string, not sequence");
	E(14, 17, "entrypoint of 'a' must be true or false, not string");
	E(15, 12, "zones of 'a' must be a list of strings, not string");
	E(16, 16, "tags of 'a' must be a list of strings, found mapping");
	E(19, 15, "kind of a dependency of 'a' must be 'hard' or 'soft', not 'medium'");
	E(20, 21, "timeout_ms of 'a' is out of range: -1 (expected 0 to 86400000)");
	E(21, 18, "retries of 'a' is out of range: 101 (expected 0 to 100)");
	E(22, 16, "stage of 'a' must be an integer, not number");
	W(23, 9, "unknown key 'timout' in a dependency (did you mean 'timeout_ms'?)");
	W(24, 9, "duplicate dependency of 'a' on 'b'; the first one is kept");
	E(25, 9, "service 'a' depends on itself (depends_on); the dependency is ignored");
	E(26, 9, "unknown service 'nowhere' in depends_on of 'a'");
	W(27, 17, "any_of of 'a' has a single member: it is an ordinary dependency");
	E(28, 17, "any_of of 'a' must be a non-empty list of services");
	E(29, 9, "a dependency of 'a' has both 'service' and 'any_of'; use one");
	E(30, 9, "a dependency of 'a' needs 'service' or 'any_of'");
	E(31, 9, "a dependency of 'a' must be a name or a mapping, not a sequence");
	E(32, 9, "a dependency of 'a' must name a service, found null");
	E(34, 17, "depends_on of 'b' must be a list, not string");
	E(35, 5, "service without a 'name'");
	E(36, 11, "service 'a' is defined twice: here and at s.yaml:5:11 (this one is ignored)");
	E(37, 11, "service name must be a non-empty string, not an empty string");
	E(38, 11, "service name must be a non-empty string, not boolean");
	E(39, 5, "a service must be a mapping with at least 'name', not string");
	E(41, 18, "unknown service 'nowhere' in depends_on of 'c'");
#undef E
#undef W
	/* the unknown target became one external service, shared by both references */
	nw = th_id(cat, "nowhere");
	CU_ASSERT_FATAL(nw != DC_NO_ID);
	CU_ASSERT_TRUE(dc_service_is_external(cat, nw));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, nw));
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "nowhere", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "c", "nowhere", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 4); /* a, b, c, nowhere */
	/* the self-dependency is gone, the duplicate collapsed */
	CU_ASSERT_FALSE(th_has_dep(cat, "a", "a", -1));
	/* bad values keep their defaults */
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "a")), 0);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, th_id(cat, "a")), 1);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, th_id(cat, "a")), 0.999, 1e-12);
	/* a: b (hard, from the map), nowhere, any_of b (own group) */
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "a")), 3);
	/* every diagnostic has a position in s.yaml */
	{
		size_t i;
		for (i = 0; i < dc_diags_count(d); i++) {
			CU_ASSERT_STRING_EQUAL(dc_diags_get(d, i)->file, "s.yaml");
			CU_ASSERT_NOT_EQUAL(dc_diags_get(d, i)->line, 0);
		}
	}
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Duplicate dependencies: a soft duplicate of a hard one keeps hard, and a
 * hard duplicate upgrades an earlier soft one. */
static void test_duplicate_dep_kind(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  - name: a\n"
		"    depends_on: [b, {service: b, kind: soft}, {service: c, kind: soft}, c]\n"
		"  - {name: b}\n"
		"  - {name: c}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "d.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "a")), 2);
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "c", DC_DEP_HARD));
	EXPECT_DIAG(d, DC_SEV_WARNING, 3, 31, "duplicate dependency of 'a' on 'b'; the first one is kept");
	EXPECT_DIAG(d, DC_SEV_WARNING, 3, 73, "duplicate dependency of 'a' on 'c'; the first one is kept");
	CU_ASSERT_EQUAL(dc_diags_count(d), 2);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Top-level problems that stop the file. */
static void test_file_level_errors(void)
{
	static const struct {
		const char *name, *text;
		int status;
		dc_severity sev;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "l.yaml", "depcheck: 1\nservices: {a: 1}\n", DC_EPARSE, DC_SEV_ERROR, 2, 11,
		  "services must be a list, not mapping" },
		{ "n.yaml", "services: 5\n", DC_EPARSE, DC_SEV_ERROR, 1, 11,
		  "services must be a list, not integer" },
		{ "v.yaml", "depcheck: 2\nservices: []\n", DC_EPARSE, DC_SEV_ERROR, 1, 11,
		  "unsupported depcheck format version '2' (this build reads version 1)" },
		{ "r.yaml", "depcheck: 1\n--- \n- a\n", DC_EPARSE, DC_SEV_ERROR, 3, 1,
		  "a depcheck catalog must be a mapping with 'services', not sequence" },
		{ "w.yaml", "depcheck: 1\n", DC_EINVALID, DC_SEV_WARNING, 1, 1, "catalog without 'services'" },
		{ "u.yaml", "foo: 1\n", DC_EPARSE, DC_SEV_ERROR, 1, 1,
		  "unrecognized format: expected a depcheck catalog (services: list), a Compose file "
		  "(services: mapping), Backstage entities, Kubernetes manifests, DOT, SLO "
		  "specifications (OpenSLO, Sloth, Pyrra, a Prometheus answer), an Envoy configuration "
		  "dump or a gRPC service config; use "
		  "--input-format to force one" },
		{ "e.yaml", "", DC_EINVALID, DC_SEV_WARNING, 1, 1, "empty file: nothing loaded" },
		{ "c.yaml", "# nothing\n\n# here\n", DC_EINVALID, DC_SEV_WARNING, 1, 1, "empty file: nothing loaded" },
		{ "k.yaml", "services:\n  - name: a\n    owner: x\n    owner: y\n", DC_EPARSE, DC_SEV_ERROR, 4, 5,
		  "YAML error: duplicate key 'owner' in a mapping (first at line 3, column 5)" },
		{ "t.yaml", "services:\n\t- name: a\n", DC_EPARSE, DC_SEV_ERROR, 2, 1,
		  "YAML syntax error: tab character in indentation (YAML indents with spaces only)" },
		{ "k.json", "{\"services\": [{\"name\": \"a\", \"name\": \"b\"}]}", DC_EPARSE, DC_SEV_ERROR, 1, 34,
		  "JSON syntax error: duplicate object key near '\"name\"'" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		int rc = th_load(&cat, &d, cases[i].name, cases[i].text, DC_FORMAT_AUTO);
		if (rc != cases[i].status)
			fprintf(stderr, "\n%s: status %d\n", cases[i].name, rc);
		CU_ASSERT_EQUAL(rc, cases[i].status);
		EXPECT_DIAG(d, cases[i].sev, cases[i].line, cases[i].col, cases[i].msg);
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
}

/* Merge keys and anchors work inside the native schema. */
static void test_yaml_anchors(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"x-base: &base {owner: core, tier: 2}\n"
		"services:\n"
		"  - <<: *base\n"
		"    name: a\n"
		"    tier: 1\n"
		"  - <<: *base\n"
		"    name: b\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "m.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, th_id(cat, "a")), "core");
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "a")), 1);
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "b")), 2);
	/* x-* top-level keys are extension fields: no warning */
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* "did you mean": one or two edits away, or a unit-less `_ms` key. */
static void test_suggestions(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		"services:\n"
		"  - name: a\n"
		"    latency: 3\n"
		"    dependson: [b]\n"
		"    depends_on: [{service: b, timeout: 30, retires: 2, stag: 1}]\n"
		"  - name: b\n"
		"    xyzzy: 1\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "g.yaml", y, DC_FORMAT_AUTO), 0);
	EXPECT_DIAG(d, DC_SEV_WARNING, 3, 5, "unknown key 'latency' in service 'a' (did you mean 'latency_ms'?)");
	EXPECT_DIAG(d, DC_SEV_WARNING, 4, 5, "unknown key 'dependson' in service 'a' (did you mean 'depends_on'?)");
	EXPECT_DIAG(d, DC_SEV_WARNING, 5, 31, "unknown key 'timeout' in a dependency (did you mean 'timeout_ms'?)");
	EXPECT_DIAG(d, DC_SEV_WARNING, 5, 44, "unknown key 'retires' in a dependency (did you mean 'retries'?)");
	EXPECT_DIAG(d, DC_SEV_WARNING, 5, 56, "unknown key 'stag' in a dependency (did you mean 'stage'?)");
	EXPECT_DIAG(d, DC_SEV_WARNING, 7, 5, "unknown key 'xyzzy' in service 'b'");
	CU_ASSERT_EQUAL(dc_diags_count(d), 6);
	/* unknown keys are warnings only: the service loads */
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Services are loaded while the YAML is parsed (streamed) and defaults are
 * applied afterwards: key order must not matter, anchors defined inside one
 * service must survive for later ones, and each document keeps its own
 * defaults. */
static void test_streamed_services(void)
{
	const char *y =
		"services:\n"
		"  - name: a\n"
		"    owner: &o team-x\n"
		"    depends_on:\n"
		"      - service: b\n"
		"        retries: 2\n"
		"      - c\n"
		"  - name: b\n"
		"    owner: *o\n"
		"    latency_ms: 5\n"
		"  - name: c\n"
		"    tier: 2\n"
		"defaults: {availability: 0.95, timeout_ms: 300, retries: 1, latency_ms: 7, tier: 3}\n"
		"---\n"
		"services:\n"
		"  - name: d\n"
		"    depends_on: [a]\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_id a, b, c, dd;
	long e;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "s.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	a = th_id(cat, "a");
	b = th_id(cat, "b");
	c = th_id(cat, "c");
	dd = th_id(cat, "d");
	CU_ASSERT_FATAL(a != DC_NO_ID && b != DC_NO_ID && c != DC_NO_ID && dd != DC_NO_ID);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, b), "team-x");   /* anchor from service a */
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, a), 0.95, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, a), 7, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_latency_ms(cat, b), 5, 1e-12); /* explicit wins */
	CU_ASSERT_EQUAL(dc_service_tier(cat, a), 3);
	CU_ASSERT_EQUAL(dc_service_tier(cat, c), 2);
	e = th_dep_of(cat, "a", "b");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 300);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 2);
	e = th_dep_of(cat, "a", "c");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 1);
	/* the second document has no defaults: built-in values */
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, dd), 0.999, 1e-12);
	CU_ASSERT_EQUAL(dc_service_tier(cat, dd), 0);
	e = th_dep_of(cat, "d", "a");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 1000);
	/* positions survive the release of each service's tree */
	CU_ASSERT(th_svc_at(cat, "c", 11, 11, "s.yaml"));
	CU_ASSERT(th_dep_at(cat, "d", "a", 17, 18));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* A document whose services are not streamed (an alias) before one whose
 * services are: each keeps its own services and its own defaults. */
static void test_mixed_documents(void)
{
	const char *y =
		"x-list: &all\n"
		"  - name: a\n"
		"    depends_on: [b]\n"
		"services: *all\n"
		"---\n"
		"defaults: {availability: 0.5}\n"
		"services:\n"
		"  - name: b\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "md.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2);
	CU_ASSERT_FATAL(th_id(cat, "a") != DC_NO_ID && th_id(cat, "b") != DC_NO_ID);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, th_id(cat, "a")), 0.999, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, th_id(cat, "b")), 0.5, 1e-12);
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

int suite_native(void)
{
	static const th_test tests[] = {
		{ "every form and attribute (yaml)", test_full_yaml },
		{ "json gives the same catalog", test_json_same_as_yaml },
		{ "built-in defaults", test_builtin_defaults },
		{ "entrypoints", test_entrypoints },
		{ "schema diagnostics", test_schema_diagnostics },
		{ "duplicate dependency kinds", test_duplicate_dep_kind },
		{ "file-level errors", test_file_level_errors },
		{ "anchors and merge keys", test_yaml_anchors },
		{ "did you mean", test_suggestions },
		{ "streamed services", test_streamed_services },
		{ "streamed and plain documents", test_mixed_documents },
		{ NULL, NULL }
	};
	return th_suite("native", tests);
}
