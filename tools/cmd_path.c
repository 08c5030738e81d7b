/*
 * cmd_path.c - `depcheck path PATH... FROM TO`: why FROM depends on TO.
 *
 * Prints the shortest dependency chain, then further distinct simple
 * chains (up to --max), each hop with its kind, and what happens to FROM
 * when TO fails alone. Enumeration runs only inside the part of the graph
 * that can reach TO, with an explicit stack and a work budget, so a dense
 * graph cannot make it explode. Exit 1 when FROM does not depend on TO.
 */
#include "cli.h"
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_MAX = 1000 };

static const cli_option path_opts[] = {
	{ "max", 'n', 1, OPT_MAX, "N       list at most N chains (default 10)" },
	{ NULL, 0, 0, 0, NULL }
};

static long max_paths = 10;

static int on_opt(cli *c, int id, const char *arg)
{
	char *end;
	if (id == OPT_MAX) {
		max_paths = strtol(arg, &end, 10);
		if (*end || max_paths < 1 || max_paths > 100000)
			return cli_usage_error(c, "--max takes a number from 1 to 100000, not '%s'", arg);
	}
	return -1;
}

typedef struct {
	size_t *edges;   /* dependency indexes along the chain */
	size_t len;
} chain;


static int chain_cmp(const void *a, const void *b)
{
	const chain *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

int cmd_path(int argc, char **argv)
{
	cli c;
	int rc;
	dc_id from, to;
	const dc_catalog *cat;
	size_t n, i, k;
	uint8_t *reach = NULL, *onpath = NULL;
	dc_id *queue = NULL;
	size_t *pred = NULL;
	chain *chains = NULL;
	size_t nchains = 0;
	dc_impact *imp = NULL;
	long budget = 2000000;
	int truncated = 0;

	memset(&c, 0, sizeof(c));
	c.cmd = "path";
	c.usage = "PATH... FROM TO";
	c.description = "Explain why FROM depends on TO: the shortest dependency chain and other\n"
			"chains, with the kind of every hop, and what a failure of TO does to FROM.\n"
			"Exits 1 when FROM does not depend on TO at all.";
	c.formats = "text,json";
	c.opts = path_opts;
	max_paths = 10;
	rc = cli_parse(&c, argc, argv, on_opt);
	if (rc >= 0)
		goto out;
	if (c.nargs < 3) {
		rc = cli_usage_error(&c, "expected input paths, then FROM and TO");
		goto out;
	}
	if ((rc = cli_load(&c, c.args, c.nargs - 2)))
		goto out;
	if (cli_find(&c, c.args[c.nargs - 2], &from) || cli_find(&c, c.args[c.nargs - 1], &to)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	cat = c.cat;
	n = dc_graph_node_count(c.graph);
	reach = calloc(n, 1);
	onpath = calloc(n, 1);
	queue = malloc(n * sizeof(dc_id));
	pred = malloc(n * sizeof(size_t));
	chains = calloc((size_t)max_paths, sizeof(chain));
	if (!reach || !onpath || !queue || !pred || !chains) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	/* nodes that can reach TO (reverse BFS) */
	{
		size_t qh = 0, qt = 0;
		reach[to] = 1;
		queue[qt++] = to;
		while (qh < qt) {
			dc_id v = queue[qh++];
			const dc_id *src;
			size_t cnt = dc_graph_in(c.graph, v, &src, NULL);
			for (k = 0; k < cnt; k++)
				if (!reach[src[k]]) {
					reach[src[k]] = 1;
					queue[qt++] = src[k];
				}
		}
	}
	/* shortest chain: forward BFS from FROM inside the reaching set */
	if (from != to && reach[from]) {
		size_t qh = 0, qt = 0;
		uint8_t *seen = onpath; /* reused, cleared below */
		seen[from] = 1;
		queue[qt++] = from;
		while (qh < qt && !seen[to]) {
			dc_id v = queue[qh++];
			const dc_id *dst;
			size_t first, cnt = dc_graph_out(c.graph, v, &dst, &first);
			for (k = 0; k < cnt; k++) {
				dc_id w = dst[k];
				if (!reach[w] || seen[w])
					continue;
				seen[w] = 1;
				pred[w] = first + k;
				queue[qt++] = w;
			}
		}
		if (seen[to]) {
			size_t len = 0;
			dc_id v = to;
			while (v != from) {
				len++;
				v = dc_dep_from(cat, pred[v]);
			}
			chains[0].edges = malloc(len * sizeof(size_t));
			if (!chains[0].edges) {
				rc = DC_EXIT_USAGE;
				goto out;
			}
			chains[0].len = len;
			v = to;
			while (v != from) {
				chains[0].edges[--len] = pred[v];
				v = dc_dep_from(cat, pred[v]);
			}
			nchains = 1;
		}
		memset(onpath, 0, n);
	}
	/* further simple chains: iterative DFS with (node, next edge) frames */
	if (nchains && max_paths > 1) {
		dc_id *stk = malloc(n * sizeof(dc_id));
		size_t *next = malloc(n * sizeof(size_t));
		size_t *via = malloc(n * sizeof(size_t));
		size_t sp = 0;
		if (!stk || !next || !via) {
			free(stk);
			free(next);
			free(via);
			rc = DC_EXIT_USAGE;
			goto out;
		}
		stk[sp] = from;
		dc_graph_out(c.graph, from, &(const dc_id *){0}, &next[sp]);
		sp = 1;
		onpath[from] = 1;
		while (sp && nchains < (size_t)max_paths) {
			dc_id v = stk[sp - 1];
			const dc_id *dst;
			size_t first, cnt = dc_graph_out(c.graph, v, &dst, &first);
			size_t e = next[sp - 1];
			if (--budget < 0) {
				truncated = 1;
				break;
			}
			if (e >= first + cnt) {
				onpath[v] = 0;
				sp--;
				continue;
			}
			next[sp - 1] = e + 1;
			{
				dc_id w = dst[e - first];
				if (!reach[w] || onpath[w])
					continue;
				via[sp - 1] = e;
				if (w == to) {
					/* a chain: keep it unless it is the shortest one again */
					size_t len = sp, j;
					int same = len == chains[0].len;
					for (j = 0; same && j < len; j++)
						same = chains[0].edges[j] == via[j];
					if (!same) {
						chains[nchains].edges = malloc(len * sizeof(size_t));
						if (!chains[nchains].edges)
							break;
						memcpy(chains[nchains].edges, via, len * sizeof(size_t));
						chains[nchains].len = len;
						nchains++;
					}
					continue;
				}
				onpath[w] = 1;
				stk[sp] = w;
				{
					const dc_id *tmp;
					size_t f2;
					dc_graph_out(c.graph, w, &tmp, &f2);
					next[sp] = f2;
				}
				sp++;
			}
		}
		if (sp && nchains >= (size_t)max_paths)
			truncated = 1;
		free(stk);
		free(next);
		free(via);
		if (nchains > 1)
			qsort(chains + 1, nchains - 1, sizeof(chain), chain_cmp);
	}
	if (dc_impact_new(&imp, c.graph) || dc_impact_run(imp, &to, 1, NULL, 0)) {
		rc = DC_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	{
		dc_state st = dc_impact_state(imp, from);
		const char *stname = st == DC_STATE_DOWN ? "down" : st == DC_STATE_DEGRADED ? "degraded" : "up";
		if (cli_format_is(&c, "json")) {
			jsonw w;
			jw_init(&w, c.out);
			jw_obj(&w);
			jw_kstr(&w, "command", "path");
			jw_kstr(&w, "from", dc_service_name(cat, from));
			jw_kstr(&w, "to", dc_service_name(cat, to));
			jw_kbool(&w, "depends", nchains > 0);
			jw_kstr(&w, "from_state_if_to_fails", from == to ? "down" : stname);
			jw_kbool(&w, "truncated", truncated);
			jw_key(&w, "paths");
			jw_arr(&w);
			for (i = 0; i < nchains; i++) {
				jw_arr(&w);
				for (k = 0; k < chains[i].len; k++) {
					size_t d = chains[i].edges[k];
					dc_location l = dc_dep_location(cat, d);
					jw_obj(&w);
					jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, d)));
					jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, d)));
					jw_kstr(&w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
					jw_kbool(&w, "any_of", dc_dep_group(cat, d) != 0);
					jw_kstr(&w, "file", l.file);
					jw_kint(&w, "line", l.line);
					jw_kint(&w, "column", l.column);
					jw_obj_end(&w);
				}
				jw_arr_end(&w);
			}
			jw_arr_end(&w);
			jw_obj_end(&w);
			jw_end(&w);
		} else if (!nchains) {
			fprintf(c.out, "%s does not depend on %s\n", dc_service_name(cat, from), dc_service_name(cat, to));
		} else {
			for (i = 0; i < nchains; i++) {
				fprintf(c.out, "%s%s", i == 0 ? "shortest: " : "          ", dc_service_name(cat, from));
				for (k = 0; k < chains[i].len; k++) {
					size_t d = chains[i].edges[k];
					const char *kind = dc_dep_group(cat, d) ? "any_of"
							   : dc_dep_kind_name(dc_dep_kind_of(cat, d));
					fprintf(c.out, " -%s-> %s", kind, dc_service_name(cat, dc_dep_to(cat, d)));
				}
				fputc('\n', c.out);
			}
			if (truncated)
				fprintf(c.out, "          (more chains exist; --max raises the limit)\n");
			fprintf(c.out, "if %s fails alone, %s is %s%s%s\n", dc_service_name(cat, to),
				dc_service_name(cat, from),
				cli_c(&c, st == DC_STATE_DOWN ? "red" : st == DC_STATE_DEGRADED ? "yellow" : "green"),
				st == DC_STATE_DOWN ? "DOWN" : st == DC_STATE_DEGRADED ? "DEGRADED" : "UP (still up)",
				cli_c(&c, "reset"));
		}
		rc = cli_finish(&c, nchains ? DC_EXIT_OK : DC_EXIT_FINDINGS);
	}
out:
	for (i = 0; chains && i < nchains; i++)
		free(chains[i].edges);
	free(chains);
	free(reach);
	free(onpath);
	free(queue);
	free(pred);
	dc_impact_free(imp);
	cli_free(&c);
	return rc;
}
