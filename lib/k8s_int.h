/*
 * k8s_int.h - what the Kubernetes reader (load_kubernetes.c) shares with
 * the service mesh reader (load_mesh.c): the objects collected from one
 * file and the helpers that resolve names the way cluster DNS does. Not
 * installed.
 */
#ifndef DC_K8S_INT_H
#define DC_K8S_INT_H

#include "hostref.h"
#include "load_attrs.h"

#define K8S_NAME_MAX 253 /* DNS subdomain */

typedef struct {
	const char *ns, *name;
	const doc_node *root, *meta, *name_node, *spec, *tmpl_meta, *pod, *labels;
	const char *service_name; /* StatefulSet spec.serviceName, or NULL */
	const char *hostname, *subdomain; /* pod template spec.hostname / spec.subdomain */
	char kind[16];          /* lowercase kind */
	dc_id id;               /* DC_NO_ID until created */
	uint32_t ref;
	uint32_t sink;          /* interned: why it is a telemetry sink (telemetry.h), 0 = none */
} k8s_wl;

typedef struct {
	const char *ns, *name;
	const doc_node *selector; /* spec.selector mapping, or NULL */
	int external_name;
	int headless;             /* spec.clusterIP: None: DNS has a record per pod */
	int exposed;              /* LoadBalancer or NodePort, or an Ingress backend */
	const doc_node *ann;      /* metadata.annotations (Linkerd's retry and timeout keys) */
	const doc_node *name_node;
} k8s_svc;

typedef struct {
	const char *ns, *name;
	const doc_node *data;
	uint32_t file_id;         /* the file it is defined in */
} k8s_cm;

typedef DC_VEC(k8s_cm) k8s_cm_vec;

typedef struct {
	const char *ns;
	const doc_node *spec;
} k8s_ing;

/* A deployment tool's object: its document and DEPLOY_* type. */
typedef struct {
	const doc_node *root;
	int type;
} k8s_deploy;

typedef struct {
	load_ctx *c;
	DC_VEC(k8s_wl) wls;
	DC_VEC(k8s_svc) svcs;
	DC_VEC(k8s_ing) ings;
	k8s_cm_vec cms;
	DC_VEC(const char *) nss;
	const k8s_cm_vec *all_cms; /* the ConfigMaps of every file of the input, or NULL */
	/* the workloads each Service selects, found once on its first
	 * reference: sel_off[s] is 1 + the start in sel (0: not yet) */
	size_t *sel_off, *sel_len;
	u32_vec sel;
	size_t expand_limit; /* the bound of multiplied edges (cat->expanded counts them) */
	DC_VEC(const doc_node *) mesh;   /* mesh and gateway objects (load_mesh.c), in file order */
	DC_VEC(const doc_node *) se_hosts; /* ServiceEntry spec.hosts entries */
	DC_VEC(k8s_deploy) deploys;      /* Argo CD Applications, Flux Kustomizations and
					    HelmReleases (load_deploy.c), in file order */
	int rc;
} k8s;

/* per-workload soft-dependency names */
typedef struct {
	const char *s;
	size_t len;
	const doc_node *at;
	int used;
} soft_name;

typedef struct {
	k8s *k;
	k8s_wl *w;
	DC_VEC(soft_name) soft;
	uint8_t startup;        /* DEP_STARTUP while an initContainer is read: its hosts are
				   needed at startup only (the main containers' clear it) */
} wl_ctx;

/* What a host means to the cluster DNS of a pod (docs/inputs.md,
 * "Kubernetes"; the record forms of the Kubernetes DNS specification, and
 * the search path <ns>.svc.<zone>, svc.<zone>, <zone> of a pod in <ns>). */
enum { NAME_NONE, NAME_SVC, NAME_POD };

typedef struct {
	int form;
	int qualified;             /* certainly a cluster address: unresolved, it is an external */
	const char *pod, *svc, *ns; /* pod hostname (NAME_POD), Service, namespace */
	size_t pl, sl, nl;
} k8s_name;

const char *k8s_str_of(const doc_node *n);
/* load_deploy.c: the DEPLOY_* type of an Argo CD Application, a Flux
 * Kustomization or HelmRelease (by apiVersion group and kind), else -1 */
int k8s_deploy_type(const char *api, const char *kind);
/* Record what the object says about order (sync wave, dependsOn) in the
 * catalog, for the service `svc` (interned ref, or the object's name). */
void k8s_deploy_record(k8s *k, const doc_node *root, int type, uint32_t svc);
int k8s_has_ns(const k8s *k, const char *ns, size_t len);
const doc_node *k8s_get_map(load_ctx *c, const doc_node *m, const char *key, const char *what,
			    const char *name);
const doc_node *k8s_get_seq(load_ctx *c, const doc_node *m, const char *key, const char *what,
			    const char *name);
/* The Service `name` in namespace `ns` (without case), or NULL. */
const k8s_svc *k8s_find_svc(const k8s *k, const char *name, size_t nlen, const char *ns, size_t nslen);
/* Does the Service select the workload? selector within the pod template labels. */
int k8s_selects(const k8s_svc *s, const k8s_wl *w);
void k8s_classify(const k8s *k, const hostref *h, const char *own, k8s_name *r);
void k8s_add_edge(wl_ctx *x, const doc_node *at, uint32_t target, const char *origin, uint8_t flags,
		  uint8_t kind);
int k8s_edges_to_service(wl_ctx *x, const k8s_svc *s, const doc_node *at, const char *origin,
			 uint8_t flags, int soft_svc, const char *pod, size_t podlen);
void k8s_external_edge(wl_ctx *x, const doc_node *v, const char *name, size_t len, const char *origin);

/* ---- the mesh reader (load_mesh.c) ---- */
/* Is this apiVersion/kind a mesh or gateway object the reader reads? */
int mesh_is_object(const char *api_version, const char *kind);
/* Pass 1: keep a mesh object for mesh_load (and a ServiceEntry's hosts). */
void mesh_collect(k8s *k, const doc_node *root, const char *kind);
/* After workloads are created: ServiceEntry externals, Sidecar egress
 * edges, and the edge policies of every mesh object of the file. */
void mesh_load(k8s *k);
/* A host of an env value that a ServiceEntry of the file declares: an
 * edge to it (1), or 0. */
int mesh_service_entry_edge(wl_ctx *x, const hostref *h, const doc_node *v, const char *origin);

#endif
