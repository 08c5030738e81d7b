/*
 * test_kubernetes.c - the Kubernetes loader: workloads as services, edges
 * inferred from env values and ConfigMaps (every reference form, positive
 * and negative), label selectors, namespaces, annotations, replicas and
 * zones, positions, Helm-style streams, bad manifests, export round trip.
 * DC_TEST_DIAGS=1 prints each test's diagnostics.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#define K DC_FORMAT_KUBERNETES

/* A Deployment `name` (labels app=name) with one env var, and its Service. */
#define DEPLOY(name, ns, env) \
	"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " name "\n  namespace: " ns "\n" \
	"spec:\n  template:\n    metadata:\n      labels:\n        app: " name "\n    spec:\n" \
	"      containers:\n      - name: c\n        env:\n" env
#define SVC(name, ns) \
	"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " name "\n  namespace: " ns "\n" \
	"spec:\n  selector:\n    app: " name "\n"
#define ENV(v) "        - name: X\n          value: \"" v "\"\n"

/* Load `b` and `a` (a's env = value) plus b's Service; does a depend on b? */
static int refers(const char *yaml)
{
	dc_catalog *cat;
	dc_diags *d;
	int r;
	th_load(&cat, &d, "k.yaml", yaml, K);
	r = th_has_dep(cat, "a", "b", DC_DEP_HARD);
	th_done(cat, d);
	return r;
}

#define PAIR(v) DEPLOY("a", "default", ENV(v)) DEPLOY("b", "default", ENV("1")) SVC("b", "default") \
	DEPLOY("o", "other", ENV("1")) SVC("o", "other")

static void test_reference_forms(void)
{
	CU_ASSERT(refers(PAIR("b:8080")));
	CU_ASSERT(refers(PAIR("b")));
	CU_ASSERT(refers(PAIR("http://b")));
	CU_ASSERT(refers(PAIR("http://user:pw@b:80/path?q=1")));
	CU_ASSERT(refers(PAIR("redis://b:6379/0")));
	CU_ASSERT(refers(PAIR("b.default")));
	CU_ASSERT(refers(PAIR("b.default.svc")));
	CU_ASSERT(refers(PAIR("b.default.svc:80")));
	CU_ASSERT(refers(PAIR("grpc://b.default.svc.cluster.local:50051")));
	CU_ASSERT(refers(PAIR("x:1, b:2; y:3")));
	CU_ASSERT(refers(PAIR("nats://n1:4222 b:4222")));
	CU_ASSERT(refers(PAIR("--addr=b:80")));
	CU_ASSERT(refers(PAIR("jdbc:postgresql://x:5432,b:5432/db")));
	CU_ASSERT(refers(PAIR("mongodb://x,b,y/?replicaSet=r")));
	CU_ASSERT(refers(PAIR("dns:///b.default.svc.cluster.local:50051")));
	CU_ASSERT(refers(PAIR("b.default.svc.cluster.local.")));
	CU_ASSERT(refers(PAIR("_grpc._tcp.b.default.svc.cluster.local")));
	/* negatives */
	CU_ASSERT(!refers(PAIR("localhost:8080")));
	CU_ASSERT(!refers(PAIR("127.0.0.1:8080")));
	CU_ASSERT(!refers(PAIR("8080")));
	CU_ASSERT(!refers(PAIR("https://b.example.com")));
	CU_ASSERT(!refers(PAIR("bb")));
	CU_ASSERT(refers(PAIR("B:80")));       /* DNS names have no case */
	CU_ASSERT(!refers(PAIR("b.nosuchns")));
	CU_ASSERT(!refers(PAIR("b:http")));
	CU_ASSERT(!refers(PAIR("${B_ADDR}")));
	CU_ASSERT(!refers(PAIR("key=b")));
	/* the Service `o` lives in namespace other: a bare name does not cross */
	{
		dc_catalog *cat;
		dc_diags *d;
		th_load(&cat, &d, "k.yaml", PAIR("o") DEPLOY("c", "default", ENV("o.other:80")), K);
		CU_ASSERT(!th_has_dep(cat, "a", "o", -1));
		CU_ASSERT(th_has_dep(cat, "c", "o", DC_DEP_HARD));
		CU_ASSERT(dc_diags_count_severity(d, DC_SEV_WARNING) == 0);
		th_done(cat, d);
		th_load(&cat, &d, "k.yaml", PAIR("o:80"), K);
		/* `o:80` from default names default/o: not defined, so an external */
		CU_ASSERT(th_has_dep(cat, "a", "o", -1) == 0);
		CU_ASSERT(th_has_dep(cat, "a", "o.default", DC_DEP_HARD));
		CU_ASSERT(th_find_diag(d, "'o.default' in env X of 'a' is not defined in the input", 0, 0) >= 0);
		th_done(cat, d);
	}
}

