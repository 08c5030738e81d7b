/*
 * load_yaml.c - libyaml event stream -> doc tree.
 *
 * The only file that includes <yaml.h>. Builds the tree with an explicit
 * stack (no recursion), so nesting depth is bounded by a limit and not by
 * the C stack. Aliases point at the anchored node instead of copying it;
 * every alias and merge key charges the anchored subtree's weight to a
 * budget, which stops "billion laughs" documents early. libyaml marks are
 * 0-based: they are converted to 1-based here and nowhere else.
 */
#include <yaml.h>

#include "doc.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
	doc_node *node;
	/* Children are pushed on one vector shared by all open frames (one
	 * malloc/free per container was a visible cost on big catalogs); a
	 * frame's children are pending[base..]; `kids` views them at the end. */
	size_t base;
	struct {
		doc_node **items;
		size_t len;
	} kids;
	const char *anchor;        /* heap copy, or NULL */
	int streaming;             /* the hooked sequence: items go to the hook */
} frame;

typedef struct {
	char *name;
	doc_node *node;
} anchor_ent;
typedef DC_VEC(anchor_ent) anchor_vec;

static doc_node *new_node(doc_stream *ds, doc_kind kind, const yaml_mark_t *m)
{
	doc_node *n = dc_arena_alloc(&ds->arena, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->line = (uint32_t)m->line + 1;
	n->col = (uint32_t)m->column + 1;
	n->weight = 1;
	return n;
}

/* The local tags Compose gives a meaning; any other tag is kept as if absent. */
static uint8_t yaml_tag(const char *tag)
{
	if (!tag)
		return 0;
	if (!strcmp(tag, "!reset"))
		return DOC_TAG_RESET;
	if (!strcmp(tag, "!override"))
		return DOC_TAG_OVERRIDE;
	return 0;
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static int set_anchor(anchor_vec *anchors, const char *name, doc_node *node)
{
	size_t i;
	anchor_ent e;
	/* a later anchor with the same name shadows the earlier one */
	for (i = anchors->len; i-- > 0;)
		if (strcmp(anchors->items[i].name, name) == 0) {
			anchors->items[i].node = node;
			return 0;
		}
	e.name = strdup(name);
	e.node = node;
	if (!e.name || dc_vec_push(anchors, e)) {
		free(e.name);
		return -1;
	}
	return 0;
}

static doc_node *find_anchor(anchor_vec *anchors, const char *name)
{
	size_t i;
	for (i = anchors->len; i-- > 0;)
		if (strcmp(anchors->items[i].name, name) == 0)
			return anchors->items[i].node;
	return NULL;
}

static int is_merge_key(const doc_node *k)
{
	return k->kind == DOC_SCALAR && !k->quoted && strcmp(k->u.s, "<<") == 0;
}

static int cmp_key_ptr(const void *a, const void *b)
{
	const doc_node *x = *(doc_node *const *)a, *y = *(doc_node *const *)b;
	int c = strcmp(x->u.s, y->u.s);
	if (c)
		return c;
	/* equal keys: document order, so the later one is reported */
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

/* YAML forbids duplicate keys in a mapping but libyaml lets them through
 * (and JSON's jansson rejects them): report the second occurrence, naming
 * the first, as a syntax error. Keys brought in by merge keys ('<<') may
 * be overridden and are not checked. Sorting keeps big mappings O(n log n). */
static int check_duplicate_keys(doc_stream *ds, doc_node **kids, size_t npairs, dc_diags *diags)
{
	doc_node **keys;
	size_t i, j, n = 0;
	int rc = 0;
	if (npairs < 2)
		return 0;
	if (npairs <= 16) {
		/* fast path for the usual small mapping, without malloc and qsort:
		 * when no two keys are equal there is nothing to report; otherwise
		 * the sort below picks the diagnostic, as for big mappings */
		int dup = 0;
		for (i = 1; i < npairs && !dup; i++)
			for (j = 0; j < i; j++) {
				const doc_node *a = kids[2 * i], *b = kids[2 * j];
				if (a->kind == DOC_SCALAR && b->kind == DOC_SCALAR && a->n == b->n &&
				    strcmp(a->u.s, b->u.s) == 0) {
					dup = 1;
					break;
				}
			}
		if (!dup)
			return 0;
	}
	keys = malloc(npairs * sizeof(*keys));
	if (!keys)
		return DC_ENOMEM;
	for (i = 0; i < npairs; i++)
		if (kids[2 * i]->kind == DOC_SCALAR && !is_merge_key(kids[2 * i]))
			keys[n++] = kids[2 * i];
	qsort(keys, n, sizeof(*keys), cmp_key_ptr);
	for (i = 1; i < n; i++)
		if (keys[i]->n == keys[i - 1]->n && strcmp(keys[i]->u.s, keys[i - 1]->u.s) == 0) {
			dc_diags_add(diags, DC_SEV_ERROR, ds->file, keys[i]->line, keys[i]->col,
				     "YAML error: duplicate key '%s' in a mapping (first at line %u, column %u)",
				     keys[i]->u.s, keys[i - 1]->line, keys[i - 1]->col);
			rc = DC_EPARSE;
			break;
		}
	free(keys);
	return rc;
}

/* Expand merge keys of a finished mapping: pairs written in the mapping
 * win over merged ones; among merged sources the first wins (YAML spec). */
static int finish_map(doc_stream *ds, frame *f, size_t *budget, size_t limit,
		      dc_diags *diags)
{
	doc_node *n = f->node;
	size_t npairs = f->kids.len / 2, i, j, k, total = 0;
	int has_merge = 0, rc;
	doc_node **out;

	if ((rc = check_duplicate_keys(ds, f->kids.items, npairs, diags)))
		return rc;

	for (i = 0; i < npairs; i++) {
		doc_node *key = f->kids.items[2 * i];
		if (key->kind == DOC_SCALAR && !key->quoted && strcmp(key->u.s, "<<") == 0) {
			has_merge = 1;
			break;
		}
	}
	if (!has_merge) {
		out = dc_arena_alloc(&ds->arena, (f->kids.len ? f->kids.len : 1) * sizeof(*out));
		if (!out)
			return DC_ENOMEM;
		if (f->kids.len)
			memcpy(out, f->kids.items, f->kids.len * sizeof(*out));
		n->u.kids = out;
		n->n = (uint32_t)npairs;
		return 0;
	}

	/* collect merge sources; `keys` holds the scalar keys present so far, so
	 * that merging stays linear however big the merged mappings are */
	DC_VEC(doc_node *) pairs = {0};
	dc_strtab keys;
	if (dc_strtab_init(&keys))
		return DC_ENOMEM;
	for (i = 0; i < npairs; i++) {
		doc_node *key = f->kids.items[2 * i], *val = f->kids.items[2 * i + 1];
		if (!(key->kind == DOC_SCALAR && !key->quoted && strcmp(key->u.s, "<<") == 0)) {
			if (dc_vec_push(&pairs, key) || dc_vec_push(&pairs, val))
				goto nomem;
			if (key->kind == DOC_SCALAR && !dc_strtab_intern(&keys, key->u.s, key->n))
				goto nomem;
		}
	}
	for (i = 0; i < npairs; i++) {
		doc_node *key = f->kids.items[2 * i], *val = f->kids.items[2 * i + 1];
		doc_node *const *srcs;
		size_t nsrc;
		if (!(key->kind == DOC_SCALAR && !key->quoted && strcmp(key->u.s, "<<") == 0))
			continue;
		if (val->kind == DOC_MAP) {
			srcs = &f->kids.items[2 * i + 1];
			nsrc = 1;
		} else if (val->kind == DOC_SEQ) {
			srcs = val->u.kids;
			nsrc = val->n;
		} else {
			dc_diags_add(diags, DC_SEV_ERROR, ds->file, val->line, val->col,
				     "merge key '<<' needs a mapping or a sequence of mappings");
			continue;
		}
		for (j = 0; j < nsrc; j++) {
			doc_node *src = srcs[j];
			if (src->kind != DOC_MAP) {
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, src->line, src->col,
					     "merge key '<<' needs a mapping or a sequence of mappings");
				continue;
			}
			*budget += src->weight;
			if (*budget > limit) {
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, key->line, key->col,
					     "too many alias and merge expansions (limit %zu nodes; see --input-limit aliases)", limit);
				dc_vec_free(&pairs);
				dc_strtab_free(&keys);
				return DC_ELIMIT;
			}
			for (k = 0; k < src->n; k++) {
				doc_node *sk = src->u.kids[2 * k];
				if (sk->kind == DOC_SCALAR) {
					size_t before = dc_strtab_count(&keys);
					if (!dc_strtab_intern(&keys, sk->u.s, sk->n))
						goto nomem;
					if (dc_strtab_count(&keys) == before)
						continue; /* written in the mapping, or merged earlier */
				}
				if (dc_vec_push(&pairs, sk) || dc_vec_push(&pairs, src->u.kids[2 * k + 1]))
					goto nomem;
			}
		}
	}
	out = dc_arena_alloc(&ds->arena, (pairs.len ? pairs.len : 1) * sizeof(*out));
	if (!out)
		goto nomem;
	if (pairs.len)
		memcpy(out, pairs.items, pairs.len * sizeof(*out));
	n->u.kids = out;
	n->n = (uint32_t)(pairs.len / 2);
	for (i = 0; i < pairs.len; i++)
		total = total + pairs.items[i]->weight;
	n->weight = total + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(total + 1);
	dc_vec_free(&pairs);
	dc_strtab_free(&keys);
	return 0;
nomem:
	dc_vec_free(&pairs);
	dc_strtab_free(&keys);
	return DC_ENOMEM;
}

/* 1 when the character at (0-based) line:column is a tab preceded on its
 * line by blanks only, i.e. a tab used for indentation. Marks count
 * characters; blanks are one byte each, so the byte offset is exact. */
static int tab_in_indent(const char *buf, size_t len, size_t line, size_t column)
{
	size_t i = 0, k;
	while (line && i < len)
		if (buf[i++] == '\n')
			line--;
	for (k = 0; k < column; k++, i++)
		if (i >= len || (buf[i] != ' ' && buf[i] != '\t'))
			return 0;
	return i < len && buf[i] == '\t';
}

/* ---- the parser thread ------------------------------------------------------
 * On a big file (lim->threads >= 2, at least PIPE_MIN_BYTES, more than one
 * CPU online) libyaml's parser runs on a second thread and hands its events
 * over in batches, while this thread builds the tree (and the catalog,
 * through the hook) from them: the two halves of a load take about the same
 * time. The events are consumed in the order libyaml produced them, by the
 * same code as without the thread, so the result and every diagnostic are
 * the same.
 *
 * The batches form a ring of PIPE_NBATCH (bounded memory: the parser is at
 * most that many batches ahead). A batch belongs to the parser until it is
 * published (`produced` counts them), then to the builder until it is
 * released (`consumed`). The parser writes an event as a 20-byte record
 * and copies its strings (a scalar's text, anchors, tags) into the batch's
 * text, one after the other, and frees libyaml's at once: the builder then
 * reads two sequential blocks instead of libyaml's 104-byte events and a
 * scattered allocation per string made on the other CPU, and
 * every allocation is freed by the thread that made it, as without the
 * thread. An event whose strings do not fit (a big scalar) or that holds
 * other pointers (a document start's directives) moves whole, its strings
 * with it (`own`): it is deleted when its batch is reused, or at the end.
 * A parse error, or the end of the stream, ends the last batch the parser
 * publishes; the parser's error fields are read only after that batch
 * arrives (the mutex orders them). When the builder stops early (a limit, a
 * callback's status, out of memory) it sets `stop`, the parser finishes its
 * batch and exits, and the builder deletes every event still owned. The
 * parser thread allocates nothing of its own (libyaml's allocations only);
 * the ring is allocated (in one block) before it starts; a failure to
 * start it parses on this thread instead (the same result). */
#define PIPE_NBATCH 8
#define PIPE_TEXT 262144   /* bytes of copied strings per batch */
#define PIPE_TEXT_ROOM 256 /* a batch ends when less than this is left */
static size_t pipe_min_bytes = (size_t)1 << 20;
static size_t pipe_batch = 4096;

void doc_yaml_set_pipeline(size_t min_bytes, size_t batch_events)
{
	pipe_min_bytes = min_bytes == (size_t)-1 ? (size_t)1 << 20 : min_bytes;
	pipe_batch = batch_events ? batch_events : 4096;
}

/* An event as it crosses to the builder: its kind, where it starts, and its
 * strings in the batch's text (a scalar's value, then the anchor and the tag
 * when it has them, each NUL-terminated): 20 bytes instead of libyaml's 104,
 * read back into a yaml_event_t by pipe_next. An event kept whole (REC_OWN)
 * is in the batch's `ev` at the same index. */
enum { REC_ANCHOR = 1, REC_TAG = 2, REC_OWN = 4 };
typedef struct {
	uint32_t line, col;  /* start mark, 0-based as libyaml's (the builder keeps 32 bits) */
	uint32_t off, len;   /* strings at text + off; a scalar's length */
	uint8_t type, style, flags;
} ev_rec;

typedef struct {
	ev_rec *rec;       /* cap records */
	yaml_event_t *ev;  /* cap slots: the events kept whole */
	char *text;        /* PIPE_TEXT bytes: the copied strings */
	size_t n;          /* events in it */
	size_t tlen;       /* text used */
	int last;          /* the parser stopped after these events */
} ev_batch;

typedef struct {
	yaml_parser_t *parser;
	ev_batch b[PIPE_NBATCH];
	char *ring;                 /* one block for all the batches */
	size_t cap;                 /* events per batch */
	pthread_mutex_t mu;
	pthread_cond_t full, freed;
	size_t produced, consumed;  /* batches published / released */
	int stop;                   /* the builder needs no more events */
	/* a side that waits is woken when half the ring is ready for it, not
	 * at every batch: a thread switch per batch costs more than the
	 * batch itself on a busy machine */
	int parser_waits, builder_waits;
	pthread_t th;
	int running;
	/* the builder's side */
	ev_batch *cur;              /* the batch being read, or NULL */
	size_t next;                /* its next event */
} ev_pipe;

/* Append a string of `len` bytes and its NUL to b's text. */
static void text_put(ev_batch *b, const yaml_char_t *s, size_t len)
{
	char *d = b->text + b->tlen;
	memcpy(d, s, len);
	d[len] = '\0';
	b->tlen += len + 1;
}

static size_t slen(const yaml_char_t *s)
{
	return s ? strlen((const char *)s) + 1 : 0;
}

/* An optional anchor or tag: appended, and its flag set. */
static void opt_put(ev_batch *b, ev_rec *r, const yaml_char_t *s, uint8_t flag)
{
	if (s) {
		text_put(b, s, strlen((const char *)s));
		r->flags |= flag;
	}
}

/* Put ev in b: a record with its strings copied (and libyaml's freed), or
 * the event whole. */
static void batch_put(ev_batch *b, yaml_event_t *ev)
{
	ev_rec *r = &b->rec[b->n];
	size_t need = 0;
	int copy = 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		need = ev->data.scalar.length + 1 + slen(ev->data.scalar.anchor) + slen(ev->data.scalar.tag);
		break;
	case YAML_ALIAS_EVENT:
		need = slen(ev->data.alias.anchor);
		break;
	case YAML_SEQUENCE_START_EVENT:
		need = slen(ev->data.sequence_start.anchor) + slen(ev->data.sequence_start.tag);
		break;
	case YAML_MAPPING_START_EVENT:
		need = slen(ev->data.mapping_start.anchor) + slen(ev->data.mapping_start.tag);
		break;
	case YAML_DOCUMENT_START_EVENT:
		copy = 0; /* version and tag directives: kept whole */
		break;
	default:
		break; /* no pointers */
	}
	r->flags = 0;
	if (!copy || need > PIPE_TEXT - b->tlen) {
		b->ev[b->n++] = *ev;
		r->flags = REC_OWN;
		return;
	}
	r->type = (uint8_t)ev->type;
	r->line = (uint32_t)ev->start_mark.line;
	r->col = (uint32_t)ev->start_mark.column;
	r->off = (uint32_t)b->tlen;
	r->len = 0;
	r->style = 0;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		r->len = (uint32_t)ev->data.scalar.length; /* under PIPE_TEXT */
		r->style = (uint8_t)ev->data.scalar.style;
		text_put(b, ev->data.scalar.value, ev->data.scalar.length);
		opt_put(b, r, ev->data.scalar.anchor, REC_ANCHOR);
		opt_put(b, r, ev->data.scalar.tag, REC_TAG);
		break;
	case YAML_ALIAS_EVENT:
		opt_put(b, r, ev->data.alias.anchor, REC_ANCHOR);
		break;
	case YAML_SEQUENCE_START_EVENT:
		opt_put(b, r, ev->data.sequence_start.anchor, REC_ANCHOR);
		opt_put(b, r, ev->data.sequence_start.tag, REC_TAG);
		break;
	case YAML_MAPPING_START_EVENT:
		opt_put(b, r, ev->data.mapping_start.anchor, REC_ANCHOR);
		opt_put(b, r, ev->data.mapping_start.tag, REC_TAG);
		break;
	default:
		break;
	}
	b->n++;
	yaml_event_delete(ev);
}

