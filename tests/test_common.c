/*
 * test_common.c - the small shared parts of the API: the version and
 * status texts (depcheck/common.h), the diagnostics list (diag.h: add,
 * sort, severity names), output format names (format.h) and the output
 * options' defaults (output.h), each against values written out by hand.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>
#include <yaml.h>
#if defined(__has_include)
#if __has_include(<graphviz/graphviz_version.h>)
#include <graphviz/graphviz_version.h>
#endif
#endif

static void test_version(void)
{
	char want[64];
	snprintf(want, sizeof(want), "%d.%d.%d", DC_VERSION_MAJOR, DC_VERSION_MINOR, DC_VERSION_PATCH);
	CU_ASSERT_STRING_EQUAL(dc_version(), DC_VERSION_STRING);
	CU_ASSERT_STRING_EQUAL(dc_version(), want);
}

/* The loaded libraries' versions: on a build machine the run-time
 * libraries are the ones the headers came with, so each equals the
 * headers' version; an unknown id is NULL. */
static void test_library_version(void)
{
	const char *gv = dc_library_version(DC_LIB_GRAPHVIZ);
	char want[64];
	int major, minor, patch;
	CU_ASSERT_PTR_NOT_NULL_FATAL(gv);
	CU_ASSERT_TRUE(gv[0] >= '0' && gv[0] <= '9');
#ifdef PACKAGE_VERSION
	CU_ASSERT_STRING_EQUAL(gv, PACKAGE_VERSION);
#endif
	/* libyaml's headers carry no version: its numeric one must agree */
	yaml_get_version(&major, &minor, &patch);
	snprintf(want, sizeof(want), "%d.%d.%d", major, minor, patch);
	CU_ASSERT_STRING_EQUAL(dc_library_version(DC_LIB_LIBYAML), want);
	CU_ASSERT_STRING_EQUAL(dc_library_version(DC_LIB_JANSSON), JANSSON_VERSION);
	/* the same static string each time */
	CU_ASSERT_PTR_EQUAL(dc_library_version(DC_LIB_GRAPHVIZ), gv);
	CU_ASSERT_PTR_NULL(dc_library_version((dc_library)42));
}

static void test_strerror(void)
{
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_OK), "success");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_ERROR), "error");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_ENOMEM), "out of memory");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_EIO), "input/output error");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_EPARSE), "syntax error");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_EINVALID), "invalid input");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_ENOTFOUND), "not found");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_EAMBIGUOUS), "ambiguous name");
	CU_ASSERT_STRING_EQUAL(dc_strerror(DC_ELIMIT), "limit exceeded");
	/* codes the library does not have */
	CU_ASSERT_STRING_EQUAL(dc_strerror(-9), "unknown error");
	CU_ASSERT_STRING_EQUAL(dc_strerror(1), "unknown error");
}

static void test_edit_distance(void)
{
	char a[300], b[300];
	CU_ASSERT_EQUAL(dc_edit_distance("", "", 2), 0);
	CU_ASSERT_EQUAL(dc_edit_distance("abc", "abc", 2), 0);
	CU_ASSERT_EQUAL(dc_edit_distance("", "ab", 2), 2);
	CU_ASSERT_EQUAL(dc_edit_distance("analyze", "analyse", 2), 1);   /* substitution */
	CU_ASSERT_EQUAL(dc_edit_distance("analyze", "anlayze", 2), 1);   /* transposition */
	CU_ASSERT_EQUAL(dc_edit_distance("analyze", "analyzer", 2), 1);  /* insertion */
	CU_ASSERT_EQUAL(dc_edit_distance("playback", "playbak", 2), 1);  /* deletion */
	CU_ASSERT_EQUAL(dc_edit_distance("ca", "abc", 3), 3);             /* OSA, not full DL */
	CU_ASSERT_EQUAL(dc_edit_distance("kitten", "sitting", 3), 3);
	/* beyond max: max + 1, whatever the true distance */
	CU_ASSERT_EQUAL(dc_edit_distance("kitten", "sitting", 2), 3);
	CU_ASSERT_EQUAL(dc_edit_distance("a", "abcdefgh", 2), 3);
	CU_ASSERT_EQUAL(dc_edit_distance("abcdefgh", "hgfedcba", 1), 2);
	CU_ASSERT_EQUAL(dc_edit_distance("x", "y", 100), 1);  /* max is capped at 8 */
	CU_ASSERT_EQUAL(dc_edit_distance("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", 100), 9);
	CU_ASSERT_EQUAL(dc_edit_distance(NULL, "a", 2), 3);
	memset(a, 'a', 299);
	a[299] = '\0';
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL(dc_edit_distance(a, b, 2), 3);  /* longer than 255: no answer */
	a[255] = '\0';
	b[255] = '\0';
	b[100] = 'b';
	CU_ASSERT_EQUAL(dc_edit_distance(a, b, 2), 1);
}

