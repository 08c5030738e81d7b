/*
 * test_startup.c - startup-only dependencies: where they come from (native
 * `startup: true`, Compose service_completed_successfully, Kubernetes init
 * containers), that runtime analyses do not follow them, and that a cycle of
 * them is a startup cycle (analyze, plan --cold-start, rule startup-cycle).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* web -> api (runtime), web -> migrate (startup), api -> db (runtime),
 * api -> config (startup), migrate -> db, config -> api (startup):
 * api and config wait for each other to start. */
static const char *const NATIVE =
	"depcheck: 1\n"
	"services:\n"
	"  - name: web\n"
	"    entrypoint: true\n"
	"    depends_on:\n"
	"      - api\n"
	"      - { service: migrate, startup: true }\n"
	"  - name: api\n"
	"    depends_on:\n"
	"      - db\n"
	"      - { service: config, startup: true }\n"
	"  - name: migrate\n"
	"    depends_on: [db]\n"
	"  - name: config\n"
	"    depends_on:\n"
	"      - { service: api, startup: true }\n"
	"  - name: db\n";

typedef struct {
	TH_FX;
} fx;

static int is_startup(const dc_catalog *cat, const char *from, const char *to)
{
	long e = th_dep_of(cat, from, to);
	return e >= 0 ? dc_dep_is_startup(cat, (size_t)e) : -1;
}

static void test_native_flag(void)
{
	fx f;
	th_fx_load(&f.base, "c.yaml", NATIVE);
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "migrate"), 1);
	CU_ASSERT_EQUAL(is_startup(f.cat, "api", "config"), 1);
	CU_ASSERT_EQUAL(is_startup(f.cat, "config", "api"), 1);
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "api"), 0);
	CU_ASSERT_EQUAL(is_startup(f.cat, "migrate", "db"), 0);
	/* out of range: not a startup edge */
	CU_ASSERT_EQUAL(dc_dep_is_startup(f.cat, (size_t)-1), 0);
	CU_ASSERT_EQUAL(dc_dep_is_startup(f.cat, dc_catalog_dep_count(f.cat)), 0);
	th_fx_free(&f.base);
}

static dc_state fail_one(const fx *f, const char *name, const char *look)
{
	dc_impact *imp;
	dc_id seed = th_id(f->cat, name);
	dc_state s;
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, f->g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &seed, 1, NULL, 0), 0);
	s = th_state(f->cat, imp, look);
	dc_impact_free(imp);
	return s;
}

static void test_runtime_ignores_startup(void)
{
	fx f;
	th_fx_load(&f.base, "c.yaml", NATIVE);
	/* a failed migration job does not take the running web down */
	CU_ASSERT_EQUAL(fail_one(&f, "migrate", "web"), DC_STATE_UP);
	/* nor does config, which api only needs at start */
	CU_ASSERT_EQUAL(fail_one(&f, "config", "api"), DC_STATE_UP);
	CU_ASSERT_EQUAL(fail_one(&f, "config", "web"), DC_STATE_UP);
	/* runtime edges still propagate */
	CU_ASSERT_EQUAL(fail_one(&f, "db", "api"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(fail_one(&f, "db", "web"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(fail_one(&f, "db", "migrate"), DC_STATE_DOWN);
	/* config -> api is startup-only: api failing leaves config up */
	CU_ASSERT_EQUAL(fail_one(&f, "api", "config"), DC_STATE_UP);
	th_fx_free(&f.base);
}

static void test_startup_cycle(void)
{
	fx f;
	dc_analysis *a;
	const dc_id *mem;
	size_t n;
	th_fx_load(&f.base, "c.yaml", NATIVE);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, f.g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_cycle_count(a, DC_EDGES_HARD_ONLY), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_count(a, DC_EDGES_STARTUP), 1);
	n = dc_analysis_cycle_members(a, DC_EDGES_STARTUP, 0, &mem);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT((mem[0] == th_id(f.cat, "api") && mem[1] == th_id(f.cat, "config")) ||
		  (mem[1] == th_id(f.cat, "api") && mem[0] == th_id(f.cat, "config")));
	dc_analysis_free(a);
	th_fx_free(&f.base);
}

static void test_rule_and_plan(void)
{
	int code;
	char *out;
	char dir[256], path[300], args[700];
	CU_ASSERT_EQUAL_FATAL(th_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	th_write_file(path, NATIVE);
	snprintf(args, sizeof(args), "check %s -f json", path);
	out = th_run_cli(args, &code);
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"rule\": \"startup-cycle\""));
	free(out);
	snprintf(args, sizeof(args), "plan %s --cold-start", path);
	out = th_run_cli(args, &code);
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "startup cycle of 2 services"));
	free(out);
	/* without the cycle the cold start is possible: exit 0, db first */
	th_write_file(path, "depcheck: 1\nservices:\n"
			    "  - { name: web, entrypoint: true, depends_on: [{ service: migrate, startup: true }] }\n"
			    "  - { name: migrate, depends_on: [db] }\n"
			    "  - { name: db }\n");
	snprintf(args, sizeof(args), "plan %s --cold-start", path);
	out = th_run_cli(args, &code);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "3 services in 3 waves"));
	free(out);
	th_rmtree(dir);
}

