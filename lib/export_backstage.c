/*
 * export_backstage.c - `depcheck export -f backstage` (docs/deploy.md,
 * "Backstage"): the catalog as Backstage entities, plus what Backstage
 * cannot compute itself.
 *
 * One Component per service (a Resource for an external one; Backstage
 * has no "external" flag, so it loads back as a Resource defined in the
 * catalog) with spec.dependsOn (every dependency; the soft ones also in the
 * depcheck.dev/soft-dependencies annotation, which the reader applies to
 * dependsOn entries), owner, system, and the depcheck.dev/ annotations the
 * reader reads (tier, replicas). Loading the output with the Backstage
 * reader gives the same services and dependencies (tests/check_deploy_formats.py);
 * any_of groups are not kept (Backstage has no such relation): their
 * members load back as plain dependencies of their kind.
 *
 * Derived, as depcheck.io/ annotations (not read back): tier (when set),
 * observed-dependencies (calls seen in production that no input declares,
 * `--observed`), transitive-dependencies, blast-radius (services down if it fails) and
 * blast-radius-degraded. One System per system named by a component, with
 * dependsOn every other system a component of it depends on (sorted,
 * deduplicated: one sort of the cross-system dependencies).
 *
 * Names: a Backstage entity name is [A-Za-z0-9] separated by [-_.], at
 * most 63 characters; a service or system name that is not one makes the
 * export fail (DC_EINVALID) before anything is written, rather than write
 * refs that load as other entities. Every string is double-quoted.
 */
#include "export_int.h"

#include <depcheck/reconcile.h>

#include <stdlib.h>
#include <string.h>

static void yq(FILE *fp, const char *s)
{
	const unsigned char *p;
	fputc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', fp);
		if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

static int bs_name_ok(const char *s)
{
	size_t n = strlen(s), i;
	if (!n || n > 63)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && !(i && i + 1 < n && (ch == '-' || ch == '_' || ch == '.')))
			return 0;
	}
	return 1;
}

static const char *kind_of(const dc_catalog *cat, dc_id s)
{
	return dc_service_is_external(cat, s) ? "resource" : "component";
}

typedef struct {
	const char *from, *to;
} sys_pair;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_pair(const void *pa, const void *pb)
{
	const sys_pair *a = pa, *b = pb;
	int r = strcmp(a->from, b->from);
	return r ? r : strcmp(a->to, b->to);
}

static void component(FILE *fp, const dc_backstage_export *x, dc_id s)
{
	const dc_catalog *cat = dc_graph_catalog(x->g);
	size_t d = dc_service_dep_first(cat, s), e = d + dc_service_dep_count(cat, s), nsoft = 0;
	const char *v;
	int tier = dc_service_tier(cat, s);
	fprintf(fp, "---\napiVersion: backstage.io/v1alpha1\nkind: %s\nmetadata:\n  name: ",
		dc_service_is_external(cat, s) ? "Resource" : "Component");
	yq(fp, dc_service_name(cat, s));
	if ((v = dc_service_description(cat, s)) != NULL) {
		fputs("\n  description: ", fp);
		yq(fp, v);
	}
	fputs("\n  annotations:\n", fp);
	if (tier)
		fprintf(fp, "    depcheck.dev/tier: \"%d\"\n    depcheck.io/tier: \"%d\"\n", tier, tier);
	fprintf(fp, "    depcheck.dev/replicas: \"%u\"\n", dc_service_replicas(cat, s));
	if (x->dependencies)
		fprintf(fp, "    depcheck.io/transitive-dependencies: \"%zu\"\n", x->dependencies[s]);
	if (x->blast)
		fprintf(fp, "    depcheck.io/blast-radius: \"%zu\"\n    depcheck.io/blast-radius-degraded: \"%zu\"\n",
			dc_blast_down(x->blast, s), dc_blast_degraded(x->blast, s));
	for (; d < e; d++)
		if (dc_dep_kind_of(cat, d) == DC_DEP_SOFT && dc_dep_to(cat, d) != DC_NO_ID) {
			dc_id t = dc_dep_to(cat, d);
			fputs(nsoft++ ? "," : "    depcheck.dev/soft-dependencies: \"", fp);
			fprintf(fp, "%s:%s", kind_of(cat, t), dc_service_name(cat, t));
		}
	if (nsoft)
		fputs("\"\n", fp);
	{
		/* calls observed in production and declared nowhere (--observed):
		 * in dependsOn like the others, named here so that the Backstage
		 * catalog says they were observed, not declared (not read back) */
		size_t k, nobs = 0;
		for (k = dc_service_dep_first(cat, s); k < e; k++)
			if (dc_dep_is_observed(cat, k) && dc_dep_to(cat, k) != DC_NO_ID) {
				dc_id t = dc_dep_to(cat, k);
				fputs(nobs++ ? "," : "    depcheck.io/observed-dependencies: \"", fp);
				fprintf(fp, "%s:%s", kind_of(cat, t), dc_service_name(cat, t));
			}
		if (nobs)
			fputs("\"\n", fp);
	}
	fprintf(fp, "spec:\n  type: %s\n  lifecycle: production\n",
		dc_service_is_external(cat, s) ? "external" : "service");
	if ((v = dc_service_owner(cat, s)) != NULL) {
		fputs("  owner: ", fp);
		yq(fp, v);
		fputc('\n', fp);
	}
	if ((v = dc_service_system(cat, s)) != NULL) {
		fputs("  system: ", fp);
		yq(fp, v);
		fputc('\n', fp);
	}
	fputs("  dependsOn:", fp);
	d = dc_service_dep_first(cat, s);
	if (d == e)
		fputs(" []", fp);
	for (; d < e; d++) {
		dc_id t = dc_dep_to(cat, d);
		if (t == DC_NO_ID)
			continue;
		fprintf(fp, "\n    - \"%s:%s\"", kind_of(cat, t), dc_service_name(cat, t));
	}
	fputc('\n', fp);
}

