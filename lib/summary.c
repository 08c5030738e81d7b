/*
 * summary.c - the counts of `depcheck validate` (see summary.h): a pass over
 * the services and one SCC computation for the cycles; and what an answer
 * assumes (dc_catalog_assumptions): one pass over services and edges, with
 * the short statements every analysis writer prints.
 */
#include <depcheck/summary.h>

#include <stdio.h>
#include <string.h>

#include "catalog_int.h"

int dc_catalog_summarize(dc_catalog_summary *out, const dc_graph *g, const dc_diags *diags)
{
	const dc_catalog *cat;
	dc_scc *scc = NULL;
	size_t i, nsvc, next = 0, nentry = 0;
	int rc;
	if (!out || !g || !DC_OPTIONS_VERSION_OK(out->version, DC_CATALOG_SUMMARY_VERSION))
		return DC_EINVALID;
	if ((rc = dc_scc_compute(&scc, g, DC_EDGES_ALL)))
		return rc;
	cat = dc_graph_catalog(g);
	nsvc = dc_catalog_service_count(cat);
	for (i = 0; i < nsvc; i++) {
		next += dc_service_is_external(cat, (dc_id)i) != 0;
		nentry += dc_service_is_entrypoint(cat, (dc_id)i) != 0;
	}
	out->files = dc_catalog_file_count(cat);
	out->services = nsvc - next;
	out->external = next;
	out->dependencies = dc_catalog_dep_count(cat);
	out->entrypoints = nentry;
	out->cycles = dc_scc_cycle_count(scc);
	out->errors = diags ? dc_diags_count_severity(diags, DC_SEV_ERROR) : 0;
	out->warnings = diags ? dc_diags_count_severity(diags, DC_SEV_WARNING) : 0;
	dc_scc_free(scc);
	return 0;
}

/* ---- assumptions ---------------------------------------------------------------- */

/* The value every defaulted one shares: -1 until the first, -2 once two differ. */
static void shared_value(double *acc, double v)
{
	if (*acc == -1)
		*acc = v;
	else if (*acc != v)
		*acc = -2;
}

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

int dc_catalog_assumptions(dc_assumptions *out, const dc_graph *g, unsigned topics)
{
	const dc_catalog *cat;
	size_t i;
	dc_assumptions r = DC_ASSUMPTIONS_INIT;
	if (!out || !g || !DC_OPTIONS_VERSION_OK(out->version, DC_ASSUMPTIONS_VERSION) ||
	    (topics & ~DC_ASSUME_ALL))
		return DC_EINVALID;
	cat = dc_graph_catalog(g);
	r.version = out->version;
	r.topics = topics ? topics : DC_ASSUME_ALL;
	r.services = cat->svcs.len;
	r.dependencies = cat->deps.len;
	for (i = 0; i < cat->svcs.len; i++) {
		const svc_t *s = &cat->svcs.items[i];
		if (!(s->explicit_attrs & SVC_EX_AVAIL)) {
			r.availability_default++;
			shared_value(&r.availability_value, s->availability);
		}
		if (!(s->explicit_attrs & SVC_EX_LATENCY)) {
			r.latency_default++;
			shared_value(&r.latency_value, s->latency_ms);
		}
		if (s->flags & SVC_EXTERNAL)
			continue;
		r.internal++;
		if (s->flags & SVC_ENTRY) {
			r.entrypoints++;
			if (s->flags & SVC_ENTRY_EXPLICIT)
				r.entrypoints_declared++;
			else
				r.entrypoints_unreferenced++;
		}
	}
	for (i = 0; i < cat->deps.len; i++) {
		const dep_t *d = &cat->deps.items[i];
		const char *origin = d->origin ? cat_str(cat, d->origin) : NULL;
		if (!origin)
			origin = "";   /* built through the API: no origin */
		if (!(d->flags & DEP_EX_TIMEOUT)) {
			r.timeout_default++;
			shared_value(&r.timeout_value, d->timeout_ms);
		}
		if (!(d->flags & DEP_EX_RETRIES)) {
			r.retries_default++;
			shared_value(&r.retries_value, d->retries);
		}
		if (d->flags & DEP_INFERRED)
			r.inferred++;
		else if ((d->prec >> 3) == DC_FORMAT_COMPOSE && dep_runtime(d) &&
			 (starts_with(origin, "depends_on") || starts_with(origin, "links")))
			r.start_order++;
		if (strstr(origin, "; soft: "))
			r.telemetry_soft++;
		if (dep_observed_only(cat, d)) {
			r.observed++;
			r.observed_hard += d->kind == DC_DEP_HARD;
		}
	}
	if (r.availability_value < 0)
		r.availability_value = -1;
	if (r.latency_value < 0)
		r.latency_value = -1;
	if (r.timeout_value < 0)
		r.timeout_value = -1;
	if (r.retries_value < 0)
		r.retries_value = -1;
	*out = r;
	return 0;
}

/* "N of M <what> are the default V<unit>" ("all M ..." when every one is,
 * "the 1 ..." for a single one), or "... are defaults" when the defaulted
 * ones differ (files with different `defaults:`). */
