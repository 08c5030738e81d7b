/*
 * catalog_merge.c - one service, many sources: the first step of
 * dc_catalog_finalize() (docs/inputs.md, "One service, many sources").
 *
 * Loaders add one record per definition. Records of different sources that
 * name the same service become one service here:
 *   - the same ref written by two formats (a native `cart` and a Kubernetes
 *     Deployment `cart`): cat_add_service chains them (svc_t.same_ref);
 *   - a Backstage Component or Resource and a service of another format
 *     whose name is the entity's name (case-insensitively, as Backstage
 *     compares names), or, when the entity has one, its
 *     `backstage.io/kubernetes-id` annotation (then only that);
 *   - an overlay entry (native `overlay:` list) and the service its name
 *     names, in any form a dependency may use.
 * Each group is merged into the record of its first definition: every
 * attribute takes the value of the highest-precedence source that wrote it
 * (overlay > SLO inputs > native/DOT > Backstage > Compose/Kubernetes; tags are the
 * union), values two sources disagree on are warnings naming both places
 * (unless an overlay decides), and each definition is kept as a compact
 * provenance record (svc_src_t: file id, line, column, attribute mask).
 * Dependencies move to the merged service; group_deps (catalog.c) merges an
 * edge that several sources declare.
 *
 * Cost: linear in services and dependencies plus one sort of the records of
 * merged services; nothing is done (beyond one pass over the dependencies)
 * when no service has a second source.
 */
#include "catalog_build.h"

#include <stdio.h>

int cat_svc_prec(const svc_t *s)
{
	if (s->flags & SVC_SLO)
		return PREC_SLO;
	if (s->flags & SVC_OVERLAY)
		return PREC_OVERLAY;
	switch (s->format) {
	case DC_FORMAT_NATIVE:
	case DC_FORMAT_DOT:
		return PREC_NATIVE;
	case DC_FORMAT_BACKSTAGE:
		return PREC_BACKSTAGE;
	default:
		return PREC_DEPLOY;
	}
}

int cat_add_k8s_id(dc_catalog *cat, dc_id svc, const char *id, size_t len)
{
	uint32_t v = cat_intern_lower(cat, id, len);
	if (!v || dc_vec_push(&cat->k8s_ids, svc) || dc_vec_push(&cat->k8s_ids, v)) {
		cat->oom = 1;
		return DC_ENOMEM;
	}
	return 0;
}

static uint32_t find(uint32_t *up, uint32_t i)
{
	while (up[i] != i) {
		up[i] = up[up[i]];
		i = up[i];
	}
	return i;
}

/* the earlier record stays the root: the merged service keeps its place */
static void unite(uint32_t *up, uint32_t a, uint32_t b)
{
	a = find(up, a);
	b = find(up, b);
	if (a < b)
		up[b] = a;
	else if (b < a)
		up[a] = b;
}

#define REMOVED UINT32_MAX
#define AMBIG UINT32_MAX

static const char *file_of(const dc_catalog *cat, dc_loc_int l)
{
	const char *f = cat_file_name(cat, l.file);
	return f ? f : "<input>";
}

static const char *src_name(const svc_t *s)
{
	if (s->flags & SVC_SLO)
		return "slo";
	return (s->flags & SVC_OVERLAY) ? "overlay" : dc_input_format_name((dc_input_format)s->format);
}

/* index[key] = id + 1, or AMBIG for a key two ids share */
static int index_put(u32_vec *v, uint32_t key, uint32_t id)
{
	if (v->len <= key) {
		size_t n = (size_t)key + 1;
		if (dc_vec_reserve(v, n - v->len))
			return DC_ENOMEM;
		memset(v->items + v->len, 0, (n - v->len) * sizeof(uint32_t));
		v->len = n;
	}
	if (!v->items[key])
		v->items[key] = id + 1;
	else if (v->items[key] != id + 1)
		v->items[key] = AMBIG;
	return 0;
}

