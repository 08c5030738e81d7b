/*
 * test_backstage_model.c - the Backstage loader against the entity-ref
 * rules of Backstage's catalog-model (packages/catalog-model, ref.ts and
 * its tests: parseEntityRef, stringifyEntityRef, compareEntityToRef) and
 * of its catalog backend (BuiltinKindsEntityProcessor: dependsOn and
 * dependencyOf are parsed with the entity's namespace as default and no
 * default kind). The facts are theirs, as test vectors; the catalog and
 * the expectations in depcheck's terms are ours. Where depcheck differs on
 * purpose, the row says so (docs/inputs.md, "Where depcheck differs").
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#define HDR(kind) "---\napiVersion: backstage.io/v1alpha1\nkind: " kind "\n"

/* The entity `me` (a Component in namespace ns) depends on the ref of each
 * row. The catalog: Components c in ns, in b and in default, and a
 * Resource db in ns. */
static const char *others =
	HDR("Component") "metadata: {name: c, namespace: ns}\n"
	HDR("Component") "metadata: {name: c, namespace: b}\n"
	HDR("Component") "metadata: {name: c}\n"
	HDR("Resource") "metadata: {name: db, namespace: ns}\n";

typedef struct {
	const char *source;  /* the vector's origin */
	const char *ref;     /* as written in dependsOn (a YAML flow scalar) */
	const char *target;  /* ref of the service it resolves to, or NULL: rejected */
	const char *diag;    /* a diagnostic it must give, or NULL for none */
} ref_case;

static const ref_case cases[] = {
	/* parseEntityRef: "handles some omissions"; defaults from the context */
	{ "parseEntityRef a:b/c", "component:b/c", "component:b/c", NULL },
	{ "parseEntityRef a:c + defaultNamespace", "component:c", "component:ns/c", NULL },
	{ "parseEntityRef a:c, namespace given", "component:default/c", "component:default/c", NULL },
	/* the processor gives dependsOn no default kind: Backstage rejects these
	 * ("missing or empty kind"); depcheck reads Component, else Resource */
	{ "dependsOn b/c, no default kind", "b/c", "component:b/c", "has no kind, which Backstage rejects" },
	{ "dependsOn c, no default kind", "c", "component:ns/c", "has no kind, which Backstage rejects" },
	{ "dependsOn db, no default kind", "db", "resource:ns/db", "has no kind, which Backstage rejects" },
	/* compareEntityToRef: kind, namespace and name compare without case */
	{ "compareEntityToRef k:nS/N", "COMPONENT:NS/C", "component:ns/c", NULL },
	{ "compareEntityToRef K:deFault/n", "Component:deFault/C", "component:default/c", NULL },
	{ "compareEntityToRef N + defaults", "resource:DB", "resource:ns/db", NULL },
	/* "rejects empty parts in strings" */
	{ "empty kind", "':b/c'", NULL, "invalid entity reference ':b/c'" },
	{ "empty namespace", "'a:/c'", NULL, "invalid entity reference 'a:/c'" },
	{ "empty name", "'a:b/'", NULL, "invalid entity reference 'a:b/'" },
	{ "two empty", "'a:/'", NULL, "invalid entity reference" },
	{ "two empty", "':b/'", NULL, "invalid entity reference" },
	{ "two empty", "':/c'", NULL, "invalid entity reference" },
	{ "three empty", "':/'", NULL, "invalid entity reference" },
	{ "left out, empty", "'/c'", NULL, "invalid entity reference '/c'" },
	{ "left out, empty", "'b/'", NULL, "invalid entity reference 'b/'" },
	{ "left out, empty", "':c'", NULL, "invalid entity reference ':c'" },
	{ "left out, empty", "'a:'", NULL, "invalid entity reference 'a:'" },
	{ "nothing at all", "''", NULL, "must be an entity reference, not an empty string" },
	/* "allows names with : and /" (newer catalog-model; older versions
	 * rejected them): metadata.name can never hold ':' or '/', so such a
	 * ref names no entity; depcheck rejects it where it is written */
	{ "a:b:c (name b:c in Backstage)", "'component:b:c'", NULL, "invalid entity reference" },
	{ "a/b/c (name b/c in Backstage)", "'ns/c/d'", NULL, "invalid entity reference" },
	{ "a:b/c:d (name c:d in Backstage)", "'component:b/c:d'", NULL, "invalid entity reference" },
	{ NULL, NULL, NULL, NULL }
};

static void test_ref_table(void)
{
	int i;
	for (i = 0; cases[i].ref; i++) {
		const ref_case *k = &cases[i];
		char y[2048];
		dc_catalog *cat;
		dc_diags *d;
		dc_id me;
		const char *got = "";
		int ok;
		snprintf(y, sizeof(y), HDR("Component") "metadata: {name: me, namespace: ns}\n"
			 "spec: {dependsOn: [%s]}\n%s", k->ref, others);
		th_load(&cat, &d, "refs.yaml", y, DC_FORMAT_BACKSTAGE);
		me = th_id(cat, "component:ns/me");
		CU_ASSERT_FATAL(me != DC_NO_ID);
		if (dc_service_dep_count(cat, me) == 1)
			got = dc_service_ref(cat, dc_dep_to(cat, dc_service_dep_first(cat, me)));
		ok = k->target ? !strcmp(got, k->target) : dc_service_dep_count(cat, me) == 0;
		ok = ok && (k->diag ? th_find_diag(d, k->diag, 0, 0) >= 0 && dc_diags_count(d) == 1
				    : dc_diags_count(d) == 0);
		if (!ok) {
			size_t j;
			printf("\n  %s: dependsOn [%s] -> '%s' (want '%s')", k->source, k->ref, got,
			       k->target ? k->target : "(rejected)");
			for (j = 0; j < dc_diags_count(d); j++)
				printf("\n    %s", dc_diags_get(d, j)->message);
		}
		CU_ASSERT(ok);
		th_done(cat, d);
	}
}

/* stringifyEntityRef: kind:namespace/name, every part lowercase, namespace
 * "default" when none is given; getCompoundEntityRef: an entity's ref is
 * its kind, metadata.namespace (default "default") and metadata.name */
static void test_entity_refs(void)
{
	static const char *const rows[][2] = {
		{ "kind: Component\nmetadata: {name: MyService, namespace: Prod}\n", "component:prod/myservice" },
		{ "kind: Component\nmetadata: {name: svc}\n", "component:default/svc" },
		{ "kind: resource\nmetadata: {name: DB, namespace: default}\n", "resource:default/db" },
		{ NULL, NULL }
	};
	int i;
	for (i = 0; rows[i][0]; i++) {
		char y[512];
		dc_catalog *cat;
		dc_diags *d;
		snprintf(y, sizeof(y), "apiVersion: backstage.io/v1alpha1\n%s", rows[i][0]);
		CU_ASSERT_EQUAL(th_load(&cat, &d, "e.yaml", y, DC_FORMAT_BACKSTAGE), 0);
		CU_ASSERT_EQUAL_FATAL(dc_catalog_service_count(cat), 1);
		CU_ASSERT_STRING_EQUAL(dc_service_ref(cat, 0), rows[i][1]);
		th_done(cat, d);
	}
}

int suite_backstage_model(void)
{
	static const th_test t[] = {
		{ "entity ref table", test_ref_table },
		{ "entity refs of entities", test_entity_refs },
		{ NULL, NULL }
	};
	return th_suite("backstage_model", t);
}
