/*
 * policy.c - parsing the policy of `depcheck check` (depcheck/policy.h).
 *
 * The policy goes through the same document layer as the catalogs (doc.h),
 * so every problem is reported at the line and column of the node at
 * fault, and YAML and JSON policies read alike. Parsing does not stop at
 * the first problem: all of them are reported, and a policy with any error
 * is refused (a CI gate must not run a policy that half-loaded).
 *
 * The built-in default policy is YAML text parsed here like a user's file:
 * `--print-default-policy` prints exactly what is enforced.
 */
#include "policy_int.h"
#include "catalog_int.h"
#include "doc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#define POLICY_MAX_FILE (16u << 20)
/* min-availability's default trials: a 95 % interval of about +-2e-4 at
 * 0.999, and 1,563 words per service-and-edge pass: about a second on
 * 100,000 services (bench/README) */
#define POLICY_AVAIL_TRIALS 100000

/* ---- rule table ------------------------------------------------------------ */

static const struct {
	const char *name;
	const char *description;
	double def_max;       /* default `max` of max-* rules */
	int def_percent;
} rule_info[DC_RULE_COUNT_] = {
	{ "no-hard-cycles", "no cycle of hard dependencies (its members share one fate and cannot "
	  "start from cold)", 0, 0 },
	{ "no-cycles", "no dependency cycle of any kind", 0, 0 },
	{ "tier", "no hard dependency on a service of a less critical tier", 0, 0 },
	{ "max-blast-radius", "a service's lone failure takes down at most `max` other services", 25, 1 },
	{ "max-depth", "dependency chains at most `max` services long", 10, 0 },
	{ "max-fan-in", "at most `max` dependents per service", 50, 0 },
	{ "max-fan-out", "at most `max` dependencies per service", 20, 0 },
	{ "max-retry-amplification", "one user request reaches a service at most `max` times", 10, 0 },
	{ "timeout-budget", "a caller's timeout exceeds the callee's worst-case time to answer", 0, 0 },
	{ "no-spof", "no single service whose failure takes an entrypoint down", 0, 0 },
	{ "required-fields", "services declare the required fields", 0, 0 },
	{ "unresolved-references", "every dependency names a service of the catalog", 0, 0 },
	{ "undeclared-dependency", "every call observed in production is a declared dependency", 0, 0 },
	{ "min-availability", "every entrypoint's effective availability meets its target", 0, 0 },
	{ "forbidden", "dependencies the policy forbids", 0, 0 },
};

const char *const pol_field_names[] = {
	"owner", "system", "tier", "description", "slo", "zones", "tags", "availability",
	"latency_ms", "replicas", NULL
};

const char *dc_rule_kind_name(dc_rule_kind k)
{
	return (unsigned)k < DC_RULE_COUNT_ ? rule_info[k].name : NULL;
}

const char *dc_rule_kind_description(dc_rule_kind k)
{
	return (unsigned)k < DC_RULE_COUNT_ ? rule_info[k].description : NULL;
}

const char *dc_level_name(dc_level l)
{
	return l == DC_LEVEL_ERROR ? "error" : l == DC_LEVEL_WARNING ? "warning" : "off";
}

