/*
 * config.c - the project configuration file (depcheck/config.h).
 *
 * Read through the document layer like a policy, so that every problem is
 * reported at its line and column and YAML and JSON read alike; all the
 * problems are reported, and a config with any error is refused. Paths
 * are checked to stay below the config's directory (no absolute path, no
 * `..`), since a repository's config is data a pull request can change,
 * and resolved against that directory here, so that callers get paths
 * they can open from where they run.
 */
#include <depcheck/config.h>

#include "doc.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>

#define CONFIG_MAX_FILE (1u << 20)
#define CONFIG_MAX_VALUES 4096  /* per key */
#define NKEYS 5

typedef struct {
	char **items;
	size_t n;
} cfg_list;

struct dc_config {
	cfg_list v[NKEYS];
};

static const struct {
	const char *name;
	int path;    /* a path (resolved, checked), else a glob */
	int single;  /* one value only */
} keys[NKEYS] = {
	{ "inputs", 1, 0 },
	{ "include", 0, 0 },
	{ "exclude", 0, 0 },
	{ "policy", 1, 1 },
	{ "baseline", 1, 0 },
};

typedef struct {
	dc_config *c;
	const char *file, *dir;
	dc_diags *diags;
	int errors, nomem;
} cctx;

#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static void cfg_error(cctx *x, const doc_node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->errors++;
	if (dc_diags_add(x->diags, DC_SEV_ERROR, x->file, at ? at->line : 0, at ? at->col : 0, "%s", msg))
		x->nomem = 1;
}

void dc_config_free(dc_config *c)
{
	size_t k, i;
	if (!c)
		return;
	for (k = 0; k < NKEYS; k++) {
		for (i = 0; i < c->v[k].n; i++)
			free(c->v[k].items[i]);
		free(c->v[k].items);
	}
	free(c);
}

/* Does the path stay below its directory? Relative, no ".." component,
 * not "-" (standard input). */
static const char *path_problem(const char *s)
{
	const char *p = s;
	if (!strcmp(s, "-"))
		return "'-' (standard input) cannot be configured";
	if (s[0] == '/')
		return "an absolute path leaves the project: write it relative to the config file";
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "a '..' component leaves the project: paths stay below the config file's directory";
		p += n;
		while (*p == '/')
			p++;
	}
	return NULL;
}

static void add_value(cctx *x, int k, const doc_node *v)
{
	cfg_list *l = &x->c->v[k];
	const char *why;
	char *s, **items;
	size_t n;
	uint32_t bad;
	if (v->kind != DOC_SCALAR || doc_is_null(v) || !v->u.s[0]) {
		cfg_error(x, v, "%s takes %s, not %s%s", keys[k].name,
			  keys[k].path ? "paths" : "globs", v->kind == DOC_SCALAR ? "an empty value" : "a ",
			  v->kind == DOC_SCALAR ? "" : doc_type_name(v));
		return;
	}
	if ((bad = dc_text_check(v->u.s, 0, NULL)) != 0) {
		/* quoted in diagnostics and outputs: the rule of names (docs/security.md) */
		char desc[96];
		dc_text_describe(bad, desc, sizeof(desc));
		cfg_error(x, v, "%s contains %s: not allowed in names and text (see docs/security.md)",
			  keys[k].name, desc);
		return;
	}
	if (keys[k].path && (why = path_problem(v->u.s))) {
		cfg_error(x, v, "%s '%s': %s", keys[k].name, v->u.s, why);
		return;
	}
	if (l->n >= CONFIG_MAX_VALUES) {
		cfg_error(x, v, "more than %d values of %s", CONFIG_MAX_VALUES, keys[k].name);
		return;
	}
	if (keys[k].path && x->dir && x->dir[0] && strcmp(x->dir, ".")) {
		n = strlen(x->dir) + strlen(v->u.s) + 2;
		if ((s = malloc(n)))
			snprintf(s, n, "%s%s%s", x->dir, x->dir[strlen(x->dir) - 1] == '/' ? "" : "/", v->u.s);
	} else {
		s = strdup(v->u.s);
	}
	items = s ? realloc(l->items, (l->n + 1) * sizeof(*items)) : NULL;
	if (!items) {
		free(s);
		x->nomem = 1;
		return;
	}
	items[l->n++] = s;
	l->items = items;
}

