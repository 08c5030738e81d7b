/*
 * load_opts.c - the load model's trigger options (see load_opts.h).
 * Parsing only: the model is the library's (dc_overload_run).
 */
#include "load_opts.h"

#include <stdlib.h>
#include <string.h>

int load_opts_check(cli *c, const load_opts *o)
{
	if (!o->load && (o->slow.n || o->capacity.n || o->surge > 0))
		return cli_usage_error(c, "--slow, --surge and --capacity go with --load");
	return -1;
}

/* "NAME=VALUE": the name (copied into buf) and the value text. */
static const char *split_arg(cli *c, const char *opt, const char *arg, char *buf, size_t size)
{
	const char *eq = strrchr(arg, '=');
	size_t n;
	if (!eq || eq == arg || !eq[1]) {
		cli_usage_error(c, "--%s takes NAME=VALUE, not '%s'", opt, arg);
		return NULL;
	}
	n = (size_t)(eq - arg);
	if (n >= size) {
		cli_usage_error(c, "--%s: name too long in '%s'", opt, arg);
		return NULL;
	}
	memcpy(buf, arg, n);
	buf[n] = '\0';
	return eq + 1;
}

int load_opts_triggers(cli *c, const load_opts *o, const cli_list *fail, dc_overload_triggers *t)
{
	size_t i;
	char name[1024], *end;
	const char *val;
	dc_id v;
	int rc;
	if (fail && fail->n) {
		dc_selection *sel = NULL;
		const dc_id *down;
		size_t k, nd;
		if (dc_selection_new(&sel, c->cat))
			return cli_oom(c);
		if ((rc = cli_select(c, sel, (char *const *)fail->items, fail->n))) {
			dc_selection_free(sel);
			return rc;
		}
		nd = dc_selection_down(sel, &down);
		for (k = 0; k < nd; k++)
			if (dc_overload_trigger_fail(t, down[k])) {
				dc_selection_free(sel);
				return cli_oom(c);
			}
		dc_selection_free(sel);
	}
	for (i = 0; i < o->slow.n; i++) {
		double ms;
		if (!(val = split_arg(c, "slow", o->slow.items[i], name, sizeof(name))))
			return DC_EXIT_USAGE;
		ms = strtod(val, &end);
		if (end == val || (*end && strcmp(end, "ms")) || !(ms > 0 && ms <= 1e9))
			return cli_usage_error(c, "--slow takes NAME=MS with MS more than 0 (milliseconds), not '%s'",
					       o->slow.items[i]);
		if (cli_find(c, name, &v))
			return DC_EXIT_USAGE;
		if (dc_overload_trigger_slow(t, v, ms))
			return cli_oom(c);
	}
	if (o->surge > 0 && dc_overload_trigger_surge(t, o->surge))
		return cli_oom(c);
	for (i = 0; i < o->capacity.n; i++) {
		double x;
		int pct;
		if (!(val = split_arg(c, "capacity", o->capacity.items[i], name, sizeof(name))))
			return DC_EXIT_USAGE;
		x = strtod(val, &end);
		pct = *end == '%' && !end[1];
		if (end == val || (*end && !pct) || (pct && !(x > -100 && x <= 1e6)) ||
		    (!pct && (!(x >= 0 && x <= 1e6) || x != (double)(long)x || *val == '+' || *val == '-')))
			return cli_usage_error(c, "--capacity takes NAME=P%% (more than -100%%) or NAME=N (replicas "
					       "left), not '%s'", o->capacity.items[i]);
		if (cli_find(c, name, &v))
			return DC_EXIT_USAGE;
		if (dc_service_capacity_rps(c->cat, v) < 0)
			return cli_usage_error(c, "--capacity %s: '%s' declares no capacity_rps", o->capacity.items[i],
					       dc_service_name(c->cat, v));
		if (dc_overload_trigger_capacity(t, v, x, pct ? DC_OVERLOAD_CAPACITY_PERCENT
							      : DC_OVERLOAD_CAPACITY_REPLICAS))
			return cli_oom(c);
	}
	return 0;
}

int load_opts_run(cli *c, const load_opts *o, const cli_list *fail, dc_overload_triggers **trig, dc_overload **out)
{
	int rc;
	*out = NULL;
	if (dc_overload_triggers_new(trig, c->cat))
		return cli_oom(c);
	if ((rc = load_opts_triggers(c, o, fail, *trig)))
		return rc;
	if (dc_overload_run(out, c->graph, *trig, NULL))
		return cli_oom(c);
	return 0;
}
