/* fuzz_grpc.c - fuzz target: a gRPC service config (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "service-config.json", DC_FORMAT_GRPC);
	return 0;
}
