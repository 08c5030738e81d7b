/*
 * cmd_availability.c - `depcheck availability PATH...`: every service's
 * effective availability against its SLO, the importance of services for
 * each entrypoint and the entrypoints' minimal cut sets, computed by
 * dc_availability_compute() (exact when small, Monte Carlo otherwise).
 *
 * SLO misses come first. Exit 1 when an entrypoint misses its SLO (a
 * gate); services that are not entrypoints are reported but do not fail
 * it. A progress bar goes to stderr during Monte Carlo when stderr is a
 * terminal and -q is not given.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_TRIALS = 1000, OPT_SEED, OPT_THREADS, OPT_ZONE, OPT_ORDER, OPT_EXACT, OPT_TOP };

static const cli_option opts[] = {
	{ "trials", 0, 1, OPT_TRIALS, "N  Monte Carlo trials (default 1000000)" },
	{ "seed", 0, 1, OPT_SEED, "S  random seed, 0 to 2^63-1 (default 1); same seed, same results" },
	{ "threads", 0, 1, OPT_THREADS, "T  worker threads (default: online CPUs); results do not depend on it" },
	{ "zone-failure", 0, 1, OPT_ZONE, "P  each zone also fails with probability P (default 0)" },
	{ "max-order", 0, 1, OPT_ORDER, "K  largest cut set order, 1..3 (default 2)" },
	{ "exact-max", 0, 1, OPT_EXACT, "K  most basic events for the exact method, 1..24 (default 16)" },
	{ "top", 0, 1, OPT_TOP, "N  rows per list: other services, importance, cut sets (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

#define MIN_PER_30D 43200.0

static dc_availability_options ao;
static size_t top;

static int on_opt(cli *c, int id, const char *arg)
{
	uint64_t v;
	char *end;
	double p;
	switch (id) {
	case OPT_TRIALS:
		if (cli_parse_u64(arg, (uint64_t)1 << 50, &v) || !v)
			return cli_usage_error(c, "--trials takes a positive number, not '%s'", arg);
		ao.trials = v;
		return -1;
	case OPT_SEED:
		if (cli_parse_u64(arg, INT64_MAX, &v))
			return cli_usage_error(c, "--seed takes an integer from 0 to 2^63-1, not '%s'", arg);
		ao.seed = v;
		return -1;
	case OPT_THREADS:
		if (cli_parse_u64(arg, 64, &v) || !v)
			return cli_usage_error(c, "--threads takes a number from 1 to 64, not '%s'", arg);
		ao.threads = (unsigned)v;
		return -1;
	case OPT_ZONE:
		errno = 0;
		p = strtod(arg, &end);
		if (!*arg || *end || errno || !(p >= 0 && p <= 1))
			return cli_usage_error(c, "--zone-failure takes a probability from 0 to 1, not '%s'", arg);
		ao.zone_failure = p;
		return -1;
	case OPT_ORDER:
		if (cli_parse_u64(arg, 3, &v) || !v)
			return cli_usage_error(c, "--max-order takes 1, 2 or 3, not '%s'", arg);
		ao.max_order = (unsigned)v;
		return -1;
	case OPT_EXACT:
		if (cli_parse_u64(arg, 24, &v) || !v)
			return cli_usage_error(c, "--exact-max takes a number from 1 to 24, not '%s'", arg);
		ao.exact_max = (unsigned)v;
		return -1;
	case OPT_TOP:
		if (cli_parse_u64(arg, 1000000, &v) || !v)
			return cli_usage_error(c, "--top takes a positive number, not '%s'", arg);
		top = (size_t)v;
		return -1;
	default:
		return cli_usage_error(c, "unexpected option");
	}
}

/* ---- progress bar ---------------------------------------------------------- */

typedef struct {
	int shown;
	unsigned last;  /* per mille drawn */
} bar_t;

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	bar_t *b = ctx;
	unsigned pm = total ? (unsigned)(done * 1000 / total) : 1000, i, fill;
	if (b->shown && pm == b->last)
		return;
	b->shown = 1;
	b->last = pm;
	fill = pm * 30 / 1000;
	fputs("\rdepcheck availability: [", stderr);
	for (i = 0; i < 30; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3u%%", pm / 10);
	fflush(stderr);
}

