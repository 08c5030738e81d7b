/*
 * simulate.c - failure selectors to seed sets (depcheck/simulate.h).
 *
 * A selection keeps what was selected, not what it implies: a flag per
 * service failed by name/system/owner/tag, and the set of failed zones
 * (as interned catalog strings, so a zone compares as one integer). Zones
 * must be judged against the whole failed set (a service in eu-a and eu-b
 * is DEGRADED when eu-a fails and DOWN when eu-b fails too), so the seed
 * lists are rebuilt after every successful dc_select(): O(services × zones),
 * negligible next to loading the catalog.
 *
 * The propagation itself is lib/impact.c's; dc_simulate() only hands it
 * the seeds. dc_simulation_run() (end of file) is what `simulate --fail`
 * reports: the propagation ordered as a timeline, with its counts, so that
 * the writers (lib/output_*.c) only format.
 */
#include <depcheck/simulate.h>

#include <stdio.h>

#include "catalog_int.h"

struct dc_selection {
	const dc_catalog *cat;
	size_t n;
	uint8_t *named;             /* per service: failed by name, system, owner or tag */
	u32_vec zones;              /* failed zones: interned ids, distinct */
	u32_vec down, deg;          /* the seeds, ascending (rebuilt) */
	uint32_t *label;            /* per service: index + 1 into labels, 0 = "seed"/none */
	DC_VEC(char *) labels;      /* "zone:..." causes (rebuilt) */
	DC_VEC(char *) given;       /* the selectors as given, for the report (owned) */
};

int dc_selection_new(dc_selection **out, const dc_catalog *cat)
{
	dc_selection *sel = calloc(1, sizeof(*sel));
	size_t n = dc_catalog_service_count(cat);
	*out = NULL;
	if (!sel)
		return DC_ENOMEM;
	sel->cat = cat;
	sel->n = n;
	sel->named = calloc(n ? n : 1, 1);
	sel->label = calloc(n ? n : 1, sizeof(uint32_t));
	if (!sel->named || !sel->label) {
		dc_selection_free(sel);
		return DC_ENOMEM;
	}
	*out = sel;
	return 0;
}

static void free_labels(dc_selection *sel)
{
	size_t i;
	for (i = 0; i < sel->labels.len; i++)
		free(sel->labels.items[i]);
	sel->labels.len = 0;
}

void dc_selection_free(dc_selection *sel)
{
	if (!sel)
		return;
	free_labels(sel);
	dc_vec_free(&sel->labels);
	while (sel->given.len)
		free(sel->given.items[--sel->given.len]);
	dc_vec_free(&sel->given);
	dc_vec_free(&sel->zones);
	dc_vec_free(&sel->down);
	dc_vec_free(&sel->deg);
	free(sel->named);
	free(sel->label);
	free(sel);
}

static int zone_failed(const dc_selection *sel, uint32_t z)
{
	size_t i;
	for (i = 0; i < sel->zones.len; i++)
		if (sel->zones.items[i] == z)
			return 1;
	return 0;
}

/* "zone:" + the failed zones of service s, in its own order. */
static char *zone_label(const dc_selection *sel, const svc_t *s)
{
	const dc_catalog *cat = sel->cat;
	size_t len = 6, i, pos;
	char *buf;
	for (i = 0; i < s->nzones; i++)
		if (zone_failed(sel, cat->strlists.items[s->zones + i]))
			len += strlen(cat_str(cat, cat->strlists.items[s->zones + i])) + 1;
	if (!(buf = malloc(len)))
		return NULL;
	memcpy(buf, "zone:", 5);
	pos = 5;
	for (i = 0; i < s->nzones; i++) {
		uint32_t z = cat->strlists.items[s->zones + i];
		if (zone_failed(sel, z)) {
			size_t l = strlen(cat_str(cat, z));
			if (pos > 5)
				buf[pos++] = ',';
			memcpy(buf + pos, cat_str(cat, z), l);
			pos += l;
		}
	}
	buf[pos] = '\0';
	return buf;
}

