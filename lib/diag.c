/*
 * diag.c - the diagnostics list and the library's version and error texts.
 *
 * Diagnostics own their strings (one malloc'ed block each) so that a list
 * outlives the catalog that produced it.
 */
#include <depcheck/diag.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct dc_diags {
	DC_VEC(dc_diag) items;
	/* dc_diags_sort's merge buffer, grown with the list so that sorting
	 * (which cannot report a failure) never allocates */
	dc_diag *scratch;
	size_t scratch_cap;
};

const char *dc_version(void)
{
	return DC_VERSION_STRING;
}

const char *dc_strerror(int status)
{
	switch (status) {
	case DC_OK: return "success";
	case DC_ERROR: return "error";
	case DC_ENOMEM: return "out of memory";
	case DC_EIO: return "input/output error";
	case DC_EPARSE: return "syntax error";
	case DC_EINVALID: return "invalid input";
	case DC_ENOTFOUND: return "not found";
	case DC_EAMBIGUOUS: return "ambiguous name";
	case DC_ELIMIT: return "limit exceeded";
	default: return "unknown error";
	}
}

int dc_diags_new(dc_diags **out)
{
	*out = calloc(1, sizeof(dc_diags));
	return *out ? 0 : DC_ENOMEM;
}

void dc_diags_free(dc_diags *diags)
{
	size_t i;
	if (!diags)
		return;
	for (i = 0; i < diags->items.len; i++)
		free((void *)diags->items.items[i].file);
	dc_vec_free(&diags->items);
	free(diags->scratch);
	free(diags);
}

int dc_diags_add(dc_diags *diags, dc_severity sev, const char *file,
		 unsigned line, unsigned column, const char *fmt, ...)
{
	char raw[1024], msg[1024], fbuf[4096];
	va_list ap;
	size_t flen, mlen;
	char *block;
	dc_diag d;

	if (!diags)
		return 0;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* one line of plain text: diagnostics are read by problem matchers,
	 * CI runners (a line starting with "::" is a command to GitHub's) and
	 * terminals. File names and quoted input may carry control
	 * characters: they are written as escapes (docs/security.md). */
	dc_text_escape(msg, sizeof(msg), raw);
	if (!file)
		file = "<input>";
	/* a path that starts with ':' would start the line with it */
	if (file[0] == ':') {
		strcpy(fbuf, "./");
		dc_text_escape(fbuf + 2, sizeof(fbuf) - 2, file);
	} else {
		dc_text_escape(fbuf, sizeof(fbuf), file);
	}
	file = fbuf;
	flen = strlen(file);
	mlen = strlen(msg);
	block = malloc(flen + mlen + 2);
	if (!block)
		return DC_ENOMEM;
	memcpy(block, file, flen + 1);
	memcpy(block + flen + 1, msg, mlen + 1);
	d.severity = sev;
	d.file = block;
	d.message = block + flen + 1;
	d.line = line;
	d.column = column;
	if (diags->scratch_cap <= diags->items.len) {
		size_t cap = diags->scratch_cap ? diags->scratch_cap * 2 : 8;
		dc_diag *x = cap > SIZE_MAX / sizeof(dc_diag) ? NULL : realloc(diags->scratch, cap * sizeof(dc_diag));
		if (!x) {
			free(block);
			return DC_ENOMEM;
		}
		diags->scratch = x;
		diags->scratch_cap = cap;
	}
	if (dc_vec_push(&diags->items, d)) {
		free(block);
		return DC_ENOMEM;
	}
	return 0;
}

size_t dc_diags_count(const dc_diags *diags)
{
	return diags ? diags->items.len : 0;
}

const dc_diag *dc_diags_get(const dc_diags *diags, size_t i)
{
	return (diags && i < diags->items.len) ? &diags->items.items[i] : NULL;
}

size_t dc_diags_count_severity(const dc_diags *diags, dc_severity sev)
{
	size_t i, n = 0;
	if (!diags)
		return 0;
	for (i = 0; i < diags->items.len; i++)
		n += diags->items.items[i].severity == sev;
	return n;
}

static int diag_cmp(const dc_diag *a, const dc_diag *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return 0;
}

void dc_diags_sort(dc_diags *diags)
{
	/* insertion-merge: stable; lists are short except in pathological input,
	 * so use a bottom-up merge sort to stay O(n log n) regardless */
	size_t n, w, i;
	dc_diag *a, *tmp;
	if (!diags || diags->items.len < 2)
		return;
	n = diags->items.len;
	a = diags->items.items;
	tmp = diags->scratch_cap >= n ? diags->scratch : NULL;
	if (!tmp)
		return; /* cannot happen: every add grows the buffer */
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			size_t lo = i, mid = i + w < n ? i + w : n, hi = i + 2 * w < n ? i + 2 * w : n;
			size_t p = lo, q = mid, k = lo;
			while (p < mid && q < hi)
				tmp[k++] = diag_cmp(&a[q], &a[p]) < 0 ? a[q++] : a[p++];
			while (p < mid)
				tmp[k++] = a[p++];
			while (q < hi)
				tmp[k++] = a[q++];
		}
		memcpy(a, tmp, n * sizeof(*tmp));
	}
	/* drop exact duplicates (same place, severity and message): a twin is
	 * looked for among the entries kept at the same place, however they
	 * sorted ("A", "B", "A" at one place keeps "A", "B"); the look-back is
	 * bounded so that pathological input stays linear */
	w = 1;
	for (i = 1; i < n; i++) {
		size_t j, back = 0;
		int dup = 0;
		for (j = w; j-- > 0 && back < 64 && diag_cmp(&a[i], &a[j]) == 0; back++)
			if (a[i].severity == a[j].severity && strcmp(a[i].message, a[j].message) == 0) {
				dup = 1;
				break;
			}
		if (dup) {
			free((void *)a[i].file);
			continue;
		}
		a[w++] = a[i];
	}
	diags->items.len = w;
}

const char *dc_severity_name(dc_severity sev)
{
	switch (sev) {
	case DC_SEV_ERROR: return "error";
	case DC_SEV_WARNING: return "warning";
	default: return "note";
	}
}

int dc_diag_print(FILE *fp, const dc_diag *d)
{
	int r;
	if (d->line)
		r = fprintf(fp, "%s:%u:%u: %s: %s\n", d->file, d->line, d->column ? d->column : 1,
			    dc_severity_name(d->severity), d->message);
	else
		r = fprintf(fp, "%s: %s: %s\n", d->file, dc_severity_name(d->severity), d->message);
	return r < 0 ? DC_EIO : 0;
}
