/*
 * compose_merge.c - Compose's merge of one file over another, as the
 * Compose specification ("Merge and override") and compose-go's override
 * package define it: facts from the specification, code of our own. Only
 * the shape matters to depcheck (which keys a service ends up with), so
 * the sequences Compose merges by a key of their own (ports by target,
 * volumes by mount point) are appended without duplicates. See
 * compose_int.h.
 */
#include "compose_int.h"

static doc_node *node_new(dc_arena *a, uint8_t kind, const doc_node *pos, uint32_t n, int *oom)
{
	doc_node *x = dc_arena_alloc(a, sizeof(*x));
	if (!x) {
		*oom = 1;
		return NULL;
	}
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->line = pos ? pos->line : 0;
	x->col = pos ? pos->col : 0;
	x->src = pos ? pos->src : 0;
	x->weight = 1;
	x->n = n;
	if (kind != DOC_SCALAR) {
		size_t cnt = kind == DOC_MAP ? 2 * (size_t)n : n;
		x->u.kids = dc_arena_alloc(a, (cnt ? cnt : 1) * sizeof(doc_node *));
		if (!x->u.kids) {
			*oom = 1;
			return NULL;
		}
	} else {
		x->u.s = "";
	}
	return x;
}

int cmerge_is_mapping_key(const char *key)
{
	static const char *const keys[] = { "environment", "labels", "annotations", "depends_on",
					    "args", "sysctls", "extra_hosts", NULL };
	const char *const *k;
	for (k = keys; *k; k++)
		if (!strcmp(key, *k))
			return 1;
	return 0;
}

const doc_node *cmerge_as_map(dc_arena *a, const doc_node *n, int *oom)
{
	doc_node *m;
	uint32_t i, w = 0;
	if (!n || n->kind != DOC_SEQ)
		return n;
	if (!(m = node_new(a, DOC_MAP, n, n->n, oom)))
		return NULL;
	m->tag = n->tag;
	for (i = 0; i < n->n; i++) {
		const doc_node *it = n->u.kids[i];
		doc_node *k, *v;
		const char *eq;
		size_t kl;
		if (it->kind != DOC_SCALAR)
			continue; /* wrong shape: the loader reports it on the original */
		eq = memchr(it->u.s, '=', it->n);
		if (!eq)
			eq = NULL;
		kl = eq ? (size_t)(eq - it->u.s) : it->n;
		if (!(k = node_new(a, DOC_SCALAR, it, 0, oom)) || !(v = node_new(a, DOC_SCALAR, it, 0, oom)))
			return NULL;
		k->u.s = dc_arena_strndup(a, it->u.s, kl);
		k->n = (uint32_t)kl;
		k->quoted = 1;
		if (eq) {
			v->u.s = dc_arena_strndup(a, eq + 1, it->n - kl - 1);
			v->n = (uint32_t)(it->n - kl - 1);
			v->quoted = 1; /* `K=` is the empty string, not null */
			/* the value starts after '=' on the item's line */
			v->col = it->col + (uint32_t)kl + 1 + (it->quoted ? 1 : 0);
		}
		if (!k->u.s || (eq && !v->u.s)) {
			*oom = 1;
			return NULL;
		}
		m->u.kids[2 * w] = k;
		m->u.kids[2 * w + 1] = v;
		w++;
	}
	m->n = w;
	return m;
}

static int scalar_eq(const doc_node *x, const doc_node *y)
{
	return x->kind == DOC_SCALAR && y->kind == DOC_SCALAR && x->n == y->n &&
	       !memcmp(x->u.s, y->u.s, x->n);
}

