/*
 * test_reconcile.c - observed call data and reconciliation (lib/reconcile.c):
 * the CSV reader (header detection, quoting, comments, CRLF, BOM, sums of
 * repeated edges, every malformed line at its line:column), the Jaeger
 * reader (plain array, the API's {"data"} wrapper, API errors, wrong
 * types), limits, format detection, hand-checked reconciliations (undeclared
 * to known and unknown services, stale only for observed callers, any_of
 * members, self calls, case-insensitive and ambiguous names, --min-calls),
 * and seeded random catalogs and observations against a brute-force oracle.
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>

static dc_observed *obs_of(const char *text, dc_observed_format fmt, int want_rc, dc_diags **diags)
{
	dc_observed *o = NULL;
	dc_observed_options opt = DC_OBSERVED_OPTIONS_INIT;
	int rc;
	opt.format = fmt;
	dc_diags_new(diags);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	rc = dc_observed_parse(o, "obs", text, strlen(text), &opt, *diags);
	CU_ASSERT_EQUAL(rc, want_rc);
	if (rc != want_rc)
		th_print_diags(*diags);
	return o;
}

/* index of edge caller -> callee, or -1 */
static long edge(const dc_observed *o, const char *a, const char *b)
{
	size_t i;
	for (i = 0; i < dc_observed_count(o); i++)
		if (!strcmp(dc_observed_caller(o, i), a) && !strcmp(dc_observed_callee(o, i), b))
			return (long)i;
	return -1;
}

static uint64_t calls(const dc_observed *o, const char *a, const char *b)
{
	long i = edge(o, a, b);
	return i < 0 ? 0 : dc_observed_calls(o, (size_t)i);
}

static void done(dc_observed *o, dc_diags *d)
{
	dc_observed_free(o);
	dc_diags_free(d);
}

typedef struct {
	const char *text, *msg;
	unsigned line, col;
} bad_case;

/* Each text must fail to parse with `msg` at line:col. */
static void check_bad(const bad_case *cases, size_t n, dc_observed_format fmt)
{
	size_t i;
	for (i = 0; i < n; i++) {
		dc_diags *d;
		dc_observed *o = obs_of(cases[i].text, fmt, DC_EPARSE, &d);
		int k = th_find_diag(d, cases[i].msg, cases[i].line, cases[i].col);
		CU_ASSERT_TRUE(k >= 0);
		if (k < 0) {
			fprintf(stderr, "case %zu:\n", i);
			th_print_diags(d);
		}
		/* no more than the good first row was kept */
		CU_ASSERT_TRUE(dc_observed_count(o) <= 1);
		done(o, d);
	}
}

/* ---- observed traffic: Zipkin, Tempo service graphs, OTLP traces ------------------ */

static dc_observed *obs_file(const char *path, dc_observed_format fmt)
{
	dc_observed *o = NULL;
	dc_diags *d = NULL;
	dc_observed_options opt = DC_OBSERVED_OPTIONS_INIT;
	opt.format = fmt;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, path, &opt, d), 0);
	if (dc_diags_count(d))
		th_print_diags(d);
	dc_diags_free(d);
	return o;
}

#define NEAR(a, b) CU_ASSERT_DOUBLE_EQUAL((a), (b), 1e-6)

static void test_zipkin(void)
{
	dc_observed *o = obs_file(DC_TESTDATA "/observed/zipkin-dependencies.json", DC_OBSERVED_ZIPKIN);
	long i = edge(o, "web", "api");
	CU_ASSERT_EQUAL(dc_observed_count(o), 3);
	CU_ASSERT_FATAL(i >= 0);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)i), 30);
	NEAR(dc_observed_error_ratio(o, (size_t)i), 0.01);           /* 30 / 3000 */
	NEAR(dc_observed_calls_per_s(o, (size_t)i), -1);            /* links carry no window */
	NEAR(dc_observed_p50_ms(o, (size_t)i), -1);
	NEAR(dc_observed_error_ratio(o, (size_t)edge(o, "user", "web")), -1); /* no errorCount */
	NEAR(dc_observed_error_ratio(o, (size_t)edge(o, "api", "db")), 0);
	dc_observed_free(o);
	/* the same link twice: counts and errors add */
	{
		dc_diags *d;
		o = obs_of("[{\"parent\":\"a\",\"child\":\"b\",\"callCount\":10,\"errorCount\":1},"
			   "{\"parent\":\"a\",\"child\":\"b\",\"callCount\":30,\"errorCount\":3}]", DC_OBSERVED_ZIPKIN, 0, &d);
		CU_ASSERT_EQUAL(calls(o, "a", "b"), 40);
		NEAR(dc_observed_error_ratio(o, 0), 0.1);
		done(o, d);
	}
}

static void test_tempo(void)
{
	/* auto-detected; hand-computed from testdata/observed/tempo-service-graph.json:
	 * web -> api: 1000 -> 4000 requests over 300 s = 3000 calls, 10/s; 30 failed;
	 * p50: rank 1500 in (0.01, 0.05] (1000 .. 2500): 0.01 + 0.04 * 500/1500 s;
	 * p99: rank 2970 in (0.1, 0.5] (2900 .. 2995): 0.1 + 0.4 * 70/95 s */
	dc_observed *o = obs_file(DC_TESTDATA "/observed/tempo-service-graph.json", DC_OBSERVED_AUTO);
	long i = edge(o, "web", "api"), j = edge(o, "api", "db"), u = edge(o, "user", "web");
	CU_ASSERT_EQUAL(dc_observed_count(o), 3);
	CU_ASSERT_FATAL(i >= 0 && j >= 0 && u >= 0);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)i), 3000);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)i), 30);
	NEAR(dc_observed_error_ratio(o, (size_t)i), 0.01);
	NEAR(dc_observed_calls_per_s(o, (size_t)i), 10);
	NEAR(dc_observed_p50_ms(o, (size_t)i), 1000 * (0.01 + 0.04 * 500.0 / 1500.0));
	NEAR(dc_observed_p99_ms(o, (size_t)i), 1000 * (0.1 + 0.4 * 70.0 / 95.0));
	/* api -> db: no failed series (the file has some): 0 errors; p50 rank
	 * 3000 ends the first bucket: 5 ms; p99 rank 5940 in (0.01, 0.025] */
	NEAR(dc_observed_error_ratio(o, (size_t)j), 0);
	NEAR(dc_observed_calls_per_s(o, (size_t)j), 20);
	NEAR(dc_observed_p50_ms(o, (size_t)j), 5);
	NEAR(dc_observed_p99_ms(o, (size_t)j), 1000 * (0.01 + 0.015 * 540.0 / 600.0));
	/* user -> web: no histogram, latency unknown */
	NEAR(dc_observed_calls_per_s(o, (size_t)u), 10);
	NEAR(dc_observed_p99_ms(o, (size_t)u), -1);
	CU_ASSERT_EQUAL(dc_observed_location(o, (size_t)i).line, 7);
	dc_observed_free(o);
	/* an instant vector: counts, no rate; a counter reset inside a matrix */
	{
		dc_diags *d;
		o = obs_of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
			   "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\",\"server\":\"b\"},"
			   "\"value\":[1700000000,\"42\"]}]}}", DC_OBSERVED_TEMPO, 0, &d);
		CU_ASSERT_EQUAL(calls(o, "a", "b"), 42);
		NEAR(dc_observed_calls_per_s(o, 0), -1);
		NEAR(dc_observed_error_ratio(o, 0), -1); /* no failed series at all: unknown */
		done(o, d);
		o = obs_of("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
			   "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\",\"server\":\"b\"},"
			   "\"values\":[[0,\"100\"],[10,\"150\"],[20,\"30\"]]}]}}", DC_OBSERVED_TEMPO, 0, &d);
		CU_ASSERT_EQUAL(calls(o, "a", "b"), 80); /* 50, then a reset to 0 and 30 */
		NEAR(dc_observed_calls_per_s(o, 0), 4);
		done(o, d);
	}
}

