/*
 * test_graph.c - CSR rows, strongly connected components, topological
 * order and depth: hand-checked small graphs, hundreds of seeded random
 * graphs against a brute-force oracle (reachability closure), and a
 * million-node chain that must not touch the C stack.
 */
#include "helpers.h"
#include "gen.h"

/* ---- hand-checked ------------------------------------------------------------ */

static int contains(const dc_id *a, size_t n, dc_id x)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (a[i] == x)
			return 1;
	return 0;
}

static void test_csr_small(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	const char *y =
		"services:\n"
		"  - {name: a, depends_on: [b, c]}\n"
		"  - {name: b, depends_on: [c]}\n"
		"  - {name: c}\n"
		"  - {name: d, depends_on: [a, {service: c, kind: soft}]}\n";
	dc_id a, b, c, dd;
	const dc_id *to, *from;
	const uint32_t *edges;
	size_t first, n, i;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "g.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = th_id(cat, "a"); b = th_id(cat, "b"); c = th_id(cat, "c"); dd = th_id(cat, "d");
	CU_ASSERT_EQUAL(dc_graph_node_count(g), 4);
	CU_ASSERT_EQUAL(dc_graph_edge_count(g), 5);
	CU_ASSERT_PTR_EQUAL(dc_graph_catalog(g), cat);
	/* forward rows: targets in declaration order, edge index = dependency index */
	n = dc_graph_out(g, a, &to, &first);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(to[0], b);
	CU_ASSERT_EQUAL(to[1], c);
	CU_ASSERT_EQUAL(first, dc_service_dep_first(cat, a));
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(dc_dep_from(cat, first + i), a);
		CU_ASSERT_EQUAL(dc_dep_to(cat, first + i), to[i]);
	}
	CU_ASSERT_EQUAL(dc_graph_out(g, c, &to, &first), 0);
	n = dc_graph_out(g, dd, &to, &first);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(to[0], a);
	CU_ASSERT_EQUAL(to[1], c);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, first + 1), DC_DEP_SOFT);
	/* reverse rows: c has dependents a, b, d */
	n = dc_graph_in(g, c, &from, &edges);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_TRUE(contains(from, n, a));
	CU_ASSERT_TRUE(contains(from, n, b));
	CU_ASSERT_TRUE(contains(from, n, dd));
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(dc_dep_from(cat, edges[i]), from[i]);
		CU_ASSERT_EQUAL(dc_dep_to(cat, edges[i]), c);
	}
	n = dc_graph_in(g, a, &from, NULL);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(from[0], dd);
	CU_ASSERT_EQUAL(dc_graph_in(g, dd, &from, &edges), 0);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_scc_small(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_scc *all, *hard;
	/* a -> b -> c -> a (c->a soft), c -> e, d -> a; x any_of back to a */
	const char *y =
		"services:\n"
		"  - {name: a, depends_on: [b]}\n"
		"  - {name: b, depends_on: [c]}\n"
		"  - {name: c, depends_on: [{service: a, kind: soft}, e]}\n"
		"  - {name: d, depends_on: [a]}\n"
		"  - {name: e, depends_on: [{any_of: [x, y]}]}\n"
		"  - {name: x, depends_on: [e]}\n"
		"  - {name: y}\n";
	dc_id a, b, c, dd, e, x, yy;
	const dc_id *mem;
	dc_id order[7];
	size_t i;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "s.yaml", y, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = th_id(cat, "a"); b = th_id(cat, "b"); c = th_id(cat, "c"); dd = th_id(cat, "d");
	e = th_id(cat, "e"); x = th_id(cat, "x"); yy = th_id(cat, "y");
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&all, g, DC_EDGES_ALL), 0);
	/* {a,b,c} {e,x} {d} {y} */
	CU_ASSERT_EQUAL(dc_scc_count(all), 4);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(all), 2);
	CU_ASSERT_EQUAL(dc_scc_of(all, a), dc_scc_of(all, b));
	CU_ASSERT_EQUAL(dc_scc_of(all, a), dc_scc_of(all, c));
	CU_ASSERT_EQUAL(dc_scc_of(all, e), dc_scc_of(all, x));
	CU_ASSERT_NOT_EQUAL(dc_scc_of(all, a), dc_scc_of(all, e));
	CU_ASSERT_EQUAL(dc_scc_members(all, dc_scc_of(all, a), &mem), 3);
	CU_ASSERT_EQUAL(dc_scc_members(all, dc_scc_of(all, dd), &mem), 1);
	CU_ASSERT_EQUAL(mem[0], dd);
	/* providers first: y < {e,x} < {a,b,c} < d */
	CU_ASSERT_TRUE(dc_scc_of(all, yy) < dc_scc_of(all, e));
	CU_ASSERT_TRUE(dc_scc_of(all, e) < dc_scc_of(all, a));
	CU_ASSERT_TRUE(dc_scc_of(all, a) < dc_scc_of(all, dd));
	CU_ASSERT_EQUAL(dc_scc_depth(all, g), 4);
	dc_scc_topo_order(all, order);
	CU_ASSERT_EQUAL(order[0], yy);
	CU_ASSERT_EQUAL(order[6], dd);
	for (i = 1; i < 6; i++)
		CU_ASSERT_TRUE(order[i] != yy && order[i] != dd);
	/* hard only: the soft edge c->a and the any_of edges e->x, e->y do not count */
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&hard, g, DC_EDGES_HARD_ONLY), 0);
	CU_ASSERT_EQUAL(dc_scc_count(hard), 7);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(hard), 0);
	/* d -> a -> b -> c -> e (hard); x -> e */
	CU_ASSERT_EQUAL(dc_scc_depth(hard, g), 5);
	CU_ASSERT_TRUE(dc_scc_of(hard, c) < dc_scc_of(hard, b));
	CU_ASSERT_TRUE(dc_scc_of(hard, e) < dc_scc_of(hard, c));
	dc_scc_free(all);
	dc_scc_free(hard);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Components over a chosen set of edges (dc_scc_compute_edges):
 *   a -> b -> c ~> a (soft),  a -> d -> a,  c -> e
 * all edges: {a,b,c,d} {e}; without c->a and d->a: no cycle, the chain
 * a b c e; only a->d and d->a: {a,d} and three singletons, no edge between
 * components. The set is copied: changing it afterwards changes nothing. */
