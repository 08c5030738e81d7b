/* fuzz_native_yaml.c - fuzz target: a NATIVE input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "catalog.yaml", DC_FORMAT_NATIVE);
	/* and the same load with the parser on a second thread */
	dc_fuzz_catalog_threads(data, size, "catalog.yaml", DC_FORMAT_NATIVE);
	return 0;
}