static const dc_catalog *cur_cat;

static int has_slo(dc_id s) { return dc_service_slo(cur_cat, s) >= 0; }

/* ---- output ---------------------------------------------------------------------- */

static const char *nm(const cli *c, dc_id v) { return dc_service_name(c->cat, v); }

static void text_row(cli *c, const dc_availability *a, dc_id s)
{
	const dc_availability_estimate *e = dc_availability_of(a, s);
	double slo = dc_service_slo(c->cat, s);
	char sl[32], ci[64], nines[16];
	if (e->method == DC_AVAIL_NONE) {
		fprintf(c->out, "  %-28s %-10s\n", nm(c, s), "-");
		return;
	}
	if (slo >= 0)
		snprintf(sl, sizeof(sl), "%g", slo);
	else
		snprintf(sl, sizeof(sl), "-");
	if (e->method == DC_AVAIL_EXACT)
		snprintf(ci, sizeof(ci), "exact");
	else
		snprintf(ci, sizeof(ci), "[%.6f, %.6f]", e->ci_low, e->ci_high);
	if (e->availability < 1)
		snprintf(nines, sizeof(nines), "%.2f", -log10(1 - e->availability));
	else
		snprintf(nines, sizeof(nines), "inf");
	fprintf(c->out, "  %-28s %.6f %6s  %-22s %-7s %9.1f min%s\n", nm(c, s), e->availability, nines, ci, sl,
		(1 - e->availability) * MIN_PER_30D, dc_service_is_entrypoint(c->cat, s) ? "  (entrypoint)" : "");
}

static void cut_text(cli *c, const dc_cut_set *cs)
{
	unsigned k;
	fputs("  {", c->out);
	for (k = 0; k < cs->order; k++)
		fprintf(c->out, "%s%s", k ? ", " : "", nm(c, cs->services[k]));
	fprintf(c->out, "}  p = %.3g\n", cs->probability);
}

static void text_out(cli *c, const dc_availability *a, const dc_id *rows, size_t n, size_t nmiss)
{
	const dc_id *eps;
	size_t neps = dc_availability_entrypoints(a, &eps), i, k, nslo = 0, nexact = 0, shown;
	for (i = 0; i < n; i++) {
		nslo += has_slo(rows[i]);
		nexact += dc_availability_of(a, rows[i])->method == DC_AVAIL_EXACT;
	}
	fprintf(c->out, "%s%zu services, %zu entrypoint%s: %zu exact, %zu by Monte Carlo", cli_c(c, "bold"), n,
		neps, neps == 1 ? "" : "s", nexact, n - nexact);
	if (dc_availability_trials(a))
		fprintf(c->out, " (%llu trials, seed %llu)", (unsigned long long)dc_availability_trials(a),
			(unsigned long long)ao.seed);
	if (ao.zone_failure > 0)
		fprintf(c->out, ", zone failure %g", ao.zone_failure);
	fprintf(c->out, "%s\n", cli_c(c, "reset"));
	fprintf(c->out, "%zu SLO miss%s\n", nmiss, nmiss == 1 ? "" : "es");
	fprintf(c->out, "\n  %-28s %-8s %6s  %-22s %-7s %13s\n", "service", "avail.", "nines", "95% interval", "slo",
		"downtime/30d");
	if (nmiss) {
		fprintf(c->out, "%sSLO misses (%zu)%s\n", cli_c(c, "bold"), nmiss, cli_c(c, "reset"));
		for (i = 0; i < nmiss; i++)
			text_row(c, a, rows[i]);
	}
	if (nslo > nmiss) {
		fprintf(c->out, "%sSLO met (%zu)%s\n", cli_c(c, "bold"), nslo - nmiss, cli_c(c, "reset"));
		for (i = nmiss; i < nslo; i++)
			text_row(c, a, rows[i]);
	}
	if (n > nslo) {
		fprintf(c->out, "%slowest availability, no SLO (%zu)%s\n", cli_c(c, "bold"), n - nslo, cli_c(c, "reset"));
		for (i = nslo, shown = 0; i < n && shown < top; i++, shown++)
			text_row(c, a, rows[i]);
		if (n - nslo > top)
			fprintf(c->out, "  ... and %zu more\n", n - nslo - top);
	}
	for (i = 0; i < neps; i++) {
		const dc_importance *imp;
		dc_avail_method m;
		uint64_t tr;
		size_t ni = dc_availability_importance(a, eps[i], &imp, &m, &tr);
		if (!ni && m == DC_AVAIL_NONE)
			fprintf(c->out, "\n%simportance for %s%s: skipped (over the work budget of the Monte Carlo estimate)\n",
				cli_c(c, "bold"), nm(c, eps[i]), cli_c(c, "reset"));
		if (!ni)
			continue;
		fprintf(c->out, "\n%simportance for %s%s (%s", cli_c(c, "bold"), nm(c, eps[i]), cli_c(c, "reset"),
			dc_avail_method_name(m));
		if (m == DC_AVAIL_MONTE_CARLO)
			fprintf(c->out, ", %llu trials", (unsigned long long)tr);
		fprintf(c->out, ")\n  %-28s %10s %14s\n", "service", "Birnbaum", "Fussell-Vesely");
		for (k = 0; k < ni && k < top; k++)
			fprintf(c->out, "  %-28s %10.3g %14.3g\n", nm(c, imp[k].service), imp[k].birnbaum,
				imp[k].fussell_vesely);
		if (ni > top)
			fprintf(c->out, "  ... and %zu more\n", ni - top);
	}
	for (i = 0; i < neps; i++) {
		const dc_cut_set *cs;
		int complete;
		size_t nc = dc_availability_cut_sets(a, eps[i], &cs, &complete);
		if (!nc && complete)
			continue;
		fprintf(c->out, "\n%sminimal cut sets of %s%s (%zu%s)\n", cli_c(c, "bold"), nm(c, eps[i]),
			cli_c(c, "reset"), nc, complete ? "" : ", search cut short: higher orders incomplete");
		for (k = 0; k < nc && k < top; k++)
			cut_text(c, &cs[k]);
		if (nc > top)
			fprintf(c->out, "  ... and %zu more\n", nc - top);
	}
}