static uint32_t index_get(const u32_vec *v, uint32_t key)
{
	return key && key < v->len ? v->items[key] : 0;
}

/* Backstage entities and the services of other formats they describe. */
static int match_backstage(dc_catalog *cat, dc_diags *diags, uint32_t *up)
{
	u32_vec names = { 0 }, ids = { 0 };
	uint8_t *has_id = calloc(cat->svcs.len + 1, 1);
	size_t i;
	int rc = 0;
	if (!has_id)
		return DC_ENOMEM;
	for (i = 0; i + 1 < cat->k8s_ids.len && !rc; i += 2) {
		has_id[cat->k8s_ids.items[i]] = 1;
		rc = index_put(&ids, cat->k8s_ids.items[i + 1], cat->k8s_ids.items[i]);
	}
	for (i = 0; i < cat->svcs.len && !rc; i++) {
		const svc_t *s = &cat->svcs.items[i];
		const char *kind = cat_str(cat, s->bs_kind);
		uint32_t key;
		if (!s->bs_kind || has_id[i] || (s->flags & SVC_OVERLAY) ||
		    (strcmp(kind, "component") && strcmp(kind, "resource")))
			continue;
		key = cat_intern_lower(cat, cat_str(cat, s->bs_name), dc_strtab_len(&cat->strs, s->bs_name));
		rc = key ? index_put(&names, key, (uint32_t)i) : DC_ENOMEM;
	}
	for (i = 0; i < cat->svcs.len && !rc; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t key, e;
		int by_id = 1;
		if (s->bs_kind || (s->flags & SVC_OVERLAY) || s->format == DC_FORMAT_BACKSTAGE ||
		    s->format == DC_FORMAT_AUTO)
			continue;
		key = cat_lookup_lower(cat, cat_str(cat, s->ref), dc_strtab_len(&cat->strs, s->ref));
		e = index_get(&ids, key);
		if (!e) {
			e = index_get(&names, key);
			by_id = 0;
		}
		if (!e)
			continue;
		if (e == AMBIG) {
			cat_diag(cat, diags, DC_SEV_WARNING, s->loc,
				 "'%s' (%s) matches several Backstage entities by %s; it is not merged with "
				 "any (give one a backstage.io/kubernetes-id annotation, or the entities "
				 "distinct names)", cat_str(cat, s->ref), src_name(s),
				 by_id ? "backstage.io/kubernetes-id" : "name");
			continue;
		}
		unite(up, (uint32_t)i, e - 1);
	}
	dc_vec_free(&names);
	dc_vec_free(&ids);
	free(has_id);
	return rc;
}

/* Attach every overlay entry to the service it names (or drop it with an
 * error). The forms registered here (under each group's root) are cleared
 * again: finalize registers them under the final ids. */
static int attach_overlays(dc_catalog *cat, dc_diags *diags, uint32_t *up)
{
	size_t i;
	int rc;
	for (i = 0; i < cat->svcs.len; i++)
		if (!(cat->svcs.items[i].flags & SVC_OVERLAY) &&
		    (rc = cat_register_forms_as(cat, &cat->svcs.items[i], find(up, (uint32_t)i))))
			return rc;
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t r = DC_NO_ID;
		if (!(s->flags & SVC_OVERLAY))
			continue;
		if (s->ref < cat->by_ref.len && cat->by_ref.items[s->ref])
			r = find(up, cat->by_ref.items[s->ref] - 1);
		else
			r = cat_form_lookup(cat, cat_str(cat, s->ref), dc_strtab_len(&cat->strs, s->ref));
		if (r == FORM_AMBIGUOUS) {
			cat_diag(cat, diags, DC_SEV_ERROR, s->loc,
				 "overlay entry '%s' names several services; write it in full "
				 "(kind:namespace/name); the entry is ignored", cat_str(cat, s->ref));
			up[i] = REMOVED;
		} else if (r == DC_NO_ID && (s->flags & SVC_SLO)) {
			cat_diag(cat, diags, DC_SEV_WARNING, s->loc,
				 "SLO input names '%s', which no other input defines (an SLO refines a "
				 "service, it defines none); it is ignored", cat_str(cat, s->ref));
			up[i] = REMOVED;
		} else if (r == DC_NO_ID) {
			cat_diag(cat, diags, DC_SEV_ERROR, s->loc,
				 "overlay entry '%s' names no service defined in the input (an overlay "
				 "refines services, it defines none); the entry is ignored",
				 cat_str(cat, s->ref));
			up[i] = REMOVED;
		} else {
			up[i] = r;
		}
	}
	if (cat->forms.len)
		memset(cat->forms.items, 0, cat->forms.len * sizeof(uint32_t));
	return 0;
}

