/*
 * load_attrs.h - the service attributes and dependency lists every input
 * format shares (load_attrs.c): the native keys (owner, tier, zones,
 * availability, ...), read from native YAML/JSON, Compose `x-depcheck`,
 * Backstage and Kubernetes annotations and DOT attributes alike, with the
 * same checks and messages everywhere. Not installed.
 */
#ifndef DC_LOAD_ATTRS_H
#define DC_LOAD_ATTRS_H

#include "load_ctx.h"

/* Set one attribute (owner, system, description, url, tier, entrypoint,
 * replicas, zones, availability, slo, latency_ms, tags, external) of
 * service s from a node; comma-separated scalars are accepted for zones and
 * tags, and strings for numbers, when `lenient` (DOT attributes,
 * annotations). Returns 1 if the key is known, 0 if not (the caller warns:
 * attr_unknown_key). A wrong value is an error diagnostic; the attribute
 * keeps its value. */
int attr_set(load_ctx *c, dc_id s, const char *key, const doc_node *val, int lenient);

/* Parse a native depends_on list (names, {service, kind, timeout_ms,
 * retries, stage, inferred_from} mappings, any_of groups) for service s;
 * `origin` names the field for dc_dep_origin(). */
void attr_parse_deps(load_ctx *c, dc_id s, const doc_node *seq, const char *origin);

/* Warn about an unknown key in `where`, with a "did you mean" when one of
 * `known` (NULL-terminated) is one or two edits away. */
void attr_unknown_key(load_ctx *c, const doc_node *k, const char *where, const char *const *known);

/* Typed values with range checks and the shared messages ("<what> of
 * '<svc>' ..."). 0, or -1 after an error diagnostic. */
int attr_get_uint(load_ctx *c, const doc_node *v, const char *what, const char *svc,
		  long long lo, long long hi, int lenient, uint32_t *out);
int attr_get_num(load_ctx *c, const doc_node *v, const char *what, const char *svc,
		 double lo, double hi, int lo_open, int lenient, double *out);

/* A protobuf JSON duration, as Envoy's config dumps and gRPC service
 * configs write it: decimal seconds with up to 9 fraction digits and an
 * `s` ("0.250s", "15s"), from 0 to a day. Milliseconds, a nonzero fraction
 * rounded up. 0, or -1 after an error "<field> of <what> ..." at v. */
/* Set setting k (dc_dep_setting) of an edge policy to val, written at `at`. */
void attr_pol_set(load_ctx *c, edge_pol_t *p, unsigned k, uint32_t val, const doc_node *at);
/* An overall timeout without a per-try one: each attempt may take the whole deadline. */
void attr_pol_per_try_default(edge_pol_t *p);
int attr_pb_duration_ms(load_ctx *c, const doc_node *v, const char *field, const char *what, uint32_t *out);

#endif
