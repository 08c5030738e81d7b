/*
 * test_paths.c - dc_paths_find (paths.h) against a brute-force oracle:
 * every simple path from FROM to TO by an exhaustive depth-first walk in
 * the graph's adjacency order, stably sorted by length, is exactly the
 * order `path` promises (docs/commands.md, "path"). Random small graphs (with any_of
 * groups and cycles), every max_paths cut, small work bounds; and the edge
 * cases: FROM == TO, no chain, invalid ids and options.
 */
#include "helpers.h"
#include "gen.h"

#include <depcheck/paths.h>

/* ---- the oracle ----------------------------------------------------------- */

typedef struct {
	size_t *edges; /* all chains end to end */
	size_t *start; /* chain i: edges[start[i] .. start[i] + len[i]) */
	size_t *len;
	size_t n, cap, ecap, elen;
} oracle;

static void oracle_add(oracle *o, const size_t *via, size_t len)
{
	size_t i;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->start = realloc(o->start, o->cap * sizeof(size_t));
		o->len = realloc(o->len, o->cap * sizeof(size_t));
	}
	if (o->elen + len > o->ecap) {
		o->ecap = 2 * (o->elen + len) + 64;
		o->edges = realloc(o->edges, o->ecap * sizeof(size_t));
	}
	o->start[o->n] = o->elen;
	o->len[o->n] = len;
	o->n++;
	for (i = 0; i < len; i++)
		o->edges[o->elen++] = via[i];
}

/* recursion is fine here: the graphs have a dozen nodes */
static void oracle_dfs(oracle *o, const dc_graph *g, dc_id v, dc_id to, uint8_t *onpath, size_t *via,
		       size_t depth)
{
	const dc_id *dst;
	size_t first, k, cnt = dc_graph_out(g, v, &dst, &first);
	for (k = 0; k < cnt; k++) {
		dc_id w = dst[k];
		if (onpath[w])
			continue;
		via[depth] = first + k;
		if (w == to) {
			oracle_add(o, via, depth + 1);
			continue;
		}
		onpath[w] = 1;
		oracle_dfs(o, g, w, to, onpath, via, depth + 1);
		onpath[w] = 0;
	}
}

/* every simple chain, stably sorted by length (insertion sort on indexes) */
static void oracle_find(oracle *o, const dc_graph *g, dc_id from, dc_id to, size_t **order)
{
	size_t n = dc_graph_node_count(g), i, j;
	uint8_t *onpath = calloc(n, 1);
	size_t *via = malloc(n * sizeof(size_t));
	memset(o, 0, sizeof(*o));
	onpath[from] = 1;
	oracle_dfs(o, g, from, to, onpath, via, 0);
	*order = malloc((o->n + 1) * sizeof(size_t));
	for (i = 0; i < o->n; i++) {
		size_t x = i;
		for (j = i; j > 0 && o->len[(*order)[j - 1]] > o->len[x]; j--)
			(*order)[j] = (*order)[j - 1];
		(*order)[j] = x;
	}
	free(onpath);
	free(via);
}

static void oracle_free(oracle *o)
{
	free(o->edges);
	free(o->start);
	free(o->len);
}

/* p lists the first dc_paths_count(p) chains of the oracle, in order */
static int is_prefix(const dc_paths *p, const oracle *o, const size_t *order)
{
	size_t i, n = dc_paths_count(p);
	if (n > o->n)
		return 0;
	for (i = 0; i < n; i++) {
		const size_t *e;
		size_t len = dc_paths_hops(p, i, &e);
		if (len != o->len[order[i]] || memcmp(e, o->edges + o->start[order[i]], len * sizeof(size_t)))
			return 0;
	}
	return 1;
}

/* ---- the tests ------------------------------------------------------------ */

static void check_pair(const dc_graph *g, dc_id from, dc_id to, size_t *total_chains)
{
	oracle o;
	size_t *order, k;
	dc_paths *p = NULL;
	dc_paths_options opts = DC_PATHS_OPTIONS_INIT;
	oracle_find(&o, g, from, to, &order);
	*total_chains += o.n;

	/* everything, unbounded */
	opts.max_paths = 1000000;
	opts.max_work = 0;
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, from, to, &opts), 0);
	CU_ASSERT_EQUAL(dc_paths_from(p), from);
	CU_ASSERT_EQUAL(dc_paths_to(p), to);
	CU_ASSERT_EQUAL(dc_paths_count(p), o.n);
	CU_ASSERT_TRUE(is_prefix(p, &o, order));
	CU_ASSERT_FALSE(dc_paths_truncated(p));
	dc_paths_free(p);

	/* every cut: the first k, truncated exactly when there are more */
	for (k = 1; k <= o.n + 1 && k <= 40; k++) {
		opts.max_paths = k;
		CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, from, to, &opts), 0);
		CU_ASSERT_EQUAL(dc_paths_count(p), k < o.n ? k : o.n);
		CU_ASSERT_TRUE(is_prefix(p, &o, order));
		CU_ASSERT_EQUAL(dc_paths_truncated(p), o.n > k);
		dc_paths_free(p);
	}

	/* a small work bound: still a prefix, complete unless truncated */
	opts.max_paths = 1000000;
	for (k = 1; k < 64; k += 7) {
		opts.max_work = k;
		CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, from, to, &opts), 0);
		CU_ASSERT_TRUE(is_prefix(p, &o, order));
		if (!dc_paths_truncated(p))
			CU_ASSERT_EQUAL(dc_paths_count(p), o.n);
		dc_paths_free(p);
	}
	free(order);
	oracle_free(&o);
}

