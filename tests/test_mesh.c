/*
 * test_mesh.c - service mesh and gateway configuration (lib/load_mesh.c)
 * and the resilience settings of dependencies (catalog_edgepol.c): values
 * and their positions, caller scoping by sourceLabels, route weights, the
 * time a hang costs with per-try timeouts, amplification under a retry
 * budget, and the native keys' round trip. Every expected number is worked
 * out by hand in the comment next to it.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WL(name, labels, env) \
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name "}\n" \
	"spec:\n  template:\n    metadata: {labels: " labels "}\n" \
	"    spec: {containers: [{name: c, env: [" env "]}]}\n"
#define SVC(name, sel) \
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: " name "}\nspec: {selector: " sel "}\n"

/* web and batch call api; api calls db */
static const char *app =
	WL("web", "{app: web}", "{name: API, value: 'api:80'}")
	WL("batch", "{app: batch}", "{name: API, value: 'api:80'}")
	WL("api", "{app: api}", "{name: DB, value: 'db:5432'}")
	WL("db", "{app: db}", "")
	SVC("api", "{app: api}")
	SVC("db", "{app: db}");

static void test_virtual_service(void)
{
	/* app is 42 lines: the VirtualService starts at line 43 */
	char *y = malloc(8192);
	dc_catalog *cat;
	dc_diags *d;
	long e;
	snprintf(y, 8192, "%s%s", app,
		 "---\n"                                              /* 43 */
		 "apiVersion: networking.istio.io/v1\n"               /* 44 */
		 "kind: VirtualService\n"                             /* 45 */
		 "metadata: {name: api}\n"                            /* 46 */
		 "spec:\n"                                            /* 47 */
		 "  hosts: [api]\n"                                   /* 48 */
		 "  http:\n"                                          /* 49 */
		 "    - timeout: 2s\n"                                /* 50 */
		 "      retries: {attempts: 3, perTryTimeout: 300ms, retryOn: 5xx}\n" /* 51 */
		 "      route: [{destination: {host: api}}]\n");      /* 52 */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "vs.yaml", y, DC_FORMAT_AUTO), 0);
	e = th_dep_of(cat, "web", "api");
	CU_ASSERT(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 2000);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 3);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_PER_TRY_TIMEOUT), 300);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "5xx");
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_TIMEOUT, 50, 16));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRIES, 51, 27));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_PER_TRY_TIMEOUT, 51, 45));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRY_ON, 51, 61));
	/* hang: min(2000, (3 + 1) x 300 = 1200) = 1200; factor 4 */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 1200);
	CU_ASSERT_EQUAL(dc_impact_edge_cost_ms(cat, (size_t)e, DC_FAILURE_HANG), 1200);
	CU_ASSERT_EQUAL(dc_dep_call_factor(cat, (size_t)e), 4);
	/* the other caller too: the VirtualService governs every call into api */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)th_dep_of(cat, "batch", "api")), 1200);
	/* api -> db: untouched, timeout x (retries + 1) = 1000 */
	e = th_dep_of(cat, "api", "db");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 1000);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_PER_TRY_TIMEOUT));
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	th_done(cat, d);
	free(y);
}

static void test_zero_timeout(void)
{
	/* timeout 0s disables the deadline (Istio, Gateway API): unset, not a
	 * call that costs nothing; the retries stay: default 1000 x 3 */
	char *y = malloc(8192);
	dc_catalog *cat;
	dc_diags *d;
	long e;
	snprintf(y, 8192, "%s%s", app,
		 "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api}\n"
		 "spec:\n  hosts: [api]\n  http:\n    - timeout: 0s\n      retries: {attempts: 2}\n");
	CU_ASSERT_EQUAL(th_load(&cat, &d, "vs.yaml", y, DC_FORMAT_AUTO), 0);
	e = th_dep_of(cat, "web", "api");
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_PER_TRY_TIMEOUT));
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 2);
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 3000);
	CU_ASSERT_TRUE(th_find_diag(d, "timeout of VirtualService api is 0: no deadline", 50, 16) >= 0);
	th_done(cat, d);
	free(y);
}

