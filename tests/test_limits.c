/*
 * test_limits.c - the safety limits of dc_load_options (docs/limits.md):
 * each one is enforced at exactly its value (N passes, N + 1 fails with
 * DC_ELIMIT and one error naming the limit), a version-1 options struct
 * gets the defaults, and what was loaded before the limit stays loaded.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int load_with(const dc_load_options *o, const char *text, dc_catalog **cat, dc_diags **d)
{
	dc_diags_new(d);
	dc_catalog_new(cat);
	return dc_catalog_add_buffer(*cat, "t.yaml", text, strlen(text), o, *d);
}

static const char *chain4 =
	"services:\n"
	"  - {name: a, depends_on: [b]}\n"
	"  - {name: b, depends_on: [c]}\n"
	"  - {name: c, depends_on: [d]}\n"
	"  - {name: d}\n";

static void test_services(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;

	o.max_services = 4;
	CU_ASSERT_EQUAL(load_with(&o, chain4, &cat, &d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	o.max_services = 3;
	CU_ASSERT_EQUAL(load_with(&o, chain4, &cat, &d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "more than 3 services", 5, 12) >= 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0); /* a, b, c stay loaded */
	CU_ASSERT_EQUAL(th_id(cat, "a"), 0);
	CU_ASSERT_NOT_EQUAL(th_id(cat, "c"), DC_NO_ID);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_dependencies(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;

	o.max_dependencies = 3;
	CU_ASSERT_EQUAL(load_with(&o, chain4, &cat, &d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	o.max_dependencies = 2;
	CU_ASSERT_EQUAL(load_with(&o, chain4, &cat, &d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "more than 2 dependencies", 4, 28) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* across buffers: the count is the catalog's */
	o.max_dependencies = 4;
	CU_ASSERT_EQUAL(load_with(&o, chain4, &cat, &d), 0);
	{
		const char *more = "services: [{name: e, depends_on: [a, b]}]";
		CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "u.yaml", more, strlen(more), &o, d), DC_ELIMIT);
	}
	CU_ASSERT_TRUE(th_find_diag(d, "more than 4 dependencies", 0, 0) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

static void test_name_length(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;
	char *text = malloc(3000);

	o.max_name_length = 5;
	CU_ASSERT_EQUAL(load_with(&o, "services: [{name: abcde, depends_on: [fghij]}]", &cat, &d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	CU_ASSERT_EQUAL(load_with(&o, "services: [{name: abcde, depends_on: [fghijk]}]", &cat, &d),
			DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "dependency target 'fghijk' is 6 bytes long (limit 5", 1, 39) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* the default: 1024 bytes */
	o.max_name_length = 0;
	snprintf(text, 3000, "services: [{name: %01025d}]", 7);
	CU_ASSERT_EQUAL(load_with(&o, text, &cat, &d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "is 1025 bytes long (limit 1024", 0, 0) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	snprintf(text, 3000, "services: [{name: %01024d}]", 7);
	CU_ASSERT_EQUAL(load_with(&o, text, &cat, &d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	free(text);
}

/* A version-1 caller's struct ends before the new fields: they are not
 * read (the defaults apply). */
static void test_version1(void)
{
	struct {
		dc_load_options o;
	} *p = malloc(sizeof(*p));
	dc_catalog *cat;
	dc_diags *d;
	memset(p, 0, sizeof(*p));
	p->o.version = 1;
	p->o.max_services = 1; /* garbage beyond a version-1 struct */
	CU_ASSERT_EQUAL(load_with(&p->o, chain4, &cat, &d), 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	free(p);
}

static void test_file_size(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	char path[] = "/tmp/dc_limits_XXXXXX";
	int fd = mkstemp(path);
	dc_catalog *cat;
	dc_diags *d;
	size_t n = strlen(chain4);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, chain4, n), (ssize_t)n);
	close(fd);
	o.max_file_size = n; /* exactly the size: accepted */
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), 0);
	dc_catalog_free(cat);
	dc_catalog_new(&cat);
	o.max_file_size = n - 1;
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "file larger than the limit", 0, 0) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	unlink(path);
}

/* the YAML alias budget refuses a billion laughs at once, whatever the
 * size of the expansion it asks for */
static void test_alias_bomb(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	const char *bomb =
		"a: &a [x,x,x,x,x,x,x,x,x,x]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
		"services: [{name: web, tags: *i}]\n";
	dc_catalog *cat;
	dc_diags *d;
	CU_ASSERT_EQUAL(load_with(&o, bomb, &cat, &d), DC_ELIMIT);
	CU_ASSERT_TRUE(th_find_diag(d, "too many alias and merge expansions (limit 1000000 nodes", 0, 0) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Inferred edges: one Kubernetes Service selecting many workloads named by
 * many, one Backstage API provided and consumed by many. The expansion is
 * held to the dependency limit (and to one edge per byte of the input, at
 * least DC_EXPAND_MIN_EDGES, which the hostile corpus runs into), checked
 * before the edges are made: DC_ELIMIT and one error naming the limit. */
static void test_fan_out(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;
	char k8s[8192], bs[8192], *p;
	int i;
	p = k8s + sprintf(k8s, "apiVersion: v1\nkind: Service\nmetadata: {name: fan}\n"
			  "spec: {selector: {app: fan}, ports: [{port: 80}]}\n");
	for (i = 0; i < 6; i++)
		p += sprintf(p, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d}\n"
			     "spec: {template: {metadata: {labels: {app: fan}}, spec: {containers: "
			     "[{name: c, image: i, env: [{name: U, value: 'http://fan:80'}]}]}}}\n", i);
	/* 6 references x 6 selected (itself included): 36, 30 edges */
	o.max_dependencies = 36;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "k.yaml", k8s, strlen(k8s), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 30);
	dc_catalog_free(cat);
	dc_diags_free(d);
	o.max_dependencies = 35;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	/* Kubernetes files load at finalize: the limit is its status */
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "k.yaml", k8s, strlen(k8s), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), DC_ELIMIT);
	CU_ASSERT_EQUAL_FATAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "Service 'fan' named in env U of 'w5' selects 6 workloads: the Service "
				    "references of the input expand to more than 35 inferred dependencies "
				    "(limit 35", 0, 0) >= 0);
	CU_ASSERT_EQUAL(dc_diags_get(d, 0)->line, 34); /* w5's env value */
	dc_catalog_free(cat);
	dc_diags_free(d);

	p = bs + sprintf(bs, "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: fan}\n"
			 "spec: {type: openapi, lifecycle: production, owner: t, definition: x}\n");
	for (i = 0; i < 6; i++)
		p += sprintf(p, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c%d}\n"
			     "spec: {type: service, lifecycle: production, owner: t, providesApis: [fan], "
			     "consumesApis: [fan]}\n", i);
	o.max_dependencies = 1000;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "catalog-info.yaml", bs, strlen(bs), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 30); /* 6 x 5: no one consumes its own API */
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* at finalize: 6 + 5 + 5 edges made, the third consumer would pass 20 */
	o.max_dependencies = 20;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "catalog-info.yaml", bs, strlen(bs), &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "API 'fan' of 'c2' has 6 providers: the API references of the "
				    "catalog expand to more than 20 dependencies (limit 20", 0, 0) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* Backstage Location patterns that expand combinatorially stop before the
 * locations limit is consulted: by the paths they match (no more than the
 * Location targets left) and by the steps of the walk (10 per Location
 * target allowed), each an error naming the limit, DC_ELIMIT. */
