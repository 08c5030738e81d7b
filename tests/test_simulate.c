/*
 * test_simulate.c - failure selectors (depcheck/simulate.h) and time to
 * impact (dc_impact_run_timed): each rule on a small hand-checked graph,
 * then hundreds of seeded random graphs (soft edges, any_of groups, cycles,
 * random timeouts and retries) against brute force: states by the
 * per-node fixpoint of tests/test_impact.c, times by iterating the min/max
 * equations of docs/model.md Bellman-Ford style until nothing changes, and
 * every cause checked to explain its service's time. Also --each's engine
 * (depcheck/blast.h) against one propagation per service.
 */
#include "helpers.h"
#include "gen.h"

#include <depcheck/blast.h>
#include <stdio.h>

typedef struct {
	TH_FX;
	dc_impact *imp;
	dc_selection *sel;
} fx;

static int fx_load(fx *f, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	th_fx_load(&f->base, "s.yaml", yaml);
	return dc_impact_new(&f->imp, f->g);
}

static void fx_free(fx *f)
{
	dc_selection_free(f->sel);
	dc_impact_free(f->imp);
	th_fx_free(&f->base);
}

/* Select the comma-separated selectors and run; returns the first dc_select
 * error, or 0. */
static int fx_sim(fx *f, const char *sels, dc_failure_mode mode)
{
	char buf[256], *tok, *save;
	int rc;
	dc_selection_free(f->sel);
	if (dc_selection_new(&f->sel, f->cat))
		return DC_ENOMEM;
	snprintf(buf, sizeof(buf), "%s", sels);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if ((rc = dc_select(f->sel, tok)))
			return rc;
	return dc_simulate(f->imp, f->sel, mode);
}

static dc_state st(const fx *f, const char *name)
{
	return th_state(f->cat, f->imp, name);
}

static uint64_t tm(const fx *f, const char *name)
{
	return dc_impact_time_ms(f->imp, th_id(f->cat, name));
}

/* The cause edge of `name` goes to `to` ("" = no cause: a seed or UP). */
static int cause_is(const fx *f, const char *name, const char *to)
{
	return th_cause_is(f->cat, f->imp, name, to);
}

/* The cause chain of `name`, as "a<b<c". */
static const char *chain(const fx *f, const char *name)
{
	static char buf[256];
	dc_id v = th_id(f->cat, name);
	size_t steps = 0;
	snprintf(buf, sizeof(buf), "%s", name);
	while (dc_impact_cause(f->imp, v) != UINT32_MAX && steps++ < 50) {
		size_t l = strlen(buf);
		v = dc_dep_to(f->cat, dc_impact_cause(f->imp, v));
		snprintf(buf + l, sizeof(buf) - l, "<%s", dc_service_name(f->cat, v));
	}
	return buf;
}

static void test_hard_chain_times(void)
{
	fx f;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [{service: b, timeout_ms: 100, retries: 2}]}\n"
					  "  - {name: b, depends_on: [{service: c, timeout_ms: 50}]}\n"
					  "  - {name: c}\n"
					  "  - {name: other}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "c", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(tm(&f, "c"), 0);
	CU_ASSERT_EQUAL(tm(&f, "b"), 50);
	CU_ASSERT_EQUAL(tm(&f, "a"), 350);             /* 50 + 100 x (2 + 1) */
	CU_ASSERT_EQUAL(tm(&f, "other"), DC_TIME_NONE);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_STRING_EQUAL(chain(&f, "a"), "a<b<c");
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "c")), "seed");
	CU_ASSERT_PTR_NULL(dc_selection_cause(f.sel, th_id(f.cat, "b")));
	CU_ASSERT_EQUAL(dc_impact_edge_cost_ms(f.cat, (size_t)th_dep_of(f.cat, "a", "b"), DC_FAILURE_HANG), 300);
	/* mode error: same states, every hop 0 ms */
	CU_ASSERT_EQUAL(fx_sim(&f, "c", DC_FAILURE_ERROR), 0);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "a"), 0);
	CU_ASSERT_EQUAL(tm(&f, "b"), 0);
	CU_ASSERT_STRING_EQUAL(chain(&f, "a"), "a<b<c");
	CU_ASSERT_EQUAL(dc_impact_edge_cost_ms(f.cat, (size_t)th_dep_of(f.cat, "a", "b"), DC_FAILURE_ERROR), 0);
	/* an untimed run forgets the times */
	CU_ASSERT_EQUAL(dc_impact_run(f.imp, NULL, 0, NULL, 0), 0);
	CU_ASSERT_EQUAL(tm(&f, "a"), DC_TIME_NONE);
	fx_free(&f);
}