typedef struct {
	uint32_t root, id;
	uint64_t key;    /* higher first: precedence, then the tie-break */
} member_t;

static int member_cmp(const void *x, const void *y)
{
	const member_t *a = x, *b = y;
	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return 0;
}

/* Does attribute `a` have the same value in both records? */
static int same_value(const dc_catalog *cat, const svc_t *x, const svc_t *y, int a)
{
	switch (a) {
	case DC_ATTR_OWNER: return x->owner == y->owner;
	case DC_ATTR_SYSTEM: return x->system == y->system;
	case DC_ATTR_DESCRIPTION: return x->description == y->description;
	case DC_ATTR_URL: return x->url == y->url;
	case DC_ATTR_TIER: return x->tier == y->tier;
	case DC_ATTR_ENTRYPOINT: return (x->flags & SVC_ENTRY) == (y->flags & SVC_ENTRY);
	case DC_ATTR_REPLICAS: return x->replicas == y->replicas;
	case DC_ATTR_AVAILABILITY: return x->availability == y->availability;
	case DC_ATTR_SLO: return x->slo == y->slo;
	case DC_ATTR_LATENCY: return x->latency_ms == y->latency_ms;
	case DC_ATTR_TRAFFIC: return x->traffic_rps == y->traffic_rps;
	case DC_ATTR_CAPACITY: return x->capacity_rps == y->capacity_rps;
	case DC_ATTR_CONCURRENCY: return x->max_concurrency == y->max_concurrency;
	case DC_ATTR_ZONES:
		return x->nzones == y->nzones &&
		       !memcmp(cat->strlists.items + x->zones, cat->strlists.items + y->zones,
			       x->nzones * sizeof(uint32_t));
	default: return 1; /* tags are a union, external an AND */
	}
}

/* The value of attribute a, for a warning. */
static void value_text(const dc_catalog *cat, const svc_t *s, int a, char *buf, size_t size)
{
	switch (a) {
	case DC_ATTR_OWNER: snprintf(buf, size, "'%.100s'", cat_str(cat, s->owner)); break;
	case DC_ATTR_SYSTEM: snprintf(buf, size, "'%.100s'", cat_str(cat, s->system)); break;
	case DC_ATTR_DESCRIPTION: snprintf(buf, size, "'%.60s'", cat_str(cat, s->description)); break;
	case DC_ATTR_URL: snprintf(buf, size, "'%.100s'", cat_str(cat, s->url)); break;
	case DC_ATTR_TIER: snprintf(buf, size, "%u", (unsigned)s->tier); break;
	case DC_ATTR_ENTRYPOINT: snprintf(buf, size, "%s", (s->flags & SVC_ENTRY) ? "true" : "false"); break;
	case DC_ATTR_REPLICAS: snprintf(buf, size, "%u", s->replicas); break;
	case DC_ATTR_AVAILABILITY: snprintf(buf, size, "%g", s->availability); break;
	case DC_ATTR_SLO: snprintf(buf, size, "%g", s->slo); break;
	case DC_ATTR_LATENCY: snprintf(buf, size, "%g", s->latency_ms); break;
	case DC_ATTR_TRAFFIC: snprintf(buf, size, "%g", s->traffic_rps); break;
	case DC_ATTR_CAPACITY: snprintf(buf, size, "%g", s->capacity_rps); break;
	case DC_ATTR_CONCURRENCY: snprintf(buf, size, "%u", s->max_concurrency); break;
	case DC_ATTR_ZONES: {
		size_t used = 0;
		uint32_t i;
		buf[0] = '\0';
		for (i = 0; i < s->nzones && used + 2 < size; i++) {
			int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 cat_str(cat, cat->strlists.items[s->zones + i]));
			used = w < 0 ? size : used + (size_t)w;
		}
		break;
	}
	default: buf[0] = '\0';
	}
}

