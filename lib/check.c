/*
 * check.c - policy rules over a catalog (depcheck/check.h), and baselines.
 *
 * Every rule is one linear pass over services or dependencies, or a walk
 * over results dc_analyze() already has (cycles, blast radii, SPOFs, retry
 * amplification, timeout budgets): nothing is recomputed here. The one
 * structure analyze does not expose per service is the depth of each
 * service's longest chain, computed here by one pass over the condensation.
 *
 * Violations point at the descriptor entry to change: the dependency's
 * location (the `depends_on` item, the Backstage relation, the Compose
 * entry) for dependency rules, the service's definition otherwise. Subject
 * keys use full references (`component:default/x`), which do not change
 * when another service makes a display name ambiguous.
 */
#include <depcheck/check.h>
#include <depcheck/availability.h>

#include "catalog_int.h"
#include "policy_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

/* ---- the violation list ------------------------------------------------------ */

struct dc_violations {
	DC_VEC(dc_violation) items;
};

int dc_violations_new(dc_violations **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : DC_ENOMEM;
}

static void viol_clear(dc_violation *v)
{
	free((char *)v->rule);
	free((char *)v->message);
	free((char *)v->service);
	free((char *)v->target);
	free((char *)v->key);
	free((char *)v->loc.file);
}

void dc_violations_free(dc_violations *v)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < v->items.len; i++)
		viol_clear(&v->items.items[i]);
	dc_vec_free(&v->items);
	free(v);
}

size_t dc_violations_count(const dc_violations *v) { return v->items.len; }
const dc_violation *dc_violations_get(const dc_violations *v, size_t i) { return &v->items.items[i]; }

size_t dc_violations_count_level(const dc_violations *v, dc_level level)
{
	size_t i, n = 0;
	for (i = 0; i < v->items.len; i++)
		n += v->items.items[i].level == level;
	return n;
}

static char *dup_or_null(const char *s, int *bad)
{
	char *d;
	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*bad = 1;
	return d;
}

int dc_violations_add(dc_violations *v, const char *rule, dc_level level, const char *service,
		      const char *target, const char *key, dc_location loc, const char *message)
{
	dc_violation x;
	int bad = 0;
	char *k = NULL;
	if (!v || !rule || !service || !message || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return DC_EINVALID;
	if (!key) {
		size_t n = strlen(service) + (target ? strlen(target) + 4 : 0) + 1;
		if (!(k = malloc(n)))
			return DC_ENOMEM;
		snprintf(k, n, "%s%s%s", service, target ? " -> " : "", target ? target : "");
	}
	memset(&x, 0, sizeof(x));
	x.level = level;
	x.rule = dup_or_null(rule, &bad);
	x.message = dup_or_null(message, &bad);
	x.service = dup_or_null(service, &bad);
	x.target = dup_or_null(target, &bad);
	x.key = k ? k : dup_or_null(key, &bad);
	x.loc.file = dup_or_null(loc.file, &bad);
	x.loc.line = loc.file ? loc.line : 0;
	x.loc.column = loc.file ? loc.column : 0;
	if (bad || dc_vec_push(&v->items, x)) {
		viol_clear(&x);
		return DC_ENOMEM;
	}
	return 0;
}

static int cmp_viol(const void *pa, const void *pb)
{
	const dc_violation *a = pa, *b = pb;
	int c;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	if (!a->loc.file != !b->loc.file)
		return a->loc.file ? -1 : 1;
	if (a->loc.file && (c = strcmp(a->loc.file, b->loc.file)))
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.column != b->loc.column)
		return a->loc.column < b->loc.column ? -1 : 1;
	if ((c = strcmp(a->rule, b->rule)))
		return c;
	return strcmp(a->key, b->key);
}

void dc_violations_sort(dc_violations *v)
{
	if (v->items.len > 1)
		qsort(v->items.items, v->items.len, sizeof(*v->items.items), cmp_viol);
}

/* ---- baselines ------------------------------------------------------------------ */

/* "rule\x1fkey": the unit separator cannot appear in a rule id. */
static char *match_key(const dc_violation *v, size_t *len)
{
	size_t a = strlen(v->rule), b = strlen(v->key);
	char *s = malloc(a + b + 2);
	if (!s)
		return NULL;
	memcpy(s, v->rule, a);
	s[a] = '\x1f';
	memcpy(s + a + 1, v->key, b + 1);
	*len = a + b + 1;
	return s;
}