static void test_scc_edges(void)
{
	th_fx f;
	dc_scc *s;
	long ab, bc, ca, ad, da, ce;
	dc_id a, b, c, d, e;
	th_fx_load(&f, "e.yaml",
		   "services:\n"
		   "  - {name: a, depends_on: [b, d]}\n"
		   "  - {name: b, depends_on: [c]}\n"
		   "  - {name: c, depends_on: [{service: a, kind: soft}, e]}\n"
		   "  - {name: d, depends_on: [a]}\n"
		   "  - {name: e}\n");
	CU_ASSERT_EQUAL_FATAL(dc_graph_edge_count(f.g), 6);
	a = th_id(f.cat, "a"); b = th_id(f.cat, "b"); c = th_id(f.cat, "c");
	d = th_id(f.cat, "d"); e = th_id(f.cat, "e");
	ab = th_dep_of(f.cat, "a", "b"); bc = th_dep_of(f.cat, "b", "c"); ca = th_dep_of(f.cat, "c", "a");
	ad = th_dep_of(f.cat, "a", "d"); da = th_dep_of(f.cat, "d", "a"); ce = th_dep_of(f.cat, "c", "e");
	CU_ASSERT_FATAL(ab >= 0 && bc >= 0 && ca >= 0 && ad >= 0 && da >= 0 && ce >= 0);

	/* every edge */
	{
		uint8_t all[6] = { 1, 1, 1, 1, 1, 1 };
		CU_ASSERT_EQUAL_FATAL(dc_scc_compute_edges(&s, f.g, all), 0);
	}
	CU_ASSERT_EQUAL(dc_scc_count(s), 2);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 1);
	CU_ASSERT_EQUAL(dc_scc_of(s, a), dc_scc_of(s, b));
	CU_ASSERT_EQUAL(dc_scc_of(s, a), dc_scc_of(s, c));
	CU_ASSERT_EQUAL(dc_scc_of(s, a), dc_scc_of(s, d));
	CU_ASSERT_TRUE(dc_scc_of(s, e) < dc_scc_of(s, a));
	CU_ASSERT_EQUAL(dc_scc_depth(s, f.g), 2);
	dc_scc_free(s);

	/* without the two back edges */
	{
		uint8_t k[6] = { 1, 1, 1, 1, 1, 1 };
		k[ca] = k[da] = 0;
		CU_ASSERT_EQUAL_FATAL(dc_scc_compute_edges(&s, f.g, k), 0);
	}
	CU_ASSERT_EQUAL(dc_scc_count(s), 5);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 0);
	CU_ASSERT_TRUE(dc_scc_of(s, e) < dc_scc_of(s, c));
	CU_ASSERT_TRUE(dc_scc_of(s, c) < dc_scc_of(s, b));
	CU_ASSERT_TRUE(dc_scc_of(s, b) < dc_scc_of(s, a));
	CU_ASSERT_TRUE(dc_scc_of(s, d) < dc_scc_of(s, a));
	CU_ASSERT_EQUAL(dc_scc_depth(s, f.g), 4); /* a b c e */
	dc_scc_free(s);

	/* only a <-> d */
	{
		uint8_t k[6] = { 0, 0, 0, 0, 0, 0 };
		const dc_id *mem;
		k[ad] = k[da] = 1;
		CU_ASSERT_EQUAL_FATAL(dc_scc_compute_edges(&s, f.g, k), 0);
		CU_ASSERT_EQUAL(dc_scc_count(s), 4);
		CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 1);
		CU_ASSERT_EQUAL(dc_scc_members(s, dc_scc_of(s, a), &mem), 2);
		CU_ASSERT_EQUAL(dc_scc_of(s, a), dc_scc_of(s, d));
		CU_ASSERT_NOT_EQUAL(dc_scc_of(s, b), dc_scc_of(s, c));
		CU_ASSERT_EQUAL(dc_scc_depth(s, f.g), 1);
		/* copied: the depth still counts a <-> d only */
		memset(k, 1, sizeof(k));
		CU_ASSERT_EQUAL(dc_scc_depth(s, f.g), 1);
	}
	dc_scc_free(s);

	/* no edge at all: five singletons */
	{
		uint8_t none[6] = { 0, 0, 0, 0, 0, 0 };
		CU_ASSERT_EQUAL_FATAL(dc_scc_compute_edges(&s, f.g, none), 0);
	}
	CU_ASSERT_EQUAL(dc_scc_count(s), 5);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 0);
	CU_ASSERT_EQUAL(dc_scc_depth(s, f.g), 1);
	dc_scc_free(s);
	th_fx_free(&f);
}

