/*
 * cli.c - option parsing, loading and output shared by all subcommands.
 *
 * Options may appear anywhere among the arguments (getopt_long permutes);
 * `--` ends them. Results go to stdout or, with -o, to a temporary file in
 * the target's directory that is renamed over the target only when the
 * command succeeded: a failed run never leaves a half-written file.
 */
#include "cli.h"
#include "observed_opts.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h',
       OPT_INPUT_FORMAT = 900, OPT_COLOR, OPT_LIMIT, OPT_INCLUDE, OPT_EXCLUDE, OPT_PROFILE, OPT_ENV_FILE, OPT_TELEMETRY_HARD,
       OPT_CONFIG, OPT_NO_CONFIG,
       OPT_WIDTH,
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

/* An option getopt did not take: a prefix of several (getopt_long takes a
 * unique one) lists them, a typo gets the closest, as git does. */
static int unknown_option(cli *c, const char *arg, const struct option *longopts, size_t n)
{
	char name[128], list[512];
	const char *names[64], *near;
	size_t len, i, k = 0, used = 0;
	if (strncmp(arg, "--", 2))
		return cli_usage_error(c, "unknown option '%s'", arg);
	len = strcspn(arg + 2, "=");
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, arg + 2, len);
	name[len] = '\0';
	list[0] = '\0';
	for (i = 0; i < n && i < 64; i++) {
		names[i] = longopts[i].name;
		if (len && !strncmp(longopts[i].name, name, len) && strcmp(longopts[i].name, "colour")) {
			int w = snprintf(list + used, sizeof(list) - used, "%s--%s", k ? ", " : "",
					 longopts[i].name);
			if (w > 0 && (size_t)w < sizeof(list) - used)
				used += (size_t)w;
			k++;
		}
	}
	if (k > 1)
		return cli_usage_error(c, "option '--%s' is ambiguous: %s", name, list);
	if ((near = dc_suggest(name, names, i)))
		return cli_usage_error(c, "unknown option '--%s'; did you mean '--%s'?", name, near);
	return cli_usage_error(c, "unknown option '--%s'", name);
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
	LONG("config", 1, OPT_CONFIG);
	LONG("no-config", 0, OPT_NO_CONFIG);
	LONG("width", 1, OPT_WIDTH);
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
		case OPT_HELP: cli_help_text(c, stdout); return fflush(stdout) == 0 ? DC_EXIT_OK : DC_EXIT_USAGE;
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
		case OPT_CONFIG: c->config_path = optarg; break;
		case OPT_NO_CONFIG: c->no_config = 1; break;
		case OPT_WIDTH: {
			uint64_t w;
			if (cli_parse_u64(optarg, 100000, &w) || (w > 0 && w < 20))
				return cli_usage_error(c, "--width takes 0 (no wrapping) or a number of columns "
						       "from 20, not '%s'", optarg);
			c->width_arg = optarg;
			c->width = (size_t)w;
			break;
		}
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
			return unknown_option(c, argv[optind - 1], longopts, n);
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
	c->broken = 0;
	for (i = 0; i < npaths; i++) {
		r = dc_catalog_add_path(c->cat, paths[i], &c->load, c->diags);
		if (r == DC_EPARSE && (c->flags & CLI_LOAD_BROKEN))
			c->broken = 1; /* a finding of the gate (valid-input), not the end */
		else if (r && !rc)
			rc = r;
	}
	/* an input that could not be read or parsed stops here, like a compiler
	 * after a syntax error: resolving what was loaded of it would bury the
	 * real error under unknown references. Not so for the gate (check,
	 * diff): it reports the syntax error as a finding and checks the rest,
	 * which may be nothing at all (an empty catalog, finalized all the same) */
	if (!rc && c->observed) {
		/* the observed calls: edges of the catalog (observed_opts.h) */
		dc_catalog_observed_options co = DC_CATALOG_OBSERVED_OPTIONS_INIT;
		co.edges = (dc_observed_edges)c->obs_opts->edges;
		co.min_calls = c->obs_opts->min_calls;
		if ((r = dc_catalog_add_observed(c->cat, c->observed, &co)))
			rc = r;
	}
	if (!rc) {
		r = dc_catalog_finalize(c->cat, c->diags);
		if (r && !(r == DC_EINVALID && c->broken && dc_catalog_service_count(c->cat) == 0))
			rc = r;
	}
	if (!rc && (r = dc_graph_new(&c->graph, c->cat)))
		rc = r;
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