/* Returns the number matched, or (size_t)-1 when out of memory. */
static size_t match(const dc_violations *base, const dc_violations *head, uint8_t *known)
{
	dc_strtab t;
	DC_VEC(uint32_t) counts = {0};
	size_t i, n = 0, len;
	if (known && head->items.len)
		memset(known, 0, head->items.len);
	if (dc_strtab_init(&t))
		return (size_t)-1;
	for (i = 0; i < base->items.len; i++) {
		char *s = match_key(&base->items.items[i], &len);
		uint32_t id = s ? dc_strtab_intern(&t, s, len) : 0;
		free(s);
		if (!id || dc_vec_reserve(&counts, id + 1 > counts.len ? id + 1 - counts.len : 0))
			goto nomem;
		while (counts.len <= id)
			counts.items[counts.len++] = 0;
		counts.items[id]++;
	}
	for (i = 0; i < head->items.len; i++) {
		char *s = match_key(&head->items.items[i], &len);
		uint32_t id;
		if (!s)
			goto nomem;
		id = dc_strtab_lookup(&t, s, len);
		free(s);
		if (id && counts.items[id]) {
			counts.items[id]--;
			n++;
			if (known)
				known[i] = 1;
		}
	}
	dc_vec_free(&counts);
	dc_strtab_free(&t);
	return n;
nomem:
	dc_vec_free(&counts);
	dc_strtab_free(&t);
	return (size_t)-1;
}

size_t dc_violations_match(const dc_violations *base, const dc_violations *head, uint8_t *known)
{
	size_t n = match(base, head, known);
	return n == (size_t)-1 ? 0 : n;
}

int dc_violations_subtract(dc_violations *head, const dc_violations *base, size_t *ignored)
{
	uint8_t *known = malloc(head->items.len ? head->items.len : 1);
	size_t i, j = 0, n;
	if (!known)
		return DC_ENOMEM;
	n = match(base, head, known);
	if (n == (size_t)-1) {
		free(known);
		return DC_ENOMEM;
	}
	for (i = 0; i < head->items.len; i++) {
		if (known[i])
			viol_clear(&head->items.items[i]);
		else
			head->items.items[j++] = head->items.items[i];
	}
	head->items.len = j;
	free(known);
	if (ignored)
		*ignored = n;
	return 0;
}

/* Append copies of the violations of `from` not marked known to `to`. */
static int copy_unknown(dc_violations *to, const dc_violations *from, const dc_violations *other)
{
	uint8_t *known = malloc(from->items.len ? from->items.len : 1);
	size_t i;
	int rc = 0;
	if (!known || match(other, from, known) == (size_t)-1) {
		free(known);
		return DC_ENOMEM;
	}
	for (i = 0; i < from->items.len && !rc; i++) {
		const dc_violation *x = &from->items.items[i];
		if (!known[i])
			rc = dc_violations_add(to, x->rule, x->level, x->service, x->target, x->key, x->loc,
					       x->message);
	}
	free(known);
	return rc;
}

int dc_violations_compare(const dc_violations *base, const dc_violations *head, dc_violations *added,
			  dc_violations *fixed)
{
	int rc = 0;
	if (!base || !head || added == base || added == head || fixed == base || fixed == head ||
	    (added && added == fixed))
		return DC_EINVALID;
	if (added)
		rc = copy_unknown(added, head, base);
	if (!rc && fixed)
		rc = copy_unknown(fixed, base, head);
	return rc;
}

/* ---- checking ---------------------------------------------------------------------- */

typedef struct {
	dc_violations *out;
	const dc_graph *g;
	const dc_catalog *cat;
	const dc_analysis *a;
	const pol_rule *r;
	int nomem;
	const char *(*key_name)(void *ctx, dc_id service);   /* NULL: dc_service_ref */
	void *key_ctx;
	char key[1024];
} ck;

#ifdef __GNUC__
__attribute__((format(printf, 6, 7)))
#endif
static void report(ck *c, dc_id s, dc_id t, const char *key, dc_location loc, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (dc_violations_add(c->out, c->r->id, c->r->level, dc_service_name(c->cat, s),
			      t == DC_NO_ID ? NULL : dc_service_name(c->cat, t), key, loc, msg))
		c->nomem = 1;
}

