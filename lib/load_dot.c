/*
 * load_dot.c - DOT graphs as catalogs (docs/inputs.md), through cgraph
 * (part of the Graphviz bridge: only this file and export_dot.c include
 * <cgraph.h>).
 *
 * Nodes are services named by their DOT id; node attributes are the native
 * keys (tier, owner, zones as "a,b", ...). `a -> b` means a depends on b;
 * edge attributes kind (hard|soft), timeout_ms, retries, stage, startup (true|false) and any_of=N
 * (edges of one source with the same N form one any_of group). This is
 * exactly what export_dot.c writes, so `export -f dot` reads back. Graphviz
 * drawing attributes (label, shape, color, ...) are ignored silently; any
 * other attribute is warned about once. Undirected graphs are refused: an
 * edge without a direction says nothing about who depends on whom.
 *
 * The idea: cgraph does the real parsing (the grammar, defaults from
 * `node [..]`/`edge [..]`, subgraphs, ports, escapes) but keeps no source
 * positions. A small lexer over the same text records where each node id
 * first appears and where each edge's tail token stands, so services and
 * dependencies still get real line:column. It understands enough of the
 * grammar to tell a node id from an attribute name or value, a port, a graph
 * or subgraph name; what it cannot place falls back to the tail node's
 * position, then to 1:1. It runs in time linear in the input plus the edges
 * it records (capped at a multiple of the token count, for `{many} ->
 * {many}` products).
 *
 * Services come in cgraph's node order (first appearance in the text);
 * each service's dependencies in the order their edges were written
 * (cgraph itself orders out-edges by head node, so they are re-sorted).
 *
 * Threads: cgraph parses with process-wide state (its scanner, the error
 * callback and level, set and restored around the parse), and its messages
 * reach a callback without a context argument, so they are collected in a
 * static buffer. One lock (gv_lock) serialises that whole section: DOT files
 * may be loaded from several threads (into different catalogs) at once. It
 * cannot guard Graphviz calls made elsewhere in the process (catalog.h says
 * so). Limits: only the first graph of a file is read. A cluster's label is
 * not used as the system.
 */
#include <graphviz/cgraph.h>

#include "load_attrs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* cgraph's scanner reset (lib/cgraph/cghdr.h, not installed) */
extern void aglexbad(void);

/* ---- Graphviz attributes that only affect drawing --------------------------- */

static const char *const gv_attrs[] = {
	"_background", "area", "arrowhead", "arrowsize", "arrowtail", "bb", "bgcolor", "center",
	"charset", "class", "cluster", "clusterrank", "color", "colorscheme", "comment", "compound",
	"concentrate", "constraint", "Damping", "decorate", "defaultdist", "dim", "dimen", "dir",
	"diredgeconstraints", "distortion", "dpi", "edgehref", "edgetarget", "edgetooltip",
	"edgeURL", "epsilon", "esep", "fillcolor", "fixedsize", "fontcolor", "fontname",
	"fontnames", "fontpath", "fontsize", "forcelabels", "gradientangle", "group", "head_lp",
	"headclip", "headhref", "headlabel", "headport", "headtarget", "headtooltip", "headURL",
	"height", "href", "id", "image", "imagepath", "imagepos", "imagescale", "inputscale", "K",
	"key", "label", "label_scheme", "labelangle", "labeldistance", "labelfloat",
	"labelfontcolor", "labelfontname", "labelfontsize", "labelhref", "labeljust", "labelloc",
	"labeltarget", "labeltooltip", "labelURL", "landscape", "layer", "layerlistsep", "layers",
	"layerselect", "layersep", "layout", "len", "levels", "levelsgap", "lhead", "lheight",
	"linelength", "lp", "ltail", "lwidth", "margin", "maxiter", "mclimit", "mindist", "minlen",
	"mode", "model", "newrank", "nodesep", "nojustify", "normalize", "notranslate", "nslimit",
	"nslimit1", "oneblock", "ordering", "orientation", "outputorder", "overlap",
	"overlap_scaling", "overlap_shrink", "pack", "packmode", "pad", "page", "pagedir",
	"pencolor", "penwidth", "peripheries", "pin", "pos", "quadtree", "quantum", "rank",
	"rankdir", "ranksep", "ratio", "rects", "regular", "remincross", "repulsiveforce",
	"resolution", "root", "rotate", "rotation", "samehead", "sametail", "samplepoints",
	"scale", "searchsize", "sep", "shape", "shapefile", "showboxes", "sides", "size", "skew",
	"smoothing", "sortv", "splines", "start", "style", "stylesheet", "tail_lp", "tailclip",
	"tailhref", "taillabel", "tailport", "tailtarget", "tailtooltip", "tailURL", "target",
	"TBbalance", "tooltip", "truecolor", "URL", "vertices", "viewport", "voro_margin",
	"weight", "width", "xdotversion", "xlabel", "xlp", "z", NULL
};

