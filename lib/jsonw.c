/*
 * jsonw.c - streaming JSON writer (see jsonw.h).
 */
#include "jsonw.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dc_jw_init(dc_jsonw *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->first[0] = 1;
}

static void indent(dc_jsonw *w)
{
	static const char spaces[] = "\n                                                                ";
	int n = 2 * w->depth;
	fwrite(spaces, 1, 1 + (size_t)(n < 64 ? n : 64), w->fp);
}

static int in_line(const dc_jsonw *w)
{
	return w->inline_from && w->depth >= w->inline_from;
}

/* before a value or a key */
static void sep(dc_jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputs(in_line(w) ? ", " : ",", w->fp);
	w->first[w->depth] = 0;
	if (!in_line(w))
		indent(w);
}

static void jw_open(dc_jsonw *w, char ch, int inl)
{
	sep(w);
	fputc(ch, w->fp);
	if (w->depth < DC_JSONW_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = 1;
	if (inl && !w->inline_from)
		w->inline_from = w->depth;
}

static void jw_close(dc_jsonw *w, char ch)
{
	int empty = w->first[w->depth], inl = in_line(w);
	if (w->inline_from == w->depth)
		w->inline_from = 0;
	if (w->depth > 0)
		w->depth--;
	if (!empty && !inl)
		indent(w);
	fputc(ch, w->fp);
}

void dc_jw_obj(dc_jsonw *w) { jw_open(w, '{', 0); }
void dc_jw_obj_inline(dc_jsonw *w) { jw_open(w, '{', 1); }
void dc_jw_obj_end(dc_jsonw *w) { jw_close(w, '}'); }
void dc_jw_arr(dc_jsonw *w) { jw_open(w, '[', 0); }
void dc_jw_arr_inline(dc_jsonw *w) { jw_open(w, '[', 1); }
void dc_jw_arr_end(dc_jsonw *w) { jw_close(w, ']'); }

static void raw_str(dc_jsonw *w, const char *s)
{
	/* copy runs that need no escaping in one fwrite: most strings are one run */
	const unsigned char *p = (const unsigned char *)s, *run = p;
	putc('"', w->fp);
	for (;; p++) {
		unsigned char ch = *p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), w->fp);
		if (!ch)
			break;
		switch (ch) {
		case '"': fputs("\\\"", w->fp); break;
		case '\\': fputs("\\\\", w->fp); break;
		case '\n': fputs("\\n", w->fp); break;
		case '\r': fputs("\\r", w->fp); break;
		case '\t': fputs("\\t", w->fp); break;
		default: fprintf(w->fp, "\\u%04x", ch); break;
		}
		run = p + 1;
	}
	putc('"', w->fp);
}

void dc_jw_key(dc_jsonw *w, const char *k)
{
	sep(w);
	raw_str(w, k);
	fputs(": ", w->fp);
	w->after_key = 1;
}

void dc_jw_str(dc_jsonw *w, const char *s)
{
	sep(w);
	if (s)
		raw_str(w, s);
	else
		fputs("null", w->fp);
}

void dc_jw_int(dc_jsonw *w, long long v)
{
	sep(w);
	fprintf(w->fp, "%lld", v);
}

void dc_jw_num(dc_jsonw *w, double v)
{
	char buf[64];
	sep(w);
	if (!isfinite(v)) {
		fputs("null", w->fp);
		return;
	}
	dc_fmt_double(buf, sizeof(buf), v);
	fputs(buf, w->fp);
}

void dc_jw_bool(dc_jsonw *w, int v)
{
	sep(w);
	fputs(v ? "true" : "false", w->fp);
}

void dc_jw_null(dc_jsonw *w)
{
	sep(w);
	fputs("null", w->fp);
}

void dc_jw_end(dc_jsonw *w)
{
	fputc('\n', w->fp);
}
