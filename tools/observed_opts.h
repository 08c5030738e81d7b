/*
 * observed_opts.h - the observed-calls options `reconcile` and `check`
 * share: --observed FILE (repeatable), --observed-format, --min-calls;
 * reading the files through the library (depcheck/reconcile.h). Their
 * JSON description is the writers' (dc_observed_source, depcheck/output.h).
 */
#ifndef DC_OBSERVED_OPTS_H
#define DC_OBSERVED_OPTS_H

#include "cli.h"

typedef struct {
	cli_list files;             /* --observed, in order */
	dc_observed_format format;
	uint64_t min_calls;         /* >= 1 */
} observed_opts;

/* --observed-format's parser (a CLI_OPT_FN), for OBSERVED_OPTION_ROWS */
int observed_opts_format(cli *c, const cli_opt *opt, const char *arg);

/* The three rows of a command's option table, bound to `o` (an
 * observed_opts of static storage). */
#define OBSERVED_OPTION_ROWS(o) \
	{ .name = "observed", .type = CLI_OPT_LIST, .value = &(o).files, \
	  .help = "FILE  observed calls: Jaeger/Zipkin, CSV, Tempo metrics, OTLP, X-Ray (repeatable; - = stdin)" }, \
	{ .name = "observed-format", .type = CLI_OPT_FN, .has_arg = 1, .fn = observed_opts_format, \
	  .complete = CLI_COMPLETE_WORDS, .values = "auto,jaeger,zipkin,csv,tempo,otlp,xray", \
	  .value = &(o).format, .help = "F  auto (default), jaeger, zipkin, csv, tempo, otlp, xray or kiali" }, \
	{ .name = "min-calls", .type = CLI_OPT_U64, .value = &(o).min_calls, .min = 1, .max = UINT64_MAX, \
	  .expect = "a positive number", .help = "N  ignore observed edges with fewer calls (default 1)" }

void observed_opts_init(observed_opts *o);
/* Read every --observed file into *out (diagnostics printed). Returns 0, or
 * DC_EXIT_USAGE when one cannot be used (*out is then NULL). */
int observed_opts_load(cli *c, const observed_opts *o, dc_observed **out);
/* What the writers say about the observed calls (files, edges, min_calls). */
dc_observed_source observed_opts_source(const observed_opts *o, const dc_observed *obs);

#endif
