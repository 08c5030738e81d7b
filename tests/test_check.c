/*
 * test_check.c - every rule positive and negative on small catalogs (the
 * policy parser has its own suite, test_policy.c), locations in native/
 * Backstage/Compose input, baselines across reordered and edited files, a randomized max-depth test
 * against a brute-force oracle, and the CLI's output formats (SARIF parsed
 * with jansson, JUnit checked for well-formed XML, GitHub commands).
 */
#include "helpers.h"
#include "gen.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------ */

/* Check `cat_text` (format fmt) against `pol_text`; returns the violations. */
static dc_violations *check_fmt(const char *cat_text, const char *pol_text, dc_input_format fmt)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *v;
	dc_policy *p = th_policy(pol_text);
	th_load(&cat, &d, "cat.yaml", cat_text, fmt);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, NULL), 0);
	/* the catalog goes away: violations own their strings */
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
	return v;
}

static dc_violations *check(const char *cat_text, const char *pol_text)
{
	return check_fmt(cat_text, pol_text, DC_FORMAT_AUTO);
}

static const dc_violation *find(const dc_violations *v, const char *rule, const char *key)
{
	size_t i;
	for (i = 0; i < dc_violations_count(v); i++) {
		const dc_violation *x = dc_violations_get(v, i);
		if (!strcmp(x->rule, rule) && (!key || !strcmp(x->key, key)))
			return x;
	}
	return NULL;
}

static size_t count_rule(const dc_violations *v, const char *rule)
{
	size_t i, n = 0;
	for (i = 0; i < dc_violations_count(v); i++)
		n += !strcmp(dc_violations_get(v, i)->rule, rule);
	return n;
}

#define POL(rules) "depcheck-policy: 1\nrules:\n" rules

/* ---- rules ------------------------------------------------------------------------------ */

