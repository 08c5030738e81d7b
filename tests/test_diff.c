/*
 * test_diff.c - catalog diffs (lib/diff.c): hand-checked pairs (services,
 * dependencies, kinds and any_of groups, attributes, cycles that grow or
 * turn hard, SPOFs, blast deltas), the streaming example against its edited
 * copy (testdata/diff/streaming-head.yaml), seeded random catalogs with
 * random edits against a brute-force comparison of edge sets, attributes and
 * cycle member sets, the SVG map checked structurally through the CLI, the
 * policy comparison (dc_diff_check) and the gate (dc_diff_gate).
 */
#include "helpers.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	dc_catalog *cat[2];
	dc_diags *dg[2];
	dc_graph *g[2];
	dc_diff *d;
} fx;

static void fx_load(fx *f, const char *base, const char *head)
{
	memset(f, 0, sizeof(*f));
	CU_ASSERT_EQUAL_FATAL(th_load(&f->cat[0], &f->dg[0], "base.yaml", base, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(th_load(&f->cat[1], &f->dg[1], "head.yaml", head, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&f->g[0], f->cat[0]), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&f->g[1], f->cat[1]), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diff_compute(&f->d, f->g[0], f->g[1], NULL), 0);
}

static void fx_free(fx *f)
{
	int i;
	dc_diff_free(f->d);
	for (i = 0; i < 2; i++) {
		dc_graph_free(f->g[i]);
		dc_catalog_free(f->cat[i]);
		dc_diags_free(f->dg[i]);
	}
}

/* "a,b,c": names of ids on a side */
static void names(const dc_catalog *cat, const dc_id *ids, size_t n, char *buf, size_t size)
{
	size_t k;
	buf[0] = '\0';
	for (k = 0; k < n; k++) {
		if (k)
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, dc_service_name(cat, ids[k]), size - strlen(buf) - 1);
	}
}

/* "a>b,c>d": dependencies on a side */
static void dep_names(const dc_catalog *cat, const uint32_t *deps, size_t n, char *buf, size_t size)
{
	size_t k;
	buf[0] = '\0';
	for (k = 0; k < n; k++) {
		if (k)
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, dc_service_name(cat, dc_dep_from(cat, deps[k])), size - strlen(buf) - 1);
		strncat(buf, ">", size - strlen(buf) - 1);
		strncat(buf, dc_service_name(cat, dc_dep_to(cat, deps[k])), size - strlen(buf) - 1);
	}
}

static int added_is(const fx *f, const char *want)
{
	const dc_id *ids;
	char buf[1024];
	names(f->cat[1], ids, dc_diff_services_added(f->d, &ids), buf, sizeof(buf));
	return !strcmp(buf, want);
}

static int removed_is(const fx *f, const char *want)
{
	const dc_id *ids;
	char buf[1024];
	names(f->cat[0], ids, dc_diff_services_removed(f->d, &ids), buf, sizeof(buf));
	return !strcmp(buf, want);
}

static int deps_is(const fx *f, int added, const char *want)
{
	const uint32_t *deps;
	char buf[1024];
	size_t n = added ? dc_diff_deps_added(f->d, &deps) : dc_diff_deps_removed(f->d, &deps);
	dep_names(f->cat[added], deps, n, buf, sizeof(buf));
	return !strcmp(buf, want);
}

/* the fields of the changed dependency from -> to (head names), or -1 */
static long dep_change(const fx *f, const char *from, const char *to)
{
	const dc_diff_change *c;
	size_t n = dc_diff_deps_changed(f->d, &c), i;
	for (i = 0; i < n; i++)
		if (!strcmp(dc_service_name(f->cat[1], dc_dep_from(f->cat[1], c[i].head)), from) &&
		    !strcmp(dc_service_name(f->cat[1], dc_dep_to(f->cat[1], c[i].head)), to))
			return (long)c[i].fields;
	return -1;
}

static long attr_change(const fx *f, const char *svc)
{
	const dc_diff_change *c;
	size_t n = dc_diff_attributes(f->d, &c), i;
	for (i = 0; i < n; i++)
		if (!strcmp(dc_service_name(f->cat[1], c[i].head), svc))
			return (long)c[i].fields;
	return -1;
}

static int cycle_is(const fx *f, int hard, int added, size_t i, const char *want)
{
	const dc_id *m;
	char buf[1024];
	size_t n = dc_diff_cycle_members(f->d, (hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL), (dc_diff_direction)added, i, &m);
	names(f->cat[added], m, n, buf, sizeof(buf));
	return !strcmp(buf, want);
}

static int spofs_is(const fx *f, int added, const char *want)
{
	const dc_id *ids;
	char buf[1024];
	names(f->cat[added], ids, dc_diff_spofs(f->d, (dc_diff_direction)added, &ids), buf, sizeof(buf));
	return !strcmp(buf, want);
}

/* ---- hand-checked ------------------------------------------------------------ */

