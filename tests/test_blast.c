/*
 * test_blast.c - the all-sources blast-radius engine (lib/blast.c): small
 * hand-checked graphs, then hundreds of seeded random graphs (soft edges,
 * any_of groups with and without soft members, cycles, extra entrypoints)
 * compared with one dc_impact run per source. Block widths are forced down
 * to one word so that many column blocks and partial last blocks occur, and
 * the threaded path (1 to 16 threads) is forced on small graphs: results
 * must not change; on graphs of ~5,000 services the public threads option
 * (1, 2, 3, 7, 16) gives the same radii, SPOF lists and ranking, and rows
 * of 64 words (the widest block) match dc_impact.
 */
#include <depcheck/analyze.h>
#include "helpers.h"
#include "gen.h"
#include "blast_int.h"

#include <stdio.h>

static dc_blast *blast_of(const dc_graph *g)
{
	dc_blast *b = NULL;
	CU_ASSERT_EQUAL(dc_blast_compute(&b, g), 0);
	return b;
}

static void test_hand(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_blast *b;
	const dc_id *eps;
	/* web -> api -> {any_of: [db1, db2]}, api -> cache -> net; web -soft-> ads -> cache;
	 * db1 -> net; p <-> q (hard cycle), r -> p; admin (entrypoint) -> q */
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "b.yaml",
				      "services:\n"
				      "  - {name: web, entrypoint: true, depends_on: [api, {service: ads, kind: soft}]}\n"
				      "  - {name: api, depends_on: [{any_of: [db1, db2]}, cache]}\n"
				      "  - {name: ads, depends_on: [cache]}\n"
				      "  - {name: cache, depends_on: [net]}\n"
				      "  - {name: db1, depends_on: [net]}\n"
				      "  - {name: db2}\n  - {name: net}\n"
				      "  - {name: p, depends_on: [q]}\n"
				      "  - {name: q, depends_on: [p]}\n"
				      "  - {name: r, depends_on: [p]}\n"
				      "  - {name: admin, entrypoint: true, depends_on: [r, {any_of: [db2, db1], kind: soft}]}\n",
				      DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	b = blast_of(g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(dc_blast_count(b), 11);
	/* net: cache, db1, api, ads, web down; admin degraded (soft group lost db1) */
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "net")), 5);
	CU_ASSERT_EQUAL(dc_blast_degraded(b, th_id(cat, "net")), 1);
	/* db1 alone: api and admin degrade (group members), web through api */
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "db1")), 0);
	CU_ASSERT_EQUAL(dc_blast_degraded(b, th_id(cat, "db1")), 3);
	/* ads: web degrades only */
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "ads")), 0);
	CU_ASSERT_EQUAL(dc_blast_degraded(b, th_id(cat, "ads")), 1);
	/* the cycle shares one fate: p takes q, r, admin */
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "p")), 3);
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "q")), 3);
	CU_ASSERT_EQUAL(dc_blast_down(b, th_id(cat, "web")), 0);
	CU_ASSERT_EQUAL(dc_blast_degraded(b, th_id(cat, "web")), 0);
	/* SPOFs: net, cache, api, p, q, r (not the entrypoints themselves) */
	CU_ASSERT_EQUAL(dc_blast_spof_count(b), 6);
	CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(b, th_id(cat, "net"), &eps), 1);
	CU_ASSERT_EQUAL(eps[0], th_id(cat, "web"));
	CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(b, th_id(cat, "q"), &eps), 1);
	CU_ASSERT_EQUAL(eps[0], th_id(cat, "admin"));
	CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(b, th_id(cat, "web"), &eps), 0);
	CU_ASSERT_PTR_NULL(eps);
	CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(b, th_id(cat, "db1"), &eps), 0);
	CU_ASSERT_EQUAL(dc_blast_spof_entrypoints(b, th_id(cat, "ads"), &eps), 0);
	dc_blast_free(b);
	dc_blast_free(NULL);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* Compare every source with dc_impact; returns the number of mismatches:
 * the counts, the number of entrypoints taken down and the
 * DC_BLAST_SPOF_KEPT smallest of their ids. */
static unsigned check_against_impact(const dc_catalog *cat, const dc_graph *g, const dc_blast *b)
{
	size_t n = dc_graph_node_count(g);
	dc_impact *imp;
	dc_id s, v;
	unsigned bad = 0;
	if (dc_impact_new(&imp, g))
		return 1000;
	bad += dc_blast_count(b) != n;
	for (s = 0; s < n; s++) {
		const dc_id *eps;
		size_t ne = dc_blast_spof_entrypoints(b, s, &eps), k = 0, unk = 0;
		double rps = 0;
		dc_impact_run(imp, &s, 1, NULL, 0);
		bad += dc_blast_down(b, s) != dc_impact_down_count(imp) - 1;
		bad += dc_blast_degraded(b, s) != dc_impact_degraded_count(imp);
		for (v = 0; v < n; v++) {
			double r;
			if (!dc_service_is_entrypoint(cat, v) || dc_impact_state(imp, v) != DC_STATE_DOWN)
				continue;
			/* the traffic lost counts the failed entrypoint itself */
			r = cat->svcs.items[v].traffic_rps;
			if (r >= 0)
				rps += r;
			else
				unk++;
			if (v == s)
				continue;
			if (k < DC_BLAST_SPOF_KEPT)
				bad += k >= ne || eps[k] != v;
			k++;
		}
		bad += (k < DC_BLAST_SPOF_KEPT ? k : DC_BLAST_SPOF_KEPT) != ne;
		bad += dc_blast_spof_total(b, s) != k;
		/* whole requests/s: the sums are exact in any order */
		bad += dc_blast_lost_rps(b, s) != rps || dc_blast_lost_unknown(b, s) != unk;
	}
	dc_impact_free(imp);
	return bad;
}