/* ---- names that are not found -----------------------------------------------
 * An unknown service name gets the closest display name; an ambiguous one
 * lists the services it could mean; an unknown zone, system, owner or tag
 * gets the closest value and the known ones (kubectl and git do the same
 * for resources and commands). Only on the error path: O(N) names, each
 * compared within a bounded distance. */

/* Does `name` name s in one of the shorter forms dc_catalog_find accepts? */
static int ref_matches(const char *ref, const char *name)
{
	size_t rl = strlen(ref), nl = strlen(name);
	const char *colon = strchr(ref, ':'), *slash = strrchr(ref, '/');
	if (!strcmp(ref, name))
		return 1;
	if (nl < rl && (ref[rl - nl - 1] == '/' || ref[rl - nl - 1] == ':') && !strcmp(ref + rl - nl, name))
		return 1;
	/* kind:name for kind:namespace/name */
	if (colon && slash && !strncmp(ref, name, (size_t)(colon - ref + 1)) &&
	    !strcmp(slash + 1, name + (colon - ref + 1)))
		return 1;
	return 0;
}

static void name_error(cli *c, const char *name, int r)
{
	size_t i, n = dc_catalog_service_count(c->cat), k = 0;
	if (r == DC_EAMBIGUOUS) {
		fprintf(stderr, "depcheck %s: '%s' names several services; write one in full:", c->cmd, name);
		for (i = 0; i < n; i++) {
			const char *ref = dc_service_ref(c->cat, (dc_id)i);
			if (ref && ref_matches(ref, name)) {
				if (k < 10)
					fprintf(stderr, "%s%s", k ? ", " : " ", ref);
				k++;
			}
		}
		if (k > 10)
			fprintf(stderr, " and %zu more", k - 10);
		fputc('\n', stderr);
		return;
	}
	{
		const char **names = malloc((n ? n : 1) * sizeof(*names));
		const char *near = NULL;
		if (names) {
			for (i = 0; i < n; i++)
				names[i] = dc_service_name(c->cat, (dc_id)i);
			near = dc_suggest(name, names, n);
		}
		if (near)
			fprintf(stderr, "depcheck %s: no service named '%s'; did you mean '%s'?\n", c->cmd, name, near);
		else
			fprintf(stderr, "depcheck %s: no service named '%s'\n", c->cmd, name);
		free(names);
	}
}