static int is_gv_attr(const char *name)
{
	const char *const *p;
	for (p = gv_attrs; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return 0;
}

/* ---- the position lexer -------------------------------------------------------- */

enum {
	T_ID,      /* plain id or numeral: may be a keyword */
	T_QID,     /* "quoted" */
	T_HTML,    /* <html> */
	T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_SEMI, T_COMMA, T_EQ, T_COLON, T_EDGEOP, T_PLUS,
	T_OTHER
};

typedef struct {
	uint8_t type;
	uint32_t line, col;
	uint32_t off, len;     /* text span in the buffer (inside the quotes or angle brackets) */
} tok_t;

typedef struct {
	uint32_t name;         /* id in pos_t.names */
	uint32_t line, col;
} occ_t;

typedef struct {
	uint32_t line, col;
	uint32_t next;         /* next occurrence of the same (tail, head), UINT32_MAX = none */
} edge_occ_t;

typedef struct {
	DC_VEC(tok_t) toks;
	dc_strtab names;           /* node names as cgraph sees them */
	u32_vec first_line, first_col;   /* by name id: first occurrence as a node id */
	DC_VEC(occ_t) occ;         /* node-id occurrences in order */
	dc_strtab pairs;           /* (tail id, head id) as 8 bytes */
	u32_vec pair_head, pair_tail, pair_cur;   /* by pair id: chain of edge_occ_t */
	DC_VEC(edge_occ_t) eocc;
	size_t max_eocc;
	uint32_t graph_line, graph_col;  /* the graph/digraph keyword */
	uint32_t unterminated_line, unterminated_col;  /* first unterminated string, if any */
	DC_VEC(char) scratch;
	uint64_t implied_edges;    /* edges the statements expand to ({a b} -> {c d} is 4) */
	uint32_t long_string_line, long_string_col;  /* a string over DOT_MAX_STRING_LINES */
	int oom;
} pos_t;

/* Safety limits: tokens cost 20 bytes each, and edge groups multiply. */
#define DOT_MAX_BYTES (256u << 20)
#define DOT_MAX_STRING_LINES 1000u

static int is_id_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch >= 0x80;
}

static void push_tok(pos_t *p, uint8_t type, uint32_t line, uint32_t col, size_t off, size_t len)
{
	tok_t t;
	t.type = type;
	t.line = line;
	t.col = col;
	t.off = (uint32_t)off;
	t.len = (uint32_t)len;
	if (dc_vec_push(&p->toks, t))
		p->oom = 1;
}

/* Split the text into tokens with positions. Never fails on bad input: an
 * unterminated string or comment just ends the token stream. */
static void lex(pos_t *p, const char *buf, size_t len)
{
	size_t i = 0, line_start = 0;
	uint32_t line = 1;
#define COL(at) ((uint32_t)((at) - line_start + 1))
#define NEWLINE(at) do { line++; line_start = (at) + 1; } while (0)
	while (i < len && !p->oom) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch == '\n') {
			NEWLINE(i);
			i++;
		} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
			i++;
		} else if (ch == '#' && i == line_start) {
			/* preprocessor output line */
			while (i < len && buf[i] != '\n')
				i++;
		} else if (ch == '/' && i + 1 < len && buf[i + 1] == '/') {
			while (i < len && buf[i] != '\n')
				i++;
		} else if (ch == '/' && i + 1 < len && buf[i + 1] == '*') {
			i += 2;
			while (i < len && !(buf[i] == '*' && i + 1 < len && buf[i + 1] == '/')) {
				if (buf[i] == '\n')
					NEWLINE(i);
				i++;
			}
			i = i < len ? i + 2 : len;
		} else if (ch == '"') {
			uint32_t l0 = line, c0 = COL(i);
			size_t start = ++i;
			while (i < len && buf[i] != '"') {
				if (buf[i] == '\\' && i + 1 < len)
					i++;
				if (buf[i] == '\n')
					NEWLINE(i);
				i++;
			}
			/* cgraph's scanner takes quadratic time over a string that
			 * spans many lines: refuse those before it sees them */
			if (line - l0 > DOT_MAX_STRING_LINES && !p->long_string_line) {
				p->long_string_line = l0;
				p->long_string_col = c0;
			}
			if (i >= len) {
				if (!p->unterminated_line) {
					p->unterminated_line = l0;
					p->unterminated_col = c0;
				}
				break;
			}
			push_tok(p, T_QID, l0, c0, start, i - start);
			i++;
		} else if (ch == '<') {
			uint32_t l0 = line, c0 = COL(i);
			size_t start = ++i;
			unsigned depth = 1;
			while (i < len) {
				if (buf[i] == '<')
					depth++;
				else if (buf[i] == '>' && --depth == 0)
					break;
				else if (buf[i] == '\n')
					NEWLINE(i);
				i++;
			}
			if (i >= len)
				break;
			push_tok(p, T_HTML, l0, c0, start, i - start);
			i++;
		} else if (ch == '-' && i + 1 < len && (buf[i + 1] == '>' || buf[i + 1] == '-')) {
			push_tok(p, T_EDGEOP, line, COL(i), i, 2);
			i += 2;
		} else if (is_id_char(ch) || (ch == '-' && i + 1 < len &&
					      (buf[i + 1] == '.' || (buf[i + 1] >= '0' && buf[i + 1] <= '9')))) {
			size_t start = i++;
			while (i < len && is_id_char((unsigned char)buf[i]))
				i++;
			push_tok(p, T_ID, line, COL(start), start, i - start);
		} else {
			uint8_t type = ch == '{' ? T_LBRACE : ch == '}' ? T_RBRACE : ch == '[' ? T_LBRACK
				: ch == ']' ? T_RBRACK : ch == ';' ? T_SEMI : ch == ',' ? T_COMMA
				: ch == '=' ? T_EQ : ch == ':' ? T_COLON : ch == '+' ? T_PLUS : T_OTHER;
			push_tok(p, type, line, COL(i), i, 1);
			i++;
		}
	}
