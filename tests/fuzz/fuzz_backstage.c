/* fuzz_backstage.c - fuzz target: a BACKSTAGE input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "catalog-info.yaml", DC_FORMAT_BACKSTAGE);
	return 0;
}