int cli_find(cli *c, const char *name, dc_id *out)
{
	int r = dc_catalog_find(c->cat, name, out);
	if (r)
		name_error(c, name, r);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const sel_keys[] = { "zone", "system", "owner", "tag" };

/* The distinct values of one selector key (0 zone, 1 system, 2 owner,
 * 3 tag), sorted, in *out (malloc'd; NULL when out of memory). */
static size_t sel_values(const dc_catalog *cat, int key, const char ***out)
{
	size_t i, j, n = dc_catalog_service_count(cat), m = 0, cap = 16, u = 0;
	const char **v = malloc(cap * sizeof(*v));
	for (i = 0; v && i < n; i++) {
		size_t cnt = key == 0 ? dc_service_zone_count(cat, (dc_id)i) :
			     key == 3 ? dc_service_tag_count(cat, (dc_id)i) : 1;
		for (j = 0; j < cnt; j++) {
			const char *x = key == 0 ? dc_service_zone(cat, (dc_id)i, j) :
					key == 1 ? dc_service_system(cat, (dc_id)i) :
					key == 2 ? dc_service_owner(cat, (dc_id)i) : dc_service_tag(cat, (dc_id)i, j);
			if (!x)
				continue;
			if (m == cap) {
				const char **nv = realloc(v, 2 * cap * sizeof(*v));
				if (!nv) {
					free(v);
					v = NULL;
					break;
				}
				v = nv;
				cap *= 2;
			}
			if (v)
				v[m++] = x;
		}
	}
	if (!v) {
		*out = NULL;
		return 0;
	}
	qsort(v, m, sizeof(*v), cmp_str);
	for (i = 0; i < m; i++)
		if (!u || strcmp(v[u - 1], v[i]))
			v[u++] = v[i];
	*out = v;
	return u;
}

/* "selector 'zone:eu-wst' matches no service; did you mean 'zone:eu-west'?
 * (zones: eu-west, us-east)" */
static void selector_error(cli *c, const char *item)
{
	static const char *const plural[] = { "zones", "systems", "owners", "tags" };
	size_t klen = strcspn(item, ":");
	const char *val = item + klen + 1, **v = NULL, *near;
	char key[32];
	int k;
	size_t i, n;
	snprintf(key, sizeof(key), "%.*s", (int)(klen < 31 ? klen : 31), item);
	for (k = 0; k < 4 && strcmp(key, sel_keys[k]); k++)
		;
	if (k == 4) {
		/* zon:eu: a misspelt key, unless it is a kind:name that is not found */
		if ((near = dc_suggest(key, sel_keys, 4)))
			fprintf(stderr, "depcheck %s: selector '%s' matches no service; did you mean '%s:%s'?\n",
				c->cmd, item, near, val);
		else
			name_error(c, item, DC_ENOTFOUND);
		return;
	}
	n = sel_values(c->cat, k, &v);
	near = v ? dc_suggest(val, v, n) : NULL;
	fprintf(stderr, "depcheck %s: selector '%s' matches no service", c->cmd, item);
	if (near)
		fprintf(stderr, "; did you mean '%s:%s'?", key, near);
	if (!v) {
		fputc('\n', stderr);  /* out of memory for the list: the message without it */
	} else if (!n) {
		fprintf(stderr, " (no service has %s)\n", plural[k]);
	} else {
		fprintf(stderr, " (%s:", plural[k]);
		for (i = 0; i < n && i < 8; i++)
			fprintf(stderr, "%s%s", i ? ", " : " ", v[i]);
		if (n > 8)
			fprintf(stderr, " and %zu more", n - 8);
		fprintf(stderr, ")\n");
	}
	free(v);
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
				name_error(c, item, r);
				return DC_EXIT_USAGE;
			} else if (r == DC_ENOMEM) {
				fprintf(stderr, "depcheck: out of memory\n");
				return DC_EXIT_USAGE;
			} else if (r) {
				if (strchr(item, ':') && r == DC_ENOTFOUND)
					selector_error(c, item);
				else if (r == DC_ENOTFOUND)
					name_error(c, item, r);
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

static int wrap_flush(cli *c);

int cli_finish(cli *c, int code)
{
	if (c->wrap_out && wrap_flush(c))
		code = DC_EXIT_USAGE;
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

/* ---- the project config ----------------------------------------------------
 * .depcheck.yaml in the current directory, else in the closest parent up to
 * the repository root (the first directory holding .git, as git finds it);
 * outside a repository only the current directory counts, so that a file
 * in a shared parent (/tmp, a home directory) is never picked up. The path
 * found is relative ("../.depcheck.yaml"), like the paths it resolves. */
static int find_config(char *buf, size_t size)
{
	char prefix[3 * 64 + 1] = "";
	struct stat st, here, up;
	int depth, found = -1;
	for (depth = 0; depth < 64; depth++) {
		snprintf(buf, size, "%s" DC_CONFIG_FILE_NAME, prefix);
		if (found < 0 && stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			found = depth;
			if (!depth)
				return 1;
		}
		snprintf(buf, size, "%s.git", prefix);
		if (lstat(buf, &st) == 0) /* the repository root (a .git file in a worktree) */
			break;
		snprintf(buf, size, "%s.", prefix);
		if (stat(buf, &here))
			return 0;
		snprintf(buf, size, "%s..", prefix);
		if (stat(buf, &up) || (here.st_dev == up.st_dev && here.st_ino == up.st_ino))
			return 0; /* the filesystem's root, no repository */
		strcat(prefix, "../");
	}
	if (depth == 64 || found < 0)
		return 0;
	buf[0] = '\0';
	for (depth = 0; depth < found; depth++)
		strcat(buf, "../");
	strcat(buf, DC_CONFIG_FILE_NAME);
	return 1;
}

/* Read the project config (unless --no-config) and apply what the command
 * line did not say: --include, --exclude (each replaced as a whole by the
 * command line's); inputs, the policy and baselines are read where they
 * are used (cli_start, the commands). Returns -1 to go on, or exit 2. */
static int load_config(cli *c)
{
	char found[3 * 64 + sizeof(DC_CONFIG_FILE_NAME)];
	const char *path = c->config_path, *env = getenv("DEPCHECK_CONFIG");
	int rc, k;
	if (c->no_config)
		return -1;
	if (!path && env && *env)
		path = env;
	if (!path) {
		if (!find_config(found, sizeof(found)))
			return -1;
		path = found;
	}
	if ((rc = dc_config_load(&c->config, path, c->diags))) {
		cli_print_diags(c);
		if (rc == DC_ENOMEM)
			return cli_oom(c);
		fprintf(stderr, "depcheck %s: the project config cannot be used (%s)\n", c->cmd, dc_strerror(rc));
		return DC_EXIT_USAGE;
	}
	if ((c->load.flags & DC_LOAD_LIST_SKIPPED) && !c->quiet)
		fprintf(stderr, "depcheck %s: note: project config %s\n", c->cmd, path);
	if (cli_note_input(c, path))
		return DC_EXIT_USAGE;
	for (k = 0; k < 2; k++) {
		dc_config_key key = k ? DC_CONFIG_EXCLUDE : DC_CONFIG_INCLUDE;
		cli_list *l = k ? &c->exclude : &c->include;
		size_t i, n = dc_config_count(c->config, key);
		if (l->n || !n)
			continue;
		if (!(l->items = malloc(n * sizeof(*l->items))))
			return cli_oom(c);
		for (i = 0; i < n; i++)
			l->items[l->n++] = dc_config_value(c->config, key, i);
	}
	c->load.include = c->include.items;
	c->load.ninclude = c->include.n;
	c->load.exclude = c->exclude.items;
	c->load.nexclude = c->exclude.n;
	return -1;
}

size_t cli_config_inputs(const cli *c)
{
	return dc_config_count(c->config, DC_CONFIG_INPUTS);
}

/* `show SERVICE FILE`: an input that is no file, and a trailing argument
 * that is one, are arguments in the wrong order. */
static int wrong_order(cli *c)
{
	struct stat st;
	int i, ninputs = c->nargs - c->spec->trailing;
	for (i = 0; i < ninputs; i++) {
		int k;
		if (!strcmp(c->args[i], "-") || stat(c->args[i], &st) == 0)
			continue;
		for (k = ninputs; k < c->nargs; k++)
			if (strcmp(c->args[k], "-") && stat(c->args[k], &st) == 0)
				return cli_usage_error(c, "arguments in the wrong order: '%s' is not a file, "
						       "'%s' is (usage: depcheck %s %s)",
						       c->args[i], c->args[k], c->cmd, c->spec->usage);
	}
	return -1;
}

int cli_start(cli *c, const cli_spec *spec)
{
	int rc;
	c->spec = spec;
	if (c->help_mode == CLI_HELP_MAN) {
		cli_help_man(c, c->help_fp ? c->help_fp : stdout);
		return DC_EXIT_OK;
	}
	if (c->help_mode == CLI_HELP_COMPLETE)
		return cli_complete(c);
	if ((rc = parse_args(c, c->argc, c->argv)) >= 0)
		return rc;
	if ((rc = load_config(c)) >= 0)
		return rc;
	if (spec->prepare && (rc = spec->prepare(c)) >= 0)
		return rc;
	if ((rc = observed_opts_read(c)) >= 0)
		return rc;
	if (spec->opts) {
		/* a command's --threads limits its load too (libyaml's parser on
		 * a second thread: `--threads 1` keeps it on this one) */
		const cli_opt *o;
		for (o = spec->opts; o->name; o++)
			if (o->type == CLI_OPT_UINT && !strcmp(o->name, "threads") && *(unsigned *)o->value)
				c->load.threads = *(unsigned *)o->value;
	}
	if (c->flags & CLI_LOAD) {
		size_t i, n = cli_config_inputs(c);
		if (c->nargs <= spec->trailing && n) {
			/* no PATH: the project config's inputs */
			char **paths = malloc(n * sizeof(*paths));
			if (!paths)
				return cli_oom(c);
			for (i = 0; i < n; i++)
				paths[i] = (char *)dc_config_value(c->config, DC_CONFIG_INPUTS, i);
			rc = cli_load(c, paths, (int)n);
			free(paths);
			return rc ? rc : -1;
		}
		if (spec->trailing && c->nargs < spec->trailing + 1)
			return cli_usage_error(c, "%s", spec->args_error);
		if (spec->trailing && (rc = wrong_order(c)) >= 0)
			return rc;
		if ((rc = cli_load(c, c->args, c->nargs - spec->trailing)))
			return rc;
	}
	return -1;
}

const char *cli_trailing(const cli *c, int i)
{
	return c->args[c->nargs - c->spec->trailing + i];
}

/* ---- text that fits the terminal ------------------------------------------------
 * Text output to a terminal wraps to its width (COLUMNS, else the
 * terminal's, else 80), and to --width N anywhere (0: never); JSON and the
 * other formats never wrap, nor does text into a pipe or file without
 * --width (scripts and goldens see the lines the writers wrote). The
 * writers write whole lines into a buffer; cli_finish wraps each line
 * longer than the width at spaces, continuation lines indented under the
 * line's second column (after a run of two spaces), or after its label
 * ("fan-in: "), or four spaces in. A word that does not fit after that
 * indent starts further left (the line's own indent plus four, else four
 * spaces in); one longer than the room (a long path) is kept whole: a
 * broken path cannot be copied. */

static size_t terminal_width(void)
{
	const char *cols = getenv("COLUMNS");
	uint64_t v;
	struct winsize ws;
	if (cols && !cli_parse_u64(cols, 100000, &v) && v >= 20)
		return (size_t)v;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Columns of s[0..n): UTF-8 continuation bytes and ANSI colour sequences
 * take none. */
static size_t display_width(const char *s, size_t n)
{
	size_t i, w = 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == 0x1b && i + 1 < n && s[i + 1] == '[') {
			for (i += 2; i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e); i++)
				;
			continue;
		}
		if ((ch & 0xc0) != 0x80)
			w++;
	}
	return w;
}

static void wrap_line(FILE *out, const char *s, size_t n, size_t width)
{
	size_t ind = 0, hang = 0, i, col;
	const char *p, *end = s + n;
	int first = 1;
	if (display_width(s, n) <= width) {
		fwrite(s, 1, n, out);
		return;
	}
	while (ind < n && s[ind] == ' ')
		ind++;
	/* the second column: after the first run of two or more spaces */
	for (i = ind; i + 1 < n && !hang; i++)
		if (s[i] == ' ' && s[i + 1] == ' ') {
			size_t j = i;
			while (j < n && s[j] == ' ')
				j++;
			if (display_width(s, j) <= width / 2)
				hang = display_width(s, j);
			break;
		}
	/* after a label */
	for (i = ind; !hang && i + 1 < n; i++)
		if (s[i] == ':' && s[i + 1] == ' ') {
			if (display_width(s, i + 2) <= width / 3)
				hang = display_width(s, i + 2);
			break;
		}
	if (!hang)
		hang = ind + 4 <= width / 2 ? ind + 4 : 4;
	fwrite(s, 1, ind, out);
	col = ind;
	p = s + ind;
	while (p < end) {
		const char *w = p;
		size_t wl, ww, gap;
		while (w < end && *w == ' ')
			w++;
		if (w >= end)
			break;
		gap = (size_t)(w - p);
		wl = 0;
		while (w + wl < end && w[wl] != ' ')
			wl++;
		ww = display_width(w, wl);
		if (!first && col + gap + ww > width) {
			/* a word too long for the room after the hanging indent
			 * (a path under a column) starts further left instead */
			size_t h = hang;
			if (h + ww > width)
				h = ind + 4 + ww <= width && ind + 4 < hang ? ind + 4 : 4 < hang ? 4 : hang;
			fprintf(out, "\n%*s", (int)h, "");
			col = h;
		} else if (!first) {
			fwrite(p, 1, gap, out);  /* the spaces as written: columns stay aligned */
			col += gap;
		}
		fwrite(w, 1, wl, out);
		col += ww;
		first = 0;
		p = w + wl;
	}
}

static int wrap_flush(cli *c)
{
	const char *s, *end;
	int bad = fclose(c->out) != 0;
	c->out = c->wrap_out;
	c->wrap_out = NULL;
	if (bad || !c->wrap_buf) {
		free(c->wrap_buf);
		c->wrap_buf = NULL;
		return cli_oom(c);
	}
	s = c->wrap_buf;
	end = s + c->wrap_len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		wrap_line(c->out, s, n, c->width);
		if (nl)
			fputc('\n', c->out);
		s += n + (nl != NULL);
	}
	free(c->wrap_buf);
	c->wrap_buf = NULL;
	return 0;
}

