/*
 * test_plan.c - deployment plans: hand-checked graphs (chain, diamond,
 * soft cycle dropped, hard cycle lockstep, any_of, consumers-first mirror,
 * partial plan through unchanged services, max-parallel, canary order,
 * cold-start cycle with edges), hundreds of seeded random graphs against a
 * brute-force oracle (transitive closures), and a long chain that must not
 * touch the C stack.
 */
#include "helpers.h"
#include "gen.h"

typedef struct {
	TH_FX;
	dc_blast *b;
	dc_plan *p;
} fx;

static void fx_load(fx *f, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	th_fx_load(&f->base, "plan.yaml", yaml);
}

static void fx_plan(fx *f, dc_plan_options *o)
{
	dc_plan_free(f->p);
	f->p = NULL;
	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&f->p, f->g, o), 0);
}

static void fx_free(fx *f)
{
	dc_plan_free(f->p);
	dc_blast_free(f->b);
	th_fx_free(&f->base);
}

static size_t W(const fx *f, const char *name) { return dc_plan_wave_of(f->p, th_id(f->cat, name)); }

/* 1 when wave i holds exactly the names in `want` ("a,b,c"), in that order */
static int wave_is(const fx *f, size_t i, int rollback, const char *want)
{
	const dc_id *ids;
	size_t n = rollback ? dc_plan_rollback_wave(f->p, i, &ids) : dc_plan_wave(f->p, i, &ids), k;
	char buf[512] = "";
	for (k = 0; k < n; k++) {
		if (k)
			strcat(buf, ",");
		strcat(buf, dc_service_name(f->cat, ids[k]));
	}
	return !strcmp(buf, want);
}

/* ---- hand-checked -------------------------------------------------------- */

static void test_chain(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [c]}\n  - {name: c}\n");
	fx_plan(&f, NULL);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 3);
	CU_ASSERT_EQUAL(dc_plan_depth(f.p), 3);
	CU_ASSERT_EQUAL(dc_plan_service_count(f.p), 3);
	CU_ASSERT_TRUE(wave_is(&f, 0, 0, "c") && wave_is(&f, 1, 0, "b") && wave_is(&f, 2, 0, "a"));
	CU_ASSERT_TRUE(wave_is(&f, 0, 1, "a") && wave_is(&f, 2, 1, "c"));
	CU_ASSERT_EQUAL(dc_plan_lockstep_count(f.p), 0);
	o.order = DC_PLAN_CONSUMERS_FIRST;
	fx_plan(&f, &o);
	CU_ASSERT_TRUE(wave_is(&f, 0, 0, "a") && wave_is(&f, 1, 0, "b") && wave_is(&f, 2, 0, "c"));
	o.version = 99;
	dc_plan_free(f.p);
	CU_ASSERT_EQUAL(dc_plan_compute(&f.p, f.g, &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(f.p);
	fx_free(&f);
}

static void test_diamond(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b, c]}\n  - {name: b, depends_on: [d]}\n"
		    "  - {name: c, depends_on: [d]}\n  - {name: d}\n  - {name: e, depends_on: [d]}\n");
	fx_plan(&f, NULL);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 3);
	CU_ASSERT_EQUAL(W(&f, "d"), 1);
	CU_ASSERT_EQUAL(W(&f, "b"), 2);
	CU_ASSERT_EQUAL(W(&f, "c"), 2);
	CU_ASSERT_EQUAL(W(&f, "e"), 2);
	CU_ASSERT_EQUAL(W(&f, "a"), 3);
	/* consumers first: the mirror, as early as possible from the top */
	o.order = DC_PLAN_CONSUMERS_FIRST;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL(W(&f, "a"), 1);
	CU_ASSERT_EQUAL(W(&f, "e"), 1);
	CU_ASSERT_EQUAL(W(&f, "b"), 2);
	CU_ASSERT_EQUAL(W(&f, "d"), 3);
	fx_free(&f);
}