static void test_random_vs_oracle(void)
{
	uint64_t seed = 14;
	size_t total = 0;
	int round;
	for (round = 0; round < 40; round++) {
		unsigned n = 3 + gen_below(&seed, 8);
		gen_edge *e = NULL;
		size_t m = gen_random(&seed, n, 10 + gen_below(&seed, 25), 30, 20, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g = NULL;
		dc_id from, to;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		for (from = 0; from < n; from++)
			for (to = 0; to < n; to++)
				if (from != to)
					check_pair(g, from, to, &total);
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(e);
	}
	/* the graphs were not all trivial */
	CU_ASSERT_TRUE(total > 1000);
}

/* a diamond with a tail: a -> b -> d, a -> c -> d, a -> d, d -> e */
static dc_catalog *diamond(void)
{
	static const gen_edge e[] = {
		{ 0, 1, DC_DEP_HARD, 0 }, { 0, 2, DC_DEP_SOFT, 0 }, { 0, 3, DC_DEP_HARD, 0 },
		{ 1, 3, DC_DEP_HARD, 0 }, { 2, 3, DC_DEP_HARD, 0 }, { 3, 4, DC_DEP_HARD, 0 },
	};
	return gen_catalog(5, e, sizeof(e) / sizeof(e[0]));
}

static void test_diamond(void)
{
	dc_catalog *cat = diamond();
	dc_graph *g = NULL;
	dc_paths *p = NULL;
	const size_t *e;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, 0, 4, NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_count(p), 3);
	/* shortest first: a -> d -> e */
	CU_ASSERT_EQUAL(dc_paths_hops(p, 0, &e), 2);
	CU_ASSERT_EQUAL(dc_dep_to(cat, e[0]), 3);
	CU_ASSERT_EQUAL(dc_dep_to(cat, e[1]), 4);
	/* then the two of three hops, in declaration order: via b, via c */
	CU_ASSERT_EQUAL(dc_paths_hops(p, 1, &e), 3);
	CU_ASSERT_EQUAL(dc_dep_to(cat, e[0]), 1);
	CU_ASSERT_EQUAL(dc_paths_hops(p, 2, &e), 3);
	CU_ASSERT_EQUAL(dc_dep_to(cat, e[0]), 2);
	CU_ASSERT_FALSE(dc_paths_truncated(p));
	/* out of range */
	e = (const size_t *)1;
	CU_ASSERT_EQUAL(dc_paths_hops(p, 3, &e), 0);
	CU_ASSERT_PTR_NULL(e);
	CU_ASSERT_EQUAL(dc_paths_hops(p, (size_t)-1, NULL), 0);
	dc_paths_free(p);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_no_chain(void)
{
	dc_catalog *cat = diamond();
	dc_graph *g = NULL;
	dc_paths *p = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	/* e depends on nothing; d does not depend on a */
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, 4, 0, NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_count(p), 0);
	CU_ASSERT_FALSE(dc_paths_truncated(p));
	dc_paths_free(p);
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, 3, 0, NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_count(p), 0);
	dc_paths_free(p);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_invalid(void)
{
	dc_catalog *cat = diamond();
	dc_graph *g = NULL;
	dc_paths *p = (dc_paths *)&p; /* must come back NULL */
	dc_paths_options o = DC_PATHS_OPTIONS_INIT;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 1, 1, NULL), DC_EINVALID); /* FROM == TO */
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 0, 5, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 5, 0, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, DC_NO_ID, 0, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 0, DC_NO_ID, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_paths_find(&p, NULL, 0, 4, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_paths_find(NULL, g, 0, 4, NULL), DC_EINVALID);
	o.max_paths = 0;
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 0, 4, &o), DC_EINVALID);
	o.max_paths = 10;
	o.version = 0;
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 0, 4, &o), DC_EINVALID);
	o.version = DC_PATHS_OPTIONS_VERSION + 1;
	CU_ASSERT_EQUAL(dc_paths_find(&p, g, 0, 4, &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(p);
	/* accessors on NULL */
	CU_ASSERT_EQUAL(dc_paths_count(NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_hops(NULL, 0, NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_truncated(NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_from(NULL), DC_NO_ID);
	dc_paths_free(NULL);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* A long chain: explicit stack, no recursion, and the default work bound is
 * plenty for the one chain there is. */
static void test_long_chain(void)
{
	unsigned n = 200000;
	dc_catalog *cat;
	dc_graph *g = NULL;
	dc_paths *p = NULL;
	cat = gen_chain(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_paths_find(&p, g, 0, n - 1, NULL), 0);
	CU_ASSERT_EQUAL(dc_paths_count(p), 1);
	CU_ASSERT_EQUAL(dc_paths_hops(p, 0, NULL), n - 1);
	CU_ASSERT_FALSE(dc_paths_truncated(p));
	dc_paths_free(p);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

int suite_paths(void)
{
	static const th_test tests[] = {
		{ "random graphs vs brute-force oracle", test_random_vs_oracle },
		{ "diamond: order and accessors", test_diamond },
		{ "no chain", test_no_chain },
		{ "invalid arguments", test_invalid },
		{ "long chain", test_long_chain },
		{ NULL, NULL }
	};
	return th_suite("paths", tests);
}
