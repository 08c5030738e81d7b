/*
 * test_streaming.c - the bundled example catalog (testdata/catalogs/streaming*):
 * the native catalog loads cleanly and has the shape its comments promise
 * (counts, the hard cycle, the discovery cascade, redundant storage), and
 * its Backstage and Compose twins load to the same graph, modulo what each
 * format cannot carry:
 *   - Compose carries everything (x-depcheck): identical services, edges,
 *     kinds, timeouts, retries, stages and any_of groups;
 *   - Backstage has no timeouts, retries, stages or any_of: same services
 *     with every attribute, same (from, to) edge set, same kind on
 *     every edge that is not an any_of member; any_of members are plain hard
 *     dependencies there.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#define NATIVE DC_TESTDATA "/catalogs/streaming/catalog.yaml"
#define BACKSTAGE DC_TESTDATA "/catalogs/streaming-backstage/catalog-info.yaml"
#define COMPOSE DC_TESTDATA "/catalogs/streaming-compose/docker-compose.yml"

/* Counts a reader can check by eye in catalog.yaml. */
#define N_SERVICES 47
#define N_DEPS 172
#define N_ENTRYPOINTS 4

static dc_catalog *load(const char *path, int *nerrors, int *nwarnings)
{
	dc_catalog *cat;
	dc_diags *d;
	th_load_path(&cat, &d, path);
	*nerrors = (int)dc_diags_count_severity(d, DC_SEV_ERROR);
	*nwarnings = (int)dc_diags_count_severity(d, DC_SEV_WARNING);
	th_print_diags(d); /* show what went wrong */
	dc_diags_free(d);
	return cat;
}

static dc_catalog *load_clean(const char *path)
{
	int e, w;
	dc_catalog *cat = load(path, &e, &w);
	CU_ASSERT_EQUAL(e, 0);
	CU_ASSERT_EQUAL(w, 0);
	if (cat && dc_catalog_service_count(cat) == 0) {
		dc_catalog_free(cat);
		return NULL;
	}
	return cat;
}

/* ---- the native catalog: facts a reader can check ------------------------ */

static void test_native_counts(void)
{
	dc_catalog *cat = load_clean(NATIVE);
	static const char *const entries[] = { "access-point", "api-gateway", "web-player", "partner-api" };
	size_t i, n, nentry = 0, nexplicit_no = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	n = dc_catalog_service_count(cat);
	CU_ASSERT_EQUAL(n, N_SERVICES);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), N_DEPS);
	for (i = 0; i < n; i++) {
		CU_ASSERT_FALSE(dc_service_is_external(cat, (dc_id)i));
		CU_ASSERT(dc_service_tier(cat, (dc_id)i) >= 1 && dc_service_tier(cat, (dc_id)i) <= 4);
		CU_ASSERT_PTR_NOT_NULL(dc_service_owner(cat, (dc_id)i));
		CU_ASSERT_PTR_NOT_NULL(dc_service_system(cat, (dc_id)i));
		CU_ASSERT(dc_service_latency_ms(cat, (dc_id)i) > 0);
		nentry += (size_t)dc_service_is_entrypoint(cat, (dc_id)i);
		/* every entrypoint decision is written down: 4 yes, 3 workers no */
		if (dc_service_entrypoint_explicit(cat, (dc_id)i) && !dc_service_is_entrypoint(cat, (dc_id)i))
			nexplicit_no++;
	}
	CU_ASSERT_EQUAL(nentry, N_ENTRYPOINTS);
	CU_ASSERT_EQUAL(nexplicit_no, 3);
	for (i = 0; i < N_ENTRYPOINTS; i++) {
		dc_id id = th_id(cat, entries[i]);
		CU_ASSERT_FATAL(id != DC_NO_ID);
		CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, id));
		CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, id));
	}
	/* a few attributes, as written */
	{
		dc_id d = th_id(cat, "discovery"), p = th_id(cat, "payments-db");
		CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, d), "team-infra");
		CU_ASSERT_EQUAL(dc_service_replicas(cat, d), 5);
		CU_ASSERT_DOUBLE_EQUAL(dc_service_availability(cat, d), 0.99995, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(dc_service_slo(cat, d), 0.9999, 1e-12);
		CU_ASSERT_EQUAL(dc_service_zone_count(cat, p), 1); /* the single-zone primary */
		CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, p, 0), "eu-a");
	}
	/* the risky edges of the header comment: tier 1 hard on tier 3 */
	CU_ASSERT_TRUE(th_has_dep(cat, "access-point", "experiments", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "playback", "ads", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "partner-api", "logging", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_service_tier(cat, th_id(cat, "ads")), 3);
	dc_catalog_free(cat);
}

