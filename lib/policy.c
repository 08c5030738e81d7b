/*
 * policy.c - parsing the policy of `depcheck check` (depcheck/policy.h).
 *
 * The policy goes through the same document layer as the catalogs (doc.h),
 * so every problem is reported at the line and column of the node at
 * fault, and YAML and JSON policies read alike. Parsing does not stop at
 * the first problem: all of them are reported, and a policy with any error
 * is refused (a CI gate must not run a policy that half-loaded).
 *
 * Nothing here knows a rule: rules, their options and their checks are
 * the table of rules.c. This file reads the document around them (version,
 * the `rules` mapping, severities), hands each rule's options to its
 * parser, and builds the default policy's text from the table. That text
 * is parsed like a user's file: `--print-default-policy` prints exactly
 * what is enforced.
 */
#include "policy_int.h"
#include "catalog_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#define POLICY_MAX_FILE (16u << 20)

const char *dc_level_name(dc_level l)
{
	return l == DC_LEVEL_ERROR ? "error" : l == DC_LEVEL_WARNING ? "warning" : "off";
}

/* ---- the built-in rules ---------------------------------------------------- */

size_t dc_rule_count(void)
{
	return dc__rule_count;
}

const char *dc_rule_id(size_t i)
{
	return i < dc__rule_count ? dc__rules[i].id : NULL;
}

const char *dc_rule_description(const char *id)
{
	const dc__rule *def = dc__rule_find(id);
	return def ? def->summary : NULL;
}

/* ---- the default policy -----------------------------------------------------
 * Built from the table, once: each rule's comment and setting, in table
 * order. Static storage (the header promises it), so it is built under
 * pthread_once into a fixed buffer; the unit tests check that it fits. */

static const char default_head[] =
	"# The built-in policy of depcheck check (depcheck check --print-default-policy).\n"
	"# Save it, edit it and pass it with --policy FILE. Rules a policy leaves out\n"
	"# are off. A rule given by its severity alone takes the options shown here.\n"
	"depcheck-policy: 1\n"
	"rules:\n";

static char default_text[DC__DEFAULT_TEXT_MAX];
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void default_append(size_t *off, const char *s, size_t n)
{
	if (*off + n >= sizeof(default_text)) {
		*off = sizeof(default_text);  /* does not fit: stays empty, see below */
		return;
	}
	memcpy(default_text + *off, s, n);
	*off += n;
}

static void default_build(void)
{
	size_t off = 0, i;
	default_append(&off, default_head, sizeof(default_head) - 1);
	for (i = 0; i < dc__rule_count; i++) {
		const dc__rule *r = &dc__rules[i];
		const char *line = r->doc;
		while (line && *line) {
			const char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);
			default_append(&off, "  # ", 4);
			default_append(&off, line, n);
			default_append(&off, "\n", 1);
			line += n + (nl != NULL);
		}
		default_append(&off, "  ", 2);
		default_append(&off, r->id, strlen(r->id));
		default_append(&off, ": ", 2);
		default_append(&off, r->setting, strlen(r->setting));
		default_append(&off, "\n", 1);
	}
	/* a table too large for the buffer gives an empty text (which does
	 * not parse) rather than a cut one that would drop rules silently */
	default_text[off < sizeof(default_text) ? off : 0] = '\0';
}

const char *dc_policy_default_text(void)
{
	pthread_once(&default_once, default_build);
	return default_text;
}

/* ---- freeing ---------------------------------------------------------------- */

void dc_policy_free(dc_policy *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->rules.len; i++) {
		pol_rule *r = &p->rules.items[i];
		if (r->opts && r->def->fini)
			r->def->fini(r->opts);
		free(r->opts);
		free(r->id);
		free(r->description);
	}
	for (i = 0; i < p->owned.len; i++)
		p->owned.items[i].free(p->owned.items[i].block);
	for (i = 0; i < p->waivers.len; i++) {
		dc_waiver *w = &p->waivers.items[i];
		free((char *)w->rule);
		free((char *)w->subject);
		free((char *)w->reason);
		free((char *)w->expires);
	}
	dc_vec_free(&p->rules);
	dc_vec_free(&p->owned);
	dc_vec_free(&p->waivers);
	free(p->file);
	free(p);
}

/* ---- parsing helpers (policy_int.h) ------------------------------------------ */

void dc__policy_error(pctx *c, const doc_node *at, const char *fmt, ...)
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

