/*
 * load_json.c - JSON text -> doc tree, through jansson.
 *
 * jansson validates the text, rejects duplicate keys and decodes strings,
 * but keeps no positions. So the tree is built by walking jansson's values
 * and the text side by side: a small cursor skips over the (already
 * validated) text, recording the line and column where each value starts,
 * while jansson supplies decoded strings. Objects are walked in insertion
 * order, which jansson has kept since 2.8. Numbers keep their source text
 * (plain scalars), strings are quoted scalars: the same typing rules as YAML.
 */
#include <jansson.h>

#include "doc.h"

#include <stdio.h>

typedef struct {
	const char *p, *end;
	uint32_t line, col;
	doc_stream *ds;
	unsigned max_depth;
} cursor;

static void adv(cursor *c)
{
	if (*c->p == '\n') {
		c->line++;
		c->col = 1;
	} else if (((unsigned char)*c->p & 0xC0) != 0x80) {
		c->col++;   /* columns count characters, not UTF-8 continuation bytes */
	}
	c->p++;
}

static void skip_ws(cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		adv(c);
}

static void skip_string(cursor *c)
{
	adv(c); /* opening quote */
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\')
			adv(c);
		if (c->p < c->end)
			adv(c);
	}
	if (c->p < c->end)
		adv(c);
}

static doc_node *mk(cursor *c, doc_kind k, uint32_t line, uint32_t col)
{
	doc_node *n = dc_arena_alloc(&c->ds->arena, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)k;
	n->line = line;
	n->col = col;
	n->weight = 1;
	return n;
}

/* Recursion is bounded by max_depth (checked before descending). */
static int conv(cursor *c, json_t *v, unsigned depth, doc_node **out, dc_diags *diags)
{
	uint32_t line, col;
	doc_node *n;
	skip_ws(c);
	line = c->line;
	col = c->col;
	if (depth > c->max_depth) {
		dc_diags_add(diags, DC_SEV_ERROR, c->ds->file, line, col,
			     "nesting deeper than %u levels (see --input-limit depth)", c->max_depth);
		return DC_ELIMIT;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t cnt = json_object_size(v), i = 0;
		void *it;
		n = mk(c, DOC_MAP, line, col);
		if (!n || !(n->u.kids = dc_arena_alloc(&c->ds->arena, (2 * cnt + 1) * sizeof(doc_node *))))
			return DC_ENOMEM;
		adv(c); /* { */
		for (it = json_object_iter(v); it; it = json_object_iter_next(v, it), i++) {
			doc_node *key;
			const char *ks = json_object_iter_key(it);
			int rc;
			skip_ws(c);
			if (*c->p == ',') {
				adv(c);
				skip_ws(c);
			}
			key = mk(c, DOC_SCALAR, c->line, c->col);
			if (!key)
				return DC_ENOMEM;
			key->quoted = 1;
			key->n = (uint32_t)strlen(ks);
			key->u.s = dc_arena_strndup(&c->ds->arena, ks, key->n);
			if (!key->u.s)
				return DC_ENOMEM;
			skip_string(c);
			skip_ws(c);
			adv(c); /* : */
			n->u.kids[2 * i] = key;
			rc = conv(c, json_object_iter_value(it), depth + 1, &n->u.kids[2 * i + 1], diags);
			if (rc)
				return rc;
			/* release each subtree once converted: peak memory is then about
			 * one tree, not jansson's and ours side by side */
			json_object_iter_set_new(v, it, json_null());
			n->weight += 1 + n->u.kids[2 * i + 1]->weight;
		}
		n->n = (uint32_t)cnt;
		skip_ws(c);
		adv(c); /* } */
		break;
	}
	case JSON_ARRAY: {
		size_t cnt = json_array_size(v), i;
		n = mk(c, DOC_SEQ, line, col);
		if (!n || !(n->u.kids = dc_arena_alloc(&c->ds->arena, (cnt + 1) * sizeof(doc_node *))))
			return DC_ENOMEM;
		adv(c); /* [ */
		for (i = 0; i < cnt; i++) {
			int rc;
			skip_ws(c);
			if (*c->p == ',')
				adv(c);
			rc = conv(c, json_array_get(v, i), depth + 1, &n->u.kids[i], diags);
			if (rc)
				return rc;
			json_array_set_new(v, i, json_null());
			n->weight += n->u.kids[i]->weight;
		}
		n->n = (uint32_t)cnt;
		skip_ws(c);
		adv(c); /* ] */
		break;
	}
	case JSON_STRING:
		n = mk(c, DOC_SCALAR, line, col);
		if (!n)
			return DC_ENOMEM;
		n->quoted = 1;
		n->n = (uint32_t)json_string_length(v);
		n->u.s = dc_arena_strndup(&c->ds->arena, json_string_value(v), n->n);
		if (!n->u.s)
			return DC_ENOMEM;
		skip_string(c);
		break;
	default: {
		/* number, true, false, null: keep the source text as a plain scalar */
		const char *start = c->p;
		while (c->p < c->end && !strchr(" \t\r\n,]}", *c->p))
			adv(c);
		n = mk(c, DOC_SCALAR, line, col);
		if (!n)
			return DC_ENOMEM;
		n->n = (uint32_t)(c->p - start);
		n->u.s = dc_arena_strndup(&c->ds->arena, start, n->n);
		if (!n->u.s)
			return DC_ENOMEM;
		break;
	}
	}
	*out = n;
	return 0;
}

int doc_parse_json(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
		   dc_diags *diags)
{
	json_error_t err;
	json_t *root;
	cursor c;
	doc_node *n = NULL;
	int rc;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	/* jansson out of memory is not a syntax error: it says so, or (its
	 * lexer's buffer, 2.14) fails without any message */
	if (!root && (json_error_code(&err) == json_error_out_of_memory || !err.text[0]))
		return DC_ENOMEM;
	if (!root) {
		dc_diags_add(diags, DC_SEV_ERROR, ds->file, err.line > 0 ? (unsigned)err.line : 1,
			     err.column > 0 ? (unsigned)err.column : 1, "JSON syntax error: %s", err.text);
		return DC_EPARSE;
	}
	c.p = buf;
	c.end = buf + len;
	c.line = 1;
	c.col = 1;
	c.ds = ds;
	c.max_depth = lim->max_depth;
	/* a UTF-8 byte order mark is not a character of the document */
	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF)
		c.p += 3;
	rc = conv(&c, root, 0, &n, diags);
	json_decref(root);
	if (rc == DC_ENOMEM)
		dc_diags_add(diags, DC_SEV_ERROR, ds->file, 0, 0, "out of memory");
	if (rc)
		return rc;
	if (dc_vec_push(&ds->docs, n))
		return DC_ENOMEM;
	return 0;
}