static const char *edges_yaml =
	"# Source: chart/templates/a.yaml\n"               /* 1 */
	"---\n"                                            /* 2 */
	"apiVersion: apps/v1\n"                            /* 3 */
	"kind: Deployment\n"                               /* 4 */
	"metadata:\n"                                      /* 5 */
	"  name: web\n"                                    /* 6 */
	"spec:\n"                                          /* 7 */
	"  replicas: 3\n"                                  /* 8 */
	"  template:\n"                                    /* 9 */
	"    metadata:\n"                                  /* 10 */
	"      labels: {app: web, tier: fe}\n"             /* 11 */
	"    spec:\n"                                      /* 12 */
	"      containers:\n"                              /* 13 */
	"      - name: c\n"                                /* 14 */
	"        env:\n"                                   /* 15 */
	"        - name: API\n"                            /* 16 */
	"          value: http://api:80\n"                 /* 17 */
	"        - name: API2\n"                           /* 18 */
	"          value: api\n"                           /* 19 */
	"        - name: SELF\n"                           /* 20 */
	"          value: web:80\n"                        /* 21 */
	"        - name: EXT\n"                            /* 22 */
	"          value: payments-gw:443\n"               /* 23 */
	"        - name: SECRET\n"                         /* 24 */
	"          valueFrom: {secretKeyRef: {name: s, key: k}}\n" /* 25 */
	"        envFrom:\n"                               /* 26 */
	"        - configMapRef: {name: web-config}\n"     /* 27 */
	"---\n"                                            /* 28 */
	"# Source: chart/templates/empty.yaml\n"           /* 29 */
	"---\n"                                            /* 30 */
	"apiVersion: v1\n"                                 /* 31 */
	"kind: ConfigMap\n"                                /* 32 */
	"metadata: {name: web-config}\n"                   /* 33 */
	"data:\n"                                          /* 34 */
	"  DB_URL: postgres://db:5432/app\n"               /* 35 */
	"---\n"                                            /* 36 */
	"apiVersion: v1\n"                                 /* 37 */
	"kind: Service\n"                                  /* 38 */
	"metadata: {name: api}\n"                          /* 39 */
	"spec: {selector: {app: api-server}}\n"            /* 40 */
	"---\n"                                            /* 41 */
	"apiVersion: apps/v1\n"                            /* 42 */
	"kind: StatefulSet\n"                              /* 43 */
	"metadata: {name: api-server}\n"                   /* 44 */
	"spec:\n"                                          /* 45 */
	"  template:\n"                                    /* 46 */
	"    metadata: {labels: {app: api-server, version: v2}}\n" /* 47 */
	"    spec:\n"                                      /* 48 */
	"      affinity:\n"                                /* 49 */
	"        nodeAffinity:\n"                          /* 50 */
	"          requiredDuringSchedulingIgnoredDuringExecution:\n" /* 51 */
	"            nodeSelectorTerms:\n"                 /* 52 */
	"            - matchExpressions:\n"                /* 53 */
	"              - {key: topology.kubernetes.io/zone, operator: In, values: [eu-a, eu-b]}\n" /* 54 */
	"      initContainers:\n"                          /* 55 */
	"      - name: wait\n"                             /* 56 */
	"        env: [{name: DB, value: \"db.default.svc.cluster.local:5432\"}]\n" /* 57 */
	"---\n"                                            /* 58 */
	"apiVersion: v1\n"                                 /* 59 */
	"kind: Service\n"                                  /* 60 */
	"metadata: {name: db}\n"                           /* 61 */
	"spec: {selector: {app: db}, clusterIP: None}\n"   /* 62 */
	"---\n"                                            /* 63 */
	"apiVersion: batch/v1\n"                           /* 64 */
	"kind: CronJob\n"                                  /* 65 */
	"metadata: {name: db}\n"                           /* 66 */
	"spec:\n"                                          /* 67 */
	"  jobTemplate:\n"                                 /* 68 */
	"    spec:\n"                                      /* 69 */
	"      template:\n"                                /* 70 */
	"        metadata: {labels: {app: db}}\n"          /* 71 */
	"        spec: {containers: [{name: c, env: [{name: API, value: 'api:1'}]}]}\n" /* 72 */
	"---\n"                                            /* 73 */
	"apiVersion: v1\n"                                 /* 74 */
	"kind: Service\n"                                  /* 75 */
	"metadata: {name: nobody}\n"                       /* 76 */
	"spec: {selector: {app: nothing-has-this}}\n"      /* 77 */
	"---\n"                                            /* 78 */
	"apiVersion: apps/v1\n"                            /* 79 */
	"kind: DaemonSet\n"                                /* 80 */
	"metadata:\n"                                      /* 81 */
	"  name: agent\n"                                  /* 82 */
	"  labels: {app.kubernetes.io/part-of: shop}\n"    /* 83 */
	"spec:\n"                                          /* 84 */
	"  template:\n"                                    /* 85 */
	"    metadata: {labels: {app: agent}}\n"           /* 86 */
	"    spec: {containers: [{name: c, env: [{name: N, value: nobody}]}]}\n" /* 87 */
	"---\n"                                            /* 88 */
	"---\n";                                           /* 89 */