static void test_soft_cycle_dropped(void)
{
	fx f;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n"
		    "  - {name: b, depends_on: [{service: a, kind: soft}]}\n"
		    "  - {name: c, depends_on: [{service: a, kind: soft}]}\n");
	fx_plan(&f, NULL);
	CU_ASSERT_EQUAL(dc_plan_lockstep_count(f.p), 0);
	CU_ASSERT_EQUAL(W(&f, "b"), 1);
	CU_ASSERT_EQUAL(W(&f, "a"), 2);
	/* a soft edge outside any cycle still orders */
	CU_ASSERT_EQUAL(W(&f, "c"), 3);
	CU_ASSERT_FALSE(dc_plan_dep_constrains(f.p, (size_t)th_dep_of(f.cat, "b", "a")));
	CU_ASSERT_TRUE(dc_plan_dep_constrains(f.p, (size_t)th_dep_of(f.cat, "c", "a")));
	CU_ASSERT_TRUE(dc_plan_dep_constrains(f.p, (size_t)th_dep_of(f.cat, "a", "b")));
	fx_free(&f);
}

static void test_hard_cycle_lockstep(void)
{
	fx f;
	const dc_id *mem;
	const uint32_t *ed;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [a, z]}\n"
		    "  - {name: c, depends_on: [a]}\n  - {name: z}\n");
	fx_plan(&f, NULL);
	CU_ASSERT_EQUAL_FATAL(dc_plan_lockstep_count(f.p), 1);
	CU_ASSERT_EQUAL(dc_plan_lockstep_members(f.p, 0, &mem), 2);
	CU_ASSERT_EQUAL(dc_plan_lockstep_edges(f.p, 0, &ed), 2);
	CU_ASSERT_EQUAL(dc_plan_gate(f.p), 0); /* a deployment's lockstep group does not fail */
	CU_ASSERT_EQUAL(W(&f, "z"), 1);
	CU_ASSERT_EQUAL(W(&f, "a"), 2);
	CU_ASSERT_EQUAL(W(&f, "b"), 2);
	CU_ASSERT_EQUAL(W(&f, "c"), 3);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 3);
	fx_free(&f);
}

static void test_any_of(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	fx_load(&f, "services:\n  - {name: a, depends_on: [{any_of: [b, c]}]}\n  - {name: b}\n  - {name: c}\n"
		    "  - {name: d, depends_on: [a]}\n");
	fx_plan(&f, NULL);
	CU_ASSERT_EQUAL(W(&f, "b"), 1);
	CU_ASSERT_EQUAL(W(&f, "c"), 1);
	CU_ASSERT_EQUAL(W(&f, "a"), 2);
	CU_ASSERT_EQUAL(W(&f, "d"), 3);
	/* cold start: an any_of member does not block the bring-up */
	o.cold_start = 1;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL(W(&f, "a"), 1);
	CU_ASSERT_EQUAL(W(&f, "d"), 2);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 2);
	CU_ASSERT_EQUAL(dc_plan_gate(f.p), 0); /* cold start without hard cycles */
	fx_free(&f);
}

static void test_partial_through_unchanged(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	uint8_t ch[8];
	/* a -> x -> b, a and b changed: b first although x is not planned;
	 * c -> y, unrelated to the rest: wave 1 */
	fx_load(&f, "services:\n  - {name: a, depends_on: [x]}\n  - {name: x, depends_on: [{service: b, kind: soft}]}\n"
		    "  - {name: b}\n  - {name: c, depends_on: [y]}\n  - {name: y}\n");
	memset(ch, 0, sizeof(ch));
	ch[th_id(f.cat, "a")] = ch[th_id(f.cat, "b")] = ch[th_id(f.cat, "c")] = 1;
	o.changed = ch;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL(dc_plan_service_count(f.p), 3);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 2);
	CU_ASSERT_EQUAL(W(&f, "b"), 1);
	CU_ASSERT_EQUAL(W(&f, "c"), 1);
	CU_ASSERT_EQUAL(W(&f, "a"), 2);
	CU_ASSERT_EQUAL(W(&f, "x"), 0);
	CU_ASSERT_EQUAL(W(&f, "y"), 0);
	o.order = DC_PLAN_CONSUMERS_FIRST;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL(W(&f, "a"), 1);
	CU_ASSERT_EQUAL(W(&f, "c"), 1);
	CU_ASSERT_EQUAL(W(&f, "b"), 2);
	fx_free(&f);
}

