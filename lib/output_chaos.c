/*
 * output_chaos.c - the chaos family: experiments (text, JSON, Chaos Mesh,
 * LitmusChaos, AWS FIS) and their verification (text, JSON, and the
 * overlay that makes the model match, YAML). docs/chaos.md describes every
 * field.
 *
 * Every string from the catalog is written quoted and escaped (YAML
 * double-quoted scalars take JSON's escapes), so a name never becomes
 * YAML structure. Kubernetes names are the experiment ids (chaos.h: valid
 * names by construction); label values are the service's name when it is
 * a valid label value, else its slug.
 */
#include "output_int.h"
#include "chaos_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------- */

/* s as a double-quoted string, JSON escapes (valid YAML too) */
static void q(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static const char *state_name(dc_state s)
{
	return s == DC_STATE_DOWN ? "down" : s == DC_STATE_DEGRADED ? "degraded" : "up";
}

static const char *state_upper(dc_state s)
{
	return s == DC_STATE_DOWN ? "DOWN" : s == DC_STATE_DEGRADED ? "DEGRADED" : "UP";
}

/* A Kubernetes label value for service s: its name when valid (at most 63
 * of [A-Za-z0-9._-], alphanumeric at both ends), else its lowercase slug. */
static void label_value(const dc_catalog *cat, dc_id s, char *buf, size_t size)
{
	const char *n = dc_service_name(cat, s), *slash = strrchr(n, '/');
	size_t i, len;
	int ok = 1;
	if (dc_service_format(cat, s) == DC_FORMAT_KUBERNETES && slash)
		n = slash + 1; /* "namespace/name": the workload's name */
	len = strlen(n);
	for (i = 0; i < len; i++) {
		char c = n[i];
		int an = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!an && c != '-' && c != '_' && c != '.')
			ok = 0;
		if ((i == 0 || i == len - 1) && !an)
			ok = 0;
	}
	if (len == 0 || len > 63)
		ok = 0;
	if (ok) {
		snprintf(buf, size, "%s", n);
		return;
	}
	for (i = 0; i + 1 < size && i < 63 && n[i]; i++) {
		char c = n[i];
		buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a')
			 : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '-';
	}
	while (i > 0 && buf[i - 1] == '-')
		i--;
	buf[i] = 0;
	if (!i)
		snprintf(buf, size, "x");
	while (buf[0] == '-')
		memmove(buf, buf + 1, strlen(buf));
}

/* The namespace of service s: "ns" of a Kubernetes "ns/name", else the
 * report's namespace. */
static void ns_of(const dc_experiments_report *r, const dc_catalog *cat, dc_id s, char *buf, size_t size)
{
	const char *n = s != DC_NO_ID ? dc_service_name(cat, s) : NULL, *slash = n ? strchr(n, '/') : NULL;
	if (n && dc_service_format(cat, s) == DC_FORMAT_KUBERNETES && slash && (size_t)(slash - n) < size) {
		memcpy(buf, n, (size_t)(slash - n));
		buf[slash - n] = 0;
	} else {
		snprintf(buf, size, "%s", r->namespace_name);
	}
}

/* "a=down@80ms, b=degraded@450ms, c=up": the prediction in one line */
static void prediction_line(FILE *fp, const dc_catalog *cat, const dc_prediction *p, size_t n, size_t max)
{
	size_t i, shown = 0;
	for (i = 0; i < n && shown < max; i++, shown++) {
		fprintf(fp, "%s%s=%s", i ? ", " : "", dc_service_name(cat, p[i].entrypoint), state_name(p[i].state));
		if (p[i].state != DC_STATE_UP && p[i].time_ms != DC_TIME_NONE)
			fprintf(fp, "@%llums", (unsigned long long)p[i].time_ms);
	}
	if (shown < n)
		fprintf(fp, ", ... and %zu more", n - shown);
}