static void test_edges_and_positions(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id id;
	long e;
	CU_ASSERT_EQUAL(th_load(&cat, &d, "k.yaml", edges_yaml, DC_FORMAT_AUTO), 0);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	CU_ASSERT(th_svc_at(cat, "web", 6, 9, "k.yaml"));
	CU_ASSERT(th_svc_at(cat, "api-server", 44, 18, "k.yaml"));
	/* Service api selects api-server (subset of its labels) */
	CU_ASSERT(th_dep_at(cat, "web", "api-server", 17, 18));
	e = th_dep_of(cat, "web", "api-server");
	CU_ASSERT(e >= 0 && dc_dep_is_inferred(cat, (size_t)e));
	CU_ASSERT(e >= 0 && !strcmp(dc_dep_origin(cat, (size_t)e), "env API"));
	CU_ASSERT(!th_has_dep(cat, "web", "web", -1));
	/* an undefined host: external + warning at the value */
	CU_ASSERT(th_has_dep(cat, "web", "payments-gw", DC_DEP_HARD));
	CU_ASSERT(th_find_diag(d, "'payments-gw' in env EXT of 'web' is not defined in the input", 23, 18) >= 0);
	CU_ASSERT(dc_catalog_find(cat, "payments-gw", &id) == 0 && dc_service_is_external(cat, id));
	/* ConfigMap via envFrom: the data value's position and origin */
	CU_ASSERT(th_dep_at(cat, "web", "db", 35, 11));
	e = th_dep_of(cat, "web", "db");
	CU_ASSERT(e >= 0 && !strcmp(dc_dep_origin(cat, (size_t)e), "configmap web-config/DB_URL"));
	/* StatefulSet initContainer, fully qualified name; headless Service with a selector */
	CU_ASSERT(th_dep_at(cat, "api-server", "db", 57, 33));
	/* CronJob template */
	CU_ASSERT(th_has_dep(cat, "db", "api-server", DC_DEP_HARD));
	/* Service selecting nothing */
	CU_ASSERT(th_find_diag(d, "Service 'nobody' named in env N of 'agent' selects no workload", 87, 58) >= 0);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "agent")), 0);
	/* attributes */
	id = th_id(cat, "web");
	CU_ASSERT_EQUAL(dc_service_replicas(cat, id), 3);
	CU_ASSERT(dc_service_tag_count(cat, id) == 1 && !strcmp(dc_service_tag(cat, id, 0), "deployment"));
	id = th_id(cat, "api-server");
	CU_ASSERT(dc_service_zone_count(cat, id) == 2 && !strcmp(dc_service_zone(cat, id, 1), "eu-b"));
	CU_ASSERT(!strcmp(dc_service_tag(cat, th_id(cat, "db"), 0), "cronjob"));
	CU_ASSERT(!strcmp(dc_service_system(cat, th_id(cat, "agent")), "shop"));
	CU_ASSERT(!strcmp(dc_service_tag(cat, th_id(cat, "agent"), 0), "daemonset"));
	CU_ASSERT_EQUAL(dc_catalog_service_count(cat), 5);
	th_done(cat, d);
}