int dc_export_backstage(FILE *fp, const dc_backstage_export *x)
{
	const dc_catalog *cat;
	size_t n, m, i, np = 0;
	sys_pair *pairs = NULL;
	if (!fp || !x || !DC_OPTIONS_VERSION_OK(x->version, DC_BACKSTAGE_EXPORT_VERSION) || !x->g)
		return DC_EINVALID;
	cat = dc_graph_catalog(x->g);
	n = dc_catalog_service_count(cat);
	m = dc_catalog_dep_count(cat);
	if (x->blast && dc_blast_count(x->blast) != n)
		return DC_EINVALID;
	for (i = 0; i < n; i++) {
		const char *sys = dc_service_system(cat, (dc_id)i);
		if (!bs_name_ok(dc_service_name(cat, (dc_id)i)) || (sys && !bs_name_ok(sys)))
			return DC_EINVALID;
	}
	/* cross-system dependencies, sorted and deduplicated */
	pairs = malloc((m ? m : 1) * sizeof(sys_pair));
	if (!pairs)
		return DC_ENOMEM;
	for (i = 0; i < m; i++) {
		dc_id f = dc_dep_from(cat, i), t = dc_dep_to(cat, i);
		const char *sf = dc_service_system(cat, f), *st = t != DC_NO_ID ? dc_service_system(cat, t) : NULL;
		if (sf && st && strcmp(sf, st)) {
			pairs[np].from = sf;
			pairs[np].to = st;
			np++;
		}
	}
	qsort(pairs, np, sizeof(sys_pair), cmp_pair);
	fputs("# depcheck export -f backstage: components with their dependencies and derived\n"
	      "# depcheck.io/ annotations, and systems with the system-level dependsOn\n", fp);
	for (i = 0; i < n; i++)
		component(fp, x, (dc_id)i);
	/* systems: every system a component names, in name order (the pairs are
	 * sorted by their `from` system; systems without outgoing pairs too) */
	{
		const char **sys = malloc((n ? n : 1) * sizeof(char *));
		size_t ns = 0, k, p = 0;
		if (!sys) {
			free(pairs);
			return DC_ENOMEM;
		}
		for (i = 0; i < n; i++)
			if (dc_service_system(cat, (dc_id)i))
				sys[ns++] = dc_service_system(cat, (dc_id)i);
		qsort(sys, ns, sizeof(char *), cmp_str);
		for (k = 0; k < ns; k++) {
			size_t listed = 0;
			if (k && !strcmp(sys[k], sys[k - 1]))
				continue;
			fputs("---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: ", fp);
			yq(fp, sys[k]);
			fputs("\nspec:\n  dependsOn:", fp);
			while (p < np && strcmp(pairs[p].from, sys[k]) < 0)
				p++;
			for (; p < np && !strcmp(pairs[p].from, sys[k]); p++) {
				if (listed && !strcmp(pairs[p].to, pairs[p - 1].to))
					continue;
				fprintf(fp, "\n    - \"system:%s\"", pairs[p].to);
				listed++;
			}
			fputs(listed ? "\n" : " []\n", fp);
		}
		free(sys);
	}
	free(pairs);
	return ferror(fp) ? DC_EIO : 0;
}

int dc_graph_dependency_counts(const dc_graph *g, size_t *counts)
{
	size_t n, i;
	uint32_t *stamp, *queue;
	if (!g || !counts)
		return DC_EINVALID;
	n = dc_graph_node_count(g);
	stamp = malloc((n ? n : 1) * sizeof(uint32_t));
	queue = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!stamp || !queue) {
		free(stamp);
		free(queue);
		return DC_ENOMEM;
	}
	for (i = 0; i < n; i++)
		stamp[i] = UINT32_MAX;
	for (i = 0; i < n; i++) {
		size_t head = 0, tail = 0;
		queue[tail++] = (uint32_t)i;
		stamp[i] = (uint32_t)i;
		while (head < tail) {
			const dc_id *to;
			size_t first, deg = dc_graph_out(g, queue[head++], &to, &first), j;
			for (j = 0; j < deg; j++)
				if (stamp[to[j]] != (uint32_t)i) {
					stamp[to[j]] = (uint32_t)i;
					queue[tail++] = to[j];
				}
		}
		counts[i] = tail - 1;
	}
	free(stamp);
	free(queue);
	return 0;
}