static void test_random(void)
{
	unsigned seed_i, failures = 0, graphs = 0, big = 0, spofs = 0;
	for (seed_i = 0; seed_i < 300; seed_i++) {
		uint64_t seed = 0xb1a570 + seed_i;
		/* mostly small, some spanning several 64-column blocks */
		unsigned n = seed_i % 5 == 0 ? 64 + gen_below(&seed, 300) : 2 + gen_below(&seed, 60);
		unsigned density = 5 + gen_below(&seed, 25);
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 25, 25, &e), i;
		dc_catalog *cat;
		dc_graph *g;
		unsigned cfg;
		/* some any_of groups get a soft member (such a group only degrades) */
		for (i = 0; i < m; i++)
			if (e[i].group && gen_below(&seed, 6) == 0)
				e[i].kind = DC_DEP_SOFT;
		/* and in most graphs, some soft edges are telemetry edges */
		if (seed_i % 4)
			gen_telemetry(&seed, e, m, 50);
		cat = gen_catalog(n, e, m);
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		/* extra explicit entrypoints, also in the middle of the graph */
		for (i = 0; i < n; i++)
			if (gen_below(&seed, 8) == 0)
				cat->svcs.items[i].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		/* automatic, one-word blocks, three-word blocks; 1 to 16 threads */
		for (cfg = 0; cfg < 7; cfg++) {
			dc_blast *b;
			unsigned bad;
			static const size_t words[7] = { 0, 1, 3, 1, 1, 2, 1 };
			static const unsigned threads[7] = { 1, 1, 2, 2, 3, 7, 16 };
			blast_set_block_words(words[cfg]);
			blast_set_threads(threads[cfg]);
			/* odd configurations: an exact sweep splits into one of DOWN
			 * and one of "affected" (every graph without telemetry edges,
			 * seed_i % 4 == 0; the others keep the one sweep) */
			blast_set_split_min(cfg % 2 ? 1 : 0);
			b = blast_of(g);
			if (!b) {
				failures++;
				continue;
			}
			bad = check_against_impact(cat, g, b);
			if (bad)
				fprintf(stderr, "\nseed %u cfg %u (n=%u): %u mismatches\n", seed_i, cfg, n, bad);
			failures += bad;
			spofs += cfg == 0 && dc_blast_spof_count(b) > 0;
			/* a random subset of sources: the same numbers for those,
			 * nothing for the others */
			{
				uint8_t *pick = calloc(n, 1);
				dc_blast *bs = NULL;
				unsigned v;
				CU_ASSERT_PTR_NOT_NULL_FATAL(pick);
				for (v = 0; v < n; v++)
					pick[v] = gen_below(&seed, 3) == 0;
				dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
				bo.sources = pick;
				CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&bs, g, &bo), 0);
				for (v = 0; v < n; v++) {
					const dc_id *e1, *e2;
					size_t n1 = dc_blast_spof_entrypoints(b, v, &e1);
					size_t n2 = dc_blast_spof_entrypoints(bs, v, &e2);
					if (pick[v]) {
						bad = dc_blast_down(bs, v) != dc_blast_down(b, v) ||
						      dc_blast_degraded(bs, v) != dc_blast_degraded(b, v) || n1 != n2 ||
						      (n1 && memcmp(e1, e2, n1 * sizeof(dc_id)));
					} else {
						bad = dc_blast_down(bs, v) || dc_blast_degraded(bs, v) || n2;
					}
					failures += bad;
				}
				dc_blast_free(bs);
				/* down counts only: the same DOWN numbers, nothing else */
				bo.sources = NULL;
				bo.flags = DC_BLAST_NO_DEGRADED | DC_BLAST_NO_SPOFS;
				CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&bs, g, &bo), 0);
				for (v = 0; v < n; v++) {
					const dc_id *e2;
					failures += dc_blast_down(bs, v) != dc_blast_down(b, v) ||
						    dc_blast_degraded(bs, v) != 0 ||
						    dc_blast_spof_entrypoints(bs, v, &e2) != 0;
				}
				CU_ASSERT_EQUAL(dc_blast_spof_count(bs), 0);
				dc_blast_free(bs);
				free(pick);
			}
			dc_blast_free(b);
		}
		big += n > 128;
		graphs++;
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	blast_set_block_words(0);
	blast_set_threads(0);
	blast_set_split_min(0);
	CU_ASSERT_EQUAL(graphs, 300);
	CU_ASSERT_TRUE(big > 30);      /* several blocks and partial blocks */
	CU_ASSERT_TRUE(spofs > 100);   /* the graphs have SPOFs to find */
	CU_ASSERT_EQUAL(failures, 0);
}

