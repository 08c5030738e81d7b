/*
 * helpers.h - shared by the CUnit suites: load a catalog from a string or
 * a file, the usual catalog + diagnostics + graph fixture, find services,
 * dependencies and diagnostics, capture what a writer writes, run the CLI,
 * temporary files, add a suite in one line. The longer ones are in
 * helpers.c. A helper a second suite needs belongs here, not in a copy.
 * Those that assert (th_fx_load, th_policy, TH_CAPTURE, th_write_file)
 * stop the test on failure: call them from the test's own thread only
 * (CUnit is not thread-safe).
 */
#ifndef DC_TEST_HELPERS_H
#define DC_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <depcheck/depcheck.h>
#include <stdio.h>
#include <string.h>

/* every suite's registration function (generated list) */
#define SUITE(m) int suite_##m(void);
#include "suites.inc"
#undef SUITE

/* Load one in-memory document as `name` (its extension does not matter:
 * detection is by content) and finalize. Returns the status of the add
 * (or of finalize when the add succeeded). */
static inline int th_load(dc_catalog **cat, dc_diags **diags, const char *name, const char *text,
			  dc_input_format fmt)
{
	dc_load_options o = DC_LOAD_OPTIONS_INIT;
	int rc, rf;
	o.format = fmt;
	dc_diags_new(diags);
	dc_catalog_new(cat);
	rc = dc_catalog_add_buffer(*cat, name, text, strlen(text), &o, *diags);
	rf = dc_catalog_finalize(*cat, *diags);
	return rc ? rc : rf;
}

/* Index of the first diagnostic whose message contains `needle` (and, if
 * line > 0, is at that line/column), or -1. */
static inline int th_find_diag(const dc_diags *d, const char *needle, unsigned line, unsigned col)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		if (strstr(x->message, needle) && (line == 0 || (x->line == line && x->column == col)))
			return (int)i;
	}
	return -1;
}

/* Service id by name, or DC_NO_ID. */
static inline dc_id th_id(const dc_catalog *cat, const char *name)
{
	dc_id id;
	return dc_catalog_find(cat, name, &id) == 0 ? id : DC_NO_ID;
}

/* 1 if `from` has a dependency on `to` of the given kind (-1: any kind). */
static inline int th_has_dep(const dc_catalog *cat, const char *from, const char *to, int kind)
{
	dc_id f = th_id(cat, from), t = th_id(cat, to);
	size_t i, first;
	if (f == DC_NO_ID || t == DC_NO_ID)
		return 0;
	first = dc_service_dep_first(cat, f);
	for (i = 0; i < dc_service_dep_count(cat, f); i++)
		if (dc_dep_to(cat, first + i) == t && (kind < 0 || (int)dc_dep_kind_of(cat, first + i) == kind))
			return 1;
	return 0;
}

/* Global index of the first dependency from -> to, or -1. */
static inline long th_dep_of(const dc_catalog *cat, const char *from, const char *to)
{
	dc_id f = th_id(cat, from), t = th_id(cat, to);
	size_t i, first;
	if (f == DC_NO_ID || t == DC_NO_ID)
		return -1;
	first = dc_service_dep_first(cat, f);
	for (i = 0; i < dc_service_dep_count(cat, f); i++)
		if (dc_dep_to(cat, first + i) == t)
			return (long)(first + i);
	return -1;
}

/* 1 when the dependency from -> to is declared at line:col. */
static inline int th_dep_at(const dc_catalog *cat, const char *from, const char *to, unsigned line,
			    unsigned col)
{
	long d = th_dep_of(cat, from, to);
	dc_location l;
	if (d < 0)
		return 0;
	l = dc_dep_location(cat, (size_t)d);
	return l.line == line && l.column == col;
}

/* 1 when the service is defined at line:col (and in `file`, unless NULL). */
static inline int th_svc_at(const dc_catalog *cat, const char *name, unsigned line, unsigned col,
			    const char *file)
{
	dc_id id = th_id(cat, name);
	dc_location l;
	if (id == DC_NO_ID)
		return 0;
	l = dc_service_location(cat, id);
	return l.line == line && l.column == col && (!file || (l.file && !strcmp(l.file, file)));
}

/* The state of service `name` after dc_impact_run. */
static inline dc_state th_state(const dc_catalog *cat, const dc_impact *imp, const char *name)
{
	return dc_impact_state(imp, th_id(cat, name));
}

/* 1 when the state of `name` is caused through its dependency on `to`;
 * with "" for `to`, when it has no cause (a seed, or up). */
int th_cause_is(const dc_catalog *cat, const dc_impact *imp, const char *name, const char *to);

/* Load the file at `path` (DC_TESTDATA "/...") into a new catalog, with
 * new diagnostics; the status of dc_catalog_load. */
int th_load_path(dc_catalog **cat, dc_diags **diags, const char *path);

