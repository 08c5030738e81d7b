/*
 * cli.h - what every depcheck subcommand shares: exit codes, option
 * parsing, loading the catalog, printing diagnostics, atomic output.
 *
 * Adding a command: see tools/README.md.
 */
#ifndef DC_CLI_H
#define DC_CLI_H

#include <stdio.h>
#include <depcheck/depcheck.h>

/* Exit codes (DESIGN.md §4); listed in the README. */
#define DC_EXIT_OK 0        /* success, or the gate passes */
#define DC_EXIT_FINDINGS 1  /* findings: validation errors, violations, no path */
#define DC_EXIT_USAGE 2     /* usage error, or input that cannot be analyzed */

/* A command-specific option. `id` is returned by cli_parse for it. */
typedef struct {
	const char *name;   /* long name, without -- */
	int short_name;     /* 0 for none */
	int has_arg;        /* 0 or 1 */
	int id;             /* >= 1000 */
	const char *help;   /* "ARG  text" shown by --help */
} cli_option;

typedef struct cli cli;
typedef int (*cli_option_fn)(cli *c, int id, const char *arg);

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_command;

struct cli {
	const char *cmd;            /* subcommand name */
	const char *usage;          /* "PATH... SERVICE" */
	const char *description;
	const char *formats;        /* accepted -f values, "text,json" */
	const cli_option *opts;     /* command options, terminated by name == NULL */
	const char *format;         /* -f, default "text" */
	const char *output;         /* -o, or NULL for stdout */
	dc_load_options load;
	int color;                  /* resolved: 1 to colour stderr diagnostics */
	int color_out;              /* resolved: 1 to colour stdout text */
	int quiet;
	char **args;                /* positional arguments */
	int nargs;
	dc_diags *diags;
	dc_catalog *cat;
	dc_graph *graph;
	FILE *out;                  /* where results go (stdout or a temp file) */
	char *tmp_path;             /* temp file behind -o, renamed on success */
	char *target;               /* what -o names, symlinks resolved */
	int direct;                 /* -o is a device or FIFO: written in place */
	struct cli_input *inputs;   /* files read (cli_note_input): never overwritten by -o */
	size_t ninputs;
};

/* Parse argv (argv[0] is the command name). Returns -1 to continue, or an
 * exit code (help printed: 0; usage error: 2). `on_opt` receives command
 * options. */
int cli_parse(cli *c, int argc, char **argv, cli_option_fn on_opt);
/* Print the command's help to fp. */
void cli_help(const cli *c, FILE *fp);
/* Usage error: message to stderr, returns DC_EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Out of memory: "depcheck CMD: out of memory" to stderr, returns
 * DC_EXIT_USAGE. Every failure exit says why. */
int cli_oom(const cli *c);
/* A decimal option value from 0 to max (no sign). Returns 0 or -1. */
int cli_parse_u64(const char *arg, uint64_t max, uint64_t *out);
/* Check that -f is one of c->formats. Returns 0 or prints a usage error. */
int cli_check_format(cli *c);
int cli_format_is(const cli *c, const char *f);

/* Load paths into c->cat, finalize, build the graph, print diagnostics.
 * Returns 0 when the catalog can be analyzed, else DC_EXIT_USAGE. */
int cli_load(cli *c, char **paths, int npaths);
/* Print (sorted) diagnostics to stderr, honouring -q and colour. */
void cli_print_diags(cli *c);
/* Resolve a service name given on the command line (prints the error). */
int cli_find(cli *c, const char *name, dc_id *out);

/* Add failure selectors (each arg may be a comma list) to sel; prints the
 * error (unknown, ambiguous, invalid) and returns DC_EXIT_USAGE, or 0. */
int cli_select(cli *c, dc_selection *sel, char *const *args, size_t n);

/* Remember a file the command read, so that -o refuses to overwrite it
 * (compared by device and inode: symlinks and hard links to it count).
 * cli_load notes every file of the catalog; a command that reads other
 * files (a second catalog, a policy file) notes them too. "-" notes what
 * standard input is, if it is a file. Returns 0, or DC_EXIT_USAGE when out
 * of memory (message printed). */
int cli_note_input(cli *c, const char *path);
int cli_note_catalog(cli *c, const dc_catalog *cat);

/* Open the output (stdout, or a temp file next to -o). Refuses, with exit
 * 2, an -o that names one of the noted inputs. */
int cli_open_output(cli *c);
/* Finish: on success rename the temp file into place (or flush stdout and
 * check for write errors); on failure remove it. Returns the exit code to
 * use: `code`, or DC_EXIT_USAGE if writing failed. */
int cli_finish(cli *c, int code);

/* Colour helpers for text output (no-ops without colour). */
const char *cli_c(const cli *c, const char *what);

/* Pieces of text and JSON output that commands share. */
/* "\nTitle (n)" in bold: the head of a text section */
void cli_section(cli *c, const char *title, size_t n);
/* "  ... and N more" when a section was cut at `shown` of `total` */
void cli_more(cli *c, size_t shown, size_t total);
/* "  FILE:LINE:COLUMN" (dimmed) after a text line; nothing when unknown */
void cli_where(cli *c, dc_location l);
/* "file", "line", "column" keys (null when unknown) */
void cli_json_loc(dc_jsonw *w, dc_location l);

void cli_free(cli *c);

/* The commands. */
int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_availability(int argc, char **argv);
int cmd_critical_path(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_report(int argc, char **argv);

const cli_command *cli_commands(void);

#endif
