/*
 * chaos.c - the experiments a catalog allows, the candidates worth running,
 * ranked by importance, and their predictions (depcheck/chaos.h,
 * docs/chaos.md).
 *
 * The idea: every prediction the model makes can be wrong, and the ones to
 * test first are those whose failure would matter most. A SPOF predicts an
 * outage; a soft edge, an any_of group and a zone spread predict that an
 * outage does NOT happen, which is the kind of claim an incident disproves.
 * Each candidate is scored by the importance (availability.h) of the
 * service whose failure it risks.
 *
 * Memory is linear: one experiment per service, per distinct caller ->
 * callee pair and per zone, each with its id in an arena; predictions are
 * computed on demand into one row per entrypoint (a scratch buffer), never
 * for every experiment at once.
 */
#include "chaos_int.h"
#include "sha256.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define ID_MAX 63

struct dc_experiments {
	const dc_graph *g;
	const dc_catalog *cat;
	dc_failure_mode mode;
	dc_arena arena;
	dc_experiment *all;       /* every experiment: services, pairs, zones */
	size_t nall;
	size_t *by_id;            /* indexes of all, sorted by id */
	size_t *rank;             /* indexes of the candidates, rank order */
	size_t nrank;
	dc_id *entries;           /* entrypoints, ascending */
	size_t nentries;
	uint32_t *entry_index;    /* per service: index in entries, or UINT32_MAX */
	dc_prediction *rows;      /* scratch of dc_experiment_predict */
	dc_impact *imp;
};

static const char *const action_names[] = { "kill", "partition", "zone" };
static const char *const reason_names[] = { "none", "spof", "soft-edge", "any-of", "zone" };

const char *dc_experiment_action_name(dc_experiment_action a)
{
	return (unsigned)a < 3 ? action_names[a] : NULL;
}

const char *dc_experiment_reason_name(dc_experiment_reason r)
{
	return (unsigned)r < 5 ? reason_names[r] : NULL;
}

/* ---- ids ---------------------------------------------------------------- */

/* Append the slug of s to buf (at *len, capacity cap): lowercase letters
 * and digits kept, everything else '-'. *changed is set when the slug is
 * not s itself or holds "--" (which separates a partition's two names). */
static void slug(char *buf, size_t *len, size_t cap, const char *s, int *changed)
{
	for (; *s; s++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z') {
			ch = (char)(ch - 'A' + 'a');
			*changed = 1;
		} else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
			ch = '-';
			*changed = 1;
		}
		if (ch == '-' && s[1] == '-')
			*changed = 1;
		if (*len + 1 < cap)
			buf[(*len)++] = ch;
		else
			*changed = 1;
	}
	buf[*len] = 0;
}

/* "PREFIX-slug[--slug2]" at most ID_MAX characters, with a hash of the exact
 * names when the slug changed them or was cut. */
static const char *make_id(dc_arena *a, const char *prefix, const char *s1, const char *s2)
{
	char buf[512];
	size_t len = strlen(prefix);
	int changed = 0;
	memcpy(buf, prefix, len + 1);
	slug(buf, &len, sizeof(buf), s1, &changed);
	if (s2) {
		if (len + 2 < sizeof(buf)) {
			buf[len++] = '-';
			buf[len++] = '-';
		}
		slug(buf, &len, sizeof(buf), s2, &changed);
	}
	if (changed || len > ID_MAX) {
		dc_sha256_ctx c;
		uint8_t d[32];
		char hex[65];
		dc_sha256_init(&c);
		dc_sha256_update(&c, s1, strlen(s1));
		if (s2) {
			dc_sha256_update(&c, "\n", 1);
			dc_sha256_update(&c, s2, strlen(s2));
		}
		dc_sha256_final(&c, d);
		dc_sha256_hex(d, hex);
		if (len > ID_MAX - 9)
			len = ID_MAX - 9;
		buf[len++] = '-';
		memcpy(buf + len, hex, 8);
		len += 8;
		buf[len] = 0;
	}
	return dc_arena_strndup(a, buf, len);
}

/* ---- plan ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* qsort_r is not C11: sort indexes with a small merge sort that takes a context. */
typedef int (*cmp_fn)(const dc_experiments *x, size_t a, size_t b);

