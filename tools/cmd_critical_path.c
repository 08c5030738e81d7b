/*
 * cmd_critical_path.c - `depcheck critical-path PATH... [--from E]`: the
 * latency critical chain per entrypoint, like `systemd-analyze
 * critical-chain` (model and definitions: include/depcheck/critical.h).
 *
 * Text: one tree per entrypoint (slowest first), each hop with the time it
 * answers (@, counted from the request reaching the entrypoint at 0 ms),
 * its own latency, the stage of the call and when the call was made; then
 * one note listing, once, the calls ignored because they stay inside a
 * cycle that a printed chain passed through. Deep trees are indented up to
 * MAX_INDENT levels, then the depth is written instead.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FROM = 1000 };
#define MAX_INDENT 24

static const cli_option options[] = {
	{ "from", 0, 1, OPT_FROM, "E  only the chain from service E (any service, not only entrypoints)" },
	{ NULL, 0, 0, 0, NULL }
};

static const char *from_name;

static int on_opt(cli *c, int id, const char *arg)
{
	(void)c;
	if (id == OPT_FROM)
		from_name = arg;
	return -1;
}

/* milliseconds rounded to the microsecond: shown and written the same way */
static double ms3(double v)
{
	return round(v * 1000.0) / 1000.0;
}

static const char *fmt_ms(char *buf, size_t n, double v)
{
	char *p;
	snprintf(buf, n, "%.3f", ms3(v));
	p = buf + strlen(buf) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (!strcmp(buf, "-0"))
		snprintf(buf, n, "0");
	return buf;
}

typedef struct {
	dc_id id;
	double total;
	const char *name;
} root_t;

