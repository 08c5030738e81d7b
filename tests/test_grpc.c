/*
 * test_grpc.c - gRPC service configs (lib/load_grpc.c): methodConfig
 * timeouts, retry and hedging policies, retryThrottling as a budget, the
 * client scope of x-depcheck and the forms a gRPC service name is matched
 * by, with positions. Every expected number is worked out next to it.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_frontend(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "grpc/frontend-service-config.json",
			      "realworld/online-boutique/kubernetes-manifests.yaml"), 0);
	/* hipstershop.CartService -> cartservice (its last name, any case):
	 * 300 ms for every attempt, maxAttempts 3 = 2 retries; throttling's
	 * tokenRatio 0.1 is the budget: hang min(300, 3 x 300) = 300, factor
	 * min(3, 1.1) = 1.1 */
	e = th_dep_of(cat, "frontend", "cartservice");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 300);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 2);
	CU_ASSERT_EQUAL(th_setting(cat, e, DC_DEP_PER_TRY_TIMEOUT), 300);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "UNAVAILABLE,RESOURCE_EXHAUSTED");
	CU_ASSERT_DOUBLE_EQUAL(th_setting(cat, e, DC_DEP_RETRY_BUDGET), 0.1, 1e-9);
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_TIMEOUT, 10, 18));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRIES, 12, 24));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_RETRY_BUDGET, 49, 22));
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 300);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 1.1, 1e-9);
	/* ProductCatalogService: the service-wide entry (1 s, no retries) wins
	 * over the GetProduct method's hedging */
	e = th_dep_of(cat, "frontend", "productcatalogservice");
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 1000);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_RETRIES));
	CU_ASSERT(th_setting_at(cat, e, DC_DEP_TIMEOUT, 30, 18));
	/* CurrencyService, mapped by x-depcheck.services: maxAttempts 8 is 5
	 * (gRPC's cap, a note): 4 retries */
	e = th_dep_of(cat, "frontend", "currencyservice");
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 4);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 500);
	CU_ASSERT_TRUE(th_find_diag(d, "gRPC makes at most 5 attempts", 37, 24) >= 0);
	CU_ASSERT_TRUE(th_find_diag(d, "write x-depcheck.server", 45, 17) >= 0);
	/* checkoutservice -> cartservice: not the frontend's channel */
	e = th_dep_of(cat, "checkoutservice", "cartservice");
	CU_ASSERT_TRUE(e >= 0);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	th_done(cat, d);
}

static void test_owner_config(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	/* no client: the owner's config for every caller. pkg.CartService is
	 * the service cart-service (a form of its name), helloworld.Greeter is
	 * greeter; the channel default goes to x-depcheck.server; hedging with
	 * 3 attempts: 2 copies more (factor 3), each waits the whole 400 ms */
	static const char cfg[] =
		"{\"x-depcheck\": {\"server\": \"billing\"},\n"
		" \"methodConfig\": [\n"
		"  {\"name\": [{\"service\": \"pkg.CartService\"}], \"timeout\": \"0.2s\"},\n"
		"  {\"name\": [{\"service\": \"helloworld.Greeter\", \"method\": \"SayHello\"}], \"timeout\": \"0.4s\",\n"
		"   \"hedgingPolicy\": {\"maxAttempts\": 3, \"hedgingDelay\": \"0.1s\"}},\n"
		"  {\"name\": [{}], \"timeout\": \"5s\"}]}\n";
	static const char catalog[] =
		"services:\n  - {name: web, depends_on: [cart-service, greeter, billing]}\n"
		"  - {name: batch, depends_on: [cart-service]}\n"
		"  - {name: cart-service}\n  - {name: greeter}\n  - {name: billing}\n";
	CU_ASSERT_EQUAL(th_load2(&cat, &d, cfg, catalog), 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "web", "cart-service")), 200);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "batch", "cart-service")), 200);
	e = th_dep_of(cat, "web", "greeter");
	CU_ASSERT_EQUAL(dc_dep_retries(cat, (size_t)e), 2);
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_text(cat, (size_t)e, DC_DEP_RETRY_ON), "hedging");
	CU_ASSERT_EQUAL(dc_dep_hang_ms(cat, (size_t)e), 400);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_call_factor(cat, (size_t)e), 3, 1e-9);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)th_dep_of(cat, "web", "billing")), 5000);
	CU_ASSERT_EQUAL(th_find_diag(d, "no service", 0, 0), -1);
	th_done(cat, d);
	/* a client that is no service: said at x-depcheck.client */
	CU_ASSERT_EQUAL(th_load2(&cat, &d, "{\"x-depcheck\": {\"client\": \"ghost\"}, \"methodConfig\": [\n"
			      " {\"name\": [{\"service\": \"x.Greeter\"}], \"timeout\": \"1s\"}]}\n", catalog), 0);
	CU_ASSERT_TRUE(th_find_diag(d, "is the configuration of 'ghost', which is no service", 1, 27) >= 0);
	th_done(cat, d);
}

static void test_values(void)
{
	static const struct {
		const char *text, *msg;
		unsigned line, col;
	} bad[] = {
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"timeout\": \"1h2x\"}]}\n",
		  "timeout of gRPC methodConfig 1 is not a duration: '1h2x'", 1, 61 },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"timeout\": \"-1s\"}]}\n",
		  "timeout of gRPC methodConfig 1 is negative: '-1s'", 1, 61 },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"timeout\": 2}]}\n",
		  "is not a duration: '2'", 1, 61 },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"timeout\": \"1.0000000001s\"}]}\n",
		  "is not a duration", 1, 61 },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"retryPolicy\": {\"maxAttempts\": -2}}]}\n",
		  "retryPolicy.maxAttempts of gRPC methodConfig 1 must be an integer of 2 or more", 1, 81 },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"retryPolicy\": {}}]}\n",
		  "needs maxAttempts", 1, 65 },
		{ "{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": -1}}\n",
		  "retryThrottling.tokenRatio must be a number above 0, not '-1'", 1, 53 },
		{ "{\"methodConfig\": {}}\n", "methodConfig must be an array", 1, 18 },
		{ "{\"methodConfig\": [{\"timeout\": \"1s\"}]}\n", "needs a 'name' array", 1, 19 },
		{ "{\"x-depcheck\": [], \"methodConfig\": []}\n", "x-depcheck must be an object", 1, 16 },
	};
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		th_load(&cat, &d, "config.json", bad[i].text, DC_FORMAT_GRPC);
		if (th_find_diag(d, bad[i].msg, bad[i].line, bad[i].col) < 0) {
			CU_FAIL("diagnostic missing");
			printf("\n case %zu:\n", i);
			th_print_diags(d);
		}
		th_done(cat, d);
	}
}

int suite_grpc(void)
{
	static const th_test tests[] = {
		{ "a client's config", test_frontend },
		{ "an owner's config, name forms, hedging", test_owner_config },
		{ "bad values at their positions", test_values },
		{ NULL, NULL }
	};
	return th_suite("grpc", tests);
}