static const char default_text[] =
	"# The built-in policy of depcheck check (depcheck check --print-default-policy).\n"
	"# Save it, edit it and pass it with --policy FILE. Rules a policy leaves out\n"
	"# are off. A rule given by its severity alone takes the options shown here.\n"
	"depcheck-policy: 1\n"
	"rules:\n"
	"  # hard dependencies in a cycle: the members share one fate, no cold start\n"
	"  no-hard-cycles: error\n"
	"  # any cycle, soft edges included (legal, and often harmless)\n"
	"  no-cycles: off\n"
	"  # no hard dependency from a tier-N service to a service of a tier > N\n"
	"  tier: error\n"
	"  # other services DOWN when one fails alone: a count, or a percentage\n"
	"  # of the catalog's services\n"
	"  max-blast-radius: { severity: warning, max: 25% }\n"
	"  # longest dependency chain, in services (a cycle counts as one)\n"
	"  max-depth: { severity: warning, max: 10 }\n"
	"  max-fan-in: { severity: warning, max: 50 }\n"
	"  max-fan-out: { severity: warning, max: 20 }\n"
	"  # worst-case calls one user request makes to a service (retries multiply)\n"
	"  max-retry-amplification: { severity: warning, max: 10 }\n"
	"  # a caller gives up while its callee still retries\n"
	"  timeout-budget: warning\n"
	"  # services whose lone failure takes an entrypoint down (every hard\n"
	"  # dependency of an entrypoint is one: off unless you mean it)\n"
	"  no-spof: { severity: off, tier-1-only: true }\n"
	"  required-fields: { severity: warning, fields: [owner, tier] }\n"
	"  unresolved-references: error\n"
	"  # calls observed in production (check --observed FILE) that no\n"
	"  # descriptor declares: hidden risk; without --observed it does not run\n"
	"  undeclared-dependency: error\n"
	"  # entrypoints whose effective availability (depcheck availability: exact\n"
	"  # when small, Monte Carlo otherwise) is below `min`, a number like 0.999,\n"
	"  # or `slo`: each entrypoint's own slo (entrypoints without one are not\n"
	"  # checked). Off by default: it costs Monte Carlo time on big catalogs.\n"
	"  # The seed is fixed, so the same catalog always gives the same verdict.\n"
	"  min-availability: { severity: off, min: slo, trials: 100000, seed: 1 }\n"
	"  # forbidden dependencies, e.g.\n"
	"  #   - name: payments-db-is-private\n"
	"  #     severity: error\n"
	"  #     from: { not: { system: payments } }\n"
	"  #     to: { name: payments-db }\n"
	"  #     message: only the payments system may use its database\n"
	"  forbidden: []\n";

const char *dc_policy_default_text(void)
{
	return default_text;
}

/* ---- freeing ---------------------------------------------------------------- */

static void sel_free(pol_sel *s)
{
	size_t i;
	if (!s)
		return;
	if (s->has_re)
		regfree(&s->re);
	for (i = 0; s->values && i < s->nvalues; i++)
		free(s->values[i]);
	free(s->values);
	free(s->tiers);
	free(s->kids);
	free(s);
}

void dc_policy_free(dc_policy *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->rules.len; i++) {
		free(p->rules.items[i].id);
		free(p->rules.items[i].description);
		free(p->rules.items[i].message);
	}
	for (i = 0; i < p->sels.len; i++)
		sel_free(p->sels.items[i]);
	dc_vec_free(&p->rules);
	dc_vec_free(&p->sels);
	free(p);
}

/* ---- parsing ---------------------------------------------------------------- */

typedef struct {
	dc_policy *p;
	const char *file;
	dc_diags *diags;
	int errors;
	int nomem;
} pctx;

#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static void perr(pctx *c, const doc_node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->errors++;
	if (dc_diags_add(c->diags, DC_SEV_ERROR, c->file, at ? at->line : 0, at ? at->col : 0, "%s", msg))
		c->nomem = 1;
}

static char *xstrdup(pctx *c, const char *s)
{
	char *d = strdup(s);
	if (!d)
		c->nomem = 1;
	return d;
}

static int parse_level(pctx *c, const doc_node *n, dc_level *out)
{
	const char *s = n && n->kind == DOC_SCALAR ? n->u.s : NULL;
	if (s && !strcmp(s, "error"))
		*out = DC_LEVEL_ERROR;
	else if (s && !strcmp(s, "warning"))
		*out = DC_LEVEL_WARNING;
	else if (s && !strcmp(s, "off"))
		*out = DC_LEVEL_OFF;
	else {
		perr(c, n, "severity must be error, warning or off, not %s%s%s", s ? "'" : "",
		     s ? s : doc_type_name(n), s ? "'" : "");
		return -1;
	}
	return 0;
}