/* Copy attribute a from `src` into `dst`. */
static void take_attr(svc_t *dst, const svc_t *src, int a)
{
	switch (a) {
	case DC_ATTR_OWNER: dst->owner = src->owner; break;
	case DC_ATTR_SYSTEM: dst->system = src->system; break;
	case DC_ATTR_DESCRIPTION: dst->description = src->description; break;
	case DC_ATTR_URL: dst->url = src->url; break;
	case DC_ATTR_TIER: dst->tier = src->tier; dst->explicit_attrs |= SVC_EX_TIER; break;
	case DC_ATTR_ENTRYPOINT:
		dst->flags = (uint8_t)((dst->flags & ~(SVC_ENTRY | SVC_ENTRY_EXPLICIT)) |
				       (src->flags & (SVC_ENTRY | SVC_ENTRY_EXPLICIT)));
		break;
	case DC_ATTR_REPLICAS: dst->replicas = src->replicas; dst->explicit_attrs |= SVC_EX_REPLICAS; break;
	case DC_ATTR_ZONES: dst->zones = src->zones; dst->nzones = src->nzones; break;
	case DC_ATTR_AVAILABILITY:
		dst->availability = src->availability;
		dst->explicit_attrs |= SVC_EX_AVAIL;
		dst->flags = (uint8_t)((dst->flags & ~SVC_MEASURED_AVAIL) | (src->flags & SVC_MEASURED_AVAIL));
		break;
	case DC_ATTR_SLO: dst->slo = src->slo; dst->explicit_attrs |= SVC_EX_SLO; break;
	case DC_ATTR_LATENCY: dst->latency_ms = src->latency_ms; dst->explicit_attrs |= SVC_EX_LATENCY; break;
	case DC_ATTR_TRAFFIC: dst->traffic_rps = src->traffic_rps; dst->explicit_attrs |= SVC_EX_TRAFFIC; break;
	case DC_ATTR_CAPACITY: dst->capacity_rps = src->capacity_rps; dst->explicit_attrs |= SVC_EX_CAPACITY; break;
	case DC_ATTR_CONCURRENCY:
		dst->max_concurrency = src->max_concurrency;
		dst->explicit_attrs |= SVC_EX_CONCURRENCY;
		break;
	default: break;
	}
}

/* Merge the records m[0..k) (highest precedence first) into one, written
 * over the group's root record. */