static void test_group_and_alternatives(void)
{
	fx f;
	/* a needs one of x, y (150 ms, 1 retry = 300 per member); y dies after
	 * z (500 ms); b can be taken down by p (1000) or q (200); c by its
	 * group (x, w: 10 ms) or its hard edge to y (40 ms, 1 retry) */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [{any_of: [x, y], timeout_ms: 150, retries: 1}]}\n"
					  "  - {name: y, depends_on: [{service: z, timeout_ms: 500}]}\n"
					  "  - {name: b, depends_on: [{service: p, timeout_ms: 1000}, {service: q, timeout_ms: 200}]}\n"
					  "  - {name: c, depends_on: [{any_of: [x, w], timeout_ms: 10}, {service: y, timeout_ms: 40, retries: 1}]}\n"
					  "  - {name: x}\n  - {name: z}\n  - {name: w}\n  - {name: p}\n  - {name: q}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "x,z", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(tm(&f, "y"), 500);
	/* the group fails when its last failure is noticed: max(0 + 300, 500 + 300) */
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "a"), 800);
	CU_ASSERT_TRUE(cause_is(&f, "a", "y"));
	CU_ASSERT_STRING_EQUAL(chain(&f, "a"), "a<y<z");
	/* c: group not complete (w up), hard edge to y: 500 + 80 */
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "c"), 580);
	CU_ASSERT_TRUE(cause_is(&f, "c", "y"));
	/* now the group completes first: max(0, 0) + 10 < 580 */
	CU_ASSERT_EQUAL(fx_sim(&f, "x,z,w", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(tm(&f, "c"), 10);
	CU_ASSERT_TRUE(cause_is(&f, "c", "x") || cause_is(&f, "c", "w"));
	/* min over alternatives */
	CU_ASSERT_EQUAL(fx_sim(&f, "p,q", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(tm(&f, "b"), 200);
	CU_ASSERT_TRUE(cause_is(&f, "b", "q"));
	CU_ASSERT_EQUAL(fx_sim(&f, "p", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(tm(&f, "b"), 1000);
	CU_ASSERT_TRUE(cause_is(&f, "b", "p"));
	/* a group that lost one member degrades at that member's notice time */
	CU_ASSERT_EQUAL(fx_sim(&f, "x", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(tm(&f, "a"), 300);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(tm(&f, "c"), 10);
	fx_free(&f);
}

static void test_degraded_times(void)
{
	fx f;
	/* a -soft(300)-> b; d -hard(999)-> a; e -soft(5)-> d; b -hard(20)-> c */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [{service: b, kind: soft, timeout_ms: 300}]}\n"
					  "  - {name: b, depends_on: [{service: c, timeout_ms: 20}]}\n"
					  "  - {name: c}\n"
					  "  - {name: d, depends_on: [{service: a, timeout_ms: 999}]}\n"
					  "  - {name: e, depends_on: [{service: d, kind: soft, timeout_ms: 5}]}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "c", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "b"), 20);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DEGRADED);     /* soft dependency down */
	CU_ASSERT_EQUAL(tm(&f, "a"), 320);
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DEGRADED);     /* a degraded dependency shows at once */
	CU_ASSERT_EQUAL(tm(&f, "d"), 320);
	CU_ASSERT_EQUAL(tm(&f, "e"), 320);
	CU_ASSERT_STRING_EQUAL(chain(&f, "e"), "e<d<a<b<c");
	fx_free(&f);
}

static void test_zones(void)
{
	fx f;
	const dc_id *ids;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: both, zones: [z1, z2]}\n"
					  "  - {name: one, zones: [z1]}\n"
					  "  - {name: two, zones: [z2, z3]}\n"
					  "  - {name: nozone}\n"
					  "  - {name: user, depends_on: [{service: one, timeout_ms: 70}, {service: both, kind: soft}]}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:z1", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "one"), DC_STATE_DOWN);       /* all its zones */
	CU_ASSERT_EQUAL(st(&f, "both"), DC_STATE_DEGRADED);  /* some of its zones */
	CU_ASSERT_EQUAL(st(&f, "two"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "nozone"), DC_STATE_UP);      /* no zones: not affected */
	CU_ASSERT_EQUAL(st(&f, "user"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "user"), 70);
	CU_ASSERT_EQUAL(tm(&f, "both"), 0);
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "one")), "zone:z1");
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "both")), "zone:z1");
	CU_ASSERT_PTR_NULL(dc_selection_cause(f.sel, th_id(f.cat, "user")));
	CU_ASSERT_EQUAL(dc_selection_down(f.sel, &ids), 1);
	CU_ASSERT_EQUAL(ids[0], th_id(f.cat, "one"));
	CU_ASSERT_EQUAL(dc_selection_degraded(f.sel, &ids), 1);
	CU_ASSERT_EQUAL(ids[0], th_id(f.cat, "both"));
	/* zones accumulate */
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:z1,zone:z2", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "both"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "two"), DC_STATE_DEGRADED);
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "both")), "zone:z1,z2");
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "two")), "zone:z2");
	/* named and in a failed zone: a plain seed */
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:z1,both", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "both"), DC_STATE_DOWN);
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "both")), "seed");
	/* a zone-degraded service taken down by a dependency is timed by it */
	fx_free(&f);
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: s, zones: [z1, z2], depends_on: [{service: db, timeout_ms: 30}]}\n"
					  "  - {name: db, zones: [z1]}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:z1", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "s"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "s"), 30);
	CU_ASSERT_TRUE(cause_is(&f, "s", "db"));
	fx_free(&f);
}

