/*
 * test_impact.c - failure propagation (docs/model.md): each rule on a small
 * hand-checked graph, then hundreds of seeded random graphs (soft edges,
 * any_of groups, cycles) against a brute-force oracle that recomputes every
 * node's state from its dependencies until nothing changes (the least
 * fixpoint above the seeds).
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>

typedef struct {
	TH_FX;
	dc_impact *imp;
} fx;

static int fx_load(fx *f, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	th_fx_load(&f->base, "i.yaml", yaml);
	return dc_impact_new(&f->imp, f->g);
}

static void fx_free(fx *f)
{
	dc_impact_free(f->imp);
	th_fx_free(&f->base);
}

/* Fail the services named in `down` (comma-separated) and `degraded`. */
static void fx_run(fx *f, const char *down, const char *degraded)
{
	dc_id s[16], ds[16];
	size_t ns = 0, nd = 0;
	char buf[256], *tok, *save;
	if (down) {
		snprintf(buf, sizeof(buf), "%s", down);
		for (tok = strtok_r(buf, ",", &save); tok && ns < 16; tok = strtok_r(NULL, ",", &save))
			s[ns++] = th_id(f->cat, tok);
	}
	if (degraded) {
		snprintf(buf, sizeof(buf), "%s", degraded);
		for (tok = strtok_r(buf, ",", &save); tok && nd < 16; tok = strtok_r(NULL, ",", &save))
			ds[nd++] = th_id(f->cat, tok);
	}
	CU_ASSERT_EQUAL(dc_impact_run(f->imp, s, ns, ds, nd), 0);
}

static dc_state st(const fx *f, const char *name)
{
	return th_state(f->cat, f->imp, name);
}

/* The cause edge of `name` goes from it to `to`. */
static int cause_is(const fx *f, const char *name, const char *to)
{
	return th_cause_is(f->cat, f->imp, name, to);
}

static void test_hard_chain(void)
{
	fx f;
	const dc_id *ids;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [b]}\n"
					  "  - {name: b, depends_on: [c]}\n"
					  "  - {name: c}\n"
					  "  - {name: other}\n"), 0);
	fx_run(&f, "c", NULL);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "other"), DC_STATE_UP);
	CU_ASSERT_EQUAL(dc_impact_cause(f.imp, th_id(f.cat, "c")), UINT32_MAX);
	CU_ASSERT_TRUE(cause_is(&f, "b", "c"));
	CU_ASSERT_TRUE(cause_is(&f, "a", "b"));
	CU_ASSERT_EQUAL(dc_impact_cause(f.imp, th_id(f.cat, "other")), UINT32_MAX);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 3);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(f.imp), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_affected(f.imp, &ids), 3);
	CU_ASSERT_EQUAL(ids[0], th_id(f.cat, "c")); /* seeds first, then in order reached */
	CU_ASSERT_EQUAL(ids[1], th_id(f.cat, "b"));
	CU_ASSERT_EQUAL(ids[2], th_id(f.cat, "a"));
	/* a run resets the previous one */
	fx_run(&f, "b", NULL);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(dc_impact_cause(f.imp, th_id(f.cat, "c")), UINT32_MAX);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 2);
	/* no seeds: nothing happens; unknown ids and repeated seeds are ignored */
	fx_run(&f, NULL, NULL);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 0);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_UP);
	{
		dc_id s[3] = { th_id(f.cat, "c"), 999, th_id(f.cat, "c") };
		CU_ASSERT_EQUAL(dc_impact_run(f.imp, s, 3, NULL, 0), 0);
		CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 3);
	}
	fx_free(&f);
}