static void test_empty_and_edgeless(void)
{
	dc_catalog *cat;
	dc_graph *g;
	dc_scc *s;
	/* an edgeless graph: every node its own component, depth 1 */
	cat = gen_catalog(5, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, DC_EDGES_ALL), 0);
	CU_ASSERT_EQUAL(dc_scc_count(s), 5);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 0);
	CU_ASSERT_EQUAL(dc_scc_depth(s, g), 1);
	dc_scc_free(s);
	dc_graph_free(g);
	dc_catalog_free(cat);
	/* an empty catalog (finalize refuses it, the graph copes) */
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, DC_EDGES_ALL), 0);
	CU_ASSERT_EQUAL(dc_scc_count(s), 0);
	CU_ASSERT_EQUAL(dc_scc_depth(s, g), 0);
	dc_scc_free(s);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_scc_free(NULL);
	dc_graph_free(NULL);
}

/* ---- randomized, against a brute-force oracle ------------------------------------ */

#define MAXN 40

/* reach[u][v]: v reachable from u by a path of length >= 0 (Floyd–Warshall) */
static void closure(const dc_catalog *cat, unsigned n, int hard_only, uint8_t reach[MAXN][MAXN])
{
	size_t d;
	unsigned u, v, k;
	memset(reach, 0, sizeof(uint8_t) * MAXN * MAXN);
	for (u = 0; u < n; u++)
		reach[u][u] = 1;
	for (d = 0; d < dc_catalog_dep_count(cat); d++) {
		if (hard_only && (dc_dep_kind_of(cat, d) != DC_DEP_HARD || dc_dep_group(cat, d)))
			continue;
		reach[dc_dep_from(cat, d)][dc_dep_to(cat, d)] = 1;
	}
	for (k = 0; k < n; k++)
		for (u = 0; u < n; u++)
			if (reach[u][k])
				for (v = 0; v < n; v++)
					if (reach[k][v])
						reach[u][v] = 1;
}