static void test_hard_cycles(void)
{
	const char *hard = "services:\n"
			   "  - name: a\n    depends_on: [b]\n"
			   "  - name: b\n    depends_on: [a]\n";
	const char *mixed = "services:\n"
			    "  - name: a\n    depends_on: [b]\n"
			    "  - name: b\n    depends_on: [{ service: a, kind: soft }]\n";
	dc_violations *v = check(hard, POL("  no-hard-cycles: error\n  no-cycles: warning\n"));
	const dc_violation *x = find(v, "no-hard-cycles", "cycle: a, b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(x->service, "a");
	CU_ASSERT_STRING_EQUAL(x->target, "b");
	CU_ASSERT_EQUAL(x->loc.line, 3);        /* a's depends_on entry */
	CU_ASSERT_EQUAL(x->loc.column, 18);
	CU_ASSERT_PTR_NOT_NULL(find(v, "no-cycles", "cycle: a, b"));
	dc_violations_free(v);

	v = check(mixed, POL("  no-hard-cycles: error\n  no-cycles: warning\n"));
	CU_ASSERT_EQUAL(count_rule(v, "no-hard-cycles"), 0);
	x = find(v, "no-cycles", "cycle: a, b");
	CU_ASSERT_PTR_NOT_NULL(x);
	CU_ASSERT_EQUAL(x && x->level, DC_LEVEL_WARNING);
	dc_violations_free(v);

	v = check(hard, POL("  no-hard-cycles: off\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

static const char *tiers =
	"services:\n"
	"  - name: front\n"
	"    tier: 1\n"
	"    depends_on:\n"
	"      - back\n"                                     /* line 5: tier 3, hard */
	"      - { service: extra, kind: soft }\n"           /* tier 3, soft: fine */
	"      - same\n"                                     /* tier 1: fine */
	"      - any_of: [back, same]\n"                     /* group: fine */
	"      - untiered\n"                                 /* no tier: fine */
	"  - { name: back, tier: 3 }\n"
	"  - { name: extra, tier: 3 }\n"
	"  - { name: same, tier: 1 }\n"
	"  - { name: untiered }\n";

static void test_tier(void)
{
	dc_violations *v = check(tiers, POL("  tier: error\n"));
	const dc_violation *x = find(v, "tier", NULL);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->key, "front -> back");
	CU_ASSERT_STRING_EQUAL(x->service, "front");
	CU_ASSERT_STRING_EQUAL(x->target, "back");
	CU_ASSERT_STRING_EQUAL(x->loc.file, "cat.yaml");
	CU_ASSERT_EQUAL(x->loc.line, 5);
	CU_ASSERT_EQUAL(x->loc.column, 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "tier-1 service 'front' hard-depends on tier-3 'back'"));
	dc_violations_free(v);
}

/* hub <- a, b, c (hard); d alone */
static const char *star =
	"services:\n"
	"  - { name: hub }\n"
	"  - { name: a, depends_on: [hub] }\n"
	"  - { name: b, depends_on: [hub] }\n"
	"  - { name: c, depends_on: [hub, d] }\n"
	"  - { name: d }\n";

static void test_blast_radius(void)
{
	dc_violations *v = check(star, POL("  max-blast-radius: { severity: error, max: 2 }\n"));
	const dc_violation *x = find(v, "max-blast-radius", "hub");
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->loc.line, 2);
	CU_ASSERT_EQUAL(x->loc.column, 13);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "takes down 3 other services (max 2)"));
	dc_violations_free(v);
	v = check(star, POL("  max-blast-radius: { max: 3 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* 3 of 5 services = 60% */
	v = check(star, POL("  max-blast-radius: { max: 59% }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL(find(v, "max-blast-radius", "hub"));
	dc_violations_free(v);
	v = check(star, POL("  max-blast-radius: { max: 60% }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

static void test_fan(void)
{
	dc_violations *v = check(star, POL("  max-fan-in: { max: 2 }\n  max-fan-out: { max: 1 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	CU_ASSERT_PTR_NOT_NULL(find(v, "max-fan-in", "hub"));
	CU_ASSERT_PTR_NOT_NULL(find(v, "max-fan-out", "c"));
	dc_violations_free(v);
	v = check(star, POL("  max-fan-in: { max: 3 }\n  max-fan-out: { max: 2 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

static const char *chain =
	"services:\n"
	"  - { name: a, depends_on: [b] }\n"
	"  - { name: b, depends_on: [c] }\n"
	"  - { name: c, depends_on: [d] }\n"
	"  - { name: d }\n"
	"  - { name: x, depends_on: [c] }\n";

static void test_depth(void)
{
	dc_violations *v = check(chain, POL("  max-depth: { max: 3 }\n"));
	const dc_violation *x = find(v, "max-depth", "a");
	/* only the top of the long chain is reported, not b; x's chain is 3 */
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "chain of 4 services from 'a' (max 3): a -> b -> c -> d"));
	dc_violations_free(v);
	v = check(chain, POL("  max-depth: { max: 4 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* a cycle counts as one: a -> {b, c} -> d is 3 deep, leaving the cycle from c */
	v = check("services:\n  - { name: a, depends_on: [b] }\n  - { name: b, depends_on: [c] }\n"
		  "  - { name: c, depends_on: [b, d] }\n  - { name: d }\n", POL("  max-depth: { max: 2 }\n"));
	x = find(v, "max-depth", "a");
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "chain of 3 services from 'a' (max 2): a -> b -> d"));
	dc_violations_free(v);
	v = check(chain, POL("  max-depth: { max: 2 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	CU_ASSERT_PTR_NOT_NULL(find(v, "max-depth", "x"));
	dc_violations_free(v);
}

static void test_amplification_and_timeouts(void)
{
	const char *cat = "services:\n"
			  "  - name: a\n    entrypoint: true\n    depends_on: [{ service: b, retries: 2, timeout_ms: 5000 }]\n"
			  "  - name: b\n    depends_on: [{ service: c, retries: 2, timeout_ms: 100 }]\n"
			  "  - { name: c, latency_ms: 200 }\n";
	dc_violations *v = check(cat, POL("  max-retry-amplification: { max: 5 }\n  timeout-budget: warning\n"));
	const dc_violation *x = find(v, "max-retry-amplification", "c");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "9 times (max 5), via a -> b -> c"));
	CU_ASSERT_PTR_NULL(find(v, "max-retry-amplification", "b"));   /* 3 <= 5 */
	x = find(v, "timeout-budget", "b -> c");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(x->loc.line, 6);
	CU_ASSERT_PTR_NULL(find(v, "timeout-budget", "a -> b"));       /* 5000 > 200 + 300 */
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	dc_violations_free(v);
	v = check(cat, POL("  max-retry-amplification: { max: 9 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

static void test_spof(void)
{
	const char *cat = "services:\n"
			  "  - { name: web, tier: 2, entrypoint: true, depends_on: [db] }\n"
			  "  - { name: db, tier: 2 }\n";
	dc_violations *v = check(cat, POL("  no-spof: error\n"));
	const dc_violation *x = find(v, "no-spof", "db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "takes down entrypoint web"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	/* only tier-1 entrypoints: web is tier 2 */
	v = check(cat, POL("  no-spof: { tier-1-only: true }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

static void test_required_fields(void)
{
	const char *cat = "services:\n"
			  "  - { name: a, owner: t, tier: 1, depends_on: [ext] }\n"
			  "  - { name: b, system: s }\n"
			  "  - { name: ext, external: true }\n";
	dc_violations *v = check(cat, POL("  required-fields: warning\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);   /* b: owner, tier; externals are exempt */
	CU_ASSERT_PTR_NOT_NULL(find(v, "required-fields", "b owner"));
	CU_ASSERT_PTR_NOT_NULL(find(v, "required-fields", "b tier"));
	dc_violations_free(v);
	v = check(cat, POL("  required-fields: { fields: [system] }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL(find(v, "required-fields", "a system"));
	dc_violations_free(v);
}

static void test_unresolved(void)
{
	const char *cat = "services:\n"
			  "  - name: a\n    depends_on:\n      - ghost\n      - ext\n"
			  "  - { name: ext, external: true }\n";
	dc_violations *v = check(cat, POL("  unresolved-references: error\n"));
	const dc_violation *x = find(v, "unresolved-references", "a -> ghost");
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->loc.line, 4);
	CU_ASSERT_EQUAL(x->loc.column, 9);
	dc_violations_free(v);
}

static const char *shop =
	"services:\n"
	"  - { name: checkout, system: shop, owner: team-shop, tier: 1, tags: [web],\n"
	"      depends_on: [payments-db, payments-api, payments-db-replica] }\n"
	"  - { name: payments-api, system: payments, owner: team-pay, tier: 1, depends_on: [payments-db] }\n"
	"  - { name: payments-db, system: payments, owner: team-pay, tier: 1 }\n"
	"  - { name: payments-db-replica, system: payments, owner: team-pay, tier: 2 }\n";

static void test_forbidden(void)
{
	dc_violations *v = check(shop, POL("  forbidden:\n"
					   "    - name: db-private\n"
					   "      from: { not: { system: payments } }\n"
					   "      to: { name: \"payments-db\" }\n"
					   "      message: only payments may use its database\n"));
	const dc_violation *x = find(v, "forbidden/db-private", NULL);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);   /* the regex is anchored: not the replica */
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->key, "checkout -> payments-db");
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_EQUAL(x->loc.line, 3);
	CU_ASSERT_EQUAL(x->loc.column, 20);
	CU_ASSERT_STRING_EQUAL(x->message, "only payments may use its database: 'checkout' depends on 'payments-db'");
	dc_violations_free(v);

	/* regex, owner, tag, tier selectors; a list is "any of" */
	v = check(shop, POL("  forbidden:\n"
			    "    - { name: a, severity: warning, from: { tag: web }, to: { name: \"payments-db.*\" } }\n"
			    "    - { name: b, from: { owner: team-pay }, to: { tier: [2, 3] } }\n"
			    "    - { name: c, from: [{ name: checkout }, { name: nobody }], to: { system: payments, tier: 1 } }\n"
			    "    - { name: d, from: { owner: team-pay }, to: { name: checkout } }\n"
			    "    - { name: e, kind: soft, to: { name: payments-api } }\n"));
	CU_ASSERT_EQUAL(count_rule(v, "forbidden/a"), 2);
	CU_ASSERT_EQUAL(find(v, "forbidden/a", NULL)->level, DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(count_rule(v, "forbidden/b"), 0);
	CU_ASSERT_EQUAL(count_rule(v, "forbidden/c"), 2);
	CU_ASSERT_EQUAL(count_rule(v, "forbidden/d"), 0);
	CU_ASSERT_EQUAL(count_rule(v, "forbidden/e"), 0);
	dc_violations_free(v);
}

/* ---- locations in every format ------------------------------------------------------------- */

static void test_locations_backstage_compose(void)
{
	const char *bs =
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: front\n"
		"  annotations: { depcheck.dev/tier: \"1\" }\n"
		"spec:\n"
		"  type: service\n"
		"  owner: team\n"
		"  dependsOn:\n"
		"    - component:ok\n"
		"    - component:back\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata: { name: back, annotations: { depcheck.dev/tier: \"3\" } }\n"
		"spec: { type: service, owner: team }\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata: { name: ok, annotations: { depcheck.dev/tier: \"1\" } }\n"
		"spec: { type: service, owner: team }\n";
	const char *compose =
		"services:\n"
		"  front:\n"
		"    image: x\n"
		"    depends_on:\n"
		"      ok:\n"
		"        condition: service_started\n"
		"      back:\n"
		"        condition: service_healthy\n"
		"    x-depcheck: { tier: 1 }\n"
		"  back:\n"
		"    image: y\n"
		"    x-depcheck: { tier: 3 }\n"
		"  ok:\n"
		"    image: z\n"
		"    x-depcheck: { tier: 1 }\n";
	dc_violations *v = check_fmt(bs, POL("  tier: error\n"), DC_FORMAT_BACKSTAGE);
	const dc_violation *x = find(v, "tier", NULL);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->service, "front");
	CU_ASSERT_EQUAL(x->loc.line, 11);
	CU_ASSERT_EQUAL(x->loc.column, 7);
	dc_violations_free(v);
	/* Compose list form and native JSON */
	v = check_fmt("services:\n  front:\n    image: x\n    depends_on:\n      - ok\n      - back\n"
		      "    x-depcheck: { tier: 1 }\n  back: { image: y, x-depcheck: { tier: 3 } }\n"
		      "  ok: { image: z }\n", POL("  tier: error\n"), DC_FORMAT_COMPOSE);
	x = find(v, "tier", "front -> back");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->loc.line, 6);
	CU_ASSERT_EQUAL(x->loc.column, 9);
	dc_violations_free(v);
	v = check_fmt("{\"services\": [\n  {\"name\": \"front\", \"tier\": 1,\n   \"depends_on\": [\"ok\",\n"
		      "      {\"service\": \"back\"}]},\n  {\"name\": \"back\", \"tier\": 3},\n"
		      "  {\"name\": \"ok\"}]}\n", POL("  tier: error\n"), DC_FORMAT_NATIVE);
	x = find(v, "tier", "front -> back");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->loc.line, 4);
	dc_violations_free(v);
	v = check_fmt(compose, POL("  tier: error\n"), DC_FORMAT_COMPOSE);
	x = find(v, "tier", NULL);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->key, "front -> back");
	CU_ASSERT_EQUAL(x->loc.line, 7);
	CU_ASSERT_EQUAL(x->loc.column, 7);
	dc_violations_free(v);
}

/* ---- baselines ----------------------------------------------------------------------------- */

static void test_baseline_reordered_and_edited(void)
{
	const char *pol = POL("  tier: error\n  no-hard-cycles: error\n  required-fields: warning\n");
	const char *base =
		"services:\n"
		"  - { name: a, owner: o, tier: 1, depends_on: [c, b] }\n"
		"  - { name: b, owner: o, tier: 1, depends_on: [a] }\n"
		"  - { name: c, owner: o, tier: 3 }\n"
		"  - { name: d, tier: 2 }\n";
	/* reordered services and dependencies, comments and blank lines moved
	 * every line, one unrelated attribute edited, and one new violation */
	const char *head =
		"# a comment that shifts every line\n\n"
		"services:\n"
		"  - { name: d, tier: 2, description: edited }\n"
		"  - { name: c, owner: o, tier: 3 }\n\n"
		"  - { name: b, owner: o, tier: 1, depends_on: [a, c] }\n"
		"  - { name: a, owner: o, tier: 1, depends_on: [b, c] }\n";
	dc_violations *vb = check(base, pol), *vh = check(head, pol);
	uint8_t known[16];
	size_t ignored = 99, i, nh = dc_violations_count(vh);
	CU_ASSERT_EQUAL(dc_violations_count(vb), 3);   /* a->c tier, cycle a,b, d owner */
	CU_ASSERT_EQUAL_FATAL(nh, 4);
	CU_ASSERT_EQUAL(dc_violations_match(vb, vh, known), 3);
	for (i = 0; i < nh; i++)
		CU_ASSERT_EQUAL(known[i], strcmp(dc_violations_get(vh, i)->key, "b -> c") != 0);
	/* the other way round: nothing was fixed */
	CU_ASSERT_EQUAL(dc_violations_match(vh, vb, NULL), 3);
	CU_ASSERT_EQUAL(dc_violations_subtract(vh, vb, &ignored), 0);
	CU_ASSERT_EQUAL(ignored, 3);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(vh), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(vh, 0)->key, "b -> c");
	CU_ASSERT_EQUAL(dc_violations_get(vh, 0)->loc.line, 7);
	dc_violations_free(vb);
	dc_violations_free(vh);
}

static void test_external_findings(void)
{
	dc_violations *a, *b;
	dc_location none = { NULL, 0, 0 }, at = { "f.yaml", 3, 4 };
	size_t ignored;
	dc_violations_new(&a);
	dc_violations_new(&b);
	CU_ASSERT_EQUAL(dc_violations_add(a, "undeclared-dependency", DC_LEVEL_WARNING, "x", "y", NULL, at,
					  "x calls y"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(a, "undeclared-dependency", DC_LEVEL_WARNING, "x", "y", NULL, none,
					  "x calls y again"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(a, "r", DC_LEVEL_OFF, "x", NULL, NULL, none, "m"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_add(b, "undeclared-dependency", DC_LEVEL_ERROR, "x", "y", "x -> y", none,
					  "seen before"), 0);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(a, 0)->key, "x -> y");
	dc_violations_sort(a);
	CU_ASSERT_PTR_NOT_NULL(dc_violations_get(a, 0)->loc.file);   /* located first */
	/* duplicates count: one in the base hides one in the head */
	CU_ASSERT_EQUAL(dc_violations_subtract(a, b, &ignored), 0);
	CU_ASSERT_EQUAL(ignored, 1);
	CU_ASSERT_EQUAL(dc_violations_count(a), 1);
	dc_violations_free(a);
	dc_violations_free(b);
}

/* ---- waivers ------------------------------------------------------------------------------ */

/* The violation of rule `rule` with key `key` in v, or NULL */
static const dc_violation *vio_find(const dc_violations *v, const char *rule, const char *key)
{
	size_t i;
	for (i = 0; i < dc_violations_count(v); i++)
		if (!strcmp(dc_violations_get(v, i)->rule, rule) && !strcmp(dc_violations_get(v, i)->key, key))
			return dc_violations_get(v, i);
	return NULL;
}

static void test_waivers(void)
{
	static const char pol[] =
		"depcheck-policy: 1\n"
		"rules:\n"
		"  tier: error\n"
		"  max-depth: warning\n"
		"waivers:\n"
		"  - { rule: tier, subject: web -> db, reason: by display name }\n"       /* line 6 */
		"  - { rule: tier, subject: shop/api -> shop/db, reason: by key, expires: 2027-01-31 }\n"
		"  - { rule: tier, subject: web -> db, reason: second of two }\n"         /* unused */
		"  - { rule: max-depth, subject: old, reason: gone, expires: 2027-01-30 }\n" /* expired */
		"  - { rule: max-depth, subject: web, reason: today is the last day, expires: 2027-01-31 }\n";
	dc_policy *p = th_policy(pol);
	dc_violations *v;
	dc_location at = { "f.yaml", 3, 4 };
	const dc_violation *x;
	dc_violations_new(&v);
	/* web -> db: key by full reference, matched by display name */
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "web", "db", "shop/web -> shop/db", at, "web needs db");
	/* api -> db: matched by key */
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "api", "db", "shop/api -> shop/db", at, "api needs db");
	/* no waiver */
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "cart", "db", NULL, at, "cart needs db");
	dc_violations_add(v, "max-depth", DC_LEVEL_WARNING, "web", NULL, NULL, at, "deep");
	/* same subject, another rule: not waived */
	dc_violations_add(v, "no-hard-cycles", DC_LEVEL_ERROR, "web", "db", NULL, at, "cycle");
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2027-01-31"), 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 7); /* 5 + expired-waiver + unused-waiver */
	x = vio_find(v, "tier", "shop/web -> shop/db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->waived, "by display name");
	x = vio_find(v, "tier", "shop/api -> shop/db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->waived, "by key");
	CU_ASSERT_PTR_NULL(vio_find(v, "tier", "cart -> db")->waived);
	CU_ASSERT_PTR_NULL(vio_find(v, "no-hard-cycles", "web -> db")->waived);
	/* expires on the day itself: still in force */
	CU_ASSERT_STRING_EQUAL(vio_find(v, "max-depth", "web")->waived, "today is the last day");
	x = vio_find(v, "expired-waiver", "max-depth: old");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(x->loc.file, "policy.yaml");
	CU_ASSERT_EQUAL(x->loc.line, 9);
	CU_ASSERT_EQUAL(x->loc.column, 5);
	CU_ASSERT_STRING_EQUAL(x->message, "the waiver of max-depth for 'old' expired on 2027-01-30 (gone): "
					  "fix the findings or renew the waiver");
	x = vio_find(v, "unused-waiver", "tier: web -> db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(x->loc.line, 8);
	/* counts and the gate leave waived findings out */
	CU_ASSERT_EQUAL(dc_violations_count_waived(v), 3);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_ERROR), 3); /* cart, cycle, expired */
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_WARNING), 1);
	CU_ASSERT_EQUAL(dc_violations_gate(v, DC_LEVEL_ERROR), 1);
	dc_violations_free(v);

	/* a day later: two waivers have expired, and their findings count again */
	dc_violations_new(&v);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "api", "db", "shop/api -> shop/db", at, "api needs db");
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "web", "db", NULL, at, "web needs db");
	dc_violations_add(v, "max-depth", DC_LEVEL_WARNING, "web", NULL, NULL, at, "deep");
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2027-02-01"), 0);
	CU_ASSERT_PTR_NULL(vio_find(v, "tier", "shop/api -> shop/db")->waived);
	CU_ASSERT_PTR_NULL(vio_find(v, "max-depth", "web")->waived);
	CU_ASSERT_PTR_NOT_NULL(vio_find(v, "expired-waiver", "tier: shop/api -> shop/db"));
	CU_ASSERT_PTR_NOT_NULL(vio_find(v, "expired-waiver", "max-depth: web"));
	CU_ASSERT_PTR_NOT_NULL(vio_find(v, "expired-waiver", "max-depth: old"));
	CU_ASSERT_STRING_EQUAL(vio_find(v, "tier", "web -> db")->waived, "by display name");
	dc_violations_free(v);

	/* every error waived: the gate passes */
	dc_violations_new(&v);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "web", "db", NULL, at, "web needs db");
	CU_ASSERT_EQUAL(dc_violations_gate(v, DC_LEVEL_ERROR), 1);
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2026-01-01"), 0);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_ERROR), 0);
	CU_ASSERT_EQUAL(dc_violations_gate(v, DC_LEVEL_ERROR), 0);
	/* (unused waivers are warnings) */
	CU_ASSERT_EQUAL(dc_violations_gate(v, DC_LEVEL_WARNING), 1);
	/* a second call changes nothing waived */
	CU_ASSERT_EQUAL(dc_violations_count_waived(v), 1);
	/* bad arguments */
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2026-13-01"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "today"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_waive(NULL, p, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_waive(v, NULL, NULL), DC_EINVALID);
	dc_violations_free(v);
	dc_policy_free(p);

	/* the current date, and a policy without waivers: nothing changes */
	p = th_policy("depcheck-policy: 1\nrules:\n  tier: error\n");
	dc_violations_new(&v);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "web", "db", NULL, at, "web needs db");
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, NULL), 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_EQUAL(dc_violations_count_waived(v), 0);
	dc_violations_free(v);
	dc_policy_free(p);
}

/* ---- keeping the first findings of each rule (dc_violations_keep) ------------------------ */

/* The messages of v in its order, one a line (free it). */
static char *messages(const dc_violations *v)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);
	for (i = 0; i < dc_violations_count(v); i++)
		fprintf(fp, "%s|%s\n", dc_violations_get(v, i)->rule, dc_violations_get(v, i)->message);
	fclose(fp);
	return buf;
}

/* A rule with more findings than it keeps: counts of every one, the first
 * two in sort order kept (ties in the order added), other rules whole. */
static void test_keep_first(void)
{
	dc_violations *v;
	dc_location a1 = { "a.yaml", 1, 1 }, a9 = { "a.yaml", 9, 1 }, b2 = { "b.yaml", 2, 1 }, none = { NULL, 0, 0 };
	char *m;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_violations_keep(v, 2, NULL, NULL), 0);
	/* added out of order: kept are a1 (twice: same place and key, the
	 * first added first), then nothing else of rule tier */
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, b2, "b2"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, none, "none"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a9, "a9"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a1, "a1 first"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a1, "a1 second"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a1, "a1 third"), 0);
	/* a warning of the same rule sorts after every error */
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_WARNING, "s", NULL, "k", a1, "warning"), 0);
	/* another rule, under its limit: kept whole */
	CU_ASSERT_EQUAL(dc_violations_add(v, "max-depth", DC_LEVEL_WARNING, "s", NULL, NULL, b2, "deep"), 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 3);
	CU_ASSERT_EQUAL(dc_violations_total(v), 8);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_ERROR), 6);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_WARNING), 2);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "tier", 0), 7);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "max-depth", 1), 1);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "no-spof", 1), 0);
	CU_ASSERT_EQUAL(dc_violations_gate(v, DC_LEVEL_ERROR), 1);
	dc_violations_sort(v);
	m = messages(v);
	CU_ASSERT_STRING_EQUAL(m, "tier|a1 first\ntier|a1 second\nmax-depth|deep\n");
	free(m);
	/* after a sort it goes on keeping the first ones */
	CU_ASSERT_EQUAL(dc_violations_add(v, "max-depth", DC_LEVEL_WARNING, "s", NULL, NULL, a1, "deeper"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "max-depth", DC_LEVEL_WARNING, "s", NULL, NULL, a9, "deepest"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "r", NULL, "0", a1, "a1 key 0"), 0);
	dc_violations_sort(v);
	m = messages(v);
	CU_ASSERT_STRING_EQUAL(m, "tier|a1 key 0\ntier|a1 first\nmax-depth|deeper\nmax-depth|deepest\n");
	free(m);
	CU_ASSERT_EQUAL(dc_violations_total(v), 11);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "max-depth", 0), 3);
	/* a list that left findings out is not compared */
	{
		dc_violations *w;
		dc_diags *d;
		size_t ignored = 99;
		uint8_t known[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
		dc_violations_new(&w);
		dc_violations_add(w, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a1, "a1");
		CU_ASSERT_EQUAL(dc_violations_subtract(v, w, &ignored), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_violations_subtract(w, v, &ignored), DC_EINVALID);
		CU_ASSERT_EQUAL(ignored, 99);
		CU_ASSERT_EQUAL(dc_violations_compare(w, v, NULL, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_violations_match(w, v, known), 0);
		CU_ASSERT_EQUAL(known[0] + known[1] + known[2] + known[3], 0);
		/* a list with findings cannot start keeping only some */
		CU_ASSERT_EQUAL(dc_violations_keep(w, 1, NULL, NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_violations_keep(NULL, 1, NULL, NULL), DC_EINVALID);
		/* an input error could be at the place of a finding not kept */
		dc_diags_new(&d);
		dc_diags_add(d, DC_SEV_WARNING, "x.yaml", 1, 1, "only a warning");
		CU_ASSERT_EQUAL(dc_violations_add_input_errors(v, d, DC_LEVEL_ERROR), 0);
		dc_diags_add(d, DC_SEV_ERROR, "x.yaml", 2, 1, "broken");
		CU_ASSERT_EQUAL(dc_violations_add_input_errors(v, d, DC_LEVEL_ERROR), DC_EINVALID);
		/* nor waived afterwards without the waivers known from the start */
		{
			dc_policy *p = th_policy("depcheck-policy: 1\nrules:\n  tier: error\nwaivers:\n"
						 "  - { rule: tier, subject: s -> t, reason: r }\n");
			CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2026-01-01"), DC_EINVALID);
			dc_policy_free(p);
		}
		dc_diags_free(d);
		dc_violations_free(w);
	}
	dc_violations_free(v);

	/* keeping 0: every finding */
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_violations_keep(v, 0, NULL, NULL), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, b2, "b2"), 0);
	CU_ASSERT_EQUAL(dc_violations_add(v, "tier", DC_LEVEL_ERROR, "s", "t", NULL, a1, "a1"), 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	CU_ASSERT_EQUAL(dc_violations_total(v), 2);
	dc_violations_free(v);
}

/* Waivers known from the start: a finding not kept counts as waived or
 * not, the waivers that accepted only findings not kept are used, and the
 * waivers' own findings come with dc_violations_waive(). */
static void test_keep_waivers(void)
{
	static const char pol[] =
		"depcheck-policy: 1\n"
		"rules:\n"
		"  tier: error\n"
		"waivers:\n"
		"  - { rule: tier, subject: z -> db, reason: last in order }\n"
		"  - { rule: tier, subject: old, reason: gone, expires: 2020-01-01 }\n"
		"  - { rule: tier, subject: nobody, reason: none }\n";
	dc_policy *p = th_policy(pol), *other = th_policy(pol);
	dc_violations *v;
	dc_location at1 = { "f.yaml", 1, 1 }, at2 = { "f.yaml", 2, 1 }, at3 = { "f.yaml", 3, 1 };
	char *m;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_violations_keep(v, 1, p, "2026-12-31"), 0);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "z", "db", NULL, at3, "z needs db");
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "b", "db", NULL, at2, "b needs db");
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "a", "db", NULL, at1, "a needs db");
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_ERROR), 2);
	CU_ASSERT_EQUAL(dc_violations_count_waived(v), 1);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "tier", 0), 2);
	CU_ASSERT_EQUAL(dc_violations_count_rule(v, "tier", 1), 3);
	/* the waivers' findings: another policy or day is refused */
	CU_ASSERT_EQUAL(dc_violations_waive(v, other, "2026-12-31"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2027-01-01"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, "2026-12-31"), 0);
	/* expired-waiver and unused-waiver, kept (one each); z -> db's waiver
	 * was used though its finding is not kept */
	CU_ASSERT_EQUAL(dc_violations_total(v), 5);
	CU_ASSERT_EQUAL(dc_violations_count(v), 3);
	m = messages(v);
	CU_ASSERT_STRING_EQUAL(m, "tier|a needs db\n"
				  "expired-waiver|the waiver of tier for 'old' expired on 2020-01-01 (gone): fix "
				  "the findings or renew the waiver\n"
				  "unused-waiver|the waiver of tier for 'nobody' accepts no finding: remove it\n");
	free(m);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_ERROR), 3);
	CU_ASSERT_EQUAL(dc_violations_count_level(v, DC_LEVEL_WARNING), 1);
	CU_ASSERT_EQUAL(dc_violations_keep(v, 1, p, "not a day"), DC_EINVALID);
	dc_violations_free(v);
	/* a day that is not one */
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_violations_keep(v, 1, p, "2026-02-30"), DC_EINVALID);
	/* the waivers of the current date, NULL again at the end */
	CU_ASSERT_EQUAL(dc_violations_keep(v, 1, p, NULL), 0);
	dc_violations_add(v, "tier", DC_LEVEL_ERROR, "z", "db", NULL, at3, "z needs db");
	CU_ASSERT_EQUAL(dc_violations_waive(v, p, NULL), 0);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(v, 1)->rule, "expired-waiver");
	CU_ASSERT_PTR_NOT_NULL(dc_violations_get(v, 0)->waived);
	CU_ASSERT_EQUAL(dc_violations_count_waived(v), 1);
	dc_violations_free(v);
	dc_policy_free(p);
	dc_policy_free(other);
}