/* prediction_line into a buffer (FIS: a tag value of at most 256 characters) */
static void prediction_buf(char *buf, size_t size, const dc_catalog *cat, const dc_prediction *p, size_t n,
			   dc_state only)
{
	size_t i, len = 0, left = 0;
	buf[0] = 0;
	for (i = 0; i < n; i++) {
		char item[300];
		int k;
		if (p[i].state != only)
			continue;
		if (p[i].state != DC_STATE_UP && p[i].time_ms != DC_TIME_NONE)
			k = snprintf(item, sizeof(item), "%s%s@%llums", len ? " " : "", dc_service_name(cat, p[i].entrypoint),
				     (unsigned long long)p[i].time_ms);
		else
			k = snprintf(item, sizeof(item), "%s%s", len ? " " : "", dc_service_name(cat, p[i].entrypoint));
		if (k < 0 || (size_t)k >= sizeof(item) || len + (size_t)k + 16 >= size) {
			left++;
			continue;
		}
		memcpy(buf + len, item, (size_t)k + 1);
		len += (size_t)k;
	}
	if (left)
		snprintf(buf + len, size - len, "%s+%zu more", len ? " " : "", left);
	if (!buf[0])
		snprintf(buf, size, "none");
}

static size_t shown_count(const dc_experiments_report *r)
{
	size_t n = dc_experiments_count(r->x), top = r->top ? r->top : 10;
	return n < top ? n : top;
}

/* What the experiment does, in words */
static void describe(FILE *fp, const dc_experiments_report *r, const dc_experiment *e)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	switch (e->action) {
	case DC_EXP_KILL:
		fprintf(fp, "fail every pod of %s", dc_service_name(cat, e->service));
		break;
	case DC_EXP_PARTITION:
		fprintf(fp, "cut the calls of %s to %s", dc_service_name(cat, e->service), dc_service_name(cat, e->target));
		break;
	case DC_EXP_ZONE:
		fprintf(fp, "lose zone %s", e->zone);
		break;
	}
}

/* the latency a partition injects where a tool can only delay: longer than
 * the edge's hang cost, so that every attempt times out */
static unsigned long long delay_ms(const dc_catalog *cat, const dc_experiment *e)
{
	return dc_dep_hang_ms(cat, e->dep) + 1000;
}

/* ---- experiments: text --------------------------------------------------------- */

static int text_experiments(FILE *fp, dc_experiments_report *r, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	size_t n = shown_count(r), total = dc_experiments_count(r->x), i, j;
	if (!opts->quiet)
		fprintf(fp, "%zu of %zu candidate experiments, riskiest first (failure mode %s, %llu s each)\n", n, total,
			dc_failure_mode_name(dc_experiments_mode(r->x)), (unsigned long long)r->duration_s);
	for (i = 0; i < n; i++) {
		const dc_experiment *e = dc_experiments_get(r->x, i);
		const dc_prediction *p;
		size_t np = dc_experiment_predict(r->x, e, &p), up = 0;
		fprintf(fp, "\n%s%zu. %s%s  (%s; importance %.4g / %.4g)\n", dc__color(opts, "bold"), i + 1, e->id,
			dc__color(opts, "reset"), dc_experiment_reason_name(e->reason), e->birnbaum, e->fussell_vesely);
		fputs("   ", fp);
		describe(fp, r, e);
		if (e->action == DC_EXP_PARTITION || e->reason == DC_EXP_WHY_ANY_OF)
			dc__text_where(fp, opts, dc_dep_location(cat, e->dep));
		fputc('\n', fp);
		for (j = 0; j < np; j++) {
			if (p[j].state == DC_STATE_UP) {
				up++;
				continue;
			}
			fprintf(fp, "   expect %-8s %-24s +%llu ms\n", state_upper(p[j].state),
				dc_service_name(cat, p[j].entrypoint), (unsigned long long)p[j].time_ms);
		}
		if (up) {
			size_t k = 0;
			fputs("   expect UP       ", fp);
			for (j = 0; j < np; j++)
				if (p[j].state == DC_STATE_UP)
					fprintf(fp, "%s%s", k++ ? ", " : "", dc_service_name(cat, p[j].entrypoint));
			fputc('\n', fp);
		}
	}
	if (!opts->quiet && total > n)
		fprintf(fp, "\n... and %zu more (--top N)\n", total - n);
	dc__text_assumptions(fp, opts);
	return 0;
}

/* ---- experiments: JSON ---------------------------------------------------------- */