static void test_namespaces_and_duplicates(void)
{
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "k.yaml",
		DEPLOY("api", "team-a", ENV("x")) SVC("api", "team-a")
		DEPLOY("api", "team-b", ENV("x")) SVC("api", "team-b")
		DEPLOY("web", "team-a", ENV("api:80"))
		DEPLOY("job", "team-c", ENV("api.team-b:80, api.team-a.svc.cluster.local")), K);
	CU_ASSERT(th_id(cat, "team-a/api") != DC_NO_ID && th_id(cat, "team-b/api") != DC_NO_ID);
	CU_ASSERT(th_has_dep(cat, "web", "team-a/api", DC_DEP_HARD));
	CU_ASSERT(!th_has_dep(cat, "web", "team-b/api", -1));
	CU_ASSERT(th_has_dep(cat, "job", "team-a/api", DC_DEP_HARD));
	CU_ASSERT(th_has_dep(cat, "job", "team-b/api", DC_DEP_HARD));
	CU_ASSERT_EQUAL(dc_diags_count(d), 0);
	th_done(cat, d);
}

static const char *annot_yaml =
	"apiVersion: apps/v1\nkind: Deployment\n"
	"metadata:\n"
	"  name: web\n"
	"  annotations:\n"
	"    depcheck.dev/tier: \"1\"\n"
	"    depcheck.dev/replicas: \"4\"\n"
	"    depcheck.dev/zones: eu-a, eu-b\n"
	"    depcheck.dev/soft-dependencies: cache, reco\n"
	"    depcheck.dev/depends-on: queue, payments\n"
	"    depcheck.dev/bogus: x\n"
	"    prometheus.io/scrape: \"true\"\n"
	"spec:\n"
	"  replicas: 2\n"
	"  template:\n"
	"    metadata: {labels: {app: web}}\n"
	"    spec: {containers: [{name: c, env: [{name: C, value: 'cache:6379'}]}]}\n"
	"---\n"
	SVC("cache", "default")
	DEPLOY("cache", "default", ENV("1"))
	DEPLOY("reco", "default", ENV("1"))
	DEPLOY("queue", "default", ENV("1"));

static void test_annotations(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_id id;
	long e;
	th_load(&cat, &d, "k.yaml", annot_yaml, K);
	id = th_id(cat, "web");
	CU_ASSERT_EQUAL(dc_service_tier(cat, id), 1);
	CU_ASSERT_EQUAL(dc_service_replicas(cat, id), 4);
	CU_ASSERT_EQUAL(dc_service_zone_count(cat, id), 2);
	CU_ASSERT(th_has_dep(cat, "web", "cache", DC_DEP_SOFT));
	e = th_dep_of(cat, "web", "cache");
	CU_ASSERT(e >= 0 && dc_dep_is_inferred(cat, (size_t)e));
	CU_ASSERT(th_has_dep(cat, "web", "reco", DC_DEP_SOFT));
	CU_ASSERT(th_has_dep(cat, "web", "queue", DC_DEP_HARD));
	e = th_dep_of(cat, "web", "queue");
	CU_ASSERT(e >= 0 && !dc_dep_is_inferred(cat, (size_t)e));
	CU_ASSERT(e >= 0 && !strcmp(dc_dep_origin(cat, (size_t)e), "annotation depcheck.dev/depends-on"));
	/* an annotation naming nothing in the input is an unknown service (an error) */
	CU_ASSERT(th_find_diag(d, "unknown service 'payments'", 10, 30) >= 0);
	CU_ASSERT(th_find_diag(d, "unknown annotation 'depcheck.dev/bogus' on 'web'", 11, 5) >= 0);
	th_done(cat, d);
}

