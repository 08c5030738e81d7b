/*
 * cmd_path.c - `depcheck path PATH... FROM TO`: why FROM depends on TO.
 *
 * Prints the dependency chains from FROM to TO, shortest first (up to
 * --max), each hop with its kind, and what happens to FROM when TO fails
 * alone. Enumeration runs only inside the part of the graph that can reach
 * TO, with an explicit stack and a work budget, so a dense graph cannot
 * make it explode. Exit 1 when FROM does not depend on TO.
 */
#include "cli.h"

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


int cmd_path(int argc, char **argv)
{
	cli c;
	int rc;
	dc_id from, to;
	const dc_catalog *cat;
	size_t n, i, k;
	uint8_t *onpath = NULL;
	uint32_t *dist = NULL;
	dc_id *queue = NULL;
	chain *chains = NULL;
	size_t nchains = 0;
	dc_impact *imp = NULL;
	long budget = 2000000;
	int truncated = 0, oom = 0;

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
	if (from == to) {
		rc = cli_usage_error(&c, "FROM and TO are the same service ('%s')", c.args[c.nargs - 1]);
		goto out;
	}
	cat = c.cat;
	n = dc_graph_node_count(c.graph);
	dist = malloc(n * sizeof(uint32_t));
	onpath = calloc(n, 1);
	queue = malloc(n * sizeof(dc_id));
	chains = calloc((size_t)max_paths + 1, sizeof(chain));
	if (!dist || !onpath || !queue || !chains) {
		rc = cli_oom(&c);
		goto out;
	}
	/* distance to TO of every node that can reach it (reverse BFS);
	 * UINT32_MAX elsewhere */
	for (i = 0; i < n; i++)
		dist[i] = UINT32_MAX;
	{
		size_t qh = 0, qt = 0;
		dist[to] = 0;
		queue[qt++] = to;
		while (qh < qt) {
			dc_id v = queue[qh++];
			const dc_id *src;
			size_t cnt = dc_graph_in(c.graph, v, &src, NULL);
			for (k = 0; k < cnt; k++)
				if (dist[src[k]] == UINT32_MAX) {
					dist[src[k]] = dist[v] + 1;
					queue[qt++] = src[k];
				}
		}
	}
	/* Chains, shortest first: for L = dist(FROM), dist(FROM)+1, ... list
	 * every simple chain of exactly L hops, by a DFS that only steps to w
	 * when the hops taken + 1 + dist(w) still fit in L. Each chain is found
	 * once (in adjacency order, so the output is stable); a work budget
	 * bounds dense graphs. */
	if (from != to && dist[from] != UINT32_MAX) {
		dc_id *stk = malloc(n * sizeof(dc_id));
		size_t *next = malloc(n * sizeof(size_t));
		size_t *via = malloc(n * sizeof(size_t));
		size_t L;
		if (!stk || !next || !via) {
			free(stk);
			free(next);
			free(via);
			rc = cli_oom(&c);
			goto out;
		}
		for (L = dist[from]; L < n && !truncated; L++) {
			size_t sp = 1;
			int cut = 0; /* some chain was skipped for being longer than L */
			const dc_id *tmp;
			stk[0] = from;
			dc_graph_out(c.graph, from, &tmp, &next[0]);
			onpath[from] = 1;
			while (sp) {
				dc_id v = stk[sp - 1], w;
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
				w = dst[e - first];
				if (dist[w] == UINT32_MAX || onpath[w])
					continue;
				if (sp + dist[w] > L) {
					cut = 1;
					continue;
				}
				via[sp - 1] = e;
				if (w == to) {
					if (sp != L)
						continue;
					if (nchains > (size_t)max_paths)
						break; /* one more than asked: enough to know there are more */
					chains[nchains].edges = malloc(sp * sizeof(size_t));
					if (!chains[nchains].edges) {
						oom = 1; /* not a shorter list: an error */
						break;
					}
					memcpy(chains[nchains].edges, via, sp * sizeof(size_t));
					chains[nchains].len = sp;
					nchains++;
					continue;
				}
				onpath[w] = 1;
				stk[sp] = w;
				dc_graph_out(c.graph, w, &tmp, &next[sp]);
				sp++;
			}
			while (sp)
				onpath[stk[--sp]] = 0;
			if (oom || nchains > (size_t)max_paths || !cut)
				break; /* enough, or every chain has been seen */
		}
		free(stk);
		free(next);
		free(via);
		if (oom) {
			rc = cli_oom(&c);
			goto out;
		}
		if (nchains > (size_t)max_paths) {
			/* the extra chain only tells that the list is cut */
			free(chains[--nchains].edges);
			truncated = 1;
		}
	}
	if (dc_impact_new(&imp, c.graph) || dc_impact_run(imp, &to, 1, NULL, 0)) {
		rc = cli_oom(&c);
		goto out;
	}
	if ((rc = cli_open_output(&c)))
		goto out;
	{
		dc_state st = dc_impact_state(imp, from);
		const char *stname = st == DC_STATE_DOWN ? "down" : st == DC_STATE_DEGRADED ? "degraded" : "up";
		if (cli_format_is(&c, "json")) {
			dc_jsonw w;
			dc_jw_init(&w, c.out);
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "command", "path");
			dc_jw_kstr(&w, "from", dc_service_name(cat, from));
			dc_jw_kstr(&w, "to", dc_service_name(cat, to));
			dc_jw_kbool(&w, "depends", nchains > 0);
			dc_jw_kstr(&w, "from_state_if_to_fails", from == to ? "down" : stname);
			dc_jw_kbool(&w, "truncated", truncated);
			dc_jw_key(&w, "paths");
			dc_jw_arr(&w);
			for (i = 0; i < nchains; i++) {
				dc_jw_arr(&w);
				for (k = 0; k < chains[i].len; k++) {
					size_t d = chains[i].edges[k];
					dc_location l = dc_dep_location(cat, d);
					dc_jw_obj(&w);
					dc_jw_kstr(&w, "from", dc_service_name(cat, dc_dep_from(cat, d)));
					dc_jw_kstr(&w, "to", dc_service_name(cat, dc_dep_to(cat, d)));
					dc_jw_kstr(&w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
					dc_jw_kbool(&w, "any_of", dc_dep_group(cat, d) != 0);
					dc_jw_kstr(&w, "file", l.file);
					dc_jw_kint(&w, "line", l.line);
					dc_jw_kint(&w, "column", l.column);
					dc_jw_obj_end(&w);
				}
				dc_jw_arr_end(&w);
			}
			dc_jw_arr_end(&w);
			dc_jw_obj_end(&w);
			dc_jw_end(&w);
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
				fprintf(c.out, "          (more chains may exist; --max raises the limit)\n");
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
	free(dist);
	free(onpath);
	free(queue);
	dc_impact_free(imp);
	cli_free(&c);
	return rc;
}
