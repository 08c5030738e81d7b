/*
 * jsonw.h - a small streaming JSON writer for command output.
 *
 * Streaming (no tree) keeps big outputs cheap and the key order stable.
 * Nesting is tracked to place commas; indentation is two spaces.
 */
#ifndef DC_JSONW_H
#define DC_JSONW_H

#include <stdio.h>

typedef struct {
	FILE *fp;
	int depth;
	int first[64];   /* per level: no element written yet */
	int after_key;
} jsonw;

void jw_init(jsonw *w, FILE *fp);
void jw_obj(jsonw *w);
void jw_obj_end(jsonw *w);
void jw_arr(jsonw *w);
void jw_arr_end(jsonw *w);
void jw_key(jsonw *w, const char *k);
void jw_str(jsonw *w, const char *s);   /* NULL writes null */
void jw_int(jsonw *w, long long v);
void jw_num(jsonw *w, double v);
void jw_bool(jsonw *w, int v);
void jw_null(jsonw *w);
/* Finish the document (newline). */
void jw_end(jsonw *w);

/* key + value shortcuts */
#define jw_kstr(w, k, v) (jw_key((w), (k)), jw_str((w), (v)))
#define jw_kint(w, k, v) (jw_key((w), (k)), jw_int((w), (v)))
#define jw_knum(w, k, v) (jw_key((w), (k)), jw_num((w), (v)))
#define jw_kbool(w, k, v) (jw_key((w), (k)), jw_bool((w), (v)))

#endif