static void test_source_labels(void)
{
	char *y = malloc(8192);
	dc_catalog *cat;
	dc_diags *d;
	long w, b;
	snprintf(y, 8192, "%s%s", app,
		 "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api}\n"
		 "spec:\n  hosts: [api.default.svc.cluster.local]\n  http:\n"
		 "    - match: [{sourceLabels: {app: batch}}]\n"
		 "      timeout: 30s\n"
		 "    - timeout: 1s\n"
		 "      retries: {attempts: 2}\n");
	CU_ASSERT_EQUAL(th_load(&cat, &d, "vs.yaml", y, DC_FORMAT_AUTO), 0);
	w = th_dep_of(cat, "web", "api");
	b = th_dep_of(cat, "batch", "api");
	/* batch: the first rule only (Istio: the first matching rule wins), so
	 * no retries: hang 30000 (per-try defaults to the timeout) */
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)b), 30000);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)b, DC_DEP_RETRIES));
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)b), 30000);
	/* web: the second rule, 1s with 2 retries: min(1000, 3 x 1000) = 1000 */
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)w), 1000);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)w), 2);
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)w), 1000);
	CU_ASSERT_EQUAL(dc_dep_call_factor(cat, (size_t)w), 3);
	th_done(cat, d);
	free(y);
}

/* A rule that matches only some requests (a path, a header, a method) does
 * not set the edge when the object has a rule for every request; `uri:
 * {prefix: /}` and a `/` PathPrefix match every request; when every rule is
 * per request, the first still counts. */
static void test_per_request_matches(void)
{
	char *y = malloc(16384);
	dc_catalog *cat;
	dc_diags *d;
	long w, b;
	snprintf(y, 16384, "%s%s", app,
		 "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api}\n"
		 "spec:\n  hosts: [api.default.svc.cluster.local]\n  http:\n"
		 "    - match: [{uri: {prefix: /admin}}, {headers: {x-debug: {exact: '1'}}}]\n"
		 "      timeout: 60s\n"
		 "    - match: [{sourceLabels: {app: batch}, method: {exact: POST}}]\n"
		 "      timeout: 30s\n"
		 "    - match: [{uri: {prefix: /}}]\n"
		 "      timeout: 2s\n"
		 "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db}\n"
		 "spec:\n  hosts: [db]\n  http:\n"
		 "    - match: [{uri: {exact: /q}}]\n"
		 "      timeout: 5s\n"
		 "    - match: [{uri: {exact: /r}}]\n"
		 "      timeout: 7s\n");
	CU_ASSERT_EQUAL(th_load(&cat, &d, "vs.yaml", y, DC_FORMAT_AUTO), 0);
	w = th_dep_of(cat, "web", "api");
	b = th_dep_of(cat, "batch", "api");
	/* both callers: the third rule (every request), not /admin's 60 s nor
	 * batch's POST-only 30 s */
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)w), 2000);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)b), 2000);
	CU_ASSERT_TRUE(th_find_diag(d, "matches only some requests", 0, 0) >= 0);
	/* every rule of db's is per request: the first counts, as before */
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "api", "db")), 5000);
	th_done(cat, d);
	/* Gateway API: a header match is per request, the default path is not */
	snprintf(y, 16384, "%s%s", app,
		 "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: api}\n"
		 "spec:\n  parentRefs: [{kind: Service, group: '', name: api}]\n  rules:\n"
		 "    - matches: [{headers: [{name: x-canary, value: 'true'}]}]\n"
		 "      timeouts: {request: 9s}\n"
		 "      backendRefs: [{name: api, port: 80}]\n"
		 "    - matches: [{path: {type: PathPrefix, value: /}}]\n"
		 "      timeouts: {request: 3s}\n"
		 "      backendRefs: [{name: api, port: 80}]\n");
	CU_ASSERT_EQUAL(th_load(&cat, &d, "route.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "web", "api")), 3000);
	th_done(cat, d);
	free(y);
}

static void test_bookinfo(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	CU_ASSERT_EQUAL(th_load_path(&cat, &d, DC_TESTDATA "/mesh/istio"), 0);
	/* weights of the split between reviews-v1 and reviews-v2 */
	CU_ASSERT_EQUAL(th_setting(cat, th_dep_of(cat, "productpage", "reviews-v1"), DC_DEP_WEIGHT), 90);
	CU_ASSERT_EQUAL(th_setting(cat, th_dep_of(cat, "productpage", "reviews-v2"), DC_DEP_WEIGHT), 10);
	/* reviews-v1 -> ratings: 3s, 2 retries of 800ms: min(3000, 2400) = 2400,
	 * and the DestinationRule's breaker and outlier detection */
	e = th_dep_of(cat, "reviews-v1", "ratings");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 2400);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_CONNECTIONS), 50);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_PENDING), 10);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_REQUESTS), 100);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECT_AFTER), 3);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECTION_MS), 15000);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_FAILOVER), "us-east->us-west");
	/* reviews-v2 -> ratings: scoped by sourceLabels {app: reviews, version: v2}: 1s */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)th_dep_of(cat, "reviews-v2", "ratings")), 1000);
	/* ServiceEntry: an external service, reached from an env value */
	CU_ASSERT(dc_service_is_external(cat, th_id(cat, "api.stripe.com")));
	CU_ASSERT(th_has_dep(cat, "reviews-v1", "api.stripe.com", DC_DEP_HARD));
	/* Sidecar egress: a declared dependency */
	CU_ASSERT(th_has_dep(cat, "productpage", "details", DC_DEP_HARD));
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)th_dep_of(cat, "productpage", "details")),
			       "Sidecar productpage egress");
	th_done(cat, d);
}

