/* fuzz_envoy.c - fuzz target: an Envoy configuration dump or bootstrap (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "config_dump.json", DC_FORMAT_ENVOY);
	return 0;
}
