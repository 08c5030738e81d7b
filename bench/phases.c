/*
 * phases.c - where `depcheck validate` spends its time and memory.
 *
 *   bench_phases [--plan | --blast | --blast-estimate N] [--check] [--fail NAME] FILE...
 *
 * Runs the same steps as `depcheck validate` through the public API and
 * prints, per phase, wall time, CPU time, minor page faults and the peak
 * RSS reached so far: load (read + YAML/JSON parse + schema, per file),
 * finalize (resolution, grouping), graph (CSR), scc, free. With --fail NAME
 * also: impact (the propagation of NAME failing alone, dc_impact_new +
 * dc_impact_run: the core of `depcheck simulate --fail NAME`, without its
 * report) and critical (every latency critical-path total). With --blast
 * also: blast (every single-failure blast radius, dc_blast_compute: the
 * core of analyze and simulate --each). With --plan instead: what
 * `depcheck plan` runs after loading (the blast radii without SPOFs, the
 * waves and canary order, the text writer to /dev/null). With --check also: analyze
 * (dc_analyze), then dc_check on that analysis, rule by rule (a policy
 * with only that rule of the built-in one on), then the whole built-in
 * policy keeping the first 100 findings of each rule (dc_violations_keep:
 * what `depcheck check` does for text and JSON) and keeping every one (its
 * other formats), and last the whole built-in policy keeping 100 with
 * dc_check's own analysis, as `depcheck check` runs it (check-own). The figures
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

/* dc_check of a on the policy `text`, keeping `keep` findings per rule
 * (0: all); the phase is named `phase`, with the findings counted. */
static int check_phase(const char *phase, const char *text, const dc_graph *g, const dc_analysis *a, size_t keep,
		       sample *s)
{
	dc_policy *p = NULL;
	dc_violations *v = NULL;
	dc_diags *d = NULL;
	char name[96];
	int rc = dc_diags_new(&d);
	if (!rc)
		rc = dc_policy_parse(&p, "policy", text, strlen(text), d);
	take(s);
	if (!rc)
		rc = dc_violations_new(&v);
	if (!rc)
		rc = dc_violations_keep(v, keep, NULL, NULL);
	if (!rc)
		rc = dc_check(v, g, a, p, NULL);
	snprintf(name, sizeof(name), "%s (%zu)", phase, dc_violations_total(v));
	report(name, s);
	dc_violations_free(v);
	dc_policy_free(p);
	take(s);
	if (rc) {
		size_t i;
		for (i = 0; i < dc_diags_count(d); i++)
			dc_diag_print(stderr, dc_diags_get(d, i));
		fprintf(stderr, "bench_phases: %s: %s\n", phase, dc_strerror(rc));
	}
	dc_diags_free(d);
	return rc;
}

/* The built-in policy with only the rule of line `on` (a "  id: ..." line
 * of its text) as it is; every other rule off. NULL when line `on` is no
 * rule that is on. Free it. */
static char *one_rule(int on, char *id, size_t idsize)
{
	const char *t = dc_policy_default_text(), *line = t;
	size_t cap = strlen(t) + 4096, o = 0;
	char *out = malloc(cap);
	int n = 0, found = 0;
	while (out && *line) {
		const char *end = strchr(line, '\n'), *colon;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char copy[512];
		colon = memchr(line, ':', len);
		snprintf(copy, sizeof(copy), "%.*s", (int)len, line);
		if (len > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' && line[2] != '#' && colon) {
			if (n++ == on && strncmp(colon, ": off", 5) && strncmp(colon, ": []", 4) &&
			    !strstr(copy, "severity: off")) {
				found = 1;
				snprintf(id, idsize, "%.*s", (int)(colon - line - 2), line + 2);
				o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)len, line);
			} else if (!strncmp(colon, ": []", 4)) {
				o += (size_t)snprintf(out + o, cap - o, "%s\n", copy); /* forbidden: none */
			} else {
				o += (size_t)snprintf(out + o, cap - o, "%.*s: off\n", (int)(colon - line), line);
			}
		} else if (!(len > 2 && line[0] == ' ' && line[1] == ' ')) {
			o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)len, line);
		}
		line += len + (end != NULL);
	}
	if (!found || n <= on) {
		free(out);
		return NULL;
	}
	return out;
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
	int blast = 0, check = 0, plan = 0;
	int i, first = 1, rc = 0;
	size_t est_top = 0;

	if (argc > 1 && !strcmp(argv[1], "--plan")) {
		plan = 1;
		argv++;
		argc--;
	} else if (argc > 1 && !strcmp(argv[1], "--blast")) {
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
	if (argc > 1 && !strcmp(argv[1], "--check")) {
		check = 1;
		argv++;
		argc--;
	}
	if (argc > 2 && !strcmp(argv[1], "--fail")) {
		fail = argv[2];
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: bench_phases [--plan | --blast | --blast-estimate N] [--check] [--fail NAME] FILE...\n");
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
	if (plan) {
		/* what `depcheck plan` runs after loading: the blast radii of
		 * every service without SPOFs, the waves and canary order, and
		 * the text writer (to /dev/null) */
		dc_blast *b = NULL;
		dc_blast_options bo = DC_BLAST_OPTIONS_INIT;
		dc_plan *p = NULL;
		dc_plan_options po = DC_PLAN_OPTIONS_INIT;
		dc_plan_report rep = DC_PLAN_REPORT_INIT;
		dc_output_options oo = DC_OUTPUT_OPTIONS_INIT;
		FILE *null = fopen("/dev/null", "w");
		bo.flags = DC_BLAST_NO_SPOFS;
		if (!null || dc_blast_compute_ex(&b, g, &bo)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("blast", &s);
		po.blast = b;
		if (dc_plan_compute(&p, g, &po)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("plan", &s);
		rep.plan = p;
		rep.g = g;
		rep.blast = b;
		if (dc_write_plan(null, &rep, &oo))
			rc = 1;
		fclose(null);
		report("plan-text", &s);
		dc_plan_free(p);
		dc_blast_free(b);
		take(&s);
	}
	if (check) {
		dc_analysis *a = NULL;
		char *text, id[64];
		int k;
		take(&s);
		if (dc_analyze(&a, g, NULL)) {
			fprintf(stderr, "bench_phases: out of memory\n");
			return 1;
		}
		report("analyze", &s);
		/* the lines of the policy's text: at most one rule a line */
		for (k = 0; k < 64; k++) {
			if (!(text = one_rule(k, id, sizeof(id))))
				continue;
			if (check_phase(id, text, g, a, 100, &s))
				rc = 1;
			free(text);
		}
		if (check_phase("check-100", dc_policy_default_text(), g, a, 100, &s) ||
		    check_phase("check-all", dc_policy_default_text(), g, a, 0, &s))
			rc = 1;
		dc_analysis_free(a);
		take(&s);
		/* what `depcheck check` runs: dc_check making its own analysis
		 * (the parts its rules read, no DEGRADED counts) */
		if (check_phase("check-own", dc_policy_default_text(), g, NULL, 100, &s))
			rc = 1;
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