/* A long hard chain with a cycle in the middle: no recursion, exact counts. */
static void test_chain(void)
{
	const unsigned n = 20000;
	gen_edge *e = malloc((n + 1) * sizeof(gen_edge));
	dc_catalog *cat;
	dc_graph *g;
	dc_blast *b;
	unsigned i;
	for (i = 0; i + 1 < n; i++) {
		e[i].from = i;
		e[i].to = i + 1;
		e[i].kind = DC_DEP_HARD;
		e[i].group = 0;
	}
	e[n - 1].from = 1001; /* 1000 <-> 1001 ... closes 1000 -> 1001 -> 1000 */
	e[n - 1].to = 1000;
	e[n - 1].kind = DC_DEP_HARD;
	e[n - 1].group = 0;
	cat = gen_catalog(n, e, n);
	free(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	blast_set_block_words(2);
	blast_set_threads(2);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
	blast_set_block_words(0);
	blast_set_threads(0);
	CU_ASSERT_EQUAL(dc_blast_down(b, n - 1), n - 1);
	CU_ASSERT_EQUAL(dc_blast_down(b, 0), 0);
	CU_ASSERT_EQUAL(dc_blast_down(b, 5000), 5000);
	CU_ASSERT_EQUAL(dc_blast_down(b, 1000), 1001);  /* 1001 and 0..999 */
	CU_ASSERT_EQUAL(dc_blast_down(b, 1001), 1001);
	CU_ASSERT_EQUAL(dc_blast_spof_count(b), n - 1); /* everything but s0 takes s0 down */
	dc_blast_free(b);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* A tangle: a hard ring of 300 services with chords (one component of hard
 * edges: a row for all, no fixpoint), any_of groups with a member inside
 * the ring, a cycle held together only through an any_of group (a
 * fixpoint), 200 entrypoints above (over DC_BLAST_SPOF_KEPT: kept lists
 * cut) and soft back edges that tie most of it into one component of all
 * edges. Every source against dc_impact, on several block widths and
 * thread counts. */
static void test_tangle(void)
{
	enum { TOP = 200, RING = 300, BOT = 150, CYC = 4, N = TOP + RING + BOT + CYC };
	const unsigned r0 = TOP, b0 = TOP + RING, c0 = TOP + RING + BOT;
	gen_edge *e = malloc(6000 * sizeof(gen_edge));
	size_t m = 0, i, cfg;
	unsigned group = 1, big = 0;
	uint64_t seed = 0x7a9e1e;
	dc_catalog *cat;
	dc_graph *g;
#define EDGE(f, t, k, gr) (e[m].from = (f), e[m].to = (t), e[m].kind = (k), e[m].group = (gr), m++)
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	for (i = 0; i < RING; i++) {
		unsigned r = r0 + (unsigned)i;
		EDGE(r, r0 + (unsigned)(i + 1) % RING, DC_DEP_HARD, 0);
		if (i % 3 == 0 && (i * 7) % RING != (i + 1) % RING && (i * 7) % RING != i)
			EDGE(r, r0 + (unsigned)(i * 7) % RING, DC_DEP_HARD, 0);
		EDGE(r, b0 + gen_below(&seed, BOT), DC_DEP_HARD, 0);
		if (i % 10 == 5) { /* any_of [a ring member, a bottom service] */
			EDGE(r, r0 + (unsigned)(i + 50) % RING, DC_DEP_HARD, group);
			EDGE(r, b0 + (unsigned)i % BOT, DC_DEP_HARD, group);
			group++;
		}
	}
	for (i = 0; i < BOT; i++) {
		unsigned b = b0 + (unsigned)i, k;
		for (k = 0; k < 2 && i + 1 < BOT; k++) {
			unsigned t = b + 1 + gen_below(&seed, BOT - (unsigned)i - 1);
			if (k == 0 || t != e[m - 1].to)
				EDGE(b, t, DC_DEP_HARD, 0);
		}
		if (i % 8 == 0) /* soft back edge up to an entrypoint */
			EDGE(b, gen_below(&seed, TOP), DC_DEP_SOFT, 0);
	}
	/* x -> any_of [y, z]; y -> x; z -> x; w -> any_of [x, y]: a cycle of D
	 * edges that is no cycle of hard edges alone */
	EDGE(c0, c0 + 1, DC_DEP_HARD, group);
	EDGE(c0, c0 + 2, DC_DEP_HARD, group);
	group++;
	EDGE(c0, b0 + 3, DC_DEP_HARD, 0);
	EDGE(c0 + 1, c0, DC_DEP_HARD, 0);
	EDGE(c0 + 1, r0 + 7, DC_DEP_HARD, 0);
	EDGE(c0 + 2, c0, DC_DEP_HARD, 0);
	EDGE(c0 + 2, b0 + 9, DC_DEP_HARD, 0);
	EDGE(c0 + 3, c0, DC_DEP_HARD, group);
	EDGE(c0 + 3, c0 + 1, DC_DEP_HARD, group);
	group++;
	for (i = 0; i < TOP; i++) {
		unsigned t = (unsigned)i;
		EDGE(t, r0 + gen_below(&seed, RING), DC_DEP_HARD, 0);
		EDGE(t, b0 + gen_below(&seed, BOT), i % 2 ? DC_DEP_HARD : DC_DEP_SOFT, 0);
		if (i % 5 == 0)
			EDGE(t, c0 + gen_below(&seed, CYC), DC_DEP_HARD, 0);
	}
#undef EDGE
	cat = gen_catalog(N, e, m);
	free(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	for (i = 0; i < TOP; i++)
		cat->svcs.items[i].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	for (cfg = 0; cfg < 5; cfg++) {
		static const size_t words[5] = { 0, 1, 2, 1, 3 };
		static const unsigned threads[5] = { 1, 1, 2, 5, 16 };
		dc_blast *b;
		blast_set_block_words(words[cfg]);
		blast_set_threads(threads[cfg]);
		b = blast_of(g);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(check_against_impact(cat, g, b), 0);
		/* the ring shares one fate: the same radius for every member */
		for (i = 1; i < RING; i++)
			CU_ASSERT_EQUAL(dc_blast_down(b, r0 + (dc_id)i), dc_blast_down(b, r0));
		CU_ASSERT(dc_blast_down(b, r0) >= RING - 1 + TOP / 2);
		big += dc_blast_spof_total(b, r0) > DC_BLAST_SPOF_KEPT;
		dc_blast_free(b);
	}
	blast_set_block_words(0);
	blast_set_threads(0);
	CU_ASSERT_EQUAL(big, 5); /* the kept lists were cut: the > 100 path ran */
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* A fan: one core under 150 entrypoints (e000 .. e149, loaded in that
 * order so their ids ascend). Blast keeps DC_BLAST_SPOF_KEPT of them, the
 * smallest ids, and counts all; the analysis and diff report the total. */
static void test_fan(void)
{
	static char text[16384];
	size_t off = 0, i, ne;
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_blast *b;
	dc_analysis *a;
	const dc_id *eps;
	off += (size_t)snprintf(text + off, sizeof(text) - off, "services:\n  - {name: core}\n");
	for (i = 0; i < 150; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"  - {name: e%03zu, entrypoint: true, depends_on: [core]}\n", i);
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "fan.yaml", text, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	b = blast_of(g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(dc_blast_spof_total(b, th_id(cat, "core")), 150);
	ne = dc_blast_spof_entrypoints(b, th_id(cat, "core"), &eps);
	CU_ASSERT_EQUAL_FATAL(ne, DC_BLAST_SPOF_KEPT);
	CU_ASSERT_EQUAL(eps[0], th_id(cat, "e000"));
	CU_ASSERT_EQUAL(eps[ne - 1], th_id(cat, "e099"));
	for (i = 1; i < ne; i++)
		CU_ASSERT(eps[i - 1] < eps[i]);
	CU_ASSERT_EQUAL(dc_blast_spof_total(b, th_id(cat, "e000")), 0);
	CU_ASSERT_EQUAL(dc_blast_spof_total(b, DC_NO_ID), 0);
	dc_blast_free(b);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_spof_total(a, th_id(cat, "core")), 150);
	CU_ASSERT_EQUAL(dc_analysis_spof_entrypoints(a, th_id(cat, "core"), &eps), DC_BLAST_SPOF_KEPT);
	CU_ASSERT_EQUAL(dc_analysis_spof_total(a, DC_NO_ID), 0);
	dc_analysis_free(a);
	dc_graph_free(g);
	dc_diags_free(diags);
	dc_catalog_free(cat);
}

/* A layered graph of n services with back edges (cycles, a tangle when
 * there are many), soft edges and any_of groups, some with a soft member. */
static dc_catalog *layered_tele(uint64_t *seed, unsigned n, unsigned back_pct, unsigned tele_pct)
{
	size_t cap = (size_t)n * 8 + 8, m = 0;
	gen_edge *e = calloc(cap, sizeof(gen_edge));
	unsigned i, k, group = 1;
	dc_catalog *cat;
	if (!e)
		return NULL;
	for (i = 0; i + 1 < n; i++) {
		unsigned deg = 1 + gen_below(seed, 4), base = m;
		for (k = 0; k < deg; k++) {
			unsigned v = gen_below(seed, 100) < back_pct ? gen_below(seed, i + 1)
								  : i + 1 + gen_below(seed, n - i - 1);
			size_t j;
			for (j = base; j < m && e[j].to != v; j++)
				;
			if (v == i || j < m)
				continue; /* no self loops, no repeated pair */
			e[m].from = i;
			e[m].to = v;
			e[m].kind = gen_below(seed, 100) < 15 ? DC_DEP_SOFT : DC_DEP_HARD;
			e[m].group = 0;
			m++;
		}
		/* every 10th service: an any_of group over two of its deps */
		if (i % 10 == 0 && m - base >= 2) {
			e[m - 1].group = e[m - 2].group = group++;
			e[m - 1].kind = DC_DEP_HARD;
			e[m - 2].kind = gen_below(seed, 4) == 0 ? DC_DEP_SOFT : DC_DEP_HARD;
		}
	}
	if (tele_pct)
		gen_telemetry(seed, e, m, tele_pct);
	cat = gen_catalog(n, e, m);
	free(e);
	if (cat)
		for (i = 0; i < n; i++)
			if (gen_below(seed, 20) == 0)
				cat->svcs.items[i].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
	return cat;
}

static dc_catalog *layered(uint64_t *seed, unsigned n, unsigned back_pct)
{
	return layered_tele(seed, n, back_pct, 0);
}

/* Rows as wide as a block gets (64 words: 4,096 columns, every bit of a
 * row's mask in use) on graphs of more than 4,096 services, so that a full
 * block, a partial one, and rows whose every word is non-zero occur: a
 * random graph (mostly soft edges and many any_of groups: cycles through
 * groups, whose rows are rewritten in place) and two layered ones (sparse rows, stored
 * packed; the second with telemetry edges, so one sweep of both kinds of
 * rows), each against one dc_impact run per source, on one sweep and split
 * (one of DOWN, then one of "affected"), on one to three threads, with
 * known entry traffic on most entrypoints; and a sweep of DOWN alone, with
 * its SPOF lists, against the exact one. */
static void test_wide(void)
{
	static const size_t words[] = { 64, 64, 37 };
	static const unsigned threads[] = { 1, 2, 3 };
	unsigned gi, cfg, failures = 0;
	for (gi = 0; gi < 3; gi++) {
		uint64_t seed = 0x91de + gi;
		dc_catalog *cat;
		dc_graph *g;
		size_t n, v;
		if (gi == 0) {
			gen_edge *e;
			size_t m = gen_random(&seed, 4200, 12, 60, 40, &e);
			cat = gen_catalog(4200, e, m);
			free(e);
		} else {
			cat = layered_tele(&seed, 4300, 2, gi == 2 ? 20 : 0);
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		/* extra entrypoints in the middle of the graph, and known entry
		 * traffic (whole requests/s) on two in three services, so that
		 * the traffic lost is walked over rows of many words */
		for (v = 0; v < cat->svcs.len; v++) {
			if (gen_below(&seed, 10) == 0)
				cat->svcs.items[v].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
			if (gen_below(&seed, 3))
				cat->svcs.items[v].traffic_rps = (double)(1 + gen_below(&seed, 1000));
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		n = dc_graph_node_count(g);
		for (cfg = 0; cfg < 3; cfg++) {
			dc_blast *b, *bd = NULL;
			dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
			unsigned bad;
			blast_set_block_words(words[cfg]);
			blast_set_threads(threads[cfg]);
			blast_set_split_min(cfg ? 1 : 0);
			b = blast_of(g);
			CU_ASSERT_PTR_NOT_NULL_FATAL(b);
			bad = check_against_impact(cat, g, b);
			/* DOWN alone, SPOFs kept: the same as the exact sweep */
			bo.flags = DC_BLAST_NO_DEGRADED;
			CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&bd, g, &bo), 0);
			for (v = 0; v < n; v++) {
				const dc_id *e1, *e2;
				size_t n1 = dc_blast_spof_entrypoints(b, (dc_id)v, &e1);
				size_t n2 = dc_blast_spof_entrypoints(bd, (dc_id)v, &e2);
				bad += dc_blast_down(bd, (dc_id)v) != dc_blast_down(b, (dc_id)v) || n1 != n2 ||
				       (n1 && memcmp(e1, e2, n1 * sizeof(dc_id))) ||
				       dc_blast_spof_total(bd, (dc_id)v) != dc_blast_spof_total(b, (dc_id)v);
			}
			if (bad)
				fprintf(stderr, "\nwide graph %u cfg %u: %u mismatches\n", gi, cfg, bad);
			failures += bad;
			dc_blast_free(bd);
			dc_blast_free(b);
		}
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	blast_set_block_words(0);
	blast_set_threads(0);
	blast_set_split_min(0);
	CU_ASSERT_EQUAL(failures, 0);
}

/* Same results, bit for bit, whatever the number of threads (the public
 * option, 1 to 16) and the block width: blast radii, SPOF lists, and the
 * analysis's ranking, on graphs big enough for automatic threading. */
static void test_threads(void)
{
	static const unsigned nthreads[] = { 1, 2, 3, 7, 16 };
	static const size_t words[] = { 0, 1, 5 };
	unsigned gi, ti, wi, v, failures = 0, compared = 0;
	for (gi = 0; gi < 3; gi++) {
		uint64_t seed = 0x7e4d5 + gi;
		unsigned n = 4500 + gen_below(&seed, 1500);
		dc_catalog *cat = layered(&seed, n, gi == 2 ? 8 : 2);
		dc_graph *g;
		dc_blast *ref = NULL;
		const dc_id *ref_order;
		dc_analysis *ref_an = NULL;
		size_t nspof_ref;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		{
			dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
			dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
			bo.threads = ao.threads = 1;
			CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&ref, g, &bo), 0);
			CU_ASSERT_EQUAL_FATAL(dc_analyze(&ref_an, g, &ao), 0);
			CU_ASSERT_EQUAL(dc_analysis_blast_order(ref_an, &ref_order), n);
		}
		nspof_ref = dc_blast_spof_count(ref);
		CU_ASSERT_TRUE(nspof_ref > 0);
		for (wi = 0; wi < sizeof(words) / sizeof(words[0]); wi++)
			for (ti = 0; ti < sizeof(nthreads) / sizeof(nthreads[0]); ti++) {
				dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
				dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
				dc_blast *b = NULL;
				dc_analysis *an = NULL;
				const dc_id *order;
				unsigned bad = 0;
				bo.threads = ao.threads = nthreads[ti];
				blast_set_block_words(words[wi]);
				/* one-word blocks: split into a sweep of DOWN and one of
				 * "affected" (no telemetry edges here), against the one
				 * sweep of the reference */
				blast_set_split_min(wi == 1 ? 1 : 0);
				CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, g, &bo), 0);
				CU_ASSERT_EQUAL_FATAL(dc_analyze(&an, g, &ao), 0);
				blast_set_block_words(0);
				blast_set_split_min(0);
				bad += dc_blast_spof_count(b) != nspof_ref;
				for (v = 0; v < n; v++) {
					const dc_id *e1, *e2;
					size_t n1 = dc_blast_spof_entrypoints(ref, v, &e1);
					size_t n2 = dc_blast_spof_entrypoints(b, v, &e2);
					bad += dc_blast_down(b, v) != dc_blast_down(ref, v) ||
					       dc_blast_degraded(b, v) != dc_blast_degraded(ref, v) || n1 != n2 ||
					       (n1 && memcmp(e1, e2, n1 * sizeof(dc_id)));
				}
				bad += dc_analysis_blast_order(an, &order) != n ||
				       memcmp(order, ref_order, n * sizeof(dc_id)) != 0 ||
				       dc_blast_spof_count(dc_analysis_blast(an)) != nspof_ref;
				if (bad)
					fprintf(stderr, "\ngraph %u, %u threads, %zu words: %u differences\n", gi,
						nthreads[ti], words[wi], bad);
				failures += bad;
				compared++;
				dc_analysis_free(an);
				dc_blast_free(b);
			}
		dc_analysis_free(ref_an);
		dc_blast_free(ref);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(compared, 3 * 15);
	CU_ASSERT_EQUAL(failures, 0);
}

/* DC_BLAST_ESTIMATE against the exact sweep on seeded random graphs (with
 * and without telemetry edges, cycles, any_of groups): DOWN, SPOFs and
 * traffic identical for every service; DEGRADED identical wherever it is
 * not flagged an estimate, and the first exact_top ranks of dc_blast_order
 * identical (services and values); every estimate within its own bounds,
 * and the true count within the bounds for all but a stated fraction
 * (about 0.1 % expected: 3.3 standard errors; the test allows 1 %). */
static void test_estimate(void)
{
	static const size_t tops[] = { 1, 10, 60 };
	unsigned gi, ti, v, bad = 0, outside = 0, estimated = 0, runs = 0;
	for (gi = 0; gi < 6; gi++) {
		uint64_t seed = 0xe57 + gi;
		unsigned n = 3000 + gen_below(&seed, 3000);
		dc_catalog *cat = layered_tele(&seed, n, gi % 3 == 2 ? 8 : gi % 3 ? 2 : 0, gi >= 3 ? 40 : 0);
		dc_graph *g;
		dc_blast *ref = NULL;
		dc_id *ref_order = malloc(n * sizeof(dc_id)), *order = malloc(n * sizeof(dc_id));
		dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ref_order);
		CU_ASSERT_PTR_NOT_NULL_FATAL(order);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		bo.threads = 1;
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&ref, g, &bo), 0);
		CU_ASSERT_EQUAL(dc_blast_estimated_count(ref), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_order(ref, cat, ref_order), 0);
		for (ti = 0; ti < 2 * sizeof(tops) / sizeof(tops[0]); ti++) {
			dc_blast *b = NULL;
			size_t top = tops[ti / 2], k, nest = 0;
			bo.threads = ti % 2 ? 3 : 1;
			bo.flags = DC_BLAST_ESTIMATE;
			bo.exact_top = top;
			CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, g, &bo), 0);
			bad += dc_blast_spof_count(b) != dc_blast_spof_count(ref);
			for (v = 0; v < n; v++) {
				const dc_id *e1, *e2;
				size_t n1 = dc_blast_spof_entrypoints(ref, v, &e1), lo, hi;
				size_t n2 = dc_blast_spof_entrypoints(b, v, &e2);
				size_t d = dc_blast_degraded(b, v), dref = dc_blast_degraded(ref, v);
				bad += dc_blast_down(b, v) != dc_blast_down(ref, v) || n1 != n2 ||
				       (n1 && memcmp(e1, e2, n1 * sizeof(dc_id))) ||
				       dc_blast_spof_total(b, v) != dc_blast_spof_total(ref, v) ||
				       dc_blast_lost_unknown(b, v) != dc_blast_lost_unknown(ref, v);
				dc_blast_degraded_bounds(b, v, &lo, &hi);
				if (!dc_blast_degraded_is_estimate(b, v)) {
					bad += d != dref || lo != d || hi != d;
					continue;
				}
				nest++;
				bad += lo > d || d > hi || hi > n - 1 - dc_blast_down(b, v);
				outside += dref < lo || dref > hi;
			}
			bad += nest != dc_blast_estimated_count(b);
			estimated += (unsigned)nest;
			/* the first `top` ranks: same services, exact values */
			CU_ASSERT_EQUAL_FATAL(dc_blast_order(b, cat, order), 0);
			for (k = 0; k < top; k++)
				bad += order[k] != ref_order[k] || dc_blast_degraded_is_estimate(b, order[k]);
			if (bad)
				fprintf(stderr, "\ngraph %u (n %u), exact_top %zu: %u differences\n", gi, n, top, bad);
			runs++;
			dc_blast_free(b);
		}
		dc_blast_free(ref);
		free(ref_order);
		free(order);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(runs, 36);
	CU_ASSERT_EQUAL(bad, 0);
	/* the estimate ran: most services are past the first ranks */
	CU_ASSERT_TRUE(estimated > 36 * 1000);
	CU_ASSERT_TRUE(outside * 100 <= estimated);
	if (getenv("DC_TEST_VERBOSE") || outside * 100 > estimated || bad)
		fprintf(stderr, "\nestimates: %u, true count outside the bounds: %u\n", estimated, outside);
}

