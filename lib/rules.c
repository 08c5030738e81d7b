/*
 * rules.c - the policy rules of `depcheck check`: one table (dc__rules[],
 * at the bottom), and above it one section per rule with what only that
 * rule knows: its options struct with their defaults and parser, its
 * description and its check.
 *
 * The table is the one list of rules. The policy parser (policy.c) looks
 * rules up in it, the default policy's text is built from it, and
 * dc_check() (check.c) runs its check functions, so adding a rule is a
 * section here and one table entry (lib/README.md: "Adding a policy
 * rule"). Rules are addressed by id: no public constant names a rule, so
 * a new rule changes no public value (depcheck/policy.h says why).
 *
 * Every check is one linear pass over services or dependencies, or a walk
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
#include "policy_int.h"
#include "catalog_int.h"
#include "deploy_int.h"
#include "chaos_int.h"

#include <depcheck/availability.h>
#include <depcheck/impact.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <time.h>

/* ---- helpers of check functions ------------------------------------------------ */

static const char *nm(const ck *c, dc_id s) { return dc_service_name(c->cat, s); }

/* Append s to c->key at *off, cut where it does not fit (as snprintf). */
static void key_put(ck *c, size_t *off, const char *s)
{
	size_t n = strlen(s), room = sizeof(c->key) - 1 - *off;
	if (n > room)
		n = room;
	memcpy(c->key + *off, s, n);
	*off += n;
	c->key[*off] = '\0';
}

/* Keys are made for every finding, also the millions a list only counts:
 * copies, not snprintf. */
static const char *dep_key(ck *c, dc_id from, dc_id to)
{
	size_t off = 0;
	c->key[0] = '\0';
	key_put(c, &off, dc__key_ref(c, from));
	key_put(c, &off, " -> ");
	key_put(c, &off, dc__key_ref(c, to));
	return c->key;
}

static const char *svc_key(ck *c, dc_id s, const char *what)
{
	size_t off = 0;
	c->key[0] = '\0';
	key_put(c, &off, dc__key_ref(c, s));
	if (what) {
		key_put(c, &off, " ");
		key_put(c, &off, what);
	}
	return c->key;
}

/* "a -> b -> c" into buf, cut before the name that does not fit. */
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

/* A scalar for messages: 'text', or the node's type unquoted. */
#define QUOTED(n) (n)->kind == DOC_SCALAR ? "'" : "", \
	(n)->kind == DOC_SCALAR ? (n)->u.s : doc_type_name(n), (n)->kind == DOC_SCALAR ? "'" : ""

/* ---- max-*: a limit per service ------------------------------------------------- */

/* The options of every max-* rule. */
typedef struct {
	double max;
	int percent;   /* max-blast-radius: max is a percentage of the services */
} max_opts;

static void init_blast(void *o) { ((max_opts *)o)->max = 25; ((max_opts *)o)->percent = 1; }
static void init_depth(void *o) { ((max_opts *)o)->max = 10; }
static void init_fan_in(void *o) { ((max_opts *)o)->max = 50; }
static void init_fan_out(void *o) { ((max_opts *)o)->max = 20; }
static void init_amplification(void *o) { ((max_opts *)o)->max = 10; }

/* `max`: a number >= 0; `whole`: a whole one; `percent`: also "N%". */
static int parse_max(pctx *c, pol_rule *r, const char *key, const doc_node *n, int whole,
		     int percent)
{
	max_opts *o = r->opts;
	double d;
	if (strcmp(key, "max"))
		return 0;
	if (percent && n->kind == DOC_SCALAR && n->n > 1 && n->u.s[n->n - 1] == '%') {
		char *end;
		errno = 0;
		d = strtod(n->u.s, &end);
		if (end != n->u.s + n->n - 1 || errno || !(d >= 0 && d <= 100)) {
			dc__policy_error(c, n, "max of %s must be a count or a percentage "
					 "from 0%% to 100%%, not '%s'", r->id, n->u.s);
			return 1;
		}
		o->max = d;
		o->percent = 1;
		return 1;
	}
	if (doc_double(n, 0, &d) || !(d >= 0) || isinf(d)) {
		dc__policy_error(c, n, "max of %s must be a number >= 0%s, not %s%s%s", r->id,
				 percent ? " or a percentage like 25%" : "", QUOTED(n));
		return 1;
	}
	if (whole && d != floor(d)) {
		dc__policy_error(c, n, "max of %s must be a whole number, not '%s'", r->id, n->u.s);
		return 1;
	}
	o->max = d;
	o->percent = 0;
	return 1;
}

static int opt_max_count(pctx *c, pol_rule *r, const char *key, const doc_node *v)
{
	return parse_max(c, r, key, v, 1, 0);
}

static int opt_max_factor(pctx *c, pol_rule *r, const char *key, const doc_node *v)
{
	return parse_max(c, r, key, v, 0, 0);
}

static int opt_max_blast(pctx *c, pol_rule *r, const char *key, const doc_node *v)
{
	return parse_max(c, r, key, v, 0, 1);
}

static double max_of(const ck *c) { return ((const max_opts *)c->r->opts)->max; }

/* ---- no-hard-cycles, no-cycles ------------------------------------------------- */

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
		refs[i] = dc__key_ref(c, mem[i]);
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

static void check_cycles_of(ck *c, dc_edge_set edges)
{
	int hard = edges == DC_EDGES_HARD_ONLY;
	size_t n = dc_analysis_cycle_count(c->a, edges), i, k;
	for (i = 0; i < n; i++) {
		const dc_id *mem;
		const uint32_t *ed;
		size_t nm_ = dc_analysis_cycle_members(c->a, edges, i, &mem);
		size_t ne = dc_analysis_cycle_edges(c->a, edges, i, &ed);
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
			/* a startup cycle points at its first startup-only edge */
			size_t at = 0;
			while (edges == DC_EDGES_STARTUP && at + 1 < ne && !dc_dep_is_startup(c->cat, ed[at]))
				at++;
			loc = dc_dep_location(c->cat, ed[at]);
			s = dc_dep_from(c->cat, ed[at]);
			t = dc_dep_to(c->cat, ed[at]);
		}
		if (edges == DC_EDGES_STARTUP)
			dc__report(c, s, t, key, loc, "startup cycle between %zu services: %s (each waits for "
				   "another to start: a cold start cannot happen)", nm_, list);
		else
		dc__report(c, s, t, key, loc, hard ? "hard dependency cycle between %zu services: %s (they "
			   "go down together and cannot start from cold)" : "dependency cycle between %zu "
			   "services: %s", nm_, list);
		free(key);
	}
}

static void check_hard_cycles(ck *c) { check_cycles_of(c, DC_EDGES_HARD_ONLY); }
static void check_cycles(ck *c) { check_cycles_of(c, DC_EDGES_ALL); }
static void check_startup_cycles(ck *c) { check_cycles_of(c, DC_EDGES_STARTUP); }

/* ---- tier ------------------------------------------------------------------------ */

static void check_tier(ck *c)
{
	size_t d, nd = dc_catalog_dep_count(c->cat), ns = dc_catalog_service_count(c->cat), i;
	/* the tiers side by side (a dependency's target is anywhere: one
	 * service record read per dependency was most of the rule's time) */
	int *tier = malloc((ns ? ns : 1) * sizeof(int));
	if (!tier) {
		c->nomem = 1;
		return;
	}
	for (i = 0; i < ns; i++)
		tier[i] = dc_service_tier(c->cat, (dc_id)i);
	for (d = 0; d < nd && !c->nomem; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		int tf = f < ns ? tier[f] : 0, tt = t < ns ? tier[t] : 0;  /* (a target never resolved: none) */
		dc_location loc;
		if (!tf || !tt || tt <= tf || dc_dep_kind_of(c->cat, d) != DC_DEP_HARD || dc_dep_group(c->cat, d))
			continue;
		/* past the findings the list keeps: counted, no key made */
		loc = dc_dep_location(c->cat, d);
		if (dc__report_skip(c, loc))
			continue;
		dc__report(c, f, t, dep_key(c, f, t), loc,
			   "tier-%d service '%s' hard-depends on tier-%d '%s' (a less critical service can "
			   "take it down)", tf, nm(c, f), tt, nm(c, t));
	}
	free(tier);
}

/* ---- deploy-order ---------------------------------------------------------------- */

/* The order the deploy tools of the input were given (deploy_int.h): an
 * Argo CD sync wave that syncs a service before a hard dependency of it
 * (waves of Applications compared with Applications, of workloads with
 * workloads: they order different syncs), and a Flux dependsOn that waits
 * for a service which hard-depends on the waiting one. Equal waves are
 * not findings (Argo CD applies them together). any_of members are not
 * required one by one, so they are skipped. */

static void deploy_waves(ck *c, int type, const char *what)
{
	size_t n = dc_catalog_service_count(c->cat), no = dc__deploy_count(c->cat), d, nd, i;
	size_t *at = malloc((n ? n : 1) * sizeof(size_t));
	if (!at) {
		c->nomem = 1;
		return;
	}
	for (i = 0; i < n; i++)
		at[i] = SIZE_MAX;
	for (i = no; i-- > 0;) { /* the first object of a service wins */
		dc__deploy_obj o;
		dc__deploy_get(c->cat, i, &o);
		if (o.type == type && o.has_wave && o.svc != DC_NO_ID)
			at[o.svc] = i;
	}
	nd = dc_catalog_dep_count(c->cat);
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		dc__deploy_obj of, ot;
		if (dc_dep_kind_of(c->cat, d) != DC_DEP_HARD || dc_dep_group(c->cat, d) || t == DC_NO_ID ||
		    f == t || at[f] == SIZE_MAX || at[t] == SIZE_MAX)
			continue;
		dc__deploy_get(c->cat, at[f], &of);
		dc__deploy_get(c->cat, at[t], &ot);
		if (of.wave >= ot.wave)
			continue;
		snprintf(c->key, sizeof(c->key), "%s -> %s %s", dc__key_ref(c, f), dc__key_ref(c, t), what);
		dc__report(c, f, t, c->key, of.wave_loc,
			   "Argo CD syncs '%s' in wave %ld, before its hard dependency '%s' (wave %ld): "
			   "give '%s' a later wave", nm(c, f), of.wave, nm(c, t), ot.wave, nm(c, f));
	}
	free(at);
}

static int hard_dep(const dc_catalog *cat, dc_id from, dc_id to)
{
	size_t d = dc_service_dep_first(cat, from), e = d + dc_service_dep_count(cat, from);
	for (; d < e; d++)
		if (dc_dep_to(cat, d) == to && dc_dep_kind_of(cat, d) == DC_DEP_HARD && !dc_dep_group(cat, d))
			return 1;
	return 0;
}

static void check_deploy_order(ck *c)
{
	size_t no = dc__deploy_count(c->cat), i, k;
	dc__deploy_sorted sorted;
	deploy_waves(c, DC__DEPLOY_ARGO_APP, "sync-wave (Application)");
	if (!c->nomem)
		deploy_waves(c, DC__DEPLOY_RESOURCE, "sync-wave");
	if (c->nomem || !no)
		return;
	if (dc__deploy_sort(&sorted, c->cat)) {
		c->nomem = 1;
		return;
	}
	for (i = 0; i < no; i++) {
		dc__deploy_obj o;
		dc__deploy_get(c->cat, i, &o);
		if (o.svc == DC_NO_ID || (o.type != DC__DEPLOY_FLUX_KS && o.type != DC__DEPLOY_FLUX_HR))
			continue;
		for (k = 0; k < o.ndeps; k++) {
			const char *ns, *name;
			dc_location loc;
			size_t j;
			dc_id t = DC_NO_ID;
			dc__deploy_dep(c->cat, i, k, &ns, &name, &loc);
			j = dc__deploy_lookup(&sorted, o.type, ns ? ns : o.ns, name);
			if (j != SIZE_MAX) {
				dc__deploy_obj ot;
				dc__deploy_get(c->cat, j, &ot);
				t = ot.svc;
			} else if (dc_catalog_find(c->cat, name, &t)) {
				t = DC_NO_ID;
			}
			if (t == DC_NO_ID || t == o.svc || !hard_dep(c->cat, t, o.svc))
				continue;
			snprintf(c->key, sizeof(c->key), "%s -> %s dependsOn", dc__key_ref(c, o.svc), dc__key_ref(c, t));
			dc__report(c, o.svc, t, c->key, loc,
				   "Flux %s '%s' dependsOn '%s', but '%s' hard-depends on '%s': the dependency "
				   "runs the other way", o.kind, o.name, name, nm(c, t), nm(c, o.svc));
		}
	}
	dc__deploy_sorted_free(&sorted);
}

