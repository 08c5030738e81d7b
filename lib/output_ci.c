/*
 * output_ci.c - findings in the formats CI systems read: SARIF 2.1.0
 * (code scanning), JUnit XML (test reports) and GitHub workflow commands
 * (annotations). Input is attacker-controlled in CI: every string is
 * escaped for its format, so nothing in a catalog becomes markup or a
 * workflow command.
 */
#include "output_int.h"

/* ---- policy: violations, check, reconcile, diff -------------------------- */