static void test_max_parallel_and_canary(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	/* h has three dependents (blast 3): it goes last in wave 1 */
	fx_load(&f, "services:\n  - {name: h}\n  - {name: i}\n  - {name: j}\n  - {name: k}\n"
		    "  - {name: a, depends_on: [h]}\n  - {name: b, depends_on: [h]}\n  - {name: c, depends_on: [h]}\n");
	CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&f.b, f.g), 0);
	o.blast = f.b;
	fx_plan(&f, &o);
	CU_ASSERT_TRUE(wave_is(&f, 0, 0, "i,j,k,h"));
	CU_ASSERT_TRUE(wave_is(&f, 1, 0, "a,b,c"));
	o.max_parallel = 2;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 4);
	CU_ASSERT_EQUAL(dc_plan_depth(f.p), 2);
	CU_ASSERT_TRUE(wave_is(&f, 0, 0, "i,j"));
	CU_ASSERT_TRUE(wave_is(&f, 1, 0, "k,h"));
	CU_ASSERT_TRUE(wave_is(&f, 2, 0, "a,b"));
	CU_ASSERT_TRUE(wave_is(&f, 3, 0, "c"));
	CU_ASSERT_TRUE(wave_is(&f, 0, 1, "c"));
	fx_free(&f);
}

static void test_max_parallel_keeps_groups(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [c]}\n"
		    "  - {name: c, depends_on: [a]}\n  - {name: d}\n");
	o.max_parallel = 2;
	fx_plan(&f, &o);
	/* the 3-member group gets a wave of its own, d another */
	CU_ASSERT_EQUAL(dc_plan_wave_count(f.p), 2);
	CU_ASSERT_TRUE(wave_is(&f, 0, 0, "a,b,c"));
	CU_ASSERT_TRUE(wave_is(&f, 1, 0, "d"));
	fx_free(&f);
}

static void test_cold_start_cycle(void)
{
	fx f;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	const uint32_t *ed;
	const dc_id *mem;
	size_t ne, k;
	long ab, ba;
	int seen_ab = 0, seen_ba = 0;
	fx_load(&f, "services:\n"
		    "  - name: discovery\n    depends_on: [config]\n"
		    "  - name: config\n    depends_on:\n      - discovery\n      - {service: logs, kind: soft}\n"
		    "  - name: logs\n    depends_on: [{service: discovery, kind: soft}]\n"
		    "  - name: api\n    depends_on: [discovery]\n");
	o.cold_start = 1;
	fx_plan(&f, &o);
	CU_ASSERT_EQUAL_FATAL(dc_plan_lockstep_count(f.p), 1);
	CU_ASSERT_EQUAL(dc_plan_gate(f.p), 1); /* an impossible cold start */
	CU_ASSERT_EQUAL(dc_plan_lockstep_members(f.p, 0, &mem), 2);
	ne = dc_plan_lockstep_edges(f.p, 0, &ed);
	CU_ASSERT_EQUAL(ne, 2);
	ab = th_dep_of(f.cat, "discovery", "config");
	ba = th_dep_of(f.cat, "config", "discovery");
	for (k = 0; k < ne; k++) {
		seen_ab |= (long)ed[k] == ab;
		seen_ba |= (long)ed[k] == ba;
	}
	CU_ASSERT_TRUE(seen_ab && seen_ba);
	CU_ASSERT_TRUE(th_dep_at(f.cat, "discovery", "config", 3, 18));
	CU_ASSERT_TRUE(th_dep_at(f.cat, "config", "discovery", 6, 9));
	/* soft edges do not block a bring-up */
	CU_ASSERT_EQUAL(W(&f, "logs"), 1);
	CU_ASSERT_EQUAL(W(&f, "config"), 1);
	CU_ASSERT_EQUAL(W(&f, "api"), 2);
	CU_ASSERT_FALSE(dc_plan_dep_constrains(f.p, (size_t)th_dep_of(f.cat, "config", "logs")));
	fx_free(&f);
}