static void test_services_and_deps(void)
{
	fx f;
	fx_load(&f,
		"services:\n"
		"  - {name: web, entrypoint: true, depends_on: [api, {service: ads, kind: soft}]}\n"
		"  - {name: api, tier: 2, owner: a, depends_on: [{service: db, timeout_ms: 100}, cache]}\n"
		"  - {name: ads}\n  - {name: cache}\n  - {name: db}\n  - {name: old}\n",
		"services:\n"
		"  - {name: web, entrypoint: true, depends_on: [api, ads, new]}\n"
		"  - {name: api, tier: 1, owner: a, depends_on: [{service: db, timeout_ms: 250, retries: 2}]}\n"
		"  - {name: ads}\n  - {name: cache}\n  - {name: db}\n  - {name: new, depends_on: [db]}\n");
	CU_ASSERT_TRUE(added_is(&f, "new"));
	CU_ASSERT_TRUE(removed_is(&f, "old"));
	CU_ASSERT_TRUE(deps_is(&f, 1, "new>db,web>new"));
	CU_ASSERT_TRUE(deps_is(&f, 0, "api>cache"));
	CU_ASSERT_EQUAL(dep_change(&f, "web", "ads"), DC_DIFF_KIND);
	CU_ASSERT_EQUAL(dep_change(&f, "api", "db"), DC_DIFF_TIMEOUT | DC_DIFF_RETRIES);
	CU_ASSERT_EQUAL(dep_change(&f, "web", "api"), -1);
	CU_ASSERT_EQUAL(attr_change(&f, "api"), DC_DIFF_TIER);
	/* cache lost its only dependent: it became an entrypoint (effective flag) */
	CU_ASSERT_EQUAL(attr_change(&f, "cache"), DC_DIFF_ENTRYPOINT);
	CU_ASSERT_EQUAL(attr_change(&f, "web"), -1);
	CU_ASSERT_STRING_EQUAL(dc_diff_field_name(DC_DIFF_TIER, DC_DIFF_SERVICE_FIELD), "tier");
	CU_ASSERT_STRING_EQUAL(dc_diff_field_name(DC_DIFF_TIMEOUT, DC_DIFF_DEP_FIELD), "timeout_ms");
	CU_ASSERT_PTR_NULL(dc_diff_field_name(1u << 20, DC_DIFF_SERVICE_FIELD));
	/* ads now hard for web: ads takes web down, a new SPOF */
	CU_ASSERT_TRUE(spofs_is(&f, 1, "ads,new"));
	CU_ASSERT_TRUE(spofs_is(&f, 0, "cache"));
	/* the entrypoints each takes down, on its own side: ads and new take
	 * web down in head; cache took web down (through api) in base, and the
	 * soft ads nothing; db both times */
	CU_ASSERT_PTR_EQUAL(dc_diff_base(f.d), f.g[0]);
	CU_ASSERT_PTR_EQUAL(dc_diff_head(f.d), f.g[1]);
	{
		const dc_id *eps;
		CU_ASSERT_EQUAL_FATAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_HEAD, th_id(f.cat[1], "ads"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(f.cat[1], "web"));
		CU_ASSERT_EQUAL(dc_diff_spof_total(f.d, DC_DIFF_HEAD, th_id(f.cat[1], "ads")), 1);
		CU_ASSERT_EQUAL_FATAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_HEAD, th_id(f.cat[1], "new"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(f.cat[1], "web"));
		CU_ASSERT_EQUAL_FATAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_BASE, th_id(f.cat[0], "cache"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(f.cat[0], "web"));
		CU_ASSERT_EQUAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_BASE, th_id(f.cat[0], "ads"), &eps), 0);
		CU_ASSERT_EQUAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_HEAD, th_id(f.cat[1], "cache"), &eps), 0);
		CU_ASSERT_EQUAL_FATAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_BASE, th_id(f.cat[0], "db"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(f.cat[0], "web"));
		CU_ASSERT_EQUAL_FATAL(dc_diff_spof_entrypoints(f.d, DC_DIFF_HEAD, th_id(f.cat[1], "db"), &eps), 1);
		CU_ASSERT_EQUAL(eps[0], th_id(f.cat[1], "web"));
	}
	CU_ASSERT_TRUE(dc_diff_risk_increased(f.d));
	CU_ASSERT_FALSE(dc_diff_is_empty(f.d));
	CU_ASSERT_EQUAL(dc_diff_head_of(f.d, th_id(f.cat[0], "old")), DC_NO_ID);
	CU_ASSERT_EQUAL(dc_diff_base_of(f.d, th_id(f.cat[1], "api")), th_id(f.cat[0], "api"));
	{
		/* blast: db took api, web down (2); now api, new, web (3) */
		const dc_diff_blast *r;
		size_t n = dc_diff_blast_changes(f.d, DC_DIFF_GREW, &r), i;
		int found = 0;
		for (i = 0; i < n; i++)
			if (r[i].head == th_id(f.cat[1], "db")) {
				CU_ASSERT_EQUAL(r[i].base_down, 2);
				CU_ASSERT_EQUAL(r[i].head_down, 3);
				found = 1;
			}
		CU_ASSERT_TRUE(found);
		/* cache took api and web down; now nothing */
		n = dc_diff_blast_changes(f.d, DC_DIFF_SHRANK, &r);
		CU_ASSERT_EQUAL_FATAL(n, 1);
		CU_ASSERT_EQUAL(r[0].head, th_id(f.cat[1], "cache"));
		CU_ASSERT_EQUAL(r[0].base_down, 2);
		CU_ASSERT_EQUAL(r[0].head_down, 0);
	}
	fx_free(&f);
}

static void test_any_of(void)
{
	fx f;
	/* a: group [b, c] -> [b, d]; e: group [b, c] -> plain hard b, soft c;
	 * g: group [b, c] -> the same group written in the other order */
	fx_load(&f,
		"services:\n"
		"  - {name: a, depends_on: [{any_of: [b, c]}]}\n"
		"  - {name: e, depends_on: [{any_of: [b, c]}]}\n"
		"  - {name: g, depends_on: [{any_of: [b, c]}]}\n"
		"  - {name: b}\n  - {name: c}\n  - {name: d}\n",
		"services:\n"
		"  - {name: a, depends_on: [{any_of: [b, d]}]}\n"
		"  - {name: e, depends_on: [b, {service: c, kind: soft}]}\n"
		"  - {name: g, depends_on: [{any_of: [c, b]}]}\n"
		"  - {name: b}\n  - {name: c}\n  - {name: d}\n");
	CU_ASSERT_EQUAL(dep_change(&f, "a", "b"), DC_DIFF_ANY_OF);
	CU_ASSERT_TRUE(deps_is(&f, 1, "a>d"));
	CU_ASSERT_TRUE(deps_is(&f, 0, "a>c"));
	CU_ASSERT_EQUAL(dep_change(&f, "e", "b"), DC_DIFF_KIND);
	CU_ASSERT_EQUAL(dep_change(&f, "e", "c"), DC_DIFF_KIND);
	CU_ASSERT_EQUAL(dep_change(&f, "g", "b"), -1);
	CU_ASSERT_EQUAL(dep_change(&f, "g", "c"), -1);
	CU_ASSERT_STRING_EQUAL(dc_diff_dep_kind_label(f.cat[0], (size_t)th_dep_of(f.cat[0], "e", "b")), "any_of");
	CU_ASSERT_STRING_EQUAL(dc_diff_dep_kind_label(f.cat[1], (size_t)th_dep_of(f.cat[1], "e", "c")), "soft");
	fx_free(&f);
}

static void test_cycles(void)
{
	fx f;
	/* p <-> q hard grows into p -> q -> r -> p; x <-> y soft turns hard;
	 * m <-> n hard disappears */
	fx_load(&f,
		"services:\n"
		"  - {name: p, depends_on: [q]}\n  - {name: q, depends_on: [p]}\n  - {name: r}\n"
		"  - {name: x, depends_on: [{service: y, kind: soft}]}\n"
		"  - {name: y, depends_on: [{service: x, kind: soft}]}\n"
		"  - {name: m, depends_on: [n]}\n  - {name: n, depends_on: [m]}\n",
		"services:\n"
		"  - {name: p, depends_on: [q]}\n  - {name: q, depends_on: [r]}\n  - {name: r, depends_on: [p]}\n"
		"  - {name: x, depends_on: [y]}\n  - {name: y, depends_on: [x]}\n"
		"  - {name: m, depends_on: [n]}\n  - {name: n}\n");
	/* new hard: {p,q,r} and {x,y}; the all-edge {p,q,r} equals the hard one: once */
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_HARD_ONLY, DC_DIFF_ADDED), 2);
	CU_ASSERT_TRUE(cycle_is(&f, 1, 1, 0, "p,q,r"));
	CU_ASSERT_TRUE(cycle_is(&f, 1, 1, 1, "x,y"));
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_ALL, DC_DIFF_ADDED), 0);
	/* gone: hard {p,q} and {m,n}; the all-edge {x,y} stays (now hard) */
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_HARD_ONLY, DC_DIFF_REMOVED), 2);
	CU_ASSERT_TRUE(cycle_is(&f, 1, 0, 0, "m,n"));
	CU_ASSERT_TRUE(cycle_is(&f, 1, 0, 1, "p,q"));
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_ALL, DC_DIFF_REMOVED), 0);
	CU_ASSERT_TRUE(dc_diff_risk_increased(f.d));
	fx_free(&f);
	/* a soft cycle appearing is listed as a cycle, not a hard one */
	fx_load(&f, "services:\n  - {name: a, depends_on: [b]}\n  - {name: b}\n",
		"services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [{service: a, kind: soft}]}\n");
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_HARD_ONLY, DC_DIFF_ADDED), 0);
	CU_ASSERT_EQUAL(dc_diff_cycle_count(f.d, DC_EDGES_ALL, DC_DIFF_ADDED), 1);
	CU_ASSERT_TRUE(cycle_is(&f, 0, 1, 0, "a,b"));
	fx_free(&f);
}

