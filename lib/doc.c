/*
 * doc.c - the document tree's lifetime and typed reading of scalars.
 *
 * Plain scalars are typed by the YAML 1.2 core schema (null, true/false,
 * integers in decimal/0x/0o, floats with .inf/.nan); quoted scalars are
 * strings. JSON values arrive the same way (strings quoted, the rest plain),
 * so one set of rules serves both.
 */
#include "doc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

void doc_stream_init(doc_stream *ds, const char *file)
{
	memset(ds, 0, sizeof(*ds));
	dc_arena_init(&ds->arena);
	ds->file = file;
}

void doc_stream_free(doc_stream *ds)
{
	dc_arena_free(&ds->arena);
	dc_vec_free(&ds->docs);
}

const doc_node *doc_get(const doc_node *map, const char *key)
{
	uint32_t i;
	if (!map || map->kind != DOC_MAP)
		return NULL;
	for (i = 0; i < map->n; i++) {
		const doc_node *k = map->u.kids[2 * i];
		if (k->kind == DOC_SCALAR && strcmp(k->u.s, key) == 0)
			return map->u.kids[2 * i + 1];
	}
	return NULL;
}

int doc_scalar_is(const doc_node *n, const char *s)
{
	return n && n->kind == DOC_SCALAR && strcmp(n->u.s, s) == 0;
}

int doc_is_null(const doc_node *n)
{
	const char *s;
	if (!n)
		return 1;
	if (n->kind != DOC_SCALAR || n->quoted)
		return 0;
	s = n->u.s;
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

int doc_bool(const doc_node *n, int *out)
{
	const char *s;
	if (!n || n->kind != DOC_SCALAR || n->quoted)
		return -1;
	s = n->u.s;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*out = 0;
		return 0;
	}
	return -1;
}

static int looks_int(const char *s)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o'))
		return p[2] != '\0' && s[0] != '+' && s[0] != '-';
	if (!*p)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

int doc_int(const doc_node *n, int lenient, long long *out)
{
	const char *s;
	char *end;
	long long v;
	int base = 10;
	if (!n || n->kind != DOC_SCALAR || (n->quoted && !lenient))
		return -1;
	s = n->u.s;
	if (!looks_int(s)) {
		/* 3.0 is an integer value written as a float: accept it */
		double d;
		if (doc_double(n, lenient, &d) == 0 && d == floor(d) && fabs(d) < 9.0e15) {
			*out = (long long)d;
			return 0;
		}
		return -1;
	}
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'o') {
		base = 8;
		s += 2;
	}
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno == ERANGE || *end)
		return -2;
	*out = v;
	return 0;
}

int doc_double(const doc_node *n, int lenient, double *out)
{
	const char *s, *p;
	char *end;
	double v;
	int digits = 0;
	if (!n || n->kind != DOC_SCALAR || (n->quoted && !lenient))
		return -1;
	s = n->u.s;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") || !strcmp(s, "+.inf")) {
		*out = HUGE_VAL;
		return 0;
	}
	if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF")) {
		*out = -HUGE_VAL;
		return 0;
	}
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		*out = NAN;
		return 0;
	}
	/* only decimal notation: strtod would also take "inf", "0x1p3", "nan" */
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+-.eE", *p))
			return -1;
	}
	if (!digits)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (*end)
		return -1;
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return -2;
	*out = v;
	return 0;
}

const char *doc_str(const doc_node *n)
{
	if (!n || n->kind != DOC_SCALAR || doc_is_null(n))
		return NULL;
	return n->u.s;
}

int doc_next_item(const char **pos, const char *end, const char **item, size_t *len)
{
	const char *p = *pos;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *a = p, *b = comma ? comma : end;
		p = comma ? comma + 1 : end;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			*pos = p;
			*item = a;
			*len = (size_t)(b - a);
			return 1;
		}
	}
	*pos = p;
	return 0;
}

const char *doc_type_name(const doc_node *n)
{
	long long i;
	double d;
	int b;
	if (!n || doc_is_null(n))
		return "null";
	if (n->kind == DOC_MAP)
		return "mapping";
	if (n->kind == DOC_SEQ)
		return "sequence";
	if (n->quoted)
		return "string";
	if (doc_bool(n, &b) == 0)
		return "boolean";
	if (looks_int(n->u.s) || doc_int(n, 0, &i) == 0)
		return "integer";
	if (doc_double(n, 0, &d) == 0)
		return "number";
	return "string";
}