static void test_tempo_errors(void)
{
	static const char head[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[\n";
	static const struct { const char *series, *msg; unsigned line, col; } cases[] = {
		{ "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\",\"server\":\"b\"},"
		  "\"value\":[1,\"-3\"]}", "a counter's value must be a non-negative number, not -3", 2, 98 },
		{ "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\"},\"value\":[1,\"3\"]}",
		  "without the \"server\" label", 2, 11 },
		{ "{\"metric\":{\"client\":\"a\",\"server\":\"b\"},\"value\":[1,\"3\"]}", "a series without \"__name__\"", 2, 11 },
		{ "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\\u001b[31m\",\"server\":\"b\"},"
		  "\"value\":[1,\"3\"]}", "contains the control character U+001B", 2, 69 },
		{ "{\"metric\":{\"__name__\":\"traces_service_graph_request_failed_total\",\"client\":\"a\",\"server\":\"b\"},"
		  "\"value\":[1,\"3\"]}", "without traces_service_graph_request_total", 2, 1 },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[1024];
		dc_diags *d;
		dc_observed *o;
		snprintf(text, sizeof(text), "%s%s]}}", head, cases[i].series);
		o = obs_of(text, DC_OBSERVED_TEMPO, DC_EPARSE, &d);
		CU_ASSERT_TRUE(th_find_diag(d, cases[i].msg, cases[i].line, cases[i].col) >= 0);
		if (th_find_diag(d, cases[i].msg, cases[i].line, cases[i].col) < 0) {
			fprintf(stderr, "tempo case %zu:\n", i);
			th_print_diags(d);
		}
		CU_ASSERT_EQUAL(dc_observed_count(o), 0);
		done(o, d);
	}
	{
		dc_diags *d;
		dc_observed *o = obs_of("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}",
					DC_OBSERVED_TEMPO, DC_EPARSE, &d);
		CU_ASSERT_TRUE(th_find_diag(d, "the Prometheus API returned an error: parse error", 1, 11) >= 0);
		done(o, d);
		/* more failed requests than requests */
		o = obs_of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
			   "{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"a\",\"server\":\"b\"},\"value\":[1,\"3\"]},"
			   "{\"metric\":{\"__name__\":\"traces_service_graph_request_failed_total\",\"client\":\"a\",\"server\":\"b\"},\"value\":[1,\"4\"]}"
			   "]}}", DC_OBSERVED_TEMPO, DC_EPARSE, &d);
		CU_ASSERT_TRUE(th_find_diag(d, "more failed requests (4) than requests (3)", 0, 0) >= 0);
		done(o, d);
	}
}

static void test_otlp(void)
{
	/* testdata/observed/otlp-traces.jsonl, by hand: web calls api three
	 * times (10, 30 and 20 ms client spans; the 30 ms one failed and was
	 * retried under the same parent span); api calls postgres (peer.service,
	 * not instrumented) twice, 4 and 6 ms; the file spans 2 s */
	dc_observed *o = obs_file(DC_TESTDATA "/observed/otlp-traces.jsonl", DC_OBSERVED_AUTO);
	long i = edge(o, "web", "api"), j = edge(o, "api", "postgres");
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	CU_ASSERT_FATAL(i >= 0 && j >= 0);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)i), 3);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)i), 1);
	CU_ASSERT_EQUAL(dc_observed_retries(o, (size_t)i), 1);
	NEAR(dc_observed_error_ratio(o, (size_t)i), 1.0 / 3);
	NEAR(dc_observed_calls_per_s(o, (size_t)i), 1.5);
	NEAR(dc_observed_p50_ms(o, (size_t)i), 20); /* nearest rank: 2nd of 3 */
	NEAR(dc_observed_p99_ms(o, (size_t)i), 30); /* 3rd of 3 */
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)j), 2);
	CU_ASSERT_EQUAL(dc_observed_retries(o, (size_t)j), 0);
	NEAR(dc_observed_p50_ms(o, (size_t)j), 4);
	NEAR(dc_observed_p99_ms(o, (size_t)j), 6);
	NEAR(dc_observed_calls_per_s(o, (size_t)j), 1);
	CU_ASSERT_EQUAL(dc_observed_location(o, (size_t)i).line, 1);
	dc_observed_free(o);
	{
		/* a JSON error on the second line is reported there */
		dc_diags *d;
		o = obs_of("{\"resourceSpans\":[]}\n{\"resourceSpans\": [}\n", DC_OBSERVED_OTLP, DC_EPARSE, &d);
		CU_ASSERT_TRUE(th_find_diag(d, "JSON syntax error", 2, 20) >= 0);
		if (th_find_diag(d, "JSON syntax error", 2, 20) < 0)
			th_print_diags(d);
		done(o, d);
		o = obs_of("{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[]}]}\n",
			   DC_OBSERVED_OTLP, DC_EPARSE, &d);
		CU_ASSERT_TRUE(th_find_diag(d, "without a \"service.name\"", 1, 19) >= 0);
		done(o, d);
	}
	{
		dc_observed_format f;
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "otlp"), 0);
		CU_ASSERT_EQUAL(f, DC_OBSERVED_OTLP);
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "tempo"), 0);
		CU_ASSERT_EQUAL(f, DC_OBSERVED_TEMPO);
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "zipkin"), 0);
		CU_ASSERT_EQUAL(f, DC_OBSERVED_ZIPKIN);
	}
	/* the parsers alone */
	{
		dc_observed *x;
		dc_diags *d;
		static const char t[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
		CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
		CU_ASSERT_EQUAL_FATAL(dc_observed_new(&x), 0);
		CU_ASSERT_EQUAL(dc_observed_parse_tempo(x, "t", t, strlen(t), NULL, d), 0);
		CU_ASSERT_EQUAL(dc_observed_parse_otlp(x, "o", "{\"resourceSpans\":[]}", 20, NULL, d), 0);
		CU_ASSERT_EQUAL(dc_observed_count(x), 0);
		dc_observed_free(x);
		dc_diags_free(d);
	}
}

static void test_xray(void)
{
	/* by hand: web -> api: 6000 requests over 600 s; 40 faults + 20
	 * throttles; histogram sorted 20 ms x2500, 30 ms x2440 (cum 4940), 40 ms
	 * x1000 (5940), 250 ms x60: rank 3000 -> 30 ms, rank 5940 -> 40 ms */
	dc_observed *o = obs_file(DC_TESTDATA "/observed/xray-service-graph.json", DC_OBSERVED_AUTO);
	long i = edge(o, "web", "api"), j = edge(o, "api", "orders-table");
	dc_diags *d;
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	CU_ASSERT_FATAL(i >= 0 && j >= 0);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)i), 6000);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)i), 60);
	NEAR(dc_observed_calls_per_s(o, (size_t)i), 10);
	NEAR(dc_observed_p50_ms(o, (size_t)i), 30);
	NEAR(dc_observed_p99_ms(o, (size_t)i), 40);
	NEAR(dc_observed_p99_ms(o, (size_t)j), 5);
	NEAR(dc_observed_error_ratio(o, (size_t)j), 0);
	dc_observed_free(o);
	o = obs_of("{\"Services\":[{\"ReferenceId\":0,\"Name\":\"a\",\"Edges\":[{\"ReferenceId\":7}]}]}",
		   DC_OBSERVED_XRAY, DC_EPARSE, &d);
	CU_ASSERT_TRUE(th_find_diag(d, "edge to ReferenceId 7: no service", 1, 66) >= 0);
	done(o, d);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	CU_ASSERT_EQUAL(dc_observed_parse_xray(o, "x", "{\"Services\":[]}", 15, NULL, d), 0);
	done(o, d);
}