static void json_dep(dc_jsonw *w, const dc_catalog *cat, uint32_t d)
{
	if (d >= dc_catalog_dep_count(cat)) {
		dc_jw_null(w);
		return;
	}
	dc_jw_obj(w);
	dc_jw_kstr(w, "from", dc_service_name(cat, dc_dep_from(cat, d)));
	dc_jw_kstr(w, "to", dc_service_name(cat, dc_dep_to(cat, d)));
	dc_jw_kstr(w, "kind", dc_dep_kind_name(dc_dep_kind_of(cat, d)));
	dc_jw_kbool(w, "any_of", dc_dep_group(cat, d) != 0);
	dc__json_loc(w, dc_dep_location(cat, d));
	dc_jw_obj_end(w);
}

static void json_time(dc_jsonw *w, const char *key, uint64_t t)
{
	dc_jw_key(w, key);
	if (t == DC_TIME_NONE)
		dc_jw_null(w);
	else
		dc_jw_int(w, (long long)t);
}

static int json_experiments(FILE *fp, dc_experiments_report *r, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	size_t n = shown_count(r), i, j;
	dc_jsonw w;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "experiments");
	dc_jw_kstr(&w, "failure_mode", dc_failure_mode_name(dc_experiments_mode(r->x)));
	dc_jw_kint(&w, "duration_s", (long long)r->duration_s);
	dc_jw_kint(&w, "candidates", (long long)dc_experiments_count(r->x));
	dc_jw_key(&w, "experiments");
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_experiment *e = dc_experiments_get(r->x, i);
		const dc_prediction *p;
		size_t np = dc_experiment_predict(r->x, e, &p);
		dc_jw_obj(&w);
		dc_jw_kint(&w, "rank", (long long)(i + 1));
		dc_jw_kstr(&w, "id", e->id);
		dc_jw_kstr(&w, "action", dc_experiment_action_name(e->action));
		dc_jw_kstr(&w, "reason", dc_experiment_reason_name(e->reason));
		dc_jw_kstr(&w, "service", e->service != DC_NO_ID ? dc_service_name(cat, e->service) : NULL);
		dc_jw_kstr(&w, "target", e->target != DC_NO_ID ? dc_service_name(cat, e->target) : NULL);
		dc_jw_kstr(&w, "zone", e->zone);
		dc_jw_key(&w, "dependency");
		json_dep(&w, cat, e->action == DC_EXP_PARTITION || e->reason == DC_EXP_WHY_ANY_OF ? e->dep : UINT32_MAX);
		dc_jw_knum(&w, "birnbaum", e->birnbaum);
		dc_jw_knum(&w, "fussell_vesely", e->fussell_vesely);
		dc_jw_key(&w, "prediction");
		dc_jw_arr(&w);
		for (j = 0; j < np; j++) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, p[j].entrypoint));
			dc_jw_kstr(&w, "state", state_name(p[j].state));
			json_time(&w, "time_to_impact_ms", p[j].time_ms);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc__json_assumptions(&w, opts);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* ---- experiments: Kubernetes (Chaos Mesh, LitmusChaos) ----------------------- */

static void k8s_metadata(FILE *fp, dc_experiments_report *r, const dc_experiment *e, size_t rank, const char *ns)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	const dc_prediction *p;
	size_t np = dc_experiment_predict(r->x, e, &p);
	fputs("metadata:\n  name: ", fp);
	q(fp, e->id);
	fputs("\n  namespace: ", fp);
	q(fp, ns);
	fputs("\n  labels:\n    app.kubernetes.io/managed-by: depcheck\n    depcheck.dev/experiment: ", fp);
	q(fp, e->id);
	fputs("\n  annotations:\n    depcheck.dev/reason: ", fp);
	q(fp, dc_experiment_reason_name(e->reason));
	fprintf(fp, "\n    depcheck.dev/rank: \"%zu\"\n    depcheck.dev/failure-mode: ", rank);
	q(fp, dc_failure_mode_name(dc_experiments_mode(r->x)));
	fputs("\n    depcheck.dev/prediction: \"", fp);
	{
		/* a name holds no '"' or '\\' the loader accepts? quote anyway: */
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (m) {
			prediction_line(m, cat, p, np, SIZE_MAX);
			fclose(m);
			if (buf) {
				/* reuse q() without its quotes */
				char *s;
				for (s = buf; *s; s++) {
					if (*s == '"' || *s == '\\')
						fputc('\\', fp);
					fputc(*s, fp);
				}
			}
			free(buf);
		}
	}
	fputs("\"\n    depcheck.dev/description: ", fp);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (m) {
			describe(m, r, e);
			fclose(m);
			q(fp, buf ? buf : "");
			free(buf);
		}
	}
	fputc('\n', fp);
}