/* The event of record r (the batch's text must stay until it is used). */
static void rec_event(const ev_batch *b, size_t i, yaml_event_t *ev)
{
	const ev_rec *r = &b->rec[i];
	char *t;
	yaml_char_t *anchor = NULL, *tag = NULL;
	if (r->flags & REC_OWN) {
		*ev = b->ev[i];
		return;
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = (yaml_event_type_t)r->type;
	ev->start_mark.line = r->line;
	ev->start_mark.column = r->col;
	t = b->text + r->off;
	if (r->type == YAML_SCALAR_EVENT) {
		ev->data.scalar.value = (yaml_char_t *)t;
		ev->data.scalar.length = r->len;
		ev->data.scalar.style = (yaml_scalar_style_t)r->style;
		t += r->len + 1;
	}
	if (r->flags & REC_ANCHOR) {
		anchor = (yaml_char_t *)t;
		t += strlen(t) + 1;
	}
	if (r->flags & REC_TAG)
		tag = (yaml_char_t *)t;
	switch (r->type) {
	case YAML_SCALAR_EVENT:
		ev->data.scalar.anchor = anchor;
		ev->data.scalar.tag = tag;
		break;
	case YAML_ALIAS_EVENT:
		ev->data.alias.anchor = anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		ev->data.sequence_start.anchor = anchor;
		ev->data.sequence_start.tag = tag;
		break;
	case YAML_MAPPING_START_EVENT:
		ev->data.mapping_start.anchor = anchor;
		ev->data.mapping_start.tag = tag;
		break;
	default:
		break;
	}
}

/* Delete the events of b kept whole; b is empty after. */
static void batch_clear(ev_batch *b)
{
	size_t i;
	for (i = 0; i < b->n; i++)
		if (b->rec[i].flags & REC_OWN)
			yaml_event_delete(&b->ev[i]);
	b->n = 0;
	b->tlen = 0;
	b->last = 0;
}

static void *pipe_parser(void *arg)
{
	ev_pipe *p = arg;
	for (;;) {
		ev_batch *b;
		pthread_mutex_lock(&p->mu);
		while (p->produced - p->consumed == PIPE_NBATCH && !p->stop) {
			p->parser_waits = 1;
			pthread_cond_wait(&p->freed, &p->mu);
		}
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		b = &p->b[p->produced % PIPE_NBATCH];
		pthread_mutex_unlock(&p->mu);
		batch_clear(b);
		while (b->n < p->cap && PIPE_TEXT - b->tlen >= PIPE_TEXT_ROOM) {
			yaml_event_t ev;
			int end;
			if (!yaml_parser_parse(p->parser, &ev)) {
				b->last = 1; /* the error is in the parser's fields */
				break;
			}
			end = ev.type == YAML_STREAM_END_EVENT;
			batch_put(b, &ev);
			if (end) {
				b->last = 1;
				break;
			}
		}
		pthread_mutex_lock(&p->mu);
		p->produced++;
		if (p->builder_waits && (b->last || p->produced - p->consumed >= PIPE_NBATCH / 2)) {
			p->builder_waits = 0;
			pthread_cond_signal(&p->full);
		}
		pthread_mutex_unlock(&p->mu);
		if (b->last)
			return NULL;
	}
}

static void pipe_free_ring(ev_pipe *p)
{
	size_t i;
	for (i = 0; i < PIPE_NBATCH; i++)
		batch_clear(&p->b[i]);
	free(p->ring);
	p->ring = NULL;
}

/* Start the parser thread: 0; 1 to parse on this thread (a small file, one
 * CPU, or the thread could not be started: fewer threads, the same
 * result); DC_ENOMEM when its ring cannot be allocated. */
static int pipe_start(ev_pipe *p, yaml_parser_t *parser, size_t len, const doc_limits *lim)
{
	size_t i, recb, evb;
	long cpus;
	char *m;
	if (lim->threads < 2 || len < pipe_min_bytes)
		return 1;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 2 && pipe_min_bytes)
		return 1; /* (a test forcing the pipeline runs it on one CPU too) */
	memset(p, 0, sizeof(*p));
	p->parser = parser;
	p->cap = pipe_batch;
	/* the whole ring in one block: records, events kept whole (their
	 * pages are touched only for those), text */
	recb = (p->cap * sizeof(ev_rec) + 7) & ~(size_t)7; /* the events after it: 8-aligned */
	evb = p->cap * sizeof(yaml_event_t);
	if (!(p->ring = malloc(PIPE_NBATCH * (recb + evb + PIPE_TEXT))))
		return DC_ENOMEM;
	for (i = 0, m = p->ring; i < PIPE_NBATCH; i++, m += recb + evb + PIPE_TEXT) {
		p->b[i].rec = (ev_rec *)(void *)m;
		p->b[i].ev = (yaml_event_t *)(void *)(m + recb);
		p->b[i].text = m + recb + evb;
	}
	if (pthread_mutex_init(&p->mu, NULL))
		goto undo;
	if (pthread_cond_init(&p->full, NULL)) {
		pthread_mutex_destroy(&p->mu);
		goto undo;
	}
	if (pthread_cond_init(&p->freed, NULL)) {
		pthread_cond_destroy(&p->full);
		pthread_mutex_destroy(&p->mu);
		goto undo;
	}
	if (pthread_create(&p->th, NULL, pipe_parser, p)) {
		pthread_cond_destroy(&p->freed);
		pthread_cond_destroy(&p->full);
		pthread_mutex_destroy(&p->mu);
		goto undo;
	}
	p->running = 1;
	return 0;
undo:
	pipe_free_ring(p);
	return 1;
}

