/*
 * cli.c - option parsing, loading and output shared by all subcommands.
 *
 * Options may appear anywhere among the arguments (getopt_long permutes);
 * `--` ends them. Results go to stdout or, with -o, to a temporary file in
 * the target's directory that is renamed over the target only when the
 * command succeeded: a failed run never leaves a half-written file.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h',
       OPT_INPUT_FORMAT = 900, OPT_COLOR, OPT_LIMIT, OPT_INCLUDE, OPT_EXCLUDE, OPT_PROFILE, OPT_ENV_FILE, OPT_TELEMETRY_HARD,
       OPT_SPEC = 2000 /* + the index of a spec option */ };

/* The index of `word` in the comma list `list` ("text,json"), or -1. */
static int list_index(const char *list, const char *word)
{
	size_t len = strlen(word);
	int i;
	for (i = 0; list && *list; i++) {
		size_t n = strcspn(list, ",");
		if (n == len && strncmp(list, word, n) == 0)
			return i;
		list += n + (list[n] != '\0');
	}
	return -1;
}

static int opt_has_arg(const cli_opt *o)
{
	return o->type == CLI_OPT_FN ? o->has_arg : o->type != CLI_OPT_FLAG;
}

/* A spec option's short name as getopt returns it: OPT_SPEC + its index,
 * or ch when no spec option has it. */
static int spec_short(const cli *c, int ch)
{
	const cli_opt *so;
	for (so = c->spec->opts; so && so->name; so++)
		if (so->short_name == ch)
			return OPT_SPEC + (int)(so - c->spec->opts);
	return ch;
}

/* A spec option's value into its variable. Returns -1, or an exit code. */
static int set_opt(cli *c, const cli_opt *o, const char *arg)
{
	uint64_t v = 0;
	switch (o->type) {
	case CLI_OPT_FLAG:
		*(int *)o->value = 1;
		return -1;
	case CLI_OPT_STRING:
		*(const char **)o->value = arg;
		return -1;
	case CLI_OPT_U64:
	case CLI_OPT_UINT:
	case CLI_OPT_SIZE:
		if (cli_parse_u64(arg, o->max, &v) || v < o->min)
			return cli_usage_error(c, "--%s takes %s, not '%s'", o->name, o->expect, arg);
		if (o->type == CLI_OPT_U64)
			*(uint64_t *)o->value = v;
		else if (o->type == CLI_OPT_UINT)
			*(unsigned *)o->value = (unsigned)v;
		else
			*(size_t *)o->value = (size_t)v;
		return -1;
	case CLI_OPT_DOUBLE: {
		char *end;
		double d;
		errno = 0;
		d = strtod(arg, &end);
		if (!*arg || *end || errno || !(d >= o->dmin && d <= o->dmax))
			return cli_usage_error(c, "--%s takes %s, not '%s'", o->name, o->expect, arg);
		*(double *)o->value = d;
		return -1;
	}
	case CLI_OPT_LIST: {
		cli_list *l = o->value;
		const char **items = realloc(l->items, (l->n + 1) * sizeof(*items));
		if (!items)
			return cli_oom(c);
		items[l->n++] = arg;
		l->items = items;
		return -1;
	}
	case CLI_OPT_FN:
		return o->fn(c, o, arg);
	case CLI_OPT_CHOICE: {
		int k = list_index(o->choices, arg);
		if (k < 0)
			return cli_usage_error(c, "--%s takes %s, not '%s'", o->name, o->expect, arg);
		*(int *)o->value = k;
		return -1;
	}
	}
	return cli_usage_error(c, "unexpected option");
}

