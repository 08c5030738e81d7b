/*
 * load.c - reading inputs: files, directories, stdin; format detection;
 * dispatch to the per-format loaders.
 *
 * Detection looks at content, not names: DOT starts with `graph`/`digraph`/
 * `strict`; JSON starts with `{` or `[`; YAML is parsed first and then
 * classified by its first non-empty document (Backstage apiVersion,
 * Kubernetes apiVersion+kind, Compose `services:` mapping, native
 * `services:` sequence or `depcheck:` marker). A whole file is read into
 * memory (bounded by max_file_size) so that every parser sees one buffer.
 */
#include "catalog_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_ALIAS ((size_t)1000 * 1000)

void ctx_diag(const load_ctx *c, dc_severity sev, const doc_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a diagnostic that cannot be stored must not vanish quietly */
	if (dc_diags_add(c->diags, sev, c->file, at ? at->line : 0, at ? at->col : 0, "%s", msg))
		c->cat->oom = 1;
}

void ctx_defaults(load_ctx *c)
{
	c->def_availability = DC_DEFAULT_AVAILABILITY;
	c->def_latency_ms = 0;
	c->def_slo = -1;
	c->def_timeout_ms = DC_DEFAULT_TIMEOUT_MS;
	c->def_retries = DC_DEFAULT_RETRIES;
	c->def_replicas = 1;
	c->def_tier = 0;
}

doc_node *ctx_scalar(load_ctx *c, dc_arena *a, const char *text, uint32_t line, uint32_t col)
{
	doc_node *n = dc_arena_alloc(a, sizeof(*n));
	if (!n) {
		ctx_fail(c, DC_ENOMEM);
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->kind = DOC_SCALAR;
	n->line = line;
	n->col = col;
	n->weight = 1;
	n->n = (uint32_t)strlen(text);
	n->u.s = dc_arena_strndup(a, text, n->n);
	if (!n->u.s) {
		ctx_fail(c, DC_ENOMEM);
		return NULL;
	}
	return n;
}

/* ---- detection ------------------------------------------------------------ */

static const char *skip_bom_ws(const char *p, const char *end, int skip_comments_hash)
{
	if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p < end && skip_comments_hash && *p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			p += 2;
			while (end - p >= 2 && !(p[0] == '*' && p[1] == '/'))
				p++;
			p = end - p >= 2 ? p + 2 : end;
			continue;
		}
		return p;
	}
}

static int word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(end - p) < n || strncasecmp(p, w, n) != 0)
		return 0;
	return (size_t)(end - p) == n || !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
					    (p[n] >= '0' && p[n] <= '9') || p[n] == '_');
}

static int looks_dot(const char *buf, size_t len)
{
	/* `#` lines are comments to cgraph too */
	const char *p = skip_bom_ws(buf, buf + len, 1), *end = buf + len;
	return word_at(p, end, "digraph") || word_at(p, end, "graph") || word_at(p, end, "strict");
}

static int looks_json(const char *buf, size_t len)
{
	const char *p = skip_bom_ws(buf, buf + len, 0);
	return p < buf + len && (*p == '{' || *p == '[');
}

dc_input_format detect_doc_format(const doc_stream *ds)
{
	size_t i;
	for (i = 0; i < ds->docs.len; i++) {
		const doc_node *r = ds->docs.items[i], *av, *kind;
		const char *api;
		if (!r)
			continue;
		if (r->kind == DOC_SEQ) {
			/* a JSON array of Kubernetes/Backstage objects */
			if (r->n && r->u.kids[0]->kind == DOC_MAP) {
				r = r->u.kids[0];
			} else {
				continue;
			}
		}
		if (r->kind != DOC_MAP)
			continue;
		if (doc_get(r, "depcheck"))
			return DC_FORMAT_NATIVE;
		av = doc_get(r, "apiVersion");
		kind = doc_get(r, "kind");
		if ((api = doc_str(av)) != NULL) {
			if (strncmp(api, "backstage.io/", 13) == 0)
				return DC_FORMAT_BACKSTAGE;
			if (doc_str(kind))
				return DC_FORMAT_KUBERNETES;
		}
		{
			const doc_node *svcs = doc_get(r, "services");
			if (svcs && svcs->kind == DOC_MAP)
				return DC_FORMAT_COMPOSE;
			/* a list, or a wrong type the native loader reports precisely */
			if (svcs && !doc_is_null(svcs))
				return DC_FORMAT_NATIVE;
		}
		return DC_FORMAT_AUTO;
	}
	return DC_FORMAT_AUTO;
}

