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
 * of the size.
 */
#include <depcheck/jsonw.h>

#include "export_int.h"

static void list(dc_jsonw *w, const dc_catalog *cat, uint32_t off, uint32_t n)
{
	uint32_t i;
	dc_jw_arr_inline(w);
	for (i = 0; i < n; i++)
		dc_jw_str(w, cat_str(cat, cat->strlists.items[off + i]));
	dc_jw_arr_end(w);
}

static void dep_obj(dc_jsonw *w, const dc_catalog *cat, const dep_t *d)
{
	dc_jw_obj_inline(w);
	dc_jw_kstr(w, "service", cat_str(cat, cat->svcs.items[d->to].name));
	dc_jw_kstr(w, "kind", d->kind == DC_DEP_SOFT ? "soft" : "hard");
	dc_jw_kint(w, "timeout_ms", d->timeout_ms);
	dc_jw_kint(w, "retries", d->retries);
	dc_jw_kint(w, "stage", d->stage);
	if (d->flags & DEP_INFERRED) /* where a loader found the edge (Kubernetes env) */
		dc_jw_kstr(w, "inferred_from", cat_str(cat, d->origin));
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

int export_json(const dc_catalog *cat, FILE *fp)
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
		dc_jw_kstr(&w, "name", cat_str(cat, s->name));
		if (s->flags & SVC_EXTERNAL)
			dc_jw_kbool(&w, "external", 1);
		if (s->owner)
			dc_jw_kstr(&w, "owner", cat_str(cat, s->owner));
		if (s->system)
			dc_jw_kstr(&w, "system", cat_str(cat, s->system));
		if (s->description)
			dc_jw_kstr(&w, "description", cat_str(cat, s->description));
		if (s->url)
			dc_jw_kstr(&w, "url", cat_str(cat, s->url));
		if (s->tier)
			dc_jw_kint(&w, "tier", s->tier);
		dc_jw_kbool(&w, "entrypoint", (s->flags & SVC_ENTRY) != 0);
		dc_jw_kint(&w, "replicas", s->replicas);
		if (s->nzones) {
			dc_jw_key(&w, "zones");
			list(&w, cat, s->zones, s->nzones);
		}
		dc_jw_knum(&w, "availability", s->availability);
		if (s->slo >= 0)
			dc_jw_knum(&w, "slo", s->slo);
		dc_jw_knum(&w, "latency_ms", s->latency_ms);
		if (s->ntags) {
			dc_jw_key(&w, "tags");
			list(&w, cat, s->tags, s->ntags);
		}
		if (s->ndeps) {
			dc_jw_key(&w, "depends_on");
			dc_jw_arr(&w);
		}
		for (k = 0; k < s->ndeps; k++) {
			const dep_t *d = &cat->deps.items[s->dep_first + k];
			if (!d->group) {
				dep_obj(&w, cat, d);
				continue;
			}
			if (!first_of_group(cat, s, k))
				continue;
			dc_jw_obj(&w);
			dc_jw_key(&w, "any_of");
			dc_jw_arr(&w);
			for (j = k; j < s->ndeps; j++)
				if (cat->deps.items[s->dep_first + j].group == d->group)
					dep_obj(&w, cat, &cat->deps.items[s->dep_first + j]);
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