/* The names of the members of the component that holds `name`, sorted by
 * catalog order, as "a,b,c". */
static void scc_of(const dc_catalog *cat, const dc_scc *scc, const char *name, char *buf, size_t len)
{
	const dc_id *m;
	size_t n, i, k = 0;
	n = dc_scc_members(scc, dc_scc_of(scc, th_id(cat, name)), &m);
	buf[0] = '\0';
	for (i = 0; i < dc_catalog_service_count(cat); i++) {
		size_t j;
		for (j = 0; j < n; j++)
			if (m[j] == (dc_id)i)
				k += (size_t)snprintf(buf + k, len > k ? len - k : 0, "%s%s", k ? "," : "",
						      dc_service_name(cat, (dc_id)i));
	}
}

static void test_native_cycles(void)
{
	dc_catalog *cat = load_clean(NATIVE);
	dc_graph *g = NULL;
	dc_scc *all = NULL, *hard = NULL;
	char buf[256];
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&all, g, DC_EDGES_ALL), 0);
	CU_ASSERT_EQUAL_FATAL(dc_scc_compute(&hard, g, DC_EDGES_HARD_ONLY), 0);
	/* all edges: discovery<->config-service (hard), playlist<->recommendations
	 * (one soft, one hard), monitoring<->logging (soft) */
	CU_ASSERT_EQUAL(dc_scc_cycle_count(all), 3);
	scc_of(cat, all, "playlist", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "playlist,recommendations");
	scc_of(cat, all, "monitoring", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "monitoring,logging");
	/* hard edges only: the cold-start trap is the one hard cycle */
	CU_ASSERT_EQUAL(dc_scc_cycle_count(hard), 1);
	scc_of(cat, hard, "discovery", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "discovery,config-service");
	CU_ASSERT_NOT_EQUAL(dc_scc_of(hard, th_id(cat, "playlist")), dc_scc_of(hard, th_id(cat, "recommendations")));
	dc_scc_free(all);
	dc_scc_free(hard);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* Fail `seed` alone; returns the impact (caller frees) on graph *g. */
static dc_impact *fail_one(const dc_catalog *cat, dc_graph **g, const char *seed)
{
	dc_impact *imp = NULL;
	dc_id s = th_id(cat, seed);
	CU_ASSERT_FATAL(s != DC_NO_ID);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_new(&imp, *g), 0);
	CU_ASSERT_EQUAL_FATAL(dc_impact_run(imp, &s, 1, NULL, 0), 0);
	return imp;
}

static void test_discovery_cascade(void)
{
	dc_catalog *cat = load_clean(NATIVE);
	dc_graph *g = NULL;
	dc_impact *imp;
	/* The 17 services that survive: the ones that never look anything up in
	 * discovery, directly or through a hard dependency. */
	static const char *const up[] = {
		"session-store", "key-store", "search-index", "cdn-alpha", "cdn-beta", "lyrics-provider",
		"subscriptions", "payments-db", "payment-gateway", "event-bus", "job-queue", "storage-eu",
		"storage-us", "analytics", "data-warehouse", "monitoring", "logging", NULL
	};
	const char *const *u;
	dc_id v;
	uint32_t e;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	imp = fail_one(cat, &g, "discovery");
	/* 30 DOWN = discovery itself + the 28 services that hard-depend on it
	 * directly (every `{ service: discovery, ... }` line, config-service's
	 * included) + web-player, which reaches it only through api-gateway.
	 * 47 - 30 = the 17 survivors listed above, none of which even degrades:
	 * their soft dependencies (monitoring, logging) stay up. */
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), 30);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(imp), 0);
	for (u = up; *u; u++) {
		CU_ASSERT_EQUAL(th_state(cat, imp, *u), DC_STATE_UP);
		if (th_state(cat, imp, *u) != DC_STATE_UP)
			fprintf(stderr, "expected %s UP\n", *u);
	}
	CU_ASSERT_EQUAL(17, N_SERVICES - 30);
	/* every entrypoint is down */
	CU_ASSERT_EQUAL(th_state(cat, imp, "access-point"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(th_state(cat, imp, "partner-api"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(th_state(cat, imp, "api-gateway"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(th_state(cat, imp, "web-player"), DC_STATE_DOWN);
	/* web-player's cause chain: web-player -> api-gateway -> discovery */
	v = th_id(cat, "web-player");
	e = dc_impact_cause(imp, v);
	CU_ASSERT_FATAL(e != UINT32_MAX);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, dc_dep_to(cat, e)), "api-gateway");
	e = dc_impact_cause(imp, dc_dep_to(cat, e));
	CU_ASSERT_FATAL(e != UINT32_MAX);
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, dc_dep_to(cat, e)), "discovery");
	/* the cycle shares one fate: failing config-service does the same */
	dc_impact_free(imp);
	dc_graph_free(g);
	imp = fail_one(cat, &g, "config-service");
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), 30);
	CU_ASSERT_EQUAL(th_state(cat, imp, "discovery"), DC_STATE_DOWN);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