static void test_kiali(void)
{
	/* by hand, duration 600 s: unknown -> productpage is no service (skipped);
	 * productpage -> reviews (service node) 4 rps = 2400 calls, errors are
	 * the 5xx only (0.2 rps of 4: 5 % = 120; the caller's own 4xx are not
	 * the callee's failures); reviews (service) -> reviews v1/v2 (apps):
	 * one self edge 2 + 2 rps = 2400 calls, 0 + 120 errors (0.2 of 2 rps); reviews ->
	 * ratings over gRPC 2 rps = 1200 calls, grpcErr 0.02 rps = 12; ratings ->
	 * mongodb over TCP: bytes, one call seen, no rate; the idle edge: none */
	dc_observed *o = obs_file(DC_TESTDATA "/observed/kiali-graph.json", DC_OBSERVED_AUTO);
	long i = edge(o, "productpage", "reviews"), j = edge(o, "reviews", "ratings");
	long k = edge(o, "ratings", "mongodb"), s = edge(o, "reviews", "reviews");
	dc_diags *d;
	CU_ASSERT_EQUAL(dc_observed_count(o), 5);
	CU_ASSERT_FATAL(i >= 0 && j >= 0 && k >= 0 && s >= 0);
	CU_ASSERT_EQUAL(edge(o, "unknown", "productpage"), -1);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)i), 2400);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)i), 120);
	NEAR(dc_observed_error_ratio(o, (size_t)i), 0.05);
	NEAR(dc_observed_calls_per_s(o, (size_t)i), 4);
	NEAR(dc_observed_p99_ms(o, (size_t)i), -1);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)s), 2400);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)s), 120);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)j), 1200);
	CU_ASSERT_EQUAL(dc_observed_errors(o, (size_t)j), 12);
	CU_ASSERT_EQUAL(calls(o, "productpage", "details"), 2400);
	CU_ASSERT_EQUAL(dc_observed_calls(o, (size_t)k), 1);
	NEAR(dc_observed_calls_per_s(o, (size_t)k), -1);
	NEAR(dc_observed_error_ratio(o, (size_t)k), -1);
	CU_ASSERT_EQUAL(dc_observed_location(o, (size_t)i).line, 32);
	dc_observed_free(o);
	/* an error percentage alone (no per-class rates): 10 % of 2 rps x 10 s */
	o = obs_of("{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"id\":\"a\",\"nodeType\":\"workload\","
		   "\"workload\":\"w\"}},{\"data\":{\"id\":\"b\",\"nodeType\":\"service\",\"service\":\"s\"}}],"
		   "\"edges\":[{\"data\":{\"source\":\"a\",\"target\":\"b\",\"traffic\":{\"protocol\":\"http\","
		   "\"rates\":{\"http\":\"2.00\",\"httpPercentErr\":\"10.0\"}}}}]}}", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(calls(o, "w", "s"), 20);
	CU_ASSERT_EQUAL(dc_observed_errors(o, 0), 2);
	done(o, d);
	{
		static const bad_case bad[] = {
			{ "{\"duration\":10,\"elements\":{\"nodes\":{}}}", "expected a Kiali graph", 1, 27 },
			{ "{\"elements\":{\"nodes\":[],\"edges\":[]},\"nodeType\":1}", "needs \"duration\"", 1, 1 },
			{ "{\"duration\":-5,\"elements\":{\"nodes\":[],\"edges\":[]},\"nodeType\":1}", "needs \"duration\"", 1, 13 },
			{ "{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"nodeType\":\"app\"}}],\"edges\":[]}}",
			  "holding an \"id\"", 1, 37 },
			{ "{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"id\":\"a\",\"nodeType\":\"app\",\"app\":\"x\"}}],"
			  "\"edges\":[{\"data\":{\"source\":\"a\",\"target\":\"zz\"}}]}}", "target 'zz' is no node", 1, 125 },
			{ "{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"id\":\"a\",\"nodeType\":\"app\",\"app\":\"x\"}},"
			  "{\"data\":{\"id\":\"b\",\"nodeType\":\"app\",\"app\":\"y\"}}],\"edges\":[{\"data\":{\"source\":\"a\","
			  "\"target\":\"b\",\"traffic\":{\"protocol\":\"http\",\"rates\":{\"http\":\"-1\"}}}}]}}",
			  "the rate \"http\" must be a non-negative number, not '-1'", 1, 221 },
			{ "{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"id\":\"a\",\"nodeType\":\"app\",\"app\":\"x\"}},"
			  "{\"data\":{\"id\":\"b\",\"nodeType\":\"app\",\"app\":\"y\"}}],\"edges\":[{\"data\":{\"source\":\"a\","
			  "\"target\":\"b\",\"traffic\":{\"protocol\":\"http\",\"rates\":{\"http\":\"1\",\"http5xx\":\"3\"}}}}]}}",
			  "x -> y: more failed requests per second (3) than requests (1)", 1, 213 },
			{ "{\"duration\":10,\"elements\":{\"nodes\":[{\"data\":{\"id\":\"a\",\"nodeType\":\"app\",\"app\":\"x\"}},"
			  "{\"data\":{\"id\":\"a\",\"nodeType\":\"app\",\"app\":\"y\"}}],\"edges\":[]}}", "two nodes with the id 'a'", 1, 84 },
		};
		check_bad(bad, sizeof(bad) / sizeof(bad[0]), DC_OBSERVED_KIALI);
	}
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	CU_ASSERT_EQUAL(dc_observed_parse_kiali(o, "k", "{\"duration\":1,\"elements\":{\"nodes\":[]}}", 38, NULL, d), 0);
	CU_ASSERT_EQUAL(dc_observed_count(o), 0);
	done(o, d);
}

/* ---- CSV ----------------------------------------------------------------------- */

