/*
 * test_hostref.c - lib/hostref.c, the hosts a configuration value names:
 * a table of values and the candidates each must give, in order, written
 * as "name[:port][/flags]" (flags: m marked, a absolute, s SRV, o after
 * '=', l one of a list), one space between candidates.
 */
#include "helpers.h"

#include "hostref.h"

#include <stdio.h>

typedef struct {
	char out[1024];
	size_t used;
} collect;

static int add(void *arg, const hostref *h)
{
	collect *c = arg;
	char flags[8];
	size_t f = 0;
	int w;
	if (h->flags & HOSTREF_MARKED)
		flags[f++] = 'm';
	if (h->flags & HOSTREF_ABSOLUTE)
		flags[f++] = 'a';
	if (h->flags & HOSTREF_SRV)
		flags[f++] = 's';
	if (h->flags & HOSTREF_OPTION)
		flags[f++] = 'o';
	if (h->flags & HOSTREF_LIST)
		flags[f++] = 'l';
	flags[f] = '\0';
	w = snprintf(c->out + c->used, sizeof(c->out) - c->used, "%s%s", c->used ? " " : "", h->name);
	c->used += (size_t)w;
	if (h->port)
		c->used += (size_t)snprintf(c->out + c->used, sizeof(c->out) - c->used, ":%u", h->port);
	if (f)
		c->used += (size_t)snprintf(c->out + c->used, sizeof(c->out) - c->used, "/%s", flags);
	return 0;
}

static const char *const cases[][2] = {
	/* plain host, port, path, userinfo */
	{ "api", "api" },
	{ "api:8080", "api:8080/m" },
	{ "api/v1/x", "api" },
	{ "user@api:80", "api:80/m" },
	{ "API:80", "api:80/m" },                       /* DNS names have no case */
	{ "api.ns.svc.cluster.local.", "api.ns.svc.cluster.local/a" },
	{ "http://api.ns.svc.cluster.local.:80/x", "api.ns.svc.cluster.local:80/ma" },
	/* URLs */
	{ "http://api", "api/m" },
	{ "https://user:pw@api:8443/p?q=1#f", "api:8443/m" },
	{ "redis://cache:6379/0", "cache:6379/m" },
	{ "HTTP://Api.Default.SVC:80", "api.default.svc:80/m" },
	{ "file:///etc/hosts", "" },
	/* lists: Kafka bootstrap servers, comma or space separated */
	{ "kafka-0.kafka-hs:9092,kafka-1.kafka-hs:9092", "kafka-0.kafka-hs:9092/ml kafka-1.kafka-hs:9092/ml" },
	{ "a:9092 b:9092", "a:9092/m b:9092/m" },
	{ "a:1, b:2; c:3", "a:1/ml b:2/m c:3/m" },
	/* multi-host URLs */
	{ "jdbc:postgresql://a:5432,b:5432/db", "a:5432/ml b:5432/ml" },
	{ "jdbc:mysql:loadbalance://h1:3306,h2:3306/db?x=1", "h1:3306/ml h2:3306/ml" },
	{ "jdbc:sqlserver://sql:1433;databaseName=x", "sql:1433/m x/o" },  /* bare words are the caller's to judge */
	{ "jdbc:oracle:thin:@ora:1521:ORCL", "ora:1521/m" },
	{ "jdbc:oracle:thin:@//ora:1521/svc", "ora:1521/m" },
	{ "jdbc:h2:mem:test", "" },
	{ "mongodb://a,b,c/?replicaSet=x", "a/ml b/ml c/ml" },
	{ "mongodb://u:p@a:27017,b:27017/db", "a:27017/ml b:27017/ml" },
	{ "redis-sentinel://s1:26379,s2:26379/mymaster", "s1:26379/ml s2:26379/ml" },
	{ "http://a:80,http://b:80", "a:80/ml b:80/ml" },
	/* gRPC targets */
	{ "dns:///api.ns.svc.cluster.local:50051", "api.ns.svc.cluster.local:50051/m" },
	{ "dns:api:50051", "api:50051/m" },
	{ "dns://8.8.8.8/api:50051", "api:50051/m" },
	{ "dns:53", "dns:53/m" },                       /* a host named dns, not the scheme */
	{ "passthrough:///api:50051", "api:50051/m" },
	{ "unix:///var/run/x.sock", "" },
	{ "xds:///listener", "" },
	{ "ipv4:10.0.0.1:50051,10.0.0.2:50051", "" },
	/* SRV names */
	{ "_grpc._tcp.api.ns.svc.cluster.local", "api.ns.svc.cluster.local/ms" },
	{ "_http._tcp.web", "web/ms" },
	{ "_x.y.z", "_x.y.z" },                         /* one underscore label: no SRV */
	/* options */
	{ "--bootstrap-server=kafka:9092", "kafka:9092/mo" },
	{ "-Dspring.datasource.url=jdbc:postgresql://db:5432/x", "db:5432/mo" },
	{ "key=b", "b/o" },
	{ "http://x/?next=http://y", "x/m" },
	/* quotes */
	{ "{\"url\": \"http://api:80\"}", "url api:80/m" },
	/* not hosts */
	{ "localhost:8080", "" },
	{ "127.0.0.1:8080", "" },
	{ "[::1]:80", "" },
	{ "8080", "" },
	{ "b:http", "" },
	{ "api:0", "" },
	{ "api:65536", "" },
	{ "${B_ADDR}", "" },
	{ "$(B_ADDR):80", "" },
	{ "*.example.com", "" },
	{ "-a", "" },
	{ "a-", "" },
	{ "a..b", "" },
	{ "", "" },
	{ NULL, NULL }
};

static void test_table(void)
{
	int i;
	for (i = 0; cases[i][0]; i++) {
		collect c;
		c.used = 0;
		c.out[0] = '\0';
		hostref_scan(cases[i][0], strlen(cases[i][0]), add, &c);
		if (strcmp(c.out, cases[i][1]))
			printf("\n  '%s': got '%s', want '%s'", cases[i][0], c.out, cases[i][1]);
		CU_ASSERT_STRING_EQUAL(c.out, cases[i][1]);
	}
}

static int stop_at_first(void *arg, const hostref *h)
{
	(*(int *)arg)++;
	return h->port == 2 ? 7 : 0;
}

static void test_stop_and_labels(void)
{
	int n = 0;
	hostref h;
	const char *p;
	size_t len;
	CU_ASSERT_EQUAL(hostref_scan("a:1 b:2 c:3", 11, stop_at_first, &n), 7);
	CU_ASSERT_EQUAL(n, 2);
	memset(&h, 0, sizeof(h));
	strcpy(h.name, "kafka-0.kafka-hs.ns");
	CU_ASSERT(hostref_label(&h, 1, &p, &len) && len == 8 && !strncmp(p, "kafka-hs", 8));
	CU_ASSERT(hostref_label(&h, 2, &p, &len) && len == 2 && !strncmp(p, "ns", 2));
	CU_ASSERT(!hostref_label(&h, 3, &p, &len));
}

int suite_hostref(void)
{
	static const th_test t[] = {
		{ "value table", test_table },
		{ "stop, labels", test_stop_and_labels },
		{ NULL, NULL }
	};
	return th_suite("hostref", t);
}
