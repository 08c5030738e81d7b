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

/* Significant digits of a number's shortest text ("0.9995" -> 4). */
static int sig_digits(const char *s)
{
	int n = 0, lead = 1, trail = 0;
	for (; *s && *s != 'e' && *s != 'E'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
		trail = *s == '0' ? trail + 1 : 0;
	}
	return n - trail;
}

/* jansson prints every real with one precision (%.Ng). N = 15, or more when
 * a value of the catalog needs more digits: a double whose shortest exact form has at
 * most 15 digits prints as that form under any N <= 15 (%g drops the
 * zeros), so typical catalogs print "0.9995", not "0.99950000000000006",
 * and a value that needs 17 digits still round-trips exactly. */
static json_t *number(double v, int *real_precision)
{
	/* integers print without a fraction; others in their shortest exact form */
	char buf[64];
	int d;
	if (v == (double)(long long)v && v > -1e15 && v < 1e15)
		return json_integer((json_int_t)v);
	dc_fmt_double(buf, sizeof(buf), v);
	d = sig_digits(buf);
	if (d > *real_precision)
		*real_precision = d;
	return json_real(strtod(buf, NULL));
}

int export_json(const dc_catalog *cat, FILE *fp)
{
	json_t *root = json_object(), *svcs = json_array();
	size_t i;
	int rc, prec = 15; /* raised to 16 or 17 by a value that needs it */
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
		json_object_set_new(o, "availability", number(s->availability, &prec));
		if (s->slo >= 0)
			json_object_set_new(o, "slo", number(s->slo, &prec));
		json_object_set_new(o, "latency_ms", number(s->latency_ms, &prec));
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
	rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(prec));
	json_decref(root);
	if (rc == 0 && fputc('\n', fp) == EOF)
		rc = -1;
	return rc ? DC_EIO : 0;
}