static void test_attributes(void)
{
	fx f;
	fx_load(&f,
		"services:\n"
		"  - {name: s, owner: o1, system: sys, tier: 2, replicas: 3, zones: [a, b], tags: [x],\n"
		"     availability: 0.99, slo: 0.9, latency_ms: 5, description: d}\n"
		"  - {name: t, zones: [a, b], tags: [x, y]}\n",
		"services:\n"
		"  - {name: s, owner: o2, tier: 2, replicas: 4, zones: [a, c], tags: [x],\n"
		"     availability: 0.999, latency_ms: 6, description: d, external: true}\n"
		"  - {name: t, zones: [b, a], tags: [y, x, x]}\n");
	CU_ASSERT_EQUAL(attr_change(&f, "s"), DC_DIFF_OWNER | DC_DIFF_SYSTEM | DC_DIFF_REPLICAS | DC_DIFF_ZONES |
			DC_DIFF_AVAILABILITY | DC_DIFF_SLO | DC_DIFF_LATENCY | DC_DIFF_EXTERNAL | DC_DIFF_ENTRYPOINT);
	/* zones and tags compare as sets */
	CU_ASSERT_EQUAL(attr_change(&f, "t"), -1);
	CU_ASSERT_FALSE(dc_diff_risk_increased(f.d));
	fx_free(&f);
}

/* Regression (issue 14): a changed url was not a change. */
static void test_url(void)
{
	fx f;
	fx_load(&f,
		"services:\n  - {name: a, url: \"https://wiki/a\"}\n  - {name: b, url: \"https://wiki/b\"}\n"
		"  - {name: c}\n  - {name: d, url: \"https://wiki/d\"}\n",
		"services:\n  - {name: a, url: \"https://runbooks/a\"}\n  - {name: b}\n"
		"  - {name: c, url: \"https://wiki/c\"}\n  - {name: d, url: \"https://wiki/d\"}\n");
	CU_ASSERT_EQUAL(attr_change(&f, "a"), DC_DIFF_URL);
	CU_ASSERT_EQUAL(attr_change(&f, "b"), DC_DIFF_URL);   /* removed */
	CU_ASSERT_EQUAL(attr_change(&f, "c"), DC_DIFF_URL);   /* added */
	CU_ASSERT_EQUAL(attr_change(&f, "d"), -1);
	CU_ASSERT_STRING_EQUAL(dc_diff_field_name(DC_DIFF_URL, DC_DIFF_SERVICE_FIELD), "url");
	CU_ASSERT_STRING_EQUAL(dc_diff_field_name(DC_DIFF_STAGE, DC_DIFF_DEP_FIELD), "stage");
	CU_ASSERT_PTR_NULL(dc_diff_field_name(DC_DIFF_SERVICE_LAST << 1, DC_DIFF_SERVICE_FIELD));
	CU_ASSERT_PTR_NULL(dc_diff_field_name(DC_DIFF_DEP_LAST << 1, DC_DIFF_DEP_FIELD));
	CU_ASSERT_FALSE(dc_diff_is_empty(f.d));
	CU_ASSERT_FALSE(dc_diff_risk_increased(f.d));
	fx_free(&f);
}

static void test_same(void)
{
	fx f;
	const char *y = "services:\n  - {name: a, entrypoint: true, depends_on: [b, {any_of: [c, d]}]}\n"
			"  - {name: b, depends_on: [a]}\n  - {name: c}\n  - {name: d}\n";
	dc_diff_options o = DC_DIFF_OPTIONS_INIT;
	dc_diff *d2 = NULL;
	fx_load(&f, y, y);
	CU_ASSERT_TRUE(dc_diff_is_empty(f.d));
	CU_ASSERT_FALSE(dc_diff_risk_increased(f.d));
	o.version = 42;
	CU_ASSERT_EQUAL(dc_diff_compute(&d2, f.g[0], f.g[1], &o), DC_EINVALID);
	CU_ASSERT_PTR_NULL(d2);
	o.version = 0;
	CU_ASSERT_EQUAL(dc_diff_compute(&d2, f.g[0], f.g[1], &o), DC_EINVALID);
	o.version = 1;   /* every version from 1 to the current one */
	CU_ASSERT_EQUAL(dc_diff_compute(&d2, f.g[0], f.g[1], &o), 0);
	dc_diff_free(d2);
	o.version = DC_DIFF_OPTIONS_VERSION;
	o.flags = DC_DIFF_NO_BLAST;
	CU_ASSERT_EQUAL(dc_diff_compute(&d2, f.g[0], f.g[1], &o), 0);
	CU_ASSERT_EQUAL(dc_diff_blast_down(d2, DC_DIFF_HEAD, 0), 0);
	dc_diff_free(d2);
	dc_diff_free(NULL);
	fx_free(&f);
}

/* Backstage entities match by full reference, whatever their display names */
static void test_backstage_refs(void)
{
	fx f;
	const char *base =
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: api}\n"
		"spec: {type: service, owner: team, dependsOn: ['resource:db']}\n---\n"
		"apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: db}\nspec: {type: database, owner: team}\n";
	const char *head =
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: api}\n"
		"spec: {type: service, owner: team, dependsOn: ['resource:db']}\n---\n"
		"apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: db}\nspec: {type: database, owner: team}\n---\n"
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: db}\nspec: {type: service, owner: team}\n";
	fx_load(&f, base, head);
	/* a component:db joins: "db" is no longer a unique name (the display names
	 * change), but the resource still matches by its full reference */
	CU_ASSERT_EQUAL(dc_diff_services_added(f.d, &(const dc_id *){ NULL }), 1);
	CU_ASSERT_EQUAL(dc_diff_services_removed(f.d, &(const dc_id *){ NULL }), 0);
	CU_ASSERT_EQUAL(dc_diff_deps_added(f.d, &(const uint32_t *){ NULL }), 0);
	CU_ASSERT_EQUAL(dc_diff_deps_removed(f.d, &(const uint32_t *){ NULL }), 0);
	fx_free(&f);
}