char *dc__policy_strdup(pctx *c, const char *s)
{
	char *d = strdup(s);
	if (!d)
		c->nomem = 1;
	return d;
}

int dc__policy_level(pctx *c, const doc_node *n, dc_level *out)
{
	const char *s = n && n->kind == DOC_SCALAR ? n->u.s : NULL;
	if (s && !strcmp(s, "error"))
		*out = DC_LEVEL_ERROR;
	else if (s && !strcmp(s, "warning"))
		*out = DC_LEVEL_WARNING;
	else if (s && !strcmp(s, "off"))
		*out = DC_LEVEL_OFF;
	else {
		dc__policy_error(c, n, "severity must be error, warning or off, not %s%s%s", s ? "'" : "",
				 s ? s : doc_type_name(n), s ? "'" : "");
		return -1;
	}
	return 0;
}

int dc__policy_own(pctx *c, void *block, void (*fn)(void *))
{
	pol_owned o;
	o.block = block;
	o.free = fn;
	if (dc_vec_push(&c->p->owned, o)) {
		fn(block);
		c->nomem = 1;
		return -1;
	}
	return 0;
}

void dc__policy_describe(pctx *c, pol_rule *r)
{
	char buf[300];
	if (r->def->describe)
		r->def->describe(r, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", r->def->summary);
	free(r->description);
	r->description = dc__policy_strdup(c, buf);
}

pol_rule *dc__policy_add_rule(pctx *c, const dc__rule *def, const char *id)
{
	pol_rule r;
	memset(&r, 0, sizeof(r));
	r.def = def;
	r.level = DC_LEVEL_OFF;
	if (def->opts_size && !(r.opts = calloc(1, def->opts_size))) {
		c->nomem = 1;
		return NULL;
	}
	if (def->init)
		def->init(r.opts);
	if (!(r.id = strdup(id)) || dc_vec_push(&c->p->rules, r)) {
		/* init() sets values; nothing for fini() to free yet */
		free(r.id);
		free(r.opts);
		c->nomem = 1;
		return NULL;
	}
	dc__policy_describe(c, &c->p->rules.items[c->p->rules.len - 1]);
	return &c->p->rules.items[c->p->rules.len - 1];
}

/* ---- parsing ---------------------------------------------------------------- */

/* "did you mean" for an option of a rule: severity or one of `options`
 * ("a, b or c" or "a, b, c"), NULL when none is close */
static const char *option_suggest(const char *key, const char *options, char *out, size_t size)
{
	char words[16][32];
	const char *cand[17], *near;
	size_t n = 0;
	cand[n++] = "severity";
	while (options && *options && n < 17) {
		size_t len = strcspn(options, ", ");
		if (len && len < sizeof(words[0]) && !(len == 2 && !strncmp(options, "or", 2))) {
			memcpy(words[n - 1], options, len);
			words[n - 1][len] = '\0';
			cand[n] = words[n - 1];
			n++;
		}
		options += len;
		options += strspn(options, ", ");
	}
	if (!(near = dc_suggest(key, cand, n)))
		return NULL;
	snprintf(out, size, "%s", near);
	return out;
}

/* A rule's value: a severity alone (its options keep their defaults), or
 * a mapping of severity and the rule's options. */
static void parse_rule(pctx *c, pol_rule *r, const doc_node *v)
{
	const dc__rule *def = r->def;
	uint32_t i;
	if (v->kind == DOC_SCALAR) {
		dc__policy_level(c, v, &r->level);
		return;
	}
	if (v->kind != DOC_MAP) {
		dc__policy_error(c, v, "rule %s takes a severity or a mapping with severity and options, "
				 "not a %s", r->id, doc_type_name(v));
		return;
	}
	/* a mapping without severity means the rule is on */
	r->level = DC_LEVEL_ERROR;
	for (i = 0; i < v->n; i++) {
		const doc_node *key = v->u.kids[2 * i], *val = v->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "severity"))
			dc__policy_level(c, val, &r->level);
		else if (!def->option || !def->option(c, r, ks, val)) {
			char nb[32];
			const char *near = option_suggest(ks, def->options, nb, sizeof(nb));
			if (near)
				dc__policy_error(c, key, "unknown option '%s' of rule %s (did you mean '%s'?)", ks,
						 r->id, near);
			else
				dc__policy_error(c, key, "unknown option '%s' of rule %s (expected severity%s%s)",
						 ks, r->id, def->options ? ", " : "", def->options ? def->options : "");
		}
	}
}

