/*
 * test_analyze.c - the whole-catalog analysis (lib/analyze.c): cycles and
 * hard cycles with the dependencies that close them (and where they are
 * written), retry amplification (bounded and unbounded), timeout budgets on
 * a hand-made catalog; SPOFs against brute force (fail each service alone
 * with dc_impact); depth and the longest hard chain against brute force on
 * random DAGs. The analyses beside the blast give the same text and JSON
 * on a second thread as on one, on random graphs with cycles, retries,
 * timeouts and startup-only edges.
 */
#include "helpers.h"
#include "gen.h"
#include "analyze_int.h"
#include "policy_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *hand_yaml =
	"services:\n"                                              /* 1 */
	"  - name: web\n"                                          /* 2 */
	"    entrypoint: true\n"                                   /* 3 */
	"    depends_on:\n"                                        /* 4 */
	"      - service: api\n"                                   /* 5 */
	"        timeout_ms: 500\n"                                /* 6 */
	"        retries: 2\n"                                     /* 7 */
	"  - name: api\n"                                          /* 8 */
	"    latency_ms: 10\n"                                     /* 9 */
	"    depends_on:\n"                                        /* 10 */
	"      - service: db\n"                                    /* 11 */
	"        timeout_ms: 100\n"                                /* 12 */
	"        retries: 1\n"                                     /* 13 */
	"      - service: cache\n"                                 /* 14 */
	"        timeout_ms: 50\n"                                 /* 15 */
	"        stage: 1\n"                                       /* 16 */
	"      - {service: search, kind: soft, timeout_ms: 300, stage: 1}\n"  /* 17 */
	"  - name: db\n"                                           /* 18 */
	"    depends_on: [disk]\n"                                 /* 19 */
	"  - name: disk\n"                                         /* 20 */
	"    depends_on: [db]\n"                                   /* 21 */
	"  - {name: cache}\n"                                      /* 22 */
	"  - name: search\n"                                       /* 23 */
	"    depends_on: [{service: index, retries: 3}]\n"         /* 24 */
	"  - name: index\n"                                        /* 25 */
	"    depends_on: [{service: search, kind: soft}, store]\n" /* 26 */
	"  - {name: store}\n";                                     /* 27 */