/* ---- max-blast-radius ------------------------------------------------------------- */

static void describe_blast(const pol_rule *r, char *buf, size_t size)
{
	const max_opts *o = r->opts;
	if (o->percent)
		snprintf(buf, size, "a service's lone failure takes down at most %g%% of the services",
			 o->max);
	else
		snprintf(buf, size, "a service's lone failure takes down at most %g other services", o->max);
}

static void check_blast(ck *c)
{
	const max_opts *o = c->r->opts;
	const dc_blast *b = dc_analysis_blast(c->a);
	size_t n = dc_catalog_service_count(c->cat);
	double limit = o->percent ? o->max * (double)n / 100.0 : o->max;
	dc_id s;
	for (s = 0; s < n; s++) {
		size_t down = dc_blast_down(b, s);
		if ((double)down <= limit)
			continue;
		if (o->percent)
			dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
				   "failure of '%s' takes down %zu other service%s, %.0f%% of %zu (max %g%%)",
				   nm(c, s), down, down == 1 ? "" : "s", 100.0 * (double)down / (double)n, n,
				   o->max);
		else
			dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
				   "failure of '%s' takes down %zu other service%s (max %g)", nm(c, s), down,
				   down == 1 ? "" : "s", o->max);
	}
}

/* ---- max-depth ------------------------------------------------------------------- */

static void describe_depth(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "dependency chains at most %g services long", ((const max_opts *)r->opts)->max);
}

/* Depth of every service: the longest chain (in components of the
 * condensation, like dc_scc_depth) starting at it. Components are numbered
 * providers first, so one pass in component order settles each. */
static void check_depth(ck *c)
{
	double max = max_of(c);
	dc_scc *scc = NULL;
	size_t ncomp, i;
	uint32_t *depth = NULL, *best = NULL;
	dc_id v, *next = NULL;    /* per component: the first step of its longest chain */
	if (dc_scc_compute(&scc, c->g, DC_EDGES_ALL)) {
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
			if (k && strcmp(nm(c, mem[k]), nm(c, best[i])) < 0) /* (k 0: best itself) */
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
		if (depth[i] <= max)
			continue;
		for (k = 0; k < nm_ && top; k++) {
			size_t ni = dc_graph_in(c->g, mem[k], &from, &edges);
			for (j = 0; j < ni; j++) {
				uint32_t cj = dc_scc_of(scc, from[j]);
				if (cj != i && depth[cj] > max) {
					top = 0;
					break;
				}
			}
		}
		if (!top || dc__report_skip(c, dc_service_location(c->cat, best[i])) ||
		    dc__report_counted(c, best[i], DC_NO_ID, svc_key(c, best[i], NULL),
				       dc_service_location(c->cat, best[i])))
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
		dc__report(c, best[i], DC_NO_ID, svc_key(c, best[i], NULL),
			   dc_service_location(c->cat, best[i]),
			   "dependency chain of %u services from '%s' (max %g): %s", depth[i],
			   nm(c, best[i]), max, chain);
	}
out:
	free(depth);
	free(best);
	free(next);
	dc_scc_free(scc);
}

/* ---- max-fan-in, max-fan-out ------------------------------------------------------- */

static void describe_fan_in(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "at most %g dependents per service", ((const max_opts *)r->opts)->max);
}

static void describe_fan_out(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "at most %g dependencies per service", ((const max_opts *)r->opts)->max);
}

static void check_fan(ck *c, int out)
{
	size_t n = dc_graph_node_count(c->g);
	dc_id s;
	for (s = 0; s < n; s++) {
		const dc_id *ids;
		const uint32_t *edges;
		size_t first, k = out ? dc_graph_out(c->g, s, &ids, &first) : dc_graph_in(c->g, s, &ids, &edges);
		if ((double)k <= max_of(c))
			continue;
		dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
			   "'%s' has %zu %s (max %g)", nm(c, s), k, out ? "dependencies" : "dependents",
			   max_of(c));
	}
}

static void check_fan_in(ck *c) { check_fan(c, 0); }
static void check_fan_out(ck *c) { check_fan(c, 1); }

/* ---- max-retry-amplification ------------------------------------------------------- */

static void describe_amplification(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "one user request reaches a service at most %g times",
		 ((const max_opts *)r->opts)->max);
}

static void check_amplification(ck *c)
{
	const dc_amplification *amp;
	size_t n = dc_analysis_amplification(c->a, &amp), i;
	char path[600];
	for (i = 0; i < n && !c->nomem; i++) {
		if (!amp[i].unbounded && amp[i].factor <= max_of(c))
			continue;
		if (dc__report_skip(c, dc_service_location(c->cat, amp[i].service)) ||
		    dc__report_counted(c, amp[i].service, DC_NO_ID, svc_key(c, amp[i].service, NULL),
				       dc_service_location(c->cat, amp[i].service)))
			continue;
		{
			dc_id *p = malloc((amp[i].path_len ? amp[i].path_len : 1) * sizeof(dc_id));
			if (!p) {
				c->nomem = 1;
				return;
			}
			dc_analysis_amplification_path(c->a, i, p, amp[i].path_len);
			path_text(c, p, amp[i].path_len, path, sizeof(path));
			free(p);
		}
		if (amp[i].unbounded)
			dc__report(c, amp[i].service, DC_NO_ID, svc_key(c, amp[i].service, NULL),
				   dc_service_location(c->cat, amp[i].service),
				   "one user request can reach '%s' without bound (a cycle with retries calls "
				   "it), via %s", nm(c, amp[i].service), path);
		else
			dc__report(c, amp[i].service, DC_NO_ID, svc_key(c, amp[i].service, NULL),
				   dc_service_location(c->cat, amp[i].service),
				   "one user request can reach '%s' %s%.0f times%s (max %g), via %s",
				   nm(c, amp[i].service), amp[i].factor >= DC_AMPLIFICATION_MAX ? "at least " : "",
				   amp[i].factor, amp[i].factor >= DC_AMPLIFICATION_MAX ? " (saturated)" : "",
				   max_of(c), path);
	}
}

/* ---- max-load-amplification --------------------------------------------------------- */

/* The retry storm risks of the analysis (depcheck/overload.h): a service a
 * single failure or hang sends more than `max` times its usual load, or
 * (over-capacity) past its capacity. Solved figures are judged as they
 * are, with their trigger; a bound only against `max`, and said to be one
 * (every retry at once is seldom reached: a bound past capacity is no
 * finding). Nothing runs without declared traffic_rps. */
typedef struct {
	double max;
	int over_capacity;
} load_amp_opts;

static void init_load_amp(void *o)
{
	((load_amp_opts *)o)->max = 10;
	((load_amp_opts *)o)->over_capacity = 1;
}

static int opt_load_amp(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	load_amp_opts *o = r->opts;
	double d;
	if (!strcmp(key, "over-capacity")) {
		if (doc_bool(n, &o->over_capacity))
			dc__policy_error(c, n, "over-capacity of %s must be true or false", r->id);
		return 1;
	}
	if (strcmp(key, "max"))
		return 0;
	if (doc_double(n, 0, &d) || !(d >= 1) || isinf(d))
		dc__policy_error(c, n, "max of %s must be a number >= 1, not %s%s%s", r->id, QUOTED(n));
	else
		o->max = d;
	return 1;
}

static void describe_load_amp(const pol_rule *r, char *buf, size_t size)
{
	const load_amp_opts *o = r->opts;
	snprintf(buf, size, "a single failure or hang sends a service at most %g times its load%s", o->max,
		 o->over_capacity ? ", and never past its capacity" : "");
}

static void check_load_amp(ck *c)
{
	const load_amp_opts *o = c->r->opts;
	const dc_overload_risks *r = dc_analysis_load_risks(c->a);
	const dc_overload_risk *x;
	size_t n = dc_overload_risks_get(r, &x), i;
	char a[32], b[32], cap[64];
	for (i = 0; i < n; i++) {
		const dc_overload_risk *w = &x[i];
		dc_id s = w->service;
		if (w->capacity_rps >= 0)
			snprintf(cap, sizeof(cap), "capacity %.6g", w->capacity_rps);
		else
			snprintf(cap, sizeof(cap), "no capacity declared");
		if (w->kind == DC_OVERLOAD_RISK_BOUND) {
			if (!(w->bound > o->max))
				continue;
			if (isinf(w->bound))
				dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
					   "a cycle with declared calls can send '%s' unbounded load (max x%g; an upper "
					   "bound, not solved)", nm(c, s), o->max);
			else
				dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
					   "a single failure or hang could send '%s' up to x%s its load, %.6g rps (%s; "
					   "max x%g; an upper bound, not solved)", nm(c, s),
					   (snprintf(a, sizeof(a), "%.3g", w->bound), a), w->bound_rps, cap, o->max);
			continue;
		}
		if (!(w->amplification > o->max) && !(o->over_capacity && w->over_capacity && !w->baseline_over))
			continue;
		snprintf(a, sizeof(a), "%.3g", w->amplification);
		snprintf(b, sizeof(b), "%.6g", w->offered_rps);
		dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
			   "if '%s' %s, retries send it x%s its load, %s rps (%s%s; max x%g%s)", nm(c, s),
			   w->how == DC_OVERLOAD_RISK_FAILS ? "fails" : "hangs", a, b, cap,
			   w->over_capacity ? ": past it" : "", o->max,
			   w->kind == DC_OVERLOAD_RISK_EXACT ? "; no single failure or hang does worse" : "");
	}
}

/* ---- where a value came from (findings cite it) ----------------------------------- */

/* " at FILE:LINE:COL" for a located value, " by default" for one nobody wrote. */
static const char *origin(dc_location l, int written, char *buf, size_t size)
{
	if (!written)
		snprintf(buf, size, " by default");
	else if (l.file)
		snprintf(buf, size, " at %s:%u:%u", l.file, l.line, l.column);
	else
		snprintf(buf, size, " (written)");
	return buf;
}

/* Where setting k of dependency d came from: the mesh object's field, the
 * overlay or the descriptor entry; " by default" when nobody wrote it. */
static const char *dep_origin(const ck *c, size_t d, dc_dep_setting k, char *buf, size_t size)
{
	return origin(dc_dep_setting_location(c->cat, d, k), dc_dep_setting_is_set(c->cat, d, k), buf, size);
}

/* The first source of service s that wrote attribute a, or a location
 * without a file. */
static dc_location attr_origin(const ck *c, dc_id s, dc_attr a)
{
	size_t i, n = dc_service_source_count(c->cat, s);
	dc_location none = { NULL, 0, 0 };
	for (i = 0; i < n; i++)
		if (dc_service_source_attrs(c->cat, s, i) & (1u << a))
			return dc_service_source(c->cat, s, i);
	return n ? dc_service_location(c->cat, s) : none;
}

/* ---- timeout-budget ---------------------------------------------------------------- */

typedef struct {
	int written_only;  /* callee-values: written: the callee's need from written values only */
} timeout_opts;

static int opt_timeouts(pctx *c, pol_rule *r, const char *key, const doc_node *v)
{
	if (strcmp(key, "callee-values"))
		return 0;
	if (doc_scalar_is(v, "written"))
		((timeout_opts *)r->opts)->written_only = 1;
	else if (doc_scalar_is(v, "any"))
		((timeout_opts *)r->opts)->written_only = 0;
	else
		dc__policy_error(c, v, "callee-values of timeout-budget must be any or written, not %s%s%s",
				 QUOTED(v));
	return 1;
}

