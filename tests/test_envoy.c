/*
 * test_envoy.c - Envoy configuration dumps and bootstraps (lib/load_envoy.c):
 * the node as the caller, clusters as callees (Istio names, DNS endpoints,
 * plain names), route timeouts and retry policies, circuit breakers, retry
 * budgets and outlier detection on the caller's edges only, with their
 * positions. Every expected number is worked out in the comment next to it.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_istio_dump(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "envoy/productpage-config-dump.json", "envoy/bookinfo-catalog.yaml"), 0);
	/* productpage -> reviews: the catch-all route (the header-matched one
	 * counts only after it): 2s, 3 retries of 250 ms; the cluster's
	 * DEFAULT thresholds (not HIGH's 1000), a 25 % budget, ejection after
	 * 3 errors for 60 s */
	e = th_dep_of(cat, "productpage", "reviews");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 2000);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 3);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_PER_TRY_TIMEOUT), 250);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "5xx,connect-failure");
	CU_ASSERT_DOUBLE_EQUAL(th_setting(cat, e, DC_DEP_RETRY_BUDGET), 0.25, 1e-9);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_CONNECTIONS), 100);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_PENDING), 10);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_REQUESTS), 200);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_RETRIES), 3);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECT_AFTER), 3);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECTION_MS), 60000);
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_TIMEOUT, 168, 41));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRIES, 169, 97));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_PER_TRY_TIMEOUT, 170, 66));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_MAX_CONNECTIONS, 48, 37));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRY_BUDGET, 49, 63));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_EJECTION_MS, 57, 37));
	/* hang: min(2000, (3 + 1) x 250) = 1000; factor min(4, 1 + 0.25) */
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 1000);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 1.25, 1e-9);
	/* productpage -> details: timeout 0s is no deadline (the catalog's
	 * 800 ms stays), Istio's default policy of 2 retries: 800 x 3 = 2400;
	 * "no limit" thresholds (2^32 - 1) are no value */
	e = th_dep_of(cat, "productpage", "details");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 800);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 2);
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 2400);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_MAX_CONNECTIONS));
	CU_ASSERT_TRUE(th_find_diag(d, "2 routes of this configuration have timeout 0s", 144, 41) >= 0);
	/* reviews -> ratings: another proxy's calls, untouched */
	e = th_dep_of(cat, "reviews", "ratings");
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_MAX_CONNECTIONS));
	CU_ASSERT_EQUAL(th_find_diag(d, "no service", 0, 0), -1);
	th_done(cat, d);
}

static void test_bootstrap(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "envoy/front-proxy.yaml", "envoy/front-proxy-catalog.yaml"), 0);
	/* service1: the route's 1.5s, the virtual host's retry policy (1 retry
	 * on 5xx, each try the whole 1.5 s): min(1500, 2 x 1500) = 1500 */
	e = th_dep_of(cat, "front-proxy", "service1");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 1500);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 1);
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 1500);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "5xx");
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRIES, 24, 38));
	/* outlier_detection: {} -> Envoy's 5 errors, 30 s */
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECT_AFTER), 5);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_EJECTION_MS), 30000);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_MAX_RETRIES), 5);
	/* service2_cluster names service2 by its DNS endpoint: 3 s, 2 retries
	 * of 1 s: min(3000, 3000) = 3000; an empty retry budget is Envoy's 20 %:
	 * factor min(3, 1.2) */
	e = th_dep_of(cat, "front-proxy", "service2");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 3000);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 1.2, 1e-9);
	th_done(cat, d);
}

static void test_scope_weights_names(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	/* Istio's node.cluster `web.shop` with NAMESPACE shop is web; a weighted
	 * split between two services (3:1 -> 75 / 25 %); batch's calls into api
	 * are another proxy's */
	static const char dump[] =
		"{\"configs\": [\n"
		"{\"@type\": \"type.googleapis.com/envoy.admin.v3.BootstrapConfigDump\",\n"
		" \"bootstrap\": {\"node\": {\"id\": \"sidecar~1~web-1.shop~shop.svc\", \"cluster\": \"web.shop\",\n"
		"   \"metadata\": {\"NAMESPACE\": \"shop\"}}}},\n"
		"{\"@type\": \"type.googleapis.com/envoy.admin.v3.RoutesConfigDump\",\n"
		" \"static_route_configs\": [{\"route_config\": {\"virtual_hosts\": [{\"name\": \"api\", \"routes\": [\n"
		"  {\"match\": {\"prefix\": \"/\"}, \"route\": {\"timeout\": \"0.5s\", \"weighted_clusters\": {\"clusters\": [\n"
		"    {\"name\": \"outbound|80||api.shop.svc.cluster.local\", \"weight\": 3},\n"
		"    {\"name\": \"outbound|80||api-next.shop.svc.cluster.local\", \"weight\": 1}]}}}]}]}}]}\n"
		"]}\n";
	static const char catalog[] =
		"services:\n  - {name: web, depends_on: [api, api-next]}\n  - {name: batch, depends_on: [api]}\n"
		"  - {name: api}\n  - {name: api-next}\n";
	CU_ASSERT_EQUAL(th_load2(&cat, &d, dump, catalog), 0);
	e = th_dep_of(cat, "web", "api");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 500);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_WEIGHT), 75);
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_WEIGHT, 8, 67));
	CU_ASSERT_EQUAL(th_setting(cat, th_dep_of(cat, "web", "api-next"), DC_DEP_WEIGHT), 25);
	e = th_dep_of(cat, "batch", "api");
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	th_done(cat, d);
	/* a node that is no service of the input: said at the node */
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "{\"node\": {\"cluster\": \"ghost\"}, \"static_resources\": {\"clusters\": [\n"
			      "  {\"name\": \"api\", \"outlier_detection\": {}}]}}\n", catalog), 0);
	CU_ASSERT_TRUE(th_find_diag(d, "Envoy cluster 'api' is the configuration of 'ghost', which is no service", 1,
				    22) >= 0);
	th_done(cat, d);
	/* no node at all: an error */
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "{\"static_resources\": {\"clusters\": []}}\n", catalog), 0);
	CU_ASSERT_TRUE(th_find_diag(d, "an Envoy configuration must say whose it is", 1, 1) >= 0);
	th_done(cat, d);
}

int suite_envoy(void)
{
	static const th_test tests[] = {
		{ "istio sidecar dump", test_istio_dump },
		{ "bootstrap file", test_bootstrap },
		{ "caller scope, weights, node names", test_scope_weights_names },
		{ NULL, NULL }
	};
	return th_suite("envoy", tests);
}