static void cm_selector(FILE *fp, const char *ind, const char *ns, const char *app, const char *zone)
{
	fprintf(fp, "%sselector:\n%s  namespaces: [", ind, ind);
	q(fp, ns);
	fputs("]\n", fp);
	if (app) {
		fprintf(fp, "%s  labelSelectors:\n%s    app: ", ind, ind);
		q(fp, app);
		fputc('\n', fp);
	}
	if (zone) {
		fprintf(fp, "%s  nodeSelectors:\n%s    topology.kubernetes.io/zone: ", ind, ind);
		q(fp, zone);
		fputc('\n', fp);
	}
}

static int chaos_mesh(FILE *fp, dc_experiments_report *r)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	size_t n = shown_count(r), i;
	fprintf(fp, "# depcheck experiments for Chaos Mesh: %zu of %zu candidates, riskiest first.\n"
		    "# Apply one at a time (kubectl apply -f) and record what each entrypoint did.\n",
		n, dc_experiments_count(r->x));
	for (i = 0; i < n; i++) {
		const dc_experiment *e = dc_experiments_get(r->x, i);
		char ns[256], app[80], app2[80], ns2[256];
		ns_of(r, cat, e->service, ns, sizeof(ns));
		fputs("---\napiVersion: chaos-mesh.org/v1alpha1\n", fp);
		fprintf(fp, "kind: %s\n", e->action == DC_EXP_PARTITION ? "NetworkChaos" : "PodChaos");
		k8s_metadata(fp, r, e, i + 1, ns);
		fputs("spec:\n", fp);
		switch (e->action) {
		case DC_EXP_KILL:
			label_value(cat, e->service, app, sizeof(app));
			fputs("  action: pod-failure\n  mode: all\n", fp);
			fprintf(fp, "  duration: \"%llus\"\n", (unsigned long long)r->duration_s);
			cm_selector(fp, "  ", ns, app, NULL);
			break;
		case DC_EXP_PARTITION:
			label_value(cat, e->service, app, sizeof(app));
			label_value(cat, e->target, app2, sizeof(app2));
			ns_of(r, cat, e->target, ns2, sizeof(ns2));
			fputs("  action: partition\n  mode: all\n  direction: to\n", fp);
			fprintf(fp, "  duration: \"%llus\"\n", (unsigned long long)r->duration_s);
			cm_selector(fp, "  ", ns, app, NULL);
			fputs("  target:\n    mode: all\n", fp);
			cm_selector(fp, "    ", ns2, app2, NULL);
			break;
		case DC_EXP_ZONE:
			fputs("  action: pod-failure\n  mode: all\n", fp);
			fprintf(fp, "  duration: \"%llus\"\n", (unsigned long long)r->duration_s);
			cm_selector(fp, "  ", ns, NULL, e->zone);
			break;
		}
	}
	return 0;
}

static void litmus_env(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "            - name: %s\n              value: ", name);
	q(fp, value);
	fputc('\n', fp);
}