/* ---- random graphs against a brute-force oracle -------------------------- */

#define RN 14

static void closure(uint8_t r[RN][RN], unsigned n)
{
	unsigned i, j, k;
	for (k = 0; k < n; k++)
		for (i = 0; i < n; i++)
			if (r[i][k])
				for (j = 0; j < n; j++)
					if (r[k][j])
						r[i][j] = 1;
}

static int check_random(dc_graph *g, const dc_catalog *cat, unsigned n, const gen_edge *e, size_t m,
			int cold, dc_plan_order order, const uint8_t *changed, size_t maxp)
{
	static uint8_t A[RN][RN], R[RN][RN];
	uint8_t keep[RN * RN * 2];
	size_t L[RN], maxl = 0, k, i, j;
	dc_plan_options o = DC_PLAN_OPTIONS_INIT;
	dc_plan *p;
	unsigned u, v, round;
	int ok = 1, seen[RN];
	(void)e;
	memset(A, 0, sizeof(A));
	memset(R, 0, sizeof(R));
	if (dc_catalog_dep_count(cat) != m || m > sizeof(keep))
		return 0;
	for (k = 0; k < m; k++)
		A[dc_dep_from(cat, k)][dc_dep_to(cat, k)] = 1;
	closure(A, n);
	for (k = 0; k < m; k++) {
		dc_id f = dc_dep_from(cat, k), t = dc_dep_to(cat, k);
		int soft = dc_dep_kind_of(cat, k) == DC_DEP_SOFT;
		if (cold)
			keep[k] = !soft && !dc_dep_group(cat, k);
		else
			keep[k] = !(soft && A[f][t] && A[t][f]);
		if (keep[k])
			R[f][t] = 1;
	}
	closure(R, n);
	/* expected waves: longest chain among planned services, through anything */
	for (u = 0; u < n; u++)
		L[u] = 1;
	for (round = 0; round <= n; round++)
		for (u = 0; u < n; u++)
			for (v = 0; v < n; v++) {
				int before = (order == DC_PLAN_CONSUMERS_FIRST && !cold) ? (R[v][u] && !R[u][v])
											   : (R[u][v] && !R[v][u]);
				if (before && (!changed || (changed[u] && changed[v])) && L[v] + 1 > L[u])
					L[u] = L[v] + 1;
			}
	o.order = order;
	o.cold_start = cold;
	o.changed = changed;
	o.max_parallel = maxp;
	if (dc_plan_compute(&p, g, &o))
		return 0;
	for (k = 0; k < m; k++)
		ok &= dc_plan_dep_constrains(p, k) == keep[k];
	for (u = 0; u < n; u++) {
		int planned = !changed || changed[u];
		if (planned && L[u] > maxl)
			maxl = L[u];
		if (!planned)
			ok &= dc_plan_wave_of(p, u) == 0;
		else if (!maxp)
			ok &= dc_plan_wave_of(p, u) == L[u]; /* exact, hence minimal */
	}
	ok &= dc_plan_depth(p) == maxl;
	if (!maxp)
		ok &= dc_plan_wave_count(p) == maxl;
	/* every constraint, and lockstep members together */
	for (u = 0; u < n; u++)
		for (v = 0; v < n; v++) {
			size_t wu = dc_plan_wave_of(p, u), wv = dc_plan_wave_of(p, v);
			if (!wu || !wv || u == v || !R[u][v])
				continue;
			if (R[v][u])
				ok &= wu == wv;
			else if (order == DC_PLAN_CONSUMERS_FIRST && !cold)
				ok &= wu < wv;
			else
				ok &= wv < wu;
		}
	/* waves: each planned service once, max_parallel, rollback reversed */
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < dc_plan_wave_count(p); i++) {
		const dc_id *ids, *rb;
		size_t nw = dc_plan_wave(p, i, &ids);
		int one_group = 1;
		ok &= nw > 0;
		ok &= dc_plan_rollback_wave(p, dc_plan_wave_count(p) - 1 - i, &rb) == nw && rb == ids;
		for (j = 0; j < nw; j++) {
			seen[ids[j]]++;
			ok &= dc_plan_wave_of(p, ids[j]) == i + 1;
			one_group &= R[ids[0]][ids[j]] && R[ids[j]][ids[0]];
		}
		if (maxp && nw > maxp)
			ok &= one_group;
	}
	for (u = 0; u < n; u++)
		ok &= seen[u] == ((!changed || changed[u]) ? 1 : 0);
	/* lockstep groups: classes with two or more planned members */
	{
		size_t expect = 0, got = 0;
		uint8_t counted[RN];
		memset(counted, 0, sizeof(counted));
		for (u = 0; u < n; u++) {
			size_t cnt = 0;
			if (counted[u] || (changed && !changed[u]))
				continue;
			for (v = 0; v < n; v++)
				if ((u == v || (R[u][v] && R[v][u])) && (!changed || changed[v])) {
					counted[v] = 1;
					cnt++;
				}
			expect += cnt >= 2;
		}
		ok &= dc_plan_lockstep_count(p) == expect;
		for (i = 0; i < dc_plan_lockstep_count(p); i++) {
			const dc_id *mem;
			const uint32_t *ed;
			size_t nm = dc_plan_lockstep_members(p, i, &mem), ne = dc_plan_lockstep_edges(p, i, &ed);
			got += nm;
			ok &= nm >= 2 && ne >= 2;
			for (j = 0; j < nm; j++)
				ok &= R[mem[0]][mem[j]] && R[mem[j]][mem[0]];
			for (j = 0; j < ne; j++)
				ok &= keep[ed[j]] && R[dc_dep_to(cat, ed[j])][mem[0]] && R[mem[0]][dc_dep_from(cat, ed[j])];
		}
		(void)got;
	}
	dc_plan_free(p);
	return ok;
}

