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

/* ---- the violation list ------------------------------------------------------
 * Every finding is counted (per level, waived, per rule); the list keeps
 * every one, or with dc_violations_keep() the first `keep` of each rule in
 * sort order: a bounded max-heap per rule of the kept ones (indexes into
 * items), whose top is the one a better finding replaces. At a million
 * services check finds millions of findings, and its text and JSON list
 * the first 100 of each rule. */

/* A finding and the order it was added in: sorting ties (the same level,
 * position, rule and key) keep that order, so the order never depends on
 * the C library's qsort, and a list that keeps the first findings of each
 * rule keeps the very ones a list that keeps them all lists first. */
typedef struct {
	dc_violation x;   /* first: dc_violations_get() returns &item->x */
	uint64_t seq;
	size_t rule;      /* index into rules */
} vitem;

/* A rule id and its findings, kept or not. */
typedef struct {
	char *id;
	size_t total;     /* waived ones included */
	size_t unwaived;
	DC_VEC(size_t) heap; /* dc_violations_keep(): its kept items, the last in sort order on top */
} vrule;

/* The policy's waivers in force: "rule\x1fsubject" -> waiver index + 1
 * (the first of two alike), and which of them accepted a finding. */
typedef struct {
	const dc_policy *p;
	long day;
	dc_strtab t;
	DC_VEC(uint32_t) which;
	uint8_t *used;
	char *kb;         /* key buffer */
	size_t cap;
} wtable;

struct dc_violations {
	DC_VEC(vitem) items;
	DC_VEC(vrule) rules;
	size_t last;              /* the rule found last (findings come rule by rule) */
	uint64_t seq;
	size_t total, nwaived;
	size_t nlevel[2];         /* not waived: warnings, errors */
	size_t keep;              /* dc_violations_keep(): per rule; 0: every finding */
	wtable *w;                /* dc_violations_keep() with waivers: applied as findings come */
	int w_off;                /* the waiver findings themselves are not waived */
};

int dc_violations_new(dc_violations **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : DC_ENOMEM;
}

/* A violation's strings live in one block that starts with its rule id
 * (dc_violations_add), so a finding costs one allocation, not six. The
 * waiver's reason is its own. */
static void viol_clear(dc_violation *v)
{
	free((char *)v->rule);
	free((char *)v->waived);
}

static void wtable_free(wtable *w)
{
	if (!w)
		return;
	dc_strtab_free(&w->t);
	dc_vec_free(&w->which);
	free(w->used);
	free(w->kb);
	free(w);
}

void dc_violations_free(dc_violations *v)
{
	size_t i;
	if (!v)
		return;
	for (i = 0; i < v->items.len; i++)
		viol_clear(&v->items.items[i].x);
	dc_vec_free(&v->items);
	for (i = 0; i < v->rules.len; i++) {
		free(v->rules.items[i].id);
		dc_vec_free(&v->rules.items[i].heap);
	}
	dc_vec_free(&v->rules);
	wtable_free(v->w);
	free(v);
}

size_t dc_violations_count(const dc_violations *v) { return v ? v->items.len : 0; }

size_t dc_violations_total(const dc_violations *v) { return v ? v->total : 0; }

const dc_violation *dc_violations_get(const dc_violations *v, size_t i)
{
	return v && i < v->items.len ? &v->items.items[i].x : NULL;
}