/* ---- reading -------------------------------------------------------------- */

int load_read_all(FILE *fp, size_t max, char **out, size_t *outlen, int *too_big)
{
	size_t cap = 65536, len = 0;
	/* reading max + 1 bytes tells a file of exactly max bytes from a
	 * bigger one */
	size_t limit = max < SIZE_MAX - 1 ? max + 1 : SIZE_MAX - 1;
	char *buf;
	struct stat st;
	/* a regular file: one buffer of the right size (plus one byte, to see
	 * the end), not a doubling series of copies */
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < (uint64_t)max)
		cap = (size_t)st.st_size + 1;
	if (cap > limit)
		cap = limit;
	buf = malloc(cap + 1);
	*too_big = 0;
	if (!buf)
		return DC_ENOMEM;
	for (;;) {
		size_t n;
		if (len == cap) {
			char *nb;
			if (len > max) {
				*too_big = 1;
				free(buf);
				return DC_ELIMIT;
			}
			cap = cap > limit / 2 ? limit : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				return DC_ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				free(buf);
				return DC_EIO;
			}
			break;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

static int has_nul(const char *buf, size_t len)
{
	return memchr(buf, '\0', len) != NULL;
}

static void opts_limits(const dc_load_options *opts, doc_limits *lim, size_t *max_file)
{
	lim->max_depth = opts && opts->max_depth ? opts->max_depth : DC_DEFAULT_MAX_DEPTH;
	lim->max_alias_nodes = opts && opts->max_alias_nodes ? opts->max_alias_nodes : DEFAULT_MAX_ALIAS;
	*max_file = opts && opts->max_file_size ? opts->max_file_size : DC_DEFAULT_MAX_FILE_SIZE;
}

/* The version-2 limits; a version-1 caller's struct ends before them. */
static void ctx_limits(load_ctx *c, const dc_load_options *opts)
{
	int v2 = opts && opts->version >= 2;
	c->max_services = v2 && opts->max_services ? opts->max_services : DC_DEFAULT_MAX_SERVICES;
	c->max_deps = v2 && opts->max_dependencies ? opts->max_dependencies : DC_DEFAULT_MAX_DEPENDENCIES;
	c->max_name = v2 && opts->max_name_length ? opts->max_name_length : DC_DEFAULT_MAX_NAME_LENGTH;
	c->max_locations = v2 && opts->max_locations ? opts->max_locations : DC_DEFAULT_MAX_LOCATIONS;
}

/* The status of a load: the first fatal error of the context, else an
 * allocation of the catalog that failed (some loader may have carried on
 * without it), else the loader's own. */
static int load_status(const load_ctx *c, int rc)
{
	if (c->status)
		return c->status;
	if (c->cat->oom)
		return DC_ENOMEM;
	return rc;
}

static int load_buffer(dc_catalog *cat, const char *name, const char *buf, size_t len,
		       const dc_load_options *opts, dc_diags *diags, const char *root,
		       const char *dir, unsigned depth, u32_vec *chain)
{
	load_ctx c;
	doc_stream ds;
	doc_limits lim;
	size_t max_file;
	dc_input_format fmt = opts ? opts->format : DC_FORMAT_AUTO;
	int rc;

	memset(&c, 0, sizeof(c));
	c.cat = cat;
	c.diags = diags;
	c.opts = opts;
	c.root = root;
	c.dir = dir;
	c.depth = depth;
	c.location_chain = chain;
	ctx_defaults(&c);
	ctx_limits(&c, opts);
	c.file_id = cat_add_file(cat, name);
	if (!c.file_id)
		return DC_ENOMEM;
	c.file = cat_file_name(cat, c.file_id);
	opts_limits(opts, &lim, &max_file);
	/* by default, aliases may expand a file to at most one node per byte of
	 * it (and at least a million): linear, so a small file cannot turn
	 * into gigabytes of dependencies, yet `<<: *defaults` on every service
	 * of a big catalog fits easily */
	if (!(opts && opts->max_alias_nodes))
		lim.max_alias_nodes = len > DEFAULT_MAX_ALIAS ? len : DEFAULT_MAX_ALIAS;

	if (has_nul(buf, len)) {
		dc_diags_add(diags, DC_SEV_ERROR, c.file, 1, 1,
			     "binary data (NUL byte at offset %zu): not a service descriptor",
			     (size_t)((const char *)memchr(buf, '\0', len) - buf));
		return DC_EPARSE;
	}
	if (skip_bom_ws(buf, buf + len, 1) == buf + len) {
		dc_diags_add(diags, DC_SEV_WARNING, c.file, 1, 1, "empty file: nothing loaded");
		return 0;
	}

	if (fmt == DC_FORMAT_DOT || (fmt == DC_FORMAT_AUTO && looks_dot(buf, len))) {
		c.format = DC_FORMAT_DOT;
		rc = load_dot(&c, buf, len);
		return load_status(&c, rc);
	}

	doc_stream_init(&ds, c.file);
	if (looks_json(buf, len)) {
		const char *p = buf;
		if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
		    (unsigned char)p[2] == 0xBF) {
			p += 3;
			len -= 3;
		}
		rc = doc_parse_json(&ds, p, len, &lim, diags);
	} else if (fmt == DC_FORMAT_AUTO || fmt == DC_FORMAT_NATIVE) {
		/* a native catalog's services are loaded as they are parsed, so a
		 * big catalog never exists as one document tree */
		doc_item_hook hook;
		native_stream_hook(&c, &hook);
		c.format = DC_FORMAT_NATIVE;
		rc = doc_parse_yaml_hooked(&ds, buf, len, &lim, &hook, diags);
		if (c.streamed.len)
			fmt = DC_FORMAT_NATIVE; /* a root `services:` list: native by definition */
	} else {
		rc = doc_parse_yaml(&ds, buf, len, &lim, diags);
	}
	if (rc || c.status) {
		dc_vec_free(&c.streamed);
		doc_stream_free(&ds);
		return load_status(&c, rc);
	}
	if (fmt == DC_FORMAT_AUTO) {
		fmt = detect_doc_format(&ds);
		if (fmt == DC_FORMAT_AUTO) {
			size_t i;
			int any = 0;
			for (i = 0; i < ds.docs.len; i++)
				any |= !doc_is_null(ds.docs.items[i]);
			if (!any) {
				dc_diags_add(diags, DC_SEV_WARNING, c.file, 1, 1, "empty file: nothing loaded");
				doc_stream_free(&ds);
				return 0;
			}
			dc_diags_add(diags, DC_SEV_ERROR, c.file, 1, 1,
				     "unrecognized format: expected a depcheck catalog (services: list), "
				     "a Compose file (services: mapping), Backstage entities, Kubernetes "
				     "manifests or DOT; use --input-format to force one");
			doc_stream_free(&ds);
			return DC_EPARSE;
		}
	}
	c.format = fmt;
	switch (fmt) {
	case DC_FORMAT_NATIVE: rc = load_native(&c, &ds); break;
	case DC_FORMAT_BACKSTAGE: rc = load_backstage(&c, &ds); break;
	case DC_FORMAT_COMPOSE: rc = load_compose(&c, &ds); break;
	case DC_FORMAT_KUBERNETES: rc = load_kubernetes(&c, &ds); break;
	default: rc = DC_EINVALID; break;
	}
	dc_vec_free(&c.streamed);
	doc_stream_free(&ds);
	return load_status(&c, rc);
}

