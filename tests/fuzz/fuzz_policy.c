/* fuzz_policy.c - fuzz target: a policy file (depcheck check --policy),
 * parsed and, when valid, checked against the harness's fixed catalog. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_policy *p = NULL;
	dc_diags *diags = NULL;
	dc_violations *v = NULL;
	char *buf = malloc(size ? size : 1); /* exactly size bytes: ASan sees over-reads */
	int rc;

	if (!buf || dc_diags_new(&diags)) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	rc = dc_policy_parse(&p, "policy.yaml", buf, size, diags);
	if (rc != 0 && rc != DC_EPARSE && rc != DC_EINVALID && rc != DC_ENOMEM && rc != DC_ELIMIT) {
		fprintf(stderr, "policy_parse: undocumented status %d\n", rc);
		abort();
	}
	if (rc == 0 && (p == NULL || dc_diags_count_severity(diags, DC_SEV_ERROR) != 0)) {
		fprintf(stderr, "policy_parse: success with errors or no policy\n");
		abort();
	}
	/* min-availability runs Monte Carlo with the trials the file asks for
	 * (up to 10^9): a fuzzer would spend its time there, not parsing */
	if (p && dc_policy_rule_level(p, dc_policy_rule_find(p, "min-availability")) == DC_LEVEL_OFF &&
	    dc_violations_new(&v) == 0) {
		rc = dc_check(v, dc_fuzz_fixed_graph(), NULL, p, NULL);
		if (rc != 0 && rc != DC_ENOMEM) {
			fprintf(stderr, "check: undocumented status %d\n", rc);
			abort();
		}
	}
	dc_violations_free(v);
	dc_policy_free(p);
	dc_diags_free(diags);
	free(buf);
	return 0;
}
