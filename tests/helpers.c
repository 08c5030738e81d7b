/*
 * helpers.c - the longer helpers of helpers.h, shared by the CUnit suites.
 */
#include "helpers.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int th_cause_is(const dc_catalog *cat, const dc_impact *imp, const char *name, const char *to)
{
	uint32_t e = dc_impact_cause(imp, th_id(cat, name));
	if (!*to)
		return e == UINT32_MAX;
	return e != UINT32_MAX && dc_dep_from(cat, e) == th_id(cat, name) && dc_dep_to(cat, e) == th_id(cat, to);
}

int th_load_path(dc_catalog **cat, dc_diags **diags, const char *path)
{
	*cat = NULL;
	dc_diags_new(diags);
	return dc_catalog_load(cat, &path, 1, NULL, *diags);
}

void th_print_diags(const dc_diags *d)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++)
		dc_diag_print(stderr, dc_diags_get(d, i));
}

void th_done(dc_catalog *cat, dc_diags *diags)
{
	if (getenv("DC_TEST_DIAGS")) {
		th_print_diags(diags);
		fprintf(stderr, "--\n");
	}
	dc_catalog_free(cat);
	dc_diags_free(diags);
}

int th_has_diag(const dc_diags *d, int sev, const char *file, unsigned line, unsigned col, const char *msg)
{
	size_t i;
	for (i = 0; i < dc_diags_count(d); i++) {
		const dc_diag *x = dc_diags_get(d, i);
		if ((sev < 0 || (int)x->severity == sev) && (!file || (x->file && !strcmp(x->file, file))) &&
		    x->line == line && x->column == col && !strcmp(x->message, msg))
			return 1;
	}
	return 0;
}

void th_fx_load(th_fx *f, const char *name, const char *text)
{
	f->g = NULL;
	CU_ASSERT_EQUAL_FATAL(th_load(&f->cat, &f->diags, name, text, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL_FATAL(dc_graph_new(&f->g, f->cat), 0);
}

void th_fx_free(th_fx *f)
{
	dc_graph_free(f->g);
	dc_catalog_free(f->cat);
	dc_diags_free(f->diags);
}

dc_policy *th_policy(const char *text)
{
	dc_policy *p = NULL;
	dc_diags *d;
	int rc;
	dc_diags_new(&d);
	rc = dc_policy_parse(&p, "policy.yaml", text, strlen(text), d);
	if (rc || !p) {
		fprintf(stderr, "\nunexpected errors in:\n%s", text);
		th_print_diags(d);
	}
	dc_diags_free(d);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

char *th_export(const dc_catalog *cat, dc_output_format format)
{
	char *buf = NULL;
	int rc;
	TH_CAPTURE(buf, rc, dc_export(cat, format, fp));
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *th_run_cli(const char *args, int *code)
{
	char cmd[2048], *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *p;
	int st;
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>/dev/null", DC_TESTDATA, DC_BINARY, args);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);
			if (!nb)
				break;
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, p);
		if (!n)
			break;
		len += n;
	}
	st = pclose(p);
	if (code)
		*code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (buf)
		buf[len] = '\0';
	return buf;
}

int th_cli_code(const char *args)
{
	int code = -1;
	free(th_run_cli(args, &code));
	return code;
}

size_t th_count(const char *hay, const char *needle)
{
	size_t n = 0, l = strlen(needle);
	for (; (hay = strstr(hay, needle)) != NULL; hay += l)
		n++;
	return n;
}

static int known_entity(const char *s)
{
	return !strncmp(s, "&amp;", 5) || !strncmp(s, "&lt;", 4) || !strncmp(s, "&gt;", 4) ||
	       !strncmp(s, "&quot;", 6) || !strncmp(s, "&apos;", 6) || !strncmp(s, "&#", 2);
}

int th_xml_ok(const char *s)
{
	const char *stack[64];
	size_t lens[64];
	int depth = 0, roots = 0;
	if (strncmp(s, "<?xml ", 6) || !(s = strstr(s, "?>")))
		return 0;
	for (s += 2; *s; s++) {
		const char *n, *e, *q;
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			return 0;
		if (*s == '&' && !known_entity(s))
			return 0;
		if (*s == '>')
			return 0; /* a '>' outside a tag: escaped text has none */
		if (*s != '<')
			continue;
		if (s[1] == '/') { /* a closing tag */
			size_t l;
			n = s + 2;
			l = strcspn(n, ">");
			if (!depth || n[l] != '>' || l != lens[depth - 1] || strncmp(n, stack[depth - 1], l))
				return 0;
			depth--;
			s = n + l;
			continue;
		}
		n = s + 1;
		e = n + strcspn(n, " \t\n/>");
		if (e == n || (!depth && roots++))
			return 0; /* no name, or a second root */
		for (;;) { /* attributes: name="value" */
			while (*e == ' ' || *e == '\t' || *e == '\n')
				e++;
			if (!*e || *e == '/' || *e == '>')
				break;
			while (*e && *e != '=' && *e != '>' && *e != ' ')
				e++;
			if (*e != '=' || e[1] != '"' || !(q = strchr(e + 2, '"')) ||
			    memchr(e + 2, '<', (size_t)(q - e - 2)))
				return 0;
			for (e += 2; e < q; e++)
				if (*e == '&' && !known_entity(e))
					return 0;
			e = q + 1;
		}
		if (*e == '/' && e[1] == '>') {
			s = e + 1;
			continue;
		}
		if (*e != '>' || depth == 64)
			return 0;
		stack[depth] = n;
		lens[depth++] = strcspn(n, " \t\n/>");
		s = e;
	}
	return depth == 0 && roots == 1;
}

int th_tmpdir(char *dir, size_t size)
{
	if (size < 20)
		return -1;
	snprintf(dir, size, "/tmp/dc-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

void th_rmtree(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

void th_write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs(text, fp);
	CU_ASSERT_EQUAL(fclose(fp), 0);
}

int th_load2(dc_catalog **cat, dc_diags **diags, const char *a, const char *b)
{
	const char *in[2];
	int i, rc = 0;
	in[0] = a;
	in[1] = b;
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(cat), 0);
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(diags), 0);
	for (i = 0; i < 2; i++) {
		int r;
		if (strchr(in[i], '\n')) {
			r = dc_catalog_add_buffer(*cat, i ? "catalog.yaml" : "dump.json", in[i], strlen(in[i]), NULL,
						  *diags);
		} else {
			char path[1024];
			snprintf(path, sizeof(path), "%s/%s", DC_TESTDATA, in[i]);
			r = dc_catalog_add_path(*cat, path, NULL, *diags);
		}
		if (r && !rc)
			rc = r;
	}
	i = dc_catalog_finalize(*cat, *diags);
	return rc ? rc : i;
}

double th_setting(const dc_catalog *cat, long d, dc_dep_setting k)
{
	return d < 0 ? -1 : dc_dep_setting_value(cat, (size_t)d, k);
}

int th_setting_at(const dc_catalog *cat, long d, dc_dep_setting k, unsigned line, unsigned col)
{
	dc_location l;
	if (d < 0)
		return 0;
	l = dc_dep_setting_location(cat, (size_t)d, k);
	if (!(l.file && l.line == line && l.column == col))
		printf("\n  %s at %u:%u, want %u:%u", dc_dep_setting_name(k), l.line, l.column, line, col);
	return l.file && l.line == line && l.column == col;
}
