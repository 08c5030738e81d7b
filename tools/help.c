/*
 * help.c - --help and the man pages, from one source.
 *
 * A command's help is its cli_spec: usage, description, options (each
 * option's help is "ARG  text"), formats, examples and exit statuses. The
 * text rendering fits 80 columns (option texts wrap under their column);
 * the roff rendering is the man page depcheck-CMD(1), written at build time
 * by `depcheck help --man-dir DIR` and installed by `cmake --install`. The
 * common options and the topics (help_topics.c) are shared the same way.
 */
#include "cli.h"

#include <string.h>

#define HELP_WIDTH 80
#define OPT_COL 26   /* where option texts start */

/* ---- wrapping ------------------------------------------------------------- */

void cli_wrap(FILE *fp, const char *text, size_t len, int col, int indent, int width)
{
	const char *p = text, *end = text + len;
	int first = 1;
	while (p < end) {
		const char *w = p;
		size_t wl;
		while (w < end && *w == ' ')
			w++;
		if (w >= end)
			break;
		wl = strcspn(w, " ");
		if (w + wl > end)
			wl = (size_t)(end - w);
		if (!first && col + 1 + (int)wl > width) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', fp);
			col++;
		}
		fwrite(w, 1, wl, fp);
		col += (int)wl;
		first = 0;
		p = w + wl;
	}
}

/* An option's help "ARG  text" split: the argument (empty for a flag) and
 * the text. */
static void split_help(const cli_opt *o, int has_arg, const char **arg, size_t *arglen, const char **text)
{
	const char *h = o->help ? o->help : "";
	if (has_arg) {
		*arg = h;
		*arglen = strcspn(h, " ");
		h += *arglen;
	} else {
		*arg = "";
		*arglen = 0;
	}
	while (*h == ' ')
		h++;
	*text = h;
}

/* "  -x, --name ARG" then the text from OPT_COL, wrapped; a long left part
 * puts the text on the next line. */
static void opt_line(FILE *fp, int short_name, const char *name, const char *arg, size_t arglen,
		     const char *text)
{
	char left[128];
	int n;
	if (short_name)
		n = snprintf(left, sizeof(left), "  -%c, --%s%s%.*s", short_name, name, arglen ? " " : "",
			     (int)arglen, arg);
	else
		n = snprintf(left, sizeof(left), "      --%s%s%.*s", name, arglen ? " " : "", (int)arglen, arg);
	fputs(left, fp);
	if (n + 1 > OPT_COL - 1) {
		fprintf(fp, "\n%*s", OPT_COL, "");
	} else {
		fprintf(fp, "%*s", OPT_COL - n, "");
	}
	cli_wrap(fp, text, strlen(text), OPT_COL, OPT_COL, HELP_WIDTH);
	fputc('\n', fp);
}

/* ---- the common options: one table for --help and the man page ----------- */

typedef struct {
	int short_name;
	const char *name;
	const char *arg;
	const char *text;
} common_opt;

