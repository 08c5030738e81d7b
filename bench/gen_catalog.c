/*
 * gen_catalog.c - seeded generator of synthetic catalogs in the native
 * format (docs/inputs.md), for the benchmarks.
 *
 *   bench_gen_catalog N SEED [--json] [--stats] [--tangle] [--load]
 *   bench_gen_catalog N SEED --chain
 *
 * Writes a catalog of N services to standard output (YAML, or JSON with
 * --json); --stats prints a summary of the generated graph to standard
 * error. The same N and SEED always give the same bytes (own PRNG,
 * splitmix64, no libc randomness; the only floating point in the choices is
 * exp/log of the same inputs, which glibc rounds the same everywhere).
 *
 * Shape (see bench/README.md):
 *  - six layers, top to bottom: edge (entrypoints), api, domain, backend,
 *    data, platform. A dependency always points to a lower layer, except
 *    a handful of back edges that close cycles.
 *  - every service belongs to a system (about 40 services, spread over all
 *    layers) owned by a squad; most layer-to-layer calls stay inside it.
 *  - a "backbone" gives every service below the edge at least one caller
 *    from the layer above, so only the edge layer are entrypoints.
 *  - the other targets are drawn with a Zipf-like law (P(rank r) ~ 1/r) over
 *    the target layer, so a few shared services get a huge fan-in: the
 *    platform layer starts with discovery, auth, config, ... and discovery
 *    ends up called by a quarter of the fleet.
 *  - average out-degree about 7; about 1 entry in 5 is a mapping (soft
 *    kind, timeout_ms, retries, stage), a few are any_of groups.
 *  - --tangle adds a hard tangle at the core: 1.4 % of N data-layer services
 *    (1,400 at 100,000) form one hard cycle (each depends on the next by id,
 *    the last on the first, half of them on a random other member too), and
 *    5 % of the services below the api layer get a soft back edge to
 *    (about) their backbone ancestor in a random higher layer (api .. the
 *    layer above), which ties most of the catalog into one strongly
 *    connected component of all edges. Without --tangle the output is byte for byte what it was.
 *  - --load adds traffic_rps to the entrypoints and capacity_rps and
 *    max_concurrency to every service, sized from each one's load without
 *    retries (a fixed hash, no draw: without it the output does not change);
 *    the back edges and the tangle's edges say `calls: 0` (another kind of
 *    request: they carry no load).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: splitmix64 ------------------------------------------------------ */

typedef struct {
	uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is negligible here). */
static uint32_t rng_below(rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Zipf-like rank in [0, n): P(r) = ln((r+2)/(r+1)) / ln(n+1) ~ 1/((r+1) ln n). */
static uint32_t rng_zipf(rng *r, uint32_t n)
{
	double x;
	uint32_t k;
	if (n <= 1)
		return 0;
	x = exp(rng_unit(r) * log((double)n + 1.0));
	k = x < 1.0 ? 0 : (uint32_t)x - 1;
	return k < n ? k : n - 1;
}

/* ---- output buffer ------------------------------------------------------------ */

static char obuf[1 << 20];
static size_t olen;

static void flush_out(void)
{
	if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
		perror("bench_gen_catalog: write");
		exit(1);
	}
	olen = 0;
}

