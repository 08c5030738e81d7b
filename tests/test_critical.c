/*
 * test_critical.c - the latency critical path (docs/model.md, model in
 * include/depcheck/critical.h): each rule on a small hand-checked graph
 * (stages add, parallel calls take the max, any_of takes its fastest member
 * in its first member's stage, soft calls count, cycle calls are ignored,
 * chain selection and ties), a 200,000-service chain (no recursion), then
 * hundreds of seeded random graphs, with cycles, soft edges, stages and
 * any_of groups, against an oracle that evaluates the definition by memoized
 * recursion over components found from a brute-force reachability matrix.
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>

typedef struct {
	TH_FX;
	dc_critical *cp;
	const dc_critical_hop *h;
	size_t nh;
} fx;

static int fx_setup(fx *f)
{
	if (dc_graph_new(&f->g, f->cat) || dc_critical_new(&f->cp, f->g))
		return -1;
	return 0;
}

static int fx_load(fx *f, const char *yaml)
{
	memset(f, 0, sizeof(*f));
	th_fx_load(&f->base, "c.yaml", yaml);
	return dc_critical_new(&f->cp, f->g);
}

static void fx_free(fx *f)
{
	dc_critical_free(f->cp);
	th_fx_free(&f->base);
}

static double tot(const fx *f, const char *name)
{
	return dc_critical_total_ms(f->cp, th_id(f->cat, name));
}

static int chain(fx *f, const char *from)
{
	return dc_critical_chain(f->cp, th_id(f->cat, from), &f->h, &f->nh);
}

/* hop i is `name`, at `depth`, called in `stage`, from start to end */
static int hop_is(const fx *f, size_t i, const char *name, unsigned depth, unsigned stage, double start,
		  double end)
{
	const dc_critical_hop *h;
	if (i >= f->nh)
		return 0;
	h = &f->h[i];
	return h->service == th_id(f->cat, name) && h->depth == depth && h->stage == stage &&
	       h->start_ms == start && h->end_ms == end;
}

/* ---- hand-checked graphs ---------------------------------------------------- */

static void test_stages_add(void)
{
	fx f;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - name: a\n"
					  "    latency_ms: 1\n"
					  "    depends_on:\n"
					  "      - {service: c, stage: 1}\n"
					  "      - {service: b, stage: 0}\n"
					  "      - {service: d, stage: 7}\n"
					  "  - {name: b, latency_ms: 10}\n"
					  "  - {name: c, latency_ms: 20}\n"
					  "  - {name: d, latency_ms: 2.5}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "b"), 10);
	CU_ASSERT_EQUAL(tot(&f, "a"), 33.5);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 4);
	CU_ASSERT_TRUE(hop_is(&f, 0, "a", 0, 0, 0, 33.5));
	CU_ASSERT_TRUE(hop_is(&f, 1, "b", 1, 0, 0, 10));   /* stages ascending, not declaration order */
	CU_ASSERT_TRUE(hop_is(&f, 2, "c", 1, 1, 10, 30));
	CU_ASSERT_TRUE(hop_is(&f, 3, "d", 1, 7, 30, 32.5));
	CU_ASSERT_EQUAL(f.h[0].parent, UINT32_MAX);
	CU_ASSERT_EQUAL(f.h[0].dep, UINT32_MAX);
	CU_ASSERT_EQUAL(f.h[0].own_ms, 1);
	CU_ASSERT_EQUAL(f.h[3].parent, 0);
	CU_ASSERT_EQUAL(f.h[3].dep, (uint32_t)th_dep_of(f.cat, "a", "d"));
	CU_ASSERT_EQUAL(f.h[3].own_ms, 2.5);
	CU_ASSERT_EQUAL(dc_critical_ignored_count(f.cp), 0);
	/* a chain from a leaf is the leaf */
	CU_ASSERT_EQUAL_FATAL(chain(&f, "c"), 0);
	CU_ASSERT_EQUAL(f.nh, 1);
	CU_ASSERT_TRUE(hop_is(&f, 0, "c", 0, 0, 0, 20));
	fx_free(&f);
}

