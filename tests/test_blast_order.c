/*
 * test_blast_order.c - dc_blast_order(), the ranking that `analyze` and
 * `simulate --each` share: on small random graphs it must equal a plain
 * oracle (an insertion sort by the documented key: down descending,
 * degraded descending, name, id), and analyze's blast order must be it.
 */
#include "helpers.h"
#include "gen.h"

/* 1 when service x goes before y by the documented key */
static int before(const dc_blast *b, const dc_catalog *cat, dc_id x, dc_id y)
{
	int c;
	if (dc_blast_down(b, x) != dc_blast_down(b, y))
		return dc_blast_down(b, x) > dc_blast_down(b, y);
	if (dc_blast_degraded(b, x) != dc_blast_degraded(b, y))
		return dc_blast_degraded(b, x) > dc_blast_degraded(b, y);
	c = strcmp(dc_service_name(cat, x), dc_service_name(cat, y));
	return c ? c < 0 : x < y;
}

static void test_random_vs_oracle(void)
{
	unsigned seed_i, bad = 0, analyzed = 0;
	for (seed_i = 0; seed_i < 120; seed_i++) {
		uint64_t seed = 0x0bde7 + seed_i;
		unsigned n = 2 + gen_below(&seed, 40), i, j;
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 20), 25, 20, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_blast *b;
		dc_analysis *a;
		const dc_id *aorder;
		dc_id *got = malloc(n * sizeof(dc_id)), *want = malloc(n * sizeof(dc_id));
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_FATAL(got && want);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_order(b, cat, got), 0);
		for (i = 0; i < n; i++) { /* the oracle: insertion sort */
			dc_id v = (dc_id)i;
			for (j = i; j > 0 && before(b, cat, v, want[j - 1]); j--)
				want[j] = want[j - 1];
			want[j] = v;
		}
		bad += memcmp(got, want, n * sizeof(dc_id)) != 0;
		CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
		CU_ASSERT_EQUAL(dc_analysis_blast_order(a, &aorder), n);
		analyzed += memcmp(aorder, want, n * sizeof(dc_id)) == 0;
		CU_ASSERT_PTR_EQUAL(dc_analysis_graph(a), g);
		dc_analysis_free(a);
		dc_blast_free(b);
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(got);
		free(want);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(analyzed, 120);
}

static void test_invalid(void)
{
	gen_edge e[1] = { { 0, 1, DC_DEP_HARD, 0 } };
	dc_catalog *cat = gen_catalog(2, e, 1), *other = gen_catalog(3, NULL, 0);
	dc_graph *g;
	dc_blast *b;
	dc_id ids[2];
	CU_ASSERT_FATAL(cat && other);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
	CU_ASSERT_EQUAL(dc_blast_order(NULL, cat, ids), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_blast_order(b, NULL, ids), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_blast_order(b, cat, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_blast_order(b, other, ids), DC_EINVALID); /* another catalog's size */
	CU_ASSERT_EQUAL(dc_blast_order(b, cat, ids), 0);
	CU_ASSERT_EQUAL(ids[0], 1); /* s1 takes s0 down */
	CU_ASSERT_EQUAL(ids[1], 0);
	dc_blast_free(b);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_catalog_free(other);
}

int suite_blast_order(void)
{
	static const th_test tests[] = {
		{ "random graphs vs a sorting oracle, and analyze's order", test_random_vs_oracle },
		{ "invalid arguments", test_invalid },
		{ NULL, NULL }
	};
	return th_suite("blast_order", tests);
}