static void test_csv(void)
{
	dc_diags *d;
	dc_observed *o = obs_of("\xEF\xBB\xBF# mesh export\r\n"
				"caller,callee,calls\r\n"
				"\r\n"
				"  web , api , 10\r\n"
				"\"we,b\",\"a\"\"pi\",3\n"
				"   # indented comment\n"
				"web,api,5\n"
				"api,db\n"
				"\"api\" , db,7", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 3);
	CU_ASSERT_EQUAL(calls(o, "web", "api"), 15);   /* repeated rows add up */
	CU_ASSERT_EQUAL(calls(o, "we,b", "a\"pi"), 3); /* quoting */
	CU_ASSERT_EQUAL(calls(o, "api", "db"), 8);     /* no count = 1 */
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	{
		dc_location l = dc_observed_location(o, (size_t)edge(o, "web", "api"));
		CU_ASSERT_STRING_EQUAL(l.file, "obs");
		CU_ASSERT_EQUAL(l.line, 4);
		CU_ASSERT_EQUAL(l.column, 3);
	}
	done(o, d);
	/* no header: the first row is data; a header by its words without a count */
	o = obs_of("a,b,1\nb,c,2\n", DC_OBSERVED_CSV, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	done(o, d);
	o = obs_of("Parent,Child\na,b\n", DC_OBSERVED_CSV, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 1);
	CU_ASSERT_EQUAL(calls(o, "a", "b"), 1);
	done(o, d);
	/* empty and comment-only files are fine: nothing observed */
	o = obs_of("# nothing yet\n\n", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 0);
	done(o, d);
}

static void test_csv_errors(void)
{
	static const bad_case cases[] = {
		{ "a,b,1\nc\n", "expected caller,callee[,calls], found 1 field", 2, 1 },
		{ "a,b,1\na,b,2,x\n", "expected caller,callee[,calls], found more than 3 fields", 2, 7 },
		{ "a,b,1\na,b,many\n", "call count 'many' is not a non-negative integer", 2, 5 },
		{ "a,b,1\na,b,-3\n", "call count '-3' is not a non-negative integer", 2, 5 },
		{ "a,b,1\na,b,99999999999999999999999\n", "call count '99999999999999999999999' is out of range", 2, 5 },
		{ "a,b\n\"a,b\n", "unterminated quoted field", 2, 1 },
		{ "a,b\n\"a\"x,b\n", "unexpected 'x' after a quoted field", 2, 4 },
		{ "a,b\n,b\n", "empty caller", 2, 1 },
		{ "a,b\n x , \"\"\n", "empty callee", 2, 6 },
		{ "a,b\nr\xc3\xa9seau,\"\"\n", "empty callee", 2, 8 },   /* columns count characters */
	};
	check_bad(cases, sizeof(cases) / sizeof(cases[0]), DC_OBSERVED_CSV);
	{
		/* many bad lines: the reader gives up after 20 errors */
		char big[4096] = "";
		int j;
		dc_diags *d;
		dc_observed *o;
		for (j = 0; j < 100; j++)
			strcat(big, "x\n");
		o = obs_of(big, DC_OBSERVED_CSV, DC_EPARSE, &d);
		CU_ASSERT_EQUAL(dc_diags_count(d), 20);
		done(o, d);
	}
}

/* ---- Jaeger ----------------------------------------------------------------------- */

static void test_jaeger(void)
{
	dc_diags *d;
	dc_observed *o = obs_of("[{\"parent\": \"web\", \"child\": \"api\", \"callCount\": 12},\n"
				" {\"parent\": \"api\", \"child\": \"db\", \"callCount\": 3, \"source\": \"x\"},\n"
				" {\"parent\": \"web\", \"child\": \"api\", \"callCount\": 1},\n"
				" {\"parent\": \"api\", \"child\": \"cache\"}]", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 3);
	CU_ASSERT_EQUAL(calls(o, "web", "api"), 13);
	CU_ASSERT_EQUAL(calls(o, "api", "cache"), 1);
	CU_ASSERT_EQUAL(dc_observed_location(o, (size_t)edge(o, "api", "db")).line, 2);
	CU_ASSERT_EQUAL(dc_observed_location(o, (size_t)edge(o, "api", "db")).column, 2);
	done(o, d);
	o = obs_of("{\"data\": [{\"parent\": \"a\", \"child\": \"b\", \"callCount\": 7}], \"total\": 1, "
		   "\"limit\": 0, \"offset\": 0, \"errors\": null}", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(calls(o, "a", "b"), 7);
	done(o, d);
	o = obs_of("{\"data\": null, \"errors\": null}", DC_OBSERVED_JAEGER, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 0);
	done(o, d);
	o = obs_of("  \n[]", DC_OBSERVED_AUTO, 0, &d);
	CU_ASSERT_EQUAL(dc_observed_count(o), 0);
	done(o, d);
}

/* The Jaeger parser on its own: JSON only (no sniffing), NULL options. */
static void test_jaeger_direct(void)
{
	static const char deps[] = "[{\"parent\": \"web\", \"child\": \"api\", \"callCount\": 4},\n"
				   " {\"parent\": \"api\", \"child\": \"db\"}]";
	dc_observed *o;
	dc_diags *d;
	dc_location l;
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(dc_observed_parse_jaeger(o, "deps.json", deps, strlen(deps), NULL, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	CU_ASSERT_EQUAL(calls(o, "web", "api"), 4);
	CU_ASSERT_EQUAL(calls(o, "api", "db"), 1); /* no callCount: 1 */
	CU_ASSERT_FATAL(edge(o, "api", "db") >= 0);
	l = dc_observed_location(o, (size_t)edge(o, "api", "db"));
	CU_ASSERT_STRING_EQUAL(l.file, "deps.json");
	CU_ASSERT_EQUAL(l.line, 2);
	CU_ASSERT_EQUAL(l.column, 2);
	/* CSV is not JSON: a syntax error, and the edges so far stay */
	CU_ASSERT_EQUAL(dc_observed_parse_jaeger(o, "calls.csv", "web,api,3\n", 10, NULL, d), DC_EPARSE);
	CU_ASSERT(th_find_diag(d, "JSON syntax error", 0, 0) >= 0);
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	CU_ASSERT_EQUAL(calls(o, "web", "api"), 4);
	done(o, d);
}

static void test_jaeger_errors(void)
{
	static const bad_case cases[] = {
		{ "[{\"parent\": \"a\", \"child\": \"b\"},\n {\"parent\": \"a\"}]", "dependency without \"child\"", 2, 2 },
		{ "[{\"parent\": 3, \"child\": \"b\"}]", "\"parent\" must be a string, not integer", 1, 13 },
		{ "[{\"parent\": \"\", \"child\": \"b\"}]", "\"parent\" is empty", 1, 13 },
		{ "[{\"parent\": \"a\", \"child\": \"b\", \"callCount\": \"3\"}]",
		  "\"callCount\" must be a non-negative integer, not string", 1, 45 },
		{ "[{\"parent\": \"a\", \"child\": \"b\", \"callCount\": -1}]",
		  "\"callCount\" must be a non-negative integer, not a negative number", 1, 45 },
		{ "[{\"parent\": \"a\", \"child\": \"b\", \"callCount\": 1.5}]",
		  "\"callCount\" must be a non-negative integer, not number", 1, 45 },
		{ "[1]", "a dependency must be an object, not integer", 1, 2 },
		{ "{\"dependencies\": []}", "expected an array of dependencies or an object with a \"data\" array", 1, 1 },
		{ "{\"data\": 5}", "expected an array of {\"parent\", \"child\", \"callCount\"} objects, not integer", 1, 10 },
		{ "{\"data\": null, \"errors\": [{\"code\": 500, \"msg\": \"storage down\"}]}",
		  "the Jaeger API returned an error: storage down", 1, 26 },
		{ "[{\"parent\": \"a\",\n  \"child\": }]", "JSON syntax error", 2, 12 },
	};
	check_bad(cases, sizeof(cases) / sizeof(cases[0]), DC_OBSERVED_AUTO);
}

static void test_limits(void)
{
	dc_observed *o;
	dc_diags *d;
	dc_observed_options opt = DC_OBSERVED_OPTIONS_INIT;
	const char *csv = "a,b\nb,c\nc,d\n";
	char name[64];
	dc_diags_new(&d);
	dc_observed_new(&o);
	opt.max_edges = 2;
	CU_ASSERT_EQUAL(dc_observed_parse(o, "e.csv", csv, strlen(csv), &opt, d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "more than 2 distinct observed edges", 3, 1) >= 0);
	CU_ASSERT_EQUAL(dc_observed_count(o), 2);
	opt.max_edges = 0;
	opt.max_file_size = 5;
	CU_ASSERT_EQUAL(dc_observed_parse(o, "e.csv", csv, strlen(csv), &opt, d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "file larger than the limit of 5 bytes", 0, 0) >= 0);
	opt.max_file_size = 0;
	opt.max_name = 3;
	memset(name, 'x', 10);
	strcpy(name + 10, ",b\n");
	CU_ASSERT_EQUAL(dc_observed_parse(o, "n.csv", name, strlen(name), &opt, d), DC_EPARSE);
	CU_ASSERT_TRUE(th_find_diag(d, "caller is longer than 3 bytes", 1, 1) >= 0);
	CU_ASSERT_EQUAL(dc_observed_parse(o, "z.csv", "a,b\0", 4, NULL, d), DC_EPARSE);
	CU_ASSERT_TRUE(th_find_diag(d, "binary data (NUL byte at offset 3)", 1, 4) >= 0);
	opt.version = 7;
	CU_ASSERT_EQUAL(dc_observed_parse(o, "v.csv", csv, strlen(csv), &opt, d), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, "/nonexistent/x.csv", NULL, d), DC_EIO);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, DC_TESTDATA "/reconcile/streaming-calls.csv", NULL, d), 0);
	dc_observed_free(o);
	dc_observed_free(NULL);
	dc_diags_free(d);
	{
		dc_observed_format f;
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "csv"), 0);
		CU_ASSERT_EQUAL(f, DC_OBSERVED_CSV);
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "jaeger"), 0);
		CU_ASSERT_EQUAL(f, DC_OBSERVED_JAEGER);
		CU_ASSERT_EQUAL(dc_observed_format_parse(&f, "kafka"), DC_EINVALID);
	}
}

