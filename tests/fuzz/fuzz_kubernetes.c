/* fuzz_kubernetes.c - fuzz target: a KUBERNETES input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "manifests.yaml", DC_FORMAT_KUBERNETES);
	return 0;
}