#undef COL
#undef NEWLINE
}

static int is_keyword(const char *buf, const tok_t *t, const char *kw)
{
	size_t n = strlen(kw);
	return t->type == T_ID && t->len == n && strncasecmp(buf + t->off, kw, n) == 0;
}

static int is_id(const tok_t *t)
{
	return t->type == T_ID || t->type == T_QID || t->type == T_HTML;
}

/* Append a token's text as cgraph sees it: in quoted strings `\"` is a quote
 * and backslash-newline disappears; every other escape stays as written. */
static void append_text(pos_t *p, const char *buf, const tok_t *t)
{
	const char *s = buf + t->off, *e = s + t->len;
	if (t->type != T_QID) {
		if (t->len == 0)
			return; /* `<>`: nothing to copy (and scratch may still be NULL) */
		if (dc_vec_reserve(&p->scratch, t->len)) {
			p->oom = 1;
			return;
		}
		memcpy(p->scratch.items + p->scratch.len, s, t->len);
		p->scratch.len += t->len;
		return;
	}
	while (s < e) {
		if (s[0] == '\\' && s + 1 < e && s[1] == '"') {
			s++;
		} else if (s[0] == '\\' && s + 1 < e && (s[1] == '\n' || s[1] == '\r')) {
			s += 2;
			if (s[-1] == '\r' && s < e && *s == '\n')
				s++;
			continue;
		}
		if (dc_vec_push(&p->scratch, *s)) {
			p->oom = 1;
			return;
		}
		s++;
	}
}

/* Read an id starting at toks[*i], with `"a" + "b"` concatenation; returns
 * its name id (0 on out-of-memory) and leaves *i after it. */
static uint32_t read_id(pos_t *p, const char *buf, size_t *i)
{
	const tok_t *t = p->toks.items;
	size_t n = p->toks.len;
	uint32_t id;
	p->scratch.len = 0;
	append_text(p, buf, &t[*i]);
	(*i)++;
	while (t[*i - 1].type == T_QID && *i + 1 < n && t[*i].type == T_PLUS && t[*i + 1].type == T_QID) {
		append_text(p, buf, &t[*i + 1]);
		*i += 2;
	}
	if (p->oom)
		return 0;
	id = dc_strtab_intern(&p->names, p->scratch.items ? p->scratch.items : "", p->scratch.len);
	if (!id) {
		p->oom = 1;
		return 0;
	}
	return id;
}

static void note_node(pos_t *p, uint32_t name, const tok_t *t)
{
	occ_t o;
	if (p->first_line.len <= name) {
		size_t need = (size_t)name + 1 - p->first_line.len;
		if (dc_vec_reserve(&p->first_line, need) || dc_vec_reserve(&p->first_col, need)) {
			p->oom = 1;
			return;
		}
		while (p->first_line.len <= name) {
			p->first_line.items[p->first_line.len++] = 0;
			p->first_col.items[p->first_col.len++] = 0;
		}
	}
	if (!p->first_line.items[name]) {
		p->first_line.items[name] = t->line;
		p->first_col.items[name] = t->col;
	}
	o.name = name;
	o.line = t->line;
	o.col = t->col;
	if (dc_vec_push(&p->occ, o))
		p->oom = 1;
}

static void note_edge(pos_t *p, const occ_t *tail, const occ_t *head)
{
	uint32_t key[2], id;
	edge_occ_t e;
	if (p->eocc.len >= p->max_eocc)
		return;
	key[0] = tail->name;
	key[1] = head->name;
	id = dc_strtab_intern(&p->pairs, (const char *)key, sizeof(key));
	if (!id) {
		p->oom = 1;
		return;
	}
	e.line = tail->line;
	e.col = tail->col;
	e.next = UINT32_MAX;
	while (id >= p->pair_head.len) {
		/* ids are dense (from 1): at most two pushes */
		if (dc_vec_push(&p->pair_head, UINT32_MAX) || dc_vec_push(&p->pair_tail, UINT32_MAX) ||
		    dc_vec_push(&p->pair_cur, UINT32_MAX)) {
			p->oom = 1;
			return;
		}
	}
	if (p->pair_head.items[id] == UINT32_MAX) {
		p->pair_head.items[id] = p->pair_cur.items[id] = (uint32_t)p->eocc.len;
	} else {
		p->eocc.items[p->pair_tail.items[id]].next = (uint32_t)p->eocc.len;
	}
	p->pair_tail.items[id] = (uint32_t)p->eocc.len;
	if (dc_vec_push(&p->eocc, e))
		p->oom = 1;
}