static int litmus(FILE *fp, dc_experiments_report *r)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	size_t n = shown_count(r), i;
	fprintf(fp, "# depcheck experiments for LitmusChaos: %zu of %zu candidates, riskiest first.\n"
		    "# Each ChaosEngine needs its experiment (ChaosExperiment) installed and the\n"
		    "# service account %s; apply one at a time.\n",
		n, dc_experiments_count(r->x), r->litmus_service_account);
	for (i = 0; i < n; i++) {
		const dc_experiment *e = dc_experiments_get(r->x, i);
		char ns[256], app[80], lbl[100], num[32];
		ns_of(r, cat, e->service, ns, sizeof(ns));
		fputs("---\napiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\n", fp);
		k8s_metadata(fp, r, e, i + 1, ns);
		fputs("spec:\n  engineState: active\n  annotationCheck: \"false\"\n  jobCleanUpPolicy: delete\n", fp);
		fputs("  chaosServiceAccount: ", fp);
		q(fp, r->litmus_service_account);
		fputs("\n  appinfo:\n    appns: ", fp);
		q(fp, ns);
		fputc('\n', fp);
		if (e->action != DC_EXP_ZONE) {
			label_value(cat, e->service, app, sizeof(app));
			snprintf(lbl, sizeof(lbl), "app=%s", app);
			fputs("    applabel: ", fp);
			q(fp, lbl);
			fputs("\n    appkind: deployment\n", fp);
		}
		fprintf(fp, "  experiments:\n    - name: %s\n      spec:\n        components:\n          env:\n",
			e->action == DC_EXP_PARTITION ? "pod-network-latency" : "pod-delete");
		snprintf(num, sizeof(num), "%llu", (unsigned long long)r->duration_s);
		litmus_env(fp, "TOTAL_CHAOS_DURATION", num);
		switch (e->action) {
		case DC_EXP_KILL:
		case DC_EXP_ZONE:
			litmus_env(fp, "CHAOS_INTERVAL", "5");
			litmus_env(fp, "FORCE", "true");
			litmus_env(fp, "PODS_AFFECTED_PERC", "100");
			if (e->action == DC_EXP_ZONE) {
				snprintf(lbl, sizeof(lbl), "topology.kubernetes.io/zone=%.60s", e->zone);
				litmus_env(fp, "NODE_LABEL", lbl);
			}
			break;
		case DC_EXP_PARTITION:
			snprintf(num, sizeof(num), "%llu", delay_ms(cat, e));
			litmus_env(fp, "NETWORK_LATENCY", num);
			label_value(cat, e->target, app, sizeof(app));
			litmus_env(fp, "DESTINATION_HOSTS", app);
			litmus_env(fp, "PODS_AFFECTED_PERC", "100");
			break;
		}
	}
	return 0;
}

/* ---- experiments: AWS FIS ------------------------------------------------------- */

static void fis_iso(char *buf, size_t size, uint64_t s)
{
	snprintf(buf, size, "PT%lluS", (unsigned long long)s);
}