/* The streaming example against its edited copy (see the file's header). */
static void test_streaming(void)
{
	dc_catalog *cat[2];
	dc_diags *dg;
	dc_graph *g[2];
	dc_diff *d;
	const char *pb[] = { DC_TESTDATA "/catalogs/streaming/catalog.yaml" };
	const char *ph[] = { DC_TESTDATA "/diff/streaming-head.yaml" };
	fx f;
	dc_diags_new(&dg);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_load(&cat[0], pb, 1, NULL, dg), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_load(&cat[1], ph, 1, NULL, dg), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g[0], cat[0]), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g[1], cat[1]), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diff_compute(&d, g[0], g[1], NULL), 0);
	memset(&f, 0, sizeof(f));
	f.cat[0] = cat[0];
	f.cat[1] = cat[1];
	f.d = d;
	CU_ASSERT_TRUE(added_is(&f, "podcasts,warehouse-v2"));
	CU_ASSERT_TRUE(removed_is(&f, "data-warehouse"));
	CU_ASSERT_TRUE(deps_is(&f, 1, "access-point>podcasts,analytics>warehouse-v2,lyrics-provider>lyrics,"
				 "podcasts>discovery,podcasts>metadata"));
	CU_ASSERT_TRUE(deps_is(&f, 0, "analytics>data-warehouse,artwork>monitoring,artwork>storage-us"));
	CU_ASSERT_EQUAL(dep_change(&f, "playback", "ads"), DC_DIFF_KIND);
	CU_ASSERT_EQUAL(dep_change(&f, "playback", "license"), DC_DIFF_TIMEOUT);
	CU_ASSERT_EQUAL(dep_change(&f, "artwork", "storage-eu"), DC_DIFF_KIND);
	CU_ASSERT_EQUAL(attr_change(&f, "lyrics"), DC_DIFF_TIER | DC_DIFF_ZONES);
	CU_ASSERT_EQUAL(dc_diff_cycle_count(d, DC_EDGES_HARD_ONLY, DC_DIFF_ADDED), 1);
	CU_ASSERT_TRUE(cycle_is(&f, 1, 1, 0, "lyrics,lyrics-provider"));
	CU_ASSERT_TRUE(spofs_is(&f, 1, "podcasts"));
	CU_ASSERT_TRUE(spofs_is(&f, 0, "ads"));
	{
		const dc_diff_blast *r;
		CU_ASSERT_EQUAL_FATAL(dc_diff_blast_changes(d, DC_DIFF_GREW, &r) > 0, 1);
		/* discovery and config-service (one hard cycle) now also take podcasts
		 * and the new lyrics cycle's other member down: +2, first by name */
		CU_ASSERT_STRING_EQUAL(dc_service_name(cat[1], r[0].head), "config-service");
		CU_ASSERT_EQUAL(r[0].head_down - r[0].base_down, 2);
	}
	dc_diff_free(d);
	dc_graph_free(g[0]);
	dc_graph_free(g[1]);
	dc_catalog_free(cat[0]);
	dc_catalog_free(cat[1]);
	dc_diags_free(dg);
}

/* ---- randomized against a brute-force comparison ------------------------------------ */

typedef struct {
	char name[16];
	int tier, replicas, alive;
	char owner[8];
} rsvc;

typedef struct {
	unsigned from, to;  /* indexes into the service array */
	int kind, alive;
	unsigned group;     /* 0 or a group number (same from for all members) */
	unsigned timeout, retries, stage;
} rdep;

typedef struct {
	rsvc s[64];
	unsigned ns;
	rdep e[512];
	unsigned ne;
} rspec;

static dc_catalog *build(const rspec *sp)
{
	dc_catalog *cat;
	dc_loc_int loc = { 0, 0, 0 };
	dc_id ids[64];
	uint32_t refs[64], gmap[1024];
	unsigned i;
	if (dc_catalog_new(&cat))
		return NULL;
	memset(gmap, 0, sizeof(gmap));
	for (i = 0; i < sp->ns; i++) {
		if (!sp->s[i].alive)
			continue;
		refs[i] = cat_intern(cat, sp->s[i].name);
		if (cat_add_service(cat, refs[i], loc, DC_FORMAT_NATIVE, NULL, &ids[i]))
			goto fail;
		cat_svc(cat, ids[i])->tier = (uint8_t)sp->s[i].tier;
		cat_svc(cat, ids[i])->replicas = (uint32_t)sp->s[i].replicas;
		cat_svc(cat, ids[i])->owner = cat_intern(cat, sp->s[i].owner);
	}
	for (i = 0; i < sp->ne; i++) {
		const rdep *e = &sp->e[i];
		dep_t d;
		if (!e->alive || !sp->s[e->from].alive || !sp->s[e->to].alive)
			continue;
		cat_dep_init(&d, ids[e->from], refs[e->to], loc);
		d.kind = (uint8_t)e->kind;
		d.timeout_ms = e->timeout;
		d.retries = e->retries;
		d.stage = e->stage;
		if (e->group) {
			if (!gmap[e->group])
				gmap[e->group] = cat_new_group(cat);
			d.group = gmap[e->group];
		}
		if (cat_add_dep(cat, &d))
			goto fail;
	}
	if (dc_catalog_finalize(cat, NULL))
		goto fail;
	return cat;
fail:
	dc_catalog_free(cat);
	return NULL;
}

static int live(const rspec *sp, const rdep *e)
{
	return e->alive && sp->s[e->from].alive && sp->s[e->to].alive;
}

/* the live edge from -> to of a spec, or NULL */
static const rdep *find_edge(const rspec *sp, const char *from, const char *to)
{
	unsigned i;
	for (i = 0; i < sp->ne; i++)
		if (live(sp, &sp->e[i]) && !strcmp(sp->s[sp->e[i].from].name, from) &&
		    !strcmp(sp->s[sp->e[i].to].name, to))
			return &sp->e[i];
	return NULL;
}

/* the brute-force changed bits of a matched edge */
static unsigned oracle_fields(const rspec *a, const rdep *x, const rspec *b, const rdep *y)
{
	unsigned f = 0, i, j;
	if (x->kind != y->kind || !x->group != !y->group) {
		f |= DC_DIFF_KIND;
	} else if (x->group) {
		/* member target names, as sets */
		unsigned na = 0, nb = 0, same = 1;
		for (i = 0; i < a->ne; i++)
			if (live(a, &a->e[i]) && a->e[i].group == x->group)
				na++;
		for (i = 0; i < b->ne; i++)
			if (live(b, &b->e[i]) && b->e[i].group == y->group) {
				int found = 0;
				nb++;
				for (j = 0; j < a->ne; j++)
					if (live(a, &a->e[j]) && a->e[j].group == x->group &&
					    !strcmp(a->s[a->e[j].to].name, b->s[b->e[i].to].name))
						found = 1;
				same &= found;
			}
		if (!same || na != nb)
			f |= DC_DIFF_ANY_OF;
	}
	if (x->timeout != y->timeout) f |= DC_DIFF_TIMEOUT;
	if (x->retries != y->retries) f |= DC_DIFF_RETRIES;
	if (x->stage != y->stage) f |= DC_DIFF_STAGE;
	return f;
}

