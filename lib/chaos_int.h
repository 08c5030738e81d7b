/*
 * chaos_int.h - what verify.c and the writers need of a plan (chaos.c).
 */
#ifndef DC_CHAOS_INT_H
#define DC_CHAOS_INT_H

#include <depcheck/depcheck.h>

/* Which prediction dc__exp_run makes. */
enum {
	DC__HYP_MODEL = 0,     /* the catalog as it is */
	DC__HYP_EDGE_HARD = 1, /* PARTITION: every edge caller -> callee hard */
	DC__HYP_DEP_HARD = 2   /* KILL: dependency `dep` (a group edge) hard: its consumer goes DOWN too */
};

/* The prediction of e under a hypothesis into rows[0..dc__exp_entry_count(x)):
 * 0 or DC_ENOMEM. */
int dc__exp_run(dc_experiments *x, const dc_experiment *e, int hyp, uint32_t dep, dc_prediction *rows);
size_t dc__exp_entry_count(const dc_experiments *x);
/* The index of entrypoint s in the rows, or SIZE_MAX when s is not one. */
size_t dc__exp_entry_index(const dc_experiments *x, dc_id s);

/* A result's date (verify.c): "YYYY-MM-DD" or an RFC 3339 timestamp
 * s[0..n) as its UTC day, days since 1970-01-01: 0, or -1 when it is not
 * one. dc__day_text writes a day back as "YYYY-MM-DD". */
int dc__result_day(const char *s, size_t n, long *days);
void dc__day_text(long days, char buf[16]);

#endif