static void put_n(const char *s, size_t n)
{
	if (olen + n > sizeof(obuf))
		flush_out();
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void put(const char *s)
{
	put_n(s, strlen(s));
}

static void put_u(uint64_t v)
{
	char tmp[24];
	int i = (int)sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_n(tmp + i, sizeof(tmp) - (size_t)i);
}

/* ---- the model ------------------------------------------------------------------ */

enum { L_EDGE, L_API, L_DOMAIN, L_BACKEND, L_DATA, L_PLATFORM, NLAYERS };

static const struct {
	const char *prefix;
	double frac;      /* share of N */
	int tier;
	double degree;    /* mean out-degree (backbone included) */
} layer_def[NLAYERS] = {
	{ "edge", 0.02, 1, 14.0 },
	{ "api", 0.08, 1, 10.0 },
	{ "domain", 0.24, 2, 8.0 },
	{ "backend", 0.30, 3, 7.0 },
	{ "data", 0.28, 4, 5.9 },
	{ "platform", 0.08, 1, 3.0 },
};

/* The head of the platform layer, most shared first (Zipf rank order). */
static const char *const shared_names[] = {
	"discovery", "auth", "config", "secrets", "feature-flags", "metrics", "logging",
	"tracing", "rate-limiter", "message-bus", "object-store", "cache", "id-generator",
	"audit", "session", "dns", "certificates", "scheduler", "search-index", "notifier",
};
#define NSHARED (sizeof(shared_names) / sizeof(shared_names[0]))

static const char *const zone_names[] = { "eu-a", "eu-b", "eu-c", "us-a", "us-b", "us-c" };
static const char *const avail_values[] = { "0.999", "0.9995", "0.9999", "0.99", "0.995", "0.999" };
static const char *const tag_values[] = { "grpc", "http", "kafka", "batch", "pci", "gdpr" };

enum { DEP_PLAIN = 0, DEP_ANY_FIRST = 1, DEP_ANY_MORE = 2, DEP_HARD = 3, DEP_SOFT = 4 };
/* DEP_HARD, DEP_SOFT: the tangle's edges, written with a fixed kind */

typedef struct {
	uint32_t n;                 /* services */
	uint32_t lstart[NLAYERS + 1];
	uint32_t nsys;
	/* dependencies, grouped by service: first[i] .. first[i+1] */
	uint32_t *first;
	uint32_t *to;
	uint8_t *flag;              /* DEP_* */
	size_t ndeps, cap;
	/* back edges (cycles), emitted after the service's own dependencies */
	uint32_t back_from[64], back_to[64];
	uint8_t back_soft[64];
	unsigned nback;
	unsigned nany;              /* any_of groups */
	uint32_t ntangle, nsoftback; /* --tangle: core members, soft back edges */
	double *load;               /* --load: each service's offered rps (NULL without) */
} model;

static int layer_of(const model *m, uint32_t id)
{
	int L = 0;
	while (L < NLAYERS - 1 && id >= m->lstart[L + 1])
		L++;
	return L;
}

static uint32_t lsize(const model *m, int L)
{
	return m->lstart[L + 1] - m->lstart[L];
}

static uint32_t system_of(const model *m, uint32_t id)
{
	int L = layer_of(m, id);
	uint32_t sz = lsize(m, L), r = id - m->lstart[L];
	return (uint32_t)((uint64_t)r * m->nsys / sz);
}

static void name_of(const model *m, uint32_t id, char *buf, size_t size)
{
	int L = layer_of(m, id);
	uint32_t r = id - m->lstart[L];
	if (L == L_PLATFORM && r < NSHARED)
		snprintf(buf, size, "%s", shared_names[r]);
	else
		snprintf(buf, size, "%s-%u", layer_def[L].prefix, (unsigned)r);
}

static void put_name(const model *m, uint32_t id)
{
	int L = layer_of(m, id);
	uint32_t r = id - m->lstart[L];
	if (L == L_PLATFORM && r < NSHARED) {
		put(shared_names[r]);
	} else {
		put(layer_def[L].prefix);
		put_n("-", 1);
		put_u(r);
	}
}

static void push_dep(model *m, uint32_t to, uint8_t flag)
{
	if (m->ndeps == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 1024;
		uint32_t *t = realloc(m->to, nc * sizeof(*t));
		uint8_t *f;
		if (!t) {
			fprintf(stderr, "bench_gen_catalog: out of memory\n");
			exit(1);
		}
		m->to = t;
		f = realloc(m->flag, nc);
		if (!f) {
			fprintf(stderr, "bench_gen_catalog: out of memory\n");
			exit(1);
		}
		m->flag = f;
		m->cap = nc;
	}
	m->to[m->ndeps] = to;
	m->flag[m->ndeps] = flag;
	m->ndeps++;
}

/* Is `to` already a dependency of the service whose list starts at `from`? */
static int has_dep(const model *m, size_t from, uint32_t to)
{
	size_t k;
	for (k = from; k < m->ndeps; k++)
		if (m->to[k] == to)
			return 1;
	return 0;
}

/* Layer of a random (non-backbone) dependency of a service in layer L. */
static int pick_layer(const model *m, rng *r, int L)
{
	double u = rng_unit(r);
	int T;
	if (u < 0.45)
		T = L + 1;
	else if (u < 0.75)
		T = L_PLATFORM;
	else
		T = L + 1 + (int)rng_below(r, (uint32_t)(L_PLATFORM - L));
	while (T <= L_PLATFORM && lsize(m, T) == 0)
		T++;
	return T <= L_PLATFORM ? T : -1;
}

/* A target in layer T for a caller in system `sys`: popular (Zipf), same
 * system, or anywhere in the layer. */
static uint32_t pick_target(const model *m, rng *r, int T, uint32_t sys)
{
	uint32_t sz = lsize(m, T), base = m->lstart[T];
	double u;
	if (T == L_PLATFORM)
		return base + rng_zipf(r, sz);
	u = rng_unit(r);
	if (u < 0.30)
		return base + rng_zipf(r, sz);
	if (u < 0.80) {
		uint32_t lo = (uint32_t)((uint64_t)sys * sz / m->nsys);
		uint32_t hi = (uint32_t)((uint64_t)(sys + 1) * sz / m->nsys);
		if (hi > lo)
			return base + lo + rng_below(r, hi - lo);
	}
	return base + rng_below(r, sz);
}

/* --tangle: service i's extra edges, after its own. A core member depends
 * (hard) on the next member and, every other time, on a random member (a
 * chord, found by walking the ring a random number of steps, at most 64);
 * 5 % of the services below the api layer get a soft back edge upwards, to
 * (about) their backbone ancestor in a random higher layer. */
static void add_tangle(model *m, rng *rt, uint32_t i, size_t start, const uint32_t *ring_next)
{
	int L = layer_of(m, i);
	if (ring_next && ring_next[i]) {
		uint32_t nx = ring_next[i] - 1, c = nx, s = rng_below(rt, 64), k;
		if (!has_dep(m, start, nx))
			push_dep(m, nx, DEP_HARD);
		if (rng_below(rt, 2)) {
			for (k = 0; k < s; k++)
				c = ring_next[c] - 1;
			if (c != i && !has_dep(m, start, c))
				push_dep(m, c, DEP_HARD);
		}
	}
	if (L > L_API && rng_below(rt, 100) < 5) {
		int T = L_API + (int)rng_below(rt, (uint32_t)(L - L_API));
		uint32_t t;
		if (lsize(m, T) == 0)
			return;
		/* its backbone ancestor in layer T (a neighbour now and then), so
		 * the edge closes a cycle through the backbone */
		t = (uint32_t)((uint64_t)(i - m->lstart[L]) * lsize(m, T) / lsize(m, L));
		t += rng_below(rt, 3);
		t = t >= 1 ? t - 1 : 0;
		if (t >= lsize(m, T))
			t = lsize(m, T) - 1;
		t += m->lstart[T];
		if (!has_dep(m, start, t)) {
			push_dep(m, t, DEP_SOFT);
			m->nsoftback++;
		}
	}
}

static void build(model *m, uint32_t n, uint64_t seed, int tangle)
{
	rng r = { seed ^ 0x6a09e667f3bcc908ULL };
	rng rt = { seed ^ 0x3c6ef372fe94f82bULL }; /* the tangle's own stream */
	uint32_t sizes[NLAYERS], sum = 0, i;
	uint32_t *ring_next = NULL;                /* --tangle: per data service, next member + 1 */
	int L;

	memset(m, 0, sizeof(*m));
	m->n = n;
	/* layer sizes; tiny catalogs put everything in edge + platform */
	if (n < 4 * NLAYERS) {
		memset(sizes, 0, sizeof(sizes));
		sizes[L_EDGE] = n > 1 ? 1 : n;
		sizes[L_PLATFORM] = n - sizes[L_EDGE];
	} else {
		for (L = 0; L < NLAYERS; L++) {
			sizes[L] = (uint32_t)(layer_def[L].frac * n + 0.5);
			if (sizes[L] == 0)
				sizes[L] = 1;
			sum += sizes[L];
		}
		/* the backend layer absorbs the rounding */
		sizes[L_BACKEND] = sizes[L_BACKEND] + n - sum;
	}
	m->lstart[0] = 0;
	for (L = 0; L < NLAYERS; L++)
		m->lstart[L + 1] = m->lstart[L] + sizes[L];
	m->nsys = n / 40 ? n / 40 : 1;
	if (m->nsys > sizes[L_EDGE] && sizes[L_EDGE])
		m->nsys = sizes[L_EDGE]; /* every system has an edge service */

	m->first = malloc(((size_t)n + 1) * sizeof(uint32_t));
	if (!m->first) {
		fprintf(stderr, "bench_gen_catalog: out of memory\n");
		exit(1);
	}
	if (tangle && lsize(m, L_DATA) >= 2) {
		/* the core: 1.4 % of N distinct data services, a ring in id order */
		uint32_t ds = lsize(m, L_DATA), want = (uint32_t)((uint64_t)n * 14 / 1000), got = 0;
		uint32_t first = UINT32_MAX, prev = UINT32_MAX;
		if (want < 2)
			want = 2;
		if (want > ds)
			want = ds;
		ring_next = calloc(n, sizeof(uint32_t));
		if (!ring_next) {
			fprintf(stderr, "bench_gen_catalog: out of memory\n");
			exit(1);
		}
		while (got < want) {
			uint32_t v = m->lstart[L_DATA] + rng_below(&rt, ds);
			if (!ring_next[v]) {
				ring_next[v] = UINT32_MAX; /* member, next unknown */
				got++;
			}
		}
		for (i = m->lstart[L_DATA]; i < m->lstart[L_DATA + 1]; i++) {
			if (!ring_next[i])
				continue;
			if (prev == UINT32_MAX)
				first = i;
			else
				ring_next[prev] = i + 1;
			prev = i;
		}
		ring_next[prev] = first + 1;
		m->ntangle = want;
	}

	for (i = 0; i < n; i++) {
		size_t start = m->ndeps;
		uint32_t rank, d, nb, sys, k, tries;
		L = layer_of(m, i);
		rank = i - m->lstart[L];
		sys = system_of(m, i);
		m->first[i] = (uint32_t)start;
		d = (uint32_t)(layer_def[L].degree * (0.5 + rng_unit(&r)) + 0.5);
		if (L == L_PLATFORM) {
			/* platform services use more fundamental ones (lower rank) */
			if (d > rank)
				d = rank;
			for (k = 0, tries = 0; k < d && tries < 4 * d + 8; tries++) {
				uint32_t t = m->lstart[L] + rng_zipf(&r, rank);
				if (!has_dep(m, start, t)) {
					push_dep(m, t, DEP_PLAIN);
					k++;
				}
			}
			if (tangle)
				add_tangle(m, &rt, i, start, ring_next);
			continue;
		}
		/* backbone: the next non-empty layer's services in proportion */
		{
			int T = L + 1;
			while (T < NLAYERS && lsize(m, T) == 0)
				T++;
			if (T < NLAYERS) {
				uint32_t s0 = lsize(m, L), s1 = lsize(m, T);
				uint32_t lo = (uint32_t)((uint64_t)rank * s1 / s0);
				uint32_t hi = (uint32_t)((uint64_t)(rank + 1) * s1 / s0);
				for (k = lo; k < hi; k++)
					push_dep(m, m->lstart[T] + k, DEP_PLAIN);
			}
		}
		nb = (uint32_t)(m->ndeps - start);
		/* an any_of group now and then: 2-3 neighbours in one layer */
		if (d > nb + 2 && rng_below(&r, 100) < 4) {
			int T = pick_layer(m, &r, L);
			if (T >= 0 && lsize(m, T) >= 4) {
				uint32_t sz = lsize(m, T), cnt = 2 + rng_below(&r, 2);
				uint32_t t0 = rng_below(&r, sz - cnt + 1), j, ok = 1;
				for (j = 0; j < cnt; j++)
					if (has_dep(m, start, m->lstart[T] + t0 + j))
						ok = 0;
				if (ok) {
					for (j = 0; j < cnt; j++)
						push_dep(m, m->lstart[T] + t0 + j, j ? DEP_ANY_MORE : DEP_ANY_FIRST);
					m->nany++;
				}
			}
		}
		nb = (uint32_t)(m->ndeps - start);
		for (k = nb, tries = 0; k < d && tries < 4 * d + 8; tries++) {
			int T = pick_layer(m, &r, L);
			uint32_t t;
			if (T < 0)
				break;
			t = pick_target(m, &r, T, sys);
			if (!has_dep(m, start, t)) {
				push_dep(m, t, DEP_PLAIN);
				k++;
			}
		}
		if (tangle)
			add_tangle(m, &rt, i, start, ring_next);
	}
	m->first[n] = (uint32_t)m->ndeps;
	free(ring_next);

	/* a few cycles: walk down 1-3 plain edges inside the api..data layers
	 * and close the chain with a back edge; alternate hard and soft */
	{
		unsigned want = 3 + n / 20000, attempts;
		if (want > 64)
			want = 64;
		if (m->lstart[L_BACKEND] > m->lstart[L_API])
			for (attempts = 0; m->nback < want && attempts < 100 * want; attempts++) {
				uint32_t a = m->lstart[L_API] +
					     rng_below(&r, m->lstart[L_BACKEND] - m->lstart[L_API]);
				uint32_t c = a, steps = 1 + rng_below(&r, 3), s, j;
				int dup = 0;
				for (s = 0; s < steps; s++) {
					uint32_t nd = m->first[c + 1] - m->first[c], pick = UINT32_MAX;
					for (j = 0; j < 4 && nd; j++) {
						uint32_t e = m->first[c] + rng_below(&r, nd);
						if (m->flag[e] == DEP_PLAIN && layer_of(m, m->to[e]) < L_PLATFORM) {
							pick = m->to[e];
							break;
						}
					}
					if (pick == UINT32_MAX)
						break;
					c = pick;
				}
				if (c == a)
					continue;
				for (j = 0; j < m->nback; j++)
					if (m->back_from[j] == c)
						dup = 1;
				if (dup)
					continue;
				m->back_from[m->nback] = c;
				m->back_to[m->nback] = a;
				m->back_soft[m->nback] = (uint8_t)(m->nback & 1);
				m->nback++;
			}
	}
}

/* ---- --load: traffic and capacities ---------------------------------------------------- */

/* A fixed hash of a service id (no draw from the streams: without --load
 * the output stays byte for byte what it was). */
static uint32_t mix(uint32_t i)
{
	uint64_t z = (uint64_t)i * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)((z ^ (z >> 27)) >> 32);
}