static void test_random_oracle(void)
{
	uint64_t seed = 0x91a7;
	int round, failures = 0, runs = 0;
	for (round = 0; round < 400; round++) {
		unsigned n = 2 + gen_below(&seed, RN - 1);
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 25), 35, 15, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		uint8_t ch[RN];
		unsigned u;
		int cold;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		for (u = 0; u < n; u++)
			ch[u] = (uint8_t)(gen_below(&seed, 100) < 45);
		for (cold = 0; cold < 2; cold++) {
			int ord;
			for (ord = 0; ord < 2; ord++) {
				dc_plan_order po = ord ? DC_PLAN_CONSUMERS_FIRST : DC_PLAN_PROVIDERS_FIRST;
				size_t maxp = 1 + gen_below(&seed, 3);
				failures += !check_random(g, cat, n, e, m, cold, po, NULL, 0);
				failures += !check_random(g, cat, n, e, m, cold, po, ch, 0);
				failures += !check_random(g, cat, n, e, m, cold, po, NULL, maxp);
				failures += !check_random(g, cat, n, e, m, cold, po, ch, maxp);
				runs += 4;
			}
		}
		if (failures) {
			fprintf(stderr, "plan oracle: round %d (n=%u, m=%zu) failed\n", round, n, m);
			dc_graph_free(g);
			dc_catalog_free(cat);
			free(e);
			break;
		}
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(e);
	}
	CU_ASSERT_EQUAL(failures, 0);
	CU_ASSERT_TRUE(runs >= 400 * 16 || failures);
}

