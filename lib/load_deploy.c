/*
 * load_deploy.c - what the deployment tools' own objects in Kubernetes
 * input say about order (docs/deploy.md), kept in the catalog for the
 * plan's argocd/flux/helm writers and the deploy-order rule (deploy.c).
 *
 * Read: the `argocd.argoproj.io/sync-wave` annotation (metadata.annotations)
 * of every workload and of Argo CD Applications (apiVersion
 * argoproj.io/..., kind Application); `spec.dependsOn` of Flux
 * Kustomizations (kustomize.toolkit.fluxcd.io/...) and HelmReleases
 * (helm.toolkit.fluxcd.io/...), a list of `{name, namespace}`. An
 * Application, Kustomization or HelmRelease stands for the service of its
 * metadata.name (matched when the catalog is complete: deploy.c); one that
 * names no service is kept but orders nothing. A workload stands for
 * itself.
 *
 * A sync wave must be an integer string (Argo CD parses it with
 * strconv.Atoi): anything else is a warning and no wave. A dependsOn entry
 * without a name is a warning and skipped.
 */
#include "k8s_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_WAVE "argocd.argoproj.io/sync-wave"

static int group_is(const char *api, const char *group)
{
	size_t n = strlen(group);
	return api && !strncmp(api, group, n) && api[n] == '/';
}

int k8s_deploy_type(const char *api, const char *kind)
{
	if (!api || !kind)
		return -1;
	if (group_is(api, "argoproj.io") && !strcmp(kind, "Application"))
		return DEPLOY_ARGO_APP;
	if (group_is(api, "kustomize.toolkit.fluxcd.io") && !strcmp(kind, "Kustomization"))
		return DEPLOY_FLUX_KS;
	if (group_is(api, "helm.toolkit.fluxcd.io") && !strcmp(kind, "HelmRelease"))
		return DEPLOY_FLUX_HR;
	return -1;
}

/* The sync wave of an annotation value: 0 and *wave, or -1 (warned). */
static int parse_wave(load_ctx *c, const doc_node *v, int32_t *wave)
{
	const char *s = doc_str(v);
	char *end;
	long w;
	if (!s || v->kind != DOC_SCALAR) {
		ctx_diag(c, DC_SEV_WARNING, v, "%s must be an integer string, not %s; it is ignored",
			 SYNC_WAVE, doc_type_name(v));
		return -1;
	}
	errno = 0;
	w = strtol(s, &end, 10);
	if (!*s || *end || errno || w < INT32_MIN || w > INT32_MAX) {
		ctx_diag(c, DC_SEV_WARNING, v, "%s must be an integer, not '%s'; it is ignored", SYNC_WAVE, s);
		return -1;
	}
	*wave = (int32_t)w;
	return 0;
}

static void depends_on(k8s *k, deploy_obj_t *o, const doc_node *spec, const char *name)
{
	load_ctx *c = k->c;
	const doc_node *seq = k8s_get_seq(c, spec, "dependsOn", "spec.dependsOn", name);
	size_t i;
	o->dep_first = (uint32_t)c->cat->deploy_deps.len;
	for (i = 0; seq && i < seq->n && !k->rc; i++) {
		const doc_node *e = seq->u.kids[i], *n, *ns;
		deploy_dep_t d;
		memset(&d, 0, sizeof(d));
		n = e->kind == DOC_MAP ? doc_get(e, "name") : NULL;
		if (!n || !k8s_str_of(n) || !n->n) {
			ctx_diag(c, DC_SEV_WARNING, e, "an entry of spec.dependsOn of '%s' must be a mapping "
				 "with a name; it is ignored", name);
			continue;
		}
		ns = doc_get(e, "namespace");
		d.name = cat_intern(c->cat, k8s_str_of(n));
		if (ns && k8s_str_of(ns) && ns->n)
			d.ns = cat_intern(c->cat, k8s_str_of(ns));
		d.loc = ctx_loc(c, n);
		if (!d.name || (ns && k8s_str_of(ns) && ns->n && !d.ns) ||
		    dc_vec_push(&c->cat->deploy_deps, d)) {
			k->rc = ctx_fail(c, DC_ENOMEM);
			return;
		}
		o->ndeps++;
	}
}

void k8s_deploy_record(k8s *k, const doc_node *root, int type, uint32_t svc)
{
	load_ctx *c = k->c;
	const doc_node *meta = doc_get(root, "metadata"), *nm, *nsn, *ann, *w, *spec;
	const char *name;
	deploy_obj_t o;
	if (!meta || meta->kind != DOC_MAP || !(nm = doc_get(meta, "name")) || !(name = k8s_str_of(nm)) ||
	    !nm->n) {
		ctx_diag(c, DC_SEV_WARNING, meta ? meta : root, "%s without metadata.name; it is ignored",
			 k8s_str_of(doc_get(root, "kind")));
		return;
	}
	memset(&o, 0, sizeof(o));
	o.type = (uint8_t)type;
	o.svc = svc ? svc : cat_intern(c->cat, name);
	o.api = cat_intern(c->cat, k8s_str_of(doc_get(root, "apiVersion")));
	o.kind = cat_intern(c->cat, k8s_str_of(doc_get(root, "kind")));
	o.name = cat_intern(c->cat, name);
	nsn = doc_get(meta, "namespace");
	if (nsn && k8s_str_of(nsn) && nsn->n)
		o.ns = cat_intern(c->cat, k8s_str_of(nsn));
	o.loc = ctx_loc(c, nm);
	if (!o.svc || !o.api || !o.kind || !o.name || (nsn && k8s_str_of(nsn) && nsn->n && !o.ns)) {
		k->rc = ctx_fail(c, DC_ENOMEM);
		return;
	}
	ann = k8s_get_map(c, meta, "annotations", "metadata.annotations", name);
	if (ann && (w = doc_get(ann, SYNC_WAVE)) != NULL && !doc_is_null(w) && !parse_wave(c, w, &o.wave)) {
		o.has_wave = 1;
		o.wave_loc = ctx_loc(c, w);
	}
	spec = doc_get(root, "spec");
	o.dep_first = (uint32_t)c->cat->deploy_deps.len;
	if ((type == DEPLOY_FLUX_KS || type == DEPLOY_FLUX_HR) && spec && spec->kind == DOC_MAP)
		depends_on(k, &o, spec, name);
	if (!k->rc && dc_vec_push(&c->cat->deploy_objs, o))
		k->rc = ctx_fail(c, DC_ENOMEM);
}