/* --input-limit NAME=N: the safety limits of dc_load_options, by name. */
static const struct {
	const char *name;
	size_t max;    /* largest value accepted */
} limit_names[] = {
	{ "depth", 100000 },  /* libyaml and jansson use the stack per level */
	{ "file-size", SIZE_MAX },
	{ "aliases", SIZE_MAX },
	{ "services", UINT32_MAX - 1 }, /* dense 32-bit ids */
	{ "dependencies", UINT32_MAX - 1 },
	{ "name-length", SIZE_MAX },
	{ "locations", SIZE_MAX },
};

static int set_limit(cli *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t i, n = eq ? (size_t)(eq - arg) : 0, nn = sizeof(limit_names) / sizeof(limit_names[0]);
	unsigned long long v;
	char *end;
	for (i = 0; i < nn; i++)
		if (strlen(limit_names[i].name) == n && !strncmp(limit_names[i].name, arg, n))
			break;
	if (!eq || i == nn)
		return cli_usage_error(c, "--input-limit takes NAME=N with NAME one of depth, file-size, "
				       "aliases, services, dependencies, name-length, locations; not '%s'", arg);
	errno = 0;
	v = strtoull(eq + 1, &end, 10);
	if (!isdigit((unsigned char)eq[1]) || *end || errno || v == 0 || v > limit_names[i].max)
		return cli_usage_error(c, "--input-limit %.*s needs a whole number from 1 to %zu, not '%s'",
				       (int)n, arg, limit_names[i].max, eq + 1);
	switch (i) {
	case 0: c->load.max_depth = (unsigned)v; break;
	case 1: c->load.max_file_size = (size_t)v; break;
	case 2: c->load.max_alias_nodes = (size_t)v; break;
	case 3: c->load.max_services = (size_t)v; break;
	case 4: c->load.max_dependencies = (size_t)v; break;
	case 5: c->load.max_name_length = (size_t)v; break;
	default: c->load.max_locations = (size_t)v; break;
	}
	return -1;
}

/* The input formats from the library's loader table: "a|b|c" (sep "|", last
 * "|") or "a, b or c" (sep ", ", last " or "). */
static void input_formats(char *buf, size_t size, const char *sep, const char *last)
{
	size_t i, n = dc_input_format_count(), used = 0;
	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i + 1 == n ? last : sep,
				 dc_input_format_name(dc_input_format_at(i)));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void help_line(FILE *fp, int short_name, const char *name, const char *help)
{
	char left[64];
	if (short_name)
		snprintf(left, sizeof(left), "-%c, --%s", short_name, name);
	else
		snprintf(left, sizeof(left), "    --%s", name);
	fprintf(fp, "  %-24s %s\n", left, help);
}

static void help(const cli *c, FILE *fp)
{
	char fmts[256];
	const cli_opt *so;
	fprintf(fp, "usage: depcheck %s %s\n\n%s\n\noptions:\n", c->cmd, c->spec->usage, c->spec->description);
	for (so = c->spec->opts; so && so->name; so++)
		help_line(fp, so->short_name, so->name, so->help);
	fprintf(fp, "  %-24s %s (%s)\n", "-f, --format FMT", "output format", c->spec->formats);
	fprintf(fp, "  %-24s %s\n", "-o, --output FILE", "write the result to FILE (atomically)");
	input_formats(fmts, sizeof(fmts), "|", "|");
	fprintf(fp, "  %-24s %s (default: detect)\n", "    --input-format F", fmts);
	fprintf(fp, "  %-24s %s\n", "    --color WHEN", "auto|always|never");
	fprintf(fp, "  %-24s %s\n", "    --input-limit NAME=N",
		"change a safety limit: depth, file-size, aliases, services,");
	fprintf(fp, "  %-24s %s\n", "", "dependencies, name-length, locations (README: Limits)");
	fprintf(fp, "  %-24s %s\n", "    --include GLOB", "a directory walk reads only matching files (repeatable)");
	fprintf(fp, "  %-24s %s\n", "    --exclude GLOB", "a directory walk leaves matching paths out (repeatable)");
	fprintf(fp, "  %-24s %s\n", "-v, --verbose", "list the files a walk skips as not service descriptors");
	fprintf(fp, "  %-24s %s\n", "    --profile P", "Compose: load only services without a profile or of P");
	fprintf(fp, "  %-24s %s\n", "    --env-file FILE", "Compose: read FILE instead of each project's .env");
	fprintf(fp, "  %-24s %s\n", "    --telemetry-hard", "keep edges to telemetry sinks hard (default: soft)");
	fprintf(fp, "  %-24s %s\n", "-q, --quiet", "print errors only, no warnings or summaries");
	fprintf(fp, "  %-24s %s\n", "-h, --help", "show this help");
	fprintf(fp, "\nexit status: 0 ok, 1 findings, 2 usage error or unusable input\n");
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "depcheck %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'depcheck %s --help'.\n", c->cmd);
	return DC_EXIT_USAGE;
}