typedef struct {
	size_t occ_start;          /* first occurrence inside the braces */
	size_t prev_s, prev_e;     /* the enclosing statement's state, restored at `}` */
	int has_prev, pending;
} frame_t;

/* Walk the tokens: node ids, edge operands (an id or a `{...}` group), edges. */
static void scan_structure(pos_t *p, const char *buf)
{
	const tok_t *t;
	size_t i = 0, n, prev_s = 0, prev_e = 0;
	int has_prev = 0, pending = 0, expect_name = 0;
	DC_VEC(frame_t) stack = {0};

	n = p->toks.len;
	t = p->toks.items;
	p->max_eocc = 4 * n + 1024;
	while (i < n && !p->oom) {
		const tok_t *k = &t[i];
		size_t s, e, a, b;
		if (k->type == T_LBRACK) {
			/* attribute list: names and values, never node ids */
			while (i < n && t[i].type != T_RBRACK)
				i++;
			i++;
			expect_name = 0;
			continue;
		}
		if (k->type == T_ID && (is_keyword(buf, k, "graph") || is_keyword(buf, k, "digraph"))) {
			if (!p->graph_line) {
				p->graph_line = k->line;
				p->graph_col = k->col;
			}
			expect_name = 1;  /* `digraph NAME {` */
			has_prev = pending = 0;
			i++;
			continue;
		}
		if (k->type == T_ID && is_keyword(buf, k, "subgraph")) {
			expect_name = 1;
			i++;
			continue;
		}
		if (k->type == T_ID && (is_keyword(buf, k, "node") || is_keyword(buf, k, "edge") ||
					is_keyword(buf, k, "strict"))) {
			has_prev = pending = 0;
			i++;
			continue;
		}
		if (is_id(k)) {
			if (expect_name) {
				expect_name = 0;
				(void)read_id(p, buf, &i);
				continue;
			}
			if (i + 1 < n && t[i + 1].type == T_EQ) {
				/* `name = value` */
				i += 2;
				if (i < n && is_id(&t[i]))
					(void)read_id(p, buf, &i);
				has_prev = pending = 0;
				continue;
			}
			{
				uint32_t name = read_id(p, buf, &i);
				if (!name)
					break;
				note_node(p, name, k);
			}
			/* ports: a:p or a:p:compass */
			while (i + 1 < n && t[i].type == T_COLON && is_id(&t[i + 1])) {
				i++;
				(void)read_id(p, buf, &i);
			}
			s = p->occ.len - 1;
			e = p->occ.len;
		} else if (k->type == T_LBRACE) {
			frame_t f;
			f.occ_start = p->occ.len;
			f.prev_s = prev_s;
			f.prev_e = prev_e;
			f.has_prev = has_prev;
			f.pending = pending;
			if (dc_vec_push(&stack, f)) {
				p->oom = 1;
				break;
			}
			has_prev = pending = expect_name = 0;
			i++;
			continue;
		} else if (k->type == T_RBRACE) {
			frame_t f;
			i++;
			expect_name = 0;
			if (!stack.len) {
				has_prev = pending = 0;
				continue;
			}
			f = stack.items[--stack.len];
			prev_s = f.prev_s;
			prev_e = f.prev_e;
			has_prev = f.has_prev;
			pending = f.pending;
			s = f.occ_start;
			e = p->occ.len;
		} else {
			if (k->type == T_EDGEOP)
				pending = has_prev;
			else if (k->type == T_SEMI || k->type == T_COMMA || k->type == T_EQ)
				has_prev = pending = 0;
			expect_name = 0;
			i++;
			continue;
		}
		/* an operand [s, e) completed */
		expect_name = 0;
		if (pending && has_prev)
			p->implied_edges += (uint64_t)(prev_e - prev_s) * (uint64_t)(e - s);
		if (pending && has_prev)
			for (a = prev_s; a < prev_e && p->eocc.len < p->max_eocc; a++)
				for (b = s; b < e && p->eocc.len < p->max_eocc; b++)
					note_edge(p, &p->occ.items[a], &p->occ.items[b]);
		pending = 0;
		has_prev = e > s;
		prev_s = s;
		prev_e = e;
	}
	dc_vec_free(&stack);
}

static void pos_free(pos_t *p)
{
	dc_vec_free(&p->toks);
	dc_strtab_free(&p->names);
	dc_vec_free(&p->first_line);
	dc_vec_free(&p->first_col);
	dc_vec_free(&p->occ);
	dc_strtab_free(&p->pairs);
	dc_vec_free(&p->pair_head);
	dc_vec_free(&p->pair_tail);
	dc_vec_free(&p->pair_cur);
	dc_vec_free(&p->eocc);
	dc_vec_free(&p->scratch);
}