/* Write v as text and JSON with list_limit lim (free both). */
static void write_both(const dc_violations *v, const dc_policy *p, size_t lim, char **text, char **json)
{
	dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
	dc_output_options o;
	int rc;
	r.v = v;
	r.policy = p;
	r.failed = dc_violations_gate(v, r.fail_on);
	o = th_opts(DC_OUTPUT_TEXT);
	o.list_limit = lim;
	TH_CAPTURE(*text, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
	o = th_opts(DC_OUTPUT_JSON);
	o.list_limit = lim;
	TH_CAPTURE(*json, rc, dc_write_violations(fp, &r, &o));
	CU_ASSERT_EQUAL(rc, 0);
}

/* Random findings (few places and keys: many ties) and waivers: a list
 * that keeps the first N of each rule against one that keeps them all,
 * the oracle: the same counts, the gate, the kept ones are the first N of
 * each rule of the whole sorted list, and the text and JSON with
 * list_limit N are the same bytes. The formats that list everything
 * refuse the cut list. */
static void test_keep_random(void)
{
	static const char *rules[] = { "tier", "max-depth", "no-spof" };
	static const char *files[] = { NULL, "a.yaml", "b.yaml" };
	static const char pol[] =
		"depcheck-policy: 1\n"
		"rules:\n"
		"  tier: error\n"
		"  max-depth: warning\n"
		"  no-spof: error\n"
		"waivers:\n"
		"  - { rule: tier, subject: s1 -> t0, reason: r1 }\n"
		"  - { rule: max-depth, subject: k2, reason: r2 }\n"
		"  - { rule: no-spof, subject: s0, reason: r3, expires: 2026-06-01 }\n"
		"  - { rule: tier, subject: k1, reason: r4, expires: 2026-01-01 }\n";
	dc_policy *p = th_policy(pol);
	uint64_t seed = 1607;
	int round;
	for (round = 0; round < 300; round++) {
		dc_violations *all, *cut;
		size_t keep = 1 + gen_below(&seed, 4), n = gen_below(&seed, 40), i, k;
		const char *day = gen_below(&seed, 2) ? "2026-03-01" : "2026-12-01";
		char *ta, *ja, *tc, *jc;
		int rc;
		dc_violations_new(&all);
		dc_violations_new(&cut);
		CU_ASSERT_EQUAL(dc_violations_keep(cut, keep, p, day), 0);
		for (i = 0; i < n; i++) {
			const char *rule = rules[gen_below(&seed, 3)];
			dc_level level = gen_below(&seed, 3) ? DC_LEVEL_ERROR : DC_LEVEL_WARNING;
			dc_location at;
			char svc[8], tgt[8], key[8], msg[32];
			int has_t = gen_below(&seed, 2), has_k = gen_below(&seed, 2);
			at.file = files[gen_below(&seed, 3)];
			at.line = 1 + gen_below(&seed, 3);
			at.column = 1 + gen_below(&seed, 2);
			snprintf(svc, sizeof(svc), "s%u", gen_below(&seed, 3));
			snprintf(tgt, sizeof(tgt), "t%u", gen_below(&seed, 2));
			snprintf(key, sizeof(key), "k%u", gen_below(&seed, 3));
			snprintf(msg, sizeof(msg), "finding %zu", i);
			CU_ASSERT_EQUAL(dc_violations_add(all, rule, level, svc, has_t ? tgt : NULL, has_k ? key : NULL,
							  at, msg), 0);
			CU_ASSERT_EQUAL(dc_violations_add(cut, rule, level, svc, has_t ? tgt : NULL, has_k ? key : NULL,
							  at, msg), 0);
		}
		dc_violations_sort(all);
		dc_violations_sort(cut);
		CU_ASSERT_EQUAL(dc_violations_waive(all, p, day), 0);
		CU_ASSERT_EQUAL(dc_violations_waive(cut, p, day), 0);
		CU_ASSERT_EQUAL(dc_violations_total(cut), dc_violations_count(all));
		CU_ASSERT_EQUAL(dc_violations_count_level(cut, DC_LEVEL_ERROR),
				dc_violations_count_level(all, DC_LEVEL_ERROR));
		CU_ASSERT_EQUAL(dc_violations_count_level(cut, DC_LEVEL_WARNING),
				dc_violations_count_level(all, DC_LEVEL_WARNING));
		CU_ASSERT_EQUAL(dc_violations_count_waived(cut), dc_violations_count_waived(all));
		CU_ASSERT_EQUAL(dc_violations_gate(cut, DC_LEVEL_ERROR), dc_violations_gate(all, DC_LEVEL_ERROR));
		CU_ASSERT_EQUAL(dc_violations_gate(cut, DC_LEVEL_WARNING), dc_violations_gate(all, DC_LEVEL_WARNING));
		/* the kept ones: the first `keep` of each rule (the waivers' own
		 * rules too), by brute force */
		{
			size_t j = 0, seen;
			for (i = 0; i < dc_violations_count(all); i++) {
				const dc_violation *x = dc_violations_get(all, i), *y;
				size_t unw = 0, tot = 0;
				for (k = seen = 0; k < i; k++)
					seen += !strcmp(dc_violations_get(all, k)->rule, x->rule);
				if (seen >= keep)
					continue;
				y = dc_violations_get(cut, j++);
				CU_ASSERT_PTR_NOT_NULL_FATAL(y);
				CU_ASSERT_STRING_EQUAL(y->message, x->message);
				CU_ASSERT((!y->waived && !x->waived) || (y->waived && x->waived && !strcmp(y->waived, x->waived)));
				for (k = 0; k < dc_violations_count(all); k++) {
					tot += !strcmp(dc_violations_get(all, k)->rule, x->rule);
					unw += !strcmp(dc_violations_get(all, k)->rule, x->rule) &&
					       !dc_violations_get(all, k)->waived;
				}
				CU_ASSERT_EQUAL(dc_violations_count_rule(cut, x->rule, 1), tot);
				CU_ASSERT_EQUAL(dc_violations_count_rule(cut, x->rule, 0), unw);
			}
			CU_ASSERT_EQUAL(j, dc_violations_count(cut));
		}
		write_both(all, p, keep, &ta, &ja);
		write_both(cut, p, keep, &tc, &jc);
		CU_ASSERT_STRING_EQUAL(tc, ta);
		CU_ASSERT_STRING_EQUAL(jc, ja);
		free(ta);
		free(ja);
		free(tc);
		free(jc);
		/* the formats that list every finding: not from a cut list */
		if (dc_violations_count(cut) < dc_violations_total(cut)) {
			static const dc_output_format every[] = { DC_OUTPUT_JSONL, DC_OUTPUT_SARIF, DC_OUTPUT_JUNIT,
								 DC_OUTPUT_GITHUB };
			dc_violations_report r = DC_VIOLATIONS_REPORT_INIT;
			dc_output_options o;
			char *buf = NULL;
			r.v = cut;
			r.policy = p;
			for (k = 0; k < sizeof(every) / sizeof(*every); k++) {
				o = th_opts(every[k]);
				TH_CAPTURE(buf, rc, dc_write_violations(fp, &r, &o));
				CU_ASSERT_EQUAL(rc, DC_EINVALID);
				free(buf);
			}
		}
		dc_violations_free(all);
		dc_violations_free(cut);
	}
	dc_policy_free(p);
}

/* Through dc_check: a rule that finds more than the list keeps (tier on a
 * star of tier-1 services that hard-depend on a tier-3 one). */
static void test_keep_check(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *all, *cut;
	dc_policy *p = th_policy(POL("  tier: error\n"));
	char *ta, *ja, *tc, *jc, text[4096];
	size_t i, off = 0;
	off += (size_t)snprintf(text + off, sizeof(text) - off, "services:\n  - { name: db, tier: 3 }\n");
	for (i = 0; i < 30; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"  - { name: s%02zu, tier: 1, depends_on: [db] }\n", 29 - i);
	th_load(&cat, &d, "cat.yaml", text, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	dc_violations_new(&all);
	dc_violations_new(&cut);
	CU_ASSERT_EQUAL(dc_violations_keep(cut, 5, p, "2026-01-01"), 0);
	CU_ASSERT_EQUAL(dc_check(all, g, NULL, p, NULL), 0);
	CU_ASSERT_EQUAL(dc_check(cut, g, NULL, p, NULL), 0);
	CU_ASSERT_EQUAL(dc_violations_count(all), 30);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(cut), 5);
	CU_ASSERT_EQUAL(dc_violations_total(cut), 30);
	CU_ASSERT_EQUAL(dc_violations_count_rule(cut, "tier", 0), 30);
	/* the first five lines of the file: s29 .. s25 */
	for (i = 0; i < 5; i++) {
		char want[8];
		snprintf(want, sizeof(want), "s%02zu", 29 - i);
		CU_ASSERT_STRING_EQUAL(dc_violations_get(cut, i)->service, want);
		CU_ASSERT_STRING_EQUAL(dc_violations_get(cut, i)->message, dc_violations_get(all, i)->message);
	}
	write_both(all, p, 5, &ta, &ja);
	write_both(cut, p, 5, &tc, &jc);
	CU_ASSERT_STRING_EQUAL(tc, ta);
	CU_ASSERT_STRING_EQUAL(jc, ja);
	CU_ASSERT_PTR_NOT_NULL(strstr(tc, "... and 25 more [tier]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(jc, "\"violations_total\": 30"));
	free(ta);
	free(ja);
	free(tc);
	free(jc);
	/* list_limit 0 (--all) from the whole list lists all 30 */
	write_both(all, p, 0, &ta, &ja);
	CU_ASSERT_PTR_NULL(strstr(ta, "more [tier]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ta, "s00"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ja, "\"violations_truncated\": false"));
	free(ta);
	free(ja);
	dc_violations_free(all);
	dc_violations_free(cut);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
}

/* Random catalogs (tiers, timeouts, retries, cycles) through dc_check: a
 * list that keeps the first K of each rule (most findings then skip their
 * key: dc__report_skip) against one that keeps every finding, and dc_check's
 * own analysis (only the parts its rules read, no DEGRADED counts) against
 * the full dc_analyze(): the same counts, the same findings, the same text
 * and JSON. Every other round the policy has a waiver (no finding may
 * skip its key then: the waiver matches by it). */
static void test_keep_check_random(void)
{
	static const char pol[] =
		"depcheck-policy: 1\n"
		"rules:\n"
		"  no-hard-cycles: error\n"
		"  no-cycles: warning\n"
		"  tier: error\n"
		"  max-blast-radius: { severity: warning, max: 2 }\n"
		"  max-depth: { severity: warning, max: 3 }\n"
		"  max-retry-amplification: { severity: warning, max: 2 }\n"
		"  retry-without-budget: { severity: warning, max-amplification: 2 }\n"
		"  timeout-budget: warning\n"
		"  no-spof: { severity: error, tier-1-only: false }\n";
	static const char waiver[] = "waivers:\n  - { rule: tier, subject: s01, reason: known }\n";
	uint64_t seed = 2026;
	int round;
	size_t skipped_rounds = 0;
	for (round = 0; round < 60; round++) {
		unsigned n = 4 + gen_below(&seed, 40), i, k;
		size_t keep = 1 + gen_below(&seed, 3), cap = 256 + (size_t)n * 400, off = 0;
		char *text = malloc(cap), ptext[1024];
		dc_catalog *cat;
		dc_diags *d;
		dc_graph *g;
		dc_analysis *a;
		dc_policy *p;
		dc_violations *all, *own, *cut;
		char *ta, *ja, *to, *jo, *tc, *jc;
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		snprintf(ptext, sizeof(ptext), "%s%s", pol, round % 2 ? waiver : "");
		p = th_policy(ptext);
		off += (size_t)snprintf(text + off, cap - off, "services:\n");
		for (i = 0; i < n; i++) {
			unsigned nd = gen_below(&seed, 4), t = gen_below(&seed, 4);
			off += (size_t)snprintf(text + off, cap - off, "  - name: s%02u\n", i);
			if (t)
				off += (size_t)snprintf(text + off, cap - off, "    tier: %u\n", t);
			if (i < 2)
				off += (size_t)snprintf(text + off, cap - off, "    entrypoint: true\n");
			off += (size_t)snprintf(text + off, cap - off, "    latency_ms: %u\n", 1 + gen_below(&seed, 50));
			if (!nd)
				continue;
			off += (size_t)snprintf(text + off, cap - off, "    depends_on:\n");
			for (k = 0; k < nd; k++) {
				unsigned to_ = gen_below(&seed, n);
				if (to_ == i)
					to_ = (to_ + 1) % n;
				off += (size_t)snprintf(text + off, cap - off, "      - service: s%02u\n", to_);
				if (gen_below(&seed, 3) == 0)
					off += (size_t)snprintf(text + off, cap - off, "        kind: soft\n");
				if (gen_below(&seed, 2))
					off += (size_t)snprintf(text + off, cap - off, "        timeout_ms: %u\n",
								10 + gen_below(&seed, 200));
				if (gen_below(&seed, 2))
					off += (size_t)snprintf(text + off, cap - off, "        retries: %u\n",
								gen_below(&seed, 4));
			}
		}
		CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "cat.yaml", text, DC_FORMAT_AUTO), 0);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_analyze(&a, g, NULL), 0);
		dc_violations_new(&all);
		dc_violations_new(&own);
		dc_violations_new(&cut);
		CU_ASSERT_EQUAL(dc_violations_keep(cut, keep, p, "2026-01-01"), 0);
		CU_ASSERT_EQUAL(dc_check(all, g, a, p, NULL), 0);
		CU_ASSERT_EQUAL(dc_check(own, g, NULL, p, NULL), 0);
		CU_ASSERT_EQUAL(dc_check(cut, g, NULL, p, NULL), 0);
		CU_ASSERT_EQUAL(dc_violations_waive(all, p, "2026-01-01"), 0);
		CU_ASSERT_EQUAL(dc_violations_waive(own, p, "2026-01-01"), 0);
		CU_ASSERT_EQUAL(dc_violations_waive(cut, p, "2026-01-01"), 0);
		CU_ASSERT_EQUAL(dc_violations_count(own), dc_violations_count(all));
		CU_ASSERT_EQUAL(dc_violations_total(cut), dc_violations_count(all));
		CU_ASSERT_EQUAL(dc_violations_count_waived(cut), dc_violations_count_waived(all));
		CU_ASSERT_EQUAL(dc_violations_count_level(cut, DC_LEVEL_ERROR),
				dc_violations_count_level(all, DC_LEVEL_ERROR));
		CU_ASSERT_EQUAL(dc_violations_count_level(cut, DC_LEVEL_WARNING),
				dc_violations_count_level(all, DC_LEVEL_WARNING));
		skipped_rounds += dc_violations_count(cut) < dc_violations_total(cut);
		write_both(all, p, 0, &ta, &ja);
		write_both(own, p, 0, &to, &jo);
		CU_ASSERT_STRING_EQUAL(to, ta);
		CU_ASSERT_STRING_EQUAL(jo, ja);
		free(ta);
		free(ja);
		free(to);
		free(jo);
		write_both(all, p, keep, &ta, &ja);
		write_both(cut, p, keep, &tc, &jc);
		CU_ASSERT_STRING_EQUAL(tc, ta);
		CU_ASSERT_STRING_EQUAL(jc, ja);
		free(ta);
		free(ja);
		free(tc);
		free(jc);
		dc_violations_free(all);
		dc_violations_free(own);
		dc_violations_free(cut);
		dc_analysis_free(a);
		dc_graph_free(g);
		th_done(cat, d);
		dc_policy_free(p);
		free(text);
	}
	/* most rounds find more than they keep */
	CU_ASSERT_TRUE(skipped_rounds > 30);
}

