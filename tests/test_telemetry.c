/*
 * test_telemetry.c - lib/telemetry.c, which services are telemetry sinks
 * and which variables name telemetry endpoints (a table), and what the
 * Compose and Kubernetes readers make of them: soft edges with the reason
 * in the origin, hard again with DC_LOAD_TELEMETRY_HARD; and how failures
 * propagate over those telemetry edges (simulate and the blast sweep).
 */
#include "helpers.h"

#include <depcheck/blast.h>
#include <depcheck/simulate.h>

#include "telemetry.h"

#include <stdio.h>

static void test_sink_table(void)
{
	static const struct {
		const char *name, *image;
		int sink;
		const char *why; /* prefix */
	} t[] = {
		{ "collector", "otel/opentelemetry-collector-contrib:0.98.0", 1, "image otel/" },
		{ "c", "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0", 1, "image ghcr.io/" },
		{ "c", "docker.io/otel/opentelemetry-collector@sha256:abcd", 1, "image " },
		{ "tracing", "jaegertracing/all-in-one:1.57", 1, "image jaegertracing/" },
		{ "t", "jaegertracing/jaeger-agent", 1, "image " },
		{ "z", "openzipkin/zipkin", 1, "image " },
		{ "m", "prom/prometheus:v2.51.0", 1, "image " },
		{ "m", "registry.example.com:5000/prom/prometheus", 1, "image " },
		{ "l", "fluent/fluent-bit:3.0", 1, "image " },
		{ "l", "fluentd", 1, "image " },
		{ "l", "docker.io/library/logstash:8.13.0", 1, "image " },
		{ "d", "gcr.io/datadoghq/agent:7", 1, "image " },
		{ "a", "grafana/alloy:latest", 1, "image " },
		/* by name, when the image says nothing */
		{ "jaeger-agent", "some/custom:1", 1, "name jaeger-agent" },
		{ "otel-collector", NULL, 1, "name otel-collector" },
		{ "socialnetwork/jaeger-agent", NULL, 1, "name jaeger-agent" },
		{ "OTEL-Collector", "", 1, "name OTEL-Collector" },
		{ "jaeger", "${JAEGERTRACING_IMAGE}", 1, "name jaeger" },
		/* not sinks: applications, databases, dashboards, look-alikes */
		{ "frontend", "nginx:1.25", 0, NULL },
		{ "db", "postgres:16", 0, NULL },
		{ "grafana", "grafana/grafana:10", 0, NULL },
		{ "jaeger-query-ui", "myorg/ui", 0, NULL },
		{ "my-otel-collector-client", "myorg/app", 0, NULL },
		{ "prometheus-client", "myorg/prometheus-app", 0, NULL },
		{ "cart", "ghcr.io/open-telemetry/demo:1.0-cart", 0, NULL },
		{ NULL, NULL, 0, NULL },
		{ "", "", 0, NULL },
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char why[300] = "";
		int got = telemetry_sink(t[i].name, t[i].image, why, sizeof(why));
		if (got != t[i].sink || (t[i].why && strncmp(why, t[i].why, strlen(t[i].why))))
			fprintf(stderr, "telemetry_sink(%s, %s) = %d '%s'\n", t[i].name ? t[i].name : "NULL",
				t[i].image ? t[i].image : "NULL", got, why);
		CU_ASSERT_EQUAL(got, t[i].sink);
		if (t[i].why)
			CU_ASSERT(!strncmp(why, t[i].why, strlen(t[i].why)));
	}
}

