/*
 * main.c - the depcheck command: a table of subcommands (git's commands[])
 * and the dispatch. Each subcommand lives in cmd_<name>.c.
 */
#include "cli.h"

#include <signal.h>
#include <string.h>

static const cli_command commands[] = {
	{ "validate", cmd_validate, "parse, resolve, report diagnostics and counts" },
	{ "show", cmd_show, "one service: attributes, dependencies, dependents, blast radius" },
	{ "path", cmd_path, "why FROM depends on TO: the dependency chains" },
	{ "export", cmd_export, "the normalized catalog as json, yaml or dot" },
	{ "simulate", cmd_simulate, "one failure scenario: who goes down or degraded, why, how fast" },
	{ "analyze", cmd_analyze, "cycles, SPOFs, blast radii, depth, hubs, retry amplification, timeouts" },
	{ "availability", cmd_availability, "effective availability vs SLO, importance, minimal cut sets" },
	{ "critical-path", cmd_critical_path, "latency critical chain per entrypoint" },
	{ "plan", cmd_plan, "deployment waves, lockstep groups, rollback and cold-start order" },
	{ "check", cmd_check, "the CI gate: policy rules, baselines, SARIF/JUnit/GitHub output" },
	{ "diff", cmd_diff, "what a change does to structure and risk: BASE vs HEAD" },
	{ "render", cmd_render, "a Graphviz map (svg, png, pdf, dot) with overlays" },
	{ "reconcile", cmd_reconcile, "declared vs observed dependencies (tracing data)" },
	{ "report", cmd_report, "one self-contained interactive HTML report (-o report.html)" },
	{ NULL, NULL, NULL }
};

const cli_command *cli_commands(void)
{
	return commands;
}

static void usage(FILE *fp)
{
	const cli_command *c;
	fprintf(fp, "usage: depcheck <command> [options] PATH...\n\n"
		"depcheck reads service descriptors (its own YAML/JSON, Backstage catalogs,\n"
		"Compose files, DOT) and answers: if this breaks, what else breaks?\n\ncommands:\n");
	for (c = commands; c->name; c++)
		fprintf(fp, "  %-14s %s\n", c->name, c->summary);
	fprintf(fp, "\n'depcheck help CMD' or 'depcheck CMD --help' for a command's options.\n"
		"'depcheck --version' prints the version.\n");
}

static const cli_command *find(const char *name)
{
	const cli_command *c;
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int main(int argc, char **argv)
{
	const cli_command *c;
	/* a closed pipe (`depcheck export ... | head -1`) is a write error like
	 * a full disk: reported by cli_finish with exit 2, not a silent death
	 * by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("depcheck %s\n", dc_version());
		return fflush(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return fflush(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		char *hargv[3];
		if (argc < 3) {
			usage(stdout);
			return DC_EXIT_OK;
		}
		c = find(argv[2]);
		if (!c) {
			fprintf(stderr, "depcheck: unknown command '%s'\n", argv[2]);
			return DC_EXIT_USAGE;
		}
		hargv[0] = argv[2];
		hargv[1] = "--help";
		hargv[2] = NULL;
		return c->run(2, hargv);
	}
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "depcheck: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return DC_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