static void describe_timeouts(const pol_rule *r, char *buf, size_t size)
{
	if (((const timeout_opts *)r->opts)->written_only)
		snprintf(buf, size, "a caller's written timeout exceeds the callee's worst-case time to "
			 "answer, counting written values only");
	else
		snprintf(buf, size, "a caller's written timeout exceeds the callee's worst-case time to answer");
}

/* What one call of d can keep its caller waiting, from written values
 * only: a per-try timeout p gives (written retries + 1) x p, capped by a
 * written overall timeout; else a written timeout x (written retries + 1);
 * 0 when no timeout of the call was written (a default is no decision). */
static double written_hang(const dc_catalog *cat, size_t d)
{
	double tries = 1 + (dc_dep_setting_is_set(cat, d, DC_DEP_RETRIES) ? dc_dep_retries(cat, d) : 0);
	int has_t = dc_dep_setting_is_set(cat, d, DC_DEP_TIMEOUT);
	double t = dc_dep_timeout_ms(cat, d);
	if (dc_dep_setting_is_set(cat, d, DC_DEP_PER_TRY_TIMEOUT)) {
		double all = tries * dc_dep_setting_value(cat, d, DC_DEP_PER_TRY_TIMEOUT);
		return has_t && t < all ? t : all;
	}
	return has_t ? t * tries : 0;
}

static double call_cost(const dc_catalog *cat, size_t d, int written_only)
{
	return written_only ? written_hang(cat, d) : (double)dc_dep_hang_ms(cat, d);
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

static int cmp_tv_rule(const void *a, const void *b)
{
	const dc_timeout_violation *x = a, *y = b;
	double sx = x->needed_ms - x->timeout_ms, sy = y->needed_ms - y->timeout_ms;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return (x->dep > y->dep) - (x->dep < y->dep);
}

/* callee-values: written. The analysis's timeout budget with the callee's
 * need from written values only (latency written, calls with a written
 * timeout): the same sum of per-stage maxima, one pass per service. */
typedef DC_VEC(dc_timeout_violation) tv_vec;

static int written_violations(ck *c, tv_vec *out)
{
	const dc_catalog *cat = c->cat;
	size_t n = dc_catalog_service_count(cat), nd = dc_catalog_dep_count(cat), d;
	double *needed = malloc((n ? n : 1) * sizeof(double));
	DC_VEC(uint64_t) st = {0};
	dc_id s;
	if (!needed)
		return -1;
	for (s = 0; s < n; s++) {
		size_t first = dc_service_dep_first(cat, s), cnt = dc_service_dep_count(cat, s), j;
		double total = (cat->svcs.items[s].explicit_attrs & SVC_EX_LATENCY) ? dc_service_latency_ms(cat, s) : 0;
		double stage_max = 0;
		st.len = 0;
		for (j = 0; j < cnt; j++) {
			double cost = written_hang(cat, first + j);
			uint64_t cc = cost > 4294967295.0 ? 0xffffffffu : (uint64_t)cost;
			if (dc_vec_push(&st, (uint64_t)dc_dep_stage(cat, first + j) << 32 | cc)) {
				free(needed);
				dc_vec_free(&st);
				return -1;
			}
		}
		if (st.len > 1)
			qsort(st.items, st.len, sizeof(uint64_t), cmp_u64);
		for (j = 0; j < st.len; j++) {
			double cost = (double)(st.items[j] & 0xffffffffu);
			if (j && (st.items[j] >> 32) != (st.items[j - 1] >> 32)) {
				total += stage_max;
				stage_max = 0;
			}
			if (cost > stage_max)
				stage_max = cost;
		}
		needed[s] = total + stage_max;
	}
	dc_vec_free(&st);
	for (d = 0; d < nd; d++) {
		dc_timeout_violation v;
		if (!dc_dep_setting_is_set(cat, d, DC_DEP_TIMEOUT))
			continue;
		v.dep = (uint32_t)d;
		v.timeout_ms = dc_dep_timeout_ms(cat, d);
		v.needed_ms = needed[dc_dep_to(cat, d)];
		if (v.timeout_ms <= v.needed_ms && dc_vec_push(out, v)) {
			free(needed);
			return -1;
		}
	}
	free(needed);
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(dc_timeout_violation), cmp_tv_rule);
	return 0;
}

/* s's slowest call: the first of its dependencies with the largest cost
 * above 0 (UINT32_MAX: none), and that cost. Made for the findings that
 * are listed only (a pass over every dependency was 7 M cost reads at a
 * million services for 100 messages). */
static uint32_t slowest_call(const dc_catalog *cat, dc_id s, int written_only, double *cost)
{
	size_t d = dc_service_dep_first(cat, s), e = d + dc_service_dep_count(cat, s);
	uint32_t best = UINT32_MAX;
	*cost = 0;
	for (; d < e; d++) {
		double x = call_cost(cat, d, written_only);
		if (x > *cost) {
			*cost = x;
			best = (uint32_t)d;
		}
	}
	return best;
}

/* The finding cites where each value came from: the caller's timeout (a
 * descriptor entry, an overlay, a mesh route), and the callee's slowest
 * call, the largest term of its need, with its timeout, per-try timeout
 * and retries (or "default"). */
static void check_timeouts(ck *c)
{
	int written_only = ((const timeout_opts *)c->r->opts)->written_only;
	const dc_timeout_violation *tv;
	tv_vec own = {0};
	size_t n, i;
	if (written_only) {
		if (written_violations(c, &own)) {
			c->nomem = 1;
			goto out;
		}
		tv = own.items;
		n = own.len;
	} else {
		/* the analysis judges written timeouts only (a default, e.g. every
		 * Backstage relation, is no decision a merge request made) */
		n = dc_analysis_timeout_violations(c->a, &tv);
	}
	for (i = 0; i < n && !c->nomem; i++) {
		size_t dep = tv[i].dep;
		dc_id f = dc_dep_from(c->cat, dep), t = dc_dep_to(c->cat, dep);
		char at[300], slow[900];
		double slow_cost;
		uint32_t slowest;
		/* most of a million services' findings are only counted */
		if (dc__report_skip(c, dc_dep_location(c->cat, dep)) ||
		    dc__report_counted(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, dep)))
			continue;
		dep_origin(c, dep, DC_DEP_TIMEOUT, at, sizeof(at));
		if ((slowest = slowest_call(c->cat, t, written_only, &slow_cost)) == UINT32_MAX) {
			snprintf(slow, sizeof(slow), "its latency");
		} else {
			size_t sd = slowest;
			char o1[300], o2[300], o3[340];
			unsigned r = dc_dep_retries(c->cat, sd);
			int r_set = dc_dep_setting_is_set(c->cat, sd, DC_DEP_RETRIES);
			unsigned tries = 1 + (written_only && !r_set ? 0 : r);
			dep_origin(c, sd, DC_DEP_RETRIES, o2, sizeof(o2));
			o3[0] = '\0';
			if (dc_dep_setting_is_set(c->cat, sd, DC_DEP_TIMEOUT))
				snprintf(o3, sizeof(o3), ", overall timeout_ms %u%s", dc_dep_timeout_ms(c->cat, sd),
					 dep_origin(c, sd, DC_DEP_TIMEOUT, o1, sizeof(o1)));
			if (dc_dep_setting_is_set(c->cat, sd, DC_DEP_PER_TRY_TIMEOUT))
				snprintf(slow, sizeof(slow), "its slowest call, to '%s', can take %g ms: %u "
					 "attempt%s of per_try_timeout_ms %g%s (retries %u%s%s)",
					 nm(c, dc_dep_to(c->cat, sd)), slow_cost, tries, tries == 1 ? "" : "s",
					 dc_dep_setting_value(c->cat, sd, DC_DEP_PER_TRY_TIMEOUT),
					 dep_origin(c, sd, DC_DEP_PER_TRY_TIMEOUT, o1, sizeof(o1)), r, o2, o3);
			else
				snprintf(slow, sizeof(slow), "its slowest call, to '%s', can take %g ms: timeout_ms "
					 "%u%s x %u attempt%s (retries %u%s)", nm(c, dc_dep_to(c->cat, sd)),
					 slow_cost, dc_dep_timeout_ms(c->cat, sd),
					 dep_origin(c, sd, DC_DEP_TIMEOUT, o1, sizeof(o1)), tries,
					 tries == 1 ? "" : "s", r, o2);
		}
		dc__report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, dep),
			   "'%s' gives up on '%s' after %g ms (timeout_ms%s), but '%s' may need %g ms to answer "
			   "(its latency plus, stage by stage, its slowest calls with their retries%s); %s",
			   nm(c, f), nm(c, t), tv[i].timeout_ms, at, nm(c, t), tv[i].needed_ms,
			   written_only ? ", written values only" : "", slow);
	}
out:
	dc_vec_free(&own);
}

/* ---- retry-without-budget ---------------------------------------------------------
 * The edges that make a large amplification: on the path by which one user
 * request reaches a service more than `max-amplification` times, each
 * dependency with written retries and no retry budget. The paths are the
 * analysis's (one best path per service, as max-retry-amplification shows
 * it); walking them from the most amplified service down and stopping at a
 * service an earlier walk passed visits each dependency once. */

static void init_retry_budget(void *o) { ((max_opts *)o)->max = 10; }

static int opt_retry_budget(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	max_opts *o = r->opts;
	double d;
	if (strcmp(key, "max-amplification"))
		return 0;
	if (doc_double(n, 0, &d) || !(d >= 1) || isinf(d))
		dc__policy_error(c, n, "max-amplification of retry-without-budget must be a number >= 1, "
				 "not %s%s%s", QUOTED(n));
	else
		o->max = d;
	return 1;
}

static void describe_retry_budget(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "retries on a path that reaches a service more than %g times have a retry "
		 "budget", ((const max_opts *)r->opts)->max);
}

static void check_retry_budget(ck *c)
{
	const dc_amplification *amp;
	size_t n = dc_analysis_amplification(c->a, &amp), i;
	size_t ns = dc_catalog_service_count(c->cat);
	size_t nd = dc_catalog_dep_count(c->cat);
	uint8_t *seen = calloc(ns ? ns : 1, 1);
	uint8_t *said = calloc(nd ? nd : 1, 1);   /* per dependency: reported */
	char path[600];
	if (!seen || !said) {
		c->nomem = 1;
		free(seen);
		free(said);
		return;
	}
	for (i = 0; i < n && !c->nomem; i++) {
		dc_id x = amp[i].service;
		int have_path = 0;
		if (!amp[i].unbounded && amp[i].factor <= max_of(c))
			continue;
		while (!seen[x]) {
			uint32_t e = dc__analysis_amp_edge(c->a, x);
			dc_id f, t;
			char o[300];
			seen[x] = 1;
			if (e == UINT32_MAX)
				break;
			f = dc_dep_from(c->cat, e);
			t = dc_dep_to(c->cat, e);
			if (!said[e] && dc_dep_setting_is_set(c->cat, e, DC_DEP_RETRIES) &&
			    dc_dep_retries(c->cat, e) > 0 && !dc_dep_setting_is_set(c->cat, e, DC_DEP_RETRY_BUDGET)) {
				unsigned r = dc_dep_retries(c->cat, e);
				said[e] = 1;
				if (dc__report_skip(c, dc_dep_setting_location(c->cat, e, DC_DEP_RETRIES)) ||
				    dc__report_counted(c, f, t, dep_key(c, f, t),
						       dc_dep_setting_location(c->cat, e, DC_DEP_RETRIES))) {
					x = f;
					continue; /* counted only: no path, no message */
				}
				if (!have_path) {
					dc_id *p = malloc((amp[i].path_len ? amp[i].path_len : 1) * sizeof(dc_id));
					if (!p) {
						c->nomem = 1;
						free(seen);
						free(said);
						return;
					}
					dc_analysis_amplification_path(c->a, i, p, amp[i].path_len);
					path_text(c, p, amp[i].path_len, path, sizeof(path));
					free(p);
					have_path = 1;
				}
				dep_origin(c, e, DC_DEP_RETRIES, o, sizeof(o));
				if (amp[i].unbounded)
					dc__report(c, f, t, dep_key(c, f, t), dc_dep_setting_location(c->cat, e, DC_DEP_RETRIES),
						   "'%s' retries '%s' up to %u time%s (retries%s) without a retry budget, "
						   "on a path where one user request reaches '%s' without bound: %s",
						   nm(c, f), nm(c, t), r, r == 1 ? "" : "s", o, nm(c, amp[i].service), path);
				else
					dc__report(c, f, t, dep_key(c, f, t), dc_dep_setting_location(c->cat, e, DC_DEP_RETRIES),
						   "'%s' retries '%s' up to %u time%s (retries%s) without a retry budget, "
						   "on a path where one user request reaches '%s' %s%.0f times (max %g): %s",
						   nm(c, f), nm(c, t), r, r == 1 ? "" : "s", o, nm(c, amp[i].service),
						   amp[i].factor >= DC_AMPLIFICATION_MAX ? "at least " : "", amp[i].factor,
						   max_of(c), path);
			}
			x = f;
		}
	}
	free(seen);
	free(said);
}