static const char *nm(const ck *c, dc_id s) { return dc_service_name(c->cat, s); }
/* a service in subject keys */
static const char *ref(const ck *c, dc_id s)
{
	return c->key_name ? c->key_name(c->key_ctx, s) : dc_service_ref(c->cat, s);
}

static const char *dep_key(ck *c, dc_id from, dc_id to)
{
	snprintf(c->key, sizeof(c->key), "%s -> %s", ref(c, from), ref(c, to));
	return c->key;
}

static const char *svc_key(ck *c, dc_id s, const char *what)
{
	snprintf(c->key, sizeof(c->key), "%s%s%s", ref(c, s), what ? " " : "", what ? what : "");
	return c->key;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A cycle's key: its members' references, sorted (the set, not the order
 * in which analyze lists them or the edge that closes it). */
static char *cycle_key(ck *c, const dc_id *mem, size_t n)
{
	const char **refs = malloc(n * sizeof(*refs));
	size_t i, len = 8;
	char *k, *p;
	if (!refs)
		return NULL;
	for (i = 0; i < n; i++) {
		refs[i] = ref(c, mem[i]);
		len += strlen(refs[i]) + 2;
	}
	qsort(refs, n, sizeof(*refs), cmp_str_ptr);
	if ((k = malloc(len))) {
		p = k;
		p += sprintf(p, "cycle:");
		for (i = 0; i < n; i++)
			p += sprintf(p, "%s%s", i ? ", " : " ", refs[i]);
	}
	free(refs);
	return k;
}

static void check_cycles(ck *c, int hard)
{
	size_t n = dc_analysis_cycle_count(c->a, hard), i, k;
	for (i = 0; i < n; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm_ = dc_analysis_cycle_members(c->a, hard, i, &mem);
		size_t ne = dc_analysis_cycle_edges(c->a, hard, i, &ed);
		char list[700];
		size_t off = 0;
		char *key = cycle_key(c, mem, nm_);
		dc_location loc = { NULL, 0, 0 };
		dc_id s = mem[0], t = DC_NO_ID;
		if (!key) {
			c->nomem = 1;
			return;
		}
		list[0] = '\0';
		for (k = 0; k < nm_ && k < 8; k++) {
			int len = snprintf(list + off, sizeof(list) - off, "%s%s", k ? ", " : "",
					   nm(c, mem[k]));
			if (len < 0 || (size_t)len >= sizeof(list) - off) {
				list[off] = '\0';
				break;
			}
			off += (size_t)len;
		}
		if (nm_ > k)
			snprintf(list + off, sizeof(list) - off, " and %zu more", nm_ - k);
		if (ne) {
			loc = dc_dep_location(c->cat, ed[0]);
			s = dc_dep_from(c->cat, ed[0]);
			t = dc_dep_to(c->cat, ed[0]);
		}
		report(c, s, t, key, loc, hard ? "hard dependency cycle between %zu services: %s (they "
		       "go down together and cannot start from cold)" : "dependency cycle between %zu "
		       "services: %s", nm_, list);
		free(key);
	}
}

static void check_tier(ck *c)
{
	size_t d, nd = dc_catalog_dep_count(c->cat);
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		int tf = dc_service_tier(c->cat, f), tt = dc_service_tier(c->cat, t);
		if (dc_dep_kind_of(c->cat, d) != DC_DEP_HARD || dc_dep_group(c->cat, d) || !tf || !tt ||
		    tt <= tf)
			continue;
		report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d),
		       "tier-%d service '%s' hard-depends on tier-%d '%s' (a less critical service can "
		       "take it down)", tf, nm(c, f), tt, nm(c, t));
	}
}

static void check_blast(ck *c)
{
	const dc_blast *b = dc_analysis_blast(c->a);
	size_t n = dc_catalog_service_count(c->cat);
	double limit = c->r->percent ? c->r->max * (double)n / 100.0 : c->r->max;
	dc_id s;
	for (s = 0; s < n; s++) {
		size_t down = dc_blast_down(b, s);
		if ((double)down <= limit)
			continue;
		if (c->r->percent)
			report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
			       "failure of '%s' takes down %zu other service%s, %.0f%% of %zu (max %g%%)",
			       nm(c, s), down, down == 1 ? "" : "s", 100.0 * (double)down / (double)n, n,
			       c->r->max);
		else
			report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
			       "failure of '%s' takes down %zu other service%s (max %g)", nm(c, s), down,
			       down == 1 ? "" : "s", c->r->max);
	}
}