static void test_bad_manifests(void)
{
	dc_catalog *cat;
	dc_diags *d;
	th_load(&cat, &d, "k.yaml",
		"apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"      /* 1-3 */
		"---\n"                                                        /* 4 */
		"metadata: {name: nokind}\n"                                   /* 5 */
		"---\n"                                                        /* 6 */
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {labels: {}}\n" /* 7-9 */
		"---\n"                                                        /* 10 */
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\n" /* 11-13 */
		"spec:\n  replicas: many\n  template:\n    spec:\n"            /* 14-17 */
		"      containers: {c: 1}\n"                                   /* 18 */
		"---\n"                                                        /* 19 */
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: v}\n" /* 20-22 */
		"spec: {template: {spec: {containers: [{name: c, env: [{name: E, value: [1]}, 3]}]}}}\n" /* 23 */
		"---\n"                                                        /* 24 */
		"- not a mapping\n", K);                                       /* 25 */
	CU_ASSERT(th_find_diag(d, "document without apiVersion; it is ignored", 5, 1) >= 0);
	CU_ASSERT(th_find_diag(d, "Deployment without metadata.name; it is ignored", 9, 11) >= 0);
	CU_ASSERT(th_find_diag(d, "replicas", 15, 13) >= 0);
	CU_ASSERT(th_find_diag(d, "containers of 'w' must be a list, not mapping", 18, 19) >= 0);
	CU_ASSERT(th_find_diag(d, "value of env E of 'v' must be a string, not sequence", 23, 72) >= 0);
	CU_ASSERT(th_find_diag(d, "an env entry of 'v' must be a mapping, not integer", 23, 78) >= 0);
	CU_ASSERT(th_find_diag(d, "a Kubernetes object must be a mapping", 25, 3) >= 0);
	CU_ASSERT(th_id(cat, "w") != DC_NO_ID && th_id(cat, "v") != DC_NO_ID);
	th_done(cat, d);
}

static void test_export_round_trip(void)
{
	dc_catalog *cat, *back;
	dc_diags *d, *d2;
	char *buf;
	long e;
	int f;
	th_load(&cat, &d, "k.yaml", edges_yaml, DC_FORMAT_AUTO);
	for (f = 0; f < 2; f++) {
		buf = th_export(cat, f ? DC_OUTPUT_JSON : DC_OUTPUT_YAML);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		CU_ASSERT(strstr(buf, "inferred_from") != NULL);
		CU_ASSERT_EQUAL(th_load(&back, &d2, "back", buf, DC_FORMAT_AUTO), 0);
		CU_ASSERT_EQUAL(dc_diags_count(d2), 0);
		e = th_dep_of(back, "web", "db");
		CU_ASSERT(e >= 0 && dc_dep_is_inferred(back, (size_t)e));
		CU_ASSERT(e >= 0 && !strcmp(dc_dep_origin(back, (size_t)e), "configmap web-config/DB_URL"));
		e = th_dep_of(back, "agent", "db");
		CU_ASSERT(e < 0);
		th_done(back, d2);
		free(buf);
	}
	th_done(cat, d);
}

/* Workloads behind a LoadBalancer/NodePort Service or an Ingress take user
 * traffic: entrypoints, even when something inside depends on them. */
static void test_exposed_entrypoints(void)
{
	dc_catalog *cat;
	dc_diags *d;
	const char *y =
		DEPLOY("web", "default", ENV("api:80"))
		DEPLOY("api", "default", ENV("x"))
		DEPLOY("admin", "default", ENV("api:80"))
		DEPLOY("probe", "default", ENV("web:80"))
		SVC("api", "default")
		SVC("web", "default")
		"---\napiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\n"
		"spec: {type: LoadBalancer, selector: {app: web}}\n"
		SVC("admin", "default")
		"---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\n"
		"spec:\n  rules:\n    - http:\n        paths:\n          - backend: {service: {name: admin}}\n";
	CU_ASSERT_EQUAL_FATAL(th_load(&cat, &d, "k.yaml", y, K), 0);
	/* web has a dependent (probe) but a LoadBalancer in front of it */
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "web")));
	CU_ASSERT_TRUE(dc_service_entrypoint_explicit(cat, th_id(cat, "web")));
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "admin")));   /* behind the Ingress */
	CU_ASSERT_FALSE(dc_service_is_entrypoint(cat, th_id(cat, "api")));    /* ClusterIP, called */
	CU_ASSERT_TRUE(dc_service_is_entrypoint(cat, th_id(cat, "probe")));   /* nothing calls it */
	CU_ASSERT_FALSE(dc_service_entrypoint_explicit(cat, th_id(cat, "probe")));
	th_done(cat, d);
}

