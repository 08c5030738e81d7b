/*
 * paths.c - the dependency chains from one service to another (`depcheck
 * path`).
 *
 * The idea: first a reverse BFS from TO gives every node's distance to TO
 * (nodes that cannot reach TO are never entered). Then, for L = dist(FROM),
 * dist(FROM)+1, ..., a depth-first walk lists every simple chain of exactly
 * L hops, stepping to w only when the hops taken + 1 + dist(w) still fit in
 * L. So chains come shortest first, each length in adjacency order (stable
 * output), each chain found once, and a length is only retried when the
 * walk had to skip a longer chain. The walk uses an explicit stack (a
 * million-service chain is input) and counts its steps against max_work.
 *
 * Truncation: the walk stops at max_paths + 1 chains (one more than asked
 * is how we know the list is cut; the extra one is dropped) or when the
 * work bound is spent; either marks the result truncated.
 */
#include <depcheck/paths.h>

#include "util.h"

struct dc_paths {
	dc_id from, to;
	int truncated;
	DC_VEC(size_t) edges;  /* every chain's dependency indexes, end to end */
	DC_VEC(size_t) start;  /* chain i is edges[start[i] .. start[i+1]) */
};

/* the walk's working memory, one array per node */
typedef struct {
	uint32_t *dist;   /* hops to TO, UINT32_MAX when TO is out of reach */
	uint8_t *onpath;  /* on the current chain */
	dc_id *queue;     /* BFS queue, then the DFS stack */
	size_t *next;     /* DFS: the next edge to try at each depth */
	size_t *via;      /* DFS: the edge taken at each depth */
} walk;

static void walk_free(walk *w)
{
	free(w->dist);
	free(w->onpath);
	free(w->queue);
	free(w->next);
	free(w->via);
}

/* distance to `to` of every node that can reach it (reverse BFS) */
static void distances(const dc_graph *g, dc_id to, size_t n, walk *w)
{
	size_t i, k, qh = 0, qt = 0;
	for (i = 0; i < n; i++)
		w->dist[i] = UINT32_MAX;
	w->dist[to] = 0;
	w->queue[qt++] = to;
	while (qh < qt) {
		dc_id v = w->queue[qh++];
		const dc_id *src;
		size_t cnt = dc_graph_in(g, v, &src, NULL);
		for (k = 0; k < cnt; k++)
			if (w->dist[src[k]] == UINT32_MAX) {
				w->dist[src[k]] = w->dist[v] + 1;
				w->queue[qt++] = src[k];
			}
	}
}

static int add_chain(dc_paths *p, const size_t *via, size_t len)
{
	size_t i;
	if (dc_vec_reserve(&p->edges, len) || dc_vec_push(&p->start, p->edges.len + len))
		return DC_ENOMEM;
	for (i = 0; i < len; i++)
		p->edges.items[p->edges.len++] = via[i];
	return 0;
}

static int enumerate(dc_paths *p, const dc_graph *g, size_t n, walk *w, size_t max_paths,
		     size_t max_work)
{
	dc_id from = p->from, to = p->to;
	dc_id *stk = w->queue;
	size_t L, work = 0, found = 0;
	for (L = w->dist[from]; L < n && !p->truncated; L++) {
		size_t sp = 1;
		int cut = 0; /* some chain was skipped for being longer than L */
		const dc_id *tmp;
		stk[0] = from;
		dc_graph_out(g, from, &tmp, &w->next[0]);
		w->onpath[from] = 1;
		while (sp) {
			dc_id v = stk[sp - 1], x;
			const dc_id *dst;
			size_t first, cnt = dc_graph_out(g, v, &dst, &first);
			size_t e = w->next[sp - 1];
			if (max_work && work++ >= max_work) {
				p->truncated = 1;
				break;
			}
			if (e >= first + cnt) {
				w->onpath[v] = 0;
				sp--;
				continue;
			}
			w->next[sp - 1] = e + 1;
			x = dst[e - first];
			if (w->dist[x] == UINT32_MAX || w->onpath[x])
				continue;
			if (sp + w->dist[x] > L) {
				cut = 1;
				continue;
			}
			w->via[sp - 1] = e;
			if (x == to) {
				if (sp != L)
					continue; /* a shorter chain: listed at its own length */
				if (add_chain(p, w->via, sp))
					return DC_ENOMEM; /* not a shorter list: an error */
				if (++found > max_paths)
					break; /* one more than asked: enough to know there are more */
				continue;
			}
			w->onpath[x] = 1;
			stk[sp] = x;
			dc_graph_out(g, x, &tmp, &w->next[sp]);
			sp++;
		}
		while (sp)
			w->onpath[stk[--sp]] = 0;
		if (found > max_paths || !cut)
			break; /* enough, or every chain has been seen */
	}
	if (found > max_paths) {
		/* the extra chain only tells that the list is cut */
		p->start.len--;
		p->edges.len = p->start.items[p->start.len - 1];
		p->truncated = 1;
	}
	return 0;
}

int dc_paths_find(dc_paths **out, const dc_graph *g, dc_id from, dc_id to, const dc_paths_options *opts)
{
	static const dc_paths_options defaults = DC_PATHS_OPTIONS_INIT;
	dc_paths *p;
	walk w = { 0 };
	size_t n;
	int rc = 0;
	if (out)
		*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!out || !g || !DC_OPTIONS_VERSION_OK(opts->version, DC_PATHS_OPTIONS_VERSION) ||
	    opts->max_paths == 0)
		return DC_EINVALID;
	n = dc_graph_node_count(g);
	if (from >= n || to >= n || from == to)
		return DC_EINVALID;
	p = calloc(1, sizeof(*p));
	if (!p)
		return DC_ENOMEM;
	p->from = from;
	p->to = to;
	/* start[0] = 0, so chain i always has start[i] and start[i+1] */
	if (dc_vec_push(&p->start, (size_t)0)) {
		dc_paths_free(p);
		return DC_ENOMEM;
	}
	w.dist = malloc(n * sizeof(*w.dist));
	w.onpath = calloc(n, 1);
	w.queue = malloc(n * sizeof(*w.queue));
	w.next = malloc(n * sizeof(*w.next));
	w.via = malloc(n * sizeof(*w.via));
	if (!w.dist || !w.onpath || !w.queue || !w.next || !w.via) {
		rc = DC_ENOMEM;
	} else {
		distances(g, to, n, &w);
		if (w.dist[from] != UINT32_MAX)
			rc = enumerate(p, g, n, &w, opts->max_paths, opts->max_work);
	}
	walk_free(&w);
	if (rc) {
		dc_paths_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void dc_paths_free(dc_paths *p)
{
	if (!p)
		return;
	dc_vec_free(&p->edges);
	dc_vec_free(&p->start);
	free(p);
}

dc_id dc_paths_from(const dc_paths *p) { return p ? p->from : DC_NO_ID; }
dc_id dc_paths_to(const dc_paths *p) { return p ? p->to : DC_NO_ID; }
size_t dc_paths_count(const dc_paths *p) { return p ? p->start.len - 1 : 0; }
int dc_paths_truncated(const dc_paths *p) { return p ? p->truncated : 0; }

size_t dc_paths_hops(const dc_paths *p, size_t i, const size_t **edges)
{
	if (!p || i >= p->start.len - 1) {
		if (edges)
			*edges = NULL;
		return 0;
	}
	if (edges)
		*edges = p->edges.items + p->start.items[i];
	return p->start.items[i + 1] - p->start.items[i];
}