/* Check one SCC result against the closure; returns the number of failed checks. */
static unsigned check_scc(const dc_catalog *cat, const dc_graph *g, const dc_scc *s, unsigned n,
			  int hard_only, uint8_t reach[MAXN][MAXN])
{
	unsigned bad = 0, u, v, ncomp = (unsigned)dc_scc_count(s), c, ncyc = 0;
	unsigned rep[MAXN], longest[MAXN], oracle_comps = 0, changed, best = 0;
	dc_id order[MAXN];
	unsigned pos[MAXN];
	size_t d, total = 0;
	/* same component iff mutually reachable */
	for (u = 0; u < n; u++)
		for (v = 0; v < n; v++)
			if ((dc_scc_of(s, u) == dc_scc_of(s, v)) != (reach[u][v] && reach[v][u]))
				bad++;
	/* component count and members */
	for (u = 0; u < n; u++) {
		rep[u] = u;
		for (v = 0; v < u; v++)
			if (reach[u][v] && reach[v][u]) {
				rep[u] = rep[v];
				break;
			}
		oracle_comps += rep[u] == u;
	}
	bad += ncomp != oracle_comps;
	for (c = 0; c < ncomp; c++) {
		const dc_id *mem;
		size_t k, cnt = dc_scc_members(s, c, &mem);
		total += cnt;
		ncyc += cnt > 1;
		bad += cnt == 0;
		for (k = 0; k < cnt; k++)
			bad += dc_scc_of(s, mem[k]) != c;
	}
	bad += total != n;
	bad += ncyc != dc_scc_cycle_count(s);
	/* topological property: providers first */
	for (d = 0; d < dc_catalog_dep_count(cat); d++) {
		dc_id f = dc_dep_from(cat, d), t = dc_dep_to(cat, d);
		if (hard_only && (dc_dep_kind_of(cat, d) != DC_DEP_HARD || dc_dep_group(cat, d)))
			continue;
		if (dc_scc_of(s, f) != dc_scc_of(s, t) && !(dc_scc_of(s, f) > dc_scc_of(s, t)))
			bad++;
	}
	/* topological order: a permutation, every cross edge u->v has v first,
	 * members of a component consecutive */
	dc_scc_topo_order(s, order);
	for (u = 0; u < n; u++)
		pos[u] = UINT32_MAX;
	for (u = 0; u < n; u++) {
		if (order[u] >= n || pos[order[u]] != UINT32_MAX) {
			bad++;
			continue;
		}
		pos[order[u]] = u;
	}
	for (d = 0; d < dc_catalog_dep_count(cat); d++) {
		dc_id f = dc_dep_from(cat, d), t = dc_dep_to(cat, d);
		if (hard_only && (dc_dep_kind_of(cat, d) != DC_DEP_HARD || dc_dep_group(cat, d)))
			continue;
		if (dc_scc_of(s, f) != dc_scc_of(s, t) && !(pos[t] < pos[f]))
			bad++;
	}
	for (u = 1; u < n; u++)
		if (dc_scc_of(s, order[u]) != dc_scc_of(s, order[u - 1])) {
			/* a component, once left, never comes back */
			for (v = u + 1; v < n; v++)
				bad += dc_scc_of(s, order[v]) == dc_scc_of(s, order[u - 1]);
		}
	/* depth: longest chain of the oracle's condensation, by relaxation */
	for (u = 0; u < n; u++)
		longest[u] = 1;
	do {
		changed = 0;
		for (d = 0; d < dc_catalog_dep_count(cat); d++) {
			unsigned f = rep[dc_dep_from(cat, d)], t = rep[dc_dep_to(cat, d)];
			if (hard_only && (dc_dep_kind_of(cat, d) != DC_DEP_HARD || dc_dep_group(cat, d)))
				continue;
			if (f != t && longest[t] + 1 > longest[f]) {
				longest[f] = longest[t] + 1;
				changed = 1;
			}
		}
	} while (changed);
	for (u = 0; u < n; u++)
		if (longest[u] > best)
			best = longest[u];
	bad += dc_scc_depth(s, g) != (n ? best : 0);
	return bad;
}

static void test_scc_random(void)
{
	unsigned seed_i, failures = 0, graphs = 0;
	static uint8_t reach[MAXN][MAXN];
	for (seed_i = 0; seed_i < 400; seed_i++) {
		uint64_t seed = 0xdc0000 + seed_i;
		unsigned n = 2 + gen_below(&seed, MAXN - 1);
		/* sparse to dense: 0.5 to 3 edges per node */
		unsigned density = 5 + gen_below(&seed, 26);
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 30, 15, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_scc *s;
		int hard_only;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), m);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		/* CSR rows agree with the dependency list */
		{
			size_t d, in_total = 0;
			unsigned v;
			for (v = 0; v < n; v++) {
				const dc_id *to, *from;
				const uint32_t *edges;
				size_t first, k, cnt = dc_graph_out(g, v, &to, &first);
				failures += first != dc_service_dep_first(cat, v) || cnt != dc_service_dep_count(cat, v);
				for (k = 0; k < cnt; k++)
					failures += dc_dep_to(cat, first + k) != to[k] || dc_dep_from(cat, first + k) != v;
				cnt = dc_graph_in(g, v, &from, &edges);
				in_total += cnt;
				for (k = 0; k < cnt; k++)
					failures += dc_dep_to(cat, edges[k]) != v || dc_dep_from(cat, edges[k]) != from[k];
			}
			failures += in_total != dc_catalog_dep_count(cat);
			for (d = 0; d < dc_catalog_dep_count(cat); d++)
				failures += dc_dep_from(cat, d) >= n || dc_dep_to(cat, d) >= n;
		}
		for (hard_only = 0; hard_only <= 1; hard_only++) {
			unsigned bad;
			closure(cat, n, hard_only, reach);
			CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, hard_only ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL), 0);
			bad = check_scc(cat, g, s, n, hard_only, reach);
			if (bad)
				fprintf(stderr, "\nseed %u (n=%u, hard_only=%d): %u failed checks\n", seed_i, n,
					hard_only, bad);
			failures += bad;
			dc_scc_free(s);
		}
		graphs++;
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(graphs, 400);
	CU_ASSERT_EQUAL(failures, 0);
}