static void msort(const dc_experiments *x, size_t *v, size_t *tmp, size_t n, cmp_fn cmp)
{
	size_t i, j, k, h;
	if (n < 2)
		return;
	h = n / 2;
	msort(x, v, tmp, h, cmp);
	msort(x, v + h, tmp, n - h, cmp);
	for (i = 0, j = h, k = 0; i < h && j < n;)
		tmp[k++] = cmp(x, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static int by_id(const dc_experiments *x, size_t a, size_t b)
{
	return strcmp(x->all[a].id, x->all[b].id);
}

static int by_rank(const dc_experiments *x, size_t a, size_t b)
{
	const dc_experiment *p = &x->all[a], *q = &x->all[b];
	if (p->birnbaum != q->birnbaum)
		return p->birnbaum > q->birnbaum ? -1 : 1;
	if (p->fussell_vesely != q->fussell_vesely)
		return p->fussell_vesely > q->fussell_vesely ? -1 : 1;
	if (p->reason != q->reason)
		return p->reason < q->reason ? -1 : 1;
	return strcmp(p->id, q->id);
}

/* Is every dependency caller -> callee of the pair starting at dep d soft and
 * outside groups? */
static int pair_all_soft(const dc_catalog *cat, dc_id u, dc_id v)
{
	size_t first = dc_service_dep_first(cat, u), n = dc_service_dep_count(cat, u), k;
	for (k = first; k < first + n; k++)
		if (dc_dep_to(cat, k) == v && (dc_dep_kind_of(cat, k) != DC_DEP_SOFT || dc_dep_group(cat, k)))
			return 0;
	return 1;
}

int dc_experiments_plan(dc_experiments **out, const dc_graph *g, const dc_experiments_options *opts)
{
	dc_experiments *x;
	const dc_catalog *cat;
	size_t n, ne, i, k, nz = 0, nzu = 0, cap;
	const char **zones = NULL;
	double *bi = NULL, *fv = NULL;
	uint32_t *stamp = NULL;
	size_t *tmp = NULL;
	dc_blast *b = NULL;
	dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
	dc_experiments_options def = DC_EXPERIMENTS_OPTIONS_INIT;
	int rc = DC_ENOMEM;

	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!opts)
		opts = &def;
	if (!g || !DC_OPTIONS_VERSION_OK(opts->version, DC_EXPERIMENTS_OPTIONS_VERSION) ||
	    (opts->mode != DC_FAILURE_HANG && opts->mode != DC_FAILURE_ERROR))
		return DC_EINVALID;
	cat = dc_graph_catalog(g);
	n = dc_catalog_service_count(cat);
	ne = dc_catalog_dep_count(cat);
	if (!(x = calloc(1, sizeof(*x))))
		return DC_ENOMEM;
	x->g = g;
	x->cat = cat;
	x->mode = opts->mode;
	dc_arena_init(&x->arena);
	for (i = 0; i < n; i++)
		nz += dc_service_zone_count(cat, (dc_id)i);
	cap = n + ne + nz + 1;
	if (!(x->all = calloc(cap, sizeof(*x->all))) || !(x->entry_index = malloc((n + 1) * sizeof(uint32_t))) ||
	    !(x->entries = malloc((n + 1) * sizeof(dc_id))) || !(zones = malloc((nz + 1) * sizeof(*zones))) ||
	    !(bi = calloc(n + 1, sizeof(double))) || !(fv = calloc(n + 1, sizeof(double))) ||
	    !(stamp = calloc(n + 1, sizeof(uint32_t))) || dc_impact_new(&x->imp, g))
		goto fail;

	/* entrypoints */
	for (i = 0; i < n; i++) {
		x->entry_index[i] = UINT32_MAX;
		if (dc_service_is_entrypoint(cat, (dc_id)i)) {
			x->entry_index[i] = (uint32_t)x->nentries;
			x->entries[x->nentries++] = (dc_id)i;
		}
	}
	if (!(x->rows = malloc((x->nentries + 1) * sizeof(*x->rows))))
		goto fail;

	/* importance: the largest over the entrypoints */
	if (opts->availability) {
		const dc_id *eps;
		size_t nep = dc_availability_entrypoints(opts->availability, &eps), j;
		for (j = 0; j < nep; j++) {
			const dc_importance *r;
			size_t nr = dc_availability_importance(opts->availability, eps[j], &r, NULL, NULL), t;
			for (t = 0; t < nr; t++) {
				if (r[t].service >= n)
					continue;
				if (r[t].birnbaum > bi[r[t].service])
					bi[r[t].service] = r[t].birnbaum;
				if (r[t].fussell_vesely > fv[r[t].service])
					fv[r[t].service] = r[t].fussell_vesely;
			}
		}
	}

	/* every service: kill */
	for (i = 0; i < n; i++) {
		dc_experiment *e = &x->all[x->nall++];
		e->action = DC_EXP_KILL;
		e->reason = DC_EXP_WHY_NONE;
		e->service = (dc_id)i;
		e->target = DC_NO_ID;
		e->dep = UINT32_MAX;
		if (!(e->id = make_id(&x->arena, "kill-", dc_service_name(cat, (dc_id)i), NULL)))
			goto fail;
	}
	/* every distinct caller -> callee pair: partition */
	for (i = 0; i < n; i++) {
		size_t first = dc_service_dep_first(cat, (dc_id)i), nd = dc_service_dep_count(cat, (dc_id)i);
		for (k = first; k < first + nd; k++) {
			dc_id v = dc_dep_to(cat, k);
			dc_experiment *e;
			if (v == DC_NO_ID || v >= n || v == (dc_id)i || stamp[v] == (uint32_t)i + 1)
				continue;
			stamp[v] = (uint32_t)i + 1;
			e = &x->all[x->nall++];
			e->action = DC_EXP_PARTITION;
			e->reason = DC_EXP_WHY_NONE;
			e->service = (dc_id)i;
			e->target = v;
			e->dep = (uint32_t)k;
			if (!(e->id = make_id(&x->arena, "partition-", dc_service_name(cat, (dc_id)i),
					      dc_service_name(cat, v))))
				goto fail;
			if (pair_all_soft(cat, (dc_id)i, v) && (!opts->availability || bi[i] > 0)) {
				e->reason = DC_EXP_WHY_SOFT_EDGE;
				e->birnbaum = bi[i];
				e->fussell_vesely = fv[i];
			}
		}
	}
	/* every zone */
	for (i = 0; i < n; i++)
		for (k = 0; k < dc_service_zone_count(cat, (dc_id)i); k++)
			zones[nzu++] = dc_service_zone(cat, (dc_id)i, k);
	qsort(zones, nzu, sizeof(*zones), cmp_str);
	for (i = 0; i < nzu; i++) {
		dc_experiment *e;
		if (i && !strcmp(zones[i], zones[i - 1]))
			continue;
		e = &x->all[x->nall++];
		e->action = DC_EXP_ZONE;
		e->reason = DC_EXP_WHY_ZONE;
		e->service = e->target = DC_NO_ID;
		e->dep = UINT32_MAX;
		e->zone = zones[i];
		if (!(e->id = make_id(&x->arena, "zone-", zones[i], NULL)))
			goto fail;
	}
	for (k = n; k < x->nall; k++) {
		dc_experiment *e = &x->all[k];
		if (e->action != DC_EXP_ZONE)
			continue;
		for (i = 0; i < n; i++) {
			size_t z;
			for (z = 0; z < dc_service_zone_count(cat, (dc_id)i); z++)
				if (!strcmp(dc_service_zone(cat, (dc_id)i, z), e->zone))
					break;
			if (z == dc_service_zone_count(cat, (dc_id)i))
				continue;
			if (bi[i] > e->birnbaum || (bi[i] == e->birnbaum && fv[i] > e->fussell_vesely)) {
				e->birnbaum = bi[i];
				e->fussell_vesely = fv[i];
			}
		}
	}
	/* SPOFs */
	bo.flags = DC_BLAST_NO_DEGRADED;
	if (dc_blast_compute_ex(&b, g, &bo))
		goto fail;
	for (i = 0; i < n; i++)
		if (dc_blast_spof_total(b, (dc_id)i) > 0) {
			x->all[i].reason = DC_EXP_WHY_SPOF;
			x->all[i].birnbaum = bi[i];
			x->all[i].fussell_vesely = fv[i];
		}
	/* any_of groups: kill the member the consumer ranks highest */
	for (i = 0; i < n; i++) {
		size_t first = dc_service_dep_first(cat, (dc_id)i), nd = dc_service_dep_count(cat, (dc_id)i), j;
		for (k = first; k < first + nd; k++) {
			unsigned grp = dc_dep_group(cat, k);
			size_t best = SIZE_MAX;
			dc_experiment *e;
			if (!grp)
				continue;
			for (j = first; j < k; j++)
				if (dc_dep_group(cat, j) == grp)
					break;
			if (j < k)
				continue; /* the group was seen at its first member */
			for (j = k; j < first + nd; j++) {
				dc_id m = dc_dep_to(cat, j);
				if (dc_dep_group(cat, j) != grp || m == DC_NO_ID || m >= n)
					continue;
				if (best == SIZE_MAX) {
					best = j;
					continue;
				}
				{
					dc_id bm = dc_dep_to(cat, best);
					if (bi[m] > bi[bm] || (bi[m] == bi[bm] && (fv[m] > fv[bm] ||
					    (fv[m] == fv[bm] && strcmp(dc_service_name(cat, m), dc_service_name(cat, bm)) < 0))))
						best = j;
				}
			}
			if (best == SIZE_MAX)
				continue;
			e = &x->all[dc_dep_to(cat, best)];
			if (e->reason == DC_EXP_WHY_SPOF)
				continue;
			if (e->reason == DC_EXP_WHY_NONE || bi[i] > e->birnbaum ||
			    (bi[i] == e->birnbaum && fv[i] > e->fussell_vesely)) {
				e->reason = DC_EXP_WHY_ANY_OF;
				e->birnbaum = bi[i];
				e->fussell_vesely = fv[i];
				e->dep = (uint32_t)best;
			}
		}
	}

	/* indexes */
	if (!(x->by_id = malloc((x->nall + 1) * sizeof(size_t))) || !(x->rank = malloc((x->nall + 1) * sizeof(size_t))) ||
	    !(tmp = malloc((x->nall + 1) * sizeof(size_t))))
		goto fail;
	for (i = 0; i < x->nall; i++) {
		x->by_id[i] = i;
		if (x->all[i].reason != DC_EXP_WHY_NONE)
			x->rank[x->nrank++] = i;
	}
	msort(x, x->by_id, tmp, x->nall, by_id);
	msort(x, x->rank, tmp, x->nrank, by_rank);
	rc = 0;
	*out = x;
	x = NULL;
fail:
	free(tmp);
	free(zones);
	free(bi);
	free(fv);
	free(stamp);
	dc_blast_free(b);
	dc_experiments_free(x);
	return rc;
}

void dc_experiments_free(dc_experiments *x)
{
	if (!x)
		return;
	dc_impact_free(x->imp);
	dc_arena_free(&x->arena);
	free(x->all);
	free(x->by_id);
	free(x->rank);
	free(x->entries);
	free(x->entry_index);
	free(x->rows);
	free(x);
}

const dc_graph *dc_experiments_graph(const dc_experiments *x)
{
	return x ? x->g : NULL;
}

dc_failure_mode dc_experiments_mode(const dc_experiments *x)
{
	return x ? x->mode : DC_FAILURE_HANG;
}

size_t dc_experiments_count(const dc_experiments *x)
{
	return x ? x->nrank : 0;
}

const dc_experiment *dc_experiments_get(const dc_experiments *x, size_t i)
{
	return x && i < x->nrank ? &x->all[x->rank[i]] : NULL;
}

const dc_experiment *dc_experiments_find(const dc_experiments *x, const char *id)
{
	size_t lo = 0, hi;
	if (!x || !id)
		return NULL;
	hi = x->nall;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->all[x->by_id[mid]].id, id);
		if (!c)
			return &x->all[x->by_id[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t dc__exp_entry_count(const dc_experiments *x)
{
	return x->nentries;
}

size_t dc__exp_entry_index(const dc_experiments *x, dc_id s)
{
	return s < dc_catalog_service_count(x->cat) && x->entry_index[s] != UINT32_MAX ? x->entry_index[s] : SIZE_MAX;
}

/* ---- predictions ------------------------------------------------------------ */

/* What losing its calls to v alone does to u: DOWN when a hard non-group
 * edge goes to v or a group has v as its only target, else DEGRADED; *cost:
 * the cheapest edge that decides it. */
static dc_state lose_callee(const dc_experiments *x, dc_id u, dc_id v, int all_hard, uint64_t *cost)
{
	const dc_catalog *cat = x->cat;
	size_t first = dc_service_dep_first(cat, u), nd = dc_service_dep_count(cat, u), k, j;
	uint64_t down = DC_TIME_NONE, any = DC_TIME_NONE;
	for (k = first; k < first + nd; k++) {
		uint64_t c;
		int downs = 0;
		if (dc_dep_to(cat, k) != v)
			continue;
		c = dc_impact_edge_cost_ms(cat, k, x->mode);
		if (all_hard || (dc_dep_kind_of(cat, k) == DC_DEP_HARD && !dc_dep_group(cat, k))) {
			downs = 1;
		} else if (dc_dep_group(cat, k)) {
			downs = 1;
			for (j = first; j < first + nd; j++)
				if (dc_dep_group(cat, j) == dc_dep_group(cat, k) && dc_dep_to(cat, j) != v)
					downs = 0;
		}
		if (downs && c < down)
			down = c;
		if (c < any)
			any = c;
	}
	if (down != DC_TIME_NONE) {
		*cost = down;
		return DC_STATE_DOWN;
	}
	*cost = any == DC_TIME_NONE ? 0 : any;
	return DC_STATE_DEGRADED;
}

static uint64_t add_ms(uint64_t a, uint64_t b)
{
	return a >= DC_TIME_NONE - 1 - b ? DC_TIME_NONE - 1 : a + b;
}

int dc__exp_run(dc_experiments *x, const dc_experiment *e, int hyp, uint32_t dep, dc_prediction *rows)
{
	dc_id seeds[2];
	size_t nseeds = 0, i;
	uint64_t offset = 0;
	int rc = 0;
	dc_selection *sel = NULL;

	switch (e->action) {
	case DC_EXP_KILL:
		seeds[nseeds++] = e->service;
		if (hyp == DC__HYP_DEP_HARD && dep < dc_catalog_dep_count(x->cat) &&
		    dc_dep_from(x->cat, dep) != e->service)
			seeds[nseeds++] = dc_dep_from(x->cat, dep);
		rc = dc_impact_run_timed(x->imp, seeds, nseeds, NULL, 0, x->mode);
		break;
	case DC_EXP_PARTITION: {
		dc_state st = lose_callee(x, e->service, e->target, hyp == DC__HYP_EDGE_HARD, &offset);
		seeds[0] = e->service;
		rc = st == DC_STATE_DOWN ? dc_impact_run_timed(x->imp, seeds, 1, NULL, 0, x->mode)
					 : dc_impact_run_timed(x->imp, NULL, 0, seeds, 1, x->mode);
		break;
	}
	case DC_EXP_ZONE: {
		char buf[600];
		const dc_id *down, *deg;
		size_t nd, ng;
		if (strlen(e->zone) > sizeof(buf) - 6)
			return DC_EINVALID;
		snprintf(buf, sizeof(buf), "zone:%s", e->zone);
		if ((rc = dc_selection_new(&sel, x->cat)) || (rc = dc_select(sel, buf)))
			break;
		nd = dc_selection_down(sel, &down);
		ng = dc_selection_degraded(sel, &deg);
		rc = dc_impact_run_timed(x->imp, down, nd, deg, ng, x->mode);
		break;
	}
	default:
		return DC_EINVALID;
	}
	dc_selection_free(sel);
	if (rc)
		return rc;
	for (i = 0; i < x->nentries; i++) {
		dc_id s = x->entries[i];
		uint64_t t = dc_impact_time_ms(x->imp, s);
		rows[i].entrypoint = s;
		rows[i].state = dc_impact_state(x->imp, s);
		rows[i].time_ms = rows[i].state == DC_STATE_UP || t == DC_TIME_NONE ? DC_TIME_NONE : add_ms(t, offset);
	}
	return 0;
}

size_t dc_experiment_predict(dc_experiments *x, const dc_experiment *e, const dc_prediction **rows)
{
	if (rows)
		*rows = NULL;
	if (!x || !e || !rows || e < x->all || e >= x->all + x->nall)
		return 0;
	if (dc__exp_run(x, e, DC__HYP_MODEL, UINT32_MAX, x->rows))
		return 0;
	*rows = x->rows;
	return x->nentries;
}
