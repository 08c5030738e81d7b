/*
 * test_config.c - the project config (depcheck/config.h): every key, a
 * string as a list of one, paths resolved against the config's directory,
 * globs kept as written; every error at its line and column (unknown key,
 * wrong type, a path leaving the project, version); loading a file; the
 * accessors' range checks. The CLI's discovery and overrides are tested
 * by tests/check_config.sh.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

static dc_config *parse(const char *dir, const char *text)
{
	dc_config *c = NULL;
	dc_diags *d;
	dc_diags_new(&d);
	CU_ASSERT_EQUAL(dc_config_parse(&c, "c.yaml", dir, text, strlen(text), d), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	dc_diags_free(d);
	return c;
}

/* A config that does not load, and its first error, exactly. */
static void bad_rc(const char *text, int want_rc, const char *want)
{
	dc_config *c = (dc_config *)1;
	dc_diags *d;
	char got[1024] = "(no error)";
	int rc;
	dc_diags_new(&d);
	rc = dc_config_parse(&c, "c.yaml", ".", text, strlen(text), d);
	CU_ASSERT_EQUAL(rc, want_rc);
	CU_ASSERT_PTR_NULL(c);
	if (dc_diags_count(d)) {
		const dc_diag *x = dc_diags_get(d, 0);
		snprintf(got, sizeof(got), "%s:%u:%u: %s", x->file, x->line, x->column, x->message);
	}
	if (strcmp(got, want)) {
		fprintf(stderr, "\nwanted: %s\ngot:    %s\n", want, got);
		CU_FAIL("diagnostic");
	}
	dc_diags_free(d);
}

static void bad(const char *text, const char *want)
{
	bad_rc(text, DC_EINVALID, want);
}

static void test_keys(void)
{
	dc_config *c = parse(".", "depcheck-config: 1\n"
				  "inputs: [services/, platform/catalog.yaml]\n"
				  "include: '*.yaml'\n"
				  "exclude: [node_modules, 'deploy/**']\n"
				  "policy: ci/policy.yaml\n"
				  "baseline: base\n");
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_INPUTS), 2);
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 0), "services/");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 1), "platform/catalog.yaml");
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_INCLUDE), 1);
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INCLUDE, 0), "*.yaml");
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_EXCLUDE), 2);
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_EXCLUDE, 1), "deploy/**");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_POLICY, 0), "ci/policy.yaml");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_BASELINE, 0), "base");
	/* out of range */
	CU_ASSERT_PTR_NULL(dc_config_value(c, DC_CONFIG_POLICY, 1));
	CU_ASSERT_PTR_NULL(dc_config_value(c, (dc_config_key)99, 0));
	CU_ASSERT_EQUAL(dc_config_count(c, (dc_config_key)99), 0);
	CU_ASSERT_EQUAL(dc_config_count(NULL, DC_CONFIG_INPUTS), 0);
	CU_ASSERT_PTR_NULL(dc_config_value(NULL, DC_CONFIG_INPUTS, 0));
	dc_config_free(c);

	/* paths resolved against the directory, globs not */
	c = parse("../..", "depcheck-config: 1\ninputs: services\nexclude: vendor\npolicy: p.yaml\n"
			   "baseline: [b1, b2/]\n");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 0), "../../services");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_EXCLUDE, 0), "vendor");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_POLICY, 0), "../../p.yaml");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_BASELINE, 1), "../../b2/");
	dc_config_free(c);
	c = parse("/repo/", "depcheck-config: 1\ninputs: s\n");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 0), "/repo/s");
	dc_config_free(c);
	/* only the version: nothing configured; null values say nothing; JSON */
	c = parse("", "depcheck-config: 1\npolicy: ~\n");
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_POLICY), 0);
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_INPUTS), 0);
	dc_config_free(c);
	c = parse("", "{\"depcheck-config\": 1, \"inputs\": [\"a.json\"]}");
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 0), "a.json");
	dc_config_free(c);
	/* a name with "..." or "..x" in it is no '..' component */
	c = parse(".", "depcheck-config: 1\ninputs: [a..b/c, .../x, ..x]\n");
	CU_ASSERT_EQUAL(dc_config_count(c, DC_CONFIG_INPUTS), 3);
	dc_config_free(c);
}