/* ---- reconciliation ------------------------------------------------------------------ */

typedef struct {
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_observed *o;
	dc_reconcile *r;
} rfx;

static void rfx_run(rfx *f, const char *yaml, const char *observed, uint64_t min_calls)
{
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	memset(f, 0, sizeof(*f));
	CU_ASSERT_EQUAL_FATAL(th_load(&f->cat, &f->d, "c.yaml", yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&f->g, f->cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&f->o), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_parse(f->o, "o.csv", observed, strlen(observed), NULL, f->d), 0);
	ro.min_calls = min_calls;
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_compute(&f->r, f->g, f->o, &ro), 0);
}

static void rfx_free(rfx *f)
{
	dc_reconcile_free(f->r);
	dc_observed_free(f->o);
	dc_graph_free(f->g);
	dc_catalog_free(f->cat);
	dc_diags_free(f->d);
}

/* "a>b:N,..." of the undeclared rows (callee as resolved or as observed) */
static int undeclared_is(const rfx *f, const char *want)
{
	const dc_undeclared *u;
	size_t n = dc_reconcile_undeclared(f->r, &u), i;
	char buf[1024] = "", one[256];
	for (i = 0; i < n; i++) {
		snprintf(one, sizeof(one), "%s%s>%s%s:%llu", i ? "," : "", dc_service_name(f->cat, u[i].caller),
			 u[i].callee == DC_NO_ID ? "?" : "", u[i].callee == DC_NO_ID ?
			 dc_observed_callee(f->o, u[i].observed) : dc_service_name(f->cat, u[i].callee),
			 (unsigned long long)u[i].calls);
		strcat(buf, one);
	}
	if (strcmp(buf, want))
		fprintf(stderr, "undeclared: %s\n", buf);
	return !strcmp(buf, want);
}

static int stale_is(const rfx *f, const char *want)
{
	const uint32_t *s;
	size_t n = dc_reconcile_stale(f->r, &s), i;
	char buf[1024] = "", one[256];
	for (i = 0; i < n; i++) {
		snprintf(one, sizeof(one), "%s%s>%s", i ? "," : "", dc_service_name(f->cat, dc_dep_from(f->cat, s[i])),
			 dc_service_name(f->cat, dc_dep_to(f->cat, s[i])));
		strcat(buf, one);
	}
	if (strcmp(buf, want))
		fprintf(stderr, "stale: %s\n", buf);
	return !strcmp(buf, want);
}

static const char *catalog =
	"services:\n"
	"  - {name: web, entrypoint: true, depends_on: [api, {service: ads, kind: soft}]}\n"
	"  - {name: api, depends_on: [db, {any_of: [cache-a, cache-b]}]}\n"
	"  - {name: ads}\n  - {name: db}\n  - {name: cache-a}\n  - {name: cache-b}\n"
	"  - {name: batch, depends_on: [db]}\n"
	"  - {name: Foo}\n  - {name: foo}\n";

static void test_reconcile_hand(void)
{
	rfx f;
	const dc_unknown_service *unk;
	rfx_run(&f, catalog,
		"web,api,100\n"
		"WEB,db,40\n"            /* names resolve case-insensitively: undeclared web -> db */
		"api,cache-b,9\n"        /* an any_of member: declared */
		"api,db,0\n"             /* zero calls: not an observation */
		"api,geo,5\n"            /* unknown callee */
		"ghost,db,7\n"           /* unknown caller: not undeclared, an unknown service */
		"api,api,50\n"           /* self call: ignored */
		"web,FOO,2\n"            /* ambiguous: Foo and foo */
		"db,cache-a,1\n",        /* below --min-calls 2: noise, but covers db */
		2);
	CU_ASSERT_TRUE(undeclared_is(&f, "web>db:40,api>?geo:5,web>?FOO:2"));
	/* web and api are observed callers: web -> ads (soft) and api -> db
	 * (zero calls) and api -> cache-a (the unused group member) are stale;
	 * batch has no observations: its one dependency is not covered */
	CU_ASSERT_TRUE(stale_is(&f, "api>cache-a,api>db,web>ads"));
	CU_ASSERT_EQUAL(dc_reconcile_not_covered(f.r), 1);
	CU_ASSERT_EQUAL(dc_reconcile_confirmed(f.r), 2);
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_unknown(f.r, &unk), 3);
	CU_ASSERT_STRING_EQUAL(unk[0].name, "FOO");
	CU_ASSERT_TRUE(unk[0].ambiguous);
	CU_ASSERT_EQUAL(unk[0].calls_in, 2);
	CU_ASSERT_STRING_EQUAL(unk[1].name, "geo");
	CU_ASSERT_FALSE(unk[1].ambiguous);
	CU_ASSERT_EQUAL(unk[1].calls_in, 5);
	CU_ASSERT_STRING_EQUAL(unk[2].name, "ghost");
	CU_ASSERT_EQUAL(unk[2].calls_out, 7);
	CU_ASSERT_EQUAL(unk[2].calls_in, 0);
	rfx_free(&f);
	/* --min-calls 1: db -> cache-a is a finding too */
	rfx_run(&f, catalog, "db,cache-a,1\n", 1);
	CU_ASSERT_TRUE(undeclared_is(&f, "db>cache-a:1"));
	CU_ASSERT_TRUE(stale_is(&f, ""));
	CU_ASSERT_EQUAL(dc_reconcile_not_covered(f.r), 6);
	rfx_free(&f);
	{
		dc_reconcile *r = NULL;
		dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
		rfx_run(&f, catalog, "", 1);
		CU_ASSERT_TRUE(undeclared_is(&f, ""));
		CU_ASSERT_EQUAL(dc_reconcile_not_covered(f.r), dc_catalog_dep_count(f.cat));
		ro.version = 3;
		CU_ASSERT_EQUAL(dc_reconcile_compute(&r, f.g, f.o, &ro), DC_EINVALID);
		CU_ASSERT_PTR_NULL(r);
		rfx_free(&f);
	}
}