static void input_formats(char *buf, size_t size)
{
	size_t i, n = dc_input_format_count(), used = 0;
	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 dc_input_format_name(dc_input_format_at(i)));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static size_t common_opts(const cli *c, common_opt *o, char *fmt_text, size_t fsize, char *in_text,
			  size_t isize)
{
	size_t n = 0;
	char fmts[200];
	snprintf(fmt_text, fsize, "output format: %s (default %.*s)", c->spec->formats,
		 (int)strcspn(c->spec->formats, ","), c->spec->formats);
	{
		/* "text,json" reads "text, json" */
		char *p;
		for (p = strchr(fmt_text, ':'); p && (p = strchr(p, ',')); p++) {
			memmove(p + 2, p + 1, strlen(p + 1) + 1);
			p[1] = ' ';
			if (strlen(fmt_text) + 2 >= fsize)
				break;
		}
	}
	input_formats(fmts, sizeof(fmts));
	snprintf(in_text, isize, "read every input as F: %s (default: detect each file's format)", fmts);
#define ROW(s, nm, a, t) do { o[n].short_name = s; o[n].name = nm; o[n].arg = a; o[n].text = t; n++; } while (0)
	ROW('f', "format", "FMT", fmt_text);
	ROW('o', "output", "FILE", "write the result to FILE (atomically: all or nothing)");
	ROW(0, "input-format", "F", in_text);
	ROW(0, "color", "WHEN", "auto (default: on a terminal, unless NO_COLOR is set), always or never");
	ROW(0, "input-limit", "NAME=N", "change a safety limit: depth, file-size, aliases, services, "
	    "dependencies, name-length or locations");
	ROW(0, "include", "GLOB", "a directory walk reads only matching files (repeatable)");
	ROW(0, "exclude", "GLOB", "a directory walk leaves matching paths out (repeatable)");
	ROW('v', "verbose", "", "list the files a walk skips as not service descriptors");
	ROW(0, "profile", "P", "Compose: load only services without a profile or of P");
	ROW(0, "env-file", "FILE", "Compose: read FILE instead of each project's .env");
	ROW(0, "telemetry-hard", "", "keep edges to telemetry sinks hard (default: soft)");
	ROW(0, "config", "FILE", "read the project config FILE (default: " DC_CONFIG_FILE_NAME " here or "
	    "above up to the repository root, or $DEPCHECK_CONFIG)");
	ROW(0, "no-config", "", "read no project config");
	ROW(0, "width", "N", "text wraps to N columns (default: the terminal's width on a terminal, "
	    "else no wrapping; 0 = never)");
	ROW('q', "quiet", "", "print errors only, no warnings or summaries");
	ROW('h', "help", "", "show this help");
#undef ROW
	return n;
}

static const char *summary_of(const char *cmd)
{
	const cli_command *k = cli_command_find(cmd);
	return k ? k->summary : "";
}

/* ---- text ------------------------------------------------------------------ */

static void print_lines(FILE *fp, const char *text, int indent)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		if (n)
			fprintf(fp, "%*s%.*s\n", indent, "", (int)n, text);
		else
			fputc('\n', fp);
		text += n + (text[n] == '\n');
	}
}

static void examples_text(FILE *fp, const char *ex)
{
	while (ex && *ex) {
		size_t n = strcspn(ex, "\n"), m;
		const char *what = ex + n + (ex[n] == '\n');
		m = strcspn(what, "\n");
		fprintf(fp, "  %.*s\n", (int)n, ex);
		if (m) {
			fprintf(fp, "      ");
			cli_wrap(fp, what, m, 6, 6, HELP_WIDTH);
			fputc('\n', fp);
		}
		ex = what + m + (what[m] == '\n');
	}
}

void cli_help_text(const cli *c, FILE *fp)
{
	const cli_spec *s = c->spec;
	const cli_opt *so;
	common_opt co[24];
	char ft[256], it[256];
	size_t i, n;
	char head[64];
	int hl = snprintf(head, sizeof(head), "usage: depcheck %s ", c->cmd);
	fputs(head, fp);
	cli_wrap(fp, s->usage, strlen(s->usage), hl, hl < 40 ? hl : 8, HELP_WIDTH);
	fprintf(fp, "\n\n");
	print_lines(fp, s->description, 0);
	if (s->opts && s->opts->name) {
		fprintf(fp, "\noptions:\n");
		for (so = s->opts; so->name; so++) {
			const char *arg, *text;
			size_t al;
			int has_arg = so->type == CLI_OPT_FN ? so->has_arg : so->type != CLI_OPT_FLAG;
			split_help(so, has_arg, &arg, &al, &text);
			opt_line(fp, so->short_name, so->name, arg, al, text);
		}
	}
	fprintf(fp, "\ncommon options:\n");
	n = common_opts(c, co, ft, sizeof(ft), it, sizeof(it));
	for (i = 0; i < n; i++)
		opt_line(fp, co[i].short_name, co[i].name, co[i].arg, strlen(co[i].arg), co[i].text);
	if (s->examples) {
		fprintf(fp, "\nexamples:\n");
		examples_text(fp, s->examples);
	}
	fprintf(fp, "\nexit status:\n");
	fprintf(fp, "  0  ");
	cli_wrap(fp, s->exit_ok ? s->exit_ok : "success", strlen(s->exit_ok ? s->exit_ok : "success"), 5, 5,
		 HELP_WIDTH);
	fputc('\n', fp);
	if (s->exit_findings) {
		fprintf(fp, "  1  ");
		cli_wrap(fp, s->exit_findings, strlen(s->exit_findings), 5, 5, HELP_WIDTH);
		fputc('\n', fp);
	}
	fprintf(fp, "  2  usage error, or input that cannot be analyzed\n");
	fprintf(fp, "\n'depcheck help formats|policy|semantics|json' for the topics;\n"
		"'man depcheck-%s' for this page.\n", c->cmd);
}