static int aws_fis(FILE *fp, dc_experiments_report *r)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(r->x));
	size_t n = shown_count(r), i;
	dc_jsonw w;
	char iso[32], buf[520], app[80], sel[100], num[32];
	dc_jw_init(&w, fp);
	dc_jw_arr(&w);
	for (i = 0; i < n; i++) {
		const dc_experiment *e = dc_experiments_get(r->x, i);
		const dc_prediction *p;
		size_t np = dc_experiment_predict(r->x, e, &p);
		char ns[256], *d = NULL;
		size_t dlen = 0;
		FILE *m;
		ns_of(r, cat, e->service, ns, sizeof(ns));
		dc_jw_obj(&w);
		/* description: at most 512 characters */
		if ((m = open_memstream(&d, &dlen))) {
			fprintf(m, "depcheck %s (%s): ", e->id, dc_experiment_reason_name(e->reason));
			describe(m, r, e);
			fputs("; expect ", m);
			prediction_line(m, cat, p, np, 8);
			fclose(m);
		}
		if (d && strlen(d) > 512)
			memcpy(d + 505, " [...]", 7);
		dc_jw_kstr(&w, "description", d ? d : e->id);
		free(d);
		dc_jw_kstr(&w, "roleArn", r->aws_role_arn);
		dc_jw_key(&w, "stopConditions");
		dc_jw_arr(&w);
		dc_jw_obj_inline(&w);
		if (r->aws_stop_alarm) {
			dc_jw_kstr(&w, "source", "aws:cloudwatch:alarm");
			dc_jw_kstr(&w, "value", r->aws_stop_alarm);
		} else {
			dc_jw_kstr(&w, "source", "none");
		}
		dc_jw_obj_end(&w);
		dc_jw_arr_end(&w);
		fis_iso(iso, sizeof(iso), r->duration_s);
		dc_jw_key(&w, "targets");
		dc_jw_obj(&w);
		if (e->action == DC_EXP_ZONE) {
			dc_jw_key(&w, "Instances");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "resourceType", "aws:ec2:instance");
			dc_jw_key(&w, "resourceTags");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "eks:cluster-name", r->aws_cluster);
			dc_jw_obj_end(&w);
			dc_jw_key(&w, "filters");
			dc_jw_arr(&w);
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "path", "Placement.AvailabilityZone");
			dc_jw_key(&w, "values");
			dc_jw_arr_inline(&w);
			dc_jw_str(&w, e->zone);
			dc_jw_arr_end(&w);
			dc_jw_obj_end(&w);
			dc_jw_arr_end(&w);
			dc_jw_kstr(&w, "selectionMode", "ALL");
			dc_jw_obj_end(&w);
		} else {
			label_value(cat, e->service, app, sizeof(app));
			snprintf(sel, sizeof(sel), "app=%s", app);
			dc_jw_key(&w, "Pods");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "resourceType", "aws:eks:pod");
			dc_jw_key(&w, "parameters");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "clusterIdentifier", r->aws_cluster);
			dc_jw_kstr(&w, "namespace", ns);
			dc_jw_kstr(&w, "selectorType", "labelSelector");
			dc_jw_kstr(&w, "selectorValue", sel);
			dc_jw_obj_end(&w);
			dc_jw_kstr(&w, "selectionMode", "ALL");
			dc_jw_obj_end(&w);
		}
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "actions");
		dc_jw_obj(&w);
		dc_jw_key(&w, dc_experiment_action_name(e->action));
		dc_jw_obj(&w);
		switch (e->action) {
		case DC_EXP_KILL:
			dc_jw_kstr(&w, "actionId", "aws:eks:pod-delete");
			dc_jw_key(&w, "parameters");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "kubernetesServiceAccount", r->aws_service_account);
			dc_jw_obj_end(&w);
			dc_jw_key(&w, "targets");
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "Pods", "Pods");
			dc_jw_obj_end(&w);
			break;
		case DC_EXP_PARTITION:
			dc_jw_kstr(&w, "actionId", "aws:eks:pod-network-latency");
			dc_jw_key(&w, "parameters");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "duration", iso);
			snprintf(num, sizeof(num), "%llu", delay_ms(cat, e));
			dc_jw_kstr(&w, "delayMilliseconds", num);
			label_value(cat, e->target, app, sizeof(app));
			dc_jw_kstr(&w, "sources", app);
			dc_jw_kstr(&w, "kubernetesServiceAccount", r->aws_service_account);
			dc_jw_obj_end(&w);
			dc_jw_key(&w, "targets");
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "Pods", "Pods");
			dc_jw_obj_end(&w);
			break;
		case DC_EXP_ZONE:
			dc_jw_kstr(&w, "actionId", "aws:ec2:stop-instances");
			dc_jw_key(&w, "parameters");
			dc_jw_obj(&w);
			dc_jw_kstr(&w, "startInstancesAfterDuration", iso);
			dc_jw_obj_end(&w);
			dc_jw_key(&w, "targets");
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "Instances", "Instances");
			dc_jw_obj_end(&w);
			break;
		}
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
		dc_jw_key(&w, "tags");
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "Name", e->id);
		dc_jw_kstr(&w, "depcheck.dev/experiment", e->id);
		dc_jw_kstr(&w, "depcheck.dev/reason", dc_experiment_reason_name(e->reason));
		snprintf(num, sizeof(num), "%zu", i + 1);
		dc_jw_kstr(&w, "depcheck.dev/rank", num);
		prediction_buf(buf, 257, cat, p, np, DC_STATE_DOWN);
		dc_jw_kstr(&w, "depcheck.dev/expect-down", buf);
		prediction_buf(buf, 257, cat, p, np, DC_STATE_DEGRADED);
		dc_jw_kstr(&w, "depcheck.dev/expect-degraded", buf);
		prediction_buf(buf, 257, cat, p, np, DC_STATE_UP);
		dc_jw_kstr(&w, "depcheck.dev/expect-up", buf);
		dc_jw_obj_end(&w);
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_end(&w);
	return 0;
}

int dc_write_experiments(FILE *fp, dc_experiments_report *r, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !r || !opts || !DC_OPTIONS_VERSION_OK(r->version, DC_EXPERIMENTS_REPORT_VERSION) || !r->x ||
	    !r->namespace_name || !r->aws_role_arn || !r->aws_cluster || !r->aws_service_account ||
	    !r->litmus_service_account || !r->duration_s)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return text_experiments(fp, r, opts);
	case DC_OUTPUT_JSON: return json_experiments(fp, r, opts);
	case DC_OUTPUT_CHAOS_MESH: return chaos_mesh(fp, r);
	case DC_OUTPUT_LITMUS: return litmus(fp, r);
	case DC_OUTPUT_AWS_FIS: return aws_fis(fp, r);
	default: return DC_EINVALID;
	}
}