/* ---- the canary order against a plain sort ------------------------------
 * Inside a wave: lockstep classes by their riskiest planned member (DOWN,
 * then DEGRADED, ascending), then the smallest planned member name; inside
 * a class by DOWN, DEGRADED, name. Names share long prefixes (the plan
 * sorts on 16-byte prefixes first), cross the 16-byte boundary, and carry
 * bytes above 0x7f (strcmp compares them unsigned). */

typedef struct {
	size_t cdown, cdeg, down, deg;
	const char *cname, *name;
	unsigned cls, id;
} canary_ref;

static int cmp_canary_ref(const void *pa, const void *pb)
{
	const canary_ref *a = pa, *b = pb;
	int r;
	if (a->cls != b->cls) {
		if (a->cdown != b->cdown)
			return a->cdown < b->cdown ? -1 : 1;
		if (a->cdeg != b->cdeg)
			return a->cdeg < b->cdeg ? -1 : 1;
		return (r = strcmp(a->cname, b->cname)) ? r : (a->cls < b->cls ? -1 : 1);
	}
	if (a->down != b->down)
		return a->down < b->down ? -1 : 1;
	if (a->deg != b->deg)
		return a->deg < b->deg ? -1 : 1;
	return (r = strcmp(a->name, b->name)) ? r : (a->id < b->id ? -1 : a->id > b->id);
}

static void test_canary_order_oracle(void)
{
	static const char *const stems[] = {
		"a-rather-long-shared-prefix-of-a-service-", "payment-service-", "edge-",
		"\xc3\xa9" "dition-", "zz", "a-rather-long-shared-prefix-of-a-servicf-",
	};
	uint64_t seed = 0xca7a;
	int round, failures = 0, compared = 0;
	for (round = 0; round < 300 && !failures; round++) {
		unsigned n = 2 + gen_below(&seed, RN - 1), u, v;
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 25), 35, 15, &e), k, i, j;
		char buf[RN][64];
		const char *names[RN];
		uint8_t A[RN][RN], ch[RN];
		dc_catalog *cat;
		dc_graph *g;
		dc_blast *b;
		int pass;
		for (u = 0; u < n; u++) {
			/* the index last: distinct names, and 1 < 10 < 2 as strcmp has it */
			snprintf(buf[u], sizeof(buf[u]), "%s%u", stems[gen_below(&seed, 6)], u);
			names[u] = buf[u];
			ch[u] = (uint8_t)(gen_below(&seed, 100) < 60);
		}
		cat = gen_catalog_named(n, e, m, NULL, NULL, names);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
		/* lockstep classes: mutual reachability over the constraining
		 * edges (providers-first: soft edges inside a cycle dropped) */
		memset(A, 0, sizeof(A));
		for (k = 0; k < m; k++)
			A[dc_dep_from(cat, k)][dc_dep_to(cat, k)] = 1;
		closure(A, n);
		{
			uint8_t R[RN][RN];
			memset(R, 0, sizeof(R));
			for (k = 0; k < m; k++) {
				dc_id f = dc_dep_from(cat, k), t = dc_dep_to(cat, k);
				if (!(dc_dep_kind_of(cat, k) == DC_DEP_SOFT && A[f][t] && A[t][f]))
					R[f][t] = 1;
			}
			closure(R, n);
			memcpy(A, R, sizeof(A));
		}
		for (pass = 0; pass < 2; pass++) {
			const uint8_t *changed = pass ? ch : NULL;
			dc_plan_options o = DC_PLAN_OPTIONS_INIT;
			dc_plan *p;
			canary_ref ref[RN];
			o.blast = b;
			o.changed = changed;
			CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, g, &o), 0);
			for (i = 0; i < dc_plan_wave_count(p); i++) {
				const dc_id *ids;
				size_t nw = dc_plan_wave(p, i, &ids);
				for (j = 0; j < nw; j++) {
					canary_ref *r = &ref[j];
					u = ids[j];
					r->id = u;
					r->name = names[u];
					r->down = dc_blast_down(b, u);
					r->deg = dc_blast_degraded(b, u);
					r->cls = u;
					r->cdown = r->down;
					r->cdeg = r->deg;
					r->cname = r->name;
					/* the class: planned members mutually reachable */
					for (v = 0; v < n; v++) {
						size_t dv = dc_blast_down(b, v), gv = dc_blast_degraded(b, v);
						if (v == u || !A[u][v] || !A[v][u] || (changed && !changed[v]))
							continue;
						if (v < r->cls)
							r->cls = v;
						if (dv > r->cdown || (dv == r->cdown && gv > r->cdeg)) {
							r->cdown = dv;
							r->cdeg = gv;
						}
						if (strcmp(names[v], r->cname) < 0)
							r->cname = names[v];
					}
				}
				qsort(ref, nw, sizeof(ref[0]), cmp_canary_ref);
				for (j = 0; j < nw; j++)
					failures += ref[j].id != ids[j];
				compared += (int)nw;
			}
			dc_plan_free(p);
		}
		if (failures)
			fprintf(stderr, "canary order: round %d (n=%u, m=%zu) differs\n", round, n, m);
		dc_blast_free(b);
		dc_graph_free(g);
		dc_catalog_free(cat);
		free(e);
	}
	CU_ASSERT_EQUAL(failures, 0);
	CU_ASSERT_TRUE(compared > 300 * 4);
}