/* `max`: a positive number, or for max-blast-radius also "N%". */
static void parse_max(pctx *c, pol_rule *r, const doc_node *n)
{
	double d;
	if (r->kind == DC_RULE_MAX_BLAST_RADIUS && n->kind == DOC_SCALAR && n->n > 1 &&
	    n->u.s[n->n - 1] == '%') {
		char *end;
		errno = 0;
		d = strtod(n->u.s, &end);
		if (end != n->u.s + n->n - 1 || errno || !(d >= 0 && d <= 100)) {
			perr(c, n, "max of max-blast-radius must be a count or a percentage "
			     "from 0%% to 100%%, not '%s'", n->u.s);
			return;
		}
		r->max = d;
		r->percent = 1;
		return;
	}
	if (doc_double(n, 0, &d) || !(d >= 0) || isinf(d)) {
		perr(c, n, "max of %s must be a number >= 0%s, not %s%s%s", r->id,
		     r->kind == DC_RULE_MAX_BLAST_RADIUS ? " or a percentage like 25%" : "",
		     n->kind == DOC_SCALAR ? "'" : "", n->kind == DOC_SCALAR ? n->u.s : doc_type_name(n),
		     n->kind == DOC_SCALAR ? "'" : "");
		return;
	}
	if (r->kind != DC_RULE_MAX_BLAST_RADIUS && r->kind != DC_RULE_MAX_RETRY_AMPLIFICATION &&
	    d != floor(d)) {
		perr(c, n, "max of %s must be a whole number, not '%s'", r->id, n->u.s);
		return;
	}
	r->max = d;
	r->percent = 0;
}

static void parse_fields(pctx *c, pol_rule *r, const doc_node *n)
{
	uint32_t i;
	size_t k;
	if (n->kind != DOC_SEQ) {
		perr(c, n, "fields of required-fields must be a list, not a %s", doc_type_name(n));
		return;
	}
	r->fields = 0;
	for (i = 0; i < n->n; i++) {
		const doc_node *f = n->u.kids[i];
		const char *s = doc_str(f);
		int found = 0;
		for (k = 0; s && pol_field_names[k]; k++)
			if (!strcmp(s, pol_field_names[k])) {
				r->fields |= 1u << k;
				found = 1;
			}
		if (!found)
			perr(c, f, "unknown field %s%s%s in required-fields (expected owner, system, tier, "
			     "description, slo, zones, tags, availability, latency_ms or replicas)",
			     s ? "'" : "", s ? s : doc_type_name(f), s ? "'" : "");
	}
}

/* min-availability: `min` (a probability, or `slo`), `trials`, `seed`. */
static void parse_avail_opt(pctx *c, pol_rule *r, const char *key, const doc_node *n)
{
	const char *s = n->kind == DOC_SCALAR ? n->u.s : doc_type_name(n);
	const char *q = n->kind == DOC_SCALAR ? "'" : "";
	long long v;
	double d;
	if (!strcmp(key, "min")) {
		if (doc_scalar_is(n, "slo"))
			r->min_avail = -1;
		else if (doc_double(n, 0, &d) || !(d > 0 && d <= 1))
			perr(c, n, "min of min-availability must be a probability like 0.999 (above 0, "
			     "at most 1) or slo, not %s%s%s", q, s, q);
		else
			r->min_avail = d;
	} else if (!strcmp(key, "trials")) {
		/* the engine takes up to 2^50; a gate that runs for days is a typo */
		if (doc_int(n, 0, &v) || v < 1 || v > 1000000000LL)
			perr(c, n, "trials of min-availability must be a whole number from 1 to "
			     "1000000000, not %s%s%s", q, s, q);
		else
			r->trials = (uint64_t)v;
	} else {
		if (doc_int(n, 0, &v) || v < 0)
			perr(c, n, "seed of min-availability must be a whole number from 0 to 2^63-1, "
			     "not %s%s%s", q, s, q);
		else
			r->seed = (uint64_t)v;
	}
}