/* ---- dependency-nines ---------------------------------------------------------------
 * A service with an SLO of 0.999 may be down 0.1 % of the time; a hard
 * dependency it cannot do without should be down at most a tenth of that
 * (one nine better), or the dependency alone spends the budget. Judged on
 * written values only: the caller's SLO written, the callee's availability
 * written or measured. Critical: a hard dependency (not an any_of member)
 * of an entrypoint or of a service an entrypoint reaches over such
 * dependencies. */

typedef struct {
	double nines;   /* the margin, in nines: dep unavailability <= (1 - slo) / 10^nines */
} nines_opts;

static void init_nines(void *o) { ((nines_opts *)o)->nines = 1; }

static int opt_nines(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	double d;
	if (strcmp(key, "nines"))
		return 0;
	if (doc_double(n, 0, &d) || !(d >= 0 && d <= 6))
		dc__policy_error(c, n, "nines of dependency-nines must be a number from 0 to 6, not %s%s%s",
				 QUOTED(n));
	else
		((nines_opts *)r->opts)->nines = d;
	return 1;
}

static void describe_nines(const pol_rule *r, char *buf, size_t size)
{
	double k = ((const nines_opts *)r->opts)->nines;
	snprintf(buf, size, "a critical dependency's availability is %g nine%s better than its "
		 "dependent's slo", k, k == 1 ? "" : "s");
}

static void check_nines(ck *c)
{
	double margin = pow(10, ((const nines_opts *)c->r->opts)->nines);
	size_t ns = dc_catalog_service_count(c->cat), nd = dc_catalog_dep_count(c->cat), head = 0, tail = 0, d;
	uint8_t *crit = calloc(ns ? ns : 1, 1);
	dc_id *queue = malloc((ns ? ns : 1) * sizeof(dc_id)), s;
	if (!crit || !queue) {
		c->nomem = 1;
		goto out;
	}
	/* the services an entrypoint reaches over hard, ungrouped dependencies */
	for (s = 0; s < ns; s++)
		if (dc_service_is_entrypoint(c->cat, s)) {
			crit[s] = 1;
			queue[tail++] = s;
		}
	while (head < tail) {
		dc_id v = queue[head++];
		size_t first = dc_service_dep_first(c->cat, v), k, cnt = dc_service_dep_count(c->cat, v);
		for (k = first; k < first + cnt; k++) {
			dc_id t = dc_dep_to(c->cat, k);
			if (dc_dep_kind_of(c->cat, k) != DC_DEP_HARD || dc_dep_group(c->cat, k) || crit[t])
				continue;
			crit[t] = 1;
			queue[tail++] = t;
		}
	}
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		dc_availability_source src = dc_service_availability_source(c->cat, t);
		double slo, avail, allowed;
		char o1[300], o2[300];
		if (!crit[f] || dc_dep_kind_of(c->cat, d) != DC_DEP_HARD || dc_dep_group(c->cat, d) || f == t ||
		    !(c->cat->svcs.items[f].explicit_attrs & SVC_EX_SLO) || src == DC_AVAIL_SOURCE_DEFAULT)
			continue;
		slo = dc_service_slo(c->cat, f);
		avail = dc_service_availability(c->cat, t);
		allowed = (1 - slo) / margin;
		if (!(1 - avail > allowed * (1 + 1e-9)))
			continue;
		origin(attr_origin(c, f, DC_ATTR_SLO), 1, o1, sizeof(o1));
		origin(attr_origin(c, t, DC_ATTR_AVAILABILITY), 1, o2, sizeof(o2));
		dc__report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d),
			   "'%s' (slo %g%s) hard-depends on '%s', %s availability %g%s: down %.3g%% of the "
			   "time, more than (1 - slo) / %g = %.3g%%; it alone spends %.0f%% of the error budget",
			   nm(c, f), slo, o1, nm(c, t), src == DC_AVAIL_SOURCE_MEASURED ? "measured" : "declared",
			   avail, o2, 100 * (1 - avail), margin, 100 * allowed, 100 * (1 - avail) / (1 - slo));
	}
out:
	free(crit);
	free(queue);
}

/* ---- no-spof ---------------------------------------------------------------------- */

typedef struct {
	int tier1_only;  /* only SPOFs of tier-1 entrypoints */
} spof_opts;

static int opt_spof(pctx *c, pol_rule *r, const char *key, const doc_node *v)
{
	if (strcmp(key, "tier-1-only"))
		return 0;
	if (doc_bool(v, &((spof_opts *)r->opts)->tier1_only))
		dc__policy_error(c, v, "tier-1-only must be true or false");
	return 1;
}

static void describe_spof(const pol_rule *r, char *buf, size_t size)
{
	snprintf(buf, size, "no single service whose failure takes %s down",
		 ((const spof_opts *)r->opts)->tier1_only ? "a tier-1 entrypoint" : "an entrypoint");
}

static void check_spof(ck *c)
{
	int tier1_only = ((const spof_opts *)c->r->opts)->tier1_only;
	const dc_id *ids, *eps;
	size_t n = dc_analysis_spofs(c->a, &ids), i, k;
	dc_impact *imp = NULL;
	for (i = 0; i < n; i++) {
		size_t ne = dc_analysis_spof_entrypoints(c->a, ids[i], &eps), shown = 0, total = 0;
		char list[600];
		size_t off = 0;
		int full = 0;
		list[0] = '\0';
		if (tier1_only && dc_analysis_spof_total(c->a, ids[i]) > ne) {
			/* the analysis keeps DC_BLAST_SPOF_KEPT entrypoints: a tier-1 one
			 * may be beyond them, so propagate this failure to see them all
			 * (the gate never passes because a list was cut) */
			if ((!imp && dc_impact_new(&imp, dc_analysis_graph(c->a))) ||
			    dc_impact_run(imp, &ids[i], 1, NULL, 0)) {
				c->nomem = 1;
				break;
			}
			ne = dc_impact_affected(imp, &eps);
			full = 1;
		}
		for (k = 0; k < ne; k++) {
			if (full && (eps[k] == ids[i] || !dc_service_is_entrypoint(c->cat, eps[k]) ||
				     dc_impact_state(imp, eps[k]) != DC_STATE_DOWN))
				continue;
			if (tier1_only && dc_service_tier(c->cat, eps[k]) != 1)
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
		if (!tier1_only)
			total = dc_analysis_spof_total(c->a, ids[i]);
		if (total > shown)
			snprintf(list + off, sizeof(list) - off, " and %zu more", total - shown);
		dc__report(c, ids[i], DC_NO_ID, svc_key(c, ids[i], NULL), dc_service_location(c->cat, ids[i]),
			   "'%s' is a single point of failure: its failure alone takes down %s%s %s",
			   nm(c, ids[i]), tier1_only ? "tier-1 " : "", total == 1 ? "entrypoint" :
			   "entrypoints", list);
	}
	dc_impact_free(imp);
}

/* ---- required-fields -------------------------------------------------------------- */

/* The fields, one bit each (by index in field_names). */
enum {
	FIELD_OWNER = 1, FIELD_SYSTEM = 2, FIELD_TIER = 4, FIELD_DESCRIPTION = 8, FIELD_SLO = 16,
	FIELD_ZONES = 32, FIELD_TAGS = 64, FIELD_AVAILABILITY = 128, FIELD_LATENCY = 256,
	FIELD_REPLICAS = 512
};
static const char *const field_names[] = {
	"owner", "system", "tier", "description", "slo", "zones", "tags", "availability",
	"latency_ms", "replicas", NULL
};

typedef struct {
	unsigned fields;  /* FIELD_* */
} fields_opts;

static void init_fields(void *o) { ((fields_opts *)o)->fields = FIELD_OWNER | FIELD_TIER; }

static int opt_fields(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	fields_opts *o = r->opts;
	uint32_t i;
	size_t k;
	if (strcmp(key, "fields"))
		return 0;
	if (n->kind != DOC_SEQ) {
		dc__policy_error(c, n, "fields of required-fields must be a list, not a %s", doc_type_name(n));
		return 1;
	}
	o->fields = 0;
	for (i = 0; i < n->n; i++) {
		const doc_node *f = n->u.kids[i];
		const char *s = doc_str(f);
		int found = 0;
		for (k = 0; s && field_names[k]; k++)
			if (!strcmp(s, field_names[k])) {
				o->fields |= 1u << k;
				found = 1;
			}
		if (!found && s && dc_suggest(s, field_names, sizeof(field_names) / sizeof(field_names[0]) - 1))
			dc__policy_error(c, f, "unknown field '%s' in required-fields (did you mean '%s'?)", s,
					 dc_suggest(s, field_names, sizeof(field_names) / sizeof(field_names[0]) - 1));
		else if (!found)
			dc__policy_error(c, f, "unknown field %s%s%s in required-fields (expected owner, "
					 "system, tier, description, slo, zones, tags, availability, latency_ms "
					 "or replicas)", s ? "'" : "", s ? s : doc_type_name(f), s ? "'" : "");
	}
	return 1;
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
	unsigned fields = ((const fields_opts *)c->r->opts)->fields;
	size_t n = dc_catalog_service_count(c->cat), k;
	dc_id s;
	for (s = 0; s < n; s++) {
		if (dc_service_is_external(c->cat, s))
			continue;
		for (k = 0; field_names[k]; k++)
			if ((fields & (1u << k)) && field_missing(c->cat, s, k))
				dc__report(c, s, DC_NO_ID, svc_key(c, s, field_names[k]),
					   dc_service_location(c->cat, s), "'%s' has no %s", nm(c, s),
					   field_names[k]);
	}
}

/* ---- unresolved-references ------------------------------------------------------------ */

static void check_unresolved(ck *c)
{
	size_t d, nd = dc_catalog_dep_count(c->cat);
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		if (!dc_service_is_external(c->cat, t) || dc_dep_is_inferred(c->cat, d) ||
		    (c->cat->svcs.items[t].flags & SVC_DECLARED_EXTERNAL))
			continue;
		dc__report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d),
			   "'%s' depends on '%s', which is not defined in the catalog", nm(c, f),
			   dc_dep_target_text(c->cat, d));
	}
}

/* ---- undeclared-dependency ------------------------------------------------------------ */

typedef struct {
	double min_rate;  /* min-calls-per-s: slower undeclared calls are no finding (0: all) */
} undeclared_opts;

static int opt_undeclared(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	double d;
	if (strcmp(key, "min-calls-per-s"))
		return 0;
	if (doc_double(n, 0, &d) || !(d >= 0) || isinf(d))
		dc__policy_error(c, n, "min-calls-per-s of undeclared-dependency must be a number >= 0, "
				 "not %s%s%s", QUOTED(n));
	else
		((undeclared_opts *)r->opts)->min_rate = d;
	return 1;
}