static void test_hand(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *a;
	const dc_id *mem, *chain, *ids;
	const uint32_t *ed, *cnt;
	const dc_amplification *amp;
	const dc_timeout_violation *tv;
	size_t n, i;
	dc_analyze_options o = DC_ANALYZE_OPTIONS_INIT;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "h.yaml", hand_yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	o.version = 99;
	CU_ASSERT_EQUAL(dc_analyze(&a, g, &o), DC_EINVALID);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	CU_ASSERT_EQUAL(dc_analysis_entrypoint_count(a), 1);
	/* cycles: {db, disk} (hard) and {index, search} (soft one way) */
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_count(a, DC_EDGES_ALL), 2);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_count(a, DC_EDGES_HARD_ONLY), 1);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_members(a, DC_EDGES_HARD_ONLY, 0, &mem), 2);
	CU_ASSERT_EQUAL(mem[0], th_id(cat, "db"));
	CU_ASSERT_EQUAL(mem[1], th_id(cat, "disk"));
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_edges(a, DC_EDGES_HARD_ONLY, 0, &ed), 2);
	CU_ASSERT_EQUAL(ed[0], (uint32_t)th_dep_of(cat, "db", "disk"));
	CU_ASSERT_EQUAL(ed[1], (uint32_t)th_dep_of(cat, "disk", "db"));
	CU_ASSERT_TRUE(th_dep_at(cat, "db", "disk", 19, 18));
	CU_ASSERT_TRUE(th_dep_at(cat, "disk", "db", 21, 18));
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_members(a, DC_EDGES_ALL, 1, &mem), 2);
	CU_ASSERT_EQUAL(mem[0], th_id(cat, "index"));
	CU_ASSERT_EQUAL(mem[1], th_id(cat, "search"));
	CU_ASSERT_EQUAL_FATAL(dc_analysis_cycle_edges(a, DC_EDGES_ALL, 1, &ed), 2);
	CU_ASSERT_EQUAL(ed[0], (uint32_t)th_dep_of(cat, "index", "search")); /* soft: cycle, not hard */
	CU_ASSERT_TRUE(th_dep_at(cat, "index", "search", 26, 28));
	/* depth: web -> api -> search -> index -> store = 4 components (search+index one) */
	CU_ASSERT_EQUAL(dc_analysis_max_depth(a), 4);
	/* longest hard chains have 3 services: web -> api -> cache|db (the db/disk
	 * cycle is one component) and search -> index -> store; ties go to the
	 * chain whose first service comes first by name */
	n = dc_analysis_longest_hard_chain(a, &chain);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(chain[0], th_id(cat, "search"));
	CU_ASSERT_EQUAL(chain[1], th_id(cat, "index"));
	CU_ASSERT_EQUAL(chain[2], th_id(cat, "store"));
	/* hubs */
	n = dc_analysis_hubs(a, DC_HUBS_FAN_OUT, &ids, &cnt);
	CU_ASSERT_TRUE_FATAL(n >= 1);
	CU_ASSERT_EQUAL(ids[0], th_id(cat, "api"));
	CU_ASSERT_EQUAL(cnt[0], 3);
	/* amplification: web x1; api x3; db x6, cache x3, search x3; the
	 * index <-> search cycle has a retry inside: index, search, store unbounded */
	n = dc_analysis_amplification(a, &amp);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	for (i = 0; i < 3; i++)
		CU_ASSERT_TRUE(amp[i].unbounded);
	CU_ASSERT_EQUAL(amp[0].service, th_id(cat, "index"));
	CU_ASSERT_EQUAL(amp[1].service, th_id(cat, "search"));
	CU_ASSERT_EQUAL(amp[2].service, th_id(cat, "store"));
	CU_ASSERT_EQUAL(amp[3].service, th_id(cat, "db"));
	CU_ASSERT_EQUAL(amp[4].service, th_id(cat, "disk"));
	CU_ASSERT_FALSE(amp[3].unbounded);
	CU_ASSERT_DOUBLE_EQUAL(amp[3].factor, 6, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(amp[4].factor, 6, 1e-9);
	CU_ASSERT_EQUAL(amp[5].service, th_id(cat, "api"));
	CU_ASSERT_DOUBLE_EQUAL(amp[5].factor, 3, 1e-9);
	CU_ASSERT_EQUAL(amp[6].service, th_id(cat, "cache"));
	CU_ASSERT_EQUAL_FATAL(amp[4].path_len, 4); /* web api db disk: inside the db/disk cycle */
	CU_ASSERT_PTR_NULL(amp[4].path);           /* walked on demand */
	{
		dc_id p[4];
		CU_ASSERT_EQUAL(dc_analysis_amplification_path(a, 4, p, 4), 4);
		CU_ASSERT_EQUAL(p[0], th_id(cat, "web"));
		CU_ASSERT_EQUAL(p[3], th_id(cat, "disk"));
		CU_ASSERT_EQUAL_FATAL(amp[3].path_len, 3);
		CU_ASSERT_EQUAL(dc_analysis_amplification_path(a, 3, p, 4), 3);
		CU_ASSERT_EQUAL(p[0], th_id(cat, "web"));
		CU_ASSERT_EQUAL(p[1], th_id(cat, "api"));
		CU_ASSERT_EQUAL(p[2], th_id(cat, "db"));
		p[0] = DC_NO_ID;
		CU_ASSERT_EQUAL(dc_analysis_amplification_path(a, 3, p, 0), 3); /* length only */
		CU_ASSERT_EQUAL(p[0], DC_NO_ID);
		CU_ASSERT_EQUAL(dc_analysis_amplification_path(a, 1000, p, 4), 0);
	}
	/* timeout budget: api needs 10 + stage 0: max(100 x 2) + stage 1: max(50, 300)
	 * = 510 >= 500 (web -> api violates); db needs 1000 (default timeout to
	 * disk) >= 100 (api -> db violates); disk -> db and db -> disk: 1000 <= 1000;
	 * index -> search: search needs 1000 x 4 */
	n = dc_analysis_timeout_violations(a, &tv);
	{
		int web_api = 0, api_db = 0, api_cache = 0;
		for (i = 0; i < n; i++) {
			dc_id f = dc_dep_from(cat, tv[i].dep), t = dc_dep_to(cat, tv[i].dep);
			if (f == th_id(cat, "web") && t == th_id(cat, "api")) {
				web_api = 1;
				CU_ASSERT_DOUBLE_EQUAL(tv[i].timeout_ms, 500, 1e-9);
				CU_ASSERT_DOUBLE_EQUAL(tv[i].needed_ms, 510, 1e-9);
			}
			if (f == th_id(cat, "api") && t == th_id(cat, "db")) {
				api_db = 1;
				CU_ASSERT_DOUBLE_EQUAL(tv[i].needed_ms, 1000, 1e-9);
			}
			api_cache |= f == th_id(cat, "api") && t == th_id(cat, "cache");
			if (i)  /* largest shortfall first */
				CU_ASSERT_TRUE(tv[i - 1].needed_ms - tv[i - 1].timeout_ms >=
					       tv[i].needed_ms - tv[i].timeout_ms);
		}
		CU_ASSERT_TRUE(web_api);
		CU_ASSERT_TRUE(api_db);
		CU_ASSERT_FALSE(api_cache);   /* cache needs 0 ms */
		/* web->api, api->db, api->search (300 <= 4000): written timeouts.
		 * db->disk, disk->db, index->search (1000 <= 4000), search->index
		 * (index needs 1000) fall short on the default timeout only:
		 * counted, not reported */
		CU_ASSERT_EQUAL(n, 3);
		CU_ASSERT_EQUAL(dc_analysis_timeout_default_count(a), 4);
		CU_ASSERT_EQUAL(dc_dep_from(cat, tv[0].dep), th_id(cat, "api")); /* 300 vs 4000 */
		CU_ASSERT_EQUAL(dc_dep_to(cat, tv[0].dep), th_id(cat, "search"));
	}
	/* SPOFs: api, cache and db/disk take web down; search, index, store do not */
	n = dc_analysis_spofs(a, &ids);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(ids[3], th_id(cat, "api")); /* ties: larger blast radius first */
	{
		const dc_id *eps;
		CU_ASSERT_EQUAL(dc_analysis_spof_entrypoints(a, th_id(cat, "disk"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(cat, "web"));
		CU_ASSERT_EQUAL(dc_analysis_spof_entrypoints(a, th_id(cat, "cache"), &eps), 1);
	}
	dc_analysis_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* SPOFs and blast order against one dc_impact run per service. */
static void test_spofs_random(void)
{
	unsigned seed_i, failures = 0, with_spofs = 0;
	for (seed_i = 0; seed_i < 200; seed_i++) {
		uint64_t seed = 0x5b0f + seed_i;
		unsigned n = 2 + gen_below(&seed, 80), density = 5 + gen_below(&seed, 20);
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 25, 25, &e), i, ns;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_analysis *a;
		dc_impact *imp;
		const dc_id *spofs, *order;
		unsigned bad = 0, count = 0;
		dc_id s, v;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		for (i = 0; i < n; i++)
			if (gen_below(&seed, 10) == 0)
				cat->svcs.items[i].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		ns = dc_analysis_spofs(a, &spofs);
		for (s = 0; s < n; s++) {
			const dc_id *eps;
			size_t ne = dc_analysis_spof_entrypoints(a, s, &eps), k = 0, j;
			int listed = 0;
			dc_impact_run(imp, &s, 1, NULL, 0);
			for (v = 0; v < n; v++)
				if (v != s && dc_service_is_entrypoint(cat, v) &&
				    dc_impact_state(imp, v) == DC_STATE_DOWN) {
					int found = 0;
					for (j = 0; j < ne; j++)
						found |= eps[j] == v;
					bad += !found;
					k++;
				}
			bad += k != ne;
			for (j = 1; j < ne; j++)
				bad += strcmp(dc_service_name(cat, eps[j - 1]), dc_service_name(cat, eps[j])) >= 0;
			for (j = 0; j < ns; j++)
				listed |= spofs[j] == s;
			bad += listed != (k > 0);
			count += k > 0;
		}
		bad += count != ns;
		/* blast order: down desc, degraded desc */
		dc_analysis_blast_order(a, &order);
		for (i = 1; i < n; i++) {
			const dc_blast *b = dc_analysis_blast(a);
			size_t d0 = dc_blast_down(b, order[i - 1]), d1 = dc_blast_down(b, order[i]);
			bad += d0 < d1 || (d0 == d1 && dc_blast_degraded(b, order[i - 1]) <
							   dc_blast_degraded(b, order[i]));
		}
		if (bad)
			fprintf(stderr, "\nspof seed %u (n=%u): %u failed checks\n", seed_i, n, bad);
		failures += bad;
		with_spofs += ns > 0;
		dc_impact_free(imp);
		dc_analysis_free(a);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_TRUE(with_spofs > 50);
	CU_ASSERT_EQUAL(failures, 0);
}

/* Depth and longest hard chain against brute force on random DAGs (edges
 * only from higher to lower numbers, so the numbering is a topological
 * order). */
static void test_depth_random(void)
{
	unsigned seed_i, failures = 0;
	for (seed_i = 0; seed_i < 200; seed_i++) {
		uint64_t seed = 0xde9 + seed_i;
		unsigned n = 2 + gen_below(&seed, 60), density = 5 + gen_below(&seed, 25), i;
		gen_edge *e, *dag;
		size_t m = gen_random(&seed, n, density, 30, 20, &e), k, md = 0, nc;
		dc_catalog *cat;
		dc_graph *g;
		dc_analysis *a;
		unsigned la[64], lh[64], best_a = 0, best_h = 0, bad = 0;
		const dc_id *chain;
		dag = malloc((m + 1) * sizeof(gen_edge));
		for (k = 0; k < m; k++)
			if (e[k].from > e[k].to)
				dag[md++] = e[k];
		free(e);
		cat = gen_catalog(n, dag, md);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		/* brute force: longest path (in nodes), all edges / hard non-group */
		for (i = 0; i < n; i++) {
			la[i] = lh[i] = 1;
			for (k = 0; k < md; k++) {
				if (dag[k].from != i)
					continue;
				if (la[dag[k].to] + 1 > la[i])
					la[i] = la[dag[k].to] + 1;
				if (dag[k].kind == DC_DEP_HARD && !dag[k].group && lh[dag[k].to] + 1 > lh[i])
					lh[i] = lh[dag[k].to] + 1;
			}
			if (la[i] > best_a)
				best_a = la[i];
			if (lh[i] > best_h)
				best_h = lh[i];
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
		bad += dc_analysis_max_depth(a) != best_a;
		nc = dc_analysis_longest_hard_chain(a, &chain);
		bad += nc != best_h;
		/* consecutive services are joined by a hard non-group edge */
		for (k = 1; k < nc; k++) {
			long d = th_dep_of(cat, dc_service_name(cat, chain[k - 1]), dc_service_name(cat, chain[k]));
			bad += d < 0 || dc_dep_kind_of(cat, (size_t)d) != DC_DEP_HARD || dc_dep_group(cat, (size_t)d);
		}
		bad += dc_analysis_cycle_count(a, DC_EDGES_ALL) != 0 || dc_analysis_cycle_count(a, DC_EDGES_HARD_ONLY) != 0;
		if (bad)
			fprintf(stderr, "\ndepth seed %u (n=%u): %u failed checks\n", seed_i, n, bad);
		failures += bad;
		free(dag);
		dc_analysis_free(a);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* DC_ANALYZE_NO_DEGRADED (what dc_check asks for): the DOWN counts and
 * SPOFs of the full analysis, every DEGRADED count 0, and the blast order
 * by DOWN count, then name. On the hand-made catalog: store takes index and
 * search DOWN and degrades api and web (api calls search softly), cache
 * takes api and web DOWN; with DEGRADED counts store ranks before cache,
 * without them cache does (by name). */
static void test_no_degraded(void)
{
	static const char *full_order[] = { "db", "disk", "store", "cache", "index", "api", "search", "web" };
	static const char *down_order[] = { "db", "disk", "cache", "store", "api", "index", "search", "web" };
	static const size_t down_of[] = { 3, 3, 2, 2, 1, 1, 0, 0 };  /* down_order's */
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *full, *lean;
	const dc_id *o1, *o2, *s1, *s2;
	const dc_blast *b1, *b2;
	size_t n, i, k, ns;
	dc_analyze_options o = DC_ANALYZE_OPTIONS_INIT;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "h.yaml", hand_yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&full, g, NULL), 0);
	o.flags = DC_ANALYZE_NO_DEGRADED;
	o.exact_top = 2; /* ignored: nothing to estimate */
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&lean, g, &o), 0);
	b1 = dc_analysis_blast(full);
	b2 = dc_analysis_blast(lean);
	n = dc_analysis_blast_order(full, &o1);
	CU_ASSERT_EQUAL_FATAL(n, 8);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_blast_order(lean, &o2), 8);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(o1[i], th_id(cat, full_order[i]));
		CU_ASSERT_EQUAL(o2[i], th_id(cat, down_order[i]));
		CU_ASSERT_EQUAL(dc_blast_down(b2, o2[i]), down_of[i]);
		CU_ASSERT_EQUAL(dc_blast_down(b1, (dc_id)i), dc_blast_down(b2, (dc_id)i));
		CU_ASSERT_EQUAL(dc_blast_degraded(b2, (dc_id)i), 0);
		CU_ASSERT_FALSE(dc_blast_degraded_is_estimate(b2, (dc_id)i));
		CU_ASSERT_EQUAL(dc_analysis_spof_total(full, (dc_id)i), dc_analysis_spof_total(lean, (dc_id)i));
	}
	CU_ASSERT_EQUAL(dc_blast_degraded(b1, th_id(cat, "store")), 2);
	CU_ASSERT_EQUAL(dc_blast_degraded(b1, th_id(cat, "search")), 3);
	CU_ASSERT_EQUAL(dc_blast_estimated_count(b2), 0);
	/* SPOFs (web is the entrypoint): the same, in the same order */
	ns = dc_analysis_spofs(full, &s1);
	CU_ASSERT_EQUAL_FATAL(ns, 4);
	CU_ASSERT_EQUAL_FATAL(dc_analysis_spofs(lean, &s2), ns);
	for (k = 0; k < ns; k++)
		CU_ASSERT_EQUAL(s1[k], s2[k]);
	CU_ASSERT_EQUAL(s1[0], th_id(cat, "db"));
	CU_ASSERT_EQUAL(s1[3], th_id(cat, "api"));
	/* the rest of the analysis does not change */
	CU_ASSERT_EQUAL(dc_analysis_cycle_count(lean, DC_EDGES_ALL), 2);
	CU_ASSERT_EQUAL(dc_analysis_cycle_count(lean, DC_EDGES_HARD_ONLY), 1);
	CU_ASSERT_EQUAL(dc_analysis_max_depth(lean), 4);
	dc_analysis_free(full);
	dc_analysis_free(lean);
	/* version 5 options know no flags: the full analysis */
	o.version = 5;
	o.exact_top = 0;
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&full, g, &o), 0);
	CU_ASSERT_EQUAL(dc_blast_degraded(dc_analysis_blast(full), th_id(cat, "store")), 2);
	dc_analysis_free(full);
	dc_graph_free(g);
	th_done(cat, diags);
}