/* First position of a node id, or 1:1. */
static void node_pos(const pos_t *p, const char *name, uint32_t *line, uint32_t *col)
{
	uint32_t id = dc_strtab_lookup(&p->names, name, strlen(name));
	*line = *col = 1;
	if (id && id < p->first_line.len && p->first_line.items[id]) {
		*line = p->first_line.items[id];
		*col = p->first_col.items[id];
	}
}

/* Position of the next cgraph edge tail -> head: the k-th recorded
 * statement for the k-th parallel edge; else the tail's position. */
static void edge_pos(pos_t *p, const char *tail, const char *head, uint32_t *line, uint32_t *col)
{
	uint32_t key[2], id, cur;
	key[0] = dc_strtab_lookup(&p->names, tail, strlen(tail));
	key[1] = dc_strtab_lookup(&p->names, head, strlen(head));
	id = key[0] && key[1] ? dc_strtab_lookup(&p->pairs, (const char *)key, sizeof(key)) : 0;
	if (!id || id >= p->pair_cur.len) {
		node_pos(p, tail, line, col);
		return;
	}
	cur = p->pair_cur.items[id];
	*line = p->eocc.items[cur].line;
	*col = p->eocc.items[cur].col;
	if (p->eocc.items[cur].next != UINT32_MAX)
		p->pair_cur.items[id] = p->eocc.items[cur].next;
}

/* ---- cgraph errors ---------------------------------------------------------------
 * cgraph hands its messages to a process-wide callback in pieces ("Error",
 * ": ", text); collect them so that nothing reaches stderr. The callback has
 * no context argument, so the buffer is static: it, and cgraph's own global
 * parser state, are only touched under gv_lock. */

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static char gv_msg[1024];
static size_t gv_used;

static int gv_collect(char *m)
{
	size_t n = strlen(m);
	if (n > sizeof(gv_msg) - 1 - gv_used)
		n = sizeof(gv_msg) - 1 - gv_used;
	memcpy(gv_msg + gv_used, m, n);
	gv_used += n;
	gv_msg[gv_used] = '\0';
	return 0;
}

/* Turn "Error: syntax error in line 3 near '->'" into a diagnostic at
 * 3:COL, COL being the column of the offending token when that token
 * occurs once on the line (else the line's first token: cgraph does not say
 * which of several it means). */
static void syntax_error(load_ctx *c, const pos_t *p, const char *buf)
{
	char msg[sizeof(gv_msg)], *s = gv_msg, *nl, *in;
	unsigned long line = 0;
	uint32_t col = 1;
	doc_node at;
	if (!strncmp(s, "Error: ", 7))
		s += 7;
	else if (!strncmp(s, "Warning: ", 9))
		s += 9;
	/* drop a "FILE: " prefix (set by a `# line "file"` directive) */
	if (strstr(s, "syntax error"))
		s = strstr(s, "syntax error");
	snprintf(msg, sizeof(msg), "%s", s);
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if ((in = strstr(msg, " in line ")) != NULL) {
		char *end;
		line = strtoul(in + 9, &end, 10);
		memmove(in, end, strlen(end) + 1);
	}
	if (strstr(msg, "quoted string") && p->unterminated_line) {
		line = p->unterminated_line;
		col = p->unterminated_col;
	} else if (line) {
		const char *near = strstr(msg, "near '");
		if (near) {
			const char *q = near + 6, *qe = strrchr(q, '\'');
			size_t nlen = qe && qe > q ? (size_t)(qe - q) : 0, i, found = 0;
			uint32_t line_col = 0;
			for (i = 0; nlen && i < p->toks.len; i++) {
				const tok_t *t = &p->toks.items[i];
				if (t->line == line && !line_col)
					line_col = t->col;
				if (t->line == line && t->len == nlen && !memcmp(buf + t->off, q, nlen)) {
					if (found++ == 0)
						col = t->col;
				}
			}
			/* ambiguous: the start of the line's first token */
			if (found != 1)
				col = line_col ? line_col : 1;
		}
	}
	memset(&at, 0, sizeof(at));
	at.line = line ? (uint32_t)line : 1;
	at.col = col;
	if (!strncmp(msg, "syntax error", 12))
		ctx_diag(c, DC_SEV_ERROR, &at, "DOT syntax error%s", msg + 12);
	else
		ctx_diag(c, DC_SEV_ERROR, &at, "DOT syntax error: %s", msg[0] ? msg : "cannot parse the graph");
}

/* ---- attributes -------------------------------------------------------------------- */

enum { ATTR_UNKNOWN = 0, ATTR_DRAWING, ATTR_WARNED };

typedef struct {
	Agsym_t *sym;
	int cls;
} sym_ent;

typedef DC_VEC(sym_ent) sym_vec;