static void test_compose_completed(void)
{
	fx f;
	th_fx_load(&f.base, "compose.yaml",
		   "services:\n"
		   "  web:\n"
		   "    image: web\n"
		   "    depends_on:\n"
		   "      migrate: { condition: service_completed_successfully }\n"
		   "      db: { condition: service_healthy }\n"
		   "  migrate:\n"
		   "    image: migrate\n"
		   "    depends_on: [db]\n"
		   "  db:\n"
		   "    image: postgres\n");
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "migrate"), 1);
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "db"), 0);
	CU_ASSERT_EQUAL(is_startup(f.cat, "migrate", "db"), 0);
	CU_ASSERT_EQUAL(fail_one(&f, "migrate", "web"), DC_STATE_UP);
	CU_ASSERT_EQUAL(fail_one(&f, "db", "web"), DC_STATE_DOWN);
	th_fx_free(&f.base);
}

static void test_k8s_init_container(void)
{
	fx f;
	th_fx_load(&f.base, "k.yaml",
		   "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n"
		   "spec:\n  template:\n    spec:\n"
		   "      initContainers:\n"
		   "        - name: wait\n          image: busybox\n"
		   "          command: [sh, -c, 'until nc -z $DB_HOST 5432; do sleep 1; done']\n"
		   "          env: [{ name: DB_HOST, value: db }, { name: CACHE_ADDR, value: 'cache:6379' }]\n"
		   "      containers:\n"
		   "        - name: web\n          image: web\n"
		   "          env: [{ name: CACHE_ADDR, value: 'cache:6379' }]\n"
		   "---\n"
		   "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: db }\n"
		   "spec:\n  template:\n    metadata: { labels: { app: db } }\n"
		   "    spec: { containers: [{ name: db, image: postgres }] }\n"
		   "---\n"
		   "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: cache }\n"
		   "spec:\n  template:\n    metadata: { labels: { app: cache } }\n"
		   "    spec: { containers: [{ name: cache, image: redis }] }\n"
		   "---\n"
		   "apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { selector: { app: db } }\n"
		   "---\n"
		   "apiVersion: v1\nkind: Service\nmetadata: { name: cache }\nspec: { selector: { app: cache } }\n");
	/* cache is used by the main container too: a runtime edge */
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "cache"), 0);
	/* db appears only in the init container */
	CU_ASSERT_EQUAL(is_startup(f.cat, "web", "db"), 1);
	th_fx_free(&f.base);
}

int suite_startup(void)
{
	static const th_test t[] = {
		{ "native startup: true", test_native_flag },
		{ "runtime analyses do not follow startup edges", test_runtime_ignores_startup },
		{ "startup cycle in analyze", test_startup_cycle },
		{ "startup-cycle rule and plan --cold-start", test_rule_and_plan },
		{ "Compose service_completed_successfully", test_compose_completed },
		{ "Kubernetes init containers", test_k8s_init_container },
		{ NULL, NULL },
	};
	return th_suite("startup", t);
}