static pol_sel *sel_new(pctx *c, int kind)
{
	pol_sel *s = calloc(1, sizeof(*s));
	if (!s || dc_vec_push(&c->p->sels, s)) {
		free(s);
		c->nomem = 1;
		return NULL;
	}
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
			perr(c, one, "selector %s takes a string or a list of strings, not a %s", key,
			     doc_type_name(one));
			continue;
		}
		s->values[s->nvalues] = xstrdup(c, v);
		if (s->values[s->nvalues])
			s->nvalues++;
	}
}

static pol_sel *parse_sel(pctx *c, const doc_node *n);

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
			perr(c, v, "selector name takes a regular expression, not a %s", doc_type_name(v));
			return NULL;
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
			perr(c, v, "bad regular expression '%s': %s", re, buf);
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
				perr(c, one, "selector tier takes a tier from 1 to 4 (or a list of them)");
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
	perr(c, k, "unknown selector '%s' (expected name, system, owner, tier, tag or not)", key);
	return NULL;
}

/* A mapping (every key must match) or a list of selectors (any must). */
static pol_sel *parse_sel(pctx *c, const doc_node *n)
{
	pol_sel *s;
	uint32_t i;
	if (n->kind == DOC_SEQ) {
		if (n->n == 0) {
			perr(c, n, "an empty list of selectors selects nothing");
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
		perr(c, n, "a selector is a mapping like { system: payments } or a list of them, "
		     "not %s %s", n->kind == DOC_MAP ? "an empty" : "a", n->kind == DOC_MAP ? "mapping" :
		     doc_type_name(n));
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
			perr(c, k, "selector keys must be strings");
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

static void parse_forbidden_entry(pctx *c, const doc_node *e)
{
	pol_rule r;
	uint32_t i;
	const doc_node *name = doc_get(e, "name");
	char id[300];
	size_t k;
	if (e->kind != DOC_MAP) {
		perr(c, e, "a forbidden entry is a mapping with name, from and/or to, not a %s",
		     doc_type_name(e));
		return;
	}
	memset(&r, 0, sizeof(r));
	r.kind = DC_RULE_FORBIDDEN;
	r.level = DC_LEVEL_ERROR;
	r.dep_kind = -1;
	if (!name || !doc_str(name) || name->kind != DOC_SCALAR) {
		perr(c, name ? name : e, "a forbidden entry needs a name (letters, digits, '-', '_', '.')");
		return;
	}
	if (!valid_entry_name(name->u.s) || name->n > 200) {
		perr(c, name, "forbidden entry name '%s' may only have letters, digits, '-', '_' and '.'",
		     name->u.s);
		return;
	}
	snprintf(id, sizeof(id), "forbidden/%s", name->u.s);
	for (k = DC_RULE_FORBIDDEN; k < c->p->rules.len; k++)
		if (!strcmp(c->p->rules.items[k].id, id)) {
			perr(c, name, "forbidden entry '%s' is defined twice", name->u.s);
			return;
		}
	for (i = 0; i < e->n; i++) {
		const doc_node *key = e->u.kids[2 * i], *v = e->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "name"))
			continue;
		if (!strcmp(ks, "severity"))
			parse_level(c, v, &r.level);
		else if (!strcmp(ks, "from"))
			r.from = parse_sel(c, v);
		else if (!strcmp(ks, "to"))
			r.to = parse_sel(c, v);
		else if (!strcmp(ks, "message")) {
			if (!doc_str(v) || v->kind != DOC_SCALAR)
				perr(c, v, "message must be a string, not a %s", doc_type_name(v));
			else
				r.message = xstrdup(c, v->u.s);
		} else if (!strcmp(ks, "kind")) {
			if (doc_scalar_is(v, "hard"))
				r.dep_kind = DC_DEP_HARD;
			else if (doc_scalar_is(v, "soft"))
				r.dep_kind = DC_DEP_SOFT;
			else if (doc_scalar_is(v, "any"))
				r.dep_kind = -1;
			else
				perr(c, v, "kind must be hard, soft or any");
		} else
			perr(c, key, "unknown key '%s' in forbidden entry '%s' (expected severity, from, to, "
			     "kind or message)", ks, name->u.s);
	}
	if (!doc_get(e, "from") && !doc_get(e, "to"))
		perr(c, e, "forbidden entry '%s' needs from, to or both", name->u.s);
	r.id = xstrdup(c, id);
	if (!r.message) {
		snprintf(id, sizeof(id), "dependency forbidden by '%s'", name->u.s);
		r.message = xstrdup(c, id);
	}
	r.description = xstrdup(c, r.message ? r.message : "");
	if (dc_vec_push(&c->p->rules, r)) {
		free(r.id);
		free(r.message);
		free(r.description);
		c->nomem = 1;
	}
}

static void parse_rule(pctx *c, pol_rule *r, const doc_node *v)
{
	uint32_t i;
	if (v->kind == DOC_SCALAR) {
		parse_level(c, v, &r->level);
		return;
	}
	if (v->kind != DOC_MAP) {
		perr(c, v, "rule %s takes a severity or a mapping with severity and options, not a %s",
		     r->id, doc_type_name(v));
		return;
	}
	/* a mapping without severity means the rule is on */
	r->level = DC_LEVEL_ERROR;
	for (i = 0; i < v->n; i++) {
		const doc_node *key = v->u.kids[2 * i], *val = v->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		int is_max = r->kind == DC_RULE_MAX_BLAST_RADIUS || r->kind == DC_RULE_MAX_DEPTH ||
			     r->kind == DC_RULE_MAX_FAN_IN || r->kind == DC_RULE_MAX_FAN_OUT ||
			     r->kind == DC_RULE_MAX_RETRY_AMPLIFICATION;
		if (!strcmp(ks, "severity"))
			parse_level(c, val, &r->level);
		else if (is_max && !strcmp(ks, "max"))
			parse_max(c, r, val);
		else if (r->kind == DC_RULE_NO_SPOF && !strcmp(ks, "tier-1-only")) {
			if (doc_bool(val, &r->tier1_only))
				perr(c, val, "tier-1-only must be true or false");
		} else if (r->kind == DC_RULE_REQUIRED_FIELDS && !strcmp(ks, "fields"))
			parse_fields(c, r, val);
		else if (r->kind == DC_RULE_MIN_AVAILABILITY && (!strcmp(ks, "min") ||
			 !strcmp(ks, "trials") || !strcmp(ks, "seed")))
			parse_avail_opt(c, r, ks, val);
		else
			perr(c, key, "unknown option '%s' of rule %s (expected severity%s)", ks, r->id,
			     is_max ? ", max" : r->kind == DC_RULE_NO_SPOF ? ", tier-1-only" :
			     r->kind == DC_RULE_REQUIRED_FIELDS ? ", fields" :
			     r->kind == DC_RULE_MIN_AVAILABILITY ? ", min, trials, seed" : "");
	}
}

static void describe(pctx *c, pol_rule *r)
{
	char buf[300];
	switch (r->kind) {
	case DC_RULE_MAX_BLAST_RADIUS:
		if (r->percent)
			snprintf(buf, sizeof(buf), "a service's lone failure takes down at most %g%% of the "
				 "services", r->max);
		else
			snprintf(buf, sizeof(buf), "a service's lone failure takes down at most %g other "
				 "services", r->max);
		break;
	case DC_RULE_MAX_DEPTH:
		snprintf(buf, sizeof(buf), "dependency chains at most %g services long", r->max);
		break;
	case DC_RULE_MAX_FAN_IN:
		snprintf(buf, sizeof(buf), "at most %g dependents per service", r->max);
		break;
	case DC_RULE_MAX_FAN_OUT:
		snprintf(buf, sizeof(buf), "at most %g dependencies per service", r->max);
		break;
	case DC_RULE_MAX_RETRY_AMPLIFICATION:
		snprintf(buf, sizeof(buf), "one user request reaches a service at most %g times", r->max);
		break;
	case DC_RULE_NO_SPOF:
		snprintf(buf, sizeof(buf), "no single service whose failure takes %s down",
			 r->tier1_only ? "a tier-1 entrypoint" : "an entrypoint");
		break;
	case DC_RULE_MIN_AVAILABILITY:
		if (r->min_avail < 0)
			snprintf(buf, sizeof(buf), "every entrypoint's effective availability meets its slo "
				 "(Monte Carlo: %llu trials, seed %llu)", (unsigned long long)r->trials,
				 (unsigned long long)r->seed);
		else
			snprintf(buf, sizeof(buf), "every entrypoint's effective availability is at least %g "
				 "(Monte Carlo: %llu trials, seed %llu)", r->min_avail,
				 (unsigned long long)r->trials, (unsigned long long)r->seed);
		break;
	default:
		snprintf(buf, sizeof(buf), "%s", rule_info[r->kind].description);
	}
	free(r->description);
	r->description = xstrdup(c, buf);
}

static void parse_root(pctx *c, const doc_node *root)
{
	const doc_node *ver = NULL, *rules = NULL;
	uint32_t i;
	size_t k;
	if (!root || root->kind != DOC_MAP) {
		perr(c, root, "a policy is a mapping with depcheck-policy: 1 and rules");
		return;
	}
	for (i = 0; i < root->n; i++) {
		const doc_node *key = root->u.kids[2 * i], *val = root->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "depcheck-policy"))
			ver = val;
		else if (!strcmp(ks, "rules"))
			rules = val;
		else
			perr(c, key, "unknown key '%s' in the policy (expected depcheck-policy and rules)", ks);
	}
	if (!ver) {
		perr(c, root, "missing 'depcheck-policy: 1': is this a depcheck policy file?");
	} else {
		long long v;
		if (doc_int(ver, 1, &v) || v != 1)
			perr(c, ver, "unsupported policy version '%s' (this depcheck reads version 1)",
			     ver->kind == DOC_SCALAR ? ver->u.s : doc_type_name(ver));
	}
	if (!rules || doc_is_null(rules))
		return;
	if (rules->kind != DOC_MAP) {
		perr(c, rules, "rules must be a mapping from rule names to settings, not a %s",
		     doc_type_name(rules));
		return;
	}
	for (i = 0; i < rules->n; i++) {
		const doc_node *key = rules->u.kids[2 * i], *val = rules->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		int found = 0;
		if (key->kind != DOC_SCALAR) {
			perr(c, key, "rule names are strings, not a %s", doc_type_name(key));
			continue;
		}
		if (!strcmp(ks, "forbidden")) {
			uint32_t j;
			if (doc_is_null(val))
				continue;
			if (val->kind != DOC_SEQ) {
				perr(c, val, "forbidden takes a list of entries, not a %s", doc_type_name(val));
				continue;
			}
			for (j = 0; j < val->n; j++)
				parse_forbidden_entry(c, val->u.kids[j]);
			continue;
		}
		for (k = 0; k < DC_RULE_FORBIDDEN; k++)
			if (!strcmp(ks, rule_info[k].name)) {
				parse_rule(c, &c->p->rules.items[k], val);
				describe(c, &c->p->rules.items[k]);
				found = 1;
			}
		if (!found)
			perr(c, key, "unknown rule '%s' (expected no-hard-cycles, no-cycles, tier, "
			     "max-blast-radius, max-depth, max-fan-in, max-fan-out, max-retry-amplification, "
			     "timeout-budget, no-spof, required-fields, unresolved-references, undeclared-dependency, "
			     "min-availability or forbidden)", ks);
	}
}

