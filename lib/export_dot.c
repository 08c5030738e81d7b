/*
 * export_dot.c - the catalog as DOT, through cgraph (with load_dot.c, the
 * DOT catalog format; the maps go through gvbridge.c, the only other file
 * that includes Graphviz's headers).
 *
 * Node attributes are the native keys; lists are comma-separated. Edge
 * attributes: kind, timeout_ms, retries, stage, startup=true for a
 * startup-only dependency, and any_of=N for members of
 * one any_of group (N numbers the groups of the depending service). The
 * DOT loader reads the same attributes, so export -f dot round-trips.
 */
#include <graphviz/cgraph.h>

#include "export_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set(Agraph_t *g, void *obj, int kind, const char *name, const char *val)
{
	(void)g;
	agsafeset(obj, (char *)name, (char *)val, "");
	(void)kind;
}

/* The list joined with commas, in *buf (grown as needed: a long zone or tag
 * list is never cut). 0 or DC_ENOMEM. */
static int join(const dc_catalog *cat, uint32_t off, uint32_t n, char **buf, size_t *cap)
{
	size_t used = 0, need = 1;
	uint32_t i;
	for (i = 0; i < n; i++)
		need += strlen(cat_str(cat, cat->strlists.items[off + i])) + 1;
	if (need > *cap) {
		char *p = realloc(*buf, need);
		if (!p)
			return DC_ENOMEM;
		*buf = p;
		*cap = need;
	}
	(*buf)[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *t = cat_str(cat, cat->strlists.items[off + i]);
		size_t k = strlen(t);
		if (i)
			(*buf)[used++] = ',';
		memcpy(*buf + used, t, k + 1);
		used += k;
	}
	return 0;
}

/* cgraph writes `"` as \" and every other byte as it is, and its reader
 * turns \" back into `"` and keeps any other backslash: a string round-trips
 * unless a backslash stands right before a quote or at its end (that
 * backslash would escape the quote, and the string would run on into the
 * next attributes: a crafted name would load as other services). No DOT
 * string can say that: such a catalog is refused (docs/security.md). So is
 * a service name that starts with '%' (strings_safe). */
static int dot_safe(const char *s)
{
	for (; s && *s; s++)
		if (*s == '\\' && (s[1] == '"' || s[1] == '\0'))
			return 0;
	return 1;
}

static int strings_safe(const dc_catalog *cat)
{
	size_t i;
	uint32_t k;
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		/* cgraph takes a node name that starts with '%' for one of its
		 * anonymous ids ("%0A..." loads back as "%3"): refused too */
		if (!dot_safe(cat_str(cat, s->name)) || cat_str(cat, s->name)[0] == '%' || (s->owner && !dot_safe(cat_str(cat, s->owner))) ||
		    (s->system && !dot_safe(cat_str(cat, s->system))) ||
		    (s->description && !dot_safe(cat_str(cat, s->description))) ||
		    (s->url && !dot_safe(cat_str(cat, s->url))))
			return 0;
		for (k = 0; k < s->nzones; k++)
			if (!dot_safe(cat_str(cat, cat->strlists.items[s->zones + k])))
				return 0;
		for (k = 0; k < s->ntags; k++)
			if (!dot_safe(cat_str(cat, cat->strlists.items[s->tags + k])))
				return 0;
	}
	return 1;
}