static void test_suggest(void)
{
	static const char *const cmds[] = { "validate", "show", "path", "export", "simulate",
					    "analyze", "availability", "check", "diff", "plan" };
	size_t n = sizeof(cmds) / sizeof(cmds[0]);
	CU_ASSERT_STRING_EQUAL(dc_suggest("shw", cmds, n), "show");
	CU_ASSERT_STRING_EQUAL(dc_suggest("anaylze", cmds, n), "analyze");
	CU_ASSERT_STRING_EQUAL(dc_suggest("Check", cmds, n), "check");   /* case alone */
	CU_ASSERT_STRING_EQUAL(dc_suggest("avialabilty", cmds, n), "availability");
	/* short words take one edit only: "pth" is path, "xy" nothing */
	CU_ASSERT_STRING_EQUAL(dc_suggest("pth", cmds, n), "path");
	CU_ASSERT_PTR_NULL(dc_suggest("xy", cmds, n));
	CU_ASSERT_PTR_NULL(dc_suggest("shwo2", cmds, 1));  /* validate only */
	CU_ASSERT_PTR_NULL(dc_suggest("deploy", cmds, n));
	CU_ASSERT_PTR_NULL(dc_suggest("show", cmds, n)); /* itself is no suggestion */
	CU_ASSERT_PTR_NULL(dc_suggest(NULL, cmds, n));
	{
		/* a tie: no guess; a duplicate is no tie */
		static const char *const zones[] = { "eu-a", "eu-b", "us-a", "us-a" };
		CU_ASSERT_PTR_NULL(dc_suggest("eu-x", zones, 4));
		CU_ASSERT_STRING_EQUAL(dc_suggest("us-x", zones + 2, 2), "us-a");
		CU_ASSERT_STRING_EQUAL(dc_suggest("eu-aa", zones, 4), "eu-a");
	}
	CU_ASSERT_PTR_NULL(dc_suggest("show", NULL, 3));
}

static void test_diags_add(void)
{
	dc_diags *d;
	const dc_diag *x;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL(dc_diags_add(d, DC_SEV_ERROR, "cat.yaml", 3, 7, "unknown service '%s' (%d)", "db", 42),
			0);
	/* no file: "<input>"; a message on one line: control characters
	 * become escapes (docs/security.md) */
	CU_ASSERT_EQUAL(dc_diags_add(d, DC_SEV_NOTE, NULL, 0, 0, "two\nlines\r"), 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 2);
	x = dc_diags_get(d, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->severity, DC_SEV_ERROR);
	CU_ASSERT_STRING_EQUAL(x->file, "cat.yaml");
	CU_ASSERT_EQUAL(x->line, 3);
	CU_ASSERT_EQUAL(x->column, 7);
	CU_ASSERT_STRING_EQUAL(x->message, "unknown service 'db' (42)");
	x = dc_diags_get(d, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->severity, DC_SEV_NOTE);
	CU_ASSERT_STRING_EQUAL(x->file, "<input>");
	CU_ASSERT_EQUAL(x->line, 0);
	CU_ASSERT_STRING_EQUAL(x->message, "two\\nlines\\r");
	CU_ASSERT_PTR_NULL(dc_diags_get(d, 2));
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 1);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_WARNING), 0);
	/* a NULL list takes nothing and is not an error */
	CU_ASSERT_EQUAL(dc_diags_add(NULL, DC_SEV_ERROR, "x", 1, 1, "ignored"), 0);
	dc_diags_free(d);
}

