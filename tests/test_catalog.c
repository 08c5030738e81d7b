/*
 * test_catalog.c - the catalog model: merging files, resolution, external
 * services, name lookup (unique and ambiguous forms), and the export round
 * trip (JSON and YAML back through the loader give the same catalog).
 */
#include "helpers.h"
#include "catalog_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int add(dc_catalog *cat, dc_diags *d, const char *name, const char *text)
{
	return dc_catalog_add_buffer(cat, name, text, strlen(text), NULL, d);
}

static void test_cross_file_merge(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id a, b;
	dc_location l;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	/* one.yaml refers forward to b, defined in two.json; defaults stay per file */
	CU_ASSERT_EQUAL(add(cat, d, "one.yaml",
			    "defaults: {tier: 2, timeout_ms: 250}\n"
			    "services:\n"
			    "  - name: a\n"
			    "    depends_on: [b, ghost]\n"
			    "  - name: c\n"
			    "    depends_on: [ghost]\n"), 0);
	CU_ASSERT_EQUAL(add(cat, d, "two.json",
			    "{\"services\": [\n"
			    "  {\"name\": \"b\", \"depends_on\": [\"c\"]},\n"
			    "  {\"name\": \"a\"}\n"
			    "]}\n"), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0); /* idempotent */
	CU_ASSERT_EQUAL(add(cat, d, "late.yaml", "services: [{name: z}]\n"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_catalog_file_count(cat), 2);
	CU_ASSERT_STRING_EQUAL(dc_catalog_file(cat, 0), "one.yaml");
	CU_ASSERT_STRING_EQUAL(dc_catalog_file(cat, 1), "two.json");
	CU_ASSERT_PTR_NULL(dc_catalog_file(cat, 2));
	/* a, c, b, ghost (external) */
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 4);
	a = th_id(cat, "a");
	b = th_id(cat, "b");
	CU_ASSERT_FATAL(a != DC_NO_ID && b != DC_NO_ID);
	CU_ASSERT_TRUE(th_has_dep(cat, "a", "b", DC_DEP_HARD));
	CU_ASSERT_TRUE(th_has_dep(cat, "b", "c", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_service_tier(cat, a), 2);
	CU_ASSERT_EQUAL(dc_service_tier(cat, b), 0);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, dc_service_dep_first(cat, a)), 250);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, dc_service_dep_first(cat, b)), 1000);
	l = dc_service_location(cat, b);
	CU_ASSERT_STRING_EQUAL(l.file, "two.json");
	CU_ASSERT_EQUAL(l.line, 2);
	CU_ASSERT_EQUAL(l.column, 12);
	l = dc_dep_location(cat, dc_service_dep_first(cat, a));
	CU_ASSERT_STRING_EQUAL(l.file, "one.yaml");
	CU_ASSERT_EQUAL(l.line, 4);
	CU_ASSERT_EQUAL(l.column, 18);
	/* a defined in both files: an error naming both places; the first wins */
	CU_ASSERT_TRUE(th_has_diag(d, -1, "two.json", 3, 12,
			       "service 'a' is defined twice: here and at one.yaml:3:11 (this one is ignored)"));
	CU_ASSERT_EQUAL(dc_service_location(cat, a).file, dc_catalog_file(cat, 0));
	/* one external for both references to ghost, and an error at each */
	{
		dc_id g = th_id(cat, "ghost");
		CU_ASSERT_FATAL(g != DC_NO_ID);
		CU_ASSERT_TRUE(dc_service_is_external(cat, g));
		CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, g));
		CU_ASSERT_EQUAL(dc_service_dep_count(cat, g), 0);
		CU_ASSERT_TRUE(th_has_dep(cat, "a", "ghost", DC_DEP_HARD));
		CU_ASSERT_TRUE(th_has_dep(cat, "c", "ghost", DC_DEP_HARD));
		/* an external is "referenced at" its first reference */
		CU_ASSERT_EQUAL(dc_service_location(cat, g).line, 4);
		CU_ASSERT_EQUAL(dc_service_location(cat, g).column, 21);
		CU_ASSERT_TRUE(th_has_diag(d, -1, "one.yaml", 4, 21, "unknown service 'ghost' in depends_on of 'a'"));
		CU_ASSERT_TRUE(th_has_diag(d, -1, "one.yaml", 6, 18, "unknown service 'ghost' in depends_on of 'c'"));
	}
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 3);
	/* entrypoint: a only (c is depended on by b) */
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, a));
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "c")));
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Backstage-style services through the builder: name forms, ambiguity,
 * display names. */
