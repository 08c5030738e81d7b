/*
 * test_compose_spec.c - Compose as the Compose specification defines it
 * (compose-spec/compose-spec: interpolation.md, merge.md, extends.md,
 * profiles.md) and as compose-go's loader tests exercise it: tables of
 * inputs and the results the specification states. The facts are theirs;
 * the code under test (lib/compose_env.c, lib/compose_merge.c,
 * lib/load_compose.c) is ours. Where depcheck differs on purpose,
 * docs/inputs.md ("Compose") says so.
 */
#include "helpers.h"
#include "compose_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- interpolation (interpolation.md) ------------------------------------------ */

typedef struct {
	const char *in, *out; /* out NULL: an error whose message contains err */
	const char *err;
} interp_case;

static void test_interpolation_table(void)
{
	static const interp_case cases[] = {
		{ "${FOO}", "foo", NULL },
		{ "$FOO", "foo", NULL },
		{ "x${FOO}y", "xfooy", NULL },
		{ "$FOO-bar", "foo-bar", NULL },
		{ "$$FOO", "$FOO", NULL },                      /* $$: a literal dollar */
		{ "$${FOO}", "${FOO}", NULL },
		{ "${UNSET:-def}", "def", NULL },
		{ "${EMPTY:-def}", "def", NULL },               /* :- also when empty */
		{ "${EMPTY-def}", "", NULL },                   /* - only when unset */
		{ "${UNSET-def}", "def", NULL },
		{ "${FOO:-def}", "foo", NULL },
		{ "${FOO:+alt}", "alt", NULL },
		{ "${EMPTY:+alt}", "", NULL },
		{ "${EMPTY+alt}", "alt", NULL },
		{ "${UNSET+alt}", "", NULL },
		{ "${UNSET:-${FOO}}", "foo", NULL },            /* nested default */
		{ "${UNSET:-${ALSO_UNSET:-deep}}", "deep", NULL },
		{ "${UNSET}", "", NULL },                       /* unset: empty (with a warning) */
		{ "http://${HOST}:${PORT}/v1", "http://api:8080/v1", NULL },
		{ "a $ b", "a $ b", NULL },                     /* a lone dollar stays */
		{ "${UNSET:?must be set}", NULL, "required variable UNSET is missing a value: must be set" },
		{ "${EMPTY:?no}", NULL, "required variable EMPTY is missing a value: no" },
		{ "${EMPTY?no}", "", NULL },
		{ "${UNSET?}", NULL, "required variable UNSET is missing a value" },
		{ "${FOO", NULL, "no closing '}'" },
		{ "${}", NULL, "expected a variable name" },
		{ "${FOO!x}", NULL, "after the variable name" },
	};
	cenv e = {0};
	size_t i;
	CU_ASSERT_EQUAL(cenv_set(&e, "FOO", 3, "foo", 3, 1), 0);
	CU_ASSERT_EQUAL(cenv_set(&e, "EMPTY", 5, "", 0, 1), 0);
	CU_ASSERT_EQUAL(cenv_set(&e, "HOST", 4, "api", 3, 1), 0);
	CU_ASSERT_EQUAL(cenv_set(&e, "PORT", 4, "8080", 4, 1), 0);
	CU_ASSERT_EQUAL(cenv_set(&e, "FOO", 3, "other", 5, 0), 0); /* set: not replaced */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL, msg[256] = "";
		size_t ol = 0;
		int rc = cenv_interpolate(&e, cases[i].in, strlen(cases[i].in), &out, &ol, msg,
					  sizeof(msg), NULL, NULL);
		if (cases[i].out) {
			CU_ASSERT_EQUAL(rc, 0);
			if (rc == 0 && strcmp(out, cases[i].out))
				fprintf(stderr, "interpolation case %zu: '%s' gave '%s', expected '%s'\n", i,
					cases[i].in, out, cases[i].out);
			CU_ASSERT(rc == 0 && !strcmp(out, cases[i].out));
		} else {
			CU_ASSERT_EQUAL(rc, 1);
			if (!strstr(msg, cases[i].err))
				fprintf(stderr, "interpolation case %zu: '%s' said '%s'\n", i, cases[i].in, msg);
			CU_ASSERT(strstr(msg, cases[i].err) != NULL);
		}
		free(out);
	}
	cenv_free(&e);
}

/* ---- merge (merge.md) ------------------------------------------------------------ */

typedef struct {
	const char *base, *over; /* two YAML documents: a service each */
	const char *key;         /* a key of the result */
	const char *expect;      /* the result's value under key, flattened */
} merge_case;