static void test_diags_sort(void)
{
	static const struct {
		dc_severity sev;
		const char *file;
		unsigned line, col;
		const char *msg;
	} in[] = {
		{ DC_SEV_ERROR, "b.yaml", 2, 1, "b2" },
		{ DC_SEV_WARNING, "a.yaml", 5, 3, "a5:3" },
		{ DC_SEV_ERROR, "a.yaml", 5, 1, "first at a5:1" },
		{ DC_SEV_ERROR, "a.yaml", 1, 9, "a1" },
		{ DC_SEV_ERROR, "a.yaml", 5, 1, "first at a5:1" },   /* exact duplicate: dropped */
		{ DC_SEV_ERROR, "a.yaml", 5, 1, "second at a5:1" },
		{ DC_SEV_WARNING, "a.yaml", 5, 1, "first at a5:1" }, /* other severity: kept */
		{ DC_SEV_ERROR, "a.yaml", 5, 1, "first at a5:1" },   /* twin, not adjacent: dropped */
	};
	/* by file, line, column; equal places keep their order (stable) */
	static const char *const want[] = { "a1", "first at a5:1", "second at a5:1", "first at a5:1", "a5:3", "b2" };
	dc_diags *d;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CU_ASSERT_EQUAL(dc_diags_add(d, in[i].sev, in[i].file, in[i].line, in[i].col, "%s", in[i].msg), 0);
	dc_diags_sort(d);
	CU_ASSERT_EQUAL_FATAL(dc_diags_count(d), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CU_ASSERT_STRING_EQUAL(dc_diags_get(d, i)->message, want[i]);
	CU_ASSERT_EQUAL(dc_diags_get(d, 3)->severity, DC_SEV_WARNING);
	CU_ASSERT_STRING_EQUAL(dc_diags_get(d, 5)->file, "b.yaml");
	/* sorting again changes nothing; empty and NULL lists are fine */
	dc_diags_sort(d);
	CU_ASSERT_EQUAL(dc_diags_count(d), 6);
	CU_ASSERT_STRING_EQUAL(dc_diags_get(d, 0)->message, "a1");
	dc_diags_free(d);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	dc_diags_sort(d);
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	dc_diags_free(d);
	dc_diags_sort(NULL);
}

static void test_severity_name(void)
{
	CU_ASSERT_STRING_EQUAL(dc_severity_name(DC_SEV_ERROR), "error");
	CU_ASSERT_STRING_EQUAL(dc_severity_name(DC_SEV_WARNING), "warning");
	CU_ASSERT_STRING_EQUAL(dc_severity_name(DC_SEV_NOTE), "note");
}

/* FILE:LINE:COLUMN: severity: message, one line each; a diagnostic without a
 * position has none, one without a column gets column 1. */
static void test_diag_print(void)
{
	dc_diags *d;
	char *out = NULL;
	int rc;
	size_t i;
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	dc_diags_add(d, DC_SEV_ERROR, "cat.yaml", 3, 7, "unknown service 'db'");
	dc_diags_add(d, DC_SEV_WARNING, "cat.yaml", 4, 0, "no column");
	dc_diags_add(d, DC_SEV_NOTE, "policy.yaml", 0, 0, "no position");
	{
		size_t len = 0;
		FILE *fp = open_memstream(&out, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		rc = 0;
		for (i = 0; i < dc_diags_count(d); i++)
			rc |= dc_diag_print(fp, dc_diags_get(d, i));
		fclose(fp);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "cat.yaml:3:7: error: unknown service 'db'\n"
				    "cat.yaml:4:1: warning: no column\n"
				    "policy.yaml: note: no position\n");
	free(out);
	dc_diags_free(d);
}

static void test_output_format_names(void)
{
	static const char *const names[] = { "text", "json", "yaml", "dot", "svg", "png",
					     "pdf", "sarif", "junit", "github", "html", "csv",
					     "chaos-mesh", "litmus", "aws-fis",
					     "argocd", "flux", "helm", "pipeline", "backstage", "jsonl" };
	dc_output_format f;
	size_t i;
	/* every format, in enum order, both ways */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CU_ASSERT_STRING_EQUAL(dc_output_format_name((dc_output_format)i), names[i]);
		f = DC_OUTPUT_TEXT;
		CU_ASSERT_EQUAL(dc_output_format_parse(&f, names[i]), 0);
		CU_ASSERT_EQUAL(f, (dc_output_format)i);
	}
	CU_ASSERT_STRING_EQUAL(dc_output_format_name(DC_OUTPUT_SARIF), "sarif");
	CU_ASSERT_PTR_NULL(dc_output_format_name((dc_output_format)(DC_OUTPUT_JSONL + 1)));
	/* exact and lower case only; nothing written on failure */
	f = DC_OUTPUT_DOT;
	CU_ASSERT_EQUAL(dc_output_format_parse(&f, "JSON"), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_output_format_parse(&f, "jsonx"), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(dc_output_format_parse(&f, ""), DC_ENOTFOUND);
	CU_ASSERT_EQUAL(f, DC_OUTPUT_DOT);
	CU_ASSERT_EQUAL(dc_output_format_parse(&f, NULL), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_output_format_parse(NULL, "json"), DC_EINVALID);
}

static void test_output_options_init(void)
{
	dc_output_options o;
	memset(&o, 0x5a, sizeof(o));
	CU_ASSERT_EQUAL(dc_output_options_init(&o, DC_OUTPUT_OPTIONS_VERSION), 0);
	CU_ASSERT_EQUAL(o.version, DC_OUTPUT_OPTIONS_VERSION);
	CU_ASSERT_EQUAL(o.format, DC_OUTPUT_TEXT);
	CU_ASSERT_EQUAL(o.color, 0);
	CU_ASSERT_EQUAL(o.quiet, 0);
	/* versions it does not know are refused, and leave opts alone */
	o.quiet = 7;
	CU_ASSERT_EQUAL(dc_output_options_init(&o, 0), DC_EINVALID);
	CU_ASSERT_EQUAL(dc_output_options_init(&o, DC_OUTPUT_OPTIONS_VERSION + 1), DC_EINVALID);
	CU_ASSERT_EQUAL(o.quiet, 7);
	CU_ASSERT_EQUAL(dc_output_options_init(NULL, DC_OUTPUT_OPTIONS_VERSION), DC_EINVALID);
}

int suite_common(void)
{
	static const th_test tests[] = {
		{ "version", test_version },
		{ "library_version", test_library_version },
		{ "strerror", test_strerror },
		{ "edit distance", test_edit_distance },
		{ "suggest", test_suggest },
		{ "diags add", test_diags_add },
		{ "diags sort", test_diags_sort },
		{ "severity names", test_severity_name },
		{ "diag print", test_diag_print },
		{ "output format names", test_output_format_names },
		{ "output options init", test_output_options_init },
		{ NULL, NULL },
	};
	return th_suite("common", tests);
}
