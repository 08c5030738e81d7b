/*
 * test_k8s_dns.c - the Kubernetes loader against the record forms of the
 * Kubernetes DNS specification (github.com/kubernetes/dns/blob/master/docs/specification.md,
 * schema 1.0.1) and a pod's search path
 * (<ns>.svc.<zone> svc.<zone> <zone>): a table of env values, each with the
 * workloads the value must give edges to and the warning it must give.
 * The facts are the specification's; the cluster below is ours.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

/* Namespaces shop and data. In shop: Service api (ClusterIP) -> Deployment
 * api; headless Service kafka-hs -> StatefulSet kafka (serviceName
 * kafka-hs); Service plain (ClusterIP) -> Deployment plain; ExternalName
 * Service ext. In data: headless zk-hs -> StatefulSet zk; headless db-hs ->
 * Deployments db (pod hostname primary, subdomain db-hs) and db-replica. */
#define WL(kind, name, ns, app, extra) \
	"---\napiVersion: apps/v1\nkind: " kind "\nmetadata: {name: " name ", namespace: " ns "}\n" \
	"spec:\n" extra "  template:\n    metadata: {labels: {app: " app "}}\n" \
	"    spec: {containers: [{name: c}]}\n"
#define SVC(name, ns, app, extra) \
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: " name ", namespace: " ns "}\n" \
	"spec: {selector: {app: " app "}" extra "}\n"

static const char *cluster =
	WL("Deployment", "api", "shop", "api", "")
	SVC("api", "shop", "api", "")
	WL("StatefulSet", "kafka", "shop", "kafka", "  serviceName: kafka-hs\n")
	SVC("kafka-hs", "shop", "kafka", ", clusterIP: None")
	WL("Deployment", "plain", "shop", "plain", "")
	SVC("plain", "shop", "plain", "")
	"---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\n"
	"spec: {type: ExternalName, externalName: www.example.com}\n"
	WL("StatefulSet", "zk", "data", "zk", "  serviceName: zk-hs\n")
	SVC("zk-hs", "data", "zk", ", clusterIP: None")
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db, namespace: data}\n"
	"spec:\n  template:\n    metadata: {labels: {app: db}}\n"
	"    spec: {hostname: primary, subdomain: db-hs, containers: [{name: c}]}\n"
	WL("Deployment", "db-replica", "data", "db", "")
	SVC("db-hs", "data", "db", ", clusterIP: None");

typedef struct {
	const char *spec;    /* where the form comes from */
	const char *value;   /* env value of the client (namespace shop) */
	const char *targets; /* its edges' targets, sorted, space-separated */
	const char *warning; /* a warning that must be given, or NULL for none at all */
} dns_case;