static int root_cmp(const void *a, const void *b)
{
	const root_t *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* last[i] = 1 when hop i is the last child of its parent (pre-order input) */
static void mark_last(const dc_critical_hop *h, size_t n, uint8_t *last, uint8_t *seen)
{
	size_t i;
	for (i = n; i-- > 0;) {
		uint32_t p = h[i].parent;
		if (p == UINT32_MAX) {
			last[i] = 1;
			continue;
		}
		last[i] = !seen[p];
		seen[p] = 1;
	}
	for (i = 0; i < n; i++)
		seen[i] = 0;
}

static void print_tree(cli *c, const dc_critical_hop *h, size_t n, const uint8_t *last, uint8_t *anc)
{
	const dc_catalog *cat = c->cat;
	char b1[48], b2[48], b3[48];
	size_t i;
	unsigned k;
	for (i = 0; i < n; i++) {
		unsigned d = h[i].depth;
		if (d > 0 && d <= MAX_INDENT)
			anc[d - 1] = last[i];
		/* ancestors' columns: a bar while they have siblings still to come */
		for (k = 1; k < d && k <= MAX_INDENT; k++)
			fputs(anc[k - 1] ? "   " : "\xe2\x94\x82  ", c->out);
		if (d > MAX_INDENT)
			fprintf(c->out, "[depth %u] ", d);
		if (d > 0)
			fputs(last[i] ? "\xe2\x94\x94\xe2\x94\x80 " : "\xe2\x94\x9c\xe2\x94\x80 ", c->out);
		fprintf(c->out, "%s%s%s @%s ms (own %s ms", d == 0 ? cli_c(c, "bold") : "",
			dc_service_name(cat, h[i].service), d == 0 ? cli_c(c, "reset") : "",
			fmt_ms(b1, sizeof(b1), h[i].end_ms), fmt_ms(b2, sizeof(b2), h[i].own_ms));
		if (d > 0)
			fprintf(c->out, ", stage %u, called @%s ms", h[i].stage, fmt_ms(b3, sizeof(b3), h[i].start_ms));
		fputc(')', c->out);
		if (h[i].in_cycle)
			fprintf(c->out, " %s[cycle]%s", cli_c(c, "yellow"), cli_c(c, "reset"));
		if (h[i].repeated && h[i].end_ms - h[i].start_ms > h[i].own_ms)
			fputs(" (expanded above)", c->out);
		fputc('\n', c->out);
	}
}

/* The ignored calls of the hops' services, each once (`mark` per dep). */
static void json_ignored(dc_jsonw *w, const dc_critical *cp, const dc_catalog *cat, const dc_graph *g,
			 const dc_critical_hop *h, size_t n, uint8_t *mark)
{
	size_t i, j, first, nd;
	const dc_id *to;
	dc_jw_key(w, "cycle_calls_ignored");
	dc_jw_arr(w);
	for (i = 0; i < n; i++) {
		if (!h[i].in_cycle || h[i].repeated)
			continue;
		nd = dc_graph_out(g, h[i].service, &to, &first);
		for (j = 0; j < nd; j++)
			if (dc_critical_call_ignored(cp, first + j) && !mark[first + j]) {
				mark[first + j] = 1;
				dc_jw_obj_inline(w);
				dc_jw_kstr(w, "from", dc_service_name(cat, h[i].service));
				dc_jw_kstr(w, "to", dc_service_name(cat, to[j]));
				dc_jw_obj_end(w);
			}
	}
	dc_jw_arr_end(w);
	for (i = 0; i < n; i++) {
		nd = dc_graph_out(g, h[i].service, &to, &first);
		for (j = 0; j < nd; j++)
			mark[first + j] = 0;
	}
}

int cmd_critical_path(int argc, char **argv)
{
	cli c;
	int rc, json;
	dc_critical *cp = NULL;
	root_t *roots = NULL;
	uint8_t *last = NULL, *seen = NULL, *mark = NULL, anc[MAX_INDENT];
	size_t nroots = 0, i, nsvc, ndep;
	const dc_critical_hop *h;
	size_t nh;

	memset(&c, 0, sizeof(c));
	from_name = NULL;
	c.cmd = "critical-path";
	c.usage = "PATH... [--from E]";
	c.description = "The latency critical chain of each entrypoint (slowest first), or of E:\n"
			"a service's time is its own latency plus, per stage, its slowest call\n"
			"(calls of one stage run in parallel, stages add; an any_of group costs\n"
			"its fastest member). Each hop shows when it answers (@, from the request\n"
			"reaching the entrypoint at 0 ms), its own latency and its stage.\n"
			"Calls that stay inside a cycle are not timed, and a note lists them.";
	c.formats = "text,json";
	c.opts = options;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if ((rc = cli_load(&c, c.args, c.nargs)))
		goto out;
	nsvc = dc_catalog_service_count(c.cat);
	ndep = dc_catalog_dep_count(c.cat);
	roots = malloc((nsvc ? nsvc : 1) * sizeof(*roots));
	last = malloc(ndep + 1);
	seen = calloc(ndep + 1, 1);
	mark = calloc(ndep ? ndep : 1, 1);
	if (!roots || !last || !seen || !mark || dc_critical_new(&cp, c.graph)) {
		fprintf(stderr, "depcheck critical-path: out of memory\n");
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if (from_name) {
		if (cli_find(&c, from_name, &roots[0].id)) {
			rc = DC_EXIT_USAGE;
			goto out;
		}
		nroots = 1;
	} else {
		for (i = 0; i < nsvc; i++)
			if (dc_service_is_entrypoint(c.cat, (dc_id)i)) {
				roots[nroots].id = (dc_id)i;
				roots[nroots].total = ms3(dc_critical_total_ms(cp, (dc_id)i));
				roots[nroots].name = dc_service_name(c.cat, (dc_id)i);
				nroots++;
			}
		qsort(roots, nroots, sizeof(*roots), root_cmp);
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	json = cli_format_is(&c, "json");

	if (json) {
		dc_jsonw w;
		dc_jw_init(&w, c.out);
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "command", "critical-path");
		dc_jw_key(&w, "paths");
		dc_jw_arr(&w);
		for (i = 0; i < nroots; i++) {
			size_t k;
			if (dc_critical_chain(cp, roots[i].id, &h, &nh)) {
				rc = cli_oom(&c); /* the id is valid: only memory can fail */
				break;
			}
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "entrypoint", dc_service_name(c.cat, roots[i].id));
			dc_jw_knum(&w, "total_ms", ms3(dc_critical_total_ms(cp, roots[i].id)));
			dc_jw_key(&w, "chain");
			dc_jw_arr(&w);
			for (k = 0; k < nh; k++) {
				dc_jw_obj_inline(&w);
				dc_jw_kstr(&w, "service", dc_service_name(c.cat, h[k].service));
				dc_jw_knum(&w, "own_ms", ms3(h[k].own_ms));
				dc_jw_key(&w, "stage");
				if (h[k].depth)
					dc_jw_int(&w, h[k].stage);
				else
					dc_jw_null(&w);
				dc_jw_knum(&w, "start_ms", ms3(h[k].start_ms));
				dc_jw_knum(&w, "end_ms", ms3(h[k].end_ms));
				dc_jw_kint(&w, "depth", h[k].depth);
				dc_jw_kbool(&w, "repeated", h[k].repeated);
				dc_jw_obj_end(&w);
			}
			dc_jw_arr_end(&w);
			json_ignored(&w, cp, c.cat, c.graph, h, nh, mark);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_end(&w);
	} else {
		size_t nign = 0;
		if (!c.quiet && nroots)
			fprintf(c.out, "@ = when a service answers, counting from the request reaching the "
				"first service at 0 ms\n");
		if (!nroots)
			fprintf(c.out, "no entrypoints\n");
		for (i = 0; i < nroots; i++) {
			size_t k, j, first, nd;
			const dc_id *to;
			if (dc_critical_chain(cp, roots[i].id, &h, &nh)) {
				rc = cli_oom(&c); /* the id is valid: only memory can fail */
				break;
			}
			if (nh > ndep + 1) { /* cannot happen: one hop per edge, plus the root */
				rc = DC_EXIT_USAGE;
				break;
			}
			fputc('\n', c.out);
			mark_last(h, nh, last, seen);
			print_tree(&c, h, nh, last, anc);
			for (k = 0; k < nh; k++) {
				if (!h[k].in_cycle)
					continue;
				nd = dc_graph_out(c.graph, h[k].service, &to, &first);
				for (j = 0; j < nd; j++)
					if (dc_critical_call_ignored(cp, first + j) && !mark[first + j]) {
						mark[first + j] = 1;
						nign++;
					}
			}
		}
		if (nign && rc == 0) {
			size_t d, shown = 0;
			fprintf(c.out, "\nnote: %zu call%s inside a cycle %s not timed (the chains above pass "
				"through it):\n", nign, nign == 1 ? "" : "s", nign == 1 ? "is" : "are");
			for (d = 0; d < ndep; d++)
				if (mark[d]) {
					fprintf(c.out, "%s%s -> %s", shown++ ? ", " : "  ",
						dc_service_name(c.cat, dc_dep_from(c.cat, d)),
						dc_service_name(c.cat, dc_dep_to(c.cat, d)));
				}
			fputc('\n', c.out);
		}
	}
	rc = cli_finish(&c, rc ? rc : DC_EXIT_OK);
out:
	dc_critical_free(cp);
	free(roots);
	free(last);
	free(seen);
	free(mark);
	cli_free(&c);
	return rc;
}