/* With exact_top covering a quarter of the services or more, or 0, the
 * estimate is not worth it: the same results as the exact sweep. */
static void test_estimate_off(void)
{
	uint64_t seed = 0x0ff;
	dc_catalog *cat = layered(&seed, 400, 2);
	dc_graph *g;
	dc_blast *ref = NULL, *b = NULL, *z = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	unsigned v, bad = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&ref, g, &bo), 0);
	bo.flags = DC_BLAST_ESTIMATE;
	bo.exact_top = 150;
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, g, &bo), 0);
	bo.exact_top = 0;
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&z, g, &bo), 0);
	CU_ASSERT_EQUAL(dc_blast_estimated_count(b), 0);
	CU_ASSERT_EQUAL(dc_blast_estimated_count(z), 0);
	for (v = 0; v < 400; v++)
		bad += dc_blast_degraded(b, v) != dc_blast_degraded(ref, v) ||
		       dc_blast_degraded(z, v) != dc_blast_degraded(ref, v) ||
		       dc_blast_down(b, v) != dc_blast_down(ref, v) || dc_blast_degraded_is_estimate(b, v);
	CU_ASSERT_EQUAL(bad, 0);
	/* an out-of-range id: exact, zero */
	{
		size_t lo = 9, hi = 9;
		dc_blast_degraded_bounds(b, 400, &lo, &hi);
		CU_ASSERT_EQUAL(lo, 0);
		CU_ASSERT_EQUAL(hi, 0);
		CU_ASSERT_EQUAL(dc_blast_degraded_is_estimate(b, 400), 0);
	}
	dc_blast_free(ref);
	dc_blast_free(b);
	dc_blast_free(z);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* analyze with exact_top (what the CLI asks for on big catalogs): the
 * rows shown are exact, the text says how many DEGRADED counts are
 * estimates, JSON and JSONL mark each estimated one with its bounds and
 * give the count; the DOWN counts and the SPOFs are those of the exact
 * analysis. */
