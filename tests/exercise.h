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
} dc_exercise_opts;

/* SCCs (topological order, depth), analyze, the first entrypoint's
 * critical chain, plan with the blast radii, one simulation, export in
 * JSON, YAML and DOT. Stops at the first failure and returns its status
 * (0 when all ran); everything it made is freed. */
int dc_exercise(const dc_graph *g, const dc_exercise_opts *o);

#endif