static dc_id bs_service(dc_catalog *cat, const char *kind, const char *ns, const char *name)
{
	char ref[256];
	dc_loc_int loc = { 0, 1, 1 };
	dc_id id;
	svc_t *s;
	snprintf(ref, sizeof(ref), "%s:%s/%s", kind, ns, name);
	if (cat_add_service(cat, cat_intern(cat, ref), loc, DC_FORMAT_BACKSTAGE, NULL, &id))
		return DC_NO_ID;
	s = cat_svc(cat, id);
	s->bs_kind = cat_intern(cat, kind);
	s->bs_ns = cat_intern(cat, ns);
	s->bs_name = cat_intern(cat, name);
	return id;
}

static void plain_dep(dc_catalog *cat, dc_id from, const char *target)
{
	dep_t d;
	dc_loc_int loc = { 0, 7, 3 };
	cat_dep_init(&d, from, cat_intern(cat, target), loc);
	d.origin = cat_intern(cat, "depends_on");
	cat_add_dep(cat, &d);
}

static void test_find_forms(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id capi, rapi, ops, web, id;
	dc_loc_int loc = { 0, 1, 1 };
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	capi = bs_service(cat, "component", "default", "api");
	rapi = bs_service(cat, "resource", "default", "api");
	ops = bs_service(cat, "component", "ops", "billing");
	CU_ASSERT_EQUAL_FATAL(cat_add_service(cat, cat_intern(cat, "web"), loc, DC_FORMAT_NATIVE, NULL, &web), 0);
	plain_dep(cat, web, "component:api");          /* unique form */
	plain_dep(cat, web, "api");                    /* ambiguous */
	plain_dep(cat, web, "billing");                /* unique bare name */
	plain_dep(cat, web, "ops/billing");
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	/* display names: the shortest unique form */
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, capi), "component:api");
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, rapi), "resource:api");
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, ops), "billing");
	CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, ops), "component:ops/billing");
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, web), "web");
	/* find: every unique form, case-insensitively for Backstage forms */
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "component:api", &id), 0);
	CU_ASSERT_EQUAL(id, capi);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "component:default/api", &id), 0);
	CU_ASSERT_EQUAL(id, capi);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "Resource:Default/API", &id), 0);
	CU_ASSERT_EQUAL(id, rapi);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "billing", &id), 0);
	CU_ASSERT_EQUAL(id, ops);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "ops/billing", &id), 0);
	CU_ASSERT_EQUAL(id, ops);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "web", &id), 0);
	CU_ASSERT_EQUAL(id, web);
	/* "api" is ambiguous between the two; the unresolvable reference 'api'
	 * made an external service of that exact name, which find returns */
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "api", &id), 0);
	CU_ASSERT_TRUE(dc_service_is_external(cat, id));
	CU_ASSERT_TRUE(id != capi && id != rapi);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "default/api", &id), DC_EAMBIGUOUS);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "nothing", &id), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "component:billing", &id), DC_ENOTFOUND); /* not in default */
	CU_ASSERT_EQUAL(dc_catalog_find(cat, "", &id), DC_ENOTFOUND);
	/* resolution: the ambiguous reference is an error and an external */
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "component:api", -1));
	CU_ASSERT_TRUE(th_has_dep(cat, "web", "billing", -1));
	CU_ASSERT_TRUE(th_find_diag(d, "ambiguous reference 'api' in depends_on of 'web': it names several "
				    "services; write it in full (kind:namespace/name)", 7, 3) >= 0);
	/* web -> component:api, external "api", billing (ops/billing collapses as a duplicate,
	 * named by the service's display name) */
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, web), 3);
	CU_ASSERT_TRUE(th_find_diag(d, "duplicate dependency of 'web' on 'billing'", 7, 3) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_load_paths(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *paths[2] = { "/nonexistent/depcheck/none.yaml", DC_TESTDATA "/catalogs/small" };
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	/* a missing path is an error; the directory still loads */
	CU_ASSERT_EQUAL(dc_catalog_load(&cat, paths, 2, NULL, d), DC_EIO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_TRUE(th_find_diag(d, "cannot read: No such file or directory", 0, 0) >= 0);
	CU_ASSERT_TRUE(dc_catalog_service_count(cat) > 0);
	CU_ASSERT_TRUE(th_id(cat, "web") != DC_NO_ID);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_catalog_free(NULL);
	dc_diags_free(NULL);
}

/* ---- export round trip ------------------------------------------------------------ */

static const char *every_feature =
	"depcheck: 1\n"
	"defaults: {availability: 0.995, timeout_ms: 800, retries: 1, slo: 0.99}\n"
	"services:\n"
	"  - name: web\n"
	"    owner: \"team: web\"\n"
	"    system: shop\n"
	"    description: \"says \\\"hi\\\"\\tand\\nmore, with unicode \xc3\xa9\"\n"
	"    tier: 1\n"
	"    entrypoint: true\n"
	"    replicas: 6\n"
	"    zones: [eu-a, \"eu b\", \"yes\"]\n"
	"    availability: 0.99995\n"
	"    slo: 0.9991\n"
	"    latency_ms: 12.25\n"
	"    tags: [grpc, \"1.0\", \"#x\"]\n"
	"    depends_on:\n"
	"      - api\n"
	"      - {service: search, kind: soft, timeout_ms: 300, retries: 2, stage: 1}\n"
	"      - any_of: [db-eu, {service: db-us, kind: soft, timeout_ms: 50, retries: 3, stage: 2}]\n"
	"        stage: 3\n"
	"      - any_of: [\"123\", \"on\"]\n"
	"      - ghost\n"
	"  - name: api\n"
	"    latency_ms: 0.1\n"
	"    depends_on: [db-eu, {service: \"x:y\", kind: soft}, ghost]\n"
	"  - {name: search, entrypoint: false, tier: 4, replicas: 0}\n"
	"  - {name: db-eu, zones: [eu-a], availability: 0.12345678901234567}\n"
	"  - {name: db-us, description: \"\"}\n"
	"  - {name: \"123\", system: \"true\"}\n"
	"  - {name: \"on\", owner: \"null\"}\n"
	"  - {name: \"x:y\", external: true}\n"
	"  - {name: cyc1, depends_on: [cyc2]}\n"
	"  - {name: cyc2, depends_on: [cyc1]}\n";

static void same_str(const char *a, const char *b)
{
	if (!a || !b) {
		CU_ASSERT_PTR_EQUAL(a, b);
	} else {
		CU_ASSERT_STRING_EQUAL(a, b);
	}
}

/* Compare two catalogs service by service (by name) and edge by edge. */
static void compare_catalogs(const dc_catalog *x, const dc_catalog *y)
{
	size_t i, k, j;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_service_count(y), dc_catalog_service_count(x));
	CU_ASSERT_EQUAL(dc_catalog_dep_count(y), dc_catalog_dep_count(x));
	for (i = 0; i < dc_catalog_service_count(x); i++) {
		dc_id s = (dc_id)i, t = th_id(y, dc_service_name(x, s));
		size_t fx, fy, n;
		CU_ASSERT_FATAL(t != DC_NO_ID);
		CU_ASSERT_STRING_EQUAL(dc_service_name(y, t), dc_service_name(x, s));
		same_str(dc_service_owner(y, t), dc_service_owner(x, s));
		same_str(dc_service_system(y, t), dc_service_system(x, s));
		same_str(dc_service_description(y, t), dc_service_description(x, s));
		CU_ASSERT_EQUAL(dc_service_tier(y, t), dc_service_tier(x, s));
		CU_ASSERT_EQUAL(dc_service_is_entrypoint(y, t), dc_service_is_entrypoint(x, s));
		CU_ASSERT_EQUAL(dc_service_is_external(y, t), dc_service_is_external(x, s));
		CU_ASSERT_EQUAL(dc_service_replicas(y, t), dc_service_replicas(x, s));
		CU_ASSERT_EQUAL(dc_service_availability(y, t), dc_service_availability(x, s));
		CU_ASSERT_EQUAL(dc_service_slo(y, t), dc_service_slo(x, s));
		CU_ASSERT_EQUAL(dc_service_latency_ms(y, t), dc_service_latency_ms(x, s));
		CU_ASSERT_EQUAL_FATAL(dc_service_zone_count(y, t), dc_service_zone_count(x, s));
		for (k = 0; k < dc_service_zone_count(x, s); k++)
			CU_ASSERT_STRING_EQUAL(dc_service_zone(y, t, k), dc_service_zone(x, s, k));
		CU_ASSERT_EQUAL_FATAL(dc_service_tag_count(y, t), dc_service_tag_count(x, s));
		for (k = 0; k < dc_service_tag_count(x, s); k++)
			CU_ASSERT_STRING_EQUAL(dc_service_tag(y, t, k), dc_service_tag(x, s, k));
		n = dc_service_dep_count(x, s);
		CU_ASSERT_EQUAL_FATAL(dc_service_dep_count(y, t), n);
		fx = dc_service_dep_first(x, s);
		fy = dc_service_dep_first(y, t);
		for (k = 0; k < n; k++) {
			size_t a = fx + k, b = fy + k;
			CU_ASSERT_STRING_EQUAL(dc_service_name(y, dc_dep_to(y, b)), dc_service_name(x, dc_dep_to(x, a)));
			CU_ASSERT_EQUAL(dc_dep_kind_of(y, b), dc_dep_kind_of(x, a));
			CU_ASSERT_EQUAL(dc_dep_timeout_ms(y, b), dc_dep_timeout_ms(x, a));
			CU_ASSERT_EQUAL(dc_dep_retries(y, b), dc_dep_retries(x, a));
			CU_ASSERT_EQUAL(dc_dep_stage(y, b), dc_dep_stage(x, a));
			CU_ASSERT_EQUAL(dc_dep_group(y, b) != 0, dc_dep_group(x, a) != 0);
			/* the same partition into groups */
			for (j = 0; j < n; j++)
				CU_ASSERT_EQUAL(dc_dep_group(y, b) && dc_dep_group(y, b) == dc_dep_group(y, fy + j),
						dc_dep_group(x, a) && dc_dep_group(x, a) == dc_dep_group(x, fx + j));
		}
	}
}

static void round_trip(dc_output_format fmt, const char *name)
{
	dc_catalog *orig, *back, *again;
	dc_diags *d1, *d2, *d3;
	char *text, *text2;
	CU_ASSERT_EQUAL_FATAL(th_load(&orig, &d1, "every.yaml", every_feature, DC_FORMAT_AUTO), 0);
	/* the only problems: two references to the unknown ghost */
	CU_ASSERT_EQUAL(dc_diags_count(d1), 2);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d1, DC_SEV_ERROR), 2);
	CU_ASSERT_TRUE(dc_service_is_external(orig, th_id(orig, "ghost")));
	CU_ASSERT_TRUE(dc_service_is_external(orig, th_id(orig, "x:y")));
	text = th_export(orig, fmt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(th_load(&back, &d2, name, text, DC_FORMAT_AUTO), 0);
	if (dc_diags_count(d2)) {
		fprintf(stderr, "\n%s", text);
		th_print_diags(d2);
	}
	/* the export is clean: externals are declared, every value in range */
	CU_ASSERT_EQUAL(dc_diags_count(d2), 0);
	compare_catalogs(orig, back);
	/* and exporting again gives the same text */
	text2 = th_export(back, fmt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text2);
	CU_ASSERT_STRING_EQUAL(text2, text);
	CU_ASSERT_EQUAL(th_load(&again, &d3, name, text2, DC_FORMAT_AUTO), 0);
	compare_catalogs(back, again);
	free(text);
	free(text2);
	dc_catalog_free(orig);
	dc_catalog_free(back);
	dc_catalog_free(again);
	dc_diags_free(d1);
	dc_diags_free(d2);
	dc_diags_free(d3);
}

