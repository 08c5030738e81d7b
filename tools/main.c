/*
 * main.c - the depcheck command: a table of subcommands (git's commands[])
 * and the dispatch. Each subcommand lives in cmd_<name>.c.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

/* name, function, flags (what cli_start does before the command runs:
 * CLI_LOAD loads the positional arguments as the catalog), summary */
static const cli_command commands[] = {
	{ "validate", cmd_validate, CLI_LOAD, "parse, resolve, report diagnostics and counts"},
	{ "show", cmd_show, CLI_LOAD, "one service: attributes, dependencies, dependents, blast radius"},
	{ "path", cmd_path, CLI_LOAD, "why FROM depends on TO: the dependency chains"},
	{ "export", cmd_export, CLI_LOAD, "the normalized catalog as json, yaml or dot"},
	{ "simulate", cmd_simulate, CLI_LOAD, "one failure scenario: who goes down or degraded, why, how fast"},
	{ "analyze", cmd_analyze, CLI_LOAD, "cycles, SPOFs, blast radii, depth, hubs, retries, timeouts"},
	{ "availability", cmd_availability, CLI_LOAD, "effective availability vs SLO, importance, minimal cut sets"},
	{ "critical-path", cmd_critical_path, CLI_LOAD, "latency critical chain per entrypoint"},
	{ "plan", cmd_plan, CLI_LOAD, "deployment waves, lockstep groups, rollback, cold-start order"},
	{ "check", cmd_check, CLI_LOAD | CLI_LOAD_BROKEN, "the CI gate: policy rules, baselines, SARIF/JUnit/GitHub output"},
	{ "diff", cmd_diff, 0, "what a change does to structure and risk: BASE vs HEAD"},
	{ "render", cmd_render, CLI_LOAD, "a Graphviz map (svg, png, pdf, dot) with overlays"},
	{ "reconcile", cmd_reconcile, CLI_LOAD, "declared vs observed dependencies (tracing data)"},
	{ "report", cmd_report, CLI_LOAD, "one self-contained interactive HTML report (-o report.html)"},
	{ "experiments", cmd_experiments, CLI_LOAD, "chaos experiments that test the riskiest predictions first"},
	{ "verify", cmd_verify, CLI_LOAD, "what chaos experiments observed vs the predictions; overlay fix"},
	{ NULL, NULL, 0, NULL }
};

const cli_command *cli_commands(void)
{
	return commands;
}

static void usage(FILE *fp)
{
	const cli_command *c;
	const cli_topic *t;
	fprintf(fp, "usage: depcheck <command> [options] PATH...\n\n"
		"depcheck reads service descriptors (its own YAML/JSON, Backstage catalogs,\n"
		"Kubernetes manifests, Compose files, DOT) and answers: if this breaks, what\n"
		"else breaks?\n\ncommands:\n");
	for (c = commands; c->name; c++)
		fprintf(fp, "  %-14s %s\n", c->name, c->summary);
	fprintf(fp, "\ntopics ('depcheck help TOPIC'):\n");
	for (t = cli_topics(); t->name; t++)
		fprintf(fp, "  %-14s %s\n", t->name, t->summary);
	fprintf(fp, "\n'depcheck help CMD' or 'depcheck CMD --help' for a command's options.\n"
		"'depcheck completion bash|zsh|fish' prints a shell completion script.\n"
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

const cli_command *cli_command_find(const char *name)
{
	const cli_command *c;
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* "unknown command 'X'" with the closest command or topic, as git does. */
static void unknown_command(const char *name, int topics)
{
	const char *names[64], *near;
	const cli_command *c;
	const cli_topic *t;
	size_t n = 0;
	for (c = commands; c->name && n < 64; c++)
		names[n++] = c->name;
	for (t = cli_topics(); topics && t->name && n < 64; t++)
		names[n++] = t->name;
	if (topics)
		fprintf(stderr, "depcheck: no command or help topic '%s'", name);
	else
		fprintf(stderr, "depcheck: unknown command '%s'", name);
	if ((near = dc_suggest(name, names, n)))
		fprintf(stderr, "; did you mean '%s'?\n", near);
	else
		fputc('\n', stderr);
	fprintf(stderr, "Try 'depcheck --help'.\n");
}

/* Run one command: the single exit path. Whatever the command did, its
 * output is finished here (the temporary file behind -o renamed into
 * place, or removed on failure) and standard output is closed and checked,
 * so a full disk is exit 2 with a message, never a silent success (jq's
 * main does the same). */
static int run_mode(const cli_command *cmd, int argc, char **argv, int help_mode, FILE *help_fp)
{
	cli c;
	int rc, bad;
	memset(&c, 0, sizeof(c));
	c.cmd = cmd->name;
	c.flags = cmd->flags;
	c.argc = argc;
	c.argv = argv;
	c.help_mode = help_mode;
	c.help_fp = help_fp;
	rc = cmd->run(&c);
	rc = cli_finish(&c, rc);
	cli_free(&c);
	if (help_mode == CLI_HELP_MAN)
		return rc; /* help --man-dir writes several pages: stdout stays open */
	bad = fflush(stdout) != 0 || ferror(stdout);
	bad |= fclose(stdout) != 0;
	if (bad && rc != DC_EXIT_USAGE) {
		fprintf(stderr, "depcheck %s: error writing output: %s\n", cmd->name, strerror(errno));
		rc = DC_EXIT_USAGE;
	}
	return rc;
}

static int run(const cli_command *cmd, int argc, char **argv)
{
	return run_mode(cmd, argc, argv, CLI_HELP_NONE, stdout);
}

static int close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "depcheck: error writing output: %s\n", strerror(errno));
		return DC_EXIT_USAGE;
	}
	return DC_EXIT_OK;
}

