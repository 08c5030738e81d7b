/*
 * load.c - reading inputs: files, directories, stdin; format detection;
 * the loader table, through which every per-format loader is called.
 *
 * Detection looks at content, not names. A format read from raw text (DOT:
 * `graph`/`digraph`/`strict`) is tried first; anything else is YAML or JSON
 * (`{` or `[`), parsed, and classified by its first mapping document: each
 * loader's detect_doc says how sure it is (a `depcheck:` marker, a
 * Backstage apiVersion, Kubernetes apiVersion + kind, a Compose
 * `services:` mapping, a native `services:` list) and the strongest claim
 * wins. A whole file is read into memory (bounded by max_file_size) so that
 * every parser sees one buffer.
 *
 * Adding a format: one entry in `loaders` below (lib/README.md has the
 * checklist). The loaders never call back into this file: a Backstage
 * Location loads another path through the context's `follow`.
 */
#include "load_ctx.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_ALIAS ((size_t)1000 * 1000)

/* ---- the loader table ----------------------------------------------------------
 * In the order the CLI lists the formats (dc_input_format_at). */

static const loader loaders[] = {
	{ DC_FORMAT_NATIVE, "native", NULL, native_detect, NULL, load_native, native_stream_hook },
	{ DC_FORMAT_BACKSTAGE, "backstage", NULL, backstage_detect, NULL, load_backstage, NULL },
	{ DC_FORMAT_COMPOSE, "compose", NULL, compose_detect, NULL, load_compose, NULL },
	{ DC_FORMAT_DOT, "dot", dot_detect, NULL, load_dot, NULL, NULL },
	{ DC_FORMAT_KUBERNETES, "kubernetes", NULL, kubernetes_detect, NULL, load_kubernetes, NULL },
	{ DC_FORMAT_SLO, "slo", slo_csv_detect, slo_detect, load_slo_csv, load_slo, NULL },
	{ DC_FORMAT_ENVOY, "envoy", NULL, envoy_detect, NULL, load_envoy, NULL },
	{ DC_FORMAT_GRPC, "grpc", NULL, grpc_detect, NULL, load_grpc, NULL },
};
#define NLOADERS (sizeof(loaders) / sizeof(loaders[0]))

static const loader *find_loader(dc_input_format f)
{
	size_t i;
	for (i = 0; i < NLOADERS; i++)
		if (loaders[i].format == f)
			return &loaders[i];
	return NULL;
}

size_t dc_input_format_count(void) { return NLOADERS; }

dc_input_format dc_input_format_at(size_t i)
{
	return i < NLOADERS ? loaders[i].format : DC_FORMAT_AUTO;
}

const char *dc_input_format_name(dc_input_format f)
{
	const loader *ld = find_loader(f);
	if (f == DC_FORMAT_AUTO)
		return "auto";
	return ld ? ld->name : NULL;
}

int dc_input_format_parse(dc_input_format *out, const char *name)
{
	size_t i;
	if (!name)
		return DC_EINVALID;
	if (!strcmp(name, "auto")) {
		*out = DC_FORMAT_AUTO;
		return 0;
	}
	for (i = 0; i < NLOADERS; i++)
		if (!strcmp(name, loaders[i].name)) {
			*out = loaders[i].format;
			return 0;
		}
	return DC_EINVALID;
}

/* ---- detection ------------------------------------------------------------ */

static int looks_json(const char *buf, size_t len)
{
	const char *p = ctx_skip_space(buf, buf + len, 0);
	return p < buf + len && (*p == '{' || *p == '[');
}

/* The strongest claim of the loaders that read raw text, or NULL. */
static const loader *detect_text(const char *buf, size_t len)
{
	const loader *best = NULL;
	int best_score = DETECT_NO, s;
	size_t i;
	for (i = 0; i < NLOADERS; i++)
		if (loaders[i].detect_text && (s = loaders[i].detect_text(buf, len)) > best_score) {
			best = &loaders[i];
			best_score = s;
		}
	return best;
}