/* env[].valueFrom.configMapKeyRef: the key's value, with its position and
 * the provenance "configmap CM/KEY"; a missing key is a warning unless
 * optional; a ConfigMap outside the input is nothing to read. */
static void test_config_map_key_ref(void)
{
	dc_catalog *cat;
	dc_diags *d;
	long e;
	const char *y =
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"          /* 1-3 */
		"data:\n"                                                              /* 4 */
		"  BROKERS: kafka-0.kafka-hs:9092,kafka-1.kafka-hs:9092\n"             /* 5 */
		"  API: http://api:80\n"                                                /* 6 */
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n" /* 7-10 */
		"spec:\n  template:\n    metadata: {labels: {app: web}}\n"              /* 11-13 */
		"    spec:\n      containers:\n      - name: c\n        env:\n"         /* 14-17 */
		"        - name: KAFKA\n"                                              /* 18 */
		"          valueFrom: {configMapKeyRef: {name: cfg, key: BROKERS}}\n"  /* 19 */
		"        - name: GONE\n"                                               /* 20 */
		"          valueFrom: {configMapKeyRef: {name: cfg, key: NOPE}}\n"     /* 21 */
		"        - name: MAYBE\n"                                              /* 22 */
		"          valueFrom: {configMapKeyRef: {name: cfg, key: NOPE, optional: true}}\n" /* 23 */
		"        - name: ELSEWHERE\n"                                          /* 24 */
		"          valueFrom: {configMapKeyRef: {name: other, key: API}}\n"    /* 25 */
		"        - name: POD\n"                                                /* 26 */
		"          valueFrom: {fieldRef: {fieldPath: metadata.name}}\n"        /* 27 */
		"---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka}\n"
		"spec:\n  serviceName: kafka-hs\n  template:\n    metadata: {labels: {app: kafka}}\n"
		"    spec: {containers: [{name: c}]}\n"
		"---\napiVersion: v1\nkind: Service\nmetadata: {name: kafka-hs}\n"
		"spec: {clusterIP: None, selector: {app: kafka}}\n";
	CU_ASSERT_EQUAL(th_load(&cat, &d, "k.yaml", y, K), 0);
	CU_ASSERT(th_dep_at(cat, "web", "kafka", 5, 12));
	e = th_dep_of(cat, "web", "kafka");
	CU_ASSERT(e >= 0 && !strcmp(dc_dep_origin(cat, (size_t)e), "configmap cfg/BROKERS"));
	CU_ASSERT(e >= 0 && dc_dep_is_inferred(cat, (size_t)e));
	/* API is only read through the ConfigMap named `other`, which is elsewhere */
	CU_ASSERT(th_id(cat, "api") == DC_NO_ID);
	CU_ASSERT(th_find_diag(d, "env GONE of 'web' reads key 'NOPE' of ConfigMap 'cfg', which has "
			       "no such key", 21, 57) >= 0);
	CU_ASSERT_EQUAL(dc_diags_count(d), 1);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "web")), 1);
	th_done(cat, d);
}

/* A ConfigMap in another file of the input (even a later one) is read as
 * one of the workload's file: configMapKeyRef and envFrom, the edge at the
 * value in the ConfigMap's file, the workload's file's Services used to
 * read it; a missing key is still a warning at the reference; a ConfigMap
 * of another namespace is not the workload's. */