/* ---- scale: a million-node chain ------------------------------------------------- */

#define CHAIN 1000000u

static void test_million_chain(void)
{
	gen_edge *e = malloc(CHAIN * sizeof(gen_edge));
	dc_catalog *cat;
	dc_graph *g;
	dc_scc *s;
	unsigned i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	/* s0 -> s1 -> ... -> s999999 (hard), and s999999 -> s0 (soft): one huge
	 * cycle over all edges, a chain over hard ones. Both are as deep as a
	 * graph gets for a recursive Tarjan. */
	for (i = 0; i + 1 < CHAIN; i++) {
		e[i].from = i;
		e[i].to = i + 1;
		e[i].kind = DC_DEP_HARD;
		e[i].group = 0;
	}
	e[CHAIN - 1].from = CHAIN - 1;
	e[CHAIN - 1].to = 0;
	e[CHAIN - 1].kind = DC_DEP_SOFT;
	e[CHAIN - 1].group = 0;
	cat = gen_catalog(CHAIN, e, CHAIN);
	free(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), CHAIN);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), CHAIN);
	/* finalize resolved every name: s_i -> s_{i+1} */
	CU_ASSERT_EQUAL(dc_dep_to(cat, dc_service_dep_first(cat, 123456)), 123457);
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, 0)); /* the soft back edge depends on it */
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, DC_EDGES_ALL), 0);
	CU_ASSERT_EQUAL(dc_scc_count(s), 1);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 1);
	CU_ASSERT_EQUAL(dc_scc_depth(s, g), 1);
	dc_scc_free(s);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, DC_EDGES_HARD_ONLY), 0);
	CU_ASSERT_EQUAL(dc_scc_count(s), CHAIN);
	CU_ASSERT_EQUAL(dc_scc_cycle_count(s), 0);
	CU_ASSERT_EQUAL(dc_scc_depth(s, g), CHAIN);
	/* providers first: the end of the chain is component 0 */
	CU_ASSERT_EQUAL(dc_scc_of(s, CHAIN - 1), 0);
	CU_ASSERT_EQUAL(dc_scc_of(s, 0), CHAIN - 1);
	dc_scc_free(s);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* The same depth through the text loader: a generated native catalog of
 * 100,000 services in one chain loads, resolves and finalizes. */
static void test_long_chain_text(void)
{
	const unsigned n = 100000;
	size_t cap = (size_t)n * 48 + 64, len = 0;
	char *buf = malloc(cap);
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_scc *s;
	unsigned i;
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	len += (size_t)snprintf(buf + len, cap - len, "services:\n");
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			len += (size_t)snprintf(buf + len, cap - len, "- {name: n%u, depends_on: [n%u]}\n", i, i + 1);
		else
			len += (size_t)snprintf(buf + len, cap - len, "- {name: n%u}\n", i);
	}
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "chain.yaml", buf, DC_FORMAT_AUTO), 0);
	free(buf);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), n);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), n - 1);
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "n0")));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "n1")));
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&s, g, DC_EDGES_ALL), 0);
	CU_ASSERT_EQUAL(dc_scc_depth(s, g), n);
	dc_scc_free(s);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

int suite_graph(void)
{
	static const th_test tests[] = {
		{ "csr small", test_csr_small },
		{ "scc small", test_scc_small },
		{ "scc over chosen edges", test_scc_edges },
		{ "empty and edgeless", test_empty_and_edgeless },
		{ "scc random vs closure oracle", test_scc_random },
		{ "million-node chain", test_million_chain },
		{ "100k chain through the loader", test_long_chain_text },
		{ NULL, NULL }
	};
	return th_suite("graph", tests);
}