/* Entry traffic of edge service i, in rps: small, because every request
 * calls all its dependencies (about 7 each, over six layers), so a
 * platform service like discovery is offered some 10^8 rps. */
static uint32_t traffic_of(uint32_t i) { return 1 + mix(i) % 5; }

/* Every service's offered load with one call per dependency and no retry
 * (back edges and the tangle's edges left out): edge .. data in id order
 * (their dependencies are in later layers), then the platform from the
 * highest id down (a platform service calls lower-ranked ones). */
static double *loads(const model *m)
{
	double *ld = calloc(m->n ? m->n : 1, sizeof(double));
	uint32_t i, k;
	if (!ld)
		return NULL;
	for (i = m->lstart[L_EDGE]; i < m->lstart[L_API]; i++)
		ld[i] = traffic_of(i);
	for (i = 0; i < m->lstart[L_PLATFORM]; i++)
		for (k = m->first[i]; k < m->first[i + 1]; k++)
			if (m->flag[k] != DEP_HARD && m->flag[k] != DEP_SOFT && m->to[k] > i)
				ld[m->to[k]] += ld[i];
	for (i = m->n; i-- > m->lstart[L_PLATFORM];)
		for (k = m->first[i]; k < m->first[i + 1]; k++)
			if (m->flag[k] != DEP_HARD && m->flag[k] != DEP_SOFT && m->to[k] < i)
				ld[m->to[k]] += ld[i];
	return ld;
}