static void test_parallel_max_and_ties(void)
{
	fx f;
	/* stage 0: b (10), c (20), d (20): the slowest is c, the first of the tie */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, latency_ms: 1, depends_on: [b, c, d]}\n"
					  "  - {name: b, latency_ms: 10}\n"
					  "  - {name: c, latency_ms: 20}\n"
					  "  - {name: d, latency_ms: 20}\n"
					  "  - {name: e, depends_on: [d, c]}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "a"), 21);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 2);
	CU_ASSERT_TRUE(hop_is(&f, 1, "c", 1, 0, 0, 20));
	CU_ASSERT_EQUAL_FATAL(chain(&f, "e"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 2);
	CU_ASSERT_TRUE(hop_is(&f, 0, "e", 0, 0, 0, 20));
	CU_ASSERT_TRUE(hop_is(&f, 1, "d", 1, 0, 0, 20));
	fx_free(&f);
}

static void test_soft_counts(void)
{
	fx f;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [{service: b, kind: soft}, c]}\n"
					  "  - {name: b, latency_ms: 50}\n"
					  "  - {name: c, latency_ms: 5}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "a"), 50);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_TRUE(hop_is(&f, 1, "b", 1, 0, 0, 50));
	fx_free(&f);
}

static void test_any_of_fastest(void)
{
	fx f;
	/* the group sits in stage 1 (its first member's), costs its fastest
	 * member (3, not 4); in stage 0 it would have hidden behind x (7) */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - name: a\n"
					  "    latency_ms: 0.5\n"
					  "    depends_on:\n"
					  "      - {service: x, stage: 0}\n"
					  "      - any_of: [{service: b, stage: 1}, {service: c, stage: 0}, d]\n"
					  "  - {name: x, latency_ms: 7}\n"
					  "  - {name: b, latency_ms: 4}\n"
					  "  - {name: c, latency_ms: 3}\n"
					  "  - {name: d, latency_ms: 3}\n"
					  "  - {name: s, depends_on: [{any_of: [x, b], kind: soft}]}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "a"), 10.5);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 3);
	CU_ASSERT_TRUE(hop_is(&f, 1, "x", 1, 0, 0, 7));
	CU_ASSERT_TRUE(hop_is(&f, 2, "c", 1, 1, 7, 10)); /* c and d tie: the first declared */
	CU_ASSERT_EQUAL(f.h[2].dep, (uint32_t)th_dep_of(f.cat, "a", "c"));
	/* a soft group still costs time */
	CU_ASSERT_EQUAL(tot(&f, "s"), 4);
	fx_free(&f);
}

static void test_cycle_ignored(void)
{
	fx f;
	/* b <-> c is a cycle; c also calls d; e calls b and (stage 1) c */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [b]}\n"
					  "  - {name: b, latency_ms: 1, depends_on: [c]}\n"
					  "  - {name: c, latency_ms: 2, depends_on: [b, d]}\n"
					  "  - {name: d, latency_ms: 5}\n"
					  "  - {name: e, depends_on: [b, {service: c, stage: 1}]}\n"
					  "  - name: g\n"
					  "    depends_on: [{any_of: [h, d]}]\n"
					  "  - {name: h, latency_ms: 1, depends_on: [g]}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "c"), 7);
	CU_ASSERT_EQUAL(tot(&f, "b"), 1);
	CU_ASSERT_EQUAL(tot(&f, "a"), 1);
	CU_ASSERT_EQUAL(tot(&f, "e"), 8);
	/* g's group: member h is in g's cycle, so the group is timed by d alone */
	CU_ASSERT_EQUAL(tot(&f, "g"), 5);
	CU_ASSERT_EQUAL(tot(&f, "h"), 1);
	CU_ASSERT_EQUAL(dc_critical_ignored_count(f.cp), 4);
	CU_ASSERT_TRUE(dc_critical_call_ignored(f.cp, (size_t)th_dep_of(f.cat, "b", "c")));
	CU_ASSERT_TRUE(dc_critical_call_ignored(f.cp, (size_t)th_dep_of(f.cat, "c", "b")));
	CU_ASSERT_TRUE(dc_critical_call_ignored(f.cp, (size_t)th_dep_of(f.cat, "g", "h")));
	CU_ASSERT_FALSE(dc_critical_call_ignored(f.cp, (size_t)th_dep_of(f.cat, "c", "d")));
	CU_ASSERT_FALSE(dc_critical_call_ignored(f.cp, (size_t)th_dep_of(f.cat, "a", "b")));
	CU_ASSERT_FALSE(dc_critical_call_ignored(f.cp, 12345));
	CU_ASSERT_EQUAL_FATAL(chain(&f, "e"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 4);
	CU_ASSERT_TRUE(hop_is(&f, 0, "e", 0, 0, 0, 8));
	CU_ASSERT_TRUE(hop_is(&f, 1, "b", 1, 0, 0, 1));
	CU_ASSERT_TRUE(f.h[1].in_cycle);
	CU_ASSERT_TRUE(hop_is(&f, 2, "c", 1, 1, 1, 8));
	CU_ASSERT_TRUE(f.h[2].in_cycle);
	CU_ASSERT_TRUE(hop_is(&f, 3, "d", 2, 0, 1, 6));
	CU_ASSERT_FALSE(f.h[3].in_cycle);
	CU_ASSERT_FALSE(f.h[0].in_cycle);
	fx_free(&f);
	/* a group whose members are all in the caller's cycle is no call */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: p, latency_ms: 2, depends_on: [{any_of: [q, r]}]}\n"
					  "  - {name: q, latency_ms: 3, depends_on: [p]}\n"
					  "  - {name: r, latency_ms: 4, depends_on: [p]}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "p"), 2);
	CU_ASSERT_EQUAL(tot(&f, "q"), 3);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "p"), 0);
	CU_ASSERT_EQUAL(f.nh, 1);
	fx_free(&f);
}