/* ---- verification ------------------------------------------------------------------ */

static const char *finding_title(dc_finding_kind k)
{
	switch (k) {
	case DC_FINDING_SOFT_EDGE_HARD: return "soft edge behaved as hard";
	case DC_FINDING_ANY_OF_NOT_REDUNDANT: return "any_of group was not redundant";
	case DC_FINDING_STATE: return "state differs from the prediction";
	default: return "time to impact off the prediction";
	}
}

static int has_fix(const dc_finding *f)
{
	return f->kind == DC_FINDING_SOFT_EDGE_HARD || f->kind == DC_FINDING_ANY_OF_NOT_REDUNDANT;
}

static void text_ms(FILE *fp, dc_state s, uint64_t t)
{
	fprintf(fp, "%s", state_upper(s));
	if (s != DC_STATE_UP && t != DC_TIME_NONE)
		fprintf(fp, " +%llu ms", (unsigned long long)t);
}

static int text_verification(FILE *fp, const dc_verification *v, const dc_output_options *opts)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(dc_verification_plan(v)));
	const dc_verify_options *vo = dc_verification_options(v);
	const dc_finding *f;
	size_t nf = dc_verification_findings(v, &f), i, j;
	if (!opts->quiet)
		fprintf(fp, "%zu experiment%s, %zu observation%s: %zu finding%s (time tolerance: %llu ms or %g%%)\n",
			dc_verification_experiment_count(v), dc_verification_experiment_count(v) == 1 ? "" : "s",
			dc_verification_observation_count(v), dc_verification_observation_count(v) == 1 ? "" : "s", nf,
			nf == 1 ? "" : "s", (unsigned long long)vo->tolerance_ms, vo->tolerance_ratio * 100);
	for (i = 0; i < nf; i++) {
		fprintf(fp, "\n%s%s%s: %s", dc__color(opts, "bold"), f[i].experiment->id, dc__color(opts, "reset"),
			finding_title(f[i].kind));
		if (f[i].dep != UINT32_MAX) {
			fprintf(fp, ": %s -> %s", dc_service_name(cat, dc_dep_from(cat, f[i].dep)),
				dc_service_name(cat, dc_dep_to(cat, f[i].dep)));
			dc__text_where(fp, opts, dc_dep_location(cat, f[i].dep));
		}
		fputc('\n', fp);
		for (j = 0; j < f[i].nrows; j++) {
			const dc_observation *o = &f[i].rows[j];
			fprintf(fp, "    %-24s predicted ", dc_service_name(cat, o->entrypoint));
			text_ms(fp, o->predicted, o->predicted_ms);
			fputs(", observed ", fp);
			text_ms(fp, o->observed, o->observed_ms);
			fputc('\n', fp);
		}
		if (has_fix(&f[i]))
			fprintf(fp, "  fix (overlay): %s depends_on {service: %s, kind: hard}\n",
				dc_service_name(cat, dc_dep_from(cat, f[i].dep)), dc_service_name(cat, dc_dep_to(cat, f[i].dep)));
	}
	if (!opts->quiet && !nf)
		fputs("\nthe model matched every observation\n", fp);
	return 0;
}

