/*
 * exercise.h - run on a graph what the depcheck commands run, for the
 * tests that need "everything" rather than one analysis: the fuzz harness
 * (tests/fuzz/harness.c) and the allocation-failure test (alloc_fail.c).
 */
#ifndef DC_TEST_EXERCISE_H
#define DC_TEST_EXERCISE_H

#include <stdio.h>
#include <depcheck/depcheck.h>

typedef struct {
	const char *fail;         /* simulate selector; NULL: the first service's name */
	FILE *out;                /* exports go here; NULL: no export */
	/* called with 1 before and 0 after the work that allocates through
	 * Graphviz (DOT export), or NULL */
	void (*graphviz)(int entering);
	/* opt-in, slow for a fuzzer (the allocation-failure test sets them):
	 * DC_EX_* bits below */
	unsigned heavy;
	const dc_graph *diff_head;  /* DC_EX_DIFF: compared with g (g is the base) */
	const char *observed;       /* DC_EX_RECONCILE: CSV or Jaeger JSON text */
	size_t observed_len;
} dc_exercise_opts;

#define DC_EX_RENDER 1u     /* dc_render -f dot and -f svg (laid out) */
#define DC_EX_CHECK 2u      /* default policy + a parsed one, dc_check, baseline compare */
#define DC_EX_AVAIL 4u      /* availability: 2,000 trials, seed 1, 1 thread (exact where
                               small) and 2 threads (Monte Carlo everywhere) */
#define DC_EX_DIFF 8u       /* dc_diff_compute against diff_head, dc_diff_render dot */
#define DC_EX_RECONCILE 16u /* observed parsed, reconciled, undeclared as violations */
#define DC_EX_REPORT 32u    /* dc_report_write with an availability section */
#define DC_EX_CHAOS 64u     /* experiments planned, a dated results file verified and
                               read on record, check's unverified-predictions rule */

/* SCCs (topological order, depth), analyze, the first entrypoint's
 * critical chain, plan with the blast radii, one simulation, export in
 * JSON, YAML and DOT; then the `heavy` parts asked for (writing to `out`). Stops at the first failure and returns its status
 * (0 when all ran); everything it made is freed. */
int dc_exercise(const dc_graph *g, const dc_exercise_opts *o);

#endif
