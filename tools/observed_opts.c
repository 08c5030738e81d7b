/*
 * observed_opts.c - the observed-calls options of `reconcile` and `check`
 * (see observed_opts.h). Parsing and reading only: reconciliation is the
 * library's (dc_reconcile_compute).
 */
#include "observed_opts.h"

#include <stdlib.h>
#include <string.h>

void observed_opts_init(observed_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = DC_OBSERVED_AUTO;
	o->min_calls = 1;
}

int observed_opts_format(cli *c, const cli_opt *opt, const char *arg)
{
	dc_observed_format *f = opt->value;
	if (!strcmp(arg, "auto"))
		*f = DC_OBSERVED_AUTO;
	else if (dc_observed_format_parse(f, arg))
		return cli_usage_error(c, "--observed-format takes auto, jaeger, zipkin, csv, tempo, otlp, xray or kiali, not '%s'", arg);
	return -1;
}

int observed_opts_load(cli *c, const observed_opts *o, dc_observed **out)
{
	dc_observed_options oo = DC_OBSERVED_OPTIONS_INIT;
	int rc = 0;
	size_t i;
	*out = NULL;
	if (dc_observed_new(out)) {
		fprintf(stderr, "depcheck %s: out of memory\n", c->cmd);
		return DC_EXIT_USAGE;
	}
	oo.format = o->format;
	for (i = 0; i < o->files.n; i++) {
		int r;
		if (cli_note_input(c, o->files.items[i])) /* -o must not replace it */
			return DC_EXIT_USAGE;
		r = dc_observed_add_file(*out, o->files.items[i], &oo, c->diags);
		if (r && !rc)
			rc = r;
	}
	if (rc) {
		cli_print_diags(c);
		fprintf(stderr, "depcheck %s: observed data cannot be used (%s)\n", c->cmd, dc_strerror(rc));
		dc_observed_free(*out);
		*out = NULL;
		return DC_EXIT_USAGE;
	}
	return 0;
}

dc_observed_source observed_opts_source(const observed_opts *o, const dc_observed *obs)
{
	dc_observed_source src;
	src.files = o->files.items;
	src.nfiles = o->files.n;
	src.observed = obs;
	src.min_calls = o->min_calls;
	return src;
}

int observed_opts_read(cli *c)
{
	const observed_opts *o = c->obs_opts;
	if (o && !o->files.n && o->edges != DC_OBSERVED_EDGES_SOFT && !c->quiet)
		fprintf(stderr, "depcheck %s: warning: --observed-edges without --observed changes nothing\n", c->cmd);
	if (!o || !o->files.n)
		return -1;
	return observed_opts_load(c, o, &c->observed) ? DC_EXIT_USAGE : -1;
}
