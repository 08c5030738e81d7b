/*
 * export_json.c - the normalized catalog as native-schema JSON (jansson).
 *
 * Every attribute is written explicitly (defaults resolved), entrypoints
 * included, so loading the output gives the same graph whatever defaults
 * the reader would assume. any_of groups are written as one entry whose
 * members carry their own options.
 */
#include <jansson.h>

#include "export_int.h"

static json_t *jstr(const dc_catalog *cat, uint32_t id)
{
	return json_stringn(cat_str(cat, id), dc_strtab_len(&cat->strs, id));
}

static json_t *list(const dc_catalog *cat, uint32_t off, uint32_t n)
{
	json_t *a = json_array();
	uint32_t i;
	for (i = 0; a && i < n; i++)
		json_array_append_new(a, jstr(cat, cat->strlists.items[off + i]));
	return a;
}

static json_t *dep_obj(const dc_catalog *cat, const dep_t *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "service", jstr(cat, cat->svcs.items[d->to].name));
	json_object_set_new(o, "kind", json_string(d->kind == DC_DEP_SOFT ? "soft" : "hard"));
	json_object_set_new(o, "timeout_ms", json_integer(d->timeout_ms));
	json_object_set_new(o, "retries", json_integer(d->retries));
	json_object_set_new(o, "stage", json_integer(d->stage));
	return o;
}

static json_t *number(double v)
{
	/* integers print without a fraction; others in their shortest exact form */
	char buf[64];
	if (v == (double)(long long)v && v > -1e15 && v < 1e15)
		return json_integer((json_int_t)v);
	dc_fmt_double(buf, sizeof(buf), v);
	return json_real(strtod(buf, NULL));
}

int export_json(const dc_catalog *cat, FILE *fp)
{
	json_t *root = json_object(), *svcs = json_array();
	size_t i;
	int rc;
	if (!root || !svcs) {
		json_decref(root);
		json_decref(svcs);
		return DC_ENOMEM;
	}
	json_object_set_new(root, "depcheck", json_integer(1));
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		json_t *o = json_object(), *deps = json_array();
		uint32_t k;
		json_object_set_new(o, "name", jstr(cat, s->name));
		if (s->flags & SVC_EXTERNAL)
			json_object_set_new(o, "external", json_true());
		if (s->owner)
			json_object_set_new(o, "owner", jstr(cat, s->owner));
		if (s->system)
			json_object_set_new(o, "system", jstr(cat, s->system));
		if (s->description)
			json_object_set_new(o, "description", jstr(cat, s->description));
		if (s->tier)
			json_object_set_new(o, "tier", json_integer(s->tier));
		json_object_set_new(o, "entrypoint", json_boolean(s->flags & SVC_ENTRY));
		json_object_set_new(o, "replicas", json_integer(s->replicas));
		if (s->nzones)
			json_object_set_new(o, "zones", list(cat, s->zones, s->nzones));
		json_object_set_new(o, "availability", number(s->availability));
		if (s->slo >= 0)
			json_object_set_new(o, "slo", number(s->slo));
		json_object_set_new(o, "latency_ms", number(s->latency_ms));
		if (s->ntags)
			json_object_set_new(o, "tags", list(cat, s->tags, s->ntags));
		for (k = 0; k < s->ndeps; k++) {
			const dep_t *d = &cat->deps.items[s->dep_first + k];
			if (!d->group) {
				json_array_append_new(deps, dep_obj(cat, d));
			} else {
				uint32_t j;
				json_t *members, *g;
				int first = 1;
				for (j = 0; j < k; j++)
					if (cat->deps.items[s->dep_first + j].group == d->group)
						first = 0;
				if (!first)
					continue;
				members = json_array();
				for (j = k; j < s->ndeps; j++) {
					const dep_t *m = &cat->deps.items[s->dep_first + j];
					if (m->group == d->group)
						json_array_append_new(members, dep_obj(cat, m));
				}
				g = json_object();
				json_object_set_new(g, "any_of", members);
				json_array_append_new(deps, g);
			}
		}
		if (json_array_size(deps))
			json_object_set_new(o, "depends_on", deps);
		else
			json_decref(deps);
		json_array_append_new(svcs, o);
	}
	json_object_set_new(root, "services", svcs);
	rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (rc == 0 && fputc('\n', fp) == EOF)
		rc = -1;
	return rc ? DC_EIO : 0;
}