size_t dc_violations_count_level(const dc_violations *v, dc_level level)
{
	if (!v || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return 0;
	return v->nlevel[level == DC_LEVEL_ERROR];
}

size_t dc_violations_count_waived(const dc_violations *v) { return v ? v->nwaived : 0; }

/* The index of rule id in v->rules, or (size_t)-1. */
static size_t rule_find(const dc_violations *v, const char *id)
{
	size_t i;
	if (v->last < v->rules.len && !strcmp(v->rules.items[v->last].id, id))
		return v->last;
	for (i = 0; i < v->rules.len; i++)
		if (!strcmp(v->rules.items[i].id, id))
			return i;
	return (size_t)-1;
}

size_t dc_violations_count_rule(const dc_violations *v, const char *rule, int waived_too)
{
	size_t k;
	if (!v || !rule || (k = rule_find(v, rule)) == (size_t)-1)
		return 0;
	return waived_too ? v->rules.items[k].total : v->rules.items[k].unwaived;
}

/* The index of rule id, added when new; (size_t)-1 out of memory. */
static size_t rule_get(dc_violations *v, const char *id)
{
	vrule r;
	size_t k = rule_find(v, id);
	if (k != (size_t)-1)
		return v->last = k;
	memset(&r, 0, sizeof(r));
	if (!(r.id = strdup(id)))
		return (size_t)-1;
	if (dc_vec_push(&v->rules, r)) {
		free(r.id);
		return (size_t)-1;
	}
	return v->last = v->rules.len - 1;
}

/* One more (sign 1) or one less (-1) finding of rule k counted. */
static void count(dc_violations *v, size_t k, dc_level level, int waived, int sign)
{
	size_t d = sign > 0 ? 1 : (size_t)-1;
	v->total += d;
	v->rules.items[k].total += d;
	if (waived) {
		v->nwaived += d;
	} else {
		v->rules.items[k].unwaived += d;
		v->nlevel[level == DC_LEVEL_ERROR] += d;
	}
}

/* cmp_viol up to the key: level, position, rule */
static int cmp_head(const dc_violation *a, const dc_violation *b)
{
	int c;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	if (!a->loc.file != !b->loc.file)
		return a->loc.file ? -1 : 1;
	if (a->loc.file && a->loc.file != b->loc.file && (c = strcmp(a->loc.file, b->loc.file)))
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.column != b->loc.column)
		return a->loc.column < b->loc.column ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

static int cmp_viol(const dc_violation *a, const dc_violation *b)
{
	int c = cmp_head(a, b);
	return c ? c : strcmp(a->key, b->key);
}

/* Sort order: cmp_viol, then the order of addition. */
static int cmp_item(const vitem *a, const vitem *b)
{
	int c = cmp_viol(&a->x, &b->x);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int qcmp_item(const void *pa, const void *pb) { return cmp_item(pa, pb); }

/* The rule's heap of kept items, max (the last in sort order) on top. */
#define HEAP_GT(v, h, i, j) (cmp_item(&(v)->items.items[(h)[i]], &(v)->items.items[(h)[j]]) > 0)

static void heap_up(const dc_violations *v, size_t *h, size_t i)
{
	while (i > 0 && HEAP_GT(v, h, i, (i - 1) / 2)) {
		size_t p = (i - 1) / 2, t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static void heap_down(const dc_violations *v, size_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, t;
		if (l < n && HEAP_GT(v, h, l, m))
			m = l;
		if (l + 1 < n && HEAP_GT(v, h, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The heaps index items: rebuilt after items moved (sort, subtract).
 * Each heap has room for its items already (a rule's heap never shrinks
 * but here), so this cannot fail. */
static void heaps_rebuild(dc_violations *v)
{
	size_t i;
	if (!v->keep)
		return;
	for (i = 0; i < v->rules.len; i++)
		v->rules.items[i].heap.len = 0;
	for (i = 0; i < v->items.len; i++) {
		vrule *r = &v->rules.items[v->items.items[i].rule];
		r->heap.items[r->heap.len++] = i;
		heap_up(v, r->heap.items, r->heap.len - 1);
	}
}

/* ---- waivers as a table (dc_violations_waive, dc_violations_keep) ---- */

/* "rule\x1fa" + optional " -> b" into w's key buffer; NULL out of memory */
static char *waiver_key(wtable *w, const char *rule, const char *a, const char *b, size_t *len)
{
	size_t need = strlen(rule) + strlen(a) + (b ? strlen(b) + 4 : 0) + 2;
	if (need > w->cap) {
		char *nb = realloc(w->kb, need);
		if (!nb)
			return NULL;
		w->kb = nb;
		w->cap = need;
	}
	*len = (size_t)snprintf(w->kb, w->cap, "%s\x1f%s%s%s", rule, a, b ? " -> " : "", b ? b : "");
	return w->kb;
}

static int today_date(const char *today, long *out);

/* The table of p's waivers in force on `today`; DC_EINVALID (not a date)
 * or DC_ENOMEM. */
static int wtable_new(wtable **out, const dc_policy *p, const char *today)
{
	wtable *w;
	size_t i, len, nw = dc_policy_waiver_count(p);
	long exp;
	*out = NULL;
	if (!(w = calloc(1, sizeof(*w))))
		return DC_ENOMEM;
	w->p = p;
	if (today_date(today, &w->day)) {
		free(w);
		return DC_EINVALID;
	}
	if (dc_strtab_init(&w->t)) {
		free(w);
		return DC_ENOMEM;
	}
	if (!(w->used = calloc(nw ? nw : 1, 1)))
		goto nomem;
	for (i = 0; i < nw; i++) {
		const dc_waiver *x = dc_policy_waiver(p, i);
		uint32_t id;
		if (x->expires && !dc__date_parse(x->expires, &exp) && exp < w->day)
			continue;
		if (!waiver_key(w, x->rule, x->subject, NULL, &len) || !(id = dc_strtab_intern(&w->t, w->kb, len)) ||
		    dc_vec_reserve(&w->which, id + 1 > w->which.len ? id + 1 - w->which.len : 0))
			goto nomem;
		while (w->which.len <= id)
			w->which.items[w->which.len++] = 0;
		if (!w->which.items[id])
			w->which.items[id] = (uint32_t)i + 1;
	}
	*out = w;
	return 0;
nomem:
	wtable_free(w);
	return DC_ENOMEM;
}

/* The waiver that accepts a finding (by its key, then by "service" or
 * "service -> target"), marked used: its index + 1, 0 for none, or -1 out
 * of memory. */
static long wtable_match(wtable *w, const char *rule, const char *key, const char *service, const char *target)
{
	size_t len;
	uint32_t id = 0;
	if (!w->which.len)
		return 0;
	/* no key: it is "service -> target", looked up next */
	if (key) {
		if (!waiver_key(w, rule, key, NULL, &len))
			return -1;
		id = dc_strtab_lookup(&w->t, w->kb, len);
	}
	if (!(id && id < w->which.len && w->which.items[id])) {
		if (!waiver_key(w, rule, service, target, &len))
			return -1;
		id = dc_strtab_lookup(&w->t, w->kb, len);
	}
	if (!(id && id < w->which.len && w->which.items[id]))
		return 0;
	w->used[w->which.items[id] - 1] = 1;
	return (long)w->which.items[id];
}

/* ---- adding ---- */

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

/* dc_violations_add, with the message either given (msg) or made from
 * fmt and ap, only when the finding is kept. */
static int add(dc_violations *v, const char *rule, dc_level level, const char *service, const char *target,
	       const char *key, dc_location loc, const char *msg, const char *fmt, va_list *ap)
{
	vitem it;
	vrule *r;
	size_t lr, lm, ls, lt, lk, lf, total, k, slot = (size_t)-1;
	char *block, *p, buf[2048], kbuf[1024];
	long wi = 0;
	if ((k = rule_get(v, rule)) == (size_t)-1)
		return DC_ENOMEM;
	r = &v->rules.items[k];
	if (!key) {
		/* no key: the service and the target ("a" or "a -> b") */
		size_t n = strlen(service) + (target ? strlen(target) + 4 : 0);
		if (n < sizeof(kbuf)) {
			snprintf(kbuf, sizeof(kbuf), "%s%s%s", service, target ? " -> " : "", target ? target : "");
			key = kbuf;
		}
	}
	if (!loc.file)
		loc.line = loc.column = 0;
	if (v->w && !v->w_off && (wi = wtable_match(v->w, rule, key, service, target)) < 0)
		return DC_ENOMEM;
	memset(&it, 0, sizeof(it));
	it.seq = v->seq;
	it.rule = k;
	it.x.level = level;
	it.x.rule = rule;
	it.x.service = service;
	it.x.target = target;
	it.x.key = key;
	it.x.loc = loc;
	if (v->keep && r->heap.len >= v->keep) {
		/* full: kept only when it comes before the last kept one (a key too
		 * long for kbuf: made below, then compared) */
		if (key && cmp_item(&it, &v->items.items[r->heap.items[0]]) > 0)
			goto counted;
		slot = r->heap.items[0];
	}
	if (!msg && !fmt)
		return 1; /* dc__report_counted: to be added with its message */
	if (!msg) {
		vsnprintf(buf, sizeof(buf), fmt, *ap);
		msg = buf;
	}
	lr = strlen(rule);
	lm = strlen(msg);
	ls = strlen(service);
	lt = target ? strlen(target) : 0;
	lk = key ? strlen(key) : ls + (target ? lt + 4 : 0);
	lf = loc.file ? strlen(loc.file) : 0;
	total = lr + lm + ls + lk + 4 + (target ? lt + 1 : 0) + (loc.file ? lf + 1 : 0);
	if (!(block = malloc(total)))
		return DC_ENOMEM;
	p = block;
	it.x.rule = put_str(&p, rule, lr);
	it.x.message = put_str(&p, msg, lm);
	it.x.service = put_str(&p, service, ls);
	it.x.target = put_str(&p, target, lt);
	if (key) {
		it.x.key = put_str(&p, key, lk);
	} else {
		it.x.key = p;
		snprintf(p, lk + 1, "%s%s%s", service, target ? " -> " : "", target ? target : "");
		p += lk + 1;
	}
	it.x.loc.file = put_str(&p, loc.file, lf);
	it.x.loc.line = loc.file ? loc.line : 0;
	it.x.loc.column = loc.file ? loc.column : 0;
	if (!key && slot != (size_t)-1 && cmp_item(&it, &v->items.items[slot]) > 0) {
		free(block);
		goto counted;
	}
	if (wi > 0 && !(it.x.waived = strdup(dc_policy_waiver(v->w->p, (size_t)wi - 1)->reason))) {
		free(block);
		return DC_ENOMEM;
	}
	if (slot != (size_t)-1) {
		/* replaces the last kept one of its rule */
		viol_clear(&v->items.items[slot].x);
		v->items.items[slot] = it;
		heap_down(v, r->heap.items, r->heap.len, 0);
	} else {
		if (dc_vec_reserve(&v->items, 1) || (v->keep && dc_vec_reserve(&r->heap, 1))) {
			viol_clear(&it.x);
			return DC_ENOMEM;
		}
		v->items.items[v->items.len++] = it;
		if (v->keep) {
			r->heap.items[r->heap.len++] = v->items.len - 1;
			heap_up(v, r->heap.items, r->heap.len - 1);
		}
	}
counted:
	v->seq++;
	count(v, k, level, wi > 0, 1);
	return 0;
}

int dc_violations_add(dc_violations *v, const char *rule, dc_level level, const char *service,
		      const char *target, const char *key, dc_location loc, const char *message)
{
	if (!v || !rule || !service || !message || (level != DC_LEVEL_WARNING && level != DC_LEVEL_ERROR))
		return DC_EINVALID;
	return add(v, rule, level, service, target, key, loc, message, NULL, NULL);
}

int dc__violations_addv(dc_violations *v, const char *rule, dc_level level, const char *service,
			const char *target, const char *key, dc_location loc, const char *fmt, va_list *ap)
{
	return add(v, rule, level, service, target, key, loc, NULL, fmt, ap);
}

int dc_violations_keep(dc_violations *v, size_t per_rule, const dc_policy *waivers, const char *today)
{
	int rc;
	wtable *w = NULL;
	if (!v || v->total)
		return DC_EINVALID;
	if (waivers && (rc = wtable_new(&w, waivers, today)))
		return rc;
	wtable_free(v->w);
	v->w = w;
	v->keep = per_rule;
	return 0;
}

void dc_violations_sort(dc_violations *v)
{
	if (v->items.len > 1)
		qsort(v->items.items, v->items.len, sizeof(*v->items.items), qcmp_item);
	heaps_rebuild(v);
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
		char *s = match_key(&base->items.items[i].x, &len);
		uint32_t id = s ? dc_strtab_intern(&t, s, len) : 0;
		free(s);
		if (!id || dc_vec_reserve(&counts, id + 1 > counts.len ? id + 1 - counts.len : 0))
			goto nomem;
		while (counts.len <= id)
			counts.items[counts.len++] = 0;
		counts.items[id]++;
	}
	for (i = 0; i < head->items.len; i++) {
		char *s = match_key(&head->items.items[i].x, &len);
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

/* A list that counted findings it does not keep (dc_violations_keep) */
static int partial(const dc_violations *v) { return v->items.len != v->total; }

size_t dc_violations_match(const dc_violations *base, const dc_violations *head, uint8_t *known)
{
	size_t n;
	if (partial(base) || partial(head)) {
		if (known && head->items.len)
			memset(known, 0, head->items.len);
		return 0;
	}
	n = match(base, head, known);
	return n == (size_t)-1 ? 0 : n;
}

int dc_violations_subtract(dc_violations *head, const dc_violations *base, size_t *ignored)
{
	uint8_t *known;
	size_t i, j = 0, n;
	if (partial(head) || partial(base))
		return DC_EINVALID;
	if (!(known = malloc(head->items.len ? head->items.len : 1)))
		return DC_ENOMEM;
	n = match(base, head, known);
	if (n == (size_t)-1) {
		free(known);
		return DC_ENOMEM;
	}
	for (i = 0; i < head->items.len; i++) {
		vitem *x = &head->items.items[i];
		if (known[i]) {
			count(head, x->rule, x->x.level, x->x.waived != NULL, -1);
			viol_clear(&x->x);
		} else {
			head->items.items[j++] = *x;
		}
	}
	head->items.len = j;
	heaps_rebuild(head);
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
		const dc_violation *x = &from->items.items[i].x;
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
	    (added && added == fixed) || partial(base) || partial(head))
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
	va_list ap;
	va_start(ap, fmt);
	/* the message is made only for a finding the list keeps */
	if (dc__violations_addv(c->out, c->r->id, c->r->level, dc_service_name(c->cat, s),
				t == DC_NO_ID ? NULL : dc_service_name(c->cat, t), key, loc, fmt, &ap))
		c->nomem = 1;
	va_end(ap);
}

int dc__report_skip(ck *c, dc_location loc)
{
	dc_violations *v = c->out;
	dc_violation x;
	size_t k;
	vrule *r;
	/* waivers decide what counts as waived (and which are used): they need the key */
	if (!v->keep || (v->w && v->w->which.len) || (k = rule_find(v, c->r->id)) == (size_t)-1)
		return 0;
	r = &v->rules.items[k];
	if (r->heap.len < v->keep)
		return 0;
	memset(&x, 0, sizeof(x));
	x.level = c->r->level;
	x.rule = c->r->id;
	x.loc = loc;
	if (!loc.file)
		x.loc.line = x.loc.column = 0;
	/* after the last kept one whatever its key: only counted, as add() would */
	if (cmp_head(&x, &v->items.items[r->heap.items[0]].x) <= 0)
		return 0;
	v->last = k;
	v->seq++;
	count(v, k, x.level, 0, 1);
	return 1;
}

int dc__report_counted(ck *c, dc_id s, dc_id t, const char *key, dc_location loc)
{
	int rc;
	if (!c->out->keep)
		return 0;
	rc = add(c->out, c->r->id, c->r->level, dc_service_name(c->cat, s),
		 t == DC_NO_ID ? NULL : dc_service_name(c->cat, t), key, loc, NULL, NULL, NULL);
	if (rc < 0) {
		c->nomem = 1;
		return 1;
	}
	return rc == 0;
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
	unsigned parts = 0;
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
	 * that reads it is on, and only the parts those rules read */
	for (i = 0; i < policy->rules.len && !a; i++) {
		const pol_rule *r = &policy->rules.items[i];
		if (r->level != DC_LEVEL_OFF && (r->def->flags & RULE_NEEDS_ANALYSIS))
			parts |= r->def->parts;
	}
	if (parts) {
		dc_analyze_options ao = DC_ANALYZE_OPTIONS_INIT;
		int rc;
		/* version 4 brought `threads` */
		ao.threads = opts && opts->version >= 4 ? opts->threads : 0;
		/* no rule reads a DEGRADED count: the DOWN half of the sweep only */
		ao.flags = DC_ANALYZE_NO_DEGRADED;
		if ((rc = dc__analyze_parts(&own, g, &ao, parts)))
			return rc;
		a = own;
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
	/* an error at the position of a finding not kept could not be told
	 * from a new one */
	for (i = 0; i < dc_diags_count(diags) && partial(out); i++)
		if (dc_diags_get(diags, i)->severity == DC_SEV_ERROR)
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

int dc_violations_waive(dc_violations *v, const dc_policy *p, const char *today)
{
	wtable *w = v ? v->w : NULL;
	size_t i, nw;
	long exp;
	int rc = 0;
	if (!v || !p)
		return DC_EINVALID;
	if (w) {
		/* dc_violations_keep() applied them as the findings came: the same
		 * policy and day, or the counts would mix two */
		long day;
		if (w->p != p || (today && (today_date(today, &day) || day != w->day)))
			return DC_EINVALID;
		if (!dc_policy_waiver_count(p))
			return 0;
	} else {
		long day;
		if (today_date(today, &day))
			return DC_EINVALID;
		if (!dc_policy_waiver_count(p))
			return 0;
		if (partial(v))
			return DC_EINVALID;
		if ((rc = wtable_new(&w, p, today)))
			return rc;
		for (i = 0; i < v->items.len; i++) {
			vitem *x = &v->items.items[i];
			long wi;
			if (x->x.waived)
				continue;
			if ((wi = wtable_match(w, x->x.rule, x->x.key, x->x.service, x->x.target)) < 0)
				goto nomem;
			if (!wi)
				continue;
			if (!(x->x.waived = strdup(dc_policy_waiver(p, (size_t)wi - 1)->reason)))
				goto nomem;
			count(v, x->rule, x->x.level, 0, -1);
			count(v, x->rule, x->x.level, 1, 1);
		}
	}
	nw = dc_policy_waiver_count(p);
	/* the waivers' own findings are not waived */
	v->w_off = 1;
	for (i = 0; i < nw && !rc; i++) {
		const dc_waiver *x = dc_policy_waiver(p, i);
		char msg[1024];
		int expired = x->expires && !dc__date_parse(x->expires, &exp) && exp < w->day;
		if (w->used[i])
			continue;
		if (expired)
			snprintf(msg, sizeof(msg), "the waiver of %s for '%s' expired on %s (%s): fix the findings "
				 "or renew the waiver", x->rule, x->subject, x->expires, x->reason);
		else
			snprintf(msg, sizeof(msg), "the waiver of %s for '%s' accepts no finding: remove it",
				 x->rule, x->subject);
		/* subject key "rule: subject" */
		{
			size_t rl = strlen(x->rule), sl = strlen(x->subject);
			char *k = malloc(rl + sl + 3);
			if (!k)
				goto nomem;
			snprintf(k, rl + sl + 3, "%s: %s", x->rule, x->subject);
			rc = dc_violations_add(v, expired ? "expired-waiver" : "unused-waiver",
					       expired ? DC_LEVEL_ERROR : DC_LEVEL_WARNING, x->subject, NULL, k, x->loc, msg);
			free(k);
		}
	}
	v->w_off = 0;
	if (!rc)
		dc_violations_sort(v);
	goto out;
nomem:
	rc = DC_ENOMEM;
out:
	v->w_off = 0;
	if (w != v->w)
		wtable_free(w);
	return rc;
}

/* ---- the gate ------------------------------------------------------------------ */

int dc_level_fails(dc_level l, dc_level fail_on)
{
	return fail_on != DC_LEVEL_OFF && l >= fail_on;
}

int dc_violations_gate(const dc_violations *v, dc_level fail_on)
{
	/* counted, kept or not */
	if (!v || fail_on == DC_LEVEL_OFF)
		return 0;
	return (v->nlevel[1] && dc_level_fails(DC_LEVEL_ERROR, fail_on)) ||
	       (v->nlevel[0] && dc_level_fails(DC_LEVEL_WARNING, fail_on));
}