/* capacity_rps per replica: the load over the replicas with headroom x1.5
 * .. x4, and x1.3 .. x1.5 for 1 service in 20 (the tight ones a retry
 * storm tips over), at least 200 rps (5 ms a request); max_concurrency: the slots that hold a replica's
 * capacity for 2 s (a request waits on up to six layers), twice over, plus
 * one. */
static void put_load_attrs(const model *m, uint32_t i, uint32_t replicas, int json)
{
	uint32_t h = mix(i ^ 0x5bd1e995u);
	double head = h % 20 == 0 ? 1.3 + (h >> 8) % 21 / 100.0 : 1.5 + (h >> 8) % 251 / 100.0;
	double cap = m->load[i] * head / (replicas ? replicas : 1);
	uint64_t c = cap < 200 ? 200 : cap > 1e9 ? 1000000000 : (uint64_t)ceil(cap), mc;
	if (i < m->lstart[L_API]) {
		put(json ? ", \"traffic_rps\": " : "\n    traffic_rps: ");
		put_u(traffic_of(i));
	}
	put(json ? ", \"capacity_rps\": " : "\n    capacity_rps: ");
	put_u(c);
	put(json ? ", \"max_concurrency\": " : "\n    max_concurrency: ");
	mc = 2 * (uint64_t)ceil((double)c * 2) + 1;
	put_u(mc > 1000000000 ? 1000000000 : mc);
}

