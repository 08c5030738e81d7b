/*
 * deploy.c - reading the deployment tools' objects kept in the catalog
 * (deploy_int.h; collected by load_deploy.c). An object stands for the
 * service its `svc` text names (a workload's ref, or an Application's,
 * Kustomization's or HelmRelease's metadata.name), looked up in the
 * finalized catalog like any name (dc_catalog_find): an ambiguous or
 * unknown name ships no service.
 */
#include "deploy_int.h"
#include "catalog_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t dc__deploy_count(const dc_catalog *cat) { return cat->deploy_objs.len; }

static dc_location loc_of(const dc_catalog *cat, dc_loc_int l)
{
	dc_location r;
	r.file = cat_file_name(cat, l.file);
	r.line = l.line;
	r.column = l.col;
	return r;
}

void dc__deploy_get(const dc_catalog *cat, size_t i, dc__deploy_obj *o)
{
	const deploy_obj_t *d = &cat->deploy_objs.items[i];
	memset(o, 0, sizeof(*o));
	o->type = d->type;
	if (dc_catalog_find(cat, cat_str(cat, d->svc), &o->svc))
		o->svc = DC_NO_ID;
	o->api = cat_str(cat, d->api);
	o->kind = cat_str(cat, d->kind);
	o->name = cat_str(cat, d->name);
	o->ns = d->ns ? cat_str(cat, d->ns) : NULL;
	o->has_wave = d->has_wave;
	o->wave = d->wave;
	o->loc = loc_of(cat, d->loc);
	o->wave_loc = loc_of(cat, d->wave_loc);
	o->ndeps = d->ndeps;
}

void dc__deploy_dep(const dc_catalog *cat, size_t i, size_t k, const char **ns, const char **name,
		    dc_location *loc)
{
	const deploy_dep_t *d = &cat->deploy_deps.items[cat->deploy_objs.items[i].dep_first + k];
	*ns = d->ns ? cat_str(cat, d->ns) : NULL;
	*name = cat_str(cat, d->name);
	*loc = loc_of(cat, d->loc);
}

size_t *dc__deploy_index(const dc_catalog *cat, const int *types, size_t ntypes)
{
	size_t n = dc_catalog_service_count(cat), i, t;
	size_t *ix = malloc((n ? n : 1) * sizeof(size_t));
	if (!ix)
		return NULL;
	for (i = 0; i < n; i++)
		ix[i] = SIZE_MAX;
	for (t = ntypes; t-- > 0;) /* the first type listed wins: written last */
		for (i = cat->deploy_objs.len; i-- > 0;) { /* the first object wins */
			dc__deploy_obj o;
			if (cat->deploy_objs.items[i].type != types[t])
				continue;
			dc__deploy_get(cat, i, &o);
			if (o.svc != DC_NO_ID)
				ix[o.svc] = i;
		}
	return ix;
}

static int cmp_key(const dc__deploy_key *a, int type, const char *ns, const char *name)
{
	int r;
	if (a->type != type)
		return a->type < type ? -1 : 1;
	if ((r = strcmp(a->ns, ns ? ns : "")))
		return r;
	return strcmp(a->name, name);
}

static int cmp_obj(const void *pa, const void *pb)
{
	const dc__deploy_key *a = pa, *b = pb;
	int r = cmp_key(a, b->type, b->ns, b->name);
	if (r)
		return r;
	return a->i < b->i ? -1 : 1;
}

int dc__deploy_sort(dc__deploy_sorted *s, const dc_catalog *cat)
{
	size_t i;
	s->n = cat->deploy_objs.len;
	s->keys = malloc((s->n ? s->n : 1) * sizeof(dc__deploy_key));
	if (!s->keys)
		return DC_ENOMEM;
	for (i = 0; i < s->n; i++) {
		const deploy_obj_t *d = &cat->deploy_objs.items[i];
		s->keys[i].type = d->type;
		s->keys[i].ns = d->ns ? cat_str(cat, d->ns) : "";
		s->keys[i].name = cat_str(cat, d->name);
		s->keys[i].i = i;
	}
	qsort(s->keys, s->n, sizeof(dc__deploy_key), cmp_obj);
	return 0;
}

void dc__deploy_sorted_free(dc__deploy_sorted *s)
{
	free(s->keys);
	s->keys = NULL;
}

size_t dc__deploy_lookup(const dc__deploy_sorted *s, int type, const char *ns, const char *name)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key(&s->keys[mid], type, ns, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && !cmp_key(&s->keys[lo], type, ns, name))
		return s->keys[lo].i;
	return SIZE_MAX;
}