static int list_syms(Agraph_t *g, int kind, sym_vec *out)
{
	Agsym_t *sym = NULL;
	while ((sym = agnxtattr(g, kind, sym)) != NULL) {
		sym_ent e;
		e.sym = sym;
		e.cls = is_gv_attr(sym->name) ? ATTR_DRAWING : ATTR_UNKNOWN;
		if (dc_vec_push(out, e))
			return DC_ENOMEM;
	}
	return 0;
}

static int parse_uint(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;
	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

typedef struct {
	uint32_t value;   /* interned any_of value */
	uint32_t group;
} group_ent;

typedef struct {
	load_ctx *c;
	pos_t *pos;
	dc_arena arena;          /* synthesized scalars */
	sym_vec nsyms, esyms;
	DC_VEC(group_ent) groups;/* any_of groups of the current source */
	DC_VEC(Agedge_t *) edges;/* out-edges of the current source */
} dot_ctx;

static int cmp_edge_seq(const void *a, const void *b)
{
	uint64_t x = AGSEQ(*(Agedge_t *const *)a), y = AGSEQ(*(Agedge_t *const *)b);
	return x < y ? -1 : x > y;
}

static void load_node_attrs(dot_ctx *d, Agnode_t *n, dc_id id, uint32_t line, uint32_t col)
{
	size_t i;
	for (i = 0; i < d->nsyms.len; i++) {
		sym_ent *e = &d->nsyms.items[i];
		const char *val = agxget(n, e->sym);
		doc_node *v, at;
		if (!val || !*val || e->cls == ATTR_DRAWING)
			continue;
		v = ctx_scalar(d->c, &d->arena, val, line, col);
		if (!v)
			return;
		v->quoted = 1; /* every DOT value is a string: "true" is a name, not a boolean */
		if (attr_set(d->c, id, e->sym->name, v, 1))
			continue;
		if (e->cls == ATTR_UNKNOWN) {
			memset(&at, 0, sizeof(at));
			at.line = line;
			at.col = col;
			ctx_diag(d->c, DC_SEV_WARNING, &at, "unknown node attribute '%s' (on '%s'): "
				 "not a depcheck key or a Graphviz attribute; ignored", e->sym->name,
				 agnameof(n));
			e->cls = ATTR_WARNED;
		}
	}
}

static uint32_t any_of_group(dot_ctx *d, const char *val)
{
	uint32_t v = cat_intern(d->c->cat, val);
	size_t i;
	group_ent g;
	for (i = 0; i < d->groups.len; i++)
		if (d->groups.items[i].value == v)
			return d->groups.items[i].group;
	g.value = v;
	g.group = cat_new_group(d->c->cat);
	if (!v || dc_vec_push(&d->groups, g))
		return 0;
	return g.group;
}

static void load_edge(dot_ctx *d, Agedge_t *e, dc_id from, const char *from_name)
{
	load_ctx *c = d->c;
	const char *head = agnameof(aghead(e));
	dep_t dep;
	doc_node at;
	uint32_t line, col, t;
	size_t i;
	dep_obs_t ob;            /* observed traffic written (export -f dot after --observed) */
	int has_obs = 0;
	double ratio = -1;

	edge_pos(d->pos, from_name, head, &line, &col);
	memset(&at, 0, sizeof(at));
	at.line = line;
	at.col = col;
	t = cat_intern(c->cat, head);
	if (!t)
		return;
	cat_dep_init(&dep, from, t, ctx_loc(c, &at));
	dep.timeout_ms = c->def_timeout_ms;
	dep.retries = c->def_retries;
	dep.origin = cat_intern(c->cat, "edge");
	for (i = 0; i < d->esyms.len; i++) {
		sym_ent *se = &d->esyms.items[i];
		const char *val = agxget(e, se->sym), *key = se->sym->name;
		if (!val || !*val || se->cls == ATTR_DRAWING)
			continue;
		if (!strcmp(key, "kind")) {
			if (!strcmp(val, "hard"))
				dep.kind = DC_DEP_HARD;
			else if (!strcmp(val, "soft"))
				dep.kind = DC_DEP_SOFT;
			else
				ctx_diag(c, DC_SEV_ERROR, &at, "kind of the dependency '%s' -> '%s' must be "
					 "'hard' or 'soft', not '%s'", from_name, head, val);
		} else if (!strcmp(key, "timeout_ms") || !strcmp(key, "retries") || !strcmp(key, "stage")) {
			unsigned long max = key[0] == 't' ? 86400000ul : key[0] == 'r' ? 100ul : 1000000ul;
			uint32_t *dst = key[0] == 't' ? &dep.timeout_ms : key[0] == 'r' ? &dep.retries : &dep.stage;
			if (parse_uint(val, max, dst))
				ctx_diag(c, DC_SEV_ERROR, &at, "%s of the dependency '%s' -> '%s' must be an "
					 "integer from 0 to %lu, not '%s'", key, from_name, head, max, val);
		} else if (!strcmp(key, "any_of")) {
			dep.group = any_of_group(d, val);
		} else if (!strcmp(key, "startup")) {
			/* needed at startup only (docs/model.md, "Startup dependencies") */
			if (!strcmp(val, "true") || !strcmp(val, "false")) {
				dep.flags = (uint8_t)((dep.flags & ~DEP_STARTUP) | (val[0] == 't' ? DEP_STARTUP : 0));
				dep.startup_set = 1;
			} else {
				ctx_diag(c, DC_SEV_ERROR, &at, "startup of the dependency '%s' -> '%s' must be "
					 "true or false, not '%s'", from_name, head, val);
			}
		} else if (!strcmp(key, "observed") || !strcmp(key, "observed_calls") || !strcmp(key, "calls_per_s") ||
			   !strcmp(key, "error_ratio") || !strcmp(key, "p50_ms") || !strcmp(key, "p99_ms")) {
			/* observed traffic, as export -f dot writes it after --observed */
			char *end;
			double x = strtod(val, &end);
			if (!has_obs) {
				memset(&ob, 0, sizeof(ob));
				ob.rate = ob.p50 = ob.p99 = -1;
				has_obs = 1;
			}
			if (key[0] == 'o' && key[8] == '\0') {
				if (!strcmp(val, "true") || !strcmp(val, "false"))
					ob.only = val[0] == 't';
				else
					ctx_diag(c, DC_SEV_ERROR, &at, "observed of the dependency '%s' -> '%s' must be "
						 "true or false, not '%s'", from_name, head, val);
			} else if (end == val || *end || !(x >= 0) || x > 1e18 || (key[0] == 'e' && x > 1)) {
				ctx_diag(c, DC_SEV_ERROR, &at, "%s of the dependency '%s' -> '%s' must be a "
					 "non-negative number%s, not '%s'", key, from_name, head,
					 key[0] == 'e' ? " up to 1" : "", val);
			} else if (key[0] == 'o') {
				ob.calls = (uint64_t)x;
			} else if (key[0] == 'c') {
				ob.rate = x;
			} else if (key[0] == 'e') {
				ratio = x;
			} else if (key[1] == '5') {
				ob.p50 = x;
			} else {
				ob.p99 = x;
			}
		} else if (se->cls == ATTR_UNKNOWN) {
			ctx_diag(c, DC_SEV_WARNING, &at, "unknown edge attribute '%s' (on '%s' -> '%s'): "
				 "not a depcheck key or a Graphviz attribute; ignored", key, from_name, head);
			se->cls = ATTR_WARNED;
		}
	}
	if (has_obs) {
		ob.loc = dep.loc;
		if (ratio >= 0 && ob.calls) {
			ob.has_errors = 1;
			ob.errors = (uint64_t)(ratio * (double)ob.calls + 0.5);
		}
		if (ob.only)
			dep.origin = cat_intern(c->cat, "observed");
		if (dc_vec_push(&c->cat->dep_obs, ob)) {
			c->cat->oom = 1;
			return;
		}
		dep.obs = (uint32_t)c->cat->dep_obs.len;
	}
	ctx_add_dep(c, &dep); /* a failure is kept in c->status */
}

static int load_graph(dot_ctx *d, Agraph_t *g)
{
	load_ctx *c = d->c;
	Agnode_t *n;
	if (list_syms(g, AGNODE, &d->nsyms) || list_syms(g, AGEDGE, &d->esyms))
		return DC_ENOMEM;
	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *name = agnameof(n);
		uint32_t ref = cat_intern(c->cat, name), line, col;
		doc_node at;
		dc_id id;
		Agedge_t *e;
		size_t i;
		int rc;
		if (!ref)
			return DC_ENOMEM;
		node_pos(d->pos, name, &line, &col);
		memset(&at, 0, sizeof(at));
		at.line = line;
		at.col = col;
		rc = ctx_new_service(c, ref, &at, &id);
		if (rc == DC_ENOMEM)
			return rc;
		if (rc)
			continue; /* defined twice: reported, this definition is ignored */
		load_node_attrs(d, n, id, line, col);
		/* cgraph orders out-edges by head node, then creation: put them
		 * back in the order they were written */
		d->groups.len = 0;
		d->edges.len = 0;
		for (e = agfstout(g, n); e; e = agnxtout(g, e))
			if (dc_vec_push(&d->edges, e))
				return DC_ENOMEM;
		if (d->edges.len > 1)
			qsort(d->edges.items, d->edges.len, sizeof(Agedge_t *), cmp_edge_seq);
		for (i = 0; i < d->edges.len; i++)
			load_edge(d, d->edges.items[i], id, name);
	}
	return 0;
}