/* ---- emission ----------------------------------------------------------------------- */

typedef struct {
	uint8_t form;      /* 0 short, 1 block map, 2 flow map */
	uint8_t soft, has_kind, has_timeout, has_retries, has_stage;
	uint8_t no_calls;  /* --load: a back or tangle edge carries no load (calls: 0) */
	uint32_t timeout_ms, retries, stage;
} dep_fmt;

static void choose_fmt(rng *r, dep_fmt *f)
{
	memset(f, 0, sizeof(*f));
	if (rng_below(r, 100) >= 20)
		return;
	f->form = rng_below(r, 10) < 7 ? 1 : 2;
	f->soft = rng_below(r, 100) < 40;
	f->has_kind = f->soft || rng_below(r, 10) == 0;
	f->has_timeout = rng_below(r, 10) < 7;
	f->timeout_ms = 50 * (1 + rng_below(r, 40));
	f->has_retries = rng_below(r, 10) < 5;
	f->retries = rng_below(r, 4);
	f->has_stage = rng_below(r, 10) < 3;
	f->stage = rng_below(r, 4);
	if (!f->has_kind && !f->has_timeout && !f->has_retries && !f->has_stage)
		f->has_timeout = 1;
}

/* The options of a mapping entry (after "service: X"), YAML or JSON. */
static void put_opts(const dep_fmt *f, int json, const char *sep)
{
	if (f->has_kind) {
		put(sep);
		put(json ? "\"kind\": " : "kind: ");
		put(json ? (f->soft ? "\"soft\"" : "\"hard\"") : (f->soft ? "soft" : "hard"));
	}
	if (f->has_timeout) {
		put(sep);
		put(json ? "\"timeout_ms\": " : "timeout_ms: ");
		put_u(f->timeout_ms);
	}
	if (f->has_retries) {
		put(sep);
		put(json ? "\"retries\": " : "retries: ");
		put_u(f->retries);
	}
	if (f->has_stage) {
		put(sep);
		put(json ? "\"stage\": " : "stage: ");
		put_u(f->stage);
	}
	if (f->no_calls) {
		put(sep);
		put(json ? "\"calls\": 0" : "calls: 0");
	}
}