/* ---- randomized: max-depth against a brute-force oracle ----------------------------------- */

/* Longest path (in nodes) from v in a DAG, by plain recursion (small n). */
static unsigned brute_depth(unsigned v, const gen_edge *e, size_t m)
{
	unsigned best = 1;
	size_t k;
	for (k = 0; k < m; k++)
		if (e[k].from == v) {
			unsigned d = 1 + brute_depth(e[k].to, e, m);
			if (d > best)
				best = d;
		}
	return best;
}

static void test_random_depth_oracle(void)
{
	uint64_t seed = 20261122;
	int round;
	for (round = 0; round < 200; round++) {
		unsigned n = 2 + gen_below(&seed, 9), i, max = 1 + gen_below(&seed, 4);
		gen_edge e[64];
		size_t m = 0, k;
		unsigned depth[16];
		dc_catalog *cat;
		dc_graph *g;
		dc_violations *v;
		dc_policy *p;
		char pol[128];
		/* a DAG: edges from lower to higher numbers, random kinds */
		for (i = 0; i < n * 2 && m < 64; i++) {
			unsigned a = gen_below(&seed, n), b = gen_below(&seed, n);
			if (a == b)
				continue;
			if (a > b) {
				unsigned t = a;
				a = b;
				b = t;
			}
			for (k = 0; k < m && !(e[k].from == a && e[k].to == b); k++)
				;
			if (k < m)
				continue;
			e[m].from = a;
			e[m].to = b;
			e[m].kind = gen_below(&seed, 2) ? DC_DEP_SOFT : DC_DEP_HARD;
			e[m].group = 0;
			m++;
		}
		cat = gen_catalog(n, e, m);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		snprintf(pol, sizeof(pol), "depcheck-policy: 1\nrules:\n  max-depth: { max: %u }\n", max);
		p = th_policy(pol);
		dc_violations_new(&v);
		CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, NULL), 0);
		for (i = 0; i < n; i++)
			depth[i] = brute_depth(i, e, m);
		for (i = 0; i < n; i++) {
			/* oracle: too deep, and no too-deep service depends on it */
			int top = depth[i] > max, found = 0;
			char name[16];
			size_t j;
			for (k = 0; k < m && top; k++)
				if (e[k].to == i && depth[e[k].from] > max)
					top = 0;
			snprintf(name, sizeof(name), "s%u", i);
			for (j = 0; j < dc_violations_count(v); j++)
				if (!strcmp(dc_violations_get(v, j)->key, name)) {
					char want[64];
					found = 1;
					snprintf(want, sizeof(want), "chain of %u services", depth[i]);
					CU_ASSERT_PTR_NOT_NULL(strstr(dc_violations_get(v, j)->message, want));
				}
			CU_ASSERT_EQUAL(found, top);
		}
		dc_violations_free(v);
		dc_policy_free(p);
		dc_graph_free(g);
		dc_catalog_free(cat);
	}
}

/* Randomized baseline matching: the head is the base's violations
 * shuffled, some dropped, some added; subtract keeps exactly the added. */
static void test_random_baseline(void)
{
	uint64_t seed = 7;
	int round;
	dc_location none = { NULL, 0, 0 };
	for (round = 0; round < 100; round++) {
		dc_violations *base, *head;
		unsigned n = gen_below(&seed, 20), i, added = 0, kept = 0;
		size_t ignored;
		char key[32];
		dc_violations_new(&base);
		dc_violations_new(&head);
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "k%u", gen_below(&seed, 8));   /* duplicates on purpose */
			dc_violations_add(base, gen_below(&seed, 2) ? "tier" : "no-spof", DC_LEVEL_ERROR, "s", NULL,
					  key, none, "m");
		}
		for (i = n; i-- > 0;) {
			const dc_violation *x = dc_violations_get(base, i);
			if (gen_below(&seed, 4) == 0)
				continue;
			dc_violations_add(head, x->rule, DC_LEVEL_ERROR, "s", NULL, x->key, none, "m");
			kept++;
		}
		for (i = gen_below(&seed, 4); i > 0; i--) {
			snprintf(key, sizeof(key), "new%u", i);
			dc_violations_add(head, "tier", DC_LEVEL_ERROR, "s", NULL, key, none, "m");
			added++;
		}
		CU_ASSERT_EQUAL(dc_violations_subtract(head, base, &ignored), 0);
		CU_ASSERT_EQUAL(ignored, kept);
		CU_ASSERT_EQUAL(dc_violations_count(head), added);
		for (i = 0; i < dc_violations_count(head); i++)
			CU_ASSERT_EQUAL(strncmp(dc_violations_get(head, i)->key, "new", 3), 0);
		dc_violations_free(base);
		dc_violations_free(head);
	}
}

/* ---- the CLI: formats and exit codes -------------------------------------------------------- */