static void test_repeated_and_external(void)
{
	fx f;
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [b, {service: c, stage: 1}]}\n"
					  "  - {name: b, latency_ms: 1, depends_on: [d]}\n"
					  "  - {name: c, latency_ms: 1, depends_on: [d, x]}\n"
					  "  - {name: d, latency_ms: 5, depends_on: [ext]}\n"
					  "  - {name: x, external: true, latency_ms: 9}\n"
					  "  - {name: ext, external: true}\n"), 0);
	CU_ASSERT_EQUAL(tot(&f, "ext"), 0);
	CU_ASSERT_EQUAL(tot(&f, "c"), 10);
	CU_ASSERT_EQUAL(tot(&f, "a"), 16);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 6);
	CU_ASSERT_TRUE(hop_is(&f, 1, "b", 1, 0, 0, 6));
	CU_ASSERT_TRUE(hop_is(&f, 2, "d", 2, 0, 0, 5));
	CU_ASSERT_TRUE(hop_is(&f, 3, "ext", 3, 0, 0, 0));
	CU_ASSERT_TRUE(hop_is(&f, 4, "c", 1, 1, 6, 16));
	CU_ASSERT_TRUE(hop_is(&f, 5, "x", 2, 0, 6, 15));
	CU_ASSERT_FALSE(f.h[2].repeated);
	fx_free(&f);
	/* d reached twice: listed again with its own times, not expanded again */
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n"
					  "  - {name: a, depends_on: [b, {service: c, stage: 1}]}\n"
					  "  - {name: b, latency_ms: 1, depends_on: [d]}\n"
					  "  - {name: c, latency_ms: 1, depends_on: [d]}\n"
					  "  - {name: d, latency_ms: 5, depends_on: [e]}\n"
					  "  - {name: e, latency_ms: 1}\n"), 0);
	CU_ASSERT_EQUAL_FATAL(chain(&f, "a"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 6);
	CU_ASSERT_TRUE(hop_is(&f, 0, "a", 0, 0, 0, 14));
	CU_ASSERT_TRUE(hop_is(&f, 3, "e", 3, 0, 0, 1));
	CU_ASSERT_TRUE(hop_is(&f, 4, "c", 1, 1, 7, 14));
	CU_ASSERT_TRUE(hop_is(&f, 5, "d", 2, 0, 7, 13));
	CU_ASSERT_TRUE(f.h[5].repeated);
	CU_ASSERT_EQUAL(f.h[5].parent, 4);
	/* a second chain resets the first */
	CU_ASSERT_EQUAL_FATAL(chain(&f, "c"), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, 3);
	CU_ASSERT_FALSE(f.h[1].repeated);
	fx_free(&f);
}