static void put_qname(const model *m, uint32_t id)
{
	put_n("\"", 1);
	put_name(m, id);
	put_n("\"", 1);
}

/* One dependency entry in YAML (block sequence item at 6 spaces). */
static void yaml_dep(const model *m, uint32_t to, const dep_fmt *f)
{
	if (f->form == 0) {
		put("      - ");
		put_name(m, to);
		put("\n");
	} else if (f->form == 1) {
		put("      - service: ");
		put_name(m, to);
		put_opts(f, 0, "\n        ");
		put("\n");
	} else {
		put("      - { service: ");
		put_name(m, to);
		put_opts(f, 0, ", ");
		put(" }\n");
	}
}

static void json_dep(const model *m, uint32_t to, const dep_fmt *f)
{
	if (f->form == 0) {
		put_qname(m, to);
	} else {
		put("{\"service\": ");
		put_qname(m, to);
		put_opts(f, 1, ", ");
		put("}");
	}
}

static void emit(const model *m, uint64_t seed, int json)
{
	rng r = { seed ^ 0xbb67ae8584caa73bULL };
	uint32_t i;

	if (json)
		put("{\"depcheck\": 1,\n \"defaults\": {\"availability\": 0.999, \"timeout_ms\": 1000, "
		    "\"retries\": 0},\n \"services\": [\n");
	else
		put("# synthetic catalog: bench_gen_catalog (depcheck bench)\n"
		    "depcheck: 1\n"
		    "defaults: { availability: 0.999, timeout_ms: 1000, retries: 0 }\n"
		    "services:\n");

	for (i = 0; i < m->n; i++) {
		int L = layer_of(m, i);
		uint32_t rank = i - m->lstart[L], sys = system_of(m, i), k, b;
		uint32_t nz = 1 + rng_below(&r, 3), z0 = rng_below(&r, 6);
		int shared = L == L_PLATFORM && rank < NSHARED;
		int has_replicas = shared || rng_below(&r, 10) < 6;
		uint32_t replicas = shared ? 6 + rng_below(&r, 20) : 1 + rng_below(&r, 12);
		const char *avail = shared ? "0.9999" : avail_values[rng_below(&r, 6)];
		uint32_t lat = 1 + rng_below(&r, 40), half = rng_below(&r, 4) == 0;
		int has_tags = rng_below(&r, 10) < 3, has_desc = rng_below(&r, 20) == 0;
		uint32_t tag = rng_below(&r, 6);
		int has_deps = m->first[i + 1] > m->first[i];
		unsigned nput = 0;
		for (b = 0; b < m->nback; b++)
			if (m->back_from[b] == i)
				has_deps = 1;

		/* ---- attributes */
		if (json) {
			put(i ? ",\n  {\"name\": \"" : "  {\"name\": \"");
			put_name(m, i);
			put("\", \"owner\": \"");
		} else {
			put("  - name: ");
			put_name(m, i);
			put("\n    owner: ");
		}
		if (L == L_PLATFORM) {
			put("squad-platform-");
			put_u(rank / 100);
		} else {
			put("squad-");
			put_u(sys / 2);
		}
		put(json ? "\", \"system\": \"" : "\n    system: ");
		if (L == L_PLATFORM) {
			put(shared ? "platform-core" : "platform-");
			if (!shared)
				put_u(rank / 50);
		} else {
			put("sys-");
			put_u(sys);
		}
		put(json ? "\", \"tier\": " : "\n    tier: ");
		put_u((uint64_t)layer_def[L].tier);
		if (L == L_EDGE)
			put(json ? ", \"entrypoint\": true" : "\n    entrypoint: true");
		if (has_replicas) {
			put(json ? ", \"replicas\": " : "\n    replicas: ");
			put_u(replicas);
		}
		put(json ? ", \"zones\": [" : "\n    zones: [");
		for (k = 0; k < nz; k++) {
			if (k)
				put(", ");
			if (json)
				put("\"");
			put(zone_names[(z0 + k) % 6]);
			if (json)
				put("\"");
		}
		put(json ? "], \"availability\": " : "]\n    availability: ");
		put(avail);
		if (L <= L_API)
			put(json ? ", \"slo\": 0.999" : "\n    slo: 0.999");
		put(json ? ", \"latency_ms\": " : "\n    latency_ms: ");
		put_u(lat);
		if (half)
			put(".5");
		if (m->load)
			put_load_attrs(m, i, has_replicas ? replicas : 1, json);
		if (has_tags) {
			put(json ? ", \"tags\": [\"" : "\n    tags: [");
			put(tag_values[tag]);
			put(json ? "\"]" : "]");
		}
		if (has_desc) {
			char nm[64];
			name_of(m, i, nm, sizeof(nm));
			put(json ? ", \"description\": \"" : "\n    description: \"");
			put("Synthetic service ");
			put(nm);
			put(": layer ");
			put(layer_def[L].prefix);
			put("\"");
		}

		/* ---- dependencies */
		if (!has_deps) {
			put(json ? "}" : "\n");
			continue;
		}
		put(json ? ", \"depends_on\": [" : "\n    depends_on:\n");
		for (k = m->first[i]; k < m->first[i + 1]; k++) {
			dep_fmt f;
			if (json && nput++)
				put(", ");
			if (m->flag[k] == DEP_ANY_FIRST) {
				uint32_t e = k + 1;
				while (e < m->first[i + 1] && m->flag[e] == DEP_ANY_MORE)
					e++;
				put(json ? "{\"any_of\": [" : "      - any_of: [");
				for (b = k; b < e; b++) {
					if (b > k)
						put(", ");
					if (json)
						put_qname(m, m->to[b]);
					else
						put_name(m, m->to[b]);
				}
				put(json ? "]}" : "]\n");
				k = e - 1;
				continue;
			}
			if (m->flag[k] == DEP_HARD || m->flag[k] == DEP_SOFT) {
				memset(&f, 0, sizeof(f));
				if (m->flag[k] == DEP_SOFT) {
					f.form = 1;
					f.soft = f.has_kind = 1;
				}
				if (m->load) {
					f.form = 1;
					f.no_calls = 1;
				}
			} else {
				choose_fmt(&r, &f);
				/* --load: timeouts a healthy chain of six layers meets
				 * (a 50 ms one times a 200 ms callee out: a storm at rest) */
				if (m->load)
					f.timeout_ms += 2000;
			}
			if (json)
				json_dep(m, m->to[k], &f);
			else
				yaml_dep(m, m->to[k], &f);
		}
		for (b = 0; b < m->nback; b++) {
			dep_fmt f;
			if (m->back_from[b] != i)
				continue;
			memset(&f, 0, sizeof(f));
			if (m->back_soft[b]) {
				f.form = 1;
				f.soft = f.has_kind = 1;
			}
			if (m->load) {
				f.form = 1;
				f.no_calls = 1;
			}
			if (json) {
				if (nput++)
					put(", ");
				json_dep(m, m->back_to[b], &f);
			} else {
				yaml_dep(m, m->back_to[b], &f);
			}
		}
		put(json ? "]}" : "");
	}
	put(json ? "\n ]\n}\n" : "");
	flush_out();
}