static void test_env_table(void)
{
	static const struct {
		const char *var;
		int yes;
	} t[] = {
		{ "OTEL_EXPORTER_OTLP_ENDPOINT", 1 }, { "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", 1 },
		{ "otel_exporter_otlp_endpoint", 1 }, { "OTEL_COLLECTOR_HOST", 1 },
		{ "JAEGER_AGENT_HOST", 1 }, { "JAEGER_ENDPOINT", 1 }, { "ZIPKIN_ENDPOINT", 1 },
		{ "DD_AGENT_HOST", 1 }, { "ELASTIC_APM_SERVER_URL", 1 }, { "STATSD_HOST", 1 },
		{ "DATABASE_URL", 0 }, { "OTEL_SERVICE_NAME", 0 }, { "CART_ADDR", 0 }, { "JAEGER", 0 },
		{ "DD_ENV", 0 }, { "", 0 },
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (telemetry_env(t[i].var, strlen(t[i].var)) != t[i].yes)
			fprintf(stderr, "telemetry_env(%s) != %d\n", t[i].var, t[i].yes);
		CU_ASSERT_EQUAL(telemetry_env(t[i].var, strlen(t[i].var)), t[i].yes);
	}
	/* not NUL-terminated: only len bytes count */
	CU_ASSERT(telemetry_env("JAEGER_AGENT_HOSTxyz", 17));
	CU_ASSERT(!telemetry_env("DD_AGENT_HOST", 5));
}

/* The edge from -> to: its kind, origin; -1 when there is none. */
static int edge(const dc_catalog *cat, const char *from, const char *to, const char **origin)
{
	dc_id f, t;
	size_t d, first, n;
	if (dc_catalog_find(cat, from, &f) || dc_catalog_find(cat, to, &t))
		return -1;
	first = dc_service_dep_first(cat, f);
	n = dc_service_dep_count(cat, f);
	for (d = first; d < first + n; d++)
		if (dc_dep_to(cat, d) == t) {
			*origin = dc_dep_origin(cat, d);
			return (int)dc_dep_kind_of(cat, d);
		}
	return -1;
}

static int load_flags(dc_catalog **cat, dc_diags **diags, const char *name, const char *text,
		      unsigned flags)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	int rc, rf;
	o.flags = flags;
	dc_diags_new(diags);
	dc_catalog_new(cat);
	rc = dc_catalog_add_buffer(*cat, name, text, strlen(text), &o, *diags);
	rf = dc_catalog_finalize(*cat, *diags);
	return rc ? rc : rf;
}

static const char compose_doc[] =
	"services:\n"
	"  web:\n"
	"    image: myorg/web\n"
	"    depends_on: [db, collector]\n"
	"    environment:\n"
	"      OTEL_EXPORTER_OTLP_ENDPOINT: http://tracing:4317\n"
	"      DB_URL: postgres://db:5432/app\n"
	"  db:\n"
	"    image: postgres:16\n"
	"  tracing:\n"
	"    image: myorg/tracer\n"
	"  collector:\n"
	"    image: otel/opentelemetry-collector-contrib:0.98.0\n"
	"    depends_on: [jaeger]\n"
	"  jaeger:\n"
	"    image: jaegertracing/all-in-one\n";

static void test_compose(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	const char *o = NULL;
	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "compose.yaml", compose_doc, 0), 0);
	/* to a sink by image */
	CU_ASSERT_EQUAL(edge(cat, "web", "collector", &o), DC_DEP_SOFT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(o, "depends_on; soft: collector is a telemetry sink "
			       "(image otel/opentelemetry-collector-contrib:0.98.0)");
	/* from a sink to a sink: soft */
	CU_ASSERT_EQUAL(edge(cat, "collector", "jaeger", &o), DC_DEP_SOFT);
	/* by the variable: tracing is no sink by image or name */
	CU_ASSERT_EQUAL(edge(cat, "web", "tracing", &o), DC_DEP_SOFT);
	CU_ASSERT_STRING_EQUAL(o, "env OTEL_EXPORTER_OTLP_ENDPOINT; soft: a telemetry endpoint");
	/* the database stays hard */
	CU_ASSERT_EQUAL(edge(cat, "web", "db", &o), DC_DEP_HARD);
	CU_ASSERT_STRING_EQUAL(o, "depends_on");
	dc_catalog_free(cat);
	dc_diags_free(diags);

	/* turned off: as written */
	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "compose.yaml", compose_doc, DC_LOAD_TELEMETRY_HARD), 0);
	CU_ASSERT_EQUAL(edge(cat, "web", "collector", &o), DC_DEP_HARD);
	CU_ASSERT_STRING_EQUAL(o, "depends_on");
	CU_ASSERT_EQUAL(edge(cat, "collector", "jaeger", &o), DC_DEP_HARD);
	CU_ASSERT_EQUAL(edge(cat, "web", "tracing", &o), DC_DEP_HARD);
	CU_ASSERT_STRING_EQUAL(o, "env OTEL_EXPORTER_OTLP_ENDPOINT");
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

