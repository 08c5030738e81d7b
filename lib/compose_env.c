/*
 * compose_env.c - the environment of a Compose project and `${VAR}`
 * interpolation, as the Compose specification ("Interpolation") and
 * compose-go's template package define them (facts from the specification,
 * code of our own). See compose_int.h.
 */
#include "compose_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>

extern char **environ;

void cenv_free(cenv *e)
{
	size_t i;
	for (i = 0; i < e->v.len; i++) {
		free(e->v.items[i].key);
		free(e->v.items[i].val);
	}
	dc_vec_free(&e->v);
}

static cenv_ent *find(const cenv *e, const char *k, size_t kl)
{
	size_t i;
	for (i = e->v.len; i-- > 0;)
		if (strlen(e->v.items[i].key) == kl && !memcmp(e->v.items[i].key, k, kl))
			return &e->v.items[i];
	return NULL;
}

static char *dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int cenv_set(cenv *e, const char *k, size_t kl, const char *v, size_t vl, int replace)
{
	cenv_ent *old = find(e, k, kl), ne;
	char *nv;
	if (old && !replace)
		return 0;
	if (!(nv = dupn(v, vl)))
		return DC_ENOMEM;
	if (old) {
		free(old->val);
		old->val = nv;
		old->src = e->src;
		return 0;
	}
	ne.val = nv;
	ne.src = e->src;
	if (!(ne.key = dupn(k, kl)) || dc_vec_push(&e->v, ne)) {
		free(ne.key);
		free(nv);
		return DC_ENOMEM;
	}
	return 0;
}

const char *cenv_get(const cenv *e, const char *k, size_t kl)
{
	unsigned depth = 0;
	for (; e && depth < 8; e = e->parent, depth++) {
		const cenv_ent *x = find(e, k, kl);
		if (x)
			return x->val;
	}
	return NULL;
}

int cenv_add_process(cenv *e)
{
	char **p;
	for (p = environ; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		if (!eq || eq == *p)
			continue;
		if (cenv_set(e, *p, (size_t)(eq - *p), eq + 1, strlen(eq + 1), 1))
			return DC_ENOMEM;
	}
	return 0;
}

/* ---- interpolation ----------------------------------------------------------- */

typedef struct {
	char *p;
	size_t len, cap;
} sbuf;

static int put(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *np;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(np = realloc(b->p, cap)))
			return DC_ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int name_start(char ch) { return ch == '_' || isalpha((unsigned char)ch); }
static int name_char(char ch) { return ch == '_' || isalnum((unsigned char)ch); }

typedef struct {
	const cenv *e;
	char *msg;
	size_t msgsize;
	void (*unset)(void *, const char *, size_t);
	void *arg;
	unsigned depth;
} ictx;

static int interp(ictx *x, const char *s, size_t n, sbuf *b);

