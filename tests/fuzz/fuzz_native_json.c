/* fuzz_native_json.c - fuzz target: a NATIVE input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "catalog.json", DC_FORMAT_NATIVE);
	return 0;
}
