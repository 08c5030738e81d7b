/*
 * jsonw.c - streaming JSON writer (see jsonw.h).
 */
#include "jsonw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jsonw *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->first[0] = 1;
}

static void indent(jsonw *w)
{
	int i;
	fputc('\n', w->fp);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->fp);
}

/* before a value or a key */
static void sep(jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputc(',', w->fp);
	w->first[w->depth] = 0;
	indent(w);
}

static void open(jsonw *w, char ch)
{
	sep(w);
	fputc(ch, w->fp);
	if (w->depth < 63)
		w->depth++;
	w->first[w->depth] = 1;
}

static void close_(jsonw *w, char ch)
{
	int empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(ch, w->fp);
}

void jw_obj(jsonw *w) { open(w, '{'); }
void jw_obj_end(jsonw *w) { close_(w, '}'); }
void jw_arr(jsonw *w) { open(w, '['); }
void jw_arr_end(jsonw *w) { close_(w, ']'); }

static void raw_str(jsonw *w, const char *s)
{
	const unsigned char *p;
	fputc('"', w->fp);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", w->fp); break;
		case '\\': fputs("\\\\", w->fp); break;
		case '\n': fputs("\\n", w->fp); break;
		case '\r': fputs("\\r", w->fp); break;
		case '\t': fputs("\\t", w->fp); break;
		default:
			if (*p < 0x20)
				fprintf(w->fp, "\\u%04x", *p);
			else
				fputc(*p, w->fp);
		}
	}
	fputc('"', w->fp);
}

void jw_key(jsonw *w, const char *k)
{
	sep(w);
	raw_str(w, k);
	fputs(": ", w->fp);
	w->after_key = 1;
}

void jw_str(jsonw *w, const char *s)
{
	sep(w);
	if (s)
		raw_str(w, s);
	else
		fputs("null", w->fp);
}

void jw_int(jsonw *w, long long v)
{
	sep(w);
	fprintf(w->fp, "%lld", v);
}

void jw_num(jsonw *w, double v)
{
	char buf[64];
	int prec;
	sep(w);
	if (!isfinite(v)) {
		fputs("null", w->fp);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, w->fp);
}

void jw_bool(jsonw *w, int v)
{
	sep(w);
	fputs(v ? "true" : "false", w->fp);
}

void jw_null(jsonw *w)
{
	sep(w);
	fputs("null", w->fp);
}

void jw_end(jsonw *w)
{
	fputc('\n', w->fp);
}
