/*
 * output_text.c - every result as human text: what a terminal and a
 * person in an incident read. Colours only when opts->color; summaries
 * and notes left out under opts->quiet.
 */
#include "output_int.h"

#include <string.h>

const char *dc__color(const dc_output_options *opts, const char *what)
{
	if (!opts->color)
		return "";
	if (!strcmp(what, "bold")) return "\033[1m";
	if (!strcmp(what, "red")) return "\033[31m";
	if (!strcmp(what, "yellow")) return "\033[33m";
	if (!strcmp(what, "green")) return "\033[32m";
	if (!strcmp(what, "dim")) return "\033[2m";
	if (!strcmp(what, "reset")) return "\033[0m";
	return "";
}

void dc__text_section(FILE *fp, const dc_output_options *opts, const char *title, size_t n)
{
	fprintf(fp, "\n%s%s%s (%zu)\n", dc__color(opts, "bold"), title, dc__color(opts, "reset"), n);
}

void dc__text_more(FILE *fp, size_t shown, size_t total)
{
	if (total > shown)
		fprintf(fp, "  ... and %zu more\n", total - shown);
}

void dc__text_where(FILE *fp, const dc_output_options *opts, dc_location l)
{
	if (l.file)
		fprintf(fp, "  %s%s:%u:%u%s", dc__color(opts, "dim"), l.file, l.line, l.column,
			dc__color(opts, "reset"));
}

/* ---- catalog: validate, show, path, export ------------------------------- */

/* ---- failures: simulate, analyze, critical path -------------------------- */

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