FILE *cli_output(cli *c)
{
	if (!c->started_output) {
		c->started_output = 1;
		if (cli_open_output(c))
			return NULL;
		if (!c->width_arg)
			c->width = c->out == stdout && isatty(1) ? terminal_width() : 0;
		if (c->width && cli_format_is(c, "text")) {
			FILE *buf = open_memstream(&c->wrap_buf, &c->wrap_len);
			if (!buf) {
				cli_oom(c);
				return NULL;
			}
			c->wrap_out = c->out;
			c->out = buf;
		}
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
	if (c->wrap_out) {
		fclose(c->out);
		free(c->wrap_buf);
		c->out = c->wrap_out;
		c->wrap_out = NULL;
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
	dc_config_free(c->config);
	free(c->tmp_path);
	free(c->target);
	while (c->ninputs)
		free(c->inputs[--c->ninputs].path);
	free(c->inputs);
	dc_graph_free(c->graph);
	dc_catalog_free(c->cat);
	dc_diags_free(c->diags);
	dc_observed_free(c->observed);
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

/* ---- completion ---------------------------------------------------------------
 * `depcheck __complete CMD WORD... CUR` (the scripts of `depcheck
 * completion` call it) prints the candidates for CUR, one a line; the line
 * ":files" asks the shell to complete file names too. Service names, zones,
 * systems, owners and tags come from the catalog named on the command line
 * so far, loaded without a word on stderr. */

/* Common options: long name, 1 when it takes a value. */
static const struct {
	const char *name;
	int arg;
} common_long[] = {
	{ "format", 1 }, { "output", 1 }, { "quiet", 0 }, { "help", 0 }, { "input-format", 1 },
	{ "color", 1 }, { "input-limit", 1 }, { "include", 1 }, { "exclude", 1 }, { "verbose", 0 },
	{ "profile", 1 }, { "env-file", 1 }, { "telemetry-hard", 0 }, { "width", 1 },
	{ "config", 1 }, { "no-config", 0 },
};
#define NCOMMON (sizeof(common_long) / sizeof(common_long[0]))

static void cand(const char *word, const char *prefix, const char *cur)
{
	char full[512];
	snprintf(full, sizeof(full), "%s%s", prefix ? prefix : "", word);
	if (!strncmp(full, cur, strlen(cur)))
		printf("%s\n", full);
}

static void cand_list(const char *list, const char *cur)
{
	char w[128];
	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof(w)) {
			memcpy(w, list, n);
			w[n] = '\0';
			cand(w, NULL, cur);
		}
		list += n + (list[n] == ',');
	}
}

/* The option a word names (NULL for none), and whether it takes a value. */
static const cli_opt *word_opt(const cli *c, const char *w, int *common, int *takes)
{
	const cli_opt *so;
	size_t i;
	*common = -1;
	*takes = 0;
	if (w[0] != '-' || !w[1])
		return NULL;
	if (w[1] != '-') {
		static const char shorts[] = "foqhv";
		const char *p = strchr(shorts, w[1]);
		for (so = c->spec->opts; so && so->name; so++)
			if (so->short_name == w[1]) {
				*takes = (so->type == CLI_OPT_FN ? so->has_arg : so->type != CLI_OPT_FLAG) && !w[2];
				return so;
			}
		if (p && (*p == 'f' || *p == 'o'))
			*common = *p == 'f' ? 0 : 1;
		*takes = p && (*p == 'f' || *p == 'o') && !w[2];
		return NULL;
	}
	for (so = c->spec->opts; so && so->name; so++)
		if (!strcmp(so->name, w + 2)) {
			*takes = so->type == CLI_OPT_FN ? so->has_arg : so->type != CLI_OPT_FLAG;
			return so;
		}
	for (i = 0; i < NCOMMON; i++)
		if (!strcmp(common_long[i].name, w + 2)) {
			*common = (int)i;
			*takes = common_long[i].arg;
		}
	return NULL;
}

/* The catalog from the words that are paths (not option values). */
static void complete_load(cli *c, int argc, char **argv)
{
	int i, common, takes;
	struct stat st;
	dc_load_options lo = DC_LOAD_OPTIONS_INIT;
	if (dc_diags_new(&c->diags) || dc_catalog_new(&c->cat))
		return;
	for (i = 1; i < argc; i++) {
		word_opt(c, argv[i], &common, &takes);
		if (argv[i][0] == '-') {
			i += takes;
			continue;
		}
		if (stat(argv[i], &st) == 0)
			(void)dc_catalog_add_path(c->cat, argv[i], &lo, c->diags);
	}
	if (dc_catalog_service_count(c->cat) == 0 || dc_catalog_finalize(c->cat, c->diags)) {
		dc_catalog_free(c->cat);
		c->cat = NULL;
	}
}

static void complete_services(cli *c, int argc, char **argv, const char *cur, int selectors)
{
	size_t i, n;
	int k;
	complete_load(c, argc, argv);
	if (!c->cat)
		return;
	n = dc_catalog_service_count(c->cat);
	for (i = 0; i < n; i++)
		cand(dc_service_name(c->cat, (dc_id)i), NULL, cur);
	for (k = 0; selectors && k < 4; k++) {
		const char **v = NULL;
		char prefix[16];
		size_t m = sel_values(c->cat, k, &v);
		snprintf(prefix, sizeof(prefix), "%s:", sel_keys[k]);
		for (i = 0; i < m; i++)
			cand(v[i], prefix, cur);
		free(v);
	}
}

int cli_complete(cli *c)
{
	int argc = c->argc, common, takes;
	char **argv = c->argv;
	const char *cur = argc > 1 ? argv[argc - 1] : "", *prev = argc > 2 ? argv[argc - 2] : "";
	const cli_opt *so = word_opt(c, prev, &common, &takes);
	size_t i;
	if (takes) {
		char fmts[256];
		if (so) {
			if (so->type == CLI_OPT_CHOICE)
				cand_list(so->choices, cur);
			else if (so->complete == CLI_COMPLETE_WORDS)
				cand_list(so->values, cur);
			else if (so->complete == CLI_COMPLETE_SERVICE || so->complete == CLI_COMPLETE_SELECTOR)
				complete_services(c, argc - 2, argv, cur, so->complete == CLI_COMPLETE_SELECTOR);
			else if (so->complete == CLI_COMPLETE_FILE &&
				 (so->type == CLI_OPT_STRING || so->type == CLI_OPT_LIST))
				printf(":files\n");
			return DC_EXIT_OK;
		}
		switch (common) {
		case 0: cand_list(c->spec->formats, cur); break;
		case 4:
			input_formats(fmts, sizeof(fmts), ",", ",");
			cand_list(fmts, cur);
			break;
		case 5: cand_list("auto,always,never", cur); break;
		case 6:
			for (i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++)
				cand("=", limit_names[i].name, cur);
			break;
		case 7: case 8: case 10: case 13: break;
		default: printf(":files\n"); break;
		}
		return DC_EXIT_OK;
	}
	if (cur[0] == '-') {
		for (so = c->spec->opts; so && so->name; so++)
			cand(so->name, "--", cur);
		for (i = 0; i < NCOMMON; i++)
			cand(common_long[i].name, "--", cur);
		return DC_EXIT_OK;
	}
	printf(":files\n");
	if (c->spec->trailing_complete)
		complete_services(c, argc - 1, argv, cur, 0);
	return DC_EXIT_OK;
}