static void test_config_map_other_file(void)
{
	dc_catalog *cat;
	dc_diags *d;
	dc_location l;
	long e;
	const char *app =
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"       /* 1-3 */
		"spec:\n  template:\n    metadata: {labels: {app: web}}\n"              /* 4-6 */
		"    spec:\n      containers:\n      - name: c\n        env:\n"         /* 7-10 */
		"        - name: KAFKA\n"                                              /* 11 */
		"          valueFrom: {configMapKeyRef: {name: cfg, key: BROKERS}}\n"  /* 12 */
		"        - name: GONE\n"                                               /* 13 */
		"          valueFrom: {configMapKeyRef: {name: cfg, key: NOPE}}\n"     /* 14 */
		"        - name: THERE\n"                                              /* 15 */
		"          valueFrom: {configMapKeyRef: {name: ns-cfg, key: API}}\n"   /* 16 */
		"        envFrom:\n        - configMapRef: {name: more}\n"             /* 17-18 */
		"---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka}\n"
		"spec:\n  serviceName: kafka-hs\n  template:\n    metadata: {labels: {app: kafka}}\n"
		"    spec: {containers: [{name: c}]}\n"
		"---\napiVersion: v1\nkind: Service\nmetadata: {name: kafka-hs}\n"
		"spec: {clusterIP: None, selector: {app: kafka}}\n"
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
		"spec:\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c}]}\n"
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cache}\n"
		"spec:\n  template:\n    metadata: {labels: {app: cache}}\n    spec: {containers: [{name: c}]}\n"
		"---\napiVersion: v1\nkind: Service\nmetadata: {name: cache}\nspec: {selector: {app: cache}}\n";
	const char *cms =
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"             /* 1-3 */
		"data:\n"                                                              /* 4 */
		"  BROKERS: kafka-0.kafka-hs:9092\n"                                   /* 5 */
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\n"        /* 6-9 */
		"data:\n  CACHE: redis://cache:6379\n"                                 /* 10-11 */
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ns-cfg, namespace: other}\n"
		"data:\n  API: http://api:80\n";
	CU_ASSERT_EQUAL_FATAL(dc_diags_new(&d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_new(&cat), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "app.yaml", app, strlen(app), NULL, d), 0);
	CU_ASSERT_EQUAL(dc_catalog_add_buffer(cat, "cm.yaml", cms, strlen(cms), NULL, d), 0);
	CU_ASSERT_EQUAL_FATAL(dc_catalog_finalize(cat, d), 0);
	/* a pod name under the headless Service of app.yaml, read from cm.yaml */
	e = th_dep_of(cat, "web", "kafka");
	CU_ASSERT_FATAL(e >= 0);
	l = dc_dep_location(cat, (size_t)e);
	CU_ASSERT(l.file && !strcmp(l.file, "cm.yaml") && l.line == 5 && l.column == 12);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)e), "configmap cfg/BROKERS");
	CU_ASSERT(dc_dep_is_inferred(cat, (size_t)e));
	/* envFrom: every value of the other file's ConfigMap */
	e = th_dep_of(cat, "web", "cache");
	CU_ASSERT_FATAL(e >= 0);
	l = dc_dep_location(cat, (size_t)e);
	CU_ASSERT(l.file && !strcmp(l.file, "cm.yaml") && l.line == 11 && l.column == 10);
	CU_ASSERT_STRING_EQUAL(dc_dep_origin(cat, (size_t)e), "configmap more/CACHE");
	/* ns-cfg is in namespace other: not web's */
	CU_ASSERT(th_dep_of(cat, "web", "api") < 0);
	CU_ASSERT(th_find_diag(d, "env GONE of 'web' reads key 'NOPE' of ConfigMap 'cfg', which has "
			       "no such key", 14, 57) >= 0);
	CU_ASSERT_EQUAL(dc_service_dep_count(cat, th_id(cat, "web")), 2);
	CU_ASSERT_EQUAL(dc_diags_count_severity(d, DC_SEV_ERROR), 0);
	th_done(cat, d);
}

int suite_kubernetes(void)
{
	static const th_test t[] = {
		{ "reference forms", test_reference_forms },
		{ "edges, selectors, ConfigMaps, templates, positions", test_edges_and_positions },
		{ "namespaces and duplicate names", test_namespaces_and_duplicates },
		{ "annotations", test_annotations },
		{ "bad manifests", test_bad_manifests },
		{ "export round trip", test_export_round_trip },
		{ "exposed entrypoints", test_exposed_entrypoints },
		{ "valueFrom.configMapKeyRef", test_config_map_key_ref },
		{ "ConfigMaps in another file", test_config_map_other_file },
		{ NULL, NULL }
	};
	return th_suite("kubernetes", t);
}