/* Recompute the seed lists from the named flags and the failed zones. */
static int rebuild(dc_selection *sel)
{
	const dc_catalog *cat = sel->cat;
	size_t v, i;
	free_labels(sel);
	sel->down.len = sel->deg.len = 0;
	for (v = 0; v < sel->n; v++) {
		const svc_t *s = &cat->svcs.items[v];
		size_t failed = 0;
		sel->label[v] = 0;
		if (sel->zones.len)
			for (i = 0; i < s->nzones; i++)
				failed += zone_failed(sel, cat->strlists.items[s->zones + i]);
		if (!sel->named[v] && failed) {
			char *l = zone_label(sel, s);
			if (!l || dc_vec_push(&sel->labels, l)) {
				free(l);
				return DC_ENOMEM;
			}
			sel->label[v] = (uint32_t)sel->labels.len;
		}
		if (sel->named[v] || (failed && failed == s->nzones)) {
			if (dc_vec_push(&sel->down, (uint32_t)v))
				return DC_ENOMEM;
		} else if (failed) {
			if (dc_vec_push(&sel->deg, (uint32_t)v))
				return DC_ENOMEM;
		}
	}
	return 0;
}

static int has_tag(const dc_catalog *cat, const svc_t *s, uint32_t t)
{
	size_t i;
	for (i = 0; i < s->ntags; i++)
		if (cat->strlists.items[s->tags + i] == t)
			return 1;
	return 0;
}

enum { SEL_ZONE = 1, SEL_SYSTEM, SEL_OWNER, SEL_TAG };

static int select_one(dc_selection *sel, const char *selector)
{
	static const struct { const char *prefix; int kind; } prefixes[] = {
		{ "zone:", SEL_ZONE }, { "system:", SEL_SYSTEM }, { "owner:", SEL_OWNER }, { "tag:", SEL_TAG }
	};
	const dc_catalog *cat = sel->cat;
	const char *value = selector;
	int kind = 0, rc;
	size_t i, v, matched = 0;
	dc_id id;
	if (!selector || !*selector)
		return DC_EINVALID;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t l = strlen(prefixes[i].prefix);
		if (!strncmp(selector, prefixes[i].prefix, l)) {
			kind = prefixes[i].kind;
			value = selector + l;
			break;
		}
	}
	if (kind) {
		/* 0 when no string equal to the value exists: nothing can match */
		uint32_t want = *value ? dc_strtab_lookup(&cat->strs, value, strlen(value)) : 0;
		if (!*value)
			return DC_EINVALID;
		for (v = 0; want && v < sel->n; v++) {
			const svc_t *s = &cat->svcs.items[v];
			int hit = 0;
			switch (kind) {
			case SEL_ZONE:
				for (i = 0; i < s->nzones && !hit; i++)
					hit = cat->strlists.items[s->zones + i] == want;
				break;
			case SEL_SYSTEM: hit = s->system == want; break;
			case SEL_OWNER: hit = s->owner == want; break;
			default: hit = has_tag(cat, s, want); break;
			}
			if (!hit)
				continue;
			matched++;
			if (kind == SEL_ZONE)
				break; /* judged against every failed zone by rebuild() */
			sel->named[v] = 1;
		}
		if (matched) {
			if (kind == SEL_ZONE && !zone_failed(sel, want) && dc_vec_push(&sel->zones, want))
				return DC_ENOMEM;
			return rebuild(sel);
		}
	}
	/* a plain name, or a prefixed selector that is really a service's name */
	rc = dc_catalog_find(cat, selector, &id);
	if (rc == DC_ENOTFOUND && kind)
		return DC_ENOTFOUND;
	if (rc)
		return rc;
	sel->named[id] = 1;
	return rebuild(sel);
}

/* Records the selector once it took effect; the copy and the room for it
 * are made first, so that a failed call leaves the selection as it was. */