/* cycles by brute force: transitive closure; a cycle is a set of >= 2
 * mutually reaching services, written "a,b,c" in name order */
static int cycles_of(const rspec *sp, int hard, char out[][512], int max)
{
	static uint8_t r[64][64];
	unsigned i, j, k;
	int n = 0;
	memset(r, 0, sizeof(r));
	for (i = 0; i < sp->ne; i++) {
		const rdep *e = &sp->e[i];
		if (!live(sp, e) || (hard && (e->kind != DC_DEP_HARD || e->group)))
			continue;
		r[e->from][e->to] = 1;
	}
	for (k = 0; k < sp->ns; k++)
		for (i = 0; i < sp->ns; i++)
			if (r[i][k])
				for (j = 0; j < sp->ns; j++)
					if (r[k][j])
						r[i][j] = 1;
	for (i = 0; i < sp->ns && n < max; i++) {
		const char *mem[64];
		unsigned m = 0, a, b, lowest = 1;
		if (!sp->s[i].alive)
			continue;
		for (j = 0; j < sp->ns; j++)
			if (sp->s[j].alive && (j == i || (r[i][j] && r[j][i])))
				mem[m++] = sp->s[j].name;
		for (j = 0; j < i; j++)
			if (sp->s[j].alive && r[i][j] && r[j][i])
				lowest = 0;
		if (m < 2 || !lowest)
			continue;
		for (a = 0; a < m; a++)
			for (b = a + 1; b < m; b++)
				if (strcmp(mem[b], mem[a]) < 0) {
					const char *t = mem[a];
					mem[a] = mem[b];
					mem[b] = t;
				}
		out[n][0] = '\0';
		for (a = 0; a < m; a++) {
			if (a)
				strcat(out[n], ",");
			strcat(out[n], mem[a]);
		}
		n++;
	}
	return n;
}

static int in_list(char list[][512], int n, const char *s)
{
	int i;
	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* how often each kind of difference came up, so the random rounds are known
 * to exercise every path */
static size_t seen_anyof, seen_kind, seen_added, seen_removed, seen_cycles, seen_attrs, seen_blast;

static void check_random(const rspec *a, const rspec *b)
{
	dc_catalog *ca = build(a), *cb = build(b);
	dc_graph *ga = NULL, *gb = NULL;
	dc_diff *d = NULL;
	const uint32_t *deps;
	const dc_diff_change *ch;
	const dc_id *ids;
	size_t n, i, want;
	unsigned k;
	static char cyc[4][64][512];
	int nc[4], hard, side;
	CU_ASSERT_PTR_NOT_NULL_FATAL(ca);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cb);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&ga, ca), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&gb, cb), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diff_compute(&d, ga, gb, NULL), 0);
	/* added edges: in b, not in a (by names) */
	n = dc_diff_deps_added(d, &deps);
	for (i = 0, want = 0; i < b->ne; i++)
		if (live(b, &b->e[i]) && !find_edge(a, b->s[b->e[i].from].name, b->s[b->e[i].to].name))
			want++;
	CU_ASSERT_EQUAL(n, want);
	for (i = 0; i < n; i++)
		CU_ASSERT_PTR_NULL(find_edge(a, dc_service_name(cb, dc_dep_from(cb, deps[i])),
					     dc_service_name(cb, dc_dep_to(cb, deps[i]))));
	n = dc_diff_deps_removed(d, &deps);
	for (i = 0, want = 0; i < a->ne; i++)
		if (live(a, &a->e[i]) && !find_edge(b, a->s[a->e[i].from].name, a->s[a->e[i].to].name))
			want++;
	CU_ASSERT_EQUAL(n, want);
	for (i = 0; i < n; i++)
		CU_ASSERT_PTR_NULL(find_edge(b, dc_service_name(ca, dc_dep_from(ca, deps[i])),
					     dc_service_name(ca, dc_dep_to(ca, deps[i]))));
	/* changed edges: exactly the matched ones whose oracle bits are non-zero */
	n = dc_diff_deps_changed(d, &ch);
	for (i = 0, want = 0; i < a->ne; i++) {
		const rdep *x = &a->e[i], *y;
		if (!live(a, x) || !(y = find_edge(b, a->s[x->from].name, a->s[x->to].name)))
			continue;
		if (oracle_fields(a, x, b, y))
			want++;
	}
	CU_ASSERT_EQUAL(n, want);
	for (i = 0; i < n; i++) {
		seen_anyof += (ch[i].fields & DC_DIFF_ANY_OF) != 0;
		seen_kind += (ch[i].fields & DC_DIFF_KIND) != 0;
	}
	seen_added += dc_diff_deps_added(d, &deps);
	seen_removed += dc_diff_deps_removed(d, &deps);
	seen_cycles += dc_diff_cycle_count(d, DC_EDGES_HARD_ONLY, DC_DIFF_ADDED) + dc_diff_cycle_count(d, DC_EDGES_ALL, DC_DIFF_ADDED);
	seen_attrs += dc_diff_attributes(d, &ch);
	n = dc_diff_deps_changed(d, &ch);
	for (i = 0; i < n; i++) {
		const char *f = dc_service_name(cb, dc_dep_from(cb, ch[i].head));
		const char *t = dc_service_name(cb, dc_dep_to(cb, ch[i].head));
		const rdep *x = find_edge(a, f, t), *y = find_edge(b, f, t);
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT_PTR_NOT_NULL_FATAL(y);
		CU_ASSERT_EQUAL(ch[i].fields, oracle_fields(a, x, b, y));
	}
	/* services and attributes */
	n = dc_diff_services_added(d, &ids);
	for (k = 0, want = 0; k < b->ns; k++) {
		unsigned j, found = 0;
		if (!b->s[k].alive)
			continue;
		for (j = 0; j < a->ns; j++)
			found |= a->s[j].alive && !strcmp(a->s[j].name, b->s[k].name);
		want += !found;
	}
	CU_ASSERT_EQUAL(n, want);
	n = dc_diff_attributes(d, &ch);
	for (i = 0; i < n; i++) {
		const char *nm = dc_service_name(cb, ch[i].head);
		unsigned ia = 0, ib = 0, f = 0;
		while (ia < a->ns && strcmp(a->s[ia].name, nm))
			ia++;
		while (ib < b->ns && strcmp(b->s[ib].name, nm))
			ib++;
		CU_ASSERT_FATAL(ia < a->ns && ib < b->ns);
		if (a->s[ia].tier != b->s[ib].tier) f |= DC_DIFF_TIER;
		if (a->s[ia].replicas != b->s[ib].replicas) f |= DC_DIFF_REPLICAS;
		if (strcmp(a->s[ia].owner, b->s[ib].owner)) f |= DC_DIFF_OWNER;
		if (dc_service_is_entrypoint(ca, ch[i].base) != dc_service_is_entrypoint(cb, ch[i].head))
			f |= DC_DIFF_ENTRYPOINT;
		CU_ASSERT_EQUAL(ch[i].fields, f);
	}
	/* cycles: member sets only on one side; an all-edge cycle equal to a
	 * listed hard one is listed once, as hard */
	nc[0] = cycles_of(a, 0, cyc[0], 64);
	nc[1] = cycles_of(a, 1, cyc[1], 64);
	nc[2] = cycles_of(b, 0, cyc[2], 64);
	nc[3] = cycles_of(b, 1, cyc[3], 64);
	for (side = 0; side < 2; side++)
		for (hard = 1; hard >= 0; hard--) {
			char (*mine)[512] = cyc[side * 2 + hard], (*other)[512] = cyc[(!side) * 2 + hard];
			int nm = nc[side * 2 + hard], no = nc[(!side) * 2 + hard], x, cnt = 0;
			const dc_catalog *cat = side ? cb : ca;
			for (x = 0; x < nm; x++) {
				if (in_list(other, no, mine[x]))
					continue;
				if (!hard && in_list(cyc[side * 2 + 1], nc[side * 2 + 1], mine[x]) &&
				    !in_list(cyc[(!side) * 2 + 1], nc[(!side) * 2 + 1], mine[x]))
					continue;
				cnt++;
			}
			CU_ASSERT_EQUAL(dc_diff_cycle_count(d, (hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL), (dc_diff_direction)side), (size_t)cnt);
			for (i = 0; i < dc_diff_cycle_count(d, (hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL), (dc_diff_direction)side); i++) {
				char buf[512];
				size_t m = dc_diff_cycle_members(d, (hard ? DC_EDGES_HARD_ONLY : DC_EDGES_ALL), (dc_diff_direction)side, i, &ids);
				names(cat, ids, m, buf, sizeof(buf));
				CU_ASSERT_TRUE(in_list(mine, nm, buf) && !in_list(other, no, buf));
			}
		}
	/* blast rows agree with each side's own blast radii */
	{
		dc_blast *ba, *bb;
		const dc_diff_blast *r;
		size_t changed = 0, listed;
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&ba, ga), 0);
		CU_ASSERT_EQUAL_FATAL(dc_blast_compute(&bb, gb), 0);
		for (i = 0; i < dc_catalog_service_count(ca); i++) {
			dc_id t = dc_diff_head_of(d, (dc_id)i);
			if (t != DC_NO_ID && (dc_blast_down(ba, (dc_id)i) != dc_blast_down(bb, t) ||
					      dc_blast_degraded(ba, (dc_id)i) != dc_blast_degraded(bb, t)))
				changed++;
		}
		listed = dc_diff_blast_changes(d, DC_DIFF_GREW, &r);
		for (i = 0; i < listed; i++) {
			CU_ASSERT_EQUAL(r[i].head_down, dc_blast_down(bb, r[i].head));
			CU_ASSERT_EQUAL(r[i].base_down, dc_blast_down(ba, r[i].base));
			CU_ASSERT_TRUE(r[i].head_down > r[i].base_down ||
				       (r[i].head_down == r[i].base_down && r[i].head_degraded > r[i].base_degraded));
			if (i)
				CU_ASSERT_TRUE(r[i].head_down - r[i].base_down <= r[i - 1].head_down - r[i - 1].base_down);
		}
		listed += dc_diff_blast_changes(d, DC_DIFF_SHRANK, &r);
		seen_blast += listed;
		CU_ASSERT_EQUAL(listed, changed);
		dc_blast_free(ba);
		dc_blast_free(bb);
	}
	dc_diff_free(d);
	dc_graph_free(ga);
	dc_graph_free(gb);
	dc_catalog_free(ca);
	dc_catalog_free(cb);
}

