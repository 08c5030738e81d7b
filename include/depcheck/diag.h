/*
 * depcheck/diag.h - diagnostics: problems found in descriptors, each with
 * the file, 1-based line and column where it was found.
 *
 * A dc_diags list is filled by loaders and analyses and printed by the
 * caller; the library never prints. Messages say what is wrong first and
 * quote the subject: "unknown service 'payments-db' in depends_on of
 * 'checkout'".
 */
#ifndef DEPCHECK_DIAG_H
#define DEPCHECK_DIAG_H

#include "common.h"
#include <stdio.h>

typedef enum {
	DC_SEV_NOTE = 0,
	DC_SEV_WARNING = 1,
	DC_SEV_ERROR = 2
} dc_severity;

/** One diagnostic. All strings are owned by the dc_diags list. */
typedef struct {
	dc_severity severity;
	const char *file;    /**< path as given, or "<stdin>"; never NULL */
	unsigned line;       /**< 1-based; 0 when the problem has no position */
	unsigned column;     /**< 1-based; 0 when unknown */
	const char *message; /**< one line, no trailing newline */
} dc_diag;

typedef struct dc_diags dc_diags;

DC_EXTERN(int) dc_diags_new(dc_diags **out);
DC_EXTERN(void) dc_diags_free(dc_diags *diags);

/** Append a diagnostic (printf-style message). Returns 0 or DC_ENOMEM. */
DC_EXTERN(int) dc_diags_add(dc_diags *diags, dc_severity sev, const char *file,
			    unsigned line, unsigned column, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 6, 7)))
#endif
	;

DC_EXTERN(size_t) dc_diags_count(const dc_diags *diags);
/** Borrowed pointer, valid until the list is freed or cleared. */
DC_EXTERN(const dc_diag *) dc_diags_get(const dc_diags *diags, size_t i);
DC_EXTERN(size_t) dc_diags_count_severity(const dc_diags *diags, dc_severity sev);

/** Sort by file, line, column (stable), and drop exact duplicates. */
DC_EXTERN(void) dc_diags_sort(dc_diags *diags);

/** "error", "warning" or "note". */
DC_EXTERN(const char *) dc_severity_name(dc_severity sev);

/** Write one diagnostic as `FILE:LINE:COLUMN: severity: message\n`. */
DC_EXTERN(int) dc_diag_print(FILE *fp, const dc_diag *d);

#endif
