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

/* Exit codes listed in the README. */
#define DC_EXIT_OK 0        /* success, or the gate passes */
#define DC_EXIT_FINDINGS 1  /* findings: validation errors, violations, no path */
#define DC_EXIT_USAGE 2     /* usage error, or input that cannot be analyzed */

typedef struct cli cli;

/* ---- option specs bound to variables ----------------------------------------
 * (libgit2's src/cli/opt.h): a command lists its options once, each with
 * the variable it sets and how its value is parsed and checked, and
 * cli_start() does the rest, usage errors included. A number out of range,
 * or a word not among the choices, is "--NAME takes EXPECT, not 'ARG'". */
typedef enum {
	CLI_OPT_FLAG,    /* no value: *(int *)value = 1 */
	CLI_OPT_STRING,  /* *(const char **)value = the argument (the last one given wins) */
	CLI_OPT_U64,     /* *(uint64_t *)value: a decimal from min to max */
	CLI_OPT_UINT,    /* *(unsigned *)value: likewise */
	CLI_OPT_SIZE,    /* *(size_t *)value: likewise */
	CLI_OPT_DOUBLE,  /* *(double *)value: a number from dmin to dmax */
	CLI_OPT_LIST,    /* appended to *(cli_list *)value: the option repeats */
	CLI_OPT_FN,      /* fn(c, o, arg) parses the value (or the flag, arg NULL) */
	CLI_OPT_CHOICE   /* *(int *)value: the index of the argument in `choices` */
} cli_opt_type;

typedef struct cli_opt cli_opt;
struct cli_opt {
	const char *name;      /* long name, without -- */
	int short_name;        /* 0 for none */
	cli_opt_type type;
	void *value;           /* the variable it sets */
	const char *help;      /* "ARG  text" shown by --help */
	const char *expect;    /* numbers, choices: what the usage error says it takes */
	uint64_t min, max;     /* U64, UINT, SIZE */
	double dmin, dmax;     /* DOUBLE */
	int has_arg;           /* FN: 1 when it takes a value */
	/* FN: returns -1 to go on, or an exit code (usage error printed) */
	int (*fn)(cli *c, const cli_opt *o, const char *arg);
	const char *choices;   /* CHOICE: the accepted words, "a,b,c" */
	/* shell completion of the value (CLI_COMPLETE_*; 0: a file name when
	 * the option takes a STRING or LIST, nothing for numbers) */
	int complete;
	const char *values;    /* CLI_COMPLETE_WORDS: the words, "a,b,c" */
};

/* What an option's value is, for `depcheck completion` (cli_opt.complete). */
enum {
	CLI_COMPLETE_FILE = 0,
	CLI_COMPLETE_NONE,      /* a number or free text */
	CLI_COMPLETE_SERVICE,   /* a service name of the catalog on the command line */
	CLI_COMPLETE_SELECTOR,  /* a service name, or zone:, system:, owner:, tag: values */
	CLI_COMPLETE_WORDS      /* one of cli_opt.values */
};

/* A repeatable option's values, in command-line order (borrowed from argv;
 * the array is freed by cli_free). */
typedef struct {
	const char **items;
	size_t n;
} cli_list;

/* What a command is: its help texts and options. */
typedef struct {
	const char *usage;         /* "PATH... SERVICE" */
	const char *description;
	const char *formats;       /* accepted -f values, the default first: "text,json" */
	const cli_opt *opts;       /* terminated by name == NULL; may be NULL */
	int trailing;              /* CLI_LOAD: positional arguments after the inputs */
	const char *args_error;    /* CLI_LOAD: usage error when those are missing */
	/* after parsing, before the catalog is loaded: combinations of options
	 * and arguments, and inputs read first (a policy); returns -1 to go on,
	 * or an exit code (message printed) */
	int (*prepare)(cli *c);
	/* --help and the man page (tools/help.c): one or two examples, each
	 * "COMMAND LINE\nwhat it does\n"; what exit 0 means (NULL: "success")
	 * and exit 1 (NULL: the command never exits 1). Exit 2 is always a
	 * usage error or input that cannot be analyzed. */
	const char *examples;
	const char *exit_ok;
	const char *exit_findings;
	/* CLI_LOAD with trailing: what the trailing arguments are, for
	 * completion (CLI_COMPLETE_SERVICE for show and path) */
	int trailing_complete;
} cli_spec;

/* A CLI_OPT_FN for "--NAME N": lines per section, 0 = all; *(size_t *)value
 * receives N, or SIZE_MAX for 0. */
