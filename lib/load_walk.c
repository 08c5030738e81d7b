/*
 * load_walk.c - the globs of a directory walk (dc_load_options.include and
 * exclude): dc_path_glob_match(), documented in depcheck/catalog.h and
 * docs/commands.md ("Directory walks").
 *
 * Matching is recursive over the pattern; a `*` tries each split of one
 * path component and a `**` each later component, so the work is bounded
 * by the pattern's stars times the path's length (both short: a command
 * line's pattern, a path below PATH_MAX). Nothing is allocated.
 */
#include "depcheck/catalog.h"

#include <string.h>

/* One `[...]` class at p (after the '['): whether c is in it; *end is set
 * after the ']'. A class without its ']' is a literal '['. */
static int match_class(const char *p, char c, const char **end)
{
	int neg = 0, in = 0;
	const char *q = p;
	if (*q == '!' || *q == '^') {
		neg = 1;
		q++;
	}
	if (*q == ']') { /* a leading ']' is literal */
		in |= c == ']';
		q++;
	}
	for (; *q && *q != ']'; q++) {
		if (q[1] == '-' && q[2] && q[2] != ']') {
			in |= (unsigned char)c >= (unsigned char)q[0] && (unsigned char)c <= (unsigned char)q[2];
			q += 2;
		} else {
			in |= c == *q;
		}
	}
	if (*q != ']') {
		*end = NULL;
		return 0;
	}
	*end = q + 1;
	return in != neg;
}

static int match(const char *p, const char *s)
{
	for (;;) {
		if (!*p)
			return !*s;
		if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2])) {
			const char *t = s;
			if (!p[2])
				return 1; /* a trailing ** takes the rest */
			for (;;) { /* "**" + "/": zero or more whole components */
				if (match(p + 3, t))
					return 1;
				if (!(t = strchr(t, '/')))
					return 0;
				t++;
			}
		}
		if (*p == '*') {
			const char *t = s;
			while (*p == '*')
				p++;
			for (;; t++) {
				if (match(p, t))
					return 1;
				if (!*t || *t == '/')
					return 0;
			}
		}
		if (*p == '?') {
			if (!*s || *s == '/')
				return 0;
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			const char *end;
			int in;
			if (!*s || *s == '/')
				return 0;
			in = match_class(p + 1, *s, &end);
			if (end) {
				if (!in)
					return 0;
				p = end;
				s++;
				continue;
			}
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
}

int dc_path_glob_match(const char *pattern, const char *path)
{
	const char *name;
	char buf[4096];
	size_t n;
	if (!pattern || !path)
		return 0;
	n = strlen(pattern);
	if (n && pattern[n - 1] == '/') { /* "dir/": as "dir" */
		while (n && pattern[n - 1] == '/')
			n--;
		if (n >= sizeof(buf))
			return 0;
		memcpy(buf, pattern, n);
		buf[n] = '\0';
		pattern = buf;
	}
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (*pattern == '/')
		pattern++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!*pattern)
		return 0;
	if (!strchr(pattern, '/')) {
		/* a name: the last component, at any depth */
		name = strrchr(path, '/');
		return match(pattern, name ? name + 1 : path);
	}
	return match(pattern, path);
}
