/*
 * check.c - checking a catalog against a policy (depcheck/check.h): the
 * violation list, baselines (matching by rule and subject key), and
 * dc_check(), which runs the check function of every rule that is on.
 *
 * The rules themselves, with their options and checks, are the table of
 * rules.c; this file knows none of them. It computes what the table says a
 * rule needs (the analysis, observed calls) once, for all the rules.
 */
#include <depcheck/check.h>

#include "catalog_int.h"
#include "policy_int.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* ---- the violation list ------------------------------------------------------ */

struct dc_violations {
	DC_VEC(dc_violation) items;
};

int dc_violations_new(dc_violations **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : DC_ENOMEM;
}

/* A violation's strings live in one block that starts with its rule id
 * (dc_violations_add), so a finding costs one allocation, not six: at a
 * million services check keeps millions of them. The waiver's reason is
 * its own. */
static void viol_clear(dc_violation *v)
{
	free((char *)v->rule);
	free((char *)v->waived);
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

size_t dc_violations_count(const dc_violations *v) { return v ? v->items.len : 0; }

const dc_violation *dc_violations_get(const dc_violations *v, size_t i)
{
	return v && i < v->items.len ? &v->items.items[i] : NULL;
}

size_t dc_violations_count_level(const dc_violations *v, dc_level level)
{
	size_t i, n = 0;
	for (i = 0; v && i < v->items.len; i++)
		n += v->items.items[i].level == level && !v->items.items[i].waived;
	return n;
}

size_t dc_violations_count_waived(const dc_violations *v)
{
	size_t i, n = 0;
	for (i = 0; v && i < v->items.len; i++)
		n += v->items.items[i].waived != NULL;
	return n;
}

/* Copy s (with its NUL) at *p, advance *p; NULL stays NULL. */
static const char *put_str(char **p, const char *s, size_t n)
{
	char *d = *p;
	if (!s)
		return NULL;
	memcpy(d, s, n + 1);
	*p += n + 1;
	return d;
}

int dc_violations_add(dc_violations *v, const char *rule, dc_level level, const char *service,
		      const char *target, const char *key, dc_location loc, const char *message)
{
	dc_violation x;
	size_t lr, lm, ls, lt, lk, lf, total;
	char *block, *p;
	if (!v || !rule || !service || !message || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return DC_EINVALID;
	lr = strlen(rule);
	lm = strlen(message);
	ls = strlen(service);
	lt = target ? strlen(target) : 0;
	/* no key: the service and the target ("a" or "a -> b") */
	lk = key ? strlen(key) : ls + (target ? lt + 4 : 0);
	lf = loc.file ? strlen(loc.file) : 0;
	total = lr + lm + ls + lk + 4 + (target ? lt + 1 : 0) + (loc.file ? lf + 1 : 0);
	if (!(block = malloc(total)))
		return DC_ENOMEM;
	p = block;
	memset(&x, 0, sizeof(x));
	x.level = level;
	x.rule = put_str(&p, rule, lr);
	x.message = put_str(&p, message, lm);
	x.service = put_str(&p, service, ls);
	x.target = put_str(&p, target, lt);
	if (key) {
		x.key = put_str(&p, key, lk);
	} else {
		x.key = p;
		snprintf(p, lk + 1, "%s%s%s", service, target ? " -> " : "", target ? target : "");
		p += lk + 1;
	}
	x.loc.file = put_str(&p, loc.file, lf);
	x.loc.line = loc.file ? loc.line : 0;
	x.loc.column = loc.file ? loc.column : 0;
	if (dc_vec_push(&v->items, x)) {
		free(block);
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

/* ---- checking ----------------------------------------------------------------------
 * dc_check() runs the check function of every rule that is on (the rule
 * table, rules.c); the rules report through dc__report(). */

void dc__report(ck *c, dc_id s, dc_id t, const char *key, dc_location loc, const char *fmt, ...)
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

void dc__check_failed(ck *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->failed = 1;
	/* diags came with version 4 */
	if (c->opts && c->opts->version >= 4 && c->opts->diags &&
	    dc_diags_add(c->opts->diags, DC_SEV_ERROR, "policy", 0, 0, "%s", msg))
		c->nomem = 1;
}

/* key_name came with version 2 (version 1 options end before it) */
const char *dc__key_ref(const ck *c, dc_id s)
{
	const dc_check_options *o = c->opts;
	if (!o || o->version < 2 || !o->key_name)
		return dc_service_ref(c->cat, s);
	return o->key_name(s, o->key_ctx);
}

int dc_check(dc_violations *out, const dc_graph *g, const dc_analysis *a, const dc_policy *policy,
	     const dc_check_options *opts)
{
	ck c;
	dc_analysis *own = NULL;
	size_t i;
	long day;
	if (!out || !g || !policy || (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_CHECK_OPTIONS_VERSION)))
		return DC_EINVALID;
	/* version 5 brought `today` */
	if (opts && opts->version >= 5 && opts->today && dc__date_parse(opts->today, &day))
		return DC_EINVALID;
	memset(&c, 0, sizeof(c));
	c.opts = opts;
	/* version 1 options end before `observed` */
	if (opts && opts->version >= 2)
		c.observed = opts->observed;
	/* the analysis (every blast radius: the costly part) only when a rule
	 * that reads it is on */
	for (i = 0; i < policy->rules.len && !a; i++) {
		const pol_rule *r = &policy->rules.items[i];
		if (r->level != DC_LEVEL_OFF && (r->def->flags & RULE_NEEDS_ANALYSIS)) {
			dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
			int rc;
			/* version 4 brought `threads` */
			ao.threads = opts && opts->version >= 4 ? opts->threads : 0;
			if ((rc = dc_analyze(&own, g, &ao)))
				return rc;
			a = own;
		}
	}
	c.out = out;
	c.g = g;
	c.cat = dc_graph_catalog(g);
	c.a = a;
	for (i = 0; i < policy->rules.len && !c.nomem && !c.failed; i++) {
		c.r = &policy->rules.items[i];
		if (c.r->level == DC_LEVEL_OFF || ((c.r->def->flags & RULE_NEEDS_OBSERVED) && !c.observed) ||
		    !c.r->def->check)
			continue; /* (valid-input: dc_violations_add_input_errors) */
		c.r->def->check(&c);
	}
	dc_analysis_free(own);
	if (c.nomem)
		return DC_ENOMEM;
	if (c.failed)
		return DC_ELIMIT;
	dc_violations_sort(out);
	return 0;
}

/* ---- valid-input ---------------------------------------------------------------- */

/* The length of a position a message names at s ("(line 6)", "(at 3:4)"),
 * with the space before it, or 0: a key holds no line numbers, so that a
 * syntax error the base had matches wherever the lines moved. */
static size_t position_at(const char *s)
{
	const char *p = s;
	if (*p == ' ')
		p++;
	if (!strncmp(p, "(line ", 6))
		p += 6;
	else if (!strncmp(p, "(at ", 4))
		p += 4;
	else
		return 0;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p) || *p == ':')
		p++;
	return *p == ')' ? (size_t)(p + 1 - s) : 0;
}

int dc_violations_add_input_errors(dc_violations *out, const dc_diags *diags, dc_level level)
{
	size_t i, j, n0;
	char *key = NULL;
	size_t cap = 0;
	int rc = 0;
	if (!out || !diags || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return DC_EINVALID;
	n0 = dc_violations_count(out);
	for (i = 0; i < dc_diags_count(diags) && !rc; i++) {
		const dc_diag *d = dc_diags_get(diags, i);
		dc_location at;
		size_t need;
		int dup = 0;
		if (d->severity != DC_SEV_ERROR)
			continue;
		for (j = 0; j < n0 && !dup && d->line; j++) {
			const dc_violation *x = dc_violations_get(out, j);
			dup = x->loc.file && !strcmp(x->loc.file, d->file) && x->loc.line == d->line &&
			      x->loc.column == d->column;
		}
		if (dup)
			continue;
		need = strlen(d->file) + strlen(d->message) + 3;
		if (need > cap) {
			char *k = realloc(key, need);
			if (!k) {
				rc = DC_ENOMEM;
				break;
			}
			key = k;
			cap = need;
		}
		{
			/* FILE: message, any position in the message left out */
			const char *m = d->message;
			size_t w = (size_t)snprintf(key, cap, "%s: ", d->file), skip;
			while (*m && w + 1 < cap) {
				if ((skip = position_at(m)) != 0) {
					m += skip;
					continue;
				}
				key[w++] = *m++;
			}
			key[w] = '\0';
		}
		memset(&at, 0, sizeof(at));
		at.file = d->file;
		at.line = d->line;
		at.column = d->column;
		rc = dc_violations_add(out, "valid-input", level, d->file, NULL, key, at, d->message);
	}
	free(key);
	if (!rc)
		dc_violations_sort(out);
	return rc;
}

/* ---- waivers --------------------------------------------------------------------
 * One hash table of "rule\x1fsubject" over the waivers in force; each
 * finding is looked up by its key and by its display-name subject, so the
 * pass is linear in findings plus waivers. */

const char *dc__waiver_rule_summary(const char *id)
{
	if (!strcmp(id, "expired-waiver"))
		return "a waiver of the policy is past its expiry date";
	if (!strcmp(id, "unused-waiver"))
		return "a waiver of the policy accepts no finding";
	return NULL;
}

static int today_date(const char *today, long *out)
{
	time_t t;
	struct tm tm;
	char buf[16];
	if (today)
		return dc__date_parse(today, out);
	t = time(NULL);
	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d", &tm))
		return -1;
	return dc__date_parse(buf, out);
}

/* "rule\x1fa" + optional " -> b" into a growing buffer; NULL out of memory */
static char *waiver_key(char **buf, size_t *cap, const char *rule, const char *a, const char *b, size_t *len)
{
	size_t need = strlen(rule) + strlen(a) + (b ? strlen(b) + 4 : 0) + 2;
	if (need > *cap) {
		char *nb = realloc(*buf, need);
		if (!nb)
			return NULL;
		*buf = nb;
		*cap = need;
	}
	*len = (size_t)snprintf(*buf, *cap, "%s\x1f%s%s%s", rule, a, b ? " -> " : "", b ? b : "");
	return *buf;
}

int dc_violations_waive(dc_violations *v, const dc_policy *p, const char *today)
{
	dc_strtab t;
	DC_VEC(uint32_t) which = {0}; /* strtab id -> waiver index + 1 */
	uint8_t *used = NULL;
	char *kb = NULL;
	size_t cap = 0, len, i, nw = dc_policy_waiver_count(p), n0;
	long now, exp;
	int rc = 0;
	if (!v || !p || today_date(today, &now))
		return DC_EINVALID;
	if (!nw)
		return 0;
	if (dc_strtab_init(&t))
		return DC_ENOMEM;
	if (!(used = calloc(nw, 1)))
		goto nomem;
	for (i = 0; i < nw; i++) {
		const dc_waiver *w = dc_policy_waiver(p, i);
		uint32_t id;
		if (w->expires && !dc__date_parse(w->expires, &exp) && exp < now)
			continue;
		if (!waiver_key(&kb, &cap, w->rule, w->subject, NULL, &len) || !(id = dc_strtab_intern(&t, kb, len)) ||
		    dc_vec_reserve(&which, id + 1 > which.len ? id + 1 - which.len : 0))
			goto nomem;
		while (which.len <= id)
			which.items[which.len++] = 0;
		if (!which.items[id])
			which.items[id] = (uint32_t)i + 1;
	}
	n0 = v->items.len;
	for (i = 0; i < n0; i++) {
		dc_violation *x = &v->items.items[i];
		uint32_t id = 0;
		if (x->waived)
			continue;
		if (!waiver_key(&kb, &cap, x->rule, x->key, NULL, &len))
			goto nomem;
		id = dc_strtab_lookup(&t, kb, len);
		if (!(id && id < which.len && which.items[id])) {
			if (!waiver_key(&kb, &cap, x->rule, x->service, x->target, &len))
				goto nomem;
			id = dc_strtab_lookup(&t, kb, len);
		}
		if (id && id < which.len && which.items[id]) {
			const dc_waiver *w = dc_policy_waiver(p, which.items[id] - 1);
			if (!(x->waived = strdup(w->reason)))
				goto nomem;
			used[which.items[id] - 1] = 1;
		}
	}
	for (i = 0; i < nw && !rc; i++) {
		const dc_waiver *w = dc_policy_waiver(p, i);
		char msg[1024];
		int expired = w->expires && !dc__date_parse(w->expires, &exp) && exp < now;
		if (used[i])
			continue;
		if (expired)
			snprintf(msg, sizeof(msg), "the waiver of %s for '%s' expired on %s (%s): fix the findings "
				 "or renew the waiver", w->rule, w->subject, w->expires, w->reason);
		else
			snprintf(msg, sizeof(msg), "the waiver of %s for '%s' accepts no finding: remove it",
				 w->rule, w->subject);
		/* subject key "rule: subject" */
		{
			size_t rl = strlen(w->rule), sl = strlen(w->subject);
			char *k = malloc(rl + sl + 3);
			if (!k)
				goto nomem;
			snprintf(k, rl + sl + 3, "%s: %s", w->rule, w->subject);
			rc = dc_violations_add(v, expired ? "expired-waiver" : "unused-waiver",
					       expired ? DC_LEVEL_ERROR : DC_LEVEL_WARNING, w->subject, NULL, k, w->loc, msg);
			free(k);
		}
	}
	if (!rc)
		dc_violations_sort(v);
	goto out;
nomem:
	rc = DC_ENOMEM;
out:
	free(kb);
	free(used);
	dc_vec_free(&which);
	dc_strtab_free(&t);
	return rc;
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
		if (!dc_violations_get(v, i)->waived && dc_level_fails(dc_violations_get(v, i)->level, fail_on))
			return 1;
	return 0;
}