static void test_location_glob(void)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat;
	dc_diags *d;
	char dir[64], path[256];
	int i;
	CU_ASSERT_EQUAL_FATAL(th_tmpdir(dir, sizeof(dir)), 0);
	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "%s/d%02d", dir, i);
		CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/d%02d/c.yaml", dir, i);
		{
			char comp[256];
			snprintf(comp, sizeof(comp), "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
				 "metadata: {name: c%02d}\nspec: {type: service, lifecycle: production, owner: t}\n", i);
			th_write_file(path, comp);
		}
	}
	/* a chain 8 deep for `**` */
	snprintf(path, sizeof(path), "%s/deep", dir);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
		strcat(path, "/a");
	}
	snprintf(path, sizeof(path), "%s/ok.yaml", dir);
	th_write_file(path, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: ok}\n"
		      "spec: {targets: ['./d0*/c.yaml']}\n");
	snprintf(path, sizeof(path), "%s/bomb.yaml", dir);
	th_write_file(path, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: bomb}\n"
		      "spec: {targets: ['./*/../*/../*/../*/c.yaml']}\n");
	snprintf(path, sizeof(path), "%s/deep.yaml", dir);
	th_write_file(path, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: deep}\n"
		      "spec: {targets: ['./**/**/a/../**/a/../**/a/../**/x.yaml']}\n");

	/* the walker matches as glob(3) did: d00..d09, each file once */
	o.max_locations = 10;
	snprintf(path, sizeof(path), "%s/ok.yaml", dir);
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 10);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* 12^4 matches (each through another path): stopped at 101 */
	o.max_locations = 100;
	snprintf(path, sizeof(path), "%s/bomb.yaml", dir);
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "Location target './*/../*/../*/../*/c.yaml' matches more paths than the "
				    "100 Location targets left (limit 100; see --input-limit locations)", 4, 18) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* `**` climbing back with `..`: the walk stops after 10 x 20 steps */
	o.max_locations = 20;
	snprintf(path, sizeof(path), "%s/deep.yaml", dir);
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_TRUE(th_find_diag(d, "expanding the pattern takes the Location patterns of the input "
				    "past 200 steps", 4, 18) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* with room, the same pattern finishes: nothing matches */
	o.max_locations = 100000;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), 0);
	CU_ASSERT_TRUE(th_find_diag(d, "matches no file", 4, 18) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* the steps are one budget for every pattern of the input: 30 patterns
	 * of about 30 steps each, every one within 200 alone, stop together
	 * (reported once, where the budget is crossed); with room, all 30 run */
	{
		char many[4096], *p = many;
		p += sprintf(p, "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: many}\n"
			     "spec:\n  targets:\n");
		for (i = 0; i < 30; i++)
			p += sprintf(p, "  - './*/n%02d.yaml'\n", i);
		snprintf(path, sizeof(path), "%s/many.yaml", dir);
		th_write_file(path, many);
	}
	o.max_locations = 20;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), DC_ELIMIT);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	i = th_find_diag(d, "all patterns together", 0, 0);
	CU_ASSERT_TRUE_FATAL(i >= 0);
	CU_ASSERT_TRUE(dc_diags_get(d, (size_t)i)->line > 6); /* not the first pattern */
	CU_ASSERT_TRUE(th_find_diag(d, "matches no file", 6, 5) >= 0); /* the first ran */
	dc_catalog_free(cat);
	dc_diags_free(d);
	o.max_locations = 1000;
	dc_diags_new(&d);
	dc_catalog_new(&cat);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, &o, d), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 30);
	dc_catalog_free(cat);
	dc_diags_free(d);
	th_rmtree(dir);
}

int suite_limits(void)
{
	static const th_test tests[] = {
		{ "services", test_services },
		{ "dependencies", test_dependencies },
		{ "name length", test_name_length },
		{ "version-1 options", test_version1 },
		{ "file size", test_file_size },
		{ "alias bomb", test_alias_bomb },
		{ "inferred-edge fan-out", test_fan_out },
		{ "Location glob expansion", test_location_glob },
		{ NULL, NULL }
	};
	return th_suite("limits", tests);
}