static void random_spec(uint64_t *seed, rspec *sp)
{
	unsigned i, tries, next_group = 1;
	memset(sp, 0, sizeof(*sp));
	sp->ns = 4 + gen_below(seed, 20);
	for (i = 0; i < sp->ns; i++) {
		snprintf(sp->s[i].name, sizeof(sp->s[i].name), "s%u", i);
		sp->s[i].alive = 1;
		sp->s[i].tier = (int)gen_below(seed, 5);
		sp->s[i].replicas = 1 + (int)gen_below(seed, 3);
		snprintf(sp->s[i].owner, sizeof(sp->s[i].owner), "o%u", gen_below(seed, 3));
	}
	for (tries = 0; tries < sp->ns * 4 && sp->ne < 200; tries++) {
		unsigned u = gen_below(seed, sp->ns), v = gen_below(seed, sp->ns), k, dup = 0;
		rdep *e;
		if (sp->ne && gen_below(seed, 3) == 0)
			u = sp->e[sp->ne - 1].from; /* runs of one caller: room for groups */
		if (u == v)
			continue;
		for (k = 0; k < sp->ne; k++)
			dup |= sp->e[k].from == u && sp->e[k].to == v;
		if (dup)
			continue;
		e = &sp->e[sp->ne++];
		e->from = u;
		e->to = v;
		e->alive = 1;
		e->kind = gen_below(seed, 4) == 0 ? DC_DEP_SOFT : DC_DEP_HARD;
		e->timeout = 100 * (1 + gen_below(seed, 3));
		e->retries = gen_below(seed, 2);
		e->stage = gen_below(seed, 2);
		/* sometimes join the previous edge's group (same caller) */
		if (sp->ne >= 2 && sp->e[sp->ne - 2].from == u && gen_below(seed, 3) == 0) {
			if (!sp->e[sp->ne - 2].group)
				sp->e[sp->ne - 2].group = next_group++;
			e->group = sp->e[sp->ne - 2].group;
		}
	}
}

/* random edits: kill and add services, kill, add and alter edges, move
 * group memberships */
static void random_edit(uint64_t *seed, const rspec *a, rspec *b)
{
	unsigned i, n;
	*b = *a;
	for (i = 0; i < b->ns; i++) {
		unsigned r = gen_below(seed, 20);
		if (r == 0)
			b->s[i].alive = 0;
		else if (r == 1)
			b->s[i].tier = (int)gen_below(seed, 5);
		else if (r == 2)
			b->s[i].replicas++;
		else if (r == 3)
			snprintf(b->s[i].owner, sizeof(b->s[i].owner), "o%u", gen_below(seed, 3));
	}
	n = gen_below(seed, 3);
	for (i = 0; i < n && b->ns < 64; i++) {
		rsvc *s = &b->s[b->ns++];
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "n%u", i);
		s->alive = 1;
		strcpy(s->owner, "o9");
	}
	for (i = 0; i < b->ne; i++) {
		rdep *e = &b->e[i];
		unsigned r = gen_below(seed, 16);
		if (r == 0)
			e->alive = 0;
		else if (r == 1)
			e->kind = !e->kind;
		else if (r == 2)
			e->timeout += 50;
		else if (r == 3)
			e->retries++;
		else if (r == 4)
			e->stage++;
		else if (r == 5)
			e->group = e->group ? 0 : 400 + i; /* leave or found a group */
	}
	n = gen_below(seed, 6);
	for (i = 0; i < n && b->ne < 512; i++) {
		unsigned u = gen_below(seed, b->ns), v = gen_below(seed, b->ns), k, dup = 0;
		rdep *e;
		if (u == v)
			continue;
		for (k = 0; k < b->ne; k++)
			dup |= b->e[k].from == u && b->e[k].to == v;
		if (dup)
			continue;
		e = &b->e[b->ne++];
		memset(e, 0, sizeof(*e));
		e->from = u;
		e->to = v;
		e->alive = 1;
		e->kind = DC_DEP_HARD;
		e->timeout = 1000;
	}
}

