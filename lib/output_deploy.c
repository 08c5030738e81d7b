/*
 * output_deploy.c - a deployment plan in the deploy tools' own terms
 * (docs/deploy.md): Argo CD sync waves, Flux dependsOn, Helm hook weights
 * (YAML streams of minimal patches, one document per planned service) and
 * generic pipeline stages with `needs` (JSON, schemas/plan-pipeline.schema.json).
 *
 * A patch names the object the service ships as when the input had one
 * (deploy_int.h: an Argo CD Application or the workload itself for argocd;
 * a Flux Kustomization or HelmRelease for flux; the workload for helm),
 * else a default object named after the service: an Application
 * (argoproj.io/v1alpha1), a Kustomization (kustomize.toolkit.fluxcd.io/v1),
 * a Deployment (apps/v1). The namespace is written only when the input
 * wrote it.
 *
 * Every string from the input is double-quoted with escapes (yq below),
 * comments included, so no name can end a scalar, start a key or a
 * document. Writers compute nothing: waves, groups and the constraining
 * dependencies are the plan's.
 */
#include "output_int.h"
#include "deploy_int.h"
#include "jsonw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARGO_WAVE "argocd.argoproj.io/sync-wave"

/* A YAML double-quoted scalar (JSON escaping is valid YAML). */
static void yq(FILE *fp, const char *s)
{
	const unsigned char *p;
	fputc('"', fp);
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\t': fputs("\\t", fp); break;
		case '\r': fputs("\\r", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\x%02x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static const char *order_name(const dc_plan_report *r)
{
	return r->cold_start ? "cold start" : r->order == DC_PLAN_CONSUMERS_FIRST ? "consumers-first"
										  : "providers-first";
}

/* Comment lines naming the plan and its lockstep groups. */
static void header(FILE *fp, const dc_plan_report *r, const char *what)
{
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t ng = dc_plan_lockstep_count(p), i, k, nw = dc_plan_wave_count(p);
	fprintf(fp, "# depcheck plan: %s (%s), %zu service%s in %zu wave%s\n", what, order_name(r),
		dc_plan_service_count(p), dc_plan_service_count(p) == 1 ? "" : "s", nw, nw == 1 ? "" : "s");
	for (i = 0; i < ng; i++) {
		const dc_id *mem;
		size_t nm = dc_plan_lockstep_members(p, i, &mem);
		fprintf(fp, "# lockstep group (ships together, wave %zu):", dc_plan_wave_of(p, mem[0]) - 1);
		for (k = 0; k < nm; k++) {
			fputs(k ? ", " : " ", fp);
			yq(fp, dc_service_name(cat, mem[k]));
		}
		fputc('\n', fp);
	}
}

/* The identity of the object service s ships as. */
typedef struct {
	const char *api, *kind, *name, *ns;
	int type;
} ident;

static ident ident_of(const dc_catalog *cat, const size_t *ix, dc_id s, const char *api, const char *kind,
		      int type)
{
	ident id;
	if (ix && ix[s] != SIZE_MAX) {
		dc__deploy_obj o;
		dc__deploy_get(cat, ix[s], &o);
		id.api = o.api;
		id.kind = o.kind;
		id.name = o.name;
		id.ns = o.ns;
		id.type = o.type;
		return id;
	}
	id.api = api;
	id.kind = kind;
	id.name = dc_service_name(cat, s);
	id.ns = NULL;
	id.type = type;
	return id;
}

static void object_head(FILE *fp, const ident *id)
{
	fputs("---\napiVersion: ", fp);
	yq(fp, id->api);
	fputs("\nkind: ", fp);
	yq(fp, id->kind);
	fputs("\nmetadata:\n  name: ", fp);
	yq(fp, id->name);
	if (id->ns) {
		fputs("\n  namespace: ", fp);
		yq(fp, id->ns);
	}
	fputc('\n', fp);
}

/* ---- argocd: sync waves ---------------------------------------------------- */

static int argocd(FILE *fp, const dc_plan_report *r)
{
	static const int types[] = { DC__DEPLOY_ARGO_APP, DC__DEPLOY_RESOURCE };
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t nw = dc_plan_wave_count(p), i, k, *ix = dc__deploy_index(cat, types, 2);
	if (!ix)
		return DC_ENOMEM;
	header(fp, r, "Argo CD sync waves");
	for (i = 0; i < nw; i++) {
		const dc_id *ids;
		size_t n = dc_plan_wave(p, i, &ids);
		for (k = 0; k < n; k++) {
			ident id = ident_of(cat, ix, ids[k], "argoproj.io/v1alpha1", "Application",
					    DC__DEPLOY_ARGO_APP);
			object_head(fp, &id);
			fprintf(fp, "  annotations:\n    %s: \"%zu\"\n", ARGO_WAVE, i);
		}
	}
	free(ix);
	return 0;
}

/* ---- helm: hook weights ---------------------------------------------------- */

static int helm(FILE *fp, const dc_plan_report *r)
{
	static const int types[] = { DC__DEPLOY_RESOURCE };
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t nw = dc_plan_wave_count(p), i, k, *ix = dc__deploy_index(cat, types, 1);
	if (!ix)
		return DC_ENOMEM;
	header(fp, r, "Helm hook weights");
	for (i = 0; i < nw; i++) {
		const dc_id *ids;
		size_t n = dc_plan_wave(p, i, &ids);
		for (k = 0; k < n; k++) {
			ident id = ident_of(cat, ix, ids[k], "apps/v1", "Deployment", DC__DEPLOY_RESOURCE);
			object_head(fp, &id);
			fprintf(fp, "  annotations:\n"
				"    helm.sh/hook: \"pre-install,pre-upgrade\"\n"
				"    helm.sh/hook-weight: \"%zu\"\n"
				"    helm.sh/hook-delete-policy: \"before-hook-creation\"\n", i);
		}
	}
	free(ix);
	return 0;
}

/* ---- flux: dependsOn -------------------------------------------------------- */

static int flux(FILE *fp, const dc_plan_report *r)
{
	static const int types[] = { DC__DEPLOY_FLUX_KS, DC__DEPLOY_FLUX_HR };
	const dc_plan *p = r->plan;
	const dc_graph *g = r->g;
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t n = dc_catalog_service_count(cat), nw = dc_plan_wave_count(p), ng = dc_plan_lockstep_count(p);
	size_t i, k, j, *ix = dc__deploy_index(cat, types, 2);
	uint32_t *group = malloc((n ? n : 1) * sizeof(uint32_t)), *seen = malloc((n ? n : 1) * sizeof(uint32_t));
	int consumers = !r->cold_start && r->order == DC_PLAN_CONSUMERS_FIRST, rc = 0;
	if (!ix || !group || !seen) {
		rc = DC_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		group[i] = seen[i] = UINT32_MAX;
	for (i = 0; i < ng; i++) {
		const dc_id *mem;
		size_t nm = dc_plan_lockstep_members(p, i, &mem);
		for (k = 0; k < nm; k++)
			group[mem[k]] = (uint32_t)i;
	}
	header(fp, r, "Flux dependsOn");
	for (i = 0; i < nw; i++) {
		const dc_id *ids;
		size_t nws = dc_plan_wave(p, i, &ids);
		for (k = 0; k < nws; k++) {
			dc_id s = ids[k];
			ident id = ident_of(cat, ix, s, "kustomize.toolkit.fluxcd.io/v1", "Kustomization",
					    DC__DEPLOY_FLUX_KS);
			const dc_id *nb;
			const uint32_t *ed = NULL;
			size_t first = 0, deg, listed = 0;
			deg = consumers ? dc_graph_in(g, s, &nb, &ed) : dc_graph_out(g, s, &nb, &first);
			object_head(fp, &id);
			fputs("spec:\n", fp);
			for (j = 0; j < deg; j++) {
				size_t d = consumers ? ed[j] : first + j;
				dc_id t = nb[j];
				ident tid;
				if (!dc_plan_dep_constrains(p, d) || t == s || seen[t] == (uint32_t)s)
					continue;
				seen[t] = (uint32_t)s;
				if (group[s] != UINT32_MAX && group[s] == group[t]) {
					fputs("  # lockstep with ", fp);
					yq(fp, dc_service_name(cat, t));
					fputs(": no dependsOn (Flux would wait forever on a cycle)\n", fp);
					continue;
				}
				tid = ident_of(cat, ix, t, "kustomize.toolkit.fluxcd.io/v1", "Kustomization",
					       DC__DEPLOY_FLUX_KS);
				if (tid.type != id.type) {
					fputs("  # cannot depend on ", fp);
					yq(fp, tid.kind);
					fputc(' ', fp);
					yq(fp, tid.name);
					fputs(": Flux orders objects of one kind only\n", fp);
					continue;
				}
				if (!listed++)
					fputs("  dependsOn:\n", fp);
				fputs("    - name: ", fp);
				yq(fp, tid.name);
				if (tid.ns) {
					fputs("\n      namespace: ", fp);
					yq(fp, tid.ns);
				}
				fputc('\n', fp);
			}
			if (!listed)
				fputs("  dependsOn: []\n", fp);
		}
	}
out:
	free(ix);
	free(group);
	free(seen);
	return rc;
}

/* ---- pipeline: stages with needs (JSON) ------------------------------------ */

static void stage(dc_jsonw *w, const dc_plan_report *r, const char *prefix, size_t i, int rollback,
		  const uint32_t *group)
{
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	const dc_id *ids;
	size_t n = rollback ? dc_plan_rollback_wave(p, i, &ids) : dc_plan_wave(p, i, &ids), k, ng;
	char id[64];
	dc_jw_obj(w);
	snprintf(id, sizeof(id), "%s-%zu", prefix, i + 1);
	dc_jw_kstr(w, "id", id);
	dc_jw_key(w, "needs");
	dc_jw_arr_inline(w);
	if (i) {
		snprintf(id, sizeof(id), "%s-%zu", prefix, i);
		dc_jw_str(w, id);
	}
	dc_jw_arr_end(w);
	dc_jw_kint(w, "wave", (long long)(rollback ? dc_plan_wave_count(p) - 1 - i : i));
	dc_jw_key(w, "services");
	dc_jw_arr_inline(w);
	for (k = 0; k < n; k++)
		dc_jw_str(w, dc_service_name(cat, ids[k]));
	dc_jw_arr_end(w);
	/* the lockstep groups of this stage: members are consecutive */
	dc_jw_key(w, "lockstep");
	dc_jw_arr(w);
	for (k = 0, ng = 0; k < n; k++) {
		if (group[ids[k]] == UINT32_MAX || (k && group[ids[k - 1]] == group[ids[k]]))
			continue;
		{
			const dc_id *mem;
			size_t nm = dc_plan_lockstep_members(p, group[ids[k]], &mem), m;
			dc_jw_arr_inline(w);
			for (m = 0; m < nm; m++)
				dc_jw_str(w, dc_service_name(cat, mem[m]));
			dc_jw_arr_end(w);
			ng++;
		}
	}
	dc_jw_arr_end(w);
	dc_jw_obj_end(w);
}

static int pipeline(FILE *fp, const dc_plan_report *r, const dc_output_options *opts)
{
	const dc_plan *p = r->plan;
	const dc_catalog *cat = dc_graph_catalog(r->g);
	size_t n = dc_catalog_service_count(cat), nw = dc_plan_wave_count(p), ng = dc_plan_lockstep_count(p), i, k;
	uint32_t *group = malloc((n ? n : 1) * sizeof(uint32_t));
	dc_jsonw w;
	if (!group)
		return DC_ENOMEM;
	for (i = 0; i < n; i++)
		group[i] = UINT32_MAX;
	for (i = 0; i < ng; i++) {
		const dc_id *mem;
		size_t nm = dc_plan_lockstep_members(p, i, &mem);
		for (k = 0; k < nm; k++)
			group[mem[k]] = (uint32_t)i;
	}
	dc_jw_init(&w, fp);
	dc__json_head(&w, "plan");
	dc_jw_kstr(&w, "format", "pipeline");
	dc_jw_kstr(&w, "order", !r->cold_start && r->order == DC_PLAN_CONSUMERS_FIRST ? "consumers-first" :
		   "providers-first");
	dc_jw_kbool(&w, "cold_start", r->cold_start);
	dc_jw_kint(&w, "services", (long long)dc_plan_service_count(p));
	dc_jw_key(&w, "deploy");
	dc_jw_arr(&w);
	for (i = 0; i < nw; i++)
		stage(&w, r, "deploy", i, 0, group);
	dc_jw_arr_end(&w);
	dc_jw_key(&w, "rollback");
	dc_jw_arr(&w);
	for (i = 0; i < nw; i++)
		stage(&w, r, "rollback", i, 1, group);
	dc_jw_arr_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	free(group);
	return 0;
}

int dc__deploy_plan(FILE *fp, const dc_plan_report *r, const dc_output_options *opts)
{
	switch (opts->format) {
	case DC_OUTPUT_ARGOCD: return argocd(fp, r);
	case DC_OUTPUT_FLUX: return flux(fp, r);
	case DC_OUTPUT_HELM: return helm(fp, r);
	case DC_OUTPUT_PIPELINE: return pipeline(fp, r, opts);
	default: return DC_EINVALID;
	}
}