/* Depth of every service: the longest chain (in components of the
 * condensation, like dc_scc_depth) starting at it. Components are numbered
 * providers first, so one pass in component order settles each. */
static void check_depth(ck *c)
{
	dc_scc *scc = NULL;
	size_t ncomp, i;
	uint32_t *depth = NULL, *best = NULL;
	dc_id v, *next = NULL;    /* per component: the first step of its longest chain */
	if (dc_scc_compute(&scc, c->g, 0)) {
		c->nomem = 1;
		return;
	}
	ncomp = dc_scc_count(scc);
	depth = calloc(ncomp ? ncomp : 1, sizeof(*depth));
	best = malloc((ncomp ? ncomp : 1) * sizeof(*best));   /* member that starts the chain */
	next = malloc((ncomp ? ncomp : 1) * sizeof(*next));
	if (!depth || !best || !next) {
		c->nomem = 1;
		goto out;
	}
	for (i = 0; i < ncomp; i++) {
		const dc_id *mem;
		size_t nm_ = dc_scc_members(scc, (uint32_t)i, &mem), k;
		uint32_t d = 1;
		best[i] = mem[0];
		next[i] = DC_NO_ID;
		for (k = 0; k < nm_; k++) {
			const dc_id *to;
			size_t first, no = dc_graph_out(c->g, mem[k], &to, &first), j;
			if (strcmp(nm(c, mem[k]), nm(c, best[i])) < 0)
				best[i] = mem[k];
			for (j = 0; j < no; j++) {
				uint32_t cj = dc_scc_of(scc, to[j]);
				if (cj != i && depth[cj] + 1 > d) {
					d = depth[cj] + 1;
					next[i] = to[j];
				}
			}
		}
		depth[i] = d;
	}
	/* report the tops of too-long chains: components over the limit that
	 * no other component over the limit depends on */
	for (i = 0; i < ncomp; i++) {
		const dc_id *mem, *from;
		const uint32_t *edges;
		size_t nm_ = dc_scc_members(scc, (uint32_t)i, &mem), k, j;
		int top = 1;
		char chain[600];
		size_t off = 0, hops;
		uint32_t ci;
		if (depth[i] <= c->r->max)
			continue;
		for (k = 0; k < nm_ && top; k++) {
			size_t ni = dc_graph_in(c->g, mem[k], &from, &edges);
			for (j = 0; j < ni; j++) {
				uint32_t cj = dc_scc_of(scc, from[j]);
				if (cj != i && depth[cj] > c->r->max) {
					top = 0;
					break;
				}
			}
		}
		if (!top)
			continue;
		/* the chain, by steps to a dependency one shorter; at most 12 names */
		v = best[i];
		ci = (uint32_t)i;
		chain[0] = '\0';
		for (hops = 0; hops < 12; hops++) {
			size_t w = off;
			int len = snprintf(chain + off, sizeof(chain) - off, "%s%s", hops ? " -> " : "",
					   nm(c, v));
			if (len < 0 || (size_t)len >= sizeof(chain) - off) {
				chain[w] = '\0';
				break;
			}
			off += (size_t)len;
			if (depth[ci] == 1)
				break;
			/* one shorter: inside a cycle the chain may leave from another
			 * member than the one it entered by (as analyze's longest chain) */
			v = next[ci];
			ci = dc_scc_of(scc, v);
			if (hops == 11 && depth[ci] > 1)
				snprintf(chain + off, sizeof(chain) - off, " -> ...");
		}
		report(c, best[i], DC_NO_ID, svc_key(c, best[i], NULL), dc_service_location(c->cat, best[i]),
		       "dependency chain of %u services from '%s' (max %g): %s", depth[i], nm(c, best[i]),
		       c->r->max, chain);
	}
out:
	free(depth);
	free(best);
	free(next);
	dc_scc_free(scc);
}

