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
		dc_exercise_opts eo = { NULL, NULL, NULL };
		eo.out = devnull();
		check(dc_exercise(g, &eo), "analyses");
	}
out:
	dc_graph_free(g);
	dc_catalog_free(cat);
	dc_diags_free(diags);
	free(buf);
}