/* a 300,000-long chain: depth == length, and no recursion */
static void test_long_chain(void)
{
	unsigned n = 300000;
	dc_catalog *cat;
	dc_graph *g;
	dc_plan *p;
	const dc_id *ids;
	cat = gen_chain(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_plan_compute(&p, g, NULL), 0);
	CU_ASSERT_EQUAL(dc_plan_wave_count(p), n);
	CU_ASSERT_EQUAL(dc_plan_wave(p, 0, &ids), 1);
	CU_ASSERT_EQUAL(ids[0], n - 1);
	dc_plan_free(p);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_render(void)
{
	fx f;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	fx_load(&f, "services:\n  - {name: a, depends_on: [b], owner: \"team \\\"x\\\"\"}\n  - {name: b}\n");
	fx_plan(&f, NULL);
	mem = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(dc_plan_render(f.p, f.g, DC_OUTPUT_DOT, mem, NULL), 0);
	CU_ASSERT_EQUAL(dc_plan_render(f.p, f.g, DC_OUTPUT_PNG, mem, NULL), DC_EINVALID);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "subgraph \"wave_1\" {"));
	/* drawn from the earlier wave, the arrow still on the dependency */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"b\" -> \"a\" [id=\"e-0-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "dir=back"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "a\\nteam \\\"x\\\"\""));
	free(buf);
	/* Graphviz's layout leaves fontconfig caches and plugin state allocated
	 * after gvFreeContext(): CI's LeakSanitizer run suppresses leaks inside
	 * those libraries only (tests/lsan.supp), never ours */
	buf = NULL;
	mem = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(dc_plan_render(f.p, f.g, DC_OUTPUT_SVG, mem, NULL), 0);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<svg"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "wave 1"));
	free(buf);
	fx_free(&f);
}

/* The deploy tools' formats: waves as sync waves and hook weights, direct
 * constraints as Flux dependsOn (none inside a lockstep group), pipeline
 * stages needing the one before; names quoted. */