static void test_linkerd_and_gateway(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	CU_ASSERT_EQUAL(th_load_path(&cat, &d, DC_TESTDATA "/mesh/linkerd"), 0);
	/* annotations: request 1s, limit 2, per-try 300ms: min(1000, 900) = 900 */
	e = th_dep_of(cat, "web", "emoji");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 900);
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_PER_TRY_TIMEOUT, 47, 31));
	/* ServiceProfile: the longest route timeout 2s covers the retries; the
	 * budget 0.25 caps the factor at 1.25 */
	e = th_dep_of(cat, "web", "voting");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 2000);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 1.25, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(th_setting(cat, e, DC_DEP_RETRY_BUDGET), 0.25, 1e-9);
	th_done(cat, d);
	CU_ASSERT_EQUAL(th_load_path(&cat, &d, DC_TESTDATA "/mesh/gateway"), 0);
	/* request 4s, backendRequest 1s, 2 retries: min(4000, 3000) = 3000;
	 * weights 3:1 = 75 % and 25 % */
	e = th_dep_of(cat, "frontend", "search-v1");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 3000);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_WEIGHT), 75);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "502,503");
	CU_ASSERT_EQUAL(th_setting(cat, th_dep_of(cat, "frontend", "search-v2"), DC_DEP_WEIGHT), 25);
	th_done(cat, d);
}

static void test_bad_values(void)
{
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "vs.yaml",
		"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api}\n"
		"spec:\n  hosts: [api]\n  http:\n    - timeout: 1h2x\n      retries: {attempts: -1, retryOn: 5xx}\n",
		DC_FORMAT_AUTO);
	CU_ASSERT(th_find_diag(d, "is not a duration: '1h2x'", 7, 16) >= 0);
	CU_ASSERT(th_find_diag(d, "retries.attempts of VirtualService api must be an integer from 0 to 100", 8, 27) >= 0);
	/* a host naming nothing: a warning where it is written */
	CU_ASSERT(th_find_diag(d, "names 'api', which is no service of the input", 5, 11) >= 0);
	th_done(cat, d);
}