static void test_soft_and_degraded(void)
{
	fx f;
	/* a -hard-> b -soft-> c; d -soft-> a */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [b]}\n"
					  "  - {name: b, depends_on: [{service: c, kind: soft}]}\n"
					  "  - {name: c}\n"
					  "  - {name: d, depends_on: [{service: a, kind: soft}]}\n"), 0);
	fx_run(&f, "c", NULL);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DEGRADED);     /* soft dep down */
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);     /* hard dep degraded */
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DEGRADED);     /* soft dep degraded */
	CU_ASSERT_TRUE(cause_is(&f, "b", "c"));
	CU_ASSERT_TRUE(cause_is(&f, "a", "b"));
	CU_ASSERT_TRUE(cause_is(&f, "d", "a"));
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 1);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(f.imp), 3);
	/* a hard dependency down: down, and a soft dependent of it degrades */
	fx_run(&f, "b", NULL);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_UP);            /* dependencies are not affected */
	/* degraded seeds (a service that lost some zones) */
	fx_run(&f, NULL, "b");
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(dc_impact_cause(f.imp, th_id(f.cat, "b")), UINT32_MAX);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 0);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(f.imp), 3);
	/* a service both failed and degraded is down */
	fx_run(&f, "b", "b");
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 2);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(f.imp), 1);
	fx_free(&f);
}

static void test_any_of(void)
{
	fx f;
	/* a needs one of x, y, z; b needs one of x, y and (hard) w */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [{any_of: [x, y, z]}]}\n"
					  "  - {name: b, depends_on: [{any_of: [x, y]}, w]}\n"
					  "  - {name: c, depends_on: [{any_of: [x, y]}, {any_of: [z, w]}]}\n"
					  "  - {name: x}\n  - {name: y}\n  - {name: z}\n  - {name: w}\n"), 0);
	fx_run(&f, "x", NULL);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);     /* lost some members */
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DEGRADED);
	CU_ASSERT_TRUE(cause_is(&f, "a", "x"));
	fx_run(&f, "x,y", NULL);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);     /* z still up */
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);         /* its whole group is down */
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DOWN);         /* one of its groups is down */
	CU_ASSERT_TRUE(cause_is(&f, "b", "x") || cause_is(&f, "b", "y"));
	fx_run(&f, "x,y,z", NULL);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	fx_run(&f, "x,z", NULL);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DEGRADED);     /* each group lost one */
	/* the run after a group went fully down starts from a clean count */
	fx_run(&f, "y", NULL);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);
	/* a degraded member degrades the group's owner */
	fx_run(&f, NULL, "z");
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_UP);
	/* w is a plain hard dependency of b */
	fx_run(&f, "w", NULL);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DEGRADED);
	fx_free(&f);
}

static void test_cycles(void)
{
	fx f;
	/* p <-> q hard cycle; r depends on p; q depends on z; s <-> t soft cycle */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: p, depends_on: [q]}\n"
					  "  - {name: q, depends_on: [p, z]}\n"
					  "  - {name: r, depends_on: [p]}\n"
					  "  - {name: z}\n"
					  "  - {name: s, depends_on: [{service: t, kind: soft}]}\n"
					  "  - {name: t, depends_on: [{service: s, kind: soft}]}\n"
					  "  - {name: lone}\n"), 0);
	/* a cycle member fails: the whole cycle shares its fate */
	fx_run(&f, "p", NULL);
	CU_ASSERT_EQUAL(st(&f, "q"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "r"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "z"), DC_STATE_UP);
	/* something the cycle needs fails */
	fx_run(&f, "z", NULL);
	CU_ASSERT_EQUAL(st(&f, "q"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "p"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "r"), DC_STATE_DOWN);
	CU_ASSERT_TRUE(cause_is(&f, "q", "z"));
	CU_ASSERT_TRUE(cause_is(&f, "p", "q"));
	/* a failure elsewhere: cycles with no failed member stay up */
	fx_run(&f, "lone", NULL);
	CU_ASSERT_EQUAL(st(&f, "p"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "q"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "s"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "t"), DC_STATE_UP);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 1);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(f.imp), 0);
	/* a soft cycle: one member down degrades the other only */
	fx_run(&f, "s", NULL);
	CU_ASSERT_EQUAL(st(&f, "t"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(st(&f, "s"), DC_STATE_DOWN);
	fx_free(&f);
}

/* Following causes from any affected service ends at a seed. */
static void test_cause_chain(void)
{
	fx f;
	const dc_id *ids;
	size_t n, i;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: web, depends_on: [api, {service: ads, kind: soft}]}\n"
					  "  - {name: api, depends_on: [{any_of: [db1, db2]}, cache]}\n"
					  "  - {name: ads, depends_on: [cache]}\n"
					  "  - {name: cache, depends_on: [net]}\n"
					  "  - {name: db1, depends_on: [net]}\n"
					  "  - {name: db2}\n  - {name: net}\n"), 0);
	fx_run(&f, "net", NULL);
	CU_ASSERT_EQUAL(st(&f, "web"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "api"), DC_STATE_DOWN);     /* through cache (hard) */
	CU_ASSERT_EQUAL(st(&f, "ads"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "db1"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "db2"), DC_STATE_UP);
	CU_ASSERT_TRUE(cause_is(&f, "api", "cache"));
	CU_ASSERT_TRUE(cause_is(&f, "web", "api"));
	n = dc_impact_affected(f.imp, &ids);
	CU_ASSERT_EQUAL(n, 6);
	for (i = 0; i < n; i++) {
		dc_id v = ids[i];
		size_t steps = 0;
		while (dc_impact_cause(f.imp, v) != UINT32_MAX && steps++ < 10)
			v = dc_dep_to(f.cat, dc_impact_cause(f.imp, v));
		CU_ASSERT_EQUAL(v, th_id(f.cat, "net"));
	}
	fx_free(&f);
}

