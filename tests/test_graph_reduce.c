/*
 * test_graph_reduce.c - the transitive reduction of the graph module
 * (dc_graph_transitive_reduction, lib/graph_reduce.c): hand-checked graphs
 * (chains, any_of members, cycles) and random graphs against a
 * brute-force oracle over the condensation. The map's use of it is in
 * test_render.c.
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>

/* dropped[] of the graph in `text` */
static void reduce_text(const char *text, uint8_t *dropped, size_t size, size_t *nd)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "t.yaml", text, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_FATAL(dc_graph_edge_count(g) <= size);
	CU_ASSERT_EQUAL(dc_graph_transitive_reduction(g, dropped, nd), 0);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

static void test_hand_checked(void)
{
	uint8_t dropped[16];
	size_t nd = 99;
	/* a -> b -> c and a -> c: a -> c (dependency 1) is implied */
	reduce_text("services:\n  - {name: a, depends_on: [b, c]}\n  - {name: b, depends_on: [c]}\n"
		    "  - {name: c}\n", dropped, sizeof(dropped), &nd);
	CU_ASSERT_EQUAL(nd, 1);
	CU_ASSERT_EQUAL(dropped[0], 0);
	CU_ASSERT_EQUAL(dropped[1], 1);
	CU_ASSERT_EQUAL(dropped[2], 0);
	/* the same with c as an any_of member: never dropped */
	reduce_text("services:\n  - {name: a, depends_on: [b, {any_of: [c, d]}]}\n"
		    "  - {name: b, depends_on: [c]}\n  - {name: c}\n  - {name: d}\n",
		    dropped, sizeof(dropped), &nd);
	CU_ASSERT_EQUAL(nd, 0);
	/* a cycle b <-> c is one component: its edges stay, and a -> b, a -> c
	 * both reach that component directly, so neither is implied */
	reduce_text("services:\n  - {name: a, depends_on: [b, c]}\n  - {name: b, depends_on: [c]}\n"
		    "  - {name: c, depends_on: [b, d]}\n  - {name: d}\n  - {name: e, depends_on: [a, d]}\n",
		    dropped, sizeof(dropped), &nd);
	/* e -> d is implied by e -> a -> b -> ... -> d; nothing else is */
	CU_ASSERT_EQUAL(nd, 1);
	CU_ASSERT_EQUAL(dropped[6], 1);
	CU_ASSERT_EQUAL(dropped[0] + dropped[1] + dropped[2] + dropped[3] + dropped[4] + dropped[5], 0);
	/* NULL arguments */
	CU_ASSERT_EQUAL(dc_graph_transitive_reduction(NULL, dropped, &nd), DC_EINVALID);
	CU_ASSERT_EQUAL(nd, 0);
}

/* ---- brute force ------------------------------------------------------------------ */

static void oracle_dropped(const dc_graph *g, uint8_t *dropped)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_graph_node_count(g), m = dc_graph_edge_count(g), nc, a, i, j;
	dc_scc *scc;
	uint8_t *adj, *reach;
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&scc, g, DC_EDGES_ALL), 0);
	nc = dc_scc_count(scc);
	adj = calloc(nc * nc + 1, 1);
	reach = calloc(nc * nc + 1, 1);
	for (i = 0; i < m; i++) {
		size_t x = dc_scc_of(scc, dc_dep_from(cat, i)), y = dc_scc_of(scc, dc_dep_to(cat, i));
		if (x != y)
			adj[x * nc + y] = 1;
	}
	/* reach[x][y]: y reachable from x in >= 1 step (Floyd-Warshall closure) */
	memcpy(reach, adj, nc * nc);
	for (j = 0; j < nc; j++)
		for (a = 0; a < nc; a++)
			if (reach[a * nc + j])
				for (i = 0; i < nc; i++)
					if (reach[j * nc + i])
						reach[a * nc + i] = 1;
	for (i = 0; i < m; i++) {
		size_t x = dc_scc_of(scc, dc_dep_from(cat, i)), y = dc_scc_of(scc, dc_dep_to(cat, i)), c;
		dropped[i] = 0;
		if (x == y || dc_dep_group(cat, i))
			continue;
		for (c = 0; c < nc; c++)
			if (adj[x * nc + c] && reach[c * nc + y])
				dropped[i] = 1;
	}
	(void)n;
	free(adj);
	free(reach);
	dc_scc_free(scc);
}

/* Random graphs (soft edges, any_of groups, cycles) against the oracle. */
static void test_random_oracle(void)
{
	uint64_t seed = 77;
	int round;
	for (round = 0; round < 200; round++) {
		unsigned n = 3 + gen_below(&seed, 40);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 10 + gen_below(&seed, 30), 20, 10, &e), i, want = 0, nd = 0;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		uint8_t *dropped, *got;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		m = dc_graph_edge_count(g);
		dropped = malloc(m + 1);
		got = malloc(m + 1);
		oracle_dropped(g, dropped);
		CU_ASSERT_EQUAL_FATAL(dc_graph_transitive_reduction(g, got, &nd), 0);
		for (i = 0; i < m; i++) {
			CU_ASSERT_EQUAL(got[i], dropped[i]);
			want += dropped[i];
		}
		CU_ASSERT_EQUAL(nd, want);
		free(got);
		free(dropped);
		free(e);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

int suite_graph_reduce(void)
{
	static const th_test tests[] = {
		{ "hand-checked graphs", test_hand_checked },
		{ "random graphs vs brute force", test_random_oracle },
		{ NULL, NULL }
	};
	return th_suite("graph_reduce", tests);
}
