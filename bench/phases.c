/*
 * phases.c - where `depcheck validate` spends its time and memory.
 *
 *   bench_phases [--blast | --blast-estimate N] [--fail NAME] FILE...
 *
 * Runs the same steps as `depcheck validate` through the public API and
 * prints, per phase, wall time, CPU time, minor page faults and the peak
 * RSS reached so far: load (read + YAML/JSON parse + schema, per file),
 * finalize (resolution, grouping), graph (CSR), scc, free. With --fail NAME
 * also: impact (the propagation of NAME failing alone, dc_impact_new +
 * dc_impact_run: the core of `depcheck simulate --fail NAME`, without its
 * report) and critical (every latency critical-path total). With --blast
 * also: blast (every single-failure blast radius, dc_blast_compute: the
 * core of analyze and simulate --each). The figures
 * are for finding hotspots; the benchmark's own numbers come from run.sh.
 */
#include <depcheck/depcheck.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct {
	double wall, cpu;
	long minflt, maxrss_kb;
} sample;

static void take(sample *s)
{
	struct timespec ts;
	struct rusage ru;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	s->wall = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	s->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	s->minflt = ru.ru_minflt;
	s->maxrss_kb = ru.ru_maxrss;
}

static void report(const char *phase, sample *prev)
{
	sample now;
	take(&now);
	printf("%-10s %8.3f %8.3f %9ld %9.1f\n", phase, now.wall - prev->wall, now.cpu - prev->cpu,
	       now.minflt - prev->minflt, (double)now.maxrss_kb / 1024.0);
	*prev = now;
}

int main(int argc, char **argv)
{
	dc_load_options lo = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	dc_graph *g = NULL;
	dc_scc *scc = NULL;
	sample s, start;
	const char *fail = NULL;
	int blast = 0;
	int i, first = 1, rc = 0;
	size_t est_top = 0;

	if (argc > 1 && !strcmp(argv[1], "--blast")) {
		blast = 1;
		argv++;
		argc--;
	} else if (argc > 2 && !strcmp(argv[1], "--blast-estimate")) {
		/* DC_BLAST_ESTIMATE with the first N ranks exact, as analyze
		 * uses it on big catalogs */
		blast = 1;
		est_top = (size_t)strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc > 2 && !strcmp(argv[1], "--fail")) {
		fail = argv[2];
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: bench_phases [--fail NAME] FILE...\n");
		return 2;
	}
	take(&s);
	start = s;
	if (dc_catalog_new(&cat) || dc_diags_new(&diags)) {
		fprintf(stderr, "bench_phases: out of memory\n");
		return 1;
	}
	printf("%-10s %8s %8s %9s %9s\n", "phase", "wall s", "cpu s", "minflt", "peak MB");
	for (i = first; i < argc; i++)
		if (dc_catalog_add_path(cat, argv[i], &lo, diags))
			rc = 1;
	report("load", &s);
	if (dc_catalog_finalize(cat, diags))
		rc = 1;
	report("finalize", &s);
	if (dc_graph_new(&g, cat)) {
		fprintf(stderr, "bench_phases: out of memory\n");
		return 1;
	}
	report("graph", &s);
	if (dc_scc_compute(&scc, g, DC_EDGES_ALL)) {
		fprintf(stderr, "bench_phases: out of memory\n");
		return 1;
	}
	report("scc", &s);
	if (blast) {
		/* every blast radius, as analyze and simulate --each compute them:
		 * the figure to put next to networkx's and igraph's own loops */
		dc_blast *b = NULL;
		dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
		if (est_top) {
			bo.flags = DC_BLAST_ESTIMATE;
			bo.exact_top = est_top;
		}
		if (dc_blast_compute_ex(&b, g, &bo)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("blast", &s);
		if (est_top)
			printf("# %zu DEGRADED counts estimated, the first %zu ranks exact\n",
			       dc_blast_estimated_count(b), est_top);
		dc_blast_free(b);
		take(&s);
	}
	if (fail) {
		dc_impact *imp = NULL;
		dc_critical *cp = NULL;
		dc_id seed;
		if (dc_catalog_find(cat, fail, &seed)) {
			fprintf(stderr, "bench_phases: no service named '%s'\n", fail);
			return 2;
		}
		if (dc_impact_new(&imp, g) || dc_impact_run(imp, &seed, 1, NULL, 0)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("impact", &s);
		printf("# %s fails: %zu down, %zu degraded\n", fail, dc_impact_down_count(imp),
		       dc_impact_degraded_count(imp));
		dc_impact_free(imp);
		take(&s);
		if (dc_critical_new(&cp, g)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("critical", &s);
		dc_critical_free(cp);
		take(&s);
	}
	printf("# %zu services, %zu dependencies, %zu cycles, %zu errors\n",
	       dc_catalog_service_count(cat), dc_catalog_dep_count(cat), dc_scc_cycle_count(scc),
	       dc_diags_count_severity(diags, DC_SEV_ERROR));
	dc_scc_free(scc);
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	report("free", &s);
	report("total", &start);
	return rc;
}