/* A long path of high retries: the product passes every double (101^200)
 * and saturates at DC_AMPLIFICATION_MAX instead of reaching inf. The text
 * and JSON outputs of analyze and the findings of check then agree on the
 * count and print one finite number, flagged as saturated. */
static void test_amplification_saturates(void)
{
	enum { N = 200 };
	char *yaml = malloc(N * 96 + 64), *p, dir[64], path[128], args[512], *out;
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_analysis *a;
	const dc_amplification *amp;
	size_t n, i, nsat = 0;
	int code;
	CU_ASSERT_PTR_NOT_NULL_FATAL(yaml);
	p = yaml + sprintf(yaml, "depcheck: 1\nservices:\n");
	for (i = 0; i < N; i++) {
		p += sprintf(p, "  - name: s%03zu\n", i);
		if (i == 0)
			p += sprintf(p, "    entrypoint: true\n");
		if (i + 1 < N)
			p += sprintf(p, "    depends_on: [{service: s%03zu, retries: 100}]\n", i + 1);
	}
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "amp.yaml", yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
	n = dc_analysis_amplification(a, &amp);
	CU_ASSERT_EQUAL_FATAL(n, N - 1);
	for (i = 0; i < n; i++) {
		CU_ASSERT_FALSE(amp[i].unbounded);
		CU_ASSERT_TRUE(isfinite(amp[i].factor));
		CU_ASSERT_TRUE(amp[i].factor <= DC_AMPLIFICATION_MAX);
		nsat += amp[i].factor == DC_AMPLIFICATION_MAX;
	}
	/* 101^7 < 2^53 < 101^8: s008 .. s199 saturate, and sort first by name */
	CU_ASSERT_EQUAL(nsat, N - 8);
	CU_ASSERT_EQUAL(amp[0].service, th_id(cat, "s008"));
	CU_ASSERT_EQUAL(amp[0].path_len, 9);
	CU_ASSERT_EQUAL(amp[n - 1].service, th_id(cat, "s001"));
	CU_ASSERT_DOUBLE_EQUAL(amp[n - 1].factor, 101, 0);
	CU_ASSERT_EQUAL(amp[n - 7].service, th_id(cat, "s007"));
	CU_ASSERT_DOUBLE_EQUAL(amp[n - 7].factor, 101.0 * 101 * 101 * 101 * 101 * 101 * 101, 0);
	CU_ASSERT_EQUAL(amp[N - 9].service, th_id(cat, "s199"));
	CU_ASSERT_EQUAL(amp[N - 9].path_len, N);
	dc_analysis_free(a);
	dc_graph_free(g);
	th_done(cat, diags);

	/* the CLI: text, JSON and check agree, and nothing prints inf or null */
	CU_ASSERT_EQUAL_FATAL(th_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/amp.yaml", dir);
	th_write_file(path, yaml);
	snprintf(path, sizeof(path), "%s/policy.yaml", dir);
	th_write_file(path, "depcheck-policy: 1\nrules:\n  max-retry-amplification: {max: 10}\n");
	snprintf(args, sizeof(args), "analyze %s/amp.yaml --top 1000", dir);
	out = th_run_cli(args, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "retry amplification (worst-case calls per user request) (199)"));
	CU_ASSERT_EQUAL(th_count(out, " x9007199254740992 or more (saturated)  via"), N - 8);
	CU_ASSERT_EQUAL(th_count(out, " x101  via"), 1);
	CU_ASSERT_PTR_NULL(strstr(out, "inf"));
	free(out);
	snprintf(args, sizeof(args), "analyze %s/amp.yaml -f json --all", dir);
	out = th_run_cli(args, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"retry_amplification_total\": 199"));
	CU_ASSERT_EQUAL(th_count(out, "\"factor\": 9007199254740992, \"unbounded\": false, \"saturated\": true"), N - 8);
	CU_ASSERT_EQUAL(th_count(out, "\"factor\": "), N - 1);
	CU_ASSERT_EQUAL(th_count(out, "\"factor\": null"), 0);
	/* no inf value (the key "inferred" of "assumptions" is no number) */
	CU_ASSERT_PTR_NULL(strstr(out, ": inf"));
	CU_ASSERT_PTR_NULL(strstr(out, ": -inf"));
	free(out);
	/* every finding (--all: -f json lists 100 per rule by default) */
	snprintf(args, sizeof(args), "check %s/amp.yaml --policy %s/policy.yaml -f json --all", dir, dir);
	out = th_run_cli(args, &code);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"violations\": 199"));
	CU_ASSERT_EQUAL(th_count(out, "at least 9007199254740992 times (saturated) (max 10)"), N - 8);
	CU_ASSERT_PTR_NULL(strstr(out, ": inf"));
	CU_ASSERT_PTR_NULL(strstr(out, " inf "));
	free(out);
	th_rmtree(dir);
	free(yaml);
}

