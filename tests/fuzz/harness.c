/*
 * harness.c - load a fuzzer's buffer through the public API and run what the
 * commands run on it: finalize, graph, then tests/exercise.c (SCCs, analyze
 * with blast radii, SPOFs and cycles, critical path, plan, one simulation,
 * export in every format to /dev/null).
 *
 * The limits are the defaults except the file size: libFuzzer's inputs are
 * small anyway, and a smaller alias budget keeps each run fast (the
 * billion-laughs refusal is still exercised, at a lower threshold). Every
 * status is checked against the documented set; anything else aborts.
 */
#include "harness.h"
#include "exercise.h"
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_SERVICES 4096u /* above this the analyses are skipped: the
                                   fuzzer is after parsing bugs, not timeouts
                                   of a quadratic-by-design blast matrix */

static void check(int rc, const char *what)
{
	if (rc == 0 || rc == DC_ENOMEM || rc == DC_EPARSE || rc == DC_EIO || rc == DC_ELIMIT ||
	    rc == DC_EINVALID || rc == DC_ERROR)
		return;
	fprintf(stderr, "%s: undocumented status %d\n", what, rc);
	abort();
}

static FILE *devnull(void)
{
	static FILE *fp;
	if (!fp)
		fp = fopen("/dev/null", "w");
	return fp;
}

void dc_fuzz_catalog(const uint8_t *data, size_t size, const char *name, dc_input_format fmt)
{
	dc_load_options opts = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	dc_graph *g = NULL;
	char *buf;
	int rc;

	/* a copy of exactly `size` bytes so ASan sees any read past the end */
	buf = malloc(size ? size : 1);
	if (!buf)
		return;
	memcpy(buf, data, size);
	opts.format = fmt;
	opts.max_alias_nodes = 100000;
	if (dc_diags_new(&diags) || dc_catalog_new(&cat)) {
		dc_diags_free(diags);
		free(buf);
		return;
	}
	rc = dc_catalog_add_buffer(cat, name, buf, size, &opts, diags);
	check(rc, "add_buffer");
	if (rc == DC_ENOMEM || rc == DC_EPARSE || rc == DC_ELIMIT || rc == DC_EIO)
		goto out; /* the CLI stops there too */
	rc = dc_catalog_finalize(cat, diags);
	check(rc, "finalize");
	if (rc)
		goto out;
	dc_diags_sort(diags);
	if (dc_catalog_service_count(cat) > FUZZ_MAX_SERVICES)
		goto out;
	rc = dc_graph_new(&g, cat);
	check(rc, "graph");
	if (rc == 0) {
		dc_exercise_opts eo = { NULL, NULL, NULL, 0, NULL, NULL, 0 };
		eo.out = devnull();
		check(dc_exercise(g, &eo), "analyses");
	}
out:
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	free(buf);
}

/* Every rule of the built-in policy has something to find here: a hard
 * cycle, a tier edge, a soft edge, an any_of group, an external, a missing
 * owner, timeouts and retries. */
static const char fixed_catalog[] =
	"services:\n"
	"  - { name: web, owner: a, tier: 1, entrypoint: true, slo: 0.999,\n"
	"      depends_on: [api, { service: ads, kind: soft, timeout_ms: 50, retries: 2 }] }\n"
	"  - { name: api, owner: a, tier: 1, system: core,\n"
	"      depends_on: [db, { any_of: [cache-a, cache-b] }, { service: auth, timeout_ms: 100, retries: 3 }] }\n"
	"  - { name: auth, owner: b, tier: 2, system: core, depends_on: [config] }\n"
	"  - { name: config, owner: b, tier: 2, depends_on: [auth] }\n"
	"  - { name: db, owner: c, tier: 1, system: payments, replicas: 3, zones: [z1, z2] }\n"
	"  - { name: cache-a, tier: 3 }\n"
	"  - { name: cache-b, owner: c, tier: 3, depends_on: [vendor-x] }\n"
	"  - { name: ads, owner: d, tier: 3, tags: [ext], availability: 0.99 }\n";

const char *dc_fuzz_fixed_catalog(size_t *len)
{
	*len = sizeof fixed_catalog - 1;
	return fixed_catalog;
}

const dc_graph *dc_fuzz_fixed_graph(void)
{
	static dc_graph *g;
	static dc_catalog *cat; /* lives as long as the graph: the process */
	dc_diags *diags = NULL;

	if (g)
		return g;
	if (dc_diags_new(&diags) || dc_catalog_new(&cat) ||
	    dc_catalog_add_buffer(cat, "fixed.yaml", fixed_catalog, sizeof fixed_catalog - 1, NULL, diags) ||
	    dc_catalog_finalize(cat, diags) || dc_graph_new(&g, cat)) {
		fprintf(stderr, "fuzz: the fixed catalog does not load\n");
		abort();
	}
	dc_diags_free(diags);
	return g;
}

/* One load as text: status, counts, every diagnostic (NULL: out of memory). */
static char *load_text(const char *buf, size_t size, const char *name, dc_input_format fmt, unsigned threads)
{
	dc_load_options opts = DC_LOAD_OPTIONS_INIT;
	dc_catalog *cat = NULL;
	dc_diags *diags = NULL;
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp;
	int rc, rf = 0;
	opts.format = fmt;
	opts.max_alias_nodes = 100000;
	opts.threads = threads;
	if (dc_diags_new(&diags) || dc_catalog_new(&cat) || !(fp = open_memstream(&out, &len))) {
		dc_catalog_free(cat);
		dc_diags_free(diags);
		return NULL;
	}
	rc = dc_catalog_add_buffer(cat, name, buf, size, &opts, diags);
	if (rc != DC_ENOMEM && rc != DC_EPARSE && rc != DC_ELIMIT && rc != DC_EIO)
		rf = dc_catalog_finalize(cat, diags);
	fprintf(fp, "%d %d %zu %zu\n", rc, rf, dc_catalog_service_count(cat), dc_catalog_dep_count(cat));
	for (i = 0; i < dc_diags_count(diags); i++) {
		const dc_diag *d = dc_diags_get(diags, i);
		fprintf(fp, "%u:%u %d %s\n", d->line, d->column, (int)d->severity, d->message);
	}
	fclose(fp);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	return out;
}

void dc_fuzz_catalog_threads(const uint8_t *data, size_t size, const char *name, dc_input_format fmt)
{
	char *buf = malloc(size ? size : 1), *one, *two;
	if (!buf)
		return;
	memcpy(buf, data, size);
	one = load_text(buf, size, name, fmt, 1);
	doc_yaml_set_pipeline(0, 3);
	two = load_text(buf, size, name, fmt, 0);
	doc_yaml_set_pipeline((size_t)-1, 0);
	if (one && two && strcmp(one, two)) {
		fprintf(stderr, "the parser thread changed the load:\n--- one thread\n%s--- two\n%s", one, two);
		abort();
	}
	free(one);
	free(two);
	free(buf);
}
