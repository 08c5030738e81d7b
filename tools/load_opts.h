/*
 * load_opts.h - the load model's trigger options that `simulate --load`,
 * `render --load` and `report --load` share (docs/load.md): --slow
 * NAME=MS, --surge K, --capacity NAME=P%|N, and the command's own --fail
 * selectors as failed services; parsed once here into the library's
 * dc_overload_triggers (depcheck/overload.h).
 */
#ifndef DC_LOAD_OPTS_H
#define DC_LOAD_OPTS_H

#include "cli.h"

typedef struct {
	int load;               /* --load */
	cli_list slow, capacity;
	double surge;           /* 0: not given */
} load_opts;

/* The four rows of a command's option table, bound to `o` (a load_opts of
 * static storage). */
#define LOAD_OPTION_ROWS(o) \
	{ .name = "load", .type = CLI_OPT_FLAG, .value = &(o).load, \
	  .help = "      the load model: offered load, retries, overload, metastability (docs/load.md)" }, \
	{ .name = "slow", .type = CLI_OPT_LIST, .value = &(o).slow, .complete = CLI_COMPLETE_NONE, \
	  .help = "NAME=MS  with --load: NAME answers MS milliseconds slower (repeatable)" }, \
	{ .name = "surge", .type = CLI_OPT_DOUBLE, .value = &(o).surge, .dmin = 1e-6, .dmax = 1e6, \
	  .expect = "a number more than 0", .help = "K    with --load: every entry traffic times K" }, \
	{ .name = "capacity", .type = CLI_OPT_LIST, .value = &(o).capacity, .complete = CLI_COMPLETE_NONE, \
	  .help = "NAME=P%|N  with --load: NAME's capacity changes by P percent (-50%), or N replicas are left" }

/* A usage error (said, DC_EXIT_USAGE) when a trigger is given without
 * --load; else -1 (a cli_spec.prepare's "go on"). */
int load_opts_check(cli *c, const load_opts *o);
/* The triggers into t: the DOWN seeds of the `fail` selectors fail, then
 * --slow, --surge and --capacity. 0, or an exit code (said: an unknown
 * service with its did-you-mean, a malformed value, out of memory). */
int load_opts_triggers(cli *c, const load_opts *o, const cli_list *fail, dc_overload_triggers *t);
/* dc_overload_run() on c's graph with the triggers: 0 and *out, or an
 * exit code (said). */
int load_opts_run(cli *c, const load_opts *o, const cli_list *fail, dc_overload_triggers **trig, dc_overload **out);

#endif