/* Load `a` then `b` into a new catalog and finalize it: each a path under
 * testdata/ or, when it holds a newline, text (named dump.json for `a`,
 * catalog.yaml for `b`). Returns the first add's error, else finalize's.
 * The envoy, grpc and mesh readers' tests: a proxy config, then the
 * services it refines. */
int th_load2(dc_catalog **cat, dc_diags **diags, const char *a, const char *b);

/* Dependency d's setting k (-1 when d < 0: no such dependency). */
double th_setting(const dc_catalog *cat, long d, dc_dep_setting k);

/* Whether dependency d's setting k was read at line:col (prints what it
 * got otherwise). */
int th_setting_at(const dc_catalog *cat, long d, dc_dep_setting k, unsigned line, unsigned col);

/* Free a catalog and its diagnostics, printing the diagnostics first when
 * DC_TEST_DIAGS is set in the environment (to see what a loader said). */
void th_done(dc_catalog *cat, dc_diags *diags);

/* Print every diagnostic to stderr. */
void th_print_diags(const dc_diags *d);

/* 1 when a diagnostic has exactly this message at line:col, with this
 * severity (-1: any) and in this file (NULL: any). */
int th_has_diag(const dc_diags *d, int sev, const char *file, unsigned line, unsigned col, const char *msg);

/* ---- the usual fixture: a catalog from a string, its diagnostics, its graph ---- */

typedef struct {
	dc_catalog *cat;
	dc_diags *diags;
	dc_graph *g;
} th_fx;

/* A suite's own fixture starts with TH_FX; its members are then f.cat,
 * f.diags and f.g, and the whole f.base, for th_fx_load and th_fx_free:
 *   typedef struct { TH_FX; dc_impact *imp; } fx; */
#define TH_FX                                                           \
	union {                                                         \
		th_fx base;                                             \
		struct {                                                \
			dc_catalog *cat;                                \
			dc_diags *diags;                                \
			dc_graph *g;                                    \
		};                                                      \
	}

/* Load `text` as `name` (detection by content) and build its graph; the
 * test stops (CUnit's FATAL) when either fails. */
void th_fx_load(th_fx *f, const char *name, const char *text);

/* Free what th_fx_load made (any of it may be NULL). */
void th_fx_free(th_fx *f);

/* ---- policies, writers, the CLI ---- */

/* Parse a policy that must be valid (the test stops when it is not, after
 * printing the text and the diagnostics). */
dc_policy *th_policy(const char *text);

/* Output options for `format`, the rest defaults. */
static inline dc_output_options th_opts(dc_output_format format)
{
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	o.format = format;
	return o;
}

/* Run `call`, an expression that writes to `fp` (which this declares), into
 * memory: `buf` gets what it wrote (NUL-terminated, free it), `rc` its value. */
#define TH_CAPTURE(buf, rc, call)                                       \
	do {                                                            \
		size_t th_len_ = 0;                                     \
		FILE *fp = open_memstream(&(buf), &th_len_);            \
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);                       \
		(rc) = (call);                                          \
		fclose(fp);                                             \
	} while (0)

/* dc_export to a string (free it), or NULL when the export fails. */
char *th_export(const dc_catalog *cat, dc_output_format format);

/* Run the depcheck binary with `args` (a shell command line) from testdata/
 * and return its stdout (free it; NULL if it could not be run); *code gets
 * its exit status (-1: it did not exit), unless code is NULL. stderr is
 * dropped. */
char *th_run_cli(const char *args, int *code);

/* th_run_cli's exit status alone (its stdout dropped). */
int th_cli_code(const char *args);

/* Non-overlapping occurrences of `needle` in `hay`. */
size_t th_count(const char *hay, const char *needle);

/* Minimal XML well-formedness: an XML declaration, one root, tags that nest
 * and match, attribute values quoted and without '<', '&' only as a known
 * entity, no '>' in text and no control characters but tab and newline. */
int th_xml_ok(const char *s);

/* ---- temporary files ---- */

/* Make a new directory /tmp/dc-test-XXXXXX; its path goes to dir (at least
 * 20 bytes). 0, or -1 when it cannot. */
int th_tmpdir(char *dir, size_t size);

/* Remove a directory made by th_tmpdir and all it holds. */
void th_rmtree(const char *dir);

/* Write `text` to the file `path` (the test stops when it cannot). */
void th_write_file(const char *path, const char *text);

/* ---- suites ---- */

typedef struct {
	const char *name;
	void (*fn)(void);
} th_test;

/* Register a suite from a NULL-terminated table. */
static inline int th_suite(const char *name, const th_test *tests)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	if (!s)
		return -1;
	for (; tests->name; tests++)
		if (!CU_add_test(s, tests->name, tests->fn))
			return -1;
	return 0;
}

#endif