static void check_fan(ck *c, int out)
{
	size_t n = dc_graph_node_count(c->g);
	dc_id s;
	for (s = 0; s < n; s++) {
		const dc_id *ids;
		const uint32_t *edges;
		size_t first, k = out ? dc_graph_out(c->g, s, &ids, &first) : dc_graph_in(c->g, s, &ids, &edges);
		if ((double)k <= c->r->max)
			continue;
		report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
		       "'%s' has %zu %s (max %g)", nm(c, s), k, out ? "dependencies" : "dependents",
		       c->r->max);
	}
}

static void path_text(const ck *c, const dc_id *path, size_t n, char *buf, size_t size)
{
	size_t i, off = 0;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int len = snprintf(buf + off, size - off, "%s%s", i ? " -> " : "", nm(c, path[i]));
		if (len < 0 || (size_t)len >= size - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)len;
	}
}

static void check_amplification(ck *c)
{
	const dc_amplification *amp;
	size_t n = dc_analysis_amplification(c->a, &amp), i;
	char path[600];
	for (i = 0; i < n; i++) {
		if (!amp[i].unbounded && amp[i].factor <= c->r->max)
			continue;
		path_text(c, amp[i].path, amp[i].path_len, path, sizeof(path));
		if (amp[i].unbounded)
			report(c, amp[i].service, DC_NO_ID, svc_key(c, amp[i].service, NULL),
			       dc_service_location(c->cat, amp[i].service),
			       "one user request can reach '%s' without bound (a cycle with retries calls "
			       "it), via %s", nm(c, amp[i].service), path);
		else
			report(c, amp[i].service, DC_NO_ID, svc_key(c, amp[i].service, NULL),
			       dc_service_location(c->cat, amp[i].service),
			       "one user request can reach '%s' %g times (max %g), via %s",
			       nm(c, amp[i].service), amp[i].factor, c->r->max, path);
	}
}

static void check_timeouts(ck *c)
{
	const dc_timeout_violation *tv;
	size_t n = dc_analysis_timeout_violations(c->a, &tv), i;
	for (i = 0; i < n; i++) {
		dc_id f = dc_dep_from(c->cat, tv[i].dep), t = dc_dep_to(c->cat, tv[i].dep);
		/* a timeout nobody wrote (the built-in default, e.g. every Backstage
		 * relation) is not a decision a merge request made: analyze lists
		 * it, the gate does not */
		if (!(c->cat->deps.items[tv[i].dep].flags & DEP_EX_TIMEOUT))
			continue;
		report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, tv[i].dep),
		       "'%s' gives up on '%s' after %g ms, but '%s' may need %g ms to answer (its latency "
		       "plus its own timeouts and retries)", nm(c, f), nm(c, t), tv[i].timeout_ms, nm(c, t),
		       tv[i].needed_ms);
	}
}

static void check_spof(ck *c)
{
	const dc_id *ids, *eps;
	size_t n = dc_analysis_spofs(c->a, &ids), i, k;
	for (i = 0; i < n; i++) {
		size_t ne = dc_analysis_spof_entrypoints(c->a, ids[i], &eps), shown = 0, total = 0;
		char list[600];
		size_t off = 0;
		list[0] = '\0';
		for (k = 0; k < ne; k++) {
			if (c->r->tier1_only && dc_service_tier(c->cat, eps[k]) != 1)
				continue;
			total++;
			if (shown < 8) {
				int len = snprintf(list + off, sizeof(list) - off, "%s%s", shown ? ", " : "",
						   nm(c, eps[k]));
				if (len > 0 && (size_t)len < sizeof(list) - off) {
					off += (size_t)len;
					shown++;
				}
			}
		}
		if (!total)
			continue;
		if (total > shown)
			snprintf(list + off, sizeof(list) - off, " and %zu more", total - shown);
		report(c, ids[i], DC_NO_ID, svc_key(c, ids[i], NULL), dc_service_location(c->cat, ids[i]),
		       "'%s' is a single point of failure: its failure alone takes down %s%s %s",
		       nm(c, ids[i]), c->r->tier1_only ? "tier-1 " : "", total == 1 ? "entrypoint" :
		       "entrypoints", list);
	}
}