static int merge_group(dc_catalog *cat, dc_diags *diags, const member_t *m, size_t k)
{
	svc_t merged, *root = &cat->svcs.items[m[0].root];
	const svc_t *primary = NULL, *ident = NULL;
	unsigned masks[64], *mask = k <= 64 ? masks : malloc(k * sizeof(unsigned));
	size_t i, j;
	int a, all_external = 1, rc = 0;
	u32_vec tags = { 0 };
	if (!mask)
		return DC_ENOMEM;
	for (i = 0; i < k; i++) {
		const svc_t *s = &cat->svcs.items[m[i].id];
		mask[i] = cat_svc_attrs(s);
		if (s->flags & SVC_OVERLAY)
			continue;
		if (!primary)
			primary = s;
		if (s->bs_kind && (!ident || m[i].id < (uint32_t)(ident - cat->svcs.items)))
			ident = s;
		if (!(s->flags & SVC_DECLARED_EXTERNAL))
			all_external = 0;
	}
	if (!primary)
		primary = root; /* cannot happen: a group has a non-overlay root */
	if (!ident)
		ident = root;
	merged = *primary;
	merged.ref = ident->ref;
	merged.name = ident->name;
	merged.bs_kind = ident->bs_kind;
	merged.bs_ns = ident->bs_ns;
	merged.bs_name = ident->bs_name;
	merged.owner = merged.system = merged.description = merged.url = 0;
	merged.nzones = merged.zones = 0;
	merged.explicit_attrs = 0;
	merged.flags &= (uint8_t)~(SVC_ENTRY | SVC_ENTRY_EXPLICIT | SVC_EXTERNAL | SVC_DECLARED_EXTERNAL |
				   SVC_MEASURED_AVAIL);
	merged.same_ref = 0;
	for (a = 0; a < DC_ATTR_COUNT; a++) {
		size_t w = k, first = k;
		if (a == DC_ATTR_TAGS || a == DC_ATTR_EXTERNAL)
			continue;
		for (i = 0; i < k && w == k; i++)
			if (mask[i] & (1u << a))
				w = i;
		if (w == k)
			continue;
		take_attr(&merged, &cat->svcs.items[m[w].id], a);
		if (cat->svcs.items[m[w].id].flags & SVC_OVERLAY)
			continue; /* an overlay decides: no conflict */
		for (i = w; i < k; i++) {
			const svc_t *s = &cat->svcs.items[m[i].id], *f;
			char v1[160], v2[160];
			if (!(mask[i] & (1u << a)) || (s->flags & SVC_OVERLAY))
				continue;
			if (first == k) {
				first = i;
				continue;
			}
			f = &cat->svcs.items[m[first].id];
			if (same_value(cat, f, s, a))
				continue;
			value_text(cat, f, a, v1, sizeof(v1));
			value_text(cat, s, a, v2, sizeof(v2));
			cat_diag(cat, diags, DC_SEV_WARNING, s->loc,
				 "conflicting %s of '%s': %s here (%s) but %s at %s:%u:%u (%s), which is used "
				 "(precedence: overlay > native/DOT > Backstage > Compose/Kubernetes)",
				 dc_attr_name((dc_attr)a), cat_str(cat, s->ref), v2, src_name(s), v1,
				 file_of(cat, f->loc), f->loc.line, f->loc.col, src_name(f));
		}
	}
	/* tags: the union, in precedence order */
	for (i = 0; i < k && !rc; i++) {
		const svc_t *s = &cat->svcs.items[m[i].id];
		uint32_t t;
		for (t = 0; t < s->ntags && !rc; t++) {
			uint32_t tag = cat->strlists.items[s->tags + t];
			for (j = 0; j < tags.len && tags.items[j] != tag; j++)
				;
			if (j == tags.len && dc_vec_push(&tags, tag))
				rc = DC_ENOMEM;
		}
	}
	if (!rc && tags.len && cat_set_list(cat, &merged.tags, &merged.ntags, tags.items, tags.len))
		rc = DC_ENOMEM;
	if (!tags.len)
		merged.tags = merged.ntags = 0;
	dc_vec_free(&tags);
	/* external: when every definition says so, or an overlay does */
	for (i = 0; i < k; i++)
		if ((cat->svcs.items[m[i].id].flags & SVC_OVERLAY) && (mask[i] & (1u << DC_ATTR_EXTERNAL)))
			all_external = 1;
	if (all_external)
		merged.flags |= SVC_EXTERNAL | SVC_DECLARED_EXTERNAL;
	/* provenance: one record per definition, in precedence order */
	for (i = 0; i < k && !rc; i++) {
		const svc_t *s = &cat->svcs.items[m[i].id];
		svc_src_t r;
		r.svc = m[0].root;
		r.loc = s->loc;
		r.attrs = (uint16_t)mask[i];
		r.format = s->format;
		r.prec = (uint8_t)cat_svc_prec(s);
		if (dc_vec_push(&cat->svc_srcs, r))
			rc = DC_ENOMEM;
	}
	*root = merged;
	if (mask != masks)
		free(mask);
	return rc;
}