static void test_api_errors(void)
{
	fx f;
	const dc_critical_hop *h = NULL;
	size_t n = 99;
	dc_critical *cp = (dc_critical *)&n;
	CU_ASSERT_EQUAL(dc_critical_new(&cp, NULL), DC_EINVALID);
	CU_ASSERT_PTR_NULL(cp);
	CU_ASSERT_EQUAL(dc_critical_new(NULL, NULL), DC_EINVALID);
	dc_critical_free(NULL);
	CU_ASSERT_EQUAL(dc_critical_total_ms(NULL, 0), 0);
	CU_ASSERT_EQUAL(dc_critical_ignored_count(NULL), 0);
	CU_ASSERT_EQUAL_FATAL(fx_load(&f, "services:\n  - {name: a, latency_ms: 3}\n"), 0);
	CU_ASSERT_EQUAL(dc_critical_chain(f.cp, 7, &h, &n), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_critical_chain(f.cp, 0, NULL, &n), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_critical_total_ms(f.cp, 7), 0);
	CU_ASSERT_EQUAL(dc_critical_total_ms(f.cp, 0), 3);
	fx_free(&f);
}

/* ---- built catalogs: stages and latencies --------------------------------------- */

typedef struct {
	gen_edge e;
	unsigned stage;
} sedge;

/* A catalog s0..s{n-1} with latencies lat[] and staged edges, finalized. */
static dc_catalog *build(unsigned n, const double *lat, const sedge *e, size_t m)
{
	gen_edge *ge = malloc((m ? m : 1) * sizeof(*ge));
	unsigned *st = malloc((m ? m : 1) * sizeof(*st));
	dc_catalog *cat = NULL;
	size_t k;
	if (ge && st) {
		for (k = 0; k < m; k++) {
			ge[k] = e[k].e;
			st[k] = e[k].stage;
		}
		cat = gen_catalog_ex(n, ge, m, st, lat);
	}
	free(ge);
	free(st);
	return cat;
}

static void test_long_chain(void)
{
	enum { N = 200000 };
	fx f;
	double *lat = malloc(N * sizeof(double));
	sedge *e = malloc(N * sizeof(sedge));
	unsigned i;
	CU_ASSERT_FATAL(lat && e);
	memset(&f, 0, sizeof(f));
	for (i = 0; i < N; i++) {
		lat[i] = 1;
		if (i + 1 < N) {
			memset(&e[i], 0, sizeof(e[i]));
			e[i].e.from = i;
			e[i].e.to = i + 1;
		}
	}
	f.cat = build(N, lat, e, N - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f.cat);
	CU_ASSERT_EQUAL_FATAL(fx_setup(&f), 0);
	CU_ASSERT_EQUAL(dc_critical_total_ms(f.cp, 0), N);
	CU_ASSERT_EQUAL_FATAL(dc_critical_chain(f.cp, 0, &f.h, &f.nh), 0);
	CU_ASSERT_EQUAL_FATAL(f.nh, N);
	CU_ASSERT_EQUAL(f.h[N - 1].depth, N - 1);
	CU_ASSERT_EQUAL(f.h[N - 1].start_ms, 0);
	CU_ASSERT_EQUAL(f.h[N - 1].end_ms, 1);
	fx_free(&f);
	free(lat);
	free(e);
}

/* ---- randomized, against an oracle ----------------------------------------------- */

typedef struct {
	const dc_catalog *cat;
	unsigned n;
	uint8_t *reach;   /* n*n: u reaches v (u == v included) */
	double *memo;
	uint8_t *done;
} oracle;

static int same_comp(const oracle *o, dc_id u, dc_id v)
{
	return o->reach[(size_t)u * o->n + v] && o->reach[(size_t)v * o->n + u];
}

typedef struct {
	unsigned stage;
	double cost;
	uint32_t dep;
} ocall;

/* The calls of v by the definition: one per plain call outside v's
 * component, one per any_of group (first member's stage, fastest member
 * outside the component, first declared on ties); in declaration order. */
static double o_total(oracle *o, dc_id v);