/* The streaming example with the observations of testdata/reconcile/. */
static void test_reconcile_streaming(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_observed *o;
	dc_reconcile *r;
	const dc_undeclared *u;
	const dc_unknown_service *unk;
	CU_ASSERT_EQUAL_FATAL(th_load_path(&cat, &d, DC_TESTDATA "/catalogs/streaming/catalog.yaml"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	dc_observed_new(&o);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, DC_TESTDATA "/reconcile/streaming-jaeger.json", NULL, d), 0);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, DC_TESTDATA "/reconcile/streaming-calls.csv", NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_compute(&r, g, o, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_undeclared(r, &u), 4);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, u[0].caller), "playback");
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, u[0].callee), "payments");
	CU_ASSERT_EQUAL(u[0].calls, 1234);
	CU_ASSERT_EQUAL(u[1].callee, DC_NO_ID);
	CU_ASSERT_STRING_EQUAL(dc_observed_callee(o, u[1].observed), "geo-ip");
	CU_ASSERT_EQUAL(dc_reconcile_stale(r, &(const uint32_t *){ NULL }), 4);
	CU_ASSERT_EQUAL(dc_reconcile_unknown(r, &unk), 2);
	CU_ASSERT_EQUAL(dc_reconcile_confirmed(r) + dc_reconcile_not_covered(r) + 4, dc_catalog_dep_count(cat));
	dc_reconcile_free(r);
	dc_observed_free(o);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
}


/* ---- observed calls as edges of the catalog (dc_catalog_add_observed) ------------------ */

/* catalog text + observed text (format fmt) + options: the finalized catalog */
static dc_catalog *cat_obs(const char *text, const char *obs_text, dc_observed_format fmt,
			   const dc_catalog_observed_options *co, dc_diags **d)
{
	dc_load_options lo = DC_LOAD_OPTIONS_INIT;
	dc_observed *o = obs_of(obs_text, fmt, 0, d);
	dc_catalog *cat = NULL;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "c.yaml", text, strlen(text), &lo, *d), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_observed(cat, o, co), 0);
	dc_observed_free(o); /* copied */
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, *d), 0);
	return cat;
}

static const char *obs_catalog =
	"services:\n"
	"  - {name: web, entrypoint: true, latency_ms: 5, depends_on: [{service: api, timeout_ms: 2000}]}\n"
	"  - {name: api, depends_on: [{service: cache, kind: soft}]}\n"
	"  - {name: cache}\n  - {name: db, latency_ms: 50}\n  - {name: batch}\n";

/* The Tempo answer of tests above, by hand: user -> web 10/s, web -> api
 * 10/s (p50 20 ms), api -> db 5/s (p50 8 ms, 1 error in 100), api -> cache
 * 20/s, batch -> db 2 calls in 100 s, api -> geo (unknown). */
static const char *obs_tempo =
	"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"user\",\"server\":\"web\"},"
	"\"values\":[[0,\"0\"],[100,\"1000\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"web\",\"server\":\"api\"},"
	"\"values\":[[0,\"0\"],[100,\"1000\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_server_seconds_bucket\",\"client\":\"web\",\"server\":\"api\",\"le\":\"0.01\"},"
	"\"values\":[[0,\"0\"],[100,\"0\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_server_seconds_bucket\",\"client\":\"web\",\"server\":\"api\",\"le\":\"0.03\"},"
	"\"values\":[[0,\"0\"],[100,\"1000\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_server_seconds_bucket\",\"client\":\"web\",\"server\":\"api\",\"le\":\"+Inf\"},"
	"\"values\":[[0,\"0\"],[100,\"1000\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"api\",\"server\":\"db\"},"
	"\"values\":[[0,\"0\"],[100,\"500\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_failed_total\",\"client\":\"api\",\"server\":\"db\"},"
	"\"values\":[[0,\"0\"],[100,\"5\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_server_seconds_bucket\",\"client\":\"api\",\"server\":\"db\",\"le\":\"0.01\"},"
	"\"values\":[[0,\"0\"],[100,\"500\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_server_seconds_bucket\",\"client\":\"api\",\"server\":\"db\",\"le\":\"+Inf\"},"
	"\"values\":[[0,\"0\"],[100,\"500\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"api\",\"server\":\"cache\"},"
	"\"values\":[[0,\"0\"],[100,\"2000\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"batch\",\"server\":\"db\"},"
	"\"values\":[[0,\"0\"],[100,\"2\"]]},"
	"{\"metric\":{\"__name__\":\"traces_service_graph_request_total\",\"client\":\"api\",\"server\":\"geo\"},"
	"\"values\":[[0,\"0\"],[100,\"7\"]]}"
	"]}}";

static void test_observed_edges(void)
{
	dc_diags *d;
	dc_catalog *cat = cat_obs(obs_catalog, obs_tempo, DC_OBSERVED_TEMPO, NULL, &d);
	dc_dep_traffic t;
	long e;
	/* declared web -> api: refined, still declared */
	e = th_dep_of(cat, "web", "api");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_FALSE(dc_dep_is_observed(cat, (size_t)e));
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)e), DC_DEP_HARD);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 2000);
	CU_ASSERT_TRUE_FATAL(dc_dep_observed(cat, (size_t)e, &t));
	CU_ASSERT_EQUAL(t.calls, 1000);
	CU_ASSERT_DOUBLE_EQUAL(t.calls_per_s, 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(t.p50_ms, 20, 1e-9); /* rank 500 of 1000 in (10, 30] ms: 10 + 20 * 0.5 */
	CU_ASSERT_DOUBLE_EQUAL(t.error_ratio, 0, 1e-12); /* the file has failed series: none here is 0 */
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)e), "depends_on");
	/* observed api -> db and batch -> db: declared nowhere, soft, origin observed */
	e = th_dep_of(cat, "api", "db");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_TRUE(dc_dep_is_observed(cat, (size_t)e));
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)e), DC_DEP_SOFT);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)e), "observed");
	CU_ASSERT_TRUE_FATAL(dc_dep_observed(cat, (size_t)e, &t));
	CU_ASSERT_EQUAL(t.calls, 500);
	CU_ASSERT_DOUBLE_EQUAL(t.error_ratio, 0.01, 1e-12);
	CU_ASSERT_STRING_EQUAL(t.where.file, "obs");
	CU_ASSERT_TRUE(th_dep_of(cat, "batch", "db") >= 0);
	/* the unknown callee geo and Tempo's `user` add nothing; a note counts
	 * the calls to geo (user's are entry traffic) */
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 4);
	CU_ASSERT_TRUE(th_find_diag(d, "1 observed call edge calls a service the catalog does not define", 0, 0) >= 0);
	/* the declared soft api -> cache stays soft and gets calls per request
	 * from the rates: 20/s over api's 10/s in */
	e = th_dep_of(cat, "api", "cache");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)e), DC_DEP_SOFT);
	CU_ASSERT_TRUE(dc_dep_calls_observed(cat, (size_t)e));
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(cat, (size_t)e, DC_DEP_CALLS), 2, 1e-9);
	/* api -> db: 5/s over 10/s; web -> api: 10/s over user's 10/s; batch
	 * has no observed inbound rate: no ratio */
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(cat, (size_t)th_dep_of(cat, "api", "db"), DC_DEP_CALLS), 0.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(cat, (size_t)th_dep_of(cat, "web", "api"), DC_DEP_CALLS), 1, 1e-9);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)th_dep_of(cat, "batch", "db"), DC_DEP_CALLS));
	/* entrypoints: web (written); batch (nothing calls it); db is called now */
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "batch")));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "db")));
	th_done(cat, d);
}

