/*
 * compose_int.h - what the Compose loader (load_compose.c) builds on: the
 * project environment and `${VAR}` interpolation (compose_env.c), and
 * Compose's merge of one file over another (compose_merge.c). Not
 * installed. docs/inputs.md ("Compose") describes the behaviour.
 */
#ifndef DC_COMPOSE_INT_H
#define DC_COMPOSE_INT_H

#include "doc.h"

/* ---- the environment (compose_env.c) ---------------------------------------
 * Variables as Compose sees them when it interpolates a project: the
 * process environment, then the project's `.env` (or the --env-file files)
 * for what the process does not set. */

typedef struct {
	char *key, *val;
	unsigned src;      /* the cenv's `src` when the value was set */
} cenv_ent;

typedef struct cenv {
	DC_VEC(cenv_ent) v;
	const struct cenv *parent; /* looked up after v (a service's env_file over the
				      project's environment); not owned */
	unsigned src;              /* stamped on what is set (which env_file gave it) */
} cenv;

void cenv_free(cenv *e);
/* Set key (replace = 0: only when unset). Returns 0 or DC_ENOMEM. */
int cenv_set(cenv *e, const char *k, size_t kl, const char *v, size_t vl, int replace);
/* The value (of e, else of its parents), or NULL when unset. */
const char *cenv_get(const cenv *e, const char *k, size_t kl);
/* Add the process environment (environ). */
int cenv_add_process(cenv *e);
/* Read a dotenv file (KEY=VALUE lines, `export`, quotes, `#` comments,
 * ${VAR} in unquoted and double-quoted values) into e: replace = 0 keeps
 * what is set (the project's .env under the process environment), 1 lets
 * the file win (a service's env_file files, the later one over the earlier).
 * Returns 0, DC_EIO (cannot open: errno set) or DC_ENOMEM; a line
 * that is not KEY=VALUE is reported through `bad` (its line number) and
 * skipped. */
int cenv_read_file(cenv *e, const char *path, int replace, unsigned *bad);

/* Interpolate s[0..n) (`$$`, `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
 * `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+x}`, `${VAR+x}`, nested in
 * defaults). Returns 0 with *out malloc'd (NUL-terminated, *outlen), 1
 * with msg filled (a required variable unset, bad syntax), or DC_ENOMEM.
 * Each variable used unset without a default is passed to unset(). */
int cenv_interpolate(const cenv *e, const char *s, size_t n, char **out, size_t *outlen,
		     char *msg, size_t msgsize, void (*unset)(void *arg, const char *name, size_t len),
		     void *arg);

/* ---- merging (compose_merge.c) ---------------------------------------------
 * Compose's merge of `over` onto `base` (a later -f file, an override file,
 * a service over the one it extends): mappings merge key by key, sequences
 * append (scalars once), `command`/`entrypoint`/`healthcheck.test` are
 * replaced, list and mapping forms of environment, labels, depends_on ...
 * merge as mappings, a later scalar wins; `!reset` removes what base had
 * (NULL result), `!override` replaces it whole. New nodes come from `a`.
 * `key` is the key `over` is the value of ("" at the top). Returns the
 * merged node or NULL with *oom set. */
doc_node *cmerge(dc_arena *a, const doc_node *base, const doc_node *over, const char *key,
		 int *oom);
/* A mapping node equal to `map` without `key` (shared children). */
doc_node *cmerge_without(dc_arena *a, const doc_node *map, const char *key, int *oom);
/* The list form `K=V` of environment, labels ... as a mapping (a mapping
 * is returned as is). Values of `K` alone are null scalars. */
const doc_node *cmerge_as_map(dc_arena *a, const doc_node *n, int *oom);
/* Does `key` hold a list that Compose merges as a mapping? */
int cmerge_is_mapping_key(const char *key);

#endif
