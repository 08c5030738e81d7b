/*
 * output_json.c - every result as JSON, through the streaming writer
 * (jsonw.c): one object per command, `"command"` first, keys in a fixed
 * order. A service is serialised in one place (dc__json_service) for every
 * result that lists services.
 */
#include "output_int.h"

void dc__json_loc(dc_jsonw *w, dc_location l)
{
	dc_jw_kstr(w, "file", l.file);   /* NULL is written as null */
	dc_jw_key(w, "line");
	if (l.file)
		dc_jw_int(w, l.line);
	else
		dc_jw_null(w);
	dc_jw_key(w, "column");
	if (l.file)
		dc_jw_int(w, l.column);
	else
		dc_jw_null(w);
}

/* ---- catalog: validate, show, path, export ------------------------------- */

/* ---- failures: simulate, analyze, critical path -------------------------- */

/* ---- availability and plan ------------------------------------------------ */

/* ---- policy: violations, check, reconcile, diff -------------------------- */