int dc_select(dc_selection *sel, const char *selector)
{
	char *copy;
	int rc;
	if (!sel || !selector || !*selector)
		return DC_EINVALID;
	if (dc_vec_reserve(&sel->given, 1) || !(copy = malloc(strlen(selector) + 1)))
		return DC_ENOMEM;
	strcpy(copy, selector);
	if ((rc = select_one(sel, selector))) {
		free(copy);
		return rc;
	}
	sel->given.items[sel->given.len++] = copy;
	return 0;
}

size_t dc_selection_down(const dc_selection *sel, const dc_id **ids)
{
	*ids = sel->down.items;
	return sel->down.len;
}

size_t dc_selection_degraded(const dc_selection *sel, const dc_id **ids)
{
	*ids = sel->deg.items;
	return sel->deg.len;
}

const char *dc_selection_cause(const dc_selection *sel, dc_id v)
{
	if (v >= sel->n)
		return NULL;
	if (sel->label[v])
		return sel->labels.items[sel->label[v] - 1];
	return sel->named[v] ? "seed" : NULL;
}

int dc_simulate(dc_impact *imp, const dc_selection *sel, dc_failure_mode mode)
{
	return dc_impact_run_timed(imp, sel->down.items, sel->down.len, sel->deg.items, sel->deg.len, mode);
}

const char *dc_failure_mode_name(dc_failure_mode m)
{
	switch (m) {
	case DC_FAILURE_HANG: return "hang";
	case DC_FAILURE_ERROR: return "error";
	}
	return NULL;
}

int dc_failure_mode_parse(dc_failure_mode *out, const char *name)
{
	if (name && !strcmp(name, "hang"))
		*out = DC_FAILURE_HANG;
	else if (name && !strcmp(name, "error"))
		*out = DC_FAILURE_ERROR;
	else
		return DC_EINVALID;
	return 0;
}

size_t dc_selection_selectors(const dc_selection *sel, const char *const **sels)
{
	*sels = (const char *const *)sel->given.items;
	return sel->given.len;
}

/* ---- a scenario, ready to report ------------------------------------------------ */

struct dc_simulation {
	const dc_graph *g;
	const dc_catalog *cat;
	const dc_selection *sel;
	dc_failure_mode mode;
	dc_impact *imp;
	dc_id *timeline;              /* the affected services, timeline order */
	size_t n;
	dc_simulation_counts counts;
	const dc_traffic *traffic;    /* the caller's, or own */
	dc_traffic *own;              /* the declared traffic, when none was given */
	dc_simulation_loss loss;
};

/* The key carries what the order needs, so qsort needs no context. */
typedef struct {
	uint64_t t;
	dc_state st;
	const char *name;
	dc_id v;
} event_key;

static int event_cmp(const void *pa, const void *pb)
{
	const event_key *a = pa, *b = pb;
	int c;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->st != b->st)
		return a->st == DC_STATE_DOWN ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return (a->v > b->v) - (a->v < b->v);
}

int dc_simulation_run(dc_simulation **out, const dc_graph *g, const dc_selection *sel, dc_failure_mode mode)
{
	return dc_simulation_run_ex(out, g, sel, mode, NULL);
}