/* The strongest claim about a parsed stream's first mapping document (the
 * first element of a top-level array of mappings), or NULL. */
static const loader *detect_doc(const doc_stream *ds)
{
	size_t i, k;
	for (i = 0; i < ds->docs.len; i++) {
		const doc_node *r = ds->docs.items[i];
		const loader *best = NULL;
		int best_score = DETECT_NO, s;
		if (!r)
			continue;
		if (r->kind == DOC_SEQ) {
			/* a JSON array of Kubernetes/Backstage objects */
			if (r->n && r->u.kids[0]->kind == DOC_MAP)
				r = r->u.kids[0];
			else
				continue;
		}
		if (r->kind != DOC_MAP)
			continue;
		for (k = 0; k < NLOADERS; k++)
			if (loaders[k].detect_doc && (s = loaders[k].detect_doc(r)) > best_score) {
				best = &loaders[k];
				best_score = s;
			}
		return best;
	}
	return NULL;
}

/* ---- reading -------------------------------------------------------------- */

static int has_nul(const char *buf, size_t len)
{
	return memchr(buf, '\0', len) != NULL;
}

static void opts_limits(const dc_load_options *opts, doc_limits *lim, size_t *max_file)
{
	lim->max_depth = opts && opts->max_depth ? opts->max_depth : DC_DEFAULT_MAX_DEPTH;
	lim->max_alias_nodes = opts && opts->max_alias_nodes ? opts->max_alias_nodes : DEFAULT_MAX_ALIAS;
	/* the parser thread (load_yaml.c) unless the caller asks for one thread */
	lim->threads = opts && opts->version >= 4 && opts->threads == 1 ? 1 : 2;
	*max_file = opts && opts->max_file_size ? opts->max_file_size : DC_DEFAULT_MAX_FILE_SIZE;
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

/* How a path came to be read: given by the caller, a Backstage Location's
 * target, or found by a directory walk (which skips what is no descriptor). */
enum { PATH_FOLLOWED = 0, PATH_GIVEN = 1, PATH_WALKED = 2 };
/* load_buffer / load_path of a walked file: skipped, not a descriptor */
#define LOAD_SKIPPED 1

static int load_path(dc_catalog *cat, const char *path, const char *root,
		     const dc_load_options *opts, dc_diags *diags, unsigned depth,
		     u32_vec *chain, int how);

/* The version-3 fields; older callers' structs end before them. */
static unsigned opts_flags(const dc_load_options *opts)
{
	return opts && opts->version >= 3 ? opts->flags : 0;
}

static int has_text(const char *buf, size_t len, const char *what)
{
	size_t n = strlen(what), i;
	for (i = 0; i + n <= len; i++)
		if (buf[i] == what[0] && !memcmp(buf + i, what, n))
			return 1;
	return 0;
}

/* A walked file that does not parse: is it still recognisably a service
 * descriptor (then its syntax error is the user's to see)? A Go/Helm
 * template ({{ ... }}) is not, nor is YAML or JSON without a top-level key
 * of any format depcheck reads. */
static int looks_like_descriptor(const char *buf, size_t len)
{
	static const char *const keys[] = { "services:", "depcheck:", "apiVersion:", "kind:" };
	size_t i, k;
	if (has_text(buf, len, "{{"))
		return 0;
	if (has_text(buf, len, "\"services\"") || has_text(buf, len, "\"apiVersion\""))
		return 1;
	for (i = 0; i < len; i++) {
		if (i && buf[i - 1] != '\n')
			continue;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (len - i >= strlen(keys[k]) && !memcmp(buf + i, keys[k], strlen(keys[k])))
				return 1;
	}
	return 0;
}

/* A walked file is skipped: forget it, and say so when asked to. */
static int skip_file(load_ctx *c, const char *name, const char *why)
{
	cat_drop_last_file(c->cat, c->file_id);
	if (opts_flags(c->opts) & DC_LOAD_LIST_SKIPPED)
		dc_diags_add(c->diags, DC_SEV_NOTE, name, 0, 0, "skipped: not a service descriptor (%s)", why);
	return LOAD_SKIPPED;
}

/* Append src's diagnostics to dst. */
static int copy_diags(dc_diags *dst, const dc_diags *src)
{
	size_t i;
	for (i = 0; src && i < dc_diags_count(src); i++) {
		const dc_diag *d = dc_diags_get(src, i);
		if (dc_diags_add(dst, d->severity, d->file, d->line, d->column, "%s", d->message))
			return DC_ENOMEM;
	}
	return 0;
}

/* A Backstage Location's target: one level deeper, same root and options. */
static int follow(load_ctx *c, const char *path, u32_vec *chain)
{
	return load_path(c->cat, path, c->root, c->opts, c->diags, c->depth + 1, chain, PATH_FOLLOWED);
}

/* Whether a parsed stream holds anything but empty documents. */
static int has_content(const doc_stream *ds)
{
	size_t i;
	for (i = 0; i < ds->docs.len; i++)
		if (!doc_is_null(ds->docs.items[i]))
			return 1;
	return 0;
}

static int load_buffer(dc_catalog *cat, const char *name, const char *buf, size_t len,
		       const dc_load_options *opts, dc_diags *diags, const char *root,
		       const char *dir, unsigned depth, u32_vec *chain, int walked)
{
	load_ctx c;
	dc_diags *pd = NULL;  /* a walked file's parse diagnostics, kept if it is a descriptor */
	dc_diags *given = diags;
	doc_stream ds;
	doc_limits lim;
	size_t max_file;
	dc_input_format fmt = opts ? opts->format : DC_FORMAT_AUTO;
	const loader *ld = NULL, *streamer = NULL;
	int rc;

	if (fmt != DC_FORMAT_AUTO && !(ld = find_loader(fmt)))
		return DC_EINVALID;
	memset(&c, 0, sizeof(c));
	c.cat = cat;
	c.diags = diags;
	c.opts = opts;
	c.root = root;
	c.dir = dir;
	c.depth = depth;
	c.location_chain = chain;
	c.follow = follow;
	ctx_defaults(&c);
	ctx_limits(&c, opts);
	c.file_len = len;
	/* what Backstage API references may expand to at finalize (catalog.c) */
	cat->input_bytes += len;
	cat->max_deps = c.max_deps;
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

	if (walked && ld)
		walked = 0; /* a format forced by the caller: every file is one */
	if (has_nul(buf, len)) {
		if (walked)
			return skip_file(&c, name, "binary data");
		dc_diags_add(diags, DC_SEV_ERROR, c.file, 1, 1,
			     "binary data (NUL byte at offset %zu): not a service descriptor",
			     (size_t)((const char *)memchr(buf, '\0', len) - buf));
		return DC_EPARSE;
	}
	if (ctx_skip_space(buf, buf + len, 1) == buf + len) {
		dc_diags_add(diags, DC_SEV_WARNING, c.file, 1, 1, "empty file: nothing loaded");
		return 0;
	}

	/* formats with their own parser (DOT) read the raw text */
	if (!ld)
		ld = detect_text(buf, len);
	/* a format read both ways (slo) reads the text only when it claims it */
	if (ld && ld->load_text && (!ld->load_doc || (ld->detect_text && ld->detect_text(buf, len)))) {
		c.format = ld->format;
		rc = ld->load_text(&c, buf, len);
		return load_status(&c, rc);
	}

	doc_stream_init(&ds, c.file);
	if (walked) {
		if (dc_diags_new(&pd)) {
			doc_stream_free(&ds);
			return DC_ENOMEM;
		}
		diags = pd;
		c.diags = pd;
	}
	if (!ld) {
		size_t i;
		for (i = 0; i < NLOADERS && !streamer; i++)
			if (loaders[i].stream_hook)
				streamer = &loaders[i];
	} else if (ld->stream_hook) {
		streamer = ld;
	}
	if (looks_json(buf, len)) {
		const char *p = buf;
		if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
		    (unsigned char)p[2] == 0xBF) {
			p += 3;
			len -= 3;
		}
		rc = doc_parse_json(&ds, p, len, &lim, diags);
	} else if (streamer) {
		/* a native catalog's services are loaded as they are parsed, so a
		 * big catalog never exists as one document tree */
		doc_item_hook hook;
		streamer->stream_hook(&c, &hook);
		c.format = streamer->format;
		rc = doc_parse_yaml_hooked(&ds, buf, len, &lim, &hook, diags);
		if (c.streamed.len)
			ld = streamer; /* a root `services:` list: native by definition */
	} else {
		rc = doc_parse_yaml(&ds, buf, len, &lim, diags);
	}
	if (walked) {
		diags = c.diags = given;
		if ((rc == DC_EPARSE && !c.status && !c.streamed.len && !looks_like_descriptor(buf, len)) ||
		    (!rc && !c.status && !c.streamed.len && !detect_doc(&ds) && has_content(&ds))) {
			dc_diags_free(pd);
			doc_stream_free(&ds);
			return skip_file(&c, name, rc ? "it does not parse, and has no top-level key of a descriptor: a template?"
					 : "no format recognises it");
		}
		if (copy_diags(diags, pd)) {
			dc_diags_free(pd);
			dc_vec_free(&c.streamed);
			doc_stream_free(&ds);
			return DC_ENOMEM;
		}
		dc_diags_free(pd);
	}
	if (rc || c.status) {
		dc_vec_free(&c.streamed);
		doc_stream_free(&ds);
		return load_status(&c, rc);
	}
	if (!ld) {
		ld = detect_doc(&ds);
		if (!ld) {
			size_t i;
			int any = 0;
			for (i = 0; i < ds.docs.len; i++)
				any |= !doc_is_null(ds.docs.items[i]);
			if (!any) {
				dc_diags_add(diags, DC_SEV_WARNING, c.file, 1, 1, "empty file: nothing loaded");
				doc_stream_free(&ds);
				return 0;
			}
			/* (the formats in the order people meet them, not the table's) */
			dc_diags_add(diags, DC_SEV_ERROR, c.file, 1, 1,
				     "unrecognized format: expected a depcheck catalog (services: list), "
				     "a Compose file (services: mapping), Backstage entities, Kubernetes "
				     "manifests, DOT, SLO specifications (OpenSLO, Sloth, Pyrra, a Prometheus "
				     "answer), an Envoy configuration dump or a gRPC service config; use "
				     "--input-format to force one");
			doc_stream_free(&ds);
			return DC_EPARSE;
		}
	}
	c.format = ld->format;
	if (ld->format == DC_FORMAT_COMPOSE)
		/* the files of a Compose project merge: loaded at finalize */
		rc = compose_defer(&c, &ds, walked);
	else if (ld->format == DC_FORMAT_KUBERNETES)
		/* a ConfigMap may be in a later file: loaded at finalize */
		rc = kubernetes_defer(&c, &ds);
	else
		rc = ld->load_doc ? ld->load_doc(&c, &ds) : DC_EINVALID;
	dc_vec_free(&c.streamed);
	doc_stream_free(&ds);
	return load_status(&c, rc);
}

