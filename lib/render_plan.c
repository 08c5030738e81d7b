/*
 * render_plan.c - a deployment plan as DOT or SVG (part of the Graphviz
 * bridge: only bridge files include Graphviz headers).
 *
 * The DOT text is written by hand, in a fixed order, so `-f dot` output is
 * stable byte for byte: one `cluster_wN` subgraph per wave (label "wave N",
 * rank=same), nodes labelled "name\nowner", lockstep members in red, and
 * the constraint edges between planned services drawn in deployment order
 * (from the earlier wave to the later one, so dot ranks waves top to
 * bottom); edges inside a lockstep group do not constrain the layout.
 * Invisible edges chain the waves so that waves with no edge between them
 * still stack. Constraints that pass through unplanned services are not
 * drawn (the waves already honour them).
 *
 * SVG: the same text goes through agmemread + gvLayout("dot") + gvRender,
 * in-process (dc_gv_render, lib/gvc.c). Refused above DC_PLAN_SVG_MAX planned services.
 */
#include "gvc_int.h"

#include <depcheck/plan.h>

#include <stdlib.h>
#include <string.h>

static void quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		if (*s == '\n') {
			fputs("\\n", fp);
			continue;
		}
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void write_dot(const dc_plan *p, const dc_graph *g, FILE *fp)
{
	const dc_catalog *cat = dc_graph_catalog(g);
	size_t nw = dc_plan_wave_count(p), i, k, j, ng = dc_plan_lockstep_count(p);
	uint8_t *lock = calloc(dc_graph_node_count(g) + 1, 1);
	const dc_id *ids;

	for (i = 0; lock && i < ng; i++) {
		size_t nm = dc_plan_lockstep_members(p, i, &ids);
		for (k = 0; k < nm; k++)
			lock[ids[k]] = 1;
	}
	fputs("digraph plan {\n  rankdir=TB;\n  newrank=true;\n  node [shape=box, fontsize=10];\n", fp);
	for (i = 0; i < nw; i++) {
		size_t n = dc_plan_wave(p, i, &ids);
		fprintf(fp, "  subgraph cluster_w%zu {\n    label=\"wave %zu\";\n    rank=same;\n", i + 1, i + 1);
		for (k = 0; k < n; k++) {
			const char *owner = dc_service_owner(cat, ids[k]);
			fputs("    ", fp);
			quoted(fp, dc_service_name(cat, ids[k]));
			fputs(" [label=", fp);
			fputc('"', fp);
			for (const char *s = dc_service_name(cat, ids[k]); *s; s++) {
				if (*s == '"' || *s == '\\')
					fputc('\\', fp);
				fputc(*s, fp);
			}
			if (owner) {
				fputs("\\n", fp);
				for (const char *s = owner; *s; s++) {
					if (*s == '"' || *s == '\\')
						fputc('\\', fp);
					fputc(*s, fp);
				}
			}
			fputc('"', fp);
			if (lock && lock[ids[k]])
				fputs(", color=red", fp);
			fputs("];\n", fp);
		}
		fputs("  }\n", fp);
	}
	/* chain the waves */
	for (i = 0; i + 1 < nw; i++) {
		const dc_id *a, *b;
		dc_plan_wave(p, i, &a);
		dc_plan_wave(p, i + 1, &b);
		fputs("  ", fp);
		quoted(fp, dc_service_name(cat, a[0]));
		fputs(" -> ", fp);
		quoted(fp, dc_service_name(cat, b[0]));
		fputs(" [style=invis];\n", fp);
	}
	/* constraint edges among planned services, in wave order */
	for (i = 0; i < nw; i++) {
		size_t n = dc_plan_wave(p, i, &ids);
		for (k = 0; k < n; k++) {
			const dc_id *to;
			size_t first, deg = dc_graph_out(g, ids[k], &to, &first);
			size_t wu = dc_plan_wave_of(p, ids[k]);
			for (j = 0; j < deg; j++) {
				size_t wv = dc_plan_wave_of(p, to[j]);
				if (!wv || !dc_plan_dep_constrains(p, first + j))
					continue;
				fputs("  ", fp);
				if (wv < wu) {
					quoted(fp, dc_service_name(cat, to[j]));
					fputs(" -> ", fp);
					quoted(fp, dc_service_name(cat, ids[k]));
					fputs(";\n", fp);
				} else if (wv > wu) {
					quoted(fp, dc_service_name(cat, ids[k]));
					fputs(" -> ", fp);
					quoted(fp, dc_service_name(cat, to[j]));
					fputs(";\n", fp);
				} else {
					quoted(fp, dc_service_name(cat, ids[k]));
					fputs(" -> ", fp);
					quoted(fp, dc_service_name(cat, to[j]));
					fputs(" [color=red, constraint=false];\n", fp);
				}
			}
		}
	}
	fputs("}\n", fp);
	free(lock);
}

int dc_plan_render(const dc_plan *p, const dc_graph *g, const char *format, FILE *fp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (!strcmp(format, "dot")) {
		write_dot(p, g, fp);
		return ferror(fp) ? DC_EIO : 0;
	}
	if (strcmp(format, "svg"))
		return DC_EINVALID;
	if (dc_plan_service_count(p) > DC_PLAN_SVG_MAX)
		return DC_ELIMIT;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return DC_ENOMEM;
	write_dot(p, g, mem);
	if (fclose(mem) != 0 || !buf) {
		free(buf);
		return DC_ENOMEM;
	}
	rc = dc_gv_render(buf, "svg", fp);
	free(buf);
	return rc;
}