/* ---- randomized, against a brute-force fixpoint --------------------------------- */

#define MAXN 40

/* Recompute every node from its dependencies until nothing changes. */
static void oracle(const dc_catalog *cat, unsigned n, const uint8_t *down_seed, const uint8_t *deg_seed,
		   uint8_t *state)
{
	unsigned v, changed;
	memset(state, DC_STATE_UP, n);
	for (v = 0; v < n; v++)
		state[v] = down_seed[v] ? DC_STATE_DOWN : deg_seed[v] ? DC_STATE_DEGRADED : DC_STATE_UP;
	do {
		changed = 0;
		for (v = 0; v < n; v++) {
			size_t first = dc_service_dep_first(cat, v), cnt = dc_service_dep_count(cat, v), k, j;
			uint8_t s = state[v];
			for (k = 0; k < cnt; k++) {
				size_t d = first + k;
				uint8_t t = state[dc_dep_to(cat, d)];
				unsigned grp = dc_dep_group(cat, d);
				uint8_t want = DC_STATE_UP;
				if (t == DC_STATE_UP)
					continue;
				/* a telemetry edge passes a DOWN dependency only, as DEGRADED */
				if (dep_telemetry(&cat->deps.items[d]) && t != DC_STATE_DOWN)
					continue;
				if (grp) {
					/* the group is down when every member is down, unless a
					 * member is soft: a soft group only degrades */
					int all = 1;
					for (j = 0; j < cnt; j++)
						if (dc_dep_group(cat, first + j) == grp &&
						    (state[dc_dep_to(cat, first + j)] != DC_STATE_DOWN ||
						     dc_dep_kind_of(cat, first + j) == DC_DEP_SOFT))
							all = 0;
					want = all ? DC_STATE_DOWN : DC_STATE_DEGRADED;
				} else if (dc_dep_kind_of(cat, d) == DC_DEP_HARD) {
					want = t; /* down -> down, degraded -> degraded */
				} else {
					want = DC_STATE_DEGRADED;
				}
				if (want > s)
					s = want;
			}
			if (s != state[v]) {
				state[v] = s;
				changed = 1;
			}
		}
	} while (changed);
}