int cli_oom(const cli *c)
{
	fprintf(stderr, "depcheck %s: out of memory\n", c->cmd);
	return DC_EXIT_USAGE;
}

/* Parse the command's arguments (argv[0] is its name) as c->spec says.
 * Returns -1 to go on, or an exit code (help printed: 0; usage error: 2). */
static int parse_args(cli *c, int argc, char **argv)
{
	struct option longopts[64];
	char shortopts[128];
	const cli_opt *so;
	size_t n = 0, sp = 0;
	const char *color = "auto";
	int ch, idx;

	c->format = NULL;
	{
		dc_load_options lo = DC_LOAD_OPTIONS_INIT;
		c->load = lo;
	}
	if (dc_diags_new(&c->diags))
		return cli_oom(c);
	shortopts[sp++] = ':'; /* report missing arguments ourselves */
	strcpy(shortopts + sp, "f:o:qhv");
	sp += 7;
#define LONG(nm, arg, v) do { longopts[n].name = nm; longopts[n].has_arg = arg; \
		longopts[n].flag = NULL; longopts[n].val = v; n++; } while (0)
	LONG("format", 1, OPT_FORMAT);
	LONG("output", 1, OPT_OUTPUT);
	LONG("quiet", 0, OPT_QUIET);
	LONG("help", 0, OPT_HELP);
	LONG("input-format", 1, OPT_INPUT_FORMAT);
	LONG("color", 1, OPT_COLOR);
	LONG("colour", 1, OPT_COLOR);
	LONG("input-limit", 1, OPT_LIMIT);
	LONG("include", 1, OPT_INCLUDE);
	LONG("exclude", 1, OPT_EXCLUDE);
	LONG("verbose", 0, 'v');
	LONG("profile", 1, OPT_PROFILE);
	LONG("env-file", 1, OPT_ENV_FILE);
	LONG("telemetry-hard", 0, OPT_TELEMETRY_HARD);
	for (so = c->spec->opts; so && so->name && n < 62; so++) {
		int arg = opt_has_arg(so);
		LONG(so->name, arg, OPT_SPEC + (int)(so - c->spec->opts));
		if (so->short_name && sp + 3 < sizeof(shortopts)) {
			shortopts[sp++] = (char)so->short_name;
			if (arg)
				shortopts[sp++] = ':';
		}
	}
	shortopts[sp] = '\0';
	memset(&longopts[n], 0, sizeof(longopts[n]));
