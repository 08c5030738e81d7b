/*
 * traffic.c - entry traffic per entrypoint, declared or observed
 * (depcheck/traffic.h). One pass over the services, one over the observed
 * edges: an observed edge counts when its callee is an entrypoint without a
 * declared traffic_rps, its caller is no catalog service (traffic from
 * outside the graph) and it carries a rate.
 */
#include <depcheck/traffic.h>

#include <stdlib.h>

struct dc_traffic {
	size_t n, entrypoints, known;
	size_t by_origin[3];  /* entrypoints per dc_traffic_origin */
	double *rps;      /* per service; < 0 = unknown */
	uint8_t *origin;  /* dc_traffic_origin */
};

int dc_traffic_new(dc_traffic **out, const dc_catalog *cat, const dc_observed *obs)
{
	dc_traffic *t;
	size_t i, no;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!cat)
		return DC_EINVALID;
	if (!(t = calloc(1, sizeof(*t))))
		return DC_ENOMEM;
	t->n = dc_catalog_service_count(cat);
	t->rps = malloc((t->n ? t->n : 1) * sizeof(double));
	t->origin = calloc(t->n ? t->n : 1, 1);
	if (!t->rps || !t->origin) {
		dc_traffic_free(t);
		return DC_ENOMEM;
	}
	for (i = 0; i < t->n; i++) {
		double r = dc_service_traffic_rps(cat, (dc_id)i);
		t->rps[i] = -1;
		if (!dc_service_is_entrypoint(cat, (dc_id)i))
			continue;
		t->entrypoints++;
		if (r >= 0) {
			t->rps[i] = r;
			t->origin[i] = DC_TRAFFIC_DECLARED;
		}
	}
	no = obs ? dc_observed_count(obs) : 0;
	for (i = 0; i < no; i++) {
		double r = dc_observed_calls_per_s(obs, i);
		dc_id from, to;
		/* a caller the catalog knows (or an ambiguous name: a catalog
		 * service, just not which one) is inside the graph */
		if (r < 0 || dc_catalog_find(cat, dc_observed_callee(obs, i), &to) ||
		    dc_catalog_find(cat, dc_observed_caller(obs, i), &from) != DC_ENOTFOUND)
			continue;
		if (!dc_service_is_entrypoint(cat, to) || t->origin[to] == DC_TRAFFIC_DECLARED)
			continue;
		if (t->origin[to] == DC_TRAFFIC_UNKNOWN) {
			t->rps[to] = 0;
			t->origin[to] = DC_TRAFFIC_OBSERVED;
		}
		t->rps[to] += r;
	}
	for (i = 0; i < t->n; i++)
		if (dc_service_is_entrypoint(cat, (dc_id)i))
			t->by_origin[t->origin[i]]++;
	t->known = t->by_origin[DC_TRAFFIC_DECLARED] + t->by_origin[DC_TRAFFIC_OBSERVED];
	*out = t;
	return 0;
}

void dc_traffic_free(dc_traffic *t)
{
	if (!t)
		return;
	free(t->rps);
	free(t->origin);
	free(t);
}

double dc_traffic_rps(const dc_traffic *t, dc_id s) { return t && s < t->n ? t->rps[s] : -1; }

dc_traffic_origin dc_traffic_origin_of(const dc_traffic *t, dc_id s)
{
	return t && s < t->n ? (dc_traffic_origin)t->origin[s] : DC_TRAFFIC_UNKNOWN;
}

const char *dc_traffic_origin_name(dc_traffic_origin o)
{
	switch (o) {
	case DC_TRAFFIC_UNKNOWN: return "unknown";
	case DC_TRAFFIC_DECLARED: return "declared";
	case DC_TRAFFIC_OBSERVED: return "observed";
	}
	return NULL;
}

size_t dc_traffic_entrypoints(const dc_traffic *t) { return t ? t->entrypoints : 0; }
size_t dc_traffic_known(const dc_traffic *t) { return t ? t->known : 0; }
size_t dc_traffic_count(const dc_traffic *t) { return t ? t->n : 0; }

size_t dc_traffic_count_by_origin(const dc_traffic *t, dc_traffic_origin o)
{
	return t && (unsigned)o < 3 ? t->by_origin[o] : 0;
}