/* A command's man page, or a topic's, to fp. */
static int man_page(const char *name, FILE *fp)
{
	const cli_command *c;
	const cli_topic *t;
	char *argv[2];
	if (!name) {
		cli_man_main(fp);
		return DC_EXIT_OK;
	}
	if ((t = cli_topic_find(name))) {
		cli_man_topic(t, fp);
		return DC_EXIT_OK;
	}
	if (!(c = cli_command_find(name))) {
		unknown_command(name, 1);
		return DC_EXIT_USAGE;
	}
	argv[0] = (char *)name;
	argv[1] = NULL;
	return run_mode(c, 1, argv, CLI_HELP_MAN, fp);
}

/* help --man-dir DIR: every page into DIR/man1 and DIR/man7 (the build
 * runs it; cmake --install installs them) */
static int man_file(const char *dir, const char *sub, const char *name, const char *ext,
		    const char *page)
{
	char path[4096];
	FILE *fp;
	int rc;
	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, sub, name, ext);
	if (!(fp = fopen(path, "w"))) {
		fprintf(stderr, "depcheck help: cannot write '%s': %s\n", path, strerror(errno));
		return DC_EXIT_USAGE;
	}
	rc = man_page(page, fp);
	if (fclose(fp) != 0 && rc == DC_EXIT_OK) {
		fprintf(stderr, "depcheck help: error writing '%s'\n", path);
		rc = DC_EXIT_USAGE;
	}
	return rc;
}

static int man_dir(const char *dir)
{
	const cli_command *c;
	const cli_topic *t;
	char name[64], sub[4096];
	int rc;
	snprintf(sub, sizeof(sub), "%s/man1", dir);
	(void)mkdir(dir, 0777);
	(void)mkdir(sub, 0777);
	snprintf(sub, sizeof(sub), "%s/man7", dir);
	(void)mkdir(sub, 0777);
	rc = man_file(dir, "man1", "depcheck", ".1", NULL);
	for (c = commands; c->name && rc == DC_EXIT_OK; c++) {
		snprintf(name, sizeof(name), "depcheck-%s", c->name);
		rc = man_file(dir, "man1", name, ".1", c->name);
	}
	for (t = cli_topics(); t->name && rc == DC_EXIT_OK; t++) {
		snprintf(name, sizeof(name), "depcheck-%s", t->name);
		rc = man_file(dir, "man7", name, ".7", t->name);
	}
	return rc;
}

/* depcheck help [CMD|TOPIC] [--man] | help --man-dir DIR */
/* `depcheck completion --help` and `depcheck help completion` */
static void completion_help(FILE *fp)
{
	fputs("usage: depcheck completion bash|zsh|fish\n\n"
	      "Print the completion script for a shell: commands, options, -f formats, file\n"
	      "names and, once a catalog is on the command line, its service names and\n"
	      "selectors (the script asks depcheck for them).\n\n"
	      "examples:\n"
	      "  source <(depcheck completion bash)\n"
	      "      completion in this bash session\n"
	      "  depcheck completion fish > ~/.config/fish/completions/depcheck.fish\n"
	      "      installed for fish\n\n"
	      "exit status:\n"
	      "  0  success\n"
	      "  2  no shell, or one depcheck has no script for\n",
	      fp);
}

