/*
 * test_load.c - the loader table and the reading side of the catalog:
 * the input format list (dc_input_format_*), format detection through the
 * table, range-checked accessors, reading errors (out of memory is said as
 * such) and concurrent DOT loads.
 */
#define _GNU_SOURCE 1
#include "helpers.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__)
#define TL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TL_SANITIZED 1
#endif
#endif

/* ---- the format list --------------------------------------------------------- */

static void test_input_formats(void)
{
	static const char *const want[] = { "native", "backstage", "compose", "dot", "kubernetes", "slo",
					    "envoy", "grpc" };
	size_t i, n = dc_input_format_count();
	dc_input_format f;
	CU_ASSERT_EQUAL(n, 8);
	for (i = 0; i < n && i < 8; i++) {
		dc_input_format at = dc_input_format_at(i);
		CU_ASSERT_NOT_EQUAL(at, DC_FORMAT_AUTO);
		CU_ASSERT_STRING_EQUAL(dc_input_format_name(at), want[i]);
		CU_ASSERT_EQUAL(dc_input_format_parse(&f, want[i]), 0);
		CU_ASSERT_EQUAL(f, at);
	}
	CU_ASSERT_EQUAL(dc_input_format_at(n), DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_input_format_at((size_t)-1), DC_FORMAT_AUTO);
	CU_ASSERT_STRING_EQUAL(dc_input_format_name(DC_FORMAT_AUTO), "auto");
	CU_ASSERT_EQUAL(dc_input_format_parse(&f, "auto"), 0);
	CU_ASSERT_EQUAL(f, DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL(dc_input_format_parse(&f, "Native"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_input_format_parse(&f, "yaml"), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_input_format_parse(&f, NULL), DC_EINVALID);
	CU_ASSERT_PTR_NULL(dc_input_format_name((dc_input_format)99));
}

/* Detection through the table: the strongest claim wins. */
static void test_detect(void)
{
	static const struct {
		const char *text;
		dc_input_format want;
	} cases[] = {
		{ "services:\n  - name: a\n", DC_FORMAT_NATIVE },
		/* the marker beats a Compose-shaped services mapping */
		{ "depcheck: 1\nservices:\n  - name: a\n", DC_FORMAT_NATIVE },
		{ "services:\n  a:\n    image: x\n", DC_FORMAT_COMPOSE },
		{ "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
		  "spec:\n  type: service\n  lifecycle: production\n  owner: t\n", DC_FORMAT_BACKSTAGE },
		{ "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n"
		  "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x\n",
		  DC_FORMAT_KUBERNETES },
		/* apiVersion + kind beat a services mapping */
		{ "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nservices:\n  a: {}\n",
		  DC_FORMAT_KUBERNETES },
		{ "# a comment\ndigraph { a -> b }\n", DC_FORMAT_DOT },
		{ "[{\"apiVersion\": \"backstage.io/v1alpha1\", \"kind\": \"Component\", \"metadata\": "
		  "{\"name\": \"a\"}, \"spec\": {\"type\": \"service\", \"lifecycle\": \"x\", \"owner\": \"t\"}}]",
		  DC_FORMAT_BACKSTAGE },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		int rc = th_load(&cat, &d, "x", cases[i].text, DC_FORMAT_AUTO);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_TRUE(dc_catalog_service_count(cat) >= 1);
		if (dc_catalog_service_count(cat) >= 1)
			CU_ASSERT_EQUAL(dc_service_format(cat, 0), cases[i].want);
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
}

/* Envoy and gRPC configurations define no service: detection is seen in
 * which loader's message a broken one gets, and in what others keep. */
static void test_detect_proxies(void)
{
	static const struct {
		const char *text, *msg;   /* msg NULL: loads clean */
		dc_input_format want;     /* a service's format, or AUTO (none) */
	} cases[] = {
		{ "{\"configs\": [{\"@type\": \"type.googleapis.com/envoy.admin.v3.RoutesConfigDump\"}]}",
		  "an Envoy configuration must say whose it is", DC_FORMAT_AUTO },
		{ "node: {cluster: edge}\nstatic_resources:\n  clusters: []\n", NULL, DC_FORMAT_AUTO },
		{ "{\"methodConfig\": [{\"name\": [{\"service\": \"a.B\"}], \"retryPolicy\": {\"maxAttempts\": 1}}]}",
		  "retryPolicy.maxAttempts of gRPC methodConfig 1", DC_FORMAT_AUTO },
		{ "{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0.1}}", NULL, DC_FORMAT_AUTO },
		/* not stolen: a native catalog with a stray methodConfig, a Kubernetes
		 * object with a configs list, a Compose file with static_resources */
		{ "{\"services\": [{\"name\": \"a\"}], \"methodConfig\": []}", "unknown key", DC_FORMAT_NATIVE },
		{ "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nconfigs: [{'@type': x}]\n"
		  "spec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n", NULL, DC_FORMAT_KUBERNETES },
		{ "services:\n  a:\n    image: x\nstatic_resources: {}\n", NULL, DC_FORMAT_COMPOSE },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_catalog *cat;
		dc_diags *d;
		th_load(&cat, &d, "x", cases[i].text, DC_FORMAT_AUTO);
		CU_ASSERT_EQUAL(th_find_diag(d, "unrecognized format", 0, 0), -1);
		if (cases[i].msg) {
			CU_ASSERT_TRUE(th_find_diag(d, cases[i].msg, 0, 0) >= 0);
		}
		if (cases[i].want == DC_FORMAT_AUTO) {
			CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 0);
		} else {
			CU_ASSERT_TRUE(dc_catalog_service_count(cat) >= 1 && dc_service_format(cat, 0) == cases[i].want);
		}
		if (CU_get_number_of_failures())
			th_print_diags(d);
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
}

/* ---- range-checked accessors ------------------------------------------------------ */

static void check_bad_service(const dc_catalog *cat, dc_id s)
{
	dc_location l = dc_service_location(cat, s);
	CU_ASSERT_PTR_NULL(dc_service_name(cat, s));
	CU_ASSERT_PTR_NULL(dc_service_ref(cat, s));
	CU_ASSERT_PTR_NULL(dc_service_owner(cat, s));
	CU_ASSERT_PTR_NULL(dc_service_system(cat, s));
	CU_ASSERT_PTR_NULL(dc_service_description(cat, s));
	CU_ASSERT_PTR_NULL(dc_service_url(cat, s));
	CU_ASSERT_EQUAL(dc_service_tier(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_is_entrypoint(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_entrypoint_explicit(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_is_external(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_availability(cat, s), 0);
	CU_ASSERT_TRUE(dc_service_slo(cat, s) < 0);
	CU_ASSERT_EQUAL(dc_service_latency_ms(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_zone_count(cat, s), 0);
	CU_ASSERT_PTR_NULL(dc_service_zone(cat, s, 0));
	CU_ASSERT_EQUAL(dc_service_tag_count(cat, s), 0);
	CU_ASSERT_PTR_NULL(dc_service_tag(cat, s, 0));
	CU_ASSERT_EQUAL(dc_service_format(cat, s), DC_FORMAT_AUTO);
	CU_ASSERT_PTR_NULL(l.file);
	CU_ASSERT_EQUAL(l.line, 0);
	CU_ASSERT_EQUAL(l.column, 0);
	CU_ASSERT_EQUAL(dc_service_dep_first(cat, s), 0);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, s), 0);
}

static void check_bad_dep(const dc_catalog *cat, size_t d)
{
	dc_location l = dc_dep_location(cat, d);
	CU_ASSERT_EQUAL(dc_dep_from(cat, d), DC_NO_ID);
	CU_ASSERT_EQUAL(dc_dep_to(cat, d), DC_NO_ID);
	CU_ASSERT_EQUAL(dc_dep_kind_of(cat, d), DC_DEP_HARD);
	CU_ASSERT_EQUAL(dc_dep_timeout_ms(cat, d), 0);
	CU_ASSERT_EQUAL(dc_dep_retries(cat, d), 0);
	CU_ASSERT_EQUAL(dc_dep_stage(cat, d), 0);
	CU_ASSERT_EQUAL(dc_dep_group(cat, d), 0);
	CU_ASSERT_PTR_NULL(dc_dep_target_text(cat, d));
	CU_ASSERT_PTR_NULL(dc_dep_origin(cat, d));
	CU_ASSERT_EQUAL(dc_dep_is_inferred(cat, d), 0);
	CU_ASSERT_PTR_NULL(l.file);
	CU_ASSERT_EQUAL(l.line, 0);
}

static void test_accessors_invalid_id(void)
{
	dc_catalog *cat;
	dc_diags *d;
	size_t n, m;
	int rc = th_load(&cat, &d, "c.yaml",
			 "services:\n"
			 "  - name: web\n    owner: t\n    zones: [a]\n    tags: [x]\n    depends_on: [db]\n"
			 "  - name: db\n    url: https://db\n",
			 DC_FORMAT_AUTO);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	n = dc_catalog_service_count(cat);
	m = dc_catalog_dep_count(cat);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(m, 1);
	/* the valid ones still answer */
	CU_ASSERT_STRING_EQUAL(dc_service_name(cat, 0), "web");
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, 0), "depends_on");
	CU_ASSERT_STRING_EQUAL(dc_service_zone(cat, 0, 0), "a");
	CU_ASSERT_PTR_NULL(dc_service_zone(cat, 0, 1));
	CU_ASSERT_PTR_NULL(dc_service_owner(cat, 1)); /* unset stays NULL */
	/* one past the end, and DC_NO_ID */
	check_bad_service(cat, (dc_id)n);
	check_bad_service(cat, DC_NO_ID);
	check_bad_dep(cat, m);
	check_bad_dep(cat, (size_t)DC_NO_ID);
	check_bad_dep(cat, (size_t)-1);
	CU_ASSERT_PTR_NULL(dc_catalog_file(cat, dc_catalog_file_count(cat)));
	/* no catalog at all */
	CU_ASSERT_EQUAL(dc_catalog_service_count(NULL), 0);
	CU_ASSERT_EQUAL(dc_catalog_dep_count(NULL), 0);
	CU_ASSERT_EQUAL(dc_catalog_file_count(NULL), 0);
	check_bad_service(NULL, 0);
	check_bad_dep(NULL, 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
}

/* ---- reading errors -------------------------------------------------------------- */

/* A file too big for the address space: the read's allocation fails, and the
 * diagnostic says "out of memory" (not whatever errno held). In a child
 * process with RLIMIT_AS a little above what it uses; not under ASan, whose
 * shadow memory needs the address space. */
static void test_read_out_of_memory(void)
{
#ifdef TL_SANITIZED
	CU_PASS("skipped under AddressSanitizer (RLIMIT_AS)");
#else
	char path[] = "/tmp/dc_test_load_XXXXXX";
	int fd = mkstemp(path), status = -1;
	pid_t pid;
	CU_ASSERT_FATAL(fd >= 0);
	/* sparse: costs no disk */
	if (ftruncate(fd, (off_t)512 << 20) != 0) {
		close(fd);
		unlink(path);
		CU_PASS("no sparse file here: skipped");
		return;
	}
	close(fd);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dc_catalog *cat;
		dc_diags *d;
		struct rlimit rl;
		long pages = 0, psize = sysconf(_SC_PAGESIZE);
		FILE *fp = fopen("/proc/self/statm", "r");
		const dc_diag *x;
		int rc;
		if (!fp || fscanf(fp, "%ld", &pages) != 1)
			_exit(10);
		fclose(fp);
		if (dc_catalog_new(&cat) || dc_diags_new(&d))
			_exit(11);
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)psize + ((rlim_t)64 << 20);
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(12);
		errno = EACCES; /* what a stale errno would have said */
		rc = dc_catalog_add_path(cat, path, NULL, d);
		if (rc != DC_ENOMEM)
			_exit(20);
		if (dc_diags_count(d) != 1 || !(x = dc_diags_get(d, 0)))
			_exit(21);
		if (strcmp(x->message, "cannot read: out of memory") != 0)
			_exit(22);
		_exit(0);
	}
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
	unlink(path);
#endif
}

/* ---- DOT from several threads ------------------------------------------------------ */

typedef struct {
	const char *text;
	size_t want_services;
	const char *want_msg; /* an error diagnostic, or NULL */
	int bad;              /* results that differed from the expectation */
} dot_job;

static void *dot_worker(void *arg)
{
	dot_job *j = arg;
	int i;
	for (i = 0; i < 400; i++) {
		dc_catalog *cat;
		dc_diags *d;
		dc_load_options o = DC_LOAD_OPTIONS_INIT;
		int rc;
		if (dc_catalog_new(&cat) || dc_diags_new(&d)) {
			j->bad++;
			continue;
		}
		rc = dc_catalog_add_buffer(cat, "g.dot", j->text, strlen(j->text), &o, d);
		if (j->want_msg) {
			if (rc != DC_EPARSE || th_find_diag(d, j->want_msg, 0, 0) < 0)
				j->bad++;
		} else if (rc != 0 || dc_catalog_service_count(cat) != j->want_services ||
			   dc_diags_count(d) != 0) {
			j->bad++;
		}
		dc_catalog_free(cat);
		dc_diags_free(d);
	}
	return NULL;
}

/* cgraph's state is process-wide: concurrent DOT loads must neither crash
 * nor mix their messages (load_dot.c serialises them). */
static void test_dot_threads(void)
{
	dot_job jobs[4] = {
		{ "digraph { a -> b; b -> c [kind=soft]; c -> d }\n", 4, NULL, 0 },
		{ "digraph {\n  x -> y\n  y -> -> z\n}\n", 0, "syntax error", 0 },
		{ "digraph { p [tier=1]; p -> q; q -> r; r -> s; s -> t }\n", 5, NULL, 0 },
		{ "digraph {\n  \"unterminated -> b\n}\n", 0, "error", 0 },
	};
	pthread_t t[4];
	int i, started[4];
	for (i = 0; i < 4; i++)
		started[i] = pthread_create(&t[i], NULL, dot_worker, &jobs[i]) == 0;
	for (i = 0; i < 4; i++) {
		if (started[i])
			pthread_join(t[i], NULL);
		else
			dot_worker(&jobs[i]);
		CU_ASSERT_EQUAL(jobs[i].bad, 0);
	}
}

static void test_glob(void)
{
	CU_ASSERT(dc_path_glob_match("*.yaml", "a/b/c.yaml"));      /* a name: any depth */
	CU_ASSERT(dc_path_glob_match("node_modules", "x/node_modules"));
	CU_ASSERT(dc_path_glob_match("node_modules/", "node_modules"));
	CU_ASSERT(!dc_path_glob_match("a/*.yaml", "a/b/c.yaml"));   /* * stays in one component */
	CU_ASSERT(dc_path_glob_match("a/**", "a/b/c.yaml"));
	CU_ASSERT(dc_path_glob_match("**/c.yaml", "c.yaml"));       /* ** is zero components too */
	CU_ASSERT(dc_path_glob_match("./a/**/c.yaml", "a/x/y/c.yaml"));
	CU_ASSERT(dc_path_glob_match("svc-[a-c]?.json", "d/svc-b1.json"));
	CU_ASSERT(!dc_path_glob_match("svc-[!a-c]?.json", "svc-b1.json"));
	CU_ASSERT(!dc_path_glob_match("", "x"));
	CU_ASSERT(!dc_path_glob_match(NULL, "x"));
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[1024];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* A walk skips what is no descriptor (one note), keeps a broken descriptor
 * an error, and honours --exclude. */
static void test_walk_skips(void)
{
	char dir[] = "/tmp/dc-walk-XXXXXX", sub[600], cmd[700];
	dc_catalog *cat = NULL;
	dc_diags *d = NULL;
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	const char *ex[] = { "bad" };
	size_t i, notes = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	put(dir, "package.json", "{\"name\": \"x\", \"version\": \"1.0.0\"}\n");
	put(dir, "values.yaml", "replicaCount: 1\nimage:\n  repository: nginx\n");
	put(dir, "tpl.yaml", "kind: Deployment\nspec:\n  {{- include \"x\" . }}\n  a: [\n");
	put(dir, "cat.yaml", "services:\n  - name: a\n    depends_on: [b]\n  - name: b\n");
	snprintf(sub, sizeof(sub), "%s/bad", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	put(sub, "broken.yaml", "services:\n  - name: c\n    depends_on: [\n");
	/* the broken descriptor stays an error */
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, dir, &o, d), DC_EPARSE);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* excluded, the rest loads: three files skipped, one note */
	o.exclude = ex;
	o.nexclude = 1;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, dir, &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2);
	CU_ASSERT_EQUAL(dc_catalog_file_count(cat), 1);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	for (i = 0; i < dc_diags_count(d); i++)
		if (strstr(dc_diags_get(d, i)->message, "skipped 3 files that are not service descriptors"))
			notes++;
	CU_ASSERT_EQUAL(notes, 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* a file given by path is no walk: unrecognised stays an error */
	snprintf(sub, sizeof(sub), "%s/values.yaml", dir);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, sub, &o, d), DC_EPARSE);
	dc_catalog_free(cat);
	dc_diags_free(d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A Helm chart's templates are skipped by a walk even when they parse as
 * YAML (`name: {{ .Release.Name }}` is a flow mapping, which read as a
 * Deployment would be a broken one); outside a chart, and given by path
 * or with a forced format, the same file is read. */
static void test_walk_skips_helm_templates(void)
{
	static const char tpl[] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
				  "  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.n }}\n";
	char dir[] = "/tmp/dc-helm-XXXXXX", sub[600], cmd[700];
	dc_catalog *cat = NULL;
	dc_diags *d = NULL;
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	size_t i, listed = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	put(dir, "compose.yaml", "services:\n  web: {image: x, depends_on: [db]}\n  db: {image: y}\n");
	snprintf(sub, sizeof(sub), "%s/chart", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	put(sub, "Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
	snprintf(sub, sizeof(sub), "%s/chart/templates", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	put(sub, "deployment.yaml", tpl);
	/* walked: skipped, listed with -v, the rest loads without an error */
	o.flags |= DC_LOAD_LIST_SKIPPED;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_path(cat, dir, &o, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_finalize(cat, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 2);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	for (i = 0; i < dc_diags_count(d); i++)
		if (strstr(dc_diags_get(d, i)->message, "a Helm chart template") &&
		    strstr(dc_diags_get(d, i)->file, "templates/deployment.yaml"))
			listed++;
	CU_ASSERT_EQUAL(listed, 1);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* given by path: read, and its broken name is an error */
	snprintf(sub, sizeof(sub), "%s/chart/templates/deployment.yaml", dir);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	dc_catalog_add_path(cat, sub, &o, d);
	dc_catalog_finalize(cat, d);
	CU_ASSERT(dc_diags_count_severity(d, DC_SEV_ERROR) > 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	/* no Chart.yaml beside templates/: not a chart, the file is read */
	snprintf(sub, sizeof(sub), "%s/chart/Chart.yaml", dir);
	CU_ASSERT_EQUAL_FATAL(unlink(sub), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	dc_catalog_add_path(cat, dir, &o, d);
	dc_catalog_finalize(cat, d);
	CU_ASSERT(dc_diags_count_severity(d, DC_SEV_ERROR) > 0);
	dc_catalog_free(cat);
	dc_diags_free(d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

int suite_load(void)
{
	static const th_test tests[] = {
		{ "input formats from the loader table", test_input_formats },
		{ "detection: the strongest claim wins", test_detect },
		{ "detection: Envoy and gRPC configurations", test_detect_proxies },
		{ "accessors: DC_NO_ID and count are range-checked", test_accessors_invalid_id },
		{ "reading: out of memory is said as such", test_read_out_of_memory },
		{ "DOT loads from several threads", test_dot_threads },
		{ "walk globs: *, **, ?, [..], names at any depth", test_glob },
		{ "walk: non-descriptors skipped with a note, broken descriptors errors", test_walk_skips },
		{ "walk: a Helm chart's templates are skipped, even when they parse", test_walk_skips_helm_templates },
		{ NULL, NULL }
	};
	return th_suite("load", tests);
}