static void test_cli_sarif(void)
{
	int code;
	char *out = th_run_cli("check catalogs/streaming/catalog.yaml -f sarif", &code);
	json_error_t err;
	json_t *root, *run0, *rules, *results;
	size_t i;
	CU_ASSERT_EQUAL(code, 1);
	root = json_loads(out, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "version")), "2.1.0");
	CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(root, "$schema")));
	run0 = json_array_get(json_object_get(root, "runs"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(run0);
	{
		json_t *drv = json_object_get(json_object_get(run0, "tool"), "driver");
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(drv, "name")), "depcheck");
		CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(drv, "version")));
		/* the project has no public URL: no informationUri (optional in
		 * SARIF) rather than a link to a repository that does not exist */
		CU_ASSERT_PTR_NULL(json_object_get(drv, "informationUri"));
		rules = json_object_get(drv, "rules");
	}
	/* every built-in rule but the forbidden list, which has no entries here */
	CU_ASSERT_EQUAL_FATAL(json_array_size(rules), dc_rule_count() - 1);
	for (i = 0; i < json_array_size(rules); i++) {
		json_t *r = json_array_get(rules, i);
		const char *lv = json_string_value(json_object_get(json_object_get(r, "defaultConfiguration"), "level"));
		CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(r, "id")));
		CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(json_object_get(r, "shortDescription"), "text")));
		CU_ASSERT(lv && (!strcmp(lv, "error") || !strcmp(lv, "warning") || !strcmp(lv, "none")));
	}
	results = json_object_get(run0, "results");
	CU_ASSERT_EQUAL(json_array_size(results), 19);
	for (i = 0; i < json_array_size(results); i++) {
		json_t *r = json_array_get(results, i), *pl, *reg;
		const char *id = json_string_value(json_object_get(r, "ruleId"));
		json_int_t idx = json_integer_value(json_object_get(r, "ruleIndex"));
		const char *lv = json_string_value(json_object_get(r, "level"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(id);
		CU_ASSERT(idx >= 0 && (size_t)idx < json_array_size(rules));
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(rules, (size_t)idx), "id")), id);
		CU_ASSERT(lv && (!strcmp(lv, "error") || !strcmp(lv, "warning")));
		CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(json_object_get(r, "message"), "text")));
		pl = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(pl, "artifactLocation"), "uri")),
				       "catalogs/streaming/catalog.yaml");
		reg = json_object_get(pl, "region");
		CU_ASSERT(json_integer_value(json_object_get(reg, "startLine")) >= 1);
		CU_ASSERT(json_integer_value(json_object_get(reg, "startColumn")) >= 1);
		CU_ASSERT_EQUAL(strlen(json_string_value(json_object_get(json_object_get(r, "partialFingerprints"),
									 "depcheckSubject/v2"))), 64);
	}
	json_decref(root);
	free(out);
}

static void test_cli_junit_github(void)
{
	int code;
	char *out = th_run_cli("check catalogs/streaming/catalog.yaml -f junit", &code);
	char path[] = "/tmp/dc_check_a,b:cXXXXXX";
	char args[512];
	int fd;
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT(th_xml_ok(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<testcase classname=\"depcheck.policy\" name=\"tier\">\n"
				       "      <failure type=\"error\" message=\"4 violations"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "name=\"no-cycles\">\n      <skipped"));
	/* 21 rules (valid-input, startup-cycle and deploy-order pass): no-cycles, no-spof, min-availability,
	 * dependency-nines and unverified-predictions are off, undeclared-dependency has no observed calls to read,
	 * max-load-amplification no traffic_rps to load the graph with */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "tests=\"21\" failures=\"2\" errors=\"0\" skipped=\"7\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "name=\"undeclared-dependency\">\n      <skipped message=\"no observed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "name=\"max-load-amplification\">\n      <skipped message=\"no service declares "
				       "traffic_rps\""));
	CU_ASSERT(th_xml_ok("<?xml version=\"1.0\"?><a><b/></a>"));
	CU_ASSERT(!th_xml_ok("<?xml version=\"1.0\"?><a><b></a>"));
	CU_ASSERT(!th_xml_ok("<?xml version=\"1.0\"?><a>&x;</a>"));
	CU_ASSERT(th_xml_ok("<?xml version=\"1.0\"?><a x=\"1\" y=\"&lt;\"><b z=\"2\" /></a>"));
	CU_ASSERT(!th_xml_ok("<?xml version=\"1.0\"?><a/><b/>"));      /* two roots */
	CU_ASSERT(!th_xml_ok("<?xml version=\"1.0\"?><a x=1></a>"));   /* unquoted */
	CU_ASSERT(!th_xml_ok("<?xml version=\"1.0\"?><a>x > y</a>")); /* '>' in text */
	free(out);

	/* warnings fail with --fail-on warning: the junit failures grow */
	out = th_run_cli("check catalogs/streaming/catalog.yaml -f junit --fail-on warning", &code);
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "failures=\"6\""));
	free(out);

	/* GitHub: file names with ',' and ':' are escaped in properties, '%'
	 * and newlines in data */
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	{
		const char *t = "services:\n  - { name: a, tier: 1, depends_on: [b] }\n  - { name: b, tier: 3 }\n";
		CU_ASSERT_EQUAL((size_t)write(fd, t, strlen(t)), strlen(t));
		close(fd);
	}
	snprintf(args, sizeof(args), "check --input-format native '%s' -f github", path);
	out = th_run_cli(args, &code);
	CU_ASSERT_EQUAL(code, 1);
	{
		char want[512];
		const char *base = path + strlen("/tmp/dc_check_a,b:c");
		snprintf(want, sizeof(want), "::error file=/tmp/dc_check_a%%2Cb%%3Ac%s,line=2,col=38,"
			 "title=depcheck tier::tier-1 service 'a' hard-depends on tier-3 'b' (a less critical "
			 "service can take it down)\n", base);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
		if (!strstr(out, want))
			fprintf(stderr, "\n%s\nwanted %s", out, want);
	}
	free(out);
	unlink(path);
}

static void test_cli_default_policy_round_trip(void)
{
	int code, code2;
	char path[] = "/tmp/dc_policyXXXXXX", args[512];
	char *text = th_run_cli("check --print-default-policy", &code), *a, *b, *pa, *pb;
	int fd = mkstemp(path);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_STRING_EQUAL(text, dc_policy_default_text());
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL((size_t)write(fd, text, strlen(text)), strlen(text));
	close(fd);
	a = th_run_cli("check catalogs/streaming/catalog.yaml -f json", &code);
	snprintf(args, sizeof(args), "check catalogs/streaming/catalog.yaml -f json --policy %s", path);
	b = th_run_cli(args, &code2);
	CU_ASSERT_EQUAL(code, 1);
	CU_ASSERT_EQUAL(code2, 1);
	/* identical except the "policy" line */
	pa = strstr(a, "\"passed\"");
	pb = strstr(b, "\"passed\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pa);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	CU_ASSERT_STRING_EQUAL(pa, pb);
	free(text);
	free(a);
	free(b);
	unlink(path);
}

/* ---- undeclared-dependency (observed calls) ------------------------------------------- */

/* web -> api -> db declared (web: line 2, api: line 3) */
static const char *observed_cat =
	"services:\n"
	"  - { name: web, depends_on: [api] }\n"
	"  - { name: api, depends_on: [db] }\n"
	"  - { name: db }\n";

static const char *observed_csv =
	"caller,callee,calls\n"
	"web,api,10\n"      /* declared */
	"web,db,7\n"        /* undeclared */
	"api,cache,3\n"     /* undeclared, to a service the catalog does not know */
	"db,db,5\n"         /* a service calling itself: ignored */
	"ghost,web,9\n"     /* the caller is unknown: the catalog cannot declare it */
	"api,web,1\n"       /* undeclared, one call */
	"web,db,2\n";       /* repeated edge: 9 calls in all */

/* Check cat_text with observations `csv` (NULL: none); options of the given
 * version. */
static dc_violations *check_observed(const char *cat_text, const char *pol_text, const char *csv,
				     uint64_t min_calls, unsigned version)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *v;
	dc_observed *obs = NULL;
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_policy *p = th_policy(pol_text);
	th_load(&cat, &d, "cat.yaml", cat_text, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&obs), 0);
	if (csv)
		CU_ASSERT_EQUAL_FATAL(dc_observed_parse(obs, "calls.csv", csv, strlen(csv), NULL, d), 0);
	co.version = version;
	co.observed = csv ? obs : NULL;
	co.min_calls = min_calls;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_observed_free(obs);
	dc_diags_free(d);
	dc_policy_free(p);
	return v;
}

/* The findings of observed_csv against observed_cat with min_calls 2:
 * web -> db (9 calls) and api -> cache (3, unknown to the catalog); api ->
 * web has 1 < 2. No descriptor line declares them: each is at its caller's
 * definition. */
static void expect_undeclared_min2(const dc_violations *v, dc_level level)
{
	const dc_violation *x;
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	x = find(v, "undeclared-dependency", "web -> db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, level);
	CU_ASSERT_STRING_EQUAL(x->service, "web");
	CU_ASSERT_STRING_EQUAL(x->target, "db");
	CU_ASSERT_STRING_EQUAL(x->loc.file, "cat.yaml");
	CU_ASSERT_EQUAL(x->loc.line, 2);
	CU_ASSERT_STRING_EQUAL(x->message, "'web' calls 'db' in production (9 calls observed, first at "
			       "calls.csv:3:1) but declares no dependency on it");
	x = find(v, "undeclared-dependency", "api -> cache");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, level);
	CU_ASSERT_STRING_EQUAL(x->service, "api");
	CU_ASSERT_STRING_EQUAL(x->target, "cache");
	CU_ASSERT_EQUAL(x->loc.line, 3);
	CU_ASSERT_STRING_EQUAL(x->message, "'api' calls the unknown service 'cache' in production (3 calls "
			       "observed, first at calls.csv:4:1) but declares no dependency on it");
	CU_ASSERT_PTR_NULL(find(v, "undeclared-dependency", "api -> web"));
}

static void test_undeclared(void)
{
	dc_violations *v = check_observed(observed_cat, POL("  undeclared-dependency: warning\n"), observed_csv,
					  2, DC_CHECK_OPTIONS_VERSION);
	const dc_violation *x;
	expect_undeclared_min2(v, DC_LEVEL_WARNING);
	dc_violations_free(v);

	/* min_calls 0 means 1: api -> web too, "1 call" */
	v = check_observed(observed_cat, POL("  undeclared-dependency: error\n"), observed_csv, 0,
			   DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(dc_violations_count(v), 3);
	x = find(v, "undeclared-dependency", "api -> web");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "(1 call observed,"));
	dc_violations_free(v);

	/* the rule off, no observations, or version-1 options (which end before
	 * `observed`): nothing */
	v = check_observed(observed_cat, POL("  undeclared-dependency: off\n"), observed_csv, 1,
			   DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	v = check_observed(observed_cat, POL("  undeclared-dependency: error\n"), NULL, 1, DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	v = check_observed(observed_cat, POL("  undeclared-dependency: error\n"), observed_csv, 1, 1);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* an unknown options version is refused */
	{
		dc_check_options co = DC_CHECK_OPTIONS_INIT;
		dc_catalog *cat;
		dc_diags *d;
		dc_graph *g;
		dc_policy *p = th_policy(POL("  undeclared-dependency: error\n"));
		th_load(&cat, &d, "cat.yaml", observed_cat, DC_FORMAT_AUTO);
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		co.version = DC_CHECK_OPTIONS_VERSION + 1;
		dc_violations_new(&v);
		CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), DC_EINVALID);
		co.version = 1;
		CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
		dc_violations_free(v);
		dc_graph_free(g);
		dc_catalog_free(cat);
		dc_diags_free(d);
		dc_policy_free(p);
	}
}

/* The rule's findings built directly from a reconciliation (what
 * `depcheck reconcile` reports): the same as the rule's. */
static void test_add_undeclared(void)
{
	th_fx f;
	dc_observed *obs;
	dc_reconcile *r;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	dc_violations *v;
	th_fx_load(&f, "cat.yaml", observed_cat);
	CU_ASSERT_EQUAL_FATAL(dc_observed_new(&obs), 0);
	CU_ASSERT_EQUAL_FATAL(dc_observed_parse(obs, "calls.csv", observed_csv, strlen(observed_csv), NULL, f.diags),
			      0);
	ro.min_calls = 2;
	CU_ASSERT_EQUAL_FATAL(dc_reconcile_compute(&r, f.g, obs, &ro), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&v), 0);
	CU_ASSERT_EQUAL(dc_violations_add_undeclared(v, f.g, obs, r, DC_LEVEL_ERROR), 0);
	expect_undeclared_min2(v, DC_LEVEL_ERROR);
	/* a level that reports nothing, or a missing argument: refused, nothing added */
	CU_ASSERT_EQUAL(dc_violations_add_undeclared(v, f.g, obs, r, DC_LEVEL_OFF), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_add_undeclared(v, f.g, obs, NULL, DC_LEVEL_WARNING), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_add_undeclared(NULL, f.g, obs, r, DC_LEVEL_WARNING), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	dc_violations_free(v);
	dc_reconcile_free(r);
	dc_observed_free(obs);
	th_fx_free(&f);
}

/* key_name renames services in subject keys (diff: base services by their
 * head counterparts); cycles are keyed by the sorted renamed members. */
static const char *upper_name(dc_id s, void *payload)
{
	static char buf[4][32];
	const dc_catalog *cat = payload;
	char *b = buf[s % 4];
	size_t i;
	snprintf(b, 32, "%s", dc_service_name(cat, s));
	for (i = 0; b[i]; i++)
		b[i] = (char)(b[i] == 'a' ? 'Y' : b[i] - 32);
	return b;
}