static void describe_undeclared(const pol_rule *r, char *buf, size_t size)
{
	double m = ((const undeclared_opts *)r->opts)->min_rate;
	if (m > 0)
		snprintf(buf, size, "every call observed in production above %g calls/s (or of unknown "
			 "rate) is a declared dependency", m);
	else
		snprintf(buf, size, "every call observed in production is a declared dependency");
}

/* The findings of dc_violations_add_undeclared(), less the observed edges
 * whose known rate is at most min_rate (an edge without a rate is kept:
 * the threshold cannot clear it). */
static int add_undeclared(dc_violations *out, const dc_graph *g, const dc_observed *obs,
			  const dc_reconcile *r, dc_level level, double min_rate)
{
	const dc_catalog *cat;
	const dc_undeclared *u;
	size_t n, i;
	char *key = NULL, msg[2700], rate[64];
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
		double cps = dc_observed_calls_per_s(obs, u[i].observed);
		dc_location at = dc_observed_location(obs, u[i].observed);
		size_t need = strlen(fref) + strlen(cref) + 5;
		if (min_rate > 0 && cps >= 0 && cps <= min_rate)
			continue;
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
		rate[0] = '\0';
		if (cps >= 0)
			snprintf(rate, sizeof(rate), ", %.3g calls/s", cps);
		/* names are bounded by the observed reader (1 KiB): the message fits */
		snprintf(msg, sizeof(msg), "'%s' calls %s'%s' in production (%" PRIu64 " call%s observed%s, "
			 "first at %s:%u:%u) but declares no dependency on it", caller,
			 u[i].callee == DC_NO_ID ? "the unknown service " : "", callee, u[i].calls,
			 u[i].calls == 1 ? "" : "s", rate, at.file ? at.file : "?", at.line, at.column);
		rc = dc_violations_add(out, "undeclared-dependency", level, caller,
				       callee, key, dc_service_location(cat, u[i].caller), msg);
	}
	free(key);
	return rc;
}

/* check.h: also what `depcheck reconcile` reports, so public; here because
 * it is the rule's whole finding. */
int dc_violations_add_undeclared(dc_violations *out, const dc_graph *g, const dc_observed *obs,
				 const dc_reconcile *r, dc_level level)
{
	return add_undeclared(out, g, obs, r, level, 0);
}

/* The findings are dc_violations_add_undeclared()'s (above), which
 * `depcheck reconcile` reports too, less the calls at most min-calls-per-s
 * when the reader gave a rate; the rule runs only with observed calls
 * (RULE_NEEDS_OBSERVED). */
static void check_undeclared(ck *c)
{
	dc_reconcile *r = NULL;
	dc_reconcile_options ro = DC_RECONCILE_OPTIONS_INIT;
	ro.min_calls = c->opts->min_calls;
	if (dc_reconcile_compute(&r, c->g, c->observed, &ro) ||
	    add_undeclared(c->out, c->g, c->observed, r, c->r->level,
			   ((const undeclared_opts *)c->r->opts)->min_rate))
		c->nomem = 1;
	dc_reconcile_free(r);
}

/* ---- min-availability ---------------------------------------------------------------- */

/* min-availability's default trials: a 95 % interval of about +-2e-4 at
 * 0.999, and 1,563 words per service-and-edge pass: about a second on
 * 100,000 services (bench/README) */
#define AVAIL_TRIALS 100000

typedef struct {
	double min;       /* the target, or -1 for each entrypoint's slo */
	uint64_t trials;  /* Monte Carlo trials */
	uint64_t seed;    /* random seed (fixed: the gate is reproducible) */
} avail_opts;

static void init_avail(void *p)
{
	avail_opts *o = p;
	o->min = -1;
	o->trials = AVAIL_TRIALS;
	o->seed = 1;
}

/* `min` (a probability, or `slo`), `trials`, `seed`. */
static int opt_avail(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	avail_opts *o = r->opts;
	long long v;
	double d;
	if (!strcmp(key, "min")) {
		if (doc_scalar_is(n, "slo"))
			o->min = -1;
		else if (doc_double(n, 0, &d) || !(d > 0 && d <= 1))
			dc__policy_error(c, n, "min of min-availability must be a probability like 0.999 "
					 "(above 0, at most 1) or slo, not %s%s%s", QUOTED(n));
		else
			o->min = d;
	} else if (!strcmp(key, "trials")) {
		/* the engine takes up to 2^50; a gate that runs for days is a typo */
		if (doc_int(n, 0, &v) || v < 1 || v > 1000000000LL)
			dc__policy_error(c, n, "trials of min-availability must be a whole number from 1 to "
					 "1000000000, not %s%s%s", QUOTED(n));
		else
			o->trials = (uint64_t)v;
	} else if (!strcmp(key, "seed")) {
		if (doc_int(n, 0, &v) || v < 0)
			dc__policy_error(c, n, "seed of min-availability must be a whole number from 0 to "
					 "2^63-1, not %s%s%s", QUOTED(n));
		else
			o->seed = (uint64_t)v;
	} else
		return 0;
	return 1;
}

static void describe_avail(const pol_rule *r, char *buf, size_t size)
{
	const avail_opts *o = r->opts;
	if (o->min < 0)
		snprintf(buf, size, "every entrypoint's effective availability meets its slo "
			 "(Monte Carlo: %llu trials, seed %llu)", (unsigned long long)o->trials,
			 (unsigned long long)o->seed);
	else
		snprintf(buf, size, "every entrypoint's effective availability is at least %g "
			 "(Monte Carlo: %llu trials, seed %llu)", o->min,
			 (unsigned long long)o->trials, (unsigned long long)o->seed);
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
	const avail_opts *ro = c->r->opts;
	dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
	dc_availability *av = NULL;
	const dc_id *eps;
	size_t neps, i;
	o.trials = ro->trials;
	o.seed = ro->seed;
	o.flags = DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
	if (dc_availability_compute(&av, c->g, &o)) {
		c->nomem = 1;  /* the options are valid by construction: out of memory */
		return;
	}
	neps = dc_availability_entrypoints(av, &eps);
	for (i = 0; i < neps; i++) {
		dc_id s = eps[i];
		const dc_availability_estimate *e = dc_availability_of(av, s);
		double slo = dc_service_slo(c->cat, s), target = ro->min >= 0 ? ro->min : slo;
		char how[160];
		if (target < 0 || e->method == DC_AVAIL_NONE || !(e->availability < target - 1e-12))
			continue;
		/* an estimate from default availabilities alone is no finding
		 * (`availability` lists it as unknown) */
		if (dc_availability_on_defaults(av, s))
			continue;
		if (e->method == DC_AVAIL_EXACT)
			snprintf(how, sizeof(how), "exact");
		else
			snprintf(how, sizeof(how), "Monte Carlo, %llu trials, 95%% interval [%.6f, %.6f]",
				 (unsigned long long)e->trials, e->ci_low, e->ci_high);
		dc__report(c, s, DC_NO_ID, svc_key(c, s, NULL), dc_service_location(c->cat, s),
			   "entrypoint '%s' has an effective availability of %.6f (%s), below %s %g: "
			   "%.1f min of downtime per 30 days where %.1f are allowed", nm(c, s),
			   e->availability, how, ro->min >= 0 ? "the policy's minimum" : "its slo", target,
			   (1 - e->availability) * MIN_PER_30D, (1 - target) * MIN_PER_30D);
	}
	dc_availability_free(av);
}

/* ---- unverified-predictions ------------------------------------------------------------
 * The critical predictions (the candidates `depcheck experiments` ranks first,
 * of the reasons asked for) need a result on record (dc_check_options.results,
 * `check --results`) no older than max-age-days. A result verifies the
 * prediction its experiment tests whether or not it matched: a mismatch is
 * `verify`'s finding, not this rule's. The plan is made as `experiments`
 * makes it (availability's defaults, seed 1, without cut sets), so the
 * ranks and ids are the ones it prints. */

#define UNVERIFIED_REASONS ((1u << DC_EXP_WHY_SPOF) | (1u << DC_EXP_WHY_SOFT_EDGE) | \
			    (1u << DC_EXP_WHY_ANY_OF) | (1u << DC_EXP_WHY_ZONE))
#define UNVERIFIED_MAX_TOP 1000
#define UNVERIFIED_MAX_AGE 36500

typedef struct {
	long max_age;      /* days */
	size_t top;        /* the first `top` candidates of those reasons; 0: all */
	unsigned reasons;  /* 1 << dc_experiment_reason */
} unverified_opts;

static void init_unverified(void *p)
{
	unverified_opts *o = p;
	o->max_age = 90;
	o->top = 10;
	o->reasons = UNVERIFIED_REASONS;
}

static int opt_unverified(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	unverified_opts *o = r->opts;
	long long v;
	uint32_t i;
	if (!strcmp(key, "max-age-days")) {
		if (doc_int(n, 0, &v) || v < 0 || v > UNVERIFIED_MAX_AGE)
			dc__policy_error(c, n, "max-age-days of unverified-predictions must be a whole number of "
					 "days from 0 to %d, not %s%s%s", UNVERIFIED_MAX_AGE, QUOTED(n));
		else
			o->max_age = (long)v;
	} else if (!strcmp(key, "top")) {
		if (doc_scalar_is(n, "all"))
			o->top = 0;
		else if (doc_int(n, 0, &v) || v < 1 || v > UNVERIFIED_MAX_TOP)
			dc__policy_error(c, n, "top of unverified-predictions must be a whole number from 1 to %d "
					 "or all, not %s%s%s", UNVERIFIED_MAX_TOP, QUOTED(n));
		else
			o->top = (size_t)v;
	} else if (!strcmp(key, "reasons")) {
		if (n->kind != DOC_SEQ || !n->n) {
			dc__policy_error(c, n, "reasons of unverified-predictions must be a non-empty list of spof, "
					 "soft-edge, any-of and zone");
			return 1;
		}
		o->reasons = 0;
		for (i = 0; i < n->n; i++) {
			const doc_node *f = n->u.kids[i];
			unsigned k;
			for (k = DC_EXP_WHY_SPOF; k <= DC_EXP_WHY_ZONE; k++)
				if (f->kind == DOC_SCALAR && !strcmp(f->u.s, dc_experiment_reason_name((dc_experiment_reason)k)))
					break;
			if (k > DC_EXP_WHY_ZONE)
				dc__policy_error(c, f, "unknown reason %s%s%s in unverified-predictions (expected spof, "
						 "soft-edge, any-of or zone)", QUOTED(f));
			else
				o->reasons |= 1u << k;
		}
	} else
		return 0;
	return 1;
}

static void describe_unverified(const pol_rule *r, char *buf, size_t size)
{
	const unverified_opts *o = r->opts;
	char top[32], why[64];
	unsigned k;
	size_t off = 0;
	if (o->top)
		snprintf(top, sizeof(top), "the %zu", o->top);
	else
		snprintf(top, sizeof(top), "all the");
	why[0] = '\0';
	for (k = DC_EXP_WHY_SPOF; k <= DC_EXP_WHY_ZONE; k++)
		if (o->reasons & (1u << k)) {
			int len = snprintf(why + off, sizeof(why) - off, "%s%s", off ? ", " : "",
					   dc_experiment_reason_name((dc_experiment_reason)k));
			if (len > 0 && (size_t)len < sizeof(why) - off)
				off += (size_t)len;
		}
	snprintf(buf, size, "%s riskiest predictions `depcheck experiments` ranks (%s) were tested by an "
		 "experiment with a result at most %ld days old", top, why, o->max_age);
}

/* What the results on record say of one experiment id. */
typedef struct {
	long newest;        /* the newest day at most today + 1; LONG_MIN: none */
	long future;        /* the newest day after today + 1; LONG_MIN: none */
	size_t undated;     /* entries without a date */
	dc_location at;     /* the first entry */
} unv_rec;

