/*
 * helpers.h - shared by the CUnit suites: load a catalog from a string,
 * find diagnostics, add a suite in one line.
 */
#ifndef DC_TEST_HELPERS_H
#define DC_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <depcheck/depcheck.h>
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
