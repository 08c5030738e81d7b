/*
 * gen.h - seeded random graphs for the graph and impact suites, built
 * through the catalog builder (lib/catalog_int.h) so that big graphs cost
 * no text parsing. A tiny PRNG (splitmix64) with fixed seeds keeps every
 * run identical.
 */
#ifndef DC_TEST_GEN_H
#define DC_TEST_GEN_H

#include <stdio.h>
#include <stdlib.h>

#include "catalog_build.h"

static inline uint64_t gen_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static inline unsigned gen_below(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(gen_next(s) % n) : 0;
}

/* or'ed into gen_edge.kind of a soft edge: a telemetry edge (dep_telemetry) */
#define GEN_TELEMETRY 0x10

typedef struct {
	unsigned from, to;
	int kind;        /* DC_DEP_HARD / DC_DEP_SOFT, the latter maybe | GEN_TELEMETRY */
	unsigned group;  /* 0, or a group number local to the graph (same `from` for all members) */
} gen_edge;

/* A catalog of services s0..s{n-1} (or names[0..n-1], distinct) with the
 * given dependencies, finalized. Local group numbers become catalog any_of
 * groups. `stages` (per edge), `latency` (per service) and `names` may be
 * NULL. Returns NULL on failure. */
static inline dc_catalog *gen_catalog_named(unsigned n, const gen_edge *e, size_t m, const unsigned *stages,
					    const double *latency, const char *const *names)
{
	dc_catalog *cat;
	dc_loc_int loc = { 0, 0, 0 };
	uint32_t *ref = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t gmap[4096];
	char name[32];
	unsigned i;
	size_t k;
	if (!ref || dc_catalog_new(&cat)) {
		free(ref);
		return NULL;
	}
	memset(gmap, 0, sizeof(gmap));
	for (i = 0; i < n; i++) {
		dc_id id;
		snprintf(name, sizeof(name), "s%u", i);
		ref[i] = cat_intern(cat, names ? names[i] : name);
		if (!ref[i] || cat_add_service(cat, ref[i], loc, DC_FORMAT_NATIVE, NULL, &id) || id != i)
			goto fail;
		if (latency)
			cat_svc(cat, id)->latency_ms = latency[i];
	}
	for (k = 0; k < m; k++) {
		dep_t d;
		cat_dep_init(&d, e[k].from, ref[e[k].to], loc);
		d.kind = (uint8_t)(e[k].kind & ~GEN_TELEMETRY);
		d.telemetry = (e[k].kind & GEN_TELEMETRY) != 0;
		if (stages)
			d.stage = stages[k];
		if (e[k].group) {
			if (e[k].group >= 4096)
				goto fail;
			if (!gmap[e[k].group])
				gmap[e[k].group] = cat_new_group(cat);
			d.group = gmap[e[k].group];
		}
		if (cat_add_dep(cat, &d))
			goto fail;
	}
	free(ref);
	if (dc_catalog_finalize(cat, NULL)) {
		dc_catalog_free(cat);
		return NULL;
	}
	return cat;
fail:
	free(ref);
	dc_catalog_free(cat);
	return NULL;
}

static inline dc_catalog *gen_catalog_ex(unsigned n, const gen_edge *e, size_t m,
					 const unsigned *stages, const double *latency)
{
	return gen_catalog_named(n, e, m, stages, latency, NULL);
}

static inline dc_catalog *gen_catalog(unsigned n, const gen_edge *e, size_t m)
{
	return gen_catalog_ex(n, e, m, NULL, NULL);
}

/* The chain s0 -> s1 -> ... -> s{n-1}, every edge hard: as deep as a graph
 * of n services gets (for the tests that must not recurse). NULL on failure. */
static inline dc_catalog *gen_chain(unsigned n)
{
	gen_edge *e = malloc((n > 1 ? n - 1 : 1) * sizeof(gen_edge));
	dc_catalog *cat;
	unsigned i;
	if (!e)
		return NULL;
	for (i = 0; i + 1 < n; i++) {
		e[i].from = i;
		e[i].to = i + 1;
		e[i].kind = DC_DEP_HARD;
		e[i].group = 0;
	}
	cat = gen_catalog(n, e, n > 1 ? n - 1 : 0);
	free(e);
	return cat;
}

/* A random graph: n nodes, about density*n edges, `soft_pct` percent soft,
 * about `group_pct` percent of the nodes with one any_of group of 2..3
 * members. No self loops and no repeated (from, to) pairs, so the catalog
 * keeps every edge. Returns the edge count; *out is malloc'ed. */
static inline size_t gen_random(uint64_t *seed, unsigned n, unsigned density_x10, unsigned soft_pct,
				unsigned group_pct, gen_edge **out)
{
	size_t cap = (size_t)n * (density_x10 / 10 + 4) + 8, m = 0;
	gen_edge *e = malloc(cap * sizeof(gen_edge));
	uint8_t *used = calloc((size_t)n * n + 1, 1);
	unsigned want = n * density_x10 / 10, i, next_group = 1, tries;
	*out = e;
	if (!e || !used || n < 2) {
		free(used);
		return 0;
	}
	for (tries = 0; m < want && tries < want * 4; tries++) {
		unsigned u = gen_below(seed, n), v = gen_below(seed, n);
		if (u == v || used[(size_t)u * n + v])
			continue;
		used[(size_t)u * n + v] = 1;
		e[m].from = u;
		e[m].to = v;
		e[m].kind = gen_below(seed, 100) < soft_pct ? DC_DEP_SOFT : DC_DEP_HARD;
		e[m].group = 0;
		m++;
	}
	for (i = 0; i < n && m + 3 < cap; i++) {
		unsigned k, size;
		if (gen_below(seed, 100) >= group_pct)
			continue;
		size = 2 + gen_below(seed, 2);
		for (k = 0; k < size; k++) {
			unsigned v = gen_below(seed, n);
			if (v == i || used[(size_t)i * n + v])
				continue;
			used[(size_t)i * n + v] = 1;
			e[m].from = i;
			e[m].to = v;
			e[m].kind = DC_DEP_HARD;
			e[m].group = next_group;
			m++;
		}
		next_group++;
	}
	free(used);
	return m;
}

/* Mark about `pct` percent of the soft edges as telemetry edges (to or from
 * a telemetry sink: only a DOWN dependency degrades through them). */
static inline void gen_telemetry(uint64_t *seed, gen_edge *e, size_t m, unsigned pct)
{
	size_t k;
	for (k = 0; k < m; k++)
		if (e[k].kind == DC_DEP_SOFT && gen_below(seed, 100) < pct)
			e[k].kind |= GEN_TELEMETRY;
}

#endif