static void test_export_json(void)
{
	round_trip(DC_OUTPUT_JSON, "export.json");
}

static void test_export_yaml(void)
{
	round_trip(DC_OUTPUT_YAML, "export.yaml");
}

/* DOT export: one node per service, one edge per dependency, the native
 * attribute names. (Loading it back is the DOT loader's suite.) */
static void test_export_dot(void)
{
	dc_catalog *cat;
	dc_diags *d;
	char *text, *p;
	size_t edges = 0;
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "every.yaml", every_feature, DC_FORMAT_AUTO), 0);
	text = th_export(cat, DC_OUTPUT_DOT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "digraph"));
	for (p = text; (p = strstr(p, "->")) != NULL; p += 2)
		edges++;
	CU_ASSERT_EQUAL(edges, dc_catalog_dep_count(cat));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "any_of=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "any_of=2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "kind=soft"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "external=true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "zones=\"eu-a,eu b,yes\""));
	free(text);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* A directory walk follows symlinks but enters each directory once (two
 * links back to the top would otherwise make 2^n paths) and reads nothing
 * outside the directory it was given. */
static void test_walk_symlinks(void)
{
	char top[64], p[512], q[512];
	dc_catalog *cat;
	dc_diags *d;
	const char *paths[1];
	size_t i;
	int warned = 0;
	CU_ASSERT_EQUAL_FATAL(th_tmpdir(top, sizeof(top)), 0);
	snprintf(p, sizeof(p), "%s/cat", top);
	CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/cat/a", top);
	CU_ASSERT_EQUAL(symlink(".", p), 0);
	snprintf(p, sizeof(p), "%s/cat/b", top);
	CU_ASSERT_EQUAL(symlink(".", p), 0);
	snprintf(p, sizeof(p), "%s/cat/s.yaml", top);
	th_write_file(p, "services:\n  - name: inside\n");
	snprintf(p, sizeof(p), "%s/out", top);
	CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/out/x.yaml", top);
	th_write_file(p, "services:\n  - name: outside\n");
	snprintf(p, sizeof(p), "%s/cat/escape", top);
	snprintf(q, sizeof(q), "%s/out", top);
	CU_ASSERT_EQUAL(symlink(q, p), 0);

	snprintf(p, sizeof(p), "%s/cat", top);
	paths[0] = p;
	dc_diags_new(&d);
	CU_ASSERT_EQUAL(dc_catalog_load(&cat, paths, 1, NULL, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 1);
	CU_ASSERT_NOT_EQUAL(th_id(cat, "inside"), DC_NO_ID);
	CU_ASSERT_EQUAL(th_id(cat, "outside"), DC_NO_ID);
	for (i = 0; i < dc_diags_count(d); i++)
		warned |= strstr(dc_diags_get(d, i)->message, "outside the catalog root") != NULL;
	CU_ASSERT_TRUE(warned);
	dc_catalog_free(cat);
	dc_diags_free(d);

	th_rmtree(top);
}


/* export --provenance of the catalog test_many_sources builds: x-sources on
 * cart (3 sources, overlay first) and on its edge to db (2 declarations),
 * none on db (one source); the output loads back without a warning to the
 * same services and values; options of another version or another format
 * are refused. */
static void export_provenance(const dc_catalog *cat)
{
	dc_export_options o = DC_EXPORT_OPTIONS_INIT;
	dc_catalog *back;
	dc_diags *d;
	char *buf = NULL, *x;
	int rc;
	dc_id cart;
	o.provenance = 1;
	TH_CAPTURE(buf, rc, dc_export_ex(cat, DC_OUTPUT_JSON, fp, &o));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	x = strstr(buf, "\"x-sources\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"file\": \"ov.yaml\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"format\": \"backstage\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"format\": \"kubernetes\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"overlay\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"attributes\": [\"latency_ms\"]"));
	/* cart's block and its edge's: two, db has none */
	CU_ASSERT_PTR_NOT_NULL_FATAL(x = strstr(x + 1, "\"x-sources\""));
	CU_ASSERT_PTR_NULL(strstr(x + 1, "\"x-sources\""));
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&back), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(add(back, d, "export.json", buf), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(back, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0); /* x-sources is ignored silently */
	CU_ASSERT_EQUAL(dc_catalog_service_count(back), 2);
	cart = th_id(back, "cart");
	CU_ASSERT_FATAL(cart != DC_NO_ID);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(back, cart), "team-cart");
	CU_ASSERT_EQUAL(dc_service_latency_ms(back, cart), 7);
	CU_ASSERT_EQUAL(dc_service_source_count(back, cart), 1);
	CU_ASSERT_EQUAL_FATAL(dc_service_dep_count(back, cart), 1);
	CU_ASSERT_EQUAL(dc_dep_kind_of(back, dc_service_dep_first(back, cart)), DC_DEP_SOFT);
	dc_diags_free(d);
	dc_catalog_free(back);
	free(buf);
	buf = NULL;
	/* without the option: no x-sources, as dc_export */
	TH_CAPTURE(buf, rc, dc_export_ex(cat, DC_OUTPUT_JSON, fp, NULL));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(buf, "x-sources"));
	free(buf);
	buf = NULL;
	TH_CAPTURE(buf, rc, dc_export_ex(cat, DC_OUTPUT_YAML, fp, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
	buf = NULL;
	o.version = DC_EXPORT_OPTIONS_VERSION + 1;
	TH_CAPTURE(buf, rc, dc_export_ex(cat, DC_OUTPUT_JSON, fp, &o));
	CU_ASSERT_EQUAL(rc, DC_EINVALID);
	free(buf);
}

/* traffic_rps: read in the native schema, an overlay, Compose x-depcheck
 * and a Kubernetes annotation; unknown is negative; out of range is an
 * error; export writes it and reads back the same. */
/* What GitHub's runner reads as a workflow command is refused at load like
 * a control character (docs/security.md): "::" first on a line (after
 * spaces: the runner trims them; in a description after each line feed
 * too) and "##[" anywhere. "::" elsewhere and "##" without "[" load. */
static void test_workflow_markers(void)
{
	static const struct {
		const char *yaml;
		int refused;
		const char *msg;
		unsigned line, col;
	} cases[] = {
		{ "depcheck: 1\nservices:\n  - name: '::error::x'\n", 1, "'::' at the start", 3, 11 },
		{ "depcheck: 1\nservices:\n  - name: a\n    owner: '  ::warning::x'\n", 1, "'::' at the start", 3, 11 },
		{ "depcheck: 1\nservices:\n  - name: a\n    description: \"fine\\n  ::add-mask::x\"\n", 1,
		  "'::' at the start", 3, 11 }, /* at the service, as every text check */
		{ "depcheck: 1\nservices:\n  - name: 'x##[error]y'\n", 1, "'##' before '['", 3, 11 },
		{ "depcheck: 1\nservices:\n  - name: a\n    depends_on: ['b##[group]']\n  - name: b\n", 1,
		  "'##' before '['", 4, 18 },
		{ "depcheck: 1\nservices:\n  - name: 'a::error::x'\n  - name: 'b ## [x] #['\n"
		  "    description: \"one\\ntwo :: three\"\n", 0, NULL, 0, 0 },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		int rc;
		dc_diags_new(&d);
		dc_catalog_new(&cat);
		rc = dc_catalog_add_buffer(cat, "c.yaml", cases[i].yaml, strlen(cases[i].yaml), NULL, d);
		if (!rc)
			rc = dc_catalog_finalize(cat, d);
		if (cases[i].refused) {
			CU_ASSERT_NOT_EQUAL(rc, 0);
			CU_ASSERT_TRUE(th_find_diag(d, cases[i].msg, cases[i].line, cases[i].col) >= 0);
			if (th_find_diag(d, cases[i].msg, cases[i].line, cases[i].col) < 0)
				th_print_diags(d);
		} else {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
		}
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
}

static void test_traffic_rps(void)
{
	dc_catalog *cat, *back;
	dc_diags *d;
	char *buf = NULL;
	int rc;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(add(cat, d, "a.yaml",
			    "depcheck: 1\nservices:\n  - name: web\n    entrypoint: true\n"
			    "    traffic_rps: 120.5\n    depends_on: [db]\n  - name: db\n"
			    "  - name: api\n    entrypoint: true\n"), 0);
	CU_ASSERT_EQUAL(add(cat, d, "ov.yaml", "depcheck: 1\noverlay:\n  - name: api\n    traffic_rps: 30\n"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_traffic_rps(cat, th_id(cat, "web")), 120.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_traffic_rps(cat, th_id(cat, "api")), 30, 1e-12);
	CU_ASSERT(dc_service_traffic_rps(cat, th_id(cat, "db")) < 0);
	CU_ASSERT(dc_service_source_attrs(cat, th_id(cat, "api"), 0) & (1u << DC_ATTR_TRAFFIC));
	CU_ASSERT_STRING_EQUAL(dc_attr_name(DC_ATTR_TRAFFIC), "traffic_rps");
	TH_CAPTURE(buf, rc, dc_export(cat, DC_OUTPUT_JSON, fp));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"traffic_rps\": 120.5"));
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&back), 0);
	CU_ASSERT_EQUAL(add(back, d, "back.json", buf), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(back, d), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_traffic_rps(back, th_id(back, "web")), 120.5, 1e-12);
	CU_ASSERT(dc_service_traffic_rps(back, th_id(back, "db")) < 0);
	dc_catalog_free(back);
	free(buf);
	buf = NULL;
	TH_CAPTURE(buf, rc, dc_export(cat, DC_OUTPUT_YAML, fp));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "traffic_rps: 120.5"));
	free(buf);
	dc_diags_free(d);
	dc_catalog_free(cat);
	/* Compose x-depcheck (lenient: a quoted number) and a Kubernetes annotation */
	CU_ASSERT_EQUAL(th_load(&cat, &d, "compose.yaml",
				"services:\n  web:\n    image: x\n    x-depcheck: {traffic_rps: \"40\"}\n",
				DC_FORMAT_AUTO), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_traffic_rps(cat, th_id(cat, "web")), 40, 1e-12);
	dc_diags_free(d);
	dc_catalog_free(cat);
	CU_ASSERT_EQUAL(th_load(&cat, &d, "k8s.yaml",
				"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
				"  annotations: {depcheck.dev/traffic-rps: \"7\"}\n"
				"spec: {template: {spec: {containers: [{name: c}]}}}\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_traffic_rps(cat, th_id(cat, "web")), 7, 1e-12);
	dc_diags_free(d);
	dc_catalog_free(cat);
	/* out of range: an error at the value */
	th_load(&cat, &d, "bad.yaml", "depcheck: 1\nservices:\n  - name: web\n    traffic_rps: -3\n",
		DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT(th_find_diag(d, "traffic_rps", 4, 18) >= 0);
	dc_diags_free(d);
	dc_catalog_free(cat);
}

/* The load model's attributes (issue 18): capacity_rps and max_concurrency
 * per service, calls per dependency; read natively, from an overlay and a
 * Kubernetes annotation; checked; exported and read back the same. */
static void test_load_attrs(void)
{
	dc_catalog *cat, *back;
	dc_diags *d;
	char *buf = NULL;
	int rc;
	size_t e;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(add(cat, d, "a.yaml",
			    "depcheck: 1\nservices:\n  - name: web\n    capacity_rps: 250.5\n"
			    "    max_concurrency: 64\n    depends_on:\n      - {service: db, calls: 2.5}\n"
			    "      - cache\n  - name: db\n  - name: cache\n"), 0);
	CU_ASSERT_EQUAL(add(cat, d, "ov.yaml", "depcheck: 1\noverlay:\n  - name: db\n    capacity_rps: 900\n"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_capacity_rps(cat, th_id(cat, "web")), 250.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_capacity_rps(cat, th_id(cat, "db")), 900, 1e-12);
	CU_ASSERT(dc_service_capacity_rps(cat, th_id(cat, "cache")) < 0);
	CU_ASSERT_EQUAL(dc_service_max_concurrency(cat, th_id(cat, "web")), 64);
	CU_ASSERT_EQUAL(dc_service_max_concurrency(cat, th_id(cat, "db")), 0);
	CU_ASSERT(dc_service_source_attrs(cat, th_id(cat, "db"), 0) & (1u << DC_ATTR_CAPACITY));
	CU_ASSERT_STRING_EQUAL(dc_attr_name(DC_ATTR_CAPACITY), "capacity_rps");
	CU_ASSERT_STRING_EQUAL(dc_attr_name(DC_ATTR_CONCURRENCY), "max_concurrency");
	CU_ASSERT_STRING_EQUAL(dc_dep_setting_name(DC_DEP_CALLS), "calls");
	e = dc_service_dep_first(cat, th_id(cat, "web"));
	CU_ASSERT_EQUAL_FATAL(dc_dep_to(cat, e), th_id(cat, "db"));
	CU_ASSERT(dc_dep_setting_is_set(cat, e, DC_DEP_CALLS));
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(cat, e, DC_DEP_CALLS), 2.5, 1e-12);
	CU_ASSERT(!dc_dep_setting_is_set(cat, e + 1, DC_DEP_CALLS));
	TH_CAPTURE(buf, rc, dc_export(cat, DC_OUTPUT_JSON, fp));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"capacity_rps\": 250.5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"max_concurrency\": 64"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"calls\": 2.5"));
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&back), 0);
	CU_ASSERT_EQUAL(add(back, d, "back.json", buf), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(back, d), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_capacity_rps(back, th_id(back, "web")), 250.5, 1e-12);
	CU_ASSERT_EQUAL(dc_service_max_concurrency(back, th_id(back, "web")), 64);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(back, dc_service_dep_first(back, th_id(back, "web")),
						    DC_DEP_CALLS), 2.5, 1e-12);
	dc_catalog_free(back);
	free(buf);
	buf = NULL;
	TH_CAPTURE(buf, rc, dc_export(cat, DC_OUTPUT_YAML, fp));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "capacity_rps: 250.5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "max_concurrency: 64"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "calls: 2.5"));
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&back), 0);
	CU_ASSERT_EQUAL(add(back, d, "back.yaml", buf), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(back, d), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_capacity_rps(back, th_id(back, "db")), 900, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(dc_dep_setting_value(back, dc_service_dep_first(back, th_id(back, "web")),
						    DC_DEP_CALLS), 2.5, 1e-12);
	dc_catalog_free(back);
	free(buf);
	dc_diags_free(d);
	dc_catalog_free(cat);
	CU_ASSERT_EQUAL(th_load(&cat, &d, "k8s.yaml",
				"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
				"  annotations: {depcheck.dev/capacity-rps: \"70\", depcheck.dev/max-concurrency: \"8\"}\n"
				"spec: {template: {spec: {containers: [{name: c}]}}}\n", DC_FORMAT_AUTO), 0);
	CU_ASSERT_DOUBLE_EQUAL(dc_service_capacity_rps(cat, th_id(cat, "web")), 70, 1e-12);
	CU_ASSERT_EQUAL(dc_service_max_concurrency(cat, th_id(cat, "web")), 8);
	dc_diags_free(d);
	dc_catalog_free(cat);
	/* out of range: errors at the values (capacity 0 serves nothing: use replicas: 0) */
	th_load(&cat, &d, "bad.yaml", "depcheck: 1\nservices:\n  - name: web\n    capacity_rps: 0\n"
		"    max_concurrency: 0\n    depends_on: [{service: db, calls: -1}]\n  - name: db\n",
		DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 3);
	CU_ASSERT(th_find_diag(d, "capacity_rps", 4, 19) >= 0);
	CU_ASSERT(th_find_diag(d, "max_concurrency", 5, 22) >= 0);
	CU_ASSERT(th_find_diag(d, "calls", 6, 39) >= 0);
	dc_diags_free(d);
	dc_catalog_free(cat);
}

