/*
 * harness.h - the one function every fuzz target calls.
 *
 * A target is one file per input kind (fuzz_<kind>.c) that names the
 * format to force and the buffer name; everything else (limits small
 * enough for a fuzzer, finalize, graph, the cheap analyses, cleanup) is
 * here so a new target (policy files, observed edges, ...) is a few lines.
 */
#ifndef DC_FUZZ_HARNESS_H
#define DC_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <depcheck/depcheck.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** Load data as a catalog of format fmt named name (its extension is what
 * a user's file would carry), then finalize, build the graph and run the
 * analyses a CLI command would. Aborts on a broken invariant (a status
 * that the API does not document), so the fuzzer reports it. */
void dc_fuzz_catalog(const uint8_t *data, size_t size, const char *name, dc_input_format fmt);

/** Load data (YAML) twice, on one thread and with libyaml's parser on a
 * second thread handing over a few events at a time (load_yaml.c), and
 * abort unless the statuses, the catalogs' counts and the diagnostics are
 * the same. */
void dc_fuzz_catalog_threads(const uint8_t *data, size_t size, const char *name, dc_input_format fmt);

/** A small fixed catalog (built once, kept for the process) for the
 * targets whose input is not a catalog: policy files and observed edges
 * are checked against it. Aborts if it cannot be built. */
const dc_graph *dc_fuzz_fixed_graph(void);
/** That catalog's text (YAML), for a target that loads it again. */
const char *dc_fuzz_fixed_catalog(size_t *len);

#endif