int dc_catalog_add_buffer(dc_catalog *cat, const char *name, const char *buf, size_t len,
			  const dc_load_options *opts, dc_diags *diags)
{
	char cwd[PATH_MAX];
	if (cat->finalized || (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_LOAD_OPTIONS_VERSION)))
		return DC_EINVALID;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, ".");
	return load_buffer(cat, name ? name : "<buffer>", buf, len, opts, diags, cwd, cwd, 0, NULL, 0);
}

static int name_has_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return 0;
	return !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json") ||
	       !strcmp(dot, ".dot") || !strcmp(dot, ".gv") || !strcmp(dot, ".csv");
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

/* Is the canonical file path `canon` inside a Helm chart's templates/
 * directory (a `templates` component whose parent holds Chart.yaml)? Such a
 * file is a Go template, not a manifest: it may even parse as YAML
 * (`name: {{ .Release.Name }}` is a flow mapping) and would then be read as
 * a broken Kubernetes object. A walk skips it (docs/commands.md,
 * "Directory walks"); the chart's rendered output is what to give. */
static int in_helm_templates(const char *canon)
{
	const char *p;
	char chart[PATH_MAX];
	struct stat st;
	for (p = strstr(canon, "/templates/"); p; p = strstr(p + 1, "/templates/")) {
		size_t n = (size_t)(p - canon);
		if (n + sizeof("/Chart.yaml") > sizeof(chart))
			return 0;
		memcpy(chart, canon, n);
		memcpy(chart + n, "/Chart.yaml", sizeof("/Chart.yaml"));
		if (stat(chart, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	return 0;
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

/* Whether a walk reads the file (or enters the directory) at `rel`, below
 * the walked directory, as the options' globs say. */
static int walk_wanted(const dc_load_options *opts, const char *rel, int is_dir)
{
	size_t i;
	int in;
	if (!opts || opts->version < 3)
		return 1;
	for (i = 0; i < opts->nexclude; i++)
		if (opts->exclude[i] && dc_path_glob_match(opts->exclude[i], rel))
			return 0;
	if (is_dir || !opts->ninclude)
		return 1;
	for (i = 0, in = 0; i < opts->ninclude && !in; i++)
		in = opts->include[i] && dc_path_glob_match(opts->include[i], rel);
	return in;
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
	size_t skipped = 0, plen = strlen(path);
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
			/* a FIFO, a socket or a device among the files: skipped
			 * (reading one could block or never end), said when its
			 * name looks like a catalog */
			if (load_special_kind(st.st_mode) && name_has_ext(e->d_name)) {
				dc_diags_add(diags, DC_SEV_NOTE, full, 0, 0, "skipped: %s, not a regular file",
					     load_special_kind(st.st_mode));
				free(full);
				continue;
			}
			/* the globs see the path below the walked directory */
			if (!walk_wanted(opts, full + plen + (full[plen] == '/'), S_ISDIR(st.st_mode))) {
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
				: load_path(cat, files.items[i], root, opts, diags, depth, chain, PATH_WALKED);
			if (r == LOAD_SKIPPED) {
				skipped++;
				r = 0;
			}
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
	if (skipped && rc != DC_ENOMEM &&
	    dc_diags_add(diags, DC_SEV_NOTE, path, 0, 0, "skipped %zu file%s that %s not service descriptors%s",
			 skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are",
			 (opts_flags(opts) & DC_LOAD_LIST_SKIPPED) ? "" : " (-v lists them)"))
		rc = DC_ENOMEM;
	return rc;
}

static int load_path(dc_catalog *cat, const char *path, const char *root,
		     const dc_load_options *opts, dc_diags *diags, unsigned depth,
		     u32_vec *chain, int how)
{
	struct stat st;
	char canon[PATH_MAX];
	char *buf = NULL, *dir, *slash;
	size_t len, max_file;
	doc_limits lim;
	FILE *fp;
	int rc, too_big, seen, read_errno;

	opts_limits(opts, &lim, &max_file);
	if (strcmp(path, "-") == 0) {
		char cwd[PATH_MAX];
		rc = load_read_all(stdin, max_file, &buf, &len, &too_big);
		if (rc) {
			if (too_big)
				dc_diags_add(diags, DC_SEV_ERROR, "<stdin>", 0, 0, "input larger than the "
					     "limit of %zu bytes (see --input-limit file-size)", max_file);
			else if (rc == DC_ENOMEM)
				dc_diags_add(diags, DC_SEV_ERROR, "<stdin>", 0, 0,
					     "cannot read standard input: out of memory");
			else
				dc_diags_add(diags, DC_SEV_ERROR, "<stdin>", 0, 0, "cannot read standard input");
			return rc;
		}
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, ".");
		rc = load_buffer(cat, "<stdin>", buf, len, opts, diags, root ? root : cwd, cwd, depth, chain, 0);
		free(buf);
		return rc;
	}
	if (dc_text_check(path, 0, NULL)) {
		/* its name would reach every output through the positions:
		 * refused, and named escaped (docs/security.md) */
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "file name contains a control character, a workflow-command marker, "
			     "a direction override or a byte that is not UTF-8: not read");
		return DC_EINVALID;
	}
	if (stat(path, &st) != 0) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return DC_EIO;
	}
	/* a pipe has no path to resolve (/dev/stdin, /dev/fd/63 lead to
	 * "pipe:[N]"): it stands for itself, and relative references in it
	 * resolve against the working directory, as for standard input */
	if (!realpath(path, canon)) {
		if (!S_ISFIFO(st.st_mode) || !getcwd(canon, sizeof(canon))) {
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot resolve path: %s", strerror(errno));
			return DC_EIO;
		}
		strncat(canon, "/-", sizeof(canon) - strlen(canon) - 1);
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(cat, path, root ? root : canon, opts, diags, depth, chain);
	if (!S_ISREG(st.st_mode) && how != PATH_GIVEN) {
		dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "not a regular file");
		return DC_EIO;
	}
	if (how == PATH_WALKED && !(opts && opts->format != DC_FORMAT_AUTO) && in_helm_templates(canon)) {
		if ((opts_flags(opts) & DC_LOAD_LIST_SKIPPED) &&
		    dc_diags_add(diags, DC_SEV_NOTE, path, 0, 0, "skipped: not a service descriptor (a Helm "
				 "chart template: give the output of helm template instead)"))
			return DC_ENOMEM;
		return LOAD_SKIPPED;
	}
	/* each file once: a directory walk and a Location may both reach it
	 * (a pipe is read once whatever happens: it is not marked) */
	seen = S_ISREG(st.st_mode) ? cat_mark_loaded(cat, canon) : 0;
	if (seen < 0)
		return DC_ENOMEM;
	if (seen)
		return 0;
	{
		const char *why;
		rc = load_open_input(path, &fp, &why, NULL);
		if (rc == DC_ENOMEM)
			return rc;
		if (rc) {
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot open: %s", why);
			return DC_EIO;
		}
	}
	rc = load_read_all(fp, max_file, &buf, &len, &too_big);
	read_errno = errno; /* before fclose, which may set it */
	fclose(fp);
	if (rc) {
		/* the status says what went wrong; errno only for DC_EIO (after a
		 * failed allocation it is whatever an earlier call left) */
		if (too_big)
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "file larger than the limit of %zu bytes (see --input-limit file-size)",
				     max_file);
		else
			dc_diags_add(diags, DC_SEV_ERROR, path, 0, 0, "cannot read: %s",
				     rc == DC_ENOMEM ? "out of memory" : strerror(read_errno));
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
		rc = load_buffer(cat, path, buf, len, opts, diags, root ? root : rootdup, dir, depth, chain,
				 how == PATH_WALKED);
		free(rootdup);
	}
	free(dir);
	free(buf);
	return rc;
}

int dc_catalog_add_path(dc_catalog *cat, const char *path, const dc_load_options *opts,
			dc_diags *diags)
{
	if (cat->finalized || (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_LOAD_OPTIONS_VERSION)))
		return DC_EINVALID;
	return load_path(cat, path, NULL, opts, diags, 0, NULL, PATH_GIVEN);
}

int dc_catalog_load(dc_catalog **out, const char *const *paths, size_t npaths,
		    const dc_load_options *opts, dc_diags *diags)
{
	size_t i;
	int rc = 0, r;
	*out = NULL;
	if (opts && !DC_OPTIONS_VERSION_OK(opts->version, DC_LOAD_OPTIONS_VERSION))
		return DC_EINVALID;
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