static int json_verification(FILE *fp, const dc_verification *v)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(dc_verification_plan(v)));
	const dc_verify_options *vo = dc_verification_options(v);
	const dc_finding *f;
	size_t nf = dc_verification_findings(v, &f), i, j;
	dc_jsonw w;
	dc_jw_init(&w, fp);
	dc__json_head(&w, "verify");
	dc_jw_kint(&w, "experiments", (long long)dc_verification_experiment_count(v));
	dc_jw_kint(&w, "observations", (long long)dc_verification_observation_count(v));
	dc_jw_key(&w, "tolerance");
	dc_jw_obj_inline(&w);
	dc_jw_kint(&w, "ms", (long long)vo->tolerance_ms);
	dc_jw_knum(&w, "ratio", vo->tolerance_ratio);
	dc_jw_obj_end(&w);
	dc_jw_kbool(&w, "matched", nf == 0);
	dc_jw_key(&w, "findings");
	dc_jw_arr(&w);
	for (i = 0; i < nf; i++) {
		dc_jw_obj(&w);
		dc_jw_kstr(&w, "kind", dc_finding_kind_name(f[i].kind));
		dc_jw_kstr(&w, "experiment", f[i].experiment->id);
		dc_jw_key(&w, "dependency");
		json_dep(&w, cat, f[i].dep);
		dc_jw_key(&w, "entrypoints");
		dc_jw_arr(&w);
		for (j = 0; j < f[i].nrows; j++) {
			const dc_observation *o = &f[i].rows[j];
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "entrypoint", dc_service_name(cat, o->entrypoint));
			dc_jw_kstr(&w, "predicted", state_name(o->predicted));
			json_time(&w, "predicted_ms", o->predicted_ms);
			dc_jw_kstr(&w, "observed", state_name(o->observed));
			json_time(&w, "observed_ms", o->observed_ms);
			dc_jw_obj_end(&w);
		}
		dc_jw_arr_end(&w);
		dc_jw_key(&w, "fix");
		if (has_fix(&f[i])) {
			dc_jw_obj_inline(&w);
			dc_jw_kstr(&w, "service", dc_service_name(cat, dc_dep_from(cat, f[i].dep)));
			dc_jw_kstr(&w, "depends_on", dc_service_name(cat, dc_dep_to(cat, f[i].dep)));
			dc_jw_kstr(&w, "kind", "hard");
			dc_jw_obj_end(&w);
		} else {
			dc_jw_null(&w);
		}
		dc_jw_obj_end(&w);
	}
	dc_jw_arr_end(&w);
	dc_jw_obj_end(&w);
	dc_jw_end(&w);
	return 0;
}

/* The overlay: one entry per caller, in finding order, each edge once. */
static int yaml_overlay(FILE *fp, const dc_verification *v)
{
	const dc_catalog *cat = dc_graph_catalog(dc_experiments_graph(dc_verification_plan(v)));
	const dc_finding *f;
	size_t nf = dc_verification_findings(v, &f), i, j, k, fixes = 0;
	fputs("# depcheck verify: the overlay that makes the model match what the experiments\n"
	      "# observed. Review it, then add it to the inputs (docs/chaos.md).\n"
	      "depcheck: 1\noverlay:", fp);
	for (i = 0; i < nf; i++) {
		dc_id from;
		if (!has_fix(&f[i]))
			continue;
		from = dc_dep_from(cat, f[i].dep);
		for (j = 0; j < i; j++)
			if (has_fix(&f[j]) && dc_dep_from(cat, f[j].dep) == from)
				break;
		if (j < i)
			continue; /* written with the first finding of this caller */
		fputs("\n  - name: ", fp);
		q(fp, dc_service_name(cat, from));
		fputs("\n    depends_on:", fp);
		for (k = i; k < nf; k++) {
			size_t t;
			if (!has_fix(&f[k]) || dc_dep_from(cat, f[k].dep) != from)
				continue;
			for (t = i; t < k; t++)
				if (has_fix(&f[t]) && dc_dep_from(cat, f[t].dep) == from &&
				    dc_dep_to(cat, f[t].dep) == dc_dep_to(cat, f[k].dep))
					break;
			if (t < k)
				continue;
			fprintf(fp, "\n      # %s: %s\n      - service: ", f[k].experiment->id,
				f[k].kind == DC_FINDING_SOFT_EDGE_HARD ? "this soft edge behaved as hard"
								       : "this any_of member is needed alone (not redundant)");
			q(fp, dc_service_name(cat, dc_dep_to(cat, f[k].dep)));
			fputs("\n        kind: hard", fp);
			fixes++;
		}
	}
	fputs(fixes ? "\n" : " []\n", fp);
	return 0;
}

int dc_write_verification(FILE *fp, const dc_verification *v, const dc_output_options *opts)
{
	opts = dc__output_opts(opts);
	if (!fp || !v || !opts)
		return DC_EINVALID;
	switch (opts->format) {
	case DC_OUTPUT_TEXT: return text_verification(fp, v, opts);
	case DC_OUTPUT_JSON: return json_verification(fp, v);
	case DC_OUTPUT_YAML: return yaml_overlay(fp, v);
	default: return DC_EINVALID;
	}
}