static void knum_or_null(dc_jsonw *w, const char *key, double v, int present)
{
	dc_jw_key(w, key);
	if (present)
		dc_jw_num(w, v);
	else
		dc_jw_null(w);
}

static void json_out(cli *c, const dc_availability *a, const dc_id *rows, size_t n, size_t nmiss)
{
	const dc_id *eps;
	size_t neps = dc_availability_entrypoints(a, &eps), i, k, j;
	dc_jsonw w;
	dc_jw_init(&w, c->out);
	dc_jw_obj(&w);
	dc_jw_kstr(&w, "command", "availability");
	dc_jw_kint(&w, "services", (long long)n);
	dc_jw_kint(&w, "trials", (long long)dc_availability_trials(a));
	dc_jw_kint(&w, "seed", (long long)ao.seed);
	dc_jw_knum(&w, "zone_failure", ao.zone_failure);
	dc_jw_kint(&w, "max_order", (long long)(ao.max_order ? ao.max_order : 2));
	dc_jw_kint(&w, "slo_misses", (long long)nmiss);
	dc_jw_key(&w, "availability");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_availability_estimate *e = dc_availability_of(a, rows[i]);
		double slo = dc_service_slo(c->cat, rows[i]);
		dc_jw_obj_inline(&w);
		dc_jw_kstr(&w, "service", nm(c, rows[i]));
		knum_or_null(&w, "availability", e->availability, e->method != DC_AVAIL_NONE);
		knum_or_null(&w, "ci_low", e->ci_low, e->method != DC_AVAIL_NONE);
		knum_or_null(&w, "ci_high", e->ci_high, e->method != DC_AVAIL_NONE);
		dc_jw_kstr(&w, "method", dc_avail_method_name(e->method));
		knum_or_null(&w, "slo", slo, slo >= 0);
		dc_jw_key(&w, "meets_slo");
		if (slo >= 0 && e->method != DC_AVAIL_NONE)
			dc_jw_bool(&w, !dc_availability_misses_slo(a, c->graph, rows[i]));
		else
			dc_jw_null(&w);
		knum_or_null(&w, "downtime_min_per_30d", (1 - e->availability) * MIN_PER_30D,
			     e->method != DC_AVAIL_NONE);
		dc_jw_kbool(&w, "entrypoint", dc_service_is_entrypoint(c->cat, rows[i]));
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "importance");
	dc_jw_arr(&w);
	for (i = 0; i < neps; i++) {
		const dc_importance *imp;
		dc_avail_method m;
		uint64_t tr;
		size_t ni = dc_availability_importance(a, eps[i], &imp, &m, &tr);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", nm(c, eps[i]));
		dc_jw_kstr(&w, "method", dc_avail_method_name(m));
		dc_jw_kint(&w, "trials", (long long)tr);
		dc_jw_kint(&w, "total", (long long)ni);
		dc_jw_key(&w, "services");
		dc_jw_arr(&w);
		for (k = 0; k < ni && k < top; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", nm(c, imp[k].service));
			dc_jw_knum(&w, "birnbaum", imp[k].birnbaum);
			dc_jw_knum(&w, "fussell_vesely", imp[k].fussell_vesely);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "cut_sets");
	dc_jw_arr(&w);
	for (i = 0; i < neps; i++) {
		const dc_cut_set *cs;
		int complete;
		size_t nc = dc_availability_cut_sets(a, eps[i], &cs, &complete);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "entrypoint", nm(c, eps[i]));
		dc_jw_kbool(&w, "complete", complete);
		dc_jw_kint(&w, "total", (long long)nc);
		dc_jw_key(&w, "sets");
		dc_jw_arr(&w);
		for (k = 0; k < nc && k < top; k++) {
			dc_jw_obj_inline(&w);
			dc_jw_key(&w, "services");
			dc_jw_arr_inline(&w);
			for (j = 0; j < cs[k].order; j++)
				dc_jw_str(&w, nm(c, cs[k].services[j]));
			dc_jw_arr_end(&w);
			dc_jw_kint(&w, "order", (long long)cs[k].order);
			dc_jw_knum(&w, "probability", cs[k].probability);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
}

int cmd_availability(int argc, char **argv)
{
	cli c;
	int rc, st;
	dc_availability *a = NULL;
	dc_id *rows = NULL;
	size_t n, i, nmiss = 0;
	int gate = 0;
	bar_t bar = { 0, 0 };
	dc_availability_options init = DC_AVAILABILITY_OPTIONS_INIT;

	memset(&c, 0, sizeof(c));
	ao = init;
	top = 10;
	c.cmd = "availability";
	c.usage = "PATH...";
	c.description = "Effective availability of every service (the probability it is not DOWN\n"
			"when every service fails independently with 1 - availability), against its\n"
			"SLO: misses first, with downtime per 30 days. Exact when few failure events\n"
			"matter, Monte Carlo otherwise (95% interval). For every entrypoint: the\n"
			"services ranked by Birnbaum and Fussell-Vesely importance, and the minimal\n"
			"cut sets. Exit 1 when an entrypoint misses its SLO.";
	c.formats = "text,json";
	c.opts = opts;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	if (!c.quiet && isatty(2)) {
		ao.progress = progress;
		ao.progress_ctx = &bar;
	}
	st = dc_availability_compute(&a, c.graph, &ao);
	if (bar.shown)
		fputs("\r\033[K", stderr);
	if (st) {
		fprintf(stderr, "depcheck availability: %s\n", dc_strerror(st));
		rc = DC_EXIT_USAGE;
		goto out;
	}
	n = dc_availability_count(a);
	rows = malloc((n + 1) * sizeof(dc_id));
	if (!rows) {
		fprintf(stderr, "depcheck availability: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (dc_availability_rank(a, c.graph, rows, &nmiss, NULL)) {
		fprintf(stderr, "depcheck availability: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < nmiss; i++)
		gate |= dc_service_is_entrypoint(c.cat, rows[i]);
	cur_cat = c.cat;
	if ((rc = cli_open_output(&c)))
		goto out;
	if (cli_format_is(&c, "json"))
		json_out(&c, a, rows, n, nmiss);
	else
		text_out(&c, a, rows, n, nmiss);
	rc = cli_finish(&c, gate ? DC_EXIT_FINDINGS : DC_EXIT_OK);
out:
	free(rows);
	dc_availability_free(a);
	cli_free(&c);
	return rc;
}