/* The next event from the parser thread: 1, or 0 when the parser failed
 * (its fields say why; the thread has finished). The event stays the
 * batch's: the caller does not delete it. */
static int pipe_next(ev_pipe *p, yaml_event_t *ev)
{
	while (!p->cur || p->next == p->cur->n) {
		if (p->cur) {
			int last = p->cur->last;
			pthread_mutex_lock(&p->mu);
			p->consumed++;
			if (p->parser_waits && p->produced - p->consumed <= PIPE_NBATCH / 2) {
				p->parser_waits = 0;
				pthread_cond_signal(&p->freed);
			}
			pthread_mutex_unlock(&p->mu);
			p->cur = NULL;
			if (last)
				return 0; /* every event read: the parse failed after them */
		}
		pthread_mutex_lock(&p->mu);
		while (p->consumed == p->produced) {
			p->builder_waits = 1;
			pthread_cond_wait(&p->full, &p->mu);
		}
		p->cur = &p->b[p->consumed % PIPE_NBATCH];
		pthread_mutex_unlock(&p->mu);
		p->next = 0;
	}
	rec_event(p->cur, p->next++, ev);
	return 1;
}

/* Stop the parser thread and delete every event that still owns
 * libyaml's strings. */
static void pipe_end(ev_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pipe_free_ring(p);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->full);
	pthread_mutex_destroy(&p->mu);
	p->running = 0;
}