static const char k8s_doc[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
	"spec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
	"      - name: web\n        image: myorg/web\n        env:\n"
	"        - {name: COLLECTOR_ADDR, value: 'otel:4317'}\n"
	"        - {name: JAEGER_AGENT_HOST, value: tracer}\n"
	"        - {name: DB_HOST, value: db}\n"
	"      - name: sidecar\n        image: otel/opentelemetry-collector\n"
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: collector}\n"
	"spec:\n  template:\n    metadata: {labels: {app: otel}}\n    spec:\n      containers:\n"
	"      - {name: c, image: 'otel/opentelemetry-collector-contrib:0.98.0'}\n"
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tracer}\n"
	"spec:\n  template:\n    metadata: {labels: {app: tracer}}\n    spec:\n      containers:\n"
	"      - {name: t, image: myorg/tracer}\n"
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\n"
	"spec:\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers:\n"
	"      - {name: d, image: postgres}\n"
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: otel}\nspec: {selector: {app: otel}}\n"
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: tracer}\nspec: {selector: {app: tracer}}\n"
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {selector: {app: db}}\n";

static void test_kubernetes(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	const char *o = NULL;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "k8s.yaml", k8s_doc, 0), 0);
	n = dc_catalog_service_count(cat);
	CU_ASSERT_EQUAL(n, 4);
	/* web has a collector sidecar: it is no sink itself, its edge to db stays hard */
	CU_ASSERT_EQUAL(edge(cat, "web", "db", &o), DC_DEP_HARD);
	CU_ASSERT_EQUAL(edge(cat, "web", "collector", &o), DC_DEP_SOFT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT(strstr(o, "soft: collector is a telemetry sink (image otel/") != NULL);
	CU_ASSERT_EQUAL(edge(cat, "web", "tracer", &o), DC_DEP_SOFT);
	CU_ASSERT_STRING_EQUAL(o, "env JAEGER_AGENT_HOST; soft: a telemetry endpoint");
	dc_catalog_free(cat);
	dc_diags_free(diags);

	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "k8s.yaml", k8s_doc, DC_LOAD_TELEMETRY_HARD), 0);
	CU_ASSERT_EQUAL(edge(cat, "web", "collector", &o), DC_DEP_HARD);
	CU_ASSERT_EQUAL(edge(cat, "web", "tracer", &o), DC_DEP_HARD);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* Hand-checked: a -> b hard, a -> sink and d -> sink (telemetry export),
 * sink -> b (telemetry: the sink scrapes b), b -> c soft.
 *   fail b:    a DOWN (hard); sink DEGRADED (lost b's metrics, b is DOWN);
 *              d stays UP: a DEGRADED sink degrades nobody
 *   fail c:    b DEGRADED, a DEGRADED (hard dependency degraded); the sink
 *              stays UP: a DEGRADED scrape target is no loss
 *   fail sink: a and d DEGRADED (telemetry lost), nothing DOWN
 * With DC_LOAD_TELEMETRY_HARD the edges are hard as written: b takes the
 * sink, and with it a and d, down. */
static const char prop_doc[] =
	"services:\n"
	"  a:\n"
	"    image: myorg/a\n"
	"    depends_on: [b, sink]\n"
	"  b:\n"
	"    image: myorg/b\n"
	"    depends_on:\n"
	"      c: {condition: service_started, required: false}\n"
	"  c:\n"
	"    image: myorg/c\n"
	"  sink:\n"
	"    image: otel/opentelemetry-collector-contrib:0.98.0\n"
	"    depends_on: [b]\n"
	"  d:\n"
	"    image: myorg/d\n"
	"    depends_on: [sink]\n";

/* The states of a, b, c, sink, d after failing `what`, as "UDX..." (U up,
 * D degraded, X down); its blast radius in *down, *deg. */
static void run_prop(const dc_catalog *cat, const char *what, char *states, size_t *down, size_t *deg)
{
	static const char *const names[] = { "a", "b", "c", "sink", "d" };
	dc_graph *g;
	dc_selection *sel;
	dc_simulation *sim;
	dc_blast *b;
	dc_id id;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&sel, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_select(sel, what), 0);
	CU_ASSERT_EQUAL_FATAL(dc_simulation_run(&sim, g, sel, DC_FAILURE_HANG), 0);
	for (i = 0; i < 5; i++) {
		dc_state st;
		CU_ASSERT_EQUAL_FATAL(dc_catalog_find(cat, names[i], &id), 0);
		st = dc_impact_state(dc_simulation_impact(sim), id);
		states[i] = st == DC_STATE_DOWN ? 'X' : st == DC_STATE_DEGRADED ? 'D' : 'U';
	}
	states[5] = '\0';
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_find(cat, what, &id), 0);
	*down = dc_blast_down(b, id);
	*deg = dc_blast_degraded(b, id);
	/* the sweep agrees with the simulation */
	CU_ASSERT_EQUAL(*down + 1, dc_simulation_summary(sim).down);
	CU_ASSERT_EQUAL(*deg, dc_simulation_summary(sim).degraded);
	dc_blast_free(b);
	dc_simulation_free(sim);
	dc_selection_free(sel);
	dc_graph_free(g);
}