/* Amplification under a retry budget, and time to impact along a chain
 * of per-try timeouts (the analyses, not only the accessors). */
static void test_analyses(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_analysis *a;
	dc_impact *imp;
	const dc_amplification *amp;
	size_t n, i;
	dc_id seed;
	int seen = 0;
	/* a -> b: 4 retries under a 0.5 budget: x1.5; b -> c: 2 retries: x3;
	 * c is reached 1.5 x 3 = 4.5 times */
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "n.yaml",
				      "services:\n"
				      "  - {name: a, depends_on: [{service: b, retries: 4, retry_budget: 0.5,"
				      " timeout_ms: 900, per_try_timeout_ms: 100}]}\n"
				      "  - {name: b, depends_on: [{service: c, retries: 2, timeout_ms: 300}]}\n"
				      "  - {name: c}\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	n = dc_analysis_amplification(a, &amp);
	for (i = 0; i < n; i++)
		if (amp[i].service == th_id(cat, "c")) {
			CU_ASSERT_DOUBLE_EQUAL(amp[i].factor, 4.5, 1e-9);
			seen = 1;
		}
	CU_ASSERT(seen);
	/* c hangs: b notices after 300 x 3 = 900; a after min(900, 5 x 100 = 500)
	 * more: 1400 */
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
	seed = th_id(cat, "c");
	CU_ASSERT_EQUAL(dc_impact_run_timed(imp, &seed, 1, NULL, 0, DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_impact_time_ms(imp, th_id(cat, "b")), 900);
	CU_ASSERT_EQUAL(dc_impact_time_ms(imp, th_id(cat, "a")), 1400);
	dc_impact_free(imp);
	dc_analysis_free(a);
	dc_graph_free(g);
	th_done(cat, d);
}

/* Precedence: the mesh beats a native value of the same edge (with a
 * warning), an overlay beats the mesh. */
static void test_precedence(void)
{
	static const char *vs =
		"---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: api}\n"
		"spec:\n  hosts: [api]\n  http:\n    - timeout: 2s\n      retries: {attempts: 1}\n";
	static const char *native =
		"services:\n  - name: batch\n    depends_on: [{service: api, timeout_ms: 700, retries: 1}]\n";
	static const char *overlay =
		"overlay:\n  - name: web\n    depends_on: [{service: api, timeout_ms: 500}]\n";
	char *y = malloc(8192);
	dc_catalog *cat;
	dc_diags *d;
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	long e;
	snprintf(y, 8192, "%s%s", app, vs);
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "k8s.yaml", y, strlen(y), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "native.yaml", native, strlen(native), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "overlay.yaml", overlay, strlen(overlay), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	/* batch -> api: native says 700 ms, the mesh enforces 2 s: 2 s, and a
	 * warning at the native value's edge naming the mesh's place */
	e = th_dep_of(cat, "batch", "api");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 2000);
	CU_ASSERT(th_find_diag(d, "timeout_ms of 'batch' on 'api' is 700 here but 2000 at k8s.yaml:50:16 "
			       "(VirtualService api), which is used", 0, 0) >= 0);
	/* web -> api: the overlay's 500 ms stays; the retries it did not set come from the mesh */
	e = th_dep_of(cat, "web", "api");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 500);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 1);
	/* min(500, 2 x 2000) = 500 */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 500);
	th_done(cat, d);
	free(y);
}