static void test_observed_edges_modes(void)
{
	dc_diags *d;
	dc_catalog_observed_options co = DC_CATALOG_OBSERVED_OPTIONS_INIT;
	dc_catalog *cat;
	dc_observed_edges m;
	long e;
	co.edges = DC_OBSERVED_EDGES_HARD;
	cat = cat_obs(obs_catalog, obs_tempo, DC_OBSERVED_TEMPO, &co, &d);
	e = th_dep_of(cat, "api", "db");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)e), DC_DEP_HARD);
	CU_ASSERT_TRUE(dc_dep_is_observed(cat, (size_t)e));
	th_done(cat, d);
	/* ignore: no edge added, the declared ones still carry the traffic */
	co.edges = DC_OBSERVED_EDGES_IGNORE;
	cat = cat_obs(obs_catalog, obs_tempo, DC_OBSERVED_TEMPO, &co, &d);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 2);
	CU_ASSERT_EQUAL(th_dep_of(cat, "api", "db"), -1);
	CU_ASSERT_TRUE(dc_dep_observed(cat, (size_t)th_dep_of(cat, "web", "api"), NULL));
	th_done(cat, d);
	/* min_calls 3: batch -> db (2 calls) is noise */
	co.edges = DC_OBSERVED_EDGES_SOFT;
	co.min_calls = 3;
	cat = cat_obs(obs_catalog, obs_tempo, DC_OBSERVED_TEMPO, &co, &d);
	CU_ASSERT_EQUAL(th_dep_of(cat, "batch", "db"), -1);
	CU_ASSERT_TRUE(th_dep_of(cat, "api", "db") >= 0);
	CU_ASSERT_TRUE(th_find_diag(d, "1 observed call edge with fewer than 3 calls", 0, 0) >= 0);
	th_done(cat, d);
	/* bad arguments: options, a finalized catalog */
	{
		dc_observed *o = obs_of("a,b,1\n", DC_OBSERVED_CSV, 0, &d);
		dc_catalog *c2 = NULL;
		dc_load_options lo = DC_LOAD_OPTIONS_INIT;
		dc_catalog_new(&c2);
		co.version = 99;
		CU_ASSERT_EQUAL(dc_catalog_add_observed(c2, o, &co), DC_EINVALID);
		co.version = DC_CATALOG_OBSERVED_OPTIONS_VERSION;
		co.edges = (dc_observed_edges)7;
		CU_ASSERT_EQUAL(dc_catalog_add_observed(c2, o, &co), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_catalog_add_observed(NULL, o, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_catalog_add_observed(c2, NULL, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_catalog_add_buffer(c2, "c.yaml", "services: [{name: a}]\n", 22, &lo, d), 0);
		CU_ASSERT_EQUAL(dc_catalog_finalize(c2, d), 0);
		CU_ASSERT_EQUAL(dc_catalog_add_observed(c2, o, NULL), DC_EINVALID);
		CU_ASSERT_FALSE(dc_dep_observed(c2, 0, NULL));
		CU_ASSERT_FALSE(dc_dep_is_observed(c2, 5));
		CU_ASSERT_FALSE(dc_dep_calls_observed(NULL, 0));
		dc_observed_free(o);
		th_done(c2, d);
	}
	CU_ASSERT_EQUAL(dc_observed_edges_parse(&m, "hard"), 0);
	CU_ASSERT_EQUAL(m, DC_OBSERVED_EDGES_HARD);
	CU_ASSERT_EQUAL(dc_observed_edges_parse(&m, "soft"), 0);
	CU_ASSERT_EQUAL(m, DC_OBSERVED_EDGES_SOFT);
	CU_ASSERT_EQUAL(dc_observed_edges_parse(&m, "ignore"), 0);
	CU_ASSERT_EQUAL(m, DC_OBSERVED_EDGES_IGNORE);
	CU_ASSERT_EQUAL(dc_observed_edges_parse(&m, "Hard"), DC_EINVALID);
}

/* The analyses on observed edges: a failure propagates over the soft
 * observed edge as a degradation (hard: down); the critical path takes the
 * observed p50 of a service with no declared latency; the export loads
 * back with the same edges and traffic. */
static void test_observed_edges_analyses(void)
{
	dc_diags *d;
	dc_catalog *cat = cat_obs(obs_catalog, obs_tempo, DC_OBSERVED_TEMPO, NULL, &d), *back = NULL;
	dc_graph *g = NULL;
	dc_impact *imp = NULL;
	dc_critical *cp = NULL;
	dc_id db = th_id(cat, "db");
	char *json;
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
	CU_ASSERT_EQUAL(dc_impact_run(imp, &db, 1, NULL, 0), 0);
	CU_ASSERT_EQUAL(th_state(cat, imp, "api"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(th_state(cat, imp, "web"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(th_state(cat, imp, "batch"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, g), 0);
	/* db declares 50 ms: its observed 10 ms p50 does not replace it; api
	 * declares nothing: its observed 20 ms p50 is less than db's 50, so the
	 * model's 50 holds; web: 5 + 50 */
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, db), 50, 1e-9);
	CU_ASSERT_FALSE(dc_critical_latency_observed(cp, db));
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, th_id(cat, "api")), 50, 1e-9);
	CU_ASSERT_FALSE(dc_critical_latency_observed(cp, th_id(cat, "api")));
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, th_id(cat, "web")), 55, 1e-9);
	CU_ASSERT_EQUAL(dc_critical_observed_count(cp), 0);
	dc_critical_free(cp);
	/* the export: observed, observed_calls, calls_per_s, error_ratio, p50_ms */
	json = th_export(cat, DC_OUTPUT_JSON);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"service\": \"db\", \"kind\": \"soft\", \"timeout_ms\": 1000, "
					    "\"retries\": 0, \"stage\": 0, \"calls\": 0.5, \"observed\": true, "
					    "\"observed_calls\": 500, \"calls_per_s\": 5, \"error_ratio\": 0.01, "
					    "\"p50_ms\": 5"));
	{
		dc_diags *d2;
		CU_ASSERT_EQUAL(th_load(&back, &d2, "x.json", json, DC_FORMAT_AUTO), 0);
		if (back) {
			long e = th_dep_of(back, "api", "db");
			dc_dep_traffic t;
			CU_ASSERT_FATAL(e >= 0);
			CU_ASSERT_TRUE(dc_dep_is_observed(back, (size_t)e));
			CU_ASSERT_STRING_EQUAL(dc_dep_origin(back, (size_t)e), "observed");
			CU_ASSERT_TRUE_FATAL(dc_dep_observed(back, (size_t)e, &t));
			CU_ASSERT_EQUAL(t.calls, 500);
			CU_ASSERT_DOUBLE_EQUAL(t.error_ratio, 0.01, 1e-12);
			CU_ASSERT_DOUBLE_EQUAL(t.calls_per_s, 5, 1e-12);
			CU_ASSERT_FALSE(dc_dep_is_observed(back, (size_t)th_dep_of(back, "web", "api")));
			CU_ASSERT_EQUAL(dc_diags_count_severity(d2, DC_SEV_WARNING), 0);
		}
		th_done(back, d2);
	}
	free(json);
	dc_impact_free(imp);
	dc_graph_free(g);
	th_done(cat, d);
	/* a service with no latency and a slow observed call: the p50 is its
	 * total, its own time the p50 less its calls */
	cat = cat_obs("services:\n  - {name: web, entrypoint: true, depends_on: [api]}\n"
		      "  - {name: api, depends_on: [db]}\n  - {name: db, latency_ms: 4}\n",
		      "caller,callee,calls\nweb,api,10\n", DC_OBSERVED_CSV, NULL, &d);
	/* CSV has no latencies: nothing observed */
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, g), 0);
	CU_ASSERT_EQUAL(dc_critical_observed_count(cp), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, th_id(cat, "web")), 4, 1e-9);
	dc_critical_free(cp);
	dc_graph_free(g);
	th_done(cat, d);
	cat = cat_obs("services:\n  - {name: web, entrypoint: true, depends_on: [api]}\n"
		      "  - {name: api, depends_on: [db]}\n  - {name: db, latency_ms: 4}\n",
		      obs_tempo, DC_OBSERVED_TEMPO, NULL, &d);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_critical_new(&cp, g), 0);
	CU_ASSERT_TRUE(dc_critical_latency_observed(cp, th_id(cat, "api")));
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, th_id(cat, "api")), 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(dc_critical_total_ms(cp, th_id(cat, "web")), 20, 1e-9);
	CU_ASSERT_EQUAL(dc_critical_observed_count(cp), 1);
	{
		const dc_critical_hop *h;
		size_t n;
		CU_ASSERT_EQUAL_FATAL(dc_critical_chain(cp, th_id(cat, "web"), &h, &n), 0);
		CU_ASSERT_EQUAL_FATAL(n, 3);
		CU_ASSERT_DOUBLE_EQUAL(h[1].own_ms, 16, 1e-9); /* 20 - db's 4 */
		CU_ASSERT_DOUBLE_EQUAL(h[1].end_ms, 20, 1e-9);
	}
	dc_critical_free(cp);
	dc_graph_free(g);
	th_done(cat, d);
}