static const dns_case cases[] = {
	/* 2.3.1: <service>.<ns>.svc.<zone>. A; the search path gives the shorter forms */
	{ "2.3.1", "api.shop.svc.cluster.local", "api", NULL },
	{ "2.3.1", "http://api.shop.svc.cluster.local:8080/v1", "api", NULL },
	{ "search <ns>.svc.<zone>", "api", "api", NULL },
	{ "search <ns>.svc.<zone>", "api:8080", "api", NULL },
	{ "search svc.<zone>", "api.shop", "api", NULL },
	{ "search <zone>", "api.shop.svc", "api", NULL },
	{ "2.1 <zone> is configured", "api.shop.svc.k8s.example.org", "api", NULL },
	/* 2.1: all comparisons are case-insensitive */
	{ "2.1", "API.Shop.SVC.Cluster.Local", "api", NULL },
	{ "2.1", "Kafka-0.KAFKA-HS:9092", "kafka", NULL },
	/* absolute names: the record names end in '.'; no search path */
	{ "2.3.1 absolute", "api.shop.svc.cluster.local.", "api", NULL },
	{ "2.3.1 absolute", "http://api.shop.svc.cluster.local.:80", "api", NULL },
	{ "absolute, no zone", "api.shop.svc.", "", NULL },
	{ "absolute, no search", "api.:80", "", NULL },
	/* 2.3.2: SRV _<port>._<proto>.<service>.<ns>.svc.<zone> */
	{ "2.3.2", "_http._tcp.api.shop.svc.cluster.local", "api", NULL },
	{ "2.3.2 + search", "_http._tcp.api", "api", NULL },
	/* 2.4.1: headless Service A records, one per ready endpoint */
	{ "2.4.1", "kafka-hs.shop.svc.cluster.local:9092", "kafka", NULL },
	{ "2.4.1", "db-hs.data.svc.cluster.local", "db db-replica", NULL },
	/* 2.4.1: <hostname>.<service>.<ns>.svc.<zone> for each endpoint with a hostname */
	{ "2.4.1 hostname", "kafka-0.kafka-hs.shop.svc.cluster.local:9092", "kafka", NULL },
	{ "2.4.1 + search <ns>.svc.<zone>", "kafka-0.kafka-hs:9092", "kafka", NULL },
	{ "2.4.1 + search svc.<zone>", "zk-0.zk-hs.data:2181", "zk", NULL },
	{ "2.4.1 + search <zone>", "zk-1.zk-hs.data.svc", "zk", NULL },
	{ "2.4.1 hostname field", "primary.db-hs.data.svc.cluster.local:5432", "db", NULL },
	{ "2.4.1 hostname unknown", "other.db-hs.data.svc.cluster.local", "db db-replica", NULL },
	/* 2.4.2: SRV for a headless Service */
	{ "2.4.2", "_client._tcp.zk-hs.data.svc.cluster.local", "zk", NULL },
	/* a hostname under a Service with a ClusterIP has no record */
	{ "2.4 (not headless)", "plain-0.plain:80", "", "which is not headless" },
	{ "2.4 (not headless)", "plain-0.plain.shop.svc.cluster.local", "", "which is not headless" },
	/* 2.5: ExternalName is a CNAME out of the cluster */
	{ "2.5", "ext.shop.svc.cluster.local", "", "ExternalName service" },
	/* 2.6 (deprecated) pod records and 2.2 the schema TXT: no Service */
	{ "2.6", "10-0-0-1.shop.pod.cluster.local:80", "", NULL },
	{ "2.2", "dns-version.cluster.local", "", NULL },
	/* a name in the cluster's form that the input does not define */
	{ "unresolved", "billing.shop.svc.cluster.local:80", "billing.shop.svc.cluster.local",
	  "'billing.shop.svc.cluster.local' in env X of 'client' is not defined in the input" },
	{ "unresolved pod", "kafka-9.nope-hs.data.svc.cluster.local", "nope-hs.data.svc.cluster.local",
	  "'nope-hs.data.svc.cluster.local' in env X of 'client' is not defined" },
	/* a bare word crosses no namespace; a public name is no reference */
	{ "search", "zk-hs", "", NULL },
	{ "public", "https://api.example.com", "", NULL },
	/* every host of a multi-host value */
	{ "list", "kafka-0.kafka-hs:9092,kafka-1.kafka-hs:9092 api:80", "api kafka", NULL },
	{ "grpc", "dns:///api.shop.svc.cluster.local:50051", "api", NULL },
	{ "grpc", "dns:api:50051", "api", NULL },
	{ "jdbc", "jdbc:postgresql://db-hs.data.svc:5432,zk-0.zk-hs.data:5432/x", "db db-replica zk", NULL },
	{ "mongodb", "mongodb://zk-0.zk-hs.data,primary.db-hs.data/?replicaSet=rs0", "db zk", NULL },
	{ NULL, NULL, NULL, NULL }
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_dns_table(void)
{
	int i;
	for (i = 0; cases[i].value; i++) {
		const dns_case *k = &cases[i];
		size_t len = strlen(cluster) + strlen(k->value) + 256, n, j, first;
		char *y = malloc(len), got[512];
		const char *names[16];
		dc_catalog *cat;
		dc_diags *d;
		dc_id cl;
		int ok;
		CU_ASSERT_PTR_NOT_NULL_FATAL(y);
		snprintf(y, len, "%s---\napiVersion: apps/v1\nkind: Deployment\n"
			 "metadata: {name: client, namespace: shop}\nspec:\n  template:\n"
			 "    metadata: {labels: {app: client}}\n"
			 "    spec: {containers: [{name: c, env: [{name: X, value: '%s'}]}]}\n",
			 cluster, k->value);
		th_load(&cat, &d, "dns.yaml", y, DC_FORMAT_KUBERNETES);
		cl = th_id(cat, "client");
		CU_ASSERT_FATAL(cl != DC_NO_ID);
		n = dc_service_dep_count(cat, cl);
		first = dc_service_dep_first(cat, cl);
		for (j = 0; j < n && j < 16; j++)
			names[j] = dc_service_name(cat, dc_dep_to(cat, first + j));
		qsort(names, j, sizeof(names[0]), cmp_str);
		got[0] = '\0';
		for (j = 0; j < n && j < 16; j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? " " : "", names[j]);
		ok = !strcmp(got, k->targets);
		if (k->warning)
			ok = ok && th_find_diag(d, k->warning, 0, 0) >= 0;
		else
			ok = ok && dc_diags_count(d) == 0;
		if (!ok) {
			printf("\n  %s '%s': edges to '%s' (want '%s')", k->spec, k->value, got, k->targets);
			for (j = 0; j < dc_diags_count(d); j++)
				printf("\n    %s", dc_diags_get(d, j)->message);
		}
		CU_ASSERT(ok);
		th_done(cat, d);
		free(y);
	}
}

int suite_k8s_dns(void)
{
	static const th_test t[] = {
		{ "DNS specification forms", test_dns_table },
		{ NULL, NULL }
	};
	return th_suite("k8s_dns", t);
}