/* One service, many sources: a Backstage entity mapped by
 * backstage.io/kubernetes-id to a Kubernetes workload, refined by an
 * overlay (hand-checked: owner from Backstage, replicas from Kubernetes,
 * latency from the overlay; the overlay's edge overrides Backstage's). */
static void test_many_sources(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id cart;
	size_t i, dep;
	unsigned own = 0, lat = 0;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(add(cat, d, "bs.yaml",
			    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
			    "  name: cart\n  annotations: {backstage.io/kubernetes-id: cart-svc}\n"
			    "spec: {type: service, owner: team-cart, dependsOn: [component:db]}\n"
			    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: db}\n"
			    "spec: {type: service, owner: team-db}\n"), 0);
	CU_ASSERT_EQUAL(add(cat, d, "k8s.yaml",
			    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart-svc}\n"
			    "spec: {replicas: 3, template: {spec: {containers: [{name: c}]}}}\n"), 0);
	CU_ASSERT_EQUAL(add(cat, d, "ov.yaml",
			    "depcheck: 1\noverlay:\n  - name: cart\n    latency_ms: 7\n"
			    "    depends_on: [{service: db, kind: soft}]\n"), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2); /* cart, db: cart-svc is cart */
	cart = th_id(cat, "cart");
	CU_ASSERT_FATAL(cart != DC_NO_ID);
	CU_ASSERT_STRING_EQUAL(dc_service_owner(cat, cart), "team-cart");
	CU_ASSERT_EQUAL(dc_service_replicas(cat, cart), 3);
	CU_ASSERT_EQUAL(dc_service_latency_ms(cat, cart), 7);
	CU_ASSERT_EQUAL(dc_service_source_count(cat, cart), 3);
	/* highest precedence first: overlay, Backstage, Kubernetes */
	CU_ASSERT_TRUE(dc_service_source_is_overlay(cat, cart, 0));
	CU_ASSERT_STRING_EQUAL(dc_service_source(cat, cart, 0).file, "ov.yaml");
	CU_ASSERT_EQUAL(dc_service_source_format(cat, cart, 1), DC_FORMAT_BACKSTAGE);
	CU_ASSERT_EQUAL(dc_service_source_format(cat, cart, 2), DC_FORMAT_KUBERNETES);
	for (i = 0; i < 3; i++) {
		if (dc_service_source_attrs(cat, cart, i) & (1u << DC_ATTR_OWNER))
			own++;
		if (dc_service_source_attrs(cat, cart, i) & (1u << DC_ATTR_LATENCY))
			lat++;
	}
	CU_ASSERT_EQUAL(own, 1);
	CU_ASSERT_EQUAL(lat, 1);
	CU_ASSERT_STRING_EQUAL(dc_attr_name(DC_ATTR_LATENCY), "latency_ms");
	CU_ASSERT_PTR_NULL(dc_attr_name(DC_ATTR_COUNT));
	CU_ASSERT_EQUAL(dc_service_source_count(cat, DC_NO_ID), 0);
	/* one edge cart -> db, soft (the overlay decides), two declarations */
	CU_ASSERT_EQUAL_FATAL(dc_service_dep_count(cat, cart), 1);
	dep = dc_service_dep_first(cat, cart);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, dep), DC_DEP_SOFT);
	CU_ASSERT_EQUAL(dc_dep_source_count(cat, dep), 2);
	CU_ASSERT_STRING_EQUAL(dc_dep_source(cat, dep, 0).file, "ov.yaml");
	CU_ASSERT_STRING_EQUAL(dc_dep_source(cat, dep, 1).file, "bs.yaml");
	CU_ASSERT_PTR_NULL(dc_dep_source(cat, dep, 2).file);
	export_provenance(cat);
	dc_diags_free(d);
	dc_catalog_free(cat);
}

int suite_catalog(void)
{
	static const th_test tests[] = {
		{ "cross-file merge and externals", test_cross_file_merge },
		{ "one service, many sources", test_many_sources },
		{ "traffic_rps attribute", test_traffic_rps },
		{ "workflow-command markers refused at load", test_workflow_markers },
		{ "load model attributes", test_load_attrs },
		{ "find: unique and ambiguous forms", test_find_forms },
		{ "load paths", test_load_paths },
		{ "export json round trip", test_export_json },
		{ "export yaml round trip", test_export_yaml },
		{ "export dot", test_export_dot },
		{ "directory walk and symlinks", test_walk_symlinks },
		{ NULL, NULL }
	};
	return th_suite("catalog", tests);
}