static int field_missing(const dc_catalog *cat, dc_id s, size_t bit)
{
	const svc_t *v = &cat->svcs.items[s];
	switch (1u << bit) {
	case FIELD_OWNER: return !v->owner;
	case FIELD_SYSTEM: return !v->system;
	case FIELD_TIER: return !v->tier;
	case FIELD_DESCRIPTION: return !v->description;
	case FIELD_SLO: return dc_service_slo(cat, s) < 0;
	case FIELD_ZONES: return !v->nzones;
	case FIELD_TAGS: return !v->ntags;
	case FIELD_AVAILABILITY: return !(v->explicit_attrs & SVC_EX_AVAIL);
	case FIELD_LATENCY: return !(v->explicit_attrs & SVC_EX_LATENCY);
	case FIELD_REPLICAS: return !(v->explicit_attrs & SVC_EX_REPLICAS);
	}
	return 0;
}

static void check_fields(ck *c)
{
	size_t n = dc_catalog_service_count(c->cat), k;
	dc_id s;
	for (s = 0; s < n; s++) {
		if (dc_service_is_external(c->cat, s))
			continue;
		for (k = 0; pol_field_names[k]; k++)
			if ((c->r->fields & (1u << k)) && field_missing(c->cat, s, k))
				report(c, s, DC_NO_ID, svc_key(c, s, pol_field_names[k]),
				       dc_service_location(c->cat, s), "'%s' has no %s", nm(c, s),
				       pol_field_names[k]);
	}
}

static void check_unresolved(ck *c)
{
	size_t d, nd = dc_catalog_dep_count(c->cat);
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		if (!dc_service_is_external(c->cat, t) || dc_dep_is_inferred(c->cat, d) ||
		    (c->cat->svcs.items[t].flags & SVC_DECLARED_EXTERNAL))
			continue;
		report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d),
		       "'%s' depends on '%s', which is not defined in the catalog", nm(c, f),
		       dc_dep_target_text(c->cat, d));
	}
}

static int has_str(const pol_sel *s, const char *v)
{
	size_t i;
	for (i = 0; v && i < s->nvalues; i++)
		if (!strcmp(s->values[i], v))
			return 1;
	return 0;
}

/* Selectors are small trees written by hand (their depth is bounded by the
 * policy parser's nesting limit), so recursion is fine here. */
static int sel_match(const pol_sel *s, const dc_catalog *cat, dc_id v)
{
	size_t i;
	switch (s->kind) {
	case SEL_AND:
		for (i = 0; i < s->nkids; i++)
			if (!sel_match(s->kids[i], cat, v))
				return 0;
		return 1;
	case SEL_OR:
		for (i = 0; i < s->nkids; i++)
			if (sel_match(s->kids[i], cat, v))
				return 1;
		return 0;
	case SEL_NOT:
		return !sel_match(s->kids[0], cat, v);
	case SEL_NAME:
		return regexec(&s->re, dc_service_name(cat, v), 0, NULL, 0) == 0 ||
		       regexec(&s->re, dc_service_ref(cat, v), 0, NULL, 0) == 0;
	case SEL_SYSTEM:
		return has_str(s, dc_service_system(cat, v));
	case SEL_OWNER:
		return has_str(s, dc_service_owner(cat, v));
	case SEL_TAG:
		for (i = 0; i < dc_service_tag_count(cat, v); i++)
			if (has_str(s, dc_service_tag(cat, v, i)))
				return 1;
		return 0;
	case SEL_TIER:
		for (i = 0; i < s->nvalues; i++)
			if (s->tiers[i] == dc_service_tier(cat, v))
				return 1;
		return 0;
	}
	return 0;
}

static void check_forbidden(ck *c)
{
	size_t n = dc_catalog_service_count(c->cat), d, nd = dc_catalog_dep_count(c->cat);
	uint8_t *m = malloc(n ? n : 1);
	dc_id s;
	if (!m) {
		c->nomem = 1;
		return;
	}
	/* bit 1: matches `from`, bit 2: matches `to` (one regexec per service) */
	for (s = 0; s < n; s++)
		m[s] = (uint8_t)((!c->r->from || sel_match(c->r->from, c->cat, s)) |
				 ((!c->r->to || sel_match(c->r->to, c->cat, s)) << 1));
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		if (!(m[f] & 1) || !(m[t] & 2) ||
		    (c->r->dep_kind >= 0 && (int)dc_dep_kind_of(c->cat, d) != c->r->dep_kind))
			continue;
		report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d), "%s: '%s' depends on '%s'",
		       c->r->message, nm(c, f), nm(c, t));
	}
	free(m);
}