int export_dot(const dc_catalog *cat, FILE *fp)
{
	Agdesc_t desc = Agdirected;
	Agraph_t *g;
	Agnode_t **nodes;
	size_t i;
	char buf[64], *list = NULL;
	size_t listcap = 0;
	int rc = 0;

	if (!strings_safe(cat))
		return DC_EINVALID;
	g = agopen("depcheck", desc, NULL);
	if (!g)
		return DC_ENOMEM;
	nodes = malloc((cat->svcs.len ? cat->svcs.len : 1) * sizeof(*nodes));
	if (!nodes) {
		agclose(g);
		return DC_ENOMEM;
	}
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		Agnode_t *n = agnode(g, (char *)cat_str(cat, s->name), 1);
		nodes[i] = n;
		if (s->flags & SVC_EXTERNAL)
			set(g, n, AGNODE, "external", "true");
		if (s->owner)
			set(g, n, AGNODE, "owner", cat_str(cat, s->owner));
		if (s->system)
			set(g, n, AGNODE, "system", cat_str(cat, s->system));
		if (s->description)
			set(g, n, AGNODE, "description", cat_str(cat, s->description));
		if (s->url)
			set(g, n, AGNODE, "url", cat_str(cat, s->url));
		if (s->tier) {
			snprintf(buf, sizeof(buf), "%u", s->tier);
			set(g, n, AGNODE, "tier", buf);
		}
		set(g, n, AGNODE, "entrypoint", (s->flags & SVC_ENTRY) ? "true" : "false");
		snprintf(buf, sizeof(buf), "%u", s->replicas);
		set(g, n, AGNODE, "replicas", buf);
		if (s->nzones) {
			if ((rc = join(cat, s->zones, s->nzones, &list, &listcap)))
				break;
			set(g, n, AGNODE, "zones", list);
		}
		dc_fmt_double(buf, sizeof(buf), s->availability);
		set(g, n, AGNODE, "availability", buf);
		if (s->slo >= 0) {
			dc_fmt_double(buf, sizeof(buf), s->slo);
			set(g, n, AGNODE, "slo", buf);
		}
		dc_fmt_double(buf, sizeof(buf), s->latency_ms);
		set(g, n, AGNODE, "latency_ms", buf);
		if (s->ntags) {
			if ((rc = join(cat, s->tags, s->ntags, &list, &listcap)))
				break;
			set(g, n, AGNODE, "tags", list);
		}
	}
	for (i = 0; rc == 0 && i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t k, j;
		for (k = 0; k < s->ndeps; k++) {
			const dep_t *d = &cat->deps.items[s->dep_first + k];
			/* anonymous: a non-strict graph keeps parallel edges */
			Agedge_t *e = agedge(g, nodes[i], nodes[d->to], NULL, 1);
			if (!e) {
				rc = DC_ENOMEM;
				break;
			}
			set(g, e, AGEDGE, "kind", d->kind == DC_DEP_SOFT ? "soft" : "hard");
			snprintf(buf, sizeof(buf), "%u", d->timeout_ms);
			set(g, e, AGEDGE, "timeout_ms", buf);
			snprintf(buf, sizeof(buf), "%u", d->retries);
			set(g, e, AGEDGE, "retries", buf);
			snprintf(buf, sizeof(buf), "%u", d->stage);
			set(g, e, AGEDGE, "stage", buf);
			if (d->flags & DEP_STARTUP)
				set(g, e, AGEDGE, "startup", "true");
			{
				/* --observed: what was seen on the call; observed=true when
				 * no input declares it */
				const dep_obs_t *o = cat_dep_obs(cat, d);
				if (o) {
					set(g, e, AGEDGE, "observed", o->only ? "true" : "false");
					snprintf(buf, sizeof(buf), "%llu", (unsigned long long)o->calls);
					set(g, e, AGEDGE, "observed_calls", buf);
					if (o->rate >= 0) {
						dc_fmt_double(buf, sizeof(buf), o->rate);
						set(g, e, AGEDGE, "calls_per_s", buf);
					}
					if (o->has_errors && o->calls) {
						dc_fmt_double(buf, sizeof(buf), (double)o->errors / (double)o->calls);
						set(g, e, AGEDGE, "error_ratio", buf);
					}
					if (o->p50 >= 0) {
						dc_fmt_double(buf, sizeof(buf), o->p50);
						set(g, e, AGEDGE, "p50_ms", buf);
					}
					if (o->p99 >= 0) {
						dc_fmt_double(buf, sizeof(buf), o->p99);
						set(g, e, AGEDGE, "p99_ms", buf);
					}
				}
			}
			if (d->group) {
				/* number groups per service, by first appearance */
				uint32_t gi = 0, seen_groups[64], ns = 0, q;
				for (j = 0; j <= k; j++) {
					uint32_t gid = cat->deps.items[s->dep_first + j].group;
					int dup = 0;
					if (!gid)
						continue;
					for (q = 0; q < ns; q++)
						dup |= seen_groups[q] == gid;
					if (!dup && ns < 64)
						seen_groups[ns++] = gid;
				}
				for (q = 0; q < ns; q++)
					if (seen_groups[q] == d->group)
						gi = q + 1;
				snprintf(buf, sizeof(buf), "%u", gi);
				set(g, e, AGEDGE, "any_of", buf);
			}
		}
	}
	free(nodes);
	free(list);
	if (rc == 0 && agwrite(g, fp) != 0)
		rc = DC_EIO;
	agclose(g);
	return rc;
}