static void check_unverified(ck *c)
{
	const unverified_opts *ro = c->r->opts;
	const dc_results *res = c->opts && c->opts->version >= 5 ? c->opts->results : NULL;
	const char *today_s = c->opts && c->opts->version >= 5 ? c->opts->today : NULL;
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_experiments_options xo = DC_EXPERIMENTS_OPTIONS_INIT;
	dc_availability *av = NULL;
	dc_experiments *x = NULL;
	dc_strtab ids;
	unv_rec *rec = NULL;
	size_t nres = dc_results_count(res), i, n, taken = 0, ranked = 0;
	long today;
	char tbuf[16];
	if (dc_strtab_init(&ids)) {
		c->nomem = 1;
		return;
	}
	if (today_s) {
		if (dc__result_day(today_s, strlen(today_s), &today)) {
			dc__check_failed(c, "unverified-predictions: today '%s' is not a date", today_s);
			goto out;
		}
	} else {
		time_t t = time(NULL);
		struct tm tm;
		if (!gmtime_r(&t, &tm) || !strftime(tbuf, sizeof(tbuf), "%Y-%m-%d", &tm) ||
		    dc__result_day(tbuf, strlen(tbuf), &today)) {
			dc__check_failed(c, "unverified-predictions: the current date is unknown");
			goto out;
		}
	}
	dc__day_text(today, tbuf);
	/* the newest day of each id on record: one pass, one hash table */
	if (!(rec = malloc((nres + 1) * sizeof(*rec))))
		goto nomem;
	for (i = 0; i < nres; i++) {
		const dc_result *e = dc_results_get(res, i);
		size_t before = dc_strtab_count(&ids);
		uint32_t k = dc_strtab_intern(&ids, e->id, strlen(e->id));
		long day;
		unv_rec *u;
		if (!k)
			goto nomem;
		u = &rec[k - 1];
		if (dc_strtab_count(&ids) > before) {
			u->newest = u->future = LONG_MIN;
			u->undated = 0;
			u->at = e->loc;
		}
		if (!e->date || dc__result_day(e->date, strlen(e->date), &day))
			u->undated++;
		else if (day > today + 1) {
			if (day > u->future)
				u->future = day;
		} else if (day > u->newest)
			u->newest = day;
	}
	ao.flags = DC_AVAIL_NO_CUT_SETS;
	ao.threads = c->opts && c->opts->version >= 4 ? c->opts->threads : 0;
	if (dc_availability_compute(&av, c->g, &ao))
		goto nomem;
	xo.availability = av;
	if (dc_experiments_plan(&x, c->g, &xo))
		goto nomem;
	n = dc_experiments_count(x);
	for (i = 0; i < n && !c->nomem && (!ro->top || taken < ro->top); i++) {
		const dc_experiment *e = dc_experiments_get(x, i);
		uint32_t k;
		const unv_rec *u;
		char msg[1024], svc[600], note[400], dt[16];
		const char *tgt = NULL;
		dc_location loc;
		size_t off;
		ranked++;
		if (!(ro->reasons & (1u << e->reason)))
			continue;
		taken++;
		k = dc_strtab_lookup(&ids, e->id, strlen(e->id));
		u = k ? &rec[k - 1] : NULL;
		if (u && u->newest != LONG_MIN && today - u->newest <= ro->max_age)
			continue;  /* verified recently enough */
		off = (size_t)snprintf(msg, sizeof(msg), "prediction %s (%s, rank %zu in `depcheck experiments`) ",
				       e->id, dc_experiment_reason_name(e->reason), ranked);
		note[0] = '\0';
		if (u && u->undated)
			snprintf(note, sizeof(note), "; %zu result%s without a date not counted (first at %s:%u:%u)",
				 u->undated, u->undated == 1 ? "" : "s", u->at.file ? u->at.file : "?", u->at.line,
				 u->at.column);
		if (u && u->future != LONG_MIN) {
			size_t l = strlen(note);
			dc__day_text(u->future, dt);
			snprintf(note + l, sizeof(note) - l, "; a result dated %s, after today, not counted", dt);
		}
		if (u && u->newest != LONG_MIN) {
			dc__day_text(u->newest, dt);
			snprintf(msg + off, sizeof(msg) - off, "was last tested on %s, %ld days before %s "
				 "(max-age-days %ld): run it again%s", dt, today - u->newest, tbuf, ro->max_age, note);
		} else if (u && u->undated) {
			snprintf(msg + off, sizeof(msg) - off, "has results without a date only (%zu, first at "
				 "%s:%u:%u): its age is unknown; record the day each experiment ran (\"date\")",
				 u->undated, u->at.file ? u->at.file : "?", u->at.line, u->at.column);
			if (u->future != LONG_MIN) {
				size_t l = strlen(msg);
				dc__day_text(u->future, dt);
				snprintf(msg + l, sizeof(msg) - l, "; a result dated %s, after today, not counted", dt);
			}
		} else if (u)
			snprintf(msg + off, sizeof(msg) - off, "has no result dated on or before %s: a result "
				 "dated %s is after today (a typo, or a wrong clock?) and is not counted", tbuf,
				 (dc__day_text(u->future, dt), dt));
		else
			snprintf(msg + off, sizeof(msg) - off, "has no result on record%s: run the experiment and "
				 "record its outcome and day (docs/chaos.md)", res ? "" : " (no results were given)");
		if (e->action == DC_EXP_ZONE) {
			snprintf(svc, sizeof(svc), "zone %s", e->zone);
			memset(&loc, 0, sizeof(loc));
		} else {
			snprintf(svc, sizeof(svc), "%s", nm(c, e->service));
			loc = e->action == DC_EXP_PARTITION && e->dep != UINT32_MAX ? dc_dep_location(c->cat, e->dep)
										    : dc_service_location(c->cat, e->service);
			if (e->action == DC_EXP_PARTITION)
				tgt = nm(c, e->target);
		}
		if (dc_violations_add(c->out, c->r->id, c->r->level, svc, tgt, e->id, loc, msg))
			c->nomem = 1;
	}
	goto out;
nomem:
	c->nomem = 1;
out:
	dc_experiments_free(x);
	dc_availability_free(av);
	dc_strtab_free(&ids);
	free(rec);
}

/* ---- forbidden ------------------------------------------------------------------------
 * A list of named entries, each a rule of its own ("forbidden/NAME") with
 * selectors for both ends of a dependency. */

/* Selectors: a tree, evaluated per service. */
enum { SEL_AND = 0, SEL_OR, SEL_NOT, SEL_NAME, SEL_SYSTEM, SEL_OWNER, SEL_TIER, SEL_TAG };

typedef struct pol_sel pol_sel;
struct pol_sel {
	int kind;
	regex_t re;            /* SEL_NAME */
	int has_re;
	char **values;         /* SEL_SYSTEM, SEL_OWNER, SEL_TAG: any of these */
	long long *tiers;      /* SEL_TIER: any of these */
	size_t nvalues;
	pol_sel **kids;        /* SEL_AND, SEL_OR, SEL_NOT (one kid) */
	size_t nkids;
};

typedef struct {
	pol_sel *from, *to;    /* NULL = any service (nodes owned by the policy) */
	int dep_kind;          /* -1 any, else dc_dep_kind */
	char *message;
} forbidden_opts;

static void init_forbidden(void *o) { ((forbidden_opts *)o)->dep_kind = -1; }
static void fini_forbidden(void *o) { free(((forbidden_opts *)o)->message); }

/* One node; its kids are nodes of their own. */
static void sel_free(void *p)
{
	pol_sel *s = p;
	size_t i;
	if (s->has_re)
		regfree(&s->re);
	for (i = 0; s->values && i < s->nvalues; i++)
		free(s->values[i]);
	free(s->values);
	free(s->tiers);
	free(s->kids);
	free(s);
}

static pol_sel *sel_new(pctx *c, int kind)
{
	pol_sel *s = calloc(1, sizeof(*s));
	if (!s) {
		c->nomem = 1;
		return NULL;
	}
	if (dc__policy_own(c, s, sel_free))
		return NULL;
	s->kind = kind;
	return s;
}

/* A string or a list of strings. */
static void sel_values(pctx *c, pol_sel *s, const char *key, const doc_node *n)
{
	const doc_node *one = n;
	uint32_t cnt = n->kind == DOC_SEQ ? n->n : 1, i;
	s->values = calloc(cnt ? cnt : 1, sizeof(*s->values));
	if (!s->values) {
		c->nomem = 1;
		return;
	}
	for (i = 0; i < cnt; i++) {
		const char *v;
		if (n->kind == DOC_SEQ)
			one = n->u.kids[i];
		v = doc_str(one);
		if (!v || one->kind != DOC_SCALAR) {
			dc__policy_error(c, one, "selector %s takes a string or a list of strings, not a %s",
					 key, doc_type_name(one));
			continue;
		}
		s->values[s->nvalues] = dc__policy_strdup(c, v);
		if (s->values[s->nvalues])
			s->nvalues++;
	}
}

static pol_sel *parse_sel(pctx *c, const doc_node *n);

/* ---- regular expressions under a budget (docs/security.md) ----------------
 * The policy comes with the merge request, so its expressions are hostile
 * input: an expression that makes the matcher run out of memory or time
 * must never turn into "no match" (the gate would pass). Before regcomp an
 * expression is refused when it is longer than RE_MAX_LEN bytes, uses a
 * back-reference (the one feature that makes POSIX matching exponential),
 * or when its size with every counted repetition written out ({m,n}
 * nested inside each other multiply) exceeds RE_MAX_COST. What is left is
 * matched by glibc's automaton in time linear in the name for a bounded
 * expression; and a matcher error at run time is an error of the check
 * (sel_match returns -1). */
#define RE_MAX_LEN 512
#define RE_MAX_COST 4096
#define RE_MAX_DEPTH 32

static int re_budget(const char *re, char *why, size_t size)
{
	double total[RE_MAX_DEPTH + 1], last[RE_MAX_DEPTH + 1];
	size_t n = strlen(re), i;
	int depth = 0;
	if (n > RE_MAX_LEN) {
		snprintf(why, size, "longer than %d bytes", RE_MAX_LEN);
		return -1;
	}
	total[0] = 0;
	last[0] = 0;
	for (i = 0; i < n; i++) {
		char ch = re[i];
		if (ch == '\\') {
			if (re[i + 1] >= '1' && re[i + 1] <= '9') {
				snprintf(why, size, "back-references (\\%c) are not supported", re[i + 1]);
				return -1;
			}
			if (re[i + 1])
				i++;
			last[depth] = 1;
			total[depth] += 1;
		} else if (ch == '(') {
			if (depth == RE_MAX_DEPTH) {
				snprintf(why, size, "groups nested deeper than %d", RE_MAX_DEPTH);
				return -1;
			}
			depth++;
			total[depth] = 0;
			last[depth] = 0;
		} else if (ch == ')' && depth > 0) {
			double t = total[depth] + 1;
			depth--;
			total[depth] += t;
			last[depth] = t;
		} else if (ch == '[') {
			/* a bracket expression is one atom: []...] and [^]...] start
			 * with a literal ], [:class:] [=e=] [.c.] nest */
			size_t j = i + 1;
			if (re[j] == '^')
				j++;
			if (re[j] == ']')
				j++;
			while (re[j] && re[j] != ']') {
				if (re[j] == '[' && (re[j + 1] == ':' || re[j + 1] == '=' || re[j + 1] == '.')) {
					char close = re[j + 1];
					j += 2;
					while (re[j] && !(re[j] == close && re[j + 1] == ']'))
						j++;
					if (re[j])
						j++;
				}
				if (re[j])
					j++;
			}
			i = re[j] ? j : n - 1;
			last[depth] = 1;
			total[depth] += 1;
		} else if (ch == '{') {
			char *end;
			unsigned long m = strtoul(re + i + 1, &end, 10), k = m;
			if (*end == ',') {
				if (end[1] == '}')
					k = m + 1, end++;
				else
					k = strtoul(end + 1, &end, 10);
			}
			if (*end != '}')
				continue; /* not a bound: regcomp says what is wrong */
			if (m > 255 || k > 255) {
				snprintf(why, size, "a repetition bound above 255");
				return -1;
			}
			if (k < 1)
				k = 1;
			total[depth] += last[depth] * (double)(k - 1);
			last[depth] *= (double)k;
			i = (size_t)(end - re);
		} else if (ch == '*' || ch == '+' || ch == '?' || ch == '|' || ch == '^' || ch == '$') {
			continue;
		} else {
			last[depth] = 1;
			total[depth] += 1;
		}
		if (total[depth] > RE_MAX_COST || last[depth] > RE_MAX_COST) {
			snprintf(why, size, "too large once its repetitions are counted (over %d)", RE_MAX_COST);
			return -1;
		}
	}
	while (depth > 0) {
		double t = total[depth];
		depth--;
		total[depth] += t;
	}
	if (total[0] > RE_MAX_COST) {
		snprintf(why, size, "too large once its repetitions are counted (over %d)", RE_MAX_COST);
		return -1;
	}
	return 0;
}