int cli_opt_limit(cli *c, const cli_opt *o, const char *arg);
/* "--threads T" of the commands that run the blast sweep (analyze, check,
 * plan, report, simulate --each), bound to an unsigned (0 = not given: every
 * online CPU), as availability's --threads. */
#define CLI_OPT_THREADS(var)                                                                      \
	{ .name = "threads", .type = CLI_OPT_UINT, .value = (var), .min = 1, .max = 64,            \
	  .expect = "a number from 1 to 64",                                                       \
	  .help = "T  threads of the blast sweep (default: online CPUs) and of the load (1: no parser thread); results do not depend on it" }

/* Flags of a command in main.c's table (git's RUN_SETUP): what cli_start
 * does for it after parsing. */
enum {
	CLI_LOAD = 1 << 0,  /* the positional arguments, less spec->trailing,
			       are the catalog: loaded into c->cat and c->graph */
	CLI_LOAD_BROKEN = 1 << 1 /* a file with a syntax error (DC_EPARSE) does not
			       stop the load: the rest is finalized and the command
			       reports the error as a finding (check, diff);
			       c->broken counts such files */
};

typedef struct {
	const char *name;
	int (*run)(cli *c);        /* returns an exit code; cli_finish runs after it */
	unsigned flags;            /* CLI_* */
	const char *summary;
} cli_command;

struct cli {
	const char *cmd;            /* subcommand name */
	const char *format;         /* -f, default "text" */
	const char *output;         /* -o, or NULL for stdout */
	dc_load_options load;
	int color;                  /* resolved: 1 to colour stderr diagnostics */
	int color_out;              /* resolved: 1 to colour stdout text */
	int quiet;
	char **args;                /* positional arguments */
	int nargs;
	dc_diags *diags;
	cli_list include, exclude;  /* --include / --exclude GLOB (c->load points at them) */
	dc_catalog *cat;
	dc_graph *graph;
	FILE *out;                  /* where results go (stdout or a temp file) */
	char *tmp_path;             /* temp file behind -o, renamed on success */
	char *target;               /* what -o names, symlinks resolved */
	int direct;                 /* -o is a device or FIFO: written in place */
	struct cli_input *inputs;   /* files read (cli_note_input): never overwritten by -o */
	size_t ninputs;
	unsigned flags;             /* the command's CLI_* flags (from main.c's table) */
	int argc;                   /* the command's arguments, argv[0] its name */
	char **argv;
	const cli_spec *spec;       /* set by cli_start */
	int started_output;         /* cli_output was called */
	const char *config_path;    /* --config FILE */
	int no_config;              /* --no-config */
	dc_config *config;          /* the project config read, or NULL */
	int broken;                 /* CLI_LOAD_BROKEN: the last load met a syntax error */
	const char *width_arg;      /* --width N as given, NULL when not */
	size_t width;               /* text wraps to this many columns; 0: not at all */
	FILE *wrap_out;             /* wrapping: where the wrapped text goes (c->out is a buffer) */
	char *wrap_buf;             /* the buffer behind c->out while wrapping */
	size_t wrap_len;
	/* set by main.c before the command runs: cli_start prints the help
	 * (CLI_HELP_TEXT), the man page (CLI_HELP_MAN) or the completions of
	 * the last of c->argv (CLI_HELP_COMPLETE) and returns 0 */
	int help_mode;
	FILE *help_fp;              /* where CLI_HELP_MAN writes (stdout otherwise) */
	dc_assumptions assume;      /* what the answer rests on (cli_assume) */
	/* --observed on a command whose analyses use observed edges (set by
	 * the command before cli_start; observed_opts.h): read after prepare,
	 * added to the catalog before it is finalized */
	struct observed_opts *obs_opts;
	dc_observed *observed;      /* what was read, or NULL */
};

enum { CLI_HELP_NONE, CLI_HELP_TEXT, CLI_HELP_MAN, CLI_HELP_COMPLETE };

/* Parse argv as the spec says (common options, then the command's), run
 * its check, and load the catalog when the command has CLI_LOAD. Returns
 * -1 to go on, or an exit code (help printed: 0; usage error or unusable
 * input: 2, message printed). */
int cli_start(cli *c, const cli_spec *spec);
/* Where the result goes: stdout or the temporary file behind -o, opened on
 * the first call (so every input noted before it is protected from -o).
 * NULL when it cannot be opened (message printed: exit 2). */
FILE *cli_output(cli *c);
/* The writers' options: -f, colour on stdout, -q. */
dc_output_options cli_output_options(const cli *c);
/* How many inputs the project config gives (0: none, or no config): used
 * for PATH... when the command line has none. */
