/*
 * availability.c - the Monte Carlo engine of `depcheck availability`.
 *
 *   bench_availability FILE [--trials N] [--scalar-trials M] [--threads T]
 *
 * Loads FILE, then times dc_availability_compute() forced to Monte Carlo
 * for every service (no importance, no cut sets: the bit-parallel pass
 * alone) with N trials (default 1,000,000) on T threads (default 1 and 2),
 * and the one-trial-at-a-time reference (lib/availability_int.h) on M
 * trials (default 20,000). Prints trials/s of both and the speed-up of the
 * bit-parallel path per core. The whole command (`depcheck availability`,
 * importance and cut sets included) is measured by run.sh.
 */
#include <depcheck/depcheck.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/availability_int.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	dc_graph *g = NULL;
	const char *file = NULL;
	unsigned long long trials = 1000000, strials = 20000;
	unsigned threads = 0, t;
	double t0, c0, bp1 = 0;
	uint64_t *up;
	int i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trials") && i + 1 < argc)
			trials = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--scalar-trials") && i + 1 < argc)
			strials = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = (unsigned)strtoul(argv[++i], NULL, 10);
		else
			file = argv[i];
	}
	if (!file || !trials || !strials) {
		fprintf(stderr, "usage: bench_availability FILE [--trials N] [--scalar-trials M] [--threads T]\n");
		return 2;
	}
	dc_diags_new(&diags);
	t0 = now();
	if (dc_catalog_load(&cat, (const char *const *)&file, 1, NULL, diags) && !cat)
		return 2;
	if (dc_graph_new(&g, cat))
		return 2;
	printf("load       %8.3f s  %zu services, %zu dependencies\n", now() - t0,
	       dc_graph_node_count(g), dc_graph_edge_count(g));
	for (t = threads ? threads : 1; t <= (threads ? threads : 2); t++) {
		dc_availability_options o = DC_AVAILABILITY_OPTIONS_INIT;
		dc_availability *a = NULL;
		double w, c;
		o.trials = trials;
		o.threads = t;
		o.flags = DC_AVAIL_FORCE_MC | DC_AVAIL_NO_IMPORTANCE | DC_AVAIL_NO_CUT_SETS;
		t0 = now();
		c0 = cpu();
		if (dc_availability_compute(&a, g, &o))
			return 2;
		w = now() - t0;
		c = cpu() - c0;
		if (t == 1)
			bp1 = (double)trials / c;
		printf("bit-parallel %u thread%s %8.3f s wall %8.3f s cpu  %12.0f trials/s  (%llu trials)\n", t,
		       t == 1 ? " " : "s", w, c, (double)trials / w, trials);
		dc_availability_free(a);
	}
	up = malloc(dc_graph_node_count(g) * sizeof(uint64_t) + 8);
	t0 = now();
	c0 = cpu();
	if (!up || avail_scalar_reference(g, strials, 1, 0, up))
		return 2;
	{
		double w = now() - t0, c = cpu() - c0, sc = (double)strials / c;
		printf("scalar       1 thread  %8.3f s wall %8.3f s cpu  %12.0f trials/s  (%llu trials)\n", w, c,
		       (double)strials / w, strials);
		if (bp1 > 0)
			printf("speed-up of the bit-parallel path (CPU time per trial, one thread): %.1fx\n", bp1 / sc);
	}
	free(up);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	return 0;
}