static int telemetry_edge(const dc_catalog *cat, const char *from, const char *to)
{
	dc_id f, t;
	size_t d, first, n;
	if (dc_catalog_find(cat, from, &f) || dc_catalog_find(cat, to, &t))
		return -1;
	first = dc_service_dep_first(cat, f);
	n = dc_service_dep_count(cat, f);
	for (d = first; d < first + n; d++)
		if (dc_dep_to(cat, d) == t)
			return dc_dep_is_telemetry(cat, d);
	return -1;
}

static void test_propagation(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	char st[8];
	size_t down, deg;
	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "compose.yaml", prop_doc, 0), 0);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "a", "sink"), 1);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "d", "sink"), 1);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "sink", "b"), 1);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "a", "b"), 0);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "b", "c"), 0); /* soft, but no telemetry */
	CU_ASSERT_EQUAL(dc_dep_is_telemetry(cat, dc_catalog_dep_count(cat)), 0);
	CU_ASSERT_EQUAL(dc_dep_is_telemetry(cat, (size_t)-1), 0);
	/*                      a b c sink d */
	run_prop(cat, "b", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "XXUDU");
	CU_ASSERT_EQUAL(down, 1);
	CU_ASSERT_EQUAL(deg, 1);
	run_prop(cat, "c", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "DDXUU");
	CU_ASSERT_EQUAL(down, 0);
	CU_ASSERT_EQUAL(deg, 2);
	run_prop(cat, "sink", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "DUUXD");
	CU_ASSERT_EQUAL(down, 0);
	CU_ASSERT_EQUAL(deg, 2);
	run_prop(cat, "a", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "XUUUU");
	dc_catalog_free(cat);
	dc_diags_free(diags);

	/* --telemetry-hard: the edges as written, hard, and they propagate */
	CU_ASSERT_EQUAL_FATAL(load_flags(&cat, &diags, "compose.yaml", prop_doc, DC_LOAD_TELEMETRY_HARD), 0);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "a", "sink"), 0);
	CU_ASSERT_EQUAL(telemetry_edge(cat, "sink", "b"), 0);
	run_prop(cat, "b", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "XXUXX");
	CU_ASSERT_EQUAL(down, 3);
	CU_ASSERT_EQUAL(deg, 0);
	run_prop(cat, "c", st, &down, &deg);
	CU_ASSERT_STRING_EQUAL(st, "DDXDD");
	CU_ASSERT_EQUAL(deg, 4);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

int suite_telemetry(void)
{
	static const th_test t[] = {
		{ "sink table", test_sink_table },
		{ "variable table", test_env_table },
		{ "compose edges", test_compose },
		{ "kubernetes edges", test_kubernetes },
		{ "propagation over telemetry edges", test_propagation },
		{ NULL, NULL }
	};
	return th_suite("telemetry", t);
}