/* ---- detection and entry point -------------------------------------------------- */

static int word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(end - p) < n || strncasecmp(p, w, n) != 0)
		return 0;
	return (size_t)(end - p) == n || !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
					    (p[n] >= '0' && p[n] <= '9') || p[n] == '_');
}

/* DOT starts with `digraph`, `graph` or `strict` (after comments). */
int dot_detect(const char *buf, size_t len)
{
	/* `#` lines are comments to cgraph too */
	const char *p = ctx_skip_space(buf, buf + len, 1), *end = buf + len;
	if (word_at(p, end, "digraph") || word_at(p, end, "graph") || word_at(p, end, "strict"))
		return DETECT_MARKER;
	return DETECT_NO;
}

int load_dot(load_ctx *c, const char *buf, size_t len)
{
	agusererrf old_f;
	agerrlevel_t old_lvl;
	Agraph_t *g;
	dot_ctx d;
	pos_t p;
	char *text;
	size_t edge_limit;
	int rc = 0;

	/* a UTF-8 byte order mark, as YAML and JSON accept it: cgraph would
	 * read it as part of the first word */
	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF) {
		buf += 3;
		len -= 3;
	}
	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	if (dc_strtab_init(&p.names) || dc_strtab_init(&p.pairs)) {
		pos_free(&p);
		return DC_ENOMEM;
	}
	if (len > DOT_MAX_BYTES) {
		ctx_diag(c, DC_SEV_ERROR, NULL, "DOT input larger than %u MiB is not supported",
			 DOT_MAX_BYTES >> 20);
		pos_free(&p);
		return DC_ELIMIT;
	}
	lex(&p, buf, len);
	if (!p.oom)
		scan_structure(&p, buf);
	if (p.oom) {
		pos_free(&p);
		return DC_ENOMEM;
	}
	if (p.long_string_line) {
		doc_node at;
		memset(&at, 0, sizeof(at));
		at.line = p.long_string_line;
		at.col = p.long_string_col;
		ctx_diag(c, DC_SEV_ERROR, &at, "a quoted string spans more than %u lines", DOT_MAX_STRING_LINES);
		pos_free(&p);
		return DC_ELIMIT;
	}
	/* `{a b ...} -> {c d ...}` makes |left| x |right| edges: a few kilobytes
	 * of text could ask cgraph for billions */
	/* linear in the input (one edge per byte, at least 2,000,000), as the
	 * YAML alias budget is, never more than the dependency limit, and one
	 * budget for the catalog (cat_expand_limit): many small files do not
	 * each get their own 2,000,000 */
	edge_limit = cat_expand_limit(c->cat, c->max_deps);
	if (c->cat->expanded > edge_limit || p.implied_edges > edge_limit - c->cat->expanded) {
		doc_node at;
		memset(&at, 0, sizeof(at));
		at.line = p.graph_line ? p.graph_line : 1;
		at.col = p.graph_line ? p.graph_col : 1;
		if (c->cat->expanded)
			ctx_diag(c, DC_SEV_ERROR, &at, "the edge statements expand to %llu edges (limit %zu for "
				 "the input, %zu of it spent by other files; see --input-limit dependencies)",
				 (unsigned long long)p.implied_edges, edge_limit, c->cat->expanded);
		else
			ctx_diag(c, DC_SEV_ERROR, &at, "the edge statements expand to %llu edges (limit %zu; see --input-limit dependencies)",
				 (unsigned long long)p.implied_edges, edge_limit);
		pos_free(&p);
		return DC_ELIMIT;
	}
	c->cat->expanded += (size_t)p.implied_edges;

	/* cgraph wants a NUL-terminated string; a buffer from the API need not be */
	text = malloc(len + 1);
	if (!text) {
		pos_free(&p);
		return DC_ENOMEM;
	}
	memcpy(text, buf, len);
	text[len] = '\0';
	pthread_mutex_lock(&gv_lock);
	gv_used = 0;
	gv_msg[0] = '\0';
	old_f = agseterrf(gv_collect);
	old_lvl = agseterr(AGWARN);
	agreseterrors();
	/* cgraph 2.42 keeps the rest of the last line it read in its scanner
	 * buffer across calls: the next agmemread() would first see that text
	 * (at least a newline, so every later error line is off by one; at
	 * worst a second graph). Flush it before and after, and restart the
	 * line count. aglexbad() is exported but declared only in cgraph's
	 * private header. */
	aglexbad();
	agreadline(1);
	g = agmemread(text);
	aglexbad();
	if (!g || agerrors() > 0) {
		syntax_error(c, &p, buf);
		rc = DC_EPARSE;
	} else if (!agisdirected(g)) {
		doc_node at;
		memset(&at, 0, sizeof(at));
		at.line = p.graph_line ? p.graph_line : 1;
		at.col = p.graph_line ? p.graph_col : 1;
		ctx_diag(c, DC_SEV_ERROR, &at, "undirected graph: depcheck needs directed edges "
			 "(a -> b means a depends on b)");
		rc = DC_EPARSE;
	} else {
		d.c = c;
		d.pos = &p;
		dc_arena_init(&d.arena);
		ctx_defaults(c);
		rc = load_graph(&d, g);
		dc_arena_free(&d.arena);
	}
	if (g)
		agclose(g);
	agseterrf(old_f);
	agseterr(old_lvl);
	pthread_mutex_unlock(&gv_lock);
	free(text);
	dc_vec_free(&d.nsyms);
	dc_vec_free(&d.esyms);
	dc_vec_free(&d.groups);
	dc_vec_free(&d.edges);
	pos_free(&p);
	return rc;
}