static void test_storage_region_degrades(void)
{
	dc_catalog *cat = load_clean(NATIVE);
	dc_graph *g = NULL;
	dc_impact *imp;
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	/* storage-us: every reader has storage-eu in the same any_of group, so
	 * only the seed is DOWN. DEGRADED: the 8 any_of readers (accounts,
	 * user-profile, metadata, artwork, playlist, library, taste-profile,
	 * social-graph) and the 17 services that depend on one of those,
	 * directly or not (auth through accounts, the entrypoints, ...): 25.
	 * Untouched: discovery, config-service, rate-limiter, experiments,
	 * license, subscriptions and the 15 services without any dependency on
	 * a reader. */
	imp = fail_one(cat, &g, "storage-us");
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), 1);
	CU_ASSERT_EQUAL(dc_impact_degraded_count(imp), 25);
	CU_ASSERT_EQUAL(th_state(cat, imp, "metadata"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(th_state(cat, imp, "access-point"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(th_state(cat, imp, "discovery"), DC_STATE_UP);
	dc_impact_free(imp);
	dc_graph_free(g);
	/* storage-eu: the same, except transcoding, which writes to storage-eu
	 * alone (no any_of) and goes DOWN with it */
	imp = fail_one(cat, &g, "storage-eu");
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), 2);
	CU_ASSERT_EQUAL(th_state(cat, imp, "transcoding"), DC_STATE_DOWN);
	CU_ASSERT_EQUAL(th_state(cat, imp, "metadata"), DC_STATE_DEGRADED);
	CU_ASSERT_EQUAL(th_state(cat, imp, "playback"), DC_STATE_DEGRADED);
	dc_impact_free(imp);
	dc_graph_free(g);
	/* one CDN vendor: playback only degrades */
	imp = fail_one(cat, &g, "cdn-alpha");
	CU_ASSERT_EQUAL(dc_impact_down_count(imp), 1);
	CU_ASSERT_EQUAL(th_state(cat, imp, "playback"), DC_STATE_DEGRADED);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(cat);
}

/* ---- comparing the three forms ------------------------------------------- */

static int str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* "a,b,c" of the zones or tags of s. */
static void list_of(const dc_catalog *cat, dc_id s, int tags, char *buf, size_t len)
{
	size_t i, n = tags ? dc_service_tag_count(cat, s) : dc_service_zone_count(cat, s), k = 0;
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, len > k ? len - k : 0, "%s%s", i ? "," : "",
				      tags ? dc_service_tag(cat, s, i) : dc_service_zone(cat, s, i));
}

/* Compare every service of `a` (native) with its namesake in `b`: every
 * attribute. Backstage carries them all too: owner and system through
 * spec.owner / spec.system, description and tags through metadata, the
 * rest through depcheck.dev/... annotations. */
