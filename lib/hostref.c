/*
 * hostref.c - the hosts a configuration value names (hostref.h).
 *
 * A hand-written scanner, no allocation: words, then comma-separated
 * segments of a word, then one segment's scheme (generic `scheme://`,
 * `jdbc:`, gRPC's `dns:` and `passthrough:`, the non-DNS gRPC schemes
 * skipped), then one `[user@]host[:port][/path]` entry. A URL whose
 * authority runs into a comma (`mongodb://a,b,c/db`) makes the following
 * segments more hosts of that authority, until one ends the authority
 * with '/', '?' or '#' or starts a URL of its own.
 */
#include "hostref.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct {
	const char *base; /* the value, for offsets */
	hostref_fn fn;
	void *arg;
	int rc;
} scanner;

static int word_sep(char ch)
{
	return isspace((unsigned char)ch) || ch == ';' || ch == '"' || ch == '\'' || ch == '`';
}

/* Does [a, b) start with the scheme p ("name:")? Not when a digit follows:
 * `dns:53` is the host dns, port 53. */
static int prefix_ci(const char *a, const char *b, const char *p)
{
	size_t n = strlen(p);
	return (size_t)(b - a) >= n && strncasecmp(a, p, n) == 0 &&
	       ((size_t)(b - a) == n || !isdigit((unsigned char)a[n]));
}

static const char *find_str(const char *a, const char *b, const char *needle)
{
	size_t n = strlen(needle);
	for (; a + n <= b; a++)
		if (!memcmp(a, needle, n))
			return a;
	return NULL;
}

/* First of '/', '?', '#' in [a, b), or b. */
static const char *auth_end(const char *a, const char *b)
{
	while (a < b && *a != '/' && *a != '?' && *a != '#')
		a++;
	return a;
}

/* Validate the host text [a, b) and report it. */
static void emit(scanner *sc, const char *a, const char *b, unsigned port, unsigned flags)
{
	hostref h;
	size_t i, n, lab = 0;
	int digits_only = 1;
	if (sc->rc || a >= b)
		return;
	memset(&h, 0, sizeof(h));
	h.off = (size_t)(a - sc->base);
	h.tlen = (size_t)(b - a);
	if (b[-1] == '.') {
		b--;
		flags |= HOSTREF_ABSOLUTE;
	}
	n = (size_t)(b - a);
	if (n == 0 || n > HOSTREF_NAME_MAX)
		return;
	h.labels = 1;
	for (i = 0; i < n; i++) {
		char ch = a[i];
		if (ch == '.') {
			if (lab == 0 || a[i - 1] == '-')
				return; /* empty label, or one ending in '-' */
			lab = 0;
			h.labels++;
			h.name[i] = '.';
			continue;
		}
		if (!isalnum((unsigned char)ch) && ch != '-' && ch != '_')
			return;
		if ((lab == 0 && ch == '-') || ++lab > 63)
			return;
		if (!isdigit((unsigned char)ch))
			digits_only = 0;
		h.name[i] = (char)tolower((unsigned char)ch);
	}
	if (lab == 0 || a[n - 1] == '-')
		return;
	h.name[n] = '\0';
	h.len = n;
	if (digits_only || !strcmp(h.name, "localhost"))
		return; /* an IP address, a number, the pod itself */
	if (h.labels >= 3 && h.name[0] == '_') {
		const char *second = strchr(h.name, '.') + 1;
		if (second[0] == '_') {
			const char *rest = strchr(second, '.') + 1;
			h.len = n - (size_t)(rest - h.name);
			memmove(h.name, rest, h.len + 1);
			h.labels -= 2;
			flags |= HOSTREF_SRV | HOSTREF_MARKED;
		}
	}
	if (port)
		flags |= HOSTREF_MARKED;
	h.port = port;
	h.flags = flags;
	sc->rc = sc->fn(sc->arg, &h);
}

/* One `[user@]host[:port]` entry, followed by nothing or by a path, query
 * or fragment. `tolerant`: after the port, a ':' may follow too (Oracle's
 * `host:1521:SID`). */
static void entry(scanner *sc, const char *a, const char *b, unsigned flags, int tolerant)
{
	const char *ae = auth_end(a, b), *p, *h;
	unsigned port = 0;
	for (p = ae; p > a; p--)
		if (p[-1] == '@') {
			a = p;
			break;
		}
	if (a >= ae || *a == '[')
		return; /* nothing, or an IPv6 literal */
	h = a;
	while (a < ae && *a != ':')
		a++;
	if (a < ae) {
		const char *q = a + 1;
		unsigned long v = 0;
		while (q < ae && isdigit((unsigned char)*q) && v <= 65535)
			v = v * 10 + (unsigned long)(*q++ - '0');
		if (q == a + 1 || v == 0 || v > 65535 || (q < ae && !(tolerant && *q == ':')))
			return; /* `a:b` is not host:port */
		port = (unsigned)v;
	}
	emit(sc, h, a, port, flags);
}