static void test_errors(void)
{
	bad("inputs: a\n", "c.yaml:1:1: missing 'depcheck-config: 1': is this a depcheck project config?");
	bad("depcheck-config: 2\n", "c.yaml:1:18: unsupported config version '2' (this depcheck reads version 1)");
	bad("depcheck-config: 1\ninput: a\n",
	    "c.yaml:2:1: unknown key 'input' in the project config (did you mean 'inputs'?)");
	bad("depcheck-config: 1\nsources: a\n",
	    "c.yaml:2:1: unknown key 'sources' in the project config (expected depcheck-config, inputs, include, "
	    "exclude, policy or baseline)");
	bad("depcheck-config: 1\ninputs: [../other]\n",
	    "c.yaml:2:10: inputs '../other': a '..' component leaves the project: paths stay below the config "
	    "file's directory");
	bad("depcheck-config: 1\nbaseline: a/../../b\n",
	    "c.yaml:2:11: baseline 'a/../../b': a '..' component leaves the project: paths stay below the config "
	    "file's directory");
	bad("depcheck-config: 1\npolicy: /etc/passwd\n",
	    "c.yaml:2:9: policy '/etc/passwd': an absolute path leaves the project: write it relative to the "
	    "config file");
	bad("depcheck-config: 1\ninputs: '-'\n", "c.yaml:2:9: inputs '-': '-' (standard input) cannot be configured");
	bad("depcheck-config: 1\npolicy: [a, b]\n", "c.yaml:2:9: policy takes one path, not a list");
	bad("depcheck-config: 1\ninputs: {a: b}\n", "c.yaml:2:9: inputs takes paths, not a mapping");
	bad("depcheck-config: 1\nexclude: ['']\n", "c.yaml:2:11: exclude takes globs, not an empty value");
	bad("depcheck-config: 1\ninputs: \"a\\e[2Jb\"\n",
	    "c.yaml:2:9: inputs contains the control character U+001B: not allowed in names and text (see "
	    "docs/security.md)");
	bad("- a\n", "c.yaml:1:1: a project config is a mapping with depcheck-config: 1 and settings");
	bad("", "c.yaml:0:0: empty project config: write depcheck-config: 1 and settings");
	bad_rc("depcheck-config: [\n", DC_EPARSE, "c.yaml:2:1: YAML syntax error: did not find expected node content while parsing a flow node (line 2)");
	/* every error is reported, not only the first */
	{
		dc_config *c = NULL;
		dc_diags *d;
		const char *t = "depcheck-config: 1\ninputs: [/a, ../b]\npolicy: /c\n";
		dc_diags_new(&d);
		CU_ASSERT_EQUAL(dc_config_parse(&c, "c.yaml", ".", t, strlen(t), d), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_diags_count(d), 3);
		dc_diags_free(d);
		/* bad arguments */
		CU_ASSERT_EQUAL(dc_config_parse(NULL, "c", ".", t, strlen(t), NULL), DC_EINVALID);
		CU_ASSERT_EQUAL(dc_config_load(&c, NULL, NULL), DC_EINVALID);
		CU_ASSERT_PTR_NULL(c);
	}
}

static void test_load(void)
{
	char dir[256], path[300], want[320];
	dc_config *c = NULL;
	dc_diags *d;
	CU_ASSERT_EQUAL_FATAL(th_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/.depcheck.yaml", dir);
	th_write_file(path, "depcheck-config: 1\ninputs: services/\n");
	dc_diags_new(&d);
	CU_ASSERT_EQUAL(dc_config_load(&c, path, d), 0);
	snprintf(want, sizeof(want), "%s/services/", dir);
	CU_ASSERT_STRING_EQUAL(dc_config_value(c, DC_CONFIG_INPUTS, 0), want);
	dc_config_free(c);
	/* a NUL byte; a missing file */
	{
		FILE *fp = fopen(path, "wb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		fwrite("depcheck-config: 1\n\0", 1, 20, fp);
		fclose(fp);
	}
	CU_ASSERT_EQUAL(dc_config_load(&c, path, d), DC_EPARSE);
	CU_ASSERT_PTR_NULL(c);
	snprintf(path, sizeof(path), "%s/none.yaml", dir);
	CU_ASSERT_EQUAL(dc_config_load(&c, path, d), DC_EIO);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(dc_diags_count(d), 2);
	dc_diags_free(d);
	th_rmtree(dir);
}

int suite_config(void)
{
	static const th_test tests[] = {
		{ "keys, lists and resolved paths", test_keys },
		{ "errors at their line and column", test_errors },
		{ "loading a file", test_load },
		{ NULL, NULL }
	};
	return th_suite("config", tests);
}