int dc_catalog_add_buffer(dc_catalog *cat, const char *name, const char *buf, size_t len,
			  const dc_load_options *opts, dc_diags *diags)
{
	char cwd[PATH_MAX];
	if (cat->finalized)
		return DC_EINVALID;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, ".");
	return load_buffer(cat, name ? name : "<buffer>", buf, len, opts, diags, cwd, cwd, 0, NULL);
}

static int name_has_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return 0;
	return !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json") ||
	       !strcmp(dot, ".dot") || !strcmp(dot, ".gv");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is the canonical path `canon` inside the canonical directory `root`? */
static int path_under(const char *root, const char *canon)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return 1;
	return strncmp(canon, root, n) == 0 && (canon[n] == '\0' || canon[n] == '/');
}

typedef struct {
	dev_t dev;
	ino_t ino;
} dir_id;
typedef DC_VEC(dir_id) dir_id_vec;

static int dir_seen(const dir_id_vec *seen, const struct stat *st)
{
	size_t i;
	for (i = 0; i < seen->len; i++)
		if (seen->items[i].dev == st->st_dev && seen->items[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int load_dir(dc_catalog *cat, const char *path, const char *root, const dc_load_options *opts,
		    dc_diags *diags, unsigned depth, u32_vec *chain)
{
	/* iterative walk: a stack of directories, entries sorted per directory
	 * so that the load order (and so diagnostics) is reproducible. Symlinks
	 * are followed, but each directory is entered once (a link back to a
	 * parent cannot loop) and nothing outside `root` is read. */
	DC_VEC(char *) stack = {0};
	dir_id_vec seen = {0};
	int rc = 0;
	char *first = strdup(path);
	struct stat st0;
	if (!first || dc_vec_push(&stack, first)) {
		free(first);
		return DC_ENOMEM;
	}
	if (stat(path, &st0) == 0) {
		dir_id id0;
		id0.dev = st0.st_dev;
		id0.ino = st0.st_ino;
		if (dc_vec_push(&seen, id0)) {
			free(stack.items[0]);
			dc_vec_free(&stack);
			return DC_ENOMEM;
		}
	}
	while (stack.len) {
		char *dir = stack.items[--stack.len];
		DIR *d = opendir(dir);
		struct dirent *e;
		DC_VEC(char *) files = {0};
		DC_VEC(char *) subdirs = {0};
		size_t i;
		if (!d && errno == ENOMEM) {
			rc = DC_ENOMEM;
			free(dir);
			continue;
		}
		if (!d) {
			dc_diags_add(diags, DC_SEV_ERROR, dir, 0, 0, "cannot open directory: %s", strerror(errno));
			rc = rc ? rc : DC_EIO;
			free(dir);
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			char *full;
			struct stat st;
			size_t n;
			if (e->d_name[0] == '.')
				continue; /* hidden files and ., .. */
			n = strlen(dir) + strlen(e->d_name) + 2;
			full = malloc(n);
			if (!full) {
				rc = DC_ENOMEM;
				break;
			}
			snprintf(full, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
			if (stat(full, &st) != 0) {
				free(full);
				continue;
			}
			if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && name_has_ext(e->d_name))) {
				char canon[PATH_MAX];
				if (!realpath(full, canon) || !path_under(root, canon)) {
					dc_diags_add(diags, DC_SEV_WARNING, full, 0, 0,
						     "skipped: a symbolic link leads outside the catalog root");
					free(full);
					continue;
				}
			}
			if (S_ISDIR(st.st_mode)) {
				dir_id id;
				if (dir_seen(&seen, &st)) {
					free(full);
					continue; /* already walked (a symlink loop or a second link) */
				}
				id.dev = st.st_dev;
				id.ino = st.st_ino;
				if (dc_vec_push(&seen, id)) {
					free(full);
					rc = DC_ENOMEM;
					break;
				}
			}
			if (S_ISDIR(st.st_mode) ? dc_vec_push(&subdirs, full)
			    : (S_ISREG(st.st_mode) && name_has_ext(e->d_name)) ? dc_vec_push(&files, full)
			    : (free(full), 0)) {
				free(full);
				rc = DC_ENOMEM;
				break;
			}
		}
		closedir(d);
		if (files.len)
			qsort(files.items, files.len, sizeof(char *), cmp_str);
		if (subdirs.len)
			qsort(subdirs.items, subdirs.len, sizeof(char *), cmp_str);
		for (i = 0; i < files.len; i++) {
			int r = rc == DC_ENOMEM ? 0
				: load_path_internal(cat, files.items[i], root, opts, diags, depth, chain, 0);
			if (r && !rc)
				rc = r;
			free(files.items[i]);
		}
		/* push in reverse so that subdirectories are visited in sorted order */
		for (i = subdirs.len; i-- > 0;) {
			if (rc == DC_ENOMEM || dc_vec_push(&stack, subdirs.items[i])) {
				free(subdirs.items[i]);
				rc = DC_ENOMEM;
			}
		}
		dc_vec_free(&files);
		dc_vec_free(&subdirs);
		free(dir);
	}
	while (stack.len)
		free(stack.items[--stack.len]);
	dc_vec_free(&stack);
	dc_vec_free(&seen);
	return rc;
}

int load_path_internal(dc_catalog *cat, const char *path, const char *root,
		       const dc_load_options *opts, dc_diags *diags, unsigned depth,
		       u32_vec *chain, int explicit_arg)
{
	struct stat st;
	char canon[PATH_MAX];
	char *buf = NULL, *dir, *slash;
	size_t len, max_file;
	doc_limits lim;
	FILE *fp;
	int rc, too_big, seen;

	opts_limits(opts, &lim, &max_file);
	if (strcmp(path, "-") == 0) {
		char cwd[PATH_MAX];
		rc = load_read_all(stdin, max_file, &buf, &len, &too_big);
		if (rc) {
			if (too_big)
				dc_diags_add(diags, DC_SEV_ERROR, "<stdin>", 0, 0, "input larger than the "
					     "limit of %zu bytes (see --input-limit file-size)", max_file);
			else
				dc_diags_add(diags, DC_SEV_ERROR, "<stdin>", 0, 0, "cannot read standard input");
			return rc;
		}
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, ".");
		rc = load_buffer(cat, "<stdin>", buf, len, opts, diags, root ? root : cwd, cwd, depth, chain);
		free(buf);
		return rc;
	}
	if (stat(path, &st) != 0) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return DC_EIO;
	}
	if (!realpath(path, canon)) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot resolve path: %s", strerror(errno));
		return DC_EIO;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(cat, path, root ? root : canon, opts, diags, depth, chain);
	if (!S_ISREG(st.st_mode) && !explicit_arg) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "not a regular file");
		return DC_EIO;
	}
	seen = cat_mark_loaded(cat, canon);
	if (seen < 0)
		return DC_ENOMEM;
	if (seen)
		return 0; /* each file once: a directory walk and a Location may both reach it */
	fp = fopen(path, "rb");
	if (!fp && errno == ENOMEM)
		return DC_ENOMEM; /* fopen's FILE */
	if (!fp) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return DC_EIO;
	}
	rc = load_read_all(fp, max_file, &buf, &len, &too_big);
	fclose(fp);
	if (rc) {
		if (too_big)
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "file larger than the limit of %zu bytes (see --input-limit file-size)",
				     max_file);
		else
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return rc;
	}
	dir = strdup(canon);
	if (!dir) {
		free(buf);
		return DC_ENOMEM;
	}
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else if (slash)
		slash[1] = '\0';
	{
		char *rootdup = NULL;
		if (!root && !(rootdup = strdup(dir))) {
			free(dir);
			free(buf);
			return DC_ENOMEM;
		}
		rc = load_buffer(cat, path, buf, len, opts, diags, root ? root : rootdup, dir, depth, chain);
		free(rootdup);
	}
	free(dir);
	free(buf);
	return rc;
}

int dc_catalog_add_path(dc_catalog *cat, const char *path, const dc_load_options *opts,
			dc_diags *diags)
{
	if (cat->finalized)
		return DC_EINVALID;
	return load_path_internal(cat, path, NULL, opts, diags, 0, NULL, 1);
}

int dc_catalog_load(dc_catalog **out, const char *const *paths, size_t npaths,
		    const dc_load_options *opts, dc_diags *diags)
{
	size_t i;
	int rc = 0, r;
	if ((r = dc_catalog_new(out)))
		return r;
	for (i = 0; i < npaths; i++) {
		r = dc_catalog_add_path(*out, paths[i], opts, diags);
		if (r == DC_ENOMEM) {
			dc_catalog_free(*out);
			*out = NULL;
			return r;
		}
		if (r && !rc)
			rc = r;
	}
	r = dc_catalog_finalize(*out, diags);
	if (r == DC_ENOMEM) {
		dc_catalog_free(*out);
		*out = NULL;
		return r;
	}
	return rc ? rc : r;
}