static size_t o_calls(oracle *o, dc_id v, ocall *out)
{
	const dc_catalog *cat = o->cat;
	size_t first = dc_service_dep_first(cat, v), nd = dc_service_dep_count(cat, v), i, j, k = 0;
	for (i = 0; i < nd; i++) {
		size_t d = first + i;
		unsigned grp = dc_dep_group(cat, d);
		if (grp) {
			int seen = 0;
			ocall c = { dc_dep_stage(cat, d), 0, UINT32_MAX };
			for (j = 0; j < i; j++)
				if (dc_dep_group(cat, first + j) == grp)
					seen = 1;
			if (seen)
				continue;
			for (j = i; j < nd; j++) {
				dc_id t = dc_dep_to(cat, first + j);
				double x;
				if (dc_dep_group(cat, first + j) != grp || same_comp(o, v, t))
					continue;
				x = o_total(o, t);
				if (c.dep == UINT32_MAX || x < c.cost) {
					c.cost = x;
					c.dep = (uint32_t)(first + j);
				}
			}
			if (c.dep != UINT32_MAX)
				out[k++] = c;
		} else if (!same_comp(o, v, dc_dep_to(cat, d))) {
			ocall c = { dc_dep_stage(cat, d), o_total(o, dc_dep_to(cat, d)), (uint32_t)d };
			out[k++] = c;
		}
	}
	return k;
}

/* The slowest call of each stage, stages ascending: winners into w. */
static size_t o_stage_winners(oracle *o, dc_id v, ocall *w)
{
	ocall calls[64];
	size_t k = o_calls(o, v, calls), i, nw = 0;
	unsigned s, last = 0;
	int any = 0;
	for (;;) {
		/* the smallest stage above `last` */
		int found = 0;
		unsigned best = 0;
		ocall win = { 0, 0, UINT32_MAX };
		for (i = 0; i < k; i++)
			if ((!any || calls[i].stage > last) && (!found || calls[i].stage < best)) {
				best = calls[i].stage;
				found = 1;
			}
		if (!found)
			break;
		s = best;
		for (i = 0; i < k; i++)
			if (calls[i].stage == s && (win.dep == UINT32_MAX || calls[i].cost > win.cost))
				win = calls[i];
		w[nw++] = win;
		last = s;
		any = 1;
	}
	return nw;
}

static double o_total(oracle *o, dc_id v)
{
	ocall w[64];
	size_t nw, i;
	double sum = 0;
	if (o->done[v])
		return o->memo[v];
	nw = o_stage_winners(o, v, w);
	for (i = 0; i < nw; i++)
		sum += w[i].cost;
	o->memo[v] = dc_service_latency_ms(o->cat, v) + sum;
	o->done[v] = 1;
	return o->memo[v];
}

static void oracle_init(oracle *o, const dc_catalog *cat)
{
	unsigned n = (unsigned)dc_catalog_service_count(cat), u, v, w;
	size_t d;
	o->cat = cat;
	o->n = n;
	o->reach = calloc((size_t)n * n, 1);
	o->memo = calloc(n, sizeof(double));
	o->done = calloc(n, 1);
	for (u = 0; u < n; u++)
		o->reach[(size_t)u * n + u] = 1;
	for (d = 0; d < dc_catalog_dep_count(cat); d++)
		o->reach[(size_t)dc_dep_from(cat, d) * n + dc_dep_to(cat, d)] = 1;
	for (w = 0; w < n; w++) /* Warshall */
		for (u = 0; u < n; u++)
			if (o->reach[(size_t)u * n + w])
				for (v = 0; v < n; v++)
					if (o->reach[(size_t)w * n + v])
						o->reach[(size_t)u * n + v] = 1;
}

static void oracle_free(oracle *o)
{
	free(o->reach);
	free(o->memo);
	free(o->done);
}