/* ---- statistics ---------------------------------------------------------------------- */

static void stats(const model *m)
{
	uint32_t *indeg = calloc(m->n ? m->n : 1, sizeof(uint32_t));
	uint32_t top[5], i, k, orphans = 0;
	size_t edges = m->ndeps + m->nback;
	char nm[64];
	if (!indeg)
		return;
	for (k = 0; k < 5; k++)
		top[k] = UINT32_MAX;
	for (k = 0; k < m->ndeps; k++)
		indeg[m->to[k]]++;
	for (k = 0; k < m->nback; k++)
		indeg[m->back_to[k]]++;
	for (i = 0; i < m->n; i++) {
		if (i >= m->lstart[1] && indeg[i] == 0)
			orphans++;
		for (k = 0; k < 5; k++)
			if (top[k] == UINT32_MAX || indeg[i] > indeg[top[k]]) {
				memmove(top + k + 1, top + k, (4 - k) * sizeof(top[0]));
				top[k] = i;
				break;
			}
	}
	fprintf(stderr, "services %u edges %zu avg_out_degree %.2f any_of_groups %u back_edges %u "
		"uncalled_below_edge %u\n", m->n, edges, m->n ? (double)edges / m->n : 0.0, m->nany,
		m->nback, orphans);
	if (m->ntangle)
		fprintf(stderr, "tangle: %u core services in one hard cycle, %u soft back edges\n",
			m->ntangle, m->nsoftback);
	fprintf(stderr, "top fan-in:");
	for (k = 0; k < 5 && top[k] != UINT32_MAX; k++) {
		name_of(m, top[k], nm, sizeof(nm));
		fprintf(stderr, " %s=%u", nm, indeg[top[k]]);
	}
	fprintf(stderr, "\n");
	free(indeg);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_gen_catalog N SEED [--json] [--stats] [--tangle] [--load]\n"
			"       bench_gen_catalog N SEED --chain\n"
			"  writes a synthetic native catalog of N services to standard output;\n"
			"  --tangle: a hard cycle of 1.4 %% of N data services at the core and\n"
			"  soft back edges from 5 %% of the services below the api layer\n"
			"  --load: traffic_rps on the entrypoints, capacity_rps and\n"
			"  max_concurrency on every service (for simulate --load)\n"
			"  --chain: one dependency chain c0000000 -> c0000001 -> ... (the worst\n"
			"  case for anything recursive: depth N)\n");
	exit(2);
}

