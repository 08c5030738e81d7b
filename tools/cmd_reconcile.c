#include "cli.h"
int cmd_reconcile(int argc, char **argv) { (void)argc; (void)argv; return 2; }