static void parse_root(cctx *x, const doc_node *root)
{
	const doc_node *ver = NULL;
	uint32_t i, j;
	int k;
	if (!root || root->kind != DOC_MAP) {
		cfg_error(x, root, "a project config is a mapping with depcheck-config: 1 and settings");
		return;
	}
	for (i = 0; i < root->n; i++) {
		const doc_node *key = root->u.kids[2 * i], *val = root->u.kids[2 * i + 1];
		const char *ks = key->kind == DOC_SCALAR ? key->u.s : "";
		if (!strcmp(ks, "depcheck-config")) {
			ver = val;
			continue;
		}
		for (k = 0; k < NKEYS && strcmp(ks, keys[k].name); k++)
			;
		if (k == NKEYS) {
			static const char *const names[] = { "depcheck-config", "inputs", "include", "exclude",
							     "policy", "baseline" };
			const char *near = dc_suggest(ks, names, sizeof(names) / sizeof(names[0]));
			if (near)
				cfg_error(x, key, "unknown key '%s' in the project config (did you mean '%s'?)", ks,
					  near);
			else
				cfg_error(x, key, "unknown key '%s' in the project config (expected depcheck-config, "
					  "inputs, include, exclude, policy or baseline)", ks);
			continue;
		}
		if (doc_is_null(val))
			continue;
		if (val->kind == DOC_SEQ && !keys[k].single) {
			for (j = 0; j < val->n && !x->nomem; j++)
				add_value(x, k, val->u.kids[j]);
		} else if (val->kind == DOC_SEQ) {
			cfg_error(x, val, "%s takes one path, not a list", keys[k].name);
		} else {
			add_value(x, k, val);
		}
	}
	if (!ver) {
		cfg_error(x, root, "missing 'depcheck-config: 1': is this a depcheck project config?");
	} else {
		long long v;
		if (doc_int(ver, 1, &v) || v != 1)
			cfg_error(x, ver, "unsupported config version '%s' (this depcheck reads version 1)",
				  ver->kind == DOC_SCALAR ? ver->u.s : doc_type_name(ver));
	}
}

int dc_config_parse(dc_config **out, const char *name, const char *dir, const char *buf, size_t len,
		    dc_diags *diags)
{
	doc_stream ds;
	doc_limits lim = { 16, 10000, 1 };
	cctx x;
	int rc;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!buf || !diags)
		return DC_EINVALID;
	memset(&x, 0, sizeof(x));
	x.file = name ? name : "<config>";
	x.dir = dir;
	x.diags = diags;
	if (!(x.c = calloc(1, sizeof(*x.c))))
		return DC_ENOMEM;
	doc_stream_init(&ds, x.file);
	rc = doc_parse_yaml(&ds, buf, len, &lim, diags);
	if (!rc) {
		if (ds.docs.len != 1 || !ds.docs.items[0])
			cfg_error(&x, ds.docs.len > 1 && ds.docs.items[1] ? ds.docs.items[1] : NULL,
				  ds.docs.len > 1 ? "a project config holds one YAML document"
						  : "empty project config: write depcheck-config: 1 and settings");
		else
			parse_root(&x, ds.docs.items[0]);
		rc = x.nomem ? DC_ENOMEM : x.errors ? DC_EINVALID : 0;
	}
	doc_stream_free(&ds);
	if (rc) {
		dc_config_free(x.c);
		return rc;
	}
	*out = x.c;
	return 0;
}

int dc_config_load(dc_config **out, const char *path, dc_diags *diags)
{
	FILE *fp;
	char *buf, *dir;
	const char *why, *slash;
	size_t len;
	int too_big = 0, rc;
	if (!out)
		return DC_EINVALID;
	*out = NULL;
	if (!path || !diags)
		return DC_EINVALID;
	rc = load_open_input(path, &fp, &why, NULL);
	if (rc == DC_ENOMEM)
		return rc;
	if (rc) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read the project config: %s", why);
		return DC_EIO;
	}
	rc = load_read_all(fp, CONFIG_MAX_FILE, &buf, &len, &too_big);
	fclose(fp);
	if (rc) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read the project config: %s",
			     too_big ? "larger than 1 MiB" : dc_strerror(rc));
		return rc == DC_ENOMEM ? rc : DC_EIO;
	}
	if (memchr(buf, '\0', len)) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "the project config is not a text file (NUL byte)");
		free(buf);
		return DC_EPARSE;
	}
	/* its directory: what comes before the last '/' ("/" for "/x") */
	slash = strrchr(path, '/');
	dir = strdup(slash ? path : ".");
	if (dir && slash)
		dir[slash == path ? 1 : (size_t)(slash - path)] = '\0';
	if (!dir) {
		free(buf);
		return DC_ENOMEM;
	}
	rc = dc_config_parse(out, path, dir, buf, len, diags);
	free(dir);
	free(buf);
	return rc;
}

size_t dc_config_count(const dc_config *c, dc_config_key key)
{
	return c && (unsigned)key < NKEYS ? c->v[key].n : 0;
}

const char *dc_config_value(const dc_config *c, dc_config_key key, size_t i)
{
	return i < dc_config_count(c, key) ? c->v[key].items[i] : NULL;
}