/* Entrypoints below their availability target. The engine runs without
 * importance and cut sets (the gate needs the estimates only) with the
 * rule's trials and seed: the same catalog always gets the same verdict,
 * whatever the number of threads. A miss is the estimate below the target,
 * as `depcheck availability` counts SLO misses; the interval is in the
 * message so a reader can tell a clear miss from a coin toss. */
#define MIN_PER_30D 43200.0

static void check_min_availability(ck *c)
{
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability *av = NULL;
	const dc_id *eps;
	size_t neps, i;
	o.trials = c->r->trials;
	o.seed = c->r->seed;
	o.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
	if (dc_availability_compute(&av, c->g, &o)) {
		c->nomem = 1;  /* the options are valid by construction: out of memory */
		return;
	}
	neps = dc_availability_entrypoints(av, &eps);
	for (i = 0; i < neps; i++) {
		dc_id s = eps[i];
		const dc_availability_estimate *e = dc_availability_of(av, s);
		double slo = dc_service_slo(c->cat, s), target = c->r->min_avail >= 0 ? c->r->min_avail : slo;
		char how[160];
		if (target < 0 || e->method == DC_AVAIL_NONE || !(e->availability < target - 1e-12))
			continue;
		if (e->method == DC_AVAIL_EXACT)
			snprintf(how, sizeof(how), "exact");
		else
			snprintf(how, sizeof(how), "Monte Carlo, %llu trials, 95%% interval [%.6f, %.6f]",
				 (unsigned long long)e->trials, e->ci_low, e->ci_high);
		report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
		       "entrypoint '%s' has an effective availability of %.6f (%s), below %s %g: "
		       "%.1f min of downtime per 30 days where %.1f are allowed", nm(c, s), e->availability,
		       how, c->r->min_avail >= 0 ? "the policy's minimum" : "its slo", target,
		       (1 - e->availability) * MIN_PER_30D, (1 - target) * MIN_PER_30D);
	}
	dc_availability_free(av);
}

/* ---- observed calls ------------------------------------------------------------- */

