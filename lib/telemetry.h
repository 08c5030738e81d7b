/*
 * telemetry.h - telemetry and observability sinks (docs/inputs.md,
 * "Telemetry is not a runtime dependency"). Losing a tracing agent, a
 * collector or a metrics/log shipper takes no request down, so loaders make
 * edges to and from such a service soft, with the reason in the edge's
 * origin, unless DC_LOAD_TELEMETRY_HARD is set.
 */
#ifndef DC_TELEMETRY_H
#define DC_TELEMETRY_H

#include <stddef.h>

/* Whether a service is a telemetry sink, from its image (may be NULL) and its
 * name. Returns 0, or 1 with a reason ("image otel/opentelemetry-collector",
 * "name jaeger-agent") written to why[0..size). */
int telemetry_sink(const char *name, const char *image, char *why, size_t size);

/* Whether an environment variable names a telemetry endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT, JAEGER_AGENT_HOST, ...). var need not be
 * NUL-terminated. */
int telemetry_env(const char *var, size_t len);

#endif