/* ---- randomized against brute force ---------------------------------------------------- */

static void test_reconcile_random(void)
{
	uint64_t seed = 0x0b5e7edull;
	int round;
	size_t seen_u = 0, seen_s = 0, seen_k = 0;
	for (round = 0; round < 200; round++) {
		unsigned n = 3 + gen_below(&seed, 25), i, nobs = gen_below(&seed, 60);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 20, 30, 10, &e), k, j;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_observed *o;
		dc_diags *d;
		dc_reconcile *r;
		dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
		char csv[8192] = "", line[64];
		const dc_undeclared *u;
		const uint32_t *st;
		const dc_unknown_service *unk;
		size_t want_u = 0, want_s = 0, want_nc = 0, want_unknown = 0;
		uint8_t covered[32] = { 0 }, ucall[64] = { 0 };
		uint64_t cnt[34][34];
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		memset(cnt, 0, sizeof(cnt));
		/* names s0..s{n-1} and two unknown ones (x0, x1 = ids n, n+1) */
		for (i = 0; i < nobs; i++) {
			unsigned a = gen_below(&seed, n + 2), b = gen_below(&seed, n + 2), c = gen_below(&seed, 5);
			snprintf(line, sizeof(line), "%s%u,%s%u,%u\n", a < n ? "s" : "x", a < n ? a : a - n,
				 b < n ? "s" : "x", b < n ? b : b - n, c);
			strcat(csv, line);
			cnt[a][b] += c;
		}
		ro.min_calls = 1 + gen_below(&seed, 3);
		dc_diags_new(&d);
		dc_observed_new(&o);
		CU_ASSERT_EQUAL_FATAL(dc_observed_parse(o, "r.csv", csv, strlen(csv), NULL, d), 0);
		CU_ASSERT_EQUAL_FATAL(dc_reconcile_compute(&r, g, o, &ro), 0);
		/* oracle */
		for (i = 0; i < n; i++)
			for (j = 0; j < n + 2; j++)
				if (cnt[i][j] > 0)
					covered[i] = 1;
		for (i = 0; i < n + 2; i++)
			for (j = 0; j < n + 2; j++) {
				int declared = 0;
				if (!cnt[i][j] || i == j)
					continue;
				if (cnt[i][j] >= ro.min_calls && (i >= n || j >= n)) {
					if (i >= n)
						ucall[i] = 1;
					if (j >= n)
						ucall[j] = 1;
				}
				if (i >= n)
					continue;
				for (k = 0; k < m; k++)
					if (e[k].from == i && e[k].to == j)
						declared = 1;
				if (!declared && cnt[i][j] >= ro.min_calls)
					want_u++;
			}
		for (k = 0; k < m; k++) {
			if (!covered[e[k].from])
				want_nc++;
			else if (!cnt[e[k].from][e[k].to])
				want_s++;
		}
		for (i = n; i < n + 2; i++)
			want_unknown += ucall[i];
		CU_ASSERT_EQUAL(dc_reconcile_undeclared(r, &u), want_u);
		for (k = 0; k < dc_reconcile_undeclared(r, &u); k++) {
			unsigned a = (unsigned)u[k].caller, b = u[k].callee == DC_NO_ID ? n + (unsigned)(dc_observed_callee(o,
				u[k].observed)[1] - '0') : (unsigned)u[k].callee;
			CU_ASSERT_EQUAL(u[k].calls, cnt[a][b]);
			if (k)
				CU_ASSERT_TRUE(u[k].calls <= u[k - 1].calls);
		}
		CU_ASSERT_EQUAL(dc_reconcile_stale(r, &st), want_s);
		for (k = 0; k < want_s && k < dc_reconcile_stale(r, &st); k++)
			CU_ASSERT_EQUAL(cnt[dc_dep_from(cat, st[k])][dc_dep_to(cat, st[k])], 0);
		CU_ASSERT_EQUAL(dc_reconcile_not_covered(r), want_nc);
		CU_ASSERT_EQUAL(dc_reconcile_unknown(r, &unk), want_unknown);
		seen_u += want_u;
		seen_s += want_s;
		seen_k += want_unknown;
		dc_reconcile_free(r);
		dc_observed_free(o);
		dc_diags_free(d);
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(e);
	}
	CU_ASSERT_TRUE(seen_u > 50 && seen_s > 50 && seen_k > 50);
}

int suite_reconcile(void)
{
	static const th_test tests[] = {
		{ "csv", test_csv },
		{ "csv errors", test_csv_errors },
		{ "jaeger", test_jaeger },
		{ "jaeger parser alone", test_jaeger_direct },
		{ "jaeger errors", test_jaeger_errors },
		{ "zipkin links", test_zipkin },
		{ "tempo service graph", test_tempo },
		{ "tempo errors", test_tempo_errors },
		{ "otlp traces", test_otlp },
		{ "x-ray service graph", test_xray },
		{ "kiali graph", test_kiali },
		{ "limits and files", test_limits },
		{ "reconcile by hand", test_reconcile_hand },
		{ "streaming observations", test_reconcile_streaming },
		{ "random vs brute force", test_reconcile_random },
		{ "observed edges", test_observed_edges },
		{ "observed edges: modes and arguments", test_observed_edges_modes },
		{ "observed edges in the analyses", test_observed_edges_analyses },
		{ NULL, NULL }
	};
	return th_suite("reconcile", tests);
}