int dc_simulation_run_ex(dc_simulation **out, const dc_graph *g, const dc_selection *sel, dc_failure_mode mode,
			 const dc_simulation_options *opts)
{
	dc_simulation *s;
	const dc_traffic *traffic;
	event_key *k = NULL;
	const dc_id *aff;
	size_t i, nsvc;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!g || !sel || dc_graph_catalog(g) != sel->cat)
		return DC_EINVALID;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_SIMULATION_OPTIONS_VERSION))
		return DC_EINVALID;
	traffic = opts ? opts->traffic : NULL;
	if (traffic && dc_traffic_count(traffic) != dc_catalog_service_count(sel->cat))
		return DC_EINVALID;
	if (!(s = calloc(1, sizeof(*s))))
		return DC_ENOMEM;
	if (!traffic && dc_traffic_new(&s->own, sel->cat, NULL))
		goto nomem;
	s->traffic = traffic ? traffic : s->own;
	s->g = g;
	s->cat = sel->cat;
	s->sel = sel;
	s->mode = mode;
	if (dc_impact_new(&s->imp, g) || dc_simulate(s->imp, sel, mode))
		goto nomem;
	s->n = dc_impact_affected(s->imp, &aff);
	s->timeline = malloc((s->n ? s->n : 1) * sizeof(dc_id));
	k = malloc((s->n ? s->n : 1) * sizeof(*k));
	if (!s->timeline || !k)
		goto nomem;
	for (i = 0; i < s->n; i++) {
		k[i].v = aff[i];
		k[i].t = dc_impact_time_ms(s->imp, aff[i]);
		k[i].st = dc_impact_state(s->imp, aff[i]);
		k[i].name = dc_service_name(s->cat, aff[i]);
		s->counts.down += k[i].st == DC_STATE_DOWN;
		s->counts.degraded += k[i].st == DC_STATE_DEGRADED;
	}
	qsort(k, s->n, sizeof(*k), event_cmp);
	for (i = 0; i < s->n; i++)
		s->timeline[i] = k[i].v;
	nsvc = dc_catalog_service_count(s->cat);
	for (i = 0; i < nsvc; i++)
		if (dc_service_is_entrypoint(s->cat, (dc_id)i)) {
			dc_state st = dc_impact_state(s->imp, (dc_id)i);
			double r = dc_traffic_rps(s->traffic, (dc_id)i);
			s->counts.entrypoints++;
			s->counts.entrypoints_down += st == DC_STATE_DOWN;
			if (r >= 0)
				s->loss.known_rps += r;
			if (st == DC_STATE_DOWN && r >= 0)
				s->loss.lost_rps += r;
			else if (st == DC_STATE_DOWN)
				s->loss.lost_unknown++;
			else if (st == DC_STATE_DEGRADED && r >= 0)
				s->loss.degraded_rps += r;
			else if (st == DC_STATE_DEGRADED)
				s->loss.degraded_unknown++;
		}
	s->loss.known = dc_traffic_known(s->traffic);
	free(k);
	*out = s;
	return 0;
nomem:
	free(k);
	dc_simulation_free(s);
	return DC_ENOMEM;
}

void dc_simulation_free(dc_simulation *s)
{
	if (!s)
		return;
	dc_impact_free(s->imp);
	dc_traffic_free(s->own);
	free(s->timeline);
	free(s);
}

const dc_graph *dc_simulation_graph(const dc_simulation *s) { return s->g; }
const dc_selection *dc_simulation_selection(const dc_simulation *s) { return s->sel; }
const dc_impact *dc_simulation_impact(const dc_simulation *s) { return s->imp; }
dc_failure_mode dc_simulation_mode(const dc_simulation *s) { return s->mode; }
dc_simulation_counts dc_simulation_summary(const dc_simulation *s) { return s->counts; }
dc_simulation_loss dc_simulation_traffic_loss(const dc_simulation *s) { return s->loss; }
const dc_traffic *dc_simulation_traffic(const dc_simulation *s) { return s->traffic; }

size_t dc_simulation_timeline(const dc_simulation *s, const dc_id **ids)
{
	*ids = s->timeline;
	return s->n;
}

const char *dc_simulation_cause(const dc_simulation *s, dc_id v)
{
	uint32_t e;
	const char *c;
	if (v >= dc_catalog_service_count(s->cat) || dc_impact_state(s->imp, v) == DC_STATE_UP)
		return NULL;
	if ((e = dc_impact_cause(s->imp, v)) == UINT32_MAX)
		return (c = dc_selection_cause(s->sel, v)) ? c : "seed";
	return dc_service_name(s->cat, dc_dep_to(s->cat, e));
}
