/*
 * main.c - the depcheck command: a table of subcommands (git's commands[])
 * and the dispatch. Each subcommand lives in cmd_<name>.c.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

/* name, function, flags (what cli_start does before the command runs:
 * CLI_LOAD loads the positional arguments as the catalog), summary */
static const cli_command commands[] = {
	{ "validate", cmd_validate, CLI_LOAD, "parse, resolve, report diagnostics and counts"},
	{ "show", cmd_show, CLI_LOAD, "one service: attributes, dependencies, dependents, blast radius"},
	{ "path", cmd_path, CLI_LOAD, "why FROM depends on TO: the dependency chains"},
	{ "export", cmd_export, CLI_LOAD, "the normalized catalog as json, yaml or dot"},
	{ "simulate", cmd_simulate, CLI_LOAD, "one failure scenario: who goes down or degraded, why, how fast"},
	{ "analyze", cmd_analyze, CLI_LOAD, "cycles, SPOFs, blast radii, depth, hubs, retry amplification, timeouts"},
	{ "availability", cmd_availability, CLI_LOAD, "effective availability vs SLO, importance, minimal cut sets"},
	{ "critical-path", cmd_critical_path, CLI_LOAD, "latency critical chain per entrypoint"},
	{ "plan", cmd_plan, CLI_LOAD, "deployment waves, lockstep groups, rollback and cold-start order"},
	{ "check", cmd_check, CLI_LOAD, "the CI gate: policy rules, baselines, SARIF/JUnit/GitHub output"},
	{ "diff", cmd_diff, 0, "what a change does to structure and risk: BASE vs HEAD"},
	{ "render", cmd_render, CLI_LOAD, "a Graphviz map (svg, png, pdf, dot) with overlays"},
	{ "reconcile", cmd_reconcile, CLI_LOAD, "declared vs observed dependencies (tracing data)"},
	{ "report", cmd_report, CLI_LOAD, "one self-contained interactive HTML report (-o report.html)"},
	{ NULL, NULL, 0, NULL }
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
		"'depcheck --version' prints the version, the commit and the library versions.\n");
}

#ifndef DC_COMMIT
#define DC_COMMIT "unknown"
#endif

/* The version, the commit it was built from, and the libraries it runs
 * with as they report themselves (a bug report needs all of them). */
static int version(void)
{
	static const struct {
		dc_library lib;
		const char *name;
	} libs[] = { { DC_LIB_GRAPHVIZ, "graphviz" }, { DC_LIB_LIBYAML, "libyaml" },
		     { DC_LIB_JANSSON, "jansson" } };
	size_t i;
	printf("depcheck %s\ncommit: %s\n", dc_version(), DC_COMMIT);
	for (i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		const char *v = dc_library_version(libs[i].lib);
		printf("%s: %s\n", libs[i].name, v ? v : "unknown");
	}
	return fclose(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
}

static const cli_command *find(const char *name)
{
	const cli_command *c;
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Run one command: the single exit path. Whatever the command did, its
 * output is finished here (the temporary file behind -o renamed into
 * place, or removed on failure) and standard output is closed and checked,
 * so a full disk or a closed pipe is exit 2 with a message, never a silent
 * success (jq's main does the same). */
static int run(const cli_command *cmd, int argc, char **argv)
{
	cli c;
	int rc, bad;
	memset(&c, 0, sizeof(c));
	c.cmd = cmd->name;
	c.flags = cmd->flags;
	c.argc = argc;
	c.argv = argv;
	rc = cmd->run(&c);
	rc = cli_finish(&c, rc);
	cli_free(&c);
	bad = fflush(stdout) != 0 || ferror(stdout);
	bad |= fclose(stdout) != 0;
	if (bad && rc != DC_EXIT_USAGE) {
		fprintf(stderr, "depcheck %s: error writing output: %s\n", cmd->name, strerror(errno));
		rc = DC_EXIT_USAGE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const cli_command *c;
	/* a closed pipe (`depcheck export ... | head -1`) is a write error like
	 * a full disk: reported at the exit path with exit 2, not a silent death
	 * by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return version();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return fclose(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		char *hargv[3];
		if (argc < 3) {
			usage(stdout);
			return fclose(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
		}
		c = find(argv[2]);
		if (!c) {
			fprintf(stderr, "depcheck: unknown command '%s'\n", argv[2]);
			return DC_EXIT_USAGE;
		}
		hargv[0] = argv[2];
		hargv[1] = "--help";
		hargv[2] = NULL;
		return run(c, 2, hargv);
	}
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "depcheck: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return DC_EXIT_USAGE;
	}
	return run(c, argc - 1, argv + 1);
}