static pol_sel *parse_sel_key(pctx *c, const doc_node *k, const doc_node *v)
{
	const char *key = k->u.s;
	pol_sel *s;
	if (!strcmp(key, "not")) {
		pol_sel *kid = parse_sel(c, v);
		if (!kid || !(s = sel_new(c, SEL_NOT)))
			return NULL;
		s->kids = malloc(sizeof(*s->kids));
		if (!s->kids) {
			c->nomem = 1;
			return NULL;
		}
		s->kids[0] = kid;
		s->nkids = 1;
		return s;
	}
	if (!strcmp(key, "name")) {
		const char *re = doc_str(v);
		char *full;
		size_t len;
		int rc;
		if (!re || v->kind != DOC_SCALAR) {
			dc__policy_error(c, v, "selector name takes a regular expression, not a %s",
					 doc_type_name(v));
			return NULL;
		}
		{
			char why[160];
			if (re_budget(re, why, sizeof(why))) {
				dc__policy_error(c, v, "regular expression refused: %s (see docs/security.md)", why);
				return NULL;
			}
		}
		if (!(s = sel_new(c, SEL_NAME)))
			return NULL;
		/* the expression must match the whole name: `payments-db` does not
		 * select payments-db-replica */
		len = strlen(re) + 5;
		full = malloc(len);
		if (!full) {
			c->nomem = 1;
			return NULL;
		}
		snprintf(full, len, "^(%s)$", re);
		rc = regcomp(&s->re, full, REG_EXTENDED | REG_NOSUB);
		free(full);
		if (rc == REG_ESPACE) {
			c->nomem = 1; /* regcomp ran out of memory: not a bad expression */
			return NULL;
		}
		if (rc) {
			char buf[200];
			regerror(rc, &s->re, buf, sizeof(buf));
			dc__policy_error(c, v, "bad regular expression '%s': %s", re, buf);
			return NULL;
		}
		s->has_re = 1;
		return s;
	}
	if (!strcmp(key, "tier")) {
		uint32_t cnt = v->kind == DOC_SEQ ? v->n : 1, i;
		if (!(s = sel_new(c, SEL_TIER)))
			return NULL;
		s->tiers = calloc(cnt ? cnt : 1, sizeof(*s->tiers));
		if (!s->tiers) {
			c->nomem = 1;
			return NULL;
		}
		for (i = 0; i < cnt; i++) {
			const doc_node *one = v->kind == DOC_SEQ ? v->u.kids[i] : v;
			long long t;
			if (doc_int(one, 0, &t) || t < 1 || t > 4) {
				dc__policy_error(c, one, "selector tier takes a tier from 1 to 4 (or a list of them)");
				continue;
			}
			s->tiers[s->nvalues++] = t;
		}
		return s;
	}
	if (!strcmp(key, "system") || !strcmp(key, "owner") || !strcmp(key, "tag")) {
		if (!(s = sel_new(c, key[0] == 's' ? SEL_SYSTEM : key[0] == 'o' ? SEL_OWNER : SEL_TAG)))
			return NULL;
		sel_values(c, s, key, v);
		return s;
	}
	{
		static const char *const keys[] = { "name", "system", "owner", "tier", "tag", "not" };
		const char *near = dc_suggest(key, keys, sizeof(keys) / sizeof(keys[0]));
		if (near)
			dc__policy_error(c, k, "unknown selector '%s' (did you mean '%s'?)", key, near);
		else
			dc__policy_error(c, k, "unknown selector '%s' (expected name, system, owner, tier, tag "
					 "or not)", key);
	}
	return NULL;
}

/* A mapping (every key must match) or a list of selectors (any must). */
static pol_sel *parse_sel(pctx *c, const doc_node *n)
{
	pol_sel *s;
	uint32_t i;
	if (n->kind == DOC_SEQ) {
		if (n->n == 0) {
			dc__policy_error(c, n, "an empty list of selectors selects nothing");
			return NULL;
		}
		if (!(s = sel_new(c, SEL_OR)))
			return NULL;
		s->kids = calloc(n->n ? n->n : 1, sizeof(*s->kids));
		if (!s->kids) {
			c->nomem = 1;
			return NULL;
		}
		for (i = 0; i < n->n; i++) {
			pol_sel *k = parse_sel(c, n->u.kids[i]);
			if (k)
				s->kids[s->nkids++] = k;
		}
		return s;
	}
	if (n->kind != DOC_MAP || n->n == 0) {
		dc__policy_error(c, n, "a selector is a mapping like { system: payments } or a list of "
				 "them, not %s %s", n->kind == DOC_MAP ? "an empty" : "a",
				 n->kind == DOC_MAP ? "mapping" : doc_type_name(n));
		return NULL;
	}
	if (!(s = sel_new(c, SEL_AND)))
		return NULL;
	s->kids = calloc(n->n, sizeof(*s->kids));
	if (!s->kids) {
		c->nomem = 1;
		return NULL;
	}
	for (i = 0; i < n->n; i++) {
		const doc_node *k = n->u.kids[2 * i], *v = n->u.kids[2 * i + 1];
		pol_sel *kid;
		if (k->kind != DOC_SCALAR) {
			dc__policy_error(c, k, "selector keys must be strings");
			continue;
		}
		if ((kid = parse_sel_key(c, k, v)))
			s->kids[s->nkids++] = kid;
	}
	return s;
}

static int valid_entry_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static void parse_forbidden_entry(pctx *c, const dc__rule *def, const doc_node *e)
{
	pol_rule *r;
	forbidden_opts *o;
	uint32_t i;
	const doc_node *name = doc_get(e, "name");
	char id[300];
	size_t k;
	if (e->kind != DOC_MAP) {
		dc__policy_error(c, e, "a forbidden entry is a mapping with name, from and/or to, not a %s",
				 doc_type_name(e));
		return;
	}
	if (!name || !doc_str(name) || name->kind != DOC_SCALAR) {
		dc__policy_error(c, name ? name : e, "a forbidden entry needs a name (letters, digits, '-', "
				 "'_', '.')");
		return;
	}
	if (!valid_entry_name(name->u.s) || name->n > 200) {
		dc__policy_error(c, name, "forbidden entry name '%s' may only have letters, digits, '-', "
				 "'_' and '.'", name->u.s);
		return;
	}
	snprintf(id, sizeof(id), "forbidden/%s", name->u.s);
	for (k = 0; k < c->p->rules.len; k++)
		if (!strcmp(c->p->rules.items[k].id, id)) {
			dc__policy_error(c, name, "forbidden entry '%s' is defined twice", name->u.s);
			return;
		}
	if (!(r = dc__policy_add_rule(c, def, id)))
		return;
	o = r->opts;
	r->level = DC_LEVEL_ERROR;
	for (i = 0; i < e->n; i++) {
		const doc_node *key = e->u.kids[2 * i], *v = e->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "name"))
			continue;
		if (!strcmp(ks, "severity"))
			dc__policy_level(c, v, &r->level);
		else if (!strcmp(ks, "from"))
			o->from = parse_sel(c, v);
		else if (!strcmp(ks, "to"))
			o->to = parse_sel(c, v);
		else if (!strcmp(ks, "message")) {
			uint32_t bad = 0;
			if (!doc_str(v) || v->kind != DOC_SCALAR)
				dc__policy_error(c, v, "message must be a string, not a %s", doc_type_name(v));
			else if ((bad = dc_text_check(v->u.s, 0, NULL)) != 0) {
				/* it reaches every output, the CI log among them: the
				 * same rule as names in a catalog (docs/security.md) */
				char desc[96];
				dc_text_describe(bad, desc, sizeof(desc));
				dc__policy_error(c, v, "message contains %s: not allowed in names and text "
						 "(see docs/security.md)", desc);
			} else {
				free(o->message);
				o->message = dc__policy_strdup(c, v->u.s);
			}
		} else if (!strcmp(ks, "kind")) {
			if (doc_scalar_is(v, "hard"))
				o->dep_kind = DC_DEP_HARD;
			else if (doc_scalar_is(v, "soft"))
				o->dep_kind = DC_DEP_SOFT;
			else if (doc_scalar_is(v, "any"))
				o->dep_kind = -1;
			else
				dc__policy_error(c, v, "kind must be hard, soft or any");
		} else {
			static const char *const keys[] = { "name", "severity", "from", "to", "kind", "message" };
			const char *near = dc_suggest(ks, keys, sizeof(keys) / sizeof(keys[0]));
			if (near)
				dc__policy_error(c, key, "unknown key '%s' in forbidden entry '%s' (did you mean "
						 "'%s'?)", ks, name->u.s, near);
			else
				dc__policy_error(c, key, "unknown key '%s' in forbidden entry '%s' (expected "
						 "severity, from, to, kind or message)", ks, name->u.s);
		}
	}
	if (!doc_get(e, "from") && !doc_get(e, "to"))
		dc__policy_error(c, e, "forbidden entry '%s' needs from, to or both", name->u.s);
	if (!o->message) {
		snprintf(id, sizeof(id), "dependency forbidden by '%s'", name->u.s);
		o->message = dc__policy_strdup(c, id);
	}
	/* the description is the message, whatever its length */
	free(r->description);
	r->description = dc__policy_strdup(c, o->message ? o->message : "");
}

static void parse_forbidden(pctx *c, const dc__rule *def, const doc_node *v)
{
	uint32_t j;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_SEQ) {
		dc__policy_error(c, v, "forbidden takes a list of entries, not a %s", doc_type_name(v));
		return;
	}
	for (j = 0; j < v->n; j++)
		parse_forbidden_entry(c, def, v->u.kids[j]);
}

static int has_str(const pol_sel *s, const char *v)
{
	size_t i;
	for (i = 0; v && i < s->nvalues; i++)
		if (!strcmp(s->values[i], v))
			return 1;
	return 0;
}

/* regexec as 1 (match), 0 (no match) or -1: the matcher gave up
 * (REG_ESPACE and the like), which is never "no match" */
static int re_match(const regex_t *re, const char *text)
{
	int rc = regexec(re, text, 0, NULL, 0);
	return rc == 0 ? 1 : rc == REG_NOMATCH ? 0 : -1;
}

/* Selectors are small trees written by hand (their depth is bounded by the
 * policy parser's nesting limit), so recursion is fine here. 1 selected, 0
 * not, -1 the matcher failed (fail closed: the caller errors). */