static void test_key_name(void)
{
	const char *cat_text =
		"services:\n"
		"  - { name: a, tier: 1, depends_on: [b] }\n"
		"  - { name: b, tier: 2, depends_on: [a] }\n";
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *v;
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_policy *p = th_policy(POL("  tier: error\n  no-hard-cycles: error\n"));
	th_load(&cat, &d, "cat.yaml", cat_text, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	co.key_name = upper_name;
	co.key_ctx = cat;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
	CU_ASSERT_PTR_NOT_NULL(find(v, "tier", "Y -> B"));
	/* a is renamed Y: sorted after B */
	CU_ASSERT_PTR_NOT_NULL(find(v, "no-hard-cycles", "cycle: B, Y"));
	/* service and target stay display names */
	CU_ASSERT_STRING_EQUAL(find(v, "tier", NULL)->service, "a");
	dc_violations_free(v);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
}

/* key_name came with version 2 of the options: versions 2 and 3 call it
 * (payload last: the version-2 order, payload first, is gone), version 1
 * ends before it. */
static void test_key_name_versions(void)
{
	const char *cat_text =
		"services:\n"
		"  - { name: a, tier: 1, depends_on: [b] }\n"
		"  - { name: b, tier: 2 }\n";
	unsigned version;
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *v;
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_policy *p = th_policy(POL("  tier: error\n"));
	th_load(&cat, &d, "cat.yaml", cat_text, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	co.key_name = upper_name;
	co.key_ctx = cat;
	for (version = 2; version <= DC_CHECK_OPTIONS_VERSION; version++) {
		co.version = version;
		dc_violations_new(&v);
		CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
		CU_ASSERT_PTR_NOT_NULL(find(v, "tier", "Y -> B"));
		dc_violations_free(v);
	}
	/* version 1 has no key_name: full references */
	co.version = 1;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
	CU_ASSERT_PTR_NOT_NULL(find(v, "tier", "a -> b"));
	dc_violations_free(v);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
}

/* A change that drops a declaration production still uses adds a finding;
 * what both sides lack is known debt. */
static void test_undeclared_baseline(void)
{
	const char *pol = POL("  undeclared-dependency: error\n");
	const char *base_cat =
		"services:\n"
		"  - { name: db }\n"
		"  - { name: api, depends_on: [db] }\n"
		"  - { name: web, depends_on: [api, db] }\n";    /* reordered, declares web -> db */
	dc_violations *base = check_observed(base_cat, pol, observed_csv, 2, DC_CHECK_OPTIONS_VERSION);
	dc_violations *head = check_observed(observed_cat, pol, observed_csv, 2, DC_CHECK_OPTIONS_VERSION);
	size_t ignored = 99;
	CU_ASSERT_EQUAL(dc_violations_count(base), 1);   /* api -> cache */
	CU_ASSERT_EQUAL(dc_violations_subtract(head, base, &ignored), 0);
	CU_ASSERT_EQUAL(ignored, 1);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(head), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(head, 0)->key, "web -> db");
	dc_violations_free(base);
	dc_violations_free(head);
}

/* Random catalogs and observations: the findings are exactly the distinct
 * observed (caller, callee) pairs, caller in the catalog, caller != callee,
 * with at least min_calls calls in all, that the catalog does not declare. */
static void test_undeclared_random(void)
{
	uint64_t seed = 0x0b5e7edULL;
	int round;
	for (round = 0; round < 40; round++) {
		unsigned n = 2 + gen_below(&seed, 12), i, j;
		gen_edge *e = NULL;
		size_t m = gen_random(&seed, n, 15, 30, 10, &e), k, want = 0;
		dc_catalog *cat = gen_catalog(n, e, m);
		dc_graph *g = NULL;
		dc_observed *obs = NULL;
		dc_policy *p = th_policy(POL("  undeclared-dependency: error\n"));
		dc_violations *v = NULL;
		dc_check_options co = DC_CHECK_OPTIONS_INIT;
		unsigned long long calls[14][15];   /* callee index n..: unknown "x" */
		char csv[8192];
		size_t off = 0, lines = 1 + gen_below(&seed, 40);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
		memset(calls, 0, sizeof(calls));
		for (k = 0; k < lines && off < sizeof(csv) - 64; k++) {
			unsigned a = gen_below(&seed, n + 1), b = gen_below(&seed, n + 1), c = gen_below(&seed, 4);
			/* a == n: an unknown caller "x"; b == n: an unknown callee */
			off += (size_t)snprintf(csv + off, sizeof(csv) - off, "%s%u,%s%u,%u\n", a == n ? "x" : "s",
						a == n ? 0 : a, b == n ? "x" : "s", b == n ? 0 : b, c);
			calls[a][b] += c;
		}
		co.min_calls = 1 + gen_below(&seed, 3);
		for (i = 0; i < n; i++)
			for (j = 0; j <= n; j++) {
				int declared = 0;
				for (k = 0; k < m && j < n; k++)
					declared |= e[k].from == i && e[k].to == j;
				want += i != j && calls[i][j] >= co.min_calls && !declared;
			}
		CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
		CU_ASSERT_EQUAL_FATAL(dc_observed_new(&obs), 0);
		CU_ASSERT_EQUAL_FATAL(dc_observed_parse_csv(obs, "r.csv", csv, off, NULL, NULL), 0);
		co.observed = obs;
		dc_violations_new(&v);
		CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), 0);
		CU_ASSERT_EQUAL(dc_violations_count(v), want);
		for (k = 0; k < dc_violations_count(v); k++) {
			const dc_violation *x = dc_violations_get(v, k);
			unsigned a = (unsigned)atoi(x->service + 1), b = x->target[0] == 'x' ? n : (unsigned)atoi(x->target + 1);
			CU_ASSERT(a < n && a != b && calls[a][b] >= co.min_calls);
		}
		dc_violations_free(v);
		dc_observed_free(obs);
		dc_graph_free(g);
		dc_catalog_free(cat);
		dc_policy_free(p);
		free(e);
	}
}

/* ---- min-availability ----------------------------------------------------------------- */

/* Hand-solvable (every entrypoint exact):
 *   web   = 0.99 x db 0.99                        = 0.9801   (slo 0.98: met)
 *   api   = 0.999 x (1 - 0.1 x 0.1) over any_of    = 0.98901  (slo 0.999: missed)
 *   batch = 0.5, no slo                                        (not checked against slo)
 *   db is not an entrypoint (someone depends on it): never checked. */
static const char *avail_cat =
	"services:\n"
	"  - { name: web, entrypoint: true, availability: 0.99, slo: 0.98, depends_on: [db] }\n"
	"  - { name: db, availability: 0.99, slo: 0.9999 }\n"
	"  - name: api\n"
	"    entrypoint: true\n"
	"    availability: 0.999\n"
	"    slo: 0.999\n"
	"    depends_on: [{ any_of: [a, b] }]\n"
	"  - { name: a, availability: 0.9 }\n"
	"  - { name: b, availability: 0.9 }\n"
	"  - { name: batch, entrypoint: true, availability: 0.5 }\n";

static void test_min_availability(void)
{
	dc_violations *v;
	const dc_violation *x;

	/* min: slo (the default): api misses, web meets, batch has no slo */
	v = check(avail_cat, POL("  min-availability: error\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	x = find(v, "min-availability", "api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(x->service, "api");
	CU_ASSERT_PTR_NULL(x->target);
	CU_ASSERT_EQUAL(x->loc.line, 4);   /* the entrypoint's definition */
	CU_ASSERT_EQUAL(x->loc.column, 11);  /* at its name */
	CU_ASSERT_STRING_EQUAL(x->message, "entrypoint 'api' has an effective availability of 0.989010 "
			       "(exact), below its slo 0.999: 474.8 min of downtime per 30 days where 43.2 "
			       "are allowed");
	dc_violations_free(v);

	/* an explicit minimum applies to every entrypoint, slo or not */
	v = check(avail_cat, POL("  min-availability: { severity: warning, min: 0.985 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	CU_ASSERT_PTR_NOT_NULL(find(v, "min-availability", "web"));    /* 0.9801 < 0.985 */
	CU_ASSERT_PTR_NULL(find(v, "min-availability", "api"));        /* 0.98901 >= 0.985 */
	x = find(v, "min-availability", "batch");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "0.500000 (exact), below the policy's minimum 0.985"));
	dc_violations_free(v);

	/* on the boundary: exactly the target meets it */
	v = check(avail_cat, POL("  min-availability: { min: 0.9801 }\n"));
	CU_ASSERT_PTR_NULL(find(v, "min-availability", "web"));
	CU_ASSERT_PTR_NOT_NULL(find(v, "min-availability", "batch"));
	dc_violations_free(v);

	/* negative: generous targets, and the rule off */
	v = check(avail_cat, POL("  min-availability: { min: 0.4 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	v = check(avail_cat, POL("  min-availability: off\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

/* A chain too long for the exact method (exact_max 16 basic events): the
 * rule's Monte Carlo verdict is the engine's at the rule's trials and seed,
 * the same on every run, and a baseline of the same catalog hides it. */
static void test_min_availability_monte_carlo(void)
{
	char cat[4096];
	size_t off = 0, i;
	dc_catalog *c;
	dc_diags *d;
	dc_graph *g;
	dc_availability *av;
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	const dc_availability_estimate *e;
	dc_violations *v1, *v2;
	const dc_violation *x;
	char want[128];
	const char *pol = POL("  min-availability: { min: 0.99, trials: 3000, seed: 42 }\n");

	off += (size_t)snprintf(cat + off, sizeof(cat) - off, "services:\n");
	for (i = 0; i < 20; i++)
		off += (size_t)snprintf(cat + off, sizeof(cat) - off,
					"  - { name: s%zu, availability: 0.999%s%zu%s }\n", i,
					i ? ", depends_on: [s" : ", entrypoint: true, depends_on: [s",
					i + 1, "]");
	off += (size_t)snprintf(cat + off, sizeof(cat) - off, "  - { name: s20, availability: 0.999 }\n");
	v1 = check(cat, pol);
	v2 = check(cat, pol);
	th_load(&c, &d, "cat.yaml", cat, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, c), 0);
	o.trials = 3000;
	o.seed = 42;
	o.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
	CU_ASSERT_EQUAL_FATAL(dc_availability_compute(&av, g, &o), 0);
	e = dc_availability_of(av, th_id(c, "s0"));
	CU_ASSERT_EQUAL(e->method, DC_AVAIL_MONTE_CARLO);
	/* 0.999^21 = 0.979: a clear miss of 0.99 */
	CU_ASSERT(e->availability < 0.99);
	CU_ASSERT_EQUAL(dc_violations_count(v1), 1);
	x = find(v1, "min-availability", "s0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	snprintf(want, sizeof(want), "of %.6f (Monte Carlo, 3000 trials, 95%% interval [%.6f, %.6f])",
		 e->availability, e->ci_low, e->ci_high);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, want));
	CU_ASSERT_EQUAL(dc_violations_count(v2), 1);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(v2, 0)->message, x->message);
	CU_ASSERT_EQUAL(dc_violations_subtract(v2, v1, &i), 0);
	CU_ASSERT_EQUAL(i, 1);
	CU_ASSERT_EQUAL(dc_violations_count(v2), 0);
	dc_availability_free(av);
	dc_graph_free(g);
	dc_catalog_free(c);
	dc_diags_free(d);
	dc_violations_free(v1);
	dc_violations_free(v2);
}

/* Load and validation errors become valid-input findings at their place;
 * one at the place of an existing finding is not repeated; a baseline
 * matches them by file and message, not by line. */
static void test_valid_input(void)
{
	dc_diags *d = NULL;
	dc_violations *v = NULL, *base = NULL;
	dc_location at = { "cat.yaml", 3, 5 };
	size_t ignored = 0;
	const dc_violation *x;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&v), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&base), 0);
	dc_diags_add(d, DC_SEV_ERROR, "cat.yaml", 7, 3, "'tier' must be a number");
	dc_diags_add(d, DC_SEV_WARNING, "cat.yaml", 8, 3, "a warning is no violation");
	dc_diags_add(d, DC_SEV_ERROR, "cat.yaml", 3, 5, "unknown service 'x'");
	CU_ASSERT_EQUAL(dc_violations_add(v, "unresolved-references", DC_LEVEL_ERROR, "a", "x", NULL, at,
					  "'a' depends on 'x'"), 0);
	CU_ASSERT_EQUAL(dc_violations_add_input_errors(v, d, DC_LEVEL_OFF), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_add_input_errors(v, d, DC_LEVEL_ERROR), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(v), 2);
	x = dc_violations_get(v, 1);
	CU_ASSERT_STRING_EQUAL(x->rule, "valid-input");
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(x->loc.file, "cat.yaml");
	CU_ASSERT_EQUAL(x->loc.line, 7);
	CU_ASSERT_EQUAL(x->loc.column, 3);
	CU_ASSERT_STRING_EQUAL(x->key, "cat.yaml: 'tier' must be a number");
	CU_ASSERT(dc_violations_gate(v, DC_LEVEL_ERROR));
	/* the same error on another line of the base: known debt */
	dc_diags_free(d);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	dc_diags_add(d, DC_SEV_ERROR, "cat.yaml", 12, 3, "'tier' must be a number");
	CU_ASSERT_EQUAL(dc_violations_add_input_errors(base, d, DC_LEVEL_ERROR), 0);
	CU_ASSERT_EQUAL(dc_violations_subtract(v, base, &ignored), 0);
	CU_ASSERT_EQUAL(ignored, 1);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	dc_violations_free(base);
	dc_diags_free(d);

	/* a syntax error names a line in its message: not in the key, so the
	 * same error moved by an edit above it is still known debt */
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&v), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_new(&base), 0);
	dc_diags_add(d, DC_SEV_ERROR, "c.yaml", 7, 9, "YAML syntax error: did not find expected ',' (line 6)");
	dc_diags_add(d, DC_SEV_ERROR, "c.yaml", 9, 1, "'x' is imported twice by include (at 3:4): no");
	CU_ASSERT_EQUAL(dc_violations_add_input_errors(v, d, DC_LEVEL_ERROR), 0);
	CU_ASSERT_EQUAL_FATAL(dc_violations_count(v), 2);
	CU_ASSERT_STRING_EQUAL(dc_violations_get(v, 0)->key, "c.yaml: YAML syntax error: did not find expected ','");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(v, 0)->message,
			       "YAML syntax error: did not find expected ',' (line 6)");
	CU_ASSERT_STRING_EQUAL(dc_violations_get(v, 1)->key, "c.yaml: 'x' is imported twice by include: no");
	dc_diags_free(d);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	dc_diags_add(d, DC_SEV_ERROR, "c.yaml", 17, 9, "YAML syntax error: did not find expected ',' (line 16)");
	CU_ASSERT_EQUAL(dc_violations_add_input_errors(base, d, DC_LEVEL_ERROR), 0);
	CU_ASSERT_EQUAL(dc_violations_subtract(v, base, &ignored), 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	dc_violations_free(base);
	dc_diags_free(d);
}