#undef LONG
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		switch (ch) {
		case OPT_FORMAT: c->format = optarg; break;
		case OPT_OUTPUT: c->output = optarg; break;
		case OPT_QUIET: c->quiet = 1; break;
		case OPT_HELP: help(c, stdout); return fflush(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
		case OPT_INPUT_FORMAT:
			if (dc_input_format_parse(&c->load.format, optarg)) {
				char fmts[256];
				input_formats(fmts, sizeof(fmts), ", ", " or ");
				return cli_usage_error(c, "unknown input format '%s' (expected %s)", optarg, fmts);
			}
			break;
		case OPT_COLOR: color = optarg; break;
		case 'v': c->load.flags |= DC_LOAD_LIST_SKIPPED; break;
		case OPT_TELEMETRY_HARD: c->load.flags |= DC_LOAD_TELEMETRY_HARD; break;
		case OPT_INCLUDE:
		case OPT_EXCLUDE: {
			cli_list *l = ch == OPT_INCLUDE ? &c->include : &c->exclude;
			const char **it = realloc(l->items, (l->n + 1) * sizeof(*it));
			if (!it)
				return cli_oom(c);
			it[l->n++] = optarg;
			l->items = it;
			c->load.include = c->include.items;
			c->load.ninclude = c->include.n;
			c->load.exclude = c->exclude.items;
			c->load.nexclude = c->exclude.n;
			break;
		}
		case OPT_PROFILE:
		case OPT_ENV_FILE: {
			/* Compose's own options: kept in argv, which outlives the load */
			static const char *profiles[64], *env_files[64];
			int prof = ch == OPT_PROFILE;
			size_t *cnt = prof ? &c->load.compose_profile_count : &c->load.compose_env_file_count;
			if (*cnt >= 64)
				return cli_usage_error(c, "too many --%s options (64 at most)",
						       prof ? "profile" : "env-file");
			(prof ? profiles : env_files)[(*cnt)++] = optarg;
			c->load.compose_profiles = profiles;
			c->load.compose_env_files = env_files;
			break;
		}
		case OPT_LIMIT: {
			int r = set_limit(c, optarg);
			if (r >= 0)
				return r;
			break;
		}
		case ':': return cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			if (optopt)
				return cli_usage_error(c, "unknown option '-%c'", optopt);
			return cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		default: {
			int r;
			if (ch < OPT_SPEC)
				ch = spec_short(c, ch);
			if (ch >= OPT_SPEC)
				r = set_opt(c, &c->spec->opts[ch - OPT_SPEC], optarg);
			else
				r = cli_usage_error(c, "unexpected option");
			if (r >= 0)
				return r;
		}
		}
	}
	if (!strcmp(color, "always")) {
		c->color = c->color_out = 1;
	} else if (!strcmp(color, "never")) {
		c->color = c->color_out = 0;
	} else if (!strcmp(color, "auto")) {
		const char *nc = getenv("NO_COLOR");
		int allowed = !(nc && *nc);
		c->color = allowed && isatty(2);
		c->color_out = allowed && isatty(1) && !c->output;
	} else {
		return cli_usage_error(c, "--color takes auto, always or never, not '%s'", color);
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	if (!c->format) {
		/* the first listed format is the default */
		static char first[32];
		size_t fl = strcspn(c->spec->formats, ",");
		snprintf(first, sizeof(first), "%.*s", (int)fl, c->spec->formats);
		c->format = first;
	}
	return cli_check_format(c);
}

int cli_format_is(const cli *c, const char *f)
{
	return strcmp(c->format, f) == 0;
}

int cli_check_format(cli *c)
{
	if (list_index(c->spec->formats, c->format) >= 0)
		return -1;
	return cli_usage_error(c, "unknown output format '%s' (expected %s)", c->format, c->spec->formats);
}

void cli_print_diags(cli *c)
{
	size_t i, n;
	dc_diags_sort(c->diags);
	n = dc_diags_count(c->diags);
	for (i = 0; i < n; i++) {
		const dc_diag *d = dc_diags_get(c->diags, i);
		if (c->quiet && d->severity != DC_SEV_ERROR)
			continue;
		if (c->color) {
			const char *col = d->severity == DC_SEV_ERROR ? "\033[1;31m"
					  : d->severity == DC_SEV_WARNING ? "\033[1;33m" : "\033[1;36m";
			if (d->line)
				fprintf(stderr, "\033[1m%s:%u:%u:\033[0m %s%s:\033[0m %s\n", d->file, d->line,
					d->column ? d->column : 1, col, dc_severity_name(d->severity), d->message);
			else
				fprintf(stderr, "\033[1m%s:\033[0m %s%s:\033[0m %s\n", d->file, col,
					dc_severity_name(d->severity), d->message);
		} else {
			dc_diag_print(stderr, d);
		}
	}
}

