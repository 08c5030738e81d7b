/*
 * telemetry.c - which services are telemetry sinks, which environment
 * variables name telemetry endpoints (telemetry.h). The lists are the
 * well-known images and variables of OpenTelemetry, Jaeger, Zipkin,
 * Prometheus, Grafana, Fluentd/Fluent Bit, Logstash, Vector, Datadog and
 * Elastic APM; docs/inputs.md lists them. Matching is case-insensitive.
 */
#include "telemetry.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Image repositories (the part after the last registry host, without tag or
 * digest): an entry ending in '*' matches as a prefix. */
static const char *const images[] = {
	"otel/opentelemetry-collector*", "opentelemetry-collector*", "otel/opentelemetry-collector-contrib",
	"jaegertracing/*", "openzipkin/zipkin*", "grafana/agent", "grafana/alloy", "grafana/tempo",
	"grafana/loki", "grafana/promtail", "prom/prometheus", "prom/pushgateway", "prom/statsd-exporter",
	"fluent/fluent-bit", "fluent/fluentd*", "fluentd", "datadog/agent", "gcr.io/datadoghq/agent",
	"elastic/apm-server", "docker.elastic.co/apm/apm-server", "logstash",
	"docker.elastic.co/logstash/logstash", "timberio/vector", "signoz/signoz-otel-collector",
	"newrelic/infrastructure", "statsd/statsd", "graphiteapp/graphite-statsd", NULL
};

/* Service names (exact, or prefix when ending in '*'). */
static const char *const names[] = {
	"otel-collector", "otelcol", "otelcol-contrib", "opentelemetry-collector*", "jaeger",
	"jaeger-agent", "jaeger-collector", "jaeger-all-in-one", "zipkin", "tempo", "fluentd",
	"fluent-bit", "fluentbit", "logstash", "vector", "datadog-agent", "dd-agent", "statsd",
	"promtail", "grafana-agent", "alloy", NULL
};

static int match(const char *pat, const char *s, size_t n)
{
	size_t pl = strlen(pat);
	if (pl && pat[pl - 1] == '*')
		return n >= pl - 1 && !strncasecmp(pat, s, pl - 1);
	return n == pl && !strncasecmp(pat, s, n);
}

/* The repository of an image reference: without ":tag" and "@digest"; the
 * registry host is kept (lists name both forms where it matters) and
 * "docker.io/" / "docker.io/library/" dropped. */
static size_t image_repo(const char *img, const char **start)
{
	const char *s = img, *at = strchr(img, '@'), *end, *slash, *colon;
	if (!strncasecmp(s, "docker.io/", 10))
		s += 10;
	if (!strncasecmp(s, "library/", 8))
		s += 8;
	end = at ? at : s + strlen(s);
	slash = NULL;
	for (colon = s; colon < end; colon++)
		if (*colon == '/')
			slash = colon;
	colon = memchr(slash ? slash : s, ':', (size_t)(end - (slash ? slash : s)));
	if (colon)
		end = colon;
	*start = s;
	return (size_t)(end - s);
}

int telemetry_sink(const char *name, const char *image, char *why, size_t size)
{
	const char *const *p;
	if (image && *image && !strchr(image, '$')) {
		const char *r, *last;
		size_t n = image_repo(image, &r), i;
		for (p = images; *p; p++) {
			if (match(*p, r, n))
				goto by_image;
		}
		/* a registry or mirror prefix: "ghcr.io/x/otel/opentelemetry-collector",
		 * ".../opentelemetry-collector-releases/opentelemetry-collector-contrib" */
		for (i = 0; i < n; i++) {
			if (r[i] != '/')
				continue;
			last = r + i + 1;
			for (p = images; *p; p++)
				if (match(*p, last, n - i - 1))
					goto by_image;
		}
	}
	if (name) {
		const char *base = strrchr(name, '/'); /* "project/name" */
		base = base ? base + 1 : name;
		for (p = names; *p; p++)
			if (match(*p, base, strlen(base))) {
				snprintf(why, size, "name %s", base);
				return 1;
			}
	}
	return 0;
by_image:
	snprintf(why, size, "image %s", image);
	return 1;
}

/* Variable names: prefix when ending in '*', else exact. */
static const char *const vars[] = {
	"OTEL_EXPORTER_*", "OTEL_COLLECTOR_*", "OTEL_ENDPOINT", "OTLP_ENDPOINT", "JAEGER_*",
	"ZIPKIN_*", "SPAN_STORAGE_*", "DD_AGENT_HOST", "DD_TRACE_AGENT_URL", "DD_DOGSTATSD_URL",
	"DD_TRACE_AGENT_HOSTNAME", "STATSD_HOST", "STATSD_ADDR", "ELASTIC_APM_SERVER_URL",
	"ELASTIC_APM_SERVER_URLS", "FLUENTD_HOST", "FLUENT_HOST", "LOGSTASH_HOST", "TEMPO_ENDPOINT",
	"PROMETHEUS_PUSHGATEWAY*", "PUSHGATEWAY_URL", NULL
};

int telemetry_env(const char *var, size_t len)
{
	const char *const *p;
	for (p = vars; *p; p++)
		if (match(*p, var, len))
			return 1;
	return 0;
}