static int policy_init(pctx *c)
{
	size_t k;
	dc_policy *p = calloc(1, sizeof(*p));
	if (!p)
		return DC_ENOMEM;
	c->p = p;
	if (dc_vec_reserve(&p->rules, DC_RULE_FORBIDDEN))
		return DC_ENOMEM;
	for (k = 0; k < DC_RULE_FORBIDDEN; k++) {
		pol_rule r;
		memset(&r, 0, sizeof(r));
		r.kind = (dc_rule_kind)k;
		r.level = DC_LEVEL_OFF;
		r.max = rule_info[k].def_max;
		r.percent = rule_info[k].def_percent;
		r.fields = FIELD_OWNER | FIELD_TIER;
		r.tier1_only = 0;
		r.dep_kind = -1;
		r.min_avail = -1;
		r.trials = POLICY_AVAIL_TRIALS;
		r.seed = 1;
		p->rules.items[p->rules.len++] = r;
		p->rules.items[k].id = xstrdup(c, rule_info[k].name);
		describe(c, &p->rules.items[k]);
	}
	return c->nomem ? DC_ENOMEM : 0;
}

int dc_policy_parse(dc_policy **out, const char *name, const char *buf, size_t len, dc_diags *diags)
{
	doc_stream ds;
	doc_limits lim = { 64, 100000 };
	pctx c;
	int rc;
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = name ? name : "<policy>";
	c.diags = diags;
	if ((rc = policy_init(&c))) {
		dc_policy_free(c.p);
		return rc;
	}
	doc_stream_init(&ds, c.file);
	rc = doc_parse_yaml(&ds, buf, len, &lim, diags);
	if (!rc) {
		if (ds.docs.len != 1 || !ds.docs.items[0])
			perr(&c, ds.docs.len > 1 && ds.docs.items[1] ? ds.docs.items[1] : NULL,
			     ds.docs.len > 1 ? "a policy file holds one YAML document"
					     : "empty policy: write depcheck-policy: 1 and rules");
		else
			parse_root(&c, ds.docs.items[0]);
		rc = c.nomem ? DC_ENOMEM : c.errors ? DC_EINVALID : 0;
	}
	doc_stream_free(&ds);
	if (rc) {
		dc_policy_free(c.p);
		return rc;
	}
	*out = c.p;
	return 0;
}