/* The native keys: read, exported, read back the same. */
static void test_native_round_trip(void)
{
	dc_catalog *cat, *back;
	dc_diags *d, *d2;
	char *out;
	long e;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "n.yaml",
				"services:\n"
				"  - name: a\n"
				"    depends_on:\n"
				"      - service: b\n"
				"        timeout_ms: 5000\n"
				"        retries: 4\n"
				"        per_try_timeout_ms: 700\n"
				"        retry_budget: 0.5\n"
				"        retry_on: reset\n"
				"        max_pending: 8\n"
				"        eject_after_errors: 2\n"
				"        ejection_ms: 9000\n"
				"        weight: 40\n"
				"        failover: eu-a->eu-b\n"
				"  - name: b\n", DC_FORMAT_AUTO), 0);
	e = th_dep_of(cat, "a", "b");
	/* min(5000, 5 x 700 = 3500) = 3500; factor min(5, 1.5) = 1.5 */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 3500);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 1.5, 1e-9);
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_PER_TRY_TIMEOUT, 7, 29));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_TIMEOUT, 4, 18)); /* on the edge itself: its place */
	out = th_export(cat, DC_OUTPUT_JSON);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(th_load(&back, &d2, "back.json", out, DC_FORMAT_AUTO), 0);
	e = th_dep_of(back, "a", "b");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(back, (size_t)e), 3500);
	CU_ASSERT_EQUAL(th_setting(back, e, DC_DEP_MAX_PENDING), 8);
	CU_ASSERT_EQUAL(th_setting(back, e, DC_DEP_EJECT_AFTER), 2);
	CU_ASSERT_EQUAL(th_setting(back, e, DC_DEP_EJECTION_MS), 9000);
	CU_ASSERT_EQUAL(th_setting(back, e, DC_DEP_WEIGHT), 40);
	CU_ASSERT_DOUBLE_EQUAL(th_setting(back, e, DC_DEP_RETRY_BUDGET), 0.5, 1e-9);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(back, (size_t)e, DC_DEP_FAILOVER), "eu-a->eu-b");
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(back, (size_t)e, DC_DEP_RETRY_ON), "reset");
	free(out);
	th_done(back, d2);
	th_done(cat, d);
}

/* Invalid indexes and settings give the documented "none". */
static void test_out_of_range(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_location l;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "n.yaml", "services: [{name: a, depends_on: [b]}, {name: b}]\n",
				DC_FORMAT_AUTO), 0);
	CU_ASSERT_PTR_NULL(dc_dep_setting_name(DC_DEP_SETTING_COUNT));
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_name(DC_DEP_PER_TRY_TIMEOUT), "per_try_timeout_ms");
	CU_ASSERT_EQUAL(dc_dep_setting_is_set(cat, 99, DC_DEP_TIMEOUT), 0);
	CU_ASSERT_EQUAL(dc_dep_setting_is_set(cat, 0, DC_DEP_SETTING_COUNT), 0);
	CU_ASSERT_EQUAL(dc_dep_setting_value(cat, 99, DC_DEP_TIMEOUT), 0);
	CU_ASSERT_EQUAL(dc_dep_setting_value(cat, 0, DC_DEP_TIMEOUT), 1000); /* the default */
	CU_ASSERT_PTR_NULL(dc_dep_setting_text(cat, 0, DC_DEP_RETRY_ON));
	l = dc_dep_setting_location(cat, 0, DC_DEP_PER_TRY_TIMEOUT);
	CU_ASSERT_PTR_NULL(l.file);
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, 99), 0);
	CU_ASSERT_EQUAL(dc_dep_call_factor(cat, 99), 0);
	CU_ASSERT_EQUAL(dc_dep_call_factor(cat, 0), 1);
	th_done(cat, d);
}

int suite_mesh(void)
{
	static const th_test t[] = {
		{ "VirtualService values and positions", test_virtual_service },
		{ "zero timeout: no deadline", test_zero_timeout },
		{ "sourceLabels scope a rule", test_source_labels },
		{ "per-request matches", test_per_request_matches },
		{ "Bookinfo: weights, DestinationRule, ServiceEntry, Sidecar", test_bookinfo },
		{ "Linkerd and Gateway API", test_linkerd_and_gateway },
		{ "bad values", test_bad_values },
		{ "amplification and time to impact", test_analyses },
		{ "precedence: overlay > mesh > native", test_precedence },
		{ "native keys round trip", test_native_round_trip },
		{ "out of range", test_out_of_range },
		{ NULL, NULL }
	};
	return th_suite("mesh", t);
}