int dc_violations_add_undeclared(dc_violations *out, const dc_graph *g, const dc_observed *obs,
				 const dc_reconcile *r, dc_level level)
{
	const dc_catalog *cat;
	const dc_undeclared *u;
	size_t n, i;
	char *key = NULL, msg[2600];
	size_t cap = 0;
	int rc = 0;
	if (!out || !g || !obs || !r || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return DC_EINVALID;
	cat = dc_graph_catalog(g);
	n = dc_reconcile_undeclared(r, &u);
	for (i = 0; i < n && !rc; i++) {
		const char *caller = dc_service_name(cat, u[i].caller);
		const char *callee = u[i].callee != DC_NO_ID ? dc_service_name(cat, u[i].callee)
							      : dc_observed_callee(obs, u[i].observed);
		const char *cref = u[i].callee != DC_NO_ID ? dc_service_ref(cat, u[i].callee) : callee;
		const char *fref = dc_service_ref(cat, u[i].caller);
		dc_location at = dc_observed_location(obs, u[i].observed);
		size_t need = strlen(fref) + strlen(cref) + 5;
		if (need > cap) {
			char *k = realloc(key, need);
			if (!k) {
				rc = DC_ENOMEM;
				break;
			}
			key = k;
			cap = need;
		}
		snprintf(key, cap, "%s -> %s", fref, cref);
		/* names are bounded by the observed reader (1 KiB): the message fits */
		snprintf(msg, sizeof(msg), "'%s' calls %s'%s' in production (%" PRIu64 " call%s observed, "
			 "first at %s:%u:%u) but declares no dependency on it", caller,
			 u[i].callee == DC_NO_ID ? "the unknown service " : "", callee, u[i].calls,
			 u[i].calls == 1 ? "" : "s", at.file ? at.file : "?", at.line, at.column);
		rc = dc_violations_add(out, dc_rule_kind_name(DC_RULE_UNDECLARED_DEPENDENCY), level, caller,
				       callee, key, dc_service_location(cat, u[i].caller), msg);
	}
	free(key);
	return rc;
}

static void check_undeclared(ck *c, const dc_check_options *opts)
{
	dc_reconcile *r = NULL;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	ro.min_calls = opts->min_calls;
	if (dc_reconcile_compute(&r, c->g, opts->observed, &ro) ||
	    dc_violations_add_undeclared(c->out, c->g, opts->observed, r, c->r->level))
		c->nomem = 1;
	dc_reconcile_free(r);
}

int dc_check(dc_violations *out, const dc_graph *g, const dc_analysis *a, const dc_policy *policy,
	     const dc_check_options *opts)
{
	ck c;
	dc_analysis *own = NULL;
	size_t i;
	const dc_observed *observed = NULL;
	if (!out || !g || !policy || (opts && opts->version != 1 && opts->version != DC_CHECK_OPTIONS_VERSION))
		return DC_EINVALID;
	/* version 1 options end before `observed` */
	if (opts && opts->version >= 2)
		observed = opts->observed;
	/* the analysis (every blast radius: the costly part) only when a rule
	 * that reads it is on */
	for (i = 0; i < policy->rules.len && !a; i++) {
		dc_rule_kind k = policy->rules.items[i].kind;
		if (policy->rules.items[i].level != DC_LEVEL_OFF &&
		    (k == DC_RULE_NO_HARD_CYCLES || k == DC_RULE_NO_CYCLES || k == DC_RULE_MAX_BLAST_RADIUS ||
		     k == DC_RULE_MAX_RETRY_AMPLIFICATION || k == DC_RULE_TIMEOUT_BUDGET ||
		     k == DC_RULE_NO_SPOF)) {
			int rc = dc_analyze(&own, g, NULL);
			if (rc)
				return rc;
			a = own;
		}
	}
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.g = g;
	c.cat = dc_graph_catalog(g);
	c.a = a;
	if (opts && opts->version >= 2) {
		c.key_name = opts->key_name;
		c.key_ctx = opts->key_ctx;
	}
	for (i = 0; i < policy->rules.len && !c.nomem; i++) {
		c.r = &policy->rules.items[i];
		if (c.r->level == DC_LEVEL_OFF)
			continue;
		switch (c.r->kind) {
		case DC_RULE_NO_HARD_CYCLES: check_cycles(&c, 1); break;
		case DC_RULE_NO_CYCLES: check_cycles(&c, 0); break;
		case DC_RULE_TIER: check_tier(&c); break;
		case DC_RULE_MAX_BLAST_RADIUS: check_blast(&c); break;
		case DC_RULE_MAX_DEPTH: check_depth(&c); break;
		case DC_RULE_MAX_FAN_IN: check_fan(&c, 0); break;
		case DC_RULE_MAX_FAN_OUT: check_fan(&c, 1); break;
		case DC_RULE_MAX_RETRY_AMPLIFICATION: check_amplification(&c); break;
		case DC_RULE_TIMEOUT_BUDGET: check_timeouts(&c); break;
		case DC_RULE_NO_SPOF: check_spof(&c); break;
		case DC_RULE_REQUIRED_FIELDS: check_fields(&c); break;
		case DC_RULE_UNRESOLVED_REFERENCES: check_unresolved(&c); break;
		case DC_RULE_UNDECLARED_DEPENDENCY:
			if (observed)
				check_undeclared(&c, opts);
			break;
		case DC_RULE_MIN_AVAILABILITY: check_min_availability(&c); break;
		case DC_RULE_FORBIDDEN: check_forbidden(&c); break;
		case DC_RULE_COUNT_: break;
		}
	}
	dc_analysis_free(own);
	if (c.nomem)
		return DC_ENOMEM;
	dc_violations_sort(out);
	return 0;
}

/* ---- the gate ------------------------------------------------------------------ */

int dc_level_fails(dc_level l, dc_level fail_on)
{
	return fail_on != DC_LEVEL_OFF && l >= fail_on;
}

int dc_violations_gate(const dc_violations *v, dc_level fail_on)
{
	size_t i, n = v ? dc_violations_count(v) : 0;
	for (i = 0; i < n; i++)
		if (dc_level_fails(dc_violations_get(v, i)->level, fail_on))
			return 1;
	return 0;
}
