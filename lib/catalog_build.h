/*
 * catalog_build.h - the catalog builder: what the loaders (and the tests'
 * generators) use to add strings, files, services and dependencies before
 * dc_catalog_finalize(). Implemented in catalog.c. Not installed.
 *
 * Loaders add services keyed by a unique `ref` and dependencies whose
 * target is still text; dc_catalog_finalize() resolves targets (across
 * files and formats), creates external services for what is missing, drops
 * self-dependencies and duplicates, groups dependencies by service and picks
 * display names.
 */
#ifndef DC_CATALOG_BUILD_H
#define DC_CATALOG_BUILD_H

#include "catalog_int.h"

#define DC_DEFAULT_AVAILABILITY 0.999
#define DC_DEFAULT_TIMEOUT_MS 1000u
#define DC_DEFAULT_RETRIES 0u
#define DC_DEFAULT_STAGE 0u

/* 0 on ENOMEM (and cat->oom is set). */
uint32_t cat_intern(dc_catalog *cat, const char *s);
uint32_t cat_intern_n(dc_catalog *cat, const char *s, size_t len);
/* Register a file for locations; returns its id (index + 1), 0 on ENOMEM. */
uint32_t cat_add_file(dc_catalog *cat, const char *path);
/* Forget the file just added (a walked file skipped as no descriptor):
 * only when file_id is the last one and nothing refers to it. */
void cat_drop_last_file(dc_catalog *cat, uint32_t file_id);

/* Add a service with built-in defaults. Returns 0 and *out; 1 when `ref`
 * is already defined (an error naming both places is added, *out is the
 * existing service); DC_ENOMEM. */
int cat_add_service(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_input_format fmt,
		    dc_diags *diags, dc_id *out);
/* Returns 0 or DC_ENOMEM. The dep is copied. */
int cat_add_dep(dc_catalog *cat, const dep_t *d);
/* Initialise a dep with defaults. */
void cat_dep_init(dep_t *d, dc_id from, uint32_t target, dc_loc_int loc);
int cat_set_list(dc_catalog *cat, uint32_t *off, uint32_t *n, const uint32_t *ids, size_t count);
uint32_t cat_new_group(dc_catalog *cat);
/* The catalog's budget of multiplied edges (DC_EXPAND_MIN_EDGES): one per
 * byte of every file loaded, at least DC_EXPAND_MIN_EDGES, at most max_deps
 * (0: the default dependency limit); cat->expanded counts what is spent. */
size_t cat_expand_limit(const dc_catalog *cat, size_t max_deps);
int cat_add_api(dc_catalog *cat, uint32_t api_ref, uint32_t svc, dc_loc_int loc);
/* Count an entity that becomes no service, by kind: a catalog whose input
 * holds such entities and no service is valid (finalize says what it
 * found). Returns 0 or DC_ENOMEM. */
int cat_note_entity(dc_catalog *cat, const char *kind);
/* Canonical path bookkeeping: returns 1 if `canon` was already loaded,
 * 0 if it is new (and marks it), -1 on ENOMEM. */
int cat_mark_loaded(dc_catalog *cat, const char *canon);

/* An entry of a native `overlay:` list: a record that refines the service
 * `ref` names (any form a dependency may use), merged into it at finalize
 * (catalog_merge.c). Returns 0 or DC_ENOMEM. */
int cat_add_overlay(dc_catalog *cat, uint32_t ref, dc_loc_int loc, dc_id *out);

/* The settings record of d, created when it has none (d->res set).
 * NULL on ENOMEM (cat->oom set). */
dep_res_t *cat_dep_res_mut(dc_catalog *cat, dep_t *d);
/* Record an edge policy (copied; its strings interned). 0 or DC_ENOMEM. */
int cat_add_edge_policy(dc_catalog *cat, const edge_pol_t *p);
/* Apply the edge policies to the resolved, grouped dependencies: a step of
 * finalize (catalog_edgepol.c). 0 or DC_ENOMEM. */
int cat_apply_edge_policies(dc_catalog *cat, dc_diags *diags);
/* Merge the settings of `lose` into `win` (two declarations of one edge):
 * what win lacks comes from lose. 0 or DC_ENOMEM. */
int cat_merge_dep_res(dc_catalog *cat, dep_t *win, const dep_t *lose);

/* ---- finalize's helpers (catalog.c, catalog_merge.c) -------------------- */

#define FORM_AMBIGUOUS (UINT32_MAX - 1) /* distinct from DC_NO_ID */
/* Register the forms of record `s` (its ref, or its Backstage forms) as
 * naming service `id`. Returns 0 or DC_ENOMEM. */
int cat_register_forms_as(dc_catalog *cat, const svc_t *s, dc_id id);
/* A name as dc_catalog_find resolves it, usable during finalize (before the
 * display-name index): a full reference, else a unique form. A service id,
 * DC_NO_ID or FORM_AMBIGUOUS. */
uint32_t cat_name_lookup(const dc_catalog *cat, const char *s, size_t len);
/* Resolve the observed calls (dc_catalog_add_observed) into dependencies
 * and their traffic: in finalize, after group_deps (catalog_observed.c). */
int cat_apply_observed(dc_catalog *cat, dc_diags *diags);
/* Free what catalog_observed.c keeps in the catalog. */
void cat_free_observed(dc_catalog *cat);

/* A written form: service id, DC_NO_ID (none) or FORM_AMBIGUOUS. */
uint32_t cat_form_lookup(const dc_catalog *cat, const char *s, size_t len);
/* The id of the lowercase of s (0 when not interned) / intern it. */
uint32_t cat_lookup_lower(const dc_catalog *cat, const char *s, size_t len);
uint32_t cat_intern_lower(dc_catalog *cat, const char *s, size_t len);
/* Merge the definitions of one service from several sources and the
 * overlays (catalog_merge.c): the first step of finalize. */
int cat_merge_sources(dc_catalog *cat, dc_diags *diags);
/* The DC_ATTR_* mask of what a record wrote. */
unsigned cat_svc_attrs(const svc_t *s);
/* The precedence of a definition (PREC_*). */
int cat_svc_prec(const svc_t *s);
/* Record a Backstage entity's backstage.io/kubernetes-id. 0 or DC_ENOMEM. */
int cat_add_k8s_id(dc_catalog *cat, dc_id svc, const char *id, size_t len);

/* Diagnostic at a location. */
void cat_diag(dc_catalog *cat, dc_diags *diags, dc_severity sev, dc_loc_int loc,
	      const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 5, 6)))
#endif
	;

#endif
