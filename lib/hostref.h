/*
 * hostref.h - the hosts a configuration value names (an environment
 * variable, a ConfigMap entry): `api:8080`, `http://user@api/x`, a Kafka
 * bootstrap list `a:9092,b:9092`, a multi-host URL
 * `mongodb://a,b,c/?replicaSet=x` or `jdbc:postgresql://a:5432,b:5432/db`,
 * a gRPC target `dns:///api:50051`, `dns:api:50051` or
 * `dns://8.8.8.8/api:50051`, an SRV name `_grpc._tcp.api.ns.svc`, an
 * absolute name `api.ns.svc.cluster.local.`. Not installed.
 *
 * Only the text is read here: what a host means (a Service of a namespace,
 * a Compose service, nothing) is for the loader that calls it, which
 * knows what the input defines. docs/inputs.md describes the forms.
 *
 * A value is split into words on whitespace, ',', ';' and quotes; a word
 * `key=value` keeps what follows the last '=' before any `://` (flag
 * HOSTREF_OPTION). A URL's authority may hold several hosts separated by
 * commas (`scheme://[user@]h1[:p1],h2[:p2]/path`); each is a candidate.
 * Each candidate loses a `scheme://` (or `jdbc:sub:`, or gRPC's `dns:` with
 * its optional `//dns-server/`), a `user@`, a `:port` and a path, query or
 * fragment. What is left must be a DNS name: labels of letters, digits,
 * '-' and '_', no empty label, at most 63 characters a label and 253 in
 * all; it is returned in lowercase (DNS compares names without case).
 * Never returned: IP addresses (all digits and dots, or `[v6]`),
 * `localhost`, `unix:`/`unix-abstract:`/`vsock:`/`ipv4:`/`ipv6:`/`xds:`
 * targets (no DNS name), and anything with other characters (`${VAR}`,
 * `$(VAR)`, `*.x`).
 */
#ifndef DC_HOSTREF_H
#define DC_HOSTREF_H

#include <stddef.h>

#define HOSTREF_NAME_MAX 253

enum {
	HOSTREF_MARKED = 1,   /* a scheme, a port or an SRV prefix was written: meant as an address */
	HOSTREF_ABSOLUTE = 2, /* written with a trailing dot: fully qualified, no search domains */
	HOSTREF_SRV = 4,      /* `_service._proto.` was removed from the front */
	HOSTREF_OPTION = 8,   /* came after '=' inside a word (`--url=x`, `-Dhost=x`) */
	HOSTREF_LIST = 16     /* one of several hosts of one URL authority or list */
};

typedef struct {
	char name[HOSTREF_NAME_MAX + 1]; /* lowercase; no trailing dot, no SRV labels */
	size_t len;                      /* strlen(name) */
	unsigned labels;                 /* dot-separated labels in name */
	unsigned port;                   /* 0: none written */
	unsigned flags;                  /* HOSTREF_* */
	size_t off, tlen;                /* the candidate's text in the value (before lowercasing) */
} hostref;

/* Call fn for every host the value names, in order of appearance. Stops
 * at the first nonzero return of fn and returns it; 0 otherwise. */
typedef int (*hostref_fn)(void *arg, const hostref *h);
int hostref_scan(const char *s, size_t len, hostref_fn fn, void *arg);

/* Label i (0-based) of h->name: its start and length; 0 when there is no
 * such label. */
int hostref_label(const hostref *h, unsigned i, const char **p, size_t *n);

#endif