/* ---- roff ------------------------------------------------------------------ */

/* Text for roff: backslashes and dashes escaped, a leading dot or quote
 * made literal. */
static void roff(FILE *fp, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if ((i == 0 || s[i - 1] == '\n') && (ch == '.' || ch == '\''))
			fputs("\\&", fp);
		if (ch == '\\')
			fputs("\\e", fp);
		else if (ch == '-')
			fputs("\\-", fp);
		else
			fputc(ch, fp);
	}
}

static void roffs(FILE *fp, const char *s)
{
	roff(fp, s, strlen(s));
}

static void man_head(FILE *fp, const char *name, int section, const char *what)
{
	char up[64];
	size_t i;
	for (i = 0; name[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
	up[i] = '\0';
	fprintf(fp, ".\\\" generated by depcheck help --man-dir: edit the help in tools/, not this file\n");
	fprintf(fp, ".TH %s %d \"\" \"depcheck %s\" \"depcheck manual\"\n", up, section, dc_version());
	fprintf(fp, ".SH NAME\n");
	roffs(fp, name);
	fprintf(fp, " \\- ");
	roffs(fp, what);
	fputc('\n', fp);
}

/* A description or topic: paragraphs split at blank lines, lines starting
 * with two spaces kept as they are (code, lists). */
static void man_body(FILE *fp, const char *text)
{
	int in_code = 0;
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		if (n == 0) {
			if (in_code)
				fprintf(fp, ".fi\n.RE\n");
			in_code = 0;
			fprintf(fp, ".PP\n");
		} else if (n > 1 && text[0] == ' ' && text[1] == ' ') {
			if (!in_code)
				fprintf(fp, ".RS\n.nf\n");
			in_code = 1;
			roff(fp, text + 2, n - 2);
			fputc('\n', fp);
		} else {
			if (in_code)
				fprintf(fp, ".fi\n.RE\n");
			in_code = 0;
			roff(fp, text, n);
			fputc('\n', fp);
		}
		text += n + (text[n] == '\n');
	}
	if (in_code)
		fprintf(fp, ".fi\n.RE\n");
}

static void man_opt(FILE *fp, int short_name, const char *name, const char *arg, size_t arglen, const char *text)
{
	fprintf(fp, ".TP\n");
	if (short_name)
		fprintf(fp, "\\fB\\-%c\\fR, ", short_name);
	fprintf(fp, "\\fB\\-\\-");
	roffs(fp, name);
	fprintf(fp, "\\fR");
	if (arglen) {
		fprintf(fp, " \\fI");
		roff(fp, arg, arglen);
		fprintf(fp, "\\fR");
	}
	fputc('\n', fp);
	roffs(fp, text);
	fputc('\n', fp);
}

void cli_help_man(const cli *c, FILE *fp)
{
	const cli_spec *s = c->spec;
	const cli_opt *so;
	common_opt co[24];
	char ft[256], it[256], name[64];
	size_t i, n;
	const char *ex;
	snprintf(name, sizeof(name), "depcheck-%s", c->cmd);
	man_head(fp, name, 1, summary_of(c->cmd));
	fprintf(fp, ".SH SYNOPSIS\n\\fBdepcheck %s\\fR ", c->cmd);
	roffs(fp, s->usage);
	fprintf(fp, "\n.SH DESCRIPTION\n");
	man_body(fp, s->description);
	fprintf(fp, ".SH OPTIONS\n");
	for (so = s->opts; so && so->name; so++) {
		const char *arg, *text;
		size_t al;
		int has_arg = so->type == CLI_OPT_FN ? so->has_arg : so->type != CLI_OPT_FLAG;
		split_help(so, has_arg, &arg, &al, &text);
		man_opt(fp, so->short_name, so->name, arg, al, text);
	}
	fprintf(fp, ".SS Common options\n");
	n = common_opts(c, co, ft, sizeof(ft), it, sizeof(it));
	for (i = 0; i < n; i++)
		man_opt(fp, co[i].short_name, co[i].name, co[i].arg, strlen(co[i].arg), co[i].text);
	if ((ex = s->examples)) {
		fprintf(fp, ".SH EXAMPLES\n");
		while (*ex) {
			size_t k = strcspn(ex, "\n"), m;
			const char *what = ex + k + (ex[k] == '\n');
			m = strcspn(what, "\n");
			fprintf(fp, ".PP\n");
			roff(fp, what, m);
			fprintf(fp, ":\n.RS\n.nf\n");
			roff(fp, ex, k);
			fprintf(fp, "\n.fi\n.RE\n");
			ex = what + m + (what[m] == '\n');
		}
	}
	fprintf(fp, ".SH EXIT STATUS\n.TP\n0\n");
	roffs(fp, s->exit_ok ? s->exit_ok : "success");
	if (s->exit_findings) {
		fprintf(fp, "\n.TP\n1\n");
		roffs(fp, s->exit_findings);
	}
	fprintf(fp, "\n.TP\n2\nusage error, or input that cannot be analyzed\n");
	fprintf(fp, ".SH SEE ALSO\n\\fBdepcheck\\fR(1), \\fBdepcheck\\-formats\\fR(7), "
		"\\fBdepcheck\\-semantics\\fR(7), \\fBdepcheck\\-json\\fR(7)\n");
}

void cli_man_main(FILE *fp)
{
	const cli_command *k;
	const cli_topic *t;
	man_head(fp, "depcheck", 1, "if this service breaks, what else breaks?");
	fprintf(fp, ".SH SYNOPSIS\n\\fBdepcheck\\fR \\fICOMMAND\\fR [\\fIoptions\\fR] \\fIPATH\\fR...\n"
		".br\n\\fBdepcheck help\\fR [\\fICOMMAND\\fR|\\fITOPIC\\fR]\n"
		".br\n\\fBdepcheck completion\\fR bash|zsh|fish\n");
	fprintf(fp, ".SH DESCRIPTION\n");
	man_body(fp, "depcheck reads service descriptors (its own YAML/JSON, Backstage catalogs,\n"
		     "Kubernetes manifests, Compose files, DOT) into one dependency graph and\n"
		     "answers failure questions about it.");
	fprintf(fp, ".SH COMMANDS\n");
	for (k = cli_commands(); k->name; k++) {
		fprintf(fp, ".TP\n\\fBdepcheck\\-");
		roffs(fp, k->name);
		fprintf(fp, "\\fR(1)\n");
		roffs(fp, k->summary);
		fputc('\n', fp);
	}
	fprintf(fp, ".SH TOPICS\n");
	for (t = cli_topics(); t->name; t++) {
		fprintf(fp, ".TP\n\\fBdepcheck\\-");
		roffs(fp, t->name);
		fprintf(fp, "\\fR(7), \\fBdepcheck help ");
		roffs(fp, t->name);
		fprintf(fp, "\\fR\n");
		roffs(fp, t->summary);
		fputc('\n', fp);
	}
	fprintf(fp, ".SH EXIT STATUS\n.TP\n0\nsuccess, or the gate passes\n.TP\n1\nfindings "
		"(each command's page says which)\n.TP\n2\nusage error, or input that cannot be analyzed\n"
		".TP\n141\nstandard output was a pipe that the reader closed (SIGPIPE)\n");
	fprintf(fp, ".SH ENVIRONMENT\n.TP\nNO_COLOR\nwhen set and not empty, no colour with "
		"\\fB\\-\\-color auto\\fR\n.TP\nCOLUMNS\nthe width text output wraps to on a terminal "
		"(\\fB\\-\\-width\\fR overrides it)\n");
}

void cli_man_topic(const cli_topic *t, FILE *fp)
{
	char name[64];
	snprintf(name, sizeof(name), "depcheck-%s", t->name);
	man_head(fp, name, 7, t->summary);
	fprintf(fp, ".SH DESCRIPTION\n");
	man_body(fp, t->text);
	fprintf(fp, ".SH SEE ALSO\n\\fBdepcheck\\fR(1)\n");
}

void cli_help_topic(const cli_topic *t, FILE *fp)
{
	fprintf(fp, "depcheck help %s: %s\n\n", t->name, t->summary);
	print_lines(fp, t->text, 0);
}

const cli_topic *cli_topic_find(const char *name)
{
	const cli_topic *t;
	for (t = cli_topics(); t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