int doc_parse_yaml(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
		   dc_diags *diags)
{
	return doc_parse_yaml_hooked(ds, buf, len, lim, NULL, diags);
}

/* Is the sequence about to open the value of hook->key in a root mapping?
 * `root_pending` children of the root frame are pending; the last one is
 * the key when their count is odd. */
static int hooked_seq(const doc_item_hook *hook, const frame *root, doc_node *const *pending,
		      size_t npending)
{
	const doc_node *k;
	size_t root_pending;
	if (!hook || root->node->kind != DOC_MAP)
		return 0;
	root_pending = npending - root->base;
	if (root_pending % 2 != 1)
		return 0;
	k = pending[npending - 1];
	return k->kind == DOC_SCALAR && !k->quoted && strcmp(k->u.s, hook->key) == 0;
}

int doc_parse_yaml_hooked(doc_stream *ds, const char *buf, size_t len, const doc_limits *lim,
			  const doc_item_hook *hook, dc_diags *diags)
{
	dc_arena_mark item_mark = dc_arena_get_mark(&ds->arena);
	int anchor_in_item = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	DC_VEC(frame) stack = {0};
	DC_VEC(doc_node *) pending = {0};
	anchor_vec anchors = {0};
	doc_node *root = NULL;
	size_t budget = 0, i;
	int rc = 0, done = 0;

	ev_pipe pipe;

	if (!yaml_parser_initialize(&parser))
		return DC_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	pipe.running = 0;
	if ((rc = pipe_start(&pipe, &parser, len, lim)) == DC_ENOMEM) {
		yaml_parser_delete(&parser);
		dc_diags_add(diags, DC_SEV_ERROR, ds->file, 0, 0, "out of memory");
		return rc;
	}
	rc = 0;

	while (!done) {
		doc_node *node = NULL;
		const char *anchor = NULL;

		if (!(pipe.running ? pipe_next(&pipe, &ev) : yaml_parser_parse(&parser, &ev))) {
			const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.mark;
			if (parser.error == YAML_MEMORY_ERROR) {
				rc = DC_ENOMEM;
				break;
			}
			if (parser.error == YAML_READER_ERROR) {
				/* reader errors (bad encoding) carry a byte offset, not a mark */
				unsigned line = 1, col = 1;
				size_t off;
				for (off = 0; off < parser.problem_offset && off < len; off++) {
					if (buf[off] == '\n') {
						line++;
						col = 1;
					} else if (((unsigned char)buf[off] & 0xC0) != 0x80) {
						col++;
					}
				}
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, line, col,
					     "YAML syntax error: %s (byte 0x%02x at offset %zu): the file must be UTF-8",
					     parser.problem ? parser.problem : "invalid text",
					     (unsigned)(off < len ? (unsigned char)buf[off] : 0), off);
			} else if (tab_in_indent(buf, len, m->line, m->column)) {
				/* the common case behind "cannot start any token" */
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)m->line + 1,
					     (unsigned)m->column + 1, "YAML syntax error: tab character "
					     "in indentation (YAML indents with spaces only)");
			} else if (parser.context)
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)m->line + 1,
					     (unsigned)m->column + 1, "YAML syntax error: %s %s (line %u)",
					     parser.problem ? parser.problem : "invalid YAML",
					     parser.context, (unsigned)parser.context_mark.line + 1);
			else
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)m->line + 1,
					     (unsigned)m->column + 1, "YAML syntax error: %s",
					     parser.problem ? parser.problem : "invalid YAML");
			rc = DC_EPARSE;
			break;
		}

		/* an item of the streamed sequence starts: remember where its
		 * memory begins */
		if (stack.len && stack.items[stack.len - 1].streaming &&
		    (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT ||
		     ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)) {
			item_mark = dc_arena_get_mark(&ds->arena);
			anchor_in_item = 0;
		}

		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			root = NULL;
			/* anchors are scoped to their document */
			for (i = 0; i < anchors.len; i++)
				free(anchors.items[i].name);
			anchors.len = 0;
			break;
		case YAML_DOCUMENT_END_EVENT:
			/* the alias budget is per file, not per document: a file of
			 * many documents must not multiply it */
			if (dc_vec_push(&ds->docs, root))
				rc = DC_ENOMEM;
			break;
		case YAML_SCALAR_EVENT:
			node = new_node(ds, DOC_SCALAR, &ev.start_mark);
			if (!node) {
				rc = DC_ENOMEM;
				break;
			}
			node->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			/* an explicit !!str tag makes a plain scalar a string too */
			if (ev.data.scalar.tag && strcmp((const char *)ev.data.scalar.tag,
							 "tag:yaml.org,2002:str") == 0)
				node->quoted = 1;
			node->tag = yaml_tag((const char *)ev.data.scalar.tag);
			if (ev.data.scalar.length > UINT32_MAX - 1) {
				rc = DC_ELIMIT;
				break;
			}
			node->n = (uint32_t)ev.data.scalar.length;
			node->u.s = dc_arena_strndup(&ds->arena, (const char *)ev.data.scalar.value,
						     ev.data.scalar.length);
			if (!node->u.s) {
				rc = DC_ENOMEM;
				break;
			}
			anchor = (const char *)ev.data.scalar.anchor;
			break;
		case YAML_ALIAS_EVENT:
			node = find_anchor(&anchors, (const char *)ev.data.alias.anchor);
			if (!node) {
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)ev.start_mark.line + 1,
					     (unsigned)ev.start_mark.column + 1,
					     "YAML error: unknown alias '*%s'", ev.data.alias.anchor);
				rc = DC_EPARSE;
				break;
			}
			budget += node->weight;
			if (budget > lim->max_alias_nodes) {
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)ev.start_mark.line + 1,
					     (unsigned)ev.start_mark.column + 1,
					     "too many alias and merge expansions (limit %zu nodes; see --input-limit aliases)",
					     lim->max_alias_nodes);
				rc = DC_ELIMIT;
				break;
			}
			{
				/* a shallow copy placed where the alias is written: a
				 * dependency given as `- *db` is reported at that line, not
				 * at the anchor (its children stay shared) */
				doc_node *copy = new_node(ds, (doc_kind)node->kind, &ev.start_mark);
				uint32_t line, col;
				if (!copy) {
					rc = DC_ENOMEM;
					break;
				}
				line = copy->line;
				col = copy->col;
				*copy = *node;
				copy->line = line;
				copy->col = col;
				node = copy;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			frame f;
			int is_map = ev.type == YAML_MAPPING_START_EVENT;
			if (stack.len >= lim->max_depth) {
				dc_diags_add(diags, DC_SEV_ERROR, ds->file, (unsigned)ev.start_mark.line + 1,
					     (unsigned)ev.start_mark.column + 1,
					     "nesting deeper than %u levels (see --input-limit depth)", lim->max_depth);
				rc = DC_ELIMIT;
				break;
			}
			memset(&f, 0, sizeof(f));
			f.base = pending.len;
			f.node = new_node(ds, is_map ? DOC_MAP : DOC_SEQ, &ev.start_mark);
			if (!f.node) {
				rc = DC_ENOMEM;
				break;
			}
			f.node->tag = yaml_tag(is_map ? (const char *)ev.data.mapping_start.tag
						      : (const char *)ev.data.sequence_start.tag);
			anchor = is_map ? (const char *)ev.data.mapping_start.anchor
					: (const char *)ev.data.sequence_start.anchor;
			if (anchor && !(f.anchor = strdup(anchor))) {
				rc = DC_ENOMEM;
				break;
			}
			anchor = NULL;
			if (!is_map && stack.len == 1 &&
			    hooked_seq(hook, &stack.items[0], pending.items, pending.len)) {
				f.streaming = 1;
				/* the documents finished so far: this one's index */
				if (hook->on_begin && (rc = hook->on_begin(hook->ud, ds->docs.len)) != 0) {
					free((void *)f.anchor);
					break;
				}
			}
			if (dc_vec_push(&stack, f)) {
				free((void *)f.anchor);
				rc = DC_ENOMEM;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			frame f = stack.items[--stack.len];
			f.kids.items = pending.items ? pending.items + f.base : NULL;
			f.kids.len = pending.len - f.base;
			node = f.node;
			if (node->kind == DOC_MAP) {
				rc = finish_map(ds, &f, &budget, lim->max_alias_nodes, diags);
			} else {
				node->n = (uint32_t)f.kids.len;
				node->u.kids = dc_arena_alloc(&ds->arena,
							      (f.kids.len ? f.kids.len : 1) * sizeof(doc_node *));
				if (!node->u.kids)
					rc = DC_ENOMEM;
				else if (f.kids.len)
					memcpy(node->u.kids, f.kids.items, f.kids.len * sizeof(doc_node *));
			}
			if (node->kind == DOC_SEQ || rc == 0) {
				uint32_t w = 1;
				for (i = 0; i < f.kids.len && node->kind == DOC_SEQ; i++)
					w = sat_add(w, f.kids.items[i]->weight);
				if (node->kind == DOC_SEQ)
					node->weight = w;
				else if (node->weight == 1) {
					for (i = 0; i < f.kids.len; i++)
						w = sat_add(w, f.kids.items[i]->weight);
					node->weight = w;
				}
			}
			pending.len = f.base;
			if (f.anchor && rc == 0) {
				anchor_in_item = 1;
				if (set_anchor(&anchors, f.anchor, node))
					rc = DC_ENOMEM;
			}
			free((void *)f.anchor);
			if (f.streaming && rc == 0 && hook->on_end)
				rc = hook->on_end(hook->ud);
			break;
		}
		default:
			break;
		}

		if (rc == 0 && node) {
			if (anchor) {
				anchor_in_item = 1;
				if (set_anchor(&anchors, anchor, node))
					rc = DC_ENOMEM;
			}
			if (rc == 0 && stack.len && stack.items[stack.len - 1].streaming) {
				/* a complete item: hand it over, then forget it */
				rc = hook->on_item(hook->ud, node);
				if (!anchor_in_item)
					dc_arena_rewind(&ds->arena, item_mark);
			} else if (stack.len) {
				if (dc_vec_push(&pending, node))
					rc = DC_ENOMEM;
			} else {
				root = node;
			}
		}
		if (!pipe.running)
			yaml_event_delete(&ev); /* else the parser thread deletes it */
		if (rc)
			break;
	}

	if (pipe.running)
		pipe_end(&pipe);
	for (i = 0; i < stack.len; i++)
		free((void *)stack.items[i].anchor);
	dc_vec_free(&stack);
	dc_vec_free(&pending);
	for (i = 0; i < anchors.len; i++)
		free(anchors.items[i].name);
	dc_vec_free(&anchors);
	yaml_parser_delete(&parser);
	if (rc == DC_ENOMEM)
		dc_diags_add(diags, DC_SEV_ERROR, ds->file, 0, 0, "out of memory");
	return rc;
}