/* simulate --each on an estimate: the rows asked for are the exact ones,
 * byte for byte, and the note says how many counts below are estimates;
 * JSON: the same rows, and the count. A longer list than the exact ranks
 * marks each estimated row. */
static void test_estimate_ranking(void)
{
	uint64_t seed = 0xeac;
	unsigned n = 3000;
	dc_catalog *cat = layered_tele(&seed, n, 2, 30);
	dc_graph *g;
	dc_blast *ref = NULL, *b = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_output_options oo = th_opts(DC_OUTPUT_TEXT);
	dc_id *o1 = malloc(n * sizeof(dc_id)), *o2 = malloc(n * sizeof(dc_id));
	char *t1 = NULL, *t2 = NULL, *j1 = NULL, *j2 = NULL, note[160], *p;
	size_t marked = 0;
	int rc;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o2);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&ref, g, &bo), 0);
	bo.flags = DC_BLAST_ESTIMATE;
	bo.exact_top = 20;
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute_ex(&b, g, &bo), 0);
	CU_ASSERT_TRUE_FATAL(dc_blast_estimated_count(b) > n / 2);
	CU_ASSERT_EQUAL_FATAL(dc_blast_order(ref, cat, o1), 0);
	CU_ASSERT_EQUAL_FATAL(dc_blast_order(b, cat, o2), 0);
	TH_CAPTURE(t1, rc, dc_write_failure_ranking(fp, g, ref, o1, 20, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	TH_CAPTURE(t2, rc, dc_write_failure_ranking(fp, g, b, o2, 20, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	snprintf(note, sizeof(note), "  (the degraded counts of %zu services below these rows are estimates; "
		 "--exact computes them all)\n", dc_blast_estimated_count(b));
	CU_ASSERT_TRUE_FATAL(strlen(t2) == strlen(t1) + strlen(note));
	CU_ASSERT_EQUAL(strncmp(t1, t2, strlen(t1)), 0);
	CU_ASSERT_STRING_EQUAL(t2 + strlen(t1), note);
	CU_ASSERT_PTR_NULL(strstr(t1, "estimates"));
	CU_ASSERT_PTR_NULL(strstr(t2, "~"));
	free(t2);
	/* past the exact ranks, each estimated count is marked */
	TH_CAPTURE(t2, rc, dc_write_failure_ranking(fp, g, b, o2, 400, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(t2, " ~"));
	oo = th_opts(DC_OUTPUT_JSON);
	TH_CAPTURE(j1, rc, dc_write_failure_ranking(fp, g, ref, o1, 20, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	TH_CAPTURE(j2, rc, dc_write_failure_ranking(fp, g, b, o2, 20, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(j1, "estimate"));
	CU_ASSERT_PTR_NULL(strstr(j2, "\"degraded_estimate\""));
	snprintf(note, sizeof(note), "\"degraded_estimated\": %zu", dc_blast_estimated_count(b));
	CU_ASSERT_PTR_NOT_NULL(strstr(j2, note));
	/* the rows: the same text up to the "impact" array's end */
	p = strstr(j1, "]");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(strncmp(j1, j2, (size_t)(p - j1 + 1)), 0);
	free(j2);
	TH_CAPTURE(j2, rc, dc_write_failure_ranking(fp, g, b, o2, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	for (p = j2; (p = strstr(p, "\"degraded_estimate\": {\"low\": ")); p++)
		marked++;
	CU_ASSERT_EQUAL(marked, dc_blast_estimated_count(b));
	free(t1);
	free(t2);
	free(j1);
	free(j2);
	free(o1);
	free(o2);
	dc_blast_free(ref);
	dc_blast_free(b);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_estimate_analysis(void)
{
	uint64_t seed = 0xa11;
	unsigned n = 3000, v, bad = 0, marked = 0;
	dc_catalog *cat = layered_tele(&seed, n, 2, 30);
	dc_graph *g;
	dc_analysis *ref = NULL, *an = NULL;
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_output_options oo = th_opts(DC_OUTPUT_TEXT);
	const dc_id *o1, *o2;
	const dc_blast *b;
	char *text = NULL, *json = NULL, *jsonl = NULL, *p;
	int rc;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&ref, g, &ao), 0);
	ao.exact_top = 10;
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&an, g, &ao), 0);
	b = dc_analysis_blast(an);
	CU_ASSERT_TRUE_FATAL(dc_blast_estimated_count(b) > n / 2);
	CU_ASSERT_EQUAL(dc_blast_estimated_count(dc_analysis_blast(ref)), 0);
	CU_ASSERT_EQUAL(dc_analysis_blast_order(an, &o2), n);
	CU_ASSERT_EQUAL(dc_analysis_blast_order(ref, &o1), n);
	CU_ASSERT_EQUAL(memcmp(o1, o2, 10 * sizeof(dc_id)), 0);
	CU_ASSERT_EQUAL(dc_blast_spof_count(b), dc_blast_spof_count(dc_analysis_blast(ref)));
	for (v = 0; v < n; v++)
		bad += dc_blast_down(b, v) != dc_blast_down(dc_analysis_blast(ref), v) ||
		       dc_analysis_spof_total(an, v) != dc_analysis_spof_total(ref, v);
	CU_ASSERT_EQUAL(bad, 0);
	/* text: the first 10 rows are exact; the note gives the count */
	TH_CAPTURE(text, rc, dc_write_analysis(fp, an, 10, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(text, "~"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "are estimates, none of the rows above; --exact computes them all)"));
	/* a longer list shows estimated rows, each marked with its bounds */
	free(text);
	TH_CAPTURE(text, rc, dc_write_analysis(fp, an, 400, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "degraded (estimate: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "are estimates, marked ~ above;"));
	if (getenv("DC_TEST_VERBOSE"))
		fputs(text, stderr);
	/* JSON: every estimated row of the list says so; the count on top */
	oo = th_opts(DC_OUTPUT_JSON);
	oo.list_limit = 0;
	TH_CAPTURE(json, rc, dc_write_analysis(fp, an, 10, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	for (p = json; (p = strstr(p, "\"degraded_estimate\": {\"low\": ")); p++)
		marked++;
	CU_ASSERT_EQUAL(marked, dc_blast_estimated_count(b));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"blast_degraded_estimated\": "));
	oo = th_opts(DC_OUTPUT_JSONL);
	TH_CAPTURE(jsonl, rc, dc_write_analysis(fp, an, 10, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	for (marked = 0, p = jsonl; (p = strstr(p, "\"degraded_estimate\":")); p++)
		marked++;
	CU_ASSERT_EQUAL(marked, dc_blast_estimated_count(b));
	CU_ASSERT_PTR_NOT_NULL(strstr(jsonl, "\"blast_degraded_estimated\":"));
	free(text);
	free(json);
	free(jsonl);
	dc_analysis_free(an);
	dc_analysis_free(ref);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

int suite_blast(void)
{
	static const th_test tests[] = {
		{ "hand-checked graph", test_hand },
		{ "random graphs vs dc_impact", test_random },
		{ "long chain with a cycle", test_chain },
		{ "fan: entrypoints kept and counted", test_fan },
		{ "tangle: hard components, any_of cycles, cut lists", test_tangle },
		{ "any number of threads, same results", test_threads },
		{ "rows 64 words wide, against dc_impact", test_wide },
		{ "estimated DEGRADED: exact ranks, bounds hold", test_estimate },
		{ "estimate off: same as exact", test_estimate_off },
		{ "estimate in analyze: marked in text, JSON, JSONL", test_estimate_analysis },
		{ "estimate in simulate --each: exact rows, the count said", test_estimate_ranking },
		{ NULL, NULL }
	};
	return th_suite("blast", tests);
}