/* The authority of a URL from `a` (just after "//"): its hosts; returns 1
 * when it runs on into the next comma-separated segment. */
static int authority(scanner *sc, const char *a, const char *b, unsigned flags, int more)
{
	const char *ae = auth_end(a, b), *p;
	for (p = ae; p > a; p--)
		if (p[-1] == '@') {
			a = p;
			break;
		}
	entry(sc, a, ae, flags | HOSTREF_MARKED, 0);
	return ae == b && more;
}

/* After `jdbc:`: subprotocols (`postgresql:`, `mysql:loadbalance:`,
 * `oracle:thin:`) up to `//` or `@`. */
static int jdbc(scanner *sc, const char *a, const char *b, unsigned flags, int more)
{
	for (;;) {
		const char *c = a;
		while (c < b && (isalnum((unsigned char)*c) || *c == '+' || *c == '.' || *c == '-'))
			c++;
		if (c == a || c >= b || *c != ':')
			return 0; /* `jdbc:h2:mem:x`: no host */
		c++;
		if (b - c >= 2 && c[0] == '/' && c[1] == '/')
			return authority(sc, c + 2, b, flags, more);
		if (c < b && *c == '@') {
			c++;
			if (b - c >= 2 && c[0] == '/' && c[1] == '/')
				return authority(sc, c + 2, b, flags, more);
			entry(sc, c, b, flags | HOSTREF_MARKED, 1);
			return 0;
		}
		a = c;
	}
}

/* One comma-separated segment [a, b); `in_auth`: a URL authority list
 * runs on from the segment before; `more`: a segment follows. Returns
 * whether the authority list runs on after this one. */
static int segment(scanner *sc, const char *a, const char *b, int in_auth, int more, unsigned flags)
{
	static const char *const no_dns[] = { "unix:", "unix-abstract:", "vsock:", "ipv4:", "ipv6:",
					      "xds:", NULL };
	const char *u = find_str(a, b, "://"), *q, *p;
	int i;
	if (in_auth && !u) {
		const char *ae = auth_end(a, b);
		entry(sc, a, ae, flags | HOSTREF_MARKED, 0);
		return ae == b && more;
	}
	/* key=value: the value (the last '=' before a scheme) */
	for (q = NULL, p = a; p < (u ? u : b); p++)
		if (*p == '=')
			q = p;
	if (q) {
		a = q + 1;
		flags |= HOSTREF_OPTION;
	}
	if (a >= b)
		return 0;
	if (prefix_ci(a, b, "jdbc:"))
		return jdbc(sc, a + 5, b, flags, more);
	if (prefix_ci(a, b, "dns:") || prefix_ci(a, b, "passthrough:")) {
		/* gRPC: dns:[//dns-server/]host[:port] */
		a = memchr(a, ':', (size_t)(b - a)) + 1;
		if (b - a >= 2 && a[0] == '/' && a[1] == '/') {
			const char *sl = memchr(a + 2, '/', (size_t)(b - a - 2));
			if (!sl)
				return 0;
			a = sl + 1;
		}
		entry(sc, a, b, flags | HOSTREF_MARKED, 0);
		return 0;
	}
	for (i = 0; no_dns[i]; i++)
		if (prefix_ci(a, b, no_dns[i]))
			return 0;
	if (u) {
		for (p = a; p < u && (p == a ? isalpha((unsigned char)*p)
				   : isalnum((unsigned char)*p) || *p == '+' || *p == '.' || *p == '-');
		     p++)
			;
		if (p == u && u > a)
			return authority(sc, u + 3, b, flags, more);
		return 0; /* `x$(Y)://`: not a URL */
	}
	entry(sc, a, b, flags, 0);
	return 0;
}

static void word(scanner *sc, const char *a, const char *b)
{
	const char *comma = memchr(a, ',', (size_t)(b - a));
	unsigned flags = comma ? HOSTREF_LIST : 0;
	int in_auth = 0;
	while (a <= b && !sc->rc) {
		const char *e = memchr(a, ',', (size_t)(b - a));
		if (!e)
			e = b;
		in_auth = e > a ? segment(sc, a, e, in_auth, e < b, flags) : 0;
		a = e + 1;
	}
}

int hostref_scan(const char *s, size_t len, hostref_fn fn, void *arg)
{
	scanner sc;
	const char *p = s, *end = s + len;
	sc.base = s;
	sc.fn = fn;
	sc.arg = arg;
	sc.rc = 0;
	while (p < end && !sc.rc) {
		const char *w;
		while (p < end && word_sep(*p))
			p++;
		w = p;
		while (p < end && !word_sep(*p))
			p++;
		if (p > w)
			word(&sc, w, p);
	}
	return sc.rc;
}

int hostref_label(const hostref *h, unsigned i, const char **p, size_t *n)
{
	const char *s = h->name, *e;
	for (; i > 0; i--) {
		s = strchr(s, '.');
		if (!s)
			return 0;
		s++;
	}
	e = strchr(s, '.');
	*p = s;
	*n = e ? (size_t)(e - s) : strlen(s);
	return 1;
}
