/*
 * jsonw.h - a small streaming JSON writer, used by the library's writers
 * (export, every dc_write_* JSON output, SARIF, the report's data). Internal
 * to the library: not installed, not exported (callers get JSON from the
 * writers of depcheck/output.h and dc_export).
 *
 * Streaming (no tree) keeps big outputs cheap and the key order stable:
 * exporting 100,000 services costs about the size of the output. Nesting
 * is tracked to place commas; indentation is two spaces. Numbers are
 * written in the shortest form that reads back to the same double.
 *
 * The struct is declared here so it can live on the stack.
 * Write errors are sticky in the FILE (check ferror()).
 */
#ifndef DC_JSONW_H
#define DC_JSONW_H

#include <stdio.h>

#define DC_JSONW_MAX_DEPTH 64

typedef struct {
	FILE *fp;
	int depth;
	int first[DC_JSONW_MAX_DEPTH];   /* per level: no element written yet */
	int after_key;
	int inline_from;  /* depth where a one-line container began, 0 = none */
} dc_jsonw;

void dc_jw_init(dc_jsonw *w, FILE *fp);
void dc_jw_obj(dc_jsonw *w);
void dc_jw_obj_end(dc_jsonw *w);
void dc_jw_arr(dc_jsonw *w);
void dc_jw_arr_end(dc_jsonw *w);
/** Containers written on one line, with everything inside them:
 * `{"service": "a", "kind": "hard"}`. */
void dc_jw_obj_inline(dc_jsonw *w);
void dc_jw_arr_inline(dc_jsonw *w);
void dc_jw_key(dc_jsonw *w, const char *k);
/** A string (NULL writes null). */
void dc_jw_str(dc_jsonw *w, const char *s);
void dc_jw_int(dc_jsonw *w, long long v);
/** A number; NaN and infinities are written as null. */
void dc_jw_num(dc_jsonw *w, double v);
void dc_jw_bool(dc_jsonw *w, int v);
void dc_jw_null(dc_jsonw *w);
/** Finish the document (a newline). */
void dc_jw_end(dc_jsonw *w);

/* key + value shortcuts */
#define dc_jw_kstr(w, k, v) (dc_jw_key((w), (k)), dc_jw_str((w), (v)))
#define dc_jw_kint(w, k, v) (dc_jw_key((w), (k)), dc_jw_int((w), (v)))
#define dc_jw_knum(w, k, v) (dc_jw_key((w), (k)), dc_jw_num((w), (v)))
#define dc_jw_kbool(w, k, v) (dc_jw_key((w), (k)), dc_jw_bool((w), (v)))

#endif
