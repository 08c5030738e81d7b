/* fuzz_dot.c - fuzz target: a DOT input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "graph.dot", DC_FORMAT_DOT);
	return 0;
}