static int help(int argc, char **argv)
{
	const cli_command *c;
	const cli_topic *t;
	const char *name = NULL;
	int man = 0, i;
	char *hargv[3];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--man"))
			man = 1;
		else if (!strcmp(argv[i], "--man-dir") && i + 1 < argc)
			return man_dir(argv[++i]);
		else if (argv[i][0] == '-' || name) {
			fprintf(stderr, "depcheck help: unexpected '%s'\n"
				"usage: depcheck help [COMMAND|TOPIC] [--man]\n", argv[i]);
			return DC_EXIT_USAGE;
		} else
			name = argv[i];
	}
	if (man) {
		int rc = man_page(name, stdout);
		return rc == DC_EXIT_OK ? close_stdout() : rc;
	}
	if (!name) {
		usage(stdout);
		return close_stdout();
	}
	if ((t = cli_topic_find(name))) {
		cli_help_topic(t, stdout);
		return close_stdout();
	}
	if (!strcmp(name, "completion")) {
		completion_help(stdout);
		return close_stdout();
	}
	if (!strcmp(name, "help")) {
		usage(stdout);
		return close_stdout();
	}
	if (!(c = cli_command_find(name))) {
		unknown_command(name, 1);
		return DC_EXIT_USAGE;
	}
	hargv[0] = (char *)name;
	hargv[1] = "--help";
	hargv[2] = NULL;
	return run(c, 2, hargv);
}

/* depcheck __complete WORD...: the candidates for the last word, one a
 * line (the completion scripts call it; not for people). */
static int complete(int argc, char **argv)
{
	const cli_command *c;
	const cli_topic *t;
	const char *cur = argc > 2 ? argv[argc - 1] : "";
	size_t len = strlen(cur);
	if (argc <= 3) {
		/* the command itself */
		for (c = commands; c->name; c++)
			if (!strncmp(c->name, cur, len))
				printf("%s\n", c->name);
		if (!strncmp("help", cur, len))
			printf("help\n");
		if (!strncmp("completion", cur, len))
			printf("completion\n");
		return close_stdout();
	}
	if (!strcmp(argv[2], "help")) {
		if (argc == 4) {
			for (c = commands; c->name; c++)
				if (!strncmp(c->name, cur, len))
					printf("%s\n", c->name);
			for (t = cli_topics(); t->name; t++)
				if (!strncmp(t->name, cur, len))
					printf("%s\n", t->name);
		}
		return close_stdout();
	}
	if (!strcmp(argv[2], "completion")) {
		static const char *const shells[] = { "bash", "zsh", "fish" };
		size_t i;
		for (i = 0; argc == 4 && i < 3; i++)
			if (!strncmp(shells[i], cur, len))
				printf("%s\n", shells[i]);
		return close_stdout();
	}
	if (!(c = cli_command_find(argv[2])))
		return close_stdout();
	return run_mode(c, argc - 2, argv + 2, CLI_HELP_COMPLETE, stdout);
}

int main(int argc, char **argv)
{
	const cli_command *c;
	/* a closed pipe (`depcheck export ... | head -1`) ends the program
	 * quietly, as it does cat and git: killed by SIGPIPE, which the shell
	 * reports as status 141. Explicitly the default, in case the parent
	 * left it ignored. */
	signal(SIGPIPE, SIG_DFL);
	if (argc < 2) {
		usage(stderr);
		return DC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return version();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return close_stdout();
	}
	if (!strcmp(argv[1], "help"))
		return help(argc, argv);
	if (!strcmp(argv[1], "completion")) {
		if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			completion_help(stdout);
			return close_stdout();
		}
		if (argc != 3 || cli_completion_script(argv[2], stdout)) {
			fprintf(stderr, "depcheck completion: %s%s%s\nusage: depcheck completion bash|zsh|fish\n",
				argc < 3 ? "which shell?" : argc > 3 ? "one shell only" : "no completion for '",
				argc == 3 ? argv[2] : "", argc == 3 ? "'" : "");
			return DC_EXIT_USAGE;
		}
		return close_stdout();
	}
	if (!strcmp(argv[1], "__complete"))
		return complete(argc, argv);
	c = cli_command_find(argv[1]);
	if (!c) {
		unknown_command(argv[1], 0);
		return DC_EXIT_USAGE;
	}
	return run(c, argc - 1, argv + 1);
}