static void compare_services(const dc_catalog *a, const dc_catalog *b, const char *what)
{
	size_t i, n = dc_catalog_service_count(a);
	CU_ASSERT_EQUAL(dc_catalog_service_count(b), n);
	for (i = 0; i < n; i++) {
		dc_id x = (dc_id)i, y;
		const char *name = dc_service_name(a, x);
		char la[256], lb[256];
		int ok = 1;
		if (dc_catalog_find(b, name, &y) != 0) {
			fprintf(stderr, "%s: service %s missing\n", what, name);
			CU_FAIL("service missing");
			continue;
		}
		ok &= strcmp(dc_service_name(b, y), name) == 0;
		ok &= dc_service_tier(b, y) == dc_service_tier(a, x);
		ok &= dc_service_replicas(b, y) == dc_service_replicas(a, x);
		ok &= dc_service_availability(b, y) == dc_service_availability(a, x);
		ok &= dc_service_slo(b, y) == dc_service_slo(a, x);
		ok &= dc_service_latency_ms(b, y) == dc_service_latency_ms(a, x);
		ok &= dc_service_is_entrypoint(b, y) == dc_service_is_entrypoint(a, x);
		ok &= dc_service_is_external(b, y) == dc_service_is_external(a, x);
		list_of(a, x, 0, la, sizeof(la));
		list_of(b, y, 0, lb, sizeof(lb));
		ok &= strcmp(la, lb) == 0;
		ok &= str_eq(dc_service_owner(b, y), dc_service_owner(a, x));
		ok &= str_eq(dc_service_system(b, y), dc_service_system(a, x));
		ok &= str_eq(dc_service_description(b, y), dc_service_description(a, x));
		ok &= dc_service_entrypoint_explicit(b, y) == dc_service_entrypoint_explicit(a, x);
		list_of(a, x, 1, la, sizeof(la));
		list_of(b, y, 1, lb, sizeof(lb));
		ok &= strcmp(la, lb) == 0;
		if (!ok)
			fprintf(stderr, "%s: attributes of %s differ\n", what, name);
		CU_ASSERT_TRUE(ok);
	}
}

/* One line per dependency: "from>to kind timeout retries stage group" where
 * group is the sorted member list of its any_of group, or "-". With
 * backstage = 1, only "from>to kind" and any_of members count as hard. */
static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static char **edge_lines(const dc_catalog *cat, int backstage, size_t *count)
{
	size_t n = dc_catalog_dep_count(cat), d;
	char **out = calloc(n ? n : 1, sizeof(char *));
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	for (d = 0; d < n; d++) {
		char group[512] = "-", line[1024];
		unsigned gid = dc_dep_group(cat, d);
		dc_id from = dc_dep_from(cat, d);
		const char *kind = dc_dep_kind_name(dc_dep_kind_of(cat, d));
		if (gid) {
			/* members of the same group, in the declaring service's order */
			size_t f = dc_service_dep_first(cat, from), k, len = 0;
			for (k = f; k < f + dc_service_dep_count(cat, from); k++)
				if (dc_dep_group(cat, k) == gid)
					len += (size_t)snprintf(group + len, sizeof(group) > len ? sizeof(group) - len : 0,
								"%s%s", len ? "|" : "any_of:",
								dc_service_name(cat, dc_dep_to(cat, k)));
			if (backstage)
				kind = "hard"; /* Backstage: a member is a plain hard dependency */
		}
		if (backstage)
			snprintf(line, sizeof(line), "%s>%s %s", dc_service_name(cat, from),
				 dc_service_name(cat, dc_dep_to(cat, d)), kind);
		else
			snprintf(line, sizeof(line), "%s>%s %s %ums %ur stage%u %s", dc_service_name(cat, from),
				 dc_service_name(cat, dc_dep_to(cat, d)), kind, dc_dep_timeout_ms(cat, d),
				 dc_dep_retries(cat, d), dc_dep_stage(cat, d), group);
		out[d] = strdup(line);
	}
	qsort(out, n, sizeof(char *), cmp_str);
	*count = n;
	return out;
}