/* ---- rules on real numbers: retry budgets, timeouts from a mesh, nines, rates ------------ */

static void test_retry_without_budget(void)
{
	/* a -> b x4 -> c x4: one request reaches c 16 times */
	const char *cat = "services:\n"
			  "  - name: a\n    entrypoint: true\n    depends_on: [{ service: b, retries: 3 }]\n"
			  "  - name: b\n    depends_on: [{ service: c, retries: 3 }]\n"
			  "  - { name: c }\n";
	/* the same with a 20 % retry budget on b -> c: c is reached 4 x 1.2 = 4.8 times */
	const char *budget = "services:\n"
			     "  - name: a\n    entrypoint: true\n    depends_on: [{ service: b, retries: 3 }]\n"
			     "  - name: b\n    depends_on: [{ service: c, retries: 3, retry_budget: 0.2 }]\n"
			     "  - { name: c }\n";
	dc_violations *v = check(cat, POL("  retry-without-budget: { max-amplification: 10 }\n"));
	const dc_violation *x;
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	x = find(v, "retry-without-budget", "b -> c");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_EQUAL(x->loc.line, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "'b' retries 'c' up to 3 times (retries at cat.yaml:6:29) "
				      "without a retry budget, on a path where one user request reaches 'c' 16 "
				      "times (max 10): a -> b -> c"));
	x = find(v, "retry-without-budget", "a -> b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->loc.line, 4);
	dc_violations_free(v);
	/* 16 is not above 16 */
	v = check(cat, POL("  retry-without-budget: { severity: warning, max-amplification: 16 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* the budget brings c to 4.8: nothing above 10 */
	v = check(budget, POL("  retry-without-budget: warning\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* above 4: the hop with a budget is silent, the other one is the finding */
	v = check(budget, POL("  retry-without-budget: { severity: warning, max-amplification: 4 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	x = find(v, "retry-without-budget", "a -> b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "reaches 'c' 5 times (max 4)"));
	dc_violations_free(v);
	/* retries left at a file's default are not written: no finding */
	v = check("defaults: { retries: 3 }\nservices:\n"
		  "  - name: a\n    entrypoint: true\n    depends_on: [b]\n"
		  "  - name: b\n    depends_on: [c]\n  - { name: c }\n",
		  POL("  retry-without-budget: { max-amplification: 1 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

/* Kubernetes workloads web -> api -> db with Istio routes: web -> api times
 * out after 100 ms (line 27), api -> db 3 attempts of 500 ms (line 35). */
#define K8S_WL(name, env) \
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name "}\n" \
	"spec:\n  template:\n    metadata: {labels: {app: " name "}}\n" \
	"    spec: {containers: [{name: c, env: [" env "]}]}\n"
static const char *mesh_app =
	K8S_WL("web", "{name: API, value: 'api:80'}")                 /* 1-8 */
	K8S_WL("api", "{name: DB, value: 'db:5432'}")                 /* 9-16 */
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}}\n" /* 17-21 */
	"---\n"                                                       /* 22 */
	"apiVersion: networking.istio.io/v1\n"                        /* 23 */
	"kind: VirtualService\n"                                      /* 24 */
	"metadata: {name: api}\n"                                     /* 25 */
	"spec:\n  hosts: [api]\n  http:\n"                            /* 26-28 */
	"    - timeout: 100ms\n"                                      /* 29 */
	"      route: [{destination: {host: api}}]\n"                 /* 30 */
	"---\n"                                                       /* 31 */
	"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db}\n" /* 32-34 */
	"spec:\n  hosts: [db]\n  http:\n"                             /* 35-37 */
	"    - timeout: 2s\n"                                         /* 38 */
	"      retries: {attempts: 2, perTryTimeout: 500ms}\n"        /* 39 */
	"      route: [{destination: {host: db}}]\n"                  /* 40 */
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\n"
	"spec:\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c}]}\n"
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {selector: {app: db}}\n";

static void test_timeout_budget_mesh(void)
{
	dc_violations *v = check(mesh_app, POL("  timeout-budget: warning\n"));
	const dc_violation *x;
	/* api needs min(2000, 3 x 500) = 1500 ms for db: web's 100 ms is short */
	x = find(v, "timeout-budget", "web -> api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "'web' gives up on 'api' after 100 ms (timeout_ms at "
				      "cat.yaml:29:16)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "its slowest call, to 'db', can take 1500 ms: 3 attempts of "
				      "per_try_timeout_ms 500 at cat.yaml:39:45 (retries 2 at cat.yaml:39:27, "
				      "overall timeout_ms 2000 at cat.yaml:38:16)"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	/* mesh values are written values: the strict reading finds it too */
	v = check(mesh_app, POL("  timeout-budget: { severity: warning, callee-values: written }\n"));
	x = find(v, "timeout-budget", "web -> api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "may need 1500 ms to answer (its latency plus, stage by "
				      "stage, its slowest calls with their retries, written values only)"));
	dc_violations_free(v);
}

static void test_timeout_budget_written(void)
{
	/* a gives b 100 ms; b waits the default 1000 ms for c, 40 ms x 2 for d */
	const char *cat = "services:\n"
			  "  - name: a\n    depends_on: [{ service: b, timeout_ms: 100 }]\n"
			  "  - name: b\n    latency_ms: 5\n    depends_on: [c, { service: d, timeout_ms: 40, retries: 1, stage: 1 }]\n"
			  "  - { name: c }\n  - { name: d }\n";
	dc_violations *v = check(cat, POL("  timeout-budget: warning\n"));
	const dc_violation *x = find(v, "timeout-budget", "a -> b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	/* any: 5 + 1000 + 80 */
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "may need 1085 ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "to 'c', can take 1000 ms: timeout_ms 1000 by default x 1 "
				      "attempt (retries 0 by default)"));
	dc_violations_free(v);
	/* written: 5 + 0 + 80 = 85 < 100 */
	v = check(cat, POL("  timeout-budget: { callee-values: written }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* with a 70 ms timeout: 70 <= 85, cited by the written call */
	v = check("services:\n"
		  "  - name: a\n    depends_on: [{ service: b, timeout_ms: 70 }]\n"
		  "  - name: b\n    latency_ms: 5\n    depends_on: [c, { service: d, timeout_ms: 40, retries: 1, stage: 1 }]\n"
		  "  - { name: c }\n  - { name: d }\n", POL("  timeout-budget: { callee-values: written }\n"));
	x = find(v, "timeout-budget", "a -> b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "may need 85 ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "to 'd', can take 80 ms: timeout_ms 40 at cat.yaml:6:32 x 2 "
				      "attempts (retries 1 at cat.yaml:6:32)"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
}

static void test_dependency_nines(void)
{
	/* e (slo 0.999) hard on bad (0.9995: down 0.05% > 0.01%), good
	 * (0.99995), unknown (no availability), soft on s (0.99), and on the
	 * group [g1, g2]; s (slo 0.999, not critical: only soft-reached) hard
	 * on bad; mid (no slo) on bad */
	const char *cat = "services:\n"
			  "  - name: e\n    entrypoint: true\n    slo: 0.999\n"
			  "    depends_on: [bad, good, unknown, mid, { service: s, kind: soft }, { any_of: [g1, g2] }]\n"
			  "  - { name: bad, availability: 0.9995 }\n"
			  "  - { name: good, availability: 0.99995 }\n"
			  "  - { name: unknown }\n"
			  "  - { name: s, slo: 0.999, availability: 0.99, depends_on: [bad] }\n"
			  "  - { name: mid, depends_on: [bad] }\n"
			  "  - { name: g1, availability: 0.9 }\n  - { name: g2, availability: 0.9 }\n";
	dc_violations *v = check(cat, POL("  dependency-nines: warning\n"));
	const dc_violation *x = find(v, "dependency-nines", "e -> bad");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_EQUAL(x->loc.line, 5);
	CU_ASSERT_STRING_EQUAL(x->message, "'e' (slo 0.999 at cat.yaml:2:11) hard-depends on 'bad', declared "
			       "availability 0.9995 at cat.yaml:6:13: down 0.05% of the time, more than (1 - slo) "
			       "/ 10 = 0.01%; it alone spends 50% of the error budget");
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	/* no margin: 0.05% <= 0.1% */
	v = check(cat, POL("  dependency-nines: { nines: 0 }\n"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* two nines: good (0.005% > 0.001%) too */
	v = check(cat, POL("  dependency-nines: { nines: 2 }\n"));
	CU_ASSERT_PTR_NOT_NULL(find(v, "dependency-nines", "e -> good"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	dc_violations_free(v);
}

/* Tempo service graph: web -> db at 10 calls/s, api -> cache at 0.5 */
static const char *observed_tempo =
	"{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [\n"
	"{\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"web\", \"server\": \"db\"},"
	" \"values\": [[1000, \"0\"], [1100, \"1000\"]]},\n"
	"{\"metric\": {\"__name__\": \"traces_service_graph_request_total\", \"client\": \"api\", \"server\": \"cache\"},"
	" \"values\": [[1000, \"0\"], [1100, \"50\"]]}\n"
	"]}}\n";

static void test_undeclared_rate(void)
{
	dc_violations *v = check_observed(observed_cat, POL("  undeclared-dependency: { min-calls-per-s: 1 }\n"),
					  observed_tempo, 1, DC_CHECK_OPTIONS_VERSION);
	const dc_violation *x = find(v, "undeclared-dependency", "web -> db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "(1000 calls observed, 10 calls/s, first at calls.csv:"));
	CU_ASSERT_EQUAL(dc_violations_count(v), 1);
	dc_violations_free(v);
	/* without the threshold both; 10 is not above 10 */
	v = check_observed(observed_cat, POL("  undeclared-dependency: error\n"), observed_tempo, 1,
			   DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(dc_violations_count(v), 2);
	CU_ASSERT_PTR_NOT_NULL(find(v, "undeclared-dependency", "api -> cache"));
	dc_violations_free(v);
	v = check_observed(observed_cat, POL("  undeclared-dependency: { min-calls-per-s: 10 }\n"), observed_tempo,
			   1, DC_CHECK_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* a reader without rates (CSV): the threshold cannot clear a call */
	v = check_observed(observed_cat, POL("  undeclared-dependency: { min-calls-per-s: 1000 }\n"), observed_csv,
			   2, DC_CHECK_OPTIONS_VERSION);
	expect_undeclared_min2(v, DC_LEVEL_ERROR);
	dc_violations_free(v);
}

/* ---- unverified-predictions ---------------------------------------------------------
 * web (entrypoint) -> api (hard), web -soft-> ads; api -> any_of [db1, db2]:
 * the candidates of reason spof are kill-api alone, of soft-edge
 * partition-web--ads alone (test_chaos.c), so the critical set does not
 * depend on the ranking's importance. Today is 2026-06-05. */

static const char unv_shop[] =
	"services:\n"
	"  - {name: web, entrypoint: true, zones: [a, b], depends_on: [api, {service: ads, kind: soft, timeout_ms: 200}]}\n"
	"  - {name: api, zones: [a], depends_on: [{any_of: [db1, db2], timeout_ms: 100}]}\n"
	"  - {name: ads}\n"
	"  - {name: db1, zones: [a]}\n"
	"  - {name: db2, zones: [b]}\n";

#define UNV_POL(opts) POL("  unverified-predictions: { severity: error, reasons: [spof, soft-edge]" opts " }\n")

/* dc_check with results read from `results` (NULL: none given), on the
 * day `today`, options of `version`; `rc` is dc_check's wanted status. */
static dc_violations *check_unverified(const char *pol_text, const char *results, const char *today,
				       unsigned version, int rc)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_graph *g;
	dc_violations *v;
	dc_results *res = NULL;
	dc_check_options co = DC_CHECK_OPTIONS_INIT;
	dc_policy *p = th_policy(pol_text);
	th_load(&cat, &d, "cat.yaml", unv_shop, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&g, cat), 0);
	if (results) {
		CU_ASSERT_EQUAL_FATAL(dc_results_new(&res), 0);
		CU_ASSERT_EQUAL_FATAL(dc_results_read(res, "results", results, strlen(results), d), 0);
	}
	co.version = version;
	co.threads = 1;
	co.results = res;
	co.today = today;
	dc_violations_new(&v);
	CU_ASSERT_EQUAL(dc_check(v, g, NULL, p, &co), rc);
	dc_results_free(res);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(d);
	dc_policy_free(p);
	return v;
}

static void test_unverified(void)
{
	dc_violations *v;
	const dc_violation *x;
	/* no results at all: both critical predictions are unverified */
	v = check_unverified(UNV_POL(""), NULL, "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 2);
	x = find(v, "unverified-predictions", "kill-api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_ERROR);
	CU_ASSERT_STRING_EQUAL(x->service, "api");
	CU_ASSERT_PTR_NULL(x->target);
	CU_ASSERT_EQUAL(x->loc.line, 3);  /* api's definition */
	CU_ASSERT_STRING_EQUAL(x->message, "prediction kill-api (spof, rank 1 in `depcheck experiments`) has no result "
			       "on record (no results were given): run the experiment and record its outcome and day "
			       "(docs/chaos.md)");
	x = find(v, "unverified-predictions", "partition-web--ads");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->service, "web");
	CU_ASSERT_STRING_EQUAL(x->target, "ads");
	CU_ASSERT_EQUAL(x->loc.line, 2);  /* the soft edge's entry */
	CU_ASSERT_EQUAL(x->loc.column, 78);  /* at the callee's name, as every dependency rule */
	dc_violations_free(v);

	/* fresh (10 days) and old (100 days): only the old one; a result that
	 * did not match the prediction (kill-api left web up) still verifies */
	v = check_unverified(UNV_POL(""),
			     "experiment,entrypoint,state,after_ms,date\n"
			     "kill-api,web,up,,2026-05-26\n"
			     "partition-web--ads,web,degraded,200,2026-02-25\n",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 1);
	CU_ASSERT_PTR_NULL(find(v, "unverified-predictions", "kill-api"));
	x = find(v, "unverified-predictions", "partition-web--ads");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->message, "prediction partition-web--ads (soft-edge, rank 2 in `depcheck experiments`) "
			       "was last tested on 2026-02-25, 100 days before 2026-06-05 (max-age-days 90): run it again");
	dc_violations_free(v);

	/* the newest result counts; 90 days is still fresh, 91 is not */
	v = check_unverified(UNV_POL(", max-age-days: 90"),
			     "experiment,entrypoint,state,after_ms,date\n"
			     "kill-api,web,down,1,2025-01-01\n"
			     "kill-api,web,down,1,2026-03-07\n"
			     "partition-web--ads,web,degraded,200,2026-03-06\n",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 1);
	CU_ASSERT_PTR_NOT_NULL(find(v, "unverified-predictions", "partition-web--ads"));
	dc_violations_free(v);

	/* missing from the results given; undated; a timestamp's UTC day */
	v = check_unverified(UNV_POL(""),
			     "{\"experiments\": [\n"
			     " {\"id\": \"kill-api\", \"entrypoints\": []},\n"
			     " {\"id\": \"kill-retired\", \"date\": \"2026-06-01\", \"entrypoints\": []}]}\n",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 2);
	x = find(v, "unverified-predictions", "kill-api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->message, "prediction kill-api (spof, rank 1 in `depcheck experiments`) has results "
			       "without a date only (1, first at results:2:9): its age is unknown; record the day "
			       "each experiment ran (\"date\")");
	x = find(v, "unverified-predictions", "partition-web--ads");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x->message, "has no result on record: run the experiment"));
	dc_violations_free(v);
	/* 2026-03-07T23:30:00-02:00 is 2026-03-08 in UTC: 89 days */
	v = check_unverified(POL("  unverified-predictions: { severity: error, reasons: [spof] }\n"),
			     "{\"experiments\": [{\"id\": \"kill-api\", \"date\": \"2026-03-07T23:30:00-02:00\", "
			     "\"entrypoints\": []}]}",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 0);
	dc_violations_free(v);
	/* a date after today (beyond a day of time zones) is not counted */
	v = check_unverified(POL("  unverified-predictions: { severity: warning, reasons: [spof] }\n"),
			     "experiment,entrypoint,state,after_ms,date\nkill-api,web,down,1,2026-06-06\n"
			     "kill-api,web,down,1,2062-06-04\n",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 0);
	dc_violations_free(v);
	v = check_unverified(POL("  unverified-predictions: { severity: warning, reasons: [spof] }\n"),
			     "experiment,entrypoint,state,after_ms,date\nkill-api,web,down,1,2062-06-04\n",
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	x = find(v, "unverified-predictions", "kill-api");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->level, DC_LEVEL_WARNING);
	CU_ASSERT_STRING_EQUAL(x->message, "prediction kill-api (spof, rank 1 in `depcheck experiments`) has no result "
			       "dated on or before 2026-06-05: a result dated 2062-06-04 is after today (a typo, or a "
			       "wrong clock?) and is not counted");
	dc_violations_free(v);

	/* top: the first N of the reasons asked for */
	v = check_unverified(UNV_POL(", top: 1"), NULL, "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 1);
	CU_ASSERT_PTR_NOT_NULL(find(v, "unverified-predictions", "kill-api"));
	dc_violations_free(v);
	v = check_unverified(POL("  unverified-predictions: { severity: error, top: all, reasons: [zone] }\n"), NULL,
			     "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 2);
	x = find(v, "unverified-predictions", "zone-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_STRING_EQUAL(x->service, "zone a");
	CU_ASSERT_PTR_NULL(x->loc.file);
	dc_violations_free(v);

	/* options of version 4 carry no results: every prediction unverified */
	v = check_unverified(UNV_POL(""), "experiment,entrypoint,state,after_ms,date\nkill-api,web,down,1,2026-06-01\n",
			     "2026-06-05", 4, 0);
	CU_ASSERT_EQUAL(count_rule(v, "unverified-predictions"), 2);
	dc_violations_free(v);
	/* today must be a date */
	v = check_unverified(UNV_POL(""), NULL, "2026-02-30", DC_CHECK_OPTIONS_VERSION, DC_EINVALID);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
	/* off: nothing */
	v = check_unverified(POL("  unverified-predictions: off\n"), NULL, "2026-06-05", DC_CHECK_OPTIONS_VERSION, 0);
	CU_ASSERT_EQUAL(dc_violations_count(v), 0);
	dc_violations_free(v);
}

/* The results on record: entries, dates, errors at their positions, and
 * nothing appended from a file with an error. */
#define RD(name, text) dc_results_read(r, name, text, strlen(text), d)

static void test_results_record(void)
{
	dc_results *r = NULL;
	dc_diags *d;
	const dc_result *e;
	static const char json[] = "{\"experiments\": [\n"
				   " {\"id\": \"kill-a\", \"date\": \"2026-11-02T01:00:00+02:00\", \"entrypoints\": []},\n"
				   " {\"id\": \"kill-b\", \"entrypoints\": [{\"name\": \"x\", \"state\": \"down\"}]}]}";
	CU_ASSERT_EQUAL_FATAL(dc_results_new(&r), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(dc_results_read(r, "r.json", json, strlen(json), d), 0);
	CU_ASSERT_EQUAL(dc_results_count(r), 2);
	e = dc_results_get(r, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->id, "kill-a");
	CU_ASSERT_STRING_EQUAL(e->date, "2026-11-01");  /* 01:00 at +02:00 is the day before in UTC */
	CU_ASSERT_STRING_EQUAL(e->loc.file, "r.json");
	CU_ASSERT_EQUAL(e->loc.line, 2);
	CU_ASSERT_EQUAL(e->loc.column, 9);
	CU_ASSERT_PTR_NULL(dc_results_get(r, 1)->date);
	CU_ASSERT_PTR_NULL(dc_results_get(r, 2));
	/* CSV with the date column, appended; a 4-column file still reads */
	CU_ASSERT_EQUAL(RD("r.csv", "experiment,entrypoint,state,after_ms,date\nkill-c,x,up,,2024-02-29\n"
					"kill-c,x,up,,\n"), 0);
	CU_ASSERT_EQUAL(dc_results_count(r), 4);
	CU_ASSERT_STRING_EQUAL(dc_results_get(r, 2)->date, "2024-02-29");
	CU_ASSERT_EQUAL(dc_results_get(r, 2)->loc.line, 2);
	CU_ASSERT_PTR_NULL(dc_results_get(r, 3)->date);
	CU_ASSERT_EQUAL(RD("r4.csv", "experiment,entrypoint,state,after_ms\nkill-d,x,up,\n"), 0);
	CU_ASSERT_EQUAL(dc_results_count(r), 5);
	/* malformed dates: errors at their line and column, nothing appended */
	CU_ASSERT_EQUAL(RD("bad.json", "{\"experiments\": [\n {\"id\": \"kill-a\", \"date\": \"2026-13-01\", "
					"\"entrypoints\": []}]}"), DC_EINVALID);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "bad.json", 2, 27, "\"date\" of 'kill-a' must be a day YYYY-MM-DD or an "
			      "RFC 3339 timestamp (2026-11-02T14:03:00Z), not '2026-13-01'"));
	CU_ASSERT_EQUAL(RD("bad.csv", "experiment,entrypoint,state,after_ms,date\nkill-a,x,up,,2025-02-29\n"), DC_EINVALID);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "bad.csv", 2, 14, "date must be a day YYYY-MM-DD or an RFC 3339 "
			      "timestamp (2026-11-02T14:03:00Z), not '2025-02-29'"));
	CU_ASSERT_EQUAL(RD("bad2.csv", "experiment,entrypoint,state,after_ms,date\nkill-a,x,up,,2025-01-01\n"
					"kill-a,x,up,,1 May\n"), DC_EINVALID);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "bad2.csv", 3, 14, "date must be a day YYYY-MM-DD or an RFC 3339 "
			      "timestamp (2026-11-02T14:03:00Z), not '1 May'"));
	CU_ASSERT_EQUAL(RD("bad3.csv", "experiment,entrypoint,state,after_ms\nkill-a,x,up,,2025-01-01\n"), DC_EINVALID);
	CU_ASSERT(th_has_diag(d, DC_SEV_ERROR, "bad3.csv", 2, 14, "more than 4 fields (the header has no date column)"));
	CU_ASSERT_EQUAL(RD("bad4.json", "{\"experiments\": [{\"id\": \"k\", \"date\": 20260101, "
					"\"entrypoints\": []}]}"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_results_count(r), 5);
	CU_ASSERT_EQUAL(dc_results_read(r, "x", NULL, 1, d), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_results_read(NULL, "x", "", 0, d), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_results_read_file(r, "/nonexistent/results.json", d), DC_EIO);
	CU_ASSERT_EQUAL(dc_results_new(NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_results_count(NULL), 0);
	dc_results_free(r);
	dc_results_free(NULL);
	dc_diags_free(d);
}

int suite_check(void)
{
	static const th_test tests[] = {
		{ "no-hard-cycles and no-cycles", test_hard_cycles },
		{ "tier", test_tier },
		{ "max-blast-radius", test_blast_radius },
		{ "max-fan-in and max-fan-out", test_fan },
		{ "max-depth", test_depth },
		{ "retry amplification and timeout budget", test_amplification_and_timeouts },
		{ "no-spof", test_spof },
		{ "required-fields", test_required_fields },
		{ "unresolved-references", test_unresolved },
		{ "forbidden", test_forbidden },
		{ "locations in Backstage and Compose", test_locations_backstage_compose },
		{ "baseline across reordered and edited files", test_baseline_reordered_and_edited },
		{ "external findings", test_external_findings },
		{ "waivers: matching, expiry, unused, counts and the gate", test_waivers },
		{ "keep the first N of each rule: counts, ties, refusals", test_keep_first },
		{ "keep the first N with waivers known from the start", test_keep_waivers },
		{ "random: keeping the first N against keeping all", test_keep_random },
		{ "keep the first N through dc_check", test_keep_check },
		{ "keep the first N, own analysis, random catalogs", test_keep_check_random },
		{ "random max-depth vs oracle", test_random_depth_oracle },
		{ "random baselines", test_random_baseline },
		{ "cli sarif", test_cli_sarif },
		{ "cli junit and github", test_cli_junit_github },
		{ "cli default policy round trip", test_cli_default_policy_round_trip },
		{ "undeclared-dependency", test_undeclared },
		{ "undeclared-dependency with a baseline", test_undeclared_baseline },
		{ "undeclared-dependency findings from a reconciliation", test_add_undeclared },
		{ "subject keys with key_name", test_key_name },
		{ "key_name in options of every version", test_key_name_versions },
		{ "random undeclared-dependency vs brute force", test_undeclared_random },
		{ "min-availability (exact)", test_min_availability },
		{ "min-availability (Monte Carlo, reproducible, baseline)", test_min_availability_monte_carlo },
		{ "valid-input: load errors are findings at their line", test_valid_input },
		{ "retry-without-budget", test_retry_without_budget },
		{ "timeout-budget cites mesh values", test_timeout_budget_mesh },
		{ "timeout-budget with callee-values: written", test_timeout_budget_written },
		{ "dependency-nines", test_dependency_nines },
		{ "undeclared-dependency with min-calls-per-s", test_undeclared_rate },
		{ "unverified-predictions: fresh, old, missing, undated, future, top", test_unverified },
		{ "results on record: dates, errors at their positions", test_results_record },
		{ NULL, NULL }
	};
	return th_suite("check", tests);
}
