/* fuzz_compose.c - fuzz target: a COMPOSE input (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "docker-compose.yml", DC_FORMAT_COMPOSE);
	return 0;
}