/* "a, b, ... or z": the table's ids, for "unknown rule" */
static void rule_names(char *buf, size_t size)
{
	size_t i, off = 0;
	buf[0] = '\0';
	for (i = 0; i < dc__rule_count && off < size; i++) {
		int n = snprintf(buf + off, size - off, "%s%s",
				 !i ? "" : i + 1 == dc__rule_count ? " or " : ", ", dc__rules[i].id);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static void parse_rules(pctx *c, const doc_node *rules)
{
	uint32_t i;
	size_t k;
	for (i = 0; i < rules->n; i++) {
		const doc_node *key = rules->u.kids[2 * i], *val = rules->u.kids[2 * i + 1];
		const dc__rule *def;
		if (key->kind != DOC_SCALAR) {
			dc__policy_error(c, key, "rule names are strings, not a %s", doc_type_name(key));
			continue;
		}
		if (!(def = dc__rule_find(key->u.s))) {
			char names[1024];
			const char *ids[64], *near;
			size_t k2;
			for (k2 = 0; k2 < dc__rule_count && k2 < 64; k2++)
				ids[k2] = dc__rules[k2].id;
			if ((near = dc_suggest(key->u.s, ids, k2))) {
				dc__policy_error(c, key, "unknown rule '%s' (did you mean '%s'?)", key->u.s, near);
				continue;
			}
			rule_names(names, sizeof(names));
			dc__policy_error(c, key, "unknown rule '%s' (expected %s)", key->u.s, names);
			continue;
		}
		if (def->flags & RULE_LIST) {
			def->parse_list(c, def, val);
			continue;
		}
		for (k = 0; k < c->p->rules.len; k++)
			if (c->p->rules.items[k].def == def) {
				parse_rule(c, &c->p->rules.items[k], val);
				dc__policy_describe(c, &c->p->rules.items[k]);
				break;
			}
	}
}

/* ---- waivers ---- */

int dc__date_parse(const char *s, long *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	*out = (long)y * 10000 + m * 100 + d;
	return 0;
}

/* A required non-empty string of a waiver; NULL (error said) otherwise */
static const char *waiver_str(pctx *c, const doc_node *entry, const doc_node *v, const char *key)
{
	if (!v) {
		dc__policy_error(c, entry, "waiver without '%s'", key);
		return NULL;
	}
	if (v->kind != DOC_SCALAR || doc_is_null(v) || !v->u.s[0]) {
		dc__policy_error(c, v, "%s of a waiver must be a non-empty string, not %s%s", key,
				 v->kind == DOC_SCALAR ? "empty" : "a ", v->kind == DOC_SCALAR ? "" : doc_type_name(v));
		return NULL;
	}
	{
		/* it reaches every output, the CI log among them: the same rule
		 * as names in a catalog and forbidden messages (docs/security.md) */
		uint32_t bad = dc_text_check(v->u.s, 0, NULL);
		if (bad) {
			char desc[96];
			dc_text_describe(bad, desc, sizeof(desc));
			dc__policy_error(c, v, "%s of a waiver contains %s: not allowed in names and text "
					 "(see docs/security.md)", key, desc);
			return NULL;
		}
	}
	return v->u.s;
}

static void parse_waiver(pctx *c, const doc_node *e)
{
	const char *rule, *subject, *reason, *expires = NULL;
	const doc_node *ex;
	dc_waiver w;
	uint32_t i;
	long date;
	if (e->kind != DOC_MAP) {
		dc__policy_error(c, e, "a waiver is a mapping with rule, subject, reason and optionally "
				 "expires, not a %s", doc_type_name(e));
		return;
	}
	for (i = 0; i < e->n; i++) {
		const doc_node *k = e->u.kids[2 * i];
		const char *ks = k->kind == DOC_SCALAR ? k->u.s : "";
		static const char *const wkeys[] = { "rule", "subject", "reason", "expires" };
		const char *near;
		if (!strcmp(ks, "rule") || !strcmp(ks, "subject") || !strcmp(ks, "reason") || !strcmp(ks, "expires"))
			continue;
		if ((near = dc_suggest(ks, wkeys, 4)))
			dc__policy_error(c, k, "unknown key '%s' in a waiver (did you mean '%s'?)", ks, near);
		else
			dc__policy_error(c, k, "unknown key '%s' in a waiver (expected rule, subject, reason, "
					 "expires)", ks);
	}
	rule = waiver_str(c, e, doc_get(e, "rule"), "rule");
	subject = waiver_str(c, e, doc_get(e, "subject"), "subject");
	reason = waiver_str(c, e, doc_get(e, "reason"), "reason");
	if ((ex = doc_get(e, "expires")) && !doc_is_null(ex)) {
		if (ex->kind != DOC_SCALAR || dc__date_parse(ex->u.s, &date)) {
			dc__policy_error(c, ex, "expires of a waiver must be a date YYYY-MM-DD, not %s%s%s",
					 ex->kind == DOC_SCALAR ? "'" : "a ",
					 ex->kind == DOC_SCALAR ? ex->u.s : doc_type_name(ex),
					 ex->kind == DOC_SCALAR ? "'" : "");
			return;
		}
		expires = ex->u.s;
	}
	if (!rule || !subject || !reason)
		return;
	if (dc_policy_rule_find(c->p, rule) == (size_t)-1) {
		/* a forbidden/NAME is compared by its NAME with the other
		 * forbidden rules', a built-in id with the built-in ones */
		static const char fb[] = "forbidden/";
		const size_t fl = sizeof(fb) - 1;
		const int forb = !strncmp(rule, fb, fl);
		const char *ids[128], *near;
		size_t k, m = 0, n = dc_policy_rule_count(c->p);
		for (k = 0; k < n && m < 128; k++) {
			const char *id = dc_policy_rule_id(c->p, k);
			if (id && (strncmp(id, fb, fl) == 0) == forb)
				ids[m++] = forb ? id + fl : id;
		}
		if ((near = dc_suggest(forb ? rule + fl : rule, ids, m)))
			dc__policy_error(c, doc_get(e, "rule"), "waiver of unknown rule '%s' (did you mean '%s%s'?)",
					 rule, forb ? fb : "", near);
		else
			dc__policy_error(c, doc_get(e, "rule"), "waiver of unknown rule '%s' (a rule id of the "
					 "policy: a built-in rule or forbidden/NAME)", rule);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.rule = dc__policy_strdup(c, rule);
	w.subject = dc__policy_strdup(c, subject);
	w.reason = dc__policy_strdup(c, reason);
	w.expires = expires ? dc__policy_strdup(c, expires) : NULL;
	w.loc.file = c->p->file;
	w.loc.line = e->line;
	w.loc.column = e->col;
	if (c->nomem || dc_vec_push(&c->p->waivers, w)) {
		free((char *)w.rule);
		free((char *)w.subject);
		free((char *)w.reason);
		free((char *)w.expires);
		c->nomem = 1;
	}
}

static void parse_waivers(pctx *c, const doc_node *v)
{
	uint32_t i;
	if (doc_is_null(v))
		return;
	if (v->kind != DOC_SEQ) {
		dc__policy_error(c, v, "waivers must be a list of waivers, not a %s", doc_type_name(v));
		return;
	}
	for (i = 0; i < v->n && !c->nomem; i++)
		parse_waiver(c, v->u.kids[i]);
}

static void parse_root(pctx *c, const doc_node *root)
{
	const doc_node *ver = NULL, *rules = NULL, *waivers = NULL;
	uint32_t i;
	if (!root || root->kind != DOC_MAP) {
		dc__policy_error(c, root, "a policy is a mapping with depcheck-policy: 1 and rules");
		return;
	}
	for (i = 0; i < root->n; i++) {
		const doc_node *key = root->u.kids[2 * i], *val = root->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "depcheck-policy"))
			ver = val;
		else if (!strcmp(ks, "rules"))
			rules = val;
		else if (!strcmp(ks, "waivers"))
			waivers = val;
		else {
			static const char *const root_keys[] = { "depcheck-policy", "rules", "waivers" };
			const char *near = dc_suggest(ks, root_keys, 3);
			if (near)
				dc__policy_error(c, key, "unknown key '%s' in the policy (did you mean '%s'?)",
						 ks, near);
			else
				dc__policy_error(c, key, "unknown key '%s' in the policy (expected "
						 "depcheck-policy, rules and waivers)", ks);
		}
	}
	if (!ver) {
		dc__policy_error(c, root, "missing 'depcheck-policy: 1': is this a depcheck policy file?");
	} else {
		long long v;
		if (doc_int(ver, 1, &v) || v != 1)
			dc__policy_error(c, ver, "unsupported policy version '%s' (this depcheck reads "
					 "version 1)", ver->kind == DOC_SCALAR ? ver->u.s : doc_type_name(ver));
	}
	if (rules && !doc_is_null(rules)) {
		if (rules->kind != DOC_MAP)
			dc__policy_error(c, rules, "rules must be a mapping from rule names to settings, not a %s",
					 doc_type_name(rules));
		else
			parse_rules(c, rules);
	}
	/* after the rules: a waiver names one of them (forbidden/NAME included) */
	if (waivers)
		parse_waivers(c, waivers);
}

/* Every rule of the table, off, options at their defaults (list rules
 * have no rule of their own: their entries are added as they are read). */
static int policy_init(pctx *c)
{
	size_t k;
	if (!(c->p = calloc(1, sizeof(*c->p))))
		return DC_ENOMEM;
	for (k = 0; k < dc__rule_count && !c->nomem; k++)
		if (!(dc__rules[k].flags & RULE_LIST))
			dc__policy_add_rule(c, &dc__rules[k], dc__rules[k].id);
	return c->nomem ? DC_ENOMEM : 0;
}

int dc_policy_parse(dc_policy **out, const char *name, const char *buf, size_t len, dc_diags *diags)
{
	doc_stream ds;
	doc_limits lim = { 64, 100000, 1 };
	pctx c;
	int rc;
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = name ? name : "<policy>";
	c.diags = diags;
	if ((rc = policy_init(&c)) || !(c.p->file = strdup(c.file))) {
		dc_policy_free(c.p);
		return rc ? rc : DC_ENOMEM;
	}
	doc_stream_init(&ds, c.file);
	rc = doc_parse_yaml(&ds, buf, len, &lim, diags);
	if (!rc) {
		if (ds.docs.len != 1 || !ds.docs.items[0])
			dc__policy_error(&c, ds.docs.len > 1 && ds.docs.items[1] ? ds.docs.items[1] : NULL,
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
	const char *text = dc_policy_default_text();
	int rc;
	if (dc_diags_new(&d))
		return DC_ENOMEM;
	rc = dc_policy_parse(out, DC_POLICY_DEFAULT_NAME, text, strlen(text), d);
	dc_diags_free(d);
	return rc;
}

int dc_policy_load(dc_policy **out, const char *path, dc_diags *diags)
{
	FILE *fp;
	char *buf;
	size_t len;
	int too_big = 0, rc, is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	*out = NULL;
	if (is_stdin) {
		fp = stdin;
	} else {
		const char *why;
		rc = load_open_input(path, &fp, &why, NULL);
		if (rc == DC_ENOMEM)
			return rc;
		if (rc) {
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read the policy: %s", why);
			return DC_EIO;
		}
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

/* ---- accessors: an index out of range gives NULL / off ------------------------ */

static const pol_rule *rule_at(const dc_policy *p, size_t i)
{
	return p && i < p->rules.len ? &p->rules.items[i] : NULL;
}

size_t dc_policy_rule_count(const dc_policy *p)
{
	return p ? p->rules.len : 0;
}

const char *dc_policy_rule_id(const dc_policy *p, size_t i)
{
	const pol_rule *r = rule_at(p, i);
	return r ? r->id : NULL;
}

const char *dc_policy_rule_builtin(const dc_policy *p, size_t i)
{
	const pol_rule *r = rule_at(p, i);
	return r ? r->def->id : NULL;
}

dc_level dc_policy_rule_level(const dc_policy *p, size_t i)
{
	const pol_rule *r = rule_at(p, i);
	return r ? r->level : DC_LEVEL_OFF;
}

const char *dc_policy_rule_description(const dc_policy *p, size_t i)
{
	const pol_rule *r = rule_at(p, i);
	return r ? r->description : NULL;
}

size_t dc_policy_waiver_count(const dc_policy *p)
{
	return p ? p->waivers.len : 0;
}

const dc_waiver *dc_policy_waiver(const dc_policy *p, size_t i)
{
	return p && i < p->waivers.len ? &p->waivers.items[i] : NULL;
}

size_t dc_policy_rule_find(const dc_policy *p, const char *id)
{
	size_t i;
	for (i = 0; p && id && i < p->rules.len; i++)
		if (!strcmp(p->rules.items[i].id, id))
			return i;
	return (size_t)-1;
}