static size_t defaults_phrase(char *buf, size_t size, size_t n, size_t of, const char *one, const char *what,
			      double v, const char *unit)
{
	char count[64];
	int k;
	if (of == 1)
		what = one;
	if (n == of && n == 1)
		snprintf(count, sizeof(count), "the");
	else if (n == of)
		snprintf(count, sizeof(count), "all %zu", n);
	else
		snprintf(count, sizeof(count), "%zu of %zu", n, of);
	if (v >= 0)
		k = snprintf(buf, size, "%s %s %s the default %g%s", count, what, n == 1 ? "is" : "are", v, unit);
	else
		k = snprintf(buf, size, "%s %s %s defaults", count, what, n == 1 ? "is" : "are");
	return k > 0 ? (size_t)k : 0;
}

size_t dc_assumptions_statement(const dc_assumptions *a, size_t i, char *buf, size_t size)
{
	size_t k = 0;
	int n = 0;
	if (!a || !DC_OPTIONS_VERSION_OK(a->version, DC_ASSUMPTIONS_VERSION) || (!buf && size))
		return 0;
	/* each statement in turn, counting those that apply, until the i-th */
#define STATE(cond, expr)                       \
	if (cond) {                             \
		if (k++ == i)                   \
			return (expr);          \
	}
#define ON(t) (a->topics & (t))
	STATE(ON(DC_ASSUME_AVAILABILITY) && a->availability_default,
	      defaults_phrase(buf, size, a->availability_default, a->services, "availability", "availabilities",
			      a->availability_value, ""))
	/* with timeouts a topic, latencies matter to the timeout budget only,
	 * which judges written timeouts: none written, nothing rests on them */
	STATE(ON(DC_ASSUME_LATENCY) && a->latency_default &&
		      !(ON(DC_ASSUME_TIMEOUTS) && a->timeout_default == a->dependencies),
	      defaults_phrase(buf, size, a->latency_default, a->services, "latency", "latencies", a->latency_value, " ms"))
	STATE(ON(DC_ASSUME_TIMEOUTS) && a->timeout_default,
	      defaults_phrase(buf, size, a->timeout_default, a->dependencies, "timeout", "timeouts", a->timeout_value, " ms"))
	STATE(ON(DC_ASSUME_RETRIES) && a->retries_default,
	      defaults_phrase(buf, size, a->retries_default, a->dependencies, "retry count", "retry counts", a->retries_value, ""))
	STATE(ON(DC_ASSUME_EDGES) && a->start_order,
	      (size_t)((n = snprintf(buf, size, "%zu %s read from Compose depends_on (start order) as %s",
				     a->start_order, a->start_order == 1 ? "edge" : "edges",
				     a->start_order == 1 ? "a runtime dependency" : "runtime dependencies")) > 0 ? n : 0))
	STATE(ON(DC_ASSUME_EDGES) && a->inferred && a->inferred < a->dependencies,
	      (size_t)((n = snprintf(buf, size, "%zu of %zu edges inferred from environment values, not declared",
				     a->inferred, a->dependencies)) > 0 ? n : 0))
	STATE(ON(DC_ASSUME_EDGES) && a->inferred && a->inferred == a->dependencies,
	      (size_t)((n = a->inferred == 1
				? snprintf(buf, size, "the edge is inferred from environment values, not declared")
				: snprintf(buf, size, "all %zu edges inferred from environment values, not declared",
					   a->inferred)) > 0 ? n : 0))
	STATE(ON(DC_ASSUME_EDGES) && a->telemetry_soft,
	      (size_t)((n = snprintf(buf, size, "%zu %s to or from telemetry sinks read as soft", a->telemetry_soft,
				     a->telemetry_soft == 1 ? "edge" : "edges")) > 0 ? n : 0))
	STATE(ON(DC_ASSUME_EDGES) && a->observed,
	      (size_t)((n = snprintf(buf, size, "%zu %s observed in production, declared nowhere, read as %s (--observed-edges)",
				     a->observed, a->observed == 1 ? "edge" : "edges",
				     a->observed_hard == a->observed ? "hard" : a->observed_hard ? "hard or soft" : "soft")) > 0
		       ? n : 0))
	STATE(ON(DC_ASSUME_ENTRYPOINTS) && a->entrypoints_unreferenced && !a->entrypoints_declared,
	      (size_t)((n = snprintf(buf, size, "entrypoints: services nothing depends on (%zu of %zu)",
				     a->entrypoints_unreferenced, a->internal)) > 0 ? n : 0))
	STATE(ON(DC_ASSUME_ENTRYPOINTS) && a->entrypoints_unreferenced && a->entrypoints_declared,
	      (size_t)((n = snprintf(buf, size, "entrypoints: %zu declared, %zu because nothing depends on them",
				     a->entrypoints_declared, a->entrypoints_unreferenced)) > 0 ? n : 0))
#undef ON
#undef STATE
	if (buf && size)
		buf[0] = '\0';
	return 0;
}