static void test_random(void)
{
	uint64_t seed = 0xd1ffull;
	int round;
	static rspec a, b;
	for (round = 0; round < 300; round++) {
		random_spec(&seed, &a);
		random_edit(&seed, &a, &b);
		check_random(&a, &b);
		check_random(&b, &a);
		if (CU_get_number_of_failures())
			break;
	}
	CU_ASSERT_TRUE(seen_anyof > 10 && seen_kind > 10 && seen_added > 10 && seen_removed > 10);
	CU_ASSERT_TRUE(seen_cycles > 10 && seen_attrs > 10 && seen_blast > 10);
	printf("\n    (random diffs: %zu any_of, %zu kind, %zu added, %zu removed, %zu new cycles, "
	       "%zu attribute, %zu blast changes) ", seen_anyof, seen_kind, seen_added, seen_removed, seen_cycles,
	       seen_attrs, seen_blast);
}

/* ---- the map through the CLI: SVG checked structurally ----------------------------------- */

static void test_svg(void)
{
	char *svg = th_run_cli("diff catalogs/streaming/catalog.yaml diff/streaming-head.yaml -f svg", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_TRUE(!strncmp(svg, "<?xml", 5));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<svg"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "</svg>"));
	/* well nested groups, every node and edge drawn once */
	CU_ASSERT_EQUAL(th_count(svg, "<g "), th_count(svg, "</g>"));
	CU_ASSERT_EQUAL(th_count(svg, "class=\"node"), 49);        /* 48 head + 1 removed */
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge"), 174 + 3);   /* head edges + removed ones */
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge added\""), 5);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge removed\""), 3);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge changed\""), 3);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"node added\""), 2);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"node removed\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "access&#45;point &#45;&gt; podcasts (hard, added)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "lyrics&#45;provider &#45;&gt; lyrics (hard, added)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "artwork &#45;&gt; monitoring (soft, removed)"));
	free(svg);
	svg = th_run_cli("diff catalogs/streaming/catalog.yaml diff/streaming-head.yaml -f svg --changed-only", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge"), 5 + 3 + 3);
	CU_ASSERT_EQUAL(th_count(svg, "class=\"edge same\""), 0);
	free(svg);
}

/* ---- violations a change adds and fixes (depcheck diff's policy sections) -------------- */

/* Base: web (tier 1) -> cart (tier 1) -> ads (tier 3): one tier violation
 * (cart -> ads) and a hard cycle cart <-> pricing. Head: the cycle is broken,
 * cart -> ads stays (moved to another line), web -> ads is added (a second
 * tier violation), and search lost its owner. */
static void test_violations(void)
{
	const char *base =
		"services:\n"
		"  - { name: web, owner: o, tier: 1, depends_on: [cart] }\n"
		"  - { name: cart, owner: o, tier: 1, depends_on: [pricing, ads] }\n"
		"  - { name: pricing, owner: o, tier: 1, depends_on: [cart] }\n"
		"  - { name: ads, owner: o, tier: 3 }\n"
		"  - { name: search, owner: o, tier: 2 }\n";
	const char *head =
		"services:\n"
		"  - { name: search, tier: 2 }\n"
		"  - { name: pricing, owner: o, tier: 1 }\n"
		"  - { name: ads, owner: o, tier: 3 }\n"
		"  - { name: cart, owner: o, tier: 1, depends_on: [ads, pricing] }\n"
		"  - { name: web, owner: o, tier: 1, depends_on: [cart, ads] }\n";
	const char *pol = "depcheck-policy: 1\nrules:\n  tier: error\n  no-hard-cycles: error\n"
			  "  required-fields: warning\n";
	dc_policy *p = NULL;
	dc_diags *dg;
	dc_violations *vb, *vh, *added, *fixed;
	fx f;
	fx_load(&f, base, head);
	dc_diags_new(&dg);
	CU_ASSERT_EQUAL_FATAL(dc_policy_parse(&p, "p.yaml", pol, strlen(pol), dg), 0);
	dc_violations_new(&vb);
	dc_violations_new(&vh);
	dc_violations_new(&added);
	dc_violations_new(&fixed);
	CU_ASSERT_EQUAL(dc_check(vb, f.g[0], NULL, p, NULL), 0);
	CU_ASSERT_EQUAL(dc_check(vh, f.g[1], NULL, p, NULL), 0);
	/* base: tier cart -> ads, the cycle; head: tier cart -> ads, tier
	 * web -> ads, search has no owner */
	CU_ASSERT_EQUAL(dc_violations_count(vb), 2);
	CU_ASSERT_EQUAL(dc_violations_count(vh), 3);
	CU_ASSERT_EQUAL(dc_violations_compare(vb, vh, added, fixed), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(added), 2);
	/* in head's order: errors first, then by line */
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 0)->rule, "tier");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 0)->key, "web -> ads");
	CU_ASSERT_EQUAL(dc_violations_get(added, 0)->loc.line, 6);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 1)->rule, "required-fields");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 1)->key, "search owner");
	CU_ASSERT_EQUAL(dc_violations_get(added, 1)->level, DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(fixed), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(fixed, 0)->rule, "no-hard-cycles");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(fixed, 0)->key, "cycle: cart, pricing");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(fixed, 0)->loc.file, "base.yaml");   /* base position */
	/* the output lists must be other lists */
	CU_ASSERT_EQUAL(dc_violations_compare(vb, vh, vh, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_compare(vb, vh, added, added), DC_EINVALID);
	dc_violations_free(added);
	dc_violations_free(fixed);
	/* only one side wanted; swapped sides swap the answers */
	dc_violations_new(&fixed);
	CU_ASSERT_EQUAL(dc_violations_compare(vh, vb, NULL, fixed), 0);
	CU_ASSERT_EQUAL(dc_violations_count(fixed), 2);
	dc_violations_free(fixed);
	dc_violations_free(vb);
	dc_violations_free(vh);
	dc_policy_free(p);
	dc_diags_free(dg);
	fx_free(&f);
}