/* Two entries of one overlay file for the same service: the later one is
 * an error and is dropped. m is sorted, so an overlay's entries for one
 * service are adjacent. */
static size_t drop_overlay_dups(dc_catalog *cat, dc_diags *diags, member_t *m, size_t k, uint32_t *up)
{
	size_t i, w = 0;
	for (i = 0; i < k; i++) {
		const svc_t *s = &cat->svcs.items[m[i].id];
		if (w && (s->flags & SVC_OVERLAY)) {
			const svc_t *p = &cat->svcs.items[m[w - 1].id];
			if ((p->flags & SVC_OVERLAY) && p->loc.file == s->loc.file) {
				/* keys put the later entry first: report the later one */
				cat_diag(cat, diags, DC_SEV_ERROR, p->loc,
					 "overlay refines '%s' twice: here and at %s:%u:%u (this one is ignored)",
					 cat_str(cat, p->ref), file_of(cat, s->loc), s->loc.line,
					 s->loc.col);
				up[m[w - 1].id] = REMOVED;
				m[w - 1] = m[i];
				continue;
			}
		}
		m[w++] = m[i];
	}
	return w;
}

/* Set each dependency's source and precedence (dep_t.prec), from the
 * record that declares it, before records are merged. */
static void dep_sources(dc_catalog *cat)
{
	size_t i;
	for (i = 0; i < cat->deps.len; i++) {
		dep_t *d = &cat->deps.items[i];
		const svc_t *s;
		int prec, src;
		if (d->from >= cat->svcs.len)
			continue;
		s = &cat->svcs.items[d->from];
		prec = (d->flags & DEP_INFERRED) ? PREC_INFERRED : cat_svc_prec(s);
		src = (s->flags & SVC_OVERLAY) ? 7 : s->format;
		d->prec = (uint8_t)(prec | src << 3);
	}
}

/* Renumber: the roots keep their order; everything that pointed at a
 * merged record points at its service; dropped overlay entries and their
 * dependencies go. */
static int compact(dc_catalog *cat, uint32_t *up)
{
	size_t n = cat->svcs.len, i, w = 0;
	uint32_t *newid = malloc((n ? n : 1) * sizeof(uint32_t));
	DC_VEC(svc_t) absorbed = { 0 };
	int rc = 0;
	if (!newid)
		return DC_ENOMEM;
	for (i = 0; i < n; i++)
		newid[i] = up[i] == (uint32_t)i ? (uint32_t)w++ : DC_NO_ID;
	for (i = 0; i < n && !rc; i++) {
		if (up[i] == (uint32_t)i || up[i] == REMOVED)
			continue;
		newid[i] = newid[find(up, (uint32_t)i)];
		/* its forms (a Kubernetes name, a Backstage ref) name the service too */
		if (!(cat->svcs.items[i].flags & SVC_OVERLAY) && dc_vec_push(&absorbed, cat->svcs.items[i]))
			rc = DC_ENOMEM;
		else if (!(cat->svcs.items[i].flags & SVC_OVERLAY))
			absorbed.items[absorbed.len - 1].dep_first = newid[i];
	}
	for (i = 0; i < n && !rc; i++)
		if (up[i] == (uint32_t)i)
			cat->svcs.items[newid[i]] = cat->svcs.items[i];
	cat->svcs.len = w;
	if (!rc) {
		for (i = 0, w = 0; i < cat->deps.len; i++) {
			dep_t d = cat->deps.items[i];
			if (d.from < n && newid[d.from] == DC_NO_ID)
				continue;
			if (d.from < n)
				d.from = newid[d.from];
			if (d.to < n)
				d.to = newid[d.to];
			cat->deps.items[w++] = d;
		}
		cat->deps.len = w;
		for (i = 0; i < cat->apis.len; i++)
			if (cat->apis.items[i].svc < n)
				cat->apis.items[i].svc = newid[cat->apis.items[i].svc];
		for (i = 0; i < cat->svc_srcs.len; i++)
			cat->svc_srcs.items[i].svc = newid[cat->svc_srcs.items[i].svc];
		for (i = 0; i < cat->by_ref.len; i++)
			if (cat->by_ref.items[i]) {
				uint32_t t = newid[cat->by_ref.items[i] - 1];
				cat->by_ref.items[i] = t == DC_NO_ID ? 0 : t + 1;
			}
		for (i = 0; i < absorbed.len && !rc; i++)
			rc = cat_register_forms_as(cat, &absorbed.items[i], absorbed.items[i].dep_first);
	}
	dc_vec_free(&absorbed);
	free(newid);
	return rc;
}