/* The chain: every service depends on the next one (hard), the last on
 * nothing; c0000000 is the one entrypoint. SEED is unused. */
static int emit_chain(unsigned long long n)
{
	unsigned long long i;
	printf("depcheck: 1\nservices:\n");
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			printf("  - {name: c%07llu, depends_on: [c%07llu]}\n", i, i + 1);
		else
			printf("  - {name: c%07llu}\n", i);
	}
	if (fflush(stdout)) {
		perror("bench_gen_catalog: write");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n, seed;
	char *end;
	int json = 0, want_stats = 0, tangle = 0, load = 0, i;
	model m;

	if (argc < 3)
		usage();
	n = strtoull(argv[1], &end, 10);
	if (*end || n < 1 || n > 50000000ULL)
		usage();
	seed = strtoull(argv[2], &end, 0);
	if (*end)
		usage();
	if (argc == 4 && !strcmp(argv[3], "--chain"))
		return emit_chain(n);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--stats"))
			want_stats = 1;
		else if (!strcmp(argv[i], "--tangle"))
			tangle = 1;
		else if (!strcmp(argv[i], "--load"))
			load = 1;
		else
			usage();
	}
	build(&m, (uint32_t)n, seed, tangle);
	m.load = NULL;
	if (load && !(m.load = loads(&m))) {
		fprintf(stderr, "bench_gen_catalog: out of memory\n");
		return 1;
	}
	emit(&m, seed, json);
	if (fflush(stdout)) {
		perror("bench_gen_catalog: write");
		return 1;
	}
	if (want_stats)
		stats(&m);
	free(m.first);
	free(m.to);
	free(m.flag);
	free(m.load);
	return 0;
}