/* Duplicates count: two equal findings in head and one in base is one added. */
static void test_violations_duplicates(void)
{
	dc_violations *b, *h, *added, *fixed;
	dc_location none = { NULL, 0, 0 };
	dc_violations_new(&b);
	dc_violations_new(&h);
	dc_violations_new(&added);
	dc_violations_new(&fixed);
	dc_violations_add(b, "tier", DC_LEVEL_ERROR, "a", "b", NULL, none, "m");
	dc_violations_add(b, "tier", DC_LEVEL_ERROR, "c", "d", NULL, none, "m");
	dc_violations_add(h, "tier", DC_LEVEL_ERROR, "a", "b", NULL, none, "m1");
	dc_violations_add(h, "tier", DC_LEVEL_ERROR, "a", "b", NULL, none, "m2");
	dc_violations_add(h, "forbidden/x", DC_LEVEL_ERROR, "c", "d", NULL, none, "m");
	CU_ASSERT_EQUAL(dc_violations_compare(b, h, added, fixed), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(added), 2);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 0)->message, "m2");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 1)->rule, "forbidden/x");
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(fixed), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(fixed, 0)->key, "c -> d");
	dc_violations_free(b);
	dc_violations_free(h);
	dc_violations_free(added);
	dc_violations_free(fixed);
}

/* dc_diff_check gives what checking both sides and comparing gives, with
 * base services named by their head counterparts; dc_diff_gate adds the
 * error-level ones to the structural risk and takes a NULL list. */
static void test_diff_check_and_gate(void)
{
	const char *base =
		"services:\n"
		"  - { name: web, owner: o, tier: 1, depends_on: [cart, search] }\n"
		"  - { name: cart, owner: o, tier: 1 }\n"
		"  - { name: search, owner: o, tier: 1 }\n";
	const char *head =
		"services:\n"
		"  - { name: web, owner: o, tier: 1, depends_on: [cart, search] }\n"
		"  - { name: cart, owner: o, tier: 1 }\n"
		"  - { name: search, owner: o, tier: 3 }\n";
	const char *pol = "depcheck-policy: 1\nrules:\n  tier: error\n";
	dc_policy *p = NULL;
	dc_diags *dg;
	dc_violations *added, *fixed;
	fx f;
	fx_load(&f, base, head);
	dc_diags_new(&dg);
	CU_ASSERT_EQUAL_FATAL(dc_policy_parse(&p, "p.yaml", pol, strlen(pol), dg), 0);
	dc_violations_new(&added);
	dc_violations_new(&fixed);
	CU_ASSERT_EQUAL(dc_diff_check(f.d, NULL, added, fixed), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_diff_check(f.d, p, added, fixed), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(added), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(added, 0)->key, "web -> search");
	CU_ASSERT_EQUAL(dc_violations_count(fixed), 0);
	/* no structural risk: the new error-level violation decides */
	CU_ASSERT_FALSE(dc_diff_risk_increased(f.d));
	CU_ASSERT_TRUE(dc_diff_gate(f.d, added));
	CU_ASSERT_FALSE(dc_diff_gate(f.d, fixed));
	/* no policy ran (the map): the structure alone, and no crash */
	CU_ASSERT_FALSE(dc_diff_gate(f.d, NULL));
	dc_violations_free(added);
	dc_violations_free(fixed);
	dc_policy_free(p);
	dc_diags_free(dg);
	fx_free(&f);
}

/* plan --changed-from: new services and deploy-relevant differences, in
 * declaration order; url and source positions do not count. */
static void test_changed_since(void)
{
	fx f;
	uint8_t mark[8];
	fx_load(&f,
		"services:\n  - {name: a, depends_on: [b, c]}\n  - {name: b, url: \"https://x/b\"}\n"
		"  - {name: c}\n  - {name: d, depends_on: [{service: c, timeout_ms: 100}]}\n",
		"services:\n\n  - {name: a, depends_on: [c, b]}\n  - {name: b, url: \"https://y/b\"}\n"
		"  - {name: c}\n  - {name: d, depends_on: [{service: c, timeout_ms: 200}]}\n  - {name: e}\n");
	memset(mark, 9, sizeof(mark));
	CU_ASSERT_EQUAL(dc_diff_changed_since(f.cat[1], f.cat[0], mark), 0);
	CU_ASSERT_EQUAL(mark[th_id(f.cat[1], "a")], 1);   /* reordered */
	CU_ASSERT_EQUAL(mark[th_id(f.cat[1], "b")], 0);   /* url only */
	CU_ASSERT_EQUAL(mark[th_id(f.cat[1], "c")], 0);   /* moved a line down */
	CU_ASSERT_EQUAL(mark[th_id(f.cat[1], "d")], 1);   /* timeout */
	CU_ASSERT_EQUAL(mark[th_id(f.cat[1], "e")], 1);   /* new */
	CU_ASSERT_EQUAL(dc_diff_changed_since(f.cat[1], NULL, mark), DC_EINVALID);
	fx_free(&f);
}

/* Regression (issue 14): `diff -f dot|svg --fail-on-risk` crashed when the
 * change added no structural risk (the gate read the violations the map
 * never computed). Now the gate decides alike in every format. */
static void test_map_fail_on_risk(void)
{
	CU_ASSERT_EQUAL(th_cli_code("diff diff/tier-base.yaml diff/tier-base.yaml -f dot --fail-on-risk"), 0);
	CU_ASSERT_EQUAL(th_cli_code("diff diff/tier-base.yaml diff/tier-base.yaml -f svg --fail-on-risk"), 0);
	CU_ASSERT_EQUAL(th_cli_code("diff catalogs/streaming/catalog.yaml catalogs/streaming/catalog.yaml "
				 "-f dot --fail-on-risk"), 0);
	/* a new error-level violation fails the gate in the map's formats too */
	CU_ASSERT_EQUAL(th_cli_code("diff diff/tier-base.yaml diff/tier-head.yaml -f dot --fail-on-risk"), 1);
	CU_ASSERT_EQUAL(th_cli_code("diff diff/tier-base.yaml diff/tier-head.yaml -f svg --fail-on-risk"), 1);
	CU_ASSERT_EQUAL(th_cli_code("diff diff/tier-base.yaml diff/tier-head.yaml -f svg"), 0);
}

int suite_diff(void)
{
	static const th_test tests[] = {
		{ "services and dependencies", test_services_and_deps },
		{ "any_of groups", test_any_of },
		{ "cycles by member sets", test_cycles },
		{ "attributes", test_attributes },
		{ "identical catalogs", test_same },
		{ "backstage references", test_backstage_refs },
		{ "streaming example edited", test_streaming },
		{ "random edits vs brute force", test_random },
		{ "svg map", test_svg },
		{ "violations added and fixed", test_violations },
		{ "violations: duplicates count", test_violations_duplicates },
		{ "url is compared", test_url },
		{ "dc_diff_check and dc_diff_gate", test_diff_check_and_gate },
		{ "map with --fail-on-risk", test_map_fail_on_risk },
		{ "changed since a base (plan)", test_changed_since },
		{ NULL, NULL }
	};
	return th_suite("diff", tests);
}
