/*
 * observed_opts.h - the observed-calls options `reconcile` and `check`
 * share: --observed FILE (repeatable), --observed-format, --min-calls;
 * reading the files through the library (depcheck/reconcile.h). Their
 * JSON description is the writers' (dc_observed_source, depcheck/output.h).
 */
#ifndef DC_OBSERVED_OPTS_H
#define DC_OBSERVED_OPTS_H

#include "cli.h"

enum { OBS_OPT_OBSERVED = 1900, OBS_OPT_FORMAT, OBS_OPT_MIN_CALLS };

/* The three rows of a command's option table. */
#define OBSERVED_OPTION_ROWS \
	{ "observed", 0, 1, OBS_OPT_OBSERVED, "FILE  observed call edges: Jaeger JSON or CSV (repeatable; - = stdin)" }, \
	{ "observed-format", 0, 1, OBS_OPT_FORMAT, "F  auto (default), jaeger or csv" }, \
	{ "min-calls", 0, 1, OBS_OPT_MIN_CALLS, "N  ignore observed edges with fewer calls (default 1)" }

typedef struct {
	char **files;               /* --observed, in order */
	int nfiles;
	dc_observed_format format;
	uint64_t min_calls;         /* >= 1 */
} observed_opts;

void observed_opts_init(observed_opts *o);
/* Handle one of the OBS_OPT_* ids: -1 (continue) or an exit code. */
int observed_opts_on(cli *c, observed_opts *o, int id, const char *arg);
/* Read every --observed file into *out (diagnostics printed). Returns 0, or
 * DC_EXIT_USAGE when one cannot be used (*out is then NULL). */
int observed_opts_load(cli *c, const observed_opts *o, dc_observed **out);
/* What the writers say about the observed calls (files, edges, min_calls). */
dc_observed_source observed_opts_source(const observed_opts *o, const dc_observed *obs);
void observed_opts_free(observed_opts *o);

#endif
