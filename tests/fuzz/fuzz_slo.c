/* fuzz_slo.c - fuzz target: a SLO input (OpenSLO, Sloth, Pyrra, Prometheus answer, CSV of measured availabilities) (see harness.c). */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_fuzz_catalog(data, size, "slo.yaml", DC_FORMAT_SLO);
	return 0;
}