static void test_random_vs_oracle(void)
{
	uint64_t seed = 0xC817ull;
	unsigned round, checked_hops = 0, cyclic = 0;
	for (round = 0; round < 400; round++) {
		unsigned n = 2 + gen_below(&seed, 24), i;
		int dag = round % 2 == 0;
		gen_edge *ge;
		size_t m = gen_random(&seed, n, 10 + gen_below(&seed, 30), 30, 25, &ge), k, me;
		sedge *e = malloc((m ? m : 1) * sizeof(sedge));
		double lat[32];
		fx f;
		oracle o;
		memset(&f, 0, sizeof(f));
		for (i = 0; i < n; i++)
			lat[i] = gen_below(&seed, 4) == 0 ? 0 : gen_below(&seed, 30);
		for (k = me = 0; k < m; k++) {
			/* a DAG: keep the edges that point from higher to lower ids
			 * (not swapping them keeps any_of members on one caller) */
			if (dag && ge[k].from < ge[k].to)
				continue;
			e[me].e = ge[k];
			e[me++].stage = gen_below(&seed, 3) == 0 ? 0 : gen_below(&seed, 4);
		}
		f.cat = build(n, lat, e, me);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f.cat);
		CU_ASSERT_EQUAL_FATAL(fx_setup(&f), 0);
		oracle_init(&o, f.cat);
		if (dc_critical_ignored_count(f.cp))
			cyclic++;
		for (i = 0; i < n; i++) {
			double want = o_total(&o, i);
			CU_ASSERT_EQUAL(dc_critical_total_ms(f.cp, i), want);
			if (dc_critical_total_ms(f.cp, i) != want)
				fprintf(stderr, "round %u: total(s%u) = %g, oracle %g\n", round, i,
					dc_critical_total_ms(f.cp, i), want);
		}
		for (k = 0; k < dc_catalog_dep_count(f.cat); k++)
			CU_ASSERT_EQUAL(dc_critical_call_ignored(f.cp, k) != 0,
					same_comp(&o, dc_dep_from(f.cat, k), dc_dep_to(f.cat, k)));
		/* chains: every expanded hop's children are its stage winners, in
		 * stage order, with accumulated start times; repeats are expanded
		 * earlier in the same tree */
		for (i = 0; i < n; i++) {
			size_t h, c;
			CU_ASSERT_EQUAL_FATAL(dc_critical_chain(f.cp, i, &f.h, &f.nh), 0);
			CU_ASSERT_FATAL(f.nh >= 1);
			CU_ASSERT_EQUAL(f.h[0].service, i);
			CU_ASSERT_EQUAL(f.h[0].end_ms, o_total(&o, i));
			CU_ASSERT(f.nh <= dc_catalog_dep_count(f.cat) + 1);
			for (h = 0; h < f.nh; h++) {
				ocall w[64];
				size_t nw, got = 0;
				double at = f.h[h].start_ms;
				CU_ASSERT_EQUAL(f.h[h].end_ms, f.h[h].start_ms + o_total(&o, f.h[h].service));
				if (f.h[h].repeated) {
					int earlier = 0;
					for (c = 0; c < h; c++)
						if (f.h[c].service == f.h[h].service && !f.h[c].repeated)
							earlier = 1;
					CU_ASSERT_TRUE(earlier);
					for (c = h + 1; c < f.nh; c++)
						CU_ASSERT_NOT_EQUAL(f.h[c].parent, h);
					continue;
				}
				nw = o_stage_winners(&o, f.h[h].service, w);
				for (c = h + 1; c < f.nh; c++) {
					if (f.h[c].parent != h)
						continue;
					CU_ASSERT_FATAL(got < nw);
					CU_ASSERT_EQUAL(f.h[c].dep, w[got].dep);
					CU_ASSERT_EQUAL(f.h[c].service, dc_dep_to(f.cat, w[got].dep));
					CU_ASSERT_EQUAL(f.h[c].stage, w[got].stage);
					CU_ASSERT_EQUAL(f.h[c].depth, f.h[h].depth + 1);
					CU_ASSERT_EQUAL(f.h[c].start_ms, at);
					at += w[got].cost;
					got++;
				}
				CU_ASSERT_EQUAL(got, nw);
				checked_hops++;
			}
		}
		oracle_free(&o);
		fx_free(&f);
		free(ge);
		free(e);
	}
	CU_ASSERT(checked_hops > 5000);
	CU_ASSERT(cyclic > 50);
}

int suite_critical(void)
{
	static const th_test tests[] = {
		{ "stages add", test_stages_add },
		{ "parallel calls: the max, first on ties", test_parallel_max_and_ties },
		{ "soft calls count", test_soft_counts },
		{ "any_of: fastest member, first member's stage", test_any_of_fastest },
		{ "calls inside a cycle are ignored", test_cycle_ignored },
		{ "repeated hops and external services", test_repeated_and_external },
		{ "API errors", test_api_errors },
		{ "200,000-service chain", test_long_chain },
		{ "random graphs vs oracle", test_random_vs_oracle },
		{ NULL, NULL }
	};
	return th_suite("critical", tests);
}