static void test_deploy_formats(void)
{
	fx f;
	dc_plan_report r = DC_PLAN_REPORT_INIT;
	dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
	char *buf = NULL;
	int rc;
	fx_load(&f, "services:\n  - {name: web, depends_on: [api]}\n  - {name: api, depends_on: [db, cache]}\n"
		    "  - {name: db}\n  - {name: cache, depends_on: [api]}\n");
	fx_plan(&f, NULL);
	r.plan = f.p;
	r.g = f.g;
	oo.format = DC_OUTPUT_ARGOCD;
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &r, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "kind: \"Application\"\nmetadata:\n  name: \"db\"\n  annotations:\n"
				       "    argocd.argoproj.io/sync-wave: \"0\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  name: \"web\"\n  annotations:\n    argocd.argoproj.io/sync-wave: \"2\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "# lockstep group (ships together, wave 1): \"api\", \"cache\"\n"));
	free(buf);
	oo.format = DC_OUTPUT_HELM;
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &r, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  name: \"api\"\n  annotations:\n    helm.sh/hook: \"pre-install,pre-upgrade\"\n"
				       "    helm.sh/hook-weight: \"1\"\n"));
	free(buf);
	oo.format = DC_OUTPUT_FLUX;
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &r, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  name: \"web\"\nspec:\n  dependsOn:\n    - name: \"api\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  name: \"api\"\nspec:\n  dependsOn:\n    - name: \"db\"\n"
				       "  # lockstep with \"cache\""));
	free(buf);
	oo.format = DC_OUTPUT_PIPELINE;
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &r, &oo));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"id\": \"deploy-2\",\n      \"needs\": [\"deploy-1\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"lockstep\": [\n        [\"api\", \"cache\"]"));
	free(buf);
	oo.format = DC_OUTPUT_DOT;
	TH_CAPTURE(buf, rc, dc_write_plan(fp, &r, &oo));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	fx_free(&f);
}

/* export -f backstage: derived annotations and system dependsOn; names
 * that are no entity names refused */
static void test_backstage_export(void)
{
	fx f;
	dc_backstage_export x = DC_BACKSTAGE_EXPORT_INIT;
	size_t counts[4];
	char *buf = NULL;
	int rc;
	fx_load(&f, "services:\n  - {name: web, system: front, depends_on: [api]}\n"
		    "  - {name: api, system: back, depends_on: [db]}\n  - {name: db, system: back}\n");
	CU_ASSERT_EQUAL(dc_graph_dependency_counts(f.g, counts), 0);
	CU_ASSERT_EQUAL(counts[th_id(f.cat, "web")], 2);
	CU_ASSERT_EQUAL(counts[th_id(f.cat, "db")], 0);
	CU_ASSERT_EQUAL(dc_blast_compute(&f.b, f.g), 0);
	x.g = f.g;
	x.blast = f.b;
	x.dependencies = counts;
	TH_CAPTURE(buf, rc, dc_export_backstage(fp, &x));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "depcheck.io/transitive-dependencies: \"2\"\n"
				       "    depcheck.io/blast-radius: \"0\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "kind: System\nmetadata:\n  name: \"front\"\nspec:\n  dependsOn:\n"
				       "    - \"system:back\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  name: \"back\"\nspec:\n  dependsOn: []\n"));
	free(buf);
	fx_free(&f);
	fx_load(&f, "services:\n  - {name: \"a b\"}\n");
	x = (dc_backstage_export)DC_BACKSTAGE_EXPORT_INIT;
	x.g = f.g;
	TH_CAPTURE(buf, rc, dc_export_backstage(fp, &x));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	CU_ASSERT_STRING_EQUAL(buf, "");
	free(buf);
	fx_free(&f);
}

int suite_plan(void)
{
	static const th_test tests[] = {
		{ "chain", test_chain },
		{ "diamond", test_diamond },
		{ "soft cycle dropped", test_soft_cycle_dropped },
		{ "hard cycle lockstep", test_hard_cycle_lockstep },
		{ "any_of", test_any_of },
		{ "partial plan through unchanged services", test_partial_through_unchanged },
		{ "max-parallel and canary order", test_max_parallel_and_canary },
		{ "max-parallel keeps lockstep groups", test_max_parallel_keeps_groups },
		{ "cold-start cycle with edges", test_cold_start_cycle },
		{ "random graphs vs oracle", test_random_oracle },
		{ "canary order vs a plain sort", test_canary_order_oracle },
		{ "long chain", test_long_chain },
		{ "render dot and svg", test_render },
		{ "deploy tools' formats", test_deploy_formats },
		{ "export -f backstage", test_backstage_export },
		{ NULL, NULL }
	};
	return th_suite("plan", tests);
}