static void free_lines(char **l, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* Same sorted edge lines; print the differences. */
static void compare_edges(const dc_catalog *a, const dc_catalog *b, int backstage, const char *what)
{
	size_t na, nb, i = 0, j = 0, diffs = 0;
	char **la = edge_lines(a, backstage, &na), **lb = edge_lines(b, backstage, &nb);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(la[i], lb[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (diffs++ < 20)
			fprintf(stderr, "%s: %s only in %s: %s\n", what, c < 0 ? "edge" : "edge",
				c < 0 ? "native" : what, c < 0 ? la[i] : lb[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	CU_ASSERT_EQUAL(na, nb);
	CU_ASSERT_EQUAL(diffs, 0);
	free_lines(la, na);
	free_lines(lb, nb);
}

static void test_compose_same_graph(void)
{
	dc_catalog *n = load_clean(NATIVE), *c = load_clean(COMPOSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(dc_catalog_service_count(c), N_SERVICES);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(c), N_DEPS);
	CU_ASSERT_EQUAL(dc_service_format(c, th_id(c, "discovery")), DC_FORMAT_COMPOSE);
	compare_services(n, c, "compose");
	compare_edges(n, c, 0, "compose");
	/* the plain Compose entries: list form, `required: false`, and a Compose
	 * entry overridden by the x-depcheck one for the same service */
	CU_ASSERT_TRUE(th_has_dep(c, "rate-limiter", "config-service", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(c, "analytics", "monitoring", DC_DEP_SOFT));
	CU_ASSERT_TRUE(th_has_dep(c, "metadata", "discovery", DC_DEP_HARD));
	/* and the strongest form of "the same": the normalized catalogs are
	 * byte for byte equal (the Compose file lists the plain entries first,
	 * as catalog.yaml does) */
	{
		char *en = th_export(n, DC_OUTPUT_JSON), *ec = th_export(c, DC_OUTPUT_JSON);
		CU_ASSERT_FATAL(en && ec);
		CU_ASSERT_STRING_EQUAL(en, ec);
		free(en);
		free(ec);
	}
	dc_catalog_free(n);
	dc_catalog_free(c);
}

static void test_backstage_same_graph(void)
{
	dc_catalog *n = load_clean(NATIVE), *b = load_clean(BACKSTAGE);
	size_t i, api_edges = 0;
	dc_graph *g = NULL;
	dc_impact *imp;
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(dc_catalog_service_count(b), N_SERVICES);
	/* the any_of groups are flattened; no edge is gained or lost */
	CU_ASSERT_EQUAL(dc_catalog_dep_count(b), N_DEPS);
	CU_ASSERT_EQUAL(dc_service_format(b, th_id(b, "discovery")), DC_FORMAT_BACKSTAGE);
	CU_ASSERT_STRING_EQUAL(dc_service_ref(b, th_id(b, "storage-eu")), "resource:default/storage-eu");
	compare_services(n, b, "backstage");
	compare_edges(n, b, 1, "backstage");
	for (i = 0; i < dc_catalog_dep_count(b); i++) {
		CU_ASSERT_EQUAL(dc_dep_group(b, i), 0);
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(b, i), 1000);
		CU_ASSERT_EQUAL(dc_dep_retries(b, i), 0);
		CU_ASSERT_EQUAL(dc_dep_stage(b, i), 0);
		api_edges += strncmp(dc_dep_origin(b, i), "consumesApis", 12) == 0;
	}
	/* auth-api: 3 consumers, metadata-api: 14, playlist-api: 3 */
	CU_ASSERT_EQUAL(api_edges, 20);
	CU_ASSERT_TRUE(th_has_dep(b, "access-point", "library", DC_DEP_SOFT));
	CU_ASSERT_TRUE(th_has_dep(b, "metadata", "storage-us", DC_DEP_HARD));
	/* the documented difference, seen in a simulation: without any_of,
	 * losing storage-us takes its 8 readers and everything hard-depending
	 * on them DOWN */
	imp = fail_one(b, &g, "storage-us");
	CU_ASSERT(dc_impact_down_count(imp) > 1);
	CU_ASSERT_EQUAL(th_state(b, imp, "metadata"), DC_STATE_DOWN);
	dc_impact_free(imp);
	dc_graph_free(g);
	dc_catalog_free(n);
	dc_catalog_free(b);
}

/* ---- the platform team's form: manifests, Istio, OpenSLO, a CSV ---------- */

#define PLATFORM DC_TESTDATA "/examples/streaming-platform/catalog"

/* One line per dependency, in terms both forms can say: the kind (an any_of
 * member is a plain hard dependency: Kubernetes has no groups), the time
 * one attempt may take (native timeout_ms; the mesh's perTryTimeout when
 * set), whether a timeout was written, the retries and whether written, the
 * hang cost and the call factor. Stages are left out: no manifest field
 * orders a service's calls. */
static char **platform_lines(const dc_catalog *cat, size_t *count)
{
	size_t n = dc_catalog_dep_count(cat), d;
	char **out = calloc(n ? n : 1, sizeof(char *));
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	for (d = 0; d < n; d++) {
		char line[1024];
		double attempt = dc_dep_setting_is_set(cat, d, DC_DEP_PER_TRY_TIMEOUT)
					 ? dc_dep_setting_value(cat, d, DC_DEP_PER_TRY_TIMEOUT)
					 : (double)dc_dep_timeout_ms(cat, d);
		snprintf(line, sizeof(line), "%s>%s %s attempt %gms%s %ur%s hang %llums factor %g",
			 dc_service_name(cat, dc_dep_from(cat, d)), dc_service_name(cat, dc_dep_to(cat, d)),
			 dc_dep_group(cat, d) ? "hard" : dc_dep_kind_name(dc_dep_kind_of(cat, d)), attempt,
			 dc_dep_setting_is_set(cat, d, DC_DEP_TIMEOUT) ? " written" : "", dc_dep_retries(cat, d),
			 dc_dep_setting_is_set(cat, d, DC_DEP_RETRIES) ? " written" : "", dc_dep_hang_ms(cat, d),
			 dc_dep_call_factor(cat, d));
		out[d] = strdup(line);
	}
	qsort(out, n, sizeof(char *), cmp_str);
	*count = n;
	return out;
}

static void test_platform_same_graph(void)
{
	dc_catalog *n = load_clean(NATIVE), *p = load_clean(PLATFORM);
	size_t na, nb, i, diffs = 0, measured = 0;
	char **la, **lb;
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(dc_catalog_service_count(p), N_SERVICES);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(p), N_DEPS);
	CU_ASSERT_EQUAL(dc_service_format(p, th_id(p, "discovery")), DC_FORMAT_KUBERNETES);
	/* every attribute but tags (a workload is tagged with its kind) */
	for (i = 0; i < N_SERVICES; i++) {
		dc_id x = (dc_id)i, y = th_id(p, dc_service_name(n, x));
		char za[256], zb[256];
		int ok;
		CU_ASSERT_FATAL(y != DC_NO_ID);
		list_of(n, x, 0, za, sizeof(za));
		list_of(p, y, 0, zb, sizeof(zb));
		ok = dc_service_tier(p, y) == dc_service_tier(n, x) &&
		     dc_service_replicas(p, y) == dc_service_replicas(n, x) &&
		     dc_service_availability(p, y) == dc_service_availability(n, x) &&
		     dc_service_slo(p, y) == dc_service_slo(n, x) &&
		     dc_service_latency_ms(p, y) == dc_service_latency_ms(n, x) &&
		     dc_service_is_entrypoint(p, y) == dc_service_is_entrypoint(n, x) &&
		     !strcmp(za, zb) && str_eq(dc_service_owner(p, y), dc_service_owner(n, x)) &&
		     str_eq(dc_service_system(p, y), dc_service_system(n, x)) &&
		     str_eq(dc_service_description(p, y), dc_service_description(n, x));
		if (!ok)
			fprintf(stderr, "platform: attributes of %s differ\n", dc_service_name(n, x));
		CU_ASSERT_TRUE(ok);
		/* the same availability, measured (the CSV) where native declares it */
		if (dc_service_availability_source(n, x) == DC_AVAIL_SOURCE_DECLARED) {
			CU_ASSERT_EQUAL(dc_service_availability_source(p, y), DC_AVAIL_SOURCE_MEASURED);
			measured++;
		}
	}
	CU_ASSERT(measured > 30);
	la = platform_lines(n, &na);
	lb = platform_lines(p, &nb);
	CU_ASSERT_EQUAL(na, nb);
	for (i = 0; i < na && i < nb; i++)
		if (strcmp(la[i], lb[i]) && diffs++ < 20)
			fprintf(stderr, "platform: native %s\n          example %s\n", la[i], lb[i]);
	CU_ASSERT_EQUAL(diffs, 0);
	free_lines(la, na);
	free_lines(lb, nb);
	/* a retried call: 40 ms per attempt, one retry, 80 ms in all, cited at
	 * the VirtualService of discovery */
	{
		long d = th_dep_of(p, "api-gateway", "discovery");
		dc_location l;
		CU_ASSERT_FATAL(d >= 0);
		CU_ASSERT_EQUAL(dc_dep_timeout_ms(p, (size_t)d), 80);
		CU_ASSERT_EQUAL(dc_dep_retries(p, (size_t)d), 1);
		l = dc_dep_setting_location(p, (size_t)d, DC_DEP_TIMEOUT);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l.file);
		CU_ASSERT_PTR_NOT_NULL(strstr(l.file, "platform.yaml"));
		CU_ASSERT_TRUE(dc_dep_is_inferred(p, (size_t)d));
	}
	dc_catalog_free(n);
	dc_catalog_free(p);
}


/* The platform form with its service-graph answer (observed/service-graph.json,
 * Tempo's request counter over 5 minutes) as observed edges: every one of
 * the 172 declared calls is observed and carries its rate, the one call no
 * input declares (home-feed -> lyrics, 6 calls) becomes a soft observed
 * edge that the Istio objects leave alone (lyrics' VirtualService is scoped
 * to access-point), and the declared edges keep the values the mesh gave
 * them. */
static void test_platform_observed(void)
{
	dc_catalog *cat = NULL;
	dc_diags *d = NULL;
	dc_observed *o = NULL;
	size_t i, observed = 0, only = 0;
	long e;
	dc_dep_traffic t;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&o), 0);
	CU_ASSERT_EQUAL(dc_observed_add_file(o, DC_TESTDATA "/examples/streaming-platform/observed/service-graph.json",
					     NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, PLATFORM, NULL, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_observed(cat, o, NULL), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 0);
	th_print_diags(d);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), N_DEPS + 1);
	for (i = 0; i < dc_catalog_dep_count(cat); i++) {
		observed += dc_dep_observed(cat, i, NULL);
		only += dc_dep_is_observed(cat, i);
	}
	CU_ASSERT_EQUAL(observed, N_DEPS + 1);
	CU_ASSERT_EQUAL(only, 1);
	e = th_dep_of(cat, "home-feed", "lyrics");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_TRUE(dc_dep_is_observed(cat, (size_t)e));
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, (size_t)e), DC_DEP_SOFT);
	CU_ASSERT_FALSE(dc_dep_setting_is_set(cat, (size_t)e, DC_DEP_TIMEOUT));
	CU_ASSERT_TRUE_FATAL(dc_dep_observed(cat, (size_t)e, &t));
	CU_ASSERT_EQUAL(t.calls, 6);
	CU_ASSERT_DOUBLE_EQUAL(t.calls_per_s, 0.02, 1e-9);
	/* a declared call keeps the mesh's 80 ms and gets its observed rate */
	e = th_dep_of(cat, "api-gateway", "discovery");
	CU_ASSERT_FATAL(e >= 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, (size_t)e), 80);
	CU_ASSERT_TRUE(dc_dep_observed(cat, (size_t)e, &t));
	CU_ASSERT_TRUE(t.calls_per_s > 0);
	dc_observed_free(o);
	th_done(cat, d);
}

int suite_streaming(void)
{
	static const th_test tests[] = {
		{ "native catalog: counts, entrypoints, attributes", test_native_counts },
		{ "native catalog: one hard cycle, three cycles in all", test_native_cycles },
		{ "native catalog: failing discovery takes down 30", test_discovery_cascade },
		{ "native catalog: one storage region or CDN only degrades", test_storage_region_degrades },
		{ "compose form loads to the same graph", test_compose_same_graph },
		{ "backstage form loads to the same graph, modulo any_of and call options",
		  test_backstage_same_graph },
		{ "platform form with its service graph: observed traffic and one observed edge",
		  test_platform_observed },
		{ "platform form (manifests, Istio, OpenSLO, CSV) loads to the same graph, modulo stages",
		  test_platform_same_graph },
		{ NULL, NULL }
	};
	return th_suite("streaming", tests);
}
