/*
 * load_ctx.c - the context of one file being loaded (load_ctx.h): its
 * diagnostics, per-file defaults, limits and first fatal status, and the
 * two ways every loader adds to the catalog (ctx_new_service, ctx_add_dep),
 * which apply the limits.
 *
 * The limits are checked here, in one place, so that no loader can forget
 * one: once a limit is hit or memory runs out, c->status holds the first
 * fatal error and every later service and dependency of the file is
 * refused without another diagnostic.
 */
#include "load_ctx.h"

#include <stdarg.h>
#include <stdio.h>

const char *ctx_file(const load_ctx *c, const doc_node *n)
{
	uint32_t f = ctx_file_id(c, n);
	const char *p = f == c->file_id ? c->file : cat_file_name(c->cat, f);
	return p ? p : c->file;
}

void ctx_diag(const load_ctx *c, dc_severity sev, const doc_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a diagnostic that cannot be stored must not vanish quietly */
	if (dc_diags_add(c->diags, sev, ctx_file(c, at), at ? at->line : 0, at ? at->col : 0, "%s", msg))
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

/* The version-2 limits; a version-1 caller's struct ends before them. */
void ctx_limits(load_ctx *c, const dc_load_options *opts)
{
	int v2 = opts && opts->version >= 2;
	c->max_services = v2 && opts->max_services ? opts->max_services : DC_DEFAULT_MAX_SERVICES;
	c->max_deps = v2 && opts->max_dependencies ? opts->max_dependencies : DC_DEFAULT_MAX_DEPENDENCIES;
	c->max_name = v2 && opts->max_name_length ? opts->max_name_length : DC_DEFAULT_MAX_NAME_LENGTH;
	c->max_locations = v2 && opts->max_locations ? opts->max_locations : DC_DEFAULT_MAX_LOCATIONS;
}

int ctx_fail(load_ctx *c, int status)
{
	if (!c->status)
		c->status = status;
	return c->status;
}

/* A name longer than the limit: reported once, with its first bytes. */
static int name_too_long(load_ctx *c, dc_loc_int loc, const char *what, uint32_t id)
{
	uint32_t len = dc_strtab_len(&c->cat->strs, id);
	cat_diag(c->cat, c->diags, DC_SEV_ERROR, loc,
		 "%s '%.40s%s' is %u bytes long (limit %zu; see --input-limit name-length)", what,
		 cat_str(c->cat, id), len > 40 ? "..." : "", (unsigned)len, c->max_name);
	return ctx_fail(c, DC_ELIMIT);
}

/* Create a service with the file's defaults applied. */
int ctx_new_service(load_ctx *c, uint32_t ref, const doc_node *at, dc_id *out)
{
	int rc;
	svc_t *s;
	if (c->status)
		return c->status;
	if (dc_strtab_len(&c->cat->strs, ref) > c->max_name)
		return name_too_long(c, ctx_loc(c, at), "service name", ref);
	if (c->cat->svcs.len >= c->max_services) {
		cat_diag(c->cat, c->diags, DC_SEV_ERROR, ctx_loc(c, at),
			 "more than %zu services: the catalog is over the limit (see --input-limit services); "
			 "'%s' and everything after it is not loaded", c->max_services,
			 cat_str(c->cat, ref));
		return ctx_fail(c, DC_ELIMIT);
	}
	rc = c->overlay ? cat_add_overlay(c->cat, ref, ctx_loc(c, at), out)
			: cat_add_service(c->cat, ref, ctx_loc(c, at), c->format, c->diags, out);
	if (rc < 0)
		return ctx_fail(c, rc);
	if (rc)
		return rc;
	s = cat_svc(c->cat, *out);
	s->availability = c->def_availability;
	s->latency_ms = c->def_latency_ms;
	s->slo = c->def_slo;
	s->replicas = c->def_replicas;
	s->tier = c->def_tier;
	return 0;
}

int ctx_add_dep(load_ctx *c, const dep_t *d)
{
	if (c->status)
		return c->status;
	if (dc_strtab_len(&c->cat->strs, d->target) > c->max_name)
		return name_too_long(c, d->loc, "dependency target", d->target);
	if (c->cat->deps.len >= c->max_deps) {
		cat_diag(c->cat, c->diags, DC_SEV_ERROR, d->loc,
			 "more than %zu dependencies: the catalog is over the limit (see --input-limit "
			 "dependencies); this one and everything after it is not loaded", c->max_deps);
		return ctx_fail(c, DC_ELIMIT);
	}
	if (cat_add_dep(c->cat, d))
		return ctx_fail(c, DC_ENOMEM);
	return 0;
}

/* ---- text ------------------------------------------------------------------ */

const char *ctx_skip_space(const char *p, const char *end, int hash_comments)
{
	if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p < end && hash_comments && *p == '#') {
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