int cat_merge_sources(dc_catalog *cat, dc_diags *diags)
{
	size_t n = cat->svcs.len, i, k, start;
	int has_bs = 0, has_other = 0, chained = 0, rc = 0;
	uint32_t *up;
	member_t *m;
	dep_sources(cat);
	for (i = 0; i < n; i++) {
		const svc_t *s = &cat->svcs.items[i];
		if (s->same_ref)
			chained = 1;
		if (s->flags & SVC_OVERLAY)
			continue;
		if (s->format == DC_FORMAT_BACKSTAGE)
			has_bs = 1;
		else
			has_other = 1;
	}
	if (!chained && !cat->noverlays && !(has_bs && has_other))
		return 0; /* every service has one source */
	up = malloc(n * sizeof(uint32_t));
	m = malloc(n * sizeof(member_t));
	if (!up || !m) {
		free(up);
		free(m);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++)
		up[i] = (uint32_t)i;
	for (i = 0; i < n; i++)
		if (cat->svcs.items[i].same_ref)
			unite(up, (uint32_t)i, cat->svcs.items[i].same_ref - 1);
	if (has_bs && has_other)
		rc = match_backstage(cat, diags, up);
	if (!rc && cat->noverlays)
		rc = attach_overlays(cat, diags, up);
	/* the members of each group, highest precedence first: a later
	 * overlay before an earlier one, else the earlier definition first */
	for (i = 0, k = 0; i < n && !rc; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint64_t prec = (uint64_t)cat_svc_prec(s);
		if (up[i] == REMOVED)
			continue;
		m[k].root = find(up, (uint32_t)i);
		m[k].id = (uint32_t)i;
		m[k].key = prec << 32 | ((s->flags & SVC_OVERLAY) ? (uint32_t)i : UINT32_MAX - (uint32_t)i);
		k++;
	}
	if (!rc)
		qsort(m, k, sizeof(member_t), member_cmp);
	for (start = 0; start < k && !rc;) {
		size_t end = start + 1, kept;
		while (end < k && m[end].root == m[start].root)
			end++;
		if (end - start > 1) {
			kept = drop_overlay_dups(cat, diags, m + start, end - start, up);
			if (kept > 1)
				rc = merge_group(cat, diags, m + start, kept);
		}
		start = end;
	}
	/* an overlay entry always joins a group: make the roots' own entries
	 * point at themselves, everything else at its root */
	for (i = 0; i < n && !rc; i++)
		if (up[i] != REMOVED)
			up[i] = find(up, (uint32_t)i);
	/* svc_srcs were appended group by group in root order: sorted by svc */
	if (!rc)
		rc = compact(cat, up);
	free(up);
	free(m);
	return rc;
}
