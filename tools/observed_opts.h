/*
 * observed_opts.h - the observed-calls options `reconcile` and `check`
 * share: --observed FILE (repeatable), --observed-format, --min-calls;
 * reading the files through the library (depcheck/reconcile.h). Their
 * JSON description is the writers' (dc_observed_source, depcheck/output.h).
 */
#ifndef DC_OBSERVED_OPTS_H
#define DC_OBSERVED_OPTS_H

#include "cli.h"

typedef struct observed_opts {
	cli_list files;             /* --observed, in order */
	dc_observed_format format;
	uint64_t min_calls;         /* >= 1 */
	int edges;                  /* --observed-edges: dc_observed_edges (soft, hard, ignore) */
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

/* The rows of a command whose analyses take observed calls as edges of the
 * catalog (simulate, analyze, critical-path, availability, plan, export,
 * render, show): the three above and --observed-edges. The command sets
 * c->obs_opts = &o before cli_start, which reads the files into
 * c->observed and gives them to the catalog before it is finalized. */
#define OBSERVED_GRAPH_ROWS(o) \
	OBSERVED_OPTION_ROWS(o), \
	{ .name = "observed-edges", .type = CLI_OPT_CHOICE, .value = &(o).edges, .choices = "soft,hard,ignore", \
	  .complete = CLI_COMPLETE_WORDS, .values = "soft,hard,ignore", .expect = "soft, hard or ignore", \
	  .help = "M  an observed call no input declares is a soft dependency (default), a hard one, or no edge (ignore)" }

void observed_opts_init(observed_opts *o);
/* cli_start's step for c->obs_opts: read the files into c->observed.
 * Returns -1 to go on, or DC_EXIT_USAGE (diagnostics printed). */
int observed_opts_read(cli *c);
/* Read every --observed file into *out (diagnostics printed). Returns 0, or
 * DC_EXIT_USAGE when one cannot be used (*out is then NULL). */
int observed_opts_load(cli *c, const observed_opts *o, dc_observed **out);
/* What the writers say about the observed calls (files, edges, min_calls). */
dc_observed_source observed_opts_source(const observed_opts *o, const dc_observed *obs);

#endif
