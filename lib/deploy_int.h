/*
 * deploy_int.h - the deployment tools' objects of the input (Argo CD
 * Applications and sync waves, Flux Kustomizations and HelmReleases with
 * their dependsOn; read by load_deploy.c, kept in the catalog), for the
 * plan writers of output_deploy.c and the deploy-order rule. Not installed.
 */
#ifndef DC_DEPLOY_INT_H
#define DC_DEPLOY_INT_H

#include <depcheck/catalog.h>
#include <stddef.h>

enum { DC__DEPLOY_RESOURCE = 0, DC__DEPLOY_ARGO_APP = 1, DC__DEPLOY_FLUX_KS = 2, DC__DEPLOY_FLUX_HR = 3 };

typedef struct {
	int type;               /* DC__DEPLOY_* */
	dc_id svc;              /* the service it ships, DC_NO_ID when it names none */
	const char *api, *kind, *name;
	const char *ns;         /* NULL when not written */
	int has_wave;
	long wave;              /* argocd.argoproj.io/sync-wave */
	dc_location loc, wave_loc;
	size_t ndeps;           /* spec.dependsOn entries */
} dc__deploy_obj;

/* Objects of a finalized catalog, in input order. */
size_t dc__deploy_count(const dc_catalog *cat);
void dc__deploy_get(const dc_catalog *cat, size_t i, dc__deploy_obj *o);
/* dependsOn entry k of object i: namespace (NULL: the object's own), name, where */
void dc__deploy_dep(const dc_catalog *cat, size_t i, size_t k, const char **ns, const char **name,
		    dc_location *loc);
/* For each service, the first object of the first type in types[] that
 * ships it (SIZE_MAX: none): n entries, malloc'd, NULL when out of memory. */
size_t *dc__deploy_index(const dc_catalog *cat, const int *types, size_t ntypes);

/* Objects sorted by (type, namespace, name), for dc__deploy_lookup. */
typedef struct {
	int type;
	const char *ns, *name;  /* ns "" when not written */
	size_t i;
} dc__deploy_key;
typedef struct {
	dc__deploy_key *keys;
	size_t n;
} dc__deploy_sorted;
int dc__deploy_sort(dc__deploy_sorted *s, const dc_catalog *cat);
void dc__deploy_sorted_free(dc__deploy_sorted *s);
/* The object of `type` named `name` in namespace `ns` (NULL: unwritten),
 * or SIZE_MAX. */
size_t dc__deploy_lookup(const dc__deploy_sorted *s, int type, const char *ns, const char *name);

#endif