size_t cli_config_inputs(const cli *c);
/* State what the answer rests on (DC_ASSUME_* topics) in oo: the writers
 * print it ("assumed: ..." / JSON "assumptions"). */
void cli_assume(cli *c, dc_output_options *oo, unsigned topics);
/* The positional arguments after the inputs (CLI_LOAD): the i-th of
 * spec->trailing. */
const char *cli_trailing(const cli *c, int i);

/* Usage error: message to stderr, returns DC_EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A decimal option value from 0 to max (no sign). Returns 0 or -1. */
int cli_parse_u64(const char *arg, uint64_t max, uint64_t *out);
/* Out of memory: "depcheck CMD: out of memory" to stderr, returns
 * DC_EXIT_USAGE. Every failure exit says why. */
int cli_oom(const cli *c);
/* Check that -f is one of the spec's formats. Returns 0 or prints a usage error. */
int cli_check_format(cli *c);
int cli_format_is(const cli *c, const char *f);

/* Load paths into c->cat, finalize, build the graph, print diagnostics.
 * Returns 0 when the catalog can be analyzed, else DC_EXIT_USAGE. */
int cli_load(cli *c, char *const *paths, int npaths);
/* Load one catalog of several (diff's BASE and HEAD) into *cat and *g,
 * owned by the caller, with its own diagnostics printed as cli_load does;
 * its files are noted as inputs. Returns 0 or DC_EXIT_USAGE (said). */
int cli_load_side(cli *c, const char *const *paths, size_t n, dc_catalog **cat, dc_graph **g);
/* Print the diagnostics added since index `from` (a library call's, such
 * as Graphviz's messages about a map) as "depcheck CMD: FILE:...": all of
 * them when the call failed, else unless -q. */
void cli_print_new_diags(cli *c, size_t from, int failed);
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

void cli_free(cli *c);

/* The commands: main.c runs cmd_NAME(c) with c->cmd, c->argc/argv and
 * c->flags set, then cli_finish and cli_free (the single exit path). */
int cmd_check(cli *c);
int cmd_diff(cli *c);
int cmd_reconcile(cli *c);
int cmd_validate(cli *c);
int cmd_show(cli *c);
int cmd_path(cli *c);
int cmd_export(cli *c);
int cmd_simulate(cli *c);
int cmd_analyze(cli *c);
int cmd_availability(cli *c);
int cmd_critical_path(cli *c);
int cmd_plan(cli *c);
int cmd_render(cli *c);
int cmd_report(cli *c);
int cmd_experiments(cli *c);
int cmd_verify(cli *c);
/* The plan of `experiments` and `verify`: importance by availability's
 * defaults, then dc_experiments_plan (cmd_experiments.c). 0 or an exit code
 * (said); *x and *a are the caller's to free. */
int cli_experiments_plan(cli *c, dc_failure_mode mode, dc_experiments **x, dc_availability **a);

const cli_command *cli_commands(void);
/* The command named `name`, or NULL. */
const cli_command *cli_command_find(const char *name);

/* ---- help (tools/help.c) -----------------------------------------------------
 * One source, two renderings: --help (text, at most 80 columns) and the
 * man page (roff) come from the same cli_spec, so they cannot disagree. */
void cli_help_text(const cli *c, FILE *fp);
void cli_help_man(const cli *c, FILE *fp);
/* The help topics (`depcheck help TOPIC`): name, one line, text. */
typedef struct {
	const char *name;
	const char *summary;
	const char *text;    /* lines of at most 78 columns; "  " lines are code */
} cli_topic;
const cli_topic *cli_topics(void);
const cli_topic *cli_topic_find(const char *name);
/* depcheck(1) and the topics' man pages depcheck-TOPIC(7). */
void cli_man_main(FILE *fp);
void cli_man_topic(const cli_topic *t, FILE *fp);
void cli_help_topic(const cli_topic *t, FILE *fp);
/* Completion (cli.c): print the candidates for the last word of
 * c->argv[1..argc), one per line, per the spec. */
int cli_complete(cli *c);
/* The completion scripts (`depcheck completion SHELL`): 0, or -1 for an
 * unknown shell. */
int cli_completion_script(const char *shell, FILE *fp);
/* Wrap `text` (one paragraph, no newlines) to `width` columns, starting at
 * column `col` with continuation lines indented by `indent`. */
void cli_wrap(FILE *fp, const char *text, size_t len, int col, int indent, int width);

#endif