static int sel_match(const pol_sel *s, const dc_catalog *cat, dc_id v)
{
	size_t i;
	int m;
	switch (s->kind) {
	case SEL_AND:
		for (i = 0; i < s->nkids; i++)
			if ((m = sel_match(s->kids[i], cat, v)) <= 0)
				return m;
		return 1;
	case SEL_OR:
		for (i = 0; i < s->nkids; i++)
			if ((m = sel_match(s->kids[i], cat, v)) != 0)
				return m;
		return 0;
	case SEL_NOT:
		m = sel_match(s->kids[0], cat, v);
		return m < 0 ? m : !m;
	case SEL_NAME:
		m = re_match(&s->re, dc_service_name(cat, v));
		return m ? m : re_match(&s->re, dc_service_ref(cat, v));
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
	const forbidden_opts *o = c->r->opts;
	size_t n = dc_catalog_service_count(c->cat), d, nd = dc_catalog_dep_count(c->cat);
	uint8_t *m = malloc(n ? n : 1);
	dc_id s;
	if (!m) {
		c->nomem = 1;
		return;
	}
	/* bit 1: matches `from`, bit 2: matches `to` (one regexec per service) */
	for (s = 0; s < n; s++) {
		int f = o->from ? sel_match(o->from, c->cat, s) : 1;
		int t = o->to ? sel_match(o->to, c->cat, s) : 1;
		if (f < 0 || t < 0) {
			/* fail closed: the rule could not be evaluated */
			dc__check_failed(c, "policy rule '%s': the regular expression matcher failed on "
					 "service '%s' (out of memory or a limit): the check cannot pass",
					 c->r->id, nm(c, s));
			free(m);
			return;
		}
		m[s] = (uint8_t)(f | (t << 1));
	}
	for (d = 0; d < nd; d++) {
		dc_id f = dc_dep_from(c->cat, d), t = dc_dep_to(c->cat, d);
		if (!(m[f] & 1) || !(m[t] & 2) ||
		    (o->dep_kind >= 0 && (int)dc_dep_kind_of(c->cat, d) != o->dep_kind))
			continue;
		dc__report(c, f, t, dep_key(c, f, t), dc_dep_location(c->cat, d), "%s: '%s' depends on '%s'",
			   o->message, nm(c, f), nm(c, t));
	}
	free(m);
}

/* ---- the table -----------------------------------------------------------------------
 * In report order (SARIF rules, JUnit testcases): list rules last. The
 * order is also the order of dc_policy_rule_*() and of the default
 * policy's text, whose golden (check-print-default-policy) pins both. */

const dc__rule dc__rules[] = {
	{ .id = "valid-input",
	  .summary = "the input loads without errors (what `depcheck validate` rejects fails the gate)",
	  .doc = "load and validation errors (wrong types, duplicates, unknown\n"
		 "references) as findings at their line; `off` lets broken input pass",
	  .setting = "error" },
	{ .id = "no-hard-cycles",
	  .summary = "no cycle of hard dependencies (its members share one fate and cannot start "
		     "from cold)",
	  .doc = "hard dependencies in a cycle: the members share one fate, no cold start",
	  .setting = "error",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_HARD_CYCLES,
	  .check = check_hard_cycles },
	{ .id = "startup-cycle",
	  .summary = "no cycle of startup dependencies (a cold start that cannot happen)",
	  .doc = "services that wait for each other to start (startup-only edges, with\nhard runtime ones): the system cannot start from nothing",
	  .setting = "error",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_STARTUP_CYCLES,
	  .check = check_startup_cycles },
	{ .id = "no-cycles",
	  .summary = "no dependency cycle of any kind",
	  .doc = "any cycle, soft edges included (legal, and often harmless)",
	  .setting = "off",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_CYCLES,
	  .check = check_cycles },
	{ .id = "tier",
	  .summary = "no hard dependency on a service of a less critical tier",
	  .doc = "no hard dependency from a tier-N service to a service of a tier > N",
	  .setting = "error",
	  .check = check_tier },
	{ .id = "deploy-order",
	  .summary = "deploy tools' order (Argo CD sync waves, Flux dependsOn) follows hard dependencies",
	  .doc = "an argocd.argoproj.io/sync-wave that syncs a service before a hard\n"
		 "dependency, or a Flux dependsOn that runs against one; only where the\n"
		 "input has such objects (Kubernetes manifests, Applications, Kustomizations)",
	  .setting = "warning",
	  .check = check_deploy_order },
	{ .id = "max-blast-radius",
	  .summary = "a service's lone failure takes down at most `max` other services",
	  .doc = "other services DOWN when one fails alone: a count, or a percentage\n"
		 "of the catalog's services",
	  .setting = "{ severity: warning, max: 25% }",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_BLAST,
	  .opts_size = sizeof(max_opts), .init = init_blast,
	  .options = "max", .option = opt_max_blast,
	  .describe = describe_blast,
	  .check = check_blast },
	{ .id = "max-depth",
	  .summary = "dependency chains at most `max` services long",
	  .doc = "longest dependency chain, in services (a cycle counts as one)",
	  .setting = "{ severity: warning, max: 10 }",
	  .opts_size = sizeof(max_opts), .init = init_depth,
	  .options = "max", .option = opt_max_count,
	  .describe = describe_depth,
	  .check = check_depth },
	{ .id = "max-fan-in",
	  .summary = "at most `max` dependents per service",
	  .setting = "{ severity: warning, max: 50 }",
	  .opts_size = sizeof(max_opts), .init = init_fan_in,
	  .options = "max", .option = opt_max_count,
	  .describe = describe_fan_in,
	  .check = check_fan_in },
	{ .id = "max-fan-out",
	  .summary = "at most `max` dependencies per service",
	  .setting = "{ severity: warning, max: 20 }",
	  .opts_size = sizeof(max_opts), .init = init_fan_out,
	  .options = "max", .option = opt_max_count,
	  .describe = describe_fan_out,
	  .check = check_fan_out },
	{ .id = "max-retry-amplification",
	  .summary = "one user request reaches a service at most `max` times",
	  .doc = "worst-case calls one user request makes to a service (retries multiply)",
	  .setting = "{ severity: warning, max: 10 }",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_AMP,
	  .opts_size = sizeof(max_opts), .init = init_amplification,
	  .options = "max", .option = opt_max_factor,
	  .describe = describe_amplification,
	  .check = check_amplification },
	{ .id = "retry-without-budget",
	  .summary = "retries on a path that reaches a service more than `max-amplification` times "
		     "have a retry budget",
	  .doc = "written retries without a retry budget (a mesh retryBudget, a\n"
		 "Linkerd budget, retry_budget) on the path by which one user request\n"
		 "reaches a service more than max-amplification times: each such hop",
	  .setting = "{ severity: warning, max-amplification: 10 }",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_AMP,
	  .opts_size = sizeof(max_opts), .init = init_retry_budget,
	  .options = "max-amplification", .option = opt_retry_budget,
	  .describe = describe_retry_budget,
	  .check = check_retry_budget },
	{ .id = "max-load-amplification",
	  .summary = "a single failure or hang sends a service at most `max` times its load, never past "
		     "its capacity",
	  .doc = "retry storms from the load model (docs/load.md): where services declare\n"
		 "traffic_rps, the worst load one service failing or hanging sends to each\n"
		 "service (solved for the largest risks, an upper bound for the rest: a\n"
		 "bound is judged against max only); over-capacity: also past capacity",
	  .setting = "{ severity: warning, max: 10, over-capacity: true }",
	  .flags = RULE_NEEDS_ANALYSIS | RULE_NEEDS_TRAFFIC,
	  .parts = DC__AN_LOAD,
	  .opts_size = sizeof(load_amp_opts), .init = init_load_amp,
	  .options = "max, over-capacity", .option = opt_load_amp,
	  .describe = describe_load_amp,
	  .check = check_load_amp },
	{ .id = "timeout-budget",
	  .summary = "a caller's timeout exceeds the callee's worst-case time to answer",
	  .doc = "a caller gives up while its callee still retries: judged where the\n"
		 "caller's timeout_ms is written (descriptor, overlay, mesh route);\n"
		 "callee-values: written also ignores defaults in the callee's need",
	  .setting = "{ severity: warning, callee-values: any }",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_TIMEOUTS,
	  .opts_size = sizeof(timeout_opts),
	  .options = "callee-values", .option = opt_timeouts,
	  .describe = describe_timeouts,
	  .check = check_timeouts },
	{ .id = "no-spof",
	  .summary = "no single service whose failure takes an entrypoint down",
	  .doc = "services whose lone failure takes an entrypoint down (every hard\n"
		 "dependency of an entrypoint is one: off unless you mean it)",
	  .setting = "{ severity: off, tier-1-only: true }",
	  .flags = RULE_NEEDS_ANALYSIS,
	  .parts = DC__AN_SPOFS,
	  .opts_size = sizeof(spof_opts),
	  .options = "tier-1-only", .option = opt_spof,
	  .describe = describe_spof,
	  .check = check_spof },
	{ .id = "required-fields",
	  .summary = "services declare the required fields",
	  .setting = "{ severity: warning, fields: [owner, tier] }",
	  .opts_size = sizeof(fields_opts), .init = init_fields,
	  .options = "fields", .option = opt_fields,
	  .check = check_fields },
	{ .id = "unresolved-references",
	  .summary = "every dependency names a service of the catalog",
	  .setting = "error",
	  .check = check_unresolved },
	{ .id = "undeclared-dependency",
	  .summary = "every call observed in production is a declared dependency",
	  .doc = "calls observed in production (check --observed FILE) that no\n"
		 "descriptor declares: hidden risk; without --observed it does not run.\n"
		 "min-calls-per-s: only calls above this rate, where the input gives one",
	  .setting = "{ severity: error, min-calls-per-s: 0 }",
	  .flags = RULE_NEEDS_OBSERVED,
	  .opts_size = sizeof(undeclared_opts),
	  .options = "min-calls-per-s", .option = opt_undeclared,
	  .describe = describe_undeclared,
	  .check = check_undeclared },
	{ .id = "dependency-nines",
	  .summary = "a critical dependency's availability is `nines` nines better than its "
		     "dependent's slo",
	  .doc = "a hard dependency on the path to an entrypoint whose availability\n"
		 "(written or measured) leaves it down more than (1 - slo) / 10^nines of\n"
		 "the time, slo being its caller's written one",
	  .setting = "off",
	  .opts_size = sizeof(nines_opts), .init = init_nines,
	  .options = "nines", .option = opt_nines,
	  .describe = describe_nines,
	  .check = check_nines },
	{ .id = "min-availability",
	  .summary = "every entrypoint's effective availability meets its target",
	  .doc = "entrypoints whose effective availability (depcheck availability: exact\n"
		 "when small, Monte Carlo otherwise) is below `min`, a number like 0.999,\n"
		 "or `slo`: each entrypoint's own slo (entrypoints without one are not\n"
		 "checked). Off by default: it costs Monte Carlo time on big catalogs.\n"
		 "The seed is fixed, so the same catalog always gives the same verdict.",
	  .setting = "{ severity: off, min: slo, trials: 100000, seed: 1 }",
	  .opts_size = sizeof(avail_opts), .init = init_avail,
	  .options = "min, trials, seed", .option = opt_avail,
	  .describe = describe_avail,
	  .check = check_min_availability },
	{ .id = "unverified-predictions",
	  .summary = "the riskiest predictions were tested by a chaos experiment recently",
	  .doc = "the `top` predictions `depcheck experiments` ranks first (of these\n"
		 "reasons) need a result (check --results FILE, as verify reads it) dated\n"
		 "at most max-age-days ago; a result counts whether or not it matched.\n"
		 "Off by default: it costs what `depcheck experiments` costs.",
	  .setting = "{ severity: off, max-age-days: 90, top: 10, reasons: [spof, soft-edge, any-of, zone] }",
	  .opts_size = sizeof(unverified_opts), .init = init_unverified,
	  .options = "max-age-days, top, reasons", .option = opt_unverified,
	  .describe = describe_unverified,
	  .check = check_unverified },
	{ .id = "forbidden",
	  .summary = "dependencies the policy forbids",
	  .doc = "forbidden dependencies, e.g.\n"
		 "  - name: payments-db-is-private\n"
		 "    severity: error\n"
		 "    from: { not: { system: payments } }\n"
		 "    to: { name: payments-db }\n"
		 "    message: only the payments system may use its database",
	  .setting = "[]",
	  .flags = RULE_LIST,
	  .opts_size = sizeof(forbidden_opts), .init = init_forbidden, .fini = fini_forbidden,
	  .parse_list = parse_forbidden,
	  .check = check_forbidden },
};

const size_t dc__rule_count = sizeof(dc__rules) / sizeof(dc__rules[0]);

const dc__rule *dc__rule_find(const char *id)
{
	size_t i;
	for (i = 0; id && i < dc__rule_count; i++)
		if (!strcmp(dc__rules[i].id, id))
			return &dc__rules[i];
	return NULL;
}