static void test_attribute_selectors(void)
{
	fx f;
	const dc_id *ids;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, system: pay, owner: t1, tags: [redis, x]}\n"
					  "  - {name: b, system: pay, owner: t2}\n"
					  "  - {name: c, system: web, owner: t2, tags: [redis]}\n"
					  "  - {name: d, depends_on: [a, {service: c, kind: soft}]}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "system:pay", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_selection_down(f.sel, &ids), 2);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "b"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DOWN);
	CU_ASSERT_STRING_EQUAL(dc_selection_cause(f.sel, th_id(f.cat, "b")), "seed");
	CU_ASSERT_EQUAL(fx_sim(&f, "owner:t2", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "a"), DC_STATE_UP);
	CU_ASSERT_EQUAL(st(&f, "c"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "d"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(tm(&f, "d"), 1000);                  /* the default timeout */
	CU_ASSERT_EQUAL(fx_sim(&f, "tag:redis", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_selection_down(f.sel, &ids), 2);
	CU_ASSERT_EQUAL(ids[0], th_id(f.cat, "a"));
	CU_ASSERT_EQUAL(ids[1], th_id(f.cat, "c"));
	/* several selectors add up */
	CU_ASSERT_EQUAL(fx_sim(&f, "tag:x,b", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 3);
	/* selectors that match nothing, and malformed ones */
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:nowhere", DC_FAILURE_HANG), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(fx_sim(&f, "system:none", DC_FAILURE_HANG), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(fx_sim(&f, "owner:nobody", DC_FAILURE_HANG), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(fx_sim(&f, "tag:pay", DC_FAILURE_HANG), DC_ENOTFOUND); /* a string, not a tag */
	CU_ASSERT_EQUAL(fx_sim(&f, "nobody", DC_FAILURE_HANG), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(fx_sim(&f, "zone:", DC_FAILURE_HANG), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_select(f.sel, ""), DC_EINVALID);
	/* a failed dc_select leaves the selection as it was */
	dc_selection_free(f.sel);
	CU_ASSERT_EQUAL_FATAL(dc_selection_new(&f.sel, f.cat), 0);
	CU_ASSERT_EQUAL(dc_select(f.sel, "a"), 0);
	CU_ASSERT_EQUAL(dc_select(f.sel, "tag:none"), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_selection_down(f.sel, &ids), 1);
	CU_ASSERT_EQUAL(dc_selection_degraded(f.sel, &ids), 0);
	fx_free(&f);
}

static void test_names(void)
{
	fx f;
	dc_failure_mode m;
	/* Backstage entities: any unique form; a prefix that is not a selector
	 * keyword is part of the name; ambiguous short forms are refused */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
					  "metadata: {name: web}\nspec: {type: service, owner: o, dependsOn: [resource:db]}\n"
					  "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\n"
					  "metadata: {name: db}\nspec: {type: database, owner: o}\n"
					  "---\napiVersion: backstage.io/v1alpha1\nkind: Component\n"
					  "metadata: {name: db}\nspec: {type: service, owner: o}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "resource:db", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 2);
	CU_ASSERT_EQUAL(fx_sim(&f, "db", DC_FAILURE_HANG), DC_EAMBIGUOUS);
	CU_ASSERT_EQUAL(fx_sim(&f, "owner:o", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_impact_down_count(f.imp), 3);
	fx_free(&f);
	CU_ASSERT_EQUAL(dc_failure_mode_parse(&m, "error"), 0);
	CU_ASSERT_EQUAL(m, DC_FAILURE_ERROR);
	CU_ASSERT_EQUAL(dc_failure_mode_parse(&m, "hang"), 0);
	CU_ASSERT_EQUAL(m, DC_FAILURE_HANG);
	CU_ASSERT_EQUAL(dc_failure_mode_parse(&m, "slow"), DC_EINVALID);
	CU_ASSERT_STRING_EQUAL(dc_failure_mode_name(DC_FAILURE_ERROR), "error");
}

static void test_hard_cycle(void)
{
	fx f;
	/* p <-> q hard cycle; q needs z; r needs p */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: p, depends_on: [{service: q, timeout_ms: 10}]}\n"
					  "  - {name: q, depends_on: [{service: p, timeout_ms: 20}, {service: z, timeout_ms: 5}]}\n"
					  "  - {name: r, depends_on: [{service: p, timeout_ms: 1}]}\n"
					  "  - {name: z}\n"), 0);
	CU_ASSERT_EQUAL(fx_sim(&f, "z", DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(st(&f, "p"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(st(&f, "q"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "q"), 5);
	CU_ASSERT_EQUAL(tm(&f, "p"), 15);
	CU_ASSERT_EQUAL(tm(&f, "r"), 16);
	CU_ASSERT_STRING_EQUAL(chain(&f, "r"), "r<p<q<z");
	/* a member fails: the cycle shares its fate, causes do not loop */
	CU_ASSERT_EQUAL(fx_sim(&f, "p", DC_FAILURE_ERROR), 0);
	CU_ASSERT_EQUAL(st(&f, "q"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(tm(&f, "q"), 0);
	CU_ASSERT_STRING_EQUAL(chain(&f, "q"), "q<p");
	CU_ASSERT_TRUE(cause_is(&f, "p", ""));
	CU_ASSERT_EQUAL(st(&f, "z"), DC_STATE_UP);
	fx_free(&f);
}

/* ---- randomized, against brute force --------------------------------------------- */

#define MAXN 40
#define INF UINT64_MAX

/* States: recompute every node from its dependencies until nothing changes
 * (as tests/test_impact.c). */
static void oracle_states(const dc_catalog *cat, unsigned n, const uint8_t *down_seed,
			  const uint8_t *deg_seed, uint8_t *state)
{
	unsigned v, changed;
	for (v = 0; v < n; v++)
		state[v] = down_seed[v] ? DC_STATE_DOWN : deg_seed[v] ? DC_STATE_DEGRADED : DC_STATE_UP;
	do {
		changed = 0;
		for (v = 0; v < n; v++) {
			size_t first = dc_service_dep_first(cat, v), cnt = dc_service_dep_count(cat, v), k, j;
			uint8_t s = state[v];
			for (k = 0; k < cnt; k++) {
				size_t d = first + k;
				uint8_t t = state[dc_dep_to(cat, d)], want;
				unsigned grp = dc_dep_group(cat, d);
				if (t == DC_STATE_UP)
					continue;
				if (grp) {
					int all = 1;
					for (j = 0; j < cnt; j++)
						if (dc_dep_group(cat, first + j) == grp &&
						    (state[dc_dep_to(cat, first + j)] != DC_STATE_DOWN ||
						     dc_dep_kind_of(cat, first + j) == DC_DEP_SOFT))
							all = 0;
					want = all ? DC_STATE_DOWN : DC_STATE_DEGRADED;
				} else if (dc_dep_kind_of(cat, d) == DC_DEP_HARD) {
					want = t;
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

static uint64_t plus(uint64_t a, uint64_t b)
{
	return a == INF ? INF : a + b;
}

/* 1 when the any_of group of edge d is hard (no soft member). */
static int hard_group(const dc_catalog *cat, size_t d)
{
	dc_id v = dc_dep_from(cat, d);
	size_t first = dc_service_dep_first(cat, v), cnt = dc_service_dep_count(cat, v), j;
	for (j = 0; j < cnt; j++)
		if (dc_dep_group(cat, first + j) == dc_dep_group(cat, d) &&
		    dc_dep_kind_of(cat, first + j) == DC_DEP_SOFT)
			return 0;
	return 1;
}

/* Times: start from infinity and apply the equations until nothing changes
 * (each round settles at least one more service; n + 1 rounds suffice). */
static int oracle_times(const dc_catalog *cat, unsigned n, const uint8_t *state, const uint8_t *seed,
			dc_failure_mode mode, uint64_t *t)
{
	unsigned v, round;
	for (v = 0; v < n; v++)
		t[v] = seed[v] ? 0 : INF;
	for (round = 0; round <= n + 1; round++) {
		int changed = 0;
		for (v = 0; v < n; v++) {
			size_t first = dc_service_dep_first(cat, v), cnt = dc_service_dep_count(cat, v), k, j;
			uint64_t best = INF;
			if (seed[v] || state[v] == DC_STATE_UP)
				continue;
			for (k = 0; k < cnt; k++) {
				size_t d = first + k;
				dc_id to = dc_dep_to(cat, d);
				uint64_t c = dc_impact_edge_cost_ms(cat, d, mode), cand = INF;
				if (state[to] == DC_STATE_UP)
					continue;
				if (state[v] == DC_STATE_DEGRADED) {
					cand = state[to] == DC_STATE_DOWN ? plus(t[to], c) : t[to];
				} else if (state[to] != DC_STATE_DOWN) {
					continue;
				} else if (dc_dep_group(cat, d)) {
					int all = hard_group(cat, d);
					uint64_t mx = 0;
					for (j = 0; j < cnt && all; j++) {
						size_t e = first + j;
						if (dc_dep_group(cat, e) != dc_dep_group(cat, d))
							continue;
						if (state[dc_dep_to(cat, e)] != DC_STATE_DOWN) {
							all = 0;
						} else {
							uint64_t x = plus(t[dc_dep_to(cat, e)], dc_impact_edge_cost_ms(cat, e, mode));
							if (x > mx)
								mx = x;
						}
					}
					if (all)
						cand = mx;
				} else if (dc_dep_kind_of(cat, d) == DC_DEP_HARD) {
					cand = plus(t[to], c);
				}
				if (cand < best)
					best = cand;
			}
			if (best != t[v]) {
				t[v] = best;
				changed = 1;
			}
		}
		if (!changed)
			return 0;
	}
	return -1;
}

static void test_random(void)
{
	unsigned seed_i, failures = 0, runs = 0, chains = 0;
	for (seed_i = 0; seed_i < 400; seed_i++) {
		uint64_t seed = 0x51a000 + seed_i;
		unsigned n = 2 + gen_below(&seed, MAXN - 1);
		unsigned density = 5 + gen_below(&seed, 21);
		gen_edge *e;
		size_t m = gen_random(&seed, n, density, 25, 25, &e), d;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_impact *imp;
		int r;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		/* random timeouts (small, so that ties happen) and retries */
		for (d = 0; d < cat->deps.len; d++) {
			cat->deps.items[d].timeout_ms = gen_below(&seed, 4) * 10;
			cat->deps.items[d].retries = gen_below(&seed, 3);
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		for (r = 0; r < 4; r++) {
			dc_id seeds[4], dseeds[3];
			uint8_t ds[MAXN] = {0}, dg[MAXN] = {0}, want[MAXN], isseed[MAXN];
			uint64_t wt[MAXN];
			dc_failure_mode mode = r == 3 ? DC_FAILURE_ERROR : DC_FAILURE_HANG;
			size_t ns = 1 + gen_below(&seed, 3), nd = gen_below(&seed, 3), i;
			unsigned v, bad = 0;
			for (i = 0; i < ns; i++)
				ds[seeds[i] = gen_below(&seed, n)] = 1;
			for (i = 0; i < nd; i++)
				dg[dseeds[i] = gen_below(&seed, n)] = 1;
			oracle_states(cat, n, ds, dg, want);
			for (v = 0; v < n; v++)
				isseed[v] = ds[v] || (dg[v] && want[v] == DC_STATE_DEGRADED);
			bad += oracle_times(cat, n, want, isseed, mode, wt) != 0;
			CU_ASSERT_EQUAL(dc_impact_run_timed(imp, seeds, ns, dseeds, nd, mode), 0);
			for (v = 0; v < n; v++) {
				uint32_t c = dc_impact_cause(imp, v);
				uint64_t got = dc_impact_time_ms(imp, v);
				bad += dc_impact_state(imp, v) != want[v];
				bad += got != wt[v];
				if (want[v] == DC_STATE_UP) {
					bad += got != DC_TIME_NONE || c != UINT32_MAX;
				} else if (isseed[v]) {
					bad += got != 0 || c != UINT32_MAX;
				} else {
					dc_id to, x = v;
					unsigned steps = 0;
					uint64_t cost;
					if (c == UINT32_MAX || dc_dep_from(cat, c) != v) {
						bad++;
						continue;
					}
					to = dc_dep_to(cat, c);
					cost = dc_impact_edge_cost_ms(cat, c, mode);
					/* the cause explains the time */
					if (want[v] == DC_STATE_DOWN) {
						bad += want[to] != DC_STATE_DOWN;
						bad += !dc_dep_group(cat, c) && dc_dep_kind_of(cat, c) != DC_DEP_HARD;
						bad += dc_dep_group(cat, c) && !hard_group(cat, c);
						bad += got != wt[to] + cost;
					} else {
						bad += want[to] == DC_STATE_UP;
						bad += got != wt[to] + (want[to] == DC_STATE_DOWN ? cost : 0);
					}
					/* and the chain ends at a seed, adding up */
					while (dc_impact_cause(imp, x) != UINT32_MAX && steps++ <= n)
						x = dc_dep_to(cat, dc_impact_cause(imp, x));
					bad += !isseed[x];
					chains += steps > 1;
				}
			}
			if (bad)
				fprintf(stderr, "\nseed %u run %d (n=%u): %u failed checks\n", seed_i, r, n, bad);
			failures += bad;
			runs++;
		}
		dc_impact_free(imp);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(runs, 1600);
	CU_ASSERT_TRUE(chains > 500); /* the scenarios have real chains */
	CU_ASSERT_EQUAL(failures, 0);
}

/* --each: the blast engine agrees with one propagation per service. */
static void test_each_vs_single_runs(void)
{
	unsigned seed_i, failures = 0;
	for (seed_i = 0; seed_i < 150; seed_i++) {
		uint64_t seed = 0xeac000 + seed_i;
		unsigned n = 2 + gen_below(&seed, MAXN - 1), v;
		gen_edge *e;
		size_t m = gen_random(&seed, n, 5 + gen_below(&seed, 21), 25, 25, &e);
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g;
		dc_impact *imp;
		dc_blast *b;
		free(e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&b, g), 0);
		for (v = 0; v < n; v++) {
			dc_id s = v;
			dc_impact_run(imp, &s, 1, NULL, 0);
			failures += dc_blast_down(b, v) != dc_impact_down_count(imp) - 1;
			failures += dc_blast_degraded(b, v) != dc_impact_degraded_count(imp);
		}
		dc_blast_free(b);
		dc_impact_free(imp);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* A long hard chain: times add up along it, without recursion. */
static void test_long_chain(void)
{
	const unsigned n = 200000;
	dc_catalog *cat;
	dc_graph *g;
	dc_impact *imp;
	dc_id seed = n - 1;
	size_t d;
	cat = gen_chain(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	for (d = 0; d < cat->deps.len; d++) {
		cat->deps.items[d].timeout_ms = 3;
		cat->deps.items[d].retries = 1;
	}
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
	CU_ASSERT_EQUAL(dc_impact_run_timed(imp, &seed, 1, NULL, 0, DC_FAILURE_HANG), 0);
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), n);
	CU_ASSERT_EQUAL(dc_impact_time_ms(imp, 0), (uint64_t)(n - 1) * 6);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

int suite_simulate(void)
{
	static const th_test tests[] = {
		{ "hard chain times", test_hard_chain_times },
		{ "groups and alternatives", test_group_and_alternatives },
		{ "degraded times", test_degraded_times },
		{ "zones", test_zones },
		{ "system/owner/tag selectors", test_attribute_selectors },
		{ "names and modes", test_names },
		{ "hard cycle", test_hard_cycle },
		{ "random vs brute force", test_random },
		{ "each vs single runs", test_each_vs_single_runs },
		{ "long chain", test_long_chain },
		{ NULL, NULL }
	};
	return th_suite("simulate", tests);
}
