/*
 * observed_int.h - what the observed-call readers share (lib/reconcile.c:
 * Jaeger/Zipkin JSON, CSV and the store; lib/observed_traffic.c: Tempo
 * service-graph metrics, OTLP JSON traces). Not public.
 */
#ifndef DC_OBSERVED_INT_H
#define DC_OBSERVED_INT_H

#include <depcheck/reconcile.h>
#include "catalog_int.h"
#include "doc.h"

#define MAX_ERRORS 20   /* per file: then the parser gives up */

typedef struct {
	uint32_t caller, callee;   /* string ids */
	uint64_t calls;
	/* traffic metrics (observed-traffic readers): -1 = unknown */
	uint64_t errors, retries;
	double rate, p50, p99;   /* calls per second, milliseconds */
	uint8_t has_errors;
	uint32_t file, line, col;  /* file: index into files + 1 */
} obs_edge;

struct dc_observed {
	dc_strtab names;
	DC_VEC(obs_edge) edges;
	uint32_t *slots;           /* edge index + 1, 0 = empty */
	size_t nslots;             /* power of two */
	DC_VEC(char *) files;
};

typedef struct {
	dc_observed *obs;
	const char *file;        /* for diagnostics */
	uint32_t file_id;
	dc_diags *diags;
	size_t max_edges, max_name;
	unsigned errors;
	unsigned line_base;      /* added to lines reported (JSON Lines: one document per line) */
} parse_ctx;


/* What one observation says about an edge; -1 (doubles) = not known. */
typedef struct {
	uint64_t calls, errors, retries;
	int has_errors;
	double rate, p50, p99;
} obs_metrics;

void obs_metrics_init(obs_metrics *m, uint64_t calls);
void obs_perr(parse_ctx *c, unsigned line, unsigned col, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;
/* 1 when s is a clean name (dc_text_check), else 0 with an error at line:col */
int obs_name_ok(parse_ctx *c, const char *s, const char *what, unsigned line, unsigned col);
unsigned obs_col_of(const char *ls, const char *p);
int obs_ctx_init(parse_ctx *c, dc_observed *obs, const char *name, const char *buf, size_t len,
		 const dc_observed_options *opts, dc_diags *diags);
/* obs_ctx_init, then parse buf as one JSON document into ds (freed on
 * failure); *root is its root or NULL. */
int obs_open_json(parse_ctx *c, doc_stream *ds, const doc_node **root, dc_observed *obs, const char *name,
		  const char *buf, size_t len, const dc_observed_options *opts, dc_diags *diags);
/* Record one observation (repeated edges add counts, errors, retries and
 * rates; latencies keep the larger). 0, DC_ELIMIT (diagnostic added) or DC_ENOMEM. */
int obs_add_edge(parse_ctx *c, const char *caller, size_t clen, const char *callee, size_t elen,
		 const obs_metrics *m, unsigned line, unsigned col);

#endif