struct cli_input {
	dev_t dev;
	ino_t ino;
	char *path;   /* as the user knows it, for the message */
};

int cli_note_input(cli *c, const char *path)
{
	struct stat st;
	struct cli_input *n;
	int ok = strcmp(path, "-") ? stat(path, &st) == 0 : fstat(0, &st) == 0;
	if (!ok || !S_ISREG(st.st_mode))
		return 0; /* nothing -o could overwrite */
	n = realloc(c->inputs, (c->ninputs + 1) * sizeof(*n));
	if (!n)
		return cli_oom(c);
	c->inputs = n;
	n[c->ninputs].dev = st.st_dev;
	n[c->ninputs].ino = st.st_ino;
	n[c->ninputs].path = strdup(strcmp(path, "-") ? path : "<stdin>");
	if (!n[c->ninputs].path)
		return cli_oom(c);
	c->ninputs++;
	return 0;
}

int cli_note_catalog(cli *c, const dc_catalog *cat)
{
	size_t i, n = cat ? dc_catalog_file_count(cat) : 0;
	int rc;
	for (i = 0; i < n; i++)
		if (strcmp(dc_catalog_file(cat, i), "<stdin>") && (rc = cli_note_input(c, dc_catalog_file(cat, i))))
			return rc;
	return 0;
}

