/*
 * export_json.c - the normalized catalog as native-schema JSON.
 *
 * Streamed through dc_jsonw rather than built as a jansson tree: a
 * 100,000-service catalog would otherwise need a hash table per dependency
 * (seconds and most of a gigabyte) just to be printed. Every attribute is
 * written explicitly (defaults resolved), entrypoints included, so loading
 * the output gives the same graph whatever defaults the reader assumes.
 * any_of groups are written as one entry whose members carry their own
 * options. Numbers use the shortest text that reads back exactly. Lists and
 * dependencies sit on one line each: the file stays readable and a third
 * of the size. The service's own keys come from dc__json_service_keys
 * (output_json.c), the one place a service is written as JSON; the
 * dependencies, in the native nested form, are written here.
 */
#include "jsonw.h"

#include <depcheck/reconcile.h>

#include "export_int.h"
#include "output_int.h"

static void dep_obj(dc_jsonw *w, const dc_catalog *cat, const dep_t *d, int provenance)
{
	dc_jw_obj_inline(w);
	dc_jw_kstr(w, "service", cat_str(cat, cat->svcs.items[d->to].name));
	dc_jw_kstr(w, "kind", d->kind == DC_DEP_SOFT ? "soft" : "hard");
	dc_jw_kint(w, "timeout_ms", d->timeout_ms);
	dc_jw_kint(w, "retries", d->retries);
	dc_jw_kint(w, "stage", d->stage);
	if (d->flags & DEP_STARTUP)
		dc_jw_kbool(w, "startup", 1);
	dc__json_dep_settings(w, cat, (size_t)(d - cat->deps.items), 0);
	if (d->flags & DEP_INFERRED) /* where a loader found the edge (Kubernetes env) */
		dc_jw_kstr(w, "inferred_from", cat_str(cat, d->origin));
	/* what was observed on the call (--observed): loads back as it was */
	dc__json_dep_observed(w, cat, (size_t)(d - cat->deps.items));
	if (provenance)
		dc__json_dep_sources_key(w, cat, (size_t)(d - cat->deps.items), "x-sources");
	dc_jw_obj_end(w);
}

/* Is d the first member of its any_of group in s's list? Members of a group
 * are declared together, so look back only while the group continues. */
static int first_of_group(const dc_catalog *cat, const svc_t *s, uint32_t k)
{
	uint32_t j;
	for (j = 0; j < k; j++)
		if (cat->deps.items[s->dep_first + j].group == cat->deps.items[s->dep_first + k].group)
			return 0;
	return 1;
}

int export_json(const dc_catalog *cat, FILE *fp, int provenance)
{
	dc_jsonw w;
	size_t i;
	dc_jw_init(&w, fp);
	dc_jw_obj(&w);
	dc_jw_kint(&w, "depcheck", 1);
	dc_jw_key(&w, "services");
	dc_jw_arr(&w);
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t k, j;
		dc_jw_obj(&w);
		/* the attributes as every JSON output writes them, in the native schema */
		dc__json_service_keys(&w, cat, (dc_id)i, DC__SVC_NATIVE);
		if (s->traffic_rps >= 0)
			dc_jw_knum(&w, "traffic_rps", s->traffic_rps);
		if (s->capacity_rps >= 0)
			dc_jw_knum(&w, "capacity_rps", s->capacity_rps);
		if (s->max_concurrency)
			dc_jw_knum(&w, "max_concurrency", s->max_concurrency);
		if (provenance)
			dc__json_service_sources(&w, cat, (dc_id)i, "x-sources");
		if (s->ndeps) {
			dc_jw_key(&w, "depends_on");
			dc_jw_arr(&w);
		}
		for (k = 0; k < s->ndeps; k++) {
			const dep_t *d = &cat->deps.items[s->dep_first + k];
			if (!d->group) {
				dep_obj(&w, cat, d, provenance);
				continue;
			}
			if (!first_of_group(cat, s, k))
				continue;
			dc_jw_obj(&w);
			dc_jw_key(&w, "any_of");
			dc_jw_arr(&w);
			for (j = k; j < s->ndeps; j++)
				if (cat->deps.items[s->dep_first + j].group == d->group)
					dep_obj(&w, cat, &cat->deps.items[s->dep_first + j], provenance);
			dc_jw_arr_end(&w);
			dc_jw_obj_end(&w);
		}
		if (s->ndeps)
			dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return ferror(fp) ? DC_EIO : 0;
}