/* What analyze writes (text and JSON, every row), with the analyses beside
 * the blast on a second thread (side 1) or on this one (side -1). */
static void analysis_outputs(const dc_graph *g, int side, size_t exact_top, unsigned threads, char **text,
			     char **json)
{
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_output_options oo = th_opts(DC_OUTPUT_TEXT);
	dc_analysis *a = NULL;
	int rc;
	ao.exact_top = exact_top;
	ao.threads = threads;
	analyze_set_side_thread(side);
	rc = dc_analyze(&a, g, &ao);
	analyze_set_side_thread(0);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	oo.list_limit = 0;
	TH_CAPTURE(*text, rc, dc_write_analysis(fp, a, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	oo = th_opts(DC_OUTPUT_JSON);
	oo.list_limit = 0;
	TH_CAPTURE(*json, rc, dc_write_analysis(fp, a, 0, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	dc_analysis_free(a);
}

/* The hub lists' first 10 (a selection of the best 10) are the first 10
 * of the whole lists (sorted in full): 1 when they differ. */
static unsigned hubs_prefix_differs(const dc_graph *g)
{
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	dc_analysis *a10 = NULL, *all = NULL;
	unsigned bad = 0, k;
	ao.threads = 1;
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&a10, g, &ao), 0);
	ao.hubs = dc_graph_node_count(g);
	CU_ASSERT_EQUAL_FATAL(dc_analyze(&all, g, &ao), 0);
	for (k = 0; k < 2; k++) {
		dc_hub_kind kind = k ? DC_HUBS_FAN_OUT : DC_HUBS_FAN_IN;
		const dc_id *i1, *i2;
		const uint32_t *c1, *c2;
		size_t n1 = dc_analysis_hubs(a10, kind, &i1, &c1), n2 = dc_analysis_hubs(all, kind, &i2, &c2);
		bad += n1 != (n2 < 10 ? n2 : 10) || n2 < 44 || memcmp(i1, i2, n1 * sizeof(dc_id)) ||
		       memcmp(c1, c2, n1 * sizeof(uint32_t));
	}
	dc_analysis_free(a10);
	dc_analysis_free(all);
	if (bad)
		fprintf(stderr, "\nhubs: the first 10 differ from the full lists' first 10\n");
	return bad != 0;
}

/* dc__analyze_parts (what dc_check asks for) gives the same parts with the
 * second thread as without: 1 when something differs. */
static unsigned parts_differ(const dc_graph *g)
{
	static const unsigned sets[] = {
		DC__AN_CYCLES | DC__AN_AMP, DC__AN_HARD_CYCLES | DC__AN_TIMEOUTS | DC__AN_BLAST,
		DC__AN_SPOFS | DC__AN_STARTUP_CYCLES, DC__AN_ALL
	};
	dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
	unsigned k, bad = 0;
	size_t n = dc_graph_node_count(g), i;
	for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		dc_analysis *a[2] = { NULL, NULL };
		const dc_amplification *am[2];
		const dc_timeout_violation *tv[2];
		const dc_id *sp[2];
		size_t na[2], nt[2], ns[2];
		int side, e;
		for (side = 0; side < 2; side++) {
			analyze_set_side_thread(side ? 1 : -1);
			CU_ASSERT_EQUAL_FATAL(dc__analyze_parts(&a[side], g, &ao, sets[k]), 0);
			analyze_set_side_thread(0);
			na[side] = dc_analysis_amplification(a[side], &am[side]);
			nt[side] = dc_analysis_timeout_violations(a[side], &tv[side]);
			ns[side] = a[side] && dc_analysis_blast(a[side]) ? dc_analysis_spofs(a[side], &sp[side]) : 0;
		}
		for (e = 0; e < 3; e++) {
			dc_edge_set es = e == 0 ? DC_EDGES_ALL : e == 1 ? DC_EDGES_HARD_ONLY : DC_EDGES_STARTUP;
			bad += dc_analysis_cycle_count(a[0], es) != dc_analysis_cycle_count(a[1], es);
		}
		bad += na[0] != na[1] || nt[0] != nt[1] || ns[0] != ns[1];
		for (i = 0; !bad && i < na[0]; i++)
			bad += am[0][i].service != am[1][i].service || am[0][i].factor != am[1][i].factor;
		for (i = 0; !bad && i < nt[0]; i++)
			bad += tv[0][i].dep != tv[1][i].dep;
		for (i = 0; !bad && i < ns[0]; i++)
			bad += sp[0][i] != sp[1][i];
		bad += !dc_analysis_blast(a[0]) != !dc_analysis_blast(a[1]);
		for (i = 0; !bad && dc_analysis_blast(a[0]) && i < n; i++)
			bad += dc_blast_down(dc_analysis_blast(a[0]), (dc_id)i) != dc_blast_down(dc_analysis_blast(a[1]), (dc_id)i);
		dc_analysis_free(a[0]);
		dc_analysis_free(a[1]);
	}
	if (bad)
		fprintf(stderr, "\nparts: the second thread gives other parts\n");
	return bad != 0;
}

static void test_side_thread_same(void)
{
	unsigned seed_i, failures = 0, cycles = 0, amps = 0, tvs = 0, ests = 0;
	/* every third graph with DEGRADED estimated below the first 5 ranks,
	 * on two threads for every other one: the sketches beside the sweep */
	for (seed_i = 0; seed_i < 12; seed_i++) {
		uint64_t seed = 0x51de + seed_i;
		unsigned n = 50 + gen_below(&seed, 400), density = 10 + gen_below(&seed, 20), i;
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 30, 15, &e), k;
		dc_catalog *cat;
		dc_graph *g;
		char *t1, *j1, *t2, *j2;
		gen_telemetry(&seed, e, m, 20);
		cat = gen_catalog(n, e, m);
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		for (i = 0; i < n; i++) {
			if (gen_below(&seed, 8) == 0)
				cat->svcs.items[i].flags |= SVC_ENTRY | SVC_ENTRY_EXPLICIT;
			cat->svcs.items[i].latency_ms = gen_below(&seed, 50);
		}
		for (k = 0; k < cat->deps.len; k++) {
			dep_t *d = &cat->deps.items[k];
			unsigned r = gen_below(&seed, 10);
			if (r < 3) {
				d->retries = 1 + gen_below(&seed, 3);
				d->flags |= DEP_EX_RETRIES;
			}
			if (r >= 2 && r < 6) {
				d->timeout_ms = 20 + gen_below(&seed, 200);
				d->flags |= DEP_EX_TIMEOUT;
			}
			if (r == 9)
				d->flags |= DEP_STARTUP;
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		failures += hubs_prefix_differs(g);
		failures += parts_differ(g);
		analysis_outputs(g, -1, seed_i % 3 ? 0 : 5, 1, &t1, &j1);
		analysis_outputs(g, 1, seed_i % 3 ? 0 : 5, seed_i % 2 ? 2 : 0, &t2, &j2);
		if (strcmp(t1, t2) || strcmp(j1, j2)) {
			fprintf(stderr, "\nside thread seed %u (n=%u): outputs differ\n", seed_i, n);
			failures++;
		}
		cycles += !strstr(t1, "\n0 cycles");
		amps += strstr(j1, "\"factor\": ") != NULL;
		tvs += strstr(j1, "\"needed_ms\": ") != NULL;
		ests += seed_i % 3 == 0 && seed_i % 2 && strstr(j2, "\"degraded_estimate\": {\"low\": ");
		free(t1);
		free(j1);
		free(t2);
		free(j2);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	/* the graphs exercise what the second thread computes */
	CU_ASSERT_TRUE(cycles >= 6);
	CU_ASSERT_TRUE(amps >= 6);
	CU_ASSERT_TRUE(tvs >= 6);
	CU_ASSERT_EQUAL(ests, 2);
	CU_ASSERT_EQUAL(failures, 0);
}

int suite_analyze(void)
{
	static const th_test tests[] = {
		{ "hand-made catalog", test_hand },
		{ "SPOFs vs brute force", test_spofs_random },
		{ "depth and longest hard chain vs brute force", test_depth_random },
		{ "retry amplification saturates, outputs agree", test_amplification_saturates },
		{ "the analyses on a second thread: same outputs", test_side_thread_same },
		{ "without DEGRADED counts", test_no_degraded },
		{ NULL, NULL }
	};
	return th_suite("analyze", tests);
}