static void test_random(void)
{
	unsigned seed_i, failures = 0, runs = 0, nonzero = 0;
	for (seed_i = 0; seed_i < 500; seed_i++) {
		uint64_t seed = 0x1a0000 + seed_i;
		unsigned n = 2 + gen_below(&seed, MAXN - 1);
		unsigned density = 5 + gen_below(&seed, 21);
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 25, 25, &e);
		dc_catalog *cat;
		if (seed_i % 4) /* most graphs: some soft edges are telemetry edges */
			gen_telemetry(&seed, e, m, 50);
		cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_impact *imp;
		int r;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		/* several scenarios per graph, reusing the scratch space */
		for (r = 0; r < 4; r++) {
			dc_id seeds[4], dseeds[3];
			uint8_t ds[MAXN] = {0}, dg[MAXN] = {0}, want[MAXN];
			size_t ns = 1 + gen_below(&seed, 3), nd = gen_below(&seed, 3), i, ndown = 0, ndeg = 0, naff;
			unsigned v, bad = 0;
			const dc_id *aff;
			for (i = 0; i < ns; i++)
				ds[seeds[i] = gen_below(&seed, n)] = 1;
			for (i = 0; i < nd; i++)
				dg[dseeds[i] = gen_below(&seed, n)] = 1;
			oracle(cat, n, ds, dg, want);
			CU_ASSERT_EQUAL(dc_impact_run(imp, seeds, ns, dseeds, nd), 0);
			for (v = 0; v < n; v++) {
				dc_state got = dc_impact_state(imp, v);
				uint32_t c = dc_impact_cause(imp, v);
				bad += got != want[v];
				ndown += want[v] == DC_STATE_DOWN;
				ndeg += want[v] == DC_STATE_DEGRADED;
				/* causes: seeds and unaffected have none; others point at an
				 * affected dependency and lead back to a seed */
				if (want[v] == DC_STATE_UP || (want[v] == DC_STATE_DOWN && ds[v]) ||
				    (want[v] == DC_STATE_DEGRADED && dg[v] && !ds[v])) {
					bad += c != UINT32_MAX;
				} else {
					dc_id x = v;
					unsigned steps = 0;
					if (c == UINT32_MAX || dc_dep_from(cat, c) != v ||
					    dc_impact_state(imp, dc_dep_to(cat, c)) == DC_STATE_UP) {
						bad++;
						continue;
					}
					if (got == DC_STATE_DOWN) {
						/* a down cause is a down hard edge or a group's member */
						bad += dc_impact_state(imp, dc_dep_to(cat, c)) != DC_STATE_DOWN;
						bad += !dc_dep_group(cat, c) && dc_dep_kind_of(cat, c) != DC_DEP_HARD;
					}
					while (dc_impact_cause(imp, x) != UINT32_MAX && steps++ <= n)
						x = dc_dep_to(cat, dc_impact_cause(imp, x));
					bad += !(ds[x] || dg[x]);
				}
			}
			bad += dc_impact_down_count(imp) != ndown;
			bad += dc_impact_degraded_count(imp) != ndeg;
			naff = dc_impact_affected(imp, &aff);
			bad += naff != ndown + ndeg;
			{
				uint8_t seen[MAXN] = {0};
				for (i = 0; i < naff; i++) {
					bad += aff[i] >= n || seen[aff[i]] || want[aff[i]] == DC_STATE_UP;
					if (aff[i] < n)
						seen[aff[i]] = 1;
				}
			}
			if (bad)
				fprintf(stderr, "\nseed %u run %d (n=%u): %u failed checks\n", seed_i, r, n, bad);
			failures += bad;
			nonzero += ndown + ndeg > ns + nd;
			runs++;
		}
		dc_impact_free(imp);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(runs, 2000);
	/* the generator makes interesting scenarios, not just isolated seeds */
	CU_ASSERT_TRUE(nonzero > 500);
	CU_ASSERT_EQUAL(failures, 0);
}

/* A million-long hard chain goes down from its end without recursion. */
static void test_million_chain(void)
{
	const unsigned n = 1000000;
	dc_catalog *cat;
	dc_graph *g;
	dc_impact *imp;
	dc_id seed = n - 1, v;
	unsigned steps = 0;
	cat = gen_chain(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
	CU_ASSERT_EQUAL(dc_impact_run(imp, &seed, 1, NULL, 0), 0);
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), n);
	CU_ASSERT_EQUAL(dc_impact_state(imp, 0), DC_STATE_DOWN);
	for (v = 0; dc_impact_cause(imp, v) != UINT32_MAX && steps < n; steps++)
		v = dc_dep_to(cat, dc_impact_cause(imp, v));
	CU_ASSERT_EQUAL(v, n - 1);
	CU_ASSERT_EQUAL(steps, n - 1);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

int suite_impact(void)
{
	static const th_test tests[] = {
		{ "hard chain", test_hard_chain },
		{ "soft and degraded", test_soft_and_degraded },
		{ "any_of groups", test_any_of },
		{ "cycles", test_cycles },
		{ "cause chain", test_cause_chain },
		{ "random vs fixpoint oracle", test_random },
		{ "million-node chain", test_million_chain },
		{ NULL, NULL }
	};
	return th_suite("impact", tests);
}
