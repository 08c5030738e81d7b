/*
 * export_yaml.c - the normalized catalog as native-schema YAML.
 *
 * Written by hand rather than through libyaml's emitter: the output is a
 * fixed shape and a streaming printf is both simpler and much faster for
 * 100,000 services. Strings are written plain when that cannot change their
 * meaning, and double-quoted (JSON escaping, valid YAML) otherwise.
 */
#include "export_int.h"

#include <depcheck/reconcile.h>

#include <stdio.h>

static int plain_ok(const char *s)
{
	const char *p;
	static const char *const reserved[] = {
		"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
		"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", NULL
	};
	const char *const *r;
	double d;
	char *end;
	if (!*s)
		return 0;
	for (r = reserved; *r; r++)
		if (!strcmp(s, *r))
			return 0;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '/'))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-' || *p == '.' || *p == '/'))
			return 0;
	d = strtod(s, &end);
	(void)d;
	return *end != '\0'; /* "inf", "nan" and friends stay quoted */
}

static void put_str(FILE *fp, const char *s)
{
	const unsigned char *p;
	if (plain_ok(s)) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
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

static void put_num(FILE *fp, double v)
{
	char buf[64];
	dc_fmt_double(buf, sizeof(buf), v);
	fputs(buf, fp);
}

static void put_list(FILE *fp, const dc_catalog *cat, uint32_t off, uint32_t n)
{
	uint32_t i;
	fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", fp);
		put_str(fp, cat_str(cat, cat->strlists.items[off + i]));
	}
	fputc(']', fp);
}

static void put_dep(FILE *fp, const dc_catalog *cat, const dep_t *d, const char *ind)
{
	fprintf(fp, "service: ");
	put_str(fp, cat_str(cat, cat->svcs.items[d->to].name));
	fprintf(fp, "\n%skind: %s\n%stimeout_ms: %u\n%sretries: %u\n%sstage: %u\n", ind,
		d->kind == DC_DEP_SOFT ? "soft" : "hard", ind, d->timeout_ms, ind, d->retries, ind, d->stage);
	if (d->flags & DEP_STARTUP)
		fprintf(fp, "%sstartup: true\n", ind);
	{
		/* resilience settings beyond timeout and retries, when written */
		size_t di = (size_t)(d - cat->deps.items);
		unsigned k;
		for (k = DC_DEP_PER_TRY_TIMEOUT; k < DC_DEP_SETTING_COUNT; k++) {
			dc_dep_setting ks = (dc_dep_setting)k;
			if (!dc_dep_setting_is_set(cat, di, ks))
				continue;
			fprintf(fp, "%s%s: ", ind, dc_dep_setting_name(ks));
			if (dc_dep_setting_text(cat, di, ks))
				put_str(fp, dc_dep_setting_text(cat, di, ks));
			else
				fprintf(fp, "%.17g", dc_dep_setting_value(cat, di, ks));
			fputc('\n', fp);
		}
	}
	if (d->flags & DEP_INFERRED) { /* where a loader found the edge (Kubernetes env) */
		fprintf(fp, "%sinferred_from: ", ind);
		put_str(fp, cat_str(cat, d->origin));
		fputc('\n', fp);
	}
	{
		/* what was observed on the call (--observed) */
		dc_dep_traffic t;
		if (dc_dep_observed(cat, (size_t)(d - cat->deps.items), &t)) {
			if (dep_observed_only(cat, d))
				fprintf(fp, "%sobserved: true\n", ind);
			fprintf(fp, "%sobserved_calls: %llu\n", ind, (unsigned long long)t.calls);
			if (t.calls_per_s >= 0)
				fprintf(fp, "%scalls_per_s: %.17g\n", ind, t.calls_per_s);
			if (t.error_ratio >= 0)
				fprintf(fp, "%serror_ratio: %.17g\n", ind, t.error_ratio);
			if (t.p50_ms >= 0)
				fprintf(fp, "%sp50_ms: %.17g\n", ind, t.p50_ms);
			if (t.p99_ms >= 0)
				fprintf(fp, "%sp99_ms: %.17g\n", ind, t.p99_ms);
		}
	}
}

int export_yaml(const dc_catalog *cat, FILE *fp)
{
	size_t i;
	fputs("depcheck: 1\nservices:\n", fp);
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		uint32_t k;
		fputs("  - name: ", fp);
		put_str(fp, cat_str(cat, s->name));
		fputc('\n', fp);
		if (s->flags & SVC_EXTERNAL)
			fputs("    external: true\n", fp);
		if (s->owner) {
			fputs("    owner: ", fp);
			put_str(fp, cat_str(cat, s->owner));
			fputc('\n', fp);
		}
		if (s->system) {
			fputs("    system: ", fp);
			put_str(fp, cat_str(cat, s->system));
			fputc('\n', fp);
		}
		if (s->description) {
			fputs("    description: ", fp);
			put_str(fp, cat_str(cat, s->description));
			fputc('\n', fp);
		}
		if (s->url) {
			fputs("    url: ", fp);
			put_str(fp, cat_str(cat, s->url));
			fputc('\n', fp);
		}
		if (s->tier)
			fprintf(fp, "    tier: %u\n", s->tier);
		fprintf(fp, "    entrypoint: %s\n    replicas: %u\n", (s->flags & SVC_ENTRY) ? "true" : "false",
			s->replicas);
		if (s->nzones) {
			fputs("    zones: ", fp);
			put_list(fp, cat, s->zones, s->nzones);
			fputc('\n', fp);
		}
		fputs("    availability: ", fp);
		put_num(fp, s->availability);
		fputc('\n', fp);
		if (s->slo >= 0) {
			fputs("    slo: ", fp);
			put_num(fp, s->slo);
			fputc('\n', fp);
		}
		fputs("    latency_ms: ", fp);
		put_num(fp, s->latency_ms);
		fputc('\n', fp);
		if (s->traffic_rps >= 0) {
			fputs("    traffic_rps: ", fp);
			put_num(fp, s->traffic_rps);
			fputc('\n', fp);
		}
		if (s->capacity_rps >= 0) {
			fputs("    capacity_rps: ", fp);
			put_num(fp, s->capacity_rps);
			fputc('\n', fp);
		}
		if (s->max_concurrency)
			fprintf(fp, "    max_concurrency: %u\n", s->max_concurrency);
		if (s->ntags) {
			fputs("    tags: ", fp);
			put_list(fp, cat, s->tags, s->ntags);
			fputc('\n', fp);
		}
		if (s->ndeps)
			fputs("    depends_on:\n", fp);
		for (k = 0; k < s->ndeps; k++) {
			const dep_t *d = &cat->deps.items[s->dep_first + k];
			uint32_t j;
			int first = 1;
			if (!d->group) {
				fputs("      - ", fp);
				put_dep(fp, cat, d, "        ");
				continue;
			}
			for (j = 0; j < k; j++)
				if (cat->deps.items[s->dep_first + j].group == d->group)
					first = 0;
			if (!first)
				continue;
			fputs("      - any_of:\n", fp);
			for (j = k; j < s->ndeps; j++) {
				const dep_t *m = &cat->deps.items[s->dep_first + j];
				if (m->group != d->group)
					continue;
				fputs("          - ", fp);
				put_dep(fp, cat, m, "            ");
			}
		}
	}
	return ferror(fp) ? DC_EIO : 0;
}
