/*
 * test_availability.c - effective availability, importance and cut sets
 * (lib/availability.c): hand-solved graphs (series, any_of, shared
 * dependency, cycles, replicas, zones with and without zone failures), then
 * seeded random graphs with cycles, soft edges and any_of groups compared
 * with brute force over every failure state evaluated by dc_impact (the
 * engine behind simulate): exact values to 1e-9, Monte Carlo within its
 * interval, importance by conditioning, cut sets by trying every set of up
 * to three services. Seeds reproduce across thread counts.
 */
#include "helpers.h"
#include "gen.h"
#include "availability_int.h"

#include <math.h>
#include <stdio.h>

static dc_availability *run(dc_graph *g, const dc_availability_options *o)
{
	dc_availability *a = NULL;
	CU_ASSERT_EQUAL(dc_availability_compute(&a, g, o), 0);
	return a;
}

static double av(const dc_availability *a, const dc_catalog *cat, const char *name)
{
	const dc_availability_estimate *e = dc_availability_of(a, th_id(cat, name));
	return e ? e->availability : -1;
}

#define NEAR(x, y) CU_ASSERT(fabs((x) - (y)) < 1e-12)

static void test_hand(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_availability *a;
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	const dc_importance *imp;
	const dc_cut_set *cs;
	dc_avail_method meth;
	int complete;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "a.yaml",
				      "defaults: {availability: 0.9}\n"
				      "services:\n"
				      "  - {name: series, entrypoint: true, depends_on: [a]}\n"
				      "  - {name: a, depends_on: [b]}\n"
				      "  - {name: b}\n"
				      "  - {name: par, entrypoint: true, depends_on: [{any_of: [x, y]}]}\n"
				      "  - {name: x}\n  - {name: y}\n"
				      "  - {name: shared, entrypoint: true, depends_on: [{any_of: [s1, s2]}]}\n"
				      "  - {name: s1, depends_on: [c]}\n"
				      "  - {name: s2, depends_on: [c]}\n"
				      "  - {name: c}\n"
				      "  - {name: cyc, entrypoint: true, depends_on: [p]}\n"
				      "  - {name: p, depends_on: [q]}\n"
				      "  - {name: q, depends_on: [p]}\n"
				      "  - {name: soft, entrypoint: true, depends_on: [{service: b, kind: soft}]}\n"
				      "  - {name: rep, replicas: 3}\n"
				      "  - {name: perfect, availability: 1}\n",
				      DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = run(g, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	/* one estimate per service, none past the last */
	CU_ASSERT_EQUAL(dc_availability_count(a), 16);
	CU_ASSERT_PTR_NOT_NULL(dc_availability_of(a, 15));
	CU_ASSERT_PTR_NULL(dc_availability_of(a, 16));
	NEAR(av(a, cat, "series"), 0.729);
	NEAR(av(a, cat, "par"), 0.9 * 0.99);
	NEAR(av(a, cat, "shared"), 0.9 * 0.9 * 0.99);
	NEAR(av(a, cat, "cyc"), 0.729);
	NEAR(av(a, cat, "p"), 0.81);
	NEAR(av(a, cat, "soft"), 0.9);
	NEAR(av(a, cat, "rep"), 0.9);
	NEAR(av(a, cat, "perfect"), 1);
	CU_ASSERT_EQUAL(dc_availability_of(a, th_id(cat, "series"))->method, DC_AVAIL_EXACT);
	CU_ASSERT_EQUAL(dc_availability_trials(a), 0);
	/* importance for series: every member B = product of the others */
	n = dc_availability_importance(a, th_id(cat, "series"), &imp, &meth, NULL);
	CU_ASSERT_EQUAL(meth, DC_AVAIL_EXACT);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	NEAR(imp[0].birnbaum, 0.81);
	/* FV of each of the three: (U - U(i perfect)) / U = (0.271 - 0.19) / 0.271 */
	NEAR(imp[0].fussell_vesely, (0.271 - 0.19) / 0.271);
	/* par: B(x) = A(y) = 0.9 * ... with par itself up: 0.9 * 0.1 */
	n = dc_availability_importance(a, th_id(cat, "par"), &imp, &meth, NULL);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(imp[0].service, th_id(cat, "par"));
	NEAR(imp[0].birnbaum, 0.99);
	NEAR(imp[1].birnbaum, 0.09);
	CU_ASSERT_EQUAL(imp[1].service, th_id(cat, "x"));
	/* cut sets: series: {a}, {b}; par: {x, y}; shared: {c}, {s1, s2} */
	n = dc_availability_cut_sets(a, th_id(cat, "series"), &cs, &complete);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(complete);
	n = dc_availability_cut_sets(a, th_id(cat, "par"), &cs, NULL);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(cs[0].order, 2);
	NEAR(cs[0].probability, 0.01);
	n = dc_availability_cut_sets(a, th_id(cat, "shared"), &cs, NULL);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(cs[0].order, 1);
	CU_ASSERT_EQUAL(cs[0].services[0], th_id(cat, "c"));
	CU_ASSERT_EQUAL(cs[1].order, 2);
	/* soft: nothing takes it down but itself */
	CU_ASSERT_EQUAL(dc_availability_cut_sets(a, th_id(cat, "soft"), &cs, NULL), 0);
	dc_availability_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

static void test_zones(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_availability *a;
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "z.yaml",
				      "defaults: {availability: 0.9}\n"
				      "services:\n"
				      "  - {name: two, replicas: 2, zones: [z1, z2]}\n"
				      "  - {name: spread, zones: [z1, z2, z3]}\n"
				      "  - {name: e, entrypoint: true, zones: [z1], depends_on: [x]}\n"
				      "  - {name: x, zones: [z1]}\n"
				      "  - {name: four, replicas: 4, zones: [z1, z2]}\n",
				      DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = run(g, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	/* without zone failures the declared availability is the service's own */
	NEAR(av(a, cat, "two"), 0.9);
	NEAR(av(a, cat, "spread"), 0.9);
	NEAR(av(a, cat, "e"), 0.81);
	NEAR(av(a, cat, "four"), 0.9);
	dc_availability_free(a);
	o.zone_failure = 0.1;
	a = run(g, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	/* per zone: the zone down, or its replica down (each 0.1^(1/2)) */
	NEAR(av(a, cat, "two"), 1 - pow(0.1 + 0.9 * sqrt(0.1), 2));
	NEAR(av(a, cat, "spread"), 1 - pow(0.1 + 0.9 * cbrt(0.1), 3));
	/* e and x share z1: up iff z1 up and both up */
	NEAR(av(a, cat, "e"), 0.9 * 0.9 * 0.9);
	/* two replicas per zone, each 0.1^(1/4): the same as `two` */
	NEAR(av(a, cat, "four"), 1 - pow(0.1 + 0.9 * sqrt(0.1), 2));
	dc_availability_free(a);
	/* Monte Carlo on the same: within the interval */
	o.flags = DC_AVAIL_FORCE_MC;
	o.trials = 200000;
	a = run(g, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	{
		const dc_availability_estimate *est = dc_availability_of(a, th_id(cat, "e"));
		CU_ASSERT_EQUAL(est->method, DC_AVAIL_MONTE_CARLO);
		CU_ASSERT(est->ci_low <= 0.729 && 0.729 <= est->ci_high);
		est = dc_availability_of(a, th_id(cat, "two"));
		CU_ASSERT(est->ci_low <= 1 - pow(0.1 + 0.9 * sqrt(0.1), 2) &&
			  1 - pow(0.1 + 0.9 * sqrt(0.1), 2) <= est->ci_high);
	}
	dc_availability_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* ---- brute force ------------------------------------------------------------ */

/* every service's availability and, for entrypoint `ep`, the importance of
 * each service, by enumerating all 2^n own-failure states (no zones) and
 * asking dc_impact which services are DOWN */
static void brute(dc_graph *g, const double *p, dc_id ep, double *avail, double *bir, double *fv)
{
	size_t n = dc_graph_node_count(g), s, v, i;
	dc_impact *imp;
	dc_id seeds[32];
	double *up0 = calloc(n, sizeof(double)), *up1 = calloc(n, sizeof(double)), u = 0;
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
	for (v = 0; v < n; v++)
		avail[v] = 0;
	for (s = 0; s < ((size_t)1 << n); s++) {
		size_t ns = 0;
		double w = 1;
		for (v = 0; v < n; v++) {
			if ((s >> v) & 1) {
				seeds[ns++] = (dc_id)v;
				w *= p[v];
			} else {
				w *= 1 - p[v];
			}
		}
		dc_impact_run(imp, seeds, ns, NULL, 0);
		for (v = 0; v < n; v++)
			if (dc_impact_state(imp, (dc_id)v) != DC_STATE_DOWN)
				avail[v] += w;
		if (dc_impact_state(imp, ep) == DC_STATE_DOWN) {
			u += w;
			continue;
		}
		/* ep up: add to A(ep | i up or down) with weights excluding i */
		for (i = 0; i < n; i++) {
			double wi = 1;
			for (v = 0; v < n; v++)
				if (v != i)
					wi *= (s >> v) & 1 ? p[v] : 1 - p[v];
			if ((s >> i) & 1)
				up1[i] += wi;
			else
				up0[i] += wi;
		}
	}
	for (i = 0; i < n; i++) {
		bir[i] = up0[i] - up1[i];
		/* U(i perfect) = 1 - A(ep | i up) */
		fv[i] = u > 0 ? (u - (1 - up0[i])) / u : 0;
	}
	dc_impact_free(imp);
	free(up0);
	free(up1);
}

static dc_catalog *random_catalog(uint64_t *seed, unsigned n, double *p)
{
	gen_edge *e;
	size_t m = gen_random(seed, n, 15, 15, 30, &e), v;
	dc_catalog *cat = gen_catalog(n, e, m);
	free(e);
	if (!cat)
		return NULL;
	for (v = 0; v < n; v++) {
		double a = 0.5 + 0.45 * (double)gen_below(seed, 1000) / 1000.0;
		if (gen_below(seed, 10) == 0)
			a = 1;
		cat_svc(cat, (dc_id)v)->availability = a;
		p[v] = 1 - a;
	}
	return cat;
}

static int imp_of(const dc_availability *a, dc_id e, dc_id s, double *b, double *fv)
{
	const dc_importance *rows;
	size_t n = dc_availability_importance(a, e, &rows, NULL, NULL), i;
	*b = *fv = 0;
	for (i = 0; i < n; i++)
		if (rows[i].service == s) {
			*b = rows[i].birnbaum;
			*fv = rows[i].fussell_vesely;
			return 1;
		}
	return 0;
}

static void test_random_exact_mc(void)
{
	uint64_t seed = 7;
	unsigned iter, bad_mc = 0, checked_mc = 0;
	for (iter = 0; iter < 40; iter++) {
		unsigned n = 4 + gen_below(&seed, 9), ep;
		double p[16], avail[16], bir[16], fv[16];
		dc_catalog *cat = random_catalog(&seed, n, p);
		dc_graph *g;
		dc_availability *a, *mc;
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		uint64_t up[16];
		size_t v;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		ep = gen_below(&seed, n);
		brute(g, p, ep, avail, bir, fv);
		a = run(g, &o);
		o.flags = DC_AVAIL_FORCE_MC;
		o.trials = 100000 + gen_below(&seed, 1000);
		o.seed = iter;
		mc = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
		CU_ASSERT_EQUAL(avail_scalar_reference(g, 20000, iter, 0, up), 0);
		for (v = 0; v < n; v++) {
			const dc_availability_estimate *x = dc_availability_of(a, (dc_id)v);
			const dc_availability_estimate *y = dc_availability_of(mc, (dc_id)v);
			double var = avail[v] * (1 - avail[v]) > 0 ? avail[v] * (1 - avail[v]) : 0;
			double sref = (double)up[v] / 20000, sd = sqrt(var / 20000);
			CU_ASSERT_EQUAL(x->method, DC_AVAIL_EXACT);
			CU_ASSERT(fabs(x->availability - avail[v]) < 1e-9);
			CU_ASSERT_EQUAL(y->method, DC_AVAIL_MONTE_CARLO);
			checked_mc++;
			if (!(y->ci_low <= avail[v] && avail[v] <= y->ci_high))
				bad_mc++;
			/* a 3.5-sigma band never fails with these seeds */
			CU_ASSERT(fabs(y->availability - avail[v]) <=
				  3.5 * sqrt(var / (double)o.trials) + 1e-9);
			CU_ASSERT(fabs(sref - avail[v]) <= 4 * sd + 1e-9);
		}
		if (dc_service_is_entrypoint(cat, ep))
			for (v = 0; v < n; v++) {
				double b, f, b2, f2;
				imp_of(a, ep, (dc_id)v, &b, &f);
				CU_ASSERT(fabs(b - bir[v]) < 1e-9);
				CU_ASSERT(fabs(f - fv[v]) < 1e-9);
				/* Monte Carlo importance: loose band (common random numbers) */
				imp_of(mc, ep, (dc_id)v, &b2, &f2);
				CU_ASSERT(fabs(b2 - bir[v]) < 0.02);
				CU_ASSERT(fabs(f2 - fv[v]) < 0.05);
			}
		dc_availability_free(a);
		dc_availability_free(mc);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
	/* 95 % intervals: about 5 % outside */
	CU_ASSERT(checked_mc > 100);
	CU_ASSERT(bad_mc * 100 <= checked_mc * 10);
}

/* zones: random zone lists and replica counts, zone failures; brute force
 * over zone states x own states, with P(own | zones) from the replica
 * placement (round-robin), states from dc_impact */
static void test_random_zones(void)
{
	uint64_t seed = 11;
	unsigned iter;
	for (iter = 0; iter < 25; iter++) {
		unsigned n = 3 + gen_below(&seed, 4), nzones = 3, v, k;
		double p[16], pz = 0.05 + 0.3 * (double)gen_below(&seed, 100) / 100, *avail;
		dc_catalog *cat = random_catalog(&seed, n, p);
		uint32_t zid[3];
		unsigned zmask[16][3], reps[16], nzs[16];
		dc_graph *g;
		dc_impact *imp;
		dc_availability *a, *mc;
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		size_t zs, s;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		zid[0] = cat_intern(cat, "za");
		zid[1] = cat_intern(cat, "zb");
		zid[2] = cat_intern(cat, "zc");
		for (v = 0; v < n; v++) {
			svc_t *sv = cat_svc(cat, (dc_id)v);
			unsigned nz = gen_below(&seed, 4), first = gen_below(&seed, 3);
			sv->replicas = 1 + gen_below(&seed, 4);
			sv->zones = (uint32_t)cat->strlists.len;
			sv->nzones = nz;
			for (k = 0; k < nz; k++)
				CU_ASSERT_EQUAL_FATAL(dc_vec_push(&cat->strlists, zid[(first + k) % 3]), 0);
			nzs[v] = nz;
			reps[v] = sv->replicas < nz ? nz : sv->replicas;
			for (k = 0; k < 3; k++)
				zmask[v][k] = 0;
			/* replicas in each listed zone (round-robin) */
			for (k = 0; k < reps[v] && nz; k++)
				zmask[v][(first + k % nz) % 3]++;
		}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		avail = calloc(n, sizeof(double));
		for (zs = 0; zs < 8; zs++) {
			double wz = 1, pown[16];
			for (k = 0; k < nzones; k++)
				wz *= (zs >> k) & 1 ? pz : 1 - pz;
			for (v = 0; v < n; v++) {
				if (!nzs[v]) {
					pown[v] = p[v];
					continue;
				}
				pown[v] = 1;
				for (k = 0; k < 3; k++)
					if (zmask[v][k] && !((zs >> k) & 1))
						pown[v] *= pow(p[v], (double)zmask[v][k] / reps[v]);
			}
			for (s = 0; s < ((size_t)1 << n); s++) {
				dc_id seeds[16];
				size_t ns = 0;
				double w = wz;
				for (v = 0; v < n; v++) {
					if ((s >> v) & 1) {
						seeds[ns++] = (dc_id)v;
						w *= pown[v];
					} else {
						w *= 1 - pown[v];
					}
				}
				dc_impact_run(imp, seeds, ns, NULL, 0);
				for (v = 0; v < n; v++)
					if (dc_impact_state(imp, (dc_id)v) != DC_STATE_DOWN)
						avail[v] += w;
			}
		}
		o.zone_failure = pz;
		o.exact_max = 24;  /* up to 6 x 3 replica events + 3 zones */
		a = run(g, &o);
		o.flags = DC_AVAIL_FORCE_MC;
		o.trials = 60000;
		mc = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
		for (v = 0; v < n; v++) {
			double var = avail[v] * (1 - avail[v]) > 0 ? avail[v] * (1 - avail[v]) : 0;
			CU_ASSERT_EQUAL(dc_availability_of(a, v)->method, DC_AVAIL_EXACT);
			CU_ASSERT(fabs(dc_availability_of(a, v)->availability - avail[v]) < 1e-9);
			CU_ASSERT(fabs(dc_availability_of(mc, v)->availability - avail[v]) <=
				  4 * sqrt(var / 60000) + 1e-9);
		}
		free(avail);
		dc_availability_free(a);
		dc_availability_free(mc);
		dc_impact_free(imp);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

static void count_progress(uint64_t done, uint64_t total, void *ctx)
{
	uint64_t *c = ctx;
	c[0]++;
	c[1] = done;
	c[2] = total;
}

/* exact for the small closures, Monte Carlo (and MC importance) for the
 * others, in one run; progress reaches its total */
static void test_mixed(void)
{
	uint64_t seed = 21;
	unsigned iter;
	for (iter = 0; iter < 10; iter++) {
		unsigned n = 10 + gen_below(&seed, 4), ep;
		double p[16], avail[16], bir[16], fv[16];
		dc_catalog *cat = random_catalog(&seed, n, p);
		dc_graph *g;
		dc_availability *a;
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		uint64_t prog[3] = { 0, 0, 0 };
		size_t v, nexact = 0, nmc = 0;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		ep = gen_below(&seed, n);
		brute(g, p, ep, avail, bir, fv);
		o.exact_max = 3;
		o.trials = 100000;
		o.progress = count_progress;
		o.progress_ctx = prog;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		for (v = 0; v < n; v++) {
			const dc_availability_estimate *x = dc_availability_of(a, (dc_id)v);
			double var = avail[v] * (1 - avail[v]) > 0 ? avail[v] * (1 - avail[v]) : 0;
			if (x->method == DC_AVAIL_EXACT) {
				nexact++;
				CU_ASSERT(x->events <= 3);
				CU_ASSERT(fabs(x->availability - avail[v]) < 1e-9);
			} else {
				nmc++;
				CU_ASSERT_EQUAL(x->method, DC_AVAIL_MONTE_CARLO);
				CU_ASSERT_EQUAL(x->trials, 100000);
				CU_ASSERT(fabs(x->availability - avail[v]) <= 3.5 * sqrt(var / 100000) + 1e-9);
			}
		}
		if (nmc) {
			CU_ASSERT_EQUAL(dc_availability_trials(a), 100000);
			CU_ASSERT(prog[0] > 0);
			CU_ASSERT_EQUAL(prog[1], prog[2]);
		} else {
			CU_ASSERT_EQUAL(prog[0], 0);
		}
		if (dc_service_is_entrypoint(cat, ep))
			for (v = 0; v < n; v++) {
				double b, f;
				imp_of(a, ep, (dc_id)v, &b, &f);
				CU_ASSERT(fabs(b - bir[v]) < 0.02);
				CU_ASSERT(fabs(f - fv[v]) < 0.05);
			}
		dc_availability_free(a);
		/* never Monte Carlo: the big ones are not computed */
		o.flags = DC_AVAIL_EXACT_ONLY;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_EQUAL(dc_availability_trials(a), 0);
		for (v = 0; v < n; v++) {
			const dc_availability_estimate *x = dc_availability_of(a, (dc_id)v);
			CU_ASSERT(x->method == (x->events <= 3 ? DC_AVAIL_EXACT : DC_AVAIL_NONE));
		}
		dc_availability_free(a);
		CU_ASSERT_EQUAL(nexact + nmc, n);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

static void test_threads(void)
{
	uint64_t seed = 99;
	unsigned n = 60, t;
	double p[60];
	dc_catalog *cat = random_catalog(&seed, n, p);
	dc_graph *g;
	dc_availability *ref = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	for (t = 1; t <= 4; t++) {
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_availability *a;
		size_t v, k;
		o.flags = DC_AVAIL_FORCE_MC;
		o.trials = 50001;
		o.seed = 12345;
		o.threads = t;
		o.zone_failure = 0.05;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		if (!ref) {
			ref = a;
			continue;
		}
		for (v = 0; v < n; v++) {
			const dc_importance *r1, *r2;
			size_t n1 = dc_availability_importance(ref, (dc_id)v, &r1, NULL, NULL);
			size_t n2 = dc_availability_importance(a, (dc_id)v, &r2, NULL, NULL);
			CU_ASSERT(dc_availability_of(a, (dc_id)v)->availability ==
				  dc_availability_of(ref, (dc_id)v)->availability);
			CU_ASSERT_EQUAL(n1, n2);
			for (k = 0; n1 == n2 && k < n1; k++)
				CU_ASSERT(r1[k].service == r2[k].service && r1[k].birnbaum == r2[k].birnbaum &&
					  r1[k].fussell_vesely == r2[k].fussell_vesely);
		}
		dc_availability_free(a);
	}
	/* another seed gives another estimate */
	{
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_availability *a;
		size_t v, diff = 0;
		o.flags = DC_AVAIL_FORCE_MC;
		o.trials = 50001;
		o.seed = 54321;
		o.zone_failure = 0.05;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		for (v = 0; v < n; v++)
			diff += dc_availability_of(a, (dc_id)v)->availability !=
				dc_availability_of(ref, (dc_id)v)->availability;
		CU_ASSERT(diff > 0);
		dc_availability_free(a);
	}
	dc_availability_free(ref);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* ---- cut sets vs brute force -------------------------------------------------- */

static int down_with(dc_impact *imp, dc_id e, const dc_id *s, size_t k)
{
	dc_impact_run(imp, s, k, NULL, 0);
	return dc_impact_state(imp, e) == DC_STATE_DOWN;
}

static int has_cut(const dc_cut_set *cs, size_t n, const dc_id *s, unsigned k)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (cs[i].order == k && !memcmp(cs[i].services, s, k * sizeof(dc_id)))
			return 1;
	return 0;
}

static void test_cuts(void)
{
	uint64_t seed = 3;
	unsigned iter;
	for (iter = 0; iter < 60; iter++) {
		unsigned n = 4 + gen_below(&seed, 12);
		double p[16];
		dc_catalog *cat = random_catalog(&seed, n, p);
		dc_graph *g;
		dc_impact *imp;
		dc_availability *a;
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_id e, x, y, z;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, g), 0);
		o.max_order = 3;
		o.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_EXACT_ONLY;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		for (e = 0; e < n; e++) {
			const dc_cut_set *cs;
			size_t ncs, found = 0;
			int complete;
			if (!dc_service_is_entrypoint(cat, e))
				continue;
			ncs = dc_availability_cut_sets(a, e, &cs, &complete);
			CU_ASSERT(complete);
			for (x = 0; x < n; x++) {
				dc_id s1[1] = { x };
				int c1 = x != e && down_with(imp, e, s1, 1);
				if (x == e)
					continue;
				found += c1;
				CU_ASSERT_EQUAL(c1, has_cut(cs, ncs, s1, 1));
				for (y = x + 1; y < n; y++) {
					dc_id s2[2] = { x, y }, sy[1] = { y };
					int c2;
					if (y == e)
						continue;
					c2 = !c1 && !down_with(imp, e, sy, 1) && down_with(imp, e, s2, 2);
					found += c2;
					CU_ASSERT_EQUAL(c2, has_cut(cs, ncs, s2, 2));
					for (z = y + 1; z < n; z++) {
						dc_id s3[3] = { x, y, z }, sz[1] = { z }, p1[2] = { x, z }, p2[2] = { y, z };
						int c3;
						if (z == e)
							continue;
						c3 = !c1 && !down_with(imp, e, sy, 1) && !down_with(imp, e, sz, 1) &&
						     !down_with(imp, e, s2, 2) && !down_with(imp, e, p1, 2) &&
						     !down_with(imp, e, p2, 2) && down_with(imp, e, s3, 3);
						found += c3;
						CU_ASSERT_EQUAL(c3, has_cut(cs, ncs, s3, 3));
					}
				}
			}
			CU_ASSERT_EQUAL(found, ncs);
		}
		dc_availability_free(a);
		dc_impact_free(imp);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

/* cut sets of a bigger graph (many candidates, several sweeps per
 * candidate) do not depend on the thread count */
static void test_cuts_threads(void)
{
	uint64_t seed = 5;
	gen_edge *e;
	size_t m = gen_random(&seed, 700, 12, 10, 40, &e), k;
	dc_catalog *cat = gen_catalog(700, e, m);
	dc_graph *g;
	dc_availability *ref = NULL;
	unsigned t;
	free(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	for (t = 1; t <= 3; t++) {
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_availability *a;
		const dc_id *eps;
		size_t neps, i, pairs = 0;
		o.threads = t;
		o.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_EXACT_ONLY;
		a = run(g, &o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		neps = dc_availability_entrypoints(a, &eps);
		for (i = 0; i < neps; i++) {
			const dc_cut_set *c1, *c2;
			int complete;
			size_t n1 = dc_availability_cut_sets(a, eps[i], &c1, &complete);
			CU_ASSERT(complete);
			for (k = 0; k < n1; k++)
				pairs += c1[k].order == 2;
			if (!ref)
				continue;
			CU_ASSERT_EQUAL(n1, dc_availability_cut_sets(ref, eps[i], &c2, NULL));
			for (k = 0; k < n1; k++)
				CU_ASSERT(c1[k].order == c2[k].order &&
					  !memcmp(c1[k].services, c2[k].services, sizeof(c1[k].services)));
		}
		CU_ASSERT(pairs > 0);
		if (!ref)
			ref = a;
		else
			dc_availability_free(a);
	}
	dc_availability_free(ref);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_options(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_availability *a = NULL;
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "o.yaml", "services:\n  - {name: a}\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	o.max_order = 4;
	CU_ASSERT_EQUAL(dc_availability_compute(&a, g, &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(a);
	o.max_order = 0;
	o.zone_failure = 1.5;
	CU_ASSERT_EQUAL(dc_availability_compute(&a, g, &o), DC_EINVALID);
	o.zone_failure = 0;
	o.exact_max = 30;
	CU_ASSERT_EQUAL(dc_availability_compute(&a, g, &o), DC_EINVALID);
	CU_ASSERT_STRING_EQUAL(dc_avail_method_name(DC_AVAIL_MONTE_CARLO), "monte-carlo");
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* SLO misses and the report order (dc_availability_rank), by hand:
 *   a 0.9 (slo 0.99: short by 0.09), b 0.95 (slo 0.99: short by 0.04),
 *   c 0.999 (slo 0.99: met), d 0.98 (slo 0.98: met, exactly), e 0.5 and
 *   f 0.7 (no slo), g 0.98 (slo 0.99 -> short by 0.01) */
static void test_rank(void)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_availability *a;
	dc_id rows[7];
	size_t nmiss = 0, nslo = 0, i;
	static const char *const want[] = { "a", "b", "g", "d", "c", "e", "f" };
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "r.yaml",
		"services:\n"
		"  - { name: f, availability: 0.7 }\n"
		"  - { name: e, availability: 0.5 }\n"
		"  - { name: d, availability: 0.98, slo: 0.98 }\n"
		"  - { name: c, availability: 0.999, slo: 0.99 }\n"
		"  - { name: g, availability: 0.98, slo: 0.99 }\n"
		"  - { name: b, availability: 0.95, slo: 0.99 }\n"
		"  - { name: a, availability: 0.9, slo: 0.99 }\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = run(g, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(dc_availability_rank(a, g, rows, &nmiss, &nslo), 0);
	CU_ASSERT_EQUAL(nmiss, 3);
	CU_ASSERT_EQUAL(nslo, 5);
	for (i = 0; i < 7; i++) {
		CU_ASSERT_STRING_EQUAL(dc_service_name(cat, rows[i]), want[i]);
		CU_ASSERT_EQUAL(dc_availability_misses_slo(a, g, rows[i]), i < 3);
	}
	CU_ASSERT_EQUAL(dc_availability_misses_slo(a, g, 99), 0);
	CU_ASSERT_EQUAL(dc_availability_rank(a, g, rows, NULL, NULL), 0);
	dc_availability_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

/* The gate (dc_availability_gate): an entrypoint's miss fails it, a miss
 * of a service that is not one does not. web (entrypoint: nothing depends
 * on it) calls db: web 0.999 * db 0.9 = 0.8991 */
static int gate_of(const char *web_slo)
{
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
	dc_availability *a;
	char yaml[256];
	int gate;
	snprintf(yaml, sizeof(yaml),
		 "services:\n"
		 "  - { name: web, availability: 0.999, %s depends_on: [db] }\n"
		 "  - { name: db, availability: 0.9, slo: 0.99 }\n", web_slo);
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &diags, "gate.yaml", yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	a = run(g, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT(dc_service_is_entrypoint(cat, th_id(cat, "web")));
	CU_ASSERT(!dc_service_is_entrypoint(cat, th_id(cat, "db")));
	CU_ASSERT(dc_availability_misses_slo(a, g, th_id(cat, "db")));
	gate = dc_availability_gate(a, g);
	dc_availability_free(a);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	return gate;
}

static void test_gate(void)
{
	CU_ASSERT_EQUAL(gate_of(""), 0);               /* web has no SLO */
	CU_ASSERT_EQUAL(gate_of("slo: 0.8,"), 0);      /* web meets it; db's miss does not fail */
	CU_ASSERT_EQUAL(gate_of("slo: 0.8991,"), 0);   /* exactly met */
	CU_ASSERT_EQUAL(gate_of("slo: 0.9,"), 1);      /* web misses */
	CU_ASSERT_EQUAL(gate_of("slo: 0.99999,"), 1);
}

int suite_availability(void)
{
	static const th_test tests[] = {
		{ "hand-solved graphs", test_hand },
		{ "replicas and zones", test_zones },
		{ "random graphs: exact and Monte Carlo vs brute force", test_random_exact_mc },
		{ "random graphs with zones and zone failures vs brute force", test_random_zones },
		{ "exact and Monte Carlo in one run, progress", test_mixed },
		{ "same seed, any thread count", test_threads },
		{ "cut sets vs brute force", test_cuts },
		{ "cut sets, any thread count", test_cuts_threads },
		{ "options", test_options },
		{ "SLO misses and report order", test_rank },
		{ "the gate: entrypoints' misses only", test_gate },
		{ NULL, NULL }
	};
	return th_suite("availability", tests);
}