int dc_policy_default(dc_policy **out)
{
	dc_diags *d;
	int rc;
	if (dc_diags_new(&d))
		return DC_ENOMEM;
	rc = dc_policy_parse(out, DC_POLICY_DEFAULT_NAME, default_text, sizeof(default_text) - 1, d);
	dc_diags_free(d);
	return rc;
}

int dc_policy_load(dc_policy **out, const char *path, dc_diags *diags)
{
	FILE *fp;
	char *buf;
	size_t len;
	int too_big = 0, rc, is_stdin = !strcmp(path, "-");
	struct stat st;
	const char *name = is_stdin ? "<stdin>" : path;
	*out = NULL;
	fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp && errno == ENOMEM)
		return DC_ENOMEM; /* fopen's FILE */
	if (!fp) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read the policy: %s", strerror(errno));
		return DC_EIO;
	}
	if (!is_stdin && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read the policy: it is a directory");
		return DC_EIO;
	}
	rc = load_read_all(fp, POLICY_MAX_FILE, &buf, &len, &too_big);
	if (!is_stdin)
		fclose(fp);
	if (rc) {
		dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "cannot read the policy: %s",
			     too_big ? "larger than 16 MiB" : dc_strerror(rc));
		return rc == DC_ENOMEM ? rc : DC_EIO;
	}
	if (memchr(buf, '\0', len)) {
		dc_diags_add(diags, DC_SEV_ERROR, name, 0, 0, "the policy is not a text file (NUL byte)");
		free(buf);
		return DC_EPARSE;
	}
	rc = dc_policy_parse(out, name, buf, len, diags);
	free(buf);
	return rc;
}

/* ---- accessors -------------------------------------------------------------- */

size_t dc_policy_rule_count(const dc_policy *p) { return p->rules.len; }
const char *dc_policy_rule_id(const dc_policy *p, size_t i) { return p->rules.items[i].id; }
dc_rule_kind dc_policy_rule_kind(const dc_policy *p, size_t i) { return p->rules.items[i].kind; }
dc_level dc_policy_rule_level(const dc_policy *p, size_t i) { return p->rules.items[i].level; }
const char *dc_policy_rule_description(const dc_policy *p, size_t i)
{
	return p->rules.items[i].description;
}

size_t dc_policy_rule_find(const dc_policy *p, const char *id)
{
	size_t i;
	for (i = 0; i < p->rules.len; i++)
		if (!strcmp(p->rules.items[i].id, id))
			return i;
	return (size_t)-1;
}