/* The end of a `${...}` starting at s[i] == '{' (the matching '}'), or n. */
static size_t brace_end(const char *s, size_t n, size_t i)
{
	unsigned depth = 0;
	for (; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return n;
}

static int braced(ictx *x, const char *s, size_t n, sbuf *b)
{
	/* s[0..n): the text between ${ and } */
	size_t k = 0;
	const char *val;
	char op = 0;
	int colon = 0;
	while (k < n && name_char(s[k]))
		k++;
	if (k == 0 || !name_start(s[0])) {
		snprintf(x->msg, x->msgsize, "invalid interpolation format for \"${%.*s}\": "
			 "expected a variable name", (int)(n > 60 ? 60 : n), s);
		return 1;
	}
	if (k < n) {
		if (s[k] == ':' && k + 1 < n && strchr("-?+", s[k + 1])) {
			colon = 1;
			op = s[k + 1];
		} else if (strchr("-?+", s[k])) {
			op = s[k];
		} else {
			snprintf(x->msg, x->msgsize, "invalid interpolation format for \"${%.*s}\": "
				 "'%c' after the variable name", (int)(n > 60 ? 60 : n), s, s[k]);
			return 1;
		}
	}
	val = cenv_get(x->e, s, k);
	if (!op) {
		if (!val && x->unset)
			x->unset(x->arg, s, k);
		return val ? put(b, val, strlen(val)) : 0;
	}
	{
		const char *rest = s + k + 1 + colon;
		size_t rn = n - k - 1 - (size_t)colon;
		int set = val && (!colon || *val);
		switch (op) {
		case '-':
			return set ? put(b, val, strlen(val)) : interp(x, rest, rn, b);
		case '+':
			return set ? interp(x, rest, rn, b) : 0;
		default: /* '?' */
			if (set)
				return put(b, val, strlen(val));
			{
				sbuf m = {0};
				int rc = interp(x, rest, rn, &m);
				if (rc == 0)
					snprintf(x->msg, x->msgsize, "required variable %.*s is missing a value%s%s",
						 (int)k, s, m.len ? ": " : "", m.len ? m.p : "");
				free(m.p);
				return rc ? rc : 1;
			}
		}
	}
}

static int interp(ictx *x, const char *s, size_t n, sbuf *b)
{
	size_t i = 0, start = 0;
	int rc;
	if (++x->depth > 32) {
		snprintf(x->msg, x->msgsize, "interpolation nested too deeply");
		return 1;
	}
	if ((rc = put(b, "", 0)))
		return rc;
	while (i < n) {
		if (s[i] != '$' || i + 1 >= n) {
			i++;
			continue;
		}
		if ((rc = put(b, s + start, i - start)))
			return rc;
		if (s[i + 1] == '$') {
			if ((rc = put(b, "$", 1)))
				return rc;
			i += 2;
		} else if (s[i + 1] == '{') {
			size_t end = brace_end(s, n, i + 1);
			if (end >= n) {
				snprintf(x->msg, x->msgsize, "invalid interpolation format for \"%.*s\": "
					 "no closing '}'", (int)(n - i > 60 ? 60 : n - i), s + i);
				return 1;
			}
			if ((rc = braced(x, s + i + 2, end - i - 2, b)))
				return rc;
			i = end + 1;
		} else if (name_start(s[i + 1])) {
			size_t k = i + 1;
			const char *val;
			while (k < n && name_char(s[k]))
				k++;
			val = cenv_get(x->e, s + i + 1, k - i - 1);
			if (!val && x->unset)
				x->unset(x->arg, s + i + 1, k - i - 1);
			if (val && (rc = put(b, val, strlen(val))))
				return rc;
			i = k;
		} else {
			i++; /* a lone '$' stays */
			start = i - 1;
			continue;
		}
		start = i;
	}
	x->depth--;
	return put(b, s + start, n - start);
}

int cenv_interpolate(const cenv *e, const char *s, size_t n, char **out, size_t *outlen,
		     char *msg, size_t msgsize, void (*unset)(void *arg, const char *name, size_t len),
		     void *arg)
{
	ictx x;
	sbuf b = {0};
	int rc;
	x.e = e;
	x.msg = msg;
	x.msgsize = msgsize;
	x.unset = unset;
	x.arg = arg;
	x.depth = 0;
	*out = NULL;
	rc = interp(&x, s, n, &b);
	if (rc) {
		free(b.p);
		return rc;
	}
	*out = b.p;
	*outlen = b.len;
	return 0;
}

/* ---- dotenv --------------------------------------------------------------------- */

int cenv_read_file(cenv *e, const char *path, int replace, unsigned *bad)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, *line, *end;
	size_t len;
	int too_big, rc = 0;
	unsigned lineno = 0;
	*bad = 0;
	if (!fp)
		return errno == ENOMEM ? DC_ENOMEM : DC_EIO;
	rc = load_read_all(fp, (size_t)16 << 20, &buf, &len, &too_big);
	fclose(fp);
	if (rc)
		return rc == DC_ENOMEM ? rc : DC_EIO;
	for (line = buf, end = buf + len; line < end && !rc;) {
		char *nl = memchr(line, '\n', (size_t)(end - line)), *p = line, *eol, *k, *v;
		size_t kl, vl;
		sbuf val = {0};
		eol = nl ? nl : end;
		line = nl ? nl + 1 : end;
		lineno++;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (p == eol || *p == '#')
			continue;
		if ((size_t)(eol - p) > 7 && !memcmp(p, "export ", 7))
			p += 7;
		k = p;
		while (p < eol && name_char(*p))
			p++;
		kl = (size_t)(p - k);
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (kl == 0 || !name_start(*k) || p == eol || *p != '=') {
			if (!*bad)
				*bad = lineno;
			continue;
		}
		p++;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p < eol && *p == '\'') {
			char *q = memchr(p + 1, '\'', (size_t)(eol - p - 1));
			v = p + 1;
			vl = q ? (size_t)(q - v) : (size_t)(eol - v);
			rc = cenv_set(e, k, kl, v, vl, replace);
			continue;
		}
		if (p < eol && *p == '"') {
			char *q = p + 1;
			sbuf raw = {0};
			for (; q < eol && *q != '"' && !rc; q++) {
				if (*q == '\\' && q + 1 < eol) {
					q++;
					rc = put(&raw, *q == 'n' ? "\n" : *q == 't' ? "\t" : q, 1);
				} else {
					rc = put(&raw, q, 1);
				}
			}
			v = raw.p ? raw.p : (char *)"";
			vl = raw.len;
			if (!rc) {
				char *o = NULL, m[256];
				size_t ol = 0;
				int r = cenv_interpolate(e, v, vl, &o, &ol, m, sizeof(m), NULL, NULL);
				if (r == DC_ENOMEM)
					rc = r;
				else
					rc = cenv_set(e, k, kl, r ? v : o, r ? vl : ol, replace);
				free(o);
			}
			free(raw.p);
			continue;
		}
		v = p;
		/* an unquoted value ends at ` #` (a comment) */
		for (vl = 0; v + vl < eol; vl++)
			if (v[vl] == '#' && vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				break;
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		{
			char *o = NULL, m[256];
			size_t ol = 0;
			int r = cenv_interpolate(e, v, vl, &o, &ol, m, sizeof(m), NULL, NULL);
			if (r == DC_ENOMEM)
				rc = r;
			else
				rc = cenv_set(e, k, kl, r ? v : o, r ? vl : ol, replace);
			free(o);
		}
		(void)val;
	}
	free(buf);
	return rc;
}