static doc_node *merge_maps(dc_arena *a, const doc_node *base, const doc_node *over, int *oom)
{
	doc_node *m = node_new(a, DOC_MAP, base, base->n + over->n, oom);
	uint32_t i, j, w = 0;
	if (!m)
		return NULL;
	m->tag = base->tag & ~(DOC_TAG_RESET | DOC_TAG_OVERRIDE);
	for (i = 0; i < base->n; i++) {
		const doc_node *k = base->u.kids[2 * i], *v = base->u.kids[2 * i + 1], *ov = NULL;
		doc_node *r;
		for (j = 0; j < over->n && !ov; j++)
			if (scalar_eq(over->u.kids[2 * j], k))
				ov = over->u.kids[2 * j + 1];
		if (!ov) {
			m->u.kids[2 * w] = (doc_node *)k;
			m->u.kids[2 * w + 1] = (doc_node *)v;
			w++;
			continue;
		}
		r = cmerge(a, v, ov, k->kind == DOC_SCALAR ? k->u.s : "", oom);
		if (*oom)
			return NULL;
		if (!r)
			continue; /* !reset */
		m->u.kids[2 * w] = (doc_node *)k;
		m->u.kids[2 * w + 1] = r;
		w++;
	}
	for (j = 0; j < over->n; j++) {
		const doc_node *k = over->u.kids[2 * j], *v = over->u.kids[2 * j + 1];
		int found = 0;
		for (i = 0; i < base->n && !found; i++)
			found = scalar_eq(base->u.kids[2 * i], k);
		if (found || (v->tag & DOC_TAG_RESET))
			continue;
		m->u.kids[2 * w] = (doc_node *)k;
		m->u.kids[2 * w + 1] = (doc_node *)v;
		w++;
	}
	m->n = w;
	return m;
}

static doc_node *append_seqs(dc_arena *a, const doc_node *base, const doc_node *over, int *oom)
{
	doc_node *m = node_new(a, DOC_SEQ, base, base->n + over->n, oom);
	uint32_t i, j, w = 0;
	if (!m)
		return NULL;
	for (i = 0; i < base->n; i++)
		m->u.kids[w++] = base->u.kids[i];
	for (j = 0; j < over->n; j++) {
		const doc_node *it = over->u.kids[j];
		int dup = 0;
		if (it->kind == DOC_SCALAR)
			for (i = 0; i < base->n && !dup; i++)
				dup = scalar_eq(base->u.kids[i], it);
		if (!dup)
			m->u.kids[w++] = (doc_node *)it;
	}
	m->n = w;
	return m;
}

doc_node *cmerge(dc_arena *a, const doc_node *base, const doc_node *over, const char *key,
		 int *oom)
{
	*oom = 0;
	if (over && (over->tag & DOC_TAG_RESET))
		return NULL;
	if (!base || !over || (over->tag & DOC_TAG_OVERRIDE))
		return (doc_node *)(over ? over : base);
	if (cmerge_is_mapping_key(key)) {
		base = cmerge_as_map(a, base, oom);
		if (!*oom)
			over = cmerge_as_map(a, over, oom);
		if (*oom)
			return NULL;
	}
	if (base->kind == DOC_MAP && over->kind == DOC_MAP)
		return merge_maps(a, base, over, oom);
	if (base->kind == DOC_SEQ && over->kind == DOC_SEQ && strcmp(key, "command") &&
	    strcmp(key, "entrypoint") && strcmp(key, "test"))
		return append_seqs(a, base, over, oom);
	return (doc_node *)over;
}

doc_node *cmerge_without(dc_arena *a, const doc_node *map, const char *key, int *oom)
{
	doc_node *m;
	uint32_t i, w = 0;
	*oom = 0;
	if (!(m = node_new(a, DOC_MAP, map, map->n, oom)))
		return NULL;
	for (i = 0; i < map->n; i++) {
		if (doc_scalar_is(map->u.kids[2 * i], key))
			continue;
		m->u.kids[2 * w] = map->u.kids[2 * i];
		m->u.kids[2 * w + 1] = map->u.kids[2 * i + 1];
		w++;
	}
	m->n = w;
	return m;
}