static void flatten(const doc_node *n, char *buf, size_t size)
{
	size_t used = strlen(buf);
	uint32_t i;
	if (!n) {
		snprintf(buf + used, size - used, "(none)");
		return;
	}
	if (n->kind == DOC_SCALAR) {
		snprintf(buf + used, size - used, "%s", n->u.s);
		return;
	}
	snprintf(buf + used, size - used, n->kind == DOC_MAP ? "{" : "[");
	for (i = 0; i < n->n; i++) {
		if (i)
			snprintf(buf + strlen(buf), size - strlen(buf), ",");
		if (n->kind == DOC_MAP) {
			flatten(n->u.kids[2 * i], buf, size);
			snprintf(buf + strlen(buf), size - strlen(buf), ":");
			flatten(n->u.kids[2 * i + 1], buf, size);
		} else {
			flatten(n->u.kids[i], buf, size);
		}
	}
	snprintf(buf + strlen(buf), size - strlen(buf), n->kind == DOC_MAP ? "}" : "]");
}

static void test_merge_table(void)
{
	static const merge_case cases[] = {
		/* mappings merge key by key; a later scalar wins */
		{ "image: a\nuser: x", "image: b", "image", "b" },
		{ "image: a\nuser: x", "image: b", "user", "x" },
		{ "environment: {A: '1', B: '2'}", "environment: {B: '3', C: '4'}", "environment",
		  "{A:1,B:3,C:4}" },
		/* list and mapping forms of environment merge as mappings */
		{ "environment: [A=1, B=2]", "environment: {B: '3'}", "environment", "{A:1,B:3}" },
		{ "environment: {A: '1'}", "environment: [A=9, D]", "environment", "{A:9,D:}" },
		/* depends_on: list form and map form merge by service */
		{ "depends_on: [db]", "depends_on: {cache: {condition: service_healthy}}", "depends_on",
		  "{db:,cache:{condition:service_healthy}}" },
		/* sequences append, a scalar once */
		{ "ports: ['80']", "ports: ['80', '443']", "ports", "[80,443]" },
		{ "links: [db]", "links: [cache]", "links", "[db,cache]" },
		/* command and entrypoint are replaced */
		{ "command: [a, b]", "command: [c]", "command", "[c]" },
		{ "entrypoint: [a]", "entrypoint: [b]", "entrypoint", "[b]" },
		{ "healthcheck: {test: [CMD, a]}", "healthcheck: {test: [CMD, b]}", "healthcheck",
		  "{test:[CMD,b]}" },
		/* !reset removes, !override replaces */
		{ "links: [db]", "links: !reset []", "links", "(none)" },
		{ "environment: {A: '1'}", "environment: !reset {}", "environment", "(none)" },
		{ "ports: ['80']", "ports: !override ['443']", "ports", "[443]" },
		{ "depends_on: [db]", "depends_on: !override [cache]", "depends_on", "[cache]" },
		{ "image: a", "image: !reset null", "image", "(none)" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		doc_stream b, o;
		dc_arena a;
		dc_diags *d = NULL;
		doc_limits lim = { 64, 100000, 1 };
		const doc_node *r;
		char got[512] = "";
		int oom = 0;
		CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
		doc_stream_init(&b, "base.yml");
		doc_stream_init(&o, "over.yml");
		dc_arena_init(&a);
		CU_ASSERT_EQUAL(doc_parse_yaml(&b, cases[i].base, strlen(cases[i].base), &lim, d), 0);
		CU_ASSERT_EQUAL(doc_parse_yaml(&o, cases[i].over, strlen(cases[i].over), &lim, d), 0);
		if (b.docs.len && o.docs.len) {
			r = cmerge(&a, b.docs.items[0], o.docs.items[0], "", &oom);
			CU_ASSERT_EQUAL(oom, 0);
			flatten(r ? doc_get(r, cases[i].key) : NULL, got, sizeof(got));
			if (strcmp(got, cases[i].expect))
				fprintf(stderr, "merge case %zu: got %s, expected %s\n", i, got, cases[i].expect);
			CU_ASSERT_STRING_EQUAL(got, cases[i].expect);
		}
		doc_stream_free(&b);
		doc_stream_free(&o);
		dc_arena_free(&a);
		dc_diags_free(d);
	}
}

/* ---- the loader: one file, what the specification says it means ------------------ */

typedef struct {
	const char *yaml;
	const char *from, *to; /* an edge that must exist (to NULL: from must not exist) */
	int kind;              /* DC_DEP_HARD / DC_DEP_SOFT, -1: any */
} load_case;

static int has_edge(const dc_catalog *cat, const char *from, const char *to, int kind)
{
	dc_id f, t;
	size_t i;
	if (dc_catalog_find(cat, from, &f) || dc_catalog_find(cat, to, &t))
		return 0;
	for (i = 0; i < dc_catalog_dep_count(cat); i++)
		if (dc_dep_from(cat, i) == f && dc_dep_to(cat, i) == t &&
		    (kind < 0 || (int)dc_dep_kind_of(cat, i) == kind))
			return 1;
	return 0;
}

static void test_loader_table(void)
{
	static const load_case cases[] = {
		/* depends_on short and long syntax (services.md) */
		{ "services: {a: {depends_on: [b]}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {depends_on: {b: {condition: service_healthy}}}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {depends_on: {b: {condition: service_started, required: false}}}, b: {}}",
		  "a", "b", DC_DEP_SOFT },
		/* namespaces shared with another service (services.md) */
		{ "services: {a: {network_mode: 'service:b'}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {ipc: 'service:b'}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {pid: 'service:b'}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {uts: 'service:b'}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {cgroup: 'service:b'}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {volumes_from: ['b:ro']}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {links: ['b:alias']}, b: {}}", "a", "b", DC_DEP_HARD },
		/* extends in the same file (extends.md): dependencies are inherited */
		{ "services: {base: {depends_on: [db]}, a: {extends: base}, db: {}}", "a", "db", DC_DEP_HARD },
		{ "services: {base: {depends_on: [db]}, a: {extends: {service: base}}, db: {}}", "a", "db", -1 },
		/* environment values naming a service of the project */
		{ "services: {a: {environment: [B_ADDR=b:7070]}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {environment: {URL: 'http://b:8080/x'}}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {environment: {DSN: 'Host=b;Username=u'}}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {environment: {K: 'b:1,c:2'}}, b: {}, c: {}}", "a", "c", DC_DEP_HARD },
		{ "services: {a: {environment: {B: '${UNSET_X:-b}:80'}}, b: {}}", "a", "b", DC_DEP_HARD },
		{ "services: {a: {environment: {B: 'b:80'}}, b: {container_name: bee}}", "a", "b", -1 },
		{ "services: {a: {environment: {B: 'bee:80'}}, b: {container_name: bee}}", "a", "b", -1 },
		/* networks.NET.aliases: the service answers to them on that network */
		{ "services: {a: {environment: {DB: 'database:5432'}}, db: {networks: {back: {aliases: [database, pg]}}}}\n"
		  "networks: {back: {}}", "a", "db", DC_DEP_HARD },
		{ "services: {a: {environment: {DB: 'postgres://u@pg/x'}}, db: {networks: {back: {aliases: [pg]}, "
		  "default: null}}}\nnetworks: {back: {external: true}}", "a", "db", DC_DEP_HARD },
	};
	size_t i;
	unsetenv("UNSET_X");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		int ok;
		th_load(&cat, &d, "compose.yml", cases[i].yaml, DC_FORMAT_COMPOSE);
		ok = cat && has_edge(cat, cases[i].from, cases[i].to, cases[i].kind);
		if (!ok)
			fprintf(stderr, "loader case %zu: no edge %s -> %s\n", i, cases[i].from, cases[i].to);
		CU_ASSERT(ok);
		CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
}

/* What must give no edge, and the errors Compose itself raises. */
static void test_loader_negative(void)
{
	dc_catalog *cat;
	dc_diags *d;
	/* the service's own listeners, an option word, `$$` */
	th_load(&cat, &d, "compose.yml",
		"services:\n"
		"  a:\n"
		"    environment: {LISTEN: 'a:80', NAME: 'service=b', LIT: '$${b}', OTHER: 'b'}\n"
		"  b: {}\n", DC_FORMAT_COMPOSE);
	CU_ASSERT(!has_edge(cat, "a", "a", -1));
	/* a bare `b` is a host as in Kubernetes: one edge, from OTHER */
	CU_ASSERT_EQUAL(dc_catalog_dep_count(cat), 1);
	dc_catalog_free(cat);
	dc_diags_free(d);

	th_load(&cat, &d, "compose.yml",
		"services:\n"
		"  a:\n"
		"    image: 'x:${UNSET_X:?set the tag}'\n"
		"  b:\n"
		"    extends: missing\n"
		"  c:\n"
		"    extends: d\n"
		"  d:\n"
		"    extends: c\n", DC_FORMAT_COMPOSE);
	CU_ASSERT(th_find_diag(d, "required variable UNSET_X is missing a value: set the tag", 3, 12) >= 0);
	CU_ASSERT(th_find_diag(d, "'b' extends service 'missing', which is not defined", 5, 14) >= 0);
	CU_ASSERT(th_find_diag(d, "extends of 'c' is circular", 7, 14) >= 0 ||
		  th_find_diag(d, "extends of 'd' is circular", 9, 14) >= 0);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* the specification's service names (^[a-zA-Z0-9._-]+$), a condition
	 * outside the three, depends_on an undefined service or itself: the
	 * errors Compose raises, at the key or value */
	th_load(&cat, &d, "compose.yml",
		"services:\n"
		"  'bad name!':\n"
		"    image: x\n"
		"  ok.name_1-x:\n"
		"    depends_on:\n"
		"      nope: {condition: service_ready}\n"
		"  self:\n"
		"    depends_on: [self]\n", DC_FORMAT_COMPOSE);
	CU_ASSERT(th_find_diag(d, "invalid service name 'bad name!': Compose accepts only letters, digits", 2, 3) >= 0);
	CU_ASSERT(th_find_diag(d, "invalid service name 'ok.name_1-x'", 0, 0) < 0);
	CU_ASSERT(th_find_diag(d, "unknown condition 'service_ready' in depends_on of 'ok.name_1-x'", 6, 25) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown service 'nope' in depends_on of 'ok.name_1-x'", 6, 7) >= 0);
	CU_ASSERT(th_find_diag(d, "service 'self' depends on itself", 8, 18) >= 0);
	/* the service with a bad name is still one (references to it resolve) */
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 4);
	dc_catalog_free(cat);
	dc_diags_free(d);

	/* networks: declared at the top level (or `default`); not with network_mode */
	th_load(&cat, &d, "compose.yml",
		"services:\n"
		"  a:\n"
		"    networks: [back, typo, default]\n"
		"  b:\n"
		"    network_mode: host\n"
		"    networks: {back: {aliases: [bee]}}\n"
		"networks:\n"
		"  back: {}\n", DC_FORMAT_COMPOSE);
	CU_ASSERT(th_find_diag(d, "service 'a' refers to undefined network 'typo'", 3, 22) >= 0);
	CU_ASSERT(th_find_diag(d, "undefined network 'back'", 0, 0) < 0);
	CU_ASSERT(th_find_diag(d, "undefined network 'default'", 0, 0) < 0);
	CU_ASSERT(th_find_diag(d, "service 'b' declares mutually exclusive network_mode and networks", 6, 15) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 2);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* ---- env_file (services.md "env_file") -------------------------------------------- */

typedef struct {
	const char *compose;
	const char *file1, *text1, *file2, *text2; /* env files written next to it */
	const char *from, *to;                     /* an edge that must exist, or to NULL: none from `from` */
	const char *origin;                        /* its origin */
	const char *diag;                          /* a diagnostic that must be there (NULL: no error) */
	unsigned line, col;
} env_file_case;

static void test_env_file_table(void)
{
	static const env_file_case cases[] = {
		/* a path, relative to the Compose file */
		{ "services:\n  a:\n    env_file: a.env\n  b: {}\n", "a.env", "B_ADDR=b:80\n", NULL, NULL,
		  "a", "b", "env B_ADDR from a.env", NULL, 0, 0 },
		/* a list: the later file wins for the same variable */
		{ "services:\n  a:\n    env_file: [one.env, two.env]\n  b: {}\n  c: {}\n",
		  "one.env", "X=b:80\n", "two.env", "X=c:80\n", "a", "c", "env X from two.env", NULL, 0, 0 },
		/* environment wins over env_file */
		{ "services:\n  a:\n    env_file: a.env\n    environment: {X: 'c:1'}\n  b: {}\n  c: {}\n",
		  "a.env", "X=b:80\n", NULL, NULL, "a", "c", "env X", NULL, 0, 0 },
		/* values interpolated from the files before and the project (.env) */
		{ "services:\n  a:\n    env_file: [one.env, two.env]\n  b: {}\n", "one.env", "P=8080\n",
		  "two.env", "URL=http://b:${P}/\n", "a", "b", "env URL from two.env", NULL, 0, 0 },
		{ "services:\n  a:\n    env_file: a.env\n  b: {}\n", "a.env", "URL=${PROJECT_HOST}:1\n", ".env",
		  "PROJECT_HOST=b\n", "a", "b", "env URL from a.env", NULL, 0, 0 },
		/* the long form; a missing optional file is nothing */
		{ "services:\n  a:\n    env_file:\n      - path: gone.env\n        required: false\n"
		  "      - path: a.env\n        format: raw\n  b: {}\n", "a.env", "B=b:1\n", NULL, NULL,
		  "a", "b", "env B from a.env", NULL, 0, 0 },
		/* a missing required file is an error at its path, as Compose fails */
		{ "services:\n  a:\n    env_file: [gone.env]\n  b: {}\n", NULL, NULL, NULL, NULL,
		  "a", NULL, NULL, "gone.env not found (env_file of 'a'", 3, 16 },
		{ "services:\n  a:\n    env_file:\n      - path: gone.env\n        required: true\n", NULL, NULL,
		  NULL, NULL, "a", NULL, NULL, "gone.env not found (env_file of 'a'", 4, 15 },
		{ "services:\n  a:\n    env_file: {path: x}\n", NULL, NULL, NULL, NULL, "a", NULL, NULL,
		  "env_file of 'a' must be a path or a list, not mapping", 3, 15 },
		{ "services:\n  a:\n    env_file:\n      - path: a.env\n        required: maybe\n", "a.env", "",
		  NULL, NULL, "a", NULL, NULL, "env_file required of 'a' must be true or false", 5, 19 },
	};
	size_t i;
	unsetenv("PROJECT_HOST");
	unsetenv("P");
	unsetenv("X");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const env_file_case *k = &cases[i];
		char dir[64], path[128];
		dc_catalog *cat = NULL;
		dc_diags *d = NULL;
		dc_id f, t;
		size_t j, nfrom = 0;
		int found = 0;
		CU_ASSERT_EQUAL_FATAL(th_tmpdir(dir, sizeof(dir)), 0);
		snprintf(path, sizeof(path), "%s/compose.yaml", dir);
		th_write_file(path, k->compose);
		if (k->file1) {
			snprintf(path, sizeof(path), "%s/%s", dir, k->file1);
			th_write_file(path, k->text1);
		}
		if (k->file2) {
			snprintf(path, sizeof(path), "%s/%s", dir, k->file2);
			th_write_file(path, k->text2);
		}
		snprintf(path, sizeof(path), "%s/compose.yaml", dir);
		dc_diags_new(&d);
		dc_catalog_new(&cat);
		CU_ASSERT_EQUAL(dc_catalog_add_path(cat, path, NULL, d), 0);
		CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
		CU_ASSERT_EQUAL_FATAL(dc_catalog_find(cat, k->from, &f), 0);
		for (j = 0; j < dc_catalog_dep_count(cat); j++) {
			if (dc_dep_from(cat, j) != f)
				continue;
			nfrom++;
			if (k->to && dc_catalog_find(cat, k->to, &t) == 0 && dc_dep_to(cat, j) == t) {
				const char *o = dc_dep_origin(cat, j);
				found = 1;
				if (!o || strcmp(o, k->origin))
					fprintf(stderr, "env_file case %zu: origin '%s', expected '%s'\n", i,
						o ? o : "(none)", k->origin);
				CU_ASSERT(o && !strcmp(o, k->origin));
			}
		}
		if (k->to) {
			if (!found)
				fprintf(stderr, "env_file case %zu: no edge %s -> %s\n", i, k->from, k->to);
			CU_ASSERT(found);
			CU_ASSERT_EQUAL(nfrom, 1);
		} else {
			CU_ASSERT_EQUAL(nfrom, 0);
		}
		if (k->diag) {
			int at = th_find_diag(d, k->diag, k->line, k->col);
			if (at < 0)
				th_print_diags(d);
			CU_ASSERT(at >= 0);
			CU_ASSERT(at < 0 || dc_diags_get(d, (size_t)at)->severity == DC_SEV_ERROR);
		} else {
			CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
		}
		dc_catalog_free(cat);
		dc_diags_free(d);
		th_rmtree(dir);
	}
}

int suite_compose_spec(void)
{
	static const th_test t[] = {
		{ "interpolation (interpolation.md)", test_interpolation_table },
		{ "merge rules (merge.md)", test_merge_table },
		{ "what a service's keys mean", test_loader_table },
		{ "no edge, and Compose's errors", test_loader_negative },
		{ "env_file (services.md)", test_env_file_table },
		{ NULL, NULL }
	};
	return th_suite("compose_spec", t);
}
