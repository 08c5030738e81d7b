/*
 * tests/main.c - registers every CUnit suite (one per tests/test_<module>.c,
 * listed in the generated suites.inc) and runs one suite by name, or all.
 * Exit status is non-zero when any assertion failed.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#define SUITE(m) int suite_##m(void);
#include "suites.inc"
#undef SUITE

typedef struct {
	const char *name;
	int (*reg)(void);
} suite_entry;

static const suite_entry suites[] = {
#define SUITE(m) { #m, suite_##m },
#include "suites.inc"
#undef SUITE
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	const suite_entry *s;
	unsigned failed;
	int found = 0;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (s = suites; s->name; s++) {
		if (argc > 1 && strcmp(argv[1], s->name) != 0)
			continue;
		found = 1;
		if (s->reg() != 0) {
			fprintf(stderr, "cannot register suite %s\n", s->name);
			CU_cleanup_registry();
			return 2;
		}
	}
	if (!found) {
		fprintf(stderr, "no suite named '%s'\n", argv[1]);
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1; /* a suite that runs nothing is a broken suite */
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