int cli_load(cli *c, char *const *paths, int npaths)
{
	int i, rc = 0, r;
	if (npaths == 0)
		return cli_usage_error(c, "no input: give catalog files or directories (or - for stdin)");
	if (dc_catalog_new(&c->cat)) {
		fprintf(stderr, "depcheck: out of memory\n");
		return DC_EXIT_USAGE;
	}
	for (i = 0; i < npaths; i++) {
		r = dc_catalog_add_path(c->cat, paths[i], &c->load, c->diags);
		if (r && !rc)
			rc = r;
	}
	/* an input that could not be read or parsed stops here, like a compiler
	 * after a syntax error: resolving what was loaded of it would bury the
	 * real error under unknown references */
	if (!rc) {
		r = dc_catalog_finalize(c->cat, c->diags);
		if (r)
			rc = r;
	}
	if (!rc && dc_graph_new(&c->graph, c->cat))
		rc = DC_ENOMEM;
	cli_print_diags(c);
	if (!rc) {
		for (i = 0; i < npaths; i++)
			if (!strcmp(paths[i], "-") && cli_note_input(c, "-"))
				return DC_EXIT_USAGE;
		if (cli_note_catalog(c, c->cat))
			return DC_EXIT_USAGE;
	}
	if (rc) {
		if (rc == DC_ENOMEM)
			fprintf(stderr, "depcheck: out of memory\n");
		else
			fprintf(stderr, "depcheck %s: input cannot be analyzed (%s)\n", c->cmd, dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	return 0;
}

int cli_load_side(cli *c, const char *const *paths, size_t n, dc_catalog **cat, dc_graph **g)
{
	int rc;
	/* each side's diagnostics are its own: printed once, sorted alone */
	dc_diags_free(c->diags);
	c->diags = NULL;
	if (dc_diags_new(&c->diags))
		return cli_oom(c);
	rc = cli_load(c, (char *const *)paths, (int)n);
	*cat = c->cat;
	*g = c->graph;
	c->cat = NULL;
	c->graph = NULL;
	return rc;
}

void cli_print_new_diags(cli *c, size_t from, int failed)
{
	for (; from < dc_diags_count(c->diags) && (failed || !c->quiet); from++) {
		fprintf(stderr, "depcheck %s: ", c->cmd);
		dc_diag_print(stderr, dc_diags_get(c->diags, from));
	}
}

int cli_find(cli *c, const char *name, dc_id *out)
{
	int r = dc_catalog_find(c->cat, name, out);
	if (r == DC_EAMBIGUOUS)
		fprintf(stderr, "depcheck %s: '%s' names several services; write it in full "
			"(kind:namespace/name)\n", c->cmd, name);
	else if (r)
		fprintf(stderr, "depcheck %s: no service named '%s'\n", c->cmd, name);
	return r;
}

int cli_select(cli *c, dc_selection *sel, char *const *args, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const char *p = args[i];
		for (;;) {
			size_t len = strcspn(p, ",");
			char item[1024];
			int r;
			if (len == 0 || len >= sizeof(item)) {
				fprintf(stderr, "depcheck %s: %s selector in --fail '%s'\n", c->cmd,
					len ? "overlong" : "empty", args[i]);
				return DC_EXIT_USAGE;
			}
			memcpy(item, p, len);
			item[len] = '\0';
			r = dc_select(sel, item);
			if (r == DC_EAMBIGUOUS) {
				fprintf(stderr, "depcheck %s: '%s' names several services; write it in full "
					"(kind:namespace/name)\n", c->cmd, item);
				return DC_EXIT_USAGE;
			} else if (r == DC_ENOMEM) {
				fprintf(stderr, "depcheck: out of memory\n");
				return DC_EXIT_USAGE;
			} else if (r) {
				if (strchr(item, ':') && r == DC_ENOTFOUND)
					fprintf(stderr, "depcheck %s: selector '%s' matches no service\n", c->cmd, item);
				else if (r == DC_ENOTFOUND)
					fprintf(stderr, "depcheck %s: no service named '%s'\n", c->cmd, item);
				else
					fprintf(stderr, "depcheck %s: invalid selector '%s'\n", c->cmd, item);
				return DC_EXIT_USAGE;
			}
			if (!p[len])
				break;
			p += len + 1;
		}
	}
	return 0;
}

/* ---- the -o temporary file and signals ------------------------------------
 * -o writes OUT.tmpXXXXXX and renames it over OUT at the end. A cancelled CI
 * job (SIGTERM), ^C (SIGINT), a closed terminal (SIGHUP) or SIGQUIT must not
 * leave the temporary file behind: its path is kept in a static buffer and
 * an async-signal-safe handler unlinks it, then re-raises the signal with
 * the default disposition so that the exit status still tells the signal.
 * OUT itself is never touched: it stays absent or the old, complete file. */

static char sig_tmp[PATH_MAX + 32];
static volatile sig_atomic_t sig_tmp_set;
static const int sig_list[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void on_signal(int sig)
{
	int saved = errno;
	if (sig_tmp_set)
		(void)unlink(sig_tmp);
	sig_tmp_set = 0;
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

static void sig_tmp_watch(const char *path)
{
	size_t i, n = strlen(path);
	if (n >= sizeof(sig_tmp))
		return; /* cannot happen: the path was made by mkstemp under PATH_MAX */
	memcpy(sig_tmp, path, n + 1);
	sig_tmp_set = 1;
	for (i = 0; i < sizeof(sig_list) / sizeof(sig_list[0]); i++) {
		struct sigaction sa, old;
		/* a signal ignored when depcheck started (nohup, a shell's
		 * background job) stays ignored */
		if (sigaction(sig_list[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sig_list[i], &sa, NULL);
	}
}

static void sig_tmp_forget(void)
{
	sig_tmp_set = 0;
}

int cli_open_output(cli *c)
{
	struct stat st;
	mode_t mode, mask;
	size_t n;
	int fd;
	if (!c->output || !strcmp(c->output, "-")) {
		c->out = stdout;
		return 0;
	}
	/* a device, a FIFO or a socket (/dev/null, /dev/stdout, a pipe) is
	 * written directly: there is nothing to make atomic, and renaming a
	 * file over it would replace the node */
	if (stat(c->output, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		c->out = fopen(c->output, "w");
		if (!c->out) {
			fprintf(stderr, "depcheck %s: cannot write '%s': %s\n", c->cmd, c->output, strerror(errno));
			return DC_EXIT_USAGE;
		}
		c->direct = 1;
		return 0;
	}
	/* write through a symlink to its target, as a plain write would */
	if (lstat(c->output, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(c->output, NULL);
		if (!real) {
			fprintf(stderr, "depcheck %s: cannot write '%s': a symbolic link to nothing\n", c->cmd,
				c->output);
			return DC_EXIT_USAGE;
		}
		c->target = real;
	}
	if (!c->target && !(c->target = strdup(c->output)))
		return cli_oom(c);
	if (stat(c->target, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "depcheck %s: cannot write '%s': it is a directory\n", c->cmd, c->output);
		return DC_EXIT_USAGE;
	}
	/* an input replaced by the result of reading it is a lost catalog
	 * (`depcheck export catalog.yaml -o catalog.yaml`): refused, also
	 * through a symbolic or hard link */
	if (stat(c->target, &st) == 0) {
		size_t i;
		for (i = 0; i < c->ninputs; i++)
			if (c->inputs[i].dev == st.st_dev && c->inputs[i].ino == st.st_ino) {
				fprintf(stderr, "depcheck %s: refusing to write '%s': it is one of the inputs "
					"(%s); write elsewhere and rename\n", c->cmd, c->output, c->inputs[i].path);
				return DC_EXIT_USAGE;
			}
	}
	n = strlen(c->target) + 16;
	c->tmp_path = malloc(n);
	if (!c->tmp_path)
		return cli_oom(c);
	snprintf(c->tmp_path, n, "%s.tmpXXXXXX", c->target);
	/* signals blocked while the file is made and its path recorded: no
	 * window where it exists and the handler does not know it */
	{
		sigset_t all, prev;
		size_t i;
		sigemptyset(&all);
		for (i = 0; i < sizeof(sig_list) / sizeof(sig_list[0]); i++)
			sigaddset(&all, sig_list[i]);
		sigprocmask(SIG_BLOCK, &all, &prev);
		fd = mkstemp(c->tmp_path);
		if (fd >= 0)
			sig_tmp_watch(c->tmp_path);
		sigprocmask(SIG_SETMASK, &prev, NULL);
	}
	if (fd < 0) {
		fprintf(stderr, "depcheck %s: cannot create '%s': %s\n", c->cmd, c->output, strerror(errno));
		free(c->tmp_path);
		c->tmp_path = NULL;
		return DC_EXIT_USAGE;
	}
	/* mkstemp makes 0600: give the file the mode a plain write would, the
	 * existing file's or 0666 less the umask */
	if (stat(c->target, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	(void)fchmod(fd, mode);
	c->out = fdopen(fd, "w");
	if (!c->out) {
		close(fd);
		unlink(c->tmp_path);
		sig_tmp_forget();
		free(c->tmp_path);
		c->tmp_path = NULL;
		return DC_EXIT_USAGE;
	}
	return 0;
}

int cli_finish(cli *c, int code)
{
	if (!c->out)
		return code;
	if (c->out == stdout) {
		c->out = NULL;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "depcheck %s: error writing output: %s\n", c->cmd, strerror(errno));
			return DC_EXIT_USAGE;
		}
		return code;
	}
	if (c->direct) {
		int bad = fflush(c->out) != 0 || ferror(c->out);
		bad |= fclose(c->out) != 0;
		c->out = NULL;
		if (bad) {
			fprintf(stderr, "depcheck %s: error writing '%s': %s\n", c->cmd, c->output, strerror(errno));
			return DC_EXIT_USAGE;
		}
		return code;
	}
	{
		int bad = fflush(c->out) != 0 || ferror(c->out);
		bad |= fsync(fileno(c->out)) != 0 && errno != EINVAL;
		bad |= fclose(c->out) != 0;
		c->out = NULL;
		if (bad || code == DC_EXIT_USAGE) {
			if (bad)
				fprintf(stderr, "depcheck %s: error writing '%s': %s\n", c->cmd, c->output,
					strerror(errno));
			unlink(c->tmp_path);
			sig_tmp_forget();
			return DC_EXIT_USAGE;
		}
		if (rename(c->tmp_path, c->target) == 0) {
			sig_tmp_forget();
		} else {
			fprintf(stderr, "depcheck %s: cannot write '%s': %s\n", c->cmd, c->output, strerror(errno));
			unlink(c->tmp_path);
			sig_tmp_forget();
			return DC_EXIT_USAGE;
		}
	}
	return code;
}

int cli_opt_limit(cli *c, const cli_opt *o, const char *arg)
{
	uint64_t v;
	if (cli_parse_u64(arg, 100000000, &v))
		return cli_usage_error(c, "--%s takes a number (0 = all), not '%s'", o->name, arg);
	*(size_t *)o->value = v ? (size_t)v : SIZE_MAX;
	return -1;
}

int cli_start(cli *c, const cli_spec *spec)
{
	int rc;
	c->spec = spec;
	if ((rc = parse_args(c, c->argc, c->argv)) >= 0)
		return rc;
	if (spec->prepare && (rc = spec->prepare(c)) >= 0)
		return rc;
	if (c->flags & CLI_LOAD) {
		if (spec->trailing && c->nargs < spec->trailing + 1)
			return cli_usage_error(c, "%s", spec->args_error);
		if ((rc = cli_load(c, c->args, c->nargs - spec->trailing)))
			return rc;
	}
	return -1;
}

const char *cli_trailing(const cli *c, int i)
{
	return c->args[c->nargs - c->spec->trailing + i];
}

FILE *cli_output(cli *c)
{
	if (!c->started_output) {
		c->started_output = 1;
		if (cli_open_output(c))
			return NULL;
	}
	return c->out;
}

dc_output_options cli_output_options(const cli *c)
{
	dc_output_options o = DC_OUTPUT_OPTIONS_INIT;
	/* -f was checked against the command's formats by cli_parse */
	(void)dc_output_format_parse(&o.format, c->format);
	o.color = c->color_out;
	o.quiet = c->quiet;
	return o;
}

void cli_assume(cli *c, dc_output_options *oo, unsigned topics)
{
	dc_assumptions a = DC_ASSUMPTIONS_INIT;
	/* the graph is loaded and the topics are constants: nothing can fail */
	if (c->graph && dc_catalog_assumptions(&a, c->graph, topics) == 0) {
		c->assume = a;
		oo->assumptions = &c->assume;
	}
}

void cli_free(cli *c)
{
	if (c->spec) {
		const cli_opt *o;
		for (o = c->spec->opts; o && o->name; o++)
			if (o->type == CLI_OPT_LIST) {
				cli_list *l = o->value;
				free(l->items);
				l->items = NULL;
				l->n = 0;
			}
	}
	if (c->out && c->out != stdout) {
		fclose(c->out);
		if (c->tmp_path && !c->direct) {
			unlink(c->tmp_path);
			sig_tmp_forget();
		}
	}
	free(c->include.items);
	free(c->exclude.items);
	free(c->tmp_path);
	free(c->target);
	while (c->ninputs)
		free(c->inputs[--c->ninputs].path);
	free(c->inputs);
	dc_graph_free(c->graph);
	dc_catalog_free(c->cat);
	dc_diags_free(c->diags);
}

int cli_parse_u64(const char *arg, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!*arg || arg[0] == '-' || arg[0] == '+')
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}
